//! The class form of the game format: a structured game by its parameters.
//!
//! Reading checks the document field by field, with the strictness of the rest of the
//! format: the header (`"format": "coalitional.game"` and the integer `"version": 1`) is
//! required here; an unknown class, an unknown or missing field, or a field of the wrong type
//! (a string or a bool where a number belongs, a number where names belong) is
//! [`Error::Format`] naming the field (and the index within it); parameters of the right types
//! but out of range are the error of the class's constructor ([`WeightedVoting::from_f64`],
//! [`Claims::new`], [`Airport::new`], [`Assignment::new`]). Numbers may be written as integers
//! or decimals (`39` or `39.0`); `players` may be `null` or left out for the names `"0".."n-1"`.

use serde::Serialize;
use serde_json::Value;

use super::json::{a_type, article, json_path, quoted, shown, type_name, Fields};
use super::{AnyGame, Metadata, FORMAT_TAG, FORMAT_VERSION};
use crate::classes::airport::Airport;
use crate::classes::assignment::Assignment;
use crate::classes::claims::Claims;
use crate::classes::voting::WeightedVoting;
use crate::error::{Error, Result};

/// The value of the `"class"` key of each structured class.
pub const WEIGHTED_VOTING: &str = "weighted_voting";
/// See [`WEIGHTED_VOTING`].
pub const BANKRUPTCY: &str = "bankruptcy";
/// See [`WEIGHTED_VOTING`].
pub const AIRPORT: &str = "airport";
/// See [`WEIGHTED_VOTING`].
pub const ASSIGNMENT: &str = "assignment";

/// The structured classes of the format.
#[derive(Clone, Copy)]
enum Class {
    WeightedVoting,
    Bankruptcy,
    Airport,
    Assignment,
}

/// Each class: its name, required fields and optional fields (besides the header and the
/// metadata).
const CLASSES: [(Class, &str, &[&str], &[&str]); 4] = [
    (
        Class::WeightedVoting,
        WEIGHTED_VOTING,
        &["quota", "weights"],
        &["players"],
    ),
    (
        Class::Bankruptcy,
        BANKRUPTCY,
        &["estate", "claims"],
        &["players"],
    ),
    (Class::Airport, AIRPORT, &["costs"], &["players"]),
    (
        Class::Assignment,
        ASSIGNMENT,
        &["weights", "rows", "cols"],
        &[],
    ),
];
/// The header fields.
const HEADER: [&str; 3] = ["format", "version", "class"];
/// The metadata fields.
const METADATA: [&str; 3] = ["name", "description", "source"];

/// The error for a value at `what` (`field "costs"[2]`, as messages name it), with the JSON
/// path (`costs[2]`) as its `field`.
fn error_at(what: &str, message: String) -> Error {
    Error::format_at(json_path(what), message)
}

/// Reads a class-form document (one with a top-level `"class"` key).
pub(super) fn read(text: &str) -> Result<(AnyGame, Metadata)> {
    let doc = Fields::parse(text)?;
    check_header(&doc)?;
    let class = class_of(&doc)?;
    let f = Reader { doc: &doc };
    let meta = Metadata {
        name: f.text("name")?,
        description: f.text("description")?,
        source: f.text("source")?,
    };
    let game = match class {
        Class::WeightedVoting => {
            let quota = f.number("quota")?;
            let weights = f.numbers("weights")?;
            let players = f.names("players")?;
            AnyGame::WeightedVoting(WeightedVoting::from_f64(quota, &weights, players)?)
        }
        Class::Bankruptcy => {
            let estate = f.number("estate")?;
            let claims = f.numbers("claims")?;
            let players = f.names("players")?;
            AnyGame::Claims(Claims::new(estate, claims, players)?)
        }
        Class::Airport => {
            let costs = f.numbers("costs")?;
            let players = f.names("players")?;
            AnyGame::Airport(Airport::new(costs, players)?)
        }
        Class::Assignment => {
            let weights = f.matrix("weights")?;
            let rows = f.required_names("rows")?;
            let cols = f.required_names("cols")?;
            AnyGame::Assignment(Assignment::new(weights, rows, cols)?)
        }
    };
    Ok((game, meta))
}

