//! The literals of which every match of a pattern contains one: the keywords that let a
//! file skip the patterns it cannot trigger (`rules::keywords`). A pattern's keywords are its
//! `keywords`, else the most selective set of literals that regex-syntax finds every match
//! must contain (at the start, the end, or inside), each at least 3 bytes long; a pattern with
//! neither always runs.
//!
//! This module depends on regex-syntax alone: build.rs includes it and extracts every
//! built-in pattern's keywords when the rules are embedded, so a run does not.

use regex_syntax::ParserBuilder;
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Capture, Class, Hir, HirKind, Repetition};

/// The flags every rule regex is compiled with: multi-line, so that `^`/`$` anchor at
/// lines as rule authors expect, and bytes with ASCII classes (`\w`, `\d`, `\s`, `\b`
/// and case folding are ASCII, as in RE2 and gitleaks; `.` and `[^"]` match any byte).
/// Unicode classes compiled six times slower (most of a small app's run) and kept the
/// lazy DFA from handling `\b` past a non-ASCII byte.
pub const FLAGS: &str = "(?m-u)";

/// Literals shorter than this match almost everywhere and would not skip anything.
const MIN_LEN: usize = 3;
/// Literals longer than this are not much rarer: fewer literals win instead.
const ENOUGH: usize = 7;
/// More literals than this make the set too costly for what it saves.
const MAX_LITERALS: usize = 48;

/// The keyword set of a pattern: the written keywords, else the literals extracted from
/// the regex (`source` as compiled); empty: always run. Matched ignoring ASCII case.
pub fn keyword_set(written: &[String], source: &str) -> Vec<Vec<u8>> {
    if written.is_empty() {
        return required_literals(source).unwrap_or_default();
    }
    distinct(
        written
            .iter()
            .map(|w| w.to_ascii_lowercase().into_bytes())
            .collect(),
    )
}

/// The most selective set of lowercase literals of which every match contains one.
fn required_literals(source: &str) -> Option<Vec<Vec<u8>>> {
    let hir = ParserBuilder::new()
        .utf8(false)
        .unicode(false)
        .build()
        .parse(source)
        .ok()?;
    best(candidates(&fold_case(&hir)))
}

/// `hir` with its literals lowercased and each two-letter case class (`(?i)k` is
/// `[Kk]`) made the lowercase letter: keywords are matched ignoring case anyway, and
/// the case variants of `(?i)password` would overflow the extractor's limit.
fn fold_case(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Literal(literal) => Hir::literal(literal.0.to_ascii_lowercase()),
        HirKind::Class(Class::Bytes(class)) => match class.ranges() {
            [a, b]
                if a.start() == a.end()
                    && b.start() == b.end()
                    && a.start().is_ascii_uppercase()
                    && a.start().to_ascii_lowercase() == b.start() =>
            {
                Hir::literal([b.start()])
            }
            _ => hir.clone(),
        },
        HirKind::Concat(parts) => Hir::concat(parts.iter().map(fold_case).collect()),
        HirKind::Alternation(branches) => {
            Hir::alternation(branches.iter().map(fold_case).collect())
        }
        HirKind::Capture(group) => Hir::capture(Capture {
            sub: Box::new(fold_case(&group.sub)),
            ..group.clone()
        }),
        HirKind::Repetition(rep) => Hir::repetition(Repetition {
            sub: Box::new(fold_case(&rep.sub)),
            ..rep.clone()
        }),
        _ => hir.clone(),
    }
}

/// Sets of literals of which every match of `hir` contains one: what every
/// match starts or ends with, and the same for each run of a sequence's parts, each
/// required group and each branch of an alternation (united). Only usable sets.
fn candidates(hir: &Hir) -> Vec<Vec<Vec<u8>>> {
    let mut sets: Vec<Vec<Vec<u8>>> = extracted(hir).into_iter().collect();
    match hir.kind() {
        HirKind::Concat(parts) => {
            for i in 1..parts.len() {
                sets.extend(extracted(&Hir::concat(parts[i..].to_vec())));
                sets.extend(extracted(&Hir::concat(parts[..i].to_vec())));
            }
            for part in parts {
                sets.extend(candidates(part));
            }
        }
        HirKind::Capture(group) => sets.extend(candidates(&group.sub)),
        HirKind::Repetition(rep) if rep.min >= 1 => sets.extend(candidates(&rep.sub)),
        HirKind::Alternation(branches) => {
            let united: Option<Vec<Vec<u8>>> = branches
                .iter()
                .map(|branch| best(candidates(branch)))
                .try_fold(Vec::new(), |mut all, set| {
                    all.extend(set?);
                    Some(all)
                });
            sets.extend(united.map(distinct).filter(|set| usable(set)));
        }
        _ => {}
    }
    sets
}

