//! Policy bounds: the nucleolus, prenucleolus and least core within floors and caps, the
//! stable split closest to a reference, and the conflicts between bounds and the game —
//! each checked against an independent formulation written here: LPs over all coalitions at
//! once (good_lp, microlp), the classic sequential LPs with the "excess cannot fall below the
//! level" fixing rule, and, for the L2 projection, enumeration of the active sets.

mod common;

use coalitional::{Bounds, Coalition, Constraint, Error, Game, Kind, Norm, Target};
use common::{names, Rng};
use good_lp::{microlp, variable, Expression, ProblemVariables, Solution, SolverModel};

/// A random value game with whole-number worths: standalone values plus a random gain for
/// each larger coalition, so that imputations exist; cores exist often, not always.
fn random_game(rng: &mut Rng, n: usize) -> Game {
    let alone: Vec<f64> = (0..n).map(|_| 5.0 + rng.int(0, 9)).collect();
    let vals: Vec<f64> = (0..1usize << n)
        .map(|m| {
            let k = (m as u64).count_ones() as f64;
            let base: f64 = (0..n).filter(|i| m >> i & 1 == 1).map(|i| alone[i]).sum();
            if k <= 1.0 {
                base
            } else {
                base + rng.int(0, 11) * (k - 1.0)
            }
        })
        .collect();
    Game::with_kind(names(n), vals, Kind::Value).unwrap()
}

/// Random floors/caps around the equal split.
fn random_bounds(rng: &mut Rng, g: &Game) -> Bounds {
    let n = g.n();
    let share = g.grand_value() / n as f64;
    let mut b = Bounds::open(n);
    for i in 0..n {
        match rng.int(0, 3) as u32 {
            0 => b = b.with_floor(i, (share * (0.6 + 0.5 * rng.next())).round()),
            1 => b = b.with_cap(i, (share * (0.9 + 0.5 * rng.next())).round()),
            _ => {}
        }
    }
    b
}

/// The rows `x_i >= lo`, `x_i <= hi` of value-game bounds (with individual rationality).
fn bound_pairs(g: &Game, b: &Bounds, ir: bool) -> Vec<(Option<f64>, Option<f64>)> {
    (0..g.n())
        .map(|i| {
            let mut lo = b.floors()[i];
            if ir {
                let v = g.value(Coalition::singleton(i));
                lo = Some(lo.map_or(v, |f| f.max(v)));
            }
            (lo, b.caps()[i])
        })
        .collect()
}

/// `min t s.t. x(N) = v(N), bounds, x(S) = v(S) - level (fixed), x(S) + t >= v(S) (free)`
/// over every coalition at once; with `probe = Some(S)`, minimise `S`'s excess on the face
/// `t = t*` instead. Returns (objective, x).
fn stage_lp(
    g: &Game,
    pairs: &[(Option<f64>, Option<f64>)],
    fixed: &[(u64, f64)],
    free: &[u64],
    probe: Option<(u64, f64)>,
) -> Option<(f64, Vec<f64>)> {
    let n = g.n();
    let mut vars = ProblemVariables::new();
    let x = vars.add_vector(variable(), n);
    let t = vars.add(variable());
    let sum = |m: u64| -> Expression { (0..n).filter(|i| m >> i & 1 == 1).map(|i| x[i]).sum() };
    let v = |m: u64| g.value(Coalition::from_mask(m));
    let objective: Expression = match probe {
        None => t.into(),
        Some((m, _)) => v(m) - sum(m),
    };
    let mut model = vars.minimise(objective.clone()).using(microlp);
    let full = (1u64 << n) - 1;
    model.add_constraint(sum(full).eq(g.grand_value()));
    for (i, (lo, hi)) in pairs.iter().enumerate() {
        if let Some(lo) = lo {
            model.add_constraint(Expression::from(x[i]).geq(*lo));
        }
        if let Some(hi) = hi {
            model.add_constraint(Expression::from(x[i]).leq(*hi));
        }
    }
    for &(m, level) in fixed {
        model.add_constraint(sum(m).eq(v(m) - level));
    }
    for &m in free {
        model.add_constraint((sum(m) + t).geq(v(m)));
    }
    if let Some((_, level)) = probe {
        model.add_constraint(Expression::from(t).eq(level));
    }
    let sol = model.solve().ok()?;
    let xs: Vec<f64> = x.iter().map(|xi| sol.value(*xi)).collect();
    let obj = match probe {
        None => sol.value(t),
        Some((m, _)) => {
            v(m) - (0..n)
                .filter(|i| m >> i & 1 == 1)
                .map(|i| xs[i])
                .sum::<f64>()
        }
    };
    Some((obj, xs))
}

