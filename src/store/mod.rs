//! Storage: SQLite as the system of record, tantivy as the derived search index, and the change
//! log between them.
//!
//! A data directory holds `werger.sqlite3` and `tantivy/`. Writes go to SQLite only; whichever
//! process holds tantivy's single writer applies the change log to the index
//! ([`SearchIndex::catch_up`]). Because each tantivy commit records the last sequence it
//! contains, a crash at any moment is repaired by replaying from that sequence.

pub mod db;
pub mod glossary;
pub mod search;
mod top_hits;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

pub use db::{Db, StoredUnit, WriteTx};
pub use search::{Applied, BulkIndex, Candidate, Candidates, Hit, SearchIndex};

use crate::core::lang::Lang;
use crate::core::unit::Unit;

/// Errors of the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("search index: {0}")]
    Index(String),
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
    #[error("stored JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("inconsistent data: {0}")]
    Corrupt(String),
}

impl From<tantivy::TantivyError> for StoreError {
    fn from(e: tantivy::TantivyError) -> Self {
        StoreError::Index(e.to_string())
    }
}

impl StoreError {
    /// SQLite gave up waiting for another writer (e.g. a long import in another process).
    pub fn is_busy(&self) -> bool {
        matches!(self, StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::DatabaseBusy || e.code == rusqlite::ErrorCode::DatabaseLocked)
    }
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

/// Units queued between a bulk write and its indexing thread.
const FEED_QUEUE: usize = 1024;

/// Where a bulk write hands the units it inserted, for indexing on another thread (see
/// [`Store::write_indexed`]).
pub struct IndexFeed {
    sender: Option<mpsc::SyncSender<(i64, Unit, i64)>>,
    /// The transaction's time: the new units' `updated_ms`.
    updated_ms: i64,
}

impl IndexFeed {
    /// Index new unit `id` (just inserted in this transaction).
    pub fn add(&self, id: i64, unit: Unit) {
        if let Some(sender) = &self.sender {
            // A closed queue means the indexer failed; the change log will redo its work.
            let _ = sender.send((id, unit, self.updated_ms));
        }
    }
}

/// A data directory opened: the database, the index, and (in a server) the thread that keeps
/// the index following the change log.
pub struct Store {
    pub dir: PathBuf,
    pub db: Db,
    pub index: SearchIndex,
    /// Set once the index has caught up with the log present at start-up.
    ready: AtomicBool,
    wake: Mutex<Option<Sender<()>>>,
    follower: Mutex<Option<JoinHandle<()>>>,
}

/// What `check` found.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CheckReport {
    pub units: i64,
    pub variants: usize,
    pub indexed: usize,
    pub db_seq: i64,
    pub index_seq: i64,
    pub problems: Vec<String>,
}

impl Store {
    pub fn open(dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(dir)?;
        let db = Db::open(&dir.join("werger.sqlite3"))?;
        let index = SearchIndex::open(&dir.join("tantivy"))?;
        Ok(Store {
            dir: dir.to_path_buf(),
            db,
            index,
            ready: AtomicBool::new(false),
            wake: Mutex::new(None),
            follower: Mutex::new(None),
        })
    }

    pub fn is_ready(&self) -> bool {
        self.ready.load(Ordering::Acquire)
    }

