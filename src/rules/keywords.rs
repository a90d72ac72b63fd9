//! Keywords: for each pattern, literals of which every match contains one (extracted by
//! `rules::literals` when the binary is built). One Aho-Corasick pass over a file tells
//! which keywords occur, and a pattern none of whose keywords occurs is not run at all:
//! with ~200 patterns, most files then run a few. Keywords match ignoring ASCII case, as
//! the patterns do (`literals::FLAGS`).
//!
//! Each kind of file (language and role) gets an automaton of just the keywords of the
//! patterns that read it, built on first use: a smaller automaton stays in the cache,
//! and a kind no pattern reads is not searched at all.

use crate::classify::{Language, Role};
use aho_corasick::Anchored;
use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;
use std::sync::OnceLock;

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

#[cfg(test)]
mod tests {
    use super::*;

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
