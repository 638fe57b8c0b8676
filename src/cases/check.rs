//! Checking a case: each expected result computed on the dense game and compared by the one
//! rule ([`close`]), every failure collected.

use std::borrow::Cow;

use super::{close, Case, CaseFailure, Expected, Scalar};
use crate::error::{Error, Result};
use crate::format::AnyGame;
use crate::game::Game;
use crate::solution::Allocation;

/// The dense game of `game`, borrowed when it is dense already.
pub(super) fn dense(game: &AnyGame) -> Result<Cow<'_, Game>> {
    match game {
        AnyGame::Dense(g) => Ok(Cow::Borrowed(g)),
        other => other.clone().into_dense().map(Cow::Owned),
    }
}

/// How a key's result is computed, by what it is.
enum Quantity {
    Vector(fn(&Game) -> Result<Allocation>),
    Number(fn(&Game) -> Result<f64>),
    Truth(fn(&Game) -> Result<bool>),
}

impl Quantity {
    /// The quantity of a known key.
    fn of(key: &str) -> Option<Quantity> {
        Some(match key {
            "shapley" => Quantity::Vector(Game::try_shapley),
            "banzhaf" => Quantity::Vector(Game::try_banzhaf),
            "banzhaf_normalized" => Quantity::Vector(Game::banzhaf_normalized),
            "nucleolus" => Quantity::Vector(Game::nucleolus),
            "prenucleolus" => Quantity::Vector(Game::prenucleolus),
            "tau_value" => Quantity::Vector(Game::tau_value),
            "least_core_epsilon" => Quantity::Number(|g| g.least_core().map(|lc| lc.epsilon)),
            "cost_of_stability" => Quantity::Number(Game::cost_of_stability),
            "core_is_empty" => Quantity::Truth(Game::core_is_empty),
            _ => return None,
        })
    }

    /// What the key needs, for messages.
    fn needs(&self) -> &'static str {
        match self {
            Quantity::Vector(_) => "a list in player order or a {player: number} mapping",
            Quantity::Number(_) => "a number",
            Quantity::Truth(_) => "true or false",
        }
    }
}

/// The result of `key`, or `None` with its error recorded in `out`.
fn computed<T>(out: &mut Vec<CaseFailure>, key: &str, result: Result<T>) -> Option<T> {
    match result {
        Ok(x) => Some(x),
        Err(error) => {
            out.push(CaseFailure::Error {
                key: Some(key.to_string()),
                error,
            });
            None
        }
    }
}

