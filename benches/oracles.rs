//! Separation oracles and the nucleolus / least core through the separation engine, at the
//! sizes of issue 18: weighted voting with 50 voters and integer weights up to 100, convex
//! games given by a function with 40 players; the dense solver at n = 22 for comparison.
//!
//! `cargo bench --bench oracles`; results in BENCHMARKS.md ("oracles" section). Each convex
//! run starts from a fresh game, so its memo of worths is empty and every worth the solver
//! needs is computed inside the timing.

use std::hint::black_box;
use std::time::Duration;

use coalitional::solution::separation::Separation;
use coalitional::{ConvexGame, WeightedVoting};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};

fn names(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("p{i}")).collect()
}

/// 50 voters, weights 1..=100 in a fixed pseudo-random pattern, quota a simple majority
/// (or two thirds).
fn voters(n: u64, num: u64, den: u64) -> WeightedVoting {
    let weights: Vec<u64> = (0..n).map(|i| 1 + (i * 37 + 11) % 100).collect();
    let total: u64 = weights.iter().sum();
    WeightedVoting::new(total * num / den + 1, weights, None).expect("valid game")
}

/// A bankruptcy game given by a function (claims 1..=400, estate 40 % of the claims).
fn bankruptcy(n: usize) -> ConvexGame {
    let claims: Vec<f64> = (0..n).map(|i| 1.0 + ((i * 7919) % 400) as f64).collect();
    let total: f64 = claims.iter().sum();
    let estate = 0.4 * total;
    ConvexGame::new(names(n), move |m: &[usize]| {
        Ok((estate - (total - m.iter().map(|&i| claims[i]).sum::<f64>())).max(0.0))
    })
    .expect("valid game")
}

/// `v(S) = a(S)^2 + (a(S) - A/2)^+ ^3 / A`: a sum of convex functions of a weight, with many
/// equal weights (ties).
fn smooth(n: usize) -> ConvexGame {
    let a: Vec<f64> = (0..n).map(|i| 1.0 + ((i * 31) % 13) as f64 / 4.0).collect();
    let total: f64 = a.iter().sum();
    ConvexGame::new(names(n), move |m: &[usize]| {
        let s: f64 = m.iter().map(|&i| a[i]).sum();
        Ok(s * s + (s - total / 2.0).max(0.0).powi(3) / total)
    })
    .expect("valid game")
}

fn voting(c: &mut Criterion) {
    let mut group = c.benchmark_group("weighted_voting_n50");
    group.sample_size(10);
    let g = voters(50, 1, 2);
    println!(
        "quota {} of total {}",
        g.quota(),
        g.weights().iter().sum::<u64>()
    );
    let x = vec![1.0 / 50.0; 50];
    let none = vec![false; 50];
    group.bench_function("most_violated", |b| {
        b.iter(|| black_box(g.most_violated(&x, &none, &none).expect("oracle")))
    });
    group.bench_function("nucleolus", |b| {
        b.iter(|| black_box(g.nucleolus().expect("nucleolus")))
    });
    group.bench_function("least_core", |b| {
        b.iter(|| black_box(g.least_core().expect("least core")))
    });
    let two_thirds = voters(50, 2, 3);
    group.bench_function("nucleolus_two_thirds", |b| {
        b.iter(|| black_box(two_thirds.nucleolus().expect("nucleolus")))
    });
    group.finish();

    // Where the dense solver still runs: 22 voters.
    let mut group = c.benchmark_group("weighted_voting_n22");
    group.sample_size(10);
    let g = voters(22, 1, 2);
    let dense = g.to_game().expect("dense game");
    group.bench_function("nucleolus_engine", |b| {
        b.iter(|| black_box(g.nucleolus().expect("nucleolus")))
    });
    group.bench_function("nucleolus_dense", |b| {
        b.iter(|| black_box(dense.nucleolus().expect("nucleolus")))
    });
    group.finish();
}

fn convex(c: &mut Criterion) {
    let mut group = c.benchmark_group("convex_n40");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(20));
    let x: Vec<f64> = (0..40).map(|i| 20.0 + (i % 7) as f64).collect();
    let none = vec![false; 40];
    group.bench_function("most_violated_fresh", |b| {
        b.iter_batched(
            || smooth(40),
            |g| black_box(g.most_violated(&x, &none, &none).expect("oracle")),
            BatchSize::PerIteration,
        )
    });
    for (name, make) in [
        ("bankruptcy", bankruptcy as fn(usize) -> ConvexGame),
        ("smooth", smooth),
    ] {
        group.bench_function(format!("nucleolus_{name}"), |b| {
            b.iter_batched(
                || make(40),
                |g| black_box(g.nucleolus().expect("nucleolus")),
                BatchSize::PerIteration,
            )
        });
        group.bench_function(format!("least_core_{name}"), |b| {
            b.iter_batched(
                || make(40),
                |g| black_box(g.least_core().expect("least core")),
                BatchSize::PerIteration,
            )
        });
        let g = make(40);
        g.nucleolus().expect("nucleolus");
        println!(
            "{name}: {} distinct worths for one nucleolus",
            g.evaluations()
        );
    }
    group.finish();
}

criterion_group!(benches, voting, convex);
criterion_main!(benches);
