//! Aligning two versions of a statement without storing anything (`werger align`).

use serde::Serialize;
use serde_json::{Map, Value};

use super::{text_param, Service, ServiceError};
use crate::core::align::{align, Text};
use crate::core::lang::Lang;
use crate::core::segment::sentences;

/// Longest version accepted for alignment, in characters.
pub const MAX_DOCUMENT_CHARS: usize = 2_000_000;

/// One version's sentences and the paragraph of each (paragraphs are separated by blank lines).
pub(super) fn split(lang: Lang, text: &str) -> (Vec<String>, Vec<usize>) {
    let (mut out, mut paragraphs) = (Vec::new(), Vec::new());
    let normalized = text.replace("\r\n", "\n");
    for (p, paragraph) in normalized
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .enumerate()
    {
        for (s, e) in sentences(lang, paragraph) {
            out.push(paragraph[s..e].to_string());
            paragraphs.push(p);
        }
    }
    (out, paragraphs)
}

/// The alignment of two versions: one object per aligned group, in document order, keyed by
/// language code, sentences of a group joined by one space, an empty string for a missing side.
#[derive(Debug, Clone, Serialize)]
pub struct AlignResponse {
    pub pairs: Vec<Value>,
}

impl Service {
    /// Align `source` with `target` (pure: nothing is stored).
    pub fn align_texts(
        source: (Lang, &str),
        target: (Lang, &str),
    ) -> Result<AlignResponse, ServiceError> {
        if source.0 == target.0 {
            return Err(ServiceError::SameLanguage(source.0));
        }
        for (_, text) in [source, target] {
            text_param(text).or_else(|e| match e {
                ServiceError::TextTooLong { length, .. } if length <= MAX_DOCUMENT_CHARS => {
                    Ok(text)
                }
                ServiceError::TextTooLong { length, .. } => Err(ServiceError::TextTooLong {
                    length,
                    max: MAX_DOCUMENT_CHARS,
                }),
                other => Err(other),
            })?;
        }
        let (src_sentences, src_paragraphs) = split(source.0, source.1);
        let (tgt_sentences, tgt_paragraphs) = split(target.0, target.1);
        let groups = align(
            &Text {
                lang: source.0,
                sentences: &src_sentences,
                paragraphs: &src_paragraphs,
            },
            &Text {
                lang: target.0,
                sentences: &tgt_sentences,
                paragraphs: &tgt_paragraphs,
            },
        );
        let pairs = groups
            .into_iter()
            .map(|g| {
                let mut object = Map::new();
                object.insert(
                    source.0.code().into(),
                    Value::String(src_sentences[g.source.clone()].join(" ")),
                );
                object.insert(
                    target.0.code().into(),
                    Value::String(tgt_sentences[g.target.clone()].join(" ")),
                );
                let confidence = (f64::from(g.confidence) * 100.0).round() / 100.0;
                object.insert("confidence".into(), serde_json::json!(confidence));
                Value::Object(object)
            })
            .collect();
        Ok(AlignResponse { pairs })
    }
}
