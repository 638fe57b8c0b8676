//! Single-valued rules and transforms (issue 17 item 3): the Gately point, the solidarity
//! value, ENSC, SCRB, the propensity to disrupt, utopia payoffs and minimal rights, the dual
//! and zero-normalised games, and the Aumann–Drèze value. Every value is checked against a
//! computation written here from the definition (brute force over coalitions or orders, or
//! the textbook closed form on the raw values), a published number, or an axiom.

mod common;

use coalitional::{Coalition, Error, Game, Kind, Rule};
use common::{glove_game, names, shapley_by_permutations, Rng};

/// A random game: standalone values `alone`, plus a random (not necessarily superadditive)
/// cooperative part on coalitions of two or more.
fn random_game(rng: &mut Rng, n: usize, kind: Kind) -> Game {
    let alone: Vec<f64> = (0..n).map(|_| (rng.next() * 20.0).round()).collect();
    let sign = if kind == Kind::Cost { -1.0 } else { 1.0 };
    let values = (0..1usize << n)
        .map(|m| {
            let s = Coalition::from_mask(m as u64);
            let base: f64 = s.members().map(|i| alone[i]).sum();
            if s.len() <= 1 {
                base
            } else {
                // On a grid of 1/64, so that c v + a is exact in the covariance tests.
                base + sign * ((rng.next() * 10.0 * s.len() as f64 - 3.0) * 64.0).round() / 64.0
            }
        })
        .collect();
    Game::with_kind(names(n), values, kind).unwrap()
}

fn fact(k: usize) -> f64 {
    (1..=k).map(|j| j as f64).product()
}

fn v(g: &Game, mask: usize) -> f64 {
    g.values()[mask]
}

/// `M_i = v(N) - v(N \ {i})` from the raw values.
fn separable(g: &Game) -> Vec<f64> {
    let all = g.values().len() - 1;
    (0..g.n())
        .map(|i| v(g, all) - v(g, all ^ (1 << i)))
        .collect()
}

fn alone(g: &Game) -> Vec<f64> {
    (0..g.n()).map(|i| v(g, 1 << i)).collect()
}

/// The solidarity value by its definition (Nowak and Radzik 1994), on the raw values.
fn solidarity_by_definition(g: &Game) -> Vec<f64> {
    let n = g.n();
    let mut psi = vec![0.0; n];
    for m in 1..1usize << n {
        let s = m.count_ones() as usize;
        let avg: f64 = (0..n)
            .filter(|k| m >> k & 1 == 1)
            .map(|k| v(g, m) - v(g, m & !(1 << k)))
            .sum::<f64>()
            / s as f64;
        let weight = fact(n - s) * fact(s - 1) / fact(n);
        for (i, p) in psi.iter_mut().enumerate() {
            if m >> i & 1 == 1 {
                *p += weight * avg;
            }
        }
    }
    psi
}

fn assert_close(got: &[f64], want: &[f64], tol: f64, what: &str) {
    assert_eq!(got.len(), want.len(), "{what}");
    for (i, (x, y)) in got.iter().zip(want).enumerate() {
        assert!(
            (x - y).abs() <= tol,
            "{what}: entry {i}: {x} vs {y} (got {got:?}, want {want:?})"
        );
    }
}

fn scale(g: &Game) -> f64 {
    g.magnitude().max(1.0)
}

