//! Power indices of simple games beyond Shapley–Shubik and Banzhaf: Johnston, Deegan–Packel,
//! Holler's public good index and Coleman's three measures, with the swing counts and the
//! minimal winning coalitions they are built from.
//!
//! A *simple game* has worths 0 or 1, is monotone (`S ⊆ T` and `v(S) = 1` imply `v(T) = 1`)
//! and has `v(N) = 1` (with `v(∅) = 0`). `W` is the set of winning coalitions, `L` the losing
//! ones; player `i` is *critical* in a winning `S` when `S \ {i}` loses; `C(S)` is the set of
//! critical players of `S`; `S` is *minimal winning* when `C(S) = S`, and `M` is the set of
//! minimal winning coalitions (`M_i` those containing `i`). With `η_i` the number of winning
//! `S` in which `i` is critical (the swings):
//!
//! - **Johnston** (R. J. Johnston, "On the measurement of power: some reactions to Laver",
//!   *Environment and Planning A* 10, 1978): `J_i = Σ_{S ∈ W, i ∈ C(S)} 1/|C(S)|`, normalised
//!   to sum 1 (the total is the number of winning coalitions with a critical player);
//! - **Deegan–Packel** (J. Deegan and E. W. Packel, "A new index of power for simple n-person
//!   games", *Int. J. Game Theory* 7, 1978): `ρ_i = (1/|M|) Σ_{S ∈ M_i} 1/|S|`;
//! - **Holler's public good index** (M. J. Holler, "Forming coalitions and measuring voting
//!   power", *Political Studies* 30, 1982): `h_i = |M_i| / Σ_j |M_j|`;
//! - **Coleman** (J. S. Coleman, "Control of collectivities and the power of a collectivity to
//!   act", in Lieberman (ed.), *Social Choice*, 1971): the power to prevent action `η_i / |W|`,
//!   the power to initiate action `η_i / |L|`, and the power of the collectivity to act
//!   `|W| / 2^n`.
//!
//! The Shapley–Shubik index and the normalised Banzhaf index `η_i / Σ_j η_j` come along for
//! comparison. Every count is an exact integer (`u128`); each index is a ratio of exact
//! counts (Johnston and Deegan–Packel a sum of `n` such ratios), rounded to `f64` at the end.
//! The exact tables behind Johnston and Deegan–Packel are kept ([`PowerIndices::johnston_counts`],
//! [`PowerIndices::minimal_winning_counts`]) so that tests and users can check them exactly.
//!
//! For a dense [`Game`] ([`Game::power_indices`]) one pass over the `2^n` coalitions, `O(n 2^n)`;
//! for a weighted majority game without its `2^n` values, see
//! [`WeightedVoting::power_indices`](crate::WeightedVoting::power_indices).

use std::fmt;

use crate::coalition::Coalition;
use crate::display::shown_together;
use crate::error::{Error, Result};
use crate::game::{Game, Kind};
use crate::solution::Allocation;

/// The power indices of a simple game (see the [module docs](self) for the definitions and
/// sources). Built by [`Game::power_indices`] or
/// [`WeightedVoting::power_indices`](crate::WeightedVoting::power_indices).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct PowerIndices {
    players: Vec<String>,
    swings: Vec<u128>,
    winning: u128,
    losing: u128,
    johnston_counts: Vec<Vec<u128>>,
    minimal_winning_counts: Vec<Vec<u128>>,
    minimal_winning: Option<Vec<Vec<usize>>>,
    vulnerable: u128,
    minimal_winning_count: u128,
    johnston: Allocation,
    deegan_packel: Allocation,
    holler: Allocation,
    coleman_prevent: Allocation,
    coleman_initiate: Allocation,
    coleman_collectivity: f64,
    shapley_shubik: Allocation,
    banzhaf: Allocation,
}

/// The exact counts a [`PowerIndices`] is made from (shared by the dense and the weighted
/// voting computations).
pub(crate) struct Counts {
    /// `η_i`.
    pub swings: Vec<u128>,
    /// `|W|`.
    pub winning: u128,
    /// `|L|`.
    pub losing: u128,
    /// `[i][k]`: winning coalitions with exactly `k` critical players, `i` among them.
    pub johnston: Vec<Vec<u128>>,
    /// `[i][s]`: minimal winning coalitions of size `s` containing `i`.
    pub minimal: Vec<Vec<u128>>,
    /// The number of winning coalitions with a critical player.
    pub vulnerable: u128,
    /// `|M|`.
    pub minimal_count: u128,
    /// The minimal winning coalitions (member indices, increasing), when listed.
    pub listed: Option<Vec<Vec<usize>>>,
}

