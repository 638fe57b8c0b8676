//! Structured game classes, the Owen value and settlements: closed forms, axioms and brute
//! force. The published values (UN Security Council, EEC council, the Talmud, Littlechild–Owen)
//! are in tests/data/cases.json, checked by tests/textbook.rs on the classes and their dense
//! games.

mod common;

use approx::assert_abs_diff_eq;
use coalitional::classes::airport::Airport;
use coalitional::classes::assignment::{Assignment, Side};
use coalitional::classes::claims::Claims;
use coalitional::classes::voting::WeightedVoting;
use coalitional::format::{read_json, write_json, AnyGame, Metadata};
use coalitional::settle::{settle, Rule, OUTSIDE};
use coalitional::{Allocation, Cooperative, Error, Game, Kind};
use common::{banzhaf_by_definition, names, shapley_by_permutations};
use proptest::prelude::*;

fn close(got: &[f64], want: &[f64], tol: f64) {
    assert_eq!(got.len(), want.len());
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(
            (g - w).abs() <= tol,
            "entry {i}: {g} vs {w} ({got:?} vs {want:?})"
        );
    }
}

// ---- weighted voting -------------------------------------------------------------------

#[test]
fn hundred_players_by_axioms() {
    // 100 players of weight 1..=30 (total about 1550): efficiency (Shapley–Shubik sums to 1),
    // symmetry (equal weights, equal power), a null player (weight 0) gets 0, and a dictator
    // (weight above the quota alone) takes everything.
    let mut w: Vec<u64> = (0..99).map(|i| 1 + (i * 7) % 30).collect();
    w.push(0);
    let total: u64 = w.iter().sum();
    let g = WeightedVoting::new(total / 2 + 1, w.clone(), None).unwrap();
    let phi = g.shapley();
    assert_abs_diff_eq!(phi.total(), 1.0, epsilon = 1e-12);
    assert_eq!(phi[99], 0.0);
    assert_eq!(g.swings()[99], 0);
    let swings = g.swings();
    assert!(swings[..99].iter().all(|&s| s > 0));
    for i in 0..99 {
        for j in 0..99 {
            if w[i] == w[j] {
                assert_abs_diff_eq!(phi[i], phi[j], epsilon = 1e-15);
            }
        }
    }
    let mut w2 = vec![1u64; 99];
    w2.push(200);
    let dictator = WeightedVoting::new(150, w2, None).unwrap();
    assert_eq!(dictator.shapley()[99], 1.0);
    assert_eq!(dictator.swings()[0], 0);
}

/// The parameter named by an [`Error::InvalidParameter`] (any other error fails the test).
fn invalid_parameter(err: Error) -> &'static str {
    match err {
        Error::InvalidParameter { name, .. } => name,
        other => panic!("expected Error::InvalidParameter, got {other:?}"),
    }
}

#[test]
fn voting_input_errors() {
    // A quota of 0 (even the empty coalition would win), above the total weight (none could).
    let err = WeightedVoting::new(0, vec![1, 2], None).unwrap_err();
    assert_eq!(invalid_parameter(err), "quota");
    let err = WeightedVoting::new(4, vec![1, 2], None).unwrap_err();
    assert_eq!(invalid_parameter(err), "quota");
    // Weights that are not whole numbers, or more than 128 of them.
    let err = WeightedVoting::from_f64(2.0, &[1.5, 2.0], None).unwrap_err();
    assert_eq!(invalid_parameter(err), "weights");
    let err = WeightedVoting::new(1, vec![1; 129], None).unwrap_err();
    assert_eq!(invalid_parameter(err), "weights");
    // A quota whose counting table would pass 1 GiB.
    let err = WeightedVoting::new(u64::MAX / 2, vec![u64::MAX / 2, 1], None).unwrap_err();
    assert_eq!(invalid_parameter(err), "quota");
    assert!(matches!(
        WeightedVoting::new(1, vec![1, 1], Some(vec!["a".into()])),
        Err(Error::InvalidParameter {
            name: "players",
            ..
        })
    ));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn voting_indices_match_the_dense_game(w in prop::collection::vec(0u64..8, 1..=8), q in 0.05f64..1.0) {
        let total: u64 = w.iter().sum();
        prop_assume!(total > 0);
        let quota = ((q * total as f64).ceil() as u64).clamp(1, total);
        let g = WeightedVoting::new(quota, w, None).unwrap();
        let dense = g.to_game().unwrap();
        let by_orders = shapley_by_permutations(&dense);
        for (a, b) in g.shapley().values().iter().zip(&by_orders) {
            prop_assert!((a - b).abs() < 1e-12);
        }
        for (a, b) in g.banzhaf().values().iter().zip(banzhaf_by_definition(&dense)) {
            prop_assert!((a - b).abs() < 1e-12);
        }
    }
}

