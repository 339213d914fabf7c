//! Sentence alignment (placeholder: being written for issue #4).

use std::ops::Range;

use super::lang::Lang;

/// One side of a document to align: its language, its sentences in order, and the paragraph
/// each sentence belongs to (empty: one paragraph).
#[derive(Debug, Clone, Copy)]
pub struct Text<'a> {
    pub lang: Lang,
    pub sentences: &'a [String],
    pub paragraphs: &'a [usize],
}

/// An aligned group: source sentences `source` say what target sentences `target` say
/// (either range may be empty for 1-0 / 0-1), with a confidence in 0..=1.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub source: Range<usize>,
    pub target: Range<usize>,
    pub confidence: f32,
}

/// Align two texts, groups in document order covering every sentence of both sides once.
pub fn align(source: &Text, target: &Text) -> Vec<Group> {
    let n = source.sentences.len().min(target.sentences.len());
    let mut out: Vec<Group> = (0..n)
        .map(|i| Group {
            source: i..i + 1,
            target: i..i + 1,
            confidence: 0.0,
        })
        .collect();
    for i in n..source.sentences.len() {
        out.push(Group {
            source: i..i + 1,
            target: n..n,
            confidence: 0.0,
        });
    }
    for j in n..target.sentences.len() {
        out.push(Group {
            source: n..n,
            target: j..j + 1,
            confidence: 0.0,
        });
    }
    out
}
