//! Strategic equivalence: every concept is computed on the zero-normalised benefit game and
//! mapped back, and every tolerance comes from that game's scale.
//!
//! Two games `v` and `c v + a` (`c > 0`, `a` an additive game `a(S) = sum_{i in S} a_i`) are
//! *strategically equivalent* (von Neumann and Morgenstern 1944; Peleg and Sudhölter,
//! *Introduction to the Theory of Cooperative Games*, 2nd ed., 2007, §2.1): the Shapley,
//! Banzhaf, Owen and tau values, the core, the least core, the (pre)nucleolus and the core's
//! vertices of `c v + a` are `c` times those of `v` plus `a`, and the least core's `epsilon`
//! and the cost of stability scale by `c` and ignore `a`. A city budget of `10^8` with a
//! surplus of a few units is such a game: a large additive part (what each city has alone)
//! plus a small game (what cooperation adds). Solved as given, its tolerances and its
//! rounding would be set by the `10^8`, and a surplus below `10^-6 max |v|` would be lost.
//!
//! So each concept runs on the **zero-normalised benefit game**
//!
//! `w(S) = sign v(S) - b(S)`, with `b_i = sign v({i})` and `sign = +1` (value game) or `-1`
//! (cost game, so that `w` is the savings game `sum_{i in S} c({i}) - c(S)`),
//!
//! and an allocation `y` of `w` is mapped back as `x_i = sign (b_i + y_i)`. `w` is never
//! stored: [`Worths`] normalises the game as given when a worth is read (a block at a time in
//! the scans, which bound a block in plain arithmetic first and normalise only the worths that
//! may matter), so a dense game takes its `8 * 2^n` bytes once whatever the concept. The subtraction
//! `sign v(S) - b(S)` is done in double-double arithmetic (Dekker 1971; Knuth's TwoSum), so
//! `w` is the exact difference rounded once: games whose numbers are whole (or on any binary
//! grid) are normalised exactly, and two symmetric players get identical normalised values.
//!
//! **Tolerances.** The solvers use `1e-9 * spread`, where `spread = max_S |w(S)|` is the scale
//! of the normalised game (the surplus and the values that decide the answer), never the size
//! of the standalone part. Decisions that compare a number with zero ([`Game::tolerance`]:
//! core emptiness, core membership, the properties) add the rounding of the inputs themselves,
//! `n` units in the last place of the largest `|v(S)|` (`n * 2^-52 * max |v|`): below it, the
//! game as a vector of floats cannot tell a number from zero.

use crate::error::Result;
use crate::game::{Game, Kind};
use crate::memory;
use crate::solution::kernel::{check_at, members, never, BLOCK_BITS};
use crate::solution::Allocation;

/// Relative tolerance of the solvers: `1e-9` of the normalised game's spread.
pub(crate) const REL_TOL: f64 = 1e-9;

/// `a + b` as an unevaluated sum `(s, e)` with `s = fl(a + b)` and `a + b = s + e` exactly
/// (Knuth's TwoSum).
#[inline(always)]
pub(crate) fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let bb = s - a;
    let e = (a - (s - bb)) + (b - bb);
    (s, e)
}

/// Double-double sum of `a` over the set bits of `mask` (offset by `shift` positions).
fn dd_sum(a: &[f64], mask: usize, shift: usize) -> (f64, f64) {
    members(mask).fold((0.0, 0.0), |(hi, lo), t| {
        let (s, e) = two_sum(hi, a[shift + t]);
        (s, lo + e)
    })
}

/// `dd_sum(a, mask, 0)` for every mask over `a`, each entry one TwoSum step from the entry
/// without its highest bit (the same numbers as [`dd_sum`], which adds the members lowest
/// first).
fn dd_table(a: &[f64]) -> Vec<(f64, f64)> {
    let mut table = Vec::with_capacity(1 << a.len());
    table.push((0.0, 0.0));
    for (t, &at) in a.iter().enumerate() {
        for m in 0..1usize << t {
            let (hi, lo) = table[m];
            let (s, e) = two_sum(hi, at);
            table.push((s, lo + e));
        }
    }
    table
}

