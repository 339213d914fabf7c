//! Terminology QA: does a target draft use the approved terms for the source's concepts, and
//! does it avoid deprecated and forbidden ones?
//!
//! Both sides are read by the [`Recognizer`], so an approved term counts as present in any
//! inflected form (بالحاسوب for حاسوب, پێشمەرگەکان for پێشمەرگە): the false alarms that make
//! translators switch off the QA of CAT tools, which compare strings.

use serde::Serialize;

use super::concept::Status;
use super::recognize::{Occurrence, Prepared, Recognizer};
use crate::core::lang::Lang;

/// What is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// A source term's concept has approved target terms, and none is in the target.
    MissingTerm,
    /// The target uses a term marked forbidden.
    ForbiddenTerm,
    /// The target uses a term marked deprecated.
    DeprecatedTerm,
}

/// Which text a problem's span points into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Source,
    Target,
}

/// One problem, with the span it is about (byte offsets into that side's text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub kind: ProblemKind,
    pub side: Side,
    pub start: usize,
    pub end: usize,
    /// Index of the concept in the recognizer.
    pub concept: usize,
    /// The approved target terms to use instead (preferred first).
    pub suggestions: Vec<String>,
}

/// Check `target` (in `target_lang`) against `source` (in `source_lang`).
///
/// A missing term is reported once per concept, at its first source occurrence. A concept with
/// no approved term in the target language cannot be checked and is silently fine.
pub fn check(
    recognizer: &Recognizer,
    source_lang: Lang,
    source: &str,
    target_lang: Lang,
    target: &str,
) -> Vec<Problem> {
    let in_source = recognizer.find(source_lang, source);
    // The target is tokenized once, for both the terms it uses and the presence checks.
    let prepared = Prepared::new(target_lang, target);
    let in_target = recognizer.find_in(&prepared);
    let approved = |concept: usize| -> Vec<String> {
        recognizer
            .concept(concept)
            .terms_in(target_lang)
            .filter(|t| t.status.is_allowed())
            .map(|t| t.text.clone())
            .collect()
    };
    let mut problems = Vec::new();
    let mut checked = Vec::new();
    for occ in &in_source {
        if checked.contains(&occ.concept) {
            continue;
        }
        checked.push(occ.concept);
        let suggestions = approved(occ.concept);
        if suggestions.is_empty() {
            continue;
        }
        if !recognizer.mentions(target_lang, &prepared, occ.concept) {
            problems.push(problem(
                ProblemKind::MissingTerm,
                Side::Source,
                occ,
                suggestions,
            ));
        }
    }
    for occ in &in_target {
        let kind = match recognizer.term(occ).status {
            Status::Forbidden => ProblemKind::ForbiddenTerm,
            Status::Deprecated => ProblemKind::DeprecatedTerm,
            _ => continue,
        };
        problems.push(problem(kind, Side::Target, occ, approved(occ.concept)));
    }
    problems.sort_by_key(|p| (p.side == Side::Target, p.start));
    problems
}

fn problem(kind: ProblemKind, side: Side, occ: &Occurrence, suggestions: Vec<String>) -> Problem {
    Problem {
        kind,
        side,
        start: occ.start,
        end: occ.end,
        concept: occ.concept,
        suggestions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::glossary::concept::{Concept, Term};

    fn recognizer() -> Recognizer {
        let daesh = Concept {
            id: "daesh".into(),
            terms: vec![
                Term::new(Lang::En, "Daesh", Status::Preferred),
                Term::new(Lang::En, "ISIS", Status::Deprecated),
                Term::new(Lang::Ar, "داعش", Status::Preferred),
                Term::new(Lang::Ar, "الدولة الإسلامية", Status::Forbidden),
                Term::new(Lang::Ckb, "داعش", Status::Preferred),
            ],
            ..Concept::default()
        };
        let peshmerga = Concept {
            id: "peshmerga".into(),
            terms: vec![
                Term::new(Lang::En, "Peshmerga", Status::Preferred),
                Term::new(Lang::Ckb, "پێشمەرگە", Status::Preferred),
            ],
            ..Concept::default()
        };
        Recognizer::new(vec![daesh, peshmerga])
    }

    #[test]
    fn inflected_target_term_counts_as_present() {
        let r = recognizer();
        let problems = check(
            &r,
            Lang::En,
            "The Peshmerga fought Daesh.",
            Lang::Ckb,
            "پێشمەرگەکان لەگەڵ داعشدا شەڕیان کرد.",
        );
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn missing_term_points_at_the_source() {
        let r = recognizer();
        let source = "The Peshmerga fought Daesh.";
        let problems = check(&r, Lang::En, source, Lang::Ckb, "هێزەکان شەڕیان کرد.");
        assert_eq!(problems.len(), 2);
        assert_eq!(problems[0].kind, ProblemKind::MissingTerm);
        assert_eq!(&source[problems[0].start..problems[0].end], "Peshmerga");
        assert_eq!(problems[0].suggestions, vec!["پێشمەرگە".to_string()]);
        assert_eq!(&source[problems[1].start..problems[1].end], "Daesh");
    }

    #[test]
    fn forbidden_term_in_target_with_replacement() {
        let r = recognizer();
        let target = "هاجمت الدولة الإسلامية القرية.";
        let problems = check(&r, Lang::En, "ISIS attacked the village.", Lang::Ar, target);
        let kinds: Vec<_> = problems.iter().map(|p| p.kind).collect();
        assert_eq!(
            kinds,
            vec![ProblemKind::MissingTerm, ProblemKind::ForbiddenTerm]
        );
        let forbidden = &problems[1];
        assert_eq!(forbidden.side, Side::Target);
        assert_eq!(&target[forbidden.start..forbidden.end], "الدولة الإسلامية");
        assert_eq!(forbidden.suggestions, vec!["داعش".to_string()]);
    }

    #[test]
    fn a_term_inside_a_longer_term_is_present() {
        let spread = Concept {
            id: "spread".into(),
            terms: vec![
                Term::new(Lang::En, "spread of COVID-19", Status::Preferred),
                Term::new(Lang::Kmr, "belavbûna COVID-19", Status::Preferred),
            ],
            ..Concept::default()
        };
        let covid = Concept {
            id: "covid".into(),
            terms: vec![
                Term::new(Lang::En, "COVID-19", Status::Preferred),
                Term::new(Lang::Kmr, "COVID-19", Status::Preferred),
            ],
            ..Concept::default()
        };
        let r = Recognizer::new(vec![spread, covid]);
        // The target's longest term is "belavbûna COVID-19"; COVID-19 is still there.
        let problems = check(
            &r,
            Lang::En,
            "COVID-19 cases rose.",
            Lang::Kmr,
            "belavbuna COVID-19 zêde bû.",
        );
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn unchecked_language_is_not_a_problem() {
        let r = recognizer();
        // No Kurmanji terms: nothing to require.
        assert!(check(&r, Lang::En, "Daesh", Lang::Kmr, "DAIŞ").is_empty());
    }
}
