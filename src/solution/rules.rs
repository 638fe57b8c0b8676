//! Single-valued rules of cost allocation and bargaining: the Gately point, the solidarity
//! value, equal division of the non-separable cost (ENSC), separable costs remaining benefits
//! (SCRB), and the propensity to disrupt of an allocation.
//!
//! Notation: `M_i = v(N) - v(N \ {i})` is player `i`'s **separable contribution** (Tijs's
//! utopia payoff, [`Game::utopia_payoffs`]; in a cost game the **separable cost**
//! `SC_i = c(N) - c(N \ {i})`), `v({i})` its standalone value (cost games: standalone cost
//! `c({i})`, the cost of its alternative) and `s = v(N) - sum_j v({j})` the surplus of
//! cooperation.
//!
//! - **Gately point** (D. Gately, "Sharing the gains from regional cooperation: a game
//!   theoretic application to planning investment in electric power", *International
//!   Economic Review* 15, 1974, 195–208; S. C. Littlechild and K. G. Vaidya, "The propensity
//!   to disrupt and the disruption nucleolus of a characteristic function game", *IJGT* 5,
//!   1976, 151–161). Player `i`'s **propensity to disrupt** an efficient allocation `x` is
//!   what the others would lose if `i` walked out, per unit that `i` would lose:
//!   `d_i(x) = (x(N \ {i}) - v(N \ {i})) / (x_i - v({i}))`. The Gately point equalises it:
//!   with `x(N \ {i}) = v(N) - x_i`, `d_i = d` for all `i` reads `M_i - x_i = d (x_i - v({i}))`,
//!   so `x_i - v({i}) = (M_i - v({i})) / (1 + d)`, and summing over `i` fixes
//!   `1 / (1 + d) = s / D` with `D = sum_j (M_j - v({j}))`:
//!
//!   `x_i = v({i}) + s (M_i - v({i})) / D`, with the common propensity `d = D / s - 1`.
//!
//!   It is the point where the line from the standalone vector to the utopia vector `M`
//!   meets the efficient hyperplane, defined exactly when `D != 0` (J. Staudacher and
//!   J. Anwander, "Conditions for the uniqueness of the Gately point for cooperative games",
//!   arXiv:1901.01485, 2019: when the two points coincide or the line is parallel to the
//!   hyperplane there is no point, or a whole line of them). It is an imputation when `s >= 0`
//!   and every `M_i - v({i})` has the sign of `D` (for instance in every superadditive
//!   essential game); otherwise it is still the unique efficient point of equal propensity
//!   (when `s != 0`), with some `x_i < v({i})`. When `s = 0` it is the standalone vector.
//! - **Solidarity value** (A. S. Nowak and T. Radzik, "A solidarity value for n-person
//!   transferable utility games", *IJGT* 23, 1994, 43–48): the Shapley formula with the
//!   marginal contribution of `i` replaced by the average marginal contribution of the members
//!   of the coalition, `A(S) = (1/|S|) sum_{k in S} (v(S) - v(S \ {k}))`:
//!
//!   `psi_i = sum_{S ∋ i} (n - s)! (s - 1)! / n! A(S)`, `s = |S|`.
//!
//!   It is efficient, additive and symmetric, and gives 0 to an **A-null player** (one with
//!   `A(S) = 0` for every `S ∋ i`); it does *not* give 0 to a null player: the productive
//!   players share with the unproductive ones. It is linear but not covariant under adding
//!   an additive game: on an additive game `a` it gives
//!   `a_i H_n / n + (a(N) - a_i) (n - H_n) / (n (n - 1))` (`H_n = 1 + 1/2 + ... + 1/n`; derived
//!   from the formula: a player's own `a_i` enters `A(S)` with weight `1/s` in the `C(n-1,s-1)`
//!   coalitions of size `s` that contain it, another player's in `C(n-2,s-2)` of them), which
//!   is how the standalone part of a game with large budgets is handled exactly here.
//! - **ENSC**, equal division of the non-separable cost (cost games; P. Young, N. Okada and
//!   T. Hashimoto, "Cost allocation in water resources development", *Water Resources
//!   Research* 18, 1982, 463–475; T. Driessen and Y. Funaki, "Coincidence of and
//!   collinearity between game theoretic solutions", *OR Spektrum* 13, 1991, 15–30): each
//!   player pays its separable cost and the rest is split equally,
//!   `x_i = SC_i + (c(N) - sum_j SC_j) / n`. For value games the same form with separable
//!   contributions, `x_i = M_i + (v(N) - sum_j M_j) / n` (Driessen and Funaki's *egalitarian
//!   non-separable contribution*). It is the centre of the imputation set (the CIS value,
//!   [`Game::equal_surplus`]) of the **dual** game ([`Game::dual`]), not of the game itself.
//! - **SCRB**, separable costs remaining benefits (L. D. James and R. R. Lee, *Economics of
//!   Water Resources Planning*, McGraw-Hill, 1971; Young, Okada and Hashimoto 1982): each
//!   player pays its separable cost and the non-separable cost is split in proportion to the
//!   **remaining benefits** `r_i = c({i}) - SC_i` (the benefit of a purpose taken, by the
//!   alternative-cost convention, as its standalone cost `c({i})`):
//!   `x_i = SC_i + (c(N) - sum_j SC_j) r_i / sum_j r_j`. The method assumes that no purpose's
//!   separable cost exceeds its standalone cost (`r_i >= 0`), and it needs `sum_j r_j > 0`.
//!   A value game `v` is read as the cost game `c = -v` (`r_i = M_i - v({i})`, payoffs `-x`).
//!   Expanding either form shows that SCRB *equals the Gately point* whenever both are
//!   defined: `c(N) - sum SC_j = sum r_j - (sum_j c({j}) - c(N))`, so
//!   `x_i = c({i}) - (sum_j c({j}) - c(N)) r_i / sum_j r_j`, which is Gately's formula with
//!   `M_i - v({i}) = r_i`. The two rules differ only in where they are defined: SCRB refuses a
//!   negative remaining benefit, the Gately point does not.
//!
//! Every rule here is computed on the zero-normalised benefit game (`solution::normal`) and
//! mapped back, so that a surplus of a few units on budgets of `10^9` keeps its digits;
//! Gately, ENSC and SCRB are covariant under `c v + a` (`c > 0`, `a` additive), the
//! solidarity value under `c v` only (see above).
//!
//! Cost: Gately, ENSC and SCRB read `n + 1` values after the normalisation (O(2^n) when the
//! game is not already zero-normalised); the solidarity value is one pass of O(n 2^n).

