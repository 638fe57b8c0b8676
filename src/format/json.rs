//! A JSON document read field by field, for the checks of the class form: the top-level
//! fields in the order written, a key given twice refused, and every failure located (the
//! field and the index within it where the text stopped making sense).
//!
//! Values in messages are written as Python literals and their types named as Python names
//! them (`None`, `True`, `'text'`; `a str`, `an int`, `a dict`): the messages reach most
//! readers through the Python package, whose other messages say the same.

use std::cell::RefCell;
use std::fmt;

use serde::de::{
    DeserializeSeed, Deserializer, Error as _, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use serde_json::{Map, Number, Value};

use crate::error::{Error, Result};

/// Whether `text` is a JSON object with a top-level key `key`. A document that is not valid
/// JSON, or not an object, answers `false` (the reader it then goes to reports why). Values
/// are skipped, not built: this costs a scan of the text.
pub(super) fn has_top_level_key(text: &str, key: &str) -> bool {
    struct Probe<'k>(&'k str);
    impl<'de> Visitor<'de> for Probe<'_> {
        type Value = bool;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<bool, A::Error> {
            let mut found = false;
            while let Some(k) = map.next_key::<String>()? {
                found |= k == self.0;
                map.next_value::<IgnoredAny>()?;
            }
            Ok(found)
        }
    }
    let mut de = serde_json::Deserializer::from_str(text);
    de.deserialize_map(Probe(key)).unwrap_or(false)
}

/// The top-level fields of a JSON object, in the order written.
pub(super) struct Fields(pub(super) Vec<(String, Value)>);

impl Fields {
    /// Parses `text`, which must be one JSON object whose keys are unique (in nested objects
    /// too). A failure is [`Error::Format`] naming the field (and index) where it happened.
    pub(super) fn parse(text: &str) -> Result<Fields> {
        let failed = RefCell::new(None);
        let mut de = serde_json::Deserializer::from_str(text);
        let parsed = TopLevel { failed: &failed }
            .deserialize(&mut de)
            .and_then(|fields| de.end().map(|()| fields));
        parsed.map_err(|e| located(&e, failed.into_inner()))
    }

    /// The value of `key`, if given.
    pub(super) fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

/// The error for a parse failure `e` inside `path` (if known).
fn located(e: &serde_json::Error, path: Option<String>) -> Error {
    let said = e.to_string();
    match path {
        // serde_json's wording for a number beyond the float64 range.
        Some(path) if said.starts_with("number out of range") => Error::format_at(
            json_path(&path),
            format!("{path} is a number too large for a float64 ({said})"),
        ),
        Some(path) => Error::format_at(json_path(&path), format!("{path}: {said}")),
        None => Error::format(said),
    }
}

/// One step of the path to a value: a top-level field, an index, a key of a nested object.
enum Step<'a> {
    Field(&'a str),
    Index(usize),
    Key(&'a str),
}

/// Where a value sits, as a chain of steps back to the top level; formatted only on failure.
struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    step: Step<'a>,
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(parent) = self.parent {
            parent.fmt(f)?;
        }
        match self.step {
            Step::Field(name) => write!(f, "field {}", quoted(name)),
            Step::Index(i) => write!(f, "[{i}]"),
            Step::Key(key) => write!(f, "[{}]", quoted(key)),
        }
    }
}

/// The JSON path of a place as messages name it: `field "costs"[2]` is `costs[2]`,
/// `field "w"["a"]` is `w["a"]`; anything else is returned as it is.
pub(super) fn json_path(what: &str) -> String {
    let Some(rest) = what.strip_prefix("field ") else {
        return what.to_string();
    };
    // The quoted name ends at the first unescaped quote after the opening one.
    let mut escaped = false;
    let end = rest.char_indices().skip(1).find_map(|(i, c)| match c {
        _ if escaped => {
            escaped = false;
            None
        }
        '\\' => {
            escaped = true;
            None
        }
        '"' => Some(i + 1),
        _ => None,
    });
    match end.and_then(|e| Some((serde_json::from_str::<String>(&rest[..e]).ok()?, e))) {
        Some((name, e)) => format!("{name}{}", &rest[e..]),
        None => what.to_string(),
    }
}

/// `"name"` with JSON escapes.
pub(super) fn quoted(name: &str) -> String {
    Value::String(name.to_string()).to_string()
}

