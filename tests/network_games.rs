//! Network and production games: minimum-cost spanning tree games (Bird 1976), induced
//! subgraph games (Deng and Papadimitriou 1994) and linear production games (Owen 1975),
//! each against an independent computation written here.

mod common;

use coalitional::{
    Coalition, Cooperative, Error, Game, InducedSubgraph, Kind, LinearProduction, SpanningTree,
};

/// xorshift64*: a small reproducible generator for random instances.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, k: u64) -> u64 {
        self.next() % k
    }
}

fn close(a: f64, b: f64, scale: f64) -> bool {
    (a - b).abs() <= 1e-9 * scale.max(1e-300)
}

fn names(n: usize) -> Vec<String> {
    common::names(n)
}

// ---------------------------------------------------------------- spanning tree games

/// A random symmetric `(n + 1) x (n + 1)` cost matrix; `ties` draws small integers (many
/// equal costs), else uniform reals, all shifted by `base`.
#[allow(clippy::needless_range_loop)]
fn random_costs(rng: &mut Rng, n: usize, ties: bool, base: f64) -> Vec<Vec<f64>> {
    let mut c = vec![vec![0.0; n + 1]; n + 1];
    for a in 0..=n {
        for b in a + 1..=n {
            let x = if ties {
                1.0 + rng.below(4) as f64
            } else {
                1.0 + 9.0 * rng.unit()
            };
            c[a][b] = base + x;
            c[b][a] = base + x;
        }
    }
    c
}

/// The cheapest spanning tree on `nodes` by enumerating every labelled tree through its
/// Prüfer sequence (Cayley: `k^(k-2)` trees on `k` nodes).
fn brute_force_mst(costs: &[Vec<f64>], nodes: &[usize]) -> f64 {
    let k = nodes.len();
    if k == 1 {
        return 0.0;
    }
    if k == 2 {
        return costs[nodes[0]][nodes[1]];
    }
    let len = k - 2;
    let total = k.pow(len as u32);
    let mut best = f64::INFINITY;
    for code in 0..total {
        let mut seq = Vec::with_capacity(len);
        let mut c = code;
        for _ in 0..len {
            seq.push(c % k);
            c /= k;
        }
        let mut degree = vec![1usize; k];
        for &s in &seq {
            degree[s] += 1;
        }
        let mut cost = 0.0;
        for &s in &seq {
            let leaf = (0..k).find(|&t| degree[t] == 1).unwrap();
            cost += costs[nodes[leaf]][nodes[s]];
            degree[leaf] -= 1;
            degree[s] -= 1;
        }
        let rest: Vec<usize> = (0..k).filter(|&t| degree[t] == 1).collect();
        cost += costs[nodes[rest[0]]][nodes[rest[1]]];
        best = best.min(cost);
    }
    best
}

/// `x(S) <= c(S) + tol` for every coalition and `x(N) = c(N)`, by brute force.
fn in_cost_core(game: &Game, x: &[f64], tol: f64) -> bool {
    let n = game.n();
    let sum = |mask: u64| -> f64 { Coalition::from_mask(mask).members().map(|i| x[i]).sum() };
    let full = (1u64 << n) - 1;
    (sum(full) - game.value(Coalition::from_mask(full))).abs() <= tol
        && (1..full).all(|m| sum(m) <= game.value(Coalition::from_mask(m)) + tol)
}

#[test]
fn spanning_tree_hand_example() {
    // Source O and A, B, C with c(OA) = 1, c(OB) = c(OC) = 10, c(AB) = c(AC) = 1, c(BC) = 3
    // (hand-derived): the tree O-A, A-B, A-C costs 3, and Bird's rule charges each player
    // its own edge, 1 each. Alone B pays 10; B and C together connect O-B-C for 13.
    let costs = vec![
        vec![0.0, 1.0, 10.0, 10.0],
        vec![1.0, 0.0, 1.0, 1.0],
        vec![10.0, 1.0, 0.0, 3.0],
        vec![10.0, 1.0, 3.0, 0.0],
    ];
    let players = vec!["A".to_string(), "B".into(), "C".into()];
    let g = SpanningTree::new(costs, Some(players), Some("O".into())).unwrap();
    assert_eq!(g.value_of(&["A", "B", "C"]).unwrap(), 3.0);
    assert_eq!(g.value_of(&["B"]).unwrap(), 10.0);
    assert_eq!(g.value_of(&["B", "C"]).unwrap(), 13.0);
    assert_eq!(g.value_of(&["A", "C"]).unwrap(), 2.0);
    assert_eq!(g.bird().values(), &[1.0, 1.0, 1.0]);
    let tree = g.minimum_spanning_tree();
    assert_eq!(tree[0].parent, None);
    assert!(tree[1..].iter().all(|e| e.parent == Some(0)));
    let dense = g.to_game().unwrap();
    assert_eq!(dense.kind(), Kind::Cost);
    assert!(dense.in_core(g.bird().values(), dense.tolerance()).unwrap());
    let shown = g.to_string();
    assert!(
        shown.contains("source O") && shown.contains("A -- C: 1"),
        "{shown}"
    );
}

