//! Games whose worth is expensive to compute: a model evaluated only where a method needs it,
//! with a cache file that a crash cannot damage and that several processes can share.
//!
//! - [`LazyGame`]: a game from a closure (the model), evaluated on demand.
//! - [`Memo`]: its bookkeeping without the model (known worths, the cache, failures), for
//!   callers that evaluate coalitions elsewhere (the Python `LazyGame` uses it with any
//!   `concurrent.futures` executor or a Dask cluster).
//!
//! # The cache file
//!
//! An append-only text log: a checksummed JSON header line naming the players and the kind,
//! then one `mask value crc32` line per evaluated coalition (the value in the shortest form
//! that reads back to the same `f64`). Each record is appended as soon as its value lands, in
//! one `write` per batch under an exclusive file lock; the file is never rewritten in place.
//!
//! What a crash can cost, and what is detected:
//! - kill -9 (or Ctrl-C) at any moment loses at most the records in flight; a torn last line is
//!   cut off by the next writer; power loss or an OS crash loses at most about the last second
//!   of records (`fdatasync` at most once a second, and when the game is dropped);
//! - a damaged line (a flipped bit or digit, an appended `5 nan`, garbage) fails its CRC-32 or
//!   its parse and is never loaded: it is reported once ([`CacheReport`], with the file, the
//!   line and the coalition it claims; see [`LazyGame::cache_reports`]) and the coalition is
//!   recomputed when needed; NaN and infinite values never load;
//! - the cache of another game (other players or kind) is refused with [`Error::Cache`](crate::Error::Cache);
//! - two processes may fill one cache at once: each reads the other's new records before every
//!   evaluation and takes coalitions in its own random order, so they rarely duplicate work.
//!
//! Format-1 caches (no checksums) are upgraded when opened. The details are in `cache.rs` and
//! `header.rs`.

mod cache;
mod header;
mod memo;
mod record;
mod store;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

pub use cache::CacheReport;
pub use memo::Memo;
pub use record::crc32;

use crate::coalition::Coalition;
use crate::error::Result;
use crate::game::{Game, Kind};
use crate::solution::network::{Endpoint, Graph};
use crate::solution::sampling::{Estimate, Method, Options};

/// What a model may return: a worth (`f64`), or a `Result` whose error is recorded as the
/// coalition's failure (see [`Error::Model`](crate::Error::Model)).
pub trait ModelOutput {
    /// The worth, or the failure in words.
    fn into_worth(self) -> std::result::Result<f64, String>;
}

impl ModelOutput for f64 {
    fn into_worth(self) -> std::result::Result<f64, String> {
        Ok(self)
    }
}

impl<E: std::fmt::Display> ModelOutput for std::result::Result<f64, E> {
    fn into_worth(self) -> std::result::Result<f64, String> {
        self.map_err(|e| e.to_string())
    }
}

/// A game over named players whose worth comes from a model, evaluated on demand and cached.
///
/// The model returns an `f64` or a `Result<f64, E>`. A failure (an `Err`, a panic, or a NaN or
/// infinite value) does not stop the evaluation: every other coalition is still evaluated and
/// stored, and the call then returns [`Error::Model`](crate::Error::Model) naming the first failed coalition and the
/// counts; [`failures`](LazyGame::failures) lists them all, and a rerun evaluates only what
/// failed or is missing. With [`max_failures`](LazyGame::max_failures), evaluation stops as
/// soon as more coalitions than that have failed.
pub struct LazyGame<F> {
    memo: Memo,
    f: F,
    max_failures: Option<usize>,
}

/// Players, kind, how many worths are known, model calls, failures and the cache path; the
/// model (a closure) is not shown.
impl<F> std::fmt::Debug for LazyGame<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LazyGame")
            .field("players", &self.memo.players())
            .field("kind", &self.memo.kind())
            .field("known", &self.memo.evaluated())
            .field("calls", &self.memo.calls())
            .field("failures", &self.memo.failures().count())
            .field("cache", &self.memo.cache_path())
            .field("max_failures", &self.max_failures)
            .finish_non_exhaustive()
    }
}

/// Players, kind, how many worths are known, model calls, failures and the cache path.
impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Memo")
            .field("players", &self.players())
            .field("kind", &self.kind())
            .field("known", &self.evaluated())
            .field("calls", &self.calls())
            .field("failures", &self.failures().count())
            .field("cache", &self.cache_path())
            .finish_non_exhaustive()
    }
}

