//! Core, least core, cost of stability and the tau value: closed forms and properties (the
//! published cases are in tests/data/cases.json, checked by tests/textbook.rs).

mod common;

use approx::assert_abs_diff_eq;
use coalitional::{Error, Game, Kind};
use common::{glove_game, names, weighted_voting};
use proptest::prelude::*;

const TOL: f64 = 1e-8;

#[test]
fn majority_game_least_core_is_the_equal_split() {
    // By symmetry; its epsilon (1/3) and the cost of stability (1/2) are published cases in
    // tests/data/cases.json.
    let g = weighted_voting(2.0, &[1.0, 1.0, 1.0], &["A", "B", "C"]);
    let lc = g.least_core().unwrap();
    for x in lc.allocation.values() {
        assert_abs_diff_eq!(*x, 1.0 / 3.0, epsilon = TOL);
    }
    assert!(!g.in_core(lc.allocation.values(), 1e-6).unwrap());
}

#[test]
fn glove_game_core_is_one_point() {
    let g = glove_game();
    assert_abs_diff_eq!(g.least_core().unwrap().allocation["L"], 1.0, epsilon = TOL);
    assert!(g.in_core(&[1.0, 0.0, 0.0], 1e-12).unwrap());
    assert!(!g.in_core(&[0.9, 0.05, 0.05], 1e-12).unwrap());
}

#[test]
fn convex_game_contains_its_shapley_value() {
    // v(S) = |S|^2, n = 3: by symmetry the least core is (3, 3, 3) with epsilon
    // max(1 - 3, 4 - 6) = -2; convex games contain the Shapley value in the core (Shapley 1971).
    let g = Game::from_fn(names(3), |s| (s.len() as f64).powi(2)).unwrap();
    assert_abs_diff_eq!(g.least_core().unwrap().epsilon, -2.0, epsilon = TOL);
    assert!(g.in_core(g.shapley().values(), 1e-9).unwrap());
    assert_eq!(g.cost_of_stability().unwrap(), 0.0);
}

#[test]
fn airport_cost_game() {
    // Airport game c(S) = max runway cost in S: concave, so the core (x(S) <= c(S)) is
    // nonempty and holds the Shapley shares (published in tests/data/cases.json: Littlechild
    // and Owen 1973).
    let costs = [1.0, 2.0, 3.0];
    let g = Game::try_from_fn(names(3), Kind::Cost, |s| {
        Ok::<_, Error>(s.members().map(|i| costs[i]).fold(0.0, f64::max))
    })
    .unwrap();
    assert!(!g.core_is_empty().unwrap());
    assert!(g.in_core(g.shapley().values(), 1e-12).unwrap());
    // Charging the cheapest user more than its standalone cost is outside the core.
    assert!(!g.in_core(&[1.5, 0.5, 1.0], 1e-12).unwrap());
    let lc = g.least_core().unwrap();
    assert!(lc.epsilon <= 0.0);
    assert_abs_diff_eq!(lc.allocation.total(), 3.0, epsilon = TOL);
    assert_eq!(g.cost_of_stability().unwrap(), 0.0);
}

#[test]
fn degenerate_games() {
    let one = Game::from_values(vec![0.0, 5.0]).unwrap();
    assert!(matches!(one.least_core(), Err(Error::Undefined { .. })));
    assert!(!one.core_is_empty().unwrap());
    assert!(one.in_core(&[5.0], 1e-12).unwrap());
    assert_eq!(one.cost_of_stability().unwrap(), 0.0);
    let zero = Game::from_values(vec![0.0; 16]).unwrap();
    assert_abs_diff_eq!(zero.least_core().unwrap().epsilon, 0.0, epsilon = TOL);
    assert_eq!(zero.cost_of_stability().unwrap(), 0.0);
    // Two players: the core is the segment between the standalone values.
    let two = Game::from_values(vec![0.0, 1.0, 2.0, 7.0]).unwrap();
    let lc = two.least_core().unwrap();
    assert_abs_diff_eq!(lc.epsilon, -2.0, epsilon = TOL);
    assert_abs_diff_eq!(lc.allocation[0], 3.0, epsilon = TOL);
}

