//! EnvoyFilter patch operations that Istio ignores or applies unreliably:
//! ADD, REMOVE or REPLACE where the patch's `applyTo` makes them no-ops
//! (IST0153, IST0154, IST0152), and relative operations without a
//! `priority` (IST0151), which depend on the order filters are applied in;
//! worse when another filter patching the same Envoy filter is limited to a
//! proxy version (IST0155), as during an upgrade.

use std::collections::HashSet;

use super::super::{Analyzer, Report};

use crate::model::istio::{ApplyTo, EnvoyConfigObjectPatch, PatchOperation};
use crate::report::{Example, Level, Rule};
use crate::snapshot::Snapshot;

pub static RELATIVE_OPERATION: Rule = Rule {
    code: "IST0151",
    name: "envoy-filter-uses-relative-operation",
    level: Level::Warning,
    summary: "An EnvoyFilter without a priority whose patch is relative to another filter.",
    kinds: &["EnvoyFilter"],
    explanation: "INSERT_BEFORE, INSERT_AFTER, REPLACE and REMOVE act on a filter another \
        configuration put there. Without `priority`, EnvoyFilters are applied in creation \
        order, so when the filter they refer to comes from another EnvoyFilter created later \
        the patch finds nothing and is skipped. Set `priority`, or use INSERT_FIRST or ADD, \
        which do not depend on other filters.",
    example: Example {
        yaml: "apiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\nmetadata:\n  name: lua\nspec:\n  configPatches:\n  - applyTo: HTTP_FILTER\n    match:\n      context: SIDECAR_INBOUND\n      listener:\n        filterChain:\n          filter:\n            name: envoy.filters.network.http_connection_manager\n            subFilter: {name: envoy.filters.http.router}\n    patch:\n      operation: INSERT_BEFORE\n      value:\n        name: envoy.lua\n",
        fires_at: &["spec.configPatches[0]"],
    },
};

pub static REPLACE_MISUSED: Rule = Rule {
    code: "IST0152",
    name: "envoy-filter-uses-replace-operation-incorrectly",
    level: Level::Error,
    summary: "An EnvoyFilter REPLACE patch on something other than an HTTP or network filter or a virtual host.",
    kinds: &["EnvoyFilter"],
    explanation: "Istio applies REPLACE only to HTTP_FILTER, NETWORK_FILTER and VIRTUAL_HOST \
        patches; for any other `applyTo` the patch is ignored. Use MERGE to change a listener, \
        cluster or route configuration, or REMOVE and ADD to swap it.",
    example: Example {
        yaml: "apiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\nmetadata:\n  name: timeouts\nspec:\n  priority: 10\n  configPatches:\n  - applyTo: CLUSTER\n    match:\n      cluster: {service: reviews.default.svc.cluster.local}\n    patch:\n      operation: REPLACE\n      value:\n        connect_timeout: 1s\n",
        fires_at: &["spec.configPatches[0]"],
    },
};

pub static ADD_MISUSED: Rule = Rule {
    code: "IST0153",
    name: "envoy-filter-uses-add-operation-incorrectly",
    level: Level::Error,
    summary: "An EnvoyFilter ADD patch on a route configuration or HTTP route, where Istio ignores it.",
    kinds: &["EnvoyFilter"],
    explanation: "ADD creates a listener, cluster, filter or virtual host; Istio ignores it for \
        ROUTE_CONFIGURATION and HTTP_ROUTE patches. Use MERGE to change a route configuration, \
        or INSERT_BEFORE, INSERT_AFTER or INSERT_FIRST to place an HTTP route.",
    example: Example {
        yaml: "apiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\nmetadata:\n  name: routes\nspec:\n  configPatches:\n  - applyTo: HTTP_ROUTE\n    match:\n      context: SIDECAR_OUTBOUND\n    patch:\n      operation: ADD\n      value:\n        name: extra\n",
        fires_at: &["spec.configPatches[0]"],
    },
};

pub static REMOVE_MISUSED: Rule = Rule {
    code: "IST0154",
    name: "envoy-filter-uses-remove-operation-incorrectly",
    level: Level::Error,
    summary: "An EnvoyFilter REMOVE patch on a route configuration or HTTP route, where Istio ignores it.",
    kinds: &["EnvoyFilter"],
    explanation: "Istio ignores REMOVE for ROUTE_CONFIGURATION and HTTP_ROUTE patches: the route \
        stays. Remove the route at its source (the VirtualService), or MERGE the route \
        configuration.",
    example: Example {
        yaml: "apiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\nmetadata:\n  name: routes\nspec:\n  configPatches:\n  - applyTo: ROUTE_CONFIGURATION\n    match:\n      context: SIDECAR_OUTBOUND\n    patch:\n      operation: REMOVE\n",
        fires_at: &["spec.configPatches[0]"],
    },
};

