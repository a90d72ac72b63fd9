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
            r#"\bcron\.schedule\(|\bnew\s+CronJob\(|\bCronJob\.from\(|\bschedule\.scheduleJob\(|\bnew\s+Agenda\(|\bToad[Ss]cheduler\b|\bScheduleModule\.forRoot\("#
        }
        Language::Python => {
            r"\b(?:Background|AsyncIO|Tornado|Gevent)Scheduler\(|\bAPScheduler\(\)|\bschedule\.every\("
        }
        Language::Ruby => r"\bRufus::Scheduler\.(?:new|singleton)\b",
        Language::Java | Language::Kotlin => r"@EnableScheduling\b",
        _ => return None,
    }))
}

pub fn scheduler_facts(rule: &Rule, file: &SourceFile, facts: &mut FileFacts) {
    static SCHEDULERS: PerLanguage = PerLanguage::new();
    let Some(scheduler) = per_language(&SCHEDULERS, scheduler_pattern, file.language) else {
        return;
    };
    if let Some(m) = scheduler.find(&file.masked) {
        let found = String::from_utf8_lossy(m.as_bytes())
            .trim_end_matches('(')
            .to_string();
        let message = format!(
            "an in-process scheduler (`{found}`) runs in the web process, once per container"
        );
        facts.schedulers.push(rule.finding(
            &file.rel_path,
            file.locate(m.start(), m.end()),
            message,
        ));
    }
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
