//! The tantivy index: derived from SQLite, rebuilt from it at any time.
//!
//! One document per unit variant (a unit in three languages is three documents sharing a
//! `tu_id`). Each language has its own field of index terms made by its own analyzer — the very
//! analyzer the fuzzy scorer uses — so "the same word" means one thing everywhere, and a stored
//! field with the text. `lacks` lists the languages the unit does not have, so a query can ask
//! for "en variants of units that also have ar". Every commit carries the last change-log
//! sequence it contains as its payload.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, LazyLock, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tantivy::collector::TopDocs;
use tantivy::columnar::Column;
use tantivy::directory::error::LockError;
use tantivy::directory::{Directory, MmapDirectory};
use tantivy::index::SegmentComponent;
use tantivy::indexer::{LogMergePolicy, NoMergePolicy};
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, Value, STRING,
};
use tantivy::tokenizer::{Token as TvToken, TokenStream, Tokenizer};
use tantivy::{
    DocAddress, Index, IndexReader, IndexSettings, IndexWriter, ReloadPolicy, Searcher,
    TantivyDocument, TantivyError, Term,
};

use crate::core::unit::Unit;

use super::db::Db;
use super::top_hits::TopWithTies;
use super::StoreError;
use crate::core::highlight::find_phrase;
use crate::core::lang::Lang;
use crate::core::signature::{self, signature_of, QuerySignature};
use crate::core::tokenize::{hawar_free_pieces, loose_key, tokenize, Analyzed, Token, TokenKind};

/// Changes applied per tantivy commit while catching up.
const BATCH: usize = 20_000;

/// Bytes of text per compressed doc-store block (see `open_index`).
const DOCSTORE_BLOCK: usize = 4096;

/// Units indexed in one go (an archive import, a rebuild) from which the index is merged into
/// a single segment afterwards, in the background. Big writes leave several segments, and a
/// lookup pays every term lookup and posting walk once per segment: at 1M units, eight
/// segments against one took the candidate search's p99 from 1.9 to 8.3 ms (BENCHMARKS.md).
/// (Tests use a small number to see the merge happen.)
pub(crate) const MERGE_AFTER: usize = if cfg!(test) { 40 } else { 100_000 };

/// Memory tantivy's writer may fill before it writes a segment. Bigger means fewer, larger
/// segments to merge after a bulk import; 256 MiB kept a 1M-unit import well under the 1.5 GB
/// resident-memory goal (BENCHMARKS.md).
const WRITER_BUDGET: usize = 256 * 1024 * 1024;

/// tantivy's indexing threads. Two, although a bulk write has two threads of its own (parsing
/// and SQLite; analysis) on a two-core machine: with one, every flush of a full segment left a
/// core idle while the queue filled, and a 1M-unit import took 64.5 s instead of 57.6 s
/// (BENCHMARKS.md, fifth round; the fourth round had chosen one for its lower CPU time).
const INDEXING_THREADS: usize = 2;

/// The per-language analyzer, as a tantivy tokenizer: the index terms of words and numbers
/// (see [`field_tokens`]).
#[derive(Clone)]
pub struct WergerTokenizer {
    lang: Lang,
}

/// The tokens of one field, handed to tantivy one at a time through a single reused
/// [`TvToken`]: their texts sit end to end in one string, so indexing a field costs two
/// allocations rather than one per token (a tenth of an import's time went to those).
pub struct WergerTokenStream {
    texts: String,
    /// Per token: where its text ends in `texts`, its byte offsets in the field's text, and
    /// its position.
    spans: Vec<(usize, usize, usize, usize)>,
    next: usize,
    token: TvToken,
}

impl Tokenizer for WergerTokenizer {
    type TokenStream<'a> = WergerTokenStream;

    fn token_stream<'a>(&'a mut self, value: &'a str) -> WergerTokenStream {
        let (ticket, text) = from_ticket(value);
        ticket
            .and_then(handed_over)
            .unwrap_or_else(|| field_tokens(self.lang, &tokenize(self.lang, text)))
    }
}

/// Index terms [`SearchIndex::documents`] made on the thread that feeds the writer, waiting for
/// the tokenizer to index them on one of tantivy's indexing threads, by ticket: each variant
/// is analysed once, for its signature and its terms alike, and the indexing threads — the
/// busiest of an import — only copy the terms. A document's terms field holds its ticket and
/// its text ([`with_ticket`]); the tokenizer takes the terms by ticket, or analyses the text
/// when they are not here. Emptied if it ever grows past `HANDOFF_MAX` (more than tantivy's
/// queue of 10,000 documents; only documents never indexed, as after a rollback, leave
/// entries behind).
static HANDOFF: LazyLock<Mutex<fnv::FnvHashMap<u64, WergerTokenStream>>> =
    LazyLock::new(Mutex::default);
const HANDOFF_MAX: usize = 20_000;
static NEXT_TICKET: AtomicU64 = AtomicU64::new(0);

/// Marks the start of a ticket in a terms field's value: a control character that XML texts
/// cannot hold, and every such value is made by [`with_ticket`] anyway.
const TICKET_MARK: char = '\u{1}';
/// Hex digits of a ticket.
const TICKET_DIGITS: usize = 16;

fn hand_over(tokens: WergerTokenStream) -> u64 {
    let ticket = NEXT_TICKET.fetch_add(1, Ordering::Relaxed);
    let mut handoff = HANDOFF.lock().expect("handoff");
    if handoff.len() >= HANDOFF_MAX {
        handoff.clear();
    }
    handoff.insert(ticket, tokens);
    ticket
}

fn handed_over(ticket: u64) -> Option<WergerTokenStream> {
    HANDOFF.lock().expect("handoff").remove(&ticket)
}

/// The value of a terms field: the ticket of its handed-over terms, then the text.
fn with_ticket(ticket: u64, text: &str) -> String {
    use std::fmt::Write;
    let mut value = String::with_capacity(TICKET_MARK.len_utf8() + TICKET_DIGITS + text.len());
    let _ = write!(
        value,
        "{TICKET_MARK}{ticket:0width$x}",
        width = TICKET_DIGITS
    );
    value.push_str(text);
    value
}

/// The ticket and the text of a terms field's value (no ticket if it has none).
fn from_ticket(value: &str) -> (Option<u64>, &str) {
    let digits = TICKET_MARK.len_utf8()..TICKET_MARK.len_utf8() + TICKET_DIGITS;
    match (value.strip_prefix(TICKET_MARK), value.get(digits.clone())) {
        (Some(_), Some(hex)) => match u64::from_str_radix(hex, 16) {
            Ok(ticket) => (Some(ticket), &value[digits.end..]),
            Err(_) => (None, value),
        },
        _ => (None, value),
    }
}

