//! Scenario games: the expected game by hand, rules per scenario, and the robust least core
//! against a brute-force LP with one row per (scenario, coalition), solved here with good_lp.

mod common;

use coalitional::{Coalition, Error, Game, Kind, Rule, ScenarioGame};
use common::Rng;
use good_lp::{microlp, variable, Expression, ProblemVariables, Solution, SolverModel};

fn names(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("P{i}")).collect()
}

/// A random game: `|S|^2` plus noise (so cores are sometimes empty, sometimes not).
fn random_game(n: usize, rng: &mut Rng, kind: Kind) -> Game {
    let values = (0..1usize << n)
        .map(|s| {
            if s == 0 {
                return 0.0;
            }
            let k = s.count_ones() as f64;
            match kind {
                Kind::Value => k * k + 4.0 * rng.next(),
                Kind::Cost => 3.0 * k.sqrt() + 2.0 * rng.next(),
            }
        })
        .collect();
    Game::with_kind(names(n), values, kind).unwrap()
}

fn probabilities(k: usize, rng: &mut Rng) -> Vec<f64> {
    let w: Vec<f64> = (0..k).map(|_| 0.2 + rng.next()).collect();
    let total: f64 = w.iter().sum();
    let mut p: Vec<f64> = w.iter().map(|x| x / total).collect();
    // Exact sum 1 is not needed (a few ulps are allowed), but keep the last one honest.
    let rest: f64 = p[..k - 1].iter().sum();
    p[k - 1] = 1.0 - rest;
    p
}

/// `sum_{i in S} x_i`.
fn x_of(x: &[f64], s: usize) -> f64 {
    (0..x.len())
        .filter(|&i| s >> i & 1 == 1)
        .map(|i| x[i])
        .sum()
}

/// The largest excess of `x` over every scenario and proper coalition, directly.
fn worst_excess(sg: &ScenarioGame, x: &[f64]) -> f64 {
    let sign = if sg.kind() == Kind::Value { 1.0 } else { -1.0 };
    let full = (1usize << x.len()) - 1;
    sg.games()
        .iter()
        .flat_map(|g| (1..full).map(move |s| sign * (g.values()[s] - x_of(x, s))))
        .fold(f64::NEG_INFINITY, f64::max)
}

/// The brute-force LP: min e s.t. x(N) = sum_k p_k v_k(N), x(S) + e >= v_k(S) (costs:
/// e - x(S) >= -c_k(S)) for every k and proper nonempty S.
fn brute_force_epsilon(sg: &ScenarioGame) -> f64 {
    let n = sg.players().len();
    let full = (1usize << n) - 1;
    let mut vars = ProblemVariables::new();
    let x = vars.add_vector(variable(), n);
    let e = vars.add(variable());
    let mut model = vars.minimise(e).using(microlp);
    let grand: f64 = sg
        .games()
        .iter()
        .zip(sg.probabilities())
        .map(|(g, p)| p * g.grand_value())
        .sum();
    let total: Expression = x.iter().copied().sum();
    model.add_constraint(total.eq(grand));
    for g in sg.games() {
        for s in 1..full {
            let xs: Expression = (0..n).filter(|&i| s >> i & 1 == 1).map(|i| x[i]).sum();
            let row = match sg.kind() {
                Kind::Value => (xs + e).geq(g.values()[s]),
                Kind::Cost => (e - xs).geq(-g.values()[s]),
            };
            model.add_constraint(row);
        }
    }
    let sol = model
        .solve()
        .expect("the brute-force LP is feasible and bounded");
    sol.value(e)
}

