//! TBX (TermBase eXchange, ISO 30042): a streaming reader and a writer.
//!
//! The reader takes both generations of the format:
//! - TBX v2 (root `<martif>`): `termEntry` / `langSet` / `tig` or `ntig`+`termGrp` / `term`, with
//!   `termNote type="…"`, `descrip type="…"` and `note`;
//! - TBX v3 (root `<tbx>`), TBX-Basic in both styles: DCA (`conceptEntry` / `langSec` /
//!   `termSec`, data categories as `termNote type="administrativeStatus"`) and DCT (data
//!   categories as namespaced elements such as `<min:administrativeStatus>`, matched by their
//!   local name).
//!
//! It returns one concept entry at a time, so a termbase of any size passes through in bounded
//! memory. Like the TMX reader it never expands entities other than the five predefined ones and
//! character references: a DOCTYPE that declares entities is rejected, an unknown entity is an
//! error. Everything Werger does not model (transactions, cross-references, admin data, unknown
//! elements) is skipped. Terms in languages Werger does not handle are reported, not kept.
//!
//! The writer produces TBX v3 TBX-Basic in the DCA style.

use std::io::{self, BufRead, BufReader, Chain, Cursor, Read, Write};

use encoding_rs::Encoding;
use encoding_rs_io::{DecodeReaderBytes, DecodeReaderBytesBuilder};
use quick_xml::escape::escape;
use quick_xml::events::{BytesRef, BytesStart, Event};

use super::concept::{Concept, Status, Term};
use crate::core::detect::{detect, mislabelled};
use crate::core::lang::{parse_tag, Lang};
use crate::core::xml_guard::{self, RunGuard};

/// A problem in a TBX file, at a byte offset of the decoded (UTF-8) text: turn it into a line
/// and column with [`crate::core::tmx::line_column`] over a fresh [`open`] of the same bytes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct TbxError {
    pub offset: u64,
    pub message: String,
}

impl TbxError {
    fn new(offset: u64, message: impl Into<String>) -> Self {
        TbxError {
            offset,
            message: message.into(),
        }
    }
}

/// Bounds that keep a hostile or broken file from exhausting memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest stretch of bytes between two `<`: bounds every text node and every tag.
    pub max_run_bytes: usize,
    /// Largest `<term>` text, in bytes.
    pub max_term_bytes: usize,
    /// Largest note, definition, subject field or term note, in bytes (all notes of one level
    /// together).
    pub max_text_bytes: usize,
    /// Most terms (kept or skipped) in one concept entry.
    pub max_terms_per_concept: usize,
    /// Deepest element nesting.
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_run_bytes: 1024 * 1024,
            max_term_bytes: 16 * 1024,
            max_text_bytes: 256 * 1024,
            max_terms_per_concept: 512,
            max_depth: 64,
        }
    }
}

/// Most attributes accepted on one element.
const MAX_ATTRIBUTES: usize = 256;

/// Which TBX generation a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TbxVersion {
    /// ISO 30042:2008, root `<martif>`.
    V2,
    /// ISO 30042:2019, root `<tbx>`.
    V3,
}

/// A term the reader did not keep, and why (collected for the import report).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedTerm {
    /// The language tag as written in the file.
    pub tag: String,
    pub text: String,
    pub reason: String,
}

/// One concept entry as read: the concept with the terms kept, the terms skipped, and remarks
/// on how it was read (a bare `ku` resolved by script, a term whose script disagrees with its
/// language, …). A concept whose terms were all skipped has no terms; one without an id in the
/// file has an empty id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedConcept {
    pub concept: Concept,
    pub skipped: Vec<SkippedTerm>,
    pub notes: Vec<String>,
}

