//! Power indices of a large weighted majority game without its 2^n values.
//!
//! `cargo bench --bench classes`; results in BENCHMARKS.md. Target (issue 4): n = 100 players
//! with total weight about 3000, well under 100 ms.

use std::hint::black_box;

use coalitional::classes::voting::WeightedVoting;
use criterion::{criterion_group, criterion_main, Criterion};

fn voting(c: &mut Criterion) {
    // Weights 1..=59 in a fixed pseudo-random pattern: total 3000 for 100 players.
    let weights: Vec<u64> = (0..100u64).map(|i| 1 + (i * 37 + 11) % 59).collect();
    let total: u64 = weights.iter().sum();
    let g = WeightedVoting::new(total / 2 + 1, weights, None).expect("valid game");
    let mut group = c.benchmark_group("weighted_voting_n100");
    group.sample_size(20);
    group.bench_function("shapley_shubik", |b| b.iter(|| black_box(g.shapley())));
    group.bench_function("banzhaf", |b| b.iter(|| black_box(g.banzhaf())));
    // Johnston, Deegan–Packel, Holler, Coleman (+ swings, Shapley–Shubik), exact counts.
    group.bench_function("power_indices", |b| {
        b.iter(|| black_box(g.power_indices().expect("fits")))
    });
    group.finish();
    println!("total weight {total}");
}

criterion_group!(benches, voting);
criterion_main!(benches);
