//! Cooperative interval games: every worth is only known to lie in a range.
//!
//! An interval game (Alparslan Gök, Branzei and Tijs, *Convex interval games*, Journal of
//! Applied Mathematics and Decision Sciences, 2009; Branzei, Branzei, Alparslan Gök and Tijs,
//! *Cooperative interval games: a survey*, Central European Journal of Operations Research 18,
//! 2010) gives every coalition `S` an interval
//! `[l(S), u(S)]` with `l(∅) = u(∅) = 0`; any game `v` with `l <= v <= u` (a *selection*) may
//! be the true one. [`IntervalGame`] stores the two bounding games `l` and `u` (each a
//! validated [`Game`]).
//!
//! # Exact bounds of linear values
//!
//! A linear value is `phi_i(v) = sum_S c_i(S) v(S)`. Over the box, its smallest value is
//! `sum_{c_i(S) > 0} c_i(S) l(S) + sum_{c_i(S) < 0} c_i(S) u(S)`, attained by the selection
//! that takes `l` where the coefficient is positive and `u` where it is negative (one vertex of
//! the box per player, not one for all players). The Shapley value, the Banzhaf value, every
//! marginal vector and the Owen value are all weighted sums of marginal contributions
//! `v(S ∪ i) - v(S)` (`i ∉ S`) with nonnegative weights, so `c_i(S) >= 0` when `i ∈ S` and
//! `c_i(S) <= 0` when `i ∉ S`; hence
//!
//! `phi_i^lo = phi_i(w_i)`, `w_i(S) = l(S)` if `i ∈ S`, `u(S)` otherwise,
//!
//! and `phi_i^hi` likewise with `l` and `u` exchanged. For Shapley and Banzhaf this is
//! `sum_{S ∌ i} p(S) (l(S ∪ i) - u(S))` with the value's weights `p`, computed for all players
//! in one pass, `O(n 2^n)`; for a marginal vector `l(P ∪ i) - u(P)` with `P` the players
//! before `i`, `O(n)`; for the Owen value one Owen computation per player on `w_i`. The
//! results are [`IntervalAllocation`]s. (The interval Shapley value of Alparslan Gök et al.,
//! `phi(u) - phi(l)` read as an interval, exists only for size-monotonic games and is in
//! general narrower than these bounds, which are the exact range of the value over the box.)
//!
//! # Robust core
//!
//! The *robust core* here is the set of payoff vectors that are stable and affordable in every
//! selection: for value games
//!
//! `RC = {x : x(S) >= u(S) for every proper nonempty S, x(N) <= l(N)}`
//!
//! (for cost games `x(S) <= l(S)` and `x(N) >= u(N)`), the intersection over `l <= v <= u`
//! of `{x : x(S) >= v(S) for S ≠ N, x(N) <= v(N)}`: no coalition can ever object, and the
//! grand coalition can always pay. This is the robust-optimisation counterpart (the robust
//! feasible set of the core's linear system, Ben-Tal and Nemirovski, *Robust solutions of
//! uncertain linear programs*, Operations Research Letters 25, 1999) rather than a concept from
//! the interval-game papers, whose interval core allocates intervals. `RC` is nonempty iff the
//! core of the *pessimistic game* `p` (`p(S) = u(S)` for proper `S`, `p(N) = l(N)`) is
//! nonempty, and then every core point of `p` is in `RC` (and every point of `RC` can be
//! raised to one by giving the slack `l(N) - x(N)` to anyone). It is computed with
//! [`Game::core_is_empty`] and [`Game::least_core`] on `p`.
//!
//! # Sampled range of the nucleolus
//!
//! The nucleolus is not linear, so its range over the box is not attained at a known vertex.
//! [`IntervalGame::nucleolus_range`] draws `m` games with every `v(S)` independently uniform
//! in `[l(S), u(S)]` and reports, per player, the smallest and largest nucleolus share seen.
//! This is an inner estimate of the range (it only narrows the true one) with a stated
//! coverage: for `m` i.i.d. draws of a continuous share, the interval `[min, max]` covers a
//! fresh draw with probability `(m - 1) / (m + 1)` (order statistics: the fresh draw is
//! equally likely to take any of the `m + 1` ranks), and the probability mass it covers
//! exceeds `p` with confidence `1 - m p^{m-1} + (m - 1) p^m` (S. S. Wilks, *Determination of
//! sample sizes for setting tolerance limits*, Annals of Mathematical Statistics 12, 1941:
//! the covered mass is Beta(`m - 1`, 2)). Both statements are about the distribution of the
//! uniform draw over the box (conditioned on the nucleolus being defined), not a bound on the
//! whole range.

