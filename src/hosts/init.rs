//! `twelve init --platform <host>`: the deployment files the host needs and the
//! repository lacks, derived from the detected stack, plus the environment to set.
//! Existing files are never listed, and never overwritten when writing.

use super::Host;
use crate::app::App;
use crate::app::stack::{Lang, ServiceKind, Stack};
use std::fmt::Write as _;
use std::path::Path;

/// What `init` proposes for one host.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// Files to add: (path relative to the app, contents).
    pub files: Vec<(String, String)>,
    /// Environment variables to set: (name, value).
    pub env: Vec<(String, String)>,
    /// Things that cannot be written as a file, or could not be derived.
    pub notes: Vec<String>,
}

/// Builds the plan from the application model; `name` is the app's name (package name
/// or folder). Variables that production already declares (twelve.toml
/// `[production.env]`, scalingo.json...) are not proposed again.
pub fn plan(host: Host, app: &App, name: &str) -> Plan {
    let facts = &app.inventory;
    let mut plan = Plan::default();
    match host {
        Host::Scalingo => scalingo(app, name, &mut plan),
        Host::CleverCloud => clever(app, &mut plan),
        Host::Scaleway => scaleway(app, &mut plan),
    }
    plan.files.retain(|(path, _)| !facts.has(path));
    plan.env.retain(|(name, _)| !app.env.declares(name));
    plan
}

/// The command that serves the app, from what the repository declares or the
/// framework's convention; `None` when it cannot be told.
fn web_command(app: &App) -> Option<String> {
    let (stack, facts) = (&app.stack, &app.inventory);
    if let Some(web) = app.manifests.procfile_web() {
        return Some(web.to_string());
    }
    let declared = stack
        .web
        .iter()
        .find(|s| s.source.starts_with("package.json"));
    match stack.app_language()? {
        Lang::Node => declared.map(|s| s.command.clone()),
        Lang::Python => {
            let deps = &stack.deps;
            if let Some(project) = &stack.django_project {
                return Some(format!(
                    "gunicorn {project}.wsgi --bind 0.0.0.0:$PORT --log-file -"
                ));
            }
            let module = ["wsgi.py", "app.py", "main.py"]
                .iter()
                .find(|f| facts.has(f))?;
            let module = module.trim_end_matches(".py");
            if deps.iter().any(|d| d == "fastapi" || d == "starlette") {
                Some(format!("uvicorn {module}:app --host 0.0.0.0 --port $PORT"))
            } else {
                Some(format!(
                    "gunicorn {module}:app --bind 0.0.0.0:$PORT --log-file -"
                ))
            }
        }
        Lang::Go => stack.go_binary.as_ref().map(|b| format!("bin/{b}")),
        _ => None,
    }
}

fn migration(stack: &Stack) -> Option<&'static str> {
    if stack.has_framework("Django") {
        Some("python manage.py migrate")
    } else if stack.has_framework("Rails") {
        Some("bundle exec rails db:migrate")
    } else {
        None
    }
}

fn scalingo(app: &App, name: &str, plan: &mut Plan) {
    let (stack, facts) = (&app.stack, &app.inventory);
    let has_default = matches!(stack.app_language(), Some(Lang::Php | Lang::Ruby));
    let web = web_command(app);
    let mut procfile = String::new();
    match (&web, has_default) {
        (Some(web), _) => {
            let _ = writeln!(procfile, "web: {web}");
        }
        (None, true) => {}
        (None, false) => plan.notes.push(
            "cannot derive the web command from the stack: write `web: <command>` in a Procfile, listening on 0.0.0.0:$PORT".into(),
        ),
    }
    if let Some(cmd) = migration(stack) {
        if facts.has("Procfile") {
            let has_hook = app
                .manifests
                .procfile
                .iter()
                .flatten()
                .any(|d| d.name == "postdeploy");
            if !has_hook {
                plan.notes
                    .push(format!("add `postdeploy: {cmd}` to the Procfile"));
            }
        } else {
            let _ = writeln!(procfile, "postdeploy: {cmd}");
        }
    }
    if stack.app_language() == Some(Lang::Python)
        && web.as_deref().is_some_and(|w| w.starts_with("gunicorn"))
        && !stack.deps.iter().any(|d| d == "gunicorn")
    {
        plan.notes.push("add `gunicorn` to the dependencies".into());
    }
    if !procfile.is_empty() {
        plan.files.push(("Procfile".into(), procfile));
    }
    let mut formation = serde_json::Map::new();
    formation.insert("web".into(), serde_json::json!({ "amount": 1 }));
    for process in &stack.processes {
        let kind = process
            .source
            .trim_start_matches("Procfile ")
            .trim_end_matches(':');
        if kind != "postdeploy" && kind != "release" {
            formation.insert(kind.into(), serde_json::json!({ "amount": 1 }));
        }
    }
    let manifest = serde_json::json!({ "name": name, "formation": formation });
    let mut text = serde_json::to_string_pretty(&manifest).unwrap_or_default();
    text.push('\n');
    plan.files.push(("scalingo.json".into(), text));
    for service in &stack.services {
        let addon = match service.kind {
            ServiceKind::Postgresql => "postgresql",
            ServiceKind::Mysql => "mysql",
            ServiceKind::Mongodb => "mongodb",
            ServiceKind::Redis => "redis",
            ServiceKind::Elasticsearch => "elasticsearch",
            ServiceKind::S3 | ServiceKind::Smtp => continue,
        };
        plan.notes.push(format!(
            "add the {} addon ({addon}); it sets the connection URL in the environment",
            service.kind.name()
        ));
    }
}

