//! Light stemmers: one pure function, [`stem`], that maps an already-folded word key (the output
//! of [`super::normalize::fold`]) to a shorter key shared by its inflected forms.
//!
//! "Light" means affix stripping from fixed lists, with no dictionary: `hêzên` and `hêz` meet at
//! `hêz`, `والتحالف` and `تحالف` at `تحالف`. A light stemmer does not find roots or lemmas and
//! sometimes cuts a letter that belongs to the word; what it guarantees is that the inflected
//! forms it knows about are cut back to the same string, so the index and the fuzzy scorer can
//! treat them as one word. Each language has its own module with its affix lists, their sources
//! and its length guards:
//!
//! - English: Snowball English (Porter 2) through `rust-stemmers`.
//! - Arabic (module `arabic`): light10 (Larkey, Ballesteros & Connell 2007), the affix set also
//!   used by Lucene's `ArabicStemmer`.
//! - Sorani (module `sorani`): suffix stripping after Lucene's `SoraniStemmer`, KLPT's morpheme
//!   list and its Hunspell noun rules, and Sorani grammars.
//! - Kurmanji (module `kurmanji`): case, ezafe, indefinite and plural endings after KLPT's
//!   morpheme list and Hunspell noun rules, and Kurmanji grammars.
//!
//! Common rules: [`stem`] never panics; it returns the key unchanged when the key is empty, has
//! a digit, has no letter, or has a character outside the language's alphabet (a Latin word in
//! Arabic text, `covid-19`); and it never returns an empty string for a non-empty key, because
//! every stripping step is guarded by a minimum remaining length (2 or 3 letters, given per
//! language).

mod arabic;
mod kurmanji;
mod sorani;

use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

use super::lang::Lang;
use crate::core::letters::{is_alphabetic, is_numeric};

/// The light stem of a folded word (a key from `normalize::fold`).
///
/// Pure and thread-safe. Numbers, keys without letters and keys with characters foreign to
/// `lang` come back unchanged; otherwise the result is the key with the affixes of the
/// language's lists cut off, never empty (Kurmanji may also turn a stem-final `i` back into
/// `î`, see the `kurmanji` module).
pub fn stem(lang: Lang, key: &str) -> String {
    if key.is_empty() || key.chars().any(is_numeric) || !key.chars().any(is_alphabetic) {
        return key.to_string();
    }
    let out = match lang {
        Lang::En => english(key),
        Lang::Ar if key.chars().all(is_arabic_letter) => arabic::stem(key),
        Lang::Ckb if key.chars().all(is_arabic_letter) => sorani::stem(key),
        Lang::Kmr => kurmanji::stem(key),
        Lang::Ar | Lang::Ckb => return key.to_string(),
    };
    if out.is_empty() {
        key.to_string()
    } else {
        out
    }
}

/// Snowball English, created once (`rust_stemmers::Stemmer` holds only a function pointer, so a
/// shared instance is `Sync`). (The tokenizer remembers the words it has stemmed.)
fn english(key: &str) -> String {
    static ENGLISH: OnceLock<Stemmer> = OnceLock::new();
    ENGLISH
        .get_or_init(|| Stemmer::create(Algorithm::English))
        .stem(key)
        .into_owned()
}

/// A letter of the Arabic script (Arabic, Persian and Kurdish letters), as opposed to marks,
/// tatweel, digits and punctuation.
fn is_arabic_letter(c: char) -> bool {
    matches!(
        c,
        '\u{0621}'..='\u{063A}'
            | '\u{0641}'..='\u{064A}'
            | '\u{066E}'..='\u{066F}'
            | '\u{0671}'..='\u{06D3}'
            | '\u{06D5}'
            | '\u{06EE}'..='\u{06EF}'
            | '\u{06FA}'..='\u{06FC}'
            | '\u{06FF}'
    )
}

/// Number of letters (chars) in a key: the unit of every length guard.
fn letters(s: &str) -> usize {
    s.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::normalize::fold;

    /// Folds each surface form as the tokenizer does, stems it, and checks that every form of
    /// the group lands on `expected`. The message names the form that strayed.
    #[track_caller]
    pub(super) fn assert_group(lang: Lang, expected: &str, forms: &[&str]) {
        for form in forms {
            let key = fold(lang, form);
            assert_eq!(
                stem(lang, &key),
                expected,
                "{lang}: {form} (key {key}) should stem to {expected}"
            );
        }
    }

    /// Words that must come back exactly as they went in (after folding).
    #[track_caller]
    pub(super) fn assert_kept(lang: Lang, words: &[&str]) {
        for word in words {
            let key = fold(lang, word);
            assert_eq!(stem(lang, &key), key, "{lang}: {word} must not be stemmed");
        }
    }

    #[test]
    fn english_is_snowball() {
        assert_group(
            Lang::En,
            "govern",
            &["governments", "government", "Governing"],
        );
        assert_group(Lang::En, "forc", &["forces", "force", "forced"]);
        assert_group(Lang::En, "region", &["region’s", "regions", "region"]);
        assert_group(Lang::En, "allianc", &["alliance", "alliances"]);
    }

    #[test]
    fn numbers_and_non_letters_are_unchanged() {
        for lang in Lang::ALL {
            assert_eq!(stem(lang, "2021"), "2021");
            assert_eq!(stem(lang, "3.5"), "3.5");
            assert_eq!(stem(lang, "covid19"), "covid19");
            assert_eq!(stem(lang, "%"), "%");
            assert_eq!(stem(lang, ""), "");
        }
        // A Latin word inside Arabic-script text is not cut by Arabic rules, and vice versa.
        assert_eq!(stem(Lang::Ar, "isis"), "isis");
        assert_eq!(stem(Lang::Ckb, "isis"), "isis");
        assert_eq!(stem(Lang::Kmr, "الحكومه"), "الحكومه");
    }

    #[test]
    fn never_empty_for_short_words() {
        let samples = [
            (Lang::En, vec!["a", "s", "'s", "is"]),
            (
                Lang::Ar,
                vec!["و", "ال", "ها", "ين", "وال", "لل", "يه", "ه", "ي"],
            ),
            (
                Lang::Ckb,
                vec!["ە", "ی", "کە", "ان", "یان", "ەکان", "یش", "دا", "ێک"],
            ),
            (
                Lang::Kmr,
                vec!["a", "ê", "an", "ên", "yê", "ek", "eke", "yekê", "'ê"],
            ),
        ];
        for (lang, words) in samples {
            for w in words {
                assert!(!stem(lang, w).is_empty(), "{lang}: {w}");
            }
        }
    }

    #[test]
    fn stemming_is_idempotent_on_the_examples() {
        for (lang, words) in [
            (Lang::Ar, vec!["للتحالف", "الحكومات", "وزاره", "بالحاسوب"]),
            (
                Lang::Ckb,
                vec!["پێشمەرگەکانیش", "هێزەکانی", "کوردستانی", "وەزارەتەکان"],
            ),
            (
                Lang::Kmr,
                vec!["hêzên", "kurdistanê", "hevpeymaniyê", "pêşmergeyan"],
            ),
        ] {
            for w in words {
                let once = stem(lang, w);
                assert_eq!(stem(lang, &once), once, "{lang}: {w}");
            }
        }
    }
}
