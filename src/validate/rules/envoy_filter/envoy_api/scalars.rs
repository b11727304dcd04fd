//! One JSON value against a scalar, enum or time type, as protobuf's legacy
//! Go JSON reader (`github.com/golang/protobuf/jsonpb`, which istiod reads
//! patch values with) takes it: it hands each value to Go's
//! `encoding/json`, so the rules and the words are Go's. The value first
//! went through a `google.protobuf.Struct`, so every number is a float64
//! written as Go writes one (`80`, `1.5`, `1e+21`).

use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use serde_json::Value;

use super::table::{Enum, Scalar};
use crate::loader::quoted;
use crate::mesh::duration;

/// Why a value does not fit; the reader adds where and what was wanted.
#[derive(Debug, PartialEq, Eq)]
pub enum Unfit {
    /// The JSON type is wrong (`json: cannot unmarshal ...`).
    Type(String),
    /// The type is right but the value is not (a bad enum name, duration,
    /// base64).
    Value(String),
}

/// Go's name of the type a scalar is read into.
fn go_type(scalar: Scalar) -> &'static str {
    scalar.names().1
}

/// What `encoding/json` calls a JSON value's type in its errors.
pub fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// `encoding/json`'s error for a value of the wrong JSON type.
pub fn mismatch(value: &Value, go_type: &str) -> Unfit {
    Unfit::Type(format!(
        "json: cannot unmarshal {} into Go value of type {go_type}",
        json_type(value)
    ))
}

/// A scalar field (or a wrapper's bare value). `null` is always taken: the
/// field stays unset.
pub fn check_scalar(scalar: Scalar, value: &Value) -> Result<(), Unfit> {
    let go = go_type(scalar);
    match (scalar, value) {
        (_, Value::Null) | (Scalar::Bool, Value::Bool(_)) | (Scalar::String, Value::String(_)) => {
            Ok(())
        }
        (Scalar::Bytes, Value::String(text)) => check_base64(text),
        (Scalar::Float | Scalar::Double, Value::String(text))
            if matches!(text.as_str(), "NaN" | "Infinity" | "-Infinity") =>
        {
            Ok(())
        }
        (Scalar::Bool | Scalar::String | Scalar::Bytes, _) => Err(mismatch(value, go)),
        (_, Value::Number(n)) => check_number(scalar, &go_number(n.as_f64().unwrap_or(0.0))),
        // A numeric field takes its number in quotes too: the quotes are
        // cut and what is left read as JSON.
        (_, Value::String(text)) => check_quoted_number(scalar, text),
        _ => Err(mismatch(value, go)),
    }
}

/// A number as Go's `encoding/json` writes a float64.
fn go_number(value: f64) -> String {
    let abs = value.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let text = format!("{value:e}");
        match text.split_once('e') {
            Some((mantissa, exponent)) if !exponent.starts_with('-') => {
                format!("{mantissa}e+{exponent}")
            }
            _ => text,
        }
    } else {
        format!("{value}")
    }
}

/// A JSON number token read into a numeric type, as `encoding/json` does.
fn check_number(scalar: Scalar, token: &str) -> Result<(), Unfit> {
    let too_big = || {
        Unfit::Type(format!(
            "json: cannot unmarshal number {token} into Go value of type {}",
            go_type(scalar)
        ))
    };
    let fits = match scalar {
        Scalar::Int32 => token.parse::<i32>().is_ok(),
        Scalar::Int64 => token.parse::<i64>().is_ok(),
        Scalar::Uint32 => token.parse::<u32>().is_ok(),
        Scalar::Uint64 => token.parse::<u64>().is_ok(),
        Scalar::Float => token.parse::<f32>().is_ok_and(f32::is_finite),
        _ => token.parse::<f64>().is_ok_and(f64::is_finite),
    };
    if fits { Ok(()) } else { Err(too_big()) }
}

