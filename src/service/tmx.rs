//! TMX import and export.
//!
//! An import is one SQLite transaction: a file that turns out to be malformed half-way leaves
//! nothing behind, and a crash during the import loses only the unacknowledged import itself.
//! The file is streamed, so its size is bounded by disk, not memory.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use serde::Serialize;

use super::{Service, ServiceError};
use crate::core::detect::mislabelled as mislabelled_as;
use crate::core::lang::Lang;
use crate::core::tmx::{decoded, line_column, Limits, SkipReason, TmxError, TmxReader, TmxWriter};
use crate::store::StoreError;

/// Where an import is, for progress bars.
#[derive(Debug, Clone, Copy)]
pub struct ImportProgress {
    /// Bytes of the file read so far.
    pub bytes: u64,
    pub units: u64,
}

/// What an import did: counts, and everything the user should know about the file.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    pub file: String,
    pub units_read: u64,
    pub added: u64,
    /// Units whose exact wording was already in the memory (or earlier in the file).
    pub duplicates: u64,
    /// Units left with fewer than two languages after skipping variants: not stored.
    pub incomplete: u64,
    /// Variants stored, per language.
    pub languages: BTreeMap<Lang, u64>,
    pub skipped_variants: Vec<SkippedCount>,
    /// How language tags were read (aliases, a bare `ku` resolved by script), with counts.
    pub language_notes: Vec<NoteCount>,
    /// Variants whose text looks like another language than their tag says (Sorani labelled
    /// `ar`, Kurmanji labelled `en`…): stored as labelled, but worth a look.
    pub language_warnings: Vec<LanguageWarning>,
    /// False when another process holds the index writer and will index the units.
    pub indexed: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct LanguageWarning {
    pub labelled: Lang,
    pub detected: Lang,
    pub count: u64,
    /// The `tuid` (or position in the file) of the first such unit.
    pub example: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SkippedCount {
    pub tag: String,
    pub reason: &'static str,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct NoteCount {
    pub note: String,
    pub count: u64,
}

fn reason_name(r: SkipReason) -> &'static str {
    match r {
        SkipReason::UnsupportedLanguage => "unsupported_language",
        SkipReason::AmbiguousLanguage => "ambiguous_language",
        SkipReason::DuplicateLanguage => "duplicate_language",
        SkipReason::Empty => "empty",
    }
}

/// Counts the raw bytes read from the file, for progress.
struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Which units an export writes.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// Only these languages (and only units with at least two of them); all if `None`.
    pub langs: Option<Vec<Lang>>,
}

/// A TMX date (`YYYYMMDDThhmmssZ`) from milliseconds since the epoch.
fn tmx_date(ms: i64) -> String {
    let format = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    time::OffsetDateTime::from_unix_timestamp(ms / 1000)
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_default()
}

