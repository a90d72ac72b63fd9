//! What each host needs beyond fixes: how it starts the app, what to configure,
//! where to store files, which compliance labels it holds (platforms.md §1-3).

use super::{Compliance, Host};
use crate::app::App;
use crate::app::stack::{Lang, ServiceKind, Stack, Start};
use crate::finding::Finding;
use crate::repo::RepoFacts;

fn start_of(command: &str, source: &str) -> Option<Start> {
    Some(Start {
        command: command.to_string(),
        source: source.to_string(),
    })
}

/// How the host would start the web process (§1.2, §2.2, §3.2).
pub fn start(host: Host, stack: &Stack) -> Option<Start> {
    let declared = |prefix: &str| {
        stack
            .web
            .iter()
            .find(|s| s.source.starts_with(prefix))
            .cloned()
    };
    let node = || declared("package.json");
    match host {
        Host::Scalingo => declared("Procfile").or_else(|| match stack.primary()? {
            Lang::Node => node().map(|_| Start {
                command: "npm start".into(),
                source: "Node.js buildpack default".into(),
            }),
            Lang::Php => start_of("bin/run (Nginx + PHP-FPM)", "PHP buildpack default"),
            Lang::Ruby if stack.has_framework("Rails") => start_of(
                "bin/rails server -p ${PORT:-5000}",
                "Ruby buildpack default",
            ),
            Lang::Ruby => start_of("rackup -p ${PORT:-5000}", "Ruby buildpack default"),
            Lang::Java | Lang::Gradle
                if ["Spring Boot", "Quarkus", "Micronaut"]
                    .iter()
                    .any(|f| stack.has_framework(f)) =>
            {
                start_of(
                    "the framework's default web process",
                    "Java buildpack default (needs `target/` after the build)",
                )
            }
            _ => None,
        }),
        Host::CleverCloud => {
            if stack.dockerfile && stack.languages.is_empty() {
                return declared("Dockerfile");
            }
            match stack.app_language()? {
                Lang::Node => node(),
                Lang::Python => Some(Start {
                    command: match &stack.django_project {
                        Some(p) => format!("uWSGI on CC_PYTHON_MODULE={p}.wsgi:application"),
                        None => "uWSGI on CC_PYTHON_MODULE (module:app)".into(),
                    },
                    source: "python runtime".into(),
                }),
                Lang::Php => start_of("Apache + PHP-FPM on CC_WEBROOT", "php runtime"),
                Lang::Ruby => start_of("puma with config.ru", "ruby runtime"),
                Lang::Go => start_of("the go.mod module's binary", "go runtime"),
                _ => None,
            }
        }
        Host::Scaleway => declared("Dockerfile"),
    }
}

/// Environment variables, addons and hooks to set on the host.
pub fn setup(host: Host, app: &App, findings: &[Finding]) -> Vec<String> {
    let stack = &app.stack;
    let mut out = Vec::new();
    let postdeploy = app
        .manifests
        .procfile
        .iter()
        .flatten()
        .find(|d| d.name == "postdeploy" || d.name == "release");
    let migrate = if stack.has_framework("Django") {
        Some("python manage.py migrate")
    } else if stack.has_framework("Rails") {
        Some("bundle exec rails db:migrate")
    } else {
        None
    };
    match host {
        Host::Scalingo => {
            if let (None, Some(cmd)) = (postdeploy, migrate) {
                out.push(format!(
                    "run migrations after each deploy: `postdeploy: {cmd}` in the Procfile"
                ));
            }
            for service in &stack.services {
                if let Some(var) = scalingo_addon_var(service.kind) {
                    out.push(format!("{} addon: the app gets {var}", service.kind.name()));
                }
            }
        }
        Host::CleverCloud => clever_setup(app, postdeploy.map(|d| d.command.as_str()), &mut out),
        Host::Scaleway => {
            if !stack.dockerfile {
                out.push("build a linux/amd64 image: add a Dockerfile (`twelve init --platform scaleway`) or let `scw container deploy` use Paketo buildpacks".into());
            }
            let vars: Vec<&str> = stack.services.iter().map(|s| manual_var(s.kind)).collect();
            if !vars.is_empty() {
                out.push(format!(
                    "no addon injection: set {} yourself (as secrets)",
                    vars.join(", ")
                ));
            }
            if let Some(cmd) = postdeploy.map(|d| d.command.as_str()).or(migrate) {
                out.push(format!("no release hook: run `{cmd}` in the entrypoint before binding the port, or as a Serverless Job"));
            }
            out.push("the container scales to zero after 15 minutes without requests: set `min-scale` to 1 to avoid cold starts".into());
        }
    }
    if findings.iter().any(|f| f.rule == "committed-dotenv") {
        out.push(format!(
            "set the values of the committed .env in {}'s environment instead",
            host.name()
        ));
    }
    out
}

