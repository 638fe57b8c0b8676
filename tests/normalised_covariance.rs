//! An independent oracle for the on-the-fly normalisation of the solvers (the worths read through
//! `Worths`, the scans that bound a block in plain arithmetic before normalising it, the
//! structured nucleolus's `v(N) = sum v(B)` override).
//!
//! Independent reference: the test builds the zero-normalised game `w(S) = u(S) - sum_{i in S}
//! u({i})` itself (integer games, so exactly), solves it (standalone values 0: the solvers read
//! it as given, with no normalising and no bounded scan), and checks strategic equivalence on
//! games `scale * (sign * u + a)` with budgets `a_i` of `1e9` (and of `4e14`, where the plain
//! bound is wider than the surplus), cost games (`sign = -1`) and scales `2^600`, `2^-600`:
//! `x(scale (sign u + a)) = scale (sign x(u) + a)`, to `1e-8` of the surplus plus the rounding
//! of the budgets. The least core's `epsilon` of `w` is also checked against the LP with every
//! coalition row (good_lp, microlp) for `n <= 8`, `in_core` against the excesses computed
//! exactly (dyadic shares), and the least core's allocation against its `epsilon` by brute force.

mod common;

use coalitional::{Coalition, Game, Kind};
use common::{names, Rng};
use good_lp::{microlp, variable, Expression, ProblemVariables, Solution, SolverModel};

fn sum_over(x: &[f64], mask: usize) -> f64 {
    Coalition::from_mask(mask as u64)
        .members()
        .map(|i| x[i])
        .sum()
}

/// A base game `u` with whole values and its zero-normalised game `w`. `mode` 0: surpluses
/// of both signs; 1: supermodular-ish surpluses (nonempty core); 2: 0/1 surpluses (many ties).
fn base(n: usize, mode: u32, rng: &mut Rng) -> (Vec<f64>, Vec<f64>) {
    let full = (1usize << n) - 1;
    let standalone: Vec<f64> = (0..n).map(|_| rng.int(-3, 5)).collect();
    let mut w = vec![0.0; 1 << n];
    for (m, wm) in w.iter_mut().enumerate() {
        let s = m.count_ones() as i64;
        if s < 2 {
            continue;
        }
        *wm = match mode {
            0 => rng.int(-2 * s, 3 * s),
            1 => ((s - 1) * s) as f64 + rng.int(0, 1),
            _ => {
                if rng.next() < 0.5 {
                    1.0
                } else {
                    0.0
                }
            }
        };
    }
    // Imputations exist: w(N) >= 0, and usually above every other coalition.
    w[full] = w[full].abs() + rng.int(0, 3 * n as i64);
    let u: Vec<f64> = (0..1usize << n)
        .map(|m| w[m] + sum_over(&standalone, m))
        .collect();
    (u, w)
}

/// The game `scale (sign u + a)` (a cost game when `sign < 0`).
struct Variant {
    name: &'static str,
    game: Game,
    scale: f64,
    sign: f64,
    a: Vec<f64>,
}

impl Variant {
    /// `scale (sign x_u + a)`.
    fn map(&self, xu: &[f64]) -> Vec<f64> {
        xu.iter()
            .zip(&self.a)
            .map(|(x, a)| self.scale * (self.sign * x + a))
            .collect()
    }
    /// `x_u = sign (x / scale - a)`.
    fn unmap(&self, x: &[f64]) -> Vec<f64> {
        x.iter()
            .zip(&self.a)
            .map(|(x, a)| self.sign * (x / self.scale - a))
            .collect()
    }
    /// Tolerance on a share `x`: `1e-8` of the surplus plus the rounding of the budgets.
    fn tol(&self, spread: f64, x: f64) -> f64 {
        self.scale * 1e-8 * spread + 16.0 * f64::EPSILON * x.abs()
    }
}

