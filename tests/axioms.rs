//! The axioms of the Shapley and Banzhaf values as properties of random games, and both values
//! against brute force (all n! orders; all 2^(n-1) coalitions) for n <= 7.

mod common;

use coalitional::{Coalition, Game};
use common::{banzhaf_by_definition, names, shapley_by_permutations};
use proptest::prelude::*;

/// Random values in [-100, 100] with v(empty) = 0, for n players.
fn random_game(max_n: usize) -> impl Strategy<Value = Game> {
    (1..=max_n).prop_flat_map(|n| {
        prop::collection::vec(-100.0f64..100.0, 1usize << n).prop_map(move |mut v| {
            v[0] = 0.0;
            Game::new(names(n), v).unwrap()
        })
    })
}

/// Sums of up to 2^n terms of size <= 100 * 2^n lose at most ~1e-10 here.
const TOL: f64 = 1e-9;

fn close(a: &[f64], b: &[f64]) -> bool {
    a.iter()
        .zip(b)
        .all(|(x, y)| (x - y).abs() <= TOL * (1.0 + y.abs()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn shapley_equals_the_average_of_all_marginal_vectors(g in random_game(7)) {
        prop_assert!(close(g.shapley().values(), &shapley_by_permutations(&g)));
    }

    #[test]
    fn banzhaf_equals_its_definition(g in random_game(7)) {
        prop_assert!(close(g.banzhaf().values(), &banzhaf_by_definition(&g)));
    }

    #[test]
    fn shapley_is_efficient(g in random_game(12)) {
        let total = g.shapley().total();
        prop_assert!((total - g.grand_value()).abs() <= TOL * (1.0 + g.grand_value().abs()));
    }

    #[test]
    fn symmetric_players_get_the_same(g in random_game(9), pick in any::<(usize, usize)>()) {
        // Symmetrise v in players i and j: w(S) = (v(S) + v(swap_ij S)) / 2.
        let n = g.n();
        prop_assume!(n >= 2);
        let i = pick.0 % n;
        let j = (i + 1 + pick.1 % (n - 1)) % n;
        let swap = |s: Coalition| {
            let (hi, hj) = (s.contains(i), s.contains(j));
            let mut t = s.without(i).without(j);
            if hi { t = t.with(j); }
            if hj { t = t.with(i); }
            t
        };
        let w = Game::from_fn(names(n), |s| (g.value(s) + g.value(swap(s))) / 2.0).unwrap();
        let (phi, beta) = (w.shapley(), w.banzhaf());
        prop_assert!((phi[i] - phi[j]).abs() <= TOL * (1.0 + phi[i].abs()));
        prop_assert!((beta[i] - beta[j]).abs() <= TOL * (1.0 + beta[i].abs()));
    }

    #[test]
    fn null_player_gets_nothing(g in random_game(9), pick in any::<usize>()) {
        // Make player k null: w(S) = v(S \ {k}).
        let n = g.n();
        let k = pick % n;
        let w = Game::from_fn(names(n), |s| g.value(s.without(k))).unwrap();
        prop_assert!(w.shapley()[k].abs() <= TOL);
        prop_assert!(w.banzhaf()[k].abs() <= TOL);
    }

    #[test]
    fn values_are_additive(pair in (1usize..=9).prop_flat_map(|n| (
        prop::collection::vec(-100.0f64..100.0, 1usize << n),
        prop::collection::vec(-100.0f64..100.0, 1usize << n),
    ))) {
        let (mut a, mut b) = pair;
        a[0] = 0.0;
        b[0] = 0.0;
        let n = a.len().trailing_zeros() as usize;
        let sum: Vec<f64> = a.iter().zip(&b).map(|(x, y)| x + y).collect();
        let (ga, gb) = (Game::new(names(n), a).unwrap(), Game::new(names(n), b).unwrap());
        let gs = Game::new(names(n), sum).unwrap();
        let add = |x: &[f64], y: &[f64]| x.iter().zip(y).map(|(p, q)| p + q).collect::<Vec<_>>();
        prop_assert!(close(gs.shapley().values(), &add(ga.shapley().values(), gb.shapley().values())));
        prop_assert!(close(gs.banzhaf().values(), &add(ga.banzhaf().values(), gb.banzhaf().values())));
    }
}
