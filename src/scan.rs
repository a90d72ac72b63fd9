//! One scan, data flowing one way: walk → classify → read → detect → decide. The
//! result is plain data (findings and a summary) for the reporters.

use crate::app::App;
use crate::app::package_json::PackageJson;
use crate::bounded::{self, Capped};
use crate::checks::{Check, Seen, file_facts, manifest};
use crate::classify::Role;
use crate::classify::{language_of, role_of};
use crate::config::Config;
use crate::detect::{detect, keywords_present};
use crate::finding::{Finding, assign_fingerprints};
use crate::redact::Redactor;
use crate::repo::{FileFacts, RepoFacts, START_FILES, dependency_manifest, inside_git};
use crate::rules::{Matcher, Registry, Rule, glob_set};
use crate::siblings;
use crate::source::{Decoded, SourceFile, decode};
use crate::suppress;
use crate::tracked::Tracked;
use crate::walk::{Entry, SkipReason, WalkOptions, committed_root_files, walk};
use globset::GlobSet;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub use crate::walk::ScanProblem;

#[derive(Debug, Default, Clone)]
pub struct Summary {
    pub files_scanned: usize,
    /// Skipped paths counted by reason (`SkipReason::key`).
    pub skipped: BTreeMap<&'static str, usize>,
    pub problems: Vec<ScanProblem>,
}

#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub summary: Summary,
    /// The model of each scanned directory, in the order of the roots (for `hosts`).
    pub apps: Vec<App>,
    /// Per-host verdicts, set by the decide step (`hosts::assess`) when asked for.
    pub platforms: Option<crate::hosts::Portability>,
    /// `--show-secrets`: the findings hold secrets unmasked, and reporters print them.
    pub secrets_shown: bool,
    /// Where the findings' paths start from, for reporters that show them from the
    /// repository root or the current directory (set after the scan).
    pub anchors: crate::anchor::Anchors,
    /// Why there are no verdicts, when the decide step gave none.
    pub no_verdict: Option<crate::hosts::no_verdict::NoVerdict>,
    /// How many roots were scanned.
    pub roots: usize,
    /// The repository and commit scanned, set by the command line for one directory.
    pub repository: Option<crate::identity::Identity>,
}

pub struct Scanner<'a> {
    registry: &'a Registry,
    config: &'a Config,
    rules: Vec<&'a Rule>,
    exclude: Option<GlobSet>,
    /// The `malformed-manifest` rule, when it is on.
    malformed_manifest: Option<&'a Rule>,
    per_path: Vec<(GlobSet, Vec<String>)>,
    threads: usize,
}

/// Errors that stop a scan before it starts (exit code 2).
#[derive(Debug)]
pub struct ScanSetupError(pub String);

impl<'a> Scanner<'a> {
    pub fn new(
        registry: &'a Registry,
        config: &'a Config,
        threads: usize,
    ) -> Result<Self, ScanSetupError> {
        let exclude = glob_set(&config.exclude).map_err(ScanSetupError)?;
        let per_path = config
            .per_path_ignores
            .iter()
            .map(|(glob, rules)| {
                let set = glob_set(std::slice::from_ref(glob)).map_err(ScanSetupError)?;
                Ok((set.expect("one glob gives a set"), rules.clone()))
            })
            .collect::<Result<_, ScanSetupError>>()?;
        let rules: Vec<&Rule> = registry
            .rules
            .iter()
            .filter(|r| config.rule_enabled(r.id()))
            .collect();
        let malformed_manifest = rules
            .iter()
            .find(|r| matches!(r.matcher, Matcher::Check(Check::MalformedManifest)))
            .copied();
        Ok(Scanner {
            registry,
            config,
            rules,
            exclude,
            malformed_manifest,
            per_path,
            threads,
        })
    }

