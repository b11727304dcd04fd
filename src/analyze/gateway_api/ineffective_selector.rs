//! Policies whose workload selector picks the pods of a Gateway API
//! gateway (IST0166): Istio applies policies to such gateways through
//! `targetRef`, and ignores the selector there.

use crate::model::StringMap;
use std::collections::{BTreeMap, BTreeSet};

use super::super::{Analyzer, Report};

use crate::model::Object;
use crate::model::istio::WorkloadSelector;
use crate::report::{Example, Level, Rule};
use crate::snapshot::Snapshot;

pub static INEFFECTIVE_SELECTOR: Rule = Rule {
    code: "IST0166",
    name: "ineffective-selector",
    level: Level::Warning,
    summary: "A policy whose selector picks the pods of a Kubernetes Gateway, where selectors have no effect.",
    kinds: &[
        "AuthorizationPolicy",
        "RequestAuthentication",
        "Telemetry",
        "WasmPlugin",
        "Pod",
        "Deployment",
    ],
    explanation: "A Gateway API Gateway's pods (labelled `gateway.networking.k8s.io/gateway-name`) \
        take AuthorizationPolicy, RequestAuthentication, Telemetry and WasmPlugin through \
        `targetRef` (kind Gateway), not through a workload selector. A selector that matches \
        them has no effect on the gateway. Use `targetRefs` naming the Gateway instead.",
    example: Example {
        yaml: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: ingress-istio-5d4b\n  labels:\n    gateway.networking.k8s.io/gateway-name: ingress\nspec:\n  containers:\n  - name: istio-proxy\n    image: istio/proxyv2\n---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: ingress\nspec:\n  selector:\n    matchLabels:\n      gateway.networking.k8s.io/gateway-name: ingress\n  action: DENY\n  rules:\n  - to:\n    - operation: {paths: [/admin]}\n",
        fires_at: &["spec.selector"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "k8sgateway.SelectorAnalyzer",
    rules: &[&INEFFECTIVE_SELECTOR],
    run,
};

const GATEWAY_NAME: &str = "gateway.networking.k8s.io/gateway-name";

fn run(snapshot: &Snapshot, report: &mut Report) {
    let gateway_pods = gateway_pods(snapshot);
    if gateway_pods.is_empty() {
        return;
    }
    let policies = snapshot
        .authorization_policies()
        .map(|(o, s)| (o, s.selector.as_ref(), s.target_ref.is_some()))
        .chain(
            snapshot
                .request_authentications()
                .map(|(o, s)| (o, s.selector.as_ref(), s.target_ref.is_some())),
        )
        .chain(
            snapshot
                .telemetries()
                .map(|(o, s)| (o, s.selector.as_ref(), s.target_ref.is_some())),
        )
        .chain(
            snapshot
                .wasm_plugins()
                .map(|(o, s)| (o, s.selector.as_ref(), s.target_ref.is_some())),
        );
    for (object, selector, targeted) in policies {
        let Some(selector) = selector.filter(|_| !targeted) else {
            continue;
        };
        check(object, selector, &gateway_pods, report);
    }
}

/// The labels of the gateway pods (and pod templates), by namespace.
fn gateway_pods(snapshot: &Snapshot) -> BTreeMap<&str, Vec<&StringMap>> {
    let mut pods: BTreeMap<&str, Vec<_>> = BTreeMap::new();
    for workload in snapshot.workloads() {
        if workload.labels.contains_key(GATEWAY_NAME) {
            pods.entry(workload.namespace.as_str())
                .or_default()
                .push(&workload.labels);
        }
    }
    pods
}

fn check(
    object: &Object,
    selector: &WorkloadSelector,
    gateway_pods: &BTreeMap<&str, Vec<&StringMap>>,
    report: &mut Report,
) {
    let namespace = object.namespace.as_deref().unwrap_or_default();
    let gateways: BTreeSet<&str> = gateway_pods
        .get(namespace)
        .into_iter()
        .flatten()
        .filter(|labels| crate::mesh::selector::selects(&selector.match_labels, labels))
        .filter_map(|labels| labels.get(GATEWAY_NAME).map(String::as_str))
        .collect();
    for gateway in gateways {
        report.report_with_help(
            &INEFFECTIVE_SELECTOR,
            object,
            "spec.selector",
            format!("the selector picks the pods of the Kubernetes Gateway {gateway:?}, where selectors have no effect"),
            format!("use targetRefs: [{{kind: Gateway, group: gateway.networking.k8s.io, name: {gateway}}}] instead"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::{analyzer_tests, findings_of};

    analyzer_tests!(
        INEFFECTIVE_SELECTOR,
        &INEFFECTIVE_SELECTOR.example.yaml.replace(
            "  selector:\n    matchLabels:\n      gateway.networking.k8s.io/gateway-name: ingress\n",
            "  targetRefs:\n  - {kind: Gateway, group: gateway.networking.k8s.io, name: ingress}\n"
        )
    );

    #[test]
    fn every_policy_kind_and_only_in_the_gateways_namespace() {
        let telemetry = "---\napiVersion: telemetry.istio.io/v1\nkind: Telemetry\nmetadata:\n  name: ingress\nspec:\n  selector:\n    matchLabels: {}\n  tracing:\n  - randomSamplingPercentage: 1\n---\napiVersion: telemetry.istio.io/v1\nkind: Telemetry\nmetadata:\n  name: elsewhere\n  namespace: other\nspec:\n  selector:\n    matchLabels: {}\n";
        let yaml = format!("{}{telemetry}", INEFFECTIVE_SELECTOR.example.yaml);
        insta::assert_snapshot!(findings_of(&INEFFECTIVE_SELECTOR, &yaml));
    }
}
