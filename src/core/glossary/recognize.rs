//! Finding glossary terms in running text, inflected forms included.
//!
//! Terms and text go through the same tokenizer, normalizer and light stemmer as the index
//! ([`crate::core::tokenize`]), so "computers" finds *computer*, بالحاسوب finds حاسوب and
//! پێشمەرگەکان finds پێشمەرگە — one definition of "the same word" for matching, alignment and
//! the glossary. Each term becomes a sequence of stems; one Aho–Corasick automaton per language
//! holds all sequences, and the text is searched anchored at each word, longest term first, so
//! "Kurdistan Region Government" wins over "Kurdistan Region" and nothing overlaps. Punctuation
//! is ignored on both sides (`COVID-19` = `COVID 19`). The cost is one tokenization of the text
//! plus a walk of the automaton per word: well under a millisecond for a 2,000-word release.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, Anchored, Input, MatchKind, StartKind};

use super::concept::{Concept, Term};
use crate::core::lang::Lang;
use crate::core::stem::stem;
use crate::core::tokenize::{loose_key, tokenize, Token, TokenKind};

/// Separates stems in patterns and haystacks; never part of a stem (control characters are not
/// word characters).
const SEP: char = '\u{1}';

/// One recognized term in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// Byte offsets into the text.
    pub start: usize,
    pub end: usize,
    /// Index of the concept in [`Recognizer::concepts`].
    pub concept: usize,
    /// Index of the matched term in that concept's `terms`.
    pub term: usize,
}

/// A term as the automaton knows it.
#[derive(Debug, Clone)]
struct Entry {
    concept: usize,
    term: usize,
    /// Surface forms of the term's words, for case-sensitive terms.
    surfaces: Vec<String>,
    case_sensitive: bool,
}

/// One automaton over key sequences, and the terms behind each pattern (homonyms share one).
struct Keyed {
    automaton: AhoCorasick,
    entries: Vec<Vec<Entry>>,
}

/// How a token is keyed for one automaton.
type KeyFn = fn(Lang, &Token) -> String;

/// The stem: inflected forms meet here (`computers`, بالحاسوب, پێشمەرگەکان).
fn stem_key(_: Lang, t: &Token) -> String {
    t.stem.to_string()
}

/// The Kurmanji word without Hawar diacritics, not stemmed: `Herema Kurdistane` typed on a
/// keyboard without ê still finds `Herêma Kurdistanê` (the stemmer reads suffixes by their
/// diacritics, so the stem alone cannot).
fn loose(lang: Lang, t: &Token) -> String {
    loose_key(lang, t).map_or_else(|| t.key.to_string(), String::from)
}

/// Builds one [`Keyed`] from the terms of one language.
#[derive(Default)]
struct KeyedBuilder {
    patterns: Vec<String>,
    entries: Vec<Vec<Entry>>,
    seen: HashMap<String, usize>,
}

impl KeyedBuilder {
    fn add(&mut self, pattern: String, entry: Entry) {
        match self.seen.get(&pattern) {
            Some(&pid) => self.entries[pid].push(entry),
            None => {
                self.seen.insert(pattern.clone(), self.patterns.len());
                self.patterns.push(pattern);
                self.entries.push(vec![entry]);
            }
        }
    }

    fn build(self) -> Option<Keyed> {
        if self.patterns.is_empty() {
            return None;
        }
        // Patterns are short strings; building cannot fail for them, but if it ever did,
        // recognition for that language is off, not a panic.
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Anchored)
            .build(&self.patterns)
            .map_err(|e| log::error!("term automaton: {e}"))
            .ok()?;
        Some(Keyed {
            automaton,
            entries: self.entries,
        })
    }
}

/// The automata of one language: by stem, and for Kurmanji also by loose key.
#[derive(Default)]
struct LangIndex {
    stems: Option<Keyed>,
    loose: Option<Keyed>,
}

/// All terms of a glossary, ready to be found in text.
pub struct Recognizer {
    concepts: Vec<Concept>,
    langs: [LangIndex; 4],
    /// `[concept][term]` → the term's stems, for [`Recognizer::mentions`].
    term_stems: Vec<Vec<Vec<String>>>,
}

/// A text tokenized once for [`Recognizer::mentions`]: the stems of its words, and for each
/// word the other keys it may match under (loose Kurmanji, Arabic without a proclitic).
pub struct Prepared<'a> {
    lang: Lang,
    text: &'a str,
    /// The content tokens, also what [`Recognizer::find_in`] scans.
    tokens: Vec<Token>,
    words: Vec<PreparedWord>,
}

struct PreparedWord {
    /// The stem, and for Kurmanji the stem of the word read without diacritics.
    keys: Vec<String>,
    /// Keys that only count for the first word of a term (Arabic without a proclitic).
    first: Vec<String>,
}

