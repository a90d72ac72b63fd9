//! What a file is, from its path (and first line for scripts): its language, which
//! decides how comments are masked, and its role, which decides which rules apply.

use serde::Deserialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Language {
    Javascript,
    Typescript,
    Python,
    Ruby,
    Php,
    Go,
    Java,
    Kotlin,
    Properties,
    Yaml,
    Toml,
    Json,
    Xml,
    Dotenv,
    Procfile,
    Dockerfile,
    Shell,
    Ini,
    Markdown,
    Text,
    /// Server-side page templates (ERB, Slim, Haml, Twig, Jinja, Nunjucks, EJS...).
    Template,
}

impl Language {
    /// Programming languages, as opposed to config and data formats: the first of `ALL`.
    pub const CODE: &'static [Language] = Language::ALL.split_at(8).0;

    /// Every language, code first.
    pub const ALL: [Language; 21] = [
        Language::Javascript,
        Language::Typescript,
        Language::Python,
        Language::Ruby,
        Language::Php,
        Language::Go,
        Language::Java,
        Language::Kotlin,
        Language::Properties,
        Language::Yaml,
        Language::Toml,
        Language::Json,
        Language::Xml,
        Language::Dotenv,
        Language::Procfile,
        Language::Dockerfile,
        Language::Shell,
        Language::Ini,
        Language::Markdown,
        Language::Text,
        Language::Template,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Language::Javascript => "javascript",
            Language::Typescript => "typescript",
            Language::Python => "python",
            Language::Ruby => "ruby",
            Language::Php => "php",
            Language::Go => "go",
            Language::Java => "java",
            Language::Kotlin => "kotlin",
            Language::Properties => "properties",
            Language::Yaml => "yaml",
            Language::Toml => "toml",
            Language::Json => "json",
            Language::Xml => "xml",
            Language::Dotenv => "dotenv",
            Language::Procfile => "procfile",
            Language::Dockerfile => "dockerfile",
            Language::Shell => "shell",
            Language::Ini => "ini",
            Language::Markdown => "markdown",
            Language::Text => "text",
            Language::Template => "template",
        }
    }

    /// Data and config formats: files of these languages get the `config` role.
    fn is_config_format(self) -> bool {
        matches!(
            self,
            Language::Properties
                | Language::Yaml
                | Language::Toml
                | Language::Json
                | Language::Xml
                | Language::Dotenv
                | Language::Procfile
                | Language::Dockerfile
                | Language::Ini
        )
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a file is in the repository. Only `Source` and `Config` are production; rules
/// choose their roles, and none of the first rules looks at tests, docs or examples.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Source,
    Config,
    /// Configuration that only applies to development or test environments.
    DevConfig,
    Test,
    Docs,
    Example,
    Fixture,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Source,
        Role::Config,
        Role::DevConfig,
        Role::Test,
        Role::Docs,
        Role::Example,
        Role::Fixture,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Role::Source => "source",
            Role::Config => "config",
            Role::DevConfig => "dev-config",
            Role::Test => "test",
            Role::Docs => "docs",
            Role::Example => "example",
            Role::Fixture => "fixture",
        }
    }
}