/// The index terms of a text, from the analyzer's tokens: one term per word, at its position —
/// its stem when the word is inflected, `=key` when the key is its own stem (45–70% of words;
/// numbers always) — and for Kurmanji words also their loose key (no ê î û ç ş) when it differs
/// from the stem. A query asks for both `stem` and `=stem` (see [`SearchIndex::candidates`]),
/// so an uninflected word is found through either and weighs more when the document has that
/// very form. Inflected words used to carry their exact form as well (`=key`, 1.5 terms per
/// word); the fuzzy scorer, not the search, tells inflections apart, and the exact forms were
/// a fifth of an import's term insertions — the biggest cost of an import (BENCHMARKS.md,
/// eighth round) — for no measured gain in retrieval. Queries build their terms with
/// [`exact_term`] and [`word_term`] and documents go through this function, so they cannot
/// disagree.
fn field_tokens(lang: Lang, tokens: &[Token]) -> WergerTokenStream {
    // Sized once for every term (growing it was ~1% of an import): a stem or `=key` per
    // token, and a loose key per Kurmanji word.
    let per_key = if lang == Lang::Kmr { 2 } else { 1 };
    let room = tokens
        .iter()
        .map(|t| EXACT.len() + per_key * t.key.len().max(t.stem.len()))
        .sum();
    let mut texts = String::with_capacity(room);
    let mut spans = Vec::with_capacity(tokens.len() * per_key);
    let content = tokens.iter().filter(|t| t.kind != TokenKind::Punct);
    for (position, t) in content.enumerate() {
        let mut push = |parts: &[&str]| {
            for part in parts {
                texts.push_str(part);
            }
            spans.push((texts.len(), t.start, t.end, position));
        };
        if t.stem != t.key {
            push(&[&t.stem]);
        } else {
            push(&[EXACT, &t.key]);
        }
        if lang == Lang::Kmr && t.kind == TokenKind::Word {
            // The loose key ([`loose_key`]), written straight into the terms; dropped again
            // when it is the stem.
            let from = texts.len();
            hawar_free_pieces(&t.key, |piece| texts.push_str(piece));
            if texts[from..] == *t.stem {
                texts.truncate(from);
            } else {
                spans.push((texts.len(), t.start, t.end, position));
            }
        }
    }
    WergerTokenStream {
        texts,
        spans,
        next: 0,
        token: TvToken::default(),
    }
}

impl TokenStream for WergerTokenStream {
    fn advance(&mut self) -> bool {
        let Some(&(end, offset_from, offset_to, position)) = self.spans.get(self.next) else {
            return false;
        };
        let start = match self.next {
            0 => 0,
            n => self.spans[n - 1].0,
        };
        self.next += 1;
        let token = &mut self.token;
        token.text.clear();
        token.text.push_str(&self.texts[start..end]);
        token.offset_from = offset_from;
        token.offset_to = offset_to;
        token.position = position;
        token.position_length = 1;
        true
    }

    fn token(&self) -> &TvToken {
        &self.token
    }

    fn token_mut(&mut self) -> &mut TvToken {
        &mut self.token
    }
}

/// The tokenizer name registered for a language.
pub fn analyzer_name(lang: Lang) -> String {
    format!("werger_{}", lang.code())
}

/// Marks an exact form among the index terms (no word contains it: `=` is never part of a
/// word or number piece).
const EXACT: &str = "=";

/// The index term of an exact form (a match key).
fn exact_term(key: &str) -> String {
    format!("{EXACT}{key}")
}

/// The term a word is indexed under ([`field_tokens`]): its stem if it is inflected, else its
/// exact form.
fn word_term(token: &Token) -> String {
    if token.stem != token.key {
        token.stem.to_string()
    } else {
        exact_term(&token.key)
    }
}

/// The index terms of each distinct word of a query (words sharing a stem are one), with
/// their weights in the candidate search. Documents hold an inflected word under its stem and
/// a word that is its own stem as `=stem` ([`field_tokens`]), so a query word asks for both.
/// A word that is its own stem weighs 2 where a document has that very form, 1 where it has
/// an inflection; an inflected word weighs 1 either way — the index does not tell its exact
/// form from the other inflections. (Weighing an inflected word's stem 2 as well was measured
/// worse: 92.58% against 93.04% of the TICO-19 retrieval queries agreeing with the exhaustive
/// scan at any score, BENCHMARKS.md eighth round.) A Kurmanji word's loose key (no ê î û ç
/// ş) joins its word, weighing 1 in both forms.
fn query_words(lang: Lang, query: &Analyzed) -> Vec<Vec<(String, f32)>> {
    #[derive(Default)]
    struct Forms {
        plain: bool,
        loose: BTreeSet<String>,
    }
    let mut words: BTreeMap<&str, Forms> = BTreeMap::new();
    for t in query.content() {
        let forms = words.entry(t.stem.as_str()).or_default();
        forms.plain |= t.key == t.stem;
        if let Some(loose) = loose_key(lang, t).filter(|l| *l != t.stem) {
            forms.loose.insert(loose.to_string());
        }
    }
    words
        .into_iter()
        .map(|(stem, forms)| {
            let exact = if forms.plain { 2.0 } else { 1.0 };
            let mut terms = vec![(exact_term(stem), exact), (stem.to_string(), 1.0)];
            for loose in forms.loose {
                terms.push((exact_term(&loose), 1.0));
                terms.push((loose, 1.0));
            }
            terms
        })
        .collect()
}

/// How many of a query's words, rarest first with these document frequencies, a candidate
/// search keeps in a language with `in_language` variants. Small memories are searched whole:
/// there every word is "common", and the walk is cheap anyway. From `PRUNE_FROM` on, a word in
/// more than `COMMON_SHARE` of the variants ends the list, and so does the word whose postings
/// overrun `POSTINGS_BUDGET`, so a long sentence costs about what a short one does to look up
/// — but at least `MIN_WORDS` are kept.
fn words_kept(dfs: &[u64], in_language: u64) -> usize {
    if in_language < PRUNE_FROM {
        return dfs.len();
    }
    let common = (in_language as f64 * COMMON_SHARE) as u64;
    let mut walked = 0u64;
    dfs.iter()
        .position(|df| {
            walked += df;
            *df > common || walked > POSTINGS_BUDGET
        })
        .unwrap_or(dfs.len())
        .max(MIN_WORDS.min(dfs.len()))
}

/// The most variants with every word of a phrase that [`SearchIndex::phrase`] reads and checks
/// for the phrase itself: in a million-unit memory a phrase of common words is in tens of
/// thousands; reading 5,000 takes ~0.1 s.
const PHRASE_CHECKED: usize = 5_000;

/// Share of a language's variants above which a query term counts as common (see
/// [`SearchIndex::candidates`]); measured with the retrieval evaluation (BENCHMARKS.md).
const COMMON_SHARE: f64 = 0.05;
/// Fewest words a candidate query keeps, common or not.
const MIN_WORDS: usize = 2;
/// Variants of a language from which common terms are left out of candidate queries.
const PRUNE_FROM: u64 = 20_000;
/// In memories that large, the most postings a candidate query walks (beyond its `MIN_TERMS`
/// rarest terms): terms are taken rarest first until their document frequencies add up to
/// this. Chosen with `werger bench` at 1M units (BENCHMARKS.md): it bounds the latency of long
/// sentences; 10,000 cost one top-1 match in 40, 20,000 none.
const POSTINGS_BUDGET: u64 = 20_000;
/// Variants of a language from which candidate queries return twice the `limit` of distinct
/// texts: near duplicates grow with the archive (about 165 per sentence at 1M units), and at
/// 1M the best match was outside the first 100 distinct texts in 5 of 40 queries, outside 200
/// in none (`werger bench`, BENCHMARKS.md).
const LARGE_MEMORY: u64 = 500_000;

