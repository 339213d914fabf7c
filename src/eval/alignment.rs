//! Alignment evaluation: does [`align`] recover the sentence pairs of real translated documents?
//!
//! Gold comes from sentence-aligned corpora whose sentences still know their document:
//! TICO-19 (TMX, `tuid` = `DOC:N`; documents are rebuilt by grouping on `DOC` and ordering by
//! `N`) and NTREX-128 (line-aligned files, `DOCUMENT_IDS.tsv` naming each line's article in
//! contiguous blocks). Both are 1-1 by construction, so two conditions are scored:
//!
//! * **unperturbed**: the documents as they are (every gold group 1-1);
//! * **perturbed**: on the target side, at about 15% of the positions (a fixed-seed generator,
//!   so every run sees the same input), two adjacent sentences are merged (joined by a space;
//!   gold 2-1), a sentence is split at the comma nearest its middle (`,` or `،`; gold 1-2), or a
//!   sentence is dropped (gold 1-0). When the chosen edit is impossible (no next sentence, no
//!   usable comma, the only sentence) the next one in the order merge → split → drop is tried.
//!
//! **Scoring** (the same for Werger and the baseline): strict group-level precision, recall and
//! F1 over the groups that pair sentences — the translation units an aligner hands to the
//! memory. A predicted group is correct only if exactly the same source range is paired with
//! exactly the same target range in the gold; omissions (1-0, 0-1) produce no unit and are not
//! counted themselves, but getting one wrong costs the neighbouring group it was glued to. This
//! is the "strict" measure of the alignment literature (published figures in
//! LANGUAGE-NOTES.md); a second table gives the looser link-level F1, where each group is
//! expanded into its (source, target) sentence pairs, for comparison.
//!
//! **Baseline**: NLTK's Gale–Church (`align_blocks`) on the character length of every
//! sentence, run by `.ci/galechurch.py` with the interpreter given as `python`, one call per
//! document on exactly the input Werger sees. Its output, a list of (source, target) links,
//! is turned back into groups (connected runs of links).
//!
//! `WERGER_EVAL_VERBOSE=1` prints some of Werger's wrong groups per row to stderr, with the
//! sentences around them.

use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::core::align::{align, Text};
use crate::core::lang::Lang;
use crate::service::ServiceError;

/// Share of target positions edited in the perturbed condition.
const PERTURB_RATE: f64 = 0.15;

/// Seed of the perturbation generator (any fixed value; changing it changes the input).
const SEED: u64 = 0x5745_5247_4552_2d34;

/// The F1 targets of the issue: unperturbed, perturbed.
const TARGETS: (f64, f64) = (0.98, 0.93);

/// Wrong groups printed per row with `WERGER_EVAL_VERBOSE=1`.
const VERBOSE_EXAMPLES: usize = 12;

/// A document in two languages, sentence i of one the translation of sentence i of the other.
struct Document {
    source: Vec<String>,
    target: Vec<String>,
}

/// A corpus and language pair with its documents.
struct Collection {
    corpus: &'static str,
    target: Lang,
    documents: Vec<Document>,
}

/// TICO-19 (English, other) sentence pairs by target language, document id and sentence number.
type TicoPairs = BTreeMap<Lang, BTreeMap<String, BTreeMap<u64, (String, String)>>>;

/// A group as (source range, target range).
type Pair = (Range<usize>, Range<usize>);

/// One alignment problem: the texts to align and the gold groups.
struct Instance {
    source: Vec<String>,
    target: Vec<String>,
    gold: Vec<Pair>,
}

use super::Counts as Score;

/// Strict group-level score: groups pairing sentences on both sides, compared exactly.
fn strict(gold: &[Pair], predicted: &[Pair]) -> Score {
    let paired = |g: &&Pair| !g.0.is_empty() && !g.1.is_empty();
    let gold: HashSet<&Pair> = gold.iter().filter(paired).collect();
    let predicted: Vec<&Pair> = predicted.iter().filter(paired).collect();
    Score {
        gold: gold.len(),
        predicted: predicted.len(),
        correct: predicted.iter().filter(|p| gold.contains(*p)).count(),
    }
}

