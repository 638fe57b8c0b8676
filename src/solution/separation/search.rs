//! The separation step: coalitions outside the span `L` of the fixed coalitions whose excess
//! exceeds a level, found by best-first search over include/exclude subproblems of the oracle.
//!
//! The oracle's best coalition is often inside `L` (a coalition fixed at an earlier, higher
//! level keeps its excess). The search then partitions the remaining coalitions (E. Lawler,
//! "A procedure for computing the K best solutions to discrete optimization problems",
//! *Management Sci.* 18, 1972) into subproblems, kept in a max-heap keyed by an upper bound of
//! their best excess (the parent's value until the oracle is asked, which happens only when
//! the subproblem reaches the top), and pruned once that bound is at most the level:
//!
//! - every coalition that *splits an atom* (see `span`) is outside `L`; those splitting atom
//!   `A = {a_1 < ... < a_m}` are covered by the `2(m - 1)` subproblems "`a_1` in, `a_q` out" and
//!   "`a_q` in, `a_1` out", asked once per search, whose answers are all outside `L`;
//! - the unions of atoms are searched by Lawler's partition on atoms: below an answer `S`
//!   inside `L`, subproblem `k` keeps the first `k - 1` undecided atoms as in `S` and flips the
//!   `k`-th (whole atoms in or out). This is needed only while `dim L` is below the number of
//!   atoms; when they are equal, every union of atoms is in `L`.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap, HashSet};

use super::span::{Atoms, Span};
use super::{Separation, Violation};
use crate::cancel;
use crate::error::{Error, Result};
use crate::solution::normal::two_sum;

/// The oracle of a game seen through its zero-normalised benefit game
/// `w(S) = sign (v(S) - b(S))`, `b_i = v({i})`: a payoff `y` of `w` is the payoff
/// `x = b + sign y` of the game, and `e_w(S, y) = e(S, x)` (value games: `v(S) - x(S)`; cost
/// games, given in cost form: `x(S) - c(S)`).
pub(super) struct Oracle<'a> {
    game: &'a dyn Separation,
    pub(super) n: usize,
    pub(super) sign: f64,
    /// `b_i = v({i})` (costs: `c({i})`).
    pub(super) b: Vec<f64>,
    /// `w(S)` of the coalitions asked so far.
    cache: HashMap<Vec<usize>, f64>,
    /// Oracle calls made.
    pub(super) calls: usize,
    /// The absolute part of the tolerance within which the oracle's excess must agree with
    /// `w(S) - y(S)` (set once the game's scale is known).
    pub(super) check: f64,
}

impl<'a> Oracle<'a> {
    /// `game` (in value form when `sign = 1`, cost form when `sign = -1`), reading the
    /// standalone values.
    pub(super) fn new(game: &'a dyn Separation, sign: f64) -> Result<Self> {
        let n = game.n();
        let mut b = Vec::with_capacity(n);
        for i in 0..n {
            b.push(finite_worth(game, &[i])?);
        }
        Ok(Oracle {
            game,
            n,
            sign,
            b,
            cache: HashMap::new(),
            calls: 0,
            check: f64::INFINITY,
        })
    }

    /// `w(S)`, the subtraction `v(S) - b(S)` done in double-double so that budgets of `10^9`
    /// leave a surplus of a few units exact.
    pub(super) fn w(&mut self, members: &[usize]) -> Result<f64> {
        if let Some(&w) = self.cache.get(members) {
            return Ok(w);
        }
        let v = if members.is_empty() {
            0.0
        } else {
            finite_worth(self.game, members)?
        };
        let (hi, lo) = members.iter().fold((0.0, 0.0), |(hi, lo), &i| {
            let (s, e) = two_sum(hi, self.b[i]);
            (s, lo + e)
        });
        let (d, de) = two_sum(v, -hi);
        let w = self.sign * (d + (de - lo));
        self.cache.insert(members.to_vec(), w);
        Ok(w)
    }

