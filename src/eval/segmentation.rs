//! Segmentation evaluation (placeholder: being written for issue #3).

use std::path::PathBuf;

use crate::service::ServiceError;

/// Rebuild documents from sentence-aligned TMX files and score the sentence splitter.
pub fn run(_files: &[PathBuf]) -> Result<i32, ServiceError> {
    eprintln!("the segmentation evaluation is not written yet");
    Ok(1)
}
