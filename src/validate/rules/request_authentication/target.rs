//! What a RequestAuthentication applies to: its selector or target references.

use super::super::authorization_policy::targeting::check_policy_target;
use super::super::{Findings, webhook_rule};
use super::KINDS;
use crate::model::istio::RequestAuthenticationSpec;
use crate::report::{Example, Rule};

pub static RULE: Rule = webhook_rule(
    "requestauthentication-target",
    KINDS,
    "RequestAuthentication selector or targetRef(s) that Istio refuses.",
    "A RequestAuthentication applies to workloads chosen by `selector`, or to the resources named by \
     `targetRef` or `targetRefs`: only one of the three may be set. Selector labels may not have \
     empty keys or wildcards (a selector without labels is accepted with a warning). A target \
     reference must name a Service, ServiceEntry, Gateway or GatewayClass (with the matching group) in \
     the policy's own namespace: `namespace` may not be set. Istio's webhook and the CRD's CEL rules \
     refuse the rest.",
    Example {
        yaml: "apiVersion: security.istio.io/v1\nkind: RequestAuthentication\nmetadata:\n  name: jwt\n  namespace: bookinfo\nspec:\n  selector:\n    matchLabels: {app: \"*\"}\n  targetRef: {kind: Gateway, group: gateway.networking.k8s.io, name: ingress}\n",
        fires_at: &["spec.targetRef", "spec.selector.matchLabels.app"],
    },
);

pub fn check(spec: &RequestAuthenticationSpec, found: &mut Findings) {
    check_policy_target(
        spec.selector.as_ref(),
        spec.target_ref.as_ref(),
        &spec.target_refs,
        found,
    );
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
