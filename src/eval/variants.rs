//! Inflection and spelling-variant retrieval: does a sentence written with another inflection
//! of a few words, or typed another way (Sorani on an Arabic keyboard, Kurmanji without ê î û ç
//! ş, Arabic without hamzas), still find the unit it came from?
//!
//! Queries are built from the memory's own sentences by applying such variants; a query is
//! *recalled* when the top suggestion at the fuzzy threshold is a unit with exactly the original
//! sentence. The baseline is what a naive translation memory does: lower-case, split on white
//! space, compare words as strings (word-level edit distance, exhaustive scan, same threshold).

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::{percent, Rng};
use crate::core::lang::Lang;
use crate::core::tokenize::without_hawar_diacritics;
use crate::service::{Service, ServiceError};

/// A typical CAT-tool minimum for fuzzy matches.
const THRESHOLD: u8 = 75;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Kind {
    Spelling,
    Inflection,
}

/// Spelling variants typed by real users, applied to the whole sentence.
fn spelling(lang: Lang, text: &str) -> String {
    match lang {
        // Lower case throughout, typographic apostrophes and quotes.
        Lang::En => text.to_lowercase().replace('\'', "’").replace('"', "”"),
        // Hamza seats dropped, alef maqsura for final yeh, teh marbuta as heh, Arabic-Indic digits.
        Lang::Ar => text
            .chars()
            .map(|c| match c {
                'أ' | 'إ' | 'آ' => 'ا',
                'ة' => 'ه',
                d @ '0'..='9' => char::from_u32(0x0660 + d as u32 - '0' as u32).unwrap_or(d),
                _ => c,
            })
            .collect(),
        // An Arabic keyboard: Arabic yeh and kaf, heh for the final ae, Arabic-Indic digits.
        Lang::Ckb => {
            let chars: Vec<char> = text.chars().collect();
            chars
                .iter()
                .enumerate()
                .map(|(i, &c)| match c {
                    'ی' => 'ي',
                    'ک' => 'ك',
                    'ە' if chars.get(i + 1).is_none_or(|n| !n.is_alphabetic()) => 'ه',
                    d @ '0'..='9' => char::from_u32(0x0660 + d as u32 - '0' as u32).unwrap_or(d),
                    _ => c,
                })
                .collect()
        }
        // A keyboard without the Hawar letters.
        Lang::Kmr => without_hawar_diacritics(text).into(),
    }
}

/// Another inflection of one word, if the word allows one the rules below know.
fn inflect(lang: Lang, word: &str, rng: &mut Rng) -> Option<String> {
    let n = word.chars().count();
    if n < 4 || !word.chars().all(char::is_alphabetic) {
        return None;
    }
    Some(match lang {
        Lang::En => match word.strip_suffix('s') {
            Some(stem) if !word.ends_with("ss") => stem.to_string(),
            _ => format!("{word}s"),
        },
        Lang::Ar => {
            if let Some(rest) = word.strip_prefix("ال") {
                [
                    format!("لل{rest}"),
                    format!("وال{rest}"),
                    format!("بال{rest}"),
                ][rng.below(3)]
                .clone()
            } else if let Some(stem) = word.strip_suffix('ة') {
                format!("{stem}ات")
            } else {
                format!("و{word}")
            }
        }
        Lang::Ckb => {
            if let Some(stem) = word.strip_suffix("ەکان") {
                format!("{stem}ەکە")
            } else if let Some(stem) = word.strip_suffix("ەکە") {
                format!("{stem}ەکان")
            } else if word.ends_with(['ە', 'ا', 'ۆ', 'ێ', 'ی', 'و']) {
                return None;
            } else {
                [
                    format!("{word}ەکە"),
                    format!("{word}ەکان"),
                    format!("{word}ێک"),
                ][rng.below(3)]
                .clone()
            }
        }
        Lang::Kmr => {
            if let Some(stem) = word.strip_suffix("ên") {
                format!("{stem}an")
            } else if let Some(stem) = word.strip_suffix("an") {
                format!("{stem}ên")
            } else if word.ends_with(['a', 'e', 'ê', 'î', 'i', 'o', 'u', 'û']) {
                return None;
            } else {
                [format!("{word}ê"), format!("{word}an"), format!("{word}ek")][rng.below(3)].clone()
            }
        }
    })
}

