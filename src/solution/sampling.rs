//! Sampling estimates of the Shapley and Banzhaf values, for games too large to enumerate or
//! whose worth `v(S)` is expensive (the output of a model run once per coalition).
//!
//! A [`Sampler`] proposes the coalitions it needs ([`Sampler::propose`]), the caller evaluates
//! them however it likes (a closure, a cache, a process pool, a cluster) and feeds the values
//! back in the same order ([`Sampler::feed`]); [`Sampler::estimate`] gives the estimates with
//! per-player confidence intervals. [`sample`] runs the loop with a closure and a stopping rule.
//!
//! Methods:
//! - **Permutation sampling** of the Shapley value (J. Castro, D. Gómez and J. Tejada,
//!   "Polynomial calculation of the Shapley value based on sampling", *Computers & Operations
//!   Research* 36, 2009): a uniformly random order of the players; each player's marginal
//!   contribution to its predecessors is one sample of its Shapley value (`n` evaluations per
//!   order, all players at once).
//! - **Stratified sampling** of the Shapley value by coalition size (J. Castro, D. Gómez,
//!   E. Molina and J. Tejada, "Improving polynomial estimation of the Shapley value by
//!   stratified random sampling with optimum allocation", *Computers & Operations Research* 82,
//!   2017, here with equal allocation): `phi_i` is the average over sizes `s = 0..n-1` of the
//!   mean marginal contribution of `i` to a uniformly random `s`-subset of the others.
//! - **Coalition sampling** of the raw Banzhaf value: the mean of `v(S ∪ i) - v(S)` over
//!   uniformly random `S ⊆ N \ i`.
//!
//! **Error bounds**, per player, simultaneous over the `n` players by the union bound (each
//! player gets `delta / n`):
//! - [`Bound::Hoeffding`] (W. Hoeffding, 1963): when every marginal contribution lies in an
//!   interval of width `r` (`r = 1` for simple games such as weighted voting), the estimate
//!   is within `r sqrt(ln(2n / delta) sum_k c_k^2 / 2)` of the true value with probability at
//!   least `1 - delta` for all players at once, where `c_k` are the weights of the samples in
//!   the estimate (`1/m` for `m` orders). This is a guarantee; [`sample`] draws the number of
//!   samples it needs up front.
//! - [`Bound::Normal`]: the central-limit interval `z_{1 - delta/(2n)} * standard error`, from
//!   the sample variance; asymptotic, no range needed; [`sample`] stops when every half-width
//!   is at most `epsilon` (after at least 30 samples per estimate).
//!
//! The random numbers come from xoshiro256** seeded by SplitMix64 (D. Blackman and S. Vigna,
//! 2018), so a seed reproduces a run exactly, whatever evaluates the coalitions.

use crate::error::{Error, Result};

/// Which value a [`Sampler`] estimates, and how.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// Shapley value by random orders (Castro et al. 2009).
    Permutation,
    /// Shapley value stratified by coalition size (Castro et al. 2017, equal allocation).
    Stratified,
    /// Raw Banzhaf value by random coalitions.
    Banzhaf,
}

/// How the confidence intervals are computed (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Bound {
    /// Central-limit interval from the sample variance (asymptotic).
    Normal,
    /// Hoeffding's inequality for marginal contributions in an interval of this width.
    Hoeffding {
        /// Width of the interval that holds every marginal contribution.
        range: f64,
    },
}

/// Estimates with per-player confidence intervals.
#[derive(Clone, Debug, PartialEq)]
pub struct Estimate {
    /// The estimated values, in player order.
    pub values: Vec<f64>,
    /// Standard errors (from the sample variances).
    pub std_errors: Vec<f64>,
    /// Half-widths of the simultaneous `1 - delta` intervals `values ± half_widths`.
    pub half_widths: Vec<f64>,
    /// The smallest number of samples behind any one estimate (orders for the permutation
    /// method; per player and size for the stratified method; per player for Banzhaf).
    pub samples: u64,
    /// Coalitions evaluated so far (counting repeats).
    pub evaluations: u64,
    /// Whether the stopping rule was met (every half-width at most `epsilon`).
    pub converged: bool,
}

