//! SQLite, the system of record: translation units, statements, and the change log that the
//! search index follows.
//!
//! One writer connection (SQLite allows one writer at a time anyway) behind a mutex, and a few
//! reader connections handed out from a small pool; WAL lets readers run beside the writer.
//! Every write runs in one `IMMEDIATE` transaction that also appends to `changelog`, so a
//! committed change and its log entry are durable together (`synchronous=FULL`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use super::{now_ms, StoreError};
use crate::core::lang::Lang;
use crate::core::unit::{plain_content, Meta, Unit, Variant};

const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS tu (
    id          INTEGER PRIMARY KEY,
    external_id TEXT,
    origin      TEXT NOT NULL,
    created_ms  INTEGER NOT NULL,
    updated_ms  INTEGER NOT NULL,
    meta        TEXT NOT NULL DEFAULT '{}',
    content_key INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS tu_content_key ON tu(content_key);
CREATE TABLE IF NOT EXISTS tuv (
    tu_id   INTEGER NOT NULL REFERENCES tu(id) ON DELETE CASCADE,
    lang    TEXT NOT NULL,
    region  TEXT,
    -- The inline content; '' when it is only the escaped text (most segments): rows half the
    -- size, fewer of them spilling onto overflow pages (see `stored_content`).
    content TEXT NOT NULL,
    text    TEXT NOT NULL,
    meta    TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (tu_id, lang)
) WITHOUT ROWID;
-- One row per change of a unit; `before` keeps the previous version (history, audits).
CREATE TABLE IF NOT EXISTS changelog (
    seq    INTEGER PRIMARY KEY AUTOINCREMENT,
    tu_id  INTEGER NOT NULL,
    op     TEXT NOT NULL CHECK (op IN ('put', 'delete')),
    at_ms  INTEGER NOT NULL,
    before TEXT
);
CREATE TABLE IF NOT EXISTS statement (
    id         TEXT PRIMARY KEY,
    date       TEXT,
    title      TEXT NOT NULL DEFAULT '{}',
    created_ms INTEGER NOT NULL
);
-- The last alignment computed for a statement, as JSON (what the review screen shows).
CREATE TABLE IF NOT EXISTS statement_alignment (
    statement_id TEXT PRIMARY KEY REFERENCES statement(id) ON DELETE CASCADE,
    alignment    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS segment (
    statement_id TEXT NOT NULL REFERENCES statement(id) ON DELETE CASCADE,
    lang         TEXT NOT NULL,
    position     INTEGER NOT NULL,
    text         TEXT NOT NULL,
    tu_id        INTEGER REFERENCES tu(id) ON DELETE SET NULL,
    PRIMARY KEY (statement_id, lang, position)
) WITHOUT ROWID;
"#;

/// A unit as stored: its id, where it came from and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredUnit {
    pub id: i64,
    pub origin: String,
    pub created_ms: i64,
    pub updated_ms: i64,
    pub unit: Unit,
}

/// One change-log entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub seq: i64,
    pub tu_id: i64,
}

/// The SQLite database of one data directory.
pub struct Db {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    /// The checkpoint started after the last bulk write ([`Db::write_bulk`]), if any.
    checkpoint: Mutex<Option<std::thread::JoinHandle<()>>>,
}

/// SQLite's default: a write transaction that leaves the WAL longer than this many pages
/// copies it into the database file when it commits.
const AUTOCHECKPOINT_PAGES: i64 = 1000;

/// Wording keys ([`Unit::content_key`]) of units in the memory.
pub type KnownKeys = std::collections::HashSet<u64, fnv::FnvBuildHasher>;

/// Page cache of the writing connection, in KiB (SQLite's default is 2 MiB). A big import is
/// one transaction: once its changed pages outgrow the cache SQLite spills them into the WAL
/// before the commit and writes them again each time they change (the unit index's pages
/// change all through an import), and every page it reads back is first looked up in the
/// growing WAL. 64 MiB holds the changing index pages of a million-unit import.
const WRITER_CACHE_KIB: i64 = 64 * 1024;

fn open_connection(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open(path)?;
    // Another process (a CLI import beside the server) may hold the write lock for a while.
    conn.busy_timeout(Duration::from_secs(60))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(conn)
}