#[test]
fn random_games_agree_with_the_definitions() {
    let mut rng = Rng(17);
    for n in 2..=6 {
        for kind in [Kind::Value, Kind::Cost] {
            for _ in 0..6 {
                let g = random_game(&mut rng, n, kind);
                let tol = 1e-9 * scale(&g);
                let (m, a) = (separable(&g), alone(&g));
                let vn = g.grand_value();
                // Solidarity value.
                let psi = g.solidarity().unwrap();
                assert_close(
                    psi.values(),
                    &solidarity_by_definition(&g),
                    tol,
                    "solidarity",
                );
                assert_eq!(psi.kind(), kind);
                // ENSC: x_i = M_i + (v(N) - sum M) / n.
                let rest = (vn - m.iter().sum::<f64>()) / n as f64;
                let want: Vec<f64> = m.iter().map(|mi| mi + rest).collect();
                assert_close(g.ensc().unwrap().values(), &want, tol, "ensc");
                // Gately: x_i = v(i) + s (M_i - v(i)) / sum (M_j - v(j)).
                let s = vn - a.iter().sum::<f64>();
                let d: f64 = m.iter().zip(&a).map(|(mi, ai)| mi - ai).sum();
                let gately = g.gately_point();
                if d.abs() > 1e-6 {
                    let want: Vec<f64> = (0..n).map(|i| a[i] + s * (m[i] - a[i]) / d).collect();
                    let x = gately.unwrap();
                    assert_close(x.values(), &want, tol * (1.0 + (s / d).abs()), "gately");
                    // The Gately point equalises the propensity to disrupt (d = D / s - 1).
                    if s.abs() > 1e-3 {
                        let p = g.propensity_to_disrupt(x.values()).unwrap();
                        let common = d / s - 1.0;
                        for (i, &pi) in p.values().iter().enumerate() {
                            if (x[i] - a[i]).abs() > 1e-6 {
                                assert!(
                                    (pi - common).abs() <= 1e-7 * (1.0 + common.abs()),
                                    "propensity {pi} vs {common}"
                                );
                            }
                        }
                    }
                }
                // SCRB by its textbook form on the cost game c (c = -v for value games).
                let sign = if kind == Kind::Cost { 1.0 } else { -1.0 };
                let c: Vec<f64> = g.values().iter().map(|x| sign * x).collect();
                let all = c.len() - 1;
                let sc: Vec<f64> = (0..n).map(|i| c[all] - c[all ^ (1 << i)]).collect();
                let r: Vec<f64> = (0..n).map(|i| c[1 << i] - sc[i]).collect();
                let nsc = c[all] - sc.iter().sum::<f64>();
                let rsum: f64 = r.iter().sum();
                match g.scrb() {
                    Ok(x) => {
                        assert!(r.iter().all(|&ri| ri >= -1e-9) && rsum > 0.0);
                        let want: Vec<f64> =
                            (0..n).map(|i| sign * (sc[i] + nsc * r[i] / rsum)).collect();
                        assert_close(x.values(), &want, tol * (1.0 + nsc.abs()), "scrb");
                    }
                    Err(Error::Undefined { concept, reason }) => {
                        assert_eq!(concept, "separable costs remaining benefits");
                        let i = r
                            .iter()
                            .position(|&ri| ri < 0.0)
                            .expect("a negative remaining benefit");
                        assert!(reason.contains(&format!("player p{i}'s")), "{reason}");
                    }
                    Err(e) => panic!("{e:?}"),
                }
                // Utopia payoffs and minimal rights (Tijs 1981) by their definitions; for a
                // cost game, -m(-c).
                assert_close(g.utopia_payoffs().values(), &m, tol, "utopia");
                let mr: Vec<f64> = (0..n)
                    .map(|i| {
                        let terms = (1..1usize << n).filter(|s| s >> i & 1 == 1).map(|s| {
                            let others: f64 = (0..n)
                                .filter(|&j| j != i && s >> j & 1 == 1)
                                .map(|j| m[j])
                                .sum();
                            v(&g, s) - others
                        });
                        match kind {
                            Kind::Value => terms.fold(f64::NEG_INFINITY, f64::max),
                            Kind::Cost => terms.fold(f64::INFINITY, f64::min),
                        }
                    })
                    .collect();
                assert_close(g.minimal_rights().unwrap().values(), &mr, tol, "minimal");
                // Aumann–Drèze with a random partition: Shapley of each block's subgame by
                // permutations of the block.
                let cut = 1 + (rng.next() * (n - 1) as f64) as usize;
                let blocks = vec![(0..cut).collect::<Vec<_>>(), (cut..n).collect()];
                let ad = g.aumann_dreze(&blocks).unwrap();
                for block in &blocks {
                    let sub = Game::from_fn(names(block.len()), |s| {
                        let full = s.members().fold(0usize, |acc, k| acc | 1 << block[k]);
                        v(&g, full)
                    })
                    .unwrap();
                    let phi = shapley_by_permutations(&sub);
                    let got: Vec<f64> = block.iter().map(|&i| ad[i]).collect();
                    assert_close(&got, &phi, tol, "aumann-dreze");
                }
            }
        }
    }
}

