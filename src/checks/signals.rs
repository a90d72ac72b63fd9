//! Factor IX, disposability: `npm-start-as-web` (a package manager as the web process
//! does not pass SIGTERM on to node: §1.5, §5 #18) and `no-sigterm-handler` (a Node
//! server or queue worker in a repository whose code never handles SIGTERM).

use super::{Gate, Seen, bytes_regex, finding_at};
use crate::app::App;
use crate::app::command::segments;
use crate::app::processes::{Origin, runs_dev_server, runs_start_script, scripts_run_by};
use crate::classify::Language;
use crate::finding::Finding;
use crate::repo::FileFacts;
use crate::rules::Rule;
use crate::source::SourceFile;
use std::sync::OnceLock;

/// `heavy-boot`: the web start command (or its start script) downloads files or sleeps
/// before the server starts, which delays every boot and scale-up.
pub fn heavy_boot(rule: &Rule, app: &App) -> Vec<Finding> {
    let heavy = super::regex(
        r"^(?:(?:curl|wget)\b.*(?:\s-[a-zA-Z]*[oO]\b|\s--output\b|\s>)|aws\s+s3\s+(?:cp|sync)\b|gsutil\s+(?:-m\s+)?(?:cp|rsync)\b|rclone\s+(?:copy|sync)\b|python3?\s+-m\s+(?:nltk\.downloader|spacy\s+download)\b|sleep\s+(?:[1-9]\d+|[1-9]\d*m)\b)",
    );
    let commands = super::admin::web_commands_and_scripts(app);
    super::on_commands(rule, app, commands, |_, segments, i| {
        let chained = i + 1 < segments.len();
        (chained && heavy.is_match(segments[i].text)).then(|| {
            format!(
                "the web process does slow work before serving (`{}`)",
                segments[i].text
            )
        })
    })
}

/// `broken-signal-trap`: a start script's `trap` that forwards the shutdown signal with
/// `kill`/`pkill` given a bare signal name (`pkill SIGTERM -P $$`): without its dash the
/// name is read as a process id or pattern, so the children are never signalled.
pub fn broken_signal_trap(rule: &Rule, app: &App) -> Vec<Finding> {
    let trap = super::regex(
        r#"^trap\s+["']?(?:[^"']*?\s)?(?P<kill>(?:pkill|kill|killall)\s+(?:SIG)?(?:TERM|INT|HUP|QUIT|KILL|USR1|USR2)\b)"#,
    );
    let scripts = app
        .processes
        .iter()
        .filter(|p| p.origin == Origin::StartScript);
    super::on_commands(rule, app, scripts, |_, segments, i| {
        let caps = trap.captures(segments[i].text)?;
        Some(format!(
            "the trap runs `{}`, which reads the signal name as a process to match, not as the signal to send",
            &caps["kill"]
        ))
    })
}

pub fn npm_start_as_web(rule: &Rule, app: &App) -> Vec<Finding> {
    app.processes
        .iter()
        .filter(|c| {
            matches!(c.origin, Origin::Procfile | Origin::Dockerfile)
                && c.is_web()
                && (runs_start_script(&c.command) || serves_through_script(app, &c.command))
        })
        .filter_map(|c| {
            // corepack only picks the package manager's version and runs it in its own
            // process: the package manager after it is the one that holds the signal.
            let wrapper = c
                .command
                .split_whitespace()
                .find(|w| *w != "corepack")
                .unwrap_or("npm");
            // npm (since 3.8.1) and pnpm pass SIGTERM on to the script they run; in a
            // Procfile the host's shell, not them, is PID 1, so only yarn, which keeps the
            // signal, leaves node unwarned there. In an image they are PID 1 themselves.
            if c.origin == Origin::Procfile && wrapper != "yarn" {
                return None;
            }
            let text = app.text(&c.file)?;
            Some(finding_at(
                rule,
                &c.file,
                text,
                (c.offset, c.offset + c.command.len()),
                format!("the web process runs through `{wrapper}`, which does not forward SIGTERM to the app"),
            ))
        })
        .collect()
}

