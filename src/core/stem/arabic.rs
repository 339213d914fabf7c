//! Arabic light stemming, light10 style.
//!
//! Source of the affix lists and the length guards: the light10 stemmer of Larkey, Ballesteros
//! & Connell, "Light Stemming for Arabic Information Retrieval" (2007), whose lists Lucene's
//! `ArabicStemmer` also documents. The order of operations is light10's:
//!
//! 1. a leading `و` ("and") is cut if at least [`MIN_AFTER_WAW`] letters remain, unless the `و`
//!    belongs to the word (see [`ROOT_WAW_WORDS`]);
//! 2. one definite-article prefix from [`ARTICLE_PREFIXES`] is cut if at least
//!    [`MIN_AFTER_ARTICLE`] letters remain;
//! 3. the suffixes of [`SUFFIXES`] are tried in their order, each cut if enough letters remain
//!    (the number next to it); unlike light10 (one pass) the pass is repeated until nothing
//!    changes (at most [`MAX_SUFFIX_PASSES`] times).
//!
//! Why repeat the suffix pass: light10's single pass depends on the order of the list, so
//! `سياراته` keeps `ات` (cut before `ه` in the list) while `سيارة` is cut to `سيار`, and
//! `لبناني` stops at `لبنان` while `لبنان` itself loses `ان`. Repeating makes the inflected forms
//! of one word meet.
//!
//! Deviations from light10's guard of 2 letters, all to keep short words whole (which the
//! repetition would otherwise cut twice): `ان`, `ون`, `ين` and `ي` need 3 letters to remain, so
//! `بيان`, `مكان`, `مدينة` (→ `مدين`, not `مد`), `إلى`/`الى` (key `الي`), `على`, `قوي`, `لدي`
//! keep them while `الطرفان`, `مواطنين`, `كردي` still lose them; and the words of [`KEPT_WHOLE`]
//! are never cut (`الله` would otherwise lose its "article" and become `له`).
//!
//! Keys come from `normalize::fold`, so there are no harakat or tatweel, `أ إ آ ٱ` are `ا`, `ى`
//! is `ي` and `ة` is `ه`: light10's `ية`/`ة` are therefore the `يه`/`ه` below.
//!
//! The stem chosen for nouns in `ة` and their plurals in `ات` is the bare base without either:
//! `حكومة`, `الحكومة`, `حكومات`, `الحكومات`, `حكومي` all give `حكوم`. Known light10 limits that
//! stay: `ة` written as `ت` before a pronoun (`حكومتها` → `حكومت`), broken plurals (`وزراء`
//! vs `وزير`), and prefixes `ب ل ك ف` without the article (`لوزارة`).

use std::collections::HashSet;
use std::sync::OnceLock;

use super::letters;

/// The conjunction `و` ("and") written on the next word.
const WAW: &str = "و";

/// Light10 / Lucene `ArabicStemmer` definite-article prefixes: `ال` alone or after one of the
/// one-letter particles `و` (and), `ب` (with), `ك` (like), `ف` (so); `لل` is `ل` (for) + `ال`
/// with the alef dropped in writing. Longest first; only one is cut.
pub(super) const ARTICLE_PREFIXES: [&str; 6] = ["وال", "بال", "كال", "فال", "لل", "ال"];

/// Light10 / Lucene `ArabicStemmer` suffixes in light10's order, each with the fewest letters
/// that must remain: `ها` (her/its), `ان` (dual), `ات` (feminine plural), `ون`/`ين` (masculine
/// plural, nominative/oblique), `يه` (`ية`, adjectival feminine), `ه` (`ة` teh marbuta, or
/// "his"), `ي` (adjectival / "my"). Light10's guard is 2 everywhere; see the module notes for
/// the 3s.
pub(super) const SUFFIXES: [(&str, usize); 8] = [
    ("ها", 2),
    ("ان", 3),
    ("ات", 2),
    ("ون", 3),
    ("ين", 3),
    ("يه", 2),
    ("ه", 2),
    ("ي", 3),
];

