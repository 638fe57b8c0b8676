//! Interval games: value bounds and the robust core against brute force over the box's
//! vertices (n = 3: 2^7 = 128 vertex games).

use coalitional::{Game, IntervalGame, Kind};

fn names(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("P{i}")).collect()
}

/// A box with a little irregularity, from a fixed seed.
fn boxed(n: usize, seed: u64, scale: f64, shift: f64) -> (Vec<f64>, Vec<f64>) {
    let mut x = seed;
    let mut next = || {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 11) as f64 / (1u64 << 53) as f64
    };
    let (mut lo, mut hi) = (vec![0.0; 1 << n], vec![0.0; 1 << n]);
    for s in 1..1usize << n {
        let k = s.count_ones() as f64;
        let base = k * k + 3.0 * next();
        let l = base * scale + shift * k;
        lo[s] = l;
        hi[s] = l + 2.0 * next() * scale;
    }
    (lo, hi)
}

/// Every vertex game of the box (n = 3).
fn vertices(lo: &[f64], hi: &[f64]) -> Vec<Game> {
    let m = lo.len();
    (0..1u32 << (m - 1))
        .map(|pick| {
            let v: Vec<f64> = (0..m)
                .map(|s| {
                    if s == 0 {
                        0.0
                    } else if pick >> (s - 1) & 1 == 1 {
                        hi[s]
                    } else {
                        lo[s]
                    }
                })
                .collect();
            Game::new(names(3), v).unwrap()
        })
        .collect()
}

fn min_max(games: &[Game], f: impl Fn(&Game) -> Vec<f64>) -> (Vec<f64>, Vec<f64>) {
    let all: Vec<Vec<f64>> = games.iter().map(f).collect();
    let n = all[0].len();
    let lo = (0..n)
        .map(|i| all.iter().map(|x| x[i]).fold(f64::INFINITY, f64::min))
        .collect();
    let hi = (0..n)
        .map(|i| all.iter().map(|x| x[i]).fold(f64::NEG_INFINITY, f64::max))
        .collect();
    (lo, hi)
}

fn close(a: &[f64], b: &[f64], tol: f64) {
    for (x, y) in a.iter().zip(b) {
        assert!((x - y).abs() <= tol * (1.0 + y.abs()), "{a:?} vs {b:?}");
    }
}

#[test]
fn bounds_match_vertex_enumeration() {
    for seed in 0..5 {
        let (lo, hi) = boxed(3, seed, 1.0, 0.0);
        let g = IntervalGame::new(names(3), lo.clone(), hi.clone(), Kind::Value).unwrap();
        let vs = vertices(&lo, &hi);
        let (a, b) = min_max(&vs, |v| v.shapley().into_values());
        let s = g.shapley();
        close(&s.lower, &a, 1e-12);
        close(&s.upper, &b, 1e-12);
        let (a, b) = min_max(&vs, |v| v.banzhaf().into_values());
        let s = g.banzhaf();
        close(&s.lower, &a, 1e-12);
        close(&s.upper, &b, 1e-12);
        for order in [[0, 1, 2], [2, 0, 1], [1, 2, 0]] {
            let (a, b) = min_max(&vs, |v| v.marginal_vector(&order).unwrap().into_values());
            let s = g.marginal_vector(&order).unwrap();
            close(&s.lower, &a, 1e-12);
            close(&s.upper, &b, 1e-12);
        }
        let unions = [vec![0], vec![1, 2]];
        let (a, b) = min_max(&vs, |v| v.owen(&unions).unwrap().into_values());
        let s = g.owen(&unions).unwrap();
        close(&s.lower, &a, 1e-12);
        close(&s.upper, &b, 1e-12);
    }
}

