//! Compensation: from where the players stand today (the status quo) to a fair split (the
//! target), with the payments that get them there and a stability report on the target.
//!
//! - **Net transfers** `t_i = target_i - status_quo_i`. In a value game a positive `t_i` is
//!   money player `i` receives; in a cost game it is a larger share of the cost, money `i`
//!   pays in.
//! - **Balance.** When both vectors have the same total the transfers sum to zero and the
//!   players settle among themselves. Otherwise the difference `gap = sum target - sum status
//!   quo` is settled with the outside (a value game's positive gap, or a cost game's negative
//!   one, is a subsidy the outside must add; the opposite is a surplus left over), shown as a
//!   party named [`OUTSIDE`].
//! - **Payments.** The largest debtor pays the largest creditor, repeatedly; each payment
//!   clears at least one party, so there are at most `parties - 1` payments (`n - 1` when the
//!   transfers balance).
//! - **Stability of the target**: individual rationality (`x_i >= v({i})`, cost games
//!   `x_i <= c({i})`), core membership, the coalitions with the largest excess (what a group
//!   would gain by walking away: `v(S) - x(S)`, cost games `x(S) - c(S)`), and the cost of
//!   stability of the game (Bachrach et al. 2009).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::coalition::Coalition;
use crate::display::{fmt_number, scale_of};
use crate::error::{Error, Result};
use crate::game::Game;
use crate::solution::core::{in_core_normal, most_violated};
use crate::solution::normal::{accurate_sum, rounding};
use crate::solution::{write_rows, Allocation};

/// The name of the outside party (an upper-level authority, a fund) in payment lists.
pub const OUTSIDE: &str = "(outside)";

/// A fair-division rule usable as a settlement target or compared side by side.
///
/// With serde it reads and writes as its [`Rule::name`]: `"shapley"`, `"banzhaf"`,
/// `"nucleolus"`, `"prenucleolus"`, `"tau"`, `"least_core"`, `"proportional"`,
/// `"equal_surplus"`, `"gately"`, `"solidarity"`, `"ensc"`, `"scrb"`, `"per_capita_nucleolus"`,
/// `"proportional_nucleolus"`, `"disruption_nucleolus"` or `"kernel"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// [`Game::shapley`].
    Shapley,
    /// The normalised Banzhaf value, [`Game::banzhaf_normalized`]: the raw Banzhaf value
    /// rescaled to sum to `v(N)` (Banzhaf 1965; Owen 1975). Undefined when the raw values
    /// sum to zero.
    Banzhaf,
    /// [`Game::nucleolus`].
    Nucleolus,
    /// [`Game::prenucleolus`].
    Prenucleolus,
    /// [`Game::tau_value`].
    Tau,
    /// The least core's canonical point, its lexicographic centre: the prenucleolus
    /// ([`Game::prenucleolus`]), which lies in the least core and is its lexicographic centre
    /// (Maschler, Peleg and Shapley 1979). Its largest excess over the proper coalitions is
    /// [`Game::least_core`]'s `epsilon`, and symmetric players get equal shares (any vertex of
    /// the least core, such as [`LeastCore::allocation`](crate::solution::core::LeastCore),
    /// may not). Undefined for one-player games, like the least core.
    LeastCore,
    /// The proportional rule, [`Game::proportional`]: `x_i = v(N) v({i}) / sum_j v({j})`
    /// (cost games: cost shares proportional to `c({i})`; Moulin 2002, Thomson 2003).
    /// Undefined when the standalone values are all zero or have mixed signs.
    Proportional,
    /// Equal surplus division, [`Game::equal_surplus`]:
    /// `x_i = v({i}) + (v(N) - sum_j v({j})) / n` (cost games: the savings split equally;
    /// Driessen and Funaki 1991).
    EqualSurplus,
    /// The Gately point, [`Game::gately_point`]: equal propensity to disrupt (Gately 1974).
    /// Undefined when `sum_j (M_j - v({j})) = 0`.
    Gately,
    /// The solidarity value, [`Game::solidarity`] (Nowak and Radzik 1994).
    Solidarity,
    /// Equal division of the non-separable cost, [`Game::ensc`] (Young, Okada and Hashimoto
    /// 1982; Driessen and Funaki 1991).
    Ensc,
    /// Separable costs remaining benefits, [`Game::scrb`] (James and Lee 1971). Undefined
    /// when a remaining benefit is negative or all are zero.
    Scrb,
    /// The per-capita nucleolus, [`Game::per_capita_nucleolus`] (excesses per member).
    PerCapitaNucleolus,
    /// The proportional nucleolus, [`Game::proportional_nucleolus`] (excesses relative to
    /// `v(S)`; nonnegative games).
    ProportionalNucleolus,
    /// The disruption nucleolus, [`Game::disruption_nucleolus`] (Littlechild and Vaidya 1976).
    DisruptionNucleolus,
    /// A point of the kernel, [`Game::kernel_point`] (Davis and Maschler 1965), by Stearns'
    /// transfer scheme.
    Kernel,
}

