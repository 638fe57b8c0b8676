//! The sampled nucleolus range of an interval game: against the closed form for two players,
//! its coverage of fresh draws against the order-statistics probability (a binomial test), and
//! Wilks' confidence against a numerical integral of the Beta(m - 1, 2) density.

use coalitional::{Error, IntervalGame, Kind};

fn names(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("P{i}")).collect()
}

/// Two players, v(1) in [0, 1], v(2) in [0.5, 2], v(12) in [5, 8]: always v(12) >= v(1) + v(2),
/// so the nucleolus x_1 = (v12 + v1 - v2) / 2 exists and ranges exactly over
/// [(5 + 0 - 2) / 2, (8 + 1 - 0.5) / 2] = [1.5, 4.25]; x_2 over [(5 + 0.5 - 1) / 2,
/// (8 + 2 - 0) / 2] = [2.25, 5].
fn two_player() -> IntervalGame {
    IntervalGame::new(
        names(2),
        vec![0.0, 0.0, 0.5, 5.0],
        vec![0.0, 1.0, 2.0, 8.0],
        Kind::Value,
    )
    .unwrap()
}

#[test]
fn two_players_inside_the_closed_form_and_approaching_it() {
    let g = two_player();
    let exact = [(1.5, 4.25), (2.25, 5.0)];
    let mut gaps = Vec::new();
    for m in [20, 200, 4000] {
        for pre in [false, true] {
            let r = g.nucleolus_range(m, 11, pre).unwrap();
            assert_eq!((r.samples, r.undefined), (m, 0));
            let mut gap: f64 = 0.0;
            for (i, (lo, hi)) in exact.iter().enumerate() {
                let (a, b) = (r.range.lower[i], r.range.upper[i]);
                assert!(
                    *lo - 1e-9 <= a && a <= b && b <= *hi + 1e-9,
                    "m={m}: [{a}, {b}]"
                );
                gap = gap.max(a - lo).max(hi - b);
            }
            if !pre {
                gaps.push(gap);
            }
        }
    }
    // Each end of x_1 is the sum of three independent uniforms at a corner: with widths
    // 1, 1.5 and 3 (halved), P(one draw within 0.3 of an end) >= (0.6^3 / 6) / (1 * 1.5 * 3)
    // = 0.008, so the chance that 4000 draws all miss one of the four ends is below
    // 4 (1 - 0.008)^4000 < 1e-13.
    assert!(gaps[2] < 0.3, "{gaps:?}");
    assert!(gaps[2] < gaps[0], "{gaps:?}");
}

#[test]
fn reproducible_with_a_seed() {
    let g = two_player();
    let a = g.nucleolus_range(50, 3, false).unwrap();
    let b = g.nucleolus_range(50, 3, false).unwrap();
    let c = g.nucleolus_range(50, 4, false).unwrap();
    assert_eq!(a, b);
    assert_ne!(a.range, c.range);
    assert_eq!(a.seed, 3);
}

/// A 3-player box with a nonempty imputation set throughout.
fn three_player() -> IntervalGame {
    let lower = vec![0.0, 0.0, 1.0, 2.0, 0.5, 3.0, 4.0, 9.0];
    let upper = vec![0.0, 1.0, 2.0, 6.0, 1.5, 5.0, 7.0, 12.0];
    IntervalGame::new(names(3), lower, upper, Kind::Value).unwrap()
}

#[test]
fn coverage_of_fresh_draws_is_the_order_statistics_probability() {
    // R independent ranges of m = 4 draws, each paired with one independent fresh draw (a
    // range of one sample: its nucleolus). The nucleolus share is a continuous random
    // variable (ties have probability 0), so each pair is a hit with probability
    // (m - 1) / (m + 1) = 0.6, independently: hits ~ Binomial(R, 0.6). Hoeffding:
    // P(|hits / R - 0.6| >= 0.1) <= 2 exp(-2 R 0.01) = 2 exp(-20) < 5e-9 for R = 1000,
    // the false-failure probability of this test over the choice of seeds. A wrong formula
    // such as m / (m + 1) = 0.8 or (m - 1) / m = 0.75 is more than 0.1 away.
    let g = three_player();
    let (m, rounds) = (4usize, 1000u64);
    let mut hits = 0usize;
    for r in 0..rounds {
        let range = g.nucleolus_range(m, r, false).unwrap();
        assert_eq!(range.expected_coverage(), 0.6);
        let fresh = g.nucleolus_range(1, 1_000_000 + r, false).unwrap();
        let x = fresh.range.lower[0];
        assert_eq!(x, fresh.range.upper[0]);
        if range.range.lower[0] <= x && x <= range.range.upper[0] {
            hits += 1;
        }
    }
    let rate = hits as f64 / rounds as f64;
    assert!((rate - 0.6).abs() < 0.1, "coverage {rate}");
}

