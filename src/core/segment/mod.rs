//! Sentence segmentation per language, so that a pasted paragraph is matched sentence by sentence.
//!
//! A translation memory stores sentences; a user pastes paragraphs. If the paragraph is cut in
//! the wrong place ("Lt. | Gen. Smith said", "2. | 5 km") no stored sentence matches any piece,
//! so segmentation decides what the memory can find at all.
//!
//! # Why rules as data
//!
//! Segmentation is a list of exceptions to "a full stop ends a sentence", and the list grows
//! with every press release that breaks it. The exceptions therefore live in a table,
//! `rules.txt` next to this file, in the model of SRX (the Segmentation Rules eXchange
//! standard that CAT tools share): at every position between two characters the rules of the text's language
//! are tried in order; a rule matches when its *before* pattern matches the text ending at the
//! position and its *after* pattern the text starting there, and the first match decides
//! `break` or `keep`. Adding an abbreviation or a language is an edit to the table, reviewed as
//! data, not a new branch in code. Why each rule exists is written next to it in the table.
//!
//! SRX uses regular expressions; Werger has no regex dependency, and a segmenter runs on every
//! request, so the patterns are a small language of their own (`Atom` below): character classes
//! with possessive, bounded repetition, word lists and two zero-width tests. Possessive means a
//! repetition never gives characters back, which is enough for these patterns and keeps matching
//! linear in the text length whatever the input (no backtracking blow-up on hostile text).
//!
//! Existing crates were measured and rejected (see `LANGUAGE-NOTES.md`, Segmentation): ICU4X
//! and `unicode-segmentation` break after every abbreviation, and the `srx` crate mis-reads
//! LanguageTool's English rules.
//!
//! # The table format
//!
//! ```text
//! list NAME: WORD WORD …                  a word list, used as @NAME
//! LANGS break|keep BEFORE / AFTER          a rule (either pattern may be empty)
//! ```
//!
//! `LANGS` is `*`, `latin` (en, kmr), `arabic` (ar, ckb) or language codes joined by commas.
//! Atoms: `[chars]`, `[^chars]`, `{class}`, `{^class}` (classes: `space hspace eol upper lower
//! digit letter alnum arabic close open any`), `@list` (a whole word from the list,
//! case-sensitive), `{wb}` (word boundary) and `{bol}` (start of a line). Classes take `?`, `*`
//! or `+`. Lines starting with `#` are comments.

use std::sync::OnceLock;

use crate::core::lang::Lang;
use crate::core::letters::{is_alphabetic, is_alphanumeric, is_numeric};

/// The rule table, embedded at compile time and parsed once.
const RULES: &str = include_str!("rules.txt");

/// Longest run a repeated class consumes. Real text never needs more (a few closing quotes, a
/// few spaces); the bound keeps the worst case linear on hostile input such as a million `)`.
const MAX_RUN: usize = 64;

/// Byte ranges of the sentences of `text` in language `lang`, trimmed of surrounding white
/// space, in order. Empty and white-space-only pieces are dropped; any input is accepted.
pub fn sentences(lang: Lang, text: &str) -> Vec<(usize, usize)> {
    let table = table();
    let rules = &table.by_lang[lang.index()];
    let chars: Vec<char> = text.chars().collect();
    let mut offsets: Vec<usize> = text.char_indices().map(|(at, _)| at).collect();
    offsets.push(text.len());

    let mut out = Vec::new();
    let mut start = 0;
    for (pos, &offset) in offsets.iter().enumerate().take(chars.len()).skip(1) {
        let breaks = rules
            .iter()
            .find(|rule| {
                rule.before.matches_before(&chars, pos, &table.lists)
                    && rule.after.matches_after(&chars, pos, &table.lists)
            })
            .is_some_and(|rule| rule.action == Action::Break);
        if breaks {
            push_trimmed(text, start, offset, &mut out);
            start = offset;
        }
    }
    push_trimmed(text, start, text.len(), &mut out);
    out
}

fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<(usize, usize)>) {
    let piece = &text[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    if lead + trail < piece.len() {
        out.push((start + lead, end - trail));
    }
}

/// What a matching rule decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Break,
    Keep,
}

/// One row of the table.
#[derive(Debug, Clone)]
struct Rule {
    action: Action,
    before: Pattern,
    after: Pattern,
}

