//! A file's role from what it is, when its contents say more than its path: translation
//! catalogs in any folder (prose under message keys), API descriptions and request
//! samples, and code-generator configs. Only files the path calls production are
//! looked at; the answer is a role for `classify`, never a finding.

use crate::classify::{Language, Role};
use serde_json::Value;

/// The role `text` gives a file that its path calls `source` or `config`; `None` keeps
/// the path's role.
pub fn role_from_contents(rel: &str, language: Language, text: &[u8]) -> Option<Role> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    if is_manifest(name) {
        return None;
    }
    match language {
        Language::Json | Language::Yaml => structured_role(&parse_tree(language, text)?),
        Language::Properties => is_catalog(properties_values(text)).then_some(Role::Docs),
        Language::Xml => xml_catalog(text).then_some(Role::Docs),
        _ => None,
    }
}

/// Manifests and tool configs that other steps parse and that are never catalogs.
fn is_manifest(name: &str) -> bool {
    name == "package.json"
        || name == "composer.json"
        || name.starts_with("tsconfig")
        || name.starts_with("docker-compose")
        || name.starts_with("compose.")
        || crate::repo::APP_MANIFESTS.contains(&name)
}

fn parse_tree(language: Language, text: &[u8]) -> Option<Value> {
    match language {
        Language::Json => serde_json::from_slice(text).ok(),
        // Keys that are not strings (YAML allows them) make it no catalog anyway.
        _ => serde_norway::from_slice(text).ok(),
    }
}

/// The role of a JSON or YAML document from its top-level shape, then its leaves.
fn structured_role(tree: &Value) -> Option<Role> {
    let top = tree.as_object()?;
    let has = |key: &str| top.contains_key(key);
    // OpenAPI, Swagger and AsyncAPI descriptions: their `example` values are documentation.
    if ["openapi", "swagger", "asyncapi"]
        .iter()
        .any(|k| top.get(*k).is_some_and(Value::is_string))
    {
        return Some(Role::Docs);
    }
    // Postman collections and environments, Insomnia exports, and recorded samples of
    // an API's requests and responses: what a developer sends by hand, not app config.
    let postman = top
        .get("info")
        .and_then(Value::as_object)
        .is_some_and(|info| {
            info.contains_key("_postman_id")
                || info
                    .get("schema")
                    .and_then(Value::as_str)
                    .is_some_and(|s| s.contains("schema.getpostman.com"))
        });
    if postman
        || has("_postman_variable_scope")
        || has("__export_format")
        || (has("request") && has("response"))
    {
        return Some(Role::Example);
    }
    // Code generators: GraphQL Code Generator (`schema` + `generates`), OpenAPI
    // Generator's CLI config (`generator-cli`). They configure a developer's tool.
    if (has("schema") && has("generates")) || has("generator-cli") {
        return Some(Role::DevConfig);
    }
    let mut leaves = Vec::new();
    collect_leaves(tree, &mut leaves);
    is_catalog(leaves.into_iter()).then_some(Role::Docs)
}

/// Every leaf of the tree: `Some(text)` for strings, `None` for other scalars.
fn collect_leaves<'a>(tree: &'a Value, out: &mut Vec<Option<&'a str>>) {
    match tree {
        Value::Object(map) => map.values().for_each(|v| collect_leaves(v, out)),
        Value::Array(items) => items.iter().for_each(|v| collect_leaves(v, out)),
        Value::String(s) => out.push(Some(s)),
        _ => out.push(None),
    }
}

/// The values of a `.properties` file (`key = value`, `key: value`).
fn properties_values(text: &[u8]) -> impl Iterator<Item = Option<&str>> {
    let text = std::str::from_utf8(text).unwrap_or("");
    text.lines()
        .map(str::trim_start)
        .filter(|line| !line.is_empty() && !line.starts_with(['#', '!']))
        .filter_map(|line| line.split_once(['=', ':']).map(|(_, v)| Some(v.trim())))
}

/// XLIFF files and Android string resources.
fn xml_catalog(text: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&text[..text.len().min(2048)]);
    head.contains("<xliff") || (head.contains("<resources") && head.contains("<string name="))
}

/// So many leaves must be prose: two strings are no catalog.
const MIN_PROSE: usize = 3;

