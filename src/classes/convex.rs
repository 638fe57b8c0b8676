//! Convex games given by a worth function, and their separation oracle by submodular
//! function minimisation.
//!
//! A TU game is *convex* (L. S. Shapley, "Cores of convex games", *Int. J. Game Theory* 1,
//! 1971) when its worth is supermodular, `v(S ∪ T) + v(S ∩ T) >= v(S) + v(T)`, i.e. a player's
//! marginal contribution `v(S ∪ {i}) - v(S)` grows with `S`. Bankruptcy games, airport
//! savings games and `v(S) = h(a(S))` for a convex `h` and weights `a >= 0` (and sums of
//! such) are convex.
//!
//! **Separation.** For a payoff vector `x`, the coalition of largest excess `v(S) - x(S)`
//! minimises `f(S) = x(S) - v(S)`, which is submodular when `v` is supermodular. With the
//! players `I` forced in and `X` kept out, `S = I ∪ T` for `T` in the free players
//! `F = N \ (I ∪ X)`, and `g(T) = f(I ∪ T) - f(I)` is again submodular on `F` (contraction by
//! `I`, deletion of `X`), with `g(∅) = 0`. It is minimised exactly by the Fujishige–Wolfe
//! minimum-norm-point algorithm (the `sfm` module: S. Fujishige, *Submodular Functions and
//! Optimization*, 2nd ed., Elsevier 2005, §7.1; P. Wolfe, *Math. Programming* 11, 1976;
//! convergence: D. Chakrabarty, P. Jain and P. Kothari, *NeurIPS* 2014). Every answer is
//! evaluated by `f` itself and certified by weak duality up to a tolerance of `1e-9` of the
//! function's scale plus the rounding of its terms.
//!
//! **No check over all `2^n` coalitions.** Convexity is the caller's promise. A function that
//! is not supermodular gives no guarantee, but the oracle checks what it sees: when a
//! coalition it evaluated lies below the duality bound it names a player whose marginal
//! contribution shrinks as the coalition grows ([`Error::NotConvex`]);
//! [`ConvexGame::check_convex`] tests random quadruples
//! `v(S ∪ {i, j}) - v(S ∪ {j}) >= v(S ∪ {i}) - v(S)` before a long run.
//!
//! **Memoised worths.** A user's worth function may run a model; every coalition's worth is
//! computed once and kept (up to [`MEMO_LIMIT`] coalitions, after which the memo starts
//! afresh).

mod sfm;

use std::fmt;
use std::sync::Mutex;

use crate::classes::names_for;
use crate::classes::oracle::{check_members, check_query};
use crate::coalition::Coalition;
use crate::cooperative::{check_mask, Cooperative};
use crate::error::{Error, Result};
use crate::game::{Game, Kind};
use crate::solution::core::LeastCore;
use crate::solution::sampling::rng::Rng;
use crate::solution::separation::{self, Separation, Violation};
use crate::solution::Allocation;
use sfm::{MaskMap, Outcome};

/// Largest number of players of a [`ConvexGame`] (coalitions are 64-bit masks).
pub const MAX_CONVEX_PLAYERS: usize = 64;
/// Largest number of remembered worths (`2^23`, about 200 MB); past it the memo is cleared.
pub const MEMO_LIMIT: usize = 1 << 23;

/// The worth function of a [`ConvexGame`]: the members of a coalition (player indices,
/// increasing, never empty) to its worth.
pub type WorthFn = Box<dyn Fn(&[usize]) -> Result<f64> + Send + Sync>;

/// A convex (supermodular) TU game in value form, given by a worth function: players up to
/// [`MAX_CONVEX_PLAYERS`], worths computed on demand and remembered.
pub struct ConvexGame {
    players: Vec<String>,
    worth: WorthFn,
    memo: Mutex<MaskMap<f64>>,
}

impl fmt::Debug for ConvexGame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConvexGame")
            .field("players", &self.players)
            .field("evaluations", &self.evaluations())
            .finish()
    }
}

impl ConvexGame {
    /// The game of `worth` (called with the members of a nonempty coalition, player indices in
    /// increasing order; the empty coalition is worth 0 and never asked). `players` are
    /// checked (unique, nonempty names, at most 64). The worth function is trusted to be
    /// supermodular (module documentation).
    ///
    /// # Example
    /// `v(S) = a(S)^2` is convex for weights `a >= 0`; its Shapley value `a_i a(N)` lies in the
    /// core, so no coalition has a positive excess there, while the equal split leaves the
    /// heaviest player short.
    /// ```
    /// use coalitional::solution::separation::Separation;
    /// use coalitional::ConvexGame;
    /// # fn main() -> coalitional::Result<()> {
    /// let a = [1.0, 2.0, 3.0];
    /// let g = ConvexGame::new(vec!["A".into(), "B".into(), "C".into()], move |s: &[usize]| {
    ///     Ok(s.iter().map(|&i| a[i]).sum::<f64>().powi(2))
    /// })?;
    /// let none = [false; 3];
    /// let at_shapley = g.most_violated(&[6.0, 12.0, 18.0], &none, &none)?.unwrap();
    /// assert!(at_shapley.excess.abs() < 1e-12);
    /// let at_equal = g.most_violated(&[12.0; 3], &none, &none)?.unwrap();
    /// assert_eq!((at_equal.members, at_equal.excess), (vec![1, 2], 1.0)); // 25 - 24
    /// # Ok(())
    /// # }
    /// ```
    pub fn new<F>(players: Vec<String>, worth: F) -> Result<Self>
    where
        F: Fn(&[usize]) -> Result<f64> + Send + Sync + 'static,
    {
        if players.is_empty() {
            return Err(Error::NoPlayers);
        }
        if players.len() > MAX_CONVEX_PLAYERS {
            return Err(Error::LimitExceeded {
                what: "players of a convex game",
                asked: players.len() as u128,
                limit: MAX_CONVEX_PLAYERS as u128,
            });
        }
        let n = players.len();
        Ok(ConvexGame {
            players: names_for(n, Some(players))?,
            worth: Box::new(worth),
            memo: Mutex::new(MaskMap::default()),
        })
    }

