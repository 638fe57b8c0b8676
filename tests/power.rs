//! Power indices of simple games: Johnston, Deegan–Packel, Holler, Coleman, swings and the
//! minimal winning coalitions, for dense games (`Game::power_indices`) and weighted majority
//! games by counting (`WeightedVoting::power_indices`).
//!
//! Oracles: hand derivations for the EEC Council of 1958 and the UN Security Council (worked
//! out in the comments), the published Shapley–Shubik and Banzhaf values of the same games,
//! and a brute force over all `2^n` coalitions written here (exact integer counts) for random
//! weighted games of 2 to 10 players; the counting (pseudo-polynomial) and the dense paths
//! are compared with it and with each other, exactly.

mod common;

use common::SplitMix as Rng;

use coalitional::{Error, Game, Kind, PowerIndices, WeightedVoting};

/// Exact counts by the definitions, over every coalition.
struct Brute {
    swings: Vec<u128>,
    winning: u128,
    losing: u128,
    /// [i][k]: winning S with k critical players, i critical.
    johnston: Vec<Vec<u128>>,
    /// [i][s]: minimal winning S of size s containing i.
    minimal: Vec<Vec<u128>>,
    listed: Vec<Vec<usize>>,
}

fn brute(weights: &[u64], quota: u64) -> Brute {
    let n = weights.len();
    let wins = |mask: usize| -> bool {
        let w: u64 = (0..n)
            .filter(|i| mask >> i & 1 == 1)
            .map(|i| weights[i])
            .sum();
        w >= quota
    };
    let mut b = Brute {
        swings: vec![0; n],
        winning: 0,
        losing: 0,
        johnston: vec![vec![0; n + 1]; n],
        minimal: vec![vec![0; n + 1]; n],
        listed: Vec::new(),
    };
    for mask in 0..1usize << n {
        if !wins(mask) {
            b.losing += 1;
            continue;
        }
        b.winning += 1;
        let members: Vec<usize> = (0..n).filter(|i| mask >> i & 1 == 1).collect();
        let critical: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&i| !wins(mask & !(1 << i)))
            .collect();
        for &i in &critical {
            b.swings[i] += 1;
            b.johnston[i][critical.len()] += 1;
        }
        // Minimal: no proper subset wins (checked over all subsets, not only S \ {i}).
        let mut sub = (mask.wrapping_sub(1)) & mask;
        let mut minimal = true;
        while sub != mask {
            if wins(sub) {
                minimal = false;
                break;
            }
            if sub == 0 {
                break;
            }
            sub = (sub - 1) & mask;
        }
        if minimal {
            for &i in &members {
                b.minimal[i][members.len()] += 1;
            }
            b.listed.push(members);
        }
    }
    b
}

/// The indices from brute-force counts, computed here from their definitions.
fn indices_from(b: &Brute) -> [Vec<f64>; 5] {
    let n = b.swings.len();
    // Johnston: each vulnerable S gives 1/|C(S)| to each critical player.
    let j: Vec<f64> = (0..n)
        .map(|i| (1..=n).map(|k| b.johnston[i][k] as f64 / k as f64).sum())
        .collect();
    let jt: f64 = j.iter().sum();
    let m_count = b.listed.len() as f64;
    let dp: Vec<f64> = (0..n)
        .map(|i| {
            b.listed
                .iter()
                .filter(|s| s.contains(&i))
                .map(|s| 1.0 / s.len() as f64)
                .sum::<f64>()
                / m_count
        })
        .collect();
    let h: Vec<f64> = (0..n)
        .map(|i| b.listed.iter().filter(|s| s.contains(&i)).count() as f64)
        .collect();
    let ht: f64 = h.iter().sum();
    [
        j.iter().map(|x| x / jt).collect(),
        dp,
        h.iter().map(|x| x / ht).collect(),
        b.swings
            .iter()
            .map(|&e| e as f64 / b.winning as f64)
            .collect(),
        b.swings
            .iter()
            .map(|&e| e as f64 / b.losing as f64)
            .collect(),
    ]
}

fn close(a: &[f64], b: &[f64], what: &str) {
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(b) {
        assert!(
            (x - y).abs() <= 1e-12 * y.abs().max(1e-300) || (x - y).abs() < 1e-15,
            "{what}: {a:?} vs {b:?}"
        );
    }
}

fn dense(weights: &[u64], quota: u64) -> Game {
    WeightedVoting::new(quota, weights.to_vec(), None)
        .unwrap()
        .to_game()
        .unwrap()
}

