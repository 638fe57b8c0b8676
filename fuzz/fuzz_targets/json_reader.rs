//! The JSON reader never panics, and what it accepts writes back to the same game.
#![no_main]

use coalitional::format::{read_game, write_game};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok((game, meta)) = read_game(text) {
        let (again, _) = read_game(&write_game(&game, &meta)).expect("a written game reads back");
        assert_eq!(game.values(), again.values());
        assert_eq!(game.players(), again.players());
    }
});