#[test]
fn spanning_tree_costs_match_every_spanning_tree() {
    let mut rng = Rng(0x5eed_0001);
    for n in 1..=5 {
        for ties in [false, true] {
            let costs = random_costs(&mut rng, n, ties, 0.0);
            let g = SpanningTree::new(costs.clone(), None, None).unwrap();
            let dense = g.to_game().unwrap();
            for mask in 1..(1u64 << n) {
                let s = Coalition::from_mask(mask);
                let nodes: Vec<usize> = std::iter::once(0)
                    .chain(s.members().map(|i| i + 1))
                    .collect();
                let want = brute_force_mst(&costs, &nodes);
                assert!(close(g.value(s), want, want), "n={n} S={mask:b}");
                assert_eq!(dense.value(s), g.value(s));
            }
        }
    }
}

#[test]
fn bird_is_efficient_and_in_the_core() {
    let mut rng = Rng(0x5eed_0002);
    for n in 2..=6 {
        for round in 0..6 {
            let ties = round % 2 == 1;
            let g = SpanningTree::new(random_costs(&mut rng, n, ties, 0.0), None, None).unwrap();
            let dense = g.to_game().unwrap();
            let x = g.bird();
            let scale = dense.value(dense.grand());
            assert!(close(x.total(), scale, scale));
            assert!(in_cost_core(&dense, x.values(), 1e-9 * scale), "n={n}: {x}");
            // The tree Bird uses is a minimum spanning tree.
            let tree: f64 = g.minimum_spanning_tree().iter().map(|e| e.cost).sum();
            assert!(close(tree, scale, scale));
        }
    }
}

#[test]
fn spanning_tree_scales_and_large_budgets() {
    let mut rng = Rng(0x5eed_0003);
    for n in 2..=5 {
        let costs = random_costs(&mut rng, n, false, 0.0);
        let g = SpanningTree::new(costs.clone(), None, None).unwrap();
        for c in [1e-3, 7.0, 1e6] {
            let scaled: Vec<Vec<f64>> = costs
                .iter()
                .map(|r| r.iter().map(|x| x * c).collect())
                .collect();
            let h = SpanningTree::new(scaled, None, None).unwrap();
            for mask in 1..(1u64 << n) {
                let s = Coalition::from_mask(mask);
                assert!(close(h.value(s), c * g.value(s), c * g.value(s)));
            }
            for (a, b) in h.bird().values().iter().zip(g.bird().values()) {
                assert!(close(*a, c * b, c * b));
            }
        }
        // Budgets of 1e6..1e9 with differences of a few units: Bird stays in the core at
        // the game's own tolerance, and so does the nucleolus.
        for base in [1e6, 1e9] {
            let g = SpanningTree::new(random_costs(&mut rng, n, true, base), None, None).unwrap();
            let dense = g.to_game().unwrap();
            assert!(dense.in_core(g.bird().values(), dense.tolerance()).unwrap());
            let nu = g.nucleolus().unwrap();
            assert!(dense.in_core(nu.values(), dense.tolerance()).unwrap());
            assert_eq!(nu, dense.nucleolus().unwrap());
        }
    }
}

