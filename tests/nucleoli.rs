//! The weighted nucleoli (per-capita, proportional, disruption), the nucleolus for a
//! coalition structure, and the kernel, checked against the classic sequential LPs written
//! here (good_lp, microlp: each stage minimises the largest weighted excess of the coalitions
//! not yet fixed, then fixes every coalition whose weighted excess cannot fall below that
//! level), against examples derived by hand, and against the surpluses computed by brute force.

mod common;

use coalitional::{Coalition, Error, Game, Kind};
use common::{names, Rng};
use good_lp::{microlp, variable, Expression, ProblemVariables, Solution, SolverModel, Variable};

fn x_of(x: &[Variable], mask: u64) -> Expression {
    Coalition::from_mask(mask).members().map(|i| x[i]).sum()
}

/// The weighted nucleolus over the imputations of the value game `v` (by mask), with
/// `x(B) = v(B)` for `blocks` (then the total is `sum v(B)`), by the classic sequential LPs.
fn oracle(v: &[f64], n: usize, weight: &dyn Fn(u64) -> f64, blocks: &[u64]) -> Vec<f64> {
    let full = (1u64 << n) - 1;
    let total = if blocks.is_empty() {
        v[full as usize]
    } else {
        blocks.iter().map(|&b| v[b as usize]).sum()
    };
    let spread = v.iter().fold(1.0f64, |m, x| m.max(x.abs()));
    let eps = 1e-7 * spread;
    let mut fixed: Vec<(u64, f64)> = Vec::new();
    let mut free: Vec<u64> = (1..full).collect();
    // The constraints shared by every LP: efficiency, blocks, individual rationality, the
    // fixed coalitions at their levels, and the free ones at most `level` (or `t`).
    let build = |objective: &dyn Fn(&[Variable], Variable) -> Expression,
                 level: Option<f64>,
                 free: &[u64],
                 fixed: &[(u64, f64)]|
     -> Option<(Vec<f64>, f64)> {
        let mut vars = ProblemVariables::new();
        let x = vars.add_vector(variable(), n);
        let t = vars.add(variable().min(-1e3 * spread).max(1e3 * spread));
        let mut model = vars.minimise(objective(&x, t)).using(microlp);
        model.add_constraint(x_of(&x, full).eq(total));
        for &b in blocks {
            model.add_constraint(x_of(&x, b).eq(v[b as usize]));
        }
        for i in 0..n {
            // Relaxed by far less than the comparison's tolerance: levels read back from
            // the LP carry its rounding, which could leave floors that add up to the rest
            // of the total just out of reach.
            model.add_constraint(Expression::from(x[i]).geq(v[1 << i] - 1e-9));
        }
        for &(m, l) in fixed {
            // Within 1e-9 (the levels carry the LP's rounding).
            let at = v[m as usize] - weight(m) * l;
            model.add_constraint(x_of(&x, m).geq(at - 1e-9));
            model.add_constraint(x_of(&x, m).leq(at + 1e-9));
        }
        for &m in free {
            let bound: Expression = match level {
                Some(l) => Expression::from(weight(m) * (l + eps)),
                None => weight(m) * t,
            };
            model.add_constraint((x_of(&x, m) + bound).geq(v[m as usize]));
        }
        let sol = model.solve().ok()?;
        let xs: Vec<f64> = x.iter().map(|&xi| sol.value(xi)).collect();
        let obj = objective(&x, t);
        Some((xs, sol.eval(&obj)))
    };
    // Only coalitions independent of N, the blocks and the rows fixed before enter as
    // equalities (the others are implied, and rounding could make them inconsistent).
    let mut basis: Vec<Vec<f64>> = Vec::new();
    let mut independent = |m: u64| {
        let mut r: Vec<f64> = (0..n).map(|i| f64::from((m >> i & 1) as u8)).collect();
        for q in &basis {
            let d: f64 = q.iter().zip(&r).map(|(a, b)| a * b).sum();
            r.iter_mut().zip(q).for_each(|(a, b)| *a -= d * b);
        }
        let norm = r.iter().map(|a| a * a).sum::<f64>().sqrt();
        if norm < 1e-9 {
            return false;
        }
        basis.push(r.into_iter().map(|a| a / norm).collect());
        true
    };
    independent(full);
    for &b in blocks {
        independent(b);
    }
    let mut point = Vec::new();
    while !free.is_empty() {
        let (x, level) = build(&|_, t| t.into(), None, &free, &fixed).expect("stage LP");
        point = x;
        let mut newly = Vec::new();
        for &s in &free {
            // The least weighted excess of s at this level: min (v(S) - x(S)) / w(S).
            let w = weight(s);
            let vs = v[s as usize];
            let (_, least) = build(
                &|x, _| (vs - x_of(x, s)) * (1.0 / w),
                Some(level),
                &free,
                &fixed,
            )
            .unwrap_or_else(|| panic!("fixing LP for {s} at level {level}"));
            if least >= level - 1e-6 * spread {
                newly.push(s);
            }
        }
        assert!(!newly.is_empty(), "no coalition fixed at level {level}");
        free.retain(|m| !newly.contains(m));
        for m in newly {
            if independent(m) {
                fixed.push((m, level));
            }
        }
    }
    // The last stage's point: every coalition's excess is then determined.
    point
}

