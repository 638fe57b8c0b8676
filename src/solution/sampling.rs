//! Sampling estimates of the Shapley and Banzhaf values, for games too large to enumerate or
//! whose worth `v(S)` is expensive (the output of a model run once per coalition).
//!
//! A [`Sampler`] proposes the coalitions it needs ([`Sampler::propose`]), the caller evaluates
//! them however it likes (a closure, a cache, a process pool, a cluster) and feeds the values
//! back in the same order ([`Sampler::feed`]); [`Sampler::estimate`] gives the estimates with
//! per-player confidence intervals. [`sample`] runs the loop with a closure and a stopping rule.
//!
//! # Methods
//!
//! - **Permutation sampling** of the Shapley value (J. Castro, D. Gómez and J. Tejada,
//!   "Polynomial calculation of the Shapley value based on sampling", *Computers & Operations
//!   Research* 36, 2009): a uniformly random order of the players; each player's marginal
//!   contribution to its predecessors is one sample of its Shapley value (`n` evaluations per
//!   order, all players at once).
//! - **Stratified sampling** of the Shapley value by coalition size (J. Castro, D. Gómez,
//!   E. Molina and J. Tejada, "Improving polynomial estimation of the Shapley value by
//!   stratified random sampling with optimum allocation", *Computers & Operations Research* 82,
//!   2017, here with equal allocation): `phi_i = (1/n) sum_{s=0}^{n-1} mu_{i,s}`, where
//!   `mu_{i,s}` is the mean marginal contribution of `i` to a uniformly random `s`-subset of
//!   the others, estimated by the mean of that stratum's own samples. The strata `s = 0` and
//!   `s = n - 1` hold one coalition each (`∅` and `N \ i`), so they are known exactly.
//! - **Coalition sampling** of the raw Banzhaf value: the mean of `v(S ∪ i) - v(S)` over
//!   uniformly random `S ⊆ N \ i`.
//!
//! Every estimate is thus `phi^_i = sum_s w_s Xbar_{i,s}`: a weighted sum of the means of
//! independent *cells* (one cell per player with `w = 1` for the permutation and Banzhaf
//! methods; `n` cells per player, the strata, with `w_s = 1/n` for the stratified method), cell
//! `s` holding `m_s` i.i.d. samples with sample standard deviation `S_s` (divisor `m_s - 1`).
//!
//! # Error bounds
//!
//! The intervals `phi^_i ± h_i` hold **for all `n` players at once** with probability at least
//! `1 - delta`: each player gets `delta / n` (union bound).
//!
//! - [`Bound::EmpiricalBernstein`], the default. With `L = ln((K + 2) n / delta)`, `K` the
//!   number of random (not exactly known) cells of the player, and `b` the range of the
//!   marginal contributions,
//!
//!   `h_i = sqrt(2 L sum_s w_s^2 sbar_s^2 / m_s) + (L / 3) max_s (w_s b / m_s)`,
//!   `sbar_s = S_s + b sqrt(2 L / (m_s - 1))`.
//!
//!   This is Bernstein's inequality for the weighted sum of independent samples, two-sided
//!   (S. Boucheron, G. Lugosi and P. Massart, *Concentration Inequalities*, Oxford 2013,
//!   Theorem 2.10 with Corollary 2.11: `P(sum_k (Y_k - E Y_k) >= sqrt(2 v L) + c L / 3) <=
//!   e^{-L}` for independent `Y_k` with `Y_k - E Y_k <= c` and `sum_k Var Y_k <= v`; here
//!   `Y_k = w_s X_k / m_s`, so `c = max_s w_s b / m_s`), with each cell's unknown standard
//!   deviation replaced by its upper confidence bound `sbar_s` (A. Maurer and M. Pontil,
//!   "Empirical Bernstein bounds and sample variance penalization", COLT 2009, Theorem 10);
//!   the two tails and the `K` variance bounds share `delta / n` equally. For one cell this is
//!   Maurer and Pontil's Theorem 4 made two-sided, slightly tighter (the range terms add up to
//!   `2 b L / sqrt(m (m - 1)) + b L / (3 m)`, not `7 b L / (3 (m - 1))`). The stratified
//!   bound is combined per stratum, not by treating the strata as one sample: each stratum
//!   has its own variance bound and weight. Unlike the normal approximation `z * standard
//!   error`, which this replaces, it is valid at the sample sizes used: the normal interval
//!   under-covered (86 to 92 % at nominal 95 %, 71 to 81 % at nominal 80 % on a ten-player
//!   weighted vote; `BENCHMARKS.md`) because marginal contributions of simple
//!   games are rare, skewed 0/1 events whose sample variance is often 0 or too small, and
//!   stopping as soon as it looked small enough made that worse.
//!
//!   The range `b` is not known; the bound takes the **largest spread (max - min) of the
//!   marginal contributions seen in any random cell** of any player. Pooling over players
//!   guards a player whose rare large contributions have not been seen yet (in a weighted
//!   vote every order has a pivot, so `b = 1` after a few orders); it is unchanged by scaling
//!   the game by `c` (it scales by `c`) and by adding an additive game `v(S) + sum_{i in S}
//!   a_i` (which shifts each cell by a constant). This plug-in is the bound's one assumption:
//!   a contribution rarer than about `L / m` and larger than `b` can go unseen, and no
//!   interval from samples alone can account for it. When no marginal contribution has
//!   varied yet (no spread above the rounding `4 n eps_mach max |v(S)|`), there is no scale
//!   and the half-widths are infinite. For a guarantee, give the range and use Hoeffding.
//!
//!   [`sample`] checks the stopping rule (every `h_i <= epsilon`) only after
//!   [`checkpoint`]`(k)` rounds, `k = 1, 2, ...` (32 rounds, then 1.5 times as many each
//!   time), and computes the intervals of check `k` with `delta_k = delta / (k (k + 1))`
//!   ([`check_delta`]). The `delta_k` add up to `delta`, so the reported intervals hold with
//!   probability at least `1 - delta` at whatever check the rule stops (the union bound over
//!   a fixed schedule of checks of V. Mnih, Cs. Szepesvári and J.-Y. Audibert, "Empirical
//!   Bernstein stopping", ICML 2008). Stopping is not free of cost: the intervals are wider
//!   than a fixed-size interval by the extra `ln(k (k + 1))` in `L`.
//! - [`Bound::Hoeffding`] (W. Hoeffding, 1963): when each player's marginal contributions lie
//!   in an interval of width `r` given by the user (each player its own interval: `r = 1` for
//!   simple games such as weighted voting, also after adding standalone budgets `a_i`),
//!   `h_i = r sqrt(ln(2n / delta) sum_k c_k^2 / 2)`, where `c_k` are the weights of
//!   the samples in the estimate (`1/m` for `m` orders; `1/(n m_s)` for stratum `s`). This is
//!   a guarantee with no assumption; [`sample`] draws the number of rounds it needs up front
//!   ([`hoeffding_rounds`]), so no stopping rule is involved.
//!
//! An estimate of a cell with no sample is unknown: its half-width (and standard error) is
//! infinite, as it is under the empirical Bernstein bound while a random cell has fewer than
//! two samples. [`sample`] refuses `max_rounds = 0`.
//!
//! The random numbers come from xoshiro256** seeded by SplitMix64 (D. Blackman and S. Vigna,
//! 2018), so a seed reproduces a run exactly, whatever evaluates the coalitions and however
//! the rounds are split into batches.

