//! The Procfile, read the way Scalingo reads it.

/// One `type: command` line of a Procfile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessDecl {
    pub name: String,
    pub command: String,
    /// 1-based line number.
    pub line: usize,
    /// Byte offset of the command in the file.
    pub offset: usize,
}

/// Parses a Procfile the way Scalingo does: `<type>: <command>`, type names made of
/// ASCII letters and digits; blank lines, comments and malformed lines are skipped.
pub fn parse_procfile(text: &[u8]) -> Vec<ProcessDecl> {
    let mut offset = 0;
    let mut decls = Vec::new();
    for (i, raw) in text.split_inclusive(|b| *b == b'\n').enumerate() {
        let line_start = offset;
        offset += raw.len();
        let line = String::from_utf8_lossy(raw);
        let Some((name, command)) = line.split_once(':') else {
            continue;
        };
        let trimmed = name.trim();
        if !valid_process_name(trimmed) {
            continue;
        }
        let leading = command.len() - command.trim_start().len();
        decls.push(ProcessDecl {
            name: trimmed.to_string(),
            command: command.trim().to_string(),
            line: i + 1,
            offset: line_start + name.len() + 1 + leading,
        });
    }
    decls
}

/// Lines of a Procfile that are not blank, not a `#` comment and not a valid
/// declaration, as (1-based line, reason): Scalingo skips them, so the process they
/// meant to declare never runs.
pub fn procfile_problems(text: &[u8]) -> Vec<(usize, &'static str)> {
    let text = String::from_utf8_lossy(text);
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let trimmed = line.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                return None;
            }
            let reason = match line.split_once(':') {
                None => "has a line with no `type: command` separator",
                Some((name, _)) if !valid_process_name(name.trim()) => {
                    "has a process type that Scalingo does not accept (1 to 24 ASCII letters and digits)"
                }
                Some((_, command)) if command.trim().is_empty() => {
                    "has a process type with no command"
                }
                Some(_) => return None,
            };
            Some((i + 1, reason))
        })
        .collect()
}

fn valid_process_name(name: &str) -> bool {
    !name.is_empty() && name.len() <= 24 && name.bytes().all(|b| b.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn procfile_lines() {
        let decls = parse_procfile(
            b"# c\nweb: gunicorn app:app\r\n\nworker:rq worker\nbad line\nweb-2: x\n",
        );
        let names: Vec<_> = decls.iter().map(|d| (d.name.as_str(), d.line)).collect();
        assert_eq!(names, vec![("web", 2), ("worker", 4)]);
        assert_eq!(decls[0].command, "gunicorn app:app");
        assert_eq!(
            decls[1].offset,
            b"# c\nweb: gunicorn app:app\r\n\nworker:".len()
        );
    }

    #[test]
    fn procfile_problem_lines() {
        let problems =
            procfile_problems(b"# c\nweb: gunicorn app:app\r\n\nworker rq\nweb-2: x\nclock:\n  \n");
        assert_eq!(
            problems,
            vec![
                (4, "has a line with no `type: command` separator"),
                (
                    5,
                    "has a process type that Scalingo does not accept (1 to 24 ASCII letters and digits)"
                ),
                (6, "has a process type with no command"),
            ]
        );
    }

    mod properties {
        use super::*;
        use crate::testing::{config, tricky_bytes};
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(config())]

            /// Declarations come in line order with valid names; a line is either a
            /// declaration, a problem, or neither (blank, comment), never both.
            #[test]
            fn procfile_lines_are_declared_or_reported(text in tricky_bytes()) {
                let decls = parse_procfile(&text);
                let problems = procfile_problems(&text);
                let lines = String::from_utf8_lossy(&text).lines().count();
                for pair in decls.windows(2) {
                    prop_assert!(pair[0].line < pair[1].line);
                }
                for decl in &decls {
                    prop_assert!(decl.line >= 1 && decl.line <= lines);
                    prop_assert!(valid_process_name(&decl.name));
                    let both = problems
                        .iter()
                        .any(|(line, reason)| *line == decl.line && !reason.contains("no command"));
                    prop_assert!(!both, "line {} declared and reported", decl.line);
                }
                for (line, _) in &problems {
                    prop_assert!(*line >= 1 && *line <= lines);
                }
            }
        }
    }
}
