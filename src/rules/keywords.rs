//! Keywords: for each pattern, literals of which every match contains one. One
//! Aho-Corasick pass over a file tells which keywords occur, and a pattern none of whose
//! keywords occurs is not run at all: with ~200 patterns, most files then run a few.
//!
//! A pattern's keywords are its `keywords`, else the most selective set of literals that
//! regex-syntax finds every match must contain (at the start, the end, or inside), each
//! at least 3 bytes long. A pattern with neither always runs. Keywords match ignoring
//! ASCII case, so a pattern that relies on Unicode case folding (`ſ` for `s`) does not
//! see those spellings.
//!
//! Each kind of file (language and role) gets an automaton of just the keywords of the
//! patterns that read it, built on first use: a smaller automaton stays in the cache,
//! and a kind no pattern reads is not searched at all.

use crate::classify::{Language, Role};
use aho_corasick::Anchored;
use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;
use regex_syntax::ParserBuilder;
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Capture, Class, Hir, HirKind, Repetition};
use std::sync::OnceLock;

/// Literals shorter than this match almost everywhere and would not skip anything.
const MIN_LEN: usize = 3;
/// Literals longer than this are not much rarer: fewer literals win instead.
const ENOUGH: usize = 7;
/// More literals than this make the set too costly for what it saves.
const MAX_LITERALS: usize = 48;

/// The files a keyword set is searched in: their roles, and their languages (`None`:
/// any, as when a `files` glob picks the files).
pub struct Scope {
    pub roles: Vec<Role>,
    pub languages: Option<Vec<Language>>,
}

impl Scope {
    fn covers(&self, language: Language, role: Role) -> bool {
        self.roles.contains(&role)
            && self
                .languages
                .as_ref()
                .is_none_or(|l| l.contains(&language))
    }
}

pub struct Keywords {
    words: Vec<Vec<u8>>,
    /// Each set's scope and keyword indexes.
    sets: Vec<(Scope, Vec<usize>)>,
    /// Per language and role, built on first use.
    kinds: Vec<OnceLock<Kind>>,
}

/// How a kind of file is searched for keywords.
enum Kind {
    /// No pattern that reads it has keywords.
    Nothing,
    /// The automaton, the keyword index of each of its patterns, and the longest.
    Search(Box<DFA>, Vec<usize>, usize),
    /// The automaton could not be built: every keyword counts as present.
    All,
}

impl Keywords {
    /// Indexes the keyword sets of all patterns; returns the index set of each.
    pub fn build(sets: Vec<(Scope, Vec<Vec<u8>>)>) -> (Keywords, Vec<Vec<usize>>) {
        let mut words: Vec<Vec<u8>> = Vec::new();
        let sets: Vec<(Scope, Vec<usize>)> = sets
            .into_iter()
            .map(|(scope, set)| {
                let indexes = set
                    .into_iter()
                    .map(|word| match words.iter().position(|w| *w == word) {
                        Some(i) => i,
                        None => {
                            words.push(word);
                            words.len() - 1
                        }
                    })
                    .collect();
                (scope, indexes)
            })
            .collect();
        let indexes = sets.iter().map(|(_, i)| i.clone()).collect();
        let kinds = (0..Language::ALL.len() * Role::ALL.len())
            .map(|_| OnceLock::new())
            .collect();
        let keywords = Keywords { words, sets, kinds };
        (keywords, indexes)
    }

    /// Which keywords occur in `text`, a file of `language` and `role`: every keyword
    /// that files of that kind need is looked for, the others are left unseen.
    pub fn present(&self, text: &[u8], language: Language, role: Role) -> Vec<bool> {
        let kind = &self.kinds[self.kind_index(language, role)];
        let mut present = vec![false; self.words.len()];
        match kind.get_or_init(|| self.kind(language, role)) {
            Kind::Nothing => {}
            Kind::Search(dfa, ids, longest) => {
                scan(dfa, text, *longest, |id| present[ids[id]] = true);
            }
            Kind::All => present.fill(true),
        }
        present
    }

    fn kind_index(&self, language: Language, role: Role) -> usize {
        let l = Language::ALL
            .iter()
            .position(|l| *l == language)
            .unwrap_or(0);
        let r = Role::ALL.iter().position(|r| *r == role).unwrap_or(0);
        l * Role::ALL.len() + r
    }