/// `Σ_k row[k] / k` in `f64` (terms rounded once each).
fn harmonic(row: &[u128]) -> f64 {
    row.iter()
        .enumerate()
        .skip(1)
        .map(|(k, &c)| c as f64 / k as f64)
        .sum()
}

/// `x / total` for each `x` (0 for a zero total).
fn ratios(xs: impl IntoIterator<Item = f64>, total: f64) -> Vec<f64> {
    xs.into_iter()
        .map(|x| if total > 0.0 { x / total } else { 0.0 })
        .collect()
}

impl PowerIndices {
    /// The indices from exact counts; `shapley_shubik` is computed by the caller.
    pub(crate) fn from_counts(
        players: Vec<String>,
        counts: Counts,
        shapley_shubik: Allocation,
    ) -> PowerIndices {
        let n = players.len();
        let alloc = |values: Vec<f64>| Allocation::from_parts(&players, values, Kind::Value);
        let (vulnerable, minimal_winning_count) = (counts.vulnerable, counts.minimal_count);
        let johnston = alloc(ratios(
            counts.johnston.iter().map(|r| harmonic(r)),
            vulnerable as f64,
        ));
        let deegan_packel = alloc(ratios(
            counts.minimal.iter().map(|r| harmonic(r)),
            minimal_winning_count as f64,
        ));
        // Σ_j |M_j| = Σ_{S ∈ M} |S| may pass u128 at n = 128: totals in f64.
        let holler_raw: Vec<f64> = counts
            .minimal
            .iter()
            .map(|r| r.iter().sum::<u128>() as f64)
            .collect();
        let holler_total: f64 = holler_raw.iter().sum();
        let holler = alloc(ratios(holler_raw, holler_total));
        let eta = || counts.swings.iter().map(|&c| c as f64);
        let coleman_prevent = alloc(ratios(eta(), counts.winning as f64));
        let coleman_initiate = alloc(ratios(eta(), counts.losing as f64));
        let swing_total: f64 = eta().sum();
        let banzhaf = alloc(ratios(eta(), swing_total));
        let coleman_collectivity = counts.winning as f64 * 0.5f64.powi(n as i32);
        PowerIndices {
            swings: counts.swings,
            winning: counts.winning,
            losing: counts.losing,
            johnston_counts: counts.johnston,
            minimal_winning_counts: counts.minimal,
            minimal_winning: counts.listed,
            vulnerable,
            minimal_winning_count,
            johnston,
            deegan_packel,
            holler,
            coleman_prevent,
            coleman_initiate,
            coleman_collectivity,
            shapley_shubik,
            banzhaf,
            players,
        }
    }

    /// Player names.
    pub fn players(&self) -> &[String] {
        &self.players
    }

    /// The Johnston index (normalised).
    pub fn johnston(&self) -> &Allocation {
        &self.johnston
    }

    /// The Deegan–Packel index.
    pub fn deegan_packel(&self) -> &Allocation {
        &self.deegan_packel
    }

    /// Holler's public good index.
    pub fn holler(&self) -> &Allocation {
        &self.holler
    }

    /// Coleman's power to prevent action, `η_i / |W|`.
    pub fn coleman_prevent(&self) -> &Allocation {
        &self.coleman_prevent
    }

    /// Coleman's power to initiate action, `η_i / |L|`.
    pub fn coleman_initiate(&self) -> &Allocation {
        &self.coleman_initiate
    }

    /// Coleman's power of the collectivity to act, `|W| / 2^n`.
    pub fn coleman_collectivity(&self) -> f64 {
        self.coleman_collectivity
    }

    /// The Shapley–Shubik index, for comparison.
    pub fn shapley_shubik(&self) -> &Allocation {
        &self.shapley_shubik
    }

    /// The normalised Banzhaf index `η_i / Σ_j η_j`, for comparison.
    pub fn banzhaf(&self) -> &Allocation {
        &self.banzhaf
    }

