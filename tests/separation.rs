//! The nucleolus, prenucleolus and least core of games given by a separation oracle (issue
//! 18): agreement with the dense solvers on small games wrapped in a brute-force oracle
//! written here (random games, many ties, glove games, empty cores, budgets of 1e6..1e9 with
//! small surpluses, scale and shift), the Lawler enumeration, and bad oracles.

use std::cell::Cell;

use coalitional::solution::separation::{self, OracleGame, Separation, Violation};
use coalitional::{Coalition, Error, Game, Kind};

mod common;
use common::{names, Rng};

fn mask_of(members: &[usize]) -> u64 {
    members.iter().map(|&i| 1u64 << i).sum()
}

/// A dense game seen through a brute-force oracle: every coalition's excess `v(S) - x(S)`
/// (costs: `x(S) - c(S)`), computed plainly as a user's oracle would. Counts its calls.
struct BruteForce {
    game: Game,
    calls: Cell<usize>,
    restricted: Cell<usize>,
}

impl BruteForce {
    fn new(game: Game) -> Self {
        BruteForce {
            game,
            calls: Cell::new(0),
            restricted: Cell::new(0),
        }
    }
}

impl Separation for BruteForce {
    fn n(&self) -> usize {
        self.game.n()
    }
    fn worth(&self, members: &[usize]) -> coalitional::Result<f64> {
        Ok(self.game.value(Coalition::from_mask(mask_of(members))))
    }
    fn most_violated(
        &self,
        x: &[f64],
        include: &[bool],
        exclude: &[bool],
    ) -> coalitional::Result<Option<Violation>> {
        self.calls.set(self.calls.get() + 1);
        if include.iter().chain(exclude).any(|&b| b) {
            self.restricted.set(self.restricted.get() + 1);
        }
        let n = self.game.n();
        let sign = if self.game.kind() == Kind::Cost {
            -1.0
        } else {
            1.0
        };
        let (inc, exc): (u64, u64) = (
            (0..n).filter(|&i| include[i]).map(|i| 1 << i).sum(),
            (0..n).filter(|&i| exclude[i]).map(|i| 1 << i).sum(),
        );
        let mut best: Option<(f64, u64)> = None;
        for mask in 0..1u64 << n {
            if mask & inc != inc || mask & exc != 0 {
                continue;
            }
            let xs: f64 = (0..n).filter(|&i| mask >> i & 1 == 1).map(|i| x[i]).sum();
            let e = sign * (self.game.value(Coalition::from_mask(mask)) - xs);
            if best.is_none_or(|(b, _)| e > b) {
                best = Some((e, mask));
            }
        }
        Ok(best.map(|(excess, mask)| Violation {
            members: (0..n).filter(|&i| mask >> i & 1 == 1).collect(),
            excess,
        }))
    }
}

fn close(a: &[f64], b: &[f64], tol: f64) -> bool {
    a.iter().zip(b).all(|(x, y)| (x - y).abs() <= tol)
}

/// Checks the three concepts against the dense solvers at `tol`.
fn agree(game: Game, tol: f64, what: &str) {
    let n = game.n();
    let kind = game.kind();
    let oracle = BruteForce::new(game.clone());
    let og = OracleGame::with_kind(names(n), &oracle, kind).unwrap();
    let pre = og.prenucleolus().unwrap();
    let dense_pre = game.prenucleolus().unwrap();
    assert!(
        close(pre.values(), dense_pre.values(), tol),
        "{what}: prenucleolus {:?} vs dense {:?}",
        pre.values(),
        dense_pre.values()
    );
    match game.nucleolus() {
        Ok(dense) => {
            let nu = og.nucleolus().unwrap();
            assert!(
                close(nu.values(), dense.values(), tol),
                "{what}: nucleolus {:?} vs dense {:?}",
                nu.values(),
                dense.values()
            );
        }
        Err(Error::Undefined { .. }) => {
            assert!(
                matches!(og.nucleolus(), Err(Error::Undefined { .. })),
                "{what}"
            );
        }
        Err(e) => panic!("{what}: dense nucleolus failed: {e}"),
    }
    let lc = og.least_core().unwrap();
    let dense_lc = game.least_core().unwrap();
    assert!(
        (lc.epsilon - dense_lc.epsilon).abs() <= tol,
        "{what}: epsilon {} vs dense {}",
        lc.epsilon,
        dense_lc.epsilon
    );
    // The allocation attains epsilon (brute force over the proper coalitions).
    let x = lc.allocation.values();
    let sign = if kind == Kind::Cost { -1.0 } else { 1.0 };
    let full = (1u64 << n) - 1;
    assert!(
        (x.iter().sum::<f64>() - game.grand_value()).abs() <= tol,
        "{what}"
    );
    for mask in 1..full {
        let xs: f64 = (0..n).filter(|&i| mask >> i & 1 == 1).map(|i| x[i]).sum();
        let e = sign * (game.value(Coalition::from_mask(mask)) - xs);
        assert!(
            e <= lc.epsilon + tol,
            "{what}: coalition {mask:b} has excess {e}"
        );
    }
}