/// Running mean and variance (B. P. Welford, 1962).
#[derive(Clone, Copy, Debug, Default)]
struct Moments {
    count: u64,
    mean: f64,
    m2: f64,
}

impl Moments {
    fn push(&mut self, x: f64) {
        self.count += 1;
        let d = x - self.mean;
        self.mean += d / self.count as f64;
        self.m2 += d * (x - self.mean);
    }

    fn variance(&self) -> f64 {
        if self.count > 1 {
            self.m2 / (self.count - 1) as f64
        } else {
            0.0
        }
    }
}

/// xoshiro256** seeded by SplitMix64.
#[derive(Clone, Debug)]
struct Rng([u64; 4]);

impl Rng {
    fn new(seed: u64) -> Self {
        let mut z = seed;
        let mut next = || {
            z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut x = z;
            x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            x ^ (x >> 31)
        };
        Rng([next(), next(), next(), next()])
    }

    fn next_u64(&mut self) -> u64 {
        let s = &mut self.0;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform in `0..bound` (Lemire's multiply-shift with rejection).
    fn below(&mut self, bound: usize) -> usize {
        let bound = bound as u64;
        loop {
            let m = u128::from(self.next_u64()) * u128::from(bound);
            let low = m as u64;
            if low >= bound.wrapping_neg() % bound {
                return (m >> 64) as usize;
            }
        }
    }

    fn shuffle(&mut self, xs: &mut [usize]) {
        for k in (1..xs.len()).rev() {
            xs.swap(k, self.below(k + 1));
        }
    }
}

/// What a proposed batch of coalitions is for.
#[derive(Clone, Debug)]
enum Task {
    /// An order: the values of its `n` nonempty prefixes follow.
    Order(Vec<usize>),
    /// Player, stratum (size of `S`): the values of `S` and `S ∪ i` follow.
    Pair(usize, usize),
}

/// A sampling estimator: proposes coalitions, takes their values, estimates.
#[derive(Clone, Debug)]
pub struct Sampler {
    n: usize,
    method: Method,
    rng: Rng,
    /// Per player (permutation, Banzhaf) or per player and size (stratified).
    moments: Vec<Moments>,
    pending: Vec<Task>,
    expected: usize,
    evaluations: u64,
}

impl Sampler {
    /// A sampler for `n` players (at most 64: coalitions are bit masks).
    pub fn new(n: usize, method: Method, seed: u64) -> Result<Self> {
        if n == 0 {
            return Err(Error::NoPlayers);
        }
        if n > 64 {
            return Err(Error::InvalidParameter {
                name: "players",
                reason: format!(
                    "{n} players; sampling supports at most 64 (coalitions are 64-bit masks)"
                ),
            });
        }
        let cells = if method == Method::Stratified {
            n * n
        } else {
            n
        };
        Ok(Sampler {
            n,
            method,
            rng: Rng::new(seed),
            moments: vec![Moments::default(); cells],
            pending: Vec::new(),
            expected: 0,
            evaluations: 0,
        })
    }

    /// Number of players.
    pub fn n(&self) -> usize {
        self.n
    }

    /// The method.
    pub fn method(&self) -> Method {
        self.method
    }

    /// Coalitions per round: `n` for an order, `2 n` for a Banzhaf round, `2 n^2` for a
    /// stratified round (every player and size once).
    pub fn coalitions_per_round(&self) -> usize {
        match self.method {
            Method::Permutation => self.n,
            Method::Banzhaf => 2 * self.n,
            Method::Stratified => 2 * self.n * self.n,
        }
    }

    /// The coalitions (bit masks) for `rounds` more rounds; their values must be passed to
    /// [`Sampler::feed`], in this order, before the next proposal. Proposing again before
    /// feeding discards the earlier proposal.
    pub fn propose(&mut self, rounds: usize) -> Vec<u64> {
        let n = self.n;
        self.pending.clear();
        let mut masks = Vec::with_capacity(rounds * self.coalitions_per_round());
        let mut order: Vec<usize> = (0..n).collect();
        for _ in 0..rounds {
            match self.method {
                Method::Permutation => {
                    self.rng.shuffle(&mut order);
                    let mut mask = 0u64;
                    for &i in &order {
                        mask |= 1 << i;
                        masks.push(mask);
                    }
                    self.pending.push(Task::Order(order.clone()));
                }
                Method::Banzhaf => {
                    for i in 0..n {
                        let others = (if n == 64 { u64::MAX } else { (1u64 << n) - 1 }) & !(1 << i);
                        let s = self.rng.next_u64() & others;
                        masks.push(s);
                        masks.push(s | 1 << i);
                        self.pending.push(Task::Pair(i, 0));
                    }
                }
                Method::Stratified => {
                    for i in 0..n {
                        for size in 0..n {
                            // A uniform `size`-subset of the others: a partial shuffle.
                            let mut others: Vec<usize> = (0..n).filter(|&j| j != i).collect();
                            let mut s = 0u64;
                            for k in 0..size {
                                let pick = k + self.rng.below(others.len() - k);
                                others.swap(k, pick);
                                s |= 1 << others[k];
                            }
                            masks.push(s);
                            masks.push(s | 1 << i);
                            self.pending.push(Task::Pair(i, size));
                        }
                    }
                }
            }
        }
        self.expected = masks.len();
        masks
    }

    /// The values of the last proposal's coalitions, in order (`v(∅)` must be 0).
    pub fn feed(&mut self, values: &[f64]) -> Result<()> {
        if values.len() != self.expected {
            return Err(Error::InvalidParameter {
                name: "values",
                reason: format!(
                    "{} values for the {} coalitions proposed",
                    values.len(),
                    self.expected
                ),
            });
        }
        if let Some(k) = values.iter().position(|v| !v.is_finite()) {
            return Err(Error::InvalidParameter {
                name: "values",
                reason: format!("the value of proposed coalition {k} is {}", values[k]),
            });
        }
        let n = self.n;
        let mut at = 0;
        for task in std::mem::take(&mut self.pending) {
            match task {
                Task::Order(order) => {
                    let mut before = 0.0;
                    for (k, &i) in order.iter().enumerate() {
                        let v = values[at + k];
                        self.moments[i].push(v - before);
                        before = v;
                    }
                    at += n;
                }
                Task::Pair(i, size) => {
                    let gain = values[at + 1] - values[at];
                    let cell = if self.method == Method::Stratified {
                        i * n + size
                    } else {
                        i
                    };
                    self.moments[cell].push(gain);
                    at += 2;
                }
            }
        }
        self.evaluations += values.len() as u64;
        self.expected = 0;
        Ok(())
    }

    /// The estimates with `1 - delta` simultaneous intervals under `bound`.
    pub fn estimate(&self, delta: f64, bound: Bound) -> Estimate {
        let n = self.n;
        let per_player = |i: usize| -> (f64, f64, f64, u64) {
            // (estimate, variance of the estimate, sum of squared sample weights, samples)
            match self.method {
                Method::Stratified => {
                    let cells = &self.moments[i * n..(i + 1) * n];
                    let mean = cells.iter().map(|m| m.mean).sum::<f64>() / n as f64;
                    let var = cells
                        .iter()
                        .map(|m| m.variance() / m.count.max(1) as f64)
                        .sum::<f64>()
                        / (n * n) as f64;
                    let weights = cells
                        .iter()
                        .map(|m| 1.0 / m.count.max(1) as f64)
                        .sum::<f64>()
                        / (n * n) as f64;
                    let count = cells.iter().map(|m| m.count).min().unwrap_or(0);
                    (mean, var, weights, count)
                }
                _ => {
                    let m = &self.moments[i];
                    let c = m.count.max(1) as f64;
                    (m.mean, m.variance() / c, 1.0 / c, m.count)
                }
            }
        };
        let parts: Vec<(f64, f64, f64, u64)> = (0..n).map(per_player).collect();
        let z = normal_quantile(1.0 - delta / (2.0 * n as f64));
        let log_term = (2.0 * n as f64 / delta).ln();
        Estimate {
            values: parts.iter().map(|p| p.0).collect(),
            std_errors: parts.iter().map(|p| p.1.sqrt()).collect(),
            half_widths: parts
                .iter()
                .map(|p| match bound {
                    Bound::Normal => z * p.1.sqrt(),
                    Bound::Hoeffding { range } => range * (log_term * p.2 / 2.0).sqrt(),
                })
                .collect(),
            samples: parts.iter().map(|p| p.3).min().unwrap_or(0),
            evaluations: self.evaluations,
            converged: false,
        }
    }
}

/// Rounds needed for Hoeffding half-widths of at most `epsilon` with probability `1 - delta`
/// (marginal contributions in an interval of width `range`): `ceil(range^2 ln(2n/delta) /
/// (2 epsilon^2))` orders or Banzhaf rounds; for the stratified method, a factor `n` fewer.
pub fn hoeffding_rounds(n: usize, method: Method, epsilon: f64, delta: f64, range: f64) -> u64 {
    let m = range * range * (2.0 * n as f64 / delta).ln() / (2.0 * epsilon * epsilon);
    let m = if method == Method::Stratified {
        m / n as f64
    } else {
        m
    };
    m.ceil().max(1.0) as u64
}

/// Options of [`sample`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Options {
    /// Target half-width of every interval.
    pub epsilon: f64,
    /// The intervals hold for all players at once with probability at least `1 - delta`.
    pub delta: f64,
    /// The bound behind the intervals and the stopping rule.
    pub bound: Bound,
    /// Stop after this many rounds even if not converged ([`Estimate::converged`] is false).
    pub max_rounds: u64,
    /// Rounds per batch of proposals.
    pub batch: usize,
    /// Random seed.
    pub seed: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            epsilon: 0.01,
            delta: 0.05,
            bound: Bound::Normal,
            max_rounds: 1_000_000,
            batch: 64,
            seed: 0,
        }
    }
}

