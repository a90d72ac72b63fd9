//! Factor III, `secret-in-source-module`: a secret written as a literal in a module that
//! exports it (`export const JWT_SECRET = 'shhh'`, `config.py`'s `JWT_SECRET = "dev"`),
//! reported when some production file signs or verifies with that name: the use is the
//! evidence that the literal is the app's real key, however short.

use super::{Gate, PerLanguage, Seen, per_language};
use crate::app::App;
use crate::classify::Language;
use crate::detect::is_placeholder;
use crate::finding::Finding;
use crate::repo::FileFacts;
use crate::rules::Rule;
use crate::source::SourceFile;

/// Secret constants a module exports: groups `name` and `value`.
fn export_pattern(language: Language) -> Option<String> {
    const NAME: &str = r"[A-Za-z_$]*(?i:secret|signing_?key|jwt_?key|private_?key|hmac_?key|token_?key)[A-Za-z_$]*";
    Some(match language {
        Language::Javascript | Language::Typescript => format!(
            r#"^[ \t]*export\s+(?:const|let|var)\s+(?P<name>{NAME})\s*(?::\s*string\s*)?=\s*['"`](?P<value>[^'"`$\n]{{1,200}})['"`]|^[ \t]*(?:module\.)?exports\.(?P<prop>{NAME})\s*=\s*['"`](?P<pvalue>[^'"`$\n]{{1,200}})['"`]|^[ \t]+(?P<key>{NAME})\s*:\s*['"`](?P<kvalue>[^'"`$\n]{{1,200}})['"`]"#
        ),
        // `SECRET_KEY` itself is `signing-secret-literal`'s, wherever it is set.
        Language::Python => String::from(
            r#"^(?P<name>[A-Z_]*(?:SECRET|SIGNING_KEY|JWT_KEY|PRIVATE_KEY|HMAC_KEY)[A-Z_]*)\s*(?::\s*str\s*)?=\s*[rb]?['"](?P<value>[^'"\n]{1,200})['"]\s*$"#,
        ),
        _ => return None,
    })
}

/// Where a name is used as a signing or verification key: group `name`, the last
/// segment of `config.jwtSecret` or `settings.JWT_SECRET`.
fn use_pattern(language: Language) -> Option<String> {
    const REF: &str = r"(?:[A-Za-z_$][\w$]*(?:\(\))?\.)*(?P<name>[A-Za-z_$][\w$]*)";
    let prefix = match language {
        Language::Javascript | Language::Typescript => {
            r"\bjwt\.(?:sign|verify)\((?:[^;(){},]|\([^()]*\)|\{(?:[^{}]|\{[^{}]*\})*\})*,|\bsecret(?:OrKey|OrPublicKey)?\s*:|\bcookieParser\(|\bcreateHmac\(\s*['\x22]\w+['\x22]\s*,|\bapp\.keys\s*=\s*\["
        }
        Language::Python => {
            r"\bjwt\.(?:encode|decode)\((?:[^(){},]|\([^()]*\)|\{(?:[^{}]|\{[^{}]*\})*\})*,\s*(?:key\s*=)?|\b(?:secret_key|SECRET_KEY|JWT_SECRET_KEY)['\x22]?\]?\s*=|\bhmac\.new\(|\b(?:URLSafe)?(?:Timed)?Serializer\("
        }
        _ => return None,
    };
    Some(format!(r"(?:{prefix})\s*{REF}\s*(?:[,)}}\]]|$)"))
}