impl<'a> Prepared<'a> {
    pub fn new(lang: Lang, text: &'a str) -> Prepared<'a> {
        let tokens = content(lang, text);
        let words = tokens
            .iter()
            .map(|t| {
                let mut keys = vec![t.stem.to_string()];
                if let Some(l) = loose_key(lang, t) {
                    keys.push(stem(lang, &l));
                }
                PreparedWord {
                    keys,
                    first: first_word_variants(lang, t),
                }
            })
            .collect();
        Prepared {
            lang,
            text,
            tokens,
            words,
        }
    }
}

/// The tokens that count for term matching: words and numbers.
fn content(lang: Lang, text: &str) -> Vec<Token> {
    tokenize(lang, text)
        .into_iter()
        .filter(|t| t.kind != TokenKind::Punct)
        .collect()
}

fn pattern(lang: Lang, tokens: &[Token], key: KeyFn) -> String {
    let mut pattern = String::new();
    for t in tokens {
        pattern.push_str(&key(lang, t));
        pattern.push(SEP);
    }
    pattern
}

/// Arabic proclitics written attached to a word that the light stemmer leaves alone unless an
/// article follows (لمنظمة، وبقوات): tried on the first word of a term when nothing else
/// matched there. Longest first.
const ARABIC_PROCLITICS: [&str; 9] = ["وب", "ول", "فب", "فل", "و", "ف", "ب", "ل", "ك"];

/// Keys for the first word of a possible term besides its own: the word without an attached
/// Arabic proclitic, stemmed (at least three letters must remain).
fn first_word_variants(lang: Lang, token: &Token) -> Vec<String> {
    if lang != Lang::Ar || token.kind != TokenKind::Word {
        return Vec::new();
    }
    ARABIC_PROCLITICS
        .iter()
        .filter_map(|p| token.key.strip_prefix(p))
        .filter(|rest| rest.chars().count() >= 3)
        .map(|rest| stem(lang, rest))
        .filter(|s| *s != token.stem)
        .collect()
}

impl Recognizer {
    /// Build the automata. Terms without any word (only punctuation) cannot be recognized and
    /// are left out.
    pub fn new(concepts: Vec<Concept>) -> Recognizer {
        let mut term_stems = Vec::with_capacity(concepts.len());
        let mut stems: [KeyedBuilder; 4] = Default::default();
        let mut loose_keys: [KeyedBuilder; 4] = Default::default();
        for (ci, concept) in concepts.iter().enumerate() {
            let mut concept_stems = Vec::with_capacity(concept.terms.len());
            for (ti, term) in concept.terms.iter().enumerate() {
                let tokens = content(term.lang, &term.text);
                concept_stems.push(tokens.iter().map(|t| t.stem.to_string()).collect());
                if tokens.is_empty() {
                    continue;
                }
                let li = term.lang.index();
                let entry = Entry {
                    concept: ci,
                    term: ti,
                    surfaces: tokens
                        .iter()
                        .map(|t| term.text[t.start..t.end].to_string())
                        .collect(),
                    case_sensitive: term.case_sensitive,
                };
                if term.lang == Lang::Kmr {
                    loose_keys[li].add(pattern(term.lang, &tokens, loose), entry.clone());
                }
                stems[li].add(pattern(term.lang, &tokens, stem_key), entry);
            }
            term_stems.push(concept_stems);
        }
        let mut langs: [LangIndex; 4] = Default::default();
        for (li, (s, l)) in stems.into_iter().zip(loose_keys).enumerate() {
            langs[li] = LangIndex {
                stems: s.build(),
                loose: l.build(),
            };
        }
        Recognizer {
            concepts,
            langs,
            term_stems,
        }
    }

    /// Whether `text` contains an allowed (preferred or admitted) term of `concept` in `lang`
    /// anywhere, overlapping other terms or not. [`Recognizer::find`] reports only the longest
    /// term at each place; QA asks this instead, so a target term inside a longer one ("COVID-19"
    /// inside "the spread of COVID-19") still counts as present.
    pub fn mentions(&self, lang: Lang, text: &Prepared<'_>, concept: usize) -> bool {
        let terms = &self.concepts[concept].terms;
        self.term_stems[concept]
            .iter()
            .zip(terms)
            .filter(|(stems, term)| {
                term.lang == lang && term.status.is_allowed() && !stems.is_empty()
            })
            .any(|(stems, _)| {
                text.words.windows(stems.len()).any(|window| {
                    window
                        .iter()
                        .zip(stems)
                        .enumerate()
                        .all(|(k, (word, stem))| {
                            word.keys.contains(stem) || (k == 0 && word.first.contains(stem))
                        })
                })
            })
    }

