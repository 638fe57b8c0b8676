//! The linear system of the tight excess levels of a (pre)nucleolus: `x(N) = v(N)`,
//! `x(S) + t_k = v(S)` for the coalitions `S` of level `k`, and `x_i` at its floor or cap where
//! one binds. The polish solves a subset of it; [`Game::tight_system`] builds it in full at the
//! final point, for the sensitivity of the (pre)nucleolus (`solution::sensitivity`).

use nalgebra::{DMatrix, DVector};

use super::levels::Levels;
use super::weights::Variant;
use super::Solved;
use crate::error::{Error, Result, SolverFailure};
use crate::game::Game;
use crate::solution::bounds::Limits;
use crate::solution::normal::{Normal, Worths};

/// One equation `x(S) [+ w(S) t_level] = rhs`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Equation {
    /// `S`: the coalition whose worth is the right side (for a bound row `x_i = bound`, the
    /// singleton `{i}`).
    pub(crate) mask: u64,
    /// Players with coefficient -1 (the rows `x_i - x_j = 0` of symmetric players; else 0).
    pub(crate) minus: u64,
    /// The excess level whose unknown `t_k` the row carries (`None` for `x(N)` and bounds).
    pub(crate) level: Option<usize>,
    /// `w(S)`, the coefficient of `t_level` (1 for the plain excess).
    pub(crate) weight: f64,
    /// The right side.
    pub(crate) rhs: f64,
}

/// Equations in the unknowns `(x_1..x_n, t_0..t_{levels-1})`.
#[derive(Clone, Debug)]
pub(crate) struct System {
    pub(crate) n: usize,
    pub(crate) eqs: Vec<Equation>,
    pub(crate) levels: usize,
}

/// Below this smallest singular value the system does not determine its unknowns.
const SINGULAR: f64 = 1e-9;

impl System {
    /// `x(N) = v(N)`, `x(B) = v(B)` for the fixed `blocks`, the bounds active at `x`
    /// within `tol` (`x_i = lo_i` or `hi_i`), and `x_i = x_j` for the `symmetric` pairs.
    pub(super) fn start(
        w: Worths<'_>,
        x: &[f64],
        limits: &Limits,
        tol: f64,
        blocks: &[u64],
        symmetric: &[(usize, usize)],
    ) -> System {
        let n = x.len();
        let full = (1u64 << n) - 1;
        let mut eqs = vec![Equation {
            mask: full,
            minus: 0,
            level: None,
            weight: 1.0,
            rhs: w.grand_value(),
        }];
        eqs.extend(blocks.iter().map(|&b| Equation {
            mask: b,
            minus: 0,
            level: None,
            weight: 1.0,
            rhs: w.at(b as usize),
        }));
        for (i, s) in limits.active(x, tol) {
            let rhs = if s > 0.0 { limits.lo[i] } else { limits.hi[i] };
            eqs.push(Equation {
                mask: 1 << i,
                minus: 0,
                level: None,
                weight: 1.0,
                rhs,
            });
        }
        eqs.extend(symmetric.iter().map(|&(i, j)| Equation {
            mask: 1 << i,
            minus: 1 << j,
            level: None,
            weight: 1.0,
            rhs: 0.0,
        }));
        System { n, eqs, levels: 0 }
    }

    /// Adds a level: `x(S) + w(S) t_k = v(S)` for each `S` in `masks`, with a new unknown
    /// `t_k`.
    pub(super) fn push_level(
        &mut self,
        w: Worths<'_>,
        variant: &Variant<'_>,
        masks: impl Iterator<Item = u64>,
    ) {
        let k = self.levels;
        self.eqs.extend(masks.map(|m| Equation {
            mask: m,
            minus: 0,
            level: Some(k),
            weight: variant.weight(m),
            rhs: w.at(m as usize),
        }));
        self.levels += 1;
    }

