//! Sensitivity of a value to the worths: `d x_i / d v(S)` for every coalition and player.
//!
//! The linear values are linear maps of the worth vector, `x = M v`, so the table of
//! derivatives is the matrix `M` itself: exact, the same at every game, and it says how much
//! an error in one model run (one worth `v(S)`) moves each player's share.
//!
//! **Shapley value** (L. S. Shapley, "A value for n-person games", *Contributions to the Theory
//! of Games II*, 1953), for a nonempty coalition `S` of size `s`:
//!
//! `d phi_i / d v(S) = (s-1)! (n-s)! / n!` if `i ∈ S`, and `-s! (n-s-1)! / n!` if `i ∉ S`.
//!
//! Each row sums to 0 except the grand coalition's, which sums to 1 (efficiency).
//!
//! **Raw Banzhaf value** (J. F. Banzhaf III 1965; Owen 1975): `d beta_i / d v(S) = 2^-(n-1)`
//! if `i ∈ S`, `-2^-(n-1)` if `i ∉ S`.
//!
//! **Nucleolus and prenucleolus** (D. Schmeidler, "The nucleolus of a characteristic function
//! game", *SIAM J. Appl. Math.* 17, 1969): piecewise linear in the worth vector (B. Peleg and
//! P. Sudhölter, *Introduction to the Theory of Cooperative Games*, 2nd ed., 2007, ch. 5–6).
//! At the point `x`, the coalitions fall into excess levels `e(S, x) = v(S) - x(S) = t_k`
//! (M. Maschler, B. Peleg and L. S. Shapley, "Geometric properties of the kernel, nucleolus
//! and related solution concepts", *Math. Oper. Res.* 4, 1979). Walking them from the top
//! until they determine the point gives the linear system
//!
//! `x(N) = v(N)`, `x(S) + t_k = v(S)` for every `S` of level `k`, `x_i = v({i})` where
//! individual rationality binds (nucleolus),
//!
//! in the unknowns `x` and `t_k` (levels of a single coalition are left out: they only add
//! their own `t_k`). While the system stays consistent, the same levels stay tight and
//! Kohlberg's balancedness (a property of the collections alone) keeps holding, so `x` is the
//! system's solution: `d x / d v(S)` is the column of the solution operator for the rows whose
//! right side is `v(S)`, and 0 for every coalition outside the system (its excess is strictly
//! below the lowest level used, or alone at its level, and a small change does not make it
//! tight). The rule for each row:
//!
//! - **two-sided** (exact): when the system is square and nonsingular (the generic case), or
//!   when a change of `v(S)` keeps an over-determined system consistent (the unit vector of
//!   its rows lies in the range of the matrix);
//! - **one-sided**: otherwise a level holds more coalitions than needed and a change of
//!   `v(S)` splits it, so the (pre)nucleolus is only directionally differentiable. The row
//!   then holds the derivative for an **increase** of `v(S)`, computed by the exact solver on
//!   the perturbed game, `(x(v + h e_S) - x(v)) / h` with `h = 1e-6` of the normalised game's
//!   spread, accepted when `h` and `h/2` give the same quotient (to `1e-6`; the map is linear
//!   on the piece, so the quotient is exact up to rounding; steps `1e-4` and `1e-8` of the
//!   spread are tried next, then [`Error::Solver`]).
//!
//! [`Sensitivity::two_sided`] tells the rows apart. The table is computed on the
//! zero-normalised game (see `solution::normal`): derivatives are invariant to additive shifts
//! and to a positive scale `c` (`d(cx) / d(cv) = dx / dv`). The nucleolus of a game with
//! `v(N) = sum v({i})` (a single imputation) has no table ([`Error::Undefined`]). Cost: one
//! nucleolus and one small least-squares solve, plus two solves per one-sided row.
//!
//! Left out: the normalised Banzhaf value (not linear: its derivative depends on the game and
//! is undefined where the raw values sum to 0).
//!
//! **Cost games**: the values are computed from the costs with the same weights, so the table
//! is `d (cost share of i) / d c(S)` with the same numbers: a higher cost of a coalition raises
//! its members' shares. For the (pre)nucleolus the table is likewise `d (cost share) / d c(S)`
//! (one-sided rows: for an increase of `c(S)`).
//!
//! Cost: the table has `(2^n - 1) n` entries, O(n 2^n) time and memory; the memory is checked
//! first ([`crate::memory::check_dense`] with `n` copies) and the allocation made fallibly.

