//! `Game::sensitivity` of the nucleolus and the prenucleolus against independent oracles:
//! closed forms (two players, the three-player game whose pairs form the top level, the
//! Talmud rule of Aumann and Maschler 1985), central finite differences of the exact solver on
//! random generic games (ordinary scale and budgets of 1e8 with surpluses of a few units),
//! forward differences on degenerate (symmetric) games, and the axioms (efficiency: row sums;
//! symmetry).

mod common;

use coalitional::{Coalition, Concept, Error, Game, Kind};
use common::{bankruptcy, names};
use proptest::prelude::*;

const BOTH: [Concept; 2] = [Concept::Nucleolus, Concept::Prenucleolus];

fn solve(g: &Game, concept: Concept) -> Vec<f64> {
    match concept {
        Concept::Nucleolus => g.nucleolus().unwrap().into_values(),
        Concept::Prenucleolus => g.prenucleolus().unwrap().into_values(),
        _ => unreachable!(),
    }
}

fn moved(values: &[f64], kind: Kind, m: usize, h: f64) -> Game {
    let mut v = values.to_vec();
    v[m] += h;
    Game::with_kind(names(values.len().trailing_zeros() as usize), v, kind).unwrap()
}

fn close(a: &[f64], b: &[f64], tol: f64) -> bool {
    a.iter().zip(b).all(|(x, y)| (x - y).abs() <= tol)
}

/// The central difference `(x(v + h e_S) - x(v - h e_S)) / 2h` at the largest step
/// `h = spread 2^-k` (k = 6, 7, ..., 30) at which it agrees with the step `h/2` to `tol(h)`:
/// the (pre)nucleolus is piecewise linear, so inside the piece both are the derivative up to
/// the rounding of the shares, `tol(h) = 1e-7 + 16 eps max|v| / h` (the shares of a budget of
/// 1e8 are rounded at 1.5e-8, which a step of a few hundredths of a unit resolves to 1e-6).
fn central_difference(values: &[f64], kind: Kind, m: usize, concept: Concept) -> (Vec<f64>, f64) {
    let g = Game::with_kind(
        names(values.len().trailing_zeros() as usize),
        values.to_vec(),
        kind,
    )
    .unwrap();
    let spread = g.spread();
    let big = values.iter().fold(0.0f64, |a, v| a.max(v.abs()));
    let cd = |h: f64| -> Vec<f64> {
        let up = solve(&moved(values, kind, m, h), concept);
        let down = solve(&moved(values, kind, m, -h), concept);
        up.iter()
            .zip(&down)
            .map(|(a, b)| (a - b) / (2.0 * h))
            .collect()
    };
    for k in 6..=30 {
        let h = spread * 0.5f64.powi(k);
        let tol = 1e-7 + 16.0 * f64::EPSILON * big / h;
        let (a, b) = (cd(h), cd(h / 2.0));
        if close(&a, &b, 2.0 * tol) {
            return (a, tol);
        }
    }
    panic!("no step gives a stable central difference for S = {m:#b}");
}

/// Every row of the table against the central difference (a generic game: every row two-sided).
fn central_differences_agree(values: Vec<f64>, kind: Kind) {
    let n = values.len().trailing_zeros() as usize;
    let g = Game::with_kind(names(n), values.clone(), kind).unwrap();
    for concept in BOTH {
        let t = g.sensitivity(concept).unwrap();
        for m in 1..values.len() {
            let s = Coalition::from_mask(m as u64);
            let (fd, tol) = central_difference(&values, kind, m, concept);
            assert!(
                close(t.row(s), &fd, 2.0 * tol),
                "{concept} n={n} S={m:#b}: table {:?}, central difference {fd:?}",
                t.row(s)
            );
            assert!(t.is_two_sided(s), "{concept} S={m:#b} of a generic game");
        }
        efficiency(&t, n);
    }
}

