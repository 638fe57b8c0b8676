//! Multi-year agreements: a fair split of the whole horizon paid out year by year, so that at
//! every year the payments still due are the fair split of what is still to come.
//!
//! The players cooperate for `T` years; year `t` has its own game `g_t` (the same players, in
//! the same order, and the same [`Kind`]). Money is discounted at a rate `r >= 0`, with factor
//! `delta = 1 / (1 + r)`. The **remaining game** at year `t` is what cooperation from year `t`
//! on is worth, in year-`t` money,
//!
//! `R_t = sum_{s >= t} delta^(s - t) g_s`, and `R_(T+1) = 0`,
//!
//! and `phi` is a division rule ([`Rule`]). The **imputation distribution procedure** (L. A.
//! Petrosyan, "Stable solutions of differential games with many participants", *Vestnik of
//! Leningrad University* 19, 1977; L. Petrosyan and G. Zaccour, "Time-consistent Shapley value
//! allocation of pollution cost reduction", *Journal of Economic Dynamics and Control* 27(3),
//! 2003) pays in year `t`
//!
//! `beta_t = phi(R_t) - delta phi(R_(t+1))`.
//!
//! Then:
//! - **the whole horizon**: `sum_t delta^(t-1) beta_t = phi(R_1)`, the rule applied to the
//!   discounted total game (the sum telescopes);
//! - **time consistency**: at every year `t`, the payments still due, discounted to year `t`,
//!   are `sum_{s >= t} delta^(s-t) beta_s = phi(R_t)`: the rule applied afresh to what is left
//!   agrees with what the agreement still pays, so no one gains by renegotiating;
//! - **budget**: for an efficient rule, `sum_i beta_(t,i) = R_t(N) - delta R_(t+1)(N) = g_t(N)`:
//!   each year pays out exactly that year's worth;
//! - **linear rules** (Shapley, equal surplus): `beta_t = phi(g_t)`, whatever the discount;
//!   for the others (the nucleolus, ...) the payments of a year depend on the years after it,
//!   and can be negative even where every `g_t` is nonnegative.
//!
//! **Signs.** In a value game `beta_(t,i)` is what player `i` receives in year `t`; a negative
//! payment means `i` pays into the agreement that year. In a cost game `beta_(t,i)` is `i`'s
//! share of the year's cost; a negative share means `i` is paid that year (a refund from the
//! others).
//!
//! **Numbers.** `R_t(S)` is built by the recursion `R_t = g_t + delta R_(t+1)` in double-double
//! arithmetic (TwoSum and a fused multiply-add for the product's error; Dekker 1971), so each
//! worth is the exact discounted sum rounded once: budgets of `10^8` with surpluses of a few
//! units keep their surplus, and with `r = 0` whole numbers stay whole. Each
//! `beta_t = phi(R_t) - delta phi(R_(t+1))` is rounded once (fused multiply-add).
//!
//! **Checks** ([`YearCheck`], one per year), each computed from the results, not from how they
//! were built: the time-consistency gap `max_i |sum_{s >= t} delta^(s-t) beta_(s,i) - phi(R_t)_i|`
//! (a compensated sum of the payments), within the year's tolerance; whether `phi(R_t)` is in
//! the core of `R_t` ([`Game::in_core`] at [`Game::tolerance`]) and the proper coalition with
//! the largest excess there (what a group would gain by leaving the agreement at year `t`);
//! the players with a negative payment.
//!
//! Cost: `T` applications of the rule to dense games of `2^n` worths, and `O(T 2^n)` for the
//! remaining games, built one at a time from the last year back (memory: three dense arrays
//! besides the input).

use std::borrow::Borrow;
use std::fmt;

use serde::Serialize;

use crate::cancel;
use crate::coalition::Coalition;
use crate::display::{fmt_number, scale_of};
use crate::error::{Error, Result};
use crate::game::{Game, Kind};
use crate::memory;
use crate::settle::{Blocking, Rule};
use crate::solution::core::most_violated;
use crate::solution::normal::{accurate_sum, rounding, two_sum};
use crate::solution::{write_rows, Allocation};

