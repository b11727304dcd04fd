//! WasmPlugin: the workloads or Gateway API objects it applies to.

use super::super::authorization_policy::targeting::check_policy_target;
use super::super::{Findings, webhook_rule};
use super::KINDS;
use crate::model::istio::WasmPluginSpec;
use crate::report::{Example, Rule};

pub static RULE: Rule = webhook_rule(
    "wasmplugin-target",
    KINDS,
    "WasmPlugin selector or target references that Istio refuses.",
    "A WasmPlugin applies either to the workloads its `selector` matches or to the objects its \
     `targetRef`/`targetRefs` name (a Gateway API Gateway, a Service, ...), never both. A \
     reference names an allowed kind by name, in the plugin's own namespace. Selector labels may \
     not have empty keys or wildcards.",
    Example {
        yaml: "apiVersion: extensions.istio.io/v1alpha1\nkind: WasmPlugin\nmetadata:\n  name: auth\nspec:\n  url: oci://registry.example.com/auth:1.0\n  selector:\n    matchLabels: {app: ratings}\n  targetRef:\n    group: gateway.networking.k8s.io\n    kind: Gateway\n    name: public\n",
        fires_at: &["spec.targetRef"],
    },
);

pub fn check(spec: &WasmPluginSpec, found: &mut Findings) {
    check_policy_target(
        spec.selector.as_ref(),
        spec.target_ref.as_ref(),
        &spec.target_refs,
        found,
    );
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
