//! What a security policy (AuthorizationPolicy, RequestAuthentication,
//! PeerAuthentication) applies to: a workload selector, or `targetRef(s)`.
//! Shared by the security kinds' rule groups.

use super::super::Findings;
use super::super::support::validate_selector_labels;
use crate::loader::push_key;
use crate::model::istio::{PolicyTargetReference, WorkloadSelector};

/// The kinds a policy may target, as (canonical group, kind); the core
/// group is spelled `core` or left empty.
const ALLOWED_TARGETS: &[(&str, &str)] = &[
    ("core", "Service"),
    ("networking.istio.io", "ServiceEntry"),
    ("gateway.networking.k8s.io", "Gateway"),
    ("gateway.networking.k8s.io", "GatewayClass"),
];

/// The selector's labels: no empty keys, no wildcards (errors); no labels
/// at all is a warning, since the policy then selects every workload.
pub fn check_selector(selector: Option<&WorkloadSelector>, found: &mut Findings) {
    let Some(selector) = selector else {
        return;
    };
    let (errors, warning) = validate_selector_labels(&selector.match_labels);
    for (key, reason) in errors {
        let mut path = String::from("spec.selector.matchLabels");
        push_key(&mut path, &key);
        found.report(path, reason);
    }
    if let Some(warning) = warning {
        found.warn("spec.selector", warning);
    }
}

/// What a security policy applies to: its selector and target references,
/// checked together as Istio checks AuthorizationPolicy and
/// RequestAuthentication.
pub fn check_policy_target(
    selector: Option<&WorkloadSelector>,
    target_ref: Option<&PolicyTargetReference>,
    target_refs: &[PolicyTargetReference],
    found: &mut Findings,
) {
    check_targets(selector, target_ref, target_refs, found);
    check_selector(selector, found);
}

/// `selector`, `targetRef` and `targetRefs` exclude each other, and each
/// reference must name an allowed kind in the policy's own namespace.
fn check_targets(
    selector: Option<&WorkloadSelector>,
    target_ref: Option<&PolicyTargetReference>,
    target_refs: &[PolicyTargetReference],
    found: &mut Findings,
) {
    let set = [
        selector.is_some(),
        target_ref.is_some(),
        !target_refs.is_empty(),
    ];
    if set.iter().filter(|s| **s).count() > 1 {
        let path = if target_refs.is_empty() {
            "spec.targetRef"
        } else {
            "spec.targetRefs"
        };
        found.report(path, "only one of targetRefs or selector can be set");
    }
    if let Some(target) = target_ref {
        check_reference(target, "spec.targetRef", found);
    }
    for (i, target) in target_refs.iter().enumerate() {
        check_reference(target, &format!("spec.targetRefs[{i}]"), found);
    }
}

fn check_reference(target: &PolicyTargetReference, path: &str, found: &mut Findings) {
    if target.namespace.as_deref().is_some_and(|ns| !ns.is_empty()) {
        found.report(
            format!("{path}.namespace"),
            "targetRef namespace must not be set; cross namespace referencing is not supported",
        );
    }
    let group = target.group.as_deref().unwrap_or_default();
    let kind = target.kind.as_deref().unwrap_or_default();
    let canonical = if group.is_empty() { "core" } else { group };
    if !ALLOWED_TARGETS.contains(&(canonical, kind)) {
        let allowed: Vec<String> = ALLOWED_TARGETS
            .iter()
            .map(|(g, k)| format!("{g}/{k}"))
            .collect();
        found.report(
            format!("{path}.kind"),
            format!(
                "targetRef must be to one of {} but was {group}/{kind}",
                allowed.join(", ")
            ),
        );
    }
}