/// The parsed table: word lists (each sorted longest first, so a match is the longest word)
/// and, per language, its rules in priority order.
#[derive(Debug)]
struct Table {
    lists: Vec<Vec<Vec<char>>>,
    by_lang: [Vec<Rule>; 4],
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    // The table is a compile-time constant, checked by the test
    // `rules_table_parses_and_covers_every_language`: a parse error is a build defect, never a
    // consequence of user input.
    TABLE.get_or_init(|| parse(RULES).unwrap_or_else(|e| panic!("segment/rules.txt: {e}")))
}

/// A named or literal character class, possibly negated.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Chars(Vec<char>),
    Space,
    HSpace,
    Eol,
    Upper,
    Lower,
    Digit,
    Letter,
    Alnum,
    Arabic,
    Close,
    Open,
    Any,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Class {
    kind: Kind,
    negated: bool,
}

/// Characters that end a line.
fn is_eol(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// White space, plus the invisible format characters that real text carries between words
/// (zero-width space, direction marks, the BOM), which separate words as a space does.
fn is_space(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{200B}' | '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{2060}' | '\u{FEFF}'
        )
}

/// A letter of the Arabic script (Arabic, Sorani, Persian letters and their presentation forms).
fn is_arabic(c: char) -> bool {
    matches!(c,
        '\u{0620}'..='\u{064A}' | '\u{066E}'..='\u{06D3}' | '\u{06D5}' | '\u{06EE}'..='\u{06EF}'
        | '\u{06FA}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}'
        | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
        && is_alphabetic(c)
}

/// Part of a word, for word boundaries: letters, digits, combining marks (Arabic vowel signs)
/// and the zero-width (non-)joiners that Sorani and Persian write inside words.
fn is_word(c: char) -> bool {
    const MARKS: [(char, char); 4] = [
        ('\u{0300}', '\u{036F}'),
        ('\u{064B}', '\u{065F}'),
        ('\u{0670}', '\u{0670}'),
        ('\u{200C}', '\u{200D}'),
    ];
    is_alphanumeric(c) || MARKS.iter().any(|&(lo, hi)| (lo..=hi).contains(&c))
}

impl Class {
    fn matches(&self, c: char) -> bool {
        let hit = match &self.kind {
            Kind::Chars(set) => set.contains(&c),
            Kind::Space => is_space(c),
            Kind::HSpace => is_space(c) && !is_eol(c),
            Kind::Eol => is_eol(c),
            Kind::Upper => c.is_uppercase(),
            Kind::Lower => c.is_lowercase(),
            Kind::Digit => is_numeric(c),
            Kind::Letter => is_alphabetic(c),
            Kind::Alnum => is_alphanumeric(c),
            Kind::Arabic => is_arabic(c),
            // After a terminal mark a quote closes, whichever way it is drawn; Arabic text
            // uses « » in both directions.
            Kind::Close => matches!(
                c,
                '"' | '\'' | '”' | '’' | '»' | '«' | '›' | ')' | ']' | '}'
            ),
            Kind::Open => matches!(
                c,
                '"' | '\'' | '“' | '‘' | '„' | '«' | '»' | '‹' | '(' | '[' | '{'
            ),
            Kind::Any => true,
        };
        hit != self.negated
    }
}

/// One element of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Atom {
    /// A class repeated `min..=max` times (possessively).
    Class {
        class: Class,
        min: usize,
        max: usize,
    },
    /// A word from list number `n`, not glued to a letter or digit on its outer side.
    List(usize),
    /// Zero width: no word character on the far side (or the edge of the text).
    WordBoundary,
    /// Zero width: the start of the text or of a line.
    LineStart,
}

/// A sequence of atoms; the empty pattern matches everywhere.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Pattern(Vec<Atom>);

impl Pattern {
    /// Whether the pattern matches text ending at `pos`, matched right to left.
    fn matches_before(&self, chars: &[char], mut pos: usize, lists: &[Vec<Vec<char>>]) -> bool {
        for atom in self.0.iter().rev() {
            match atom {
                Atom::Class { class, min, max } => {
                    let mut n = 0;
                    while n < *max && pos > 0 && class.matches(chars[pos - 1]) {
                        pos -= 1;
                        n += 1;
                    }
                    if n < *min {
                        return false;
                    }
                }
                Atom::List(i) => {
                    let found = lists[*i].iter().find(|w| {
                        pos >= w.len()
                            && chars[pos - w.len()..pos] == w[..]
                            && (pos == w.len() || !is_word(chars[pos - w.len() - 1]))
                    });
                    match found {
                        Some(w) => pos -= w.len(),
                        None => return false,
                    }
                }
                Atom::WordBoundary => {
                    if pos > 0 && is_word(chars[pos - 1]) {
                        return false;
                    }
                }
                Atom::LineStart => {
                    if pos > 0 && !is_eol(chars[pos - 1]) {
                        return false;
                    }
                }
            }
        }
        true
    }