/// Link-level score: every group expanded into its (source, target) sentence pairs.
fn links(gold: &[Pair], predicted: &[Pair]) -> Score {
    let expand = |groups: &[Pair]| -> HashSet<(usize, usize)> {
        groups
            .iter()
            .flat_map(|(s, t)| s.clone().flat_map(move |i| t.clone().map(move |j| (i, j))))
            .collect()
    };
    let (gold, predicted) = (expand(gold), expand(predicted));
    Score {
        gold: gold.len(),
        predicted: predicted.len(),
        correct: predicted.intersection(&gold).count(),
    }
}

/// The conditions scored.
#[derive(Clone, Copy, PartialEq)]
enum Condition {
    Unperturbed,
    Perturbed,
}

impl Condition {
    fn name(self) -> &'static str {
        match self {
            Condition::Unperturbed => "unperturbed",
            Condition::Perturbed => "perturbed",
        }
    }
}

/// Run the evaluation; returns the exit status (0: figures printed).
pub fn run(
    tmx_files: &[PathBuf],
    ntrex_dir: Option<&Path>,
    python: Option<&Path>,
) -> Result<i32, ServiceError> {
    let mut collections = Vec::new();
    let mut tico: TicoPairs = BTreeMap::new();
    for path in tmx_files {
        read_tmx(path, &mut tico)?;
    }
    for (target, docs) in tico {
        collections.push(Collection {
            corpus: "TICO-19",
            target,
            documents: docs
                .into_values()
                .map(|sentences| {
                    let (source, target) = sentences.into_values().unzip();
                    Document { source, target }
                })
                .collect(),
        });
    }
    if let Some(dir) = ntrex_dir {
        collections.extend(read_ntrex(dir)?);
    }
    if collections.is_empty() {
        return Err(ServiceError::InvalidParameter {
            name: "FILE".into(),
            detail: "no documents: give TICO-19 TMX files and/or --ntrex".into(),
        });
    }

    struct Row {
        corpus: &'static str,
        target: Lang,
        condition: Condition,
        instances: Vec<Instance>,
        werger: Vec<Vec<Pair>>,
        seconds: f64,
    }
    let mut rows = Vec::new();
    for collection in &collections {
        for condition in [Condition::Unperturbed, Condition::Perturbed] {
            let mut rng = Rng::new(SEED ^ ((collection.target.index() as u64) << 32));
            let instances: Vec<Instance> = collection
                .documents
                .iter()
                .filter(|d| !d.source.is_empty())
                .map(|d| match condition {
                    Condition::Unperturbed => Instance {
                        source: d.source.clone(),
                        target: d.target.clone(),
                        gold: (0..d.source.len()).map(|i| (i..i + 1, i..i + 1)).collect(),
                    },
                    Condition::Perturbed => perturb(d, &mut rng),
                })
                .collect();
            let started = Instant::now();
            let werger: Vec<Vec<Pair>> = instances
                .iter()
                .map(|inst| {
                    align(
                        &Text {
                            lang: Lang::En,
                            sentences: &inst.source,
                            paragraphs: &[],
                        },
                        &Text {
                            lang: collection.target,
                            sentences: &inst.target,
                            paragraphs: &[],
                        },
                    )
                    .into_iter()
                    .map(|g| (g.source, g.target))
                    .collect()
                })
                .collect();
            rows.push(Row {
                corpus: collection.corpus,
                target: collection.target,
                condition,
                instances,
                werger,
                seconds: started.elapsed().as_secs_f64(),
            });
        }
    }

    // The baseline, all documents of all rows in one subprocess.
    let baseline: Option<Vec<Option<Vec<Pair>>>> = match python {
        Some(python) => {
            let all: Vec<&Instance> = rows.iter().flat_map(|r| r.instances.iter()).collect();
            Some(gale_church(python, &all)?)
        }
        None => {
            println!("Gale–Church baseline not run (no --python given)\n");
            None
        }
    };

    let verbose = std::env::var_os("WERGER_EVAL_VERBOSE").is_some();
    println!(
        "Strict group-level scores over the groups that pair sentences (exact source and target \
         ranges); perturbed = {:.0}% of target positions merged, split or dropped (seed {SEED:#x}).\n",
        PERTURB_RATE * 100.0
    );
    println!(
        "| corpus | pair | condition | documents | Werger P | R | F1 | Gale–Church P | R | F1 |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    let mut offset = 0;
    let mut link_lines = Vec::new();
    let mut pooled: BTreeMap<(Lang, &str), (Score, Score)> = BTreeMap::new();
    for row in &rows {
        let (mut ours, mut ours_links) = (Score::default(), Score::default());
        let mut examples = 0;
        for (inst, pred) in row.instances.iter().zip(&row.werger) {
            ours.add(strict(&inst.gold, pred));
            ours_links.add(links(&inst.gold, pred));
            if verbose && examples < VERBOSE_EXAMPLES {
                let label = format!("{} en–{} {}", row.corpus, row.target, row.condition.name());
                examples += show_errors(inst, pred, &label, VERBOSE_EXAMPLES - examples);
            }
        }
        let theirs = baseline.as_ref().map(|all| {
            let (mut s, mut l, mut failed) = (Score::default(), Score::default(), 0);
            for (k, inst) in row.instances.iter().enumerate() {
                match &all[offset + k] {
                    Some(pred) => {
                        s.add(strict(&inst.gold, pred));
                        l.add(links(&inst.gold, pred));
                    }
                    None => {
                        failed += 1;
                        s.add(strict(&inst.gold, &[]));
                        l.add(links(&inst.gold, &[]));
                    }
                }
            }
            (s, l, failed)
        });
        offset += row.instances.len();
        let entry = pooled
            .entry((row.target, row.condition.name()))
            .or_default();
        entry.0.add(ours);
        let fmt = |s: &Score| format!("{:.3} | {:.3} | {:.3}", s.precision(), s.recall(), s.f1());
        let base = theirs
            .as_ref()
            .map_or("– | – | –".to_string(), |(s, _, _)| fmt(s));
        if let Some((s, _, _)) = &theirs {
            entry.1.add(*s);
        }
        println!(
            "| {} | en–{} | {} | {} | {} | {} |",
            row.corpus,
            row.target,
            row.condition.name(),
            row.instances.len(),
            fmt(&ours),
            base
        );
        link_lines.push(format!(
            "| {} | en–{} | {} | {:.3} | {} | {:.2} s |{}",
            row.corpus,
            row.target,
            row.condition.name(),
            ours_links.f1(),
            theirs
                .as_ref()
                .map_or("–".to_string(), |(_, l, _)| format!("{:.3}", l.f1())),
            row.seconds,
            match &theirs {
                Some((_, _, failed)) if *failed > 0 => {
                    format!(" baseline failed on {failed} documents (scored as empty)")
                }
                _ => String::new(),
            }
        ));
    }
    println!("\nBoth corpora pooled (strict F1):\n");
    println!("| pair | condition | Werger F1 | Gale–Church F1 | target | met |");
    println!("|---|---|---|---|---|---|");
    for ((target, condition), (ours, theirs)) in &pooled {
        let goal = if *condition == "unperturbed" {
            TARGETS.0
        } else {
            TARGETS.1
        };
        let met = ours.f1() >= goal
            && (baseline.is_none() || *condition == "unperturbed" || ours.f1() > theirs.f1());
        println!(
            "| en–{target} | {condition} | {:.3} | {} | ≥ {goal:.2}{} | {} |",
            ours.f1(),
            if baseline.is_some() {
                format!("{:.3}", theirs.f1())
            } else {
                "–".into()
            },
            if *condition == "perturbed" {
                " and above Gale–Church"
            } else {
                ""
            },
            if met { "yes" } else { "no" }
        );
    }
    println!("\nLink-level F1 (groups expanded into sentence pairs) and Werger's time:\n");
    println!("| corpus | pair | condition | Werger F1 | Gale–Church F1 | Werger time |");
    println!("|---|---|---|---|---|---|");
    for line in link_lines {
        println!("{line}");
    }
    Ok(0)
}

/// Print up to `limit` wrong predicted groups of one instance; returns how many were printed.
fn show_errors(inst: &Instance, predicted: &[Pair], label: &str, limit: usize) -> usize {
    let gold: HashSet<&Pair> = inst.gold.iter().collect();
    let mut shown = 0;
    for p in predicted {
        if shown >= limit || gold.contains(p) || (p.0.is_empty() && p.1.is_empty()) {
            continue;
        }
        let near: Vec<&Pair> = inst
            .gold
            .iter()
            .filter(|g| g.0.start <= p.0.end + 1 && p.0.start <= g.0.end + 1)
            .collect();
        eprintln!("{label}: wrong {p:?}; gold nearby {near:?}");
        let lo = p.0.start.saturating_sub(1);
        for i in lo..(p.0.end + 1).min(inst.source.len()) {
            eprintln!("   src[{i}] {}", inst.source[i]);
        }
        let lo = p.1.start.saturating_sub(1);
        for j in lo..(p.1.end + 1).min(inst.target.len()) {
            eprintln!("   tgt[{j}] {}", inst.target[j]);
        }
        shown += 1;
    }
    shown
}

/// Perturb the target side of a 1-1 document; see the module documentation.
fn perturb(doc: &Document, rng: &mut Rng) -> Instance {
    let n = doc.source.len().min(doc.target.len());
    let (mut target, mut gold) = (Vec::new(), Vec::new());
    let mut i = 0;
    while i < n {
        let k = target.len();
        let mut done = false;
        if rng.unit() < PERTURB_RATE {
            let first = rng.below(3);
            for op in (0..3).map(|d| (first + d) % 3) {
                match op {
                    0 if i + 1 < n => {
                        target.push(format!("{} {}", doc.target[i], doc.target[i + 1]));
                        gold.push((i..i + 2, k..k + 1));
                        i += 2;
                    }
                    1 => match split_at_comma(&doc.target[i]) {
                        Some((a, b)) => {
                            target.push(a);
                            target.push(b);
                            gold.push((i..i + 1, k..k + 2));
                            i += 1;
                        }
                        None => continue,
                    },
                    // Never drop the only sentence left: the target side must not be empty.
                    2 if n > 1 && (k > 0 || i + 1 < n) => {
                        gold.push((i..i + 1, k..k));
                        i += 1;
                    }
                    _ => continue,
                }
                done = true;
                break;
            }
        }
        if !done {
            target.push(doc.target[i].clone());
            gold.push((i..i + 1, k..k + 1));
            i += 1;
        }
    }
    Instance {
        source: doc.source[..n].to_vec(),
        target,
        gold,
    }
}

/// Split a sentence after the comma (`,` or `،`) nearest its middle; commas between digits
/// (`1,245`) do not count, and both halves must contain a letter or digit.
fn split_at_comma(sentence: &str) -> Option<(String, String)> {
    let chars: Vec<(usize, char)> = sentence.char_indices().collect();
    let middle = chars.len() / 2;
    let mut best: Option<(usize, usize)> = None;
    for (k, &(at, c)) in chars.iter().enumerate() {
        if c != ',' && c != '،' {
            continue;
        }
        let digit = |q: Option<&(usize, char)>| q.is_some_and(|(_, c)| c.is_numeric());
        if digit(k.checked_sub(1).and_then(|p| chars.get(p))) && digit(chars.get(k + 1)) {
            continue;
        }
        let (a, b) = (
            sentence[..at + c.len_utf8()].trim(),
            sentence[at + c.len_utf8()..].trim(),
        );
        let content = |s: &str| s.chars().any(char::is_alphanumeric);
        if !content(a) || !content(b) {
            continue;
        }
        let distance = k.abs_diff(middle);
        if best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, at + c.len_utf8()));
        }
    }
    best.map(|(_, cut)| {
        (
            sentence[..cut].trim().to_string(),
            sentence[cut..].trim().to_string(),
        )
    })
}

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny deterministic generator, so the perturbed
/// input is the same on every machine without a dependency.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Character length of a sentence, as given to the baseline (Unicode scalar values).
fn char_length(s: &str) -> usize {
    s.chars().count()
}