/// `P(C >= p)` for `C ~ Beta(m - 1, 2)`, density `m (m - 1) c^(m-2) (1 - c)`, by composite
/// Simpson's rule on [p, 1].
fn beta_tail(m: usize, p: f64) -> f64 {
    let k = 20_000;
    let h = (1.0 - p) / k as f64;
    let f = |c: f64| (m * (m - 1)) as f64 * c.powi(m as i32 - 2) * (1.0 - c);
    let mut sum = f(p) + f(1.0);
    for j in 1..k {
        sum += if j % 2 == 1 { 4.0 } else { 2.0 } * f(p + j as f64 * h);
    }
    sum * h / 3.0
}

#[test]
fn wilks_confidence_against_the_beta_integral() {
    let g = two_player();
    for m in [2usize, 5, 59, 200] {
        let r = g.nucleolus_range(m, 1, false).unwrap();
        for p in [0.0, 0.5, 0.9, 0.95, 0.99] {
            let got = r.confidence(p).unwrap();
            let want = beta_tail(m, p);
            assert!((got - want).abs() < 1e-9, "m={m} p={p}: {got} vs {want}");
        }
        assert_eq!(r.confidence(1.0).unwrap(), 0.0);
    }
    // The classic: 59 draws give 95% confidence of 95% coverage... for a one-sided bound;
    // two-sided [min, max] needs 93 draws: 1 - 93 0.95^92 + 92 0.95^93 >= 0.95 > 92's.
    let c = |m| {
        g.nucleolus_range(m, 1, false)
            .unwrap()
            .confidence(0.95)
            .unwrap()
    };
    assert!(c(93) >= 0.95 && c(92) < 0.95, "{} {}", c(93), c(92));
    let r = g.nucleolus_range(3, 1, false).unwrap();
    for p in [-0.1, 1.5, f64::NAN] {
        assert!(matches!(
            r.confidence(p),
            Err(Error::InvalidParameter { name: "p", .. })
        ));
    }
}

#[test]
fn undefined_draws_are_counted_and_all_undefined_is_an_error() {
    // v(N) in [0, 4] with v(1) = v(2) = 1: no imputation when v(N) < 2, half the draws.
    let g = IntervalGame::new(
        names(2),
        vec![0.0, 1.0, 1.0, 0.0],
        vec![0.0, 1.0, 1.0, 4.0],
        Kind::Value,
    )
    .unwrap();
    let r = g.nucleolus_range(400, 5, false).unwrap();
    assert_eq!(r.samples + r.undefined, 400);
    // Binomial(400, 1/2): 6 standard deviations is 60.
    assert!((r.undefined as f64 - 200.0).abs() < 60.0, "{}", r.undefined);
    assert!(r.to_string().contains("left out"));
    // The prenucleolus is always defined.
    let pre = g.nucleolus_range(400, 5, true).unwrap();
    assert_eq!((pre.samples, pre.undefined), (400, 0));
    assert!(pre.range.lower[0] < 1.0 && pre.range.upper[0] > 1.0);
    let never = IntervalGame::new(
        names(2),
        vec![0.0, 1.0, 1.0, 0.0],
        vec![0.0, 1.0, 1.0, 1.0],
        Kind::Value,
    )
    .unwrap();
    assert!(matches!(
        never.nucleolus_range(10, 0, false),
        Err(Error::Undefined { .. })
    ));
    assert!(matches!(
        g.nucleolus_range(0, 0, false),
        Err(Error::InvalidParameter {
            name: "samples",
            ..
        })
    ));
}

#[test]
fn cost_games_and_large_budgets() {
    // Costs c(1) in [1e8, 1e8 + 1], c(2) in [2e8, 2e8 + 2], c(12) in [3e8 - 3, 3e8 - 1]:
    // savings s = c1 + c2 - c12 in [1, 6]; the nucleolus is x_1 = c1 - s / 2 =
    // (c12 + c1 - c2) / 2, in [(3e8 - 3 + 1e8 - 2e8 - 2) / 2, (3e8 - 1 + 1e8 + 1 - 2e8) / 2].
    let g = IntervalGame::new(
        names(2),
        vec![0.0, 1e8, 2e8, 3e8 - 3.0],
        vec![0.0, 1e8 + 1.0, 2e8 + 2.0, 3e8 - 1.0],
        Kind::Cost,
    )
    .unwrap();
    let r = g.nucleolus_range(2000, 9, false).unwrap();
    let (lo, hi) = (1e8 - 2.5, 1e8);
    let (a, b) = (r.range.lower[0], r.range.upper[0]);
    assert!(lo - 1e-6 <= a && b <= hi + 1e-6, "[{a}, {b}]");
    // Same corner argument as for value games: within 0.3 of each end.
    assert!(a - lo < 0.3 && hi - b < 0.3, "[{a}, {b}]");
}
