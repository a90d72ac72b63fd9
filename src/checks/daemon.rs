//! Factor VIII, `daemonized-start`: a start command that puts the app in the background
//! (`pm2 start`, `forever start`, `nohup`, a trailing `&`) returns at once, so the host
//! sees the process exit and can neither supervise nor scale it. A process manager as
//! the start command (`honcho start`, `supervisord`) or a server put in the background
//! by a start script runs several processes in one container the same way.

use super::{on_commands, regex};
use crate::app::App;
use crate::app::processes::Kind;
use crate::finding::Finding;
use crate::rules::Rule;

pub fn daemonized_start(rule: &Rule, app: &App) -> Vec<Finding> {
    let daemon = regex(
        r"^(?:pm2\s+(?:start|restart|reload)\b|forever\s+start\b|(?:gunicorn|celery|uwsgi)\s.*(?:--daemon\b|\s-D\b)|start-stop-daemon\b|service\s+\S+\s+start\b)",
    );
    let foreground = regex(r"--no-daemon\b");
    let manager = regex(
        r"^(?:honcho\s+(?:.*\s)?start\b|supervisord\b|foreman\s+start\b|forego\s+start\b|overmind\s+(?:start|s)\b|circusd\b)",
    );
    // The start scripts count too: a server put in the background there shares the
    // container with the next one.
    let commands = app.processes.iter().filter(|p| p.kind != Kind::Build);
    on_commands(rule, app, commands, |_, segments, i| {
        let seg = &segments[i];
        if seg.background {
            return Some(format!(
                "the start command runs `{}` in the background with `&`",
                seg.text
            ));
        }
        if manager.is_match(seg.text) {
            return Some(format!(
                "the start command runs a process manager (`{}`) that keeps several processes in one container",
                seg.text
            ));
        }
        (daemon.is_match(seg.text) && !foreground.is_match(seg.text)).then(|| {
            format!(
                "the start command daemonises the app (`{}`) instead of running it in the foreground",
                seg.text
            )
        })
    })
}