// ---- claims ------------------------------------------------------------------------------

#[test]
fn classical_rules_closed_forms() {
    let p = Claims::new(300.0, vec![100.0, 200.0, 300.0], None).unwrap();
    close(p.proportional().values(), &[50.0, 100.0, 150.0], 1e-12);
    close(
        p.constrained_equal_awards().values(),
        &[100.0, 100.0, 100.0],
        1e-12,
    );
    // CEL: the total loss 300 split equally, 100 each: (0, 100, 200).
    close(
        p.constrained_equal_losses().values(),
        &[0.0, 100.0, 200.0],
        1e-12,
    );
    // With estate 100 the loss of 500 can't be split equally (the first claim caps at 100):
    // mu = 200 -> (0, 0, 100).
    let q = Claims::new(100.0, vec![100.0, 200.0, 300.0], None).unwrap();
    close(
        q.constrained_equal_losses().values(),
        &[0.0, 0.0, 100.0],
        1e-12,
    );
    // Random arrival by hand: orders 123 (100, 200, 0), 132 (100, 0, 200), 213 (100, 200, 0),
    // 231 (0, 200, 100), 312 (0, 0, 300), 321 (0, 0, 300): mean (50, 100, 150).
    close(
        p.random_arrival().unwrap().values(),
        &[50.0, 100.0, 150.0],
        1e-12,
    );
}

/// Random arrival by its definition: every order, each paid in full while the estate lasts.
fn random_arrival_by_orders(estate: f64, claims: &[f64]) -> Vec<f64> {
    let n = claims.len();
    let mut sum = vec![0.0; n];
    let mut count = 0.0;
    let mut order: Vec<usize> = (0..n).collect();
    fn permute(k: usize, order: &mut Vec<usize>, f: &mut dyn FnMut(&[usize])) {
        if k == order.len() {
            f(order);
            return;
        }
        for j in k..order.len() {
            order.swap(k, j);
            permute(k + 1, order, f);
            order.swap(k, j);
        }
    }
    permute(0, &mut order, &mut |o| {
        let mut left = estate;
        for &i in o {
            let pay = claims[i].min(left);
            sum[i] += pay;
            left -= pay;
        }
        count += 1.0;
    });
    sum.iter().map(|s| s / count).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn rules_are_efficient_bounded_and_random_arrival_matches_its_definition(
        claims in prop::collection::vec(0.0f64..100.0, 1..=6), share in 0.0f64..1.0,
    ) {
        let total: f64 = claims.iter().sum();
        let estate = share * total;
        let p = Claims::new(estate, claims.clone(), None).unwrap();
        for x in [p.proportional(), p.constrained_equal_awards(), p.constrained_equal_losses(), p.talmud()] {
            prop_assert!((x.total() - estate).abs() < 1e-9);
            for (xi, ci) in x.values().iter().zip(&claims) {
                prop_assert!(*xi >= -1e-12 && *xi <= ci + 1e-9);
            }
        }
        let ra = p.random_arrival().unwrap();
        for (a, b) in ra.values().iter().zip(random_arrival_by_orders(estate, &claims)) {
            prop_assert!((a - b).abs() < 1e-9);
        }
    }
}

#[test]
fn claims_input_errors() {
    // An estate beyond the total claim, a negative claim, an estate that is not a number.
    let err = Claims::new(700.0, vec![100.0, 200.0, 300.0], None).unwrap_err();
    assert_eq!(invalid_parameter(err), "estate");
    let err = Claims::new(10.0, vec![100.0, -1.0], None).unwrap_err();
    assert_eq!(invalid_parameter(err), "claims");
    let err = Claims::new(f64::NAN, vec![1.0], None).unwrap_err();
    assert_eq!(invalid_parameter(err), "estate");
}