impl Db {
    /// Open (creating if needed) the database at `path` and bring its schema up to date.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let writer = open_connection(path)?;
        writer.pragma_update(None, "cache_size", -WRITER_CACHE_KIB)?;
        writer.execute_batch(SCHEMA)?;
        writer.execute_batch(super::glossary::SCHEMA)?;
        Ok(Db {
            path: path.to_path_buf(),
            writer: Mutex::new(writer),
            readers: Mutex::new(Vec::new()),
            checkpoint: Mutex::new(None),
        })
    }

    /// Run `f` on a reader connection from the pool.
    pub fn read<T>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let conn = self.readers.lock().expect("reader pool poisoned").pop();
        let conn = match conn {
            Some(c) => c,
            None => open_connection(&self.path)?,
        };
        let result = f(&conn);
        let mut pool = self.readers.lock().expect("reader pool poisoned");
        if pool.len() < 8 {
            pool.push(conn);
        }
        result
    }

    /// Run `f` in one write transaction; commit if it returns `Ok`, roll back otherwise.
    /// Returns `f`'s value and the last change-log sequence written by it (0 if none).
    pub fn write<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&mut WriteTx) -> Result<T, E>,
    ) -> Result<(T, i64), E> {
        let mut conn = self.writer.lock().expect("writer poisoned");
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let mut wtx = WriteTx {
            tx,
            now: now_ms(),
            last_seq: 0,
        };
        let value = f(&mut wtx)?;
        let last_seq = wtx.last_seq;
        wtx.tx.commit().map_err(StoreError::from)?;
        Ok((value, last_seq))
    }

    /// [`Db::write`] for a bulk write (an archive import). Its commit does not copy the WAL into
    /// the database file — SQLite's automatic checkpoint would write everything the import
    /// wrote a second time, about 2 s for a million units, before the import could be
    /// answered — a background thread does, once the transaction is durable in the WAL
    /// ([`Db::wait_checkpoint`] waits for it). Nothing acknowledged depends on it: committed
    /// frames in the WAL are the database for every reader, and survive a crash.
    pub fn write_bulk<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&mut WriteTx) -> Result<T, E>,
    ) -> Result<(T, i64), E> {
        let autocheckpoint = |pages: i64| -> Result<(), StoreError> {
            let conn = self.writer.lock().expect("writer poisoned");
            conn.pragma_update(None, "wal_autocheckpoint", pages)?;
            Ok(())
        };
        autocheckpoint(0)?;
        let result = self.write(f);
        autocheckpoint(AUTOCHECKPOINT_PAGES)?;
        if result.is_ok() {
            self.checkpoint_in_background();
        }
        result
    }

    /// Copy the WAL into the database file on a thread of its own (SQLite's passive
    /// checkpoint: readers and writers go on meanwhile).
    fn checkpoint_in_background(&self) {
        let path = self.path.clone();
        let previous = self.checkpoint.lock().expect("checkpoint poisoned").take();
        let handle = std::thread::spawn(move || {
            if let Some(previous) = previous {
                let _ = previous.join();
            }
            let done = open_connection(&path).and_then(|c| {
                c.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
                Ok(())
            });
            if let Err(err) = done {
                log::warn!("copying the write-ahead log into the database failed: {err}");
            }
        });
        *self.checkpoint.lock().expect("checkpoint poisoned") = Some(handle);
    }

    /// Wait for the checkpoint a bulk write started, if it is still running.
    pub fn wait_checkpoint(&self) {
        if let Some(handle) = self.checkpoint.lock().expect("checkpoint poisoned").take() {
            let _ = handle.join();
        }
    }

    pub fn get_unit(&self, id: i64) -> Result<Option<StoredUnit>, StoreError> {
        self.read(|c| load_unit(c, id))
    }

    /// Units by id; ids without a unit (deleted) are absent from the map.
    pub fn units_by_ids(&self, ids: &[i64]) -> Result<HashMap<i64, StoredUnit>, StoreError> {
        self.read(|c| {
            let mut out = HashMap::with_capacity(ids.len());
            for &id in ids {
                if let Some(u) = load_unit(c, id)? {
                    out.insert(id, u);
                }
            }
            Ok(out)
        })
    }

    /// Up to `limit` changes after `seq`, oldest first.
    pub fn changes_after(&self, seq: i64, limit: usize) -> Result<Vec<Change>, StoreError> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT seq, tu_id FROM changelog WHERE seq > ?1 ORDER BY seq LIMIT ?2",
            )?;
            let rows = stmt.query_map(params![seq, limit as i64], |r| {
                Ok(Change {
                    seq: r.get(0)?,
                    tu_id: r.get(1)?,
                })
            })?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
    }

    /// The newest change-log sequence (0 for an empty log).
    pub fn max_seq(&self) -> Result<i64, StoreError> {
        self.read(|c| {
            Ok(
                c.query_row("SELECT COALESCE(MAX(seq), 0) FROM changelog", [], |r| {
                    r.get(0)
                })?,
            )
        })
    }

    pub fn count_units(&self) -> Result<i64, StoreError> {
        self.read(|c| Ok(c.query_row("SELECT COUNT(*) FROM tu", [], |r| r.get(0))?))
    }

    /// Call `f` for every unit in id order, reading in pages so memory stays bounded.
    pub fn for_each_unit(
        &self,
        mut f: impl FnMut(StoredUnit) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut after = 0i64;
        loop {
            let ids: Vec<i64> = self.read(|c| {
                let mut stmt =
                    c.prepare_cached("SELECT id FROM tu WHERE id > ?1 ORDER BY id LIMIT 1000")?;
                let rows = stmt.query_map([after], |r| r.get(0))?;
                Ok(rows.collect::<Result<Vec<_>, _>>()?)
            })?;
            let Some(&last) = ids.last() else {
                return Ok(());
            };
            let units = self.units_by_ids(&ids)?;
            for id in ids {
                if let Some(u) = units.get(&id) {
                    f(u.clone())?;
                }
            }
            after = last;
        }
    }

    /// Every (unit id, language, text, unit's last change) in the store, for consistency
    /// checks.
    pub fn for_each_variant(
        &self,
        mut f: impl FnMut(i64, Lang, &str, i64),
    ) -> Result<(), StoreError> {
        self.read(|c| {
            let mut stmt = c.prepare(
                "SELECT v.tu_id, v.lang, v.text, t.updated_ms FROM tuv v JOIN tu t ON t.id = v.tu_id",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let lang: String = row.get(1)?;
                let lang = lang.parse::<Lang>().map_err(|_| {
                    StoreError::Corrupt(format!("unknown language {lang:?} in tuv"))
                })?;
                let text: String = row.get(2)?;
                f(row.get(0)?, lang, &text, row.get(3)?);
            }
            Ok(())
        })
    }

    /// The stored alignment of a statement.
    pub fn statement_alignment(&self, id: &str) -> Result<Option<serde_json::Value>, StoreError> {
        self.read(|c| {
            let text: Option<String> = c
                .query_row(
                    "SELECT alignment FROM statement_alignment WHERE statement_id = ?1",
                    [id],
                    |r| r.get(0),
                )
                .optional()?;
            Ok(text.map(|t| serde_json::from_str(&t)).transpose()?)
        })
    }

    /// A consistent copy of the database at `dest` (SQLite's `VACUUM INTO`).
    pub fn backup(&self, dest: &Path) -> Result<(), StoreError> {
        self.read(|c| {
            c.execute("VACUUM INTO ?1", [dest.to_string_lossy()])?;
            Ok(())
        })
    }

    /// Integrity of the SQLite file itself.
    pub fn integrity_check(&self) -> Result<Vec<String>, StoreError> {
        self.read(|c| {
            let mut stmt = c.prepare("PRAGMA integrity_check")?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
            let problems: Vec<String> = rows.collect::<Result<Vec<_>, _>>()?;
            Ok(problems.into_iter().filter(|p| p != "ok").collect())
        })
    }
}

