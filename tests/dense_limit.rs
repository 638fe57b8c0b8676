//! The dense (pre)nucleolus on games with huge ties (issue 18): glove games against their
//! closed form, tie-heavy families (assignment markets, games of player types, weighted
//! voting with repeated weights) against the classic sequential LPs written here, symmetric
//! players whose floors differ (the symmetry shortcut must not apply), and assignment markets
//! with levels of thousands of tied coalitions (the polish and the Kohlberg check stream them)
//! against the core and the prenucleolus.

use coalitional::{Bounds, Coalition, Game};
use good_lp::{microlp, variable, Expression, ProblemVariables, Solution, SolverModel};

mod common;
use common::{names, Rng};

/// `c v(S) + sum_{i in S} b_i`: a budget-scale copy of a game (the nucleolus maps to
/// `c x + b`).
fn scaled(v: &[f64], n: usize, c: f64, b: &[f64]) -> Game {
    let vals = (0..1usize << n)
        .map(|m| {
            c * v[m]
                + (0..n)
                    .filter(|i| m >> i & 1 == 1)
                    .map(|i| b[i])
                    .sum::<f64>()
        })
        .collect();
    Game::new(names(n), vals).unwrap()
}

/// The glove game with `l` left and `r` right gloves: `v(S) = min(#left, #right)`.
fn glove(l: usize, r: usize) -> Vec<f64> {
    let n = l + r;
    (0..1usize << n)
        .map(|m| {
            let left = (m & ((1 << l) - 1)).count_ones();
            let right = (m >> l).count_ones();
            f64::from(left.min(right))
        })
        .collect()
}

#[test]
fn glove_games_have_the_closed_form_nucleolus() {
    // Balanced: 1/2 each. More right gloves: the core is the single point where each left
    // glove gets 1 (a right glove j has v(N \ {j}) = v(N), so x_j <= 0), and the nucleolus
    // and the prenucleolus, which lie in a nonempty core, are that point.
    for &(l, r) in &[
        (1, 1),
        (2, 2),
        (3, 3),
        (5, 5),
        (8, 8),
        (2, 3),
        (3, 5),
        (4, 7),
        (6, 9),
    ] {
        let n = l + r;
        let v = glove(l, r);
        for &(c, shift) in &[(1.0, 0.0), (3.0, 1.0), (1e8, 7e8)] {
            let b: Vec<f64> = (0..n).map(|i| shift * (1.0 + i as f64)).collect();
            let g = scaled(&v, n, c, &b);
            for (concept, got) in [
                ("nucleolus", g.nucleolus()),
                ("prenucleolus", g.prenucleolus()),
            ] {
                let got =
                    got.unwrap_or_else(|e| panic!("{concept} of glove ({l}, {r}) x {c}: {e}"));
                for i in 0..n {
                    let want = if l == r {
                        0.5
                    } else if i < l {
                        1.0
                    } else {
                        0.0
                    };
                    let want = c * want + b[i];
                    assert!(
                        (got[i] - want).abs() <= 1e-9 * c,
                        "{concept} of glove ({l}, {r}) x {c}: player {i} {} vs {want}",
                        got[i]
                    );
                }
            }
        }
    }
}

/// `min t s.t. x(N) = v(N), floors, x(S) = v(S) - level (fixed), x(S) + t >= v(S) (free)`;
/// with `probe = Some((S, t*))`, minimise `S`'s excess on the face `t = t*` instead.
fn stage_lp(
    v: &[f64],
    n: usize,
    floors: &[Option<f64>],
    fixed: &[(u64, f64)],
    free: &[u64],
    probe: Option<(u64, f64)>,
) -> (f64, Vec<f64>) {
    let mut vars = ProblemVariables::new();
    let x = vars.add_vector(variable(), n);
    let t = vars.add(variable());
    let sum = |m: u64| -> Expression { (0..n).filter(|i| m >> i & 1 == 1).map(|i| x[i]).sum() };
    let objective: Expression = match probe {
        None => t.into(),
        Some((m, _)) => v[m as usize] - sum(m),
    };
    let mut model = vars.minimise(objective).using(microlp);
    let full = (1u64 << n) - 1;
    model.add_constraint(sum(full).eq(v[full as usize]));
    for (i, lo) in floors.iter().enumerate() {
        if let Some(lo) = lo {
            model.add_constraint(Expression::from(x[i]).geq(*lo));
        }
    }
    for &(m, level) in fixed {
        model.add_constraint(sum(m).eq(v[m as usize] - level));
    }
    for &m in free {
        model.add_constraint((sum(m) + t).geq(v[m as usize]));
    }
    if let Some((_, level)) = probe {
        model.add_constraint(Expression::from(t).eq(level));
    }
    let sol = model.solve().expect("oracle LP");
    let xs: Vec<f64> = x.iter().map(|xi| sol.value(*xi)).collect();
    let obj = match probe {
        None => sol.value(t),
        Some((m, _)) => {
            v[m as usize]
                - (0..n)
                    .filter(|i| m >> i & 1 == 1)
                    .map(|i| xs[i])
                    .sum::<f64>()
        }
    };
    (obj, xs)
}

