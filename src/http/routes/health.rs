//! Health, readiness and the API description.

use actix_web::{web, HttpResponse};
use serde_json::json;

use crate::http::{call, ApiError, Locale};
use crate::i18n::Messages;
use crate::service::{Service, ServiceError};

/// Alive: the process answers.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")}))
}

/// Ready: the index has replayed the change log present at start-up.
pub async fn readyz(
    service: web::Data<Service>,
    messages: web::Data<Messages>,
    locale: Locale,
) -> Result<HttpResponse, ApiError> {
    let status = call(&service, &messages, locale, |s| {
        if !s.is_ready() {
            return Err(ServiceError::NotReady);
        }
        Ok(json!({
            "status": "ready",
            "units": s.store.db.count_units()?,
            "index_seq": s.store.index.visible_seq(),
        }))
    })
    .await?;
    Ok(HttpResponse::Ok().json(status))
}

pub async fn openapi() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(include_str!("../openapi.json"))
}
