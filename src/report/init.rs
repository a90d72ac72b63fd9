//! `twelve init`'s plan as text: each missing file with its contents, then the
//! environment to set and the notes.

use crate::hosts::Host;
use crate::hosts::init::Plan;
use std::fmt::Write as _;

/// The plan as text: each file with its contents, then the environment and notes.
pub fn render(host: Host, plan: &Plan) -> String {
    let mut out = format!("# twelve init --platform {}\n", host.id());
    if plan.files.is_empty() && plan.env.is_empty() {
        out.push_str("\nno deployment file is missing\n");
    }
    for (path, contents) in &plan.files {
        let _ = write!(out, "\n## {path} (missing)\n\n{contents}");
    }
    if !plan.env.is_empty() {
        out.push_str("\n## environment variables to set\n\n");
        for (name, value) in &plan.env {
            let quoted = format!("'{}'", value.replace('\'', r"'\''"));
            let _ = writeln!(out, "clever env set {name} {quoted}");
        }
    }
    if !plan.notes.is_empty() {
        out.push_str("\n## notes\n\n");
        for note in &plan.notes {
            let _ = writeln!(out, "- {note}");
        }
    }
    out
}