#[test]
fn efficiency_and_symmetry() {
    let mut rng = Rng(5);
    for n in 2..=6 {
        for kind in [Kind::Value, Kind::Cost] {
            // Players 0 and 1 symmetric: the worth depends on S through |S ∩ {0, 1}| only.
            let base = random_game(&mut rng, n, kind);
            let sym = |m: usize| {
                let (a, b) = (m & 1, m >> 1 & 1);
                if a == 1 && b == 0 {
                    (m & !1) | 2
                } else {
                    m
                }
            };
            let g = Game::with_kind(
                names(n),
                (0..1usize << n).map(|m| v(&base, sym(m))).collect(),
                kind,
            )
            .unwrap();
            let tol = 1e-9 * scale(&g);
            for (name, x) in [
                ("gately", g.gately_point()),
                ("solidarity", g.solidarity()),
                ("ensc", g.ensc()),
                ("scrb", g.scrb()),
            ] {
                let Ok(x) = x else { continue };
                assert!(
                    (x.total() - g.grand_value()).abs() <= tol,
                    "{name} efficiency"
                );
                assert!((x[0] - x[1]).abs() <= tol, "{name} symmetry: {x:?}");
            }
        }
    }
}

#[test]
fn solidarity_gives_zero_to_an_a_null_player_but_not_to_a_null_player() {
    // A-null player i (Nowak and Radzik 1994): A(S) = 0 for every S ∋ i, i.e.
    // v(S) = (1/|S|) sum_{k in S} v(S \ k), built by increasing size.
    let mut rng = Rng(11);
    for n in 2..=6 {
        let i = n - 1;
        let mut vals = vec![0.0; 1 << n];
        let mut order: Vec<usize> = (1..1usize << n).collect();
        order.sort_by_key(|m| m.count_ones());
        for m in order {
            if m >> i & 1 == 0 {
                vals[m] = (rng.next() * 50.0).round();
            } else {
                let s = m.count_ones() as f64;
                vals[m] = (0..n)
                    .filter(|k| m >> k & 1 == 1)
                    .map(|k| vals[m & !(1 << k)])
                    .sum::<f64>()
                    / s;
            }
        }
        let g = Game::from_values(vals).unwrap();
        let psi = g.solidarity().unwrap();
        assert!(psi[i].abs() <= 1e-12 * scale(&g), "{psi:?}");
    }
    // A null player (player 2 adds nothing anywhere) shares in the solidarity value: the
    // game v(01) = v(012) = 1 gives it A(N) / 3 with A(N) = (1 + 1 + 0) / 3.
    let g = Game::from_values(vec![0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0]).unwrap();
    let psi = g.solidarity().unwrap();
    assert!((psi[2] - 2.0 / 9.0).abs() < 1e-15, "{psi:?}");
    assert!(g.shapley()[2].abs() < 1e-15);
}

#[test]
fn solidarity_of_the_glove_game_by_hand() {
    // A(L R1) = A(L R2) = 1, A(N) = 1/3, weights 1/6 (pairs) and 1/3 (N).
    let psi = glove_game().solidarity().unwrap();
    assert_close(
        psi.values(),
        &[4.0 / 9.0, 5.0 / 18.0, 5.0 / 18.0],
        1e-15,
        "glove",
    );
}