    /// Whether the pattern matches text starting at `pos`, matched left to right.
    fn matches_after(&self, chars: &[char], mut pos: usize, lists: &[Vec<Vec<char>>]) -> bool {
        for atom in &self.0 {
            match atom {
                Atom::Class { class, min, max } => {
                    let mut n = 0;
                    while n < *max && pos < chars.len() && class.matches(chars[pos]) {
                        pos += 1;
                        n += 1;
                    }
                    if n < *min {
                        return false;
                    }
                }
                Atom::List(i) => {
                    let found = lists[*i].iter().find(|w| {
                        let end = pos + w.len();
                        end <= chars.len()
                            && chars[pos..end] == w[..]
                            && (end == chars.len() || !is_word(chars[end]))
                    });
                    match found {
                        Some(w) => pos += w.len(),
                        None => return false,
                    }
                }
                Atom::WordBoundary => {
                    if pos < chars.len() && is_word(chars[pos]) {
                        return false;
                    }
                }
                // A line starts after the position only if the position follows a line break.
                Atom::LineStart => {
                    if pos > 0 && !is_eol(chars[pos - 1]) {
                        return false;
                    }
                }
            }
        }
        true
    }
}

/// Parse the table text. Errors name the line.
fn parse(src: &str) -> Result<Table, String> {
    let mut names: Vec<String> = Vec::new();
    let mut lists: Vec<Vec<Vec<char>>> = Vec::new();
    let mut by_lang: [Vec<Rule>; 4] = Default::default();
    for (n, line) in src.lines().enumerate() {
        let line = line.trim();
        let err = |msg: String| format!("line {}: {msg}", n + 1);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix("list ") {
            let (name, words) = rest
                .split_once(':')
                .ok_or_else(|| err("a list needs `NAME: words`".into()))?;
            let name = name.trim();
            if names.iter().any(|n| n == name) {
                return Err(err(format!("list {name} defined twice")));
            }
            let mut words: Vec<Vec<char>> = words
                .split_whitespace()
                .map(|w| w.chars().collect())
                .collect();
            if words.is_empty() {
                return Err(err(format!("list {name} is empty")));
            }
            words.sort_by_key(|w| std::cmp::Reverse(w.len()));
            names.push(name.to_string());
            lists.push(words);
            continue;
        }
        let (left, right) = line
            .split_once(" / ")
            .or_else(|| line.strip_suffix(" /").map(|l| (l, "")))
            .ok_or_else(|| err("a rule needs ` / ` between its patterns".into()))?;
        let mut fields = left.split_whitespace();
        let langs = fields.next().ok_or_else(|| err("empty rule".into()))?;
        let action = match fields.next() {
            Some("break") => Action::Break,
            Some("keep") => Action::Keep,
            other => return Err(err(format!("expected break or keep, found {other:?}"))),
        };
        let before = parse_pattern(fields, &names).map_err(&err)?;
        let after = parse_pattern(right.split_whitespace(), &names).map_err(&err)?;
        let rule = Rule {
            action,
            before,
            after,
        };
        let mut any = false;
        for lang in Lang::ALL {
            let selected = langs.split(',').any(|l| match l {
                "*" => true,
                "latin" => lang.script() == crate::core::lang::Script::Latin,
                "arabic" => lang.script() == crate::core::lang::Script::Arabic,
                code => code == lang.code(),
            });
            if selected {
                by_lang[lang.index()].push(rule.clone());
                any = true;
            }
        }
        if !any {
            return Err(err(format!("no language matches {langs:?}")));
        }
    }
    Ok(Table { lists, by_lang })
}