/// The (pre)nucleolus within bounds by the classic sequential LPs (Maschler, Peleg and
/// Shapley 1979): at each level, fix every coalition whose excess cannot fall below it.
fn nucleolus_oracle(g: &Game, pairs: &[(Option<f64>, Option<f64>)]) -> Vec<f64> {
    let n = g.n();
    let full = (1u64 << n) - 1;
    let mut free: Vec<u64> = (1..full).collect();
    let mut fixed: Vec<(u64, f64)> = Vec::new();
    let mut x = Vec::new();
    while !free.is_empty() {
        let (t, point) = stage_lp(g, pairs, &fixed, &free, None).expect("stage LP");
        x = point;
        let mut now = Vec::new();
        for &m in &free {
            let (low, _) = stage_lp(g, pairs, &fixed, &free, Some((m, t))).expect("probe");
            if low >= t - 1e-7 {
                now.push(m);
            }
        }
        assert!(!now.is_empty(), "no coalition fixed at level {t}");
        for m in now {
            free.retain(|&f| f != m);
            fixed.push((m, t));
        }
    }
    x
}

/// `min e s.t. x(N) = v(N), bounds, x(S) + e >= v(S)` over every proper coalition at once.
fn least_core_oracle(g: &Game, pairs: &[(Option<f64>, Option<f64>)]) -> f64 {
    let n = g.n();
    let full = (1u64 << n) - 1;
    stage_lp(g, pairs, &[], &(1..full).collect::<Vec<_>>(), None)
        .expect("least core LP")
        .0
}

fn close(a: f64, b: f64, scale: f64) -> bool {
    (a - b).abs() <= 1e-7 * scale.max(1.0)
}

#[test]
fn nucleolus_and_least_core_within_bounds_match_the_full_lps() {
    let mut rng = Rng(2024);
    let mut infeasible = 0;
    let mut checked = 0;
    for case in 0..60 {
        let n = 2 + case % 4;
        let g = random_game(&mut rng, n);
        let b = random_bounds(&mut rng, &g);
        for pre in [false, true] {
            let pairs = bound_pairs(&g, &b, !pre);
            let got = if pre {
                g.prenucleolus_within(&b)
            } else {
                g.nucleolus_within(&b)
            };
            let lo: f64 = pairs.iter().map(|p| p.0.unwrap_or(f64::NEG_INFINITY)).sum();
            let hi: f64 = pairs.iter().map(|p| p.1.unwrap_or(f64::INFINITY)).sum();
            let ordered = pairs.iter().all(|p| match p {
                (Some(l), Some(h)) => l <= h,
                _ => true,
            });
            let room = ordered && lo <= g.grand_value() + 1e-9 && hi >= g.grand_value() - 1e-9;
            match got {
                Ok(x) => {
                    assert!(
                        room,
                        "case {case}: an answer where the bounds leave no room"
                    );
                    let want = nucleolus_oracle(&g, &pairs);
                    for i in 0..n {
                        assert!(
                            close(x.values()[i], want[i], 100.0),
                            "case {case} pre={pre}: {:?} vs {want:?}",
                            x.values()
                        );
                    }
                    checked += 1;
                }
                Err(Error::Infeasible { conflict, .. }) => {
                    assert!(
                        !room,
                        "case {case}: infeasible although the bounds leave room"
                    );
                    assert!(conflict.shortfall > 0.0);
                    infeasible += 1;
                }
                Err(e) => panic!("case {case}: {e}"),
            }
        }
        let pairs = bound_pairs(&g, &b, false);
        if let Ok(lc) = g.least_core_within(&b) {
            let want = least_core_oracle(&g, &pairs);
            assert!(
                close(lc.epsilon, want, 100.0),
                "case {case}: {} vs {want}",
                lc.epsilon
            );
        }
    }
    assert!(
        checked > 60 && infeasible > 0,
        "{checked} checked, {infeasible} infeasible"
    );
}

