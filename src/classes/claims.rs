//! Bankruptcy (claims) problems: an estate `E` to divide among claims `c_i` with
//! `sum c_i >= E`.
//!
//! The **bankruptcy game** (B. O'Neill, "A problem of rights arbitration from the Talmud",
//! *Math. Soc. Sci.* 2, 1982) gives each coalition what the others leave it:
//! `v(S) = max(0, E - sum_{j not in S} c_j)`. It is convex.
//!
//! The classical **division rules** (W. Thomson, "Axiomatic and game-theoretic analysis of
//! bankruptcy and taxation problems: a survey", *Math. Soc. Sci.* 45, 2003), each in
//! `O(n log n)` without the game:
//! - proportional: `x_i = E c_i / C`;
//! - constrained equal awards (CEA): `x_i = min(c_i, lambda)`, `sum x_i = E`;
//! - constrained equal losses (CEL): `x_i = max(0, c_i - mu)`, `sum x_i = E`;
//! - Talmud (contested garment consistent; R. J. Aumann and M. Maschler, "Game theoretic
//!   analysis of a bankruptcy problem from the Talmud", *JET* 36, 1985): CEA on the half-claims
//!   when `E <= C/2`, else half-claims plus CEL on the half-claims for the rest; it equals the
//!   nucleolus of the bankruptcy game;
//! - random arrival (O'Neill 1982): claimants arrive in a uniformly random order and are paid
//!   in full while the estate lasts; it equals the Shapley value of the bankruptcy game, which is
//!   how it is computed (`O(2^n)`, memory checked).

use crate::classes::{check_nonnegative, names_for};
use crate::coalition::Coalition;
use crate::cooperative::{check_mask, Cooperative};
use crate::error::{Error, Result};
use crate::game::Game;
use crate::solution::Allocation;
use crate::Kind;

/// A claims problem: an estate and named claims.
///
/// With serde it reads and writes as `{"players": [...], "estate": e, "claims": [...]}`
/// (`players` may be left out); reading applies the checks of [`Claims::new`].
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "RawClaims", into = "RawClaims")]
pub struct Claims {
    players: Vec<String>,
    estate: f64,
    claims: Vec<f64>,
}

/// A [`Claims`] problem as written, and as read before validation.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClaims {
    #[serde(default)]
    players: Option<Vec<String>>,
    estate: f64,
    claims: Vec<f64>,
}

impl TryFrom<RawClaims> for Claims {
    type Error = Error;
    fn try_from(raw: RawClaims) -> Result<Claims> {
        Claims::new(raw.estate, raw.claims, raw.players)
    }
}

impl From<Claims> for RawClaims {
    fn from(c: Claims) -> RawClaims {
        RawClaims {
            players: Some(c.players),
            estate: c.estate,
            claims: c.claims,
        }
    }
}

impl Claims {
    /// The problem of dividing `estate` among `claims` (finite, nonnegative, summing to at least
    /// the estate).
    ///
    /// # Example
    /// The Talmud's estate of 200 for claims 100, 200, 300 (Aumann and Maschler 1985).
    /// ```
    /// use coalitional::classes::claims::Claims;
    /// let p = Claims::new(200.0, vec![100.0, 200.0, 300.0], None).unwrap();
    /// assert_eq!(p.talmud().values(), &[50.0, 75.0, 75.0]);
    /// assert_eq!(p.constrained_equal_awards().values(), &[200.0 / 3.0; 3]);
    /// ```
    pub fn new(estate: f64, claims: Vec<f64>, players: Option<Vec<String>>) -> Result<Self> {
        if claims.is_empty() {
            return Err(Error::NoPlayers);
        }
        let players = names_for(claims.len(), players)?;
        check_nonnegative("claims", &claims, &players)?;
        if !estate.is_finite() || estate < 0.0 {
            return Err(Error::InvalidParameter {
                name: "estate",
                reason: format!("{estate}; it must be a finite number >= 0"),
            });
        }
        let total: f64 = claims.iter().sum();
        if estate > total * (1.0 + 1e-12) {
            return Err(Error::InvalidParameter {
                name: "estate",
                reason: format!(
                    "{estate} exceeds the total claim {total}: there is nothing to ration"
                ),
            });
        }
        Ok(Claims {
            players,
            estate: estate.min(total),
            claims,
        })
    }

    /// Number of claimants.
    pub fn n(&self) -> usize {
        self.claims.len()
    }

    /// Names of the claimants.
    pub fn players(&self) -> &[String] {
        &self.players
    }

    /// The estate.
    pub fn estate(&self) -> f64 {
        self.estate
    }

    /// The claims.
    pub fn claims(&self) -> &[f64] {
        &self.claims
    }

    fn allocation(&self, x: Vec<f64>) -> Allocation {
        Allocation::from_parts(&self.players, x, Kind::Value)
    }

    /// The worth `v(S) = max(0, E - c(N \ S))` of a coalition of claimants, `O(n)`.
    pub fn value(&self, s: Coalition) -> f64 {
        let total: f64 = self.claims.iter().sum();
        self.worth_given(total, s)
    }