/// A write transaction in progress; every unit change also appends to the change log.
pub struct WriteTx<'a> {
    pub(super) tx: rusqlite::Transaction<'a>,
    now: i64,
    last_seq: i64,
}

impl WriteTx<'_> {
    pub fn now(&self) -> i64 {
        self.now
    }

    /// A unit as this transaction sees it.
    pub fn get_unit(&self, id: i64) -> Result<Option<StoredUnit>, StoreError> {
        load_unit(&self.tx, id)
    }

    /// The last sequence of the change log as this transaction sees it.
    pub fn log_end(&self) -> Result<i64, StoreError> {
        Ok(self
            .tx
            .query_row("SELECT COALESCE(MAX(seq), 0) FROM changelog", [], |r| {
                r.get(0)
            })?)
    }

    /// Insert `unit` unless a unit with exactly this wording exists (an import's duplicate, a
    /// statement sentence already in the memory): `(id, true)` for a new unit, `(the existing
    /// unit's id, false)` otherwise.
    pub fn insert_if_new(&mut self, unit: &Unit, origin: &str) -> Result<(i64, bool), StoreError> {
        self.insert_if_new_among(unit, origin, None)
    }

    /// [`WriteTx::insert_if_new`] with the wording keys of every unit in the memory at hand
    /// ([`WriteTx::keys_for_import`], kept up to date here): a unit whose key is not among them
    /// is new without asking SQLite — at a million units that lookup was a sixth of an import's
    /// reading thread.
    pub fn insert_if_new_among(
        &mut self,
        unit: &Unit,
        origin: &str,
        known: Option<&mut KnownKeys>,
    ) -> Result<(i64, bool), StoreError> {
        let key = unit.content_key();
        if known.as_ref().is_none_or(|k| k.contains(&key)) {
            if let Some(id) = self.find_same(key, unit)? {
                return Ok((id, false));
            }
        }
        let id = self.insert_keyed(unit, origin, key)?;
        if let Some(known) = known {
            known.insert(key);
        }
        Ok((id, true))
    }

    /// The wording keys of every unit, for an import of a file of `file_bytes` bytes — when
    /// reading them (about a fifth of a microsecond per unit in the memory) costs less than
    /// the lookups they save (a few microseconds per unit imported, taken as one per KiB of
    /// file). `None` for a small file into a large memory: then each unit asks SQLite.
    pub fn keys_for_import(&self, file_bytes: u64) -> Result<Option<KnownKeys>, StoreError> {
        let units: i64 = self
            .tx
            .query_row("SELECT coalesce(max(id), 0) FROM tu", [], |r| r.get(0))?;
        if (file_bytes / 1024) < units as u64 / 16 {
            return Ok(None);
        }
        let mut stmt = self.tx.prepare("SELECT content_key FROM tu")?;
        let keys = stmt
            .query_map([], |r| r.get::<_, i64>(0))?
            .map(|k| k.map(|k| k as u64))
            .collect::<Result<KnownKeys, _>>()?;
        Ok(Some(keys))
    }

    /// The id of a unit with exactly this wording (`key`: its [`Unit::content_key`]), if one
    /// exists.
    fn find_same(&self, key: u64, unit: &Unit) -> Result<Option<i64>, StoreError> {
        let mut stmt = self
            .tx
            .prepare_cached("SELECT id FROM tu WHERE content_key = ?1")?;
        let ids: Vec<i64> = stmt
            .query_map([key as i64], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for id in ids {
            if let Some(existing) = load_unit(&self.tx, id)? {
                if same_wording(&existing.unit, unit) {
                    return Ok(Some(id));
                }
            }
        }
        Ok(None)
    }

    /// Insert a new unit; returns its id.
    pub fn insert_unit(&mut self, unit: &Unit, origin: &str) -> Result<i64, StoreError> {
        self.insert_keyed(unit, origin, unit.content_key())
    }

    fn insert_keyed(&mut self, unit: &Unit, origin: &str, key: u64) -> Result<i64, StoreError> {
        let meta = meta_json(&unit.meta)?;
        self.tx
            .prepare_cached(
                "INSERT INTO tu (external_id, origin, created_ms, updated_ms, meta, content_key) VALUES (?1, ?2, ?3, ?3, ?4, ?5)",
            )?
            .execute(params![unit.external_id, origin, self.now, meta, key as i64])?;
        let id = self.tx.last_insert_rowid();
        self.insert_variants(id, &unit.variants)?;
        self.log(id, "put", None)?;
        Ok(id)
    }

    /// Replace the variants and metadata of unit `id`; `false` if there is no such unit.
    pub fn update_unit(&mut self, id: i64, unit: &Unit) -> Result<bool, StoreError> {
        let Some(before) = load_unit(&self.tx, id)? else {
            return Ok(false);
        };
        let meta = meta_json(&unit.meta)?;
        self.tx
            .prepare_cached("UPDATE tu SET external_id = ?2, updated_ms = ?3, meta = ?4, content_key = ?5 WHERE id = ?1")?
            .execute(params![id, unit.external_id, self.now, meta, unit.content_key() as i64])?;
        self.tx
            .prepare_cached("DELETE FROM tuv WHERE tu_id = ?1")?
            .execute([id])?;
        self.insert_variants(id, &unit.variants)?;
        self.log(id, "put", Some(&before.unit))?;
        Ok(true)
    }

    /// Delete unit `id`; `false` if there is no such unit.
    pub fn delete_unit(&mut self, id: i64) -> Result<bool, StoreError> {
        let Some(before) = load_unit(&self.tx, id)? else {
            return Ok(false);
        };
        self.tx
            .prepare_cached("DELETE FROM tu WHERE id = ?1")?
            .execute([id])?;
        self.log(id, "delete", Some(&before.unit))?;
        Ok(true)
    }

    /// Record a statement and the unit ids of its segments (positions in document order).
    pub fn put_statement(
        &mut self,
        id: &str,
        date: Option<&str>,
        title: &serde_json::Value,
        segments: &[(Lang, usize, &str, Option<i64>)],
    ) -> Result<(), StoreError> {
        self.tx.execute(
            "INSERT INTO statement (id, date, title, created_ms) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(id) DO UPDATE SET date = COALESCE(excluded.date, statement.date), title = excluded.title",
            params![id, date, title.to_string(), self.now],
        )?;
        self.tx
            .execute("DELETE FROM segment WHERE statement_id = ?1", [id])?;
        let mut stmt = self.tx.prepare_cached("INSERT INTO segment (statement_id, lang, position, text, tu_id) VALUES (?1, ?2, ?3, ?4, ?5)")?;
        for (lang, position, text, tu_id) in segments {
            stmt.execute(params![id, lang.code(), *position as i64, text, tu_id])?;
        }
        Ok(())
    }

    /// The units a statement's segments point to.
    pub fn statement_units(&self, id: &str) -> Result<Vec<i64>, StoreError> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT DISTINCT tu_id FROM segment WHERE statement_id = ?1 AND tu_id IS NOT NULL",
        )?;
        let ids = stmt
            .query_map([id], |r| r.get(0))?
            .collect::<Result<Vec<i64>, _>>()?;
        Ok(ids)
    }

    /// Keep the alignment computed for a statement.
    pub fn put_alignment(
        &mut self,
        id: &str,
        alignment: &serde_json::Value,
    ) -> Result<(), StoreError> {
        self.tx.execute(
            "INSERT INTO statement_alignment (statement_id, alignment) VALUES (?1, ?2)
             ON CONFLICT(statement_id) DO UPDATE SET alignment = excluded.alignment",
            params![id, alignment.to_string()],
        )?;
        Ok(())
    }

    fn insert_variants(&mut self, id: i64, variants: &[Variant]) -> Result<(), StoreError> {
        let mut stmt = self.tx.prepare_cached("INSERT INTO tuv (tu_id, lang, region, content, text, meta) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?;
        for v in variants {
            stmt.execute(params![
                id,
                v.lang.code(),
                v.region,
                stored_content(v),
                v.text,
                meta_json(&v.meta)?
            ])?;
        }
        Ok(())
    }

    fn log(&mut self, id: i64, op: &str, before: Option<&Unit>) -> Result<(), StoreError> {
        let before = before.map(serde_json::to_string).transpose()?;
        self.tx
            .prepare_cached(
                "INSERT INTO changelog (tu_id, op, at_ms, before) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![id, op, self.now, before])?;
        self.last_seq = self.tx.last_insert_rowid();
        Ok(())
    }
}

/// The JSON of `meta` as stored: `{}` (what serde writes for an empty one) without running
/// serde for the units of an import, nearly all of which have none.
fn meta_json(meta: &Meta) -> Result<std::borrow::Cow<'static, str>, serde_json::Error> {
    if meta.is_empty() {
        Ok("{}".into())
    } else {
        serde_json::to_string(meta).map(Into::into)
    }
}