#[test]
fn robust_least_core_matches_the_brute_force_lp() {
    let mut rng = Rng(2024);
    let mut stable_seen = [false; 2];
    for kind in [Kind::Value, Kind::Cost] {
        for n in 2..=6 {
            for k in 2..=4 {
                let games: Vec<Game> = (0..k).map(|_| random_game(n, &mut rng, kind)).collect();
                let sg = ScenarioGame::new(games, probabilities(k, &mut rng)).unwrap();
                let r = sg.robust_least_core().unwrap();
                let want = brute_force_epsilon(&sg);
                let ctx = format!("{kind:?} n={n} K={k}");
                assert!(
                    (r.epsilon - want).abs() < 1e-7,
                    "{ctx}: {} vs {want}",
                    r.epsilon
                );
                // Both points distribute E v(N) and reach epsilon over all (k, S).
                let grand = sg.expected().unwrap().grand_value();
                for x in [&r.allocation, &r.centre] {
                    assert!((x.total() - grand).abs() < 1e-9, "{ctx}");
                    let worst = worst_excess(&sg, x.values());
                    assert!((worst - want).abs() < 1e-7, "{ctx}: {worst} vs {want}");
                }
                // The reported coalition attains epsilon in each reported scenario.
                let s = r.worst_coalition.mask() as usize;
                assert!(s != 0 && s != (1 << n) - 1, "{ctx}");
                assert!(!r.worst_scenarios.is_empty(), "{ctx}");
                let sign = if kind == Kind::Value { 1.0 } else { -1.0 };
                for name in &r.worst_scenarios {
                    let j = sg.names().iter().position(|m| m == name).unwrap();
                    let ex = sign * (sg.games()[j].values()[s] - x_of(r.allocation.values(), s));
                    assert!((ex - want).abs() < 1e-7, "{ctx}: {ex} vs {want}");
                }
                assert_eq!(r.is_robustly_stable(), want <= 1e-9, "{ctx}: {want}");
                stable_seen[usize::from(r.is_robustly_stable())] = true;
            }
        }
    }
    // Both outcomes were exercised.
    assert_eq!(stable_seen, [true, true]);
}

#[test]
fn expected_game_by_hand() {
    let p = names(2);
    let a = Game::new(p.clone(), vec![0.0, 1.0, 2.0, 10.0]).unwrap();
    let b = Game::new(p.clone(), vec![0.0, 3.0, 0.0, 4.0]).unwrap();
    let c = Game::new(p, vec![0.0, 0.0, 0.0, 1.0]).unwrap();
    let sg = ScenarioGame::with_names(
        vec![a, b, c],
        vec![0.5, 0.25, 0.25],
        vec!["base".into(), "dry".into(), "crisis".into()],
    )
    .unwrap();
    let e = sg.expected().unwrap();
    // 0.5 (1, 2, 10) + 0.25 (3, 0, 4) + 0.25 (0, 0, 1).
    assert_eq!(e.values(), &[0.0, 1.25, 1.0, 6.25]);
    assert_eq!(e.kind(), Kind::Value);
    assert_eq!(sg.names(), &["base", "dry", "crisis"]);
    // Pessimistic game: u(A) = 3, u(B) = 2, u(AB) = 6.25: two-player least core
    // x_A = 3 + 1.25 / 2, epsilon = -0.625, attained by {A} in "dry" and {B} in "base".
    let r = sg.robust_least_core().unwrap();
    assert!((r.epsilon + 0.625).abs() < 1e-12);
    assert!((r.centre["P0"] - 3.625).abs() < 1e-12);
    assert_eq!(r.worst_coalition, Coalition::from_mask(1));
    assert_eq!(r.worst_members, vec!["P0".to_string()]);
    assert_eq!(r.worst_scenarios, vec!["dry".to_string()]);
    assert!(r.stable_in_every_scenario);
    let shown = r.to_string();
    assert!(
        shown.contains("epsilon = -0.625") && shown.contains("dry"),
        "{shown}"
    );
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["worst_scenarios"][0], "dry");
    assert!(sg.to_string().contains("crisis"));
    let json = serde_json::to_value(&sg).unwrap();
    assert_eq!(json["names"][2], "crisis");
    assert_eq!(json["probabilities"][0], 0.5);
    assert_eq!(json["games"].as_array().unwrap().len(), 3);
}

