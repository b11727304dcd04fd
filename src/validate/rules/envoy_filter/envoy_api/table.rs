//! The table of Envoy's v3 API (`envoy_api.table`, written by
//! `tools/envoy-api-table.py`; its header names the commits): every
//! message's fields and every enum's values, read once, on the first
//! EnvoyFilter patch value checked.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

/// The table as committed, parsed on first use.
pub static ENVOY_API: LazyLock<Table> =
    LazyLock::new(|| Table::parse(include_str!("envoy_api.table")));

/// A scalar type, as the JSON reader tells them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scalar {
    Bool,
    Int32,
    Int64,
    Uint32,
    Uint64,
    Float,
    Double,
    String,
    Bytes,
}

impl Scalar {
    /// Its name in a .proto file, and the Go type istiod's JSON reader
    /// reads it into (which names it in its errors).
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            Scalar::Bool => ("bool", "bool"),
            Scalar::Int32 => ("int32", "int32"),
            Scalar::Int64 => ("int64", "int64"),
            Scalar::Uint32 => ("uint32", "uint32"),
            Scalar::Uint64 => ("uint64", "uint64"),
            Scalar::Float => ("float", "float32"),
            Scalar::Double => ("double", "float64"),
            Scalar::String => ("string", "string"),
            Scalar::Bytes => ("bytes", "[]uint8"),
        }
    }
}

/// What one value of a field is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Scalar(Scalar),
    Enum(u32),
    Message(u32),
    Any,
    Duration,
    Timestamp,
    Struct,
    Value,
    ListValue,
    NullValue,
    /// `google.protobuf.UInt32Value` and its kin: the bare scalar.
    Wrapper(Scalar),
    /// Another project's type the table does not carry: not checked.
    External,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Single(Kind),
    List(Kind),
    Map(Scalar, Kind),
}

impl Shape {
    /// The table writes messages and enums alike as `@index`; once every
    /// line is read, the enums are told apart.
    fn with_enums(self, is_enum: &[bool]) -> Shape {
        let fix = |kind: Kind| match kind {
            Kind::Message(i) if is_enum[i as usize] => Kind::Enum(i),
            kind => kind,
        };
        match self {
            Shape::Single(kind) => Shape::Single(fix(kind)),
            Shape::List(kind) => Shape::List(fix(kind)),
            Shape::Map(key, kind) => Shape::Map(key, fix(kind)),
        }
    }
}

#[derive(Debug)]
pub struct Field {
    pub name: &'static str,
    pub json: Cow<'static, str>,
    pub shape: Shape,
    /// The field's oneof group within its message.
    pub oneof: Option<u16>,
}

#[derive(Debug)]
pub struct Message {
    pub name: &'static str,
    /// Its file's package is FROZEN (`udpa.annotations.file_status`).
    pub frozen: bool,
    pub fields: Vec<Field>,
    /// (proto or JSON name, field index), sorted by name.
    names: Vec<(Cow<'static, str>, u16)>,
}

impl Message {
    /// The field a JSON key names: its proto name or its JSON name.
    pub fn field(&self, key: &str) -> Option<(usize, &Field)> {
        let at = self
            .names
            .binary_search_by(|(name, _)| name.as_ref().cmp(key))
            .ok()?;
        let index = usize::from(self.names[at].1);
        Some((index, &self.fields[index]))
    }
}

#[derive(Debug)]
pub struct Enum {
    pub name: &'static str,
    pub values: Vec<(&'static str, i32)>,
}

#[derive(Debug)]
enum Type {
    Message(Message),
    Enum(Enum),
}

#[derive(Debug)]
pub struct Table {
    types: Vec<Type>,
    by_name: HashMap<&'static str, u32>,
}

impl Table {
    /// Reads a table; a malformed one is a bug of the generator, so it
    /// panics (the committed table is read by the tests).
    pub fn parse(text: &'static str) -> Table {
        let mut types = Vec::new();
        for line in text.lines() {
            if let Some(head) = line.strip_prefix('M') {
                let (name, frozen) = match head.strip_suffix(" F") {
                    Some(name) => (name, true),
                    None => (head, false),
                };
                types.push(Type::Message(Message {
                    name,
                    frozen,
                    fields: Vec::new(),
                    names: Vec::new(),
                }));
            } else if let Some(field) = line.strip_prefix(' ') {
                let Some(Type::Message(message)) = types.last_mut() else {
                    panic!("envoy API table: a field outside a message: {line}");
                };
                message.fields.push(parse_field(field));
            } else if let Some(head) = line.strip_prefix('E') {
                types.push(Type::Enum(parse_enum(head)));
            }
        }
        let is_enum: Vec<bool> = types.iter().map(|t| matches!(t, Type::Enum(_))).collect();
        for ty in &mut types {
            if let Type::Message(message) = ty {
                for field in &mut message.fields {
                    field.shape = field.shape.with_enums(&is_enum);
                }
                index_names(message);
            }
        }
        let by_name = types
            .iter()
            .enumerate()
            .map(|(i, ty)| (ty.name(), u32::try_from(i).expect("table size")))
            .collect();
        Table { types, by_name }
    }

