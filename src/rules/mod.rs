//! The rule registry: rule files embedded from `rules/` (parsed, their regexes checked and
//! their keywords extracted by build.rs, which embeds each as JSON), validated when
//! loaded, each regex compiled on first use.

pub mod keywords;
pub mod literals;
pub mod spec;

use crate::checks::Check;
use crate::classify::{Language, Role};
use crate::finding::{Excerpt, Finding, Position, Severity};
use globset::{Glob, GlobSet, GlobSetBuilder};
use regex::bytes::Regex;
use spec::{PatternSpec, RuleSpec};
use std::fmt::Write as _;
use std::sync::OnceLock;

/// A rule file as build.rs embeds it: its TOML as JSON, the same document, which
/// deserializes into the same `RuleSpec` several times faster (parsing the TOML of the
/// 60-odd files was a fifth of a small app's run).
pub struct RuleFile {
    /// Path of the file inside the crate, for error messages.
    pub path: &'static str,
    pub json: &'static str,
    /// Each pattern's keywords, in the file's order (`rules::literals`).
    pub keywords: &'static [&'static [&'static [u8]]],
}

include!(concat!(env!("OUT_DIR"), "/rule_files.rs"));

/// A regex compiled on first use: a run needs only the regexes of the rules its files
/// can trigger, and compiling all ~250 up front cost more than scanning a typical app
/// (build.rs checks their syntax).
#[derive(Debug)]
pub struct LazyRegex {
    /// The source as compiled, with its flags (`literals::FLAGS`) in front.
    pub source: String,
    compiled: OnceLock<Regex>,
}

impl LazyRegex {
    pub fn new(source: &str) -> LazyRegex {
        LazyRegex {
            source: format!("{}{source}", literals::FLAGS),
            compiled: OnceLock::new(),
        }
    }

    pub fn regex(&self) -> &Regex {
        self.compiled
            .get_or_init(|| Regex::new(&self.source).expect("built-in regexes compile (tested)"))
    }

    pub fn is_match(&self, haystack: &[u8]) -> bool {
        self.regex().is_match(haystack)
    }
}

/// A pattern ready to run.
#[derive(Debug)]
pub struct Pattern {
    pub regex: LazyRegex,
    /// Its keywords as build.rs extracted them; empty: the pattern always runs.
    words: &'static [&'static [u8]],
    /// Indexes of `words` into the registry's keyword list.
    pub keywords: Vec<usize>,
    pub languages: Vec<Language>,
    pub files: Option<Globs>,
    pub label: Option<String>,
    pub min_entropy: Option<f64>,
    /// `used_as`, with `{name}` still in it (see `Pattern::used`).
    pub used_as: Option<String>,
}

/// What stands for the constant's name in a `used_as` regex.
pub const USED_NAME: &str = "{name}";

impl Pattern {
    /// Its keywords as build.rs extracted them, whatever the rule's `in_comments`.
    pub fn words(&self) -> &'static [&'static [u8]] {
        self.words
    }

    /// Whether `text` uses the constant `name` as `used_as` says (always, without
    /// `used_as`). Compiled per name: only a line defining such a constant gets here.
    pub fn used(&self, name: &[u8], text: &[u8]) -> bool {
        let Some(template) = &self.used_as else {
            return true;
        };
        let name = regex::escape(&String::from_utf8_lossy(name));
        let source = format!("{}{}", literals::FLAGS, template.replace(USED_NAME, &name));
        Regex::new(&source).is_ok_and(|r| r.is_match(text))
    }
}

/// What a rule runs: regexes over each candidate file, or a structural check.
#[derive(Debug)]
pub enum Matcher {
    Patterns(Vec<Pattern>),
    Check(Check),
}

#[derive(Debug)]
pub struct Rule {
    pub spec: RuleSpec,
    /// Path of the rule file inside the crate, for error messages.
    pub source_path: &'static str,
    pub matcher: Matcher,
    files: Option<Globs>,
    pub unless_line: Vec<LazyRegex>,
    pub unless_top_level: Vec<LazyRegex>,
    pub unless_after: Vec<LazyRegex>,
    pub unless_file: Vec<LazyRegex>,
    pub require_file: Vec<LazyRegex>,
    /// `unless_sibling`: the sibling file names and the regex one must match (if any).
    pub unless_sibling: Option<(Vec<String>, Option<LazyRegex>)>,
    /// `require_near`: the files it applies to and the paths one of which must exist.
    pub require_near: Option<(Globs, Vec<String>)>,
}

