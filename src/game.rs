//! [`Game`]: a dense transferable-utility game over named players.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::coalition::Coalition;
use crate::error::{Error, Result};
use crate::memory;

/// Whether a game's numbers are values (benefits to share) or costs (bills to split).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// `v(S)`: what coalition `S` can earn; solutions are payoffs.
    #[default]
    Value,
    /// `c(S)`: what coalition `S` must pay; solutions are cost shares.
    Cost,
}

impl Kind {
    /// `"value"` or `"cost"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Value => "value",
            Kind::Cost => "cost",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Kind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Kind> {
        match s {
            "value" => Ok(Kind::Value),
            "cost" => Ok(Kind::Cost),
            other => Err(Error::UnknownKind {
                kind: other.to_string(),
            }),
        }
    }
}

/// A transferable-utility game in characteristic-function form, stored densely.
///
/// `values[mask]` is the worth of the coalition whose members are the set bits of `mask`
/// (bit `i` = player `i`), so a game of `n` players holds `2^n` numbers and `values[0] = 0`.
/// A `Game` is validated once, when built, and never changes afterwards.
///
/// # Example
/// ```
/// use coalitional::Game;
/// # fn main() -> coalitional::Result<()> {
/// let g = Game::from_fn(vec!["A".into(), "B".into(), "C".into()], |s| (s.len() as f64).powi(2))?;
/// assert_eq!(g.n(), 3);
/// assert_eq!(g.grand_value(), 9.0);
/// let phi = g.shapley();
/// assert!((phi["A"] - 3.0).abs() < 1e-12);
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Game {
    players: Vec<String>,
    kind: Kind,
    values: Vec<f64>,
    /// `max |v(S)|`, found by the validation pass.
    magnitude: f64,
}

/// Player names `"0"`, `"1"`, ..., `"n-1"`.
pub fn default_players(n: usize) -> Vec<String> {
    (0..n).map(|i| i.to_string()).collect()
}

/// Checks that names are nonempty and unique.
pub(crate) fn validate_players(players: &[String]) -> Result<()> {
    if players.is_empty() {
        return Err(Error::NoPlayers);
    }
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(players.len());
    for (i, name) in players.iter().enumerate() {
        if name.is_empty() {
            return Err(Error::EmptyPlayerName { index: i });
        }
        if let Some(&first) = seen.get(name.as_str()) {
            return Err(Error::DuplicatePlayer {
                name: name.clone(),
                first,
                second: i,
            });
        }
        seen.insert(name, i);
    }
    Ok(())
}

/// Returns n if `len` is 2^n.
fn players_for_len(len: usize) -> Result<usize> {
    if len == 0 || !len.is_power_of_two() {
        return Err(Error::NotPowerOfTwo { len });
    }
    Ok(len.trailing_zeros() as usize)
}

impl Game {
    /// A value game from its `2^n` values (index = bit mask) and `n` player names.
    ///
    /// Fails if the length is not `2^n` for the `n` names, if `values[0] != 0`, if any value is
    /// NaN or infinite, or if a name is empty or repeated.
    pub fn new(players: Vec<String>, values: Vec<f64>) -> Result<Game> {
        Game::with_kind(players, values, Kind::Value)
    }

    /// A game of the given [`Kind`] from its `2^n` values and `n` player names.
    pub fn with_kind(players: Vec<String>, values: Vec<f64>, kind: Kind) -> Result<Game> {
        let bits = players_for_len(values.len())?;
        if bits != players.len() {
            return Err(Error::LengthMismatch {
                len: values.len(),
                bits,
                players: players.len(),
                expected: 1u128 << players.len().min(127),
            });
        }
        validate_players(&players)?;
        let magnitude = validate_values(&players, &values)?;
        Ok(Game {
            players,
            kind,
            values,
            magnitude,
        })
    }

    /// A value game with default player names `"0".."n-1"`.
    pub fn from_values(values: Vec<f64>) -> Result<Game> {
        let n = players_for_len(values.len())?;
        Game::new(default_players(n), values)
    }