/// Reads the top-level object.
struct TopLevel<'f> {
    failed: &'f RefCell<Option<String>>,
}

impl<'de> DeserializeSeed<'de> for TopLevel<'_> {
    type Value = Fields;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Fields, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for TopLevel<'_> {
    type Value = Fields;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object (a game)")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Fields, A::Error> {
        let mut fields: Vec<(String, Value)> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if fields.iter().any(|(k, _)| *k == key) {
                return Err(A::Error::custom(format!(
                    "the field {} appears twice in one object",
                    quoted(&key)
                )));
            }
            let path = Path {
                parent: None,
                step: Step::Field(&key),
            };
            let value = map.next_value_seed(Tracked {
                path: &path,
                failed: self.failed,
            })?;
            fields.push((key, value));
        }
        Ok(Fields(fields))
    }
}

/// Reads one value at `path`; when reading an element or a member fails, the innermost
/// container records the failing element's path in `failed`.
struct Tracked<'p, 'f> {
    path: &'p Path<'p>,
    failed: &'f RefCell<Option<String>>,
}

impl Tracked<'_, '_> {
    fn note(&self, at: &Path<'_>) {
        let mut failed = self.failed.borrow_mut();
        if failed.is_none() {
            *failed = Some(at.to_string());
        }
    }
}

impl<'de> DeserializeSeed<'de> for Tracked<'_, '_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Tracked<'_, '_> {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_bool<E>(self, b: bool) -> std::result::Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_u64<E>(self, n: u64) -> std::result::Result<Value, E> {
        Ok(Value::Number(n.into()))
    }
    fn visit_i64<E>(self, n: i64) -> std::result::Result<Value, E> {
        Ok(Value::Number(n.into()))
    }
    fn visit_f64<E: serde::de::Error>(self, x: f64) -> std::result::Result<Value, E> {
        // serde_json hands over finite numbers only.
        Number::from_f64(x)
            .map(Value::Number)
            .ok_or_else(|| E::custom(format!("{x} is not a finite number")))
    }
    fn visit_str<E>(self, s: &str) -> std::result::Result<Value, E> {
        Ok(Value::String(s.to_string()))
    }
    fn visit_string<E>(self, s: String) -> std::result::Result<Value, E> {
        Ok(Value::String(s))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            let path = Path {
                parent: Some(self.path),
                step: Step::Index(items.len()),
            };
            let next = seq.next_element_seed(Tracked {
                path: &path,
                failed: self.failed,
            });
            match next {
                Ok(Some(v)) => items.push(v),
                Ok(None) => return Ok(Value::Array(items)),
                Err(e) => {
                    self.note(&path);
                    return Err(e);
                }
            }
        }
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Value, A::Error> {
        let mut members = Map::new();
        loop {
            let key = match map.next_key::<String>() {
                Ok(Some(key)) => key,
                Ok(None) => return Ok(Value::Object(members)),
                Err(e) => {
                    self.note(self.path);
                    return Err(e);
                }
            };
            if members.contains_key(&key) {
                self.note(self.path);
                return Err(A::Error::custom(format!(
                    "the field {} appears twice in one object",
                    quoted(&key)
                )));
            }
            let path = Path {
                parent: Some(self.path),
                step: Step::Key(&key),
            };
            match map.next_value_seed(Tracked {
                path: &path,
                failed: self.failed,
            }) {
                Ok(v) => {
                    members.insert(key, v);
                }
                Err(e) => {
                    self.note(&path);
                    return Err(e);
                }
            }
        }
    }
}

/// Python's name for the type of a JSON value: `NoneType`, `bool`, `int`, `float`, `str`,
/// `list`, `dict`.
pub(super) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "NoneType",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float",
        Value::Number(_) => "int",
        Value::String(_) => "str",
        Value::Array(_) => "list",
        Value::Object(_) => "dict",
    }
}

/// The type with its article: "a str", "an int".
pub(super) fn a_type(v: &Value) -> String {
    article(type_name(v))
}

/// `noun` with its indefinite article.
pub(super) fn article(noun: &str) -> String {
    let vowel = noun
        .chars()
        .next()
        .is_some_and(|c| "aeiouAEIOU".contains(c));
    format!("{} {noun}", if vowel { "an" } else { "a" })
}

