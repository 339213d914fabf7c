//! Per-language normalization: the one definition of "the same word".
//!
//! [`fold`] turns one word (as cut by [`crate::core::tokenize`]) into its *match key*: the form
//! under which the index, the fuzzy scorer and (later) the glossary compare words. The rules are
//! deliberately per language, because Arabic rules applied to Sorani destroy it (`ة` → `ه` turns
//! a vowel into a consonant): Sorani folds *towards* the Kurdish letters, Arabic towards the
//! Arabic ones. Sources: Unicode (NFC, digit values), Lucene's `ArabicNormalizer` and
//! `SoraniNormalizer`, KLPT's preprocessing map and AsoSoft's normalizer (see
//! `../shared/LANGUAGE-NOTES.md`). Issue [2/9] deepens these tables; this is the plumbing.

use unicode_normalization::UnicodeNormalization;

use super::lang::Lang;

/// Characters that carry no letters and must vanish before comparing: bidi controls,
/// zero-width space, BOM, soft hyphen. ZWNJ/ZWJ are handled per language.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{FEFF}' | '\u{00AD}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
            | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// Arabic harakat and other combining marks that do not change the word for matching.
fn is_arabic_mark(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}')
}

const TATWEEL: char = '\u{0640}';
const ZWNJ: char = '\u{200C}';
const ZWJ: char = '\u{200D}';

/// The ASCII digit for an Arabic-Indic or Extended Arabic-Indic (Persian/Kurdish) digit.
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
    let chars: Vec<char> = word
        .nfc()
        .filter(|c| !is_invisible(*c))
        .map(|c| ascii_digit(c).unwrap_or(c))
        .map(fold_quote)
        .collect();
    match lang {
        Lang::En => chars.iter().flat_map(|c| c.to_lowercase()).collect(),
        Lang::Kmr => fold_kurmanji(&chars),
        Lang::Ar => fold_arabic(&chars),
        Lang::Ckb => fold_sorani(&chars),
    }
}

/// Typographic apostrophes inside words (`Region’s`) compare as ASCII ones.
fn fold_quote(c: char) -> char {
    match c {
        '\u{2019}' | '\u{2018}' | '\u{02BC}' => '\'',
        _ => c,
    }
}

fn fold_kurmanji(chars: &[char]) -> String {
    let mut out = String::with_capacity(chars.len() * 2);
    for &c in chars {
        match c {
            // Turkish keyboards: dotted capital I and dotless i are plain i in Kurmanji (KLPT).
            'İ' | 'I' | 'ı' => out.push('i'),
            // Romanian s/t with comma below typed for ş (KLPT).
            'ș' | 'Ș' => out.push('ş'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

fn fold_arabic(chars: &[char]) -> String {
    let mut out = String::with_capacity(chars.len() * 2);
    for &c in chars {
        if is_arabic_mark(c) || c == TATWEEL || c == ZWNJ || c == ZWJ {
            continue;
        }
        let mapped = match c {
            // Lucene ArabicNormalizer: alef variants → bare alef, alef maqsura → yeh,
            // teh marbuta → heh (matching only).
            'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
            'ى' => 'ي',
            'ة' => 'ه',
            // Persian-keyboard letters typed in Arabic text.
            'ی' => 'ي',
            'ک' => 'ك',
            'ھ' | 'ە' => 'ه',
            _ => c,
        };
        out.extend(mapped.to_lowercase());
    }
    out
}

fn fold_sorani(chars: &[char]) -> String {
    let mut out = String::with_capacity(chars.len() * 2);
    let letters: Vec<char> = chars
        .iter()
        .copied()
        .filter(|&c| !is_arabic_mark(c) && c != TATWEEL)
        .collect();
    let last_letter = letters.iter().rposition(|&c| c != ZWNJ && c != ZWJ);
    for (i, &c) in letters.iter().enumerate() {
        let next = letters.get(i + 1).copied();
        let mapped = match c {
            ZWNJ | ZWJ => continue,
            // KLPT / AsoSoft: Arabic yeh and alef maqsura are Kurdish yeh; Arabic kaf is keheh.
            'ي' | 'ى' | 'ے' | 'ۍ' => 'ی',
            'ك' | 'ڪ' => 'ک',
            'ة' => 'ە',
            'ؤ' => 'ۆ',
            // heh followed by ZWNJ is the old way to write the vowel ە; so is a bare final heh.
            'ه' if next == Some(ZWNJ) || Some(i) == last_letter => 'ە',
            // Heh doachashmee is the consonant h.
            'ھ' => 'ه',
            // Sorani words never begin with the light r: word-initial ر is ڕ.
            'ر' if i == 0 => 'ڕ',
            _ => c,
        };
        out.extend(mapped.to_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
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
    fn nfc_is_applied() {
        // e + combining circumflex is the precomposed ê.
        assert_eq!(fold(Lang::Kmr, "he\u{0302}z"), "hêz");
    }
}