#[test]
fn unstable_in_some_scenario() {
    // Two 3-player majority-like scenarios: the pessimistic game is the majority game with
    // u(N) = 1, epsilon = 1/3 > 0.
    let p = names(3);
    let maj = |s: Coalition| if s.len() >= 2 { 1.0 } else { 0.0 };
    let a = Game::from_fn(p.clone(), maj).unwrap();
    let b = Game::from_fn(p, |s| if s.len() == 3 { 1.0 } else { 0.0 }).unwrap();
    let sg = ScenarioGame::new(vec![a, b], vec![0.5, 0.5]).unwrap();
    let r = sg.robust_least_core().unwrap();
    assert!((r.epsilon - 1.0 / 3.0).abs() < 1e-9);
    assert!(!r.is_robustly_stable());
    assert_eq!(r.worst_scenarios, vec!["scenario 1".to_string()]);
    for x in r.centre.values() {
        assert!((x - 1.0 / 3.0).abs() < 1e-9);
    }
}

#[test]
fn per_scenario_applies_the_rule_to_each_game() {
    let mut rng = Rng(7);
    let mut games: Vec<Game> = (0..3)
        .map(|_| random_game(4, &mut rng, Kind::Value))
        .collect();
    // A third scenario with no imputation: v(N) < sum of v({i}).
    games[2] = Game::from_fn(
        names(4),
        |s| if s.len() == 4 { 0.5 } else { s.len() as f64 },
    )
    .unwrap();
    let sg = ScenarioGame::new(games.clone(), vec![0.2, 0.3, 0.5]).unwrap();
    let shapley = sg.per_scenario(Rule::Shapley);
    assert_eq!(shapley.len(), 3);
    for (got, g) in shapley.iter().zip(&games) {
        assert_eq!(got.as_ref().unwrap(), &g.shapley());
    }
    let nucleolus = sg.per_scenario(Rule::Nucleolus);
    assert_eq!(
        nucleolus[0].as_ref().unwrap(),
        &games[0].nucleolus().unwrap()
    );
    assert!(matches!(nucleolus[2], Err(Error::Undefined { .. })));
}

/// `v = c w + a`: a budget of about `10^8` per player with surpluses of a few units.
fn lifted(w: &Game, c: f64, a: &[f64]) -> Game {
    let values = (0..w.values().len())
        .map(|s| {
            let add: f64 = (0..a.len())
                .filter(|&i| s >> i & 1 == 1)
                .map(|i| a[i])
                .sum();
            c * w.values()[s] + add
        })
        .collect();
    Game::with_kind(w.players().to_vec(), values, w.kind()).unwrap()
}

#[test]
fn large_budgets_and_covariance() {
    let mut rng = Rng(99);
    for kind in [Kind::Value, Kind::Cost] {
        for (c, a) in [
            (1.0, vec![1e8, 2e8, 3e8, 4e8]),
            (3.0, vec![1e9, -5e8, 7e8, 2.5e8]),
            (0.5, vec![1e6, 1e6, 1e6, 1e6]),
        ] {
            let w: Vec<Game> = (0..3).map(|_| random_game(4, &mut rng, kind)).collect();
            let p = vec![0.5, 0.3, 0.2];
            let small = ScenarioGame::new(w.clone(), p.clone()).unwrap();
            let big = ScenarioGame::new(w.iter().map(|g| lifted(g, c, &a)).collect(), p).unwrap();
            let ctx = format!("{kind:?} c={c}");
            // Expected game: E(c w + a) = c E w + a; its surplus over the standalone values
            // (a few units) survives next to budgets of 10^8..10^9.
            let (es, eb) = (small.expected().unwrap(), big.expected().unwrap());
            for s in 1..16usize {
                let add: f64 = (0..4).filter(|&i| s >> i & 1 == 1).map(|i| a[i]).sum();
                let want = c * es.values()[s] + add;
                assert!((eb.values()[s] - want).abs() < 1e-6, "{ctx}: S={s}");
            }
            let rs = small.robust_least_core().unwrap();
            let rb = big.robust_least_core().unwrap();
            assert!((rb.epsilon - c * rs.epsilon).abs() < 1e-6, "{ctx}");
            assert_eq!(rb.is_robustly_stable(), rs.is_robustly_stable(), "{ctx}");
            for (i, ai) in a.iter().enumerate() {
                let want = c * rs.centre.values()[i] + ai;
                assert!(
                    (rb.centre.values()[i] - want).abs() < 1e-6,
                    "{ctx}: player {i}"
                );
            }
            assert_eq!(rb.worst_scenarios, rs.worst_scenarios, "{ctx}");
        }
    }
}

