//! `twelve.toml`: which rules run, where, and how severe they are. Errors point at the
//! span in the file (miette), and the CLI exits with code 2.

use crate::escape::{same_length_display, visible};
use crate::finding::Severity;
use crate::platform::Host;
use crate::rules::Registry;
use miette::{Diagnostic, NamedSource, SourceSpan};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The fail level: findings at or above it make the exit code 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    Error,
    Warning,
    Note,
    Never,
}

impl FailOn {
    pub fn fails(self, severity: Severity) -> bool {
        match self {
            FailOn::Error => severity >= Severity::Error,
            FailOn::Warning => severity >= Severity::Warning,
            FailOn::Note => true,
            FailOn::Never => false,
        }
    }
}

/// The file as written; `toml::Spanned` keeps where each rule id was, for errors.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    #[serde(default)]
    select: Vec<toml::Spanned<String>>,
    #[serde(default)]
    ignore: Vec<toml::Spanned<String>>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default = "yes")]
    default_excludes: bool,
    fail_on: Option<FailOn>,
    max_file_size: Option<u64>,
    #[serde(default)]
    severity: BTreeMap<toml::Spanned<String>, Severity>,
    #[serde(default)]
    per_path_ignores: BTreeMap<String, Vec<toml::Spanned<String>>>,
    #[serde(default)]
    platforms: Vec<Host>,
    #[serde(default)]
    production: RawProduction,
}

/// `[production]`: what the team sets on the host, which the repository cannot show.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProduction {
    /// `[production.env]`: variable names and the values production sets (strings).
    #[serde(default)]
    env: BTreeMap<String, String>,
}

fn yes() -> bool {
    true
}

/// Effective configuration, validated against the rule registry.
#[derive(Debug, Clone)]
pub struct Config {
    /// Only these rules run (empty: all).
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    /// Globs of paths not to scan, relative to the scanned root.
    pub exclude: Vec<String>,
    pub default_excludes: bool,
    pub fail_on: FailOn,
    pub max_file_size: u64,
    pub severity: BTreeMap<String, Severity>,
    pub per_path_ignores: Vec<(String, Vec<String>)>,
    /// Follow symbolic links (`--follow`; not a file setting).
    pub follow_links: bool,
    /// Print secrets unmasked (`--show-secrets`, for local use; not a file setting).
    pub show_secrets: bool,
    /// Stay on the root's file system (`--no-one-file-system` crosses mounts).
    pub one_file_system: bool,
    /// Hosts of the portability report (empty: all).
    pub platforms: Vec<Host>,
    /// `[production.env]`: the environment production runs with, as the team declares it.
    pub production_env: BTreeMap<String, String>,
}

/// The largest configuration file read.
const CONFIG_MAX: u64 = 1024 * 1024;

/// Files over 1 MiB are mostly generated or data; the limit is configurable.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 1024 * 1024;

impl Default for Config {
    fn default() -> Self {
        Config {
            select: Vec::new(),
            ignore: Vec::new(),
            exclude: Vec::new(),
            default_excludes: true,
            fail_on: FailOn::Error,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            severity: BTreeMap::new(),
            per_path_ignores: Vec::new(),
            follow_links: false,
            show_secrets: false,
            one_file_system: true,
            platforms: Vec::new(),
            production_env: BTreeMap::new(),
        }
    }
}

impl Config {
    /// Reads and validates a config file.
    pub fn load(path: &Path, registry: &Registry) -> Result<Config, ConfigError> {
        let unreadable = |reason: String| ConfigError::Unreadable {
            path: path.display().to_string(),
            reason,
        };
        // A scanned repository's twelve.toml could be a FIFO or a huge file.
        let bytes = match crate::bounded::read(path, CONFIG_MAX) {
            Ok(crate::bounded::Capped::Bytes(bytes)) => bytes,
            Ok(crate::bounded::Capped::TooLarge) => {
                return Err(unreadable(format!("larger than {CONFIG_MAX} bytes")));
            }
            Ok(crate::bounded::Capped::Special) => {
                return Err(unreadable("not a regular file".into()));
            }
            Err(err) => return Err(unreadable(err.to_string())),
        };
        let text = String::from_utf8(bytes).map_err(|_| unreadable("not UTF-8".into()))?;
        Config::parse(&path.display().to_string(), &text, registry)
    }