    /// Scans each root; paths in findings are prefixed with the root when there are
    /// several, so they stay unambiguous.
    pub fn scan(&self, roots: &[PathBuf]) -> Report {
        let mut report = Report {
            roots: roots.len(),
            ..Report::default()
        };
        for root in roots {
            let prefix = (roots.len() > 1).then(|| root_display(root));
            self.scan_root(root, prefix.as_deref(), &mut report);
        }
        for finding in &mut report.findings {
            if let Some(level) = self.config.severity.get(&finding.rule) {
                finding.severity = *level;
            }
        }
        report
            .findings
            .retain(|f| self.config.rule_enabled(&f.rule));
        report
            .findings
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        report
            .findings
            .dedup_by(|a, b| a.sort_key() == b.sort_key());
        // Fingerprints hash the masked lines, whether or not `--show-secrets` shows them.
        if !report.findings.is_empty() {
            let redactor = Redactor::shared(self.registry);
            for finding in &mut report.findings {
                redactor.mark(finding);
            }
            assign_fingerprints(&mut report.findings);
            if !self.config.show_secrets {
                for finding in &mut report.findings {
                    redactor.mask(finding);
                }
            }
        }
        report.secrets_shown = self.config.show_secrets;
        report.summary.problems.sort();
        report
    }

    fn scan_root(&self, root: &Path, prefix: Option<&str>, report: &mut Report) {
        let shared = Mutex::new(Collected::default());
        let options = WalkOptions {
            threads: self.threads,
            default_excludes: self.config.default_excludes,
            exclude: self.exclude.as_ref(),
            follow_links: self.config.follow_links,
            one_file_system: self.config.one_file_system,
            git: None,
        };
        let root_is_dir = root.is_dir();
        let git = root_is_dir.then(|| Tracked::load(root)).flatten();
        let options = WalkOptions {
            git: git.as_ref(),
            ..options
        };
        let run = if root_is_dir {
            crate::app::processes::files_run_by_processes(root)
        } else {
            Default::default()
        };
        walk(root, &options, &|entry| {
            let outcome = self.visit(entry, root_is_dir, &run);
            shared
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .add(outcome);
        });
        let collected = shared
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut findings = collected.findings;
        if root_is_dir {
            let mut facts = collected.facts;
            facts.root_files.extend(committed_root_files(
                root,
                self.exclude.as_ref(),
                git.as_ref(),
            ));
            facts.in_git = git.is_some() || inside_git(root);
            facts.git = git.map(std::sync::Arc::new);
            facts.vendored = root.join("vendor").is_dir();
            // Large lock files are skipped by the walk but still exist.
            for (dir, files) in &mut facts.app_files {
                files.extend(committed_root_files(&root.join(dir), None, None));
            }
            let app = App::build(facts, &self.config.production_env);
            findings.extend(self.repo_checks(&app));
            let parts = if app.is_empty() {
                app.monorepo_apps(&self.config.production_env)
            } else {
                Vec::new()
            };
            report.apps.push(app);
            for part in parts {
                let prefix = format!("{}/", part.path);
                findings.extend(self.repo_checks(&part).into_iter().map(|mut f| {
                    f.file = format!("{prefix}{}", f.file);
                    f
                }));
                report.apps.push(part);
            }
            findings = crate::detect::drop_superseded(findings, &self.rules);
        }
        for mut finding in findings {
            if self.path_ignores(&finding) {
                continue;
            }
            if let Some(prefix) = prefix {
                finding.file = format!("{prefix}/{}", finding.file);
            }
            report.findings.push(finding);
        }
        let summary = &mut report.summary;
        summary.files_scanned += collected.files_scanned;
        for (reason, count) in collected.skipped {
            *summary.skipped.entry(reason.key()).or_default() += count;
        }
        summary.problems.extend(collected.problems);
    }

    fn visit(&self, entry: Entry, root_is_dir: bool, run: &BTreeSet<String>) -> Outcome {
        match entry {
            Entry::Skipped { rel, reason } => Outcome::Skipped(reason, rel),
            Entry::Error { path, message } => Outcome::Problem(ScanProblem { path, message }),
            Entry::File { path, rel, size } => self.visit_file(&path, rel, size, root_is_dir, run),
        }
    }

