//! Cooperation on a network: the graph-restricted game (Myerson 1977), the Myerson value and
//! the position value (Borm, Owen and Tijs 1992).
//!
//! A communication graph `(N, E)` says which players can talk directly; a coalition `S` can
//! only realise the worth of the pieces of it that are connected through members of `S`:
//! `v^G(S) = sum_{T in S/G} v(T)`, where `S/G` is the set of connected components of the
//! subgraph induced on `S`. [`Graph`] holds the graph as one adjacency bit mask per player,
//! so that the component of a player in `S` costs O(|S|) word operations.

use crate::coalition::Coalition;
use crate::error::{Error, Result};
use crate::game::Game;
use crate::memory;
use crate::solution::Allocation;

/// The most links [`Game::position_value`] accepts: its link game has `2^|E|` coalitions
/// (2^25 values are 256 MiB and a few seconds of work).
pub const MAX_POSITION_EDGES: usize = 25;

/// One end of an edge: a player index (`usize`) or a player name (`&str`, `String`).
pub trait Endpoint {
    /// The player's index among `players`, or [`Error::PlayerIndexOutOfRange`] /
    /// [`Error::UnknownPlayer`].
    fn index_in(&self, players: &[String]) -> Result<usize>;
}

impl Endpoint for usize {
    fn index_in(&self, players: &[String]) -> Result<usize> {
        if *self < players.len() {
            Ok(*self)
        } else {
            Err(Error::PlayerIndexOutOfRange {
                index: *self,
                n: players.len(),
            })
        }
    }
}

impl Endpoint for str {
    fn index_in(&self, players: &[String]) -> Result<usize> {
        players
            .iter()
            .position(|p| p == self)
            .ok_or_else(|| Error::UnknownPlayer {
                name: self.to_string(),
                players: players.join(", "),
            })
    }
}

impl Endpoint for String {
    fn index_in(&self, players: &[String]) -> Result<usize> {
        self.as_str().index_in(players)
    }
}

impl<E: Endpoint + ?Sized> Endpoint for &E {
    fn index_in(&self, players: &[String]) -> Result<usize> {
        (**self).index_in(players)
    }
}

/// An undirected communication graph on players `0..n` (`n <= 64`), without self-loops;
/// duplicate edges count once.
///
/// # Example
/// ```
/// use coalitional::Graph;
/// let names: Vec<String> = ["a", "b", "c", "d"].map(String::from).to_vec();
/// let g = Graph::new(&names, &[("a", "b"), ("b", "c"), ("b", "a")]).unwrap();
/// assert_eq!(g.edges(), &[(0, 1), (1, 2)]);
/// assert!(g.is_connected(0b0111));
/// assert!(!g.is_connected(0b0101)); // a and c talk only through b
/// assert_eq!(g.components(0b1101).collect::<Vec<_>>(), vec![0b0001, 0b0100, 0b1000]);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Graph {
    /// `adjacency[i]`: bit `j` set when `{i, j}` is an edge.
    adjacency: Vec<u64>,
    /// The distinct edges `(i, j)` with `i < j`, in increasing order.
    edges: Vec<(usize, usize)>,
}

impl Graph {
    /// The graph on `players` with the given edges (by index or by name). A self-loop is
    /// [`Error::InvalidParameter`] (`name = "edges"`), an unknown name
    /// [`Error::UnknownPlayer`], an index out of range [`Error::PlayerIndexOutOfRange`]; more
    /// than 64 players is [`Error::InvalidParameter`] (`name = "players"`).
    pub fn new<A: Endpoint, B: Endpoint>(players: &[String], edges: &[(A, B)]) -> Result<Graph> {
        let n = players.len();
        if n > 64 {
            return Err(Error::InvalidParameter {
                name: "players",
                reason: format!(
                    "{n} players; a graph supports at most 64 (coalitions are 64-bit masks)"
                ),
            });
        }
        let mut pairs = Vec::with_capacity(edges.len());
        for (a, b) in edges {
            let (i, j) = (a.index_in(players)?, b.index_in(players)?);
            if i == j {
                return Err(Error::InvalidParameter {
                    name: "edges",
                    reason: format!(
                        "the edge ({0:?}, {0:?}) joins a player to itself; a communication graph has no self-loops",
                        players[i]
                    ),
                });
            }
            pairs.push((i.min(j), i.max(j)));
        }
        Ok(Graph::from_pairs(n, pairs))
    }

