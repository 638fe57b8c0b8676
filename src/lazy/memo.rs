//! [`Memo`]: the bookkeeping of a lazy game without its model.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use super::cache::{CacheFile, CacheReport};
use super::store::Store;
use crate::coalition::Coalition;
use crate::error::{Error, Result};
use crate::game::{validate_players, Game, Kind};
use crate::memory::{self, MAX_DENSE_PLAYERS};
use crate::solution::network::{Endpoint, Graph};

/// The coalitions still to evaluate in a run.
enum Plan {
    /// Given masks, deduplicated (and shuffled when a cache file is shared).
    List { masks: Vec<u64>, next: usize },
    /// Every nonempty coalition, in the order `i -> permute(i)` (see [`permute`]) with these
    /// keys, or in increasing order without keys.
    All {
        keys: Option<[u64; 6]>,
        n: usize,
        i: u64,
        size: u64,
    },
}

/// The state of one run (one `evaluate`).
#[derive(Default)]
struct Run {
    succeeded: usize,
    failed: Vec<u64>,
    max_failures: Option<usize>,
    stopped: bool,
}

/// The worths known so far, the cache file, and the failures of a lazy game: everything but
/// the model, so that a caller can evaluate coalitions wherever it likes (a thread pool, a
/// cluster) and hand the results back.
///
/// A run goes: [`plan`](Memo::plan) the coalitions wanted, take them with
/// [`next_mask`](Memo::next_mask) (which first reads what other processes stored in a shared
/// cache, and skips what is known), hand each result back with [`record`](Memo::record) or
/// [`record_failure`](Memo::record_failure) as it lands (a success is appended to the cache at
/// once), and close with [`finish`](Memo::finish), which returns [`Error::Model`] if any
/// coalition failed. [`LazyGame`](super::LazyGame) is this loop with a closure.
pub struct Memo {
    players: Vec<String>,
    kind: Kind,
    store: Store,
    cache: Option<CacheFile>,
    /// Coalitions whose last evaluation failed (and none has succeeded since), with the error.
    failures: BTreeMap<u64, String>,
    calls: u64,
    run: Run,
    plan: Plan,
    rng: u64,
    /// With a communication graph, only connected coalitions go to the model; the worth of
    /// any other is the sum of its components' (the graph-restricted game, Myerson 1977).
    graph: Option<Graph>,
}

impl Memo {
    /// The memo of a game of `players` (1 to 64 names, unique and nonempty) and `kind`; with
    /// `cache`, the records of that file are loaded (it is created if missing) and new values
    /// are appended to it. See [`crate::lazy`] for the file format and its guarantees.
    pub fn new(players: Vec<String>, kind: Kind, cache: Option<&Path>) -> Result<Memo> {
        validate_players(&players)?;
        if players.len() > 64 {
            return Err(Error::InvalidParameter {
                name: "players",
                reason: format!(
                    "{} players; a lazy game supports at most 64 (coalitions are 64-bit masks)",
                    players.len()
                ),
            });
        }
        let mut store = Store::new(players.len());
        let cache = match cache {
            Some(path) => Some(CacheFile::open(
                path,
                &players,
                kind.as_str(),
                &mut |m, v| {
                    store.insert(m, v);
                },
            )?),
            None => None,
        };
        let rng = seed();
        Ok(Memo {
            players,
            kind,
            store,
            cache,
            failures: BTreeMap::new(),
            calls: 0,
            run: Run::default(),
            plan: Plan::List {
                masks: Vec::new(),
                next: 0,
            },
            rng,
            graph: None,
        })
    }

    /// Restricts cooperation to a communication graph (`edges`: pairs of player indices or
    /// names; duplicates are harmless, self-loops and unknown players are errors, see
    /// [`Graph::new`]): from then on the model is asked only for connected coalitions, and
    /// the worth of a disconnected coalition is the sum of the worths of its connected
    /// components, `v^G(S) = sum_{T in S/G} v(T)` (Myerson 1977). The dense game is then the
    /// graph-restricted game ([`Game::graph_restricted`] of the model's game). Values already
    /// known (from the cache) are kept; those of disconnected coalitions are no longer read.
    ///
    /// # Example
    /// Nine players on a path: `to_game` needs the model on the 45 connected coalitions, not
    /// on all 511.
    /// ```
    /// use coalitional::lazy::LazyGame;
    /// use coalitional::Kind;
    /// let names: Vec<String> = (1..=9).map(|i| format!("city{i}")).collect();
    /// let path: Vec<(usize, usize)> = (0..8).map(|i| (i, i + 1)).collect();
    /// let mut g = LazyGame::new(names, Kind::Value, |s| (s.len() as f64).powi(2), None)
    ///     .unwrap()
    ///     .with_graph(&path)
    ///     .unwrap();
    /// let dense = g.to_game().unwrap();
    /// assert_eq!(g.calls(), 45);
    /// assert_eq!(dense.values()[0b101], 2.0); // {city1, city3}: two singletons
    /// ```
    pub fn with_graph<A: Endpoint, B: Endpoint>(mut self, edges: &[(A, B)]) -> Result<Memo> {
        self.graph = Some(Graph::new(&self.players, edges)?);
        Ok(self)
    }

