//! Stack detection from the root manifests: languages, frameworks, package manager,
//! runtime version and where it is pinned, how the web process starts, other process
//! types and the backing services the dependencies point to.

use super::deps::GoMod;
use super::dockerfile::Dockerfile;
use super::processes::{Kind, Origin, Process};
use super::{Manifests, ok};
use crate::repo::{CLEVER_DIR, RepoFacts};
use serde::Serialize;

/// A language (or image) the hosts build differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Lang {
    Clojure,
    Go,
    /// Java built with Gradle.
    Gradle,
    /// Java built with Maven.
    Java,
    Node,
    Php,
    Python,
    Ruby,
    Scala,
    Rust,
    Dotnet,
    Elixir,
}

impl Lang {
    pub fn name(self) -> &'static str {
        match self {
            Lang::Clojure => "Clojure",
            Lang::Go => "Go",
            Lang::Gradle => "Java (Gradle)",
            Lang::Java => "Java (Maven)",
            Lang::Node => "Node.js",
            Lang::Php => "PHP",
            Lang::Python => "Python",
            Lang::Ruby => "Ruby",
            Lang::Scala => "Scala",
            Lang::Rust => "Rust",
            Lang::Dotnet => ".NET",
            Lang::Elixir => "Elixir",
        }
    }
}

/// Root files by which each language is recognised, in Scalingo's detection order
/// (platforms.md §1.1: alphabetical, first match wins), then the languages Scalingo
/// has no buildpack for.
pub const MARKERS: &[(Lang, &[&str])] = &[
    (Lang::Clojure, &["project.clj"]),
    (Lang::Go, &["go.mod"]),
    (
        Lang::Gradle,
        &[
            "gradlew",
            "build.gradle",
            "build.gradle.kts",
            "settings.gradle",
            "settings.gradle.kts",
        ],
    ),
    (Lang::Java, &["pom.xml"]),
    (Lang::Node, &["package.json"]),
    (Lang::Php, &["composer.json", "index.php"]),
    (
        Lang::Python,
        &[
            "requirements.txt",
            "Pipfile",
            "Pipfile.lock",
            "pyproject.toml",
            "setup.py",
            "manage.py",
            "uv.lock",
            "poetry.lock",
            ".python-version",
        ],
    ),
    (Lang::Ruby, &["Gemfile"]),
    (Lang::Scala, &["build.sbt", "project/build.properties"]),
    (Lang::Rust, &["Cargo.toml"]),
    (Lang::Elixir, &["mix.exs"]),
];

/// A backing service the app's dependencies use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ServiceKind {
    Postgresql,
    Mysql,
    Mongodb,
    Redis,
    Elasticsearch,
    S3,
    Smtp,
}

impl ServiceKind {
    pub fn name(self) -> &'static str {
        match self {
            ServiceKind::Postgresql => "PostgreSQL",
            ServiceKind::Mysql => "MySQL",
            ServiceKind::Mongodb => "MongoDB",
            ServiceKind::Redis => "Redis",
            ServiceKind::Elasticsearch => "Elasticsearch",
            ServiceKind::S3 => "S3 object storage",
            ServiceKind::Smtp => "SMTP",
        }
    }

    /// Words that name the service in a URL or a host setting (lower case).
    pub fn keywords(self) -> &'static [&'static str] {
        match self {
            ServiceKind::Postgresql => &["postgres", "pgsql", "jdbc:postgresql"],
            ServiceKind::Mysql => &["mysql", "mariadb"],
            ServiceKind::Mongodb => &["mongodb"],
            ServiceKind::Redis => &["redis"],
            ServiceKind::Elasticsearch => &["elastic", "opensearch", ":9200"],
            ServiceKind::S3 => &["s3.", "s3://", "amazonaws", "cellar"],
            ServiceKind::Smtp => &["smtp"],
        }
    }
}

