//! The glossary: a concept-oriented termbase (as TBX), term recognition and terminology QA.
//!
//! A [`Concept`] is one meaning ("Peshmerga Security Forces"); it holds [`Term`]s in any of the
//! four languages, each with a [`Status`] that says whether translators should use it. Everything
//! here is pure: the store keeps concepts as values, the service feeds them to a
//! [`recognize::Recognizer`] and to [`qa::check`].

pub mod concept;
pub mod csv;
pub mod qa;
pub mod recognize;
pub mod tbx;

pub use concept::{Concept, ConceptError, Status, Term};