/// The checks of one year of a [`Schedule`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct YearCheck {
    /// The year, from 1.
    pub year: usize,
    /// `max_i |sum_{s >= t} delta^(s-t) beta_(s,i) - phi(R_t)_i|`: how far the payments still
    /// due (discounted to this year) are from the rule applied to the remaining game.
    pub gap: f64,
    /// The year's tolerance: [`Game::tolerance`] of the remaining game `R_t` plus the rounding
    /// of the numbers the gap is made of (`(T - t + 1 + n) 2^-52` of the largest payment from
    /// this year on or share of `phi(R_t)`).
    pub tolerance: f64,
    /// `gap <= tolerance`.
    pub consistent: bool,
    /// Whether `phi(R_t)` is in the core of `R_t` ([`Game::in_core`] at [`Game::tolerance`]).
    pub in_core: bool,
    /// The proper coalition with the largest excess at `phi(R_t)` in `R_t` (`R_t(S) - x(S)`;
    /// cost games `x(S) - R_t(S)`): positive means it gains by leaving the agreement at this
    /// year. `None` for one player (no proper coalition).
    pub complaint: Option<Blocking>,
    /// The players whose payment this year is below `-tolerance` (value games: they pay into
    /// the agreement this year; cost games: they are paid this year).
    pub negative: Vec<String>,
}

/// The payments of a multi-year agreement, year by year, with their checks (see the module
/// docs for the construction and [`payment_schedule`] to build one).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Schedule {
    players: Vec<String>,
    kind: Kind,
    rule: Rule,
    discount: f64,
    /// `payments[t - 1][i] = beta_(t,i)`.
    payments: Vec<Vec<f64>>,
    /// `phi(R_1)`.
    total: Allocation,
    /// `remaining[t - 1] = phi(R_t)`.
    remaining: Vec<Allocation>,
    checks: Vec<YearCheck>,
}

impl Schedule {
    /// Player names, in order.
    pub fn players(&self) -> &[String] {
        &self.players
    }

    /// Value (payoffs) or cost (cost shares).
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// The division rule.
    pub fn rule(&self) -> Rule {
        self.rule
    }

    /// The discount rate `r`.
    pub fn discount(&self) -> f64 {
        self.discount
    }

    /// The discount factor `delta = 1 / (1 + r)`.
    pub fn factor(&self) -> f64 {
        1.0 / (1.0 + self.discount)
    }

    /// The number of years `T`.
    pub fn years(&self) -> usize {
        self.payments.len()
    }

    /// The payments, one row per year (row `t - 1` is year `t`), one column per player.
    pub fn payments(&self) -> &[Vec<f64>] {
        &self.payments
    }

    /// The payments of year `t` (from 1) as an allocation; `None` outside `1..=T`.
    pub fn payments_in(&self, year: usize) -> Option<Allocation> {
        let row = self.payments.get(year.checked_sub(1)?)?;
        Some(Allocation::from_parts(
            &self.players,
            row.clone(),
            self.kind,
        ))
    }

    /// `phi(R_1)`: the rule applied to the discounted total game `sum_t delta^(t-1) g_t`, in
    /// year-1 money; equal to the discounted sum of the payments.
    pub fn total(&self) -> &Allocation {
        &self.total
    }

    /// `phi(R_t)` for every year (index `t - 1`): what the rule gives for the years from `t`
    /// on, in year-`t` money.
    pub fn remaining(&self) -> &[Allocation] {
        &self.remaining
    }

    /// One [`YearCheck`] per year.
    pub fn checks(&self) -> &[YearCheck] {
        &self.checks
    }

    /// Every year's gap is within its tolerance.
    pub fn is_time_consistent(&self) -> bool {
        self.checks.iter().all(|c| c.consistent)
    }
}

