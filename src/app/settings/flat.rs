//! Flat `key = value` entries of a YAML settings file, each with its value's span:
//! nested keys joined with dots (`spring:\n  redis:\n    host: x` → `spring.redis.host`),
//! lists joined with commas. Enough for Spring Boot's application.yml and Symfony's
//! config/packages/*.yaml; anchors, flow mappings and multi-line strings are not read.

/// One `key = value` of a properties or YAML file, with the value's span.
pub(crate) struct Entry {
    pub key: String,
    pub value: String,
    pub span: (usize, usize),
}

/// Nested YAML keys flattened by indentation (`spring:\n  redis:\n    host: x` →
/// `spring.redis.host`); lists joined with commas.
pub(crate) fn yaml(text: &str) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    let mut path: Vec<(usize, String)> = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.split(" #").next().unwrap_or(line).trim_end();
        let trimmed = content.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with("---") {
            if trimmed.starts_with("---") {
                path.clear();
            }
            continue;
        }
        let indent = content.len() - trimmed.len();
        if let Some(item) = trimmed.strip_prefix("- ") {
            // A list item of the last key.
            if let Some(last) = out.last_mut()
                && path
                    .last()
                    .is_some_and(|(_, k)| last.key.ends_with(k.as_str()))
            {
                if !last.value.is_empty() {
                    last.value.push(',');
                }
                last.value.push_str(item.trim().trim_matches(['"', '\'']));
                last.span.1 = start + line.len();
            }
            continue;
        }
        let Some((key, raw)) = trimmed.split_once(':') else {
            continue;
        };
        while path.last().is_some_and(|(i, _)| *i >= indent) {
            path.pop();
        }
        let full: Vec<&str> = path
            .iter()
            .map(|(_, k)| k.as_str())
            .chain([key.trim()])
            .collect();
        let value = raw.trim();
        let value_start = start + indent + key.len() + 1 + (raw.len() - raw.trim_start().len());
        out.push(Entry {
            key: full.join("."),
            value: value.to_string(),
            span: (value_start, value_start + value.len()),
        });
        if value.is_empty() {
            path.push((indent, key.trim().to_string()));
        }
    }
    out.retain(|e| !e.value.is_empty());
    out
}