    /// Start the thread that applies the change log to the index: at once (the start-up
    /// replay), after every local write, and every `poll` for writes of other processes.
    pub fn start_follower(self: &Arc<Self>, poll: Duration) {
        let (tx, rx) = mpsc::channel::<()>();
        *self.wake.lock().expect("wake poisoned") = Some(tx);
        let store = Arc::downgrade(self);
        let handle = std::thread::Builder::new()
            .name("index-follower".into())
            .spawn(move || loop {
                let Some(store) = store.upgrade() else { return };
                match store.index.catch_up(&store.db, |_| {}) {
                    Ok(Applied::UpTo(_)) => store.ready.store(true, Ordering::Release),
                    Ok(Applied::WriterBusy) => {
                        // Another process is indexing; we are ready once we see its commits.
                        if let (Ok(seen), Ok(max)) = (store.index.refresh(), store.db.max_seq()) {
                            if seen >= max {
                                store.ready.store(true, Ordering::Release);
                            }
                        }
                    }
                    Err(e) => log::error!("applying the change log to the index failed: {e}"),
                }
                drop(store);
                match rx.recv_timeout(poll) {
                    Ok(()) | Err(RecvTimeoutError::Timeout) => while rx.try_recv().is_ok() {},
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            })
            .expect("spawn index follower");
        *self.follower.lock().expect("follower poisoned") = Some(handle);
    }

    /// Read the search index's files into memory (see [`SearchIndex::preload`]); returns the
    /// bytes read.
    pub fn preload_index(&self) -> Result<u64, StoreError> {
        self.index.preload()
    }

    /// Stop the follower thread and release tantivy's writer.
    pub fn shutdown(&self) -> Result<(), StoreError> {
        self.wake.lock().expect("wake poisoned").take();
        if let Some(handle) = self.follower.lock().expect("follower poisoned").take() {
            // The follower may itself drop the last handle to the store; it cannot join itself.
            if handle.thread().id() != std::thread::current().id() {
                let _ = handle.join();
            }
        }
        self.db.wait_checkpoint();
        self.index.release_writer()
    }

    /// [`Db::write`] for bulk writes of new units (imports): `f` hands each unit it inserts to
    /// the [`IndexFeed`], and a second thread analyses and indexes it while `f` goes on with
    /// the database. The index commit carries the transaction's last sequence and happens only
    /// after SQLite has committed; if the write fails the index's additions are rolled back.
    /// When the feed cannot be used (another process holds the index writer, or the log moved
    /// since the index last caught up) it ignores what it is given and the change log brings
    /// the index up to date afterwards, as for any write. Either way the caller then waits for
    /// the index as after [`Db::write`].
    pub fn write_indexed<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&mut WriteTx, &IndexFeed) -> Result<T, E>,
    ) -> Result<(T, i64), E> {
        let Some(bulk) = self.index.bulk(&self.db)? else {
            return self.db.write_bulk(|tx| {
                let feed = IndexFeed {
                    sender: None,
                    updated_ms: tx.now(),
                };
                f(tx, &feed)
            });
        };
        let (sender, receiver) = mpsc::sync_channel::<(i64, Unit, i64)>(FEED_QUEUE);
        let (result, fed) = std::thread::scope(|scope| {
            let bulk = &bulk;
            let indexer = scope.spawn(move || -> Result<bool, StoreError> {
                crate::core::tokenize::use_large_word_cache();
                let mut any = false;
                for (id, unit, updated_ms) in receiver {
                    bulk.add(id, &unit, updated_ms)?;
                    any = true;
                }
                Ok(any)
            });
            let result = self.db.write_bulk(|tx| {
                // Only when the index holds exactly the log up to here may the new units go
                // straight in: the commit will claim everything up to the transaction's end.
                let feed = IndexFeed {
                    sender: (tx.log_end()? == bulk.seq()).then_some(sender),
                    updated_ms: tx.now(),
                };
                f(tx, &feed)
            });
            (result, indexer.join().expect("indexing thread panicked"))
        });
        match (&result, fed) {
            (Ok((_, seq)), Ok(true)) => bulk.commit(*seq)?,
            (_, Err(e)) => {
                log::warn!("indexing during the write failed ({e}); the change log will redo it");
                bulk.rollback()?;
            }
            _ => bulk.rollback()?,
        }
        result
    }

    /// Tell the follower there is something new; without a follower (CLI), apply it here.
    pub fn changed(&self) -> Result<Applied, StoreError> {
        if let Some(tx) = self.wake.lock().expect("wake poisoned").as_ref() {
            let _ = tx.send(());
            return Ok(Applied::UpTo(self.index.visible_seq()));
        }
        self.index.catch_up(&self.db, |_| {})
    }

    /// Wait until the index contains change `seq` (e.g. before answering an import, so the
    /// caller's next query sees it). True if it does within `timeout`.
    pub fn wait_indexed(&self, seq: i64, timeout: Duration) -> bool {
        seq <= 0 || self.index.wait_visible(seq, timeout)
    }

    /// Compare the store with the index: every variant indexed once with the same text, nothing
    /// else indexed, and the index's sequence equal to the log's.
    pub fn check(&self) -> Result<CheckReport, StoreError> {
        let index_seq = self.index.refresh()?;
        let mut report = CheckReport {
            index_seq,
            db_seq: self.db.max_seq()?,
            units: self.db.count_units()?,
            ..CheckReport::default()
        };
        report.problems.extend(
            self.db
                .integrity_check()?
                .into_iter()
                .map(|p| format!("SQLite: {p}")),
        );
        if let Some(why) = self
            .index
            .recreated()
            .filter(|_| report.index_seq < report.db_seq)
        {
            report.problems.push(format!(
                "the search index was written by another version of Werger or is damaged \
                 ({why}); it was emptied, and `werger reindex` (or starting `werger serve`) \
                 rebuilds it from the database"
            ));
        }
        if report.index_seq != report.db_seq {
            report.problems.push(format!(
                "the index contains the change log up to {} but the database is at {}",
                report.index_seq, report.db_seq
            ));
        }
        let mut indexed = self.index.indexed_variants()?;
        report.indexed = indexed.len();
        let indexed_docs = self.index.num_docs() as usize;
        if indexed_docs != indexed.len() {
            report.problems.push(format!(
                "{} index documents but {} distinct variants",
                indexed_docs,
                indexed.len()
            ));
        }
        let mut missing = Vec::new();
        let mut dated = Vec::new();
        self.db.for_each_variant(|id, lang, text, updated_ms| {
            report.variants += 1;
            match indexed.remove(&(id, lang, search::variant_hash(lang, text))) {
                None => missing.push((id, lang)),
                Some(date) if date != search::indexed_date(updated_ms) => dated.push((id, lang)),
                Some(_) => {}
            }
        })?;
        dated.sort();
        let mut extra: Vec<(i64, Lang)> = indexed
            .into_iter()
            .map(|((id, lang, _), _)| (id, lang))
            .collect();
        extra.sort();
        list_some(
            &mut report.problems,
            &missing,
            "missing variants",
            |(id, lang)| {
                format!("unit {id} ({lang}) is missing from the index or indexed with other text")
            },
        );
        list_some(
            &mut report.problems,
            &dated,
            "variants indexed with another date",
            |(id, lang)| {
                format!(
                    "unit {id} ({lang}) is indexed with another date of last change (ties in \
                     score may be ordered wrongly)"
                )
            },
        );
        list_some(
            &mut report.problems,
            &extra,
            "stale index entries",
            |(id, lang)| format!("unit {id} ({lang}) is in the index but not in the database"),
        );
        Ok(report)
    }

    /// Rebuild the index from the database. Fails with `Ok(false)` if another process holds
    /// the index writer (stop the server first).
    pub fn reindex(&self, progress: impl FnMut(usize)) -> Result<bool, StoreError> {
        if !self.index.clear()? {
            return Ok(false);
        }
        Ok(matches!(
            self.index.catch_up(&self.db, progress)?,
            Applied::UpTo(_)
        ))
    }
}

