//! Cooperation on a network: the graph-restricted game, the Myerson value and the position
//! value against published examples, brute force written here (components by depth-first
//! search on adjacency lists, Shapley values by all orders), axioms and scale covariance; a
//! lazy game on a graph runs its model only on connected coalitions.

mod common;

use std::cell::RefCell;

use coalitional::lazy::LazyGame;
use coalitional::solution::network::MAX_POSITION_EDGES;
use coalitional::{Coalition, Cooperative, Error, Game, Kind};
use common::{names, shapley_by_permutations, SplitMix as Rng};

fn random_game(rng: &mut Rng, n: usize) -> Game {
    Game::from_fn(names(n), |s| {
        if s.is_empty() {
            0.0
        } else {
            (rng.unit() * 10.0 - 2.0) * s.len() as f64
        }
    })
    .unwrap()
}

/// Each pair an edge with probability `p`.
fn random_edges(rng: &mut Rng, n: usize, p: f64) -> Vec<(usize, usize)> {
    let mut e = Vec::new();
    for i in 0..n {
        for j in i + 1..n {
            if rng.unit() < p {
                e.push((i, j));
            }
        }
    }
    e
}

/// The connected components of `s` by depth-first search on adjacency lists.
fn components_dfs(n: usize, edges: &[(usize, usize)], s: &[usize]) -> Vec<Vec<usize>> {
    let mut adj = vec![Vec::new(); n];
    for &(i, j) in edges {
        adj[i].push(j);
        adj[j].push(i);
    }
    let inside = |k: usize| s.contains(&k);
    let mut seen = vec![false; n];
    let mut out = Vec::new();
    for &start in s {
        if seen[start] {
            continue;
        }
        let mut comp = Vec::new();
        let mut stack = vec![start];
        seen[start] = true;
        while let Some(k) = stack.pop() {
            comp.push(k);
            for &l in &adj[k] {
                if inside(l) && !seen[l] {
                    seen[l] = true;
                    stack.push(l);
                }
            }
        }
        out.push(comp);
    }
    out
}

fn mask_of(members: &[usize]) -> u64 {
    members.iter().map(|&i| 1u64 << i).sum()
}

/// v^G by the definition, coalition by coalition.
fn restricted_brute(g: &Game, edges: &[(usize, usize)]) -> Vec<f64> {
    let n = g.n();
    (0..1u64 << n)
        .map(|m| {
            let s: Vec<usize> = Coalition::from_mask(m).members().collect();
            components_dfs(n, edges, &s)
                .iter()
                .map(|c| g.values()[mask_of(c) as usize])
                .sum()
        })
        .collect()
}

/// The position value by the definition: the link game's Shapley value by all orders of the
/// links, each link's share split between its two ends.
fn position_brute(g: &Game, edges: &[(usize, usize)]) -> Vec<f64> {
    let n = g.n();
    let everyone: Vec<usize> = (0..n).collect();
    let r = |links: &[(usize, usize)]| -> f64 {
        components_dfs(n, links, &everyone)
            .iter()
            .map(|c| g.values()[mask_of(c) as usize])
            .sum()
    };
    let m = edges.len();
    let phi = if m == 0 {
        vec![]
    } else {
        let link_game = Game::from_fn(names(m), |l| {
            let chosen: Vec<(usize, usize)> = l.members().map(|e| edges[e]).collect();
            r(&chosen) - r(&[])
        })
        .unwrap();
        shapley_by_permutations(&link_game)
    };
    let mut pi: Vec<f64> = (0..n).map(|i| g.values()[1 << i]).collect();
    for (&(i, j), share) in edges.iter().zip(phi) {
        pi[i] += share / 2.0;
        pi[j] += share / 2.0;
    }
    pi
}

fn close(a: &[f64], b: &[f64], scale: f64, what: &str) {
    assert_eq!(a.len(), b.len());
    for (k, (x, y)) in a.iter().zip(b).enumerate() {
        assert!(
            (x - y).abs() <= 1e-9 * scale.max(1.0),
            "{what}[{k}]: {x} vs {y}"
        );
    }
}

fn majority3() -> Game {
    Game::from_fn(vec!["1".into(), "2".into(), "3".into()], |s| {
        if s.len() >= 2 {
            1.0
        } else {
            0.0
        }
    })
    .unwrap()
}

