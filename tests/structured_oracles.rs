//! The separation oracles of the weighted voting and convex game classes against brute force
//! over all coalitions: for random payoff vectors (negative entries included) and random
//! players forced in and out, the oracle's excess must equal the largest excess among the
//! qualifying coalitions, and its coalition must qualify and have that excess.

mod common;

use common::{names, SplitMix as Gen};

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use coalitional::solution::separation::{Separation, Violation};
use coalitional::{ConvexGame, Error, WeightedVoting};

fn members(mask: u64) -> Vec<usize> {
    (0..64).filter(|&i| mask >> i & 1 == 1).collect()
}

/// The largest excess over the qualifying coalitions, by enumeration; `None` when none
/// qualifies.
fn brute(
    n: usize,
    v: &dyn Fn(u64) -> f64,
    x: &[f64],
    include: &[bool],
    exclude: &[bool],
) -> Option<f64> {
    let inc: u64 = (0..n).filter(|&i| include[i]).map(|i| 1 << i).sum();
    let exc: u64 = (0..n).filter(|&i| exclude[i]).map(|i| 1 << i).sum();
    (0..1u64 << n)
        .filter(|s| s & inc == inc && s & exc == 0)
        .map(|s| v(s) - members(s).iter().map(|&i| x[i]).sum::<f64>())
        .reduce(f64::max)
}

/// Checks that the answer qualifies and that its excess is its own.
fn check_answer(
    v: &dyn Fn(u64) -> f64,
    x: &[f64],
    include: &[bool],
    exclude: &[bool],
    ans: &Violation,
) -> f64 {
    let s: u64 = ans.members.iter().map(|&i| 1u64 << i).sum();
    assert!(ans.members.windows(2).all(|w| w[0] < w[1]));
    for i in 0..x.len() {
        if include[i] {
            assert!(s >> i & 1 == 1, "forced-in player {i} missing");
        }
        if exclude[i] {
            assert!(s >> i & 1 == 0, "excluded player {i} present");
        }
    }
    let own = v(s) - ans.members.iter().map(|&i| x[i]).sum::<f64>();
    assert!((own - ans.excess).abs() <= 1e-12 * (1.0 + own.abs()));
    own
}

// ---------------------------------------------------------------- weighted voting

fn voting_worth(g: &WeightedVoting) -> impl Fn(u64) -> f64 + '_ {
    move |s| {
        let w: u64 = members(s).iter().map(|&i| g.weights()[i]).sum();
        f64::from(u8::from(w >= g.quota()))
    }
}

#[test]
fn voting_oracle_matches_brute_force_exactly() {
    let mut r = Gen(18);
    for trial in 0..400 {
        let n = 1 + r.below(14) as usize;
        let weights: Vec<u64> = (0..n)
            .map(|_| if r.below(6) == 0 { 0 } else { r.below(21) })
            .collect();
        let total: u64 = weights.iter().sum();
        if total == 0 {
            continue;
        }
        let quota = 1 + r.below(total);
        let g = WeightedVoting::new(quota, weights, None).unwrap();
        // Multiples of 1/64 in [-1, 1]: every sum is exact, so the excesses must be equal.
        let x: Vec<f64> = (0..n)
            .map(|_| (r.below(129) as f64 - 64.0) / 64.0)
            .collect();
        let include = r.flags(n, 150);
        let exclude = r.flags(n, 150);
        let v = voting_worth(&g);
        let want = brute(n, &v, &x, &include, &exclude);
        let got = g.most_violated(&x, &include, &exclude).unwrap();
        match (want, got) {
            (None, None) => {}
            (Some(e), Some(ans)) => {
                let own = check_answer(&v, &x, &include, &exclude, &ans);
                assert_eq!(own, e, "trial {trial}: {g:?} x = {x:?}");
            }
            (w, a) => panic!("trial {trial}: brute force {w:?}, oracle {a:?}"),
        }
    }
}

#[test]
fn voting_oracle_at_fifty_voters_is_consistent() {
    // No brute force at n = 50; the oracle's answer with a player forced out must never beat
    // the unrestricted one, and forcing in the members of the best coalition keeps it.
    let mut r = Gen(50);
    let weights: Vec<u64> = (0..50).map(|_| 1 + r.below(100)).collect();
    let quota = weights.iter().sum::<u64>() / 2 + 1;
    let g = WeightedVoting::new(quota, weights, None).unwrap();
    let x: Vec<f64> = (0..50).map(|_| r.unit() / 25.0 - 0.005).collect();
    let none = vec![false; 50];
    let best = g.most_violated(&x, &none, &none).unwrap().unwrap();
    let v = voting_worth(&g);
    check_answer(&v, &x, &none, &none, &best);
    let mut inc = none.clone();
    for &i in &best.members {
        inc[i] = true;
    }
    let again = g.most_violated(&x, &inc, &none).unwrap().unwrap();
    assert_eq!(again.excess, best.excess);
    for i in 0..50 {
        let mut exc = none.clone();
        exc[i] = true;
        let without = g.most_violated(&x, &none, &exc).unwrap().unwrap();
        assert!(without.excess <= best.excess);
    }
}