/// A catalog holds strings only, and most are words for people: at least `MIN_PROSE`
/// prose values, at least 80% of the values that are clearly prose or clearly code,
/// and at most one leaf in ten that is not a string (numbers and flags are config).
fn is_catalog<'a>(leaves: impl Iterator<Item = Option<&'a str>>) -> bool {
    let (mut prose, mut code, mut other, mut total) = (0usize, 0usize, 0usize, 0usize);
    for leaf in leaves {
        total += 1;
        match leaf.map(kind_of) {
            Some(Kind::Prose) => prose += 1,
            Some(Kind::Code) => code += 1,
            Some(Kind::Neutral) => {}
            None => other += 1,
        }
    }
    prose >= MIN_PROSE && prose * 10 >= (prose + code) * 8 && other * 10 <= total
}

#[derive(Debug, PartialEq, Eq)]
enum Kind {
    /// Words for people: "Mot de passe", "Passwort", "Save changes".
    Prose,
    /// Identifiers, paths, versions, commands, tokens: "./dist", "^1.2.0", "s3cr3t".
    Code,
    /// A lone lowercase word or an empty value: either.
    Neutral,
}

/// Characters that prose hardly holds once placeholders are taken out.
const CODE_CHARS: &[char] = &[
    '/', '\\', '_', '=', '@', '$', '#', '|', ';', '<', '>', '{', '}', '[', ']', '~', '^', '*',
];

fn kind_of(value: &str) -> Kind {
    let text = without_placeholders(value);
    let words: Vec<&str> = text.split_whitespace().collect();
    let Some(first) = words.first() else {
        return Kind::Neutral;
    };
    let codelike_word = |w: &&str| {
        w.contains(CODE_CHARS)
            || w.contains("://")
            || (w.chars().any(|c| c.is_ascii_digit()) && w.chars().any(char::is_alphabetic))
            // camelCase or dotted identifiers: `resetPassword`, `app.title`.
            || w.chars().zip(w.chars().skip(1)).any(|(a, b)| a.is_lowercase() && b.is_uppercase())
            || (w.contains('.') && !w.ends_with('.') && w.chars().all(|c| c.is_alphanumeric() || c == '.'))
    };
    if words.iter().any(codelike_word) || !text.chars().any(char::is_alphabetic) {
        return Kind::Code;
    }
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    let visible = text.chars().filter(|c| !c.is_whitespace()).count();
    if letters * 10 < visible * 7 {
        return Kind::Code;
    }
    let capitalised = first.chars().next().is_some_and(char::is_uppercase);
    let non_ascii = text.chars().any(|c| c.is_alphabetic() && !c.is_ascii());
    if words.len() >= 2 || capitalised || non_ascii {
        Kind::Prose
    } else {
        Kind::Neutral
    }
}

/// `value` with interpolation placeholders and markup removed: `{name}`, `{{ count }}`,
/// `%s`, `%(name)s`, `%{name}`, `:name` (Laravel), `<strong>`, `{0}`.
fn without_placeholders(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        let close = match c {
            '{' => Some('}'),
            '<' => Some('>'),
            '%' if chars.peek().is_some_and(|n| *n == '(' || *n == '{') => {
                Some(if chars.next() == Some('(') { ')' } else { '}' })
            }
            _ => None,
        };
        match close {
            Some(close) => {
                // `{{ count }}` nests: skip to the brace that closes the first.
                let mut depth = 1;
                for n in chars.by_ref() {
                    if n == c && c != '%' {
                        depth += 1;
                    } else if n == close {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                }
                // `%(name)s`: the conversion letter goes too.
                if close == ')' {
                    chars.next();
                }
                out.push(' ');
            }
            // `&nbsp;`, `&#8217;`: an HTML entity.
            None if c == '&' && entity_ahead(chars.clone()) => {
                for n in chars.by_ref() {
                    if n == ';' {
                        break;
                    }
                }
                out.push(' ');
            }
            None if c == '%' || c == ':' => {
                // `%s`, `%d`, `:name`: a marker and its word.
                while chars.peek().is_some_and(|n| n.is_alphanumeric()) {
                    chars.next();
                }
                out.push(' ');
            }
            None => out.push(c),
        }
    }
    out
}