#[derive(Clone, Copy)]
struct Fields {
    tu_id: Field,
    lang: Field,
    lacks: Field,
    hash: Field,
    words: Field,
    signature: Field,
    updated: Field,
    /// Each language's texts, stored (not indexed).
    text: [Field; 4],
    /// Each language's index terms ([`field_tokens`]).
    terms: [Field; 4],
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    // The document store holds only the text: ids, languages and hashes are read from fast
    // fields or from which text field a document has, and a smaller stored document is less to
    // write on import and less to decompress per candidate.
    let tu_id = b.add_u64_field("tu_id", NumericOptions::default().set_indexed().set_fast());
    let lang = b.add_text_field("lang", STRING);
    // The languages of the four the unit lacks: none for a unit in all four, as in an archive
    // of statements published in every language. (A field of the languages it has cost four
    // terms per document, a tenth of all its terms.)
    let lacks = b.add_text_field("lacks", STRING);
    // Fast: candidate retrieval groups hits by text without reading them.
    let hash = b.add_u64_field("text_hash", NumericOptions::default().set_fast());
    // The content-token count and the word signature (`core::signature`), so candidates
    // are bounded without reading their texts.
    let words = b.add_u64_field("words", NumericOptions::default().set_fast());
    // (Three values per column entry: `signature::pack`; named apart from the columns of
    // earlier indexes — one, then two values per entry — so those are rebuilt.)
    let signature = b.add_u64_field("signature_triples", NumericOptions::default().set_fast());
    // When the unit last changed (ms): ties in score go to the newer translation, and reading
    // this for every tied unit from SQLite cost a random page read each (BENCHMARKS.md).
    let updated = b.add_u64_field("updated", NumericOptions::default().set_fast());
    let text = Lang::ALL.map(|l| {
        b.add_text_field(
            &format!("text_{}", l.code()),
            TextOptions::default().set_stored(),
        )
    });
    let terms = Lang::ALL.map(|l| {
        // No positions: phrases are checked on the stored text ([`SearchIndex::phrase`]);
        // recording every word's position took the indexing thread time (5–6% of it in the
        // recorder alone) and the index 7% of its size.
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(&analyzer_name(l))
            .set_index_option(IndexRecordOption::WithFreqs);
        b.add_text_field(
            &format!("terms_{}", l.code()),
            TextOptions::default().set_indexing_options(indexing),
        )
    });
    (
        b.build(),
        Fields {
            tu_id,
            lang,
            lacks,
            hash,
            words,
            signature,
            updated,
            text,
            terms,
        },
    )
}

/// A stable hash of one variant's text, stored in the index so `check` can compare it with
/// SQLite without re-reading every text, and so candidates are grouped by text without reading
/// them. FNV-1a's step taken over eight bytes at a time, then mixed (the finaliser of
/// MurmurHash3's 64-bit variant); the length goes in first, so texts that differ only by
/// trailing zero bytes differ. Eight times fewer steps than byte-wise FNV, which an import
/// took for every variant. Changing it means renaming the `text_hash` field, so that indexes
/// holding the old hashes are rebuilt.
pub fn variant_hash(lang: Lang, text: &str) -> u64 {
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut step = |word: u64| h = (h ^ word).wrapping_mul(PRIME);
    step(lang.index() as u64);
    step(text.len() as u64);
    let mut chunks = text.as_bytes().chunks_exact(8);
    for chunk in &mut chunks {
        step(u64::from_le_bytes(chunk.try_into().expect("eight bytes")));
    }
    let mut last = [0u8; 8];
    last[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    step(u64::from_le_bytes(last));
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ h >> 33
}

/// Hits read per distinct text wanted when grouping candidates by text.
const HITS_PER_TEXT: usize = 4;

/// Hits kept when many tie with the last one wanted, as a multiple of the hits wanted: near
/// duplicates of one sentence tie by the hundred in a large archive (`top_hits`).
const TIED_HITS: usize = 4;

/// A candidate text for fuzzy matching and the units (among the top hits) whose variant in the
/// query's language has exactly this text; relevance is the best hit's. The text itself is
/// read only when asked for ([`Candidates::text`]): its word count and signature are enough to
/// bound its score.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// (last change in ms as the index has it, unit id) of each of those units.
    pub units: Vec<(i64, i64)>,
    pub relevance: f32,
    /// Content tokens of the text.
    pub words: usize,
    /// Its [`crate::core::signature`] values.
    pub signature: Vec<u64>,
    address: DocAddress,
}

/// Per segment of one searcher generation, the fast columns a candidate is made of: text
/// hash, unit id, updated, word count and signature. Opening a column looks its name up in the
/// segment's column directory, which was an eighth of a lookup's time at 1M units when done
/// per query (`perf record` of `werger bench`, BENCHMARKS.md eighth round); the columns are
/// opened once per generation and shared.
type CandidateColumns = Arc<Vec<[Column<u64>; 5]>>;

fn open_candidate_columns(searcher: &Searcher) -> Result<CandidateColumns, StoreError> {
    let mut out = Vec::with_capacity(searcher.segment_readers().len());
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        out.push([
            fast.u64("text_hash")?,
            fast.u64("tu_id")?,
            fast.u64("updated")?,
            fast.u64("words")?,
            fast.u64("signature_triples")?,
        ]);
    }
    Ok(Arc::new(out))
}

/// The candidates of one query, with the index snapshot their texts are read from.
pub struct Candidates {
    pub items: Vec<Candidate>,
    searcher: Searcher,
    field: Field,
}

impl Candidates {
    /// The candidate's text (from the index's document store).
    pub fn text(&self, candidate: &Candidate) -> Result<String, StoreError> {
        Ok(stored_text(
            &self.searcher.doc(candidate.address)?,
            self.field,
        ))
    }
}

/// A retrieved variant: the unit it belongs to, its text, and the engine's relevance.
#[derive(Debug, Clone)]
pub struct Hit {
    pub tu_id: i64,
    pub text: String,
    pub relevance: f32,
}

/// What catching up did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// The index contains everything up to this sequence.
    UpTo(i64),
    /// Another process holds tantivy's writer; it will apply the changes.
    WriterBusy,
}

pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    writer: Mutex<Option<IndexWriter>>,
    /// The change-log sequence the current searcher contains.
    visible: Mutex<i64>,
    visible_changed: Condvar,
    /// Per (source, target): the searcher generation counted, and whether every source variant
    /// has the target ([`SearchIndex::all_have`]).
    coverage: Mutex<HashMap<(Lang, Lang), (u64, bool)>>,
    /// The searcher generation whose candidate columns are open, and those columns.
    columns: Mutex<Option<(u64, CandidateColumns)>>,
    /// Why the index found on opening was removed (another schema, damaged files), if it was.
    recreated: Option<String>,
}