/// What `tuv.content` holds for `v`: nothing when the content is only the escaped text (it is
/// made again on reading). A million-unit import wrote 0.9 GB of text twice over and spilled a
/// third of its rows onto mostly empty overflow pages (rows of WITHOUT ROWID tables over ~1 KB
/// do); rows written before this keep their full content and read the same.
fn stored_content(v: &Variant) -> &str {
    if v.is_plain() {
        ""
    } else {
        &v.content
    }
}

/// Same languages with the same inline content: an exact duplicate for import purposes.
fn same_wording(a: &Unit, b: &Unit) -> bool {
    a.variants.len() == b.variants.len()
        && a.variants.iter().all(|va| {
            b.variant(va.lang)
                .is_some_and(|vb| vb.content == va.content)
        })
}

fn load_unit(c: &Connection, id: i64) -> Result<Option<StoredUnit>, StoreError> {
    let head = c
        .prepare_cached(
            "SELECT external_id, origin, created_ms, updated_ms, meta FROM tu WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok((
                r.get::<_, Option<String>>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, String>(4)?,
            ))
        })
        .optional()?;
    let Some((external_id, origin, created_ms, updated_ms, meta)) = head else {
        return Ok(None);
    };
    let mut stmt =
        c.prepare_cached("SELECT lang, region, content, text, meta FROM tuv WHERE tu_id = ?1")?;
    let mut rows = stmt.query([id])?;
    let mut variants = Vec::new();
    while let Some(r) = rows.next()? {
        let lang: String = r.get(0)?;
        let text: String = r.get(3)?;
        let meta: String = r.get(4)?;
        variants.push(Variant {
            lang: lang.parse().map_err(|_| {
                StoreError::Corrupt(format!("unit {id}: unknown language {lang:?}"))
            })?,
            region: r.get(1)?,
            content: match r.get::<_, String>(2)? {
                c if c.is_empty() => plain_content(&text).into_owned(),
                c => c,
            },
            text,
            meta: serde_json::from_str::<Meta>(&meta)?,
        });
    }
    variants.sort_by_key(|v| v.lang);
    Ok(Some(StoredUnit {
        id,
        origin,
        created_ms,
        updated_ms,
        unit: Unit {
            external_id,
            meta: serde_json::from_str(&meta)?,
            variants,
        },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stored JSON of metadata is serde's, empty or not (the empty case is written without
    /// serde).
    #[test]
    fn metadata_json_is_serdes() {
        let full = Meta {
            attrs: vec![("changeid".into(), "ed".into())],
            props: Vec::new(),
            notes: vec!["checked".into()],
        };
        for meta in [Meta::default(), full] {
            assert_eq!(
                meta_json(&meta).unwrap(),
                serde_json::to_string(&meta).unwrap()
            );
        }
    }

    /// An import that holds the memory's wording keys finds the same duplicates — of units
    /// already stored and of units earlier in the import — as one that asks SQLite each time;
    /// a small file into a larger memory does not read the keys.
    #[test]
    fn known_keys_find_the_same_duplicates() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("werger.sqlite3")).unwrap();
        let unit = |i: usize| Unit {
            external_id: None,
            meta: Meta::default(),
            variants: vec![
                Variant::plain(Lang::En, format!("statement {i}")),
                Variant::plain(Lang::Ar, format!("بيان {i}")),
            ],
        };
        db.write(|tx| -> Result<(), StoreError> {
            for i in 0..40 {
                tx.insert_unit(&unit(i), "test")?;
            }
            Ok(())
        })
        .unwrap();
        let ((), _) = db
            .write(|tx| -> Result<(), StoreError> {
                assert!(tx.keys_for_import(1024)?.is_none(), "1 KiB into 40 units");
                let mut known = tx.keys_for_import(1 << 20)?.expect("a big file");
                assert_eq!(known.len(), 40);
                for with_keys in [true, false] {
                    let keys = if with_keys { Some(&mut known) } else { None };
                    assert!(!tx.insert_if_new_among(&unit(7), "test", keys)?.1);
                }
                assert!(
                    tx.insert_if_new_among(&unit(40), "test", Some(&mut known))?
                        .1
                );
                assert!(
                    !tx.insert_if_new_among(&unit(40), "test", Some(&mut known))?
                        .1
                );
                assert!(!tx.insert_if_new_among(&unit(40), "test", None)?.1);
                // Another wording (the same texts, one in another language): new.
                let mut other = unit(40);
                other.variants[1].lang = Lang::Ckb;
                assert!(tx.insert_if_new_among(&other, "test", Some(&mut known))?.1);
                Ok(())
            })
            .unwrap();
        let count: i64 = db
            .read(|c| Ok(c.query_row("SELECT count(*) FROM tu", [], |r| r.get(0))?))
            .unwrap();
        assert_eq!(count, 42);
    }

    /// A bulk write commits without copying its WAL into the database file; the background
    /// checkpoint does, and the connection's automatic checkpoints are back on afterwards.
    #[test]
    fn a_bulk_write_leaves_the_checkpoint_to_a_background_thread() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("werger.sqlite3");
        let db = Db::open(&path).unwrap();
        let file_size = || std::fs::metadata(&path).unwrap().len();
        let before = file_size();
        let text = "the ministry met the mayors of the province today ".repeat(20);
        db.write_bulk(|tx| -> Result<(), StoreError> {
            for i in 0..200 {
                let unit = Unit {
                    external_id: None,
                    meta: Meta::default(),
                    variants: vec![
                        Variant::plain(Lang::En, format!("{text}{i}")),
                        Variant::plain(Lang::Ar, format!("اجتمع {i}")),
                    ],
                };
                tx.insert_unit(&unit, "test")?;
            }
            Ok(())
        })
        .unwrap();
        // Every unit is there for readers at once (from the WAL).
        let count = |db: &Db| {
            db.read(|c| Ok(c.query_row("SELECT count(*) FROM tu", [], |r| r.get::<_, i64>(0))?))
                .unwrap()
        };
        assert_eq!(count(&db), 200);
        db.wait_checkpoint();
        assert!(
            file_size() > before + 200 * text.len() as u64,
            "{before} → {}",
            file_size()
        );
        let pages: i64 = db
            .writer
            .lock()
            .unwrap()
            .pragma_query_value(None, "wal_autocheckpoint", |r| r.get(0))
            .unwrap();
        assert_eq!(pages, AUTOCHECKPOINT_PAGES);
        assert_eq!(count(&Db::open(&path).unwrap()), 200);
    }

    /// Plain segments are stored without their content (made again on reading); segments with
    /// inline codes keep it; both read back as written, and rows of older versions (full
    /// content) still read.
    #[test]
    fn plain_content_is_not_stored_twice_and_reads_back_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("werger.sqlite3")).unwrap();
        let mut unit = Unit {
            external_id: None,
            meta: Meta::default(),
            variants: vec![
                Variant::plain(Lang::En, "R&D <costs> rose by 5%"),
                Variant::plain(Lang::Ar, "ارتفعت التكاليف"),
            ],
        };
        unit.variants[1].content = "ارتفعت <ph x=\"1\"/>التكاليف".into();
        let (id, _) = db
            .write(|tx| -> Result<i64, StoreError> { tx.insert_unit(&unit, "test") })
            .unwrap();
        let stored: Vec<(String, String)> = db
            .read(|c| {
                let mut stmt = c.prepare("SELECT lang, content FROM tuv ORDER BY lang")?;
                let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
                Ok(rows.collect::<Result<_, _>>()?)
            })
            .unwrap();
        assert_eq!(
            stored,
            vec![
                ("ar".to_string(), "ارتفعت <ph x=\"1\"/>التكاليف".to_string()),
                ("en".to_string(), String::new()),
            ]
        );
        let back = db.get_unit(id).unwrap().unwrap().unit;
        assert_eq!(back.variants, unit.variants);
        assert_eq!(back.variants[0].content, "R&amp;D &lt;costs&gt; rose by 5%");
        // A row as earlier versions wrote it.
        db.write(|tx| -> Result<(), StoreError> {
            tx.tx.execute(
                "UPDATE tuv SET content = 'R&amp;D &lt;costs&gt; rose by 5%' WHERE lang = 'en'",
                [],
            )?;
            Ok(())
        })
        .unwrap();
        assert_eq!(
            db.get_unit(id).unwrap().unwrap().unit.variants,
            unit.variants
        );
    }
}
