//! Policy bounds: per-player floors and caps on an allocation, and the conflicts they can have
//! with the game.
//!
//! Agreements between governments carry constraints that no solution concept knows about: no
//! city pays more than its budget line, the assisted city receives at least a floor, the
//! province's subsidy is capped. [`Bounds`] holds them, in the game's units (for cost games, on
//! cost shares: a floor is the least share a member must carry, a cap the most it may be asked
//! to carry). [`Game::nucleolus_within`](crate::Game::nucleolus_within),
//! [`Game::prenucleolus_within`](crate::Game::prenucleolus_within),
//! [`Game::least_core_within`](crate::Game::least_core_within) and
//! [`Game::closest_core_point`](crate::Game::closest_core_point) take them.
//!
//! When the bounds and the game cannot hold together, the answer is an [`Error::Infeasible`]
//! carrying a [`Conflict`]: a smallest set of constraints (the efficiency `x(N) = v(N)`,
//! coalitions' claims `x(S) >= v(S)`, floors, caps, standalone values) that admit no
//! allocation, with nonnegative weights and the amount by which they fail. It is read from a
//! Farkas certificate (J. Farkas, "Theorie der einfachen Ungleichungen", *J. reine angew.
//! Math.* 124, 1902): a nonnegative combination of the constraints whose left sides add up to
//! a multiple of `x(N)` (or to nothing) while the right sides ask for more. The constraints are
//! reduced to an irreducible set by a deletion filter (J. W. Chinneck and E. W. Dravnieks,
//! "Locating minimal infeasible constraint sets in linear programs", *ORSA J. Computing* 3,
//! 1991): dropping any one of them leaves a feasible system.

use std::fmt;

use serde::Serialize;

use crate::coalition::Coalition;
use crate::display::{fmt_number, scale_of};
use crate::error::{Error, Result};
use crate::game::Kind;
use crate::lp::rows::RowLp;
use crate::solution::normal::{Normal, REL_TOL};

/// Per-player floors and caps on an allocation, in the game's units (cost games: on cost
/// shares). `None` is open.
///
/// # Example
/// ```
/// use coalitional::{Bounds, Game};
/// // The Talmud estate of 200 among claims 100, 200, 300, with c capped at 60.
/// let claims = [100.0, 200.0, 300.0];
/// let g = Game::from_fn(vec!["a".into(), "b".into(), "c".into()], |s| {
///     let outside: f64 = (0..3).filter(|&i| !s.contains(i)).map(|i| claims[i]).sum();
///     (200.0 - outside).max(0.0)
/// }).unwrap();
/// let bounds = Bounds::open(3).with_cap(2, 60.0);
/// let nu = g.nucleolus_within(&bounds).unwrap();
/// assert!((nu["c"] - 60.0).abs() < 1e-9);
/// assert!((nu.total() - 200.0).abs() < 1e-9);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Bounds {
    floors: Vec<Option<f64>>,
    caps: Vec<Option<f64>>,
    /// A player index given to [`Bounds::with_floor`] or [`Bounds::with_cap`] beyond the
    /// players, reported when a game checks the bounds.
    #[serde(skip)]
    out_of_range: Option<usize>,
}

impl Bounds {
    /// No bounds for `n` players.
    pub fn open(n: usize) -> Bounds {
        Bounds {
            floors: vec![None; n],
            caps: vec![None; n],
            out_of_range: None,
        }
    }

    /// Floors and caps per player (equal lengths; checked, with the players' names, when a
    /// game uses them).
    pub fn new(floors: Vec<Option<f64>>, caps: Vec<Option<f64>>) -> Bounds {
        Bounds {
            floors,
            caps,
            out_of_range: None,
        }
    }

    /// With player `i`'s floor set to `value` (an index beyond the players is an
    /// [`Error::PlayerIndexOutOfRange`] when a game uses the bounds).
    pub fn with_floor(mut self, i: usize, value: f64) -> Bounds {
        match self.floors.get_mut(i) {
            Some(f) => *f = Some(value),
            None => self.out_of_range = Some(i),
        }
        self
    }

    /// With player `i`'s cap set to `value` (an index beyond the players is an
    /// [`Error::PlayerIndexOutOfRange`] when a game uses the bounds).
    pub fn with_cap(mut self, i: usize, value: f64) -> Bounds {
        match self.caps.get_mut(i) {
            Some(c) => *c = Some(value),
            None => self.out_of_range = Some(i),
        }
        self
    }

