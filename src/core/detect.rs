//! Telling en, ar, ckb and kmr apart from the text itself, to warn when imported text is
//! labelled with the wrong language (Sorani pasted into an Arabic column, Kurmanji tagged `en`).
//!
//! General-purpose identifiers fail here (whatlang labels Sorani as Persian and Kurmanji as
//! Afrikaans; lingua has no Kurdish — see `../shared/LANGUAGE-NOTES.md`), but the four
//! languages are easy to separate by rules: the script first, then letters only one language
//! of that script uses, then frequent function words.

use std::borrow::Cow;

use super::lang::{script_of, Lang, Script};
use super::letters::{is_alphabetic, is_numeric};

/// Letters of Sorani orthography that Arabic does not use (Kurdish vowel and consonant letters).
/// Source: Unicode Arabic block names; KLPT's Sorani alphabet.
const SORANI_LETTERS: &[char] = &['ە', 'ێ', 'ۆ', 'ڕ', 'ڵ', 'ڤ', 'ۊ', 'ی', 'ک', 'ھ'];

/// A set of letters of the Arabic block (U+0600–U+06FF) as 256 bits: every Arabic-script
/// letter of a text is looked up in two such sets, which a scan of the lists above made a
/// good part of an import's language check.
type BlockSet = [u128; 2];

const fn block_set(letters: &[char]) -> BlockSet {
    let mut set = [0u128; 2];
    let mut i = 0;
    while i < letters.len() {
        let offset = letters[i] as u32 - 0x0600;
        assert!(offset < 256, "a letter outside the Arabic block");
        set[(offset / 128) as usize] |= 1 << (offset % 128);
        i += 1;
    }
    set
}

fn in_block(set: &BlockSet, c: char) -> bool {
    let offset = (c as u32).wrapping_sub(0x0600);
    offset < 256 && set[(offset / 128) as usize] & (1 << (offset % 128)) != 0
}