/// `"format": "coalitional.game"` and `"version": 1` (an integer), both required.
fn check_header(doc: &Fields) -> Result<()> {
    let format = doc.get("format");
    let version = doc.get("version");
    let tag_ok = matches!(format, Some(Value::String(s)) if s == FORMAT_TAG);
    let version_ok =
        matches!(version, Some(Value::Number(v)) if v.as_u64() == Some(u64::from(FORMAT_VERSION)));
    if tag_ok && version_ok {
        return Ok(());
    }
    let show = |v: Option<&Value>| v.map_or_else(|| "None".to_string(), shown);
    let at = if tag_ok { "version" } else { "format" };
    Err(Error::format_at(at, format!(
        "a class-form game needs \"format\": {} and \"version\": {FORMAT_VERSION}; got \"format\": {}, \"version\": {}",
        quoted(FORMAT_TAG),
        show(format),
        show(version)
    )))
}

/// The class, once its name and the document's fields are known to be right for it.
fn class_of(doc: &Fields) -> Result<Class> {
    let given = doc.get("class").unwrap_or(&Value::Null);
    let Some(&(class, name, required, optional)) = CLASSES
        .iter()
        .find(|(_, name, _, _)| matches!(given, Value::String(s) if s == name))
    else {
        let known: Vec<&str> = CLASSES.iter().map(|c| c.1).collect();
        return Err(error_at(
            &field("class"),
            format!(
                "unknown game class {} in field \"class\"; expected {}",
                shown(given),
                known.join(", ")
            ),
        ));
    };
    let allowed = |k: &str| {
        HEADER.contains(&k)
            || METADATA.contains(&k)
            || required.contains(&k)
            || optional.contains(&k)
    };
    if let Some((unknown, _)) = doc.0.iter().find(|(k, _)| !allowed(k)) {
        let fields: Vec<String> = required
            .iter()
            .chain(optional)
            .chain(&METADATA)
            .map(|k| quoted(k))
            .collect();
        return Err(error_at(
            &field(unknown),
            format!(
                "unknown field {} in {} game; its fields are {}",
                quoted(unknown),
                article(name),
                fields.join(", ")
            ),
        ));
    }
    if let Some(missing) = required.iter().find(|k| doc.get(k).is_none()) {
        return Err(error_at(
            &field(missing),
            format!("{} game needs the field {}", article(name), quoted(missing)),
        ));
    }
    Ok(class)
}

/// Typed access to the fields, each failure naming its field.
struct Reader<'a> {
    doc: &'a Fields,
}

/// `field "name"`, as messages name a field.
fn field(key: &str) -> String {
    format!("field {}", quoted(key))
}

/// `'3', a str` (or `None, a NoneType`): a value and its type, for messages.
fn described(v: &Value) -> String {
    format!("{}, {}", shown(v), a_type(v))
}

/// A number as `f64` (integers are converted to the nearest `f64`).
fn number(v: &Value, what: &str) -> Result<f64> {
    match v {
        Value::Number(n) => n
            .as_f64()
            .ok_or_else(|| error_at(what, format!("{what} is {n}, not a float64"))),
        other => Err(error_at(
            what,
            format!("{what} is {}, not a number", described(other)),
        )),
    }
}

/// A flat list of numbers.
fn numbers(v: &Value, what: &str) -> Result<Vec<f64>> {
    let Value::Array(items) = v else {
        return Err(error_at(
            what,
            format!(
                "{what} must be a list of numbers, not {} ({})",
                a_type(v),
                shown(v)
            ),
        ));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, x)| match x {
            Value::Array(_) => Err(error_at(
                &format!("{what}[{i}]"),
                format!(
                    "{what} must be one-dimensional (a flat list of numbers); {what}[{i}] is {}",
                    shown(x)
                ),
            )),
            Value::Number(_) => number(x, &format!("{what}[{i}]")),
            other => Err(error_at(
                &format!("{what}[{i}]"),
                format!(
                    "{what} must be numbers; {what}[{i}] is {}, not a number",
                    described(other)
                ),
            )),
        })
        .collect()
}

