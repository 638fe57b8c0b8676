//! Published values from the literature: every case of `tests/data/cases.json`, each with its
//! source, read and checked by the crate's own checker, [`coalitional::cases`] (the one
//! `coalitional check` runs, in tests/python/test_reliability.py), so each published number is
//! written once, there, and checked by one rule.
//!
//! Beyond what the checker computes on the dense game, this file checks what only Rust can:
//! where a structured class has its own fast method for a quantity (Shapley–Shubik and Banzhaf
//! indices by counting, the Littlechild–Owen shares, the Talmud rule, random arrival), that
//! method against the same expected values, by the same tolerance rule
//! ([`cases::close`]); that a published nucleolus lies in the (nonempty) core; and that every
//! case's game round-trips through the JSON writer.

mod common;

use approx::assert_abs_diff_eq;
use coalitional::cases::{self, Case, Expected};
use coalitional::format::{read_json, write_json, AnyGame};
use coalitional::{Allocation, Cooperative, Error, Game};
use common::shapley_by_permutations;

/// Exact rationals are compared to 1e-12: the kernel sums at most 2^15 terms of size <= 1.
const TOL: f64 = 1e-12;

/// The published cases.
fn cases() -> Vec<Case> {
    cases::read_cases(include_str!("data/cases.json")).expect("tests/data/cases.json reads")
}

#[test]
fn published_cases_hold() {
    let cases = cases();
    assert!(cases.len() >= 12, "tests/data/cases.json lost cases");
    let reports = cases::check_all(&cases).unwrap();
    let failed: Vec<String> = reports
        .iter()
        .filter(|r| !r.passed)
        .map(ToString::to_string)
        .collect();
    assert!(failed.is_empty(), "\n{}", failed.join("\n"));
}

#[test]
fn every_case_cites_its_source() {
    for case in cases() {
        assert!(
            case.source().is_some_and(|s| !s.is_empty()),
            "{}: every case cites its source",
            case.name()
        );
    }
}

/// A case with its dense game, for the checks below.
struct Checked {
    case: Case,
    dense: Game,
    /// What does not match, so that one run reports every failure.
    failures: Vec<String>,
}

impl Checked {
    fn new(case: Case) -> Checked {
        let dense = case.game().clone().into_dense().unwrap();
        Checked {
            case,
            dense,
            failures: Vec::new(),
        }
    }

    /// The expected `(player, value)` pairs of the vector `want`.
    fn pairs(&self, want: &Expected) -> Vec<(String, f64)> {
        want.per_player(self.dense.players())
            .unwrap_or_else(|| panic!("{}: not a vector: {want:?}", self.case.name()))
    }

    /// Compares `got` (computed `by` a structured class's own method) with the expected
    /// vector `want` of `key`, by the checker's rule.
    fn vector(&mut self, key: &str, want: &Expected, by: &str, got: Result<Allocation, Error>) {
        let name = self.case.name().to_string();
        match got {
            Ok(got) => {
                for (player, w) in self.pairs(want) {
                    let x = got[player.as_str()];
                    if !cases::close(x, w, self.case.tolerance(), self.dense.spread()) {
                        self.failures.push(format!(
                            "{name}: {key}[{player}] by {by}: got {x:?}, expected {w:?}"
                        ));
                    }
                }
            }
            Err(e) => self.failures.push(format!("{name}: {key} by {by}: {e}")),
        }
    }
}

#[test]
fn structured_classes_agree_by_their_own_methods() {
    let mut failures = Vec::new();
    let mut compared = 0;
    for case in cases() {
        let mut c = Checked::new(case);
        let game = c.case.game().clone();
        for (key, want) in c.case.expected().to_vec() {
            match (key.as_str(), &game) {
                ("shapley", AnyGame::WeightedVoting(w)) => {
                    c.vector(&key, &want, "counting", Ok(w.shapley()))
                }
                ("shapley", AnyGame::Airport(a)) => {
                    c.vector(&key, &want, "Littlechild-Owen", Ok(a.shapley()))
                }
                // O'Neill (1982): random arrival is the Shapley value of the claims game.
                ("shapley", AnyGame::Claims(claims)) => {
                    c.vector(&key, &want, "random arrival", claims.random_arrival())
                }
                ("banzhaf", AnyGame::WeightedVoting(w)) => {
                    c.vector(&key, &want, "counting", Ok(w.banzhaf()));
                    // Exact: the raw index is swings / 2^(n-1).
                    let scale = 2f64.powi(w.n() as i32 - 1);
                    let swings = w.swings();
                    for (player, value) in c.pairs(&want) {
                        let i = w.players().iter().position(|p| *p == player).unwrap();
                        if swings[i] as f64 != value * scale {
                            c.failures.push(format!(
                                "{}: swings of {player}: {} for a Banzhaf index {value}",
                                c.case.name(),
                                swings[i]
                            ));
                        }
                    }
                }
                ("banzhaf_normalized", AnyGame::WeightedVoting(w)) => {
                    c.vector(&key, &want, "counting", Ok(w.banzhaf_normalized()))
                }
                // Aumann and Maschler (1985): the Talmud rule is the nucleolus.
                ("nucleolus", AnyGame::Claims(claims)) => {
                    c.vector(&key, &want, "the Talmud rule", Ok(claims.talmud()))
                }
                _ => continue,
            }
            compared += 1;
        }
        failures.append(&mut c.failures);
    }
    assert!(
        compared >= 10,
        "the structured cases lost their fast methods"
    );
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn published_nucleoli_lie_in_nonempty_cores_and_empty_cores_block_the_least_core() {
    for case in cases() {
        let g = case.game().clone().into_dense().unwrap();
        for (key, want) in case.expected() {
            match (key.as_str(), want) {
                // The nucleolus lies in the core when the core is nonempty.
                ("nucleolus", Expected::Vector(x)) if !g.core_is_empty().unwrap() => assert!(
                    g.in_core(x, g.tolerance()).unwrap(),
                    "{}: the published nucleolus is not in the (nonempty) core",
                    case.name()
                ),
                // An empty core: the least core's point is blocked by some coalition.
                ("core_is_empty", Expected::Bool(true)) => {
                    let lc = g.least_core().unwrap();
                    assert!(
                        !g.in_core(lc.allocation.values(), g.tolerance()).unwrap(),
                        "{}",
                        case.name()
                    );
                }
                _ => {}
            }
        }
    }
}

#[test]
fn every_case_round_trips_and_answers_through_the_trait() {
    for case in cases() {
        let dense = case.game().clone().into_dense().unwrap();
        // The file's form (dense or class) is what the reader gives and the writer writes.
        let text = write_json(case.game(), case.meta());
        let (back, meta) = read_json(&text).unwrap();
        assert_eq!(&back, case.game(), "{}", case.name());
        assert_eq!(&meta, case.meta(), "{}", case.name());
        assert_eq!(write_json(&back, &meta), text, "{}", case.name());
        // Worths coalition by coalition (each class's own formula) agree with the dense game.
        let mut game = case.game().clone();
        let masks: Vec<u64> = (0..1u64 << game.n()).collect();
        let worths = game.worths(&masks).unwrap();
        for (mask, (w, v)) in worths.iter().zip(dense.values()).enumerate() {
            assert!(
                (w - v).abs() <= 1e-12 * v.abs(),
                "{}: coalition {mask}: {w} vs {v}",
                case.name()
            );
        }
        assert_eq!(game.kind(), dense.kind());
        assert_eq!(game.players(), dense.players());
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
