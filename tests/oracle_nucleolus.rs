//! The nucleolus, prenucleolus and least core of weighted voting and convex games through the
//! separation engine and their oracles, against the dense solver on the same games (n <= 12),
//! against closed forms (Peleg 1968 for constant-sum homogeneous weighted majority games; the
//! Talmud rule of Aumann and Maschler 1985 for bankruptcy games, at 30 claimants), and under
//! scale and shift.

mod common;

use common::{names, SplitMix as Gen};

use coalitional::{Allocation, Claims, ConvexGame, Error, Game, LeastCore, WeightedVoting};

fn assert_close(got: &Allocation, want: &Allocation, tol: f64, what: &str) {
    for (i, (a, b)) in got.values().iter().zip(want.values()).enumerate() {
        assert!(
            (a - b).abs() <= tol,
            "{what}: player {i}: {a} vs {b} (tol {tol})\n got {:?}\nwant {:?}",
            got.values(),
            want.values()
        );
    }
}

/// Same value, or the same kind of error.
fn agree(
    got: coalitional::Result<Allocation>,
    want: coalitional::Result<Allocation>,
    tol: f64,
    what: &str,
) {
    match (got, want) {
        (Ok(a), Ok(b)) => assert_close(&a, &b, tol, what),
        (Err(a), Err(b)) => assert_eq!(a.code(), b.code(), "{what}: {a} vs {b}"),
        (a, b) => panic!("{what}: engine {a:?}, dense {b:?}"),
    }
}

/// The engine's least core against the dense one: the same epsilon, and an allocation that
/// is efficient and gives every proper coalition at least v(S) - epsilon (checked over all
/// coalitions of the dense game).
fn agree_least_core(got: coalitional::Result<LeastCore>, g: &Game, tol: f64, what: &str) {
    let want = g.least_core();
    match (got, want) {
        (Ok(a), Ok(b)) => {
            assert!(
                (a.epsilon - b.epsilon).abs() <= tol,
                "{what}: epsilon {} vs {}",
                a.epsilon,
                b.epsilon
            );
            let x = a.allocation.values();
            let n = g.n();
            let full = (1u64 << n) - 1;
            let total: f64 = x.iter().sum();
            assert!(
                (total - g.values()[full as usize]).abs() <= tol,
                "{what}: efficiency"
            );
            for s in 1..full {
                let xs: f64 = (0..n).filter(|&i| s >> i & 1 == 1).map(|i| x[i]).sum();
                assert!(
                    xs >= g.values()[s as usize] - a.epsilon - tol,
                    "{what}: coalition {s:#b} short"
                );
            }
        }
        (Err(a), Err(b)) => assert_eq!(a.code(), b.code(), "{what}: {a} vs {b}"),
        (a, b) => panic!("{what}: engine {a:?}, dense {b:?}"),
    }
}

#[test]
fn weighted_voting_agrees_with_the_dense_solver() {
    let mut r = Gen(1812);
    for trial in 0..60 {
        let n = 2 + r.below(11) as usize;
        let weights: Vec<u64> = (0..n)
            .map(|_| if r.below(8) == 0 { 0 } else { 1 + r.below(20) })
            .collect();
        let total: u64 = weights.iter().sum();
        if total == 0 {
            continue;
        }
        // Quotas around a majority, where the games are interesting (and some near-unanimity
        // or low quotas, with veto players or several winning singletons).
        let quota = match trial % 4 {
            0 => 1 + r.below(total),
            _ => (total / 2 + 1 + r.below(total / 4 + 1)).min(total),
        };
        let wv = WeightedVoting::new(quota, weights, None).unwrap();
        let g = wv.to_game().unwrap();
        let tol = 1e-9 * g.spread().max(1.0);
        let what = format!("trial {trial}: {wv:?}");
        agree(
            wv.nucleolus(),
            g.nucleolus(),
            tol,
            &format!("{what} nucleolus"),
        );
        agree(
            wv.prenucleolus(),
            g.prenucleolus(),
            tol,
            &format!("{what} prenucleolus"),
        );
        agree_least_core(wv.least_core(), &g, tol, &format!("{what} least core"));
    }
}

#[test]
fn constant_sum_homogeneous_voting_nucleolus_is_the_normalised_weights() {
    // B. Peleg, "On weights of constant-sum majority games", SIAM J. Appl. Math. 16 (1968):
    // the nucleolus of a constant-sum homogeneous weighted majority game is its homogeneous
    // representation, normalised. [4; 3, 1, 1, 1, 1] (total 7: S wins iff N \ S loses; every
    // minimal winning coalition weighs exactly 4) and [5; 3, 2, 2, 1, 1] (total 9; minimal
    // winning: {3,2}, {3,1,1}, {2,2,1}, all of weight 5).
    for (quota, weights) in [(4u64, vec![3u64, 1, 1, 1, 1]), (5, vec![3, 2, 2, 1, 1])] {
        let total = weights.iter().sum::<u64>() as f64;
        let wv = WeightedVoting::new(quota, weights.clone(), None).unwrap();
        let nu = wv.nucleolus().unwrap();
        for (x, &w) in nu.values().iter().zip(&weights) {
            assert!((x - w as f64 / total).abs() < 1e-9, "{:?}", nu.values());
        }
    }
}