fn variants(n: usize, u: &[f64], rng: &mut Rng) -> Vec<Variant> {
    let mut out = Vec::new();
    let mut make = |name, scale: f64, sign: f64, budget: f64, kind| {
        let a: Vec<f64> = (0..n)
            .map(|_| {
                if budget > 0.0 {
                    budget + rng.int(0, (budget / 10.0) as i64)
                } else {
                    0.0
                }
            })
            .collect();
        let values: Vec<f64> = (0..1usize << n)
            .map(|m| scale * (sign * u[m] + sum_over(&a, m)))
            .collect();
        let game = Game::with_kind(names(n), values, kind).unwrap();
        out.push(Variant {
            name,
            game,
            scale,
            sign,
            a,
        });
    };
    make("u as given", 1.0, 1.0, 0.0, Kind::Value);
    make("budgets 1e9", 1.0, 1.0, 1e9, Kind::Value);
    make("cost budgets 1e9", 1.0, -1.0, 1e9, Kind::Cost);
    make("budgets 4e14", 1.0, 1.0, 4e14, Kind::Value);
    make("scaled 2^600", 2f64.powi(600), 1.0, 0.0, Kind::Value);
    make(
        "scaled 2^600, budgets 1e9",
        2f64.powi(600),
        1.0,
        1e9,
        Kind::Value,
    );
    make(
        "cost scaled 2^-600, budgets 1e9",
        2f64.powi(-600),
        -1.0,
        1e9,
        Kind::Cost,
    );
    make("cost scaled 2^-600", 2f64.powi(-600), -1.0, 0.0, Kind::Cost);
    out
}

/// The least core's `epsilon` of the value game `v` by the LP with every coalition row.
fn least_core_lp(v: &[f64], n: usize) -> f64 {
    let full = (1usize << n) - 1;
    let spread = v.iter().fold(1.0f64, |m, x| m.max(x.abs()));
    let mut vars = ProblemVariables::new();
    let x = vars.add_vector(variable(), n);
    let e = vars.add(variable().min(-1e3 * spread).max(1e3 * spread));
    let mut model = vars.minimise(e).using(microlp);
    let x_of =
        |m: usize| -> Expression { Coalition::from_mask(m as u64).members().map(|i| x[i]).sum() };
    model.add_constraint(x_of(full).eq(v[full]));
    for (m, &vm) in v.iter().enumerate().take(full).skip(1) {
        model.add_constraint((x_of(m) + e).geq(vm));
    }
    let sol = model.solve().expect("least core LP");
    sol.value(e)
}

/// The largest excess `w(S) - y(S)` over the proper nonempty coalitions.
fn max_excess(w: &[f64], y: &[f64]) -> f64 {
    (1..w.len() - 1)
        .map(|m| w[m] - sum_over(y, m))
        .fold(f64::NEG_INFINITY, f64::max)
}

/// A partition of the players into random blocks (player indices).
fn partition(n: usize, rng: &mut Rng) -> Vec<Vec<usize>> {
    let k = 1 + (rng.next() * n.min(4) as f64) as usize;
    let mut blocks = vec![Vec::new(); k];
    for i in 0..n {
        blocks[(rng.next() * k as f64) as usize].push(i);
    }
    blocks.retain(|b| !b.is_empty());
    blocks
}

fn close(got: &[f64], want: &[f64], tol: impl Fn(f64) -> f64, what: &str) {
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(
            g.is_finite() && (g - w).abs() <= tol(*w),
            "{what}: share {i}: got {g:e}, want {w:e} (diff {:e})\n got {got:?}\nwant {want:?}",
            g - w
        );
    }
}