    /// The graph from checked index pairs (`i != j`, both `< n <= 64`).
    fn from_pairs(n: usize, mut pairs: Vec<(usize, usize)>) -> Graph {
        pairs.sort_unstable();
        pairs.dedup();
        let mut adjacency = vec![0u64; n];
        for &(i, j) in &pairs {
            adjacency[i] |= 1 << j;
            adjacency[j] |= 1 << i;
        }
        Graph {
            adjacency,
            edges: pairs,
        }
    }

    /// The complete graph on `n <= 64` players.
    pub fn complete(n: usize) -> Graph {
        let pairs = (0..n.min(64))
            .flat_map(|i| (i + 1..n.min(64)).map(move |j| (i, j)))
            .collect();
        Graph::from_pairs(n.min(64), pairs)
    }

    /// Number of players.
    pub fn n(&self) -> usize {
        self.adjacency.len()
    }

    /// The distinct edges `(i, j)`, `i < j`, in increasing order.
    pub fn edges(&self) -> &[(usize, usize)] {
        &self.edges
    }

    /// The neighbours of player `i`, as a bit mask.
    pub fn neighbours(&self, i: usize) -> u64 {
        self.adjacency[i]
    }

    /// The connected component of the subgraph induced on `s` that holds `start` (a nonempty
    /// subset of `s`): breadth-first search on bit masks, O(|component|).
    pub fn component_of(&self, s: u64, start: u64) -> u64 {
        let mut component = start & s;
        let mut frontier = component;
        while frontier != 0 {
            let i = frontier.trailing_zeros() as usize;
            frontier &= frontier - 1;
            let fresh = self.adjacency[i] & s & !component;
            component |= fresh;
            frontier |= fresh;
        }
        component
    }

    /// Whether the coalition `s` is connected in the graph (the empty coalition is not).
    pub fn is_connected(&self, s: u64) -> bool {
        s != 0 && self.component_of(s, s & s.wrapping_neg()) == s
    }

    /// The connected components of the subgraph induced on `s`, by their lowest member.
    pub fn components(&self, s: u64) -> impl Iterator<Item = u64> + '_ {
        let mut rest = s;
        std::iter::from_fn(move || {
            if rest == 0 {
                return None;
            }
            let c = self.component_of(rest, rest & rest.wrapping_neg());
            rest &= !c;
            Some(c)
        })
    }

    /// Overwrites, in one increasing pass over the masks, the worth of every disconnected
    /// coalition with the sum of its components' worths; the worths of connected coalitions
    /// are read and kept. `values` has `2^n` entries, index = mask.
    ///
    /// A disconnected `S` splits into `C`, the component of its lowest member, and `S \ C`,
    /// a smaller mask whose entry already holds `v^G(S \ C)`: `v^G(S) = v(C) + v^G(S \ C)`.
    pub(crate) fn restrict_in_place(&self, values: &mut [f64]) {
        for s in 1..values.len() {
            let m = s as u64;
            let c = self.component_of(m, m & m.wrapping_neg());
            if c != m {
                values[s] = values[c as usize] + values[(m & !c) as usize];
            }
        }
    }
}

