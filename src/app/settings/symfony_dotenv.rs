//! Symfony's committed `.env`: Dotenv loads it at every boot, production included, for
//! each variable the real environment does not set (then `.env.local` and
//! `.env.$APP_ENV`, which are local or environment-specific). So `APP_ENV=dev` there is
//! the environment production boots unless the host sets `APP_ENV`, and a `DATABASE_URL`
//! on SQLite is production's database unless the host sets one.

use super::{Context, Framework, Key, Setting};

/// One `NAME=value` line of a dotenv file, with the value's span (quotes excluded).
struct Assignment<'t> {
    name: &'t str,
    value: &'t str,
    span: (usize, usize),
}

pub fn resolve(ctx: &Context, base: &str) -> Vec<Setting> {
    let file = format!("{base}.env");
    let Some(bytes) = ctx.text(&file) else {
        return Vec::new();
    };
    if dotenv_for_development_only(ctx, base) {
        return Vec::new();
    }
    let text = String::from_utf8_lossy(bytes);
    let vars = assignments(&text);
    // The last assignment of a name wins, as Dotenv reads the file top to bottom.
    let last = |name: &str| vars.iter().rev().find(|a| a.name == name);
    let setting = |a: &Assignment, key, detail: String| Setting {
        key,
        framework: Framework::Symfony,
        value: a.value.to_string(),
        file: file.clone(),
        span: a.span,
        variable: Some(a.name.to_string()),
        local: true,
        detail,
    };
    let mut out = Vec::new();
    match last("APP_ENV").filter(|_| !ctx.declares("APP_ENV")) {
        Some(env) if matches!(env.value, "dev" | "development" | "local" | "test") => {
            out.push(setting(
                env,
                Key::Debug,
                format!(
                    "Symfony's `{}` environment (`APP_ENV={}` in the committed .env, which Symfony loads at boot): the development kernel, in debug mode",
                    env.value, env.value
                ),
            ));
        }
        _ => {
            if let Some(debug) = last("APP_DEBUG")
                .filter(|d| matches!(d.value, "1" | "true") && !ctx.declares("APP_DEBUG"))
            {
                out.push(setting(
                    debug,
                    Key::Debug,
                    format!(
                        "debug mode (`APP_DEBUG={}` in the committed .env, which Symfony loads at boot)",
                        debug.value
                    ),
                ));
            }
        }
    }
    if let Some(url) = last("DATABASE_URL")
        .filter(|u| u.value.starts_with("sqlite:") && !ctx.declares("DATABASE_URL"))
    {
        out.push(setting(
            url,
            Key::DatabaseEngine,
            "an SQLite database file (`DATABASE_URL` in the committed .env, which Symfony loads at boot)".into(),
        ));
    }
    out
}

/// `symfony/dotenv` only in composer.json's `require-dev`: a production install
/// without dev packages loads no .env.
fn dotenv_for_development_only(ctx: &Context, base: &str) -> bool {
    let Some(json) = ctx
        .text(&format!("{base}composer.json"))
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(b).ok())
    else {
        return false;
    };
    let has = |section: &str| json[section].get("symfony/dotenv").is_some();
    has("require-dev") && !has("require")
}

/// `NAME=value` lines (`export NAME=value` too), quotes removed; comments and
/// interpolated values (`${OTHER}`) kept as written.
fn assignments(text: &str) -> Vec<Assignment<'_>> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let body = line.trim_end();
        let lead = body.len() - body.trim_start().len();
        let body = body.trim_start();
        let body_start = start + lead;
        let (body, body_start) = match body.strip_prefix("export ") {
            Some(rest) => (rest, body_start + "export ".len()),
            None => (body, body_start),
        };
        let Some((name, raw)) = body.split_once('=') else {
            continue;
        };
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let mut value_start = body_start + name.len() + 1;
        let value = match raw.chars().next() {
            Some(q @ ('"' | '\'')) => match raw[1..].find(q) {
                Some(end) => {
                    value_start += 1;
                    &raw[1..1 + end]
                }
                None => continue,
            },
            _ => raw.split(" #").next().unwrap_or(raw).trim_end(),
        };
        out.push(Assignment {
            name,
            value,
            span: (value_start, value_start + value.len()),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::with_context;
    use super::*;

    const ENV: &str = "# defaults\nAPP_ENV=dev\nAPP_SECRET=\nDATABASE_URL=\"sqlite:///%kernel.project_dir%/var/app.db\"\n";

    fn found(files: &[(&str, &str)], declared: &[(&str, &str)]) -> Vec<(Key, String)> {
        with_context(files, declared, |ctx| {
            resolve(ctx, "")
                .into_iter()
                .map(|s| (s.key, s.value))
                .collect()
        })
    }

    #[test]
    fn the_committed_env_is_production_default() {
        assert_eq!(
            found(&[(".env", ENV)], &[]),
            [
                (Key::Debug, "dev".to_string()),
                (
                    Key::DatabaseEngine,
                    "sqlite:///%kernel.project_dir%/var/app.db".to_string()
                ),
            ]
        );
        let spans = with_context(&[(".env", ENV)], &[], |ctx| {
            resolve(ctx, "")
                .into_iter()
                .map(|s| s.span)
                .collect::<Vec<_>>()
        });
        assert_eq!(&ENV[spans[0].0..spans[0].1], "dev");
        assert!(ENV[spans[1].0..spans[1].1].starts_with("sqlite:"));
    }

    #[test]
    fn declared_variables_and_dev_only_dotenv_win() {
        let declared = [("APP_ENV", "prod"), ("DATABASE_URL", "postgres://db/app")];
        assert!(found(&[(".env", ENV)], &declared).is_empty());
        let composer = r#"{"require": {"php": ">=8.2"}, "require-dev": {"symfony/dotenv": "7.*"}}"#;
        assert!(found(&[(".env", ENV), ("composer.json", composer)], &[]).is_empty());
        let prod = "APP_ENV=prod\nAPP_DEBUG=1\n";
        assert_eq!(
            found(&[(".env", prod)], &[]),
            [(Key::Debug, "1".to_string())]
        );
        assert!(found(&[(".env", "APP_ENV=prod\nAPP_DEBUG=0\n")], &[]).is_empty());
    }
}
