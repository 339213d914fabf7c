//! Fuzzy-match scoring and word-level diffs.
//!
//! The score is a token-level edit distance over the *content* tokens (words and numbers) of
//! two analyzed texts, turned into a percentage, then lowered by small penalties for
//! differences that do not change the wording:
//!
//! * 100: the two texts have identical match keys, numbers, punctuation and spelling;
//! * 95–99: they differ only in numbers, punctuation, case or letter variants (one point each,
//!   at most five), the kind of match a translator fixes in seconds;
//! * below: `100 × (1 − distance / longest)`, where inserting or deleting a word costs 1 and
//!   replacing one costs 0.5–1 by how different the two words are (so an inflected form, a typo
//!   or a spelling variant costs less than an unrelated word), minus the same penalties.
//!
//! The same function scores the candidates that tantivy retrieves and the exhaustive scan used as
//! the quality oracle, so the two agree by construction on any candidate both see.

use compact_str::CompactString;
use serde::Serialize;

use super::lang::Lang;
use super::tokenize::{without_hawar_diacritics, Analyzed, Token, TokenKind};

/// The most points penalties may take off.
const MAX_PENALTY: u32 = 5;

/// One step of a word-level diff from a match's source to the query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "op", content = "text", rename_all = "lowercase")]
pub enum DiffOp {
    /// Text both have (quoted from the query).
    Equal(String),
    /// Text the query has and the match's source lacks.
    Insert(String),
    /// Text the match's source has and the query lacks.
    Delete(String),
}

/// A score and how it was reached.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scored {
    /// 0–100.
    pub score: u8,
    /// Diff from the candidate's source to the query.
    pub diff: Vec<DiffOp>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Step {
    /// Query token i aligned with candidate token j.
    Pair(usize, usize),
    /// Query token i has no counterpart.
    Insert(usize),
    /// Candidate token j has no counterpart.
    Delete(usize),
}

/// A table cell no alignment good enough passes through (finite, so the backtrace's
/// comparisons stay ordinary arithmetic).
const FAR: f32 = 1.0e9;

/// What aligning two forms of one word costs, against 1 for two different words: the
/// sentence says the same thing, the translation needs a small edit.
const INFLECTION_COST: f32 = 0.25;

/// Candidate words remembered per query before the memory starts afresh.
const MAX_WORDS: usize = 20_000;

/// Reusable scratch space, so scoring many candidates allocates once, and what it has learnt
/// about the current query.
///
/// The candidates of one query are mostly near-duplicates written in the same vocabulary, so
/// the same (query word, candidate word) pairs come back candidate after candidate. The
/// scorer decodes the query once, gives every distinct candidate word it meets a row of
/// costs against the query's words, computed when first needed, and the edit distance then
/// reads costs from those rows. Asking with another query starts afresh.
#[derive(Default)]
pub struct Scorer {
    table: Vec<f32>,
    /// The query the fields below describe.
    query: Option<(Lang, String)>,
    /// The characters of every query content token, one flat buffer, with each token's range.
    q_chars: Vec<char>,
    q_spans: Vec<(usize, usize)>,
    /// Per query content token: hashes and a character mask, so most token pairs are decided
    /// by comparing integers (see [`Fingerprint`]).
    q_prints: Vec<Fingerprint>,
    /// Candidate words met with this query (by match key) and, per word, its stem,
    /// fingerprint and characters.
    words: fnv::FnvHashMap<CompactString, usize>,
    w_keys: Vec<CompactString>,
    w_stems: Vec<CompactString>,
    w_prints: Vec<Fingerprint>,
    w_chars: Vec<char>,
    w_spans: Vec<(usize, usize)>,
    /// Row `w` holds word `w`'s cost against each query token (negative: not computed yet).
    costs: Vec<f32>,
    /// Per candidate content token: its word's row, or `None` for a number.
    c_rows: Vec<Option<usize>>,
    row: Vec<usize>,
    /// Whether the texts being compared are Kurmanji (see `substitution`).
    kurmanji: bool,
}

/// What `substitution` compares first, computed once per token per text: the key, stem and
/// diacritic-free key as 64-bit FNV hashes (equal strings, equal hashes; a differing pair is
/// confirmed on the strings), and which characters occur (one bit per character, hashed
/// into 64 bits).
#[derive(Debug, Clone, Copy, Default)]
struct Fingerprint {
    key: u64,
    stem: u64,
    loose: u64,
    chars: u64,
}

