//! Solution concepts, and [`Allocation`], the labelled vector they return.
//!
//! One file per family: [`shapley`] (Shapley value, marginal vectors), [`banzhaf`].

pub mod banzhaf;
pub mod bounds;
pub mod closest;
pub mod core;
pub mod core_vertices;
mod kernel;
pub mod kernel_point;
pub mod marginals;
pub mod network;
pub(crate) mod normal;
pub mod nucleolus;
pub mod owen;
pub mod power;
pub mod rules;
pub mod sampling;
pub mod sensitivity;
pub mod separation;
pub mod shapley;
pub mod standalone;
pub mod tau;
pub mod transforms;

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Index;

use serde::{Deserialize, Serialize};

use crate::display::shown_together;
use crate::error::{Error, Result};
use crate::game::Kind;

/// A payoff (or, in a cost game, a cost share) for every player, in player order.
///
/// Index it by position (`a[0]`) or by name (`a["Suzhou"]`; panics on an unknown name, use
/// [`Allocation::get`] to ask).
///
/// With serde it reads and writes as `{"players": [...], "values": [...], "kind": "value"}`;
/// reading checks that there is one value per player, that the names are nonempty and unique
/// and that the values are finite, and fails otherwise.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawAllocation")]
pub struct Allocation {
    players: Vec<String>,
    values: Vec<f64>,
    kind: Kind,
}

/// An [`Allocation`] as read, before validation.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAllocation {
    players: Vec<String>,
    values: Vec<f64>,
    #[serde(default)]
    kind: Kind,
}

impl TryFrom<RawAllocation> for Allocation {
    type Error = Error;
    fn try_from(raw: RawAllocation) -> Result<Allocation> {
        let a = Allocation::new(raw.players, raw.values, raw.kind)?;
        crate::game::validate_players(&a.players)?;
        if let Some(i) = a.values.iter().position(|x| !x.is_finite()) {
            return Err(Error::Undefined {
                concept: "an allocation",
                reason: format!("the value of {} is {}", a.players[i], a.values[i]),
            });
        }
        Ok(a)
    }
}

impl Allocation {
    /// An allocation of `values[i]` to `players[i]`; the lengths must agree.
    pub fn new(players: Vec<String>, values: Vec<f64>, kind: Kind) -> Result<Allocation> {
        if players.len() != values.len() {
            return Err(Error::Undefined {
                concept: "an allocation",
                reason: format!(
                    "{} values were given for {} players",
                    values.len(),
                    players.len()
                ),
            });
        }
        Ok(Allocation {
            players,
            values,
            kind,
        })
    }

    /// Builds an allocation whose lengths are known to agree.
    pub(crate) fn from_parts(players: &[String], values: Vec<f64>, kind: Kind) -> Allocation {
        debug_assert_eq!(players.len(), values.len());
        Allocation {
            players: players.to_vec(),
            values,
            kind,
        }
    }

    /// Player names, in order.
    pub fn players(&self) -> &[String] {
        &self.players
    }

    /// The numbers, in player order.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// Payoffs (value game) or cost shares (cost game).
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// The number for a named player, if there is such a player.
    pub fn get(&self, name: &str) -> Option<f64> {
        self.players
            .iter()
            .position(|p| p == name)
            .map(|i| self.values[i])
    }

    /// The sum over all players.
    pub fn total(&self) -> f64 {
        self.values.iter().sum()
    }

    /// Number of players.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// True when there are no players (never for an allocation of a game).
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// `(name, value)` pairs in player order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, f64)> {
        self.players
            .iter()
            .map(String::as_str)
            .zip(self.values.iter().copied())
    }

    /// The allocation as a name → value map.
    pub fn to_map(&self) -> BTreeMap<String, f64> {
        self.iter().map(|(p, v)| (p.to_string(), v)).collect()
    }

    /// Consumes the allocation, returning the numbers.
    pub fn into_values(self) -> Vec<f64> {
        self.values
    }
}

/// `a` if every entry is finite; otherwise the exact answer lies beyond the largest float
/// (inputs near `1.8e308` of both signs): an [`Error::Undefined`] that names the limit.
pub(crate) fn finite(concept: &'static str, a: Allocation) -> Result<Allocation> {
    match a.values.iter().position(|x| !x.is_finite()) {
        None => Ok(a),
        Some(i) => Err(Error::Undefined {
            concept,
            reason: format!(
                "{}'s share exceeds the largest floating-point number (about 1.8e308); rescale the game",
                a.players[i]
            ),
        }),
    }
}

impl Index<usize> for Allocation {
    type Output = f64;
    fn index(&self, i: usize) -> &f64 {
        &self.values[i]
    }
}