    /// The payoff `x = b + sign y` of the game.
    pub(super) fn x_of(&self, y: &[f64]) -> Vec<f64> {
        self.b
            .iter()
            .zip(y)
            .map(|(bi, yi)| bi + self.sign * yi)
            .collect()
    }

    /// The largest excess `w(S) - y(S)` over all coalitions, as the oracle finds it.
    pub(super) fn top(&mut self, y: &[f64]) -> Result<f64> {
        let x = self.x_of(y);
        let free = vec![false; self.n];
        match self.ask(&x, &free, &free)? {
            Some(v) => Ok(self.w(&v.members)? - v.members.iter().map(|&i| y[i]).sum::<f64>()),
            None => Ok(0.0),
        }
    }

    /// Asks the oracle, checking its answer: members in range, increasing, within
    /// `include`/`exclude`, a finite excess.
    fn ask(&mut self, x: &[f64], include: &[bool], exclude: &[bool]) -> Result<Option<Violation>> {
        cancel::check()?;
        self.calls += 1;
        let Some(v) = self.game.most_violated(x, include, exclude)? else {
            return Ok(None);
        };
        let bad = |reason: String| Error::InvalidParameter {
            name: "most_violated",
            reason,
        };
        if let Some(&i) = v.members.iter().find(|&&i| i >= self.n) {
            return Err(bad(format!(
                "the oracle returned player index {i}, out of range for {} players",
                self.n
            )));
        }
        if v.members.windows(2).any(|w| w[0] >= w[1]) {
            return Err(bad(format!(
                "the oracle returned members {:?}, which are not strictly increasing",
                v.members
            )));
        }
        let mut inside = vec![false; self.n];
        for &i in &v.members {
            inside[i] = true;
        }
        if let Some(i) =
            (0..self.n).find(|&i| (include[i] && !inside[i]) || (exclude[i] && inside[i]))
        {
            return Err(bad(format!(
                "the oracle returned {:?}, which {} player {i} against the restriction asked for",
                v.members,
                if include[i] { "leaves out" } else { "holds" }
            )));
        }
        if !v.excess.is_finite() {
            return Err(bad(format!(
                "the oracle returned the excess {} for {:?}",
                v.excess, v.members
            )));
        }
        Ok(Some(v))
    }

    /// `e_w(S, y) = w(S) - y(S)`, checked against the excess the oracle reported.
    fn excess_checked(&mut self, v: &Violation, x: &[f64], y: &[f64]) -> Result<f64> {
        let w = self.w(&v.members)?;
        let e = w - v.members.iter().map(|&i| y[i]).sum::<f64>();
        let scale: f64 = w.abs()
            + v.members
                .iter()
                .map(|&i| x[i].abs() + self.b[i].abs())
                .sum::<f64>();
        let allowed = self.check + 16.0 * (self.n + 1) as f64 * f64::EPSILON * scale;
        if (e - v.excess).abs() > allowed {
            return Err(Error::InvalidParameter {
                name: "most_violated",
                reason: format!(
                    "the oracle reported excess {} for {:?}, but worth minus payoff there is {} (difference beyond the tolerance {allowed:e})",
                    v.excess, v.members, e
                ),
            });
        }
        Ok(e)
    }
}

fn finite_worth(game: &dyn Separation, members: &[usize]) -> Result<f64> {
    let v = game.worth(members)?;
    if !v.is_finite() {
        return Err(Error::InvalidParameter {
            name: "worth",
            reason: format!("the worth of {members:?} is {v}; worths must be finite"),
        });
    }
    Ok(v)
}

/// A coalition outside the span with its excess `w(S) - y(S)`.
#[derive(Clone, Debug)]
pub(super) struct Hit {
    pub(super) members: Vec<usize>,
    pub(super) excess: f64,
}

enum Node {
    Root,
    /// Coalitions holding `include` and not `exclude` (two players of one atom).
    Split {
        include: usize,
        exclude: usize,
    },
    /// Whole atoms decided in (`true`) or out.
    Atoms(Vec<(usize, bool)>),
}

