//! Scale and shift covariance (issue 12): an oracle written from the mathematics.
//!
//! A game `v` and `g2 = c v + a` (`c > 0`, `a(S) = sum_{i in S} a_i` an additive game) are
//! strategically equivalent (Peleg and Sudhölter 2007, §2.1). Every solution concept of this
//! crate is covariant under that map: the Shapley, Banzhaf (raw), Owen and tau values, the
//! marginal vectors, the nucleolus and prenucleolus, the core and its vertices map by
//! `x -> c x + a`; the least core's epsilon and the cost of stability scale by `c` and ignore
//! `a`; yes/no answers (core emptiness, core membership of the mapped point, "is undefined")
//! do not change. So a solver's answer on `g2` must be `c` times its answer on `v`, plus `a`,
//! whatever `c` and `a` are.
//!
//! Expected values come from outside the solvers: closed forms, brute force over coalitions or
//! joining orders in this file, exact certificates in `tests/data/scale_cases.json` checked
//! here in rational arithmetic, or, for the LP-based concepts, the library's answer on the
//! small unshifted base game (integers in about [-100, 100]): covariance is the claim under
//! test, not the base answer.
//!
//! **Tolerances** are relative to the spread of the base game (what cooperation adds,
//! `max |v(S) - sum_{i in S} v({i})|`), never to the largest input, plus the rounding of the
//! inputs themselves: `c v + a` is stored as f64, and no solver can be more exact than the
//! numbers it is given (`64 n eps max |g2|`). Combinations in which that rounding exceeds
//! `1e-3 c spread` are skipped: there the game as a vector of floats no longer holds its own
//! surplus.

mod common;

use common::{names, SplitMix as Rng};

use std::cmp::Ordering;
use std::ops::{Add, Mul, Sub};

use coalitional::settle::{settle, OUTSIDE};
use coalitional::{Allocation, Error, Game, Kind};
use proptest::prelude::*;
use proptest::test_runner::{RngSeed, TestCaseError};
use serde_json::Value;

const DATA: &str = include_str!("data/scale_cases.json");
const EPS: f64 = f64::EPSILON;

// ---------------------------------------------------------------------------------------------
// Exact rationals for the certificates and the expected answers.

/// A rational number `p / q` in lowest terms, `q > 0`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Q {
    p: i128,
    q: i128,
}

