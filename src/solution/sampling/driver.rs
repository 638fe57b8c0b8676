//! The driver: [`sample_batched`] runs a [`Sampler`] until the stopping rule of its [`Options`]
//! holds, evaluating a batch of coalitions at a time through a fallible callback;
//! [`sample`] is the same loop with a closure for one coalition's value.

use super::bounds::{
    check_delta, check_delta_value, check_positive, checkpoint, hoeffding_rounds, Bound,
};
use super::sampler::{Estimate, Sampler};
use std::time::{Duration, Instant};

use crate::cancel;
use crate::error::{Error, Result};

/// Coalitions per batch when [`Options::batch`] is `None`: each batch holds about this many
/// (`max(1, 4096 / c)` rounds of `c` coalitions: 409 orders of 10 players, 1 stratified round
/// of 64 players), enough to amortise a call into Python or a process pool, small enough that
/// progress and Ctrl-C are seen often.
pub const BATCH_COALITIONS: usize = 4096;

/// The most coalitions in one batch (`2^24`: 128 MiB of masks and as much of values): a
/// larger [`Options::batch`] is split (at least one round per batch), which changes no draw.
pub const MAX_BATCH_COALITIONS: usize = 1 << 24;

/// Options of [`sample`] and [`sample_batched`].
///
/// With serde, missing fields take their [`Default`] values; the options are checked when
/// they are used ([`Options::check`]), as when they are built in code.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Options {
    /// Target half-width of every interval (positive, finite). Default `0.01`.
    pub epsilon: f64,
    /// The intervals hold for all players at once with probability at least `1 - delta`
    /// (strictly between 0 and 1). Default `0.05`.
    pub delta: f64,
    /// The bound behind the intervals and the stopping rule. Default
    /// [`Bound::EmpiricalBernstein`].
    pub bound: Bound,
    /// Stop after this many rounds even if not converged ([`Estimate::converged`] is false);
    /// at least 1. Default `1_000_000`.
    pub max_rounds: u64,
    /// Rounds per batch of proposals, at least 1; `None` (the default): about
    /// [`BATCH_COALITIONS`] coalitions per batch. Never more than [`MAX_BATCH_COALITIONS`]
    /// coalitions (a larger batch is split). The results do not depend on it: the draws are
    /// the same however the rounds are split.
    pub batch: Option<usize>,
    /// Random seed. Default `0`.
    pub seed: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            epsilon: 0.01,
            delta: 0.05,
            bound: Bound::EmpiricalBernstein,
            max_rounds: 1_000_000,
            batch: None,
            seed: 0,
        }
    }
}

impl Options {
    /// Checks the options: `epsilon` and a Hoeffding `range` positive and finite, `delta`
    /// strictly between 0 and 1, `max_rounds` and `batch` at least 1. A failure is an
    /// [`Error::InvalidParameter`] naming the field (`range` for the Hoeffding range).
    /// [`sample`] and [`sample_batched`] call it first.
    pub fn check(&self) -> Result<()> {
        check_positive("epsilon", self.epsilon)?;
        check_delta_value(self.delta)?;
        if let Bound::Hoeffding { range } = self.bound {
            check_positive("range", range)?;
        }
        if self.max_rounds == 0 {
            return Err(Error::InvalidParameter {
                name: "max_rounds",
                reason: "it must be at least 1 (at least one round is needed to estimate anything)"
                    .into(),
            });
        }
        if self.batch == Some(0) {
            return Err(Error::InvalidParameter {
                name: "batch",
                reason: "it must be at least 1 (rounds per batch)".into(),
            });
        }
        Ok(())
    }

    /// Rounds per batch for rounds of `per_round` coalitions: [`Options::batch`], or about
    /// [`BATCH_COALITIONS`] coalitions' worth when it is `None`; at most
    /// [`MAX_BATCH_COALITIONS`] coalitions' worth; at least 1.
    ///
    /// ```
    /// use coalitional::Options;
    /// let auto = Options::default();
    /// assert_eq!(auto.rounds_per_batch(10), 409);
    /// assert_eq!(auto.rounds_per_batch(8192), 1);
    /// let huge = Options { batch: Some(usize::MAX), ..Options::default() };
    /// assert_eq!(huge.rounds_per_batch(10), (1 << 24) / 10);
    /// ```
    pub fn rounds_per_batch(&self, per_round: usize) -> usize {
        let per_round = per_round.max(1);
        let most = (MAX_BATCH_COALITIONS / per_round).max(1);
        let wanted = self.batch.unwrap_or((BATCH_COALITIONS / per_round).max(1));
        wanted.clamp(1, most)
    }
}

/// Where a run of [`sample_batched`] stands: what its progress callback is told, once before
/// the first batch and after every batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Rounds evaluated and fed so far.
    pub rounds: u64,
    /// The rounds the run takes, when known in advance: Hoeffding draws
    /// [`hoeffding_rounds`] rounds (at most `max_rounds`) up front. `None` under the
    /// empirical Bernstein stopping rule, which decides as it goes (at most `max_rounds`).
    pub target: Option<u64>,
}

