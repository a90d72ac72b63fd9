//! Factor VIII, `in-process-scheduler`: a scheduler started inside the app runs once per
//! web container (§5 #11). A scheduler in its own entry point, declared as a non-web
//! Procfile process (`clock: node clock.js`), is the twelve-factor way and is not flagged.

use super::{Gate, PerLanguage, Seen, bytes_regex, on_commands, per_language, regex};
use crate::app::App;
use crate::app::processes::{Kind, Origin};
use crate::classify::Language;
use crate::finding::Finding;
use crate::repo::FileFacts;
use crate::rules::Rule;
use crate::source::SourceFile;
use regex::bytes::Regex;
use std::sync::LazyLock;

/// Where each stack starts a scheduler in process. NestJS's `ScheduleModule.forRoot()` and
/// Spring's `@EnableScheduling` only switch on the decorated jobs: `module_pattern`'s.
fn scheduler_pattern(language: Language) -> Option<String> {
    Some(String::from(match language {
        Language::Javascript | Language::Typescript => {
            r#"\bcron\.schedule\(|\bnew\s+CronJob\(|\bCronJob\.from\(|\b(?:schedule|nodeSchedule)\.scheduleJob\(|\bnew\s+Agenda\(|\bToad[Ss]cheduler\b|\bnew\s+Cron\(\s*['"`]|\bnew\s+Bree\("#
        }
        Language::Python => {
            r"\b(?:Background|AsyncIO|Tornado|Gevent)Scheduler\(|\bAPScheduler\(\)|\bschedule\.every\("
        }
        Language::Ruby => r"\bRufus::Scheduler\.(?:new|singleton)\b",
        Language::Go => r"\bcron\.New\(|\bgocron\.New(?:Scheduler)?\(",
        _ => return None,
    }))
}

/// The switch that runs an app's decorated jobs, and the decorator of one job (group
/// `indent`, `decorator`). A job is reported at its decorator: one finding per job, the
/// switch's line only when no job is found (jobs registered at run time).
fn module_pattern(language: Language) -> Option<String> {
    Some(String::from(match language {
        Language::Javascript | Language::Typescript => r"\bScheduleModule\.forRoot\(",
        Language::Java | Language::Kotlin => r"@EnableScheduling\b",
        _ => return None,
    }))
}

fn job_pattern(language: Language) -> Option<String> {
    Some(String::from(match language {
        // `@Timeout` runs once after start: not a schedule.
        Language::Javascript | Language::Typescript => {
            r"^(?P<indent>[ \t]*)(?P<decorator>@(?:Cron|Interval))\("
        }
        Language::Java | Language::Kotlin => r"^(?P<indent>[ \t]*)(?P<decorator>@Scheduled)\b",
        _ => return None,
    }))
}

/// Writes that reach past the process: rows, messages, mail, HTTP calls that change state.
static SHARED_EFFECT: LazyLock<Regex> = LazyLock::new(|| {
    bytes_regex(
        r"\.(?:save|saveAll|insert|update|upsert|delete|deleteAll|remove|softDelete|destroy|create|bulkCreate|increment|decrement|persist|flush|executeUpdate|execute|send\w*|publish|enqueue|post|put|patch|exchange)\s*\(|\bsend\w*\s*\(|(?i:mail)",
    )
});

/// An assignment to one of the instance's own fields (`this.zones = ...`).
static OWN_FIELD: LazyLock<Regex> = LazyLock::new(|| bytes_regex(r"\bthis\.\w+\s*=[^=]"));

/// Methods the job calls on its own instance (`this.loadAll()`).
static OWN_CALL: LazyLock<Regex> = LazyLock::new(|| bytes_regex(r"\bthis\.(\w+)\s*\("));

