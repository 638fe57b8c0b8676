//! Memory checks made before a dense 2^n allocation.

use crate::error::{Error, Result};

/// No dense game beyond this many players is attempted, whatever the machine has
/// (2^36 values = 512 GiB).
pub const MAX_DENSE_PLAYERS: usize = 36;

/// Bytes needed for the 2^n `f64` values of a dense game of `n` players.
pub fn dense_bytes(n: usize) -> u128 {
    8u128 << n
}

/// Bytes of memory available now, from `/proc/meminfo` (`MemAvailable`), if the system says.
pub fn available_bytes() -> Option<u128> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u128 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Checks that `copies` dense arrays of 2^n values fit in memory, before allocating them.
///
/// Fails with [`Error::TooLarge`], which states the memory needed and what is available.
pub fn check_dense(n: usize, copies: u32) -> Result<()> {
    let needed = dense_bytes(n.min(120)) * u128::from(copies.max(1));
    if n > MAX_DENSE_PLAYERS {
        return Err(Error::TooLarge {
            n,
            needed: human_bytes(needed),
            limit: format!("dense games are limited to {MAX_DENSE_PLAYERS} players"),
        });
    }
    if let Some(avail) = available_bytes() {
        if needed > avail {
            return Err(Error::TooLarge {
                n,
                needed: human_bytes(needed),
                limit: format!("only {} is available", human_bytes(avail)),
            });
        }
    }
    Ok(())
}

/// `1536` -> `"1.5 KiB"`.
pub fn human_bytes(bytes: u128) -> String {
    const UNITS: [&str; 7] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_bytes_reads_well() {
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(dense_bytes(30)), "8.0 GiB");
    }

    #[test]
    fn beyond_the_hard_limit_is_refused_with_the_size() {
        let err = check_dense(40, 1).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("8.0 TiB"), "{msg}");
        assert!(msg.contains("40 players"), "{msg}");
    }

    #[test]
    fn small_games_fit() {
        assert!(check_dense(10, 2).is_ok());
    }
}