/// Everything that does not match in `case`, on its dense `game`.
pub(super) fn failures(case: &Case, game: &Game) -> Vec<CaseFailure> {
    let spread = game.spread();
    let agrees = |got: f64, want: f64| close(got, want, case.tolerance, spread);
    let mut out = Vec::new();
    for (key, want) in &case.expected {
        let mismatch =
            |player: Option<&str>, got: Scalar, expected: Scalar| CaseFailure::Mismatch {
                key: key.clone(),
                player: player.map(str::to_string),
                got,
                expected,
            };
        match (Quantity::of(key), want) {
            (None, _) => out.push(CaseFailure::UnknownKey { key: key.clone() }),
            (Some(Quantity::Vector(_)), Expected::Vector(values)) if values.len() != game.n() => {
                out.push(CaseFailure::Length {
                    key: key.clone(),
                    expected: values.len(),
                    players: game.n(),
                })
            }
            (Some(Quantity::Vector(f)), Expected::Vector(values)) => {
                if let Some(got) = computed(&mut out, key, f(game)) {
                    for ((player, &x), &w) in game.players().iter().zip(got.values()).zip(values) {
                        if !agrees(x, w) {
                            out.push(mismatch(Some(player), Scalar::Number(x), Scalar::Number(w)));
                        }
                    }
                }
            }
            (Some(Quantity::Vector(f)), Expected::Mapping(entries)) => {
                if let Some(got) = computed(&mut out, key, f(game)) {
                    for (player, w) in entries {
                        match game.player_index(player) {
                            Ok(i) if agrees(got[i], *w) => {}
                            Ok(i) => out.push(mismatch(
                                Some(player),
                                Scalar::Number(got[i]),
                                Scalar::Number(*w),
                            )),
                            Err(error) => out.push(CaseFailure::Error {
                                key: Some(key.clone()),
                                error,
                            }),
                        }
                    }
                }
            }
            (Some(Quantity::Number(f)), &Expected::Number(w)) => {
                if let Some(x) = computed(&mut out, key, f(game)) {
                    if !agrees(x, w) {
                        out.push(mismatch(None, Scalar::Number(x), Scalar::Number(w)));
                    }
                }
            }
            (Some(Quantity::Truth(f)), &Expected::Bool(w)) => {
                if let Some(x) = computed(&mut out, key, f(game)) {
                    if x != w {
                        out.push(mismatch(None, Scalar::Bool(x), Scalar::Bool(w)));
                    }
                }
            }
            (Some(quantity), want) => out.push(CaseFailure::Shape {
                key: key.clone(),
                needs: quantity.needs(),
                given: want.shape(),
            }),
        }
        if matches!(
            out.last(),
            Some(CaseFailure::Error {
                error: Error::Interrupted,
                ..
            })
        ) {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::cases::*;
    use crate::error::Error;

    /// The report of a one-case document with the game `game` (JSON) and the members
    /// `expected` of its `expected` object.
    fn report(game: &str, expected: &str) -> CaseReport {
        let text = format!(
            r#"{{"format": "coalitional.cases", "version": 1, "cases": [
                {{"name": "case", "source": "test", "game": {game}, "expected": {{{expected}}}}}]}}"#
        );
        check(&read_cases(&text).unwrap()[0])
    }

    /// The glove game: Shapley (2/3, 1/6, 1/6), nucleolus (1, 0, 0), core nonempty.
    const GLOVE: &str = r#"{"players": ["L", "R1", "R2"], "values": [0, 0, 0, 1, 0, 1, 0, 1]}"#;

    #[test]
    fn a_case_that_holds_passes() {
        let r = report(
            GLOVE,
            r#""shapley": [0.6666666666666666, 0.16666666666666666, 0.16666666666666666],
               "nucleolus": {"L": 1}, "core_is_empty": false, "cost_of_stability": 0,
               "least_core_epsilon": 0"#,
        );
        assert!(r.passed, "{r}");
        assert_eq!(r.to_string(), "PASS  case");
    }

    #[test]
    fn a_wrong_value_is_a_mismatch_naming_the_key_and_player() {
        let r = report(
            GLOVE,
            r#""nucleolus": [1, 0, 0], "shapley": [0.5, 0.25, 0.25]"#,
        );
        assert!(!r.passed);
        let named: Vec<(&str, Option<&str>)> = r
            .failures
            .iter()
            .map(|f| match f {
                CaseFailure::Mismatch { key, player, .. } => (key.as_str(), player.as_deref()),
                other => panic!("not a mismatch: {other:?}"),
            })
            .collect();
        assert_eq!(
            named,
            [
                ("shapley", Some("L")),
                ("shapley", Some("R1")),
                ("shapley", Some("R2"))
            ]
        );
    }

    #[test]
    fn numbers_and_bools_mismatch_without_a_player() {
        let r = report(GLOVE, r#""core_is_empty": true, "cost_of_stability": 1"#);
        assert_eq!(
            r.failures,
            [
                CaseFailure::Mismatch {
                    key: "core_is_empty".into(),
                    player: None,
                    got: Scalar::Bool(false),
                    expected: Scalar::Bool(true),
                },
                CaseFailure::Mismatch {
                    key: "cost_of_stability".into(),
                    player: None,
                    got: Scalar::Number(0.0),
                    expected: Scalar::Number(1.0),
                },
            ]
        );
        assert_eq!(
            r.failures[0].to_string(),
            "core_is_empty: got false, expected true"
        );
    }

    #[test]
    fn an_unknown_key_a_wrong_length_and_a_wrong_shape_are_failures() {
        let r = report(
            GLOVE,
            r#""shapely": [1, 0, 0], "shapley": [1, 0], "core_is_empty": 0, "nucleolus": true"#,
        );
        assert!(matches!(&r.failures[0], CaseFailure::UnknownKey { key } if key == "shapely"));
        assert!(matches!(
            &r.failures[1],
            CaseFailure::Length { key, expected: 2, players: 3 } if key == "shapley"
        ));
        assert!(matches!(
            &r.failures[2],
            CaseFailure::Shape { key, given: "a number", .. } if key == "core_is_empty"
        ));
        assert!(matches!(
            &r.failures[3],
            CaseFailure::Shape { key, given: "a bool", .. } if key == "nucleolus"
        ));
        assert_eq!(r.failures.len(), 4);
        assert_eq!(
            r.failures[1].to_string(),
            "shapley: expected 2 entries for 3 players"
        );
    }

    #[test]
    fn a_solver_or_game_error_is_a_failure_with_its_key() {
        // v(N) = 1 < v({A}) + v({B}) = 2: no imputation, so no nucleolus.
        let r = report(
            r#"{"players": ["A", "B"], "values": [0, 1, 1, 1]}"#,
            r#""nucleolus": [0.5, 0.5], "shapley": {"A": 0.5, "C": 0.5}"#,
        );
        assert!(matches!(
            &r.failures[0],
            CaseFailure::Error { key: Some(key), error: Error::Undefined { .. } } if key == "nucleolus"
        ));
        assert!(matches!(
            &r.failures[1],
            CaseFailure::Error { key: Some(key), error: Error::UnknownPlayer { name, .. } }
                if key == "shapley" && name == "C"
        ));
        assert_eq!(r.failures.len(), 2);
    }

    #[test]
    fn a_game_too_large_for_the_dense_form_is_one_failure() {
        let weights = vec!["1"; 40].join(", ");
        let game = format!(
            r#"{{"format": "coalitional.game", "version": 1, "class": "weighted_voting", "quota": 21, "weights": [{weights}]}}"#
        );
        let r = report(&game, r#""shapley": {"0": 0.025}"#);
        assert!(matches!(
            &r.failures[..],
            [CaseFailure::Error {
                key: None,
                error: Error::LimitExceeded { .. }
            }]
        ));
    }

    #[test]
    fn the_tolerance_is_relative_to_the_spread() {
        // Budgets of 10^8 and a surplus of 3 shared equally: the spread is 3.
        let game = r#"{"players": ["A", "B"], "values": [0, 100000000, 200000000, 300000003]}"#;
        assert!(report(game, r#""shapley": [100000001.5, 200000001.5]"#).passed);
        // Off by 1e-6: beyond 1e-9 * 3 (plus 4 ulps of 2e8, about 1.8e-7).
        let r = report(game, r#""shapley": {"B": 200000001.500001}"#);
        assert!(matches!(&r.failures[..], [CaseFailure::Mismatch { .. }]));
        assert!(close(1.0, 1.0, 0.0, 0.0));
        assert!(!close(f64::NAN, f64::NAN, 1.0, 1.0));
    }

    #[test]
    fn a_report_serializes_as_the_command_line_prints_it() {
        let r = report(GLOVE, r#""cost_of_stability": 1"#);
        assert_eq!(
            serde_json::to_value(&r).unwrap(),
            serde_json::json!({
                "name": "case", "source": "test", "passed": false,
                "failures": ["cost_of_stability: got 0.0, expected 1.0"],
            })
        );
    }

    #[test]
    fn check_all_stops_when_cancelled() {
        let cases = read_cases(&format!(
            r#"{{"format": "coalitional.cases", "version": 1, "cases": [
                {{"name": "a", "game": {GLOVE}, "expected": {{"nucleolus": [1, 0, 0]}}}}]}}"#
        ))
        .unwrap();
        assert_eq!(check_all(&cases).unwrap().len(), 1);
        let token = crate::cancel::Token::new();
        token.cancel();
        assert_eq!(token.run(|| check_all(&cases)), Err(Error::Interrupted));
    }
}
