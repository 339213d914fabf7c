//! The termbase in SQLite: concepts as JSON documents, and a history row for every change.
//!
//! A concept is read and written whole (the maintainer page edits one concept with its four
//! languages at a time), so one JSON column is simpler and safer than a row per term. The
//! `search` column holds the normalized words of all terms, definition and note so that a
//! maintainer searching "داعش" or "peshmerga" finds the concept whatever the spelling variant.
//! The largest history sequence doubles as the glossary's version: a process compares it to
//! decide when its term recognizer is stale (a CLI import beside the server).

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use super::db::{Db, WriteTx};
use super::StoreError;
use crate::core::glossary::Concept;
use crate::core::lang::Lang;
use crate::core::tokenize::tokenize;

pub(super) const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS concept (
    id         TEXT PRIMARY KEY,
    doc        TEXT NOT NULL,
    search     TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL
);
-- Who changed which concept when, with the concept before and after (NULL when absent).
CREATE TABLE IF NOT EXISTS concept_history (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    concept_id TEXT NOT NULL,
    at_ms      INTEGER NOT NULL,
    who        TEXT NOT NULL,
    action     TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete')),
    before     TEXT,
    after      TEXT
);
CREATE INDEX IF NOT EXISTS concept_history_concept ON concept_history(concept_id, seq);
"#;

/// A stored concept with its timestamps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredConcept {
    #[serde(flatten)]
    pub concept: Concept,
    pub created_ms: i64,
    pub updated_ms: i64,
}

/// One change of a concept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryEntry {
    pub seq: i64,
    pub concept_id: String,
    pub at_ms: i64,
    pub who: String,
    pub action: String,
    pub before: Option<Concept>,
    pub after: Option<Concept>,
}

/// What a put did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PutOutcome {
    Created,
    Updated,
    Unchanged,
}

/// The words of a concept as the search column holds them: each term's and text's normalized
/// keys in every language's own folding, space-separated and space-delimited.
fn search_text(concept: &Concept) -> String {
    let mut out = String::from(" ");
    for term in &concept.terms {
        push_keys(&mut out, term.lang, &term.text);
    }
    for text in [&concept.definition, &concept.note, &concept.subject]
        .into_iter()
        .flatten()
    {
        push_keys(&mut out, Lang::En, text);
    }
    out
}

fn push_keys(out: &mut String, lang: Lang, text: &str) {
    for t in tokenize(lang, text) {
        out.push_str(&t.key);
        out.push(' ');
    }
}

/// The ways a search query may be written, one per language's normalizer, as `LIKE` patterns.
fn search_patterns(query: &str) -> Vec<String> {
    let mut patterns: Vec<String> = Lang::ALL
        .iter()
        .map(|&lang| {
            let keys: Vec<String> = tokenize(lang, query)
                .into_iter()
                .map(|t| t.key.into_string())
                .collect();
            let escaped = keys
                .join(" ")
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            format!("% {escaped}%")
        })
        .collect();
    patterns.sort();
    patterns.dedup();
    patterns
}

fn parse_doc(doc: &str) -> Result<Concept, StoreError> {
    Ok(serde_json::from_str(doc)?)
}

fn load(conn: &Connection, id: &str) -> Result<Option<StoredConcept>, StoreError> {
    let row = conn
        .prepare_cached("SELECT doc, created_ms, updated_ms FROM concept WHERE id = ?1")?
        .query_row([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })
        .optional()?;
    row.map(|(doc, created_ms, updated_ms)| {
        Ok(StoredConcept {
            concept: parse_doc(&doc)?,
            created_ms,
            updated_ms,
        })
    })
    .transpose()
}

impl Db {
    pub fn get_concept(&self, id: &str) -> Result<Option<StoredConcept>, StoreError> {
        self.read(|c| load(c, id))
    }

