//! What an AuthorizationPolicy applies to: its selector or target references.

use super::super::{Findings, webhook_rule};
use super::KINDS;
use super::targeting::check_policy_target;
use crate::model::istio::AuthorizationPolicySpec;
use crate::report::{Example, Rule};

pub static RULE: Rule = webhook_rule(
    "authorizationpolicy-target",
    KINDS,
    "AuthorizationPolicy selector or targetRef(s) that Istio refuses.",
    "A policy applies to workloads chosen by `selector`, or to the resources named by `targetRef` or \
     `targetRefs`: only one of the three may be set. Selector labels may not have empty keys or \
     wildcards (a selector without labels is accepted with a warning: it selects every workload of the \
     namespace). A target reference must name a Service, ServiceEntry, Gateway or GatewayClass (with \
     the matching group) in the policy's own namespace: `namespace` may not be set. Istio's webhook \
     and the CRD's CEL rules refuse the rest.",
    Example {
        yaml: "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: deny-all\n  namespace: bookinfo\nspec:\n  targetRefs:\n  - {kind: Deployment, group: apps, name: reviews}\n  - {kind: Service, group: \"\", name: ratings, namespace: other}\n",
        fires_at: &["spec.targetRefs[0].kind", "spec.targetRefs[1].namespace"],
    },
);

pub fn check(spec: &AuthorizationPolicySpec, found: &mut Findings) {
    check_policy_target(
        spec.selector.as_ref(),
        spec.target_ref.as_ref(),
        &spec.target_refs,
        found,
    );
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