impl Rule {
    pub fn id(&self) -> &str {
        &self.spec.id
    }

    /// Whether a file of this path, language and role is one this rule looks at.
    pub fn applies_to(&self, rel_path: &str, language: Language, role: Role) -> bool {
        if !self.spec.roles.contains(&role) {
            return false;
        }
        let no_filter = self.spec.languages.is_empty() && self.files.is_none();
        no_filter
            || self.spec.languages.contains(&language)
            || self.files.as_ref().is_some_and(|g| g.is_match(rel_path))
    }

    pub fn severity(&self) -> Severity {
        self.spec.severity
    }

    /// The rule's message with `{label}` filled in.
    pub fn message(&self, label: Option<&str>) -> String {
        self.spec.message.replace("{label}", label.unwrap_or(""))
    }

    /// A finding of this rule; its fingerprint is assigned once all are sorted.
    pub fn finding(
        &self,
        file: &str,
        (start, end, excerpt): (Position, Position, Excerpt),
        message: String,
    ) -> Finding {
        Finding {
            rule: self.spec.id.clone(),
            factor: self.spec.factor,
            severity: self.spec.severity,
            file: file.to_string(),
            start,
            end,
            message,
            help: self.spec.help.clone(),
            excerpt,
            fingerprint: String::new(),
            fact: None,
            legacy_fingerprint: None,
        }
    }

    /// A repository-level finding about `file` (line 0: no line to point at).
    pub fn repo_finding(&self, file: &str, message: String) -> Finding {
        self.finding(file, Default::default(), message)
    }
}

pub struct Registry {
    pub rules: Vec<Rule>,
    /// Every pattern's keywords, searched once per file (see `keywords`).
    pub keywords: keywords::Keywords,
    /// Keyword indexes of the health-data stems (`hosts::signals`).
    pub health_keywords: Vec<usize>,
    /// Keyword indexes of the structural checks' gates (`checks::Gate`).
    pub check_gates: Vec<Vec<usize>>,
}

impl Registry {
    /// Loads the rules embedded in the binary.
    pub fn builtin() -> Result<Registry, String> {
        Registry::from_files(RULE_FILES)
    }

    pub fn from_files(files: &[RuleFile]) -> Result<Registry, String> {
        let mut rules = Vec::new();
        let mut errors = String::new();
        for RuleFile {
            path,
            json,
            keywords,
        } in files
        {
            match compile(path, json, keywords) {
                Ok(rule) => rules.push(rule),
                Err(e) => {
                    let _ = writeln!(errors, "{path}: {e}");
                }
            }
        }
        rules.sort_by(|a, b| a.spec.id.cmp(&b.spec.id));
        for pair in rules.windows(2) {
            if pair[0].spec.id == pair[1].spec.id {
                let _ = writeln!(
                    errors,
                    "{} and {}: duplicate rule id `{}`",
                    pair[0].source_path, pair[1].source_path, pair[0].spec.id
                );
            }
        }
        for rule in &rules {
            for setting in &rule.spec.settings {
                if crate::app::settings::Key::from_name(setting).is_none() {
                    let _ = writeln!(
                        errors,
                        "{}: `settings` names unknown setting `{setting}`",
                        rule.source_path
                    );
                }
            }
            for other in &rule.spec.superseded_by {
                if !rules.iter().any(|r| &r.spec.id == other) {
                    let _ = writeln!(
                        errors,
                        "{}: `superseded_by` names unknown rule `{other}`",
                        rule.source_path
                    );
                }
            }
        }
        if !errors.is_empty() {
            return Err(format!("invalid built-in rules:\n{errors}"));
        }
        let mut sets = keyword_sets(&rules);
        // So do the literals the structural checks' own regexes need.
        let gates = crate::checks::gate_keyword_sets();
        let gate_count = gates.len();
        sets.extend(gates);
        // The portability report's health-data words ride on the same single pass.
        let stems = crate::health::HEALTH_STEMS
            .iter()
            .map(|s| s.to_ascii_lowercase().into_bytes())
            .collect();
        let production = vec![Role::Source, Role::Config];
        let anywhere = keywords::Scope {
            roles: production,
            languages: None,
        };
        sets.push((anywhere, stems));
        let (keywords, mut indexes) = keywords::Keywords::build(sets);
        let health_keywords = indexes.pop().unwrap_or_default();
        let check_gates = indexes.split_off(indexes.len() - gate_count);
        let mut indexes = indexes.into_iter();
        for rule in &mut rules {
            if let Matcher::Patterns(patterns) = &mut rule.matcher {
                for pattern in patterns {
                    pattern.keywords = indexes.next().unwrap_or_default();
                }
            }
        }
        Ok(Registry {
            rules,
            keywords,
            health_keywords,
            check_gates,
        })
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.spec.id == id)
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.rules.iter().map(|r| r.spec.id.as_str())
    }
}