    /// The floors, `None` where open.
    pub fn floors(&self) -> &[Option<f64>] {
        &self.floors
    }

    /// The caps, `None` where open.
    pub fn caps(&self) -> &[Option<f64>] {
        &self.caps
    }

    /// Bounds by player name: `(name, floor, cap)` entries, the players not named open. A
    /// name that is not a player is an [`Error::UnknownPlayer`]; a name given twice an
    /// [`Error::InvalidParameter`] for `bounds`.
    ///
    /// ```
    /// use coalitional::Bounds;
    /// let players = vec!["Suzhou".to_string(), "Hangzhou".to_string()];
    /// let b = Bounds::named(&players, &[("Hangzhou", Some(10.0), None)]).unwrap();
    /// assert_eq!(b.floors(), &[None, Some(10.0)]);
    /// ```
    pub fn named<S: AsRef<str>>(
        players: &[String],
        entries: &[(S, Option<f64>, Option<f64>)],
    ) -> Result<Bounds> {
        let mut b = Bounds::open(players.len());
        let mut seen = vec![false; players.len()];
        for (name, lo, hi) in entries {
            let name = name.as_ref();
            let i = players
                .iter()
                .position(|p| p == name)
                .ok_or_else(|| Error::UnknownPlayer {
                    name: name.to_string(),
                    players: players.join(", "),
                })?;
            if std::mem::replace(&mut seen[i], true) {
                return Err(Error::InvalidParameter {
                    name: "bounds",
                    reason: format!("{name} is given twice"),
                });
            }
            b.floors[i] = *lo;
            b.caps[i] = *hi;
        }
        Ok(b)
    }

    /// Checks the bounds against a game's players: one floor and one cap per player, finite,
    /// floor at most cap.
    pub(crate) fn check(&self, players: &[String]) -> Result<()> {
        let n = players.len();
        if let Some(index) = self.out_of_range {
            return Err(Error::PlayerIndexOutOfRange { index, n });
        }
        if self.floors.len() != n || self.caps.len() != n {
            return Err(Error::InvalidParameter {
                name: "bounds",
                reason: format!(
                    "{} floors and {} caps given for {n} players",
                    self.floors.len(),
                    self.caps.len()
                ),
            });
        }
        for (i, p) in players.iter().enumerate() {
            for (what, v) in [("floor", self.floors[i]), ("cap", self.caps[i])] {
                if let Some(v) = v.filter(|v| !v.is_finite()) {
                    return Err(Error::InvalidParameter {
                        name: "bounds",
                        reason: format!(
                            "the {what} of {p} is {v}; bounds must be finite (or open)"
                        ),
                    });
                }
            }
            if let (Some(lo), Some(hi)) = (self.floors[i], self.caps[i]) {
                if lo > hi {
                    return Err(Error::InvalidParameter {
                        name: "bounds",
                        reason: format!("the floor of {p} ({lo}) is above its cap ({hi})"),
                    });
                }
            }
        }
        Ok(())
    }
}

/// One constraint of a [`Conflict`], in the game's units.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Constraint {
    /// `x(N) = v(N)`: the whole worth (cost games: cost) is shared out.
    Efficiency {
        /// `v(N)`.
        total: f64,
    },
    /// A coalition's claim: `x(S) >= bound` (cost games: `x(S) <= bound`), where `bound` is
    /// its worth `v(S)`, or `v(S) - epsilon` when the least core stands in for an empty core.
    Coalition {
        /// The members, in player order.
        members: Vec<String>,
        /// The coalition's bit mask.
        mask: u64,
        /// The bound on `x(S)`.
        bound: f64,
    },
    /// A player's floor `x_i >= value`.
    Floor {
        /// The player.
        player: String,
        /// The floor.
        value: f64,
    },
    /// A player's cap `x_i <= value`.
    Cap {
        /// The player.
        player: String,
        /// The cap.
        value: f64,
    },
    /// Individual rationality of the nucleolus: `x_i >= v({i})` (cost games `x_i <= c({i})`).
    Standalone {
        /// The player.
        player: String,
        /// `v({i})`.
        value: f64,
    },
}

