//! VirtualService hosts and gateway references, and what a delegate (a
//! VirtualService without hosts) may not have.

use super::super::support::{is_dns1123_label, validate_fqdn, validate_wildcard_domain};
use super::super::{Findings, webhook_rule};
use super::KINDS;
use crate::mesh::cidr::is_ip_address;
use crate::mesh::gateway::{self, GatewayRef, binds_mesh};
use crate::mesh::host::OverlapIndex;
use crate::model::istio::VirtualServiceSpec;
use crate::report::{Example, Rule};

pub static RULE: Rule = webhook_rule(
    "virtualservice-hosts",
    KINDS,
    "VirtualService hosts or gateway references that Istio refuses.",
    "Each host must be a DNS name, optionally with a wildcard as its whole first label (`*.example.com`), \
     or an IP address. `*` alone may not be used for the mesh gateway, hosts may not overlap each other \
     (`*.example.com` and `api.example.com`), and a VirtualService needs at least one of `http`, `tcp` \
     or `tls`. Gateways are named `name`, `namespace/name` or `mesh` (Istio checks the list only up to \
     the first name without a `/`, so we do too). A VirtualService with no hosts is \
     a delegate: it may not name gateways or have `tcp` or `tls` routes. Istio's webhook refuses all of these.",
    Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [\"*\", reviews.default.svc.cluster.local, \"api_v1.example.com\"]\n  gateways: [\"bad_ns/gateway\", mesh]\n  http:\n  - route:\n    - destination:\n        host: reviews\n",
        fires_at: &["spec.hosts[0]", "spec.hosts[2]", "spec.gateways[0]"],
    },
);

pub fn check(spec: &VirtualServiceSpec, found: &mut Findings) {
    // Listing `mesh` (or no gateway at all) makes the hosts mesh hosts.
    let bound_to_gateway = !binds_mesh(&spec.gateways);
    let sni_routes = spec
        .tls
        .iter()
        .any(|t| t.matches.iter().any(|m| !m.sni_hosts.is_empty()));
    if spec.hosts.is_empty() {
        check_delegate(spec, found);
    }
    let mut all_valid = true;
    for (i, host) in spec.hosts.iter().enumerate() {
        if let Err(reason) = validate_wildcard_domain(host) {
            let generated_sni = bound_to_gateway && sni_routes && auto_generated_sni_host(host);
            if !(is_ip_address(host) || generated_sni) {
                found.report(format!("spec.hosts[{i}]"), reason);
                all_valid = false;
            }
        } else if host == "*" && !bound_to_gateway {
            found.report(
                format!("spec.hosts[{i}]"),
                "wildcard host * is not allowed for virtual services bound to the mesh gateway",
            );
            all_valid = false;
        }
    }
    if all_valid {
        report_overlapping_hosts(&spec.hosts, found);
    }
    if spec.http.is_empty() && spec.tcp.is_empty() && spec.tls.is_empty() {
        found.report(
            "spec",
            "http, tcp or tls must be provided in virtual service",
        );
    }
    check_gateway_names(&spec.gateways, "spec.gateways", found);
}

/// How many overlapping partners of one host are named, one finding each,
/// before the rest are counted in one more: 80,000 copies of `*` must not
/// print 3 billion findings.
const PARTNERS_LISTED: usize = 5;

/// Each pair of overlapping hosts, at the first of the two, as Istio reports
/// them.
fn report_overlapping_hosts(hosts: &[String], found: &mut Findings) {
    let index = OverlapIndex::new(hosts);
    for (i, host) in hosts.iter().enumerate() {
        let (partners, total) = index.overlapping_after(hosts, i, PARTNERS_LISTED);
        for &j in &partners {
            found.report(
                format!("spec.hosts[{i}]"),
                format!("duplicate hosts in virtual service: {host} & {}", hosts[j]),
            );
        }
        if total > partners.len() {
            found.report(
                format!("spec.hosts[{i}]"),
                format!(
                    "duplicate hosts in virtual service: {host} also overlaps {} more hosts listed after it",
                    total - partners.len()
                ),
            );
        }
    }
}