    /// The communication graph, if any.
    pub fn graph(&self) -> Option<&Graph> {
        self.graph.as_ref()
    }

    /// The coalitions the model must know for the worths of `masks`: the masks themselves,
    /// or with a graph their connected components.
    fn needed(&self, masks: &[u64]) -> Vec<u64> {
        match &self.graph {
            None => masks.to_vec(),
            Some(g) => masks.iter().flat_map(|&m| g.components(m)).collect(),
        }
    }

    /// Whether the model is ever asked for `mask` (with a graph: only connected coalitions).
    fn modelled(&self, mask: u64) -> bool {
        self.graph.as_ref().is_none_or(|g| g.is_connected(mask))
    }

    /// How many model runs a [`plan`](Memo::plan) of `masks` (all coalitions if `None`) would
    /// need now: the coalitions it needs that are not known (with a graph, the unknown
    /// connected components of `masks`, or the unknown connected coalitions). `None` counts
    /// by a pass over the `2^n` masks when there is a graph.
    pub fn missing(&self, masks: Option<&[u64]>) -> Result<u64> {
        let n = self.n();
        match masks {
            Some(masks) => {
                let mut todo: Vec<u64> = self
                    .needed(masks)
                    .into_iter()
                    .filter(|&m| m != 0 && self.store.get(m).is_none())
                    .collect();
                todo.sort_unstable();
                todo.dedup();
                Ok(todo.len() as u64)
            }
            None => {
                memory::check_dense(n, 1)?;
                Ok((1..1u64 << n)
                    .filter(|&m| self.modelled(m) && self.store.get(m).is_none())
                    .count() as u64)
            }
        }
    }

    /// Number of players.
    pub fn n(&self) -> usize {
        self.players.len()
    }

    /// Player names.
    pub fn players(&self) -> &[String] {
        &self.players
    }

    /// The kind of game.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// The cache file, if any.
    pub fn cache_path(&self) -> Option<&Path> {
        self.cache.as_ref().map(CacheFile::path)
    }

    /// Model evaluations that landed here (successes and failures; cached values not counted).
    pub fn calls(&self) -> u64 {
        self.calls
    }

    /// Coalitions known (evaluated, or loaded from the cache), the empty one excluded.
    pub fn evaluated(&self) -> usize {
        self.store.known() - 1
    }

    /// The worth of a coalition, if known (with a graph: the sum over its connected
    /// components, if each is known).
    pub fn get(&self, mask: u64) -> Option<f64> {
        match &self.graph {
            None => self.store.get(mask),
            Some(g) => self.restricted(g, mask),
        }
    }

    /// `v^G(S) = v(C) + v^G(S \ C)`, `C` the component of the lowest member of `S`: the sum
    /// in the order of `Graph::restrict_in_place`, so that both give the same bits.
    fn restricted(&self, g: &Graph, s: u64) -> Option<f64> {
        if s == 0 {
            return Some(0.0);
        }
        let c = g.component_of(s, s & s.wrapping_neg());
        let v = self.store.get(c)?;
        if c == s {
            Some(v)
        } else {
            Some(v + self.restricted(g, s & !c)?)
        }
    }

    /// The known coalitions' masks, the empty one excluded, in increasing order.
    pub fn known_masks(&self) -> Vec<u64> {
        self.store.masks()
    }

    /// What the cache file reported (corrupt lines skipped, an upgrade), not yet taken.
    pub fn reports(&self) -> &[CacheReport] {
        self.cache.as_ref().map_or(&[], |c| c.reports())
    }

    /// Takes the reports, so that each is shown once.
    pub fn take_reports(&mut self) -> Vec<CacheReport> {
        self.cache
            .as_mut()
            .map_or_else(Vec::new, CacheFile::take_reports)
    }

    /// The coalitions whose last evaluation failed, with the error, by mask.
    pub fn failures(&self) -> impl Iterator<Item = (u64, &str)> {
        self.failures.iter().map(|(&m, e)| (m, e.as_str()))
    }

    /// The coalitions that failed in the current run, in the order the failures landed.
    pub fn run_failures(&self) -> &[u64] {
        &self.run.failed
    }

    /// The failure limit of the current run.
    pub fn max_failures(&self) -> Option<usize> {
        self.run.max_failures
    }

    /// Whether the current run stopped because failures passed `max_failures`.
    pub fn stopped(&self) -> bool {
        self.run.stopped
    }