use std::fmt;
use std::ops::Index;

use crate::cancel::Meter;
use crate::coalition::Coalition;
use crate::display::shown_together;
use crate::error::{Error, Result};
use crate::game::Game;
use crate::solution::normal::{accurate_sum, Normal};
use crate::solution::shapley::binomial;
use crate::solution::{finite, write_rows, Allocation};

/// The propensity to disrupt of each player at an allocation ([`Game::propensity_to_disrupt`]).
///
/// Entries may be `+inf`, `-inf` or `NaN` (see there); `Display` shows them as `inf`, `-inf`
/// and `NaN`.
#[derive(Clone, Debug, PartialEq)]
pub struct Propensities {
    players: Vec<String>,
    values: Vec<f64>,
}

impl Propensities {
    /// Player names, in order.
    pub fn players(&self) -> &[String] {
        &self.players
    }

    /// `d_i(x)` in player order.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// The propensity of a named player, if there is such a player.
    pub fn get(&self, name: &str) -> Option<f64> {
        self.players
            .iter()
            .position(|p| p == name)
            .map(|i| self.values[i])
    }

    /// Consumes it, returning the numbers.
    pub fn into_values(self) -> Vec<f64> {
        self.values
    }
}

impl Index<&str> for Propensities {
    type Output = f64;
    fn index(&self, name: &str) -> &f64 {
        match self.players.iter().position(|p| p == name) {
            Some(i) => &self.values[i],
            None => panic!("{name:?} is not a player of these propensities"),
        }
    }
}

/// One line per player, `name  d_i`, finite numbers rounded together (as an [`Allocation`]).
impl fmt::Display for Propensities {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let finite: Vec<f64> = self
            .values
            .iter()
            .map(|&d| if d.is_finite() { d } else { 0.0 })
            .collect();
        let shown = shown_together(&finite, None);
        let cells = self.values.iter().zip(shown).map(|(&d, s)| {
            if d.is_nan() {
                "NaN".to_string()
            } else if d.is_infinite() {
                if d > 0.0 { "inf" } else { "-inf" }.to_string()
            } else {
                s
            }
        });
        write_rows(f, self.players.iter().map(String::as_str).zip(cells))
    }
}

