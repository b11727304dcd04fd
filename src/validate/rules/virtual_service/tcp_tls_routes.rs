//! TCP and TLS routes: their matches (SNI hosts, subnets, ports, source
//! labels, gateways) and that each has a destination.

use super::super::support::{validate_ip_subnet, validate_port, validate_wildcard_domain};
use super::super::{Findings, webhook_rule};
use super::KINDS;
use super::hosts_and_gateways::check_gateway_names;
use super::support::check_labels;
use crate::mesh::cidr::is_ip_address;
use crate::mesh::gateway;
use crate::model::StringMap;
use crate::model::istio::VirtualServiceSpec;
use crate::report::{Example, Rule};

pub static RULE: Rule = webhook_rule(
    "virtualservice-tcp-tls-routes",
    KINDS,
    "TCP or TLS routes Istio refuses.",
    "A TLS route needs at least one match and each match at least one SNI host; every SNI host must be \
     a DNS name (or `*.` wildcard) covered by one of the VirtualService's `hosts`, since the route can \
     only see traffic for those hosts (an IP address draws a warning: clients do not send IPs as SNI). \
     TCP and TLS routes need at least one `route` destination. In their matches, `destinationSubnets` \
     are IPs or CIDR blocks, `port` is 1-65535, `sourceLabels` are valid labels and `gateways` are \
     gateway names. Istio's webhook refuses the resource otherwise.",
    Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: egress\nspec:\n  hosts: [\"*.example.com\"]\n  tls:\n  - match:\n    - sniHosts: [api.example.org]\n      destinationSubnets: [10.0.0.0/33]\n    route:\n    - destination:\n        host: api.example.com\n  tcp:\n  - match:\n    - port: 0\n      sourceLabels:\n        app: \"-bad\"\n",
        fires_at: &[
            "spec.tls[0].match[0].sniHosts[0]",
            "spec.tls[0].match[0].destinationSubnets[0]",
            "spec.tcp[0].route",
            "spec.tcp[0].match[0].sourceLabels.app",
        ],
    },
);

/// Prefix of the SNI names Envoy generates for AUTO_PASSTHROUGH gateways:
/// `outbound_.80_._.reviews.default.svc.cluster.local`.
const GENERATED_SNI_PREFIX: &str = "outbound_";

/// What TCP and TLS matches share.
struct L4Match<'a> {
    destination_subnets: &'a [String],
    port: Option<u32>,
    source_labels: &'a StringMap,
    gateways: &'a [String],
}

pub fn check(spec: &VirtualServiceSpec, found: &mut Findings) {
    for (i, route) in spec.tls.iter().enumerate() {
        let path = format!("spec.tls[{i}]");
        if route.matches.is_empty() {
            found.report(&path, "TLS route must have at least one match condition");
        }
        for (j, matcher) in route.matches.iter().enumerate() {
            let at = format!("{path}.match[{j}]");
            if matcher.sni_hosts.is_empty() {
                found.report(&at, "TLS match must have at least one SNI host");
            }
            for (k, sni) in matcher.sni_hosts.iter().enumerate() {
                check_sni_host(sni, spec, &format!("{at}.sniHosts[{k}]"), found);
            }
            let l4 = L4Match {
                destination_subnets: &matcher.destination_subnets,
                port: matcher.port,
                source_labels: &matcher.source_labels,
                gateways: &matcher.gateways,
            };
            check_l4_match(&l4, &at, found);
        }
        if route.route.is_empty() {
            found.report(format!("{path}.route"), "TLS route is required");
        }
    }
    for (i, route) in spec.tcp.iter().enumerate() {
        let path = format!("spec.tcp[{i}]");
        for (j, matcher) in route.matches.iter().enumerate() {
            let l4 = L4Match {
                destination_subnets: &matcher.destination_subnets,
                port: matcher.port,
                source_labels: &matcher.source_labels,
                gateways: &matcher.gateways,
            };
            check_l4_match(&l4, &format!("{path}.match[{j}]"), found);
        }
        if route.route.is_empty() {
            found.report(format!("{path}.route"), "TCP route is required");
        }
    }
}

fn check_l4_match(matcher: &L4Match, path: &str, found: &mut Findings) {
    for (k, subnet) in matcher.destination_subnets.iter().enumerate() {
        if let Err(reason) = validate_ip_subnet(subnet) {
            found.report(format!("{path}.destinationSubnets[{k}]"), reason);
        }
    }
    // Port 0 is the protobuf default: no port match.
    if let Some(port) = matcher.port.filter(|p| *p != 0)
        && let Err(reason) = validate_port(port)
    {
        found.report(format!("{path}.port"), reason);
    }
    check_labels(
        matcher.source_labels,
        &format!("{path}.sourceLabels"),
        found,
    );
    check_gateway_names(matcher.gateways, &format!("{path}.gateways"), found);
}