    /// Starts a run over `masks` (all nonempty coalitions if `None`; at most 36 players then).
    /// The run stops at once when more than `max_failures` coalitions have failed.
    pub fn plan(&mut self, masks: Option<&[u64]>, max_failures: Option<usize>) -> Result<()> {
        let n = self.n();
        self.run = Run {
            max_failures,
            ..Run::default()
        };
        self.plan = match masks {
            Some(masks) => {
                if let Some(&bad) = masks.iter().find(|&&m| n < 64 && m >> n != 0) {
                    return Err(Error::InvalidParameter {
                        name: "coalition",
                        reason: format!("mask {bad} has bits beyond the {n} players"),
                    });
                }
                let mut todo: Vec<u64> = self
                    .needed(masks)
                    .into_iter()
                    .filter(|&m| self.store.get(m).is_none())
                    .collect();
                todo.sort_unstable();
                todo.dedup();
                if self.cache.is_some() {
                    self.shuffle(&mut todo);
                }
                Plan::List {
                    masks: todo,
                    next: 0,
                }
            }
            None => {
                if n > MAX_DENSE_PLAYERS {
                    memory::check_dense(n, 1)?;
                }
                let keys = self
                    .cache
                    .is_some()
                    .then(|| std::array::from_fn(|_| self.random()));
                Plan::All {
                    keys,
                    n,
                    i: 0,
                    size: 1 << n,
                }
            }
        };
        Ok(())
    }

    /// The next coalition of the run that is not known, after reading what other processes
    /// appended to the cache; `None` when the run is done or stopped.
    pub fn next_mask(&mut self) -> Result<Option<u64>> {
        if self.run.stopped {
            return Ok(None);
        }
        let Memo { cache, store, .. } = self;
        if let Some(cache) = cache {
            cache.refresh(&mut |m, v| {
                store.insert(m, v);
            })?;
        }
        loop {
            let mask = match &mut self.plan {
                Plan::List { masks, next } => {
                    let Some(&m) = masks.get(*next) else {
                        return Ok(None);
                    };
                    *next += 1;
                    m
                }
                Plan::All { keys, n, i, size } => {
                    if *i >= *size {
                        return Ok(None);
                    }
                    let m = keys.as_ref().map_or(*i, |k| permute(*i, *n, k));
                    *i += 1;
                    m
                }
            };
            if mask != 0 && self.store.get(mask).is_none() && self.modelled(mask) {
                return Ok(Some(mask));
            }
        }
    }

    /// Up to `k` coalitions from [`next_mask`](Memo::next_mask).
    pub fn next_batch(&mut self, k: usize) -> Result<Vec<u64>> {
        let mut out = Vec::with_capacity(k.min(4096));
        while out.len() < k {
            match self.next_mask()? {
                Some(m) => out.push(m),
                None => break,
            }
        }
        Ok(out)
    }

    /// Stores successful evaluations (one append to the cache for all of them). A value that
    /// is not finite is recorded as a failure of its coalition instead.
    pub fn record(&mut self, results: &[(u64, f64)]) -> Result<()> {
        for &(mask, _) in results {
            self.check_mask(mask)?;
        }
        self.calls += results.len() as u64;
        let mut fresh = Vec::with_capacity(results.len());
        for &(mask, value) in results {
            if !value.is_finite() {
                let why = Error::NonFinite {
                    coalition: self.names(mask),
                    index: mask as usize,
                    value,
                };
                self.calls -= 1;
                self.record_failure(mask, why.to_string())?;
                continue;
            }
            self.run.succeeded += 1;
            self.failures.remove(&mask);
            if self.store.insert(mask, value) {
                fresh.push((mask, value));
            }
        }
        let Memo { cache, store, .. } = self;
        match cache {
            Some(cache) if !fresh.is_empty() => cache.append(&fresh, &mut |m, v| {
                store.insert(m, v);
            }),
            _ => Ok(()),
        }
    }

    /// Records that evaluating `mask` failed with `error`; true if the run must now stop
    /// (more than `max_failures` failures).
    pub fn record_failure(&mut self, mask: u64, error: String) -> Result<bool> {
        self.check_mask(mask)?;
        self.calls += 1;
        self.failures.insert(mask, error);
        self.run.failed.push(mask);
        if let Some(limit) = self.run.max_failures {
            if self.run.failed.len() > limit {
                self.run.stopped = true;
            }
        }
        Ok(self.run.stopped)
    }

    /// A mask of a nonempty coalition of the players, or an error.
    pub(crate) fn check_mask(&self, mask: u64) -> Result<()> {
        let n = self.n();
        if mask == 0 || (n < 64 && mask >> n != 0) {
            return Err(Error::InvalidParameter {
                name: "coalition",
                reason: format!("mask {mask} is not a nonempty coalition of the {n} players"),
            });
        }
        Ok(())
    }