fn gcd(a: i128, b: i128) -> i128 {
    let (mut a, mut b) = (a.abs(), b.abs());
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

impl Q {
    fn new(p: i128, q: i128) -> Q {
        assert!(q != 0, "zero denominator");
        let g = gcd(p, q).max(1);
        let s = q.signum();
        Q {
            p: s * p / g,
            q: s * q / g,
        }
    }

    fn int(p: i128) -> Q {
        Q { p, q: 1 }
    }

    /// `"p/q"`, an integer, or a plain decimal such as `"-10000.35"`, read exactly.
    fn parse(s: &str) -> Q {
        let s = s.trim();
        if let Some((a, b)) = s.split_once('/') {
            return Q::new(a.trim().parse().unwrap(), b.trim().parse().unwrap());
        }
        if let Some((whole, frac)) = s.split_once('.') {
            let neg = whole.starts_with('-');
            let digits: i128 = format!("{}{}", whole.trim_start_matches('-'), frac)
                .parse()
                .unwrap();
            let q = 10i128.pow(frac.len() as u32);
            return Q::new(if neg { -digits } else { digits }, q);
        }
        Q::int(s.parse().unwrap())
    }

    fn from_json(v: &Value) -> Q {
        match v {
            Value::Number(x) => Q::int(x.as_i64().expect("JSON numbers must be integers") as i128),
            Value::String(s) => Q::parse(s),
            other => panic!("not a number: {other}"),
        }
    }

    /// The nearest f64 (one correctly rounded division of two exactly representable integers).
    fn f64(self) -> f64 {
        assert!(
            self.p.abs() < 1 << 53 && self.q < 1 << 53,
            "{self:?} is too long"
        );
        self.p as f64 / self.q as f64
    }
}

impl Add for Q {
    type Output = Q;
    fn add(self, o: Q) -> Q {
        Q::new(self.p * o.q + o.p * self.q, self.q * o.q)
    }
}

impl Sub for Q {
    type Output = Q;
    fn sub(self, o: Q) -> Q {
        Q::new(self.p * o.q - o.p * self.q, self.q * o.q)
    }
}

impl Mul for Q {
    type Output = Q;
    fn mul(self, o: Q) -> Q {
        Q::new(self.p * o.p, self.q * o.q)
    }
}

impl PartialOrd for Q {
    fn partial_cmp(&self, o: &Q) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl Ord for Q {
    fn cmp(&self, o: &Q) -> Ordering {
        (self.p * o.q).cmp(&(o.p * self.q))
    }
}

fn qs(v: &Value) -> Vec<Q> {
    v.as_array().unwrap().iter().map(Q::from_json).collect()
}

fn floats(v: &Value) -> Vec<f64> {
    qs(v).into_iter().map(Q::f64).collect()
}

fn data() -> Value {
    serde_json::from_str(DATA).unwrap()
}

/// A least-core certificate checked exactly: `point` is efficient and its largest excess over
/// the proper coalitions is `epsilon` (so `epsilon* <= epsilon`); the weights are nonnegative,
/// sum to 1, give every player the same total `cover` and value `epsilon` in the dual,
/// `sum lambda_S v(S) - cover v(N)` (so `epsilon* >= epsilon`, weak LP duality). Returns
/// `(epsilon, point, the coalitions with positive weight)`.
fn check_least_core_certificate(v: &[Q], cert: &Value) -> (Q, Vec<Q>, Vec<usize>) {
    let size = v.len();
    let n = size.trailing_zeros() as usize;
    let full = size - 1;
    let eps = Q::from_json(&cert["epsilon"]);
    let x = qs(&cert["point"]);
    let total = x.iter().fold(Q::int(0), |a, &b| a + b);
    assert_eq!(total, v[full], "the certified point is not efficient");
    let excess = |m: usize| {
        (0..n)
            .filter(|i| m >> i & 1 == 1)
            .fold(v[m], |e, i| e - x[i])
    };
    let largest = (1..full).map(excess).max().unwrap();
    assert_eq!(largest, eps, "the certified point's largest excess");
    let cover = Q::from_json(&cert["cover"]);
    let mut weight_sum = Q::int(0);
    let mut per_player = vec![Q::int(0); n];
    let mut dual = Q::int(0) - cover * v[full];
    let mut carried = Vec::new();
    for (mask, w) in cert["weights"].as_object().unwrap() {
        let m: usize = mask.parse().unwrap();
        let w = Q::from_json(w);
        assert!(m > 0 && m < full && w > Q::int(0));
        carried.push(m);
        weight_sum = weight_sum + w;
        dual = dual + w * v[m];
        for (i, c) in per_player.iter_mut().enumerate() {
            if m >> i & 1 == 1 {
                *c = *c + w;
            }
        }
    }
    assert_eq!(weight_sum, Q::int(1), "the weights must sum to 1");
    assert!(per_player.iter().all(|&c| c == cover), "unbalanced weights");
    assert_eq!(dual, eps, "the dual bound");
    (eps, x, carried)
}

/// The rank of the 0/1 indicator vectors of `masks` over `n` players (exact elimination).
fn rank(masks: &[usize], n: usize) -> usize {
    let mut rows: Vec<Vec<Q>> = masks
        .iter()
        .map(|m| (0..n).map(|i| Q::int((m >> i & 1) as i128)).collect())
        .collect();
    let mut r = 0;
    for col in 0..n {
        let Some(p) = (r..rows.len()).find(|&k| rows[k][col] != Q::int(0)) else {
            continue;
        };
        rows.swap(r, p);
        for k in 0..rows.len() {
            if k != r && rows[k][col] != Q::int(0) {
                let f = Q::new(
                    rows[k][col].p * rows[r][col].q,
                    rows[k][col].q * rows[r][col].p,
                );
                let pivot = rows[r].clone();
                for (a, b) in rows[k].iter_mut().zip(pivot) {
                    *a = *a - f * b;
                }
            }
        }
        r += 1;
    }
    r
}

// ---------------------------------------------------------------------------------------------
// Games and brute-force references.

fn game(values: Vec<f64>, kind: Kind) -> Game {
    let n = values.len().trailing_zeros() as usize;
    Game::with_kind(names(n), values, kind).unwrap()
}

fn players_of(values: &[f64]) -> usize {
    values.len().trailing_zeros() as usize
}

fn members(mask: usize, n: usize) -> impl Iterator<Item = usize> {
    (0..n).filter(move |i| mask >> i & 1 == 1)
}

/// `max_S |v(S) - sum_{i in S} v({i})|`, at least 1: the scale of what cooperation adds.
fn spread(values: &[f64]) -> f64 {
    let n = players_of(values);
    (1..values.len())
        .map(|m| (values[m] - members(m, n).map(|i| values[1 << i]).sum::<f64>()).abs())
        .fold(1.0, f64::max)
}

fn max_abs(values: &[f64]) -> f64 {
    values.iter().fold(0.0, |m, v| m.max(v.abs()))
}

/// The rounding of a game's own numbers: `64 n eps max |v|` (see the module docs).
fn input_rounding(values: &[f64]) -> f64 {
    64.0 * players_of(values) as f64 * EPS * max_abs(values)
}

/// The spacing of the floats at `x`.
fn ulp(x: f64) -> f64 {
    let x = x.abs();
    if x == 0.0 {
        f64::MIN_POSITIVE
    } else {
        f64::from_bits(x.to_bits() + 1) - x
    }
}

fn factorial(k: usize) -> f64 {
    (1..=k).map(|i| i as f64).product()
}

/// `phi_i = sum_{S not containing i} |S|! (n-|S|-1)! / n! (v(S + i) - v(S))`.
fn shapley_brute(v: &[f64]) -> Vec<f64> {
    let n = players_of(v);
    (0..n)
        .map(|i| {
            (0..v.len())
                .filter(|s| s >> i & 1 == 0)
                .map(|s| {
                    let k = s.count_ones() as usize;
                    factorial(k) * factorial(n - k - 1) / factorial(n) * (v[s | 1 << i] - v[s])
                })
                .sum()
        })
        .collect()
}

/// The raw Banzhaf value `2^-(n-1) sum_{S not containing i} (v(S + i) - v(S))`.
fn banzhaf_brute(v: &[f64]) -> Vec<f64> {
    let n = players_of(v);
    (0..n)
        .map(|i| {
            (0..v.len())
                .filter(|s| s >> i & 1 == 0)
                .map(|s| v[s | 1 << i] - v[s])
                .sum::<f64>()
                / (1u64 << (n - 1)) as f64
        })
        .collect()
}

fn marginal_brute(v: &[f64], order: &[usize]) -> Vec<f64> {
    let mut m = vec![0.0; order.len()];
    let mut joined = 0usize;
    for &i in order {
        m[i] = v[joined | 1 << i] - v[joined];
        joined |= 1 << i;
    }
    m
}

fn permutations(n: usize) -> Vec<Vec<usize>> {
    if n == 0 {
        return vec![vec![]];
    }
    let mut out = Vec::new();
    for p in permutations(n - 1) {
        for pos in 0..=p.len() {
            let mut q = p.clone();
            q.insert(pos, n - 1);
            out.push(q);
        }
    }
    out
}

/// The Owen value by its definition: the average marginal vector over the joining orders in
/// which the members of every union arrive one after another.
fn owen_brute(v: &[f64], unions: &[Vec<usize>]) -> Vec<f64> {
    let n = players_of(v);
    let union_of: Vec<usize> = (0..n)
        .map(|i| unions.iter().position(|u| u.contains(&i)).unwrap())
        .collect();
    let mut sum = vec![0.0; n];
    let mut count = 0.0;
    for order in permutations(n) {
        // Consistent: once a union has started, it finishes before another one appears.
        let mut done = vec![false; unions.len()];
        let mut ok = true;
        for w in order.windows(2) {
            let (a, b) = (union_of[w[0]], union_of[w[1]]);
            if a != b {
                done[a] = true;
                if done[b] {
                    ok = false;
                }
            }
        }
        if ok {
            for (s, m) in sum.iter_mut().zip(marginal_brute(v, &order)) {
                *s += m;
            }
            count += 1.0;
        }
    }
    sum.iter().map(|s| s / count).collect()
}

/// The tau value from its definition (Tijs 1981) on the benefit game `w = sign v`: utopia
/// payoffs `M_i = w(N) - w(N - i)`, minimal rights `m_i = max_{S containing i} w(S) -
/// sum_{j in S - i} M_j`, and `tau = m + lambda (M - m)` efficient, defined when `m <= M` and
/// `sum m <= w(N) <= sum M`. Also returns the smallest absolute slack of those conditions (0
/// when one of them holds with equality).
fn tau_brute(v: &[f64], sign: f64) -> (Option<Vec<f64>>, f64) {
    let n = players_of(v);
    let full = v.len() - 1;
    let w: Vec<f64> = v.iter().map(|x| sign * x).collect();
    let utopia: Vec<f64> = (0..n).map(|i| w[full] - w[full & !(1 << i)]).collect();
    let minimal: Vec<f64> = (0..n)
        .map(|i| {
            (1..v.len())
                .filter(|s| s >> i & 1 == 1)
                .map(|s| {
                    w[s] - members(s, n)
                        .filter(|&j| j != i)
                        .map(|j| utopia[j])
                        .sum::<f64>()
                })
                .fold(f64::NEG_INFINITY, f64::max)
        })
        .collect();
    let (sum_m, sum_u): (f64, f64) = (minimal.iter().sum(), utopia.iter().sum());
    let mut slacks: Vec<f64> = (0..n).map(|i| utopia[i] - minimal[i]).collect();
    slacks.push(w[full] - sum_m);
    slacks.push(sum_u - w[full]);
    let least = slacks.iter().fold(f64::INFINITY, |m, s| m.min(s.abs()));
    let tol = 1e-9 * spread(v);
    if slacks.iter().any(|&s| s < -tol) {
        return (None, least);
    }
    let tau: Vec<f64> = if sum_u - sum_m > tol {
        let lambda = (w[full] - sum_m) / (sum_u - sum_m);
        (0..n)
            .map(|i| minimal[i] + lambda * (utopia[i] - minimal[i]))
            .collect()
    } else {
        utopia
    };
    (Some(tau.iter().map(|t| sign * t).collect()), least)
}

/// The largest excess over the proper nonempty coalitions: `sign (v(S) - x(S))`.
fn max_excess(v: &[f64], sign: f64, x: &[f64]) -> f64 {
    let n = players_of(v);
    (1..v.len() - 1)
        .map(|m| sign * (v[m] - members(m, n).map(|i| x[i]).sum::<f64>()))
        .fold(f64::NEG_INFINITY, f64::max)
}

fn sign_of(kind: Kind) -> f64 {
    match kind {
        Kind::Value => 1.0,
        Kind::Cost => -1.0,
    }
}

// ---------------------------------------------------------------------------------------------
// Random base games, in families.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Family {
    /// Integer values in [-100, 100].
    Random,
    /// Weighted majority (simple) games, values 0 or 1.
    Simple,
    /// Convex: additive part plus nonnegative unanimity dividends.
    Convex,
    /// Bankruptcy games `max(0, E - sum of claims outside S)`.
    Bankruptcy,
    /// Airport cost games `c(S) = max_{i in S} k_i` (kind cost).
    Airport,
    /// Cost games `c(S) = sum K_i - s(S)` with random savings (kind cost).
    Cost,
}

const FAMILIES: [Family; 6] = [
    Family::Random,
    Family::Simple,
    Family::Convex,
    Family::Bankruptcy,
    Family::Airport,
    Family::Cost,
];

/// Players 0 and 1 exchanged.
fn swap01(m: usize) -> usize {
    (m & !3) | (m & 1) << 1 | (m >> 1 & 1)
}

/// A base game with integer values; with `symmetric`, players 0 and 1 are interchangeable.
fn base_game(family: Family, n: usize, seed: u64, symmetric: bool) -> (Vec<f64>, Kind) {
    let mut r = Rng(seed);
    let size = 1usize << n;
    let param = |r: &mut Rng, lo: i64, hi: i64| -> Vec<i64> {
        let mut p: Vec<i64> = (0..n).map(|_| r.int(lo, hi)).collect();
        if symmetric {
            p[1] = p[0];
        }
        p
    };
    let table = |r: &mut Rng, lo: i64, hi: i64| -> Vec<i64> {
        let t: Vec<i64> = (0..size).map(|_| r.int(lo, hi)).collect();
        (0..size)
            .map(|m| if symmetric { t[m.min(swap01(m))] } else { t[m] })
            .collect()
    };
    let sum_over = |p: &[i64], m: usize| -> i64 { members(m, n).map(|i| p[i]).sum() };
    let (values, kind): (Vec<i64>, Kind) = match family {
        Family::Random => (table(&mut r, -100, 100), Kind::Value),
        Family::Simple => {
            let w = param(&mut r, 1, 5);
            let total: i64 = w.iter().sum();
            let quota = r.int(total / 2 + 1, total);
            let v = (0..size)
                .map(|m| i64::from(sum_over(&w, m) >= quota))
                .collect();
            (v, Kind::Value)
        }
        Family::Convex => {
            let single = param(&mut r, -20, 20);
            let dividend = table(&mut r, -10, 10);
            let v = (0..size)
                .map(|m| {
                    let mut x = sum_over(&single, m);
                    let mut t = m;
                    while t > 0 {
                        if t.count_ones() >= 2 {
                            x += dividend[t].max(0);
                        }
                        t = (t - 1) & m;
                    }
                    x
                })
                .collect();
            (v, Kind::Value)
        }
        Family::Bankruptcy => {
            let claims = param(&mut r, 1, 100);
            let estate = r.int(1, claims.iter().sum());
            let full = size - 1;
            let v = (0..size)
                .map(|m| (estate - sum_over(&claims, full & !m)).max(0))
                .collect();
            (v, Kind::Value)
        }
        Family::Airport => {
            let k = param(&mut r, 1, 100);
            let v = (0..size)
                .map(|m| members(m, n).map(|i| k[i]).max().unwrap_or(0))
                .collect();
            (v, Kind::Cost)
        }
        Family::Cost => {
            let standalone = param(&mut r, 20, 100);
            let savings = table(&mut r, -20, 60);
            let v = (0..size)
                .map(|m| {
                    let s = if m.count_ones() >= 2 { savings[m] } else { 0 };
                    sum_over(&standalone, m) - s
                })
                .collect();
            (v, Kind::Cost)
        }
    };
    let mut values: Vec<f64> = values.into_iter().map(|x| x as f64).collect();
    values[0] = 0.0;
    (values, kind)
}

const SCALES: [f64; 8] = [1e-6, 1e-3, 0.5, 1.0, 3.0, 1e3, 1e6, 1e9];
const MAGNITUDES: [i64; 4] = [0, 1_000, 1_000_000, 1_000_000_000];

/// A base game `v` and its image `g2 = c v + a`.
struct Setup {
    n: usize,
    kind: Kind,
    sign: f64,
    v: Vec<f64>,
    c: f64,
    a: Vec<f64>,
    g: Game,
    g2: Game,
    spread: f64,
    rounding: f64,
    /// `1e-7 c spread(v) + 64 n eps max |g2|`.
    tol: f64,
    rng: Rng,
}

impl Setup {
    fn new(
        family: Family,
        n: usize,
        seed: u64,
        scale: usize,
        magnitude: usize,
        a_seed: u64,
        symmetric: bool,
    ) -> Setup {
        let (v, kind) = base_game(family, n, seed, symmetric);
        let c = SCALES[scale];
        let mag = MAGNITUDES[magnitude];
        let mut rng = Rng(a_seed);
        let mut a: Vec<f64> = (0..n).map(|_| rng.int(-mag, mag) as f64).collect();
        if symmetric {
            a[1] = a[0];
        }
        // c v(S) + a(S), the additive part summed in player order (exact: integers < 2^53).
        let values2: Vec<f64> = (0..v.len())
            .map(|m| {
                if m == 0 {
                    0.0
                } else {
                    c * v[m] + members(m, n).map(|i| a[i]).sum::<f64>()
                }
            })
            .collect();
        let spread = spread(&v);
        let rounding = input_rounding(&values2);
        Setup {
            n,
            kind,
            sign: sign_of(kind),
            g: game(v.clone(), kind),
            g2: game(values2, kind),
            v,
            c,
            a,
            spread,
            rounding,
            // Relative to what cooperation adds, plus the rounding of the inputs themselves:
            // c v + a cannot be represented more exactly than `rounding`.
            tol: 1e-7 * c * spread + rounding,
            rng,
        }
    }

    /// The shifted game still resolves its own surplus (see the module docs).
    fn holds_surplus(&self) -> bool {
        self.rounding <= 1e-3 * self.c * self.spread
    }

    /// The rounding of the inputs is negligible against any tolerance relative to the
    /// normalised game, so that a yes/no answer on a boundary of the base game (an
    /// inequality that holds with equality) must carry over unchanged.
    fn fine(&self) -> bool {
        self.rounding <= 1e-12 * self.c * self.spread
    }

    /// Whether the sign of a base-game quantity (an integer combination of values, or an LP
    /// optimum of them) is robust to the rounding of `g2`.
    fn sign_survives(&self, base_margin: f64) -> bool {
        if base_margin.abs() <= 1e-9 * self.spread {
            self.fine()
        } else {
            self.c * base_margin.abs() > 16.0 * self.n as f64 * self.rounding
        }
    }

    fn map(&self, x: &[f64]) -> Vec<f64> {
        x.iter().zip(&self.a).map(|(x, a)| self.c * x + a).collect()
    }

    fn unmap(&self, y: &[f64]) -> Vec<f64> {
        y.iter()
            .zip(&self.a)
            .map(|(y, a)| (y - a) / self.c)
            .collect()
    }

    fn order(&mut self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.n).collect();
        for i in (1..self.n).rev() {
            order.swap(i, self.rng.int(0, i as i64) as usize);
        }
        order
    }

    /// A random partition of the players into unions.
    fn unions(&mut self) -> Vec<Vec<usize>> {
        let k = self.rng.int(1, self.n as i64);
        let mut unions: Vec<Vec<usize>> = vec![Vec::new(); k as usize];
        for i in 0..self.n {
            unions[self.rng.int(0, k - 1) as usize].push(i);
        }
        unions.retain(|u| !u.is_empty());
        unions
    }

    fn context(&self) -> String {
        format!(
            "kind {:?}, n {}, c {:e}, a {:?}, base {:?}",
            self.kind, self.n, self.c, self.a, self.v
        )
    }
}