fn assert_counts(p: &PowerIndices, b: &Brute, what: &str) {
    assert_eq!(p.swings(), &b.swings[..], "{what}: swings");
    assert_eq!(p.winning_count(), b.winning, "{what}: |W|");
    assert_eq!(p.losing_count(), b.losing, "{what}: |L|");
    assert_eq!(p.johnston_counts(), &b.johnston[..], "{what}: johnston");
    assert_eq!(
        p.minimal_winning_counts(),
        &b.minimal[..],
        "{what}: minimal"
    );
    assert_eq!(p.minimal_winning_count(), b.listed.len() as u128);
    let [j, dp, h, cp, ci] = indices_from(b);
    close(p.johnston().values(), &j, what);
    close(p.deegan_packel().values(), &dp, what);
    close(p.holler().values(), &h, what);
    close(p.coleman_prevent().values(), &cp, what);
    close(p.coleman_initiate().values(), &ci, what);
    let n = b.swings.len();
    assert_eq!(
        p.coleman_collectivity(),
        b.winning as f64 / (1u64 << n) as f64
    );
}

#[test]
fn counting_and_dense_agree_with_brute_force_on_random_weighted_games() {
    let mut rng = Rng(17);
    for round in 0..400 {
        let n = 2 + round % 9;
        // Weights with ties and zeros (small ranges), or spread out.
        let top = [3u64, 6, 20, 100][round % 4];
        let weights: Vec<u64> = (0..n).map(|_| rng.below(top + 1)).collect();
        let total: u64 = weights.iter().sum();
        if total == 0 {
            continue;
        }
        let quota = 1 + rng.below(total);
        let what = format!("[{quota}; {weights:?}]");
        let b = brute(&weights, quota);
        let wv = WeightedVoting::new(quota, weights.clone(), None).unwrap();
        let fast = wv.power_indices().unwrap();
        assert_counts(&fast, &b, &what);
        let slow = dense(&weights, quota).power_indices().unwrap();
        assert_counts(&slow, &b, &what);
        assert_eq!(slow.minimal_winning().unwrap(), &b.listed[..], "{what}");
        assert_eq!(wv.minimal_winning(usize::MAX).unwrap(), b.listed, "{what}");
        assert_eq!(fast.minimal_winning(), None);
        // The same numbers on both paths, and Shapley–Shubik and Banzhaf as elsewhere.
        assert_eq!(fast.johnston_counts(), slow.johnston_counts());
        // The dense Shapley kernel sums 2^n terms in floating point: agreement to 1e-13.
        for (x, y) in fast
            .shapley_shubik()
            .values()
            .iter()
            .zip(slow.shapley_shubik().values())
        {
            assert!((x - y).abs() < 1e-13, "{what}: shapley_shubik");
        }
        close(
            fast.banzhaf().values(),
            wv.banzhaf_normalized().values(),
            &what,
        );
    }
}

/// The Council of the EEC, 1958: [12; 4, 4, 4, 2, 2, 1] (France, Germany, Italy; Belgium,
/// Netherlands; Luxembourg). Published: Shapley–Shubik 14/60, 9/60, 0 and raw Banzhaf 5/16,
/// 3/16, 0 (Felsenthal and Machover, *The Measurement of Voting Power*, 1998, ch. on the
/// EEC; widely reproduced). The others derived by hand:
/// - winning coalitions: three large with any of B, N, L (8), or two large with B and N, with
///   or without L (6): |W| = 14, |L| = 50; swings 10 (large), 6 (middle), 0 (L);
/// - minimal winning: {F,G,I} and the three {two large, B, N}: Holler 3, 3, 3, 3, 3, 0 of
///   15 = 1/5 each except L; Deegan–Packel large (1/3 + 2/4)/4 = 5/24, middle (3/4)/4 = 3/16;
/// - Johnston: with three large and excess e = 2b + c < 4 the three large are the critical
///   ones (6 coalitions, k = 3); with b = 2 and no L or with L nobody is critical; the 6
///   coalitions of two large + B + N (+ L) have k = 4. Scores: large 6/3 + 4/4 = 3, middle
///   6/4 = 3/2, total 12: Johnston 1/4, 1/8, 0.
#[test]
fn eec_council_1958() {
    let players: Vec<String> = [
        "France",
        "Germany",
        "Italy",
        "Belgium",
        "Netherlands",
        "Lux",
    ]
    .map(String::from)
    .to_vec();
    let eec = WeightedVoting::new(12, vec![4, 4, 4, 2, 2, 1], Some(players)).unwrap();
    for p in [
        eec.power_indices().unwrap(),
        eec.to_game().unwrap().power_indices().unwrap(),
    ] {
        close(
            p.holler().values(),
            &[0.2, 0.2, 0.2, 0.2, 0.2, 0.0],
            "holler",
        );
        let (l, m) = (5.0 / 24.0, 3.0 / 16.0);
        close(p.deegan_packel().values(), &[l, l, l, m, m, 0.0], "dp");
        close(
            p.johnston().values(),
            &[0.25, 0.25, 0.25, 0.125, 0.125, 0.0],
            "johnston",
        );
        assert_eq!(p.swings(), &[10, 10, 10, 6, 6, 0]);
        assert_eq!((p.winning_count(), p.losing_count()), (14, 50));
        assert_eq!(p.vulnerable_count(), 12);
        let (a, b) = (5.0 / 7.0, 3.0 / 7.0);
        close(
            p.coleman_prevent().values(),
            &[a, a, a, b, b, 0.0],
            "prevent",
        );
        let (a, b) = (0.2, 3.0 / 25.0);
        close(
            p.coleman_initiate().values(),
            &[a, a, a, b, b, 0.0],
            "initiate",
        );
        assert_eq!(p.coleman_collectivity(), 7.0 / 32.0);
        let (a, b) = (14.0 / 60.0, 9.0 / 60.0);
        close(p.shapley_shubik().values(), &[a, a, a, b, b, 0.0], "ss");
        // Normalised Banzhaf: 5/16 : 3/16 → 10/42, 6/42.
        let (a, b) = (10.0 / 42.0, 6.0 / 42.0);
        close(p.banzhaf().values(), &[a, a, a, b, b, 0.0], "bz");
        assert_eq!(p.minimal_winning_count(), 4);
    }
}

