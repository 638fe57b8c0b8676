//! Scenario games: the worths depend on which of a few scenarios comes true.
//!
//! A scenario game is a list of games `v_1, ..., v_K` on the same players (one per scenario:
//! a dry year and a wet year, a low and a high demand forecast) with probabilities
//! `p_1, ..., p_K` (`p_k >= 0`, `sum_k p_k = 1`). It is a cooperative game with stochastic
//! payoffs in the sense of J. Suijs, P. Borm, A. De Waegenaere and S. Tijs, *Cooperative games
//! with stochastic payoffs*, European Journal of Operational Research 113, 1999, with a
//! finite distribution and risk-neutral players. [`ScenarioGame`] offers three views.
//!
//! # The expected game
//!
//! `E v(S) = sum_k p_k v_k(S)` ([`ScenarioGame::expected`]): the game a risk-neutral planner
//! solves. The sum is compensated (Neumaier), so that budgets of `10^8` with surpluses of a few
//! units keep their surpluses.
//!
//! # Every rule per scenario
//!
//! [`ScenarioGame::per_scenario`] applies a [`Rule`] to every scenario's game, so that the
//! shares a rule would give in each scenario can be set side by side with its shares in the
//! expected game.
//!
//! # Robust least core
//!
//! One allocation, fixed before the scenario is known, that minimises the largest excess over
//! every scenario and every proper nonempty coalition:
//!
//! `epsilon* = min e s.t. x(N) = E v(N), x(S) >= v_k(S) - e` for every `k` and proper `S`
//!
//! (cost games: `x(N) = E c(N)`, `x(S) <= c_k(S) + e`). The allocation distributes the
//! *expected* worth of the grand coalition: it is agreed in advance and balances the budget on
//! average (a deficit in a bad scenario is met by a surplus in a good one); requiring
//! `x(N) = v_k(N)` in every scenario at once would be infeasible whenever the `v_k(N)` differ.
//! For each `S` only the largest worth binds, so the problem is the least core (M. Maschler,
//! B. Peleg and L. S. Shapley, *Geometric properties of the kernel, nucleolus and related
//! solution concepts*, Mathematics of Operations Research 4, 1979) of the *pessimistic game*
//!
//! `u(S) = max_k v_k(S)` for proper `S`, `u(N) = E v(N)`
//!
//! (cost games `u(S) = min_k c_k(S)`; the maximum runs over the scenarios that can happen,
//! those of positive probability: a scenario of probability 0 is kept in the tables but
//! cannot make an allocation unstable), and is computed with [`Game::least_core`] on `u`, which
//! works on the zero-normalised game and is therefore scale-safe. `epsilon* <= 0` (at `u`'s
//! [`Game::tolerance`]) means the allocation is stable in every scenario. The lexicographic
//! centre of this robust least core is the prenucleolus of `u` (Maschler, Peleg and Shapley
//! 1979), also returned.

use std::fmt;

use serde::Serialize;

use crate::coalition::Coalition;
use crate::error::{Error, Result};
use crate::game::{Game, Kind};
use crate::settle::Rule;
use crate::solution::normal::accurate_sum;
use crate::solution::Allocation;

/// Games on the same players, one per scenario, with probabilities (see the
/// [module documentation](self)).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScenarioGame {
    games: Vec<Game>,
    probabilities: Vec<f64>,
    names: Vec<String>,
}