#[test]
fn open_bounds_give_the_plain_concepts() {
    let mut rng = Rng(7);
    for n in 2..=5 {
        let g = random_game(&mut rng, n);
        let open = Bounds::open(n);
        assert_eq!(g.nucleolus_within(&open).unwrap(), g.nucleolus().unwrap());
        assert_eq!(
            g.prenucleolus_within(&open).unwrap(),
            g.prenucleolus().unwrap()
        );
        let (a, b) = (g.least_core_within(&open).unwrap(), g.least_core().unwrap());
        assert!(close(a.epsilon, b.epsilon, 100.0));
    }
}

#[test]
fn talmud_with_a_cap_and_a_floor() {
    // Estate 200, claims 100, 200, 300: the nucleolus is (50, 75, 75) (Aumann and Maschler
    // 1985). Capping c at 60 keeps a's excess pattern: the pairwise rule gives b the rest.
    let claims = [100.0, 200.0, 300.0];
    let g = Game::from_fn(names(3), |s| {
        let outside: f64 = (0..3).filter(|&i| !s.contains(i)).map(|i| claims[i]).sum();
        (200.0 - outside).max(0.0)
    })
    .unwrap();
    for b in [
        Bounds::open(3).with_cap(2, 60.0),
        Bounds::open(3).with_floor(0, 70.0),
        Bounds::open(3).with_floor(0, 70.0).with_cap(1, 60.0),
    ] {
        let x = g.nucleolus_within(&b).unwrap();
        let want = nucleolus_oracle(&g, &bound_pairs(&g, &b, true));
        for i in 0..3 {
            assert!(
                close(x.values()[i], want[i], 200.0),
                "{:?} vs {want:?}",
                x.values()
            );
        }
        // A binding bound holds exactly.
        for i in 0..3 {
            if let Some(c) = b.caps()[i] {
                assert!(x.values()[i] <= c);
            }
            if let Some(f) = b.floors()[i] {
                assert!(x.values()[i] >= f);
            }
        }
    }
}

#[test]
fn budgets_of_1e8_with_small_surpluses_scale_and_shift_exactly() {
    let mut rng = Rng(99);
    for case in 0..20 {
        let n = 3 + case % 3;
        let g = random_game(&mut rng, n);
        let b = random_bounds(&mut rng, &g);
        let Ok(base) = g.nucleolus_within(&b) else {
            continue;
        };
        let base_lc = g.least_core_within(&b).unwrap();
        let (c, shift): (f64, Vec<f64>) = (0.75, (0..n).map(|i| 1e8 + 1e6 * i as f64).collect());
        let big = Game::from_fn(names(n), |s| {
            c * g.value(s) + s.members().map(|i| shift[i]).sum::<f64>()
        })
        .unwrap();
        let map = |v: Option<f64>, i: usize| v.map(|v| c * v + shift[i]);
        let bb = Bounds::new(
            (0..n).map(|i| map(b.floors()[i], i)).collect(),
            (0..n).map(|i| map(b.caps()[i], i)).collect(),
        );
        let x = big.nucleolus_within(&bb).unwrap();
        // Relative to the surplus (~100), not to the budgets.
        for ((got, b), s) in x.values().iter().zip(base.values()).zip(&shift) {
            let want = c * b + s;
            assert!(
                (got - want).abs() <= 1e-9 * 1e2,
                "case {case}: {got} vs {want}"
            );
        }
        let lc = big.least_core_within(&bb).unwrap();
        assert!(
            (lc.epsilon - c * base_lc.epsilon).abs() <= 1e-7,
            "case {case}"
        );
    }
}