/// The payment schedule of a multi-year agreement (see the module docs): `games[t - 1]` is
/// year `t`'s game, `rule` the division rule, `discount` the rate `r >= 0` (the factor is
/// `1 / (1 + r)`).
///
/// Fails with [`Error::InvalidParameter`] (`name = "games"`) for an empty list, or when a
/// year's players (names and order) or kind differ from year 1's (the reason names the year);
/// with `name = "discount"` for a negative or non-finite rate. A rule undefined for a
/// remaining game returns the rule's [`Error::Undefined`], its reason naming the year.
///
/// # Example
/// The Shapley value is linear, so each year pays that year's Shapley value:
/// ```
/// use coalitional::{payment_schedule, Game, Rule};
/// let players: Vec<String> = vec!["A".into(), "B".into()];
/// let y1 = Game::new(players.clone(), vec![0.0, 1.0, 0.0, 3.0]).unwrap();
/// let y2 = Game::new(players, vec![0.0, 0.0, 2.0, 4.0]).unwrap();
/// let s = payment_schedule(&[y1, y2], Rule::Shapley, 0.05).unwrap();
/// assert!((s.payments()[0][0] - 2.0).abs() < 1e-12); // Shapley of year 1: (2, 1)
/// assert!((s.payments()[1][1] - 3.0).abs() < 1e-12); // Shapley of year 2: (1, 3)
/// // The whole horizon in year-1 money: (2 + 1/1.05, 1 + 3/1.05).
/// assert!((s.total()["A"] - (2.0 + 1.0 / 1.05)).abs() < 1e-12);
/// assert!(s.is_time_consistent());
/// ```
pub fn payment_schedule<G: Borrow<Game>>(
    games: &[G],
    rule: Rule,
    discount: f64,
) -> Result<Schedule> {
    let first = check_years(games)?;
    if !(discount.is_finite() && discount >= 0.0) {
        return Err(Error::InvalidParameter {
            name: "discount",
            reason: format!("a discount rate must be a finite number >= 0, not {discount}"),
        });
    }
    let delta = 1.0 / (1.0 + discount);
    let (n, years) = (first.n(), games.len());
    let players = first.players().to_vec();
    let kind = first.kind();
    memory::check_dense(n, 3)?;
    let len = 1usize << n;
    // R_(t+1) as a double-double (hi, lo) per coalition; R_(T+1) = 0.
    let mut hi = memory::try_filled(len, 0.0f64, n)?;
    let mut lo = memory::try_filled(len, 0.0f64, n)?;
    let mut payments = vec![Vec::new(); years];
    let mut remaining: Vec<Option<Allocation>> = vec![None; years];
    let mut partial = Vec::with_capacity(years);
    let mut next: Option<Vec<f64>> = None;
    for t in (0..years).rev() {
        cancel::check()?;
        let g = games[t].borrow().values();
        for ((h, l), &v) in hi.iter_mut().zip(lo.iter_mut()).zip(g) {
            // R_t = g_t + delta R_(t+1): the product's error by a fused multiply-add.
            let p = delta * *h;
            let pe = delta.mul_add(*h, -p) + delta * *l;
            let (s, e) = two_sum(v, p);
            (*h, *l) = two_sum(s, e + pe);
        }
        let mut values = memory::try_with_capacity(len, n)?;
        values.extend_from_slice(&hi);
        let r_t = Game::with_kind(players.clone(), values, kind)?;
        let phi = rule.apply(&r_t).map_err(|e| in_year(e, t + 1))?;
        let beta: Vec<f64> = match &next {
            None => phi.values().to_vec(),
            Some(after) => phi
                .values()
                .iter()
                .zip(after)
                .map(|(x, y)| (-delta).mul_add(*y, *x))
                .collect(),
        };
        partial.push(stability(&r_t, &phi)?);
        next = Some(phi.values().to_vec());
        payments[t] = beta;
        remaining[t] = Some(phi);
    }
    partial.reverse();
    let remaining: Vec<Allocation> = remaining.into_iter().flatten().collect();
    let checks = partial
        .into_iter()
        .enumerate()
        .map(|(t, (game_tol, in_core, complaint))| {
            year_check(
                t,
                &payments,
                &remaining[t],
                delta,
                game_tol,
                in_core,
                complaint,
            )
        })
        .collect();
    Ok(Schedule {
        players,
        kind,
        rule,
        discount,
        payments,
        total: remaining[0].clone(),
        remaining,
        checks,
    })
}

