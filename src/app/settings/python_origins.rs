//! The allowed origins of Django and Flask settings modules (django-cors-headers'
//! `CORS_ALLOWED_ORIGINS` and `CORS_ALLOWED_ORIGIN_REGEXES`, their older
//! `CORS_ORIGIN_WHITELIST` names, Django's `CSRF_TRUSTED_ORIGINS`, Flask-CORS'
//! `CORS_ORIGINS`): a list or tuple of
//! literals, which may span several lines, with no environment read in it.

use super::is_local_host;
use std::sync::LazyLock;

/// Settings that list the origins a browser may call the app from.
pub(super) fn is_origin_list(name: &str) -> bool {
    matches!(
        name,
        "CORS_ALLOWED_ORIGINS"
            | "CORS_ALLOWED_ORIGIN_REGEXES"
            | "CORS_ORIGIN_WHITELIST"
            | "CORS_ORIGIN_REGEX_WHITELIST"
            | "CORS_ORIGINS"
            | "CSRF_TRUSTED_ORIGINS"
    )
}

/// The public entries of the list that starts at `start` (after `NAME =`) and the span
/// of the first one; `None` when the value is not a literal list, reads the
/// environment, or names only local origins.
pub(super) fn public_origins(text: &str, start: usize) -> Option<(Vec<String>, (usize, usize))> {
    static LITERAL: LazyLock<regex::Regex> =
        LazyLock::new(|| crate::checks::regex(r#"[rR]?(?:"([^"\n]*)"|'([^'\n]*)')"#));
    static ENV_READ: LazyLock<regex::Regex> = LazyLock::new(|| {
        crate::checks::regex(r"\b(?:os\.environ|os\.getenv|getenv|env(?:\.\w+)?\(|config\()")
    });
    let rest = &text[start..];
    let open = rest.trim_start();
    if !open.starts_with(['[', '(']) {
        return None;
    }
    let from = start + (rest.len() - open.len());
    let end = from + closing_bracket(&text[from..])?;
    let list = &text[from..end];
    // A list followed by `+ env.list(...)` on its last line reads the environment too.
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    if ENV_READ.is_match(list) || ENV_READ.is_match(&text[end..line_end]) {
        return None;
    }
    let public: Vec<regex::Match> = LITERAL
        .captures_iter(list)
        .filter_map(|c| c.get(1).or_else(|| c.get(2)))
        .filter(|entry| {
            let origin = as_origin(entry.as_str());
            origin.contains("://") && !is_local_host(&origin)
        })
        .collect();
    let first = public.first()?;
    let span = (from + first.start(), from + first.end());
    Some((
        public.iter().map(|m| m.as_str().to_string()).collect(),
        span,
    ))
}

/// An origin regex as the origin it matches (`^https://\w+\.example\.fr$` →
/// `https://\w+.example.fr`): anchors and escaped dots removed, enough to read the host.
fn as_origin(entry: &str) -> String {
    entry
        .trim_start_matches('^')
        .trim_end_matches('$')
        .replace("\\.", ".")
        .replace("\\/", "/")
}

/// The offset just past the bracket that closes the one `text` starts with, skipping
/// brackets inside string literals (a regex's `[0-9]`).
fn closing_bracket(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if let Some(q) = quote {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '\n' => quote = None,
                _ if c == q => quote = None,
                _ => {}
            }
            continue;
        }
        match c {
            '"' | '\'' => quote = Some(c),
            '[' | '(' | '{' => depth += 1,
            ']' | ')' | '}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_lists_over_several_lines() {
        let text = "CORS_ALLOWED_ORIGIN_REGEXES = [\n    r\"^http://localhost:[0-9]*$\",\n    r\"^https://\\w+\\.cleverapps\\.io$\",\n    r\"^https://\\w+\\.beta\\.gouv\\.fr$\",\n]\nX = 1\n";
        let start = text.find('=').expect("assignment") + 1;
        let (public, (at, _)) = public_origins(text, start).expect("public origins");
        assert_eq!(
            public,
            [
                r"^https://\w+\.cleverapps\.io$",
                r"^https://\w+\.beta\.gouv\.fr$"
            ]
        );
        assert!(text[at..].starts_with("^https://\\w+\\.cleverapps"));
        let local = "CORS_ALLOWED_ORIGINS = ['http://localhost:3000', 'http://127.0.0.1:8000']\n";
        assert!(public_origins(local, local.find('=').expect("=") + 1).is_none());
        let read = "CORS_ALLOWED_ORIGINS = env.list('CORS', default=['https://app.example.fr'])\n";
        assert!(public_origins(read, read.find('=').expect("=") + 1).is_none());
        let plus = "CORS_ALLOWED_ORIGINS = ['https://app.example.fr'] + env.list('MORE')\n";
        assert!(public_origins(plus, plus.find('=').expect("=") + 1).is_none());
    }
}
