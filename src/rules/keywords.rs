//! Keywords: for each pattern, literals of which every match contains one. One
//! Aho-Corasick pass over a file tells which keywords occur, and a pattern none of whose
//! keywords occurs is not run at all: with ~150 patterns, most files then run a few.
//!
//! A pattern's keywords are its `keywords` (in the forms written, lower, UPPER and
//! Capitalized), else the literals that every match must start with, or end with, as
//! regex-syntax extracts them (when there are few and each is at least 3 bytes long).
//! A pattern with neither always runs.

use aho_corasick::AhoCorasick;
use regex_syntax::ParserBuilder;
use regex_syntax::hir::literal::{ExtractKind, Extractor};

/// Literals shorter than this match almost everywhere and would not skip anything.
const MIN_LEN: usize = 3;
/// More literals than this make the set too costly for what it saves.
const MAX_LITERALS: usize = 48;

pub struct Keywords {
    automaton: Option<AhoCorasick>,
    /// For each keyword, the others it contains: finding it proves them too.
    implies: Vec<Vec<usize>>,
}

impl Keywords {
    /// Indexes the keyword sets of all patterns; returns the index set of each.
    pub fn build(sets: &[Vec<Vec<u8>>]) -> Result<(Keywords, Vec<Vec<usize>>), String> {
        let mut words: Vec<Vec<u8>> = Vec::new();
        let indexes = sets
            .iter()
            .map(|set| {
                set.iter()
                    .map(|word| match words.iter().position(|w| w == word) {
                        Some(i) => i,
                        None => {
                            words.push(word.clone());
                            words.len() - 1
                        }
                    })
                    .collect()
            })
            .collect();
        let implies = words
            .iter()
            .map(|w| {
                (0..words.len())
                    .filter(|&j| words[j] != *w && contains(w, &words[j]))
                    .collect()
            })
            .collect();
        let automaton = if words.is_empty() {
            None
        } else {
            let automaton = AhoCorasick::builder()
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .build(&words)
                .map_err(|e| format!("keywords: {e}"))?;
            Some(automaton)
        };
        Ok((Keywords { automaton, implies }, indexes))
    }

    /// Which keywords occur in `text`: a leftmost-longest search restarted one byte
    /// after each match (so overlapping keywords are seen), which keeps the automaton's
    /// SIMD prefilter, stopped once all are found.
    pub fn present(&self, text: &[u8]) -> Vec<bool> {
        let mut present = vec![false; self.implies.len()];
        let Some(automaton) = &self.automaton else {
            return present;
        };
        for m in automaton.find_overlapping_iter(text) {
            present[m.pattern().as_usize()] = true;
        }
        present
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(haystack, needle).is_some()
}

/// The keyword set of a pattern: the written keywords in their usual case forms, else
/// the literals extracted from the regex (`source` as compiled); empty: always run.
pub fn keyword_set(written: &[String], source: &str) -> Vec<Vec<u8>> {
    if !written.is_empty() {
        let mut set: Vec<Vec<u8>> = Vec::new();
        for word in written {
            let lower = word.to_ascii_lowercase();
            let mut capital = lower.clone();
            if let Some(first) = capital.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            for form in [
                word.clone(),
                lower.clone(),
                lower.to_ascii_uppercase(),
                capital,
            ] {
                if !set.contains(&form.as_bytes().to_vec()) {
                    set.push(form.into_bytes());
                }
            }
        }
        return set;
    }
    required_literals(source).unwrap_or_default()
}

/// Literals every match starts with, or ends with, whichever set is more selective.
fn required_literals(source: &str) -> Option<Vec<Vec<u8>>> {
    let hir = ParserBuilder::new()
        .utf8(false)
        .build()
        .parse(source)
        .ok()?;
    [ExtractKind::Prefix, ExtractKind::Suffix]
        .into_iter()
        .filter_map(|kind| {
            let mut extractor = Extractor::new();
            extractor.kind(kind).limit_total(MAX_LITERALS);
            let seq = extractor.extract(&hir);
            let literals = seq.literals()?;
            let usable = !literals.is_empty()
                && literals.len() <= MAX_LITERALS
                && literals.iter().all(|l| l.as_bytes().len() >= MIN_LEN);
            usable.then(|| {
                literals
                    .iter()
                    .map(|l| l.as_bytes().to_vec())
                    .collect::<Vec<_>>()
            })
        })
        .max_by_key(|set| {
            let shortest = set.iter().map(Vec::len).min().unwrap_or(0);
            (shortest, std::cmp::Reverse(set.len()))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(source: &str) -> Vec<String> {
        keyword_set(&[], source)
            .into_iter()
            .map(|w| String::from_utf8(w).unwrap())
            .collect()
    }

    #[test]
    fn literals_are_extracted_from_prefixes_or_suffixes() {
        assert_eq!(set(r"(?m)\.listen\(\s*\d+"), [".listen("]);
        let mut keys = set(r"(?m)\b(?:AKIA|ASIA)[A-Z2-7]{16}\b");
        keys.sort();
        assert_eq!(keys, ["AKIA", "ASIA"]);
        assert_eq!(set(r"(?m)[:=]\s*\w+\.log"), [".log"]);
        // Nothing selective: the pattern always runs.
        assert!(set(r#"(?m)["'](\w+)["']"#).is_empty());
    }

    #[test]
    fn written_keywords_come_in_case_forms() {
        let forms = keyword_set(&["FileHandler".into()], "x");
        let forms: Vec<&[u8]> = forms.iter().map(Vec::as_slice).collect();
        assert_eq!(
            forms,
            [
                &b"FileHandler"[..],
                b"filehandler",
                b"FILEHANDLER",
                b"Filehandler"
            ]
        );
    }

    #[test]
    fn overlapping_and_nested_keywords_are_all_found() {
        let sets = vec![
            vec![b"password".to_vec()],
            vec![b"pass".to_vec()],
            vec![b"sword".to_vec()],
            vec![b"absent".to_vec()],
        ];
        let (keywords, indexes) = Keywords::build(&sets).unwrap();
        let present = keywords.present(b"const PASSWORD = 1; password");
        let found: Vec<bool> = indexes.iter().map(|i| present[i[0]]).collect();
        assert_eq!(found, [true, true, true, false]);
    }
}
