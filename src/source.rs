//! A file as the rules see it: the original bytes (never re-decoded, so byte spans stay
//! exact even around invalid UTF-8), the comment-masked copy, and a line index.

use crate::classify::{Language, Role};
use crate::finding::{Excerpt, Position};
use crate::mask::mask_comments;
use std::sync::OnceLock;

/// Byte offsets where each line starts. `\n`, `\r\n` and a lone `\r` each end a line.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &[u8]) -> Self {
        let mut starts = vec![0];
        let mut i = 0;
        while i < text.len() {
            match text[i] {
                b'\n' => starts.push(i + 1),
                b'\r' if text.get(i + 1) == Some(&b'\n') => {
                    starts.push(i + 2);
                    i += 1;
                }
                b'\r' => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        LineIndex {
            starts,
            len: text.len(),
        }
    }

    /// 0-based line holding `offset`.
    fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Byte range of line `line` (0-based) without its line break.
    pub fn line_bounds(&self, text: &[u8], line: usize) -> (usize, usize) {
        let start = self.starts[line];
        let mut end = self.starts.get(line + 1).copied().unwrap_or(self.len);
        while end > start && matches!(text[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        (start, end)
    }

    /// 1-based line and column of `offset`; the column counts characters, an invalid
    /// UTF-8 byte counting as one, and a leading byte-order mark counting as none.
    pub fn position(&self, text: &[u8], offset: usize) -> Position {
        let line = self.line_of(offset);
        let mut start = self.starts[line];
        if start == 0 && text.starts_with(b"\xEF\xBB\xBF") && offset >= 3 {
            start = 3;
        }
        let column = count_chars(&text[start..offset.min(text.len())]) + 1;
        Position {
            line: line + 1,
            column,
        }
    }
}

fn count_chars(bytes: &[u8]) -> usize {
    String::from_utf8_lossy(bytes).chars().count()
}

/// A file read and prepared for detection.
pub struct SourceFile {
    pub rel_path: String,
    pub language: Language,
    pub role: Role,
    pub text: Vec<u8>,
    pub masked: Vec<u8>,
    /// Built on first use: most files have no finding and never need it.
    lines: OnceLock<LineIndex>,
}

impl SourceFile {
    pub fn new(rel_path: String, language: Language, role: Role, text: Vec<u8>) -> Self {
        let masked = mask_comments(&text, language);
        SourceFile {
            rel_path,
            language,
            role,
            text,
            masked,
            lines: OnceLock::new(),
        }
    }

    pub fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(&self.text))
    }

    /// Positions of a byte span and the lines it covers, for a finding.
    pub fn locate(&self, start: usize, end: usize) -> (Position, Position, Excerpt) {
        let begin = self.lines().position(&self.text, start);
        let finish = self.lines().position(&self.text, end.max(start));
        let (line_start, _) = self.lines().line_bounds(&self.text, begin.line - 1);
        let (_, line_end) = self.lines().line_bounds(&self.text, finish.line - 1);
        let line_end = line_end.max(end.min(self.text.len()));
        let before = String::from_utf8_lossy(&self.text[line_start..start]).len();
        let matched = String::from_utf8_lossy(&self.text[start..end]).len();
        let excerpt = Excerpt {
            text: String::from_utf8_lossy(&self.text[line_start..line_end]).into_owned(),
            highlight: (before, before + matched),
        };
        (begin, finish, excerpt)
    }

    /// True when `offset` falls inside a comment (masked away, not blank originally).
    pub fn in_comment(&self, offset: usize) -> bool {
        self.masked.get(offset) == Some(&b' ') && self.text.get(offset).is_some_and(|b| *b != b' ')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_of_every_kind() {
        let text = b"a\r\nb\rc\nd";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 0).line, 1);
        assert_eq!(index.position(text, 3).line, 2);
        assert_eq!(index.position(text, 5).line, 3);
        assert_eq!(index.position(text, 7), Position { line: 4, column: 1 });
        assert_eq!(index.line_bounds(text, 0), (0, 1));
    }

    #[test]
    fn columns_count_characters_and_bad_bytes() {
        let text = "é\u{FF}x".as_bytes().to_vec();
        let mut bad = b"\xff\xfe".to_vec();
        bad.extend_from_slice(b"x");
        let index = LineIndex::new(&text);
        assert_eq!(index.position(&text, text.len() - 1).column, 3);
        let index = LineIndex::new(&bad);
        assert_eq!(index.position(&bad, 2).column, 3);
    }

    #[test]
    fn bom_is_not_a_column() {
        let text = b"\xEF\xBB\xBFport";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 3).column, 1);
    }

    #[test]
    fn excerpt_highlights_the_match() {
        let file = SourceFile::new(
            "a.js".into(),
            Language::Javascript,
            Role::Source,
            b"x\napp.listen(3000)\n".to_vec(),
        );
        let (start, end, excerpt) = file.locate(13, 17);
        assert_eq!(
            start,
            Position {
                line: 2,
                column: 12
            }
        );
        assert_eq!(
            end,
            Position {
                line: 2,
                column: 16
            }
        );
        assert_eq!(excerpt.text, "app.listen(3000)");
        assert_eq!(
            &excerpt.text[excerpt.highlight.0..excerpt.highlight.1],
            "3000"
        );
    }
}
