//! Minimum-cost spanning tree games.
//!
//! Players are the nodes `1..n` of a complete graph whose node `0` is a common source (a supply
//! point, a trunk line, a shared data centre); connecting nodes `a` and `b` costs
//! `c_ab = c_ba >= 0`. A coalition must connect all its members to the source, through its own
//! members only, and does so at least cost:
//!
//! `c(S) = min { sum of c_e over the edges e of T : T a spanning tree of S ∪ {source} }`
//!
//! (C. G. Bird, "On cost allocation for a spanning tree: a game theoretic approach",
//! *Networks* 6, 1976). The game is a cost game; its core is never empty.
//!
//! **Bird's rule** (Bird 1976): take one minimum spanning tree of the whole network, rooted at
//! the source; each player pays the cost of the edge that connects it towards the source (the
//! edge to its parent). The allocation is efficient and lies in the core (Bird 1976), and
//! depends on the tree when several are minimal; here the tree is the one Prim's algorithm
//! grows from the source with these tie rules: among the players not yet connected, the one
//! with the cheapest edge to the connected part joins next (ties: the lowest player index), and
//! its edge is the cheapest one to a connected node (ties: the node that was connected first,
//! the source before every player).
//!
//! **Cost.** One coalition's cost is Prim's algorithm on `S ∪ {source}`, `O(|S|^2)`; Bird's
//! rule is one Prim run, `O(n^2)`; the dense game runs Prim for every coalition,
//! `O(2^n n^2)` (memory checked first).

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

/// A minimum-cost spanning tree game (a cost game).
#[derive(Clone, Debug, PartialEq)]
pub struct SpanningTree {
    players: Vec<String>,
    source: String,
    /// The `(n + 1) x (n + 1)` symmetric costs, row-major, node 0 = the source, node `i + 1` =
    /// player `i`.
    costs: Vec<f64>,
}

/// One edge of a spanning tree: `parent` is the node nearer the source (`None` = the source),
/// `child` the player it connects, `cost` the edge's cost.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TreeEdge {
    /// The player on the source side, or `None` for the source itself.
    pub parent: Option<usize>,
    /// The player this edge connects towards the source.
    pub child: usize,
    /// The cost of the edge.
    pub cost: f64,
}

impl SpanningTree {
    /// The game of the symmetric cost matrix `costs` (`(n + 1) x (n + 1)`, finite, `>= 0`,
    /// row and column 0 = the source, row `i + 1` = player `i`; the diagonal is not used).
    /// `players` defaults to `"0".."n-1"`, `source` to `"source"` (a name different from every
    /// player's). The matrix must be symmetric within `1e-12` of its largest entry; the upper
    /// triangle is used.
    ///
    /// # Example
    /// Two houses near each other, far from the plant: the first connects to the plant (4), the
    /// second to the first (1); Bird's rule charges each its own edge.
    /// ```
    /// use coalitional::SpanningTree;
    /// let g = SpanningTree::new(
    ///     vec![vec![0.0, 4.0, 5.0], vec![4.0, 0.0, 1.0], vec![5.0, 1.0, 0.0]],
    ///     Some(vec!["A".into(), "B".into()]),
    ///     Some("plant".into()),
    /// ).unwrap();
    /// assert_eq!(g.value(coalitional::Coalition::grand(2)), 5.0);
    /// assert_eq!(g.bird().values(), &[4.0, 1.0]);
    /// ```
    pub fn new(
        costs: Vec<Vec<f64>>,
        players: Option<Vec<String>>,
        source: Option<String>,
    ) -> Result<Self> {
        let size = costs.len();
        if size < 2 {
            return Err(if size == 0 {
                Error::InvalidParameter {
                    name: "costs",
                    reason:
                        "the cost matrix is empty; it needs a row for the source and one per player"
                            .into(),
                }
            } else {
                Error::NoPlayers
            });
        }
        for (a, row) in costs.iter().enumerate() {
            if row.len() != size {
                return Err(Error::InvalidParameter {
                    name: "costs",
                    reason: format!(
                        "the matrix must be square ({size} x {size}: the source and {} players), \
                         but row {a} has {} entries",
                        size - 1,
                        row.len()
                    ),
                });
            }
            if let Some(b) = row.iter().position(|c| !c.is_finite() || *c < 0.0) {
                return Err(Error::InvalidParameter {
                    name: "costs",
                    reason: format!(
                        "costs[{a}][{b}] is {}; a cost must be a finite number >= 0",
                        row[b]
                    ),
                });
            }
        }
        let largest = costs.iter().flatten().fold(0.0f64, |m, &c| m.max(c));
        let asymmetric = (0..size)
            .flat_map(|a| (a + 1..size).map(move |b| (a, b)))
            .find(|&(a, b)| (costs[a][b] - costs[b][a]).abs() > 1e-12 * largest);
        if let Some((a, b)) = asymmetric {
            return Err(Error::InvalidParameter {
                name: "costs",
                reason: format!(
                    "the matrix must be symmetric, but costs[{a}][{b}] = {} and \
                     costs[{b}][{a}] = {}",
                    costs[a][b], costs[b][a]
                ),
            });
        }
        let players = names_for(size - 1, players)?;
        let source = source.unwrap_or_else(|| "source".to_string());
        if source.is_empty() || players.contains(&source) {
            return Err(Error::InvalidParameter {
                name: "source",
                reason: format!(
                    "the source's name {source:?} must be nonempty and differ from every player's"
                ),
            });
        }
        let mut flat = vec![0.0; size * size];
        for a in 0..size {
            for b in a + 1..size {
                flat[a * size + b] = costs[a][b];
                flat[b * size + a] = costs[a][b];
            }
        }
        Ok(SpanningTree {
            players,
            source,
            costs: flat,
        })
    }

