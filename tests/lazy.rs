//! Rust lazy games: evaluation on demand, the crash-safe cache (torn tails, flipped bytes,
//! NaN lines, other games, format-1 upgrade, two writers), model failures, sampling.

mod common;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use coalitional::lazy::{crc32, LazyGame, Memo};
use coalitional::solution::sampling::{Bound, Method, Options};
use coalitional::{Coalition, Error, Kind};
use common::names;

fn temp(name: &str) -> PathBuf {
    let p = std::env::temp_dir().join(format!("coalitional-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_file(&p);
    p
}

/// The deterministic model every test checks against (never the code under test).
fn model(s: Coalition) -> f64 {
    let m = s.mask() as f64;
    m * m / 7.0 - (s.len() as f64).sqrt()
}

type Model = fn(Coalition) -> f64;

/// A lazy game on `path` with the model above, counting its calls in the game.
fn lazy(n: usize, path: &Path) -> Result<LazyGame<Model>, Error> {
    LazyGame::new(names(n), Kind::Value, model as Model, Some(path))
}

/// Evaluates every coalition and checks each value against the model, bit for bit.
fn check_all(g: &mut LazyGame<Model>) {
    let game = g.to_game().unwrap();
    for mask in 1..1u64 << g.n() {
        let want = model(Coalition::from_mask(mask));
        assert_eq!(
            game.values()[mask as usize].to_bits(),
            want.to_bits(),
            "{mask}"
        );
    }
}

fn header_len(path: &Path) -> usize {
    std::fs::read(path)
        .unwrap()
        .iter()
        .position(|&b| b == b'\n')
        .unwrap()
        + 1
}

#[test]
fn cache_is_written_resumed_and_checked() {
    let path = temp("resume.cache");
    let mut g = lazy(4, &path).unwrap();
    let want: Vec<f64> = [0b0011u64, 0b0111]
        .iter()
        .map(|&m| model(Coalition::from_mask(m)))
        .collect();
    assert_eq!(g.evaluate(&[0b0011, 0b0111]).unwrap(), want);
    assert_eq!((g.calls(), g.evaluated()), (2, 2));
    // A rerun evaluates only what is missing.
    let mut again = lazy(4, &path).unwrap();
    check_all(&mut again);
    assert_eq!(again.calls(), 13); // 15 nonempty coalitions, 2 cached
    let mut third = lazy(4, &path).unwrap();
    check_all(&mut third);
    assert_eq!(third.calls(), 0);
    assert!(third.cache_reports().is_empty());
    // The cache of another game is refused.
    for err in [
        LazyGame::new(names(3), Kind::Value, |_| 0.0, Some(&path)).err(),
        LazyGame::new(names(4), Kind::Cost, |_| 0.0, Some(&path)).err(),
    ] {
        let err = err.unwrap();
        assert!(
            matches!(err, Error::Cache { path: ref at, .. } if at == &path),
            "{err}"
        );
    }
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn a_torn_tail_at_any_byte_loses_only_that_record() {
    let path = temp("torn.cache");
    check_all(&mut lazy(4, &path).unwrap());
    let full = std::fs::read(&path).unwrap();
    let header = header_len(&path);
    for cut in 0..full.len() {
        std::fs::write(&path, &full[..cut]).unwrap();
        let mut g = lazy(4, &path).unwrap();
        assert!(g.cache_reports().is_empty(), "cut at {cut}");
        let whole = if cut < header {
            0
        } else {
            full[header..cut].iter().filter(|&&b| b == b'\n').count()
        };
        assert_eq!(g.evaluated(), whole, "cut at {cut}");
        check_all(&mut g);
        assert_eq!(g.calls() as usize, 15 - whole, "cut at {cut}");
        // The torn line was cut off, not continued: the file now loads whole.
        drop(g);
        let g = lazy(4, &path).unwrap();
        assert_eq!((g.evaluated(), g.cache_reports().len()), (15, 0));
    }
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn every_flipped_byte_is_detected_reported_once_and_recomputed() {
    let path = temp("flip.cache");
    check_all(&mut lazy(4, &path).unwrap());
    let full = std::fs::read(&path).unwrap();
    let header = header_len(&path);
    for pos in 0..full.len() {
        for flip in [0x01u8, 0x04, 0x40] {
            let mut bytes = full.clone();
            bytes[pos] ^= flip;
            std::fs::write(&path, &bytes).unwrap();
            let opened = lazy(4, &path);
            if pos < header {
                match opened {
                    // Only the header's checksum digits may be damaged and still accepted.
                    Ok(g) => {
                        assert!(pos + 10 >= header, "header byte {pos} flipped and accepted");
                        assert_eq!(g.cache_reports().len(), 1);
                        drop(g);
                        let mut again = lazy(4, &path).unwrap();
                        assert!(
                            again.cache_reports().is_empty(),
                            "header {pos} reported twice"
                        );
                        check_all(&mut again);
                        assert_eq!(again.calls(), 0);
                    }
                    Err(e) => assert!(matches!(e, Error::Cache { .. }), "{e}"),
                }
                continue;
            }
            let mut g = opened.unwrap();
            let reports = g.cache_reports().to_vec();
            if pos + 1 == full.len() {
                // The last newline damaged: a torn last line, cut off silently.
                assert!(reports.is_empty(), "{reports:?}");
            } else {
                assert!((1..=2).contains(&reports.len()), "byte {pos}: {reports:?}");
                let report = &reports[0];
                assert!(report.path == path && report.line.is_some(), "{report}");
            }
            assert!(g.evaluated() >= 13, "byte {pos}");
            check_all(&mut g);
            assert!(
                (1..=2).contains(&g.calls()),
                "byte {pos}: {} calls",
                g.calls()
            );
            // Reported once: the next load skips the damaged line silently.
            drop(g);
            let mut again = lazy(4, &path).unwrap();
            assert!(
                again.cache_reports().is_empty(),
                "byte {pos} reported twice"
            );
            check_all(&mut again);
            assert_eq!(again.calls(), 0);
        }
    }
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn nan_garbage_and_foreign_masks_never_load() {
    let path = temp("nan.cache");
    lazy(3, &path).unwrap().evaluate(&[1, 2]).unwrap();
    let mut text = std::fs::read(&path).unwrap();
    text.extend_from_slice(b"5 nan\n");
    let signed = |payload: &str| format!("{payload} {:08x}\n", crc32(payload.as_bytes()));
    for payload in ["6 NaN", "3 inf", "9 1.0", "0 2.5", "7 not-a-number"] {
        text.extend_from_slice(signed(payload).as_bytes()); // valid checksums, invalid records
    }
    text.extend_from_slice(signed("4 2.5").as_bytes()); // a valid record of a wrong value
    std::fs::write(&path, &text).unwrap();
    let mut g = lazy(3, &path).unwrap();
    let reports = g.cache_reports().to_vec();
    assert_eq!(reports.len(), 6, "{reports:#?}");
    // Line 4 (after the header and two records) claims mask 5.
    assert_eq!(
        (reports[0].line, reports[0].coalition.as_deref()),
        (Some(4), Some("{p0, p2}")),
        "{}",
        reports[0]
    );
    assert!(reports[0].reason.contains("no checksum"), "{}", reports[0]);
    assert!(
        reports[1].reason.contains("not a finite number"),
        "{}",
        reports[1]
    );
    assert!(
        reports[3].reason.contains("beyond the players"),
        "{}",
        reports[3]
    );
    // A well-formed record is trusted: the checksum guards the bytes, not the model.
    assert_eq!(g.evaluate(&[4]).unwrap(), vec![2.5]);
    assert_eq!(g.evaluated(), 3);
    drop(g);
    assert!(lazy(3, &path).unwrap().cache_reports().is_empty());
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn foreign_and_unreadable_files_are_refused() {
    let path = temp("foreign.cache");
    std::fs::write(&path, "mask,value\n1,2.0\n").unwrap();
    let err = lazy(3, &path).err().unwrap();
    assert!(
        matches!(err, Error::Cache { path: ref at, .. } if at == &path),
        "{err}"
    );
    let newer =
        r#"{"format":"coalitional.cache","version":9,"kind":"value","players":["p0","p1","p2"]}"#;
    std::fs::write(&path, format!("{newer} {:08x}\n", crc32(newer.as_bytes()))).unwrap();
    let err = lazy(3, &path).err().unwrap();
    assert!(
        matches!(err, Error::Cache { path: ref at, .. } if at == &path),
        "{err}"
    );
    // An empty file (a crash at creation) is started again.
    std::fs::write(&path, "").unwrap();
    check_all(&mut lazy(3, &path).unwrap());
    assert_eq!(lazy(3, &path).unwrap().evaluated(), 7);
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn format_one_caches_are_upgraded() {
    let path = temp("v1.cache");
    let players = names(3);
    let header = r#"{"format": "coalitional.cache", "version": 1, "players": ["p0", "p1", "p2"], "kind": "value"}"#;
    let mut text = format!("{header}\n");
    for mask in [1u64, 3, 6] {
        text.push_str(&format!("{mask} {:?}\n", model(Coalition::from_mask(mask))));
    }
    text.push_str("5 nan\n7 1.2"); // a NaN line and a torn last line
    std::fs::write(&path, &text).unwrap();
    let mut g = lazy(3, &path).unwrap();
    let reports = g.cache_reports().to_vec();
    assert_eq!(reports.len(), 2, "{reports:#?}");
    // The NaN line (line 5, mask 5) is dropped; the upgrade itself is about the whole file.
    assert_eq!(
        (reports[0].line, reports[0].coalition.as_deref()),
        (Some(5), Some("{p0, p2}")),
        "{}",
        reports[0]
    );
    assert!(reports[0].reason.contains("dropped"), "{}", reports[0]);
    assert!(reports[1].line.is_none() && reports[1].path == path);
    assert!(
        reports[1].reason.contains("upgraded from format 1")
            && reports[1].reason.contains("3 values"),
        "{}",
        reports[1]
    );
    assert_eq!(g.evaluated(), 3);
    check_all(&mut g);
    assert_eq!(g.calls(), 4);
    drop(g);
    let first = std::fs::read_to_string(&path).unwrap();
    assert!(
        first.starts_with(r#"{"format":"coalitional.cache","version":2"#),
        "{first}"
    );
    let g = LazyGame::new(players, Kind::Value, model, Some(&path)).unwrap();
    assert_eq!((g.evaluated(), g.cache_reports().len()), (7, 0));
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn two_writers_share_one_cache_and_rarely_repeat_work() {
    for round in 0..3 {
        let path = temp(&format!("shared{round}.cache"));
        let calls = Arc::new(AtomicUsize::new(0));
        let workers: Vec<_> = (0..2)
            .map(|_| {
                let (path, calls) = (path.clone(), Arc::clone(&calls));
                std::thread::spawn(move || {
                    let mut g = LazyGame::new(
                        names(8),
                        Kind::Value,
                        move |s: Coalition| {
                            calls.fetch_add(1, Ordering::SeqCst);
                            std::thread::sleep(std::time::Duration::from_micros(200));
                            model(s)
                        },
                        Some(&path),
                    )
                    .unwrap();
                    g.to_game().unwrap()
                })
            })
            .collect();
        for w in workers {
            let game = w.join().unwrap();
            for mask in 1..256u64 {
                assert_eq!(
                    game.values()[mask as usize],
                    model(Coalition::from_mask(mask))
                );
            }
        }
        let total = calls.load(Ordering::SeqCst);
        assert!(
            (255..=285).contains(&total),
            "round {round}: {total} evaluations"
        );
        std::fs::remove_file(&path).unwrap();
    }
}

#[test]
fn failures_keep_finished_work_and_a_rerun_evaluates_only_them() {
    let path = temp("fail.cache");
    let failing = |s: Coalition| -> Result<f64, String> {
        if s.len() == 2 {
            Err(format!("no convergence for {}", s.mask()))
        } else {
            Ok(model(s))
        }
    };
    let mut g = LazyGame::new(names(4), Kind::Value, failing, Some(&path)).unwrap();
    match g.to_game().err().unwrap() {
        Error::Model {
            failed,
            succeeded,
            first_coalition,
            first_error,
        } => {
            assert_eq!((failed, succeeded), (6, 9));
            let mask: u64 = first_error.rsplit(' ').next().unwrap().parse().unwrap();
            assert_eq!(Coalition::from_mask(mask).len(), 2);
            assert!(first_coalition.starts_with('{'), "{first_coalition}");
        }
        other => panic!("{other}"),
    }
    assert_eq!((g.evaluated(), g.failures().len()), (9, 6));
    assert!(g
        .failures()
        .iter()
        .all(|(s, e)| s.len() == 2 && e.starts_with("no convergence")));
    // A rerun (another process) evaluates the six failed coalitions only.
    let mut again = lazy(4, &path).unwrap();
    check_all(&mut again);
    assert_eq!(again.calls(), 6);
    // Panics, NaN and infinite values are failures too.
    let mut odd = LazyGame::new(
        names(3),
        Kind::Value,
        |s: Coalition| match s.mask() {
            3 => panic!("model blew up"),
            5 => f64::NAN,
            6 => f64::INFINITY,
            m => m as f64,
        },
        None,
    )
    .unwrap();
    let err = odd.evaluate(&[1, 3, 5, 6, 7]).err().unwrap();
    assert!(
        matches!(
            err,
            Error::Model {
                failed: 3,
                succeeded: 2,
                ..
            }
        ),
        "{err}"
    );
    let why: Vec<String> = odd.failures().into_iter().map(|(_, e)| e).collect();
    assert!(why[0].contains("panicked: model blew up"), "{why:?}");
    assert!(
        why[1].contains("finite") && why[2].contains("finite"),
        "{why:?}"
    );
    assert_eq!(odd.evaluate(&[1, 7]).unwrap(), vec![1.0, 7.0]);
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn max_failures_stops_at_once() {
    let calls = AtomicUsize::new(0);
    let mut g = LazyGame::new(
        names(6),
        Kind::Value,
        |_| -> Result<f64, &str> {
            calls.fetch_add(1, Ordering::SeqCst);
            Err("license server down")
        },
        None,
    )
    .unwrap()
    .max_failures(Some(2));
    let err = g.to_game().err().unwrap();
    assert!(
        matches!(
            err,
            Error::Model {
                failed: 3,
                succeeded: 0,
                ref first_error,
                ..
            } if first_error == "license server down"
        ),
        "{err}"
    );
    drop(g);
    assert_eq!(calls.load(Ordering::SeqCst), 3);
}

#[test]
fn bad_masks_and_too_many_players_are_errors() {
    let mut g = LazyGame::new(names(3), Kind::Value, |_| 1.0, None).unwrap();
    assert!(matches!(
        g.evaluate(&[0b1000]),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(LazyGame::new(names(65), Kind::Value, |_| 0.0, None).is_err());
    let empty = vec!["a".to_string(), String::new()];
    assert!(matches!(
        LazyGame::new(empty, Kind::Value, |_| 0.0, None),
        Err(Error::EmptyPlayerName { index: 1 })
    ));
    let mut memo = Memo::new(names(3), Kind::Value, None).unwrap();
    for bad in [0, 8, u64::MAX] {
        assert!(matches!(
            memo.record(&[(1, 1.0), (bad, 2.0)]),
            Err(Error::InvalidParameter { .. })
        ));
        assert!(memo.record_failure(bad, "x".into()).is_err());
    }
    assert_eq!((memo.evaluated(), memo.calls()), (0, 0));
    let big = LazyGame::new(names(40), Kind::Value, |_| 0.0, None);
    assert!(matches!(
        big.unwrap().to_game(),
        Err(Error::LimitExceeded { asked: 40, .. })
    ));
}

#[test]
fn sampling_a_lazy_game_stays_within_the_bound() {
    // 30 symmetric voters, quota 16: Shapley value 1/30 each; each coalition evaluated once.
    let mut g = LazyGame::new(
        names(30),
        Kind::Value,
        |s| f64::from(u8::from(s.len() >= 16)),
        None,
    )
    .unwrap();
    let opts = Options {
        epsilon: 0.05,
        bound: Bound::Hoeffding { range: 1.0 },
        seed: 9,
        ..Options::default()
    };
    let est = g.sample(Method::Permutation, &opts).unwrap();
    assert!(est.converged);
    assert!(est
        .values
        .iter()
        .zip(&est.half_widths)
        .all(|(v, h)| (v - 1.0 / 30.0).abs() <= *h));
    assert!(g.calls() <= est.evaluations);
}

/// Cache speed for 2^20 records: `cargo test --release --test lazy -- --ignored --nocapture`.
#[test]
#[ignore]
fn cache_throughput() {
    let n = 20;
    for batch in [1usize << 20, 4096, 1] {
        let path = temp("speed.cache");
        let mut memo = Memo::new(names(n), Kind::Value, Some(&path)).unwrap();
        let start = std::time::Instant::now();
        let mut chunk = Vec::with_capacity(batch);
        for mask in 1..1u64 << n {
            chunk.push((mask, model(Coalition::from_mask(mask))));
            if chunk.len() == batch {
                memo.record(&chunk).unwrap();
                chunk.clear();
            }
        }
        memo.record(&chunk).unwrap();
        memo.sync().unwrap();
        let write = start.elapsed().as_secs_f64();
        drop(memo);
        let start = std::time::Instant::now();
        let memo = Memo::new(names(n), Kind::Value, Some(&path)).unwrap();
        let read = start.elapsed().as_secs_f64();
        assert_eq!(memo.evaluated(), (1 << n) - 1);
        let records = ((1u64 << n) - 1) as f64;
        let size = std::fs::metadata(&path).unwrap().len();
        println!(
            "batch {batch:>7}: write {:>9.0} records/s, read {:>9.0} records/s ({} bytes)",
            records / write,
            records / read,
            size
        );
        std::fs::remove_file(&path).unwrap();
    }
}