    /// `v(S)` with the total claim computed once by the caller.
    fn worth_given(&self, total: f64, s: Coalition) -> f64 {
        let inside: f64 = s.members().map(|i| self.claims[i]).sum();
        (self.estate - (total - inside)).max(0.0)
    }

    /// The bankruptcy game `v(S) = max(0, E - c(N \ S))` (dense; memory checked first).
    pub fn to_game(&self) -> Result<Game> {
        let total: f64 = self.claims.iter().sum();
        Game::from_fn(self.players.clone(), |s| self.worth_given(total, s))
    }

    /// Proportional division `x_i = E c_i / C` (zero when all claims are zero).
    pub fn proportional(&self) -> Allocation {
        let total: f64 = self.claims.iter().sum();
        let x = self
            .claims
            .iter()
            .map(|c| {
                if total > 0.0 {
                    self.estate * c / total
                } else {
                    0.0
                }
            })
            .collect();
        self.allocation(x)
    }

    /// Constrained equal awards: `x_i = min(c_i, lambda)` with `lambda` such that the shares
    /// add up to the estate.
    pub fn constrained_equal_awards(&self) -> Allocation {
        self.allocation(cea(self.estate, &self.claims))
    }

    /// Constrained equal losses: `x_i = max(0, c_i - mu)` with `mu` such that the shares add
    /// up to the estate; `CEL(E, c) = c - CEA(C - E, c)`.
    pub fn constrained_equal_losses(&self) -> Allocation {
        let total: f64 = self.claims.iter().sum();
        let losses = cea(total - self.estate, &self.claims);
        self.allocation(self.claims.iter().zip(losses).map(|(c, l)| c - l).collect())
    }

    /// The Talmud rule (Aumann and Maschler 1985): with half-claims `h = c / 2`, `CEA(E, h)`
    /// when `E <= C / 2`, else `c - CEA(C - E, h)`.
    pub fn talmud(&self) -> Allocation {
        let total: f64 = self.claims.iter().sum();
        let half: Vec<f64> = self.claims.iter().map(|c| c / 2.0).collect();
        let x = if self.estate <= total / 2.0 {
            cea(self.estate, &half)
        } else {
            let losses = cea(total - self.estate, &half);
            self.claims.iter().zip(losses).map(|(c, l)| c - l).collect()
        };
        self.allocation(x)
    }

    /// The nucleolus of the bankruptcy game, without its `2^n` values: the Talmud rule, which
    /// Aumann and Maschler (1985, "Game theoretic analysis of a bankruptcy problem from the
    /// Talmud", *J. Econ. Theory* 36) proved to be the nucleolus of every claims game. `O(n log n)`,
    /// so 1,000 claimants take microseconds; the dense [`Game::nucleolus`] agrees (tested).
    ///
    /// ```
    /// use coalitional::Claims;
    /// let c = Claims::new(200.0, vec![100.0, 200.0, 300.0], None).unwrap();
    /// assert_eq!(c.nucleolus().values(), &[50.0, 75.0, 75.0]);
    /// ```
    pub fn nucleolus(&self) -> Allocation {
        self.talmud()
    }

    /// The random arrival rule (O'Neill 1982): the expected payment when claimants arrive in a
    /// uniformly random order and each is paid in full while the estate lasts. Computed as the
    /// Shapley value of the bankruptcy game (equal by O'Neill's theorem), `O(2^n)`.
    pub fn random_arrival(&self) -> Result<Allocation> {
        self.to_game()?.try_shapley()
    }
}

/// Worths from the estate and the claims, without the dense game.
impl Cooperative for Claims {
    fn players(&self) -> &[String] {
        &self.players
    }
    fn kind(&self) -> Kind {
        Kind::Value
    }
    fn worth(&mut self, mask: u64) -> Result<f64> {
        check_mask(self.n(), mask)?;
        Ok(self.value(Coalition::from_mask(mask)))
    }
    fn dense(&mut self) -> Result<Game> {
        self.to_game()
    }
}

/// Constrained equal awards of `amount` for `claims`: `min(c_i, lambda)` summing to `amount`
/// (`amount <= sum of claims`).
fn cea(amount: f64, claims: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..claims.len()).collect();
    order.sort_by(|&a, &b| claims[a].total_cmp(&claims[b]));
    let mut left = amount.max(0.0);
    let mut x = vec![0.0; claims.len()];
    for (k, &i) in order.iter().enumerate() {
        let share = left / (claims.len() - k) as f64;
        if claims[i] <= share {
            x[i] = claims[i];
            left -= claims[i];
        } else {
            // Everyone from here on gets the same lambda = share.
            for &j in &order[k..] {
                x[j] = share;
            }
            break;
        }
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cea_caps_small_claims() {
        assert_eq!(cea(150.0, &[100.0, 200.0, 30.0]), vec![60.0, 60.0, 30.0]);
        assert_eq!(cea(0.0, &[1.0, 2.0]), vec![0.0, 0.0]);
        assert_eq!(cea(3.0, &[1.0, 2.0]), vec![1.0, 2.0]);
    }
}