/// The payment schedule when every year is a share of one game: year `t`'s game is
/// `w_t / sum_s w_s` times `total` (see [`profile_games`]; the weights are normalised, so
/// that with `discount = 0` the years add up to `total`), then [`payment_schedule`].
///
/// With `discount = 0` and a rule that is homogeneous (`phi(c v) = c phi(v)` for `c > 0`, as
/// every [`Rule`] is), year `t` pays `w_t / sum_s w_s` times the rule's allocation of `total`.
/// Weights of 0 in the last years make the last remaining games zero, where the proportional
/// and normalised Banzhaf rules are undefined ([`Error::Undefined`]).
pub fn payment_schedule_from_profile(
    total: &Game,
    profile: &[f64],
    rule: Rule,
    discount: f64,
) -> Result<Schedule> {
    payment_schedule(&profile_games(total, profile)?, rule, discount)
}

/// The games of the years of a profile: `g_t = (w_t / sum_s w_s) total`, one per weight.
///
/// Fails with [`Error::InvalidParameter`] (`name = "profile"`) for an empty profile, an entry
/// that is negative or not finite (the reason names its year), or weights summing to 0.
pub fn profile_games(total: &Game, profile: &[f64]) -> Result<Vec<Game>> {
    let bad = |reason: String| Error::InvalidParameter {
        name: "profile",
        reason,
    };
    if profile.is_empty() {
        return Err(bad("a profile needs at least one year".into()));
    }
    if let Some(k) = profile.iter().position(|w| !(w.is_finite() && *w >= 0.0)) {
        return Err(bad(format!(
            "the weight of year {} is {}; weights must be finite numbers >= 0",
            k + 1,
            profile[k]
        )));
    }
    let sum = accurate_sum(profile.iter().copied());
    if !(sum > 0.0 && sum.is_finite()) {
        return Err(bad(format!(
            "the weights sum to {sum}; they must have a positive finite sum"
        )));
    }
    let copies = u32::try_from(profile.len()).unwrap_or(u32::MAX);
    memory::check_dense(total.n(), copies)?;
    profile
        .iter()
        .map(|w| {
            let share = w / sum;
            let values = total.values().iter().map(|v| share * v).collect();
            Game::with_kind(total.players().to_vec(), values, total.kind())
        })
        .collect()
}

/// The first game, after checking that there is one and that every year has its players
/// (names, order) and kind.
fn check_years<G: Borrow<Game>>(games: &[G]) -> Result<&Game> {
    let bad = |reason: String| Error::InvalidParameter {
        name: "games",
        reason,
    };
    let first = games
        .first()
        .ok_or_else(|| bad("a schedule needs the game of at least one year".into()))?
        .borrow();
    for (k, g) in games.iter().enumerate().skip(1) {
        let g = g.borrow();
        if g.players() != first.players() {
            return Err(bad(format!(
                "year {} has the players {:?}, year 1 has {:?}; every year needs the same players in the same order",
                k + 1,
                g.players(),
                first.players()
            )));
        }
        if g.kind() != first.kind() {
            return Err(bad(format!(
                "year {} is a {} game, year 1 a {} game; every year needs the same kind",
                k + 1,
                g.kind(),
                first.kind()
            )));
        }
    }
    Ok(first)
}