fn scalingo_addon_var(kind: ServiceKind) -> Option<&'static str> {
    Some(match kind {
        ServiceKind::Postgresql => "`SCALINGO_POSTGRESQL_URL` (alias `DATABASE_URL`)",
        ServiceKind::Mysql => "`SCALINGO_MYSQL_URL` (alias `DATABASE_URL`)",
        ServiceKind::Mongodb => "`SCALINGO_MONGO_URL` (alias `MONGO_URL`)",
        ServiceKind::Redis => "`SCALINGO_REDIS_URL` (alias `REDIS_URL`)",
        ServiceKind::Elasticsearch => "`SCALINGO_ELASTICSEARCH_URL` (or `SCALINGO_OPENSEARCH_URL`)",
        ServiceKind::S3 | ServiceKind::Smtp => return None,
    })
}

fn manual_var(kind: ServiceKind) -> &'static str {
    match kind {
        ServiceKind::Postgresql | ServiceKind::Mysql => "`DATABASE_URL`",
        ServiceKind::Mongodb => "`MONGO_URL`",
        ServiceKind::Redis => "`REDIS_URL`",
        ServiceKind::Elasticsearch => "the search URL",
        ServiceKind::S3 => "the S3 endpoint and keys",
        ServiceKind::Smtp => "the SMTP settings (outbound ports 25 and 465 are blocked: use 587)",
    }
}

fn clever_setup(app: &App, hook: Option<&str>, out: &mut Vec<String>) {
    let stack = &app.stack;
    let web = app.manifests.procfile_web();
    match stack.app_language() {
        Some(Lang::Python) => {
            let module = stack
                .django_project
                .as_ref()
                .map(|p| format!("{p}.wsgi:application"))
                .unwrap_or_else(|| "<module>:<wsgi app>".into());
            out.push(format!(
                "`CC_PYTHON_MODULE={module}` (the Procfile is ignored)"
            ));
            if web.is_some_and(|w| w.contains("gunicorn")) {
                out.push("`CC_PYTHON_BACKEND=gunicorn`".into());
            }
            if stack.has_framework("Django") {
                out.push("`CC_PYTHON_MANAGE_TASKS=migrate`".into());
            }
            if let Some(pin) = stack.version_of(Lang::Python) {
                out.push(format!(
                    "`CC_PYTHON_VERSION` to the version in {} ({})",
                    pin.source, pin.requirement
                ));
            }
        }
        Some(Lang::Ruby) if stack.has_framework("Rails") => {
            out.push("`CC_RAKEGOALS=db:migrate` and `RAILS_LOG_TO_STDOUT=true`".into());
        }
        Some(Lang::Php) => out
            .push("`CC_WEBROOT` to the public folder (e.g. `/public`) and `CC_PHP_VERSION`".into()),
        Some(Lang::Java | Lang::Gradle) => out.push(
            "how to run the build: `MAVEN_DEPLOY_GOAL` or `deploy.goal` in `clevercloud/maven.json` (Gradle: `clevercloud/gradle.json`), or `CC_JAR_PATH` to the built jar".into(),
        ),
        Some(Lang::Node) | None => {}
        Some(_) => {
            if let Some(web) = web {
                out.push(format!("`CC_RUN_COMMAND={web}` if the runtime's default start does not fit (the Procfile is ignored)"));
            }
        }
    }
    if let Some(cmd) =
        hook.filter(|_| !stack.has_framework("Django") && !stack.has_framework("Rails"))
    {
        out.push(format!("`CC_PRE_RUN_HOOK={cmd}` (the Procfile is ignored)"));
    }
    for service in &stack.services {
        let line = match service.kind {
            ServiceKind::Postgresql => {
                "PostgreSQL addon: it injects `POSTGRESQL_ADDON_URI`, not `DATABASE_URL`; set `DATABASE_URL` to that value if the app reads it"
            }
            ServiceKind::Mysql => {
                "MySQL addon: it injects `MYSQL_ADDON_URI` and `MYSQL_ADDON_*`, not `DATABASE_URL`"
            }
            ServiceKind::Mongodb => {
                "MongoDB addon: it injects `MONGODB_ADDON_*` (whether a `MONGODB_ADDON_URI` is injected is unconfirmed)"
            }
            ServiceKind::Redis => {
                "Redis addon: it injects `REDIS_URL` (and `REDIS_HOST`, `REDIS_PORT`, `REDIS_PASSWORD`)"
            }
            ServiceKind::Elasticsearch => "Elasticsearch addon: it injects `ES_ADDON_URI`",
            ServiceKind::S3 => {
                "Cellar addon (S3): it injects `CELLAR_ADDON_HOST`, `CELLAR_ADDON_KEY_ID`, `CELLAR_ADDON_KEY_SECRET`"
            }
            ServiceKind::Smtp => continue,
        };
        out.push(line.into());
    }
    out.push("deploys push to the `master` branch of the Clever Cloud remote; the app should answer 200 on `/`, the default health check path (https://www.clever.cloud/developers/doc/develop/healthcheck/)".into());
}

