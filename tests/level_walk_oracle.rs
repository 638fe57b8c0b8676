//! An independent check of the level walks (next level's top from the band pass, surveys, grown spans), the
//! candidate list and the symmetric-pair runs: the dense (pre)nucleolus and its weighted and
//! structured variants against a classic sequential-LP oracle written here over all
//! coalitions (the coalitions fixed at each level found by maximising their slacks on the
//! optimal face, repeated until none can be slack), on tie-heavy small games; at n = 14..16,
//! games with tie levels of more than 4,096 coalitions (the streamed paths) against closed
//! forms (null players get their standalone values in the (pre)nucleolus).

mod common;

use common::{names, SplitMix as Gen};

use coalitional::Game;
use good_lp::{microlp, variable, Expression, ProblemVariables, Solution, SolverModel, Variable};

fn ones(m: u64) -> impl Iterator<Item = usize> {
    (0..64).filter(move |i| m >> i & 1 == 1)
}

/// Orthonormal basis (Gram-Schmidt, twice) for the rank of the fixed coalitions.
struct Basis {
    n: usize,
    q: Vec<Vec<f64>>,
}

impl Basis {
    fn residual(&self, m: u64) -> Vec<f64> {
        let mut r: Vec<f64> = (0..self.n).map(|i| (m >> i & 1) as f64).collect();
        for _ in 0..2 {
            for q in &self.q {
                let d: f64 = q.iter().zip(&r).map(|(a, b)| a * b).sum();
                r.iter_mut().zip(q).for_each(|(x, y)| *x -= d * y);
            }
        }
        r
    }
    fn contains(&self, m: u64) -> bool {
        self.residual(m).iter().map(|x| x * x).sum::<f64>().sqrt() < 1e-9
    }
    fn add(&mut self, m: u64) -> bool {
        let r = self.residual(m);
        let norm = r.iter().map(|x| x * x).sum::<f64>().sqrt();
        if norm < 1e-9 {
            return false;
        }
        self.q.push(r.into_iter().map(|x| x / norm).collect());
        true
    }
}