impl ParsedConcept {
    pub(crate) fn new(id: String) -> Self {
        ParsedConcept {
            concept: Concept {
                id,
                ..Concept::default()
            },
            skipped: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Add a remark unless it is already there (every term of an `ar-IQ` section would
    /// otherwise repeat "\"ar-IQ\" read as ar").
    pub(crate) fn add_note(&mut self, note: String) {
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }

    /// Resolve `tag` for `text` and add the term, or record it as skipped. Also notes how the
    /// tag was read and whether the text looks like another language.
    pub(crate) fn add_term(&mut self, tag: &str, mut term: Term) {
        let resolved = parse_tag(tag).and_then(|parsed| parsed.resolve(Some(&term.text)));
        match resolved {
            Ok(resolution) => {
                if let Some(note) = resolution.note {
                    self.add_note(note);
                }
                term.lang = resolution.lang;
                if let Some(other) = mislabelled(term.lang, &term.text) {
                    self.add_note(format!(
                        "the {} term {:?} looks like {}",
                        term.lang.code(),
                        term.text,
                        other.code()
                    ));
                }
                self.concept.terms.push(term);
            }
            Err(err) => {
                let mut reason = err.to_string();
                // Say what the text looks like, so that a mislabelled column can be relabelled.
                if let Some(d) = detect(&term.text).filter(|d| d.confidence >= 0.8) {
                    reason.push_str(&format!("; the text looks like {}", d.lang.code()));
                }
                self.skipped.push(SkippedTerm {
                    tag: tag.to_string(),
                    text: term.text,
                    reason,
                });
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Decoding

/// How many bytes [`open`] looks at to find a byte-order mark or an XML declaration.
const SNIFF_BYTES: u64 = 1024;

/// Wrap raw file bytes so that they come out as UTF-8 without a BOM, whatever the file used:
/// UTF-8 with or without a BOM, UTF-16 with a BOM (or, without one, recognised by its `<?`), or
/// an 8-bit or multi-byte encoding named in the XML declaration (`encoding="windows-1254"`).
/// Invalid UTF-8 is passed through for the XML reader to report; bytes that are invalid in a
/// declared legacy encoding become U+FFFD. An unknown declared encoding makes the first read
/// fail. Use the same function again to locate an error offset, so that the offsets agree.
pub fn open<R: Read>(mut raw: R) -> impl BufRead {
    let mut head = Vec::with_capacity(SNIFF_BYTES as usize);
    let inner = match (&mut raw).take(SNIFF_BYTES).read_to_end(&mut head) {
        Err(err) => Err((err.kind(), err.to_string())),
        Ok(_) => match sniff_encoding(&head) {
            Err(message) => Err((io::ErrorKind::InvalidData, message)),
            Ok(encoding) => {
                let mut builder = DecodeReaderBytesBuilder::new();
                builder
                    .bom_sniffing(true)
                    .strip_bom(true)
                    .utf8_passthru(true)
                    .encoding(encoding);
                Ok(BufReader::with_capacity(
                    64 * 1024,
                    builder.build(Cursor::new(head).chain(raw)),
                ))
            }
        },
    };
    Opened { inner }
}

type DecodedStream<R> = BufReader<DecodeReaderBytes<Chain<Cursor<Vec<u8>>, R>, Vec<u8>>>;

/// The reader [`open`] returns: the decoded stream, or the reason there is none.
struct Opened<R> {
    inner: Result<DecodedStream<R>, (io::ErrorKind, String)>,
}

impl<R: Read> Read for Opened<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        match &mut self.inner {
            Ok(stream) => stream.read(out),
            Err((kind, message)) => Err(io::Error::new(*kind, message.clone())),
        }
    }
}

impl<R: Read> BufRead for Opened<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        match &mut self.inner {
            Ok(stream) => stream.fill_buf(),
            Err((kind, message)) => Err(io::Error::new(*kind, message.clone())),
        }
    }

    fn consume(&mut self, amt: usize) {
        if let Ok(stream) = &mut self.inner {
            stream.consume(amt);
        }
    }
}

/// The encoding to decode with when there is no byte-order mark (`None`: UTF-8, or a BOM that
/// the decoder finds itself).
fn sniff_encoding(head: &[u8]) -> Result<Option<&'static Encoding>, String> {
    if head.starts_with(b"\xEF\xBB\xBF")
        || head.starts_with(b"\xFF\xFE")
        || head.starts_with(b"\xFE\xFF")
    {
        return Ok(None);
    }
    // UTF-16 without a BOM: the document must start with "<?" (XML 1.0, appendix F).
    if head.starts_with(b"<\0?\0") {
        return Ok(Some(encoding_rs::UTF_16LE));
    }
    if head.starts_with(b"\0<\0?") {
        return Ok(Some(encoding_rs::UTF_16BE));
    }
    let Some(label) = declared_encoding(head) else {
        return Ok(None);
    };
    let Some(encoding) = Encoding::for_label(label.as_bytes()) else {
        return Err(format!(
            "the XML declaration names the encoding {label:?}, which Werger does not know"
        ));
    };
    if encoding == encoding_rs::REPLACEMENT {
        return Err(format!(
            "the encoding {label:?} named in the XML declaration is not supported"
        ));
    }
    // A declaration that says UTF-16 in a file whose declaration we could read as ASCII is
    // stale (the file was converted without updating it): the bytes are what count.
    if encoding == encoding_rs::UTF_8
        || encoding == encoding_rs::UTF_16LE
        || encoding == encoding_rs::UTF_16BE
    {
        return Ok(None);
    }
    Ok(Some(encoding))
}

/// The `encoding="…"` value of an XML declaration at the start of `head`, if there is one.
fn declared_encoding(head: &[u8]) -> Option<String> {
    let decl = head.strip_prefix(b"<?xml")?;
    let end = decl.windows(2).position(|w| w == b"?>")?;
    let decl = &decl[..end];
    let at = decl.windows(8).position(|w| w == b"encoding")?;
    let rest = &decl[at + 8..];
    let rest = &rest[rest.iter().position(|b| !b.is_ascii_whitespace())?..];
    let rest = rest.strip_prefix(b"=")?;
    let rest = &rest[rest.iter().position(|b| !b.is_ascii_whitespace())?..];
    let quote = *rest.first()?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let value = &rest[1..];
    let close = value.iter().position(|&b| b == quote)?;
    std::str::from_utf8(&value[..close])
        .ok()
        .map(|s| s.trim().to_string())
}

// ---------------------------------------------------------------------------------------------
// Reading

/// What an open element is to the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Frame {
    Root,
    /// `termEntry` / `conceptEntry`.
    Entry,
    /// `langSet` / `langSec`.
    LangSet,
    /// `tig`, `ntig` or `termSec`: one term with its data.
    TermGroup,
    /// `termGrp` inside `ntig`.
    TermGrp,
    /// An element whose text is being collected.
    Capture,
    /// Anything else: skipped, with its content.
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Term,
    Status,
    Pos,
    CaseSensitive,
    Subject,
    Definition,
    ConceptNote,
    TermNote,
}

struct Capture {
    field: Field,
    text: String,
    max: usize,
}

/// The concept entry being read.
struct Entry {
    parsed: ParsedConcept,
    concept_notes: Vec<String>,
    terms_seen: usize,
}

/// The language section being read.
struct LangScope {
    tag: String,
    /// Whether the tag names one of Werger's languages (or a bare `ku`): data in other
    /// languages' sections (definitions, notes) is not kept.
    supported: bool,
}

#[derive(Default)]
struct PendingTerm {
    text: Option<String>,
    status: Option<String>,
    pos: Option<String>,
    case_sensitive: Option<String>,
    notes: Vec<String>,
}

type Res<T> = Result<T, TbxError>;

/// A streaming TBX reader. [`TbxReader::new`] reads up to the root element; then call
/// [`TbxReader::next_concept`] until it returns `None`.
pub struct TbxReader<R: BufRead> {
    xml: quick_xml::Reader<RunGuard<R>>,
    buf: Vec<u8>,
    limits: Limits,
    version: TbxVersion,
    /// Open elements, with their names for error messages.
    stack: Vec<(Frame, String)>,
    entry: Option<Entry>,
    lang: Option<LangScope>,
    term: Option<PendingTerm>,
    capture: Option<Capture>,
    /// Where the event being handled starts.
    event_start: u64,
    done: bool,
}

impl<R: BufRead> TbxReader<R> {
    /// Start reading a decoded (UTF-8) stream, e.g. from [`open`]; fails unless the root element
    /// is `<martif>` or `<tbx>`.
    pub fn new(input: R, limits: Limits) -> Res<Self> {
        let xml = xml_guard::reader(input, limits.max_run_bytes);
        let mut reader = TbxReader {
            xml,
            buf: Vec::with_capacity(8 * 1024),
            limits,
            version: TbxVersion::V2,
            stack: Vec::new(),
            entry: None,
            lang: None,
            term: None,
            capture: None,
            event_start: 0,
            done: false,
        };
        reader.read_prologue()?;
        Ok(reader)
    }

    /// TBX v2 (`martif`) or v3 (`tbx`).
    pub fn version(&self) -> TbxVersion {
        self.version
    }

    /// Bytes of decoded input consumed so far (for progress reporting).
    pub fn position(&self) -> u64 {
        self.xml.buffer_position()
    }

    fn error(&self, message: impl Into<String>) -> TbxError {
        TbxError::new(self.event_start, message)
    }

    fn next_event(&mut self) -> Res<Event<'static>> {
        self.buf.clear();
        self.event_start = self.xml.buffer_position();
        match self.xml.read_event_into(&mut self.buf) {
            Ok(event) => Ok(event.into_owned()),
            Err(err) => Err(TbxError::new(
                self.xml.error_position(),
                format!("malformed XML: {err}"),
            )),
        }
    }

