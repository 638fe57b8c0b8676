//! The prenucleolus and the nucleolus.
//!
//! The **nucleolus** (D. Schmeidler, "The nucleolus of a characteristic function game", *SIAM
//! J. Appl. Math.* 17, 1969) is the imputation (`x(N) = v(N)`, `x_i >= v({i})`) whose vector
//! of excesses `e(S, x) = v(S) - x(S)`, sorted in decreasing order, is lexicographically
//! smallest; the **prenucleolus** drops `x_i >= v({i})`. Both are single points; the nucleolus
//! lies in the core whenever the core is nonempty.
//!
//! **Method** (Maschler, Peleg and Shapley 1979, sequential LPs): stage `k` solves
//! `min t  s.t.  x(N) = v(N),  x(S) = v(S) - t_j for the coalitions fixed at earlier stages,
//! x(S) + t >= v(S) for the others` (and `x_i >= v({i})` for the nucleolus). The coalitions to
//! fix at `t_k` are those whose excess is `t_k` on the whole optimal face; by complementary
//! slackness every row with a positive dual value at the optimum is one of them, and the dual
//! values satisfy `sum y_S = 1` over the coalition rows, so each stage fixes at least one
//! coalition outside the span of the earlier ones (the "positive dual" rule; see M. Benedek,
//! J. Fliege and T.-D. Nguyen, "Finding and verifying the nucleolus of cooperative games",
//! *Math. Program.* 190, 2021, for this and other fixing rules). The LPs are solved by the
//! row simplex of `lp::rows` (a dual simplex), which gives the duals and keeps its basis while
//! constraint generation adds rows. The fixed
//! coalitions' indicator vectors are kept as an orthonormal basis (nalgebra); coalitions in
//! their span have constant excess and leave the LP. A coalition is fixed at the excess the
//! stage's point attains, so that point stays feasible for the next stage whatever the
//! rounding. The stages end when the span is all of `R^n` (at most `n - 1` stages); the point is
//! recomputed from the `n` independent equalities (LU) and polished: the top levels that raise
//! the rank are solved for `x(S) + t_k = v(S)` by least squares (SVD), which recovers exact
//! fractions (the Talmud cases to 1e-12). The polished point is kept only if it passes the
//! verification below. Every LP holds only the coalitions that bind: constraint generation
//! adds violated coalitions found by a streaming pass over the `2^n` excesses, and between
//! stages only the rows with the highest excess are carried over.
//!
//! **Large games and ties** (issue 18):
//! - *Symmetric players* (`v(S + i) = v(S + j)` for all `S`) get equal shares in the
//!   (pre)nucleolus, so the stages hold `x_i = x_j` from the start (`symmetry`): a glove game
//!   of 12 + 12 players begins with a span of rank 23 instead of a tie level of `C(24, 12)`
//!   coalitions.
//! - *Coalitions in the span* of the fixed ones are skipped inside the scans by a random
//!   projection test (`span::OffSpan`), never stored: a tie level may hold millions.
//! - *Between full scans* a stage's rounds search a list of the 4,096 to 16,384 coalitions of
//!   largest excess, which is exact while a bound on how far the point moved allows
//!   (`candidates`); a round adds `8 n` coalition rows, so the LP stays small and its point
//!   moves less between rounds.
//! - *Levels of any size* are streamed by the polish and the Kohlberg walk (`levels`): one
//!   pass over a large level counts it, finds its rank-raising members (against a span grown
//!   during the pass) and the top of the next level; balancedness by constraint generation
//!   over the level; no level is refused for its size.
//! - *The worths are never copied*: scans read the game as given and normalise on the fly
//!   (`solution::normal::Worths`), bounding each block in plain arithmetic first.
//!
//! **Verification** (E. Kohlberg, "On the nucleolus of a characteristic function game", *SIAM
//! J. Appl. Math.* 20, 1971): `x` is the prenucleolus iff every collection
//! `D(a) = {S : e(S, x) >= a}` is balanced. The levels are walked from the top until they
//! span `R^n` by themselves; a level whose members all lie in the span of the levels above
//! stays balanced if they were (property I below), so an LP is solved only at the at most
//! `n - 1` levels that raise the rank. For the nucleolus the collections may add the
//! singletons `{i}` with `x_i = v({i})` with weight 0 (Kohlberg's weak balancedness); those do
//! not count towards the span. A failed check is an [`Error::Solver`], never a number.
//!
//! **Cancellation** (see `crate::cancel`): every stage round, simplex iteration, excess scan,
//! step of the Kohlberg walk and of the polish checks, so a cancelled computation returns
//! [`Error::Interrupted`] within a fraction of a second.
//!
//! The code is split by concern: `stages` (the sequential LPs), `polish` (the exact linear
//! solve with refinement), `kohlberg` (the verification) and the shared helpers `span` (the
//! orthonormal basis of fixed coalitions) and `levels` (the walk down the excess levels).