#[test]
fn spanning_tree_bad_input_is_typed() {
    let ok = vec![vec![0.0, 1.0], vec![1.0, 0.0]];
    let invalid = |r: coalitional::Result<SpanningTree>| match r {
        Err(Error::InvalidParameter { name, .. }) => name,
        other => panic!("{other:?}"),
    };
    assert_eq!(invalid(SpanningTree::new(vec![], None, None)), "costs");
    assert_eq!(
        SpanningTree::new(vec![vec![0.0]], None, None),
        Err(Error::NoPlayers)
    );
    assert_eq!(
        invalid(SpanningTree::new(
            vec![vec![0.0, 1.0], vec![1.0]],
            None,
            None
        )),
        "costs"
    );
    assert_eq!(
        invalid(SpanningTree::new(
            vec![vec![0.0, 1.0], vec![2.0, 0.0]],
            None,
            None
        )),
        "costs"
    );
    assert_eq!(
        invalid(SpanningTree::new(
            vec![vec![0.0, -1.0], vec![-1.0, 0.0]],
            None,
            None
        )),
        "costs"
    );
    assert_eq!(
        invalid(SpanningTree::new(
            vec![vec![0.0, f64::NAN], vec![f64::NAN, 0.0]],
            None,
            None
        )),
        "costs"
    );
    assert_eq!(
        invalid(SpanningTree::new(
            ok.clone(),
            Some(vec!["s".into()]),
            Some("s".into())
        )),
        "source"
    );
    assert!(matches!(
        SpanningTree::new(ok.clone(), Some(vec!["a".into(), "b".into()]), None),
        Err(Error::InvalidParameter {
            name: "players",
            ..
        })
    ));
    let g = SpanningTree::new(ok, None, None).unwrap();
    assert!(matches!(
        g.value_of(&["x"]),
        Err(Error::UnknownPlayer { .. })
    ));
    let mut g = g;
    assert!(matches!(
        g.worth(0b10),
        Err(Error::PlayerIndexOutOfRange { index: 1, n: 1 })
    ));
}

// ---------------------------------------------------------------- induced subgraph games

fn random_graph(rng: &mut Rng, n: usize, negative: bool) -> Vec<(String, String, f64)> {
    let mut edges = Vec::new();
    for a in 0..n {
        for b in a + 1..n {
            if rng.below(3) == 0 {
                continue;
            }
            let w = if negative {
                10.0 * rng.unit() - 4.0
            } else {
                10.0 * rng.unit()
            };
            edges.push((format!("p{a}"), format!("p{b}"), w));
        }
    }
    // A parallel edge now and then.
    if n >= 2 && rng.below(2) == 0 {
        edges.push(("p1".into(), "p0".into(), 2.5));
    }
    edges
}

#[test]
fn induced_subgraph_worths_and_closed_form_shapley() {
    let mut rng = Rng(0x5eed_0004);
    for n in 2..=6 {
        for negative in [false, true] {
            let edges = random_graph(&mut rng, n, negative);
            let g = InducedSubgraph::new(edges.clone(), names(n)).unwrap();
            let dense = g.to_game().unwrap();
            let idx = |s: &str| s[1..].parse::<usize>().unwrap();
            let scale: f64 = edges.iter().map(|e| e.2.abs()).sum::<f64>().max(1.0);
            for mask in 0..(1u64 << n) {
                let s = Coalition::from_mask(mask);
                let want: f64 = edges
                    .iter()
                    .filter(|(a, b, _)| s.contains(idx(a)) && s.contains(idx(b)))
                    .map(|e| e.2)
                    .sum();
                assert!(close(dense.value(s), want, scale));
                assert!(close(g.value(s), want, scale));
            }
            let brute = common::shapley_by_permutations(&dense);
            for (a, b) in g.shapley().values().iter().zip(&brute) {
                assert!(close(*a, *b, scale), "{a} vs {b}");
            }
            assert_eq!(g.is_convex(), dense.is_convex());
            if !negative {
                assert!(g.is_convex());
                assert!(dense
                    .in_core(g.shapley().values(), dense.tolerance())
                    .unwrap());
            }
        }
    }
}

#[test]
fn induced_subgraph_core_is_nonempty_iff_no_negative_cut() {
    let mut rng = Rng(0x5eed_0005);
    let (mut empty, mut nonempty) = (0, 0);
    for n in 2..=5 {
        for _ in 0..8 {
            let g = InducedSubgraph::new(random_graph(&mut rng, n, true), names(n)).unwrap();
            let dense = g.to_game().unwrap();
            let full = (1u64 << n) - 1;
            // The cut of S: v(N) - v(S) - v(N \ S).
            let negative_cut = (1..full).any(|m| {
                let cut = dense.value(Coalition::from_mask(full))
                    - dense.value(Coalition::from_mask(m))
                    - dense.value(Coalition::from_mask(full & !m));
                cut < -1e-9
            });
            let core_empty = dense.core_is_empty().unwrap();
            assert_eq!(core_empty, negative_cut);
            assert_eq!(
                dense
                    .in_core(g.shapley().values(), dense.tolerance())
                    .unwrap(),
                !negative_cut
            );
            if core_empty {
                empty += 1;
            } else {
                nonempty += 1;
            }
        }
    }
    assert!(empty > 3 && nonempty > 3, "{empty} {nonempty}");
}

