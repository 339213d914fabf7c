//! Sentence alignment: which sentences of a translated document say what which sentences of its
//! original say.
//!
//! Statements arrive as whole documents in two languages; a translation memory needs sentence
//! pairs. Translators mostly keep one sentence for one sentence, but they also merge two
//! sentences (2-1), split a long one (1-2), leave one out (1-0) or add one (0-1). [`align`]
//! finds the most probable sequence of such groups by dynamic programming over the two
//! sentence lists, the classic approach of Gale & Church (1993, "A Program for Aligning
//! Sentences in Bilingual Corpora", Computational Linguistics 19(1)), with two changes that
//! matter for our languages:
//!
//! * **Length model.** Gale & Church model the length of a translation as normal around
//!   `c ×` the length of the original, with variance proportional to the length; they
//!   published `c = 1`, `s² = 6.8` for European languages. English → Arabic, Sorani and
//!   Kurmanji have other ratios (Arabic script omits short vowels; Kurmanji writes them), so
//!   `c` is estimated from the two texts themselves (total target characters / total source
//!   characters — robust, since a few merges or omissions hardly move a sum), and after a
//!   first pass both `c` and `s²` are re-estimated from the confident 1-1 groups (median-based,
//!   so misaligned groups do not inflate them). The deviation is measured against the mean of
//!   both normalized lengths (symmetric in the two sides), and its distribution is a
//!   contaminated normal (a tenth of the mass three times wider), because real translation
//!   lengths have heavy tails (spelled-out acronyms, added explanations) that a pure normal
//!   would "repair" by regrouping correct pairs. Omissions (1-0, 0-1) cost their
//!   prior only: Gale & Church's length term for an omission grows with the sentence length,
//!   which in practice makes their aligner glue an untranslated sentence to a neighbour rather
//!   than leave it out.
//! * **Lexical anchors.** Length alone cannot tell two sentences of similar length apart.
//!   Tokens that survive translation unchanged are strong evidence: numbers (compared by value
//!   whatever the digit system: `٢٠٢١` = `2021`), Latin-script words on both sides (names and
//!   acronyms such as ISF, KCL, COVID-19 inside Arabic-script text; for Latin/Latin pairs such
//!   as English–Kurmanji, longer shared words and cognates), and the punctuation marks `?` `!`
//!   quotes and parentheses. Only keys that occur on both sides of the document, about as
//!   often on each, count; a group earns a bonus per matched anchor and pays a penalty per
//!   anchor left without a partner.
//!
//! Paragraph boundaries, when both sides have them, are hard constraints: no group crosses one,
//! and when both sides have the same number of paragraphs the k-th paragraphs align with each
//! other. A band around the diagonal keeps the work linear in the document length for long
//! documents. Each group gets a confidence from the cost margin (how much worse the best
//! alignment that avoids its boundaries is) and from its anchor agreement.

use std::collections::HashMap;
use std::ops::Range;

use super::lang::Lang;
use super::tokenize::{tokenize, without_hawar_diacritics, TokenKind};

/// One side of a document to align: its language, its sentences in order, and the paragraph
/// each sentence belongs to (empty: one paragraph).
#[derive(Debug, Clone, Copy)]
pub struct Text<'a> {
    pub lang: Lang,
    pub sentences: &'a [String],
    pub paragraphs: &'a [usize],
}

/// An aligned group: source sentences `source` say what target sentences `target` say
/// (either range may be empty for 1-0 / 0-1), with a confidence in 0..=1.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub source: Range<usize>,
    pub target: Range<usize>,
    pub confidence: f32,
}

