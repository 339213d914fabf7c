//! CSV glossaries: a reader for two layouts and a writer for Werger's own.
//!
//! Layouts, told apart by the header row (column names are case-insensitive):
//!
//! - **Werger's own** ([`CsvLayout::Werger`]): optional `id`, `subject`, `definition` and `note`
//!   columns, one column per language named by its tag (`en`, `ar`, `ckb`, `kmr`, anything
//!   [`parse_tag`] reads such as `ar-IQ`, or a bare `ku`, resolved cell by cell from the
//!   script), and optional `{tag}_status`, `{tag}_pos`, `{tag}_note` and `{tag}_case` columns.
//!   One row holds at most one term per language; rows with the same non-empty `id` are one
//!   concept, so a concept with two Arabic terms takes two rows. Columns in other languages
//!   (`fr`, `de-AT`) are read and their terms reported as skipped.
//! - **Bilingual term lists** as TICO-19 publishes them ([`CsvLayout::Bilingual`]): columns
//!   `sourceLang`, `targetLang`, `sourceString`, `targetString`, optionally `id` or `stringID`,
//!   `pos` and `description`. Each row is one concept with two preferred terms; the languages
//!   are given per row.
//!
//! Both reuse [`ParsedConcept`] and [`SkippedTerm`] from the TBX reader so that an import
//! handles the formats alike. The reader bounds every field and every record; see
//! [`CsvLimits`] for what the Werger layout buffers.

use std::collections::{HashMap, VecDeque};
use std::io::{self, Read, Write};

use unic_langid::LanguageIdentifier;

use super::concept::{Concept, Status, Term};
use super::tbx::{ParsedConcept, SkippedTerm};
use crate::core::lang::{parse_tag, Lang};

/// A problem in a CSV file, at the 1-based line where the record starts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct CsvError {
    pub line: u64,
    pub message: String,
}

impl CsvError {
    fn new(line: u64, message: impl Into<String>) -> Self {
        CsvError {
            line,
            message: message.into(),
        }
    }
}

/// Bounds that keep a hostile or broken file from exhausting memory.
///
/// The bilingual layout streams: one row, one concept. The Werger layout merges rows by `id`,
/// and a row may belong to any earlier concept, so it reads the whole file before returning
/// the first concept: `max_concepts` and `max_buffered_bytes` bound what it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvLimits {
    /// Largest field, in bytes.
    pub max_field_bytes: usize,
    /// Largest record (all its fields and quoting), in bytes.
    pub max_record_bytes: usize,
    /// Most concepts a Werger-layout file may hold.
    pub max_concepts: usize,
    /// Most bytes of records a Werger-layout file may hold.
    pub max_buffered_bytes: usize,
    /// Most terms (kept or skipped) one concept may collect over its rows.
    pub max_terms_per_concept: usize,
}

impl Default for CsvLimits {
    fn default() -> Self {
        CsvLimits {
            max_field_bytes: 64 * 1024,
            max_record_bytes: 1024 * 1024,
            max_concepts: 200_000,
            max_buffered_bytes: 128 * 1024 * 1024,
            max_terms_per_concept: 512,
        }
    }
}

/// Which layout a file was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvLayout {
    /// One column per language; rows merged by `id`.
    Werger,
    /// TICO-19 style `sourceLang,targetLang,sourceString,targetString`.
    Bilingual,
}

/// The CSV reader's own read buffer: records may run this far past the current record.
const CSV_BUFFER: usize = 64 * 1024;

/// Fails a read once the reader has taken more than `max` bytes past the start of the current
/// record, so that a record without an end (an unclosed quote) cannot grow without limit. It
/// also remembers where the line feeds of the current record are, to number lines exactly
/// (the `csv` crate's record positions are off after blank lines and in CRLF files).
struct Guard<R> {
    inner: R,
    taken: u64,
    record_start: u64,
    max: u64,
    /// Offsets of the `\n` bytes read from just before `record_start` on.
    line_feeds: VecDeque<u64>,
}

impl<R> Guard<R> {
    fn is_line_feed(&self, offset: u64) -> bool {
        self.line_feeds.binary_search(&offset).is_ok()
    }

    fn start_record_at(&mut self, offset: u64) {
        self.record_start = offset;
        while self.line_feeds.front().is_some_and(|&lf| lf + 1 < offset) {
            self.line_feeds.pop_front();
        }
    }
}