/// Dependency names (exact, lower case) that mean a service; Go modules and Java
/// artifacts match by prefix or substring, see `uses`.
const SERVICE_DEPS: &[(ServiceKind, &[&str])] = &[
    (
        ServiceKind::Postgresql,
        &[
            "pg",
            "postgres",
            "pg-promise",
            "psycopg",
            "psycopg2",
            "psycopg2-binary",
            "asyncpg",
            "github.com/lib/pq",
            "github.com/jackc/pgx",
            "postgresql",
            "r2dbc-postgresql",
        ],
    ),
    (
        ServiceKind::Mysql,
        &[
            "mysql",
            "mysql2",
            "mysqlclient",
            "pymysql",
            "mysql-connector-python",
            "github.com/go-sql-driver/mysql",
            "mysql-connector-java",
            "mysql-connector-j",
            "mariadb-java-client",
        ],
    ),
    (
        ServiceKind::Mongodb,
        &[
            "mongodb",
            "mongoose",
            "pymongo",
            "motor",
            "mongoengine",
            "mongoid",
            "mongodb/mongodb",
            "go.mongodb.org/mongo-driver",
            "spring-boot-starter-data-mongodb",
        ],
    ),
    (
        ServiceKind::Redis,
        &[
            "redis",
            "ioredis",
            "connect-redis",
            "bull",
            "bullmq",
            "django-redis",
            "rq",
            "sidekiq",
            "predis/predis",
            "github.com/redis/go-redis",
            "github.com/go-redis/redis",
            "github.com/gomodule/redigo",
            "spring-boot-starter-data-redis",
            "jedis",
            "lettuce-core",
        ],
    ),
    (
        ServiceKind::Elasticsearch,
        &[
            "@elastic/elasticsearch",
            "@opensearch-project/opensearch",
            "elasticsearch",
            "opensearch-py",
            "searchkick",
            "elasticsearch/elasticsearch",
            "github.com/elastic/go-elasticsearch",
            "spring-boot-starter-data-elasticsearch",
        ],
    ),
    (
        ServiceKind::S3,
        &[
            "@aws-sdk/client-s3",
            "aws-sdk",
            "multer-s3",
            "minio",
            "boto3",
            "django-storages",
            "aws-sdk-s3",
            "fog-aws",
            "aws/aws-sdk-php",
            "league/flysystem-aws-s3-v3",
            "github.com/aws/aws-sdk-go-v2/service/s3",
            "github.com/aws/aws-sdk-go",
            "github.com/minio/minio-go",
            "s3",
            "aws-java-sdk-s3",
        ],
    ),
    (
        ServiceKind::Smtp,
        &[
            "nodemailer",
            "flask-mail",
            "django-anymail",
            "symfony/mailer",
            "phpmailer/phpmailer",
            "spring-boot-starter-mail",
        ],
    ),
];

/// In-process schedulers: jobs that run inside every web process (platforms.md §5 row 11).
const SCHEDULER_DEPS: &[&str] = &[
    "node-cron",
    "cron",
    "node-schedule",
    "agenda",
    "apscheduler",
    "django-apscheduler",
    "rufus-scheduler",
    "whenever",
    "github.com/robfig/cron",
    "github.com/go-co-op/gocron",
];

/// Frameworks, by dependency name.
const FRAMEWORKS: &[(&str, &str)] = &[
    ("express", "Express"),
    ("fastify", "Fastify"),
    ("koa", "Koa"),
    ("@nestjs/core", "NestJS"),
    ("next", "Next.js"),
    ("nuxt", "Nuxt"),
    ("@hapi/hapi", "hapi"),
    ("django", "Django"),
    ("flask", "Flask"),
    ("fastapi", "FastAPI"),
    ("starlette", "Starlette"),
    ("rails", "Rails"),
    ("sinatra", "Sinatra"),
    ("laravel/framework", "Laravel"),
    ("symfony/framework-bundle", "Symfony"),
    ("github.com/gin-gonic/gin", "Gin"),
    ("github.com/labstack/echo", "Echo"),
    ("github.com/gofiber/fiber", "Fiber"),
    ("spring-boot", "Spring Boot"),
    ("quarkus", "Quarkus"),
    ("micronaut", "Micronaut"),
];