fn fnv(text: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = fnv::FnvHasher::default();
    h.write(text.as_bytes());
    h.finish()
}

impl Fingerprint {
    fn of(token: &Token, kurmanji: bool) -> Self {
        let chars = token.key.chars().fold(0u64, |mask, c| {
            mask | 1u64 << ((c as u32).wrapping_mul(0x9E37_79B1) >> 26)
        });
        Fingerprint {
            key: fnv(&token.key),
            stem: fnv(&token.stem),
            loose: if kurmanji {
                fnv(&without_hawar_diacritics(&token.key))
            } else {
                0
            },
            chars,
        }
    }
}

/// A lower bound on the edit distance of two words from their character masks: every
/// character of one that never occurs in the other needs at least one edit (hash collisions
/// only make the count smaller, so the bound stays valid).
fn mask_bound(a: u64, b: u64) -> usize {
    (a & !b).count_ones().max((b & !a).count_ones()) as usize
}

impl Scorer {
    pub fn new() -> Self {
        Self::default()
    }

    /// The score alone (what ranking needs).
    pub fn score(&mut self, query: &Analyzed, candidate: &Analyzed) -> u8 {
        self.run(query, candidate, false, 0)
            .expect("every score is at least 0")
            .score
    }

    /// The score if it is at least `cut`, else `None`. The same score as [`Scorer::score`],
    /// found sooner for candidates far from the query: with `cut`, the edit distance may not
    /// exceed `longest × (1 − cut/100)`, so only word pairs on a diagonal band can lie on a
    /// good enough alignment (every path through pair (i, j) inserts or deletes at least
    /// `|i − j|` words before it and `|(n − i) − (m − j)|` after), and the table stops once a
    /// whole row is past the limit. Ranking asks with the score a candidate must reach to
    /// enter the list, which after the first few candidates is high.
    pub fn score_at_least(
        &mut self,
        query: &Analyzed,
        candidate: &Analyzed,
        cut: u8,
    ) -> Option<u8> {
        self.run(query, candidate, false, cut).map(|s| s.score)
    }

    /// The score and the diff (what users see).
    pub fn score_with_diff(&mut self, query: &Analyzed, candidate: &Analyzed) -> Scored {
        self.run(query, candidate, true, 0)
            .expect("every score is at least 0")
    }

    /// An upper bound on the score from the numbers of content tokens alone: the edit distance
    /// is at least the difference in length. Lets callers skip hopeless candidates.
    pub fn upper_bound(query_len: usize, candidate_len: usize) -> u8 {
        let longest = query_len.max(candidate_len);
        if longest == 0 {
            return 100;
        }
        let diff = query_len.abs_diff(candidate_len);
        if diff == 0 {
            100
        } else {
            (100.0 * (1.0 - diff as f32 / longest as f32)).floor() as u8
        }
    }

