//! Deprecated fields and kinds istioctl still reports (IST0002): the
//! integer `fault.delay.percent` of VirtualServices, a Sidecar's
//! `outboundTrafficPolicy.egressProxy`, and CRDs of the removed
//! `rbac.istio.io` kinds.

use super::super::{Analyzer, Report};
use crate::report::{Example, Level, Rule};
use crate::snapshot::Snapshot;

pub static DEPRECATED_FIELD: Rule = Rule {
    code: "IST0002",
    name: "deprecated-field",
    level: Level::Warning,
    summary: "A deprecated field or resource kind that Istio ignores or may stop supporting.",
    kinds: &["VirtualService", "Sidecar", "CustomResourceDefinition"],
    explanation: "Reported for:\n\n\
        - `fault.delay.percent` in a VirtualService HTTP route: the integer percentage is \
        deprecated, use `fault.delay.percentage.value`;\n\
        - `outboundTrafficPolicy.egressProxy` in a Sidecar: the proxy ignores it;\n\
        - CustomResourceDefinitions of `rbac.istio.io` kinds (`RbacConfig`, \
        `ClusterRbacConfig`, `ServiceRole`, `ServiceRoleBinding`): these kinds were removed, \
        use AuthorizationPolicy.",
    example: Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts:\n  - reviews\n  http:\n  - fault:\n      delay:\n        percent: 10\n        fixedDelay: 2s\n    route:\n    - destination:\n        host: reviews\n",
        fires_at: &["spec.http[0].fault.delay.percent"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "deprecation.DeprecationAnalyzer",
    rules: &[&DEPRECATED_FIELD],
    run,
};

/// The `rbac.istio.io` kinds Istio removed.
const REMOVED_RBAC_KINDS: &[&str] = &[
    "ClusterRbacConfig",
    "RbacConfig",
    "ServiceRole",
    "ServiceRoleBinding",
];

fn run(snapshot: &Snapshot, report: &mut Report) {
    // One finding per VirtualService (istioctl reports the deprecation
    // once), at the first route that uses the field.
    for (object, spec) in snapshot.virtual_services() {
        let routes: Vec<usize> = spec
            .http
            .iter()
            .enumerate()
            .filter(|(_, route)| {
                let delay = route.fault.as_ref().and_then(|f| f.delay.as_ref());
                delay.and_then(|d| d.percent).is_some_and(|p| p > 0)
            })
            .map(|(i, _)| i)
            .collect();
        let Some(first) = routes.first() else {
            continue;
        };
        let list: Vec<String> = routes.iter().map(usize::to_string).collect();
        report.report(
            &DEPRECATED_FIELD,
            object,
            &format!("spec.http[{first}].fault.delay.percent"),
            format!(
                "fault.delay.percent (in http route {}) is deprecated; set fault.delay.percentage.value instead",
                list.join(", ")
            ),
        );
    }
    for (object, spec) in snapshot.sidecars() {
        if spec
            .outbound_traffic_policy
            .as_ref()
            .is_some_and(|p| p.egress_proxy.is_some())
        {
            report.report(
                &DEPRECATED_FIELD,
                object,
                "spec.outboundTrafficPolicy.egressProxy",
                "outboundTrafficPolicy.egressProxy is deprecated and ignored by the proxy",
            );
        }
    }
    for crd in snapshot.of_kind("CustomResourceDefinition") {
        let Some(spec) = crd.tree().get("spec") else {
            continue;
        };
        let kind = spec.get("names").and_then(|n| n.get_str("kind"));
        if spec.get_str("group") == Some("rbac.istio.io")
            && let Some(kind) = kind.filter(|k| REMOVED_RBAC_KINDS.contains(k))
        {
            report.report(
                &DEPRECATED_FIELD,
                crd,
                "spec.names.kind",
                format!(
                    "the custom resource kind rbac.istio.io {kind} was removed from Istio; use AuthorizationPolicy"
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::{analyzer_tests, findings_of};

    analyzer_tests!(
        DEPRECATED_FIELD,
        "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts:\n  - reviews\n  http:\n  - fault:\n      delay:\n        percentage:\n          value: 10\n        fixedDelay: 2s\n    route:\n    - destination:\n        host: reviews\n---\napiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n  name: default\nspec:\n  outboundTrafficPolicy:\n    mode: REGISTRY_ONLY\n"
    );

    #[test]
    fn egress_proxy_and_removed_rbac_kinds() {
        insta::assert_snapshot!(findings_of(
            &DEPRECATED_FIELD,
            "apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n  name: default\nspec:\n  outboundTrafficPolicy:\n    mode: ALLOW_ANY\n    egressProxy:\n      host: egress.example.com\n      port:\n        number: 443\n---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: serviceroles.rbac.istio.io\nspec:\n  group: rbac.istio.io\n  names:\n    kind: ServiceRole\n    plural: serviceroles\n  scope: Namespaced\n  versions: []\n"
        ));
    }
}
