//! Factor VIII, how a start command runs its processes. `daemonized-start`: a start
//! command that puts the app in the background (`pm2 start`, `forever start`, `nohup`, a
//! trailing `&`) returns at once, so the host sees the process exit and can neither
//! supervise nor scale it. `process-manager-start`: a process manager as the start
//! command (`honcho start`, `supervisord`), or a start script that puts servers in the
//! background and waits, runs several processes in one container that the host cannot
//! scale apart.

use super::{on_commands, on_start_commands, regex};
use crate::app::App;
use crate::app::processes::{Kind, Origin};
use crate::finding::Finding;
use crate::rules::Rule;

pub fn daemonized_start(rule: &Rule, app: &App) -> Vec<Finding> {
    let daemon = regex(
        r"^(?:pm2\s+(?:start|restart|reload)\b|forever\s+start\b|(?:gunicorn|celery|uwsgi)\s.*(?:--daemon\b|\s-D\b)|start-stop-daemon\b|service\s+\S+\s+start\b)",
    );
    let foreground = regex(r"--no-daemon\b");
    on_start_commands(rule, app, false, |_, segments, i| {
        let seg = &segments[i];
        if seg.background {
            return Some(format!(
                "the start command runs `{}` in the background with `&`",
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

pub fn process_manager_start(rule: &Rule, app: &App) -> Vec<Finding> {
    // By name or by path (`/usr/bin/supervisord -c /etc/supervisor.d/app.ini`).
    let manager = regex(
        r"^(?:[\w.-]*/)*(?:honcho\s+(?:.*\s)?start\b|supervisord\b|foreman\s+start\b|forego\s+start\b|overmind\s+(?:start|s)\b|circusd\b)",
    );
    let commands = app.processes.iter().filter(|p| p.kind != Kind::Build);
    on_commands(rule, app, commands, |process, segments, i| {
        let seg = &segments[i];
        if manager.is_match(seg.text) {
            return Some(format!(
                "the start command runs a process manager (`{}`) that keeps several processes in one container",
                seg.text
            ));
        }
        // In a start script the shell carries on after `&`: it is the process manager.
        (process.origin == Origin::StartScript && seg.background).then(|| {
            format!(
                "the start script runs `{}` in the background beside the other processes of the container",
                seg.text
            )
        })
    })
}