    fn run(
        &mut self,
        query: &Analyzed,
        candidate: &Analyzed,
        want_diff: bool,
        cut: u8,
    ) -> Option<Scored> {
        let q: Vec<&Token> = query.content().collect();
        let c: Vec<&Token> = candidate.content().collect();
        let (n, m) = (q.len(), c.len());
        let longest = n.max(m);
        // The largest distance that still scores `cut` (a little slack for rounding only
        // widens the band).
        let max_distance = longest as f32 * (100 - cut.min(100)) as f32 / 100.0 + 1e-3;
        if n.abs_diff(m) as f32 > max_distance {
            return None;
        }
        self.learn_query(query, &q);
        self.learn_candidate(&c);
        let width = m + 1;
        // Cells off the band are never computed: they stay out of reach.
        self.table.clear();
        self.table.resize((n + 1) * width, FAR);
        for j in 0..=m {
            self.table[j] = j as f32;
        }
        // What aligning (i, j) leaves to insert or delete, at least.
        let outside = |i: usize, j: usize| (i.abs_diff(j) + (n - i).abs_diff(m - j)) as f32;
        // The band is within `reach` of the diagonal (`outside` ≥ |i − j|).
        let reach = max_distance as usize;
        for i in 1..=n {
            self.table[i * width] = i as f32;
            let mut row_best = self.table[i * width] + (n - i).abs_diff(m) as f32;
            for j in i.saturating_sub(reach).max(1)..=(i + reach).min(m) {
                if outside(i, j) > max_distance {
                    continue;
                }
                let sub = self.table[(i - 1) * width + j - 1] + self.substitution(&q, i - 1, j - 1);
                let del = self.table[(i - 1) * width + j] + 1.0;
                let ins = self.table[i * width + j - 1] + 1.0;
                let value = sub.min(del).min(ins);
                self.table[i * width + j] = value;
                row_best = row_best.min(value + (n - i).abs_diff(m - j) as f32);
            }
            // Every alignment crosses this row: if none is within reach here, none is.
            if row_best > max_distance {
                return None;
            }
        }
        let distance = self.table[n * width + m];
        if distance > max_distance {
            return None;
        }
        let steps = self.backtrace(&q, &c, width);

        let mut penalty = 0u32;
        for step in &steps {
            if let Step::Pair(i, j) = *step {
                let (a, b) = (q[i], c[j]);
                let differs = match (a.kind, b.kind) {
                    // A number in another digit system (٢٠١٥ for 2015) is a surface difference.
                    (TokenKind::Number, TokenKind::Number) => {
                        a.key != b.key || query.surface(a) != candidate.surface(b)
                    }
                    _ => a.key == b.key && query.surface(a) != candidate.surface(b),
                };
                penalty += u32::from(differs);
            }
        }
        penalty += punctuation_distance(query, candidate);
        let penalty = penalty.min(MAX_PENALTY);

        let base = if longest == 0 || distance <= f32::EPSILON {
            100
        } else {
            ((100.0 * (1.0 - distance / longest as f32))
                .floor()
                .clamp(0.0, 99.0)) as u32
        };
        let score = base.saturating_sub(penalty) as u8;
        if score < cut {
            return None;
        }
        let diff = if want_diff {
            render_diff(query, candidate, &q, &c, &steps)
        } else {
            Vec::new()
        };
        Some(Scored { score, diff })
    }

    /// Decode the query's content tokens, unless they are those of the query asked before.
    fn learn_query(&mut self, query: &Analyzed, q: &[&Token]) {
        if self
            .query
            .as_ref()
            .is_some_and(|(lang, text)| *lang == query.lang && *text == query.text)
        {
            return;
        }
        self.query = Some((query.lang, query.text.clone()));
        self.kurmanji = query.lang == Lang::Kmr;
        self.q_chars.clear();
        self.q_spans.clear();
        self.q_prints.clear();
        for t in q {
            self.q_prints.push(Fingerprint::of(t, self.kurmanji));
            let start = self.q_chars.len();
            self.q_chars.extend(t.key.chars());
            self.q_spans.push((start, self.q_chars.len()));
        }
        self.forget_words();
    }

    fn forget_words(&mut self) {
        self.words.clear();
        self.w_keys.clear();
        self.w_stems.clear();
        self.w_prints.clear();
        self.w_chars.clear();
        self.w_spans.clear();
        self.costs.clear();
    }

    /// Find (or make) the cost row of every content token of the candidate.
    fn learn_candidate(&mut self, c: &[&Token]) {
        if self.words.len() + c.len() > MAX_WORDS {
            self.forget_words();
        }
        let n = self.q_prints.len();
        self.c_rows.clear();
        for t in c {
            if t.kind == TokenKind::Number {
                self.c_rows.push(None);
                continue;
            }
            let row = match self.words.get(t.key.as_str()) {
                Some(&row) => row,
                None => {
                    let row = self.w_keys.len();
                    self.words.insert(t.key.clone(), row);
                    self.w_keys.push(t.key.clone());
                    self.w_stems.push(t.stem.clone());
                    self.w_prints.push(Fingerprint::of(t, self.kurmanji));
                    let start = self.w_chars.len();
                    self.w_chars.extend(t.key.chars());
                    self.w_spans.push((start, self.w_chars.len()));
                    self.costs.resize(self.costs.len() + n, -1.0);
                    row
                }
            };
            self.c_rows.push(Some(row));
        }
    }

    /// Cost of aligning content token `i` of the query with content token `j` of the
    /// candidate (from its word's row, computed the first time it is needed).
    fn substitution(&mut self, q: &[&Token], i: usize, j: usize) -> f32 {
        match (q[i].kind, self.c_rows[j]) {
            (TokenKind::Number, None) => 0.0,
            (TokenKind::Number, Some(_)) | (_, None) => 1.0,
            (_, Some(row)) => {
                let slot = row * self.q_prints.len() + i;
                let known = self.costs[slot];
                if known >= 0.0 {
                    return known;
                }
                let cost = self.word_cost(q[i], i, row);
                self.costs[slot] = cost;
                cost
            }
        }
    }