    /// A value game from a function of the coalition, evaluated once for every nonempty
    /// coalition (the empty coalition is worth 0 by definition and `f` is not called for it).
    ///
    /// Memory for the `2^n` values is checked before it is allocated.
    pub fn from_fn(players: Vec<String>, mut f: impl FnMut(Coalition) -> f64) -> Result<Game> {
        Game::try_from_fn(players, Kind::Value, |s| Ok::<f64, Error>(f(s)))
    }

    /// Like [`Game::from_fn`] for a fallible function and any [`Kind`]; the first error that `f`
    /// returns stops the construction and is returned.
    pub fn try_from_fn<E: From<Error>>(
        players: Vec<String>,
        kind: Kind,
        mut f: impl FnMut(Coalition) -> std::result::Result<f64, E>,
    ) -> std::result::Result<Game, E> {
        validate_players(&players)?;
        let n = players.len();
        memory::check_dense(n, 1)?;
        let mut values = memory::try_with_capacity(1usize << n, n)?;
        values.push(0.0);
        for mask in 1..(1u64 << n) {
            values.push(f(Coalition::from_mask(mask))?);
        }
        let magnitude = validate_values(&players, &values)?;
        Ok(Game {
            players,
            kind,
            values,
            magnitude,
        })
    }

    /// A game from `(members, value)` pairs that name every nonempty coalition exactly once
    /// (in any order of members). The empty coalition may be given, with value 0.
    ///
    /// Fails on an unknown or repeated name, a coalition given twice with different values, or
    /// a missing coalition (the error names the first missing one).
    pub fn from_coalitions<I, C, S>(players: Vec<String>, kind: Kind, entries: I) -> Result<Game>
    where
        I: IntoIterator<Item = (C, f64)>,
        C: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        validate_players(&players)?;
        let n = players.len();
        memory::check_dense(n, 2)?;
        let index: HashMap<&str, usize> = players
            .iter()
            .enumerate()
            .map(|(i, p)| (p.as_str(), i))
            .collect();
        let size = 1usize << n;
        let mut values = memory::try_filled(size, f64::NAN, n)?;
        let mut given = memory::try_filled(size, false, n)?;
        values[0] = 0.0;
        for (members, value) in entries {
            let names: Vec<S> = members.into_iter().collect();
            let written = || {
                let parts: Vec<&str> = names.iter().map(|s| s.as_ref()).collect();
                format!("{{{}}}", parts.join(", "))
            };
            let mut mask = 0usize;
            for name in &names {
                let i = *index
                    .get(name.as_ref())
                    .ok_or_else(|| Error::UnknownPlayer {
                        name: name.as_ref().to_string(),
                        players: players.join(", "),
                    })?;
                if mask & (1 << i) != 0 {
                    return Err(Error::RepeatedMember {
                        coalition: written(),
                        name: name.as_ref().to_string(),
                    });
                }
                mask |= 1 << i;
            }
            if given[mask] && values[mask].to_bits() != value.to_bits() {
                return Err(Error::ConflictingCoalition {
                    coalition: Coalition::from_mask(mask as u64).names(&players),
                    first: values[mask],
                    second: value,
                });
            }
            given[mask] = true;
            values[mask] = value;
        }
        let missing = given[1..].iter().filter(|&&g| !g).count();
        if missing > 0 {
            let first = (1..size).find(|&m| !given[m]).unwrap_or(1);
            return Err(Error::MissingCoalition {
                coalition: Coalition::from_mask(first as u64).names(&players),
                missing,
                total: size - 1,
            });
        }
        drop(given);
        Game::with_kind(players, values, kind)
    }

    /// The same game with another [`Kind`] label (the numbers are unchanged).
    pub fn into_kind(mut self, kind: Kind) -> Game {
        self.kind = kind;
        self
    }

    /// Number of players.
    pub fn n(&self) -> usize {
        self.players.len()
    }

    /// Player names, in index order.
    pub fn players(&self) -> &[String] {
        &self.players
    }

    /// Value game or cost game.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// `max |v(S)|` over all coalitions (0 for the zero game).
    pub fn magnitude(&self) -> f64 {
        self.magnitude
    }

    /// All `2^n` values, indexed by bit mask.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// The worth of a coalition.
    pub fn value(&self, s: Coalition) -> f64 {
        self.values[s.index()]
    }

    /// The worth of the grand coalition, `v(N)`.
    pub fn grand_value(&self) -> f64 {
        self.values[self.values.len() - 1]
    }

    /// The grand coalition `N`.
    pub fn grand(&self) -> Coalition {
        Coalition::grand(self.n())
    }

    /// The index of a player by name.
    pub fn player_index(&self, name: &str) -> Result<usize> {
        self.players
            .iter()
            .position(|p| p == name)
            .ok_or_else(|| Error::UnknownPlayer {
                name: name.to_string(),
                players: self.players.join(", "),
            })
    }

    /// The coalition of the named players (a name may not repeat).
    pub fn coalition<S: AsRef<str>>(&self, names: &[S]) -> Result<Coalition> {
        let mut c = Coalition::EMPTY;
        for name in names {
            let i = self.player_index(name.as_ref())?;
            if c.contains(i) {
                let parts: Vec<&str> = names.iter().map(|s| s.as_ref()).collect();
                return Err(Error::RepeatedMember {
                    coalition: format!("{{{}}}", parts.join(", ")),
                    name: name.as_ref().to_string(),
                });
            }
            c = c.with(i);
        }
        Ok(c)
    }

    /// The worth of the coalition of the named players.
    pub fn value_of<S: AsRef<str>>(&self, names: &[S]) -> Result<f64> {
        Ok(self.value(self.coalition(names)?))
    }

    /// For a cost game, the savings game `v(S) = sum_{i in S} c({i}) - c(S)`, a value game;
    /// for a value game, a copy of itself.
    pub fn savings(&self) -> Game {
        match self.kind {
            Kind::Value => self.clone(),
            Kind::Cost => {
                let standalone: Vec<f64> = (0..self.n())
                    .map(|i| self.value(Coalition::singleton(i)))
                    .collect();
                let values: Vec<f64> = (0..self.values.len())
                    .map(|m| {
                        let s = Coalition::from_mask(m as u64);
                        s.members().map(|i| standalone[i]).sum::<f64>() - self.values[m]
                    })
                    .collect();
                Game {
                    players: self.players.clone(),
                    kind: Kind::Value,
                    magnitude: values.iter().fold(0.0, |m, v| m.max(v.abs())),
                    values,
                }
            }
        }
    }
}

