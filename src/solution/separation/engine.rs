//! The nucleolus, prenucleolus and least core of a game given by a [`Separation`] oracle.
//!
//! **Method.** The sequential LPs of Maschler, Peleg and Shapley (1979), as in
//! [`Game::nucleolus`](crate::Game::nucleolus): stage `k` solves
//! `min t  s.t.  y(N) = w(N),  y(S) = w(S) - t_j (S fixed at stage j < k),  y(S) + t >= w(S)
//! (S outside the span L of the fixed coalitions)` (and `y_i >= 0` for the nucleolus), fixes
//! the coalitions whose rows have a positive dual value (their excess is `t_k` on the whole
//! optimal face, by complementary slackness), and stops when the fixed coalitions span `R^n`;
//! the point is then solved from the `n` equalities. The rows are generated: each round asks
//! for coalitions outside `L` whose excess exceeds the LP's level, by a best-first search
//! over include/exclude restrictions of the oracle (Lawler 1972; see `search`), so the `2^n`
//! coalitions are never listed. Coalitions inside `L` have constant excess on each stage's
//! feasible set and are left out. One LP is kept from stage to stage (see `stages`): the
//! fixed rows become equalities in place and the level is lowered by primal simplex steps
//! from the last optimum, so a stage costs a few pivots, not a restart.
//!
//! **Cost.** At most `n - 1` stages; each round of a stage is a few simplex pivots on a
//! program of `n + 1` variables (`O(n^2)` each, plus one pass over the rows held) and one
//! search, whose oracle calls are `2 (n - #atoms) + 1` when the top coalitions lie in `L`
//! (plus Lawler's atom-level subproblems while `dim L` is below the number of atoms). With an
//! exact oracle polynomial in `n` every step is polynomial except the number of search nodes
//! (Faigle, Kern and Kuipers 2001 prove the nucleolus polynomial whenever the restricted
//! separation problem is). Claims games (`O(n)` oracle): 200 players in under a second,
//! 1,000 in about two minutes (BENCHMARKS.md).
//!
//! **Scale.** Everything runs on the zero-normalised game `w(S) = v(S) - b(S)`,
//! `b_i = v({i})` (cost games: the savings game `b(S) - c(S)`, `b_i = c({i})`), and the
//! oracle is asked at `x = b + y` (costs: `b - y`), whose excess is `w(S) - y(S)`. The
//! tolerance is `1e-9 s`, where `s` estimates the spread `max |w(S)|` of the dense solver
//! from what the oracle gives without enumeration: `s = max(|w(N)|, max_S w(S),
//! max_i |w(N \ {i})|)`, where `max_S w(S)` is one oracle call at `y = 0` (1 when all are 0).
//! It is the dense spread whenever the largest `|w(S)|` is a gain (superadditive games, and
//! every game whose losses are smaller than its gains), and never larger, so the tolerance is
//! never looser than the dense solver's. The LP box is the dense engine's, `16 (n + 1) s`.
//! The answer is as exact as the oracle's excesses: an oracle computing `v(S) - x(S)` in
//! floating point at budgets of size `B` resolves excesses to about `n B 2^-52`.
//!
//! **Verification.** The dense solver checks Kohlberg's criterion over the `2^n` excesses;
//! here that is replaced by an optimality certificate from the oracle: at the final point,
//! for every stage `k`, no coalition outside the span of the coalitions fixed before stage `k`
//! has excess above `t_k` (one separation search per stage, within `1e-6 s`), the point is
//! efficient and (nucleolus) individually rational. With the positive duals of each stage's LP
//! (the dual certificate of `t_k`'s optimality) this is the Maschler–Peleg–Shapley
//! characterisation of the (pre)nucleolus. A failed check is an [`Error::Solver`] with the
//! `"separation"` check.

use super::search::{violated, Oracle};
use super::stages::Stages;
use super::Separation;
use crate::error::{Error, Result};
use crate::game::{validate_players, Kind};
use crate::solution::core::LeastCore;
use crate::solution::normal::REL_TOL;
use crate::solution::Allocation;