    /// The swing counts `η_i`, exact.
    pub fn swings(&self) -> &[u128] {
        &self.swings
    }

    /// `|W|`, the number of winning coalitions.
    pub fn winning_count(&self) -> u128 {
        self.winning
    }

    /// `|L|`, the number of losing coalitions (`|W| + |L| = 2^n`).
    pub fn losing_count(&self) -> u128 {
        self.losing
    }

    /// The number of winning coalitions with at least one critical player (the Johnston
    /// total).
    pub fn vulnerable_count(&self) -> u128 {
        self.vulnerable
    }

    /// `|M|`, the number of minimal winning coalitions.
    pub fn minimal_winning_count(&self) -> u128 {
        self.minimal_winning_count
    }

    /// `[i][k]` (`k = 0..=n`): the number of winning coalitions with exactly `k` critical
    /// players, player `i` among them; `J_i = Σ_k [i][k] / k`.
    pub fn johnston_counts(&self) -> &[Vec<u128>] {
        &self.johnston_counts
    }

    /// `[i][s]` (`s = 0..=n`): the number of minimal winning coalitions of `s` members that
    /// contain player `i`.
    pub fn minimal_winning_counts(&self) -> &[Vec<u128>] {
        &self.minimal_winning_counts
    }

    /// The minimal winning coalitions as member indices (increasing; coalitions in
    /// increasing bit-mask order), when they were listed: always for a dense game; for a
    /// weighted majority game use
    /// [`WeightedVoting::minimal_winning`](crate::WeightedVoting::minimal_winning).
    pub fn minimal_winning(&self) -> Option<&[Vec<usize>]> {
        self.minimal_winning.as_deref()
    }
}

/// A players × indices table: Johnston, Deegan–Packel, Holler, Coleman prevent and initiate,
/// Shapley–Shubik and normalised Banzhaf, then the collectivity's power and `|M|`.
impl fmt::Display for PowerIndices {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let columns: [(&str, &Allocation); 7] = [
            ("johnston", &self.johnston),
            ("deegan_packel", &self.deegan_packel),
            ("holler", &self.holler),
            ("coleman_prevent", &self.coleman_prevent),
            ("coleman_initiate", &self.coleman_initiate),
            ("shapley_shubik", &self.shapley_shubik),
            ("banzhaf", &self.banzhaf),
        ];
        let shown: Vec<Vec<String>> = columns
            .iter()
            .map(|(_, a)| shown_together(a.values(), Some(1.0)))
            .collect();
        let name_width = self
            .players
            .iter()
            .map(|p| p.chars().count())
            .max()
            .unwrap_or(0)
            .max(6);
        write!(f, "{:<name_width$}", "player")?;
        let widths: Vec<usize> = columns
            .iter()
            .zip(&shown)
            .map(|((h, _), col)| {
                col.iter()
                    .map(|s| s.chars().count())
                    .max()
                    .unwrap_or(0)
                    .max(h.len())
            })
            .collect();
        for ((h, _), w) in columns.iter().zip(&widths) {
            write!(f, "  {h:>w$}")?;
        }
        for (i, p) in self.players.iter().enumerate() {
            write!(f, "\n{p:<name_width$}")?;
            for (col, w) in shown.iter().zip(&widths) {
                write!(f, "  {:>w$}", col[i])?;
            }
        }
        write!(
            f,
            "\ncoleman_collectivity  {}\nminimal winning coalitions  {}",
            shown_together(&[self.coleman_collectivity], Some(1.0))[0],
            self.minimal_winning_count
        )
    }
}

/// The coalition `mask` written with the game's names.
fn named(game: &Game, mask: usize) -> String {
    Coalition::from_mask(mask as u64)
        .names(game.players())
        .to_string()
}

