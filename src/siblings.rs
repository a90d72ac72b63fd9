//! `unless_sibling`: findings in a file that a sibling file takes over from. Django's
//! split settings are the case in point: `settings/base.py` holds a development
//! `SECRET_KEY` that `settings/production.py` replaces with one read from the
//! environment, so the base value never reaches production. And `require_near`: findings
//! kept only when what makes them matter sits near the file (`config/cable.yml`'s
//! adapter carries messages only when the app has `app/channels`).

use crate::classify::language_of;
use crate::finding::Finding;
use crate::mask::mask_comments;
use crate::rules::{LazyRegex, Rule};
use std::path::Path;

/// The `findings` of the file at `path`, less those of rules whose `unless_sibling` a
/// file in the same folder meets or whose `require_near` no path meets. Siblings are
/// read only for such findings (rare).
pub fn apply(path: &Path, findings: Vec<Finding>, rules: &[&Rule]) -> Vec<Finding> {
    findings
        .into_iter()
        .filter(|finding| {
            let rule = rules.iter().find(|r| r.id() == finding.rule);
            let near = rule.and_then(|r| r.require_near.as_ref());
            let needed = near.is_none_or(|(files, paths)| {
                !files.is_match(&finding.file)
                    || paths.iter().any(|p| path.with_file_name(p).exists())
            });
            let sibling = rule.and_then(|r| r.unless_sibling.as_ref());
            needed
                && sibling.is_none_or(|(names, regex)| {
                    !names
                        .iter()
                        .filter(|name| path.file_name() != Some(std::ffi::OsStr::new(name)))
                        .any(|name| overrides(&path.with_file_name(name), regex.as_ref()))
                })
        })
        .collect()
}

/// Siblings are settings files; a larger one is not read (nor a FIFO, in a hostile
/// repository).
const SIBLING_MAX: u64 = 1024 * 1024;

/// Whether the file at `sibling` exists and its code (comments masked) matches `regex`,
/// if there is one. An unreadable sibling overrides nothing: the finding stays.
fn overrides(sibling: &Path, regex: Option<&LazyRegex>) -> bool {
    let Some(regex) = regex else {
        return sibling.is_file();
    };
    let Some(bytes) = crate::bounded::read_small(sibling, SIBLING_MAX) else {
        return false;
    };
    let name = sibling.file_name().unwrap_or_default().to_string_lossy();
    let first_line = bytes.split(|b| *b == b'\n').next().unwrap_or(&[]);
    let code = match language_of(&name, first_line) {
        Some(language) => mask_comments(&bytes, language),
        None => bytes,
    };
    regex.is_match(&code)
}