/// The loop's state: the sampler, the callbacks and the rounds done.
struct Run<'a, V, P> {
    sampler: &'a mut Sampler,
    evaluate: V,
    progress: P,
    per_batch: u64,
    /// Batches sized by time (see [`sample_paced`]): the time one should take, and the most
    /// rounds one may hold.
    pace: Option<(Duration, u64)>,
    rounds: u64,
    target: Option<u64>,
}

impl<V, P, E> Run<'_, V, P>
where
    E: From<Error>,
    V: FnMut(&[u64]) -> std::result::Result<Vec<f64>, E>,
    P: FnMut(Progress) -> std::result::Result<(), E>,
{
    fn report(&mut self) -> std::result::Result<(), E> {
        (self.progress)(Progress {
            rounds: self.rounds,
            target: self.target,
        })
    }

    /// Proposes, evaluates and feeds batches until `rounds == upto`; a failed evaluation
    /// stops it before anything of its batch is fed.
    fn advance(&mut self, upto: u64) -> std::result::Result<(), E> {
        while self.rounds < upto {
            cancel::check()?;
            // At most `per_batch` (a usize), so the cast back is exact.
            let now = self.per_batch.min(upto - self.rounds) as usize;
            let started = Instant::now();
            let masks = self.sampler.try_propose(now)?;
            let values = (self.evaluate)(&masks)?;
            if values.len() != masks.len() {
                return Err(Error::InvalidParameter {
                    name: "values",
                    reason: format!(
                        "the evaluation returned {} values for a batch of {} coalitions; it \
                         must return one value per coalition, in order",
                        values.len(),
                        masks.len()
                    ),
                }
                .into());
            }
            self.sampler.feed(&values)?;
            self.rounds += now as u64;
            if let Some((pace, most)) = self.pace {
                self.per_batch = paced_batch(now as u64, started.elapsed(), pace, most);
            }
            self.report()?;
        }
        Ok(())
    }
}

/// Runs `sampler` until the stopping rule of `options` holds or `max_rounds` rounds are used,
/// calling `evaluate` with the bit masks of a batch of coalitions at a time (see
/// [`Options::batch`]); it must return their values, in order (`v(∅) = 0`). The one
/// sampling loop of the crate: [`sample`] and the Python package's `shapley_sample` and
/// `banzhaf_sample` run it.
///
/// - Hoeffding: the rounds of [`hoeffding_rounds`] (at most `max_rounds`), then the
///   intervals at `delta`.
/// - Empirical Bernstein: at check `k` (after [`checkpoint`]`(k)` rounds, or `max_rounds` if
///   that comes first) the intervals at [`check_delta`]`(delta, k)`; it stops at the first
///   check where every half-width is at most `epsilon` (`converged`) or at `max_rounds` (not
///   `converged`), and returns that check's intervals.
///
/// The options are checked first ([`Options::check`]). `progress` hears of the rounds done
/// (and the target, when known) before the first batch and after every batch.
///
/// Errors, each stopping the run at once, with the sampler fed whole batches only:
/// - an error of `evaluate` or `progress` (a model failure, an exception from Python) is
///   returned as it is; `E` is any error type that an [`Error`] converts into;
/// - `evaluate` returning a wrong number of values, or a NaN or infinite value, is an
///   [`Error::InvalidParameter`] for `values` (not a panic);
/// - cancellation ([`crate::cancel`], checked before every batch) is [`Error::Interrupted`];
///   an `evaluate` that can itself take long may call [`crate::cancel::check`] too.
///
/// Results do not depend on how the rounds are split into batches.
///
/// # Example
/// A model that evaluates many coalitions at once (here, whole batches of a weighted vote)
/// and may fail:
/// ```
/// use coalitional::solution::sampling::{sample_batched, Bound, Method, Options, Sampler};
/// use coalitional::{Coalition, Error};
/// let weights = [4u32, 3, 2, 1];
/// let wins = |mask: u64| {
///     let w: u32 = Coalition::from_mask(mask).members().map(|i| weights[i]).sum();
///     if w >= 6 { 1.0 } else { 0.0 }
/// };
/// let mut s = Sampler::new(4, Method::Permutation, 1)?;
/// let opts = Options { epsilon: 0.1, bound: Bound::Hoeffding { range: 1.0 }, ..Options::default() };
/// let mut last = None;
/// let est = sample_batched(
///     &mut s,
///     |masks| Ok::<_, Error>(masks.iter().map(|&m| wins(m)).collect()),
///     &opts,
///     |p| {
///         last = Some(p);
///         Ok(())
///     },
/// )?;
/// // Hoeffding: ceil(ln(2 * 4 / 0.05) / (2 * 0.1^2)) = 254 orders, all of them done.
/// let done = last.unwrap();
/// assert_eq!((done.rounds, done.target), (254, Some(254)));
/// assert!(est.converged && est.samples == 254);
/// // Exact Shapley-Shubik index: 5/12, 1/4, 1/4, 1/12.
/// for (v, exact) in est.values.iter().zip([5.0 / 12.0, 0.25, 0.25, 1.0 / 12.0]) {
///     assert!((v - exact).abs() <= 0.1);
/// }
/// # Ok::<(), Error>(())
/// ```
pub fn sample_batched<E: From<Error>>(
    sampler: &mut Sampler,
    evaluate: impl FnMut(&[u64]) -> std::result::Result<Vec<f64>, E>,
    options: &Options,
    progress: impl FnMut(Progress) -> std::result::Result<(), E>,
) -> std::result::Result<Estimate, E> {
    drive(sampler, evaluate, options, progress, None)
}