/// The keyword set of every pattern, and the files it reads, in rule and pattern order.
fn keyword_sets(rules: &[Rule]) -> Vec<(keywords::Scope, Vec<Vec<u8>>)> {
    // The languages a rule or pattern reads; `None`: any (no filter, or a `files` glob).
    let languages = |languages: &[Language], files: &Option<Globs>| {
        (!languages.is_empty() && files.is_none()).then(|| languages.to_vec())
    };
    let mut sets = Vec::new();
    for rule in rules {
        if let Matcher::Patterns(patterns) = &rule.matcher {
            let of_rule = languages(&rule.spec.languages, &rule.files);
            for pattern in patterns {
                let of_pattern = languages(&pattern.languages, &pattern.files);
                let scope = keywords::Scope {
                    roles: rule.spec.roles.clone(),
                    languages: match (&of_rule, of_pattern) {
                        (Some(r), Some(p)) => {
                            Some(p.into_iter().filter(|l| r.contains(l)).collect())
                        }
                        (Some(r), None) => Some(r.clone()),
                        (None, p) => p,
                    },
                };
                // The keyword pass reads the masked copy, where comments are blank.
                let set = if rule.spec.in_comments {
                    Vec::new()
                } else {
                    pattern.words.iter().map(|w| w.to_vec()).collect()
                };
                sets.push((scope, set));
            }
        }
    }
    sets
}