mod piecewise;

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::fmt;
use std::str::FromStr;

use crate::cancel;
use crate::coalition::Coalition;
use crate::display::shown_together;
use crate::error::{Error, Result};
use crate::game::{Game, Kind};
use crate::memory::{check_dense, try_filled};
use crate::solution::shapley::binomial;

/// A value whose sensitivity can be tabulated (see [`Game::sensitivity`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Concept {
    /// The Shapley value.
    Shapley,
    /// The raw Banzhaf value.
    Banzhaf,
    /// The nucleolus (piecewise linear: some rows may be one-sided).
    Nucleolus,
    /// The prenucleolus (piecewise linear: some rows may be one-sided).
    Prenucleolus,
}

/// Every concept, in [`FromStr`] order.
const CONCEPTS: [Concept; 4] = [
    Concept::Shapley,
    Concept::Banzhaf,
    Concept::Nucleolus,
    Concept::Prenucleolus,
];

impl Concept {
    /// Its name, as [`FromStr`] reads it: `"shapley"`, `"banzhaf"`, `"nucleolus"` or
    /// `"prenucleolus"`.
    pub fn name(self) -> &'static str {
        match self {
            Concept::Shapley => "shapley",
            Concept::Banzhaf => "banzhaf",
            Concept::Nucleolus => "nucleolus",
            Concept::Prenucleolus => "prenucleolus",
        }
    }

    /// A label for people: "Shapley value", "Banzhaf value", "nucleolus", "prenucleolus".
    pub fn label(self) -> &'static str {
        match self {
            Concept::Shapley => "Shapley value",
            Concept::Banzhaf => "Banzhaf value",
            Concept::Nucleolus => "nucleolus",
            Concept::Prenucleolus => "prenucleolus",
        }
    }

    /// True for the linear values (Shapley, Banzhaf), whose table is the same for every game
    /// and exact in both directions.
    pub fn is_linear(self) -> bool {
        matches!(self, Concept::Shapley | Concept::Banzhaf)
    }
}

/// Reads a concept by its [name](Concept::name); an unknown name is an
/// [`Error::InvalidParameter`] for `concept`.
///
/// ```
/// use coalitional::Concept;
/// assert_eq!("shapley".parse::<Concept>(), Ok(Concept::Shapley));
/// assert_eq!("nucleolus".parse::<Concept>(), Ok(Concept::Nucleolus));
/// assert!("tau".parse::<Concept>().is_err());
/// ```
impl FromStr for Concept {
    type Err = Error;

    fn from_str(name: &str) -> Result<Concept> {
        CONCEPTS
            .into_iter()
            .find(|c| c.name() == name)
            .ok_or_else(|| Error::InvalidParameter {
                name: "concept",
                reason: format!(
                    "{name:?}; use \"shapley\", \"banzhaf\", \"nucleolus\" or \"prenucleolus\" \
                     (the normalised Banzhaf value has no sensitivity table)"
                ),
            })
    }
}

/// The [name](Concept::name).
impl fmt::Display for Concept {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One entry of a [`Sensitivity`] table.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SensitivityEntry {
    /// The coalition whose worth changes.
    pub coalition: Coalition,
    /// The player whose share moves (index).
    pub player: usize,
    /// `d x_player / d v(coalition)`.
    pub derivative: f64,
}

/// The table `d x_i / d v(S)`: one row per nonempty coalition (row `r` is the coalition with
/// bit mask `r + 1`), one column per player, and per row whether it is an exact two-sided
/// derivative or (for the (pre)nucleolus at a level that a change splits) the one-sided
/// derivative for an increase of `v(S)`. Built by [`Game::sensitivity`].
#[derive(Clone, Debug, PartialEq)]
pub struct Sensitivity {
    players: Vec<String>,
    concept: Concept,
    kind: Kind,
    /// Row-major, `(2^n - 1) × n`.
    table: Vec<f64>,
    /// Per row: two-sided (`true`) or one-sided for an increase (`false`).
    two_sided: Vec<bool>,
}

impl Sensitivity {
    /// Player names, in column order.
    pub fn players(&self) -> &[String] {
        &self.players
    }

