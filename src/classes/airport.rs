//! Airport (runway) cost games.
//!
//! Planes of types `1..n` need runways of costs `c_1, ..., c_n`; a coalition needs the longest
//! runway among its members: `c(S) = max_{i in S} c_i` (S. C. Littlechild and G. Owen, "A simple
//! expression for the Shapley value in a special case", *Management Science* 20, 1973).
//!
//! **Shapley value in closed form** (Littlechild and Owen 1973): sort the costs,
//! `c_(1) <= ... <= c_(n)`; the runway segment `c_(k) - c_(k-1)` is used by the `n - k + 1`
//! players whose runway is at least `c_(k)`, and they share it equally:
//! `phi_(j) = sum_{k <= j} (c_(k) - c_(k-1)) / (n - k + 1)`. `O(n log n)`.

use crate::classes::{check_nonnegative, names_for};
use crate::coalition::Coalition;
use crate::cooperative::{check_mask, Cooperative};
use crate::error::{Error, Result};
use crate::game::Game;
use crate::memory;
use crate::solution::Allocation;
use crate::Kind;

/// An airport cost game.
///
/// With serde it reads and writes as `{"players": [...], "costs": [...]}` (`players` may be
/// left out); reading applies the checks of [`Airport::new`].
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "RawAirport", into = "RawAirport")]
pub struct Airport {
    players: Vec<String>,
    costs: Vec<f64>,
}

/// An [`Airport`] as written, and as read before validation.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAirport {
    #[serde(default)]
    players: Option<Vec<String>>,
    costs: Vec<f64>,
}

impl TryFrom<RawAirport> for Airport {
    type Error = Error;
    fn try_from(raw: RawAirport) -> Result<Airport> {
        Airport::new(raw.costs, raw.players)
    }
}

impl From<Airport> for RawAirport {
    fn from(a: Airport) -> RawAirport {
        RawAirport {
            players: Some(a.players),
            costs: a.costs,
        }
    }
}

impl Airport {
    /// The game of runway costs `costs` (finite, nonnegative).
    ///
    /// # Example
    /// Costs 1, 3, 6: the first segment (1) is shared by three, the second (2) by two, the last
    /// (3) by one: shares 1/3, 1/3 + 1, 1/3 + 1 + 3.
    /// ```
    /// use coalitional::classes::airport::Airport;
    /// let a = Airport::new(vec![1.0, 3.0, 6.0], None).unwrap();
    /// let phi = a.shapley();
    /// assert!((phi[1] - 4.0 / 3.0).abs() < 1e-15 && (phi[2] - 13.0 / 3.0).abs() < 1e-15);
    /// ```
    pub fn new(costs: Vec<f64>, players: Option<Vec<String>>) -> Result<Self> {
        if costs.is_empty() {
            return Err(Error::NoPlayers);
        }
        let players = names_for(costs.len(), players)?;
        check_nonnegative("costs", &costs, &players)?;
        Ok(Airport { players, costs })
    }

    /// Number of players.
    pub fn n(&self) -> usize {
        self.costs.len()
    }

    /// Names.
    pub fn players(&self) -> &[String] {
        &self.players
    }

    /// The runway costs.
    pub fn costs(&self) -> &[f64] {
        &self.costs
    }

    /// The Littlechild–Owen Shapley value (cost shares), `O(n log n)`.
    pub fn shapley(&self) -> Allocation {
        let n = self.n();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| self.costs[a].total_cmp(&self.costs[b]));
        let mut phi = vec![0.0; n];
        let (mut share, mut previous) = (0.0, 0.0);
        for (k, &i) in order.iter().enumerate() {
            share += (self.costs[i] - previous) / (n - k) as f64;
            previous = self.costs[i];
            phi[i] = share;
        }
        Allocation::from_parts(&self.players, phi, Kind::Cost)
    }

    /// The cost `c(S) = max_{i in S} c_i` of a coalition (0 for the empty one), `O(n)`.
    pub fn value(&self, s: Coalition) -> f64 {
        s.members().map(|i| self.costs[i]).fold(0.0, f64::max)
    }

    /// The dense cost game `c(S) = max_{i in S} c_i` (memory checked first), one step per
    /// coalition: `c(S) = max(c(S - i), c_i)` for the lowest member `i`.
    pub fn to_game(&self) -> Result<Game> {
        let n = self.n();
        memory::check_dense(n, 1)?;
        let mut v = memory::try_filled(1usize << n, 0.0f64, n)?;
        for mask in 1..v.len() {
            let low = mask.trailing_zeros() as usize;
            v[mask] = v[mask & (mask - 1)].max(self.costs[low]);
        }
        Game::with_kind(self.players.clone(), v, Kind::Cost)
    }
}

/// Costs from the runway lengths, without the dense game.
impl Cooperative for Airport {
    fn players(&self) -> &[String] {
        &self.players
    }
    fn kind(&self) -> Kind {
        Kind::Cost
    }
    fn worth(&mut self, mask: u64) -> Result<f64> {
        check_mask(self.n(), mask)?;
        Ok(self.value(Coalition::from_mask(mask)))
    }
    fn dense(&mut self) -> Result<Game> {
        self.to_game()
    }
}
