//! Word boundaries: the pieces the Unicode word-boundary rules (UAX #29) cut a text into, as
//! `unicode-segmentation` finds them, without running those rules over plain words.
//!
//! The rules look every character up in a large table; profiling a lookup in a memory of a
//! million units put a tenth of its time there, in the analysis of candidate texts (BENCHMARKS.md,
//! third round). Most of a text is plain words between spaces, and there the rules always give
//! one piece per word. So a text is split at its spaces (the rules always break on both sides
//! of a space, except that a space takes a following combining mark or format character into
//! its own piece — such a text is left to the full rules); a run of letters, digits and marks
//! is one piece, anything else goes through `unicode-segmentation` as before.
//!
//! Which characters start or continue such a run is asked of `unicode-segmentation` itself,
//! once per character (tables for U+0000–U+08FF as in [`super::letters`], a per-thread memo
//! above), so the answers are the crate's by construction; the test compares whole texts with
//! the crate's pieces.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::LazyLock;

use unicode_segmentation::UnicodeSegmentation;

use super::letters::{CharTable, TABLE_END};

/// What a character does in a run of word characters.
#[derive(Clone, Copy, Default)]
struct Role {
    /// Letters, digits, connector punctuation: joined to any other such character.
    starts: bool,
    /// Those, plus what the rules attach to the character before (combining marks, ZWNJ, ZWJ).
    continues: bool,
    /// Taken into the piece of a space just before it.
    follows_space: bool,
}

/// Whether UAX #29 keeps `text` in one piece.
fn one_piece(text: &str) -> bool {
    text.split_word_bounds().nth(1).is_none()
}

/// The role of `c`, found by cutting short probe texts around it.
fn probe(c: char) -> Role {
    let probes = ["a", "1"];
    let starts = probes
        .iter()
        .all(|x| one_piece(&format!("{c}{x}")) && one_piece(&format!("{x}{c}")));
    let attaches = probes.iter().all(|x| {
        one_piece(&format!("{x}{c}"))
            && one_piece(&format!("{x}{c}{c}"))
            && probes.iter().all(|y| one_piece(&format!("{x}{c}{y}")))
    });
    Role {
        starts,
        continues: starts || attaches,
        follows_space: one_piece(&format!(" {c}")),
    }
}

struct Tables {
    starts: CharTable,
    continues: CharTable,
    follows_space: CharTable,
}

static TABLES: LazyLock<Tables> = LazyLock::new(|| {
    let roles: Vec<Role> = (0..TABLE_END)
        .map(|i| char::from_u32(i).map_or(Role::default(), probe))
        .collect();
    let table = |pick: fn(&Role) -> bool| CharTable::from_fn(|c| pick(&roles[c as usize]));
    Tables {
        starts: table(|r| r.starts),
        continues: table(|r| r.continues),
        follows_space: table(|r| r.follows_space),
    }
});

thread_local! {
    /// Roles of the characters above the tables met so far (curly quotes, dashes, ZWNJ…).
    static ABOVE: RefCell<HashMap<char, Role>> = RefCell::new(HashMap::new());
}

fn role(c: char) -> Role {
    if (c as u32) < TABLE_END {
        let t = &*TABLES;
        Role {
            starts: t.starts.has(c),
            continues: t.continues.has(c),
            follows_space: t.follows_space.has(c),
        }
    } else {
        ABOVE.with_borrow_mut(|memo| *memo.entry(c).or_insert_with(|| probe(c)))
    }
}

/// Punctuation the rules always cut on both sides of at the edges of a word — before a word,
/// after one, or next to each other — so a word with these around it is cut without the rules:
/// each of them is a piece of its own. (Not the apostrophes: after a Hebrew letter the rules
/// keep one in the word; not CR or LF, which pair up.) The test checks them against the full
/// rules.
const EDGE: &[char] = &[
    ',', '.', ';', ':', '!', '?', '(', ')', '[', ']', '"', '«', '»', '“', '”', '،', '؛', '؟',
];

