//! ServiceEntry resolution modes and the endpoints, hosts and selectors
//! each mode allows.

use std::collections::BTreeSet;

use super::super::support::{validate_fqdn, validate_port};
use super::super::{Findings, webhook_rule};
use super::KINDS;
use super::protocol::{Protocol, UNIX_PREFIX, validate_port_name, validate_unix_address};
use crate::mesh::cidr::is_ip_address;
use crate::model::istio::{Resolution, ServiceEntrySpec, WorkloadEntry};
use crate::report::{Example, Rule};
use crate::validate::rules::destination_rule::labels::{key_path, validate_labels};

pub static RULE: Rule = webhook_rule(
    "serviceentry-resolution",
    KINDS,
    "ServiceEntry endpoints, hosts or selectors that its resolution mode does not allow.",
    "`endpoints` and `workloadSelector` exclude each other. Resolution NONE takes no endpoints. STATIC \
     endpoints are IP addresses or `unix://` sockets (absolute paths or `@abstract` names, with no \
     ports and exactly one service port). DNS endpoints are IP addresses or host names, and without \
     endpoints every host must be a plain DNS name, since it is what gets resolved; DNS_ROUND_ROBIN \
     takes at most one endpoint. DYNAMIC_DNS needs wildcard hosts, no addresses or endpoints, and \
     HTTP, HTTP2, GRPC or TLS ports. Endpoint ports must name ports the ServiceEntry declares, with \
     numbers in 1..65535, and endpoint labels must be valid Kubernetes labels.",
    Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: db\nspec:\n  hosts: [db.internal]\n  resolution: STATIC\n  ports:\n  - {number: 5432, name: pg, protocol: TCP}\n  addresses: [10.1.0.10]\n  endpoints:\n  - address: db-1.internal\n  - address: 10.1.0.12\n    ports: {postgres: 5432}\n",
        fires_at: &[
            "spec.endpoints[0].address",
            "spec.endpoints[1].ports.postgres",
        ],
    },
);

pub fn check(spec: &ServiceEntrySpec, found: &mut Findings) {
    if spec.workload_selector.is_some() && !spec.endpoints.is_empty() {
        found.report(
            "spec.endpoints",
            "only one of workloadSelector or endpoints is allowed in a service entry",
        );
    }
    let port_names: BTreeSet<&str> = spec
        .ports
        .iter()
        .filter_map(|p| p.name.as_deref())
        .collect();
    match spec.resolution.unwrap_or(Resolution::None) {
        Resolution::None => {
            if !spec.endpoints.is_empty() {
                found.report(
                    "spec.endpoints",
                    "no endpoints should be provided for resolution type NONE",
                );
            }
            if spec.workload_selector.is_some() {
                found.warn(
                    "spec.workloadSelector",
                    "workloadSelector should not be set when resolution mode is NONE",
                );
            }
        }
        Resolution::Static => {
            for (i, endpoint) in spec.endpoints.iter().enumerate() {
                check_static_endpoint(
                    endpoint,
                    &port_names,
                    &format!("spec.endpoints[{i}]"),
                    found,
                );
            }
        }
        resolution @ (Resolution::Dns | Resolution::DnsRoundRobin) => {
            check_dns(spec, resolution, &port_names, found)
        }
        Resolution::DynamicDns => check_dynamic_dns(spec, found),
    }
}

/// A STATIC endpoint: an IP address or a unix domain socket.
fn check_static_endpoint(
    endpoint: &WorkloadEntry,
    port_names: &BTreeSet<&str>,
    path: &str,
    found: &mut Findings,
) {
    let address = endpoint.address.as_deref().unwrap_or_default();
    if address.is_empty() {
        match &endpoint.network {
            Some(network) if !network.is_empty() => {
                found.warn(path, format!("address is unset with network {network:?}"));
            }
            _ => {
                found.report(path, "address is required");
                return;
            }
        }
    }
    let at = format!("{path}.address");
    if let Some(socket) = address.strip_prefix(UNIX_PREFIX) {
        if let Err(reason) = validate_unix_address(socket) {
            found.report(&at, reason);
        }
        if !endpoint.ports.is_empty() {
            found.report(
                format!("{path}.ports"),
                format!("unix endpoint {address} must not include ports"),
            );
        }
        if port_names.len() != 1 {
            found.report(&at, "exactly 1 service port required for unix endpoints");
        }
    } else if !address.is_empty() && !is_ip_address(address) {
        found.report(
            at,
            format!("endpoint address {address:?} is not a valid IP address"),
        );
    }
    check_endpoint_ports_and_labels(endpoint, port_names, path, found);
}

fn check_endpoint_ports_and_labels(
    endpoint: &WorkloadEntry,
    port_names: &BTreeSet<&str>,
    path: &str,
    found: &mut Findings,
) {
    let ports = format!("{path}.ports");
    for (name, number) in &endpoint.ports {
        let at = key_path(&ports, name);
        if !port_names.contains(name.as_str()) {
            found.report(
                &at,
                format!("endpoint port {name:?} ({number}) is not defined by the service entry"),
            );
        }
        if let Err(reason) = validate_port_name(name) {
            found.report(&at, reason);
        }
        if let Err(reason) = validate_port(*number) {
            found.report(&at, reason);
        }
    }
    for (key, problem) in validate_labels(&endpoint.labels) {
        found.report(key_path(&format!("{path}.labels"), key), problem);
    }
}

