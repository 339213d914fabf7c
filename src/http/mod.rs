//! The HTTP API (actix-web). Handlers parse, call the service on the blocking pool, and map
//! errors through [`error::ApiError`]; no domain logic lives here. `routes/` mirrors the URL tree.

pub mod access;
pub mod error;
mod routes;

use std::net::TcpListener;

use actix_web::{web, App, HttpRequest, HttpServer};

use crate::i18n::Messages;
use crate::service::{Service, ServiceError};
pub use access::ApiKeys;
pub use error::{ApiError, Locale};

/// Largest JSON body accepted.
pub const MAX_JSON_BYTES: usize = 1024 * 1024;
/// Largest TMX upload accepted.
pub const MAX_UPLOAD_BYTES: u64 = 8 * 1024 * 1024 * 1024;

/// Run a blocking use case on actix's blocking pool, localizing its error for the caller.
pub async fn call<T, F>(
    service: &web::Data<Service>,
    messages: &web::Data<Messages>,
    locale: Locale,
    f: F,
) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&Service) -> Result<T, ServiceError> + Send + 'static,
{
    let service = service.clone();
    let result = web::block(move || f(&service)).await;
    let result = result.unwrap_or_else(|e| Err(ServiceError::internal(e)));
    result.map_err(|e| ApiError::new(e, locale.0, messages))
}

fn json_error(err: actix_web::error::JsonPayloadError, req: &HttpRequest) -> actix_web::Error {
    use actix_web::error::JsonPayloadError as J;
    let error = match &err {
        J::OverflowKnownLength { .. } | J::Overflow { .. } => ServiceError::PayloadTooLarge {
            max: MAX_JSON_BYTES as u64,
        },
        J::ContentType => ServiceError::InvalidRequest(
            "the body must be JSON (Content-Type: application/json)".into(),
        ),
        J::Deserialize(e) if e.is_data() => ServiceError::InvalidRequest(e.to_string()),
        _ => ServiceError::InvalidJson(err.to_string()),
    };
    ApiError::for_request(error, req).into()
}

fn query_error(err: actix_web::error::QueryPayloadError, req: &HttpRequest) -> actix_web::Error {
    ApiError::for_request(ServiceError::InvalidRequest(err.to_string()), req).into()
}

fn path_error(err: actix_web::error::PathError, req: &HttpRequest) -> actix_web::Error {
    ApiError::for_request(
        ServiceError::InvalidParameter {
            name: "id".into(),
            detail: err.to_string(),
        },
        req,
    )
    .into()
}

/// The application's routes and configuration, shared by the server and the tests.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(
        web::JsonConfig::default()
            .limit(MAX_JSON_BYTES)
            .error_handler(json_error),
    )
    .app_data(web::QueryConfig::default().error_handler(query_error))
    .app_data(web::PathConfig::default().error_handler(path_error));
    routes::configure(cfg);
}

/// Blocking threads (service calls: lookups, imports) per HTTP worker.
const BLOCKING_THREADS_PER_WORKER: usize = 4;

/// Start serving on `listener` with `workers` worker threads; with `keys`, the API asks for
/// one of them ([`access`]).
pub fn server(
    service: Service,
    listener: TcpListener,
    workers: usize,
    keys: ApiKeys,
) -> std::io::Result<actix_web::dev::Server> {
    let service = web::Data::new(service);
    let messages = web::Data::new(Messages::new());
    let keys = web::Data::new(keys);
    Ok(HttpServer::new(move || {
        App::new()
            .app_data(service.clone())
            .app_data(messages.clone())
            .app_data(keys.clone())
            .wrap(actix_web::middleware::from_fn(access::access))
            .configure(configure)
    })
    .workers(workers)
    // Lookups are CPU work run on blocking threads; more of them than a few per worker only
    // share the same cores, and each keeps its own analysis caches (a 1M-unit server under 16
    // clients held ~230 MiB of them with actix's default of 512 / workers).
    .worker_max_blocking_threads(BLOCKING_THREADS_PER_WORKER)
    .listen(listener)?
    .run())
}