impl SearchIndex {
    /// Open the index in `dir`, creating it if needed. An index that cannot be opened (another
    /// schema, damaged files) is derived data: it is removed and rebuilt from SQLite.
    pub fn open(dir: &Path) -> Result<Self, StoreError> {
        let (schema, fields) = schema();
        std::fs::create_dir_all(dir)?;
        let mut recreated = None;
        let index = match open_index(dir, &schema) {
            Ok(index) => index,
            Err(err) => {
                recreated = Some(err.to_string());
                log::warn!(
                    "search index in {} cannot be opened ({err}); rebuilding it from the database",
                    dir.display()
                );
                std::fs::remove_dir_all(dir)?;
                std::fs::create_dir_all(dir)?;
                open_index(dir, &schema)?
            }
        };
        for lang in Lang::ALL {
            index
                .tokenizers()
                .register(&analyzer_name(lang), WergerTokenizer { lang });
        }
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            // Candidates' texts come from the doc store; decompressed blocks are kept so
            // near-duplicates asked for again (the same release, keystroke after keystroke)
            // are not decompressed again. 4,000 blocks of 4 KiB: about 16 MiB.
            .doc_store_cache_num_blocks(4000)
            .try_into()?;
        let this = SearchIndex {
            index,
            reader,
            fields,
            writer: Mutex::new(None),
            visible: Mutex::new(0),
            coverage: Mutex::default(),
            columns: Mutex::default(),
            visible_changed: Condvar::new(),
            recreated,
        };
        this.refresh()?;
        Ok(this)
    }

    /// The sequence recorded by the newest commit on disk.
    pub fn committed_seq(&self) -> Result<i64, StoreError> {
        Ok(self
            .index
            .load_metas()?
            .payload
            .and_then(|p| p.parse().ok())
            .unwrap_or(0))
    }

    /// The sequence the searcher currently sees.
    pub fn visible_seq(&self) -> i64 {
        *self.visible.lock().expect("visible poisoned")
    }

    /// Segments the index is made of.
    pub fn segments(&self) -> Result<usize, StoreError> {
        Ok(self.index.searchable_segment_ids()?.len())
    }

    /// Pick up commits made by this or another process.
    pub fn refresh(&self) -> Result<i64, StoreError> {
        let seq = self.committed_seq()?;
        self.reader.reload()?;
        let mut visible = self.visible.lock().expect("visible poisoned");
        if seq != *visible {
            *visible = seq;
            self.visible_changed.notify_all();
        }
        Ok(seq)
    }

    /// Wait until the searcher contains change `seq`, at most `timeout`; true if it does.
    pub fn wait_visible(&self, seq: i64, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        let mut visible = self.visible.lock().expect("visible poisoned");
        while *visible < seq {
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            visible = self
                .visible_changed
                .wait_timeout(visible, deadline - now)
                .expect("visible poisoned")
                .0;
        }
        true
    }

    /// Whether this process holds tantivy's writer (or can take it now).
    pub fn acquire_writer(&self) -> Result<bool, StoreError> {
        let mut guard = self.writer.lock().expect("writer poisoned");
        self.ensure_writer(&mut guard)
    }

    fn ensure_writer(&self, guard: &mut Option<IndexWriter>) -> Result<bool, StoreError> {
        if guard.is_some() {
            return Ok(true);
        }
        match self
            .index
            .writer_with_num_threads(INDEXING_THREADS, WRITER_BUDGET)
        {
            Ok(w) => {
                *guard = Some(w);
                Ok(true)
            }
            Err(TantivyError::LockFailure(LockError::LockBusy, _)) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// Release the writer so another process may take it.
    pub fn release_writer(&self) -> Result<(), StoreError> {
        if let Some(w) = self.writer.lock().expect("writer poisoned").take() {
            w.wait_merging_threads()?;
        }
        Ok(())
    }

    /// Apply every change of the log the index has not seen yet, in batches, each batch one
    /// commit carrying its last sequence. `progress` is told how many changes were applied.
    pub fn catch_up(&self, db: &Db, progress: impl FnMut(usize)) -> Result<Applied, StoreError> {
        let mut guard = self.writer.lock().expect("writer poisoned");
        if !self.ensure_writer(&mut guard)? {
            self.refresh()?;
            return Ok(Applied::WriterBusy);
        }
        let applied = self.apply_log(&mut guard, db, progress)?;
        drop(guard);
        self.refresh()?;
        Ok(Applied::UpTo(applied))
    }

    /// [`SearchIndex::catch_up`] with the writer already held; returns the sequence the index
    /// now contains.
    fn apply_log(
        &self,
        guard: &mut MutexGuard<'_, Option<IndexWriter>>,
        db: &Db,
        progress: impl FnMut(usize),
    ) -> Result<i64, StoreError> {
        let writer = guard.as_mut().expect("writer present");
        // Only a big catch-up (a rebuild) holds tantivy's merges back and merges into one
        // segment at the end; small ones leave merging to tantivy's policy, which looks at the
        // segments after each commit.
        let from = self.committed_seq()?;
        let big = db.max_seq()? - from >= MERGE_AFTER as i64;
        if !big {
            return Ok(self.apply_batches(writer, db, from, progress)?.0);
        }
        hold_merges(writer);
        let applied = self.apply_batches(writer, db, from, progress);
        let merged = match applied {
            Ok((_, units)) if units >= MERGE_AFTER => self.merge_in_background(writer),
            _ => Ok(()),
        };
        resume_merges(writer);
        merged?;
        Ok(applied?.0)
    }

    /// The batches of [`SearchIndex::apply_log`], from the index's sequence `from`: the
    /// sequence reached and the units applied.
    fn apply_batches(
        &self,
        writer: &mut IndexWriter,
        db: &Db,
        from: i64,
        mut progress: impl FnMut(usize),
    ) -> Result<(i64, usize), StoreError> {
        let mut applied = from;
        let mut units_applied = 0;
        loop {
            let changes = db.changes_after(applied, BATCH)?;
            let Some(last) = changes.last().map(|c| c.seq) else {
                break;
            };
            let ids: Vec<i64> = changes
                .iter()
                .map(|c| c.tu_id)
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            let units = db.units_by_ids(&ids)?;
            // Every delete before any add: a delete only removes documents added before it.
            for id in &ids {
                writer.delete_term(Term::from_field_u64(self.fields.tu_id, *id as u64));
            }
            for (id, stored) in ids.iter().filter_map(|id| Some((id, units.get(id)?))) {
                for doc in self.documents(*id, &stored.unit, stored.updated_ms) {
                    writer.add_document(doc)?;
                }
            }
            let mut commit = writer.prepare_commit()?;
            commit.set_payload(&last.to_string());
            commit.commit()?;
            progress(changes.len());
            units_applied += ids.len();
            applied = last;
        }
        Ok((applied, units_applied))
    }

    /// Start merging every segment into one on tantivy's merge thread and return at once
    /// (called while the merge policy is held back, so no merge of its own can take these
    /// segments away first): searches go on with the old segments and see the merged one when
    /// it is committed (the reader follows the index's meta file).
    /// [`SearchIndex::release_writer`] waits for it; a merge cut short leaves the old
    /// segments, which stay valid.
    fn merge_in_background(&self, writer: &mut IndexWriter) -> Result<(), StoreError> {
        let segments = self.index.searchable_segment_ids()?;
        if segments.len() > 1 {
            let merge = writer.merge(&segments);
            std::thread::spawn(move || {
                if let Err(err) = merge.wait() {
                    log::warn!("merging the index segments failed: {err}");
                }
            });
        }
        Ok(())
    }

    /// The index documents of unit `id`, one per variant: the text stored, and indexed through
    /// the analysis made here for the signature, handed to the tokenizer (see
    /// [`WergerTokenizer`]).
    fn documents(&self, id: i64, unit: &Unit, updated_ms: i64) -> Vec<TantivyDocument> {
        let lacks: Vec<&str> = Lang::ALL
            .iter()
            .filter(|l| unit.variant(**l).is_none())
            .map(|l| l.code())
            .collect();
        unit.variants
            .iter()
            .map(|v| {
                let mut doc = TantivyDocument::default();
                doc.add_u64(self.fields.tu_id, id as u64);
                doc.add_text(self.fields.lang, v.lang.code());
                for l in &lacks {
                    doc.add_text(self.fields.lacks, l);
                }
                doc.add_u64(self.fields.hash, variant_hash(v.lang, &v.text));
                doc.add_u64(self.fields.updated, indexed_date(updated_ms));
                let tokens = tokenize(v.lang, &v.text);
                let content = tokens.iter().filter(|t| t.kind != TokenKind::Punct);
                doc.add_u64(self.fields.words, content.clone().count() as u64);
                for word in signature::pack(&signature_of(v.lang, content)) {
                    doc.add_u64(self.fields.signature, word);
                }
                let ticket = hand_over(field_tokens(v.lang, &tokens));
                doc.add_text(self.fields.text[v.lang.index()], &v.text);
                doc.add_text(
                    self.fields.terms[v.lang.index()],
                    with_ticket(ticket, &v.text),
                );
                doc
            })
            .collect()
    }

    /// Take the writer for a bulk write (a TMX import: one SQLite transaction): the change log
    /// is applied first, then the caller adds each new unit's documents as it writes the unit
    /// and commits with the transaction's last sequence once SQLite has committed — so the
    /// analysis runs beside the database work instead of after it. `None` when another
    /// process holds the writer (that process's follower will index the import).
    pub fn bulk<'a>(&'a self, db: &Db) -> Result<Option<BulkIndex<'a>>, StoreError> {
        let mut guard = self.writer.lock().expect("writer poisoned");
        if !self.ensure_writer(&mut guard)? {
            return Ok(None);
        }
        let seq = self.apply_log(&mut guard, db, |_| {})?;
        hold_merges(guard.as_ref().expect("writer present"));
        Ok(Some(BulkIndex {
            index: self,
            guard,
            seq,
            added: Default::default(),
        }))
    }