fn check_dns(
    spec: &ServiceEntrySpec,
    resolution: Resolution,
    port_names: &BTreeSet<&str>,
    found: &mut Findings,
) {
    let mode = if resolution == Resolution::Dns {
        "DNS"
    } else {
        "DNS_ROUND_ROBIN"
    };
    if spec.endpoints.is_empty() {
        // Without endpoints the hosts themselves are resolved: no wildcards.
        let bad = spec
            .hosts
            .iter()
            .enumerate()
            .find_map(|(i, h)| Some((i, validate_fqdn(h).err()?)));
        if let Some((i, reason)) = bad {
            found.report(
                format!("spec.hosts[{i}]"),
                format!("hosts must be FQDN or contain only prefix wildcards if no endpoints are provided for resolution mode {mode}, {reason}"),
            );
        }
    }
    if resolution == Resolution::DnsRoundRobin && spec.endpoints.len() > 1 {
        found.report(
            "spec.endpoints",
            format!("there must only be 0 or 1 endpoint for resolution mode {mode}"),
        );
    }
    for (i, endpoint) in spec.endpoints.iter().enumerate() {
        let path = format!("spec.endpoints[{i}]");
        let address = endpoint.address.as_deref().unwrap_or_default();
        if !is_ip_address(address) && validate_fqdn(address).is_err() {
            let at = if endpoint.address.is_some() {
                format!("{path}.address")
            } else {
                path.clone()
            };
            found.report(
                at,
                format!("endpoint address {address:?} is not a valid FQDN or an IP address"),
            );
        }
        check_endpoint_ports_and_labels(endpoint, port_names, &path, found);
    }
}

fn check_dynamic_dns(spec: &ServiceEntrySpec, found: &mut Findings) {
    const MODE: &str = "DYNAMIC_DNS";
    for (i, host) in spec.hosts.iter().enumerate() {
        if !host.starts_with('*') {
            found.report(
                format!("spec.hosts[{i}]"),
                format!("host {host:?} must be wildcarded for resolution mode {MODE}"),
            );
        }
    }
    if !spec.addresses.is_empty() {
        found.report("spec.addresses", format!("addresses cannot be set for resolution type {MODE}; HTTP route domains are only generated from the hosts"));
    }
    if !spec.endpoints.is_empty() {
        found.report("spec.endpoints", format!("endpoints cannot be set for resolution type {MODE}; the destination address comes from the hosts"));
    }
    for (i, port) in spec.ports.iter().enumerate() {
        let protocol = Protocol::parse(port.protocol.as_deref().unwrap_or_default());
        if !matches!(
            protocol,
            Protocol::Http | Protocol::Tls | Protocol::Grpc | Protocol::Http2
        ) {
            found.report(
                format!("spec.ports[{i}].protocol"),
                format!("only HTTP, TLS, GRPC, and HTTP2 protocols are supported for resolution type {MODE}"),
            );
        }
    }
}

#[cfg(test)]
mod cases {
    use super::super::check_spec as check;

    #[test]
    fn static_endpoints() {
        let ports = "  ports: [{number: 80, name: http, protocol: HTTP}]\n";
        assert_eq!(
            check(&format!(
                "  hosts: [a.internal]\n  resolution: STATIC\n{ports}  endpoints:\n  - address: unix:///var/run/a.sock\n  - address: \"unix://@abstract\"\n    labels: {{app: a}}\n"
            )),
            ""
        );
        assert!(check(&format!("  hosts: [a.internal]\n  resolution: STATIC\n{ports}  endpoints:\n  - address: unix://relative.sock\n")).contains("absolute path"));
        assert!(check(&format!("  hosts: [a.internal]\n  resolution: STATIC\n{ports}  endpoints:\n  - labels: {{app: a}}\n")).contains("address is required"));
        assert!(check(&format!("  hosts: [a.internal]\n  resolution: STATIC\n{ports}  endpoints:\n  - {{network: n1}}\n")).contains("address is unset"));
    }

    #[test]
    fn dns_modes() {
        let ports = "  ports: [{number: 80, name: http, protocol: HTTP}]\n";
        assert_eq!(
            check(&format!(
                "  hosts: [\"*.a.com\"]\n  resolution: DNS\n{ports}  endpoints: [{{address: lb.a.com, ports: {{http: 8080}}}}]\n"
            )),
            ""
        );
        assert!(
            check(&format!(
                "  hosts: [\"*.a.com\"]\n  resolution: DNS\n{ports}"
            ))
            .contains("hosts must be FQDN")
        );
        assert!(check(&format!("  hosts: [a.com]\n  resolution: DNS_ROUND_ROBIN\n{ports}  endpoints: [{{address: a.com}}, {{address: b.com}}]\n")).contains("0 or 1 endpoint"));
        assert!(
            check(&format!(
                "  hosts: [a.com]\n  resolution: NONE\n{ports}  endpoints: [{{address: 1.1.1.1}}]\n"
            ))
            .contains("resolution type NONE")
        );
    }

    #[test]
    fn dynamic_dns() {
        assert_eq!(
            check(
                "  hosts: [\"*.a.com\"]\n  resolution: DYNAMIC_DNS\n  ports: [{number: 443, name: tls, protocol: TLS}]\n"
            ),
            ""
        );
        let out = check(
            "  hosts: [a.com]\n  resolution: DYNAMIC_DNS\n  ports: [{number: 443, name: tcp, protocol: TCP}]\n",
        );
        assert!(out.contains("must be wildcarded") && out.contains("only HTTP, TLS"));
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