impl<R: Read> Read for Guard<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.taken.saturating_sub(self.record_start) > self.max {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "a record longer than {} bytes (an unclosed quote?)",
                    self.max - CSV_BUFFER as u64
                ),
            ));
        }
        let n = self.inner.read(out)?;
        for (i, _) in out[..n].iter().enumerate().filter(|(_, &b)| b == b'\n') {
            self.line_feeds.push_back(self.taken + i as u64);
        }
        self.taken += n as u64;
        Ok(n)
    }
}

/// A language column of the Werger layout and its attribute columns.
#[derive(Debug, Clone)]
struct LangColumn {
    /// The header as written (trimmed): the tag given to [`parse_tag`].
    tag: String,
    field: usize,
    status: Option<usize>,
    pos: Option<usize>,
    note: Option<usize>,
    case: Option<usize>,
}

#[derive(Debug, Clone)]
struct WergerColumns {
    id: Option<usize>,
    subject: Option<usize>,
    definition: Option<usize>,
    note: Option<usize>,
    langs: Vec<LangColumn>,
}

#[derive(Debug, Clone)]
struct BilingualColumns {
    id: Option<usize>,
    source_lang: usize,
    target_lang: usize,
    source: usize,
    target: usize,
    pos: Option<usize>,
    description: Option<usize>,
}

enum Columns {
    Werger(WergerColumns),
    Bilingual(BilingualColumns),
}

const ATTRIBUTE_SUFFIXES: [&str; 4] = ["status", "pos", "note", "case"];

/// Short header names that are not language tags although they look like one.
const NOT_LANGUAGES: [&str; 9] = [
    "url", "uri", "pos", "ref", "key", "tag", "src", "num", "row",
];

/// A streaming CSV glossary reader: [`CsvReader::new`] reads the header row, then call
/// [`CsvReader::next_concept`] until it returns `None`.
pub struct CsvReader<R: Read> {
    csv: csv::Reader<Guard<R>>,
    record: csv::StringRecord,
    limits: CsvLimits,
    width: usize,
    columns: Columns,
    header_notes: Vec<String>,
    /// The Werger layout's concepts, once the whole file has been read.
    buffered: Option<std::vec::IntoIter<ParsedConcept>>,
}

type Res<T> = Result<T, CsvError>;