#[test]
fn gately_published_example() {
    // D. Gately (1974), three Indian regions planning power investment: savings v(12) =
    // 1170, v(13) = 770, v(23) = 210, v(N) = 1530 (zero alone); his point, as reproduced in
    // Staudacher and Anwander (2019) and the R package CoopGame: (827.7049, 476.5574,
    // 225.7377) = 1530 (1320, 760, 360) / 2440.
    let g = Game::from_values(vec![0.0, 0.0, 0.0, 1170.0, 0.0, 770.0, 210.0, 1530.0]).unwrap();
    let x = g.gately_point().unwrap();
    assert_close(
        x.values(),
        &[827.7049, 476.5574, 225.7377],
        1e-4,
        "Gately 1974",
    );
    // Common propensity to disrupt: 2440 / 1530 - 1.
    let d = g.propensity_to_disrupt(x.values()).unwrap();
    assert_close(d.values(), &[910.0 / 1530.0; 3], 1e-12, "propensity");
    // SCRB of the same savings as costs equals the Gately point (module docs).
    assert_close(
        g.scrb().unwrap().values(),
        x.values(),
        1e-9,
        "scrb = gately",
    );
}

#[test]
fn scrb_and_ensc_on_a_hand_computed_cost_table() {
    // Three purposes of a reservoir (illustrative numbers): standalone 100, 140, 90;
    // pairs 200, 170, 210; all three 250.
    // SC = (250 - 210, 250 - 170, 250 - 200) = (40, 80, 50); NSC = 250 - 170 = 80;
    // r = (100 - 40, 140 - 80, 90 - 50) = (60, 60, 40), sum 160.
    // SCRB = (40 + 30, 80 + 30, 50 + 20) = (70, 110, 70); ENSC = SC + 80/3.
    let c = Game::with_kind(
        names(3),
        vec![0.0, 100.0, 140.0, 200.0, 90.0, 170.0, 210.0, 250.0],
        Kind::Cost,
    )
    .unwrap();
    assert_close(
        c.scrb().unwrap().values(),
        &[70.0, 110.0, 70.0],
        1e-12,
        "scrb",
    );
    let third = 80.0 / 3.0;
    assert_close(
        c.ensc().unwrap().values(),
        &[40.0 + third, 80.0 + third, 50.0 + third],
        1e-12,
        "ensc",
    );
    // ENSC is the CIS value (equal surplus division) of the dual game.
    assert_close(
        c.dual().unwrap().equal_surplus().unwrap().values(),
        c.ensc().unwrap().values(),
        1e-12,
        "ensc = cis of dual",
    );
}

#[test]
fn undefined_cases_are_typed() {
    // An additive game: M_i = v(i), so the Gately denominator and SCRB's remaining
    // benefits are all 0.
    let add = Game::from_fn(names(3), |s| s.members().map(|i| i as f64 + 1e8).sum()).unwrap();
    for (want, got) in [
        ("the Gately point", add.gately_point()),
        ("separable costs remaining benefits", add.scrb()),
    ] {
        match got {
            Err(Error::Undefined { concept, .. }) => assert_eq!(concept, want),
            other => panic!("{other:?}"),
        }
    }
    // A cost game whose separable cost exceeds a standalone cost: c(12) = 3 > 1 + 1.
    let c = Game::with_kind(names(2), vec![0.0, 1.0, 1.0, 3.0], Kind::Cost).unwrap();
    match c.scrb() {
        Err(Error::Undefined { reason, .. }) => assert!(reason.contains("p0"), "{reason}"),
        other => panic!("{other:?}"),
    }
    // ... where the Gately point is still defined (an efficient point, not an imputation).
    let x = c.gately_point().unwrap();
    assert_close(x.values(), &[1.5, 1.5], 1e-15, "gately");
    // Aumann–Drèze blocks that are not a partition.
    let g = glove_game();
    for blocks in [
        vec![vec![0, 1]],
        vec![vec![0, 1], vec![1, 2]],
        vec![vec![0, 1, 2], vec![]],
    ] {
        match g.aumann_dreze(&blocks) {
            Err(Error::InvalidParameter { name, .. }) => assert_eq!(name, "blocks"),
            other => panic!("{other:?}"),
        }
    }
    assert!(matches!(
        g.aumann_dreze(&[vec![0, 1, 7]]),
        Err(Error::PlayerIndexOutOfRange { index: 7, n: 3 })
    ));
    assert!(matches!(
        g.aumann_dreze_by_name(&[vec!["L", "x"]]),
        Err(Error::UnknownPlayer { .. })
    ));
    // Propensity to disrupt: wrong length, non-finite entries.
    assert!(matches!(
        g.propensity_to_disrupt(&[1.0]),
        Err(Error::AllocationLength { got: 1, n: 3 })
    ));
    assert!(matches!(
        g.propensity_to_disrupt(&[1.0, f64::NAN, 0.0]),
        Err(Error::InvalidParameter { name: "x", .. })
    ));
}