    /// The value differentiated.
    pub fn concept(&self) -> Concept {
        self.concept
    }

    /// The game's kind: for a cost game the rows are costs `c(S)` and the entries cost shares.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// Number of rows, `2^n - 1`.
    pub fn rows(&self) -> usize {
        (1usize << self.players.len()) - 1
    }

    /// The whole table, row-major (row `r` = coalition mask `r + 1`).
    pub fn as_slice(&self) -> &[f64] {
        &self.table
    }

    /// Per row (row `r` = coalition mask `r + 1`): `true` when the row is the exact two-sided
    /// derivative, `false` when it is the one-sided derivative for an increase of the worth
    /// (the (pre)nucleolus at a level that the change splits; see the module docs). All
    /// `true` for the linear values.
    pub fn two_sided(&self) -> &[bool] {
        &self.two_sided
    }

    /// Whether the row of a nonempty coalition is two-sided (see [`Sensitivity::two_sided`]).
    ///
    /// # Panics
    /// When `s` is empty or has a player beyond the game's.
    pub fn is_two_sided(&self, s: Coalition) -> bool {
        let n = self.players.len();
        assert!(
            !s.is_empty() && s.index() <= self.rows(),
            "{s:?} is not a nonempty coalition of {n} players"
        );
        self.two_sided[s.index() - 1]
    }

    /// The number of one-sided rows.
    pub fn one_sided_rows(&self) -> usize {
        self.two_sided.iter().filter(|t| !**t).count()
    }

    /// The row of a nonempty coalition of this game's players: `d x_i / d v(S)` for every `i`.
    ///
    /// # Panics
    /// When `s` is empty or has a player beyond the game's.
    pub fn row(&self, s: Coalition) -> &[f64] {
        let n = self.players.len();
        assert!(
            !s.is_empty() && s.index() <= self.rows(),
            "{s:?} is not a nonempty coalition of {n} players"
        );
        let r = s.index() - 1;
        &self.table[r * n..(r + 1) * n]
    }

    /// The column of a player (by index): `d x_player / d v(S)` for every nonempty `S`, by mask.
    ///
    /// # Panics
    /// When `player >= n`.
    pub fn column(&self, player: usize) -> Vec<f64> {
        let n = self.players.len();
        assert!(
            player < n,
            "player index {player} is out of range for {n} players"
        );
        self.table.iter().skip(player).step_by(n).copied().collect()
    }