// ---- airport -------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn littlechild_owen_matches_the_dense_shapley(costs in prop::collection::vec(0.0f64..50.0, 1..=7)) {
        let a = Airport::new(costs, None).unwrap();
        let dense = a.to_game().unwrap();
        prop_assert_eq!(dense.kind(), Kind::Cost);
        for (x, y) in a.shapley().values().iter().zip(shapley_by_permutations(&dense)) {
            prop_assert!((x - y).abs() < 1e-9);
        }
    }
}

// ---- assignment ----------------------------------------------------------------------------

fn best_pairing_by_brute_force(a: &[Vec<f64>]) -> f64 {
    fn go(a: &[Vec<f64>], r: usize, used: u64) -> f64 {
        if r == a.len() {
            return 0.0;
        }
        let mut best = go(a, r + 1, used);
        for c in 0..a[r].len() {
            if used >> c & 1 == 0 {
                best = best.max(a[r][c].max(0.0) + go(a, r + 1, used | 1 << c));
            }
        }
        best
    }
    go(a, 0, 0)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn assignment_game_core_and_pairing(m in 1usize..=4, k in 1usize..=4, seed in prop::collection::vec(-2.0f64..10.0, 16)) {
        let a: Vec<Vec<f64>> = (0..m).map(|r| (0..k).map(|c| seed[r * 4 + c].round()).collect()).collect();
        let rows: Vec<String> = (0..m).map(|r| format!("d{r}")).collect();
        let cols: Vec<String> = (0..k).map(|c| format!("r{c}")).collect();
        let g = Assignment::new(a.clone(), rows, cols).unwrap();
        let best = best_pairing_by_brute_force(&a);
        prop_assert!((g.optimal_value() - best).abs() < 1e-9);
        let dense = g.to_game().unwrap();
        prop_assert!((dense.grand_value() - best).abs() < 1e-9);
        // Shapley and Shubik (1971): the dual solutions are in the core of the dense game.
        let vertices = dense.core_vertices().unwrap();
        let row_total = |x: &[f64]| x[..m].iter().sum::<f64>();
        let best_rows = vertices.iter().map(|v| row_total(v.values())).fold(f64::NEG_INFINITY, f64::max);
        let least_rows = vertices.iter().map(|v| row_total(v.values())).fold(f64::INFINITY, f64::min);
        for favour in [None, Some(Side::Rows), Some(Side::Cols)] {
            let x = g.core_allocation(favour).unwrap();
            prop_assert!(dense.in_core(x.values(), 1e-7).unwrap());
            match favour {
                Some(Side::Rows) => prop_assert!((row_total(x.values()) - best_rows).abs() < 1e-7),
                Some(Side::Cols) => prop_assert!((row_total(x.values()) - least_rows).abs() < 1e-7),
                None => {}
            }
        }
    }
}

#[test]
fn degenerate_assignment_core_vertices() {
    // Found by the property test: many tight constraints at one vertex, where a least-squares
    // recomputation went wrong. Every vertex must be a core point.
    let a = vec![
        vec![0.0, 0.0, 8.0, 0.0],
        vec![7.0, 9.0, 0.0, 0.0],
        vec![2.0, 0.0, 3.0, 5.0],
        vec![0.0, 9.0, 0.0, 0.0],
    ];
    let g = Assignment::new(a, names(4), (4..8).map(|i| format!("p{i}")).collect()).unwrap();
    let dense = g.to_game().unwrap();
    let vertices = dense.core_vertices().unwrap();
    assert_eq!(vertices.len(), 19);
    for v in &vertices {
        assert!(dense.in_core(v.values(), 1e-9).unwrap());
    }
    assert!(vertices
        .iter()
        .any(|v| v.values() == [5.0, 5.0, 0.0, 5.0, 2.0, 4.0, 3.0, 5.0]));
}