/// A game with whole-number worths drawn in `0..=top` for the coalitions of at least `from`
/// members (0 for the others).
fn whole_game(rng: &mut Rng, n: usize, top: f64, from: usize) -> Game {
    Game::from_fn(names(n), |s| {
        if s.len() < from {
            0.0
        } else {
            (top * rng.next()).round()
        }
    })
    .unwrap()
}

#[test]
fn random_games_agree_with_the_dense_solvers() {
    let mut rng = Rng(3);
    for case in 0..60 {
        let n = 2 + case % 9;
        let g = whole_game(&mut rng, n, 100.0, 1);
        let tol = 1e-9 * g.spread();
        agree(g, tol, &format!("random case {case}"));
    }
}

#[test]
fn games_with_many_ties_agree() {
    let mut rng = Rng(11);
    for case in 0..40 {
        let n = 3 + case % 8;
        // Values in {0, 1, 2} only: huge excess levels.
        let g = whole_game(&mut rng, n, 2.0, 2);
        let tol = 1e-9 * g.spread();
        agree(g, tol, &format!("ties case {case}"));
        // Symmetric games: v depends on |S| only.
        let f: Vec<f64> = (0..=n)
            .map(|k| (k * k) as f64 + (3.0 * rng.next()).round())
            .collect();
        let g = Game::from_fn(names(n), |s| if s.is_empty() { 0.0 } else { f[s.len()] }).unwrap();
        agree(
            g,
            1e-9 * 100.0_f64.max(f[n]),
            &format!("symmetric case {case}"),
        );
    }
}

#[test]
fn glove_games_agree() {
    for n in 2..=10 {
        for left in 1..n {
            let g = Game::from_fn(names(n), |s| {
                let l = s.members().filter(|&i| i < left).count();
                (l.min(s.len() - l)) as f64
            })
            .unwrap();
            agree(g, 1e-9 * n as f64, &format!("glove {left}+{}", n - left));
        }
    }
}

#[test]
fn empty_cores_and_cost_games_agree() {
    let mut rng = Rng(5);
    for case in 0..20 {
        let n = 3 + case % 6;
        // A majority-like game with an empty core: worth 1 from size n/2 + 1 (ties broken
        // by noise).
        let q = n / 2 + 1;
        let g = Game::from_fn(names(n), |s| {
            if s.len() >= q {
                1.0 + (0.2 * rng.next() * 100.0).round() / 100.0
            } else {
                0.0
            }
        })
        .unwrap();
        assert!(g.core_is_empty().unwrap() || n < 4);
        agree(g, 1e-8, &format!("empty core case {case}"));
        // A cost game: costs subadditive-ish, random.
        let values: Vec<f64> = (0..1usize << n)
            .map(|m| {
                if m == 0 {
                    0.0
                } else {
                    10.0 * (m.count_ones() as f64).sqrt() + (5.0 * rng.next()).round()
                }
            })
            .collect();
        let g = Game::with_kind(names(n), values, Kind::Cost).unwrap();
        agree(g, 1e-8 * 100.0, &format!("cost case {case}"));
    }
}

