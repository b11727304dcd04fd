//! A patch value read against Envoy's types as istiod reads it
//! (`BuildXDSObjectFromStruct`: the value, a `google.protobuf.Struct`,
//! written as JSON and read into the type `applyTo` names by protobuf's
//! legacy Go JSON reader, `jsonpb`), in one walk that finds everything
//! istiod's passes would:
//!
//! - what makes the lenient pass fail (an error): a value of the wrong JSON
//!   type, a bad enum name, duration, timestamp or base64, an `Any` without
//!   `@type` or whose type is unknown;
//! - what makes the strict pass fail (a warning): an unknown field;
//! - what istiod then looks for in the object it built, following singular
//!   message fields only: an `Any` of a FROZEN package, and a message with a
//!   `typed_config` field given neither it nor `config_discovery`.
//!
//! jsonpb's ways, which protojson does not share: a field may be named by
//! its proto name or its JSON name (the JSON name's value wins when both
//! are given, the other is not read); `null` leaves any field unset; two
//! members of one oneof are not refused (the last declared one is kept);
//! an `Any` of a well-known type carries it under `value`.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::scalars::{self, Unfit, mismatch};
use super::table::{Kind, Message, Scalar, Shape, Table};
use crate::loader::{push_key, quoted};

/// What reading a value found, each at its path.
#[derive(Debug, Default)]
pub struct Reading {
    /// Istio refuses the resource.
    pub errors: Vec<Finding>,
    /// Fields the types do not have: Istio warns of them (its strict pass).
    pub unknown_fields: Vec<Finding>,
    /// `Any`s of FROZEN packages, and filters without `typed_config`:
    /// Istio warns of them when the strict pass succeeded.
    pub deprecated: Vec<Finding>,
}

#[derive(Debug)]
pub struct Finding {
    pub path: String,
    pub message: String,
}

/// A JSON object, whether the patch's own value or one inside it.
pub trait Object {
    fn field(&self, key: &str) -> Option<&Value>;
    fn entries(&self) -> impl Iterator<Item = (&str, &Value)>;
}

impl Object for Map<String, Value> {
    fn field(&self, key: &str) -> Option<&Value> {
        self.get(key)
    }
    fn entries(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.iter().map(|(k, v)| (k.as_str(), v))
    }
}

impl Object for BTreeMap<String, Value> {
    fn field(&self, key: &str) -> Option<&Value> {
        self.get(key)
    }
    fn entries(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.iter().map(|(k, v)| (k.as_str(), v))
    }
}

/// The fields of the message an `Any` holds: its object but `@type`.
struct Packed<'a>(&'a Map<String, Value>);

impl Object for Packed<'_> {
    fn field(&self, key: &str) -> Option<&Value> {
        (key != TYPE_KEY).then(|| self.0.get(key)).flatten()
    }
    fn entries(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.0.entries().filter(|(k, _)| *k != TYPE_KEY)
    }
}

const TYPE_KEY: &str = "@type";

/// Reads `value` as the message `root` of `table`; `path` is the value's.
pub fn read(table: &Table, root: u32, value: &impl Object, path: &str) -> Reading {
    let mut reader = Reader {
        table,
        path: path.to_string(),
        found: Reading::default(),
    };
    reader.message(root, value, true);
    reader.found
}

struct Reader<'t> {
    table: &'t Table,
    /// The path of the value at hand, grown and cut as the walk goes.
    path: String,
    found: Reading,
}