    /// Number of players.
    pub fn n(&self) -> usize {
        self.players.len()
    }

    /// Player names.
    pub fn players(&self) -> &[String] {
        &self.players
    }

    /// How many coalitions' worths are remembered (each computed once).
    pub fn evaluations(&self) -> usize {
        self.memo
            .lock()
            .map_or_else(|e| e.into_inner().len(), |m| m.len())
    }

    /// The worth of a coalition of the game's players, computed once and remembered. A
    /// non-finite worth is [`Error::NonFinite`]; an error of the worth function is passed on.
    pub fn value(&self, s: Coalition) -> Result<f64> {
        self.compute(s.mask(), true)
    }

    fn compute(&self, mask: u64, remember: bool) -> Result<f64> {
        if mask == 0 {
            return Ok(0.0);
        }
        let lock = || self.memo.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(&v) = lock().get(&mask) {
            return Ok(v);
        }
        let members: Vec<usize> = Coalition::from_mask(mask).members().collect();
        // The lock is not held while the user's function runs.
        let v = (self.worth)(&members)?;
        if !v.is_finite() {
            return Err(Error::NonFinite {
                coalition: Coalition::from_mask(mask).names(&self.players),
                index: mask as usize,
                value: v,
            });
        }
        if remember {
            let mut memo = lock();
            if memo.len() >= MEMO_LIMIT {
                memo.clear();
            }
            memo.insert(mask, v);
        }
        Ok(v)
    }

    /// Tests supermodularity on `samples` random quadruples `(S, i, j)` (seeded): the
    /// coalition `S` of a uniformly random size among the players other than `i != j`, then
    /// `v(S ∪ {i, j}) - v(S ∪ {j}) >= v(S ∪ {i}) - v(S)` within `1e-12` of the four worths'
    /// size. (These local conditions for all `S, i, j` are equivalent to convexity; a sample
    /// can only find a violation, not prove there is none.)
    ///
    /// # Errors
    /// [`Error::NotConvex`] naming the first violation found; errors of the worth function.
    ///
    /// # Example
    /// ```
    /// use coalitional::{ConvexGame, Error};
    /// let names: Vec<String> = (0..8).map(|i| format!("p{i}")).collect();
    /// let square = ConvexGame::new(names.clone(), |s: &[usize]| Ok((s.len() as f64).powi(2)))
    ///     .unwrap();
    /// assert!(square.check_convex(500, 1).is_ok());
    /// let root = ConvexGame::new(names, |s: &[usize]| Ok((s.len() as f64).sqrt())).unwrap();
    /// assert!(matches!(root.check_convex(500, 1), Err(Error::NotConvex { .. })));
    /// ```
    pub fn check_convex(&self, samples: usize, seed: u64) -> Result<()> {
        let n = self.n();
        if n < 2 {
            return Ok(());
        }
        let mut rng = Rng::new(seed);
        let mut pick = |bound: usize| ((rng.unit() * bound as f64) as usize).min(bound - 1);
        for _ in 0..samples {
            let i = pick(n);
            let j = (i + 1 + pick(n - 1)) % n;
            let mut others: Vec<usize> = (0..n).filter(|&k| k != i && k != j).collect();
            let size = pick(n - 1);
            for k in 0..size {
                let r = k + pick(others.len() - k);
                others.swap(k, r);
            }
            let s = others[..size].iter().fold(0u64, |m, &k| m | 1 << k);
            let (bi, bj) = (1u64 << i, 1u64 << j);
            let v = self.compute(s, true)?;
            let vi = self.compute(s | bi, true)?;
            let vj = self.compute(s | bj, true)?;
            let vij = self.compute(s | bi | bj, true)?;
            let size_of = v.abs() + vi.abs() + vj.abs() + vij.abs();
            if vij - vj < vi - v - 1e-12 * size_of {
                return Err(Error::NotConvex {
                    player: self.players[i].clone(),
                    smaller: Coalition::from_mask(s).names(&self.players),
                    larger: Coalition::from_mask(s | bj).names(&self.players),
                    gain_smaller: vi - v,
                    gain_larger: vij - vj,
                });
            }
        }
        Ok(())
    }

