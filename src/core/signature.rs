//! Word signatures: a few integers per text that bound its fuzzy-match score against a query
//! without reading or analysing the text.
//!
//! A large memory returns a couple of hundred candidate texts per query, most of them
//! unrelated sentences that share a few words. Reading each one from the index's compressed
//! document store, analysing it and running the token edit distance was most of a lookup at 1M
//! units (BENCHMARKS.md). The index keeps each variant's signature in a fast column instead, and
//! [`QuerySignature::bound`] tells from it alone the best score the candidate could reach, so
//! only the candidates that could still make the list are read and scored.
//!
//! Why the bound holds (see [`super::fuzzy`]): aligning `n` query words with `m` candidate words
//! inserts or deletes at least `|n − m|` words (cost 1 each) and pairs at most `min(n, m)`.
//! A pair costs less than 0.5 only when both are numbers, share a match key or stem, or (in
//! Kurmanji) are the same word without the ê î û ç ş diacritics; every other pair costs at least
//! 0.5. So the distance is at least `|n − m| + 0.5 × (min(n, m) − k)`, where `k` counts the
//! pairs that could be cheap: the multiset intersection of number/stem classes plus that of
//! Kurmanji loose keys. Classes are hashed to 15 bits; a collision can only make `k` larger,
//! which loosens the bound but never breaks it (with ~25 classes a text, a query class meets a
//! stranger's hash in about one candidate in a thousand).

use super::lang::Lang;
use super::tokenize::{hawar_free_pieces, Analyzed, Token, TokenKind};

/// Bits of a class hash.
const HASH_BITS: u32 = 15;
/// Bits of a value's occurrence number.
const OCCURRENCE_BITS: u32 = 4;
/// Occurrences of one class told apart: the 17th "the" of a text has no value of its own.
/// When the query has a class past the cap, [`QuerySignature::bound`] counts every word past
/// the cap as possibly shared, so the cap never tightens the bound below the truth.
const MAX_OCCURRENCES: u64 = 1 << OCCURRENCE_BITS;
/// The tag bit of Kurmanji loose-key classes (above the hash).
const LOOSE: u64 = 1 << HASH_BITS;

/// The signature values of one analysed text: for each content token its number/stem class
/// and occurrence, and for Kurmanji words also their loose key. Each value is below 2²⁰ (a
/// 15-bit hash, the loose tag, a 4-bit occurrence), so the index packs three in a `u64`.
pub fn signature(text: &Analyzed) -> Vec<u64> {
    signature_of(text.lang, text.content())
}

/// [`signature`] over tokens (what the indexer has).
pub fn signature_of<'a>(lang: Lang, content: impl Iterator<Item = &'a Token>) -> Vec<u64> {
    signature_counted(lang, content).0
}

/// The signature and whether some class occurs more often than the cap. Values come sorted
/// (their order means nothing): the classes are sorted so that each one's occurrences are
/// numbered along a run, which is cheaper than a map of counts per text — this runs for every
/// variant an import indexes.
fn signature_counted<'a>(lang: Lang, content: impl Iterator<Item = &'a Token>) -> (Vec<u64>, bool) {
    // One class per content token, two per Kurmanji word: sized once (the tokens' count is the
    // iterator's upper bound).
    let per_token = if lang == Lang::Kmr { 2 } else { 1 };
    let mut classes = Vec::with_capacity(content.size_hint().1.unwrap_or(0) * per_token);
    for token in content {
        classes.push(class(token));
        if lang == Lang::Kmr && token.kind == TokenKind::Word {
            classes.push(LOOSE | loose_class_hash(&token.key));
        }
    }
    classes.sort_unstable();
    let mut overflow = false;
    let mut out = Vec::with_capacity(classes.len());
    let mut seen = 0;
    for (i, &class) in classes.iter().enumerate() {
        seen = if i > 0 && classes[i - 1] == class {
            seen + 1
        } else {
            0
        };
        if seen < MAX_OCCURRENCES {
            out.push(class << OCCURRENCE_BITS | seen);
        } else {
            overflow = true;
        }
    }
    (out, overflow)
}

/// Bits of one signature value (see [`signature`]).
const VALUE_BITS: u32 = HASH_BITS + 1 + OCCURRENCE_BITS;
/// Values per packed word.
const SLOTS: u32 = 3;
/// Bits of a slot of a packed word: a value plus one, so that 0 marks an empty slot.
const SLOT_BITS: u32 = 21;
const _: () = assert!(VALUE_BITS < SLOT_BITS && SLOTS * SLOT_BITS <= 64);

