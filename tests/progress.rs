//! Progress (`coalitional::progress`): a record in scope hears the long computations; its
//! count reaches the total, never moves back while another thread watches, and belongs to the
//! outermost computation; outside a scope nothing is recorded and results are unchanged.
//! Also the time-paced batches of the sampling driver (`sample_paced`): the same numbers,
//! bit for bit, as the default batches, starting with a single round.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use coalitional::progress::{Progress, Snapshot};
use coalitional::solution::sampling::{
    sample_batched, sample_paced, Bound, Method, Options, Sampler,
};
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

/// Runs `f` in the scope of a fresh record while another thread reads the record as fast as
/// it can; returns `f`'s result, the final snapshot and every snapshot read.
fn watched<T>(f: impl FnOnce() -> T) -> (T, Snapshot, Vec<Snapshot>) {
    let progress = Progress::new();
    let stop = AtomicBool::new(false);
    let (out, seen) = std::thread::scope(|scope| {
        let watcher = progress.clone();
        let stop = &stop;
        let reader = scope.spawn(move || {
            let mut seen = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                seen.push(watcher.snapshot());
                std::thread::sleep(Duration::from_micros(200));
            }
            seen
        });
        let out = progress.run(f);
        stop.store(true, Ordering::Relaxed);
        (out, reader.join().unwrap())
    });
    (out, progress.snapshot(), seen)
}

/// The counts read never decrease once the computation has set its total.
fn assert_monotone(seen: &[Snapshot], total: Option<u64>) {
    let counts: Vec<u64> = seen
        .iter()
        .filter(|s| s.total == total)
        .map(|s| s.done)
        .collect();
    assert!(
        counts.windows(2).all(|w| w[0] <= w[1]),
        "counts went back: {counts:?}"
    );
    assert!(counts.iter().all(|&d| total.is_none_or(|t| d <= t)));
}

#[test]
fn shapley_and_banzhaf_count_every_value() {
    // 2^19 values: the pass runs on several threads, which all count.
    let g = random_game(19, 1);
    let total = Some(1u64 << 19);
    let (phi, end, seen) = watched(|| g.try_shapley());
    assert_eq!(
        phi.unwrap(),
        g.shapley(),
        "the same numbers with a listener"
    );
    assert_eq!(
        end,
        Snapshot {
            done: 1 << 19,
            total,
            stage: None
        }
    );
    assert_monotone(&seen, total);

    let (beta, end, seen) = watched(|| g.banzhaf());
    assert_eq!(beta, Progress::new().run(|| g.banzhaf()));
    assert_eq!((end.done, end.total), (1 << 19, total));
    assert_monotone(&seen, total);

    // A small game (one block, one thread).
    let small = random_game(5, 2);
    let (_, end, _) = watched(|| small.shapley());
    assert_eq!((end.done, end.total), (32, Some(32)));
}

#[test]
fn the_nucleolus_counts_rank_and_names_its_stages() {
    let n = 9;
    let g = random_game(n, 3);
    let total = Some(2 * (n as u64 - 1));
    for prenucleolus in [false, true] {
        let run = || {
            if prenucleolus {
                g.prenucleolus()
            } else {
                g.nucleolus()
            }
        };
        let (x, end, seen) = watched(run);
        assert_eq!(x.unwrap(), run().unwrap());
        assert_eq!(end.done, 2 * (n as u64 - 1));
        assert_eq!(end.total, total);
        assert_eq!(end.stage.as_deref(), Some("Kohlberg check"));
        assert_monotone(&seen, total);
        // Inner passes (the normalisation, the excess scans) never take the record over.
        assert!(seen.iter().all(|s| s.total.is_none() || s.total == total));
        let stages: Vec<&str> = seen.iter().filter_map(|s| s.stage.as_deref()).collect();
        assert!(stages
            .iter()
            .all(|s| s.starts_with("LP stage ") || *s == "polish" || *s == "Kohlberg check"));
    }
}

#[test]
fn a_small_nucleolus_completes_its_count() {
    let g = random_game(7, 4);
    let progress = Progress::new();
    let x = progress.run(|| g.nucleolus()).unwrap();
    assert_eq!(x, g.nucleolus().unwrap());
    assert_eq!(progress.total(), Some(12));
    assert_eq!(progress.done(), 12);
}

#[test]
fn constraint_generation_counts_rounds_without_a_total() {
    let g = random_game(8, 5);
    for (which, expected_stage) in [
        ("least_core", "least core"),
        ("core_is_empty", "least core"),
        ("cost_of_stability", "cost of stability"),
    ] {
        let progress = Progress::new();
        progress
            .run(|| match which {
                "least_core" => g.least_core().map(drop),
                "core_is_empty" => g.core_is_empty().map(drop),
                _ => g.cost_of_stability().map(drop),
            })
            .unwrap();
        assert_eq!(progress.total(), None, "{which}");
        assert!(progress.done() >= 1, "{which}");
        let stage = progress.stage();
        // An empty-core game runs the cost-of-stability LP; a nonempty one stops before it.
        assert!(
            stage.as_deref() == Some(expected_stage) || stage.as_deref() == Some("least core"),
            "{which}: {stage:?}"
        );
    }
}

