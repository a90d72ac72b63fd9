//! Signs of health data in production code, read during the walk: field names of
//! health records (`patient_id`, `diagnosis`, `blood_type`...). One word proves
//! nothing (a garage app has diagnoses), so the report speaks only when `patient`
//! appears with another health-record word.

use crate::classify::Role;
use crate::source::SourceFile;
use regex::bytes::Regex;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// A health-record word as an identifier segment: `patient_id`, `patientName`,
/// `medical_record`, `MedicalHistory`, `blood_type`, `icd10`, `numero_secu`. ASCII word
/// boundaries (`-u`): a Unicode one sends the search to the slow engine on any accent.
static HEALTH_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?-u)(?:\b|_)(?P<a>(?i:patients?|medical_?records?|medical_?history|diagnos[ie]s|prescriptions?|blood_?(?:type|group)|allerg(?:y|ies)|icd_?10|numero_?secu|social_?security_?number))(?:\b|_|[A-Z])|[a-z](?P<b>Patients?|MedicalRecords?|MedicalHistory|Diagnos[ie]s|Prescriptions?|BloodType|BloodGroup|Allerg(?:y|ies))(?:\b|_|[A-Z])",
    )
    .expect("valid regex")
});

/// Stems every `HEALTH_FIELD` match contains (in any ASCII case):
/// the scan's keyword pass looks for them, so most files skip the regex.
pub const HEALTH_STEMS: &[&str] = &[
    "patient",
    "medical",
    "diagnos",
    "prescription",
    "blood",
    "allerg",
    "icd",
    "numero",
    "social",
];

/// Health-record words found in a production file: normalised word → `file:line`;
/// `stem_seen` says whether the keyword pass found one of `HEALTH_STEMS`.
pub fn health_terms(file: &SourceFile, stem_seen: bool) -> Vec<(String, String)> {
    // Minified bundles carry whole dictionaries (password checkers, spell lists).
    let production = matches!(file.role, Role::Source | Role::Config);
    if !stem_seen || !production || file.rel_path.contains(".min.") {
        return Vec::new();
    }
    let mut found: BTreeMap<String, String> = BTreeMap::new();
    for caps in HEALTH_FIELD.captures_iter(&file.masked) {
        let Some(word) = caps.name("a").or_else(|| caps.name("b")) else {
            continue;
        };
        let term = normalise(word.as_bytes());
        found.entry(term).or_insert_with(|| {
            let line = file.locate(word.start(), word.end()).0.line;
            format!("{}:{line}", file.rel_path)
        });
    }
    found.into_iter().collect()
}

/// `Medical_Records` → `medicalrecord`: one spelling per word.
fn normalise(word: &[u8]) -> String {
    let lower: String = String::from_utf8_lossy(word)
        .to_lowercase()
        .chars()
        .filter(|c| *c != '_')
        .collect();
    match lower.as_str() {
        "diagnoses" | "diagnosis" => "diagnosis".into(),
        "allergies" => "allergy".into(),
        w => w.strip_suffix('s').unwrap_or(w).to_string(),
    }
}

/// Whether the words found are enough to call it health data: `patient` and another
/// health-record word, seen in at least two files (one file may be a word list).
pub fn looks_like_health_data(terms: &BTreeMap<String, String>) -> bool {
    let files: std::collections::BTreeSet<&str> = terms
        .values()
        .map(|at| at.rsplit_once(':').map_or(at.as_str(), |(file, _)| file))
        .collect();
    terms.contains_key("patient") && terms.len() >= 2 && files.len() >= 2
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::Language;

    fn terms(code: &str) -> Vec<String> {
        let file = SourceFile::new(
            "models.py".into(),
            Language::Python,
            Role::Source,
            code.as_bytes().to_vec(),
        );
        let registry = crate::rules::Registry::builtin().expect("rules load");
        let present = crate::detect::keywords_present(&registry, &file);
        let seen = registry.health_keywords.iter().any(|&k| present[k]);
        health_terms(&file, seen)
            .into_iter()
            .map(|(t, _)| t)
            .collect()
    }

    #[test]
    fn health_record_words() {
        assert_eq!(
            terms("class Visit:\n    patient_id = 1\n    diagnosis = ''\n    bloodType = 'A'\n"),
            vec!["bloodtype", "diagnosis", "patient"]
        );
        assert_eq!(
            terms("def impatient(): pass\n# patient diagnosis\n"),
            Vec::<String>::new()
        );
        assert_eq!(terms("getPatientRecords()\n"), vec!["patient"]);
    }

    #[test]
    fn one_file_is_not_enough() {
        let map = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(t, a)| (t.to_string(), a.to_string()))
                .collect()
        };
        assert!(!looks_like_health_data(&map(&[
            ("patient", "words.js:9"),
            ("diagnosis", "words.js:11")
        ])));
        assert!(looks_like_health_data(&map(&[
            ("patient", "models.py:3"),
            ("diagnosis", "views.py:8")
        ])));
        assert!(!looks_like_health_data(&map(&[
            ("diagnosis", "a.py:1"),
            ("allergy", "b.py:1")
        ])));
    }
}
