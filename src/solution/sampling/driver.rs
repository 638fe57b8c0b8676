//! The driver: [`sample`] runs a [`Sampler`] with a closure for the values until the stopping
//! rule of its [`Options`] holds.

use super::bounds::{
    check_delta, check_delta_value, check_positive, checkpoint, hoeffding_rounds, Bound,
};
use super::sampler::{Estimate, Sampler};
use crate::cancel;
use crate::error::{Error, Result};

/// Options of [`sample`].
///
/// With serde, missing fields take their [`Default`] values; the options are checked when
/// they are used, as when they are built in code.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
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