/// A rule's [`Error::Undefined`] for the remaining game of `year`, saying so.
fn in_year(err: Error, year: usize) -> Error {
    match err {
        Error::Undefined { concept, reason } => Error::Undefined {
            concept,
            reason: format!("{reason} (the remaining game of year {year})"),
        },
        other => other,
    }
}

/// `(tolerance, in core, largest complaint)` of `phi` in the remaining game `r`.
fn stability(r: &Game, phi: &Allocation) -> Result<(f64, bool, Option<Blocking>)> {
    let tol = r.tolerance();
    let in_core = r.in_core(phi.values(), tol)?;
    // The excesses of the zero-normalised game are those of the game, at the scale of the
    // surplus (cost games: x(S) - c(S)).
    let nm = r.normal()?;
    let y = nm.lower(phi.values());
    let (_, worst) = most_violated(nm.w(), &y, false, f64::NEG_INFINITY, 1)?;
    let complaint = worst.into_iter().next().map(|(excess, mask)| {
        let s = Coalition::from_mask(mask);
        Blocking {
            members: s.members().map(|i| r.players()[i].clone()).collect(),
            worth: r.value(s),
            allocated: accurate_sum(s.members().map(|i| phi[i])),
            excess: nm.shift.unscale(excess),
        }
    });
    Ok((tol, in_core, complaint))
}

/// The check of year `t + 1`: the gap recomputed from the payments (a compensated sum).
fn year_check(
    t: usize,
    payments: &[Vec<f64>],
    phi: &Allocation,
    delta: f64,
    game_tol: f64,
    in_core: bool,
    complaint: Option<Blocking>,
) -> YearCheck {
    let n = phi.len();
    let later = &payments[t..];
    let gap = (0..n)
        .map(|i| {
            let due = accurate_sum(
                later
                    .iter()
                    .enumerate()
                    .map(|(k, row)| delta.powi(k as i32) * row[i]),
            );
            (due - phi[i]).abs()
        })
        .fold(0.0f64, f64::max);
    let largest = scale_of(phi.values()).max(scale_of(later.iter().flatten()));
    let tolerance = game_tol + rounding(later.len() + n, largest);
    let negative = (0..n)
        .filter(|&i| payments[t][i] < -tolerance)
        .map(|i| phi.players()[i].clone())
        .collect();
    YearCheck {
        year: t + 1,
        gap,
        tolerance,
        consistent: gap <= tolerance,
        in_core,
        complaint,
        negative,
    }
}

