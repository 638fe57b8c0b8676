//! A game whose worths come from an expensive model: the model runs only for the coalitions a
//! method needs, and every value lands in a cache file at once, so a second run (or a crash and
//! a rerun) computes nothing twice.
//!
//! Run with `cargo run --example lazy_model`.

use std::cell::Cell;

use coalitional::{Coalition, Kind, LazyGame};

/// A stand-in for a simulation: the yearly savings of a group of departments that pool their
/// work (illustrative figures), with synergies between neighbours and a coordination cost
/// that grows with the size of the group.
fn model(s: Coalition, sizes: &[f64]) -> f64 {
    let members: Vec<usize> = s.members().collect();
    let scale: f64 = members.iter().map(|&i| sizes[i]).sum();
    let neighbours = members.windows(2).filter(|w| w[1] == w[0] + 1).count() as f64;
    let k = members.len() as f64;
    (0.3 * scale * (k - 1.0) + 4.0 * neighbours - 0.5 * k * (k - 1.0)).max(0.0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let departments: Vec<String> = [
        "Finance",
        "Health",
        "Housing",
        "Police",
        "Schools",
        "Tax",
        "Transport",
        "Welfare",
    ]
    .iter()
    .map(|d| d.to_string())
    .collect();
    let sizes = [12.0, 9.0, 5.0, 7.0, 10.0, 4.0, 8.0, 6.0];
    let dir = std::env::temp_dir().join(format!("coalitional-lazy-model-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let cache = dir.join("departments.cache");

    // First run: the model is evaluated for every coalition (2^8 - 1 = 255 calls).
    let calls = Cell::new(0u64);
    let mut game = LazyGame::new(
        departments.clone(),
        Kind::Value,
        |s| {
            calls.set(calls.get() + 1);
            model(s, &sizes)
        },
        Some(&cache),
    )?;
    let shapley = game.to_game()?.shapley();
    println!("{game:?}");
    println!("Shapley value ({} model calls):\n{shapley}\n", calls.get());
    drop(game);

    // Second run, same cache: every worth comes from the file, the model is never called.
    let mut again = LazyGame::new(
        departments,
        Kind::Value,
        |_| -> f64 { unreachable!("every worth is in the cache") },
        Some(&cache),
    )?;
    let dense = again.to_game()?;
    println!("Reopened: {again:?}");
    println!(
        "Same Shapley value from the cache: {}",
        dense.shapley() == shapley
    );

    std::fs::remove_dir_all(&dir).ok();
    Ok(())
}
