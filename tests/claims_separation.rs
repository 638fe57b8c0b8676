//! The claims game through the separation engine (issue 18): its nucleolus is the Talmud rule
//! (Aumann and Maschler 1985) and its least core agrees with the dense least core.

use coalitional::solution::separation;
use coalitional::Claims;

mod common;
use common::Rng;

fn random_claims(rng: &mut Rng, n: usize, base: f64) -> Claims {
    let claims: Vec<f64> = (0..n)
        .map(|_| base + (1.0 + 99.0 * rng.next()).round())
        .collect();
    let total: f64 = claims.iter().sum();
    let estate = (total * (0.05 + 0.9 * rng.next())).round();
    Claims::new(estate, claims, None).unwrap()
}

#[test]
fn engine_nucleolus_is_the_talmud_rule() {
    let mut rng = Rng(101);
    for case in 0..100 {
        let n = 2 + case % 40;
        let base = if case % 4 == 0 { 1e8 } else { 0.0 };
        let c = random_claims(&mut rng, n, base);
        let engine = separation::nucleolus(c.players().to_vec(), &c).unwrap();
        let talmud = c.nucleolus();
        // The oracle is asked at x in the claims' units: excesses resolve to n ulps of them.
        let tol = 1e-9 * c.estate() + 8.0 * n as f64 * f64::EPSILON * (base + 100.0) * n as f64;
        for (a, b) in engine.values().iter().zip(talmud.values()) {
            assert!(
                (a - b).abs() <= tol,
                "case {case}: estate {}, claims {:?}: {:?} vs {:?}",
                c.estate(),
                c.claims(),
                engine.values(),
                talmud.values()
            );
        }
    }
}

#[test]
fn least_core_agrees_with_the_dense_least_core() {
    let mut rng = Rng(7);
    for case in 0..40 {
        let n = 2 + case % 9;
        let c = random_claims(&mut rng, n, 0.0);
        let lc = c.least_core().unwrap();
        let dense = c.to_game().unwrap().least_core().unwrap();
        assert!(
            (lc.epsilon - dense.epsilon).abs() <= 1e-9 * c.estate(),
            "case {case}: {} vs {}",
            lc.epsilon,
            dense.epsilon
        );
        // The bankruptcy game is convex: epsilon <= 0, and the allocation is in the core.
        assert!(lc.epsilon <= 1e-9 * c.estate());
        let g = c.to_game().unwrap();
        assert!(g
            .in_core(lc.allocation.values(), 1e-9 * c.estate())
            .unwrap());
    }
}

#[test]
fn a_hundred_claimants() {
    let claims: Vec<f64> = (1..=100).map(|i| f64::from(i * 37 % 101 + 1)).collect();
    let total: f64 = claims.iter().sum();
    let c = Claims::new((0.3 * total).round(), claims, None).unwrap();
    let engine = separation::nucleolus(c.players().to_vec(), &c).unwrap();
    for (a, b) in engine.values().iter().zip(c.nucleolus().values()) {
        assert!((a - b).abs() <= 1e-9 * c.estate());
    }
}

#[test]
fn bad_queries_to_the_claims_oracle_are_typed_errors() {
    use coalitional::solution::separation::Separation;
    use coalitional::Error;
    // Budgets of 1e9 with claims a few units apart.
    let c = Claims::new(2e9, vec![1e9, 1e9 + 2.0, 1e9 + 5.0], None).unwrap();
    let none = [false; 3];
    assert!(matches!(
        c.most_violated(&[1.0, 2.0], &none, &none),
        Err(Error::AllocationLength { got: 2, n: 3 })
    ));
    assert!(matches!(
        c.most_violated(&[1.0; 3], &[false; 2], &none),
        Err(Error::InvalidParameter {
            name: "include",
            ..
        })
    ));
    assert!(matches!(
        c.most_violated(&[f64::NAN, 0.0, 0.0], &none, &none),
        Err(Error::InvalidParameter { name: "x", .. })
    ));
    assert!(matches!(
        c.worth(&[0, 7]),
        Err(Error::PlayerIndexOutOfRange { index: 7, n: 3 })
    ));
    assert!(matches!(
        c.worth(&[2, 1]),
        Err(Error::InvalidParameter {
            name: "members",
            ..
        })
    ));
    // A player both included and excluded: no coalition qualifies.
    let both = [true, false, false];
    assert!(c.most_violated(&[1e9; 3], &both, &both).unwrap().is_none());
    // v({0, 1}) = E - c(N \ {0, 1}) = 2e9 - (1e9 + 5) = 1e9 - 5, from the claims as given.
    assert_eq!(c.worth(&[0, 1]).unwrap(), 1e9 - 5.0);
}
