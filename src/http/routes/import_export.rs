//! `POST /api/v1/import/tmx` (the file as the request body) and `GET /api/v1/export/tmx`
//! (streamed while it is written).

use std::io::{self, Write};

use actix_web::web::Bytes;
use actix_web::{web, HttpResponse};
use futures_util::StreamExt;
use serde::Deserialize;
use tokio::sync::mpsc;

use crate::http::{call, ApiError, Locale, MAX_UPLOAD_BYTES};
use crate::i18n::Messages;
use crate::service::{language, ExportOptions, Service, ServiceError};

#[derive(Debug, Deserialize)]
pub struct ImportQuery {
    /// A name for the file, recorded as the units' origin (`tmx:NAME`).
    #[serde(default)]
    pub name: Option<String>,
}

/// Spool a request body to a temporary file in the data directory (deleted when dropped), so
/// an import reads a file of any size in bounded memory.
pub async fn spool_body(
    service: &Service,
    mut payload: web::Payload,
) -> Result<tempfile::NamedTempFile, ServiceError> {
    let spool_dir = service.store.dir.join("uploads");
    std::fs::create_dir_all(&spool_dir).map_err(ServiceError::internal)?;
    let mut spool = tempfile::NamedTempFile::new_in(&spool_dir).map_err(ServiceError::internal)?;
    let mut size = 0u64;
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ServiceError::InvalidRequest(e.to_string()))?;
        size += chunk.len() as u64;
        if size > MAX_UPLOAD_BYTES {
            return Err(ServiceError::PayloadTooLarge {
                max: MAX_UPLOAD_BYTES,
            });
        }
        spool.write_all(&chunk).map_err(ServiceError::internal)?;
    }
    if size == 0 {
        return Err(ServiceError::EmptyText);
    }
    Ok(spool)
}

/// Spool the body, then import it in one transaction. The answer (the import report) comes
/// once the units are stored and indexed.
pub async fn import_tmx(
    service: web::Data<Service>,
    messages: web::Data<Messages>,
    locale: Locale,
    query: web::Query<ImportQuery>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let spool = spool_body(&service, payload)
        .await
        .map_err(|e| ApiError::new(e, locale.0, &messages))?;
    let name = query
        .into_inner()
        .name
        .unwrap_or_else(|| "upload.tmx".into());
    let report = call(&service, &messages, locale, move |s| {
        let report = s.import_tmx(spool.path(), &name, &mut |_| {});
        drop(spool);
        report
    })
    .await?;
    Ok(HttpResponse::Ok().json(report))
}

#[derive(Debug, Deserialize)]
pub struct ExportQuery {
    /// Comma-separated language tags, e.g. `en,ar`.
    #[serde(default)]
    pub langs: Option<String>,
}

/// Sends what the TMX writer produces to the response, 64 KiB at a time. A client that goes
/// away closes the channel, which stops the export with an I/O error.
pub struct ChannelWriter {
    tx: mpsc::Sender<Bytes>,
    buf: Vec<u8>,
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= 64 * 1024 {
            self.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::take(&mut self.buf));
        self.tx
            .blocking_send(chunk)
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client went away"))
    }
}

impl Drop for ChannelWriter {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

pub async fn export_tmx(
    service: web::Data<Service>,
    messages: web::Data<Messages>,
    locale: Locale,
    query: web::Query<ExportQuery>,
) -> Result<HttpResponse, ApiError> {
    let langs = match query.into_inner().langs {
        Some(list) => Some(
            list.split(',')
                .filter(|t| !t.trim().is_empty())
                .map(language)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| ApiError::new(e, locale.0, &messages))?,
        ),
        None => None,
    };
    let body = stream_from_thread(move |writer| {
        if let Err(e) = service.export_tmx(writer, &ExportOptions { langs }) {
            log::warn!("TMX export stopped: {e}");
        }
    });
    Ok(HttpResponse::Ok()
        .content_type("application/x-tmx+xml; charset=utf-8")
        .insert_header(("Content-Disposition", "attachment; filename=\"werger.tmx\""))
        .streaming(body))
}

/// A response body produced by `write` on a thread of its own: what it writes is sent on as
/// it comes, so a large export never sits whole in memory.
pub fn stream_from_thread(
    write: impl FnOnce(ChannelWriter) + Send + 'static,
) -> impl futures_util::Stream<Item = Result<Bytes, actix_web::Error>> {
    let (tx, mut rx) = mpsc::channel::<Bytes>(8);
    std::thread::spawn(move || {
        write(ChannelWriter {
            tx,
            buf: Vec::new(),
        })
    });
    futures_util::stream::poll_fn(move |cx| {
        rx.poll_recv(cx).map(|o| o.map(Ok::<_, actix_web::Error>))
    })
}
