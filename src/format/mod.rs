//! The JSON format for games, in two forms: the dense form (all `2^n` values) for any game,
//! and the class form (a few parameters) for the structured classes. [`read_json`] reads
//! either into an [`AnyGame`]; [`write_json`] writes each in its own form.
//!
//! # The dense form
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
//!
//! # The class form
//!
//! ```json
//! {
//!   "format": "coalitional.game",
//!   "version": 1,
//!   "class": "weighted_voting",
//!   "name": "UN Security Council, 1965",
//!   "players": ["P1", "P2", "P3", "P4", "P5", "N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8", "N9", "N10"],
//!   "quota": 39,
//!   "weights": [7, 7, 7, 7, 7, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]
//! }
//! ```
//!
//! A document with a top-level `"class"` key describes a structured game by its parameters;
//! `format` and `version` are required in it. The classes and their fields (besides the
//! optional `name`, `description` and `source`):
//!
//! | `class` | required | optional |
//! | --- | --- | --- |
//! | `"weighted_voting"` ([`WeightedVoting`]) | `quota`, `weights` (whole numbers) | `players` |
//! | `"bankruptcy"` ([`Claims`]) | `estate`, `claims` | `players` |
//! | `"airport"` ([`Airport`], a cost game) | `costs` | `players` |
//! | `"assignment"` ([`Assignment`]) | `weights` (rows x cols), `rows`, `cols` | |
//!
//! Reading is as strict as for the dense form: see [`class_form`] for the rules and the
//! errors.

pub mod class_form;
mod json;

use class_form::{AIRPORT, ASSIGNMENT, BANKRUPTCY, WEIGHTED_VOTING};

use serde::{Deserialize, Serialize};

use crate::classes::airport::Airport;
use crate::classes::assignment::Assignment;
use crate::classes::claims::Claims;
use crate::classes::voting::WeightedVoting;
use crate::cooperative::Cooperative;
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

/// A game as a file holds it: the dense values, or the parameters of a structured class.
///
/// It is a [`Cooperative`] game whatever its form (its `dense()` builds the `2^n` values of a
/// structured class, memory checked first).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum AnyGame {
    /// The dense form: all `2^n` values.
    Dense(Game),
    /// `"class": "weighted_voting"`.
    WeightedVoting(WeightedVoting),
    /// `"class": "bankruptcy"`.
    Claims(Claims),
    /// `"class": "airport"`.
    Airport(Airport),
    /// `"class": "assignment"`.
    Assignment(Assignment),
}

impl AnyGame {
    /// The value of the `"class"` key, or `None` for a dense game.
    pub fn class(&self) -> Option<&'static str> {
        match self {
            AnyGame::Dense(_) => None,
            AnyGame::WeightedVoting(_) => Some(WEIGHTED_VOTING),
            AnyGame::Claims(_) => Some(BANKRUPTCY),
            AnyGame::Airport(_) => Some(AIRPORT),
            AnyGame::Assignment(_) => Some(ASSIGNMENT),
        }
    }

    /// The game as JSON in its own form (see [`write_json`]), without metadata.
    pub fn to_json(&self) -> String {
        write_json(self, &Metadata::default())
    }

    /// A game from JSON in either form (see [`read_json`]); metadata is dropped.
    pub fn from_json(text: &str) -> Result<AnyGame> {
        read_json(text).map(|(g, _)| g)
    }

    /// The game as the crate's trait object, to call [`Cooperative`] methods on any form.
    fn as_cooperative(&mut self) -> &mut dyn Cooperative {
        match self {
            AnyGame::Dense(g) => g,
            AnyGame::WeightedVoting(g) => g,
            AnyGame::Claims(g) => g,
            AnyGame::Airport(g) => g,
            AnyGame::Assignment(g) => g,
        }
    }

    /// [`AnyGame::as_cooperative`] by shared reference.
    fn as_ref_cooperative(&self) -> &dyn Cooperative {
        match self {
            AnyGame::Dense(g) => g,
            AnyGame::WeightedVoting(g) => g,
            AnyGame::Claims(g) => g,
            AnyGame::Airport(g) => g,
            AnyGame::Assignment(g) => g,
        }
    }

    /// The dense game: itself when dense, else the class's `2^n` values (memory checked).
    pub fn into_dense(self) -> Result<Game> {
        match self {
            AnyGame::Dense(g) => Ok(g),
            mut other => other.dense(),
        }
    }
}

