//! Sampling estimates of the Shapley and Banzhaf values, for games too large to enumerate or
//! whose worth `v(S)` is expensive (the output of a model run once per coalition).
//!
//! A [`Sampler`] proposes the coalitions it needs ([`Sampler::propose`]), the caller evaluates
//! them however it likes (a closure, a cache, a process pool, a cluster) and feeds the values
//! back in the same order ([`Sampler::feed`]); [`Sampler::estimate`] gives the estimates with
//! per-player confidence intervals. [`sample_batched`] runs the loop with the stopping rule of
//! its [`Options`], evaluating a batch of coalitions at a time through a fallible callback (the
//! Python package's `shapley_sample` and `banzhaf_sample` run this very loop, so a seed gives
//! the same estimate, bit for bit, from Rust and from Python); [`sample`] is the same loop
//! with a closure for one coalition. An [`Estimate`] prints readably (`Display`, and
//! [`Estimate::labelled`] with the players' names and the run).
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
//!   [`sample_batched`] checks the stopping rule (every `h_i <= epsilon`) only after
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
//!   a guarantee with no assumption; [`sample_batched`] draws the number of rounds it needs up front
//!   ([`hoeffding_rounds`]), so no stopping rule is involved.
//!
//! An estimate of a cell with no sample is unknown: its half-width (and standard error) is
//! infinite, as it is under the empirical Bernstein bound while a random cell has fewer than
//! two samples. [`sample_batched`] refuses `max_rounds = 0` ([`Options::check`]).
//!
//! The random numbers come from xoshiro256** seeded by SplitMix64 (D. Blackman and S. Vigna,
//! 2018), so a seed reproduces a run exactly, whatever evaluates the coalitions and however
//! the rounds are split into batches.
//!
//! The code is split by concern: `rng` (the random source), `sampler` (the [`Sampler`]:
//! proposals and feeding), `bounds` (the statistics and the error bounds), `driver`
//! ([`sample_batched`], [`sample`] and their [`Options`]) and `report` (`Display`).

mod bounds;
mod driver;
mod report;
pub(crate) mod rng;
mod sampler;

pub use bounds::{check_delta, checkpoint, hoeffding_rounds, Bound};
pub use driver::{
    sample, sample_batched, sample_paced, Options, Progress, BATCH_COALITIONS, MAX_BATCH_COALITIONS,
};
#[cfg(feature = "python")]
pub(crate) use report::shown_numbers;
pub use report::Labelled;
pub use sampler::{Estimate, Method, Sampler};