/// `u - (low + high)`, with the two double-doubles added exactly enough that the result is
/// the exact difference rounded once (to within a unit in its last place).
#[inline(always)]
fn minus_dd(u: f64, low: (f64, f64), high: (f64, f64)) -> f64 {
    let (bh, be) = two_sum(low.0, high.0);
    let bl = be + low.1 + high.1;
    let (d, de) = two_sum(u, -bh);
    d + (de - bl)
}

/// The zero-normalised benefit game of a game (see the module docs), never stored: its worths
/// are read through [`Normal::w`], which normalises the game as given on the fly.
pub(crate) struct Normal<'a> {
    /// The game as given.
    source: &'a Game,
    /// The map from `v` to `w` (its `sign` and standalone values `b`).
    pub(crate) shift: Shift,
    /// `max |w(S)|` (1 when `w` is zero).
    pub(crate) spread: f64,
    /// `max |v(S)|` of the game as given.
    input_scale: f64,
    /// `v(N)` to use instead of the game's own, as given and as `w(N)` (see
    /// [`Game::normal_with_grand`]).
    grand: Option<(f64, f64)>,
}

/// The worths `w(S) = sign v(S) - b(S)` of the zero-normalised benefit game, computed from the
/// game as given when they are read (a table lookup and a double-double subtraction, the same
/// numbers to the bit whichever way a worth is read): a dense game takes its `8 * 2^n` bytes
/// once, and no solver copies it.
///
/// Scans read the worths a block of `2^min(n, BLOCK_BITS)` consecutive masks at a time
/// ([`Worths::block`]); lookups of single coalitions use [`Worths::at`].
#[derive(Clone, Copy)]
pub(crate) struct Worths<'a> {
    values: &'a [f64],
    shift: &'a Shift,
    /// `w(N)` in place of the one the values give, if any.
    grand: Option<f64>,
}

impl<'a> Worths<'a> {
    /// The worths of `values` (a game of `n` players) under `shift`.
    pub(crate) fn new(values: &'a [f64], shift: &'a Shift) -> Self {
        debug_assert_eq!(values.len(), 1usize << shift.b.len());
        Worths {
            values,
            shift,
            grand: None,
        }
    }

    /// The number of players.
    pub(crate) fn n(&self) -> usize {
        self.shift.b.len()
    }

    /// The number of coalitions, `2^n`.
    pub(crate) fn len(&self) -> usize {
        self.values.len()
    }

    /// `w(S)` of the coalition with bit mask `mask`.
    #[inline]
    pub(crate) fn at(&self, mask: usize) -> f64 {
        if let Some(g) = self.grand.filter(|_| mask == self.values.len() - 1) {
            return g;
        }
        if self.shift.identity {
            return self.values[mask];
        }
        let s = self.shift;
        let lo = mask & ((1 << s.k) - 1);
        s.normalise(self.values[mask], s.low[lo], s.high[mask >> s.k])
    }