#[test]
fn fifty_voters_are_solved_without_the_dense_game() {
    // The size: 50 voters, integer weights up to 100. No dense reference at this size;
    // the answer must be an imputation, and the nucleolus's largest excess must equal the
    // least core's epsilon (its first stage).
    let mut r = Gen(50);
    let weights: Vec<u64> = (0..50).map(|_| 1 + r.below(100)).collect();
    let quota = weights.iter().sum::<u64>() * 2 / 3;
    let wv = WeightedVoting::new(quota, weights, None).unwrap();
    let nu = wv.nucleolus().unwrap();
    assert!((nu.values().iter().sum::<f64>() - 1.0).abs() < 1e-9);
    assert!(nu.values().iter().all(|&x| x >= -1e-12));
    let lc = wv.least_core().unwrap();
    let pre = wv.prenucleolus().unwrap();
    assert!((pre.values().iter().sum::<f64>() - 1.0).abs() < 1e-9);
    assert!(lc.epsilon.is_finite());
}

/// A random convex game (as in tests/structured_oracles.rs): h(a(S)) for convex h, airport
/// savings, bankruptcy; then `c v(S) + b(S)`.
fn random_convex(r: &mut Gen, n: usize, c: f64, shift: Vec<f64>) -> ConvexGame {
    let kind = r.below(4);
    let a: Vec<f64> = (0..n).map(|_| 0.5 + r.unit() * 3.0).collect();
    let t = a.iter().sum::<f64>() * (0.2 + 0.6 * r.unit());
    ConvexGame::new(names(n), move |m: &[usize]| {
        let s: f64 = m.iter().map(|&i| a[i]).sum();
        let total: f64 = a.iter().sum();
        let base = match kind {
            0 => s * s,
            1 => (s - t).max(0.0) + 0.1 * s.powi(3),
            2 => s - m.iter().map(|&i| a[i]).fold(0.0, f64::max),
            _ => (t - (total - s)).max(0.0),
        };
        Ok(c * base + m.iter().map(|&i| shift[i]).sum::<f64>())
    })
    .unwrap()
}

#[test]
fn convex_games_agree_with_the_dense_solver() {
    let mut r = Gen(40);
    for trial in 0..40 {
        let n = 2 + r.below(9) as usize;
        // Scale and shift: budgets up to 1e6..1e9 with surpluses of a few units.
        let (c, budget) = [(1.0, 0.0), (1e-3, 0.0), (3.0, 1e6), (1.0, 1e9)][trial % 4];
        let shift: Vec<f64> = (0..n).map(|_| r.unit() * budget).collect();
        let cg = random_convex(&mut r, n, c, shift);
        let g = cg.to_game().unwrap();
        assert!(g.is_convex());
        let tol = 1e-9 * g.spread() + 1e-15 * budget * n as f64;
        let what = format!("trial {trial} (n = {n}, c = {c}, budget {budget})");
        agree(
            cg.nucleolus(),
            g.nucleolus(),
            tol,
            &format!("{what} nucleolus"),
        );
        agree(
            cg.prenucleolus(),
            g.prenucleolus(),
            tol,
            &format!("{what} prenucleolus"),
        );
        agree_least_core(cg.least_core(), &g, tol, &format!("{what} least core"));
    }
}

#[test]
fn a_bankruptcy_game_by_function_has_the_talmud_nucleolus() {
    // R. J. Aumann and M. Maschler, "Game theoretic analysis of a bankruptcy problem from the
    // Talmud", JET 36 (1985): the nucleolus of the bankruptcy game is the Talmud rule. The
    // Talmud's own example (estate 200, claims 100, 200, 300: 50, 75, 75), then 30 claimants,
    // beyond the dense solver's reach in a test.
    let mut r = Gen(1985);
    let mut cases = vec![(200.0, vec![100.0, 200.0, 300.0])];
    let claims: Vec<f64> = (0..30).map(|_| 1.0 + (r.below(400) as f64)).collect();
    let estate = claims.iter().sum::<f64>() * 0.4;
    cases.push((estate, claims));
    for (estate, claims) in cases {
        let n = claims.len();
        let problem = Claims::new(estate, claims.clone(), None).unwrap();
        let total: f64 = claims.iter().sum();
        let cg = ConvexGame::new(names(n), move |m: &[usize]| {
            let inside: f64 = m.iter().map(|&i| claims[i]).sum();
            Ok((estate - (total - inside)).max(0.0))
        })
        .unwrap();
        let nu = cg.nucleolus().unwrap();
        let want = problem.talmud();
        assert_close(&nu, &want, 1e-9 * estate, &format!("Talmud, n = {n}"));
    }
}

#[test]
fn the_engine_passes_on_a_non_convex_function() {
    // |S|^2 with a bump on {p0, p1}: the oracle names the violation instead of a wrong answer.
    let g = ConvexGame::new(names(6), |m: &[usize]| {
        Ok((m.len() as f64).powi(2) + if m == [0, 1] { 100.0 } else { 0.0 })
    })
    .unwrap();
    match g.nucleolus() {
        Err(Error::NotConvex {
            gain_smaller,
            gain_larger,
            ..
        }) => assert!(gain_smaller > gain_larger),
        // The dense answer, should the oracle never be led past {p0, p1}.
        Ok(nu) => assert_close(
            &nu,
            &g.to_game().unwrap().nucleolus().unwrap(),
            1e-9 * 100.0,
            "bumped",
        ),
        Err(e) => panic!("unexpected {e}"),
    }
}