#[test]
fn cost_games_bound_cost_shares() {
    // A cost game c and the value game -c: a floor on cost shares is a cap on -x.
    let mut rng = Rng(5);
    for case in 0..20 {
        let n = 3 + case % 2;
        let g = random_game(&mut rng, n);
        let costs: Vec<f64> = g.values().iter().map(|v| -v).collect();
        let cg = Game::with_kind(names(n), costs, Kind::Cost).unwrap();
        let b = random_bounds(&mut rng, &g);
        let neg = |v: Option<f64>| v.map(|v| -v);
        let cb = Bounds::new(
            b.caps().iter().map(|&v| neg(v)).collect(),
            b.floors().iter().map(|&v| neg(v)).collect(),
        );
        match (g.prenucleolus_within(&b), cg.prenucleolus_within(&cb)) {
            (Ok(x), Ok(y)) => {
                for i in 0..n {
                    assert!(close(x.values()[i], -y.values()[i], 100.0), "case {case}");
                }
            }
            (Err(Error::Infeasible { .. }), Err(Error::Infeasible { .. })) => {}
            (a, b) => panic!("case {case}: {a:?} vs {b:?}"),
        }
    }
}

#[test]
fn conflicts_are_irreducible_and_name_what_fails() {
    let g = Game::from_fn(
        vec!["Songjiang".into(), "Suzhou".into(), "Hangzhou".into()],
        |s| [0.0, 0.0, 0.0, 40.0, 0.0, 95.0, 30.0, 100.0][s.index()],
    )
    .unwrap();
    // Floors adding up to more than v(N).
    let b = Bounds::open(3)
        .with_floor(0, 50.0)
        .with_floor(1, 30.0)
        .with_floor(2, 30.0);
    match g.least_core_within(&b) {
        Err(Error::Infeasible { conflict, .. }) => {
            assert!((conflict.shortfall - 10.0).abs() < 1e-9);
            assert_eq!(conflict.constraints.len(), 4);
        }
        other => panic!("{other:?}"),
    }
    // The core is {x : x_S + x_H >= 95, ...}; Suzhou's floor 10 leaves 90 for {Songjiang,
    // Hangzhou}, who can make 95: they fail by 5.
    let b = Bounds::open(3).with_floor(1, 10.0);
    match g.closest_core_point(&[40.0, 30.0, 30.0], Norm::L2, Some(&b)) {
        Err(Error::Infeasible { conflict, .. }) => {
            assert!((conflict.shortfall - 5.0).abs() < 1e-9, "{conflict}");
            let kinds: Vec<&Constraint> = conflict.constraints.iter().map(|c| &c.0).collect();
            assert!(kinds
                .iter()
                .any(|c| matches!(c, Constraint::Floor { player, value }
                if player == "Suzhou" && *value == 10.0)));
            assert!(kinds.iter().any(
                |c| matches!(c, Constraint::Coalition { mask: 0b101, bound, .. }
                if *bound == 95.0)
            ));
            assert!(kinds
                .iter()
                .any(|c| matches!(c, Constraint::Efficiency { total } if *total == 100.0)));
            assert_eq!(kinds.len(), 3);
            let text = conflict.to_string();
            assert!(text.contains("Suzhou's floor 10"), "{text}");
        }
        other => panic!("{other:?}"),
    }
}