use crate::cancel;
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
    /// Empirical Bernstein (Maurer and Pontil 2009), per cell and combined over the strata,
    /// with the range taken from the largest observed spread of marginal contributions.
    EmpiricalBernstein,
    /// Hoeffding's inequality for marginal contributions in an interval of this width.
    Hoeffding {
        /// Width of an interval that holds every marginal contribution of a player (each
        /// player may have its own interval).
        range: f64,
    },
}

/// Estimates with per-player confidence intervals.
#[derive(Clone, Debug, PartialEq)]
pub struct Estimate {
    /// The estimated values, in player order.
    pub values: Vec<f64>,
    /// Standard errors `sqrt(sum_s w_s^2 S_s^2 / m_s)` from the sample variances (infinite
    /// while a random cell has fewer than two samples). For information: the intervals do
    /// not use them as `z * standard error`.
    pub std_errors: Vec<f64>,
    /// Half-widths of the simultaneous `1 - delta` intervals `values ± half_widths`
    /// (infinite when there is not enough to bound the error).
    pub half_widths: Vec<f64>,
    /// The smallest number of samples behind any one cell (orders for the permutation
    /// method; per player and size for the stratified method; per player for Banzhaf).
    pub samples: u64,
    /// Coalitions evaluated so far (counting repeats).
    pub evaluations: u64,
    /// Whether the stopping rule was met (every half-width at most `epsilon`).
    pub converged: bool,
}