fn compile(
    path: &'static str,
    json: &str,
    keywords: &'static [&'static [&'static [u8]]],
) -> Result<Rule, String> {
    let spec: RuleSpec = serde_json::from_str(json).map_err(|e| e.to_string())?;
    validate(&spec, path)?;
    if keywords.len() != spec.patterns.len() {
        return Err("not embedded by build.rs: its keywords are missing".into());
    }
    let matcher = match &spec.check {
        Some(name) => {
            Matcher::Check(Check::from_name(name).ok_or_else(|| format!("unknown check `{name}`"))?)
        }
        None => Matcher::Patterns(
            spec.patterns
                .iter()
                .zip(keywords)
                .map(|(pattern, words)| compile_pattern(pattern, words))
                .collect::<Result<_, _>>()?,
        ),
    };
    Ok(Rule {
        files: globs(&spec.files)?,
        unless_line: regexes(&spec.unless_line),
        unless_top_level: regexes(&spec.unless_top_level),
        unless_after: regexes(&spec.unless_after),
        unless_file: regexes(&spec.unless_file),
        require_file: regexes(&spec.require_file),
        unless_sibling: spec.unless_sibling.as_ref().map(|sibling| {
            let pattern = sibling.regex.as_deref().map(LazyRegex::new);
            (sibling.files.clone(), pattern)
        }),
        require_near: match &spec.require_near {
            Some(near) => globs(&near.files)?.map(|files| (files, near.paths.clone())),
            None => None,
        },
        matcher,
        source_path: path,
        spec,
    })
}

fn validate(spec: &RuleSpec, path: &str) -> Result<(), String> {
    let stem = path
        .rsplit('/')
        .next()
        .and_then(|n| n.strip_suffix(".toml"))
        .unwrap_or("");
    if stem != spec.id {
        return Err(format!("rule id `{}` must match the file name", spec.id));
    }
    let kebab = !spec.id.is_empty()
        && spec
            .id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !kebab || spec.id.starts_with('-') || spec.id.ends_with('-') {
        return Err(format!("rule id `{}` must be kebab-case", spec.id));
    }
    // twelve's own rules (about suppressions, manifests, hidden text) have no factor.
    let meta = path.contains("/00-meta/")
        || spec
            .check
            .as_deref()
            .and_then(Check::from_name)
            .is_some_and(Check::is_meta);
    match spec.factor {
        Some(f) if !(1..=12).contains(&f) => {
            return Err(format!("factor {f} is not between 1 and 12"));
        }
        None if !meta => return Err("`factor` is required".into()),
        _ => {}
    }
    if let Some(score) = spec.security_severity
        && !(0.0..=10.0).contains(&score)
    {
        return Err(format!(
            "security_severity {score} is not between 0.0 and 10.0"
        ));
    }
    let hosts: Vec<&str> = spec.impact.keys().map(String::as_str).collect();
    let mut expected = spec::HOSTS.to_vec();
    expected.sort_unstable();
    if spec.factor.is_some() && hosts != expected {
        return Err(format!(
            "`[impact]` must give exactly the hosts {:?}",
            spec::HOSTS
        ));
    }
    if let Some(host) = spec
        .host_fix
        .keys()
        .find(|h| !spec::HOSTS.contains(&h.as_str()))
    {
        return Err(format!(
            "`[host_fix]` names `{host}`, not one of the hosts {:?}",
            spec::HOSTS
        ));
    }
    if spec.check.is_some() != spec.patterns.is_empty() {
        return Err("a rule has either `patterns` or a `check`, not both or neither".into());
    }
    if spec.message.ends_with('.') || spec.message.starts_with(|c: char| c.is_uppercase()) {
        return Err("the message starts in lower case and has no final period".into());
    }
    if spec.bad.is_empty() || spec.good.is_empty() {
        return Err("every rule has at least one `bad` and one `good` example".into());
    }
    Ok(())
}

fn compile_pattern(spec: &PatternSpec, words: &'static [&'static [u8]]) -> Result<Pattern, String> {
    if spec.keywords.iter().any(|k| k.is_empty() || !k.is_ascii()) {
        return Err("keywords are non-empty ASCII words".into());
    }
    if let Some(template) = &spec.used_as
        && (!template.contains(USED_NAME) || !spec.regex.contains("(?P<name>"))
    {
        return Err("`used_as` needs `{name}` in it and a group `name` in `regex`".into());
    }
    Ok(Pattern {
        regex: LazyRegex::new(&spec.regex),
        words,
        keywords: Vec::new(),
        languages: spec.languages.clone(),
        files: globs(&spec.files)?,
        label: spec.label.clone(),
        min_entropy: spec.min_entropy,
        used_as: spec.used_as.clone(),
    })
}

fn regexes(sources: &[String]) -> Vec<LazyRegex> {
    sources.iter().map(|s| LazyRegex::new(s)).collect()
}

/// Globs checked when the rules load and built into a set on first match: building
/// the sets of every rule was a third of `twelve rules`, which matches none, and a run
/// needs only those of the rules its files meet.
#[derive(Debug)]
pub struct Globs {
    globs: Vec<Glob>,
    set: OnceLock<GlobSet>,
}

impl Globs {
    pub fn is_match(&self, path: &str) -> bool {
        self.set().is_match(path)
    }

    fn set(&self) -> &GlobSet {
        self.set.get_or_init(|| {
            build_set(self.globs.iter().cloned()).expect("built-in globs build (tested)")
        })
    }
}

fn globs(patterns: &[String]) -> Result<Option<Globs>, String> {
    let globs = parse_globs(patterns)?;
    Ok((!globs.is_empty()).then(|| Globs {
        globs,
        set: OnceLock::new(),
    }))
}

fn parse_globs(patterns: &[String]) -> Result<Vec<Glob>, String> {
    patterns
        .iter()
        .map(|pattern| {
            // A glob without a slash matches the file name at any depth, like .gitignore.
            let full = if pattern.contains('/') {
                pattern.clone()
            } else {
                format!("**/{pattern}")
            };
            Glob::new(&full).map_err(|e| format!("bad glob `{pattern}`: {e}"))
        })
        .collect()
}

fn build_set(globs: impl IntoIterator<Item = Glob>) -> Result<GlobSet, String> {
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        builder.add(glob);
    }
    builder.build().map_err(|e| format!("bad globs: {e}"))
}