#[test]
fn propensity_policy_when_a_player_gains_nothing() {
    // Glove game (L = 0): at x = (1, 0, 0), R1 gets exactly v({R1}) = 0.
    let g = glove_game();
    let d = g.propensity_to_disrupt(&[1.0, 0.0, 0.0]).unwrap();
    // L: the others hold 0 against v(R1 R2) = 0: 0 / 1 = 0. R1: the others hold 1 against
    // v(L R2) = 1, so 0 / 0: NaN.
    assert_eq!(d.values()[0], 0.0);
    assert!(d.values()[1].is_nan() && d.values()[2].is_nan());
    // The others of R1 hold 1.5 against v(L R2) = 1: they lose by its leaving, +inf; with
    // 0.8 they would gain, -inf.
    let d = g.propensity_to_disrupt(&[1.5, 0.0, 0.0]).unwrap();
    assert_eq!(d.values()[1], f64::INFINITY);
    let d = g.propensity_to_disrupt(&[0.8, 0.0, 0.0]).unwrap();
    assert_eq!(d.values()[1], f64::NEG_INFINITY);
    // Display shows them.
    assert!(d.to_string().contains("-inf"));
}

#[test]
fn dual_and_zero_normalized_by_definition() {
    let mut rng = Rng(3);
    for n in 1..=6 {
        for kind in [Kind::Value, Kind::Cost] {
            let g = random_game(&mut rng, n, kind);
            let all = g.values().len() - 1;
            let d = g.dual().unwrap();
            assert_eq!(d.kind(), kind);
            for m in 0..=all {
                assert_eq!(v(&d, m), g.grand_value() - v(&g, all ^ m));
            }
            // Twice is the identity (to the rounding of v(N) - (v(N) - v(S))).
            assert_close(
                d.dual().unwrap().values(),
                g.values(),
                1e-13 * scale(&g),
                "twice",
            );
            // The Shapley value of the dual is the Shapley value.
            assert_close(
                d.shapley().values(),
                g.shapley().values(),
                1e-9 * scale(&g),
                "shapley of dual",
            );
            let z = g.zero_normalized().unwrap();
            assert_eq!(z.kind(), kind);
            for m in 0..=all {
                let b: f64 = (0..n)
                    .filter(|i| m >> i & 1 == 1)
                    .map(|i| v(&g, 1 << i))
                    .sum();
                assert_eq!(v(&z, m), v(&g, m) - b);
            }
        }
    }
    // Budgets of 1e9 with non-representable shares: dual twice is the identity to rounding.
    let g = Game::from_values(vec![0.0, 1e9 / 3.0, 2e9 / 7.0, 1e9 + 0.1]).unwrap();
    let back = g.dual().unwrap().dual().unwrap();
    assert_close(back.values(), g.values(), 2e-7, "dual twice");
}

