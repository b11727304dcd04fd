//! Kubernetes label syntax as Istio checks it for subset and endpoint
//! labels (`labels.Instance.Validate`). Shared with ServiceEntry endpoints.

use crate::model::StringMap;
use std::sync::LazyLock;

use regex::Regex;

use super::super::support::Invalid;
use crate::loader::push_key;

const NAME_MAX: usize = 63;
const PREFIX_MAX: usize = 253;

/// `[prefix/]name`: the prefix a DNS subdomain, the name a qualified name.
static KEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^((?:[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?)*/)?",
        r"((?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$"
    ))
    .expect("the label key pattern is valid")
});

/// Empty, or a qualified name (Istio sets no length limit on values).
static VALUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^((?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")
        .expect("the label value pattern is valid")
});

/// The path of a map entry: `base.key`, or `base["app.io/name"]` for keys
/// with dots.
pub fn key_path(base: &str, key: &str) -> String {
    if key.is_empty() {
        return base.to_string();
    }
    let mut path = base.to_string();
    push_key(&mut path, key);
    path
}

/// Each problem with the key of the label at fault.
pub fn validate_labels(labels: &StringMap) -> Vec<(&str, Invalid)> {
    let mut problems = Vec::new();
    for (key, value) in labels {
        if let Err(reason) = validate_key(key) {
            problems.push((key.as_str(), reason));
        }
        if !VALUE.is_match(value) {
            problems.push((key.as_str(), format!("invalid tag value: {value:?}")));
        }
    }
    problems
}

fn validate_key(key: &str) -> Result<(), Invalid> {
    let Some(parts) = KEY.captures(key) else {
        return Err(format!("invalid tag key: {key:?}"));
    };
    if parts
        .get(1)
        .is_some_and(|prefix| prefix.len() - 1 > PREFIX_MAX)
    {
        return Err(format!("invalid tag key: {key:?} (DNS prefix is too long)"));
    }
    if parts.get(2).is_some_and(|name| name.len() > NAME_MAX) {
        return Err(format!("invalid tag key: {key:?} (name is too long)"));
    }
    Ok(())
}

#[cfg(test)]
mod cases {
    use super::*;

    fn problems(key: &str, value: &str) -> usize {
        validate_labels(&StringMap::from([(key.to_string(), value.to_string())])).len()
    }

    #[test]
    fn keys_and_values_follow_kubernetes() {
        assert_eq!(problems("version", "v1"), 0);
        assert_eq!(problems("app.kubernetes.io/name", "reviews"), 0);
        assert_eq!(problems("version", ""), 0);
        assert_eq!(problems("-version", "v1"), 1);
        assert_eq!(problems("version", "v1!"), 1);
        assert_eq!(problems("bad_prefix/name", "x"), 1);
        assert_eq!(problems(&"k".repeat(64), "x"), 1);
        assert_eq!(problems("", ""), 1);
    }
}