/// Language of a file from its name; `None` when twelve has no rule for that kind.
pub fn language_of(rel_path: &str, first_line: &[u8]) -> Option<Language> {
    let name = file_name(rel_path);
    let lower = name.to_ascii_lowercase();
    let by_name = match lower.as_str() {
        // Lock files are generated; no rule reads them.
        "package-lock.json"
        | "npm-shrinkwrap.json"
        | "composer.lock"
        | "yarn.lock"
        | "pnpm-lock.yaml"
        | "gemfile.lock"
        | "poetry.lock"
        | "pipfile.lock"
        | "uv.lock"
        | "go.sum"
        | "cargo.lock" => return None,
        "procfile" => Some(Language::Procfile),
        "dockerfile" | "containerfile" => Some(Language::Dockerfile),
        "gemfile" | "rakefile" | "guardfile" | "config.ru" => Some(Language::Ruby),
        _ if lower == ".env" || lower.starts_with(".env.") => Some(Language::Dotenv),
        _ if lower.starts_with("dockerfile.") || lower.ends_with(".dockerfile") => {
            Some(Language::Dockerfile)
        }
        _ => None,
    };
    if by_name.is_some() {
        return by_name;
    }
    let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    let by_ext = match ext {
        "js" | "mjs" | "cjs" | "jsx" => Some(Language::Javascript),
        "ts" | "mts" | "cts" | "tsx" => Some(Language::Typescript),
        "py" | "pyw" => Some(Language::Python),
        "rb" | "rake" | "gemspec" => Some(Language::Ruby),
        "php" | "phtml" => Some(Language::Php),
        "go" => Some(Language::Go),
        "java" => Some(Language::Java),
        "kt" | "kts" => Some(Language::Kotlin),
        "properties" => Some(Language::Properties),
        "yml" | "yaml" => Some(Language::Yaml),
        "toml" => Some(Language::Toml),
        "json" => Some(Language::Json),
        "xml" => Some(Language::Xml),
        "sh" | "bash" => Some(Language::Shell),
        "ini" | "cfg" | "conf" => Some(Language::Ini),
        "md" | "markdown" | "rst" => Some(Language::Markdown),
        "txt" | "pem" | "key" => Some(Language::Text),
        "erb" | "slim" | "haml" | "twig" | "j2" | "jinja" | "jinja2" | "njk" | "ejs" | "hbs"
        | "liquid" => Some(Language::Template),
        _ => None,
    };
    by_ext.or_else(|| language_of_shebang(first_line))
}

fn language_of_shebang(first_line: &[u8]) -> Option<Language> {
    let line = first_line.strip_prefix(b"#!")?;
    let line = String::from_utf8_lossy(line);
    let interpreter = line
        .split_whitespace()
        .find(|word| !word.ends_with("/env") && !word.starts_with('-'))?;
    let program = interpreter.rsplit('/').next().unwrap_or(interpreter);
    match program.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.') {
        "node" => Some(Language::Javascript),
        "python" => Some(Language::Python),
        "ruby" => Some(Language::Ruby),
        "php" => Some(Language::Php),
        "sh" | "bash" | "dash" | "zsh" => Some(Language::Shell),
        _ => None,
    }
}

fn file_name(rel_path: &str) -> &str {
    rel_path.rsplit('/').next().unwrap_or(rel_path)
}

