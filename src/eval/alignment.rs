//! Alignment evaluation (placeholder: being written for issue #4).

use std::path::{Path, PathBuf};

use crate::service::ServiceError;

/// Rebuild documents from sentence-aligned corpora, perturb them, align, score against gold and
/// against NLTK's Gale–Church run with `python` (an interpreter with nltk), if given.
pub fn run(
    _tmx_files: &[PathBuf],
    _ntrex_dir: Option<&Path>,
    _python: Option<&Path>,
) -> Result<i32, ServiceError> {
    eprintln!("the alignment evaluation is not written yet");
    Ok(1)
}