impl Reader<'_> {
    fn get(&self, key: &str) -> &Value {
        self.doc.get(key).unwrap_or(&Value::Null)
    }

    /// A required number (its presence was checked with the class).
    fn number(&self, key: &str) -> Result<f64> {
        number(self.get(key), &field(key))
    }

    /// A required list of numbers.
    fn numbers(&self, key: &str) -> Result<Vec<f64>> {
        numbers(self.get(key), &field(key))
    }

    /// A matrix: a list of equally long rows of numbers (`[]` for no rows).
    fn matrix(&self, key: &str) -> Result<Vec<Vec<f64>>> {
        let what = field(key);
        let v = self.get(key);
        let Value::Array(rows) = v else {
            return Err(error_at(
                &what,
                format!(
                    "{what} must be a matrix (a list of rows of numbers), not {} ({})",
                    a_type(v),
                    shown(v)
                ),
            ));
        };
        let matrix = rows
            .iter()
            .enumerate()
            .map(|(i, row)| numbers(row, &format!("{what}[{i}]")))
            .collect::<Result<Vec<Vec<f64>>>>()?;
        if let Some((i, row)) = matrix
            .iter()
            .enumerate()
            .find(|(_, r)| r.len() != matrix[0].len())
        {
            return Err(error_at(
                &format!("{what}[{i}]"),
                format!(
                    "{what} is ragged: row 0 has {} entries, row {i} has {}",
                    matrix[0].len(),
                    row.len()
                ),
            ));
        }
        Ok(matrix)
    }

    /// Player names, or `None` when the field is absent or `null`.
    fn names(&self, key: &str) -> Result<Option<Vec<String>>> {
        let what = field(key);
        match self.get(key) {
            Value::Null => Ok(None),
            Value::String(s) => Err(error_at(
                &what,
                format!(
                "{what} must be a list of names, not one str ({}); write [{}] for a single name",
                shown(&Value::String(s.clone())),
                shown(&Value::String(s.clone()))
            ),
            )),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, p)| match p {
                    Value::String(s) => Ok(s.clone()),
                    other => Err(error_at(
                        &format!("{what}[{i}]"),
                        format!(
                            "player names must be strings; got {} ({}) at position {i} of {what}",
                            shown(other),
                            type_name(other)
                        ),
                    )),
                })
                .collect::<Result<Vec<String>>>()
                .map(Some),
            other => Err(error_at(
                &what,
                format!(
                    "{what} must be a list of names, not {} ({})",
                    a_type(other),
                    shown(other)
                ),
            )),
        }
    }

    /// Player names that must be given.
    fn required_names(&self, key: &str) -> Result<Vec<String>> {
        self.names(key)?.ok_or_else(|| {
            error_at(
                &field(key),
                format!("{} must be a list of names, not null", field(key)),
            )
        })
    }

    /// A metadata text, or `None` when absent or `null`.
    fn text(&self, key: &str) -> Result<Option<String>> {
        match self.get(key) {
            Value::Null => Ok(None),
            Value::String(s) => Ok(Some(s.clone())),
            other => Err(error_at(
                &field(key),
                format!(
                    "{} must be a string, not {} ({})",
                    field(key),
                    shown(other),
                    a_type(other)
                ),
            )),
        }
    }
}

/// A class-form document as written: the header, the metadata, then the class's parameters
/// (their serde form: names first, then the numbers).
#[derive(Serialize)]
struct ClassFile<'a, T: Serialize> {
    format: &'static str,
    version: u32,
    class: &'static str,
    #[serde(flatten)]
    meta: &'a Metadata,
    #[serde(flatten)]
    parameters: &'a T,
}

