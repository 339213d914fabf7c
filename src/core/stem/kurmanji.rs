//! Kurmanji (Northern Kurdish, Latin script) light stemming: case, ezafe, indefinite and plural
//! endings of nouns and adjectives.
//!
//! Sources of the ending facts: KLPT's `kmr-morphemes.json` and the noun rules (`SFX N/M/F`) of
//! its Kurmanji Hunspell dictionary (Sina Ahmadi, CC BY-SA 4.0), which also give the vowel
//! conditions: after a consonant `-ê -a -ên -an -ek -ekê -ekî -eke`, after a vowel the same with a
//! glide `y` (`-yê -ya -yên -yan -yek …`); and the grammars (W. M. Thackston, *Kurmanji Kurdish:
//! A Reference Grammar*; Bedir Khan & Lescot). No code or data file is copied.
//!
//! What the endings mean: `-ê` feminine oblique and masculine ezafe, `-a` feminine ezafe, `-ên`
//! plural ezafe, `-an` plural oblique, `-ek` indefinite, `-ekê`/`-ekî`/`-eke`/`-eka` indefinite
//! oblique/ezafe forms, `-ekan` (`-ek` + plural oblique `-an`).
//!
//! Rules ([`RULES`]): endings are tried longest first and cut one at a time until none matches.
//! Every cut must leave [`MIN_STEM`] letters: Kurmanji writes all its vowels, so a two-letter
//! stem is a real word (`av` "water" in `ava`, `rê` "road" in `rêya`), while `ew`, `li`, `di`,
//! `dê`, `wan`, `wek` have no ending that would leave two letters. After a glide
//! ending, a stem-final `i` is written back as `î`: Kurmanji shortens `î` before `y`
//! (`hevpeymanî` → `hevpeymaniyê`), so `hevpeymaniyê`, `hevpeymaniya` → `hevpeymanî`.
//! Repeating the cut keeps forms of one word together even when the word itself ends like an
//! ending (`ziman`, `zimanê`, `zimanan` all give `zim`); place names in `-stan` keep their `-an`
//! (`kurdistanê` → `kurdistan`).
//!
//! Deliberately not cut:
//! - a bare `-î` / `-yî` (masculine oblique in KLPT's rules): in written Kurmanji it is far more
//!   often the derivational `-î` of `kurdî`, `aborî`, `siyasî`, `hevpeymanî`, `neteweyî`, which
//!   must stay so that `hevpeymaniyê` meets `hevpeymanî`; they are cut inside `-ekî`/`-yekî`;
//! - a bare `-e`, which is the copula or part of the word (`pêşmerge`, `xwe`), so `pêşmergeyan`,
//!   `pêşmergeyê`, `pêşmergeyek` → `pêşmerge`;
//! - `-in`/`-ine`/`-inan` (dialectal plurals in KLPT's rules), because `-in` ends every
//!   infinitive (`kirin`, `hatin`) and words like `jin`, `min`;
//! - verb prefixes (`di-`, `bi-`, `ne-`) and verb endings.
//!
//! A Turkish-style apostrophe before an ending (`kurdistan'ê`) is cut with the ending.
//!
//! Text typed without the Hawar diacritics (`hezen` for `hêzên`) is not stemmed as such: `-e`
//! for `-ê` is too often a real `e`, and even `-en` for `-ên` cuts real words (`beden`,
//! `fenomen`) in some forms but not in others (measured on KLPT's Hunspell forms).

use super::letters;

/// Fewest letters a cut may leave.
pub(super) const MIN_STEM: usize = 2;
/// Fewest letters before `stan` for a word to be taken as a place name.
const MIN_STAN_HEAD: usize = 3;
/// Longest part after an apostrophe that is taken for an ending (`'yekî` has 5 letters).
const MAX_APOSTROPHE_ENDING: usize = 5;

/// Which side an ending attaches to, as in KLPT's Hunspell conditions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Side {
    /// After a consonant (`[^aeêiîouû]`).
    Consonant,
    /// After a vowel, with the glide `y`.
    Vowel,
}

