//! Nucleolus, prenucleolus and least core of the airport game (Littlechild 1974) and of the
//! assignment game (essential coalitions, Huberman 1980; Solymosi and Raghavan 1994) without
//! their `2^n` values (issue 18), checked against the dense solver on the same games
//! (`to_game()`), against brute-force excesses over all coalitions, hand-computed examples,
//! and scale covariance.

use coalitional::{Airport, Assignment, Error, Game};

mod common;
use common::Rng;

fn names(prefix: &str, k: usize) -> Vec<String> {
    (0..k).map(|i| format!("{prefix}{i}")).collect()
}

/// The largest excess over the proper nonempty coalitions, by brute force on the dense values:
/// `v(S) - x(S)` for value games, `x(S) - c(S)` for cost games.
fn max_excess(g: &Game, x: &[f64]) -> f64 {
    let n = g.n();
    let sign = if g.kind() == coalitional::Kind::Cost {
        -1.0
    } else {
        1.0
    };
    let values = g.values();
    (1..(1usize << n) - 1)
        .map(|mask| {
            let xs: f64 = (0..n).filter(|i| mask >> i & 1 == 1).map(|i| x[i]).sum();
            sign * (values[mask] - xs)
        })
        .fold(f64::NEG_INFINITY, f64::max)
}

fn assert_close(what: &str, fast: &[f64], slow: &[f64], tol: f64) {
    assert_eq!(fast.len(), slow.len());
    for (a, b) in fast.iter().zip(slow) {
        assert!(
            (a - b).abs() <= tol,
            "{what}: {fast:?} vs {slow:?} (tolerance {tol})"
        );
    }
}

/// Random runway costs: small integers (many ties and zeros), or reals, on a budget of
/// 0 or 1e6..1e9 with differences of a few units.
fn airport_costs(rng: &mut Rng, case: usize) -> Vec<f64> {
    let n = 1 + case % 12;
    let base = [0.0, 0.0, 0.0, 1e6, 1e9][case % 5];
    (0..n)
        .map(|_| {
            base + if case.is_multiple_of(2) {
                rng.below(8) as f64
            } else {
                20.0 * rng.next()
            }
        })
        .collect()
}

#[test]
fn airport_nucleolus_is_the_dense_nucleolus() {
    let mut rng = Rng(2024);
    for case in 0..240 {
        let costs = airport_costs(&mut rng, case);
        let a = Airport::new(costs.clone(), None).unwrap();
        let g = a.to_game().unwrap();
        let tol = g.tolerance();
        let fast = a.nucleolus();
        let slow = g.nucleolus().unwrap();
        assert_close(
            &format!("case {case}, costs {costs:?}"),
            fast.values(),
            slow.values(),
            tol,
        );
        assert_eq!(fast.values(), a.prenucleolus().values());
        if case % 4 == 0 {
            let pre = g.prenucleolus().unwrap();
            assert_close("prenucleolus", fast.values(), pre.values(), tol);
        }
    }
}

#[test]
fn airport_least_core_matches_the_dense_epsilon() {
    let mut rng = Rng(7);
    for case in 0..240 {
        let costs = airport_costs(&mut rng, case);
        let a = Airport::new(costs.clone(), None).unwrap();
        let g = a.to_game().unwrap();
        if g.n() < 2 {
            assert!(matches!(
                a.least_core(),
                Err(Error::Undefined {
                    concept: "the least core",
                    ..
                })
            ));
            continue;
        }
        let tol = g.tolerance();
        let fast = a.least_core().unwrap();
        let slow = g.least_core().unwrap();
        assert!(
            (fast.epsilon - slow.epsilon).abs() <= tol,
            "case {case}, costs {costs:?}: {} vs {}",
            fast.epsilon,
            slow.epsilon
        );
        // The allocation is in the least core: efficient, and no proper coalition's excess
        // above epsilon (brute force over all of them).
        let x = fast.allocation.values();
        assert!((x.iter().sum::<f64>() - g.grand_value()).abs() <= tol);
        assert!(max_excess(&g, x) <= fast.epsilon + tol);
        assert!(fast.epsilon <= tol, "the airport core is nonempty");
    }
}