/// The (pre)nucleolus of the zero-normalised worths `w` with excess weights `wt` (positive),
/// `floors` = imputations (`y_i >= 0`), `blocks` held at `y(B) = w(B)` (else `y(N) = w(N)`),
/// by the classic sequential LPs over all coalitions.
fn oracle(w: &[f64], n: usize, wt: &dyn Fn(u64) -> f64, floors: bool, blocks: &[u64]) -> Vec<f64> {
    let full = (1u64 << n) - 1;
    let scale = w.iter().fold(0.0f64, |a, b| a.max(b.abs())).max(1e-300);
    let wmax = (1..full).map(wt).fold(0.0f64, f64::max);
    let v = |m: u64| w[m as usize] / scale;
    let c = |m: u64| wt(m) / wmax;
    let mut basis = Basis { n, q: Vec::new() };
    let mut eqs: Vec<(u64, f64)> = Vec::new();
    let starts: Vec<u64> = if blocks.is_empty() {
        vec![full]
    } else {
        blocks.to_vec()
    };
    for b in starts {
        basis.add(b);
        eqs.push((b, v(b)));
    }
    let mut free: Vec<u64> = (1..full).filter(|&m| !basis.contains(m)).collect();
    // One LP: `min t` (probe None) or, with `t <= t*` and the coalitions of `probe` given
    // slacks s_S in [0, 1], `max sum s_S`.
    let solve = |eqs: &[(u64, f64)], free: &[u64], probe: Option<(&[u64], f64)>| {
        let mut vars = ProblemVariables::new();
        let y: Vec<Variable> = (0..n)
            .map(|_| {
                if floors {
                    vars.add(variable().min(0.0))
                } else {
                    vars.add(variable())
                }
            })
            .collect();
        let t = vars.add(variable());
        let ns = probe.map_or(0, |p| p.0.len());
        let s: Vec<Variable> = (0..ns)
            .map(|_| vars.add(variable().min(0.0).max(1.0)))
            .collect();
        let sum = |m: u64| -> Expression { ones(m).map(|i| y[i]).sum() };
        let objective: Expression = match probe {
            None => t.into(),
            Some(_) => -s.iter().copied().sum::<Expression>(),
        };
        let mut model = vars.minimise(objective).using(microlp);
        for &(m, r) in eqs {
            model.add_constraint(sum(m).eq(r));
        }
        for &m in free {
            let k = probe.and_then(|p| p.0.iter().position(|&q| q == m));
            let lhs = sum(m) + c(m) * t;
            match k {
                Some(k) => model.add_constraint((lhs - s[k]).geq(v(m))),
                None => model.add_constraint(lhs.geq(v(m))),
            };
        }
        if let Some((_, level)) = probe {
            model.add_constraint(Expression::from(t).leq(level));
        }
        if free.is_empty() {
            model.add_constraint(Expression::from(t).eq(0.0));
        }
        let sol = model.solve().expect("oracle LP");
        let ys: Vec<f64> = y.iter().map(|&q| sol.value(q)).collect();
        let ss: Vec<f64> = s.iter().map(|&q| sol.value(q)).collect();
        (sol.value(t), ys, ss)
    };
    let mut last = Vec::new();
    let mut guard = 0;
    while basis.q.len() < n {
        guard += 1;
        assert!(guard <= 4 * n + 4, "oracle: no progress");
        let (t, y, _) = solve(&eqs, &free, None);
        let ex = |m: u64| (v(m) - ones(m).map(|i| y[i]).sum::<f64>()) / c(m);
        let mut tight: Vec<u64> = free
            .iter()
            .copied()
            .filter(|&m| ex(m) >= t - 1e-7)
            .collect();
        loop {
            assert!(!tight.is_empty(), "oracle: nothing to fix at {t}");
            let (_, _, s) = solve(&eqs, &free, Some((&tight, t + 1e-11)));
            let before = tight.len();
            let keep: Vec<u64> = tight
                .iter()
                .zip(&s)
                .filter(|(_, &sl)| sl <= 1e-7)
                .map(|(&m, _)| m)
                .collect();
            tight = keep;
            if tight.len() == before {
                break;
            }
        }
        for &m in &tight {
            if basis.add(m) {
                eqs.push((m, v(m) - c(m) * t));
            }
        }
        free.retain(|&m| !tight.contains(&m) && !basis.contains(m));
        last = y;
        if basis.q.len() == n {
            // The last fixed equalities pin y; solve them once more for the point.
            let (_, y, _) = solve(&eqs, &[], None);
            last = y;
        }
    }
    if last.is_empty() {
        // Fixed by the blocks and N alone.
        let (_, y, _) = solve(&eqs, &[], None);
        last = y;
    }
    last.iter().map(|x| x * scale).collect()
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Concept {
    Pre,
    Nuc,
    PerCapita,
    Proportional,
    Disruption,
}

/// The oracle for `concept` on the game values `vals` (as given, value game).
fn want(vals: &[f64], n: usize, concept: Concept, blocks: &[u64]) -> Vec<f64> {
    let full = (1u64 << n) - 1;
    let b: Vec<f64> = (0..n).map(|i| vals[1 << i]).collect();
    let bs = |m: u64| ones(m).map(|i| b[i]).sum::<f64>();
    let w: Vec<f64> = (0..=full).map(|m| vals[m as usize] - bs(m)).collect();
    let y = match concept {
        Concept::Pre => oracle(&w, n, &|_| 1.0, false, blocks),
        Concept::Nuc => oracle(&w, n, &|_| 1.0, true, blocks),
        Concept::PerCapita => oracle(&w, n, &|m| m.count_ones() as f64, true, blocks),
        Concept::Proportional => oracle(&w, n, &|m| vals[m as usize], true, blocks),
        Concept::Disruption => oracle(
            &w,
            n,
            &|m| w[full as usize] - w[m as usize] - w[(full & !m) as usize],
            true,
            blocks,
        ),
    };
    y.iter().zip(&b).map(|(a, c)| a + c).collect()
}

fn got(g: &Game, concept: Concept, blocks: &[Vec<usize>]) -> coalitional::Result<Vec<f64>> {
    let r = if !blocks.is_empty() {
        g.structured_nucleolus(blocks)
    } else {
        match concept {
            Concept::Pre => g.prenucleolus(),
            Concept::Nuc => g.nucleolus(),
            Concept::PerCapita => g.per_capita_nucleolus(),
            Concept::Proportional => g.proportional_nucleolus(),
            Concept::Disruption => g.disruption_nucleolus(),
        }
    };
    r.map(|a| a.values().to_vec())
}

/// The spread of the zero-normalised game: the tolerance's scale.
fn spread(vals: &[f64], n: usize) -> f64 {
    let b: Vec<f64> = (0..n).map(|i| vals[1 << i]).collect();
    (0..vals.len() as u64)
        .map(|m| (vals[m as usize] - ones(m).map(|i| b[i]).sum::<f64>()).abs())
        .fold(0.0f64, f64::max)
        .max(1.0)
}

/// Small tie-heavy families.
fn family(kind: u64, n: usize, r: &mut Gen) -> Vec<f64> {
    let full = (1usize << n) - 1;
    let mut v = vec![0.0; full + 1];
    match kind {
        // Integer worths 0..3, v(N) large enough for imputations.
        0 => {
            for (m, x) in v.iter_mut().enumerate().skip(1) {
                *x = if m.count_ones() == 1 {
                    0.0
                } else {
                    r.below(4) as f64
                };
            }
            v[full] = 3.0 + r.below(3) as f64;
        }
        // Glove games, unequal sides.
        1 => {
            let l = 1 + r.below(n as u64 - 1) as usize;
            for (m, x) in v.iter_mut().enumerate() {
                let left = (m & ((1 << l) - 1)).count_ones();
                let right = (m >> l).count_ones();
                *x = f64::from(left.min(right));
            }
        }
        // Weighted voting with repeated weights.
        2 => {
            let ws: Vec<u64> = (0..n).map(|_| 1 + r.below(3)).collect();
            let total: u64 = ws.iter().sum();
            let quota = total / 2 + 1;
            for (m, x) in v.iter_mut().enumerate() {
                let s: u64 = ones(m as u64).map(|i| ws[i]).sum();
                *x = if s >= quota { 1.0 } else { 0.0 };
            }
        }
        // Assignment-like: buyers 0..k, sellers k..n, integer gains 0..3, v(S) the best
        // matching inside S.
        3 => {
            let k = n / 2;
            let gain: Vec<Vec<f64>> = (0..k)
                .map(|_| (k..n).map(|_| r.below(4) as f64).collect())
                .collect();
            for (m, x) in v.iter_mut().enumerate() {
                *x = best_matching(m as u64, k, n, &gain);
            }
        }
        // Integer worths 0..1 on the pairs and larger coalitions, v(N) = 2.
        _ => {
            for (m, x) in v.iter_mut().enumerate().skip(1) {
                *x = if m.count_ones() < 2 {
                    0.0
                } else {
                    r.below(2) as f64
                };
            }
            v[full] = 2.0;
        }
    }
    v
}

fn best_matching(m: u64, k: usize, n: usize, gain: &[Vec<f64>]) -> f64 {
    // Buyers in m, sellers in m; exhaustive over buyers (k <= 6).
    fn go(b: usize, k: usize, n: usize, m: u64, used: u64, gain: &[Vec<f64>]) -> f64 {
        if b == k {
            return 0.0;
        }
        let mut best = go(b + 1, k, n, m, used, gain);
        if m >> b & 1 == 1 {
            for s in k..n {
                if m >> s & 1 == 1 && used >> s & 1 == 0 {
                    let g = gain[b][s - k] + go(b + 1, k, n, m, used | 1 << s, gain);
                    best = best.max(g);
                }
            }
        }
        best
    }
    go(0, k, n, m, 0, gain)
}

/// `c v + b(S)`: budget-scale copy.
fn budget(v: &[f64], _n: usize, c: f64, b: &[f64]) -> Vec<f64> {
    (0..v.len())
        .map(|m| c * v[m] + ones(m as u64).map(|i| b[i]).sum::<f64>())
        .collect()
}

fn check(vals: &[f64], n: usize, concept: Concept, blocks: &[Vec<usize>], what: &str) -> bool {
    let g = Game::new(names(n), vals.to_vec()).unwrap();
    let masks: Vec<u64> = blocks
        .iter()
        .map(|b| b.iter().map(|&i| 1u64 << i).sum())
        .collect();
    let want = want(vals, n, concept, &masks);
    let tol = 1e-6 * spread(vals, n);
    match got(&g, concept, blocks) {
        Ok(x) => {
            let bad = x.iter().zip(&want).any(|(a, b)| (a - b).abs() > tol);
            if bad {
                eprintln!("MISMATCH {what} {concept:?}: got {x:?}\n want {want:?}\n vals {vals:?}");
            }
            !bad
        }
        Err(e) => {
            eprintln!("ERROR {what} {concept:?}: {e}\n want {want:?}\n vals {vals:?}");
            false
        }
    }
}

#[test]
fn tie_heavy_small_games_match_the_sequential_lp_oracle() {
    let mut r = Gen(2024);
    let mut failures = 0;
    let mut cases = 0;
    for case in 0..96u64 {
        let n = 3 + (case % 6) as usize; // 3..8
        let kind = case % 5;
        let v = family(kind, n, &mut r);
        let concepts: &[Concept] = if case % 3 == 0 {
            &[Concept::Pre, Concept::Nuc, Concept::PerCapita]
        } else {
            &[Concept::Pre, Concept::Nuc]
        };
        for &concept in concepts {
            cases += 1;
            if !check(
                &v,
                n,
                concept,
                &[],
                &format!("case {case} kind {kind} n {n}"),
            ) {
                failures += 1;
            }
        }
        // Budgets of 1e9 with small surpluses.
        if case % 4 == 1 {
            let b: Vec<f64> = (0..n).map(|i| 1e9 + 7.0 * i as f64).collect();
            let vb = budget(&v, n, 1.0, &b);
            for concept in [Concept::Pre, Concept::Nuc] {
                cases += 1;
                if !check(
                    &vb,
                    n,
                    concept,
                    &[],
                    &format!("budget case {case} kind {kind}"),
                ) {
                    failures += 1;
                }
            }
        }
    }
    assert_eq!(failures, 0, "{failures} of {cases} failed");
}

#[test]
fn weighted_and_structured_nucleoli_match_the_oracle() {
    let mut r = Gen(77);
    let mut failures = 0;
    let mut cases = 0;
    for case in 0..60u64 {
        let n = 3 + (case % 6) as usize; // 3..8
        let kind = case % 5;
        let base = family(kind, n, &mut r);
        let full = (1usize << n) - 1;
        // Proportional: worths made positive (|S| added), v(N) raised to keep imputations.
        let pos: Vec<f64> = (0..=full)
            .map(|m| {
                if m == 0 {
                    0.0
                } else {
                    base[m] + m.count_ones() as f64
                }
            })
            .collect();
        cases += 1;
        if !check(
            &pos,
            n,
            Concept::Proportional,
            &[],
            &format!("prop case {case}"),
        ) {
            failures += 1;
        }
        // Disruption: strictly superadditive across complements (v(N) raised).
        let mut dis = base.clone();
        let most = (1..full)
            .map(|m| base[m] + base[full & !m])
            .fold(0.0f64, f64::max);
        dis[full] = most + 1.0 + r.below(3) as f64;
        cases += 1;
        if !check(
            &dis,
            n,
            Concept::Disruption,
            &[],
            &format!("disruption case {case}"),
        ) {
            failures += 1;
        }
        cases += 1;
        if !check(
            &dis,
            n,
            Concept::PerCapita,
            &[],
            &format!("per-capita case {case}"),
        ) {
            failures += 1;
        }
        // Structured: a random partition, worths made superadditive-ish (monotone in size).
        let mono: Vec<f64> = (0..=full)
            .map(|m| base[m] + if m.count_ones() > 1 { 1.0 } else { 0.0 })
            .collect();
        let mut blocks: Vec<Vec<usize>> = Vec::new();
        for i in 0..n {
            let k = r.below(blocks.len() as u64 + 1) as usize;
            if k == blocks.len() {
                blocks.push(vec![i]);
            } else {
                blocks[k].push(i);
            }
        }
        cases += 1;
        if !check(
            &mono,
            n,
            Concept::Nuc,
            &blocks,
            &format!("structured case {case} {blocks:?}"),
        ) {
            failures += 1;
        }
        if case % 3 == 0 {
            let b: Vec<f64> = (0..n).map(|i| 1e9 + 3.0 * i as f64).collect();
            let vb = budget(&mono, n, 1.0, &b);
            cases += 1;
            if !check(
                &vb,
                n,
                Concept::Nuc,
                &blocks,
                &format!("structured budget {case}"),
            ) {
                failures += 1;
            }
            let vb = budget(&dis, n, 1.0, &b);
            cases += 1;
            if !check(
                &vb,
                n,
                Concept::PerCapita,
                &[],
                &format!("per-capita budget {case}"),
            ) {
                failures += 1;
            }
        }
    }
    assert_eq!(failures, 0, "{failures} of {cases} failed");
}

#[test]
fn ten_and_eleven_players_match_the_oracle() {
    let mut r = Gen(5);
    let mut failures = 0;
    for (case, &(n, kind)) in [(10usize, 0u64), (11, 3)].iter().enumerate() {
        let v = family(kind, n, &mut r);
        for concept in [Concept::Pre, Concept::Nuc] {
            if !check(
                &v,
                n,
                concept,
                &[],
                &format!("large case {case} kind {kind} n {n}"),
            ) {
                failures += 1;
            }
        }
    }
    assert_eq!(failures, 0);
}

// ---- n = 14..16: tie levels of more than 4,096 coalitions ----

/// `u` on the players `0..a` (a game of `a` players), the others null: every level of the
/// nucleolus holds `2^(n-a)` coalitions or more.
fn null_extended(u: &[f64], a: usize, n: usize) -> Vec<f64> {
    let low = (1usize << a) - 1;
    (0..1usize << n).map(|m| u[m & low]).collect()
}

/// The large cases: (label, players of the game proper, n, values), null players added.
fn large_cases() -> Vec<(String, usize, usize, Vec<f64>)> {
    let mut r = Gen(99);
    let mut out = Vec::new();
    for (k, &(a, n)) in [(3usize, 14usize), (4, 15), (3, 16), (4, 16)]
        .iter()
        .enumerate()
    {
        let mut u = family(0, a, &mut r);
        u[(1 << a) - 1] = 4.0 + r.below(3) as f64;
        let v = null_extended(&u, a, n);
        out.push((format!("null {k} a {a} n {n}"), a, n, v.clone()));
        let b: Vec<f64> = (0..n).map(|i| 1e9 + 5.0 * i as f64).collect();
        out.push((
            format!("null budget {k} a {a} n {n}"),
            a,
            n,
            budget(&v, n, 1.0, &b),
        ));
    }
    out
}

#[test]
fn huge_tie_levels_give_null_players_their_standalone_values() {
    // Null players (with standalone values b_i at budgets) get b_i in the (pre)nucleolus, and
    // the others the (pre)nucleolus of the game on their own (the oracle): every excess level
    // holds 2^(n - a) coalitions or more, so the levels are streamed.
    let mut failures = Vec::new();
    for (label, a, n, vals) in large_cases() {
        let g = Game::new(names(n), vals.clone()).unwrap();
        let low = (1usize << a) - 1;
        let small: Vec<f64> = (0..=low).map(|m| vals[m]).collect();
        for concept in [Concept::Nuc, Concept::Pre] {
            let r = got(&g, concept, &[]).map_err(|e| e.code().to_string());
            let mut want = want(&small, a, concept, &[]);
            want.extend((a..n).map(|i| vals[1 << i]));
            let tol = 1e-6 * spread(&small, a);
            match &r {
                Ok(x) if x.iter().zip(&want).all(|(p, q)| (p - q).abs() <= tol) => {}
                other => failures.push(format!("{label} {concept:?}: {other:?} vs {want:?}")),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
