//! Glossary commands: `terms`, `qa`, `import tbx|csv`, `export tbx|csv`.

use std::path::Path;

use indicatif::{ProgressBar, ProgressStyle};

use super::commands::{print_json, with_output};
use crate::service::{GlossaryFormat, LookupRequest, QaRequest, Service, ServiceError};

/// Who the glossary history records for CLI changes: the login name.
fn who() -> String {
    std::env::var("USER")
        .ok()
        .filter(|u| !u.trim().is_empty())
        .map(|u| format!("cli:{u}"))
        .unwrap_or_else(|| "cli".into())
}

pub fn terms(
    data_dir: &Path,
    lang: String,
    to: Vec<String>,
    json: bool,
    text: String,
) -> Result<i32, ServiceError> {
    let service = Service::open(data_dir)?;
    let response = service.lookup(&LookupRequest {
        lang,
        text,
        targets: (!to.is_empty()).then_some(to),
    })?;
    if json {
        print_json(&response)?;
        return Ok(0);
    }
    if response.terms.is_empty() {
        println!("(no glossary term)");
    }
    for t in &response.terms {
        println!("{}–{}  {}  [{}]", t.start, t.end, t.text, t.concept_id);
        for target in &t.targets {
            println!(
                "    {}: {} ({})",
                target.lang,
                target.term,
                target.status.as_str()
            );
        }
    }
    Ok(0)
}

pub fn qa(
    data_dir: &Path,
    from: String,
    to: String,
    json: bool,
    source: String,
    target: String,
) -> Result<i32, ServiceError> {
    let service = Service::open(data_dir)?;
    let response = service.qa(&QaRequest {
        source_lang: from,
        target_lang: to,
        source,
        target,
    })?;
    if json {
        print_json(&response)?;
    } else {
        if response.problems.is_empty() {
            println!("no terminology problem");
        }
        for p in &response.problems {
            println!(
                "{:?} in {:?} at {}–{}: {} [{}] → {}",
                p.kind,
                p.side,
                p.start,
                p.end,
                p.text,
                p.concept_id,
                p.suggestions.join(" / ")
            );
        }
    }
    // Like a linter: problems found is exit status 1.
    Ok(i32::from(!response.problems.is_empty()))
}

pub fn import(
    data_dir: &Path,
    file: &Path,
    format: GlossaryFormat,
    json: bool,
) -> Result<i32, ServiceError> {
    let service = Service::open(data_dir)?;
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} importing {msg} ({per_sec})")
            .expect("valid template"),
    );
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let result = service.import_glossary(file, &name, format, &who(), &mut |n| {
        bar.set_message(format!("{n} concepts"));
        bar.tick();
    });
    bar.finish_and_clear();
    let report = result?;
    if json {
        print_json(&report)?;
        return Ok(0);
    }
    println!(
        "{}: {} concepts read, {} created, {} updated, {} unchanged, {} without a term in en/ar/ckb/kmr",
        report.file,
        report.concepts_read,
        report.created,
        report.updated,
        report.unchanged,
        report.without_terms
    );
    for s in &report.skipped_terms {
        println!(
            "  skipped {} terms tagged {:?} ({})",
            s.count, s.tag, s.reason
        );
    }
    for n in &report.notes {
        println!("  note: {} ({}×)", n.note, n.count);
    }
    Ok(0)
}

pub fn export(
    data_dir: &Path,
    format: GlossaryFormat,
    output: Option<&Path>,
) -> Result<i32, ServiceError> {
    let service = Service::open(data_dir)?;
    let written = with_output(output, |out| service.export_glossary(out, format))?;
    eprintln!("exported {written} concepts");
    Ok(0)
}