    /// Ends the run: [`Error::Model`] if a coalition failed (every success is kept).
    pub fn finish(&mut self) -> Result<()> {
        let Some(&first) = self.run.failed.first() else {
            return Ok(());
        };
        Err(Error::Model {
            failed: self.run.failed.len(),
            succeeded: self.run.succeeded,
            first_coalition: self.names(first),
            first_error: self.failures.get(&first).cloned().unwrap_or_default(),
        })
    }

    /// The worths of `masks`, which must all be known (with a graph: the connected
    /// components of each).
    pub fn values(&self, masks: &[u64]) -> Result<Vec<f64>> {
        masks
            .iter()
            .map(|&m| {
                self.get(m).ok_or_else(|| Error::InvalidParameter {
                    name: "coalition",
                    reason: format!("the worth of {} is not known yet", self.names(m)),
                })
            })
            .collect()
    }

    /// Checks the memory for [`dense_game`](Memo::dense_game) (the dense array of this memo,
    /// unless it has one, and the game's copy) and switches to the dense array.
    pub fn prepare_dense(&mut self) -> Result<()> {
        let copies = if self.store.is_dense() { 1 } else { 2 };
        memory::check_dense(self.n(), copies)?;
        self.store.densify();
        Ok(())
    }

    /// The dense game, once every coalition is known (after [`prepare_dense`](Memo::prepare_dense)).
    pub fn dense_game(&self) -> Result<Game> {
        match (self.store.dense(), &self.graph) {
            (Some(values), None) if self.store.known() == values.len() => {
                Game::with_kind(self.players.clone(), values.to_vec(), self.kind)
            }
            (Some(values), Some(graph)) => {
                let mut values = values.to_vec();
                graph.restrict_in_place(&mut values);
                if let Some(first) = values.iter().position(|v| v.is_nan()) {
                    return Err(Error::InvalidParameter {
                        name: "coalition",
                        reason: format!(
                            "the worth of {} is not known yet; evaluate every connected coalition first",
                            self.names(first as u64)
                        ),
                    });
                }
                Game::with_kind(self.players.clone(), values, self.kind)
            }
            _ => Err(Error::InvalidParameter {
                name: "coalition",
                reason: format!(
                    "only {} of the {} coalitions are known; evaluate them all first",
                    self.store.known(),
                    1u128 << self.n()
                ),
            }),
        }
    }

    /// Flushes the cache file to the disk.
    pub fn sync(&mut self) -> Result<()> {
        self.cache.as_mut().map_or(Ok(()), CacheFile::sync)
    }

    /// A coalition written with the players' names.
    pub fn names(&self, mask: u64) -> String {
        Coalition::from_mask(mask).names(&self.players)
    }

    /// splitmix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators",
    /// OOPSLA 2014).
    fn random(&mut self) -> u64 {
        self.rng = self.rng.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Fisher-Yates: processes sharing a cache take coalitions in different orders, so they
    /// rarely evaluate the same one at the same time.
    fn shuffle(&mut self, v: &mut [u64]) {
        for k in (1..v.len()).rev() {
            let j = (self.random() % (k as u64 + 1)) as usize;
            v.swap(k, j);
        }
    }
}

/// A pseudo-random bijection of the `n`-bit numbers (`n <= 63`): three rounds of multiplying
/// by an odd key and adding a key modulo `2^n`, then `x ^= x >> ceil(n / 2)`; each step is
/// invertible. Processes sharing a cache draw their own keys, so their orders look independent
/// and they rarely evaluate the same coalition at the same time (an affine order `a i + b`
/// would not do: two of them agree on many `i`).
fn permute(mut x: u64, n: usize, keys: &[u64; 6]) -> u64 {
    let mask = (1u64 << n) - 1;
    let shift = n.div_ceil(2).max(1);
    for round in keys.chunks_exact(2) {
        x = x.wrapping_mul(round[0] | 1).wrapping_add(round[1]) & mask;
        x ^= x >> shift;
    }
    x
}

/// A seed that differs between processes and between memos.
fn seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    static COUNT: AtomicU64 = AtomicU64::new(0);
    let k = COUNT.fetch_add(1, Ordering::Relaxed);
    nanos ^ (u64::from(std::process::id()) << 32) ^ k.wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

#[cfg(test)]
mod tests {
    use super::permute;

    #[test]
    fn permute_is_a_bijection() {
        for n in 1..=12 {
            let keys = [3, 5, 0x9E37_79B9, 11, u64::MAX, 7];
            let mut seen = vec![false; 1 << n];
            for i in 0..1u64 << n {
                let m = permute(i, n, &keys) as usize;
                assert!(!seen[m], "n = {n}: {m} twice");
                seen[m] = true;
            }
        }
    }
}