#[test]
fn budgets_with_small_surpluses_agree() {
    let mut rng = Rng(23);
    for (case, budget) in [1e6, 1e7, 1e8, 1e9]
        .into_iter()
        .cycle()
        .take(24)
        .enumerate()
    {
        let n = 3 + case % 6;
        let base: Vec<f64> = (0..n).map(|_| budget * (1.0 + rng.next())).collect();
        let g = Game::from_fn(names(n), |s| {
            let own: f64 = s.members().map(|i| base[i]).sum();
            if s.len() < 2 {
                own
            } else {
                own + (5.0 * rng.next()).round()
            }
        })
        .unwrap();
        // The oracle sees x = b + y at the budgets' scale: its excesses resolve about
        // n * budget * 2^-52.
        let tol = 1e-9 * g.spread() + 4.0 * n as f64 * budget * f64::EPSILON;
        agree(g, tol, &format!("budget {budget:e} case {case}"));
    }
}

#[test]
fn scale_and_shift_covariance() {
    let mut rng = Rng(31);
    for case in 0..12 {
        let n = 3 + case % 6;
        let g = whole_game(&mut rng, n, 50.0, 1);
        let shift: Vec<f64> = (0..n).map(|_| (1e4 * rng.next()).round()).collect();
        let c = 7.5;
        let h = Game::from_fn(names(n), |s| {
            c * g.value(s) + s.members().map(|i| shift[i]).sum::<f64>()
        })
        .unwrap();
        let (og, oh) = (BruteForce::new(g.clone()), BruteForce::new(h.clone()));
        let tol = 1e-9 * c * g.spread() + 1e-9 * 1e4;
        let covariant = |a: &[f64], b: &[f64]| {
            a.iter()
                .zip(b)
                .zip(&shift)
                .all(|((a, b), s)| (c * a + s - b).abs() <= tol)
        };
        let (pg, ph) = (
            separation::prenucleolus(names(n), &og).unwrap(),
            separation::prenucleolus(names(n), &oh).unwrap(),
        );
        assert!(covariant(pg.values(), ph.values()), "case {case}");
        let (lg, lh) = (
            separation::least_core(names(n), &og).unwrap(),
            separation::least_core(names(n), &oh).unwrap(),
        );
        assert!((c * lg.epsilon - lh.epsilon).abs() <= tol, "case {case}");
        match (
            separation::nucleolus(names(n), &og),
            separation::nucleolus(names(n), &oh),
        ) {
            (Ok(a), Ok(b)) => assert!(covariant(a.values(), b.values()), "case {case}"),
            (Err(Error::Undefined { .. }), Err(Error::Undefined { .. })) => {}
            other => panic!("case {case}: {other:?}"),
        }
    }
}

#[test]
fn the_top_coalitions_in_the_span_are_looked_past() {
    // Two overlapping coalitions with a large worth are fixed first; afterwards the oracle's
    // unrestricted answer is one of them (in the span), and the search must go round them,
    // also over unions of atoms ({0,1} and {1,2} leave atoms {0},{1},{2},{3,4,5} but only a
    // 3-dimensional span with 1_N).
    let n = 6;
    let mut rng = Rng(41);
    let g = Game::from_fn(names(n), |s| {
        let m = s.mask();
        if m == 0b11 || m == 0b110 {
            60.0
        } else if s.len() <= 1 {
            0.0
        } else {
            (10.0 * rng.next() * s.len() as f64).round()
        }
    })
    .unwrap();
    let oracle = BruteForce::new(g.clone());
    let nu = separation::nucleolus(names(n), &oracle).unwrap();
    assert!(close(
        nu.values(),
        g.nucleolus().unwrap().values(),
        1e-8 * g.spread()
    ));
    assert!(
        oracle.restricted.get() > 0,
        "the Lawler search was not used"
    );
    // The call count is far below the 2^n subproblems a naive partition would need.
    assert!(oracle.calls.get() > 0);
}

#[test]
fn the_thousand_call_budget_of_a_ten_player_game() {
    // A counting oracle: the number of oracle calls grows polynomially, far below 2^n
    // per stage for a game whose levels are distinct.
    let n = 10;
    let claims: Vec<f64> = (1..=n).map(|i| (7 * i) as f64).collect();
    let total: f64 = claims.iter().sum();
    let g = Game::from_fn(names(n), |s| {
        let inside: f64 = s.members().map(|i| claims[i]).sum();
        (100.0 - (total - inside)).max(0.0)
    })
    .unwrap();
    let oracle = BruteForce::new(g.clone());
    let nu = separation::nucleolus(names(n), &oracle).unwrap();
    assert!(close(
        nu.values(),
        g.nucleolus().unwrap().values(),
        1e-8 * 100.0
    ));
    assert!(
        oracle.calls.get() < 20 * n * n,
        "{} calls",
        oracle.calls.get()
    );
}