#[test]
fn airport_examples_by_hand() {
    // Runways 1, 2, 3 (Littlechild and Owen 1973's three-segment case): lambda_1 =
    // min(1/2, 2/3) = 1/2; then (2 - 1/2) / 2 = 3/4; the largest pays 3 - 1/2 - 3/4 = 7/4.
    let a = Airport::new(vec![1.0, 2.0, 3.0], None).unwrap();
    assert_eq!(a.nucleolus().values(), &[0.5, 0.75, 1.75]);
    assert_eq!(a.least_core().unwrap().epsilon, -0.5);
    // Equal costs: equal shares; costs in any order.
    let a = Airport::new(vec![6.0, 2.0, 6.0, 2.0], None).unwrap();
    // lambda_1 = min(2/2, 2/3, 6/4) = 2/3 (the two small planes, largest minimiser j = 2);
    // then (6 - 4/3) / 2 = 7/3 for the third, the last pays 6 - 4/3 - 7/3 = 7/3.
    let x = a.nucleolus();
    assert_close(
        "equal costs",
        x.values(),
        &[7.0 / 3.0, 2.0 / 3.0, 7.0 / 3.0, 2.0 / 3.0],
        1e-15,
    );
    // All costs zero: nobody pays.
    let a = Airport::new(vec![0.0; 5], None).unwrap();
    assert_eq!(a.nucleolus().values(), &[0.0; 5]);
    assert_eq!(a.least_core().unwrap().epsilon, 0.0);
}

#[test]
fn airport_scales_with_the_costs() {
    let mut rng = Rng(99);
    for case in 0..40 {
        let costs: Vec<f64> = (0..2 + case % 30).map(|_| 100.0 * rng.next()).collect();
        let a = Airport::new(costs.clone(), None).unwrap();
        for factor in [1e-3, 7.0, 1e6] {
            let b = Airport::new(costs.iter().map(|c| c * factor).collect(), None).unwrap();
            let (x, y) = (a.nucleolus(), b.nucleolus());
            let scale = factor * costs.iter().fold(0.0f64, |m, c| m.max(*c));
            for (xi, yi) in x.values().iter().zip(y.values()) {
                assert!((xi * factor - yi).abs() <= 1e-12 * scale);
            }
            let (ex, ey) = (a.least_core().unwrap(), b.least_core().unwrap());
            assert!((ex.epsilon * factor - ey.epsilon).abs() <= 1e-12 * scale);
        }
    }
}

#[test]
fn a_thousand_runways() {
    let costs: Vec<f64> = (0..1000)
        .map(|i| f64::from((i * 7919) % 1000 + 1))
        .collect();
    let a = Airport::new(costs.clone(), None).unwrap();
    let x = a.nucleolus();
    let cmax = 1000.0;
    assert!((x.total() - cmax).abs() < 1e-9 * cmax);
    // In the core, checked on the coalitions that decide it: every initial segment of the
    // sorted costs (the cheapest coalition with that largest cost) and every N - i.
    let mut order: Vec<usize> = (0..1000).collect();
    order.sort_by(|&i, &j| costs[i].total_cmp(&costs[j]));
    let mut paid = 0.0;
    for &i in &order[..999] {
        paid += x[i];
        assert!(paid <= costs[i] + 1e-9 * cmax);
        assert!(x[i] >= -1e-12);
    }
    // Shares never decrease with the runway.
    for w in order.windows(2) {
        assert!(x[w[0]] <= x[w[1]] + 1e-12);
    }
}

/// A random market: `m x k` with zero, tied, negative (never formed) or real weights, on a
/// budget of 0 or 1e6 with differences of a few units.
fn market(rng: &mut Rng, case: usize) -> Assignment {
    let (m, k) = loop {
        let (m, k) = (rng.below(6), rng.below(7));
        if m + k >= 1 && m + k <= 11 {
            break (m, k);
        }
    };
    let base = if case % 7 == 3 { 1e6 } else { 0.0 };
    let weights: Vec<Vec<f64>> = (0..m)
        .map(|_| {
            (0..k)
                .map(|_| match case % 3 {
                    0 => rng.below(5) as f64,
                    1 => (10.0 * rng.next()) - 2.0,
                    _ => base + rng.below(9) as f64,
                })
                .collect()
        })
        .collect();
    Assignment::new(weights, names("r", m), names("c", k)).unwrap()
}