use std::fmt;

use crate::coalition::Coalition;
use crate::error::{Error, Result};
use crate::game::{Game, Kind};
use crate::solution::sampling::rng::Rng;
use crate::solution::Allocation;

/// A cooperative interval game: worths known to lie in `[lower(S), upper(S)]` (see the
/// [module documentation](self)).
#[derive(Clone, Debug, PartialEq)]
pub struct IntervalGame {
    lower: Game,
    upper: Game,
}

/// Lower and upper bounds of a value, per player: `lower[i] <= phi_i(v) <= upper[i]` for every
/// game `v` in the box, and both bounds are attained.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct IntervalAllocation {
    /// Player names, in order.
    pub players: Vec<String>,
    /// The smallest value of each player over the box.
    pub lower: Vec<f64>,
    /// The largest value of each player over the box.
    pub upper: Vec<f64>,
}

/// Per-player smallest and largest (pre)nucleolus share over games drawn uniformly from the
/// box (see [`IntervalGame::nucleolus_range`]).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct SampledRange {
    /// The per-player minimum (`lower`) and maximum (`upper`) over the draws.
    pub range: IntervalAllocation,
    /// `"nucleolus"` or `"prenucleolus"`.
    pub concept: &'static str,
    /// Draws whose (pre)nucleolus was computed: `m` of the coverage statements.
    pub samples: usize,
    /// Draws for which the nucleolus was undefined (no imputation: `v(N) < sum v({i})`),
    /// left out.
    pub undefined: usize,
    /// The seed of the draws.
    pub seed: u64,
}

impl SampledRange {
    /// The probability that `[min, max]` of one player covers that player's share in a fresh
    /// draw: `(m - 1) / (m + 1)` (0 when `m < 2`).
    pub fn expected_coverage(&self) -> f64 {
        let m = self.samples as f64;
        if self.samples < 2 {
            0.0
        } else {
            (m - 1.0) / (m + 1.0)
        }
    }

    /// The confidence that `[min, max]` of one player covers at least the fraction `p` of the
    /// distribution of that player's share (Wilks 1941): `1 - m p^{m-1} + (m - 1) p^m`.
    /// [`Error::InvalidParameter`] (`p`) unless `0 <= p <= 1`.
    pub fn confidence(&self, p: f64) -> Result<f64> {
        if !(0.0..=1.0).contains(&p) {
            return Err(Error::InvalidParameter {
                name: "p",
                reason: format!("{p} is not a probability in [0, 1]"),
            });
        }
        if self.samples < 2 {
            // One draw covers no mass (a point); no draw covers nothing.
            return Ok(if p == 0.0 { 1.0 } else { 0.0 });
        }
        let m = self.samples as f64;
        let pm1 = p.powi(self.samples as i32 - 1);
        Ok((1.0 - m * pm1 + (m - 1.0) * pm1 * p).clamp(0.0, 1.0))
    }
}

impl IntervalGame {
    /// An interval game from the `2^n` lower and upper worths (index = bit mask), with names.
    ///
    /// Both vectors are validated as a [`Game`] (length `2^n`, zero at the empty coalition,
    /// finite); in addition `lower[S] <= upper[S]` must hold everywhere, otherwise
    /// [`Error::InvalidParameter`] names the first coalition where it fails.
    ///
    /// # Example
    /// ```
    /// use coalitional::{IntervalGame, Kind};
    /// let names = vec!["A".to_string(), "B".into()];
    /// let g = IntervalGame::new(names, vec![0.0, 0.0, 0.0, 4.0], vec![0.0, 1.0, 0.0, 6.0],
    ///     Kind::Value).unwrap();
    /// let phi = g.shapley();
    /// // phi_A = (v(A) + v(AB) - v(B)) / 2 ranges over [(0 + 4 - 0) / 2, (1 + 6 - 0) / 2].
    /// assert_eq!((phi.lower[0], phi.upper[0]), (2.0, 3.5));
    /// ```
    pub fn new(players: Vec<String>, lower: Vec<f64>, upper: Vec<f64>, kind: Kind) -> Result<Self> {
        let lower = Game::with_kind(players.clone(), lower, kind)?;
        let upper = Game::with_kind(players, upper, kind)?;
        let names = lower.players();
        for (s, (&l, &u)) in lower.values().iter().zip(upper.values()).enumerate() {
            if l > u {
                let c = Coalition::from_mask(s as u64);
                return Err(Error::InvalidParameter {
                    name: "interval bounds",
                    reason: format!(
                        "coalition {} (index {s}) has lower bound {l} above its upper bound {u}; \
                         every coalition needs lower <= upper",
                        c.display_with(names)
                    ),
                });
            }
        }
        Ok(IntervalGame { lower, upper })
    }

