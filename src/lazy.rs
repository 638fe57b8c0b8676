//! Games whose worth is expensive to compute: a closure evaluated only where a method needs it,
//! with a cache that can be saved to and resumed from disk.
//!
//! The cache file is text: a JSON header line (`{"format": "coalitional.cache", "version": 1,
//! "players": [...], "kind": "value"}`) and one `mask value` line per evaluated coalition
//! (values written in the shortest form that reads back to the same `f64`). It is the same
//! format the Python `LazyGame` writes, so a study can move between the two. Lines are appended
//! as coalitions are evaluated; an incomplete last line (a run killed while writing) is ignored.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::coalition::Coalition;
use crate::error::{Error, Result};
use crate::game::{validate_players, Game, Kind};
use crate::memory;
use crate::solution::sampling::{sample, Estimate, Method, Options, Sampler};

#[derive(Serialize, Deserialize)]
struct Header {
    format: String,
    version: u32,
    players: Vec<String>,
    kind: String,
}

/// A game over named players whose worth comes from a closure, evaluated on demand and cached.
pub struct LazyGame<F: FnMut(Coalition) -> f64> {
    players: Vec<String>,
    kind: Kind,
    f: F,
    cache: HashMap<u64, f64>,
    file: Option<PathBuf>,
    calls: u64,
}

impl<F: FnMut(Coalition) -> f64> LazyGame<F> {
    /// A lazy game of `players` (at most 64) with worth `f`; `cache`, if given, is loaded when
    /// it exists (it must be a cache of the same players and kind) and appended to as
    /// coalitions are evaluated.
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
    /// let mut again = LazyGame::new(names, Kind::Value, |_| panic!("not needed"), Some(&path)).unwrap();
    /// assert_eq!(again.evaluate(&[0b111]).unwrap(), vec![3.0]);
    /// # std::fs::remove_file(&path).unwrap();
    /// ```
    pub fn new(players: Vec<String>, kind: Kind, f: F, cache: Option<&Path>) -> Result<Self> {
        validate_players(&players)?;
        if players.len() > 64 {
            return Err(Error::InvalidParameter {
                name: "players",
                reason: format!("{} players; a lazy game supports at most 64", players.len()),
            });
        }
        let mut game = LazyGame {
            players,
            kind,
            f,
            cache: HashMap::from([(0, 0.0)]),
            file: cache.map(Path::to_path_buf),
            calls: 0,
        };
        if let Some(path) = cache {
            game.load(path)?;
        }
        Ok(game)
    }

    fn header(&self) -> Header {
        Header {
            format: "coalitional.cache".into(),
            version: 1,
            players: self.players.clone(),
            kind: self.kind.as_str().into(),
        }
    }

    fn io_error(path: &Path, e: std::io::Error) -> Error {
        Error::Format(format!("cache file {}: {e}", path.display()))
    }

    fn load(&mut self, path: &Path) -> Result<()> {
        if !path.exists() {
            let mut file = File::create(path).map_err(|e| Self::io_error(path, e))?;
            let header =
                serde_json::to_string(&self.header()).map_err(|e| Error::Format(e.to_string()))?;
            writeln!(file, "{header}").map_err(|e| Self::io_error(path, e))?;
            return Ok(());
        }
        let text = std::fs::read_to_string(path).map_err(|e| Self::io_error(path, e))?;
        let complete = text.ends_with('\n');
        let mut lines: Vec<&str> = text.split('\n').collect();
        lines.pop(); // "" after the final newline, or the incomplete last line
        let first = lines.first().copied().unwrap_or("");
        let header: Header = serde_json::from_str(first).map_err(|_| {
            Error::Format(format!(
                "{} is not a coalitional cache (bad header line)",
                path.display()
            ))
        })?;
        let mine = self.header();
        if header.format != mine.format
            || header.players != mine.players
            || header.kind != mine.kind
        {
            return Err(Error::Format(format!(
                "{} caches a different game (players {:?}, kind {}); use another file",
                path.display(),
                header.players,
                header.kind
            )));
        }
        for (k, line) in lines.iter().enumerate().skip(1) {
            if line.is_empty() {
                continue;
            }
            let parsed = line
                .split_once(' ')
                .and_then(|(m, v)| Some((m.parse::<u64>().ok()?, v.parse::<f64>().ok()?)));
            let Some((mask, value)) = parsed else {
                return Err(Error::Format(format!(
                    "{}, line {}: expected 'mask value', got {line:?}",
                    path.display(),
                    k + 1
                )));
            };
            self.cache.insert(mask, value);
        }
        if !complete {
            // Drop the incomplete line so that appends start on a fresh line.
            let kept: String = lines.iter().map(|l| format!("{l}\n")).collect();
            std::fs::write(path, kept).map_err(|e| Self::io_error(path, e))?;
        }
        Ok(())
    }

