//! ServiceEntry ports: names, numbers, protocols, and what plain TCP ports
//! need to be told apart (addresses, a single host).

use std::collections::BTreeSet;

use super::super::support::validate_port;
use super::super::{Findings, webhook_rule};
use super::KINDS;
use super::protocol::{Protocol, validate_port_name, validate_protocol};
use crate::model::istio::{Resolution, ServiceEntrySpec};
use crate::report::{Example, Rule};

pub static RULE: Rule = webhook_rule(
    "serviceentry-ports",
    KINDS,
    "ServiceEntry ports that Istio refuses: bad or repeated names and numbers, unknown protocols.",
    "Each port needs a unique number in 1..65535 and a unique name that is a DNS label; its protocol, \
     when set, must be one Istio knows (HTTP, HTTPS, HTTP2, GRPC, GRPC-Web, TLS, TCP, UDP, Mongo, \
     Redis, MySQL, HTTP_PROXY), and a `targetPort` must be in 1..65535. Plain TCP traffic carries no \
     host name, so a ServiceEntry with several hosts may only have HTTP or TLS ports unless its \
     resolution is NONE, and TCP ports without `addresses` (and without automatic IP allocation, which \
     resolution NONE turns off) draw a warning. A `targetPort` of 0 counts as unset.",
    Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: external\nspec:\n  hosts: [api.example.com, www.example.com]\n  resolution: DNS\n  ports:\n  - {number: 443, name: https, protocol: HTTPS}\n  - {number: 443, name: https, protocol: QUIC}\n  - {number: 8080, name: web_alt, protocol: TCP}\n",
        fires_at: &[
            "spec.ports[1].name",
            "spec.ports[1].number",
            "spec.ports[1].protocol",
            "spec.ports[2].name",
            "spec.ports",
        ],
    },
);

pub fn check(spec: &ServiceEntrySpec, found: &mut Findings) {
    let resolution = spec.resolution.unwrap_or(Resolution::None);
    let mut names = BTreeSet::new();
    let mut numbers = BTreeSet::new();
    for (i, port) in spec.ports.iter().enumerate() {
        let path = format!("spec.ports[{i}]");
        let name = port.name.as_deref().unwrap_or_default();
        let number = port.number.unwrap_or_default();
        let protocol = port.protocol.as_deref().unwrap_or_default();
        if !names.insert(name) {
            found.report(
                format!("{path}.name"),
                format!("service entry port name {name:?} already defined"),
            );
        } else if let Err(reason) = validate_port_name(name) {
            found.report(format!("{path}.name"), reason);
        }
        if !numbers.insert(number) {
            found.report(
                format!("{path}.number"),
                format!("service entry port {number} already defined"),
            );
        } else if let Err(reason) = validate_port(number) {
            found.report(format!("{path}.number"), reason);
        }
        // A zero targetPort means unset.
        if let Some(target) = port.target_port.filter(|t| *t != 0)
            && let Err(reason) = validate_port(target)
        {
            found.report(format!("{path}.targetPort"), reason);
        }
        if let Err(reason) = validate_protocol(protocol) {
            found.report(format!("{path}.protocol"), reason);
        }
        // Istio allocates addresses itself unless resolution is NONE.
        let tcp = protocol.is_empty() || protocol == "TCP";
        if tcp && spec.addresses.is_empty() && resolution == Resolution::None {
            found.warn(
                &path,
                "addresses are required for ports serving TCP (or unset) protocol when IP Autoallocation is not enabled",
            );
        }
    }
    check_shared_hosts(spec, resolution, found);
}

/// Several hosts on one plain TCP port cannot be told apart.
fn check_shared_hosts(spec: &ServiceEntrySpec, resolution: Resolution, found: &mut Findings) {
    if resolution == Resolution::None || spec.hosts.len() < 2 {
        return;
    }
    let protocols = || {
        spec.ports
            .iter()
            .map(|p| Protocol::parse(p.protocol.as_deref().unwrap_or_default()))
    };
    let dns = matches!(resolution, Resolution::Dns | Resolution::DnsRoundRobin);
    if dns && !spec.addresses.is_empty() && protocols().any(Protocol::is_tcp) {
        found.warn(
            "spec.hosts",
            "service entry can not have more than one host specified simultaneously with address and tcp port",
        );
    }
    if protocols().any(|p| !p.is_http() && !p.is_tls()) {
        found.report(
            "spec.ports",
            "multiple hosts provided with non-HTTP, non-TLS ports",
        );
    }
}

#[cfg(test)]
mod cases {
    use super::super::check_spec as check;

    #[test]
    fn ports() {
        assert_eq!(
            check(
                "  hosts: [a.com, b.com]\n  resolution: DNS\n  ports:\n  - {number: 80, name: http, protocol: http}\n  - {number: 443, name: https, protocol: TLS, targetPort: 8443}\n"
            ),
            ""
        );
        assert!(check("  hosts: [a.com]\n  resolution: DNS\n  ports: [{number: 80, name: http, protocol: HTTP, targetPort: 65536}]\n").contains("targetPort"));
        assert_eq!(
            check(
                "  hosts: [a.com]\n  resolution: DNS\n  ports: [{number: 80, name: http, protocol: HTTP, targetPort: 0}]\n"
            ),
            ""
        );
        assert_eq!(
            check(
                "  hosts: [a.com, b.com]\n  ports: [{number: 5432, name: pg, protocol: TCP}]\n  addresses: [10.0.0.1]\n"
            ),
            ""
        );
    }

    #[test]
    fn tcp_without_addresses_warns_for_resolution_none() {
        let out = check("  hosts: [db.example.com]\n  ports: [{number: 5432, name: pg}]\n");
        assert!(out.contains("addresses are required"));
        assert_eq!(
            check(
                "  hosts: [db.example.com]\n  resolution: DNS\n  ports: [{number: 5432, name: pg}]\n"
            ),
            ""
        );
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