/// One ending and the side it attaches to.
#[derive(Debug, Clone, Copy)]
pub(super) struct Rule {
    pub ending: &'static str,
    pub side: Side,
}

const fn rule(ending: &'static str, side: Side) -> Rule {
    Rule { ending, side }
}

use crate::core::letters::is_alphabetic;
use Side::{Consonant as C, Vowel as V};

/// The endings, longest first.
pub(super) const RULES: &[Rule] = &[
    rule("yekê", V),
    rule("yekî", V),
    rule("yeke", V),
    rule("yeka", V),
    rule("ekan", C),
    rule("yên", V),
    rule("yan", V),
    rule("yek", V),
    rule("ekê", C),
    rule("ekî", C),
    rule("eke", C),
    rule("eka", C),
    rule("yê", V),
    rule("ya", V),
    rule("ên", C),
    rule("an", C),
    rule("ek", C),
    rule("ê", C),
    rule("a", C),
];

const VOWELS: [char; 8] = ['a', 'e', 'ê', 'i', 'î', 'o', 'u', 'û'];

/// The light stem of a Kurmanji key.
pub(super) fn stem(key: &str) -> String {
    if let Some((head, tail)) = key.split_once('\'') {
        let tail_is_ending =
            letters(tail) <= MAX_APOSTROPHE_ENDING && tail.chars().all(is_alphabetic);
        if !head.is_empty() && head.chars().all(is_alphabetic) && tail_is_ending {
            return stem(head);
        }
        return key.to_string();
    }
    if !key.chars().all(is_alphabetic) {
        return key.to_string();
    }
    let mut word = key.to_string();
    'cut: loop {
        for r in RULES {
            let Some(rest) = word.strip_suffix(r.ending) else {
                continue;
            };
            let last = rest.chars().next_back();
            let after_vowel = last.is_some_and(|c| VOWELS.contains(&c));
            let ok = letters(rest) >= MIN_STEM
                && match r.side {
                    V => after_vowel,
                    C => !after_vowel && !keeps_its_an(r.ending, &word),
                };
            if ok {
                let mut next = rest.to_string();
                if r.side == V && next.ends_with('i') {
                    next.pop();
                    next.push('î');
                }
                word = next;
                continue 'cut;
            }
        }
        break;
    }
    word
}

/// Whether cutting `ending` would take the `-an` of a `-stan` place name.
fn keeps_its_an(ending: &str, word: &str) -> bool {
    ending == "an" && is_stan_name(word)
}

/// A place name in `-stan` (`kurdistan`, `efxanistan`): at least 3 letters before `stan`, so
/// `destan` (`dest` + `an`, "hands") is still a plural.
fn is_stan_name(word: &str) -> bool {
    word.strip_suffix("stan")
        .is_some_and(|head| letters(head) >= MIN_STAN_HEAD)
}

#[cfg(test)]
mod tests {
    use super::super::stem as stem_key;
    use super::super::tests::{assert_group, assert_kept};
    use crate::core::lang::Lang::Kmr;

    #[test]
    fn brief_examples() {
        assert_group(
            Kmr,
            "hêz",
            &["hêzên", "hêz", "hêza", "hêzê", "hêzan", "Hêzên"],
        );
        assert_group(Kmr, "kurdistan", &["kurdistanê", "Kurdistan", "kurdistana"]);
        assert_group(
            Kmr,
            "hevpeymanî",
            &["hevpeymaniyê", "hevpeymanî", "hevpeymaniya"],
        );
        // pêşmerge ends in a vowel: its endings have the glide y, and the e stays.
        assert_group(
            Kmr,
            "pêşmerge",
            &[
                "pêşmergeyan",
                "pêşmerge",
                "pêşmergeyên",
                "pêşmergeyê",
                "pêşmergeyek",
            ],
        );
    }

