//! Per-language normalization: the one definition of "the same word".
//!
//! [`fold`] turns one word (as cut by [`crate::core::tokenize`]) into its *match key*: the form
//! under which the index, the fuzzy scorer, the stemmer and the glossary compare words. The
//! rules are per language, because Arabic rules applied to Sorani destroy it (`ة` → `ه` turns a
//! vowel into a consonant): Sorani folds *towards* the Kurdish letters, Arabic towards the Arabic
//! ones. Every context-free rule is a row of a table below — code point, replacement, source,
//! and a real word it changes (checked by a test). The few rules that depend on the position in
//! the word (Sorani final heh, heh + ZWNJ, initial r) are in [`fold_sorani`], with theirs.
//!
//! Sources: Unicode (NFC, digit values, format characters); Lucene's `ArabicNormalizer` and
//! `SoraniNormalizer`; KLPT's preprocessing map; AsoSoft's normalizer; CAMeL Tools (Arabic
//! text typed on Persian keyboards); see `../shared/LANGUAGE-NOTES.md`.

use unicode_normalization::UnicodeNormalization;

use super::lang::Lang;

/// Where a rule comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The Unicode standard (character properties, NFC).
    Unicode,
    /// Apache Lucene `ArabicNormalizer`.
    LuceneArabic,
    /// Apache Lucene `SoraniNormalizer`.
    LuceneSorani,
    /// KLPT (Kurdish Language Processing Toolkit) preprocessing map.
    Klpt,
    /// AsoSoft's Kurdish text normalizer.
    AsoSoft,
    /// CAMeL Tools: Persian-keyboard letters in Arabic text.
    Camel,
}

/// One context-free rule: `from` becomes `to` (`None`: the character is removed).
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub from: char,
    pub to: Option<char>,
    pub source: Source,
    /// A real word containing `from`, and its match key.
    pub example: (&'static str, &'static str),
}

const fn map(from: char, to: char, source: Source, example: (&'static str, &'static str)) -> Rule {
    Rule {
        from,
        to: Some(to),
        source,
        example,
    }
}

const fn drop(from: char, source: Source, example: (&'static str, &'static str)) -> Rule {
    Rule {
        from,
        to: None,
        source,
        example,
    }
}

use Source::*;

/// Arabic (match fold). Harakat, tatweel and the digits are ranges, handled in [`fold_arabic`].
pub const ARABIC: &[Rule] = &[
    map('أ', 'ا', LuceneArabic, ("أربيل", "اربيل")),
    map('إ', 'ا', LuceneArabic, ("إقليم", "اقليم")),
    map('آ', 'ا', LuceneArabic, ("آذار", "اذار")),
    map('ٱ', 'ا', LuceneArabic, ("ٱلتحالف", "التحالف")),
    map('ى', 'ي', LuceneArabic, ("مستشفى", "مستشفي")),
    map('ة', 'ه', LuceneArabic, ("الحكومة", "الحكومه")),
    map('ی', 'ي', Camel, ("علی", "علي")),
    map('ک', 'ك', Camel, ("کركوك", "كركوك")),
    map('ھ', 'ه', Camel, ("ھذا", "هذا")),
    map('ە', 'ه', Camel, ("الحكومە", "الحكومه")),
    drop('\u{0640}', LuceneArabic, ("التحـــالف", "التحالف")),
    drop('\u{200C}', Unicode, ("مع\u{200C}هم", "معهم")),
    drop('\u{200D}', Unicode, ("مع\u{200D}هم", "معهم")),
];

