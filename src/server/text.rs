//! What the language server converts: `file://` URIs to paths and back, and twelve's
//! character columns to the client's position encoding.

use std::path::PathBuf;

/// How the client counts columns: LSP's default UTF-16 code units, or characters
/// (`utf-32`, twelve's own unit) when the client offers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf16,
    Utf32,
}

impl Encoding {
    /// The best encoding among the client's `general.positionEncodings`.
    pub fn negotiate(offered: &[&str]) -> Encoding {
        if offered.contains(&"utf-32") {
            Encoding::Utf32
        } else {
            Encoding::Utf16
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf16 => "utf-16",
            Encoding::Utf32 => "utf-32",
        }
    }

    /// The client's column of the 1-based character column `column` on `line`.
    pub fn column(self, line: Option<&str>, column: usize) -> usize {
        let chars = column.saturating_sub(1);
        match (self, line) {
            (Encoding::Utf16, Some(line)) => line.chars().take(chars).map(char::len_utf16).sum(),
            _ => chars,
        }
    }
}

/// The path of a `file://` URI, percent-decoded; `None` for another scheme.
pub fn uri_to_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    let path = rest.strip_prefix("localhost").unwrap_or(rest);
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    let text = String::from_utf8(out).ok()?;
    // file:///C:/x on Windows.
    let text = match text.as_bytes() {
        [b'/', _, b':', ..] => text[1..].to_string(),
        _ => text,
    };
    Some(PathBuf::from(text))
}

/// The file's lines as the editor has them (the text of the last open or save).
pub fn line_of(text: &str, line: usize) -> Option<&str> {
    text.lines().nth(line)
}

/// Leading white space of a line, for a comment inserted above it.
pub fn indentation(line: &str) -> &str {
    &line[..line.len() - line.trim_start().len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_decode_to_paths() {
        assert_eq!(
            uri_to_path("file:///tmp/my%20app/a.js"),
            Some(PathBuf::from("/tmp/my app/a.js"))
        );
        assert_eq!(
            uri_to_path("file:///C%3A/x.js"),
            Some(PathBuf::from("C:/x.js"))
        );
        assert_eq!(uri_to_path("untitled:1"), None);
    }

    #[test]
    fn columns_follow_the_encoding() {
        let line = "const é = '😀'; listen(3000)";
        let column = line.chars().position(|c| c == 'l').expect("l") + 1;
        assert_eq!(Encoding::Utf32.column(Some(line), column), column - 1);
        assert_eq!(
            Encoding::Utf16.column(Some(line), column),
            column,
            "the emoji is two units"
        );
        assert_eq!(Encoding::negotiate(&["utf-8", "utf-32"]), Encoding::Utf32);
        assert_eq!(indentation("    app.listen()"), "    ");
    }
}