    /// Merge every segment of the index into one; returns the number of segments before.
    /// A lookup pays per segment (term dictionary lookups, one union per segment), and after
    /// a large import the merge policy leaves a dozen segments behind. `Ok(None)` when another
    /// process holds the writer.
    pub fn compact(&self) -> Result<Option<usize>, StoreError> {
        let mut guard = self.writer.lock().expect("writer poisoned");
        if !self.ensure_writer(&mut guard)? {
            return Ok(None);
        }
        let writer = guard.as_mut().expect("writer present");
        let segments = self.index.searchable_segment_ids()?;
        if segments.len() > 1 {
            writer.merge(&segments).wait()?;
            writer.garbage_collect_files().wait()?;
        }
        drop(guard);
        self.refresh()?;
        Ok(Some(segments.len()))
    }

    /// Read every page of the index's files through tantivy's own memory maps; returns the
    /// bytes read. A server does this once after opening, in the background: its first lookups
    /// then do not wait for the disk, and pages it holds mapped are not among those a host that
    /// reclaims idle page cache takes back. (On this project's benchmark machine, cached but
    /// unmapped file pages are reclaimed after about a minute unused; a lookup in a 1M-unit
    /// memory then waited 20–40 ms on reads — BENCHMARKS.md, third round. Search engines offer
    /// the same, e.g. Elasticsearch's `index.store.preload`.)
    pub fn preload(&self) -> Result<u64, StoreError> {
        // The searcher keeps the segments, and so their maps, alive while they are read.
        let _searcher = self.reader.searcher();
        let directory = self.index.directory();
        let mut read = 0u64;
        let mut sum = 0u8;
        let components = [
            SegmentComponent::Terms,
            SegmentComponent::Postings,
            SegmentComponent::Positions,
            SegmentComponent::FieldNorms,
            SegmentComponent::FastFields,
            SegmentComponent::Store,
        ];
        for meta in self.index.searchable_segment_metas()? {
            for component in &components {
                let path = meta.relative_path(component.clone());
                // A segment without a component (no positions, say) simply has no file.
                let Ok(slice) = directory.open_read(&path) else {
                    continue;
                };
                let bytes = slice.read_bytes()?;
                for page in bytes.as_slice().chunks(4096) {
                    sum ^= page[0];
                }
                read += bytes.len() as u64;
            }
        }
        std::hint::black_box(sum);
        Ok(read)
    }

    /// Empty the index and commit with sequence 0, so the next catch-up rebuilds everything.
    pub fn clear(&self) -> Result<bool, StoreError> {
        let mut guard = self.writer.lock().expect("writer poisoned");
        if !self.ensure_writer(&mut guard)? {
            return Ok(false);
        }
        let writer = guard.as_mut().expect("writer present");
        writer.delete_all_documents()?;
        let mut commit = writer.prepare_commit()?;
        commit.set_payload("0");
        commit.commit()?;
        drop(guard);
        self.refresh()?;
        Ok(true)
    }

