//! Three cities of the G60 corridor share a cross-province service; the nucleolus is the fair
//! split, and the settlement says who pays whom to get there from today's arrangement.
//!
//! Figures are illustrative (the README's example). Run with
//! `cargo run --example settlement`.

use coalitional::{settle, Game, Kind, Rule};

fn main() -> coalitional::Result<()> {
    let cities = vec!["Songjiang".to_string(), "Suzhou".into(), "Hangzhou".into()];
    // Yearly savings (million yuan) each group of cities makes by running the service jointly.
    let game = Game::from_coalitions(
        cities.clone(),
        Kind::Value,
        vec![
            (vec!["Songjiang"], 0.0),
            (vec!["Suzhou"], 0.0),
            (vec!["Hangzhou"], 0.0),
            (vec!["Songjiang", "Suzhou"], 90.0),
            (vec!["Songjiang", "Hangzhou"], 80.0),
            (vec!["Suzhou", "Hangzhou"], 70.0),
            (vec!["Songjiang", "Suzhou", "Hangzhou"], 150.0),
        ],
    )?;

    // The target: the nucleolus, the split whose most unhappy group is as happy as possible.
    let target = Rule::Nucleolus.apply(&game)?;
    println!("The nucleolus:\n{target}\n");
    println!("{}\n", game.least_core()?);

    // Today the pioneer, Songjiang, keeps most of the savings.
    let today = coalitional::Allocation::new(cities, vec![70.0, 50.0, 30.0], Kind::Value)?;
    let s = settle(&game, &target, Some(&today), 3)?;
    println!("{s}");
    Ok(())
}
