//! Rust lazy games: evaluation on demand, the disk cache, resume, sampling.

mod common;

use coalitional::lazy::LazyGame;
use coalitional::solution::sampling::{Bound, Method, Options};
use coalitional::{Error, Kind};
use common::names;

fn temp(name: &str) -> std::path::PathBuf {
    let p = std::env::temp_dir().join(format!("coalitional-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_file(&p);
    p
}

#[test]
fn cache_is_written_resumed_and_checked() {
    let path = temp("resume.cache");
    let mut g = LazyGame::new(
        names(4),
        Kind::Value,
        |s| (s.len() * s.len()) as f64,
        Some(&path),
    )
    .unwrap();
    assert_eq!(g.evaluate(&[0b0011, 0b0111]).unwrap(), vec![4.0, 9.0]);
    assert_eq!((g.calls(), g.evaluated()), (2, 2));
    // A rerun evaluates only what is missing.
    let mut again = LazyGame::new(
        names(4),
        Kind::Value,
        |s| (s.len() * s.len()) as f64,
        Some(&path),
    )
    .unwrap();
    let dense = again.to_game().unwrap();
    assert_eq!(again.calls(), 13); // 15 nonempty coalitions, 2 cached
    assert_eq!(dense.grand_value(), 16.0);
    // A killed run leaves an incomplete last line: it is ignored and dropped.
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, &text[..text.len() - 2]).unwrap();
    let mut third = LazyGame::new(
        names(4),
        Kind::Value,
        |s| (s.len() * s.len()) as f64,
        Some(&path),
    )
    .unwrap();
    assert_eq!(third.evaluated(), 14);
    third.to_game().unwrap();
    assert_eq!(third.calls(), 1);
    // The cache of another game is refused.
    let err = LazyGame::new(names(3), Kind::Value, |_| 0.0, Some(&path))
        .err()
        .unwrap();
    assert!(err.to_string().contains("different game"), "{err}");
    let err = LazyGame::new(names(4), Kind::Cost, |_| 0.0, Some(&path))
        .err()
        .unwrap();
    assert!(err.to_string().contains("different game"), "{err}");
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn bad_values_and_masks_are_errors() {
    let mut g = LazyGame::new(
        names(3),
        Kind::Value,
        |s| if s.len() == 2 { f64::NAN } else { 1.0 },
        None,
    )
    .unwrap();
    assert!(matches!(g.evaluate(&[0b011]), Err(Error::NonFinite { .. })));
    assert!(matches!(
        g.evaluate(&[0b1000]),
        Err(Error::InvalidParameter { .. })
    ));
    let opts = Options::default();
    assert!(matches!(
        g.sample(Method::Permutation, &opts),
        Err(Error::NonFinite { .. })
    ));
    assert!(LazyGame::new(names(65), Kind::Value, |_| 0.0, None).is_err());
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
