//! The variants of the nucleolus engine: positive weights per coalition (weighted excesses
//! `e(S, x) / w(S)`) and fixed blocks (`x(B) = v(B)` for each block of a partition).

use crate::coalition::Coalition;
use crate::error::{Error, Result};
use crate::game::{Game, Kind};
use crate::memory;
use crate::solution::normal::Normal;

/// The weight of each coalition's excess.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Weighting {
    /// `w(S) = 1`: the nucleolus.
    Plain,
    /// `w(S) = |S|`: the per-capita nucleolus.
    PerCapita,
    /// `w(S) = v(S)` of the game as given (cost games: `c(S)`), positive on every nonempty
    /// coalition: the proportional nucleolus.
    Proportional,
    /// `w(S) = v(N) - v(S) - v(N \ S)`, positive on every proper nonempty coalition: the
    /// disruption nucleolus. Invariant under adding standalone amounts, so it is read from
    /// the zero-normalised game (for a cost game, its savings game:
    /// `c(S) + c(N \ S) - c(N)`).
    Disruption,
}

impl Weighting {
    /// The concept's name, for errors.
    pub(crate) fn concept(self) -> &'static str {
        match self {
            Weighting::Plain => "the nucleolus",
            Weighting::PerCapita => "the per-capita nucleolus",
            Weighting::Proportional => "the proportional nucleolus",
            Weighting::Disruption => "the disruption nucleolus",
        }
    }

    /// The weights of `game` (zero-normalised as `nm`); `tol` is the decision tolerance on
    /// `nm`. [`Error::Undefined`] names the first coalition whose weight is not positive.
    pub(crate) fn weights(self, game: &Game, nm: &Normal<'_>, tol: f64) -> Result<Option<Weights>> {
        let n = game.n();
        let full = (1u64 << n) - 1;
        let concept = self.concept();
        let undefined = |mask: u64, what: &str, value: f64| Error::Undefined {
            concept,
            reason: format!(
                "{what} = {value} for S = {}; the weights of the excesses must be positive",
                Coalition::from_mask(mask).names(game.players())
            ),
        };
        match self {
            Weighting::Plain => Ok(None),
            Weighting::PerCapita => Weights::from_fn(n, |m| f64::from(m.count_ones())).map(Some),
            Weighting::Proportional => {
                let what = match game.kind() {
                    Kind::Value => "v(S)",
                    Kind::Cost => "c(S)",
                };
                let values = game.values();
                if let Some(m) =
                    (1..=full).find(|&m| values[m as usize].is_nan() || values[m as usize] <= 0.0)
                {
                    return Err(undefined(m, what, values[m as usize]));
                }
                Weights::from_fn(n, |m| values[m as usize]).map(Some)
            }
            Weighting::Disruption => {
                let w = nm.w();
                let wn = w.grand_value();
                let weight = |m: u64| wn - w.at(m as usize) - w.at((full & !m) as usize);
                if let Some(m) = (1..full).find(|&m| weight(m) <= tol) {
                    let value = nm.shift.unscale(weight(m));
                    let what = match game.kind() {
                        Kind::Value => "v(N) - v(S) - v(N \\ S)",
                        Kind::Cost => "c(S) + c(N \\ S) - c(N)",
                    };
                    return Err(undefined(m, what, value));
                }
                Weights::from_fn(n, |m| if m == full { 1.0 } else { weight(m) }).map(Some)
            }
        }
    }
}

/// Positive weights by coalition mask, scaled so that the largest is 1 (a common factor does
/// not change the order of the weighted excesses), with their reciprocals for the scans.
pub(crate) struct Weights {
    w: Vec<f64>,
    inv: Vec<f64>,
}

impl Weights {
    /// The weights `f(S)` of the nonempty coalitions of `n` players, each positive (checked by
    /// the callers, which name the coalition at fault).
    pub(crate) fn from_fn(n: usize, f: impl Fn(u64) -> f64) -> Result<Weights> {
        memory::check_dense(n, 3)?;
        let len = 1usize << n;
        let mut w = memory::try_filled(len, 1.0f64, n)?;
        for (mask, slot) in w.iter_mut().enumerate().skip(1) {
            *slot = f(mask as u64);
        }
        // Scaled by the largest weight of a proper coalition: the slots of the empty set and
        // N hold placeholders (never used) that must not set the scale, or a game of small
        // worths gets tiny weights and weighted excesses beyond the LP's box.
        let most = w[1..len - 1].iter().copied().fold(0.0f64, f64::max);
        if most > 0.0 {
            w.iter_mut().for_each(|x| *x /= most);
        }
        let mut inv = memory::try_filled(len, 1.0f64, n)?;
        for (i, &x) in inv.iter_mut().zip(&w) {
            *i = 1.0 / x;
        }
        Ok(Weights { w, inv })
    }

    /// `w(S)`.
    pub(crate) fn of(&self, mask: u64) -> f64 {
        self.w[mask as usize]
    }

    /// The reciprocals by mask.
    pub(crate) fn inv(&self) -> &[f64] {
        &self.inv
    }
}

/// What the engine solves besides the plain (pre)nucleolus.
#[derive(Clone, Copy, Default)]
pub(crate) struct Variant<'a> {
    /// Weights of the excesses; `None` for the plain excess.
    pub(crate) weights: Option<&'a Weights>,
    /// Coalitions held at `x(B) = v(B)` from the start (the blocks of a coalition structure).
    pub(crate) blocks: &'a [u64],
    /// Pairs of symmetric players (see `symmetry`), held at `x_i = x_j` by the polish and
    /// the Kohlberg check (the stages find them themselves).
    pub(crate) symmetric: &'a [(usize, usize)],
}

impl Variant<'_> {
    /// `w(S)`, 1 without weights.
    pub(crate) fn weight(&self, mask: u64) -> f64 {
        self.weights.map_or(1.0, |w| w.of(mask))
    }

    /// The reciprocal weights for the scans, `None` without weights.
    pub(crate) fn inv(&self) -> Option<&[f64]> {
        self.weights.map(Weights::inv)
    }
}
