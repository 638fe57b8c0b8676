//! The JSON format for games.
//!
//! ```json
//! {
//!   "format": "coalitional.game",
//!   "version": 1,
//!   "name": "three cities",
//!   "description": "illustrative figures",
//!   "source": "where the numbers come from",
//!   "kind": "value",
//!   "players": ["Songjiang", "Suzhou", "Hangzhou"],
//!   "values": [0, 0, 0, 90, 0, 80, 70, 150]
//! }
//! ```
//!
//! `values[mask]` is the worth of the coalition whose members are the set bits of `mask`
//! (bit `i` = `players[i]`), so there are `2^n` values and `values[0] = 0`. Only `values` is
//! required: `players` defaults to `"0".."n-1"`, `kind` to `"value"`; `format`, `version`,
//! `name`, `description` and `source` are optional, and any other key is an error (a typo
//! should not pass silently). Numbers are written in the shortest form that reads back to the
//! same `f64`, and read with correct rounding, so a game round-trips bit for bit.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::game::{default_players, Game, Kind};

/// The value of the `format` key.
pub const FORMAT_TAG: &str = "coalitional.game";
/// The current format version.
pub const FORMAT_VERSION: u32 = 1;

/// Descriptive fields that travel with a game in a file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    /// A short name for the game.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What the game models; say here whether the figures are illustrative.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Where the numbers come from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct GameFile {
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    version: Option<u32>,
    #[serde(flatten)]
    meta: Metadata,
    #[serde(default)]
    kind: Kind,
    #[serde(default)]
    players: Option<Vec<String>>,
    values: Vec<f64>,
}

/// Reads a game and its metadata from JSON text.
///
/// # Example
/// ```
/// let (g, meta) = coalitional::format::read_game(
///     r#"{"players": ["A", "B"], "values": [0, 1, 1, 3], "name": "pair"}"#,
/// ).unwrap();
/// assert_eq!(g.grand_value(), 3.0);
/// assert_eq!(meta.name.as_deref(), Some("pair"));
/// ```
pub fn read_game(text: &str) -> Result<(Game, Metadata)> {
    let file: GameFile = serde_json::from_str(text).map_err(|e| Error::Format(e.to_string()))?;
    from_file(file)
}

/// Checks a parsed file and builds its game.
fn from_file(file: GameFile) -> Result<(Game, Metadata)> {
    if let Some(tag) = &file.format {
        if tag != FORMAT_TAG {
            return Err(Error::Format(format!(
                "\"format\" is {tag:?}; expected {FORMAT_TAG:?}"
            )));
        }
    }
    if let Some(version) = file.version {
        if version != FORMAT_VERSION {
            return Err(Error::Format(format!(
                "format version {version} is not supported; this build reads version {FORMAT_VERSION}"
            )));
        }
    }
    let players = match file.players {
        Some(p) => p,
        None => {
            let len = file.values.len();
            if len == 0 || !len.is_power_of_two() {
                return Err(Error::NotPowerOfTwo { len });
            }
            default_players(len.trailing_zeros() as usize)
        }
    };
    let game = Game::with_kind(players, file.values, file.kind)?;
    Ok((game, file.meta))
}

/// Writes a game and its metadata as pretty-printed JSON.
pub fn write_game(game: &Game, meta: &Metadata) -> String {
    // Serialising plain strings and finite floats cannot fail.
    serde_json::to_string_pretty(&to_file(game, meta)).unwrap_or_default()
}

/// The file form of a game.
fn to_file(game: &Game, meta: &Metadata) -> GameFile {
    GameFile {
        format: Some(FORMAT_TAG.to_string()),
        version: Some(FORMAT_VERSION),
        meta: meta.clone(),
        kind: game.kind(),
        players: Some(game.players().to_vec()),
        values: game.values().to_vec(),
    }
}

/// A game serialises in the file format above, without metadata (so `serde_json::to_string`
/// and [`Game::to_json`] agree up to whitespace).
impl Serialize for Game {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        to_file(self, &Metadata::default()).serialize(s)
    }
}

/// A game deserialises from the file format above, with the checks of [`read_game`] and
/// [`Game::with_kind`]; metadata is dropped. An invalid game is an error.
impl<'de> Deserialize<'de> for Game {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Game, D::Error> {
        let file = GameFile::deserialize(d)?;
        from_file(file)
            .map(|(g, _)| g)
            .map_err(serde::de::Error::custom)
    }
}

impl Game {
    /// The game as JSON (see [`crate::format`]), without metadata.
    pub fn to_json(&self) -> String {
        write_game(self, &Metadata::default())
    }

    /// A game from JSON (see [`crate::format`]); metadata is dropped.
    pub fn from_json(text: &str) -> Result<Game> {
        read_game(text).map(|(g, _)| g)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_is_bit_exact() {
        let values = vec![
            0.0,
            0.1,
            1.0 / 3.0,
            -2.5e-300,
            1e300,
            -0.0,
            f64::MIN_POSITIVE,
            7.0,
        ];
        let g = Game::with_kind(
            vec!["Songjiang".into(), "Suzhou".into(), "Hangzhou".into()],
            values,
            Kind::Cost,
        )
        .unwrap();
        let meta = Metadata {
            name: Some("t".into()),
            description: Some("illustrative".into()),
            source: None,
        };
        let text = write_game(&g, &meta);
        let (back, meta2) = read_game(&text).unwrap();
        assert_eq!(meta, meta2);
        assert_eq!(back.kind(), Kind::Cost);
        for (a, b) in g.values().iter().zip(back.values()) {
            assert_eq!(a.to_bits(), b.to_bits());
        }
    }

    #[test]
    fn unknown_keys_and_bad_shapes_are_errors() {
        let err = read_game(r#"{"values": [0, 1], "player": ["A"]}"#).unwrap_err();
        assert!(err.to_string().contains("unknown field"), "{err}");
        let err = read_game(r#"{"values": [0, 1, 2]}"#).unwrap_err();
        assert_eq!(err, Error::NotPowerOfTwo { len: 3 });
        let err = read_game(r#"{"values": [0, 1], "kind": "benefit"}"#).unwrap_err();
        assert!(matches!(err, Error::Format(_)));
        let err = read_game(r#"{"values": [0, 1], "version": 9}"#).unwrap_err();
        assert!(err.to_string().contains("version 9"));
        let err = read_game("not json").unwrap_err();
        assert!(matches!(err, Error::Format(_)));
    }
}