impl FromStr for Rule {
    type Err = Error;
    fn from_str(s: &str) -> Result<Rule> {
        match s.to_ascii_lowercase().replace(['-', ' '], "_").as_str() {
            "shapley" => Ok(Rule::Shapley),
            "banzhaf" | "normalised_banzhaf" | "normalized_banzhaf" => Ok(Rule::Banzhaf),
            "nucleolus" => Ok(Rule::Nucleolus),
            "prenucleolus" => Ok(Rule::Prenucleolus),
            "tau" | "tau_value" => Ok(Rule::Tau),
            "least_core" => Ok(Rule::LeastCore),
            "proportional" => Ok(Rule::Proportional),
            "equal_surplus" | "esd" => Ok(Rule::EqualSurplus),
            "gately" | "gately_point" => Ok(Rule::Gately),
            "solidarity" | "solidarity_value" => Ok(Rule::Solidarity),
            "ensc" => Ok(Rule::Ensc),
            "scrb" => Ok(Rule::Scrb),
            "per_capita_nucleolus" => Ok(Rule::PerCapitaNucleolus),
            "proportional_nucleolus" => Ok(Rule::ProportionalNucleolus),
            "disruption_nucleolus" => Ok(Rule::DisruptionNucleolus),
            "kernel" | "kernel_point" => Ok(Rule::Kernel),
            other => Err(Error::InvalidParameter {
                name: "rule",
                reason: format!(
                    "{other:?} is not a rule; use {}",
                    Rule::ALL.map(Rule::name).join(", ")
                ),
            }),
        }
    }
}

impl Rule {
    /// Every rule, in the order they are listed to users.
    pub const ALL: [Rule; 16] = [
        Rule::Shapley,
        Rule::Banzhaf,
        Rule::Nucleolus,
        Rule::Prenucleolus,
        Rule::Tau,
        Rule::LeastCore,
        Rule::Proportional,
        Rule::EqualSurplus,
        Rule::Gately,
        Rule::Solidarity,
        Rule::Ensc,
        Rule::Scrb,
        Rule::PerCapitaNucleolus,
        Rule::ProportionalNucleolus,
        Rule::DisruptionNucleolus,
        Rule::Kernel,
    ];