/// Myerson (1977), Mathematics of Operations Research 2(3), the three-player majority game
/// with communication on the line 1 - 2 - 3: the Myerson value is (1/6, 2/3, 1/6). The
/// position value (Borm, Owen and Tijs 1992, SIAM J. Discrete Math. 5(3)) of the same
/// situation gives each link 1/2 in the link game r(∅) = 0, r({12}) = r({23}) = r({12, 23})
/// = 1, so (1/4, 1/2, 1/4): the two values differ.
#[test]
fn myerson_majority_line() {
    let g = majority3();
    let line = [("1", "2"), ("2", "3")];
    let mu = g.myerson(&line).unwrap();
    close(
        mu.values(),
        &[1.0 / 6.0, 2.0 / 3.0, 1.0 / 6.0],
        1.0,
        "myerson",
    );
    let pi = g.position_value(&line).unwrap();
    close(pi.values(), &[0.25, 0.5, 0.25], 1.0, "position");
}

/// The unanimity game of {1, 3} on the line 1 - 2 - 3 (the example that separates the two
/// values in Borm, Owen and Tijs 1992): v^G is the unanimity game of N, so the Myerson value
/// is (1/3, 1/3, 1/3); the link game is the unanimity game of both links, so the position
/// value is (1/4, 1/2, 1/4).
#[test]
fn unanimity_of_the_ends_on_a_line() {
    let g = Game::from_fn(vec!["1".into(), "2".into(), "3".into()], |s| {
        if s.contains(0) && s.contains(2) {
            1.0
        } else {
            0.0
        }
    })
    .unwrap();
    let line = [("1", "2"), ("2", "3")];
    let vg = g.graph_restricted(&line).unwrap();
    assert_eq!(vg.values(), &[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0]);
    close(
        g.myerson(&line).unwrap().values(),
        &[1.0 / 3.0; 3],
        1.0,
        "myerson",
    );
    close(
        g.position_value(&line).unwrap().values(),
        &[0.25, 0.5, 0.25],
        1.0,
        "position",
    );
}

#[test]
fn random_games_against_brute_force() {
    let mut rng = Rng(17);
    for n in 2..=7 {
        for trial in 0..6 {
            let g = random_game(&mut rng, n);
            let p = [0.2, 0.4, 0.7][trial % 3];
            let edges = random_edges(&mut rng, n, p);
            let vg = g.graph_restricted(&edges).unwrap();
            let want = restricted_brute(&g, &edges);
            close(vg.values(), &want, 50.0, "graph_restricted");
            // Myerson = Shapley of the brute-force restricted game, by all orders.
            let brute = Game::new(names(n), want).unwrap();
            close(
                g.myerson(&edges).unwrap().values(),
                &shapley_by_permutations(&brute),
                50.0,
                "myerson",
            );
            if edges.len() <= 7 {
                close(
                    g.position_value(&edges).unwrap().values(),
                    &position_brute(&g, &edges),
                    50.0,
                    "position",
                );
            }
        }
    }
}

/// Component efficiency of both values, Myerson's fairness (removing a link changes both
/// ends' Myerson values by the same amount), the complete graph (Shapley) and the empty graph
/// (standalone worths).
#[test]
fn axioms() {
    let mut rng = Rng(4);
    for n in 2..=7 {
        for _ in 0..5 {
            let g = random_game(&mut rng, n);
            let edges = random_edges(&mut rng, n, 0.35);
            let mu = g.myerson(&edges).unwrap();
            let pi = g.position_value(&edges).unwrap();
            let everyone: Vec<usize> = (0..n).collect();
            for c in components_dfs(n, &edges, &everyone) {
                let worth = g.values()[mask_of(&c) as usize];
                let sum_mu: f64 = c.iter().map(|&i| mu[i]).sum();
                let sum_pi: f64 = c.iter().map(|&i| pi[i]).sum();
                assert!((sum_mu - worth).abs() < 1e-9 * 50.0, "component efficiency");
                assert!((sum_pi - worth).abs() < 1e-9 * 50.0, "component efficiency");
            }
            for k in 0..edges.len() {
                let (i, j) = edges[k];
                let mut fewer = edges.clone();
                fewer.remove(k);
                let nu = g.myerson(&fewer).unwrap();
                let (di, dj) = (mu[i] - nu[i], mu[j] - nu[j]);
                assert!((di - dj).abs() < 1e-9 * 50.0, "fairness: {di} vs {dj}");
            }
            let complete: Vec<(usize, usize)> = (0..n)
                .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
                .collect();
            close(
                g.myerson(&complete).unwrap().values(),
                g.shapley().values(),
                50.0,
                "complete graph",
            );
            let none: [(usize, usize); 0] = [];
            let alone: Vec<f64> = (0..n).map(|i| g.values()[1 << i]).collect();
            close(g.myerson(&none).unwrap().values(), &alone, 50.0, "no edges");
            close(
                g.position_value(&none).unwrap().values(),
                &alone,
                50.0,
                "no edges",
            );
        }
    }
}