impl Service {
    /// Import the TMX file at `path`; `name` is recorded as the units' origin (`tmx:NAME`).
    pub fn import_tmx(
        &self,
        path: &Path,
        name: &str,
        progress: &mut dyn FnMut(ImportProgress),
    ) -> Result<ImportReport, ServiceError> {
        let file = File::open(path).map_err(|e| ServiceError::InvalidParameter {
            name: "FILE".into(),
            detail: format!("{}: {e}", path.display()),
        })?;
        let file_bytes = file.metadata().map_or(0, |m| m.len());
        let count = Arc::new(AtomicU64::new(0));
        let raw = Counting {
            inner: file,
            count: count.clone(),
        };
        let origin = format!("tmx:{name}");
        let mut report = ImportReport {
            file: name.to_string(),
            ..ImportReport::default()
        };
        let mut skipped: BTreeMap<(String, SkipReason), u64> = BTreeMap::new();
        let mut notes: BTreeMap<String, u64> = BTreeMap::new();
        let mut mislabelled: BTreeMap<(Lang, Lang), (u64, String)> = BTreeMap::new();

        let result = self
            .store
            .write_indexed(|tx, feed| -> Result<(), ImportFailure> {
                let mut reader =
                    TmxReader::new(decoded(raw), Limits::default()).map_err(ImportFailure::Tmx)?;
                let mut known = tx.keys_for_import(file_bytes)?;
                while let Some(parsed) = reader.next_unit().map_err(ImportFailure::Tmx)? {
                    report.units_read += 1;
                    for s in parsed.skipped {
                        *skipped.entry((s.tag, s.reason)).or_default() += 1;
                    }
                    for n in parsed.tag_notes {
                        *notes.entry(n).or_default() += 1;
                    }
                    let unit = parsed.unit;
                    for v in &unit.variants {
                        if let Some(detected) = mislabelled_as(v.lang, &v.text) {
                            let entry =
                                mislabelled.entry((v.lang, detected)).or_insert_with(|| {
                                    let example = unit
                                        .external_id
                                        .clone()
                                        .unwrap_or_else(|| format!("unit {}", report.units_read));
                                    (0, example)
                                });
                            entry.0 += 1;
                        }
                    }
                    if unit.variants.len() < 2 {
                        report.incomplete += 1;
                    } else {
                        match tx.insert_if_new_among(&unit, &origin, known.as_mut())? {
                            (_, false) => report.duplicates += 1,
                            (id, true) => {
                                report.added += 1;
                                for v in &unit.variants {
                                    *report.languages.entry(v.lang).or_default() += 1;
                                }
                                feed.add(id, unit);
                            }
                        }
                    }
                    if report.units_read.is_multiple_of(512) {
                        progress(ImportProgress {
                            bytes: count.load(Ordering::Relaxed),
                            units: report.units_read,
                        });
                    }
                }
                Ok(())
            });
        let seq = match result {
            Ok(((), seq)) => seq,
            Err(ImportFailure::Tmx(e)) => return Err(locate(path, e)),
            Err(ImportFailure::Store(e)) => return Err(e.into()),
        };
        progress(ImportProgress {
            bytes: count.load(Ordering::Relaxed),
            units: report.units_read,
        });
        report.skipped_variants = skipped
            .into_iter()
            .map(|((tag, reason), count)| SkippedCount {
                tag,
                reason: reason_name(reason),
                count,
            })
            .collect();
        report.language_warnings = mislabelled
            .into_iter()
            .map(|((labelled, detected), (count, example))| LanguageWarning {
                labelled,
                detected,
                count,
                example,
            })
            .collect();
        report.language_notes = notes
            .into_iter()
            .map(|(note, count)| NoteCount { note, count })
            .collect();
        report.indexed = self.sync_index(seq)?;
        Ok(report)
    }

    /// Write the memory as TMX 1.4b to `out`; returns the number of units written.
    pub fn export_tmx(
        &self,
        out: impl Write,
        options: &ExportOptions,
    ) -> Result<u64, ServiceError> {
        let srclang = match &options.langs {
            Some(langs) if langs.len() == 1 || !langs.is_empty() => langs[0].code(),
            _ => "*all*",
        };
        let mut writer = TmxWriter::start(out, srclang).map_err(ServiceError::internal)?;
        let mut written = 0u64;
        let mut failure: Option<io::Error> = None;
        self.store
            .db
            .for_each_unit(|stored| {
                let mut unit = stored.unit;
                if let Some(langs) = &options.langs {
                    unit.variants.retain(|v| langs.contains(&v.lang));
                    if unit.variants.len() < 2.min(langs.len()) || unit.variants.is_empty() {
                        return Ok(());
                    }
                }
                let dates = [
                    ("creationdate", tmx_date(stored.created_ms)),
                    ("changedate", tmx_date(stored.updated_ms)),
                ];
                if let Err(e) = writer.write_unit(&unit, &dates) {
                    failure = Some(e);
                    return Err(StoreError::Corrupt("export stopped".into()));
                }
                written += 1;
                Ok(())
            })
            .or_else(|e| if failure.is_some() { Ok(()) } else { Err(e) })?;
        if let Some(e) = failure {
            // The client went away or the disk is full: nothing to tell but the log.
            return Err(ServiceError::internal(format!("writing TMX: {e}")));
        }
        writer.finish().map_err(ServiceError::internal)?;
        Ok(written)
    }
}

/// Why the import transaction was rolled back: a problem in the file or in storage.
enum ImportFailure {
    Tmx(TmxError),
    Store(StoreError),
}

impl From<StoreError> for ImportFailure {
    fn from(e: StoreError) -> Self {
        ImportFailure::Store(e)
    }
}

/// The user-facing error for a parse failure: the decoded file is read again up to the error's
/// offset to give its line and column (the transaction that read it has been rolled back).
fn locate(path: &Path, e: TmxError) -> ServiceError {
    let (line, column) = File::open(path)
        .and_then(|f| line_column(decoded(f), e.offset))
        .unwrap_or((0, 0));
    ServiceError::TmxInvalid {
        line,
        column,
        detail: e.message,
    }
}
