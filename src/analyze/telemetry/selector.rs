//! Telemetry selectors that pick no workload (IST0101) and workloads
//! several Telemetries pick (IST0159).

use std::collections::BTreeMap;

use super::super::{Analyzer, Report, object_names};

use crate::model::Object;
use crate::report::{Example, Level, Rule};
use crate::snapshot::Snapshot;

pub static SELECTOR_NOT_FOUND: Rule = Rule {
    code: "IST0101",
    name: "telemetry-selector-matches-no-workload",
    level: Level::Error,
    summary: "A Telemetry whose selector matches no workload in its namespace.",
    kinds: &["Telemetry", "Pod", "Deployment"],
    explanation: "A Telemetry with a `selector` applies to the pods of its own namespace whose \
        labels include every label of the selector. When none does, it configures nothing: \
        usually a typo in a label, or the Telemetry is in the wrong namespace.",
    example: Example {
        yaml: "apiVersion: telemetry.istio.io/v1\nkind: Telemetry\nmetadata:\n  name: reviews\nspec:\n  selector:\n    matchLabels:\n      app: reviwes\n  tracing:\n  - randomSamplingPercentage: 10\n",
        fires_at: &["spec.selector"],
    },
};

pub static CONFLICTING_SELECTORS: Rule = Rule {
    code: "IST0159",
    name: "conflicting-telemetry-workload-selectors",
    level: Level::Error,
    summary: "A workload selected by more than one Telemetry.",
    kinds: &["Telemetry", "Pod", "Deployment"],
    explanation: "Each workload takes its settings from one Telemetry with a selector. When \
        the selectors of several Telemetries of a namespace match the same pod, which one \
        applies is undefined. Make the selectors disjoint, or merge the Telemetries.",
    example: Example {
        yaml: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: reviews\n  labels: {app: reviews, tier: back}\nspec:\n  containers:\n  - name: reviews\n    image: reviews:v1\n---\napiVersion: telemetry.istio.io/v1\nkind: Telemetry\nmetadata:\n  name: by-app\nspec:\n  selector:\n    matchLabels: {app: reviews}\n  tracing:\n  - randomSamplingPercentage: 10\n---\napiVersion: telemetry.istio.io/v1\nkind: Telemetry\nmetadata:\n  name: by-tier\nspec:\n  selector:\n    matchLabels: {tier: back}\n  tracing:\n  - randomSamplingPercentage: 50\n",
        fires_at: &["metadata.name", "metadata.name"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "telemetry.SelectorAnalyzer",
    rules: &[&SELECTOR_NOT_FOUND, &CONFLICTING_SELECTORS],
    run,
};

fn run(snapshot: &Snapshot, report: &mut Report) {
    // Telemetries by the workload they select; ordered keys keep the
    // output independent of hashing.
    let mut by_workload: BTreeMap<(&str, &str, &str), Vec<&Object>> = BTreeMap::new();
    for (object, telemetry) in snapshot.telemetries() {
        let labels = telemetry.selector.as_ref().map(|s| &s.match_labels);
        let Some(labels) = labels.filter(|l| !l.is_empty()) else {
            continue;
        };
        let namespace = object.namespace.as_deref().unwrap_or_default();
        let mut found = false;
        for workload in snapshot.workloads_selected(Some(namespace), labels) {
            found = true;
            let pod = snapshot.workload_object(workload);
            by_workload
                .entry((pod.kind.as_str(), namespace, pod.name.as_str()))
                .or_default()
                .push(object);
        }
        if !found {
            let selector: Vec<String> = labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
            report.report_with_help(
                &SELECTOR_NOT_FOUND,
                object,
                "spec.selector",
                format!("selector {:?} matches no pod or workload in namespace {namespace:?}", selector.join(",")),
                "check the labels against the pods' labels, and that the Telemetry is in the workloads' namespace",
            );
        }
    }
    for ((kind, namespace, name), telemetries) in &by_workload {
        if telemetries.len() < 2 {
            continue;
        }
        let names = object_names(telemetries);
        for telemetry in telemetries {
            report.report_with_help(
                &CONFLICTING_SELECTORS,
                telemetry,
                "metadata.name",
                format!("the Telemetries {names} all select {kind} {name:?} in namespace {namespace:?}; which one applies is undefined"),
                "make the selectors disjoint, or merge the Telemetries",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::{analyzer_tests, findings_of};

    analyzer_tests!(
        SELECTOR_NOT_FOUND,
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: reviews\n  labels: {app: reviews}\nspec:\n  containers: [{name: app, image: reviews}]\n---\napiVersion: telemetry.istio.io/v1\nkind: Telemetry\nmetadata:\n  name: reviews\nspec:\n  selector:\n    matchLabels: {app: reviews}\n---\napiVersion: telemetry.istio.io/v1\nkind: Telemetry\nmetadata:\n  name: default\nspec:\n  tracing:\n  - randomSamplingPercentage: 1\n"
    );

    #[test]
    fn overlapping_selectors_conflict_per_workload() {
        insta::assert_snapshot!(findings_of(
            &CONFLICTING_SELECTORS,
            CONFLICTING_SELECTORS.example.yaml
        ));
        // A pod of another namespace with the same labels is not selected.
        let elsewhere = CONFLICTING_SELECTORS.example.yaml.replace(
            "name: reviews\n  labels",
            "name: reviews\n  namespace: other\n  labels",
        );
        assert_eq!(findings_of(&CONFLICTING_SELECTORS, &elsewhere), "");
    }
}
