//! `payment_schedule` against independent computations: the Shapley value by permutations
//! (linear, so each year pays its own game's value), the nucleolus of the discounted total
//! game built here, the rule applied afresh to each remaining game built here (time
//! consistency), budgets of 1e8 with surpluses of a few units and scale/shift covariance, a
//! hand-solved case with a negative payment and one whose remaining split leaves the core,
//! and the errors.

mod common;

use coalitional::{
    payment_schedule, payment_schedule_from_profile, Coalition, Error, Game, Kind, Rule, Schedule,
};
use common::{names, shapley_by_permutations};
use proptest::prelude::*;

/// Random worths in [-scale, scale] (a fixed seed walk, so the test needs no RNG crate).
fn game_from(seed: u64, n: usize, scale: f64, kind: Kind) -> Game {
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let values = (0..1usize << n)
        .map(|m| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            if m == 0 {
                0.0
            } else {
                scale * (((x >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0)
            }
        })
        .collect();
    Game::with_kind(names(n), values, kind).unwrap()
}

/// `sum_s w_s g_s`, coalition by coalition, summed in the plain order (the test's own sum).
fn combination(games: &[Game], weights: &[f64]) -> Game {
    let g0 = &games[0];
    let values = (0..g0.values().len())
        .map(|m| {
            games
                .iter()
                .zip(weights)
                .map(|(g, w)| w * g.values()[m])
                .sum()
        })
        .collect();
    Game::with_kind(g0.players().to_vec(), values, g0.kind()).unwrap()
}

/// The remaining game of year `t` (from 1), built here: `sum_{s >= t} delta^(s-t) g_s`.
fn remaining_game(games: &[Game], t: usize, delta: f64) -> Game {
    let later = &games[t - 1..];
    let weights: Vec<f64> = (0..later.len()).map(|k| delta.powi(k as i32)).collect();
    combination(later, &weights)
}

fn close(a: &[f64], b: &[f64], tol: f64) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() <= tol)
}

fn assert_close(a: &[f64], b: &[f64], tol: f64, what: &str) {
    assert!(close(a, b, tol), "{what}: {a:?} vs {b:?} (tol {tol})");
}

/// Time consistency checked from outside: for every year, the payments still due,
/// discounted to that year, equal the rule applied afresh to the remaining game built here.
fn assert_time_consistent(s: &Schedule, games: &[Game], rule: Rule, tol: f64) {
    let delta = 1.0 / (1.0 + s.discount());
    for t in 1..=games.len() {
        let fresh = rule.apply(&remaining_game(games, t, delta)).unwrap();
        let due: Vec<f64> = (0..fresh.len())
            .map(|i| {
                s.payments()[t - 1..]
                    .iter()
                    .enumerate()
                    .map(|(k, row)| delta.powi(k as i32) * row[i])
                    .sum()
            })
            .collect();
        assert_close(&due, fresh.values(), tol, &format!("year {t} due"));
        assert_close(
            s.remaining()[t - 1].values(),
            fresh.values(),
            tol,
            "remaining",
        );
        let c = &s.checks()[t - 1];
        assert_eq!(c.year, t);
        assert!(c.consistent && c.gap <= c.tolerance, "{c:?}");
    }
    assert!(s.is_time_consistent());
}

#[test]
fn shapley_pays_each_years_own_shapley_value() {
    for (n, years, r) in [(3, 4, 0.0), (4, 3, 0.0), (3, 5, 0.07), (4, 2, 0.25)] {
        let games: Vec<Game> = (0..years)
            .map(|t| game_from(100 * n as u64 + t as u64, n, 10.0, Kind::Value))
            .collect();
        let s = payment_schedule(&games, Rule::Shapley, r).unwrap();
        assert_eq!(s.years(), years);
        for (t, g) in games.iter().enumerate() {
            // Closed form: beta_t = Shapley(g_t), here by brute force over all orders.
            assert_close(
                &s.payments()[t],
                &shapley_by_permutations(g),
                1e-12,
                &format!("n {n}, year {}", t + 1),
            );
            // Efficient: each year pays that year's worth.
            let paid: f64 = s.payments()[t].iter().sum();
            assert!((paid - g.grand_value()).abs() < 1e-12);
        }
        assert_time_consistent(&s, &games, Rule::Shapley, 1e-12);
    }
}

