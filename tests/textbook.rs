//! Published values from the literature: every case of `tests/data/cases.json`, each with its
//! source. The same file is checked from Python (`coalitional check`, in
//! tests/python/test_reliability.py), so each published number is written once, there.
//!
//! Each case's game is read by the crate's own JSON reader (dense or class form) and every
//! expected quantity is checked on the dense game; where a structured class has its own fast
//! method for the quantity (Shapley–Shubik and Banzhaf indices by counting, the
//! Littlechild–Owen shares, the Talmud rule, random arrival), that method is checked too.
//! Numbers are compared as `coalitional check` compares them: within the case's `tolerance`
//! (default 1e-9) times the game's spread, plus four units in the last place of the expected
//! number.

mod common;

use approx::assert_abs_diff_eq;
use coalitional::format::{read_json, write_json, AnyGame, Metadata};
use coalitional::{Allocation, Cooperative, Error, Game};
use common::shapley_by_permutations;
use serde_json::Value;

/// Exact rationals are compared to 1e-12: the kernel sums at most 2^15 terms of size <= 1.
const TOL: f64 = 1e-12;

/// The published cases.
const CASES: &str = include_str!("data/cases.json");

/// One case of the file, read.
struct Case {
    name: String,
    game: AnyGame,
    meta: Metadata,
    dense: Game,
    expected: serde_json::Map<String, Value>,
    tolerance: f64,
    /// The game's spread: the scale of the tolerance.
    spread: f64,
}

impl Case {
    /// Whether `got` matches `want` (see the module docs).
    fn close(&self, got: f64, want: f64) -> bool {
        got == want
            || (got - want).abs() <= self.tolerance * self.spread + 4.0 * f64::EPSILON * want.abs()
    }

    /// The expected vector `key`: a list in player order or a `{name: value}` mapping naming
    /// some of the players, as `(player, value)` pairs.
    fn vector(&self, key: &str) -> Vec<(String, f64)> {
        let number = |v: &Value| {
            v.as_f64()
                .unwrap_or_else(|| panic!("{}: {key} holds {v}", self.name))
        };
        match &self.expected[key] {
            Value::Array(items) => {
                assert_eq!(
                    items.len(),
                    self.dense.n(),
                    "{}: {key} needs one entry per player",
                    self.name
                );
                self.dense
                    .players()
                    .iter()
                    .cloned()
                    .zip(items.iter().map(number))
                    .collect()
            }
            Value::Object(entries) => entries
                .iter()
                .map(|(p, v)| (p.clone(), number(v)))
                .collect(),
            other => panic!("{}: {key} is {other}, not a vector", self.name),
        }
    }

    /// The expected number `key`.
    fn number(&self, key: &str) -> f64 {
        self.expected[key]
            .as_f64()
            .unwrap_or_else(|| panic!("{}: {key} is not a number", self.name))
    }
}

fn cases() -> Vec<Case> {
    let file: Value = serde_json::from_str(CASES).expect("tests/data/cases.json is JSON");
    assert_eq!(file["format"], "coalitional.cases");
    let cases = file["cases"].as_array().expect("a list of cases");
    cases
        .iter()
        .map(|case| {
            let name = case["name"]
                .as_str()
                .expect("every case has a name")
                .to_string();
            let source = case["source"].as_str().unwrap_or_default();
            assert!(!source.is_empty(), "{name}: every case cites its source");
            let (game, meta) = read_json(&case["game"].to_string())
                .unwrap_or_else(|e| panic!("{name}: the game does not read: {e}"));
            let dense = game.clone().into_dense().unwrap();
            Case {
                spread: dense.spread(),
                name,
                game,
                meta,
                dense,
                expected: case["expected"]
                    .as_object()
                    .expect("expected results")
                    .clone(),
                tolerance: case
                    .get("tolerance")
                    .map_or(1e-9, |t| t.as_f64().expect("a number")),
            }
        })
        .collect()
}

/// Collects what does not match, so that one run reports every failure.
#[derive(Default)]
struct Report(Vec<String>);

impl Report {
    fn vector(&mut self, case: &Case, key: &str, by: &str, got: Result<Allocation, Error>) {
        match got {
            Ok(got) => {
                for (player, want) in case.vector(key) {
                    let x = got[player.as_str()];
                    if !case.close(x, want) {
                        self.0.push(format!(
                            "{}: {key}[{player}] by {by}: got {x:?}, expected {want:?}",
                            case.name
                        ));
                    }
                }
            }
            Err(e) => self.0.push(format!("{}: {key} by {by}: {e}", case.name)),
        }
    }

    fn number(&mut self, case: &Case, key: &str, got: Result<f64, Error>) {
        let want = case.number(key);
        match got {
            Ok(x) if case.close(x, want) => {}
            Ok(x) => self.0.push(format!(
                "{}: {key}: got {x:?}, expected {want:?}",
                case.name
            )),
            Err(e) => self.0.push(format!("{}: {key}: {e}", case.name)),
        }
    }

    fn fail(&mut self, case: &Case, what: String) {
        self.0.push(format!("{}: {what}", case.name));
    }
}