    fn read_prologue(&mut self) -> Res<()> {
        loop {
            match self.next_event()? {
                Event::Start(root) => {
                    self.check_root(&root)?;
                    self.stack.push((Frame::Root, local(&root)));
                    return Ok(());
                }
                Event::Empty(root) => {
                    self.check_root(&root)?;
                    return Ok(());
                }
                Event::DocType(doctype) => self.check_doctype(&doctype.xml10_content())?,
                Event::Text(t) if t.xml10_content().trim().is_empty() => {}
                Event::Decl(_) | Event::Comment(_) | Event::PI(_) => {}
                Event::Eof => return Err(self.error("the file is empty: no <martif> or <tbx>")),
                _ => return Err(self.error("text before the root element")),
            }
        }
    }

    fn check_root(&mut self, root: &BytesStart) -> Res<()> {
        self.attrs(root)?;
        self.version = match local(root).as_str() {
            "martif" => TbxVersion::V2,
            "tbx" => TbxVersion::V3,
            other => {
                return Err(self.error(format!(
                    "the root element is <{other}>, not <martif> or <tbx>: this is not a TBX file"
                )))
            }
        };
        Ok(())
    }

    /// Reject a DOCTYPE that declares entities: Werger never expands them, and a file that
    /// relies on them (or tries an expansion attack) cannot be read faithfully.
    fn check_doctype(&self, doctype: &str) -> Res<()> {
        if doctype.to_ascii_lowercase().contains("<!entity") {
            return Err(
                self.error("the DOCTYPE declares entities; Werger does not expand DTD entities")
            );
        }
        Ok(())
    }

    /// The next concept entry, or `None` at the end of the file.
    pub fn next_concept(&mut self) -> Res<Option<ParsedConcept>> {
        if self.done {
            return Ok(None);
        }
        loop {
            let finished = match self.next_event()? {
                Event::Start(e) => self.start(&e, false)?,
                Event::Empty(e) => self.start(&e, true)?,
                Event::End(_) => self.end()?,
                Event::Text(t) => {
                    self.text(&t.xml10_content())?;
                    None
                }
                Event::CData(t) => {
                    self.text(&t.xml10_content())?;
                    None
                }
                Event::GeneralRef(r) => {
                    let c = self.resolve_reference(&r)?;
                    self.text(c.encode_utf8(&mut [0u8; 4]))?;
                    None
                }
                Event::DocType(doctype) => {
                    self.check_doctype(&doctype.xml10_content())?;
                    None
                }
                Event::Decl(_) | Event::Comment(_) | Event::PI(_) => None,
                Event::Eof => {
                    if let Some((_, name)) = self.stack.last() {
                        return Err(self.error(format!("the file ends inside <{name}>")));
                    }
                    self.done = true;
                    return Ok(None);
                }
            };
            if finished.is_some() {
                return Ok(finished);
            }
        }
    }

    fn start(&mut self, e: &BytesStart, empty: bool) -> Res<Option<ParsedConcept>> {
        let name = local(e);
        if self.stack.is_empty() {
            return Err(self.error(format!("<{name}> after the end of the root element")));
        }
        if self.stack.len() >= self.limits.max_depth {
            return Err(self.error(format!(
                "elements nested more than {} deep",
                self.limits.max_depth
            )));
        }
        let attrs = self.attrs(e)?;
        let frame = if self.capture.is_some() {
            // Markup inside a term or note (e.g. <hi>): its text is part of the capture.
            Frame::Other
        } else {
            match name.as_str() {
                "termentry" | "conceptentry" => {
                    if self.entry.is_some() {
                        return Err(self.error(format!("<{name}> inside another concept entry")));
                    }
                    let id = attr(&attrs, "id").unwrap_or_default().trim().to_string();
                    self.entry = Some(Entry {
                        parsed: ParsedConcept::new(id),
                        concept_notes: Vec::new(),
                        terms_seen: 0,
                    });
                    Frame::Entry
                }
                "langset" | "langsec" if self.entry.is_some() && self.lang.is_none() => {
                    let Some(tag) = attr(&attrs, "xml:lang").or_else(|| attr(&attrs, "lang"))
                    else {
                        return Err(self.error(format!("a <{name}> without xml:lang")));
                    };
                    let tag = tag.trim().to_string();
                    self.lang = Some(LangScope {
                        supported: parse_tag(&tag).is_ok(),
                        tag,
                    });
                    Frame::LangSet
                }
                "tig" | "ntig" | "termsec" if self.lang.is_some() && self.term.is_none() => {
                    self.term = Some(PendingTerm::default());
                    Frame::TermGroup
                }
                "termgrp" if self.term.is_some() => Frame::TermGrp,
                _ => match self.field_for(&name, &attrs) {
                    Some(field) => {
                        let max = if field == Field::Term {
                            self.limits.max_term_bytes
                        } else {
                            self.limits.max_text_bytes
                        };
                        self.capture = Some(Capture {
                            field,
                            text: String::new(),
                            max,
                        });
                        Frame::Capture
                    }
                    None => Frame::Other,
                },
            }
        };
        self.stack.push((frame, name));
        if empty {
            self.end()
        } else {
            Ok(None)
        }
    }

    /// Which data category an element holds, if Werger keeps it here. DCA style puts the
    /// category in `type` (`<termNote type="partOfSpeech">`), DCT style in the element's name
    /// (`<min:partOfSpeech>`, local name `partOfSpeech`).
    fn field_for(&self, name: &str, attrs: &[(String, String)]) -> Option<Field> {
        let category = match name {
            "termnote" | "descrip" => attr(attrs, "type")?.trim().to_ascii_lowercase(),
            other => other.to_string(),
        };
        let parent = self.stack.last().map(|(frame, _)| *frame);
        let in_term = self.term.is_some();
        let in_entry = self.entry.is_some();
        match (name, category.as_str()) {
            ("term", _) => (in_term && self.term.as_ref()?.text.is_none()).then_some(Field::Term),
            (_, "administrativestatus") if in_term => Some(Field::Status),
            (_, "partofspeech") if in_term => Some(Field::Pos),
            (_, "werger:casesensitive") if in_term => Some(Field::CaseSensitive),
            (_, "subjectfield") if in_entry => Some(Field::Subject),
            (_, "definition") if in_entry => Some(Field::Definition),
            ("note", _) => match parent? {
                Frame::Entry | Frame::LangSet => Some(Field::ConceptNote),
                Frame::TermGroup | Frame::TermGrp => Some(Field::TermNote),
                _ => None,
            },
            _ => None,
        }
    }

    fn text(&mut self, text: &str) -> Res<()> {
        if self.stack.is_empty() {
            if text.trim().is_empty() {
                return Ok(());
            }
            return Err(self.error("text after the end of the root element"));
        }
        let Some(capture) = &mut self.capture else {
            // Text of elements Werger skips.
            return Ok(());
        };
        capture.text.push_str(text);
        if capture.text.len() > capture.max {
            let what = if capture.field == Field::Term {
                "a <term>"
            } else {
                "a note or description"
            };
            let message = format!("{what} longer than {} bytes", capture.max);
            return Err(self.error(message));
        }
        Ok(())
    }