/// A table of the payments (one row per year, one column per player, and the year's total),
/// the horizon's allocation `phi(R_1)` (the discounted sum, in year-1 money), then one line of
/// checks per year. Numbers are rounded at the scale of the largest one shown (see
/// [`Allocation`]'s `Display`); `Debug` shows them exactly.
///
/// ```
/// use coalitional::{payment_schedule, Game, Rule};
/// let players: Vec<String> = vec!["A".into(), "B".into()];
/// let y1 = Game::new(players.clone(), vec![0.0, 1.0, 0.0, 3.0]).unwrap();
/// let y2 = Game::new(players, vec![0.0, 0.0, 2.0, 4.0]).unwrap();
/// let text = payment_schedule(&[y1, y2], Rule::Shapley, 0.0).unwrap().to_string();
/// assert!(text.starts_with("Payment schedule: Shapley value over 2 years"), "{text}");
/// assert!(text.contains("year 2: time-consistent"), "{text}");
/// ```
impl fmt::Display for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let totals: Vec<f64> = self
            .payments
            .iter()
            .map(|row| accurate_sum(row.iter().copied()))
            .collect();
        let scale = scale_of(
            self.payments
                .iter()
                .flatten()
                .chain(self.total.values())
                .chain(&totals),
        );
        let num = |x: f64| fmt_number(x, scale);
        let what = match self.kind {
            Kind::Value => "payoffs",
            Kind::Cost => "cost shares",
        };
        writeln!(
            f,
            "Payment schedule: {} over {} years, discount rate {} ({what} per year)",
            self.rule.label(),
            self.years(),
            fmt_number(self.discount, 0.0)
        )?;
        let horizon = "present value";
        let mut labels: Vec<String> = (1..=self.years()).map(|t| format!("year {t}")).collect();
        labels.push(horizon.into());
        let mut grid: Vec<Vec<String>> = self
            .payments
            .iter()
            .zip(&totals)
            .map(|(row, tot)| row.iter().chain([tot]).map(|&x| num(x)).collect())
            .collect();
        let horizon_total = accurate_sum(self.total.values().iter().copied());
        grid.push(
            self.total
                .values()
                .iter()
                .chain([&horizon_total])
                .map(|&x| num(x))
                .collect(),
        );
        let headers: Vec<&str> = self
            .players
            .iter()
            .map(String::as_str)
            .chain(["total"])
            .collect();
        let widths: Vec<usize> = headers
            .iter()
            .enumerate()
            .map(|(j, h)| {
                grid.iter()
                    .map(|row| row[j].chars().count())
                    .chain([h.chars().count()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |cells: &[&str]| {
            cells
                .iter()
                .zip(&widths)
                .map(|(c, &w)| format!("{c:>w$}"))
                .collect::<Vec<_>>()
                .join("  ")
        };
        let rows = std::iter::once(("", line(&headers))).chain(labels.iter().zip(&grid).map(
            |(label, row)| {
                let cells: Vec<&str> = row.iter().map(String::as_str).collect();
                (label.as_str(), line(&cells))
            },
        ));
        write_rows(f, rows)?;
        writeln!(f)?;
        let yes = |b: bool| if b { "yes" } else { "no" };
        let negative = match self.kind {
            Kind::Value => "pay in",
            Kind::Cost => "are paid",
        };
        write!(f, "checks:")?;
        for c in &self.checks {
            write!(
                f,
                "\n  year {}: {} (gap {}); remaining split in the core: {}",
                c.year,
                if c.consistent {
                    "time-consistent"
                } else {
                    "NOT time-consistent"
                },
                fmt_number(c.gap, scale),
                yes(c.in_core)
            )?;
            if let Some(b) = &c.complaint {
                write!(
                    f,
                    "; largest excess {{{}}} {}",
                    b.members.join(", "),
                    num(b.excess)
                )?;
            }
            if !c.negative.is_empty() {
                write!(f, "; {negative}: {}", c.negative.join(", "))?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(v: [f64; 3]) -> Game {
        Game::new(vec!["a".into(), "b".into()], vec![0.0, v[0], v[1], v[2]]).unwrap()
    }

    #[test]
    fn remaining_games_are_exact_discounted_sums() {
        // 1e8 budgets with a surplus of 3 per year, discount 0: whole numbers stay whole.
        let y = pair([1e8, 2e8, 3e8 + 3.0]);
        let s = payment_schedule(&[y.clone(), y.clone(), y], Rule::Nucleolus, 0.0).unwrap();
        assert_eq!(s.total().values(), &[3e8 + 4.5, 6e8 + 4.5]);
        for row in s.payments() {
            assert_eq!(row, &vec![1e8 + 1.5, 2e8 + 1.5]);
        }
        assert!(s.is_time_consistent());
        assert!(s.checks().iter().all(|c| c.gap == 0.0 && c.in_core));
    }

    #[test]
    fn display_lists_years_and_checks() {
        let s = payment_schedule(
            &[pair([0.0, 0.0, 2.0]), pair([1.0, 0.0, 1.0])],
            Rule::Nucleolus,
            0.0,
        )
        .unwrap();
        let text = s.to_string();
        assert!(text.contains("present value"), "{text}");
        assert!(text.contains("year 1: time-consistent"), "{text}");
        assert!(!text.contains("000000"), "{text}");
    }
}
