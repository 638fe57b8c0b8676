//! Shapley and Banzhaf on dense games against one pass over the same array (the memory floor).
//!
//! `cargo bench --bench shapley`; results are recorded in BENCHMARKS.md.

use std::hint::black_box;

use coalitional::Game;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

/// A dense game with pseudo-random values (xorshift), without building 2^n closures' state.
fn random_game(n: usize) -> Game {
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let players = (0..n).map(|i| format!("p{i}")).collect();
    Game::from_fn(players, |_| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    })
    .expect("benchmark game fits in memory")
}

fn dense(c: &mut Criterion) {
    let sizes: Vec<usize> = std::env::var("COALITIONAL_BENCH_N")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![15, 20, 25]);
    let mut group = c.benchmark_group("dense");
    group.sample_size(10);
    for n in sizes {
        let g = random_game(n);
        group.bench_with_input(BenchmarkId::new("sum_once", n), &g, |b, g| {
            b.iter(|| black_box(g.values().iter().sum::<f64>()))
        });
        group.bench_with_input(BenchmarkId::new("shapley", n), &g, |b, g| {
            b.iter(|| black_box(g.shapley()))
        });
        group.bench_with_input(BenchmarkId::new("banzhaf", n), &g, |b, g| {
            b.iter(|| black_box(g.banzhaf()))
        });
    }
    group.finish();
}

criterion_group!(benches, dense);
criterion_main!(benches);