    /// The worths as a slice, when they are the game's own values (`w = v`, and `v(N)` not
    /// replaced): lookups without the normalising branch.
    pub(crate) fn as_slice(&self) -> Option<&'a [f64]> {
        (self.shift.identity && self.grand.is_none()).then_some(self.values)
    }

    /// [`Worths::at`] when [`Worths::as_given`] is `Some` (the worths are normalised on the
    /// fly and `w(N)` is the game's own).
    #[inline]
    pub(crate) fn at_normalised(&self, mask: usize) -> f64 {
        debug_assert!(!self.shift.identity && self.grand.is_none());
        let s = self.shift;
        s.normalise(
            self.values[mask],
            s.low[mask & ((1 << s.k) - 1)],
            s.high[mask >> s.k],
        )
    }

    /// `w(S)` of a coalition.
    pub(crate) fn value(&self, s: crate::coalition::Coalition) -> f64 {
        self.at(s.mask() as usize)
    }

    /// The grand coalition `N`.
    pub(crate) fn grand(&self) -> crate::coalition::Coalition {
        crate::coalition::Coalition::from_mask((self.values.len() - 1) as u64)
    }

    /// `w(N)`.
    pub(crate) fn grand_value(&self) -> f64 {
        self.at(self.values.len() - 1)
    }

    /// The game as given, when the worths are normalised on the fly (not for `w = v`, nor
    /// with `w(N)` replaced): `(values, c, b)` with `w(S) = c v(S) - b(S)` exactly in real
    /// arithmetic (`c = sign factor`, a signed power of two, so `c v` is exact), and the
    /// largest `c |v(S)|`.
    pub(crate) fn as_given(&self) -> Option<(&'a [f64], f64, &'a [f64], f64)> {
        if self.shift.identity || self.grand.is_some() {
            return None;
        }
        let s = self.shift;
        Some((self.values, s.sign * s.factor, &s.b[..], s.scaled_magnitude))
    }

    /// The number of masks per block (`2^min(n, BLOCK_BITS)`).
    pub(crate) fn block_len(&self) -> usize {
        1 << self.shift.k
    }

    /// The worths of block `blk` (masks `blk * block_len()..`): the game's own values when
    /// `w = v`, else normalised into `buf` (`block_len()` long).
    #[inline]
    pub(crate) fn block<'b>(&'b self, blk: usize, buf: &'b mut [f64]) -> &'b [f64] {
        let len = self.block_len();
        let chunk = &self.values[blk * len..(blk + 1) * len];
        let last = (blk + 1) * len == self.values.len();
        match self.grand.filter(|_| last) {
            None if self.shift.identity => chunk,
            grand => {
                if self.shift.identity {
                    buf.copy_from_slice(chunk);
                } else {
                    self.shift.apply(blk, chunk, buf);
                }
                if let Some(g) = grand {
                    buf[len - 1] = g;
                }
                buf
            }
        }
    }

    /// The worths as a new vector (after a memory check): for results that are a game (the
    /// zero-normalised game itself), never for a solver's own use.
    pub(crate) fn write_out(self) -> Result<Vec<f64>> {
        let n = self.n();
        memory::check_dense(n, 1)?;
        let mut out = memory::try_filled(self.values.len(), 0.0f64, n)?;
        let len = self.block_len();
        let mut buf = vec![0.0f64; len];
        for (blk, o) in out.chunks_exact_mut(len).enumerate() {
            check_at(blk)?;
            o.copy_from_slice(self.block(blk, &mut buf));
        }
        Ok(out)
    }
}

/// The map `v -> w = sign v - b` applied block by block, for passes that normalise on the fly
/// (the Shapley and Banzhaf kernel) instead of storing `w`.
pub(crate) struct Shift {
    /// `+1` for value games, `-1` for cost games.
    pub(crate) sign: f64,
    /// A power of two, 1 unless the game's numbers are near the ends of the floating-point
    /// range (above `2^500` or below `2^-500`): `w` is formed from `factor v`, exactly, so that
    /// no sum of the solvers overflows or underflows; allocations are divided by it on the way
    /// back.
    pub(crate) factor: f64,
    /// `b_i = factor sign v({i})`.
    pub(crate) b: Vec<f64>,
    /// Low bits per block.
    k: usize,
    /// `b` summed over the low bits of each position, as double-doubles.
    low: Vec<(f64, f64)>,
    /// `b` summed over the high bits of each block number, as double-doubles (`2^(n - k)`
    /// entries, 1/128 of the game's size; empty for the identity).
    high: Vec<(f64, f64)>,
    identity: bool,
    /// `factor max |v(S)|`.
    scaled_magnitude: f64,
}

impl Shift {
    /// The shift of a game of `n = b.len()` players read in blocks of `2^min(n, BLOCK_BITS)`,
    /// with `b` already multiplied by `factor`.
    pub(crate) fn new(sign: f64, factor: f64, b: Vec<f64>) -> Shift {
        let k = b.len().min(BLOCK_BITS);
        let identity = sign > 0.0 && factor == 1.0 && b.iter().all(|&x| x == 0.0);
        let low = dd_table(&b[..k]);
        let high = if identity {
            Vec::new()
        } else {
            dd_table(&b[k..])
        };
        Shift {
            sign,
            factor,
            b,
            k,
            low,
            high,
            identity,
            // Unknown here (the bound of `Worths::as_given` is then infinite); set by
            // `Game::shift`.
            scaled_magnitude: f64::INFINITY,
        }
    }