fn check_game(n: usize, mode: u32, seed: u64) {
    let mut rng = Rng(seed);
    let (u, w) = base(n, mode, &mut rng);
    let standalone: Vec<f64> = (0..n).map(|i| u[1 << i]).collect();
    let spread = w.iter().fold(0.0f64, |m, x| m.max(x.abs())).max(1.0);
    let wg = Game::from_values(w.clone()).unwrap();
    // The references, on w (read as given: no normalising, no bounded scan).
    let lift =
        |y: Vec<f64>| -> Vec<f64> { y.iter().zip(&standalone).map(|(a, b)| a + b).collect() };
    let nu_w = wg.nucleolus().unwrap().into_values();
    let pre_w = wg.prenucleolus().unwrap().into_values();
    let lc_w = wg.least_core().unwrap();
    let eps_w = lc_w.epsilon;
    if n <= 8 {
        let lp = least_core_lp(&w, n);
        assert!(
            (eps_w - lp).abs() <= 1e-7 * spread,
            "n {n} mode {mode} seed {seed}: least core epsilon {eps_w} vs LP {lp}"
        );
    }
    let blocks = partition(n, &mut rng);
    let block_masks: Vec<usize> = blocks
        .iter()
        .map(|b| b.iter().map(|&i| 1usize << i).sum())
        .collect();
    let mut w_struct = w.clone();
    w_struct[(1 << n) - 1] = block_masks.iter().map(|&b| w[b]).sum();
    // Blocks worth less than their members alone have no structured nucleolus.
    let st_ok = block_masks.iter().all(|&b| w[b] >= 0.0);
    let st_w = match Game::from_values(w_struct)
        .unwrap()
        .structured_nucleolus(&blocks)
    {
        Ok(x) => {
            assert!(
                st_ok,
                "n {n} mode {mode} seed {seed}: structured nucleolus {x:?}"
            );
            x.into_values()
        }
        Err(e) => {
            assert!(!st_ok, "n {n} mode {mode} seed {seed}: {e:?}");
            vec![f64::NAN; n]
        }
    };
    // A point with dyadic shares (multiples of 1/16), efficient for w: its excesses are exact.
    let mut y: Vec<f64> = nu_w.iter().map(|v| (v * 16.0).round() / 16.0).collect();
    y[n - 1] = w[(1 << n) - 1] - y[..n - 1].iter().sum::<f64>();
    let m_y = max_excess(&w, &y);
    let (xu_nu, xu_pre, xu_st, xu_y) = (
        lift(nu_w.clone()),
        lift(pre_w.clone()),
        lift(st_w.clone()),
        lift(y.clone()),
    );
    for var in variants(n, &u, &mut rng) {
        let g = &var.game;
        let what = |c: &str| format!("n {n} mode {mode} seed {seed} [{}] {c}", var.name);
        let t = |x: f64| var.tol(spread, x);
        let nu = g.nucleolus().unwrap().into_values();
        close(&nu, &var.map(&xu_nu), t, &what("nucleolus"));
        let pre = g.prenucleolus().unwrap().into_values();
        close(&pre, &var.map(&xu_pre), t, &what("prenucleolus"));
        let lc = g.least_core().unwrap();
        let want_eps = var.scale * eps_w;
        assert!(
            (lc.epsilon - want_eps).abs() <= var.scale * 1e-8 * spread,
            "{}: epsilon {:e} vs {:e}",
            what("least core"),
            lc.epsilon,
            want_eps
        );
        // The allocation attains epsilon (brute force on w; x - a is exact for budgets).
        let yl: Vec<f64> = var
            .unmap(lc.allocation.values())
            .iter()
            .zip(&standalone)
            .map(|(x, s)| x - s)
            .collect();
        let budget_rounding = 16.0 * f64::EPSILON * var.a.iter().sum::<f64>();
        let me = max_excess(&w, &yl);
        assert!(
            me <= eps_w + 1e-8 * spread + budget_rounding,
            "{}: allocation's largest excess {me} above epsilon {eps_w}",
            what("least core")
        );
        assert!(
            (yl.iter().sum::<f64>() - w[(1 << n) - 1]).abs() <= 1e-8 * spread + budget_rounding,
            "{}: allocation not efficient",
            what("least core")
        );
        // (Budgets of 4e14: see `structured_nucleolus_at_budgets_of_4e14`, which fails at the
        // parent commit too.)
        let st_ok = st_ok && var.a.iter().all(|&a| a < 1e12);
        let st = match g.structured_nucleolus(&blocks) {
            Ok(x) => x.into_values(),
            Err(_) if !st_ok => vec![f64::NAN; n],
            Err(e) => {
                assert!(!st_ok, "{}: {e:?}", what("structured nucleolus"));
                vec![f64::NAN; n]
            }
        };
        if st_ok {
            close(&st, &var.map(&xu_st), t, &what("structured nucleolus"));
        }
        if st_ok && blocks.len() > 1 {
            // v(N) plays no part in the structured nucleolus (unless N is a block).
            let mut moved = g.values().to_vec();
            moved[(1 << n) - 1] += var.scale * 1000.0;
            let st_moved = Game::with_kind(names(n), moved, g.kind())
                .unwrap()
                .structured_nucleolus(&blocks)
                .unwrap()
                .into_values();
            close(&st_moved, &st, t, &what("structured nucleolus, v(N) moved"));
        }
        // in_core on an exact point, at tolerances just either side of its largest excess.
        let x = var.map(&xu_y);
        assert_eq!(
            var.unmap(&x),
            xu_y,
            "{}: the point is not exact",
            what("in_core")
        );
        let largest = x.iter().fold(0.0f64, |m, v| m.max(v.abs())) / var.scale;
        let delta = (4.0 * n as f64 * f64::EPSILON * largest).max(2f64.powi(-16));
        let tol_in = (m_y + delta).max(0.0);
        assert!(
            g.in_core(&x, var.scale * tol_in).unwrap(),
            "{}: max excess {m_y}, tol {tol_in}: not in core",
            what("in_core")
        );
        if m_y - delta >= 0.0 {
            assert!(
                !g.in_core(&x, var.scale * (m_y - delta)).unwrap(),
                "{}: max excess {m_y}, tol {}: in core",
                what("in_core"),
                m_y - delta
            );
        }
        // The core emptiness agrees with the least core of w.
        // (Decided at the game's tolerance, which includes the rounding of the budgets.)
        if var.scale * eps_w.abs() > 2.0 * g.tolerance() {
            assert_eq!(
                g.core_is_empty().unwrap(),
                eps_w > 0.0,
                "{}: eps_w {eps_w}",
                what("core_is_empty")
            );
        }
    }
}