    /// The game of lower bounds.
    pub fn lower_game(&self) -> &Game {
        &self.lower
    }

    /// The game of upper bounds.
    pub fn upper_game(&self) -> &Game {
        &self.upper
    }

    /// Player names, in order.
    pub fn players(&self) -> &[String] {
        self.lower.players()
    }

    /// The number of players.
    pub fn n(&self) -> usize {
        self.lower.n()
    }

    /// The game's kind (values or costs).
    pub fn kind(&self) -> Kind {
        self.lower.kind()
    }

    /// `w_i` of the module documentation: `a` on coalitions containing `i`, `b` elsewhere.
    fn mixed(&self, i: usize, low: bool) -> Result<Game> {
        let (a, b) = self.pair(low);
        let values = (0..a.len())
            .map(|s| if s >> i & 1 == 1 { a[s] } else { b[s] })
            .collect();
        Game::with_kind(self.players().to_vec(), values, self.kind())
    }

    /// (values taken where the coefficient is positive, values taken where it is negative).
    fn pair(&self, low: bool) -> (&[f64], &[f64]) {
        if low {
            (self.lower.values(), self.upper.values())
        } else {
            (self.upper.values(), self.lower.values())
        }
    }

    /// `sum_{S ∌ i} p(|S|) (a(S ∪ i) - b(S))` for every player, in one pass over the masks.
    fn weighted_contributions(&self, weight: &[f64], low: bool) -> Vec<f64> {
        let n = self.n();
        let (a, b) = self.pair(low);
        let mut out = vec![0.0; n];
        for s in 0..a.len() {
            let size = (s as u64).count_ones() as usize;
            for (i, o) in out.iter_mut().enumerate() {
                if s >> i & 1 == 0 {
                    *o += weight[size] * (a[s | 1 << i] - b[s]);
                }
            }
        }
        out
    }

    fn bounds(&self, weight: &[f64]) -> IntervalAllocation {
        IntervalAllocation {
            players: self.players().to_vec(),
            lower: self.weighted_contributions(weight, true),
            upper: self.weighted_contributions(weight, false),
        }
    }

    /// Exact bounds of the Shapley value over the box:
    /// `phi_i^lo = sum_{S ∌ i} |S|! (n - |S| - 1)! / n! (l(S ∪ i) - u(S))`, and `phi_i^hi`
    /// with `l`, `u` exchanged. Cost: `O(n 2^n)`.
    pub fn shapley(&self) -> IntervalAllocation {
        let n = self.n();
        // w(0) = 1/n, w(s + 1) = w(s) (s + 1) / (n - 1 - s).
        let mut weight = vec![0.0; n];
        weight[0] = 1.0 / n as f64;
        for s in 0..n - 1 {
            weight[s + 1] = weight[s] * (s + 1) as f64 / (n - 1 - s) as f64;
        }
        self.bounds(&weight)
    }

    /// Exact bounds of the raw Banzhaf value over the box:
    /// `beta_i^lo = 2^{1-n} sum_{S ∌ i} (l(S ∪ i) - u(S))`. Cost: `O(n 2^n)`.
    pub fn banzhaf(&self) -> IntervalAllocation {
        let n = self.n();
        let w = 0.5f64.powi(n as i32 - 1);
        self.bounds(&vec![w; n])
    }