    /// Number of players.
    pub fn n(&self) -> usize {
        self.players.len()
    }

    /// Player names.
    pub fn players(&self) -> &[String] {
        &self.players
    }

    /// Calls of the closure so far (cache hits do not count).
    pub fn calls(&self) -> u64 {
        self.calls
    }

    /// Coalitions known (evaluated or loaded), the empty one excluded.
    pub fn evaluated(&self) -> usize {
        self.cache.len() - 1
    }

    /// The worth of each coalition (bit masks), evaluating only the ones not cached; new values
    /// are appended to the cache file.
    pub fn evaluate(&mut self, masks: &[u64]) -> Result<Vec<f64>> {
        let n = self.n();
        let mut fresh: Vec<(u64, f64)> = Vec::new();
        for &mask in masks {
            if n < 64 && mask >> n != 0 {
                return Err(Error::InvalidParameter {
                    name: "coalition",
                    reason: format!("mask {mask} has bits beyond the {n} players"),
                });
            }
            if !self.cache.contains_key(&mask) {
                let s = Coalition::from_mask(mask);
                let v = (self.f)(s);
                self.calls += 1;
                if !v.is_finite() {
                    return Err(Error::NonFinite {
                        coalition: s.names(&self.players),
                        index: mask as usize,
                        value: v,
                    });
                }
                self.cache.insert(mask, v);
                fresh.push((mask, v));
            }
        }
        if let (Some(path), false) = (&self.file, fresh.is_empty()) {
            let mut file = OpenOptions::new()
                .append(true)
                .open(path)
                .map_err(|e| Self::io_error(path, e))?;
            let lines: String = fresh.iter().map(|(m, v)| format!("{m} {v:?}\n")).collect();
            file.write_all(lines.as_bytes())
                .map_err(|e| Self::io_error(path, e))?;
        }
        Ok(masks.iter().map(|m| self.cache[m]).collect())
    }

    /// A sampling estimate of the Shapley value (`Method::Permutation` or `Stratified`) or
    /// the Banzhaf value (`Method::Banzhaf`); see [`crate::solution::sampling`].
    pub fn sample(&mut self, method: Method, options: &Options) -> Result<Estimate> {
        let mut sampler = Sampler::new(self.n(), method, options.seed)?;
        let mut failure: Option<Error> = None;
        let estimate = sample(
            &mut sampler,
            |mask| match self.evaluate(&[mask]) {
                Ok(v) => v[0],
                Err(e) => {
                    failure.get_or_insert(e);
                    0.0
                }
            },
            options,
        )?;
        match failure {
            Some(e) => Err(e),
            None => Ok(estimate),
        }
    }

    /// The dense game: every coalition evaluated (memory checked first).
    pub fn to_game(&mut self) -> Result<Game> {
        memory::check_dense(self.n(), 2)?;
        let masks: Vec<u64> = (0..1u64 << self.n()).collect();
        let values = self.evaluate(&masks)?;
        Game::with_kind(self.players.clone(), values, self.kind)
    }
}