/// Sorani (match fold), towards the Kurdish letters. `ە ێ ۆ ڕ ڵ ڤ پ چ ژ گ ئ` are kept.
pub const SORANI: &[Rule] = &[
    map('ي', 'ی', Klpt, ("سلێماني", "سلێمانی")),
    map('ى', 'ی', Klpt, ("دواى", "دوای")),
    map('ے', 'ی', Klpt, ("سلێمانے", "سلێمانی")),
    map('ۍ', 'ی', AsoSoft, ("سلێمانۍ", "سلێمانی")),
    map('ك', 'ک', LuceneSorani, ("كورد", "کورد")),
    map('ڪ', 'ک', AsoSoft, ("ڪورد", "کورد")),
    map('ة', 'ە', LuceneSorani, ("حکومة", "حکومە")),
    map('ؤ', 'ۆ', Klpt, ("کؤمەڵ", "کۆمەڵ")),
    map('ھ', 'ه', LuceneSorani, ("ھێز", "هێز")),
    drop('\u{0640}', LuceneSorani, ("پێشمەرگـە", "پێشمەرگە")),
    drop('\u{200D}', Unicode, ("هێز\u{200D}ەکان", "هێزەکان")),
];

/// Kurmanji (match fold; lower-casing is Unicode's, except the Turkish dotted/dotless i).
pub const KURMANJI: &[Rule] = &[
    map('İ', 'i', Klpt, ("İran", "iran")),
    map('ı', 'i', Klpt, ("Dıhok", "dihok")),
    map('ș', 'ş', Klpt, ("Pêșmerge", "pêşmerge")),
    map('Ș', 'ş', Klpt, ("ȘAM", "şam")),
];

/// Every language: apostrophes inside words (Lower-casing of en/kmr is Unicode's.)
pub const ALL_LANGUAGES: &[Rule] = &[
    map('\u{2019}', '\'', Unicode, ("Region’s", "region's")),
    map('\u{2018}', '\'', Unicode, ("Region‘s", "region's")),
    map('\u{02BC}', '\'', Unicode, ("Regionʼs", "region's")),
];

fn lookup(table: &[Rule], c: char) -> Option<Option<char>> {
    table.iter().find(|r| r.from == c).map(|r| r.to)
}

/// Characters that carry no letters and must vanish before comparing: bidi controls,
/// zero-width space, BOM, soft hyphen (Unicode format characters). ZWNJ/ZWJ are per language.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{FEFF}' | '\u{00AD}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
            | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// Arabic harakat (U+064B–065F), superscript alef (U+0670) and Quranic marks (U+06D6–06ED):
/// combining marks that do not change the word for matching (Lucene ArabicNormalizer, CAMeL).
fn is_arabic_mark(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}')
}

const ZWNJ: char = '\u{200C}';
const ZWJ: char = '\u{200D}';

/// The ASCII digit for an Arabic-Indic (U+0660–0669) or Extended Arabic-Indic (U+06F0–06F9,
/// Persian/Kurdish) digit: their Unicode digit values (AsoSoft, KLPT).
pub fn ascii_digit(c: char) -> Option<char> {
    let base = match c {
        '0'..='9' => return Some(c),
        '\u{0660}'..='\u{0669}' => 0x0660,
        '\u{06F0}'..='\u{06F9}' => 0x06F0,
        _ => return None,
    };
    char::from_digit(c as u32 - base, 10)
}

/// The match key of one word in `lang`. May return an empty string (a word made only of
/// invisible characters), which callers drop.
pub fn fold(lang: Lang, word: &str) -> String {
    // Fast path: ASCII letters and digits are already NFC and no table has a rule for them
    // (a test below keeps it so), so folding is lower-casing. Most English and Kurmanji words,
    // and Latin names inside Arabic-script text, take it.
    if word.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return word.to_ascii_lowercase();
    }
    let chars: Vec<char> = word
        .nfc()
        .filter(|c| !is_invisible(*c))
        .map(|c| ascii_digit(c).unwrap_or(c))
        .map(|c| lookup(ALL_LANGUAGES, c).flatten().unwrap_or(c))
        .collect();
    match lang {
        Lang::En => chars.iter().flat_map(|c| c.to_lowercase()).collect(),
        Lang::Kmr => apply(KURMANJI, &chars),
        Lang::Ar => {
            let kept: Vec<char> = chars.into_iter().filter(|&c| !is_arabic_mark(c)).collect();
            apply(ARABIC, &kept)
        }
        Lang::Ckb => fold_sorani(&chars),
    }
}