#[test]
fn shapley_with_no_discount_is_exact_on_whole_numbers() {
    // Whole-number games: the Shapley values are multiples of 1/6, exactly what each year pays.
    let g1 = Game::from_fn(names(3), |s| (s.len() * s.len()) as f64).unwrap();
    let g2 = Game::from_fn(names(3), |s| if s.contains(0) { 6.0 } else { 0.0 }).unwrap();
    let s = payment_schedule(&[g1, g2], Rule::Shapley, 0.0).unwrap();
    assert_eq!(s.payments()[0], vec![3.0, 3.0, 3.0]);
    assert_eq!(s.payments()[1], vec![6.0, 0.0, 0.0]);
    assert_eq!(s.total().values(), &[9.0, 3.0, 3.0]);
}

#[test]
fn nucleolus_payments_add_up_to_the_nucleolus_of_the_discounted_total() {
    for (seed, n, years, r) in [(1u64, 3usize, 3usize, 0.05), (2, 4, 3, 0.1), (3, 3, 4, 0.0)] {
        // Superadditive-ish games (positive synergies) so that every remaining game is
        // essential and the nucleolus is defined.
        let games: Vec<Game> = (0..years)
            .map(|t| {
                let noise = game_from(seed * 31 + t as u64, n, 1.0, Kind::Value);
                Game::from_fn(names(n), |s| {
                    3.0 * s.len() as f64 + (s.len() as f64 - 1.0) * (2.0 + noise.value(s))
                })
                .unwrap()
            })
            .collect();
        let s = payment_schedule(&games, Rule::Nucleolus, r).unwrap();
        let delta = 1.0 / (1.0 + r);
        let weights: Vec<f64> = (0..years).map(|t| delta.powi(t as i32)).collect();
        let want = combination(&games, &weights).nucleolus().unwrap();
        let discounted: Vec<f64> = (0..n)
            .map(|i| {
                s.payments()
                    .iter()
                    .zip(&weights)
                    .map(|(row, w)| w * row[i])
                    .sum()
            })
            .collect();
        assert_close(&discounted, want.values(), 1e-8, "discounted sum");
        assert_close(s.total().values(), want.values(), 1e-8, "total");
        for (t, g) in games.iter().enumerate() {
            let paid: f64 = s.payments()[t].iter().sum();
            assert!((paid - g.grand_value()).abs() < 1e-8, "year {}", t + 1);
        }
        assert_time_consistent(&s, &games, Rule::Nucleolus, 1e-8);
    }
}

#[test]
fn every_rule_is_time_consistent_on_value_and_cost_games() {
    for kind in [Kind::Value, Kind::Cost] {
        // Convex value games (cost games: concave costs): every rule is defined.
        let games: Vec<Game> = (0..3)
            .map(|t| {
                Game::try_from_fn(names(3), kind, |s| {
                    let k = s.len() as f64;
                    let base: f64 = s.members().map(|i| 5.0 + i as f64 + t as f64).sum();
                    Ok::<f64, Error>(match kind {
                        Kind::Value => base + k * k,
                        Kind::Cost => base - k * k + k,
                    })
                })
                .unwrap()
            })
            .collect();
        for rule in Rule::ALL {
            let s = payment_schedule(&games, rule, 0.03).unwrap();
            assert_eq!(s.kind(), kind);
            assert_time_consistent(&s, &games, rule, 1e-9);
        }
    }
}

