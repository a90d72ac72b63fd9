//! One parser per manifest format (JSON, TOML, YAML), each giving the byte offset of
//! its first error, so that a parse error is data in the model and a finding can point
//! at it.

use serde::Deserialize;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Where and why a manifest does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Byte offset of the first character the parser could not read.
    pub offset: usize,
    /// Lower case, e.g. "is not valid JSON: expected `:`".
    pub reason: String,
}

/// Parses JSON (a leading BOM allowed).
pub fn json(text: &[u8]) -> Result<serde_json::Value, ParseError> {
    let skip = bom_len(text);
    serde_json::from_slice(&text[skip..]).map_err(|err| ParseError {
        offset: skip + offset_of(&text[skip..], err.line(), err.column()),
        reason: format!("is not valid JSON: {}", reason(&err.to_string())),
    })
}

/// Parses TOML (a leading BOM allowed).
pub fn toml(text: &[u8]) -> Result<toml::Table, ParseError> {
    let skip = bom_len(text);
    let body = std::str::from_utf8(&text[skip..]).map_err(|err| ParseError {
        offset: skip + err.valid_up_to(),
        reason: "is not valid UTF-8".into(),
    })?;
    toml::from_str::<toml::Table>(body).map_err(|err| ParseError {
        offset: skip + err.span().map_or(0, |span| span.start).min(body.len()),
        reason: format!("is not valid TOML: {}", reason(err.message())),
    })
}

/// Checks every document of a YAML stream; `None` when all parse.
pub fn yaml_error(text: &[u8]) -> Option<ParseError> {
    let skip = bom_len(text);
    let body = &text[skip..];
    for document in serde_norway::Deserializer::from_slice(body) {
        if let Err(err) = serde::de::IgnoredAny::deserialize(document) {
            let offset = err
                .location()
                .map_or(0, |at| offset_of(body, at.line(), at.column()));
            return Some(ParseError {
                offset: skip + offset.min(body.len()),
                reason: format!("is not valid YAML: {}", reason(&err.to_string())),
            });
        }
    }
    None
}

fn bom_len(text: &[u8]) -> usize {
    if text.starts_with(BOM) { BOM.len() } else { 0 }
}

/// The parser's first line, without its "at line N column M" tail, in lower case.
fn reason(message: &str) -> String {
    let first = message.lines().next().unwrap_or("").trim();
    let cut = first.find(" at line ").map_or(first, |i| &first[..i]);
    let mut chars = cut.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => "unknown error".into(),
    }
}

/// Byte offset of a 1-based line and character column, clamped to the text.
pub fn offset_of(text: &[u8], line: usize, column: usize) -> usize {
    let start = line_start(text, line);
    let rest = &text[start..];
    let line_len = rest.iter().position(|b| *b == b'\n').unwrap_or(rest.len());
    let chars = String::from_utf8_lossy(&rest[..line_len]);
    let bytes: usize = chars
        .chars()
        .take(column.saturating_sub(1))
        .map(char::len_utf8)
        .sum();
    start + bytes.min(line_len)
}

/// Byte offset where the 1-based `line` starts (the text's end past the last line).
pub fn line_start(text: &[u8], line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    text.iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(line - 2)
        .map_or(text.len(), |(i, _)| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_error_points_at_the_bad_character() {
        let text = "{\n  \"name\": \"app\",\n  \"main\" \"server.js\"\n}\n";
        let err = json(text.as_bytes()).unwrap_err();
        assert_eq!(err.offset, text.find("\"server.js").unwrap());
        assert_eq!(err.reason, "is not valid JSON: expected `:`");
    }

    #[test]
    fn json_with_a_bom_parses() {
        assert!(json("\u{FEFF}{\"a\": 1}".as_bytes()).is_ok());
        assert_eq!(
            json("\u{FEFF}{\"a\" 1}".as_bytes()).unwrap_err().offset,
            3 + 5
        );
    }

    #[test]
    fn toml_and_yaml_errors() {
        let err = toml(b"[project]\nname = \n").unwrap_err();
        assert_eq!(err.offset, 17);
        assert!(
            err.reason.starts_with("is not valid TOML: "),
            "{}",
            err.reason
        );
        let yaml = "services:\n  web:\n    image: x\n   ports: [80\n";
        let err = yaml_error(yaml.as_bytes()).unwrap();
        assert!(
            err.reason.starts_with("is not valid YAML: "),
            "{}",
            err.reason
        );
        assert!(err.offset > yaml.find("image").unwrap(), "{}", err.offset);
        assert_eq!(yaml_error(b"a: 1\n---\nb: 2\n"), None);
    }

    #[test]
    fn invalid_utf8_toml() {
        let err = toml(b"name = \"\xff\"\n").unwrap_err();
        assert_eq!((err.offset, err.reason.as_str()), (8, "is not valid UTF-8"));
    }

    #[test]
    fn offsets_clamp() {
        assert_eq!(offset_of(b"ab\ncd", 2, 99), 5);
        assert_eq!(offset_of(b"ab\ncd", 9, 1), 5);
        assert_eq!(offset_of(b"ab", 1, 0), 0);
    }
}