    fn visit_file(
        &self,
        path: &Path,
        rel: String,
        size: u64,
        root_is_dir: bool,
        run: &BTreeSet<String>,
    ) -> Outcome {
        let at_root = root_is_dir && !rel.contains('/');
        let log_file = RepoFacts::is_committed_log(&rel).then(|| rel.clone());
        let keep_contents = root_is_dir && RepoFacts::wants_contents(&rel);
        let sub_app = root_is_dir && RepoFacts::is_sub_app_file(&rel);
        let mut facts = Box::new(FileFacts {
            manifest: dependency_manifest(&rel),
            ..FileFacts::default()
        });
        // A large log file is still a committed log file.
        let too_large = |log_file: Option<String>| match log_file {
            Some(_) => Outcome::Read {
                root_file: None,
                sub_app: None,
                facts: Box::default(),
                log_file,
                result: Err(SkipReason::TooLarge),
                health_terms: Vec::new(),
            },
            None => Outcome::Skipped(SkipReason::TooLarge, rel.clone()),
        };
        if size > self.config.max_file_size {
            return too_large(log_file);
        }
        let by_name = language_of(&rel, b"");
        let needs_read = by_name.is_some() || keep_contents || sub_app || !rel.contains('.');
        let bytes = if needs_read {
            match bounded::read(path, self.config.max_file_size) {
                Ok(Capped::Bytes(bytes)) => bytes,
                // The walk saw a small regular file; what is read now decides.
                Ok(Capped::TooLarge) => return too_large(log_file),
                Ok(Capped::Special) => return Outcome::Skipped(SkipReason::SpecialFile, rel),
                Err(err) => {
                    return Outcome::Problem(ScanProblem {
                        path: path.display().to_string(),
                        message: err.to_string(),
                    });
                }
            }
        } else {
            Vec::new()
        };
        let in_app_folder = root_is_dir
            && crate::repo::app_folder(&rel).is_some_and(|(_, name)| !name.contains('/'));
        let root_file = (at_root || keep_contents || in_app_folder).then(|| RootFile {
            name: rel.clone(),
            at_root,
            in_app_folder,
            contents: keep_contents.then(|| bytes.clone()),
        });
        let sub_app = sub_app.then(|| sub_app_start(&rel, &bytes)).flatten();
        let first_line = bytes.split(|b| *b == b'\n').next().unwrap_or(&[]);
        let Some(language) = by_name.or_else(|| language_of(&rel, first_line)) else {
            return Outcome::Read {
                root_file,
                sub_app,
                facts,
                log_file,
                result: Err(SkipReason::NoRules),
                health_terms: Vec::new(),
            };
        };
        let Decoded::Text(text) = decode(bytes) else {
            return Outcome::Read {
                root_file,
                sub_app,
                facts,
                log_file,
                result: Err(SkipReason::Binary),
                health_terms: Vec::new(),
            };
        };
        // What a file holds can say more than where it lives (a catalog in `intl/`).
        // A file that a process runs (cron.json's `tools/remind.sh`) is production code.
        let role = match role_of(&rel, language) {
            Role::DevConfig if run.contains(&rel) => Role::Source,
            by_path => by_path,
        };
        let role = match role {
            by_path @ (Role::Source | Role::Config) => {
                crate::shape::role_from_contents(&rel, language, &text).unwrap_or(by_path)
            }
            by_path => by_path,
        };
        let file = SourceFile::new(rel, language, role, text);
        let present = keywords_present(self.registry, &file);
        let health_stem = self.registry.health_keywords.iter().any(|&k| present[k]);
        let mut findings = siblings::apply(path, detect(&file, &self.rules, &present), &self.rules);
        if let Some(rule) = self.malformed_manifest {
            findings.extend(manifest::malformed(rule, &file));
        }
        let findings = suppress::apply(&file, findings, self.registry);
        if role == Role::Source {
            let seen = Seen::new(self.registry, file.language, &present);
            let noted = file_facts(&file, &self.rules, &seen, |f| {
                suppress::apply(&file, vec![f.clone()], self.registry)
                    .iter()
                    .any(|kept| kept.rule == f.rule)
            });
            *facts = FileFacts {
                manifest: facts.manifest,
                ..noted
            };
        }
        Outcome::Read {
            root_file,
            sub_app,
            facts,
            log_file,
            result: Ok(findings),
            health_terms: crate::health::health_terms(&file, health_stem),
        }
    }