fn assert_close(got: &[f64], want: &[f64], scale: f64, what: &str) {
    for (g, w) in got.iter().zip(want) {
        assert!(
            (g - w).abs() <= 1e-9 * scale.max(1.0),
            "{what}: {got:?} vs {want:?}"
        );
    }
}

/// A random value game on `n` players with integer worths in `[lo, lo + k)`, and `v(N)`
/// raised so that `v(N) > v(S) + v(N \ S)` for every `S` (all disruption weights positive)
/// when `split` holds.
fn random_values(rng: &mut Rng, n: usize, lo: f64, k: u32, split: bool) -> Vec<f64> {
    let full = (1usize << n) - 1;
    let mut v: Vec<f64> = (0..=full)
        .map(|_| lo + rng.int(0, i64::from(k) - 1))
        .collect();
    v[0] = 0.0;
    if split {
        let most = (1..full).map(|m| v[m] + v[full & !m]).fold(0.0, f64::max);
        let alone: f64 = (0..n).map(|i| v[1 << i]).sum();
        v[full] = v[full].max(most.max(alone) + 1.0 + rng.int(0, 4));
    }
    v
}

fn per_capita(m: u64) -> f64 {
    f64::from(m.count_ones())
}

#[test]
fn weighted_nucleoli_match_the_sequential_lps() {
    let mut rng = Rng(17);
    for case in 0..48 {
        let n = 2 + case % 4;
        let full = (1u64 << n) - 1;
        // Per-capita: any game with imputations (v(N) >= sum v({i})).
        let mut v = random_values(&mut rng, n, -5.0, 30, false);
        let alone: f64 = (0..n).map(|i| v[1 << i]).sum();
        v[full as usize] = v[full as usize].max(alone + 1.0 + rng.int(0, 9));
        let g = Game::new(names(n), v.clone()).unwrap();
        let got = g.per_capita_nucleolus().unwrap();
        let want = oracle(&v, n, &per_capita, &[]);
        assert_close(
            got.values(),
            &want,
            40.0,
            &format!("per-capita case {case}"),
        );

        // Proportional: positive worths.
        let v = random_values(&mut rng, n, 1.0, 30, true);
        let g = Game::new(names(n), v.clone()).unwrap();
        let got = g.proportional_nucleolus().unwrap();
        let want = oracle(&v, n, &|m| v[m as usize], &[]);
        assert_close(
            got.values(),
            &want,
            100.0,
            &format!("proportional case {case}"),
        );

        // Disruption: v(N) above every split.
        let v = random_values(&mut rng, n, -3.0, 30, true);
        let g = Game::new(names(n), v.clone()).unwrap();
        let got = g.disruption_nucleolus().unwrap();
        let w = |m: u64| v[full as usize] - v[m as usize] - v[(full & !m) as usize];
        let want = oracle(&v, n, &w, &[]);
        assert_close(
            got.values(),
            &want,
            100.0,
            &format!("disruption case {case}"),
        );
    }
}