/// c v + additive shift, with budgets of 1e8 and surpluses of a few units: both values move
/// the same way, to 1e-6 of the surplus (1e-14 of the budget).
#[test]
fn scale_and_shift_covariance() {
    let mut rng = Rng(99);
    for n in 3..=6 {
        let g = random_game(&mut rng, n);
        let edges = random_edges(&mut rng, n, 0.5);
        let shift: Vec<f64> = (0..n).map(|i| 1e8 * (1.0 + i as f64)).collect();
        let c = 3.0;
        let big = Game::from_fn(names(n), |s| {
            c * g.values()[s.mask() as usize] + s.members().map(|i| shift[i]).sum::<f64>()
        })
        .unwrap();
        let cost = big.clone().into_kind(Kind::Cost);
        for (what, small, large) in [
            (
                "myerson",
                g.myerson(&edges).unwrap(),
                big.myerson(&edges).unwrap(),
            ),
            (
                "position",
                g.position_value(&edges).unwrap(),
                big.position_value(&edges).unwrap(),
            ),
        ] {
            for i in 0..n {
                let want = c * small[i] + shift[i];
                assert!(
                    (large[i] - want).abs() < 1e-6,
                    "{what}[{i}]: {} vs {want}",
                    large[i]
                );
            }
        }
        // A cost game is restricted the same way and stays a cost game.
        let rc = cost.graph_restricted(&edges).unwrap();
        assert_eq!(rc.kind(), Kind::Cost);
        assert_eq!(rc.values(), big.graph_restricted(&edges).unwrap().values());
    }
}

#[test]
fn bad_edges_are_typed_errors() {
    let g = majority3();
    assert!(matches!(
        g.graph_restricted(&[("1", "4")]),
        Err(Error::UnknownPlayer { name, .. }) if name == "4"
    ));
    assert!(matches!(
        g.myerson(&[("2", "2")]),
        Err(Error::InvalidParameter { name: "edges", .. })
    ));
    assert!(matches!(
        g.position_value(&[(0usize, 3usize)]),
        Err(Error::PlayerIndexOutOfRange { index: 3, n: 3 })
    ));
    // Duplicate edges, in either direction, are one edge.
    let once = g.position_value(&[("1", "2"), ("2", "3")]).unwrap();
    let twice = g
        .position_value(&[("1", "2"), ("2", "1"), ("2", "3"), ("1", "2")])
        .unwrap();
    assert_eq!(once, twice);
    // The complete graph on 8 players has 28 edges: beyond the position value's limit.
    let g8 = Game::from_fn(names(8), |s| s.len() as f64).unwrap();
    let complete: Vec<(usize, usize)> = (0..8)
        .flat_map(|i| (i + 1..8).map(move |j| (i, j)))
        .collect();
    assert!(matches!(
        g8.position_value(&complete),
        Err(Error::LimitExceeded { asked: 28, limit, .. }) if limit == MAX_POSITION_EDGES as u128
    ));
    // ... while the Myerson value has no limit on edges.
    close(
        g8.myerson(&complete).unwrap().values(),
        &[1.0; 8],
        1.0,
        "complete",
    );
}

fn model(s: Coalition) -> f64 {
    let m = s.mask() as f64;
    (m * 0.37).sin() * 10.0 + (s.len() as f64).powi(2)
}

