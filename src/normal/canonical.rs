//! One spelling for each value: null and empty fields dropped, durations
//! as Go prints them, Kubernetes quantities in their canonical form, and
//! lists whose order the API ignores sorted.

use std::cmp::Ordering;

use serde_json::{Map, Value as Json};

use super::lists::{ListOrder, key_value, list_order};
use super::quantity;
use crate::mesh::duration;

/// What canonicalization needs to know of the resource.
pub struct Canon<'a> {
    pub kind: &'a str,
    /// A kind meshctl types: its empty strings are unset (proto3), its
    /// durations are known by name.
    pub typed: bool,
}

/// Fields of Istio's APIs that hold a `google.protobuf.Duration`.
const DURATIONS: &[&str] = &[
    "backoff",
    "baseEjectionTime",
    "connectTimeout",
    "duration",
    "exponentialDelay",
    "fixedDelay",
    "idleTimeout",
    "interval",
    "maxAge",
    "maxConnectionDuration",
    "perTryTimeout",
    "reportingInterval",
    "time",
    "timeout",
    "ttl",
    "warmupDurationSecs",
    "weightExpirationPeriod",
    "weightStabilizationPeriod",
    "weightUpdatePeriod",
];

/// Kubernetes fields whose values are resource quantities (`cpu: 500m`).
const QUANTITY_MAPS: &[&str] = &["limits", "requests", "capacity", "allocatable", "hard"];

/// The canonical form of a resource's body. A mapping stays a mapping,
/// even when every field of it drops.
pub fn canonicalize(canon: &Canon, value: Json) -> Json {
    let mut shape = String::new();
    canon
        .value(value, &mut shape, None)
        .unwrap_or_else(|| Json::Object(Map::new()))
}

impl Canon<'_> {
    /// `None` when the value is empty and its field should drop.
    fn value(&self, value: Json, shape: &mut String, field: Option<&str>) -> Option<Json> {
        match value {
            Json::Null => None,
            Json::String(s) if s.is_empty() && self.typed => None,
            Json::String(s) => Some(Json::String(self.string(s, field))),
            Json::Object(map) => self.object(map, shape),
            Json::Array(items) => self.array(items, shape),
            scalar => Some(scalar),
        }
    }

    fn string(&self, text: String, field: Option<&str>) -> String {
        match field {
            Some(name) if self.typed && DURATIONS.contains(&name) => {
                duration::parse(&text).map_or(text, |d| go_duration(d.as_secs_f64()))
            }
            _ => text,
        }
    }

    fn object(&self, map: Map<String, Json>, shape: &mut String) -> Option<Json> {
        let quantities = !self.typed
            && QUANTITY_MAPS
                .iter()
                .any(|q| shape.rsplit('.').next() == Some(q));
        let mut out = Map::with_capacity(map.len());
        for (key, item) in map {
            let item = match item {
                Json::Number(n) if quantities => Json::String(n.to_string()),
                other => other,
            };
            let item = match item {
                Json::String(s) if quantities => Json::String(quantity::canonical(&s).unwrap_or(s)),
                other => other,
            };
            let len = shape.len();
            if !shape.is_empty() {
                shape.push('.');
            }
            shape.push_str(&key);
            let kept = self.value(item, shape, Some(&key));
            shape.truncate(len);
            if let Some(kept) = kept {
                out.insert(key, kept);
            }
        }
        // An untyped kind's fields have no API order: sorted, they compare.
        if !self.typed {
            out.sort_keys();
        }
        (!out.is_empty()).then_some(Json::Object(out))
    }

    /// Items never drop (`rules: [{}]` is not `rules: []`); an emptied one
    /// stays as its empty self.
    fn array(&self, items: Vec<Json>, shape: &mut String) -> Option<Json> {
        if items.is_empty() {
            return None;
        }
        let mut out: Vec<Json> = items
            .into_iter()
            .map(|item| {
                let empty = empty_like(&item);
                self.value(item, shape, None).unwrap_or(empty)
            })
            .collect();
        match list_order(self.kind, self.typed, shape) {
            ListOrder::Set => out.sort_by(compare),
            ListOrder::Keyed(keys) => out.sort_by(|a, b| compare_keys(a, b, keys)),
            ListOrder::Routes | ListOrder::Positional => {}
        }
        Some(Json::Array(out))
    }
}