/// The moves (source sentences, target sentences) a group may take.
const MOVES: [(usize, usize); 6] = [(1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (2, 2)];

/// `-ln P(move)`, with the probabilities Gale & Church (1993, table 5) measured on the
/// Union Bank of Switzerland reports: 1-1 0.89, 1-0 or 0-1 0.0099, 2-1 or 1-2 0.089, 2-2 0.011
/// — except omissions, raised to 0.02. When a short sentence is either left out or glued onto
/// its neighbour and the evidence is even, the two mistakes are not equal for a translation
/// memory: a wrong omission loses one unit, a wrong merge stores a unit whose target says more
/// than its source. The higher prior tips such ties towards omission (measured: strict F1 on
/// perturbed documents +1 point, unperturbed unchanged within 0.001).
fn prior(mv: (usize, usize)) -> f64 {
    let p: f64 = match mv {
        (1, 1) => 0.89,
        (1, 0) | (0, 1) => 0.02,
        (2, 1) | (1, 2) => 0.089,
        _ => 0.011,
    };
    -p.ln()
}

/// Gale & Church's variance of the length difference per character (1993, section 3); the
/// starting value before it is re-estimated from the document itself.
const DEFAULT_VARIANCE: f64 = 6.8;

/// Bounds of the re-estimated variance: a very regular document must not make every small
/// deviation look impossible, nor a messy one make length meaningless. Measured on TICO-19 and
/// NTREX-128 (en–ar, en–ckb, en–kmr, 793 documents), the median-based estimate of the core is
/// 0.6 / 1.8 / 3.6 at the 10th / 50th / 90th percentile: professional translations are far
/// more regular than Gale & Church's 6.8 in their core, but not in their tails (below).
const VARIANCE_RANGE: (f64, f64) = (3.0, 40.0);

/// Share of the broad component of the length model. Translation lengths have heavier tails
/// than a normal: a sentence whose acronym the translator spells out (RCGP RSC → a dozen
/// Arabic words) comes out half again as long. Under a pure normal such a pair costs more
/// than regrouping it with its neighbour (2-2, or a 2-1 next to a 1-2), so correct pairs get
/// regrouped. A contaminated normal (Tukey 1960: mostly the core, partly a wider normal)
/// bounds the cost of such outliers; on the corpora above it removed four fifths of the
/// errors on unperturbed documents.
const TAIL_WEIGHT: f64 = 0.1;

/// Standard deviation of the broad component, in units of the core's.
const TAIL_SCALE: f64 = 3.0;

/// Fewest confident 1-1 groups from which the ratio and variance are re-estimated.
const MIN_REFIT_GROUPS: usize = 8;

/// Cost saved per matched unit of anchor weight. An anchor shared by two sentences is roughly
/// as telling as a length deviation of one standard deviation is damning.
const ANCHOR_BONUS: f64 = 1.0;

/// Cost paid per unit of anchor weight left without a partner inside a group that pairs
/// sentences. A sentence left out (1-0, 0-1) pays nothing for its anchors: having no partner
/// is what omission means. So a sentence whose number or name is nowhere in the neighbouring
/// translation is left out rather than glued onto its neighbour, which length alone cannot
/// decide when the sentence is short.
const ANCHOR_PENALTY: f64 = 1.0;

/// Half-width of the band around the diagonal, at least: documents shorter than this are
/// searched completely. Longer documents get an eighth of their length.
const MIN_BAND: usize = 48;

/// Half-width of the band around the first pass's path in which the second pass (with the
/// re-estimated length model) searches.
const REFINE_BAND: usize = 24;

/// Align two texts, groups in document order covering every sentence of both sides once.
///
/// Never panics: empty sides give 0-1 / 1-0 groups only, and malformed paragraph lists (not
/// one entry per sentence) are ignored.
pub fn align(source: &Text, target: &Text) -> Vec<Group> {
    let (n, m) = (source.sentences.len(), target.sentences.len());
    if n == 0 || m == 0 {
        let mut out: Vec<Group> = (0..n)
            .map(|i| Group {
                source: i..i + 1,
                target: 0..0,
                confidence: 1.0,
            })
            .collect();
        out.extend((0..m).map(|j| Group {
            source: 0..0,
            target: j..j + 1,
            confidence: 1.0,
        }));
        return out;
    }
    let mut model = Model::new(source, target);
    let first = model.solve(false);
    if model.refit(&first.groups) {
        model.band = Band::around(&first.groups, n, m, REFINE_BAND);
    }
    let second = model.solve(true);
    model.confidences(&second)
}

/// Per-sentence features of one side.
struct Side {
    /// Cumulative character counts: `prefix[i]` = characters of sentences `0..i`.
    prefix: Vec<f64>,
    /// Anchor ids with their counts, sorted by id.
    anchors: Vec<Vec<(u32, u32)>>,
    /// Paragraph rank of each sentence (0, 1, 2, … in order), if usable.
    paragraphs: Option<Vec<usize>>,
}

impl Side {
    fn chars(&self, range: Range<usize>) -> f64 {
        self.prefix[range.end] - self.prefix[range.start]
    }

    /// Whether `range` stays inside one paragraph; also returns that paragraph.
    fn paragraph(&self, range: Range<usize>) -> Result<Option<usize>, ()> {
        match &self.paragraphs {
            Some(p) if !range.is_empty() => {
                let first = p[range.start];
                if p[range.end - 1] == first {
                    Ok(Some(first))
                } else {
                    Err(())
                }
            }
            _ => Ok(None),
        }
    }
}

/// Characters that carry length: not spaces, not combining marks (harakat are optional in
/// Arabic), not invisible controls.
fn length(sentence: &str) -> f64 {
    sentence
        .chars()
        .filter(|c| {
            !c.is_whitespace()
                && !unicode_normalization::char::is_combining_mark(*c)
                && !matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{FEFF}')
        })
        .count() as f64
}

/// What kind of evidence an anchor key is, for its weight.
#[derive(Clone, Copy, PartialEq)]
enum AnchorKind {
    Number,
    ShortNumber,
    Word,
    Punct,
}

impl AnchorKind {
    fn weight(self) -> f64 {
        match self {
            AnchorKind::Number => 1.5,
            AnchorKind::Word => 1.0,
            AnchorKind::ShortNumber | AnchorKind::Punct => 0.5,
        }
    }
}

/// Whether every letter of `word` is Latin (ASCII or the Latin-1/Extended blocks).
fn is_latin(word: &str) -> bool {
    word.chars()
        .filter(|c| c.is_alphabetic())
        .all(|c| (c as u32) < 0x0250)
}

/// The comparison form of a Latin word: lower case, without diacritics of ê î û ç ş, `c` as
/// `k` (Kurmanji writes the hard c of English names as k: `koronavîrus`), cut to five letters
/// so that inflected names still meet (`Iraqê`, `Iraq`).
fn latin_key(key: &str) -> String {
    without_hawar_diacritics(key)
        .chars()
        .map(|c| match c {
            'c' => 'k',
            'é' | 'è' | 'ë' => 'e',
            'á' | 'à' | 'â' | 'ä' => 'a',
            'ó' | 'ò' | 'ö' => 'o',
            'í' | 'ï' => 'i',
            'ü' | 'ù' => 'u',
            _ => c,
        })
        .take(5)
        .collect()
}

/// The candidate anchors of one sentence: (key, kind) per occurrence.
fn sentence_anchors(lang: Lang, other: Lang, sentence: &str) -> Vec<(String, AnchorKind)> {
    let same_script = lang.script() == other.script();
    let mut out = Vec::new();
    for token in tokenize(lang, sentence) {
        match token.kind {
            TokenKind::Number => {
                let digits: String = token.key.chars().filter(char::is_ascii_digit).collect();
                push_number(&digits, &mut out);
            }
            TokenKind::Word => {
                let surface = &sentence[token.start..token.end];
                // Digits inside words (`10th`, `H1N1`) are numbers too.
                let mut run = String::new();
                for c in token.key.chars() {
                    if c.is_ascii_digit() {
                        run.push(c);
                    } else if !run.is_empty() {
                        push_number(&run, &mut out);
                        run.clear();
                    }
                }
                push_number(&run, &mut out);
                let letters = token.key.chars().filter(|c| c.is_alphabetic()).count();
                if letters == 0 || !is_latin(&token.key) {
                    continue;
                }
                let keep = if same_script {
                    // Between two Latin-script languages short words collide by accident
                    // (English `her`, Kurmanji `her` "every"); acronyms do not.
                    let upper = surface.chars().filter(|c| c.is_alphabetic()).count() >= 2
                        && surface
                            .chars()
                            .filter(|c| c.is_alphabetic())
                            .all(char::is_uppercase);
                    letters >= 4 || upper
                } else {
                    true
                };
                if keep {
                    out.push((format!("w{}", latin_key(&token.key)), AnchorKind::Word));
                }
            }
            TokenKind::Punct => {
                let key = match token.key.as_str() {
                    "?" => "p?",
                    "!" => "p!",
                    "\"" => "p\"",
                    "(" => "p(",
                    _ => continue,
                };
                out.push((key.to_string(), AnchorKind::Punct));
            }
        }
    }
    out
}

fn push_number(digits: &str, out: &mut Vec<(String, AnchorKind)>) {
    let value = digits.trim_start_matches('0');
    let value = if value.is_empty() && !digits.is_empty() {
        "0"
    } else {
        value
    };
    if value.is_empty() {
        return;
    }
    let kind = if value.len() >= 2 {
        AnchorKind::Number
    } else {
        AnchorKind::ShortNumber
    };
    out.push((format!("#{value}"), kind));
}

/// Paragraph ranks for a side, or `None` when the list is empty or does not have one entry per
/// sentence.
fn paragraph_ranks(text: &Text) -> Option<Vec<usize>> {
    if text.paragraphs.is_empty() || text.paragraphs.len() != text.sentences.len() {
        return None;
    }
    let mut ranks = Vec::with_capacity(text.paragraphs.len());
    let mut rank = 0;
    for (k, p) in text.paragraphs.iter().enumerate() {
        if k > 0 && *p != text.paragraphs[k - 1] {
            rank += 1;
        }
        ranks.push(rank);
    }
    Some(ranks)
}

/// The banded search space: row `i` holds columns `lo[i]..=hi[i]`, stored from `start[i]`.
struct Band {
    lo: Vec<usize>,
    hi: Vec<usize>,
    start: Vec<usize>,
    cells: usize,
}

impl Band {
    fn new(n: usize, m: usize) -> Band {
        let slope = m as f64 / n as f64;
        let width = MIN_BAND
            .max(n.max(m).div_ceil(8))
            .max(slope.ceil() as usize + 2) as f64;
        let (lo, hi) = (0..=n)
            .map(|i| {
                let center = i as f64 * slope;
                let lo = (center - width).floor().max(0.0) as usize;
                (lo, ((center + width).ceil() as usize).min(m))
            })
            .unzip();
        Band::from_rows(lo, hi)
    }

    /// A band from each row's first and last column: where each row's cells start in the flat
    /// table, and how many cells there are.
    fn from_rows(lo: Vec<usize>, hi: Vec<usize>) -> Band {
        let mut start = Vec::with_capacity(lo.len());
        let mut cells = 0;
        for (l, h) in lo.iter().zip(&hi) {
            start.push(cells);
            cells += h - l + 1;
        }
        Band {
            lo,
            hi,
            start,
            cells,
        }
    }

    /// The cells within `width` columns of a path of groups: the second pass only refines the
    /// first, so it need not search the whole diagonal band again.
    fn around(groups: &[(Range<usize>, Range<usize>)], n: usize, m: usize, width: usize) -> Band {
        let (mut lo, mut hi) = (vec![usize::MAX; n + 1], vec![0; n + 1]);
        let mut visit = |i: usize, j: usize| {
            if i <= n {
                lo[i] = lo[i].min(j.saturating_sub(width));
                hi[i] = hi[i].max((j + width).min(m));
            }
        };
        visit(0, 0);
        for (s, t) in groups {
            for i in s.start..=s.end {
                visit(i, t.start);
                visit(i, t.end);
            }
        }
        for (l, h) in lo.iter_mut().zip(hi.iter_mut()) {
            if *l > *h {
                // Not reached by the path (a broken path): search the whole row.
                (*l, *h) = (0, m);
            }
        }
        Band::from_rows(lo, hi)
    }

    fn index(&self, i: usize, j: usize) -> Option<usize> {
        if i < self.lo.len() && j >= self.lo[i] && j <= self.hi[i] {
            Some(self.start[i] + j - self.lo[i])
        } else {
            None
        }
    }
}

/// The cost model for one pair of texts.
struct Model {
    src: Side,
    tgt: Side,
    /// Weight of each anchor id.
    weights: Vec<f64>,
    /// Expected target characters per source character.
    ratio: f64,
    /// Variance of the length deviation per character.
    variance: f64,
    /// Both sides have the same number of paragraphs: the k-th align with each other.
    paired_paragraphs: bool,
    band: Band,
}

/// A solved alignment: groups as (source range, target range) and the two cost tables.
struct Solution {
    groups: Vec<(Range<usize>, Range<usize>)>,
    forward: Vec<f64>,
    backward: Vec<f64>,
}

impl Model {
    fn new(source: &Text, target: &Text) -> Model {
        let (n, m) = (source.sentences.len(), target.sentences.len());
        let raw_src: Vec<Vec<(String, AnchorKind)>> = source
            .sentences
            .iter()
            .map(|s| sentence_anchors(source.lang, target.lang, s))
            .collect();
        let raw_tgt: Vec<Vec<(String, AnchorKind)>> = target
            .sentences
            .iter()
            .map(|s| sentence_anchors(target.lang, source.lang, s))
            .collect();
        // A word or mark is an anchor only if both sides use it, about equally often: a token
        // the translator carried over appears as often in the translation, while a word that
        // happens to exist in both languages does not. Numbers of two digits or more are
        // always anchors: one missing from the other side marks an omitted sentence.
        let mut totals: HashMap<&str, (u32, u32, AnchorKind)> = HashMap::new();
        for (key, kind) in raw_src.iter().flatten() {
            totals.entry(key).or_insert((0, 0, *kind)).0 += 1;
        }
        for (key, kind) in raw_tgt.iter().flatten() {
            totals.entry(key).or_insert((0, 0, *kind)).1 += 1;
        }
        let mut keys: Vec<(&str, AnchorKind)> = totals
            .iter()
            .filter(|(_, (a, b, kind))| {
                *kind == AnchorKind::Number || (*a > 0 && *b > 0 && 2 * a.min(b) >= *a.max(b))
            })
            .map(|(k, (_, _, kind))| (*k, *kind))
            .collect();
        keys.sort_by(|a, b| a.0.cmp(b.0));
        let ids: HashMap<&str, u32> = keys
            .iter()
            .enumerate()
            .map(|(id, (k, _))| (*k, id as u32))
            .collect();
        let weights = keys.iter().map(|(_, kind)| kind.weight()).collect();
        let to_ids = |raw: &[Vec<(String, AnchorKind)>]| -> Vec<Vec<(u32, u32)>> {
            raw.iter()
                .map(|anchors| {
                    let mut v: Vec<u32> = anchors
                        .iter()
                        .filter_map(|(k, _)| ids.get(k.as_str()).copied())
                        .collect();
                    v.sort_unstable();
                    let mut out: Vec<(u32, u32)> = Vec::new();
                    for id in v {
                        match out.last_mut() {
                            Some(last) if last.0 == id => last.1 += 1,
                            _ => out.push((id, 1)),
                        }
                    }
                    out
                })
                .collect()
        };
        let prefix = |text: &Text| -> Vec<f64> {
            let mut p = Vec::with_capacity(text.sentences.len() + 1);
            p.push(0.0);
            for s in text.sentences {
                p.push(p[p.len() - 1] + length(s));
            }
            p
        };
        let src = Side {
            prefix: prefix(source),
            anchors: to_ids(&raw_src),
            paragraphs: paragraph_ranks(source),
        };
        let tgt = Side {
            prefix: prefix(target),
            anchors: to_ids(&raw_tgt),
            paragraphs: paragraph_ranks(target),
        };
        let (src_total, tgt_total) = (src.prefix[n], tgt.prefix[m]);
        let ratio = if src_total > 0.0 && tgt_total > 0.0 {
            tgt_total / src_total
        } else {
            1.0
        };
        let (src_paragraphs, tgt_paragraphs) = (
            src.paragraphs.as_ref().and_then(|p| p.last().copied()),
            tgt.paragraphs.as_ref().and_then(|p| p.last().copied()),
        );
        // With paragraph info on one side only, neither side is constrained.
        let (src, tgt) = if src_paragraphs.is_some() && tgt_paragraphs.is_some() {
            (src, tgt)
        } else {
            (
                Side {
                    paragraphs: None,
                    ..src
                },
                Side {
                    paragraphs: None,
                    ..tgt
                },
            )
        };
        Model {
            src,
            tgt,
            weights,
            ratio,
            variance: DEFAULT_VARIANCE,
            paired_paragraphs: src_paragraphs.is_some() && src_paragraphs == tgt_paragraphs,
            band: Band::new(n, m),
        }
    }

    /// Matched and unmatched anchor weight of a group.
    fn anchors(&self, s: Range<usize>, t: Range<usize>) -> (f64, f64) {
        // A merge of the (at most two per side) sorted lists, without allocating: this runs
        // for every cell and move of the search.
        let mut heads: [&[(u32, u32)]; 4] = [&[]; 4];
        for (slot, list) in self.src.anchors[s].iter().take(2).enumerate() {
            heads[slot] = list;
        }
        for (slot, list) in self.tgt.anchors[t].iter().take(2).enumerate() {
            heads[2 + slot] = list;
        }
        let (mut matched, mut unmatched) = (0.0, 0.0);
        while let Some(id) = heads.iter().filter_map(|h| h.first()).map(|e| e.0).min() {
            let (mut a, mut b) = (0, 0);
            for (slot, head) in heads.iter_mut().enumerate() {
                if let Some(&(first, count)) = head.first() {
                    if first == id {
                        if slot < 2 {
                            a += count;
                        } else {
                            b += count;
                        }
                        *head = &head[1..];
                    }
                }
            }
            let w = self.weights[id as usize];
            matched += w * f64::from(a.min(b));
            unmatched += w * f64::from(a.max(b) - a.min(b));
        }
        (matched, unmatched)
    }

    /// The length cost of `x` source and `y` target characters being translations:
    /// `-ln P(|δ| ≥ observed)`, δ = (y/c − x) / √(s² · mean), under the contaminated normal.
    fn length_cost(&self, x: f64, y: f64) -> f64 {
        let y = y / self.ratio;
        let mean = (x + y) / 2.0;
        if mean <= 0.0 {
            return 0.0;
        }
        let delta = (y - x).abs() / (self.variance * mean).sqrt();
        let core = ln_erfc(delta / std::f64::consts::SQRT_2).exp();
        let tail = ln_erfc(delta / (TAIL_SCALE * std::f64::consts::SQRT_2)).exp();
        -((1.0 - TAIL_WEIGHT) * core + TAIL_WEIGHT * tail)
            .max(f64::MIN_POSITIVE)
            .ln()
    }

    /// The cost of one group, or `None` when a paragraph boundary forbids it.
    fn cost(&self, s: Range<usize>, t: Range<usize>) -> Option<f64> {
        let ps = self.src.paragraph(s.clone()).ok()?;
        let pt = self.tgt.paragraph(t.clone()).ok()?;
        if self.paired_paragraphs {
            if let (Some(a), Some(b)) = (ps, pt) {
                if a != b {
                    return None;
                }
            }
        }
        let mv = (s.len(), t.len());
        let mut cost = prior(mv);
        if !s.is_empty() && !t.is_empty() {
            cost += self.length_cost(self.src.chars(s.clone()), self.tgt.chars(t.clone()));
        }
        let paired = !s.is_empty() && !t.is_empty();
        let (matched, unmatched) = self.anchors(s, t);
        if paired {
            cost += ANCHOR_PENALTY * unmatched - ANCHOR_BONUS * matched;
        }
        Some(cost)
    }

    /// Best alignment: forward pass with back-pointers, and with `margins` the backward pass
    /// that [`Model::confidences`] needs.
    fn solve(&self, margins: bool) -> Solution {
        let (n, m) = (self.src.prefix.len() - 1, self.tgt.prefix.len() - 1);
        let band = &self.band;
        let mut forward = vec![f64::INFINITY; band.cells];
        let mut back = vec![u8::MAX; band.cells];
        forward[0] = 0.0;
        for i in 0..=n {
            for j in band.lo[i]..=band.hi[i] {
                let Some(here) = band.index(i, j) else {
                    continue;
                };
                for (k, &(di, dj)) in MOVES.iter().enumerate() {
                    if di > i || dj > j {
                        continue;
                    }
                    let Some(prev) = band.index(i - di, j - dj) else {
                        continue;
                    };
                    if !forward[prev].is_finite() {
                        continue;
                    }
                    let Some(c) = self.cost(i - di..i, j - dj..j) else {
                        continue;
                    };
                    let total = forward[prev] + c;
                    if total < forward[here] {
                        forward[here] = total;
                        back[here] = k as u8;
                    }
                }
            }
        }
        let mut backward = vec![f64::INFINITY; if margins { band.cells } else { 0 }];
        if let Some(end) = band.index(n, m).filter(|_| margins) {
            backward[end] = 0.0;
        }
        for i in (0..=n).rev().filter(|_| margins) {
            for j in (band.lo[i]..=band.hi[i]).rev() {
                let Some(here) = band.index(i, j) else {
                    continue;
                };
                for &(di, dj) in &MOVES {
                    let Some(next) = band.index(i + di, j + dj) else {
                        continue;
                    };
                    if !backward[next].is_finite() {
                        continue;
                    }
                    let Some(c) = self.cost(i..i + di, j..j + dj) else {
                        continue;
                    };
                    let total = backward[next] + c;
                    if total < backward[here] {
                        backward[here] = total;
                    }
                }
            }
        }
        // Trace back. 1-0 and 0-1 moves always exist inside the band, so the end is reached;
        // the guard only protects against a broken table.
        let mut groups = Vec::new();
        let (mut i, mut j) = (n, m);
        while i > 0 || j > 0 {
            let k = band.index(i, j).map_or(u8::MAX, |at| back[at]);
            let (di, dj) = match MOVES.get(k as usize) {
                Some(&mv) => mv,
                None if i > 0 => (1, 0),
                None => (0, 1),
            };
            groups.push((i - di..i, j - dj..j));
            i -= di;
            j -= dj;
        }
        groups.reverse();
        Solution {
            groups,
            forward,
            backward,
        }
    }

    /// Re-estimate the length ratio and variance from the confident 1-1 groups of a first
    /// pass; returns whether anything changed.
    fn refit(&mut self, groups: &[(Range<usize>, Range<usize>)]) -> bool {
        let pairs: Vec<(f64, f64)> = groups
            .iter()
            .filter(|(s, t)| s.len() == 1 && t.len() == 1)
            .map(|(s, t)| (self.src.chars(s.clone()), self.tgt.chars(t.clone())))
            .filter(|&(x, y)| x > 0.0 && y > 0.0)
            .collect();
        if pairs.len() < MIN_REFIT_GROUPS {
            return false;
        }
        let (sx, sy) = pairs
            .iter()
            .fold((0.0, 0.0), |(a, b), (x, y)| (a + x, b + y));
        let ratio = sy / sx;
        let mut residuals: Vec<f64> = pairs
            .iter()
            .map(|&(x, y)| {
                let y = y / ratio;
                (y - x) / ((x + y) / 2.0).sqrt()
            })
            .collect();
        let center = median(&mut residuals);
        let mut deviations: Vec<f64> = residuals.iter().map(|r| (r - center).abs()).collect();
        // 1.4826 · MAD estimates the standard deviation of a normal distribution.
        let sigma = 1.4826 * median(&mut deviations);
        let variance = (sigma * sigma).clamp(VARIANCE_RANGE.0, VARIANCE_RANGE.1);
        self.ratio = ratio;
        self.variance = variance;
        true
    }

    /// Groups with their confidence.
    ///
    /// The margin of a boundary (i, j) on the best path is how much more the best path that
    /// avoids it costs (it passes row i or column j elsewhere); a group is as sure as its less
    /// sure boundary. Groups whose anchors disagree are less sure still.
    fn confidences(&self, solution: &Solution) -> Vec<Group> {
        let (n, m) = (self.src.prefix.len() - 1, self.tgt.prefix.len() - 1);
        let band = &self.band;
        let best = band
            .index(n, m)
            .map_or(f64::INFINITY, |at| solution.forward[at]);
        let through = |i: usize, j: usize| -> f64 {
            band.index(i, j).map_or(f64::INFINITY, |at| {
                solution.forward[at] + solution.backward[at]
            })
        };
        let margin = |i: usize, j: usize| -> f64 {
            if (i == 0 && j == 0) || (i == n && j == m) {
                return f64::INFINITY;
            }
            let mut alternative = f64::INFINITY;
            for jj in band.lo[i]..=band.hi[i] {
                if jj != j {
                    alternative = alternative.min(through(i, jj));
                }
            }
            for ii in 0..=n {
                if ii != i {
                    alternative = alternative.min(through(ii, j));
                }
            }
            (alternative - best).max(0.0)
        };
        solution
            .groups
            .iter()
            .map(|(s, t)| {
                let m = margin(s.start, t.start).min(margin(s.end, t.end));
                let sure = if m.is_finite() {
                    1.0 - (-m / 2.0).exp()
                } else {
                    1.0
                };
                let (matched, unmatched) = self.anchors(s.clone(), t.clone());
                let agreement = if matched + unmatched > 0.0 {
                    0.5 + 0.5 * matched / (matched + unmatched)
                } else {
                    1.0
                };
                let confidence = (sure * agreement).clamp(0.0, 1.0);
                Group {
                    source: s.clone(),
                    target: t.clone(),
                    confidence: if confidence.is_finite() {
                        confidence as f32
                    } else {
                        0.0
                    },
                }
            })
            .collect()
    }
}

/// The median of a non-empty list (reorders it).
fn median(values: &mut [f64]) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    let k = values.len() / 2;
    if values.len() % 2 == 1 {
        values[k]
    } else {
        (values[k - 1] + values[k]) / 2.0
    }
}

