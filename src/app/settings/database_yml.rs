//! Rails' config/database.yml: the adapter its production section runs with, through
//! the block it merges (`<<: *default`), anchors resolved.

use super::{Framework, Key, Setting};

/// A top-level block of a YAML file: its key, its anchor (`&default`) and its lines
/// with their offsets, the key's own line excluded.
struct Block<'a> {
    key: &'a str,
    anchor: Option<&'a str>,
    lines: Vec<(usize, &'a str)>,
}

fn blocks(text: &str) -> Vec<Block<'_>> {
    let mut blocks: Vec<Block> = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let at = offset;
        offset += line.len();
        let content = line.trim_end();
        if content.trim_start().starts_with('#') || content.is_empty() {
            continue;
        }
        if !content.starts_with([' ', '\t']) {
            if let Some((key, rest)) = content.split_once(':') {
                let anchor = rest.trim().strip_prefix('&').map(str::trim);
                blocks.push(Block {
                    key: key.trim(),
                    anchor,
                    lines: Vec::new(),
                });
            }
        } else if let Some(block) = blocks.last_mut() {
            block.lines.push((at, content));
        }
    }
    blocks
}

/// The value of `name:` among a block's lines.
fn field<'a>(lines: &[(usize, &'a str)], name: &str) -> Option<(usize, &'a str)> {
    lines.iter().find_map(|(at, l)| {
        l.trim()
            .strip_prefix(name)
            .and_then(|v| v.strip_prefix(':'))
            .map(|v| (*at, v.trim()))
    })
}

/// The `adapter:` of a block, itself or through the `<<: *anchor` it merges.
fn adapter<'a>(blocks: &[Block<'a>], block: &Block<'a>, depth: usize) -> Option<&'a str> {
    if let Some((_, own)) = field(&block.lines, "adapter") {
        return Some(own.trim_matches(['"', '\'']));
    }
    let (_, merged) = field(&block.lines, "<<")?;
    let name = merged.strip_prefix('*')?;
    let merged = blocks.iter().find(|b| b.anchor == Some(name))?;
    (depth < 4).then(|| adapter(blocks, merged, depth + 1))?
}

/// The production section taking the SQLite adapter from the block it merges: a
/// database file on one container's disk. (A literal `adapter: sqlite3` in the section
/// itself is `sqlite-in-production`'s.)
pub fn merged_sqlite(text: &str, file: &str) -> Option<Setting> {
    let blocks = blocks(text);
    let production = blocks.iter().find(|b| b.key == "production")?;
    if field(&production.lines, "adapter").is_some() {
        return None;
    }
    let (at, _) = field(&production.lines, "<<")?;
    let value = adapter(&blocks, production, 0)?;
    if !matches!(value, "sqlite3" | "sqlite") {
        return None;
    }
    let line = text[at..].lines().next().unwrap_or("");
    let merge = line.trim();
    let start = at + (line.len() - line.trim_start().len());
    Some(Setting {
        key: Key::DatabaseEngine,
        framework: Framework::Rails,
        value: value.to_string(),
        file: file.to_string(),
        span: (start, start + merge.len()),
        variable: None,
        local: true,
        detail: format!(
            "the `{value}` adapter the production section merges (`{merge}`), a database file on the container's disk"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_keys_resolve_the_production_adapter() {
        let sqlite = "default: &default\n  adapter: sqlite3\n  pool: 5\n\ndevelopment:\n  <<: *default\n\nproduction:\n  <<: *default\n  database: db/production.sqlite3\n";
        let found = merged_sqlite(sqlite, "config/database.yml").expect("sqlite");
        assert_eq!(&sqlite[found.span.0..found.span.1], "<<: *default");
        let postgres = sqlite.replace(
            "production:\n  <<: *default\n",
            "production:\n  <<: *default\n  adapter: postgresql\n",
        );
        assert!(merged_sqlite(&postgres, "config/database.yml").is_none());
        let pg_default = sqlite.replace("adapter: sqlite3", "adapter: postgresql");
        assert!(merged_sqlite(&pg_default, "config/database.yml").is_none());
    }
}
