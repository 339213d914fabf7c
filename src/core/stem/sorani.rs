//! Sorani (Central Kurdish, Arabic script) light stemming: suffix stripping only.
//!
//! Sources of the suffix facts: Lucene's `SoraniStemmer` (Apache-2.0; definite, indefinite,
//! plural, ezafe, possessive and postposition suffixes), KLPT's `ckb-morphemes.json` and the
//! noun rules (`SFX N`) of its Sorani Hunspell dictionary (Sina Ahmadi, CC BY-SA 4.0), and the
//! usual grammars (W. M. Thackston, *Sorani Kurdish: A Reference Grammar*). No code or data file
//! is copied; the lists below are facts of the language.
//!
//! A Sorani noun takes its suffixes in slots, e.g. `پێشمەرگە|کان|یش`, `هێز|ەکان|ی`,
//! `ناوچە|کە|وە`. Rather than one list of every combination (Hunspell has hundreds), the
//! stemmer cuts one *atomic* suffix at a time, longest first, and repeats until nothing
//! matches ([`RULES`]). Repeating also cuts a word's own look-alike ending, but it does so in
//! every form of the word, so the forms still meet (`باران`, `بارانەکە` → `بار`); allowing only
//! one definite/plural suffix per word was measured to break more groups than it saves
//! (nouns in `-ەک` such as `کۆمەک`, whose definite forms end up at `کۆم`).
//!
//! Length guard: every cut must leave at least [`MIN_STEM`] letters. Sorani writes its vowels,
//! so two letters with a vowel (`کە`, `بە`, `لە`, `دێ`, `پێ`, `خۆ`) are a word of their own, not
//! a stem; but the short vowel *i* is not written, so two consonants can be a noun (`شت`
//! "thing", `کچ` "girl", `دڵ` "heart"), and such a remainder is allowed.
//!
//! Stem-final `ە`. After a consonant the definite and indefinite suffixes carry a linking `ە`
//! (`هێز` → `هێزەکان`), after a vowel they do not (`پێشمەرگە` → `پێشمەرگەکان`), so
//! `ەکان` after a consonant and `کان` after a stem's own `ە` are the same letters. Without a
//! dictionary the two cannot be told apart; the stemmer therefore cuts `کان`/`کە` after `ە` or
//! `ا` and then drops a final `ە` (the rule Lucene also has). Every form of one noun then meets:
//! `هێز`, `هێزەکان`, `هێزەکانی` → `هێز`; `پێشمەرگە`, `پێشمەرگەکان`, `پێشمەرگەکانیش` → `پێشمەرگ`
//! (not `پێشمەرگە`, which only a dictionary could keep while still sending `هێزەکان` to `هێز`).
//!
//! Guarded ambiguities (see [`Cond`]):
//! - plural `ان` is not cut from place names in `-ستان` (`کوردستان`, `کوردستانی` → `کوردستان`),
//!   nor after `ا`/`ە`, nor from the words of [`KEPT_WHOLE`] (`ئێران`, `پەرلەمان`…);
//! - the one-letter pronoun clitics `م`/`ت` are cut only after a definite, indefinite or
//!   additive suffix (`ماڵەکەم`), because after a bare stem they are usually its own last
//!   letter (`حکومەت`, `دەوڵەت`, `ئیسلام`); `مان`/`تان` likewise need a vowel or such a suffix
//!   before them, since `وڵاتان` is `وڵات` + `ان`, not `وڵا` + `تان`, and `تان` not even a bare
//!   `ە` (`دەوڵەتان` is `دەوڵەت` + `ان`);
//! - `ێ` (oblique / colloquial indefinite) is cut only after a consonant.
//! - the additive `ش` is cut only after `ە` or `ا`, and the postposition `وە` only after `ە`
//!   (`ەوە` is cut as `وە`, then `ە`), keeping the vowel for later rules.
//!
//! Not handled: prefixes (`لە`, `بە` are normally written apart), verb morphology, the
//! comparative `تر`/`ترین`, and derivational suffixes.

use super::letters;

/// Fewest letters a cut may leave, unless they are two consonants (see the module notes).
pub(super) const MIN_STEM: usize = 3;

