//! Label selectors as Istio matches them (`labels.Instance.SubsetOf`):
//! a selector selects a workload whose labels include every one of its
//! labels, and an empty selector selects every workload; and Kubernetes'
//! label selectors (`matchLabels` and `matchExpressions`).

use crate::model::{LabelSelector, StringMap};

/// Whether `selector` selects a workload with these `labels`.
pub fn selects(selector: &StringMap, labels: &StringMap) -> bool {
    selector
        .iter()
        .all(|(key, value)| labels.get(key) == Some(value))
}

/// Whether a Kubernetes label selector matches the labels: every
/// `matchLabels` pair present and every `matchExpressions` requirement met.
/// An unknown operator matches nothing, as Kubernetes refuses it.
pub fn label_selector_matches(selector: &LabelSelector, labels: &StringMap) -> bool {
    let labels_match = selector
        .match_labels
        .as_ref()
        .is_none_or(|match_labels| selects(match_labels, labels));
    labels_match
        && selector.match_expressions.iter().flatten().all(|e| {
            let value = labels.get(&e.key);
            let values = e.values.as_deref().unwrap_or_default();
            match e.operator.as_str() {
                "In" => value.is_some_and(|v| values.contains(v)),
                "NotIn" => value.is_none_or(|v| !values.contains(v)),
                "Exists" => value.is_some(),
                "DoesNotExist" => value.is_none(),
                _ => false,
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map<const N: usize>(pairs: [(&str, &str); N]) -> StringMap {
        StringMap::from(pairs.map(|(k, v)| (k.to_string(), v.to_string())))
    }

    #[test]
    fn every_selector_label_must_be_present_with_its_value() {
        let workload = map([("app", "web"), ("version", "v1")]);
        assert!(selects(&map([("app", "web")]), &workload));
        assert!(!selects(&map([("app", "api")]), &workload));
        assert!(!selects(&map([("tier", "web")]), &workload));
        assert!(selects(&map([]), &workload));
    }
}