    fn end(&mut self) -> Res<Option<ParsedConcept>> {
        let Some((frame, _)) = self.stack.pop() else {
            return Err(self.error("an end tag without a start tag"));
        };
        match frame {
            Frame::Capture => self.finish_capture()?,
            Frame::TermGroup => self.finish_term()?,
            Frame::LangSet => self.lang = None,
            Frame::Entry => {
                let Some(entry) = self.entry.take() else {
                    return Err(self.error("internal error: no concept entry open"));
                };
                let mut parsed = entry.parsed;
                parsed.concept.note = join_notes(entry.concept_notes);
                return Ok(Some(parsed));
            }
            Frame::Root | Frame::TermGrp | Frame::Other => {}
        }
        Ok(None)
    }

    fn finish_capture(&mut self) -> Res<()> {
        let Some(capture) = self.capture.take() else {
            return Ok(());
        };
        let text = collapse_whitespace(&capture.text);
        let lang_kept = self.lang.as_ref().is_none_or(|l| l.supported);
        let max = self.limits.max_text_bytes;
        match capture.field {
            Field::Term | Field::Status | Field::Pos | Field::CaseSensitive | Field::TermNote => {
                let Some(term) = &mut self.term else {
                    return Ok(());
                };
                match capture.field {
                    Field::Term => term.text = Some(text),
                    Field::Status => {
                        term.status.get_or_insert(text);
                    }
                    Field::Pos if !text.is_empty() => {
                        term.pos.get_or_insert(text);
                    }
                    Field::CaseSensitive => term.case_sensitive = Some(text),
                    Field::TermNote if !text.is_empty() => {
                        term.notes.push(text);
                        if total_len(&term.notes) > max {
                            return Err(self.error(format!("term notes longer than {max} bytes")));
                        }
                    }
                    _ => {}
                }
            }
            Field::Subject | Field::Definition | Field::ConceptNote => {
                let Some(entry) = &mut self.entry else {
                    return Ok(());
                };
                if !lang_kept || text.is_empty() {
                    return Ok(());
                }
                let concept = &mut entry.parsed.concept;
                match capture.field {
                    Field::Subject => {
                        concept.subject.get_or_insert(text);
                    }
                    Field::Definition => {
                        concept.definition.get_or_insert(text);
                    }
                    _ => {
                        entry.concept_notes.push(text);
                        if total_len(&entry.concept_notes) > max {
                            return Err(
                                self.error(format!("concept notes longer than {max} bytes"))
                            );
                        }
                    }
                }
            }
        }
        Ok(())
    }

    fn finish_term(&mut self) -> Res<()> {
        let (Some(pending), Some(lang), Some(entry)) =
            (self.term.take(), self.lang.as_ref(), self.entry.as_mut())
        else {
            return Ok(());
        };
        entry.terms_seen += 1;
        if entry.terms_seen > self.limits.max_terms_per_concept {
            let message = format!(
                "more than {} terms in one concept entry",
                self.limits.max_terms_per_concept
            );
            return Err(self.error(message));
        }
        let parsed = &mut entry.parsed;
        let text = pending.text.unwrap_or_default();
        let skip = |reason: String| SkippedTerm {
            tag: lang.tag.clone(),
            text: text.clone(),
            reason,
        };
        if text.is_empty() {
            parsed.skipped.push(skip("the term is empty".to_string()));
            return Ok(());
        }
        let status = match pending.status.as_deref() {
            None => Status::Preferred,
            Some(value) => match parse_status(value) {
                Some(status) => status,
                None => {
                    // Reading an unknown status as "preferred" could promote a term the file
                    // marks as not to be used; leave the term out and say why.
                    let reason = format!("unknown administrativeStatus {value:?}");
                    parsed.skipped.push(skip(reason));
                    return Ok(());
                }
            },
        };
        let term = Term {
            lang: Lang::En,
            status,
            pos: pending.pos,
            case_sensitive: pending.case_sensitive.as_deref().is_some_and(parse_flag),
            note: join_notes(pending.notes),
            text,
        };
        parsed.add_term(&lang.tag, term);
        Ok(())
    }

    fn resolve_reference(&self, r: &BytesRef) -> Res<char> {
        if r.is_char_ref() {
            return match r.resolve_char_ref() {
                Ok(Some(c)) => Ok(c),
                _ => Err(self.error("an invalid character reference")),
            };
        }
        match r.xml10_content().as_ref() {
            "lt" => Ok('<'),
            "gt" => Ok('>'),
            "amp" => Ok('&'),
            "apos" => Ok('\''),
            "quot" => Ok('"'),
            other => Err(self.error(format!(
                "the entity &{other}; is not defined (Werger does not expand DTD entities)"
            ))),
        }
    }

    /// All attributes, names lower-cased, values unescaped (unknown entities are an error).
    fn attrs(&self, e: &BytesStart) -> Res<Vec<(String, String)>> {
        let mut out = Vec::new();
        for attribute in e.attributes() {
            let attribute =
                attribute.map_err(|err| self.error(format!("malformed attribute: {err}")))?;
            let key = attribute.key.as_ref().to_ascii_lowercase();
            let value = attribute
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|err| {
                    self.error(format!(
                        "attribute {key}: {err} (Werger does not expand DTD entities)"
                    ))
                })?
                .into_owned();
            if out.len() >= MAX_ATTRIBUTES {
                return Err(self.error(format!("more than {MAX_ATTRIBUTES} attributes")));
            }
            out.push((key, value));
        }
        Ok(out)
    }
}

/// An administrative status: Werger's names and TBX's values, plus TBX-Basic's
/// `obsoleteTerm-admn-sts`, read as deprecated.
fn parse_status(value: &str) -> Option<Status> {
    Status::parse(value).or_else(|| {
        let v = value.trim().to_ascii_lowercase();
        matches!(v.as_str(), "obsoleteterm-admn-sts" | "obsolete").then_some(Status::Deprecated)
    })
}

/// A yes/no value as written in a file.
pub(crate) fn parse_flag(value: &str) -> bool {
    matches!(
        value.trim().to_ascii_lowercase().as_str(),
        "true" | "yes" | "1" | "y"
    )
}

fn attr(attrs: &[(String, String)], name: &str) -> Option<String> {
    attrs
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.clone())
}

/// The lower-cased local name of an element (`min:subjectField` → `subjectfield`).
fn local(e: &BytesStart) -> String {
    e.local_name().as_ref().to_ascii_lowercase()
}

/// XML files are indented inside elements: runs of whitespace become one space.
fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn total_len(notes: &[String]) -> usize {
    notes.iter().map(|n| n.len() + 1).sum()
}

/// Several `<note>`s of one level become one note, a line each.
fn join_notes(notes: Vec<String>) -> Option<String> {
    (!notes.is_empty()).then(|| notes.join("\n"))
}

// ---------------------------------------------------------------------------------------------
// Writing