/// What every match of `hir` starts with, and what it ends with, where usable.
fn extracted(hir: &Hir) -> Vec<Vec<Vec<u8>>> {
    [ExtractKind::Prefix, ExtractKind::Suffix]
        .into_iter()
        .filter_map(|kind| {
            let mut extractor = Extractor::new();
            extractor.kind(kind).limit_total(MAX_LITERALS);
            let seq = extractor.extract(hir);
            let set = distinct(
                seq.literals()?
                    .iter()
                    .map(|l| l.as_bytes().to_vec())
                    .collect(),
            );
            usable(&set).then_some(set)
        })
        .collect()
}

fn distinct(set: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    let mut words: Vec<Vec<u8>> = Vec::new();
    for word in set {
        if !words.contains(&word) {
            words.push(word);
        }
    }
    words
}

fn usable(set: &[Vec<u8>]) -> bool {
    !set.is_empty() && set.len() <= MAX_LITERALS && set.iter().all(|l| l.len() >= MIN_LEN)
}

/// The most selective set: its shortest literal the longest up to `ENOUGH` bytes, then
/// the fewest literals, then the longest. Each set also competes cut to its first 3 to
/// `ENOUGH` bytes, which folds the variants a class makes (`session\t`, `session(` ->
/// `session`).
fn best(sets: Vec<Vec<Vec<u8>>>) -> Option<Vec<Vec<u8>>> {
    let cut = |set: &[Vec<u8>], len: usize| {
        distinct(set.iter().map(|l| l[..l.len().min(len)].to_vec()).collect())
    };
    sets.iter()
        .flat_map(|set| {
            (MIN_LEN..=ENOUGH)
                .map(|len| cut(set, len))
                .chain([set.clone()])
        })
        .max_by_key(|set| {
            let shortest = set.iter().map(Vec::len).min().unwrap_or(0);
            let total: usize = set.iter().map(Vec::len).sum();
            (shortest.min(ENOUGH), std::cmp::Reverse(set.len()), total)
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
    fn literals_are_extracted_from_prefixes_suffixes_or_inside() {
        assert_eq!(set(r"(?m)\.listen\(\s*\d+"), [".listen("]);
        let mut keys = set(r"(?m)\b(?:AKIA|ASIA)[A-Z2-7]{16}\b");
        keys.sort();
        assert_eq!(keys, ["akia", "asia"]);
        assert_eq!(set(r"(?m)[:=]\s*\w+\.log"), [".log"]);
        // Inside: the word after a common prefix (`new`) is rarer than the prefix.
        assert_eq!(
            set(r"(?m)\bnew\s+(?:[\w$]+\.)?(?P<hit>MemoryStore)\s*\("),
            ["memorystore"]
        );
        // The variants a class makes fold into the word they share.
        assert_eq!(set(r"(?m)\bsession\s*\(\s*\{"), ["session"]);
        // An alternation needs a literal from every branch; case folds.
        let mut keys = set(r"(?m)^[a-z_]*(?:jobs|(?i:queue))[a-z_]*\s*=");
        keys.sort();
        assert_eq!(keys, ["jobs", "queue"]);
        // Nothing selective: the pattern always runs.
        assert!(set(r#"(?m)["'](\w+)["']"#).is_empty());
        assert!(set(r"(?m)^\s*(?:\w+|config)\s*=").is_empty());
    }

    #[test]
    fn written_keywords_are_lowercased() {
        let words = keyword_set(&["FileHandler".into(), "filehandler".into()], "x");
        assert_eq!(words, [b"filehandler".to_vec()]);
    }
}
