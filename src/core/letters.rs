//! Fast answers to "is this a letter / a digit?" for the scripts Werger handles.
//!
//! `char::is_alphabetic` and `char::is_numeric` answer every non-ASCII character with a search
//! through Unicode's tables; profiling a TMX import showed a quarter of the database phase in
//! that search, because the language check, the tokenizer and the segmenter ask it of every
//! Arabic-script character. Here the answers for U+0000–U+08FF (Latin, Latin-1 and Extended-A/B,
//! combining marks, Arabic, Arabic Supplement and Extended-A) are taken once from the standard
//! library into bit tables, so they are the same answers by construction; anything above falls
//! through to the standard library.

use std::sync::LazyLock;

/// Characters below this are answered from the tables.
pub(crate) const TABLE_END: u32 = 0x0900;
const WORDS: usize = (TABLE_END / 64) as usize;

/// A yes/no answer for every character below [`TABLE_END`], one bit each: how this module and
/// [`super::word_bounds`] keep answers taken once from a slower source.
pub(crate) struct CharTable([u64; WORDS]);

impl CharTable {
    /// The table of `answer` over U+0000–U+08FF.
    pub(crate) fn from_fn(answer: impl Fn(char) -> bool) -> Self {
        let mut bits = [0; WORDS];
        for c in (0..TABLE_END).filter_map(char::from_u32) {
            bits[(c as u32 / 64) as usize] |= u64::from(answer(c)) << (c as u32 % 64);
        }
        CharTable(bits)
    }

    /// The answer for `c`, which must be below [`TABLE_END`].
    #[inline]
    pub(crate) fn has(&self, c: char) -> bool {
        let i = c as u32;
        self.0[(i / 64) as usize] & (1 << (i % 64)) != 0
    }
}

struct Tables {
    alphabetic: CharTable,
    numeric: CharTable,
}

static TABLES: LazyLock<Tables> = LazyLock::new(|| Tables {
    alphabetic: CharTable::from_fn(char::is_alphabetic),
    numeric: CharTable::from_fn(char::is_numeric),
});

/// Same answer as [`char::is_alphabetic`], faster for Latin and Arabic script.
#[inline]
pub fn is_alphabetic(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else if (c as u32) < TABLE_END {
        TABLES.alphabetic.has(c)
    } else {
        c.is_alphabetic()
    }
}

/// Same answer as [`char::is_numeric`], faster for Latin and Arabic script.
#[inline]
pub fn is_numeric(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_digit()
    } else if (c as u32) < TABLE_END {
        TABLES.numeric.has(c)
    } else {
        c.is_numeric()
    }
}

/// Same answer as [`char::is_alphanumeric`], faster for Latin and Arabic script.
#[inline]
pub fn is_alphanumeric(c: char) -> bool {
    is_alphabetic(c) || is_numeric(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_the_standard_library_everywhere() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(is_alphabetic(c), c.is_alphabetic(), "{c:?}");
            assert_eq!(is_numeric(c), c.is_numeric(), "{c:?}");
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
        }
        // The characters that matter, spelled out: Arabic and Sorani letters, harakat (marked
        // alphabetic by Unicode), Arabic-Indic and Extended Arabic-Indic digits, Kurmanji ê.
        assert!(is_alphabetic('ڕ') && is_alphabetic('ە') && is_alphabetic('ê'));
        assert!(is_alphabetic('\u{064E}'));
        assert!(is_numeric('٣') && is_numeric('۳') && !is_alphabetic('٣'));
        assert!(!is_alphanumeric('،') && !is_alphanumeric('؟'));
    }
}
