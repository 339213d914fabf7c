//! Term-recognition evaluation on TICO-19: load the published COVID-19 terminologies as a
//! glossary, then for every sentence pair of the translation memories whose English side
//! contains a term, ask whether the target-side check finds one of the concept's target terms
//! in the reference translation — as Werger's QA does (normalizer + stemmer + automaton) and as
//! a CAT tool does (case-insensitive substring). Translators do not always use the glossary's
//! word, so neither reaches 100%; the gap between the two is what morphology buys. The same
//! checks on sentence pairs whose English has *no* term of the concept estimate false alarms.

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::{for_each_tmx_unit, percent};
use crate::core::glossary::csv::{CsvLimits, CsvReader};
use crate::core::glossary::recognize::{Prepared, Recognizer};
use crate::core::glossary::{Concept, Status, Term};
use crate::core::lang::{dominant_script, Lang, Script};
use crate::service::ServiceError;

/// Read the terminology CSVs. Terms that the reader skips because their tag is not a language
/// Werger knows are kept when the file is TICO-19's `cb_IQ` list, which is Latin-script
/// Kurmanji labelled Sorani (see the corpus' SOURCE.md): they count as `kmr`.
fn load_glossary(files: &[PathBuf]) -> Result<(Vec<Concept>, Vec<String>), ServiceError> {
    let mut concepts = Vec::new();
    let mut notes = Vec::new();
    for path in files {
        let fail = |detail: String| ServiceError::InvalidParameter {
            name: "TERMINOLOGY".into(),
            detail: format!("{}: {detail}", path.display()),
        };
        let file = File::open(path).map_err(|e| fail(e.to_string()))?;
        let mut reader =
            CsvReader::new(file, CsvLimits::default()).map_err(|e| fail(e.to_string()))?;
        let (mut read, mut relabelled) = (0usize, 0usize);
        while let Some(mut parsed) = reader.next_concept().map_err(|e| fail(e.to_string()))? {
            for s in parsed.skipped.drain(..) {
                if s.tag.eq_ignore_ascii_case("cb_IQ")
                    && dominant_script(&s.text) == Some(Script::Latin)
                {
                    parsed
                        .concept
                        .terms
                        .push(Term::new(Lang::Kmr, s.text, Status::Preferred));
                    relabelled += 1;
                }
            }
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            parsed.concept.id = format!("{name}:{}", parsed.concept.id);
            if let Ok(c) = parsed.concept.validated() {
                if c.terms.len() >= 2 {
                    concepts.push(c);
                    read += 1;
                }
            }
        }
        notes.push(format!(
            "{}: {read} concepts{}",
            path.display(),
            if relabelled > 0 {
                format!(" ({relabelled} Latin-script terms tagged cb_IQ read as kmr)")
            } else {
                String::new()
            }
        ));
    }
    Ok((concepts, notes))
}

#[derive(Default)]
struct Tally {
    /// English occurrences whose concept has a term in the target language.
    expected: usize,
    werger: usize,
    exact: usize,
    words: usize,
    /// Checks on pairs where the concept is not in the English side.
    negatives: usize,
    werger_false: usize,
    exact_false: usize,
    words_false: usize,
}

/// Case-insensitive substring test, what CAT-tool QA does; lenient with suffixes (it finds
/// `vîrus` in `vîrusê`) and with everything else (`ta`, fever, in `tay`).
fn contains_exact(haystack_lower: &str, term: &str) -> bool {
    haystack_lower.contains(&term.to_lowercase())
}

/// Case-insensitive whole-word test: the term's words as a run of the text's words.
fn contains_words(haystack_lower: &str, term: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let (hay, needle) = (words(haystack_lower), words(&term.to_lowercase()));
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle.as_slice())
}