    /// The canonical name: `"shapley"`, `"banzhaf"`, `"nucleolus"`, `"prenucleolus"`,
    /// `"tau"`, `"least_core"`, `"proportional"`, `"equal_surplus"`, `"gately"`,
    /// `"solidarity"`, `"ensc"`, `"scrb"`, `"per_capita_nucleolus"`, `"proportional_nucleolus"`,
    /// `"disruption_nucleolus"` or `"kernel"` (what serde writes and [`FromStr`] reads).
    pub fn name(self) -> &'static str {
        match self {
            Rule::Shapley => "shapley",
            Rule::Banzhaf => "banzhaf",
            Rule::Nucleolus => "nucleolus",
            Rule::Prenucleolus => "prenucleolus",
            Rule::Tau => "tau",
            Rule::LeastCore => "least_core",
            Rule::Proportional => "proportional",
            Rule::EqualSurplus => "equal_surplus",
            Rule::Gately => "gately",
            Rule::Solidarity => "solidarity",
            Rule::Ensc => "ensc",
            Rule::Scrb => "scrb",
            Rule::PerCapitaNucleolus => "per_capita_nucleolus",
            Rule::ProportionalNucleolus => "proportional_nucleolus",
            Rule::DisruptionNucleolus => "disruption_nucleolus",
            Rule::Kernel => "kernel",
        }
    }

    /// The label of its allocation in reports: "Shapley value", "normalised Banzhaf value",
    /// "nucleolus", "prenucleolus", "tau value", "least core" (its centre, see
    /// [`Rule::LeastCore`]), "proportional rule", "equal surplus division", "Gately point",
    /// "solidarity value", "ENSC value", "SCRB allocation", "per-capita nucleolus",
    /// "proportional nucleolus", "disruption nucleolus" or "kernel point".
    pub fn label(self) -> &'static str {
        match self {
            Rule::Shapley => "Shapley value",
            Rule::Banzhaf => "normalised Banzhaf value",
            Rule::Nucleolus => "nucleolus",
            Rule::Prenucleolus => "prenucleolus",
            Rule::Tau => "tau value",
            Rule::LeastCore => "least core",
            Rule::Proportional => "proportional rule",
            Rule::EqualSurplus => "equal surplus division",
            Rule::Gately => "Gately point",
            Rule::Solidarity => "solidarity value",
            Rule::Ensc => "ENSC value",
            Rule::Scrb => "SCRB allocation",
            Rule::PerCapitaNucleolus => "per-capita nucleolus",
            Rule::ProportionalNucleolus => "proportional nucleolus",
            Rule::DisruptionNucleolus => "disruption nucleolus",
            Rule::Kernel => "kernel point",
        }
    }

    /// The rule's allocation for `game`; [`Error::Undefined`] when the rule is undefined for
    /// it, [`Error::Interrupted`] when cancelled (see [`crate::cancel`]).
    pub fn apply(self, game: &Game) -> Result<Allocation> {
        match self {
            Rule::Shapley => game.try_shapley(),
            Rule::Banzhaf => game.banzhaf_normalized(),
            Rule::Nucleolus => game.nucleolus(),
            Rule::Prenucleolus => game.prenucleolus(),
            Rule::Tau => game.tau_value(),
            Rule::LeastCore => {
                if game.n() < 2 {
                    // The least core's own error: no proper coalition to constrain.
                    game.least_core()?;
                }
                game.prenucleolus()
            }
            Rule::Proportional => game.proportional(),
            Rule::EqualSurplus => game.equal_surplus(),
            Rule::Gately => game.gately_point(),
            Rule::Solidarity => game.solidarity(),
            Rule::Ensc => game.ensc(),
            Rule::Scrb => game.scrb(),
            Rule::PerCapitaNucleolus => game.per_capita_nucleolus(),
            Rule::ProportionalNucleolus => game.proportional_nucleolus(),
            Rule::DisruptionNucleolus => game.disruption_nucleolus(),
            Rule::Kernel => game.kernel_point(),
        }
    }
}

/// One payment of the settlement.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Payment {
    /// Who pays (a player, or [`OUTSIDE`]).
    pub payer: String,
    /// Who receives.
    pub payee: String,
    /// How much (positive).
    pub amount: f64,
}

/// A coalition and how much it would gain by leaving the target allocation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Blocking {
    /// Its members, in player order.
    pub members: Vec<String>,
    /// Its worth `v(S)` (cost games: its standalone cost `c(S)`).
    pub worth: f64,
    /// What the target gives it, `x(S)` (cost games: the shares it is asked to pay).
    pub allocated: f64,
    /// `v(S) - x(S)` (cost games `x(S) - c(S)`): positive means the group gains by leaving.
    pub excess: f64,
}