    /// Concepts whose terms, definition or note contain `query` (all when empty), newest change
    /// first; and the total number matching.
    pub fn list_concepts(
        &self,
        query: &str,
        limit: usize,
        offset: usize,
    ) -> Result<(Vec<StoredConcept>, u64), StoreError> {
        self.read(|c| {
            let patterns = if query.trim().is_empty() {
                vec!["%".to_string()]
            } else {
                search_patterns(query)
            };
            let condition = vec!["search LIKE ? ESCAPE '\\'"; patterns.len()].join(" OR ");
            let total: i64 = c.query_row(
                &format!("SELECT COUNT(*) FROM concept WHERE {condition}"),
                rusqlite::params_from_iter(patterns.iter()),
                |r| r.get(0),
            )?;
            let mut stmt = c.prepare(&format!(
                "SELECT doc, created_ms, updated_ms FROM concept WHERE {condition} \
                 ORDER BY updated_ms DESC, id LIMIT {} OFFSET {}",
                limit as i64, offset as i64
            ))?;
            let rows = stmt.query_map(rusqlite::params_from_iter(patterns.iter()), |r| {
                Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?))
            })?;
            let mut out = Vec::new();
            for row in rows {
                let (doc, created_ms, updated_ms) = row?;
                out.push(StoredConcept {
                    concept: parse_doc(&doc)?,
                    created_ms,
                    updated_ms,
                });
            }
            Ok((out, total as u64))
        })
    }

    /// Every concept, in id order (for the recognizer and exports).
    pub fn all_concepts(&self) -> Result<Vec<Concept>, StoreError> {
        self.read(|c| {
            let mut stmt = c.prepare("SELECT doc FROM concept ORDER BY id")?;
            let docs = stmt
                .query_map([], |r| r.get::<_, String>(0))?
                .collect::<Result<Vec<_>, _>>()?;
            docs.iter().map(|d| parse_doc(d)).collect()
        })
    }

    /// The glossary's version: the last history sequence (0 for a glossary never changed).
    pub fn glossary_version(&self) -> Result<i64, StoreError> {
        self.read(|c| {
            Ok(c.query_row(
                "SELECT COALESCE(MAX(seq), 0) FROM concept_history",
                [],
                |r| r.get(0),
            )?)
        })
    }

    /// The history of one concept, oldest first.
    pub fn concept_history(&self, id: &str) -> Result<Vec<HistoryEntry>, StoreError> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT seq, concept_id, at_ms, who, action, before, after FROM concept_history \
                 WHERE concept_id = ?1 ORDER BY seq",
            )?;
            let rows = stmt.query_map([id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, Option<String>>(6)?,
                ))
            })?;
            let mut out = Vec::new();
            for row in rows {
                let (seq, concept_id, at_ms, who, action, before, after) = row?;
                out.push(HistoryEntry {
                    seq,
                    concept_id,
                    at_ms,
                    who,
                    action,
                    before: before.as_deref().map(parse_doc).transpose()?,
                    after: after.as_deref().map(parse_doc).transpose()?,
                });
            }
            Ok(out)
        })
    }
}