/// The robust least core of a [`ScenarioGame`] (module documentation): the allocation of
/// `E v(N)` whose largest excess over every scenario and proper coalition is smallest.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RobustLeastCore {
    /// `epsilon* = min_x max_{k, S} (v_k(S) - x(S))` (cost games `x(S) - c_k(S)`), over
    /// efficient `x` (`x(N) = E v(N)`) and proper nonempty `S`.
    pub epsilon: f64,
    /// An allocation attaining `epsilon` (a least-core point of the pessimistic game).
    pub allocation: Allocation,
    /// The lexicographic centre of the robust least core: the prenucleolus of the
    /// pessimistic game. Its largest excess is `epsilon` too.
    pub centre: Allocation,
    /// A coalition where `allocation`'s excess is largest (the first by bit mask among those
    /// within the game's tolerance of the largest).
    pub worst_coalition: Coalition,
    /// Its members' names, in player order.
    pub worst_members: Vec<String>,
    /// The scenarios (names) in which that coalition's worth is the binding one,
    /// `v_k(S) = max_j v_j(S)` (cost games: the smallest cost).
    pub worst_scenarios: Vec<String>,
    /// True when `epsilon <= 0` at the pessimistic game's [`Game::tolerance`]: the allocation
    /// is in the core of every scenario's game, up to the budget `E v(N)`.
    pub stable_in_every_scenario: bool,
    /// The tolerance used for that decision and for ties.
    pub tolerance: f64,
}

impl RobustLeastCore {
    /// True when the allocation is stable in every scenario (`epsilon <= 0` at the tolerance).
    pub fn is_robustly_stable(&self) -> bool {
        self.stable_in_every_scenario
    }
}

fn invalid(name: &'static str, reason: String) -> Error {
    Error::InvalidParameter { name, reason }
}

impl ScenarioGame {
    /// A scenario game from its games and probabilities; scenarios are named `"scenario 1"`,
    /// `"scenario 2"`, ... (see [`ScenarioGame::with_names`]).
    ///
    /// Errors ([`Error::InvalidParameter`]): no scenario, or a scenario whose players (names
    /// and order) or kind differ from the first (`games`, naming the scenario); a probability
    /// that is negative or not finite (`probabilities`, naming the index), a different number
    /// of probabilities than games, or probabilities that do not sum to 1 within
    /// `4 K` units in the last place.
    ///
    /// # Example
    /// ```
    /// use coalitional::{Game, ScenarioGame};
    /// let names = vec!["A".to_string(), "B".into()];
    /// let dry = Game::new(names.clone(), vec![0.0, 1.0, 1.0, 4.0]).unwrap();
    /// let wet = Game::new(names, vec![0.0, 1.0, 3.0, 8.0]).unwrap();
    /// let sg = ScenarioGame::new(vec![dry, wet], vec![0.25, 0.75]).unwrap();
    /// // E v(AB) = 0.25 * 4 + 0.75 * 8 = 7.
    /// assert_eq!(sg.expected().unwrap().grand_value(), 7.0);
    /// // Pessimistic game: u(A) = 1, u(B) = 3, u(AB) = 7; least core (2.5, 4.5), epsilon -1.5.
    /// let r = sg.robust_least_core().unwrap();
    /// assert!((r.epsilon + 1.5).abs() < 1e-9 && r.is_robustly_stable());
    /// ```
    pub fn new(games: Vec<Game>, probabilities: Vec<f64>) -> Result<ScenarioGame> {
        let names = (1..=games.len()).map(|k| format!("scenario {k}")).collect();
        ScenarioGame::with_names(games, probabilities, names)
    }

