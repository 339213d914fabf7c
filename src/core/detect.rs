//! Telling en, ar, ckb and kmr apart from the text itself, to warn when imported text is
//! labelled with the wrong language (Sorani pasted into an Arabic column, Kurmanji tagged `en`).
//!
//! General-purpose identifiers fail here (whatlang labels Sorani as Persian and Kurmanji as
//! Afrikaans; lingua has no Kurdish — see `../shared/LANGUAGE-NOTES.md`), but the four
//! languages are easy to separate by rules: the script first, then letters only one language
//! of that script uses, then frequent function words.

use super::lang::{dominant_script, Lang, Script};

/// Letters of Sorani orthography that Arabic does not use (Kurdish vowel and consonant letters).
/// Source: Unicode Arabic block names; KLPT's Sorani alphabet.
const SORANI_LETTERS: &[char] = &['ە', 'ێ', 'ۆ', 'ڕ', 'ڵ', 'ڤ', 'ۊ', 'ی', 'ک', 'ھ'];

/// Letters and forms of Arabic orthography Sorani does not use: teh marbuta, alef maqsura, the
/// Arabic yeh and kaf (a Sorani text typed on an Arabic keyboard has these too, so they weigh
/// less than the Sorani letters), and the hamza seats on alef.
const ARABIC_LETTERS: &[char] = &['ة', 'ى', 'أ', 'إ', 'ؤ', 'ذ', 'ض', 'ظ', 'ث'];

/// Frequent Arabic function words (Modern Standard Arabic).
const ARABIC_WORDS: &[&str] = &[
    "في", "من", "على", "إلى", "الى", "التي", "الذي", "عن", "مع", "هذا", "هذه", "أن", "إن",
];
/// Frequent Sorani function words (KLPT stop-word list, abbreviated).
const SORANI_WORDS: &[&str] = &[
    "لە",
    "و",
    "بۆ",
    "کە",
    "ئەم",
    "ئەو",
    "بە",
    "لەگەڵ",
    "هەروەها",
    "دەکات",
    "کرد",
    "دوای",
];
/// Letters of the Kurmanji (Hawar) alphabet that English does not use.
const KURMANJI_LETTERS: &[char] = &['ê', 'î', 'û', 'ç', 'ş', 'Ê', 'Î', 'Û', 'Ç', 'Ş'];
/// Frequent Kurmanji function words.
const KURMANJI_WORDS: &[&str] = &[
    "û", "li", "di", "de", "ku", "bi", "ji", "ew", "ya", "yê", "re", "ser", "jî", "wan", "hat",
];
/// Frequent English function words.
const ENGLISH_WORDS: &[&str] = &[
    "the", "of", "and", "to", "in", "is", "for", "on", "with", "that", "by", "was", "are",
];

/// What the text looks like, with a confidence in 0..=1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Detection {
    pub lang: Lang,
    pub confidence: f32,
}

/// The language `text` is written in, if it has enough letters to tell (at least 12).
pub fn detect(text: &str) -> Option<Detection> {
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 12 {
        return None;
    }
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric() && !matches!(c, '\u{200C}' | '\'' | '’'))
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect();
    let count_words =
        |list: &[&str]| words.iter().filter(|w| list.contains(&w.as_str())).count() as f32;
    let count_letters = |list: &[char]| text.chars().filter(|c| list.contains(c)).count() as f32;
    let (a, b, a_score, b_score) = match dominant_script(text)? {
        Script::Arabic => {
            // A Sorani letter is strong evidence; `ال` at a word start is Arabic's article.
            let article = words
                .iter()
                .filter(|w| w.starts_with("ال") && w.chars().count() > 3)
                .count() as f32;
            let sorani = 3.0 * count_letters(SORANI_LETTERS) + 2.0 * count_words(SORANI_WORDS);
            let arabic = 2.0 * count_letters(ARABIC_LETTERS)
                + 2.0 * count_words(ARABIC_WORDS)
                + 1.5 * article;
            (Lang::Ckb, Lang::Ar, sorani, arabic)
        }
        Script::Latin => {
            let kurmanji =
                3.0 * count_letters(KURMANJI_LETTERS) + 2.0 * count_words(KURMANJI_WORDS);
            let english = 2.0 * count_words(ENGLISH_WORDS);
            (Lang::Kmr, Lang::En, kurmanji, english)
        }
    };
    let total = a_score + b_score;
    // Two function words or one distinctive letter is the least evidence we act on.
    if total < 3.0 {
        return None;
    }
    let (lang, share) = if a_score >= b_score {
        (a, a_score / total)
    } else {
        (b, b_score / total)
    };
    Some(Detection {
        lang,
        confidence: share,
    })
}

/// The language the text is confidently written in when it is not `labelled`, else `None`.
/// Used by imports to warn; a short or mixed text never triggers a warning.
pub fn mislabelled(labelled: Lang, text: &str) -> Option<Lang> {
    let d = detect(text)?;
    (d.lang != labelled && d.confidence >= 0.8).then_some(d.lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(text: &str) -> Lang {
        detect(text)
            .unwrap_or_else(|| panic!("no detection for {text}"))
            .lang
    }

    #[test]
    fn tells_the_four_languages_apart() {
        assert_eq!(
            lang("The Coalition will continue to work with the Peshmerga Security Forces."),
            Lang::En
        );
        assert_eq!(
            lang("وقال المتحدث باسم التحالف إن التنسيق مستمر مع قوات البيشمركة في أربيل."),
            Lang::Ar
        );
        assert_eq!(
            lang("هاوپەیمانی بەردەوام دەبێت لە کارکردن لەگەڵ هێزەکانی پێشمەرگە لە هەولێر."),
            Lang::Ckb
        );
        assert_eq!(
            lang("Hevpeymanî dê bi Hêzên Ewlehiyê yên Pêşmerge re li Hewlêrê bixebite."),
            Lang::Kmr
        );
    }

    #[test]
    fn sorani_typed_on_an_arabic_keyboard_is_still_sorani() {
        // Arabic yeh and kaf instead of the Kurdish ones, as in 206 of the FLORES Sorani lines.
        assert_eq!(
            lang("هاوپەیمانی بەردەوام دەبێت لە كاركردن لەگەڵ هێزەكانی پێشمەرگە"),
            Lang::Ckb
        );
    }

    #[test]
    fn kurmanji_without_its_letters_is_found_by_function_words() {
        assert_eq!(
            lang("Hevpeymani de li Hewlere bi hezen pesmerge re bixebite ku ew"),
            Lang::Kmr
        );
    }

    #[test]
    fn warns_only_when_confident() {
        let sorani = "هاوپەیمانی بەردەوام دەبێت لە کارکردن لەگەڵ هێزەکانی پێشمەرگە لە هەولێر.";
        assert_eq!(mislabelled(Lang::Ar, sorani), Some(Lang::Ckb));
        assert_eq!(mislabelled(Lang::Ckb, sorani), None);
        let arabic = "وقال المتحدث باسم التحالف إن التنسيق مستمر مع قوات البيشمركة في أربيل.";
        assert_eq!(mislabelled(Lang::Ckb, arabic), Some(Lang::Ar));
        assert_eq!(mislabelled(Lang::En, "ISF"), None, "too short to tell");
        assert_eq!(
            mislabelled(Lang::En, "JCCC KCL ISF CJTF-OIR 2021"),
            None,
            "no evidence either way"
        );
        assert_eq!(
            mislabelled(
                Lang::En,
                "Hevpeymanî dê bi Hêzên Ewlehiyê yên Pêşmerge re li Hewlêrê bixebite."
            ),
            Some(Lang::Kmr)
        );
    }
}