/// Light10: `و` is cut only if 3 or more letters remain (`ولد` keeps its `و`).
pub(super) const MIN_AFTER_WAW: usize = 3;
/// Light10: an article is cut only if 2 or more letters remain (`الى` is kept).
pub(super) const MIN_AFTER_ARTICLE: usize = 2;
/// Words whose look-alike affixes are part of the word.
pub(super) const KEPT_WHOLE: &[&str] = &["الله"];
/// Upper bound on suffix passes: one pass already cuts `ها` + `ات` + `ي` in list order
/// (`مسؤولياتها` → `مسؤول`); chains against the order (`سياراته`) need a second.
pub(super) const MAX_SUFFIX_PASSES: usize = 4;

/// Common words (folded keys) of news and official text whose first letter `و` is a root
/// letter, not the conjunction: light10 would read `وزارة` as "and" + `زارة`. A word keeps its
/// `و` when its suffix-stripped form equals the suffix-stripped form of one of these, so
/// `وزارة`, `وزارات`, `الوزارة`, `والوزارة` all give `وزار`. Three-letter words (`ولد`, `وقت`,
/// `وضع`) need no entry: the length guard already keeps them.
pub(super) const ROOT_WAW_WORDS: &[&str] = &[
    "وزاره",
    "وزير",
    "وزراء",
    "وزاري",
    "وطني",
    "ولايه",
    "واحد",
    "وجود",
    "وثيقه",
    "وثائق",
    "وكاله",
    "وكيل",
    "ورقه",
    "وفاه",
    "وحده",
    "وظيفه",
    "وظائف",
    "واجب",
    "وسيله",
    "وسائل",
    "وقود",
    "واقع",
    "وفقا",
    "وراء",
    "وادي",
    "والد",
    "والده",
    "وحيد",
    "وصول",
    "وفود",
    "وقائع",
    "وصيه",
    "ولاء",
    "وساطه",
    "وباء",
    "وجهه",
    "وارد",
    "واضح",
    "وافق",
    "وصلت",
    "ودائع",
    "وعود",
];

/// The suffix-stripped forms of [`ROOT_WAW_WORDS`], computed once.
fn root_waw_stems() -> &'static HashSet<&'static str> {
    static STEMS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    STEMS.get_or_init(|| ROOT_WAW_WORDS.iter().map(|w| strip_suffixes(w)).collect())
}

/// The light10 stem of an Arabic key made only of Arabic-script letters.
pub(super) fn stem(key: &str) -> String {
    if KEPT_WHOLE.contains(&key) {
        return key.to_string();
    }
    let mut word = key;
    if let Some(rest) = word.strip_prefix(WAW) {
        if letters(rest) >= MIN_AFTER_WAW {
            let whole = strip_suffixes(word);
            if root_waw_stems().contains(whole) {
                return whole.to_string();
            }
            word = rest;
        }
    }
    for prefix in ARTICLE_PREFIXES {
        if let Some(rest) = word.strip_prefix(prefix) {
            if letters(rest) >= MIN_AFTER_ARTICLE {
                word = rest;
                break;
            }
        }
    }
    strip_suffixes(word).to_string()
}

/// Repeated light10 suffix passes (see the module notes).
fn strip_suffixes(mut word: &str) -> &str {
    for _ in 0..MAX_SUFFIX_PASSES {
        let before = word.len();
        for (suffix, min) in SUFFIXES {
            if let Some(rest) = word.strip_suffix(suffix) {
                if letters(rest) >= min {
                    word = rest;
                }
            }
        }
        if word.len() == before {
            break;
        }
    }
    word
}

#[cfg(test)]
mod tests {
    use super::super::stem as stem_key;
    use super::super::tests::{assert_group, assert_kept};
    use crate::core::lang::Lang::Ar;

    #[test]
    fn brief_examples() {
        assert_group(Ar, "تحالف", &["للتحالف", "والتحالف", "التحالف", "تحالف"]);
        assert_group(Ar, "حاسوب", &["بالحاسوب", "الحاسوب", "حاسوب"]);
        assert_group(
            Ar,
            "حكوم",
            &["الحكومات", "الحكومة", "حكومة", "حكومات", "والحكومة"],
        );
        assert_group(
            Ar,
            "وزار",
            &["وزارة", "الوزارة", "وزارات", "والوزارة", "للوزارة"],
        );
    }

