//! Cutting text into tokens with byte offsets into the original text.
//!
//! Words are found with the Unicode word-boundary rules (UAX #29, via `unicode-segmentation`;
//! plain words between spaces without running the rules, see [`super::word_bounds`]),
//! which keep ZWNJ, harakat and apostrophes inside words and decimal numbers in one piece; each
//! word is then folded by [`super::normalize::fold`]. We never alter the stored text: offsets
//! point into what the user wrote, so highlights and diffs can quote it.

use compact_str::CompactString;

use super::lang::Lang;
use super::normalize::{ascii_digit, fold, is_invisible};
use super::word_bounds::word_pieces;
use crate::core::letters::{is_alphanumeric, is_numeric};

/// What a token is, for scoring: words carry meaning, numbers are placeables, punctuation only
/// costs a small penalty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Word,
    Number,
    Punct,
}

/// One token: its kind, its match key and where it stands in the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    /// The match key (folded word, ASCII digits for numbers, canonical punctuation).
    pub key: CompactString,
    /// The light stem of the key ([`super::stem`]); for Kurmanji also without the diacritics
    /// of ê î û ç ş, which people often do not type. Equal to the key for numbers and
    /// punctuation. Inflected forms share it, so they are found and cost little.
    pub stem: CompactString,
    /// Byte offset of the first byte in the original text.
    pub start: usize,
    /// Byte offset one past the last byte in the original text.
    pub end: usize,
}

/// A text with its tokens: the unit everything downstream (index, scorer, diff) works on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Analyzed {
    pub lang: Lang,
    pub text: String,
    pub tokens: Vec<Token>,
}

impl Analyzed {
    pub fn new(lang: Lang, text: impl Into<String>) -> Self {
        let text = text.into();
        let tokens = tokenize(lang, &text);
        Analyzed { lang, text, tokens }
    }

    /// The original text of a token.
    pub fn surface(&self, token: &Token) -> &str {
        &self.text[token.start..token.end]
    }

    /// Words and numbers: the tokens that carry content.
    pub fn content(&self) -> impl Iterator<Item = &Token> {
        self.tokens.iter().filter(|t| t.kind != TokenKind::Punct)
    }
}

/// Tokenize `text` as language `lang`.
pub fn tokenize(lang: Lang, text: &str) -> Vec<Token> {
    let pieces = word_pieces(text);
    // Sized once: growing it was ~1% of an import.
    let mut tokens = Vec::with_capacity(pieces.len());
    let hashes: Vec<u64> = pieces.iter().map(|(_, p)| word_hash(lang, p)).collect();
    prefetch_words(&hashes);
    for ((start, piece), hash) in pieces.into_iter().zip(hashes) {
        let end = start + piece.len();
        if piece.chars().all(|c| c.is_whitespace() || is_invisible(c)) {
            continue;
        }
        if piece.chars().any(is_alphanumeric) {
            let kind = if piece
                .chars()
                .filter(|&c| is_alphanumeric(c))
                .all(is_numeric)
            {
                TokenKind::Number
            } else {
                TokenKind::Word
            };
            let (key, stem) = match kind {
                TokenKind::Number => {
                    let key = CompactString::from(number_key(piece));
                    (key.clone(), key)
                }
                _ => cached_key_and_stem(lang, piece, hash),
            };
            if !key.is_empty() {
                tokens.push(Token {
                    kind,
                    key,
                    stem,
                    start,
                    end,
                });
            }
            continue;
        }
        // Punctuation: one token per visible character.
        for (offset, c) in piece.char_indices() {
            if c.is_whitespace() || is_invisible(c) || c == '\u{200C}' || c == '\u{200D}' {
                continue;
            }
            let key = CompactString::from(&*punct_key(c).encode_utf8(&mut [0; 4]));
            tokens.push(Token {
                kind: TokenKind::Punct,
                stem: key.clone(),
                key,
                start: start + offset,
                end: start + offset + c.len_utf8(),
            });
        }
    }
    tokens
}

/// Slots of the per-thread word cache (a power of two): ~2.5 MiB per thread, enough for a
/// translator's lookups.
const WORD_SLOTS: usize = 1 << 15;
/// Slots of a thread that analyses a whole archive ([`use_large_word_cache`]): ~20 MiB, freed
/// when the thread ends. An archive in four languages has a vocabulary of a few hundred thousand
/// words; with the small cache a 100k-unit import folded and stemmed so many words again that
/// the large one took its analysis thread's time down a sixth and the import's 5%
/// (BENCHMARKS.md, fifth round).
const LARGE_WORD_SLOTS: usize = 1 << 18;