/// The settlement from a status quo to a target, with its stability report.
///
/// With serde, reading checks each allocation (see [`Allocation`]) and that `target`,
/// `status_quo` and `net` name the same players in the same order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawSettlement")]
pub struct Settlement {
    /// The fair split aimed at.
    pub target: Allocation,
    /// Where the players stand today.
    pub status_quo: Allocation,
    /// `target - status_quo` per player (see the module docs for the sign in cost games).
    pub net: Allocation,
    /// `sum target - sum status quo`, settled with [`OUTSIDE`] when not zero.
    pub gap: f64,
    /// Who pays whom.
    pub payments: Vec<Payment>,
    /// Players the target leaves worse off than alone.
    pub below_standalone: Vec<String>,
    /// Whether the target is in the core (as [`Game::in_core`] decides at [`Game::tolerance`]).
    pub in_core: bool,
    /// The proper coalitions with the largest excess at the target, largest first.
    pub blocking: Vec<Blocking>,
    /// The cost of stability of the game.
    pub cost_of_stability: f64,
}

/// A [`Settlement`] as read, before validation.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSettlement {
    target: Allocation,
    status_quo: Allocation,
    net: Allocation,
    gap: f64,
    payments: Vec<Payment>,
    below_standalone: Vec<String>,
    in_core: bool,
    blocking: Vec<Blocking>,
    cost_of_stability: f64,
}

impl TryFrom<RawSettlement> for Settlement {
    type Error = Error;
    fn try_from(raw: RawSettlement) -> Result<Settlement> {
        for (name, a) in [("status_quo", &raw.status_quo), ("net", &raw.net)] {
            if a.players() != raw.target.players() {
                return Err(Error::InvalidParameter {
                    name: "settlement",
                    reason: format!("{name} does not name the same players as target"),
                });
            }
        }
        Ok(Settlement {
            target: raw.target,
            status_quo: raw.status_quo,
            net: raw.net,
            gap: raw.gap,
            payments: raw.payments,
            below_standalone: raw.below_standalone,
            in_core: raw.in_core,
            blocking: raw.blocking,
            cost_of_stability: raw.cost_of_stability,
        })
    }
}

impl Settlement {
    /// No player is worse off than alone.
    pub fn individually_rational(&self) -> bool {
        self.below_standalone.is_empty()
    }
}