#[test]
fn one_pair_core_is_a_segment() {
    let g = Assignment::new(vec![vec![10.0]], vec!["donor".into()], vec!["city".into()]).unwrap();
    close(
        g.core_allocation(Some(Side::Rows)).unwrap().values(),
        &[10.0, 0.0],
        1e-9,
    );
    close(
        g.core_allocation(Some(Side::Cols)).unwrap().values(),
        &[0.0, 10.0],
        1e-9,
    );
    let err = Assignment::new(vec![vec![1.0]], vec!["x".into()], vec!["x".into()]).unwrap_err();
    assert!(matches!(err, Error::DuplicatePlayer { .. }), "{err}");
}

// ---- every class as a Cooperative game, and in the class JSON form ---------------------------

/// Every structured class answers coalition by coalition (its own formula: weights, claims,
/// runway costs, the best pairing of the sub-market) exactly as its dense game does.
fn worths_match_the_dense_game(mut game: impl Cooperative) -> Result<(), TestCaseError> {
    let dense = game.dense().unwrap();
    let masks: Vec<u64> = (0..1u64 << game.n()).collect();
    let worths = game.worths(&masks).unwrap();
    for (mask, (w, v)) in worths.iter().zip(dense.values()).enumerate() {
        prop_assert!(
            (w - v).abs() <= 1e-12 * v.abs(),
            "coalition {}: {} vs {}",
            mask,
            w,
            v
        );
        prop_assert_eq!(game.worth(mask as u64).unwrap(), *w);
    }
    let beyond = game.worth(1 << game.n());
    prop_assert!(
        matches!(beyond, Err(Error::PlayerIndexOutOfRange { .. })),
        "a coalition beyond the players: {:?}",
        beyond
    );
    Ok(())
}

/// Written in the class form and read back: the same game, bit for bit.
fn round_trips(game: impl Into<AnyGame>) -> Result<(), TestCaseError> {
    let game = game.into();
    let meta = Metadata {
        name: Some("case".into()),
        description: Some("random".into()),
        source: None,
    };
    let text = write_json(&game, &meta);
    let (back, meta2) = read_json(&text).unwrap();
    prop_assert_eq!(&back, &game);
    prop_assert_eq!(meta2, meta);
    prop_assert_eq!(back.class(), game.class());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn classes_answer_through_the_trait_and_round_trip(
        weights in prop::collection::vec(0u64..6, 1..=7), q in 0.05f64..1.0,
        claims in prop::collection::vec(prop::num::f64::POSITIVE | prop::num::f64::ZERO, 1..=6),
        share in 0.0f64..=1.0,
        costs in prop::collection::vec(prop::num::f64::POSITIVE | prop::num::f64::ZERO, 1..=6),
        m in 1usize..=3, k in 1usize..=3, surplus in prop::collection::vec(-2.0f64..10.0, 9),
    ) {
        let total: u64 = weights.iter().sum();
        prop_assume!(total > 0);
        let quota = ((q * total as f64).ceil() as u64).clamp(1, total);
        let vote = WeightedVoting::new(quota, weights, None).unwrap();
        worths_match_the_dense_game(vote.clone())?;
        round_trips(vote)?;
        // Claims and costs of any size (within the float range): the bits survive the file.
        let claims: Vec<f64> = claims.into_iter().map(|c| c.min(1e300)).collect();
        let estate = share * claims.iter().sum::<f64>().min(f64::MAX);
        if let Ok(problem) = Claims::new(estate, claims, None) {
            worths_match_the_dense_game(problem.clone())?;
            round_trips(problem)?;
        }
        let airport = Airport::new(costs, None).unwrap();
        worths_match_the_dense_game(airport.clone())?;
        round_trips(airport)?;
        let a: Vec<Vec<f64>> = (0..m).map(|r| (0..k).map(|c| surplus[r * 3 + c]).collect()).collect();
        let market = Assignment::new(
            a,
            (0..m).map(|r| format!("d{r}")).collect(),
            (0..k).map(|c| format!("r{c}")).collect(),
        )
        .unwrap();
        worths_match_the_dense_game(market.clone())?;
        round_trips(market)?;
    }
}

// ---- Owen value ----------------------------------------------------------------------------