/// A runtime version requirement and the file that pins it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VersionPin {
    pub lang: Lang,
    /// As written, e.g. `20.x`, `>=3.11`, `python-3.12.1`.
    pub requirement: String,
    /// Where it is written, e.g. `package.json engines.node`.
    pub source: String,
}

/// A way the web process (or another process) is started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Start {
    pub command: String,
    pub source: String,
}

/// A backing service and the dependency that reveals it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceUse {
    pub kind: ServiceKind,
    pub dependency: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Stack {
    /// Languages found at the root, in Scalingo's detection order.
    pub languages: Vec<Lang>,
    pub frameworks: Vec<String>,
    pub package_manager: Option<String>,
    /// Node lock files present (more than one fails Scalingo's build).
    pub lockfiles: Vec<String>,
    /// Version pins found, most authoritative first.
    pub versions: Vec<VersionPin>,
    /// Web start declared in the repository: Procfile `web`, package.json, Dockerfile.
    pub web: Vec<Start>,
    /// Procfile process types other than `web`.
    pub processes: Vec<Start>,
    pub services: Vec<ServiceUse>,
    pub schedulers: Vec<String>,
    /// FHIR or HL7 libraries among the dependencies (signs of health data).
    pub health_libraries: Vec<String>,
    pub dockerfile: bool,
    /// Dependency manifests at the root (`requirements.txt`, `Pipfile`, `go.mod`...).
    #[serde(skip)]
    pub root_manifests: Vec<String>,
    /// `.buildpacks`, or the app manifest, names the buildpacks explicitly (Scalingo).
    pub buildpacks_file: bool,
    /// Django project package (from `manage.py`'s settings module).
    pub django_project: Option<String>,
    /// The Go module's last path segment (the binary's name).
    pub go_binary: Option<String>,
    /// Files in `clevercloud/`.
    pub clever_files: Vec<String>,
    #[serde(skip)]
    pub deps: Vec<String>,
}

impl Stack {
    pub fn has(&self, lang: Lang) -> bool {
        self.languages.contains(&lang)
    }

    /// The language Scalingo's buildpack detection picks first.
    pub fn primary(&self) -> Option<Lang> {
        self.languages.first().copied()
    }

    /// The language of the application itself: with a package.json beside a PHP,
    /// Python or Ruby app, package.json usually only builds assets, so the other one.
    /// Hosts where the user picks the runtime (Clever Cloud, a Dockerfile) go by it.
    pub fn app_language(&self) -> Option<Lang> {
        let other = [Lang::Php, Lang::Python, Lang::Ruby]
            .into_iter()
            .find(|l| self.has(*l));
        match (self.primary(), other) {
            (Some(Lang::Node), Some(other)) => Some(other),
            (primary, _) => primary,
        }
    }

    pub fn has_framework(&self, name: &str) -> bool {
        self.frameworks.iter().any(|f| f == name)
    }

    pub fn uses(&self, kind: ServiceKind) -> bool {
        self.services.iter().any(|s| s.kind == kind)
    }

    /// The version pin of a language that its hosts read first.
    pub fn version_of(&self, lang: Lang) -> Option<&VersionPin> {
        self.versions.iter().find(|v| v.lang == lang)
    }
}