/// `r_i = w(N) - w(N \ {i})` of the zero-normalised game: `M_i - v({i})` in benefit units
/// (cost games: the remaining benefit `c({i}) - SC_i`).
fn remaining(nm: &Normal<'_>) -> Vec<f64> {
    let w = nm.w();
    let (wn, grand) = (w.grand_value(), w.grand());
    (0..w.n()).map(|i| wn - w.value(grand.without(i))).collect()
}

impl Game {
    /// The Gately point (Gately 1974): the efficient allocation at which every player's
    /// propensity to disrupt is the same,
    /// `x_i = v({i}) + s (M_i - v({i})) / sum_j (M_j - v({j}))` with `M_i = v(N) - v(N \ {i})`
    /// and `s = v(N) - sum_j v({j})`; for a cost game, the same on the savings game (each pays
    /// `c({i})` minus its share of the savings). See the [module docs](crate::solution::rules)
    /// for the derivation and the conditions (Staudacher and Anwander 2019).
    ///
    /// Fails with [`Error::Undefined`] when `sum_j (M_j - v({j}))` is zero within
    /// [`Game::tolerance`] (for instance in a game where `v(S) + v(N \ S) = v(N)` for every
    /// single player `S`). A one-player game gets `v(N)`. Cost: O(n) after the
    /// zero-normalisation.
    ///
    /// # Example
    /// Gately's (1974) three Indian regions (savings from joint planning of power
    /// investment): `v(12) = 1170`, `v(13) = 770`, `v(23) = 210`, `v(N) = 1530`, zero alone.
    /// His point is `1530 (1320, 760, 360) / 2440 = (827.70, 476.56, 225.74)`.
    /// ```
    /// use coalitional::Game;
    /// let g = Game::from_values(vec![0.0, 0.0, 0.0, 1170.0, 0.0, 770.0, 210.0, 1530.0]).unwrap();
    /// let x = g.gately_point().unwrap();
    /// assert!((x[0] - 827.7049).abs() < 1e-4 && (x[2] - 225.7377).abs() < 1e-4);
    /// ```
    pub fn gately_point(&self) -> Result<Allocation> {
        const CONCEPT: &str = "the Gately point";
        let nm = self.normal()?;
        if self.n() == 1 {
            return Ok(nm.allocation(&[0.0]));
        }
        let r = remaining(&nm);
        let total = accurate_sum(r.iter().copied());
        if total.abs() <= nm.decision_tol() {
            return Err(Error::Undefined {
                concept: CONCEPT,
                reason: format!(
                    "the separable contributions v(N) - v(N minus i) add up to the standalone \
                     values (difference {}), so the line from the standalone values to the \
                     utopia payoffs does not cross the efficient allocations in one point",
                    nm.shift.unscale(total)
                ),
            });
        }
        let wn = nm.w().grand_value();
        let y: Vec<f64> = r.iter().map(|ri| wn * (ri / total)).collect();
        finite(CONCEPT, nm.allocation(&y))
    }

    /// Separable costs remaining benefits (James and Lee 1971; Young, Okada and Hashimoto
    /// 1982): `x_i = SC_i + (c(N) - sum_j SC_j) r_i / sum_j r_j` with separable costs
    /// `SC_i = c(N) - c(N \ {i})` and remaining benefits `r_i = c({i}) - SC_i`. A value game
    /// `v` is read as the cost game `-v` (`r_i = M_i - v({i})`, payoffs `-x`). See the
    /// [module docs](crate::solution::rules): it equals the Gately point where defined.
    ///
    /// Fails with [`Error::Undefined`] when a remaining benefit is negative (a purpose whose
    /// separable cost exceeds what it would cost alone: the method's assumption fails; the
    /// reason names the player) or when they are all zero, within [`Game::tolerance`].
    /// Cost: O(n) after the zero-normalisation.
    ///
    /// # Example
    /// Standalone costs 6, 6, 6, pairs 10, all three 13: `SC_i = 3`, `r_i = 3`, each pays
    /// `3 + (13 - 9) / 3`.
    /// ```
    /// use coalitional::{Game, Kind};
    /// let c = Game::with_kind(vec!["a".into(), "b".into(), "c".into()],
    ///     vec![0.0, 6.0, 6.0, 10.0, 6.0, 10.0, 10.0, 13.0], Kind::Cost).unwrap();
    /// let x = c.scrb().unwrap();
    /// assert!((x["b"] - 13.0 / 3.0).abs() < 1e-12);
    /// ```
    pub fn scrb(&self) -> Result<Allocation> {
        const CONCEPT: &str = "separable costs remaining benefits";
        let nm = self.normal()?;
        if self.n() == 1 {
            return Ok(nm.allocation(&[0.0]));
        }
        let r = remaining(&nm);
        let tol = nm.decision_tol();
        if let Some(i) = (0..self.n()).find(|&i| r[i] < -tol) {
            let what = match self.kind() {
                crate::game::Kind::Cost => {
                    "its separable cost c(N) - c(N minus i) exceeds its standalone cost"
                }
                crate::game::Kind::Value => {
                    "its separable contribution v(N) - v(N minus i) is below its standalone value"
                }
            };
            return Err(Error::Undefined {
                concept: CONCEPT,
                reason: format!(
                    "player {}'s remaining benefit is negative ({}): {what}",
                    self.players()[i],
                    nm.shift.unscale(r[i])
                ),
            });
        }
        let total = accurate_sum(r.iter().copied());
        if total <= tol {
            return Err(Error::Undefined {
                concept: CONCEPT,
                reason: "every remaining benefit is 0, so there is nothing to divide the \
                         non-separable cost in proportion to"
                    .to_string(),
            });
        }
        let wn = nm.w().grand_value();
        let y: Vec<f64> = r.iter().map(|ri| wn * (ri / total)).collect();
        finite(CONCEPT, nm.allocation(&y))
    }

