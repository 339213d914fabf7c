//! The one place where service errors become HTTP responses:
//! `{"error": {"code", "message"}}` with the status of the error table and the message in the
//! caller's language.

use std::future::{ready, Ready};

use actix_web::http::{header, StatusCode};
use actix_web::{web, FromRequest, HttpRequest, HttpResponse, ResponseError};
use serde_json::json;

use crate::core::lang::Lang;
use crate::i18n::{negotiate, Messages};
use crate::service::ServiceError;

/// The caller's UI language, from `Accept-Language`.
#[derive(Debug, Clone, Copy)]
pub struct Locale(pub Lang);

impl Locale {
    pub fn of(req: &HttpRequest) -> Self {
        Locale(negotiate(
            req.headers()
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok()),
        ))
    }
}

impl FromRequest for Locale {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        ready(Ok(Locale::of(req)))
    }
}

/// A service error on its way to a client who reads `lang`.
#[derive(Debug)]
pub struct ApiError {
    pub error: ServiceError,
    pub lang: Lang,
    pub message: String,
}

impl ApiError {
    pub fn new(error: ServiceError, lang: Lang, messages: &Messages) -> Self {
        let kind = error.kind();
        let message = messages.format(lang, kind.message_id, &error.args());
        ApiError {
            error,
            lang,
            message,
        }
    }

    /// Build from a request (for extractor error handlers that only have the request).
    pub fn for_request(error: ServiceError, req: &HttpRequest) -> Self {
        let lang = Locale::of(req).0;
        match req.app_data::<web::Data<Messages>>() {
            Some(m) => ApiError::new(error, lang, m),
            None => ApiError::new(error, lang, &Messages::new()),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.error.kind().code, self.message)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.error.kind().status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_LANGUAGE, self.lang.code()));
        if matches!(self.error, ServiceError::NotReady | ServiceError::Busy) {
            response.insert_header((header::RETRY_AFTER, "1"));
        }
        response.json(json!({"error": {"code": self.error.kind().code, "message": self.message}}))
    }
}