/// Running mean, variance (B. P. Welford, 1962) and extremes.
#[derive(Clone, Copy, Debug)]
struct Moments {
    count: u64,
    mean: f64,
    m2: f64,
    min: f64,
    max: f64,
}

impl Default for Moments {
    fn default() -> Self {
        Moments {
            count: 0,
            mean: 0.0,
            m2: 0.0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }
}

impl Moments {
    fn push(&mut self, x: f64) {
        self.count += 1;
        let d = x - self.mean;
        self.mean += d / self.count as f64;
        self.m2 += d * (x - self.mean);
        self.min = self.min.min(x);
        self.max = self.max.max(x);
    }

    /// The unbiased sample variance (0 below two samples).
    fn variance(&self) -> f64 {
        if self.count > 1 {
            self.m2 / (self.count - 1) as f64
        } else {
            0.0
        }
    }

    /// max - min of the samples (0 without samples).
    fn spread(&self) -> f64 {
        if self.count > 0 {
            self.max - self.min
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
#[derive(Clone, Copy, Debug)]
enum Task {
    /// An order, whose players are the next `n` entries of `Sampler::orders`: the values of
    /// its `n` nonempty prefixes follow.
    Order,
    /// Player, stratum (size of `S`): the values of `S` and `S ∪ i` follow (`n <= 64`).
    Pair(u8, u8),
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
    /// The players of the pending orders, `n` per [`Task::Order`], in order.
    orders: Vec<u8>,
    expected: usize,
    evaluations: u64,
    /// The largest `|v(S)|` fed: spreads within its rounding count as no spread.
    largest: f64,
}

fn check_delta_value(delta: f64) -> Result<()> {
    if delta > 0.0 && delta < 1.0 {
        Ok(())
    } else {
        Err(Error::InvalidParameter {
            name: "delta",
            reason: format!("{delta}; it must lie strictly between 0 and 1"),
        })
    }
}

fn check_positive(name: &'static str, x: f64) -> Result<()> {
    if x > 0.0 && x.is_finite() {
        Ok(())
    } else {
        Err(Error::InvalidParameter {
            name,
            reason: format!("{x}; it must be a positive number"),
        })
    }
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
        Ok(Sampler {
            n,
            method,
            rng: Rng::new(seed),
            moments: vec![Moments::default(); n * Self::cells_per_player(n, method)],
            pending: Vec::new(),
            orders: Vec::new(),
            expected: 0,
            evaluations: 0,
            largest: 0.0,
        })
    }

    fn cells_per_player(n: usize, method: Method) -> usize {
        if method == Method::Stratified {
            n
        } else {
            1
        }
    }

    /// Whether cell `s` of a player holds one possible sample only, so that its mean is
    /// exact: the strata of size `0` and `n - 1`, and every cell when `n = 1`.
    fn is_exact(&self, s: usize) -> bool {
        self.n == 1 || (self.method == Method::Stratified && (s == 0 || s == self.n - 1))
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
    /// feeding discards the earlier proposal. Like any `Vec`, a proposal too large for memory
    /// aborts; [`Sampler::try_propose`] reports it instead.
    pub fn propose(&mut self, rounds: usize) -> Vec<u64> {
        let len = rounds.saturating_mul(self.coalitions_per_round());
        let mut masks = Vec::with_capacity(len);
        self.pending.clear();
        self.orders.clear();
        self.draw(rounds, &mut masks);
        masks
    }

    /// [`Sampler::propose`], with the memory for the proposal (`8` bytes per coalition, plus
    /// the bookkeeping) reserved fallibly: a proposal the system cannot hold is an
    /// [`Error::InvalidParameter`] for `rounds` (propose fewer rounds at a time), not an abort.
    /// The draws are the same as [`Sampler::propose`]'s.
    pub fn try_propose(&mut self, rounds: usize) -> Result<Vec<u64>> {
        let n = self.n;
        let per_round = self.coalitions_per_round();
        let (tasks, order_entries) = match self.method {
            Method::Permutation => (Some(rounds), rounds.checked_mul(n)),
            Method::Banzhaf => (rounds.checked_mul(n), Some(0)),
            Method::Stratified => (rounds.checked_mul(n * n), Some(0)),
        };
        let refused = |bytes: u128| Error::InvalidParameter {
            name: "rounds",
            reason: format!(
                "{rounds} rounds of {per_round} coalitions need {} of memory, which the system \
                 refused; propose fewer rounds at a time",
                crate::memory::human_bytes(bytes)
            ),
        };
        let bytes = 8 * per_round as u128 * rounds as u128;
        let (Some(len), Some(tasks), Some(order_entries)) =
            (rounds.checked_mul(per_round), tasks, order_entries)
        else {
            return Err(refused(bytes));
        };
        self.pending.clear();
        self.orders.clear();
        let mut masks: Vec<u64> = Vec::new();
        masks
            .try_reserve_exact(len)
            .and_then(|()| self.pending.try_reserve_exact(tasks))
            .and_then(|()| self.orders.try_reserve_exact(order_entries))
            .map_err(|_| refused(bytes))?;
        self.draw(rounds, &mut masks);
        Ok(masks)
    }

    /// Draws `rounds` rounds: their masks onto `masks`, their tasks onto `pending` and
    /// `orders` (cleared by the caller).
    fn draw(&mut self, rounds: usize, masks: &mut Vec<u64>) {
        let n = self.n;
        let mut order: Vec<usize> = (0..n).collect();
        for _ in 0..rounds {
            match self.method {
                Method::Permutation => {
                    // From the identity each round, so that the draws do not depend on how
                    // the rounds are split into proposals.
                    for (k, o) in order.iter_mut().enumerate() {
                        *o = k;
                    }
                    self.rng.shuffle(&mut order);
                    let mut mask = 0u64;
                    for &i in &order {
                        mask |= 1 << i;
                        masks.push(mask);
                        self.orders.push(i as u8);
                    }
                    self.pending.push(Task::Order);
                }
                Method::Banzhaf => {
                    for i in 0..n {
                        let others = (if n == 64 { u64::MAX } else { (1u64 << n) - 1 }) & !(1 << i);
                        let s = self.rng.next_u64() & others;
                        masks.push(s);
                        masks.push(s | 1 << i);
                        self.pending.push(Task::Pair(i as u8, 0));
                    }
                }
                Method::Stratified => {
                    for i in 0..n {
                        for size in 0..n {
                            let s = self.subset_of_others(i, size);
                            masks.push(s);
                            masks.push(s | 1 << i);
                            self.pending.push(Task::Pair(i as u8, size as u8));
                        }
                    }
                }
            }
        }
        self.expected = masks.len();
    }

    /// A uniformly random `size`-subset of the players other than `i`, as a mask: R. Floyd's
    /// algorithm (J. Bentley, "Programming pearls: a sample of brilliance", *Communications
    /// of the ACM* 30, 1987) on the `n - 1` others numbered `0..n-1`, then a gap at bit `i`.
    fn subset_of_others(&mut self, i: usize, size: usize) -> u64 {
        let m = self.n - 1;
        let mut s = 0u64;
        for j in m - size..m {
            let t = self.rng.below(j + 1);
            s |= if s >> t & 1 == 1 { 1 << j } else { 1 << t };
        }
        let low = s & ((1u64 << i) - 1);
        let high = (s >> i).checked_shl(i as u32 + 1).unwrap_or(0);
        low | high
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
        self.largest = values.iter().fold(self.largest, |a, v| a.max(v.abs()));
        let mut at = 0;
        let mut orders = std::mem::take(&mut self.orders).into_iter();
        for task in std::mem::take(&mut self.pending) {
            match task {
                Task::Order => {
                    let mut before = 0.0;
                    for (k, i) in orders.by_ref().take(n).enumerate() {
                        let v = values[at + k];
                        self.moments[usize::from(i)].push(v - before);
                        before = v;
                    }
                    at += n;
                }
                Task::Pair(i, size) => {
                    let (i, size) = (usize::from(i), usize::from(size));
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

    /// The estimates with simultaneous `1 - delta` intervals under `bound`, for the samples
    /// fed so far taken as a fixed-size sample (see the module docs for the formulas; a
    /// stopping rule must lower `delta` itself, as [`sample`] does with [`check_delta`]).
    pub fn estimate(&self, delta: f64, bound: Bound) -> Result<Estimate> {
        check_delta_value(delta)?;
        if let Bound::Hoeffding { range } = bound {
            check_positive("range", range)?;
        }
        let n = self.n;
        let cells = Self::cells_per_player(n, self.method);
        let w = 1.0 / cells as f64;
        // The plug-in range: the largest spread in any random cell of any player; a spread
        // within the rounding of the values fed (a marginal contribution is a difference of
        // two of them, each a sum of up to n terms) is no spread.
        let spread = self
            .moments
            .iter()
            .enumerate()
            .filter(|(c, _)| !self.is_exact(c % cells))
            .map(|(_, m)| m.spread())
            .fold(0.0, f64::max);
        let rounding = 4.0 * n as f64 * f64::EPSILON * self.largest;
        let spread = if spread > rounding { spread } else { 0.0 };
        let mut est = Estimate {
            values: Vec::with_capacity(n),
            std_errors: Vec::with_capacity(n),
            half_widths: Vec::with_capacity(n),
            samples: self.moments.iter().map(|m| m.count).min().unwrap_or(0),
            evaluations: self.evaluations,
            converged: false,
        };
        for i in 0..n {
            let own = &self.moments[i * cells..(i + 1) * cells];
            est.values.push(w * own.iter().map(|m| m.mean).sum::<f64>());
            let random: Vec<&Moments> = own
                .iter()
                .enumerate()
                .filter(|(s, _)| !self.is_exact(*s))
                .map(|(_, m)| m)
                .collect();
            if own.iter().any(|m| m.count == 0) {
                est.std_errors.push(f64::INFINITY);
                est.half_widths.push(f64::INFINITY);
                continue;
            }
            let too_few = random.iter().any(|m| m.count < 2);
            est.std_errors.push(if too_few {
                f64::INFINITY
            } else {
                let v: f64 = random.iter().map(|m| m.variance() / m.count as f64).sum();
                w * v.sqrt()
            });
            est.half_widths.push(match bound {
                Bound::Hoeffding { range } => {
                    // Every cell counts, as in `hoeffding_rounds`: sum of squared weights.
                    let c2: f64 = own.iter().map(|m| w * w / m.count as f64).sum();
                    range * ((2.0 * n as f64 / delta).ln() * c2 / 2.0).sqrt()
                }
                Bound::EmpiricalBernstein => {
                    empirical_bernstein(&random, w, spread, n as f64 / delta)
                }
            });
        }
        Ok(est)
    }
}

/// The empirical Bernstein half-width of `sum_s w X̄_s` over the random `cells` with range
/// `b`, at confidence `1 - 1/inv_delta` (module docs): `sqrt(2 L sum_s w^2 sbar_s^2 / m_s) +
/// (L/3) w b / min_s m_s`, `sbar_s = S_s + b sqrt(2 L / (m_s - 1))`, `L = ln((K + 2) /
/// delta)`. No random cell: exact, 0. A cell with fewer than two samples, or no spread
/// seen anywhere (`b = 0`, no scale): infinite.
fn empirical_bernstein(cells: &[&Moments], w: f64, b: f64, inv_delta: f64) -> f64 {
    if cells.is_empty() {
        return 0.0;
    }
    if cells.iter().any(|m| m.count < 2) || b <= 0.0 {
        return f64::INFINITY;
    }
    let l = ((cells.len() + 2) as f64 * inv_delta).ln();
    let var: f64 = cells
        .iter()
        .map(|m| {
            let sbar = m.variance().sqrt() + b * (2.0 * l / (m.count - 1) as f64).sqrt();
            w * w * sbar * sbar / m.count as f64
        })
        .sum();
    let fewest = cells.iter().map(|m| m.count).min().unwrap_or(1) as f64;
    (2.0 * l * var).sqrt() + l / 3.0 * w * b / fewest
}

/// Rounds needed for Hoeffding half-widths of at most `epsilon` with probability `1 - delta`
/// (marginal contributions in an interval of width `range`): `ceil(range^2 ln(2n/delta) /
/// (2 epsilon^2))` orders or Banzhaf rounds; for the stratified method, a factor `n` fewer
/// (each round gives every one of the `n` strata a sample). At least 1.
pub fn hoeffding_rounds(
    n: usize,
    method: Method,
    epsilon: f64,
    delta: f64,
    range: f64,
) -> Result<u64> {
    if n == 0 {
        return Err(Error::NoPlayers);
    }
    check_positive("epsilon", epsilon)?;
    check_delta_value(delta)?;
    check_positive("range", range)?;
    let m = range * range * (2.0 * n as f64 / delta).ln() / (2.0 * epsilon * epsilon);
    let m = if method == Method::Stratified {
        m / n as f64
    } else {
        m
    };
    // `as` saturates: an absurd request asks for u64::MAX rounds, which `max_rounds` caps.
    Ok(m.ceil().max(1.0) as u64)
}

/// Rounds after which [`sample`] checks its stopping rule for the `k`-th time (`k >= 1`):
/// 32, then 1.5 times as many each time (`r_{k+1} = r_k + floor(r_k / 2)`: 32, 48, 72,
/// 108, ...). A fixed schedule, independent of the data, so that [`check_delta`] makes the
/// intervals valid at whatever check the rule stops. `k = 0` gives 0.
pub fn checkpoint(k: u32) -> u64 {
    if k == 0 {
        return 0;
    }
    let mut r: u64 = 32;
    for _ in 1..k {
        r = r.saturating_add(r / 2);
    }
    r
}

/// The confidence spent at the `k`-th check (`k >= 1`): `delta_k = delta / (k (k + 1))`,
/// which add up to `delta` over all checks.
pub fn check_delta(delta: f64, k: u32) -> f64 {
    let k = f64::from(k.max(1));
    delta / (k * (k + 1.0))
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
    /// Stop after this many rounds even if not converged ([`Estimate::converged`] is false);
    /// at least 1.
    pub max_rounds: u64,
    /// Rounds per batch of proposals (the results do not depend on it).
    pub batch: usize,
    /// Random seed.
    pub seed: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            epsilon: 0.01,
            delta: 0.05,
            bound: Bound::EmpiricalBernstein,
            max_rounds: 1_000_000,
            batch: 64,
            seed: 0,
        }
    }
}

impl Options {
    fn check(&self) -> Result<()> {
        check_positive("epsilon", self.epsilon)?;
        check_delta_value(self.delta)?;
        if let Bound::Hoeffding { range } = self.bound {
            check_positive("range", range)?;
        }
        if self.max_rounds == 0 {
            return Err(Error::InvalidParameter {
                name: "max_rounds",
                reason: "0; at least one round is needed to estimate anything".into(),
            });
        }
        if self.batch == 0 {
            return Err(Error::InvalidParameter {
                name: "batch",
                reason: "0; it must be at least 1".into(),
            });
        }
        Ok(())
    }
}

/// Proposes, evaluates and feeds rounds until `*rounds == upto`, `batch` rounds at a time.
fn advance(
    sampler: &mut Sampler,
    value: &mut impl FnMut(u64) -> f64,
    batch: usize,
    rounds: &mut u64,
    upto: u64,
) -> Result<()> {
    while *rounds < upto {
        cancel::check()?;
        let now = (batch as u64).min(upto - *rounds) as usize;
        let masks = sampler.try_propose(now)?;
        let values: Vec<f64> = masks.iter().map(|&m| value(m)).collect();
        sampler.feed(&values)?;
        *rounds += now as u64;
    }
    Ok(())
}

/// Runs `sampler` with `value` (called once per proposed coalition mask) until the stopping
/// rule of `options` holds or `max_rounds` rounds are used.
///
/// Hoeffding: the rounds of [`hoeffding_rounds`] (at most `max_rounds`), then the intervals
/// at `delta`. Empirical Bernstein: at check `k` (after [`checkpoint`]`(k)` rounds, or
/// `max_rounds` if that comes first) the intervals at [`check_delta`]`(delta, k)`; it stops
/// at the first check where every half-width is at most `epsilon` (`converged`) or at
/// `max_rounds` (not `converged`), and returns that check's intervals.
///
/// Checks for cancellation (see [`crate::cancel`]) before every batch: a cancelled run stops
/// with [`Error::Interrupted`], the sampler having been fed whole batches only. A `value`
/// closure that can itself take long may call [`crate::cancel::check`] too (its result is
/// then seen at the next batch).
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
    let mut rounds = 0u64;
    let converged = |est: &Estimate| est.half_widths.iter().all(|&h| h <= options.epsilon);
    match options.bound {
        Bound::Hoeffding { range } => {
            let target = hoeffding_rounds(
                sampler.n(),
                sampler.method(),
                options.epsilon,
                options.delta,
                range,
            )?
            .min(options.max_rounds);
            advance(sampler, &mut value, options.batch, &mut rounds, target)?;
            let mut est = sampler.estimate(options.delta, options.bound)?;
            est.converged = converged(&est);
            Ok(est)
        }
        Bound::EmpiricalBernstein => {
            let mut k = 1u32;
            loop {
                let upto = checkpoint(k).min(options.max_rounds);
                advance(sampler, &mut value, options.batch, &mut rounds, upto)?;
                let mut est = sampler.estimate(check_delta(options.delta, k), options.bound)?;
                est.converged = converged(&est);
                if est.converged || rounds >= options.max_rounds {
                    return Ok(est);
                }
                k += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn subsets_of_others_are_uniform() {
        let mut s = Sampler::new(5, Method::Stratified, 3).unwrap();
        let mut counts = std::collections::HashMap::new();
        for _ in 0..60_000 {
            let mask = s.subset_of_others(2, 2);
            assert_eq!(mask.count_ones(), 2);
            assert_eq!(mask & 0b100, 0);
            assert!(mask < 32);
            *counts.entry(mask).or_insert(0usize) += 1;
        }
        // C(4, 2) = 6 subsets, 10 000 expected each (standard deviation about 91).
        assert_eq!(counts.len(), 6);
        assert!(
            counts
                .values()
                .all(|&c| (c as f64 - 10_000.0).abs() < 500.0),
            "{counts:?}"
        );
        let mut big = Sampler::new(64, Method::Stratified, 1).unwrap();
        assert_eq!(big.subset_of_others(63, 63), u64::MAX >> 1);
        assert_eq!(big.subset_of_others(0, 63), u64::MAX << 1);
        assert_eq!(big.subset_of_others(5, 0), 0);
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

    #[test]
    fn fallible_proposals_draw_the_same_coalitions() {
        for method in [Method::Permutation, Method::Banzhaf, Method::Stratified] {
            let (mut a, mut b) = (
                Sampler::new(6, method, 9).unwrap(),
                Sampler::new(6, method, 9).unwrap(),
            );
            let masks = a.propose(5);
            assert_eq!(b.try_propose(5).unwrap(), masks);
            let values: Vec<f64> = masks.iter().map(|m| m.count_ones() as f64).collect();
            a.feed(&values).unwrap();
            b.feed(&values).unwrap();
            assert_eq!(
                a.estimate(0.1, Bound::EmpiricalBernstein),
                b.estimate(0.1, Bound::EmpiricalBernstein)
            );
        }
        let mut s = Sampler::new(10, Method::Permutation, 0).unwrap();
        let err = s.try_propose(usize::MAX / 4).unwrap_err();
        assert!(
            matches!(err, Error::InvalidParameter { name: "rounds", .. }),
            "{err}"
        );
        // 2^58 rounds of 10 coalitions (20 EiB, beyond any address space): refused, not an
        // abort (and without touching memory, whatever the system's overcommit policy).
        let err = s.try_propose(1 << 58).unwrap_err();
        assert!(err.to_string().contains("20.0 EiB"), "{err}");
    }

    #[test]
    fn moments_track_mean_variance_and_spread() {
        let mut m = Moments::default();
        assert_eq!(m.spread(), 0.0);
        for x in [1e8 + 2.0, 1e8 - 1.0, 1e8 + 5.0] {
            m.push(x);
        }
        // Mean 1e8 + 2, deviations 0, -3, 3: variance 18 / 2 = 9.
        assert!((m.mean - (1e8 + 2.0)).abs() < 1e-7);
        assert!((m.variance() - 9.0).abs() < 1e-6);
        assert_eq!(m.spread(), 6.0);
    }

    #[test]
    fn exact_cells() {
        let s = Sampler::new(4, Method::Stratified, 0).unwrap();
        assert_eq!(
            (0..4).map(|c| s.is_exact(c)).collect::<Vec<_>>(),
            [true, false, false, true]
        );
        assert!(!Sampler::new(4, Method::Permutation, 0).unwrap().is_exact(0));
        assert!(Sampler::new(1, Method::Banzhaf, 0).unwrap().is_exact(0));
    }
}
