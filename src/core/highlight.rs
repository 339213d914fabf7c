//! Concordance highlights: where a phrase occurs in a segment, found on match keys so that
//! `التحالف` with a tatweel or `Peshmerga` in capitals is still found, and reported as byte
//! spans of the original text so the caller can quote exactly what was written.

use serde::Serialize;

use super::tokenize::Analyzed;

/// A piece of a highlighted text: either plain or part of a hit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Piece {
    pub text: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub hit: bool,
}

/// Byte spans in `text.text` where the content tokens of `phrase` occur consecutively
/// (punctuation between them is ignored). An empty phrase has no occurrences.
pub fn find_phrase(phrase: &Analyzed, text: &Analyzed) -> Vec<(usize, usize)> {
    let wanted: Vec<&str> = phrase.content().map(|t| t.key.as_str()).collect();
    if wanted.is_empty() {
        return Vec::new();
    }
    let tokens: Vec<_> = text.content().collect();
    let mut spans = Vec::new();
    let mut i = 0;
    while i + wanted.len() <= tokens.len() {
        let window = &tokens[i..i + wanted.len()];
        if window.iter().zip(&wanted).all(|(t, w)| t.key == *w) {
            spans.push((window[0].start, window[window.len() - 1].end));
            i += wanted.len();
        } else {
            i += 1;
        }
    }
    spans
}

/// Split a text into plain and highlighted pieces along the given (sorted, disjoint) spans.
pub fn pieces(text: &str, spans: &[(usize, usize)]) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut at = 0;
    for &(start, end) in spans {
        if start > at {
            out.push(Piece {
                text: text[at..start].to_string(),
                hit: false,
            });
        }
        out.push(Piece {
            text: text[start..end].to_string(),
            hit: true,
        });
        at = end;
    }
    if at < text.len() {
        out.push(Piece {
            text: text[at..].to_string(),
            hit: false,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::lang::Lang;

    #[test]
    fn finds_phrase_across_case_and_punctuation() {
        let phrase = Analyzed::new(Lang::En, "peshmerga security forces");
        let text = Analyzed::new(
            Lang::En,
            "Between the Peshmerga Security Forces and the Iraqi Security Forces.",
        );
        let spans = find_phrase(&phrase, &text);
        assert_eq!(spans.len(), 1);
        assert_eq!(
            &text.text[spans[0].0..spans[0].1],
            "Peshmerga Security Forces"
        );
        let p = pieces(&text.text, &spans);
        assert_eq!(p.len(), 3);
        assert!(p[1].hit && !p[0].hit && !p[2].hit);
        assert_eq!(
            p.iter().map(|x| x.text.as_str()).collect::<String>(),
            text.text
        );
    }

    #[test]
    fn arabic_phrase_found_despite_tatweel_and_harakat() {
        let phrase = Analyzed::new(Lang::Ar, "التحالف الدولي");
        let text = Analyzed::new(Lang::Ar, "قال التحـالف الدَّولي إن العمل مستمر");
        let spans = find_phrase(&phrase, &text);
        assert_eq!(spans.len(), 1);
        assert_eq!(&text.text[spans[0].0..spans[0].1], "التحـالف الدَّولي");
    }

    #[test]
    fn no_hit_for_partial_phrase() {
        let phrase = Analyzed::new(Lang::En, "security gap");
        let text = Analyzed::new(Lang::En, "to fill the security needs");
        assert!(find_phrase(&phrase, &text).is_empty());
        assert!(find_phrase(&Analyzed::new(Lang::En, " , "), &text).is_empty());
    }
}