#[test]
fn covariance_of_the_normalised_solvers_small() {
    for n in 2..=8 {
        for mode in 0..3 {
            for seed in 0..3u64 {
                check_game(n, mode, 1000 * n as u64 + 10 * u64::from(mode) + seed);
            }
        }
    }
}

#[test]
fn covariance_of_the_normalised_solvers_large() {
    // n >= 10: several blocks of 256 coalitions besides the first and the last, so the
    // bounded scans skip blocks.
    for n in 9..=13 {
        for mode in 0..3 {
            check_game(n, mode, 7000 + 10 * n as u64 + u64::from(mode));
        }
    }
}

#[test]
fn structured_nucleolus_with_blocks_summing_past_the_largest_float() {
    // v(B1) + v(B2) overflows: an error (the game with that v(N) cannot be formed), never a
    // non-finite allocation.
    let big = 1.5e308;
    let v = vec![
        0.0, 0.0, 0.0, big, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, big, 0.0, 0.0, 1.0,
    ];
    let g = Game::from_values(v).unwrap();
    match g.structured_nucleolus(&[vec![0, 1], vec![2, 3]]) {
        Ok(x) => assert!(
            x.values().iter().all(|v| v.is_finite()),
            "non-finite shares {:?}",
            x.values()
        ),
        Err(e) => eprintln!("error (fine): {e:?}"),
    }
}