    /// The number of unknowns, `n + levels`.
    pub(crate) fn unknowns(&self) -> usize {
        self.n + self.levels
    }

    /// The 0/1 matrix of the left sides.
    pub(crate) fn matrix(&self) -> DMatrix<f64> {
        let n = self.n;
        DMatrix::from_fn(self.eqs.len(), self.unknowns(), |r, c| {
            let e = self.eqs[r];
            if c < n {
                f64::from(u8::from(e.mask >> c & 1 == 1))
                    - f64::from(u8::from(e.minus >> c & 1 == 1))
            } else if e.level == Some(c - n) {
                e.weight
            } else {
                0.0
            }
        })
    }

    /// The right sides.
    pub(crate) fn rhs(&self) -> DVector<f64> {
        DVector::from_fn(self.eqs.len(), |r, _| self.eqs[r].rhs)
    }

    /// True when the equations determine every unknown (full column rank).
    pub(super) fn determined(&self) -> bool {
        self.eqs.len() >= self.unknowns()
            && self
                .matrix()
                .singular_values()
                .iter()
                .copied()
                .fold(f64::INFINITY, f64::min)
                >= SINGULAR
    }
}

/// The (pre)nucleolus of the zero-normalised game `w` with the full system of its tight levels.
pub(crate) struct Tight<'a> {
    /// The normalised game `w` and the map back.
    pub(crate) nm: Normal<'a>,
    /// The point, an allocation of `w`.
    pub(crate) y: Vec<f64>,
    /// `x(N) = w(N)`, the active bounds, and every coalition of each excess level from the top
    /// (levels of a single coalition left out: they only add their own unknown) down to the
    /// first level at which the equations determine `y` and the levels' `t_k`.
    pub(crate) system: System,
    /// The allowed set is a single point (the nucleolus of a game with `v(N) = sum v({i})`).
    pub(crate) single_point: bool,
    /// The tolerance within which excesses were taken as equal.
    pub(crate) band: f64,
    /// The players whose share sits at a bound (for the nucleolus: at its standalone value).
    /// Those bounds are one-way, so the equations they give hold only for changes that keep
    /// the share there.
    pub(crate) at_bounds: Vec<usize>,
}

impl Game {
    /// The (pre)nucleolus with the equations of its tight levels (see [`Tight`]), computed as
    /// [`Game::nucleolus`] or [`Game::prenucleolus`] computes it. The walk stops at the first
    /// level that makes the system determined, so no level below it enters. Fails as the
    /// solver does, or with a numerical [`Error::Solver`] when the walk runs out of levels.
    ///
    /// With `bounds_as_equations` false, the active bounds do not enter the system: the walk
    /// goes on until the coalitions' own levels determine the point.
    pub(crate) fn tight_system(
        &self,
        imputation: bool,
        bounds_as_equations: bool,
    ) -> Result<Tight<'_>> {
        let Solved {
            nm,
            y,
            limits,
            band,
            single_point,
            concept,
        } = self.solve_nucleolus(imputation, None)?;
        let w = nm.w();
        let at_bounds: Vec<usize> = limits.active(&y, band).into_iter().map(|a| a.0).collect();
        let in_system = if bounds_as_equations {
            limits
        } else {
            Limits::open(self.n())
        };
        let mut system = System::start(w, &y, &in_system, band, &[], &[]);
        if !single_point {
            let mut walk = Levels::new(w, None, &y, band);
            while !system.determined() {
                let Some(level) = walk.next(usize::MAX)? else {
                    return Err(Error::Solver {
                        concept,
                        failure: SolverFailure::numerical(
                            "the tight excess levels do not determine the point",
                        ),
                    });
                };
                if level.count >= 2 {
                    system.push_level(w, &Variant::default(), level.members.into_iter());
                }
            }
        }
        Ok(Tight {
            nm,
            y,
            system,
            single_point,
            band,
            at_bounds,
        })
    }
}