    pub fn message(&self, index: u32) -> &Message {
        match &self.types[index as usize] {
            Type::Message(message) => message,
            Type::Enum(e) => panic!("envoy API table: {} is not a message", e.name),
        }
    }

    pub fn enumeration(&self, index: u32) -> &Enum {
        match &self.types[index as usize] {
            Type::Enum(e) => e,
            Type::Message(m) => panic!("envoy API table: {} is not an enum", m.name),
        }
    }

    /// The message of this full name, if the table has it.
    pub fn message_named(&self, name: &str) -> Option<u32> {
        let index = *self.by_name.get(name)?;
        matches!(self.types[index as usize], Type::Message(_)).then_some(index)
    }
}

impl Type {
    fn name(&self) -> &'static str {
        match self {
            Type::Message(m) => m.name,
            Type::Enum(e) => e.name,
        }
    }
}

fn index_names(message: &mut Message) {
    let mut names = Vec::with_capacity(message.fields.len() * 2);
    for (i, field) in message.fields.iter().enumerate() {
        let i = u16::try_from(i).expect("fields per message");
        names.push((Cow::Borrowed(field.name), i));
        if field.json != field.name {
            names.push((field.json.clone(), i));
        }
    }
    names.sort_unstable();
    message.names = names;
}

/// ` name[=json] type[ |oneof]`.
fn parse_field(line: &'static str) -> Field {
    let mut parts = line.split(' ');
    let names = parts.next().unwrap_or_default();
    let shape = parse_shape(parts.next().unwrap_or_default());
    let oneof = parts
        .next()
        .and_then(|group| group.strip_prefix('|')?.parse().ok());
    let (name, json) = match names.split_once('=') {
        Some((name, json)) => (name, Cow::Borrowed(json)),
        None => (names, default_json_name(names)),
    };
    Field {
        name,
        json,
        shape,
        oneof,
    }
}

/// protoc's JSON name: each `_` dropped and the letter after it raised.
fn default_json_name(name: &'static str) -> Cow<'static, str> {
    if !name.contains('_') {
        return Cow::Borrowed(name);
    }
    let mut json = String::with_capacity(name.len());
    let mut raise = false;
    for c in name.chars() {
        match c {
            '_' => raise = true,
            c if raise => {
                json.push(c.to_ascii_uppercase());
                raise = false;
            }
            c => json.push(c),
        }
    }
    Cow::Owned(json)
}

fn parse_shape(code: &str) -> Shape {
    if let Some(element) = code.strip_prefix('*') {
        return Shape::List(parse_kind(element));
    }
    if let Some(entry) = code.strip_prefix('{').and_then(|c| c.strip_suffix('}')) {
        let (key, value) = entry.split_once(',').expect("map key and value");
        let Kind::Scalar(key) = parse_kind(key) else {
            panic!("envoy API table: map key {key}");
        };
        return Shape::Map(key, parse_kind(value));
    }
    Shape::Single(parse_kind(code))
}

fn parse_kind(code: &str) -> Kind {
    if let Some(index) = code.strip_prefix('@') {
        // Messages and enums share the index space: see `Shape::with_enums`.
        return Kind::Message(index.parse().expect("type index"));
    }
    if let Some(scalar) = code.strip_prefix('w') {
        return Kind::Wrapper(parse_scalar(scalar));
    }
    match code {
        "A" => Kind::Any,
        "D" => Kind::Duration,
        "T" => Kind::Timestamp,
        "S" => Kind::Struct,
        "V" => Kind::Value,
        "L" => Kind::ListValue,
        "N" => Kind::NullValue,
        "?" => Kind::External,
        scalar => Kind::Scalar(parse_scalar(scalar)),
    }
}

fn parse_scalar(code: &str) -> Scalar {
    match code {
        "b" => Scalar::Bool,
        "i" => Scalar::Int32,
        "I" => Scalar::Int64,
        "u" => Scalar::Uint32,
        "U" => Scalar::Uint64,
        "f" => Scalar::Float,
        "d" => Scalar::Double,
        "s" => Scalar::String,
        "y" => Scalar::Bytes,
        other => panic!("envoy API table: type {other:?}"),
    }
}

/// `E<name> NAME=number ...`.
fn parse_enum(head: &'static str) -> Enum {
    let mut parts = head.split(' ');
    let name = parts.next().unwrap_or_default();
    let values = parts
        .filter_map(|value| {
            let (name, number) = value.split_once('=')?;
            Some((name, number.parse().ok()?))
        })
        .collect();
    Enum { name, values }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_table_is_whole() {
        let table = &*ENVOY_API;
        assert_eq!(table.by_name.len(), table.types.len(), "each name once");
        for ty in &table.types {
            let Type::Message(message) = ty else { continue };
            for field in &message.fields {
                let kind = match field.shape {
                    Shape::Single(kind) | Shape::List(kind) | Shape::Map(_, kind) => kind,
                };
                match kind {
                    Kind::Message(i) => assert!(!table.message(i).name.is_empty()),
                    Kind::Enum(i) => assert!(!table.enumeration(i).values.is_empty()),
                    _ => {}
                }
            }
        }
        let cluster = table.message(
            table
                .message_named("envoy.config.cluster.v3.Cluster")
                .unwrap(),
        );
        let (_, by_proto) = cluster.field("connect_timeout").unwrap();
        let (_, by_json) = cluster.field("connectTimeout").unwrap();
        assert_eq!(
            (by_proto.name, by_proto.shape),
            ("connect_timeout", Shape::Single(Kind::Duration))
        );
        assert_eq!(by_json.name, "connect_timeout");
        let (_, policy) = cluster.field("lb_policy").unwrap();
        let Shape::Single(Kind::Enum(policy)) = policy.shape else {
            panic!("{policy:?}")
        };
        assert_eq!(
            table.enumeration(policy).name,
            "envoy.config.cluster.v3.Cluster.LbPolicy"
        );
        assert!(
            table
                .message_named("envoy.config.cluster.v3.Cluster.LbPolicy")
                .is_none()
        );
    }

    #[test]
    fn fields_maps_oneofs_and_frozen_files_are_read() {
        let table = Table::parse(
            "# a test table\nMt.A F\n one_of @1 |0\n other s |0\n counts {s,wu}\n tags *s\n odd_name=oddJson i\nEt.E X=0 Y=-1\n",
        );
        let a = table.message(table.message_named("t.A").unwrap());
        assert!(a.frozen);
        assert_eq!(a.fields[0].shape, Shape::Single(Kind::Enum(1)));
        assert_eq!((a.fields[0].oneof, a.fields[1].oneof), (Some(0), Some(0)));
        assert_eq!(
            a.fields[2].shape,
            Shape::Map(Scalar::String, Kind::Wrapper(Scalar::Uint32))
        );
        assert_eq!(a.fields[3].shape, Shape::List(Kind::Scalar(Scalar::String)));
        assert_eq!(a.field("oneOf").unwrap().0, 0);
        assert_eq!(a.field("oddJson").unwrap().0, 4);
        assert!(a.field("oddName").is_none());
        assert_eq!(table.enumeration(1).values, vec![("X", 0), ("Y", -1)]);
    }
}