fn close(what: &str, got: &[f64], want: &[f64], tol: f64, ctx: &str) -> Result<(), TestCaseError> {
    prop_assert_eq!(got.len(), want.len());
    let off = got
        .iter()
        .zip(want)
        .fold(0.0f64, |m, (g, w)| m.max((g - w).abs()));
    prop_assert!(
        off <= tol,
        "{}: got {:?}, want {:?}, off by {:e} > {:e} ({})",
        what,
        got,
        want,
        off,
        tol,
        ctx
    );
    Ok(())
}

/// The same variant of [`Error`] on both sides.
fn same_error(a: &Error, b: &Error) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

/// Compares `r2` (on `g2`) with `r` (on the base game) mapped by `x -> c x + a`; errors must
/// occur on both sides or neither, with the same variant. `parity` says whether the error
/// condition is decided robustly at this scale (see [`Setup::sign_survives`]).
fn covariant(
    what: &str,
    s: &Setup,
    r: &Result<Allocation, Error>,
    r2: &Result<Allocation, Error>,
    parity: bool,
) -> Result<(), TestCaseError> {
    match (r, r2) {
        (Ok(x), Ok(x2)) => close(what, x2.values(), &s.map(x.values()), s.tol, &s.context()),
        (Err(e), Err(e2)) => {
            prop_assert!(
                same_error(e, e2),
                "{}: different errors {:?} / {:?} ({})",
                what,
                e,
                e2,
                s.context()
            );
            Ok(())
        }
        (Ok(_), Err(e2)) if parity => Err(TestCaseError::fail(format!(
            "{what}: defined on the base game, but {e2:?} on c v + a ({})",
            s.context()
        ))),
        (Err(e), Ok(_)) if parity => Err(TestCaseError::fail(format!(
            "{what}: {e:?} on the base game, but defined on c v + a ({})",
            s.context()
        ))),
        _ => Ok(()),
    }
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        // A fixed seed: CI sees the same games on every run (failures are reproducible).
        rng_seed: RngSeed::Fixed(0x5ca1_e012),
        failure_persistence: None,
        max_global_rejects: 8192,
        ..ProptestConfig::default()
    }
}