impl<R: Read> CsvReader<R> {
    /// Read the header row (a UTF-8 BOM before it is skipped) and tell the layout.
    pub fn new(input: R, limits: CsvLimits) -> Res<Self> {
        let guard = Guard {
            inner: input,
            taken: 0,
            record_start: 0,
            max: (limits.max_record_bytes + CSV_BUFFER) as u64,
            line_feeds: VecDeque::new(),
        };
        let csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(CSV_BUFFER)
            .from_reader(guard);
        let mut reader = CsvReader {
            csv,
            record: csv::StringRecord::new(),
            limits,
            width: 0,
            columns: Columns::Bilingual(BilingualColumns {
                id: None,
                source_lang: 0,
                target_lang: 0,
                source: 0,
                target: 0,
                pos: None,
                description: None,
            }),
            header_notes: Vec::new(),
            buffered: None,
        };
        let Some(line) = reader.read_record()? else {
            return Err(CsvError::new(1, "the file is empty: no header row"));
        };
        let header: Vec<String> = reader
            .record
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let name = if i == 0 {
                    name.trim_start_matches('\u{feff}')
                } else {
                    name
                };
                name.trim().to_string()
            })
            .collect();
        reader.width = header.len();
        reader.columns = analyse_header(&header, &mut reader.header_notes)
            .map_err(|m| CsvError::new(line, m))?;
        Ok(reader)
    }

    /// Which layout the header row describes.
    pub fn layout(&self) -> CsvLayout {
        match self.columns {
            Columns::Werger(_) => CsvLayout::Werger,
            Columns::Bilingual(_) => CsvLayout::Bilingual,
        }
    }

    /// Remarks about the header, e.g. columns that were ignored.
    pub fn header_notes(&self) -> &[String] {
        &self.header_notes
    }

    /// The next concept, or `None` at the end of the file.
    pub fn next_concept(&mut self) -> Res<Option<ParsedConcept>> {
        if let Columns::Bilingual(columns) = &self.columns {
            let columns = columns.clone();
            while self.read_record()?.is_some() {
                if self.record.iter().all(|f| f.trim().is_empty()) {
                    continue;
                }
                return Ok(Some(self.bilingual_row(&columns)));
            }
            return Ok(None);
        }
        if self.buffered.is_none() {
            let all = self.read_werger_file()?;
            self.buffered = Some(all.into_iter());
        }
        Ok(self.buffered.as_mut().and_then(Iterator::next))
    }

    /// Read one record into `self.record`, checking its width and field sizes; returns its
    /// line, or `None` at the end.
    fn read_record(&mut self) -> Res<Option<u64>> {
        let before = self.csv.position().line();
        let mut bytes = csv::ByteRecord::new();
        match self.csv.read_byte_record(&mut bytes) {
            Ok(false) => return Ok(None),
            Ok(true) => {}
            Err(err) => {
                let line = err.position().map_or(before, |p| p.line());
                return Err(CsvError::new(line, err.to_string()));
            }
        }
        // The reader has consumed the record and its line feed (LF files) or carriage return
        // (CRLF files, whose line feed it takes with the next record), or nothing at the end.
        let end = self.csv.position().clone();
        let inside = bytes.as_slice().iter().filter(|&&b| b == b'\n').count() as u64;
        let guard = self.csv.get_mut();
        let ends_with_lf = end.byte() > 0 && guard.is_line_feed(end.byte() - 1);
        guard.start_record_at(end.byte());
        let line = end
            .line()
            .saturating_sub(inside + u64::from(ends_with_lf))
            .max(1);
        self.record = csv::StringRecord::from_byte_record(bytes).map_err(|err| {
            CsvError::new(
                line,
                format!(
                    "field {} is not valid UTF-8 (save the file as CSV UTF-8)",
                    err.utf8_error().field() + 1
                ),
            )
        })?;
        if self.width != 0 && self.record.len() != self.width {
            return Err(CsvError::new(
                line,
                format!(
                    "{} fields, but the header has {}",
                    self.record.len(),
                    self.width
                ),
            ));
        }
        if let Some(long) = self
            .record
            .iter()
            .position(|f| f.len() > self.limits.max_field_bytes)
        {
            return Err(CsvError::new(
                line,
                format!(
                    "field {} is longer than {} bytes",
                    long + 1,
                    self.limits.max_field_bytes
                ),
            ));
        }
        Ok(Some(line))
    }

    fn field(&self, index: usize) -> &str {
        self.record.get(index).unwrap_or_default().trim()
    }

    fn optional(&self, index: Option<usize>) -> Option<String> {
        index
            .map(|i| self.field(i))
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    }

    fn bilingual_row(&self, columns: &BilingualColumns) -> ParsedConcept {
        let id = self.optional(columns.id).unwrap_or_default();
        let mut parsed = ParsedConcept::new(id);
        parsed.concept.definition = self.optional(columns.description);
        let pos = self.optional(columns.pos);
        for (lang, text) in [
            (columns.source_lang, columns.source),
            (columns.target_lang, columns.target),
        ] {
            let (tag, text) = (self.field(lang), self.field(text));
            if text.is_empty() {
                continue;
            }
            if tag.is_empty() {
                parsed.skipped.push(SkippedTerm {
                    tag: String::new(),
                    text: text.to_string(),
                    reason: "no language given".to_string(),
                });
                continue;
            }
            let mut term = Term::new(Lang::En, text, Status::Preferred);
            term.pos = pos.clone();
            parsed.add_term(tag, term);
        }
        parsed
    }

    /// Read every row of a Werger-layout file, merging rows by id.
    fn read_werger_file(&mut self) -> Res<Vec<ParsedConcept>> {
        let Columns::Werger(columns) = &self.columns else {
            return Ok(Vec::new());
        };
        let columns = columns.clone();
        let mut concepts: Vec<ParsedConcept> = Vec::new();
        let mut by_id: HashMap<String, usize> = HashMap::new();
        let mut buffered = 0usize;
        while let Some(line) = self.read_record()? {
            if self.record.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            buffered += self.record.as_slice().len();
            if buffered > self.limits.max_buffered_bytes {
                return Err(CsvError::new(
                    line,
                    format!(
                        "the file holds more than {} bytes of glossary",
                        self.limits.max_buffered_bytes
                    ),
                ));
            }
            let row = self.werger_row(&columns, line)?;
            let id = row.concept.id.clone();
            let index = match by_id.get(&id).filter(|_| !id.is_empty()) {
                Some(&index) => {
                    merge(&mut concepts[index], row, line);
                    index
                }
                None => {
                    if concepts.len() >= self.limits.max_concepts {
                        return Err(CsvError::new(
                            line,
                            format!("more than {} concepts", self.limits.max_concepts),
                        ));
                    }
                    if !id.is_empty() {
                        by_id.insert(id, concepts.len());
                    }
                    concepts.push(row);
                    concepts.len() - 1
                }
            };
            let parsed = &concepts[index];
            if parsed.concept.terms.len() + parsed.skipped.len() > self.limits.max_terms_per_concept
            {
                return Err(CsvError::new(
                    line,
                    format!(
                        "more than {} terms in one concept",
                        self.limits.max_terms_per_concept
                    ),
                ));
            }
        }
        for parsed in &mut concepts {
            // Rows interleave languages; keep each language's terms in row order.
            parsed.concept.terms.sort_by_key(|t| t.lang);
        }
        Ok(concepts)
    }

    fn werger_row(&self, columns: &WergerColumns, line: u64) -> Res<ParsedConcept> {
        let mut parsed = ParsedConcept::new(self.optional(columns.id).unwrap_or_default());
        parsed.concept.subject = self.optional(columns.subject);
        parsed.concept.definition = self.optional(columns.definition);
        parsed.concept.note = self.optional(columns.note);
        for column in &columns.langs {
            let text = self.field(column.field);
            if text.is_empty() {
                continue;
            }
            let status = match self.optional(column.status) {
                None => Status::Preferred,
                Some(value) => Status::parse(&value).ok_or_else(|| {
                    CsvError::new(
                        line,
                        format!(
                            "{value:?} in column {}_status is not a status: use preferred, \
                             admitted, deprecated or forbidden",
                            column.tag
                        ),
                    )
                })?,
            };
            let case_sensitive = match self.optional(column.case) {
                None => false,
                Some(value) => parse_bool(&value).ok_or_else(|| {
                    CsvError::new(
                        line,
                        format!(
                            "{value:?} in column {}_case is not true or false",
                            column.tag
                        ),
                    )
                })?,
            };
            let term = Term {
                lang: Lang::En,
                text: text.to_string(),
                status,
                pos: self.optional(column.pos),
                case_sensitive,
                note: self.optional(column.note),
            };
            parsed.add_term(&column.tag, term);
        }
        Ok(parsed)
    }
}

