//! The pure domain core: no I/O, no SQL, no HTTP, no tantivy.
//!
//! Everything here takes values and returns values, so it is unit-tested in isolation and shared
//! by the store (index analyzers), the service layer and the evaluation harnesses.

pub mod align;
pub mod detect;
pub mod fuzzy;
pub mod glossary;
pub mod highlight;
pub mod lang;
pub mod letters;
pub mod markup;
pub mod normalize;
pub mod segment;
pub mod signature;
pub mod stem;
pub mod tmx;
pub mod tokenize;
pub mod unit;
pub mod word_bounds;
pub mod xml_guard;
