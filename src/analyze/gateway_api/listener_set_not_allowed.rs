//! ListenerSets their parent Gateway does not admit (MSH3015): Istio sets
//! the ListenerSet's `Accepted` condition to False (reason NotAllowed) and
//! programs none of its listeners. Istio's Gateways only: one whose class
//! takes no ListenerSets (waypoint, east-west, remote) refuses them all.

use super::super::{Analyzer, Report};
use super::listeners::{Extended, extended_gateways};

use crate::mesh::listener_set;
use crate::report::{Example, Level, Rule};
use crate::snapshot::Snapshot;

pub static LISTENER_SET_NOT_ALLOWED: Rule = Rule {
    code: "MSH3015",
    name: "gateway-api-listener-set-not-allowed",
    level: Level::Error,
    summary: "A ListenerSet whose parent Gateway's allowedListeners does not admit its namespace.",
    kinds: &["ListenerSet", "Gateway", "Namespace"],
    explanation: "A ListenerSet adds listeners to the Gateway its `parentRef` names only when \
        that Gateway's `spec.allowedListeners.namespaces` admits the ListenerSet's namespace: \
        `Same` (the Gateway's), `All`, or `Selector` (a Namespace of the input whose labels \
        the selector matches). A Gateway without `allowedListeners`, or with `from: None`, \
        admits none. Otherwise Istio sets the ListenerSet's `Accepted` condition to False \
        (reason NotAllowed), builds none of its listeners, and routes attached to them take \
        no traffic. Open the Gateway to the namespace, or move the ListenerSet. A selector is \
        judged only when the input holds the ListenerSet's Namespace: offline input often \
        leaves Namespaces out. Only Istio's gateway class takes ListenerSets: its waypoint, \
        east-west and remote classes refuse every one, and a Gateway of another controller's \
        class is not judged (MSH3016).",
    example: Example {
        yaml: "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: ingress\n  namespace: istio-ingress\nspec:\n  gatewayClassName: istio\n  allowedListeners:\n    namespaces: {from: Same}\n  listeners:\n  - {name: http, port: 80, protocol: HTTP}\n---\napiVersion: gateway.networking.k8s.io/v1\nkind: ListenerSet\nmetadata:\n  name: shop\n  namespace: shop\nspec:\n  parentRef: {name: ingress, namespace: istio-ingress}\n  listeners:\n  - {name: shop, port: 8080, protocol: HTTP}\n",
        fires_at: &["spec.parentRef"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "meshctl.GatewayApiListenerSetAnalyzer",
    rules: &[&LISTENER_SET_NOT_ALLOWED],
    run,
};

fn run(snapshot: &Snapshot, report: &mut Report) {
    for Extended {
        spec,
        key,
        role,
        refused,
        ..
    } in extended_gateways(snapshot)
    {
        for ((set, _), why) in refused {
            // Offline input often leaves Namespaces out: without the
            // labels, whether the selector admits the set is unknown.
            let set_namespace = set.namespace.as_deref().unwrap_or_default();
            if role.supports_listener_sets()
                && listener_set::admits_by_label(spec)
                && snapshot.namespace(set_namespace).is_none()
            {
                continue;
            }
            report.report_with_help(
                &LISTENER_SET_NOT_ALLOWED,
                set,
                "spec.parentRef",
                format!("Gateway {key} does not admit this ListenerSet: {why} (Istio: Accepted False, NotAllowed); none of its listeners is programmed"),
                "let the Gateway's spec.allowedListeners.namespaces admit this namespace",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::{analyzer_tests, findings_of};

    analyzer_tests!(
        LISTENER_SET_NOT_ALLOWED,
        &LISTENER_SET_NOT_ALLOWED
            .example
            .yaml
            .replace("{from: Same}", "{from: All}")
    );

    #[test]
    fn none_by_default_and_selectors_read_namespace_labels() {
        let example = LISTENER_SET_NOT_ALLOWED.example.yaml;
        let unset = example.replace("  allowedListeners:\n    namespaces: {from: Same}\n", "");
        let selector = example.replace(
            "{from: Same}",
            "{from: Selector, selector: {matchLabels: {gateways: shared}}}",
        );
        let labelled = format!(
            "{selector}---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {{gateways: shared}}\n"
        );
        assert_eq!(findings_of(&LISTENER_SET_NOT_ALLOWED, &labelled), "");
        // Without the Namespace, its labels are unknown: no finding.
        assert_eq!(findings_of(&LISTENER_SET_NOT_ALLOWED, &selector), "");
        let unlabelled = labelled.replace("labels: {gateways: shared}", "labels: {}");
        insta::assert_snapshot!(
            [unset, unlabelled]
                .map(|yaml| findings_of(&LISTENER_SET_NOT_ALLOWED, &yaml))
                .join("\n")
        );
    }
}
