//! Fuzzy suggestions and concordance search.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::glossary::{term_hits, TermHit};
use super::{language, text_param, Service, ServiceError};
use crate::core::fuzzy::{DiffOp, Scorer};
use crate::core::highlight::{find_phrase, pieces, Piece};
use crate::core::lang::Lang;
use crate::core::segment::sentences;
use crate::core::signature::QuerySignature;
use crate::core::tokenize::Analyzed;
use crate::store::{Candidate, StoredUnit};

/// Distinct candidate texts fetched from the index per segment before exact re-scoring (twice
/// as many in very large memories, see `search::LARGE_MEMORY`). Measured by the retrieval
/// evaluation and `werger bench` (BENCHMARKS.md).
pub const CANDIDATES: usize = 100;

const DEFAULT_MIN_SCORE: u8 = 50;
const DEFAULT_LIMIT: usize = 5;
const MAX_LIMIT: usize = 50;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuggestRequest {
    pub source_lang: String,
    pub target_lang: String,
    pub text: String,
    #[serde(default)]
    pub min_score: Option<u8>,
    #[serde(default)]
    pub limit: Option<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SuggestResponse {
    pub source_lang: Lang,
    pub target_lang: Lang,
    pub segments: Vec<SegmentSuggestions>,
}

/// One sentence of the query with its matches.
#[derive(Debug, Clone, Serialize)]
pub struct SegmentSuggestions {
    pub text: String,
    pub matches: Vec<Match>,
    /// Glossary terms found in the segment, with their target-language terms.
    pub terms: Vec<TermHit>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Match {
    /// 0–100; 100 only when the normalized text is identical.
    pub score: u8,
    pub tu_id: i64,
    /// The unit's text in the source language.
    pub source: String,
    /// The unit's text in the target language: the suggestion.
    pub target: String,
    /// Word-level diff from the match's source to the query.
    pub diff: Vec<DiffOp>,
    pub origin: Origin,
}

/// Where a unit came from and when.
#[derive(Debug, Clone, Serialize)]
pub struct Origin {
    /// `tmx:FILE`, `api`, `statement:ID`…
    pub source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    pub created: String,
    pub updated: String,
}

impl Origin {
    pub fn of(stored: &StoredUnit) -> Self {
        Origin {
            source: stored.origin.clone(),
            external_id: stored.unit.external_id.clone(),
            created: rfc3339(stored.created_ms),
            updated: rfc3339(stored.updated_ms),
        }
    }
}

/// Milliseconds since the epoch as an RFC 3339 UTC timestamp.
pub fn rfc3339(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

#[derive(Debug, Clone, Deserialize)]
pub struct ConcordanceRequest {
    pub q: String,
    pub lang: String,
    #[serde(default)]
    pub target_lang: Option<String>,
    #[serde(default)]
    pub limit: Option<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConcordanceResponse {
    pub results: Vec<ConcordanceHit>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConcordanceHit {
    pub tu_id: i64,
    pub source: Side,
    /// The other languages of the unit (only `target_lang` if one was asked for).
    pub targets: Vec<Side>,
    pub origin: Origin,
}

/// One language of a unit; `pieces` split the text into plain and highlighted runs.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    pub lang: Lang,
    pub text: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pieces: Vec<Piece>,
}

impl Service {
    pub fn suggest(&self, req: &SuggestRequest) -> Result<SuggestResponse, ServiceError> {
        let source = language(&req.source_lang)?;
        let target = language(&req.target_lang)?;
        if source == target {
            return Err(ServiceError::SameLanguage(source));
        }
        let text = text_param(&req.text)?;
        let min_score = req.min_score.unwrap_or(DEFAULT_MIN_SCORE);
        if min_score > 100 {
            return Err(ServiceError::InvalidParameter {
                name: "min_score".into(),
                detail: "0–100".into(),
            });
        }
        let limit = req.limit.unwrap_or(DEFAULT_LIMIT);
        if limit == 0 || limit > MAX_LIMIT {
            return Err(ServiceError::InvalidParameter {
                name: "limit".into(),
                detail: format!("1–{MAX_LIMIT}"),
            });
        }
        let recognizer = self.recognizer()?;
        let mut segments = Vec::new();
        for (start, end) in sentences(source, text) {
            let segment = &text[start..end];
            segments.push(SegmentSuggestions {
                text: segment.to_string(),
                matches: self.matches(source, target, segment, min_score, limit)?,
                terms: term_hits(&recognizer, source, segment, &[target]),
            });
        }
        Ok(SuggestResponse {
            source_lang: source,
            target_lang: target,
            segments,
        })
    }

    /// The best matches of one segment: index candidates re-scored exactly, ranked by score,
    /// then by recency (the newer translation wins a tie), then by id.
    pub fn matches(
        &self,
        source: Lang,
        target: Lang,
        segment: &str,
        min_score: u8,
        limit: usize,
    ) -> Result<Vec<Match>, ServiceError> {
        let query = Analyzed::new(source, segment);
        let signature = QuerySignature::new(&query);
        let found = self
            .store
            .index
            .candidates(source, target, &query, &signature, CANDIDATES)?;
        let mut scorer = Scorer::new();
        // Candidates in order of the best score they could reach, known from their word counts
        // and signatures alone (`core::signature`); once `limit` matches score above the next
        // candidate's bound, no later one can enter the list (a bound equal to the cut may
        // still tie and win on recency, so it is scored). Only the candidates scored are read
        // from the index and analysed. One candidate per distinct text, with every unit that
        // has it: scored once, listed for each.
        let mut bounded: Vec<(u8, &Candidate)> = found
            .items
            .iter()
            .filter_map(|c| {
                let bound = signature.bound(c.words, c.signature.iter().copied());
                (bound >= min_score).then_some((bound, c))
            })
            .collect();
        bounded.sort_by_key(|b| std::cmp::Reverse(b.0));
        // (score, updated ms, unit id): the texts shown come from SQLite below, as the units
        // are now.
        let mut scored: Vec<(u8, i64, i64)> = Vec::new();
        let mut best: Vec<u8> = Vec::new();
        for (bound, candidate) in bounded {
            if best.len() >= limit && bound < best[limit - 1] {
                break;
            }
            let text = Analyzed::new(source, found.text(candidate)?);
            // Below the `limit`-th best so far (or `min_score`) a score changes nothing.
            let cut = if best.len() >= limit {
                best[limit - 1]
            } else {
                min_score
            };
            if let Some(score) = scorer.score_at_least(&query, &text, cut) {
                // Of units sharing a text only `limit` can be listed: the newest.
                let mut units = candidate.units.clone();
                units.sort_unstable_by(|a, b| b.cmp(a));
                units.truncate(limit);
                for (updated_ms, tu_id) in units {
                    let at = best.partition_point(|&b| b >= score);
                    best.insert(at, score);
                    scored.push((score, updated_ms, tu_id));
                }
            }
        }
        // Best score first; a tie goes to the newer translation (the index keeps each unit's
        // last change, so no tied unit is read from SQLite), then to the higher id.
        scored.sort_unstable_by(|a, b| b.cmp(a));
        // Only the units listed are read from SQLite. A unit deleted since the index saw it is
        // not a match: the next ones take its place.
        let mut listed: Vec<i64> = Vec::with_capacity(limit);
        let mut units = HashMap::new();
        let mut rest = scored.iter().map(|s| s.2);
        while listed.len() < limit {
            let ids: Vec<i64> = rest.by_ref().take(limit - listed.len()).collect();
            if ids.is_empty() {
                break;
            }
            let found = self.store.db.units_by_ids(&ids)?;
            listed.extend(ids.into_iter().filter(|id| found.contains_key(id)));
            units.extend(found);
        }
        let mut out = Vec::with_capacity(listed.len());
        for id in listed {
            let Some(stored) = units.get(&id) else {
                continue;
            };
            let (Some(src), Some(tgt)) = (stored.unit.variant(source), stored.unit.variant(target))
            else {
                continue;
            };
            let exact = scorer.score_with_diff(&query, &Analyzed::new(source, src.text.as_str()));
            out.push(Match {
                score: exact.score,
                tu_id: id,
                source: src.text.clone(),
                target: tgt.text.clone(),
                diff: exact.diff,
                origin: Origin::of(stored),
            });
        }
        Ok(out)
    }

    pub fn concordance(
        &self,
        req: &ConcordanceRequest,
    ) -> Result<ConcordanceResponse, ServiceError> {
        let lang = language(&req.lang)?;
        let target = req.target_lang.as_deref().map(language).transpose()?;
        if target == Some(lang) {
            return Err(ServiceError::SameLanguage(lang));
        }
        let q = text_param(&req.q)?;
        let limit = req.limit.unwrap_or(20);
        if limit == 0 || limit > 200 {
            return Err(ServiceError::InvalidParameter {
                name: "limit".into(),
                detail: "1–200".into(),
            });
        }
        let phrase = Analyzed::new(lang, q);
        let hits = self.store.index.phrase(lang, target, &phrase, limit)?;
        let ids: Vec<i64> = hits.iter().map(|h| h.tu_id).collect();
        let units = self.store.db.units_by_ids(&ids)?;
        let mut results = Vec::new();
        for hit in hits {
            let Some(stored) = units.get(&hit.tu_id) else {
                continue;
            };
            let Some(variant) = stored.unit.variant(lang) else {
                continue;
            };
            let text = Analyzed::new(lang, variant.text.as_str());
            let spans = find_phrase(&phrase, &text);
            if spans.is_empty() {
                continue;
            }
            let targets = stored
                .unit
                .variants
                .iter()
                .filter(|v| v.lang != lang && target.is_none_or(|t| t == v.lang))
                .map(|v| Side {
                    lang: v.lang,
                    text: v.text.clone(),
                    pieces: Vec::new(),
                })
                .collect();
            results.push(ConcordanceHit {
                tu_id: hit.tu_id,
                source: Side {
                    lang,
                    pieces: pieces(&variant.text, &spans),
                    text: variant.text.clone(),
                },
                targets,
                origin: Origin::of(stored),
            });
        }
        Ok(ConcordanceResponse { results })
    }
}
