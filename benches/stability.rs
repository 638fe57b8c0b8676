//! Least core, cost of stability and nucleolus on random dense games `v(S) = |S| U(0, 1)`,
//! `v(N) = n` (imputations exist, the core is empty), the family of `bench/stability.py`.
//!
//! `COALITIONAL_BENCH_N=10,15,20 cargo bench --bench stability`; results in BENCHMARKS.md.

use std::hint::black_box;

use coalitional::{Bounds, Game, Norm};
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
        // Policy bounds (issue 16): player 0 capped below its nucleolus share, player 1 with
        // a floor above it; and the stable split nearest the equal split.
        let nu = g.nucleolus().expect("nucleolus");
        let bounds = Bounds::open(n)
            .with_cap(0, nu.values()[0] * 0.9)
            .with_floor(1, nu.values()[1] * 1.1);
        group.bench_with_input(BenchmarkId::new("nucleolus_within", n), &g, |b, g| {
            b.iter(|| black_box(g.nucleolus_within(&bounds).expect("bounded nucleolus")))
        });
        group.bench_with_input(BenchmarkId::new("least_core_within", n), &g, |b, g| {
            b.iter(|| black_box(g.least_core_within(&bounds).expect("bounded least core")))
        });
        let equal = vec![1.0; n];
        for norm in [Norm::L2, Norm::L1, Norm::LInf] {
            let id = BenchmarkId::new(format!("closest_{}", norm.name()), n);
            group.bench_with_input(id, &g, |b, g| {
                b.iter(|| black_box(g.closest_core_point(&equal, norm, None).expect("closest")))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, stability);
criterion_main!(benches);
