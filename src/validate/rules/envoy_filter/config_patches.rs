//! EnvoyFilter: each patch says what it applies to and how, its match is
//! of the class of what it patches, and its proxy version is a regex.

use super::super::support::validate_regex;
use super::super::{Findings, webhook_rule};
use super::{KINDS, checked_patches};
use crate::model::istio::{ApplyTo, EnvoyConfigObjectPatch, EnvoyFilterSpec, PatchOperation};
use crate::report::{Example, Rule};

pub static RULE: Rule = webhook_rule(
    "envoyfilter-config-patches",
    KINDS,
    "EnvoyFilter patch that Istio refuses: missing parts, a match of the wrong class, a bad proxy version.",
    "Every patch needs `applyTo`, a `patch` with an `operation`, and a `value` unless the \
     operation is REMOVE. Its match must be of the class of what it patches: a `listener` match \
     for LISTENER, FILTER_CHAIN, NETWORK_FILTER and HTTP_FILTER, a `routeConfiguration` match \
     for ROUTE_CONFIGURATION, VIRTUAL_HOST and HTTP_ROUTE, a `cluster` match for CLUSTER. \
     `proxy.proxyVersion` is a regular expression (one over 1024 characters is ignored, with a \
     warning). A workload selector without labels selects the whole namespace (a warning). Patches for waypoints are not checked by \
     Istio yet.",
    Example {
        yaml: "apiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\nmetadata:\n  name: lua\nspec:\n  configPatches:\n  - applyTo: CLUSTER\n    match:\n      listener: {portNumber: 8080}\n    patch:\n      operation: MERGE\n      value: {connect_timeout: 1s}\n  - applyTo: HTTP_FILTER\n    patch:\n      operation: INSERT_BEFORE\n",
        fires_at: &["spec.configPatches[0].match", "spec.configPatches[1].patch"],
    },
);

/// Longer proxy version patterns are ignored by istiod, not compiled.
const MAX_PROXY_VERSION_LEN: usize = 1024;

pub fn check(spec: &EnvoyFilterSpec, found: &mut Findings) {
    if spec
        .workload_selector
        .as_ref()
        .is_some_and(|s| s.labels.is_empty())
    {
        found.warn(
            "spec.workloadSelector",
            "Envoy filter: workload selector specified without labels, will be applied to all services in namespace",
        );
    }
    for (i, patch) in checked_patches(spec) {
        let path = format!("spec.configPatches[{i}]");
        if complete(patch, &path, found) {
            check_proxy_version(patch, &path, found);
            check_match_class(patch, &path, found);
        }
    }
}

/// applyTo, patch, operation and (but for REMOVE) value, reported in
/// Istio's order: the first missing one stops the patch's checks.
fn complete(patch: &EnvoyConfigObjectPatch, path: &str, found: &mut Findings) -> bool {
    let apply_to = patch.apply_to.unwrap_or(ApplyTo::Invalid);
    let Some(body) = patch
        .patch
        .as_ref()
        .filter(|_| apply_to != ApplyTo::Invalid)
    else {
        let what = if apply_to == ApplyTo::Invalid {
            "applyTo"
        } else {
            "patch"
        };
        found.report(path, format!("Envoy filter: missing {what}"));
        return false;
    };
    let operation = body.operation.unwrap_or(PatchOperation::Invalid);
    let problem = match operation {
        PatchOperation::Invalid => "Envoy filter: missing patch operation",
        PatchOperation::Remove => return true,
        _ if body.value.is_none() => "Envoy filter: missing patch value for non-remove operation",
        _ => return true,
    };
    found.report(format!("{path}.patch"), problem);
    false
}

fn check_proxy_version(patch: &EnvoyConfigObjectPatch, path: &str, found: &mut Findings) {
    let version = patch
        .r#match
        .as_ref()
        .and_then(|m| m.proxy.as_ref()?.proxy_version.as_deref());
    let Some(version) = version.filter(|v| !v.is_empty()) else {
        return;
    };
    if version.len() > MAX_PROXY_VERSION_LEN {
        found.warn(
            format!("{path}.match.proxy.proxyVersion"),
            format!("Envoy filter: proxyVersion match exceeds {MAX_PROXY_VERSION_LEN} characters and will be ignored"),
        );
    } else if let Err(reason) = validate_regex(version) {
        found.report(
            format!("{path}.match.proxy.proxyVersion"),
            format!("Envoy filter: invalid regex for proxy version, [{reason}]"),
        );
    }
}

/// A match of an object type must be of the class `applyTo` patches.
fn check_match_class(patch: &EnvoyConfigObjectPatch, path: &str, found: &mut Findings) {
    let Some(m) = &patch.r#match else { return };
    let typed = m.listener.is_some()
        || m.route_configuration.is_some()
        || m.cluster.is_some()
        || m.waypoint.is_some();
    if !typed {
        return;
    }
    let wrong = match patch.apply_to {
        Some(
            ApplyTo::Listener | ApplyTo::FilterChain | ApplyTo::NetworkFilter | ApplyTo::HttpFilter,
        ) if m.listener.is_none() => "listener class objects cannot have non listener match",
        Some(ApplyTo::RouteConfiguration | ApplyTo::VirtualHost | ApplyTo::HttpRoute)
            if m.route_configuration.is_none() =>
        {
            "http route class objects cannot have non route configuration match"
        }
        Some(ApplyTo::Cluster) if m.cluster.is_none() => {
            "cluster class objects cannot have non cluster match"
        }
        _ => return,
    };
    found.report(
        format!("{path}.match"),
        format!("Envoy filter: applyTo for {wrong}"),
    );
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