impl Game {
    /// The graph-restricted game of Myerson (1977), "Graphs and cooperation in games",
    /// *Mathematics of Operations Research* 2(3), 225–229: with communication only along the
    /// `edges` (pairs of player indices or names; duplicates are harmless),
    ///
    /// `v^G(S) = sum_{T in S/G} v(T)`,
    ///
    /// the sum of the worths of the connected components `T` of the subgraph induced on `S`.
    /// A connected coalition keeps its worth; a game of a cost kind stays a cost game.
    ///
    /// Cost: one pass over the `2^n` coalitions, O(n 2^n) word operations; the memory for the
    /// new `2^n` values is checked first. Errors: unknown names, indices out of range and
    /// self-loops (see [`Graph::new`]); [`Error::TooLarge`] when the copy does not fit.
    ///
    /// # Example
    /// Three players on a line `0 - 1 - 2` in the majority game (two or three win 1):
    /// the ends cannot cooperate without the middle.
    /// ```
    /// use coalitional::Game;
    /// let g = Game::from_fn(vec!["a".into(), "b".into(), "c".into()], |s| {
    ///     if s.len() >= 2 { 1.0 } else { 0.0 }
    /// }).unwrap();
    /// let line = g.graph_restricted(&[("a", "b"), ("b", "c")]).unwrap();
    /// assert_eq!(line.values(), &[0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 1.0]);
    /// ```
    pub fn graph_restricted<A: Endpoint, B: Endpoint>(&self, edges: &[(A, B)]) -> Result<Game> {
        let graph = Graph::new(self.players(), edges)?;
        self.restricted_to(&graph)
    }

    /// [`Game::graph_restricted`] for a [`Graph`] built already.
    pub fn restricted_to(&self, graph: &Graph) -> Result<Game> {
        let n = self.n();
        if graph.n() != n {
            return Err(Error::InvalidParameter {
                name: "graph",
                reason: format!("the graph has {} players, the game {n}", graph.n()),
            });
        }
        memory::check_dense(n, 1)?;
        let mut values = memory::try_with_capacity(1usize << n, n)?;
        values.extend_from_slice(self.values());
        graph.restrict_in_place(&mut values);
        Game::with_kind(self.players().to_vec(), values, self.kind())
    }

    /// The Myerson value (Myerson 1977, "Graphs and cooperation in games", *Mathematics of
    /// Operations Research* 2(3)): the Shapley value of the graph-restricted game,
    ///
    /// `mu(v, G) = phi(v^G)`.
    ///
    /// It is the unique rule that is component efficient (`sum_{i in C} mu_i = v(C)` for each
    /// component `C` of the graph) and fair (deleting an edge changes both of its ends' values
    /// by the same amount). With the complete graph it is the Shapley value.
    ///
    /// Cost: O(n 2^n) time and one more array of `2^n` values (memory checked first).
    ///
    /// # Example
    /// Myerson's three-player majority game on the line `a - b - c`: the middle player, who
    /// connects the others, gets 2/3 and each end 1/6.
    /// ```
    /// use coalitional::Game;
    /// let g = Game::from_fn(vec!["a".into(), "b".into(), "c".into()], |s| {
    ///     if s.len() >= 2 { 1.0 } else { 0.0 }
    /// }).unwrap();
    /// let mu = g.myerson(&[("a", "b"), ("b", "c")]).unwrap();
    /// assert!((mu["b"] - 2.0 / 3.0).abs() < 1e-12 && (mu["a"] - 1.0 / 6.0).abs() < 1e-12);
    /// ```
    pub fn myerson<A: Endpoint, B: Endpoint>(&self, edges: &[(A, B)]) -> Result<Allocation> {
        self.graph_restricted(edges)?.try_shapley()
    }

