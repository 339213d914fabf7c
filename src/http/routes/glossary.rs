//! `/api/v1/glossary/...` (concepts, lookup, TBX/CSV import and export) and `/api/v1/qa`.

use actix_web::{web, FromRequest, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::import_export::{spool_body, stream_from_thread};
use crate::http::{call, ApiError, Locale};
use crate::i18n::Messages;
use crate::service::{ConceptBody, GlossaryFormat, LookupRequest, QaRequest, Service};

/// Who makes a change, for the glossary history: the `X-Werger-User` header, else `api`.
/// Header values are ASCII, so a name in another script comes percent-encoded (UTF-8), as
/// the glossary page sends it; it is decoded here.
pub struct Who(pub String);

impl FromRequest for Who {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let who = req
            .headers()
            .get("X-Werger-User")
            .and_then(|v| v.to_str().ok())
            .map(|v| percent_encoding::percent_decode_str(v).decode_utf8_lossy())
            .map(|v| {
                v.trim()
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(100)
                    .collect::<String>()
            })
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| "api".into());
        std::future::ready(Ok(Who(who)))
    }
}

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub limit: Option<usize>,
    #[serde(default)]
    pub offset: Option<usize>,
}

pub async fn list(
    service: web::Data<Service>,
    messages: web::Data<Messages>,
    locale: Locale,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let list = call(&service, &messages, locale, move |s| {
        s.list_concepts(q.q.as_deref().unwrap_or(""), q.limit, q.offset)
    })
    .await?;
    Ok(HttpResponse::Ok().json(list))
}

pub async fn create(
    service: web::Data<Service>,
    messages: web::Data<Messages>,
    locale: Locale,
    who: Who,
    body: web::Json<ConceptBody>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let concept = call(&service, &messages, locale, move |s| {
        s.create_concept(body, &who.0)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            "Location",
            format!("/api/v1/glossary/concepts/{}", concept.concept.id),
        ))
        .json(concept))
}

pub async fn read(
    service: web::Data<Service>,
    messages: web::Data<Messages>,
    locale: Locale,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let concept = call(&service, &messages, locale, move |s| s.get_concept(&id)).await?;
    Ok(HttpResponse::Ok().json(concept))
}

pub async fn update(
    service: web::Data<Service>,
    messages: web::Data<Messages>,
    locale: Locale,
    who: Who,
    id: web::Path<String>,
    body: web::Json<ConceptBody>,
) -> Result<HttpResponse, ApiError> {
    let (id, body) = (id.into_inner(), body.into_inner());
    let concept = call(&service, &messages, locale, move |s| {
        s.update_concept(&id, body, &who.0)
    })
    .await?;
    Ok(HttpResponse::Ok().json(concept))
}

pub async fn delete(
    service: web::Data<Service>,
    messages: web::Data<Messages>,
    locale: Locale,
    who: Who,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    call(&service, &messages, locale, move |s| {
        s.delete_concept(&id, &who.0)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

pub async fn history(
    service: web::Data<Service>,
    messages: web::Data<Messages>,
    locale: Locale,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let history = call(&service, &messages, locale, move |s| s.concept_history(&id)).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "history": history })))
}

pub async fn lookup(
    service: web::Data<Service>,
    messages: web::Data<Messages>,
    locale: Locale,
    body: web::Json<LookupRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let terms = call(&service, &messages, locale, move |s| s.lookup(&body)).await?;
    Ok(HttpResponse::Ok().json(terms))
}

pub async fn qa(
    service: web::Data<Service>,
    messages: web::Data<Messages>,
    locale: Locale,
    body: web::Json<QaRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let problems = call(&service, &messages, locale, move |s| s.qa(&body)).await?;
    Ok(HttpResponse::Ok().json(problems))
}

#[derive(Debug, Deserialize)]
pub struct ImportQuery {
    #[serde(default)]
    pub name: Option<String>,
}

fn format_of(path: &str) -> GlossaryFormat {
    if path.ends_with("csv") {
        GlossaryFormat::Csv
    } else {
        GlossaryFormat::Tbx
    }
}

/// `POST /api/v1/glossary/import/{tbx|csv}`: the file as the body; all of it or nothing.
pub async fn import(
    req: HttpRequest,
    service: web::Data<Service>,
    messages: web::Data<Messages>,
    locale: Locale,
    who: Who,
    query: web::Query<ImportQuery>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let format = format_of(req.path());
    let spool = spool_body(&service, payload)
        .await
        .map_err(|e| ApiError::new(e, locale.0, &messages))?;
    let name = query.into_inner().name.unwrap_or_else(|| match format {
        GlossaryFormat::Tbx => "upload.tbx".into(),
        GlossaryFormat::Csv => "upload.csv".into(),
    });
    let report = call(&service, &messages, locale, move |s| {
        let report = s.import_glossary(spool.path(), &name, format, &who.0, &mut |_| {});
        drop(spool);
        report
    })
    .await?;
    Ok(HttpResponse::Ok().json(report))
}

/// `GET /api/v1/glossary/export/{tbx|csv}`, streamed.
pub async fn export(req: HttpRequest, service: web::Data<Service>) -> HttpResponse {
    let format = format_of(req.path());
    let body = stream_from_thread(move |writer| {
        if let Err(e) = service.export_glossary(writer, format) {
            log::warn!("glossary export stopped: {e}");
        }
    });
    let (content_type, file) = match format {
        GlossaryFormat::Tbx => ("application/x-tbx+xml; charset=utf-8", "werger.tbx"),
        GlossaryFormat::Csv => ("text/csv; charset=utf-8", "werger-glossary.csv"),
    };
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{file}\""),
        ))
        .streaming(body)
}
