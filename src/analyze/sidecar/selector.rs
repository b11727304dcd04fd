//! Which workloads Sidecars apply to: a selector that picks none (IST0101),
//! workloads several Sidecars pick (IST0110), namespaces with several
//! selector-less Sidecars (IST0111), and Sidecars over ambient workloads,
//! which have no sidecar to configure (IST0167).

use std::collections::{BTreeMap, HashSet};

use crate::model::ObjectMeta;

use super::super::{Analyzer, Report, object_names};

use crate::model::Object;
use crate::report::{Example, Level, Rule};
use crate::snapshot::{Snapshot, Workload};

pub static SELECTOR_NOT_FOUND: Rule = Rule {
    code: "IST0101",
    name: "sidecar-selector-matches-no-workload",
    level: Level::Error,
    summary: "A Sidecar whose workload selector matches no workload in its namespace.",
    kinds: &["Sidecar", "Pod", "Deployment"],
    explanation: "A Sidecar with a `workloadSelector` applies only to the pods of its own \
        namespace whose labels include every label of the selector. When no pod (or pod \
        template of a Deployment, StatefulSet, ...) in the namespace carries them, the \
        Sidecar configures nothing: usually a typo in a label, or the Sidecar was created in \
        the wrong namespace.",
    example: Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n  name: reviews\nspec:\n  workloadSelector:\n    labels:\n      app: reviwes\n  egress:\n  - hosts: [\"./*\"]\n",
        fires_at: &["spec.workloadSelector"],
    },
};