/// The set of constraints of a closest-point problem, for brute force: rows `a·x >= b`
/// (coalitions at v(S) - offset, bounds) and the efficiency row.
fn stable_rows(g: &Game, b: &Bounds, offset: f64) -> Vec<(Vec<f64>, f64)> {
    let n = g.n();
    let full = (1u64 << n) - 1;
    let mut rows = Vec::new();
    for m in 1..full {
        let a = (0..n)
            .map(|i| f64::from(u8::from(m >> i & 1 == 1)))
            .collect();
        rows.push((a, g.value(Coalition::from_mask(m)) - offset));
    }
    for i in 0..n {
        let unit = |s: f64| {
            (0..n)
                .map(|j| if j == i { s } else { 0.0 })
                .collect::<Vec<_>>()
        };
        if let Some(f) = b.floors()[i] {
            rows.push((unit(1.0), f));
        }
        if let Some(c) = b.caps()[i] {
            rows.push((unit(-1.0), -c));
        }
    }
    rows
}

/// The L2 projection of r on {x(N) = v(N), rows} by enumerating active sets of up to n - 1
/// rows: the nearest of the feasible affine projections.
fn projection_oracle(g: &Game, rows: &[(Vec<f64>, f64)], r: &[f64]) -> Vec<f64> {
    use nalgebra::{DMatrix, DVector};
    let n = g.n();
    let m = rows.len();
    let mut best: Option<(f64, Vec<f64>)> = None;
    let mut consider = |set: &[usize]| {
        let k = set.len() + 1;
        let a = DMatrix::from_fn(k, n, |row, j| {
            if row == 0 {
                1.0
            } else {
                rows[set[row - 1]].0[j]
            }
        });
        let b = DVector::from_fn(k, |row, _| {
            if row == 0 {
                g.grand_value()
            } else {
                rows[set[row - 1]].1
            }
        });
        let rv = DVector::from_column_slice(r);
        let c = &b - &a * &rv;
        let Ok(delta) = a.clone().svd(true, true).solve(&c, 1e-12) else {
            return;
        };
        let x = &rv + delta;
        if (&a * &x - &b).amax() > 1e-7 {
            return;
        }
        let ok = rows
            .iter()
            .all(|(a, b)| a.iter().zip(x.iter()).map(|(p, q)| p * q).sum::<f64>() >= b - 1e-7);
        if ok {
            let d = (&x - &rv).norm_squared();
            if best.as_ref().is_none_or(|(bd, _)| d < *bd - 1e-12) {
                best = Some((d, x.iter().copied().collect()));
            }
        }
    };
    consider(&[]);
    for i in 0..m {
        consider(&[i]);
        for j in i + 1..m {
            consider(&[i, j]);
            if n >= 4 {
                for k in j + 1..m {
                    consider(&[i, j, k]);
                }
            }
        }
    }
    best.expect("a feasible projection").1
}

/// The least L1 / L∞ distance from r to {x(N) = v(N), rows}, by one LP over all rows.
fn distance_oracle(g: &Game, rows: &[(Vec<f64>, f64)], r: &[f64], norm: Norm) -> f64 {
    let n = g.n();
    let mut vars = ProblemVariables::new();
    let x = vars.add_vector(variable(), n);
    let d = vars.add_vector(variable(), n);
    let t = vars.add(variable());
    let objective: Expression = match norm {
        Norm::L1 => d.iter().copied().sum(),
        _ => t.into(),
    };
    let mut model = vars.minimise(objective).using(microlp);
    model.add_constraint(x.iter().copied().sum::<Expression>().eq(g.grand_value()));
    for (a, b) in rows {
        let lhs: Expression = a.iter().zip(&x).map(|(c, v)| *c * *v).sum();
        model.add_constraint(lhs.geq(*b));
    }
    for i in 0..n {
        model.add_constraint((d[i] - x[i]).geq(-r[i]));
        model.add_constraint((d[i] + x[i]).geq(r[i]));
        model.add_constraint((t - x[i]).geq(-r[i]));
        model.add_constraint((t + x[i]).geq(r[i]));
    }
    let sol = model.solve().unwrap();
    match norm {
        Norm::L1 => d.iter().map(|v| sol.value(*v)).sum(),
        _ => sol.value(t),
    }
}

