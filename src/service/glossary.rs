//! Glossary use cases: concepts CRUD with history, term lookup, terminology QA, TBX/CSV in and
//! out.
//!
//! The term recognizer is built from all concepts and cached; every request compares the cached
//! glossary version with the database's (one indexed `MAX` query) and rebuilds when another
//! request or another process (a CLI import) changed the glossary.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, Read, Write};
use std::path::Path;
use std::sync::{Arc, RwLock};

use serde::{Deserialize, Serialize};

use super::{language, text_param, Service, ServiceError};
use crate::core::glossary::csv::{CsvError, CsvLimits, CsvReader, CsvWriter};
use crate::core::glossary::qa::{self, ProblemKind, Side};
use crate::core::glossary::recognize::{char_offset, Recognizer};
use crate::core::glossary::tbx::{self, ParsedConcept, TbxError, TbxReader, TbxWriter};
use crate::core::glossary::{Concept, Status, Term};
use crate::core::lang::Lang;
use crate::core::tmx::line_column;
use crate::store::glossary::{HistoryEntry, PutOutcome, StoredConcept};
use crate::store::StoreError;

const DEFAULT_PAGE: usize = 50;
const MAX_PAGE: usize = 500;

/// The recognizer of the glossary version it was built from.
#[derive(Default)]
pub struct TermCache {
    current: RwLock<Option<(i64, Arc<Recognizer>)>>,
}

/// A concept as clients send it: languages as any accepted tag, statuses by name.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConceptBody {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub subject: Option<String>,
    #[serde(default)]
    pub definition: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub terms: Vec<TermBody>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TermBody {
    pub lang: String,
    pub text: String,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub pos: Option<String>,
    #[serde(default)]
    pub case_sensitive: bool,
    #[serde(default)]
    pub note: Option<String>,
}