/// The (pre)nucleolus by the classic sequential LPs (Maschler, Peleg and Shapley 1979): at
/// each level, fix every coalition whose excess cannot fall below it (one LP per coalition).
fn oracle(v: &[f64], n: usize, floors: &[Option<f64>]) -> Vec<f64> {
    let full = (1u64 << n) - 1;
    let mut free: Vec<u64> = (1..full).collect();
    let mut fixed: Vec<(u64, f64)> = Vec::new();
    let mut x = Vec::new();
    while !free.is_empty() {
        let (t, point) = stage_lp(v, n, floors, &fixed, &free, None);
        x = point;
        let now: Vec<u64> = free
            .iter()
            .copied()
            .filter(|&m| stage_lp(v, n, floors, &fixed, &free, Some((m, t))).0 >= t - 1e-7)
            .collect();
        assert!(!now.is_empty(), "no coalition fixed at level {t}");
        for m in now {
            free.retain(|&f| f != m);
            fixed.push((m, t));
        }
    }
    x
}

/// A game of player types: `v(S)` depends only on how many players of each type `S` holds
/// (players of one type are symmetric), with whole-number worths.
fn typed_game(rng: &mut Rng, types: &[usize]) -> Vec<f64> {
    let n = types.len();
    let k = types.iter().max().unwrap() + 1;
    let mut table = std::collections::HashMap::new();
    (0..1usize << n)
        .map(|m| {
            let mut counts = vec![0usize; k];
            for (i, &t) in types.iter().enumerate() {
                if m >> i & 1 == 1 {
                    counts[t] += 1;
                }
            }
            let size = counts.iter().sum::<usize>() as u64;
            if m == 0 {
                0.0
            } else {
                *table
                    .entry(counts)
                    .or_insert_with(|| (rng.below(3) as u64 * size + rng.below(2) as u64) as f64)
            }
        })
        .collect()
}

/// An assignment market of `a` sellers and `b` buyers with pair worths 0..=2 (many ties).
fn market(rng: &mut Rng, a: usize, b: usize, top: u64) -> Vec<f64> {
    let w: Vec<Vec<f64>> = (0..a)
        .map(|_| (0..b).map(|_| rng.below(top as usize + 1) as f64).collect())
        .collect();
    let rows: Vec<String> = (0..a).map(|i| format!("s{i}")).collect();
    let cols: Vec<String> = (0..b).map(|j| format!("b{j}")).collect();
    coalitional::Assignment::new(w, rows, cols)
        .unwrap()
        .to_game()
        .unwrap()
        .values()
        .to_vec()
}

fn voting(rng: &mut Rng, n: usize) -> Vec<f64> {
    let w: Vec<u64> = (0..n).map(|_| 1 + rng.below(3) as u64).collect();
    let q = w.iter().sum::<u64>() / 2 + 1;
    (0..1usize << n)
        .map(|m| {
            let s: u64 = (0..n).filter(|i| m >> i & 1 == 1).map(|i| w[i]).sum();
            f64::from(u8::from(s >= q))
        })
        .collect()
}

