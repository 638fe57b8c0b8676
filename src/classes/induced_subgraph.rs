//! Induced subgraph games.
//!
//! Players are the nodes of a graph whose edges carry weights `w_e` (of any sign: the gain, or
//! the loss, when both ends cooperate); a coalition is worth the weights of the edges with both
//! ends in it:
//!
//! `v(S) = sum { w_ab : a, b in S }`
//!
//! (X. Deng and C. H. Papadimitriou, "On the complexity of cooperative solution concepts",
//! *Math. Oper. Res.* 19, 1994). Parallel edges add up.
//!
//! **Shapley value in closed form** (Deng and Papadimitriou 1994): each edge is shared equally
//! by its two ends, `phi_i = 1/2 sum_{e at i} w_e`; `O(n + |E|)`, no `2^n`.
//!
//! **Core.** Summing the closed form over `S` gives `phi(S) = v(S) + 1/2 w(δ(S))`, where
//! `w(δ(S))` is the weight of the edges with exactly one end in `S` (the cut of `S`). So the
//! Shapley value is in the core iff no cut has negative weight; and a negative cut `δ(S)` makes
//! the core empty, since then `v(S) + v(N \ S) = v(N) - w(δ(S)) > v(N)`. Hence: the core is
//! nonempty iff every cut has weight `>= 0`, and then it contains the Shapley value (Deng and
//! Papadimitriou 1994). With non-negative weights the game is convex (`v(S ∪ T) + v(S ∩ T) -
//! v(S) - v(T)` is the weight between `S \ T` and `T \ S`), so its core is nonempty and
//! contains the Shapley value (L. S. Shapley, "Cores of convex games", *Int. J. Game Theory* 1,
//! 1971). [`InducedSubgraph::is_convex`] tests this in `O(n^2)`; deciding whether a negative
//! cut exists in general is a maximum-cut problem, left to the dense game.
//!
//! **Cost.** `v(S)` is `O(|E|)`; the dense game is `O(2^n n)` (memory checked first).

use std::fmt;

use crate::classes::{coalition_of, names_for};
use crate::coalition::Coalition;
use crate::cooperative::{check_mask, Cooperative};
use crate::display::{fmt_number, scale_of};
use crate::error::{Error, Result};
use crate::game::Game;
use crate::memory;
use crate::solution::Allocation;
use crate::Kind;

/// An induced subgraph game (a value game).
#[derive(Clone, Debug, PartialEq)]
pub struct InducedSubgraph {
    players: Vec<String>,
    /// `(a, b, w)` with `a < b`, as given (parallel edges kept).
    edges: Vec<(usize, usize, f64)>,
}

impl InducedSubgraph {
    /// The game of the weighted edges `(a, b, w)` between the named `players` (`a != b`,
    /// both players, `w` finite).
    ///
    /// # Example
    /// A triangle with weights 6, 4 and -2: each edge is split between its ends.
    /// ```
    /// use coalitional::InducedSubgraph;
    /// let g = InducedSubgraph::new(
    ///     vec![("A".into(), "B".into(), 6.0), ("B".into(), "C".into(), 4.0), ("A".into(), "C".into(), -2.0)],
    ///     vec!["A".into(), "B".into(), "C".into()],
    /// ).unwrap();
    /// assert_eq!(g.value_of(&["A", "B", "C"]).unwrap(), 8.0);
    /// assert_eq!(g.shapley().values(), &[2.0, 5.0, 1.0]);
    /// ```
    pub fn new(edges: Vec<(String, String, f64)>, players: Vec<String>) -> Result<Self> {
        if players.is_empty() {
            return Err(Error::NoPlayers);
        }
        let players = names_for(players.len(), Some(players))?;
        let index = |name: &str| {
            players
                .iter()
                .position(|p| p == name)
                .ok_or_else(|| Error::UnknownPlayer {
                    name: name.to_string(),
                    players: players.join(", "),
                })
        };
        let mut stored = Vec::with_capacity(edges.len());
        for (k, (a, b, w)) in edges.iter().enumerate() {
            let (i, j) = (index(a)?, index(b)?);
            if i == j {
                return Err(Error::InvalidParameter {
                    name: "edges",
                    reason: format!("edge {k} joins {a} to itself; an edge joins two players"),
                });
            }
            if !w.is_finite() {
                return Err(Error::InvalidParameter {
                    name: "edges",
                    reason: format!("the weight of edge {k} ({a}, {b}) is {w}"),
                });
            }
            stored.push((i.min(j), i.max(j), *w));
        }
        Ok(InducedSubgraph {
            players,
            edges: stored,
        })
    }