/// Checks `values[0] == 0` and that every value is finite; returns `max |v(S)|`.
fn validate_values(players: &[String], values: &[f64]) -> Result<f64> {
    // One pass for both (NaN compares false, so it cannot raise the maximum).
    let (magnitude, finite) = values.iter().fold((0.0f64, true), |(m, ok), v| {
        (if v.abs() > m { v.abs() } else { m }, ok & v.is_finite())
    });
    if !finite {
        let (index, &value) = values
            .iter()
            .enumerate()
            .find(|(_, v)| !v.is_finite())
            .expect("a value is not finite");
        return Err(Error::NonFinite {
            coalition: Coalition::from_mask(index as u64).names(players),
            index,
            value,
        });
    }
    if values[0] != 0.0 {
        return Err(Error::NonzeroEmpty { value: values[0] });
    }
    Ok(magnitude)
}

impl fmt::Display for Game {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} game of {} players ({}), v(N) = {}",
            self.kind,
            self.n(),
            self.players.join(", "),
            self.grand_value()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn wrong_length_is_refused_with_the_length() {
        let err = Game::from_values(vec![0.0, 1.0, 2.0]).unwrap_err();
        assert_eq!(err, Error::NotPowerOfTwo { len: 3 });
        let err = Game::new(names(&["A"]), vec![0.0, 1.0, 1.0, 2.0]).unwrap_err();
        assert!(matches!(
            err,
            Error::LengthMismatch {
                len: 4,
                players: 1,
                ..
            }
        ));
    }

    #[test]
    fn nonfinite_value_names_the_coalition() {
        let err = Game::new(names(&["A", "B"]), vec![0.0, 1.0, f64::NAN, 3.0]).unwrap_err();
        assert!(
            matches!(err, Error::NonFinite { index: 2, ref coalition, .. } if coalition == "{B}"),
            "{err:?}"
        );
        let err = Game::from_values(vec![0.0, f64::INFINITY]).unwrap_err();
        assert!(matches!(err, Error::NonFinite { index: 1, .. }));
    }

    #[test]
    fn nonzero_empty_coalition_is_refused() {
        let err = Game::from_values(vec![1.0, 2.0]).unwrap_err();
        assert_eq!(err, Error::NonzeroEmpty { value: 1.0 });
    }

    #[test]
    fn duplicate_and_empty_names_are_refused() {
        let err = Game::new(names(&["A", "A"]), vec![0.0; 4]).unwrap_err();
        assert!(matches!(
            err,
            Error::DuplicatePlayer {
                first: 0,
                second: 1,
                ..
            }
        ));
        let err = Game::new(names(&["A", ""]), vec![0.0; 4]).unwrap_err();
        assert_eq!(err, Error::EmptyPlayerName { index: 1 });
        assert_eq!(Game::new(vec![], vec![0.0]).unwrap_err(), Error::NoPlayers);
    }

    #[test]
    fn from_coalitions_reports_the_missing_coalition() {
        let entries = vec![(vec!["A"], 1.0), (vec!["B"], 2.0)];
        let err = Game::from_coalitions(names(&["A", "B"]), Kind::Value, entries).unwrap_err();
        assert!(
            matches!(err, Error::MissingCoalition { missing: 1, ref coalition, .. } if coalition == "{A, B}"),
            "{err:?}"
        );
    }

    #[test]
    fn from_coalitions_accepts_any_member_order() {
        let entries = vec![(vec!["B", "A"], 5.0), (vec!["A"], 1.0), (vec!["B"], 2.0)];
        let g = Game::from_coalitions(names(&["A", "B"]), Kind::Value, entries).unwrap();
        assert_eq!(g.values(), &[0.0, 1.0, 2.0, 5.0]);
        assert_eq!(g.value_of(&["B", "A"]).unwrap(), 5.0);
    }

    #[test]
    fn from_coalitions_refuses_unknown_repeated_and_conflicting() {
        let ps = names(&["A", "B"]);
        let err = Game::from_coalitions(ps.clone(), Kind::Value, vec![(vec!["C"], 1.0)]);
        assert!(matches!(err, Err(Error::UnknownPlayer { .. })));
        let err = Game::from_coalitions(ps.clone(), Kind::Value, vec![(vec!["A", "A"], 1.0)]);
        assert!(matches!(err, Err(Error::RepeatedMember { .. })));
        let entries = vec![(vec!["A", "B"], 1.0), (vec!["B", "A"], 2.0)];
        let err = Game::from_coalitions(ps, Kind::Value, entries);
        assert!(matches!(err, Err(Error::ConflictingCoalition { .. })));
    }

    #[test]
    fn from_fn_never_calls_f_on_the_empty_set() {
        let g = Game::from_fn(names(&["A", "B"]), |s| {
            assert!(!s.is_empty());
            10.0
        })
        .unwrap();
        assert_eq!(g.values(), &[0.0, 10.0, 10.0, 10.0]);
    }

    #[test]
    fn savings_of_a_cost_game() {
        let c = Game::with_kind(names(&["A", "B"]), vec![0.0, 3.0, 4.0, 5.0], Kind::Cost).unwrap();
        let v = c.savings();
        assert_eq!(v.kind(), Kind::Value);
        assert_eq!(v.values(), &[0.0, 0.0, 0.0, 2.0]);
    }

    #[test]
    fn unknown_player_lists_the_players() {
        let g = Game::from_values(vec![0.0, 1.0]).unwrap();
        assert_eq!(
            g.value_of(&["x"]).unwrap_err(),
            Error::UnknownPlayer {
                name: "x".into(),
                players: "0".into()
            }
        );
    }
}