/// The settlement that takes the players from `status_quo` (default: standalone values
/// `v({i})`) to `target`; `top` coalitions are listed in the stability report.
///
/// # Example
/// ```
/// use coalitional::{Game, settle::settle};
/// let g = Game::from_fn(vec!["A".into(), "B".into(), "C".into()], |s| {
///     [0.0, 0.0, 0.0, 90.0, 0.0, 80.0, 70.0, 150.0][s.index()]
/// }).unwrap();
/// let target = g.shapley(); // (55, 50, 45)
/// let today = coalitional::Allocation::new(g.players().to_vec(), vec![70.0, 50.0, 30.0],
///     coalitional::Kind::Value).unwrap();
/// let s = settle(&g, &target, Some(&today), 3).unwrap();
/// assert_eq!(s.payments.len(), 1); // A pays C 15
/// assert_eq!((s.payments[0].payer.as_str(), s.payments[0].payee.as_str()), ("A", "C"));
/// assert!((s.payments[0].amount - 15.0).abs() < 1e-12);
/// ```
pub fn settle(
    game: &Game,
    target: &Allocation,
    status_quo: Option<&Allocation>,
    top: usize,
) -> Result<Settlement> {
    let n = game.n();
    let players = game.players();
    let check = |a: &Allocation, what: &'static str| -> Result<()> {
        if a.len() != n {
            return Err(Error::AllocationLength { got: a.len(), n });
        }
        if a.players() != players {
            return Err(Error::InvalidParameter {
                name: what,
                reason: format!(
                    "its players {:?} are not the game's players {:?} in order",
                    a.players(),
                    players
                ),
            });
        }
        if let Some((p, x)) = a.iter().find(|(_, x)| !x.is_finite()) {
            return Err(Error::InvalidParameter {
                name: what,
                reason: format!("the entry for {p} is {x}"),
            });
        }
        Ok(())
    };
    check(target, "target")?;
    let standalone = Allocation::from_parts(
        players,
        (0..n)
            .map(|i| game.value(Coalition::singleton(i)))
            .collect(),
        game.kind(),
    );
    let status_quo = match status_quo {
        Some(sq) => {
            check(sq, "status quo")?;
            sq.clone()
        }
        None => standalone.clone(),
    };
    // Stability on the zero-normalised game; money to the rounding of the amounts moved.
    let nm = game.normal()?;
    let sign = nm.shift.sign;
    let largest = target
        .values()
        .iter()
        .chain(status_quo.values())
        .fold(0.0f64, |m, x| m.max(x.abs()));
    let tol = nm.shift.unscale(nm.decision_tol()) + 4.0 * rounding(n, largest);
    let net: Vec<f64> = target
        .values()
        .iter()
        .zip(status_quo.values())
        .map(|(t, s)| t - s)
        .collect();
    // The gap without cancellation error: totals that agree give a gap of (nearly) 0.
    let gap = accurate_sum(
        target
            .values()
            .iter()
            .copied()
            .chain(status_quo.values().iter().map(|s| -s)),
    );
    // Money each party receives: value games receive a positive net; cost games pay it.
    let mut parties: Vec<(String, f64)> = players
        .iter()
        .cloned()
        .zip(net.iter().map(|t| sign * t))
        .collect();
    if gap.abs() > tol {
        parties.push((OUTSIDE.to_string(), -sign * gap));
    }
    let payments = payment_list(&parties, tol);
    let below_standalone = (0..n)
        .filter(|&i| sign * (target[i] - standalone[i]) < -tol)
        .map(|i| players[i].clone())
        .collect();
    // The excesses w(S) - y(S) of the normalised game are those of the game, computed at the
    // scale of the surplus; core membership as `Game::in_core` decides it.
    let y = nm.lower(target.values());
    let (_, worst) = most_violated(nm.w(), &y, false, f64::NEG_INFINITY, top)?;
    let in_core = in_core_normal(&nm, target.values(), nm.decision_tol())?;
    let blocking = worst
        .into_iter()
        .map(|(excess, mask)| {
            let s = Coalition::from_mask(mask);
            Blocking {
                members: s.members().map(|i| players[i].clone()).collect(),
                worth: game.value(s),
                allocated: s.members().map(|i| target[i]).sum(),
                excess,
            }
        })
        .collect();
    Ok(Settlement {
        target: target.clone(),
        status_quo,
        net: Allocation::from_parts(players, net, game.kind()),
        gap,
        payments,
        below_standalone,
        in_core,
        blocking,
        cost_of_stability: game.cost_of_stability()?,
    })
}

impl Payment {
    fn write(&self, f: &mut fmt::Formatter<'_>, scale: f64) -> fmt::Result {
        let amount = fmt_number(self.amount, scale);
        write!(f, "{} pays {} {amount}", self.payer, self.payee)
    }
}

/// `A pays C 15`, the amount rounded for display (see [`Settlement`]'s `Display`).
impl fmt::Display for Payment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, self.amount.abs())
    }
}

impl Blocking {
    fn write(&self, f: &mut fmt::Formatter<'_>, scale: f64) -> fmt::Result {
        write!(
            f,
            "{{{}}}: worth {}, allocated {}, excess {}",
            self.members.join(", "),
            fmt_number(self.worth, scale),
            fmt_number(self.allocated, scale),
            fmt_number(self.excess, scale)
        )
    }
}