    /// Candidates for fuzzy matching: variants in `source` of units that also have `target`,
    /// sharing at least one word or number with the query, best BM25 first — up to `limit`
    /// distinct texts (`2 × limit` from `LARGE_MEMORY` variants of `source` on). `signature`
    /// is the query's own (the caller bounds the candidates with it too, so it is built once).
    pub fn candidates(
        &self,
        source: Lang,
        target: Lang,
        query: &Analyzed,
        signature: &QuerySignature,
        limit: usize,
    ) -> Result<Candidates, StoreError> {
        let field = self.fields.text[source.index()];
        let terms_field = self.fields.terms[source.index()];
        let words = query_words(source, query);
        if words.is_empty() {
            return Ok(Candidates {
                items: Vec::new(),
                searcher: self.reader.searcher(),
                field,
            });
        }
        // In a large memory, words in more than `COMMON_SHARE` of the language's variants
        // ("the", "و", "لە") barely change BM25 but make the disjunction walk most of the
        // index; they are left out while at least `MIN_WORDS` rarer ones remain. A word is kept
        // or left out with all its terms: keeping only its rarer form (say "=trial" but not the
        // "trial" of "trials") ranked documents by the form they happened to use.
        let searcher = self.reader.searcher();
        let in_language = searcher
            .doc_freq(&Term::from_field_text(self.fields.lang, source.code()))?
            .max(1);
        let mut counted: Vec<(u64, Vec<(Term, f32)>)> = Vec::with_capacity(words.len());
        for word in words {
            let mut df = 0;
            let mut terms = Vec::with_capacity(word.len());
            for (text, weight) in word {
                let term = Term::from_field_text(terms_field, &text);
                match searcher.doc_freq(&term)? {
                    0 => {}
                    n => {
                        df += n;
                        terms.push((term, weight));
                    }
                }
            }
            if df > 0 {
                counted.push((df, terms));
            }
        }
        counted.sort_by_key(|(df, _)| *df);
        let keep = words_kept(
            &counted.iter().map(|(df, _)| *df).collect::<Vec<_>>(),
            in_language,
        );
        counted.truncate(keep);
        // A term two kept words share (a Kurmanji loose key that is another word's stem)
        // counts once, with the higher weight.
        let mut terms: BTreeMap<Term, f32> = BTreeMap::new();
        for (term, weight) in counted.into_iter().flat_map(|(_, t)| t) {
            let w = terms.entry(term).or_default();
            *w = w.max(weight);
        }
        let words: Vec<(Occur, Box<dyn Query>)> = terms
            .into_iter()
            .map(|(t, weight)| {
                let q: Box<dyn Query> = Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs));
                let q: Box<dyn Query> = if weight > 1.0 {
                    Box::new(BoostQuery::new(q, weight))
                } else {
                    q
                };
                (Occur::Should, q)
            })
            .collect();
        // A flat disjunction of term queries, weighted as above. The filter on the target
        // language is only added when some units of the source language lack it. (`search`
        // wraps the disjunction in a one-clause boolean query, so tantivy walks the union
        // rather than block-max WAND; handing it the bare disjunction was measured at 1M and
        // was slower — p50 16 → 21 ms, HTTP throughput 232 → 82 req/s — so the wrapper stays.)
        let filter = (!self.all_have(source, target)?).then_some(target);
        let limit = if in_language >= LARGE_MEMORY {
            2 * limit
        } else {
            limit
        };
        self.grouped(
            Box::new(BooleanQuery::new(words)),
            signature,
            source,
            filter,
            limit,
        )
    }

    /// The best hits of `text_query` (see [`SearchIndex::search`]) grouped by text: up to
    /// `limit` distinct texts, each with every unit among the top hits that has it. A press
    /// archive holds the same sentence many times (a standard paragraph, a statement
    /// re-issued); counted one by one, a few such texts filled the whole candidate list and the
    /// best fuzzy match — a different wording — was crowded out. Hits are grouped by the
    /// text hash, read from a fast field without touching the stored texts, and only one text
    /// per group is read, when the caller asks for it.
    fn grouped(
        &self,
        text_query: Box<dyn Query>,
        signature: &QuerySignature,
        source: Lang,
        target: Option<Lang>,
        limit: usize,
    ) -> Result<Candidates, StoreError> {
        let searcher = self.reader.searcher();
        let mut top = searcher.search(
            &with_filter(&self.fields, text_query, target),
            &TopWithTies {
                limit: limit * HITS_PER_TEXT,
                cap: limit * HITS_PER_TEXT * TIED_HITS,
            },
        )?;
        let columns = self.candidate_columns(&searcher)?;
        // Each hit's text hash, read once and kept beside it while the tied run is reordered.
        let mut hashes: Vec<Option<u64>> = top
            .iter()
            .map(|(_, address)| columns[address.segment_ord as usize][0].first(address.doc_id))
            .collect();
        // Hits tied in relevance where the `limit`-th distinct text falls: some get in, some
        // not. Those whose words could score best against the query (their signature bound)
        // go first, then by text hash — what they contain decides, never the document order.
        let mut seen: HashSet<u64> = HashSet::with_capacity(limit);
        let mut at_cut = None;
        for (i, (hash, (relevance, _))) in hashes.iter().zip(&top).enumerate() {
            if hash.is_some_and(|h| seen.insert(h)) && seen.len() == limit {
                at_cut = Some((i, *relevance));
                break;
            }
        }
        if let Some((at, relevance)) = at_cut {
            let from = top[..at].partition_point(|h| h.0 > relevance);
            let to = at + top[at..].partition_point(|h| h.0 >= relevance);
            if to - from > 1 {
                let mut keyed = Vec::with_capacity(to - from);
                for (&hash, &(relevance, address)) in hashes[from..to].iter().zip(&top[from..to]) {
                    let [_, _, _, words, signatures] = &columns[address.segment_ord as usize];
                    let bound = signature.bound(
                        words.first(address.doc_id).unwrap_or(0) as usize,
                        signature::unpack(signatures.values_for_doc(address.doc_id)),
                    );
                    keyed.push((std::cmp::Reverse(bound), hash, (relevance, address)));
                }
                keyed.sort_unstable_by_key(|k| (k.0, k.1));
                for ((slot, hash_slot), (_, hash, hit)) in top[from..to]
                    .iter_mut()
                    .zip(&mut hashes[from..to])
                    .zip(keyed)
                {
                    *slot = hit;
                    *hash_slot = hash;
                }
            }
        }
        let mut groups: Vec<Candidate> = Vec::new();
        let mut by_hash: HashMap<u64, usize> = HashMap::new();
        for (hash, (relevance, address)) in hashes.into_iter().zip(top) {
            let [_, ids, updated, words, signatures] = &columns[address.segment_ord as usize];
            let (Some(hash), Some(tu_id)) = (hash, ids.first(address.doc_id)) else {
                continue;
            };
            let unit = (
                updated.first(address.doc_id).unwrap_or(0) as i64,
                tu_id as i64,
            );
            match by_hash.get(&hash) {
                Some(&at) => groups[at].units.push(unit),
                None if groups.len() < limit => {
                    by_hash.insert(hash, groups.len());
                    groups.push(Candidate {
                        units: vec![unit],
                        relevance,
                        words: words.first(address.doc_id).unwrap_or(0) as usize,
                        signature: signature::unpack(signatures.values_for_doc(address.doc_id))
                            .collect(),
                        address,
                    });
                }
                None => {}
            }
        }
        Ok(Candidates {
            items: groups,
            searcher,
            field: self.fields.text[source.index()],
        })
    }

    /// The candidate columns of `searcher`'s segments, opened once per searcher generation.
    fn candidate_columns(&self, searcher: &Searcher) -> Result<CandidateColumns, StoreError> {
        let generation = searcher.generation().generation_id();
        let mut cached = self.columns.lock().expect("columns");
        if let Some((g, columns)) = cached.as_ref() {
            if *g == generation {
                return Ok(Arc::clone(columns));
            }
        }
        let columns = open_candidate_columns(searcher)?;
        *cached = Some((generation, Arc::clone(&columns)));
        Ok(columns)
    }

    /// Whether every indexed variant in `source` belongs to a unit that has `target`, i.e.
    /// whether the target-language filter would remove nothing. Counted once per searcher
    /// generation (the index changes only when a commit is reloaded).
    fn all_have(&self, source: Lang, target: Lang) -> Result<bool, StoreError> {
        let searcher = self.reader.searcher();
        let generation = searcher.generation().generation_id();
        let key = (source, target);
        if let Some(&(g, all)) = self.coverage.lock().expect("coverage").get(&key) {
            if g == generation {
                return Ok(all);
            }
        }
        let in_source = TermQuery::new(
            Term::from_field_text(self.fields.lang, source.code()),
            IndexRecordOption::Basic,
        );
        let without_target = BooleanQuery::new(vec![
            (Occur::Must, Box::new(in_source) as Box<dyn Query>),
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(self.fields.lacks, target.code()),
                    IndexRecordOption::Basic,
                )),
            ),
        ]);
        let all = searcher.search(&without_target, &tantivy::collector::Count)? == 0;
        self.coverage
            .lock()
            .expect("coverage")
            .insert(key, (generation, all));
        Ok(all)
    }

    /// Variants in `source` containing the query's words as a phrase (a single word: that word),
    /// best BM25 first. The index keeps no word positions (see [`schema`]), so variants with
    /// every word are searched for and the phrase is checked on each one's stored text; when too
    /// few pass, more are read, up to `PHRASE_CHECKED` of them.
    pub fn phrase(
        &self,
        source: Lang,
        target: Option<Lang>,
        query: &Analyzed,
        limit: usize,
    ) -> Result<Vec<Hit>, StoreError> {
        let field = self.fields.terms[source.index()];
        let terms: BTreeSet<Term> = query
            .content()
            .map(|t| Term::from_field_text(field, &word_term(t)))
            .collect();
        if terms.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        // A single word that is its own stem is its term (`=key`): every hit has it. Any
        // other phrase is checked on the text — an inflected word's term is its stem, which
        // its other inflections share.
        let mut content = query.content();
        let one_word = match (content.next(), content.next()) {
            (Some(t), None) => t.key == t.stem,
            _ => false,
        };
        let mut read = (4 * limit).max(32);
        loop {
            let every_word = terms
                .iter()
                .map(|t| {
                    let q: Box<dyn Query> =
                        Box::new(TermQuery::new(t.clone(), IndexRecordOption::WithFreqs));
                    (Occur::Must, q)
                })
                .collect();
            let hits = self.search(
                Box::new(BooleanQuery::new(every_word)),
                source,
                target,
                read,
            )?;
            let all_read = hits.len() < read || read >= PHRASE_CHECKED;
            let found: Vec<Hit> = hits
                .into_iter()
                .filter(|h| {
                    one_word || !find_phrase(query, &Analyzed::new(source, &*h.text)).is_empty()
                })
                .take(limit)
                .collect();
            if found.len() == limit || all_read {
                return Ok(found);
            }
            read = (read * 4).min(PHRASE_CHECKED);
        }
    }

    fn search(
        &self,
        text_query: Box<dyn Query>,
        source: Lang,
        target: Option<Lang>,
        limit: usize,
    ) -> Result<Vec<Hit>, StoreError> {
        let searcher = self.reader.searcher();
        let top = searcher.search(
            &with_filter(&self.fields, text_query, target),
            &TopDocs::with_limit(limit).order_by_score(),
        )?;
        let field = self.fields.text[source.index()];
        let mut ids: HashMap<u32, Column<u64>> = HashMap::new();
        let mut hits = Vec::with_capacity(top.len());
        for (relevance, address) in top {
            let column = match ids.entry(address.segment_ord) {
                Entry::Occupied(e) => e.into_mut(),
                Entry::Vacant(e) => e.insert(
                    searcher
                        .segment_reader(address.segment_ord)
                        .fast_fields()
                        .u64("tu_id")?,
                ),
            };
            let tu_id = column.first(address.doc_id).unwrap_or_default() as i64;
            let text = stored_text(&searcher.doc(address)?, field);
            hits.push(Hit {
                tu_id,
                text,
                relevance,
            });
        }
        Ok(hits)
    }

    /// Every indexed variant with its unit's date, for `check`.
    pub fn indexed_variants(&self) -> Result<HashMap<IndexedVariant, u64>, StoreError> {
        let searcher = self.reader.searcher();
        let mut out = HashMap::new();
        for segment in searcher.segment_readers() {
            let store = segment.get_store_reader(16)?;
            let fast = segment.fast_fields();
            let (ids, hashes, updated) = (
                fast.u64("tu_id")?,
                fast.u64("text_hash")?,
                fast.u64("updated")?,
            );
            for doc_id in segment.doc_ids_alive() {
                let doc: TantivyDocument = store.get(doc_id)?;
                // Its language: the one text field it has.
                let lang = Lang::ALL
                    .into_iter()
                    .find(|l| doc.get_first(self.fields.text[l.index()]).is_some());
                match (
                    ids.first(doc_id),
                    lang,
                    hashes.first(doc_id),
                    updated.first(doc_id),
                ) {
                    (Some(id), Some(lang), Some(hash), Some(updated)) => {
                        out.insert((id as i64, lang, hash), updated);
                    }
                    _ => {
                        return Err(StoreError::Corrupt(format!(
                            "index document {doc_id} lacks its id, language, hash or date"
                        )))
                    }
                }
            }
        }
        Ok(out)
    }

    /// Why the index found when this one was opened was removed (written with another schema
    /// by an older version, or damaged), if it was: it is rebuilt from SQLite by the next
    /// catch-up.
    pub fn recreated(&self) -> Option<&str> {
        self.recreated.as_deref()
    }

    /// Number of indexed variants.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }
}

