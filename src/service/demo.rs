//! The built-in demo memory: a few statements written for the project in all four languages,
//! so that a newcomer running `serve --demo` sees real suggestions at once.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Service, ServiceError};
use crate::core::glossary::csv::{CsvLimits, CsvReader};
use crate::core::lang::Lang;
use crate::core::unit::{Unit, Variant};

const DEMO: &str = include_str!("../demo/statements.json");
/// A small glossary for the demo (written for the project), so terms and terminology checks
/// show in the demo editor too.
const DEMO_GLOSSARY: &str = include_str!("../demo/glossary.csv");

/// The demo statements file: `serve --demo` loads it into the memory, and the demo editor's
/// page offers the same statements to translate.
#[derive(Deserialize)]
pub struct DemoFile {
    pub statements: Vec<DemoStatement>,
}

/// One demo statement: its sentences, aligned across languages, one map per unit.
#[derive(Deserialize)]
pub struct DemoStatement {
    pub id: String,
    pub date: String,
    pub title: BTreeMap<Lang, String>,
    pub units: Vec<BTreeMap<Lang, String>>,
}

/// The demo statements, parsed from the file built into the binary.
pub fn demo_file() -> Result<DemoFile, ServiceError> {
    serde_json::from_str(DEMO).map_err(ServiceError::internal)
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct DemoReport {
    pub statements: usize,
    pub added: usize,
    pub already_present: usize,
    /// Glossary concepts created (0 when they are there already).
    pub concepts: usize,
}

impl Service {
    /// Load the demo statements; loading them again adds nothing.
    pub fn load_demo(&self) -> Result<DemoReport, ServiceError> {
        let file = demo_file()?;
        let (report, seq) = self.store.db.write(|tx| -> Result<_, ServiceError> {
            let mut report = DemoReport::default();
            for st in &file.statements {
                let mut segments = Vec::new();
                for (position, texts) in st.units.iter().enumerate() {
                    let unit = Unit {
                        external_id: Some(format!("{}:{}", st.id, position + 1)),
                        meta: Default::default(),
                        variants: texts
                            .iter()
                            .map(|(lang, text)| Variant::plain(*lang, text.clone()))
                            .collect(),
                    };
                    let (id, new) = tx.insert_if_new(&unit, &format!("statement:{}", st.id))?;
                    if new {
                        report.added += 1;
                    } else {
                        report.already_present += 1;
                    }
                    for (lang, text) in texts {
                        segments.push((*lang, position, text.as_str(), Some(id)));
                    }
                }
                let title = serde_json::to_value(&st.title).map_err(ServiceError::internal)?;
                tx.put_statement(&st.id, Some(&st.date), &title, &segments)?;
                report.statements += 1;
            }
            Ok(report)
        })?;
        self.sync_index(seq)?;
        let mut report = report;
        report.concepts = self.load_demo_glossary()?;
        Ok(report)
    }

    /// Create the demo concepts that are missing (a maintainer's edits to them are kept).
    fn load_demo_glossary(&self) -> Result<usize, ServiceError> {
        let mut reader = CsvReader::new(DEMO_GLOSSARY.as_bytes(), CsvLimits::default())
            .map_err(ServiceError::internal)?;
        let mut concepts = Vec::new();
        while let Some(parsed) = reader.next_concept().map_err(ServiceError::internal)? {
            concepts.push(parsed.concept.validated().map_err(ServiceError::internal)?);
        }
        let (created, _) = self.store.db.write(|tx| -> Result<usize, ServiceError> {
            let mut created = 0;
            for concept in &concepts {
                if tx.get_concept(&concept.id)?.is_none() {
                    tx.put_concept(concept, "demo")?;
                    created += 1;
                }
            }
            Ok(created)
        })?;
        Ok(created)
    }
}
