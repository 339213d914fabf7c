//! The errors users can meet, and the one table that gives each its stable code, HTTP status
//! and Fluent message id. The HTTP layer maps through this table and nowhere else; the CLI
//! prints the same localized messages.

use crate::core::lang::{Lang, LangError};
use crate::store::StoreError;

/// An error of a use case, with everything needed to explain it to the user.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("invalid JSON: {0}")]
    InvalidJson(String),
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    #[error("invalid parameter {name}: {detail}")]
    InvalidParameter { name: String, detail: String },
    #[error("unsupported language {0:?}")]
    UnsupportedLanguage(String),
    #[error("ambiguous language tag {0:?}")]
    AmbiguousLanguage(String),
    #[error("source and target are both {0}")]
    SameLanguage(Lang),
    #[error("the text is empty")]
    EmptyText,
    #[error("the text is too long ({length} > {max} characters)")]
    TextTooLong { length: usize, max: usize },
    #[error("no unit {0}")]
    UnitNotFound(i64),
    #[error("a unit needs at least one language")]
    UnitEmpty,
    #[error("language {0} given twice")]
    DuplicateLanguage(Lang),
    #[error("TMX rejected at {line}:{column}: {detail}")]
    TmxInvalid {
        line: u64,
        column: u64,
        detail: String,
    },
    #[error("upload larger than {max} bytes")]
    PayloadTooLarge { max: u64 },
    #[error("nothing at {0}")]
    NotFound(String),
    #[error("method {0} not allowed")]
    MethodNotAllowed(String),
    #[error("the index is not ready")]
    NotReady,
    #[error("the memory is busy")]
    Busy,
    #[error("internal error {reference}: {detail}")]
    Internal { reference: String, detail: String },
    #[error("no concept {0:?}")]
    ConceptNotFound(String),
    #[error("concept {0:?} exists already")]
    ConceptExists(String),
    #[error("invalid concept: {0}")]
    ConceptInvalid(String),
    #[error("an API key is needed")]
    Unauthorized,
    #[error("glossary file rejected at {line}:{column}: {detail}")]
    GlossaryInvalid {
        line: u64,
        column: u64,
        detail: String,
    },
}

/// One row of the error table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorKind {
    /// Stable machine-readable code, part of the public API.
    pub code: &'static str,
    pub status: u16,
    /// The Fluent message id in `locales/*/werger.ftl`.
    pub message_id: &'static str,
}

const fn kind(code: &'static str, status: u16, message_id: &'static str) -> ErrorKind {
    ErrorKind {
        code,
        status,
        message_id,
    }
}

/// Every error kind, for the documentation and the locale completeness test.
pub const ERROR_TABLE: &[ErrorKind] = &[
    kind("invalid_json", 400, "error-invalid-json"),
    kind("invalid_request", 400, "error-invalid-request"),
    kind("invalid_parameter", 400, "error-invalid-parameter"),
    kind("unsupported_language", 400, "error-unsupported-language"),
    kind("ambiguous_language", 400, "error-ambiguous-language"),
    kind("same_language", 400, "error-same-language"),
    kind("empty_text", 400, "error-empty-text"),
    kind("text_too_long", 400, "error-text-too-long"),
    kind("unit_not_found", 404, "error-unit-not-found"),
    kind("unit_empty", 400, "error-unit-empty"),
    kind("duplicate_language", 400, "error-duplicate-language"),
    kind("tmx_invalid", 422, "error-tmx-invalid"),
    kind("payload_too_large", 413, "error-payload-too-large"),
    kind("not_found", 404, "error-not-found"),
    kind("method_not_allowed", 405, "error-method-not-allowed"),
    kind("not_ready", 503, "error-not-ready"),
    kind("busy", 503, "error-busy"),
    kind("internal", 500, "error-internal"),
    kind("concept_not_found", 404, "error-concept-not-found"),
    kind("concept_exists", 409, "error-concept-exists"),
    kind("concept_invalid", 400, "error-concept-invalid"),
    kind("glossary_invalid", 422, "error-glossary-invalid"),
    kind("unauthorized", 401, "error-unauthorized"),
];

impl ServiceError {
    pub fn kind(&self) -> ErrorKind {
        use ServiceError::*;
        let i = match self {
            InvalidJson(_) => 0,
            InvalidRequest(_) => 1,
            InvalidParameter { .. } => 2,
            UnsupportedLanguage(_) => 3,
            AmbiguousLanguage(_) => 4,
            SameLanguage(_) => 5,
            EmptyText => 6,
            TextTooLong { .. } => 7,
            UnitNotFound(_) => 8,
            UnitEmpty => 9,
            DuplicateLanguage(_) => 10,
            TmxInvalid { .. } => 11,
            PayloadTooLarge { .. } => 12,
            NotFound(_) => 13,
            MethodNotAllowed(_) => 14,
            NotReady => 15,
            Busy => 16,
            Internal { .. } => 17,
            ConceptNotFound(_) => 18,
            ConceptExists(_) => 19,
            ConceptInvalid(_) => 20,
            GlossaryInvalid { .. } => 21,
            Unauthorized => 22,
        };
        ERROR_TABLE[i]
    }

    /// The arguments of the Fluent message.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        use ServiceError::*;
        match self {
            InvalidJson(d) | InvalidRequest(d) => vec![("detail", d.clone())],
            InvalidParameter { name, detail } => {
                vec![("name", name.clone()), ("detail", detail.clone())]
            }
            UnsupportedLanguage(tag) => {
                vec![("tag", tag.clone()), ("supported", Lang::supported_list())]
            }
            AmbiguousLanguage(tag) => vec![("tag", tag.clone())],
            SameLanguage(lang) | DuplicateLanguage(lang) => vec![("lang", lang.code().to_string())],
            EmptyText | UnitEmpty | NotReady | Busy | Unauthorized => vec![],
            TextTooLong { length, max } => {
                vec![("length", length.to_string()), ("max", max.to_string())]
            }
            UnitNotFound(id) => vec![("id", id.to_string())],
            TmxInvalid {
                line,
                column,
                detail,
            }
            | GlossaryInvalid {
                line,
                column,
                detail,
            } => {
                vec![
                    ("line", line.to_string()),
                    ("column", column.to_string()),
                    ("detail", detail.clone()),
                ]
            }
            PayloadTooLarge { max } => vec![("max", max.to_string())],
            NotFound(path) => vec![("path", path.clone())],
            MethodNotAllowed(m) => vec![("method", m.clone())],
            Internal { reference, .. } => vec![("reference", reference.clone())],
            ConceptNotFound(id) | ConceptExists(id) => vec![("id", id.clone())],
            ConceptInvalid(d) => vec![("detail", d.clone())],
        }
    }

    /// An unexpected failure: logged in full with a reference the user can quote.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        let reference = format!("E{:x}", crate::store::now_ms());
        log::error!("[{reference}] {detail}");
        ServiceError::Internal {
            reference,
            detail: detail.to_string(),
        }
    }
}

impl From<LangError> for ServiceError {
    fn from(e: LangError) -> Self {
        match e {
            LangError::Unsupported { tag } => ServiceError::UnsupportedLanguage(tag),
            LangError::Ambiguous { tag } => ServiceError::AmbiguousLanguage(tag),
        }
    }
}

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        if e.is_busy() {
            ServiceError::Busy
        } else {
            ServiceError::internal(e)
        }
    }
}