/// Whether an HTML entity's name and `;` follow an `&`.
fn entity_ahead(rest: impl Iterator<Item = char>) -> bool {
    for (len, c) in rest.take(9).enumerate() {
        if c == ';' {
            return len > 0;
        }
        if !(c.is_ascii_alphanumeric() || c == '#') {
            return false;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(rel: &str, text: &str) -> Option<Role> {
        let language = crate::classify::language_of(rel, b"").expect("a language");
        role_from_contents(rel, language, text.as_bytes())
    }

    #[test]
    fn prose_code_and_neutral_values() {
        assert_eq!(kind_of("Mot de passe"), Kind::Prose);
        assert_eq!(kind_of("Passwort"), Kind::Prose);
        assert_eq!(kind_of("Réinitialiser"), Kind::Prose);
        assert_eq!(
            kind_of("Hello {name}, you have {{count}} messages"),
            Kind::Prose
        );
        assert_eq!(kind_of("%(count)s files deleted"), Kind::Prose);
        assert_eq!(kind_of("Welcome :name!"), Kind::Prose);
        assert_eq!(kind_of("Mot&nbsp;de&nbsp;passe"), Kind::Prose);
        assert_eq!(kind_of("Réinitialiser…"), Kind::Prose);
        assert_eq!(kind_of("node dist/main.js"), Kind::Code);
        assert_eq!(kind_of("^10.2.0"), Kind::Code);
        assert_eq!(kind_of("s3cr3t-Passw0rd"), Kind::Code);
        assert_eq!(kind_of("SuperSecret"), Kind::Code);
        assert_eq!(kind_of("https://api.example.org"), Kind::Code);
        assert_eq!(kind_of("app.title"), Kind::Code);
        assert_eq!(kind_of("commonjs"), Kind::Neutral);
    }

    #[test]
    fn translation_catalogs_in_any_folder_are_docs() {
        // Message ids to French prose, as in a Next.js app's `public/intl/messages/`.
        let messages = r#"{"auth.login.title": "Connexion", "auth.login.password": "Motdepasse",
            "auth.reset.passwordHint": "Au moins {min} caractères", "nav.home": "Accueil"}"#;
        assert_eq!(
            role("public/intl/messages/fr.json", messages),
            Some(Role::Docs)
        );
        let nested =
            "signup:\n  password: Kennwort\n  confirm: Kennwort bestätigen\n  submit: Absenden\n";
        assert_eq!(role("app/strings/de.yml", nested), Some(Role::Docs));
        let bundle = "login.password=Mot de passe\nlogin.submit=Se connecter\nlogin.forgot=Mot de passe oublié ?\n";
        assert_eq!(
            role("src/main/resources/messages_fr.properties", bundle),
            Some(Role::Docs)
        );
        let android = "<?xml version=\"1.0\"?>\n<resources>\n  <string name=\"password\">Mot de passe</string>\n</resources>\n";
        assert_eq!(
            role("app/src/main/res/values-fr/strings.xml", android),
            Some(Role::Docs)
        );
    }

    #[test]
    fn config_with_prose_in_it_is_no_catalog() {
        let settings =
            r#"{"title": "Mon Site", "adminPassword": "Hunter2024", "port": 8080, "debug": false}"#;
        assert_eq!(role("config/settings.json", settings), None);
        let firebase = r#"{"apiKey": "AIzaSyD-abc123", "authDomain": "app.firebaseapp.com", "projectId": "app"}"#;
        assert_eq!(role("src/firebase.json", firebase), None);
        let nest = r#"{"collection": "@nestjs/schematics", "sourceRoot": "src", "compilerOptions": {"deleteOutDir": true}}"#;
        assert_eq!(role("nest-cli.json", nest), None);
        let spring = "spring.datasource.url=jdbc:postgresql://db/app\nspring.datasource.password=Secret123\n";
        assert_eq!(
            role("src/main/resources/application.properties", spring),
            None
        );
        assert_eq!(
            role("package.json", r#"{"a": "Un", "b": "Deux", "c": "Trois"}"#),
            None
        );
    }

    #[test]
    fn api_descriptions_samples_and_generator_configs() {
        let openapi = "openapi: 3.0.1\npaths:\n  /login:\n    post:\n      example:\n        password: hunter2hunter2\n";
        assert_eq!(role("api/openapi.yaml", openapi), Some(Role::Docs));
        let postman = r#"{"info": {"_postman_id": "1", "name": "API"}, "item": []}"#;
        assert_eq!(role("postman/api.json", postman), Some(Role::Example));
        let sample = r#"{"request": {"method": "POST", "body": {"password": "hunter2hunter2"}}, "response": {"status": 200}}"#;
        assert_eq!(role("src/api/login.json", sample), Some(Role::Example));
        let codegen =
            "schema: http://localhost:4000/graphql\ngenerates:\n  src/gql/: {preset: client}\n";
        assert_eq!(role("codegen.yml", codegen), Some(Role::DevConfig));
    }
}
