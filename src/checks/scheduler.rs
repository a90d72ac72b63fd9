//! Factor VIII, `in-process-scheduler`: a scheduler started inside the app runs once per
//! web container (§5 #11). A scheduler in its own entry point, declared as a non-web
//! Procfile process (`clock: node clock.js`), is the twelve-factor way and is not flagged.

use super::{Gate, PerLanguage, Seen, bytes_regex, per_language};
use crate::app::App;
use crate::app::processes::{Kind, Origin};
use crate::classify::Language;
use crate::finding::Finding;
use crate::repo::FileFacts;
use crate::rules::Rule;
use crate::source::SourceFile;
use regex::bytes::Regex;
use std::sync::LazyLock;

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
        facts
            .schedulers
            .push(rule.finding(&file.rel_path, file.locate(start, m.end()), message));
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
            facts.go_loops.push((name, found));
        }
    }
    if !seen.any(Gate::GoServerSetup) || !GO_SERVER_SETUP.is_match(text) {
        return;
    }
    if tickers && web_loop(file, seen).is_none() {
        let goroutines = GO_FUNC.captures_iter(text).filter_map(|caps| {
            let (whole, indent) = (caps.get(0)?, caps.get(1)?);
            ticker(whole.end(), block_end(text, whole.end(), indent.as_bytes()))
        });
        facts.schedulers.extend(goroutines.take(1));
    }
    for caps in GO_CALL.captures_iter(text) {
        if let Some(name) = caps.get(1) {
            let name = String::from_utf8_lossy(name.as_bytes()).into_owned();
            facts
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
    // Ticker loops that a server file starts with `go name(...)`.
    let spawned = facts.go_loops.iter().filter_map(|(name, found)| {
        let by = facts.go_spawns.get(name)?;
        let mut found = found.clone();
        found.message = found
            .message
            .replacen(" loop)", &format!(" loop started by {by})"), 1);
        Some(found)
    });
    let mut findings: Vec<Finding> = facts
        .schedulers
        .iter()
        .cloned()
        .chain(spawned)
        .filter(|f| !own_process(&f.file))
        .collect();
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings.dedup_by(|a, b| a.file == b.file && a.start.line == b.start.line);
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::Role;

    fn go_facts(path: &str, code: &str) -> FileFacts {
        let registry = crate::rules::Registry::builtin().expect("rules load");
        let rule = registry.get("in-process-scheduler").expect("rule");
        let file = SourceFile::new(path.into(), Language::Go, Role::Source, code.into());
        let mut facts = FileFacts::default();
        let present = crate::detect::keywords_present(&registry, &file);
        let seen = super::Seen::new(&registry, file.language, &present);
        scheduler_facts(rule, &file, &seen, &mut facts);
        facts
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
        assert_eq!(facts.schedulers.len(), 1);
        assert_eq!(facts.schedulers[0].start.line, 6);
        // The same goroutine in a handler file, once per connection, is not.
        let handler = router.replace("gin.New()", "c.Writer");
        assert!(go_facts("api/stream.go", &handler).schedulers.is_empty());
    }

    #[test]
    fn ticker_functions_and_the_goroutines_a_server_starts() {
        let jobs = "package app\n\nfunc runQueue(a *App) {\n\tt := time.NewTicker(time.Minute)\n\tfor {\n\t\t<-t.C\n\t}\n}\n\nfunc (c *client) ping() {\n\tfor range time.Tick(time.Second) {\n\t}\n}\n";
        let facts = go_facts("jobs.go", jobs);
        let names: Vec<&str> = facts.go_loops.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["runQueue", "ping"]);
        assert!(facts.go_spawns.is_empty(), "jobs.go starts no server");
        let serve = "package app\n\nfunc Serve(a *App) {\n\tgo runQueue(a)\n\thttp.ListenAndServe(\":\"+port, nil)\n}\n";
        let spawns = go_facts("app.go", serve).go_spawns;
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
            facts.schedulers.len(),
            1,
            "{:?}",
            String::from_utf8_lossy(&file.masked)
        );
        assert_eq!(facts.schedulers[0].start.line, 5);
        assert!(facts.schedulers[0].message.contains("(`setInterval`)"));
    }
}