impl Options {
    fn check(&self) -> Result<()> {
        let bad =
            |name: &'static str, reason: String| Err(Error::InvalidParameter { name, reason });
        if !(self.epsilon > 0.0 && self.epsilon.is_finite()) {
            return bad(
                "epsilon",
                format!("{}; it must be a positive number", self.epsilon),
            );
        }
        if !(self.delta > 0.0 && self.delta < 1.0) {
            return bad(
                "delta",
                format!("{}; it must lie strictly between 0 and 1", self.delta),
            );
        }
        if let Bound::Hoeffding { range } = self.bound {
            if !(range > 0.0 && range.is_finite()) {
                return bad("range", format!("{range}; it must be a positive number"));
            }
        }
        if self.batch == 0 {
            return bad("batch", "0; it must be at least 1".into());
        }
        Ok(())
    }
}

/// Runs `sampler` with `value` (called once per proposed coalition mask) until the stopping
/// rule of `options` holds or `max_rounds` rounds are used.
///
/// # Example
/// A weighted majority game of 40 voters (quota 21, weight 1 each): by symmetry each has
/// Shapley value 1/40; Hoeffding with range 1 guarantees the error.
/// ```
/// use coalitional::solution::sampling::{sample, Bound, Method, Options, Sampler};
/// let mut s = Sampler::new(40, Method::Permutation, 7).unwrap();
/// let opts = Options { epsilon: 0.05, bound: Bound::Hoeffding { range: 1.0 }, ..Options::default() };
/// let est = sample(&mut s, |mask| if mask.count_ones() >= 21 { 1.0 } else { 0.0 }, &opts).unwrap();
/// assert!(est.converged && est.half_widths[0] <= 0.05);
/// assert!(est.values.iter().all(|v| (v - 1.0 / 40.0).abs() <= 0.05));
/// ```
pub fn sample(
    sampler: &mut Sampler,
    mut value: impl FnMut(u64) -> f64,
    options: &Options,
) -> Result<Estimate> {
    options.check()?;
    let n = sampler.n();
    let mut rounds = 0u64;
    let target = match options.bound {
        Bound::Hoeffding { range } => Some(
            hoeffding_rounds(n, sampler.method(), options.epsilon, options.delta, range)
                .min(options.max_rounds),
        ),
        Bound::Normal => None,
    };
    loop {
        let left = target.unwrap_or(options.max_rounds).saturating_sub(rounds);
        if left == 0 {
            break;
        }
        let now = (options.batch as u64).min(left) as usize;
        let masks = sampler.propose(now);
        let values: Vec<f64> = masks.iter().map(|&m| value(m)).collect();
        sampler.feed(&values)?;
        rounds += now as u64;
        if target.is_none() {
            let est = sampler.estimate(options.delta, options.bound);
            if est.samples >= 30 && est.half_widths.iter().all(|&h| h <= options.epsilon) {
                break;
            }
        }
    }
    let mut est = sampler.estimate(options.delta, options.bound);
    est.converged = est.half_widths.iter().all(|&h| h <= options.epsilon);
    Ok(est)
}