mod candidates;
mod kohlberg;
mod levels;
mod polish;
mod span;
mod stages;
mod symmetry;
mod tight;
mod variants;
mod weights;

pub(crate) use span::OffSpan;
pub(crate) use tight::Tight;

use crate::error::{Error, Result};
use crate::game::Game;
use crate::progress::Task;
use crate::solution::bounds::{Bounds, Limits};
use crate::solution::normal::Normal;
use crate::solution::Allocation;

use kohlberg::kohlberg_check;
use polish::polish;
use stages::Stages;
use weights::{Variant, Weighting};

/// A (pre)nucleolus as the solver found it, on the zero-normalised game.
struct Solved<'a> {
    nm: Normal<'a>,
    /// The point, an allocation of the normalised game.
    y: Vec<f64>,
    limits: Limits,
    /// The tolerance within which the point's excess levels are taken as equal: the polish's
    /// when the polished point passed Kohlberg's check, the LP's (wider) otherwise.
    band: f64,
    /// The allowed set is one point (the imputations of `v(N) = sum v({i})`, or bounds that add
    /// up to `v(N)`); `n = 1` is not counted.
    single_point: bool,
    concept: &'static str,
}

impl Game {
    fn nucleolus_impl(&self, imputation: bool, bounds: Option<&Bounds>) -> Result<Allocation> {
        let s = self.solve_nucleolus(imputation, bounds)?;
        Ok(s.nm.allocation(&s.y))
    }