/// `files` are sentence-aligned TMX files with English and one other language.
pub fn run(
    terminologies: &[PathBuf],
    files: &[PathBuf],
    negatives_per_pair: usize,
    examples: usize,
) -> Result<i32, ServiceError> {
    let mut shown = 0;
    let (concepts, notes) = load_glossary(terminologies)?;
    let recognizer = Recognizer::new(concepts);
    println!("## Term recognition on TICO-19 (issue #5)\n");
    for n in &notes {
        println!("- {n}");
    }
    println!();
    println!("| pair | sentence pairs | English term occurrences | target term found: Werger | exact substring | exact whole words | false alarms: Werger | substring | whole words |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut timing_text = String::new();
    for path in files {
        let mut tally: HashMap<Lang, (usize, Tally)> = HashMap::new();
        let mut pairs: Vec<(String, Lang, String)> = Vec::new();
        for_each_tmx_unit(path, |_, unit| {
            let Some(en) = unit.variants.iter().find(|v| v.lang == Lang::En) else {
                return;
            };
            for v in unit.variants.iter().filter(|v| v.lang != Lang::En) {
                pairs.push((en.text.clone(), v.lang, v.text.clone()));
            }
        })?;
        for (i, (en, lang, target)) in pairs.iter().enumerate() {
            if timing_text.len() < 14_000 {
                timing_text.push_str(en);
                timing_text.push(' ');
            }
            let entry = tally.entry(*lang).or_default();
            entry.0 += 1;
            let t = &mut entry.1;
            let target_lower = target.to_lowercase();
            let prepared = Prepared::new(*lang, target);
            let mut seen = Vec::new();
            for occ in recognizer.find(Lang::En, en) {
                if seen.contains(&occ.concept) {
                    continue;
                }
                seen.push(occ.concept);
                let concept = recognizer.concept(occ.concept);
                let terms: Vec<&Term> = concept
                    .terms_in(*lang)
                    .filter(|t| t.status.is_allowed())
                    .collect();
                if terms.is_empty() {
                    continue;
                }
                t.expected += 1;
                let werger = recognizer.mentions(*lang, &prepared, occ.concept);
                let exact = terms
                    .iter()
                    .any(|term| contains_exact(&target_lower, &term.text));
                t.werger += usize::from(werger);
                t.exact += usize::from(exact);
                t.words += usize::from(
                    terms
                        .iter()
                        .any(|term| contains_words(&target_lower, &term.text)),
                );
                if exact && !werger && shown < examples {
                    shown += 1;
                    let wanted: Vec<&str> = terms.iter().map(|t| t.text.as_str()).collect();
                    eprintln!("missed {lang}: {wanted:?} in {target}");
                }
            }
            // False alarms: the same check for concepts of other sentences, picked
            // deterministically, whose English term is not in this sentence.
            for k in 0..negatives_per_pair {
                let other = &pairs[(i * 7919 + k * 104_729 + 1) % pairs.len()];
                for occ in recognizer.find(Lang::En, &other.0) {
                    if seen.contains(&occ.concept) {
                        continue;
                    }
                    let concept = recognizer.concept(occ.concept);
                    let terms: Vec<&Term> = concept
                        .terms_in(*lang)
                        .filter(|t| t.status.is_allowed())
                        .collect();
                    if terms.is_empty() {
                        continue;
                    }
                    t.negatives += 1;
                    t.werger_false +=
                        usize::from(recognizer.mentions(*lang, &prepared, occ.concept));
                    t.exact_false += usize::from(
                        terms
                            .iter()
                            .any(|term| contains_exact(&target_lower, &term.text)),
                    );
                    break;
                }
            }
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut langs: Vec<_> = tally.into_iter().collect();
        langs.sort_by_key(|(l, _)| *l);
        for (lang, (n, t)) in langs {
            if t.expected == 0 {
                println!("| {name} en→{lang} | {n} | 0 (no {lang} terms in the terminologies) | – | – | – | – | – | – |");
                continue;
            }
            println!(
                "| {name} en→{lang} | {n} | {} | {} | {} | {} | {} | {} | {} (of {}) |",
                t.expected,
                percent(t.werger, t.expected),
                percent(t.exact, t.expected),
                percent(t.words, t.expected),
                percent(t.werger_false, t.negatives),
                percent(t.exact_false, t.negatives),
                percent(t.words_false, t.negatives),
                t.negatives,
            );
        }
    }
    // Speed: recognition over a ~2,000-word English text with the whole glossary.
    let words: Vec<&str> = timing_text.split_whitespace().take(2000).collect();
    let text = words.join(" ");
    let rounds = 50;
    let start = Instant::now();
    let mut found = 0;
    for _ in 0..rounds {
        found = recognizer.find(Lang::En, &text).len();
    }
    let per = start.elapsed() / rounds;
    println!(
        "\nRecognition speed: {} words, {} terms found, {:.2} ms per pass over the whole text ({} concepts in the automaton).",
        words.len(),
        found,
        per.as_secs_f64() * 1000.0,
        recognizer.concepts().len()
    );
    Ok(0)
}

/// Files of a directory with names matching `pred`, sorted.
pub fn files_in(dir: &Path, pred: impl Fn(&str) -> bool) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(&pred))
        .collect();
    out.sort();
    out
}
