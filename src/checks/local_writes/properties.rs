//! Spring properties injected as the path a write uses (`@Value("${exports.file}") val
//! exportFile: String`): the file notes the write with its property key, the settings
//! model looks the key up in application.properties, and the check reports the write and
//! the property line when production sets it to a file of the app.

use super::super::{bytes_regex, finding_at};
use super::resolves;
use crate::app::App;
use crate::app::settings::Key;
use crate::classify::Language;
use crate::finding::Finding;
use crate::rules::Rule;
use crate::source::SourceFile;
use regex::bytes::Regex;
use std::collections::BTreeMap;
use std::sync::OnceLock;

fn injected() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        bytes_regex(
            r#"@(?:param:)?Value\(\s*"\\?\$\{(?P<key>[\w.-]+)(?::[^}"]*)?\}"\s*\)\s*(?:(?:private|protected|public|final|val|var|lateinit)\s+)*(?:(?:String|Path|File)\s+)?(?P<name>[A-Za-z_]\w*)"#,
        )
    })
}

/// Spring's injected properties (`@Value("${exports.path}") val exportPath: String`):
/// each name with its `${key}`, which the model resolves in application.properties.
pub fn property_names(file: &SourceFile) -> BTreeMap<String, String> {
    if !matches!(file.language, Language::Java | Language::Kotlin) {
        return BTreeMap::new();
    }
    injected()
        .captures_iter(&file.masked)
        .filter_map(|caps| {
            let key = String::from_utf8_lossy(caps.name("key")?.as_bytes()).into_owned();
            let name = String::from_utf8_lossy(caps.name("name")?.as_bytes()).into_owned();
            Some((name, format!("${{{key}}}")))
        })
        .collect()
}

/// The property key of a place resolved to an injected property (`${key}`).
pub fn property_key(place: &str) -> Option<String> {
    let (_, rest) = place.split_once("(${")?;
    Some(rest.split_once('}')?.0.to_string())
}

/// Writes whose path is a Spring property production sets to a file of the app
/// (`exports.tmp-file=report.xlsx`): the write, and the property line that names it.
pub fn property_writes(rule: &Rule, app: &App) -> Vec<Finding> {
    let mut out = Vec::new();
    for setting in app.settings.of(Key::WrittenPath) {
        let quoted = format!("\"{}\"", setting.value);
        let Some(path) = resolves(quoted.as_bytes(), &BTreeMap::new()) else {
            continue;
        };
        let writes: Vec<&Finding> = app
            .inventory
            .code
            .property_writes
            .iter()
            .filter(|(key, _)| *key == setting.detail)
            .map(|(_, f)| f)
            .collect();
        let (Some(first), Some(text)) = (writes.first(), app.inventory.manifest(&setting.file))
        else {
            continue;
        };
        out.push(finding_at(
            rule,
            &setting.file,
            text,
            setting.span,
            format!(
                "`{}` names {path}, a file in the working directory that {}:{} writes, lost on restart and shared by every request of the instance",
                setting.detail, first.file, first.start.line
            ),
        ));
        out.extend(writes.into_iter().map(|f| {
            let mut f = f.clone();
            f.message = f.message.replacen(
                &format!("(${{{}}})", setting.detail),
                &format!("(`{}` = {path})", setting.detail),
                1,
            );
            f
        }));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testing;
    use super::*;

    #[test]
    fn injected_properties_are_names_with_their_key() {
        let file = testing::source(
            "src/main/kotlin/Export.kt",
            Language::Kotlin,
            "class Export(\n    @param:Value(\"\\${exports.tmp.path}\") private val tmpPath: String,\n)\n",
        );
        let names = property_names(&file);
        assert_eq!(
            names.get("tmpPath").map(String::as_str),
            Some("${exports.tmp.path}")
        );
        let place = format!("under `out` ({}), a folder of the app", names["tmpPath"]);
        assert_eq!(property_key(&place).as_deref(), Some("exports.tmp.path"));
    }
}