/// Most characters of a value shown in a message.
const SHOWN: usize = 60;

/// A JSON value as a Python literal (`None`, `True`, `'text'`, `[1, 2]`, `{'a': 1}`),
/// shortened to 60 characters.
pub(super) fn shown(v: &Value) -> String {
    let mut text = String::new();
    literal(v, &mut text);
    if text.chars().count() <= SHOWN {
        return text;
    }
    let mut short: String = text.chars().take(SHOWN - 3).collect();
    short.push_str("...");
    short
}

fn literal(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("None"),
        Value::Bool(true) => out.push_str("True"),
        Value::Bool(false) => out.push_str("False"),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => string_literal(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                literal(item, out);
                if out.len() > 4 * SHOWN {
                    out.push_str(", ...");
                    break;
                }
            }
            out.push(']');
        }
        Value::Object(members) => {
            out.push('{');
            for (i, (k, item)) in members.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                string_literal(k, out);
                out.push_str(": ");
                literal(item, out);
                if out.len() > 4 * SHOWN {
                    out.push_str(", ...");
                    break;
                }
            }
            out.push('}');
        }
    }
}

/// A string as Python's `repr` writes it: single quotes unless the text has one and no double
/// quote; backslashes, the quote and control characters escaped.
fn string_literal(s: &str, out: &mut String) {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push(quote);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_keep_their_order_and_refuse_duplicates() {
        let f = Fields::parse(r#"{"b": 1, "a": [true, null]}"#).unwrap();
        let keys: Vec<&str> = f.0.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["b", "a"]);
        assert!(matches!(
            Fields::parse(r#"{"a": 1, "a": 2}"#),
            Err(Error::Format { .. })
        ));
        assert!(matches!(
            Fields::parse(r#"{"a": {"k": 1, "k": 2}}"#),
            Err(Error::Format { .. })
        ));
        assert!(matches!(Fields::parse("[1]"), Err(Error::Format { .. })));
        assert!(matches!(
            Fields::parse(r#"{"a": 1} x"#),
            Err(Error::Format { .. })
        ));
    }

    #[test]
    fn paths_are_data() {
        assert_eq!(json_path(r#"field "costs"[2]"#), "costs[2]");
        assert_eq!(json_path(r#"field "a\"b"["k"]"#), r#"a"b["k"]"#);
        assert_eq!(json_path("elsewhere"), "elsewhere");
        let Err(Error::Format { field, .. }) = Fields::parse(r#"{"c": [1, [2, 1e999]]}"#) else {
            panic!("a number beyond float64 is a format error");
        };
        assert_eq!(field.as_deref(), Some("c[1][1]"));
    }

    #[test]
    fn failures_are_located() {
        let Err(Error::Format { reason: msg, .. }) = Fields::parse(r#"{"c": [1, [2, 1e999]]}"#)
        else {
            panic!("a number beyond float64 must be refused")
        };
        assert!(
            msg.starts_with(r#"field "c"[1][1] is a number too large"#),
            "{msg}"
        );
        let Err(Error::Format { reason: msg, .. }) = Fields::parse(r#"{"c": {"k": [tru]}}"#) else {
            panic!("bad literal")
        };
        assert!(msg.starts_with(r#"field "c"["k"][0]: "#), "{msg}");
    }

    #[test]
    fn probe_finds_top_level_keys_only() {
        assert!(has_top_level_key(r#"{"values": [0], "class": 1}"#, "class"));
        assert!(!has_top_level_key(
            r#"{"values": [0], "x": {"class": 1}}"#,
            "class"
        ));
        assert!(!has_top_level_key(r#"["class"]"#, "class"));
        assert!(!has_top_level_key(r#"{"class": "#, "class"));
    }

    #[test]
    fn values_are_shown_as_python_literals() {
        let v: Value =
            serde_json::from_str(r#"[null, true, 1, 1.0, "it's", "a'\"b", {"k": [2]}]"#).unwrap();
        assert_eq!(
            shown(&v),
            r#"[None, True, 1, 1.0, "it's", 'a\'"b', {'k': [2]}]"#
        );
        let long = Value::String("x".repeat(100));
        assert_eq!(shown(&long).chars().count(), SHOWN);
        assert_eq!(a_type(&v), "a list");
        assert_eq!(a_type(&Value::from(3)), "an int");
    }
}