    #[test]
    fn each_article_prefix() {
        // وال بال كال فال لل ال
        assert_group(
            Ar,
            "جيش",
            &["والجيش", "بالجيش", "كالجيش", "فالجيش", "للجيش", "الجيش"],
        );
        assert_group(
            Ar,
            "اقليم",
            &["الإقليم", "وإقليم", "بالإقليم", "للإقليم", "إقليم"],
        );
    }

    #[test]
    fn conjunction_waw_then_article() {
        // light10 order: و first, then one article.
        assert_group(Ar, "تال", &["وبالتالي", "بالتالي", "تالي"]);
        assert_group(Ar, "مدين", &["وللمدينة", "المدينة", "مدينة"]);
        assert_group(Ar, "قال", &["وقال", "قال"]);
        assert_group(Ar, "اكد", &["وأكد", "أكد"]);
    }

    #[test]
    fn each_suffix() {
        // ها
        assert_group(Ar, "ارض", &["أرضها", "الأرض", "أرض"]);
        // ان (dual)
        assert_group(Ar, "طرف", &["الطرفان", "طرف"]);
        // ات
        assert_group(Ar, "انتخاب", &["الانتخابات", "انتخابات"]);
        // ون / ين
        assert_group(
            Ar,
            "مواطن",
            &["المواطنون", "المواطنين", "مواطن", "مواطنيها"],
        );
        // يه (ية) / ه (ة) / ي
        assert_group(Ar, "كرد", &["الكردية", "كردي", "الكردي", "كرد"]);
        assert_group(Ar, "سياس", &["سياسي", "السياسية", "السياسيين", "سياسيون"]);
        assert_group(Ar, "قو", &["قوة", "قوات", "القوات", "قواتها"]);
        // ه as "his"
        assert_group(Ar, "كتاب", &["كتابه", "الكتاب"]);
    }

    #[test]
    fn repeated_passes_make_plurals_and_pronouns_meet() {
        assert_group(Ar, "سيار", &["سياراته", "السيارات", "سيارة"]);
        assert_group(
            Ar,
            "مسؤول",
            &["مسؤولياتها", "المسؤولية", "المسؤولين", "مسؤول"],
        );
        assert_group(Ar, "بيان", &["بيانات", "البيان", "بيان"]);
        assert_group(Ar, "لبن", &["لبناني", "اللبنانية", "لبنان"]);
    }

    #[test]
    fn root_waw_is_kept() {
        assert_group(Ar, "وزير", &["وزير", "الوزير", "وزيرة", "والوزير"]);
        assert_group(Ar, "وطن", &["وطني", "الوطنية", "وطنية"]);
        assert_group(Ar, "وثيق", &["وثيقة", "الوثيقة"]);
        assert_group(Ar, "وكال", &["وكالة", "الوكالة", "وكالات"]);
        // Still cut after a conjunction و.
        assert_group(Ar, "وزار", &["ووزارة"]);
    }

    #[test]
    fn short_words_are_not_over_stemmed() {
        // و needs 3 letters after it; an article 2; a suffix 2 or 3.
        assert_kept(
            Ar,
            &[
                "ولد", "وقت", "وضع", "الى", "إلى", "بين", "عين", "دين", "ابن", "في",
            ],
        );
        assert_kept(
            Ar,
            &[
                "من", "على", "علي", "عن", "ان", "هو", "هي", "قوي", "لدي", "الله",
            ],
        );
        // Never empty, even for particles that look like affixes.
        for w in ["وال", "ها", "لل", "يه"] {
            assert_eq!(stem_key(Ar, w), w);
        }
    }

    #[test]
    fn hamza_letters_are_kept() {
        assert_group(Ar, "رئيس", &["الرئيس", "ورئيس", "رئيس"]);
        assert_group(Ar, "وزراء", &["الوزراء", "وزراء"]);
    }

    #[test]
    fn articles_are_longest_first() {
        let lens: Vec<usize> = super::ARTICLE_PREFIXES
            .iter()
            .map(|p| p.chars().count())
            .collect();
        assert!(lens.windows(2).all(|w| w[0] >= w[1]), "{lens:?}");
    }
}