/// A word as written, in a language, with its match key and stem.
struct WordEntry {
    lang: Lang,
    piece: CompactString,
    key: CompactString,
    stem: CompactString,
}

thread_local! {
    /// Keys and stems of the words this thread has analysed. Folding and stemming were most of
    /// the analysis; a lookup in a large memory re-analyses a hundred candidates written in the
    /// same press vocabulary, and an import analyses the same words over and over. The cache is
    /// direct-mapped (a word's hash picks its one slot, a newcomer replaces the occupant), so
    /// it never has to be emptied all at once: emptying a full map of 50,000 words stalled a
    /// lookup for ~10 ms.
    static WORDS: std::cell::RefCell<Vec<Option<WordEntry>>> =
        const { std::cell::RefCell::new(Vec::new()) };
    /// The slots this thread's cache gets when first used.
    static SLOTS: std::cell::Cell<usize> = const { std::cell::Cell::new(WORD_SLOTS) };
}

/// Give this thread's word cache room for an archive's vocabulary (see [`LARGE_WORD_SLOTS`]):
/// for a thread that analyses a whole import, not for a server's long-lived threads.
pub fn use_large_word_cache() {
    SLOTS.set(LARGE_WORD_SLOTS);
    WORDS.with_borrow_mut(Vec::clear);
}

/// Where a word is looked for in the word cache.
fn word_hash(lang: Lang, piece: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = fnv::FnvHasher::default();
    h.write_u8(lang.index() as u8);
    h.write(piece.as_bytes());
    h.finish()
}

/// Ask the processor to fetch the cache slots of a text's words before they are looked up:
/// a slot is one random place in megabytes of cache, and waiting for each in turn was half of
/// an import's tokenizing (BENCHMARKS.md, fifth round); fetched together, the waits overlap.
/// Only a hint: nothing is read or written.
fn prefetch_words(hashes: &[u64]) {
    #[cfg(target_arch = "x86_64")]
    WORDS.with_borrow(|slots| {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        if slots.is_empty() {
            return;
        }
        for hash in hashes {
            let slot = &slots[*hash as usize & (slots.len() - 1)];
            let at = std::ptr::from_ref(slot).cast::<i8>();
            // A slot may straddle two cache lines: fetch both.
            // SAFETY: SSE, which the instruction needs, is part of every x86-64 processor, and
            // a prefetch neither reads nor writes memory (any address is allowed).
            unsafe {
                _mm_prefetch::<_MM_HINT_T0>(at);
                _mm_prefetch::<_MM_HINT_T0>(at.wrapping_add(std::mem::size_of_val(slot) - 1));
            }
        }
    });
    #[cfg(not(target_arch = "x86_64"))]
    let _ = hashes;
}

/// The match key and stem of a word as written (empty key: nothing left after folding).
#[cfg(test)]
fn word_key_and_stem(lang: Lang, piece: &str) -> (CompactString, CompactString) {
    cached_key_and_stem(lang, piece, word_hash(lang, piece))
}

/// [`word_key_and_stem`] of a word whose [`word_hash`] is known.
fn cached_key_and_stem(lang: Lang, piece: &str, hash: u64) -> (CompactString, CompactString) {
    WORDS.with_borrow_mut(|slots| {
        if slots.is_empty() {
            slots.resize_with(SLOTS.get(), || None);
        }
        // (The slot count is a power of two.)
        let slot = hash as usize & (slots.len() - 1);
        if let Some(e) = &slots[slot] {
            if e.lang == lang && e.piece == piece {
                return (e.key.clone(), e.stem.clone());
            }
        }
        let key = fold(lang, piece);
        let stem = if key.is_empty() {
            CompactString::default()
        } else {
            word_stem(lang, &key).into()
        };
        let key = CompactString::from(key);
        slots[slot] = Some(WordEntry {
            lang,
            piece: piece.into(),
            key: key.clone(),
            stem: stem.clone(),
        });
        (key, stem)
    })
}

/// The stem of a folded word; Kurmanji stems are also stripped of the diacritics of the Hawar
/// alphabet (`hêz` → `hez`), so text typed on a keyboard without them still finds its match.
fn word_stem(lang: Lang, key: &str) -> String {
    let stem = super::stem::stem(lang, key);
    match lang {
        Lang::Kmr => without_hawar_diacritics(&stem).into(),
        _ => stem,
    }
}