pub fn source_secret_facts(rule: &Rule, file: &SourceFile, seen: &Seen, facts: &mut FileFacts) {
    static EXPORTS: PerLanguage = PerLanguage::new();
    static USES: PerLanguage = PerLanguage::new();
    let (Some(exports), Some(uses)) = (
        per_language(&EXPORTS, export_pattern, file.language),
        per_language(&USES, use_pattern, file.language),
    ) else {
        return;
    };
    let uses = seen.any(Gate::SecretUse).then_some(uses);
    for caps in uses.into_iter().flat_map(|r| r.captures_iter(&file.masked)) {
        if let Some(name) = caps.name("name") {
            let name = String::from_utf8_lossy(name.as_bytes()).into_owned();
            facts.code.signing_names.insert(name);
        }
    }
    if !seen.any(Gate::SecretExport) {
        return;
    }
    // Object keys count only in modules that export an object (a config module).
    let exports_object = memchr::memmem::find(&file.masked, b"module.exports").is_some()
        || memchr::memmem::find(&file.masked, b"export default").is_some();
    for caps in exports.captures_iter(&file.masked) {
        let found = [("name", "value"), ("prop", "pvalue"), ("key", "kvalue")]
            .into_iter()
            .find_map(|(n, v)| Some((caps.name(n)?, caps.name(v)?, n)));
        let Some((name, value, kind)) = found else {
            continue;
        };
        if kind == "key" && !exports_object {
            continue;
        }
        let name_text = String::from_utf8_lossy(name.as_bytes()).into_owned();
        let value_text = String::from_utf8_lossy(value.as_bytes());
        let settings_key = file.language == Language::Python && name_text == "SECRET_KEY";
        // Long literals that are no placeholder are `hardcoded-credential`'s already.
        let credential = value_text.len() >= 16
            && !value_text.contains(char::is_whitespace)
            && !is_placeholder(&value_text);
        if settings_key || credential || value_text.trim().is_empty() || value_text == name_text {
            continue;
        }
        let message = format!(
            "`{name_text}` is a secret written in a source module and used to sign, so everyone with the code can forge what it signs"
        );
        let finding = rule.finding(
            &file.rel_path,
            file.locate(value.start(), value.end()),
            message,
        );
        facts.code.exported_secrets.push((name_text, finding));
    }
}

pub fn secret_in_source_module(_rule: &Rule, app: &App) -> Vec<Finding> {
    let facts = &app.inventory;
    facts
        .code
        .exported_secrets
        .iter()
        .filter(|(name, _)| facts.code.signing_names.contains(name))
        .map(|(_, f)| f.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: Option<String>, text: &str) -> Vec<String> {
        let re = super::super::bytes_regex(&pattern.expect("pattern"));
        re.captures_iter(text.as_bytes())
            .filter_map(|c| {
                ["name", "prop", "key"]
                    .iter()
                    .find_map(|n| c.name(n))
                    .map(|m| String::from_utf8_lossy(m.as_bytes()).into_owned())
            })
            .collect()
    }

    #[test]
    fn signing_uses_name_the_key() {
        let js = use_pattern(Language::Javascript);
        assert_eq!(
            matches(
                js.clone(),
                "jwt.sign({ id }, config.jwtSecret, { expiresIn })"
            ),
            ["jwtSecret"]
        );
        assert_eq!(matches(js.clone(), "jwt.verify(token, SECRET)"), ["SECRET"]);
        assert_eq!(
            matches(js.clone(), "jwt.sign({ id, name }, SECRET)"),
            ["SECRET"]
        );
        assert_eq!(
            matches(
                js,
                "passport.use(new Strategy({ secretOrKey: keys.secret }))"
            ),
            ["secret"]
        );
        let py = use_pattern(Language::Python);
        assert_eq!(
            matches(
                py.clone(),
                "jwt.encode(payload, settings.JWT_SECRET, algorithm='HS256')"
            ),
            ["JWT_SECRET"]
        );
        assert_eq!(
            matches(py, "app.config['SECRET_KEY'] = config.APP_SECRET"),
            ["APP_SECRET"]
        );
    }

    #[test]
    fn exported_secrets() {
        let js = export_pattern(Language::Javascript);
        assert_eq!(
            matches(js.clone(), "export const JWT_SECRET = 'shhh';"),
            ["JWT_SECRET"]
        );
        assert_eq!(
            matches(js, "  jwtSecret: process.env.JWT_SECRET,"),
            Vec::<String>::new()
        );
        let py = export_pattern(Language::Python);
        assert_eq!(matches(py.clone(), "JWT_SECRET = \"dev\""), ["JWT_SECRET"]);
        assert_eq!(matches(py, "SECRET_KEY = \"dev\""), ["SECRET_KEY"]);
    }
}
