//! Linear production games.
//!
//! `m` resources make `k` products by a linear technology: one unit of product `p` uses
//! `A_rp >= 0` units of resource `r` and sells at the price `c_p >= 0`. Player `i` owns the
//! resource bundle `b_i` (`m` entries, `>= 0`); a coalition pools its bundles and produces what
//! earns most:
//!
//! `v(S) = max { c·y : A y <= sum_{i in S} b_i, y >= 0 }`
//!
//! (G. Owen, "On the core of linear production games", *Math. Programming* 9, 1975).
//!
//! **Shadow-price allocation** (Owen 1975): let `z*` be an optimal solution of the dual of the
//! grand coalition's program,
//!
//! `min { z·b(N) : z^T A >= c, z >= 0 }`,
//!
//! the prices of the resources at which making any product earns nothing extra. Paying each
//! player its resources at these prices, `x_i = z*·b_i`, is efficient (`z*·b(N) = v(N)` by LP
//! duality) and lies in the core: `z*` is feasible for every coalition's dual, so
//! `x(S) = z*·b(S) >= v(S)`. The core of a linear production game is therefore never empty.
//!
//! **Cost.** One coalition's worth is one LP (`k` variables, `m + k` rows, solved with
//! `good_lp`'s `microlp`); the shadow prices are one LP in `m` variables; the dense game solves
//! `2^n - 1` LPs (memory checked first).

use std::fmt;

use crate::classes::{coalition_of, names_for};
use crate::coalition::Coalition;
use crate::cooperative::{check_mask, Cooperative};
use crate::display::{fmt_number, scale_of};
use crate::error::{Error, Result};
use crate::game::Game;
use crate::lp::{LinearProgram, Sense};
use crate::memory;
use crate::solution::Allocation;
use crate::Kind;

const CONCEPT: &str = "a linear production game's worth";
const DUAL: &str = "the shadow-price allocation";

/// A linear production game (a value game).
#[derive(Clone, Debug, PartialEq)]
pub struct LinearProduction {
    players: Vec<String>,
    /// `A`, `m x k`: units of resource `r` per unit of product `p`.
    technology: Vec<Vec<f64>>,
    /// `c`, `k` prices.
    prices: Vec<f64>,
    /// `b_i`, `n x m`.
    resources: Vec<Vec<f64>>,
}

/// Checks that every entry of `xs` is finite and `>= 0`; `what(j)` names entry `j`.
fn check_entries(name: &'static str, xs: &[f64], what: impl Fn(usize) -> String) -> Result<()> {
    match xs.iter().position(|x| !x.is_finite() || *x < 0.0) {
        Some(j) => Err(Error::InvalidParameter {
            name,
            reason: format!("{} is {}; it must be a finite number >= 0", what(j), xs[j]),
        }),
        None => Ok(()),
    }
}