/// Checks that `game` is a simple game; the error names the first coalition that breaks it.
fn check_simple(game: &Game) -> Result<()> {
    if game.kind() == Kind::Cost {
        return Err(Error::Undefined {
            concept: "power indices",
            reason: "a cost game is not a simple game; build the voting game as a value game"
                .into(),
        });
    }
    let v = game.values();
    if let Some(mask) = v.iter().position(|&x| x != 0.0 && x != 1.0) {
        return Err(Error::NotSimple {
            coalition: named(game, mask),
            reason: format!(
                "its worth is {}, but a simple game's worths are 0 or 1",
                v[mask]
            ),
        });
    }
    let full = v.len() - 1;
    if v[full] != 1.0 {
        return Err(Error::NotSimple {
            coalition: named(game, full),
            reason: "the grand coalition loses (v(N) = 0); it must win".into(),
        });
    }
    for (mask, &x) in v.iter().enumerate() {
        if x != 1.0 {
            continue;
        }
        for i in 0..game.n() {
            let bigger = mask | 1 << i;
            if v[bigger] == 0.0 {
                return Err(Error::NotSimple {
                    coalition: named(game, mask),
                    reason: format!(
                        "it wins but adding {} makes it lose, so the game is not monotone",
                        game.players()[i]
                    ),
                });
            }
        }
    }
    Ok(())
}

impl Game {
    /// Johnston, Deegan–Packel, Holler (public good), Coleman (prevent, initiate,
    /// collectivity), with the swings, the minimal winning coalitions and, for comparison,
    /// the Shapley–Shubik and normalised Banzhaf indices of a simple game (see
    /// [`crate::solution::power`] for the formulas and sources).
    ///
    /// One pass over the `2^n` coalitions, `O(n 2^n)`, with exact integer counts.
    ///
    /// # Errors
    /// [`Error::NotSimple`] naming a coalition whose worth is not 0 or 1, a winning coalition
    /// that loses when a player joins (not monotone), or the grand coalition when it loses;
    /// [`Error::Undefined`] for a cost game.
    ///
    /// # Example
    /// The 3-player majority game with a veto player `[3; 2, 1, 1]`: minimal winning
    /// coalitions {A, B} and {A, C}, so Holler gives A 2/4 and B, C 1/4 each; Deegan–Packel
    /// gives A (1/2 + 1/2)/2 = 1/2, B and C 1/4.
    /// ```
    /// use coalitional::Game;
    /// let g = Game::from_fn(vec!["A".into(), "B".into(), "C".into()], |s| {
    ///     let w: u32 = s.members().map(|i| [2, 1, 1][i]).sum();
    ///     if w >= 3 { 1.0 } else { 0.0 }
    /// })?;
    /// let p = g.power_indices()?;
    /// assert_eq!(p.minimal_winning_count(), 2);
    /// assert_eq!(p.holler().values(), &[0.5, 0.25, 0.25]);
    /// assert_eq!(p.deegan_packel().values(), &[0.5, 0.25, 0.25]);
    /// // A is critical in {A,B}, {A,C} (with B, C) and {A,B,C} (alone): Johnston 1/2+1/2+1 of 3.
    /// assert!((p.johnston()["A"] - 2.0 / 3.0).abs() < 1e-15);
    /// # Ok::<(), coalitional::Error>(())
    /// ```
    pub fn power_indices(&self) -> Result<PowerIndices> {
        check_simple(self)?;
        let n = self.n();
        let v = self.values();
        let mut counts = Counts {
            swings: vec![0; n],
            winning: 0,
            losing: 0,
            johnston: vec![vec![0; n + 1]; n],
            minimal: vec![vec![0; n + 1]; n],
            vulnerable: 0,
            minimal_count: 0,
            listed: Some(Vec::new()),
        };
        let mut critical = Vec::with_capacity(n);
        for (mask, &x) in v.iter().enumerate() {
            if x == 0.0 {
                counts.losing += 1;
                continue;
            }
            counts.winning += 1;
            critical.clear();
            critical.extend((0..n).filter(|&i| mask >> i & 1 == 1 && v[mask ^ 1 << i] == 0.0));
            let k = critical.len();
            counts.vulnerable += u128::from(k > 0);
            for &i in &critical {
                counts.swings[i] += 1;
                counts.johnston[i][k] += 1;
            }
            if k == mask.count_ones() as usize {
                counts.minimal_count += 1;
                for &i in &critical {
                    counts.minimal[i][k] += 1;
                }
                if let Some(list) = counts.listed.as_mut() {
                    list.push(critical.clone());
                }
            }
        }
        Ok(PowerIndices::from_counts(
            self.players().to_vec(),
            counts,
            self.shapley(),
        ))
    }
}
