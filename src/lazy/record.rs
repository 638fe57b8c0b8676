//! The lines of a model-cache file: framing with a CRC-32, and parsing.
//!
//! Every line of a format-2 cache is `<payload> <crc>\n`, where `<crc>` is the CRC-32 of the
//! payload bytes written as 8 lowercase hexadecimal digits. Payloads:
//!
//! | line | payload |
//! | --- | --- |
//! | header (first line) | `{"format":"coalitional.cache","version":2,"kind":"value","players":[...]}` |
//! | record | `<mask> <value>`: the coalition's bit mask in decimal, its worth as the shortest decimal that reads back to the same `f64` |
//! | acknowledgement | `! <offset>`: the line starting at byte `<offset>` is corrupt, was reported once, and is skipped silently from now on |

use serde::{Deserialize, Serialize};

/// The `format` field of a cache header.
pub const FORMAT: &str = "coalitional.cache";
/// The version this crate writes (version 1, without checksums, is read and upgraded).
pub const VERSION: u32 = 2;

const fn crc_table() -> [u32; 256] {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
}

static CRC_TABLE: [u32; 256] = crc_table();

/// CRC-32 of `bytes`: the IEEE 802.3 / ISO-HDLC CRC of zlib, gzip and PNG (reflected polynomial
/// `0xEDB88320`, initial value and final xor `0xFFFFFFFF`), computed a byte at a time from a
/// 256-entry table (D. V. Sarwate, "Computation of cyclic redundancy checks via table look-up",
/// CACM 31(8), 1988). It detects every error burst of at most 32 bits, so every changed byte
/// of a line.
///
/// ```
/// assert_eq!(coalitional::lazy::crc32(b"123456789"), 0xCBF4_3926); // the standard check value
/// ```
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut c = 0xFFFF_FFFFu32;
    for &b in bytes {
        c = CRC_TABLE[((c ^ u32::from(b)) & 0xFF) as usize] ^ (c >> 8);
    }
    c ^ 0xFFFF_FFFF
}

/// Appends `payload`, a space, its CRC-32 as 8 hex digits and a newline to `out`.
pub(crate) fn frame(payload: &[u8], out: &mut Vec<u8>) {
    out.extend_from_slice(payload);
    out.extend_from_slice(format!(" {:08x}\n", crc32(payload)).as_bytes());
}

/// Appends the record line of `(mask, value)` to `out`.
pub(crate) fn frame_record(mask: u64, value: f64, out: &mut Vec<u8>) {
    frame(format!("{mask} {value:?}").as_bytes(), out);
}

/// Appends the acknowledgement line of the corrupt line at byte `offset` to `out`.
pub(crate) fn frame_ack(offset: u64, out: &mut Vec<u8>) {
    frame(format!("! {offset}").as_bytes(), out);
}

/// The payload of a line (without its newline) if its checksum is right.
pub(crate) fn unframe(line: &[u8]) -> Option<&[u8]> {
    let (payload, crc) = split_crc(line)?;
    (crc32(payload) == crc).then_some(payload)
}

/// Splits `<payload> <8 hex digits>` into the payload and the checksum it claims.
fn split_crc(line: &[u8]) -> Option<(&[u8], u32)> {
    if line.len() < 9 || line[line.len() - 9] != b' ' {
        return None;
    }
    let (payload, tail) = line.split_at(line.len() - 9);
    let hex = std::str::from_utf8(&tail[1..]).ok()?;
    if !hex
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return None;
    }
    Some((payload, u32::from_str_radix(hex, 16).ok()?))
}

/// The header of a cache file (the JSON payload of its first line).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Header {
    pub(crate) format: String,
    pub(crate) version: u32,
    pub(crate) kind: String,
    pub(crate) players: Vec<String>,
}

impl Header {
    pub(crate) fn new(players: &[String], kind: &str) -> Header {
        Header {
            format: FORMAT.into(),
            version: VERSION,
            kind: kind.into(),
            players: players.to_vec(),
        }
    }

    /// The JSON payload (compact, fields in a fixed order, so the same game always gives the
    /// same bytes).
    pub(crate) fn payload(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a header of strings and integers always serialises")
    }

    /// The whole first line, checksum and newline included.
    pub(crate) fn line(&self) -> Vec<u8> {
        let mut out = Vec::new();
        frame(&self.payload(), &mut out);
        out
    }
}