/// Constraints that admit no allocation together, with the weights of the Farkas certificate
/// and the amount by which they fail.
///
/// Multiplying each constraint by its weight and adding them up gives a contradiction: the
/// left sides cancel up to a multiple of `x(N)`, and the right sides ask for `shortfall` more
/// than that allows. Dropping any one constraint leaves a feasible system.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Conflict {
    /// The constraints, each with its (positive) weight.
    pub constraints: Vec<(Constraint, f64)>,
    /// How much they fail by, in the game's units (positive).
    pub shortfall: f64,
    /// The game's kind (the direction of the coalition constraints).
    pub kind: Kind,
}

impl fmt::Display for Constraint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, Kind::Value, f64::NAN)
    }
}

impl Constraint {
    fn write(&self, f: &mut fmt::Formatter<'_>, kind: Kind, scale: f64) -> fmt::Result {
        let scale = if scale.is_nan() {
            self.value().abs()
        } else {
            scale
        };
        let num = |x: f64| fmt_number(x, scale);
        let rel = if kind == Kind::Cost { "<=" } else { ">=" };
        match self {
            Constraint::Efficiency { total } => write!(f, "x(N) = {}", num(*total)),
            Constraint::Coalition { members, bound, .. } => {
                write!(f, "x({{{}}}) {rel} {}", members.join(", "), num(*bound))
            }
            Constraint::Floor { player, value } => write!(f, "{player}'s floor {}", num(*value)),
            Constraint::Cap { player, value } => write!(f, "{player}'s cap {}", num(*value)),
            Constraint::Standalone { player, value } => {
                write!(f, "{player}'s standalone {}", num(*value))
            }
        }
    }

    fn value(&self) -> f64 {
        match self {
            Constraint::Efficiency { total } => *total,
            Constraint::Coalition { bound, .. } => *bound,
            Constraint::Floor { value, .. }
            | Constraint::Cap { value, .. }
            | Constraint::Standalone { value, .. } => *value,
        }
    }
}

/// `"x({A, B}) >= 95, Suzhou's cap 10 and x(N) = 100 cannot hold together: they fail by 5"`,
/// with the weights in brackets where they are not all 1.
impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scale = scale_of(
            self.constraints
                .iter()
                .map(|(c, _)| c.value())
                .collect::<Vec<_>>()
                .iter(),
        );
        let unit = self
            .constraints
            .iter()
            .all(|(_, w)| (w - 1.0).abs() <= 1e-9);
        let last = self.constraints.len().saturating_sub(1);
        for (k, (c, w)) in self.constraints.iter().enumerate() {
            if k > 0 {
                f.write_str(if k == last { " and " } else { ", " })?;
            }
            c.write(f, self.kind, scale)?;
            if !unit {
                write!(f, " (weight {})", fmt_number(*w, 1.0))?;
            }
        }
        write!(
            f,
            " cannot hold together: they fail by {}",
            fmt_number(self.shortfall, scale.max(self.shortfall.abs()))
        )
    }
}

/// The tolerances of a problem with bounds on the normalised game.
pub(crate) struct Scale {
    /// The solvers' tolerance: `1e-9` of the larger of the spread and the bounds' reach.
    pub(crate) tol: f64,
    /// A box `|z_j| <= lp_box` that no optimum reaches.
    pub(crate) lp_box: f64,
    /// The tolerance of yes/no decisions (`Game::tolerance` widened by the reach).
    pub(crate) decision: f64,
}

/// Where a bound of the normalised problem comes from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Source {
    Open,
    Floor,
    Cap,
    Standalone,
}

/// Bounds on an allocation `y` of the normalised game `w` (see `solution::normal`):
/// `lo_i <= y_i <= hi_i`, infinite where open, with where each comes from.
#[derive(Clone, Debug)]
pub(crate) struct Limits {
    pub(crate) lo: Vec<f64>,
    pub(crate) hi: Vec<f64>,
    pub(crate) lo_src: Vec<Source>,
    pub(crate) hi_src: Vec<Source>,
}

impl Limits {
    /// No bounds.
    pub(crate) fn open(n: usize) -> Limits {
        Limits {
            lo: vec![f64::NEG_INFINITY; n],
            hi: vec![f64::INFINITY; n],
            lo_src: vec![Source::Open; n],
            hi_src: vec![Source::Open; n],
        }
    }