/// Each form answers through its own type.
impl Cooperative for AnyGame {
    fn players(&self) -> &[String] {
        self.as_ref_cooperative().players()
    }
    fn kind(&self) -> Kind {
        self.as_ref_cooperative().kind()
    }
    fn worth(&mut self, mask: u64) -> Result<f64> {
        self.as_cooperative().worth(mask)
    }
    fn worths(&mut self, masks: &[u64]) -> Result<Vec<f64>> {
        self.as_cooperative().worths(masks)
    }
    fn dense(&mut self) -> Result<Game> {
        self.as_cooperative().dense()
    }
}

impl From<Game> for AnyGame {
    fn from(g: Game) -> AnyGame {
        AnyGame::Dense(g)
    }
}

impl From<WeightedVoting> for AnyGame {
    fn from(g: WeightedVoting) -> AnyGame {
        AnyGame::WeightedVoting(g)
    }
}

impl From<Claims> for AnyGame {
    fn from(g: Claims) -> AnyGame {
        AnyGame::Claims(g)
    }
}

impl From<Airport> for AnyGame {
    fn from(g: Airport) -> AnyGame {
        AnyGame::Airport(g)
    }
}

impl From<Assignment> for AnyGame {
    fn from(g: Assignment) -> AnyGame {
        AnyGame::Assignment(g)
    }
}

/// Reads a game in either form, and its metadata, from JSON text: a document with a
/// top-level `"class"` key in the class form, any other in the dense form.
///
/// Anything that is not a valid document is [`Error::Format`] naming the problem (for the
/// class form: the field and the index within it); a game that breaks a rule of its
/// constructor is that constructor's error.
///
/// # Example
/// ```
/// use coalitional::format::{read_json, AnyGame};
/// use coalitional::Cooperative;
/// let (mut g, meta) = read_json(r#"{"format": "coalitional.game", "version": 1,
///     "class": "weighted_voting", "name": "EEC 1958", "quota": 12, "weights": [4, 4, 4, 2, 2, 1],
///     "players": ["FR", "DE", "IT", "BE", "NL", "LU"]}"#).unwrap();
/// assert_eq!(meta.name.as_deref(), Some("EEC 1958"));
/// let AnyGame::WeightedVoting(eec) = &g else { panic!("a weighted voting game") };
/// assert_eq!(eec.swings(), vec![10, 10, 10, 6, 6, 0]);
/// assert_eq!(g.worth(0b000111).unwrap(), 1.0); // France, Germany, Italy: 12 votes
/// // Written back in the class form, it reads back the same.
/// assert_eq!(AnyGame::from_json(&g.to_json()).unwrap(), g);
/// ```
pub fn read_json(text: &str) -> Result<(AnyGame, Metadata)> {
    if json::has_top_level_key(text, "class") {
        return class_form::read(text);
    }
    let file: GameFile = serde_json::from_str(text).map_err(|e| Error::format(e.to_string()))?;
    from_file(file).map(|(g, meta)| (AnyGame::Dense(g), meta))
}

/// Writes a game and its metadata as pretty-printed JSON: a dense game in the dense form, a
/// structured class in the class form (its parameters, not `2^n` values). [`read_json`] reads
/// it back bit for bit.
pub fn write_json(game: &AnyGame, meta: &Metadata) -> String {
    match game {
        AnyGame::Dense(g) => write_game(g, meta),
        AnyGame::WeightedVoting(g) => class_form::write(WEIGHTED_VOTING, g, meta),
        AnyGame::Claims(g) => class_form::write(BANKRUPTCY, g, meta),
        AnyGame::Airport(g) => class_form::write(AIRPORT, g, meta),
        AnyGame::Assignment(g) => class_form::write(ASSIGNMENT, g, meta),
    }
}

/// Reads a dense game and its metadata from JSON text (the dense form). A class-form document
/// is [`Error::Format`]: read it with [`read_json`], and build its `2^n` values, if they are
/// wanted, with [`AnyGame::into_dense`] (a few parameters can stand for more values than fit
/// in memory, so this is never done behind the caller's back).
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
    match read_json(text)? {
        (AnyGame::Dense(game), meta) => Ok((game, meta)),
        (other, _) => Err(Error::format(format!(
            "this is a {} game in the class form (its parameters, not 2^n values): read it \
             with format::read_json, and build the values with AnyGame::into_dense",
            other.class().unwrap_or("structured")
        ))),
    }
}