/// Notes the file's scheduler switch and its decorated jobs. A job that only refreshes its
/// instance's own fields (a per-process cache reloaded every few seconds), in its body or in
/// the methods of the class it calls (one hop), must run in every instance: it is noted
/// as such, not reported.
fn job_facts(rule: &Rule, file: &SourceFile, facts: &mut FileFacts) {
    static MODULES: PerLanguage = PerLanguage::new();
    static JOBS: PerLanguage = PerLanguage::new();
    let text = &file.masked;
    if let Some(m) =
        per_language(&MODULES, module_pattern, file.language).and_then(|r| r.find(text))
    {
        let found = String::from_utf8_lossy(m.as_bytes());
        let found = found.trim_end_matches('(');
        let message = format!(
            "an in-process scheduler (`{found}`) runs the app's scheduled jobs in the web process, once per container; a {} process or the host's scheduler should own them",
            owner_hint(file.language)
        );
        facts.code.scheduler_modules.push(rule.finding(
            &file.rel_path,
            file.locate(m.start(), m.end()),
            message,
        ));
    }
    let Some(jobs) = per_language(&JOBS, job_pattern, file.language) else {
        return;
    };
    for caps in jobs.captures_iter(text) {
        let (Some(indent), Some(decorator)) = (caps.name("indent"), caps.name("decorator")) else {
            continue;
        };
        let body_end = block_end(text, decorator.end(), indent.as_bytes());
        let body = &text[decorator.end()..body_end];
        let name = method_name(body).unwrap_or_default();
        let called: Vec<&[u8]> = OWN_CALL
            .captures_iter(body)
            .filter_map(|c| c.get(1))
            .filter_map(|n| method_body(text, n.as_bytes(), indent.as_bytes()))
            .collect();
        let own_fields = OWN_FIELD.is_match(body) || called.iter().any(|b| OWN_FIELD.is_match(b));
        let shared =
            SHARED_EFFECT.is_match(body) || called.iter().any(|b| SHARED_EFFECT.is_match(b));
        let decorator = String::from_utf8_lossy(decorator.as_bytes());
        let message = format!(
            "a scheduled job (`{decorator}` on `{name}`) runs in the web process, once per container; a {} process or the host's scheduler should own it",
            owner_hint(file.language)
        );
        let at = caps.name("decorator").map_or(0, |d| d.start());
        let finding = rule.finding(
            &file.rel_path,
            file.locate(at, at + decorator.len()),
            message,
        );
        facts
            .code
            .scheduled_jobs
            .push((shared || !own_fields, finding));
    }
}

/// The name of the method declared first in `body` (the text after a decorator).
fn method_name(body: &[u8]) -> Option<String> {
    static NAME: LazyLock<Regex> = LazyLock::new(|| {
        bytes_regex(
            r"^[ \t]*(?:(?:public|private|protected|static|async|final|override|suspend|open|fun|void|[\w<>\[\]?]+)\s+)*(\w+)\s*\(",
        )
    });
    let name = NAME.captures(body)?.get(1)?;
    Some(String::from_utf8_lossy(name.as_bytes()).into_owned())
}

/// The body of the file's method `name`, declared at `indent`.
fn method_body<'a>(text: &'a [u8], name: &[u8], indent: &[u8]) -> Option<&'a [u8]> {
    let mut at = 0;
    while let Some(n) = text[at..].windows(name.len()).position(|w| w == name) {
        let start = at + n;
        at = start + name.len();
        let line_start = text[..start]
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |i| i + 1);
        let line_end = text[start..]
            .iter()
            .position(|b| *b == b'\n')
            .map_or(text.len(), |i| start + i);
        let line = &text[line_start..line_end];
        // A declaration: at the class's member indentation, not a call (`this.name(`), and
        // its line opens the body.
        let declared = line.starts_with(indent)
            && line
                .get(indent.len())
                .is_some_and(|b| !b.is_ascii_whitespace())
            && text[..start]
                .last()
                .is_none_or(|b| !(b.is_ascii_alphanumeric() || *b == b'_' || *b == b'.'))
            && text.get(at).is_some_and(|b| *b == b'(')
            && line.trim_ascii_end().ends_with(b"{");
        if declared {
            return Some(&text[line_end..block_end(text, line_end, indent)]);
        }
    }
    None
}