#[test]
fn properties_count_the_coalitions_checked() {
    let convex = Game::from_fn((0..14).map(|i| i.to_string()).collect(), |s| {
        (s.len() as f64).powi(2)
    })
    .unwrap();
    let progress = Progress::new();
    assert_eq!(progress.run(|| convex.try_is_convex()), Ok(true));
    assert_eq!(
        (progress.done(), progress.total()),
        (1 << 14, Some(1 << 14))
    );
    assert_eq!(progress.run(|| convex.try_is_monotone()), Ok(true));
    assert_eq!(progress.done(), 1 << 14);
}

#[test]
fn nothing_is_recorded_without_a_scope_or_after_it() {
    let g = random_game(10, 6);
    let idle = Progress::new();
    let phi = g.shapley();
    assert_eq!(
        idle.snapshot(),
        Snapshot {
            done: 0,
            total: None,
            stage: None
        }
    );
    let progress = Progress::new();
    assert_eq!(progress.run(|| g.shapley()), phi);
    g.nucleolus().unwrap(); // outside the scope: the record keeps the Shapley count
    assert_eq!((progress.done(), progress.total()), (1024, Some(1024)));
    // The innermost scope is the one that hears.
    let outer = Progress::new();
    outer.run(|| progress.run(|| g.banzhaf()));
    assert_eq!(
        outer.snapshot(),
        Snapshot {
            done: 0,
            total: None,
            stage: None
        }
    );
}

#[test]
fn paced_batches_change_no_number_and_start_with_one_round() {
    let n = 10;
    let values: Vec<f64> = (0..1u64 << n)
        .map(|m| f64::from(m.count_ones() >= 6) + (m % 7) as f64 * 0.01)
        .collect();
    for method in [Method::Permutation, Method::Stratified, Method::Banzhaf] {
        for bound in [Bound::EmpiricalBernstein, Bound::Hoeffding { range: 2.0 }] {
            let opts = Options {
                epsilon: 0.05,
                bound,
                seed: 9,
                ..Options::default()
            };
            let run = |pace: Option<Duration>| {
                let mut s = Sampler::new(n, method, 9).unwrap();
                let mut sizes = Vec::new();
                let eval = |masks: &[u64]| {
                    sizes.push(masks.len());
                    Ok::<_, Error>(masks.iter().map(|&m| values[m as usize]).collect())
                };
                let est = match pace {
                    Some(p) => sample_paced(&mut s, eval, &opts, |_| Ok(()), p),
                    None => sample_batched(&mut s, eval, &opts, |_| Ok(())),
                }
                .unwrap();
                (est, sizes)
            };
            let (plain, plain_sizes) = run(None);
            let (paced, sizes) = run(Some(Duration::from_millis(500)));
            assert_eq!(paced, plain, "{method:?} {bound:?}");
            let per_round = Sampler::new(n, method, 0).unwrap().coalitions_per_round();
            assert_eq!(sizes[0], per_round, "one round first");
            let most = plain_sizes.iter().max().unwrap();
            assert!(sizes.iter().all(|k| k <= most && k % per_round == 0));
            // Each batch at most twice the one before (fast evaluation: the sizes double).
            assert!(sizes.windows(2).all(|w| w[1] <= 2 * w[0]));
            assert!(sizes.len() > plain_sizes.len());
            // With a batch given, pacing changes nothing.
            let fixed = Options {
                batch: Some(3),
                ..opts
            };
            let mut s = Sampler::new(n, method, 9).unwrap();
            let mut fixed_sizes = Vec::new();
            sample_paced(
                &mut s,
                |masks| {
                    fixed_sizes.push(masks.len());
                    Ok::<_, Error>(masks.iter().map(|&m| values[m as usize]).collect())
                },
                &fixed,
                |_| Ok(()),
                Duration::from_millis(1),
            )
            .unwrap();
            assert!(fixed_sizes.iter().all(|&k| k <= 3 * per_round));
        }
    }
}

#[test]
fn a_slow_evaluation_gets_small_batches() {
    // 1 ms per coalition, pace 20 ms: batches settle at about 20 coalitions, never thousands.
    let n = 10;
    let mut s = Sampler::new(n, Method::Permutation, 1).unwrap();
    let opts = Options {
        epsilon: 0.5,
        bound: Bound::Hoeffding { range: 1.0 },
        max_rounds: 30,
        ..Options::default()
    };
    let mut sizes = Vec::new();
    let mut reports = 0;
    sample_paced(
        &mut s,
        |masks| {
            sizes.push(masks.len());
            std::thread::sleep(Duration::from_millis(masks.len() as u64));
            Ok::<_, Error>(vec![0.0; masks.len()])
        },
        &opts,
        |_| {
            reports += 1;
            Ok(())
        },
        Duration::from_millis(20),
    )
    .unwrap();
    assert_eq!(sizes[0], n);
    assert!(sizes.iter().all(|&k| k <= 4 * n), "{sizes:?}");
    assert_eq!(
        reports,
        sizes.len() + 1,
        "before the first batch and after each"
    );
}