const TEST_DIRS: &[&str] = &[
    "test",
    "tests",
    "spec",
    "specs",
    "__tests__",
    "__mocks__",
    "e2e",
    "end2end",
    "cypress",
    "testing",
];
const FIXTURE_DIRS: &[&str] = &[
    "factories",
    "fixtures",
    "fixture",
    "__fixtures__",
    "testdata",
    "test-data",
    "seeds",
    "seed",
    // Stubs of the services a test talks to.
    "wiremock",
    "mocks",
    "__mocks__",
];
/// Examples, samples and spikes (throw-away experiments), demo modules and playgrounds:
/// code that shows or tries, not code that runs. Installers, stubs and skeletons hold
/// the templates and defaults an app offers its users to write their own config from.
const EXAMPLE_DIRS: &[&str] = &[
    "examples",
    "example",
    "samples",
    "sample",
    "spikes",
    "spike",
    "demo",
    "demos",
    "playground",
    "showcase",
    "install",
    "installer",
    "installation",
    "stubs",
    "skeleton",
    "_templates",
    "contrib",
];
/// Documentation (docs sites and Storybook too), and translations: human text, not
/// configuration.
const DOC_DIRS: &[&str] = &[
    "docs",
    "doc",
    "documentation",
    "docs-site",
    "docsite",
    "doc-site",
    ".vitepress",
    ".docusaurus",
    ".storybook",
    "lang",
    "locale",
    "locales",
    "i18n",
    "translations",
];
/// Configs of documentation site generators (by name prefix): Docusaurus, MkDocs,
/// mdBook, VitePress.
const DOCS_SITE_FILES: &[&str] = &[
    "docusaurus.config.",
    "mkdocs.yml",
    "mkdocs.yaml",
    "book.toml",
];
/// Folders of CI, dev-container and local Docker tooling.
const DEV_TOOLING_DIRS: &[&str] = &[
    ".github",
    ".gitlab",
    ".gitlab-ci",
    ".circleci",
    ".devcontainer",
    ".buildkite",
];
/// Build, CI and generator files: they configure tooling, not the running app.
const DEV_TOOLING_FILES: &[&str] = &[
    ".gitlab-ci.yml",
    ".travis.yml",
    "azure-pipelines.yml",
    "bitbucket-pipelines.yml",
    "jenkinsfile",
    ".gitguardian.yml",
    ".pre-commit-config.yaml",
    ".yo-rc.json",
    // Code generators: they configure a developer's tool, not the app.
    "openapitools.json",
    "orval.config.ts",
    "orval.config.js",
    "codegen.ts",
    "codegen.yml",
    "codegen.yaml",
    "plopfile.js",
    "plopfile.ts",
    "sqlc.yaml",
    "gqlgen.yml",
    "buf.gen.yaml",
    "pom.xml",
    "build.gradle",
    "build.gradle.kts",
    "settings.gradle",
    "settings.gradle.kts",
    // The Liquibase command line's connection, for migrations run by hand.
    "liquibase.properties",
];
/// Suffixes that mark a template of a config file rather than the config itself.
const EXAMPLE_SUFFIXES: &[&str] = &[
    ".example",
    ".sample",
    ".dist",
    ".template",
    ".tmpl",
    ".tpl",
    ".j2",
    ".jinja",
    ".jinja2",
    ".default",
    // dotenv-defaults and dotenv-flow: the committed layer of defaults under the environment.
    ".defaults",
];
/// Words in a config file's name that tie it to a non-production environment.
const DEV_ENV_WORDS: &[&str] = &[
    "dev",
    "development",
    "local",
    "test",
    "tests",
    "testing",
    "e2e",
    "ci",
];

/// Role of a file from its path relative to the scanned root. Precedence, first match
/// wins: fixture, test, example, docs, dev-config, config, source.
pub fn role_of(rel_path: &str, language: Language) -> Role {
    let lower = rel_path.to_ascii_lowercase();
    let mut parts: Vec<&str> = lower.split('/').collect();
    let name = parts.pop().unwrap_or("");
    // Java package folders (`src/main/java/com/example/...`) are names, not roles.
    if let Some(i) = parts
        .windows(3)
        .position(|w| w[0] == "src" && w[1] == "main" && w[2] != "resources")
    {
        parts.truncate(i + 3);
    }
    let in_dir = |dirs: &[&str]| parts.iter().any(|p| dirs.contains(p));

    if in_dir(FIXTURE_DIRS) || name == "seeds.rb" {
        return Role::Fixture;
    }
    let test_like_dir = parts.iter().any(|p| {
        ["test_", "test-", "tests_", "tests-"]
            .iter()
            .any(|s| p.starts_with(s))
            || ["_test", "-test", "_tests", "-tests"]
                .iter()
                .any(|s| p.ends_with(s))
    });
    if in_dir(TEST_DIRS) || test_like_dir || is_test_file_name(file_name(rel_path)) {
        return Role::Test;
    }
    let example_word = name
        .split(['.', '-', '_'])
        .any(|w| matches!(w, "example" | "examples" | "sample" | "samples"));
    // Demo modules named so: `demo-app/`, `maps-demo/`.
    let demo_dir = parts.iter().any(|p| {
        p.starts_with("demo-")
            || p.starts_with("demo_")
            || p.ends_with("-demo")
            || p.ends_with("_demo")
    });
    if in_dir(EXAMPLE_DIRS)
        || demo_dir
        || example_word
        || EXAMPLE_SUFFIXES.iter().any(|s| name.ends_with(s))
    {
        return Role::Example;
    }
    if in_dir(DOC_DIRS)
        || DOCS_SITE_FILES.iter().any(|f| name.starts_with(f))
        || name.contains(".stories.")
        || language == Language::Markdown
        || name.starts_with("readme")
        || name.starts_with("changelog")
    {
        return Role::Docs;
    }
    if is_dev_config(&parts, name, language) {
        return Role::DevConfig;
    }
    if language.is_config_format() {
        return Role::Config;
    }
    Role::Source
}