/// The text of a quoted number, read as a JSON document of its own.
fn check_quoted_number(scalar: Scalar, text: &str) -> Result<(), Unfit> {
    // Go writes these escaped inside the string, so the text Go reads
    // back holds a backslash there.
    if text.contains(|c: char| c.is_control() || matches!(c, '"' | '\\' | '<' | '>' | '&')) {
        return Err(Unfit::Value(
            "invalid character '\\\\' looking for beginning of value".into(),
        ));
    }
    let token = text.trim_matches(' ');
    match token {
        "" => Err(Unfit::Value("unexpected end of JSON input".into())),
        "null" => Ok(()),
        "true" | "false" => Err(Unfit::Type(format!(
            "json: cannot unmarshal bool into Go value of type {}",
            go_type(scalar)
        ))),
        _ => match json_number_len(token) {
            Some(len) if len == token.len() => check_number(scalar, token),
            Some(len) => Err(syntax_error(token, len, "after top-level value")),
            None => Err(syntax_error(token, 0, "looking for beginning of value")),
        },
    }
}

fn syntax_error(token: &str, at: usize, context: &str) -> Unfit {
    let c = token[at..].chars().next().unwrap_or(' ');
    Unfit::Value(format!("invalid character {c:?} {context}"))
}

/// The length of the JSON number at the start of `text`, if one starts
/// there: `-`, digits without a leading zero, a fraction, an exponent.
fn json_number_len(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let digits = |from: usize| {
        bytes[from..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let mut at = usize::from(bytes.first() == Some(&b'-'));
    match bytes.get(at) {
        Some(b'0') => at += 1,
        Some(b'1'..=b'9') => at += digits(at),
        _ => return None,
    }
    if bytes.get(at) == Some(&b'.') && digits(at + 1) > 0 {
        at += 1 + digits(at + 1);
    }
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(bytes.get(at + 1), Some(b'+' | b'-')));
        if digits(at + 1 + sign) > 0 {
            at += 1 + sign + digits(at + 1 + sign);
        }
    }
    Some(at)
}

/// Bytes are standard base64 with padding; line breaks are skipped and
/// stray bits at the end allowed, as Go's decoder does.
fn check_base64(text: &str) -> Result<(), Unfit> {
    const GO_STD: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_allow_trailing_bits(true)
            .with_decode_padding_mode(DecodePaddingMode::RequireCanonical),
    );
    let joined: String = text.chars().filter(|c| !matches!(c, '\r' | '\n')).collect();
    GO_STD.decode(&joined).map(|_| ()).map_err(|error| {
        let at = match error {
            base64::DecodeError::InvalidByte(at, _)
            | base64::DecodeError::InvalidLastSymbol(at, _) => at,
            base64::DecodeError::InvalidLength(at) => at,
            base64::DecodeError::InvalidPadding => joined.len(),
        };
        Unfit::Value(format!("illegal base64 data at input byte {at}"))
    })
}

/// An enum: its value's name as a string, or any 32-bit number.
pub fn check_enum(enumeration: &Enum, value: &Value) -> Result<(), Unfit> {
    match value {
        Value::Null => Ok(()),
        Value::String(name) => {
            if enumeration.values.iter().any(|(known, _)| known == name) {
                Ok(())
            } else {
                Err(Unfit::Value(format!(
                    "unknown value {} for enum {}",
                    quoted(&format!("{name:?}")),
                    enumeration.name
                )))
            }
        }
        Value::Number(n) => check_number(Scalar::Int32, &go_number(n.as_f64().unwrap_or(0.0)))
            .map_err(|_| {
                Unfit::Type(format!(
                    "json: cannot unmarshal number {} into Go value of type protoreflect.EnumNumber",
                    go_number(n.as_f64().unwrap_or(0.0))
                ))
            }),
        _ => Err(mismatch(value, "protoreflect.EnumNumber")),
    }
}

/// A `google.protobuf.Duration`: a string Go's `time.ParseDuration` reads.
pub fn check_duration(value: &Value) -> Result<(), Unfit> {
    match value {
        Value::String(text) => duration::parse_go(text)
            .map(|_| ())
            .map_err(|why| Unfit::Value(format!("bad Duration: {why}"))),
        _ => Err(mismatch(value, "string")),
    }
}