    /// `w = sign factor v - (low + high)` for one worth `v`.
    #[inline(always)]
    fn normalise(&self, v: f64, low: (f64, f64), high: (f64, f64)) -> f64 {
        minus_dd(self.sign * self.factor * v, low, high)
    }

    /// `w(N)` from `v(N)`.
    pub(crate) fn grand(&self, vn: f64) -> f64 {
        let all = (1usize << self.b.len()) - 1;
        let (lo_mask, hi_mask) = (all & ((1 << self.k) - 1), all >> self.k);
        self.normalise(vn, self.low[lo_mask], dd_sum(&self.b, hi_mask, self.k))
    }

    /// `x_i = sign (b_i + y_i) / factor`.
    pub(crate) fn lift(&self, y: &[f64]) -> Vec<f64> {
        y.iter()
            .zip(&self.b)
            .map(|(yi, bi)| self.sign * (bi + yi) / self.factor)
            .collect()
    }

    /// A number of `w` (an excess, a level, a subsidy) in the game's units.
    pub(crate) fn unscale(&self, x: f64) -> f64 {
        x / self.factor
    }

    /// True when `w = v`.
    pub(crate) fn is_identity(&self) -> bool {
        self.identity
    }

    /// Writes `w` for block `blk` (values `chunk`) into `out`; returns the block's largest `|w|`.
    pub(crate) fn apply(&self, blk: usize, chunk: &[f64], out: &mut [f64]) -> f64 {
        let high = self
            .high
            .get(blk)
            .copied()
            .unwrap_or_else(|| dd_sum(&self.b, blk, self.k));
        let sign = self.sign * self.factor;
        let mut most = 0.0f64;
        for ((o, &v), &(lh, ll)) in out.iter_mut().zip(chunk).zip(&self.low) {
            let w = minus_dd(sign * v, (lh, ll), high);
            *o = w;
            most = if w.abs() > most { w.abs() } else { most };
        }
        most
    }
}

/// Runs [`Shift::apply`] over every block of `values`, handing each block's `w` and largest
/// `|w|` to `sink`; `check` is called with every block number (`kernel::check_at` for
/// cancellation, see `crate::cancel`, or `kernel::never`), and its error ends the pass.
fn normalise_blocks<E>(
    values: &[f64],
    shift: &Shift,
    check: impl Fn(usize) -> std::result::Result<(), E>,
    mut sink: impl FnMut(usize, &[f64], f64),
) -> std::result::Result<(), E> {
    let block = 1usize << shift.k;
    let mut out = vec![0.0f64; block];
    for (blk, chunk) in values.chunks_exact(block).enumerate() {
        check(blk)?;
        let most = shift.apply(blk, chunk, &mut out);
        sink(blk, &out, most);
    }
    Ok(())
}