/// The standard normal quantile (P. J. Acklam's rational approximation, relative error below
/// 1.2e-9, refined by one Newton step on the complementary error function).
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969683028665376e1,
        2.209460984245205e2,
        -2.759285104469687e2,
        1.38357751867269e2,
        -3.066479806614716e1,
        2.506628277459239,
    ];
    const B: [f64; 5] = [
        -5.447609879822406e1,
        1.615858368580409e2,
        -1.556989798598866e2,
        6.680131188771972e1,
        -1.328068155288572e1,
    ];
    const C: [f64; 6] = [
        -7.784894002430293e-3,
        -3.223964580411365e-1,
        -2.400758277161838,
        -2.549732539343734,
        4.374664141464968,
        2.938163982698783,
    ];
    const D: [f64; 4] = [
        7.784695709041462e-3,
        3.224671290700398e-1,
        2.445134137142996,
        3.754408661907416,
    ];
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    let low = 0.02425;
    if p < low {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - low {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        -normal_quantile(1.0 - p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles() {
        assert!((normal_quantile(0.975) - 1.959_963_985).abs() < 1e-8);
        assert!((normal_quantile(0.5)).abs() < 1e-12);
        assert!((normal_quantile(0.001) + 3.090_232_306).abs() < 1e-8);
    }

    #[test]
    fn uniform_draws_and_shuffles() {
        let mut rng = Rng::new(1);
        let mut counts = [0usize; 5];
        for _ in 0..50_000 {
            counts[rng.below(5)] += 1;
        }
        assert!(
            counts.iter().all(|&c| (c as f64 - 10_000.0).abs() < 500.0),
            "{counts:?}"
        );
        let mut xs = [0, 1, 2, 3];
        rng.shuffle(&mut xs);
        let mut sorted = xs;
        sorted.sort_unstable();
        assert_eq!(sorted, [0, 1, 2, 3]);
    }

    #[test]
    fn feed_checks_lengths_and_values() {
        let mut s = Sampler::new(3, Method::Permutation, 0).unwrap();
        let masks = s.propose(2);
        assert_eq!(masks.len(), 6);
        assert!(s.feed(&[1.0]).is_err());
        assert!(s.feed(&[0.0, f64::NAN, 0.0, 0.0, 0.0, 0.0]).is_err());
        assert!(Sampler::new(65, Method::Banzhaf, 0).is_err());
    }
}
