//! Factor II, `undeclared-build-install`: the Dockerfile installs packages by name
//! (`RUN pip install gunicorn`, `RUN npm install -g pm2`, `RUN gem install foreman`)
//! that the stack's dependency manifest does not declare, so the manifest is not the
//! whole list of what the app needs, and a buildpack build (which ignores the Dockerfile)
//! lacks them.

use super::{finding_at, regex};
use crate::app::App;
use crate::finding::Finding;
use crate::rules::Rule;
use std::sync::OnceLock;

/// An ecosystem: the manifest that must declare what its installer adds.
struct Ecosystem {
    installer: &'static str,
    manifest: &'static str,
    /// Package managers and build tools that no manifest lists.
    tools: &'static [&'static str],
    /// Options followed by a value that is no package.
    valued_options: &'static [&'static str],
}

const ECOSYSTEMS: &[Ecosystem] = &[
    Ecosystem {
        installer: "pip",
        manifest: "requirements.txt",
        tools: &[
            "pip",
            "setuptools",
            "wheel",
            "poetry",
            "pipenv",
            "uv",
            "pip-tools",
            "virtualenv",
        ],
        valued_options: &[
            "-r",
            "--requirement",
            "-c",
            "--constraint",
            "-e",
            "--editable",
            "-i",
            "--index-url",
            "--extra-index-url",
            "-f",
            "--find-links",
            "-t",
            "--target",
            "--prefix",
            "--root",
            "--trusted-host",
            "--platform",
            "--python-version",
            "--cache-dir",
        ],
    },
    Ecosystem {
        installer: "npm",
        manifest: "package.json",
        tools: &["npm", "yarn", "pnpm", "corepack", "npx", "bun"],
        valued_options: &["--prefix", "--registry", "--cache", "-w", "--workspace"],
    },
    Ecosystem {
        installer: "gem",
        manifest: "Gemfile",
        tools: &["bundler", "bundle", "rubygems-update"],
        valued_options: &["-v", "--version", "-i", "--install-dir", "--source"],
    },
];

/// Install commands inside RUN instructions: the installer in `tool`, its arguments in
/// `args` (up to the end of the simple command).
fn install_regex() -> &'static regex::Regex {
    static INSTALL: OnceLock<regex::Regex> = OnceLock::new();
    INSTALL.get_or_init(|| {
        regex(
            r"(?:\b(?P<pip>pip3?|python3?(?:\.\d+)?\s+-m\s+pip|uv\s+pip)\s+install|\b(?P<npm>npm\s+(?:install|i|add)|yarn\s+(?:global\s+)?add|pnpm\s+(?:add|install))|\b(?P<gem>gem)\s+install)\b(?P<args>[^&;|\n]*)",
        )
    })
}

/// Normalised package name: lower case, `_` and `.` read as `-` (PEP 503).
fn normalise(name: &str) -> String {
    name.to_ascii_lowercase().replace(['_', '.'], "-")
}

/// The package names of an install command's arguments.
fn packages<'a>(args: &'a str, ecosystem: &Ecosystem) -> Vec<(&'a str, String)> {
    let mut out = Vec::new();
    let (mut skip_next, mut substitution) = (false, false);
    for word in args.split_whitespace() {
        // The words of a command substitution (`"$(jq -r .packageManager package.json)"`)
        // name what the shell computes, not packages.
        if substitution {
            substitution = !word.contains(')');
            continue;
        }
        if word.contains("$(") {
            substitution = !word.contains(')');
            continue;
        }
        if skip_next {
            skip_next = false;
            continue;
        }
        if word.starts_with('-') {
            skip_next = ecosystem.valued_options.contains(&word);
            continue;
        }
        let bare = word.trim_matches(['"', '\'']);
        // Paths, archives, URLs, variables and local folders are no registry package.
        let scoped = ecosystem.installer == "npm" && bare.starts_with('@');
        if bare.is_empty()
            || (bare.contains('/') && !scoped)
            || bare.contains(['$', '\\', ':'])
            || bare.starts_with('.')
            || bare.ends_with(".whl")
            || bare.ends_with(".tar.gz")
            || bare.ends_with(".tgz")
        {
            continue;
        }
        let name = if ecosystem.installer == "npm" {
            // `pm2@5`, `@scope/pkg@1` keep their scope.
            let at = bare[1..].find('@').map_or(bare.len(), |i| i + 1);
            &bare[..at]
        } else {
            bare.split(['=', '<', '>', '!', '~', '[', ';', '@', ' ', ','])
                .next()
                .unwrap_or(bare)
        };
        if name.is_empty() || ecosystem.tools.contains(&normalise(name).as_str()) {
            continue;
        }
        out.push((word, normalise(name)));
    }
    out
}

