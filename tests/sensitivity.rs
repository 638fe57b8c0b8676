//! `Game::sensitivity` against independent oracles: finite differences of the computed values
//! (perturb one worth, recompute, divide), at ordinary and at budget scale (1e8, shifted), and
//! the row sums that efficiency forces on the Shapley table.

mod common;

use coalitional::{Coalition, Concept, Error, Game, Kind};
use common::names;
use proptest::prelude::*;

/// Random worths `shift * |S| + scale * u(S)`, `u` in [-1, 1], `v(empty) = 0`.
fn random_values(max_n: usize, scale: f64, shift: f64) -> impl Strategy<Value = Vec<f64>> {
    (1..=max_n).prop_flat_map(move |n| {
        prop::collection::vec(-1.0f64..1.0, 1usize << n).prop_map(move |u| {
            u.iter()
                .enumerate()
                .map(|(m, x)| {
                    if m == 0 {
                        0.0
                    } else {
                        shift * (m as u64).count_ones() as f64 + scale * x
                    }
                })
                .collect()
        })
    })
}

fn value_of(g: &Game, concept: Concept) -> Vec<f64> {
    match concept {
        Concept::Shapley => g.shapley().into_values(),
        Concept::Banzhaf => g.banzhaf().into_values(),
        _ => unreachable!(),
    }
}

/// For every coalition S: `(x(v + h e_S) - x(v)) / h` against the table's row, with `h` a
/// thousandth of the scale (the values are linear, so only rounding separates the two:
/// about `1e-16 * 2^n * (scale + |shift| n) / h`, far below the tolerance 1e-7).
fn finite_differences_agree(values: Vec<f64>, scale: f64, kind: Kind, concept: Concept) {
    let n = values.len().trailing_zeros() as usize;
    let g = Game::with_kind(names(n), values.clone(), kind).unwrap();
    let table = g.sensitivity(concept).unwrap();
    let base = value_of(&g, concept);
    let h = 1e-3 * scale;
    for m in 1..values.len() {
        let mut v = values.clone();
        v[m] += h;
        let moved = value_of(&Game::with_kind(names(n), v, kind).unwrap(), concept);
        let row = table.row(Coalition::from_mask(m as u64));
        for i in 0..n {
            let fd = (moved[i] - base[i]) / h;
            assert!(
                (fd - row[i]).abs() <= 1e-7,
                "{concept} n={n} S={m:#b} i={i}: finite difference {fd}, table {}",
                row[i]
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn shapley_matches_finite_differences(v in random_values(6, 100.0, 0.0)) {
        finite_differences_agree(v, 100.0, Kind::Value, Concept::Shapley);
    }

    #[test]
    fn shapley_matches_finite_differences_at_budget_scale(v in random_values(6, 1e8, -3e8)) {
        finite_differences_agree(v, 1e8, Kind::Value, Concept::Shapley);
    }

    #[test]
    fn shapley_of_cost_games_matches_finite_differences(v in random_values(5, 1e8, 5e8)) {
        finite_differences_agree(v, 1e8, Kind::Cost, Concept::Shapley);
    }

    #[test]
    fn banzhaf_matches_finite_differences(v in random_values(6, 1e8, 2e8)) {
        finite_differences_agree(v, 1e8, Kind::Value, Concept::Banzhaf);
    }
}

#[test]
fn shapley_rows_sum_to_one_at_the_grand_coalition_and_zero_elsewhere() {
    for n in 1..=8 {
        let g = Game::from_fn(names(n), |s| s.len() as f64).unwrap();
        let t = g.sensitivity(Concept::Shapley).unwrap();
        assert_eq!(t.rows(), (1 << n) - 1);
        for m in 1..(1u64 << n) {
            let sum: f64 = t.row(Coalition::from_mask(m)).iter().sum();
            let want = if m == (1 << n) - 1 { 1.0 } else { 0.0 };
            assert!((sum - want).abs() < 1e-12, "n={n} S={m:#b}: row sum {sum}");
        }
    }
}

#[test]
fn textbook_weights_for_three_players() {
    // n = 3: members of a singleton get 0!2!/3! = 1/3, others -1!1!/3! = -1/6; members of a
    // pair 1!1!/3! = 1/6, the outsider -2!0!/3! = -1/3; the grand coalition 2!0!/3! = 1/3.
    let g = Game::from_fn(names(3), |_| 0.0).unwrap();
    let t = g.sensitivity(Concept::Shapley).unwrap();
    let close = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-15);
    assert!(close(
        t.row(Coalition::from_mask(0b001)),
        &[1.0 / 3.0, -1.0 / 6.0, -1.0 / 6.0]
    ));
    assert!(close(
        t.row(Coalition::from_mask(0b011)),
        &[1.0 / 6.0, 1.0 / 6.0, -1.0 / 3.0]
    ));
    assert!(close(t.row(Coalition::from_mask(0b111)), &[1.0 / 3.0; 3]));
    assert_eq!(t.column(2).len(), 7);
    let b = g.sensitivity(Concept::Banzhaf).unwrap();
    assert_eq!(b.row(Coalition::from_mask(0b101)), &[0.25, -0.25, 0.25]);
}

#[test]
fn largest_lists_the_biggest_magnitudes_first() {
    let g = Game::from_fn(names(5), |s| (s.len() * s.len()) as f64).unwrap();
    let t = g.sensitivity(Concept::Shapley).unwrap();
    let top = t.largest(10);
    assert_eq!(top.len(), 10);
    let mut all: Vec<f64> = t.as_slice().iter().map(|d| d.abs()).collect();
    all.sort_by(|a, b| b.total_cmp(a));
    for (e, want) in top.iter().zip(&all) {
        assert_eq!(e.derivative.abs(), *want);
        assert_eq!(t.row(e.coalition)[e.player], e.derivative);
    }
    assert!(top
        .windows(2)
        .all(|w| w[0].derivative.abs() >= w[1].derivative.abs()));
}

#[test]
fn concept_names_parse_and_unknown_ones_name_the_parameter() {
    assert_eq!("banzhaf".parse::<Concept>(), Ok(Concept::Banzhaf));
    assert_eq!("prenucleolus".parse::<Concept>(), Ok(Concept::Prenucleolus));
    match "tau".parse::<Concept>() {
        Err(Error::InvalidParameter { name, .. }) => assert_eq!(name, "concept"),
        other => panic!("expected InvalidParameter, got {other:?}"),
    }
}