#[test]
fn weighted_nucleoli_of_cost_games() {
    // Cost games: excesses x(S) - c(S), weighted by |S|, by c(S) of the game as given, and by
    // c(S) + c(N \ S) - c(N); the value game -c gives the same order with the shares negated.
    let mut rng = Rng(5);
    for case in 0..24 {
        let n = 2 + case % 4;
        let full = (1u64 << n) - 1;
        let mut c: Vec<f64> = (0..=full).map(|_| 10.0 + rng.int(0, 39)).collect();
        c[0] = 0.0;
        // Subadditive enough for every weight: c(N) well below every split.
        let least = (1..full)
            .map(|m| c[m as usize] + c[(full & !m) as usize])
            .fold(f64::INFINITY, f64::min);
        c[full as usize] = c[full as usize].min(least - 1.0 - rng.int(0, 4));
        let g = Game::with_kind(names(n), c.clone(), Kind::Cost).unwrap();
        let neg: Vec<f64> = c.iter().map(|x| -x).collect();
        let negate = |x: Vec<f64>| x.into_iter().map(|y| -y).collect::<Vec<f64>>();
        let want = negate(oracle(&neg, n, &per_capita, &[]));
        assert_close(
            g.per_capita_nucleolus().unwrap().values(),
            &want,
            100.0,
            "per-capita",
        );
        let want = negate(oracle(&neg, n, &|m| c[m as usize], &[]));
        assert_close(
            g.proportional_nucleolus().unwrap().values(),
            &want,
            100.0,
            "proportional",
        );
        let w = |m: u64| c[m as usize] + c[(full & !m) as usize] - c[full as usize];
        let want = negate(oracle(&neg, n, &w, &[]));
        assert_close(
            g.disruption_nucleolus().unwrap().values(),
            &want,
            100.0,
            "disruption",
        );
    }
}

#[test]
fn hand_derived_examples() {
    // v({1,2}) = 4, v(N) = 6, all else 0. Plain excesses: -x_3 = x_3 - 2 at x_3 = 1, so the
    // nucleolus is (5/2, 5/2, 1); per-capita: -x_3 = (x_3 - 2)/2 at x_3 = 2/3, the others
    // (8/3, 8/3), and the next level {1,3}, {2,3} at -5/3 is balanced given x_1 = x_2.
    let g = Game::from_values(vec![0.0, 0.0, 0.0, 4.0, 0.0, 0.0, 0.0, 6.0]).unwrap();
    assert_close(
        g.nucleolus().unwrap().values(),
        &[2.5, 2.5, 1.0],
        1.0,
        "nucleolus",
    );
    let third = 1.0 / 3.0;
    assert_close(
        g.per_capita_nucleolus().unwrap().values(),
        &[8.0 * third, 8.0 * third, 2.0 * third],
        1.0,
        "per-capita",
    );
    // v({i}) = 1, v({1,2}) = 4, v({1,3}) = v({2,3}) = 2, v(N) = 6.
    // Proportional: 1 - x_3 = 1 - (6 - x_3)/4 at x_3 = 6/5 (level -1/5), x_1 = x_2 = 12/5.
    // Disruption: weights 1 on {3}, {1,2} and 3 on the rest; in w (standalone 0, w(12) = 2,
    // w(N) = 3) the excesses -y_3 and -y_1/3 = -(3 - y_3)/6 meet at y_3 = 3/7 above
    // y_3 - 1, so x = (16/7, 16/7, 10/7).
    let g = Game::from_values(vec![0.0, 1.0, 1.0, 4.0, 1.0, 2.0, 2.0, 6.0]).unwrap();
    assert_close(
        g.proportional_nucleolus().unwrap().values(),
        &[2.4, 2.4, 1.2],
        1.0,
        "proportional",
    );
    assert_close(
        g.disruption_nucleolus().unwrap().values(),
        &[16.0 / 7.0, 16.0 / 7.0, 10.0 / 7.0],
        1.0,
        "disruption",
    );
}