/// `{A, B}: worth 90, allocated 105, excess -15`, rounded at the scale of its numbers.
impl fmt::Display for Blocking {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scale = scale_of(&[self.worth, self.allocated, self.excess]);
        self.write(f, scale)
    }
}

/// A short report: per player the status quo, the target and the net transfer; the gap with
/// the outside; the payments; the stability of the target. Every number is rounded at the
/// scale of the largest one shown (10 significant digits, whole numbers snapped, noise shown as
/// `0`; see [`Allocation`]'s `Display`); `Debug` shows the exact numbers.
///
/// ```
/// use coalitional::{settle, Allocation, Game, Kind};
/// let g = Game::from_fn(vec!["A".into(), "B".into(), "C".into()], |s| {
///     [0.0, 0.0, 0.0, 90.0, 0.0, 80.0, 70.0, 150.0][s.index()]
/// }).unwrap();
/// let today = Allocation::new(g.players().to_vec(), vec![70.0, 50.0, 30.0], Kind::Value).unwrap();
/// let s = settle(&g, &g.shapley(), Some(&today), 1).unwrap();
/// let text = s.to_string();
/// assert!(text.contains("A pays C 15"), "{text}");
/// ```
impl fmt::Display for Settlement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scale = scale_of(
            self.target
                .values()
                .iter()
                .chain(self.status_quo.values())
                .chain(self.net.values())
                .chain(self.blocking.iter().flat_map(|b| [&b.worth, &b.allocated]))
                .chain([&self.gap, &self.cost_of_stability]),
        );
        let num = |x: f64| fmt_number(x, scale);
        let what = match self.target.kind() {
            crate::game::Kind::Value => "payoffs",
            crate::game::Kind::Cost => "cost shares",
        };
        writeln!(f, "Settlement ({what})")?;
        let cells: Vec<[String; 3]> = (0..self.target.len())
            .map(|i| {
                [
                    num(self.status_quo[i]),
                    num(self.target[i]),
                    num(self.net[i]),
                ]
            })
            .collect();
        let w = cells
            .iter()
            .flatten()
            .map(|c| c.chars().count())
            .max()
            .unwrap_or(0)
            .max("status quo".len());
        let header = format!("{:>w$}  {:>w$}  {:>w$}", "status quo", "target", "net");
        let rows = std::iter::once(("player", header)).chain(
            self.target
                .players()
                .iter()
                .zip(&cells)
                .map(|(p, [a, b, c])| (p.as_str(), format!("{a:>w$}  {b:>w$}  {c:>w$}"))),
        );
        write_rows(f, rows)?;
        writeln!(f)?;
        // A value game's positive gap (a cost game's negative one) is a subsidy from outside.
        let subsidy = match self.target.kind() {
            crate::game::Kind::Value => self.gap,
            crate::game::Kind::Cost => -self.gap,
        };
        match num(subsidy).as_str() {
            "0" => writeln!(f, "balanced: the players settle among themselves")?,
            _ if subsidy > 0.0 => writeln!(f, "subsidy from {OUTSIDE}: {}", num(subsidy))?,
            _ => writeln!(f, "surplus left to {OUTSIDE}: {}", num(-subsidy))?,
        }
        if self.payments.is_empty() {
            writeln!(f, "payments: none")?;
        } else {
            writeln!(f, "payments:")?;
            for p in &self.payments {
                write!(f, "  ")?;
                p.write(f, scale)?;
                writeln!(f)?;
            }
        }
        let yes = |b: bool| if b { "yes" } else { "no" };
        write!(
            f,
            "target in the core: {}; individually rational: {}",
            yes(self.in_core),
            yes(self.individually_rational())
        )?;
        if !self.below_standalone.is_empty() {
            write!(
                f,
                " (below standalone: {})",
                self.below_standalone.join(", ")
            )?;
        }
        writeln!(f)?;
        if !self.blocking.is_empty() {
            writeln!(
                f,
                "largest excesses (positive: the group gains by leaving):"
            )?;
            for b in &self.blocking {
                write!(f, "  ")?;
                b.write(f, scale)?;
                writeln!(f)?;
            }
        }
        write!(f, "cost of stability: {}", num(self.cost_of_stability))
    }
}

