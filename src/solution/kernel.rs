//! The streaming kernel shared by the Shapley value and the Banzhaf value.
//!
//! Both are linear in `v` with weights that depend only on `|S|` and on whether `i ∈ S`:
//!
//! `x_i = sum_{S ∋ i} alpha(|S|) v(S) - sum_S beta(|S|) v(S)`,
//!
//! and in both the second sum follows from the first kind of sum (see the callers), so
//! [`weighted_bit_sums`] computes only `A_i = sum_{S ∋ i} alpha(|S|) v(S)` for every `i` and
//! `T = sum_S alpha(|S|) v(S)`, in one sequential read of the `2^n` values and O(2^n) flops
//! (not O(n 2^n)): the values are read in blocks of `2^K` consecutive masks, which share their
//! high bits. Within a block, `c = alpha(|S|) v(S)` is added to a per-position accumulator (for
//! the low `K` bits, resolved once at the end) and to the block's total (added to each high bit
//! set in the block number). The weights of a block come from a small table indexed by the
//! popcount of the high bits, so the inner loop is a branch-free multiply-add that vectorises.

use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::cancel;
use crate::coalition::Coalition;
use crate::error::Result;
use crate::progress::{Tally, Task};
use crate::solution::normal::Worths;

/// Low bits resolved per position: blocks of 2^8 = 256 values (2 KiB), 8 accumulator lanes.
pub(crate) const BLOCK_BITS: usize = 8;
const LANES: usize = 8;

/// `x(S)` for every mask of a block walk: the values are read in blocks of `2^k` consecutive
/// masks (`k = min(n, BLOCK_BITS)`), so `x(S) = low[j] + high(block)` with `j` the low `k` bits.
pub(crate) struct BlockSums<'a> {
    x: &'a [f64],
    /// Number of low bits per block.
    pub(crate) k: usize,
    /// `low[j] = sum of x_i over the set bits i < k of j`.
    pub(crate) low: Vec<f64>,
}

impl<'a> BlockSums<'a> {
    pub(crate) fn new(x: &'a [f64]) -> Self {
        let k = x.len().min(BLOCK_BITS);
        let low = (0..1usize << k)
            .map(|j| members(j).map(|i| x[i]).sum())
            .collect();
        BlockSums { x, k, low }
    }

    /// Number of masks per block.
    pub(crate) fn block(&self) -> usize {
        1 << self.k
    }

    /// The sum of `x` over the players whose bits are set in the block number.
    pub(crate) fn high(&self, blk: usize) -> f64 {
        members(blk).map(|t| self.x[self.k + t]).sum()
    }
}

/// The set bits of a mask, lowest first.
pub(crate) fn members(mask: usize) -> impl Iterator<Item = usize> {
    Coalition::from_mask(mask as u64).members()
}

/// Threads for a pass over `len` values: one below 2^18 values (a thread costs more than it
/// saves there), else the available cores (at most 8).
fn kernel_threads(len: usize) -> usize {
    if len < 1 << 18 {
        return 1;
    }
    std::thread::available_parallelism().map_or(1, |c| c.get().min(8))
}

/// Blocks between two cancellation checks of a pass: 2^10 blocks of 2^8 values, a few hundred
/// microseconds of work (see `crate::cancel`).
pub(crate) const BLOCKS_PER_CHECK: usize = 1 << 10;

/// Checks for cancellation at every [`BLOCKS_PER_CHECK`]-th block of a pass: the block check
/// of the passes that can report [`crate::Error::Interrupted`].
#[inline]
pub(crate) fn check_at(blk: usize) -> Result<()> {
    if blk.is_multiple_of(BLOCKS_PER_CHECK) {
        cancel::check()
    } else {
        Ok(())
    }
}

/// The block check of the passes that cannot report cancellation (`Game::shapley`,
/// `Game::banzhaf`): none, with an error type that proves it.
#[inline]
pub(crate) fn never(_blk: usize) -> std::result::Result<(), Infallible> {
    Ok(())
}