    /// Exact bounds of the marginal vector of a joining order (player indices, each once):
    /// `m_i^lo = l(P_i ∪ i) - u(P_i)`, `P_i` the players before `i`. Cost: `O(n)`.
    pub fn marginal_vector(&self, order: &[usize]) -> Result<IntervalAllocation> {
        // Validates the order.
        self.lower.marginal_vector(order)?;
        let n = self.n();
        let (l, u) = (self.lower.values(), self.upper.values());
        let (mut lo, mut hi) = (vec![0.0; n], vec![0.0; n]);
        let mut before = 0usize;
        for &i in order {
            let with = before | 1 << i;
            lo[i] = l[with] - u[before];
            hi[i] = u[with] - l[before];
            before = with;
        }
        Ok(IntervalAllocation {
            players: self.players().to_vec(),
            lower: lo,
            upper: hi,
        })
    }

    /// [`IntervalGame::marginal_vector`] with the order given by player names.
    pub fn marginal_vector_by_name<S: AsRef<str>>(
        &self,
        order: &[S],
    ) -> Result<IntervalAllocation> {
        let idx = order
            .iter()
            .map(|p| self.lower.player_index(p.as_ref()))
            .collect::<Result<Vec<_>>>()?;
        self.marginal_vector(&idx)
    }

    /// Exact bounds of the Owen value for unions (lists of player indices partitioning the
    /// players): `phi_i^lo` is player `i`'s Owen value in the game `w_i` of the module
    /// documentation. Cost: `2n` Owen values.
    pub fn owen(&self, unions: &[Vec<usize>]) -> Result<IntervalAllocation> {
        // Validates the unions once.
        self.lower.owen(unions)?;
        let n = self.n();
        let (mut lo, mut hi) = (vec![0.0; n], vec![0.0; n]);
        for i in 0..n {
            lo[i] = self.mixed(i, true)?.owen(unions)?.values()[i];
            hi[i] = self.mixed(i, false)?.owen(unions)?.values()[i];
        }
        Ok(IntervalAllocation {
            players: self.players().to_vec(),
            lower: lo,
            upper: hi,
        })
    }

    /// [`IntervalGame::owen`] with the unions given by player names.
    pub fn owen_by_name<S: AsRef<str>>(&self, unions: &[Vec<S>]) -> Result<IntervalAllocation> {
        let idx = unions
            .iter()
            .map(|u| {
                u.iter()
                    .map(|p| self.lower.player_index(p.as_ref()))
                    .collect::<Result<Vec<_>>>()
            })
            .collect::<Result<Vec<_>>>()?;
        self.owen(&idx)
    }

    /// The pessimistic game whose core is the robust core up to slack (module documentation):
    /// `u(S)` on proper coalitions and `l(N)` (cost games: `l(S)` and `u(N)`).
    pub fn pessimistic_game(&self) -> Game {
        let (proper, grand) = match self.kind() {
            Kind::Value => (&self.upper, &self.lower),
            Kind::Cost => (&self.lower, &self.upper),
        };
        let mut values = proper.values().to_vec();
        let last = values.len() - 1;
        values[last] = grand.values()[last];
        Game::with_kind(self.players().to_vec(), values, self.kind())
            .expect("a mix of two validated games is valid")
    }

    /// True when no payoff vector is stable and affordable in every game of the box (module
    /// documentation): the core of [`IntervalGame::pessimistic_game`] is empty.
    pub fn robust_core_is_empty(&self) -> Result<bool> {
        self.pessimistic_game().core_is_empty()
    }