/// [`sample_batched`] with batches sized by time when [`Options::batch`] is `None`, so that
/// `progress` hears of the run soon and then regularly, however slow the evaluation: the
/// first batch holds one round, and each next one the rounds that the rate of the last batch
/// evaluates in about `pace` (at least one, at most twice the last, at most the default
/// batch of [`Options::rounds_per_batch`]). With [`Options::batch`] set, the batches are
/// that size, as in [`sample_batched`]. The results are the same bit for bit: they do not
/// depend on how the rounds are split into batches (only the timing does).
///
/// # Example
/// ```
/// use std::time::Duration;
/// use coalitional::solution::sampling::{sample_paced, Bound, Method, Options, Sampler};
/// use coalitional::Error;
/// let mut s = Sampler::new(6, Method::Permutation, 3)?;
/// let opts = Options { epsilon: 0.2, bound: Bound::Hoeffding { range: 1.0 }, ..Options::default() };
/// let mut sizes = Vec::new();
/// sample_paced(
///     &mut s,
///     |masks| {
///         sizes.push(masks.len());
///         Ok::<_, Error>(masks.iter().map(|m| f64::from(m.count_ones() >= 4)).collect())
///     },
///     &opts,
///     |_| Ok(()),
///     Duration::from_millis(500),
/// )?;
/// assert_eq!(sizes[0], 6); // one order of 6 players first
/// # Ok::<(), Error>(())
/// ```
pub fn sample_paced<E: From<Error>>(
    sampler: &mut Sampler,
    evaluate: impl FnMut(&[u64]) -> std::result::Result<Vec<f64>, E>,
    options: &Options,
    progress: impl FnMut(Progress) -> std::result::Result<(), E>,
    pace: Duration,
) -> std::result::Result<Estimate, E> {
    drive(sampler, evaluate, options, progress, Some(pace))
}

/// The rounds of the next batch when the last one ran `rounds` rounds in `took`: about
/// `pace` at that rate, at least 1, at most twice `rounds` and at most `most`.
fn paced_batch(rounds: u64, took: Duration, pace: Duration, most: u64) -> u64 {
    let grown = rounds.saturating_mul(2).min(most).max(1);
    let took = took.as_secs_f64();
    if took <= 0.0 {
        return grown;
    }
    let wanted = rounds as f64 * pace.as_secs_f64() / took;
    // A float above u64::MAX saturates in the cast; `grown` caps it anyway.
    (wanted as u64).clamp(1, grown)
}

/// The loop of [`sample_batched`] and [`sample_paced`].
fn drive<E: From<Error>>(
    sampler: &mut Sampler,
    evaluate: impl FnMut(&[u64]) -> std::result::Result<Vec<f64>, E>,
    options: &Options,
    progress: impl FnMut(Progress) -> std::result::Result<(), E>,
    pace: Option<Duration>,
) -> std::result::Result<Estimate, E> {
    options.check()?;
    let target = match options.bound {
        Bound::Hoeffding { range } => Some(
            hoeffding_rounds(
                sampler.n(),
                sampler.method(),
                options.epsilon,
                options.delta,
                range,
            )?
            .min(options.max_rounds),
        ),
        Bound::EmpiricalBernstein => None,
    };
    let per_batch = options.rounds_per_batch(sampler.coalitions_per_round()) as u64;
    let pace = pace
        .filter(|_| options.batch.is_none())
        .map(|p| (p, per_batch));
    let mut run = Run {
        sampler,
        evaluate,
        progress,
        per_batch: if pace.is_some() { 1 } else { per_batch },
        pace,
        rounds: 0,
        target,
    };
    let converged = |est: &Estimate| est.half_widths.iter().all(|&h| h <= options.epsilon);
    run.report()?;
    if let Some(target) = target {
        run.advance(target)?;
        let mut est = run.sampler.estimate(options.delta, options.bound)?;
        est.converged = converged(&est);
        return Ok(est);
    }
    let mut k = 1u32;
    loop {
        run.advance(checkpoint(k).min(options.max_rounds))?;
        let mut est = run
            .sampler
            .estimate(check_delta(options.delta, k), options.bound)?;
        est.converged = converged(&est);
        if est.converged || run.rounds >= options.max_rounds {
            return Ok(est);
        }
        k += 1;
    }
}

/// Runs `sampler` with `value` (called once per proposed coalition mask) until the stopping
/// rule of `options` holds or `max_rounds` rounds are used: [`sample_batched`] with a closure
/// for one coalition at a time and no progress report.
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
    sample_batched(
        sampler,
        |masks| Ok(masks.iter().map(|&m| value(m)).collect()),
        options,
        |_| Ok(()),
    )
}
