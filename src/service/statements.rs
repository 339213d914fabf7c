//! Statements: store the versions of a release, segment and align them, and turn the aligned
//! sentences into translation units.
//!
//! Every version is aligned against a pivot (English when present, else the first version), and
//! the pivot-side groups of all versions are merged into blocks, so a unit holds every language
//! that says the same thing (a Sorani translator's 2-1 merge makes the block two English
//! sentences for all languages). Re-importing a statement replaces its units: unchanged ones are
//! kept, the others deleted with their previous text kept in the change log.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::align::split;
use super::{Service, ServiceError};
use crate::core::align::{align, Group, Text};
use crate::core::lang::{parse_lang, Lang};
use crate::core::markup::{plain_text, Format};
use crate::core::unit::{Unit, Variant};

/// Groups below this confidence are marked for review.
pub const REVIEW_BELOW: f32 = 0.5;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatementRequest {
    pub id: String,
    #[serde(default)]
    pub date: Option<String>,
    /// Texts by language tag.
    pub versions: BTreeMap<String, String>,
    #[serde(default)]
    pub format: Format,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatementResponse {
    pub id: String,
    /// Sentences found per language.
    pub sentences: BTreeMap<Lang, usize>,
    pub units_added: usize,
    pub units_kept: usize,
    pub units_removed: usize,
    /// Per version other than the pivot: its aligned pairs with confidences.
    pub alignment: serde_json::Value,
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 200
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._:-".contains(c))
}

impl Service {
    pub fn import_statement(
        &self,
        req: &StatementRequest,
    ) -> Result<StatementResponse, ServiceError> {
        if !valid_id(&req.id) {
            return Err(ServiceError::InvalidParameter {
                name: "id".into(),
                detail: "1–200 characters among A–Z a–z 0–9 . _ : -".into(),
            });
        }
        if let Some(date) = &req.date {
            let format = time::macros::format_description!("[year]-[month]-[day]");
            time::Date::parse(date, &format).map_err(|e| ServiceError::InvalidParameter {
                name: "date".into(),
                detail: format!("{date}: {e} (expected YYYY-MM-DD)"),
            })?;
        }
        let mut versions: Vec<(Lang, String)> = Vec::new();
        for (tag, text) in &req.versions {
            let lang = parse_lang(tag)?;
            if versions.iter().any(|(l, _)| *l == lang) {
                return Err(ServiceError::DuplicateLanguage(lang));
            }
            let plain = plain_text(req.format, text);
            if plain.trim().is_empty() {
                return Err(ServiceError::EmptyText);
            }
            versions.push((lang, plain));
        }
        if versions.len() < 2 {
            return Err(ServiceError::InvalidParameter {
                name: "versions".into(),
                detail: "a statement needs at least two languages to align".into(),
            });
        }
        let pivot_at = versions
            .iter()
            .position(|(l, _)| *l == Lang::En)
            .unwrap_or(0);
        let pivot = versions.remove(pivot_at);
        let (pivot_sentences, pivot_paragraphs) = split(pivot.0, &pivot.1);
        let pivot_text = Text {
            lang: pivot.0,
            sentences: &pivot_sentences,
            paragraphs: &pivot_paragraphs,
        };

        let mut sentence_counts = BTreeMap::from([(pivot.0, pivot_sentences.len())]);
        let mut aligned = Vec::new();
        for (lang, text) in &versions {
            let (sents, paragraphs) = split(*lang, text);
            sentence_counts.insert(*lang, sents.len());
            let groups = align(
                &pivot_text,
                &Text {
                    lang: *lang,
                    sentences: &sents,
                    paragraphs: &paragraphs,
                },
            );
            aligned.push((*lang, sents, groups));
        }

        self.store_aligned(
            &req.id,
            req.date.as_deref(),
            pivot.0,
            &pivot_sentences,
            &aligned,
            sentence_counts,
        )
    }

    /// Turn aligned versions into units and store them with the statement (shared by imports
    /// and by corrections of the alignment).
    fn store_aligned(
        &self,
        id: &str,
        date: Option<&str>,
        pivot: Lang,
        pivot_sentences: &[String],
        aligned: &[(Lang, Vec<String>, Vec<Group>)],
        sentence_counts: BTreeMap<Lang, usize>,
    ) -> Result<StatementResponse, ServiceError> {
        // Blocks of pivot sentences: merged wherever some version grouped them.
        let n = pivot_sentences.len();
        let mut starts_block = vec![true; n];
        for (_, _, groups) in aligned {
            for g in groups {
                if g.source.len() > 1 {
                    starts_block[g.source.start + 1..g.source.end].fill(false);
                }
            }
        }
        let mut block_of = vec![0usize; n];
        let mut blocks: Vec<(usize, usize)> = Vec::new();
        for i in 0..n {
            if starts_block[i] || blocks.is_empty() {
                blocks.push((i, i + 1));
            } else if let Some(last) = blocks.last_mut() {
                last.1 = i + 1;
            }
            block_of[i] = blocks.len() - 1;
        }
        // Where each target sentence goes. A group covering a whole multi-sentence block joins
        // the block's unit; a 1-1 group inside such a block gets a unit of its own sentence,
        // so that languages which kept the sentences apart stay sentence-level units.
        let mut block_members: Vec<BTreeMap<Lang, Vec<usize>>> =
            vec![BTreeMap::new(); blocks.len()];
        let mut fine_members: BTreeMap<usize, BTreeMap<Lang, Vec<usize>>> = BTreeMap::new();
        let mut alignment = serde_json::Map::new();
        for (lang, sents, groups) in aligned {
            let mut pairs = Vec::new();
            for g in groups {
                let confidence = (f64::from(g.confidence) * 100.0).round() / 100.0;
                pairs.push(json!({
                    "source": pivot_sentences[g.source.clone()].join(" "),
                    "target": sents[g.target.clone()].join(" "),
                    "confidence": confidence,
                    "review": g.confidence < REVIEW_BELOW,
                    "source_range": [g.source.start, g.source.end],
                    "target_range": [g.target.start, g.target.end],
                }));
                if g.source.is_empty() || g.target.is_empty() {
                    continue;
                }
                let block = block_of[g.source.start];
                let (start, end) = blocks[block];
                let slot = if g.source.len() == 1 && end - start > 1 {
                    fine_members.entry(g.source.start).or_default()
                } else {
                    &mut block_members[block]
                };
                slot.entry(*lang).or_default().extend(g.target.clone());
            }
            alignment.insert(
                lang.code().to_string(),
                json!({
                    "pivot": pivot,
                    "pairs": pairs,
                    "sentences": sents,
                    "source_sentences": pivot_sentences,
                }),
            );
        }
        let all_versions: BTreeMap<Lang, &Vec<String>> =
            aligned.iter().map(|(l, s, _)| (*l, s)).collect();
        // Units with their member sentences (language, index), pivot included.
        let mut units: Vec<(Unit, Vec<(Lang, usize)>)> = Vec::new();
        let mut make = |key: String,
                        pivot_range: std::ops::Range<usize>,
                        members: &BTreeMap<Lang, Vec<usize>>| {
            if members.is_empty() {
                return;
            }
            let mut variants = vec![Variant::plain(
                pivot,
                pivot_sentences[pivot_range.clone()].join(" "),
            )];
            let mut list: Vec<(Lang, usize)> = pivot_range.map(|i| (pivot, i)).collect();
            for (lang, indices) in members {
                let text: Vec<&str> = indices
                    .iter()
                    .map(|&i| all_versions[lang][i].as_str())
                    .collect();
                variants.push(Variant::plain(*lang, text.join(" ")));
                list.extend(indices.iter().map(|&i| (*lang, i)));
            }
            variants.sort_by_key(|v| v.lang);
            let unit = Unit {
                external_id: Some(key),
                meta: Default::default(),
                variants,
            };
            units.push((unit, list));
        };
        for (b, &(start, end)) in blocks.iter().enumerate() {
            make(format!("{}:{}", id, b + 1), start..end, &block_members[b]);
            for i in start..end {
                if let Some(members) = fine_members.get(&i) {
                    make(
                        format!("{}:{}.{}", id, b + 1, i - start + 1),
                        i..i + 1,
                        members,
                    );
                }
            }
        }

        let origin = format!("statement:{}", id);
        let alignment = serde_json::Value::Object(alignment);
        let ((added, kept, removed), seq) =
            self.store.db.write(|tx| -> Result<_, ServiceError> {
                let old = tx.statement_units(id)?;
                let (mut added, mut kept) = (0, 0);
                let mut keep = Vec::new();
                // One row per sentence; a pivot sentence of a merged block that also has a unit
                // of its own ends up with the finer unit, which comes later.
                let mut segments: BTreeMap<(Lang, usize), (&str, i64)> = BTreeMap::new();
                for (unit, members) in &units {
                    let (id, new) = tx.insert_if_new(unit, &origin)?;
                    if new {
                        added += 1;
                    } else {
                        kept += 1;
                    }
                    keep.push(id);
                    for &(lang, i) in members {
                        let text = if lang == pivot {
                            &pivot_sentences[i]
                        } else {
                            &all_versions[&lang][i]
                        };
                        segments.insert((lang, i), (text.as_str(), id));
                    }
                }
                let mut removed = 0;
                for id in old.into_iter().filter(|id| !keep.contains(id)) {
                    removed += usize::from(tx.delete_unit(id)?);
                }
                let title = json!({});
                let segments: Vec<(Lang, usize, &str, Option<i64>)> = segments
                    .into_iter()
                    .map(|((lang, i), (text, unit))| (lang, i, text, Some(unit)))
                    .collect();
                tx.put_statement(id, date, &title, &segments)?;
                tx.put_alignment(id, &alignment)?;
                Ok((added, kept, removed))
            })?;
        self.sync_index(seq)?;
        Ok(StatementResponse {
            id: id.to_string(),
            sentences: sentence_counts,
            units_added: added,
            units_kept: kept,
            units_removed: removed,
            alignment,
        })
    }

    /// Replace one version's alignment with a reviewer's groups (index ranges into the stored
    /// sentences, in order, covering both sides); the statement's units are rebuilt from it and
    /// the replaced ones deleted, their text kept in the change log.
    pub fn correct_alignment(
        &self,
        id: &str,
        fix: &AlignmentCorrection,
    ) -> Result<StatementResponse, ServiceError> {
        let stored = self.statement_alignment(id)?;
        let versions = stored
            .as_object()
            .ok_or_else(|| ServiceError::internal("stored alignment is not an object"))?;
        let lang = parse_lang(&fix.lang)?;
        if !versions.contains_key(lang.code()) {
            return Err(ServiceError::InvalidParameter {
                name: "lang".into(),
                detail: format!("the statement has no {lang} version aligned to its pivot"),
            });
        }
        let strings = |v: &serde_json::Value| -> Vec<String> {
            v.as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        let mut aligned = Vec::new();
        let mut pivot = None;
        let mut pivot_sentences = Vec::new();
        let mut counts = BTreeMap::new();
        for (code, entry) in versions {
            let this: Lang = parse_lang(code)?;
            pivot = entry["pivot"].as_str().and_then(|p| parse_lang(p).ok());
            pivot_sentences = strings(&entry["source_sentences"]);
            let sentences = strings(&entry["sentences"]);
            let groups: Vec<Group> = if this == lang {
                validate(&fix.pairs, pivot_sentences.len(), sentences.len())?
            } else {
                entry["pairs"]
                    .as_array()
                    .map(|pairs| pairs.iter().filter_map(stored_group).collect())
                    .unwrap_or_default()
            };
            counts.insert(this, sentences.len());
            aligned.push((this, sentences, groups));
        }
        let pivot =
            pivot.ok_or_else(|| ServiceError::internal("stored alignment without a pivot"))?;
        counts.insert(pivot, pivot_sentences.len());
        self.store_aligned(id, None, pivot, &pivot_sentences, &aligned, counts)
    }

    pub fn statement_alignment(&self, id: &str) -> Result<serde_json::Value, ServiceError> {
        self.store
            .db
            .statement_alignment(id)?
            .ok_or_else(|| ServiceError::NotFound(format!("/api/v1/statements/{id}/alignment")))
    }
}

/// A reviewer's correction of one version's alignment.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlignmentCorrection {
    pub lang: String,
    pub pairs: Vec<CorrectedPair>,
}

/// `source` and `target` are half-open sentence index ranges `[start, end]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorrectedPair {
    pub source: [usize; 2],
    pub target: [usize; 2],
}