struct Entry {
    key: f64,
    node: Node,
    answer: Option<Violation>,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.key.total_cmp(&other.key) == Ordering::Equal
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key.total_cmp(&other.key)
    }
}

/// Up to `max_hits` distinct coalitions outside the span of the first `rank` basis vectors of
/// `span` (whose atoms are `atoms`) with excess above `theta` at `y`, largest first as the
/// oracle ranks them; empty when there is none (to the oracle's precision).
pub(super) fn violated(
    oracle: &mut Oracle<'_>,
    y: &[f64],
    theta: f64,
    span: &Span,
    rank: usize,
    atoms: &Atoms,
    max_hits: usize,
) -> Result<Vec<Hit>> {
    let n = oracle.n;
    let x = oracle.x_of(y);
    let lawler = rank < atoms.count();
    let mut heap = BinaryHeap::new();
    heap.push(Entry {
        key: f64::INFINITY,
        node: Node::Root,
        answer: None,
    });
    let mut hits: Vec<Hit> = Vec::new();
    let mut seen: HashSet<Vec<usize>> = HashSet::new();
    let (mut include, mut exclude) = (vec![false; n], vec![false; n]);
    while let Some(entry) = heap.pop() {
        if entry.key <= theta || hits.len() >= max_hits {
            break;
        }
        let Some(answer) = entry.answer else {
            include.iter_mut().for_each(|v| *v = false);
            exclude.iter_mut().for_each(|v| *v = false);
            match &entry.node {
                Node::Root => {}
                Node::Split {
                    include: i,
                    exclude: j,
                } => {
                    include[*i] = true;
                    exclude[*j] = true;
                }
                Node::Atoms(decided) => {
                    for &(a, inside) in decided {
                        let side = if inside { &mut include } else { &mut exclude };
                        for &i in atoms.members(a) {
                            side[i] = true;
                        }
                    }
                }
            }
            if let Some(v) = oracle.ask(&x, &include, &exclude)? {
                if v.excess > theta {
                    heap.push(Entry {
                        key: v.excess.min(entry.key),
                        node: entry.node,
                        answer: Some(v),
                    });
                }
            }
            continue;
        };
        let excess = oracle.excess_checked(&answer, &x, y)?;
        // A union of atoms is in the span for sure when the span has the atoms' dimension.
        let outside = atoms.splits(&answer.members)
            || (lawler && !span.contains_within(&answer.members, rank));
        if outside {
            if excess > theta && seen.insert(answer.members.clone()) {
                hits.push(Hit {
                    members: answer.members,
                    excess,
                });
            }
            continue;
        }
        // Inside L: partition the rest of this subproblem.
        if matches!(entry.node, Node::Root) {
            for a in 0..atoms.count() {
                let m = atoms.members(a);
                for &q in &m[1..] {
                    for (include, exclude) in [(m[0], q), (q, m[0])] {
                        heap.push(Entry {
                            key: entry.key,
                            node: Node::Split { include, exclude },
                            answer: None,
                        });
                    }
                }
            }
        }
        if lawler {
            let decided: Vec<(usize, bool)> = match &entry.node {
                Node::Atoms(d) => d.clone(),
                _ => Vec::new(),
            };
            let mut is_decided = vec![false; atoms.count()];
            for &(a, _) in &decided {
                is_decided[a] = true;
            }
            let mut inside = vec![false; n];
            for &i in &answer.members {
                inside[i] = true;
            }
            let mut prefix = decided;
            for a in (0..atoms.count()).filter(|&a| !is_decided[a]) {
                let in_s = inside[atoms.members(a)[0]];
                let mut child = prefix.clone();
                child.push((a, !in_s));
                heap.push(Entry {
                    key: answer.excess.min(entry.key),
                    node: Node::Atoms(child),
                    answer: None,
                });
                prefix.push((a, in_s));
            }
        }
    }
    hits.sort_by(|a, b| b.excess.total_cmp(&a.excess));
    Ok(hits)
}