fn check_delegate(spec: &VirtualServiceSpec, found: &mut Findings) {
    if !spec.gateways.is_empty() {
        found.report(
            "spec.gateways",
            "delegate virtual service must have no gateways specified",
        );
    }
    if !spec.tls.is_empty() {
        found.report(
            "spec.tls",
            "delegate virtual service must have no tls route specified",
        );
    }
    if !spec.tcp.is_empty() {
        found.report(
            "spec.tcp",
            "delegate virtual service must have no tcp route specified",
        );
    }
}

/// `outbound_.80_._.reviews.default.svc.cluster.local`: the SNI names Envoy
/// generates for AUTO_PASSTHROUGH gateways, which gateway-bound TLS hosts may use.
/// Istio only asks that the port part contain a digit and the host part a
/// letter (`1-reviews` is a valid service name).
fn auto_generated_sni_host(host: &str) -> bool {
    let parts: Vec<&str> = host.split('_').collect();
    host.len() <= 255
        && parts.len() >= 4
        && parts[0] == "outbound"
        && parts[1].bytes().any(|b| b.is_ascii_digit())
        && parts[3].bytes().any(|b| b.is_ascii_alphabetic())
}

/// A list of gateway references (`path` is the list's field). Istio stops
/// at the first name without a `/` (`mesh`, `name`, `name.ns`): the names
/// after it are not checked, so we do not check them either.
pub fn check_gateway_names(gateways: &[String], path: &str, found: &mut Findings) {
    for (i, gateway) in gateways.iter().enumerate() {
        let short_form = !gateway.contains('/');
        check_gateway_name(gateway, &format!("{path}[{i}]"), found);
        if short_form {
            return;
        }
    }
}

/// A gateway reference: `mesh`, `name` (in this namespace), `ns/name`, or
/// the legacy `name.ns` form (accepted with a warning).
fn check_gateway_name(gateway: &str, path: &str, found: &mut Findings) {
    let Some((namespace, name)) = gateway.split_once('/') else {
        if let (true, GatewayRef::Named { namespace, name }) =
            (gateway.contains('.'), gateway::resolve(gateway, ""))
        {
            found.warn(
                path,
                format!("using legacy gatewayName format {gateway:?}; prefer the <namespace>/<name> format: \"{namespace}/{name}\""),
            );
        }
        if let Err(reason) = validate_fqdn(gateway) {
            found.report(path, reason);
        }
        return;
    };
    if namespace.is_empty() || name.is_empty() {
        found.report(path, "config namespace and gateway name cannot be empty");
        return;
    }
    if !is_dns1123_label(namespace) {
        found.report(path, format!("invalid value for namespace: {namespace:?}"));
    }
    if !is_dns1123_label(name) {
        found.report(path, format!("invalid value for gateway name: {name:?}"));
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);

#[cfg(test)]
mod overlap_tests {
    use crate::validate::test_support::findings;

    fn vs_with_hosts(hosts: &[&str]) -> String {
        format!(
            "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {{name: r, namespace: default}}\nspec:\n  hosts: [{}]\n  http:\n  - route: [{{destination: {{host: foo.baz}}}}]\n",
            hosts
                .iter()
                .map(|h| format!("\"{h}\""))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }

    #[test]
    fn each_overlapping_pair_is_reported_at_its_first_host() {
        insta::assert_snapshot!(findings(&vs_with_hosts(&[
            "*.com", "a.com", "b.org", "*.b.org", "a.com"
        ])));
    }

    #[test]
    fn a_host_names_five_partners_and_counts_the_rest() {
        let hosts = vec!["*.example.com"; 9];
        let found = findings(&vs_with_hosts(&hosts));
        let first: Vec<&str> = found
            .lines()
            .filter(|l| l.contains("spec.hosts[0]"))
            .collect();
        assert_eq!(first.len(), 6, "{found}");
        assert!(
            first[5].ends_with("also overlaps 3 more hosts listed after it"),
            "{found}"
        );
    }
}