    /// The `k` entries largest in absolute value, largest first; ties in coalition-mask order,
    /// then player order. Cost: O(n 2^n log k).
    pub fn largest(&self, k: usize) -> Vec<SensitivityEntry> {
        let n = self.players.len();
        let k = k.min(self.table.len());
        if k == 0 {
            return Vec::new();
        }
        // A min-heap (by rank) of the best k seen: its top is the weakest kept.
        let mut heap: BinaryHeap<Ranked> = BinaryHeap::with_capacity(k + 1);
        for (at, &d) in self.table.iter().enumerate() {
            let item = Ranked { size: d.abs(), at };
            if heap.len() < k {
                heap.push(item);
            } else if heap.peek().is_some_and(|weakest| item < *weakest) {
                heap.pop();
                heap.push(item);
            }
        }
        heap.into_sorted_vec()
            .into_iter()
            .map(|r| SensitivityEntry {
                coalition: Coalition::from_mask((r.at / n + 1) as u64),
                player: r.at % n,
                derivative: self.table[r.at],
            })
            .collect()
    }
}

/// A table entry ranked for [`Sensitivity::largest`]: "less" means "comes first" (larger
/// magnitude, then earlier position), so the max-heap's top is the weakest entry kept.
#[derive(Clone, Copy, PartialEq)]
struct Ranked {
    size: f64,
    at: usize,
}

impl Eq for Ranked {}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .size
            .total_cmp(&self.size)
            .then(self.at.cmp(&other.at))
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// At most this many rows are written by `Display`; the rest are counted.
const SHOWN_ROWS: usize = 64;

/// A heading, then one line per coalition (written `{A, B}`) with a column per player, the
/// numbers rounded together at the table's scale (see `src/display.rs`); beyond 64 rows the
/// rest are counted, not written. One-sided rows have their coalition marked `+` and a note
/// at the end says what the mark means.
///
/// ```
/// use coalitional::{Concept, Game};
/// let g = Game::from_values(vec![0.0, 1.0, 2.0, 6.0]).unwrap();
/// let s = g.sensitivity(Concept::Shapley).unwrap();
/// assert_eq!(s.to_string(), "d (Shapley value) / d v(S)\nS          0     1\n{0}      0.5  -0.5\n{1}     -0.5   0.5\n{0, 1}   0.5   0.5");
/// ```
impl fmt::Display for Sensitivity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.players.len();
        let what = if self.kind == Kind::Cost { "c" } else { "v" };
        write!(f, "d ({}) / d {what}(S)", self.concept.label())?;
        let shown_rows = self.rows().min(SHOWN_ROWS);
        let numbers = shown_together(&self.table[..shown_rows * n], None);
        let mut lines: Vec<Vec<String>> = Vec::with_capacity(shown_rows + 1);
        lines.push(
            std::iter::once("S".to_string())
                .chain(self.players.iter().cloned())
                .collect(),
        );
        for r in 0..shown_rows {
            let s = Coalition::from_mask(r as u64 + 1);
            let mark = if self.two_sided[r] { "" } else { " +" };
            lines.push(
                std::iter::once(format!("{}{mark}", s.names(&self.players)))
                    .chain(numbers[r * n..(r + 1) * n].iter().cloned())
                    .collect(),
            );
        }
        let widths: Vec<usize> = (0..=n)
            .map(|c| {
                lines
                    .iter()
                    .map(|l| l[c].chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        for line in &lines {
            writeln!(f)?;
            write!(f, "{:<w$}", line[0], w = widths[0])?;
            for c in 1..=n {
                write!(f, "  {:>w$}", line[c], w = widths[c])?;
            }
        }
        if self.rows() > shown_rows {
            write!(f, "\n… {} more coalitions", self.rows() - shown_rows)?;
        }
        let one_sided = self.one_sided_rows();
        if one_sided > 0 {
            write!(
                f,
                "\n+ one-sided ({one_sided} of {} rows): the derivative for an increase of {what}(S)",
                self.rows()
            )?;
        }
        Ok(())
    }
}

impl Game {
    /// How much each player's share moves per unit change of each coalition's worth:
    /// the table `d x_i / d v(S)` (see [`crate::solution::sensitivity`] for the formulas, the
    /// rule and the sources).
    ///
    /// Shapley: `(s-1)!(n-s)!/n!` for members of `S` (`s = |S|`), `-s!(n-s-1)!/n!` for the
    /// others (Shapley 1953). Raw Banzhaf: `±2^-(n-1)`. Exact and independent of the worths
    /// (the values are linear); for a cost game the entries are `d x_i / d c(S)`, the same
    /// numbers. [`Sensitivity::largest`] lists the model runs whose precision matters most.
    ///
    /// Nucleolus and prenucleolus: piecewise linear, so the table depends on the game. The
    /// rows of the coalitions in the tight excess levels that determine the point come from
    /// the solution operator of their linear system (two-sided, exact); every other row is 0.
    /// Where a level holds more coalitions than needed, a change of one of their worths splits
    /// it: those rows hold the one-sided derivative for an increase, by the exact solver on the
    /// perturbed game, and [`Sensitivity::two_sided`] marks them `false`.
    ///
    /// Cost: O(n 2^n) time and memory, plus one nucleolus and, for the one-sided rows of the
    /// (pre)nucleolus, two more per row. Fails with [`Error::TooLarge`] (or
    /// [`Error::LimitExceeded`]) when the `(2^n - 1) n` table does not fit, with
    /// [`Error::Interrupted`] when cancelled (see [`crate::cancel`]), as the nucleolus fails,
    /// and with [`Error::Undefined`] for the nucleolus of a game with `v(N) = sum v({i})`.
    ///
    /// # Example
    /// ```
    /// use coalitional::{Coalition, Concept, Game};
    /// let g = Game::from_fn(vec!["A".into(), "B".into(), "C".into()], |s| s.len() as f64).unwrap();
    /// let t = g.sensitivity(Concept::Shapley).unwrap();
    /// // v({A}) enters phi_A with weight 0!2!/3! = 1/3 and phi_B with -1!1!/3! = -1/6.
    /// let row = t.row(Coalition::singleton(0));
    /// assert!((row[0] - 1.0 / 3.0).abs() < 1e-15 && (row[1] + 1.0 / 6.0).abs() < 1e-15);
    ///
    /// // Two players: the nucleolus splits the surplus equally, x_A = (v(N) + v(A) - v(B)) / 2.
    /// let g = Game::from_values(vec![0.0, 1.0, 2.0, 6.0]).unwrap();
    /// let t = g.sensitivity(Concept::Nucleolus).unwrap();
    /// assert!((t.row(Coalition::singleton(1))[0] + 0.5).abs() < 1e-12);
    /// assert!(t.two_sided().iter().all(|&b| b));
    /// ```
    pub fn sensitivity(&self, concept: Concept) -> Result<Sensitivity> {
        let n = self.n();
        check_dense(n, n as u32)?;
        let rows = (1usize << n) - 1;
        let mut table = try_filled(rows * n, 0.0f64, n)?;
        let mut two_sided = try_filled(rows, true, 1)?;
        if !concept.is_linear() {
            piecewise::fill(
                self,
                concept == Concept::Nucleolus,
                &mut table,
                &mut two_sided,
            )?;
            return Ok(Sensitivity {
                players: self.players().to_vec(),
                concept,
                kind: self.kind(),
                table,
                two_sided,
            });
        }
        // (inside, outside) derivative by coalition size s = 0..=n.
        let weights: Vec<(f64, f64)> = (0..=n)
            .map(|s| match concept {
                Concept::Shapley => {
                    let nf = n as f64;
                    let w_in = if s == 0 {
                        0.0
                    } else {
                        1.0 / (nf * binomial(n - 1, s - 1))
                    };
                    let w_out = if s >= n {
                        0.0
                    } else {
                        1.0 / (nf * binomial(n - 1, s))
                    };
                    (w_in, -w_out)
                }
                Concept::Banzhaf => {
                    let w = 0.5f64.powi(n as i32 - 1);
                    (w, -w)
                }
                Concept::Nucleolus | Concept::Prenucleolus => (0.0, 0.0),
            })
            .collect();
        for (r, row) in table.chunks_exact_mut(n).enumerate() {
            if r % 4096 == 0 {
                cancel::check()?;
            }
            let s = Coalition::from_mask(r as u64 + 1);
            let (inside, outside) = weights[s.len()];
            for (i, d) in row.iter_mut().enumerate() {
                *d = if s.contains(i) { inside } else { outside };
            }
        }
        Ok(Sensitivity {
            players: self.players().to_vec(),
            concept,
            kind: self.kind(),
            table,
            two_sided,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn largest_orders_by_magnitude_then_position() {
        let s = Sensitivity {
            players: vec!["A".into(), "B".into()],
            concept: Concept::Shapley,
            kind: Kind::Value,
            table: vec![0.5, -2.0, 1.0, 2.0, -0.1, 0.0],
            two_sided: vec![true; 3],
        };
        let top: Vec<(u64, usize, f64)> = s
            .largest(4)
            .into_iter()
            .map(|e| (e.coalition.mask(), e.player, e.derivative))
            .collect();
        assert_eq!(
            top,
            vec![(1, 1, -2.0), (2, 1, 2.0), (2, 0, 1.0), (1, 0, 0.5)]
        );
        assert_eq!(s.largest(100).len(), 6);
        assert!(s.largest(0).is_empty());
        assert_eq!(s.column(1), vec![-2.0, 2.0, 0.0]);
        assert_eq!(s.row(Coalition::from_mask(3)), &[-0.1, 0.0]);
    }
}