/// Three signature values per `u64` as the index stores them. A text has one value per word
/// (two per Kurmanji word), and each value of a fast column costs the index writer the same
/// whatever its size: the signature column was most of the fast-field work of an import, and
/// two values per word had already halved it (BENCHMARKS.md). Each slot holds its value plus
/// one, so the empty slots of a text's last word read as nothing.
pub fn pack(values: &[u64]) -> impl Iterator<Item = u64> + '_ {
    values.chunks(SLOTS as usize).map(|slots| {
        slots.iter().enumerate().fold(0, |word, (i, v)| {
            debug_assert!(*v >> VALUE_BITS == 0);
            word | (v + 1) << (SLOT_BITS * i as u32)
        })
    })
}

/// The values of [`pack`]ed words, in their order.
pub fn unpack(packed: impl IntoIterator<Item = u64>) -> impl Iterator<Item = u64> {
    packed.into_iter().flat_map(|word| {
        (0..SLOTS)
            .filter_map(move |i| (word >> (SLOT_BITS * i) & ((1 << SLOT_BITS) - 1)).checked_sub(1))
    })
}

/// Number of content tokens: what the bound compares lengths with.
pub fn words(text: &Analyzed) -> usize {
    text.content().count()
}

/// The number/stem class of a content token: all numbers are one class (any two numbers align
/// for free, their difference is a penalty); words are classed by stem (equal keys have equal
/// stems).
fn class(token: &Token) -> u64 {
    match token.kind {
        TokenKind::Number => 0,
        _ => class_hash(&token.stem).max(1),
    }
}

fn class_hash(text: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = fnv::FnvHasher::default();
    h.write(text.as_bytes());
    fold_hash(h.finish())
}

fn fold_hash(full: u64) -> u64 {
    (full ^ full >> 32) & ((1 << HASH_BITS) - 1)
}

/// [`class_hash`] of `key` without Hawar diacritics, hashed piece by piece (FNV reads bytes in
/// order, so the pieces hash as their concatenation would) instead of building the loose key
/// for every Kurmanji word of an import.
fn loose_class_hash(key: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = fnv::FnvHasher::default();
    hawar_free_pieces(key, |piece| h.write(piece.as_bytes()));
    fold_hash(h.finish())
}

/// A query's signature, ready to bound candidates.
pub struct QuerySignature {
    words: usize,
    /// Its values as a set of bits: every value is below 2^`VALUE_BITS`, so the set is 128 KiB,
    /// and testing a candidate's value is one load — the bound runs for hundreds of candidates
    /// of thirty-odd values per lookup, and a hashed set's lookups were a tenth of a lookup at
    /// 1M units (BENCHMARKS.md eighth round).
    values: Vec<u64>,
    /// Some class of the query occurs more often than the cap.
    overflow: bool,
}

impl QuerySignature {
    pub fn new(query: &Analyzed) -> Self {
        let (values, overflow) = signature_counted(query.lang, query.content());
        let mut bits = vec![0u64; 1 << (VALUE_BITS - 6)];
        for v in values {
            bits[(v >> 6) as usize] |= 1 << (v & 63);
        }
        QuerySignature {
            words: words(query),
            values: bits,
            overflow,
        }
    }

