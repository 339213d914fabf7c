//! Retrieval evaluation: does the index find what an exhaustive scan finds?
//!
//! Loads TMX files into a fresh memory, builds queries by editing sentences of the memory the
//! way a new press release differs from an old one (a word dropped, a number changed, a name
//! swapped), and compares the top match of `suggest` (index candidates + re-scoring) with the
//! top match of a scan of every unit with the same scorer. A tie in score counts as agreement:
//! both are equally good answers. The headline figure compares what a user is shown (matches
//! scoring at least 50, the default minimum); "any score" also compares the irrelevant best
//! match of a sentence that has nothing similar in the memory. Figures are printed, not asserted.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Instant;

use super::{percent, Rng};
use crate::core::fuzzy::Scorer;
use crate::core::lang::Lang;
use crate::core::tokenize::{Analyzed, TokenKind};
use crate::service::{Service, ServiceError};

/// The default minimum score of `suggest`: matches below it are never shown.
const SHOWN: u8 = 50;

/// A unit of the memory: id, languages, analysed variants.
type Stored = (i64, Vec<Lang>, Vec<(Lang, Analyzed)>);

/// The edit applied to build a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Edit {
    DropWord,
    ChangeNumber,
    SwapName,
    /// A sentence that is not in the memory at all (from another corpus): the hard case for
    /// candidate retrieval, since the best match shares only a few words.
    Unseen,
}

/// Apply `edit` to `text`; `None` if the sentence offers nothing to edit that way.
fn edit(text: &Analyzed, edit: Edit, donor: &Analyzed, rng: &mut Rng) -> Option<String> {
    let words: Vec<_> = text
        .tokens
        .iter()
        .filter(|t| t.kind == TokenKind::Word)
        .collect();
    let replace = |start: usize, end: usize, with: &str| {
        format!("{}{}{}", &text.text[..start], with, &text.text[end..])
    };
    match edit {
        Edit::DropWord => {
            if words.len() < 4 {
                return None;
            }
            let w = words[1 + rng.below(words.len() - 1)];
            let end = text.text[w.end..]
                .find(|c: char| !c.is_whitespace())
                .map_or(text.text.len(), |i| w.end + i);
            Some(replace(w.start, end, ""))
        }
        Edit::ChangeNumber => {
            let numbers: Vec<_> = text
                .tokens
                .iter()
                .filter(|t| t.kind == TokenKind::Number)
                .collect();
            let n = numbers.get(rng.below(numbers.len()))?;
            let value: u64 = n
                .key
                .chars()
                .filter(char::is_ascii_digit)
                .collect::<String>()
                .parse()
                .ok()?;
            Some(replace(
                n.start,
                n.end,
                &(value + 1 + rng.below(9) as u64).to_string(),
            ))
        }
        Edit::Unseen => None,
        Edit::SwapName => {
            // A capitalized word (Latin script) or, in Arabic script, any longer word, replaced
            // by a word of another sentence: a new name in an old sentence.
            let candidates: Vec<_> = words
                .iter()
                .skip(1)
                .filter(|t| {
                    let s = &text.text[t.start..t.end];
                    s.chars().next().is_some_and(|c| c.is_uppercase())
                        || (!s.is_ascii() && s.chars().count() > 3)
                })
                .collect();
            let target = candidates.get(rng.below(candidates.len()))?;
            let donors: Vec<_> = donor
                .tokens
                .iter()
                .filter(|t| t.kind == TokenKind::Word && t.key != target.key)
                .collect();
            let d = donors.get(rng.below(donors.len()))?;
            Some(replace(
                target.start,
                target.end,
                &donor.text[d.start..d.end],
            ))
        }
    }
}