/// Loops a web entry point starts beside its server: a module-level Python thread or
/// timer in the file that creates the app, a Go ticker in the `main` that serves, a Node
/// `setInterval` in the file that listens. Each is (the loop, what marks the file as the
/// web process's entry).
fn loop_pattern(language: Language) -> Option<String> {
    Some(String::from(match language {
        Language::Python => {
            r"^(?:[A-Za-z_]\w*\s*=\s*)?(?:threading\.)?(?:Timer|Thread)\((?:[^()]|\([^()]*\))*\)(?:\.start\(\))?\s*$"
        }
        Language::Go => r"\btime\.(?:NewTicker|Tick)\(",
        Language::Javascript | Language::Typescript => r"^[ \t]*setInterval\(",
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
        // A Node server's entry: it imports a server framework and listens.
        Language::Javascript | Language::Typescript => {
            r#"(?:\brequire\(\s*['"](?:express|node:http|http|fastify|koa)['"]|\bfrom\s+['"](?:express|node:http|http|fastify|koa)['"])(?s:.*)\b(?:app|server|httpServer|fastify)\.listen\("#
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

pub fn scheduler_facts(rule: &Rule, file: &SourceFile, seen: &Seen, facts: &mut FileFacts) {
    if file.language == Language::Go {
        go_loop_facts(rule, file, seen, facts);
    }
    if seen.any(Gate::ScheduledJob) {
        job_facts(rule, file, facts);
    }
    static SCHEDULERS: PerLanguage = PerLanguage::new();
    let Some(scheduler) = per_language(&SCHEDULERS, scheduler_pattern, file.language) else {
        return;
    };
    let found = seen
        .any(Gate::Scheduler)
        .then(|| scheduler.find(&file.masked))
        .flatten()
        .or_else(|| web_loop(file, seen));
    if let Some(m) = found {
        // A loop's pattern may start at the line's indentation.
        let indent = m
            .as_bytes()
            .iter()
            .take_while(|b| **b == b' ' || **b == b'\t');
        let start = m.start() + indent.count();
        let found = String::from_utf8_lossy(&file.masked[start..m.end()]);
        let found = found
            .trim_end()
            .trim_end_matches(['(', '\'', '"', '`'])
            .trim_end();
        let found = found.split('(').next().unwrap_or(found);
        let message = format!(
            "an in-process scheduler (`{found}`) runs in the web process, once per container; a {} process or the host's scheduler should own it",
            owner_hint(file.language)
        );
        facts.code.schedulers.push(rule.finding(
            &file.rel_path,
            file.locate(start, m.end()),
            message,
        ));
    }
}

/// A Go ticker loop: `for range time.Tick(...)`, or `time.NewTicker`/`time.Tick`
/// followed by a `for` in the same body.
static GO_TICKER: LazyLock<Regex> = LazyLock::new(|| {
    bytes_regex(r"\bfor\b[^\n{]*\btime\.Tick\(|\btime\.(?:NewTicker|Tick)\((?s:.*?)\bfor\b")
});

/// A Go file that starts the web process or builds its router: goroutines it starts run
/// beside the server in every instance.
static GO_SERVER_SETUP: LazyLock<Regex> = LazyLock::new(|| {
    bytes_regex(
        r"\bListenAndServe(?:TLS)?\(|\bhttp\.Serve\(|\bgin\.(?:New|Default)\(\)|\bmux\.NewRouter\(\)|\bchi\.NewRouter\(\)|\becho\.New\(\)|\bfiber\.New\(|\bhttp\.NewServeMux\(\)",
    )
});

/// Notes a Go file's ticker loops: those in a goroutine that the server's set-up starts
/// (`go func() { for range ticker.C {...} }()` beside the router) are schedulers; a
/// function that loops on a ticker is one when a server file starts it (`go name(...)`),
/// which the repository check judges. A `main` that serves is `web_loop`'s.
fn go_loop_facts(rule: &Rule, file: &SourceFile, seen: &Seen, facts: &mut FileFacts) {
    static FUNC: LazyLock<Regex> =
        LazyLock::new(|| bytes_regex(r"^func\s+(?:\([^)]*\)\s*)?(\w+)\s*(?:\[[^\]\n]*\])?\("));
    static GO_FUNC: LazyLock<Regex> =
        LazyLock::new(|| bytes_regex(r"^([ \t]*)(?:[\w.]+\s*:?=\s*)?go\s+func\s*\("));
    static GO_CALL: LazyLock<Regex> = LazyLock::new(|| bytes_regex(r"\bgo\s+(?:[\w.]+\.)?(\w+)\("));
    let text = &file.masked;
    let ticker = |start: usize, end: usize| {
        let m = GO_TICKER.find(&text[start..end])?;
        let found = m.as_bytes();
        let at = start + m.start() + found.windows(5).position(|w| w == b"time.").unwrap_or(0);
        let end = at + text[at..].iter().position(|b| *b == b'(').unwrap_or(0);
        Some(rule.finding(&file.rel_path, file.locate(at, end), go_message(file)))
    };
    // Without a ticker, no function loops on one.
    let tickers = seen.any(Gate::GoTicker);
    for caps in tickers
        .then(|| FUNC.captures_iter(text))
        .into_iter()
        .flatten()
    {
        let (Some(whole), Some(name)) = (caps.get(0), caps.get(1)) else {
            continue;
        };
        let end = block_end(text, whole.end(), b"");
        if let Some(found) = ticker(whole.end(), end) {
            let name = String::from_utf8_lossy(name.as_bytes()).into_owned();
            facts.code.go_loops.push((name, found));
        }
    }
    // Functions that start goroutines, whatever their file: a server file that calls one
    // starts its loops (`runScheduler` running `go feedScheduler(...)`).
    if GO_CALL.is_match(text) {
        for caps in FUNC.captures_iter(text) {
            let (Some(whole), Some(name)) = (caps.get(0), caps.get(1)) else {
                continue;
            };
            let body = &text[whole.end()..block_end(text, whole.end(), b"")];
            let started: Vec<String> = GO_CALL
                .captures_iter(body)
                .filter_map(|c| Some(String::from_utf8_lossy(c.get(1)?.as_bytes()).into_owned()))
                .collect();
            if !started.is_empty() {
                let name = String::from_utf8_lossy(name.as_bytes()).into_owned();
                facts.code.go_relays.insert(name, started.join(","));
            }
        }
    }
    if !seen.any(Gate::GoServerSetup) {
        return;
    }
    // A file that builds the router or serves, or one that calls the app's own server start
    // (`server.StartWebServer(store, pool)`): the set-up of the web process.
    static START_SERVER: LazyLock<Regex> = LazyLock::new(|| bytes_regex(r"\bStart\w*Server\("));
    let serves = GO_SERVER_SETUP.is_match(text);
    if !serves && !START_SERVER.is_match(text) {
        return;
    }
    // Calls, as statements, to functions named for background work; kept by name so that
    // the repository check can follow them to the ticker loops they start.
    static BACKGROUND_CALL: LazyLock<Regex> = LazyLock::new(|| {
        bytes_regex(
            r"(?m)^[ \t]+((?i:\w*(?:sched|cron|tick|job|task|poll|worker|background|cleanup|periodic)\w*))\(",
        )
    });
    for caps in BACKGROUND_CALL.captures_iter(text) {
        let Some(name) = caps.get(1) else { continue };
        let finding = rule.finding(
            &file.rel_path,
            file.locate(name.start(), name.end()),
            go_message(file),
        );
        let name = String::from_utf8_lossy(name.as_bytes()).into_owned();
        facts.code.go_starts.push((name, finding));
    }
    // Goroutines written or started here are judged only in the files that serve: a
    // server-start call alone also starts metrics and cache loops of each process.
    if !serves {
        return;
    }
    if tickers && web_loop(file, seen).is_none() {
        let goroutines = GO_FUNC.captures_iter(text).filter_map(|caps| {
            let (whole, indent) = (caps.get(0)?, caps.get(1)?);
            ticker(whole.end(), block_end(text, whole.end(), indent.as_bytes()))
        });
        facts.code.schedulers.extend(goroutines.take(1));
    }
    for caps in GO_CALL.captures_iter(text) {
        if let Some(name) = caps.get(1) {
            let name = String::from_utf8_lossy(name.as_bytes()).into_owned();
            facts
                .code
                .go_spawns
                .entry(name)
                .or_insert_with(|| file.rel_path.clone());
        }
    }
}

/// The end of a gofmt block opened on the line of `from`: the first later line that is
/// `indent` followed by `}`.
fn block_end(text: &[u8], from: usize, indent: &[u8]) -> usize {
    let mut at = from;
    while let Some(n) = text[at..].iter().position(|b| *b == b'\n') {
        at += n + 1;
        let line = &text[at..];
        if line.starts_with(indent) && line.get(indent.len()) == Some(&b'}') {
            return at;
        }
    }
    text.len()
}

fn go_message(file: &SourceFile) -> String {
    format!(
        "an in-process scheduler (a `time.Ticker` loop) runs in the web process, once per container; a {} process or the host's scheduler should own it",
        owner_hint(file.language)
    )
}

/// A loop started beside the server in the web entry point (see `loop_pattern`).
fn web_loop<'a>(file: &'a SourceFile, seen: &Seen) -> Option<regex::bytes::Match<'a>> {
    static LOOPS: PerLanguage = PerLanguage::new();
    static ENTRIES: PerLanguage = PerLanguage::new();
    if !seen.any(Gate::WebLoop) {
        return None;
    }
    let lp = per_language(&LOOPS, loop_pattern, file.language)?;
    let entry = per_language(&ENTRIES, web_entry_pattern, file.language)?;
    let found = lp.find(&file.masked)?;
    entry.is_match(&file.masked).then_some(found)
}

pub fn in_process_scheduler(rule: &Rule, app: &App) -> Vec<Finding> {
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
    // Ticker loops that a server file starts with `go name(...)`.
    let spawned = facts.code.go_loops.iter().filter_map(|(name, found)| {
        let by = facts.code.go_spawns.get(name)?;
        let mut found = found.clone();
        found.message = found
            .message
            .replacen(" loop)", &format!(" loop started by {by})"), 1);
        Some(found)
    });
    // Calls in a server file to a function that starts ticker loops as goroutines.
    let looping = |name: &str| facts.code.go_loops.iter().any(|(n, _)| n == name);
    let relayed = facts.code.go_starts.iter().filter_map(|(name, found)| {
        let started = facts.code.go_relays.get(name)?;
        let loops: Vec<&str> = started.split(',').filter(|s| looping(s)).collect();
        if loops.is_empty() {
            return None;
        }
        let mut found = found.clone();
        found.message = found.message.replacen(
            " loop)",
            &format!(" loop in {}, started by {name})", loops.join(", ")),
            1,
        );
        Some(found)
    });
    // Decorated jobs run only when the app switches its scheduler on; each job with effects
    // beyond its process is reported, the switch itself when no job is declared.
    let jobs: Vec<Finding> = if facts.code.scheduler_modules.is_empty() {
        Vec::new()
    } else if facts.code.scheduled_jobs.is_empty() {
        facts.code.scheduler_modules.clone()
    } else {
        let shared = facts
            .code
            .scheduled_jobs
            .iter()
            .filter(|(shared, _)| *shared);
        shared.map(|(_, f)| f.clone()).collect()
    };
    let mut findings: Vec<Finding> = facts
        .code
        .schedulers
        .iter()
        .cloned()
        .chain(spawned)
        .chain(relayed)
        .chain(jobs)
        .filter(|f| !own_process(&f.file))
        .collect();
    findings.extend(crontab_at_start(rule, app));
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings.dedup_by(|a, b| a.file == b.file && a.start.line == b.start.line);
    findings
}

/// A web start command (or the start script it runs) that installs `whenever`'s schedule as
/// the container's crontab: the cron daemon beside the server runs the jobs in every web
/// container.
fn crontab_at_start(rule: &Rule, app: &App) -> Vec<Finding> {
    let whenever = regex(r"^whenever\b.*(?:--update-crontab|--write-crontab|\s-[wi](?:\s|$))");
    let web = app.processes.iter().filter(|p| p.is_web());
    on_commands(rule, app, web, |_, segments, i| {
        let seg = segments[i].text;
        whenever.is_match(seg).then(|| {
            format!(
                "the web start command installs `whenever`'s schedule as a crontab (`{seg}`): a cron daemon in every web container runs the jobs; the host's scheduler should own them"
            )
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::Role;

    fn go_facts(path: &str, code: &str) -> FileFacts {
        facts_of(path, Language::Go, code)
    }

    fn facts_of(path: &str, language: Language, code: &str) -> FileFacts {
        let registry = crate::rules::Registry::builtin().expect("rules load");
        let rule = registry.get("in-process-scheduler").expect("rule");
        let file = SourceFile::new(path.into(), language, Role::Source, code.into());
        let mut facts = FileFacts::default();
        let present = crate::detect::keywords_present(&registry, &file);
        let seen = super::Seen::new(&registry, file.language, &present);
        scheduler_facts(rule, &file, &seen, &mut facts);
        facts
    }

    #[test]
    fn decorated_jobs_that_only_refresh_their_instance_are_noted_apart() {
        let code = "export class Zones {\n  @Cron(CronExpression.EVERY_10_SECONDS)\n  async poll() {\n    if (await this.changed()) {\n      this.reload();\n    }\n  }\n\n  async reload() {\n    this.zones = await this.repo.find();\n  }\n\n  @Interval(60000)\n  async digest() {\n    await this.repo.save(this.zones);\n  }\n}\n";
        let facts = facts_of("src/zones.service.ts", Language::Typescript, code);
        let jobs: Vec<(bool, usize)> = facts
            .code
            .scheduled_jobs
            .iter()
            .map(|(shared, f)| (*shared, f.start.line))
            .collect();
        assert_eq!(jobs, [(false, 2), (true, 13)]);
        assert!(
            facts.code.scheduled_jobs[1]
                .1
                .message
                .contains("`@Interval` on `digest`")
        );
        assert!(facts.code.schedulers.is_empty() && facts.code.scheduler_modules.is_empty());
    }

    #[test]
    fn gofmt_blocks_end_at_their_indentation() {
        let text = b"go func() {\n\tif x {\n\t}\n}()\nnext()\n";
        assert_eq!(block_end(text, 0, b""), 23);
        assert_eq!(&text[block_end(text, 12, b"\t")..][..2], b"\t}");
    }

    #[test]
    fn a_ticker_goroutine_beside_the_router_is_a_scheduler() {
        let router = "package router\n\nfunc Create() *gin.Engine {\n\tg := gin.New()\n\tgo func() {\n\t\tt := time.NewTicker(time.Minute)\n\t\tfor range t.C {\n\t\t\tpurge()\n\t\t}\n\t}()\n\treturn g\n}\n";
        let facts = go_facts("router/router.go", router);
        assert_eq!(facts.code.schedulers.len(), 1);
        assert_eq!(facts.code.schedulers[0].start.line, 6);
        // The same goroutine in a handler file, once per connection, is not.
        let handler = router.replace("gin.New()", "c.Writer");
        assert!(
            go_facts("api/stream.go", &handler)
                .code
                .schedulers
                .is_empty()
        );
    }

    #[test]
    fn ticker_functions_and_the_goroutines_a_server_starts() {
        let jobs = "package app\n\nfunc runQueue(a *App) {\n\tt := time.NewTicker(time.Minute)\n\tfor {\n\t\t<-t.C\n\t}\n}\n\nfunc (c *client) ping() {\n\tfor range time.Tick(time.Second) {\n\t}\n}\n";
        let facts = go_facts("jobs.go", jobs);
        let names: Vec<&str> = facts
            .code
            .go_loops
            .iter()
            .map(|(n, _)| n.as_str())
            .collect();
        assert_eq!(names, ["runQueue", "ping"]);
        assert!(facts.code.go_spawns.is_empty(), "jobs.go starts no server");
        let serve = "package app\n\nfunc Serve(a *App) {\n\tgo runQueue(a)\n\thttp.ListenAndServe(\":\"+port, nil)\n}\n";
        let spawns = go_facts("app.go", serve).code.go_spawns;
        assert_eq!(spawns.get("runQueue").map(String::as_str), Some("app.go"));
    }

    #[test]
    fn a_set_interval_beside_the_server_that_listens() {
        let registry = crate::rules::Registry::builtin().expect("rules load");
        let rule = registry.get("in-process-scheduler").expect("rule");
        let code = "const express = require('express');\nconst app = express();\n\napp.listen(process.env.PORT, () => {\n  setInterval(expire, 1000);\n});\n";
        let file = SourceFile::new(
            "server.js".into(),
            Language::Javascript,
            Role::Source,
            code.into(),
        );
        let mut facts = FileFacts::default();
        let present = crate::detect::keywords_present(&registry, &file);
        let seen = super::Seen::new(&registry, file.language, &present);
        scheduler_facts(rule, &file, &seen, &mut facts);
        assert_eq!(
            facts.code.schedulers.len(),
            1,
            "{:?}",
            String::from_utf8_lossy(&file.masked)
        );
        assert_eq!(facts.code.schedulers[0].start.line, 5);
        assert!(facts.code.schedulers[0].message.contains("(`setInterval`)"));
    }
}
