//! Sidecar as a whole: its workload selector, that it configures something,
//! and its outbound traffic policy.

use super::super::support::{
    is_dns1123_label, validate_fqdn, validate_port, validate_selector_labels,
};
use super::super::{Findings, webhook_rule};
use super::KINDS;
use crate::model::istio::{Destination, OutboundTrafficMode, SidecarSpec};
use crate::report::{Example, Rule};
use crate::validate::rules::destination_rule::labels::key_path;

pub static RULE: Rule = webhook_rule(
    "sidecar-config",
    KINDS,
    "An empty Sidecar, a bad workload selector, or an egress proxy Istio refuses.",
    "A Sidecar must set at least one of `ingress`, `egress`, `outboundTrafficPolicy` or \
     `inboundConnectionPool`. Workload selector labels may not be empty or contain `*`, and a selector \
     without labels applies to every workload in the namespace, which draws a warning. An \
     `outboundTrafficPolicy.egressProxy` only works with mode ALLOW_ANY and needs a DNS host name \
     (no wildcards), a port in 1..65535 and, if set, a subset name that is a DNS label.",
    Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n  name: default\nspec:\n  outboundTrafficPolicy:\n    mode: REGISTRY_ONLY\n    egressProxy: {host: egress.example.com, port: {number: 3128}}\n---\napiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n  name: proxy\nspec:\n  outboundTrafficPolicy:\n    mode: ALLOW_ANY\n    egressProxy: {host: \"*.example.com\"}\n",
        fires_at: &[
            "spec.outboundTrafficPolicy.egressProxy",
            "spec.outboundTrafficPolicy.egressProxy.host",
            "spec.outboundTrafficPolicy.egressProxy",
        ],
    },
);

pub fn check(spec: &SidecarSpec, found: &mut Findings) {
    if let Some(selector) = &spec.workload_selector {
        let (errors, warning) = validate_selector_labels(&selector.labels);
        // Istio stops at a bad selector.
        if !errors.is_empty() {
            for (key, problem) in errors {
                found.report(key_path("spec.workloadSelector.labels", &key), problem);
            }
            return;
        }
        if let Some(warning) = warning {
            found.warn(
                "spec.workloadSelector",
                format!("sidecar: {warning}, will be applied to all services in namespace"),
            );
        }
    }
    let empty = spec.egress.is_empty()
        && spec.ingress.is_empty()
        && spec.outbound_traffic_policy.is_none()
        && spec.inbound_connection_pool.is_none();
    if empty {
        found.report("spec", "sidecar: empty configuration provided");
        return;
    }
    let Some(policy) = &spec.outbound_traffic_policy else {
        return;
    };
    if let Some(proxy) = &policy.egress_proxy {
        let path = "spec.outboundTrafficPolicy.egressProxy";
        if policy.mode != Some(OutboundTrafficMode::AllowAny) {
            found.report(
                path,
                "sidecar: egressProxy must be set only with ALLOW_ANY outboundTrafficPolicy mode",
            );
            return;
        }
        check_egress_proxy(proxy, path, found);
    }
}

fn check_egress_proxy(proxy: &Destination, path: &str, found: &mut Findings) {
    let host = proxy.host.as_deref().unwrap_or_default();
    if let Err(reason) = validate_fqdn(host) {
        found.report(format!("{path}.host"), reason);
    }
    let Some(port) = &proxy.port else {
        found.report(path, "sidecar: egressProxy port must be set");
        return;
    };
    // Istio also runs its destination host check, which every FQDN passes.
    if let Some(subset) = &proxy.subset
        && !subset.is_empty()
        && !is_dns1123_label(subset)
    {
        found.report(
            format!("{path}.subset"),
            format!("subset name is invalid: {subset}"),
        );
    }
    if let Err(reason) = validate_port(port.number.unwrap_or_default()) {
        found.report(format!("{path}.port.number"), reason);
    }
}

#[cfg(test)]
mod cases {
    use crate::validate::test_support::findings;

    const HEAD: &str =
        "apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n  name: s\nspec:\n";

    fn check(body: &str) -> String {
        findings(&format!("{HEAD}{body}"))
    }

    #[test]
    fn sidecars() {
        assert_eq!(
            check(
                "  outboundTrafficPolicy:\n    mode: ALLOW_ANY\n    egressProxy: {host: egress.example.com, subset: v1, port: {number: 3128}}\n"
            ),
            ""
        );
        assert!(
            check("  workloadSelector: {labels: {}}\n  egress: [{hosts: [\"*/*\"]}]\n")
                .contains("will be applied to all services")
        );
        assert!(check("  workloadSelector: {labels: {app: \"*\"}}\n").contains("wildcard"));
        assert!(check("  workloadSelector: {labels: {app: a}}\n").contains("empty configuration"));
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
