//! Nucleolus and prenucleolus: closed forms, brute force, properties (the published cases
//! are in tests/data/cases.json, checked by tests/textbook.rs).

mod common;

use approx::assert_abs_diff_eq;
use coalitional::{Coalition, Error, Game, Kind};
use common::names;
use proptest::prelude::*;

fn assert_close(got: &[f64], want: &[f64], tol: f64) {
    for (g, w) in got.iter().zip(want) {
        assert!((g - w).abs() <= tol, "{got:?} vs {want:?}");
    }
}

#[test]
fn small_games_in_closed_form() {
    // The published cases (majority, glove, the Talmud) are in tests/data/cases.json.
    // Two players: the standard solution.
    let two = Game::from_values(vec![0.0, 1.0, 2.0, 7.0]).unwrap();
    assert_close(two.nucleolus().unwrap().values(), &[3.0, 4.0], 1e-9);
    let one = Game::from_values(vec![0.0, 5.0]).unwrap();
    assert_eq!(one.nucleolus().unwrap().values(), &[5.0]);
    // All zero: the equal split of nothing.
    let zero = Game::from_values(vec![0.0; 16]).unwrap();
    assert_close(zero.nucleolus().unwrap().values(), &[0.0; 4], 1e-12);
}

#[test]
fn no_imputation_is_an_error_but_the_prenucleolus_exists() {
    // v({i}) = 1, v(N) = 1: standalone values exceed v(N).
    let g = Game::from_fn(names(2), |_| 1.0).unwrap();
    assert!(matches!(g.nucleolus(), Err(Error::Undefined { .. })));
    assert_close(g.prenucleolus().unwrap().values(), &[0.5, 0.5], 1e-9);
}

#[test]
fn cost_game_nucleolus() {
    // Airport game, costs 1, 2, 3: the cost game's nucleolus must equal the cost shares
    // c({i}) - nucleolus(savings game), and lie in the core (x(S) <= c(S)).
    let costs = [1.0, 2.0, 3.0];
    let c = Game::try_from_fn(names(3), Kind::Cost, |s| {
        Ok::<_, Error>(s.members().map(|i| costs[i]).fold(0.0, f64::max))
    })
    .unwrap();
    let nu = c.nucleolus().unwrap();
    let s = c.savings().nucleolus().unwrap();
    for i in 0..3 {
        assert_abs_diff_eq!(nu[i], costs[i] - s[i], epsilon = 1e-9);
    }
    assert!(c.in_core(nu.values(), 1e-9).unwrap());
}

/// Sorted (decreasing) excesses of every proper nonempty coalition.
fn excess_profile(g: &Game, x: &[f64]) -> Vec<f64> {
    let n = g.n();
    let mut e: Vec<f64> = (1..(1u64 << n) - 1)
        .map(|m| {
            let s = Coalition::from_mask(m);
            g.value(s) - s.members().map(|i| x[i]).sum::<f64>()
        })
        .collect();
    e.sort_by(|a, b| b.total_cmp(a));
    e
}

/// a <=lex b with tolerance.
fn lex_le(a: &[f64], b: &[f64], tol: f64) -> bool {
    for (x, y) in a.iter().zip(b) {
        if x < &(y - tol) {
            return true;
        }
        if x > &(y + tol) {
            return false;
        }
    }
    true
}

