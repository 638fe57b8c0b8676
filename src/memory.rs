//! Memory checks made before a dense 2^n allocation.

use crate::error::{Error, Result};

/// No dense game beyond this many players is attempted, whatever the machine has
/// (2^36 values = 512 GiB).
pub const MAX_DENSE_PLAYERS: usize = 36;

/// Bytes needed for the 2^n `f64` values of a dense game of `n` players.
pub fn dense_bytes(n: usize) -> u128 {
    8u128 << n
}

/// Bytes of memory available now: the least of what the system reports (`MemAvailable` in
/// `/proc/meminfo`), what the process's control group still allows (cgroup v2 `memory.max`
/// minus `memory.current`, or v1 `memory.limit_in_bytes` minus `memory.usage_in_bytes`) and
/// what its address-space limit (`RLIMIT_AS`, from `/proc/self/limits`) leaves beyond the
/// current virtual size (`VmSize`). `None` when none of these can be read.
pub fn available_bytes() -> Option<u128> {
    [
        meminfo_available(),
        cgroup_available(),
        address_space_available(),
    ]
    .into_iter()
    .flatten()
    .min()
}

fn read(path: &str) -> Option<String> {
    std::fs::read_to_string(path).ok()
}

/// `MemAvailable` from `/proc/meminfo`.
fn meminfo_available() -> Option<u128> {
    kib_field(&read("/proc/meminfo")?, "MemAvailable:")
}

/// A `Name:  1234 kB` line of a `/proc` file, in bytes.
fn kib_field(text: &str, name: &str) -> Option<u128> {
    let line = text.lines().find(|l| l.starts_with(name))?;
    let kib: u128 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// The control group's limit minus its usage (v2, then v1); `None` when unlimited or unknown.
fn cgroup_available() -> Option<u128> {
    let pair = |limit: &str, usage: &str| -> Option<u128> {
        let limit: u128 = read(limit)?.trim().parse().ok()?; // "max" (v2) does not parse
        let usage: u128 = read(usage)?.trim().parse().ok()?;
        // v1 reports "no limit" as a huge number near 2^63.
        (limit < 1 << 60).then(|| limit.saturating_sub(usage))
    };
    pair("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current").or_else(|| {
        pair(
            "/sys/fs/cgroup/memory/memory.limit_in_bytes",
            "/sys/fs/cgroup/memory/memory.usage_in_bytes",
        )
    })
}

/// The soft `RLIMIT_AS` minus the current virtual size; `None` when unlimited or unknown.
fn address_space_available() -> Option<u128> {
    let limits = read("/proc/self/limits")?;
    let line = limits
        .lines()
        .find(|l| l.starts_with("Max address space"))?;
    let soft: u128 = line
        .trim_start_matches("Max address space")
        .split_whitespace()
        .next()?
        .parse()
        .ok()?; // "unlimited" does not parse
    let used = kib_field(&read("/proc/self/status")?, "VmSize:")?;
    Some(soft.saturating_sub(used))
}

/// A vector of `len` copies of `fill`, allocated fallibly: an allocation the system refuses
/// (an address-space or container limit) is [`Error::TooLarge`] naming `what`, not an abort.
pub(crate) fn try_filled<T: Clone>(len: usize, fill: T, n: usize) -> Result<Vec<T>> {
    let mut v: Vec<T> = Vec::new();
    v.try_reserve_exact(len).map_err(|_| refused::<T>(len, n))?;
    v.resize(len, fill);
    Ok(v)
}

/// An empty vector with room for `len` elements, allocated fallibly (see [`try_filled`]).
pub(crate) fn try_with_capacity<T>(len: usize, n: usize) -> Result<Vec<T>> {
    let mut v: Vec<T> = Vec::new();
    v.try_reserve_exact(len).map_err(|_| refused::<T>(len, n))?;
    Ok(v)
}

/// Checks that `copies` dense arrays of 2^n values fit in memory, before allocating them.
///
/// Fails with [`Error::LimitExceeded`] beyond [`MAX_DENSE_PLAYERS`], else with
/// [`Error::TooLarge`], which states the memory needed and what is available.
pub fn check_dense(n: usize, copies: u32) -> Result<()> {
    if n > MAX_DENSE_PLAYERS {
        return Err(Error::LimitExceeded {
            what: "players for a dense game",
            asked: n as u128,
            limit: MAX_DENSE_PLAYERS as u128,
        });
    }
    let needed = dense_bytes(n) * u128::from(copies.max(1));
    if let Some(avail) = available_bytes() {
        if needed > avail {
            return Err(Error::TooLarge {
                what: dense_what(n, copies),
                needed,
                available: Some(avail),
            });
        }
    }
    Ok(())
}

/// "a dense game of 40 players (2^40 values)", or "3 dense arrays of ..." for several copies.
fn dense_what(n: usize, copies: u32) -> String {
    if copies > 1 {
        format!("{copies} dense arrays of 2^{n} values (a game of {n} players)")
    } else {
        format!("a dense game of {n} players (2^{n} values)")
    }
}

/// The error for an allocation of `len` elements of `T` that the system refused, in a game
/// of `n` players.
pub(crate) fn refused<T>(len: usize, n: usize) -> Error {
    Error::TooLarge {
        what: format!("an array of {len} entries (a game of {n} players)"),
        needed: (len as u128) * std::mem::size_of::<T>() as u128,
        available: None,
    }
}

/// `1536` -> `"1.5 KiB"`.
pub(crate) fn human_bytes(bytes: u128) -> String {
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
    fn beyond_the_hard_limit_is_refused_with_the_count() {
        assert_eq!(
            check_dense(40, 1),
            Err(Error::LimitExceeded {
                what: "players for a dense game",
                asked: 40,
                limit: MAX_DENSE_PLAYERS as u128,
            })
        );
    }

    #[test]
    fn proc_fields_parse() {
        assert_eq!(
            kib_field("MemTotal: 10 kB\nVmSize:\t 3 kB\n", "VmSize:"),
            Some(3072)
        );
        assert_eq!(kib_field("VmSize: x kB", "VmSize:"), None);
        assert!(available_bytes().is_none_or(|b| b > 0));
    }

    #[test]
    fn refused_allocations_are_errors() {
        // 2^60 f64 values: more than any address space allows.
        let err = try_filled(1usize << 60, 0.0f64, 60).unwrap_err();
        assert_eq!(
            err,
            Error::TooLarge {
                what: "an array of 1152921504606846976 entries (a game of 60 players)".into(),
                needed: 8 << 60,
                available: None,
            }
        );
        assert_eq!(try_filled(3, 1.5f64, 2).unwrap(), vec![1.5; 3]);
    }

    #[test]
    fn small_games_fit() {
        assert!(check_dense(10, 2).is_ok());
    }
}