fn check_sni_host(sni: &str, spec: &VirtualServiceSpec, path: &str, found: &mut Findings) {
    // Istio treats a VirtualService as gateway-bound unless it lists `mesh`
    // (even with no gateways), and gateways accept generated SNI names.
    let gateway_bound = !spec.gateways.iter().any(|g| g == gateway::MESH);
    let valid = if gateway_bound && sni.starts_with(GENERATED_SNI_PREFIX) {
        check_generated_sni(sni)
    } else {
        validate_wildcard_domain(sni)
    };
    if let Err(reason) = valid {
        if is_ip_address(sni) {
            found.warn(path, format!("using an IP address ({sni:?}) goes against SNI spec and most clients do not support this"));
        } else {
            found.report(path, reason);
        }
        return;
    }
    if !spec.hosts.iter().any(|host| subset_of(sni, host)) {
        found.report(
            path,
            format!("SNI host {sni:?} is not a compatible subset of any of the virtual service hosts: [{}]", spec.hosts.join(", ")),
        );
    }
}

/// `outbound_<port>_<subset>_<host>`: a port with a digit, a host with a letter.
fn check_generated_sni(sni: &str) -> Result<(), String> {
    if sni.len() > 255 {
        return Err(format!("domain name {sni:?} too long (max 255)"));
    }
    let parts: Vec<&str> = sni.split('_').collect();
    if parts.len() < 4 {
        return Err(format!(
            "domain name {sni} invalid, should follow 'outbound_<port>_<subset>_<hostname>' format"
        ));
    }
    let port = parts[1].trim_matches('.');
    let host = parts[3].trim_matches('.');
    if !port.bytes().any(|b| b.is_ascii_digit()) {
        return Err(format!(
            "domain name {sni:?} invalid (label {port:?} invalid)"
        ));
    }
    if !host.bytes().any(|b| b.is_ascii_alphabetic()) {
        return Err(format!(
            "domain name {sni:?} invalid (label {host:?} invalid)"
        ));
    }
    Ok(())
}

/// Whether `name` is covered by `host` (Istio's `host.Name.SubsetOf`).
fn subset_of(name: &str, host: &str) -> bool {
    match (name.strip_prefix('*'), host.strip_prefix('*')) {
        (Some(name_suffix), Some(host_suffix)) => {
            name.len() >= host.len() && name_suffix.ends_with(host_suffix)
        }
        (Some(_), None) => false,
        (None, Some(host_suffix)) => name.ends_with(host_suffix),
        (None, None) => name == host,
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);

#[cfg(test)]
mod cases {
    use super::subset_of;
    use crate::validate::test_support::findings_of;

    #[test]
    fn subsets_follow_istio() {
        assert!(subset_of("a.example.com", "*.example.com"));
        assert!(subset_of("*.a.example.com", "*.example.com"));
        assert!(!subset_of("*.example.com", "a.example.com"));
        assert!(subset_of("anything", "*"));
        assert!(!subset_of("*", "*.com"));
    }

    fn run(spec: &str) -> String {
        let yaml = format!(
            "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: r\nspec:\n{spec}"
        );
        findings_of(&super::RULE, &yaml)
    }

    #[test]
    fn valid_routes_pass() {
        assert_eq!(
            run(
                "  hosts: [\"*.example.com\"]\n  gateways: [gw]\n  tls:\n  - match:\n    - sniHosts: [a.example.com, \"outbound_.443_._.a.example.com\"]\n      port: 443\n      destinationSubnets: [10.0.0.0/8, 10.1.2.3]\n      gateways: [istio-system/gw]\n    route:\n    - destination: {host: a.example.com}\n  tcp:\n  - match: [{port: 27017, sourceLabels: {app: web}}]\n    route:\n    - destination: {host: mongo}\n"
            ),
            ""
        );
    }

    #[test]
    fn invalid_routes_fail() {
        insta::assert_snapshot!(run(
            "  hosts: [a.example.com]\n  gateways: [mesh]\n  tls:\n  - match: []\n    route:\n    - destination: {host: a}\n  - match:\n    - sniHosts: [\"10.0.0.1\", \"outbound_.443_._.a.example.com\", \"*.example.com\"]\n      port: 70000\n      gateways: [\"ns/Bad_Name\"]\n    route: []\n"
        ));
    }
}