#[test]
fn closest_core_points_match_brute_force() {
    let mut rng = Rng(31);
    let mut seen_least_core = 0;
    let mut seen_moved = 0;
    for case in 0..40 {
        let n = 3 + case % 2;
        let g = random_game(&mut rng, n);
        let b = if case % 3 == 0 {
            Bounds::open(n)
        } else {
            random_bounds(&mut rng, &g)
        };
        let r: Vec<f64> = (0..n).map(|_| rng.int(0, 39) + 5.0).collect();
        // The stable set: the core, or, when it is empty, the least core within the bounds
        // (its value from the full LP over all coalitions).
        let lc = g.least_core().unwrap();
        let offset = if lc.epsilon <= g.tolerance() {
            lc.epsilon.max(0.0)
        } else {
            least_core_oracle(&g, &bound_pairs(&g, &b, false)).max(lc.epsilon)
        };
        let rows = stable_rows(&g, &b, offset);
        for norm in [Norm::L2, Norm::L1, Norm::LInf] {
            let got = match g.closest_core_point(&r, norm, Some(&b)) {
                Ok(p) => p,
                Err(Error::Infeasible { conflict, .. }) => {
                    // Then no point meets every row: the full LP says so too.
                    let mut vars = ProblemVariables::new();
                    let x = vars.add_vector(variable(), n);
                    let mut model = vars.minimise(Expression::from(0.0)).using(microlp);
                    model.add_constraint(x.iter().copied().sum::<Expression>().eq(g.grand_value()));
                    for (a, bb) in &rows {
                        let lhs: Expression = a.iter().zip(&x).map(|(c, v)| *c * *v).sum();
                        model.add_constraint(lhs.geq(*bb - 1e-9));
                    }
                    assert!(model.solve().is_err(), "case {case}: {conflict}");
                    assert!(conflict.shortfall > 0.0);
                    break;
                }
                Err(e) => panic!("case {case} {norm:?}: {e}"),
            };
            if offset > 1e-9 {
                assert!(matches!(got.target, Target::LeastCore { .. }));
                seen_least_core += 1;
            } else {
                assert_eq!(got.target, Target::Core);
            }
            let x = got.allocation.values();
            // Feasible for every row.
            for (a, bb) in &rows {
                let lhs: f64 = a.iter().zip(x).map(|(p, q)| p * q).sum();
                assert!(lhs >= bb - 1e-7, "case {case} {norm:?}");
            }
            let scale = 100.0;
            match norm {
                Norm::L2 => {
                    let want = projection_oracle(&g, &rows, &r);
                    for i in 0..n {
                        assert!(
                            close(x[i], want[i], scale),
                            "case {case}: {x:?} vs {want:?}"
                        );
                    }
                }
                _ => {
                    let want = distance_oracle(&g, &rows, &r, norm);
                    assert!(
                        close(got.distance, want, scale),
                        "case {case} {norm:?}: {} vs {want}",
                        got.distance
                    );
                }
            }
            if got.distance > 1e-6 {
                seen_moved += 1;
            }
        }
    }
    assert!(
        seen_least_core > 0 && seen_moved > 20,
        "{seen_least_core} {seen_moved}"
    );
}