/// A `google.protobuf.Timestamp`: an RFC 3339 time string, as Go's
/// `time.Parse(time.RFC3339Nano, ...)` reads it.
pub fn check_timestamp(value: &Value) -> Result<(), Unfit> {
    match value {
        Value::String(text) if is_rfc3339(text) => Ok(()),
        Value::String(text) => Err(Unfit::Value(format!(
            "bad Timestamp: parsing time {} as \"2006-01-02T15:04:05.999999999Z07:00\": not an RFC 3339 time",
            quoted(text)
        ))),
        _ => Err(mismatch(value, "string")),
    }
}

/// `2006-01-02T15:04:05[.999999999](Z|+07:00)`, each part in its range.
fn is_rfc3339(text: &str) -> bool {
    let b = text.as_bytes();
    let number = |from: usize, len: usize| -> Option<u32> {
        let part = text.get(from..from + len)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let date_time = || -> Option<usize> {
        let (year, month, day) = (number(0, 4)?, number(5, 2)?, number(8, 2)?);
        let separators = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
        if separators.iter().any(|(at, c)| b.get(*at) != Some(c)) {
            return None;
        }
        let (hour, minute, second) = (number(11, 2)?, number(14, 2)?, number(17, 2)?);
        let in_range = (1..=12).contains(&month)
            && (1..=days_in_month(year, month)).contains(&day)
            && hour < 24
            && minute < 60
            && second < 60;
        in_range.then_some(19)
    };
    let Some(mut at) = date_time() else {
        return false;
    };
    if matches!(b.get(at), Some(b'.' | b',')) {
        let digits = b[at + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if digits == 0 {
            return false;
        }
        at += 1 + digits;
    }
    match &text[at..] {
        "Z" => true,
        zone => {
            zone.len() == 6
                && matches!(zone.as_bytes()[0], b'+' | b'-')
                && zone.as_bytes()[3] == b':'
                && number(at + 1, 2).is_some_and(|h| h < 24)
                && number(at + 4, 2).is_some_and(|m| m < 60)
        }
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn scalar(scalar: Scalar, value: Value) -> Result<(), Unfit> {
        check_scalar(scalar, &value)
    }

    #[test]
    fn numbers_follow_go_encoding_json() {
        assert_eq!(scalar(Scalar::Uint32, json!(80)), Ok(()));
        assert_eq!(scalar(Scalar::Uint32, json!("80")), Ok(()));
        assert_eq!(scalar(Scalar::Int64, json!(" 80 ")), Ok(()));
        assert_eq!(scalar(Scalar::Uint32, json!("null")), Ok(()));
        assert_eq!(scalar(Scalar::Int32, json!(1e9)), Ok(()));
        assert_eq!(scalar(Scalar::Double, json!("NaN")), Ok(()));
        assert_eq!(scalar(Scalar::Float, json!("1.5e3")), Ok(()));
        let refused = [
            (
                Scalar::Uint32,
                json!(-1),
                "json: cannot unmarshal number -1 into Go value of type uint32",
            ),
            (
                Scalar::Int32,
                json!(1.5),
                "json: cannot unmarshal number 1.5 into Go value of type int32",
            ),
            (
                Scalar::Int32,
                json!(5e9),
                "json: cannot unmarshal number 5000000000 into Go value of type int32",
            ),
            (
                Scalar::Int64,
                json!(1e21),
                "json: cannot unmarshal number 1e+21 into Go value of type int64",
            ),
            (
                Scalar::Int32,
                json!("1e3"),
                "json: cannot unmarshal number 1e3 into Go value of type int32",
            ),
            (
                Scalar::Float,
                json!(1e39),
                "json: cannot unmarshal number 1e+39 into Go value of type float32",
            ),
            (
                Scalar::String,
                json!(5),
                "json: cannot unmarshal number into Go value of type string",
            ),
            (
                Scalar::String,
                json!(false),
                "json: cannot unmarshal bool into Go value of type string",
            ),
            (
                Scalar::Bool,
                json!("true"),
                "json: cannot unmarshal string into Go value of type bool",
            ),
            (
                Scalar::Uint32,
                json!(true),
                "json: cannot unmarshal bool into Go value of type uint32",
            ),
            (
                Scalar::Uint32,
                json!({"value": 1}),
                "json: cannot unmarshal object into Go value of type uint32",
            ),
        ];
        for (kind, value, message) in refused {
            assert_eq!(
                scalar(kind, value.clone()),
                Err(Unfit::Type(message.into())),
                "{value}"
            );
        }
        assert_eq!(
            scalar(Scalar::Uint32, json!("80abc")),
            Err(Unfit::Value(
                "invalid character 'a' after top-level value".into()
            ))
        );
        assert_eq!(
            scalar(Scalar::Uint32, json!("abc")),
            Err(Unfit::Value(
                "invalid character 'a' looking for beginning of value".into()
            ))
        );
        assert_eq!(
            scalar(Scalar::Uint32, json!("")),
            Err(Unfit::Value("unexpected end of JSON input".into()))
        );
    }

    #[test]
    fn bytes_are_padded_standard_base64() {
        assert_eq!(scalar(Scalar::Bytes, json!("aGVsbG8=")), Ok(()));
        assert_eq!(scalar(Scalar::Bytes, json!("aGVs\nbG8=")), Ok(()));
        assert_eq!(scalar(Scalar::Bytes, json!("aGVsbG9=")), Ok(()));
        assert_eq!(
            scalar(Scalar::Bytes, json!("aGVsbG8")),
            Err(Unfit::Value("illegal base64 data at input byte 7".into()))
        );
        assert_eq!(
            scalar(Scalar::Bytes, json!("a-b_")),
            Err(Unfit::Value("illegal base64 data at input byte 1".into()))
        );
    }

    #[test]
    fn enums_by_name_or_any_32_bit_number() {
        let lb = Enum {
            name: "envoy.config.cluster.v3.Cluster.LbPolicy",
            values: vec![("ROUND_ROBIN", 0), ("RING_HASH", 2)],
        };
        assert_eq!(check_enum(&lb, &json!("RING_HASH")), Ok(()));
        assert_eq!(check_enum(&lb, &json!(7)), Ok(()));
        assert_eq!(
            check_enum(&lb, &json!("ring_hash")),
            Err(Unfit::Value(
                r#"unknown value "\"ring_hash\"" for enum envoy.config.cluster.v3.Cluster.LbPolicy"#.into()
            ))
        );
        assert!(matches!(check_enum(&lb, &json!(1.5)), Err(Unfit::Type(_))));
    }

    #[test]
    fn durations_and_timestamps() {
        assert_eq!(check_duration(&json!("1.5s")), Ok(()));
        assert_eq!(check_duration(&json!("-1h")), Ok(()));
        assert_eq!(
            check_duration(&json!(5)),
            Err(Unfit::Type(
                "json: cannot unmarshal number into Go value of type string".into()
            ))
        );
        assert_eq!(
            check_duration(&json!("5")),
            Err(Unfit::Value(
                r#"bad Duration: time: missing unit in duration "5""#.into()
            ))
        );
        for good in [
            "2024-02-29T23:59:59Z",
            "2024-01-01T00:00:00.123456789123+05:30",
        ] {
            assert_eq!(check_timestamp(&json!(good)), Ok(()), "{good}");
        }
        for bad in [
            "2023-02-29T00:00:00Z",
            "2024-01-01 00:00:00Z",
            "2024-01-01T00:00:60Z",
            "2024-01-01T00:00:00",
        ] {
            assert!(
                matches!(check_timestamp(&json!(bad)), Err(Unfit::Value(_))),
                "{bad}"
            );
        }
    }
}
