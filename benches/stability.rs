//! Least core, cost of stability and nucleolus on random dense games `v(S) = |S| U(0, 1)`,
//! `v(N) = n` (imputations exist, the core is empty), the family of `bench/stability.py`.
//!
//! `COALITIONAL_BENCH_N=10,15,20 cargo bench --bench stability`; results in BENCHMARKS.md.

use std::hint::black_box;

use coalitional::Game;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

fn random_game(n: usize) -> Game {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let players = (0..n).map(|i| format!("p{i}")).collect();
    let grand = (1u64 << n) - 1;
    Game::from_fn(players, |s| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        if s.mask() == grand {
            n as f64
        } else {
            s.len() as f64 * (state >> 11) as f64 / (1u64 << 53) as f64
        }
    })
    .expect("benchmark game fits in memory")
}

fn stability(c: &mut Criterion) {
    let sizes: Vec<usize> = std::env::var("COALITIONAL_BENCH_N")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![10, 15, 20]);
    let mut group = c.benchmark_group("stability");
    group.sample_size(10);
    for n in sizes {
        let g = random_game(n);
        group.bench_with_input(BenchmarkId::new("least_core", n), &g, |b, g| {
            b.iter(|| black_box(g.least_core().expect("least core")))
        });
        group.bench_with_input(BenchmarkId::new("cost_of_stability", n), &g, |b, g| {
            b.iter(|| black_box(g.cost_of_stability().expect("cost of stability")))
        });
        group.bench_with_input(BenchmarkId::new("nucleolus", n), &g, |b, g| {
            b.iter(|| black_box(g.nucleolus().expect("nucleolus")))
        });
    }
    group.finish();
}

criterion_group!(benches, stability);
criterion_main!(benches);