/// What must precede a suffix for it to be cut.
#[derive(Debug, Clone, Copy)]
pub(super) enum Cond {
    /// Anything.
    Any,
    /// A vowel letter: `ا ە ێ ۆ و ی` (the suffix's vowel-initial variant is used after
    /// consonants).
    Vowel,
    /// `ە` (a linking vowel or a stem's own) or `ا`. Not `ۆ و ی ێ`: there a stem-final `ک`
    /// is far more likely (`سەرۆکەکە` is `سەرۆک` + `ەکە`, not `سەرۆ` + `کە`; `ی`-final stems
    /// take `یەکە`).
    AOrE,
    /// A consonant (not `ا ە ێ ۆ و ی`).
    Consonant,
    /// The letter `ە` (so `ەوە` is cut as `وە`, leaving the `ە` for the final-`ە` rule).
    E,
    /// For plural `ان`: not `ا` or `ە`, and the word is not a `-ستان` place name.
    Plural,
    /// For `مان`/`تان`: a vowel `ە ی ێ ۆ`, or a definite/indefinite/additive suffix.
    VowelOrMarker,
    /// For `تان`: as [`Cond::VowelOrMarker`] but not after a bare `ە`, because nouns in `-ەت`
    /// (`حکومەت`, `دەوڵەت`, `سیاسەت`) take plural `ان`: `دەوڵەتان` is `دەوڵەت` + `ان`.
    VowelNotEOrMarker,
    /// For `م`/`ت`: a definite/indefinite/additive suffix.
    Marker,
}

/// The atomic suffixes, longest first (ties in this order), with what must precede them.
/// Glosses from Thackston's grammar; KLPT and Lucene list the same morphemes.
pub(super) const RULES: &[(&str, Cond)] = &[
    // Definite plural `(ە)کان` after its linking vowel or a vowel-final stem.
    ("کان", Cond::AOrE),
    // Indefinite singular after a vowel (`پێشمەرگەیەک`).
    ("یەک", Cond::Vowel),
    // 3rd plural pronoun "their", or plural `ان` after a vowel (`مامۆستایان`).
    ("یان", Cond::Any),
    // 1st/2nd plural pronouns "our", "your".
    ("مان", Cond::VowelOrMarker),
    ("تان", Cond::VowelNotEOrMarker),
    // Definite singular `(ە)کە`.
    ("کە", Cond::AOrE),
    // Indefinite singular after a consonant (`کاتێک`).
    ("ێک", Cond::Any),
    // Indefinite / oblique plural (`وڵاتان`, `بەرپرسان`).
    ("ان", Cond::Plural),
    // Additive clitic "also, too" after a consonant (`ئەویش`).
    ("یش", Cond::Any),
    // Postposition `ەوە` ("from"), cut as `وە` after `ە`. Not after `ا` (KLPT allows it):
    // stems in `-او` are common (`نووسراو`, `چاو`) and take the linking `ە` (`نووسراوەکە`).
    ("وە", Cond::E),
    // Postposition `دا` ("in").
    ("دا", Cond::Any),
    // Postposition `ڕا` ("from, through").
    ("ڕا", Cond::Any),
    // Ezafe, 3rd singular pronoun "his/her", adjectival `ی`.
    ("ی", Cond::Any),
    // Oblique / colloquial indefinite `ێ` after a consonant (`ڕۆژێ`, KLPT `ێ [^ایێە]`).
    ("ێ", Cond::Consonant),
    // Additive clitic after a vowel (`ئەوەش`, `مامۆستاش`); not after `ۆ ێ`, which end
    // stems in `ش` (`نەخۆش`, `ئێش`); after `ی` the `یش` rule applies.
    ("ش", Cond::AOrE),
    // 1st/2nd singular pronouns "my", "your".
    ("م", Cond::Marker),
    ("ت", Cond::Marker),
    // Stem-final `ە`, the copula "is", the demonstrative ending.
    ("ە", Cond::Any),
];

/// Words whose last letters look like a suffix but belong to the word: place names and common
/// words of official text. Checked before every cut, so `ئێرانی` stops at `ئێران`.
pub(super) const KEPT_WHOLE: &[&str] = &[
    "ئاسایش",
    "بەغدا",
    "پەیدا",
    "سەودا",
    "پەرلەمان",
    "ئێران",
    "تاران",
    "سۆران",
    "هەورامان",
    "گەرمیان",
    "ڕەمەزان",
    "لوبنان",
    "یۆنان",
    "سودان",
    "عومان",
    "ئەڵمان",
];

const VOWELS: [char; 6] = ['ا', 'ە', 'ێ', 'ۆ', 'و', 'ی'];

/// Definite, indefinite, plural and additive suffixes after which a pronoun clitic may stand
/// (`ماڵەکەم`, `ماڵێکم`, `ماڵانم`, `ماڵیشم`, `ماڵەکەشم`).
const MARKERS: [&str; 6] = ["کە", "ان", "ێک", "یەک", "یش", "کەش"];