    /// Number of players (the source is not one).
    pub fn n(&self) -> usize {
        self.players.len()
    }

    /// Player names.
    pub fn players(&self) -> &[String] {
        &self.players
    }

    /// The source's name.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The cost matrix as rows (source first), symmetric, zero diagonal.
    pub fn costs(&self) -> Vec<Vec<f64>> {
        self.costs
            .chunks(self.n() + 1)
            .map(<[f64]>::to_vec)
            .collect()
    }

    /// The cost of the edge between matrix nodes `a` and `b`.
    fn edge(&self, a: usize, b: usize) -> f64 {
        self.costs[a * (self.n() + 1) + b]
    }

    /// Prim's algorithm from the source on the matrix nodes `0` and `nodes` (player `i` is node
    /// `i + 1`, in increasing order), with the tie rules of the module docs. Calls
    /// `attach(node, parent, cost)` as each node joins; returns the tree's cost.
    fn prim(&self, nodes: &[usize], mut attach: impl FnMut(usize, usize, f64)) -> f64 {
        let k = nodes.len();
        // key[t], parent[t]: the cheapest edge from nodes[t] to the connected part.
        let mut key: Vec<f64> = nodes.iter().map(|&a| self.edge(0, a)).collect();
        let mut parent = vec![0usize; k];
        let mut done = vec![false; k];
        let mut total = 0.0;
        for _ in 0..k {
            let mut next = usize::MAX;
            for t in 0..k {
                if !done[t] && (next == usize::MAX || key[t] < key[next]) {
                    next = t;
                }
            }
            done[next] = true;
            total += key[next];
            attach(nodes[next], parent[next], key[next]);
            let from = nodes[next];
            for t in 0..k {
                if !done[t] {
                    let c = self.edge(from, nodes[t]);
                    if c < key[t] {
                        key[t] = c;
                        parent[t] = from;
                    }
                }
            }
        }
        total
    }

    /// The cost `c(S)` of a coalition: a minimum spanning tree on `S ∪ {source}` (Prim,
    /// `O(|S|^2)`; 0 for the empty coalition).
    pub fn value(&self, s: Coalition) -> f64 {
        let nodes: Vec<usize> = s.members().map(|i| i + 1).collect();
        self.prim(&nodes, |_, _, _| {})
    }

    /// The cost of the coalition of the named players.
    pub fn value_of<S: AsRef<str>>(&self, names: &[S]) -> Result<f64> {
        Ok(self.value(coalition_of(&self.players, names)?))
    }

    /// The minimum spanning tree of the whole network that Bird's rule uses (the tie rules of
    /// the module docs), one edge per player in the order Prim's algorithm connects them.
    pub fn minimum_spanning_tree(&self) -> Vec<TreeEdge> {
        let nodes: Vec<usize> = (1..=self.n()).collect();
        let mut edges = Vec::with_capacity(self.n());
        self.prim(&nodes, |node, parent, cost| {
            edges.push(TreeEdge {
                parent: parent.checked_sub(1),
                child: node - 1,
                cost,
            });
        });
        edges
    }

    /// Bird's rule (Bird 1976): each player pays the cost of the edge connecting it towards
    /// the source in [`minimum_spanning_tree`](Self::minimum_spanning_tree). Efficient
    /// (`x(N) = c(N)`) and in the core. `O(n^2)`.
    pub fn bird(&self) -> Allocation {
        let mut x = vec![0.0; self.n()];
        for e in self.minimum_spanning_tree() {
            x[e.child] = e.cost;
        }
        Allocation::from_parts(&self.players, x, Kind::Cost)
    }

    /// The dense cost game (memory checked first): Prim for every coalition, `O(2^n n^2)`.
    pub fn to_game(&self) -> Result<Game> {
        let n = self.n();
        memory::check_dense(n, 1)?;
        let mut v = memory::try_filled(1usize << n, 0.0f64, n)?;
        let mut nodes = Vec::with_capacity(n);
        for (mask, slot) in v.iter_mut().enumerate().skip(1) {
            nodes.clear();
            nodes.extend(Coalition::from_mask(mask as u64).members().map(|i| i + 1));
            *slot = self.prim(&nodes, |_, _, _| {});
        }
        Game::with_kind(self.players.clone(), v, Kind::Cost)
    }

    /// The nucleolus of the cost game (through the dense game, [`Game::nucleolus`]).
    pub fn nucleolus(&self) -> Result<Allocation> {
        self.to_game()?.nucleolus()
    }
}

/// `SpanningTree(source; n players; c(N) = ...)` and the edges of the tree Bird's rule uses.
impl fmt::Display for SpanningTree {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tree = self.minimum_spanning_tree();
        let scale = scale_of(tree.iter().map(|e| &e.cost));
        let total: f64 = tree.iter().map(|e| e.cost).sum();
        writeln!(
            f,
            "minimum-cost spanning tree game: {} players, source {}, c(N) = {}",
            self.n(),
            self.source,
            fmt_number(total, scale)
        )?;
        for e in &tree {
            let parent = e.parent.map_or(self.source.as_str(), |p| &self.players[p]);
            writeln!(
                f,
                "  {} -- {}: {}",
                parent,
                self.players[e.child],
                fmt_number(e.cost, scale)
            )?;
        }
        Ok(())
    }
}

/// Costs from Prim's algorithm on the coalition, without the dense game.
impl Cooperative for SpanningTree {
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