/// Greedy payments for `(party, amount to receive)` pairs that sum to zero: the largest
/// debtor pays the largest creditor until everyone is within `tol` of settled.
fn payment_list(parties: &[(String, f64)], tol: f64) -> Vec<Payment> {
    let mut owed: Vec<(usize, f64)> = Vec::new(); // debtors, amount to pay
    let mut due: Vec<(usize, f64)> = Vec::new(); // creditors, amount to receive
    for (k, (_, x)) in parties.iter().enumerate() {
        if *x < -tol {
            owed.push((k, -x));
        } else if *x > tol {
            due.push((k, *x));
        }
    }
    let mut payments = Vec::new();
    loop {
        let largest = |v: &Vec<(usize, f64)>| {
            v.iter()
                .enumerate()
                .max_by(|a, b| a.1 .1.total_cmp(&b.1 .1).then(b.1 .0.cmp(&a.1 .0)))
                .map(|(pos, _)| pos)
        };
        let (Some(d), Some(c)) = (largest(&owed), largest(&due)) else {
            break;
        };
        let amount = owed[d].1.min(due[c].1);
        payments.push(Payment {
            payer: parties[owed[d].0].0.clone(),
            payee: parties[due[c].0].0.clone(),
            amount,
        });
        owed[d].1 -= amount;
        due[c].1 -= amount;
        owed.retain(|x| x.1 > tol);
        due.retain(|x| x.1 > tol);
    }
    payments
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::Kind;

    #[test]
    fn payments_clear_everyone_with_few_transfers() {
        let parties: Vec<(String, f64)> = [("a", -10.0), ("b", -5.0), ("c", 12.0), ("d", 3.0)]
            .iter()
            .map(|(p, x)| (p.to_string(), *x))
            .collect();
        let pay = payment_list(&parties, 1e-12);
        assert!(pay.len() <= 3, "{pay:?}");
        for (name, x) in &parties {
            let received: f64 = pay
                .iter()
                .map(|p| {
                    if &p.payee == name {
                        p.amount
                    } else if &p.payer == name {
                        -p.amount
                    } else {
                        0.0
                    }
                })
                .sum();
            assert!((received - x).abs() < 1e-12, "{name}: {received} vs {x}");
        }
    }

    #[test]
    fn settlement_display_rounds_and_names_the_outside() {
        let players: Vec<String> = vec!["a".into(), "b".into()];
        let g = Game::with_kind(players.clone(), vec![0.0, 10.0, 10.0, 15.0], Kind::Cost).unwrap();
        let target =
            Allocation::new(players.clone(), vec![7.500000000000001, 7.5], Kind::Cost).unwrap();
        let today = Allocation::new(players, vec![5.0, 5.0 - 1e-15], Kind::Cost).unwrap();
        let s = settle(&g, &target, Some(&today), 2).unwrap();
        let text = s.to_string();
        assert!(text.starts_with("Settlement (cost shares)"), "{text}");
        assert!(text.contains("surplus left to (outside): 5"), "{text}");
        assert!(text.contains("a pays (outside) 2.5"), "{text}");
        assert!(!text.contains("000000"), "{text}");
        assert!(!text.contains("-0"), "{text}");
        assert_eq!(s.payments[0].to_string(), "a pays (outside) 2.5");
    }

    #[test]
    fn rules_parse() {
        assert_eq!("Shapley".parse::<Rule>().unwrap(), Rule::Shapley);
        assert_eq!("least-core".parse::<Rule>().unwrap(), Rule::LeastCore);
        assert!("median".parse::<Rule>().is_err());
        assert_eq!("Equal surplus".parse::<Rule>().unwrap(), Rule::EqualSurplus);
        assert_eq!("proportional".parse::<Rule>().unwrap(), Rule::Proportional);
        assert_eq!("normalised-banzhaf".parse::<Rule>().unwrap(), Rule::Banzhaf);
        for r in Rule::ALL {
            assert_eq!(r.name().parse::<Rule>().unwrap(), r);
            let json = serde_json::to_string(&r).unwrap();
            assert_eq!(json, format!("\"{}\"", r.name()));
            assert_eq!(serde_json::from_str::<Rule>(&json).unwrap(), r);
        }
    }

    #[test]
    fn new_rules_apply_and_settle() {
        // Standalone 10, 20, 30; pairs add 6; all three add 12.
        let g = Game::from_fn(vec!["a".into(), "b".into(), "c".into()], |s| {
            let base: f64 = s.members().map(|i| 10.0 * (i + 1) as f64).sum();
            base + [0.0, 0.0, 6.0, 12.0][s.len()]
        })
        .unwrap();
        let p = Rule::Proportional.apply(&g).unwrap();
        let e = Rule::EqualSurplus.apply(&g).unwrap();
        let b = Rule::Banzhaf.apply(&g).unwrap();
        let close = |x: &Allocation, y: &[f64]| {
            x.values().iter().zip(y).all(|(a, b)| (a - b).abs() < 1e-12)
        };
        assert!(close(&p, &[12.0, 24.0, 36.0]), "{p:?}");
        assert!(close(&e, &[14.0, 24.0, 34.0]), "{e:?}");
        assert!(close(&b, g.banzhaf_normalized().unwrap().values()));
        assert!((b.total() - 72.0).abs() < 1e-12, "{b:?}");
        // Equal surplus is in this convex game's core; its complaint is v(S) - x(S) < 0.
        let s = settle(&g, &e, None, 1).unwrap();
        assert!(s.in_core);
        assert!(
            (s.blocking[0].excess - (-2.0)).abs() < 1e-12,
            "{:?}",
            s.blocking
        );
        assert!(matches!(
            Rule::Proportional.apply(&Game::from_values(vec![0.0, 0.0, 0.0, 1.0]).unwrap()),
            Err(Error::Undefined { .. })
        ));
    }

    #[test]
    fn least_core_rule_is_the_centre() {
        // Symmetric 4-player game with an empty core: every pair is worth 1, triples 1.6, all 2.
        // Its least core is a polytope with many vertices; the rule gives the centre.
        let g = Game::from_fn((0..4).map(|i| format!("p{i}")).collect(), |s| {
            [0.0, 0.0, 1.0, 1.6, 2.0][s.len()]
        })
        .unwrap();
        let x = Rule::LeastCore.apply(&g).unwrap();
        for v in x.values() {
            assert!((v - 0.5).abs() < 1e-9, "{x:?}");
        }
        // Its largest excess over the proper coalitions is the least core's epsilon.
        let eps = g.least_core().unwrap().epsilon;
        let worst = (1..(1u64 << 4) - 1)
            .map(|m| {
                let s = Coalition::from_mask(m);
                g.value(s) - s.members().map(|i| x[i]).sum::<f64>()
            })
            .fold(f64::NEG_INFINITY, f64::max);
        assert!((worst - eps).abs() < 1e-9, "{worst} vs {eps}");
        // Symmetric cost game with a nonempty core: equal shares, excess = epsilon.
        let c = Game::with_kind(
            vec!["a".into(), "b".into(), "c".into()],
            vec![0.0, 10.0, 10.0, 15.0, 10.0, 15.0, 15.0, 18.0],
            Kind::Cost,
        )
        .unwrap();
        let y = Rule::LeastCore.apply(&c).unwrap();
        assert!(y.values().iter().all(|v| (v - 6.0).abs() < 1e-9), "{y:?}");
        assert!(Rule::LeastCore
            .apply(&Game::from_values(vec![0.0, 1.0]).unwrap())
            .is_err());
    }
}