/// Add a later row of a concept to the concept: its terms, and any concept field the earlier
/// rows left empty (a conflicting value is noted, the first kept).
fn merge(into: &mut ParsedConcept, row: ParsedConcept, line: u64) {
    let target = &mut into.concept;
    let fields = [
        ("subject", &mut target.subject, row.concept.subject),
        ("definition", &mut target.definition, row.concept.definition),
        ("note", &mut target.note, row.concept.note),
    ];
    for (name, slot, value) in fields {
        match (slot.as_ref(), value) {
            (_, None) => {}
            (None, Some(value)) => *slot = Some(value),
            (Some(first), Some(value)) if *first != value => into.notes.push(format!(
                "line {line}: the {name} differs from an earlier row of this concept; kept the first"
            )),
            _ => {}
        }
    }
    into.concept.terms.extend(row.concept.terms);
    into.skipped.extend(row.skipped);
    for note in row.notes {
        into.add_note(note);
    }
}

fn parse_bool(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "y" | "1" => Some(true),
        "false" | "no" | "n" | "0" => Some(false),
        _ => None,
    }
}

/// Whether a column name is a language tag: one Werger reads, or a well-formed tag of another
/// language (its terms are then reported as skipped).
fn is_language_column(name: &str) -> bool {
    if parse_tag(name).is_ok() {
        return true;
    }
    let lower = name.to_ascii_lowercase();
    if NOT_LANGUAGES.contains(&lower.as_str()) {
        return false;
    }
    match lower.replace('_', "-").parse::<LanguageIdentifier>() {
        Ok(id) => {
            let language = id.language.as_str();
            (2..=3).contains(&language.len()) && language.chars().all(|c| c.is_ascii_lowercase())
        }
        Err(_) => false,
    }
}