    /// The position value (Borm, Owen and Tijs 1992, "On the position value for communication
    /// situations", *SIAM Journal on Discrete Mathematics* 5(3), 305–320): the links are the
    /// players of the link game `r(L) = v^L(N)` (the graph-restricted worth of everyone when
    /// only the links `L ⊆ E` work), and each player receives half of the Shapley value of
    /// each of its links:
    ///
    /// `pi_i = v({i}) + sum_{e in E, i in e} phi_e(r_0) / 2`, with
    /// `r_0(L) = r(L) - r(∅) = sum_{T in N/L} (v(T) - sum_{j in T} v({j}))`.
    ///
    /// Borm, Owen and Tijs state it for zero-normalised games (`v({i}) = 0`, where it is
    /// `sum_e phi_e(r) / 2`); adding `v({i})` extends it so that it is covariant under
    /// additive shifts (as in Slikker 2005, "A characterization of the position value",
    /// *International Journal of Game Theory* 33). It is component efficient; an isolated
    /// player gets `v({i})`.
    ///
    /// Cost: exponential in the number of distinct edges `m`: `2^m` link coalitions, each
    /// O(m + n) to find its components, and an array of `2^m` values; more than
    /// [`MAX_POSITION_EDGES`] edges is [`Error::LimitExceeded`], a link game that does not fit
    /// in memory [`Error::TooLarge`].
    ///
    /// # Example
    /// Myerson's majority game on the line `a - b - c`: both links are needed for nothing
    /// more than either alone, so each link gets 1/2 and the middle player, on both, 1/2.
    /// ```
    /// use coalitional::Game;
    /// let g = Game::from_fn(vec!["a".into(), "b".into(), "c".into()], |s| {
    ///     if s.len() >= 2 { 1.0 } else { 0.0 }
    /// }).unwrap();
    /// let pi = g.position_value(&[("a", "b"), ("b", "c")]).unwrap();
    /// assert!((pi["b"] - 0.5).abs() < 1e-12 && (pi["a"] - 0.25).abs() < 1e-12);
    /// ```
    pub fn position_value<A: Endpoint, B: Endpoint>(&self, edges: &[(A, B)]) -> Result<Allocation> {
        let graph = Graph::new(self.players(), edges)?;
        let links = graph.edges();
        let m = links.len();
        let n = self.n();
        let standalone: Vec<f64> = (0..n)
            .map(|i| self.value(Coalition::singleton(i)))
            .collect();
        let mut pi = standalone.clone();
        if m == 0 {
            return Allocation::new(self.players().to_vec(), pi, self.kind());
        }
        if m > MAX_POSITION_EDGES {
            return Err(Error::LimitExceeded {
                what: "edges for the position value (2^edges link coalitions)",
                asked: m as u128,
                limit: MAX_POSITION_EDGES as u128,
            });
        }
        memory::check_dense(m, 1)?;
        let mut r0 = memory::try_with_capacity(1usize << m, m)?;
        let values = self.values();
        // The zero-normalised worth of a component, v(T) - sum_{j in T} v({j}).
        let excess = |t: u64| {
            let mut rest = t;
            let mut w = values[t as usize];
            while rest != 0 {
                w -= standalone[rest.trailing_zeros() as usize];
                rest &= rest - 1;
            }
            w
        };
        let grand = if n == 64 { u64::MAX } else { (1u64 << n) - 1 };
        let mut meter = crate::cancel::Meter::new(1 << 16);
        let mut sub = Graph {
            adjacency: vec![0; n],
            edges: Vec::new(),
        };
        for l in 0..1u64 << m {
            meter.tick(1)?;
            sub.adjacency.iter_mut().for_each(|a| *a = 0);
            let mut touched = 0u64;
            let mut bits = l;
            while bits != 0 {
                let (i, j) = links[bits.trailing_zeros() as usize];
                bits &= bits - 1;
                sub.adjacency[i] |= 1 << j;
                sub.adjacency[j] |= 1 << i;
                touched |= (1 << i) | (1 << j);
            }
            // Players on no link of L are singletons, whose excess is 0.
            let worth: f64 = sub.components(touched & grand).map(excess).sum();
            r0.push(worth);
        }
        let names: Vec<String> = (0..m).map(|e| e.to_string()).collect();
        let phi = Game::new(names, r0)?.try_shapley()?;
        for (&(i, j), &share) in links.iter().zip(phi.values()) {
            pi[i] += share / 2.0;
            pi[j] += share / 2.0;
        }
        Allocation::new(self.players().to_vec(), pi, self.kind())
    }
}