    /// The nucleolus (Schmeidler 1969) by constraint generation
    /// ([`crate::solution::separation::OracleGame`]) over the submodular-minimisation oracle:
    /// no `2^n` worths, 40 players in seconds. For a convex game the nucleolus lies in the
    /// (nonempty) core and equals the prenucleolus.
    ///
    /// # Errors
    /// [`Error::NotConvex`] when the oracle catches the worth function breaking
    /// supermodularity; errors of the worth function; the engine's errors.
    ///
    /// # Example
    /// `v(S) = |S|^2` on three players: by symmetry the nucleolus is `(3, 3, 3)`.
    /// ```
    /// use coalitional::ConvexGame;
    /// let g = ConvexGame::new(vec!["A".into(), "B".into(), "C".into()], |s: &[usize]| {
    ///     Ok((s.len() as f64).powi(2))
    /// })
    /// .unwrap();
    /// let nu = g.nucleolus().unwrap();
    /// assert!(nu.values().iter().all(|v| (v - 3.0).abs() < 1e-9));
    /// ```
    pub fn nucleolus(&self) -> Result<Allocation> {
        separation::nucleolus(self.players.clone(), self)
    }

    /// The prenucleolus, as [`ConvexGame::nucleolus`] over all efficient allocations (for a
    /// convex game it is the nucleolus).
    pub fn prenucleolus(&self) -> Result<Allocation> {
        separation::prenucleolus(self.players.clone(), self)
    }

    /// The least core (Maschler, Peleg and Shapley 1979) by constraint generation; a convex
    /// game's core is nonempty, so `epsilon <= 0`.
    pub fn least_core(&self) -> Result<LeastCore> {
        separation::least_core(self.players.clone(), self)
    }

    /// The dense game (`2^n` worths; memory checked first). Worths already remembered are
    /// reused; the others are computed without filling the memo.
    pub fn to_game(&self) -> Result<Game> {
        Game::try_from_fn(self.players.clone(), Kind::Value, |s| {
            self.compute(s.mask(), false)
        })
    }
}

/// The mask of `members` (indices below 64, checked by the caller).
fn mask_of(members: impl IntoIterator<Item = usize>) -> u64 {
    members.into_iter().fold(0u64, |m, i| m | 1 << i)
}

/// Worths from the function (memoised) and the coalition of largest excess by submodular
/// minimisation (module documentation).
impl Separation for ConvexGame {
    fn n(&self) -> usize {
        self.players.len()
    }

    fn worth(&self, members: &[usize]) -> Result<f64> {
        check_members(self.n(), members)?;
        self.compute(mask_of(members.iter().copied()), true)
    }

    fn most_violated(
        &self,
        x: &[f64],
        include: &[bool],
        exclude: &[bool],
    ) -> Result<Option<Violation>> {
        let n = self.n();
        if !check_query(n, x, include, exclude)? {
            return Ok(None);
        }
        let free: Vec<usize> = (0..n).filter(|&i| !include[i] && !exclude[i]).collect();
        let forced = mask_of((0..n).filter(|&i| include[i]));
        let lift = |t: u64| forced | mask_of(Coalition::from_mask(t).members().map(|k| free[k]));
        let x_of = |s: u64| Coalition::from_mask(s).members().map(|i| x[i]).sum::<f64>();
        let (x_in, v_in) = (x_of(forced), self.compute(forced, true)?);
        let base = x_in - v_in;
        let outcome = sfm::minimize(free.len(), |t| {
            let s = lift(t);
            let (xs, vs) = (x_of(s), self.compute(s, true)?);
            Ok((
                (xs - vs) - base,
                xs.abs() + vs.abs() + x_in.abs() + v_in.abs(),
            ))
        })?;
        match outcome {
            Outcome::Minimum { set, .. } => {
                let s = lift(set);
                Ok(Some(Violation {
                    members: Coalition::from_mask(s).members().collect(),
                    excess: self.compute(s, true)? - x_of(s),
                }))
            }
            Outcome::NotSubmodular {
                element,
                smaller,
                larger,
            } => {
                let (a, b, p) = (lift(smaller), lift(larger), 1u64 << free[element]);
                let gain_smaller = self.compute(a | p, true)? - self.compute(a, true)?;
                let gain_larger = self.compute(b | p, true)? - self.compute(b, true)?;
                Err(Error::NotConvex {
                    player: self.players[free[element]].clone(),
                    smaller: Coalition::from_mask(a).names(&self.players),
                    larger: Coalition::from_mask(b).names(&self.players),
                    gain_smaller,
                    gain_larger,
                })
            }
        }
    }
}

/// Worths from the function, memoised.
impl Cooperative for ConvexGame {
    fn players(&self) -> &[String] {
        &self.players
    }
    fn kind(&self) -> Kind {
        Kind::Value
    }
    fn worth(&mut self, mask: u64) -> Result<f64> {
        check_mask(self.n(), mask)?;
        self.compute(mask, true)
    }
    fn dense(&mut self) -> Result<Game> {
        self.to_game()
    }
}