#[test]
fn published_cases_hold() {
    let cases = cases();
    assert!(cases.len() >= 12, "tests/data/cases.json lost cases");
    let mut report = Report::default();
    for case in &cases {
        let g = &case.dense;
        for key in case.expected.keys() {
            match key.as_str() {
                "shapley" => {
                    report.vector(case, key, "the dense game", Ok(g.shapley()));
                    match &case.game {
                        AnyGame::WeightedVoting(w) => {
                            report.vector(case, key, "counting", Ok(w.shapley()))
                        }
                        AnyGame::Airport(a) => {
                            report.vector(case, key, "Littlechild-Owen", Ok(a.shapley()))
                        }
                        // O'Neill (1982): random arrival is the Shapley value of the claims game.
                        AnyGame::Claims(c) => {
                            report.vector(case, key, "random arrival", c.random_arrival())
                        }
                        _ => {}
                    }
                }
                "banzhaf" => {
                    report.vector(case, key, "the dense game", Ok(g.banzhaf()));
                    if let AnyGame::WeightedVoting(w) = &case.game {
                        report.vector(case, key, "counting", Ok(w.banzhaf()));
                        // Exact: the raw index is swings / 2^(n-1).
                        let scale = 2f64.powi(w.n() as i32 - 1);
                        let swings = w.swings();
                        for (player, want) in case.vector(key) {
                            let i = w
                                .players()
                                .iter()
                                .position(|p| *p == player)
                                .expect("a player");
                            if swings[i] as f64 != want * scale {
                                report.fail(
                                    case,
                                    format!(
                                        "swings of {player}: {} for a Banzhaf index {want}",
                                        swings[i]
                                    ),
                                );
                            }
                        }
                    }
                }
                "banzhaf_normalized" => {
                    report.vector(case, key, "the dense game", g.banzhaf_normalized());
                    if let AnyGame::WeightedVoting(w) = &case.game {
                        report.vector(case, key, "counting", Ok(w.banzhaf_normalized()));
                    }
                }
                "nucleolus" => {
                    report.vector(case, key, "the dense game", g.nucleolus());
                    // Aumann and Maschler (1985): the Talmud rule is the nucleolus.
                    if let AnyGame::Claims(c) = &case.game {
                        report.vector(case, key, "the Talmud rule", Ok(c.talmud()));
                    }
                    // The nucleolus lies in the core when the core is nonempty.
                    let want: Vec<f64> = case.vector(key).into_iter().map(|(_, x)| x).collect();
                    if want.len() == g.n()
                        && !g.core_is_empty().unwrap()
                        && !g.in_core(&want, g.tolerance()).unwrap()
                    {
                        report.fail(
                            case,
                            "the published nucleolus is not in the (nonempty) core".into(),
                        );
                    }
                }
                "prenucleolus" => report.vector(case, key, "the dense game", g.prenucleolus()),
                "tau_value" => report.vector(case, key, "the dense game", g.tau_value()),
                "least_core_epsilon" => {
                    report.number(case, key, g.least_core().map(|lc| lc.epsilon))
                }
                "cost_of_stability" => report.number(case, key, g.cost_of_stability()),
                "core_is_empty" => {
                    let want = case.expected[key]
                        .as_bool()
                        .expect("core_is_empty is a bool");
                    match g.core_is_empty() {
                        Ok(got) if got == want => {}
                        Ok(got) => {
                            report.fail(case, format!("core_is_empty: got {got}, expected {want}"))
                        }
                        Err(e) => report.fail(case, format!("core_is_empty: {e}")),
                    }
                    // An empty core: the least core's point is blocked by some coalition.
                    if want {
                        let lc = g.least_core().unwrap();
                        assert!(
                            !g.in_core(lc.allocation.values(), g.tolerance()).unwrap(),
                            "{}",
                            case.name
                        );
                    }
                }
                other => report.fail(case, format!("unknown expected result {other:?}")),
            }
        }
    }
    assert!(report.0.is_empty(), "\n{}", report.0.join("\n"));
}

#[test]
fn every_case_round_trips_and_answers_through_the_trait() {
    for case in cases() {
        // The file's form (dense or class) is what the reader gives and the writer writes.
        let text = write_json(&case.game, &case.meta);
        let (back, meta) = read_json(&text).unwrap();
        assert_eq!(back, case.game, "{}", case.name);
        assert_eq!(meta, case.meta, "{}", case.name);
        assert_eq!(write_json(&back, &meta), text, "{}", case.name);
        // Worths coalition by coalition (each class's own formula) agree with the dense game.
        let mut game = case.game.clone();
        let masks: Vec<u64> = (0..1u64 << game.n()).collect();
        let worths = game.worths(&masks).unwrap();
        for (mask, (w, v)) in worths.iter().zip(case.dense.values()).enumerate() {
            assert!(
                (w - v).abs() <= 1e-12 * v.abs(),
                "{}: coalition {mask}: {w} vs {v}",
                case.name
            );
        }
        assert_eq!(game.kind(), case.dense.kind());
        assert_eq!(game.players(), case.dense.players());
    }
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
    // Beyond the fixed cap of 36 players whatever the machine has; below it, the memory
    // check (8 * 2^n bytes against what is available) decides.
    assert_eq!(
        err,
        Error::LimitExceeded {
            what: "players for a dense game",
            asked: 40,
            limit: coalitional::memory::MAX_DENSE_PLAYERS as u128,
        }
    );
}
