//! Nucleoli of the structured classes without their `2^n` values (issue 18, first piece):
//! the claims game's nucleolus is the Talmud rule (Aumann and Maschler 1985), checked here
//! against the dense nucleolus of the same game on random problems, including budgets of 1e8.

mod common;

use coalitional::{Claims, Game};
use common::Rng;

#[test]
fn claims_nucleolus_is_the_dense_nucleolus() {
    let mut rng = Rng(17);
    for case in 0..120 {
        let n = 2 + case % 6;
        let base = if case % 3 == 0 { 1e8 } else { 0.0 };
        let claims: Vec<f64> = (0..n)
            .map(|_| base + (1.0 + 99.0 * rng.next()).round())
            .collect();
        let total: f64 = claims.iter().sum();
        // Estates across the whole range, both sides of half the claims.
        let estate = (total * (0.05 + 0.9 * rng.next())).round();
        let c = Claims::new(estate, claims.clone(), None).unwrap();
        let fast = c.nucleolus();
        let dense: Game = c.to_game().unwrap();
        let slow = dense.nucleolus().unwrap();
        // Relative to the estate, the quantity the shares are parts of.
        for (a, b) in fast.values().iter().zip(slow.values()) {
            assert!(
                (a - b).abs() <= 1e-9 * estate.max(1.0),
                "case {case}: claims {claims:?}, estate {estate}: {:?} vs {:?}",
                fast.values(),
                slow.values()
            );
        }
    }
}

#[test]
fn a_thousand_claimants() {
    let claims: Vec<f64> = (1..=1000).map(f64::from).collect();
    let c = Claims::new(100_000.0, claims, None).unwrap();
    let x = c.nucleolus();
    assert!((x.total() - 100_000.0).abs() < 1e-6);
    // The Talmud rule gives each claimant at most half its claim while E <= C / 2.
    assert!(x
        .values()
        .iter()
        .zip(1..=1000)
        .all(|(v, c)| *v <= f64::from(c) / 2.0 + 1e-9));
}
