//! The walk down the excess levels of a point, shared by the polish and the Kohlberg walk.

use std::collections::HashSet;

use crate::error::Result;
use crate::game::Game;
use crate::solution::core::most_violated_weighted;

/// Coalitions fetched per scan when walking down the excess levels.
const LEVEL_BATCH: usize = 4096;

/// The excess levels of `x` (weighted excesses `e(S, x) / w(S)` when the walk has weights),
/// from the top: each step yields the highest excess among the
/// coalitions (proper, nonempty) not yet yielded, and the coalitions within `tol` below it.
/// Coalitions are fetched from the `2^n` values in batches of [`LEVEL_BATCH`], so that a walk
/// through many thin levels costs a few scans rather than two per level.
pub(super) struct Levels<'a> {
    values: &'a [f64],
    /// Reciprocal weights by mask, `None` for the plain excess.
    inv_w: Option<&'a [f64]>,
    sign: f64,
    x: &'a [f64],
    tol: f64,
    seen: HashSet<u64>,
    buffer: Vec<(f64, u64)>,
    pos: usize,
    /// The buffer holds every coalition not yet seen.
    complete: bool,
}

impl<'a> Levels<'a> {
    pub(super) fn new(
        game: &'a Game,
        inv_w: Option<&'a [f64]>,
        sign: f64,
        x: &'a [f64],
        tol: f64,
    ) -> Self {
        Levels {
            values: game.values(),
            inv_w,
            sign,
            x,
            tol,
            seen: HashSet::new(),
            buffer: Vec::new(),
            pos: 0,
            complete: false,
        }
    }

    /// The next level and its coalitions (at most `limit` of them when one level alone is
    /// that large), or `None` when every coalition has been yielded. Fails only when
    /// cancelled (the scans check).
    pub(super) fn next(&mut self, limit: usize) -> Result<Option<(f64, Vec<u64>)>> {
        if self.pos == self.buffer.len() {
            if self.complete {
                return Ok(None);
            }
            let (_, found) = most_violated_weighted(
                self.values,
                self.inv_w,
                self.sign,
                self.x,
                false,
                f64::NEG_INFINITY,
                LEVEL_BATCH,
                Some(&self.seen),
            )?;
            self.complete = found.len() < LEVEL_BATCH;
            self.buffer = found;
            self.pos = 0;
            if self.buffer.is_empty() {
                return Ok(None);
            }
        }
        let level = self.buffer[self.pos].0;
        let end = self.buffer[self.pos..]
            .iter()
            .position(|&(e, _)| e < level - self.tol)
            .map_or(self.buffer.len(), |k| self.pos + k);
        let band: Vec<u64> = if end == self.buffer.len() && !self.complete {
            // The level may go on past the batch: fetch all of it.
            let (_, found) = most_violated_weighted(
                self.values,
                self.inv_w,
                self.sign,
                self.x,
                false,
                level - self.tol,
                limit,
                Some(&self.seen),
            )?;
            self.buffer.clear();
            self.pos = 0;
            found.into_iter().map(|(_, m)| m).collect()
        } else {
            let band = self.buffer[self.pos..end].iter().map(|&(_, m)| m).collect();
            self.pos = end;
            band
        };
        self.seen.extend(band.iter().copied());
        Ok(Some((level, band)))
    }
}