impl ConceptBody {
    fn into_concept(self) -> Result<Concept, ServiceError> {
        let mut terms = Vec::with_capacity(self.terms.len());
        for (i, t) in self.terms.into_iter().enumerate() {
            let status = match t.status.as_deref() {
                None => Status::Preferred,
                Some(s) => Status::parse(s).ok_or_else(|| ServiceError::InvalidParameter {
                    name: format!("terms[{i}].status"),
                    detail: "preferred, admitted, deprecated or forbidden".into(),
                })?,
            };
            terms.push(Term {
                lang: language(&t.lang)?,
                text: t.text,
                status,
                pos: t.pos,
                case_sensitive: t.case_sensitive,
                note: t.note,
            });
        }
        let concept = Concept {
            id: self.id.unwrap_or_default(),
            subject: self.subject,
            definition: self.definition,
            note: self.note,
            terms,
        };
        concept
            .validated()
            .map_err(|e| ServiceError::ConceptInvalid(e.to_string()))
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ConceptList {
    pub total: u64,
    pub concepts: Vec<StoredConcept>,
}

/// A lookup request: which terms are in `text`, with their equivalents in `targets`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LookupRequest {
    pub lang: String,
    pub text: String,
    /// Target languages; all the others when absent.
    #[serde(default)]
    pub targets: Option<Vec<String>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TermsResponse {
    pub terms: Vec<TermHit>,
}

/// One recognized term: character offsets into the text, the concept and its equivalents.
#[derive(Debug, Clone, Serialize)]
pub struct TermHit {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub concept_id: String,
    /// The glossary term that matched and its status (a deprecated source term shows here).
    pub term: String,
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub definition: Option<String>,
    pub targets: Vec<TargetTerm>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TargetTerm {
    pub lang: Lang,
    pub term: String,
    pub status: Status,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QaRequest {
    pub source_lang: String,
    pub target_lang: String,
    pub source: String,
    pub target: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct QaResponse {
    pub problems: Vec<QaProblem>,
}

/// One terminology problem, with character offsets into the side it is about.
#[derive(Debug, Clone, Serialize)]
pub struct QaProblem {
    pub kind: ProblemKind,
    pub side: Side,
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub concept_id: String,
    pub suggestions: Vec<String>,
}

/// Glossary file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GlossaryFormat {
    Tbx,
    Csv,
}

/// What a glossary import did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct GlossaryImportReport {
    pub file: String,
    pub concepts_read: u64,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Concepts with no term in a supported language: not stored.
    pub without_terms: u64,
    /// Terms in languages Werger does not handle, by tag.
    pub skipped_terms: Vec<SkippedTermCount>,
    /// How tags were read and scripts that disagree with tags, with counts.
    pub notes: Vec<NoteCount>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SkippedTermCount {
    pub tag: String,
    pub reason: String,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct NoteCount {
    pub note: String,
    pub count: u64,
}

/// Why a glossary import was rolled back.
enum ImportFailure {
    Tbx(TbxError),
    Csv(CsvError),
    Concept { id: String, detail: String },
    Store(StoreError),
}

impl From<StoreError> for ImportFailure {
    fn from(e: StoreError) -> Self {
        ImportFailure::Store(e)
    }
}

/// Either reader, one concept at a time.
enum GlossaryReader<R: Read> {
    Tbx(Box<TbxReader<Box<dyn BufRead>>>),
    Csv(Box<CsvReader<R>>),
}

impl<R: Read> GlossaryReader<R> {
    fn next(&mut self) -> Result<Option<ParsedConcept>, ImportFailure> {
        match self {
            GlossaryReader::Tbx(r) => r.next_concept().map_err(ImportFailure::Tbx),
            GlossaryReader::Csv(r) => r.next_concept().map_err(ImportFailure::Csv),
        }
    }
}

impl Service {
    /// The term recognizer for the current glossary.
    pub fn recognizer(&self) -> Result<Arc<Recognizer>, ServiceError> {
        let version = self.store.db.glossary_version()?;
        if let Some((v, r)) = self.terms.current.read().expect("term cache").as_ref() {
            if *v == version {
                return Ok(r.clone());
            }
        }
        let recognizer = Arc::new(Recognizer::new(self.store.db.all_concepts()?));
        *self.terms.current.write().expect("term cache") = Some((version, recognizer.clone()));
        Ok(recognizer)
    }

    pub fn get_concept(&self, id: &str) -> Result<StoredConcept, ServiceError> {
        self.store
            .db
            .get_concept(id)?
            .ok_or_else(|| ServiceError::ConceptNotFound(id.to_string()))
    }

    pub fn concept_history(&self, id: &str) -> Result<Vec<HistoryEntry>, ServiceError> {
        let history = self.store.db.concept_history(id)?;
        if history.is_empty() {
            return Err(ServiceError::ConceptNotFound(id.to_string()));
        }
        Ok(history)
    }

    pub fn list_concepts(
        &self,
        query: &str,
        limit: Option<usize>,
        offset: Option<usize>,
    ) -> Result<ConceptList, ServiceError> {
        let limit = limit.unwrap_or(DEFAULT_PAGE);
        if limit == 0 || limit > MAX_PAGE {
            return Err(ServiceError::InvalidParameter {
                name: "limit".into(),
                detail: format!("1–{MAX_PAGE}"),
            });
        }
        let (concepts, total) = self
            .store
            .db
            .list_concepts(query, limit, offset.unwrap_or(0))?;
        Ok(ConceptList { total, concepts })
    }

    /// Create a concept; an id is assigned when the body has none.
    pub fn create_concept(
        &self,
        body: ConceptBody,
        who: &str,
    ) -> Result<StoredConcept, ServiceError> {
        let mut concept = body.into_concept()?;
        let (id, _) = self.store.db.write(|tx| -> Result<String, ServiceError> {
            if concept.id.is_empty() {
                concept.id = tx.new_concept_id()?;
            } else if tx.get_concept(&concept.id)?.is_some() {
                return Err(ServiceError::ConceptExists(concept.id.clone()));
            }
            tx.put_concept(&concept, who)?;
            Ok(concept.id.clone())
        })?;
        self.get_concept(&id)
    }

    /// Replace concept `id` with `body` (whose id, if given, must be `id`).
    pub fn update_concept(
        &self,
        id: &str,
        body: ConceptBody,
        who: &str,
    ) -> Result<StoredConcept, ServiceError> {
        if body.id.as_deref().is_some_and(|b| b.trim() != id) {
            return Err(ServiceError::InvalidParameter {
                name: "id".into(),
                detail: format!("the body names another concept than {id}"),
            });
        }
        let mut concept = body.into_concept()?;
        concept.id = id.to_string();
        self.store.db.write(|tx| -> Result<(), ServiceError> {
            if tx.get_concept(id)?.is_none() {
                return Err(ServiceError::ConceptNotFound(id.to_string()));
            }
            tx.put_concept(&concept, who)?;
            Ok(())
        })?;
        self.get_concept(id)
    }

    pub fn delete_concept(&self, id: &str, who: &str) -> Result<(), ServiceError> {
        let (deleted, _) = self
            .store
            .db
            .write(|tx| tx.delete_concept(id, who).map_err(ServiceError::from))?;
        if deleted {
            Ok(())
        } else {
            Err(ServiceError::ConceptNotFound(id.to_string()))
        }
    }

    /// The glossary terms in `text`, with their equivalents in `targets` (all other languages
    /// when empty).
    pub fn lookup_terms(
        &self,
        lang: Lang,
        text: &str,
        targets: &[Lang],
    ) -> Result<Vec<TermHit>, ServiceError> {
        let recognizer = self.recognizer()?;
        Ok(term_hits(&recognizer, lang, text, targets))
    }

    pub fn lookup(&self, req: &LookupRequest) -> Result<TermsResponse, ServiceError> {
        let lang = language(&req.lang)?;
        let text = text_param(&req.text)?;
        let targets = match &req.targets {
            Some(tags) => tags.iter().map(|t| language(t)).collect::<Result<_, _>>()?,
            None => Vec::new(),
        };
        Ok(TermsResponse {
            terms: self.lookup_terms(lang, text, &targets)?,
        })
    }

    pub fn qa(&self, req: &QaRequest) -> Result<QaResponse, ServiceError> {
        let source_lang = language(&req.source_lang)?;
        let target_lang = language(&req.target_lang)?;
        if source_lang == target_lang {
            return Err(ServiceError::SameLanguage(source_lang));
        }
        let source = text_param(&req.source)?;
        // An empty target is a draft not yet begun: every source term is missing.
        let target = if req.target.trim().is_empty() {
            ""
        } else {
            text_param(&req.target)?
        };
        let recognizer = self.recognizer()?;
        let problems = qa::check(&recognizer, source_lang, source, target_lang, target)
            .into_iter()
            .map(|p| {
                let text = match p.side {
                    Side::Source => source,
                    Side::Target => target,
                };
                QaProblem {
                    kind: p.kind,
                    side: p.side,
                    start: char_offset(text, p.start),
                    end: char_offset(text, p.end),
                    text: text[p.start..p.end].to_string(),
                    concept_id: recognizer.concept(p.concept).id.clone(),
                    suggestions: p.suggestions,
                }
            })
            .collect();
        Ok(QaResponse { problems })
    }

    /// Import a TBX or CSV glossary file in one transaction: all of it, or nothing. Concepts
    /// whose id exists are replaced (history keeps the old version); others are created.
    pub fn import_glossary(
        &self,
        path: &Path,
        name: &str,
        format: GlossaryFormat,
        who: &str,
        progress: &mut dyn FnMut(u64),
    ) -> Result<GlossaryImportReport, ServiceError> {
        let open = || {
            File::open(path).map_err(|e| ServiceError::InvalidParameter {
                name: "FILE".into(),
                detail: format!("{}: {e}", path.display()),
            })
        };
        let file = open()?;
        let mut report = GlossaryImportReport {
            file: name.to_string(),
            ..GlossaryImportReport::default()
        };
        let mut skipped: BTreeMap<(String, String), u64> = BTreeMap::new();
        let mut notes: BTreeMap<String, u64> = BTreeMap::new();
        let result = self.store.db.write(|tx| -> Result<(), ImportFailure> {
            let mut reader = match format {
                GlossaryFormat::Tbx => {
                    let input: Box<dyn BufRead> = Box::new(tbx::open(file));
                    GlossaryReader::Tbx(Box::new(
                        TbxReader::new(input, tbx::Limits::default())
                            .map_err(ImportFailure::Tbx)?,
                    ))
                }
                GlossaryFormat::Csv => GlossaryReader::Csv(Box::new(
                    CsvReader::new(file, CsvLimits::default()).map_err(ImportFailure::Csv)?,
                )),
            };
            while let Some(parsed) = reader.next()? {
                report.concepts_read += 1;
                for s in parsed.skipped {
                    *skipped.entry((s.tag, s.reason)).or_default() += 1;
                }
                for n in parsed.notes {
                    *notes.entry(n).or_default() += 1;
                }
                let mut concept = parsed.concept;
                if concept.terms.is_empty() {
                    report.without_terms += 1;
                    continue;
                }
                let label = concept.id.clone();
                concept = concept.validated().map_err(|e| ImportFailure::Concept {
                    id: if label.is_empty() {
                        format!("#{}", report.concepts_read)
                    } else {
                        label
                    },
                    detail: e.to_string(),
                })?;
                if concept.id.is_empty() {
                    concept.id = tx.new_concept_id()?;
                }
                match tx.put_concept(&concept, who)? {
                    PutOutcome::Created => report.created += 1,
                    PutOutcome::Updated => report.updated += 1,
                    PutOutcome::Unchanged => report.unchanged += 1,
                }
                if report.concepts_read.is_multiple_of(256) {
                    progress(report.concepts_read);
                }
            }
            Ok(())
        });
        match result {
            Ok(_) => {}
            Err(ImportFailure::Store(e)) => return Err(e.into()),
            Err(ImportFailure::Concept { id, detail }) => {
                return Err(ServiceError::ConceptInvalid(format!("{id}: {detail}")))
            }
            Err(ImportFailure::Csv(e)) => {
                return Err(ServiceError::GlossaryInvalid {
                    line: e.line,
                    column: 0,
                    detail: e.message,
                })
            }
            Err(ImportFailure::Tbx(e)) => {
                let (line, column) = open()
                    .ok()
                    .and_then(|f| line_column(tbx::open(f), e.offset).ok())
                    .unwrap_or((0, 0));
                return Err(ServiceError::GlossaryInvalid {
                    line,
                    column,
                    detail: e.message,
                });
            }
        }
        progress(report.concepts_read);
        report.skipped_terms = skipped
            .into_iter()
            .map(|((tag, reason), count)| SkippedTermCount { tag, reason, count })
            .collect();
        report.notes = notes
            .into_iter()
            .map(|(note, count)| NoteCount { note, count })
            .collect();
        Ok(report)
    }

    /// Write the whole glossary to `out`; returns the number of concepts.
    pub fn export_glossary(
        &self,
        out: impl Write,
        format: GlossaryFormat,
    ) -> Result<u64, ServiceError> {
        let concepts = self.store.db.all_concepts()?;
        let io = |e: std::io::Error| ServiceError::internal(format!("writing glossary: {e}"));
        match format {
            GlossaryFormat::Tbx => {
                let mut w = TbxWriter::new(out).map_err(io)?;
                for c in &concepts {
                    w.write_concept(c).map_err(io)?;
                }
                w.finish().map_err(io)?;
            }
            GlossaryFormat::Csv => {
                let mut w = CsvWriter::new(out).map_err(io)?;
                for c in &concepts {
                    w.write_concept(c).map_err(io)?;
                }
                w.finish().map_err(io)?;
            }
        }
        Ok(concepts.len() as u64)
    }
}

/// The recognized terms of `text` as the API shows them.
pub fn term_hits(
    recognizer: &Recognizer,
    lang: Lang,
    text: &str,
    targets: &[Lang],
) -> Vec<TermHit> {
    recognizer
        .find(lang, text)
        .into_iter()
        .map(|occ| {
            let concept = recognizer.concept(occ.concept);
            let term = recognizer.term(&occ);
            let wanted = |l: Lang| {
                if targets.is_empty() {
                    l != lang
                } else {
                    targets.contains(&l)
                }
            };
            let mut target_terms: Vec<TargetTerm> = Lang::ALL
                .into_iter()
                .filter(|&l| wanted(l))
                .flat_map(|l| concept.terms_in(l))
                .map(|t| TargetTerm {
                    lang: t.lang,
                    term: t.text.clone(),
                    status: t.status,
                })
                .collect();
            target_terms.sort_by_key(|t| (t.lang, t.status));
            TermHit {
                start: char_offset(text, occ.start),
                end: char_offset(text, occ.end),
                text: text[occ.start..occ.end].to_string(),
                concept_id: concept.id.clone(),
                term: term.text.clone(),
                status: term.status,
                definition: concept.definition.clone(),
                targets: target_terms,
            }
        })
        .collect()
}