impl Reader<'_> {
    /// A message. `built` says whether istiod's look at the built object
    /// reaches it (through singular message fields from the root).
    fn message(&mut self, index: u32, object: &impl Object, built: bool) {
        let message = self.table.message(index);
        let kept = kept_oneof_members(message, object);
        for (key, value) in object.entries() {
            let Some((number, field)) = message.field(key) else {
                let text = format!(
                    "Envoy filter: unknown field {} in {}",
                    quoted(key),
                    message.name
                );
                self.at(key, |r| r.found.unknown_fields.push(r.finding(text)));
                continue;
            };
            let shadowed = key != field.json && object.field(&field.json).is_some();
            if shadowed || value.is_null() {
                continue;
            }
            let reached = built
                && field
                    .oneof
                    .is_none_or(|group| kept.contains(&(group, number)));
            self.at(key, |r| r.field(field.shape, value, reached));
        }
        if built {
            self.check_typed_config(message, object);
        }
    }

    /// istiod's warning for a filter named without its configuration.
    fn check_typed_config(&mut self, message: &Message, object: &impl Object) {
        let given = |json: &str| {
            message.fields.iter().filter(|f| f.json == json).any(|f| {
                [f.name, f.json.as_ref()]
                    .iter()
                    .any(|key| object.field(key).is_some_and(|v| !v.is_null()))
            })
        };
        let wants_config = message.fields.iter().any(|f| f.json == "typedConfig");
        if wants_config && !given("typedConfig") && !given("configDiscovery") {
            let name = object
                .field("name")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let text = format!("using deprecated types by name without typed_config; {name}");
            let finding = self.finding(text);
            self.found.deprecated.push(finding);
        }
    }

    fn field(&mut self, shape: Shape, value: &Value, built: bool) {
        match shape {
            Shape::Single(kind) => self.single(kind, value, built),
            Shape::List(kind) => match value {
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        let len = self.path.len();
                        self.path.push_str(&format!("[{i}]"));
                        self.single(kind, item, false);
                        self.path.truncate(len);
                    }
                }
                _ => self.unfit(mismatch(value, "[]json.RawMessage"), "a list"),
            },
            Shape::Map(key_type, kind) => match value {
                Value::Object(entries) => {
                    for (key, item) in entries {
                        self.at(key, |r| {
                            r.map_key(key_type, key);
                            if !item.is_null() {
                                r.single(kind, item, false);
                            }
                        });
                    }
                }
                _ => self.unfit(mismatch(value, "map[string]json.RawMessage"), "a map"),
            },
        }
    }

    /// A map's key of a non-string type: its text is read as that type.
    fn map_key(&mut self, key_type: Scalar, key: &str) {
        if key_type == Scalar::String {
            return;
        }
        let as_json = match key_type {
            Scalar::Bool => serde_json::from_str(key).unwrap_or(Value::String(key.into())),
            _ => Value::String(key.into()),
        };
        if let Err(unfit) = scalars::check_scalar(key_type, &as_json) {
            self.unfit(unfit, "a map key of that type");
        }
    }

    fn single(&mut self, kind: Kind, value: &Value, built: bool) {
        if value.is_null() {
            return;
        }
        let checked = match kind {
            Kind::Scalar(scalar) | Kind::Wrapper(scalar) => scalars::check_scalar(scalar, value),
            Kind::Enum(index) => scalars::check_enum(self.table.enumeration(index), value),
            Kind::NullValue => match value {
                Value::String(name) if name == "NULL_VALUE" => Ok(()),
                _ => Err(mismatch(value, "protoreflect.EnumNumber")),
            },
            Kind::Duration => scalars::check_duration(value),
            Kind::Timestamp => scalars::check_timestamp(value),
            Kind::Struct => object_or(value, "bad StructValue: "),
            Kind::ListValue => match value {
                Value::Array(_) => Ok(()),
                _ => Err(prefixed(
                    "bad ListValue: ",
                    mismatch(value, "[]json.RawMessage"),
                )),
            },
            Kind::Value | Kind::External => Ok(()),
            Kind::Message(index) => match value {
                Value::Object(object) => {
                    self.message(index, object, built);
                    Ok(())
                }
                _ => Err(mismatch(value, "map[string]json.RawMessage")),
            },
            Kind::Any => match value {
                Value::Object(object) => {
                    self.any(object, built);
                    Ok(())
                }
                _ => Err(mismatch(value, "map[string]json.RawMessage")),
            },
        };
        if let Err(unfit) = checked {
            self.unfit(unfit, &self.describe(kind));
        }
    }

    /// An `Any`: `@type` names the message, the other keys are its fields.
    fn any(&mut self, object: &Map<String, Value>, built: bool) {
        let url = match object.get(TYPE_KEY) {
            None => return self.error("Envoy filter: Any JSON doesn't have '@type'".into()),
            Some(Value::String(url)) => url.as_str(),
            Some(Value::Null) => "",
            Some(other) => {
                return self.error(format!(
                    "Envoy filter: can't unmarshal Any's '@type': {}",
                    quoted(&other.to_string())
                ));
            }
        };
        let name = url.rsplit('/').next().unwrap_or_default();
        if let Some(kind) = self.well_known(name) {
            return match object.get("value") {
                None => self.error("Envoy filter: Any JSON doesn't have 'value'".into()),
                Some(value) => self.at("value", |r| r.single(kind, value, false)),
            };
        }
        match self.table.message_named(name) {
            Some(index) => {
                if built && self.table.message(index).frozen {
                    let finding = self.finding(format!("using deprecated type_url(s); {url}"));
                    self.found.deprecated.push(finding);
                }
                self.message(index, &Packed(object), false);
            }
            None if judged(name) => self.at(TYPE_KEY, |r| r.error(unresolved(url))),
            // A type of another project istiod may know: not judged.
            None => {}
        }
    }

    /// The well-known types jsonpb reads from an `Any`'s `value`.
    fn well_known(&self, name: &str) -> Option<Kind> {
        let wrapper = |scalar| Some(Kind::Wrapper(scalar));
        match name.strip_prefix("google.protobuf.")? {
            "Any" => Some(Kind::Any),
            "Duration" => Some(Kind::Duration),
            "Timestamp" => Some(Kind::Timestamp),
            "Struct" => Some(Kind::Struct),
            "Value" => Some(Kind::Value),
            "ListValue" => Some(Kind::ListValue),
            "BoolValue" => wrapper(Scalar::Bool),
            "StringValue" => wrapper(Scalar::String),
            "BytesValue" => wrapper(Scalar::Bytes),
            "Int32Value" => wrapper(Scalar::Int32),
            "UInt32Value" => wrapper(Scalar::Uint32),
            "Int64Value" => wrapper(Scalar::Int64),
            "UInt64Value" => wrapper(Scalar::Uint64),
            "FloatValue" => wrapper(Scalar::Float),
            "DoubleValue" => wrapper(Scalar::Double),
            "Empty" => self.table.message_named(name).map(Kind::Message),
            _ => None,
        }
    }

    fn describe(&self, kind: Kind) -> String {
        match kind {
            Kind::Scalar(Scalar::Bytes) | Kind::Wrapper(Scalar::Bytes) => "base64 bytes".into(),
            Kind::Scalar(scalar) => format!("a {}", scalar.names().0),
            Kind::Wrapper(scalar) => format!("a bare {} (a wrapper type)", scalar.names().0),
            Kind::Enum(index) => format!("a {} name or number", self.table.enumeration(index).name),
            Kind::Message(index) => format!("a {} object", self.table.message(index).name),
            Kind::Any => "a google.protobuf.Any object with \"@type\"".into(),
            Kind::Duration => "a duration string such as \"5s\"".into(),
            Kind::Timestamp => "an RFC 3339 time string".into(),
            Kind::Struct => "an object".into(),
            Kind::ListValue => "a list".into(),
            Kind::NullValue => "null".into(),
            Kind::Value | Kind::External => "any value".into(),
        }
    }

    /// Reports a value that does not fit: a wrong JSON type says what was
    /// wanted, which Go's words do not.
    fn unfit(&mut self, unfit: Unfit, wanted: &str) {
        let text = match unfit {
            Unfit::Type(why) => format!("Envoy filter: {why} (wants {wanted})"),
            Unfit::Value(why) => format!("Envoy filter: {why}"),
        };
        self.error(text);
    }

    fn error(&mut self, message: String) {
        let finding = self.finding(message);
        self.found.errors.push(finding);
    }

    fn finding(&self, message: String) -> Finding {
        Finding {
            path: self.path.clone(),
            message,
        }
    }

    /// Runs `inside` with the path one key deeper.
    fn at(&mut self, key: &str, inside: impl FnOnce(&mut Self)) {
        let len = self.path.len();
        push_key(&mut self.path, key);
        inside(self);
        self.path.truncate(len);
    }
}

