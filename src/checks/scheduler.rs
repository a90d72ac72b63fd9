//! Factor VIII, `in-process-scheduler`: a scheduler started inside the app runs once per
//! web container (§5 #11). A scheduler in its own entry point, declared as a non-web
//! Procfile process (`clock: node clock.js`), is the twelve-factor way and is not flagged.

use super::{PerLanguage, per_language};
use crate::app::App;
use crate::app::processes::{Kind, Origin};
use crate::classify::Language;
use crate::finding::Finding;
use crate::repo::FileFacts;
use crate::rules::Rule;
use crate::source::SourceFile;

/// Where each stack starts a scheduler in process. NestJS runs its `@Cron` jobs once the
/// app imports `ScheduleModule.forRoot()`: that one line is the scheduler, as Spring's
/// `@EnableScheduling` is (an app with fifteen jobs has one scheduler to move).
fn scheduler_pattern(language: Language) -> Option<String> {
    Some(String::from(match language {
        Language::Javascript | Language::Typescript => {
            r#"\bcron\.schedule\(|\bnew\s+CronJob\(|\bCronJob\.from\(|\b(?:schedule|nodeSchedule)\.scheduleJob\(|\bnew\s+Agenda\(|\bToad[Ss]cheduler\b|\bScheduleModule\.forRoot\(|\bnew\s+Cron\(\s*['"`]|\bnew\s+Bree\("#
        }
        Language::Python => {
            r"\b(?:Background|AsyncIO|Tornado|Gevent)Scheduler\(|\bAPScheduler\(\)|\bschedule\.every\("
        }
        Language::Ruby => r"\bRufus::Scheduler\.(?:new|singleton)\b",
        Language::Java | Language::Kotlin => r"@EnableScheduling\b",
        Language::Go => r"\bcron\.New\(|\bgocron\.New(?:Scheduler)?\(",
        _ => return None,
    }))
}

/// Loops a web entry point starts beside its server: a module-level Python thread or
/// timer in the file that creates the app, a Go ticker in the `main` that serves. Each is
/// (the loop, what marks the file as the web process's entry).
fn loop_pattern(language: Language) -> Option<String> {
    Some(String::from(match language {
        Language::Python => {
            r"^(?:[A-Za-z_]\w*\s*=\s*)?(?:threading\.)?(?:Timer|Thread)\((?:[^()]|\([^()]*\))*\)(?:\.start\(\))?\s*$"
        }
        Language::Go => r"\btime\.(?:NewTicker|Tick)\(",
        _ => return None,
    }))
}

fn web_entry_pattern(language: Language) -> Option<String> {
    Some(String::from(match language {
        Language::Python => {
            r"\bFlask\(\s*__name__|\bFastAPI\(|^def\s+create_app\(|\bget_[wa]sgi_application\("
        }
        Language::Go => {
            r"^func\s+main\(\)(?s:.*)(?:ListenAndServe(?:TLS)?\(|\.Run\(|\.Listen\(|\.Start\()"
        }
        _ => return None,
    }))
}

/// Which process should own the scheduler, in the stack's words.
fn owner_hint(language: Language) -> &'static str {
    match language {
        Language::Javascript | Language::Typescript => "`clock: node clock.js`",
        Language::Python => "`clock: python clock.py`",
        Language::Ruby => "`clock: bundle exec ruby clock.rb`",
        Language::Go => "`clock: bin/clock`",
        _ => "`clock: java -jar clock.jar`",
    }
}

pub fn scheduler_facts(rule: &Rule, file: &SourceFile, facts: &mut FileFacts) {
    static SCHEDULERS: PerLanguage = PerLanguage::new();
    let Some(scheduler) = per_language(&SCHEDULERS, scheduler_pattern, file.language) else {
        return;
    };
    let found = scheduler.find(&file.masked).or_else(|| web_loop(file));
    if let Some(m) = found {
        let found = String::from_utf8_lossy(m.as_bytes());
        let found = found
            .trim_end()
            .trim_end_matches(['(', '\'', '"', '`'])
            .trim_end();
        let found = found.split('(').next().unwrap_or(found);
        let message = format!(
            "an in-process scheduler (`{found}`) runs in the web process, once per container; a {} process or the host's scheduler should own it",
            owner_hint(file.language)
        );
        facts.schedulers.push(rule.finding(
            &file.rel_path,
            file.locate(m.start(), m.end()),
            message,
        ));
    }
}

/// A loop started beside the server in the web entry point (see `loop_pattern`).
fn web_loop(file: &SourceFile) -> Option<regex::bytes::Match<'_>> {
    static LOOPS: PerLanguage = PerLanguage::new();
    static ENTRIES: PerLanguage = PerLanguage::new();
    let lp = per_language(&LOOPS, loop_pattern, file.language)?;
    let entry = per_language(&ENTRIES, web_entry_pattern, file.language)?;
    let found = lp.find(&file.masked)?;
    entry.is_match(&file.masked).then_some(found)
}

pub fn in_process_scheduler(_rule: &Rule, app: &App) -> Vec<Finding> {
    let facts = &app.inventory;
    let processes: Vec<_> = app
        .processes
        .iter()
        .filter(|p| p.origin == Origin::Procfile)
        .collect();
    let own_process = |file: &str| {
        let stem = file.rsplit('/').next().unwrap_or(file);
        let stem = stem.split('.').next().unwrap_or(stem);
        processes.iter().any(|p| {
            p.kind != Kind::Web
                && (p.command.contains(file)
                    || p.command.split([' ', '/', '.', ':']).any(|w| w == stem))
        })
    };
    // A declared clock process (Heroku's convention, also Scalingo's) is where the app's
    // schedulers run, even when its entry point imports the scheduler from another file.
    let clock = processes.iter().any(|p| p.kind == Kind::Clock);
    if clock {
        return Vec::new();
    }
    facts
        .schedulers
        .iter()
        .filter(|f| !own_process(&f.file))
        .cloned()
        .collect()
}
