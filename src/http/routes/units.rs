//! `/api/v1/units` and `/api/v1/units/{id}`.

use actix_web::{web, HttpResponse};

use crate::http::{call, ApiError, Locale};
use crate::i18n::Messages;
use crate::service::{Service, UnitBody};

/// Create a unit (201), or return the existing unit with the same wording (200).
pub async fn create(
    service: web::Data<Service>,
    messages: web::Data<Messages>,
    locale: Locale,
    body: web::Json<UnitBody>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let (unit, created) = call(&service, &messages, locale, move |s| {
        s.create_unit(&body, "api")
    })
    .await?;
    let mut response = if created {
        HttpResponse::Created()
    } else {
        HttpResponse::Ok()
    };
    Ok(response
        .insert_header(("Location", format!("/api/v1/units/{}", unit.id)))
        .json(unit))
}

pub async fn read(
    service: web::Data<Service>,
    messages: web::Data<Messages>,
    locale: Locale,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let unit = call(&service, &messages, locale, move |s| s.get_unit(id)).await?;
    Ok(HttpResponse::Ok().json(unit))
}

pub async fn update(
    service: web::Data<Service>,
    messages: web::Data<Messages>,
    locale: Locale,
    id: web::Path<i64>,
    body: web::Json<UnitBody>,
) -> Result<HttpResponse, ApiError> {
    let (id, body) = (id.into_inner(), body.into_inner());
    let unit = call(&service, &messages, locale, move |s| {
        s.update_unit(id, &body)
    })
    .await?;
    Ok(HttpResponse::Ok().json(unit))
}

pub async fn delete(
    service: web::Data<Service>,
    messages: web::Data<Messages>,
    locale: Locale,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    call(&service, &messages, locale, move |s| s.delete_unit(id)).await?;
    Ok(HttpResponse::NoContent().finish())
}