    pub fn parse(name: &str, text: &str, registry: &Registry) -> Result<Config, ConfigError> {
        // A scanned repository's twelve.toml is shown in errors: never its control characters.
        let source = || NamedSource::new(name, same_length_display(text));
        let raw: RawConfig = toml::from_str(text).map_err(|e| ConfigError::Syntax {
            message: visible(e.message()).into_owned(),
            src: source(),
            span: e.span().map(SourceSpan::from),
        })?;
        let check = |id: &toml::Spanned<String>| -> Result<String, ConfigError> {
            if registry.get(id.get_ref()).is_some() {
                Ok(id.get_ref().clone())
            } else {
                Err(ConfigError::UnknownRule {
                    rule: visible(id.get_ref()).into_owned(),
                    src: source(),
                    span: id.span().into(),
                })
            }
        };
        let ids =
            |list: &[toml::Spanned<String>]| list.iter().map(check).collect::<Result<Vec<_>, _>>();
        let mut severity = BTreeMap::new();
        for (id, level) in &raw.severity {
            severity.insert(check(id)?, *level);
        }
        let mut per_path_ignores = Vec::new();
        for (glob, list) in &raw.per_path_ignores {
            per_path_ignores.push((glob.clone(), ids(list)?));
        }
        let defaults = Config::default();
        Ok(Config {
            select: ids(&raw.select)?,
            ignore: ids(&raw.ignore)?,
            exclude: raw.exclude,
            default_excludes: raw.default_excludes,
            fail_on: raw.fail_on.unwrap_or(defaults.fail_on),
            max_file_size: raw.max_file_size.unwrap_or(defaults.max_file_size),
            severity,
            per_path_ignores,
            follow_links: defaults.follow_links,
            show_secrets: defaults.show_secrets,
            one_file_system: defaults.one_file_system,
            platforms: raw.platforms,
            production_env: raw.production.env,
        })
    }

    /// The settings in force as a `twelve.toml` would write them (`--show-config`).
    pub fn to_toml(&self) -> String {
        let strings = |list: &[String]| toml::Value::from(list.to_vec());
        let mut table = toml::Table::new();
        table.insert("select".into(), strings(&self.select));
        table.insert("ignore".into(), strings(&self.ignore));
        table.insert("exclude".into(), strings(&self.exclude));
        table.insert("default-excludes".into(), self.default_excludes.into());
        let fail_on = match self.fail_on {
            FailOn::Error => "error",
            FailOn::Warning => "warning",
            FailOn::Note => "note",
            FailOn::Never => "never",
        };
        table.insert("fail-on".into(), fail_on.into());
        let size = i64::try_from(self.max_file_size).unwrap_or(i64::MAX);
        table.insert("max-file-size".into(), size.into());
        let hosts: Vec<String> = self.platforms.iter().map(|h| h.id().to_string()).collect();
        table.insert("platforms".into(), strings(&hosts));
        let severity: toml::Table = self
            .severity
            .iter()
            .map(|(id, level)| (id.clone(), level.as_str().into()))
            .collect();
        table.insert("severity".into(), severity.into());
        let per_path: toml::Table = self
            .per_path_ignores
            .iter()
            .map(|(glob, ids)| (glob.clone(), strings(ids)))
            .collect();
        table.insert("per-path-ignores".into(), per_path.into());
        toml::to_string(&table).unwrap_or_default()
    }

    /// Whether a rule is on, after `select` and `ignore` (ignore wins).
    pub fn rule_enabled(&self, id: &str) -> bool {
        (self.select.is_empty() || self.select.iter().any(|s| s == id))
            && !self.ignore.iter().any(|s| s == id)
    }
}

/// A configuration problem; exit code 2.
#[derive(Debug, Diagnostic)]
pub enum ConfigError {
    #[diagnostic(code(twelve::config::unreadable))]
    Unreadable { path: String, reason: String },
    #[diagnostic(code(twelve::config::syntax))]
    Syntax {
        message: String,
        #[source_code]
        src: NamedSource<String>,
        #[label("here")]
        span: Option<SourceSpan>,
    },
    #[diagnostic(
        code(twelve::config::unknown_rule),
        help("`twelve rules` lists every rule id")
    )]
    UnknownRule {
        rule: String,
        #[source_code]
        src: NamedSource<String>,
        #[label("no rule has this id")]
        span: SourceSpan,
    },
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConfigError::Unreadable { path, reason } => {
                write!(f, "cannot read config file {path}: {reason}")
            }
            ConfigError::Syntax { message, src, .. } => {
                write!(f, "invalid config {}: {}", src.name(), message.trim())
            }
            ConfigError::UnknownRule { rule, src, .. } => {
                write!(f, "unknown rule `{rule}` in {}", src.name())
            }
        }
    }
}