    #[test]
    fn case_and_ezafe_after_a_consonant() {
        // -ê, -a, -ên, -an
        assert_group(
            Kmr,
            "herêm",
            &["herêma", "herêmê", "herêmên", "herêman", "herêm"],
        );
        assert_group(Kmr, "welat", &["welatê", "welatên", "welatan", "welat"]);
        assert_group(Kmr, "hikûmet", &["hikûmeta", "hikûmetê", "Hikûmet"]);
    }

    #[test]
    fn glide_endings_after_a_vowel() {
        // -yê, -ya, -yên, -yan, with î written back.
        assert_group(Kmr, "alî", &["aliyê", "aliya", "aliyan", "alî"]);
        assert_group(
            Kmr,
            "parlamento",
            &["parlamentoyê", "parlamentoya", "parlamento"],
        );
        assert_group(Kmr, "rê", &["rêya", "rêyê", "rê"]);
    }

    #[test]
    fn indefinite_endings() {
        // -ek, -ekê, -ekî, -eke, -eka, -ekan; -yek, -yekê, -yekî, -yeke after a vowel.
        assert_group(
            Kmr,
            "bajar",
            &[
                "bajarek",
                "bajarekî",
                "bajarekê",
                "bajareke",
                "bajareka",
                "bajarekan",
                "bajar",
            ],
        );
        assert_group(Kmr, "malbat", &["malbatek", "malbatekê", "malbata"]);
        assert_group(
            Kmr,
            "pêşmerge",
            &[
                "pêşmergeyekî",
                "pêşmergeyekê",
                "pêşmergeyeke",
                "pêşmergeyeka",
            ],
        );
    }

    #[test]
    fn repeated_cuts_keep_word_final_look_alikes_together() {
        assert_group(Kmr, "zim", &["ziman", "zimanê", "zimanan"]);
        assert_group(Kmr, "rojav", &["rojava", "rojavayê"]);
    }

    #[test]
    fn stan_names_and_plural_an() {
        assert_group(
            Kmr,
            "kurdistan",
            &["kurdistanê", "kurdistan'ê", "Kurdistan’ê"],
        );
        assert_group(Kmr, "efxanistan", &["efxanistanê", "efxanistan"]);
        assert_group(Kmr, "dest", &["destan", "destê", "dest"]);
        assert_group(Kmr, "kurd", &["kurdan", "kurdên", "kurd"]);
    }

    #[test]
    fn derivational_i_and_final_e_are_kept() {
        assert_kept(
            Kmr,
            &[
                "kurdî",
                "aborî",
                "siyasî",
                "neteweyî",
                "azadî",
                "xwe",
                "pêşmerge",
            ],
        );
    }

    #[test]
    fn short_words_survive() {
        assert_kept(
            Kmr,
            &[
                "ew", "li", "di", "ji", "bi", "ku", "ev", "dê", "wê", "vê", "wan", "van", "yê",
                "ya",
            ],
        );
        assert_kept(
            Kmr,
            &[
                "û", "jî", "ne", "min", "kirin", "hatin", "jin", "dan", "wek", "wekî",
            ],
        );
        for w in ["a", "ê", "an", "ên", "ek", "eke", "yekê"] {
            assert!(!stem_key(Kmr, w).is_empty(), "{w}");
        }
    }

    #[test]
    fn two_letter_stems() {
        assert_group(Kmr, "av", &["ava", "avê", "avan", "av"]);
        assert_group(Kmr, "ez", &["ezê"]);
    }

    #[test]
    fn undiacritized_endings_are_not_guessed() {
        assert_kept(Kmr, &["hezen", "beden", "fenomen"]);
        assert_group(Kmr, "beden", &["bedenê", "bedenekî", "bedenên"]);
    }

    #[test]
    fn non_letters_are_left_alone() {
        assert_kept(Kmr, &["ne-dewlet", "'ê"]);
    }

    #[test]
    fn rules_are_longest_first() {
        let lens: Vec<usize> = super::RULES
            .iter()
            .map(|r| r.ending.chars().count())
            .collect();
        assert!(lens.windows(2).all(|w| w[0] >= w[1]), "{lens:?}");
    }
}
