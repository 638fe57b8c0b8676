//! Reading a cases document: the JSON text into a tree whose objects keep their keys in the
//! order written (serde_json's `Value` sorts them, and a case's failures are listed in the
//! order its expected results are written), then each field checked.
//!
//! Types in messages are named as Python names them (`a str`, `an int`, `a dict`): the
//! messages reach most readers through the Python package, as those of the game reader do.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Number;

use super::{Case, Expected, DEFAULT_TOLERANCE, FORMAT_TAG, FORMAT_VERSION};
use crate::error::{Error, Result};
use crate::format::read_json;

/// A JSON value whose objects keep their keys in the order written; a key given twice in one
/// object is refused while parsing.
enum Node {
    Null,
    Bool(bool),
    Number(Number),
    Text(String),
    List(Vec<Node>),
    Object(Vec<(String, Node)>),
}

impl Node {
    /// The type with its article, as Python names it: "a str", "an int", "None".
    fn a_type(&self) -> &'static str {
        match self {
            Node::Null => "None",
            Node::Bool(_) => "a bool",
            Node::Number(n) if n.is_f64() => "a float",
            Node::Number(_) => "an int",
            Node::Text(_) => "a str",
            Node::List(_) => "a list",
            Node::Object(_) => "a dict",
        }
    }

    /// The number, if this is one (finite: JSON has no other).
    fn number(&self) -> Option<f64> {
        match self {
            Node::Number(n) => n.as_f64(),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Node, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> std::result::Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_bool<E>(self, b: bool) -> std::result::Result<Node, E> {
        Ok(Node::Bool(b))
    }
    fn visit_u64<E>(self, n: u64) -> std::result::Result<Node, E> {
        Ok(Node::Number(n.into()))
    }
    fn visit_i64<E>(self, n: i64) -> std::result::Result<Node, E> {
        Ok(Node::Number(n.into()))
    }
    fn visit_f64<E: de::Error>(self, x: f64) -> std::result::Result<Node, E> {
        Number::from_f64(x)
            .map(Node::Number)
            .ok_or_else(|| E::custom(format!("{x} is not a finite number")))
    }
    fn visit_str<E>(self, s: &str) -> std::result::Result<Node, E> {
        Ok(Node::Text(s.to_string()))
    }
    fn visit_string<E>(self, s: String) -> std::result::Result<Node, E> {
        Ok(Node::Text(s))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Node, A::Error> {
        let mut entries: Vec<(String, Node)> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if entries.iter().any(|(k, _)| *k == key) {
                return Err(de::Error::custom(format!(
                    "the key {key:?} appears twice in one object"
                )));
            }
            entries.push((key, map.next_value()?));
        }
        Ok(Node::Object(entries))
    }
}

/// Written back as JSON (a case's game, for the game reader), keys in their order.
impl Serialize for Node {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Node::Null => s.serialize_unit(),
            Node::Bool(b) => s.serialize_bool(*b),
            Node::Number(n) => n.serialize(s),
            Node::Text(t) => s.serialize_str(t),
            Node::List(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Node::Object(entries) => {
                let mut map = s.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

/// The shape of a document, for messages.
const SHAPE: &str = r#"{"format": "coalitional.cases", "version": 1, "cases": [...]}"#;

/// The fields of a case, for messages.
const CASE_FIELDS: &str = "name, source, game, expected and tolerance";

fn invalid(reason: String) -> Error {
    Error::format(reason)
}

/// Reads the document (see the module docs of `cases`).
pub(super) fn cases(text: &str) -> Result<Vec<Case>> {
    let doc: Node = serde_json::from_str(text)
        .map_err(|e| invalid(format!("not a cases document ({SHAPE}): {e}")))?;
    let Node::Object(fields) = doc else {
        return Err(invalid(format!(
            "a cases document is an object {SHAPE}, not {}",
            doc.a_type()
        )));
    };
    let (mut format, mut version, mut cases) = (None, None, None);
    for (key, value) in fields {
        match key.as_str() {
            "format" => format = Some(value),
            "version" => version = Some(value),
            "cases" => cases = Some(value),
            _ => {
                return Err(invalid(format!(
                    "unknown field {key:?} in a cases document {SHAPE}"
                )))
            }
        }
    }
    if !matches!(&format, Some(Node::Text(tag)) if tag == FORMAT_TAG) {
        return Err(invalid(format!(
            "a cases document needs \"format\": {FORMAT_TAG:?} ({SHAPE})"
        )));
    }
    match &version {
        Some(Node::Number(v)) if v.as_u64() == Some(FORMAT_VERSION) => {}
        Some(Node::Number(v)) => {
            return Err(invalid(format!(
                "cases format version {v} is not supported (this reader reads version {FORMAT_VERSION})"
            )))
        }
        _ => {
            return Err(invalid(format!(
                "a cases document needs \"version\": {FORMAT_VERSION} ({SHAPE})"
            )))
        }
    }
    match cases {
        Some(Node::List(items)) => items
            .into_iter()
            .enumerate()
            .map(|(i, item)| case(i, item))
            .collect(),
        Some(other) => Err(invalid(format!(
            "\"cases\" must be a list of cases, not {}",
            other.a_type()
        ))),
        None => Err(invalid(format!(
            "a cases document needs \"cases\" ({SHAPE})"
        ))),
    }
}

/// Reads `cases[i]`.
fn case(i: usize, node: Node) -> Result<Case> {
    let Node::Object(fields) = node else {
        return Err(invalid(format!(
            "cases[{i}] must be an object with {CASE_FIELDS}, not {}",
            node.a_type()
        )));
    };
    let name = match fields.iter().find(|(k, _)| k == "name") {
        Some((_, Node::Text(name))) if !name.is_empty() => name.clone(),
        Some((_, Node::Text(_))) => return Err(invalid(format!("cases[{i}]: name is empty"))),
        Some((_, other)) => {
            return Err(invalid(format!(
                "cases[{i}]: name must be text, not {}",
                other.a_type()
            )))
        }
        None => return Err(invalid(format!("cases[{i}] has no \"name\""))),
    };
    let at = format!("cases[{i}] ({name:?})");
    let (mut source, mut game, mut expected, mut tolerance) = (None, None, None, None);
    for (key, value) in fields {
        match key.as_str() {
            "name" => {}
            "source" => match value {
                Node::Text(text) => source = Some(text),
                other => {
                    return Err(invalid(format!(
                        "{at}: source must be text, not {}",
                        other.a_type()
                    )))
                }
            },
            "game" => game = Some(value),
            "expected" => expected = Some(value),
            "tolerance" => tolerance = Some(value),
            _ => {
                return Err(invalid(format!(
                    "{at}: unknown field {key:?}; a case has {CASE_FIELDS}"
                )))
            }
        }
    }
    let Some(game) = game else {
        return Err(invalid(format!("{at} has no \"game\"")));
    };
    let text = serde_json::to_string(&game).map_err(|e| invalid(format!("{at}: game: {e}")))?;
    let (game, meta) = read_json(&text).map_err(|e| match e {
        Error::Format { reason, .. } => invalid(format!("{at}: game: {reason}")),
        other => invalid(format!("{at}: game: {other}")),
    })?;
    let expected = match expected {
        Some(Node::Object(entries)) if entries.is_empty() => {
            return Err(invalid(format!(
                "{at}: expected is empty; a case expects at least one result"
            )))
        }
        Some(Node::Object(entries)) => entries
            .into_iter()
            .map(|(key, value)| {
                let e = self::expected(&at, &key, value)?;
                Ok((key, e))
            })
            .collect::<Result<Vec<_>>>()?,
        Some(other) => {
            return Err(invalid(format!(
                "{at}: expected must be an object of results by key, not {}",
                other.a_type()
            )))
        }
        None => return Err(invalid(format!("{at} has no \"expected\""))),
    };
    let tolerance = match tolerance {
        None => DEFAULT_TOLERANCE,
        Some(node) => match node.number() {
            Some(t) if t >= 0.0 => t,
            Some(t) => {
                return Err(invalid(format!(
                    "{at}: tolerance {t:?} must be a nonnegative number"
                )))
            }
            None => {
                return Err(invalid(format!(
                    "{at}: tolerance must be a number, not {}",
                    node.a_type()
                )))
            }
        },
    };
    Ok(Case {
        name,
        source,
        game,
        meta,
        expected,
        tolerance,
    })
}

/// Reads `expected.<key>` of the case `at`.
fn expected(at: &str, key: &str, node: Node) -> Result<Expected> {
    let number = |where_: String, node: &Node| {
        node.number().ok_or_else(|| {
            invalid(format!(
                "{at}: {where_} must be a number, not {}",
                node.a_type()
            ))
        })
    };
    Ok(match node {
        Node::Bool(b) => Expected::Bool(b),
        Node::Number(_) => Expected::Number(number(format!("expected.{key}"), &node)?),
        Node::List(items) => Expected::Vector(
            items
                .iter()
                .enumerate()
                .map(|(j, item)| number(format!("expected.{key}[{j}]"), item))
                .collect::<Result<_>>()?,
        ),
        Node::Object(entries) => Expected::Mapping(
            entries
                .into_iter()
                .map(|(player, item)| {
                    let x = number(format!("expected.{key}[{player:?}]"), &item)?;
                    Ok((player, x))
                })
                .collect::<Result<_>>()?,
        ),
        other => {
            return Err(invalid(format!(
                "{at}: expected.{key} must be a number, true or false, a list of numbers or a \
                 {{player: number}} mapping, not {}",
                other.a_type()
            )))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A valid document with one case whose fields are `case` (JSON members).
    fn doc(case: &str) -> String {
        format!(r#"{{"format": "coalitional.cases", "version": 1, "cases": [{{{case}}}]}}"#)
    }

    const GAME: &str = r#""game": {"players": ["A", "B"], "values": [0, 1, 1, 3]}"#;

    fn refused(text: &str) -> String {
        match cases(text) {
            Err(Error::Format { reason, .. }) => reason,
            other => panic!("not a format error: {other:?}"),
        }
    }

    #[test]
    fn reads_a_case_with_defaults_and_order() {
        let text = doc(&format!(
            r#""name": "pair", {GAME}, "expected": {{"shapley": {{"B": 1.5, "A": 1.5}}, "core_is_empty": false, "cost_of_stability": 0}}"#
        ));
        let cases = cases(&text).unwrap();
        let case = &cases[0];
        assert_eq!(case.name(), "pair");
        assert_eq!(case.source(), None);
        assert_eq!(case.tolerance(), DEFAULT_TOLERANCE);
        let keys: Vec<&str> = case.expected().iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["shapley", "core_is_empty", "cost_of_stability"]);
        assert_eq!(
            case.expected()[0].1,
            Expected::Mapping(vec![("B".into(), 1.5), ("A".into(), 1.5)])
        );
        assert_eq!(case.expected()[1].1, Expected::Bool(false));
        assert_eq!(case.expected()[2].1, Expected::Number(0.0));
    }

    #[test]
    fn a_bad_format_tag_or_version_is_a_format_error() {
        for text in [
            r#"{"format": "coalitional.game", "version": 1, "cases": []}"#,
            r#"{"version": 1, "cases": []}"#,
            r#"{"format": "coalitional.cases", "cases": []}"#,
            r#"{"format": "coalitional.cases", "version": 2, "cases": []}"#,
            r#"{"format": "coalitional.cases", "version": 1, "cases": 3}"#,
            r#"{"format": "coalitional.cases", "version": 1}"#,
            r#"{"format": "coalitional.cases", "version": 1, "cases": [], "extra": 1}"#,
            r#"{"format": "coalitional.cases", "version": 1, "version": 1, "cases": []}"#,
            r#"[1, 2]"#,
            "{",
        ] {
            refused(text);
        }
        assert!(
            cases(r#"{"format": "coalitional.cases", "version": 1, "cases": []}"#)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn a_missing_game_is_a_format_error_naming_the_case() {
        let reason = refused(&doc(r#""name": "lost", "expected": {"shapley": [1, 2]}"#));
        assert!(reason.contains("cases[0]") && reason.contains("lost") && reason.contains("game"));
    }

    #[test]
    fn a_game_that_does_not_read_is_a_format_error() {
        refused(&doc(
            r#""name": "x", "game": {"values": [0, 1, 2]}, "expected": {"shapley": [1]}"#,
        ));
        refused(&doc(
            r#""name": "x", "game": {"values": [0, 1], "colour": 1}, "expected": {"shapley": [1]}"#,
        ));
    }

    #[test]
    fn a_negative_or_non_numeric_tolerance_is_a_format_error() {
        for tolerance in ["-1e-9", "\"1e-9\"", "true", "null"] {
            let reason = refused(&doc(&format!(
                r#""name": "x", {GAME}, "expected": {{"shapley": [1.5, 1.5]}}, "tolerance": {tolerance}"#
            )));
            assert!(reason.contains("tolerance"), "{reason}");
        }
        let ok = doc(&format!(
            r#""name": "x", {GAME}, "expected": {{"shapley": [1.5, 1.5]}}, "tolerance": 0"#
        ));
        assert_eq!(cases(&ok).unwrap()[0].tolerance(), 0.0);
    }

    #[test]
    fn names_fields_and_expected_values_are_checked() {
        for case in [
            format!(r#"{GAME}, "expected": {{"shapley": [1, 2]}}"#),
            format!(r#""name": "", {GAME}, "expected": {{"shapley": [1, 2]}}"#),
            format!(r#""name": 3, {GAME}, "expected": {{"shapley": [1, 2]}}"#),
            format!(r#""name": "x", "source": 1, {GAME}, "expected": {{"shapley": [1, 2]}}"#),
            format!(r#""name": "x", {GAME}, "expected": {{"shapley": [1, 2]}}, "tolerence": 1"#),
            format!(r#""name": "x", {GAME}"#),
            format!(r#""name": "x", {GAME}, "expected": {{}}"#),
            format!(r#""name": "x", {GAME}, "expected": [1, 2]"#),
            format!(r#""name": "x", {GAME}, "expected": {{"shapley": [1, "2"]}}"#),
            format!(r#""name": "x", {GAME}, "expected": {{"shapley": {{"A": null}}}}"#),
            format!(r#""name": "x", {GAME}, "expected": {{"shapley": "1, 2"}}"#),
            format!(r#""name": "x", {GAME}, "expected": {{"shapley": [1, 2], "shapley": [1, 2]}}"#),
        ] {
            refused(&doc(&case));
        }
        refused(r#"{"format": "coalitional.cases", "version": 1, "cases": [3]}"#);
    }

    #[test]
    fn the_game_keeps_its_form_and_metadata() {
        let text = doc(
            r#""name": "EEC", "source": "Felsenthal and Machover (1998)",
               "game": {"format": "coalitional.game", "version": 1, "class": "weighted_voting",
                        "name": "EEC 1958", "quota": 12, "weights": [4, 4, 4, 2, 2, 1]},
               "expected": {"banzhaf": [0.3125, 0.3125, 0.3125, 0.1875, 0.1875, 0]}"#,
        );
        let case = cases(&text).unwrap().remove(0);
        assert_eq!(case.game().class(), Some("weighted_voting"));
        assert_eq!(case.meta().name.as_deref(), Some("EEC 1958"));
        assert_eq!(case.source(), Some("Felsenthal and Machover (1998)"));
    }
}
