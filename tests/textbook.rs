//! Published values from the literature, each with its source.

mod common;

use approx::assert_abs_diff_eq;
use coalitional::{Error, Game};
use common::{glove_game, shapley_by_permutations, weighted_voting};

/// Exact rationals are compared to 1e-12: the kernel sums at most 2^15 terms of size <= 1.
const TOL: f64 = 1e-12;

#[test]
fn glove_game_shapley_and_banzhaf() {
    // One left glove (L), two right gloves; a pair is worth 1.
    // Shapley: (2/3, 1/6, 1/6) (e.g. Maschler, Solan and Zamir, Game Theory, 2013, ex. 18.x;
    // Peleg and Sudhölter 2007). Banzhaf raw: L is a swing in 3 of 4 sets, each R in 1.
    let g = glove_game();
    let phi = g.shapley();
    assert_abs_diff_eq!(phi["L"], 2.0 / 3.0, epsilon = TOL);
    assert_abs_diff_eq!(phi["R1"], 1.0 / 6.0, epsilon = TOL);
    assert_abs_diff_eq!(phi["R2"], 1.0 / 6.0, epsilon = TOL);
    let b = g.banzhaf();
    assert_abs_diff_eq!(b["L"], 0.75, epsilon = TOL);
    assert_abs_diff_eq!(b["R1"], 0.25, epsilon = TOL);
}

#[test]
fn three_player_majority() {
    let g = weighted_voting(2.0, &[1.0, 1.0, 1.0], &["A", "B", "C"]);
    for x in g.shapley().values() {
        assert_abs_diff_eq!(*x, 1.0 / 3.0, epsilon = TOL);
    }
    assert_eq!(g.banzhaf().values(), &[0.5, 0.5, 0.5]);
}

#[test]
fn eec_council_1958() {
    // Council of the EEC, 1958: France, Germany, Italy 4 votes, Belgium and the Netherlands 2,
    // Luxembourg 1, quota 12. Shapley–Shubik: 7/30, 7/30, 7/30, 3/20, 3/20, 0; Banzhaf swings
    // 10, 10, 10, 6, 6, 0 of 32 (Felsenthal and Machover, The Measurement of Voting Power,
    // 1998, sec. 3.x; Luxembourg is a dummy).
    let g = weighted_voting(
        12.0,
        &[4.0, 4.0, 4.0, 2.0, 2.0, 1.0],
        &["FR", "DE", "IT", "BE", "NL", "LU"],
    );
    let expect = [
        7.0 / 30.0,
        7.0 / 30.0,
        7.0 / 30.0,
        3.0 / 20.0,
        3.0 / 20.0,
        0.0,
    ];
    for (x, e) in g.shapley().values().iter().zip(expect) {
        assert_abs_diff_eq!(*x, e, epsilon = TOL);
    }
    let swings = [10.0, 10.0, 10.0, 6.0, 6.0, 0.0];
    for (x, s) in g.banzhaf().values().iter().zip(swings) {
        assert_abs_diff_eq!(*x, s / 32.0, epsilon = TOL);
    }
    let nb = g.banzhaf_normalized().unwrap();
    assert_abs_diff_eq!(nb["FR"], 5.0 / 21.0, epsilon = TOL);
    assert_abs_diff_eq!(nb["BE"], 3.0 / 21.0, epsilon = TOL);
}

#[test]
fn un_security_council_1965() {
    // Five permanent members (veto) and ten others; a resolution needs 9 votes including all
    // five permanent: weights 7 and 1, quota 39. Shapley–Shubik: permanent 421/2145,
    // non-permanent 4/2145 (Shapley and Shubik 1954 method; the numbers as in Straffin 1993).
    let mut weights = vec![7.0; 5];
    weights.extend([1.0; 10]);
    let names: Vec<String> = (0..15).map(|i| format!("m{i}")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let g = weighted_voting(39.0, &weights, &refs);
    let phi = g.shapley();
    for i in 0..5 {
        assert_abs_diff_eq!(phi[i], 421.0 / 2145.0, epsilon = TOL);
    }
    for i in 5..15 {
        assert_abs_diff_eq!(phi[i], 4.0 / 2145.0, epsilon = TOL);
    }
    // Banzhaf, by counting swings in closed form: a non-permanent member swings when all five
    // permanent and exactly 3 of the other 9 vote yes: C(9,3) = 84; a permanent member swings
    // whenever the other four permanent and at least 4 of the 10 vote yes: 2^10 - (1 + 10 + 45 + 120) = 848.
    let b = g.banzhaf();
    assert_abs_diff_eq!(b[0], 848.0 / 16384.0, epsilon = TOL);
    assert_abs_diff_eq!(b[14], 84.0 / 16384.0, epsilon = TOL);
}

#[test]
fn shapley_of_the_square_game_is_equal_split() {
    // v(S) = |S|^2 is symmetric: phi_i = n for all i (efficiency + symmetry).
    let g = Game::from_fn(common::names(9), |s| (s.len() as f64).powi(2)).unwrap();
    for x in g.shapley().values() {
        assert_abs_diff_eq!(*x, 9.0, epsilon = 1e-10);
    }
}

#[test]
fn pioneer_marginal_vector_against_shapley() {
    // A pioneer (0) who starts alone creates nothing; later joiners reap the benefit.
    // v(S) = 10 (|S| - 1) if 0 in S, else 0: marginal vector of order (0, 1, 2) = (0, 10, 10).
    let g = Game::from_fn(common::names(3), |s| {
        if s.contains(0) {
            10.0 * (s.len() as f64 - 1.0)
        } else {
            0.0
        }
    })
    .unwrap();
    let m = g.marginal_vector(&[0, 1, 2]).unwrap();
    assert_eq!(m.values(), &[0.0, 10.0, 10.0]);
    let phi = g.shapley();
    let brute = shapley_by_permutations(&g);
    for i in 0..3 {
        assert_abs_diff_eq!(phi[i], brute[i], epsilon = TOL);
    }
    // The pioneer is pivotal to every pair: Shapley (10, 5, 5).
    assert_abs_diff_eq!(phi[0], 10.0, epsilon = TOL);
}

#[test]
fn games_beyond_memory_are_refused_before_allocating() {
    let err = Game::from_fn(common::names(40), |_| 1.0).unwrap_err();
    match &err {
        Error::TooLarge { n, needed, .. } => {
            assert_eq!(*n, 40);
            assert_eq!(needed, "8.0 TiB");
        }
        other => panic!("expected TooLarge, got {other:?}"),
    }
}
