//! Core vertices: published cores, and a brute force over every choice of tight coalitions.

mod common;

use coalitional::{Error, Game, Kind};
use common::{bankruptcy, glove_game, names, weighted_voting};
use nalgebra::{DMatrix, DVector};
use proptest::prelude::*;

fn points(g: &Game) -> Vec<Vec<f64>> {
    g.core_vertices()
        .unwrap()
        .iter()
        .map(|a| a.values().to_vec())
        .collect()
}

fn same_sets(found: &[Vec<f64>], expected: &[Vec<f64>], tol: f64) {
    assert_eq!(found.len(), expected.len(), "{found:?} vs {expected:?}");
    for e in expected {
        assert!(
            found
                .iter()
                .any(|f| f.iter().zip(e).all(|(a, b)| (a - b).abs() <= tol)),
            "{e:?} missing from {found:?}"
        );
    }
}

/// By definition: a vertex is a core point where `n` linearly independent constraints
/// (`x(N) = v(N)` and `n - 1` coalitions) are tight. Tries every choice of `n - 1` coalitions.
fn vertices_by_brute_force(g: &Game) -> Vec<Vec<f64>> {
    let n = g.n();
    let full = (1usize << n) - 1;
    let proper: Vec<usize> = (1..full).collect();
    let mut out: Vec<Vec<f64>> = Vec::new();
    let mut choice: Vec<usize> = Vec::new();
    fn walk(
        g: &Game,
        proper: &[usize],
        start: usize,
        choice: &mut Vec<usize>,
        out: &mut Vec<Vec<f64>>,
    ) {
        let n = g.n();
        if choice.len() == n - 1 {
            let rows: Vec<usize> = std::iter::once((1 << n) - 1)
                .chain(choice.iter().copied())
                .collect();
            let a = DMatrix::from_fn(n, n, |r, c| f64::from(u8::from(rows[r] >> c & 1 == 1)));
            if a.determinant().abs() < 0.5 {
                return;
            }
            let b = DVector::from_fn(n, |r, _| g.values()[rows[r]]);
            let x: Vec<f64> = a.lu().solve(&b).unwrap().iter().copied().collect();
            let feasible = (1..(1usize << n) - 1).all(|m| {
                let xs: f64 = (0..n).filter(|i| m >> i & 1 == 1).map(|i| x[i]).sum();
                match g.kind() {
                    Kind::Value => xs >= g.values()[m] - 1e-9,
                    Kind::Cost => xs <= g.values()[m] + 1e-9,
                }
            });
            let new = !out
                .iter()
                .any(|y| y.iter().zip(&x).all(|(p, q)| (p - q).abs() < 1e-7));
            if feasible && new {
                out.push(x);
            }
            return;
        }
        for k in start..proper.len() {
            choice.push(proper[k]);
            walk(g, proper, k + 1, choice, out);
            choice.pop();
        }
    }
    if n == 1 {
        return vec![vec![g.grand_value()]];
    }
    walk(g, &proper, 0, &mut choice, &mut out);
    out
}

#[test]
fn majority_game_has_no_vertices() {
    let g = weighted_voting(2.0, &[1.0, 1.0, 1.0], &["A", "B", "C"]);
    assert!(g.core_vertices().unwrap().is_empty());
}

#[test]
fn glove_game_core_is_the_point_that_pays_the_scarce_side() {
    same_sets(&points(&glove_game()), &[vec![1.0, 0.0, 0.0]], 1e-12);
}

#[test]
fn talmud_game_core_is_the_quadrilateral_of_marginal_vectors() {
    // Estate 200, claims 100, 200, 300 (Aumann and Maschler 1985): v(23) = 100, v(N) = 200,
    // every other coalition 0. The game is convex; its six marginal vectors give four distinct
    // points, and the core {x >= 0, x1 <= 100} is the quadrilateral they span.
    let g = bankruptcy(200.0, &[100.0, 200.0, 300.0]);
    let found = points(&g);
    same_sets(&found, &vertices_by_brute_force(&g), 1e-9);
    same_sets(
        &found,
        &[
            vec![0.0, 0.0, 200.0],
            vec![0.0, 200.0, 0.0],
            vec![100.0, 0.0, 100.0],
            vec![100.0, 100.0, 0.0],
        ],
        1e-12,
    );
}

#[test]
fn nonconvex_three_player_core() {
    // v(12) = v(13) = v(23) = 0.6, v(N) = 1: the core is the triangle with vertices
    // (0.4, 0.2, 0.4)-type points: x_i <= 0.4 for all i, sum 1, so (0.4, 0.4, 0.2) and its
    // permutations. The game is not convex (v(12) - v(1) = 0.6 > v(N) - v(13) = 0.4).
    let g = Game::from_fn(names(3), |s| match s.len() {
        2 => 0.6,
        3 => 1.0,
        _ => 0.0,
    })
    .unwrap();
    assert!(!g.is_convex());
    same_sets(
        &points(&g),
        &[
            vec![0.2, 0.4, 0.4],
            vec![0.4, 0.2, 0.4],
            vec![0.4, 0.4, 0.2],
        ],
        1e-12,
    );
}

