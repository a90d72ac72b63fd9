//! Factor VIII, `daemonized-start`: a start command that puts the app in the background
//! (`pm2 start`, `forever start`, `nohup`, a trailing `&`) returns at once, so the host
//! sees the process exit and can neither supervise nor scale it.

use super::{on_start_commands, regex};
use crate::app::App;
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