/// Run NLTK's Gale–Church on every instance; `None` for documents where it raised.
fn gale_church(
    python: &Path,
    instances: &[&Instance],
) -> Result<Vec<Option<Vec<Pair>>>, ServiceError> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/galechurch.py");
    let request = serde_json::json!({
        "documents": instances.iter().map(|inst| serde_json::json!({
            "source": inst.source.iter().map(|s| char_length(s)).collect::<Vec<_>>(),
            "target": inst.target.iter().map(|s| char_length(s)).collect::<Vec<_>>(),
        })).collect::<Vec<_>>()
    });
    let mut child = Command::new(python)
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| ServiceError::internal(format!("{}: {e}", python.display())))?;
    {
        let mut stdin = child
            .stdin
            .take()
            .ok_or_else(|| ServiceError::internal("no stdin for the baseline"))?;
        stdin
            .write_all(request.to_string().as_bytes())
            .map_err(ServiceError::internal)?;
    }
    let output = child.wait_with_output().map_err(ServiceError::internal)?;
    if !output.status.success() {
        return Err(ServiceError::internal(format!(
            "{} {} failed: {}",
            python.display(),
            script.display(),
            output.status
        )));
    }
    let answer: Vec<Option<Vec<(usize, usize)>>> =
        serde_json::from_slice(&output.stdout).map_err(ServiceError::internal)?;
    if answer.len() != instances.len() {
        return Err(ServiceError::internal(format!(
            "the baseline answered {} documents, {} were asked",
            answer.len(),
            instances.len()
        )));
    }
    Ok(answer
        .into_iter()
        .map(|links| links.map(|l| groups_from_links(&l)))
        .collect())
}