/// Of each oneof group given more than one member, jsonpb keeps the last
/// declared: the others are read but dropped from the built object.
fn kept_oneof_members(message: &Message, object: &impl Object) -> Vec<(u16, usize)> {
    let mut kept: Vec<(u16, usize)> = Vec::new();
    for (key, value) in object.entries() {
        let Some((number, field)) = message.field(key) else {
            continue;
        };
        let Some(group) = field.oneof.filter(|_| !value.is_null()) else {
            continue;
        };
        match kept.iter_mut().find(|(g, _)| *g == group) {
            Some(entry) => entry.1 = entry.1.max(number),
            None => kept.push((group, number)),
        }
    }
    kept
}

fn object_or(value: &Value, prefix: &str) -> Result<(), Unfit> {
    match value {
        Value::Object(_) => Ok(()),
        _ => Err(prefixed(
            prefix,
            mismatch(value, "map[string]json.RawMessage"),
        )),
    }
}

fn prefixed(prefix: &str, unfit: Unfit) -> Unfit {
    match unfit {
        Unfit::Type(why) => Unfit::Type(format!("{prefix}{why}")),
        Unfit::Value(why) => Unfit::Value(format!("{prefix}{why}")),
    }
}

/// Whether the table speaks for every type of this name's package: all of
/// Envoy's v3 API, cncf/xds and udpa are in it. Other packages (Istio's
/// own, Google's, OpenTelemetry's) may have types istiod registers that the
/// table does not carry.
fn judged(name: &str) -> bool {
    name.is_empty()
        || ["envoy.", "xds.", "udpa."]
            .iter()
            .any(|p| name.starts_with(p))
}

