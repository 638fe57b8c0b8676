//! The [`Sampler`]: proposes the coalitions of each round, takes their values back and turns
//! the marginal contributions into estimates with confidence intervals.

use std::fmt;
use std::str::FromStr;

use super::bounds::{check_delta_value, check_positive, empirical_bernstein, Bound, Moments};
use super::rng::Rng;
use crate::error::{Error, Result};

/// Which value a [`Sampler`] estimates, and how.
///
/// With serde: `"permutation"`, `"stratified"` or `"banzhaf"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Shapley value by random orders (Castro et al. 2009).
    Permutation,
    /// Shapley value stratified by coalition size (Castro et al. 2017, equal allocation).
    Stratified,
    /// Raw Banzhaf value by random coalitions.
    Banzhaf,
}

impl Method {
    /// Its name, as [`FromStr`] reads it and serde writes it: `"permutation"`, `"stratified"`
    /// or `"banzhaf"`.
    pub fn name(self) -> &'static str {
        match self {
            Method::Permutation => "permutation",
            Method::Stratified => "stratified",
            Method::Banzhaf => "banzhaf",
        }
    }

    /// Whether it estimates the Shapley value (the permutation and stratified methods) rather
    /// than the Banzhaf value.
    pub fn is_shapley(self) -> bool {
        self != Method::Banzhaf
    }

    /// The Shapley method named `name`: `"permutation"` or `"stratified"`. Anything else,
    /// `"banzhaf"` included (it estimates another value), is an [`Error::InvalidParameter`]
    /// for `method`.
    ///
    /// ```
    /// use coalitional::Method;
    /// assert_eq!(Method::parse_shapley("stratified"), Ok(Method::Stratified));
    /// assert!(Method::parse_shapley("banzhaf").is_err());
    /// ```
    pub fn parse_shapley(name: &str) -> Result<Method> {
        match name.parse::<Method>() {
            Ok(method) if method.is_shapley() => Ok(method),
            _ => Err(Error::InvalidParameter {
                name: "method",
                reason: format!(
                    "{name:?}; the Shapley value is sampled by \"permutation\" or \"stratified\""
                ),
            }),
        }
    }
}

/// Reads a method by its [name](Method::name); an unknown name is an
/// [`Error::InvalidParameter`] for `method`.
///
/// ```
/// use coalitional::Method;
/// assert_eq!("banzhaf".parse::<Method>(), Ok(Method::Banzhaf));
/// assert!("Permutation".parse::<Method>().is_err());
/// ```
impl FromStr for Method {
    type Err = Error;

    fn from_str(name: &str) -> Result<Method> {
        [Method::Permutation, Method::Stratified, Method::Banzhaf]
            .into_iter()
            .find(|m| m.name() == name)
            .ok_or_else(|| Error::InvalidParameter {
                name: "method",
                reason: format!(
                    "{name:?}; use \"permutation\" or \"stratified\" (Shapley) or \"banzhaf\""
                ),
            })
    }
}

/// The [name](Method::name).
impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
/// Estimates with per-player confidence intervals.
///
/// With serde, an infinite standard error or half-width is written as `null` (JSON has no
/// infinity) and read back as infinity.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Estimate {
    /// The estimated values, in player order.
    pub values: Vec<f64>,
    /// Standard errors `sqrt(sum_s w_s^2 S_s^2 / m_s)` from the sample variances (infinite
    /// while a random cell has fewer than two samples). For information: the intervals do
    /// not use them as `z * standard error`.
    #[serde(with = "infinite_as_null")]
    pub std_errors: Vec<f64>,
    /// Half-widths of the simultaneous `1 - delta` intervals `values ± half_widths`
    /// (infinite when there is not enough to bound the error).
    #[serde(with = "infinite_as_null")]
    pub half_widths: Vec<f64>,
    /// The smallest number of samples behind any one cell (orders for the permutation
    /// method; per player and size for the stratified method; per player for Banzhaf).
    pub samples: u64,
    /// Coalitions evaluated so far (counting repeats).
    pub evaluations: u64,
    /// Whether the stopping rule was met (every half-width at most `epsilon`).
    pub converged: bool,
}
/// Serde for nonnegative numbers that may be infinite: infinity is written as `null`.
mod infinite_as_null {
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(v: &[f64], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(v.iter().map(|x| x.is_finite().then_some(*x)))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
        let v = Vec::<Option<f64>>::deserialize(d)?;
        Ok(v.into_iter().map(|x| x.unwrap_or(f64::INFINITY)).collect())
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
    /// the bookkeeping) reserved fallibly: a proposal the system cannot hold is
    /// [`Error::TooLarge`] with the bytes it needs (propose fewer rounds at a time), not an
    /// abort.
    /// The draws are the same as [`Sampler::propose`]'s.
    pub fn try_propose(&mut self, rounds: usize) -> Result<Vec<u64>> {
        let n = self.n;
        let per_round = self.coalitions_per_round();
        let (tasks, order_entries) = match self.method {
            Method::Permutation => (Some(rounds), rounds.checked_mul(n)),
            Method::Banzhaf => (rounds.checked_mul(n), Some(0)),
            Method::Stratified => (rounds.checked_mul(n * n), Some(0)),
        };
        let refused = |bytes: u128| Error::TooLarge {
            what: format!("a proposal of {rounds} sampling rounds of {per_round} coalitions"),
            needed: bytes,
            available: None,
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
                            let s = self.rng.subset_of_others(n, i, size);
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
    /// stopping rule must lower `delta` itself, as [`sample`](super::sample) does with [`check_delta`](super::check_delta)).
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

#[cfg(test)]
mod tests {
    use super::*;

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
            matches!(err, Error::TooLarge { needed, available: None, .. }
                if needed == 8 * 10 * (usize::MAX / 4) as u128),
            "{err:?}"
        );
        // 2^58 rounds of 10 coalitions (20 EiB, beyond any address space): refused, not an
        // abort (and without touching memory, whatever the system's overcommit policy).
        let err = s.try_propose(1 << 58).unwrap_err();
        assert!(
            matches!(err, Error::TooLarge { needed, .. } if needed == 80 << 58),
            "{err:?}"
        );
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
