//! `POST /api/v1/statements` and `GET /api/v1/statements/{id}/alignment`.

use actix_web::{web, HttpResponse};

use crate::http::{call, ApiError, Locale};
use crate::i18n::Messages;
use crate::service::{AlignmentCorrection, Service, StatementRequest};

pub async fn import(
    service: web::Data<Service>,
    messages: web::Data<Messages>,
    locale: Locale,
    body: web::Json<StatementRequest>,
) -> Result<HttpResponse, ApiError> {
    let request = body.into_inner();
    let response = call(&service, &messages, locale, move |s| {
        s.import_statement(&request)
    })
    .await?;
    Ok(HttpResponse::Ok().json(response))
}

pub async fn alignment(
    service: web::Data<Service>,
    messages: web::Data<Messages>,
    locale: Locale,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let alignment = call(&service, &messages, locale, move |s| {
        s.statement_alignment(&id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(alignment))
}

pub async fn correct(
    service: web::Data<Service>,
    messages: web::Data<Messages>,
    locale: Locale,
    id: web::Path<String>,
    body: web::Json<AlignmentCorrection>,
) -> Result<HttpResponse, ApiError> {
    let (id, fix) = (id.into_inner(), body.into_inner());
    let response = call(&service, &messages, locale, move |s| {
        s.correct_alignment(&id, &fix)
    })
    .await?;
    Ok(HttpResponse::Ok().json(response))
}