#[test]
fn cost_game_vertices_are_cost_shares() {
    // Airport game, runway costs 1, 3, 6: concave costs, so the vertices are the marginal cost
    // vectors; the cheapest plane never pays more than 1.
    let costs = [1.0, 3.0, 6.0];
    let g = Game::with_kind(
        names(3),
        (0..8usize)
            .map(|m| {
                (0..3)
                    .filter(|i| m >> i & 1 == 1)
                    .map(|i| costs[i])
                    .fold(0.0, f64::max)
            })
            .collect(),
        Kind::Cost,
    )
    .unwrap();
    let found = points(&g);
    same_sets(&found, &vertices_by_brute_force(&g), 1e-9);
    assert!(found.iter().all(|x| x[0] <= 1.0 + 1e-12));
    // The vertices of the savings game are c({i}) - x_i.
    let savings = g.savings();
    let mut mapped: Vec<Vec<f64>> = found
        .iter()
        .map(|x| x.iter().zip(costs).map(|(xi, ci)| ci - xi).collect())
        .collect();
    mapped.sort_by(|a, b| a.partial_cmp(b).unwrap());
    same_sets(&points(&savings), &mapped, 1e-9);
}

#[test]
fn degenerate_games() {
    let one = Game::new(names(1), vec![0.0, 5.0]).unwrap();
    same_sets(&points(&one), &[vec![5.0]], 0.0);
    // Inessential: v(N) = sum v({i}); the core is the single point of standalone values.
    let flat = Game::from_fn(names(4), |s| s.members().map(|i| i as f64).sum()).unwrap();
    same_sets(&points(&flat), &[vec![0.0, 1.0, 2.0, 3.0]], 1e-12);
    let zero = Game::from_fn(names(3), |_| 0.0).unwrap();
    same_sets(&points(&zero), &[vec![0.0, 0.0, 0.0]], 0.0);
    // No imputation: the core is empty.
    let short = Game::new(names(2), vec![0.0, 1.0, 1.0, 1.0]).unwrap();
    assert!(short.core_vertices().unwrap().is_empty());
}

#[test]
fn more_than_eight_players_is_a_clear_error() {
    let g = Game::from_fn(names(9), |s| s.len() as f64).unwrap();
    let err = g.core_vertices().unwrap_err();
    assert!(
        matches!(
            err,
            Error::Undefined {
                concept: "the list of core vertices",
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn eight_player_convex_game_lists_all_orders() {
    // v(S) = (sum of distinct weights)^2 is strictly convex: all 8! marginal vectors differ.
    let w = [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0];
    let g = Game::from_fn(names(8), |s| s.members().map(|i| w[i]).sum::<f64>().powi(2)).unwrap();
    assert_eq!(g.core_vertices().unwrap().len(), 40320);
}

/// Games with a nonempty core and no convexity: `v(S) = min(x0(S), r(S))` for a random core
/// point `x0` and random `r`, then `v(N) = x0(N)`.
fn game_with_a_core(max_n: usize) -> impl Strategy<Value = Game> {
    (2..=max_n).prop_flat_map(|n| {
        (
            prop::collection::vec(0.0f64..10.0, n),
            prop::collection::vec(0.0f64..20.0, 1 << n),
            prop::bool::ANY,
        )
            .prop_map(move |(x0, r, round)| {
                // Rounded inputs make ties and degenerate vertices common.
                let snap = |v: f64| if round { v.round() } else { v };
                let full = (1usize << n) - 1;
                let values: Vec<f64> = (0..=full)
                    .map(|m| {
                        let xs: f64 = (0..n)
                            .filter(|i| m >> i & 1 == 1)
                            .map(|i| snap(x0[i]))
                            .sum();
                        match m {
                            0 => 0.0,
                            _ if m == full => xs,
                            _ => xs.min(snap(r[m])),
                        }
                    })
                    .collect();
                Game::new(names(n), values).unwrap()
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn vertices_match_the_brute_force(g in game_with_a_core(5)) {
        let found = points(&g);
        let expected = vertices_by_brute_force(&g);
        prop_assert_eq!(found.len(), expected.len(), "{:?} vs {:?}", found, expected);
        for e in &expected {
            prop_assert!(found.iter().any(|f| f.iter().zip(e).all(|(a, b)| (a - b).abs() <= 1e-7)));
        }
        // The nucleolus lies in the core, hence in the convex hull of the vertices; at least
        // it satisfies the bounds the vertices set per coordinate.
        let nu = g.nucleolus().unwrap();
        for i in 0..g.n() {
            let lo = found.iter().map(|x| x[i]).fold(f64::INFINITY, f64::min);
            let hi = found.iter().map(|x| x[i]).fold(f64::NEG_INFINITY, f64::max);
            prop_assert!(nu[i] >= lo - 1e-7 && nu[i] <= hi + 1e-7);
        }
    }
}