    /// `bounds` (checked against the game) seen in `w`: `y_i = sign factor x_i - b_i`, so a
    /// cost game's cap on a cost share is a floor of its savings share.
    pub(crate) fn of(nm: &Normal<'_>, bounds: &Bounds) -> Limits {
        let n = nm.n();
        let f = nm.shift.sign * nm.shift.factor;
        let mut l = Limits::open(n);
        for i in 0..n {
            let map = |x: f64| f * x - nm.shift.b[i];
            let (lo, hi) = if f > 0.0 {
                (bounds.floors[i], bounds.caps[i])
            } else {
                (bounds.caps[i], bounds.floors[i])
            };
            let (lo_src, hi_src) = if f > 0.0 {
                (Source::Floor, Source::Cap)
            } else {
                (Source::Cap, Source::Floor)
            };
            if let Some(v) = lo {
                l.lo[i] = map(v);
                l.lo_src[i] = lo_src;
            }
            if let Some(v) = hi {
                l.hi[i] = map(v);
                l.hi_src[i] = hi_src;
            }
        }
        l
    }

    /// Adds individual rationality `y_i >= 0` where it is tighter than the floor.
    pub(crate) fn add_standalone(&mut self) {
        for i in 0..self.lo.len() {
            if self.lo[i] < 0.0 {
                self.lo[i] = 0.0;
                self.lo_src[i] = Source::Standalone;
            }
        }
    }

    /// The only allowed point when the floors (or the caps) add up to `wn` within `tol`: each
    /// share at its floor (cap), the difference spread equally.
    pub(crate) fn single_point(&self, wn: f64, tol: f64) -> Option<Vec<f64>> {
        let n = self.lo.len() as f64;
        for side in [&self.lo, &self.hi] {
            if side.iter().all(|v| v.is_finite()) {
                let total = crate::solution::normal::accurate_sum(side.iter().copied());
                if (total - wn).abs() <= tol {
                    return Some(side.iter().map(|v| v + (wn - total) / n).collect());
                }
            }
        }
        None
    }

    /// True when no player has a bound.
    pub(crate) fn is_open(&self) -> bool {
        self.lo_src
            .iter()
            .chain(&self.hi_src)
            .all(|s| *s == Source::Open)
    }

    /// How far the bounds push allocations away from the game's own range: the floors above
    /// zero and the caps below it, added up (0 for the imputation bounds).
    pub(crate) fn reach(&self) -> f64 {
        let up: f64 = self
            .lo
            .iter()
            .filter(|v| v.is_finite())
            .map(|v| v.max(0.0))
            .sum();
        let down: f64 = self
            .hi
            .iter()
            .filter(|v| v.is_finite())
            .map(|v| (-v).max(0.0))
            .sum();
        up + down
    }

    /// Tolerances for problems with these bounds on `nm`'s game: as for the game alone, at
    /// the larger of its spread and [`Limits::reach`].
    pub(crate) fn scale(&self, nm: &Normal<'_>) -> Scale {
        let reach = self.reach();
        let s = nm.spread.max(reach);
        Scale {
            tol: REL_TOL * s,
            lp_box: 16.0 * (self.lo.len() + 1) as f64 * s,
            decision: nm.decision_tol() + REL_TOL * reach,
        }
    }