/// Reads the stack from the parsed manifests and the processes.
pub fn detect(facts: &RepoFacts, manifests: &Manifests, processes: &[Process]) -> Stack {
    let mut stack = Stack {
        languages: MARKERS
            .iter()
            .filter(|(_, files)| facts.has_any(files))
            .map(|(lang, _)| *lang)
            .collect(),
        dockerfile: facts.has("Dockerfile"),
        root_manifests: crate::repo::DEPENDENCY_MANIFESTS
            .iter()
            .filter(|(name, _)| facts.has(name))
            .map(|(name, _)| name.to_string())
            .collect(),
        buildpacks_file: facts.has(".buildpacks") || manifest_sets_buildpack(manifests),
        ..Stack::default()
    };
    if facts.root_files.iter().any(|f| f.ends_with(".csproj")) {
        stack.languages.push(Lang::Dotnet);
    }
    stack.clever_files = facts
        .root_files
        .iter()
        .filter(|f| f.starts_with(CLEVER_DIR))
        .cloned()
        .collect();
    stack.deps = dependencies(manifests);
    stack.frameworks = FRAMEWORKS
        .iter()
        .filter(|(dep, _)| stack.deps.iter().any(|d| dep_matches(d, dep)))
        .map(|(_, name)| name.to_string())
        .collect();
    stack.frameworks.dedup();
    for (kind, names) in SERVICE_DEPS {
        if let Some(dep) = stack
            .deps
            .iter()
            .find(|d| names.iter().any(|n| dep_matches(d, n)))
        {
            stack.services.push(ServiceUse {
                kind: *kind,
                dependency: dep.clone(),
            });
        }
    }
    stack.schedulers = stack
        .deps
        .iter()
        .filter(|d| SCHEDULER_DEPS.iter().any(|s| dep_matches(d, s)))
        .cloned()
        .collect();
    stack.health_libraries = stack
        .deps
        .iter()
        .filter(|d| d.contains("fhir") || d.contains("hl7"))
        .cloned()
        .collect();
    stack.lockfiles = ["package-lock.json", "yarn.lock", "pnpm-lock.yaml"]
        .iter()
        .filter(|f| facts.has(f))
        .map(|f| f.to_string())
        .collect();
    stack.package_manager = package_manager(facts, manifests, &stack);
    stack.versions = version_pins(manifests);
    read_starts(manifests, processes, &mut stack);
    stack.django_project = manifests
        .django_settings
        .as_deref()
        .and_then(|m| m.split('.').next())
        .filter(|p| !p.is_empty())
        .map(String::from);
    stack.go_binary = manifests.gomod.as_ref().and_then(GoMod::binary);
    stack
}

/// `scalingo.json`/`app.json` naming the buildpack (`BUILDPACK_URL` or `BUILDPACK_NAME`
/// in `env`, or a Heroku `buildpacks` list).
fn manifest_sets_buildpack(manifests: &Manifests) -> bool {
    manifests.app_manifests().any(|(_, json)| {
        let env = json.get("env").and_then(|e| e.as_object());
        json.get("buildpacks").is_some()
            || env.is_some_and(|e| {
                e.contains_key("BUILDPACK_URL") || e.contains_key("BUILDPACK_NAME")
            })
    })
}

/// Whether a dependency name matches a known name: exactly, or as a Go module or
/// Java artifact that starts with it (`github.com/jackc/pgx/v5`, `hapi-fhir-base`).
fn dep_matches(dep: &str, known: &str) -> bool {
    dep == known
        || (known.contains('/') && dep.starts_with(&format!("{known}/")))
        || (known.contains('/') && dep.starts_with(known) && known.starts_with("github.com"))
        || (known.starts_with("spring-boot") && dep.starts_with(known))
}

/// Production dependency names of every root manifest, lower case.
fn dependencies(manifests: &Manifests) -> Vec<String> {
    let mut deps = Vec::new();
    if let Some(package) = manifests.package() {
        deps.extend(package.dependencies.iter().cloned());
    }
    if let Some(composer) = ok(&manifests.composer) {
        deps.extend(composer.require.iter().cloned());
    }
    for requirement in manifests.requirements.iter().flatten() {
        deps.push(requirement.name.clone());
    }
    if let Some(packages) = ok(&manifests.pipfile) {
        deps.extend(packages.iter().cloned());
    }
    if let Some(project) = ok(&manifests.pyproject) {
        deps.extend(project.dependencies.iter().cloned());
    }
    if let Some(gemfile) = &manifests.gemfile {
        deps.extend(gemfile.gems.iter().cloned());
    }
    if let Some(gomod) = &manifests.gomod {
        deps.extend(gomod.requires.iter().cloned());
    }
    for artifacts in manifests.java.values() {
        deps.extend(artifacts.iter().cloned());
    }
    deps.sort();
    deps.dedup();
    deps
}