impl<'a> Normal<'a> {
    /// The worths of `w`, normalised as they are read.
    pub(crate) fn w(&self) -> Worths<'_> {
        Worths {
            grand: self.grand.map(|g| g.1),
            ..Worths::new(self.source.values(), &self.shift)
        }
    }

    /// The number of players.
    pub(crate) fn n(&self) -> usize {
        self.source.n()
    }

    /// The players' names, in order.
    pub(crate) fn players(&self) -> &'a [String] {
        self.source.players()
    }

    /// The tolerance of the solvers on `w`: `1e-9 * spread`.
    pub(crate) fn solver_tol(&self) -> f64 {
        REL_TOL * self.spread
    }

    /// The tolerance of decisions: the solvers' plus the rounding of the inputs
    /// (`n * 2^-52 * max |v|`).
    pub(crate) fn decision_tol(&self) -> f64 {
        let n = self.shift.b.len();
        self.solver_tol() + rounding(n, self.input_scale) + subnormal_spacing(n) * self.shift.factor
    }

    /// The rounding of the inputs in the units of `w`: `4 n 2^-52 max |v|`, below which two
    /// worths cannot be told apart (the test of symmetric players).
    pub(crate) fn input_rounding(&self) -> f64 {
        rounding(4 * self.shift.b.len(), self.input_scale)
    }

    /// `x_i = sign (b_i + y_i)`: an allocation of `w` mapped back to the game.
    pub(crate) fn lift(&self, y: &[f64]) -> Vec<f64> {
        self.shift.lift(y)
    }

    /// [`Normal::lift`] as an [`Allocation`] of the original game.
    pub(crate) fn allocation(&self, y: &[f64]) -> Allocation {
        Allocation::from_parts(self.source.players(), self.lift(y), self.source.kind())
    }

    /// The kind of the game as given.
    pub(crate) fn kind(&self) -> Kind {
        self.source.kind()
    }

    /// `v(N)` of the game as given.
    pub(crate) fn original_grand(&self) -> f64 {
        self.grand
            .map_or_else(|| self.source.grand_value(), |g| g.0)
    }

    /// One share of `w` mapped back: `x_i = sign (b_i + y) / factor`.
    pub(crate) fn lift_one(&self, i: usize, y: f64) -> f64 {
        self.shift.sign * (self.shift.b[i] + y) / self.shift.factor
    }

    /// A bound `y(S) >= bound` of `w` in the game's units: `x(S) >= sign (b(S) + bound) /
    /// factor` (for cost games, `x(S) <=` that amount).
    pub(crate) fn lift_coalition(&self, mask: u64, bound: f64) -> f64 {
        let b = crate::coalition::Coalition::from_mask(mask)
            .members()
            .map(|i| self.shift.b[i]);
        self.shift.sign * accurate_sum(b.chain(std::iter::once(bound))) / self.shift.factor
    }

    /// `y_i = sign x_i - b_i`: an allocation of the game seen in `w`.
    pub(crate) fn lower(&self, x: &[f64]) -> Vec<f64> {
        let f = self.shift.sign * self.shift.factor;
        x.iter()
            .zip(&self.shift.b)
            .map(|(xi, bi)| f * xi - bi)
            .collect()
    }
}

/// The sum of `xs` with Neumaier's compensation (A. Neumaier, "Rundungsfehleranalyse einiger
/// Verfahren zur Summation endlicher Summen", *ZAMM* 54, 1974): totals that agree give a
/// difference of 0 (or of an ulp), not the accumulated rounding of the terms.
pub(crate) fn accurate_sum(xs: impl IntoIterator<Item = f64>) -> f64 {
    let (sum, err) = xs.into_iter().fold((0.0f64, 0.0f64), |(s, c), x| {
        let (t, e) = two_sum(s, x);
        (t, c + e)
    });
    sum + err
}

/// The power of two that brings a game whose largest `|v(S)|` is `magnitude` inside
/// `[2^-500, 2^500]` (1 when it already is, the common case).
fn range_factor(magnitude: f64) -> f64 {
    if magnitude > 2f64.powi(500) || (magnitude > 0.0 && magnitude < 2f64.powi(-500)) {
        // 2^-e with e the binary exponent of the magnitude: the scaled magnitude is in [1, 2).
        2f64.powi((-magnitude.log2().floor()).clamp(-1000.0, 1000.0) as i32)
    } else {
        1.0
    }
}

/// `n` times the spacing of the smallest floats (`2^-1074`), in the game's units: differences
/// below it cannot be told from zero however small the game's numbers are.
fn subnormal_spacing(n: usize) -> f64 {
    n as f64 * f64::from_bits(1)
}

/// `n` units in the last place of `scale`: how finely `n`-term sums of numbers up to `scale`
/// can be resolved.
pub(crate) fn rounding(n: usize, scale: f64) -> f64 {
    n as f64 * f64::EPSILON * scale
}