#[test]
fn voting_oracle_refuses_bad_queries() {
    let g = WeightedVoting::new(3, vec![2, 1, 1], None).unwrap();
    let f = [false; 3];
    assert!(matches!(
        g.most_violated(&[0.0; 2], &f, &f),
        Err(Error::AllocationLength { got: 2, n: 3 })
    ));
    assert!(matches!(
        g.most_violated(&[0.0; 3], &[false; 4], &f),
        Err(Error::InvalidParameter {
            name: "include",
            ..
        })
    ));
    assert!(matches!(
        g.most_violated(&[0.0, f64::NAN, 0.0], &f, &f),
        Err(Error::InvalidParameter { name: "x", .. })
    ));
    // A player both in and out: nothing qualifies.
    let both = [true, false, false];
    assert_eq!(g.most_violated(&[0.0; 3], &both, &both).unwrap(), None);
    assert!(matches!(
        g.worth(&[0, 3]),
        Err(Error::PlayerIndexOutOfRange { index: 3, n: 3 })
    ));
    assert!(matches!(
        g.worth(&[1, 0]),
        Err(Error::InvalidParameter {
            name: "members",
            ..
        })
    ));
    assert_eq!(g.worth(&[0, 2]).unwrap(), 1.0);
    assert_eq!(g.worth(&[1, 2]).unwrap(), 0.0);
}

// ---------------------------------------------------------------- convex games

/// A random convex game as a function of the mask, and a scale/shift applied to it:
/// `c v(S) + b(S)` (still convex for `c > 0`).
fn random_convex(r: &mut Gen, n: usize) -> Arc<dyn Fn(u64) -> f64 + Send + Sync> {
    let kind = r.below(5);
    // Whole weights in a third of the games (whole worths: many ties).
    let whole = r.below(3) == 0;
    let mut draw = |k: f64| {
        let v = r.unit() * k;
        if whole {
            v.round()
        } else {
            v
        }
    };
    let a: Vec<f64> = (0..n).map(|_| draw(3.0)).collect();
    let b: Vec<f64> = (0..n).map(|_| draw(2.0)).collect();
    let t = draw(a.iter().sum::<f64>());
    let sum = |w: &[f64], s: u64| members(s).iter().map(|&i| w[i]).sum::<f64>();
    match kind {
        // h(a(S)) for convex h, and sums of such.
        0 => Arc::new(move |s| sum(&a, s).powi(2) + sum(&b, s).powf(1.5)),
        1 => Arc::new(move |s| (sum(&a, s) - t).max(0.0) + 0.3 * sum(&b, s).powi(3)),
        // Airport savings: sum of costs minus the largest.
        2 => Arc::new(move |s| {
            let m = members(s);
            m.iter().map(|&i| a[i]).sum::<f64>() - m.iter().map(|&i| a[i]).fold(0.0, f64::max)
        }),
        // Bankruptcy: max(0, E - claims outside S).
        3 => {
            let total: f64 = a.iter().sum();
            Arc::new(move |s| (t - (total - sum(&a, s))).max(0.0))
        }
        _ => Arc::new(move |s| (sum(&a, s) / 3.0).exp() - 1.0 + sum(&b, s)),
    }
}

fn convex_game(n: usize, v: Arc<dyn Fn(u64) -> f64 + Send + Sync>) -> ConvexGame {
    ConvexGame::new(names(n), move |m: &[usize]| {
        Ok(v(m.iter().map(|&i| 1u64 << i).sum()))
    })
    .unwrap()
}

#[test]
fn convex_oracle_matches_brute_force() {
    let mut r = Gen(40);
    for trial in 0..400 {
        let n = 1 + r.below(if trial < 360 { 11 } else { 14 }) as usize;
        let base = random_convex(&mut r, n);
        // Scale and shift: c v(S) + b(S) with budgets b_i up to 1e9 in a third of the trials.
        let c = [1.0, 1e-3, 250.0][trial % 3];
        let budget = if trial % 3 == 2 { 1e9 } else { 0.0 };
        let shift: Vec<f64> = (0..n).map(|_| r.unit() * budget).collect();
        let sh = shift.clone();
        let v: Arc<dyn Fn(u64) -> f64 + Send + Sync> =
            Arc::new(move |s| c * base(s) + members(s).iter().map(|&i| sh[i]).sum::<f64>());
        let g = convex_game(n, v.clone());
        // x: shift plus a random vector of the game's scale, negative entries included.
        let full = v((1u64 << n) - 1) - shift.iter().sum::<f64>();
        let mut x: Vec<f64> = (0..n)
            .map(|i| shift[i] + c * (r.unit() - 0.3) * (full / c / n as f64 + 1.0) * 2.0)
            .collect();
        if trial % 5 == 4 && budget == 0.0 {
            // Whole numbers: many coalitions tie, the hard case for reading off a minimiser.
            x.iter_mut().for_each(|v| *v = v.round());
        }
        let include = r.flags(n, 120);
        let exclude = r.flags(n, 120);
        let want = brute(n, &*v, &x, &include, &exclude);
        let got = g.most_violated(&x, &include, &exclude).unwrap();
        match (want, got) {
            (None, None) => {}
            (Some(e), Some(ans)) => {
                let own = check_answer(&*v, &x, &include, &exclude, &ans);
                // Relative to the game's spread, plus the rounding of budgets of 1e9.
                let tol = 1e-9 * (c * full.abs()).max(c) + 1e-14 * budget * n as f64;
                assert!(
                    (own - e).abs() <= tol,
                    "trial {trial} (n = {n}): oracle {own}, brute force {e}, tol {tol}"
                );
            }
            (w, a) => panic!("trial {trial}: brute force {w:?}, oracle {a:?}"),
        }
    }
}