/// The UN Security Council since 1965: [39; 7 x 5, 1 x 10]. Shapley–Shubik 421/2145 and
/// 4/2145 (published: Shapley and Shubik's method, e.g. Felsenthal and Machover 1998). By
/// hand: the minimal winning coalitions are the five permanent members with exactly four
/// others, C(10, 4) = 210, all of size 9: Holler = Deegan–Packel = 210/1890 = 1/9 for a
/// permanent member and C(9, 3)/1890 = 84/1890 = 2/45 for the others. Winning: the five with
/// b >= 4 others, |W| = 210 + 638 = 848; a permanent member is critical in all of them
/// (η = 848, Coleman prevent 1: a veto), another member only when b = 4 (η = 84). Johnston:
/// the 210 coalitions with b = 4 have k = 9 critical players, the 638 with b >= 5 have k = 5;
/// permanent (210/9 + 638/5)/848, other (84/9)/848.
#[test]
fn un_security_council() {
    let mut w = vec![7; 5];
    w.extend(vec![1; 10]);
    let unsc = WeightedVoting::new(39, w, None).unwrap();
    let fast = unsc.power_indices().unwrap();
    let slow = unsc.to_game().unwrap().power_indices().unwrap();
    for p in [&fast, &slow] {
        let (a, b) = (1.0 / 9.0, 2.0 / 45.0);
        let expect: Vec<f64> = (0..15).map(|i| if i < 5 { a } else { b }).collect();
        close(p.holler().values(), &expect, "holler");
        close(p.deegan_packel().values(), &expect, "dp");
        let (a, b) = ((210.0 / 9.0 + 638.0 / 5.0) / 848.0, (84.0 / 9.0) / 848.0);
        let expect: Vec<f64> = (0..15).map(|i| if i < 5 { a } else { b }).collect();
        close(p.johnston().values(), &expect, "johnston");
        assert_eq!(p.winning_count(), 848);
        assert_eq!(p.losing_count(), 32768 - 848);
        assert_eq!(p.swings()[0], 848);
        assert_eq!(p.swings()[14], 84);
        assert_eq!(p.coleman_prevent()[0], 1.0);
        close(&[p.coleman_initiate()[14]], &[1.0 / 380.0], "initiate");
        assert_eq!(p.coleman_collectivity(), 53.0 / 2048.0);
        close(&[p.shapley_shubik()[0]], &[421.0 / 2145.0], "ss");
        assert_eq!(p.minimal_winning_count(), 210);
    }
    assert_eq!(fast.minimal_winning_counts(), slow.minimal_winning_counts());
    assert_eq!(unsc.minimal_winning(1000).unwrap().len(), 210);
}