fn package_manager(facts: &RepoFacts, manifests: &Manifests, stack: &Stack) -> Option<String> {
    let node_field = manifests
        .package()
        .and_then(|p| p.package_manager.as_deref());
    let found = match stack.primary()? {
        Lang::Node => node_field
            .and_then(|f| f.split('@').next().map(String::from))
            .or_else(|| {
                [
                    ("yarn.lock", "yarn"),
                    ("pnpm-lock.yaml", "pnpm"),
                    ("bun.lock", "bun"),
                    ("bun.lockb", "bun"),
                ]
                .iter()
                .find(|(f, _)| facts.has(f))
                .map(|(_, m)| m.to_string())
            })
            .unwrap_or_else(|| "npm".into()),
        Lang::Python => [
            ("uv.lock", "uv"),
            ("poetry.lock", "poetry"),
            ("Pipfile.lock", "pipenv"),
            ("Pipfile", "pipenv"),
            ("requirements.txt", "pip"),
        ]
        .iter()
        .find(|(f, _)| facts.has(f))
        .map(|(_, m)| m.to_string())?,
        Lang::Ruby => "bundler".into(),
        Lang::Php => "composer".into(),
        Lang::Go => "go modules".into(),
        Lang::Java => "maven".into(),
        Lang::Gradle => "gradle".into(),
        Lang::Rust => "cargo".into(),
        Lang::Elixir => "mix".into(),
        Lang::Clojure | Lang::Scala | Lang::Dotnet => return None,
    };
    Some(found)
}

/// Every version pin found, in the order the buildpacks read them (platforms.md §1.9).
fn version_pins(manifests: &Manifests) -> Vec<VersionPin> {
    let mut pins = Vec::new();
    let mut pin = |lang, requirement: &str, source: &str| {
        let requirement = requirement.trim().trim_matches(['"', '\'']).trim();
        if !requirement.is_empty() {
            pins.push(VersionPin {
                lang,
                requirement: requirement.to_string(),
                source: source.to_string(),
            });
        }
    };
    if let Some(node) = manifests.package().and_then(|p| p.engines_node.as_deref()) {
        pin(Lang::Node, node, "package.json engines.node");
    }
    let file = |name: &str| manifests.version_files.get(name).map(String::as_str);
    for name in [".nvmrc", ".node-version"] {
        if let Some(version) = file(name) {
            pin(Lang::Node, version, name);
        }
    }
    for name in ["runtime.txt", ".python-version"] {
        if let Some(version) = file(name) {
            pin(Lang::Python, version, name);
        }
    }
    if let Some(ruby) = manifests.gemfile.as_ref().and_then(|g| g.ruby.as_deref()) {
        pin(Lang::Ruby, ruby, "Gemfile ruby");
    }
    if let Some(php) = ok(&manifests.composer).and_then(|c| c.php.as_deref()) {
        pin(Lang::Php, php, "composer.json require.php");
    }
    if let Some(go) = manifests.gomod.as_ref().and_then(|g| g.go.as_deref()) {
        pin(Lang::Go, go, "go.mod go");
    }
    if let Some(java) = file("system.properties") {
        pin(Lang::Java, java, "system.properties java.runtime.version");
    }
    pins
}