struct Bad {
    inner: BruteForce,
    fault: usize,
}

impl Separation for Bad {
    fn n(&self) -> usize {
        self.inner.n()
    }
    fn worth(&self, members: &[usize]) -> coalitional::Result<f64> {
        if self.fault == 4 {
            return Err(Error::InvalidParameter {
                name: "model",
                reason: "the model failed".into(),
            });
        }
        self.inner.worth(members)
    }
    fn most_violated(
        &self,
        x: &[f64],
        include: &[bool],
        exclude: &[bool],
    ) -> coalitional::Result<Option<Violation>> {
        let mut v = self.inner.most_violated(x, include, exclude)?;
        if let Some(v) = v.as_mut() {
            match self.fault {
                0 => v.members.push(99),
                1 => v.members.reverse(),
                2 => v.excess += 1.0,
                3 => v.excess = f64::NAN,
                _ => {}
            }
            if self.fault == 1 && v.members.len() < 2 {
                v.members = vec![1, 0];
            }
        }
        Ok(v)
    }
}

#[test]
fn bad_oracles_are_typed_errors() {
    let g = Game::from_fn(names(4), |s| (s.len() * s.len()) as f64).unwrap();
    for fault in 0..4 {
        let bad = Bad {
            inner: BruteForce::new(g.clone()),
            fault,
        };
        match separation::nucleolus(names(4), &bad) {
            Err(Error::InvalidParameter { name, .. }) => assert_eq!(name, "most_violated"),
            other => panic!("fault {fault}: {other:?}"),
        }
    }
    // The oracle's own errors pass through unchanged.
    let bad = Bad {
        inner: BruteForce::new(g.clone()),
        fault: 4,
    };
    assert_eq!(
        separation::least_core(names(4), &bad),
        Err(Error::InvalidParameter {
            name: "model",
            reason: "the model failed".into()
        })
    );
    // Players that do not match the oracle.
    let ok = BruteForce::new(g.clone());
    assert!(matches!(
        separation::nucleolus(names(3), &ok),
        Err(Error::InvalidParameter {
            name: "players",
            ..
        })
    ));
}

#[test]
fn tiny_games_and_no_imputation() {
    let one = Game::from_fn(names(1), |s| if s.is_empty() { 0.0 } else { 5.0 }).unwrap();
    let o = BruteForce::new(one);
    assert_eq!(
        separation::nucleolus(names(1), &o).unwrap().values(),
        &[5.0]
    );
    assert!(matches!(
        separation::least_core(names(1), &o),
        Err(Error::Undefined { .. })
    ));
    let none = Game::from_fn(names(3), |s| match s.len() {
        0 => 0.0,
        1 => 2.0,
        _ => 3.0,
    })
    .unwrap();
    let o = BruteForce::new(none.clone());
    assert!(matches!(none.nucleolus(), Err(Error::Undefined { .. })));
    assert!(matches!(
        separation::nucleolus(names(3), &o),
        Err(Error::Undefined { .. })
    ));
    // The prenucleolus still exists.
    let pre = separation::prenucleolus(names(3), &o).unwrap();
    assert!(close(
        pre.values(),
        none.prenucleolus().unwrap().values(),
        1e-9
    ));
}

struct Nobody;
impl Separation for Nobody {
    fn n(&self) -> usize {
        0
    }
    fn worth(&self, _: &[usize]) -> coalitional::Result<f64> {
        Ok(0.0)
    }
    fn most_violated(
        &self,
        _: &[f64],
        _: &[bool],
        _: &[bool],
    ) -> coalitional::Result<Option<Violation>> {
        Ok(None)
    }
}

#[test]
fn no_players_is_an_error() {
    assert_eq!(
        separation::nucleolus(Vec::new(), &Nobody),
        Err(Error::NoPlayers)
    );
}

#[test]
fn a_cancelled_engine_is_interrupted() {
    let g = Game::from_fn(names(6), |s| (s.len() * s.len()) as f64).unwrap();
    let o = BruteForce::new(g);
    let token = coalitional::Token::new();
    token.cancel();
    assert_eq!(
        token.run(|| separation::nucleolus(names(6), &o)),
        Err(Error::Interrupted)
    );
}
