//! Reading a start command as the shell would run it: the simple commands chained with
//! `&&`, `||`, `;`, `|` or `&`, each with its byte range in the command line.

use regex::Regex;
use std::sync::OnceLock;

/// One simple command of a command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment<'a> {
    /// The text, wrappers removed (`sh -c "`, `exec`, `bundle exec`, `FOO=bar`).
    pub text: &'a str,
    /// Byte range of `text` in the command line.
    pub start: usize,
    pub end: usize,
    /// Run in the background (followed by a single `&`).
    pub background: bool,
}

/// Splits a command line into its simple commands. Quotes are not interpreted: the
/// commands inside `sh -c "a && b"` are found like any other.
pub fn segments(line: &str) -> Vec<Segment<'_>> {
    let bytes = line.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i <= bytes.len() {
        let (sep_len, background) = match bytes.get(i) {
            None => (0, false),
            Some(b'&') if bytes.get(i + 1) == Some(&b'&') => (2, false),
            Some(b'|') if bytes.get(i + 1) == Some(&b'|') => (2, false),
            Some(b';') | Some(b'|') => (1, false),
            // `2>&1`, `&>` and `>&` are redirections, not a background `&`.
            Some(b'&') if i > 0 && bytes[i - 1] != b'>' && bytes.get(i + 1) != Some(&b'>') => {
                (1, true)
            }
            _ => {
                i += 1;
                continue;
            }
        };
        if let Some(segment) = segment(line, start, i, background) {
            out.push(segment);
        }
        if sep_len == 0 {
            break;
        }
        i += sep_len;
        start = i;
    }
    out
}

fn wrapper() -> &'static Regex {
    static WRAPPER: OnceLock<Regex> = OnceLock::new();
    WRAPPER.get_or_init(|| {
        Regex::new(
            r#"^(?:\s+|["'(]|(?:if|then|else|do)\s+|(?:/bin/|/usr/bin/)?(?:ba)?sh\s+-c\s+|exec\s+|env\s+|[A-Za-z_][A-Za-z0-9_]*=\S*\s+|bundle\s+exec\s+|(?:poetry|pipenv|uv)\s+run\s+|npx\s+(?:--yes\s+)?|pnpm\s+exec\s+|yarn\s+exec\s+)"#,
        )
        .expect("wrapper regex is valid")
    })
}

fn segment(line: &str, start: usize, end: usize, background: bool) -> Option<Segment<'_>> {
    let mut from = start;
    while let Some(m) = wrapper().find(&line[from..end]) {
        if m.end() == 0 {
            break;
        }
        from += m.end();
    }
    let text = line[from..end].trim_end_matches([' ', '\t', '"', '\'', ')']);
    (!text.is_empty()).then(|| Segment {
        text,
        start: from,
        end: from + text.len(),
        background,
    })
}

/// Whether the whole command line sets this environment assignment (`RAILS_ENV=development`).
pub fn assigns(line: &str, name: &str, value: &str) -> bool {
    line.split_whitespace()
        .any(|w| w.trim_matches(['"', '\'']) == format!("{name}={value}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(line: &str) -> Vec<(&str, bool)> {
        segments(line)
            .into_iter()
            .map(|s| (s.text, s.background))
            .collect()
    }

    #[test]
    fn chains_and_wrappers() {
        assert_eq!(
            texts("sh -c \"python manage.py migrate && exec gunicorn app\""),
            vec![("python manage.py migrate", false), ("gunicorn app", false)]
        );
        assert_eq!(
            texts("RAILS_ENV=production bundle exec rails s; echo done"),
            vec![("rails s", false), ("echo done", false)]
        );
        assert_eq!(
            texts("node worker.js & node server.js 2>&1"),
            vec![("node worker.js", true), ("node server.js 2>&1", false)]
        );
        assert_eq!(texts("node a.js &> log"), vec![("node a.js &> log", false)]);
        assert_eq!(
            texts("if [ -n \"$X\" ]; then npm run seed; fi"),
            vec![
                ("[ -n \"$X\" ]", false),
                ("npm run seed", false),
                ("fi", false)
            ]
        );
    }

    #[test]
    fn ranges_point_into_the_line() {
        let line = "npm ci && npm start";
        let segs = segments(line);
        assert_eq!(&line[segs[1].start..segs[1].end], "npm start");
    }

    #[test]
    fn environment_assignments() {
        assert!(assigns(
            "RAILS_ENV=development rails s",
            "RAILS_ENV",
            "development"
        ));
        assert!(!assigns("rails s", "RAILS_ENV", "development"));
    }
}
