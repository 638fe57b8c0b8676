//! The stability solvers never panic on small games (also on budgets of 10^8), and what they
//! return is verified: an efficient nucleolus, in the core whenever the core is nonempty, and
//! core emptiness, core membership of the least core and the cost of stability that agree.
#![no_main]

use coalitional::Game;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let n = 1 + usize::from(first % 5);
    let size = 1usize << n;
    if rest.len() < size - 1 {
        return;
    }
    // Small integers (many ties, degenerate LPs) or wider values, from the bytes.
    let wide = first & 0x80 != 0;
    let mut values = vec![0.0];
    values.extend(rest[..size - 1].iter().map(|&b| {
        if wide {
            f64::from(b as i8) * 1e3 + f64::from(b) * 1e-3
        } else {
            f64::from(b % 8)
        }
    }));
    // City budgets: standalone amounts of 10^8 added to every coalition (exact on whole
    // numbers), so the small game above is what cooperation adds.
    if first & 0x40 != 0 {
        for (mask, v) in values.iter_mut().enumerate() {
            *v += (0..n)
                .filter(|i| mask >> i & 1 == 1)
                .map(|i| 1e8 * (i + 1) as f64)
                .sum::<f64>();
        }
    }
    let players: Vec<String> = (0..n).map(|i| format!("p{i}")).collect();
    let game = Game::new(players, values).expect("valid game");
    // The game's own tolerance (relative to what cooperation adds, not to the budgets):
    // the same test core_is_empty uses, so the answers must agree exactly.
    let tol = game.tolerance();
    if let Ok(x) = game.nucleolus() {
        assert!((x.total() - game.grand_value()).abs() <= 1e3 * tol);
        if !game.core_is_empty().expect("core check") {
            assert!(game.in_core(x.values(), tol).expect("in core"));
        }
    }
    if let Ok(lc) = game.least_core() {
        let empty = game.core_is_empty().expect("core check");
        assert_eq!(empty, !game.in_core(lc.allocation.values(), tol).expect("in core"));
        let cos = game.cost_of_stability().expect("cost of stability");
        assert_eq!(empty, cos > 0.0);
    }
    let _ = game.prenucleolus();
    let _ = game.least_core();
    let _ = game.cost_of_stability();
    if let Ok(vertices) = game.core_vertices() {
        for v in vertices {
            assert!(game.in_core(v.values(), 1e3 * tol).expect("in core"));
        }
    }
});
