//! What a named default selects, for the frameworks whose configuration is a tree of
//! free-form keys (Go config structs and their YAML files, Node config modules): the
//! key's name (`DBUri`, `session.store`, squeezed to `dburi`, `sessionstore`) and its
//! value together say whether it picks a backend local to one container.

use super::Key;

/// Names of a database address or file.
const DATABASE_ADDRESSES: &[&str] = &[
    "dburi",
    "dburl",
    "databaseuri",
    "databaseurl",
    "dsn",
    "dbdsn",
    "databasedsn",
    "dbpath",
    "databasepath",
    "dbfile",
    "dbfilename",
    "databasefile",
    "sqlitepath",
    "sqlitefile",
    "storage",
];

/// Names of the option that picks a backend (`session.store`, `cache.driver`).
const BACKEND_OPTIONS: &[&str] = &["store", "driver", "type", "adapter", "backend", "engine"];

/// Backend values that keep data in the process or on its disk.
const LOCAL_BACKENDS: &[&str] = &[
    "memory",
    "memorystore",
    "mem",
    "inmemory",
    "file",
    "files",
    "filesystem",
    "fs",
    "local",
    "disk",
];

/// Search engines that keep their index in a local folder.
const LOCAL_INDEXES: &[&str] = &["bleve", "bluge"];

/// The key and message of a value that selects something local to one container;
/// `norm` is the squeezed name, `shown` the name as written, `origin` the file's part.
pub(super) fn local_backend(
    norm: &str,
    value: &str,
    shown: &str,
    origin: &str,
) -> Option<(Key, String)> {
    let tokens = || value.split([',', '|', ' ']).map(str::trim);
    let lower = value.to_ascii_lowercase();
    let database = |what: String| Some((Key::DatabaseEngine, what));
    if ["dialect", "driver", "dbtype", "client", "type"]
        .iter()
        .any(|n| norm.ends_with(n))
        && (lower.starts_with("sqlite") || lower == "better-sqlite3")
    {
        return database(format!(
            "an SQLite database (`{shown}: \"{value}\"` in {origin})"
        ));
    }
    if DATABASE_ADDRESSES.contains(&norm) && sqlite_file(value) {
        return database(format!("an SQLite file, `{value}` (`{shown}` in {origin})"));
    }
    let option = BACKEND_OPTIONS.iter().any(|o| norm.ends_with(o));
    if option && LOCAL_BACKENDS.contains(&lower.as_str()) {
        let at = format!("(`{shown}: {value}` in {origin})");
        if norm.contains("session") {
            return Some((Key::SessionStore, format!("sessions in {lower} {at}")));
        }
        if norm.contains("cache") {
            return Some((Key::CacheStore, format!("a {lower} cache {at}")));
        }
    }
    if let Some(rest) = norm.strip_prefix("log")
        && matches!(
            rest,
            "output"
                | "outputs"
                | "target"
                | "targets"
                | "to"
                | "destination"
                | "writer"
                | "writers"
        )
        && tokens().any(|t| t == "file")
    {
        return Some((
            Key::LogTargets,
            format!("logs written to a file (`{shown}: {value}` in {origin})"),
        ));
    }
    if (norm.contains("index") || norm.contains("search")) && LOCAL_INDEXES.contains(&value) {
        return Some((
            Key::StorageDefault,
            format!(
                "a {value} search index on the container's disk (`{shown}: {value}` in {origin})"
            ),
        ));
    }
    if (norm.ends_with("dir") || norm.ends_with("folder") || norm.ends_with("path"))
        && ["upload", "image", "media", "attachment", "file"]
            .iter()
            .any(|w| norm.contains(w))
        && !value.is_empty()
    {
        return Some((
            Key::StorageDefault,
            format!("uploads in `{value}` on the container's disk (`{shown}` in {origin})"),
        ));
    }
    None
}

/// Whether a database address names an SQLite file (`app.db`, `file:data.sqlite`).
pub(super) fn sqlite_file(value: &str) -> bool {
    let path = value
        .split('?')
        .next()
        .unwrap_or(value)
        .to_ascii_lowercase();
    path.starts_with("sqlite:")
        || path.starts_with("sqlite3:")
        || (path.starts_with("file:") && !path.contains("://"))
        || [".db", ".sqlite", ".sqlite3", ".db3"]
            .iter()
            .any(|ext| path.ends_with(ext) && !path.contains("://"))
}

/// `DBUri`, `db-uri`, `session.store` → `dburi`, `dburi`, `sessionstore`.
pub(super) fn squeeze(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_files() {
        assert!(sqlite_file("opengist.db"));
        assert!(sqlite_file("file:/data/app.sqlite?cache=shared"));
        assert!(!sqlite_file("postgres://u@h/app"));
        assert!(!sqlite_file("mysql://u@h/app.db"));
    }

    #[test]
    fn backends_by_name_and_value() {
        let key = |n: &str, v: &str| local_backend(&squeeze(n), v, n, "f").map(|(k, _)| k);
        assert_eq!(key("session.store", "memory"), Some(Key::SessionStore));
        assert_eq!(key("cache.driver", "file"), Some(Key::CacheStore));
        assert_eq!(key("cache.driver", "redis"), None);
        assert_eq!(key("client", "sqlite3"), Some(Key::DatabaseEngine));
        assert_eq!(key("log-output", "stdout,file"), Some(Key::LogTargets));
        assert_eq!(key("log-output", "stdout"), None);
    }
}
