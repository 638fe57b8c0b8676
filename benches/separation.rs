//! The nucleolus and least core by separation (issue 18), on claims games: the `O(n)` claims
//! oracle through the general engine, against the Talmud rule for the answer.
//!
//! `cargo bench --bench separation`; results in BENCHMARKS.md (section "engine"). Criterion
//! times 100 and 200 claimants; 1,000 claimants are timed once and printed (a single run takes
//! about two minutes, too long for repeated samples).

use std::hint::black_box;
use std::time::Instant;

use coalitional::solution::separation;
use coalitional::Claims;
use criterion::{criterion_group, criterion_main, Criterion};

/// Claims 1..=1009 in a fixed pseudo-random pattern, estate 30% of the total.
fn problem(n: usize) -> Claims {
    let claims: Vec<f64> = (1..=n).map(|i| ((i * 37) % 1009 + 1) as f64).collect();
    let total: f64 = claims.iter().sum();
    Claims::new((0.3 * total).round(), claims, None).expect("valid claims")
}

fn engine(c: &mut Criterion) {
    let mut group = c.benchmark_group("separation_claims");
    group.sample_size(10);
    for n in [100, 200] {
        let p = problem(n);
        let names = p.players().to_vec();
        group.bench_function(format!("nucleolus_n{n}"), |b| {
            b.iter(|| black_box(separation::nucleolus(names.clone(), &p).expect("solves")))
        });
        group.bench_function(format!("least_core_n{n}"), |b| {
            b.iter(|| black_box(p.least_core().expect("solves")))
        });
    }
    group.finish();
    let p = problem(1000);
    let start = Instant::now();
    let nu = separation::nucleolus(p.players().to_vec(), &p).expect("solves");
    let took = start.elapsed();
    let gap = nu
        .values()
        .iter()
        .zip(p.nucleolus().values())
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    println!("claims n=1000: nucleolus by separation {took:.2?} (largest gap to the Talmud rule {gap:e})");
    let start = Instant::now();
    let lc = p.least_core().expect("solves");
    println!(
        "claims n=1000: least core by separation {:.2?} (epsilon {})",
        start.elapsed(),
        lc.epsilon
    );
}

criterion_group!(benches, engine);
criterion_main!(benches);