    pub fn concepts(&self) -> &[Concept] {
        &self.concepts
    }

    pub fn concept(&self, index: usize) -> &Concept {
        &self.concepts[index]
    }

    pub fn term(&self, occurrence: &Occurrence) -> &Term {
        &self.concepts[occurrence.concept].terms[occurrence.term]
    }

    /// Every term of `lang` found in `text`, in text order; longest match first, no overlaps.
    /// A span found for several concepts (homonyms) gives one occurrence per concept.
    pub fn find(&self, lang: Lang, text: &str) -> Vec<Occurrence> {
        if self.langs[lang.index()].stems.is_none() {
            return Vec::new();
        }
        self.find_tokens(lang, text, &content(lang, text))
    }

    /// [`Recognizer::find`] on a text already tokenized for [`Recognizer::mentions`].
    pub fn find_in(&self, prepared: &Prepared<'_>) -> Vec<Occurrence> {
        self.find_tokens(prepared.lang, prepared.text, &prepared.tokens)
    }

    fn find_tokens(&self, lang: Lang, text: &str, tokens: &[Token]) -> Vec<Occurrence> {
        let index = &self.langs[lang.index()];
        let mut taken = vec![false; tokens.len()];
        let mut found = Vec::new();
        if let Some(keyed) = &index.stems {
            scan(keyed, lang, text, tokens, stem_key, &mut taken, &mut found);
        }
        if let Some(keyed) = &index.loose {
            scan(keyed, lang, text, tokens, loose, &mut taken, &mut found);
            found.sort_by_key(|o| o.start);
        }
        found
    }
}

/// One pass over the text with one automaton: at each word not yet part of a term, the longest
/// term starting there (anchored search), verified for case where the term asks for it.
fn scan(
    keyed: &Keyed,
    lang: Lang,
    text: &str,
    tokens: &[Token],
    key: KeyFn,
    taken: &mut [bool],
    found: &mut Vec<Occurrence>,
) {
    let mut haystack = String::new();
    let mut starts = Vec::with_capacity(tokens.len() + 1);
    for t in tokens {
        starts.push(haystack.len());
        haystack.push_str(&key(lang, t));
        haystack.push(SEP);
    }
    starts.push(haystack.len());
    let mut i = 0;
    while i < tokens.len() {
        if taken[i] {
            i += 1;
            continue;
        }
        let input = Input::new(&haystack)
            .range(starts[i]..)
            .anchored(Anchored::Yes);
        let mut hit = keyed
            .automaton
            .find(input)
            .map(|m| (m.pattern(), tokens_through(&starts, m.end())));
        if hit.is_none() {
            // The first word with an attached proclitic: the rest of the haystack after it.
            for variant in first_word_variants(lang, &tokens[i]) {
                let mut alt = variant;
                alt.push(SEP);
                let offset = alt.len() as isize - (starts[i + 1] - starts[i]) as isize;
                alt.push_str(&haystack[starts[i + 1]..]);
                let input = Input::new(&alt).anchored(Anchored::Yes);
                if let Some(m) = keyed.automaton.find(input) {
                    let end = (m.end() as isize - offset) as usize + starts[i];
                    hit = Some((m.pattern(), tokens_through(&starts, end)));
                    break;
                }
            }
        }
        let Some((pid, last)) = hit else {
            i += 1;
            continue;
        };
        if taken[i..=last].iter().any(|&t| t) {
            i += 1;
            continue;
        }
        let surfaces: Vec<&str> = tokens[i..=last]
            .iter()
            .map(|t| &text[t.start..t.end])
            .collect();
        let mut concepts_here = Vec::new();
        for entry in &keyed.entries[pid.as_usize()] {
            if entry.case_sensitive && !same_case(&entry.surfaces, &surfaces) {
                continue;
            }
            if concepts_here.contains(&entry.concept) {
                continue;
            }
            concepts_here.push(entry.concept);
            found.push(Occurrence {
                start: tokens[i].start,
                end: tokens[last].end,
                concept: entry.concept,
                term: entry.term,
            });
        }
        if concepts_here.is_empty() {
            i += 1;
        } else {
            taken[i..=last].iter_mut().for_each(|t| *t = true);
            i = last + 1;
        }
    }
}

/// The index of the last token of a match ending at byte `end` of the haystack (always just
/// after a separator, so at the start of the next token).
fn tokens_through(starts: &[usize], end: usize) -> usize {
    starts.partition_point(|&s| s < end) - 1
}

/// A case-sensitive term matches when each word of the text starts with the term's word as
/// written ("NATO" matches "NATO's", not "nato").
fn same_case(term: &[String], text: &[&str]) -> bool {
    term.len() == text.len()
        && term
            .iter()
            .zip(text)
            .all(|(t, s)| s.starts_with(t.as_str()))
}

/// Character (Unicode scalar) offset of a byte offset in `text`, for APIs that count characters.
pub fn char_offset(text: &str, byte: usize) -> usize {
    text[..byte].chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::glossary::concept::Status;

    fn concept(id: &str, terms: &[(Lang, &str, Status)]) -> Concept {
        Concept {
            id: id.into(),
            terms: terms
                .iter()
                .map(|(l, t, s)| Term::new(*l, *t, *s))
                .collect(),
            ..Concept::default()
        }
    }

    fn glossary() -> Recognizer {
        use Lang::*;
        use Status::*;
        Recognizer::new(vec![
            concept(
                "computer",
                &[(En, "computer", Preferred), (Ar, "حاسوب", Preferred)],
            ),
            concept(
                "psf",
                &[
                    (En, "Peshmerga Security Forces", Preferred),
                    (Ckb, "هێزەکانی پێشمەرگە", Preferred),
                    (Kmr, "hêzên pêşmerge", Preferred),
                ],
            ),
            concept(
                "peshmerga",
                &[(En, "Peshmerga", Preferred), (Ckb, "پێشمەرگە", Preferred)],
            ),
            concept(
                "krg",
                &[
                    (En, "Kurdistan Region", Preferred),
                    (Kmr, "Herêma Kurdistanê", Preferred),
                ],
            ),
            concept(
                "who",
                &[
                    (Ar, "منظمة الصحة العالمية", Preferred),
                    (En, "WHO", Preferred),
                ],
            ),
            concept(
                "daesh",
                &[(Ar, "داعش", Preferred), (Ar, "الدولة الإسلامية", Forbidden)],
            ),
        ])
    }

    fn found(r: &Recognizer, lang: Lang, text: &str) -> Vec<(String, String)> {
        r.find(lang, text)
            .iter()
            .map(|o| {
                (
                    text[o.start..o.end].to_string(),
                    r.concept(o.concept).id.clone(),
                )
            })
            .collect()
    }

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn english_plural_and_case() {
        let r = glossary();
        assert_eq!(
            found(&r, Lang::En, "Two Computers were delivered."),
            pairs(&[("Computers", "computer")])
        );
    }

    #[test]
    fn arabic_clitics_attached() {
        let r = glossary();
        assert_eq!(
            found(&r, Lang::Ar, "بالحاسوب"),
            pairs(&[("بالحاسوب", "computer")])
        );
        assert_eq!(
            found(&r, Lang::Ar, "أعلنت لمنظمة الصحة العالمية"),
            pairs(&[("لمنظمة الصحة العالمية", "who")])
        );
    }

    #[test]
    fn longest_term_wins_and_nothing_overlaps() {
        let r = glossary();
        assert_eq!(
            found(
                &r,
                Lang::En,
                "the Peshmerga Security Forces and the Peshmerga"
            ),
            pairs(&[
                ("Peshmerga Security Forces", "psf"),
                ("Peshmerga", "peshmerga")
            ])
        );
    }

    #[test]
    fn sorani_suffixes_and_keyboard_variants() {
        let r = glossary();
        assert_eq!(
            found(&r, Lang::Ckb, "پێشمەرگەکان"),
            pairs(&[("پێشمەرگەکان", "peshmerga")])
        );
        // Arabic keyboard: ي for ی, ك for ک.
        assert_eq!(
            found(&r, Lang::Ckb, "هێزەكاني پێشمەرگە"),
            pairs(&[("هێزەكاني پێشمەرگە", "psf")])
        );
    }

    #[test]
    fn kurmanji_without_diacritics() {
        let r = glossary();
        assert_eq!(
            found(&r, Lang::Kmr, "li Herema Kurdistane"),
            pairs(&[("Herema Kurdistane", "krg")])
        );
    }

    #[test]
    fn case_sensitive_terms() {
        let mut who = concept("who", &[(Lang::En, "WHO", Status::Preferred)]);
        who.terms[0].case_sensitive = true;
        let r = Recognizer::new(vec![who]);
        assert_eq!(
            found(&r, Lang::En, "the WHO said"),
            pairs(&[("WHO", "who")])
        );
        assert!(found(&r, Lang::En, "who said").is_empty());
    }

    #[test]
    fn no_partial_words() {
        let r = glossary();
        // A word that merely begins like a term's word is not the term.
        assert!(found(&r, Lang::En, "a Kurdistani region").is_empty());
        assert!(found(&r, Lang::Ar, "حاسوبي").len() <= 1);
    }

    #[test]
    fn offsets_count_characters() {
        let text = "بالحاسوب";
        assert_eq!(char_offset(text, text.len()), 8);
    }
}