impl Index<&str> for Allocation {
    type Output = f64;
    fn index(&self, name: &str) -> &f64 {
        match self.players.iter().position(|p| p == name) {
            Some(i) => &self.values[i],
            None => panic!("{name:?} is not a player of this allocation"),
        }
    }
}

/// One line per player, `name  number`, names padded to a column and numbers aligned on the
/// right, each rounded to what the allocation's scale supports (see `fmt_number` in
/// `src/display.rs`: 10 significant digits at the largest entry, whole numbers snapped, noise
/// shown as `0`). `Debug` shows the exact numbers.
///
/// ```
/// use coalitional::{Allocation, Kind};
/// let a = Allocation::new(vec!["A".into(), "Bee".into()], vec![59.99999999999999, -1e-17],
///     Kind::Value).unwrap();
/// assert_eq!(a.to_string(), "A    60\nBee   0");
/// ```
impl fmt::Display for Allocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = self.players.iter().map(String::as_str);
        write_rows(f, names.zip(shown_together(&self.values, None)))
    }
}

/// `name  number` lines, names left-aligned and numbers right-aligned in their columns.
pub(crate) fn write_rows<'a>(
    f: &mut fmt::Formatter<'_>,
    rows: impl IntoIterator<Item = (&'a str, String)>,
) -> fmt::Result {
    let rows: Vec<(&str, String)> = rows.into_iter().collect();
    let width = rows
        .iter()
        .map(|(p, _)| p.chars().count())
        .max()
        .unwrap_or(0);
    let digits = rows
        .iter()
        .map(|(_, v)| v.chars().count())
        .max()
        .unwrap_or(0);
    for (k, (p, v)) in rows.iter().enumerate() {
        if k > 0 {
            writeln!(f)?;
        }
        write!(f, "{p:<width$}  {v:>digits$}")?;
    }
    Ok(())
}

/// `approx` comparisons: equal players and kind, then the values elementwise; a least core
/// compares `epsilon` and then its allocation.
#[cfg(feature = "approx")]
mod approx_impls {
    use approx::{AbsDiffEq, RelativeEq, UlpsEq};

    use super::core::LeastCore;
    use super::Allocation;

    impl AbsDiffEq for Allocation {
        type Epsilon = f64;
        fn default_epsilon() -> f64 {
            f64::default_epsilon()
        }
        fn abs_diff_eq(&self, other: &Self, epsilon: f64) -> bool {
            self.kind == other.kind
                && self.players == other.players
                && self.values.abs_diff_eq(&other.values, epsilon)
        }
    }

    impl RelativeEq for Allocation {
        fn default_max_relative() -> f64 {
            f64::default_max_relative()
        }
        fn relative_eq(&self, other: &Self, epsilon: f64, max_relative: f64) -> bool {
            self.kind == other.kind
                && self.players == other.players
                && self
                    .values
                    .relative_eq(&other.values, epsilon, max_relative)
        }
    }

    impl UlpsEq for Allocation {
        fn default_max_ulps() -> u32 {
            f64::default_max_ulps()
        }
        fn ulps_eq(&self, other: &Self, epsilon: f64, max_ulps: u32) -> bool {
            self.kind == other.kind
                && self.players == other.players
                && self.values.ulps_eq(&other.values, epsilon, max_ulps)
        }
    }

    impl AbsDiffEq for LeastCore {
        type Epsilon = f64;
        fn default_epsilon() -> f64 {
            f64::default_epsilon()
        }
        fn abs_diff_eq(&self, other: &Self, epsilon: f64) -> bool {
            self.epsilon.abs_diff_eq(&other.epsilon, epsilon)
                && self.allocation.abs_diff_eq(&other.allocation, epsilon)
        }
    }

    impl RelativeEq for LeastCore {
        fn default_max_relative() -> f64 {
            f64::default_max_relative()
        }
        fn relative_eq(&self, other: &Self, epsilon: f64, max_relative: f64) -> bool {
            self.epsilon
                .relative_eq(&other.epsilon, epsilon, max_relative)
                && self
                    .allocation
                    .relative_eq(&other.allocation, epsilon, max_relative)
        }
    }

    impl UlpsEq for LeastCore {
        fn default_max_ulps() -> u32 {
            f64::default_max_ulps()
        }
        fn ulps_eq(&self, other: &Self, epsilon: f64, max_ulps: u32) -> bool {
            self.epsilon.ulps_eq(&other.epsilon, epsilon, max_ulps)
                && self
                    .allocation
                    .ulps_eq(&other.allocation, epsilon, max_ulps)
        }
    }
}