/// Builds a glob set with the same conventions as rule globs (for config excludes).
pub fn glob_set(patterns: &[String]) -> Result<Option<GlobSet>, String> {
    let globs = parse_globs(patterns)?;
    if globs.is_empty() {
        return Ok(None);
    }
    build_set(globs).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every regex of every rule: the patterns and the gates, all compiled on first use.
    fn every_regex(rule: &Rule) -> Vec<&LazyRegex> {
        let mut all: Vec<&LazyRegex> = rule
            .unless_line
            .iter()
            .chain(&rule.unless_top_level)
            .chain(&rule.unless_after)
            .chain(&rule.unless_file)
            .chain(&rule.require_file)
            .chain(rule.unless_sibling.iter().filter_map(|(_, r)| r.as_ref()))
            .collect();
        if let Matcher::Patterns(patterns) = &rule.matcher {
            all.extend(patterns.iter().map(|p| &p.regex));
        }
        all
    }

    #[test]
    fn every_builtin_regex_compiles() {
        let registry = Registry::builtin().unwrap_or_else(|e| panic!("{e}"));
        for rule in &registry.rules {
            for regex in every_regex(rule) {
                let compiled = Regex::new(&regex.source);
                assert!(compiled.is_ok(), "{}: {compiled:?}", rule.id());
            }
        }
    }

    /// A `used_as` regex compiles whatever name stands in it.
    #[test]
    fn every_builtin_use_regex_compiles() {
        let registry = Registry::builtin().unwrap_or_else(|e| panic!("{e}"));
        for rule in &registry.rules {
            if let Matcher::Patterns(patterns) = &rule.matcher {
                for template in patterns.iter().filter_map(|p| p.used_as.as_ref()) {
                    let source = template.replace(USED_NAME, "API_URL");
                    let compiled = Regex::new(&format!("{}{source}", literals::FLAGS));
                    assert!(compiled.is_ok(), "{}: {compiled:?}", rule.id());
                }
            }
        }
    }

    /// The constant's name is matched as written, dots and all, and only where `used_as` says.
    #[test]
    fn a_constant_counts_only_where_used_as_finds_it() {
        let pattern = Pattern {
            regex: LazyRegex::new("(?P<name>X)"),
            words: &[],
            keywords: Vec::new(),
            languages: Vec::new(),
            files: None,
            label: None,
            min_entropy: None,
            used_as: Some(r"\.get\(\s*{name}\b".into()),
        };
        let text =
            b"INFO_URL = 'https://a.fr/page'\nBASE_URL = 'https://a.fr/api'\nclient.get(BASE_URL)";
        assert!(pattern.used(b"BASE_URL", text));
        assert!(!pattern.used(b"INFO_URL", text));
        assert!(!pattern.used(b"BASE.URL", b"client.get(BASE_URL)"));
    }

    #[test]
    fn the_build_embeds_the_keywords_extraction_gives() {
        let registry = Registry::builtin().unwrap_or_else(|e| panic!("{e}"));
        for rule in &registry.rules {
            if let Matcher::Patterns(patterns) = &rule.matcher {
                for (pattern, spec) in patterns.iter().zip(&rule.spec.patterns) {
                    let expected = literals::keyword_set(&spec.keywords, &pattern.regex.source);
                    assert_eq!(pattern.words, expected, "{}: {}", rule.id(), spec.regex);
                }
            }
        }
    }

    /// Every glob set of every rule builds (they build on first match).
    #[test]
    fn every_builtin_glob_set_builds() {
        let registry = Registry::builtin().unwrap_or_else(|e| panic!("{e}"));
        for rule in &registry.rules {
            let mut all: Vec<&Globs> = rule.files.iter().collect();
            all.extend(rule.require_near.iter().map(|(files, _)| files));
            if let Matcher::Patterns(patterns) = &rule.matcher {
                all.extend(patterns.iter().filter_map(|p| p.files.as_ref()));
            }
            for globs in all {
                let built = build_set(globs.globs.iter().cloned());
                assert!(built.is_ok(), "{}: {built:?}", rule.id());
            }
        }
    }

    #[test]
    fn builtin_rules_load_and_validate() {
        let registry = Registry::builtin().unwrap_or_else(|e| panic!("{e}"));
        assert!(registry.rules.len() >= 10, "expected the first rule set");
    }

    #[test]
    fn invalid_rules_are_reported_with_their_file() {
        let bad = &[RuleFile {
            path: "rules/x/Bad.toml",
            json: r#"{"id": "Bad"}"#,
            keywords: &[],
        }];
        let err = Registry::from_files(bad).err().unwrap();
        assert!(err.contains("rules/x/Bad.toml"), "{err}");
    }
}