/// Checks a parsed file and builds its game.
fn from_file(file: GameFile) -> Result<(Game, Metadata)> {
    if let Some(tag) = &file.format {
        if tag != FORMAT_TAG {
            return Err(Error::format(format!(
                "\"format\" is {tag:?}; expected {FORMAT_TAG:?}"
            )));
        }
    }
    if let Some(version) = file.version {
        if version != FORMAT_VERSION {
            return Err(Error::format(format!(
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

/// Writes a dense game and its metadata as pretty-printed JSON (the dense form).
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

    /// A game from JSON in the dense form (see [`read_game`]); metadata is dropped.
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
        assert!(matches!(err, Error::Format { .. }), "{err}"); // an unknown field
        let err = read_game(r#"{"values": [0, 1, 2]}"#).unwrap_err();
        assert_eq!(err, Error::NotPowerOfTwo { len: 3 });
        let err = read_game(r#"{"values": [0, 1], "kind": "benefit"}"#).unwrap_err();
        assert!(matches!(err, Error::Format { .. }));
        let err = read_game(r#"{"values": [0, 1], "version": 9}"#).unwrap_err();
        assert!(matches!(err, Error::Format { .. }), "{err}"); // an unsupported version
        let err = read_game("not json").unwrap_err();
        assert!(matches!(err, Error::Format { .. }));
    }

    fn classes() -> Vec<AnyGame> {
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        vec![
            WeightedVoting::new(3, vec![2, 1, 1], Some(names(&["x", "y", "z"])))
                .unwrap()
                .into(),
            Claims::new(0.1 + 0.2, vec![1.0 / 3.0, 1e-300, 2.5], None)
                .unwrap()
                .into(),
            Airport::new(
                vec![-0.0, 3.0, 1e300],
                Some(names(&["Zürich", "a\"b", "c"])),
            )
            .unwrap()
            .into(),
            Assignment::new(
                vec![vec![0.1, -2.0], vec![7.0, 1.0 / 7.0]],
                names(&["r1", "r2"]),
                names(&["c1", "c2"]),
            )
            .unwrap()
            .into(),
        ]
    }

    #[test]
    fn class_form_round_trips_bit_for_bit() {
        let meta = Metadata {
            name: Some("case".into()),
            description: None,
            source: Some("a book".into()),
        };
        for game in classes() {
            let text = write_json(&game, &meta);
            let (back, meta2) = read_json(&text).unwrap();
            assert_eq!(meta2, meta);
            assert_eq!(back, game);
            assert_eq!(write_json(&back, &meta2), text);
            // Bits, not just values: -0.0 stays -0.0.
            if let (AnyGame::Airport(a), AnyGame::Airport(b)) = (&game, &back) {
                assert_eq!(a.costs()[0].to_bits(), b.costs()[0].to_bits());
            }
        }
    }

    #[test]
    fn class_form_is_the_documented_text() {
        let game = AnyGame::from(
            WeightedVoting::new(3, vec![2, 1], Some(vec!["a".into(), "b".into()])).unwrap(),
        );
        let meta = Metadata {
            name: Some("pair".into()),
            ..Metadata::default()
        };
        let doc: serde_json::Value = serde_json::from_str(&write_json(&game, &meta)).unwrap();
        let keys: Vec<&String> = doc.as_object().unwrap().keys().collect();
        assert_eq!(
            doc,
            serde_json::json!({"format": "coalitional.game", "version": 1,
                "class": "weighted_voting", "name": "pair", "players": ["a", "b"],
                "quota": 3, "weights": [2, 1]})
        );
        assert_eq!(keys.len(), 7);
        // The order written: header, metadata, parameters.
        let text = write_json(&game, &meta);
        let at = |k: &str| text.find(&format!("\"{k}\"")).unwrap();
        assert!(at("format") < at("version") && at("version") < at("class"));
        assert!(at("class") < at("name") && at("name") < at("players"));
        assert!(at("players") < at("quota") && at("quota") < at("weights"));
    }

    #[test]
    fn the_dense_reader_refuses_the_class_form() {
        for game in classes() {
            let text = game.to_json();
            assert!(matches!(read_game(&text), Err(Error::Format { .. })));
            assert!(matches!(Game::from_json(&text), Err(Error::Format { .. })));
            let dense = game.clone().into_dense().unwrap();
            let (back, _) = read_json(&dense.to_json()).unwrap();
            assert_eq!(back, AnyGame::Dense(dense));
        }
        let (g, _) = read_json(r#"{"values": [0, 1], "players": ["class"]}"#).unwrap();
        assert!(matches!(g, AnyGame::Dense(_)) && g.class().is_none());
        // "class" decides the form: dense fields are unknown in the class form.
        let err = read_json(
            r#"{"format": "coalitional.game", "version": 1, "class": "airport",
            "costs": [1], "values": [0, 1]}"#,
        );
        assert!(matches!(err, Err(Error::Format { .. })));
    }
}
