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

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn every_selector_label_must_be_present_with_its_value() {
        let workload = labels(&[("app", "web"), ("version", "v1")]);
        assert!(selects(&labels(&[("app", "web")]), &workload));
        assert!(!selects(&labels(&[("app", "api")]), &workload));
        assert!(!selects(&labels(&[("tier", "web")]), &workload));
        assert!(selects(&labels(&[]), &workload));
    }
}