fn arb_case(max_n: usize) -> impl Strategy<Value = (usize, usize, u64, usize, usize, u64)> {
    (
        0..FAMILIES.len(),
        2..=max_n,
        any::<u64>(),
        0..SCALES.len(),
        0..MAGNITUDES.len(),
        any::<u64>(),
    )
}

fn hausdorff(a: &[Vec<f64>], b: &[Vec<f64>]) -> f64 {
    let dist = |p: &[f64], q: &[f64]| {
        p.iter()
            .zip(q)
            .fold(0.0f64, |m, (x, y)| m.max((x - y).abs()))
    };
    let one_way = |a: &[Vec<f64>], b: &[Vec<f64>]| {
        a.iter()
            .map(|p| b.iter().map(|q| dist(p, q)).fold(f64::INFINITY, f64::min))
            .fold(0.0f64, f64::max)
    };
    one_way(a, b).max(one_way(b, a))
}

// ---------------------------------------------------------------------------------------------
// Covariance properties.

proptest! {
    #![proptest_config(config(64))]

    /// Shapley, raw Banzhaf, marginal vectors and Owen: linear in the game, and an additive
    /// game's value is its own standalone vector, so each maps by `x -> c x + a`.
    #[test]
    fn linear_values_are_covariant((f, n, seed, ci, mi, aseed) in arb_case(6)) {
        let mut s = Setup::new(FAMILIES[f], n, seed, ci, mi, aseed, false);
        prop_assume!(s.holds_surplus());
        let ctx = s.context();
        let base_tol = 1e-9 * s.spread;
        let phi = shapley_brute(&s.v);
        close("Shapley (base)", s.g.shapley().values(), &phi, base_tol, &ctx)?;
        close("Shapley", s.g2.shapley().values(), &s.map(&phi), s.tol, &ctx)?;
        let beta = banzhaf_brute(&s.v);
        close("raw Banzhaf (base)", s.g.banzhaf().values(), &beta, base_tol, &ctx)?;
        close("raw Banzhaf", s.g2.banzhaf().values(), &s.map(&beta), s.tol, &ctx)?;
        for _ in 0..2 {
            let order = s.order();
            let m = marginal_brute(&s.v, &order);
            let got = s.g2.marginal_vector(&order).unwrap();
            close(&format!("marginal vector {order:?}"), got.values(), &s.map(&m), s.tol, &ctx)?;
        }
        let unions = s.unions();
        let owen = owen_brute(&s.v, &unions);
        close(&format!("Owen (base) {unions:?}"), s.g.owen(&unions).unwrap().values(), &owen, base_tol, &ctx)?;
        close(&format!("Owen {unions:?}"), s.g2.owen(&unions).unwrap().values(), &s.map(&owen), s.tol, &ctx)?;
    }

    /// The tau value maps by `x -> c x + a` (utopia payoffs and minimal rights both do), and
    /// is undefined on `c v + a` exactly when it is on `v`.
    #[test]
    fn tau_value_is_covariant((f, n, seed, ci, mi, aseed) in arb_case(6)) {
        let s = Setup::new(FAMILIES[f], n, seed, ci, mi, aseed, false);
        prop_assume!(s.holds_surplus());
        let (tau, slack) = tau_brute(&s.v, s.sign);
        let base = s.g.tau_value();
        match (&tau, &base) {
            (Some(t), Ok(x)) => close("tau (base)", x.values(), t, 1e-9 * s.spread, &s.context())?,
            (None, Err(Error::Undefined { .. })) => {}
            _ => prop_assert!(false, "tau (base): brute force {:?}, library {:?} ({})", tau, base, s.context()),
        }
        covariant("tau value", &s, &base, &s.g2.tau_value(), s.sign_survives(slack))?;
    }

    /// The least core: `epsilon` scales by `c`, and the allocation found on `c v + a`, mapped
    /// back by `y -> (y - a) / c`, is in the least core of `v` (the least core is a set; when it
    /// is a single point this is the map `x -> c x + a`).
    #[test]
    fn least_core_is_covariant((f, n, seed, ci, mi, aseed) in arb_case(6)) {
        let s = Setup::new(FAMILIES[f], n, seed, ci, mi, aseed, false);
        prop_assume!(s.holds_surplus());
        let ctx = s.context();
        let lc = s.g.least_core().unwrap();
        let lc2 = s.g2.least_core();
        prop_assert!(lc2.is_ok(), "least core failed on c v + a: {:?} ({})", lc2, ctx);
        let lc2 = lc2.unwrap();
        close("least-core epsilon", &[lc2.epsilon], &[s.c * lc.epsilon], s.tol, &ctx)?;
        let back = s.unmap(lc2.allocation.values());
        let total: f64 = back.iter().sum();
        let full = s.v.len() - 1;
        close("least-core allocation: efficiency", &[total], &[s.v[full]], s.tol / s.c, &ctx)?;
        let worst = max_excess(&s.v, s.sign, &back);
        prop_assert!(
            worst <= lc.epsilon + s.tol / s.c,
            "the least-core allocation of c v + a, mapped back, has excess {:e} > epsilon {:e} of v ({})",
            worst, lc.epsilon, ctx
        );
    }

    /// The nucleolus and the prenucleolus map by `x -> c x + a`; the nucleolus is undefined
    /// (no imputation) on both games or on neither.
    #[test]
    fn nucleoli_are_covariant((f, n, seed, ci, mi, aseed) in arb_case(6)) {
        let s = Setup::new(FAMILIES[f], n, seed, ci, mi, aseed, false);
        prop_assume!(s.holds_surplus());
        let full = s.v.len() - 1;
        let surplus = s.sign * (s.v[full] - (0..n).map(|i| s.v[1 << i]).sum::<f64>());
        let nu = s.g.nucleolus();
        if surplus < 0.0 {
            prop_assert!(matches!(nu, Err(Error::Undefined { .. })), "no imputation, yet {:?}", nu);
        }
        covariant("nucleolus", &s, &nu, &s.g2.nucleolus(), s.sign_survives(surplus))?;
        covariant("prenucleolus", &s, &s.g.prenucleolus(), &s.g2.prenucleolus(), true)?;
    }

    /// Core emptiness does not change, and a point is in the core of `v` exactly when its image
    /// is in the core of `c v + a` (tolerances mapped alike).
    #[test]
    fn core_membership_is_covariant((f, n, seed, ci, mi, aseed) in arb_case(6)) {
        let s = Setup::new(FAMILIES[f], n, seed, ci, mi, aseed, false);
        prop_assume!(s.holds_surplus());
        let ctx = s.context();
        let eps = s.g.least_core().unwrap().epsilon;
        if s.sign_survives(eps) {
            prop_assert_eq!(
                s.g2.core_is_empty().unwrap(),
                s.g.core_is_empty().unwrap(),
                "core emptiness (base epsilon {:e}; {})", eps, ctx
            );
        }
        let mut points = vec![shapley_brute(&s.v)];
        if let Ok(nu) = s.g.nucleolus() {
            points.push(nu.into_values());
        }
        points.push(s.g.least_core().unwrap().allocation.into_values());
        let t = 1e-7 * s.spread;
        for x in points {
            let e = max_excess(&s.v, s.sign, &x);
            let image = s.map(&x);
            let tol2 = s.c * t + s.rounding;
            if e <= 1e-9 * s.spread {
                prop_assert!(s.g.in_core(&x, t).unwrap(), "in_core (base) at {:?} ({})", x, ctx);
                prop_assert!(s.g2.in_core(&image, tol2).unwrap(), "in_core: {:?} is in the core of v, its image {:?} not in that of c v + a ({})", x, image, ctx);
            } else if e > 2.0 * t + 4.0 * s.rounding / s.c {
                prop_assert!(!s.g.in_core(&x, t).unwrap(), "in_core (base) at {:?} ({})", x, ctx);
                prop_assert!(!s.g2.in_core(&image, tol2).unwrap(), "in_core: {:?} has excess {:e} in v, its image is in the core of c v + a ({})", x, e, ctx);
            }
        }
    }

    /// The cost of stability scales by `c` and does not see `a`.
    #[test]
    fn cost_of_stability_is_covariant((f, n, seed, ci, mi, aseed) in arb_case(6)) {
        let s = Setup::new(FAMILIES[f], n, seed, ci, mi, aseed, false);
        prop_assume!(s.holds_surplus());
        let cos = s.g.cost_of_stability().unwrap();
        let cos2 = s.g2.cost_of_stability();
        prop_assert!(cos2.is_ok(), "cost of stability failed on c v + a: {:?} ({})", cos2, s.context());
        close("cost of stability", &[cos2.unwrap()], &[s.c * cos], s.tol, &s.context())?;
    }
}