/// An indexed variant as `check` finds it in the database: unit id, language and text hash
/// ([`variant_hash`]). [`SearchIndex::indexed_variants`] maps each to the unit's last change as
/// indexed ([`indexed_date`]).
pub type IndexedVariant = (i64, Lang, u64);

/// A unit's last change (ms) as its documents hold it: the fast field is unsigned, so a date
/// before 1970 is kept as 0.
pub fn indexed_date(updated_ms: i64) -> u64 {
    updated_ms.max(0) as u64
}

/// tantivy's writer held for one bulk write; see [`SearchIndex::bulk`]. Dropping it without
/// [`BulkIndex::commit`] leaves the added documents uncommitted until the next commit — use
/// [`BulkIndex::rollback`] when the write failed.
pub struct BulkIndex<'a> {
    index: &'a SearchIndex,
    guard: MutexGuard<'a, Option<IndexWriter>>,
    seq: i64,
    /// Units added so far.
    added: std::sync::atomic::AtomicUsize,
}

impl BulkIndex<'_> {
    /// The change-log sequence the index contained when the bulk write began: the write may
    /// feed the index only if the database's log ends there too.
    pub fn seq(&self) -> i64 {
        self.seq
    }

    /// Add the documents of new unit `id` (an id the index has never seen: no delete needed).
    /// Callable from another thread while the writing thread goes on.
    pub fn add(&self, id: i64, unit: &Unit, updated_ms: i64) -> Result<(), StoreError> {
        let writer = self.guard.as_ref().expect("writer present");
        for doc in self.index.documents(id, unit, updated_ms) {
            writer.add_document(doc)?;
        }
        self.added
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }

    /// Commit what was added as containing the change log up to `seq`, and make it visible.
    pub fn commit(mut self, seq: i64) -> Result<(), StoreError> {
        let writer = self.guard.as_mut().expect("writer present");
        let big = self.added.into_inner() >= MERGE_AFTER;
        if !big {
            // A small write: tantivy's policy looks at the segments after this commit, as
            // after any other.
            resume_merges(writer);
        }
        let mut commit = writer.prepare_commit()?;
        commit.set_payload(&seq.to_string());
        commit.commit()?;
        if big {
            self.index.merge_in_background(writer)?;
            resume_merges(writer);
        }
        drop(self.guard);
        self.index.refresh()?;
        Ok(())
    }

    /// Drop everything added since the bulk write began.
    pub fn rollback(mut self) -> Result<(), StoreError> {
        let writer = self.guard.as_mut().expect("writer present");
        resume_merges(writer);
        writer.rollback()?;
        Ok(())
    }
}