fn clever(app: &App, plan: &mut Plan) {
    let stack = &app.stack;
    let mut env = |k: &str, v: String| plan.env.push((k.to_string(), v));
    match stack.app_language() {
        Some(Lang::Python) => {
            match &stack.django_project {
                Some(p) => env("CC_PYTHON_MODULE", format!("{p}.wsgi:application")),
                None => plan
                    .notes
                    .push("set `CC_PYTHON_MODULE` to your WSGI object (`module:app`)".into()),
            }
            if stack.deps.iter().any(|d| d == "gunicorn") {
                plan.env
                    .push(("CC_PYTHON_BACKEND".into(), "gunicorn".into()));
            }
            if stack.has_framework("Django") {
                plan.env
                    .push(("CC_PYTHON_MANAGE_TASKS".into(), "migrate".into()));
            }
            if let Some(pin) = stack.version_of(Lang::Python) {
                let version = pin.requirement.trim_start_matches("python-");
                let minor: Vec<&str> = version.split('.').take(2).collect();
                plan.env.push(("CC_PYTHON_VERSION".into(), minor.join(".")));
            }
        }
        Some(Lang::Ruby) if stack.has_framework("Rails") => {
            env("CC_RAKEGOALS", "db:migrate".into());
            plan.env.push(("RAILS_LOG_TO_STDOUT".into(), "true".into()));
        }
        Some(Lang::Php) if stack.has_framework("Laravel") || stack.has_framework("Symfony") => {
            env("CC_WEBROOT", "/public".into());
        }
        _ => {}
    }
    let mut worker = 0;
    for decl in app.manifests.procfile.iter().flatten() {
        match decl.name.as_str() {
            "web" => {}
            "postdeploy" | "release" if migration(stack).is_none() => {
                plan.env
                    .push(("CC_PRE_RUN_HOOK".into(), decl.command.clone()));
            }
            "postdeploy" | "release" => {}
            _ => {
                plan.env
                    .push((format!("CC_WORKER_COMMAND_{worker}"), decl.command.clone()));
                worker += 1;
            }
        }
    }
    if stack.app_language() == Some(Lang::Node)
        && !stack
            .web
            .iter()
            .any(|s| s.source.starts_with("package.json"))
    {
        match app.manifests.procfile_web() {
            Some(web) => plan.env.push(("CC_RUN_COMMAND".into(), web.to_string())),
            None => plan
                .notes
                .push("add `scripts.start` to package.json".into()),
        }
    }
    if stack.uses(ServiceKind::Postgresql) {
        plan.notes.push("if the app reads `DATABASE_URL`, set it to the value of `POSTGRESQL_ADDON_URI` (Clever Cloud injects no `DATABASE_URL`)".into());
    }
    plan.notes.push(format!(
        "create the app with `clever create --type {}`; the Procfile is not read",
        clever_type(stack)
    ));
}

fn clever_type(stack: &Stack) -> &'static str {
    match stack.app_language() {
        Some(Lang::Node) => "node",
        Some(Lang::Python) => "python",
        Some(Lang::Php) => "php",
        Some(Lang::Ruby) => "ruby",
        Some(Lang::Go) => "go",
        Some(Lang::Java | Lang::Gradle) => "maven",
        Some(Lang::Rust) => "rust",
        _ if stack.dockerfile => "docker",
        _ => "linux",
    }
}

fn scaleway(app: &App, plan: &mut Plan) {
    let stack = &app.stack;
    if !stack.dockerfile {
        match dockerfile(app) {
            Some(text) => {
                plan.files.push(("Dockerfile".into(), text));
                plan.files.push((".dockerignore".into(), ".git\n.env\nnode_modules\n__pycache__\n*.log\n".into()));
            }
            None => plan.notes.push("no Dockerfile template for this stack: write one whose CMD listens on 0.0.0.0:$PORT".into()),
        }
    }
    plan.notes.push(
        "build for linux/amd64: `docker build --platform linux/amd64 -t <registry>/<image> .`"
            .into(),
    );
    plan.notes.push("`PORT` is the container's Port parameter (default 8080); avoid 8008, 8012, 8013, 8022, 9090, 9091".into());
    for service in &stack.services {
        let var = match service.kind {
            ServiceKind::Postgresql | ServiceKind::Mysql => "DATABASE_URL",
            ServiceKind::Mongodb => "MONGO_URL",
            ServiceKind::Redis => "REDIS_URL",
            _ => continue,
        };
        plan.notes.push(format!(
            "set `{var}` as a secret of the container (no addon injection)"
        ));
    }
}

