//! A file as the rules see it: the original bytes (never re-decoded, so byte spans stay
//! exact even around invalid UTF-8), the comment-masked copy, and a line index.

use crate::classify::{Language, Role};
use crate::finding::{Excerpt, Position};
use crate::mask::mask_comments;
use std::sync::OnceLock;

/// The UTF-8 byte-order mark: not part of the first line's text or columns.
/// The UTF-8 byte-order mark.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

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

    /// How many lines the text has (an empty text has one).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 1-based line holding `offset`, without counting columns: cheap on huge lines.
    pub fn line_number(&self, offset: usize) -> usize {
        self.line_of(offset) + 1
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
        if start == 0 && text.starts_with(BOM) && offset >= BOM.len() {
            start = BOM.len();
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

/// Excerpts longer than this many bytes (minified bundles, one-line JSON) are cut.
pub const EXCERPT_MAX: usize = 240;
/// Bytes kept on each side of the match when an excerpt is cut.
const EXCERPT_CONTEXT: usize = 80;
/// The longest part of a match shown when the match itself is huge.
const EXCERPT_MATCH_MAX: usize = 120;
const ELLIPSIS: &str = "…";

/// The text of the lines `bounds` with `span` highlighted. When the lines are longer
/// than `EXCERPT_MAX` bytes, keeps the match (its first `EXCERPT_MATCH_MAX` bytes) and
/// `EXCERPT_CONTEXT` bytes on each side, cut at character boundaries, and marks each
/// cut with `…`; the highlight is then shifted to stay on the match.
fn excerpt_window(
    text: &[u8],
    bounds: (usize, usize),
    span: (usize, usize),
    secrets: &[(usize, usize)],
) -> Excerpt {
    let (mut from, mut to) = bounds;
    let (start, mut end) = span;
    let long = to - from > EXCERPT_MAX;
    if long {
        if end > start + EXCERPT_MATCH_MAX {
            end = start + EXCERPT_MATCH_MAX;
            while end > start && is_continuation(text[end]) {
                end -= 1;
            }
        }
        from = from.max(start.saturating_sub(EXCERPT_CONTEXT));
        to = to.min(end + EXCERPT_CONTEXT);
        while from < start && is_continuation(text[from]) {
            from += 1;
        }
        while to > end && to < text.len() && is_continuation(text[to]) {
            to -= 1;
        }
    }
    let lossy = |a: usize, b: usize| String::from_utf8_lossy(&text[a..b]);
    let mut out = String::new();
    if from > bounds.0 {
        out.push_str(ELLIPSIS);
    }
    let prefix = out.len();
    out.push_str(&lossy(from, start));
    let highlight_start = out.len();
    out.push_str(&lossy(start, end));
    let highlight = (highlight_start, out.len());
    out.push_str(&lossy(end, to));
    let shown = out.len();
    if to < bounds.1 {
        out.push_str(ELLIPSIS);
    }
    // A byte offset of `text` in the window, as an offset of `out` (a character cut by
    // the window's edge or by an invalid byte lands on the nearest boundary before).
    let place = |offset: usize| {
        let offset = offset.clamp(from, to);
        let mut at = (prefix + lossy(from, offset).len()).min(shown);
        while !out.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let mut excerpt = Excerpt {
        highlight,
        secrets: Vec::new(),
        text: String::new(),
    };
    // A secret that the window cuts is masked from the edge: what is left of it is shown
    // as a mask too, never in part.
    excerpt.add_secrets(secrets.iter().map(|&(a, b)| (place(a), place(b))));
    excerpt.text = out;
    excerpt
}

/// A UTF-8 continuation byte: not where a character starts.
fn is_continuation(byte: u8) -> bool {
    byte & 0b1100_0000 == 0b1000_0000
}

/// What the reader makes of a file's bytes.
#[derive(Debug, PartialEq, Eq)]
pub enum Decoded {
    /// Text as UTF-8 bytes (possibly with invalid sequences, kept as they are).
    Text(Vec<u8>),
    /// A NUL byte in the first 8 KiB: not text.
    Binary,
}

/// UTF-16 with a byte-order mark is transcoded to UTF-8 (an unpaired surrogate becomes
/// U+FFFD), so its lines and columns are those of the characters; every other file is
/// kept byte for byte, so spans stay exact even around invalid UTF-8.
pub fn decode(bytes: Vec<u8>) -> Decoded {
    let units = |pair: &[u8], little: bool| {
        let pair = [pair[0], pair[1]];
        if little {
            u16::from_le_bytes(pair)
        } else {
            u16::from_be_bytes(pair)
        }
    };
    let little = match bytes.get(..2) {
        Some([0xFF, 0xFE]) => Some(true),
        Some([0xFE, 0xFF]) => Some(false),
        _ => None,
    };
    let text = match little {
        Some(little) => {
            let utf16 = bytes[2..].chunks_exact(2).map(|p| units(p, little));
            char::decode_utf16(utf16)
                .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                .collect::<String>()
                .into_bytes()
        }
        None => bytes,
    };
    let head = &text[..text.len().min(8192)];
    if head.contains(&0) {
        Decoded::Binary
    } else {
        Decoded::Text(text)
    }
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

    /// Positions of a byte span and the lines it covers, for a finding. On long lines
    /// the excerpt is a window around the match (see `excerpt_window`).
    pub fn locate(&self, start: usize, end: usize) -> (Position, Position, Excerpt) {
        self.locate_with_secrets(start, end, &[])
    }

    /// `locate`, with the byte ranges of `secrets` marked in the excerpt.
    pub fn locate_with_secrets(
        &self,
        start: usize,
        end: usize,
        secrets: &[(usize, usize)],
    ) -> (Position, Position, Excerpt) {
        let end = end.clamp(start, self.text.len());
        let begin = self.lines().position(&self.text, start);
        let finish = self.lines().position(&self.text, end);
        let (mut line_start, _) = self.lines().line_bounds(&self.text, begin.line - 1);
        if line_start == 0 && start >= BOM.len() && self.text.starts_with(BOM) {
            line_start = BOM.len();
        }
        let (_, line_end) = self.lines().line_bounds(&self.text, finish.line - 1);
        let line_end = line_end.max(end);
        let excerpt = excerpt_window(&self.text, (line_start, line_end), (start, end), secrets);
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

    fn js(text: &[u8]) -> SourceFile {
        SourceFile::new(
            "a.js".into(),
            Language::Javascript,
            Role::Source,
            text.to_vec(),
        )
    }

    #[test]
    fn excerpt_of_a_long_line_is_a_window_around_the_match() {
        let mut text = "é".repeat(500).into_bytes();
        let start = text.len();
        text.extend_from_slice(b"listen(3000)");
        text.extend_from_slice("ü".repeat(500).as_bytes());
        let file = js(&text);
        let (begin, _, excerpt) = file.locate(start + 7, start + 11);
        assert_eq!(begin.column, 508);
        let (from, to) = excerpt.highlight;
        assert_eq!(&excerpt.text[from..to], "3000");
        assert!(excerpt.text.starts_with("…é") && excerpt.text.ends_with("ü…"));
        assert!(!excerpt.text.contains('\u{FFFD}'), "{}", excerpt.text);
        assert!(excerpt.text.len() <= 2 * EXCERPT_CONTEXT + 4 + 2 * ELLIPSIS.len());
    }

    #[test]
    fn a_huge_match_is_shown_in_part() {
        let text = format!("x = \"{}\"", "k".repeat(5000));
        let file = js(text.as_bytes());
        let (_, end, excerpt) = file.locate(4, text.len());
        assert_eq!(end.column, text.len() + 1);
        let (from, to) = excerpt.highlight;
        assert_eq!(to - from, EXCERPT_MATCH_MAX);
        assert_eq!(&excerpt.text[..from], "x = ");
        assert!(excerpt.text.ends_with('…'));
    }

    #[test]
    fn short_lines_are_kept_whole_and_the_bom_is_not_shown() {
        let file = js(b"\xEF\xBB\xBFapp.listen(3000)\n");
        let (begin, _, excerpt) = file.locate(14, 18);
        assert_eq!(begin.column, 12);
        assert_eq!(excerpt.text, "app.listen(3000)");
        assert_eq!(excerpt.highlight, (11, 15));
    }

    #[test]
    fn utf16_is_decoded_and_nul_bytes_are_binary() {
        let mut le = vec![0xFF, 0xFE];
        le.extend("é\r\nx".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(le), Decoded::Text("é\r\nx".as_bytes().to_vec()));
        let mut be = vec![0xFE, 0xFF];
        be.extend([0xD8, 0x00, 0x00, 0x61, 0x00]);
        assert_eq!(decode(be), Decoded::Text("\u{FFFD}a".as_bytes().to_vec()));
        assert_eq!(decode(b"a\x00b".to_vec()), Decoded::Binary);
        assert_eq!(
            decode(b"\xffok".to_vec()),
            Decoded::Text(b"\xffok".to_vec())
        );
        assert_eq!(decode(Vec::new()), Decoded::Text(Vec::new()));
    }

    mod properties {
        use super::*;
        use crate::testing::{config, tricky_bytes};
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(config())]

            /// Line numbers never go back as the offset grows, every line's bounds lie
            /// inside the text, and `position` agrees with `line_number`.
            #[test]
            fn lines_are_monotonic_and_inside_the_text(text in tricky_bytes()) {
                let index = LineIndex::new(&text);
                let mut last = 1;
                for offset in 0..=text.len() {
                    let line = index.line_number(offset);
                    prop_assert!(line >= last);
                    prop_assert!(line <= index.starts.len());
                    prop_assert_eq!(index.position(&text, offset).line, line);
                    last = line;
                }
                for line in 0..index.starts.len() {
                    let (start, end) = index.line_bounds(&text, line);
                    prop_assert!(start <= end && end <= text.len());
                }
            }

            /// Any span gives positions in order and a highlight inside the excerpt, on
            /// character boundaries.
            #[test]
            fn every_span_maps_inside_the_text(
                text in tricky_bytes(),
                a in 0usize..400,
                b in 0usize..400,
            ) {
                let start = a.min(text.len());
                let end = b.clamp(start, text.len());
                let file = js(&text);
                let (begin, finish, excerpt) = file.locate(start, end);
                prop_assert!(begin <= finish);
                prop_assert!(finish.line <= file.lines().line_count());
                let (from, to) = excerpt.highlight;
                prop_assert!(from <= to && to <= excerpt.text.len());
                prop_assert!(excerpt.text.is_char_boundary(from));
                prop_assert!(excerpt.text.is_char_boundary(to));
            }
        }
    }
}
