//! The stability solvers never panic on small games, and what they return is verified:
//! an efficient nucleolus that is an imputation, in the core whenever the core is nonempty.
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
    let players: Vec<String> = (0..n).map(|i| format!("p{i}")).collect();
    let game = Game::new(players, values).expect("valid game");
    let tol = 1e-6 * game.scale();
    if let Ok(x) = game.nucleolus() {
        assert!((x.total() - game.grand_value()).abs() <= tol);
        if !game.core_is_empty().expect("core check") {
            assert!(game.in_core(x.values(), tol).expect("in core"));
        }
    }
    let _ = game.prenucleolus();
    let _ = game.least_core();
    let _ = game.cost_of_stability();
    if let Ok(vertices) = game.core_vertices() {
        for v in vertices {
            assert!(game.in_core(v.values(), tol).expect("in core"));
        }
    }
});
