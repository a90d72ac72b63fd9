//! Every rule's `bad` examples must fire that rule and nothing else; every `good`
//! example must stay silent. An example's `also_fires` names the other rules it
//! fires for other faults of the same files. Each example is written out as a small repository and
//! scanned like a real one.

use std::fmt::Write as _;
use twelve::config::Config;
use twelve::rules::Registry;
use twelve::rules::spec::Example;
use twelve::scan::Scanner;

fn fired(registry: &Registry, example: &Example) -> Vec<String> {
    let dir = tempfile::tempdir().expect("temp dir");
    if example.git {
        std::fs::create_dir(dir.path().join(".git")).expect("mkdir .git");
    }
    for (path, code) in example.all_files() {
        let full = dir.path().join(path);
        std::fs::create_dir_all(full.parent().expect("has parent")).expect("mkdir");
        std::fs::write(&full, code).expect("write example");
    }
    let config = Config::default();
    let scanner = Scanner::new(registry, &config, 1).expect("scanner");
    let report = scanner.scan(&[dir.path().to_path_buf()]);
    assert!(
        report.summary.problems.is_empty(),
        "{:?}",
        report.summary.problems
    );
    report
        .findings
        .iter()
        .filter(|f| !example.also_fires.iter().any(|r| r == &f.rule))
        .map(|f| format!("{}:{}:{} {}", f.rule, f.file, f.start.line, f.message))
        .collect()
}

#[test]
fn every_example_behaves() {
    let registry = Registry::builtin().expect("rules load");
    let mut failures = String::new();
    // TWELVE_RULE=id runs one rule's examples, while writing it.
    let only = std::env::var("TWELVE_RULE").ok();
    for rule in &registry.rules {
        let id = rule.id();
        if only.as_deref().is_some_and(|o| o != id) {
            continue;
        }
        for example in rule.spec.bad.iter().chain(&rule.spec.good) {
            for other in &example.also_fires {
                if other == id || !registry.rules.iter().any(|r| r.id() == other) {
                    let _ = writeln!(failures, "{id}: also_fires names `{other}`");
                }
            }
        }
        for (i, example) in rule.spec.bad.iter().enumerate() {
            let got = fired(&registry, example);
            let only_this = !got.is_empty() && got.iter().all(|g| g.starts_with(&format!("{id}:")));
            if !only_this {
                let _ = writeln!(
                    failures,
                    "{id}: bad example #{i} should fire only {id}, got {got:#?}"
                );
            }
        }
        for (i, example) in rule.spec.good.iter().enumerate() {
            let got = fired(&registry, example);
            if !got.is_empty() {
                let _ = writeln!(
                    failures,
                    "{id}: good example #{i} should be silent, got {got:#?}"
                );
            }
        }
    }
    assert!(failures.is_empty(), "\n{failures}");
}

#[test]
fn every_rule_is_documented() {
    let registry = Registry::builtin().expect("rules load");
    for rule in &registry.rules {
        let docs = &rule.spec.docs;
        for (field, text) in [
            ("what", &docs.what),
            ("why", &docs.why),
            ("fix", &docs.fix),
            ("not_flagged", &docs.not_flagged),
        ] {
            assert!(
                text.trim().len() > 20,
                "{}: docs.{field} is too short",
                rule.id()
            );
        }
        assert!(
            docs.references
                .iter()
                .any(|r| r.starts_with("https://12factor.net/")),
            "{}: references must include the 12factor.net page",
            rule.id()
        );
    }
}