impl<F, R> LazyGame<F>
where
    F: FnMut(Coalition) -> R,
    R: ModelOutput,
{
    /// A lazy game of `players` (1 to 64 unique, nonempty names) with model `f`; `cache`, if
    /// given, is loaded when it exists (it must be the cache of the same players and kind;
    /// otherwise [`Error::Cache`](crate::Error::Cache)) and appended to as coalitions are evaluated.
    ///
    /// # Example
    /// ```
    /// use coalitional::lazy::LazyGame;
    /// use coalitional::Kind;
    /// let path = std::env::temp_dir().join(format!("coalitional-doc-{}.cache", std::process::id()));
    /// let _ = std::fs::remove_file(&path);
    /// let names: Vec<String> = vec!["a".into(), "b".into(), "c".into()];
    /// let mut g = LazyGame::new(names.clone(), Kind::Value, |s| s.len() as f64, Some(&path)).unwrap();
    /// g.evaluate(&[0b011, 0b111]).unwrap();
    /// assert_eq!(g.calls(), 2);
    /// // Later, or in another process: the two values come from the file.
    /// let mut again =
    ///     LazyGame::new(names, Kind::Value, |_| -> f64 { unreachable!() }, Some(&path)).unwrap();
    /// assert_eq!(again.evaluate(&[0b111]).unwrap(), vec![3.0]);
    /// # drop((g, again));
    /// # std::fs::remove_file(&path).unwrap();
    /// ```
    pub fn new(players: Vec<String>, kind: Kind, f: F, cache: Option<&Path>) -> Result<Self> {
        Ok(LazyGame {
            memo: Memo::new(players, kind, cache)?,
            f,
            max_failures: None,
        })
    }

    /// Restricts cooperation to a communication graph (`edges`: pairs of player indices or
    /// names): the model runs only on connected coalitions, the worth of any other is the sum
    /// over its connected components (Myerson 1977), and [`to_game`](LazyGame::to_game) is
    /// the graph-restricted game. Every method (evaluation, sampling, the dense game) answers
    /// for the restricted game; see [`Memo::with_graph`] (with an example: nine players on a
    /// path need 45 model runs, not 511).
    pub fn with_graph<A: Endpoint, B: Endpoint>(mut self, edges: &[(A, B)]) -> Result<Self> {
        self.memo = self.memo.with_graph(edges)?;
        Ok(self)
    }

    /// The communication graph, if any.
    pub fn graph(&self) -> Option<&Graph> {
        self.memo.graph()
    }

    /// Stops an evaluation as soon as more than `limit` coalitions have failed (`None`, the
    /// default: evaluate everything, then report the failures).
    pub fn max_failures(mut self, limit: Option<usize>) -> Self {
        self.max_failures = limit;
        self
    }

    /// Number of players.
    pub fn n(&self) -> usize {
        self.memo.n()
    }

    /// Player names.
    pub fn players(&self) -> &[String] {
        self.memo.players()
    }

    /// Calls of the model so far (cached values do not count).
    pub fn calls(&self) -> u64 {
        self.memo.calls()
    }

    /// Coalitions known (evaluated or loaded), the empty one excluded.
    pub fn evaluated(&self) -> usize {
        self.memo.evaluated()
    }

    /// The coalitions whose last evaluation failed, with the error.
    pub fn failures(&self) -> Vec<(Coalition, String)> {
        self.memo
            .failures()
            .map(|(m, e)| (Coalition::from_mask(m), e.to_string()))
            .collect()
    }

    /// What the cache file reported (corrupt lines skipped, an upgrade) since the game was
    /// created; each damaged line is reported by one load only.
    pub fn cache_reports(&self) -> &[CacheReport] {
        self.memo.reports()
    }

    /// The bookkeeping (known values, cache, failures).
    pub fn memo(&self) -> &Memo {
        &self.memo
    }

    /// The worth of each coalition (bit masks), evaluating only the ones not known; each new
    /// value is appended to the cache as soon as it is computed.
    pub fn evaluate(&mut self, masks: &[u64]) -> Result<Vec<f64>> {
        self.memo.plan(Some(masks), self.max_failures)?;
        self.run()?;
        self.memo.values(masks)
    }

    fn run(&mut self) -> Result<()> {
        while let Some(mask) = self.memo.next_mask()? {
            let f = &mut self.f;
            let out = catch_unwind(AssertUnwindSafe(|| f(Coalition::from_mask(mask))));
            match out.map(ModelOutput::into_worth) {
                Ok(Ok(value)) => self.memo.record(&[(mask, value)])?,
                Ok(Err(e)) => {
                    self.memo.record_failure(mask, e)?;
                }
                Err(panic) => {
                    let what = panic
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| panic.downcast_ref::<String>().cloned())
                        .unwrap_or_else(|| "a panic".into());
                    self.memo
                        .record_failure(mask, format!("the model panicked: {what}"))?;
                }
            }
        }
        self.memo.finish()
    }

    /// A sampling estimate of the Shapley value (`Method::Permutation` or `Stratified`) or
    /// the Banzhaf value (`Method::Banzhaf`); see [`crate::solution::sampling`].
    pub fn sample(&mut self, method: Method, options: &Options) -> Result<Estimate> {
        // One driver for every game: batches through `evaluate`, a model failure returned as
        // it is (the values that succeeded are kept, and cached).
        crate::cooperative::Cooperative::sample(self, method, options)
    }

    /// The dense game: every coalition evaluated. Memory is checked first for what this
    /// needs: the game's `2^n` values, plus one dense array of `2^n` values in this lazy
    /// game unless it has one already (so at most 16 bytes per coalition).
    pub fn to_game(&mut self) -> Result<Game> {
        self.memo.prepare_dense()?;
        self.memo.plan(None, self.max_failures)?;
        self.run()?;
        self.memo.dense_game()
    }
}