/// The class-form text of `parameters` (a structured class) with `meta`, pretty-printed.
pub(super) fn write<T: Serialize>(class: &'static str, parameters: &T, meta: &Metadata) -> String {
    let file = ClassFile {
        format: FORMAT_TAG,
        version: FORMAT_VERSION,
        class,
        meta,
        parameters,
    };
    // Plain strings, whole numbers and finite floats: serialising cannot fail.
    serde_json::to_string_pretty(&file).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(fields: &str) -> String {
        format!(r#"{{"format": "coalitional.game", "version": 1, {fields}}}"#)
    }

    fn format_error(text: &str) -> bool {
        matches!(read(text), Err(Error::Format { .. }))
    }

    #[test]
    fn every_class_reads() {
        let (g, meta) = read(&doc(
            r#""class": "weighted_voting", "quota": 3.0, "weights": [2, 1, 1], "name": "v""#,
        ))
        .unwrap();
        assert!(
            matches!(&g, AnyGame::WeightedVoting(w) if w.quota() == 3 && w.players() == ["0", "1", "2"])
        );
        assert_eq!(meta.name.as_deref(), Some("v"));
        let (g, _) = read(&doc(
            r#""class": "bankruptcy", "estate": 200, "claims": [100, 200, 300], "players": ["a", "b", "c"]"#,
        ))
        .unwrap();
        assert!(matches!(&g, AnyGame::Claims(c) if c.estate() == 200.0 && c.players()[2] == "c"));
        let (g, _) = read(&doc(
            r#""class": "airport", "costs": [1, 3], "players": null"#,
        ))
        .unwrap();
        assert!(matches!(&g, AnyGame::Airport(a) if a.costs() == [1.0, 3.0]));
        let (g, _) = read(&doc(
            r#""class": "assignment", "weights": [[1, -2]], "rows": ["r"], "cols": ["c", "d"]"#,
        ))
        .unwrap();
        assert!(matches!(&g, AnyGame::Assignment(a) if a.weights() == [vec![1.0, 0.0]]));
        // No column players: an empty matrix stands for rows x 0.
        let (g, _) = read(&doc(
            r#""class": "assignment", "weights": [], "rows": ["r"], "cols": []"#,
        ))
        .unwrap();
        assert!(matches!(&g, AnyGame::Assignment(a) if a.players() == ["r"]));
    }

    /// The JSON path at fault, as data.
    fn field_at_fault(text: &str) -> Option<String> {
        match read(text) {
            Err(Error::Format { field, .. }) => field,
            other => panic!("expected a format error, got {other:?}"),
        }
    }

    #[test]
    fn the_place_at_fault_is_data() {
        let at = |fields: &str| field_at_fault(&doc(fields));
        assert_eq!(
            at(r#""class": "airport", "costs": [1, "x"]"#).as_deref(),
            Some("costs[1]")
        );
        assert_eq!(
            at(r#""class": "airport", "costs": 1"#).as_deref(),
            Some("costs")
        );
        assert_eq!(at(r#""class": "airport""#).as_deref(), Some("costs"));
        assert_eq!(
            at(r#""class": "airport", "costs": [1], "x": 2"#).as_deref(),
            Some("x")
        );
        assert_eq!(at(r#""class": "lottery""#).as_deref(), Some("class"));
        assert_eq!(
            at(r#""class": "assignment", "weights": [[1], [1, 2]], "rows": ["a", "b"], "cols": ["c"]"#)
                .as_deref(),
            Some("weights[1]")
        );
        assert_eq!(
            at(r#""class": "bankruptcy", "estate": 1, "claims": [1], "players": [3]"#).as_deref(),
            Some("players[0]")
        );
        assert_eq!(
            field_at_fault(
                r#"{"format": "coalitional.game", "version": 2, "class": "airport", "costs": [1]}"#
            )
            .as_deref(),
            Some("version")
        );
    }

    #[test]
    fn header_class_and_fields_are_checked() {
        assert!(format_error(r#"{"class": "airport", "costs": [1]}"#));
        assert!(format_error(
            r#"{"format": "coalitional.game", "version": 1.0, "class": "airport", "costs": [1]}"#
        ));
        assert!(format_error(
            r#"{"format": "coalitional.game", "version": true, "class": "airport", "costs": [1]}"#
        ));
        assert!(format_error(&doc(r#""class": "lottery""#)));
        assert!(format_error(&doc(r#""class": ["airport"]"#)));
        assert!(format_error(&doc(r#""class": null"#)));
        assert!(format_error(&doc(
            r#""class": "airport", "costs": [1], "colour": 1"#
        )));
        assert!(format_error(&doc(
            r#""class": "airport", "costs": [1], "values": [0, 1]"#
        )));
        assert!(format_error(&doc(
            r#""class": "bankruptcy", "claims": [1]"#
        )));
        assert!(format_error(&doc(
            r#""class": "assignment", "weights": [[1]], "rows": ["a"]"#
        )));
        assert!(format_error(&doc(
            r#""class": "airport", "costs": [1], "costs": [2]"#
        )));
    }

    #[test]
    fn wrong_types_are_format_errors() {
        for fields in [
            r#""class": "weighted_voting", "quota": "3", "weights": [2, 2]"#,
            r#""class": "weighted_voting", "quota": true, "weights": [1, 1]"#,
            r#""class": "weighted_voting", "quota": null, "weights": [1, 1]"#,
            r#""class": "weighted_voting", "quota": 3, "weights": ["3", 2]"#,
            r#""class": "airport", "costs": [true, 1]"#,
            r#""class": "airport", "costs": 5"#,
            r#""class": "airport", "costs": {"a": 1}"#,
            r#""class": "airport", "costs": [[1], 2]"#,
            r#""class": "airport", "costs": [1, 2], "players": "ab""#,
            r#""class": "airport", "costs": [1, 2], "players": [1, 2]"#,
            r#""class": "airport", "costs": [1, 2], "players": {"a": 1, "b": 2}"#,
            r#""class": "airport", "costs": [1, 2], "name": 3"#,
            r#""class": "assignment", "weights": [[1]], "rows": null, "cols": ["b"]"#,
            r#""class": "assignment", "weights": [[1, 2], [3]], "rows": ["a", "b"], "cols": ["c", "d"]"#,
            r#""class": "assignment", "weights": [1, 2], "rows": ["a", "b"], "cols": ["c"]"#,
            r#""class": "assignment", "weights": "12", "rows": ["a"], "cols": ["b"]"#,
        ] {
            assert!(format_error(&doc(fields)), "{fields}");
        }
        // An integer beyond the float64 range.
        let huge = format!(r#""class": "airport", "costs": [-{}]"#, "9".repeat(309));
        assert!(format_error(&doc(&huge)));
    }

    #[test]
    fn parameters_out_of_range_are_the_constructors_errors() {
        for fields in [
            r#""class": "weighted_voting", "quota": 2.5, "weights": [2, 2]"#,
            r#""class": "weighted_voting", "quota": 9, "weights": [2, 2]"#,
            r#""class": "bankruptcy", "estate": 700, "claims": [100, 200]"#,
            r#""class": "airport", "costs": [-1]"#,
            r#""class": "airport", "costs": [1, 2], "players": ["a"]"#,
            r#""class": "assignment", "weights": [], "rows": ["a"], "cols": ["b"]"#,
        ] {
            assert!(
                matches!(read(&doc(fields)), Err(Error::InvalidParameter { .. })),
                "{fields}"
            );
        }
        assert!(matches!(
            read(&doc(
                r#""class": "airport", "costs": [1, 2], "players": ["a", "a"]"#
            )),
            Err(Error::DuplicatePlayer { .. })
        ));
        assert!(matches!(
            read(&doc(r#""class": "airport", "costs": []"#)),
            Err(Error::NoPlayers)
        ));
    }
}