#[test]
fn convex_worths_are_computed_once() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let g = ConvexGame::new(names(10), move |m: &[usize]| {
        counter.fetch_add(1, Ordering::Relaxed);
        Ok((m.iter().map(|&i| i as f64 + 1.0).sum::<f64>()).powi(2))
    })
    .unwrap();
    let x: Vec<f64> = (0..10).map(|i| 5.0 + i as f64).collect();
    let none = [false; 10];
    let first = g.most_violated(&x, &none, &none).unwrap();
    let after_first = calls.load(Ordering::Relaxed);
    assert_eq!(after_first, g.evaluations());
    let second = g.most_violated(&x, &none, &none).unwrap();
    assert_eq!(first, second);
    assert_eq!(calls.load(Ordering::Relaxed), after_first);
}

#[test]
fn a_non_convex_function_is_named() {
    // |S|^2 with a bump of 100 on {p0, p1}: p1 adds 103 to {p0} but far less to larger
    // coalitions. The oracle sees {p0, p1} below its duality bound and says so.
    let n = 6;
    let g = ConvexGame::new(names(n), |m: &[usize]| {
        Ok((m.len() as f64).powi(2) + if m == [0, 1] { 100.0 } else { 0.0 })
    })
    .unwrap();
    let x = vec![n as f64; n];
    let none = vec![false; n];
    match g.most_violated(&x, &none, &none) {
        Err(Error::NotConvex {
            gain_smaller,
            gain_larger,
            ..
        }) => assert!(
            gain_smaller > gain_larger,
            "{gain_smaller} <= {gain_larger}"
        ),
        other => panic!("expected NotConvex, got {other:?}"),
    }
    match g.check_convex(2000, 7) {
        Err(Error::NotConvex {
            gain_smaller,
            gain_larger,
            ..
        }) => assert!(gain_smaller > gain_larger),
        other => panic!("expected NotConvex, got {other:?}"),
    }
}

#[test]
fn check_convex_accepts_convex_games() {
    let mut r = Gen(7);
    for _ in 0..20 {
        let n = 2 + r.below(12) as usize;
        let g = convex_game(n, random_convex(&mut r, n));
        g.check_convex(300, r.next()).unwrap();
    }
}

#[test]
fn convex_game_refuses_bad_input() {
    assert!(matches!(
        ConvexGame::new(names(65), |_: &[usize]| Ok(0.0)),
        Err(Error::LimitExceeded { asked: 65, .. })
    ));
    assert!(matches!(
        ConvexGame::new(vec![], |_: &[usize]| Ok(0.0)),
        Err(Error::NoPlayers)
    ));
    assert!(matches!(
        ConvexGame::new(vec!["a".into(), "a".into()], |_: &[usize]| Ok(0.0)),
        Err(Error::DuplicatePlayer { .. })
    ));
    let nan = ConvexGame::new(names(3), |m: &[usize]| {
        Ok(if m.len() == 2 { f64::NAN } else { 1.0 })
    })
    .unwrap();
    let none = [false; 3];
    assert!(matches!(
        nan.most_violated(&[0.0; 3], &none, &none),
        Err(Error::NonFinite { .. })
    ));
    let failing = ConvexGame::new(names(3), |_: &[usize]| {
        Err(Error::InvalidParameter {
            name: "model",
            reason: "offline".into(),
        })
    })
    .unwrap();
    assert!(matches!(
        failing.most_violated(&[0.0; 3], &none, &none),
        Err(Error::InvalidParameter { name: "model", .. })
    ));
    let g = ConvexGame::new(names(3), |m: &[usize]| Ok(m.len() as f64)).unwrap();
    assert!(matches!(
        g.most_violated(&[0.0; 3], &[false; 2], &none),
        Err(Error::InvalidParameter {
            name: "include",
            ..
        })
    ));
    let both = [false, true, false];
    assert_eq!(g.most_violated(&[0.0; 3], &both, &both).unwrap(), None);
}