/// A game given by its players, its kind and a [`Separation`] oracle: the entry point of the
/// nucleolus, prenucleolus and least core without `2^n` values.
///
/// A struct rather than bare functions so that the players and the oracle are checked once
/// (names unique, one per player of the oracle) and the kind travels with them; the free
/// functions [`nucleolus`], [`prenucleolus`] and [`least_core`] build one for value games.
///
/// # Example
/// The 3-player majority game (`v(S) = 1` when `|S| >= 2`) with a brute-force oracle: its
/// nucleolus is `(1/3, 1/3, 1/3)` and its least core's `epsilon` is `1/3`.
/// ```
/// use coalitional::solution::separation::{OracleGame, Separation, Violation};
/// struct Majority;
/// impl Separation for Majority {
///     fn n(&self) -> usize { 3 }
///     fn worth(&self, s: &[usize]) -> coalitional::Result<f64> {
///         Ok(if s.len() >= 2 { 1.0 } else { 0.0 })
///     }
///     fn most_violated(&self, x: &[f64], inc: &[bool], exc: &[bool])
///         -> coalitional::Result<Option<Violation>> {
///         let mut best: Option<Violation> = None;
///         for mask in 0..8usize {
///             let s: Vec<usize> = (0..3).filter(|&i| mask >> i & 1 == 1).collect();
///             if (0..3).any(|i| (inc[i] && !s.contains(&i)) || (exc[i] && s.contains(&i))) {
///                 continue;
///             }
///             let e = self.worth(&s)? - s.iter().map(|&i| x[i]).sum::<f64>();
///             if best.as_ref().map_or(true, |b| e > b.excess) {
///                 best = Some(Violation { members: s, excess: e });
///             }
///         }
///         Ok(best)
///     }
/// }
/// let g = OracleGame::new(vec!["a".into(), "b".into(), "c".into()], &Majority).unwrap();
/// let nu = g.nucleolus().unwrap();
/// assert!(nu.values().iter().all(|v| (v - 1.0 / 3.0).abs() < 1e-9));
/// assert!((g.least_core().unwrap().epsilon - 1.0 / 3.0).abs() < 1e-9);
/// ```
pub struct OracleGame<'a> {
    players: Vec<String>,
    kind: Kind,
    game: &'a dyn Separation,
}

impl<'a> OracleGame<'a> {
    /// A value game: `game.worth` gives `v(S)`, `game.most_violated` maximises
    /// `v(S) - x(S)`. [`Error::InvalidParameter`] (`"players"`) unless there is one unique,
    /// nonempty name per player of the oracle; [`Error::NoPlayers`] for none.
    pub fn new(players: Vec<String>, game: &'a dyn Separation) -> Result<Self> {
        Self::with_kind(players, game, Kind::Value)
    }

    /// A game of the given kind. For [`Kind::Cost`], `game.worth` gives the cost `c(S)` and
    /// `game.most_violated` maximises the cost excess `x(S) - c(S)`; the solutions are cost
    /// shares (computed on the savings game).
    pub fn with_kind(players: Vec<String>, game: &'a dyn Separation, kind: Kind) -> Result<Self> {
        if players.len() != game.n() {
            return Err(Error::InvalidParameter {
                name: "players",
                reason: format!(
                    "{} names were given for an oracle of {} players",
                    players.len(),
                    game.n()
                ),
            });
        }
        validate_players(&players)?;
        Ok(OracleGame {
            players,
            kind,
            game,
        })
    }

    /// The players.
    pub fn players(&self) -> &[String] {
        &self.players
    }

    /// The kind (value or cost).
    pub fn kind(&self) -> Kind {
        self.kind
    }

    fn sign(&self) -> f64 {
        match self.kind {
            Kind::Value => 1.0,
            Kind::Cost => -1.0,
        }
    }

    fn allocation(&self, oracle: &Oracle<'_>, y: &[f64]) -> Allocation {
        Allocation::from_parts(&self.players, oracle.x_of(y), self.kind)
    }

    /// The nucleolus (Schmeidler 1969): the imputation (`x(N) = v(N)`, `x_i >= v({i})`)
    /// whose decreasingly sorted excesses are lexicographically smallest; cost games: the
    /// cost shares with `x_i <= c({i})` whose excesses `x(S) - c(S)` are. [`Error::Undefined`]
    /// when there is no imputation (`v(N) < sum v({i})`). See the module docs for the method,
    /// its cost and the certificate that replaces Kohlberg's check.
    pub fn nucleolus(&self) -> Result<Allocation> {
        self.solve(true, "the nucleolus")
    }

    /// The prenucleolus: as [`OracleGame::nucleolus`] over all efficient allocations.
    pub fn prenucleolus(&self) -> Result<Allocation> {
        self.solve(false, "the prenucleolus")
    }

    /// The least core (Maschler, Peleg and Shapley 1979): the least `epsilon` such that an
    /// efficient allocation gives every proper nonempty coalition at least `v(S) - epsilon`
    /// (cost games: `x(S) <= c(S) + epsilon`), and such an allocation: the first stage of
    /// [`OracleGame::prenucleolus`]. `epsilon` is the largest excess of the allocation over
    /// the coalitions the LP holds, recomputed from the worths; the separation certifies that
    /// no other coalition exceeds it by more than the tolerance. Needs two players.
    pub fn least_core(&self) -> Result<LeastCore> {
        let concept = "the least core";
        let n = self.players.len();
        if n < 2 {
            return Err(Error::Undefined {
                concept,
                reason: "a one-player game has no proper nonempty coalition to constrain".into(),
            });
        }
        let mut oracle = Oracle::new(self.game, self.sign())?;
        let (wn, scale) = scale_of(&mut oracle)?;
        let mut stages = Stages::new(&mut oracle, wn, false, scale.tol, scale.lp_box, concept)?;
        let (y, t, _) = stages.stage()?;
        let mut epsilon = t;
        for members in stages.active_rows() {
            epsilon = epsilon.max(stages.oracle.w(&members)? - sum_over(&members, &y));
        }
        Ok(LeastCore {
            epsilon,
            allocation: self.allocation(&oracle, &y),
        })
    }

