//! Routes, one module per branch of the URL tree.

mod glossary;
mod health;
mod import_export;
mod pages;
mod plugin;
mod statements;
mod suggest;
mod units;

use actix_web::{web, HttpRequest, HttpResponse};

use super::ApiError;
use crate::service::ServiceError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(plugin::demo))
        .route("/plugin.js", web::get().to(plugin::plugin))
        .route("/glossary", web::get().to(pages::glossary))
        .route("/healthz", web::get().to(health::healthz))
        .route("/readyz", web::get().to(health::readyz))
        .service(
            web::scope("/api/v1")
                .route("/openapi.json", web::get().to(health::openapi))
                .route("/messages/{lang}", web::get().to(pages::messages))
                .service(resource("/suggest").route(web::post().to(suggest::suggest)))
                .service(resource("/concordance").route(web::get().to(suggest::concordance)))
                .service(resource("/units").route(web::post().to(units::create)))
                .service(resource("/statements").route(web::post().to(statements::import)))
                .service(
                    resource("/statements/{id}/alignment")
                        .route(web::get().to(statements::alignment))
                        .route(web::patch().to(statements::correct)),
                )
                .service(
                    resource("/units/{id}")
                        .route(web::get().to(units::read))
                        .route(web::patch().to(units::update))
                        .route(web::delete().to(units::delete)),
                )
                .service(resource("/import/tmx").route(web::post().to(import_export::import_tmx)))
                .service(resource("/export/tmx").route(web::get().to(import_export::export_tmx)))
                .service(resource("/qa").route(web::post().to(glossary::qa)))
                .service(
                    resource("/glossary/concepts")
                        .route(web::get().to(glossary::list))
                        .route(web::post().to(glossary::create)),
                )
                .service(
                    resource("/glossary/concepts/{id}")
                        .route(web::get().to(glossary::read))
                        .route(web::put().to(glossary::update))
                        .route(web::delete().to(glossary::delete)),
                )
                .service(
                    resource("/glossary/concepts/{id}/history")
                        .route(web::get().to(glossary::history)),
                )
                .service(resource("/glossary/lookup").route(web::post().to(glossary::lookup)))
                .service(resource("/glossary/import/tbx").route(web::post().to(glossary::import)))
                .service(resource("/glossary/import/csv").route(web::post().to(glossary::import)))
                .service(resource("/glossary/export/tbx").route(web::get().to(glossary::export)))
                .service(resource("/glossary/export/csv").route(web::get().to(glossary::export))),
        )
        .default_service(web::to(not_found));
}

/// A resource whose other methods answer 405 with a JSON error.
fn resource(path: &str) -> actix_web::Resource {
    web::resource(path).default_service(web::to(method_not_allowed))
}

async fn not_found(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    Err(ApiError::for_request(
        ServiceError::NotFound(req.path().to_string()),
        &req,
    ))
}

async fn method_not_allowed(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    Err(ApiError::for_request(
        ServiceError::MethodNotAllowed(req.method().to_string()),
        &req,
    ))
}