#[test]
fn assignment_nucleolus_is_the_dense_nucleolus() {
    let mut rng = Rng(31);
    for case in 0..260 {
        let g = market(&mut rng, case);
        let dense = g.to_game().unwrap();
        let tol = dense.tolerance();
        let fast = g.nucleolus().unwrap();
        let slow = dense.nucleolus().unwrap();
        assert_close(
            &format!("case {case}, weights {:?}", g.weights()),
            fast.values(),
            slow.values(),
            tol,
        );
        if case % 4 == 0 {
            let pre = dense.prenucleolus().unwrap();
            assert_close(
                "prenucleolus",
                g.prenucleolus().unwrap().values(),
                pre.values(),
                tol,
            );
        }
    }
}

#[test]
fn assignment_least_core_matches_the_dense_epsilon() {
    let mut rng = Rng(5);
    for case in 0..220 {
        let g = market(&mut rng, case);
        let dense = g.to_game().unwrap();
        if dense.n() < 2 {
            assert!(matches!(g.least_core(), Err(Error::Undefined { .. })));
            continue;
        }
        let tol = dense.tolerance();
        let fast = g.least_core().unwrap();
        let slow = dense.least_core().unwrap();
        assert!(
            (fast.epsilon - slow.epsilon).abs() <= tol,
            "case {case}, weights {:?}: {} vs {}",
            g.weights(),
            fast.epsilon,
            slow.epsilon
        );
        let x = fast.allocation.values();
        assert!((x.iter().sum::<f64>() - dense.grand_value()).abs() <= tol);
        assert!(max_excess(&dense, x) <= fast.epsilon + tol);
    }
}

#[test]
fn one_pair_market() {
    // N is the only pair: the least core splits it, epsilon = -a/2.
    let g = Assignment::new(vec![vec![6.0]], names("r", 1), names("c", 1)).unwrap();
    let lc = g.least_core().unwrap();
    assert_eq!(lc.epsilon, -3.0);
    assert_eq!(lc.allocation.values(), &[3.0, 3.0]);
    let dense = g.to_game().unwrap().least_core().unwrap();
    assert!((dense.epsilon + 3.0).abs() < 1e-9);
    // One player only: no least core; the nucleolus is v(N) = 0.
    let g = Assignment::new(vec![], names("r", 1), vec![]).unwrap();
    assert!(matches!(g.least_core(), Err(Error::Undefined { .. })));
    assert_eq!(g.nucleolus().unwrap().values(), &[0.0]);
}

#[test]
fn shapley_shubik_house_market() {
    // Three owners value their houses at 18, 15, 19 (thousands); three buyers value them at
    // (23, 22, 21), (26, 24, 22), (20, 21, 17): the house market of L. S. Shapley and
    // M. Shubik, "The assignment game I: the core", Int. J. Game Theory 1 (1971), §2. A sale
    // creates max(0, buyer's value - owner's value).
    let owners = [18.0, 15.0, 19.0];
    let buyers = [[23.0, 22.0, 21.0], [26.0, 24.0, 22.0], [20.0, 21.0, 17.0]];
    let weights: Vec<Vec<f64>> = (0..3)
        .map(|h| {
            (0..3)
                .map(|b| f64::max(0.0, buyers[h][b] - owners[h]))
                .collect()
        })
        .collect();
    assert_eq!(
        weights,
        vec![
            vec![5.0, 4.0, 3.0],
            vec![11.0, 9.0, 7.0],
            vec![1.0, 2.0, 0.0]
        ]
    );
    let g = Assignment::new(weights, names("owner", 3), names("buyer", 3)).unwrap();
    // By hand over the 3! matchings: 3 + 11 + 2 = 16 is the best.
    assert_eq!(g.optimal_value(), 16.0);
    assert_eq!(g.optimal_matching(), vec![(0, 2), (1, 0), (2, 1)]);
    let fast = g.nucleolus().unwrap();
    let dense = g.to_game().unwrap();
    assert_close(
        "house market",
        fast.values(),
        dense.nucleolus().unwrap().values(),
        1e-9 * 16.0,
    );
    assert!(dense.in_core(fast.values(), dense.tolerance()).unwrap());
    assert_eq!(g.least_core().unwrap().epsilon, 0.0);
}