#[test]
fn profile_shares_one_game_between_the_years() {
    let total = Game::from_fn(names(3), |s| {
        [0.0, 1.0, 2.0, 6.0, 3.0, 7.0, 8.0, 15.0][s.index()]
    })
    .unwrap();
    let profile = [1.0, 3.0, 0.0, 4.0];
    let s = payment_schedule_from_profile(&total, &profile, Rule::Nucleolus, 0.0).unwrap();
    // The explicit list, built here: g_t = w_t / 8 total.
    let games: Vec<Game> = profile
        .iter()
        .map(|w| combination(std::slice::from_ref(&total), &[w / 8.0]))
        .collect();
    let explicit = payment_schedule(&games, Rule::Nucleolus, 0.0).unwrap();
    assert_eq!(s.payments(), explicit.payments());
    // Homogeneous rule, no discount: year t pays w_t / 8 of the nucleolus of the total.
    let nu = total.nucleolus().unwrap();
    for (row, w) in s.payments().iter().zip(profile) {
        let want: Vec<f64> = nu.values().iter().map(|x| w / 8.0 * x).collect();
        assert_close(row, &want, 1e-9, "profile year");
    }
    assert_close(s.total().values(), nu.values(), 1e-9, "total");
}

#[test]
fn budgets_of_1e8_keep_their_surplus_and_payments_are_covariant() {
    // Small games of a few units; the same games on budgets of 1e8: c v + a_t per year.
    let small: Vec<Game> = (0..3)
        .map(|t| {
            Game::from_fn(names(3), |s| {
                let k = s.len() as f64;
                (k - 1.0) * (1.0 + t as f64) + if s.contains(t % 3) { 0.5 } else { 0.0 }
            })
            .unwrap()
        })
        .collect();
    let c = 2.5;
    let shifts = [[1e8, 2e8, 3e8], [1.5e8, 1e8, 2.5e8], [3e8, 3e8, 1e8]];
    let big: Vec<Game> = small
        .iter()
        .zip(&shifts)
        .map(|(g, a)| {
            Game::from_fn(names(3), |s| {
                c * g.value(s) + s.members().map(|i| a[i]).sum::<f64>()
            })
            .unwrap()
        })
        .collect();
    for rule in [Rule::Shapley, Rule::Nucleolus, Rule::Tau] {
        for r in [0.0, 0.05] {
            let s = payment_schedule(&small, rule, r).unwrap();
            let b = payment_schedule(&big, rule, r).unwrap();
            for (t, a) in shifts.iter().enumerate() {
                // beta' = c beta + a_t: the surplus of a few units survives the 1e8.
                let want: Vec<f64> = s.payments()[t]
                    .iter()
                    .zip(a)
                    .map(|(x, ai)| c * x + ai)
                    .collect();
                assert_close(&b.payments()[t], &want, 1e-6, &format!("{rule:?} r {r}"));
                assert_eq!(b.checks()[t].in_core, s.checks()[t].in_core);
                assert_eq!(b.checks()[t].negative, s.checks()[t].negative);
                let (bc, sc) = (
                    b.checks()[t].complaint.as_ref().unwrap(),
                    s.checks()[t].complaint.as_ref().unwrap(),
                );
                assert!((bc.excess - c * sc.excess).abs() < 1e-6, "{bc:?} {sc:?}");
            }
            assert!(b.is_time_consistent(), "{b:#?}");
            // The tolerance is set by the surplus, not by the budgets.
            assert!(b.checks().iter().all(|k| k.tolerance < 1e-5), "{b:#?}");
        }
    }
}