#[test]
fn a_stable_reference_stays_and_symmetric_players_move_alike() {
    // Symmetric 3-player game v(S) = |S|^2: core contains the equal split (3, 3, 3).
    let g = Game::from_fn(names(3), |s| (s.len() * s.len()) as f64).unwrap();
    let p = g
        .closest_core_point(&[3.0, 3.0, 3.0], Norm::L1, None)
        .unwrap();
    assert_eq!(p.distance, 0.0);
    assert_eq!(p.allocation.values(), &[3.0, 3.0, 3.0]);
    // From (9, 0, 0): every norm brings players 1 and 2 up alike.
    for norm in [Norm::L1, Norm::L2, Norm::LInf] {
        let p = g.closest_core_point(&[9.0, 0.0, 0.0], norm, None).unwrap();
        let x = p.allocation.values();
        assert!((x[1] - x[2]).abs() < 1e-9, "{norm:?}: {x:?}");
        assert!((x.iter().sum::<f64>() - 9.0).abs() < 1e-9);
        // {1, 2} can make 4 alone: x_1 + x_2 >= 4, so x_0 <= 5.
        assert!((x[0] - 5.0).abs() < 1e-9, "{norm:?}: {x:?}");
    }
}

#[test]
fn closest_point_at_budget_scale() {
    // The doc example's game on budgets of 1e8 per city: the answer moves by the shift.
    let base = [0.0, 0.0, 0.0, 90.0, 0.0, 80.0, 70.0, 150.0];
    let shift = [3e8, 2e8, 1e8];
    let g = Game::from_fn(names(3), |s| {
        base[s.index()] + s.members().map(|i| shift[i]).sum::<f64>()
    })
    .unwrap();
    let r = [100.0 + 3e8, 40.0 + 2e8, 10.0 + 1e8];
    let p = g.closest_core_point(&r, Norm::L2, None).unwrap();
    let want = [80.0 + 3e8, 50.0 + 2e8, 20.0 + 1e8];
    assert_eq!(p.allocation.values(), &want);
    assert_eq!(p.target, Target::Core);
}

#[test]
fn bad_bounds_and_references_are_typed_errors() {
    let g = Game::from_fn(names(3), |s| s.len() as f64).unwrap();
    let bad = Bounds::open(3).with_floor(0, 2.0).with_cap(0, 1.0);
    assert!(matches!(
        g.nucleolus_within(&bad),
        Err(Error::InvalidParameter { name: "bounds", .. })
    ));
    let nan = Bounds::open(3).with_cap(1, f64::NAN);
    assert!(matches!(
        g.least_core_within(&nan),
        Err(Error::InvalidParameter { name: "bounds", .. })
    ));
    assert!(matches!(
        g.nucleolus_within(&Bounds::open(2)),
        Err(Error::InvalidParameter { name: "bounds", .. })
    ));
    assert!(matches!(
        g.closest_core_point(&[1.0], Norm::L2, None),
        Err(Error::AllocationLength { got: 1, n: 3 })
    ));
    assert!(matches!(
        g.closest_core_point(&[1.0, f64::INFINITY, 1.0], Norm::L2, None),
        Err(Error::InvalidParameter {
            name: "reference",
            ..
        })
    ));
    assert!(matches!(
        "l3".parse::<Norm>(),
        Err(Error::InvalidParameter { name: "norm", .. })
    ));
    // Individual rationality against a cap below the standalone value: a conflict.
    let g = Game::from_fn(names(2), |s| [0.0, 2.0, 1.0, 5.0][s.index()]).unwrap();
    match g.nucleolus_within(&Bounds::open(2).with_cap(0, 1.0)) {
        Err(Error::Infeasible { conflict, .. }) => {
            assert!((conflict.shortfall - 1.0).abs() < 1e-12);
            assert!(matches!(
                conflict.constraints[0].0,
                Constraint::Standalone { .. }
            ));
        }
        other => panic!("{other:?}"),
    }
    // The prenucleolus has no individual rationality: the cap holds.
    let x = g
        .prenucleolus_within(&Bounds::open(2).with_cap(0, 1.0))
        .unwrap();
    assert_eq!(x.values(), &[1.0, 4.0]);
}