#[test]
fn induced_subgraph_scales_and_bad_input() {
    let edges = vec![
        ("a".to_string(), "b".to_string(), 3.0),
        ("b".into(), "c".into(), -1.0),
    ];
    let players: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
    let g = InducedSubgraph::new(edges.clone(), players.clone()).unwrap();
    for c in [1e-3, 1e8] {
        let scaled = edges
            .iter()
            .map(|(a, b, w)| (a.clone(), b.clone(), c * w))
            .collect();
        let h = InducedSubgraph::new(scaled, players.clone()).unwrap();
        for (x, y) in h.shapley().values().iter().zip(g.shapley().values()) {
            assert!(close(*x, c * y, c * y.abs()));
        }
    }
    assert_eq!(g.shapley().values(), &[1.5, 1.0, -0.5]);
    let bad = |e: Vec<(String, String, f64)>| InducedSubgraph::new(e, players.clone());
    assert!(matches!(
        bad(vec![("a".into(), "z".into(), 1.0)]),
        Err(Error::UnknownPlayer { .. })
    ));
    assert!(matches!(
        bad(vec![("a".into(), "a".into(), 1.0)]),
        Err(Error::InvalidParameter { name: "edges", .. })
    ));
    assert!(matches!(
        bad(vec![("a".into(), "b".into(), f64::INFINITY)]),
        Err(Error::InvalidParameter { name: "edges", .. })
    ));
    assert_eq!(InducedSubgraph::new(vec![], vec![]), Err(Error::NoPlayers));
    assert!(matches!(
        InducedSubgraph::new(vec![], vec!["a".into(), "a".into()]),
        Err(Error::DuplicatePlayer { .. })
    ));
    assert!(matches!(
        g.value_of(&["a", "a"]),
        Err(Error::RepeatedMember { .. })
    ));
}

// ---------------------------------------------------------------- linear production games

/// `max p·y s.t. A y <= b, y >= 0` for two products by enumerating the vertices of the
/// feasible polygon: every pair of tight constraints among the rows of `A` and `y_0 = 0`,
/// `y_1 = 0`, solved by Cramer's rule and kept when feasible.
fn vertex_max(a: &[Vec<f64>], b: &[f64], p: &[f64]) -> f64 {
    let mut rows: Vec<([f64; 2], f64)> = a.iter().zip(b).map(|(r, &b)| ([r[0], r[1]], b)).collect();
    rows.push(([-1.0, 0.0], 0.0));
    rows.push(([0.0, -1.0], 0.0));
    let mut best = 0.0f64;
    for i in 0..rows.len() {
        for j in i + 1..rows.len() {
            let ([a1, b1], c1) = rows[i];
            let ([a2, b2], c2) = rows[j];
            let det = a1 * b2 - a2 * b1;
            if det.abs() < 1e-12 {
                continue;
            }
            let y = [(c1 * b2 - c2 * b1) / det, (a1 * c2 - a2 * c1) / det];
            let feasible = rows
                .iter()
                .all(|([u, v], c)| u * y[0] + v * y[1] <= c + 1e-9 * (1.0 + c.abs()));
            if feasible {
                best = best.max(p[0] * y[0] + p[1] * y[1]);
            }
        }
    }
    best
}

fn random_production(
    rng: &mut Rng,
    n: usize,
    m: usize,
) -> (Vec<Vec<f64>>, Vec<f64>, Vec<Vec<f64>>) {
    let a = (0..m)
        .map(|_| {
            (0..2)
                .map(|_| (0.2 + 3.0 * rng.unit()) * f64::from(u8::from(rng.below(5) > 0)))
                .collect()
        })
        .collect::<Vec<Vec<f64>>>();
    // Every product uses resource 0, so no product is free.
    let a = a
        .into_iter()
        .enumerate()
        .map(|(r, row)| {
            if r == 0 {
                row.iter().map(|x| x.max(0.5)).collect()
            } else {
                row
            }
        })
        .collect();
    let p = (0..2).map(|_| 1.0 + 9.0 * rng.unit()).collect();
    let b = (0..n)
        .map(|_| (0..m).map(|_| 5.0 * rng.unit()).collect())
        .collect();
    (a, p, b)
}