    /// The automaton of the keywords that files of this kind need: a DFA, walked byte by
    /// byte by `scan`, which sees every keyword ending at each byte.
    fn kind(&self, language: Language, role: Role) -> Kind {
        let mut ids: Vec<usize> = Vec::new();
        for (_, indexes) in self.sets.iter().filter(|(s, _)| s.covers(language, role)) {
            for &i in indexes {
                if !ids.contains(&i) {
                    ids.push(i);
                }
            }
        }
        if ids.is_empty() {
            return Kind::Nothing;
        }
        let words: Vec<&[u8]> = ids.iter().map(|&i| self.words[i].as_slice()).collect();
        let longest = words.iter().map(|w| w.len()).max().unwrap_or(0);
        let dfa = DFA::builder()
            .ascii_case_insensitive(true)
            .prefilter(false)
            .build(&words);
        match dfa {
            Ok(dfa) => Kind::Search(Box::new(dfa), ids, longest),
            Err(_) => Kind::All,
        }
    }
}

/// Small texts are walked in one stream.
const SMALL: usize = 1024;
/// Streams walked in step over a larger text.
const STREAMS: usize = 4;

/// Calls `found` with the pattern of every keyword occurrence in `text` (some more than
/// once). Each step of a DFA waits on the load of the step before, so one walk is bound
/// by memory latency; four walks over four quarters of the text, in step, overlap their
/// loads and take half the time. Each quarter runs `longest - 1` bytes into the next, so
/// that a keyword across the cut is seen whole.
fn scan(dfa: &DFA, text: &[u8], longest: usize, mut found: impl FnMut(usize)) {
    let Ok(start) = dfa.start_state(Anchored::No) else {
        return;
    };
    let mut step = |sid: StateID, byte: u8| {
        let next = dfa.next_state(Anchored::No, sid, byte);
        if dfa.is_special(next) && dfa.is_match(next) {
            for i in 0..dfa.match_len(next) {
                found(dfa.match_pattern(next, i).as_usize());
            }
        }
        next
    };
    if text.len() < SMALL {
        text.iter().fold(start, |sid, &b| step(sid, b));
        return;
    }
    let quarter = text.len() / STREAMS;
    let mut sids = [start; STREAMS];
    for i in 0..quarter {
        for (k, sid) in sids.iter_mut().enumerate() {
            *sid = step(*sid, text[k * quarter + i]);
        }
    }
    for (k, sid) in sids.into_iter().enumerate() {
        let end = if k + 1 == STREAMS {
            text.len()
        } else {
            ((k + 1) * quarter + longest.saturating_sub(1)).min(text.len())
        };
        text[(k + 1) * quarter..end]
            .iter()
            .fold(sid, |sid, &b| step(sid, b));
    }
}

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

    fn scope(languages: Option<Vec<Language>>) -> Scope {
        Scope {
            roles: vec![Role::Source],
            languages,
        }
    }

    #[test]
    fn keywords_are_found_ignoring_case_even_when_they_overlap() {
        let sets = vec![
            (scope(None), vec![b"password".to_vec()]),
            (scope(None), vec![b"pass".to_vec()]),
            (scope(None), vec![b"sword".to_vec()]),
            (scope(None), vec![b"absent".to_vec()]),
        ];
        let (keywords, indexes) = Keywords::build(sets);
        let present = keywords.present(b"const PassWord = 1;", Language::Python, Role::Source);
        let found: Vec<bool> = indexes.iter().map(|i| present[i[0]]).collect();
        assert_eq!(found, [true, true, true, false]);
    }

    #[test]
    fn each_kind_of_file_looks_for_its_own_keywords() {
        let sets = vec![
            (scope(Some(vec![Language::Ruby])), vec![b"rufus".to_vec()]),
            (scope(None), vec![b"secret".to_vec()]),
        ];
        let (keywords, indexes) = Keywords::build(sets);
        let text = b"rufus secret";
        let found = |language, role| {
            let present = keywords.present(text, language, role);
            indexes.iter().map(|i| present[i[0]]).collect::<Vec<bool>>()
        };
        assert_eq!(found(Language::Ruby, Role::Source), [true, true]);
        assert_eq!(found(Language::Python, Role::Source), [false, true]);
        assert_eq!(found(Language::Ruby, Role::Test), [false, false]);
    }

    #[test]
    fn a_keyword_across_the_cut_between_streams_is_found() {
        let words = [b"cut-across".to_vec(), b"tail".to_vec()];
        let sets = words
            .iter()
            .map(|w| (scope(None), vec![w.clone()]))
            .collect();
        let (keywords, indexes) = Keywords::build(sets);
        let len = 4 * SMALL;
        // Every position around each cut between streams, and the very end.
        for cut in (1..STREAMS).map(|k| k * len / STREAMS) {
            for at in cut - 12..cut + 2 {
                let mut text = vec![b'.'; len];
                text[at..at + 10].copy_from_slice(b"CUT-ACROSS");
                text[len - 4..].copy_from_slice(b"tail");
                let present = keywords.present(&text, Language::Python, Role::Source);
                assert!(present[indexes[0][0]], "keyword at {at}, cut at {cut}");
                assert!(present[indexes[1][0]]);
            }
        }
    }
}