fn stored_group(pair: &serde_json::Value) -> Option<Group> {
    let range = |v: &serde_json::Value| Some(v[0].as_u64()? as usize..v[1].as_u64()? as usize);
    Some(Group {
        source: range(&pair["source_range"])?,
        target: range(&pair["target_range"])?,
        confidence: pair["confidence"].as_f64()? as f32,
    })
}

/// Corrected groups must follow both documents in order and cover every sentence once.
fn validate(
    pairs: &[CorrectedPair],
    sources: usize,
    targets: usize,
) -> Result<Vec<Group>, ServiceError> {
    let invalid = |detail: String| ServiceError::InvalidParameter {
        name: "pairs".into(),
        detail,
    };
    let (mut s, mut t) = (0, 0);
    let mut groups = Vec::with_capacity(pairs.len());
    for (i, p) in pairs.iter().enumerate() {
        if p.source[0] != s
            || p.target[0] != t
            || p.source[1] < p.source[0]
            || p.target[1] < p.target[0]
        {
            return Err(invalid(format!(
                "pair {i} must start at source {s} and target {t} and not run backwards"
            )));
        }
        if p.source[0] == p.source[1] && p.target[0] == p.target[1] {
            return Err(invalid(format!("pair {i} is empty on both sides")));
        }
        s = p.source[1];
        t = p.target[1];
        groups.push(Group {
            source: p.source[0]..p.source[1],
            target: p.target[0]..p.target[1],
            // A reviewer's decision.
            confidence: 1.0,
        });
    }
    if s != sources || t != targets {
        return Err(invalid(format!(
            "the pairs cover {s} of {sources} source and {t} of {targets} target sentences"
        )));
    }
    Ok(groups)
}
