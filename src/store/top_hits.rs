//! The best hits of a query by relevance, keeping every hit tied with the last one.
//!
//! tantivy's `TopDocs` keeps the first `k` hits it meets and passes a later hit on only when it
//! scores strictly higher than the `k`-th, so of several hits with equal relevance at the cut
//! the ones kept are those that come first in document order — an order a multi-threaded
//! import makes differently every time. A press archive has many such ties: near duplicates
//! of one sentence that differ only in a name, a date or a number, where the differing words
//! are too common to be searched and every copy scores the same. Which copies became
//! candidates, and so whether the best fuzzy match was among them, then depended on the order
//! of the import (one query in 40 at 1M units, BENCHMARKS.md seventh round). This collector
//! keeps the ties, and the caller chooses among them by what they contain.

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::Weight;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

/// The `limit` most relevant hits and every hit tied with the `limit`-th, at most `cap` in
/// all; best first, ties in document order.
pub struct TopWithTies {
    pub limit: usize,
    pub cap: usize,
}

/// One segment's share of [`TopWithTies`].
pub struct SegmentTop {
    segment: SegmentOrdinal,
    limit: usize,
    cap: usize,
    hits: Vec<(Score, DocId)>,
    /// Hits at or below this relevance can no longer be kept.
    floor: Score,
    /// Hits held before the next cut.
    room: usize,
}

impl SegmentTop {
    fn new(segment: SegmentOrdinal, limit: usize, cap: usize) -> Self {
        SegmentTop {
            segment,
            limit,
            cap,
            hits: Vec::new(),
            floor: Score::MIN,
            room: (2 * limit).max(1),
        }
    }

    fn push(&mut self, doc: DocId, score: Score) {
        if score <= self.floor {
            return;
        }
        self.hits.push((score, doc));
        if self.hits.len() >= self.room {
            if let Some(cut) = cut(&mut self.hits, self.limit, self.cap) {
                // Strictly below the cut, so hits tied with it still come in.
                self.floor = cut.next_down();
            }
            self.room = (2 * self.hits.len()).max(2 * self.limit).max(1);
        }
    }
}

/// Keeps the `limit` best of `hits` and those tied with the `limit`-th (at most `cap`, the
/// earlier documents first), in no particular order; the relevance at the cut, if there was
/// one.
pub fn cut<D: Ord + Copy>(hits: &mut Vec<(Score, D)>, limit: usize, cap: usize) -> Option<Score> {
    if limit == 0 {
        hits.clear();
        return None;
    }
    if hits.len() <= limit {
        return None;
    }
    hits.select_nth_unstable_by(limit - 1, |a, b| b.0.total_cmp(&a.0));
    let at = hits[limit - 1].0;
    hits.retain(|h| h.0 >= at);
    if hits.len() > cap.max(limit) {
        hits.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        hits.truncate(cap.max(limit));
    }
    Some(at)
}

impl SegmentCollector for SegmentTop {
    type Fruit = Vec<(Score, DocAddress)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.push(doc, score);
    }

    fn harvest(mut self) -> Self::Fruit {
        cut(&mut self.hits, self.limit, self.cap);
        self.hits
            .into_iter()
            .map(|(score, doc)| (score, DocAddress::new(self.segment, doc)))
            .collect()
    }
}

impl Collector for TopWithTies {
    type Fruit = Vec<(Score, DocAddress)>;
    type Child = SegmentTop;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        _reader: &SegmentReader,
    ) -> tantivy::Result<SegmentTop> {
        Ok(SegmentTop::new(segment, self.limit, self.cap))
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        let mut all: Vec<(Score, DocAddress)> = fruits.into_iter().flatten().collect();
        cut(&mut all, self.limit, self.cap);
        all.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        Ok(all)
    }

    /// As tantivy's own top-score collector does: the walk is told the relevance below which
    /// hits no longer matter, so a query that can skip postings does.
    fn collect_segment(
        &self,
        weight: &dyn Weight,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Fruit> {
        let mut top = self.for_segment(segment, reader)?;
        let alive = reader.alive_bitset();
        weight.for_each_pruning(Score::MIN, reader, &mut |doc, score| {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                top.push(doc, score);
            }
            top.floor
        })?;
        Ok(top.harvest())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(mut hits: Vec<(Score, u32)>, limit: usize, cap: usize) -> Vec<(Score, u32)> {
        cut(&mut hits, limit, cap);
        hits.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        hits
    }

    #[test]
    fn the_cut_keeps_ties_with_the_last_hit_up_to_the_cap() {
        let hits = vec![(1.0, 0), (3.0, 1), (2.0, 2), (2.0, 3), (2.0, 4), (0.5, 5)];
        // Two wanted: 3.0 and a 2.0 — and the other two 2.0s tied with it.
        assert_eq!(
            kept(hits.clone(), 2, 10),
            vec![(3.0, 1), (2.0, 2), (2.0, 3), (2.0, 4)]
        );
        // No tie at the cut: exactly the limit.
        assert_eq!(kept(hits.clone(), 1, 10), vec![(3.0, 1)]);
        assert_eq!(
            kept(hits.clone(), 5, 10),
            vec![(3.0, 1), (2.0, 2), (2.0, 3), (2.0, 4), (1.0, 0)]
        );
        // The cap bounds the ties (earlier documents first) but never the limit.
        assert_eq!(kept(hits.clone(), 2, 3), vec![(3.0, 1), (2.0, 2), (2.0, 3)]);
        assert_eq!(kept(hits.clone(), 2, 1), vec![(3.0, 1), (2.0, 2)]);
        // Fewer hits than wanted: all of them.
        assert_eq!(kept(hits.clone(), 9, 9).len(), 6);
        assert_eq!(kept(hits, 0, 9), vec![]);
    }

    /// Fed one hit at a time in any order, a segment keeps what one cut of all of them keeps:
    /// the early cuts while collecting drop nothing that ties with the final cut.
    #[test]
    fn collecting_in_any_order_keeps_the_same_hits() {
        // Many equal scores, as near duplicates have.
        let scores: Vec<Score> = (0..500u32).map(|i| ((i * 7919) % 13) as Score).collect();
        for limit in [1, 10, 37, 100] {
            let all: Vec<(Score, u32)> = scores.iter().copied().zip(0..).collect();
            let expected = kept(all.clone(), limit, usize::MAX);
            for order in [0u32, 1, 2] {
                let mut docs: Vec<u32> = (0..500).collect();
                match order {
                    1 => docs.reverse(),
                    2 => docs.sort_by_key(|d| (d * 104_729) % 500),
                    _ => {}
                }
                let mut top = SegmentTop::new(0, limit, usize::MAX);
                for d in docs {
                    top.collect(d, scores[d as usize]);
                }
                let mut got: Vec<(Score, u32)> = top
                    .harvest()
                    .into_iter()
                    .map(|(s, a)| (s, a.doc_id))
                    .collect();
                got.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                assert_eq!(got, expected, "limit {limit}, order {order}");
            }
        }
    }
}
