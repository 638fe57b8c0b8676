//! serde for the public value and result types: a JSON round trip per type, and for every
//! type with invariants, bad JSON that must be an error (never a panic or an invalid value).

use coalitional::solution::sampling::Bound;
use coalitional::{
    settle, Airport, Allocation, Assignment, Blocking, Claims, Coalition, Estimate, Game, Kind,
    LeastCore, Method, Options, Payment, Rule, Settlement, Side, WeightedVoting,
};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Writes `x` as JSON, reads it back and checks that nothing changed.
fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(x: &T) -> String {
    let text = serde_json::to_string(x).unwrap();
    let back: T = serde_json::from_str(&text).unwrap();
    assert_eq!(&back, x, "{text}");
    text
}

/// Reading `text` as `T` fails, and the message mentions `needle`.
fn rejects<T: DeserializeOwned + std::fmt::Debug>(text: &str, needle: &str) {
    let err = serde_json::from_str::<T>(text).unwrap_err().to_string();
    assert!(err.contains(needle), "{text}: {err}");
}

fn names(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn three_cities() -> Game {
    Game::new(
        names(&["Songjiang", "Suzhou", "Hangzhou"]),
        vec![0.0, 0.0, 0.0, 90.0, 0.0, 80.0, 70.0, 150.0],
    )
    .unwrap()
}

#[test]
fn kind_coalition_rule_method_side_bound() {
    assert_eq!(round_trip(&Kind::Cost), r#""cost""#);
    assert_eq!(round_trip(&Coalition::from_members(&[0, 2])), "5");
    assert_eq!(round_trip(&Rule::LeastCore), r#""least_core""#);
    for r in [
        Rule::Shapley,
        Rule::Nucleolus,
        Rule::Prenucleolus,
        Rule::Tau,
        Rule::Banzhaf,
        Rule::Proportional,
        Rule::EqualSurplus,
    ] {
        round_trip(&r);
    }
    assert_eq!(round_trip(&Method::Stratified), r#""stratified""#);
    round_trip(&Method::Permutation);
    round_trip(&Method::Banzhaf);
    assert_eq!(round_trip(&Side::Rows), r#""rows""#);
    round_trip(&Side::Cols);
    assert_eq!(
        round_trip(&Bound::EmpiricalBernstein),
        r#""empirical_bernstein""#
    );
    assert_eq!(
        round_trip(&Bound::Hoeffding { range: 2.5 }),
        r#"{"hoeffding":{"range":2.5}}"#
    );
    rejects::<Kind>(r#""benefit""#, "unknown variant");
    rejects::<Rule>(r#""median""#, "unknown variant");
    rejects::<Coalition>("-1", "invalid value");
}

#[test]
fn allocation() {
    let phi = three_cities().shapley();
    let text = round_trip(&phi);
    assert!(text.contains(r#""kind":"value""#), "{text}");
    let a: Allocation =
        serde_json::from_str(r#"{"players": ["A", "B"], "values": [1, 2.5], "kind": "cost"}"#)
            .unwrap();
    assert_eq!(a.kind(), Kind::Cost);
    assert_eq!(a["B"], 2.5);
    // kind defaults to value
    let a: Allocation = serde_json::from_str(r#"{"players": ["A"], "values": [1]}"#).unwrap();
    assert_eq!(a.kind(), Kind::Value);
}

#[test]
fn bad_allocations_are_errors() {
    rejects::<Allocation>(
        r#"{"players": ["A", "B", "C"], "values": [1]}"#,
        "1 values were given for 3 players",
    );
    rejects::<Allocation>(r#"{"players": ["A", "A"], "values": [1, 2]}"#, "used twice");
    rejects::<Allocation>(r#"{"players": ["A", ""], "values": [1, 2]}"#, "empty");
    rejects::<Allocation>(r#"{"players": [], "values": []}"#, "player");
    rejects::<Allocation>(r#"{"players": ["A"], "values": [null]}"#, "invalid type");
    rejects::<Allocation>(r#"{"players": ["A"], "values": [1e999]}"#, "");
    rejects::<Allocation>(
        r#"{"players": ["A"], "values": [1], "kind": "value", "extra": 1}"#,
        "unknown field",
    );
}

#[test]
fn game() {
    let g = three_cities();
    let text = round_trip(&g);
    // The same format as Game::to_json and format::read_game.
    assert_eq!(Game::from_json(&text).unwrap(), g);
    let back: Game = serde_json::from_str(&g.to_json()).unwrap();
    assert_eq!(back, g);
    let cost = Game::with_kind(names(&["A", "B"]), vec![0.0, 2.0, 3.0, 4.0], Kind::Cost).unwrap();
    round_trip(&cost);
}

#[test]
fn bad_games_are_errors() {
    rejects::<Game>(r#"{"values": [0, 1, 2]}"#, "3");
    rejects::<Game>(r#"{"players": ["A", "B"], "values": [0, 1]}"#, "");
    rejects::<Game>(r#"{"players": ["A"], "values": [1, 1]}"#, "");
    rejects::<Game>(
        r#"{"players": ["A", "A"], "values": [0, 1, 1, 2]}"#,
        "used twice",
    );
    rejects::<Game>(r#"{"values": [0, 1], "player": ["A"]}"#, "unknown field");
    rejects::<Game>(r#"{"values": [0, 1], "version": 9}"#, "version 9");
    rejects::<Game>(r#"{"values": [0, 1], "format": "other"}"#, "format");
}

#[test]
fn least_core() {
    let lc = three_cities().least_core().unwrap();
    round_trip(&lc);
    rejects::<LeastCore>(
        r#"{"epsilon": 0, "allocation": {"players": ["A", "B", "C"], "values": [1]}}"#,
        "1 values were given for 3 players",
    );
    rejects::<LeastCore>(
        r#"{"epsilon": 1e999, "allocation": {"players": ["A"], "values": [1]}}"#,
        "",
    );
}

#[test]
fn settlement_payment_blocking() {
    let g = three_cities();
    let target = g.shapley();
    let today = Allocation::new(g.players().to_vec(), vec![70.0, 50.0, 30.0], Kind::Value).unwrap();
    let s = settle(&g, &target, Some(&today), 3).unwrap();
    assert!(!s.payments.is_empty() && !s.blocking.is_empty());
    round_trip(&s);
    round_trip(&s.payments[0]);
    round_trip(&s.blocking[0]);
    round_trip(&Payment {
        payer: "A".into(),
        payee: "B".into(),
        amount: 1.5,
    });
    round_trip(&Blocking {
        members: names(&["A", "B"]),
        worth: 3.0,
        allocated: 2.0,
        excess: 1.0,
    });

    // status_quo with other players than target: an error, not a Settlement whose Display
    // would index out of bounds.
    let mut v: serde_json::Value = serde_json::to_value(&s).unwrap();
    v["status_quo"] = serde_json::json!({"players": ["X"], "values": [1.0], "kind": "value"});
    let err = serde_json::from_value::<Settlement>(v)
        .unwrap_err()
        .to_string();
    assert!(err.contains("same players"), "{err}");
    let mut v: serde_json::Value = serde_json::to_value(&s).unwrap();
    v["net"]["values"] = serde_json::json!([1.0]);
    let err = serde_json::from_value::<Settlement>(v)
        .unwrap_err()
        .to_string();
    assert!(err.contains("values were given"), "{err}");
}

#[test]
fn sampling_types() {
    let est = Estimate {
        values: vec![1.0, 2.0],
        std_errors: vec![0.5, f64::INFINITY],
        half_widths: vec![f64::INFINITY, 0.25],
        samples: 10,
        evaluations: 40,
        converged: false,
    };
    let text = round_trip(&est);
    assert!(text.contains("null"), "{text}");
    round_trip(&Options::default());
    round_trip(&Options {
        bound: Bound::Hoeffding { range: 3.0 },
        seed: 7,
        ..Options::default()
    });
    // Missing fields take their defaults.
    let o: Options = serde_json::from_str(r#"{"seed": 3}"#).unwrap();
    assert_eq!(
        o,
        Options {
            seed: 3,
            ..Options::default()
        }
    );
    rejects::<Options>(r#"{"sed": 3}"#, "unknown field");
}

#[test]
fn classes() {
    let a = Airport::new(vec![1.0, 3.0, 6.0], None).unwrap();
    round_trip(&a);
    let c = Claims::new(
        200.0,
        vec![100.0, 200.0, 300.0],
        Some(names(&["x", "y", "z"])),
    )
    .unwrap();
    round_trip(&c);
    let w = WeightedVoting::new(3, vec![2, 1, 1], None).unwrap();
    round_trip(&w);
    let m = Assignment::new(
        vec![vec![3.0, 5.0], vec![4.0, -1.0]],
        names(&["d1", "d2"]),
        names(&["r1", "r2"]),
    )
    .unwrap();
    round_trip(&m);
    // players may be left out
    let w2: WeightedVoting = serde_json::from_str(r#"{"quota": 3, "weights": [2, 1, 1]}"#).unwrap();
    assert_eq!(w2, w);
}

#[test]
fn bad_classes_are_errors() {
    rejects::<Airport>(r#"{"costs": []}"#, "");
    rejects::<Airport>(r#"{"costs": [1, -2]}"#, "");
    rejects::<Airport>(r#"{"costs": [1, 2], "players": ["A"]}"#, "");
    rejects::<Claims>(r#"{"estate": -1, "claims": [1, 2]}"#, "estate");
    rejects::<Claims>(
        r#"{"estate": 1, "claims": [1, 2], "players": ["A", "A"]}"#,
        "",
    );
    rejects::<WeightedVoting>(r#"{"quota": 0, "weights": [1, 1]}"#, "quota");
    rejects::<WeightedVoting>(r#"{"quota": 5, "weights": [1, 1]}"#, "quota");
    rejects::<Assignment>(
        r#"{"rows": ["a"], "cols": ["b"], "weights": [[1, 2]]}"#,
        "entries",
    );
    rejects::<Assignment>(
        r#"{"rows": ["a"], "cols": ["a"], "weights": [[1]]}"#,
        "twice",
    );
}