#[test]
fn linear_production_textbook_example() {
    // The Wyndor Glass Co. program (F. S. Hillier and G. J. Lieberman, *Introduction to
    // Operations Research*, ch. 3): max 3 y1 + 5 y2 s.t. y1 <= 4, 2 y2 <= 12,
    // 3 y1 + 2 y2 <= 18; optimum 36 at (2, 6), shadow prices (0, 3/2, 1). The plants' hours
    // split among three owners: x_i = z*·b_i.
    let a = vec![vec![1.0, 0.0], vec![0.0, 2.0], vec![3.0, 2.0]];
    let b = vec![
        vec![4.0, 0.0, 6.0],
        vec![0.0, 12.0, 6.0],
        vec![0.0, 0.0, 6.0],
    ];
    let g = LinearProduction::new(a, vec![3.0, 5.0], b, None).unwrap();
    let grand = Coalition::grand(3);
    assert!(close(g.value(grand).unwrap(), 36.0, 36.0));
    let y = g.production_plan(grand).unwrap();
    assert!(close(y[0], 2.0, 2.0) && close(y[1], 6.0, 6.0));
    let z = g.shadow_prices().unwrap();
    for (got, want) in z.iter().zip([0.0, 1.5, 1.0]) {
        assert!((got - want).abs() < 1e-9, "{z:?}");
    }
    let x = g.shadow_price_allocation().unwrap();
    for (got, want) in x.values().iter().zip([6.0, 24.0, 6.0]) {
        assert!(close(*got, want, 36.0), "{x}");
    }
    // Owner 0 alone: y1 <= 4, 3 y1 <= 6 -> y1 = 2, worth 6.
    assert!(close(g.value_of(&["0"]).unwrap(), 6.0, 6.0));
    let dense = g.to_game().unwrap();
    assert!(dense.in_core(x.values(), dense.tolerance()).unwrap());
    assert!(g.to_string().contains("3 resources, 2 products"));
}

#[test]
fn linear_production_worths_match_vertex_enumeration() {
    let mut rng = Rng(0x5eed_0006);
    for n in 1..=5 {
        for m in 1..=3 {
            let (a, p, b) = random_production(&mut rng, n, m);
            let g = LinearProduction::new(a.clone(), p.clone(), b.clone(), None).unwrap();
            let dense = g.to_game().unwrap();
            for mask in 1..(1u64 << n) {
                let s = Coalition::from_mask(mask);
                let pooled: Vec<f64> = (0..m).map(|r| s.members().map(|i| b[i][r]).sum()).collect();
                let want = vertex_max(&a, &pooled, &p);
                assert!(
                    close(dense.value(s), want, want),
                    "n={n} m={m} S={mask:b}: {} vs {want}",
                    dense.value(s)
                );
            }
        }
    }
}

#[test]
fn shadow_price_allocation_is_efficient_and_in_the_core() {
    let mut rng = Rng(0x5eed_0007);
    for n in 2..=6 {
        for m in 1..=3 {
            let (a, p, b) = random_production(&mut rng, n, m);
            let g = LinearProduction::new(a.clone(), p.clone(), b.clone(), None).unwrap();
            let x = g.shadow_price_allocation().unwrap();
            let pooled: Vec<f64> = (0..m).map(|r| b.iter().map(|bi| bi[r]).sum()).collect();
            let v = vertex_max(&a, &pooled, &p);
            assert!(close(x.total(), v, v), "{} vs {v}", x.total());
            // Dual feasibility of z*: z^T A >= p, z >= 0.
            let z = g.shadow_prices().unwrap();
            for (j, pj) in p.iter().enumerate() {
                let zaj: f64 = (0..m).map(|r| z[r] * a[r][j]).sum();
                assert!(zaj >= pj - 1e-9 * pj);
            }
            let dense = g.to_game().unwrap();
            let full = (1u64 << n) - 1;
            for mask in 1..=full {
                let s = Coalition::from_mask(mask);
                let xs: f64 = s.members().map(|i| x[i]).sum();
                assert!(xs >= dense.value(s) - 1e-9 * v, "S={mask:b}");
            }
        }
    }
}

