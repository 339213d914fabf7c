//! Reading TMX, one `<tu>` at a time.

use std::io::BufRead;

use quick_xml::escape::escape;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::LocalName;

use super::TmxError;
use crate::core::lang::{parse_tag, LangError};
use crate::core::unit::{plain_content, Meta, Prop, Unit, Variant};
use crate::core::xml_guard::{self, RunGuard};

/// Bounds that keep a hostile or broken file from exhausting memory.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Longest stretch of bytes between two `<`: bounds every text node and tag.
    pub max_run_bytes: usize,
    /// Largest `<seg>` content, in bytes.
    pub max_segment_bytes: usize,
    /// Most `<tuv>` in one `<tu>`.
    pub max_variants: usize,
    /// Most `<prop>`/`<note>`/attributes on one element.
    pub max_meta_items: usize,
    /// Deepest nesting of inline elements inside `<seg>`.
    pub max_inline_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_run_bytes: 4 * 1024 * 1024,
            max_segment_bytes: 1024 * 1024,
            max_variants: 64,
            max_meta_items: 256,
            max_inline_depth: 32,
        }
    }
}

/// The `<header>` of a TMX file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Header {
    pub version: String,
    pub srclang: Option<String>,
    pub meta: Meta,
}

/// A variant the reader did not keep, and why; collected for the import report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The language tag as written in the file.
    pub tag: String,
    pub reason: SkipReason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SkipReason {
    /// A language Werger does not handle (e.g. `fr-CA`).
    UnsupportedLanguage,
    /// A bare `ku` with no text to tell Sorani from Kurmanji.
    AmbiguousLanguage,
    /// A second variant of a language already in the unit (e.g. `en-GB` after `en-US`).
    DuplicateLanguage,
    /// A `<seg>` with no text.
    Empty,
}

/// One `<tu>` as read: the unit with the variants kept, plus what was skipped and how tags
/// were read (e.g. `"ku" read as kmr`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedUnit {
    pub unit: Unit,
    pub skipped: Vec<Skipped>,
    pub tag_notes: Vec<String>,
}

/// Inline elements allowed inside `<seg>`, and whether their text is native code (dropped from
/// the plain text) or translatable (`hi`).
fn inline_kind(name: &str) -> Option<bool> {
    match name {
        "bpt" | "ept" | "ph" | "it" | "ut" | "sub" => Some(true),
        "hi" => Some(false),
        _ => None,
    }
}

/// A streaming TMX reader. Create it with [`TmxReader::new`], which reads up to `<body>`, then
/// call [`TmxReader::next_unit`] until it returns `None`.
pub struct TmxReader<R: BufRead> {
    xml: quick_xml::Reader<RunGuard<R>>,
    /// Event buffers of the nested reads (unit, variant, segment…), reused from unit to unit:
    /// each read borrows its events from its own buffer instead of copying every event.
    bufs: Vec<Vec<u8>>,
    header: Header,
    limits: Limits,
    done: bool,
}

type Res<T> = Result<T, TmxError>;

impl<R: BufRead> TmxReader<R> {
    /// Start reading a decoded (UTF-8) stream; see [`super::decoded`].
    pub fn new(input: R, limits: Limits) -> Res<Self> {
        let xml = xml_guard::reader(input, limits.max_run_bytes);
        let mut reader = TmxReader {
            xml,
            bufs: Vec::new(),
            header: Header::default(),
            limits,
            done: false,
        };
        reader.read_prologue()?;
        Ok(reader)
    }

    pub fn header(&self) -> &Header {
        &self.header
    }

    /// Bytes of decoded input consumed so far (for progress reporting).
    pub fn position(&self) -> u64 {
        self.xml.buffer_position()
    }

    fn error(&self, message: impl Into<String>) -> TmxError {
        TmxError::new(self.xml.buffer_position(), message)
    }

