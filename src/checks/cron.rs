//! Factor VIII, the hosts' schedulers: `scalingo-cron-limits` (Scalingo's `cron.json`
//! allows at most 5 jobs, none more often than every 10 minutes, else the deploy fails:
//! §1.8, §5 #12) and `clever-cron-relative-command` (Clever Cloud's `clevercloud/cron.json`
//! needs absolute commands and refuses `@reboot`: §2.8, §5 #13).

use super::finding_at;
use crate::app::App;
use crate::app::cron::minute_gap;
use crate::app::ok;
use crate::finding::Finding;
use crate::rules::Rule;

pub fn scalingo_cron_limits(rule: &Rule, app: &App) -> Vec<Finding> {
    let (Some(bytes), Some(Some(jobs))) = (app.text("cron.json"), ok(&app.manifests.scalingo_cron))
    else {
        return Vec::new();
    };
    let mut findings = Vec::new();
    let mut report = |span, message: String| {
        findings.push(finding_at(rule, "cron.json", bytes, span, message));
    };
    if jobs.len() > 5 {
        // The count is the array's, not one job's: report at the `jobs` key.
        let key = bytes.windows(6).position(|w| w == b"\"jobs\"");
        report(
            key.map_or(jobs[5].span, |at| (at, at + 6)),
            format!(
                "cron.json declares {} jobs, Scalingo runs at most 5",
                jobs.len()
            ),
        );
    }
    for job in jobs {
        if job.is_shortcut() {
            report(
                job.span,
                format!(
                    "`{}` is an `@` shortcut, which Scalingo's scheduler refuses",
                    job.minute_field()
                ),
            );
        } else if let Some(gap) = minute_gap(job.minute_field()).filter(|g| *g < 10) {
            report(
                job.span,
                format!(
                    "this cron job runs every {gap} minute(s), Scalingo's minimum interval is 10 minutes"
                ),
            );
        }
    }
    findings
}

/// Interpreters whose first argument is the script they run.
const INTERPRETERS: &[&str] = &[
    "python", "python3", "node", "ruby", "php", "bash", "sh", "perl",
];

/// The script an absolute interpreter is given by a relative path
/// (`/home/bas/venv/bin/python check_newsletter.py`): a path with a folder or a script's
/// extension. Options come first; `-m` and `-c` run a module or a string, not a file.
fn relative_script<'a>(program: &str, args: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let name = program.rsplit('/').next().unwrap_or(program);
    let name = name.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    if !INTERPRETERS.contains(&name) {
        return None;
    }
    let mut args = args.skip_while(|a| a.starts_with('-') && !matches!(*a, "-m" | "-c"));
    let script = args.next()?;
    let is_path = script.contains('/')
        || [".py", ".js", ".mjs", ".rb", ".php", ".sh", ".pl"]
            .iter()
            .any(|ext| script.ends_with(ext));
    (is_path && !script.starts_with(['/', '-', '$', '~'])).then_some(script)
}

pub fn clever_cron_relative_command(rule: &Rule, app: &App) -> Vec<Finding> {
    let file = "clevercloud/cron.json";
    let (Some(bytes), Some(entries)) = (app.text(file), ok(&app.manifests.clever_cron)) else {
        return Vec::new();
    };
    let mut findings = Vec::new();
    for entry in entries {
        let mut words = entry.command().split_whitespace();
        let command = words.next().unwrap_or("");
        let message = if entry.minute_field() == "@reboot" {
            "Clever Cloud does not allow `@reboot` in clevercloud/cron.json".to_string()
        } else if command.starts_with('/') || command.starts_with("$ROOT") {
            match relative_script(command, words) {
                Some(script) => format!(
                    "the cron command runs `{script}` by a relative path; Clever Cloud runs it from no known directory"
                ),
                None => continue,
            }
        } else {
            format!(
                "the cron command `{command}` is not an absolute path; Clever Cloud runs it from no known directory"
            )
        };
        findings.push(finding_at(rule, file, bytes, entry.span, message));
    }
    findings
}