    /// The highest score a candidate with `words` content tokens and signature `values` can
    /// reach against this query (penalties only lower a score further).
    pub fn bound(&self, words: usize, values: impl IntoIterator<Item = u64>) -> u8 {
        let (n, m) = (self.words, words);
        let longest = n.max(m);
        if longest == 0 {
            return 100;
        }
        // (A value out of range — never written by this version — is shared with nothing.)
        let shared = values
            .into_iter()
            .filter(|&v| {
                self.values
                    .get((v >> 6) as usize)
                    .is_some_and(|word| word >> (v & 63) & 1 == 1)
            })
            .count();
        // Occurrences past the cap are in neither signature. Unless the query has some, the
        // cap removed nothing shared; if it has, every word past the cap may be shared (once
        // per value kind).
        let uncounted = if self.overflow {
            2 * n.min(m).saturating_sub(MAX_OCCURRENCES as usize)
        } else {
            0
        };
        let cheap = (shared + uncounted).min(n.min(m));
        let distance = n.abs_diff(m) as f32 + 0.5 * (n.min(m) - cheap) as f32;
        if distance <= f32::EPSILON {
            return 100;
        }
        // Rounded down as the scorer rounds its score, plus a thousandth: the scorer's distance
        // is a float sum that may come out a few ulps below the exact value this one is never
        // above, and the bound must not fall under the score by that. (Rounding up instead
        // made every near duplicate's bound a point too high: at 1M units a query whose 99
        // near duplicates all tie at the cut had every one of them scored.)
        (100.0 * (1.0 - distance / longest as f32) + 1e-3)
            .floor()
            .clamp(0.0, 100.0) as u8
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::fuzzy::Scorer;
    use crate::core::tokenize::without_hawar_diacritics;

    /// Hashing the pieces gives the hash of the loose key itself.
    #[test]
    fn loose_classes_hash_the_loose_key() {
        for key in [
            "hêzên",
            "şer",
            "plain",
            "",
            "çiyayê",
            "Ûû",
            "ڕۆژ",
            "e\u{0302}",
        ] {
            assert_eq!(
                loose_class_hash(key),
                class_hash(&without_hawar_diacritics(key)),
                "{key}"
            );
        }
    }

    fn bound(lang: Lang, query: &str, candidate: &str) -> (u8, u8) {
        let q = Analyzed::new(lang, query);
        let c = Analyzed::new(lang, candidate);
        let b = QuerySignature::new(&q).bound(words(&c), signature(&c));
        (b, Scorer::new().score(&q, &c))
    }

    #[test]
    fn packed_values_come_back_in_order_three_per_word() {
        let top = (1 << VALUE_BITS) - 1;
        for values in [
            vec![],
            vec![0],
            vec![0, 0],
            vec![top, 0, 7],
            vec![5, top, top, 0],
            vec![0, 0, 0, 0, top],
            vec![top; 6],
        ] {
            let packed: Vec<u64> = pack(&values).collect();
            assert_eq!(packed.len(), values.len().div_ceil(3), "{values:?}");
            assert_eq!(unpack(packed).collect::<Vec<_>>(), values);
        }
        let text = Analyzed::new(
            Lang::Kmr,
            "Li Duhokê di 9ê Hezîranê de, 12 kes birîndar bûn.",
        );
        let values = signature(&text);
        assert!(values.len() > 10);
        assert_eq!(
            unpack(pack(&values).collect::<Vec<_>>()).collect::<Vec<_>>(),
            values
        );
    }

    #[test]
    fn identical_and_renumbered_texts_keep_the_full_bound() {
        let (b, s) = bound(
            Lang::En,
            "The ministry met 12 mayors.",
            "The ministry met 12 mayors.",
        );
        assert_eq!((b, s), (100, 100));
        let (b, _) = bound(
            Lang::En,
            "The ministry met 12 mayors.",
            "The ministry met 40 mayors.",
        );
        assert_eq!(b, 100);
    }

    #[test]
    fn unrelated_texts_are_bounded_low() {
        let (b, s) = bound(
            Lang::En,
            "The ministry announced new vaccination centres in Duhok today.",
            "Heavy rain flooded several villages near the border overnight.",
        );
        assert!(b <= 60, "bound {b}");
        assert!(s <= b);
    }

    #[test]
    fn inflections_and_kurmanji_without_diacritics_count_as_shared() {
        // پێشمەرگە / پێشمەرگەکان share a stem; Kurmanji typed without ê î û ç ş shares the
        // loose key.
        let (b, s) = bound(Lang::Ckb, "پێشمەرگەکان گەیشتن", "پێشمەرگە گەیشتن");
        assert!(b >= s && b >= 90, "bound {b}, score {s}");
        let (b, s) = bound(
            Lang::Kmr,
            "Hevpeymaniye li Kurdistane civiya",
            "Hevpeymaniyê li Kurdistanê civiya",
        );
        assert!(b >= s && b >= 90, "bound {b}, score {s}");
    }

    /// The property everything relies on: over many pairs of real-looking texts in all four
    /// languages, the bound is never below the exact score.
    #[test]
    fn bound_is_never_below_the_score() {
        let texts = [
            (Lang::En, "In Duhok on 9 June, the Ministry of Health reported 1,204 new cases of COVID-19 and 12 deaths."),
            (Lang::En, "The Ministry of Health reported 204 new cases and 3 deaths on Monday."),
            (Lang::En, "The minister reports new case numbers; deaths fell."),
            (Lang::En, "the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the"),
            (Lang::En, "the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the cat"),
            (Lang::Ar, "أعلنت وزارة الصحة في دهوك بتاريخ 9 حزيران عن 1204 إصابات جديدة بفيروس كورونا"),
            (Lang::Ar, "وأعلنت الوزارة عن ١٢٠٤ إصابة جديدة بالفيروس"),
            (Lang::Ar, "اجتمع الوزير مع المحافظين"),
            (Lang::Ckb, "لە دهۆک لە 9ی حوزەیران، وەزارەتی تەندروستی ١٢٠٤ تووشبووی نوێی تۆمار کرد"),
            (Lang::Ckb, "وەزارەتی تەندروستی تووشبووانی نوێی تۆمارکرد"),
            (Lang::Ckb, "پێشمەرگەکان گەیشتنە شارەکە"),
            (Lang::Kmr, "Li Duhokê di 9ê Hezîranê de, Wezareta Tenduristiyê 1204 rewşên nû ragihand."),
            (Lang::Kmr, "Li Duhoke di 9e Hezirane de Wezareta Tenduristiye rewsen nu ragihand"),
            (Lang::Kmr, "Wezaret civiya."),
        ];
        let mut scorer = Scorer::new();
        let mut checked = 0;
        for (la, a) in texts {
            let qa = Analyzed::new(la, a);
            let sig = QuerySignature::new(&qa);
            for (lb, b) in texts.iter().filter(|(l, _)| *l == la) {
                let cb = Analyzed::new(*lb, *b);
                let bound = sig.bound(words(&cb), signature(&cb));
                let score = scorer.score(&qa, &cb);
                assert!(bound >= score, "{a} / {b}: bound {bound} < score {score}");
                checked += 1;
            }
        }
        assert!(checked > 40);
    }

    /// The query's values are a bit set: every value of the text itself is found, values it
    /// lacks are not, and a value out of range (not written by this version) counts as not
    /// shared rather than failing.
    #[test]
    fn the_query_set_finds_exactly_its_values() {
        let query = Analyzed::new(Lang::En, "Ten trucks reached Erbil on 12 May.");
        let q = QuerySignature::new(&query);
        let own = signature(&query);
        let n = words(&query);
        assert_eq!(q.bound(n, own.iter().copied()), 100);
        let other = signature(&Analyzed::new(
            Lang::En,
            "Nothing alike here at all, truly.",
        ));
        assert!(other.iter().all(|v| !own.contains(v)));
        let strangers = q.bound(n, other.iter().copied());
        assert!(strangers < 100);
        let out_of_range = (0..n as u64).map(|i| (1 << SLOT_BITS) + i);
        assert_eq!(q.bound(n, out_of_range), strangers);
    }

    /// Each class's occurrences are numbered 0, 1, 2…, up to the cap; past it the text is
    /// marked as overflowing and the bound still holds.
    #[test]
    fn occurrences_are_numbered_up_to_the_cap() {
        let text = Analyzed::new(Lang::En, format!("{} mayors met 4 5", "the ".repeat(40)));
        let (values, overflow) = signature_counted(Lang::En, text.content());
        assert!(overflow);
        let the = class(&text.tokens[0]);
        let of_the: Vec<u64> = values
            .iter()
            .filter(|v| *v >> OCCURRENCE_BITS == the)
            .map(|v| v & (MAX_OCCURRENCES - 1))
            .collect();
        assert_eq!(of_the, (0..16).collect::<Vec<u64>>());
        let numbers: Vec<u64> = values
            .iter()
            .filter(|v| *v >> OCCURRENCE_BITS == 0)
            .copied()
            .collect();
        assert_eq!(numbers, vec![0, 1]);
        assert_eq!(values.len(), 16 + 2 + 2);
        let (_, overflow) =
            signature_counted(Lang::En, Analyzed::new(Lang::En, "the the").content());
        assert!(!overflow);
        let (b, s) = bound(Lang::En, &"the ".repeat(40), &"the ".repeat(36));
        assert!(b >= s, "{b} {s}");
        let (b, s) = bound(Lang::En, &"the ".repeat(17), &"the ".repeat(17));
        assert_eq!((b, s), (100, 100));
    }

    #[test]
    fn values_fit_in_20_bits() {
        let text = Analyzed::new(Lang::Kmr, "Hevpeymaniyê li Kurdistanê 2025 civiya");
        let values = signature(&text);
        assert_eq!(values.len(), 4 + 4 + 1);
        assert!(values.iter().all(|v| *v < 1 << 20));
        // Loose-key classes carry the tag, stem classes do not.
        assert_eq!(
            values
                .iter()
                .filter(|v| *v >> OCCURRENCE_BITS & LOOSE != 0)
                .count(),
            4
        );
    }
}
