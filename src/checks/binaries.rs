//! Factor II, `undeclared-system-binary`: code that runs a system tool (ImageMagick,
//! wkhtmltopdf, ffmpeg...) relies on the image having it. The host's base image does not;
//! an `Aptfile` (Scalingo's apt buildpack) or the Dockerfile must install it.

use super::{Gate, PerLanguage, Seen, per_language};
use crate::app::App;
use crate::classify::Language;
use crate::finding::Finding;
use crate::repo::FileFacts;
use crate::rules::Rule;
use crate::source::SourceFile;

/// Tools that no PaaS base image is guaranteed to hold.
const BINARIES: &str = "convert|magick|mogrify|identify|wkhtmltopdf|wkhtmltoimage|ffmpeg|ffprobe|pdftk|gs|ghostscript|pdftotext|pdftoppm|pdfinfo|libreoffice|soffice|tesseract|qpdf|exiftool|inkscape|pandoc|unoconv";

/// The process-spawning calls of each stack, followed by the binary as a string literal.
fn call_pattern(language: Language) -> Option<String> {
    let prefix = match language {
        Language::Javascript | Language::Typescript => {
            r#"\b(?:exec|execSync|execFile|execFileSync|spawn|spawnSync|execa|execaSync)\(\s*[\x60'"]"#
        }
        Language::Python => {
            r#"\b(?:subprocess\.(?:run|call|check_call|check_output|Popen)|os\.system|os\.popen)\(\s*\[?\s*f?['"]"#
        }
        Language::Ruby => {
            r#"(?:\b(?:system|spawn|exec|Open3\.\w+|IO\.popen)\(?\s*['"]|%x[({\[]|`)"#
        }
        Language::Php => {
            r#"\b(?:exec|shell_exec|system|passthru|proc_open|popen)\(\s*['"]|new\s+Process\(\s*\[\s*['"]"#
        }
        Language::Go => r#"\bexec\.Command(?:Context)?\((?:\s*ctx\s*,)?\s*""#,
        Language::Java | Language::Kotlin => {
            r#"(?:\.exec\(|new\s+ProcessBuilder\()\s*(?:new\s+String\[\]\s*\{\s*)?""#
        }
        _ => return None,
    };
    Some(format!(
        r"{prefix}(?:/usr/(?:local/)?bin/)?(?P<bin>{BINARIES})\b"
    ))
}

pub fn binary_facts(rule: &Rule, file: &SourceFile, seen: &Seen, facts: &mut FileFacts) {
    static CALLS: PerLanguage = PerLanguage::new();
    if !seen.any(Gate::BinaryCall) {
        return;
    }
    let Some(calls) = per_language(&CALLS, call_pattern, file.language) else {
        return;
    };
    for caps in calls.captures_iter(&file.masked) {
        let Some(bin) = caps.name("bin") else {
            continue;
        };
        let name = String::from_utf8_lossy(bin.as_bytes()).into_owned();
        let message = format!(
            "the app runs the system binary `{name}`, which nothing in the repository installs"
        );
        let finding = rule.finding(&file.rel_path, file.locate(bin.start(), bin.end()), message);
        facts.code.binary_calls.push((name, finding));
    }
}

/// Package names that install each binary, for the declaration check.
fn packages_of(binary: &str) -> &[&str] {
    match binary {
        "convert" | "magick" | "mogrify" | "identify" => {
            &["imagemagick", "graphicsmagick", "magick"]
        }
        "gs" | "ghostscript" => &["ghostscript"],
        "pdftotext" | "pdftoppm" | "pdfinfo" => &["poppler"],
        "soffice" | "libreoffice" | "unoconv" => &["libreoffice", "unoconv"],
        "ffprobe" => &["ffmpeg"],
        "wkhtmltoimage" => &["wkhtmltopdf"],
        _ => &[],
    }
}

pub fn undeclared_system_binary(_rule: &Rule, app: &App) -> Vec<Finding> {
    let facts = &app.inventory;
    let manifests = &app.manifests;
    // What the build installs: buildpacks, Aptfile packages, and the image's instructions
    // (its base image and RUN lines).
    let dockerfile = manifests
        .dockerfile
        .iter()
        .flat_map(|d| d.instructions.iter().map(|i| &i.argument));
    let declared_text: String = manifests
        .buildpacks
        .iter()
        .flatten()
        .chain(manifests.aptfile.iter().flatten())
        .chain(dockerfile)
        .map(|text| text.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("\n");
    let declared = |binary: &str| {
        let words: Vec<&str> = declared_text
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .collect();
        std::iter::once(binary)
            .chain(packages_of(binary).iter().copied())
            .any(|name| {
                words
                    .iter()
                    .any(|w| *w == name || (name.len() >= 5 && w.starts_with(name)))
            })
    };
    facts
        .code
        .binary_calls
        .iter()
        .filter(|(binary, _)| !declared(binary))
        .map(|(_, finding)| finding.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::App;
    use crate::hosts::test_facts;

    fn undeclared(files: &[(&str, &str)]) -> usize {
        let registry = crate::rules::Registry::builtin().expect("rules load");
        let rule = registry.get("undeclared-system-binary").expect("rule");
        let mut facts = test_facts(files);
        facts.code.binary_calls = vec![(
            "convert".to_string(),
            rule.repo_finding("app/thumbs.py", String::new()),
        )];
        undeclared_system_binary(rule, &App::build(facts, &Default::default())).len()
    }

    #[test]
    fn the_build_files_declare_a_binary_by_its_package() {
        assert_eq!(undeclared(&[]), 1);
        assert_eq!(undeclared(&[("Aptfile", "imagemagick\n")]), 0);
        assert_eq!(undeclared(&[("Aptfile", "# imagemagick, one day\n")]), 1);
        let image = "FROM python:3.12\nRUN apt-get update && apt-get install -y imagemagick\n";
        assert_eq!(undeclared(&[("Dockerfile", image)]), 0);
    }
}