    /// The LP rows of the bounds: `y_i >= lo_i` as `(i, +1, lo_i)`, `y_i <= hi_i` as
    /// `(i, -1, -hi_i)`.
    pub(crate) fn rows(&self) -> impl Iterator<Item = (usize, f64, f64)> + '_ {
        let lows = (0..self.lo.len())
            .filter(|&i| self.lo[i].is_finite())
            .map(|i| (i, 1.0, self.lo[i]));
        let highs = (0..self.hi.len())
            .filter(|&i| self.hi[i].is_finite())
            .map(|i| (i, -1.0, -self.hi[i]));
        lows.chain(highs)
    }

    /// The bounds active at `y` within `tol`, as signed unit vectors `(i, +1)` (at its floor:
    /// it may only rise) or `(i, -1)` (at its cap).
    pub(crate) fn active(&self, y: &[f64], tol: f64) -> Vec<(usize, f64)> {
        let mut out = Vec::new();
        for (i, &yi) in y.iter().enumerate() {
            if yi <= self.lo[i] + tol {
                out.push((i, 1.0));
            }
            if yi >= self.hi[i] - tol {
                out.push((i, -1.0));
            }
        }
        out
    }

    /// The worst violation of the bounds by `y` (0 when within them).
    pub(crate) fn violation(&self, y: &[f64]) -> f64 {
        y.iter()
            .enumerate()
            .map(|(i, &yi)| (self.lo[i] - yi).max(yi - self.hi[i]).max(0.0))
            .fold(0.0, f64::max)
    }

    /// The constraint (in the game's units) of bound row `(i, sign)`.
    fn constraint(&self, nm: &Normal<'_>, players: &[String], i: usize, sign: f64) -> Constraint {
        let (y, src) = if sign > 0.0 {
            (self.lo[i], self.lo_src[i])
        } else {
            (self.hi[i], self.hi_src[i])
        };
        let x = nm.lift_one(i, y);
        let player = players[i].clone();
        match src {
            Source::Floor => Constraint::Floor { player, value: x },
            Source::Cap => Constraint::Cap { player, value: x },
            Source::Standalone | Source::Open => Constraint::Standalone { player, value: x },
        }
    }

    /// Is there an efficient `y` within the bounds? If not, the conflict: the floors (or the
    /// caps) of all players against `w(N)`, or one player's floor against its cap.
    pub(crate) fn efficiency_conflict(
        &self,
        nm: &Normal<'_>,
        players: &[String],
        tol: f64,
    ) -> Option<Conflict> {
        let n = self.lo.len();
        let kind = nm.kind();
        if let Some(i) = (0..n).find(|&i| self.lo[i] > self.hi[i] + tol) {
            return Some(Conflict {
                constraints: vec![
                    (self.constraint(nm, players, i, 1.0), 1.0),
                    (self.constraint(nm, players, i, -1.0), 1.0),
                ],
                shortfall: nm.shift.unscale(self.lo[i] - self.hi[i]),
                kind,
            });
        }
        let wn = nm.w().grand_value();
        let efficiency = || Constraint::Efficiency {
            total: nm.original_grand(),
        };
        let floors = crate::solution::normal::accurate_sum(self.lo.iter().copied());
        if floors > wn + tol {
            let mut constraints: Vec<(Constraint, f64)> = (0..n)
                .map(|i| (self.constraint(nm, players, i, 1.0), 1.0))
                .collect();
            constraints.push((efficiency(), 1.0));
            return Some(Conflict {
                constraints,
                shortfall: nm.shift.unscale(floors - wn),
                kind,
            });
        }
        let caps = crate::solution::normal::accurate_sum(self.hi.iter().copied());
        if caps < wn - tol {
            let mut constraints: Vec<(Constraint, f64)> = (0..n)
                .map(|i| (self.constraint(nm, players, i, -1.0), 1.0))
                .collect();
            constraints.push((efficiency(), 1.0));
            return Some(Conflict {
                constraints,
                shortfall: nm.shift.unscale(wn - caps),
                kind,
            });
        }
        None
    }
}

/// A row of the feasibility problem behind a [`Conflict`]: `a·y >= b` on the normalised game.
#[derive(Clone, Debug)]
pub(crate) enum Row {
    /// `y(S) >= b` for coalition `S`.
    Coalition(u64, f64),
    /// Bound row `sign y_i >= sign bound` (see [`Limits::rows`]).
    Bound(usize, f64, f64),
}

impl Row {
    fn coefs(&self) -> Vec<(usize, f64)> {
        match *self {
            Row::Coalition(mask, _) => Coalition::from_mask(mask)
                .members()
                .map(|i| (i, 1.0))
                .collect(),
            Row::Bound(i, s, _) => vec![(i, s)],
        }
    }

    fn rhs(&self) -> f64 {
        match *self {
            Row::Coalition(_, b) | Row::Bound(_, _, b) => b,
        }
    }
}

/// Is `y(N) = wn` with `rows` feasible (within `tol`)? A small LP over those rows only, in
/// the box `|y_i| <= lp_box`.
fn feasible(n: usize, wn: f64, rows: &[&Row], tol: f64, lp_box: f64) -> Result<bool> {
    // min e  s.t.  y(N) = wn,  a·y + e >= b,  e >= 0: feasible iff e* <= tol.
    let mut objective = vec![0.0; n + 1];
    objective[n] = 1.0;
    let mut lp = RowLp::new(objective, lp_box, 1e-3 * tol);
    lp.add_eq(&(0..n).map(|i| (i, 1.0)).collect::<Vec<_>>(), wn);
    lp.add_ge(&[(n, 1.0)], 0.0);
    for r in rows {
        let mut coefs = r.coefs();
        coefs.push((n, 1.0));
        lp.add_ge(&coefs, r.rhs());
    }
    lp.solve().map_err(|e| e.into_error("the conflict check"))?;
    Ok(lp.point()[n] <= tol)
}