    /// [`ScenarioGame::new`] with scenario names (nonempty and distinct, one per game;
    /// otherwise [`Error::InvalidParameter`] naming `names`).
    pub fn with_names(
        games: Vec<Game>,
        probabilities: Vec<f64>,
        names: Vec<String>,
    ) -> Result<ScenarioGame> {
        let Some(first) = games.first() else {
            return Err(invalid(
                "games",
                "no scenario given; give at least one game".into(),
            ));
        };
        if names.len() != games.len() {
            return Err(invalid(
                "names",
                format!("{} names for {} scenarios", names.len(), games.len()),
            ));
        }
        for (k, name) in names.iter().enumerate() {
            if name.is_empty() {
                return Err(invalid("names", format!("names[{k}] is empty")));
            }
            if let Some(j) = names[..k].iter().position(|m| m == name) {
                return Err(invalid(
                    "names",
                    format!("names[{j}] and names[{k}] are both {name:?}"),
                ));
            }
        }
        for (k, g) in games.iter().enumerate().skip(1) {
            if g.players() != first.players() {
                return Err(invalid(
                    "games",
                    format!(
                        "games[{k}] ({:?}) has players [{}], but games[0] ({:?}) has [{}]; \
                         every scenario needs the same players in the same order",
                        names[k],
                        g.players().join(", "),
                        names[0],
                        first.players().join(", ")
                    ),
                ));
            }
            if g.kind() != first.kind() {
                return Err(invalid(
                    "games",
                    format!(
                        "games[{k}] ({:?}) is a {} game, but games[0] ({:?}) is a {} game",
                        names[k],
                        g.kind().as_str(),
                        names[0],
                        first.kind().as_str()
                    ),
                ));
            }
        }
        if probabilities.len() != games.len() {
            return Err(invalid(
                "probabilities",
                format!(
                    "{} probabilities for {} scenarios; give one per scenario",
                    probabilities.len(),
                    games.len()
                ),
            ));
        }
        for (k, &p) in probabilities.iter().enumerate() {
            if !p.is_finite() || p < 0.0 {
                return Err(invalid(
                    "probabilities",
                    format!(
                        "probabilities[{k}] (scenario {:?}) is {p}; each must be a finite \
                         number >= 0",
                        names[k]
                    ),
                ));
            }
        }
        let total = accurate_sum(probabilities.iter().copied());
        let slack = 4.0 * probabilities.len() as f64 * f64::EPSILON;
        if (total - 1.0).abs() > slack {
            return Err(invalid(
                "probabilities",
                format!("the probabilities sum to {total}, not 1"),
            ));
        }
        Ok(ScenarioGame {
            games,
            probabilities,
            names,
        })
    }

    /// The scenarios' games, in order.
    pub fn games(&self) -> &[Game] {
        &self.games
    }

    /// The scenarios' probabilities, in order.
    pub fn probabilities(&self) -> &[f64] {
        &self.probabilities
    }

    /// The scenarios' names, in order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Player names, in order.
    pub fn players(&self) -> &[String] {
        self.games[0].players()
    }

    /// The games' kind (values or costs).
    pub fn kind(&self) -> Kind {
        self.games[0].kind()
    }

