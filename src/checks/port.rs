//! Factor VII, where a server started by a start command listens. `server-default-port`:
//! with no port option, its own default (uvicorn's 8000, FrankenPHP's 80);
//! `other-port-variable`: a port from another variable (`--port $API_PORT`). Neither is
//! the `PORT` the host gives, so the router does not reach the app until that changes.
//! `image-proxy-port`: the nginx an image runs listens on a port written in its config.

use super::{finding_at, on_commands_within, regex};
use crate::app::App;
use crate::app::processes::{Process, production_images};
use crate::app::settings::masked;
use crate::finding::Finding;
use crate::repo::is_nginx_conf;
use crate::rules::Rule;
use regex::Regex;
use std::sync::LazyLock;

/// A server that does not read `PORT`: how it starts, the options that choose where it
/// listens, the variable it reads instead, and where it listens by default.
struct Server {
    program: &'static str,
    start: &'static str,
    options: &'static str,
    variable: Option<&'static str>,
    default: &'static str,
}

/// Servers whose default port ignores `PORT` (each from its own documentation); gunicorn,
/// Puma, `rails server`, `next start`, `serve` and `http-server` read `PORT` and are not
/// here. `flask run` is also `dev-server-start`'s (a development server), but the port is
/// a fault of its own: it stays on 5000 when the dev server is swapped for gunicorn.
const SERVERS: &[Server] = &[
    Server {
        program: "flask run",
        // Options before the subcommand (`flask --app wsgi run`) are the CLI's own.
        start: r"^(?:python3?\s+-m\s+)?flask\s+(?:-[\w-]+(?:[=\s]+[^\s-]\S*)?\s+)*run\b",
        options: r"\s(?:--port|-p)\b",
        variable: Some("FLASK_RUN_PORT"),
        default: "5000",
    },
    Server {
        program: "uvicorn",
        start: r"^(?:python3?\s+-m\s+)?uvicorn\b",
        options: r"\s--(?:port|fd|uds)\b",
        variable: Some("UVICORN_PORT"),
        default: "8000",
    },
    Server {
        program: "hypercorn",
        start: r"^(?:python3?\s+-m\s+)?hypercorn\b",
        options: r"\s(?:--bind|-b|--config|-c)\b",
        variable: None,
        default: "127.0.0.1:8000",
    },
    Server {
        program: "daphne",
        start: r"^(?:python3?\s+-m\s+)?daphne\b",
        options: r"\s(?:--port|-p|--unix-socket|-u|--fd|--endpoint|-e)\b",
        variable: None,
        default: "127.0.0.1:8000",
    },
    Server {
        program: "waitress-serve",
        start: r"^waitress-serve\b",
        options: r"\s--(?:port|listen|unix-socket)\b",
        variable: None,
        default: "8080",
    },
    Server {
        program: "granian",
        start: r"^granian\b",
        options: r"\s--(?:port|uds)\b",
        variable: Some("GRANIAN_PORT"),
        default: "8000",
    },
    Server {
        program: "streamlit",
        start: r"^(?:python3?\s+-m\s+)?streamlit\s+run\b",
        options: r"\s--server\.port\b",
        variable: Some("STREAMLIT_SERVER_PORT"),
        default: "8501",
    },
    Server {
        program: "frankenphp php-server",
        start: r"^(?:\S*/)?frankenphp\s+php-server\b",
        options: r"\s(?:--listen|-l)\b",
        variable: None,
        default: "80",
    },
    Server {
        program: "python -m http.server",
        start: r"^python3?\s+-m\s+http\.server\b",
        // Its port is the first word that is not an option.
        options: r"\s(?:\d+|\$)",
        variable: None,
        default: "8000",
    },
];

pub fn server_default_port(rule: &Rule, app: &App) -> Vec<Finding> {
    static COMPILED: LazyLock<Vec<(Regex, Regex)>> = LazyLock::new(|| {
        SERVERS
            .iter()
            .map(|s| (regex(s.start), regex(s.options)))
            .collect()
    });
    on_web_servers(rule, app, |_, file, text| {
        let (server, _) = SERVERS
            .iter()
            .zip(COMPILED.iter())
            .find(|(_, (start, options))| start.is_match(text) && !options.is_match(text))?;
        if server
            .variable
            .is_some_and(|v| file.contains(v) || app.env.declares(v))
        {
            return None;
        }
        Some((
            format!(
                "`{}` starts with no port option and listens on its default {}, which ignores `PORT` (`{text}`)",
                server.program, server.default
            ),
            None,
        ))
    })
}