/// Tell the layout from the header and map its columns.
fn analyse_header(header: &[String], notes: &mut Vec<String>) -> Result<Columns, String> {
    let lower: Vec<String> = header.iter().map(|h| h.to_lowercase()).collect();
    for (i, name) in lower.iter().enumerate() {
        if !name.is_empty() && lower[..i].contains(name) {
            return Err(format!("the column {:?} appears twice", header[i]));
        }
    }
    let find = |name: &str| lower.iter().position(|h| h == name);
    if let (Some(source_lang), Some(target_lang), Some(source), Some(target)) = (
        find("sourcelang"),
        find("targetlang"),
        find("sourcestring"),
        find("targetstring"),
    ) {
        return Ok(Columns::Bilingual(BilingualColumns {
            id: find("id").or_else(|| find("stringid")),
            source_lang,
            target_lang,
            source,
            target,
            pos: find("pos"),
            description: find("description"),
        }));
    }

    let mut columns = WergerColumns {
        id: find("id"),
        subject: find("subject"),
        definition: find("definition"),
        note: find("note"),
        langs: Vec::new(),
    };
    // Language columns first, so that attribute columns can find theirs.
    let mut attributes = Vec::new();
    for (i, name) in lower.iter().enumerate() {
        if ["id", "subject", "definition", "note"].contains(&name.as_str()) {
            continue;
        }
        let attribute = name.rsplit_once('_').filter(|(prefix, suffix)| {
            ATTRIBUTE_SUFFIXES.contains(suffix) && is_language_column(prefix)
        });
        if let Some((prefix, suffix)) = attribute {
            attributes.push((i, prefix.to_string(), suffix));
        } else if is_language_column(&header[i]) {
            columns.langs.push(LangColumn {
                tag: header[i].clone(),
                field: i,
                status: None,
                pos: None,
                note: None,
                case: None,
            });
        } else {
            notes.push(format!(
                "the column {:?} is not a language tag or a known column: ignored",
                header[i]
            ));
        }
    }
    for (i, prefix, suffix) in attributes {
        let Some(column) = columns
            .langs
            .iter_mut()
            .find(|c| c.tag.to_lowercase() == prefix)
        else {
            return Err(format!(
                "the column {:?} has no {prefix:?} column to go with",
                header[i]
            ));
        };
        let slot = match suffix {
            "status" => &mut column.status,
            "pos" => &mut column.pos,
            "note" => &mut column.note,
            _ => &mut column.case,
        };
        *slot = Some(i);
    }
    if !columns.langs.iter().any(|c| parse_tag(&c.tag).is_ok()) {
        return Err(format!(
            "the header has no language column: name one column per language \
             ({}), or use sourceLang,targetLang,sourceString,targetString",
            Lang::supported_list()
        ));
    }
    Ok(Columns::Werger(columns))
}

/// Writes Werger's CSV layout: [`CsvWriter::new`] writes the header, then
/// [`CsvWriter::write_concept`] per concept, then [`CsvWriter::finish`].
///
/// Columns: `id,subject,definition,note`, then `{lang},{lang}_status` for en, ar, ckb and kmr,
/// then `{lang}_pos,{lang}_note,{lang}_case` for each. A concept with several terms in one
/// language takes several rows with the same id (concept fields on the first only).
pub struct CsvWriter<W: Write> {
    csv: csv::Writer<W>,
}

impl<W: Write> CsvWriter<W> {
    pub fn new(out: W) -> io::Result<Self> {
        let mut csv = csv::WriterBuilder::new().from_writer(out);
        let mut header: Vec<String> = ["id", "subject", "definition", "note"]
            .map(String::from)
            .to_vec();
        for lang in Lang::ALL {
            header.push(lang.code().to_string());
            header.push(format!("{}_status", lang.code()));
        }
        for lang in Lang::ALL {
            for suffix in ["pos", "note", "case"] {
                header.push(format!("{}_{suffix}", lang.code()));
            }
        }
        csv.write_record(&header)?;
        Ok(CsvWriter { csv })
    }