/// What a line of the record section holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Line {
    /// The worth of a coalition.
    Record { mask: u64, value: f64 },
    /// The corrupt line at this byte offset was reported; skip it silently.
    Ack { offset: u64 },
}

/// Why a line of the record section was rejected.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Rejected {
    /// The coalition the line claims to hold (from its first field), if that is readable.
    pub(crate) claimed: Option<u64>,
    /// What is wrong, in words.
    pub(crate) reason: &'static str,
}

/// Parses one line (without its newline) of the record section of a cache of `n` players.
pub(crate) fn parse_line(line: &[u8], n: usize) -> Result<Line, Rejected> {
    let claimed = claimed_mask(line, n);
    let reject = |reason| Err(Rejected { claimed, reason });
    let Some(payload) = unframe(line) else {
        return reject(if split_crc(line).is_some() {
            "checksum mismatch"
        } else {
            "no checksum"
        });
    };
    let Ok(text) = std::str::from_utf8(payload) else {
        return reject("not text");
    };
    let Some((first, second)) = text.split_once(' ') else {
        return reject("not a record");
    };
    if first == "!" {
        return match second.parse::<u64>() {
            Ok(offset) => Ok(Line::Ack { offset }),
            Err(_) => reject("not a record"),
        };
    }
    parse_record(first, second, n).map_err(|reason| Rejected { claimed, reason })
}

/// Parses the two fields of a record (`mask`, `value`) of a game of `n` players.
pub(crate) fn parse_record(mask: &str, value: &str, n: usize) -> Result<Line, &'static str> {
    let mask: u64 = mask.parse().map_err(|_| "the mask is not a number")?;
    let value: f64 = value.parse().map_err(|_| "the value is not a number")?;
    if n < 64 && mask >> n != 0 {
        return Err("the mask has bits beyond the players");
    }
    if !value.is_finite() {
        return Err("the value is not a finite number");
    }
    if mask == 0 && value != 0.0 {
        return Err("a nonzero value for the empty coalition");
    }
    Ok(Line::Record { mask, value })
}

/// The mask a line starts with, if it is a plausible mask of `n` players.
fn claimed_mask(line: &[u8], n: usize) -> Option<u64> {
    let end = line.iter().position(|&b| b == b' ')?;
    let mask: u64 = std::str::from_utf8(&line[..end]).ok()?.parse().ok()?;
    (n >= 64 || mask >> n == 0).then_some(mask)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_matches_the_standard_check_values() {
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(
            crc32(b"The quick brown fox jumps over the lazy dog"),
            0x414F_A339
        );
    }

    #[test]
    fn records_round_trip_bit_for_bit() {
        for value in [0.1 + 0.2, -0.0, 1e-310, f64::MAX, -7.0, 1.0 / 3.0] {
            let mut out = Vec::new();
            frame_record(5, value, &mut out);
            let line = &out[..out.len() - 1];
            match parse_line(line, 3).unwrap() {
                Line::Record { mask, value: v } => {
                    assert_eq!(mask, 5);
                    assert_eq!(v.to_bits(), value.to_bits());
                }
                other => panic!("{other:?}"),
            }
        }
        let mut out = Vec::new();
        frame_ack(1234, &mut out);
        assert_eq!(
            parse_line(&out[..out.len() - 1], 3),
            Ok(Line::Ack { offset: 1234 })
        );
    }

    #[test]
    fn bad_lines_are_rejected_with_the_coalition_they_claim() {
        let reason = |line: &[u8]| parse_line(line, 3).unwrap_err();
        assert_eq!(reason(b"5 nan").reason, "no checksum");
        assert_eq!(reason(b"5 nan").claimed, Some(5));
        let mut out = Vec::new();
        frame(b"5 nan", &mut out);
        assert_eq!(
            reason(&out[..out.len() - 1]).reason,
            "the value is not a finite number"
        );
        out.clear();
        frame(b"9 1.0", &mut out);
        let r = reason(&out[..out.len() - 1]);
        assert_eq!(
            (r.reason, r.claimed),
            ("the mask has bits beyond the players", None)
        );
        out.clear();
        frame_record(3, 2.5, &mut out);
        out[2] = b'3'; // 2.5 -> 3.5
        assert_eq!(reason(&out[..out.len() - 1]).reason, "checksum mismatch");
    }
}