/// The light stem of a Sorani key made only of Arabic-script letters.
pub(super) fn stem(key: &str) -> String {
    let mut word = key;
    'cut: loop {
        if KEPT_WHOLE.contains(&word) {
            break;
        }
        for &(suffix, cond) in RULES {
            let Some(rest) = word.strip_suffix(suffix) else {
                continue;
            };
            if long_enough(rest) && allowed(cond, word, rest) {
                word = rest;
                continue 'cut;
            }
        }
        break;
    }
    word.to_string()
}

/// The length guard: [`MIN_STEM`] letters, or two consonants.
fn long_enough(rest: &str) -> bool {
    let n = letters(rest);
    n >= MIN_STEM || (n == 2 && !rest.chars().any(|c| VOWELS.contains(&c)))
}

/// Whether `cond` holds for cutting `word` down to `rest`.
fn allowed(cond: Cond, word: &str, rest: &str) -> bool {
    let last = rest.chars().next_back();
    let ends_with_marker = || MARKERS.iter().any(|m| rest.ends_with(m));
    match cond {
        Cond::Any => true,
        Cond::Vowel => last.is_some_and(|c| VOWELS.contains(&c)),
        Cond::AOrE => matches!(last, Some('ا' | 'ە')),
        Cond::E => last == Some('ە'),
        Cond::Consonant => last.is_some_and(|c| !VOWELS.contains(&c)),
        Cond::Plural => !matches!(last, Some('ا' | 'ە')) && !is_stan_name(word),
        Cond::VowelOrMarker => matches!(last, Some('ە' | 'ی' | 'ێ' | 'ۆ')) || ends_with_marker(),
        Cond::VowelNotEOrMarker => matches!(last, Some('ی' | 'ێ' | 'ۆ')) || ends_with_marker(),
        Cond::Marker => ends_with_marker(),
    }
}

/// A place name in `-ستان` ("land of"): `کوردستان`, `پاکستان`; at least 3 letters before
/// `ستان`, so `دەستان` (`دەست` + `ان`, "hands") is still a plural.
fn is_stan_name(word: &str) -> bool {
    word.strip_suffix("ستان")
        .is_some_and(|head| letters(head) >= MIN_STEM)
}

#[cfg(test)]
mod tests {
    use super::super::stem as stem_key;
    use super::super::tests::{assert_group, assert_kept};
    use crate::core::lang::Lang::Ckb;

    #[test]
    fn brief_examples() {
        assert_group(
            Ckb,
            "هێز",
            &["هێزەکانی", "هێز", "هێزەکان", "هێزی", "هێزەکە"],
        );
        assert_group(
            Ckb,
            "وەزارەت",
            &["وەزارەتەکان", "وەزارەت", "وەزارەتی", "وەزارەتەکەی"],
        );
        assert_group(
            Ckb,
            "کوردستان",
            &["کوردستانی", "کوردستان", "کوردستانەوە", "کوردستاندا"],
        );
        // The stem-final ە is dropped with the linking ە (module notes).
        assert_group(
            Ckb,
            "پێشمەرگ",
            &[
                "پێشمەرگەکانیش",
                "پێشمەرگە",
                "پێشمەرگەکان",
                "پێشمەرگەکە",
                "پێشمەرگەیەک",
            ],
        );
    }

    #[test]
    fn definite_and_indefinite() {
        // (ە)کان, (ە)کە, ێک, یەک — after a consonant and after a vowel.
        assert_group(Ckb, "بانک", &["بانکەکان", "بانکەکە", "بانکێک", "بانک"]);
        assert_group(Ckb, "ناوچ", &["ناوچەکان", "ناوچەکە", "ناوچەیەک", "ناوچە"]);
        assert_group(
            Ckb,
            "مامۆستا",
            &["مامۆستاکان", "مامۆستاکە", "مامۆستایەک", "مامۆستا"],
        );
        // ێکی = ێک + ezafe ی; ەکەی, ەکانی likewise.
        assert_group(Ckb, "کات", &["کاتێکی", "کاتێک", "کاتەکەی", "کات"]);
    }

    #[test]
    fn plural_an_and_yan() {
        assert_group(Ckb, "وڵات", &["وڵاتان", "وڵاتانی", "وڵاتەکان", "وڵات"]);
        assert_group(
            Ckb,
            "بەرپرس",
            &["بەرپرسان", "بەرپرسانی", "بەرپرسی", "بەرپرس"],
        );
        assert_group(Ckb, "مامۆستا", &["مامۆستایان"]);
        assert_group(Ckb, "هاووڵات", &["هاووڵاتیان", "هاووڵاتی", "هاووڵاتییەکان"]);
        // دەست + ان is a plural even though it ends in ستان.
        assert_group(Ckb, "دەست", &["دەستان", "دەستی", "دەست"]);
    }

