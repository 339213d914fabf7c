//! Light stemmers (placeholder: being written for issue #3).

use super::lang::Lang;

/// The light stem of a folded word (a key from `normalize::fold`).
pub fn stem(_lang: Lang, key: &str) -> String {
    key.to_string()
}