/// The Owen value by its definition: the average marginal vector over the orders in which
/// each union's members arrive together.
fn owen_by_orders(g: &Game, unions: &[Vec<usize>]) -> Vec<f64> {
    fn perms(items: &[usize]) -> Vec<Vec<usize>> {
        if items.len() <= 1 {
            return vec![items.to_vec()];
        }
        let mut out = Vec::new();
        for k in 0..items.len() {
            let mut rest = items.to_vec();
            let first = rest.remove(k);
            for mut p in perms(&rest) {
                p.insert(0, first);
                out.push(p);
            }
        }
        out
    }
    let union_orders = perms(&(0..unions.len()).collect::<Vec<_>>());
    let inner: Vec<Vec<Vec<usize>>> = unions.iter().map(|u| perms(u)).collect();
    let mut sum = vec![0.0; g.n()];
    let mut count = 0.0;
    for uo in &union_orders {
        // Every combination of inner orders.
        let mut idx = vec![0usize; unions.len()];
        loop {
            let order: Vec<usize> = uo.iter().flat_map(|&u| inner[u][idx[u]].clone()).collect();
            for (s, m) in sum
                .iter_mut()
                .zip(g.marginal_vector(&order).unwrap().values())
            {
                *s += m;
            }
            count += 1.0;
            let mut k = 0;
            while k < idx.len() {
                idx[k] += 1;
                if idx[k] < inner[k].len() {
                    break;
                }
                idx[k] = 0;
                k += 1;
            }
            if k == idx.len() {
                break;
            }
        }
    }
    sum.iter().map(|s| s / count).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn owen_matches_its_definition_and_reduces_to_shapley(
        v in prop::collection::vec(-5.0f64..20.0, 64), split in prop::collection::vec(0usize..3, 6),
    ) {
        let mut values = v.clone();
        values[0] = 0.0;
        let g = Game::new(names(6), values).unwrap();
        let unions: Vec<Vec<usize>> = (0..3)
            .map(|k| (0..6).filter(|&i| split[i] == k).collect::<Vec<_>>())
            .filter(|u| !u.is_empty())
            .collect();
        let owen = g.owen(&unions).unwrap();
        for (a, b) in owen.values().iter().zip(owen_by_orders(&g, &unions)) {
            prop_assert!((a - b).abs() < 1e-9);
        }
        let phi = g.shapley();
        let singletons: Vec<Vec<usize>> = (0..6).map(|i| vec![i]).collect();
        let everyone = vec![(0..6).collect::<Vec<_>>()];
        for x in [g.owen(&singletons).unwrap(), g.owen(&everyone).unwrap()] {
            for (a, b) in x.values().iter().zip(phi.values()) {
                prop_assert!((a - b).abs() < 1e-9);
            }
        }
    }
}

#[test]
fn owen_rejects_unions_that_do_not_partition() {
    let g = Game::from_fn(names(3), |s| s.len() as f64).unwrap();
    for unions in [
        vec![vec![0, 1]],             // player 2 in no union
        vec![vec![0, 1], vec![1, 2]], // player 1 in two
        vec![vec![0, 1, 2], vec![]],  // an empty union
    ] {
        let err = g.owen(&unions).unwrap_err();
        assert_eq!(invalid_parameter(err), "unions");
    }
    assert!(matches!(
        g.owen(&[vec![0, 1, 7]]),
        Err(Error::PlayerIndexOutOfRange { index: 7, .. })
    ));
    assert!(matches!(
        g.owen_by_name(&[vec!["p0", "nobody"]]),
        Err(Error::UnknownPlayer { .. })
    ));
}

// ---- settlements ---------------------------------------------------------------------------

fn cities() -> Game {
    Game::from_fn(vec!["S".into(), "Z".into(), "H".into()], |s| {
        [0.0, 0.0, 0.0, 90.0, 0.0, 80.0, 70.0, 150.0][s.index()]
    })
    .unwrap()
}