/// The names the manifest declares, normalised, or `None` when it cannot say (absent, or
/// pointing at other files).
fn declared(app: &App, ecosystem: &Ecosystem) -> Option<Vec<String>> {
    let manifests = &app.manifests;
    let names: Vec<String> = match ecosystem.installer {
        "pip" => {
            // `-r base.txt` or `-c constraints.txt`: the list goes on in files not read.
            let text = app.inventory.manifest_text("requirements.txt")?;
            if text.lines().any(|l| {
                let l = l.trim_start();
                l.starts_with("-r") || l.starts_with("-c") || l.starts_with("--requirement")
            }) {
                return None;
            }
            let requirements = manifests.requirements.as_ref()?;
            requirements.iter().map(|r| r.name.clone()).collect()
        }
        "npm" => {
            let package = manifests.package.as_ref()?.as_ref().ok()?;
            package
                .dependencies
                .iter()
                .chain(&package.dev_dependencies)
                .cloned()
                .collect()
        }
        _ => manifests.gemfile.as_ref()?.gems.clone(),
    };
    Some(names.iter().map(|n| normalise(n)).collect())
}

pub fn undeclared_build_install(rule: &Rule, app: &App) -> Vec<Finding> {
    let (Some(dockerfile), Some(text)) = (
        app.manifests.dockerfile.as_ref(),
        app.inventory.manifest("Dockerfile"),
    ) else {
        return Vec::new();
    };
    let mut findings = Vec::new();
    for run in dockerfile
        .instructions
        .iter()
        .filter(|i| i.keyword == "RUN")
    {
        for install in install_regex().captures_iter(&run.argument) {
            let ecosystem = if install.name("pip").is_some() {
                &ECOSYSTEMS[0]
            } else if install.name("npm").is_some() {
                &ECOSYSTEMS[1]
            } else {
                &ECOSYSTEMS[2]
            };
            let (Some(args), Some(known)) = (install.name("args"), declared(app, ecosystem)) else {
                continue;
            };
            let missing: Vec<&str> = packages(args.as_str(), ecosystem)
                .into_iter()
                .filter(|(_, name)| !known.contains(name))
                .map(|(word, _)| word)
                .collect();
            let Some(first) = missing.first() else {
                continue;
            };
            // The argument joins continuation lines: find the package in the file itself.
            let line_end = text[run.offset.min(text.len())..]
                .iter()
                .position(|b| *b == b'\n')
                .map_or(text.len(), |n| run.offset + n);
            let span = find_after(text, run.offset, first.as_bytes())
                .map_or((run.offset, line_end), |at| (at, at + first.len()));
            let message = format!(
                "the Dockerfile installs {} with {}, which {} does not declare",
                missing
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                ecosystem.installer,
                ecosystem.manifest
            );
            findings.push(finding_at(rule, "Dockerfile", text, span, message));
        }
    }
    findings
}

/// Where `needle` first occurs in `text` at or after `from`.
fn find_after(text: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    text.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| from + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_names_from_install_arguments() {
        let pip = &ECOSYSTEMS[0];
        let names: Vec<String> = packages(
            " --no-cache-dir -r requirements.txt gunicorn==22.0 'uvicorn[standard]' .",
            pip,
        )
        .into_iter()
        .map(|(_, n)| n)
        .collect();
        assert_eq!(names, ["gunicorn", "uvicorn"]);
        assert!(packages(" --upgrade pip setuptools wheel", pip).is_empty());
        let npm = &ECOSYSTEMS[1];
        let names: Vec<String> = packages(" -g pm2@5 @nestjs/cli", npm)
            .into_iter()
            .map(|(_, n)| n)
            .collect();
        assert_eq!(names, ["pm2", "@nestjs/cli"]);
        let computed = packages(r#" -g "$(jq -r '.packageManager' package.json)" pm2"#, npm);
        assert_eq!(computed.len(), 1);
        assert_eq!(computed[0].1, "pm2");
    }
}
