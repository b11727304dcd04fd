//! Telemetry: the workloads or Gateway API objects it applies to.

use super::super::authorization_policy::targeting::check_policy_target;
use super::super::{Findings, webhook_rule};
use super::KINDS;
use crate::model::istio::TelemetrySpec;
use crate::report::{Example, Rule};

pub static RULE: Rule = webhook_rule(
    "telemetry-target",
    KINDS,
    "Telemetry selector or target references that Istio refuses.",
    "A Telemetry applies either to the workloads its `selector` matches or to the objects its \
     `targetRef`/`targetRefs` name (a Gateway API Gateway, a Service, ...), never both; without \
     either it applies to its namespace (the whole mesh in the root namespace). A reference \
     names an allowed kind by name, in the Telemetry's own namespace. Selector labels may not \
     have empty keys or wildcards.",
    Example {
        yaml: "apiVersion: telemetry.istio.io/v1\nkind: Telemetry\nmetadata:\n  name: gateway-tracing\nspec:\n  targetRef:\n    group: gateway.networking.k8s.io\n    kind: Gateway\n    name: public\n    namespace: istio-ingress\n",
        fires_at: &["spec.targetRef.namespace"],
    },
);

pub fn check(spec: &TelemetrySpec, found: &mut Findings) {
    check_policy_target(
        spec.selector.as_ref(),
        spec.target_ref.as_ref(),
        &spec.target_refs,
        found,
    );
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