/// Report the first 20 `items`, then how many more there are.
fn list_some<T>(out: &mut Vec<String>, items: &[T], what: &str, describe: impl Fn(&T) -> String) {
    out.extend(items.iter().take(20).map(describe));
    if items.len() > 20 {
        out.push(format!("… and {} more {what}", items.len() - 20));
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        let _ = self.shutdown();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::signature::QuerySignature;
    use crate::core::tokenize::Analyzed;
    use crate::core::unit::{Unit, Variant};
    use search::{Candidate, Candidates};

    /// A unit of plain variants.
    fn unit_of(variants: &[(Lang, &str)]) -> Unit {
        Unit {
            external_id: None,
            meta: Default::default(),
            variants: variants
                .iter()
                .map(|&(lang, text)| Variant::plain(lang, text))
                .collect(),
        }
    }

    fn unit(en: &str, ar: &str) -> Unit {
        unit_of(&[(Lang::En, en), (Lang::Ar, ar)])
    }

    /// The candidate texts for `text` (`from` → `to`), at most `limit`.
    fn candidates(store: &Store, from: Lang, to: Lang, text: &str, limit: usize) -> Vec<Candidate> {
        found(store, from, to, text, limit).items
    }

    /// The candidates for `text` with the searcher that reads their texts.
    fn found(store: &Store, from: Lang, to: Lang, text: &str, limit: usize) -> Candidates {
        let query = Analyzed::new(from, text);
        let signature = QuerySignature::new(&query);
        store
            .index
            .candidates(from, to, &query, &signature, limit)
            .unwrap()
    }

    /// The units of a candidate text, in hit order.
    fn ids(candidate: &Candidate) -> Vec<i64> {
        candidate.units.iter().map(|&(_, id)| id).collect()
    }

    fn write(store: &Store, units: &[Unit]) -> i64 {
        store
            .db
            .write(|tx| -> Result<(), StoreError> {
                for u in units {
                    tx.insert_unit(u, "test")?;
                }
                Ok(())
            })
            .unwrap()
            .1
    }

    #[test]
    fn writes_not_yet_indexed_are_reported_then_replayed_on_start() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = Store::open(dir.path()).unwrap();
            let seq = write(
                &store,
                &[
                    unit("The Coalition met the ISF.", "التقى التحالف بالقوات."),
                    unit("Daesh lost.", "خسر داعش."),
                ],
            );
            assert_eq!(seq, 2);
            // Committed to SQLite, not yet applied: exactly what a crash between the two leaves.
            let report = store.check().unwrap();
            assert_eq!((report.db_seq, report.index_seq), (2, 0));
            assert!(
                report
                    .problems
                    .iter()
                    .any(|p| p.contains("missing from the index")),
                "{:?}",
                report.problems
            );
        }
        let store = Arc::new(Store::open(dir.path()).unwrap());
        store.start_follower(Duration::from_millis(50));
        assert!(store.wait_indexed(2, Duration::from_secs(30)));
        let report = store.check().unwrap();
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        assert_eq!((report.units, report.variants, report.indexed), (2, 4, 4));
        // The index's date of a unit orders ties: one that disagrees with the database (a
        // change that reached SQLite by another way than the change log) is reported.
        store
            .db
            .write(|tx| -> Result<(), StoreError> {
                tx.tx
                    .execute("UPDATE tu SET updated_ms = updated_ms + 1 WHERE id = 2", [])?;
                Ok(())
            })
            .unwrap();
        let report = store.check().unwrap();
        assert_eq!(
            report.problems,
            vec![
                "unit 2 (en) is indexed with another date of last change (ties in score may be \
                 ordered wrongly)",
                "unit 2 (ar) is indexed with another date of last change (ties in score may be \
                 ordered wrongly)",
            ]
        );
        store.shutdown().unwrap();
    }

    #[test]
    fn updates_and_deletes_replace_index_documents() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        write(
            &store,
            &[
                unit("One sentence.", "جملة واحدة."),
                unit("Two sentences.", "جملتان."),
            ],
        );
        store.index.catch_up(&store.db, |_| {}).unwrap();
        let (_, seq) = store
            .db
            .write(|tx| -> Result<(), StoreError> {
                assert!(tx.update_unit(1, &unit("One changed sentence.", "جملة واحدة معدلة."))?);
                assert!(tx.delete_unit(2)?);
                assert!(!tx.delete_unit(99)?);
                Ok(())
            })
            .unwrap();
        assert_eq!(seq, 4);
        assert_eq!(
            store.index.catch_up(&store.db, |_| {}).unwrap(),
            Applied::UpTo(4)
        );
        let report = store.check().unwrap();
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        assert_eq!(report.indexed, 2);
        let hits = candidates(&store, Lang::En, Lang::Ar, "changed", 10);
        assert_eq!(hits.len(), 1);
        assert_eq!(ids(&hits[0]), vec![1]);
        // The change log keeps what was replaced.
        let before: Option<String> = store
            .db
            .read(|c| {
                Ok(
                    c.query_row("SELECT before FROM changelog WHERE seq = 3", [], |r| {
                        r.get(0)
                    })?,
                )
            })
            .unwrap();
        assert!(before.unwrap().contains("One sentence."));
    }

    /// Exact forms and stems share one field: a word that is its own stem ("run") is indexed
    /// as its exact form only, yet still outranks an inflection ("running") that shares the
    /// stem, and a phrase finds exact forms only.
    #[test]
    fn an_uninflected_word_outranks_its_inflections_and_phrases_stay_exact() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        write(
            &store,
            &[
                unit("they were running today", "x"),
                unit("they run today", "x"),
                unit("we run daily", "x"),
                unit("we run often", "x"),
                unit("he runs fast", "x"),
            ],
        );
        store.index.catch_up(&store.db, |_| {}).unwrap();
        let hits = candidates(&store, Lang::En, Lang::Ar, "run today", 10);
        assert_eq!(hits.len(), 5);
        assert_eq!(ids(&hits[0]), vec![2], "exact forms of both words");
        assert_eq!(ids(&hits[1]), vec![1], "an exact form and an inflection");
        assert!(hits[1].relevance > hits[2].relevance);
        let phrase = |text: &str| -> Vec<i64> {
            let query = Analyzed::new(Lang::En, text);
            let mut ids: Vec<i64> = store
                .index
                .phrase(Lang::En, None, &query, 10)
                .unwrap()
                .iter()
                .map(|h| h.tu_id)
                .collect();
            ids.sort();
            ids
        };
        assert_eq!(phrase("run"), vec![2, 3, 4]);
        // An inflected word is indexed by its stem, which "runs" shares: still only the form
        // asked for.
        assert_eq!(phrase("running"), vec![1]);
        assert_eq!(phrase("runs"), vec![5]);
        assert_eq!(phrase("they run"), vec![2]);
        assert_eq!(phrase("run today"), vec![2]);
    }

    /// The index keeps no positions: a phrase is checked on the stored text, and variants that
    /// have its words apart (here ranked higher, with more of them) are passed over until
    /// enough have the phrase itself.
    #[test]
    fn a_phrase_is_found_behind_many_variants_with_its_words_apart() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let mut units: Vec<Unit> = (0..50)
            .map(|i| unit(&format!("run, they said; we run and we run {i}"), "x"))
            .collect();
        units.push(unit("so we run", "x"));
        write(&store, &units);
        store.index.catch_up(&store.db, |_| {}).unwrap();
        let phrase = |text: &str, limit: usize| -> Vec<i64> {
            let query = Analyzed::new(Lang::En, text);
            let hits = store.index.phrase(Lang::En, None, &query, limit).unwrap();
            hits.iter().map(|h| h.tu_id).collect()
        };
        assert_eq!(phrase("so we run", 1), vec![51]);
        assert_eq!(phrase("so we", 5), vec![51]);
        assert_eq!(phrase("we run", 100).len(), 51);
        assert_eq!(phrase("run we", 10), Vec::<i64>::new());
    }

    /// Units without the target language are left out of candidates and phrases asking for it;
    /// once every unit of the source language has the target, nothing is filtered and nothing
    /// is lost.
    #[test]
    fn units_lacking_the_target_language_are_filtered_out() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        write(
            &store,
            &[
                unit_of(&[(Lang::En, "the council met today"), (Lang::Ar, "x")]),
                unit_of(&[(Lang::En, "the council met today"), (Lang::Ckb, "x")]),
                unit_of(&[
                    (Lang::En, "the council met"),
                    (Lang::Ar, "x"),
                    (Lang::Kmr, "y"),
                ]),
            ],
        );
        store.index.catch_up(&store.db, |_| {}).unwrap();
        let to = |target: Lang| -> Vec<Vec<i64>> {
            candidates(&store, Lang::En, target, "the council met today", 10)
                .iter()
                .map(ids)
                .collect()
        };
        assert_eq!(to(Lang::Ar), vec![vec![1], vec![3]]);
        assert_eq!(to(Lang::Ckb), vec![vec![2]]);
        assert_eq!(to(Lang::Kmr), vec![vec![3]]);
        let query = Analyzed::new(Lang::En, "council met");
        let phrase = |target: Option<Lang>| -> Vec<i64> {
            let hits = store.index.phrase(Lang::En, target, &query, 10).unwrap();
            let mut ids: Vec<i64> = hits.iter().map(|h| h.tu_id).collect();
            ids.sort();
            ids
        };
        assert_eq!(phrase(None), vec![1, 2, 3]);
        assert_eq!(phrase(Some(Lang::Ckb)), vec![2]);
        // Every English variant now has an Arabic side: no filter is needed, none is lost.
        store
            .db
            .write(|tx| -> Result<(), StoreError> {
                tx.delete_unit(2)?;
                Ok(())
            })
            .unwrap();
        store.index.catch_up(&store.db, |_| {}).unwrap();
        assert_eq!(to(Lang::Ar), vec![vec![1], vec![3]]);
        assert_eq!(to(Lang::Ckb), Vec::<Vec<i64>>::new());
    }

    /// A query word that is its own stem ("هێز", forces) ranks that very form above its
    /// inflections ("هێزەکانی"), and the inflections are found through the stem. (Inflected
    /// query words — "پێشمەرگە" has the stem "پێشمەرگ" — match every inflection alike: the
    /// index holds only their stems, and the fuzzy scorer tells them apart.)
    #[test]
    fn plain_forms_rank_above_their_inflections_and_both_are_found() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let sorani = |text| unit_of(&[(Lang::Ckb, text), (Lang::En, "x")]);
        // Inserted first so that id order cannot explain the ranking.
        write(
            &store,
            &[sorani("هێزەکانی پێشمەرگەکان"), sorani("هێز پێشمەرگەکان")],
        );
        store.index.catch_up(&store.db, |_| {}).unwrap();
        let hits = candidates(&store, Lang::Ckb, Lang::En, "هێز پێشمەرگە", 10);
        assert_eq!(
            hits.len(),
            2,
            "the inflected sentence is found through its stems"
        );
        assert_eq!(ids(&hits[0]), vec![2], "the plain form ranks first");
        assert!(hits[0].relevance > hits[1].relevance);
    }

    #[test]
    fn candidates_are_grouped_by_text_with_every_unit_listed() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let standard = "The Ministry thanks the Coalition for its support.";
        write(
            &store,
            &[
                unit(standard, "تشكر الوزارة التحالف على دعمه."),
                unit(standard, "الوزارة تشكر التحالف على دعمه."),
                unit(
                    "The Ministry thanks the Coalition for its generous support.",
                    "شكر",
                ),
                unit(standard, "تتقدم الوزارة بالشكر إلى التحالف على دعمه."),
            ],
        );
        store.index.catch_up(&store.db, |_| {}).unwrap();
        let found = found(&store, Lang::En, Lang::Ar, standard, 10);
        let hits = &found.items;
        assert_eq!(hits.len(), 2, "{hits:?}");
        let mut units = ids(&hits[0]);
        units.sort();
        let text = found.text(&hits[0]).unwrap();
        assert_eq!((text.as_str(), units), (standard, vec![1, 2, 4]));
        // Its word count and signature are what the text's own analysis gives.
        assert_eq!(hits[0].words, 8);
        let mut stored = hits[0].signature.clone();
        let query = Analyzed::new(Lang::En, standard);
        let mut expected = crate::core::signature::signature(&query);
        stored.sort();
        expected.sort();
        assert_eq!(stored, expected);
        assert_eq!(ids(&hits[1]), vec![3]);
        // Two distinct texts asked for at most one: the best, still with all its units.
        let one = candidates(&store, Lang::En, Lang::Ar, standard, 1);
        assert_eq!((one.len(), one[0].units.len()), (1, 3));
    }

    /// Near duplicates that tie in relevance where the candidate list is cut: the one whose
    /// words could score best gets in, whatever order the index met them in. (tantivy's own
    /// top-hits collector kept the first ones in document order, which a multi-threaded import
    /// changes from run to run.)
    #[test]
    fn ties_at_the_cut_are_decided_by_the_texts_not_the_document_order() {
        let query = "The road to Erbil was closed after 12 hours of heavy rain.";
        let best = "The road to Erbil was closed after 7 hours of heavy rain.";
        // Thirty texts with another word where the query has its number: no better for the
        // search (neither shares "12"), worse for the fuzzy match (a number for a number is
        // nearly free).
        let others: Vec<String> = (0..30u8)
            .map(|n| {
                let word: String = [b'q', b'a' + n % 26, b'a' + n / 26]
                    .iter()
                    .map(|&b| b as char)
                    .collect();
                format!("The road to Erbil was closed after {word} hours of heavy rain.")
            })
            .collect();
        for best_first in [true, false] {
            let dir = tempfile::tempdir().unwrap();
            let store = Store::open(dir.path()).unwrap();
            let mut units: Vec<Unit> = others.iter().map(|t| unit(t, "طريق")).collect();
            if best_first {
                units.insert(0, unit(best, "طريق"));
            } else {
                units.push(unit(best, "طريق"));
            }
            write(&store, &units);
            store.index.catch_up(&store.db, |_| {}).unwrap();
            let found = found(&store, Lang::En, Lang::Ar, query, 5);
            assert_eq!(found.items.len(), 5);
            let texts: Vec<String> = found.items.iter().map(|c| found.text(c).unwrap()).collect();
            // The premise: every candidate ties in relevance with the best one.
            assert!(
                found
                    .items
                    .iter()
                    .all(|c| c.relevance == found.items[0].relevance),
                "{:?}",
                found.items
            );
            assert!(texts.iter().any(|t| t == best), "{best_first}: {texts:?}");
        }
    }

    /// The fast columns candidates are read from are kept open between lookups; a commit
    /// (another searcher generation, here with a segment more) opens them again.
    #[test]
    fn candidate_columns_follow_each_commit() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let texts = [
            "The road to Erbil is closed.",
            "The road to Erbil is closed again after the storm.",
            "The old road to Erbil is closed for repairs this week.",
        ];
        for (n, text) in texts.iter().enumerate() {
            write(&store, &[unit(text, "طريق")]);
            store.index.catch_up(&store.db, |_| {}).unwrap();
            let found = candidates(&store, Lang::En, Lang::Ar, "road to Erbil closed", 10);
            assert_eq!(found.len(), n + 1);
            let mut seen: Vec<(i64, usize)> = found.iter().map(|c| (ids(c)[0], c.words)).collect();
            seen.sort();
            let expected: Vec<(i64, usize)> = texts[..=n]
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let words = crate::core::signature::words(&Analyzed::new(Lang::En, *t));
                    (i as i64 + 1, words)
                })
                .collect();
            assert_eq!(seen, expected);
        }
    }

    #[test]
    fn a_big_import_leaves_one_index_segment() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        // Three small writes, three commits: several segments.
        for n in 0..3 {
            write(
                &store,
                &[unit(&format!("Early statement number {n}."), "بيان")],
            );
            store.index.catch_up(&store.db, |_| {}).unwrap();
        }
        assert!(store.index.segments().unwrap() >= 3);
        let ((), _) = store
            .write_indexed(|tx, feed| -> Result<(), StoreError> {
                for n in 0..search::MERGE_AFTER {
                    let u = unit(&format!("Imported sentence {n}."), "جملة");
                    let id = tx.insert_unit(&u, "test")?;
                    feed.add(id, u);
                }
                Ok(())
            })
            .unwrap();
        // The merge runs in the background; giving the writer back waits for it.
        store.index.release_writer().unwrap();
        store.index.refresh().unwrap();
        assert_eq!(store.index.segments().unwrap(), 1);
        let report = store.check().unwrap();
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        assert_eq!(
            report.indexed as usize,
            2 * (3 + search::MERGE_AFTER),
            "two variants each"
        );
        let found = found(&store, Lang::En, Lang::Ar, "Early statement number 1.", 1);
        assert_eq!(
            found.text(&found.items[0]).unwrap(),
            "Early statement number 1."
        );
    }

    /// Preloading reads every file of every searchable segment: after a compaction (one
    /// segment, older files collected) the bytes it reports are the sizes of the segment files
    /// on disk (everything in the index folder but tantivy's metadata and lock files), less a
    /// small footer per file.
    #[test]
    fn preload_reads_every_segment_file() {
        /// The most a tantivy file footer takes (measured: under 100 bytes).
        const FOOTER_MAX: u64 = 128;
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        for n in 0..3 {
            write(
                &store,
                &[unit(&format!("Statement {n} of the day."), "بيان")],
            );
            store.index.catch_up(&store.db, |_| {}).unwrap();
        }
        assert!(store.index.compact().unwrap().is_some());
        store.index.release_writer().unwrap();
        let files: Vec<u64> = std::fs::read_dir(dir.path().join("tantivy"))
            .unwrap()
            .map(|e| e.unwrap())
            .filter(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                !name.ends_with(".json") && !name.starts_with('.')
            })
            .map(|e| e.metadata().unwrap().len())
            .collect();
        let on_disk: u64 = files.iter().sum();
        let read = store.preload_index().unwrap();
        // tantivy hands out each file without its footer (format version and checksum).
        assert!(read <= on_disk, "{read} > {on_disk}");
        assert!(
            on_disk - read <= FOOTER_MAX * files.len() as u64,
            "read {read} of {on_disk} bytes in {} files",
            files.len()
        );
    }

    /// Small writes leave merging to tantivy's policy (only big ones hold it back): after a
    /// dozen one-unit commits the segments have been merged.
    #[test]
    fn small_writes_are_merged_by_tantivys_policy() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let mut commits = 0;
        for n in 0..12 {
            write(&store, &[unit(&format!("Statement number {n}."), "بيان")]);
            store.index.catch_up(&store.db, |_| {}).unwrap();
            commits += 1;
            let ((), _) = store
                .write_indexed(|tx, feed| -> Result<(), StoreError> {
                    let u = unit(&format!("Imported sentence {n}."), "جملة");
                    let id = tx.insert_unit(&u, "test")?;
                    feed.add(id, u);
                    Ok(())
                })
                .unwrap();
            commits += 1;
        }
        store.index.release_writer().unwrap();
        store.index.refresh().unwrap();
        let segments = store.index.segments().unwrap();
        assert!(
            segments < commits / 2,
            "{segments} segments after {commits} commits"
        );
        assert!(store.check().unwrap().problems.is_empty());
    }

    #[test]
    fn a_damaged_index_is_rebuilt_from_the_database() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = Store::open(dir.path()).unwrap();
            write(&store, &[unit("Kept in SQLite.", "محفوظ.")]);
            store.index.catch_up(&store.db, |_| {}).unwrap();
        }
        std::fs::write(dir.path().join("tantivy/meta.json"), b"{ not json").unwrap();
        let store = Store::open(dir.path()).unwrap();
        // Before the rebuild, `check` says what happened rather than only listing every
        // variant as missing.
        let problems = store.check().unwrap().problems;
        assert!(
            problems[0].starts_with("the search index was written by another version")
                && problems[0].contains("`werger reindex`"),
            "{problems:?}"
        );
        store.index.catch_up(&store.db, |_| {}).unwrap();
        assert!(store.check().unwrap().problems.is_empty());
        assert_eq!(store.index.num_docs(), 2);
    }
}