/// Groups from a monotone list of links: links sharing a source or a target sentence with the
/// previous one belong to the same group (NLTK returns a k×l group as its k·l links).
fn groups_from_links(links: &[(usize, usize)]) -> Vec<Pair> {
    let mut sorted = links.to_vec();
    sorted.sort_unstable();
    let mut groups: Vec<Pair> = Vec::new();
    for (i, j) in sorted {
        match groups.last_mut() {
            Some((s, t)) if s.contains(&i) || t.contains(&j) => {
                s.end = s.end.max(i + 1);
                t.end = t.end.max(j + 1);
            }
            _ => groups.push((i..i + 1, j..j + 1)),
        }
    }
    groups
}

/// Read a TICO-19 TMX file: (English, other) sentence pairs by target language, document and
/// sentence number.
fn read_tmx(path: &Path, out: &mut TicoPairs) -> Result<(), ServiceError> {
    super::for_each_tmx_unit(path, |position, unit| {
        let english = unit.variants.iter().find(|v| v.lang == Lang::En);
        let other = unit.variants.iter().find(|v| v.lang != Lang::En);
        let (Some(english), Some(other)) = (english, other) else {
            return;
        };
        let (source, target) = (english.text.trim(), other.text.trim());
        if source.is_empty() || target.is_empty() {
            return;
        }
        // `DOC:N`; without a usable number the unit is its own document, in file order.
        let tuid = unit.external_id.clone().unwrap_or_default();
        let (doc, number) = match super::document_and_number(&tuid) {
            Some((doc, n)) => (doc.to_string(), n),
            None if tuid.contains(':') => (tuid.clone(), position),
            None => (format!("{tuid}#{position}"), position),
        };
        out.entry(other.lang)
            .or_default()
            .entry(doc)
            .or_default()
            .insert(number, (source.to_string(), target.to_string()));
    })
}