    fn solve(&self, imputation: bool, concept: &'static str) -> Result<Allocation> {
        let n = self.players.len();
        let mut oracle = Oracle::new(self.game, self.sign())?;
        let (wn, scale) = scale_of(&mut oracle)?;
        if n == 1 {
            return Ok(self.allocation(&oracle, &[wn]));
        }
        if imputation {
            if wn < -scale.decision {
                let standalone: f64 = oracle.b.iter().sum();
                return Err(Error::Undefined {
                    concept,
                    reason: format!(
                        "there is no imputation: the players' standalone values add up to {standalone} but v(N) = {}",
                        standalone + oracle.sign * wn
                    ),
                });
            }
            if wn <= scale.decision {
                // The imputation set is one point: the standalone values.
                let y = vec![wn / n as f64; n];
                return Ok(self.allocation(&oracle, &y));
            }
        }
        let mut stages = Stages::new(
            &mut oracle,
            wn,
            imputation,
            scale.tol,
            scale.lp_box,
            concept,
        )?;
        let y = stages.run()?;
        certify(&mut stages, &y, wn, imputation, 1e3 * scale.tol, concept)?;
        Ok(self.allocation(&oracle, &y))
    }
}

fn sum_over(members: &[usize], y: &[f64]) -> f64 {
    members.iter().map(|&i| y[i]).sum()
}

/// The tolerances of one problem.
struct Scale {
    tol: f64,
    lp_box: f64,
    /// Yes/no decisions on `w(N)` (is there an imputation?): the tolerance plus the rounding
    /// of the standalone values.
    decision: f64,
}

/// `w(N)` and the tolerances (see the module docs for the spread estimate).
fn scale_of(oracle: &mut Oracle<'_>) -> Result<(f64, Scale)> {
    let n = oracle.n;
    let all: Vec<usize> = (0..n).collect();
    let wn = oracle.w(&all)?;
    let mut spread = wn.abs();
    if n > 1 {
        for i in 0..n {
            let rest: Vec<usize> = (0..n).filter(|&j| j != i).collect();
            spread = spread.max(oracle.w(&rest)?.abs());
        }
        let zero = vec![0.0; n];
        spread = spread.max(oracle.top(&zero)?);
    }
    if spread == 0.0 {
        spread = 1.0;
    }
    let tol = REL_TOL * spread;
    oracle.check = 1e3 * tol;
    let input: f64 = oracle.b.iter().map(|b| b.abs()).sum::<f64>() + wn.abs();
    Ok((
        wn,
        Scale {
            tol,
            lp_box: 16.0 * (n + 1) as f64 * spread,
            decision: tol + n as f64 * f64::EPSILON * input,
        },
    ))
}

/// The optimality certificate (module docs): efficiency, individual rationality, and for each
/// stage no coalition outside the span it started from above its level.
fn certify(
    stages: &mut Stages<'_, '_>,
    y: &[f64],
    wn: f64,
    imputation: bool,
    band: f64,
    concept: &'static str,
) -> Result<()> {
    let total: f64 = y.iter().sum();
    if (total - wn).abs() > band {
        return Err(Error::unverified(
            concept,
            "efficiency",
            format!("the shares add up to {total}, not {wn} (normalised game)"),
        ));
    }
    if imputation {
        if let Some(i) = (0..y.len()).find(|&i| y[i] < -band) {
            return Err(Error::unverified(
                concept,
                "individual_rationality",
                format!("player {i} gets {} below its standalone value", -y[i]),
            ));
        }
    }
    for k in 0..stages.records.len() {
        let (level, rank, atoms) = {
            let r = &stages.records[k];
            (r.level, r.rank_before, r.atoms_before.clone())
        };
        let hits = violated(
            stages.oracle,
            y,
            level + band,
            &stages.span,
            rank,
            &atoms,
            1,
        )?;
        if let Some(h) = hits.first() {
            return Err(Error::unverified(
                concept,
                "separation",
                format!(
                    "coalition {:?} has excess {} above the level {level} of stage {}",
                    h.members,
                    h.excess,
                    k + 1
                ),
            ));
        }
    }
    Ok(())
}

/// The nucleolus of the value game `game` with these player names: see
/// [`OracleGame::nucleolus`].
pub fn nucleolus(players: Vec<String>, game: &dyn Separation) -> Result<Allocation> {
    OracleGame::new(players, game)?.nucleolus()
}

/// The prenucleolus of the value game `game`: see [`OracleGame::prenucleolus`].
pub fn prenucleolus(players: Vec<String>, game: &dyn Separation) -> Result<Allocation> {
    OracleGame::new(players, game)?.prenucleolus()
}

/// The least core of the value game `game`: see [`OracleGame::least_core`].
pub fn least_core(players: Vec<String>, game: &dyn Separation) -> Result<LeastCore> {
    OracleGame::new(players, game)?.least_core()
}