#[test]
fn nucleolus_can_ask_a_player_to_pay_in_a_year() {
    // Year 1: only {A, B} creates 1. Year 2: C is the one partner both need (a glove game).
    // Nucleolus of year 2: (0, 0, 1); of both years (every pair 1, all 2): (2/3, 2/3, 2/3).
    // So year 1 pays (2/3, 2/3, -1/3): C pays in 1/3 in year 1 for its strong year 2.
    let players: Vec<String> = vec!["A".into(), "B".into(), "C".into()];
    let y1 = Game::new(
        players.clone(),
        vec![0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0],
    )
    .unwrap();
    let y2 = Game::new(players, vec![0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0]).unwrap();
    let s = payment_schedule(&[y1.clone(), y2.clone()], Rule::Nucleolus, 0.0).unwrap();
    let third = 1.0 / 3.0;
    assert_close(
        &s.payments()[0],
        &[2.0 * third, 2.0 * third, -third],
        1e-9,
        "year 1",
    );
    assert_close(&s.payments()[1], &[0.0, 0.0, 1.0], 1e-9, "year 2");
    assert_eq!(s.checks()[0].negative, vec!["C".to_string()]);
    assert!(s.checks()[1].negative.is_empty());
    assert!(s.checks().iter().all(|c| c.in_core));
    assert!(s.to_string().contains("pay in: C"), "{s}");
    // The same as a cost game with costs -v: the cost shares are -beta, so in year 1 A and
    // B have negative cost shares (they are paid 2/3 each) and C pays 1/3.
    let cost: Vec<Game> = [&y1, &y2]
        .iter()
        .map(|g| {
            let c = g.values().iter().map(|x| -x).collect();
            Game::with_kind(g.players().to_vec(), c, Kind::Cost).unwrap()
        })
        .collect();
    let sc = payment_schedule(&cost, Rule::Nucleolus, 0.0).unwrap();
    assert_close(
        &sc.payments()[0],
        &[-2.0 * third, -2.0 * third, third],
        1e-9,
        "cost year 1",
    );
    assert_eq!(sc.checks()[0].negative, vec!["A".to_string(), "B".into()]);
    assert!(sc.to_string().contains("are paid: A, B"), "{sc}");
}

#[test]
fn shapley_outside_the_core_of_a_remaining_game_is_reported() {
    // Year 2 is the glove game: its core is {(0, 0, 1)}; Shapley (1/6, 1/6, 2/3) is outside,
    // and {A, C} (or {B, C}) gains 1 - 5/6 = 1/6 by leaving at year 2.
    let (y1, y2) = s_games();
    let s = payment_schedule(&[y1.clone(), y2.clone()], Rule::Shapley, 0.0).unwrap();
    let c2 = &s.checks()[1];
    assert!(!c2.in_core);
    let complaint = c2.complaint.as_ref().unwrap();
    assert!(
        (complaint.excess - 1.0 / 6.0).abs() < 1e-12,
        "{complaint:?}"
    );
    assert!(complaint.members.contains(&"C".to_string()) && complaint.members.len() == 2);
    assert!((complaint.worth - 1.0).abs() < 1e-12);
    // Year 1's remaining game y1 + y2, built here: the check agrees with Game::in_core.
    let r1 = remaining_game(&[y1, y2], 1, 1.0);
    assert_eq!(
        s.checks()[0].in_core,
        r1.in_core(s.remaining()[0].values(), r1.tolerance())
            .unwrap()
    );
    // The complaint is the largest excess over the proper coalitions, found here by brute force.
    let x = s.remaining()[0].values();
    let worst = (1..7u64)
        .map(|m| {
            let c = Coalition::from_mask(m);
            r1.value(c) - c.members().map(|i| x[i]).sum::<f64>()
        })
        .fold(f64::NEG_INFINITY, f64::max);
    let got = s.checks()[0].complaint.as_ref().unwrap().excess;
    assert!((got - worst).abs() < 1e-12, "{got} vs {worst}");
}

/// Year 1 `|S|^2`; year 2 the glove game (C holds the one left glove).
fn s_games() -> (Game, Game) {
    let players: Vec<String> = vec!["A".into(), "B".into(), "C".into()];
    (
        Game::from_fn(players.clone(), |s| (s.len() * s.len()) as f64).unwrap(),
        Game::new(players, vec![0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0]).unwrap(),
    )
}

#[test]
fn one_player_and_one_year() {
    let g = Game::new(vec!["solo".into()], vec![0.0, 5.0]).unwrap();
    let s = payment_schedule(&[g.clone(), g], Rule::Shapley, 1.0).unwrap();
    assert_eq!(s.payments(), &[vec![5.0], vec![5.0]]);
    assert_eq!(s.total().values(), &[7.5]);
    assert!(s
        .checks()
        .iter()
        .all(|c| c.complaint.is_none() && c.in_core));
    let one = payment_schedule(&[s_games().0], Rule::Nucleolus, 0.3).unwrap();
    assert_eq!(one.years(), 1);
    assert_close(
        &one.payments()[0],
        s_games().0.nucleolus().unwrap().values(),
        1e-12,
        "one year",
    );
}