/// Kurmanji without ê î û ç ş: how the language is typed on keyboards that lack them.
/// Runs for every Kurmanji word an import indexes (its loose key and signature class), so it
/// copies the runs between those letters instead of pushing character by character, which was
/// 3% of an import's time (BENCHMARKS.md, sixth round).
pub fn without_hawar_diacritics(word: &str) -> CompactString {
    let mut out = CompactString::with_capacity(word.len());
    hawar_free_pieces(word, |piece| out.push_str(piece));
    out
}

/// Whether `word` may hold one of the letters [`without_hawar_diacritics`] maps: each is two
/// bytes in UTF-8, led by 0xC3 (ê î û ç Ê Î Û Ç) or 0xC5 (ş Ş).
fn has_hawar_lead_byte(word: &str) -> bool {
    memchr::memchr2(0xC3, 0xC5, word.as_bytes()).is_some()
}

/// [`without_hawar_diacritics`] as a run of pieces handed to `piece` in order (the runs of
/// `word` between those letters, and their plain letters), for callers that write or hash the
/// result without building it.
pub fn hawar_free_pieces(word: &str, mut piece: impl FnMut(&str)) {
    if !has_hawar_lead_byte(word) {
        piece(word);
        return;
    }
    let mut copied = 0;
    for (at, c) in word.char_indices() {
        let plain = match c {
            'ê' => "e",
            'î' => "i",
            'û' => "u",
            'ç' => "c",
            'ş' => "s",
            'Ê' => "E",
            'Î' => "I",
            'Û' => "U",
            'Ç' => "C",
            'Ş' => "S",
            _ => continue,
        };
        piece(&word[copied..at]);
        piece(plain);
        copied = at + c.len_utf8();
    }
    piece(&word[copied..]);
}

/// The loose key of a Kurmanji word: its key without Hawar diacritics (an inflected word typed
/// without them, `hezen` for `hêzên`, is still the same word). Other languages have none.
pub fn loose_key(lang: Lang, token: &Token) -> Option<CompactString> {
    match (lang, token.kind) {
        (Lang::Kmr, TokenKind::Word) => Some(without_hawar_diacritics(&token.key)),
        _ => None,
    }
}

/// Numbers compare by their ASCII digits; `٫` is a decimal point and `٬` a thousands separator.
fn number_key(piece: &str) -> String {
    piece
        .chars()
        .filter_map(|c| match c {
            '\u{066B}' => Some('.'),
            '\u{066C}' => None,
            _ => Some(ascii_digit(c).unwrap_or(c)),
        })
        .filter(|c| !is_invisible(*c))
        .collect()
}