fn parse_pattern<'a>(
    tokens: impl Iterator<Item = &'a str>,
    names: &[String],
) -> Result<Pattern, String> {
    let mut atoms = Vec::new();
    for token in tokens {
        if let Some(name) = token.strip_prefix('@') {
            let i = names
                .iter()
                .position(|n| n == name)
                .ok_or_else(|| format!("unknown list @{name}"))?;
            atoms.push(Atom::List(i));
            continue;
        }
        match token {
            "{wb}" => {
                atoms.push(Atom::WordBoundary);
                continue;
            }
            "{bol}" => {
                atoms.push(Atom::LineStart);
                continue;
            }
            _ => {}
        }
        // A quantifier is a last `?`, `*` or `+` after the closing `]` or `}` of the atom.
        let quantified =
            token.len() > 1 && matches!(token.as_bytes()[token.len() - 2], b']' | b'}');
        let (body, min, max) = match token.chars().last() {
            Some('?') if quantified => (&token[..token.len() - 1], 0, 1),
            Some('*') if quantified => (&token[..token.len() - 1], 0, MAX_RUN),
            Some('+') if quantified => (&token[..token.len() - 1], 1, MAX_RUN),
            _ => (token, 1, 1),
        };
        atoms.push(Atom::Class {
            class: parse_class(body)?,
            min,
            max,
        });
    }
    Ok(Pattern(atoms))
}