/// Axioms: a null player gets 0 from Holler, Deegan–Packel and Johnston; players of equal
/// weight get equal indices; the indices that are normalised sum to 1; Coleman's measures are
/// η_i/|W| and η_i/|L| (so their ratio is |L|/|W| for every non-null player).
#[test]
fn axioms_on_a_larger_game() {
    let weights: Vec<u64> = (0..40u64).map(|i| 1 + (i * 7 + 3) % 13).collect();
    let quota = weights.iter().sum::<u64>() * 2 / 3;
    let mut with_null = weights.clone();
    with_null.push(0);
    let p = WeightedVoting::new(quota, with_null, None)
        .unwrap()
        .power_indices()
        .unwrap();
    for a in [p.johnston(), p.deegan_packel(), p.holler()] {
        assert_eq!(a[40], 0.0);
        assert!((a.values().iter().sum::<f64>() - 1.0).abs() < 1e-12);
        for i in 0..40 {
            for j in 0..40 {
                if weights[i] == weights[j] {
                    assert_eq!(a[i], a[j]);
                }
            }
        }
    }
    let ratio = p.losing_count() as f64 / p.winning_count() as f64;
    for i in 0..40 {
        let (prevent, initiate) = (p.coleman_prevent()[i], p.coleman_initiate()[i]);
        assert!((prevent / initiate - ratio).abs() <= 1e-12 * ratio);
        // Johnston's counts add up to the swings: every swing is one (S, i critical).
        assert_eq!(p.johnston_counts()[i].iter().sum::<u128>(), p.swings()[i]);
    }
    // Holler's raw counts equal the sizes of the minimal winning coalitions, counted once.
    let by_size: u128 = (1..=41)
        .map(|s| {
            p.minimal_winning_counts()
                .iter()
                .map(|r| r[s])
                .sum::<u128>()
                / s as u128
        })
        .sum();
    assert_eq!(by_size, p.minimal_winning_count());
}

/// 128 players, the largest game: |W| + |L| = 2^128 does not fit u128, each does.
#[test]
fn largest_game_counts_fit() {
    let wv = WeightedVoting::new(65, vec![1; 128], None).unwrap();
    let p = wv.power_indices().unwrap();
    // Majority of 65 among 128 equal voters: MWCs are the C(128, 65) coalitions of 65, each
    // voter in C(127, 64) of them; |L| = sum of C(128, s) for s < 65.
    let mut row = vec![1u128];
    for _ in 0..127 {
        let mut next = vec![1u128; row.len() + 1];
        for s in 1..row.len() {
            next[s] = row[s - 1] + row[s];
        }
        row = next;
    }
    let c127 = row.clone();
    let c128: Vec<u128> = (0..=128)
        .map(|s| match s {
            0 | 128 => 1,
            _ => c127[s - 1] + c127[s],
        })
        .collect();
    assert_eq!(p.losing_count(), c128[..65].iter().sum::<u128>());
    assert_eq!(p.losing_count().wrapping_add(p.winning_count()), 0);
    assert_eq!(p.minimal_winning_counts()[0][65], c127[64]);
    assert_eq!(p.minimal_winning_count(), c128[65]);
    assert_eq!(p.swings()[3], c127[64]);
    assert!((p.holler()[7] - 1.0 / 128.0).abs() < 1e-15);
    assert!(matches!(
        wv.minimal_winning(1000),
        Err(Error::LimitExceeded { limit: 1000, .. })
    ));
}

#[test]
fn games_that_are_not_simple_are_refused_with_the_coalition() {
    let names: Vec<String> = ["A", "B"].map(String::from).to_vec();
    let half = Game::new(names.clone(), vec![0.0, 0.5, 0.0, 1.0]).unwrap();
    assert!(matches!(
        half.power_indices(),
        Err(Error::NotSimple { ref coalition, .. }) if coalition == "{A}"
    ));
    let not_monotone = Game::new(names.clone(), vec![0.0, 1.0, 0.0, 0.0]).unwrap();
    assert!(matches!(
        not_monotone.power_indices(),
        Err(Error::NotSimple { ref coalition, .. }) if coalition == "{A, B}"
    ));
    // {A} wins, {A, C} loses: not monotone (v(N) = 1).
    let abc: Vec<String> = ["A", "B", "C"].map(String::from).to_vec();
    let shrinking = Game::new(abc, vec![0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0]).unwrap();
    let err = shrinking.power_indices().unwrap_err();
    assert_eq!(err.code(), "not_simple");
    assert!(matches!(err, Error::NotSimple { ref coalition, .. } if coalition == "{A}"));
    let cost = Game::with_kind(names, vec![0.0, 0.0, 0.0, 1.0], Kind::Cost).unwrap();
    assert!(matches!(cost.power_indices(), Err(Error::Undefined { .. })));
}