/// Istio's error for a type its registry does not have, with its hint for
/// Envoy's removed v2 API.
fn unresolved(url: &str) -> String {
    let hint = if url.contains(".v2.") {
        " (hint: try using the v3 XDS API)"
    } else {
        ""
    };
    format!(
        "referenced type unknown{hint}: Envoy filter: could not resolve Any message type: {url}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A root holding filters singly and in a list, a filter type, a type
    /// of a FROZEN package and one of a live one.
    const TABLE: &str = "Mgoogle.protobuf.Empty\nMt.Root\n filter @2\n filters *@2\nMt.Filter\n name s\n typed_config A |0\n config_discovery @3 |0\nMt.Discovery\n type_urls *s\nMold.v2.Config F\n x s\nMnew.v3.Config\n x s\n";

    fn read_root(value: Value) -> Reading {
        let table = Table::parse(TABLE);
        let Value::Object(object) = value else {
            panic!()
        };
        read(&table, table.message_named("t.Root").unwrap(), &object, "v")
    }

    fn paths(findings: &[Finding]) -> Vec<String> {
        findings
            .iter()
            .map(|f| format!("{}: {}", f.path, f.message))
            .collect()
    }

    #[test]
    fn frozen_types_and_missing_configs_are_found_through_singular_fields_only() {
        let typed = |url: &str| json!({"name": "f", "typed_config": {"@type": url, "x": "1"}});
        let found = read_root(json!({
            "filter": typed("type.googleapis.com/old.v2.Config"),
            "filters": [typed("type.googleapis.com/old.v2.Config"), {"name": "g"}],
        }));
        assert!(found.errors.is_empty() && found.unknown_fields.is_empty());
        assert_eq!(
            paths(&found.deprecated),
            [
                "v.filter.typed_config: using deprecated type_url(s); type.googleapis.com/old.v2.Config"
            ]
        );
        let found = read_root(json!({"filter": {"name": "f"}}));
        assert_eq!(
            paths(&found.deprecated),
            ["v.filter: using deprecated types by name without typed_config; f"]
        );
        let found =
            read_root(json!({"filter": {"name": "f", "configDiscovery": {"typeUrls": []}}}));
        assert!(found.deprecated.is_empty());
    }

    #[test]
    fn any_holds_its_type_and_fields_together() {
        let found = read_root(json!({"filter": {"name": "f", "typed_config": {
            "@type": "type.googleapis.com/new.v3.Config", "x": 1, "y": "2"}}}));
        assert_eq!(
            paths(&found.errors),
            [
                r#"v.filter.typed_config.x: Envoy filter: json: cannot unmarshal number into Go value of type string (wants a string)"#
            ]
        );
        assert_eq!(
            paths(&found.unknown_fields),
            [r#"v.filter.typed_config.y: Envoy filter: unknown field "y" in new.v3.Config"#]
        );
        let found = read_root(json!({"filter": {"typed_config": {
            "@type": "type.googleapis.com/google.protobuf.Empty"}}}));
        assert_eq!(
            paths(&found.errors),
            ["v.filter.typed_config: Envoy filter: Any JSON doesn't have 'value'"]
        );
        let found = read_root(json!({"filter": {"typed_config": {"@type": 5}}}));
        assert_eq!(
            paths(&found.errors),
            [r#"v.filter.typed_config: Envoy filter: can't unmarshal Any's '@type': "5""#]
        );
    }

    /// Any JSON at all, of the keys and values a patch might hold.
    fn any_json() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let key = prop::sample::select(vec![
            "name",
            "typed_config",
            "@type",
            "value",
            "routes",
            "match",
            "prefix",
            "route",
            "timeout",
            "cluster",
            "filters",
            "filter_chains",
            "address",
            "port_value",
            "lb_policy",
            "connectTimeout",
            "headers",
            "typed_per_filter_config",
            "x",
        ]);
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(Value::from),
            prop::sample::select(vec![
                "1s",
                "5",
                "RING_HASH",
                "type.googleapis.com/envoy.config.route.v3.Route",
                "type.googleapis.com/google.protobuf.Duration",
                "aGk=",
                "",
                "2024-01-01T00:00:00Z",
            ])
            .prop_map(Value::from),
        ];
        leaf.prop_recursive(6, 64, 6, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::vec((key.clone(), inner), 0..5).prop_map(|entries| {
                    Value::Object(
                        entries
                            .into_iter()
                            .map(|(k, v)| (k.to_string(), v))
                            .collect(),
                    )
                }),
            ]
        })
    }

    proptest::proptest! {
        /// Whatever a patch holds, the walk ends without a panic, and each
        /// finding's path starts at the value's.
        #[test]
        fn any_value_is_read_without_a_panic(value in any_json()) {
            let table = &*super::super::table::ENVOY_API;
            let object = match value {
                Value::Object(object) => object,
                other => Map::from_iter([("x".to_string(), other)]),
            };
            for root in ["envoy.config.cluster.v3.Cluster", "envoy.config.route.v3.VirtualHost", "envoy.config.listener.v3.Listener"] {
                let found = read(table, table.message_named(root).unwrap(), &object, "v");
                for finding in found.errors.iter().chain(&found.unknown_fields).chain(&found.deprecated) {
                    proptest::prop_assert!(finding.path.starts_with('v'));
                }
            }
        }
    }
}