#[test]
fn one_player_far_references_and_nearly_empty_cores() {
    // One player: the only efficient allocation, whatever the reference; a cap below v(N) is
    // a conflict.
    let g1 = Game::from_values(vec![0.0, 5.0]).unwrap();
    let p = g1.closest_core_point(&[9.0], Norm::L2, None).unwrap();
    assert_eq!(p.allocation.values(), &[5.0]);
    assert_eq!(p.distance, 4.0);
    assert!(matches!(
        g1.closest_core_point(&[9.0], Norm::L1, Some(&Bounds::open(1).with_cap(0, 4.0))),
        Err(Error::Infeasible { .. })
    ));
    // Budgets of 1e8 and an equal split of them as the reference: 10^8 away from the core.
    let base = [0.0, 0.0, 0.0, 9.0, 0.0, 8.0, 7.0, 15.0];
    let shift = [1e8, 2e8, 3e8];
    let g = Game::from_fn(names(3), |s| {
        base[s.index()] + s.members().map(|i| shift[i]).sum::<f64>()
    })
    .unwrap();
    let r = [(6e8 + 15.0) / 3.0; 3];
    // The core: x_A + x_B >= 9, x_A + x_C >= 8, x_B + x_C >= 7 over the shifts; the reference
    // gives A +1e8 and C -1e8, so every norm must bring C up to at least its standalone.
    for norm in [Norm::L2, Norm::L1, Norm::LInf] {
        let p = g
            .closest_core_point(&r, norm, None)
            .unwrap_or_else(|e| panic!("{norm:?}: {e}"));
        assert!(
            g.in_core(p.allocation.values(), g.tolerance()).unwrap(),
            "{norm:?}"
        );
        let rows = stable_rows(&g, &Bounds::open(3), 0.0);
        if norm != Norm::L2 {
            let want = distance_oracle(&g, &rows, &r, norm);
            assert!(
                (p.distance - want).abs() <= 1e-9 * 2e8,
                "{norm:?}: {} vs {want}",
                p.distance
            );
        }
    }
    // A core empty by less than the tolerance: still an answer, at the tolerance.
    let base = [0.0, 0.0, 0.0, 10.0, 0.0, 10.0, 10.0, 15.0 - 2e-7];
    let g = Game::from_fn(names(3), |s| {
        base[s.index()] + s.members().map(|i| shift[i]).sum::<f64>()
    })
    .unwrap();
    assert!(!g.core_is_empty().unwrap());
    for norm in [Norm::L2, Norm::L1, Norm::LInf] {
        let p = g.closest_core_point(&[2e8, 3e8, 4e8], norm, None).unwrap();
        assert_eq!(p.target, Target::Core);
        assert!(g.in_core(p.allocation.values(), g.tolerance()).unwrap());
    }
}

#[test]
fn an_empty_core_falls_back_to_the_least_core_within_the_bounds() {
    // Majority game: the least core is the single point (1/3, 1/3, 1/3); capping C at 0.2 must
    // not fail but use the least core within the cap (epsilon 0.4 at (0.4, 0.4, 0.2)).
    let g = Game::from_fn(names(3), |s| if s.len() >= 2 { 1.0 } else { 0.0 }).unwrap();
    let b = Bounds::open(3).with_cap(2, 0.2);
    let p = g
        .closest_core_point(&[0.4, 0.4, 0.2], Norm::L2, Some(&b))
        .unwrap();
    match p.target {
        Target::LeastCore { epsilon } => assert!((epsilon - 0.4).abs() < 1e-9),
        other => panic!("{other:?}"),
    }
    let x = p.allocation.values();
    assert!((x[0] - 0.4).abs() < 1e-9 && (x[1] - 0.4).abs() < 1e-9 && (x[2] - 0.2).abs() < 1e-9);
    // An index beyond the players is a typed error, not silently open.
    assert!(matches!(
        g.nucleolus_within(&Bounds::open(3).with_floor(5, 1.0)),
        Err(Error::PlayerIndexOutOfRange { index: 5, n: 3 })
    ));
}