/// Games whose numbers are not on a common grid (budgets `1e9 / (3 + i) + 0.1`, surpluses
/// that are not whole, numbers near `1e300` and `1e-300` that are not powers of two): the
/// normalisation rounds, and the plain bound of a block is inexact. Loose covariance
/// checks here.
#[test]
fn inexact_games_give_finite_covariant_answers() {
    for (n, seed) in [(4usize, 1u64), (7, 2), (10, 3), (12, 4), (13, 5)] {
        let mut rng = Rng(seed);
        let (u, w) = base(n, (seed % 3) as u32, &mut rng);
        let spread = w.iter().fold(0.0f64, |m, x| m.max(x.abs())).max(1.0);
        // Non-whole surpluses: u + 1/3 |S|^2 / 7.
        let frac = |m: usize| f64::from(m.count_ones()).powi(2) / 21.0;
        let nu_u = {
            let v: Vec<f64> = (0..1usize << n).map(|m| u[m] + frac(m)).collect();
            Game::from_values(v)
                .unwrap()
                .nucleolus()
                .unwrap()
                .into_values()
        };
        for (name, scale, sign, budget, kind) in [
            ("budgets 1e9/(3+i)", 1.0, 1.0, true, Kind::Value),
            ("cost budgets 1e9/(3+i)", 1.0, -1.0, true, Kind::Cost),
            ("x 1e300", 1e300, 1.0, false, Kind::Value),
            ("cost x 1e-300 with budgets", 1e-300, -1.0, true, Kind::Cost),
            (
                "x 3e-151 (just above 2^-500)",
                3e-151,
                1.0,
                true,
                Kind::Value,
            ),
            ("x 1e150", 1e150, 1.0, true, Kind::Value),
        ] {
            let a: Vec<f64> = (0..n)
                .map(|i| {
                    if budget {
                        1e9 / (3.0 + i as f64) + 0.1
                    } else {
                        0.0
                    }
                })
                .collect();
            let values: Vec<f64> = (0..1usize << n)
                .map(|m| {
                    if m == 0 {
                        0.0
                    } else {
                        scale * (sign * (u[m] + frac(m)) + sum_over(&a, m))
                    }
                })
                .collect();
            let g = Game::with_kind(names(n), values, kind).unwrap();
            let what = |c: &str| format!("inexact n {n} seed {seed} [{name}] {c}");
            let nu = g.nucleolus().unwrap().into_values();
            let want: Vec<f64> = nu_u
                .iter()
                .zip(&a)
                .map(|(x, a)| scale * (sign * x + a))
                .collect();
            // The budgets' rounding (1e9 * 2^-52 per term) limits the agreement.
            let tol = |x: f64| scale * (1e-7 * spread + 1e-5) + 1e-12 * x.abs();
            close(&nu, &want, tol, &what("nucleolus"));
            let pre = g.prenucleolus().unwrap().into_values();
            let lc = g.least_core().unwrap();
            let empty = g.core_is_empty().unwrap();
            let cos = g.cost_of_stability().unwrap();
            let tau = g.tau_value().map(|t| t.into_values()).unwrap_or_default();
            let kernel = g
                .kernel_point()
                .map(|t| t.into_values())
                .unwrap_or_default();
            assert!(pre
                .iter()
                .chain(&lc.allocation.into_values())
                .chain(&tau)
                .chain(&kernel)
                .all(|v| v.is_finite()));
            assert!(lc.epsilon.is_finite() && cos.is_finite());
            let in_nu = g.in_core(&nu, g.tolerance()).unwrap();
            assert_eq!(in_nu, !empty, "{}", what("in_core of the nucleolus"));
        }
    }
}

/// A block whose surplus is within the game's tolerance (here 1 against a tolerance of about
/// 1.8 at budgets of 1e15) has its members held at their standalone values, so it shares out
/// their sum, and `v(N)` must be that sum plus the other blocks' worths (it was their full
/// worths once, and no allocation met both: an unverified point on a valid game).
#[test]
fn structured_nucleolus_at_budgets_of_1e15() {
    let a = [1e15, 1e15 + 2.0, 1e15 + 4.0, 1e15 + 6.0];
    // Surplus 1 for {0,1}, 6 for {2,3}, 2 for every other coalition of two or more.
    let v: Vec<f64> = (0..16usize)
        .map(|m| {
            let base = sum_over(&a, m);
            match m {
                0b0011 => base + 1.0,
                0b1100 => base + 6.0,
                _ if m.count_ones() >= 2 => base + 2.0,
                _ => base,
            }
        })
        .collect();
    let g = Game::from_values(v).unwrap();
    let x = g
        .structured_nucleolus(&[vec![0, 1], vec![2, 3]])
        .unwrap()
        .into_values();
    let tol = g.tolerance();
    assert!((x[0] + x[1] - (a[0] + a[1] + 1.0)).abs() <= tol, "{x:?}");
    assert!((x[2] + x[3] - (a[2] + a[3] + 6.0)).abs() <= tol, "{x:?}");
}