/// Read NTREX-128: one collection per target language, documents as contiguous blocks of lines
/// with the same id.
fn read_ntrex(dir: &Path) -> Result<Vec<Collection>, ServiceError> {
    let read = |name: &str| -> Result<Vec<String>, ServiceError> {
        let path = dir.join(name);
        let text = std::fs::read_to_string(&path).map_err(|e| ServiceError::InvalidParameter {
            name: "--ntrex".into(),
            detail: format!("{}: {e}", path.display()),
        })?;
        Ok(text
            .lines()
            .map(|l| l.trim_end_matches('\r').trim().to_string())
            .collect())
    };
    let ids = read("DOCUMENT_IDS.tsv")?;
    let english = read("newstest2019-src.eng.txt")?;
    let mut out = Vec::new();
    for (file, lang) in [
        ("newstest2019-ref.arb.txt", Lang::Ar),
        ("newstest2019-ref.ckb-Arab.txt", Lang::Ckb),
        ("newstest2019-ref.kmr.txt", Lang::Kmr),
    ] {
        let other = read(file)?;
        if other.len() != english.len() || ids.len() != english.len() {
            return Err(ServiceError::InvalidParameter {
                name: "--ntrex".into(),
                detail: format!(
                    "{file}: {} lines, the English source {}, DOCUMENT_IDS.tsv {}",
                    other.len(),
                    english.len(),
                    ids.len()
                ),
            });
        }
        let mut documents: Vec<Document> = Vec::new();
        for (k, id) in ids.iter().enumerate() {
            let id = id.split('\t').next().unwrap_or("");
            let new_doc = k == 0 || ids[k - 1].split('\t').next().unwrap_or("") != id;
            if new_doc {
                documents.push(Document {
                    source: Vec::new(),
                    target: Vec::new(),
                });
            }
            if english[k].is_empty() || other[k].is_empty() {
                continue;
            }
            if let Some(doc) = documents.last_mut() {
                doc.source.push(english[k].clone());
                doc.target.push(other[k].clone());
            }
        }
        out.push(Collection {
            corpus: "NTREX-128",
            target: lang,
            documents,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_prefers_the_middle_comma_and_skips_numbers() {
        let (a, b) = split_at_comma("One, two and three, four five six, seven").unwrap();
        assert_eq!(a, "One, two and three,");
        assert_eq!(b, "four five six, seven");
        assert!(split_at_comma("Some 1,245 cases").is_none());
        let (a, b) = split_at_comma("قال الوزير، إن الوضع مستقر").unwrap();
        assert_eq!((a.as_str(), b.as_str()), ("قال الوزير،", "إن الوضع مستقر"));
    }

    #[test]
    fn links_become_groups() {
        let g = groups_from_links(&[(0, 0), (1, 1), (2, 1), (3, 2), (3, 3), (5, 4)]);
        assert_eq!(
            g,
            vec![(0..1, 0..1), (1..3, 1..2), (3..4, 2..4), (5..6, 4..5)]
        );
    }

    #[test]
    fn perturbation_keeps_gold_consistent() {
        let doc = Document {
            source: (0..200)
                .map(|i| format!("Sentence {i}, with a comma."))
                .collect(),
            target: (0..200).map(|i| format!("Cümle {i}, virgül.")).collect(),
        };
        let inst = perturb(&doc, &mut Rng::new(7));
        let (mut i, mut j) = (0, 0);
        let mut edited = 0;
        for (s, t) in &inst.gold {
            assert_eq!((s.start, t.start), (i, j));
            i = s.end;
            j = t.end;
            edited += usize::from(s.len() != 1 || t.len() != 1);
        }
        assert_eq!((i, j), (200, inst.target.len()));
        assert!((15..=45).contains(&edited), "{edited}");
    }

    #[test]
    fn strict_scores_only_pairing_groups() {
        let gold = vec![(0..1, 0..1), (1..2, 1..1), (2..4, 1..2)];
        let pred = vec![(0..1, 0..1), (1..3, 1..2), (3..4, 2..2)];
        let s = strict(&gold, &pred);
        assert_eq!((s.correct, s.predicted, s.gold), (1, 2, 2));
    }
}
