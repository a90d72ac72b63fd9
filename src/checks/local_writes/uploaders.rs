//! CarrierWave uploaders that name their folder but not their storage: where production
//! runs with `:file` storage (read by the settings model from the initializer), the
//! `store_dir` the uploader returns is a folder on the container's disk.

use super::super::bytes_regex;
use crate::app::App;
use crate::app::settings::{Framework, Key};
use crate::finding::Finding;
use crate::rules::Rule;
use crate::source::SourceFile;
use regex::bytes::Regex;
use std::sync::OnceLock;

struct Patterns {
    uploader: Regex,
    own_storage: Regex,
    store_dir: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| Patterns {
        uploader: bytes_regex(r"<\s*CarrierWave::Uploader::Base\b"),
        // An uploader choosing its storage is read by `local-file-storage` (`storage :file`)
        // or stores elsewhere.
        own_storage: bytes_regex(r"^[ \t]*storage\s+:\w+"),
        store_dir: bytes_regex(r"^([ \t]*)def\s+store_dir\b[^\n]*\n"),
    })
}

/// The line `store_dir` returns its folder on: the last line of its body that starts
/// with a string.
pub fn store_dir_facts(rule: &Rule, file: &SourceFile, out: &mut Vec<Finding>) {
    let p = patterns();
    if !p.uploader.is_match(&file.masked) || p.own_storage.is_match(&file.masked) {
        return;
    }
    let Some(def) = p.store_dir.captures(&file.masked) else {
        return;
    };
    let indent = def.get(1).map_or(0, |m| m.len());
    let mut offset = def.get(0).map_or(0, |m| m.end());
    let mut returned = None;
    for line in file.masked[offset..].split_inclusive(|b| *b == b'\n') {
        let text = line.trim_ascii_start();
        let lead = line.len() - text.len();
        if !text.is_empty() && lead <= indent {
            break;
        }
        if text.first().is_some_and(|b| matches!(b, b'"' | b'\'')) {
            let end = text.iter().position(|b| *b == b'\n').unwrap_or(text.len());
            returned = Some((offset + lead, offset + lead + end));
        }
        offset += line.len();
    }
    let Some((start, end)) = returned else {
        return;
    };
    let folder = String::from_utf8_lossy(&file.masked[start..end]).into_owned();
    out.push(rule.finding(
        &file.rel_path,
        file.locate(start, end),
        format!("this uploader stores its files under {folder}, relative to public/"),
    ));
}

/// The uploaders' folders, when production runs CarrierWave with `:file` storage.
pub fn store_dirs(app: &App) -> Vec<Finding> {
    let Some(storage) = app
        .settings
        .of(Key::StorageDefault)
        .find(|s| s.framework == Framework::Rails && s.value == "file" && s.local)
    else {
        return Vec::new();
    };
    let line = crate::app::settings::line_of(
        app.inventory.manifest(&storage.file).unwrap_or_default(),
        storage.span.0,
    );
    app.inventory
        .code.uploader_dirs
        .iter()
        .map(|f| {
            let mut f = f.clone();
            f.message = format!(
                "{}, on the container's disk ({} at {}:{line}): lost on restart and not shared between instances",
                f.message, storage.detail, storage.file
            );
            f
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::testing::{rule, source};
    use super::*;
    use crate::classify::Language;

    fn dirs(code: &str) -> Vec<usize> {
        let file = source("app/uploaders/doc_uploader.rb", Language::Ruby, code);
        let mut out = Vec::new();
        store_dir_facts(&rule(), &file, &mut out);
        out.iter().map(|f| f.start.line).collect()
    }

    #[test]
    fn the_returned_folder_is_the_last_string_of_the_body() {
        let code = "class DocUploader < CarrierWave::Uploader::Base\n  def store_dir\n    sub = model.id\n    \"uploads/#{sub}\"\n  end\n\n  def other\n    \"x\"\n  end\nend\n";
        assert_eq!(dirs(code), vec![4]);
    }

    #[test]
    fn the_folders_are_reported_when_production_stores_on_file() {
        let dir = rule().repo_finding("app/uploaders/doc_uploader.rb", "x".into());
        let app = |initializer: &str| {
            let facts = crate::repo::RepoFacts {
                manifests: [(
                    "config/initializers/carrierwave.rb".to_string(),
                    initializer.as_bytes().to_vec(),
                )]
                .into(),
                code: crate::code_facts::CodeFacts {
                    uploader_dirs: vec![dir.clone()],
                    ..Default::default()
                },
                ..Default::default()
            };
            App::build(facts, &Default::default())
        };
        let file = "CarrierWave.configure do |config|\n  config.storage = :file\nend\n";
        let found = store_dirs(&app(file));
        assert_eq!(found.len(), 1);
        assert!(
            found[0].message.contains("carrierwave.rb:2"),
            "{}",
            found[0].message
        );
        let fog = "CarrierWave.configure do |config|\n  config.storage = :fog\nend\n";
        assert!(store_dirs(&app(fog)).is_empty());
    }

    #[test]
    fn an_uploader_with_its_own_storage_is_left_alone() {
        let code = "class DocUploader < CarrierWave::Uploader::Base\n  storage :fog\n  def store_dir\n    \"uploads\"\n  end\nend\n";
        assert!(dirs(code).is_empty());
    }
}