fn parse_class(body: &str) -> Result<Class, String> {
    if let Some(inner) = body.strip_prefix('[').and_then(|b| b.strip_suffix(']')) {
        let (negated, set) = match inner.strip_prefix('^') {
            Some(rest) if !rest.is_empty() => (true, rest),
            _ => (false, inner),
        };
        if set.is_empty() {
            return Err(format!("empty set {body}"));
        }
        return Ok(Class {
            kind: Kind::Chars(set.chars().collect()),
            negated,
        });
    }
    let inner = body
        .strip_prefix('{')
        .and_then(|b| b.strip_suffix('}'))
        .ok_or_else(|| format!("not an atom: {body:?}"))?;
    let (negated, name) = match inner.strip_prefix('^') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    let kind = match name {
        "space" => Kind::Space,
        "hspace" => Kind::HSpace,
        "eol" => Kind::Eol,
        "upper" => Kind::Upper,
        "lower" => Kind::Lower,
        "digit" => Kind::Digit,
        "letter" => Kind::Letter,
        "alnum" => Kind::Alnum,
        "arabic" => Kind::Arabic,
        "close" => Kind::Close,
        "open" => Kind::Open,
        "any" => Kind::Any,
        _ => return Err(format!("unknown class {{{name}}}")),
    };
    Ok(Class { kind, negated })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(lang: Lang, text: &str) -> Vec<&str> {
        sentences(lang, text)
            .into_iter()
            .map(|(s, e)| &text[s..e])
            .collect()
    }

    #[test]
    fn rules_table_parses_and_covers_every_language() {
        let table = parse(RULES).unwrap();
        for lang in Lang::ALL {
            assert!(!table.by_lang[lang.index()].is_empty(), "{lang}");
        }
        assert!(parse("* break [.] / {nope}").is_err());
        assert!(parse("* maybe [.] /").is_err());
        assert!(parse("* keep @missing /").is_err());
        assert!(parse("xx keep [.] /").is_err());
    }

    #[test]
    fn english_press_release_abbreviations() {
        let text = "“We will continue to support our partners,” said Col. Wayne Marotto. \
            Lt. Gen. Paul Funk visited the U.S. Embassy on Feb. 14 with Brig. Gen. Ali and \
            Maj. Gen. Smith. Dr. Jones and Mr. Brown briefed the U.N. envoy, i.e. the head of \
            mission. Resolution No. 2254 was cited. J. Smith signed it.";
        assert_eq!(
            split(Lang::En, text),
            vec![
                "“We will continue to support our partners,” said Col. Wayne Marotto.",
                "Lt. Gen. Paul Funk visited the U.S. Embassy on Feb. 14 with Brig. Gen. Ali and \
                 Maj. Gen. Smith.",
                "Dr. Jones and Mr. Brown briefed the U.N. envoy, i.e. the head of mission.",
                "Resolution No. 2254 was cited.",
                "J. Smith signed it.",
            ]
        );
    }

    #[test]
    fn english_numbers_lists_and_ambiguous_abbreviations() {
        assert_eq!(
            split(
                Lang::En,
                "Cases rose by 2.5 percent to 1.000.000 in Feb. The rate fell."
            ),
            vec![
                "Cases rose by 2.5 percent to 1.000.000 in Feb.",
                "The rate fell."
            ]
        );
        assert_eq!(
            split(
                Lang::En,
                "Bring water, food, etc. The convoy leaves at 9 a.m. and returns."
            ),
            vec![
                "Bring water, food, etc.",
                "The convoy leaves at 9 a.m. and returns."
            ]
        );
        assert_eq!(
            split(
                Lang::En,
                "Zhou et al. reported it (e.g. in Wuhan). Patients had hepatitis B. The trial ended."
            ),
            vec![
                "Zhou et al. reported it (e.g. in Wuhan).",
                "Patients had hepatitis B.",
                "The trial ended."
            ]
        );
    }

    #[test]
    fn english_times_and_mixed_case_words() {
        assert_eq!(
            split(
                Lang::En,
                "The briefing starts at 10 a.m. Central European Time. Doors open at 9 a.m. \
                 The press will be seated. Pfizer tested a vaccine. mRNA vaccines are new."
            ),
            vec![
                "The briefing starts at 10 a.m. Central European Time.",
                "Doors open at 9 a.m.",
                "The press will be seated.",
                "Pfizer tested a vaccine.",
                "mRNA vaccines are new.",
            ]
        );
    }

    #[test]
    fn ellipsis_quotes_and_brackets() {
        assert_eq!(
            split(
                Lang::En,
                "We waited... Then the trucks came. We waited… and waited."
            ),
            vec![
                "We waited...",
                "Then the trucks came.",
                "We waited… and waited."
            ]
        );
        assert_eq!(
            split(
                Lang::En,
                "He said: \"The road is open.\" The convoy left. “Why?” he asked."
            ),
            vec![
                "He said: \"The road is open.\"",
                "The convoy left.",
                "“Why?” he asked."
            ]
        );
        assert_eq!(
            split(
                Lang::En,
                "(See the WHO report.) The spread continues! Is it over? no"
            ),
            vec![
                "(See the WHO report.)",
                "The spread continues!",
                "Is it over?",
                "no"
            ]
        );
    }

    #[test]
    fn line_breaks_bullets_and_headings() {
        let text = "Coalition update\n\nKey points:\n- Wash your hands.\n* Keep your distance\n\
                    • Stay at home\n1. Call a doctor. Do not go to the clinic.\n2) Rest\n  a. Drink water";
        assert_eq!(
            split(Lang::En, text),
            vec![
                "Coalition update",
                "Key points:",
                "- Wash your hands.",
                "* Keep your distance",
                "• Stay at home",
                "1. Call a doctor.",
                "Do not go to the clinic.",
                "2) Rest",
                "a. Drink water",
            ]
        );
        assert_eq!(
            split(Lang::En, "Title\r\nBody text."),
            vec!["Title", "Body text."]
        );
    }

    #[test]
    fn arabic_punctuation() {
        let text = "قال المتحدث إن القوات وصلت إلى المدينة. وأضاف أن الوضع مستقر، وأن المساعدات \
                    في الطريق؛ ولم يقدم تفاصيل. هل انتهت العملية؟ لا.";
        assert_eq!(
            split(Lang::Ar, text),
            vec![
                "قال المتحدث إن القوات وصلت إلى المدينة.",
                "وأضاف أن الوضع مستقر، وأن المساعدات في الطريق؛ ولم يقدم تفاصيل.",
                "هل انتهت العملية؟",
                "لا.",
            ]
        );
        // No space after the full stop, a decimal number, a title and a dotted abbreviation.
        assert_eq!(
            split(Lang::Ar, "انتهى الاجتماع.وقال الوزير إن النمو بلغ 2.5 في المئة.التقى د. أحمد بالوفد ثم أ.د. سعيد."),
            vec![
                "انتهى الاجتماع.",
                "وقال الوزير إن النمو بلغ 2.5 في المئة.",
                "التقى د. أحمد بالوفد ثم أ.د. سعيد.",
            ]
        );
        assert_eq!(
            split(Lang::Ar, "«لن نتراجع.» وغادر الوفد۔ ثم عاد"),
            vec!["«لن نتراجع.»", "وغادر الوفد۔", "ثم عاد"]
        );
    }

    #[test]
    fn sorani_punctuation() {
        let text = "هێزەکانی هاوپەیمانی گەیشتنە شارەکە. بەرپرسێک وتی کە دۆخەکە ئارامە، بەڵام \
                    مەترسی هەیە؛ کارەکە بەردەوامە. ئایا یارمەتی گەیشت؟ بەڵێ.کۆبوونەوەکە تەواو بوو.";
        assert_eq!(
            split(Lang::Ckb, text),
            vec![
                "هێزەکانی هاوپەیمانی گەیشتنە شارەکە.",
                "بەرپرسێک وتی کە دۆخەکە ئارامە، بەڵام مەترسی هەیە؛ کارەکە بەردەوامە.",
                "ئایا یارمەتی گەیشت؟",
                "بەڵێ.",
                "کۆبوونەوەکە تەواو بوو.",
            ]
        );
        assert_eq!(
            split(
                Lang::Ckb,
                "وەک Zhou et al. باسیان کردووە، ڤایرۆسەکە بڵاو بووەوە."
            ),
            vec!["وەک Zhou et al. باسیان کردووە، ڤایرۆسەکە بڵاو بووەوە."]
        );
    }

    #[test]
    fn kurmanji_sentences() {
        let text = "Hêzên koalîsyonê gihîştin bajêr. Berdevk got ku rewş aram e, lê xetere heye. \
                    Ma alîkarî gihîşt? Erê. Dr. Ahmed û Prof. Ranj li Şamê bûn.";
        assert_eq!(
            split(Lang::Kmr, text),
            vec![
                "Hêzên koalîsyonê gihîştin bajêr.",
                "Berdevk got ku rewş aram e, lê xetere heye.",
                "Ma alîkarî gihîşt?",
                "Erê.",
                "Dr. Ahmed û Prof. Ranj li Şamê bûn.",
            ]
        );
        // Lower-case sentence starts, which Kurmanji text often has, but not after an acronym;
        // a Kurmanji sentence opener after a capital letter.
        assert_eq!(
            split(
                Lang::Kmr,
                "Destên xwe bi sabûnê bişon. şûştina destan vîrusan dikuje. Ew li D.Y. û Çînê \
                 belav bû. Ev proteîna S. Di vê lêkolînê de hat dîtin... û hwd. hate gotin."
            ),
            vec![
                "Destên xwe bi sabûnê bişon.",
                "şûştina destan vîrusan dikuje.",
                "Ew li D.Y. û Çînê belav bû.",
                "Ev proteîna S.",
                "Di vê lêkolînê de hat dîtin... û hwd. hate gotin.",
            ]
        );
        // Capitals with diacritics start sentences too.
        assert_eq!(
            split(Lang::Kmr, "Nexweşî belav bû. Çend bajar hatin girtin."),
            vec!["Nexweşî belav bû.", "Çend bajar hatin girtin."]
        );
    }

    #[test]
    fn never_panics_and_ranges_are_trimmed_and_ordered() {
        let mut inputs: Vec<String> = [
            "",
            " ",
            "\n\n\t ",
            ".",
            "...",
            "?!?",
            "؟",
            "۔",
            ". . .",
            "\"",
            "“.”",
            "a.b",
            "1.",
            "ا.ب",
            "A.",
            "\u{200B}.\u{200B}",
            "Mr.",
            "e.g.",
            "\r\n.\r\n",
            "د.",
            "(((.)))",
            "é. É. ß. ﷺ. 😀. 😀",
            "١٢٫٥. ٣",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let sample = "Lt. Gen. Smith said: “It is 2.5 km.” انتهى.وقال د. أحمد؟ Erê. ئایا؟\n• 1. ok";
        for (i, _) in sample.char_indices() {
            inputs.push(sample[..i].to_string());
            inputs.push(sample[i..].to_string());
        }
        inputs.push(format!(".{}", ")".repeat(10_000)));
        inputs.push(format!("a.{} B", " ".repeat(10_000)));
        for text in &inputs {
            for lang in Lang::ALL {
                let mut last = 0;
                for (s, e) in sentences(lang, text) {
                    assert!(last <= s && s < e && e <= text.len(), "{text:?}");
                    let piece = &text[s..e];
                    assert_eq!(piece, piece.trim(), "{text:?}");
                    last = e;
                }
                // Every non-space character is in some sentence.
                let covered: usize = sentences(lang, text)
                    .iter()
                    .map(|&(s, e)| text[s..e].chars().filter(|c| !c.is_whitespace()).count())
                    .sum();
                assert_eq!(covered, text.chars().filter(|c| !c.is_whitespace()).count());
            }
        }
        assert!(sentences(Lang::En, "").is_empty());
        assert!(sentences(Lang::Ar, " \n ").is_empty());
        assert_eq!(split(Lang::En, "?!?"), vec!["?!?"]);
    }
}