    /// Equal division of the non-separable cost (ENSC; Young, Okada and Hashimoto 1982,
    /// Driessen and Funaki 1991): `x_i = M_i + (v(N) - sum_j M_j) / n` with
    /// `M_i = v(N) - v(N \ {i})` (cost games: `SC_i + (c(N) - sum_j SC_j) / n`, the same
    /// form). Always defined. Cost: O(n) after the zero-normalisation.
    ///
    /// # Example
    /// ```
    /// use coalitional::Game;
    /// // M = (6 - 2, 6 - 1) = (4, 5); v(N) - 9 = -3 split equally.
    /// let g = Game::from_values(vec![0.0, 1.0, 2.0, 6.0]).unwrap();
    /// assert_eq!(g.ensc().unwrap().values(), &[2.5, 3.5]);
    /// ```
    pub fn ensc(&self) -> Result<Allocation> {
        let nm = self.normal()?;
        let r = remaining(&nm);
        let wn = nm.w().grand_value();
        let rest = accurate_sum(std::iter::once(wn).chain(r.iter().map(|x| -x)));
        let share = rest / self.n() as f64;
        let y: Vec<f64> = r.iter().map(|ri| ri + share).collect();
        finite("the ENSC value", nm.allocation(&y))
    }

    /// The solidarity value (Nowak and Radzik 1994):
    /// `psi_i = sum_{S ∋ i} (n-s)!(s-1)!/n! A(S)` with the average marginal contribution
    /// `A(S) = (1/s) sum_{k in S} (v(S) - v(S \ {k}))`. See the [module
    /// docs](crate::solution::rules) for its axioms (it is not the Shapley value's null-player
    /// axiom but the A-null player's) and how budgets are handled.
    ///
    /// Cost: one pass of O(n 2^n) over the zero-normalised game, cancellable
    /// ([`Error::Interrupted`]).
    ///
    /// # Example
    /// The glove game (L with a left glove, R1 and R2 with right ones; a pair is worth 1):
    /// `A(L R1) = A(L R2) = 1`, `A(N) = 1/3`, so `psi_L = 1/6 + 1/6 + 1/9 = 4/9` and the
    /// right gloves get `5/18` each (Shapley: `2/3`, `1/6`, `1/6`).
    /// ```
    /// use coalitional::Game;
    /// let g = Game::from_fn(vec!["L".into(), "R1".into(), "R2".into()], |s| {
    ///     if s.contains(0) && (s.contains(1) || s.contains(2)) { 1.0 } else { 0.0 }
    /// }).unwrap();
    /// let psi = g.solidarity().unwrap();
    /// assert!((psi["L"] - 4.0 / 9.0).abs() < 1e-15 && (psi["R2"] - 5.0 / 18.0).abs() < 1e-15);
    /// ```
    pub fn solidarity(&self) -> Result<Allocation> {
        let n = self.n();
        let nm = self.normal()?;
        let w = nm.w();
        // q(s) = (n-s)!(s-1)!/n! / s = 1 / (n C(n-1, s-1) s): the weight of s A(S).
        let nf = n as f64;
        let q: Vec<f64> = (0..=n)
            .map(|s| {
                if s == 0 {
                    0.0
                } else {
                    1.0 / (nf * binomial(n - 1, s - 1) * s as f64)
                }
            })
            .collect();
        let mut psi = vec![0.0f64; n];
        let mut meter = Meter::new(1 << 18);
        for mask in 1..w.len() {
            meter.tick(n)?;
            let ws = w.at(mask);
            let members = Coalition::from_mask(mask as u64).members();
            let s = mask.count_ones() as usize;
            // s A(S) = s w(S) - sum_{k in S} w(S \ k).
            let below: f64 = members.clone().map(|k| w.at(mask ^ (1 << k))).sum();
            let t = q[s] * (s as f64 * ws - below);
            for k in members {
                psi[k] += t;
            }
        }
        // The standalone part b (an additive game) in closed form (module docs), so that
        // psi(v) = sign (psi(w) + psi(b)) / factor; y = psi(w) + psi(b) - b is what
        // `Normal::allocation` maps back by adding b.
        if n >= 2 {
            let b = &nm.shift.b;
            let total = accurate_sum(b.iter().copied());
            let harmonic: f64 = (1..=n).map(|k| 1.0 / k as f64).sum();
            let c = (nf - harmonic) / (nf * (nf - 1.0));
            for (p, bi) in psi.iter_mut().zip(b) {
                *p += c * (total - nf * bi);
            }
        }
        finite("the solidarity value", nm.allocation(&psi))
    }