/// Run the evaluation and print its table; returns the exit status.
pub fn retrieval(
    files: &[PathBuf],
    unseen: &[(Lang, PathBuf)],
    queries_per_pair: usize,
) -> Result<i32, ServiceError> {
    let mut unseen_lines: Vec<(Lang, Vec<String>)> = Vec::new();
    for (lang, path) in unseen {
        let text = std::fs::read_to_string(path).map_err(|e| ServiceError::InvalidParameter {
            name: "--unseen".into(),
            detail: format!("{}: {e}", path.display()),
        })?;
        unseen_lines.push((
            *lang,
            text.lines()
                .filter(|l| !l.trim().is_empty())
                .map(str::to_string)
                .collect(),
        ));
    }
    let dir = tempfile::tempdir().map_err(ServiceError::internal)?;
    let service = Service::open(dir.path())?;
    let started = Instant::now();
    for file in files {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let report = service.import_tmx(file, &name, &mut |_| {})?;
        println!(
            "loaded {name}: {} units added ({} read, {} duplicates)",
            report.added, report.units_read, report.duplicates
        );
    }
    println!(
        "memory built in {:.1} s: {} units",
        started.elapsed().as_secs_f64(),
        service.store.db.count_units()?
    );

    // Every stored variant, analysed once: the exhaustive scan's input.
    let mut all: Vec<Stored> = Vec::new();
    service.store.db.for_each_unit(|u| {
        let langs = u.unit.variants.iter().map(|v| v.lang).collect();
        let analysed = u
            .unit
            .variants
            .iter()
            .map(|v| (v.lang, Analyzed::new(v.lang, v.text.as_str())))
            .collect();
        all.push((u.id, langs, analysed));
        Ok(())
    })?;
    let pairs: BTreeSet<(Lang, Lang)> = all
        .iter()
        .flat_map(|(_, langs, _)| {
            langs
                .iter()
                .flat_map(|a| langs.iter().filter(move |b| *b != a).map(move |b| (*a, *b)))
                .collect::<Vec<_>>()
        })
        .collect();

    println!();
    println!("| pair | queries | top-1 agreement | any score | same unit | drop word | change number | swap name | unseen sentence | index ms/query | scan ms/query |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let (mut total, mut total_agree, mut total_any) = (0usize, 0usize, 0usize);
    let mut rng = Rng(0x5EED_CAFE_F00D_1234);
    let mut scorer = Scorer::new();
    for (source, target) in pairs {
        let pool: Vec<(i64, &Analyzed)> = all
            .iter()
            .filter(|(_, langs, _)| langs.contains(&target))
            .filter_map(|(id, _, vs)| vs.iter().find(|(l, _)| *l == source).map(|(_, a)| (*id, a)))
            .collect();
        if pool.len() < 10 {
            continue;
        }
        let mut per_edit = [(0usize, 0usize); 4];
        let fresh: &[String] = unseen_lines
            .iter()
            .find(|(l, _)| *l == source)
            .map_or(&[], |(_, v)| v.as_slice());
        let kinds: &[Edit] = if fresh.is_empty() {
            &[Edit::DropWord, Edit::ChangeNumber, Edit::SwapName]
        } else {
            &[
                Edit::DropWord,
                Edit::ChangeNumber,
                Edit::SwapName,
                Edit::Unseen,
            ]
        };
        let (mut n, mut agree, mut agree_any, mut same) = (0usize, 0usize, 0usize, 0usize);
        let (mut index_time, mut scan_time) = (0f64, 0f64);
        let mut attempts = 0;
        while n < queries_per_pair && attempts < queries_per_pair * 20 {
            attempts += 1;
            let (_, original) = pool[rng.below(pool.len())];
            let (_, donor) = pool[rng.below(pool.len())];
            let kind = kinds[n % kinds.len()];
            let query_text = if kind == Edit::Unseen {
                fresh[rng.below(fresh.len())].clone()
            } else {
                let Some(text) = edit(original, kind, donor, &mut rng) else {
                    continue;
                };
                text
            };
            let query = Analyzed::new(source, query_text.as_str());

            let t = Instant::now();
            let found = service.matches(source, target, &query_text, 0, 1)?;
            index_time += t.elapsed().as_secs_f64();

            let t = Instant::now();
            let mut best: Option<(u8, i64)> = None;
            let query_len = query.content().count();
            for (id, candidate) in &pool {
                // The length bound is exact arithmetic on token counts: skipping a candidate
                // that cannot beat the best so far never changes the result.
                let bound = Scorer::upper_bound(query_len, candidate.content().count());
                if best.is_some_and(|(b, _)| bound <= b || b == 100) {
                    continue;
                }
                // Only a better score matters: the scorer may stop early below it.
                let cut = best.map_or(0, |(b, _)| b + 1);
                if let Some(score) = scorer.score_at_least(&query, candidate, cut) {
                    best = Some((score, *id));
                }
            }
            scan_time += t.elapsed().as_secs_f64();

            let top = found.first().map(|m| (m.score, m.tu_id));
            let any_score = top.map(|t| t.0) == best.map(|b| b.0)
                || (top.is_none() && best.is_none_or(|b| b.0 == 0));
            // What a user sees: only matches at or above the default minimum score are shown.
            let shown = |m: Option<(u8, i64)>| m.filter(|m| m.0 >= SHOWN).map(|m| m.0);
            let agrees = shown(top) == shown(best);
            n += 1;
            agree += usize::from(agrees);
            agree_any += usize::from(any_score);
            same += usize::from(top.map(|t| t.1) == best.map(|b| b.1));
            let slot = &mut per_edit[kind as usize];
            slot.0 += 1;
            slot.1 += usize::from(agrees);
        }
        if n == 0 {
            continue;
        }
        total += n;
        total_agree += agree;
        total_any += agree_any;
        println!(
            "| {source}→{target} | {n} | {} | {} | {} | {} | {} | {} | {} | {:.2} | {:.2} |",
            percent(agree, n),
            percent(agree_any, n),
            percent(same, n),
            percent(per_edit[0].1, per_edit[0].0),
            percent(per_edit[1].1, per_edit[1].0),
            percent(per_edit[2].1, per_edit[2].0),
            percent(per_edit[3].1, per_edit[3].0),
            1000.0 * index_time / n as f64,
            1000.0 * scan_time / n as f64,
        );
    }
    if total == 0 {
        eprintln!("no language pair with enough units to evaluate");
        return Ok(1);
    }
    println!();
    println!(
        "overall top-1 agreement with the exhaustive scan: {:.2}% of {total} queries (shown matches, score >= {SHOWN}); {:.2}% at any score",
        100.0 * total_agree as f64 / total as f64,
        100.0 * total_any as f64 / total as f64
    );
    Ok(0)
}