/// Where to keep files instead of the local disk, when a finding shows local storage.
pub fn storage(host: Host, findings: &[Finding]) -> Option<String> {
    findings.iter().any(|f| f.rule == "local-file-storage").then(|| {
        match host {
            Host::Scalingo => "no volumes on Scalingo: use an external S3-compatible object storage (e.g. Scaleway Object Storage, OVHcloud Object Storage)",
            Host::CleverCloud => "Cellar, Clever Cloud's S3-compatible object storage (`CELLAR_ADDON_*`); an FS Bucket can persist a folder, but not with Docker or in HDS zones",
            Host::Scaleway => "Scaleway Object Storage (S3-compatible, HDS-certified)",
        }
        .to_string()
    })
}

/// `Ok(evidence)` when the host holds the label, `Err(why not)` otherwise; labels marked
/// (unconfirmed) in platforms.md are not counted as held.
pub fn compliance(host: Host, label: Compliance) -> Result<String, String> {
    match (host, label) {
        (Host::Scalingo, Compliance::Hds) => Ok("HDS 2.0, certificate no. 38436, valid to 2028-09".into()),
        (Host::CleverCloud, Compliance::Hds) => Ok("HDS (all six activities): deploy in an HDS zone (`parhds`, `rbxhds`, `grahds`) under an HDS contract".into()),
        (Host::Scaleway, Compliance::Hds) => Err("HDS for Serverless Containers is unconfirmed (only its Object Storage is HDS-certified)".into()),
        (Host::Scalingo, Compliance::Secnumcloud) => Err("not qualified: the `osc-secnum-fr1` region runs in SecNumCloud-qualified Outscale datacenters, but Scalingo itself is still working on the qualification".into()),
        (Host::CleverCloud, Compliance::Secnumcloud) => Err("SecNumCloud is unconfirmed (no source found)".into()),
        (Host::Scaleway, Compliance::Secnumcloud) => Err("not qualified: SecNumCloud is in progress".into()),
    }
}

/// Advice about the repository as a whole.
pub fn repository(stack: &Stack, facts: &RepoFacts, findings: &[Finding]) -> Vec<String> {
    let mut out = Vec::new();
    if stack.health_libraries.is_empty()
        && crate::health::looks_like_health_data(&facts.health_terms)
    {
        let words: Vec<String> = facts
            .health_terms
            .iter()
            .take(4)
            .map(|(term, at)| format!("`{term}` ({at})"))
            .collect();
        out.push(format!(
            "health data: the code names health-record fields ({}); hosting health data of French patients requires an HDS-certified host (`--require hds`: Scalingo, Clever Cloud HDS zones)",
            words.join(", ")
        ));
    }
    if !stack.health_libraries.is_empty() {
        out.push(format!(
            "health data: the dependencies include {} (FHIR/HL7); hosting health data of French patients requires an HDS-certified host (`--require hds`: Scalingo, Clever Cloud HDS zones)",
            stack.health_libraries.iter().map(|l| format!("`{l}`")).collect::<Vec<_>>().join(", ")
        ));
    }
    if findings.iter().any(|f| f.rule == "local-file-storage") {
        out.push("file storage: S3-compatible object storage from French providers: Clever Cloud Cellar, Scaleway Object Storage, OVHcloud Object Storage; small files (avatars, short PDFs) can also live in PostgreSQL (`bytea`)".into());
    }
    out
}