/// Configuration of test runners (by name prefix): `pytest.ini`, `tox.ini`,
/// `jest.config.js`, `phpunit.xml`... Their URLs and hosts are those of test services.
const TEST_RUNNER_CONFIGS: &[&str] = &[
    "pytest.ini",
    "tox.ini",
    ".coveragerc",
    "phpunit.xml",
    ".rspec",
    ".mocharc.",
    "jest.config.",
    "vitest.config.",
    "karma.conf.",
    "cypress.config.",
    "playwright.config.",
];

/// Test file conventions of each stack; `name` keeps its case (`UserTest.php`).
fn is_test_file_name(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name);
    // JS helpers named `testHelper.ts`, `test_utils.js`, `test-setup.js`.
    let test_helper = stem.strip_prefix("test").is_some_and(|rest| {
        rest.starts_with(|c: char| c.is_ascii_uppercase() || c == '_' || c == '-')
    });
    let lower = name.to_ascii_lowercase();
    let name = lower.as_str();
    let class_like = ["Test", "Tests", "IT", "Spec"]
        .iter()
        .any(|s| stem.ends_with(s) && stem.len() > s.len());
    test_helper
        || TEST_RUNNER_CONFIGS.iter().any(|c| name.starts_with(c))
        || name.ends_with("_test.go")
        || (name.ends_with(".py")
            && (stem.starts_with("test_") || stem.ends_with("_test") || stem == "tests"))
        || name == "conftest.py"
        || name.ends_with("_spec.rb")
        || name.ends_with("_test.rb")
        || [".test.", ".spec.", ".e2e."]
            .iter()
            .any(|m| name.contains(m))
        || (class_like
            && [".java", ".kt", ".php", ".groovy"]
                .iter()
                .any(|e| name.ends_with(e)))
}

/// The words of a file name: its stem split at `-` and `_`, then each later dot-part
/// (`docker-compose.prod.yml` gives `docker`, `compose`, `prod`, `yml`).
fn name_words(name: &str) -> impl Iterator<Item = &str> {
    let stem = name.split('.').next().unwrap_or(name);
    stem.split(['-', '_']).chain(name.split('.').skip(1))
}

/// Whether a file's name ties it to a development, local, test or CI environment
/// (`demarrage_test.sh`, `start-dev.sh`, `Dockerfile.ci`).
pub fn names_non_production_environment(name: &str) -> bool {
    name_words(&name.to_ascii_lowercase()).any(|w| DEV_ENV_WORDS.contains(&w))
}

