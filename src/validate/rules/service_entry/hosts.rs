//! ServiceEntry hosts, addresses, exportTo and workload selector.

use super::super::support::{
    ExportToKind, validate_export_to, validate_ip_subnet, validate_partial_wildcard,
    validate_selector_labels, validate_wildcard_domain,
};
use super::super::{Findings, webhook_rule};
use super::KINDS;
use crate::model::istio::{Resolution, ServiceEntrySpec};
use crate::report::{Example, Rule};
use crate::validate::rules::destination_rule::labels::key_path;

pub static RULE: Rule = webhook_rule(
    "serviceentry-hosts",
    KINDS,
    "ServiceEntry hosts, addresses, exportTo or workload selector that Istio refuses.",
    "Each host must be a DNS name, optionally with a wildcard as its whole first label \
     (`*.example.com`); `*` alone is refused, and a wildcard inside a label (`*foo.com`) only works \
     with DYNAMIC_DNS, so Istio warns about it otherwise. `addresses` are IP addresses or CIDR blocks, \
     and CIDR blocks only make sense with resolution NONE or STATIC. `exportTo` entries are `.`, `*`, \
     `~` or namespace names without repeats, `*` and `~` alone. Workload selector labels may not be \
     empty or contain `*`; a selector without labels selects every workload, which draws a warning.",
    Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: external\nspec:\n  hosts: [\"*\", \"api_v1.example.com\"]\n  addresses: [10.0.0.0/8, 10.0.0.300]\n  resolution: DNS\n  ports:\n  - {number: 443, name: https, protocol: TLS}\n  exportTo: [\"~\", \".\"]\n",
        fires_at: &[
            "spec.hosts[0]",
            "spec.hosts[1]",
            "spec.addresses",
            "spec.addresses[1]",
            "spec.exportTo",
        ],
    },
);

pub fn check(spec: &ServiceEntrySpec, found: &mut Findings) {
    let resolution = spec.resolution.unwrap_or(Resolution::None);
    for (i, host) in spec.hosts.iter().enumerate() {
        let path = format!("spec.hosts[{i}]");
        if host == "*" {
            found.report(
                path,
                "invalid host *: a service entry may not use the full wildcard",
            );
            continue;
        }
        if let Err(reason) = validate_wildcard_domain(host) {
            found.report(&path, reason);
        }
        if resolution != Resolution::DynamicDns
            && let Err(reason) = validate_partial_wildcard(host)
        {
            found.warn(path, reason);
        }
    }
    for (i, address) in spec.addresses.iter().enumerate() {
        if let Err(reason) = validate_ip_subnet(address) {
            found.report(format!("spec.addresses[{i}]"), reason);
        }
    }
    let cidr = spec.addresses.iter().any(|a| a.contains('/'));
    if cidr && !matches!(resolution, Resolution::None | Resolution::Static) {
        found.report(
            "spec.addresses",
            "CIDR addresses are allowed only for NONE/STATIC resolution types",
        );
    }
    let namespace = found.namespace().to_string();
    for (index, problem) in
        validate_export_to(&namespace, &spec.export_to, ExportToKind::ServiceEntry)
    {
        let path = index.map_or("spec.exportTo".to_string(), |i| {
            format!("spec.exportTo[{i}]")
        });
        found.report(path, problem);
    }
    if let Some(selector) = &spec.workload_selector {
        let (errors, warning) = validate_selector_labels(&selector.labels);
        for (key, problem) in errors {
            found.report(key_path("spec.workloadSelector.labels", &key), problem);
        }
        if let Some(warning) = warning {
            found.warn(
                "spec.workloadSelector",
                format!("service entry: {warning}, will be applied to all services in namespace"),
            );
        }
    }
}

#[cfg(test)]
mod cases {
    use super::super::check_spec as check;

    #[test]
    fn hosts() {
        let ports = "  ports: [{number: 80, name: http, protocol: HTTP}]\n";
        assert_eq!(check(&format!("  hosts: [\"*.example.com\"]\n{ports}")), "");
        assert!(
            check(&format!("  hosts: [\"*foo.example.com\"]\n{ports}"))
                .contains("partial wildcard")
        );
        assert_eq!(
            check(&format!(
                "  hosts: [\"*foo.example.com\"]\n  resolution: DYNAMIC_DNS\n{ports}"
            )),
            ""
        );
    }

    #[test]
    fn addresses() {
        let body = "  hosts: [db.internal]\n  addresses: [10.1.0.0/16, \"2001:db8::1\"]\n  resolution: STATIC\n  endpoints: [{address: 10.1.0.5}]\n  ports: [{number: 5432, name: tcp, protocol: TCP}]\n";
        assert_eq!(check(body), "");
        assert!(check("  hosts: [a.com]\n  addresses: [db.internal]\n  ports: [{number: 80, name: http, protocol: HTTP}]\n").contains("not a valid IP"));
    }

    #[test]
    fn export_to_none() {
        let body = "  hosts: [a.com]\n  exportTo: [\"~\"]\n  ports: [{number: 80, name: http, protocol: HTTP}]\n";
        assert_eq!(check(body), "");
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