/// The coalitions a lazy game on a graph sends to its model: exactly the connected ones.
fn lazy_calls(n: usize, edges: &[(usize, usize)]) -> (u64, Vec<u64>, Game) {
    let seen = RefCell::new(Vec::new());
    let mut lazy = LazyGame::new(
        names(n),
        Kind::Value,
        |s: Coalition| {
            seen.borrow_mut().push(s.mask());
            model(s)
        },
        None,
    )
    .unwrap()
    .with_graph(edges)
    .unwrap();
    let game = lazy.to_game().unwrap();
    assert_eq!(lazy.evaluated() as u64, lazy.calls());
    let calls = lazy.calls();
    drop(lazy);
    (calls, seen.into_inner(), game)
}

#[test]
fn lazy_game_runs_the_model_on_connected_coalitions_only() {
    let path = |n: usize| -> Vec<(usize, usize)> { (0..n - 1).map(|i| (i, i + 1)).collect() };
    let star = |n: usize| -> Vec<(usize, usize)> { (1..n).map(|i| (0, i)).collect() };
    let cycle = |n: usize| -> Vec<(usize, usize)> { (0..n).map(|i| (i, (i + 1) % n)).collect() };
    let complete = |n: usize| -> Vec<(usize, usize)> {
        (0..n)
            .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
            .collect()
    };
    type Case = (Vec<(usize, usize)>, usize, u64);
    let cases: Vec<Case> = vec![
        (path(9), 9, 45), // n (n + 1) / 2
        (path(5), 5, 15),
        (star(7), 7, (1 << 6) + 6), // 2^(n-1) + n - 1
        (cycle(6), 6, 6 * 5 + 1),   // n (n - 1) arcs + the whole cycle
        (complete(5), 5, 31),       // 2^n - 1
        (vec![], 4, 4),             // singletons only
    ];
    for (edges, n, want) in cases {
        let (calls, seen, game) = lazy_calls(n, &edges);
        assert_eq!(calls, want, "{n} players, edges {edges:?}");
        let mut distinct = seen.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), seen.len(), "a coalition evaluated twice");
        let everyone_dfs = |m: u64| {
            let s: Vec<usize> = Coalition::from_mask(m).members().collect();
            components_dfs(n, &edges, &s).len() == 1
        };
        assert!(
            seen.iter().all(|&m| everyone_dfs(m)),
            "a disconnected coalition ran"
        );
        // to_game is the graph-restricted game of the model's full game, bit for bit.
        let full = Game::from_fn(names(n), model).unwrap();
        assert_eq!(
            game.values(),
            full.graph_restricted(&edges).unwrap().values()
        );
    }
}

/// Evaluating single coalitions and sampling on a graph: the model sees only connected
/// coalitions, and the estimate is the same, bit for bit, as the dense restricted game's.
#[test]
fn lazy_game_on_a_graph_evaluates_and_samples_the_restricted_game() {
    use coalitional::solution::sampling::{Method, Options};
    let n = 10;
    let edges: Vec<(usize, usize)> = (0..n - 1).map(|i| (i, i + 1)).chain([(0, 5)]).collect();
    let seen = RefCell::new(Vec::new());
    let mut lazy = LazyGame::new(
        names(n),
        Kind::Value,
        |s: Coalition| {
            seen.borrow_mut().push(s.mask());
            model(s)
        },
        None,
    )
    .unwrap()
    .with_graph(&edges)
    .unwrap();
    let full = Game::from_fn(names(n), model).unwrap();
    let mut restricted = full.graph_restricted(&edges).unwrap();
    // {p0, p2, p9}: three singletons, three model runs.
    let v = lazy.evaluate(&[0b10_0000_0101]).unwrap();
    assert_eq!(v[0], restricted.values()[0b10_0000_0101]);
    assert_eq!(lazy.calls(), 3);
    let options = Options {
        epsilon: 0.5,
        max_rounds: 200,
        seed: 7,
        ..Options::default()
    };
    let est = lazy.sample(Method::Permutation, &options).unwrap();
    let dense = restricted.sample(Method::Permutation, &options).unwrap();
    assert_eq!(est.values, dense.values);
    let graph = lazy.graph().unwrap().clone();
    drop(lazy);
    let seen = seen.into_inner();
    assert!(seen.iter().all(|&m| graph.is_connected(m)));
}
