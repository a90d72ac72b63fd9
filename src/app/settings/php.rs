//! A reader of the array a PHP config file returns (`return [ 'key' => value, ... ];`),
//! enough for Laravel's config/*.php: keys, nested arrays and each value's span. Values
//! other than arrays are kept as their source text. Works on comment-masked text.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// Byte span of the value in the file.
    pub span: (usize, usize),
    /// The entries, for an array literal.
    pub entries: Option<Vec<Entry>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The key's string value; `None` for a list item.
    pub key: Option<String>,
    pub value: Node,
}

impl Node {
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries
            .as_ref()?
            .iter()
            .find(|e| e.key.as_deref() == Some(key))
            .map(|e| &e.value)
    }

    pub fn entries(&self) -> &[Entry] {
        self.entries.as_deref().unwrap_or(&[])
    }

    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.span.0..self.span.1).unwrap_or("").trim()
    }
}

/// The array after the file's `return`.
pub fn returned_array(masked: &str) -> Option<Node> {
    let at = masked.find("return")?;
    let bytes = masked.as_bytes();
    let mut i = at + "return".len();
    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    let (node, _) = array_at(bytes, i)?;
    Some(node)
}

/// An array literal starting at `i` (`[` or `array(`), and the index after it.
fn array_at(t: &[u8], i: usize) -> Option<(Node, usize)> {
    let (open_len, close) = if t.get(i) == Some(&b'[') {
        (1, b']')
    } else if t[i..].len() >= 6 && t[i..i + 5].eq_ignore_ascii_case(b"array") {
        let mut j = i + 5;
        while j < t.len() && t[j].is_ascii_whitespace() {
            j += 1;
        }
        if t.get(j) != Some(&b'(') {
            return None;
        }
        (j + 1 - i, b')')
    } else {
        return None;
    };
    let mut entries = Vec::new();
    let mut j = i + open_len;
    loop {
        j = skip_ws(t, j);
        match t.get(j) {
            None => return None,
            Some(&b) if b == close => break,
            _ => {}
        }
        let (first, after_first) = value_at(t, j, close)?;
        let k = skip_ws(t, after_first);
        let (key, value, next) = if t[k..].starts_with(b"=>") {
            let v = skip_ws(t, k + 2);
            let (value, after) = value_at(t, v, close)?;
            let key = std::str::from_utf8(&t[first.span.0..first.span.1])
                .ok()
                .and_then(string_literal);
            (key, value, after)
        } else {
            (None, first, after_first)
        };
        entries.push(Entry { key, value });
        j = skip_ws(t, next);
        match t.get(j) {
            Some(b',') => j += 1,
            Some(&b) if b == close => break,
            _ => return None,
        }
    }
    Some((
        Node {
            span: (i, j + 1),
            entries: Some(entries),
        },
        j + 1,
    ))
}

/// A value starting at `i`: an array, or an expression up to a top-level `,`, `=>`
/// or the enclosing `close`.
fn value_at(t: &[u8], i: usize, close: u8) -> Option<(Node, usize)> {
    if let Some(found) = array_at(t, i) {
        return Some(found);
    }
    let mut depth = 0usize;
    let mut j = i;
    while j < t.len() {
        match t[j] {
            b'\'' | b'"' => j = string_end(t, j)?,
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' if depth > 0 => depth -= 1,
            b if depth == 0 && (b == close || b == b',') => break,
            b'=' if depth == 0 && t.get(j + 1) == Some(&b'>') => break,
            b')' | b']' | b'}' => return None,
            _ => {}
        }
        j += 1;
    }
    let mut end = j;
    while end > i && t[end - 1].is_ascii_whitespace() {
        end -= 1;
    }
    Some((
        Node {
            span: (i, end),
            entries: None,
        },
        j,
    ))
}

/// The index of the quote closing the string opened at `i`.
fn string_end(t: &[u8], i: usize) -> Option<usize> {
    let quote = t[i];
    let mut j = i + 1;
    while j < t.len() {
        match t[j] {
            b'\\' => j += 1,
            b if b == quote => return Some(j),
            _ => {}
        }
        j += 1;
    }
    None
}

fn skip_ws(t: &[u8], mut i: usize) -> usize {
    while i < t.len() && t[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// `'file'` or `"file"` (without interpolation) → `file`.
pub fn string_literal(text: &str) -> Option<String> {
    let text = text.trim();
    let quote = text.chars().next()?;
    if !matches!(quote, '\'' | '"') || text.len() < 2 || !text.ends_with(quote) {
        return None;
    }
    let inner = &text[1..text.len() - 1];
    (!inner.contains(quote) && !inner.contains('$')).then(|| inner.to_string())
}

/// `env('NAME')` or `env('NAME', default)` → (NAME, the default's text).
pub fn env_call(text: &str) -> Option<(String, Option<&str>)> {
    let inner = text.trim().strip_prefix("env(")?.strip_suffix(')')?;
    let (name, default) = match split_top_comma(inner) {
        Some((name, default)) => (name, Some(default.trim())),
        None => (inner, None),
    };
    Some((string_literal(name)?, default))
}

/// Splits at the first comma outside strings and brackets.
fn split_top_comma(text: &str) -> Option<(&str, &str)> {
    let t = text.as_bytes();
    let mut depth = 0usize;
    let mut j = 0;
    while j < t.len() {
        match t[j] {
            b'\'' | b'"' => j = string_end(t, j)?,
            b'(' | b'[' => depth += 1,
            b')' | b']' => depth = depth.saturating_sub(1),
            b',' if depth == 0 => return Some((&text[..j], &text[j + 1..])),
            _ => {}
        }
        j += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_nested_arrays_with_spans() {
        let text = "<?php\nreturn [\n    'default' => env('LOG_CHANNEL', 'stack'),\n    'channels' => [\n        'stack' => ['driver' => 'stack', 'channels' => ['daily', 'stderr']],\n        'daily' => array('driver' => 'daily', 'path' => storage_path('logs/a.log')),\n    ],\n];\n";
        let root = returned_array(text).unwrap();
        let default = root.get("default").unwrap();
        assert_eq!(default.text(text), "env('LOG_CHANNEL', 'stack')");
        assert_eq!(
            env_call(default.text(text)),
            Some(("LOG_CHANNEL".to_string(), Some("'stack'")))
        );
        let channels = root.get("channels").unwrap();
        let stack = channels.get("stack").unwrap().get("channels").unwrap();
        let names: Vec<_> = stack
            .entries()
            .iter()
            .filter_map(|e| string_literal(e.value.text(text)))
            .collect();
        assert_eq!(names, ["daily", "stderr"]);
        let daily = channels.get("daily").unwrap();
        assert_eq!(daily.get("driver").unwrap().text(text), "'daily'");
    }

    #[test]
    fn odd_input_gives_none_not_a_panic() {
        for text in [
            "",
            "return",
            "return [",
            "return ['a' => (]",
            "return ['a' => 'b",
        ] {
            let _ = returned_array(text);
        }
        assert_eq!(string_literal("'a$b'"), None);
        assert_eq!(env_call("env('X')"), Some(("X".into(), None)));
    }
}