/// Whether the command's server, its last simple command in the foreground, is a
/// package.json script run by a package manager (`yarn start:prod`, `npm run serve`):
/// one chained before it (`npm run migrate && node server.js`) exits and hands over.
fn serves_through_script(app: &App, command: &str) -> bool {
    let parts = segments(command);
    parts
        .iter()
        .rev()
        .find(|s| !s.background)
        .is_some_and(|last| {
            let text = last.text.strip_prefix("corepack ").unwrap_or(last.text);
            let scripts = scripts_run_by(&app.manifests, text);
            // A development server there is `dev-server-start`'s finding, on the script.
            !scripts.is_empty()
                && !scripts.iter().any(|(_, s)| {
                    segments(&s.command)
                        .iter()
                        .any(|seg| runs_dev_server(&s.command, seg.text))
                })
        })
}

/// Notes where a Node file starts a server or a queue worker, whether it handles
/// SIGTERM itself or through a library that does, and a handler left in a comment.
pub fn node_server_facts(rule: &Rule, file: &SourceFile, seen: &Seen, facts: &mut FileFacts) {
    if !matches!(file.language, Language::Javascript | Language::Typescript)
        || in_browser_folder(&file.rel_path)
    {
        return;
    }
    static HANDLES: OnceLock<regex::bytes::Regex> = OnceLock::new();
    static HANDLER: OnceLock<regex::bytes::Regex> = OnceLock::new();
    static SERVER: OnceLock<regex::bytes::Regex> = OnceLock::new();
    let handles = HANDLES.get_or_init(|| bytes_regex(
        r"SIGTERM|createTerminus|http-terminator|lightship|close-with-grace|enableShutdownHooks|stoppable",
    ));
    facts.code.handles_sigterm |= seen.any(Gate::NodeSigterm) && handles.is_match(&file.masked);
    static OTHER: OnceLock<regex::bytes::Regex> = OnceLock::new();
    let other = OTHER.get_or_init(|| {
        bytes_regex(r#"\bprocess\.(?:on|once|addListener)\(\s*['"`](?:SIGINT|SIGHUP|SIGUSR2)['"`]"#)
    });
    if seen.any(Gate::NodeOtherSignal)
        && let Some(m) = other.find(&file.masked)
    {
        note_other_signal(rule, file, m, facts);
    }
    // Code that installs a handler, as opposed to prose that mentions the signal.
    let handler = HANDLER.get_or_init(|| bytes_regex(
        r#"\bprocess\.(?:on|once|addListener)\(\s*['"`]SIGTERM|\bcreateTerminus\(|\.enableShutdownHooks\(|\bcloseWithGrace\("#,
    ));
    note_commented_out(rule, file, handler, facts);
    // `.listen(` with a port-like first argument starts a server (event buses also have
    // `.listen('event', ...)`); bullmq's `new Worker('queue', handler)` and bull's
    // `queue.process(handler)` start a queue worker (worker_threads pass options instead).
    let server = SERVER.get_or_init(|| bytes_regex(
        r#"(?P<hit>\.listen\()\s*(?:\d|[\w$.]*(?i:port)\b|process\.env\b|app\.get\(|\{|config\b|settings\b|env\b)|\bnew\s+Worker\(\s*['"`][^'"`]+['"`]\s*,\s*(?:async\b|function\b|\(|\w+\s*=>)|\.process\(\s*(?:['"`]|\d|async\b|function\b)"#,
    ));
    if seen.any(Gate::NodeServer) {
        note_server_start(rule, file, server, facts);
    }
}

/// Notes where a Go file starts an HTTP server (`ListenAndServe`, gin `Run`, echo
/// `Start`, fiber `Listen`), whether it catches SIGTERM (`signal.Notify`, or a library
/// that restarts gracefully), and a `signal.Notify` or `Shutdown` left in a comment.
pub fn go_server_facts(rule: &Rule, file: &SourceFile, seen: &Seen, facts: &mut FileFacts) {
    if file.language != Language::Go {
        return;
    }
    static NOTIFY: OnceLock<regex::bytes::Regex> = OnceLock::new();
    static HANDLER: OnceLock<regex::bytes::Regex> = OnceLock::new();
    static SERVER: OnceLock<regex::bytes::Regex> = OnceLock::new();
    // A `signal.Notify` call with its signals (none: every signal), or a library that
    // restarts gracefully.
    let notify = NOTIFY.get_or_init(|| {
        bytes_regex(r"\bsignal\.Notify(?:Context)?\((?P<args>[^()]*(?:\([^()]*\)[^()]*)*)\)|fvbock/endless|facebookgo/grace|gin-contrib/graceful|tylerb/graceful|\bgraceful\.")
    });
    if seen.any(Gate::GoSigterm) {
        for caps in notify.captures_iter(&file.masked) {
            let Some(args) = caps.name("args") else {
                facts.code.handles_sigterm = true;
                continue;
            };
            let signals = args.as_bytes().split(|b| *b == b',').skip(1);
            let named: Vec<&[u8]> = signals
                .map(|s| s.trim_ascii())
                .filter(|s| !s.is_empty())
                .collect();
            if named.is_empty() || named.iter().any(|s| s.ends_with(b"SIGTERM")) {
                facts.code.handles_sigterm = true;
            } else {
                note_other_signal(rule, file, caps.get(0).expect("match"), facts);
            }
        }
    }
    let handler = HANDLER.get_or_init(|| {
        bytes_regex(r"\bsignal\.Notify(?:Context)?\(|\.Shutdown(?:WithContext|WithTimeout)?\(")
    });
    note_commented_out(rule, file, handler, facts);
    let server = SERVER.get_or_init(|| {
        bytes_regex(r#"\b(?P<hit>(?:http\.)?ListenAndServe(?:TLS)?)\(|\b(?:r|router|engine|app|server|srv|g|e)\.(?P<run>Run)\(\s*(?:"[^"]*:|\w*(?i:addr|port)\w*\s*\)|fmt\.Sprintf|\)|":"\s*\+)|\b\w+\.(?P<start>Start|Listen)\(\s*(?:"[^"]*:\d*"|\w*(?i:addr|port)\w*\s*\)|fmt\.Sprintf|":"\s*\+)"#)
    });
    if seen.any(Gate::GoServer) {
        note_server_start(rule, file, server, facts);
    }
}

/// Notes the first match of `server` (its `hit`, `run` or `start` group, or the whole
/// match) as where the file starts a long-running server.
fn note_server_start(
    rule: &Rule,
    file: &SourceFile,
    server: &regex::bytes::Regex,
    facts: &mut FileFacts,
) {
    let found = server.captures(&file.masked).and_then(|caps| {
        ["hit", "run", "start"]
            .iter()
            .find_map(|g| caps.name(g))
            .or_else(|| caps.get(0))
    });
    if let Some(m) = found {
        facts.code.server_start = Some(rule.finding(
            &file.rel_path,
            file.locate(m.start(), m.end()),
            String::new(),
        ));
    }
}

/// Notes the first `handler` that sits in a comment: the masked copy blanks comments,
/// so a match in the original text whose first byte is blank there was commented out.
fn note_commented_out(
    rule: &Rule,
    file: &SourceFile,
    handler: &regex::bytes::Regex,
    facts: &mut FileFacts,
) {
    let commented = handler
        .find_iter(&file.text)
        .find(|m| file.masked.get(m.start()) != file.text.get(m.start()));
    if let Some(m) = commented
        && facts.code.shutdown_commented_out.is_none()
    {
        let message = "the SIGTERM handling here is commented out and no other code handles it, so a restart cuts requests and jobs off".to_string();
        facts.code.shutdown_commented_out =
            Some(rule.finding(&file.rel_path, file.locate(m.start(), m.end()), message));
    }
}

/// Notes the first shutdown wired to a signal other than SIGTERM.
fn note_other_signal(
    rule: &Rule,
    file: &SourceFile,
    m: regex::bytes::Match,
    facts: &mut FileFacts,
) {
    if facts.code.shutdown_on_other_signal.is_none() {
        let message = "the graceful shutdown here waits for another signal, not the SIGTERM the host sends, so a restart kills the process with requests and jobs in flight".to_string();
        facts.code.shutdown_on_other_signal =
            Some(rule.finding(&file.rel_path, file.locate(m.start(), m.end()), message));
    }
}

/// Whether the web process is a framework's own server, which handles SIGTERM itself.
fn framework_server(app: &App) -> bool {
    const SERVERS: &[&str] = &[
        "next start",
        ".next/standalone",
        "nuxt start",
        ".output/server",
        "remix-serve",
        "react-router-serve",
    ];
    let start = app.manifests.package().and_then(|p| p.script("start"));
    app.processes
        .iter()
        .map(|p| p.command.as_str())
        .chain(start)
        .any(|c| SERVERS.iter().any(|s| c.contains(s)))
}

/// Folders that hold code for the browser, not the server.
pub(super) fn in_browser_folder(path: &str) -> bool {
    const BROWSER: &[&str] = &[
        "public",
        "static",
        "assets",
        "resources",
        "www",
        "client",
        "frontend",
        "javascript",
        "web_modules",
    ];
    path.split('/')
        .rev()
        .skip(1)
        .any(|dir| BROWSER.contains(&dir))
}

/// Reports a long-running Node or Go server only on explicit evidence that it drops
/// work on SIGTERM: its graceful shutdown left in a comment or wired to another signal
/// (SIGINT, SIGHUP), with no code that handles SIGTERM. A plain `listen` is not evidence: how much a restart cuts off depends on
/// traffic and on the host's routing, which the code does not show.
pub fn no_sigterm_handler(_rule: &Rule, app: &App) -> Vec<Finding> {
    let facts = &app.inventory;
    let evidence = facts
        .code
        .shutdown_commented_out
        .as_ref()
        .or(facts.code.shutdown_on_other_signal.as_ref());
    let (Some(start), Some(evidence)) = (&facts.code.server_start, evidence) else {
        return Vec::new();
    };
    // Only a Node app (a root package.json) or a Go module (a root go.mod) is judged: a
    // lone script is not a service.
    let judged = if start.file.ends_with(".go") {
        facts.has("go.mod")
    } else {
        facts.has("package.json") && !framework_server(app)
    };
    if facts.code.handles_sigterm || !judged {
        return Vec::new();
    }
    vec![evidence.clone()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::Role;

    fn facts_of(path: &str, language: Language, code: &str) -> FileFacts {
        let registry = crate::rules::Registry::builtin().expect("rules load");
        let rule = registry.get("no-sigterm-handler").expect("rule");
        let file = SourceFile::new(path.into(), language, Role::Source, code.into());
        let mut facts = FileFacts::default();
        let present = crate::detect::keywords_present(&registry, &file);
        let seen = super::Seen::new(&registry, file.language, &present);
        node_server_facts(rule, &file, &seen, &mut facts);
        go_server_facts(rule, &file, &seen, &mut facts);
        facts
    }

    #[test]
    fn a_handler_in_a_comment_is_noted_prose_is_not() {
        let commented = facts_of(
            "server.js",
            Language::Javascript,
            "app.listen(port);\n// process.on('SIGTERM', () => server.close());\n",
        );
        let found = commented
            .code
            .shutdown_commented_out
            .expect("commented handler");
        assert_eq!(found.start.line, 2);
        assert!(!commented.code.handles_sigterm);
        assert!(commented.code.server_start.is_some());
        let prose = facts_of(
            "server.js",
            Language::Javascript,
            "// the host sends SIGTERM, then SIGKILL\napp.listen(port);\n",
        );
        assert!(prose.code.shutdown_commented_out.is_none());
        let go = facts_of(
            "main.go",
            Language::Go,
            "func main() {\n\t// go func() { <-stop; srv.Shutdown(ctx) }()\n\tsrv.ListenAndServe()\n}\n",
        );
        assert!(go.code.shutdown_commented_out.is_some());
        let handled = facts_of(
            "main.go",
            Language::Go,
            "signal.Notify(c, syscall.SIGTERM)\n// srv.Shutdown(ctx)\nhttp.ListenAndServe(addr, nil)\n",
        );
        assert!(handled.code.handles_sigterm);
        let reload_only = facts_of(
            "main.go",
            Language::Go,
            "signal.Notify(chReload, syscall.SIGHUP)\n<-chReload\nsrv.Shutdown(ctx)\nhttp.ListenAndServe(addr, nil)\n",
        );
        assert!(!reload_only.code.handles_sigterm);
        let other = reload_only
            .code
            .shutdown_on_other_signal
            .expect("other signal");
        assert_eq!(other.start.line, 1);
        for all in [
            "signal.Notify(c, os.Interrupt,\n\tsyscall.SIGTERM)\n",
            "signal.Notify(c)\n",
        ] {
            let facts = facts_of("main.go", Language::Go, all);
            assert!(facts.code.handles_sigterm, "{all}");
            assert!(facts.code.shutdown_on_other_signal.is_none(), "{all}");
        }
        let node = facts_of(
            "server.js",
            Language::Javascript,
            "const server = app.listen(port);\nprocess.on('SIGINT', () => server.close());\n",
        );
        assert!(!node.code.handles_sigterm);
        assert!(node.code.shutdown_on_other_signal.is_some());
    }

    #[test]
    fn browser_folders() {
        assert!(in_browser_folder("public/js/app.js"));
        assert!(in_browser_folder("resources/assets/js/main.ts"));
        assert!(!in_browser_folder("src/server.js"));
        assert!(!in_browser_folder("public.js"));
    }
}