fn random_game(max_n: usize) -> impl Strategy<Value = Game> {
    (2..=max_n).prop_flat_map(|n| {
        prop::collection::vec(0u32..20, 1usize << n).prop_map(move |v| {
            let mut v: Vec<f64> = v.into_iter().map(f64::from).collect();
            v[0] = 0.0;
            Game::new(names(n), v).unwrap()
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn prenucleolus_beats_every_nearby_allocation(g in random_game(5), dirs in prop::collection::vec(prop::collection::vec(-1.0f64..1.0, 5), 30)) {
        // Brute force: no efficient perturbation has a lexicographically smaller profile.
        let x = g.prenucleolus().unwrap();
        let n = g.n();
        let base = excess_profile(&g, x.values());
        for d in &dirs {
            let mean: f64 = d[..n].iter().sum::<f64>() / n as f64;
            for scale in [1e-3, 1e-1, 1.0, 5.0] {
                let y: Vec<f64> = (0..n).map(|i| x[i] + scale * (d[i] - mean)).collect();
                prop_assert!(lex_le(&base, &excess_profile(&g, &y), 1e-7));
            }
        }
    }

    #[test]
    fn nucleolus_is_in_the_core_when_the_core_is_nonempty(g in random_game(6)) {
        // Raise v(N) to the standalone total if needed, so that imputations exist.
        let standalone: f64 = (0..g.n()).map(|i| g.value(Coalition::singleton(i))).sum();
        let grand = g.grand();
        let g = Game::from_fn(g.players().to_vec(), |s| {
            if s == grand { g.value(s).max(standalone) } else { g.value(s) }
        }).unwrap();
        let nu = g.nucleolus().unwrap();
        if !g.core_is_empty().unwrap() {
            prop_assert!(g.in_core(nu.values(), 1e-7).unwrap());
        }
    }

    #[test]
    fn strategic_equivalence(g in random_game(5), a in 0.5f64..4.0, b in prop::collection::vec(-5.0f64..5.0, 5)) {
        let w = Game::from_fn(g.players().to_vec(), |s| a * g.value(s) + s.members().map(|i| b[i]).sum::<f64>()).unwrap();
        let (x, y) = (g.prenucleolus().unwrap(), w.prenucleolus().unwrap());
        for i in 0..g.n() {
            prop_assert!((y[i] - (a * x[i] + b[i])).abs() < 1e-7 * (1.0 + y[i].abs()));
        }
    }

    #[test]
    fn prenucleolus_equals_nucleolus_on_superadditive_games(w in prop::collection::vec(0.0f64..3.0, 2..=6)) {
        // (sum of weights)^2 is convex, hence superadditive and zero-monotonic.
        let g = Game::from_fn(names(w.len()), |s| s.members().map(|i| w[i]).sum::<f64>().powi(2)).unwrap();
        let (x, y) = (g.nucleolus().unwrap(), g.prenucleolus().unwrap());
        for i in 0..g.n() {
            prop_assert!((x[i] - y[i]).abs() < 1e-7 * (1.0 + x[i].abs()));
        }
    }
}

/// Games with many ties: weighted majority games, bankruptcy games with integer claims, and
/// integer-valued random games, on 6 to 10 players.
fn tied_game() -> impl Strategy<Value = Game> {
    (6usize..=10, 0u8..3).prop_flat_map(|(n, family)| {
        (
            prop::collection::vec(1u32..6, n),
            0.3f64..0.8,
            prop::collection::vec(0u32..4, 1usize << n),
        )
            .prop_map(move |(w, q, noise)| {
                let total: u32 = w.iter().sum();
                let sum = |s: Coalition| s.members().map(|i| f64::from(w[i])).sum::<f64>();
                let grand = Coalition::grand(n);
                Game::from_fn(names(n), |s| match family {
                    0 => f64::from(u8::from(sum(s) >= (q * f64::from(total)).ceil())),
                    1 => (q * f64::from(total) - (f64::from(total) - sum(s)))
                        .max(0.0)
                        .round(),
                    _ if s == grand => f64::from(4 * n as u32),
                    _ => f64::from(noise[s.mask() as usize]) * s.len() as f64 / 2.0,
                })
                .unwrap()
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn tied_games_get_a_verified_nucleolus(g in tied_game()) {
        // Every answer passed Kohlberg's check inside; here: an imputation, in the core when
        // the core is nonempty, and the prenucleolus too when the game is convex.
        let nu = g.nucleolus().unwrap();
        prop_assert!((nu.total() - g.grand_value()).abs() < 1e-9);
        for i in 0..g.n() {
            prop_assert!(nu[i] >= g.value(Coalition::singleton(i)) - 1e-9);
        }
        if !g.core_is_empty().unwrap() {
            prop_assert!(g.in_core(nu.values(), 1e-7).unwrap());
        }
        if g.is_convex() {
            let pre = g.prenucleolus().unwrap();
            for i in 0..g.n() {
                prop_assert!((pre[i] - nu[i]).abs() < 1e-7);
            }
        }
    }
}