#[test]
fn balanced_settlement_needs_at_most_n_minus_one_payments() {
    let g = cities();
    let target = Rule::Nucleolus.apply(&g).unwrap(); // (60, 50, 40)
    close(target.values(), &[60.0, 50.0, 40.0], 1e-9);
    let today = Allocation::new(g.players().to_vec(), vec![80.0, 20.0, 50.0], Kind::Value).unwrap();
    let s = settle(&g, &target, Some(&today), 3).unwrap();
    assert_abs_diff_eq!(s.gap, 0.0, epsilon = 1e-9);
    close(s.net.values(), &[-20.0, 30.0, -10.0], 1e-9);
    assert!(s.payments.len() <= 2, "{:?}", s.payments);
    assert!(s
        .payments
        .iter()
        .all(|p| p.payer != OUTSIDE && p.payee != OUTSIDE));
    assert!(s.in_core && s.individually_rational());
    // The pair worth 90 (S, Z) gets 110: excess -20, the largest of all (least core = -20).
    assert_eq!(s.blocking[0].members, vec!["S", "Z"]);
    assert_abs_diff_eq!(s.blocking[0].excess, -20.0, epsilon = 1e-9);
    assert_eq!(s.cost_of_stability, 0.0);
}

#[test]
fn unbalanced_settlement_goes_through_the_outside() {
    // Majority game: any pair makes 1. The target gives each pair 1 (total 3/2): the gap 1/2
    // is the subsidy, here exactly the cost of stability.
    let g = Game::from_fn(names(3), |s| f64::from(u8::from(s.len() >= 2))).unwrap();
    let target = Allocation::new(g.players().to_vec(), vec![0.5; 3], Kind::Value).unwrap();
    let s = settle(&g, &target, None, 2).unwrap();
    assert_abs_diff_eq!(s.gap, 1.5, epsilon = 1e-12); // from standalone zeros
    let from_outside: f64 = s
        .payments
        .iter()
        .filter(|p| p.payer == OUTSIDE)
        .map(|p| p.amount)
        .sum();
    assert_abs_diff_eq!(from_outside, 1.5, epsilon = 1e-12);
    assert!(!s.in_core); // not efficient: sums to 3/2, v(N) = 1
                         // The game's own cost of stability (published: tests/data/cases.json).
    assert_abs_diff_eq!(
        s.cost_of_stability,
        g.cost_of_stability().unwrap(),
        epsilon = 1e-12
    );
    // The Shapley value (1/3 each) leaves every pair 1/3 short.
    let s = settle(&g, &g.shapley(), None, 3).unwrap();
    assert_eq!(s.blocking.len(), 3);
    for b in &s.blocking {
        assert_abs_diff_eq!(b.excess, 1.0 / 3.0, epsilon = 1e-12);
    }
}

#[test]
fn cost_game_settlement_signs() {
    // Airport costs 1, 3, 6; today each pays its own runway (1, 3, 6), total 10 > c(N) = 6.
    // Target: Shapley shares (1/3, 4/3, 13/3). Everyone pays less: the surplus 4 goes out.
    let g = Airport::new(vec![1.0, 3.0, 6.0], None)
        .unwrap()
        .to_game()
        .unwrap();
    let s = settle(&g, &g.shapley(), None, 3).unwrap();
    assert_abs_diff_eq!(s.gap, -4.0, epsilon = 1e-12);
    // In a cost game a lower share means money back: the outside pays the players 4 in all.
    let to_players: f64 = s
        .payments
        .iter()
        .filter(|p| p.payer == OUTSIDE)
        .map(|p| p.amount)
        .sum();
    assert_abs_diff_eq!(to_players, 4.0, epsilon = 1e-12);
    assert!(s.in_core && s.individually_rational());
}

#[test]
fn settlement_input_errors() {
    let g = cities();
    let wrong = Allocation::new(vec!["a".into(), "b".into()], vec![1.0, 2.0], Kind::Value).unwrap();
    assert!(matches!(
        settle(&g, &wrong, None, 3),
        Err(Error::AllocationLength { got: 2, n: 3 })
    ));
    let renamed = Allocation::new(names(3), vec![1.0, 2.0, 3.0], Kind::Value).unwrap();
    let err = settle(&g, &renamed, None, 3).unwrap_err();
    assert_eq!(invalid_parameter(err), "target"); // not the game's players
    let nan = Allocation::new(g.players().to_vec(), vec![1.0, f64::NAN, 3.0], Kind::Value).unwrap();
    assert!(settle(&g, &nan, None, 3).is_err());
}