pub static RELATIVE_WITH_PROXY_VERSION: Rule = Rule {
    code: "IST0155",
    name: "envoy-filter-uses-relative-operation-with-proxy-version",
    level: Level::Warning,
    summary: "A relative EnvoyFilter patch without a priority on a filter another patch limits to a proxy version.",
    kinds: &["EnvoyFilter"],
    explanation: "When one EnvoyFilter patches an Envoy filter only for some proxy versions \
        (`match.proxy.proxyVersion`) and another patches the same filter with a relative \
        operation (INSERT_BEFORE, INSERT_AFTER, REPLACE, REMOVE) and no `priority`, the second \
        one stops applying when proxies move to a version the first does not match, typically \
        during an upgrade. Set `priority` on both, or use INSERT_FIRST or ADD.",
    example: Example {
        yaml: "apiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\nmetadata:\n  name: lua-v1\nspec:\n  priority: 10\n  configPatches:\n  - applyTo: HTTP_FILTER\n    match:\n      proxy: {proxyVersion: '^1\\.2.*'}\n    patch:\n      operation: INSERT_FIRST\n      value:\n        name: envoy.lua\n---\napiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\nmetadata:\n  name: lua-v2\nspec:\n  configPatches:\n  - applyTo: HTTP_FILTER\n    match:\n      context: SIDECAR_INBOUND\n    patch:\n      operation: INSERT_AFTER\n      value:\n        name: envoy.lua\n",
        fires_at: &["spec.configPatches[0]"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "envoyfilter.EnvoyPatchAnalyzer",
    rules: &[
        &RELATIVE_OPERATION,
        &REPLACE_MISUSED,
        &ADD_MISUSED,
        &REMOVE_MISUSED,
        &RELATIVE_WITH_PROXY_VERSION,
    ],
    run,
};

fn run(snapshot: &Snapshot, report: &mut Report) {
    // The Envoy filters patched under a proxy version, by the patches seen
    // so far (istioctl walks the EnvoyFilters in order and compares each
    // relative patch with the ones before it).
    let mut versioned: HashSet<String> = HashSet::new();
    for (object, filter) in snapshot.envoy_filters() {
        let unprioritized = filter.priority.unwrap_or(0) == 0;
        // One finding per rule and filter, at its first patch: istioctl's
        // message is about the EnvoyFilter, so it says it once.
        let mut found: Vec<(&'static Rule, usize, String)> = Vec::new();
        for (index, patch) in filter.config_patches.iter().enumerate() {
            // istioctl stops at the first patch without a `patch` section.
            let Some(operation) = patch.patch.as_ref().map(|p| p.operation) else {
                break;
            };
            let target = patched_filter(patch);
            if let Some((rule, message)) = misused(operation, patch.apply_to) {
                found.push((rule, index, message));
            } else if is_relative(operation) && unprioritized {
                let rule = if versioned.contains(&target) {
                    &RELATIVE_WITH_PROXY_VERSION
                } else {
                    &RELATIVE_OPERATION
                };
                found.push((rule, index, relative_message(rule)));
            }
            let proxy = patch.r#match.as_ref().and_then(|m| m.proxy.as_ref());
            if proxy.is_some_and(|p| p.proxy_version.as_deref().is_some_and(|v| !v.is_empty())) {
                versioned.insert(target);
            }
        }
        let mut reported = HashSet::new();
        for (rule, index, message) in found {
            if reported.insert(rule.name) {
                report.report(
                    rule,
                    object,
                    &format!("spec.configPatches[{index}]"),
                    message,
                );
            }
        }
    }
}

/// An operation Istio ignores for this `applyTo`, with what to say.
fn misused(
    operation: Option<PatchOperation>,
    apply_to: Option<ApplyTo>,
) -> Option<(&'static Rule, String)> {
    let route_level = matches!(
        apply_to,
        Some(ApplyTo::RouteConfiguration | ApplyTo::HttpRoute)
    );
    let replaceable = matches!(
        apply_to,
        Some(ApplyTo::NetworkFilter | ApplyTo::HttpFilter | ApplyTo::VirtualHost)
    );
    let name = apply_to_name(apply_to);
    match operation? {
        PatchOperation::Add if route_level => Some((
            &ADD_MISUSED,
            format!("the ADD operation is ignored when applyTo is {name}"),
        )),
        PatchOperation::Remove if route_level => Some((
            &REMOVE_MISUSED,
            format!("the REMOVE operation is ignored when applyTo is {name}"),
        )),
        PatchOperation::Replace if !replaceable => Some((
            &REPLACE_MISUSED,
            format!(
                "the REPLACE operation applies only to HTTP_FILTER, NETWORK_FILTER and VIRTUAL_HOST, not {name}"
            ),
        )),
        _ => None,
    }
}

/// Operations whose effect depends on what other patches did before.
fn is_relative(operation: Option<PatchOperation>) -> bool {
    matches!(
        operation,
        Some(
            PatchOperation::Remove
                | PatchOperation::Replace
                | PatchOperation::InsertBefore
                | PatchOperation::InsertAfter
        )
    )
}

fn relative_message(rule: &Rule) -> String {
    if std::ptr::eq(rule, &RELATIVE_WITH_PROXY_VERSION) {
        "this relative patch has no priority, and an earlier patch of the same filter is limited to a proxy version: it may stop applying during an upgrade; set priority, or use INSERT_FIRST or ADD".into()
    } else {
        "this relative patch has no priority, so whether it applies depends on the order EnvoyFilters are applied in; set priority, or use INSERT_FIRST or ADD".into()
    }
}

/// What a patch is about, as istioctl tells patches apart: the `name` of
/// the patch's value, else (for a value without one) the listener filter
/// it matches; empty when neither is given.
fn patched_filter(patch: &EnvoyConfigObjectPatch) -> String {
    let Some(value) = patch.patch.as_ref().and_then(|p| p.value.as_ref()) else {
        return String::new();
    };
    if let Some(name) = value.get("name") {
        return format!("value {name}");
    }
    patch
        .r#match
        .as_ref()
        .and_then(|m| m.listener.as_ref())
        .and_then(|l| l.filter_chain.as_ref())
        .map(|c| {
            let name = c.filter.as_ref().and_then(|f| f.name.as_deref());
            format!("filter {}", name.unwrap_or_default())
        })
        .unwrap_or_default()
}

fn apply_to_name(apply_to: Option<ApplyTo>) -> String {
    apply_to
        .and_then(|a| serde_json::to_value(a).ok())
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| "INVALID".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::{analyzer_tests, findings_of};

    fn filter(
        name: &str,
        priority: &str,
        apply_to: &str,
        operation: &str,
        extra_match: &str,
    ) -> String {
        format!(
            "apiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\nmetadata:\n  name: {name}\nspec:\n{priority}  configPatches:\n  - applyTo: {apply_to}\n    match:\n      context: SIDECAR_INBOUND\n{extra_match}    patch:\n      operation: {operation}\n      value:\n        name: envoy.lua\n---\n"
        )
    }

    analyzer_tests!(
        RELATIVE_OPERATION,
        &format!(
            "{}{}",
            filter("first", "", "HTTP_FILTER", "INSERT_FIRST", ""),
            filter(
                "ordered",
                "  priority: 5\n",
                "HTTP_FILTER",
                "INSERT_BEFORE",
                ""
            )
        )
    );

    #[test]
    fn operations_ignored_for_their_apply_to() {
        for rule in [&ADD_MISUSED, &REMOVE_MISUSED, &REPLACE_MISUSED] {
            insta::assert_snapshot!(rule.code, findings_of(rule, rule.example.yaml));
        }
        let fine = format!(
            "{}{}",
            filter(
                "merge",
                "  priority: 1\n",
                "ROUTE_CONFIGURATION",
                "MERGE",
                ""
            ),
            filter("swap", "  priority: 1\n", "VIRTUAL_HOST", "REPLACE", "")
        );
        for rule in [&ADD_MISUSED, &REMOVE_MISUSED, &REPLACE_MISUSED] {
            assert_eq!(findings_of(rule, &fine), "");
        }
    }

    #[test]
    fn a_versioned_patch_of_the_same_filter_comes_first() {
        let versioned = "      proxy: {proxyVersion: '^1\\.2.*'}\n";
        // The versioned patch after the relative one: istioctl compares
        // with the patches before.
        let after = format!(
            "{}{}",
            filter("relative", "", "HTTP_FILTER", "INSERT_AFTER", ""),
            filter("versioned", "", "HTTP_FILTER", "INSERT_FIRST", versioned)
        );
        assert_eq!(findings_of(&RELATIVE_WITH_PROXY_VERSION, &after), "");
        assert!(findings_of(&RELATIVE_OPERATION, &after).contains("relative"));
        insta::assert_snapshot!(findings_of(
            &RELATIVE_WITH_PROXY_VERSION,
            RELATIVE_WITH_PROXY_VERSION.example.yaml
        ));
    }
}