    /// `(k, p_k, v_k)` for each scenario.
    fn scenarios(&self) -> impl Iterator<Item = (usize, f64, &Game)> + '_ {
        self.probabilities
            .iter()
            .zip(&self.games)
            .enumerate()
            .map(|(k, (&p, g))| (k, p, g))
    }

    /// The expected game `E v(S) = sum_k p_k v_k(S)`, each sum compensated (Neumaier).
    /// Cost: `O(K 2^n)`.
    pub fn expected(&self) -> Result<Game> {
        let len = self.games[0].values().len();
        let values = (0..len)
            .map(|s| accurate_sum(self.scenarios().map(|(_, p, g)| p * g.values()[s])))
            .collect();
        Game::with_kind(self.players().to_vec(), values, self.kind())
    }

    /// The rule applied to every scenario's game ([`Rule::apply`]), in scenario order; a
    /// rule undefined for one scenario gives that scenario's error and leaves the others.
    pub fn per_scenario(&self, rule: Rule) -> Vec<Result<Allocation>> {
        self.games.iter().map(|g| rule.apply(g)).collect()
    }

    /// The pessimistic game of the module documentation: `max_k v_k(S)` over the scenarios of
    /// positive probability (cost games `min_k c_k(S)`) on proper coalitions, `E v(N)` on the
    /// grand coalition.
    pub fn pessimistic_game(&self) -> Result<Game> {
        let len = self.games[0].values().len();
        let mut values: Vec<f64> = (0..len).map(|s| self.binding_worth(s)).collect::<Vec<_>>();
        values[len - 1] = self.expected()?.grand_value();
        Game::with_kind(self.players().to_vec(), values, self.kind())
    }

    /// `max_k v_k(S)` over the scenarios of positive probability (cost games: `min_k c_k(S)`).
    fn binding_worth(&self, s: usize) -> f64 {
        let worths = self
            .scenarios()
            .filter(|(_, p, _)| *p > 0.0)
            .map(|(_, _, g)| g.values()[s]);
        match self.kind() {
            Kind::Value => worths.fold(f64::NEG_INFINITY, f64::max),
            Kind::Cost => worths.fold(f64::INFINITY, f64::min),
        }
    }

    /// The robust least core (module documentation): the least core of the pessimistic game,
    /// its prenucleolus as the centre, and the coalition and scenarios where the excess is
    /// largest. Needs at least two players ([`Error::Undefined`] otherwise, as for the least
    /// core). Cost: one least core and one prenucleolus of an `n`-player game, plus `O(K 2^n)`.
    pub fn robust_least_core(&self) -> Result<RobustLeastCore> {
        let u = self.pessimistic_game()?;
        let lc = u.least_core()?;
        let centre = u.prenucleolus()?;
        let tol = u.tolerance();
        let sign = match self.kind() {
            Kind::Value => 1.0,
            Kind::Cost => -1.0,
        };
        let x = lc.allocation.values();
        let n = u.n();
        // Excess of x at S in u (the largest over scenarios), compensated.
        let excess = |s: usize| {
            let xs = (0..n).filter(|&i| s >> i & 1 == 1).map(|i| -x[i]);
            sign * accurate_sum(std::iter::once(u.values()[s]).chain(xs))
        };
        let proper = 1..u.values().len() - 1;
        let largest = proper.clone().map(excess).fold(f64::NEG_INFINITY, f64::max);
        let worst = proper
            .into_iter()
            .find(|&s| excess(s) >= largest - tol)
            .expect("a game of two or more players has a proper coalition");
        let bound = u.values()[worst];
        let worst_scenarios = self
            .scenarios()
            .filter(|(_, p, g)| *p > 0.0 && g.values()[worst] == bound)
            .map(|(k, _, _)| self.names[k].clone())
            .collect();
        let coalition = Coalition::from_mask(worst as u64);
        Ok(RobustLeastCore {
            epsilon: lc.epsilon,
            stable_in_every_scenario: lc.epsilon <= tol,
            allocation: lc.allocation,
            centre,
            worst_coalition: coalition,
            worst_members: coalition
                .members()
                .map(|i| self.players()[i].clone())
                .collect(),
            worst_scenarios,
            tolerance: tol,
        })
    }
}

/// One line per scenario: name, probability, `v(N)`.
impl fmt::Display for ScenarioGame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "scenario game: {} players, {} scenarios ({} game)",
            self.players().len(),
            self.games.len(),
            self.kind().as_str()
        )?;
        let grand: Vec<f64> = self.games.iter().map(Game::grand_value).collect();
        let shown = crate::display::shown_together(&grand, None);
        let probs = crate::display::shown_together(&self.probabilities, Some(1.0));
        let rows = self.names.iter().enumerate().map(|(k, name)| {
            (
                name.as_str(),
                format!("p = {}, v(N) = {}", probs[k], shown[k]),
            )
        });
        crate::solution::write_rows(f, rows)
    }
}

/// `robust least core: epsilon = e`, whether it is stable in every scenario, the worst
/// coalition and scenarios, then the allocation one line per player.
impl fmt::Display for RobustLeastCore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let values = self.allocation.values();
        let eps = crate::display::fmt_at(self.epsilon, self.tolerance);
        writeln!(f, "robust least core: epsilon = {eps}")?;
        writeln!(
            f,
            "stable in every scenario: {}",
            if self.stable_in_every_scenario {
                "yes"
            } else {
                "no"
            }
        )?;
        writeln!(
            f,
            "largest excess: coalition {{{}}} in {}",
            self.worst_members.join(", "),
            self.worst_scenarios.join(", ")
        )?;
        let numbers = crate::display::shown_at(values, self.tolerance);
        let names = self.allocation.players().iter().map(String::as_str);
        crate::solution::write_rows(f, names.zip(numbers))
    }
}