/// Settings files named for development, local, test or CI environments
/// (`settings/dev.py`, `config/environments/development.rb`, `application-dev.yml`,
/// `docker-compose.yml`, `.env.development`).
fn is_dev_config(parts: &[&str], name: &str, language: Language) -> bool {
    // A compose file named for production (`docker-compose.prod.yml`) is what a server runs.
    let compose_file = (name.starts_with("docker-compose")
        || name.starts_with("compose.")
        || (parts.last() == Some(&"docker") && language == Language::Yaml))
        && !name_words(name).any(|w| matches!(w, "prod" | "production"));
    // A `tools/` folder at the root holds the developers' scripts (generators, checks);
    // deeper, `src/tools/` is as likely to be the app's own helpers.
    let root_tools = parts.first() == Some(&"tools");
    if compose_file
        || root_tools
        || DEV_TOOLING_FILES.contains(&name)
        || parts.iter().any(|p| DEV_TOOLING_DIRS.contains(p))
    {
        return true;
    }
    let stem = name.split('.').next().unwrap_or(name);
    let words: Vec<&str> = name_words(name).collect();
    // `.env.local` holds a machine's real values: committing it is no dev-only matter.
    // `.env.docker` is the env_file of a docker compose setup, which is for a laptop.
    let named_for_dev = words.iter().any(|w| {
        (DEV_ENV_WORDS.contains(w) && !(language == Language::Dotenv && *w == "local"))
            || (language == Language::Dotenv && *w == "docker")
    });
    let in_settings_dir = parts
        .last()
        .is_some_and(|d| matches!(*d, "settings" | "environments" | "config" | "conf"));
    let settings_like = in_settings_dir
        || stem.starts_with("settings")
        || stem.starts_with("application")
        || stem.starts_with("appsettings")
        || stem.starts_with("config")
        || language == Language::Dotenv
        || language.is_config_format();
    // Symfony's `config/packages/dev/monolog.yaml`: a folder per environment.
    let in_dev_folder = parts.last().is_some_and(|d| DEV_ENV_WORDS.contains(d));
    (named_for_dev || in_dev_folder) && settings_like
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(path: &str) -> Role {
        let lang = language_of(path, b"").unwrap_or(Language::Text);
        role_of(path, lang)
    }

    #[test]
    fn languages_from_names_extensions_and_shebangs() {
        assert_eq!(language_of("Procfile", b""), Some(Language::Procfile));
        assert_eq!(language_of("a/.env.local", b""), Some(Language::Dotenv));
        assert_eq!(language_of("src/app.tsx", b""), Some(Language::Typescript));
        for view in [
            "app/views/orders/show.html.slim",
            "templates/base.html.twig",
        ] {
            assert_eq!(language_of(view, b""), Some(Language::Template), "{view}");
        }
        assert_eq!(
            language_of("bin/www", b"#!/usr/bin/env node"),
            Some(Language::Javascript)
        );
        assert_eq!(
            language_of("bin/run", b"#!/usr/bin/python3.11 -u"),
            Some(Language::Python)
        );
        assert_eq!(language_of("logo.png", b""), None);
    }

    #[test]
    fn roles_follow_precedence() {
        assert_eq!(role("src/server.js"), Role::Source);
        assert_eq!(role("test/app.test.js"), Role::Test);
        assert_eq!(role("src/app.spec.ts"), Role::Test);
        assert_eq!(role("pkg/server_test.go"), Role::Test);
        assert_eq!(role("pytest.ini"), Role::Test);
        assert_eq!(role("backoffice/tests.py"), Role::Test);
        assert_eq!(role("jest.config.ts"), Role::Test);
        assert_eq!(role("phpunit.xml"), Role::Test);
        assert_ne!(role("setup.cfg"), Role::Test);
        assert_eq!(role("app/test_views.py"), Role::Test);
        assert_eq!(role("src/test/java/AppTest.java"), Role::Test);
        assert_eq!(role("spec/models/user_spec.rb"), Role::Test);
        assert_eq!(role("tests/fixtures/x.py"), Role::Fixture);
        assert_eq!(role(".env.example"), Role::Example);
        assert_eq!(role(".env.sample"), Role::Example);
        assert_eq!(role(".env.dist"), Role::Example);
        assert_eq!(role("frontend/.env.production.defaults"), Role::Example);
        assert_eq!(role("examples/basic/server.js"), Role::Example);
        assert_eq!(role("demo/server.js"), Role::Example);
        assert_eq!(role("contrib/nginx/app.py"), Role::Example);
        assert_eq!(role("spikes/crawler/fetch.py"), Role::Example);
        assert_eq!(role("README.md"), Role::Docs);
        assert_eq!(role("docs/conf.py"), Role::Docs);
        assert_eq!(role("config/settings/dev.py"), Role::DevConfig);
        assert_eq!(role("config/environments/development.rb"), Role::DevConfig);
        assert_eq!(
            role("src/main/resources/application-dev.properties"),
            Role::DevConfig
        );
        assert_eq!(role("docker-compose.yml"), Role::DevConfig);
        assert_eq!(role("docker-compose.prod.yml"), Role::Config);
        assert_eq!(role("compose.production.yaml"), Role::Config);
        assert_eq!(role("docker-compose.dev.yml"), Role::DevConfig);
        assert_eq!(role(".env.docker"), Role::DevConfig);
        assert_eq!(role("config/packages/dev/monolog.yaml"), Role::DevConfig);
        assert_ne!(role("config/packages/prod/monolog.yaml"), Role::DevConfig);
        assert_eq!(
            role("src/main/resources/liquibase.properties"),
            Role::DevConfig
        );
        assert_eq!(
            role("tools/wiremock/src/Resources/auth.json"),
            Role::Fixture
        );
        assert_eq!(role("recoco/settings/e2e_tests.py"), Role::DevConfig);
        assert_ne!(role("config/application-docker.yml"), Role::DevConfig);
        assert_eq!(role(".env.development"), Role::DevConfig);
        assert_eq!(role(".env"), Role::Config);
        assert_eq!(role(".env.local"), Role::Config);
        assert_eq!(role("config/settings/local.py"), Role::DevConfig);
        assert_eq!(role("config/environments/production.rb"), Role::Source);
        assert_eq!(
            role("src/main/resources/application.properties"),
            Role::Config
        );
        assert_eq!(role("Procfile"), Role::Config);
        // A source file whose name merely contains "test" somewhere is still source.
        assert_eq!(role("src/latest.js"), Role::Source);
        assert_eq!(role("app/contest.py"), Role::Source);
        assert_eq!(role("app/Http/latest.php"), Role::Source);
        assert_eq!(role("src/backend/testHelper.ts"), Role::Test);
        assert_eq!(role("datacrawler/test_helpers/__init__.py"), Role::Test);
        assert_eq!(role("src/testimonials.js"), Role::Source);
        assert_eq!(role("lang/de.json"), Role::Docs);
        assert_eq!(role(".github/workflows/ci.yml"), Role::DevConfig);
        assert_eq!(role(".devcontainer/.env.codespaces"), Role::DevConfig);
        assert_eq!(role("src/main/docker/app.yml"), Role::DevConfig);
        assert_eq!(role("pom.xml"), Role::DevConfig);
        assert_eq!(
            role("src/main/java/com/example/web/PhotoController.java"),
            Role::Source
        );
        assert_eq!(role("src/test/java/com/example/AppTest.java"), Role::Test);
        assert_eq!(role("config/application-secret-samples.yml"), Role::Example);
        assert_eq!(role(".env.example.sail"), Role::Example);
        assert_eq!(role("database/factories/UserFactory.php"), Role::Fixture);
        assert_eq!(role("src/UserTest.php"), Role::Test);
        // Demo modules, installers, stubs, docs sites and generator configs.
        assert_eq!(role("demo/server.js"), Role::Example);
        assert_eq!(role(".gitlab-ci/templates/.env.j2"), Role::Example);
        assert_eq!(role(".gitlab-ci/deploy.yml"), Role::DevConfig);
        assert_eq!(role("deploy/.env.j2"), Role::Example);
        assert_eq!(role("end2end/package.json"), Role::Test);
        assert_eq!(role("packages/maps-demo/index.ts"), Role::Example);
        assert_eq!(role("install/config.php"), Role::Example);
        assert_eq!(role("stubs/database.php"), Role::Example);
        assert_eq!(role("website/docusaurus.config.js"), Role::Docs);
        assert_eq!(role("docs-site/src/pages/index.tsx"), Role::Docs);
        assert_eq!(role("src/Button.stories.tsx"), Role::Docs);
        assert_eq!(role("orval.config.ts"), Role::DevConfig);
        assert_eq!(role("codegen.yml"), Role::DevConfig);
        assert_ne!(role("src/demographics.py"), Role::Example);
        assert_ne!(role("app/installers.rb"), Role::Example);
    }
}
