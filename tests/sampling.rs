//! Sampling estimates against exact values: the error stays within the stated bound.

mod common;

use coalitional::classes::voting::WeightedVoting;
use coalitional::solution::sampling::{hoeffding_rounds, sample, Bound, Method, Options, Sampler};
use coalitional::{Coalition, Game};
use common::names;

fn voting50() -> (WeightedVoting, Vec<u64>, u64) {
    let weights: Vec<u64> = (0..50u64).map(|i| 1 + (i * 13 + 5) % 17).collect();
    let total: u64 = weights.iter().sum();
    let quota = total / 2 + 1;
    (
        WeightedVoting::new(quota, weights.clone(), None).unwrap(),
        weights,
        quota,
    )
}

fn wins(weights: &[u64], quota: u64) -> impl Fn(u64) -> f64 + '_ {
    move |mask| {
        let w: u64 = Coalition::from_mask(mask)
            .members()
            .map(|i| weights[i])
            .sum();
        f64::from(u8::from(w >= quota))
    }
}

#[test]
fn permutation_sampling_within_hoeffding_on_fifty_voters() {
    let (game, weights, quota) = voting50();
    let exact = game.shapley();
    let opts = Options {
        epsilon: 0.02,
        delta: 0.05,
        bound: Bound::Hoeffding { range: 1.0 },
        seed: 11,
        ..Options::default()
    };
    let mut s = Sampler::new(50, Method::Permutation, opts.seed).unwrap();
    let est = sample(&mut s, wins(&weights, quota), &opts).unwrap();
    assert!(est.converged);
    assert_eq!(
        est.samples,
        hoeffding_rounds(50, Method::Permutation, 0.02, 0.05, 1.0)
    );
    for i in 0..50 {
        assert!(est.half_widths[i] <= 0.02 + 1e-12);
        assert!(
            (est.values[i] - exact[i]).abs() <= est.half_widths[i],
            "player {i}"
        );
    }
    // Efficiency holds order by order: the estimates add up to v(N) = 1.
    assert!((est.values.iter().sum::<f64>() - 1.0).abs() < 1e-9);
}

#[test]
fn banzhaf_sampling_within_hoeffding_on_fifty_voters() {
    let (game, weights, quota) = voting50();
    let exact = game.banzhaf();
    let opts = Options {
        epsilon: 0.02,
        delta: 0.05,
        bound: Bound::Hoeffding { range: 1.0 },
        seed: 5,
        ..Options::default()
    };
    let mut s = Sampler::new(50, Method::Banzhaf, opts.seed).unwrap();
    let est = sample(&mut s, wins(&weights, quota), &opts).unwrap();
    for i in 0..50 {
        assert!(
            (est.values[i] - exact[i]).abs() <= est.half_widths[i],
            "player {i}"
        );
    }
}

#[test]
fn stratified_and_normal_intervals_cover_the_dense_shapley() {
    // A 12-player game with varied marginal contributions: v(S) = (sum of weights)^1.5 plus a
    // bonus when players 0 and 1 are together.
    let w: Vec<f64> = (0..12).map(|i| 1.0 + (i as f64 * 0.7) % 3.0).collect();
    let g = Game::from_fn(names(12), |s| {
        let sum: f64 = s.members().map(|i| w[i]).sum();
        sum.powf(1.5)
            + if s.contains(0) && s.contains(1) {
                5.0
            } else {
                0.0
            }
    })
    .unwrap();
    let exact = g.shapley();
    for method in [Method::Stratified, Method::Permutation] {
        let opts = Options {
            epsilon: 0.1,
            delta: 0.01,
            seed: 3,
            ..Options::default()
        };
        let mut s = Sampler::new(12, method, opts.seed).unwrap();
        let est = sample(&mut s, |m| g.values()[m as usize], &opts).unwrap();
        assert!(est.converged, "{method:?}");
        for i in 0..12 {
            assert!(
                (est.values[i] - exact[i]).abs() <= est.half_widths[i],
                "{method:?} player {i}: {} vs {} ± {}",
                est.values[i],
                exact[i],
                est.half_widths[i]
            );
        }
    }
}

#[test]
fn seeds_reproduce_runs() {
    let (_, weights, quota) = voting50();
    let run = |seed| {
        let opts = Options {
            epsilon: 0.1,
            seed,
            max_rounds: 200,
            ..Options::default()
        };
        let mut s = Sampler::new(50, Method::Permutation, seed).unwrap();
        sample(&mut s, wins(&weights, quota), &opts).unwrap().values
    };
    assert_eq!(run(1), run(1));
    assert_ne!(run(1), run(2));
}

#[test]
fn options_are_checked() {
    let mut s = Sampler::new(3, Method::Permutation, 0).unwrap();
    for opts in [
        Options {
            epsilon: 0.0,
            ..Options::default()
        },
        Options {
            delta: 1.0,
            ..Options::default()
        },
        Options {
            bound: Bound::Hoeffding { range: -1.0 },
            ..Options::default()
        },
        Options {
            batch: 0,
            ..Options::default()
        },
    ] {
        assert!(sample(&mut s, |_| 0.0, &opts).is_err());
    }
    // Not converged within max_rounds: said so, not hidden.
    let opts = Options {
        epsilon: 1e-6,
        max_rounds: 10,
        ..Options::default()
    };
    let est = sample(
        &mut s,
        |m| m.count_ones() as f64 * if m & 1 == 1 { 3.0 } else { 1.0 },
        &opts,
    )
    .unwrap();
    assert!(!est.converged);
}