fn random_game(max_n: usize) -> impl Strategy<Value = Game> {
    (2..=max_n).prop_flat_map(|n| {
        prop::collection::vec(-50.0f64..100.0, 1usize << n).prop_map(move |mut v| {
            v[0] = 0.0;
            Game::new(names(n), v).unwrap()
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn least_core_and_cost_of_stability_agree(g in random_game(7)) {
        let n = g.n() as f64;
        let lc = g.least_core().unwrap();
        let cos = g.cost_of_stability().unwrap();
        // Adding e to every share covers every coalition: CoS <= n max(e, 0); shifting a
        // stable split of v(N) + CoS down evenly shows e <= CoS (n - 1) / n.
        prop_assert!(cos <= n * lc.epsilon.max(0.0) + 1e-6);
        prop_assert!(lc.epsilon <= cos * (n - 1.0) / n + 1e-6);
        // core_is_empty means epsilon > 1e-9 max(1, max|v|); then CoS >= epsilon n/(n-1) > 0.
        if g.core_is_empty().unwrap() {
            prop_assert!(lc.epsilon > 0.0 && cos > 0.0);
        } else {
            prop_assert!(cos <= 1e-6);
        }
        prop_assert_eq!(g.in_core(lc.allocation.values(), 1e-6).unwrap(), lc.epsilon <= 1e-6);
        prop_assert!((lc.allocation.total() - g.grand_value()).abs() < 1e-6);
    }

    #[test]
    fn strategic_equivalence(g in random_game(6), a in 0.1f64..10.0, b in prop::collection::vec(-20.0f64..20.0, 6)) {
        // w = a v + additive(b): epsilon and CoS scale by a.
        let w = Game::from_fn(g.players().to_vec(), |s| {
            a * g.value(s) + s.members().map(|i| b[i]).sum::<f64>()
        }).unwrap();
        let (ev, ew) = (g.least_core().unwrap().epsilon, w.least_core().unwrap().epsilon);
        prop_assert!((ew - a * ev).abs() < 1e-6 * (1.0 + ew.abs()));
        let (cv, cw) = (g.cost_of_stability().unwrap(), w.cost_of_stability().unwrap());
        prop_assert!((cw - a * cv).abs() < 1e-6 * (1.0 + cw.abs()));
    }
}

#[test]
fn tau_value_closed_forms() {
    // The published ones (bankruptcy games: the adjusted proportional rule, Curiel, Maschler and
    // Tijs 1987; the glove game) are in tests/data/cases.json.
    // Two players: the standard solution v(i) + (v(N) - v(1) - v(2)) / 2, equal to Shapley.
    let two = Game::from_values(vec![0.0, 1.0, 2.0, 7.0]).unwrap();
    assert_eq!(two.tau_value().unwrap().values(), &[3.0, 4.0]);
    // |S|^2 (n = 3): M = 5, m = 1, tau = 3 each.
    let sq = Game::from_fn(names(3), |s| (s.len() as f64).powi(2)).unwrap();
    for x in sq.tau_value().unwrap().values() {
        assert_abs_diff_eq!(*x, 3.0, epsilon = 1e-12);
    }
}

#[test]
fn tau_value_is_undefined_off_quasi_balanced_games() {
    // Majority game: M_i = 0 but m_i = 1.
    let g = weighted_voting(2.0, &[1.0, 1.0, 1.0], &["A", "B", "C"]);
    let err = g.tau_value().unwrap_err();
    assert!(
        matches!(
            err,
            Error::Undefined {
                concept: "the tau value",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn tau_value_of_a_cost_game_is_minus_tau_of_minus_c() {
    let costs = [1.0, 2.0, 3.0];
    let c = Game::try_from_fn(names(3), Kind::Cost, |s| {
        Ok::<_, Error>(s.members().map(|i| costs[i]).fold(0.0, f64::max))
    })
    .unwrap();
    let neg = Game::from_fn(names(3), |s| -c.value(s)).unwrap();
    let (tc, tn) = (c.tau_value().unwrap(), neg.tau_value().unwrap());
    for (a, b) in tc.values().iter().zip(tn.values()) {
        assert_abs_diff_eq!(*a, -*b, epsilon = 1e-12);
    }
    assert_abs_diff_eq!(tc.total(), 3.0, epsilon = 1e-12);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn tau_is_efficient_and_equals_shapley_for_two_players(v in prop::collection::vec(-10.0f64..10.0, 3)) {
        let g = Game::from_values(vec![0.0, v[0], v[1], v[0] + v[1] + v[2].abs()]).unwrap();
        let (tau, phi) = (g.tau_value().unwrap(), g.shapley());
        prop_assert!((tau[0] - phi[0]).abs() < 1e-9 && (tau[1] - phi[1]).abs() < 1e-9);
    }

    #[test]
    fn tau_is_efficient_on_convex_games(w in prop::collection::vec(0.0f64..5.0, 2..=6)) {
        // v(S) = (sum of weights in S)^2 is convex, hence quasi-balanced.
        let g = Game::from_fn(names(w.len()), |s| s.members().map(|i| w[i]).sum::<f64>().powi(2)).unwrap();
        let tau = g.tau_value().unwrap();
        prop_assert!((tau.total() - g.grand_value()).abs() < 1e-9 * (1.0 + g.grand_value()));
    }
}