proptest! {
    #![proptest_config(config(48))]

    /// The core's vertices, as sets, map by `x -> c x + a` (n <= 4).
    #[test]
    fn core_vertices_are_covariant((f, n, seed, ci, mi, aseed) in arb_case(4)) {
        let s = Setup::new(FAMILIES[f], n, seed, ci, mi, aseed, false);
        prop_assume!(s.holds_surplus());
        let eps = s.g.least_core().unwrap().epsilon;
        prop_assume!(s.sign_survives(eps));
        let base: Vec<Vec<f64>> = s.g.core_vertices().unwrap().into_iter().map(|a| s.map(a.values())).collect();
        let got = s.g2.core_vertices();
        prop_assert!(got.is_ok(), "core vertices failed on c v + a: {:?} ({})", got, s.context());
        let got: Vec<Vec<f64>> = got.unwrap().into_iter().map(Allocation::into_values).collect();
        prop_assert_eq!(base.is_empty(), got.is_empty(), "core (non)empty on one side only ({})", s.context());
        let d = hausdorff(&base, &got);
        prop_assert!(
            d <= 4.0 * s.tol,
            "core vertices: {:?} vs mapped {:?}, Hausdorff distance {:e} ({})",
            got, base, d, s.context()
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Consistency of the yes/no answers at the game's own tolerance.

/// The checks of [`consistency`] on one game.
fn consistent(g: &Game, ctx: &str) -> Result<(), TestCaseError> {
    let tol = g.tolerance();
    let empty = g.core_is_empty().unwrap();
    let lc = g.least_core().unwrap();
    prop_assert_eq!(
        lc.epsilon <= tol,
        !empty,
        "least-core epsilon {:e} vs tolerance {:e}, core_is_empty {} ({})",
        lc.epsilon,
        tol,
        empty,
        ctx
    );
    prop_assert_eq!(
        g.in_core(lc.allocation.values(), tol).unwrap(),
        !empty,
        "in_core(least-core allocation {:?}) vs core_is_empty {} ({})",
        lc.allocation.values(),
        empty,
        ctx
    );
    let cos = g.cost_of_stability().unwrap();
    prop_assert_eq!(
        cos == 0.0,
        !empty,
        "cost of stability {:e} vs core_is_empty {} ({})",
        cos,
        empty,
        ctx
    );
    if !empty {
        let nu = g.nucleolus();
        prop_assert!(
            nu.is_ok(),
            "nonempty core but no nucleolus: {:?} ({})",
            nu,
            ctx
        );
        let nu = nu.unwrap();
        prop_assert!(
            g.in_core(nu.values(), tol).unwrap(),
            "the nucleolus {:?} of a game with a nonempty core is not in it at the default tolerance {:e} ({})",
            nu.values(),
            tol,
            ctx
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(64))]

    /// On the base game and on `c v + a` (whatever the scale): the least core's epsilon is
    /// within the tolerance, its allocation is in the core, the cost of stability is exactly
    /// 0, and the nucleolus is in the core, each exactly when the core is nonempty.
    #[test]
    fn yes_no_answers_agree((f, n, seed, ci, mi, aseed) in arb_case(6)) {
        let s = Setup::new(FAMILIES[f], n, seed, ci, mi, aseed, false);
        consistent(&s.g, &format!("base game {:?}", s.v))?;
        consistent(&s.g2, &s.context())?;
    }

    /// Two interchangeable players (0 and 1, with equal standalone shifts, so `c v + a` is
    /// symmetric bit for bit) get equal shares to a few ulps, at every scale and shift.
    #[test]
    fn symmetric_players_get_equal_shares((f, n, seed, ci, mi, aseed) in arb_case(6)) {
        let s = Setup::new(FAMILIES[f], n, seed, ci, mi, aseed, true);
        for g in [&s.g, &s.g2] {
            let unequal = unequal_shares(g);
            prop_assert!(unequal.is_empty(), "{} ({})", unequal.join("; "), s.context());
        }
    }
}

/// The symmetric solutions (Shapley, nucleolus, prenucleolus, tau) that give players 0 and 1
/// of `g`, which must be interchangeable, shares more than 8 ulps apart.
fn unequal_shares(g: &Game) -> Vec<String> {
    let v = g.values();
    assert!(
        (0..v.len()).all(|m| v[m] == v[swap01(m)]),
        "test setup: players 0 and 1 are not interchangeable"
    );
    let shares = [
        ("Shapley", Ok(g.shapley())),
        ("nucleolus", g.nucleolus()),
        ("prenucleolus", g.prenucleolus()),
        ("tau value", g.tau_value()),
    ];
    shares
        .into_iter()
        .filter_map(|(what, x)| {
            let x = x.ok()?;
            let (x0, x1) = (x[0], x[1]);
            ((x0 - x1).abs() > 8.0 * ulp(x0.abs().max(1.0)))
                .then(|| format!("{what}: symmetric players get {x0} and {x1}"))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Reproductions (tests/data/scale_cases.json).

fn concept(g: &Game, name: &str) -> Result<Allocation, Error> {
    match name {
        "nucleolus" => g.nucleolus(),
        "prenucleolus" => g.prenucleolus(),
        "shapley" => Ok(g.shapley()),
        other => panic!("unknown concept {other}"),
    }
}

fn kind_of(case: &Value) -> Kind {
    match case["kind"].as_str().unwrap() {
        "value" => Kind::Value,
        "cost" => Kind::Cost,
        other => panic!("unknown kind {other}"),
    }
}

/// Majority game plus (1e6, 2e6, 3e6) and plus (1e7, 2e7, 3e7); two players at 1e7; a cost
/// game at 1e8; a prenucleolus among values of 2e7 with a surplus of 11.
#[test]
fn reproduced_allocations() {
    let data = data();
    let mut failures = Vec::new();
    for case in data["allocations"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let values = floats(&case["values"]);
        let g = game(values.clone(), kind_of(case));
        let n = g.n();
        let bit_exact = case["bit_exact"].as_bool().unwrap_or(false);
        for (what, want) in case["expect"].as_object().unwrap() {
            let want = floats(want);
            let got = match concept(&g, what) {
                Ok(x) => x.into_values(),
                Err(e) => {
                    failures.push(format!("{name} {what}: {e}"));
                    continue;
                }
            };
            // Relative to the spread, plus the spacing of the floats at the answer.
            let tol = 1e-9 * spread(&values) + 4.0 * ulp(max_abs(&want));
            let off = got
                .iter()
                .zip(&want)
                .fold(0.0f64, |m, (a, b)| m.max((a - b).abs()));
            if bit_exact && got != want {
                failures.push(format!(
                    "{name} {what}: {got:?} is not bit for bit {want:?}"
                ));
            } else if off > tol {
                failures.push(format!(
                    "{name} {what}: {got:?} vs {want:?}, off by {off:e} > {tol:e}"
                ));
            }
            if case["equal_surplus_shares"].as_bool().unwrap_or(false) {
                let shares: Vec<f64> = (0..n).map(|i| got[i] - values[1 << i]).collect();
                let tol = 1e-9 * spread(&values) + 4.0 * ulp(max_abs(&got));
                if shares.iter().any(|s| (s - shares[0]).abs() > tol) {
                    failures.push(format!(
                        "{name} {what}: surplus shares {shares:?} are not equal"
                    ));
                }
            }
        }
        if case["core_point"].as_str() == Some("nucleolus") {
            // The expected nucleolus is in the core, checked in integers (cost game:
            // x(S) <= c(S) for every S, x(N) = c(N)), so the core is nonempty.
            let v = qs(&case["values"]);
            let x = qs(&case["expect"]["nucleolus"]);
            let s = sign_of(kind_of(case));
            let full = v.len() - 1;
            let x_of = |m: usize| members(m, n).fold(Q::int(0), |t, i| t + x[i]);
            assert_eq!(x_of(full), v[full]);
            let sign_ok = |m: usize| {
                let e = v[m] - x_of(m);
                if s > 0.0 {
                    e <= Q::int(0)
                } else {
                    e >= Q::int(0)
                }
            };
            assert!(
                (1..full).all(sign_ok),
                "{name}: the expected nucleolus is not in the core"
            );
            match (g.core_is_empty(), g.nucleolus()) {
                (Ok(empty), Ok(nu)) => {
                    if empty {
                        failures.push(format!("{name}: core_is_empty() but {x:?} is in the core"));
                    }
                    let inside = g.in_core(nu.values(), g.tolerance()).unwrap();
                    if inside == empty {
                        failures.push(format!(
                            "{name}: in_core(nucleolus {:?}) = {inside} disagrees with core_is_empty() = {empty}",
                            nu.values()
                        ));
                    }
                }
                (e, nu) => failures.push(format!("{name}: {e:?} / {nu:?}")),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The Rust side of the bit-for-bit check that tests/python/test_scale_covariance.py repeats.
#[test]
fn two_player_answers_are_exact_to_the_bit() {
    let data = data();
    let case = data["allocations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "two_players_1e7")
        .unwrap();
    let g = game(floats(&case["values"]), Kind::Value);
    for (what, want) in case["expect"].as_object().unwrap() {
        let got = concept(&g, what).unwrap();
        let bits: Vec<u64> = got.values().iter().map(|x| x.to_bits()).collect();
        let want: Vec<u64> = floats(want).iter().map(|x| x.to_bits()).collect();
        assert_eq!(bits, want, "{what}: {:?}", got.values());
    }
}

/// A 5-player cost game with standalone costs of about 1e8 and savings of at most 72: the least
/// core's epsilon is the savings game's, 1/4 (certified exactly), so the core is empty.
#[test]
fn least_core_of_a_large_cost_game() {
    let data = data();
    let case = &data["least_core_cost5"];
    let k = qs(&case["standalone"]);
    let s = qs(&case["savings"]);
    let n = k.len();
    let (eps, _, _) = check_least_core_certificate(&s, case);
    assert_eq!(eps, Q::new(1, 4));
    let costs: Vec<f64> = (0..s.len())
        .map(|m| (members(m, n).fold(Q::int(0), |t, i| t + k[i]) - s[m]).f64())
        .collect();
    let g = game(costs, Kind::Cost);
    let savings_spread = spread(&s.iter().map(|q| q.f64()).collect::<Vec<_>>());
    let lc = g.least_core().unwrap();
    assert!(
        (lc.epsilon - eps.f64()).abs() <= 1e-6 * savings_spread,
        "least-core epsilon {} (want 1/4)",
        lc.epsilon
    );
    assert!(
        g.core_is_empty().unwrap(),
        "epsilon = 1/4 > 0: the core is empty"
    );
    assert!(!g.in_core(lc.allocation.values(), g.tolerance()).unwrap());
    // The allocation's largest excess x(S) - c(S) is epsilon (cost game: shares minus costs).
    let worst = max_excess(g.values(), -1.0, lc.allocation.values());
    assert!(
        (worst - 0.25).abs() <= 1e-6 * savings_spread,
        "largest excess {worst}"
    );
}

/// A game of size 1e-6 settled between a status quo and a target of size 1e4 with the same
/// total: the 7e-12 by which the f64 transfers miss zero is rounding, not money from outside.
#[test]
fn settlement_between_large_vectors_on_a_small_game() {
    let data = data();
    let case = &data["settle_small_game"];
    let g = game(floats(&case["values"]), Kind::Value);
    let n = g.n();
    let target =
        Allocation::new(g.players().to_vec(), floats(&case["target"]), Kind::Value).unwrap();
    let today = Allocation::new(
        g.players().to_vec(),
        floats(&case["status_quo"]),
        Kind::Value,
    )
    .unwrap();
    // Same totals as decimals.
    let sum = |key: &str| qs(&case[key]).into_iter().fold(Q::int(0), |a, b| a + b);
    assert_eq!(sum("target"), sum("status_quo"));
    let s = settle(&g, &target, Some(&today), 3).unwrap();
    assert!(
        s.payments
            .iter()
            .all(|p| p.payer != OUTSIDE && p.payee != OUTSIDE),
        "payments {:?}",
        s.payments
    );
    assert!(
        s.payments.len() < n,
        "{} payments for {n} players: {:?}",
        s.payments.len(),
        s.payments
    );
    // The payments carry out the transfers, to the rounding of numbers of size 1e4.
    let size = max_abs(target.values()).max(max_abs(today.values()));
    for (i, p) in g.players().iter().enumerate() {
        let received: f64 = s
            .payments
            .iter()
            .map(|q| {
                if &q.payee == p {
                    q.amount
                } else if &q.payer == p {
                    -q.amount
                } else {
                    0.0
                }
            })
            .sum();
        let want = target[i] - today[i];
        assert!(
            (received - want).abs() <= 64.0 * n as f64 * EPS * size,
            "{p} receives {received}, transfer {want}"
        );
    }
}

/// A game on the 1/8 grid and the same game with 1e15 added to every coalition of player 0:
/// every covariant answer moves by exactly (1e15, 0, 0, 0).
#[test]
fn huge_standalone_value_moves_only_its_owner() {
    let data = data();
    let case = &data["grid_bump"];
    let exact = qs(&case["values"]);
    let v: Vec<f64> = exact.iter().map(|q| q.f64()).collect();
    let n = players_of(&v);
    let bump = case["bump"].as_f64().unwrap();
    let who = case["player"].as_u64().unwrap() as usize;
    let bumped: Vec<f64> = (0..v.len())
        .map(|m| if m >> who & 1 == 1 { v[m] + bump } else { v[m] })
        .collect();
    // Exact: 1e15 + a number on the 1/8 grid is representable (1e15 < 2^50, ulp 1/8), so
    // taking 1e15 off again gives the base value back.
    for m in (0..v.len()).filter(|m| m >> who & 1 == 1) {
        assert_eq!(bumped[m] - bump, v[m], "coalition {m} was rounded");
    }
    let g = game(v.clone(), Kind::Value);
    let g2 = game(bumped, Kind::Value);
    let spread_v = spread(&v);
    let shift = |x: &[f64]| -> Vec<f64> {
        x.iter()
            .enumerate()
            .map(|(i, &xi)| if i == who { xi + bump } else { xi })
            .collect()
    };
    // The least core of v is one certified point.
    let (eps, point, carried) = check_least_core_certificate(&exact, &case["least_core"]);
    let mut rows = carried;
    rows.push(v.len() - 1);
    assert_eq!(
        rank(&rows, n),
        n,
        "the certificate does not pin the least core to a point"
    );
    let point: Vec<f64> = point.iter().map(|q| q.f64()).collect();
    let (tau, _) = tau_brute(&v, 1.0);
    let mut expected: Vec<(&str, Vec<f64>)> = vec![
        ("Shapley", shapley_brute(&v)),
        ("raw Banzhaf", banzhaf_brute(&v)),
        ("tau value", tau.expect("the base game is quasi-balanced")),
        ("least core", point),
    ];
    // The nucleoli of the base game: the library on the small unshifted game.
    expected.push(("nucleolus", g.nucleolus().unwrap().into_values()));
    expected.push(("prenucleolus", g.prenucleolus().unwrap().into_values()));
    let mut failures = Vec::new();
    for (what, base) in expected {
        let got: Result<Vec<f64>, Error> = match what {
            "Shapley" => Ok(g2.shapley().into_values()),
            "raw Banzhaf" => Ok(g2.banzhaf().into_values()),
            "tau value" => g2.tau_value().map(Allocation::into_values),
            "least core" => g2.least_core().map(|lc| lc.allocation.into_values()),
            "nucleolus" => g2.nucleolus().map(Allocation::into_values),
            _ => g2.prenucleolus().map(Allocation::into_values),
        };
        let got = match got {
            Ok(x) => x,
            Err(e) => {
                failures.push(format!("{what}: {e}"));
                continue;
            }
        };
        let want = shift(&base);
        for i in 0..n {
            // The others: to 1e-9 of the spread; the owner: also the spacing of floats at 1e15.
            let tol = 1e-9 * spread_v + if i == who { ulp(bump) } else { 0.0 };
            if (got[i] - want[i]).abs() > tol {
                failures.push(format!(
                    "{what}: player {i} gets {} instead of {} (off by {:e})",
                    got[i],
                    want[i],
                    (got[i] - want[i]).abs()
                ));
            }
        }
    }
    match g2.least_core() {
        Ok(lc) if (lc.epsilon - eps.f64()).abs() <= 1e-9 * spread_v => {}
        other => failures.push(format!("least-core epsilon: {other:?}, want {}", eps.f64())),
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Symmetric games on which the property above once failed (tests/data/scale_cases.json), as
/// given and shifted by (1e6, 1e6, 2e6, ...).
#[test]
fn symmetric_players_regressions() {
    let data = data();
    let mut failures = Vec::new();
    for case in data["symmetric_regressions"]["games"].as_array().unwrap() {
        let v = floats(&case["values"]);
        let n = players_of(&v);
        let shifted: Vec<f64> = (0..v.len())
            .map(|m| v[m] + members(m, n).map(|i| 1e6 * i.max(1) as f64).sum::<f64>())
            .collect();
        for (label, values) in [("as given", v.clone()), ("shifted", shifted)] {
            for problem in unequal_shares(&game(values, Kind::Value)) {
                failures.push(format!("{} ({label}): {problem}", case["found"]));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
