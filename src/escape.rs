//! Scanned content never drives the reader's terminal or the page that shows it:
//! control characters and escape sequences are shown escaped (`\x1b`), and so are the
//! invisible characters that reorder or hide text (Unicode bidirectional controls, as
//! in Trojan Source, and zero-width characters), as `\u{202e}`. Markdown gets its
//! own escaping on top, so a file name or a message cannot open a link, an image, an
//! HTML tag or a table cell.

use crate::finding::{Edit, Excerpt};
use std::borrow::Cow;

/// Whether a character is shown escaped: C0 controls but tab, DEL, C1 controls, the
/// bidirectional marks, embeddings, overrides and isolates, zero-width characters, and
/// the line and paragraph separators.
fn hidden(c: char) -> bool {
    matches!(c,
        '\0'..='\u{8}' | '\u{b}'..='\u{1f}' | '\n' | '\u{7f}'..='\u{9f}'
        | '\u{61c}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}'
        | '\u{2060}'..='\u{2069}' | '\u{feff}')
}

fn escaped(c: char) -> String {
    if c.is_ascii() {
        format!("\\x{:02x}", c as u32)
    } else {
        format!("\\u{{{:x}}}", c as u32)
    }
}

/// Edits escaping every hidden character of `text`; with `keep_breaks`, line breaks
/// (`\n`, `\r\n`) stay as they are.
fn edits(text: &str, keep_breaks: bool) -> Vec<Edit> {
    let bytes = text.as_bytes();
    text.char_indices()
        .filter(|&(i, c)| {
            let is_break = c == '\n' || (c == '\r' && bytes.get(i + 1) == Some(&b'\n'));
            hidden(c) && !(keep_breaks && is_break)
        })
        .map(|(i, c)| Edit {
            start: i,
            end: i + c.len_utf8(),
            with: escaped(c),
        })
        .collect()
}

fn apply(text: &str, keep_breaks: bool) -> Cow<'_, str> {
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let edits = edits(text, keep_breaks);
    let mut out = String::with_capacity(text.len() + 4 * edits.len());
    let mut at = 0;
    for edit in &edits {
        out.push_str(&text[at..edit.start]);
        out.push_str(&edit.with);
        at = edit.end;
    }
    out.push_str(&text[at..]);
    Cow::Owned(out)
}

/// One line of text, safe for a terminal or a log: line breaks are escaped too.
pub fn visible(text: &str) -> Cow<'_, str> {
    apply(text, false)
}

/// Several lines of text, safe for a terminal: line breaks stay.
pub fn visible_lines(text: &str) -> Cow<'_, str> {
    apply(text, true)
}

/// `text` with each hidden character but line breaks and tabs replaced by as many `?`
/// as it has bytes: safe to show, and byte spans into `text` still point at the same
/// places (for miette's code frames of `twelve.toml`).
pub fn same_length_display(text: &str) -> String {
    text.chars()
        .map(|c| {
            if hidden(c) && !matches!(c, '\n' | '\r' | '\t') {
                "?".repeat(c.len_utf8())
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// An excerpt safe for a terminal, its highlight kept on the same characters.
pub fn visible_excerpt(excerpt: &Excerpt) -> Excerpt {
    excerpt.edited(&edits(&excerpt.text, true))
}

/// Text for a Markdown paragraph or table cell: one line, characters that Markdown
/// reads as syntax backslash-escaped (links, images, emphasis, code, cells), and
/// `<`, `>`, `&` as entities so no HTML tag opens.
pub fn markdown(text: &str) -> String {
    let one_line = text.replace(['\r', '\n'], " ");
    let text = visible(&one_line);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '|' | '!' | '~' | '#' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_are_shown_not_run() {
        assert_eq!(
            visible("a\u{1b}]0;title\u{7}b\u{1b}[2J"),
            "a\\x1b]0;title\\x07b\\x1b[2J"
        );
        assert_eq!(visible("a\nb\rc\td"), "a\\x0ab\\x0dc\td");
        assert_eq!(visible_lines("a\r\nb\n\u{9b}c"), "a\r\nb\n\\u{9b}c");
        assert!(matches!(visible("plain é"), Cow::Borrowed(_)));
    }

    #[test]
    fn same_length_display_keeps_byte_offsets() {
        let text = "a\u{1b}[2J\u{202e}b\nc";
        let shown = same_length_display(text);
        assert_eq!(shown, "a?[2J???b\nc");
        assert_eq!(shown.len(), text.len());
    }

    #[test]
    fn bidi_controls_are_visible() {
        assert_eq!(
            visible("if (a \u{202e} } \u{2066}x\u{2069}"),
            "if (a \\u{202e} } \\u{2066}x\\u{2069}"
        );
        assert_eq!(visible("a\u{200b}b"), "a\\u{200b}b");
    }

    #[test]
    fn the_highlight_follows_the_escapes() {
        let excerpt = Excerpt {
            text: "\u{1b}[2Japp.listen(3000)".into(),
            highlight: (15, 19),
            secrets: Vec::new(),
        };
        let shown = visible_excerpt(&excerpt);
        assert_eq!(shown.text, "\\x1b[2Japp.listen(3000)");
        assert_eq!(&shown.text[shown.highlight.0..shown.highlight.1], "3000");
    }

    #[test]
    fn markdown_cannot_open_tags_links_or_cells() {
        assert_eq!(
            markdown("<script>x</script> [a](javascript:x) | ![i](u) `c`\n## h"),
            "&lt;script&gt;x&lt;/script&gt; \\[a\\]\\(javascript:x\\) \\| \\!\\[i\\]\\(u\\) \\`c\\` \\#\\# h"
        );
    }
}