    fn solve_nucleolus(&self, imputation: bool, bounds: Option<&Bounds>) -> Result<Solved<'_>> {
        let concept = if imputation {
            "the nucleolus"
        } else {
            "the prenucleolus"
        };
        self.solve_variant(imputation, bounds, Weighting::Plain, &[], None, concept)
    }

    /// The engine: the (pre)nucleolus with the excesses weighted by `weighting` and the
    /// `blocks` held at `x(B) = v(B)` (for blocks, `v(N)` must equal `sum v(B)`: the caller
    /// passes that sum as `grand`, which replaces `v(N)`).
    #[allow(clippy::too_many_arguments)]
    fn solve_variant(
        &self,
        imputation: bool,
        bounds: Option<&Bounds>,
        weighting: Weighting,
        blocks: &[u64],
        grand: Option<f64>,
        concept: &'static str,
    ) -> Result<Solved<'_>> {
        let n = self.n();
        if let Some(b) = bounds {
            b.check(self.players())?;
        }
        // Progress: the rank the stages add to {N}, then the rank the Kohlberg walk adds
        // (n - 1 each; see crate::progress).
        let task = Task::begin(Some(2 * (n as u64).saturating_sub(1)));
        // Solved on the zero-normalised game w (standalone values 0), mapped back at the end.
        let nm = self.normal_with_grand(grand)?;
        let w = nm.w();
        let vn = w.grand_value();
        let mut limits = match bounds {
            Some(b) => Limits::of(&nm, b),
            None => Limits::open(n),
        };
        if imputation {
            limits.add_standalone();
        }
        // Floors far above the game's range (or caps far below it) move the answer there: the
        // tolerances and the LP box follow.
        let scale = limits.scale(&nm);
        let (tol, decision) = (scale.tol, scale.decision);
        if let Some(conflict) = limits.efficiency_conflict(&nm, self.players(), decision) {
            if bounds.is_none() {
                let sign = nm.shift.sign;
                let standalone: f64 = nm.shift.unscale(nm.shift.b.iter().sum());
                return Err(Error::Undefined {
                    concept,
                    reason: format!(
                        "there is no imputation: the players' standalone values add up to {} but v(N) = {}",
                        sign * standalone,
                        nm.original_grand()
                    ),
                });
            }
            return Err(Error::Infeasible { concept, conflict });
        }
        let weights = weighting.weights(self, &nm, decision)?;
        let variant = Variant {
            weights: weights.as_ref(),
            blocks,
            symmetric: &[],
        };
        let mut band = 1e2 * tol;
        let mut single_point = false;
        let y = if n == 1 {
            vec![vn]
        } else if let Some(point) = limits.single_point(vn, decision) {
            // The allowed set is one point (to the tolerance): the standalone values when
            // v(N) = sum v({i}), or floors (caps) that add up to v(N).
            single_point = true;
            point
        } else {
            let mut stages = Stages::new(w, n, &limits, tol, scale.lp_box, variant, concept);
            stages.sym_tol = nm.input_rounding();
            stages.spread = nm.spread;
            let rough = stages.run(&task)?;
            let symmetric = stages.symmetric().to_vec();
            let variant = Variant {
                symmetric: &symmetric,
                ..variant
            };
            task.stage(|| "polish".into());
            // Polish when the levels separate cleanly; keep whichever point passes Kohlberg:
            // the polished point (exact to rounding) with tight levels, the LP's point with
            // levels as wide as the LP tolerance. A cancellation is passed on, not taken for
            // a failed check.
            let players = self.players();
            let check = |x: &[f64], tol: f64| {
                kohlberg_check(w, players, x, tol, &limits, concept, &variant, &task)
            };
            let polished = match polish(w, &rough, &limits, 1e2 * tol, &variant)? {
                Some(p) => match check(&p, tol) {
                    Ok(()) => Some(p),
                    Err(Error::Interrupted) => return Err(Error::Interrupted),
                    Err(_) => None,
                },
                None => None,
            };
            match polished {
                Some(p) => p,
                None => {
                    check(&rough, 1e3 * tol)?;
                    band = 1e3 * tol;
                    rough
                }
            }
        };
        task.finish();
        Ok(Solved {
            nm,
            y,
            limits,
            band,
            single_point,
            concept,
        })
    }

    /// The prenucleolus (Schmeidler 1969 without individual rationality): the efficient
    /// allocation whose decreasingly sorted excesses `v(S) - x(S)` are lexicographically
    /// smallest. For cost games, the excesses are `x(S) - c(S)`.
    ///
    /// Sequential LPs with constraint generation, polished by an exact linear solve and
    /// verified by Kohlberg's criterion (see the module docs). Cost: a few small LPs per
    /// stage, each with a streaming pass over the `2^n` values.
    pub fn prenucleolus(&self) -> Result<Allocation> {
        self.nucleolus_impl(false, None)
    }

    /// The nucleolus (Schmeidler 1969): the imputation whose decreasingly sorted excesses
    /// `v(S) - x(S)` are lexicographically smallest. It lies in the core when the core is
    /// nonempty. Fails with [`Error::Undefined`] when there is no imputation
    /// (`v(N) < sum v({i})`).
    ///
    /// # Example
    /// The Talmud division of an estate of 200 among claims 100, 200, 300 is (50, 75, 75), the
    /// nucleolus of the bankruptcy game (Aumann and Maschler 1985).
    /// ```
    /// use coalitional::Game;
    /// let claims = [100.0, 200.0, 300.0];
    /// let g = Game::from_fn(vec!["a".into(), "b".into(), "c".into()], |s| {
    ///     let outside: f64 = (0..3).filter(|&i| !s.contains(i)).map(|i| claims[i]).sum();
    ///     (200.0 - outside).max(0.0)
    /// }).unwrap();
    /// let nu = g.nucleolus().unwrap();
    /// assert!((nu["a"] - 50.0).abs() < 1e-9 && (nu["b"] - 75.0).abs() < 1e-9);
    /// ```
    pub fn nucleolus(&self) -> Result<Allocation> {
        self.nucleolus_impl(true, None)
    }

    /// The nucleolus within policy bounds: the imputation within `bounds` (floors and caps per
    /// player, see [`Bounds`]) whose decreasingly sorted excesses are lexicographically
    /// smallest. It is the nucleolus of the game relative to the set `X = {x : x(N) = v(N),
    /// max(v({i}), floor_i) <= x_i <= cap_i}` (Schmeidler 1969 defines the nucleolus relative
    /// to any such set; Maschler, Peleg and Shapley 1979 give the sequential LPs), a single
    /// point when `X` is not empty. Cost games: bounds on cost shares, individual rationality
    /// `x_i <= c({i})`.
    ///
    /// Verified as the nucleolus is: Kohlberg's criterion with the binding floors and caps
    /// among the collections' optional members (a share at its floor may only rise, one at its
    /// cap may only fall). [`Error::Infeasible`] when no efficient allocation meets the bounds
    /// and individual rationality, with the [`Conflict`](crate::solution::bounds::Conflict)
    /// (for example the floors adding up to more than `v(N)`).
    ///
    /// # Example
    /// See [`Bounds`].
    pub fn nucleolus_within(&self, bounds: &Bounds) -> Result<Allocation> {
        self.nucleolus_impl(true, Some(bounds))
    }

    /// The prenucleolus within policy bounds: as [`Game::nucleolus_within`] without
    /// individual rationality, over `X = {x : x(N) = v(N), floor_i <= x_i <= cap_i}`.
    pub fn prenucleolus_within(&self, bounds: &Bounds) -> Result<Allocation> {
        self.nucleolus_impl(false, Some(bounds))
    }
}