/// Runs `run` over the blocks `0..blocks` of a pass over `len` values: on one thread, or (for
/// large passes) split into one contiguous range per thread, the results combined in range
/// order by `merge` (so the result depends on the number of threads only, never on timing).
///
/// Cancellation: `run` is expected to call a block check ([`check_at`]) as it goes. The
/// calling thread runs the first range itself and then waits for the workers in sleeps of at
/// most 10 ms (a finishing worker wakes it), checking between them; the workers run with the
/// calling thread's cancellation flags ([`cancel::Inherited`]) but no poll, so a poll on the
/// calling thread (the Python binding's signal check) keeps running during the whole pass, and
/// the flag it sets stops the workers at their next check. The first error, in range order,
/// is returned.
pub(crate) fn over_blocks<T: Send, E: Send>(
    len: usize,
    blocks: usize,
    run: impl Fn(std::ops::Range<usize>) -> std::result::Result<T, E> + Sync,
    merge: impl Fn(T, T) -> T,
) -> std::result::Result<T, E> {
    let threads = kernel_threads(len).min(blocks);
    if threads <= 1 {
        return run(0..blocks);
    }
    let per = blocks.div_ceil(threads);
    let range = |t: usize| (t * per).min(blocks)..((t + 1) * per).min(blocks);
    let run = &run;
    let inherited = cancel::Inherited::current();
    let inherited = &inherited;
    let caller = std::thread::current();
    // Workers still running; each decrements it when its range is done, then wakes the caller.
    let running = AtomicUsize::new(threads - 1);
    let running = &running;
    std::thread::scope(|scope| {
        let handles: Vec<_> = (1..threads)
            .map(|t| {
                let (range, caller) = (range(t), caller.clone());
                scope.spawn(move || {
                    let out = inherited.enter(|| run(range));
                    running.fetch_sub(1, Ordering::Release);
                    caller.unpark();
                    out
                })
            })
            .collect();
        let first = run(range(0));
        while running.load(Ordering::Acquire) > 0 {
            // The result does not matter here: a cancelled pass is reported by the ranges
            // (the flag that made this check fail stops them too).
            let _ = cancel::check();
            std::thread::park_timeout(std::time::Duration::from_millis(10));
        }
        let mut out = first;
        for h in handles {
            let next = h
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            out = match (out, next) {
                (Ok(x), Ok(y)) => Ok(merge(x, y)),
                (Err(e), _) | (Ok(_), Err(e)) => Err(e),
            };
        }
        out
    })
}

/// `(A, T)` with `A_i = sum_{S ∋ i} alpha[|S|] w(S)` and `T = sum_S alpha[|S|] w(S)`, where
/// `w` are the worths, read block by block (the zero-normalised game, never stored).
/// `check` is called with every block number ([`check_at`], or [`never()`]); its error, the
/// only one, is returned. The values read are counted on `task` (by every thread, every
/// [`BLOCKS_PER_CHECK`] blocks).
///
/// `alpha` has `n + 1` entries (index = `|S|`).
pub(crate) fn weighted_bit_sums<E: Send>(
    w: Worths<'_>,
    alpha: &[f64],
    check: impl Fn(usize) -> std::result::Result<(), E> + Sync,
    task: &Task,
) -> std::result::Result<(Vec<f64>, f64), E> {
    let n = w.n();
    debug_assert_eq!(alpha.len(), n + 1);
    let k = n.min(BLOCK_BITS);
    let block = 1usize << k;
    let high_bits = n - k;

    // Weight table: row h (popcount of the block number) holds alpha[popcount(j) + h].
    let table: Vec<Vec<f64>> = (0..=high_bits)
        .map(|h| {
            (0..block)
                .map(|j| alpha[j.count_ones() as usize + h])
                .collect()
        })
        .collect();

    // Blocks are split into contiguous ranges, one per thread (large games only); each thread
    // keeps its own accumulators, summed at the end.
    let blocks = w.len() / block;
    let run = |range: std::ops::Range<usize>| {
        let mut acc = vec![0.0f64; block];
        let mut high = vec![0.0f64; high_bits];
        let mut normal = vec![0.0f64; block];
        let mut tally = Tally::new(task, (BLOCKS_PER_CHECK * block) as u64);
        for blk in range {
            check(blk)?;
            tally.add(block as u64);
            let chunk = w.block(blk, &mut normal);
            let block_sum = block_pass(chunk, &table[blk.count_ones() as usize], &mut acc);
            for t in members(blk) {
                high[t] += block_sum;
            }
        }
        Ok((acc, high))
    };
    let (acc, high) = over_blocks(w.len(), blocks, run, |mut x, y| {
        x.0.iter_mut().zip(y.0).for_each(|(a, b)| *a += b);
        x.1.iter_mut().zip(y.1).for_each(|(a, b)| *a += b);
        x
    })?;

    let mut a = vec![0.0f64; n];
    for (j, &c) in acc.iter().enumerate() {
        for i in members(j) {
            a[i] += c;
        }
    }
    a[k..].copy_from_slice(&high);
    Ok((a, acc.iter().sum()))
}