/// `c v + a` with `a` additive.
fn transformed(g: &Game, c: f64, a: &[f64]) -> Game {
    let values = (0..g.values().len())
        .map(|m| {
            c * v(g, m)
                + (0..g.n())
                    .filter(|i| m >> i & 1 == 1)
                    .map(|i| a[i])
                    .sum::<f64>()
        })
        .collect();
    Game::with_kind(g.players().to_vec(), values, g.kind()).unwrap()
}

#[test]
fn covariance_at_budget_scale() {
    // Surpluses of a few units on budgets of 1e8..1e9.
    let mut rng = Rng(23);
    for n in 2..=5 {
        for kind in [Kind::Value, Kind::Cost] {
            let small = random_game(&mut rng, n, kind);
            let a: Vec<f64> = (0..n).map(|i| (1.0 + i as f64) * 123_456_789.0).collect();
            let zero = vec![0.0; n];
            // Powers of two and whole budgets: c v + a is exact, so the answers must be c x + a
            // to the solvers' tolerance plus the rounding of shares of 1e9 (1.2e-7 apart).
            for c in [1.0 / 1024.0, 1.0, 256.0] {
                let big = transformed(&small, c, &a);
                let tol = 1e-9 * c * scale(&small) + 1e-6;
                let covariant = |x: &[f64]| -> Vec<f64> {
                    x.iter().zip(&a).map(|(xi, ai)| c * xi + ai).collect()
                };
                let pairs = [
                    ("gately", small.gately_point(), big.gately_point()),
                    ("ensc", small.ensc(), big.ensc()),
                    ("scrb", small.scrb(), big.scrb()),
                    ("minimal", small.minimal_rights(), big.minimal_rights()),
                ];
                for (name, s, b) in pairs {
                    match (s, b) {
                        (Ok(s), Ok(b)) => {
                            assert_close(b.values(), &covariant(s.values()), tol, name)
                        }
                        (Err(_), Err(_)) => {}
                        (s, b) => panic!("{name}: {s:?} vs {b:?}"),
                    }
                }
                // Zero-normalisation removes the budgets: c times the small game's.
                let z = big.zero_normalized().unwrap();
                let zs = transformed(&small.zero_normalized().unwrap(), c, &zero);
                assert_close(z.values(), zs.values(), tol, "zero-normalised");
                // Solidarity: linear, so psi(c v + a) = c psi(v) + psi(a), with psi(a) by the
                // definition on the additive game alone.
                let additive = transformed(&small, 0.0, &a);
                let pa = solidarity_by_definition(&additive);
                let want: Vec<f64> = small
                    .solidarity()
                    .unwrap()
                    .values()
                    .iter()
                    .zip(&pa)
                    .map(|(x, p)| c * x + p)
                    .collect();
                assert_close(big.solidarity().unwrap().values(), &want, tol, "solidarity");
            }
        }
    }
}

#[test]
fn rules_by_name_and_in_settle_order() {
    let g = Game::from_values(vec![0.0, 0.0, 0.0, 1170.0, 0.0, 770.0, 210.0, 1530.0]).unwrap();
    for (name, want) in [
        ("gately", g.gately_point().unwrap()),
        ("Gately point", g.gately_point().unwrap()),
        ("solidarity", g.solidarity().unwrap()),
        ("ensc", g.ensc().unwrap()),
        ("scrb", g.scrb().unwrap()),
    ] {
        let rule: Rule = name.parse().unwrap_or_else(|_| {
            Rule::ALL
                .into_iter()
                .find(|r| r.label() == name)
                .expect("a label")
        });
        assert_eq!(rule.apply(&g).unwrap(), want, "{name}");
        let json = serde_json::to_string(&rule).unwrap();
        assert_eq!(json, format!("\"{}\"", rule.name()));
    }
}