/// The `administrativeStatus` value written for a status; each reads back as the same status.
fn status_value(status: Status) -> &'static str {
    match status {
        Status::Preferred => "preferredTerm-admn-sts",
        Status::Admitted => "admittedTerm-admn-sts",
        Status::Deprecated => "deprecatedTerm-admn-sts",
        // TBX-Basic's value for a term that must not be used.
        Status::Forbidden => "notRecommendedTerm-admn-sts",
    }
}

/// Text for XML: characters XML 1.0 does not allow are dropped, markup characters escaped.
fn xml_text(text: &str) -> String {
    let allowed = |c: &char| {
        matches!(*c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
            || *c >= '\u{10000}'
    };
    if text.chars().all(|c| allowed(&c)) {
        escape(text).into_owned()
    } else {
        let clean: String = text.chars().filter(allowed).collect();
        escape(clean.as_str()).into_owned()
    }
}

/// A streaming TBX-Basic (TBX v3, DCA style) writer: [`TbxWriter::new`], then
/// [`TbxWriter::write_concept`] per concept, then [`TbxWriter::finish`].
///
/// Case sensitivity, which TBX-Basic has no data category for, is written as
/// `<termNote type="werger:caseSensitive">true</termNote>` and read back by [`TbxReader`].
pub struct TbxWriter<W: Write> {
    out: W,
}

impl<W: Write> TbxWriter<W> {
    /// Write the XML declaration and the TBX header, and open `<body>`.
    pub fn new(mut out: W) -> io::Result<Self> {
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(
            out,
            r#"<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">"#
        )?;
        writeln!(out, "  <tbxHeader>")?;
        writeln!(out, "    <fileDesc>")?;
        writeln!(out, "      <sourceDesc>")?;
        writeln!(out, "        <p>Exported by Werger</p>")?;
        writeln!(out, "      </sourceDesc>")?;
        writeln!(out, "    </fileDesc>")?;
        writeln!(out, "  </tbxHeader>")?;
        writeln!(out, "  <text>")?;
        writeln!(out, "    <body>")?;
        Ok(TbxWriter { out })
    }

    /// Write one `<conceptEntry>`: subject, definition and note, then one `<langSec>` per
    /// language that has terms, in the order en, ar, ckb, kmr.
    pub fn write_concept(&mut self, concept: &Concept) -> io::Result<()> {
        let out = &mut self.out;
        writeln!(
            out,
            r#"      <conceptEntry id="{}">"#,
            xml_text(&concept.id)
        )?;
        if let Some(subject) = &concept.subject {
            writeln!(
                out,
                r#"        <descrip type="subjectField">{}</descrip>"#,
                xml_text(subject)
            )?;
        }
        if let Some(definition) = &concept.definition {
            writeln!(
                out,
                r#"        <descrip type="definition">{}</descrip>"#,
                xml_text(definition)
            )?;
        }
        write_notes(out, concept.note.as_deref(), "        ")?;
        for lang in Lang::ALL {
            let mut terms = concept.terms.iter().filter(|t| t.lang == lang).peekable();
            if terms.peek().is_none() {
                continue;
            }
            writeln!(out, r#"        <langSec xml:lang="{}">"#, lang.code())?;
            for term in terms {
                writeln!(out, "          <termSec>")?;
                writeln!(out, "            <term>{}</term>", xml_text(&term.text))?;
                writeln!(
                    out,
                    r#"            <termNote type="administrativeStatus">{}</termNote>"#,
                    status_value(term.status)
                )?;
                if let Some(pos) = &term.pos {
                    writeln!(
                        out,
                        r#"            <termNote type="partOfSpeech">{}</termNote>"#,
                        xml_text(pos)
                    )?;
                }
                if term.case_sensitive {
                    writeln!(
                        out,
                        r#"            <termNote type="werger:caseSensitive">true</termNote>"#
                    )?;
                }
                write_notes(out, term.note.as_deref(), "            ")?;
                writeln!(out, "          </termSec>")?;
            }
            writeln!(out, "        </langSec>")?;
        }
        writeln!(out, "      </conceptEntry>")
    }

    /// Close the document and hand back the output, flushed.
    pub fn finish(mut self) -> io::Result<W> {
        writeln!(self.out, "    </body>")?;
        writeln!(self.out, "  </text>")?;
        writeln!(self.out, "</tbx>")?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// A note as one `<note>` per line (the reader joins them with line breaks again).
fn write_notes(out: &mut impl Write, note: Option<&str>, indent: &str) -> io::Result<()> {
    for line in note.unwrap_or_default().lines() {
        let line = line.trim();
        if !line.is_empty() {
            writeln!(out, "{indent}<note>{}</note>", xml_text(line))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(bytes: &[u8]) -> Result<Vec<ParsedConcept>, TbxError> {
        read_with(bytes, Limits::default())
    }

    fn read_with(bytes: &[u8], limits: Limits) -> Result<Vec<ParsedConcept>, TbxError> {
        let mut reader = TbxReader::new(open(bytes), limits)?;
        let mut out = Vec::new();
        while let Some(concept) = reader.next_concept()? {
            out.push(concept);
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

    fn term<'a>(parsed: &'a ParsedConcept, text: &str) -> &'a Term {
        parsed
            .concept
            .terms
            .iter()
            .find(|t| t.text == text)
            .unwrap_or_else(|| panic!("no term {text:?} in {:?}", parsed.concept.terms))
    }

    const V2: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">
<martif type="TBX" xml:lang="en">
  <martifHeader>
    <fileDesc><sourceDesc><p>Press office &amp; terminology desk</p></sourceDesc></fileDesc>
  </martifHeader>
  <text>
    <body>
      <termEntry id="isis">
        <descrip type="subjectField">security</descrip>
        <transacGrp><transac type="transactionType">origination</transac><date>2021-02-17</date></transacGrp>
        <note>Use the acronym in
              Arabic releases.</note>
        <langSet xml:lang="en">
          <tig>
            <term>ISIS</term>
            <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
            <termNote type="partOfSpeech">proper noun</termNote>
          </tig>
          <ntig>
            <termGrp>
              <term>Islamic State</term>
              <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote>
            </termGrp>
            <descripGrp><descrip type="context">the so-called Islamic State</descrip></descripGrp>
            <note>Legitimises the group.</note>
          </ntig>
        </langSet>
        <langSet xml:lang="ar-IQ">
          <descripGrp>
            <descrip type="definition">تنظيم إرهابي</descrip>
            <admin type="source">style guide</admin>
          </descripGrp>
          <tig><term>داعش</term></tig>
          <tig>
            <term>الدولة الإسلامية</term>
            <termNote type="administrativeStatus">notRecommendedTerm-admn-sts</termNote>
          </tig>
        </langSet>
        <langSet xml:lang="de">
          <descrip type="definition">Terrororganisation</descrip>
          <tig><term>IS</term></tig>
        </langSet>
        <langSet xml:lang="ku"><tig><term>DAIŞ</term></tig></langSet>
      </termEntry>
      <termEntry id="peshmerga">
        <langSet xml:lang="ckb"><tig><term>پێشمەرگە</term></tig></langSet>
        <langSet xml:lang="ku"><tig><term>هێزی پێشمەرگە</term></tig></langSet>
        <langSet xml:lang="kmr"><tig><term>Pêşmerge</term></tig></langSet>
      </termEntry>
      <termEntry>
        <langSet xml:lang="fr"><tig><term>Kurdistan irakien</term></tig></langSet>
        <langSet xml:lang="es"><tig><term>Kurdistán iraquí</term></tig></langSet>
      </termEntry>
    </body>
  </text>
</martif>"#;

    #[test]
    fn reads_tbx_v2() {
        let mut reader = TbxReader::new(open(V2.as_bytes()), Limits::default()).unwrap();
        assert_eq!(reader.version(), TbxVersion::V2);
        let isis = reader.next_concept().unwrap().unwrap();
        let c = &isis.concept;
        assert_eq!(c.id, "isis");
        assert_eq!(c.subject.as_deref(), Some("security"));
        assert_eq!(c.definition.as_deref(), Some("تنظيم إرهابي"));
        assert_eq!(
            c.note.as_deref(),
            Some("Use the acronym in Arabic releases.")
        );
        assert_eq!(texts(&isis, Lang::En), ["ISIS", "Islamic State"]);
        assert_eq!(texts(&isis, Lang::Ar), ["داعش", "الدولة الإسلامية"]);
        assert_eq!(texts(&isis, Lang::Kmr), ["DAIŞ"]);
        let en = term(&isis, "ISIS");
        assert_eq!(en.status, Status::Preferred);
        assert_eq!(en.pos.as_deref(), Some("proper noun"));
        let deprecated = term(&isis, "Islamic State");
        assert_eq!(deprecated.status, Status::Deprecated);
        assert_eq!(deprecated.note.as_deref(), Some("Legitimises the group."));
        assert_eq!(
            term(&isis, "داعش").status,
            Status::Preferred,
            "no status: preferred"
        );
        assert_eq!(term(&isis, "الدولة الإسلامية").status, Status::Forbidden);
        assert_eq!(
            isis.skipped,
            [SkippedTerm {
                tag: "de".into(),
                text: "IS".into(),
                reason: parse_tag("de").unwrap_err().to_string(),
            }]
        );
        assert!(isis
            .notes
            .iter()
            .any(|n| n.contains("\"ar-IQ\" read as ar")));
        assert!(isis.notes.iter().any(|n| n.contains("read as kmr")));

        let peshmerga = reader.next_concept().unwrap().unwrap();
        assert_eq!(texts(&peshmerga, Lang::Ckb), ["پێشمەرگە", "هێزی پێشمەرگە"]);
        assert_eq!(texts(&peshmerga, Lang::Kmr), ["Pêşmerge"]);
        assert!(peshmerga.notes.iter().any(|n| n.contains("read as ckb")));

        let foreign = reader.next_concept().unwrap().unwrap();
        assert_eq!(foreign.concept.id, "", "missing id: the caller assigns one");
        assert!(foreign.concept.terms.is_empty());
        assert_eq!(foreign.skipped.len(), 2);
        assert_eq!(foreign.skipped[1].text, "Kurdistán iraquí");
        assert_eq!(reader.next_concept().unwrap(), None);
        assert_eq!(reader.next_concept().unwrap(), None);
    }

    const V3_DCA: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<?xml-model href="TBXcoreStructV03.rng" type="application/xml"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
  <tbxHeader><fileDesc><sourceDesc><p>test</p></sourceDesc></fileDesc></tbxHeader>
  <text>
    <body>
      <conceptEntry id="krg">
        <descrip type="subjectField">government</descrip>
        <xref type="xGraphic" target="https://example.org/krg.png">logo</xref>
        <langSec xml:lang="en">
          <descrip type="definition">The government of the Kurdistan Region of Iraq.</descrip>
          <termSec>
            <term>Kurdistan Regional Government</term>
            <termNote type="partOfSpeech">noun</termNote>
            <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
          </termSec>
          <termSec>
            <term>KRG</term>
            <termNote type="administrativeStatus">admittedTerm-admn-sts</termNote>
            <termNote type="werger:caseSensitive">true</termNote>
          </termSec>
        </langSec>
        <langSec xml:lang="ckb">
          <termSec><term>حکومەتی هەرێمی کوردستان</term></termSec>
        </langSec>
        <langSec xml:lang="kmr">
          <termSec>
            <term>Herêma Kurdistanê</term>
            <termNote type="administrativeStatus">supersededTerm-admn-sts</termNote>
            <note>Region, not government.</note>
          </termSec>
        </langSec>
        <langSec xml:lang="zu"><termSec><term>uHulumeni</term></termSec></langSec>
      </conceptEntry>
    </body>
  </text>
</tbx>"#;

    const V3_DCT: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<tbx type="TBX-Basic" style="dct" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2"
     xmlns:min="http://www.tbxinfo.net/ns/min" xmlns:basic="http://www.tbxinfo.net/ns/basic">
  <tbxHeader><fileDesc><sourceDesc><p>test</p></sourceDesc></fileDesc></tbxHeader>
  <text>
    <body>
      <conceptEntry id="krg">
        <transacGrp><basic:transactionType>origination</basic:transactionType><date>2021-01-01</date></transacGrp>
        <min:subjectField>government</min:subjectField>
        <basic:xGraphic target="https://example.org/krg.png">logo</basic:xGraphic>
        <langSec xml:lang="en">
          <basic:definition>The government of the Kurdistan Region of Iraq.</basic:definition>
          <termSec>
            <term>Kurdistan Regional Government</term>
            <min:partOfSpeech>noun</min:partOfSpeech>
            <min:administrativeStatus>preferredTerm-admn-sts</min:administrativeStatus>
            <basic:termType>fullForm</basic:termType>
          </termSec>
          <termSec>
            <term>KRG</term>
            <min:administrativeStatus>admittedTerm-admn-sts</min:administrativeStatus>
            <termNote type="werger:caseSensitive">true</termNote>
          </termSec>
        </langSec>
        <langSec xml:lang="ckb">
          <termSec><term>حکومەتی هەرێمی کوردستان</term></termSec>
        </langSec>
        <langSec xml:lang="kmr">
          <termSec>
            <term>Herêma Kurdistanê</term>
            <min:administrativeStatus>supersededTerm-admn-sts</min:administrativeStatus>
            <note>Region, not government.</note>
          </termSec>
        </langSec>
        <langSec xml:lang="zu"><termSec><term>uHulumeni</term></termSec></langSec>
      </conceptEntry>
    </body>
  </text>
</tbx>"#;

    #[test]
    fn reads_tbx_v3_in_both_styles_alike() {
        let dca = read_all(V3_DCA.as_bytes()).unwrap();
        let dct = read_all(V3_DCT.as_bytes()).unwrap();
        assert_eq!(dca, dct);
        assert_eq!(dca.len(), 1);
        let krg = &dca[0];
        let c = &krg.concept;
        assert_eq!(c.id, "krg");
        assert_eq!(c.subject.as_deref(), Some("government"));
        assert_eq!(
            c.definition.as_deref(),
            Some("The government of the Kurdistan Region of Iraq.")
        );
        assert_eq!(c.terms.len(), 4);
        let full = term(krg, "Kurdistan Regional Government");
        assert_eq!(
            (full.status, full.pos.as_deref()),
            (Status::Preferred, Some("noun"))
        );
        let short = term(krg, "KRG");
        assert_eq!(short.status, Status::Admitted);
        assert!(short.case_sensitive);
        assert_eq!(term(krg, "حکومەتی هەرێمی کوردستان").lang, Lang::Ckb);
        let kmr = term(krg, "Herêma Kurdistanê");
        assert_eq!((kmr.lang, kmr.status), (Lang::Kmr, Status::Deprecated));
        assert_eq!(kmr.note.as_deref(), Some("Region, not government."));
        assert_eq!(krg.skipped.len(), 1);
        assert_eq!(krg.skipped[0].tag, "zu");
        let reader = TbxReader::new(open(V3_DCT.as_bytes()), Limits::default()).unwrap();
        assert_eq!(reader.version(), TbxVersion::V3);
    }

    #[test]
    fn a_term_in_the_wrong_script_is_noted() {
        let file = r#"<tbx><text><body><conceptEntry id="c1">
            <langSec xml:lang="ar"><termSec><term>حکومەتی هەرێمی کوردستان</term></termSec></langSec>
            </conceptEntry></body></text></tbx>"#;
        let parsed = read_all(file.as_bytes()).unwrap();
        assert_eq!(
            parsed[0].concept.terms[0].lang,
            Lang::Ar,
            "kept as labelled"
        );
        assert!(
            parsed[0].notes.iter().any(|n| n.contains("looks like ckb")),
            "{:?}",
            parsed[0].notes
        );
    }

    #[test]
    fn an_unknown_status_skips_the_term_and_says_so() {
        let file = r#"<martif><text><body><termEntry id="x"><langSet xml:lang="en">
            <tig><term>Daesh</term><termNote type="administrativeStatus">sometimes</termNote></tig>
            <tig><term>ISIL</term><termNote type="administrativeStatus">obsoleteTerm-admn-sts</termNote></tig>
            </langSet></termEntry></body></text></martif>"#;
        let parsed = read_all(file.as_bytes()).unwrap();
        assert_eq!(parsed[0].concept.terms.len(), 1);
        assert_eq!(parsed[0].concept.terms[0].status, Status::Deprecated);
        assert_eq!(parsed[0].skipped[0].text, "Daesh");
        assert!(parsed[0].skipped[0].reason.contains("sometimes"));
    }

    #[test]
    fn bare_ku_without_letters_is_skipped_as_ambiguous() {
        let file = r#"<martif><text><body><termEntry id="x">
            <langSet xml:lang="ku"><tig><term>2021</term></tig></langSet>
            <langSet xml:lang="en"><tig><term>2021</term></tig></langSet>
            </termEntry></body></text></martif>"#;
        let parsed = read_all(file.as_bytes()).unwrap();
        assert_eq!(parsed[0].concept.terms.len(), 1);
        assert_eq!(parsed[0].skipped[0].tag, "ku");
        assert!(parsed[0].skipped[0].reason.contains("ambiguous"));
    }

    #[test]
    fn reads_utf8_with_bom_and_utf16() {
        let mut with_bom = b"\xEF\xBB\xBF".to_vec();
        with_bom.extend_from_slice(V3_DCA.as_bytes());
        assert_eq!(
            read_all(&with_bom).unwrap(),
            read_all(V3_DCA.as_bytes()).unwrap()
        );
        let utf16 = V3_DCA.replace(r#"encoding="utf-8""#, r#"encoding="UTF-16""#);
        let mut le = vec![0xFF, 0xFE];
        le.extend(utf16.encode_utf16().flat_map(u16::to_le_bytes));
        let mut be = vec![0xFE, 0xFF];
        be.extend(utf16.encode_utf16().flat_map(u16::to_be_bytes));
        let no_bom: Vec<u8> = utf16.encode_utf16().flat_map(u16::to_le_bytes).collect();
        for bytes in [le, be, no_bom] {
            let parsed = read_all(&bytes).unwrap();
            assert_eq!(term(&parsed[0], "Herêma Kurdistanê").lang, Lang::Kmr);
        }
    }

    #[test]
    fn reads_a_declared_windows_1254_file() {
        let mut bytes = b"<?xml version='1.0' encoding=\"windows-1254\" ?>\n<martif>\
            <text><body><termEntry id=\"t1\"><langSet xml:lang=\"kmr\"><tig><term>Kurdistana Ba"
            .to_vec();
        // ş = 0xFE, û = 0xFB in windows-1254.
        bytes.extend_from_slice(b"\xFE\xFBr</term></tig></langSet><langSet xml:lang=\"tr\"><tig><term>Da\xF0l\xFDk b\xF6lge");
        bytes.extend_from_slice(b"</term></tig></langSet></termEntry></body></text></martif>");
        let parsed = read_all(&bytes).unwrap();
        assert_eq!(texts(&parsed[0], Lang::Kmr), ["Kurdistana Başûr"]);
        assert_eq!(parsed[0].skipped[0].text, "Dağlık bölge");
    }

    #[test]
    fn an_unknown_declared_encoding_is_an_error() {
        let file = b"<?xml version='1.0' encoding='x-klingon'?><martif/>";
        let err = read_all(&file[..]).unwrap_err();
        assert!(err.message.contains("x-klingon"), "{err}");
    }

    #[test]
    fn entity_declarations_are_rejected_not_expanded() {
        let laughs = r#"<?xml version="1.0"?>
<!DOCTYPE martif [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<martif><text><body><termEntry><langSet xml:lang="en"><tig><term>&lol3;</term></tig></langSet></termEntry></body></text></martif>"#;
        let err = read_all(laughs.as_bytes()).unwrap_err();
        assert!(err.message.contains("entities"), "{err}");
        assert_eq!(err.offset as usize, laughs.find("<!DOCTYPE").unwrap());
    }

    #[test]
    fn unknown_entities_are_errors_predefined_ones_are_read() {
        let file = r#"<martif><text><body><termEntry id="a&amp;b">
            <langSet xml:lang="en"><tig><term>Tom &amp; Jerry &#x41;&#66; &lt;&gt;&quot;&apos;</term></tig></langSet>
            </termEntry></body></text></martif>"#;
        let parsed = read_all(file.as_bytes()).unwrap();
        assert_eq!(parsed[0].concept.id, "a&b");
        assert_eq!(parsed[0].concept.terms[0].text, "Tom & Jerry AB <>\"'");

        let unknown = r#"<martif><text><body><termEntry>
            <langSet xml:lang="en"><tig><term>ISIS&nbsp;group</term></tig></langSet>
            </termEntry></body></text></martif>"#;
        let err = read_all(unknown.as_bytes()).unwrap_err();
        assert!(err.message.contains("&nbsp;"), "{err}");
        assert_eq!(err.offset as usize, unknown.find("&nbsp;").unwrap());

        let in_attribute = r#"<martif><text><body><termEntry id="&foo;"/></body></text></martif>"#;
        assert!(read_all(in_attribute.as_bytes()).is_err());
    }

    #[test]
    fn malformed_xml_is_located() {
        let file = "<martif>\n<text><body><termEntry id=\"x\">\n<langSet xml:lang=\"en\"><tig><term>ISIS</tem></tig></langSet>\n</termEntry></body></text></martif>";
        let err = read_all(file.as_bytes()).unwrap_err();
        assert!(err.message.starts_with("malformed XML"), "{err}");
        let at = file.find("</tem>").unwrap() as u64;
        assert!(
            (at..=at + 6).contains(&err.offset),
            "offset {} not at </tem> ({at})",
            err.offset
        );
        let (line, _) = crate::core::tmx::line_column(open(file.as_bytes()), err.offset).unwrap();
        assert_eq!(line, 3);

        let truncated = "<martif><text><body><termEntry id=\"x\">";
        let err = read_all(truncated.as_bytes()).unwrap_err();
        assert!(err.message.contains("ends"), "{err}");
    }

    #[test]
    fn structural_errors() {
        let not_tbx = "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"><body/></tmx>";
        let err = read_all(not_tbx.as_bytes()).unwrap_err();
        assert!(err.message.contains("not a TBX file"), "{err}");
        assert_eq!(err.offset as usize, not_tbx.find("<tmx").unwrap());

        let no_lang = "<tbx><text><body><conceptEntry id=\"c\">\n  <langSec><termSec><term>x</term></termSec></langSec></conceptEntry></body></text></tbx>";
        let err = read_all(no_lang.as_bytes()).unwrap_err();
        assert!(err.message.contains("without xml:lang"), "{err}");
        assert_eq!(err.offset as usize, no_lang.find("<langSec").unwrap());

        assert!(read_all(b"").unwrap_err().message.contains("empty"));
        assert!(read_all(b"<tbx/>").unwrap().is_empty());
        let two_roots = "<tbx></tbx><tbx></tbx>";
        assert!(read_all(two_roots.as_bytes()).is_err());
    }

    #[test]
    fn limits_are_enforced() {
        let limits = Limits {
            max_term_bytes: 8,
            ..Limits::default()
        };
        let err = read_with(V3_DCA.as_bytes(), limits).unwrap_err();
        assert!(err.message.contains("<term> longer than 8 bytes"), "{err}");

        let limits = Limits {
            max_terms_per_concept: 3,
            ..Limits::default()
        };
        let err = read_with(V3_DCA.as_bytes(), limits).unwrap_err();
        assert!(err.message.contains("more than 3 terms"), "{err}");

        let limits = Limits {
            max_depth: 5,
            ..Limits::default()
        };
        let err = read_with(V3_DCA.as_bytes(), limits).unwrap_err();
        assert!(err.message.contains("nested"), "{err}");

        let limits = Limits {
            max_text_bytes: 20,
            ..Limits::default()
        };
        let err = read_with(V3_DCA.as_bytes(), limits).unwrap_err();
        assert!(err.message.contains("longer than 20 bytes"), "{err}");

        let limits = Limits {
            max_run_bytes: 1000,
            ..Limits::default()
        };
        let huge = format!(
            "<tbx><text><body><conceptEntry><langSec xml:lang=\"en\"><termSec><term>{}</term></termSec></langSec></conceptEntry></body></text></tbx>",
            "a".repeat(100_000)
        );
        let err = read_with(huge.as_bytes(), limits).unwrap_err();
        assert!(err.message.contains("longer than 1000 bytes"), "{err}");
        let huge_tag = format!("<tbx {}=\"1\"/>", "a".repeat(100_000));
        assert!(read_with(huge_tag.as_bytes(), limits).is_err());
    }

    fn sample_concepts() -> Vec<Concept> {
        let mut isis = Concept {
            id: "isis".into(),
            subject: Some("security & <defence>".into()),
            definition: Some("تنظيم إرهابي \"quoted\" 'x'".into()),
            note: Some("first line\nsecond line".into()),
            terms: Vec::new(),
        };
        let mut en = Term::new(Lang::En, "ISIS", Status::Preferred);
        en.pos = Some("proper noun".into());
        en.case_sensitive = true;
        isis.terms.push(en);
        let mut en2 = Term::new(Lang::En, "Islamic State", Status::Deprecated);
        en2.note = Some("Legitimises the group.".into());
        isis.terms.push(en2);
        isis.terms
            .push(Term::new(Lang::Ar, "داعش", Status::Preferred));
        isis.terms
            .push(Term::new(Lang::Ar, "الدولة الإسلامية", Status::Forbidden));
        isis.terms
            .push(Term::new(Lang::Ckb, "داعش", Status::Admitted));
        isis.terms
            .push(Term::new(Lang::Kmr, "DAIŞ", Status::Preferred));
        let peshmerga = Concept {
            id: "peshmerga <1>".into(),
            terms: vec![
                Term::new(Lang::Ckb, "پێشمەرگە", Status::Preferred),
                Term::new(Lang::Kmr, "Herêma Kurdistanê", Status::Admitted),
            ],
            ..Concept::default()
        };
        vec![isis, peshmerga]
    }

    #[test]
    fn writer_output_reads_back_identically() {
        let concepts = sample_concepts();
        let mut writer = TbxWriter::new(Vec::new()).unwrap();
        for c in &concepts {
            writer.write_concept(c).unwrap();
        }
        let bytes = writer.finish().unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.contains(r#"<tbx type="TBX-Basic" style="dca""#));
        assert!(text.contains("<p>Exported by Werger</p>"));
        assert!(text.contains("notRecommendedTerm-admn-sts"));
        let mut reader = TbxReader::new(open(&bytes[..]), Limits::default()).unwrap();
        assert_eq!(reader.version(), TbxVersion::V3);
        for expected in &concepts {
            let parsed = reader.next_concept().unwrap().unwrap();
            assert_eq!(&parsed.concept, expected);
            assert!(parsed.skipped.is_empty());
        }
        assert_eq!(reader.next_concept().unwrap(), None);
    }

    #[test]
    fn every_status_value_written_parses_back() {
        for status in Status::ALL {
            assert_eq!(parse_status(status_value(status)), Some(status));
        }
    }
}
