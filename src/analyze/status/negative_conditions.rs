//! Status conditions in which istiod (or a Gateway API controller) says it
//! did not accept, bind or program a resource (IST0171).

use super::super::{Analyzer, Report};

use crate::loader::Node;
use crate::model::Object;
use crate::report::{Example, Level, Rule};
use crate::snapshot::Snapshot;

pub static NEGATIVE_CONDITION: Rule = Rule {
    code: "IST0171",
    name: "negative-condition-status",
    level: Level::Warning,
    summary: "A status condition saying the mesh did not accept, bind or program the resource.",
    kinds: &[
        "Service",
        "ServiceEntry",
        "WorkloadEntry",
        "AuthorizationPolicy",
        "Gateway",
        "HTTPRoute",
        "GRPCRoute",
    ],
    explanation: "istiod and the Gateway API controllers write conditions to the status of the \
        resources they act on. `Accepted`, `Programmed` or `ResolvedRefs` False on a Gateway \
        API Gateway or route, `ZtunnelAccepted` or `WaypointAccepted` False on an \
        AuthorizationPolicy (or `WaypointAccepted` with reason `PartiallyInvalid`), and \
        `istio.io/WaypointBound` False on a Service, ServiceEntry or WorkloadEntry mean the \
        resource does not work as written; the condition's reason and message say why.",
    example: Example {
        yaml: "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: reviews\nspec:\n  parentRefs:\n  - name: ingress\n  rules:\n  - backendRefs:\n    - {name: reviews, port: 9080}\nstatus:\n  parents:\n  - parentRef: {name: ingress}\n    controllerName: istio.io/gateway-controller\n    conditions:\n    - type: ResolvedRefs\n      status: \"False\"\n      reason: BackendNotFound\n      message: backend(reviews.default.svc.cluster.local) not found\n      lastTransitionTime: \"2026-01-01T00:00:00Z\"\n",
        fires_at: &["status.parents[0].conditions[0]"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "conditions.ConditionAnalyzer",
    rules: &[&NEGATIVE_CONDITION],
    run,
};

const GATEWAY_API: &str = "gateway.networking.k8s.io";
const WAYPOINT_BOUND: &[&str] = &["istio.io/WaypointBound"];
const GATEWAY_API_CONDITIONS: &[&str] = &["Accepted", "Programmed", "ResolvedRefs"];

/// The kinds whose conditions are read, with the condition types whose
/// `False` is reported and whether the conditions are per parent (routes).
const WATCHED: &[(&str, &str, &[&str], bool)] = &[
    ("", "Service", WAYPOINT_BOUND, false),
    ("networking.istio.io", "ServiceEntry", WAYPOINT_BOUND, false),
    (
        "networking.istio.io",
        "WorkloadEntry",
        WAYPOINT_BOUND,
        false,
    ),
    (
        "security.istio.io",
        "AuthorizationPolicy",
        &["ZtunnelAccepted", "WaypointAccepted"],
        false,
    ),
    (GATEWAY_API, "Gateway", GATEWAY_API_CONDITIONS, false),
    (GATEWAY_API, "HTTPRoute", GATEWAY_API_CONDITIONS, true),
    (GATEWAY_API, "GRPCRoute", GATEWAY_API_CONDITIONS, true),
];

fn run(snapshot: &Snapshot, report: &mut Report) {
    for &(group, kind, negative, per_parent) in WATCHED {
        for object in snapshot
            .of_group_kind(group, kind)
            .filter(|o| o.has_status())
        {
            let Some(status) = object.tree().get("status") else {
                continue;
            };
            if per_parent {
                for (i, parent) in items(status.get("parents")).iter().enumerate() {
                    let path = format!("status.parents[{i}].conditions");
                    check_conditions(object, parent, &path, negative, report);
                }
            } else {
                check_conditions(object, status, "status.conditions", negative, report);
            }
        }
    }
}

fn check_conditions(
    object: &Object,
    holder: &Node,
    path: &str,
    negative: &[&str],
    report: &mut Report,
) {
    for (i, condition) in items(holder.get("conditions")).iter().enumerate() {
        let kind = condition.get_str("type").unwrap_or_default();
        let reason = condition.get_str("reason").unwrap_or_default();
        let failed = negative.contains(&kind) && condition.get_str("status") == Some("False");
        // A waypoint that took only part of a policy says so with a
        // reason, under status True.
        let partial = object.kind == "AuthorizationPolicy"
            && kind == "WaypointAccepted"
            && reason == "PartiallyInvalid";
        if failed || partial {
            let message = condition.get_str("message").unwrap_or_default();
            report.report(
                &NEGATIVE_CONDITION,
                object,
                &format!("{path}[{i}]"),
                format!("condition {kind} is negative: reason {reason:?}, message {message:?}"),
            );
        }
    }
}

/// The items of a list, none for anything else.
fn items(node: Option<&Node>) -> &[Node] {
    node.and_then(Node::as_seq).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::{analyzer_tests, findings_of};

    analyzer_tests!(
        NEGATIVE_CONDITION,
        &NEGATIVE_CONDITION
            .example
            .yaml
            .replace("status: \"False\"", "status: \"True\"")
    );

    #[test]
    fn istio_conditions_and_partially_accepted_policies() {
        let yaml = "apiVersion: v1\nkind: Service\nmetadata:\n  name: reviews\nspec:\n  ports: [{name: http, port: 9080}]\nstatus:\n  conditions:\n  - {type: istio.io/WaypointBound, status: \"False\", reason: WaypointNotFound, message: waypoint not found, lastTransitionTime: \"2026-01-01T00:00:00Z\"}\n---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: waypoint\nspec:\n  targetRefs:\n  - {kind: Service, group: \"\", name: reviews}\n  action: ALLOW\n  rules:\n  - from:\n    - source: {principals: [cluster.local/ns/default/sa/web]}\nstatus:\n  conditions:\n  - {type: WaypointAccepted, status: \"True\", reason: PartiallyInvalid, message: some rules were dropped}\n  - {type: ZtunnelAccepted, status: \"True\", reason: Accepted}\n";
        insta::assert_snapshot!(findings_of(&NEGATIVE_CONDITION, yaml));
    }
}