fn invalid(e: Error, want: &str) -> String {
    match e {
        Error::InvalidParameter { name, reason } => {
            assert_eq!(name, want, "{reason}");
            reason
        }
        other => panic!("expected InvalidParameter {want}, got {other:?}"),
    }
}

#[test]
fn errors_name_the_argument_and_the_year() {
    let (g, h) = s_games();
    let none: [Game; 0] = [];
    invalid(
        payment_schedule(&none, Rule::Shapley, 0.0).unwrap_err(),
        "games",
    );
    let renamed = Game::new(names(3), h.values().to_vec()).unwrap();
    let reason = invalid(
        payment_schedule(&[g.clone(), h.clone(), renamed], Rule::Shapley, 0.0).unwrap_err(),
        "games",
    );
    assert!(reason.contains("year 3"), "{reason}");
    let four = Game::from_fn(vec!["A".into(), "B".into(), "C".into(), "D".into()], |_| {
        1.0
    })
    .unwrap();
    let reason = invalid(
        payment_schedule(&[g.clone(), four], Rule::Shapley, 0.0).unwrap_err(),
        "games",
    );
    assert!(reason.contains("year 2"), "{reason}");
    let cost = h.clone().into_kind(Kind::Cost);
    let reason = invalid(
        payment_schedule(&[g.clone(), cost], Rule::Shapley, 0.0).unwrap_err(),
        "games",
    );
    assert!(reason.contains("year 2"), "{reason}");
    for r in [-0.1, f64::NAN, f64::INFINITY] {
        invalid(
            payment_schedule(std::slice::from_ref(&g), Rule::Shapley, r).unwrap_err(),
            "discount",
        );
    }
    for profile in [
        &[][..],
        &[1.0, -1.0],
        &[1.0, f64::NAN],
        &[0.0, 0.0],
        &[f64::INFINITY],
    ] {
        invalid(
            payment_schedule_from_profile(&g, profile, Rule::Shapley, 0.0).unwrap_err(),
            "profile",
        );
    }
    // A rule undefined for a remaining game: its own error, naming the year.
    let inessential = Game::new(names(2), vec![0.0, 1.0, 1.0, 1.0]).unwrap();
    let fine = Game::new(names(2), vec![0.0, 0.0, 0.0, 5.0]).unwrap();
    match payment_schedule(&[fine, inessential], Rule::Nucleolus, 0.0).unwrap_err() {
        Error::Undefined { reason, .. } => assert!(reason.contains("year 2"), "{reason}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn serializes_with_its_checks() {
    let (g, h) = s_games();
    let s = payment_schedule(&[g, h], Rule::Shapley, 0.0).unwrap();
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["rule"], "shapley");
    assert_eq!(json["payments"].as_array().unwrap().len(), 2);
    assert_eq!(json["checks"][1]["in_core"], false);
    assert_eq!(json["checks"][1]["year"], 2);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    /// Random games, random rates: the Shapley schedule is each year's Shapley value, and
    /// the discounted sum of the payments is the Shapley value of the discounted total.
    #[test]
    fn shapley_schedule_property(seed in 0u64..1000, n in 1usize..5, years in 1usize..5, r in 0.0f64..0.5) {
        let games: Vec<Game> = (0..years).map(|t| game_from(seed * 7 + t as u64, n, 100.0, Kind::Value)).collect();
        let s = payment_schedule(&games, Rule::Shapley, r).unwrap();
        let delta = 1.0 / (1.0 + r);
        for (t, g) in games.iter().enumerate() {
            prop_assert!(close(&s.payments()[t], &shapley_by_permutations(g), 1e-9));
        }
        let weights: Vec<f64> = (0..years).map(|t| delta.powi(t as i32)).collect();
        let total = shapley_by_permutations(&combination(&games, &weights));
        prop_assert!(close(s.total().values(), &total, 1e-9));
        prop_assert!(s.is_time_consistent());
    }
}