    /// The propensity to disrupt of each player at `x` (Gately 1974):
    /// `d_i(x) = (x(N \ {i}) - v(N \ {i})) / (x_i - v({i}))`, what the others lose if `i`
    /// leaves per unit that `i` loses (the same formula for cost games: both differences
    /// change sign). The [Gately point](Game::gately_point) makes them all equal.
    ///
    /// Policy when `i` gains nothing, `x_i = v({i})` within [`Game::tolerance`]: `+inf` when
    /// the others would lose by its leaving, `-inf` when they would gain, `NaN` when neither
    /// (numerators within the tolerance count as 0). Never panics.
    ///
    /// Fails with [`Error::AllocationLength`] for a vector of the wrong length and
    /// [`Error::InvalidParameter`] (`name = "x"`) for an entry that is not finite. Cost: O(n)
    /// after the zero-normalisation.
    ///
    /// # Example
    /// ```
    /// use coalitional::Game;
    /// let g = Game::from_values(vec![0.0, 0.0, 0.0, 4.0, 0.0, 0.0, 3.0, 6.0]).unwrap();
    /// let d = g.propensity_to_disrupt(&[2.0, 3.0, 1.0]).unwrap();
    /// // Player 0: the others get 3 + 1 against v({1, 2}) = 3 alone, so (4 - 3) / (2 - 0).
    /// assert_eq!(d.values(), &[0.5, 1.0, 1.0]);
    /// ```
    pub fn propensity_to_disrupt(&self, x: &[f64]) -> Result<Propensities> {
        let n = self.n();
        if x.len() != n {
            return Err(Error::AllocationLength { got: x.len(), n });
        }
        if let Some(i) = x.iter().position(|v| !v.is_finite()) {
            return Err(Error::InvalidParameter {
                name: "x",
                reason: format!("the entry for {} is {}", self.players()[i], x[i]),
            });
        }
        let nm = self.normal()?;
        let y = nm.lower(x);
        let tol = nm.decision_tol();
        let w = nm.w();
        let grand = w.grand();
        let values = (0..n)
            .map(|i| {
                let others = accurate_sum(
                    (0..n)
                        .filter(|&j| j != i)
                        .map(|j| y[j])
                        .chain(std::iter::once(-w.value(grand.without(i)))),
                );
                let num = if others.abs() <= tol { 0.0 } else { others };
                let den = y[i];
                if den.abs() > tol {
                    num / den
                } else if num > 0.0 {
                    f64::INFINITY
                } else if num < 0.0 {
                    f64::NEG_INFINITY
                } else {
                    f64::NAN
                }
            })
            .collect();
        Ok(Propensities {
            players: self.players().to_vec(),
            values,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_shows_infinities() {
        let d = Propensities {
            players: vec!["a".into(), "bb".into(), "c".into()],
            values: vec![0.5, f64::INFINITY, f64::NAN],
        };
        assert_eq!(d.to_string(), "a   0.5\nbb  inf\nc   NaN");
    }
}