pub static CONFLICTING_SELECTORS: Rule = Rule {
    code: "IST0110",
    name: "conflicting-sidecar-workload-selectors",
    level: Level::Error,
    summary: "A workload selected by more than one Sidecar.",
    kinds: &["Sidecar", "Pod", "Deployment"],
    explanation: "Each workload takes its configuration from one Sidecar. When the selectors \
        of several Sidecars in a namespace match the same pod, Istio picks one of them (the \
        oldest) and ignores the others, so which settings apply is hard to tell and changes \
        when a Sidecar is recreated. Make the selectors disjoint, or merge the Sidecars.",
    example: Example {
        yaml: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: reviews\n  labels:\n    app: reviews\nspec:\n  containers:\n  - name: reviews\n    image: reviews:v1\n---\napiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n  name: reviews-a\nspec:\n  workloadSelector:\n    labels:\n      app: reviews\n  egress:\n  - hosts: [\"./*\"]\n---\napiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n  name: reviews-b\nspec:\n  workloadSelector:\n    labels:\n      app: reviews\n  egress:\n  - hosts: [\"istio-system/*\"]\n",
        fires_at: &["spec.workloadSelector", "spec.workloadSelector"],
    },
};

pub static MULTIPLE_DEFAULTS: Rule = Rule {
    code: "IST0111",
    name: "multiple-sidecars-without-workload-selectors",
    level: Level::Error,
    summary: "More than one Sidecar without a workload selector in one namespace.",
    kinds: &["Sidecar"],
    explanation: "A Sidecar without `workloadSelector` is the default for every workload of \
        its namespace that no other Sidecar selects. A namespace can have only one default: \
        with several, Istio uses one of them (the oldest) and ignores the rest. Merge them, or \
        give all but one a selector.",
    example: Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n  name: default\nspec:\n  egress:\n  - hosts: [\"./*\"]\n---\napiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n  name: default-egress\nspec:\n  egress:\n  - hosts: [\"istio-system/*\"]\n",
        fires_at: &["metadata.name", "metadata.name"],
    },
};

pub static INEFFECTIVE_IN_AMBIENT: Rule = Rule {
    code: "IST0167",
    name: "ineffective-policy",
    level: Level::Warning,
    summary: "A Sidecar that applies only to ambient-mode workloads, which have no sidecar.",
    kinds: &["Sidecar", "Pod", "Namespace"],
    explanation: "In ambient mode (a namespace labelled `istio.io/dataplane-mode: ambient` \
        without sidecar injection, or pods annotated `ambient.istio.io/redirection: enabled`) \
        traffic goes through ztunnel and waypoints, not a sidecar proxy, so a Sidecar resource \
        has no effect there. Remove it, or configure the waypoint instead.",
    example: Example {
        yaml: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    istio.io/dataplane-mode: ambient\n---\napiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n  name: default\n  namespace: shop\nspec:\n  egress:\n  - hosts: [\"./*\"]\n",
        fires_at: &["metadata.name"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "sidecar.SelectorAnalyzer",
    rules: &[
        &SELECTOR_NOT_FOUND,
        &CONFLICTING_SELECTORS,
        &MULTIPLE_DEFAULTS,
        &INEFFECTIVE_IN_AMBIENT,
    ],
    run,
};

/// The annotation the CNI puts on pods whose traffic ztunnel captures.
const AMBIENT_REDIRECTION: &str = "ambient.istio.io/redirection";

fn run(snapshot: &Snapshot, report: &mut Report) {
    // Sidecars without selector, by namespace; sidecars by the workloads
    // they select. Keys are ordered so the output does not depend on hashing.
    let mut defaults: BTreeMap<&str, Vec<&Object>> = BTreeMap::new();
    let mut by_workload: BTreeMap<(&str, &str, &str), (bool, Vec<&Object>)> = BTreeMap::new();
    for (object, sidecar) in snapshot.sidecars() {
        let namespace = object.namespace.as_deref().unwrap_or_default();
        let labels = sidecar.workload_selector.as_ref().map(|s| &s.labels);
        let Some(labels) = labels.filter(|l| !l.is_empty()) else {
            defaults.entry(namespace).or_default().push(object);
            continue;
        };
        let mut found = false;
        let workloads = snapshot
            .workloads_selected(Some(namespace), labels)
            .map(|w| (snapshot.workload_object(w), pod_in_ambient(snapshot, w)));
        for (pod, ambient) in workloads {
            found = true;
            by_workload
                .entry((pod.kind.as_str(), namespace, pod.name.as_str()))
                .or_insert_with(|| (ambient, Vec::new()))
                .1
                .push(object);
        }
        if !found {
            let selector = labels
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(",");
            report.report_with_help(
                &SELECTOR_NOT_FOUND,
                object,
                "spec.workloadSelector",
                format!("workload selector {selector:?} matches no pod or workload in namespace {namespace:?}"),
                "check the labels against the pods' labels, and that the Sidecar is in the workloads' namespace",
            );
        }
    }

    let mut ineffective: HashSet<(&str, &str)> = HashSet::new();
    for ((kind, namespace, name), (ambient, sidecars)) in &by_workload {
        let ambient = *ambient;
        if sidecars.len() == 1 && !ambient {
            continue;
        }
        let names = object_names(sidecars);
        for sidecar in sidecars {
            if ambient {
                if ineffective.insert((namespace, &sidecar.name)) {
                    report.report(
                        &INEFFECTIVE_IN_AMBIENT,
                        sidecar,
                        "spec.workloadSelector",
                        format!("the selected {kind} {name:?} runs in ambient mode, without a sidecar: this Sidecar has no effect on it"),
                    );
                }
                continue;
            }
            report.report_with_help(
                &CONFLICTING_SELECTORS,
                sidecar,
                "spec.workloadSelector",
                format!("the Sidecars {names} all select {kind} {name:?} in namespace {namespace:?}; only one of them applies"),
                "make the workload selectors disjoint, or merge the Sidecars",
            );
        }
    }

    for (namespace, sidecars) in &defaults {
        if namespace_in_ambient(snapshot, namespace) {
            for sidecar in sidecars {
                if ineffective.insert((namespace, &sidecar.name)) {
                    report.report(
                        &INEFFECTIVE_IN_AMBIENT,
                        sidecar,
                        "metadata.name",
                        format!("namespace {namespace:?} runs in ambient mode, without sidecars: this Sidecar has no effect"),
                    );
                }
            }
            continue;
        }
        if sidecars.len() > 1 {
            let names = object_names(sidecars);
            for sidecar in sidecars {
                report.report_with_help(
                    &MULTIPLE_DEFAULTS,
                    sidecar,
                    "metadata.name",
                    format!("the Sidecars {names} in namespace {namespace:?} all have no workload selector; only one of them applies"),
                    "keep one Sidecar without workloadSelector per namespace",
                );
            }
        }
    }
}

/// A pod whose traffic ztunnel redirects.
fn pod_in_ambient(snapshot: &Snapshot, workload: &Workload) -> bool {
    workload
        .metadata(snapshot.workload_object(workload))
        .is_some_and(annotated_ambient)
}

fn annotated_ambient(meta: &ObjectMeta) -> bool {
    meta.annotations
        .as_ref()
        .and_then(|a| a.get(AMBIENT_REDIRECTION))
        .is_some_and(|v| v == "enabled")
}

/// A namespace labelled for ambient mode and not for sidecar injection.
fn namespace_in_ambient(snapshot: &Snapshot, namespace: &str) -> bool {
    let Some(labels) = snapshot
        .namespace(namespace)
        .and_then(|ns| ns.metadata().labels.as_ref())
    else {
        return false;
    };
    let injected = labels
        .get("istio-injection")
        .is_some_and(|v| v == "enabled")
        || labels.get("istio.io/rev").is_some_and(|v| !v.is_empty());
    !injected
        && labels
            .get("istio.io/dataplane-mode")
            .is_some_and(|v| v == "ambient")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::{analyzer_tests, findings_of};

    const PODS: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: reviews\n  labels: {app: reviews, tier: back}\nspec:\n  containers: [{name: app, image: reviews}]\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ratings\nspec:\n  selector:\n    matchLabels: {app: ratings}\n  template:\n    metadata:\n      labels: {app: ratings, tier: back}\n    spec:\n      containers: [{name: app, image: ratings}]\n---\n";

    fn sidecar(name: &str, namespace: &str, selector: &str) -> String {
        let selector = if selector.is_empty() {
            String::new()
        } else {
            format!("  workloadSelector:\n    labels: {{{selector}}}\n")
        };
        format!(
            "apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n  name: {name}\n  namespace: {namespace}\nspec:\n{selector}  egress:\n  - hosts: [\"./*\"]\n---\n"
        )
    }

    analyzer_tests!(
        SELECTOR_NOT_FOUND,
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: reviews\n  labels: {app: reviews}\nspec:\n  containers: [{name: app, image: reviews}]\n---\napiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n  name: reviews\nspec:\n  workloadSelector:\n    labels: {app: reviews}\n---\napiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n  name: default\nspec:\n  egress:\n  - hosts: [\"./*\"]\n"
    );

    #[test]
    fn a_selector_must_match_in_the_sidecars_own_namespace() {
        let yaml = format!(
            "{PODS}{}{}",
            sidecar("elsewhere", "other", "app: reviews"),
            sidecar("template", "default", "app: ratings")
        );
        let found = findings_of(&SELECTOR_NOT_FOUND, &yaml);
        assert!(found.contains("other/elsewhere"), "{found}");
        assert_eq!(found.lines().count(), 1, "{found}");
    }

    #[test]
    fn overlapping_selectors_conflict_per_workload() {
        let yaml = format!(
            "{PODS}{}{}{}",
            sidecar("by-app", "default", "app: reviews"),
            sidecar("by-tier", "default", "tier: back"),
            sidecar("ratings", "default", "app: ratings")
        );
        insta::assert_snapshot!(findings_of(&CONFLICTING_SELECTORS, &yaml));
    }

    #[test]
    fn several_defaults_in_a_namespace() {
        insta::assert_snapshot!(findings_of(
            &MULTIPLE_DEFAULTS,
            MULTIPLE_DEFAULTS.example.yaml
        ));
        let apart = format!(
            "{}{}",
            sidecar("a", "ns1", ""),
            sidecar("b", "ns2", "app: reviews")
        );
        assert_eq!(findings_of(&MULTIPLE_DEFAULTS, &apart), "");
    }

    #[test]
    fn sidecars_in_ambient_mode_are_ineffective() {
        let yaml = format!(
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: mesh\n  labels: {{istio.io/dataplane-mode: ambient}}\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: mesh\n  labels: {{app: web}}\n  annotations: {{ambient.istio.io/redirection: enabled}}\nspec:\n  containers: [{{name: app, image: web}}]\n---\n{}{}{}",
            sidecar("scoped", "mesh", "app: web"),
            sidecar("one", "mesh", ""),
            sidecar("two", "mesh", "")
        );
        insta::assert_snapshot!(findings_of(&INEFFECTIVE_IN_AMBIENT, &yaml));
        assert_eq!(findings_of(&MULTIPLE_DEFAULTS, &yaml), "");
        assert_eq!(findings_of(&CONFLICTING_SELECTORS, &yaml), "");
        // Sidecar injection wins over the ambient label.
        let injected = yaml.replace(
            "{istio.io/dataplane-mode: ambient}",
            "{istio.io/dataplane-mode: ambient, istio-injection: enabled}",
        );
        let found = findings_of(&INEFFECTIVE_IN_AMBIENT, &injected);
        assert!(!found.contains("mesh/one"), "{found}");
        assert!(found.contains("mesh/scoped"), "{found}");
    }
}