/// Inflect four words of the sentence (fewer if it has fewer that allow it): a sentence
/// rephrased around the same words, as the next release often does.
fn inflection(lang: Lang, text: &str, rng: &mut Rng) -> Option<String> {
    let words: Vec<&str> = text.split(' ').collect();
    let mut candidates: Vec<usize> = (0..words.len())
        .filter(|&i| inflect(lang, words[i], &mut Rng(1)).is_some())
        .collect();
    if candidates.is_empty() {
        return None;
    }
    let mut out: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    for _ in 0..4 {
        if candidates.is_empty() {
            break;
        }
        let i = candidates.swap_remove(rng.below(candidates.len()));
        out[i] = inflect(lang, words[i], rng)?;
    }
    Some(out.join(" "))
}

/// The naive translation memory's words.
fn naive_words(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_lowercase).collect()
}

/// The naive score: word-level edit distance on exact strings.
fn naive_score(a: &[String], b: &[String], row: &mut Vec<usize>) -> u8 {
    let longest = a.len().max(b.len());
    if longest == 0 {
        return 100;
    }
    row.clear();
    row.extend(0..=b.len());
    for (i, x) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, y) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(x != y))
                .min(above + 1)
                .min(row[j] + 1);
            diagonal = above;
        }
    }
    (100.0 * (1.0 - row[b.len()] as f64 / longest as f64)).floor() as u8
}

#[derive(Default)]
struct Tally {
    queries: usize,
    ours_found: usize,
    ours_returned: usize,
    naive_found: usize,
    naive_returned: usize,
}

/// Run the evaluation and print its table; returns the exit status.
pub fn run(files: &[PathBuf], per_kind: usize) -> Result<i32, ServiceError> {
    let dir = tempfile::tempdir().map_err(ServiceError::internal)?;
    let service = Service::open(dir.path())?;
    for file in files {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let report = service.import_tmx(file, &name, &mut |_| {})?;
        println!("loaded {name}: {} units", report.added);
    }
    // Per language: (text, a target language the unit has).
    let mut pools: BTreeMap<Lang, Vec<(String, Lang)>> = BTreeMap::new();
    service.store.db.for_each_unit(|u| {
        for v in &u.unit.variants {
            if let Some(other) = u.unit.variants.iter().find(|o| o.lang != v.lang) {
                pools
                    .entry(v.lang)
                    .or_default()
                    .push((v.text.clone(), other.lang));
            }
        }
        Ok(())
    })?;

    println!();
    println!("| lang | variant | queries | Werger recall | Werger precision | naive recall | naive precision |");
    println!("|---|---|---:|---:|---:|---:|---:|");
    let mut rng = Rng(0xA11C_E5EE_D000_0001);
    let mut row = Vec::new();
    for (lang, pool) in &pools {
        let naive_pool: Vec<Vec<String>> = pool.iter().map(|(t, _)| naive_words(t)).collect();
        for kind in [Kind::Spelling, Kind::Inflection] {
            let mut t = Tally::default();
            let mut attempts = 0;
            while t.queries < per_kind && attempts < per_kind * 20 {
                attempts += 1;
                let (original, target) = &pool[rng.below(pool.len())];
                let query = match kind {
                    Kind::Spelling => spelling(*lang, original),
                    Kind::Inflection => match inflection(*lang, original, &mut rng) {
                        Some(q) => q,
                        None => continue,
                    },
                };
                if query == *original || original.split_whitespace().count() < 4 {
                    continue;
                }
                t.queries += 1;
                let ours = service.matches(*lang, *target, &query, THRESHOLD, 1)?;
                if let Some(m) = ours.first() {
                    t.ours_returned += 1;
                    t.ours_found += usize::from(m.source == *original);
                }
                let q = naive_words(&query);
                let mut best: Option<(u8, usize)> = None;
                for (i, words) in naive_pool.iter().enumerate() {
                    let score = naive_score(&q, words, &mut row);
                    if score >= THRESHOLD && best.is_none_or(|(b, _)| score > b) {
                        best = Some((score, i));
                    }
                }
                if let Some((_, i)) = best {
                    t.naive_returned += 1;
                    t.naive_found += usize::from(pool[i].0 == *original);
                }
            }
            println!(
                "| {lang} | {} | {} | {} | {} | {} | {} |",
                match kind {
                    Kind::Spelling => "spelling",
                    Kind::Inflection => "inflection",
                },
                t.queries,
                percent(t.ours_found, t.queries),
                percent(t.ours_found, t.ours_returned),
                percent(t.naive_found, t.queries),
                percent(t.naive_found, t.naive_returned),
            );
        }
    }
    println!();
    println!("recall: share of queries whose top match (score >= {THRESHOLD}) is the original sentence; precision: share of returned top matches that are.");
    Ok(0)
}