#[test]
fn tie_heavy_games_match_the_sequential_lps() {
    let mut rng = Rng(18);
    let mut cases = 0;
    for case in 0..20 {
        let (v, n) = match case % 4 {
            0 => {
                let (a, b) = (2 + case % 2, 2 + (case / 4) % 2);
                (market(&mut rng, a, b, 2), a + b)
            }
            1 => {
                let types = [0, 0, 0, 1, 1, 2][..4 + case % 3].to_vec();
                (typed_game(&mut rng, &types), types.len())
            }
            2 => {
                let n = 4 + case % 3;
                (voting(&mut rng, n), n)
            }
            _ => {
                let types = [0, 1, 0, 1, 0, 1][..4 + case % 3].to_vec();
                (typed_game(&mut rng, &types), types.len())
            }
        };
        let b: Vec<f64> = (0..n).map(|i| 1e6 * (i as f64 + 1.0)).collect();
        let c = 1e3;
        let g = scaled(&v, n, c, &b);
        let standalone: Vec<Option<f64>> = (0..n).map(|i| Some(v[1 << i])).collect();
        let imputations = (0..n).map(|i| v[1 << i]).sum::<f64>() <= v[(1 << n) - 1];
        let mut checks = vec![(
            "prenucleolus",
            g.prenucleolus(),
            oracle(&v, n, &vec![None; n]),
        )];
        if imputations {
            checks.push(("nucleolus", g.nucleolus(), oracle(&v, n, &standalone)));
        }
        for (concept, got, want) in checks {
            let got = got.unwrap_or_else(|e| panic!("case {case} {concept}: {e}"));
            for i in 0..n {
                let want = c * want[i] + b[i];
                assert!(
                    (got[i] - want).abs() <= 1e-6 * c,
                    "case {case} {concept}: player {i} {} vs {want}",
                    got[i]
                );
            }
            cases += 1;
        }
    }
    assert!(cases >= 30, "{cases} comparisons");
}

#[test]
fn symmetric_players_with_different_floors_are_not_held_equal() {
    // The 4-player majority game (v(S) = 1 when |S| >= 3): all players are symmetric, but a
    // floor of 0.4 on player 0 breaks it; the answer is the bounded nucleolus of the
    // sequential LPs (0.4 and 0.2 each), not an equal split.
    let n = 4;
    let v: Vec<f64> = (0..1usize << n)
        .map(|m| f64::from(u8::from(m.count_ones() >= 3)))
        .collect();
    let g = Game::new(names(n), v.clone()).unwrap();
    let bounds = Bounds::open(n).with_floor(0, 0.4);
    let got = g.nucleolus_within(&bounds).unwrap();
    let floors: Vec<Option<f64>> = (0..n)
        .map(|i| Some(if i == 0 { 0.4 } else { v[1 << i] }))
        .collect();
    let want = oracle(&v, n, &floors);
    for i in 0..n {
        assert!(
            (got[i] - want[i]).abs() <= 1e-9,
            "player {i}: {} vs {}",
            got[i],
            want[i]
        );
    }
    assert!((got[0] - 0.4).abs() <= 1e-9 && (got[1] - 0.2).abs() <= 1e-9);
}

#[test]
fn markets_with_huge_tie_levels_are_solved_and_verified() {
    // 8 x 8 markets with pair worths 0..=3: levels of thousands of tied coalitions (the
    // polish and the Kohlberg check stream those above 4,096). The core is nonempty
    // (Shapley and Shubik 1972), so the nucleolus lies in it and equals the prenucleolus.
    let mut rng = Rng(2026);
    for case in 0..3 {
        let v = market(&mut rng, 8, 8, 3);
        let n = 16;
        let g = Game::new(names(n), v.clone()).unwrap();
        let nu = g.nucleolus().unwrap_or_else(|e| panic!("case {case}: {e}"));
        let pre = g
            .prenucleolus()
            .unwrap_or_else(|e| panic!("case {case}: {e}"));
        let total: f64 = nu.values().iter().sum();
        assert!((total - v[(1 << n) - 1]).abs() <= 1e-9);
        for i in 0..n {
            assert!((nu[i] - pre[i]).abs() <= 1e-9, "case {case} player {i}");
        }
        for (m, &worth) in v.iter().enumerate().take((1 << n) - 1).skip(1) {
            let x: f64 = Coalition::from_mask(m as u64)
                .members()
                .map(|i| nu[i])
                .sum();
            assert!(x >= worth - 1e-9, "case {case}: coalition {m:#x} blocks");
        }
    }
}
