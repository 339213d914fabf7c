//! `POST /api/v1/suggest` and `GET /api/v1/concordance`.

use actix_web::{web, HttpResponse};

use crate::http::{call, ApiError, Locale};
use crate::i18n::Messages;
use crate::service::{ConcordanceRequest, Service, SuggestRequest};

pub async fn suggest(
    service: web::Data<Service>,
    messages: web::Data<Messages>,
    locale: Locale,
    body: web::Json<SuggestRequest>,
) -> Result<HttpResponse, ApiError> {
    let request = body.into_inner();
    let response = call(&service, &messages, locale, move |s| s.suggest(&request)).await?;
    Ok(HttpResponse::Ok().json(response))
}

pub async fn concordance(
    service: web::Data<Service>,
    messages: web::Data<Messages>,
    locale: Locale,
    query: web::Query<ConcordanceRequest>,
) -> Result<HttpResponse, ApiError> {
    let request = query.into_inner();
    let response = call(&service, &messages, locale, move |s| {
        s.concordance(&request)
    })
    .await?;
    Ok(HttpResponse::Ok().json(response))
}