#[test]
fn one_donor_two_recipients() {
    // tests/data/cases.json: the core is (d, 0, 5 - d), 3 <= d <= 5; nucleolus (4, 0, 1).
    let g = Assignment::new(
        vec![vec![3.0, 5.0]],
        vec!["donor".into()],
        vec!["r1".into(), "r2".into()],
    )
    .unwrap();
    assert_close(
        "donor",
        g.nucleolus().unwrap().values(),
        &[4.0, 0.0, 1.0],
        1e-12,
    );
}

#[test]
fn assignment_scales_with_the_weights() {
    let mut rng = Rng(123);
    for case in 0..30 {
        let (m, k) = (2 + case % 5, 3 + case % 4);
        let weights: Vec<Vec<f64>> = (0..m)
            .map(|_| (0..k).map(|_| rng.below(12) as f64).collect())
            .collect();
        let g = Assignment::new(weights.clone(), names("r", m), names("c", k)).unwrap();
        let x = g.nucleolus().unwrap();
        for factor in [1e-3, 3.0, 1e8] {
            let scaled = weights
                .iter()
                .map(|row| row.iter().map(|w| w * factor).collect())
                .collect();
            let h = Assignment::new(scaled, names("r", m), names("c", k)).unwrap();
            let y = h.nucleolus().unwrap();
            for (xi, yi) in x.values().iter().zip(y.values()) {
                assert!(
                    (xi * factor - yi).abs() <= 1e-11 * 12.0 * factor,
                    "{xi} {yi}"
                );
            }
        }
    }
}

#[test]
fn a_sixty_by_seventy_market_is_in_its_core() {
    let mut rng = Rng(77);
    let (m, k) = (60, 70);
    let weights: Vec<Vec<f64>> = (0..m)
        .map(|_| (0..k).map(|_| rng.below(50) as f64).collect())
        .collect();
    let g = Assignment::new(weights.clone(), names("r", m), names("c", k)).unwrap();
    let x = g.nucleolus().unwrap();
    assert!((x.total() - g.optimal_value()).abs() < 1e-9 * 50.0 * 60.0);
    for (r, row) in weights.iter().enumerate() {
        for (c, w) in row.iter().enumerate() {
            assert!(x[r] + x[m + c] >= w - 1e-9 * 50.0);
        }
    }
    assert!(x.values().iter().all(|&v| v >= -1e-9 * 50.0));
}

#[test]
fn assignment_budgets_of_1e6_to_1e9_keep_the_units() {
    // More rows than columns: an unmatched row keeps every column's payoff at the budget B
    // plus a few units, so the nucleolus is (small rows, B + small columns) with small parts
    // that do not depend on B. The oracle is the dense nucleolus at B = 100, where its
    // tolerance (1e-9 of the spread) resolves the units; at B = 1e9 it would not (its
    // tolerance is then several units), while the structured method keeps them to the
    // rounding of 1e9.
    let mut rng = Rng(606);
    for case in 0..40 {
        let k = 1 + case % 3;
        let m = k + 1 + rng.below(5 - k);
        let small: Vec<Vec<f64>> = (0..m)
            .map(|_| (0..k).map(|_| rng.below(6) as f64).collect())
            .collect();
        let with_budget = |b: f64| {
            let w = small
                .iter()
                .map(|row| row.iter().map(|s| s + b).collect())
                .collect();
            Assignment::new(w, names("r", m), names("c", k)).unwrap()
        };
        let mut reference = with_budget(100.0)
            .to_game()
            .unwrap()
            .nucleolus()
            .unwrap()
            .into_values();
        reference[m..].iter_mut().for_each(|x| *x -= 100.0);
        for b in [1e6, 1e7, 1e8, 1e9] {
            let mut x = with_budget(b).nucleolus().unwrap().into_values();
            x[m..].iter_mut().for_each(|v| *v -= b);
            assert_close(&format!("case {case}, budget {b}"), &x, &reference, 1e-6);
        }
    }
}
