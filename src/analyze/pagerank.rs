//! Personalised PageRank over a weighted directed graph, deterministic.
//!
//! Single-threaded power iteration with a fixed summation order: the same
//! graph gives the same ranks bit for bit, whatever the thread count of the
//! rest of the pipeline.

/// Damping factor (the probability of following an edge), as in the original paper.
pub(crate) const DAMPING: f64 = 0.85;
const MAX_ITERATIONS: usize = 100;
const TOLERANCE: f64 = 1e-10;

/// Ranks of `n` nodes given `edges` `(from, to, weight)`; weights ≤ 0 are ignored.
///
/// `personalization` (one non-negative weight per node; all zero or `None`
/// means uniform) is where a random surfer restarts, and where the rank of
/// nodes without outgoing edges goes. The result sums to 1 (for `n > 0`).
pub(crate) fn pagerank(
    n: usize,
    edges: &[(usize, usize, f64)],
    personalization: Option<&[f64]>,
) -> Vec<f64> {
    if n == 0 {
        return Vec::new();
    }
    let restart = restart_vector(n, personalization);
    let mut out_weight = vec![0.0f64; n];
    let mut sorted: Vec<(usize, usize, f64)> = edges
        .iter()
        .copied()
        .filter(|&(f, t, w)| f < n && t < n && w > 0.0 && w.is_finite())
        .collect();
    sorted.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)).then(a.2.total_cmp(&b.2)));
    for &(f, _, w) in &sorted {
        out_weight[f] += w;
    }
    let mut rank = restart.clone();
    let mut next = vec![0.0f64; n];
    for _ in 0..MAX_ITERATIONS {
        let dangling: f64 = (0..n)
            .filter(|&i| out_weight[i] == 0.0)
            .map(|i| rank[i])
            .sum();
        for (i, slot) in next.iter_mut().enumerate() {
            *slot = (1.0 - DAMPING) * restart[i] + DAMPING * dangling * restart[i];
        }
        for &(f, t, w) in &sorted {
            next[t] += DAMPING * rank[f] * w / out_weight[f];
        }
        let delta: f64 = rank.iter().zip(&next).map(|(a, b)| (a - b).abs()).sum();
        std::mem::swap(&mut rank, &mut next);
        if delta < TOLERANCE {
            break;
        }
    }
    rank
}

fn restart_vector(n: usize, personalization: Option<&[f64]>) -> Vec<f64> {
    if let Some(p) = personalization.filter(|p| p.len() == n) {
        let total: f64 = p.iter().filter(|w| w.is_finite() && **w > 0.0).sum();
        if total > 0.0 {
            return p
                .iter()
                .map(|w| {
                    if w.is_finite() && *w > 0.0 {
                        w / total
                    } else {
                        0.0
                    }
                })
                .collect();
        }
    }
    vec![1.0 / n as f64; n]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_node_everyone_points_at_ranks_first() {
        // 0 <- 1, 0 <- 2, 0 <- 3, 3 -> 2
        let r = pagerank(
            4,
            &[(1, 0, 1.0), (2, 0, 1.0), (3, 0, 1.0), (3, 2, 1.0)],
            None,
        );
        assert!(r[0] > r[2] && r[2] > r[1], "{r:?}");
        assert!((r.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    }

    #[test]
    fn personalisation_pulls_rank_to_the_focus() {
        let edges = [(0, 1, 1.0), (1, 0, 1.0), (2, 3, 1.0), (3, 2, 1.0)];
        let plain = pagerank(4, &edges, None);
        let focused = pagerank(4, &edges, Some(&[0.0, 0.0, 1.0, 0.0]));
        assert!((plain[0] - plain[2]).abs() < 1e-9);
        assert!(focused[2] > focused[0] && focused[3] > focused[1]);
    }

    #[test]
    fn edge_order_does_not_change_the_result() {
        let a = [(0, 1, 1.0), (1, 2, 2.0), (2, 0, 0.5), (2, 1, 1.0)];
        let mut b = a;
        b.reverse();
        assert_eq!(pagerank(3, &a, None), pagerank(3, &b, None));
    }

    #[test]
    fn degenerate_inputs() {
        assert!(pagerank(0, &[], None).is_empty());
        let r = pagerank(2, &[(0, 5, 1.0), (0, 1, f64::NAN)], Some(&[0.0, 0.0]));
        assert!((r[0] - 0.5).abs() < 1e-9 && (r[1] - 0.5).abs() < 1e-9);
    }
}
