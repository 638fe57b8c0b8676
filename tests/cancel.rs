//! Cancellation (`coalitional::cancel`): a cancelled token stops every long computation with
//! `Error::Interrupted`, also when it is cancelled from another thread while the computation
//! runs, and also in the passes that run on several threads; functions without `Result` are
//! not affected.

use std::sync::mpsc;
use std::time::Duration;

use coalitional::cancel::{self, Token};
use coalitional::settle::{settle, Rule};
use coalitional::solution::sampling::{sample, Method, Options, Sampler};
use coalitional::{Error, Game};

/// A random essential game of `n` players: `v(S) = 10 |S|^1.5` plus noise in [0, 10) (seeded).
fn random_game(n: usize, seed: u64) -> Game {
    let mut state = seed;
    Game::from_fn((0..n).map(|i| format!("p{i}")).collect(), |s| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        10.0 * (s.len() as f64).powf(1.5) + ((state >> 33) % 1000) as f64 / 100.0
    })
    .unwrap()
}

/// `v(S) = |S|^2`: convex, so the convexity check has to look at every coalition.
fn square_game(n: usize) -> Game {
    Game::from_fn((0..n).map(|i| format!("p{i}")).collect(), |s| {
        (s.len() as f64).powi(2)
    })
    .unwrap()
}

#[test]
fn check_is_free_outside_a_scope_and_tokens_can_be_reset() {
    assert_eq!(cancel::check(), Ok(()));
    let token = Token::new();
    assert!(!token.is_cancelled());
    token.cancel();
    assert!(token.is_cancelled() && token.clone().is_cancelled());
    assert_eq!(cancel::check(), Ok(()), "a token acts only inside its run");
    assert_eq!(token.run(cancel::check), Err(Error::Interrupted));
    token.reset();
    assert_eq!(token.run(cancel::check), Ok(()));
}

#[test]
fn a_cancelled_token_interrupts_every_long_computation() {
    // 2^18 values: the passes over them run on several threads where there are cores.
    let g = random_game(18, 1);
    let small = random_game(6, 2);
    let token = Token::new();
    token.cancel();
    let (phi, beta) = (g.shapley(), g.banzhaf());
    let x = phi.values().to_vec();
    let interrupted = |what: &str, r: Result<(), Error>| {
        assert_eq!(r, Err(Error::Interrupted), "{what}");
    };
    token.run(|| {
        interrupted("nucleolus", g.nucleolus().map(drop));
        interrupted("prenucleolus", g.prenucleolus().map(drop));
        interrupted("least core", g.least_core().map(drop));
        interrupted("core emptiness", g.core_is_empty().map(drop));
        interrupted("cost of stability", g.cost_of_stability().map(drop));
        interrupted("in core", g.in_core(&x, 1e-9).map(drop));
        interrupted("tau", g.tau_value().map(drop));
        interrupted("shapley", g.try_shapley().map(drop));
        interrupted("banzhaf", g.try_banzhaf().map(drop));
        interrupted("normalised banzhaf", g.banzhaf_normalized().map(drop));
        interrupted("convex", g.try_is_convex().map(drop));
        interrupted("monotone", g.try_is_monotone().map(drop));
        interrupted("superadditive", small.is_superadditive().map(drop));
        interrupted("core vertices", small.core_vertices().map(drop));
        let unions: Vec<Vec<usize>> = vec![(0..9).collect(), (9..18).collect()];
        interrupted("owen", g.owen(&unions).map(drop));
        interrupted("rule", Rule::Shapley.apply(&g).map(drop));
        interrupted("settle", settle(&g, &phi, None, 3).map(drop));
        let mut sampler = Sampler::new(18, Method::Permutation, 0).unwrap();
        let values = g.values();
        let run = sample(&mut sampler, |m| values[m as usize], &Options::default());
        interrupted("sampling", run.map(drop));
        // Without Result there is no way to report it: these ignore the token and are exact.
        assert_eq!(g.shapley(), phi);
        assert_eq!(g.banzhaf(), beta);
        assert!(square_game(8).is_convex() && square_game(8).is_monotone());
    });
    token.reset();
    assert_eq!(token.run(|| g.try_shapley()), Ok(phi));
}

#[test]
fn cancelling_from_another_thread_stops_a_running_convexity_check() {
    // 2^23 coalitions with up to 253 comparisons each: seconds of work, stopped after 50 ms.
    let g = square_game(23);
    let token = Token::new();
    let stopper = token.clone();
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(50));
        stopper.cancel();
    });
    assert_eq!(token.run(|| g.try_is_convex()), Err(Error::Interrupted));
    canceller.join().unwrap();
}

#[test]
fn cancelling_from_another_thread_stops_a_running_nucleolus() {
    let g = random_game(22, 7);
    let token = Token::new();
    let stopper = token.clone();
    let (started, start) = mpsc::channel::<()>();
    let canceller = std::thread::spawn(move || {
        start.recv().unwrap();
        stopper.cancel();
    });
    let got = token.run(|| {
        started.send(()).unwrap();
        g.nucleolus()
    });
    assert_eq!(got, Err(Error::Interrupted));
    canceller.join().unwrap();
    // The game itself is fine: without cancellation the same call succeeds.
    token.reset();
    assert!(token.run(|| g.try_banzhaf()).is_ok());
}

#[test]
fn nested_tokens_both_cancel() {
    let g = random_game(8, 3);
    let (outer, inner) = (Token::new(), Token::new());
    let got = outer.run(|| {
        inner.run(|| {
            assert!(g.nucleolus().is_ok());
            outer.cancel();
            g.nucleolus()
        })
    });
    assert_eq!(got, Err(Error::Interrupted));
    assert!(!inner.is_cancelled());
}
