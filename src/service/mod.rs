//! Use cases shared by the HTTP API and the CLI: each takes plain request values, validates
//! them, talks to the store and returns plain response values (serializable as the public JSON
//! shapes) or a [`ServiceError`].

mod align;
pub mod demo;
mod error;
mod glossary;
mod statements;
mod suggest;
mod tmx;
mod units;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

pub use align::AlignResponse;
pub use demo::DemoReport;
pub use error::{ErrorKind, ServiceError, ERROR_TABLE};
pub use glossary::{
    ConceptBody, ConceptList, GlossaryFormat, GlossaryImportReport, LookupRequest, QaProblem,
    QaRequest, QaResponse, TargetTerm, TermBody, TermHit, TermsResponse,
};
pub use statements::{AlignmentCorrection, CorrectedPair, StatementRequest, StatementResponse};
pub use suggest::{
    ConcordanceHit, ConcordanceRequest, ConcordanceResponse, Match, Origin, SegmentSuggestions,
    SuggestRequest, SuggestResponse,
};
pub use tmx::{ExportOptions, ImportProgress, ImportReport};
pub use units::{UnitBody, UnitView, VariantView};

use crate::core::lang::{parse_lang, Lang};
use crate::store::{CheckReport, Store};

/// Longest text accepted for one request, in characters.
pub const MAX_TEXT_CHARS: usize = 20_000;

/// How long a write waits for the index to contain it before answering.
const INDEX_WAIT: Duration = Duration::from_secs(60);

/// The application: a store and the use cases on it.
#[derive(Clone)]
pub struct Service {
    pub store: Arc<Store>,
    /// The term recognizer of the current glossary version.
    terms: Arc<glossary::TermCache>,
}

impl Service {
    pub fn open(data_dir: &Path) -> Result<Self, ServiceError> {
        Ok(Service {
            store: Arc::new(Store::open(data_dir)?),
            terms: Arc::default(),
        })
    }

    /// Keep the index following the change log in the background (the server does this).
    pub fn start_follower(&self) {
        self.store.start_follower(Duration::from_millis(500));
    }

    pub fn is_ready(&self) -> bool {
        self.store.is_ready()
    }

    /// Make sure the index contains everything written so far (CLI: apply it now; server: wait
    /// for the follower). Returns false if another process holds the index writer and the
    /// changes are left to it.
    pub fn sync_index(&self, seq: i64) -> Result<bool, ServiceError> {
        match self.store.changed()? {
            crate::store::Applied::UpTo(_) => Ok(self.store.wait_indexed(seq, INDEX_WAIT)),
            crate::store::Applied::WriterBusy => Ok(false),
        }
    }

    pub fn check(&self) -> Result<CheckReport, ServiceError> {
        Ok(self.store.check()?)
    }

    /// Rebuild the index from SQLite; `false` if a running server holds the index writer.
    pub fn reindex(&self, progress: impl FnMut(usize)) -> Result<bool, ServiceError> {
        Ok(self.store.reindex(progress)?)
    }

    pub fn backup(&self, dest: &Path) -> Result<(), ServiceError> {
        if dest.exists() {
            return Err(ServiceError::InvalidParameter {
                name: "DEST".into(),
                detail: format!("{} already exists", dest.display()),
            });
        }
        Ok(self.store.db.backup(dest)?)
    }
}

/// A language parameter: a supported tag or alias, or the matching error.
pub fn language(tag: &str) -> Result<Lang, ServiceError> {
    Ok(parse_lang(tag.trim())?)
}

/// A text parameter: not blank, not longer than [`MAX_TEXT_CHARS`].
pub fn text_param(text: &str) -> Result<&str, ServiceError> {
    if text.trim().is_empty() {
        return Err(ServiceError::EmptyText);
    }
    let length = text.chars().count();
    if length > MAX_TEXT_CHARS {
        return Err(ServiceError::TextTooLong {
            length,
            max: MAX_TEXT_CHARS,
        });
    }
    Ok(text)
}