    #[test]
    fn pronoun_clitics() {
        // یان "their", مان "our", تان "your" (pl.).
        assert_group(
            Ckb,
            "هێز",
            &["هێزەکانیان", "هێزەکانمان", "هێزەکانتان", "هێزەکەمان"],
        );
        assert_group(Ckb, "ناوچ", &["ناوچەمان", "ناوچەکەتان"]);
        // تان after a bare ە is read as ت + plural ان (nouns in -ەت are common).
        assert_group(
            Ckb,
            "دەوڵەت",
            &["دەوڵەتان", "دەوڵەتانی", "دەوڵەتەکان", "دەوڵەت"],
        );
        // م "my", ت "your" (sg.) only after a definite/indefinite suffix.
        assert_group(
            Ckb,
            "ماڵ",
            &["ماڵەکەم", "ماڵەکەت", "ماڵەکانم", "ماڵێکم", "ماڵ"],
        );
        assert_kept(Ckb, &["حکومەت", "دەوڵەت", "ئیسلام", "بەڵام", "دەڵێت"]);
        assert_group(Ckb, "حکومەت", &["حکومەتەکەم", "حکومەتی", "حکومەتەکە"]);
    }

    #[test]
    fn additive_clitic() {
        // یش after a consonant, ش after a vowel.
        assert_group(Ckb, "ئەو", &["ئەویش", "ئەوەش", "ئەو"]);
        assert_group(Ckb, "کورد", &["کوردیش", "کوردەکانیش", "کورد"]);
        assert_kept(Ckb, &["ئاسایش", "پێش", "بەش", "خۆش"]);
    }

    #[test]
    fn postpositions() {
        // ەوە, دا, ڕا
        assert_group(Ckb, "بار", &["بارەوە", "بارەدا", "بار"]);
        assert_group(Ckb, "ناوچ", &["ناوچەکەوە", "ناوچەکەدا", "ناوچەکانەوە"]);
        assert_group(
            Ckb,
            "هەولێر",
            &["هەولێردا", "هەولێرەوە", "هەولێر", "هەولێرڕا"],
        );
        assert_group(Ckb, "بەغدا", &["بەغدا", "بەغدادا", "بەغدای"]);
    }

    #[test]
    fn ezafe_and_final_e() {
        assert_group(Ckb, "هەرێم", &["هەرێمی", "هەرێمە", "هەرێمەکە", "هەرێم"]);
        assert_group(
            Ckb,
            "سەرۆک",
            &["سەرۆکی", "سەرۆکەکەی", "سەرۆکەکان", "سەرۆکان", "سەرۆک"],
        );
        assert_group(Ckb, "نەخۆش", &["نەخۆشەکان", "نەخۆشی", "نەخۆش"]);
        // A word's own look-alike ending goes in every form.
        assert_group(Ckb, "بار", &["باران", "بارانەکە", "بارانی"]);
        // Arabic-keyboard spellings fold to the same keys first.
        assert_group(Ckb, "کورد", &["كوردی", "کوردي"]);
    }

    #[test]
    fn protected_names_and_stan() {
        assert_group(Ckb, "ئێران", &["ئێرانی", "ئێران", "ئێرانەوە"]);
        assert_group(Ckb, "پەرلەمان", &["پەرلەمانی", "پەرلەمانەکە", "پەرلەمان"]);
        assert_group(Ckb, "پاکستان", &["پاکستانی", "پاکستان"]);
    }

    #[test]
    fn two_consonant_stems() {
        // The short vowel i is not written: شت (şit), کچ (kiç), دڵ (dił).
        assert_group(Ckb, "شت", &["شتەکان", "شتی", "شتان", "شتێک", "شت"]);
        assert_group(Ckb, "کچ", &["کچەکە", "کچان", "کچ"]);
        assert_group(Ckb, "دڵ", &["دڵی", "دڵەکەم"]);
    }

    #[test]
    fn short_words_survive() {
        assert_kept(
            Ckb,
            &[
                "ئەو", "کە", "بە", "لە", "و", "یان", "دێ", "ژیان", "بۆ", "هەر", "من",
            ],
        );
        for w in ["ە", "ی", "کان", "ەکان", "یش", "ێک", "مان"] {
            assert!(!stem_key(Ckb, w).is_empty(), "{w}");
        }
    }

    #[test]
    fn rules_are_longest_first() {
        let lens: Vec<usize> = super::RULES
            .iter()
            .map(|(s, _)| s.chars().count())
            .collect();
        assert!(lens.windows(2).all(|w| w[0] >= w[1]), "{lens:?}");
    }
}