/// `other-port-variable`: the server's port option reads another variable than `PORT`
/// (`--port $PREFECT_SERVER_API_PORT`), unless the start file or the declared
/// environment sets it from `PORT`.
pub fn other_port_variable(rule: &Rule, app: &App) -> Vec<Finding> {
    // A port option fed by a variable: `--port $API_PORT`, `-b 0.0.0.0:${APP_PORT}`; in
    // `--bind ${HOST}:${PORT}` the host's variable comes first and the port's after it.
    static FROM_VARIABLE: LazyLock<Regex> = LazyLock::new(|| {
        regex(
            r#"\s(?:--port|-p|--bind|-b|--listen|-l)[\s=]+["']?(?:(?:[\w.\[\]]*|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?):)?\$\{?(?P<var>[A-Za-z_][A-Za-z0-9_]*)"#,
        )
    });
    static ANY_SERVER: LazyLock<Regex> = LazyLock::new(|| {
        regex(
            r"^(?:python3?\s+-m\s+)?(?:uvicorn|hypercorn|daphne|waitress-serve|granian|gunicorn|(?:\S*/)?frankenphp|streamlit|puma|(?:bin/)?rails\s+s(?:erver)?|flask\s+(?:.*\s)?run)\b",
        )
    });
    on_web_servers(rule, app, |_, file, text| {
        if !ANY_SERVER.is_match(text) {
            return None;
        }
        let caps = FROM_VARIABLE.captures(text)?;
        let var = &caps["var"];
        let from_port = assigned_from_port(file, var)
            || app
                .env
                .get(var)
                .and_then(|v| v.value.as_deref())
                .is_some_and(reads_port);
        let option = caps.get(0)?;
        (var != "PORT" && !from_port).then(|| {
            (
                format!("the web server listens on `${var}`, not on the `PORT` the host gives"),
                Some((option.start() + 1, option.end())),
            )
        })
    })
}

/// Runs `judge` on each simple command of the web start commands and scripts, with the
/// text of the file it is written in (lossy UTF-8).
fn on_web_servers(
    rule: &Rule,
    app: &App,
    judge: impl Fn(&Process, &str, &str) -> Option<(String, Option<(usize, usize)>)>,
) -> Vec<Finding> {
    let web = app.processes.iter().filter(|p| p.is_web());
    on_commands_within(rule, app, web, |process, segments, i| {
        let file = String::from_utf8_lossy(app.text(&process.file).unwrap_or_default());
        judge(process, &file, segments[i].text)
    })
}

/// Whether a value reads the host's `PORT` (`$PORT`, `${PORT:-8000}`).
fn reads_port(value: &str) -> bool {
    static PORT: LazyLock<Regex> = LazyLock::new(|| regex(r"\$\{?PORT\b"));
    PORT.is_match(value)
}

/// Whether the file sets `var` from `PORT` (`API_PORT=$PORT`, `ENV API_PORT=${PORT}`,
/// `export API_PORT="${PORT:-8000}"`).
fn assigned_from_port(file: &str, var: &str) -> bool {
    file.match_indices(var).any(|(at, _)| {
        let rest = &file[at + var.len()..];
        rest.strip_prefix('=')
            .or_else(|| rest.strip_prefix(' '))
            .is_some_and(|value| reads_port(value.lines().next().unwrap_or("")))
    })
}

/// `image-proxy-port`: an nginx configuration that a production image copies in (its
/// final stage, not `--from` another stage) listens on a fixed port, and never on the
/// `PORT` the host gives (no `$PORT` in the file for `envsubst` to fill).
pub fn image_proxy_port(rule: &Rule, app: &App) -> Vec<Finding> {
    static LISTEN: LazyLock<Regex> = LazyLock::new(|| {
        regex(r"(?m)^[ \t]*listen[ \t]+(?:(?:\[[^\]\n]*\]|[\w.-]+):)?(?P<port>\d+)\b[^;\n]*;")
    });
    let mut findings: Vec<Finding> = Vec::new();
    for (_, image) in production_images(&app.manifests, &app.inventory) {
        for copy in image.context_copies() {
            for source in copy.sources.iter().map(|s| s.trim_start_matches("./")) {
                if !is_nginx_conf(source) || findings.iter().any(|f| f.file == source) {
                    continue;
                }
                let Some(bytes) = app.inventory.manifest(source) else {
                    continue;
                };
                let text = String::from_utf8_lossy(&masked(source, bytes)).into_owned();
                if text.contains("$PORT") || text.contains("${PORT}") {
                    continue;
                }
                if let Some(caps) = LISTEN.captures(&text)
                    && let Some(port) = caps.name("port")
                {
                    findings.push(finding_at(
                        rule,
                        source,
                        bytes,
                        (port.start(), port.end()),
                        format!(
                            "nginx in the image listens on the fixed port {}, not on the `PORT` the host gives",
                            port.as_str()
                        ),
                    ));
                }
            }
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_variable_set_from_port() {
        assert!(assigned_from_port(
            "export API_PORT=\"${PORT:-8000}\"\n",
            "API_PORT"
        ));
        assert!(assigned_from_port("ENV API_PORT $PORT\n", "API_PORT"));
        assert!(!assigned_from_port("API_PORT=4200\nPORT=1\n", "API_PORT"));
    }
}