/// Hold back tantivy's own merges during a big write: they would compete for the two cores
/// while it runs, and take segments away from the merge into one that may follow it.
fn hold_merges(writer: &IndexWriter) {
    writer.set_merge_policy(Box::new(NoMergePolicy));
}

/// Let tantivy's merge policy run again (after any merge into one has started).
fn resume_merges(writer: &IndexWriter) {
    writer.set_merge_policy(Box::new(LogMergePolicy::default()));
}

/// The text a stored document holds in `field` (empty if none).
fn stored_text(doc: &TantivyDocument, field: Field) -> String {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string()
}

/// `text_query` as the one clause of a boolean query, with the target-language filter when
/// there is one. (Even without a filter the disjunction stays wrapped: tantivy then walks the
/// union instead of using block-max WAND, which measured faster on these queries — see
/// [`SearchIndex::candidates`].)
fn with_filter(fields: &Fields, text_query: Box<dyn Query>, target: Option<Lang>) -> BooleanQuery {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text_query)];
    if let Some(target) = target {
        let lacking = TermQuery::new(
            Term::from_field_text(fields.lacks, target.code()),
            IndexRecordOption::Basic,
        );
        clauses.push((Occur::MustNot, Box::new(lacking)));
    }
    BooleanQuery::new(clauses)
}

fn open_index(dir: &Path, schema: &Schema) -> Result<Index, StoreError> {
    let directory = MmapDirectory::open(dir).map_err(|e| StoreError::Index(e.to_string()))?;
    // Each candidate text read decompresses the doc-store block that holds it, and the
    // candidates of a lookup lie in as many blocks as there are candidates (near-duplicates
    // are spread over the archive): blocks of 4 KiB instead of tantivy's 16 KiB make each
    // read a quarter of the work. (An existing index keeps the block size it was made with.)
    let settings = IndexSettings {
        docstore_blocksize: DOCSTORE_BLOCK,
        ..IndexSettings::default()
    };
    Ok(Index::builder()
        .schema(schema.clone())
        .settings(settings)
        .open_or_create(directory)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(mut stream: WergerTokenStream) -> Vec<String> {
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    /// Each Kurmanji word's terms: its stem when it is inflected, else `=key` (as phrases ask
    /// for them with `word_term`), and its loose key when that is not the stem — as the query
    /// side builds them with `loose_key`.
    #[test]
    fn kurmanji_terms_hold_the_loose_key_where_it_differs() {
        let text = "Hêzên pêşmerge çûn ser";
        let tokens = tokenize(Lang::Kmr, text);
        let mut expected = Vec::new();
        for t in &tokens {
            expected.push(word_term(t));
            if let Some(loose) = loose_key(Lang::Kmr, t).filter(|l| *l != t.stem) {
                expected.push(loose.to_string());
            }
        }
        let got = terms(field_tokens(Lang::Kmr, &tokens));
        assert_eq!(got, expected);
        assert!(got.contains(&"hezen".to_string()), "{got:?}");
        assert!(
            !got.iter().any(|t| t == "=hêzên"),
            "an inflected word is indexed by its stem alone: {got:?}"
        );
        assert!(
            !got.contains(&"ser".to_string()),
            "plain word: only =ser: {got:?}"
        );
    }

    /// A query word asks for both forms a document may hold it in; its very form weighs 2
    /// only when it is its own stem; words sharing a stem are one; a Kurmanji loose key joins
    /// its word.
    #[test]
    fn query_words_ask_for_every_form_a_document_may_hold() {
        let words = |lang, text| query_words(lang, &Analyzed::new(lang, text));
        let pairs = |terms: &[(&str, f32)]| -> Vec<(String, f32)> {
            terms.iter().map(|&(t, w)| (t.to_string(), w)).collect()
        };
        assert_eq!(
            words(Lang::En, "run running"),
            vec![pairs(&[("=run", 2.0), ("run", 1.0)])]
        );
        assert_eq!(
            words(Lang::En, "running"),
            vec![pairs(&[("=run", 1.0), ("run", 1.0)])]
        );
        assert_eq!(words(Lang::En, "12 12").len(), 1);
        let hezen = &tokenize(Lang::Kmr, "hêzên")[0];
        let stem = hezen.stem.to_string();
        assert_ne!(stem, "hezen");
        assert_eq!(
            words(Lang::Kmr, "hêzên"),
            vec![pairs(&[
                (&exact_term(&stem), 1.0),
                (&stem, 1.0),
                ("=hezen", 1.0),
                ("hezen", 1.0)
            ])]
        );
        assert!(words(Lang::En, " , . ").is_empty());
    }

    /// Small memories keep every word; large ones stop at a common word or where the postings
    /// overrun the budget, keeping at least `MIN_WORDS`.
    #[test]
    fn words_are_kept_rarest_first_within_the_budget() {
        let large = 1_000_000;
        assert_eq!(words_kept(&[10, 900_000, 900_000], PRUNE_FROM - 1), 3);
        assert_eq!(words_kept(&[10, 900_000, 900_000], large), MIN_WORDS);
        let rare = POSTINGS_BUDGET / 4;
        assert_eq!(words_kept(&[rare, rare, rare, rare, rare, 1], large), 4);
        assert_eq!(words_kept(&[100, 200, 300], large), 3);
        assert_eq!(words_kept(&[POSTINGS_BUDGET + 1], large), 1);
        assert_eq!(words_kept(&[], large), 0);
    }

    /// Texts that differ anywhere — in one byte, by a trailing zero, across the eight-byte
    /// chunks, in language — hash apart; equal ones alike.
    #[test]
    fn variant_hashes_tell_near_texts_apart() {
        let mut texts = vec![String::new(), "a".into(), "a\0".into(), "\0a".into()];
        for n in 6..=17 {
            texts.push("x".repeat(n));
            texts.push(format!("{}y", "x".repeat(n - 1)));
        }
        texts.push("لە هەولێر".into());
        texts.push("لە هەولێر ".into());
        let mut seen = std::collections::HashSet::new();
        for text in &texts {
            for lang in Lang::ALL {
                assert!(seen.insert(variant_hash(lang, text)), "{lang} {text:?}");
                assert_eq!(variant_hash(lang, text), variant_hash(lang, &text.clone()));
            }
        }
    }

    /// The tokenizer takes handed-over terms by ticket, once; without them (or without a
    /// ticket) it analyses the text, with the same result.
    #[test]
    fn the_tokenizer_takes_handed_over_terms_or_analyses_the_text() {
        let text = "Ministers were running";
        let analysed = || field_tokens(Lang::En, &tokenize(Lang::En, text));
        let expected = terms(analysed());
        assert_eq!(expected, ["minist", "=were", "run"]);
        let mut tokenizer = WergerTokenizer { lang: Lang::En };
        let ticket = hand_over(analysed());
        let value = with_ticket(ticket, text);
        assert_eq!(from_ticket(&value), (Some(ticket), text));
        assert!(HANDOFF.lock().unwrap().contains_key(&ticket));
        assert_eq!(terms(tokenizer.token_stream(&value)), expected);
        assert!(!HANDOFF.lock().unwrap().contains_key(&ticket));
        assert_eq!(terms(tokenizer.token_stream(&value)), expected);
        assert_eq!(from_ticket(text), (None, text));
        assert_eq!(terms(tokenizer.token_stream(text)), expected);
    }
}