/// One block: `acc[j] += w[j] v[j]`; returns `sum_j w[j] v[j]`.
#[inline]
fn block_pass(v: &[f64], w: &[f64], acc: &mut [f64]) -> f64 {
    let len = v.len();
    let (w, acc) = (&w[..len], &mut acc[..len]);
    if len < LANES {
        let mut sum = 0.0;
        for j in 0..len {
            let c = v[j] * w[j];
            acc[j] += c;
            sum += c;
        }
        return sum;
    }
    let mut lanes = [0.0f64; LANES];
    for ((v8, w8), acc8) in v
        .chunks_exact(LANES)
        .zip(w.chunks_exact(LANES))
        .zip(acc.chunks_exact_mut(LANES))
    {
        for l in 0..LANES {
            let c = v8[l] * w8[l];
            acc8[l] += c;
            lanes[l] += c;
        }
    }
    lanes.iter().sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solution::normal::Shift;

    /// The definition, term by term.
    fn naive(values: &[f64], n: usize, alpha: &[f64]) -> (Vec<f64>, f64) {
        let mut a = vec![0.0; n];
        let mut b = 0.0;
        for (s, &v) in values.iter().enumerate() {
            let size = s.count_ones() as usize;
            b += alpha[size] * v;
            for (i, ai) in a.iter_mut().enumerate() {
                if s & (1 << i) != 0 {
                    *ai += alpha[size] * v;
                }
            }
        }
        (a, b)
    }

    #[test]
    fn threaded_pass_matches_the_definition() {
        // 2^19 values: above the threshold for threads, so the split and merge are exercised.
        let n = 19;
        assert!(kernel_threads(1 << n) >= 1);
        let values: Vec<f64> = (0..1usize << n)
            .map(|s| ((s * 2654435761) % 1000) as f64 / 10.0)
            .collect();
        let alpha: Vec<f64> = (0..=n).map(|s| 1.0 / (1.0 + s as f64)).collect();
        let Ok((a, b)) = weighted_bit_sums(
            Worths::new(&values, &Shift::new(1.0, 1.0, vec![0.0; n])),
            &alpha,
            never,
            &Task::none(),
        );
        let (a0, b0) = naive(&values, n, &alpha);
        assert!((b - b0).abs() < 1e-9 * b0.abs());
        for i in 0..n {
            assert!((a[i] - a0[i]).abs() < 1e-9 * a0[i].abs(), "i={i}");
        }
    }

    #[test]
    fn a_cancelled_pass_stops_on_every_thread() {
        // 2^19 values: threaded; the worker gets the flag from the calling thread.
        let n = 19;
        let values = vec![1.0; 1 << n];
        let alpha = vec![1.0; n + 1];
        let shift = Shift::new(1.0, 1.0, vec![0.0; n]);
        let token = crate::cancel::Token::new();
        token.cancel();
        let got = token.run(|| {
            weighted_bit_sums(
                Worths::new(&values, &shift),
                &alpha,
                check_at,
                &Task::none(),
            )
        });
        assert_eq!(got, Err(crate::Error::Interrupted));
        // Without a check the pass ignores the token and is exact.
        let Ok((a, t)) = token
            .run(|| weighted_bit_sums(Worths::new(&values, &shift), &alpha, never, &Task::none()));
        assert_eq!(t, (1u64 << n) as f64);
        assert!(a.iter().all(|&x| x == (1u64 << (n - 1)) as f64));
    }

    #[test]
    fn matches_the_definition_for_every_block_shape() {
        for n in [1usize, 2, 3, 4, 7, 8, 9, 11, 13] {
            let values: Vec<f64> = (0..1usize << n)
                .map(|s| ((s * 7919 + 13) % 101) as f64 - 50.0)
                .collect();
            let alpha: Vec<f64> = (0..=n).map(|s| 1.0 + s as f64 * 0.5).collect();
            let Ok((a, b)) = weighted_bit_sums(
                Worths::new(&values, &Shift::new(1.0, 1.0, vec![0.0; n])),
                &alpha,
                never,
                &Task::none(),
            );
            let (a0, b0) = naive(&values, n, &alpha);
            assert!(
                (b - b0).abs() < 1e-9 * (1.0 + b0.abs()),
                "n={n}: {b} vs {b0}"
            );
            for i in 0..n {
                assert!(
                    (a[i] - a0[i]).abs() < 1e-9 * (1.0 + a0[i].abs()),
                    "n={n} i={i}"
                );
            }
        }
    }
}