#[test]
fn robust_core_point_is_in_every_vertex_core() {
    // Values by mask (singletons at 1, 2, 4; pairs at 3, 5, 6). Supermodular-ish boxes with a narrow grand coalition: the robust core is nonempty.
    let lo = vec![0.0, 1.0, 1.0, 3.0, 1.0, 3.0, 3.0, 12.0];
    let hi = vec![0.0, 1.5, 1.2, 4.0, 2.0, 3.5, 5.0, 12.5];
    let g = IntervalGame::new(names(3), lo.clone(), hi.clone(), Kind::Value).unwrap();
    assert!(!g.robust_core_is_empty().unwrap());
    let x = g.robust_core_point().unwrap().unwrap();
    assert!((x.total() - 12.0).abs() < 1e-9);
    for v in vertices(&lo, &hi) {
        // x(N) = l(N) <= v(N): affordable; x(S) >= v(S) for proper S: stable.
        for s in 1..7usize {
            let xs: f64 = (0..3).filter(|i| s >> i & 1 == 1).map(|i| x[i]).sum();
            assert!(xs >= v.values()[s] - 1e-9);
        }
        assert!(x.total() <= v.grand_value() + 1e-9);
    }
}

#[test]
fn infeasible_box_has_empty_robust_core() {
    let lo = vec![0.0, 1.0, 1.0, 3.0, 1.0, 3.0, 3.0, 4.0];
    let hi = vec![0.0, 1.0, 1.0, 3.0, 1.0, 3.0, 3.0, 9.0];
    let g = IntervalGame::new(names(3), lo, hi, Kind::Value).unwrap();
    // Each vertex with v(N) = 9 has a core, but x(N) <= 4 cannot meet x(S) >= 3 on pairs.
    assert!(g.robust_core_is_empty().unwrap());
    assert!(g.robust_core_point().unwrap().is_none());
}

#[test]
fn cost_game_robust_core() {
    // Costs: x(S) <= l(S) for proper S, x(N) >= u(N).
    let lo = vec![0.0, 5.0, 5.0, 8.0, 5.0, 8.0, 8.0, 10.0];
    let hi = vec![0.0, 6.0, 6.0, 9.0, 6.0, 9.0, 9.0, 11.0];
    let g = IntervalGame::new(names(3), lo, hi, Kind::Cost).unwrap();
    let x = g.robust_core_point().unwrap().unwrap();
    assert!((x.total() - 11.0).abs() < 1e-9);
    assert!(x.values().iter().all(|&xi| xi <= 5.0 + 1e-9));
}

#[test]
fn lower_above_upper_names_the_coalition() {
    let lo = vec![0.0, 1.0, 0.0, 3.0];
    let hi = vec![0.0, 1.0, 0.0, 2.0];
    let e = IntervalGame::new(vec!["A".into(), "B".into()], lo, hi, Kind::Value).unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("index 3") && msg.contains('A') && msg.contains('B'),
        "{msg}"
    );
}

#[test]
fn scale_and_shift_covariance() {
    let (mut lo, mut hi) = boxed(4, 7, 1.0, 0.0);
    // A richer grand coalition, so that the robust core is nonempty and its point compared.
    lo[15] += 6.0;
    hi[15] += 6.0;
    let g = IntervalGame::new(names(4), lo.clone(), hi.clone(), Kind::Value).unwrap();
    let (c, a) = (1e8, [3e8, -2e8, 1e8, 5e7]);
    let add = |s: usize| {
        (0..4)
            .filter(|i| s >> i & 1 == 1)
            .map(|i| a[i])
            .sum::<f64>()
    };
    let map = |v: &[f64]| (0..v.len()).map(|s| c * v[s] + add(s)).collect::<Vec<_>>();
    let h = IntervalGame::new(names(4), map(&lo), map(&hi), Kind::Value).unwrap();
    let (p, q) = (g.shapley(), h.shapley());
    // Exact in real arithmetic; 1e-9 c allows for rounding at the 1e9 scale of the values.
    for (i, ai) in a.iter().enumerate() {
        assert!((q.lower[i] - (c * p.lower[i] + ai)).abs() < 1e-9 * c);
        assert!((q.upper[i] - (c * p.upper[i] + ai)).abs() < 1e-9 * c);
    }
    let x = g
        .robust_core_point()
        .unwrap()
        .expect("this box has a robust core");
    let y = h.robust_core_point().unwrap().expect("so has its image");
    for (i, ai) in a.iter().enumerate() {
        assert!((y[i] - (c * x[i] + ai)).abs() < 1e-9 * c);
    }
    let shown = g.shapley().to_string();
    assert!(shown.contains("P0") && shown.contains('['), "{shown}");
}