/// Rows sum to 1 at the grand coalition and to 0 elsewhere (`x(N) = v(N)` on every piece).
fn efficiency(t: &coalitional::Sensitivity, n: usize) {
    for m in 1..(1u64 << n) {
        let sum: f64 = t.row(Coalition::from_mask(m)).iter().sum();
        let want = if m == (1 << n) - 1 { 1.0 } else { 0.0 };
        assert!((sum - want).abs() < 1e-9, "S={m:#b}: row sum {sum}");
    }
}

/// Random worths `base(S) + scale u(S)` with `base` additive (`base_i` in `[0, budget]`) and
/// `u` uniform in [-1, 1] (`n + 1` more at `N`, so that imputations exist): for `budget = 1e8`, `scale = 5`, budgets of 1e8 with surpluses of a
/// few units.
fn random_game(budget: f64, scale: f64, kind: Kind) -> impl Strategy<Value = Vec<f64>> {
    (3usize..=6).prop_flat_map(move |n| {
        (
            prop::collection::vec(0.0f64..1.0, n),
            prop::collection::vec(-1.0f64..1.0, 1usize << n),
        )
            .prop_map(move |(b, u)| {
                (0..1usize << n)
                    .map(|m| {
                        if m == 0 {
                            return 0.0;
                        }
                        let base: f64 = (0..n)
                            .filter(|i| m >> i & 1 == 1)
                            .map(|i| (budget * b[i]).round())
                            .sum();
                        // v(N) at least the standalone values' sum: an imputation exists.
                        // (a cost game: c(N) at most their sum).
                        let sign = if kind == Kind::Cost { -1.0 } else { 1.0 };
                        let own = if m == (1 << n) - 1 {
                            sign * (n as f64 + 1.0)
                        } else {
                            0.0
                        };
                        base + scale * (u[m] + own)
                    })
                    .collect()
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn generic_games_match_central_differences(v in random_game(0.0, 10.0, Kind::Value)) {
        central_differences_agree(v, Kind::Value);
    }

    #[test]
    fn budget_games_match_central_differences(v in random_game(1e8, 5.0, Kind::Value)) {
        central_differences_agree(v, Kind::Value);
    }

    #[test]
    fn cost_games_match_central_differences(v in random_game(1e8, 5.0, Kind::Cost)) {
        central_differences_agree(v, Kind::Cost);
    }

    /// Shifting by an additive game and scaling by c > 0 leaves the table unchanged.
    #[test]
    fn tables_ignore_shift_and_scale(v in random_game(0.0, 10.0, Kind::Value), c in 1e-3f64..1e7) {
        let n = v.len().trailing_zeros() as usize;
        let g = Game::from_fn(names(n), |s| v[s.mask() as usize]).unwrap();
        let h = Game::from_fn(names(n), |s| {
            c * v[s.mask() as usize] + s.members().map(|i| 1e8 * (i as f64 + 1.0)).sum::<f64>()
        })
        .unwrap();
        for concept in BOTH {
            let (a, b) = (g.sensitivity(concept).unwrap(), h.sensitivity(concept).unwrap());
            prop_assert!(close(a.as_slice(), b.as_slice(), 1e-6), "{concept}");
        }
    }
}

#[test]
fn two_players_split_the_surplus_equally() {
    // x_1 = (v(N) + v1 - v2) / 2: the singleton rows are ±1/2, the grand coalition's 1/2 each,
    // at every scale and for costs alike.
    for (vals, kind) in [
        (vec![0.0, 1.0, 2.0, 6.0], Kind::Value),
        (vec![0.0, 3e8, 1e8, 4e8 + 3.0], Kind::Value),
        (vec![0.0, 3e8, 1e8, 4e8 - 3.0], Kind::Cost),
    ] {
        let g = Game::with_kind(names(2), vals, kind).unwrap();
        for concept in BOTH {
            let t = g.sensitivity(concept).unwrap();
            let want = [0.5, -0.5, -0.5, 0.5, 0.5, 0.5];
            assert!(
                close(t.as_slice(), &want, 1e-15),
                "{concept}: {:?}",
                t.as_slice()
            );
            assert!(t.two_sided().iter().all(|&b| b));
        }
    }
}

#[test]
fn three_players_with_the_pairs_at_the_top_level() {
    // v(i) = 0, v(ij) = a_ij, v(N) = 1 with a = (0.8, 0.6, 0.4) for {01, 02, 12}: the three pair
    // excesses are equal, x_k = (v(N) + A)/3 - a_ij (A = sum a) = (0.5333, 0.3333, 0.1333), all
    // above 0 and every pair above the singletons, so the nucleolus is the prenucleolus and
    // d x_k / d a_ij = 1/3 - 1 for the outsider k, 1/3 for the members, d x / d v(N) = 1/3.
    let g = Game::from_values(vec![0.0, 0.0, 0.0, 0.8, 0.0, 0.6, 0.4, 1.0]).unwrap();
    let third = 1.0 / 3.0;
    for concept in BOTH {
        let t = g.sensitivity(concept).unwrap();
        assert!(close(
            t.row(Coalition::from_mask(0b011)),
            &[third, third, -2.0 * third],
            1e-12
        ));
        assert!(close(
            t.row(Coalition::from_mask(0b101)),
            &[third, -2.0 * third, third],
            1e-12
        ));
        assert!(close(
            t.row(Coalition::from_mask(0b110)),
            &[-2.0 * third, third, third],
            1e-12
        ));
        assert!(close(
            t.row(Coalition::from_mask(0b111)),
            &[third; 3],
            1e-12
        ));
        for m in [1u64, 2, 4] {
            assert_eq!(
                t.row(Coalition::from_mask(m)),
                &[0.0; 3],
                "{concept} {m:#b}"
            );
        }
        assert!(t.two_sided().iter().all(|&b| b));
    }
}

#[test]
fn talmud_rule_moves_with_the_estate() {
    // Claims 100, 200, 300 and estate E = 210: the Talmud rule (the nucleolus, Aumann and
    // Maschler 1985) gives half-claims 50, 100, 150 equal awards: (50, 80, 80), and for E near
    // 210 x = (50, (E - 50)/2, (E - 50)/2), so dx/dE = (0, 1/2, 1/2). E enters v(N) = E,
    // v({b,c}) = E - 100 and v({a,c}) = E - 200 (the other worths are 0 near E = 210): the
    // chain rule adds those three rows.
    let g = bankruptcy(210.0, &[100.0, 200.0, 300.0]);
    let nu = g.nucleolus().unwrap();
    assert!(close(nu.values(), &[50.0, 80.0, 80.0], 1e-9));
    let t = g.sensitivity(Concept::Nucleolus).unwrap();
    let rows = [0b111u64, 0b110, 0b101].map(Coalition::from_mask);
    assert!(rows.iter().all(|&s| t.is_two_sided(s)));
    let de: Vec<f64> = (0..3)
        .map(|i| rows.iter().map(|&s| t.row(s)[i]).sum())
        .collect();
    assert!(close(&de, &[0.0, 0.5, 0.5], 1e-12), "{de:?}");
}

/// The 3-of-5 majority game: the ten triples share the top level (excess 2/5 at
/// x = (1/5, ..., 1/5)), more than the six unknowns need, so their rows are one-sided; each
/// agrees with the forward difference of the solver (exact on the piece), the backward
/// difference differs (a real kink), and v(N) stays two-sided (x + h/5 keeps every triple tied).
#[test]
fn majority_game_rows_are_one_sided_and_match_forward_differences() {
    let n = 5;
    let g = Game::from_fn(names(n), |s| if s.len() >= 3 { 1.0 } else { 0.0 }).unwrap();
    let values = g.values().to_vec();
    for concept in BOTH {
        let t = g.sensitivity(concept).unwrap();
        let base = solve(&g, concept);
        efficiency(&t, n);
        assert!(t.is_two_sided(Coalition::from_mask(0b11111)));
        assert!(close(
            t.row(Coalition::from_mask(0b11111)),
            &[0.2; 5],
            1e-12
        ));
        let mut kinks = 0;
        for m in 1..values.len() {
            let s = Coalition::from_mask(m as u64);
            let h = 1e-3;
            let fwd: Vec<f64> = solve(&moved(&values, Kind::Value, m, h), concept)
                .iter()
                .zip(&base)
                .map(|(a, b)| (a - b) / h)
                .collect();
            assert!(
                close(t.row(s), &fwd, 1e-7),
                "{concept} S={m:#b}: {:?} vs {fwd:?}",
                t.row(s)
            );
            if s.len() == 3 {
                assert!(!t.is_two_sided(s), "{concept} triple {m:#b}");
                let back: Vec<f64> = solve(&moved(&values, Kind::Value, m, -h), concept)
                    .iter()
                    .zip(&base)
                    .map(|(a, b)| (b - a) / h)
                    .collect();
                kinks += usize::from(!close(&back, &fwd, 1e-3));
            }
        }
        assert_eq!(kinks, 10, "{concept}");
        assert_eq!(t.one_sided_rows(), 10);
        assert!(t.to_string().contains("+ one-sided (10 of 31 rows)"));
    }
}

/// Players 0 and 1 symmetric in an otherwise generic game: swapping them maps the row of S to
/// the row of the swapped S with the two columns swapped.
#[test]
fn symmetric_players_get_symmetric_derivatives() {
    let n = 4;
    let swap = |m: u64| (m & !3) | ((m & 1) << 1) | ((m >> 1) & 1);
    // A pseudo-random worth per orbit of the swap (the smaller mask of the pair).
    let worth = |m: u64| {
        let k = m.min(swap(m));
        let grand = if k == 15 { 4.0 } else { 0.0 }; // imputations exist
        ((k as f64 * 12.9898).sin() * 43758.5453).fract() + k.count_ones() as f64 + grand
    };
    let g = Game::from_fn(names(n), |s| worth(s.mask())).unwrap();
    for concept in BOTH {
        let t = g.sensitivity(concept).unwrap();
        for m in 1..(1u64 << n) {
            let (a, b) = (
                t.row(Coalition::from_mask(m)),
                t.row(Coalition::from_mask(swap(m))),
            );
            let b_swapped = [b[1], b[0], b[2], b[3]];
            assert!(
                close(a, &b_swapped, 1e-9),
                "{concept} S={m:#b}: {a:?} vs {b:?}"
            );
            assert_eq!(
                t.is_two_sided(Coalition::from_mask(m)),
                t.is_two_sided(Coalition::from_mask(swap(m)))
            );
        }
        efficiency(&t, n);
    }
}

#[test]
fn inessential_games_have_no_nucleolus_table_and_one_player_has_one() {
    let g = Game::from_values(vec![0.0, 1.0, 2.0, 3.0]).unwrap();
    match g.sensitivity(Concept::Nucleolus) {
        Err(Error::Undefined { .. }) => {}
        other => panic!("expected Undefined, got {other:?}"),
    }
    // The prenucleolus is defined there: (1, 2) with the two-player table.
    let t = g.sensitivity(Concept::Prenucleolus).unwrap();
    assert!(close(
        t.as_slice(),
        &[0.5, -0.5, -0.5, 0.5, 0.5, 0.5],
        1e-15
    ));
    let one = Game::from_values(vec![0.0, 7.0]).unwrap();
    for concept in BOTH {
        assert!(close(
            one.sensitivity(concept).unwrap().as_slice(),
            &[1.0],
            1e-15
        ));
    }
}

/// Every row against the forward difference `(x(v + h e_S) - x(v)) / h` (exact on the piece;
/// `tol` allows the rounding of the shares); returns the number of one-sided rows.
fn forward_differences_agree(values: &[f64], kind: Kind, h: f64, tol: f64) -> usize {
    let n = values.len().trailing_zeros() as usize;
    let g = Game::with_kind(names(n), values.to_vec(), kind).unwrap();
    let mut one_sided = 0;
    for concept in BOTH {
        let t = g.sensitivity(concept).unwrap();
        let base = solve(&g, concept);
        for m in 1..values.len() {
            let s = Coalition::from_mask(m as u64);
            let fwd: Vec<f64> = solve(&moved(values, kind, m, h), concept)
                .iter()
                .zip(&base)
                .map(|(a, b)| (a - b) / h)
                .collect();
            assert!(
                close(t.row(s), &fwd, tol),
                "{concept} {kind:?} S={m:#b}: {:?} vs {fwd:?}",
                t.row(s)
            );
        }
        efficiency(&t, n);
        one_sided += t.one_sided_rows();
    }
    one_sided
}

/// Three symmetric players with v(ij) = 1/3, v(N) = 1: at x = (1/3, 1/3, 1/3) the singletons
/// and the pairs share one level (excess -1/3), seven rows for four unknowns, so every row is
/// one-sided: the singletons' (moved through the standalone values of the normalised game), the
/// pairs', and v(N)'s (raising it lowers the pairs' excesses twice as fast as the singletons'). The same game as a cost game at a budget of 1e8 (c(S) = 1e8 |S| - 300
/// v(S)): one-sided rows for an increase of the cost.
#[test]
fn split_levels_with_singletons_and_cost_games_match_forward_differences() {
    let v: Vec<f64> = (0..8u64)
        .map(|m| match m.count_ones() {
            0 | 1 => 0.0,
            2 => 1.0 / 3.0,
            _ => 1.0,
        })
        .collect();
    assert_eq!(
        forward_differences_agree(&v, Kind::Value, 1e-3, 1e-9),
        2 * 7
    );
    let c: Vec<f64> = (0..8u64)
        .map(|m| 1e8 * m.count_ones() as f64 - 300.0 * v[m as usize])
        .collect();
    // Shares of 1e8 are rounded at 1.5e-8: a step of 2 resolves the quotient to 1e-8.
    assert_eq!(forward_differences_agree(&c, Kind::Cost, 2.0, 1e-7), 2 * 7);
}

/// Games where a player's nucleolus share sits at its standalone value (found by review):
/// individual rationality is one-way, so rows that the equations would call two-sided can be
/// kinks. Every nucleolus row must match the forward difference of the exact solver, and every
/// row whose backward difference differs must be flagged one-sided.
#[test]
fn shares_at_the_standalone_value_give_one_sided_rows() {
    // Glove game (C holds the right glove): nucleolus (0, 0, 1); and a game whose nucleolus
    // equals its prenucleolus with a share at the standalone value.
    let glove: Vec<f64> = (0..8u64)
        .map(|m| f64::from(u8::from(m & 4 != 0 && m.count_ones() >= 2)))
        .collect();
    let other = vec![0.0, 0.0, 0.0, 1.0, 0.0, 3.0, 3.0, 2.0];
    for values in [glove, other] {
        let g = Game::with_kind(names(3), values.clone(), Kind::Value).unwrap();
        let t = g.sensitivity(Concept::Nucleolus).unwrap();
        let base = solve(&g, Concept::Nucleolus);
        let h = 1e-4;
        for m in 1..8usize {
            let s = Coalition::from_mask(m as u64);
            let diff = |step: f64| -> Vec<f64> {
                solve(&moved(&values, Kind::Value, m, step), Concept::Nucleolus)
                    .iter()
                    .zip(&base)
                    .map(|(a, b)| (a - b) / step)
                    .collect()
            };
            let (fwd, bwd) = (diff(h), diff(-h));
            assert!(
                close(t.row(s), &fwd, 1e-7),
                "{values:?} S={m:#b}: {:?} vs {fwd:?}",
                t.row(s)
            );
            if !close(&fwd, &bwd, 1e-7) {
                assert!(
                    !t.is_two_sided(s),
                    "{values:?} S={m:#b} is a kink but marked two-sided"
                );
            }
        }
    }
}