    /// Per-player minimum and maximum of the nucleolus (or, with `pre`, the prenucleolus)
    /// over `samples` games drawn with every `v(S)` independently uniform in
    /// `[l(S), u(S)]` (module documentation). The draws come from xoshiro256** seeded by
    /// `seed` (the generator of [`crate::solution::sampling`]), one per coalition and game in
    /// mask order, so a seed reproduces the result exactly.
    ///
    /// Draws where the nucleolus is undefined (no imputation) are counted in
    /// [`SampledRange::undefined`] and left out; when every draw is, the error is
    /// [`Error::Undefined`]. `samples = 0` is an [`Error::InvalidParameter`]. Other failures
    /// (a solver failure, an interruption) are passed on. Cost: `samples` nucleoli.
    ///
    /// # Example
    /// ```
    /// use coalitional::{IntervalGame, Kind};
    /// let names = vec!["A".to_string(), "B".into()];
    /// let g = IntervalGame::new(names, vec![0.0, 0.0, 0.0, 4.0], vec![0.0, 1.0, 0.0, 6.0],
    ///     Kind::Value).unwrap();
    /// let r = g.nucleolus_range(100, 7, false).unwrap();
    /// // x_A = (v(AB) + v(A) - v(B)) / 2 lies in [2, 3.5].
    /// assert!(r.range.lower[0] >= 2.0 && r.range.upper[0] <= 3.5);
    /// assert!((r.expected_coverage() - 99.0 / 101.0).abs() < 1e-15);
    /// ```
    pub fn nucleolus_range(&self, samples: usize, seed: u64, pre: bool) -> Result<SampledRange> {
        let concept = if pre { "prenucleolus" } else { "nucleolus" };
        if samples == 0 {
            return Err(Error::InvalidParameter {
                name: "samples",
                reason: "0 draws; ask for at least one".into(),
            });
        }
        let n = self.n();
        let (l, u) = (self.lower.values(), self.upper.values());
        let mut rng = Rng::new(seed);
        let mut lower = vec![f64::INFINITY; n];
        let mut upper = vec![f64::NEG_INFINITY; n];
        let (mut used, mut undefined) = (0usize, 0usize);
        let mut last_undefined = None;
        for _ in 0..samples {
            crate::cancel::check()?;
            let values = (0..l.len())
                .map(|s| {
                    if s == 0 {
                        return 0.0;
                    }
                    let t = rng.unit();
                    let width = u[s] - l[s];
                    let v = if width.is_finite() {
                        l[s] + width * t
                    } else {
                        l[s] * (1.0 - t) + u[s] * t
                    };
                    v.clamp(l[s], u[s])
                })
                .collect();
            let g = Game::with_kind(self.players().to_vec(), values, self.kind())?;
            let x = if pre { g.prenucleolus() } else { g.nucleolus() };
            match x {
                Ok(x) => {
                    used += 1;
                    for (i, &xi) in x.values().iter().enumerate() {
                        lower[i] = lower[i].min(xi);
                        upper[i] = upper[i].max(xi);
                    }
                }
                Err(e @ Error::Undefined { .. }) => {
                    undefined += 1;
                    last_undefined = Some(e);
                }
                Err(e) => return Err(e),
            }
        }
        if used == 0 {
            return Err(match last_undefined {
                Some(Error::Undefined { reason, .. }) => Error::Undefined {
                    concept: "the nucleolus range",
                    reason: format!(
                        "the {concept} is undefined in all {samples} games drawn ({reason})"
                    ),
                },
                _ => Error::Undefined {
                    concept: "the nucleolus range",
                    reason: format!("the {concept} is undefined in all {samples} games drawn"),
                },
            });
        }
        Ok(SampledRange {
            range: IntervalAllocation {
                players: self.players().to_vec(),
                lower,
                upper,
            },
            concept,
            samples: used,
            undefined,
            seed,
        })
    }

    /// A point of the robust core (`None` when it is empty): a least-core point of the
    /// pessimistic game, which distributes exactly `l(N)` (cost games: `u(N)`).
    pub fn robust_core_point(&self) -> Result<Option<Allocation>> {
        let p = self.pessimistic_game();
        if p.core_is_empty()? {
            return Ok(None);
        }
        if p.n() < 2 {
            return Ok(Some(Allocation::new(
                p.players().to_vec(),
                vec![p.grand_value()],
                p.kind(),
            )?));
        }
        Ok(Some(p.least_core()?.allocation))
    }
}

impl fmt::Display for IntervalAllocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut all = self.lower.clone();
        all.extend_from_slice(&self.upper);
        let shown = crate::display::shown_together(&all, None);
        let n = self.lower.len();
        let rows = (0..n).map(|i| {
            (
                self.players[i].as_str(),
                format!("[{}, {}]", shown[i], shown[n + i]),
            )
        });
        crate::solution::write_rows(f, rows)
    }
}

/// `concept range over m draws (k undefined left out)`, the expected coverage, then the
/// range per player as for [`IntervalAllocation`].
impl fmt::Display for SampledRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} range over {} sampled games",
            self.concept, self.samples
        )?;
        if self.undefined > 0 {
            write!(f, " ({} with no {} left out)", self.undefined, self.concept)?;
        }
        writeln!(
            f,
            "; covers a fresh draw with probability {:.3}",
            self.expected_coverage()
        )?;
        write!(f, "{}", self.range)
    }
}