impl Game {
    /// The shift `v -> w` of this game (see [`Shift`]).
    pub(crate) fn shift(&self) -> Shift {
        let factor = range_factor(self.magnitude());
        let sign = self.benefit_sign();
        let b = (0..self.n())
            .map(|i| sign * factor * self.values()[1 << i])
            .collect();
        Shift {
            scaled_magnitude: factor * self.magnitude(),
            ..Shift::new(sign, factor, b)
        }
    }

    /// The zero-normalised benefit game (module docs): the game itself and the map to `w`
    /// (no copy of the `2^n` values; one pass over them for the spread, none when `w = v`).
    pub(crate) fn normal(&self) -> Result<Normal<'_>> {
        self.normal_with_grand(None)
    }

    /// [`Game::normal`] of the game with `v(N)` replaced by `grand` (when given), without
    /// writing that game out.
    pub(crate) fn normal_with_grand(&self, grand: Option<f64>) -> Result<Normal<'_>> {
        let shift = self.shift();
        let magnitude = grand.map_or(self.magnitude(), |g| self.magnitude().max(g.abs()));
        let input_scale = shift.factor * magnitude;
        let grand = grand.map(|g| (g, shift.grand(g)));
        let mut nm = Normal {
            source: self,
            shift,
            spread: 1.0,
            input_scale,
            grand,
        };
        let most = if nm.shift.is_identity() && nm.grand.is_none() {
            input_scale
        } else {
            let w = nm.w();
            let mut buf = vec![0.0f64; w.block_len()];
            let mut most = 0.0f64;
            for blk in 0..w.len() / w.block_len() {
                check_at(blk)?;
                most = w
                    .block(blk, &mut buf)
                    .iter()
                    .fold(most, |m, x| m.max(x.abs()));
            }
            most
        };
        nm.spread = if most > 0.0 { most } else { 1.0 };
        Ok(nm)
    }

    /// The scale of the zero-normalised game: `max_S |w(S)|` with
    /// `w(S) = sign (v(S) - sum_{i in S} v({i}))` (1 for an additive game). It is what cooperation
    /// adds or takes away, whatever the players have alone; one pass over the values, no
    /// allocation.
    pub fn spread(&self) -> f64 {
        let (factor, most) = self.scaled_spread();
        if most > 0.0 {
            most / factor
        } else {
            1.0
        }
    }

    /// `(factor, max |w(S)|)` in the units of `factor v` (see [`Shift::factor`]).
    fn scaled_spread(&self) -> (f64, f64) {
        let shift = self.shift();
        let mut most = 0.0f64;
        let Ok(()) = normalise_blocks(self.values(), &shift, never, |_, _, m| most = most.max(m));
        (shift.factor, most)
    }

    /// `(factor, tolerance)`: [`Game::tolerance`] in the units of `factor v`, finite even when
    /// the game's numbers are near the largest float (where the tolerance in the game's own
    /// units may not be).
    pub(crate) fn scaled_tolerance(&self) -> (f64, f64) {
        let (factor, most) = self.scaled_spread();
        let spread = if most > 0.0 { most } else { factor };
        (
            factor,
            REL_TOL * spread
                + rounding(self.n(), factor * self.magnitude())
                + subnormal_spacing(self.n()) * factor,
        )
    }

    /// The game's tolerance for decisions (core emptiness and membership, the properties):
    /// `1e-9 * spread() + n * 2^-52 * max |v(S)|`, i.e. relative to what cooperation adds
    /// (never to the standalone part), plus the rounding of the inputs themselves. The same
    /// game in other units, or shifted by any standalone amounts, gets the same answers.
    ///
    /// # Example
    /// A surplus of 3 on budgets of `10^8` is not lost in the budgets:
    /// ```
    /// use coalitional::Game;
    /// let g = Game::from_values(vec![0.0, 1e8, 2e8, 3e8 + 3.0]).unwrap();
    /// assert!(g.tolerance() < 1e-6);
    /// assert!(g.is_essential());
    /// ```
    pub fn tolerance(&self) -> f64 {
        let (factor, tol) = self.scaled_tolerance();
        tol / factor
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_sum_is_exact() {
        let (s, e) = two_sum(1e16, 1.0);
        assert_eq!(s, 1e16);
        assert_eq!(e, 1.0);
    }

    #[test]
    fn normalisation_is_exact_on_whole_numbers_and_maps_back() {
        // Majority game plus standalone values (1e6, 2e6, 3e6).
        let v = vec![
            0.0, 1e6, 2e6, 3000001.0, 3e6, 4000001.0, 5000001.0, 6000001.0,
        ];
        let g = Game::from_values(v).unwrap();
        let nm = g.normal().unwrap();
        assert_eq!(
            nm.w().write_out().unwrap(),
            &[0.0, 0.0, 0.0, 1.0, 0.0, 1.0, 1.0, 1.0]
        );
        assert_eq!(nm.spread, 1.0);
        assert_eq!(
            nm.lift(&[0.5, 0.25, 0.25]),
            vec![1000000.5, 2000000.25, 3000000.25]
        );
        assert_eq!(
            nm.lower(&[1000000.5, 2000000.25, 3000000.25]),
            vec![0.5, 0.25, 0.25]
        );
        assert_eq!(g.spread(), 1.0);
    }

    #[test]
    fn cost_games_become_savings_games() {
        let c = Game::with_kind(
            vec!["a".into(), "b".into()],
            vec![0.0, 3e8, 4e8, 7e8 - 2.0],
            Kind::Cost,
        )
        .unwrap();
        let nm = c.normal().unwrap();
        assert_eq!(nm.w().write_out().unwrap(), &[0.0, 0.0, 0.0, 2.0]);
        assert_eq!(nm.lift(&[1.0, 1.0]), vec![3e8 - 1.0, 4e8 - 1.0]);
    }

    #[test]
    fn symmetric_players_get_identical_normalised_values() {
        // Non-representable standalone values: the double-double subtraction gives the two
        // symmetric players (0 and 1) the same w whatever the order of summation.
        let b = [0.1 + 1e8 / 3.0, 0.1 + 1e8 / 3.0, 7.3e7 / 7.0];
        let g = Game::from_fn(vec!["a".into(), "b".into(), "c".into()], |s| {
            s.members().map(|i| b[i]).sum::<f64>() + (s.len() as f64).powi(2) / 9.0
        })
        .unwrap();
        let nm = g.normal().unwrap();
        let w = nm.w().write_out().unwrap();
        assert_eq!(w[0b101], w[0b110]);
        assert!((w[0b011] - 2.0 / 9.0).abs() < 1e-7);
    }

    /// A 4-player game with whole values, negative ones among them, an empty core and
    /// standalone values of both signs.
    fn base() -> Vec<f64> {
        vec![
            0.0, -3.0, 5.0, 9.0, 2.0, 4.0, 13.0, 20.0, 7.0, 6.0, 17.0, 22.0, 12.0, 15.0, 26.0, 40.0,
        ]
    }

    fn all_concepts(g: &Game) -> Vec<Vec<f64>> {
        let lc = g.least_core().unwrap();
        vec![
            g.shapley().into_values(),
            g.banzhaf().into_values(),
            g.tau_value().unwrap().into_values(),
            g.nucleolus().unwrap().into_values(),
            g.prenucleolus().unwrap().into_values(),
            lc.allocation.into_values(),
            vec![lc.epsilon, g.cost_of_stability().unwrap()],
        ]
    }

    #[test]
    fn numbers_near_the_ends_of_the_float_range_scale_exactly() {
        // Multiplying by a power of two is exact, so every answer must be exactly the base
        // game's answer times that power, near the largest and the smallest normal floats.
        let g = Game::from_values(base()).unwrap();
        let want = all_concepts(&g);
        for e in [1010, 600, -600, -1015] {
            let c = 2f64.powi(e);
            let big = Game::from_values(base().iter().map(|v| v * c).collect()).unwrap();
            assert!(big.magnitude().is_finite());
            let got = all_concepts(&big);
            for (k, (gv, wv)) in got.iter().zip(&want).enumerate() {
                for (x, y) in gv.iter().zip(wv) {
                    assert_eq!(*x, y * c, "e = {e}, concept {k}: {gv:?} vs {wv:?}");
                }
            }
            assert_eq!(big.is_convex(), g.is_convex());
            assert_eq!(
                big.is_superadditive().unwrap(),
                g.is_superadditive().unwrap()
            );
            assert_eq!(big.is_essential(), g.is_essential());
            assert_eq!(big.core_is_empty().unwrap(), g.core_is_empty().unwrap());
        }
    }

    #[test]
    fn values_near_the_largest_float_of_both_signs_give_finite_answers() {
        // Not a power of two: the answers are the base game's times c to rounding, and
        // finite although sums of such values overflow.
        let c = 4e306; // the largest value, 40 c = 1.6e308, is just below the largest float
        let g = Game::from_values(base()).unwrap();
        let big = Game::from_values(base().iter().map(|v| v * c).collect()).unwrap();
        let (want, got) = (all_concepts(&g), all_concepts(&big));
        for (gv, wv) in got.iter().zip(&want).take(6) {
            for (x, y) in gv.iter().zip(wv) {
                assert!(
                    x.is_finite() && (x - y * c).abs() <= 1e-12 * c * 40.0,
                    "{x} vs {y}"
                );
            }
        }
        let tau: f64 = big.tau_value().unwrap().values().iter().sum();
        // Marginal contributions of 3e308 do not fit in a float: a typed error, not inf.
        // (phi_0 = (v({0}) + v(N) - v({1})) / 2 = -2.55e308 here.)
        let edge = Game::from_values(vec![0.0, -1.7e308, 1.7e308, -1.7e308]).unwrap();
        let err = edge.try_shapley().unwrap_err();
        assert!(
            matches!(
                err,
                crate::Error::Undefined {
                    concept: "the Shapley value",
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(edge.try_banzhaf().is_err() && edge.marginal_vector(&[1, 0]).is_err());
        assert!(edge.marginal_vector(&[0, 1]).is_ok());
        assert!(
            (tau - 40.0 * c).abs() <= 1e-12 * 40.0 * c,
            "tau sums to {tau}"
        );
    }

    #[test]
    fn worths_read_one_at_a_time_equal_the_blocks_bit_for_bit() {
        // 11 players: blocks of 2^8 and a high table of 2^3, standalone values that are not
        // on a common binary grid, a cost game (sign -1).
        let n = 11;
        let b: Vec<f64> = (0..n).map(|i| 1e8 / (3.0 + i as f64) + 0.1).collect();
        let g = Game::with_kind(
            (0..n).map(|i| format!("p{i}")).collect(),
            (0..1usize << n)
                .map(|m| {
                    let s = crate::coalition::Coalition::from_mask(m as u64);
                    s.members().map(|i| b[i]).sum::<f64>() - (s.len() as f64).sqrt()
                })
                .collect(),
            Kind::Cost,
        )
        .unwrap();
        let nm = g.normal().unwrap();
        let w = nm.w();
        let all = w.write_out().unwrap();
        for (m, &x) in all.iter().enumerate() {
            assert_eq!(w.at(m).to_bits(), x.to_bits(), "mask {m}");
        }
        // The savings of S are sqrt(|S|) - |S| (each player alone costs b_i - 1), up to the
        // rounding of budgets of 1e8.
        assert!(
            (all[0b101_0000_0011] + 2.0).abs() < 1e-7,
            "{}",
            all[0b101_0000_0011]
        );
        assert_eq!(w.grand_value().to_bits(), all[(1 << n) - 1].to_bits());
    }

    #[test]
    fn already_normal_games_are_read_as_they_are() {
        let g = Game::from_values(vec![0.0, 0.0, 0.0, 1.0]).unwrap();
        let nm = g.normal().unwrap();
        assert!(nm.shift.is_identity());
        assert_eq!(nm.w().block(0, &mut [0.0; 4]).as_ptr(), g.values().as_ptr());
    }
}
