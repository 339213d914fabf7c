//! Evaluation harnesses run by `.ci/run` on the shared corpora (hidden `eval-*` commands).
//! They print figures for BENCHMARKS.md; they assert nothing.

pub mod alignment;
pub mod retrieval;
pub mod segmentation;
pub mod variants;

pub use retrieval::retrieval;