/// The web start and the other processes, from the model's processes; package.json's
/// start counts even where a Procfile wins over it, as the buildpack's default.
fn read_starts(manifests: &Manifests, processes: &[Process], stack: &mut Stack) {
    for process in processes.iter().filter(|p| p.origin == Origin::Procfile) {
        let start = Start {
            command: process.command.clone(),
            source: format!("Procfile {}:", process.name),
        };
        if process.kind == Kind::Web {
            stack.web.push(start);
        } else {
            stack.processes.push(start);
        }
    }
    if let Some(package) = manifests.package() {
        if let Some(script) = package.script("start") {
            stack.web.push(Start {
                command: script.to_string(),
                source: "package.json scripts.start".into(),
            });
        } else if let Some(main) = &package.main {
            stack.web.push(Start {
                command: format!("node {main}"),
                source: "package.json main".into(),
            });
        }
    }
    if let Some(command) = manifests.dockerfile.as_ref().and_then(Dockerfile::start) {
        stack.web.push(Start {
            command,
            source: "Dockerfile CMD".into(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::hosts::test_facts as facts;

    fn detect(facts: &RepoFacts) -> Stack {
        crate::app::App::build(facts.clone(), &Default::default()).stack
    }

    #[test]
    fn the_procfile_web_command_is_read_once_in_the_manifests() {
        let app = crate::app::App::build(
            facts(&[(
                "Procfile",
                "release: ./migrate\nweb: gunicorn mysite.wsgi\n",
            )]),
            &Default::default(),
        );
        assert_eq!(app.manifests.procfile_web(), Some("gunicorn mysite.wsgi"));
    }

    #[test]
    fn node_stack() {
        let stack = detect(&facts(&[
            (
                "package.json",
                r#"{"engines":{"node":"20.x"},"scripts":{"start":"node server.js"},
                   "dependencies":{"express":"4","mongoose":"8","node-cron":"3"},"devDependencies":{"pg":"1"}}"#,
            ),
            ("package-lock.json", "{}"),
        ]));
        assert_eq!(stack.languages, vec![Lang::Node]);
        assert_eq!(stack.frameworks, vec!["Express"]);
        assert_eq!(stack.package_manager.as_deref(), Some("npm"));
        assert_eq!(stack.versions[0].requirement, "20.x");
        assert_eq!(stack.web[0].source, "package.json scripts.start");
        let kinds: Vec<_> = stack.services.iter().map(|s| s.kind).collect();
        assert_eq!(
            kinds,
            vec![ServiceKind::Mongodb],
            "devDependencies do not count"
        );
        assert_eq!(stack.schedulers, vec!["node-cron"]);
    }

    #[test]
    fn python_django_stack() {
        let stack = detect(&facts(&[
            (
                "requirements.txt",
                "Django==5.1\npsycopg[binary]==3.2 # db\nfhir.resources>=7\n-r base.txt\n",
            ),
            (
                "manage.py",
                "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n",
            ),
            ("runtime.txt", "python-3.12.1\n"),
            (
                "Procfile",
                "web: gunicorn mysite.wsgi\nworker: celery -A mysite worker\n",
            ),
        ]));
        assert_eq!(stack.frameworks, vec!["Django"]);
        assert_eq!(stack.django_project.as_deref(), Some("mysite"));
        assert!(stack.uses(ServiceKind::Postgresql));
        assert_eq!(stack.health_libraries, vec!["fhir.resources"]);
        assert_eq!(stack.versions[0].source, "runtime.txt");
        assert_eq!(stack.processes[0].source, "Procfile worker:");
    }

    #[test]
    fn go_and_docker() {
        let stack = detect(&facts(&[
            (
                "go.mod",
                "module github.com/acme/notes-api\n\ngo 1.22\n\nrequire github.com/jackc/pgx/v5 v5.7.2\nrequire (\n\tgithub.com/redis/go-redis/v9 v9.0.0\n)\n",
            ),
            (
                "Dockerfile",
                "FROM golang\nENTRYPOINT [\"/app\"]\nCMD [\"serve\", \"--verbose\"]\n",
            ),
        ]));
        assert_eq!(stack.go_binary.as_deref(), Some("notes-api"));
        assert!(stack.uses(ServiceKind::Postgresql) && stack.uses(ServiceKind::Redis));
        assert_eq!(stack.web[0].command, "/app serve --verbose");
        assert_eq!(stack.versions[0].requirement, "1.22");
    }

    #[test]
    fn gemfile_and_composer() {
        let stack = detect(&facts(&[
            (
                "Gemfile",
                "ruby '3.3.6'\ngem \"rails\", \"~> 7.2\"\ngem 'pg'\n",
            ),
            (
                "composer.json",
                r#"{"require":{"php":"^8.2","predis/predis":"2"}}"#,
            ),
        ]));
        assert_eq!(stack.languages, vec![Lang::Php, Lang::Ruby]);
        assert!(stack.has_framework("Rails"));
        assert!(stack.uses(ServiceKind::Redis) && stack.uses(ServiceKind::Postgresql));
        assert_eq!(stack.version_of(Lang::Ruby).unwrap().requirement, "3.3.6");
        assert_eq!(stack.version_of(Lang::Php).unwrap().requirement, "^8.2");
    }
}