#[test]
fn errors_name_the_parameter_and_the_scenario() {
    let g = |p: Vec<String>, kind| Game::with_kind(p, vec![0.0, 1.0, 1.0, 3.0], kind).unwrap();
    let ok = g(names(2), Kind::Value);
    let param = |e: Error| match e {
        Error::InvalidParameter { name, reason } => (name, reason),
        other => panic!("{other:?}"),
    };
    let (name, _) = param(ScenarioGame::new(vec![], vec![]).unwrap_err());
    assert_eq!(name, "games");
    let other = g(vec!["P1".into(), "P0".into()], Kind::Value);
    let (name, reason) =
        param(ScenarioGame::new(vec![ok.clone(), other], vec![0.5, 0.5]).unwrap_err());
    assert_eq!(name, "games");
    assert!(reason.contains("games[1]"), "{reason}");
    let cost = g(names(2), Kind::Cost);
    let (name, reason) = param(
        ScenarioGame::new(vec![ok.clone(), ok.clone(), cost], vec![0.2, 0.3, 0.5]).unwrap_err(),
    );
    assert_eq!(name, "games");
    assert!(reason.contains("games[2]"), "{reason}");
    let three = Game::new(names(3), vec![0.0; 8]).unwrap();
    let (name, _) = param(ScenarioGame::new(vec![ok.clone(), three], vec![0.5, 0.5]).unwrap_err());
    assert_eq!(name, "games");
    for (p, index) in [
        (vec![-0.1, 1.1], Some("probabilities[0]")),
        (vec![0.5, f64::NAN], Some("probabilities[1]")),
        (vec![0.5, f64::INFINITY], Some("probabilities[1]")),
        (vec![0.5, 0.4], None),
        (vec![0.5, 0.5 + 1e-12], None),
        (vec![1.0], None),
    ] {
        let (name, reason) =
            param(ScenarioGame::new(vec![ok.clone(), ok.clone()], p.clone()).unwrap_err());
        assert_eq!(name, "probabilities", "{p:?}");
        if let Some(index) = index {
            assert!(reason.contains(index), "{reason}");
        }
    }
    // A sum off by a rounding error is accepted.
    let third = 1.0 / 3.0;
    assert!(ScenarioGame::new(vec![ok.clone(), ok.clone(), ok.clone()], vec![third; 3]).is_ok());
    let (name, _) = param(
        ScenarioGame::with_names(
            vec![ok.clone(), ok.clone()],
            vec![0.5, 0.5],
            vec!["x".into(), "x".into()],
        )
        .unwrap_err(),
    );
    assert_eq!(name, "names");
    // One player: no proper coalition, the least core's error.
    let solo = Game::new(names(1), vec![0.0, 2.0]).unwrap();
    let sg = ScenarioGame::new(vec![solo.clone(), solo], vec![0.5, 0.5]).unwrap();
    assert!(matches!(
        sg.robust_least_core(),
        Err(Error::Undefined { .. })
    ));
    assert_eq!(sg.expected().unwrap().values(), &[0.0, 2.0]);
}

#[test]
fn a_scenario_of_probability_zero_cannot_make_a_split_unstable() {
    // Found by review: scenario 2 has probability 0, so only scenario 1 binds: its least core
    // (v = (1, 2), v(N) = 10) has epsilon -3.5, stable.
    let g1 = Game::new(names(2), vec![0.0, 1.0, 2.0, 10.0]).unwrap();
    let g2 = Game::new(names(2), vec![0.0, 9.0, 0.0, 9.0]).unwrap();
    let sg = ScenarioGame::new(vec![g1.clone(), g2], vec![1.0, 0.0]).unwrap();
    let r = sg.robust_least_core().unwrap();
    let alone = g1.least_core().unwrap();
    assert!((r.epsilon - alone.epsilon).abs() < 1e-12 && (r.epsilon + 3.5).abs() < 1e-12);
    assert!(r.stable_in_every_scenario);
    assert_eq!(r.worst_scenarios, vec!["scenario 1".to_string()]);
}
