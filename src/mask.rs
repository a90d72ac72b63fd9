//! Blanks out comments so that pattern rules match code only. The masked copy has the
//! same length as the original and keeps every line break, so byte spans found in it
//! point at the same places in the original text.

use crate::classify::Language;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// `//` and `/* */`; `backtick` strings (JS, Go); JS regex literals.
    CLike {
        backtick: bool,
        regex: bool,
    },
    /// C-like plus `#` line comments (not `#[` attributes).
    Php,
    /// `#` comments outside strings; Python triple quotes; Ruby `=begin`/`=end`.
    Script {
        triple_quotes: bool,
        ruby_blocks: bool,
    },
    /// `#` at the start of a line or after white space (YAML, shell, .env, Procfile).
    HashAfterSpace,
    /// One of these bytes as the first non-blank character of a line (INI: `;#`,
    /// Java properties: `#!`, where a `#` later in the line belongs to the value).
    LineStart(&'static [u8]),
    /// `<!-- -->`.
    Markup,
    None,
}

fn style_of(language: Language) -> Style {
    match language {
        Language::Javascript | Language::Typescript => Style::CLike {
            backtick: true,
            regex: true,
        },
        Language::Go => Style::CLike {
            backtick: true,
            regex: false,
        },
        Language::Java | Language::Kotlin => Style::CLike {
            backtick: false,
            regex: false,
        },
        Language::Php => Style::Php,
        Language::Python => Style::Script {
            triple_quotes: true,
            ruby_blocks: false,
        },
        Language::Ruby => Style::Script {
            triple_quotes: false,
            ruby_blocks: true,
        },
        Language::Shell
        | Language::Dockerfile
        | Language::Procfile
        | Language::Dotenv
        | Language::Yaml
        | Language::Toml => Style::HashAfterSpace,
        Language::Properties => Style::LineStart(b"#!"),
        Language::Ini => Style::LineStart(b";#"),
        // Each template language has its own comments besides HTML's; HTML's are masked.
        Language::Xml | Language::Template => Style::Markup,
        Language::Json | Language::Markdown | Language::Text => Style::None,
    }
}

/// How a comment on a line of its own is written in `language` (opening, closing), for
/// a suppression comment; `None` where the format has no comments (JSON, Markdown).
pub fn line_comment(language: Language) -> Option<(&'static str, &'static str)> {
    match style_of(language) {
        Style::CLike { .. } | Style::Php => Some(("// ", "")),
        Style::Script { .. } | Style::HashAfterSpace | Style::LineStart(_) => Some(("# ", "")),
        Style::Markup => Some(("<!-- ", " -->")),
        Style::None => None,
    }
}

/// A copy of `text` with every comment byte replaced by a space (line breaks kept).
pub fn mask_comments(text: &[u8], language: Language) -> Vec<u8> {
    let mut out = text.to_vec();
    let mut masker = Masker {
        text,
        out: &mut out,
        i: 0,
    };
    match style_of(language) {
        Style::CLike { backtick, regex } => masker.c_like(backtick, regex, false),
        Style::Php => masker.c_like(false, false, true),
        Style::Script {
            triple_quotes,
            ruby_blocks,
        } => masker.script(triple_quotes, ruby_blocks),
        Style::HashAfterSpace => masker.hash_after_space(),
        Style::LineStart(markers) => masker.line_start(markers),
        Style::Markup => masker.markup(),
        Style::None => {}
    }
    out
}

struct Masker<'a> {
    text: &'a [u8],
    out: &'a mut Vec<u8>,
    i: usize,
}

fn is_break(b: u8) -> bool {
    b == b'\n' || b == b'\r'
}

/// A table of the bytes at which a lexer must stop and look; every other byte is
/// skipped in a tight loop (masking is on the hot path of every scan).
const fn table(bytes: &[u8]) -> [bool; 256] {
    let mut t = [false; 256];
    let mut i = 0;
    while i < bytes.len() {
        t[bytes[i] as usize] = true;
        i += 1;
    }
    t
}

const C_LIKE_STOPS: [bool; 256] = table(b"/\"'`#");
const SCRIPT_STOPS: [bool; 256] = table(b"#=\"'");
const STRING_STOPS: [bool; 256] = table(b"\\\n\r\"'`");

