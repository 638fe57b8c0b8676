//! The `approx` feature: `AbsDiffEq`, `RelativeEq` and `UlpsEq` for `Allocation` and
//! `LeastCore`. Run with `cargo test --features approx --test approx`.
#![cfg(feature = "approx")]

use approx::{
    abs_diff_eq, assert_abs_diff_eq, assert_relative_eq, assert_relative_ne, assert_ulps_eq,
    relative_eq,
};
use coalitional::{Allocation, Game, Kind, LeastCore};

fn names(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn alloc(values: Vec<f64>, kind: Kind) -> Allocation {
    Allocation::new(names(&["A", "B", "C"]), values, kind).unwrap()
}

#[test]
fn allocations_compare_elementwise() {
    let g = Game::new(
        names(&["A", "B", "C"]),
        vec![0.0, 0.0, 0.0, 90.0, 0.0, 80.0, 70.0, 150.0],
    )
    .unwrap();
    assert_relative_eq!(
        g.shapley(),
        alloc(vec![55.0, 50.0, 45.0], Kind::Value),
        max_relative = 1e-12
    );
    let x = alloc(vec![1.0, 2.0, 3.0], Kind::Value);
    let y = alloc(vec![1.0, 2.0, 3.0 + 1e-10], Kind::Value);
    assert_abs_diff_eq!(x, y, epsilon = 1e-9);
    assert!(!abs_diff_eq!(x, y, epsilon = 1e-11));
    assert_relative_ne!(x, y);
    assert_ulps_eq!(x, alloc(vec![1.0, 2.0, 3.0], Kind::Value));
}

#[test]
fn players_and_kind_must_match() {
    let x = alloc(vec![1.0, 2.0, 3.0], Kind::Value);
    assert!(!relative_eq!(x, alloc(vec![1.0, 2.0, 3.0], Kind::Cost)));
    let other = Allocation::new(names(&["A", "B", "D"]), vec![1.0, 2.0, 3.0], Kind::Value).unwrap();
    assert!(!relative_eq!(x, other));
    let shorter = Allocation::new(names(&["A", "B"]), vec![1.0, 2.0], Kind::Value).unwrap();
    assert!(!abs_diff_eq!(x, shorter, epsilon = 1.0));
}

#[test]
fn least_core_compares_epsilon_and_allocation() {
    let g = Game::new(
        names(&["A", "B", "C"]),
        vec![0.0, 0.0, 0.0, 90.0, 0.0, 80.0, 70.0, 150.0],
    )
    .unwrap();
    let lc = g.least_core().unwrap();
    let nudged = LeastCore {
        epsilon: lc.epsilon + 1e-12,
        allocation: lc.allocation.clone(),
    };
    assert_relative_eq!(lc, nudged, epsilon = 1e-9);
    let far = LeastCore {
        epsilon: lc.epsilon + 1.0,
        allocation: lc.allocation.clone(),
    };
    assert!(!relative_eq!(lc, far));
}