    /// Cost of aligning query word `i` with candidate word `w`: 0 for the same word, 0.25 for
    /// another inflection (or Kurmanji typed without diacritics), 0.5–1 for two words that share
    /// at least half their characters (spelling slips), 1 for anything else. (Any two numbers
    /// cost 0: numbers are placeables, their difference is a penalty.)
    fn word_cost(&mut self, a: &Token, i: usize, w: usize) -> f32 {
        let (pa, pb) = (self.q_prints[i], self.w_prints[w]);
        match a.kind {
            TokenKind::Word if pa.key == pb.key && a.key == self.w_keys[w] => 0.0,
            // Another inflection of the same word (or Kurmanji typed without diacritics).
            TokenKind::Word if pa.stem == pb.stem && a.stem == self.w_stems[w] => INFLECTION_COST,
            // Kurmanji typed without ê î û ç ş (the stems differ when an ending carries one).
            TokenKind::Word
                if self.kurmanji
                    && pa.loose == pb.loose
                    && without_hawar_diacritics(&a.key)
                        == without_hawar_diacritics(&self.w_keys[w]) =>
            {
                INFLECTION_COST
            }
            TokenKind::Word => {
                let (qs, qe) = self.q_spans[i];
                let (cs, ce) = self.w_spans[w];
                let (x, y) = (&self.q_chars[qs..qe], &self.w_chars[cs..ce]);
                let longest = x.len().max(y.len());
                // Only distances below half the longer word earn a discount: stop as soon as
                // the distance is known to reach it (it is at least the length difference,
                // and at least the characters one word has and the other lacks).
                let cutoff = longest.div_ceil(2).max(1);
                if mask_bound(pa.chars, pb.chars) >= cutoff {
                    return 1.0;
                }
                match bounded_distance(x, y, cutoff, &mut self.row) {
                    Some(d) => (0.5 + d as f32 / longest as f32).min(1.0),
                    None => 1.0,
                }
            }
            _ => 1.0,
        }
    }

    fn backtrace(&mut self, q: &[&Token], c: &[&Token], width: usize) -> Vec<Step> {
        let (mut i, mut j) = (q.len(), c.len());
        let mut steps = Vec::with_capacity(i.max(j));
        while i > 0 || j > 0 {
            let here = self.table[i * width + j];
            if i > 0 && j > 0 {
                let sub = self.substitution(q, i - 1, j - 1);
                if (self.table[(i - 1) * width + j - 1] + sub - here).abs() < 1e-4 {
                    steps.push(Step::Pair(i - 1, j - 1));
                    i -= 1;
                    j -= 1;
                    continue;
                }
            }
            if i > 0 && (self.table[(i - 1) * width + j] + 1.0 - here).abs() < 1e-4 {
                steps.push(Step::Insert(i - 1));
                i -= 1;
            } else {
                steps.push(Step::Delete(j - 1));
                j -= 1;
            }
        }
        steps.reverse();
        steps
    }
}

/// Character edit distance of `x` and `y` if it is below `cutoff`, else `None`. The row
/// minimum never decreases, so the computation stops once it reaches the cutoff.
fn bounded_distance(x: &[char], y: &[char], cutoff: usize, row: &mut Vec<usize>) -> Option<usize> {
    if x.len().abs_diff(y.len()) >= cutoff {
        return None;
    }
    row.clear();
    row.extend(0..=y.len());
    for (i, cx) in x.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        let mut row_min = row[0];
        for (j, cy) in y.iter().enumerate() {
            let above = row[j + 1];
            let value = (diagonal + usize::from(cx != cy))
                .min(above + 1)
                .min(row[j] + 1);
            row[j + 1] = value;
            row_min = row_min.min(value);
            diagonal = above;
        }
        if row_min >= cutoff {
            return None;
        }
    }
    let d = row[y.len()];
    (d < cutoff).then_some(d)
}

/// Unit-cost edit distance between the punctuation of two texts.
fn punctuation_distance(a: &Analyzed, b: &Analyzed) -> u32 {
    let pa: Vec<&str> = a
        .tokens
        .iter()
        .filter(|t| t.kind == TokenKind::Punct)
        .map(|t| t.key.as_str())
        .collect();
    let pb: Vec<&str> = b
        .tokens
        .iter()
        .filter(|t| t.kind == TokenKind::Punct)
        .map(|t| t.key.as_str())
        .collect();
    if pa == pb {
        return 0;
    }
    let mut row: Vec<u32> = (0..=pb.len() as u32).collect();
    for (i, x) in pa.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i as u32 + 1;
        for (j, y) in pb.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + u32::from(x != y))
                .min(above + 1)
                .min(row[j] + 1);
            diagonal = above;
        }
    }
    row[pb.len()]
}