    /// A buffer for one read's events ([`TmxReader::next_event`]); give it back with
    /// [`TmxReader::give_buf`] (one lost on an error is only memory).
    fn take_buf(&mut self) -> Vec<u8> {
        self.bufs.pop().unwrap_or_default()
    }

    fn give_buf(&mut self, buf: Vec<u8>) {
        self.bufs.push(buf);
    }

    /// The next event, borrowed from `buf` (not from the reader, so the reader can go on while
    /// it is held), with syntax errors turned into located [`TmxError`]s.
    fn next_event<'b>(&mut self, buf: &'b mut Vec<u8>) -> Res<Event<'b>> {
        buf.clear();
        match self.xml.read_event_into(buf) {
            Ok(event) => Ok(event),
            Err(err) => {
                let offset = self.xml.error_position();
                Err(TmxError::new(offset, format!("malformed XML: {err}")))
            }
        }
    }

    fn read_prologue(&mut self) -> Res<()> {
        let mut buf = Vec::new();
        // The root element.
        let root = loop {
            match self.next_event(&mut buf)? {
                Event::Start(e) => break e,
                Event::Empty(_) => return Err(self.error("the <tmx> element is empty")),
                Event::Decl(decl) => self.check_encoding(&decl)?,
                Event::Text(t) if t.xml10_content().trim().is_empty() => {}
                Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
                Event::Eof => return Err(self.error("the file is empty: no <tmx> element")),
                _ => return Err(self.error("text before the <tmx> element")),
            }
        };
        if local(&root) != "tmx" {
            return Err(self.error(format!(
                "the root element is <{}>, not <tmx>: this is not a TMX file",
                local(&root)
            )));
        }
        self.header.version = self.attr(&root, "version")?.unwrap_or_default();
        // <header>, then <body>.
        let mut seen_header = false;
        loop {
            match self.next_event(&mut buf)? {
                Event::Start(e) if local(&e) == "header" => {
                    self.read_header_attrs(&e)?;
                    self.read_header_children()?;
                    seen_header = true;
                }
                Event::Empty(e) if local(&e) == "header" => {
                    self.read_header_attrs(&e)?;
                    seen_header = true;
                }
                Event::Start(e) if local(&e) == "body" => {
                    if !seen_header {
                        return Err(self.error("<body> before <header>"));
                    }
                    return Ok(());
                }
                Event::Empty(e) if local(&e) == "body" => {
                    self.done = true;
                    self.expect_end_of_document()?;
                    return Ok(());
                }
                Event::Text(t) if t.xml10_content().trim().is_empty() => {}
                Event::Comment(_) | Event::PI(_) => {}
                Event::Eof => return Err(self.error("the file ends before <body>")),
                Event::Start(e) | Event::Empty(e) => {
                    return Err(self.error(format!("unexpected <{}> in <tmx>", local(&e))))
                }
                _ => return Err(self.error("unexpected content in <tmx>")),
            }
        }
    }

    fn check_encoding(&self, decl: &quick_xml::events::BytesDecl) -> Res<()> {
        if let Some(Ok(enc)) = decl.encoding() {
            let enc = enc.to_ascii_lowercase();
            let known = [
                "utf-8", "utf8", "utf-16", "utf-16le", "utf-16be", "us-ascii", "ascii",
            ];
            if !known.contains(&enc.as_str()) {
                return Err(self.error(format!(
                    "the file declares the encoding {enc:?}; TMX files must be UTF-8 or UTF-16"
                )));
            }
        }
        Ok(())
    }

    fn read_header_attrs(&mut self, e: &BytesStart) -> Res<()> {
        for (name, value) in self.attrs(e)? {
            match name.as_str() {
                "srclang" => self.header.srclang = Some(value),
                _ => self.header.meta.attrs.push((name, value)),
            }
        }
        Ok(())
    }

    fn read_header_children(&mut self) -> Res<()> {
        let mut buf = Vec::new();
        loop {
            match self.next_event(&mut buf)? {
                Event::End(e) if is(e.local_name(), "header") => return Ok(()),
                Event::Start(e) => match local(&e).as_str() {
                    "prop" => {
                        let prop = self.read_prop(&e)?;
                        self.header.meta.props.push(prop);
                    }
                    "note" => {
                        let note = self.read_text("note")?;
                        self.header.meta.notes.push(note);
                    }
                    // <ude>/<map> user-defined entities: nothing Werger uses.
                    _ => self.skip_element(&e)?,
                },
                Event::Eof => return Err(self.error("the file ends inside <header>")),
                _ => {}
            }
        }
    }

    fn expect_end_of_document(&mut self) -> Res<()> {
        let mut buf = Vec::new();
        loop {
            match self.next_event(&mut buf)? {
                Event::Eof => return Ok(()),
                Event::End(e) if is(e.local_name(), "tmx") => {}
                Event::Text(t) if t.xml10_content().trim().is_empty() => {}
                Event::Comment(_) | Event::PI(_) => {}
                _ => return Err(self.error("unexpected content after </body>")),
            }
        }
    }

    /// The next unit, or `None` at the end of the body.
    pub fn next_unit(&mut self) -> Res<Option<ParsedUnit>> {
        if self.done {
            return Ok(None);
        }
        let mut buf = self.take_buf();
        let unit = loop {
            match self.next_event(&mut buf)? {
                Event::Start(e) if is(e.local_name(), "tu") => break self.read_tu(&e)?,
                Event::Empty(e) if is(e.local_name(), "tu") => {
                    return Err(self.error("a <tu> without any <tuv>"))
                }
                Event::End(e) if is(e.local_name(), "body") => {
                    self.done = true;
                    self.expect_end_of_document()?;
                    return Ok(None);
                }
                Event::Text(t) if t.xml10_content().trim().is_empty() => {}
                Event::Comment(_) | Event::PI(_) => {}
                Event::Eof => return Err(self.error("the file ends inside <body>")),
                Event::Start(e) | Event::Empty(e) => {
                    return Err(self.error(format!("unexpected <{}> in <body>", local(&e))))
                }
                Event::GeneralRef(_) | Event::Text(_) | Event::CData(_) => {
                    return Err(self.error("text outside any <tu>"))
                }
                _ => return Err(self.error("unexpected content in <body>")),
            }
        };
        self.give_buf(buf);
        Ok(Some(unit))
    }

    fn read_tu(&mut self, start: &BytesStart) -> Res<ParsedUnit> {
        let mut unit = Unit {
            external_id: None,
            meta: Meta::default(),
            variants: Vec::new(),
        };
        for (name, value) in self.attrs(start)? {
            match name.as_str() {
                "tuid" => unit.external_id = Some(value),
                _ => unit.meta.attrs.push((name, value)),
            }
        }
        let mut parsed = ParsedUnit {
            unit,
            skipped: Vec::new(),
            tag_notes: Vec::new(),
        };
        let mut tuv_count = 0;
        let mut buf = self.take_buf();
        let mut name = [0; NAME_BYTES];
        loop {
            match self.next_event(&mut buf)? {
                Event::End(e) if is(e.local_name(), "tu") => break,
                Event::Start(e) => match lower_name(&e, &mut name) {
                    "tuv" => {
                        tuv_count += 1;
                        if tuv_count > self.limits.max_variants {
                            return Err(self.error(format!(
                                "more than {} <tuv> in one <tu>",
                                self.limits.max_variants
                            )));
                        }
                        self.read_tuv(&e, &mut parsed)?;
                    }
                    "prop" => {
                        let prop = self.read_prop(&e)?;
                        self.push_bounded(&mut parsed.unit.meta.props, prop)?;
                    }
                    "note" => {
                        let note = self.read_text("note")?;
                        self.push_bounded(&mut parsed.unit.meta.notes, note)?;
                    }
                    _ => return Err(self.error(format!("unexpected <{}> in <tu>", local(&e)))),
                },
                Event::Empty(e) => match lower_name(&e, &mut name) {
                    "prop" | "note" => {}
                    _ => {
                        return Err(self.error(format!("unexpected empty <{}/> in <tu>", local(&e))))
                    }
                },
                Event::Text(t) if t.xml10_content().trim().is_empty() => {}
                Event::Comment(_) | Event::PI(_) => {}
                Event::Eof => return Err(self.error("the file ends inside <tu>")),
                _ => return Err(self.error("text directly inside <tu>")),
            }
        }
        self.give_buf(buf);
        if tuv_count == 0 {
            return Err(self.error("a <tu> without any <tuv>"));
        }
        Ok(parsed)
    }

    fn read_tuv(&mut self, start: &BytesStart, parsed: &mut ParsedUnit) -> Res<()> {
        let mut tag = None;
        let mut meta = Meta::default();
        for (name, value) in self.attrs(start)? {
            match name.as_str() {
                "xml:lang" | "lang" => tag = Some(value),
                _ => meta.attrs.push((name, value)),
            }
        }
        let Some(tag) = tag else {
            return Err(self.error("a <tuv> without xml:lang"));
        };
        let mut seg: Option<(String, String)> = None;
        let mut buf = self.take_buf();
        let mut name = [0; NAME_BYTES];
        loop {
            match self.next_event(&mut buf)? {
                Event::End(e) if is(e.local_name(), "tuv") => break,
                Event::Start(e) => match lower_name(&e, &mut name) {
                    "seg" => {
                        if seg.is_some() {
                            return Err(self.error("a <tuv> with two <seg>"));
                        }
                        seg = Some(self.read_seg()?);
                    }
                    "prop" => {
                        let prop = self.read_prop(&e)?;
                        self.push_bounded(&mut meta.props, prop)?;
                    }
                    "note" => {
                        let note = self.read_text("note")?;
                        self.push_bounded(&mut meta.notes, note)?;
                    }
                    _ => return Err(self.error(format!("unexpected <{}> in <tuv>", local(&e)))),
                },
                Event::Empty(e) => match lower_name(&e, &mut name) {
                    "seg" => seg = Some((String::new(), String::new())),
                    "prop" | "note" => {}
                    _ => {
                        return Err(
                            self.error(format!("unexpected empty <{}/> in <tuv>", local(&e)))
                        )
                    }
                },
                Event::Text(t) if t.xml10_content().trim().is_empty() => {}
                Event::Comment(_) | Event::PI(_) => {}
                Event::Eof => return Err(self.error("the file ends inside <tuv>")),
                _ => return Err(self.error("text directly inside <tuv>")),
            }
        }
        self.give_buf(buf);
        let Some((content, text)) = seg else {
            return Err(self.error("a <tuv> without <seg>"));
        };
        let skip = |reason| Skipped {
            tag: tag.clone(),
            reason,
        };
        if text.trim().is_empty() {
            parsed.skipped.push(skip(SkipReason::Empty));
            return Ok(());
        }
        let resolution = match parse_tag(&tag).and_then(|t| t.resolve(Some(&text)).map(|r| (t, r)))
        {
            Ok(ok) => ok,
            Err(LangError::Unsupported { .. }) => {
                parsed.skipped.push(skip(SkipReason::UnsupportedLanguage));
                return Ok(());
            }
            Err(LangError::Ambiguous { .. }) => {
                parsed.skipped.push(skip(SkipReason::AmbiguousLanguage));
                return Ok(());
            }
        };
        let (parsed_tag, resolved) = resolution;
        if parsed.unit.variants.iter().any(|v| v.lang == resolved.lang) {
            parsed.skipped.push(skip(SkipReason::DuplicateLanguage));
            return Ok(());
        }
        if let Some(note) = resolved.note {
            parsed.tag_notes.push(note);
        }
        parsed.unit.variants.push(Variant {
            lang: resolved.lang,
            region: parsed_tag.region,
            content,
            text,
            meta,
        });
        Ok(())
    }

    /// Read a `<seg>`'s content: returns (inline XML fragment, plain text).
    fn read_seg(&mut self) -> Res<(String, String)> {
        let mut content = String::new();
        let mut plain = String::new();
        // Stack of open inline elements: (name, is native code).
        let mut open: Vec<(String, bool)> = Vec::new();
        let mut buf = self.take_buf();
        loop {
            let in_code = open.iter().any(|(_, code)| *code);
            match self.next_event(&mut buf)? {
                Event::Text(t) => {
                    let text = t.xml10_content();
                    content.push_str(&plain_content(text.as_ref()));
                    if !in_code {
                        plain.push_str(&text);
                    }
                }
                Event::CData(t) => {
                    let text = t.xml10_content();
                    content.push_str(&plain_content(text.as_ref()));
                    if !in_code {
                        plain.push_str(&text);
                    }
                }
                Event::GeneralRef(r) => {
                    let c = self.resolve_reference(&r)?;
                    let mut tmp = [0u8; 4];
                    let s: &str = c.encode_utf8(&mut tmp);
                    content.push_str(&plain_content(s));
                    if !in_code {
                        plain.push(c);
                    }
                }
                Event::Start(e) => {
                    let name = local(&e);
                    let Some(code) = inline_kind(&name) else {
                        return Err(self.error(format!("unexpected <{name}> inside <seg>")));
                    };
                    if open.len() >= self.limits.max_inline_depth {
                        return Err(self.error("inline elements nested too deeply"));
                    }
                    self.write_tag(&mut content, &e, &name, false)?;
                    open.push((name, code));
                }
                Event::Empty(e) => {
                    let name = local(&e);
                    if inline_kind(&name).is_none() {
                        return Err(self.error(format!("unexpected <{name}/> inside <seg>")));
                    }
                    self.write_tag(&mut content, &e, &name, true)?;
                }
                Event::End(e) => {
                    let name = e.local_name();
                    let name = name.as_ref();
                    match open.pop() {
                        // (Open names are lower-cased already.)
                        Some((open_name, _)) if name.eq_ignore_ascii_case(&open_name) => {
                            content.push_str("</");
                            content.push_str(&open_name);
                            content.push('>');
                        }
                        None if name.eq_ignore_ascii_case("seg") => break,
                        _ => {
                            let name = name.to_ascii_lowercase();
                            return Err(self.error(format!("unexpected </{name}> inside <seg>")));
                        }
                    }
                }
                Event::Comment(_) | Event::PI(_) => {}
                Event::Eof => return Err(self.error("the file ends inside <seg>")),
                _ => return Err(self.error("unexpected content inside <seg>")),
            }
            if content.len() > self.limits.max_segment_bytes {
                return Err(self.error(format!(
                    "a <seg> longer than {} bytes",
                    self.limits.max_segment_bytes
                )));
            }
        }
        self.give_buf(buf);
        Ok((content, plain))
    }

    fn resolve_reference(&self, r: &quick_xml::events::BytesRef) -> Res<char> {
        if r.is_char_ref() {
            return match r.resolve_char_ref() {
                Ok(Some(c)) => Ok(c),
                _ => Err(self.error("an invalid character reference")),
            };
        }
        let name = r.xml10_content();
        match name.as_ref() {
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

    /// Append an inline start (or empty) tag to a fragment, attributes re-escaped.
    fn write_tag(&self, out: &mut String, e: &BytesStart, name: &str, empty: bool) -> Res<()> {
        out.push('<');
        out.push_str(name);
        for (key, value) in self.attrs(e)? {
            out.push(' ');
            out.push_str(&key);
            out.push_str("=\"");
            out.push_str(&escape(value.as_str()));
            out.push('"');
        }
        out.push_str(if empty { "/>" } else { ">" });
        Ok(())
    }

    fn read_prop(&mut self, start: &BytesStart) -> Res<Prop> {
        let kind = self.attr(start, "type")?.unwrap_or_default();
        let value = self.read_text("prop")?;
        Ok(Prop { kind, value })
    }

    /// The text content of a simple element (`prop`, `note`), up to its end tag.
    fn read_text(&mut self, element: &str) -> Res<String> {
        let mut text = String::new();
        let mut buf = self.take_buf();
        loop {
            match self.next_event(&mut buf)? {
                Event::Text(t) => text.push_str(&t.xml10_content()),
                Event::CData(t) => text.push_str(&t.xml10_content()),
                Event::GeneralRef(r) => text.push(self.resolve_reference(&r)?),
                Event::End(_) => break,
                Event::Comment(_) | Event::PI(_) => {}
                Event::Eof => return Err(self.error(format!("the file ends inside <{element}>"))),
                _ => return Err(self.error(format!("markup inside <{element}>"))),
            }
            if text.len() > self.limits.max_segment_bytes {
                return Err(self.error(format!("a <{element}> that is too long")));
            }
        }
        self.give_buf(buf);
        Ok(text)
    }

    fn skip_element(&mut self, start: &BytesStart) -> Res<()> {
        let mut buf = Vec::new();
        let mut depth = 1usize;
        let name = start.name().as_ref().to_string();
        while depth > 0 {
            match self.next_event(&mut buf)? {
                Event::Start(e) if e.name().as_ref() == name.as_str() => depth += 1,
                Event::End(e) if e.name().as_ref() == name.as_str() => depth -= 1,
                Event::Eof => return Err(self.error("the file ends inside an element")),
                _ => {}
            }
        }
        Ok(())
    }

    fn push_bounded<T>(&self, list: &mut Vec<T>, item: T) -> Res<()> {
        if list.len() >= self.limits.max_meta_items {
            return Err(self.error(format!(
                "more than {} <prop>/<note> on one element",
                self.limits.max_meta_items
            )));
        }
        list.push(item);
        Ok(())
    }

    /// All attributes, names lower-cased (real files write `xml:lang` as `XML:LANG` or
    /// `Lang`), values unescaped.
    fn attrs(&self, e: &BytesStart) -> Res<Vec<(String, String)>> {
        let mut out = Vec::new();
        for attr in e.attributes() {
            let attr = attr.map_err(|err| self.error(format!("malformed attribute: {err}")))?;
            let key = attr.key.as_ref().to_ascii_lowercase();
            let value = attr
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|err| {
                    self.error(format!(
                        "attribute {key}: {err} (entities are not expanded)"
                    ))
                })?
                .into_owned();
            if out.len() >= self.limits.max_meta_items {
                return Err(self.error("too many attributes"));
            }
            out.push((key, value));
        }
        Ok(out)
    }

    fn attr(&self, e: &BytesStart, name: &str) -> Res<Option<String>> {
        Ok(self
            .attrs(e)?
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v))
    }
}

/// The lower-cased local name of an element.
fn local(e: &BytesStart) -> String {
    e.local_name().as_ref().to_ascii_lowercase()
}

/// Room for the longest TMX element name (`header`) and then some.
const NAME_BYTES: usize = 8;

/// [`local`] without allocating, for the elements read once per unit or variant: the name
/// lower-cased into `out`, or "" when it does not fit (no TMX element is that long, so the
/// caller's match reports it, by [`local`]).
fn lower_name<'a>(e: &BytesStart, out: &'a mut [u8; NAME_BYTES]) -> &'a str {
    let name = e.local_name();
    let name: &str = name.as_ref();
    match out.get_mut(..name.len()) {
        Some(room) => {
            room.copy_from_slice(name.as_bytes());
            room.make_ascii_lowercase();
            std::str::from_utf8(room).unwrap_or("")
        }
        None => "",
    }
}

/// Whether an element's local name (of a start or an end tag) is `lower` in any case.
fn is(name: LocalName, lower: &str) -> bool {
    let name: &str = name.as_ref();
    name.eq_ignore_ascii_case(lower)
}