/// `ln erfc(x)` for `x ≥ 0`, from the rational approximation of Abramowitz & Stegun (1964,
/// formula 7.1.26): erfc(x) ≈ (a₁t + a₂t² + … + a₅t⁵)·e^(−x²), t = 1/(1 + px). Taking the
/// logarithm of the product keeps far tails finite (no underflow to ln 0).
fn ln_erfc(x: f64) -> f64 {
    const P: f64 = 0.327_591_1;
    const A: [f64; 5] = [
        0.254_829_592,
        -0.284_496_736,
        1.421_413_741,
        -1.453_152_027,
        1.061_405_429,
    ];
    let x = x.max(0.0);
    let t = 1.0 / (1.0 + P * x);
    let poly = A.iter().rev().fold(0.0, |acc, a| (acc + a) * t);
    poly.max(f64::MIN_POSITIVE).ln() - x * x
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    type Pair = (Range<usize>, Range<usize>);

    fn run(a: (Lang, &[&str]), b: (Lang, &[&str])) -> Vec<Pair> {
        let (sa, sb) = (strings(a.1), strings(b.1));
        let groups = align(
            &Text {
                lang: a.0,
                sentences: &sa,
                paragraphs: &[],
            },
            &Text {
                lang: b.0,
                sentences: &sb,
                paragraphs: &[],
            },
        );
        check_cover(&groups, sa.len(), sb.len());
        groups.into_iter().map(|g| (g.source, g.target)).collect()
    }

    /// Groups are in order, contiguous and cover both sides once; confidences in 0..=1.
    fn check_cover(groups: &[Group], n: usize, m: usize) {
        let (mut i, mut j) = (0, 0);
        for g in groups {
            assert_eq!(g.source.start, i, "{groups:?}");
            assert_eq!(g.target.start, j, "{groups:?}");
            assert!(!(g.source.is_empty() && g.target.is_empty()));
            assert!((0.0..=1.0).contains(&g.confidence), "{groups:?}");
            i = g.source.end;
            j = g.target.end;
        }
        assert_eq!((i, j), (n, m));
    }

    fn one_to_one(n: usize) -> Vec<Pair> {
        (0..n).map(|i| (i..i + 1, i..i + 1)).collect()
    }

    const EN: &[&str] = &[
        "The Ministry of Health recorded 1,245 new cases of COVID-19 on Tuesday.",
        "Most of the new cases were found in Baghdad and Basra.",
        "Officials urged citizens to wear masks in public places.",
        "Schools will remain closed until 15 March.",
        "Is the vaccine safe for children?",
        "The WHO says that trials are still under way.",
        "Hospitals in the region have received 300 additional ventilators.",
        "The curfew begins at 8 p.m. every evening.",
    ];

    const AR: &[&str] = &[
        "سجلت وزارة الصحة ١٢٤٥ إصابة جديدة بفيروس COVID-19 يوم الثلاثاء.",
        "وقد تم العثور على معظم الإصابات الجديدة في بغداد والبصرة.",
        "وحث المسؤولون المواطنين على ارتداء الكمامات في الأماكن العامة.",
        "ستبقى المدارس مغلقة حتى ١٥ آذار.",
        "هل اللقاح آمن للأطفال؟",
        "تقول منظمة WHO إن التجارب لا تزال جارية.",
        "تلقت المستشفيات في المنطقة ٣٠٠ جهاز تنفس إضافي.",
        "يبدأ حظر التجول في الساعة الثامنة مساء كل يوم.",
    ];

    const CKB: &[&str] = &[
        "وەزارەتی تەندروستی ١٢٤٥ حاڵەتی نوێی COVID-19ی لە ڕۆژی سێشەممەدا تۆمار کرد.",
        "زۆربەی حاڵەتە نوێیەکان لە بەغدا و بەسرە دۆزرانەوە.",
        "بەرپرسان داوایان لە هاووڵاتیان کرد لە شوێنە گشتییەکاندا دەمامک بپۆشن.",
        "قوتابخانەکان تا ١٥ی ئازار داخراو دەمێننەوە.",
        "ئایا ڤاکسینەکە بۆ منداڵان سەلامەتە؟",
        "WHO دەڵێت تاقیکردنەوەکان هێشتا بەردەوامن.",
        "نەخۆشخانەکانی ناوچەکە ٣٠٠ ئامێری هەناسەدانی زیادەیان وەرگرتووە.",
        "قەدەغەی هاتوچۆ هەموو ئێوارەیەک لە کاتژمێر ٨ دەست پێدەکات.",
    ];

    const KMR: &[&str] = &[
        "Wezareta Tenduristiyê roja Sêşemê 1,245 bûyerên nû yên COVID-19 tomar kirin.",
        "Piraniya bûyerên nû li Bexda û Besrayê hatin dîtin.",
        "Berpirsiyaran ji welatiyan xwest ku li cihên giştî maskeyan li xwe bikin.",
        "Dibistan dê heta 15ê Adarê girtî bimînin.",
        "Gelo vakslêdan ji bo zarokan ewle ye?",
        "WHO dibêje ku ceribandin hîn berdewam dikin.",
        "Nexweşxaneyên herêmê 300 amûrên hilmijandinê yên zêde wergirtin.",
        "Qedexeya derketinê her êvar saet 8an dest pê dike.",
    ];

    #[test]
    fn one_to_one_in_three_languages() {
        for (lang, side) in [(Lang::Ar, AR), (Lang::Ckb, CKB), (Lang::Kmr, KMR)] {
            assert_eq!(
                run((Lang::En, EN), (lang, side)),
                one_to_one(EN.len()),
                "{lang}"
            );
        }
    }

    #[test]
    fn two_to_one_merge_in_arabic() {
        let mut ar: Vec<String> = strings(AR);
        let merged = format!("{} {}", ar[1], ar[2]);
        ar.splice(1..3, [merged]);
        let ar: Vec<&str> = ar.iter().map(String::as_str).collect();
        let groups = run((Lang::En, EN), (Lang::Ar, &ar));
        assert_eq!(groups[1], (1..3, 1..2), "{groups:?}");
        assert_eq!(groups[0], (0..1, 0..1));
        assert_eq!(groups[2], (3..4, 2..3));
        assert_eq!(groups.len(), EN.len() - 1);
    }

    #[test]
    fn one_to_two_split_in_sorani() {
        let mut ckb: Vec<&str> = CKB.to_vec();
        // The third sentence split at its natural break.
        ckb.splice(
            2..3,
            [
                "بەرپرسان داوایان لە هاووڵاتیان کرد،",
                "لە شوێنە گشتییەکاندا دەمامک بپۆشن.",
            ],
        );
        let groups = run((Lang::En, EN), (Lang::Ckb, &ckb));
        assert_eq!(groups[2], (2..3, 2..4), "{groups:?}");
        assert_eq!(groups[3], (3..4, 4..5), "{groups:?}");
    }

    #[test]
    fn dropped_sentence_in_kurmanji() {
        // The translator left out the ventilators: its number is nowhere in the translation,
        // so gluing the sentence onto a neighbour would leave an anchor unmatched.
        let mut kmr: Vec<&str> = KMR.to_vec();
        kmr.remove(6);
        let groups = run((Lang::En, EN), (Lang::Kmr, &kmr));
        let mut expected = one_to_one(6);
        expected.extend([(6..7, 6..6), (7..8, 6..7)]);
        assert_eq!(groups, expected);
    }

    #[test]
    fn numbers_anchor_across_digit_systems() {
        // Same length, same words: only the numbers, in Arabic-Indic digits on one side, tell
        // which sentence is which.
        let en = strings(&[
            "The ministry reported 212 cases in Erbil.",
            "The ministry reported 87 cases in Duhok.",
            "It also reported 45 deaths.",
        ]);
        let ar = strings(&[
            "وأبلغت الوزارة عن ٢١٢ إصابة في أربيل.",
            "وأبلغت الوزارة عن ٨٧ إصابة في دهوك.",
            "كما أبلغت عن ٤٥ حالة وفاة.",
        ]);
        let anchors = sentence_anchors(Lang::Ar, Lang::En, &ar[0]);
        assert!(
            anchors.iter().any(|(k, _)| k == "#212"),
            "{:?}",
            anchors.len()
        );
        let (a, b) = (
            Text {
                lang: Lang::En,
                sentences: &en,
                paragraphs: &[],
            },
            Text {
                lang: Lang::Ar,
                sentences: &ar,
                paragraphs: &[],
            },
        );
        let model = Model::new(&a, &b);
        let cost = |s: Range<usize>, t: Range<usize>| model.cost(s, t).unwrap_or(f64::INFINITY);
        assert!(cost(0..1, 0..1) + 2.0 < cost(0..1, 1..2));
        assert!(cost(1..2, 1..2) + 2.0 < cost(1..2, 0..1));
        let groups: Vec<Pair> = align(&a, &b)
            .into_iter()
            .map(|g| (g.source, g.target))
            .collect();
        assert_eq!(groups, one_to_one(3));
    }

    #[test]
    fn empty_sides_do_not_panic() {
        assert!(run((Lang::En, &[]), (Lang::Ar, &[])).is_empty());
        assert_eq!(run((Lang::En, EN), (Lang::Ar, &[])).len(), EN.len());
        assert_eq!(run((Lang::En, &[]), (Lang::Ckb, CKB)).len(), CKB.len());
        let blank = ["", " "];
        run((Lang::En, &blank), (Lang::Ar, &blank));
    }

    #[test]
    fn paragraphs_are_not_crossed() {
        let (en, ar) = (strings(EN), strings(AR));
        // Target paragraph break after sentence 3, source after sentence 3 too.
        let pe = [0, 0, 0, 0, 1, 1, 1, 1];
        let groups = align(
            &Text {
                lang: Lang::En,
                sentences: &en,
                paragraphs: &pe,
            },
            &Text {
                lang: Lang::Ar,
                sentences: &ar,
                paragraphs: &pe,
            },
        );
        check_cover(&groups, 8, 8);
        for g in &groups {
            for range in [&g.source, &g.target] {
                if !range.is_empty() {
                    assert_eq!(pe[range.start], pe[range.end - 1]);
                }
            }
        }
        // A malformed paragraph list is ignored.
        let groups = align(
            &Text {
                lang: Lang::En,
                sentences: &en,
                paragraphs: &[0, 1],
            },
            &Text {
                lang: Lang::Ar,
                sentences: &ar,
                paragraphs: &pe,
            },
        );
        check_cover(&groups, 8, 8);
    }

    #[test]
    fn long_documents_stay_in_band_and_cover() {
        let en: Vec<&str> = EN.iter().cycle().take(800).copied().collect();
        let mut ar: Vec<&str> = AR.iter().cycle().take(800).copied().collect();
        ar.remove(400);
        let groups = run((Lang::En, &en), (Lang::Ar, &ar));
        assert!(groups.len() >= 799);
    }

    #[test]
    fn confidence_is_high_for_clean_pairs() {
        let (en, ar) = (strings(EN), strings(AR));
        let groups = align(
            &Text {
                lang: Lang::En,
                sentences: &en,
                paragraphs: &[],
            },
            &Text {
                lang: Lang::Ar,
                sentences: &ar,
                paragraphs: &[],
            },
        );
        let mean: f32 = groups.iter().map(|g| g.confidence).sum::<f32>() / groups.len() as f32;
        assert!(mean > 0.6, "{groups:?}");
    }

    #[test]
    fn ln_erfc_matches_known_values() {
        assert!((ln_erfc(0.0)).abs() < 1e-6);
        assert!((ln_erfc(1.0) - 0.157_299_207_f64.ln()).abs() < 1e-4);
        assert!(ln_erfc(30.0).is_finite());
    }
}