impl WriteTx<'_> {
    pub fn get_concept(&self, id: &str) -> Result<Option<StoredConcept>, StoreError> {
        load(&self.tx, id)
    }

    /// An id no concept has: `c1`, `c2`, … after the largest row number.
    pub fn new_concept_id(&self) -> Result<String, StoreError> {
        let mut n: i64 =
            self.tx
                .query_row("SELECT COALESCE(MAX(rowid), 0) + 1 FROM concept", [], |r| {
                    r.get(0)
                })?;
        loop {
            let id = format!("c{n}");
            if load(&self.tx, &id)?.is_none() {
                return Ok(id);
            }
            n += 1;
        }
    }

    /// Create or replace a concept (its `id` must be set), recording the change as `who`.
    pub fn put_concept(&mut self, concept: &Concept, who: &str) -> Result<PutOutcome, StoreError> {
        let before = load(&self.tx, &concept.id)?;
        if before.as_ref().is_some_and(|b| &b.concept == concept) {
            return Ok(PutOutcome::Unchanged);
        }
        let doc = serde_json::to_string(concept)?;
        let now = self.now();
        self.tx
            .prepare_cached(
                "INSERT INTO concept (id, doc, search, created_ms, updated_ms) VALUES (?1, ?2, ?3, ?4, ?4) \
                 ON CONFLICT(id) DO UPDATE SET doc = excluded.doc, search = excluded.search, updated_ms = excluded.updated_ms",
            )?
            .execute(params![concept.id, doc, search_text(concept), now])?;
        let before_doc = before
            .as_ref()
            .map(|b| serde_json::to_string(&b.concept))
            .transpose()?;
        let action = if before.is_some() { "update" } else { "create" };
        self.history(&concept.id, who, action, before_doc, Some(doc))?;
        Ok(if before.is_some() {
            PutOutcome::Updated
        } else {
            PutOutcome::Created
        })
    }

    /// Delete a concept; `false` if there was none.
    pub fn delete_concept(&mut self, id: &str, who: &str) -> Result<bool, StoreError> {
        let Some(before) = load(&self.tx, id)? else {
            return Ok(false);
        };
        self.tx
            .prepare_cached("DELETE FROM concept WHERE id = ?1")?
            .execute([id])?;
        let before_doc = serde_json::to_string(&before.concept)?;
        self.history(id, who, "delete", Some(before_doc), None)?;
        Ok(true)
    }

    fn history(
        &mut self,
        id: &str,
        who: &str,
        action: &str,
        before: Option<String>,
        after: Option<String>,
    ) -> Result<(), StoreError> {
        let now = self.now();
        self.tx
            .prepare_cached(
                "INSERT INTO concept_history (concept_id, at_ms, who, action, before, after) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![id, now, who, action, before, after])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::glossary::{Status, Term};

    fn concept(id: &str, en: &str, ar: &str) -> Concept {
        Concept {
            id: id.into(),
            terms: vec![
                Term::new(Lang::En, en, Status::Preferred),
                Term::new(Lang::Ar, ar, Status::Preferred),
            ],
            ..Concept::default()
        }
    }

    #[test]
    fn put_get_history_and_search() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("db.sqlite3")).unwrap();
        assert_eq!(db.glossary_version().unwrap(), 0);
        let c = concept("daesh", "Daesh", "داعش");
        let (outcome, _) = db.write(|tx| tx.put_concept(&c, "maintainer")).unwrap();
        assert_eq!(outcome, PutOutcome::Created);
        let (again, _) = db.write(|tx| tx.put_concept(&c, "maintainer")).unwrap();
        assert_eq!(again, PutOutcome::Unchanged);
        let mut changed = c.clone();
        changed.note = Some("never ISIS".into());
        db.write(|tx| tx.put_concept(&changed, "editor")).unwrap();
        let history = db.concept_history("daesh").unwrap();
        assert_eq!(history.len(), 2);
        assert_eq!(history[1].who, "editor");
        assert_eq!(history[1].before.as_ref(), Some(&c));
        assert_eq!(history[1].after.as_ref(), Some(&changed));
        assert!(db.glossary_version().unwrap() >= 2);

        db.write(|tx| tx.put_concept(&concept("c9", "Peshmerga", "البيشمركة"), "m"))
            .unwrap();
        // Found through the Arabic normalizer (hamza-less alef) and case folding.
        let (hits, total) = db.list_concepts("PESHMERGA", 10, 0).unwrap();
        assert_eq!((hits.len(), total), (1, 1));
        let (hits, _) = db.list_concepts("البيشمركه", 10, 0).unwrap();
        assert_eq!(hits[0].concept.id, "c9");
        let (all, total) = db.list_concepts("", 1, 0).unwrap();
        assert_eq!((all.len(), total), (1, 2));

        let (deleted, _) = db.write(|tx| tx.delete_concept("daesh", "m")).unwrap();
        assert!(deleted);
        assert!(db.get_concept("daesh").unwrap().is_none());
        assert_eq!(
            db.concept_history("daesh").unwrap().last().unwrap().action,
            "delete"
        );
    }
}