    /// Number of players.
    pub fn n(&self) -> usize {
        self.players.len()
    }

    /// Player names.
    pub fn players(&self) -> &[String] {
        &self.players
    }

    /// The edges `(a, b, w)` as player indices with `a < b`, in the order given.
    pub fn edges(&self) -> &[(usize, usize, f64)] {
        &self.edges
    }

    /// `v(S)`: the weight of the edges with both ends in `S`, `O(|E|)`.
    pub fn value(&self, s: Coalition) -> f64 {
        self.edges
            .iter()
            .filter(|(a, b, _)| s.contains(*a) && s.contains(*b))
            .fold(0.0, |sum, e| sum + e.2)
    }

    /// The worth of the coalition of the named players.
    pub fn value_of<S: AsRef<str>>(&self, names: &[S]) -> Result<f64> {
        Ok(self.value(coalition_of(&self.players, names)?))
    }

    /// The Shapley value in closed form, `phi_i = 1/2 sum_{e at i} w_e` (Deng and
    /// Papadimitriou 1994), `O(n + |E|)`.
    pub fn shapley(&self) -> Allocation {
        let mut phi = vec![0.0; self.n()];
        for &(a, b, w) in &self.edges {
            phi[a] += 0.5 * w;
            phi[b] += 0.5 * w;
        }
        Allocation::from_parts(&self.players, phi, Kind::Value)
    }

    /// The summed weight between each pair of players (`n x n`, symmetric).
    fn pair_weights(&self) -> Vec<f64> {
        let n = self.n();
        let mut w = vec![0.0; n * n];
        for &(a, b, x) in &self.edges {
            w[a * n + b] += x;
            w[b * n + a] += x;
        }
        w
    }

    /// True when the game is convex: every pair's total weight is `>= 0` (then the core is
    /// nonempty and holds the Shapley value, Shapley 1971). `O(n^2 + |E|)`.
    pub fn is_convex(&self) -> bool {
        self.pair_weights().iter().all(|&w| w >= 0.0)
    }

    /// The dense game (memory checked first), `v(S) = v(S - i) + sum_{j in S - i} w_ij` for
    /// the lowest member `i`: `O(2^n n)`.
    pub fn to_game(&self) -> Result<Game> {
        let n = self.n();
        memory::check_dense(n, 1)?;
        let w = self.pair_weights();
        let mut v = memory::try_filled(1usize << n, 0.0f64, n)?;
        for mask in 1..v.len() {
            let low = mask.trailing_zeros() as usize;
            let rest = mask & (mask - 1);
            let gain: f64 = Coalition::from_mask(rest as u64)
                .members()
                .map(|j| w[low * n + j])
                .sum();
            v[mask] = v[rest] + gain;
        }
        Game::new(self.players.clone(), v)
    }
}

/// The players and the edges with their weights.
impl fmt::Display for InducedSubgraph {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scale = scale_of(self.edges.iter().map(|e| &e.2));
        writeln!(
            f,
            "induced subgraph game: {} players, {} edges",
            self.n(),
            self.edges.len()
        )?;
        for &(a, b, w) in &self.edges {
            writeln!(
                f,
                "  {} -- {}: {}",
                self.players[a],
                self.players[b],
                fmt_number(w, scale)
            )?;
        }
        Ok(())
    }
}

/// Worths from the edges, without the dense game.
impl Cooperative for InducedSubgraph {
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