impl LinearProduction {
    /// The game of the technology `A` (`m x k`, `m >= 1` resources, `k >= 1` products), the
    /// product prices (`k`) and each player's resources (`n x m`); all entries finite and
    /// `>= 0`. A product with a positive price must use some resource (else every coalition
    /// could earn without bound). `players` defaults to `"0".."n-1"`.
    ///
    /// # Example
    /// One resource, two products: product 0 needs 1 unit and sells at 3, product 1 needs 2
    /// units and sells at 5. Everything goes into product 0 (3 per unit of resource), so the
    /// shadow price of the resource is 3 and each player earns 3 per unit it owns.
    /// ```
    /// use coalitional::LinearProduction;
    /// let g = LinearProduction::new(
    ///     vec![vec![1.0, 2.0]], vec![3.0, 5.0], vec![vec![4.0], vec![6.0]], None,
    /// ).unwrap();
    /// assert!((g.value(coalitional::Coalition::grand(2)).unwrap() - 30.0).abs() < 1e-9);
    /// let x = g.shadow_price_allocation().unwrap();
    /// assert!((x[0] - 12.0).abs() < 1e-9 && (x[1] - 18.0).abs() < 1e-9);
    /// ```
    pub fn new(
        technology: Vec<Vec<f64>>,
        prices: Vec<f64>,
        resources: Vec<Vec<f64>>,
        players: Option<Vec<String>>,
    ) -> Result<Self> {
        let m = technology.len();
        let k = prices.len();
        if m == 0 || k == 0 {
            return Err(Error::InvalidParameter {
                name: "technology",
                reason: format!(
                    "the technology is {m} x {k}; it needs at least one resource (row) and one \
                     product (column, with its price)"
                ),
            });
        }
        for (r, row) in technology.iter().enumerate() {
            if row.len() != k {
                return Err(Error::InvalidParameter {
                    name: "technology",
                    reason: format!(
                        "row {r} has {} entries for {k} products (prices)",
                        row.len()
                    ),
                });
            }
            check_entries("technology", row, |p| format!("technology[{r}][{p}]"))?;
        }
        check_entries("prices", &prices, |p| format!("the price of product {p}"))?;
        if resources.is_empty() {
            return Err(Error::NoPlayers);
        }
        let players = names_for(resources.len(), players)?;
        for (i, row) in resources.iter().enumerate() {
            if row.len() != m {
                return Err(Error::InvalidParameter {
                    name: "resources",
                    reason: format!(
                        "{} holds {} resources, but the technology has {m}",
                        players[i],
                        row.len()
                    ),
                });
            }
            check_entries("resources", row, |r| {
                format!("resource {r} of {}", players[i])
            })?;
        }
        if let Some(p) =
            (0..k).find(|&p| prices[p] > 0.0 && technology.iter().all(|row| row[p] == 0.0))
        {
            return Err(Error::InvalidParameter {
                name: "technology",
                reason: format!(
                    "product {p} sells at {} but uses no resource, so its output is unbounded",
                    prices[p]
                ),
            });
        }
        Ok(LinearProduction {
            players,
            technology,
            prices,
            resources,
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

    /// The technology `A` (`m x k`).
    pub fn technology(&self) -> &[Vec<f64>] {
        &self.technology
    }

    /// The product prices (`k`).
    pub fn prices(&self) -> &[f64] {
        &self.prices
    }

    /// Each player's resources (`n x m`).
    pub fn resources(&self) -> &[Vec<f64>] {
        &self.resources
    }

    /// `b(S)`: the resources a coalition pools.
    fn pooled(&self, s: Coalition) -> Vec<f64> {
        let mut b = vec![0.0; self.technology.len()];
        for i in s.members() {
            for (t, x) in b.iter_mut().zip(&self.resources[i]) {
                *t += x;
            }
        }
        b
    }

    /// The best production plan `y` of a coalition: `max c·y` s.t. `A y <= b(S)`, `y >= 0`
    /// (one LP; `A y <= b` is written as `-A y >= -b`).
    pub fn production_plan(&self, s: Coalition) -> Result<Vec<f64>> {
        let k = self.prices.len();
        if s.is_empty() {
            return Ok(vec![0.0; k]);
        }
        let b = self.pooled(s);
        let mut lp = LinearProgram::minimise(self.prices.iter().map(|c| -c).collect());
        for p in 0..k {
            lp.add_row(vec![(p, 1.0)], Sense::Ge, 0.0);
        }
        for (row, br) in self.technology.iter().zip(&b) {
            let coefs = row
                .iter()
                .enumerate()
                .filter(|(_, a)| **a != 0.0)
                .map(|(p, a)| (p, -a))
                .collect();
            lp.add_row(coefs, Sense::Ge, -br);
        }
        let y = lp.solve(CONCEPT)?;
        // Round-off may leave a product a hair below zero.
        Ok(y.into_iter().map(|v| v.max(0.0)).collect())
    }

    /// The best production plan of the coalition of the named players.
    pub fn production_plan_of<S: AsRef<str>>(&self, names: &[S]) -> Result<Vec<f64>> {
        self.production_plan(coalition_of(&self.players, names)?)
    }

    /// `v(S)`: the revenue of the best production plan (one LP; 0 for the empty coalition).
    pub fn value(&self, s: Coalition) -> Result<f64> {
        let y = self.production_plan(s)?;
        Ok(y.iter().zip(&self.prices).map(|(y, c)| y * c).sum())
    }

    /// The worth of the coalition of the named players.
    pub fn value_of<S: AsRef<str>>(&self, names: &[S]) -> Result<f64> {
        self.value(coalition_of(&self.players, names)?)
    }

    /// The shadow prices `z*` of the resources: an optimal solution of
    /// `min z·b(N) s.t. z^T A >= c, z >= 0` (one LP in `m` variables).
    pub fn shadow_prices(&self) -> Result<Vec<f64>> {
        let m = self.technology.len();
        let b = self.pooled(Coalition::grand(self.n()));
        let mut lp = LinearProgram::minimise(b);
        for r in 0..m {
            lp.add_row(vec![(r, 1.0)], Sense::Ge, 0.0);
        }
        for (p, &c) in self.prices.iter().enumerate() {
            let coefs = (0..m)
                .filter(|&r| self.technology[r][p] != 0.0)
                .map(|r| (r, self.technology[r][p]))
                .collect();
            lp.add_row(coefs, Sense::Ge, c);
        }
        let z = lp.solve(DUAL)?;
        Ok(z.into_iter().map(|v| v.max(0.0)).collect())
    }

    /// Owen's shadow-price allocation `x_i = z*·b_i` (Owen 1975): efficient and in the core.
    /// Verified: `x(N)` equals `v(N)` (solved as its own LP) within `1e-8` of their magnitude,
    /// else [`Error::Solver`] with an `efficiency` check failure.
    pub fn shadow_price_allocation(&self) -> Result<Allocation> {
        let z = self.shadow_prices()?;
        let x: Vec<f64> = self
            .resources
            .iter()
            .map(|b| b.iter().zip(&z).map(|(b, z)| b * z).sum())
            .collect();
        let total: f64 = x.iter().sum();
        let v = self.value(Coalition::grand(self.n()))?;
        if (total - v).abs() > 1e-8 * total.abs().max(v.abs()) {
            return Err(Error::unverified(
                DUAL,
                "efficiency",
                format!("the shadow prices value the resources at {total}, but v(N) = {v}"),
            ));
        }
        Ok(Allocation::from_parts(&self.players, x, Kind::Value))
    }

    /// The dense game: one LP per coalition, `2^n - 1` LPs (memory checked first).
    pub fn to_game(&self) -> Result<Game> {
        memory::check_dense(self.n(), 1)?;
        Game::try_from_fn(self.players.clone(), Kind::Value, |s| self.value(s))
    }
}

/// The technology, prices and resources.
impl fmt::Display for LinearProduction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = self.technology.len();
        writeln!(
            f,
            "linear production game: {} players, {m} resources, {} products",
            self.n(),
            self.prices.len()
        )?;
        let show = |xs: &[f64]| {
            let s = scale_of(xs);
            xs.iter()
                .map(|x| fmt_number(*x, s))
                .collect::<Vec<_>>()
                .join(", ")
        };
        writeln!(f, "  prices: [{}]", show(&self.prices))?;
        for (r, row) in self.technology.iter().enumerate() {
            writeln!(f, "  resource {r} per unit: [{}]", show(row))?;
        }
        for (p, b) in self.players.iter().zip(&self.resources) {
            writeln!(f, "  {p} holds [{}]", show(b))?;
        }
        Ok(())
    }
}

/// Worths by one LP per coalition, without the dense game.
impl Cooperative for LinearProduction {
    fn players(&self) -> &[String] {
        &self.players
    }
    fn kind(&self) -> Kind {
        Kind::Value
    }
    fn worth(&mut self, mask: u64) -> Result<f64> {
        check_mask(self.n(), mask)?;
        self.value(Coalition::from_mask(mask))
    }
    fn dense(&mut self) -> Result<Game> {
        self.to_game()
    }
}
