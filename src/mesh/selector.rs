//! Label selectors as Istio matches them (`labels.Instance.SubsetOf`):
//! a selector selects a workload whose labels include every one of its
//! labels, and an empty selector selects every workload.

use std::collections::BTreeMap;

/// Whether `selector` selects a workload with these `labels`.
pub fn selects(selector: &BTreeMap<String, String>, labels: &BTreeMap<String, String>) -> bool {
    selector
        .iter()
        .all(|(key, value)| labels.get(key) == Some(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map<const N: usize>(pairs: [(&str, &str); N]) -> BTreeMap<String, String> {
        BTreeMap::from(pairs.map(|(k, v)| (k.to_string(), v.to_string())))
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