impl std::error::Error for ConfigError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry() -> Registry {
        Registry::builtin().unwrap()
    }

    #[test]
    fn parses_a_full_config() {
        let text = r#"
select = ["hardcoded-port", "log-to-file"]
ignore = ["log-to-file"]
exclude = ["legacy/**"]
fail-on = "warning"
max-file-size = 2048
[severity]
hardcoded-port = "warning"
[per-path-ignores]
"scripts/**" = ["hardcoded-port"]
"#;
        let config = Config::parse("twelve.toml", text, &registry()).unwrap();
        assert!(config.rule_enabled("hardcoded-port"));
        assert!(!config.rule_enabled("log-to-file"));
        assert!(!config.rule_enabled("missing-procfile"));
        assert_eq!(config.fail_on, FailOn::Warning);
        assert_eq!(config.max_file_size, 2048);
        assert_eq!(config.severity["hardcoded-port"], Severity::Warning);
    }

    #[test]
    fn unknown_key_points_at_its_span() {
        let err = Config::parse("twelve.toml", "selct = []\n", &registry()).unwrap_err();
        let ConfigError::Syntax { span, message, .. } = &err else {
            panic!("{err:?}")
        };
        assert!(message.contains("selct"), "{message}");
        assert_eq!(span.map(|s| s.offset()), Some(0));
    }

    #[test]
    fn syntax_and_type_errors_point_at_their_span() {
        let text = "ignore = []\nfail-on = \"sometimes\"\n";
        let err = Config::parse("twelve.toml", text, &registry()).unwrap_err();
        let ConfigError::Syntax { span, .. } = &err else {
            panic!("{err:?}")
        };
        let span = span.expect("a span");
        assert_eq!(
            &text[span.offset()..span.offset() + span.len()],
            "\"sometimes\""
        );
        let text = "select = [\"hardcoded-port\"\nignore = []\n";
        let err = Config::parse("twelve.toml", text, &registry()).unwrap_err();
        let ConfigError::Syntax { span, .. } = &err else {
            panic!("{err:?}")
        };
        assert_eq!(
            span.map(|s| s.offset()),
            Some(text.find("\nignore").unwrap() + 1)
        );
    }

    #[test]
    fn platforms_are_read_and_checked() {
        let config = Config::parse(
            "t.toml",
            "platforms = [\"scalingo\", \"clever-cloud\"]\n",
            &registry(),
        )
        .unwrap();
        assert_eq!(config.platforms, vec![Host::Scalingo, Host::CleverCloud]);
        let err = Config::parse("t.toml", "platforms = [\"heroku\"]\n", &registry()).unwrap_err();
        let ConfigError::Syntax { span, message, .. } = &err else {
            panic!("{err:?}")
        };
        assert!(message.contains("heroku"), "{message}");
        assert_eq!(span.map(|s| s.offset()), Some(13));
    }

    #[test]
    fn unknown_rule_points_at_its_span() {
        let err = Config::parse("t.toml", "ignore = [\"nope\"]\n", &registry()).unwrap_err();
        let ConfigError::UnknownRule { span, rule, .. } = &err else {
            panic!("{err:?}")
        };
        assert_eq!(rule, "nope");
        assert_eq!(span.offset(), 10);
    }

    mod properties {
        use super::*;
        use crate::testing::config;
        use proptest::prelude::*;

        const PIECES: &[&str] = &[
            "select",
            "ignore",
            "exclude",
            "fail-on",
            "max-file-size",
            "default-excludes",
            "[severity]",
            "[per-path-ignores]",
            "[",
            "]",
            "=",
            "\"",
            "'",
            ",",
            "\n",
            "\r\n",
            " ",
            "#",
            "\"hardcoded-port\"",
            "\"nope\"",
            "\"warning\"",
            "true",
            "-1",
            "99999999999999999999",
            "\"**\"",
            "é",
            "{",
            "}",
            ".",
        ];

        /// Built once: compiling every rule per case would dominate the run.
        fn shared_registry() -> &'static Registry {
            static REGISTRY: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
            REGISTRY.get_or_init(|| Registry::builtin().expect("rules load"))
        }

        fn config_text() -> impl Strategy<Value = String> {
            let piece = prop_oneof![
                3 => proptest::sample::select(PIECES).prop_map(String::from),
                1 => any::<String>(),
            ];
            proptest::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
        }

        proptest! {
            #![proptest_config(config())]

            /// Any text loads or fails with an error whose span lies inside the text.
            #[test]
            fn any_text_loads_or_points_inside_it(text in config_text()) {
                match Config::parse("twelve.toml", &text, shared_registry()) {
                    Ok(_) | Err(ConfigError::Unreadable { .. }) => {}
                    Err(ConfigError::Syntax { span, .. }) => {
                        if let Some(span) = span {
                            prop_assert!(span.offset() + span.len() <= text.len());
                        }
                    }
                    Err(ConfigError::UnknownRule { span, .. }) => {
                        prop_assert!(span.offset() + span.len() <= text.len());
                    }
                }
            }
        }
    }
}
