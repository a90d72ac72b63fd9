//! Go: the defaults a config package writes (`config/config.go`), as a struct literal
//! (`Port: 80`, `Dialect: "sqlite3"`), as assignments in a defaults function
//! (`c.DBUri = "app.db"`) or as `viper.SetDefault("http.port", 8080)`, and the committed
//! YAML file the start command passes (`--config /config.yml` in the Dockerfile, its
//! entrypoint script or the Procfile), whose keys name the struct's fields through their `yaml` tags.
//! They are what production runs with unless production declares the field's variable
//! (the `env:"APP_DB_URI"` tag): the finding names it. The port counts only when `PORT`
//! is never read (a host sets `PORT`, not the app's own prefixed variable).

use super::flat::yaml;
use super::{Context, Framework, Key, Resolved, Setting, masked};
use std::collections::BTreeMap;
use std::sync::LazyLock;

pub fn is_config_file(tail: &str) -> bool {
    let (dir, name) = tail.rsplit_once('/').unwrap_or(("", tail));
    (name.ends_with(".go")
        && !name.ends_with("_test.go")
        && (name == "config.go" || dir == "config" || dir.ends_with("/config")))
        || is_yaml_config(name)
}

/// The YAML config files a start command may pass (`config.yml`, `config.yaml`).
fn is_yaml_config(name: &str) -> bool {
    matches!(name, "config.yml" | "config.yaml")
}

