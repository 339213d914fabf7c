//! Concepts and terms, and the rules a concept must keep to be stored.

use serde::{Deserialize, Serialize};

use crate::core::lang::Lang;

/// How a term may be used, in the vocabulary of TBX's `administrativeStatus`.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The approved term: QA asks for it.
    #[default]
    Preferred,
    /// Acceptable, not first choice: QA accepts it.
    Admitted,
    /// Was in use, should be replaced: QA warns.
    Deprecated,
    /// Must not appear in a release: QA reports an error.
    Forbidden,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Preferred,
        Status::Admitted,
        Status::Deprecated,
        Status::Forbidden,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Preferred => "preferred",
            Status::Admitted => "admitted",
            Status::Deprecated => "deprecated",
            Status::Forbidden => "forbidden",
        }
    }

    /// Whether a translator may write this term.
    pub fn is_allowed(self) -> bool {
        matches!(self, Status::Preferred | Status::Admitted)
    }

    /// Parse our own names and TBX's values (`preferredTerm-admn-sts`, `supersededTerm-admn-sts`,
    /// …), case-insensitively.
    pub fn parse(value: &str) -> Option<Status> {
        let v = value.trim().to_ascii_lowercase();
        let v = v.strip_suffix("-admn-sts").unwrap_or(&v);
        let v = v.strip_suffix("term").unwrap_or(v);
        match v {
            "preferred" | "" => Some(Status::Preferred),
            "admitted" | "standardized" | "normative" => Some(Status::Admitted),
            "deprecated" | "superseded" | "legal" | "regulated" => Some(Status::Deprecated),
            "forbidden" | "not recommended" | "notrecommended" => Some(Status::Forbidden),
            _ => None,
        }
    }
}

/// One term: a word or phrase for a concept in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    pub lang: Lang,
    pub text: String,
    #[serde(default)]
    pub status: Status,
    /// Part of speech as the maintainer wrote it ("noun", "proper noun", …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pos: Option<String>,
    /// When set, only the exact letter case is recognized ("AIDS" but not "aids").
    #[serde(default)]
    pub case_sensitive: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Term {
    pub fn new(lang: Lang, text: impl Into<String>, status: Status) -> Self {
        Term {
            lang,
            text: text.into(),
            status,
            pos: None,
            case_sensitive: false,
            note: None,
        }
    }
}

/// A concept: one meaning, with its terms in any of the four languages.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Concept {
    /// Stable identifier; a TBX import keeps the file's `conceptEntry id`. Empty on creation
    /// means "assign one".
    #[serde(default)]
    pub id: String,
    /// Subject field / domain ("security", "health").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definition: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default)]
    pub terms: Vec<Term>,
}

/// Why a concept cannot be stored as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConceptError {
    #[error("a concept needs at least one term")]
    NoTerms,
    #[error("term {index} is empty")]
    EmptyTerm { index: usize },
    #[error("term {index} is longer than {max} characters")]
    TermTooLong { index: usize, max: usize },
    #[error("the term {text:?} ({lang}) is listed twice")]
    Duplicate { lang: &'static str, text: String },
    #[error("concept id {id:?} is not usable: 1 to 128 characters, no control characters")]
    BadId { id: String },
}

/// Longest term accepted, in characters: a term is a name or phrase, not a paragraph.
pub const MAX_TERM_CHARS: usize = 300;

impl Concept {
    /// Trim whitespace, drop empty optional fields and check the rules; returns the cleaned
    /// concept.
    pub fn validated(mut self) -> Result<Concept, ConceptError> {
        self.id = self.id.trim().to_string();
        if self.id.chars().count() > 128 || self.id.chars().any(char::is_control) {
            return Err(ConceptError::BadId { id: self.id });
        }
        for field in [&mut self.subject, &mut self.definition, &mut self.note] {
            *field = field
                .take()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty());
        }
        if self.terms.is_empty() {
            return Err(ConceptError::NoTerms);
        }
        let mut seen = std::collections::HashSet::new();
        for (index, term) in self.terms.iter_mut().enumerate() {
            term.text = term.text.split_whitespace().collect::<Vec<_>>().join(" ");
            if term.text.is_empty() {
                return Err(ConceptError::EmptyTerm { index });
            }
            if term.text.chars().count() > MAX_TERM_CHARS {
                return Err(ConceptError::TermTooLong {
                    index,
                    max: MAX_TERM_CHARS,
                });
            }
            for field in [&mut term.pos, &mut term.note] {
                *field = field
                    .take()
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty());
            }
            if !seen.insert((term.lang, term.text.clone())) {
                return Err(ConceptError::Duplicate {
                    lang: term.lang.code(),
                    text: term.text.clone(),
                });
            }
        }
        Ok(self)
    }

    /// The terms of one language, preferred first.
    pub fn terms_in(&self, lang: Lang) -> impl Iterator<Item = &Term> {
        let mut terms: Vec<&Term> = self.terms.iter().filter(|t| t.lang == lang).collect();
        terms.sort_by_key(|t| t.status);
        terms.into_iter()
    }

    /// The term a translator should write in `lang`: the first preferred, else admitted one.
    pub fn preferred(&self, lang: Lang) -> Option<&Term> {
        self.terms_in(lang).find(|t| t.status.is_allowed())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn concept(terms: Vec<Term>) -> Concept {
        Concept {
            terms,
            ..Concept::default()
        }
    }

    #[test]
    fn status_reads_tbx_values() {
        assert_eq!(
            Status::parse("preferredTerm-admn-sts"),
            Some(Status::Preferred)
        );
        assert_eq!(
            Status::parse("admittedTerm-admn-sts"),
            Some(Status::Admitted)
        );
        assert_eq!(
            Status::parse("deprecatedTerm-admn-sts"),
            Some(Status::Deprecated)
        );
        assert_eq!(
            Status::parse("supersededTerm-admn-sts"),
            Some(Status::Deprecated)
        );
        assert_eq!(Status::parse("Forbidden"), Some(Status::Forbidden));
        assert_eq!(Status::parse("sometimes"), None);
    }

    #[test]
    fn validation_trims_and_rejects() {
        let c = concept(vec![Term::new(
            Lang::En,
            "  Peshmerga   Security Forces ",
            Status::Preferred,
        )])
        .validated()
        .unwrap();
        assert_eq!(c.terms[0].text, "Peshmerga Security Forces");
        assert_eq!(concept(vec![]).validated(), Err(ConceptError::NoTerms));
        assert_eq!(
            concept(vec![Term::new(Lang::Ar, "  ", Status::Preferred)]).validated(),
            Err(ConceptError::EmptyTerm { index: 0 })
        );
        let twice = concept(vec![
            Term::new(Lang::Ar, "داعش", Status::Preferred),
            Term::new(Lang::Ar, "داعش", Status::Forbidden),
        ]);
        assert!(matches!(
            twice.validated(),
            Err(ConceptError::Duplicate { .. })
        ));
    }

    #[test]
    fn preferred_skips_forbidden_terms() {
        let c = concept(vec![
            Term::new(Lang::Ar, "الدولة الإسلامية", Status::Forbidden),
            Term::new(Lang::Ar, "داعش", Status::Preferred),
        ]);
        assert_eq!(c.preferred(Lang::Ar).unwrap().text, "داعش");
        assert!(c.preferred(Lang::En).is_none());
    }
}