    fn repo_checks(&self, app: &App) -> Vec<Finding> {
        self.rules
            .iter()
            .filter_map(|rule| match &rule.matcher {
                Matcher::Check(check) => Some(check.run_on_repo(rule, app)),
                Matcher::Patterns(_) => None,
            })
            .flatten()
            .collect()
    }

    fn path_ignores(&self, finding: &Finding) -> bool {
        self.per_path
            .iter()
            .any(|(glob, rules)| glob.is_match(&finding.file) && rules.contains(&finding.rule))
    }
}

/// How findings name a root when several are scanned (their path prefix).
pub fn root_display(root: &Path) -> String {
    let text = root.to_string_lossy().replace('\\', "/");
    let trimmed = text.trim_end_matches('/');
    if trimmed.is_empty() {
        "/".into()
    } else {
        trimmed.to_string()
    }
}

struct RootFile {
    name: String,
    at_root: bool,
    /// Directly in a folder that may hold a monorepo app (`repo::app_folder`).
    in_app_folder: bool,
    contents: Option<Vec<u8>>,
}

/// For a file of a first-level app (`api/package.json`): the file's path and whether it
/// declares how the app starts (`scripts.start` or `main`, as for the root app; a `build`
/// script counts too: a static frontend is built, not started); `None` for files in docs,
/// examples or tests.
fn sub_app_start(rel: &str, bytes: &[u8]) -> Option<(String, bool)> {
    if role_of(rel, crate::classify::Language::Json) != Role::Config {
        return None;
    }
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let declares = START_FILES.contains(&name)
        || (name == "package.json"
            && PackageJson::parse(bytes)
                .is_ok_and(|p| p.declares_start() || p.script("build").is_some()));
    Some((rel.to_string(), declares))
}

enum Outcome {
    /// A path not scanned (relative to the root).
    Skipped(SkipReason, String),
    Problem(ScanProblem),
    Read {
        root_file: Option<RootFile>,
        sub_app: Option<(String, bool)>,
        // Boxed: most files note no facts, and the outcome crosses a mutex per file.
        facts: Box<FileFacts>,
        /// A committed log file (for `committed-log-file`), whatever its contents.
        log_file: Option<String>,
        result: Result<Vec<Finding>, SkipReason>,
        /// Health-record words for the portability report (`hosts::signals`).
        health_terms: Vec<(String, String)>,
    },
}

#[derive(Default)]
struct Collected {
    findings: Vec<Finding>,
    facts: RepoFacts,
    files_scanned: usize,
    skipped: BTreeMap<SkipReason, usize>,
    problems: Vec<ScanProblem>,
}

impl Collected {
    fn add(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Skipped(reason, rel) => {
                *self.skipped.entry(reason).or_default() += 1;
                self.facts.add_skipped(rel, reason);
            }
            Outcome::Problem(problem) => self.problems.push(problem),
            Outcome::Read {
                root_file,
                sub_app,
                facts,
                log_file,
                result,
                health_terms,
            } => {
                if let Some(path) = log_file {
                    self.facts.log_files.insert(path);
                }
                for (term, at) in health_terms {
                    // Files arrive in any order: keep the smallest location for stable output.
                    let slot = self
                        .facts
                        .health_terms
                        .entry(term)
                        .or_insert_with(|| at.clone());
                    if at < *slot {
                        *slot = at;
                    }
                }
                if let Some(RootFile {
                    name,
                    at_root,
                    in_app_folder,
                    contents,
                }) = root_file
                {
                    if in_app_folder {
                        self.facts.add_app_file(&name);
                    }
                    if let Some(contents) = contents {
                        self.facts.keep_manifest(name.clone(), contents);
                    }
                    if at_root {
                        self.facts.root_files.insert(name);
                    }
                }
                if let Some((rel, declares_start)) = sub_app {
                    self.facts.add_sub_app_file(&rel, declares_start);
                }
                self.facts.add_file_facts(*facts);
                match result {
                    Ok(findings) => {
                        self.files_scanned += 1;
                        self.findings.extend(findings);
                    }
                    Err(reason) => *self.skipped.entry(reason).or_default() += 1,
                }
            }
        }
    }
}
