//! Who may call the API, and from where: API keys and CORS.
//!
//! The translator plugin runs inside a newsroom CMS on another origin, so the API answers
//! CORS preflights and marks its responses readable from any origin. Credentials are never
//! cookies (a key travels in a header the page's script sets), so allowing every origin gives
//! a foreign page nothing it does not already have. When the server is started with API keys,
//! every `/api/v1/` call except the public description and UI messages must carry one
//! (`X-Api-Key: KEY` or `Authorization: Bearer KEY`); without keys the API is open, as for
//! the local demo.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{web, HttpResponse, ResponseError};

use super::ApiError;
use crate::service::ServiceError;

/// The keys the server accepts; empty means the API is open.
#[derive(Debug, Clone, Default)]
pub struct ApiKeys(pub Vec<String>);

impl ApiKeys {
    /// Compare without an early exit on the first differing byte, so response timing does
    /// not tell how much of a guessed key was right.
    fn accepts(&self, given: &str) -> bool {
        self.0.iter().any(|key| {
            key.len() == given.len()
                && key
                    .bytes()
                    .zip(given.bytes())
                    .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                    == 0
        })
    }
}

/// Request headers a cross-origin page may send.
const ALLOWED_HEADERS: &str =
    "Content-Type, Accept-Language, X-Api-Key, Authorization, X-Werger-User";

/// Paths under `/api/v1/` anyone may read: what a client needs before it has a key.
fn is_public(path: &str) -> bool {
    path == "/api/v1/openapi.json" || path.starts_with("/api/v1/messages/")
}

fn key_of(req: &ServiceRequest) -> Option<&str> {
    let headers = req.headers();
    if let Some(key) = headers.get("X-Api-Key").and_then(|v| v.to_str().ok()) {
        return Some(key.trim());
    }
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
}

/// The middleware: answer preflights, check keys, add CORS headers.
pub async fn access(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let cross_origin = req.headers().contains_key(header::ORIGIN);
    if cross_origin
        && req.method() == Method::OPTIONS
        && req
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD)
    {
        let response = HttpResponse::NoContent()
            .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
            .insert_header((
                header::ACCESS_CONTROL_ALLOW_METHODS,
                "GET, POST, PUT, PATCH, DELETE",
            ))
            .insert_header((header::ACCESS_CONTROL_ALLOW_HEADERS, ALLOWED_HEADERS))
            .insert_header((header::ACCESS_CONTROL_MAX_AGE, "600"))
            .finish();
        return Ok(req.into_response(response));
    }
    let path = req.path();
    let needs_key = path.starts_with("/api/v1/") && !is_public(path);
    if needs_key {
        // The shared key list (an `Arc`), not a copy of it per request.
        let refused = req.app_data::<web::Data<ApiKeys>>().is_some_and(|keys| {
            !keys.0.is_empty() && !key_of(&req).is_some_and(|k| keys.accepts(k))
        });
        if refused {
            let error = ApiError::for_request(ServiceError::Unauthorized, req.request());
            let mut response = error.error_response();
            if cross_origin {
                add_cors(response.headers_mut());
            }
            return Ok(req.into_response(response));
        }
    }
    let mut response = next.call(req).await?.map_into_boxed_body();
    if cross_origin {
        add_cors(response.headers_mut());
    }
    Ok(response)
}

fn add_cors(headers: &mut header::HeaderMap) {
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    headers.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("Location"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_must_match_whole() {
        let keys = ApiKeys(vec!["s3cret-key".into()]);
        assert!(keys.accepts("s3cret-key"));
        assert!(!keys.accepts("s3cret-ke"));
        assert!(!keys.accepts("s3cret-kez"));
        assert!(!ApiKeys::default().accepts(""));
    }

    #[test]
    fn description_and_messages_are_public() {
        assert!(is_public("/api/v1/openapi.json"));
        assert!(is_public("/api/v1/messages/ckb"));
        assert!(!is_public("/api/v1/suggest"));
    }
}