#[test]
fn linear_production_scales() {
    let mut rng = Rng(0x5eed_0008);
    let (a, p, b) = random_production(&mut rng, 4, 3);
    let g = LinearProduction::new(a.clone(), p.clone(), b.clone(), None).unwrap();
    let base = g.to_game().unwrap();
    let x = g.shadow_price_allocation().unwrap();
    // Prices times c scale the game and the allocation; so do resources times c.
    for c in [1e-3, 1e6, 1e8] {
        let gp = LinearProduction::new(
            a.clone(),
            p.iter().map(|x| c * x).collect(),
            b.clone(),
            None,
        )
        .unwrap();
        let gb = LinearProduction::new(
            a.clone(),
            p.clone(),
            b.iter()
                .map(|r| r.iter().map(|x| c * x).collect())
                .collect(),
            None,
        )
        .unwrap();
        for h in [gp, gb] {
            let dense = h.to_game().unwrap();
            for mask in 1..16u64 {
                let s = Coalition::from_mask(mask);
                let want = c * base.value(s);
                assert!(close(dense.value(s), want, want));
            }
            let y = h.shadow_price_allocation().unwrap();
            for (u, w) in y.values().iter().zip(x.values()) {
                assert!(close(*u, c * w, c * x.total()));
            }
            assert!(dense.in_core(y.values(), dense.tolerance()).unwrap());
        }
    }
}

#[test]
fn linear_production_bad_input_is_typed() {
    let a = vec![vec![1.0, 2.0]];
    let name = |r: coalitional::Result<LinearProduction>| match r {
        Err(Error::InvalidParameter { name, .. }) => name,
        other => panic!("{other:?}"),
    };
    let b = vec![vec![1.0], vec![2.0]];
    assert_eq!(
        name(LinearProduction::new(vec![], vec![1.0], b.clone(), None)),
        "technology"
    );
    assert_eq!(
        name(LinearProduction::new(
            vec![vec![1.0]],
            vec![1.0, 2.0],
            b.clone(),
            None
        )),
        "technology"
    );
    assert_eq!(
        name(LinearProduction::new(
            vec![vec![1.0, f64::NAN]],
            vec![1.0, 2.0],
            b.clone(),
            None
        )),
        "technology"
    );
    assert_eq!(
        name(LinearProduction::new(
            vec![vec![1.0, -2.0]],
            vec![1.0, 2.0],
            b.clone(),
            None
        )),
        "technology"
    );
    assert_eq!(
        name(LinearProduction::new(
            a.clone(),
            vec![1.0, -2.0],
            b.clone(),
            None
        )),
        "prices"
    );
    assert_eq!(
        name(LinearProduction::new(
            a.clone(),
            vec![1.0, 2.0],
            vec![vec![1.0, 2.0]],
            None
        )),
        "resources"
    );
    assert_eq!(
        name(LinearProduction::new(
            a.clone(),
            vec![1.0, 2.0],
            vec![vec![-1.0]],
            None
        )),
        "resources"
    );
    assert_eq!(
        name(LinearProduction::new(
            vec![vec![1.0, 0.0]],
            vec![1.0, 2.0],
            b.clone(),
            None
        )),
        "technology"
    );
    assert_eq!(
        name(LinearProduction::new(
            a.clone(),
            vec![1.0, 2.0],
            b.clone(),
            Some(vec!["x".into()])
        )),
        "players"
    );
    assert_eq!(
        LinearProduction::new(a.clone(), vec![1.0, 2.0], vec![], None),
        Err(Error::NoPlayers)
    );
    // A free product with price 0 is harmless: it is never worth making.
    let g = LinearProduction::new(vec![vec![1.0, 0.0]], vec![1.0, 0.0], b, None).unwrap();
    assert!(close(g.value(Coalition::grand(2)).unwrap(), 3.0, 3.0));
    assert!(matches!(
        g.value_of(&["nobody"]),
        Err(Error::UnknownPlayer { .. })
    ));
}

#[test]
fn classes_are_cooperative_games() {
    fn kind_and_grand(mut g: impl Cooperative) -> (Kind, f64) {
        let full = (1u64 << g.n()) - 1;
        (g.kind(), g.worth(full).unwrap())
    }
    let st = SpanningTree::new(vec![vec![0.0, 2.0], vec![2.0, 0.0]], None, None).unwrap();
    assert_eq!(kind_and_grand(st), (Kind::Cost, 2.0));
    let is = InducedSubgraph::new(
        vec![("0".into(), "1".into(), 4.0)],
        vec!["0".into(), "1".into()],
    )
    .unwrap();
    assert_eq!(kind_and_grand(is), (Kind::Value, 4.0));
    let lp = LinearProduction::new(vec![vec![1.0]], vec![2.0], vec![vec![3.0]], None).unwrap();
    let (k, v) = kind_and_grand(lp);
    assert_eq!(k, Kind::Value);
    assert!(close(v, 6.0, 6.0));
}
