//! Factor IX, disposability: `npm-start-as-web` (a package manager as the web process
//! does not pass SIGTERM on to node: §1.5, §5 #18) and `no-sigterm-handler` (a Node
//! server or queue worker in a repository whose code never handles SIGTERM).

use super::{bytes_regex, finding_at};
use crate::app::App;
use crate::app::processes::{Origin, runs_start_script};
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

pub fn npm_start_as_web(rule: &Rule, app: &App) -> Vec<Finding> {
    app.processes
        .iter()
        .filter(|c| {
            matches!(c.origin, Origin::Procfile | Origin::Dockerfile)
                && c.is_web()
                && runs_start_script(&c.command)
        })
        .filter_map(|c| {
            let text = app.text(c.file)?;
            let wrapper = c.command.split_whitespace().next().unwrap_or("npm");
            Some(finding_at(
                rule,
                c.file,
                text,
                (c.offset, c.offset + c.command.len()),
                format!("the web process runs through `{wrapper}`, which does not forward SIGTERM to the app"),
            ))
        })
        .collect()
}

/// Notes where a Node file starts a server or a queue worker, and whether it handles
/// SIGTERM itself or through a library that does.
pub fn node_server_facts(rule: &Rule, file: &SourceFile, facts: &mut FileFacts) {
    if !matches!(file.language, Language::Javascript | Language::Typescript)
        || in_browser_folder(&file.rel_path)
    {
        return;
    }
    static HANDLES: OnceLock<regex::bytes::Regex> = OnceLock::new();
    static SERVER: OnceLock<regex::bytes::Regex> = OnceLock::new();
    let handles = HANDLES.get_or_init(|| bytes_regex(
        r"SIGTERM|createTerminus|http-terminator|lightship|close-with-grace|enableShutdownHooks|stoppable",
    ));
    facts.handles_sigterm |= handles.is_match(&file.masked);
    // `.listen(` with a port-like first argument starts a server (event buses also have
    // `.listen('event', ...)`); bullmq's `new Worker('queue', handler)` and bull's
    // `queue.process(handler)` start a queue worker (worker_threads pass options instead).
    let server = SERVER.get_or_init(|| bytes_regex(
        r#"(?P<hit>\.listen\()\s*(?:\d|[\w$.]*(?i:port)\b|process\.env\b|app\.get\(|\{|config\b|settings\b|env\b)|\bnew\s+Worker\(\s*['"`][^'"`]+['"`]\s*,\s*(?:async\b|function\b|\(|\w+\s*=>)|\.process\(\s*(?:['"`]|\d|async\b|function\b)"#,
    ));
    let found = server
        .captures(&file.masked)
        .and_then(|caps| caps.name("hit").or_else(|| caps.get(0)));
    if let Some(m) = found {
        let message =
            "this Node process never handles SIGTERM, so a restart cuts requests and jobs off"
                .to_string();
        facts.server_start =
            Some(rule.finding(&file.rel_path, file.locate(m.start(), m.end()), message));
    }
}

/// Notes where a Go file starts an HTTP server (`ListenAndServe`, gin `Run`, echo
/// `Start`, fiber `Listen`), and whether it shuts down gracefully: `signal.Notify` (or
/// `NotifyContext`) with a `Shutdown` call in the same file, or a library that does both.
pub fn go_server_facts(rule: &Rule, file: &SourceFile, facts: &mut FileFacts) {
    if file.language != Language::Go {
        return;
    }
    static NOTIFY: OnceLock<regex::bytes::Regex> = OnceLock::new();
    static SHUTDOWN: OnceLock<regex::bytes::Regex> = OnceLock::new();
    static SERVER: OnceLock<regex::bytes::Regex> = OnceLock::new();
    let notify = NOTIFY.get_or_init(|| {
        bytes_regex(r"\bsignal\.Notify(?:Context)?\(|fvbock/endless|facebookgo/grace|gin-contrib/graceful|tylerb/graceful|\bgraceful\.")
    });
    let shutdown = SHUTDOWN.get_or_init(|| {
        bytes_regex(r"\.Shutdown(?:WithContext|WithTimeout)?\(|fvbock/endless|facebookgo/grace|gin-contrib/graceful|tylerb/graceful|\bgraceful\.")
    });
    facts.handles_sigterm |= notify.is_match(&file.masked) && shutdown.is_match(&file.masked);
    let server = SERVER.get_or_init(|| {
        bytes_regex(r#"\b(?P<hit>(?:http\.)?ListenAndServe(?:TLS)?)\(|\b(?:r|router|engine|app|server|srv|g|e)\.(?P<run>Run)\(\s*(?:"[^"]*:|\w*(?i:addr|port)\w*\s*\)|fmt\.Sprintf|\)|":"\s*\+)|\b\w+\.(?P<start>Start|Listen)\(\s*(?:"[^"]*:\d*"|\w*(?i:addr|port)\w*\s*\)|fmt\.Sprintf|":"\s*\+)"#)
    });
    let found = server.captures(&file.masked).and_then(|caps| {
        caps.name("hit")
            .or_else(|| caps.name("run"))
            .or_else(|| caps.name("start"))
    });
    if let Some(m) = found {
        let message =
            "this Go server never handles SIGTERM with `Shutdown`, so a restart cuts requests off"
                .to_string();
        facts.server_start =
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

pub fn no_sigterm_handler(_rule: &Rule, app: &App) -> Vec<Finding> {
    let facts = &app.inventory;
    // Only a Node app (a root package.json) or a Go module (a root go.mod) is judged: a
    // lone script is not a service.
    let go_server = facts
        .server_start
        .as_ref()
        .is_some_and(|f| f.file.ends_with(".go"));
    let judged = if go_server {
        facts.has("go.mod")
    } else {
        facts.has("package.json") && !framework_server(app)
    };
    if facts.handles_sigterm || !judged {
        return Vec::new();
    }
    facts.server_start.iter().cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::in_browser_folder;

    #[test]
    fn browser_folders() {
        assert!(in_browser_folder("public/js/app.js"));
        assert!(in_browser_folder("resources/assets/js/main.ts"));
        assert!(!in_browser_folder("src/server.js"));
        assert!(!in_browser_folder("public.js"));
    }
}