/// The pieces of `text` by UAX #29 with their byte offsets, leaving out pieces made only of
/// spaces (U+0020): the same pieces, in order, as `split_word_bound_indices` minus those.
pub fn word_pieces<'a>(text: &'a str) -> Vec<(usize, &'a str)> {
    // Room for a piece per five bytes (English press text has one per ~5.5, Arabic-script
    // text one per ~9): growing this vector was ~1% of an import.
    let mut out = Vec::with_capacity(text.len() / 5 + 2);
    let mut at = 0;
    for chunk in text.split(' ') {
        let start = at;
        at += chunk.len() + 1;
        let mut chars = chunk.chars();
        let Some(first) = chars.next() else {
            continue;
        };
        let lead = role(first);
        if start > 0 && lead.follows_space {
            // The space before takes this character into its piece: the full rules decide.
            return all_pieces(text);
        }
        if lead.starts && chars.all(|c| role(c).continues) {
            out.push((start, chunk));
            continue;
        }
        // A word with punctuation around it: "(ISF)", "forces,", "2021.", "«وتی»".
        let core = chunk.trim_matches(EDGE);
        let mut core_chars = core.chars();
        let plain_core = core_chars
            .next()
            .is_some_and(|c| role(c).starts && core_chars.all(|c| role(c).continues));
        if plain_core {
            let core_start = start + (chunk.len() - chunk.trim_start_matches(EDGE).len());
            let core_end = core_start + core.len();
            let edges = |from: usize, part: &'a str| {
                part.char_indices()
                    .map(move |(i, c)| (from + i, &part[i..i + c.len_utf8()]))
            };
            out.extend(edges(start, &text[start..core_start]));
            out.push((core_start, core));
            out.extend(edges(core_end, &text[core_end..start + chunk.len()]));
        } else {
            out.extend(
                chunk
                    .split_word_bound_indices()
                    .map(|(offset, piece)| (start + offset, piece)),
            );
        }
    }
    out
}

/// Every piece by the full rules, runs of spaces left out.
fn all_pieces(text: &str) -> Vec<(usize, &str)> {
    text.split_word_bound_indices()
        .filter(|(_, piece)| !piece.bytes().all(|b| b == b' '))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Texts built from characters the rules treat differently — letters of the four
    /// languages, digits in three systems, harakat, ZWNJ/ZWJ, apostrophes, quotes, the soft
    /// hyphen, tatweel, emoji, regional indicators, katakana, line breaks, tabs and runs of
    /// spaces — are cut exactly as `unicode-segmentation` cuts them.
    #[test]
    fn pieces_are_those_of_the_full_rules() {
        let alphabet: Vec<char> = " a Z ê ş 1 ٣ ۴ ب ە ڕ ک \u{064B} \u{0651} \u{0670} \u{200C} \u{200D} \
             ' ’ . , : ; ! ? ( [ ] » “ ” ؛ ؟ _ - \" « ) \t \n \r \u{00A0} \u{00AD} \u{0640} \u{061C} \u{0301} 🙂 \u{1F1E6} ア ،"
            .split(' ')
            .filter_map(|s| s.chars().next())
            .chain([' ', ' ', ' '])
            .collect();
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |bound: usize| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as usize % bound
        };
        for _ in 0..30_000 {
            let len = next(14);
            let text: String = (0..len).map(|_| alphabet[next(alphabet.len())]).collect();
            assert_eq!(word_pieces(&text), all_pieces(&text), "{text:?}");
        }
        for text in [
            "In Duhok on 27 May, the ministry said: \"COVID-19 isn’t over.\"",
            "لە بەغدا لە ٢٧ی ئایار، وەزارەت ڕایگەیاند کە ڤایرۆسەکە",
            "Li Duhokê di 27ê Gulanê de, wezaretê got ku  vîrus",
            "وقالت الوزارة إنَّ ١٢ حالة سُجِّلت",
            "  leading and trailing  ",
            " \u{064B}mark after a space",
            "(ISF), forces. 2021. «وتی»: a.b. 1,000, 3.5. ..a ,1 \"quoted\"",
            "word'. \u{05D0}\". \u{05D0}'. ok.\r\n x.\u{0301} ?!; ([x]) “a” ؛ب؟",
        ] {
            assert_eq!(word_pieces(text), all_pieces(text), "{text:?}");
        }
    }
}