/// Typographic and locale quotes compare as ASCII ones.
fn punct_key(c: char) -> char {
    match c {
        '“' | '”' | '„' | '«' | '»' | '″' => '"',
        '‘' | '’' | '‚' | '′' => '\'',
        '،' => ',',
        '؛' => ';',
        '؟' => '?',
        '۔' => '.',
        '–' | '—' | '‐' | '‑' => '-',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(lang: Lang, text: &str) -> Vec<String> {
        tokenize(lang, text)
            .into_iter()
            .map(|t| t.key.into_string())
            .collect()
    }

    /// The word cache answers like folding and stemming afresh: the first time, when
    /// remembered, and after its slots were all taken over by other words.
    #[test]
    fn the_word_cache_answers_like_a_fresh_analysis_before_and_after_it_fills() {
        let fresh = |lang: Lang, word: &str| {
            let key = fold(lang, word);
            let stem = word_stem(lang, &key);
            (CompactString::from(key), CompactString::from(stem))
        };
        let words = [
            (Lang::En, "Statements"),
            (Lang::Ar, "بالحاسوب"),
            (Lang::Ckb, "پێشمەرگەکان"),
            (Lang::Ckb, "هێزەكاني"),
            (Lang::Kmr, "Hevpeymaniyê"),
        ];
        for (lang, w) in words {
            assert_eq!(word_key_and_stem(lang, w), fresh(lang, w), "{w}");
            assert_eq!(
                word_key_and_stem(lang, w),
                fresh(lang, w),
                "{w}, remembered"
            );
        }
        // The same surface in another language is another word.
        assert_ne!(
            word_key_and_stem(Lang::En, "forces").1,
            word_key_and_stem(Lang::Kmr, "forces").1
        );
        for n in 0..2 * WORD_SLOTS {
            let w = format!("x{n}ings");
            assert_eq!(word_key_and_stem(Lang::En, &w), fresh(Lang::En, &w), "{w}");
        }
        for (lang, w) in words {
            assert_eq!(
                word_key_and_stem(lang, w),
                fresh(lang, w),
                "{w}, after emptying"
            );
        }
    }

    /// A thread that asks for the large cache gets it, and it answers the same.
    #[test]
    fn the_large_word_cache_answers_the_same() {
        let small = word_key_and_stem(Lang::Kmr, "Hevpeymaniyê");
        assert_eq!(WORDS.with_borrow(Vec::len), WORD_SLOTS);
        use_large_word_cache();
        assert_eq!(WORDS.with_borrow(Vec::len), 0);
        assert_eq!(word_key_and_stem(Lang::Kmr, "Hevpeymaniyê"), small);
        assert_eq!(WORDS.with_borrow(Vec::len), LARGE_WORD_SLOTS);
        assert_eq!(word_key_and_stem(Lang::Kmr, "Hevpeymaniyê"), small);
    }

    /// The run-copying version maps exactly the ten Hawar letters, one character for one, and
    /// leaves every other character (other Latin-1 and Latin Extended-A letters share their
    /// lead bytes) as it was.
    #[test]
    fn hawar_diacritics_are_removed_and_nothing_else() {
        let mapped = |w: &str| -> String {
            w.chars()
                .map(|c| match c {
                    'ê' => 'e',
                    'î' => 'i',
                    'û' => 'u',
                    'ç' => 'c',
                    'ş' => 's',
                    'Ê' => 'E',
                    'Î' => 'I',
                    'Û' => 'U',
                    'Ç' => 'C',
                    'Ş' => 'S',
                    _ => c,
                })
                .collect()
        };
        let mut words: Vec<String> = [
            "hêzên",
            "Şerê",
            "çûn",
            "",
            "plain",
            "ÇÎÛÊŞ",
            "éàüšœ",
            "şêwaz-û-çîrok",
            "ڕۆژ",
        ]
        .iter()
        .map(|w| w.to_string())
        .collect();
        // Every character of Latin-1 Supplement and Latin Extended-A, alone and between
        // letters.
        for c in '\u{00A0}'..='\u{017F}' {
            words.push(c.to_string());
            words.push(format!("a{c}ê{c}z"));
        }
        for w in &words {
            assert_eq!(without_hawar_diacritics(w), mapped(w), "{w}");
            let mut pieces = String::new();
            hawar_free_pieces(w, |p| pieces.push_str(p));
            assert_eq!(pieces, mapped(w), "{w}");
        }
        assert_eq!(without_hawar_diacritics("hêzên"), "hezen");
    }

    #[test]
    fn english_sentence() {
        let text = "The Coalition, ISF and Peshmerga forces met on February 17, 2021.";
        let tokens = tokenize(Lang::En, text);
        let words: Vec<_> = tokens.iter().map(|t| t.key.as_str()).collect();
        assert_eq!(
            words,
            [
                "the",
                "coalition",
                ",",
                "isf",
                "and",
                "peshmerga",
                "forces",
                "met",
                "on",
                "february",
                "17",
                ",",
                "2021",
                "."
            ]
        );
        assert_eq!(tokens[12].kind, TokenKind::Number);
        assert_eq!(&text[tokens[1].start..tokens[1].end], "Coalition");
    }

    #[test]
    fn zwnj_stays_inside_a_sorani_word() {
        // Tantivy's SimpleTokenizer would cut this word in two at the ZWNJ.
        let text = "به\u{200C}رپرسی هێزەکان";
        let tokens = tokenize(Lang::Ckb, text);
        assert_eq!(tokens.len(), 2);
        assert_eq!(tokens[0].key, "بەرپرسی");
        assert_eq!(&text[tokens[0].start..tokens[0].end], "به\u{200C}رپرسی");
    }

    #[test]
    fn arabic_digits_and_punctuation() {
        assert_eq!(
            keys(Lang::Ar, "في ١٧ شباط، ٢٠٢١؟"),
            ["في", "17", "شباط", ",", "2021", "?"]
        );
        assert_eq!(keys(Lang::Ar, "٣٫٥")[0], "3.5");
    }

    #[test]
    fn mirrored_brackets_are_punctuation_not_words() {
        let k = keys(Lang::En, "the Kurdish Coordination Line )KCL(");
        assert_eq!(
            k,
            ["the", "kurdish", "coordination", "line", ")", "kcl", "("]
        );
    }

    #[test]
    fn invisible_and_space_only_text_has_no_tokens() {
        assert!(tokenize(Lang::En, " \u{00A0}\u{200F}\t").is_empty());
    }

    #[test]
    fn quotes_are_unified() {
        assert_eq!(keys(Lang::En, "“Yes”"), ["\"", "yes", "\""]);
        assert_eq!(keys(Lang::Ckb, "«بەڵێ»"), ["\"", "بەڵێ", "\""]);
    }
}
