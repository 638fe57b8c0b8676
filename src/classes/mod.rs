//! Structured games: each class stores its few parameters, computes what has a closed form or a
//! fast algorithm without the `2^n` values, and builds the dense [`Game`](crate::Game) only
//! when asked ([`WeightedVoting::to_game`](voting::WeightedVoting::to_game) and the like,
//! memory checked first). Each is a [`Cooperative`](crate::Cooperative) game whose worth of a
//! coalition comes from the parameters (`value(coalition)`), and each has a class form in the
//! JSON format ([`crate::format`]).
//!
//! - [`voting`]: weighted majority games, Shapley–Shubik and Banzhaf indices by exact counting;
//! - [`claims`]: bankruptcy (claims) problems, their game and the classical division rules;
//! - [`airport`]: airport (runway) cost games and the Littlechild–Owen Shapley value;
//!   [`airport_nucleolus`]: their nucleolus and least core by Littlechild's algorithm;
//! - [`assignment`]: assignment games of a two-sided market (Shapley–Shubik 1971);
//!   [`assignment_nucleolus`]: their nucleolus and least core over the essential coalitions;
//! - [`convex`]: convex games given by a worth function, with a separation oracle by
//!   submodular minimisation (no class form in the JSON format: a function is not data);
//! - [`spanning_tree`], [`induced_subgraph`], [`production`]: network and production games
//!   (minimum-cost spanning tree games and Bird's rule, induced subgraph games, Owen's linear
//!   production games); these have no class form in the JSON format (their `to_game` writes
//!   the dense game).

pub mod airport;
pub mod airport_nucleolus;
pub mod assignment;
pub mod assignment_nucleolus;
pub mod claims;
mod claims_separation;
pub mod convex;
pub mod induced_subgraph;
pub(crate) mod oracle;
pub mod production;
pub mod spanning_tree;
pub mod voting;

use crate::coalition::Coalition;
use crate::error::{Error, Result};
use crate::game::{default_players, validate_players};

/// The names for `n` players: `players` if given (checked: `n` unique nonempty names), else
/// `"0".."n-1"`.
pub(crate) fn names_for(n: usize, players: Option<Vec<String>>) -> Result<Vec<String>> {
    let names = players.unwrap_or_else(|| default_players(n));
    if names.len() != n {
        return Err(Error::InvalidParameter {
            name: "players",
            reason: format!("{} names were given for {n} players", names.len()),
        });
    }
    validate_players(&names)?;
    Ok(names)
}

/// Checks that every entry of `xs` is finite and nonnegative; `name` labels the error.
pub(crate) fn check_nonnegative(name: &'static str, xs: &[f64], players: &[String]) -> Result<()> {
    for (x, p) in xs.iter().zip(players) {
        if !x.is_finite() || *x < 0.0 {
            return Err(Error::InvalidParameter {
                name,
                reason: format!("the entry for {p} is {x}; it must be a finite number >= 0"),
            });
        }
    }
    Ok(())
}

/// The coalition of the named `players` (an unknown name is [`Error::UnknownPlayer`], a
/// repeated one [`Error::RepeatedMember`]).
pub(crate) fn coalition_of<S: AsRef<str>>(players: &[String], names: &[S]) -> Result<Coalition> {
    let mut c = Coalition::EMPTY;
    for name in names {
        let name = name.as_ref();
        let i = players
            .iter()
            .position(|p| p == name)
            .ok_or_else(|| Error::UnknownPlayer {
                name: name.to_string(),
                players: players.join(", "),
            })?;
        if i >= 64 {
            return Err(Error::PlayerIndexOutOfRange { index: i, n: 64 });
        }
        if c.contains(i) {
            let parts: Vec<&str> = names.iter().map(AsRef::as_ref).collect();
            return Err(Error::RepeatedMember {
                coalition: format!("{{{}}}", parts.join(", ")),
                name: name.to_string(),
            });
        }
        c = c.with(i);
    }
    Ok(c)
}