#[test]
fn undefined_weights_are_typed_errors() {
    // A zero worth: no proportional nucleolus; the error names the coalition.
    let g = Game::new(names(3), vec![0.0, 1.0, 1.0, 4.0, 0.0, 2.0, 2.0, 6.0]).unwrap();
    match g.proportional_nucleolus() {
        Err(Error::Undefined { concept, reason }) => {
            assert_eq!(concept, "the proportional nucleolus");
            assert!(reason.contains("{p2}"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    // A dummy player p2 (v(S + p2) = v(S) + 1): w({p2}) = v(N) - v({p2}) - v({p0, p1}) = 0.
    let g = Game::from_fn(names(3), |s| {
        let base = if s.contains(0) && s.contains(1) {
            5.0
        } else {
            0.0
        };
        base + if s.contains(2) { 1.0 } else { 0.0 }
    })
    .unwrap();
    match g.disruption_nucleolus() {
        Err(Error::Undefined { concept, .. }) => assert_eq!(concept, "the disruption nucleolus"),
        other => panic!("{other:?}"),
    }
    // No imputation.
    let g = Game::new(names(2), vec![0.0, 2.0, 2.0, 3.0]).unwrap();
    assert!(matches!(
        g.per_capita_nucleolus(),
        Err(Error::Undefined { .. })
    ));
}

#[test]
fn scale_covariance_at_large_budgets() {
    // Budgets of 1e8 per player with surpluses of a few units: per-capita and disruption
    // nucleoli move with c v + b (standalone shifts), the proportional one with c v.
    let mut rng = Rng(3);
    for case in 0..12 {
        let n = 3 + case % 3;
        let full = (1usize << n) - 1;
        let v = random_values(&mut rng, n, 0.0, 10, true);
        let g = Game::new(names(n), v.clone()).unwrap();
        let b: Vec<f64> = (0..n).map(|i| 1e8 * (1.0 + i as f64)).collect();
        let a = 3.0;
        let shifted: Vec<f64> = (0..=full)
            .map(|m| {
                a * v[m]
                    + Coalition::from_mask(m as u64)
                        .members()
                        .map(|i| b[i])
                        .sum::<f64>()
            })
            .collect();
        let h = Game::new(names(n), shifted).unwrap();
        for (base, big) in [
            (g.per_capita_nucleolus(), h.per_capita_nucleolus()),
            (g.disruption_nucleolus(), h.disruption_nucleolus()),
        ] {
            let (base, big) = (base.unwrap(), big.unwrap());
            for i in 0..n {
                let want = a * base[i] + b[i];
                assert!(
                    (big[i] - want).abs() <= 1e-6,
                    "case {case}: {big:?} vs {want}"
                );
            }
        }
        let v = random_values(&mut rng, n, 1.0, 10, true);
        let g = Game::new(names(n), v.clone()).unwrap();
        let h = Game::new(names(n), v.iter().map(|x| 1e8 * x).collect()).unwrap();
        let (x, y) = (
            g.proportional_nucleolus().unwrap(),
            h.proportional_nucleolus().unwrap(),
        );
        for i in 0..n {
            assert!(
                (y[i] - 1e8 * x[i]).abs() <= 1e-9 * 1e8 * 10.0,
                "case {case}"
            );
        }
    }
}

#[test]
fn structured_nucleolus_matches_the_sequential_lps_with_blocks() {
    let mut rng = Rng(11);
    let mut seen = 0;
    for case in 0..40 {
        let n = 2 + case % 4;
        let mut v = random_values(&mut rng, n, 0.0, 30, false);
        // Mostly worth at least the members alone (a few blocks are not: an error).
        for m in 1..v.len() {
            let alone: f64 = (0..n).filter(|&i| m >> i & 1 == 1).map(|i| v[1 << i]).sum();
            if case % 5 != 0 {
                v[m] = v[m].max(alone);
            }
        }
        let g = Game::new(names(n), v.clone()).unwrap();
        // A random partition: each player joins one of up to 3 blocks.
        let labels: Vec<usize> = (0..n).map(|_| rng.int(0, 2) as usize).collect();
        let blocks: Vec<Vec<usize>> = (0..3)
            .map(|k| (0..n).filter(|&i| labels[i] == k).collect::<Vec<_>>())
            .filter(|b| !b.is_empty())
            .collect();
        let masks: Vec<u64> = blocks
            .iter()
            .map(|b| b.iter().fold(0u64, |m, &i| m | 1 << i))
            .collect();
        let feasible = masks.iter().all(|&b| {
            v[b as usize]
                >= Coalition::from_mask(b)
                    .members()
                    .map(|i| v[1 << i])
                    .sum::<f64>()
        });
        match g.structured_nucleolus(&blocks) {
            Ok(x) => {
                assert!(feasible, "case {case}");
                let want = oracle(&v, n, &|_| 1.0, &masks);
                assert_close(x.values(), &want, 30.0, &format!("case {case} {blocks:?}"));
                seen += 1;
            }
            Err(Error::Undefined { .. }) => assert!(!feasible, "case {case}"),
            Err(e) => panic!("case {case}: {e}"),
        }
        // The single block N: the nucleolus.
        let alone: f64 = (0..n).map(|i| v[1 << i]).sum();
        if v[(1 << n) - 1] >= alone {
            let all: Vec<usize> = (0..n).collect();
            let x = g.structured_nucleolus(&[all]).unwrap();
            assert_close(
                x.values(),
                g.nucleolus().unwrap().values(),
                30.0,
                "one block",
            );
        }
    }
    assert!(seen > 20, "{seen}");
}

#[test]
fn structured_nucleolus_by_name_and_bad_partitions() {
    let g = Game::from_values(vec![0.0, 0.0, 0.0, 4.0, 0.0, 0.0, 0.0, 6.0]).unwrap();
    let x = g
        .structured_nucleolus_by_name(&[vec!["0", "1"], vec!["2"]])
        .unwrap();
    assert_close(x.values(), &[2.0, 2.0, 0.0], 1.0, "by name");
    for bad in [
        vec![vec![0, 1]],
        vec![vec![0, 1], vec![1, 2]],
        vec![vec![0, 1, 2], vec![]],
    ] {
        match g.structured_nucleolus(&bad) {
            Err(Error::InvalidParameter { name, .. }) => assert_eq!(name, "blocks"),
            other => panic!("{bad:?}: {other:?}"),
        }
    }
    assert!(matches!(
        g.structured_nucleolus(&[vec![0, 1, 5]]),
        Err(Error::PlayerIndexOutOfRange { index: 5, n: 3 })
    ));
    // A block worth less than its members alone: no allocation.
    let g = Game::new(names(3), vec![0.0, 2.0, 2.0, 3.0, 0.0, 2.0, 2.0, 9.0]).unwrap();
    match g.structured_nucleolus(&[vec![0, 1], vec![2]]) {
        Err(Error::Undefined { reason, .. }) => assert!(reason.contains("{p0, p1}"), "{reason}"),
        other => panic!("{other:?}"),
    }
}

/// The surpluses s_ij by brute force over all coalitions.
fn surplus(g: &Game, x: &[f64], i: usize, j: usize) -> f64 {
    let n = g.n();
    (1u64..(1 << n) - 1)
        .filter(|m| m >> i & 1 == 1 && m >> j & 1 == 0)
        .map(|m| {
            let s = Coalition::from_mask(m);
            g.value(s) - s.members().map(|k| x[k]).sum::<f64>()
        })
        .fold(f64::NEG_INFINITY, f64::max)
}

/// The kernel's definition by brute force, for a value game, at tolerance `tol`.
fn in_kernel_brute(g: &Game, x: &[f64], tol: f64) -> bool {
    let n = g.n();
    (x.iter().sum::<f64>() - g.grand_value()).abs() <= tol
        && (0..n).all(|i| x[i] >= g.value(Coalition::from_mask(1 << i)) - tol)
        && (0..n).all(|i| {
            (0..n).filter(|&j| j != i).all(|j| {
                surplus(g, x, i, j) <= surplus(g, x, j, i) + tol
                    || x[j] <= g.value(Coalition::from_mask(1 << j)) + tol
            })
        })
}

#[test]
fn kernel_contains_the_nucleolus_and_the_scheme_reaches_it() {
    let mut rng = Rng(23);
    let (mut yes, mut no) = (0, 0);
    for case in 0..60 {
        let n = 2 + case % 5;
        let full = (1usize << n) - 1;
        let mut v = random_values(&mut rng, n, -2.0, 20, false);
        let alone: f64 = (0..n).map(|i| v[1 << i]).sum();
        v[full] = v[full].max(alone + 1.0 + rng.int(0, 9));
        let g = Game::new(names(n), v).unwrap();
        let nu = g.nucleolus().unwrap();
        assert!(g.in_kernel(nu.values(), None).unwrap(), "case {case}");
        let pre = g.prenucleolus().unwrap();
        assert!(g.in_prekernel(pre.values(), None).unwrap(), "case {case}");
        let k = g.kernel_point().unwrap();
        assert!(g.in_kernel(k.values(), None).unwrap(), "case {case}");
        assert!(in_kernel_brute(&g, k.values(), 1e-7), "case {case}: {k:?}");
        // Random imputations: the check agrees with the brute-force definition.
        for _ in 0..5 {
            let mut x: Vec<f64> = (0..n).map(|_| rng.next()).collect();
            let total: f64 = x.iter().sum();
            let surplus = g.grand_value() - alone;
            for (i, xi) in x.iter_mut().enumerate() {
                *xi = g.value(Coalition::from_mask(1 << i)) + surplus * *xi / total;
            }
            let got = g.in_kernel(&x, None).unwrap();
            assert_eq!(
                got,
                in_kernel_brute(&g, &x, g.tolerance()),
                "case {case} {x:?}"
            );
            if got {
                yes += 1
            } else {
                no += 1
            }
        }
    }
    assert!(no > 100, "{yes} {no}");
}

#[test]
fn zero_monotonic_three_player_kernel_is_the_nucleolus() {
    // For zero-monotonic 3-player games the kernel is one point, the nucleolus (Maschler,
    // Peleg and Shapley 1972): the scheme must reach it, at budgets of 1e8 as well.
    let mut rng = Rng(41);
    for case in 0..30 {
        let pairs: Vec<f64> = (0..3).map(|_| rng.int(0, 19)).collect();
        let top = pairs.iter().copied().fold(0.0, f64::max) + rng.int(0, 14);
        let budget = if case % 2 == 0 { 0.0 } else { 1e8 };
        let b = [budget, 2.0 * budget, 3.0 * budget];
        let w = [0.0, 0.0, 0.0, pairs[0], 0.0, pairs[1], pairs[2], top];
        let v: Vec<f64> = (0..8)
            .map(|m: usize| {
                w[m] + (0..3)
                    .filter(|&i| m >> i & 1 == 1)
                    .map(|i| b[i])
                    .sum::<f64>()
            })
            .collect();
        let g = Game::new(names(3), v).unwrap();
        let k = g.kernel_point().unwrap();
        let nu = g.nucleolus().unwrap();
        for i in 0..3 {
            assert!(
                (k[i] - nu[i]).abs() <= 1e-7 * top.max(1.0),
                "case {case}: {k:?} {nu:?}"
            );
        }
    }
}

#[test]
fn points_outside_the_kernel_fail_and_bad_input_is_typed() {
    let g = Game::from_values(vec![0.0, 0.0, 0.0, 1.0, 0.0, 1.0, 1.0, 1.0]).unwrap();
    assert!(!g.in_kernel(&[0.5, 0.5, 0.0], None).unwrap());
    assert!(!g.in_prekernel(&[0.5, 0.5, 0.0], None).unwrap());
    // Not efficient.
    assert!(!g.in_kernel(&[0.4, 0.4, 0.4], None).unwrap());
    // A wide tolerance accepts a nearby point.
    assert!(g.in_kernel(&[0.34, 0.33, 0.33], Some(0.02)).unwrap());
    assert!(matches!(
        g.in_kernel(&[0.5, 0.5], None),
        Err(Error::AllocationLength { got: 2, n: 3 })
    ));
    assert!(matches!(
        g.in_kernel(&[1.0 / 3.0; 3], Some(-1.0)),
        Err(Error::InvalidParameter { name: "tol", .. })
    ));
    let g = Game::new(names(2), vec![0.0, 2.0, 2.0, 3.0]).unwrap();
    assert!(matches!(g.kernel_point(), Err(Error::Undefined { .. })));
}

#[test]
fn weighted_nucleoli_of_games_with_small_worths() {
    // Worths of a few thousandths (what is left of budgets of 1e6 once the standalone values
    // are taken out): the weighted nucleoli scale with the game (covariance), where they used
    // to fail with an unbounded LP (weights scaled by a placeholder of 1).
    let players: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
    let games: [&[f64]; 2] = [
        &[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0, 3.0],
        &[0.0, 1.0, 1.0, 4.0, 1.0, 2.0, 2.0, 6.0],
    ];
    for values in games {
        let big = Game::new(players.clone(), values.to_vec()).unwrap();
        for scale in [1e-3, 1e-4, 1e-6] {
            let small =
                Game::new(players.clone(), values.iter().map(|v| v * scale).collect()).unwrap();
            let pairs = [
                (small.proportional_nucleolus(), big.proportional_nucleolus()),
                (small.disruption_nucleolus(), big.disruption_nucleolus()),
            ];
            for (got, want) in pairs {
                let (got, want) = match (got, want) {
                    (Ok(g), Ok(w)) => (g, w),
                    (Err(_), Err(_)) => continue, // undefined at every scale alike
                    (g, w) => panic!("scale {scale}: {g:?} vs {w:?}"),
                };
                for i in 0..3 {
                    assert!(
                        (got[i] - scale * want[i]).abs() <= 1e-9 * scale * 6.0,
                        "scale {scale}: {} vs {}",
                        got[i],
                        scale * want[i]
                    );
                }
            }
        }
    }
}