impl Masker<'_> {
    fn at(&self, i: usize) -> u8 {
        self.text.get(i).copied().unwrap_or(0)
    }

    /// Moves `self.i` to the next byte marked in `stops` (or the end).
    fn skip_to(&mut self, stops: &[bool; 256]) {
        while self.i < self.text.len() && !stops[usize::from(self.text[self.i])] {
            self.i += 1;
        }
    }

    fn starts_with(&self, s: &[u8]) -> bool {
        self.text[self.i..].starts_with(s)
    }

    /// Blank `[from, to)` except line breaks.
    fn blank(&mut self, from: usize, to: usize) {
        for j in from..to.min(self.text.len()) {
            if !is_break(self.text[j]) {
                self.out[j] = b' ';
            }
        }
    }

    /// Blank from `self.i` to the end of the line.
    fn line_comment(&mut self) {
        let start = self.i;
        self.i = memchr::memchr2(b'\n', b'\r', &self.text[start..])
            .map_or(self.text.len(), |n| start + n);
        self.blank(start, self.i);
    }

    /// Blank from `self.i` through the closing delimiter (or the end of the text).
    fn block_comment(&mut self, close: &[u8], skip_open: usize) {
        let start = self.i;
        let from = (self.i + skip_open).min(self.text.len());
        self.i = memchr::memmem::find(&self.text[from..], close)
            .map_or(self.text.len(), |n| from + n + close.len());
        self.blank(start, self.i);
    }

    /// Skip a quoted string starting at `self.i`; single-line unless `multiline`.
    fn string(&mut self, quote: u8, escapes: bool, multiline: bool) {
        self.i += 1;
        loop {
            self.skip_to(&STRING_STOPS);
            let Some(&b) = self.text.get(self.i) else {
                return;
            };
            if escapes && b == b'\\' {
                self.i += 2;
                continue;
            }
            if b == quote {
                self.i += 1;
                return;
            }
            if !multiline && is_break(b) {
                return;
            }
            self.i += 1;
        }
    }

    fn triple_string(&mut self, quote: u8) {
        let close = [quote; 3];
        self.i += 3;
        while self.i < self.text.len() && !self.starts_with(&close) {
            self.i += if self.text[self.i] == b'\\' { 2 } else { 1 };
        }
        self.i = (self.i + 3).min(self.text.len());
    }

    /// A `/` opens a regex literal when the previous significant byte cannot end an
    /// expression (so `a / b` stays a division).
    fn regex_can_start(&self) -> bool {
        let before = &self.text[..self.i];
        match before
            .iter()
            .rev()
            .find(|b| !b.is_ascii_whitespace())
            .copied()
        {
            None => true,
            Some(b) => b"(,=:[!&|?{};+-*%<>~^".contains(&b) || before.ends_with(b"return"),
        }
    }

    /// Skip a regex literal if one starts here; returns false (nothing skipped) when the
    /// line ends before a closing `/`.
    fn regex_literal(&mut self) -> bool {
        let mut j = self.i + 1;
        let mut in_class = false;
        while j < self.text.len() && !is_break(self.text[j]) {
            match self.text[j] {
                b'\\' => j += 1,
                b'[' => in_class = true,
                b']' => in_class = false,
                b'/' if !in_class => {
                    self.i = j + 1;
                    return true;
                }
                _ => {}
            }
            j += 1;
        }
        false
    }

    fn c_like(&mut self, backtick: bool, regex: bool, php: bool) {
        loop {
            self.skip_to(&C_LIKE_STOPS);
            let Some(&b) = self.text.get(self.i) else {
                return;
            };
            let next = self.at(self.i + 1);
            match b {
                b'/' if next == b'/' => self.line_comment(),
                b'/' if next == b'*' => self.block_comment(b"*/", 2),
                b'#' if php && next != b'[' => self.line_comment(),
                b'"' | b'\'' => self.string(b, true, false),
                b'`' if backtick => self.string(b, regex, true),
                b'/' if regex && self.regex_can_start() && self.regex_literal() => {}
                _ => self.i += 1,
            }
        }
    }

    fn script(&mut self, triple_quotes: bool, ruby_blocks: bool) {
        loop {
            self.skip_to(&SCRIPT_STOPS);
            let Some(&b) = self.text.get(self.i) else {
                return;
            };
            let line_start = self.i == 0 || is_break(self.at(self.i - 1));
            match b {
                b'#' => self.line_comment(),
                b'=' if ruby_blocks && line_start && self.starts_with(b"=begin") => {
                    self.block_comment(b"\n=end", 0);
                    self.line_comment();
                }
                b'"' | b'\'' if triple_quotes && self.starts_with(&[b; 3]) => self.triple_string(b),
                b'"' | b'\'' => self.string(b, true, false),
                _ => self.i += 1,
            }
        }
    }

    fn hash_after_space(&mut self) {
        while let Some(n) = memchr::memchr(b'#', &self.text[self.i..]) {
            self.i += n;
            if self.i == 0 || self.at(self.i - 1).is_ascii_whitespace() {
                self.line_comment();
            } else {
                self.i += 1;
            }
        }
    }

    fn line_start(&mut self, markers: &[u8]) {
        let mut first_on_line = true;
        while self.i < self.text.len() {
            let b = self.text[self.i];
            if first_on_line && markers.contains(&b) {
                self.line_comment();
                continue;
            }
            if is_break(b) {
                first_on_line = true;
            } else if !b.is_ascii_whitespace() {
                first_on_line = false;
            }
            self.i += 1;
        }
    }

    fn markup(&mut self) {
        while let Some(n) = memchr::memmem::find(&self.text[self.i..], b"<!--") {
            self.i += n;
            self.block_comment(b"-->", 4);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(text: &str, language: Language) -> String {
        String::from_utf8(mask_comments(text.as_bytes(), language)).unwrap()
    }

    #[test]
    fn js_comments_go_strings_stay() {
        let src = "a('http://x') // c\n/* b\nc */ d `//e` /re\\/g/ // f";
        let out = masked(src, Language::Javascript);
        assert_eq!(out.len(), src.len());
        assert_eq!(out, "a('http://x')     \n    \n     d `//e` /re\\/g/     ");
    }

    #[test]
    fn division_is_not_a_regex() {
        let out = masked("x = a / b // c", Language::Javascript);
        assert_eq!(out, "x = a / b     ");
    }

    #[test]
    fn python_hash_in_string_is_not_a_comment() {
        let out = masked("s = '#x' # y\n\"\"\"doc # z\"\"\"", Language::Python);
        assert_eq!(out, "s = '#x'    \n\"\"\"doc # z\"\"\"");
    }

    #[test]
    fn ruby_block_comments() {
        let out = masked("a\n=begin\nport 3000\n=end\nb", Language::Ruby);
        assert_eq!(out, "a\n      \n         \n    \nb");
    }

    #[test]
    fn php_hash_comment_but_not_attribute() {
        let out = masked("#[Route]\n# x\n$a = 1; // y", Language::Php);
        assert_eq!(out, "#[Route]\n   \n$a = 1;     ");
    }

    #[test]
    fn yaml_hash_needs_space_before() {
        let out = masked("url: http://a/#frag # note\n# whole", Language::Yaml);
        assert_eq!(out, "url: http://a/#frag       \n       ");
    }

    #[test]
    fn properties_hash_inside_a_value_is_the_value() {
        let out = masked("# c\n! d\nkey=a # b", Language::Properties);
        assert_eq!(out, "   \n   \nkey=a # b");
    }

    #[test]
    fn xml_comments_and_crlf() {
        let out = masked("<a/>\r\n<!-- <b/>\r\n -->", Language::Xml);
        assert_eq!(out, "<a/>\r\n         \r\n    ");
    }

    #[test]
    fn unterminated_things_do_not_panic() {
        for lang in [
            Language::Javascript,
            Language::Php,
            Language::Python,
            Language::Ruby,
            Language::Xml,
        ] {
            for src in [
                "/*", "'abc", "\"\"\"", "`", "<!--", "=begin", "/", "\\", "#",
            ] {
                assert_eq!(mask_comments(src.as_bytes(), lang).len(), src.len());
            }
        }
    }

    mod properties {
        use super::*;
        use crate::testing::{config, tricky_bytes};
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(config())]

            /// Same length, same line breaks, and every byte either kept or blanked.
            #[test]
            fn masking_keeps_length_and_line_breaks(
                text in tricky_bytes(),
                language in proptest::sample::select(&Language::ALL[..]),
            ) {
                let masked = mask_comments(&text, language);
                prop_assert_eq!(masked.len(), text.len());
                for (original, out) in text.iter().zip(&masked) {
                    if matches!(original, b'\n' | b'\r') {
                        prop_assert_eq!(out, original);
                    } else {
                        prop_assert!(out == original || *out == b' ');
                    }
                }
            }
        }
    }
}
