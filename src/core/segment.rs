//! A first sentence splitter, so that a pasted paragraph is matched sentence by sentence.
//!
//! Deliberately small: a sentence ends at `.`, `!`, `?`, `؟`, `۔` or a line break when the
//! next non-space character starts a new sentence, except after the abbreviations press
//! releases use (`Col.`, `Gen.`, `U.S.`…). The full rule set per language is issue [2/9].

/// Abbreviations after which a full stop does not end a sentence (compared case-sensitively,
/// without the final dot).
const ABBREVIATIONS: &[&str] = &[
    "Col", "Lt", "Gen", "Brig", "Maj", "Capt", "Sgt", "Adm", "Cmdr", "Mr", "Mrs", "Ms", "Dr", "St",
    "No", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
    "U.S", "U.K", "U.N", "e.g", "i.e", "etc", "vs",
];

/// Byte ranges of the sentences of `text`, trimmed of surrounding white space, in order.
pub fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        let end_here = match c {
            '\n' => true,
            '!' | '?' | '؟' | '۔' => followed_by_break(&chars, i),
            '.' => followed_by_break(&chars, i) && !after_abbreviation(&text[start..at]),
            _ => false,
        };
        if end_here {
            // Keep closing quotes and brackets with the sentence they close.
            let mut j = i + 1;
            while j < chars.len() && matches!(chars[j].1, '"' | '\'' | '”' | '’' | '»' | ')' | ']')
            {
                j += 1;
            }
            let end = chars.get(j).map_or(text.len(), |&(p, _)| p);
            push_trimmed(text, start, end, &mut out);
            start = end;
            i = j;
        } else {
            i += 1;
        }
    }
    push_trimmed(text, start, text.len(), &mut out);
    out
}

fn followed_by_break(chars: &[(usize, char)], i: usize) -> bool {
    let mut j = i + 1;
    while j < chars.len() && matches!(chars[j].1, '"' | '\'' | '”' | '’' | '»' | ')' | ']') {
        j += 1;
    }
    match chars.get(j) {
        None => true,
        Some(&(_, c)) if c.is_whitespace() => {
            // The next visible character must not be a lower-case Latin letter ("e.g. the").
            let next = chars[j..]
                .iter()
                .map(|&(_, c)| c)
                .find(|c| !c.is_whitespace());
            !next.is_some_and(|c| c.is_lowercase())
        }
        _ => false,
    }
}

fn after_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("");
    ABBREVIATIONS.contains(&word)
        || (word.chars().count() == 1 && word.chars().all(char::is_uppercase))
}

fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<(usize, usize)>) {
    let piece = &text[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    if lead + trail < piece.len() {
        out.push((start + lead, end - trail));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        sentences(text)
            .into_iter()
            .map(|(s, e)| &text[s..e])
            .collect()
    }

    #[test]
    fn splits_press_release_sentences_but_not_titles() {
        let text = "“We will continue,” said Col. Wayne Marotto. The U.S. Army trained 300 soldiers. Was it 2.5 km?";
        assert_eq!(
            split(text),
            vec![
                "“We will continue,” said Col. Wayne Marotto.",
                "The U.S. Army trained 300 soldiers.",
                "Was it 2.5 km?"
            ]
        );
    }

    #[test]
    fn arabic_and_kurdish_punctuation_and_lines() {
        assert_eq!(
            split("هل وصل الوفد؟ نعم وصل.\nسطر جديد"),
            vec!["هل وصل الوفد؟", "نعم وصل.", "سطر جديد"]
        );
        assert_eq!(split("  \n "), Vec::<&str>::new());
        assert_eq!(
            split("Brig. Gen. Osman spoke."),
            vec!["Brig. Gen. Osman spoke."]
        );
    }
}