fn version_major_minor(stack: &Stack, lang: Lang, default: &str, parts: usize) -> String {
    stack
        .version_of(lang)
        .map(|p| {
            p.requirement
                .trim_start_matches("python-")
                .trim_start_matches(['^', '~', '=', 'v'])
                .to_string()
        })
        .filter(|v| v.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .map(|v| {
            v.split('.')
                .take(parts)
                .filter(|p| p.chars().all(|c| c.is_ascii_digit()))
                .collect::<Vec<_>>()
                .join(".")
        })
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| default.to_string())
}

fn dockerfile(app: &App) -> Option<String> {
    let (stack, facts) = (&app.stack, &app.inventory);
    match stack.app_language()? {
        Lang::Node => {
            let web = web_command(app)?;
            let install = if facts.has("package-lock.json") {
                "npm ci --omit=dev"
            } else {
                "npm install --omit=dev"
            };
            Some(format!(
                "FROM node:{}-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN {install}\nCOPY . .\nENV NODE_ENV=production\nCMD {}\n",
                version_major_minor(stack, Lang::Node, "24", 1),
                exec_form(&web)
            ))
        }
        Lang::Python if facts.has("requirements.txt") => {
            let web = web_command(app)?;
            let cmd = match migration(stack) {
                Some(m) => format!("{m} && exec {web}"),
                None => format!("exec {web}"),
            };
            Some(format!(
                "FROM python:{}-slim\nWORKDIR /app\nCOPY requirements.txt ./\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD [\"sh\", \"-c\", {}]\n",
                version_major_minor(stack, Lang::Python, "3.13", 2),
                serde_json::to_string(&cmd).ok()?
            ))
        }
        Lang::Go => Some(format!(
            "FROM golang:{} AS build\nWORKDIR /src\nCOPY go.* ./\nRUN go mod download\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\n\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build /app /app\nCMD [\"/app\"]\n",
            version_major_minor(stack, Lang::Go, "1.25", 2)
        )),
        _ => None,
    }
}

/// `node server.js` → `["node", "server.js"]`; commands needing a shell use `sh -c`.
fn exec_form(command: &str) -> String {
    let shell = command.contains(['$', '&', '|', ';', '>', '<', '\'', '"']);
    let parts: Vec<String> = if shell {
        vec!["sh".into(), "-c".into(), format!("exec {command}")]
    } else {
        command.split_whitespace().map(String::from).collect()
    };
    serde_json::to_string(&parts)
        .unwrap_or_default()
        .replace("\",\"", "\", \"")
}

/// Writes the plan's files under `root`, never replacing an existing file; returns a
/// line per file (`wrote X` or `kept existing X`).
pub fn write(root: &Path, plan: &Plan) -> std::io::Result<Vec<String>> {
    let mut lines = Vec::new();
    for (path, contents) in &plan.files {
        let full = root.join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let created = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&full);
        match created {
            Ok(mut file) => {
                std::io::Write::write_all(&mut file, contents.as_bytes())?;
                lines.push(format!("wrote {path}"));
            }
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
                lines.push(format!("kept existing {path}"));
            }
            Err(err) => return Err(err),
        }
    }
    Ok(lines)
}

/// The app's name for the host: package.json's `name`, else the folder's.
pub fn app_name(app: &App, path: &Path) -> String {
    app.manifests
        .package()
        .and_then(|p| p.name.clone())
        .or_else(|| {
            let full = path.canonicalize().ok()?;
            full.file_name().map(|n| n.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "app".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exec_forms() {
        assert_eq!(exec_form("node server.js"), r#"["node", "server.js"]"#);
        assert_eq!(
            exec_form("bin/app --port $PORT"),
            r#"["sh", "-c", "exec bin/app --port $PORT"]"#
        );
    }

    #[test]
    fn write_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("Procfile"), "web: mine\n").unwrap();
        let plan = Plan {
            files: vec![
                ("Procfile".into(), "web: theirs\n".into()),
                ("x.json".into(), "{}\n".into()),
            ],
            ..Plan::default()
        };
        let lines = write(dir.path(), &plan).unwrap();
        assert_eq!(lines, vec!["kept existing Procfile", "wrote x.json"]);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("Procfile")).unwrap(),
            "web: mine\n"
        );
    }
}