const SORANI_SET: BlockSet = block_set(SORANI_LETTERS);
const ARABIC_SET: BlockSet = block_set(ARABIC_LETTERS);

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
///
/// One pass over the characters, counting letters, scripts and distinctive letters, and
/// checking each word as it ends, without allocating for lower-case words: imports ask this of
/// every variant (two passes, one to count and one over the words, were a fifth of an import's
/// reading thread).
pub fn detect(text: &str) -> Option<Detection> {
    let n = evidence(text);
    if n.letters < 12 {
        return None;
    }
    let (a, b, a_score, b_score) = if n.arabic > n.latin {
        // A Sorani letter is strong evidence.
        let sorani = 3.0 * n.sorani_letters as f32 + 2.0 * n.sorani_words as f32;
        let arabic =
            2.0 * n.arabic_letters as f32 + 2.0 * n.arabic_words as f32 + 1.5 * n.article as f32;
        (Lang::Ckb, Lang::Ar, sorani, arabic)
    } else if n.latin > 0 {
        let kurmanji = 3.0 * n.kurmanji_letters as f32 + 2.0 * n.kurmanji_words as f32;
        (Lang::Kmr, Lang::En, kurmanji, 2.0 * n.english_words as f32)
    } else {
        return None;
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

/// The letters, scripts and function words of `text`, in one pass, allocating only to lower
/// a short word with capitals.
fn evidence(text: &str) -> Evidence {
    let mut n = Evidence::default();
    let mut word_start = None;
    for (at, c) in text.char_indices() {
        // ASCII (most characters of an English or Kurmanji text, and the spaces and digits of
        // the others) is answered without the tables.
        let in_word = if c.is_ascii() {
            let letter = c.is_ascii_alphabetic();
            n.letters += usize::from(letter);
            n.latin += usize::from(letter);
            letter || c.is_ascii_digit() || c == '\''
        } else {
            let alphabetic = is_alphabetic(c);
            if alphabetic {
                n.letter(c);
            }
            alphabetic || is_numeric(c) || matches!(c, '\u{200C}' | '’')
        };
        match (in_word, word_start) {
            (true, None) => word_start = Some(at),
            (false, Some(start)) => {
                n.word(&text[start..at]);
                word_start = None;
            }
            _ => {}
        }
    }
    if let Some(start) = word_start {
        n.word(&text[start..]);
    }
    n
}

/// What [`detect`] counts.
#[derive(Default, Debug, PartialEq)]
struct Evidence {
    letters: usize,
    latin: usize,
    arabic: usize,
    sorani_letters: usize,
    arabic_letters: usize,
    kurmanji_letters: usize,
    /// Arabic-script words starting with the article `ال`.
    article: usize,
    sorani_words: usize,
    arabic_words: usize,
    kurmanji_words: usize,
    english_words: usize,
}

impl Evidence {
    fn letter(&mut self, c: char) {
        self.letters += 1;
        match script_of(c) {
            Some(Script::Arabic) => {
                self.arabic += 1;
                self.sorani_letters += usize::from(in_block(&SORANI_SET, c));
                self.arabic_letters += usize::from(in_block(&ARABIC_SET, c));
            }
            Some(Script::Latin) => {
                self.latin += 1;
                self.kurmanji_letters +=
                    usize::from(!c.is_ascii() && KURMANJI_LETTERS.contains(&c));
            }
            None => {}
        }
    }

    /// A word, checked against the function words of its script (the lists of the other
    /// script cannot match it). Words longer than every listed word are only checked for the
    /// article: most words of a text are, and lower-casing them was a third of the check.
    fn word(&mut self, word: &str) {
        let in_list = |w: &str, list: &[&str]| usize::from(list.contains(&w));
        if word.chars().next().and_then(script_of) == Some(Script::Arabic) {
            // `ال` at a word start is Arabic's article.
            self.article += usize::from(word.starts_with("ال") && word.chars().count() > 3);
            if word.len() <= ARABIC_SCRIPT_WORD_BYTES {
                self.sorani_words += in_list(word, SORANI_WORDS);
                self.arabic_words += in_list(word, ARABIC_WORDS);
            }
        } else if word.is_ascii() && word.len() > LATIN_WORD_BYTES {
            // ASCII keeps its length in lower case: too long for either list.
        } else {
            let word = lowercase(word);
            self.kurmanji_words += in_list(&word, KURMANJI_WORDS);
            self.english_words += in_list(&word, ENGLISH_WORDS);
        }
    }
}

/// The longest function word listed for Arabic and Sorani, in bytes.
const ARABIC_SCRIPT_WORD_BYTES: usize = max_len(SORANI_WORDS, ARABIC_WORDS);
/// The longest function word listed for English and Kurmanji, in bytes.
const LATIN_WORD_BYTES: usize = max_len(ENGLISH_WORDS, KURMANJI_WORDS);

const fn max_len(a: &[&str], b: &[&str]) -> usize {
    let mut max = 0;
    let mut i = 0;
    while i < a.len() + b.len() {
        let len = if i < a.len() {
            a[i].len()
        } else {
            b[i - a.len()].len()
        };
        if len > max {
            max = len;
        }
        i += 1;
    }
    max
}

/// `word` in lower case, without copying the words that have no capital letters to lower (ASCII
/// lower case and the caseless Arabic block: nearly every word of a press release).
fn lowercase(word: &str) -> Cow<'_, str> {
    let caseless = |c: char| {
        if c.is_ascii() {
            !c.is_ascii_uppercase()
        } else {
            matches!(c, '\u{0600}'..='\u{06FF}' | '\u{200C}' | '’')
        }
    };
    if word.chars().all(caseless) {
        Cow::Borrowed(word)
    } else {
        Cow::Owned(word.to_lowercase())
    }
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
    fn the_letter_sets_hold_exactly_their_lists() {
        for c in ('\u{0500}'..='\u{0800}').chain(['a', 'ê', 'ﻙ']) {
            assert_eq!(
                in_block(&SORANI_SET, c),
                SORANI_LETTERS.contains(&c),
                "{c:?}"
            );
            assert_eq!(
                in_block(&ARABIC_SET, c),
                ARABIC_LETTERS.contains(&c),
                "{c:?}"
            );
        }
    }

    /// The evidence as the check counted it before its shortcuts (every character through the
    /// tables, every word lower-cased and looked up), on texts mixing the four languages, case,
    /// digits, apostrophes and long words: the shortcuts change no count.
    #[test]
    fn shortcuts_count_the_same_evidence() {
        fn plain(text: &str) -> Evidence {
            let mut n = Evidence::default();
            let mut word_start = None;
            let mut words = Vec::new();
            for (at, c) in text.char_indices() {
                let alphabetic = is_alphabetic(c);
                if alphabetic {
                    n.letter(c);
                }
                let in_word = alphabetic || is_numeric(c) || matches!(c, '\u{200C}' | '\'' | '’');
                match (in_word, word_start) {
                    (true, None) => word_start = Some(at),
                    (false, Some(start)) => {
                        words.push(&text[start..at]);
                        word_start = None;
                    }
                    _ => {}
                }
            }
            words.extend(word_start.map(|s| &text[s..]));
            for word in words {
                let in_list = |w: &str, list: &[&str]| usize::from(list.contains(&w));
                if word.chars().next().and_then(script_of) == Some(Script::Arabic) {
                    n.article += usize::from(word.starts_with("ال") && word.chars().count() > 3);
                    n.sorani_words += in_list(word, SORANI_WORDS);
                    n.arabic_words += in_list(word, ARABIC_WORDS);
                } else {
                    let word = word.to_lowercase();
                    n.kurmanji_words += in_list(&word, KURMANJI_WORDS);
                    n.english_words += in_list(&word, ENGLISH_WORDS);
                }
            }
            n
        }
        let pieces = [
            "The",
            "THE",
            "tHat",
            "with",
            "Withholding",
            "and",
            "AND",
            "is",
            "ISF",
            "Û",
            "û",
            "Jî",
            "JÎ",
            "yÊ",
            "li",
            "LI",
            "ku",
            "\u{212A}u",
            "Ser",
            "serdan",
            "Hêzên",
            "في",
            "الذي",
            "التي",
            "البيشمركة",
            "لە",
            "لەگەڵ",
            "هەروەها",
            "هەروەهاکان",
            "كاركردن",
            "2021",
            "٢٠٢١",
            "it's",
            "don’t",
            "a\u{200C}b",
            "ه\u{200C}ی",
            "(ISF)",
            "«وتی»",
            ",",
            ".",
            "-",
            " ",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..2000 {
            let mut text = String::new();
            for _ in 0..(seed % 12) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(pieces[(seed % pieces.len() as u64) as usize]);
                if seed & 0x100 != 0 {
                    text.push(' ');
                }
            }
            seed = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
            assert_eq!(evidence(&text), plain(&text), "{text}");
        }
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
