//! One function per command.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::net::TcpListener;
use std::path::Path;

use indicatif::{ProgressBar, ProgressStyle};

use super::{Cli, Command, ExportCommand, ImportCommand};
use crate::core::lang::Lang;
use crate::i18n::{negotiate, Messages};
use crate::service::{
    language, ConcordanceRequest, ExportOptions, GlossaryFormat, Service, ServiceError,
    SuggestRequest,
};

/// The user's language for messages, from the usual locale variables (`ar_IQ.UTF-8` → ar).
fn cli_locale() -> Lang {
    let var = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.is_empty());
    negotiate(var.as_deref().map(|v| v.split('.').next().unwrap_or(v)))
}

fn report_error(e: &ServiceError) -> i32 {
    let messages = Messages::new();
    let kind = e.kind();
    eprintln!(
        "error [{}]: {}",
        kind.code,
        messages.format(cli_locale(), kind.message_id, &e.args())
    );
    if kind.status < 500 {
        2
    } else {
        1
    }
}

pub fn run(cli: Cli) -> i32 {
    match execute(cli) {
        Ok(code) => code,
        Err(e) => report_error(&e),
    }
}

fn execute(cli: Cli) -> Result<i32, ServiceError> {
    let data_dir = cli.data_dir;
    match cli.command {
        Command::Serve {
            bind,
            demo,
            workers,
            api_keys,
        } => serve(&data_dir, &bind, demo, workers, api_keys),
        Command::Import(ImportCommand::Tmx { file, json }) => import_tmx(&data_dir, &file, json),
        Command::Import(ImportCommand::Tbx { file, json }) => {
            super::glossary::import(&data_dir, &file, GlossaryFormat::Tbx, json)
        }
        Command::Import(ImportCommand::Csv { file, json }) => {
            super::glossary::import(&data_dir, &file, GlossaryFormat::Csv, json)
        }
        Command::Export(ExportCommand::Tbx { output }) => {
            super::glossary::export(&data_dir, GlossaryFormat::Tbx, output.as_deref())
        }
        Command::Export(ExportCommand::Csv { output }) => {
            super::glossary::export(&data_dir, GlossaryFormat::Csv, output.as_deref())
        }
        Command::Terms {
            lang,
            to,
            json,
            text,
        } => super::glossary::terms(&data_dir, lang, to, json, text),
        Command::Qa {
            from,
            to,
            json,
            source,
            target,
        } => super::glossary::qa(&data_dir, from, to, json, source, target),
        Command::Import(ImportCommand::Statement { id, date, texts }) => {
            let service = Service::open(&data_dir)?;
            let files: Vec<(Lang, std::path::PathBuf)> = texts;
            let report = import_statement_files(&service, &id, date, &files)?;
            println!(
                "{id}: {} units added, {} kept, {} removed; sentences {}",
                report.units_added,
                report.units_kept,
                report.units_removed,
                report
                    .sentences
                    .iter()
                    .map(|(l, n)| format!("{l} {n}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            let review: usize = report
                .alignment
                .as_object()
                .map(|o| {
                    o.values()
                        .flat_map(|v| v["pairs"].as_array().cloned().unwrap_or_default())
                        .filter(|p| p["review"] == true)
                        .count()
                })
                .unwrap_or(0);
            if review > 0 {
                println!("  {review} aligned pairs have a low confidence: review them (GET /api/v1/statements/{id}/alignment)");
            }
            Ok(0)
        }
        Command::Import(ImportCommand::Statements { dir }) => {
            import_statement_folder(&data_dir, &dir)
        }
        Command::Export(ExportCommand::Tmx { langs, output }) => {
            export_tmx(&data_dir, langs, output.as_deref())
        }
        Command::Suggest {
            from,
            to,
            json,
            min_score,
            limit,
            text,
        } => {
            let service = Service::open(&data_dir)?;
            let response = service.suggest(&SuggestRequest {
                source_lang: from,
                target_lang: to,
                text,
                min_score,
                limit,
            })?;
            if json {
                print_json(&response)?;
            } else {
                for segment in &response.segments {
                    println!("» {}", segment.text);
                    if segment.matches.is_empty() {
                        println!("  (no match)");
                    }
                    for m in &segment.matches {
                        println!("  {:>3}%  #{:<6} {}", m.score, m.tu_id, m.source);
                        println!("               → {}", m.target);
                    }
                }
            }
            Ok(0)
        }
        Command::Concordance {
            lang,
            to,
            json,
            limit,
            phrase,
        } => {
            let service = Service::open(&data_dir)?;
            let response = service.concordance(&ConcordanceRequest {
                q: phrase,
                lang,
                target_lang: to,
                limit,
            })?;
            if json {
                print_json(&response)?;
            } else {
                for hit in &response.results {
                    let marked: String = hit
                        .source
                        .pieces
                        .iter()
                        .map(|p| {
                            if p.hit {
                                format!("[{}]", p.text)
                            } else {
                                p.text.clone()
                            }
                        })
                        .collect();
                    println!("#{:<6} {}", hit.tu_id, marked);
                    for t in &hit.targets {
                        println!("        {}: {}", t.lang, t.text);
                    }
                }
            }
            Ok(0)
        }
        Command::Align { texts, json } => {
            if texts.len() != 2 {
                return Err(ServiceError::InvalidParameter {
                    name: "--text".into(),
                    detail: format!("give exactly two versions, got {}", texts.len()),
                });
            }
            let read = |(lang, path): &(Lang, std::path::PathBuf)| {
                std::fs::read_to_string(path)
                    .map(|text| (*lang, text))
                    .map_err(|e| ServiceError::InvalidParameter {
                        name: "--text".into(),
                        detail: format!("{}: {e}", path.display()),
                    })
            };
            let (source, target) = (read(&texts[0])?, read(&texts[1])?);
            let response = Service::align_texts((source.0, &source.1), (target.0, &target.1))?;
            if json {
                print_json(&response)?;
            } else {
                for pair in &response.pairs {
                    let side = |lang: Lang| pair[lang.code()].as_str().unwrap_or("").to_string();
                    println!(
                        "{:.2}  {}",
                        pair["confidence"].as_f64().unwrap_or(0.0),
                        side(source.0)
                    );
                    println!("      {}", side(target.0));
                }
            }
            Ok(0)
        }
        Command::Reindex => {
            let service = Service::open(&data_dir)?;
            let bar = counter("indexing", service.store.db.max_seq()? as u64);
            let done = service.reindex(|n| bar.inc(n as u64))?;
            bar.finish_and_clear();
            if !done {
                eprintln!("error: another process (a running `werger serve`?) holds the search index writer; stop it and run `werger reindex` again");
                return Ok(1);
            }
            finish_merge(&service)?;
            println!(
                "reindexed {} units ({} index documents)",
                service.store.db.count_units()?,
                service.store.index.num_docs()
            );
            Ok(0)
        }
        Command::Compact => {
            let service = Service::open(&data_dir)?;
            match service.store.index.compact()? {
                Some(before) => {
                    println!("merged {before} index segments into one");
                    Ok(0)
                }
                None => {
                    eprintln!("error: another process (a running `werger serve`?) holds the search index writer; stop it and run `werger compact` again");
                    Ok(1)
                }
            }
        }
        Command::Check { json } => {
            let service = Service::open(&data_dir)?;
            let report = service.check()?;
            if json {
                let value = serde_json::json!({
                    "units": report.units, "variants": report.variants, "indexed": report.indexed,
                    "db_seq": report.db_seq, "index_seq": report.index_seq, "problems": report.problems,
                });
                println!("{value}");
            } else {
                println!(
                    "{} units, {} variants in the database; {} indexed; change log at {}, index at {}",
                    report.units, report.variants, report.indexed, report.db_seq, report.index_seq
                );
                for p in &report.problems {
                    println!("problem: {p}");
                }
                if report.problems.is_empty() {
                    println!("ok: the index agrees with the database");
                }
            }
            Ok(i32::from(!report.problems.is_empty()))
        }
        Command::Backup { dest } => {
            let service = Service::open(&data_dir)?;
            service.backup(&dest)?;
            println!("database copied to {}", dest.display());
            Ok(0)
        }
        Command::EvalAlignment {
            files,
            ntrex,
            python,
        } => crate::eval::alignment::run(&files, ntrex.as_deref(), python.as_deref()),
        Command::EvalTerms {
            terminologies,
            examples,
            files,
        } => {
            let csvs = crate::eval::terms::files_in(&terminologies, |n| n.ends_with(".csv"));
            crate::eval::terms::run(&csvs, &files, 1, examples)
        }
        Command::Bench {
            data,
            work,
            sizes,
            queries,
            scan_queries,
            python,
            ttk_max,
            http_seconds,
            reuse,
        } => crate::eval::bench::run(&crate::eval::bench::BenchOptions {
            reuse,
            data,
            work,
            sizes,
            queries,
            scan_queries,
            python,
            ttk_max,
            http_seconds,
        }),
        Command::EvalVariants { files, queries } => crate::eval::variants::run(&files, queries),
        Command::EvalSegmentation { files, keep_lines } => {
            crate::eval::segmentation::run(&files, keep_lines)
        }
        Command::EvalRetrieval {
            files,
            unseen,
            queries,
        } => crate::eval::retrieval(&files, &unseen, queries),
    }
}

/// Read the version files of one statement and import it; the format follows the extension.
fn import_statement_files(
    service: &Service,
    id: &str,
    date: Option<String>,
    files: &[(Lang, std::path::PathBuf)],
) -> Result<crate::service::StatementResponse, ServiceError> {
    let mut versions = std::collections::BTreeMap::new();
    let mut format = "text";
    for (lang, path) in files {
        let text = std::fs::read_to_string(path).map_err(|e| ServiceError::InvalidParameter {
            name: "--text".into(),
            detail: format!("{}: {e}", path.display()),
        })?;
        match path.extension().and_then(|e| e.to_str()) {
            Some("html") | Some("htm") => format = "html",
            Some("md") | Some("markdown") => format = "markdown",
            _ => {}
        }
        versions.insert(lang.code().to_string(), text);
    }
    let request: crate::service::StatementRequest = serde_json::from_value(serde_json::json!({
        "id": id, "date": date, "versions": versions, "format": format,
    }))
    .map_err(|e| ServiceError::InvalidRequest(e.to_string()))?;
    service.import_statement(&request)
}

fn import_statement_folder(data_dir: &Path, dir: &Path) -> Result<i32, ServiceError> {
    let entries = std::fs::read_dir(dir).map_err(|e| ServiceError::InvalidParameter {
        name: "DIR".into(),
        detail: format!("{}: {e}", dir.display()),
    })?;
    let mut statements: std::collections::BTreeMap<String, Vec<(Lang, std::path::PathBuf)>> =
        Default::default();
    let mut ignored = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let parts: Vec<&str> = name.rsplitn(3, '.').collect();
        match parts.as_slice() {
            [_, lang, id] => match crate::core::lang::parse_lang(lang) {
                Ok(lang) => statements
                    .entry(id.to_string())
                    .or_default()
                    .push((lang, path.clone())),
                Err(_) => ignored.push(name),
            },
            _ => ignored.push(name),
        }
    }
    let service = Service::open(data_dir)?;
    let bar = counter("statements", statements.len() as u64);
    let (mut added, mut failed) = (0usize, Vec::new());
    for (id, files) in &statements {
        match import_statement_files(&service, id, None, files) {
            Ok(report) => added += report.units_added,
            Err(e) => failed.push(format!("{id}: {e}")),
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    println!(
        "{} statements, {added} units added",
        statements.len() - failed.len()
    );
    for name in ignored {
        println!("  ignored {name} (expected ID.LANG.txt|md|html)");
    }
    for f in &failed {
        println!("  failed {f}");
    }
    Ok(i32::from(!failed.is_empty()))
}

pub(super) fn print_json(value: &impl serde::Serialize) -> Result<(), ServiceError> {
    println!(
        "{}",
        serde_json::to_string_pretty(value).map_err(ServiceError::internal)?
    );
    Ok(())
}

fn counter(what: &str, total: u64) -> ProgressBar {
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({per_sec}, {eta} left)")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_message(what.to_string());
    bar
}

fn serve(
    data_dir: &Path,
    bind: &str,
    demo: bool,
    workers: usize,
    api_keys: Vec<String>,
) -> Result<i32, ServiceError> {
    let keys = crate::http::ApiKeys(
        api_keys
            .into_iter()
            .map(|k| k.trim().to_string())
            .filter(|k| !k.is_empty())
            .collect(),
    );
    // Uploads spooled by a previous run that died mid-import were never acknowledged.
    let _ = std::fs::remove_dir_all(data_dir.join("uploads"));
    let service = Service::open(data_dir)?;
    if demo {
        let report = service.load_demo()?;
        eprintln!(
            "demo: {} statements, {} units added, {} already present, {} glossary concepts added",
            report.statements, report.added, report.already_present, report.concepts
        );
    }
    service.start_follower();
    // The index's pages are read in the background: the server answers at once, and its
    // lookups stop waiting for the disk once this is done (`SearchIndex::preload`).
    let store = service.store.clone();
    std::thread::Builder::new()
        .name("index-preload".into())
        .spawn(move || {
            let started = std::time::Instant::now();
            match store.preload_index() {
                Ok(bytes) => log::info!(
                    "search index read into memory: {} MiB in {:.1} s",
                    bytes >> 20,
                    started.elapsed().as_secs_f64()
                ),
                Err(e) => log::warn!("reading the search index into memory failed: {e}"),
            }
        })
        .map_err(ServiceError::internal)?;
    let listener = TcpListener::bind(bind).map_err(|e| ServiceError::InvalidParameter {
        name: "--bind".into(),
        detail: format!("{bind}: {e}"),
    })?;
    let addr = listener.local_addr().map_err(ServiceError::internal)?;
    println!(
        "listening on http://{addr} (data in {})",
        data_dir.display()
    );
    io::stdout().flush().ok();
    let result = actix_web::rt::System::new().block_on(async {
        crate::http::server(service.clone(), listener, workers.max(1), keys)?.await
    });
    service.store.shutdown()?;
    result.map_err(ServiceError::internal)?;
    Ok(0)
}

/// Let the merge into one index segment that follows a big import or rebuild finish before
/// the process exits (it would be abandoned, and lookups would walk every segment).
fn finish_merge(service: &Service) -> Result<(), ServiceError> {
    let spinner = ProgressBar::new_spinner().with_message("merging the search index");
    spinner.enable_steady_tick(std::time::Duration::from_millis(200));
    service.store.shutdown()?;
    spinner.finish_and_clear();
    Ok(())
}

fn import_tmx(data_dir: &Path, file: &Path, json: bool) -> Result<i32, ServiceError> {
    let service = Service::open(data_dir)?;
    let total = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template(
            "importing [{bar:40}] {bytes}/{total_bytes} {msg} ({eta} left)",
        )
        .expect("valid template")
        .progress_chars("=> "),
    );
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let started = std::time::Instant::now();
    let result = service.import_tmx(file, &name, &mut |p| {
        bar.set_position(p.bytes);
        bar.set_message(format!("{} units", p.units));
    });
    bar.finish_and_clear();
    let report = result?;
    let seconds = started.elapsed().as_secs_f64();
    finish_merge(&service)?;
    if json {
        print_json(&report)?;
        return Ok(0);
    }
    println!(
        "{}: {} units read, {} added, {} already present, {} with fewer than two languages",
        report.file, report.units_read, report.added, report.duplicates, report.incomplete
    );
    // Stored and searchable: the merge into one index segment that may follow is not counted.
    println!(
        "  imported in {seconds:.1} s ({:.0} units/s)",
        report.units_read as f64 / seconds.max(1e-9)
    );
    for (lang, n) in &report.languages {
        println!("  {lang}: {n} segments");
    }
    for s in &report.skipped_variants {
        println!(
            "  skipped {} variants tagged {:?} ({})",
            s.count,
            s.tag,
            s.reason.replace('_', " ")
        );
    }
    for w in &report.language_warnings {
        println!(
            "  warning: {} variants labelled {} look like {} (first: {})",
            w.count, w.labelled, w.detected, w.example
        );
    }
    for n in &report.language_notes {
        println!("  note: {} ({}×)", n.note, n.count);
    }
    if !report.indexed {
        println!("  the running server holds the search index and is indexing these units");
    }
    Ok(0)
}

fn export_tmx(
    data_dir: &Path,
    langs: Option<Vec<String>>,
    output: Option<&Path>,
) -> Result<i32, ServiceError> {
    let service = Service::open(data_dir)?;
    let langs = langs
        .map(|l| l.iter().map(|t| language(t)).collect::<Result<Vec<_>, _>>())
        .transpose()?;
    let options = ExportOptions { langs };
    let written = with_output(output, |out| service.export_tmx(out, &options))?;
    eprintln!("exported {written} units");
    Ok(0)
}

/// Run `write` on a buffered `output` file, or on standard output when there is none.
pub(super) fn with_output<T>(
    output: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> Result<T, ServiceError>,
) -> Result<T, ServiceError> {
    match output {
        Some(path) => {
            let file = File::create(path).map_err(|e| ServiceError::InvalidParameter {
                name: "--output".into(),
                detail: format!("{}: {e}", path.display()),
            })?;
            let mut out = BufWriter::new(file);
            let value = write(&mut out)?;
            out.flush().map_err(ServiceError::internal)?;
            Ok(value)
        }
        None => {
            let stdout = io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            let value = write(&mut out)?;
            out.flush().map_err(ServiceError::internal)?;
            Ok(value)
        }
    }
}