/// Apply a table, then Unicode lower-casing.
fn apply(table: &[Rule], chars: &[char]) -> String {
    let mut out = String::with_capacity(chars.len() * 2);
    for &c in chars {
        match lookup(table, c) {
            Some(Some(to)) => out.extend(to.to_lowercase()),
            Some(None) => {}
            None => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Sorani: the table, plus three rules that depend on the position in the word:
/// * heh followed by ZWNJ is the old way to write the vowel ە (KLPT, AsoSoft: `به‌رپرس`);
/// * a bare word-final heh is ە too (Lucene SoraniNormalizer, KLPT: `نیشانانه`);
/// * Sorani words never begin with the light r: word-initial ر is ڕ (KLPT, AsoSoft: `رۆژ`).
///
/// ZWNJ itself then vanishes. `ھ` (doachashmee) is read as `ه` before these rules, so a final
/// one becomes `ە` at once and the fold is idempotent (Lucene's is not: `ماھ` → `ماه` → `ماە`).
fn fold_sorani(chars: &[char]) -> String {
    // Doachashmee first, so that the final-heh rule sees it like any heh.
    let letters: Vec<char> = chars
        .iter()
        .filter(|&&c| !is_arabic_mark(c))
        .map(|&c| if c == 'ھ' { 'ه' } else { c })
        .collect();
    let last_letter = letters
        .iter()
        .rposition(|&c| c != ZWNJ && c != ZWJ && c != '\u{0640}');
    let mut out = String::with_capacity(letters.len() * 2);
    for (i, &c) in letters.iter().enumerate() {
        let next = letters.get(i + 1).copied();
        let mapped = match c {
            ZWNJ => None,
            'ه' if next == Some(ZWNJ) || Some(i) == last_letter => Some('ە'),
            'ر' if i == 0 => Some('ڕ'),
            _ => match lookup(SORANI, c) {
                Some(to) => to,
                None => Some(c),
            },
        };
        if let Some(m) = mapped {
            out.extend(m.to_lowercase());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn no_table_rewrites_ascii_letters_or_digits() {
        // `fold` skips the tables for ASCII alphanumeric words; a rule for one of them here
        // would silently not apply.
        for table in [ALL_LANGUAGES, ARABIC, SORANI, KURMANJI] {
            for c in (0u8..128)
                .map(char::from)
                .filter(char::is_ascii_alphanumeric)
            {
                assert!(lookup(table, c).is_none(), "a rule for {c:?}");
            }
        }
        assert_eq!(fold(Lang::En, "Erbil2021"), "erbil2021");
        assert_eq!(fold(Lang::Ar, "NATO"), "nato");
    }

    use super::*;

    #[test]
    fn english_folds_case_and_apostrophes() {
        assert_eq!(fold(Lang::En, "Region’s"), "region's");
        assert_eq!(fold(Lang::En, "DAESH"), "daesh");
    }

    #[test]
    fn digits_are_unified_in_every_language() {
        assert_eq!(fold(Lang::Ar, "٢٠٢١"), "2021");
        assert_eq!(fold(Lang::Ckb, "۲۰۲۱"), "2021");
        assert_eq!(fold(Lang::En, "2021"), "2021");
    }

    #[test]
    fn arabic_drops_harakat_and_tatweel_and_unifies_alef() {
        assert_eq!(fold(Lang::Ar, "التَّحالُف"), "التحالف");
        assert_eq!(fold(Lang::Ar, "التحـــالف"), "التحالف");
        assert_eq!(fold(Lang::Ar, "أربيل"), "اربيل");
        assert_eq!(fold(Lang::Ar, "إقليم"), "اقليم");
        assert_eq!(fold(Lang::Ar, "مستشفى"), "مستشفي");
        assert_eq!(fold(Lang::Ar, "الحكومة"), "الحكومه");
        // Persian-keyboard yeh and kaf in Arabic text.
        assert_eq!(fold(Lang::Ar, "کردستانی"), "كردستاني");
    }

    #[test]
    fn sorani_folds_towards_kurdish_letters() {
        // Arabic kaf and yeh typed on an Arabic keyboard.
        assert_eq!(fold(Lang::Ckb, "كوردستاني"), "کوردستانی");
        // Old spelling with a final heh for the vowel ە (TICO-19: نیشانانه).
        assert_eq!(fold(Lang::Ckb, "نیشانانه"), "نیشانانە");
        assert_eq!(fold(Lang::Ckb, "مامەڵه"), "مامەڵە");
        // heh + ZWNJ is ە as well; ZWNJ itself vanishes.
        assert_eq!(fold(Lang::Ckb, "به\u{200C}رپرس"), "بەرپرس");
        // teh marbuta becomes ە, not ه as in Arabic.
        assert_eq!(fold(Lang::Ckb, "حکومة"), "حکومە");
        // Word-initial ر is ڕ.
        assert_eq!(fold(Lang::Ckb, "رۆژ"), "ڕۆژ");
        // Kurdish letters stay distinct (no Arabic rule applied).
        assert_eq!(fold(Lang::Ckb, "پێشمەرگە"), "پێشمەرگە");
        assert_eq!(fold(Lang::Ckb, "هەولێر"), "هەولێر");
    }

    #[test]
    fn arabic_and_sorani_fold_the_same_letters_differently() {
        assert_ne!(fold(Lang::Ar, "حكومة"), fold(Lang::Ckb, "حكومة"));
        assert_eq!(fold(Lang::Ar, "حكومة"), "حكومه");
        assert_eq!(fold(Lang::Ckb, "حكومة"), "حکومە");
    }

    #[test]
    fn kurmanji_handles_turkish_keyboards() {
        assert_eq!(fold(Lang::Kmr, "HEVPEYMANÎ"), "hevpeymanî");
        assert_eq!(fold(Lang::Kmr, "İran"), "iran");
        assert_eq!(fold(Lang::Kmr, "Dıhok"), "dihok");
        assert_eq!(fold(Lang::Kmr, "Pêșmerge"), "pêşmerge");
    }

    #[test]
    fn invisible_characters_vanish() {
        assert_eq!(fold(Lang::En, "\u{200E}Erbil\u{200F}"), "erbil");
        assert_eq!(fold(Lang::Ar, "\u{FEFF}\u{200B}"), "");
    }

    #[test]
    fn every_table_rule_changes_its_example_word() {
        let tables = [
            (Lang::Ar, ARABIC),
            (Lang::Ckb, SORANI),
            (Lang::Kmr, KURMANJI),
            (Lang::En, ALL_LANGUAGES),
            (Lang::Ar, ALL_LANGUAGES),
        ];
        for (lang, table) in tables {
            for rule in table {
                let (word, key) = rule.example;
                assert!(
                    word.contains(rule.from),
                    "{:?}: example lacks the character",
                    rule
                );
                assert_eq!(fold(lang, word), key, "{lang} rule {:?}", rule);
                // The fold is idempotent.
                assert_eq!(
                    fold(lang, key),
                    key,
                    "{lang} rule {:?} not idempotent",
                    rule
                );
            }
        }
    }

    #[test]
    fn sorani_fold_is_idempotent_where_lucene_is_not() {
        for word in ["ماھ", "به\u{200C}رپرس", "نیشانانه", "رۆژ", "كوردستاني"]
        {
            let once = fold(Lang::Ckb, word);
            assert_eq!(fold(Lang::Ckb, &once), once, "{word}");
        }
    }

    #[test]
    fn nfc_is_applied() {
        // e + combining circumflex is the precomposed ê.
        assert_eq!(fold(Lang::Kmr, "he\u{0302}z"), "hêz");
    }
}
