//! Reading the check reports named on the command line: files, or folders searched for
//! `*.json` (as CI artifacts are downloaded, one folder per job). Every error names the
//! file and, for bad JSON, the line and column.

use super::model::KIND;
use super::wire::CheckReport;
use crate::report::json::SCHEMA_VERSION;
use std::path::{Path, PathBuf};

/// One report and the file it came from, as given (for messages and the portfolio).
pub struct Loaded {
    pub path: String,
    pub report: CheckReport,
}

/// The report files under `inputs`, in a stable order: files as given, folders sorted.
pub fn expand(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let before = files.len();
            collect_json(input, &mut files)?;
            files[before..].sort();
            if files.len() == before {
                return Err(format!(
                    "{}: no .json report in this folder",
                    input.display()
                ));
            }
        } else if input.is_file() {
            files.push(input.clone());
        } else {
            return Err(format!("{}: no such file or directory", input.display()));
        }
    }
    Ok(files)
}

fn collect_json(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries =
        std::fs::read_dir(dir).map_err(|err| format!("{}: cannot read: {err}", dir.display()))?;
    for entry in entries {
        let path = entry
            .map_err(|err| format!("{}: cannot read: {err}", dir.display()))?
            .path();
        // Symbolic links are not followed, so a folder cannot loop.
        let kind = std::fs::symlink_metadata(&path).map(|m| m.file_type());
        match kind {
            Ok(kind) if kind.is_dir() => collect_json(&path, out)?,
            Ok(kind) if kind.is_file() && path.extension().is_some_and(|e| e == "json") => {
                out.push(path)
            }
            _ => {}
        }
    }
    Ok(())
}

/// Reads and checks every report, on all cores: a thousand reports take milliseconds.
pub fn load_all(files: &[PathBuf]) -> Result<Vec<Loaded>, String> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = files.len().div_ceil(threads).max(1);
    let results: Vec<Result<Vec<Loaded>, String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(|f| load(f)).collect()))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err("a reader thread panicked".into()))
            })
            .collect()
    });
    let mut all = Vec::with_capacity(files.len());
    for part in results {
        all.extend(part?);
    }
    Ok(all)
}

/// One report, checked to be a twelve check report of a schema version this twelve reads.
pub fn load(file: &Path) -> Result<Loaded, String> {
    let shown = file.display().to_string();
    let text =
        std::fs::read_to_string(file).map_err(|err| format!("{shown}: cannot read: {err}"))?;
    parse(&shown, &text).map(|report| Loaded {
        path: shown,
        report,
    })
}

fn parse(shown: &str, text: &str) -> Result<CheckReport, String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|err| {
        format!(
            "{shown}:{}:{}: invalid JSON: {err}",
            err.line(),
            err.column()
        )
    })?;
    if value.get("kind").and_then(|k| k.as_str()) == Some(KIND) {
        return Err(format!(
            "{shown}: this is a twelve portfolio, not a check report; pass an earlier portfolio with --previous"
        ));
    }
    let tool = value.pointer("/tool/name").and_then(|n| n.as_str());
    if tool != Some("twelve") {
        return Err(format!(
            "{shown}: not a twelve report (write one with `twelve check --format json --output FILE`)"
        ));
    }
    let version = value.get("version").and_then(|v| v.as_u64());
    if version != Some(u64::from(SCHEMA_VERSION)) {
        let written_by = value
            .pointer("/tool/version")
            .and_then(|v| v.as_str())
            .unwrap_or("an unknown version");
        let version = version.map_or_else(|| "no".to_string(), |v| v.to_string());
        return Err(format!(
            "{shown}: written by twelve {written_by} in JSON version {version}; this twelve ({}) reads version {SCHEMA_VERSION}: run every check with the same major twelve release",
            env!("CARGO_PKG_VERSION")
        ));
    }
    let report: CheckReport = serde_json::from_value(value).map_err(|err| {
        format!("{shown}: not a twelve check report of version {SCHEMA_VERSION}: {err}")
    })?;
    // Without verdicts, a report that names its repository found no app there (a
    // library, docs); one that does not may be a scan of several directories.
    if report.platforms.is_none() && report.repository.is_none() {
        return Err(format!(
            "{shown}: no per-host verdicts and no repository (the check scanned several directories, or an older twelve wrote it); run `twelve check --format json` once per repository"
        ));
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"{"version": 1, "tool": {"name": "twelve", "version": "0.1.0"},
        "findings": [], "summary": {"files_scanned": 1, "files_skipped": {}, "findings": {}, "problems": []},
        "platforms": []}"#;

    #[test]
    fn reads_a_minimal_report() {
        let report = parse("a.json", MINIMAL).unwrap();
        assert_eq!(report.tool.version, "0.1.0");
        assert!(report.repository.is_none());
    }

    #[test]
    fn clear_messages() {
        let err = parse("a.json", "{\n  \"version\": 1,\n  oops").unwrap_err();
        assert!(err.starts_with("a.json:3:3: invalid JSON"), "{err}");
        let newer = MINIMAL.replace("\"version\": 1", "\"version\": 2");
        let err = parse("b.json", &newer).unwrap_err();
        assert!(
            err.contains("written by twelve 0.1.0 in JSON version 2"),
            "{err}"
        );
        let err = parse("c.json", r#"{"version": 2.1.0}"#).unwrap_err();
        assert!(err.contains("invalid JSON"), "{err}");
        let err = parse("d.json", r#"{"$schema": "sarif", "version": "2.1.0"}"#).unwrap_err();
        assert!(err.contains("not a twelve report"), "{err}");
        let err = parse("e.json", r#"{"kind": "twelve-portfolio"}"#).unwrap_err();
        assert!(err.contains("--previous"), "{err}");
        let several = MINIMAL.replace(",\n        \"platforms\": []", "");
        let err = parse("f.json", &several).unwrap_err();
        assert!(err.contains("once per repository"), "{err}");
        let no_app = several.replace(
            "\"findings\": [],",
            "\"findings\": [], \"repository\": {\"name\": \"org/docs\", \"commit\": null},",
        );
        assert!(parse("f.json", &no_app).unwrap().platforms.is_none());
        let bad_field = MINIMAL.replace("\"findings\": []", "\"findings\": 3");
        let err = parse("g.json", &bad_field).unwrap_err();
        assert!(
            err.contains("not a twelve check report of version 1"),
            "{err}"
        );
    }
}
