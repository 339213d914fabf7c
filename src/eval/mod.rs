//! Evaluation harnesses run by `.ci/run` on the shared corpora (hidden `eval-*` commands).
//! They print figures for BENCHMARKS.md; they assert nothing.

pub mod alignment;
pub mod bench;
pub mod corpus;
pub mod retrieval;
pub mod segmentation;
pub mod terms;
pub mod variants;

pub use retrieval::retrieval;

/// Call `f` with the 1-based position and the unit of every `<tu>` of a TMX file, errors
/// naming the file (and the byte offset of a parse error).
pub fn for_each_tmx_unit(
    path: &std::path::Path,
    mut f: impl FnMut(u64, crate::core::unit::Unit),
) -> Result<(), crate::service::ServiceError> {
    use crate::core::tmx::{decoded, Limits, TmxReader};
    let fail = |detail: String| crate::service::ServiceError::InvalidParameter {
        name: "FILE".into(),
        detail: format!("{}: {detail}", path.display()),
    };
    let file = std::fs::File::open(path).map_err(|e| fail(e.to_string()))?;
    let at = |e: crate::core::tmx::TmxError| fail(format!("byte {}: {}", e.offset, e.message));
    let mut reader = TmxReader::new(decoded(file), Limits::default()).map_err(at)?;
    let mut position = 0u64;
    while let Some(parsed) = reader.next_unit().map_err(at)? {
        position += 1;
        f(position, parsed.unit);
    }
    Ok(())
}

/// The document and sentence number of a TICO-19 style `tuid` (`DOC:N`), if it has them.
pub fn document_and_number(tuid: &str) -> Option<(&str, u64)> {
    let (doc, n) = tuid.rsplit_once(':')?;
    Some((doc, n.parse().ok()?))
}

/// `a` of `b` as a percentage with one decimal, `–` when `b` is 0.
pub fn percent(a: usize, b: usize) -> String {
    if b == 0 {
        "–".to_string()
    } else {
        format!("{:.1}%", 100.0 * a as f64 / b as f64)
    }
}

/// Counts behind precision, recall and F1.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub gold: usize,
    pub predicted: usize,
    pub correct: usize,
}

impl Counts {
    pub fn add(&mut self, other: Counts) {
        self.gold += other.gold;
        self.predicted += other.predicted;
        self.correct += other.correct;
    }

    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.predicted)
    }

    pub fn recall(&self) -> f64 {
        ratio(self.correct, self.gold)
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// `a / b`, 0 when `b` is 0.
pub fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// A small deterministic generator (xorshift64*), so every run builds the same queries.
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}