    /// Write one concept as one row, or as several when it has several terms in a language
    /// (which needs an id, or the rows would read back as separate concepts).
    pub fn write_concept(&mut self, concept: &Concept) -> io::Result<()> {
        let by_lang = Lang::ALL.map(|lang| {
            concept
                .terms
                .iter()
                .filter(|t| t.lang == lang)
                .collect::<Vec<_>>()
        });
        let rows = by_lang.iter().map(Vec::len).max().unwrap_or(0).max(1);
        if rows > 1 && concept.id.trim().is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "a concept with several terms in one language needs an id to be written as CSV",
            ));
        }
        let text = |value: &Option<String>| value.clone().unwrap_or_default();
        for row in 0..rows {
            let first = row == 0;
            let mut record = vec![
                concept.id.clone(),
                if first {
                    text(&concept.subject)
                } else {
                    String::new()
                },
                if first {
                    text(&concept.definition)
                } else {
                    String::new()
                },
                if first {
                    text(&concept.note)
                } else {
                    String::new()
                },
            ];
            for terms in &by_lang {
                match terms.get(row) {
                    Some(term) => {
                        record.push(term.text.clone());
                        record.push(term.status.as_str().to_string());
                    }
                    None => record.extend([String::new(), String::new()]),
                }
            }
            for terms in &by_lang {
                match terms.get(row) {
                    Some(term) => {
                        record.push(text(&term.pos));
                        record.push(text(&term.note));
                        record.push(if term.case_sensitive { "true" } else { "" }.to_string());
                    }
                    None => record.extend([String::new(), String::new(), String::new()]),
                }
            }
            self.csv.write_record(&record)?;
        }
        Ok(())
    }

    /// Flush and hand back the output.
    pub fn finish(self) -> io::Result<W> {
        self.csv
            .into_inner()
            .map_err(|err| io::Error::new(err.error().kind(), err.error().to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(text: &str) -> Res<Vec<ParsedConcept>> {
        read_bytes(text.as_bytes(), CsvLimits::default())
    }

    fn read_bytes(bytes: &[u8], limits: CsvLimits) -> Res<Vec<ParsedConcept>> {
        let mut reader = CsvReader::new(bytes, limits)?;
        let mut out = Vec::new();
        while let Some(parsed) = reader.next_concept()? {
            out.push(parsed);
        }
        Ok(out)
    }

    fn texts(parsed: &ParsedConcept, lang: Lang) -> Vec<&str> {
        parsed
            .concept
            .terms
            .iter()
            .filter(|t| t.lang == lang)
            .map(|t| t.text.as_str())
            .collect()
    }

    #[test]
    fn reads_the_werger_layout_and_merges_rows_by_id() {
        let file = "ID,Subject,Definition,Note,en,en_status,AR,ar_status,ar_note,ckb,kmr,kmr_case,fr\n\
            isis,security,,,ISIS,preferred,داعش,,,داعش,DAIŞ,true,EI\n\
            krg,government,\"The government of the Kurdistan Region\",,KRG,admitted,,,,حکومەتی هەرێمی کوردستان,Herêma Kurdistanê,,\n\
            isis,,,\"He said \"\"no\"\"\",Islamic State,deprecated,الدولة الإسلامية,forbidden,\"Do not use, ever\",,,,\n\
            ,,,,Coalition,,,,,,,,Coalition\n";
        let concepts = read_all(file).unwrap();
        assert_eq!(concepts.len(), 3);
        let isis = &concepts[0];
        assert_eq!(isis.concept.id, "isis");
        assert_eq!(isis.concept.subject.as_deref(), Some("security"));
        assert_eq!(isis.concept.note.as_deref(), Some("He said \"no\""));
        assert_eq!(texts(isis, Lang::En), ["ISIS", "Islamic State"]);
        assert_eq!(texts(isis, Lang::Ar), ["داعش", "الدولة الإسلامية"]);
        let forbidden = &isis.concept.terms[3];
        assert_eq!(forbidden.status, Status::Forbidden);
        assert_eq!(forbidden.note.as_deref(), Some("Do not use, ever"));
        assert_eq!(isis.concept.terms[1].status, Status::Deprecated);
        assert!(
            isis.concept
                .terms
                .iter()
                .find(|t| t.text == "DAIŞ")
                .unwrap()
                .case_sensitive
        );
        assert_eq!(isis.skipped.len(), 1);
        assert_eq!(
            (isis.skipped[0].tag.as_str(), isis.skipped[0].text.as_str()),
            ("fr", "EI")
        );
        let krg = &concepts[1];
        assert_eq!(
            krg.concept.definition.as_deref(),
            Some("The government of the Kurdistan Region")
        );
        assert_eq!(texts(krg, Lang::Ckb), ["حکومەتی هەرێمی کوردستان"]);
        assert_eq!(texts(krg, Lang::Kmr), ["Herêma Kurdistanê"]);
        let no_id = &concepts[2];
        assert_eq!(no_id.concept.id, "");
        assert_eq!(texts(no_id, Lang::En), ["Coalition"]);
    }

    #[test]
    fn a_bare_ku_column_is_resolved_per_cell() {
        let file =
            "id,en,ku\n1,Peshmerga,پێشمەرگە\n2,Kurdistan Region,Herêma Kurdistanê\n3,2021,2021\n";
        let concepts = read_all(file).unwrap();
        assert_eq!(texts(&concepts[0], Lang::Ckb), ["پێشمەرگە"]);
        assert!(concepts[0].notes.iter().any(|n| n.contains("read as ckb")));
        assert_eq!(texts(&concepts[1], Lang::Kmr), ["Herêma Kurdistanê"]);
        assert_eq!(concepts[2].skipped[0].tag, "ku", "digits cannot tell");
    }

    #[test]
    fn reads_bilingual_lists_with_a_bom() {
        let file = "\u{feff}stringID,sourceLang,targetLang,pos,description,sourceString,targetString\n\
            1,en,ar,noun,\"In the context of COVID-19: \"\"active\"\" cases.\",active cases,الحالات المصابة حاليًا\n\
            xx_2,ar,en,,,جائحة,pandemic\n\
            3,en,ku,,,14 days quarantine,qarantînaya 14 rojan\n";
        let mut reader = CsvReader::new(file.as_bytes(), CsvLimits::default()).unwrap();
        assert_eq!(reader.layout(), CsvLayout::Bilingual);
        let first = reader.next_concept().unwrap().unwrap();
        assert_eq!(first.concept.id, "1");
        assert_eq!(
            first.concept.definition.as_deref(),
            Some("In the context of COVID-19: \"active\" cases.")
        );
        assert_eq!(first.concept.terms.len(), 2);
        assert!(first
            .concept
            .terms
            .iter()
            .all(|t| t.pos.as_deref() == Some("noun")));
        assert!(first
            .concept
            .terms
            .iter()
            .all(|t| t.status == Status::Preferred));
        let second = reader.next_concept().unwrap().unwrap();
        assert_eq!(texts(&second, Lang::Ar), ["جائحة"]);
        assert_eq!(texts(&second, Lang::En), ["pandemic"]);
        let third = reader.next_concept().unwrap().unwrap();
        assert_eq!(texts(&third, Lang::Kmr), ["qarantînaya 14 rojan"]);
        assert!(third.notes.iter().any(|n| n.contains("read as kmr")));
        assert_eq!(reader.next_concept().unwrap(), None);
    }

    #[test]
    fn an_unknown_tag_skips_one_term_and_keeps_the_other() {
        let file = "id,sourceLang,targetLang,sourceString,targetString\n\
            1,en,cb_IQ,acute respiratory disease,nexweşiya giran a nefesê\n\
            2,en,ar_AR,AIDS,الإيدز\n";
        let concepts = read_all(file).unwrap();
        assert_eq!(texts(&concepts[0], Lang::En), ["acute respiratory disease"]);
        assert_eq!(concepts[0].skipped.len(), 1);
        assert_eq!(concepts[0].skipped[0].tag, "cb_IQ");
        assert_eq!(concepts[0].skipped[0].text, "nexweşiya giran a nefesê");
        assert!(
            concepts[0].skipped[0]
                .reason
                .ends_with("the text looks like kmr"),
            "{}",
            concepts[0].skipped[0].reason
        );
        assert_eq!(texts(&concepts[1], Lang::Ar), ["الإيدز"]);
    }

    #[test]
    fn a_mislabelled_term_is_noted() {
        let file = "id,sourceLang,targetLang,sourceString,targetString\n\
            1,en,ar,Kurdistan Regional Government,حکومەتی هەرێمی کوردستان\n";
        let concepts = read_all(file).unwrap();
        assert_eq!(texts(&concepts[0], Lang::Ar), ["حکومەتی هەرێمی کوردستان"]);
        assert!(
            concepts[0]
                .notes
                .iter()
                .any(|n| n.contains("looks like ckb")),
            "{:?}",
            concepts[0].notes
        );
    }

    #[test]
    fn bad_rows_are_errors_at_their_line() {
        let file = "id,en,en_status\n1,ISIS,preferred\n2,\"Islamic\nState\",sometimes\n";
        let err = read_all(file).unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.message.contains("sometimes"), "{err}");

        let file = "id,en,ar\n1,ISIS,داعش\n\n2,Daesh\n";
        let err = read_all(file).unwrap_err();
        assert_eq!(err.line, 4);
        assert!(err.message.contains("2 fields"), "{err}");

        let crlf = "id,en\r\n1,ISIS\r\n\r\n2,\"Islamic\r\nState\"\r\n3,Daesh,x\r\n";
        let err = read_all(crlf).unwrap_err();
        assert_eq!(err.line, 6, "{err}");

        let mut bytes = b"id,en\n1,ISIS\n2,Pe\xFFshmerga\n".to_vec();
        let err = read_bytes(&bytes, CsvLimits::default()).unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.message.contains("UTF-8"), "{err}");

        bytes = b"id,en,en_case\n1,ISIS,maybe\n".to_vec();
        let err = read_bytes(&bytes, CsvLimits::default()).unwrap_err();
        assert_eq!(err.line, 2);

        let err = read_all("id,subject,comment\n1,x,y\n").unwrap_err();
        assert_eq!(err.line, 1);
        assert!(err.message.contains("no language column"), "{err}");

        let err = read_all("id,en,ar_status\n").unwrap_err();
        assert!(err.message.contains("ar_status"), "{err}");

        let err = read_all("id,en,EN\n").unwrap_err();
        assert!(err.message.contains("twice"), "{err}");

        assert_eq!(read_all("").unwrap_err().line, 1);
    }

    #[test]
    fn limits_are_enforced() {
        let limits = CsvLimits {
            max_field_bytes: 10,
            ..CsvLimits::default()
        };
        let err = read_bytes(b"id,en\n1,ISIS\n2,Islamic State of Iraq\n", limits).unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.message.contains("longer than 10 bytes"), "{err}");

        let limits = CsvLimits {
            max_record_bytes: 1000,
            ..CsvLimits::default()
        };
        let mut unclosed = b"id,en\n1,\"".to_vec();
        unclosed.extend(std::iter::repeat_n(b'a', 1_000_000));
        let err = read_bytes(&unclosed, limits).unwrap_err();
        assert!(err.message.contains("longer than 1000 bytes"), "{err}");

        let limits = CsvLimits {
            max_concepts: 2,
            ..CsvLimits::default()
        };
        let err = read_bytes(b"id,en\n1,a\n2,b\n1,c\n3,d\n", limits).unwrap_err();
        assert_eq!(err.line, 5);

        let limits = CsvLimits {
            max_terms_per_concept: 2,
            ..CsvLimits::default()
        };
        let err = read_bytes(b"id,en\n1,a\n1,b\n1,c\n", limits).unwrap_err();
        assert_eq!(err.line, 4);
    }

    #[test]
    fn ignored_columns_are_reported() {
        let reader = CsvReader::new(&b"id,en,ar,comment,url\n"[..], CsvLimits::default()).unwrap();
        assert_eq!(reader.layout(), CsvLayout::Werger);
        assert_eq!(reader.header_notes().len(), 2);
    }

    fn sample_concepts() -> Vec<Concept> {
        let mut en = Term::new(Lang::En, "ISIS", Status::Preferred);
        en.pos = Some("proper noun".into());
        en.case_sensitive = true;
        let mut en2 = Term::new(Lang::En, "Islamic State", Status::Deprecated);
        en2.note = Some("He said \"no\", twice".into());
        let isis = Concept {
            id: "isis".into(),
            subject: Some("security".into()),
            definition: Some("تنظيم إرهابي".into()),
            note: Some("first line\nsecond line".into()),
            terms: vec![
                en,
                en2,
                Term::new(Lang::Ar, "داعش", Status::Preferred),
                Term::new(Lang::Ar, "الدولة الإسلامية", Status::Forbidden),
                Term::new(Lang::Ckb, "داعش", Status::Admitted),
                Term::new(Lang::Kmr, "DAIŞ", Status::Preferred),
            ],
        };
        let peshmerga = Concept {
            id: "peshmerga".into(),
            terms: vec![
                Term::new(Lang::Ckb, "پێشمەرگە", Status::Preferred),
                Term::new(Lang::Kmr, "Pêşmerge", Status::Admitted),
            ],
            ..Concept::default()
        };
        let single = Concept {
            terms: vec![Term::new(Lang::En, "Coalition", Status::Preferred)],
            ..Concept::default()
        };
        vec![isis, peshmerga, single]
    }

    #[test]
    fn writer_output_reads_back_identically() {
        let concepts = sample_concepts();
        let mut writer = CsvWriter::new(Vec::new()).unwrap();
        for c in &concepts {
            writer.write_concept(c).unwrap();
        }
        let bytes = writer.finish().unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.starts_with(
            "id,subject,definition,note,en,en_status,ar,ar_status,ckb,ckb_status,kmr,kmr_status,en_pos,en_note,en_case,"
        ));
        let read = read_bytes(&bytes, CsvLimits::default()).unwrap();
        let read: Vec<Concept> = read.into_iter().map(|p| p.concept).collect();
        assert_eq!(read, concepts);

        let mut writer = CsvWriter::new(Vec::new()).unwrap();
        let mut no_id = concepts[0].clone();
        no_id.id.clear();
        assert!(writer.write_concept(&no_id).is_err());
    }
}