/// Group the alignment into runs of equal, inserted and deleted text, quoting the originals.
/// Between two equal runs, everything the candidate lost comes first as one `Delete`, then
/// everything the query added as one `Insert`.
fn render_diff(
    query: &Analyzed,
    cand: &Analyzed,
    q: &[&Token],
    c: &[&Token],
    steps: &[Step],
) -> Vec<DiffOp> {
    fn extend(range: &mut Option<(usize, usize)>, token: &Token) {
        *range = Some(match *range {
            Some((s, _)) => (s, token.end),
            None => (token.start, token.end),
        });
    }
    let mut ops = Vec::new();
    let mut equal: Option<(usize, usize)> = None;
    let mut deleted: Option<(usize, usize)> = None;
    let mut inserted: Option<(usize, usize)> = None;
    let flush_changes = |ops: &mut Vec<DiffOp>,
                         deleted: &mut Option<(usize, usize)>,
                         inserted: &mut Option<(usize, usize)>| {
        if let Some((s, e)) = deleted.take() {
            ops.push(DiffOp::Delete(cand.text[s..e].to_string()));
        }
        if let Some((s, e)) = inserted.take() {
            ops.push(DiffOp::Insert(query.text[s..e].to_string()));
        }
    };
    for step in steps {
        match *step {
            Step::Pair(i, j) if query.surface(q[i]) == cand.surface(c[j]) => {
                flush_changes(&mut ops, &mut deleted, &mut inserted);
                extend(&mut equal, q[i]);
                continue;
            }
            Step::Pair(i, j) => {
                extend(&mut deleted, c[j]);
                extend(&mut inserted, q[i]);
            }
            Step::Insert(i) => extend(&mut inserted, q[i]),
            Step::Delete(j) => extend(&mut deleted, c[j]),
        }
        if let Some((s, e)) = equal.take() {
            ops.push(DiffOp::Equal(query.text[s..e].to_string()));
        }
    }
    if let Some((s, e)) = equal.take() {
        ops.push(DiffOp::Equal(query.text[s..e].to_string()));
    }
    flush_changes(&mut ops, &mut deleted, &mut inserted);
    ops
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::lang::Lang;

    fn score(lang: Lang, a: &str, b: &str) -> Scored {
        Scorer::new().score_with_diff(&Analyzed::new(lang, a), &Analyzed::new(lang, b))
    }

    const JCCC: &str = "The JCCC was established in 2015 to co-ordinate between the Peshmerga Security Forces and the Iraqi Security Forces.";

    /// The early exit changes no score: for every pair and every cut, `score_at_least` is the
    /// score when it reaches the cut and `None` when it does not.
    #[test]
    fn score_at_least_agrees_with_score_at_every_cut() {
        let texts = [
            JCCC,
            "The JCCC was established in 2016 to coordinate between the Peshmerga and the Iraqi forces.",
            "In Duhok on 9 June, the JCCC was established to co-ordinate between the Peshmerga Security Forces and the Iraqi Security Forces.",
            "Security Forces and the Iraqi Security Forces co-ordinate.",
            "The Iraqi Security Forces were established in 2015.",
            "Heavy rain flooded several villages near the border overnight.",
            "Forces Security Peshmerga the between co-ordinate to 2015 in established was JCCC The",
            "JCCC",
            "",
        ];
        let mut scorer = Scorer::new();
        let mut exits = 0;
        for a in texts {
            let qa = Analyzed::new(Lang::En, a);
            for b in texts {
                let cb = Analyzed::new(Lang::En, b);
                let full = scorer.score(&qa, &cb);
                for cut in 0..=100u8 {
                    let early = scorer.score_at_least(&qa, &cb, cut);
                    assert_eq!(early, (full >= cut).then_some(full), "{a} / {b} at {cut}");
                    exits += usize::from(early.is_none());
                }
            }
        }
        assert!(exits > 1000, "the cut must actually stop some scorings");
    }

    #[test]
    fn identical_text_scores_100_with_one_equal_run() {
        let s = score(Lang::En, JCCC, JCCC);
        assert_eq!(s.score, 100);
        assert_eq!(s.diff.len(), 1);
        assert!(
            matches!(&s.diff[0], DiffOp::Equal(t) if t.starts_with("The JCCC") && t.ends_with("Forces"))
        );
    }

    #[test]
    fn number_case_and_punctuation_differences_score_95_to_99() {
        let number = score(Lang::En, &JCCC.replace("2015", "2016"), JCCC);
        assert_eq!(number.score, 99);
        assert!(number.diff.contains(&DiffOp::Delete("2015".into())));
        assert!(number.diff.contains(&DiffOp::Insert("2016".into())));
        assert_eq!(
            score(Lang::En, &JCCC.replacen("The", "the", 1), JCCC).score,
            99,
            "one word differs in case"
        );
        assert_eq!(
            score(Lang::En, &JCCC.to_lowercase(), JCCC).score,
            95,
            "eight words differ in case"
        );
        assert_eq!(score(Lang::En, &JCCC.replace('.', ""), JCCC).score, 99);
        assert_eq!(
            score(Lang::En, "along the KCL )KCL(", "along the KCL (KCL)").score,
            98
        );
        let many = "1 2 3 4 5 6 7 8 9";
        assert_eq!(
            score(Lang::En, many, "9 8 7 6 5 4 3 2 1").score,
            95,
            "penalties stop at five"
        );
    }

    #[test]
    fn digit_systems_do_not_count_as_a_difference() {
        assert_eq!(
            score(Lang::Ar, "في عام ٢٠١٥", "في عام 2015").score,
            99,
            "same number, other digits: a surface difference"
        );
    }

    #[test]
    fn a_dropped_word_costs_its_share() {
        let query = JCCC.replace(" Iraqi", "");
        let s = score(Lang::En, &query, JCCC);
        // 19 content tokens, one deleted: 100 × 18/19 = 94.7.
        assert_eq!(s.score, 94);
        assert!(s.diff.contains(&DiffOp::Delete("Iraqi".into())));
    }

    #[test]
    fn a_replaced_name_shows_as_delete_then_insert() {
        let s = score(
            Lang::En,
            "said Col. Wayne Marotto in Erbil",
            "said Col. Myles Caggins in Erbil",
        );
        assert!(s.score < 95 && s.score > 50, "{}", s.score);
        assert_eq!(
            s.diff,
            vec![
                DiffOp::Equal("said Col".into()),
                DiffOp::Delete("Myles Caggins".into()),
                DiffOp::Insert("Wayne Marotto".into()),
                DiffOp::Equal("in Erbil".into()),
            ]
        );
    }

    #[test]
    fn an_inflected_form_costs_less_than_an_unrelated_word() {
        let inflected = score(
            Lang::En,
            "the security forces met",
            "the security force met",
        )
        .score;
        let unrelated = score(
            Lang::En,
            "the security forces met",
            "the security council met",
        )
        .score;
        assert!(inflected > unrelated, "{inflected} vs {unrelated}");
        let sorani = score(Lang::Ckb, "هێزەکانی پێشمەرگە", "هێزی پێشمەرگە").score;
        assert!((50..95).contains(&sorani), "{sorani}");
    }

    #[test]
    fn sorani_spelling_variants_match_through_the_fold() {
        // Arabic kaf/yeh and a final heh written for ە: same words after folding, so only the
        // spelling penalty applies.
        let s = score(Lang::Ckb, "كوردستاني نیشانانه", "کوردستانی نیشانانە");
        assert_eq!(s.score, 98);
    }

    #[test]
    fn unrelated_and_empty_texts() {
        assert_eq!(score(Lang::En, "alpha beta", "gamma kilo mike").score, 0);
        assert_eq!(score(Lang::En, "", "").score, 100);
        assert_eq!(score(Lang::En, "word", "").score, 0);
    }

    #[test]
    fn upper_bound_never_underestimates() {
        let pairs = [
            (JCCC, JCCC.replace(" Iraqi", "")),
            ("a b c", "a b c d e".to_string()),
        ];
        for (a, b) in pairs {
            let (qa, qb) = (
                Analyzed::new(Lang::En, a),
                Analyzed::new(Lang::En, b.as_str()),
            );
            let bound = Scorer::upper_bound(qa.content().count(), qb.content().count());
            assert!(bound >= Scorer::new().score(&qa, &qb));
        }
    }
}