static FIELD: LazyLock<regex::Regex> = LazyLock::new(|| {
    crate::checks::regex(r#"(?m)^[ \t]+([A-Z]\w*)[ \t]*:[ \t]*("[^"\n]*"|\d+)[ \t]*,"#)
});
/// `func configWithDefaults()`: the functions whose assignments are defaults.
static FUNC: LazyLock<regex::Regex> =
    LazyLock::new(|| crate::checks::regex(r"(?m)^func[ \t]+(?:\([^)\n]*\)[ \t]*)?(\w+)"));
/// `c.LogOutput = "stdout,file"` in a defaults function.
static ASSIGN: LazyLock<regex::Regex> = LazyLock::new(|| {
    crate::checks::regex(
        r#"(?m)^[ \t]+[a-z]\w*\.((?:\w+\.)*)([A-Z]\w*)[ \t]*=[ \t]*("[^"\n]*"|\d+)[ \t]*$"#,
    )
});
/// `viper.SetDefault("server.port", 8080)`.
static SET_DEFAULT: LazyLock<regex::Regex> = LazyLock::new(|| {
    crate::checks::regex(r#"\bSetDefault\(\s*"([\w.\-]+)"\s*,\s*("[^"\n]*"|\d+)\s*\)"#)
});
/// A struct field with its tags: `DBUri string `yaml:"db-uri" env:"OG_DB_URI"``.
static TAGGED: LazyLock<regex::Regex> = LazyLock::new(|| {
    crate::checks::regex(r"(?m)^[ \t]+([A-Z]\w*)[ \t]+[\w.*\[\]]+[ \t]+`([^`\n]*)`")
});
static TAG: LazyLock<regex::Regex> =
    LazyLock::new(|| crate::checks::regex(r#"\b(yaml|mapstructure|koanf|env)\s*:\s*"([^",]+)"#));
/// The config file a start command passes: `--config /config.yml`, `-c=app.yaml`.
static CONFIG_ARG: LazyLock<regex::Regex> = LazyLock::new(|| {
    crate::checks::regex(
        r#"(?:^|[\s"'\[,])--?(?:config|conf|config-file|c)(?:=|["',\s]+)["']?([^\s"',\]]+\.ya?ml)\b"#,
    )
});
static READS_PORT: LazyLock<regex::Regex> = LazyLock::new(|| {
    crate::checks::regex(r#"(?:Getenv|LookupEnv)\(\s*"PORT"\s*\)|envconfig:"PORT"|env:"PORT""#)
});
static READS_ENV: LazyLock<regex::Regex> = LazyLock::new(|| {
    crate::checks::regex(r#"os\.Getenv|os\.LookupEnv|AutomaticEnv|envconfig|configor|env:""#)
});

/// What the config struct's tags say: the field a file key sets, and each field's variable.
#[derive(Default)]
struct Tags {
    field_of_key: BTreeMap<String, String>,
    variable: BTreeMap<String, String>,
}

impl Tags {
    fn read(text: &str, tags: &mut Tags) {
        for caps in TAGGED.captures_iter(text) {
            let field = &caps[1];
            for tag in TAG.captures_iter(&caps[2]) {
                let (kind, name) = (&tag[1], tag[2].to_string());
                if kind == "env" {
                    tags.variable.entry(field.to_string()).or_insert(name);
                } else {
                    tags.field_of_key
                        .entry(name)
                        .or_insert_with(|| field.to_string());
                }
            }
        }
    }
}

/// One default or config-file value, before it is judged.
struct Candidate<'a> {
    /// The Go field (`HttpPort`) or, with no tag naming one, the file key (`http.port`).
    name: String,
    /// The name as the file writes it, for the message.
    shown: String,
    value: String,
    span: (usize, usize),
    file: &'a str,
    /// Where the value comes from, for the message.
    origin: &'static str,
}

pub fn resolve(ctx: &Context) -> Vec<Setting> {
    let sources: Vec<(&str, String)> = ctx
        .files(|rel| rel.ends_with(".go"))
        .into_iter()
        .map(|(file, bytes)| {
            (
                file,
                String::from_utf8_lossy(&masked(file, bytes)).into_owned(),
            )
        })
        .collect();
    let mut tags = Tags::default();
    for (_, text) in &sources {
        Tags::read(text, &mut tags);
    }
    let reads_port = sources.iter().any(|(_, t)| READS_PORT.is_match(t));
    let mut out = Vec::new();
    for (file, text) in &sources {
        let reads_env = READS_ENV.is_match(text);
        let funcs: Vec<(usize, bool)> = FUNC
            .captures_iter(text)
            .map(|c| {
                let defaults = c[1].to_ascii_lowercase().contains("default");
                (c.get(0).expect("match").start(), defaults)
            })
            .collect();
        // An assignment outside a defaults function switches a value on one path
        // (`UseSQLite()`, a setup wizard), not what production starts with.
        let in_defaults = |at: usize| {
            funcs
                .iter()
                .rev()
                .find(|(start, _)| *start < at)
                .is_some_and(|(_, defaults)| *defaults)
        };
        let mut candidates = Vec::new();
        for (re, assigned) in [(&*FIELD, false), (&*ASSIGN, true)] {
            for caps in re.captures_iter(text) {
                let whole = caps.get(0).expect("match");
                if assigned && !in_defaults(whole.start()) {
                    continue;
                }
                // An assignment names the field through its parents (`Database.Host`).
                let (parents, field, raw) = if assigned {
                    (&caps[1], &caps[2], caps.get(3).expect("group"))
                } else {
                    ("", &caps[1], caps.get(2).expect("group"))
                };
                candidates.push(Candidate {
                    name: field.to_string(),
                    shown: format!("{parents}{field}"),
                    value: raw.as_str().trim_matches('"').to_string(),
                    span: (
                        whole.start() + whole.len() - whole.as_str().trim_start().len(),
                        raw.end(),
                    ),
                    file,
                    origin: "the config defaults",
                });
            }
        }
        for caps in SET_DEFAULT.captures_iter(text) {
            let whole = caps.get(0).expect("match");
            let raw = caps.get(2).expect("group");
            candidates.push(Candidate {
                name: tags
                    .field_of_key
                    .get(&caps[1])
                    .cloned()
                    .unwrap_or_else(|| caps[1].to_string()),
                shown: caps[1].to_string(),
                value: raw.as_str().trim_matches('"').to_string(),
                span: (whole.start(), raw.end()),
                file,
                origin: "the config defaults",
            });
        }
        candidates.sort_by_key(|c| c.span);
        out.extend(judge(ctx, &tags, candidates, reads_port, reads_env));
    }
    if !sources.is_empty() {
        for (file, bytes) in started_yaml(ctx) {
            let text = String::from_utf8_lossy(bytes);
            let candidates = yaml(&text)
                .into_iter()
                .map(|e| Candidate {
                    name: tags
                        .field_of_key
                        .get(&e.key)
                        .cloned()
                        .unwrap_or(e.key.clone()),
                    shown: e.key,
                    value: e.value.trim_matches(['"', '\'']).to_string(),
                    span: e.span,
                    file,
                    origin: "the config file the start command passes",
                })
                .collect();
            // The file's own keys decide, whatever the code reads from the environment.
            out.extend(judge(ctx, &tags, candidates, reads_port, false));
        }
    }
    out
}

/// The committed YAML files the Dockerfile, the Procfile or a start script passes with `--config`.
fn started_yaml<'a>(ctx: &'a Context) -> Vec<(&'a str, &'a [u8])> {
    let mut names: Vec<String> = ["Dockerfile", "Procfile"]
        .into_iter()
        .chain(crate::repo::START_SCRIPTS.iter().copied())
        .filter_map(|f| ctx.text(f))
        .flat_map(|text| {
            let text = String::from_utf8_lossy(text);
            CONFIG_ARG
                .captures_iter(&text)
                .map(|c| c[1].rsplit('/').next().unwrap_or(&c[1]).to_string())
                .collect::<Vec<_>>()
        })
        .filter(|name| is_yaml_config(name))
        .collect();
    names.sort();
    names.dedup();
    ctx.files(|rel| {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        names.iter().any(|n| n == name) && rel.matches('/').count() <= 1
    })
}

/// The settings among `candidates` (in file order), each with the variable its field reads.
fn judge(
    ctx: &Context,
    tags: &Tags,
    candidates: Vec<Candidate>,
    reads_port: bool,
    reads_env: bool,
) -> Vec<Setting> {
    // The first web port is the server's; later ones belong to nested parts (TLS).
    let mut port_seen = false;
    let mut out = Vec::new();
    for c in candidates {
        let norm = super::defaults::squeeze(&c.name);
        if WEB_PORTS.contains(&norm.as_str()) && std::mem::replace(&mut port_seen, true) {
            continue;
        }
        let variable = tags.variable.get(&c.name).cloned();
        let variable = match &variable {
            Some(var) => match ctx.var(var, Some(&c.value)) {
                Resolved::Default(_) => variable,
                // Production declares the field's variable: that value replaces this one.
                Resolved::Declared(_) | Resolved::Unknown => continue,
            },
            None => None,
        };
        let Some((key, detail)) = classify(&norm, &c, reads_port, reads_env) else {
            continue;
        };
        out.push(Setting {
            key,
            framework: Framework::Go,
            value: c.value,
            file: c.file.to_string(),
            span: c.span,
            variable,
            local: true,
            detail,
        });
    }
    out
}

/// Field names of the web server's port.
const WEB_PORTS: &[&str] = &[
    "port",
    "httpport",
    "serverport",
    "listenport",
    "webport",
    "appport",
];

/// The key and message of a value that selects something local to one container.
fn classify(norm: &str, c: &Candidate, reads_port: bool, reads_env: bool) -> Option<(Key, String)> {
    let (value, shown, origin) = (c.value.as_str(), c.shown.as_str(), c.origin);
    if WEB_PORTS.contains(&norm) {
        return (!reads_port && !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()))
            .then(|| {
                (
                    Key::Port,
                    format!("port {value} from {origin} (PORT is never read)"),
                )
            });
    }
    if matches!(norm, "bind" | "host" | "listen" | "address" | "addr") {
        // The host of a backing service (`Database.Host`) is where the app connects.
        let service = ["database", "db", "redis", "mail", "smtp", "cache"]
            .iter()
            .any(|w| shown.to_ascii_lowercase().contains(w));
        return (!reads_env && !service && matches!(value, "localhost" | "127.0.0.1")).then(|| {
            (
                Key::ListenHost,
                format!("the listen address `{value}` from {origin}"),
            )
        });
    }
    super::defaults::local_backend(norm, value, shown, origin)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::env::DeclaredEnv;
    use crate::hosts::test_facts;

    #[test]
    fn struct_literal_defaults() {
        let config = "package config\n\nfunc New() *Config {\n\treturn &Config{\n\t\tServer: Server{\n\t\t\tPort: 8080,\n\t\t\tBind: \"localhost\",\n\t\t\tTLS: TLS{\n\t\t\t\tPort: 443,\n\t\t\t},\n\t\t},\n\t\tDatabase: Database{\n\t\t\tDialect: \"sqlite3\",\n\t\t},\n\t\tUploadedImagesDir: \"data/images\",\n\t\tName: \"app\",\n\t}\n}\n";
        let facts = test_facts(&[("config/config.go", config)]);
        let env = DeclaredEnv::default();
        let found = resolve(&Context {
            files: &facts,
            env: &env,
        });
        let keys: Vec<_> = found.iter().map(|s| s.key).collect();
        assert_eq!(
            keys,
            [
                Key::Port,
                Key::ListenHost,
                Key::DatabaseEngine,
                Key::StorageDefault
            ]
        );
        let reads = config.replace(
            "package config\n",
            "package config\n\nvar port = os.Getenv(\"PORT\")\n",
        );
        let facts = test_facts(&[("config/config.go", &reads)]);
        let found = resolve(&Context {
            files: &facts,
            env: &env,
        });
        assert!(found.iter().all(|s| s.key != Key::Port));
    }

    const TAGGED_CONFIG: &str = "package config\n\ntype config struct {\n\tLogOutput string `yaml:\"log-output\" env:\"APP_LOG_OUTPUT\"`\n\tDBUri string `yaml:\"db-uri\" env:\"APP_DB_URI\"`\n\tIndex string `yaml:\"index\" env:\"APP_INDEX\"`\n\tHttpPort string `yaml:\"http.port\" env:\"APP_HTTP_PORT\"`\n\tMetricsPort string `yaml:\"metrics.port\" env:\"APP_METRICS_PORT\"`\n}\n\nfunc withDefaults() *config {\n\tc := &config{}\n\tc.LogOutput = \"stdout,file\"\n\tc.DBUri = \"app.db\"\n\tc.Index = \"bleve\"\n\tc.HttpPort = \"7000\"\n\tc.MetricsPort = \"7001\"\n\treturn c\n}\n";

    fn found(
        files: &[(&str, &str)],
        declared: &[(&str, &str)],
    ) -> Vec<(Key, String, Option<String>)> {
        super::super::with_context(files, declared, |ctx| {
            resolve(ctx)
                .into_iter()
                .map(|s| (s.key, s.file, s.variable))
                .collect()
        })
    }

    #[test]
    fn assigned_defaults_name_their_tagged_variable() {
        let got = found(&[("internal/config/config.go", TAGGED_CONFIG)], &[]);
        let var = |v: &str| Some(v.to_string());
        let file = "internal/config/config.go".to_string();
        assert_eq!(
            got,
            [
                (Key::LogTargets, file.clone(), var("APP_LOG_OUTPUT")),
                (Key::DatabaseEngine, file.clone(), var("APP_DB_URI")),
                (Key::StorageDefault, file.clone(), var("APP_INDEX")),
                (Key::Port, file, var("APP_HTTP_PORT")),
            ]
        );
        // A backing service's host in a defaults function is not where the app listens.
        let hosts = "package config\n\nfunc withDefaults() *Config {\n\tc := &Config{}\n\tc.Database.Host = \"localhost\"\n\tc.Server.Bind = \"localhost\"\n\treturn c\n}\n";
        let got = found(&[("internal/config/config.go", hosts)], &[]);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, Key::ListenHost);
        // A variable production declares replaces the default.
        let got = found(
            &[("internal/config/config.go", TAGGED_CONFIG)],
            &[("APP_DB_URI", "postgres://db/app")],
        );
        assert!(got.iter().all(|(k, _, _)| *k != Key::DatabaseEngine));
    }

    #[test]
    fn the_yaml_file_the_start_command_passes_is_config() {
        let yaml = "log-output: stdout,file\ndb-uri: app.db\nhttp.host: 0.0.0.0\nhttp.port: 7000\nmetrics.port: 7001\n";
        let dockerfile = "FROM alpine\nCOPY config.yml /config.yml\nENTRYPOINT [\"./app\", \"--config\", \"/config.yml\"]\n";
        let files = [
            ("internal/config/config.go", TAGGED_CONFIG),
            ("config.yml", yaml),
            ("Dockerfile", dockerfile),
        ];
        let from_yaml: Vec<Key> = found(&files, &[])
            .into_iter()
            .filter(|(_, f, _)| f == "config.yml")
            .map(|(k, _, _)| k)
            .collect();
        assert_eq!(from_yaml, [Key::LogTargets, Key::DatabaseEngine, Key::Port]);
        // Without a start command that passes it, the file is not the config.
        let unused = found(&files[..2], &[]);
        assert!(unused.iter().all(|(_, f, _)| f != "config.yml"));
    }
}