fn empty_like(value: &Json) -> Json {
    match value {
        Json::Object(_) => Json::Object(Map::new()),
        Json::Array(_) => Json::Array(Vec::new()),
        Json::String(_) => Json::String(String::new()),
        _ => Json::Null,
    }
}

fn compare_keys(a: &Json, b: &Json, keys: &[&str]) -> Ordering {
    keys.iter()
        .map(|key| compare_option(key_value(a, key), key_value(b, key)))
        .find(|o| o.is_ne())
        .unwrap_or(Ordering::Equal)
}

fn compare_option(a: Option<&Json>, b: Option<&Json>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => compare(a, b),
        (a, b) => a.is_some().cmp(&b.is_some()),
    }
}

/// A total order on values: numbers by value, strings by text, anything
/// else by its JSON text.
fn compare(a: &Json, b: &Json) -> Ordering {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap_or(0.0), y.as_f64().unwrap_or(0.0));
            x.total_cmp(&y)
        }
        (Json::String(x), Json::String(y)) => x.cmp(y),
        _ => a.to_string().cmp(&b.to_string()),
    }
}

/// A duration as Go's `time.Duration.String` writes it (`1h0m0s`, `1.5s`,
/// `250ms`), to the microsecond: finer digits are float noise from parsing.
fn go_duration(seconds: f64) -> String {
    // Bounded by duration::parse (at most 1e12 seconds).
    let micros = (seconds * 1e6).round() as u64;
    if micros == 0 {
        return "0s".into();
    }
    if micros < 1_000 {
        return format!("{micros}µs");
    }
    if micros < 1_000_000 {
        return format!("{}ms", decimal(micros, 1_000));
    }
    let hours = micros / 3_600_000_000;
    let minutes = micros / 60_000_000 % 60;
    let rest = micros % 60_000_000;
    let mut out = String::new();
    if hours > 0 {
        out.push_str(&format!("{hours}h"));
    }
    if hours > 0 || minutes > 0 {
        out.push_str(&format!("{minutes}m"));
    }
    out.push_str(&format!("{}s", decimal(rest, 1_000_000)));
    out
}

/// `value / unit` with its fraction, trailing zeros cut.
fn decimal(value: u64, unit: u64) -> String {
    let whole = value / unit;
    let fraction = value % unit;
    if fraction == 0 {
        return whole.to_string();
    }
    let width = unit.ilog10() as usize;
    let digits = format!("{fraction:0width$}");
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn durations_are_written_as_go_writes_them() {
        for (text, want) in [
            ("10s", "10s"),
            ("10000ms", "10s"),
            ("1.5s", "1.5s"),
            ("0.3s", "300ms"),
            ("90s", "1m30s"),
            ("1h", "1h0m0s"),
            ("250us", "250µs"),
            ("0", "0s"),
        ] {
            let seconds = duration::parse(text).unwrap().as_secs_f64();
            assert_eq!(go_duration(seconds), want, "{text}");
        }
    }

    #[test]
    fn empty_fields_drop_but_empty_items_stay() {
        let canon = Canon {
            kind: "AuthorizationPolicy",
            typed: true,
        };
        let value = json!({"spec": {"action": "", "selector": {}, "rules": [{}], "x": null}});
        assert_eq!(
            canonicalize(&canon, value),
            json!({"spec": {"rules": [{}]}})
        );
    }

    #[test]
    fn sets_and_keyed_lists_are_sorted() {
        let canon = Canon {
            kind: "DestinationRule",
            typed: true,
        };
        let value =
            json!({"spec": {"exportTo": ["b", "."], "subsets": [{"name": "v2"}, {"name": "v1"}]}});
        assert_eq!(
            canonicalize(&canon, value),
            json!({"spec": {"exportTo": [".", "b"], "subsets": [{"name": "v1"}, {"name": "v2"}]}})
        );
    }

    #[test]
    fn quantities_of_untyped_kinds_are_canonical() {
        let canon = Canon {
            kind: "Deployment",
            typed: false,
        };
        let value = json!({"resources": {"limits": {"cpu": 1, "memory": "1024Mi"}, "requests": {"cpu": "0.5"}}});
        assert_eq!(
            canonicalize(&canon, value),
            json!({"resources": {"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "500m"}}})
        );
    }
}
