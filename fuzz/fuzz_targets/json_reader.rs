//! The JSON reader never panics, for the dense and the class form alike, and what it accepts
//! writes back to the same game and metadata.
#![no_main]

use coalitional::format::{read_json, write_json};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok((game, meta)) = read_json(text) {
        let written = write_json(&game, &meta);
        let (again, meta_again) = read_json(&written).expect("a written game reads back");
        assert_eq!(game, again, "{written}");
        assert_eq!(meta, meta_again);
    }
});