/// The conflict among `rows` (which admit no `y` with `y(N) = w(N)`, the certificate having
/// positive weights on them): reduced by a deletion filter to an irreducible set, with the
/// weights and the shortfall of that set's certificate.
pub(crate) fn conflict_of(
    nm: &Normal<'_>,
    limits: &Limits,
    players: &[String],
    rows: Vec<Row>,
    tol: f64,
    lp_box: f64,
) -> Result<Conflict> {
    let n = nm.n();
    let wn = nm.w().grand_value();
    if feasible(n, wn, &rows.iter().collect::<Vec<_>>(), tol, lp_box)? {
        return Err(Error::numerical(
            "the conflict check",
            "the rows given admit an allocation",
        ));
    }
    // Deletion filter: drop a row whenever the rest stays infeasible.
    let mut keep: Vec<Row> = rows;
    let mut k = 0;
    while k < keep.len() {
        let rest: Vec<&Row> = keep
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != k)
            .map(|(_, r)| r)
            .collect();
        if !feasible(n, wn, &rest, tol, lp_box)? {
            keep.remove(k);
        } else {
            k += 1;
        }
    }
    // The certificate of the irreducible set: weights u >= 0 with sum u_r a_r = kappa 1_N and
    // sum u_r b_r - kappa wn > 0, found by maximising the latter over sum u_r = 1.
    let m = keep.len();
    let objective: Vec<f64> = keep
        .iter()
        .map(|r| -r.rhs())
        .chain(std::iter::once(wn))
        .collect();
    let mut lp = RowLp::new(objective, 16.0 * (n + 1) as f64, 1e-12);
    for i in 0..n {
        let mut coefs: Vec<(usize, f64)> = keep
            .iter()
            .enumerate()
            .filter_map(|(r, row)| {
                row.coefs()
                    .into_iter()
                    .find(|(j, _)| *j == i)
                    .map(|(_, a)| (r, a))
            })
            .collect();
        coefs.push((m, -1.0));
        lp.add_eq(&coefs, 0.0);
    }
    lp.add_eq(&(0..m).map(|r| (r, 1.0)).collect::<Vec<_>>(), 1.0);
    for r in 0..m {
        lp.add_ge(&[(r, 1.0)], 0.0);
    }
    lp.solve()
        .map_err(|e| e.into_error("the conflict certificate"))?;
    let u = lp.point().to_vec();
    let kappa = u[m];
    let gap = accurate_gap(&keep, &u[..m], kappa, wn);
    // Weights scaled so that x(N) counts once (or, without it, the largest weight is 1).
    let norm = if kappa.abs() > 1e-9 {
        kappa.abs()
    } else {
        u[..m].iter().copied().fold(0.0, f64::max)
    };
    let mut constraints: Vec<(Constraint, f64)> = keep
        .iter()
        .zip(&u[..m])
        .map(|(row, &w)| {
            let c = match *row {
                Row::Coalition(mask, b) => Constraint::Coalition {
                    members: Coalition::from_mask(mask)
                        .members()
                        .map(|i| players[i].clone())
                        .collect(),
                    mask,
                    bound: nm.lift_coalition(mask, b),
                },
                Row::Bound(i, s, _) => limits.constraint(nm, players, i, s),
            };
            (c, w / norm)
        })
        .collect();
    if kappa.abs() > 1e-9 {
        constraints.push((
            Constraint::Efficiency {
                total: nm.original_grand(),
            },
            1.0,
        ));
    }
    Ok(Conflict {
        constraints,
        shortfall: nm.shift.unscale(gap / norm),
        kind: nm.kind(),
    })
}

/// `sum u_r b_r - kappa wn`, summed accurately.
fn accurate_gap(rows: &[Row], u: &[f64], kappa: f64, wn: f64) -> f64 {
    crate::solution::normal::accurate_sum(
        rows.iter()
            .zip(u)
            .map(|(r, w)| w * r.rhs())
            .chain(std::iter::once(-kappa * wn)),
    )
}
