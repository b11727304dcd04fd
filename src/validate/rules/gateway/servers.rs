//! Gateway servers: hosts, ports, binds, and whether a server's protocol
//! goes with its TLS settings.

use super::super::support::{
    is_dns1123_label, validate_partial_wildcard, validate_port, validate_wildcard_domain,
};
use super::super::{Findings, webhook_rule};
use super::KINDS;
use crate::mesh::cidr::is_ip_address;
use crate::model::istio::{GatewaySpec, Port, Server, ServerTlsMode};
use crate::model::protocol::Protocol;
use crate::report::{Example, Rule};

pub static RULE: Rule = webhook_rule(
    "gateway-servers",
    KINDS,
    "Gateway servers with hosts, ports or binds that Istio refuses.",
    "A Gateway needs at least one server, and each server at least one host. Each host is \
     `dnsName` or `namespace/dnsName`, where the namespace is `*`, `.` or a namespace name and the \
     name is an FQDN (short names are refused), an IP address, `*`, or a wildcard as the whole first \
     label (`*.example.com`; `*foo.com` is a partial wildcard and refused). Ports need a name (unique \
     across the Gateway's servers), a number from 1 to 65535 (0 only on a `unix://` bind) and a known \
     protocol (HTTP, HTTPS, HTTP2, HTTP_PROXY, GRPC, GRPC-WEB, TCP, UDP, TLS, MONGO, REDIS, MYSQL, in \
     any case); `targetPort` has no effect on Gateways. `bind` is an IP address or a `unix://` socket \
     path. HTTPS and TLS servers need `tls` settings; plain-text servers may only use \
     `tls.httpsRedirect` (HTTP) or no `tls` at all. Istio's webhook refuses all of these.",
    Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: public\n  namespace: istio-ingress\nspec:\n  selector: {istio: ingressgateway}\n  servers:\n  - port: {number: 443, name: https, protocol: HTTPS}\n    hosts: [reviews, \"bookinfo/*foo.example.com\"]\n  - port: {number: 80, name: https, protocol: HTTPX}\n    hosts: [\"*\"]\n",
        fires_at: &[
            "spec.servers[0].hosts[0]",
            "spec.servers[0].hosts[1]",
            "spec.servers[0]",
            "spec.servers[1].port.protocol",
            "spec.servers[1].port.name",
        ],
    },
);

const UNIX_PREFIX: &str = "unix://";

pub fn check(spec: &GatewaySpec, found: &mut Findings) {
    if spec.servers.is_empty() {
        found.report("spec", "gateway must have at least one server");
    }
    for (i, server) in spec.servers.iter().enumerate() {
        check_server(server, &format!("spec.servers[{i}]"), found);
    }
    let mut names: Vec<&str> = Vec::new();
    for (i, server) in spec.servers.iter().enumerate() {
        let Some(port) = &server.port else { continue };
        let name = port.name.as_deref().unwrap_or_default();
        if names.contains(&name) {
            found.report(
                format!("spec.servers[{i}].port.name"),
                format!("port names in servers must be unique: duplicate name {name}"),
            );
        }
        names.push(name);
        let redirect = server.tls.as_ref().and_then(|t| t.https_redirect) == Some(true);
        if redirect && !protocol_of(port).is_http() {
            found.warn(
                format!("spec.servers[{i}].tls.httpsRedirect"),
                "tls.httpsRedirect should only be used with http servers",
            );
        }
    }
}

fn check_server(server: &Server, path: &str, found: &mut Findings) {
    if server.hosts.is_empty() {
        found.report(
            format!("{path}.hosts"),
            "server config must contain at least one host",
        );
    }
    for (j, host) in server.hosts.iter().enumerate() {
        for reason in host_problems(host) {
            found.report(format!("{path}.hosts[{j}]"), reason);
        }
    }
    let bind = server.bind.as_deref().unwrap_or_default();
    let port_valid = match &server.port {
        Some(port) => check_port(port, bind, &format!("{path}.port"), found),
        None => false,
    };
    check_bind(server, bind, path, found);
    // Istio judges the protocol against TLS only once the port is valid.
    let Some(port) = server.port.as_ref().filter(|_| port_valid) else {
        return;
    };
    let protocol = protocol_of(port);
    match &server.tls {
        None if protocol.is_tls() => found.report(
            path,
            "server must have TLS settings for HTTPS/TLS protocols",
        ),
        Some(tls) if !protocol.is_tls() => {
            let passthrough = matches!(
                tls.mode,
                None | Some(ServerTlsMode::Passthrough | ServerTlsMode::AutoPassthrough)
            );
            let certificates = [
                &tls.ca_certificates,
                &tls.private_key,
                &tls.server_certificate,
            ]
            .iter()
            .any(|v| v.as_deref().is_some_and(|v| !v.is_empty()));
            if !protocol.is_http() {
                found.report(
                    format!("{path}.tls"),
                    "server cannot have TLS settings for non HTTPS/TLS ports",
                );
            } else if !passthrough || certificates {
                found.report(
                    format!("{path}.tls"),
                    "server cannot have TLS settings for plain text HTTP ports",
                );
            }
        }
        _ => {}
    }
}

/// A host as Istio's gateway rules read it: `dnsName` or `namespace/dnsName`.
fn host_problems(host: &str) -> Vec<String> {
    let Some((namespace, name)) = host.split_once('/') else {
        return hostname_problems(host);
    };
    let mut problems = Vec::new();
    if namespace.is_empty() || name.is_empty() {
        problems.push("config namespace and dnsName in host entry cannot be empty".to_string());
    }
    if namespace != "*" && namespace != "." && !is_dns1123_label(namespace) {
        problems.push(format!("invalid namespace value {namespace:?} in gateway"));
    }
    problems.extend(hostname_problems(name));
    problems
}

/// An FQDN, `*`, a leading-wildcard name or an IP address.
fn hostname_problems(name: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if name != "*" && !name.contains('.') {
        problems.push(format!("short names (non FQDN) are not allowed: {name:?}"));
    }
    if let Err(reason) = validate_wildcard_domain(name)
        && !is_ip_address(name)
    {
        problems.push(reason);
    }
    if let Err(reason) = validate_partial_wildcard(name) {
        problems.push(reason);
    }
    problems
}

/// Checks the port; true when Istio would find nothing wrong with it.
fn check_port(port: &Port, bind: &str, path: &str, found: &mut Findings) -> bool {
    let mut valid = true;
    let protocol = port.protocol.as_deref().unwrap_or_default();
    if protocol_of(port) == Protocol::Unsupported {
        found.report(
            format!("{path}.protocol"),
            format!("invalid protocol {protocol:?}, supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP"),
        );
        valid = false;
    }
    let number = port.number.unwrap_or_default();
    if (number > 0 || !bind.starts_with(UNIX_PREFIX))
        && let Err(reason) = validate_port(number)
    {
        found.report(format!("{path}.number"), reason);
        valid = false;
    }
    if port.target_port.is_some_and(|t| t > 0) {
        found.report(
            format!("{path}.targetPort"),
            "targetPort has no impact on Gateways",
        );
        valid = false;
    }
    if port.name.as_deref().unwrap_or_default().is_empty() {
        found.report(format!("{path}.name"), "port name must be set");
        valid = false;
    }
    valid
}

fn check_bind(server: &Server, bind: &str, path: &str, found: &mut Findings) {
    let bind_path = format!("{path}.bind");
    if let Some(socket) = bind.strip_prefix(UNIX_PREFIX) {
        if let Err(reason) = validate_unix_address(socket) {
            found.report(&bind_path, reason);
        }
        if let Some(number) = server
            .port
            .as_ref()
            .and_then(|p| p.number)
            .filter(|n| *n != 0)
        {
            found.report(
                bind_path,
                format!("port number must be 0 for unix domain socket, found {number}"),
            );
        }
    } else if !bind.is_empty() && !is_ip_address(bind) {
        found.report(bind_path, format!("{bind} is not a valid IP"));
    }
}

/// An absolute path to a socket file, or an abstract socket (`@name`).
fn validate_unix_address(socket: &str) -> Result<(), String> {
    if socket.is_empty() {
        return Err("unix address must not be empty".into());
    }
    if socket.starts_with('@') || (socket.starts_with('/') && !socket.ends_with('/')) {
        return Ok(());
    }
    Err(format!("{socket} is not an absolute path to a file"))
}

/// The protocol a Gateway server port declares (Istio parses the name
/// ignoring case).
fn protocol_of(port: &Port) -> Protocol {
    Protocol::parse(port.protocol.as_deref().unwrap_or_default())
}

#[cfg(test)]
mod cases {
    use super::host_problems;
    use crate::validate::test_support::findings;

    #[test]
    fn hosts() {
        for good in [
            "*",
            "*.example.com",
            "example.com",
            "ns/example.com",
            "*/example.com",
            "./*",
            "10.0.0.1",
            "ns/*.example.com",
        ] {
            assert!(host_problems(good).is_empty(), "{good}");
        }
        for bad in [
            "reviews",
            "*foo.example.com",
            "foo.*.com",
            "/example.com",
            "ns/",
            "bad_ns/example.com",
            "ns/reviews",
            "~/example.com",
        ] {
            assert!(!host_problems(bad).is_empty(), "{bad}");
        }
    }

    fn gateway(servers: &str) -> String {
        format!(
            "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {{name: g, namespace: ns}}\nspec:\n  servers:\n{servers}"
        )
    }

    #[test]
    fn ports_binds_and_tls() {
        let good = [
            "  - {port: {number: 0, name: uds, protocol: HTTP}, bind: \"unix:///var/run/gw.sock\", hosts: [\"*\"]}\n",
            "  - {port: {number: 8080, name: http, protocol: http}, bind: 10.0.0.1, hosts: [\"*\"]}\n",
            "  - {port: {number: 443, name: tls, protocol: TLS}, hosts: [\"*\"], tls: {mode: PASSTHROUGH}}\n",
            "  - {port: {number: 80, name: http, protocol: HTTP}, hosts: [\"*\"], tls: {httpsRedirect: true}}\n",
        ];
        for servers in good {
            assert_eq!(findings(&gateway(servers)), "", "{servers}");
        }
        let bad = [
            "  - {port: {number: 80, name: uds, protocol: HTTP}, bind: \"unix://relative\", hosts: [\"*\"]}\n",
            "  - {port: {number: 80, name: http, protocol: HTTP}, bind: localhost, hosts: [\"*\"]}\n",
            "  - {port: {number: 0, name: http, protocol: HTTP}, hosts: [\"*\"]}\n",
            "  - {port: {number: 80, name: http, protocol: HTTP, targetPort: 8080}, hosts: [\"*\"]}\n",
            "  - {port: {number: 80, name: \"\", protocol: HTTP}, hosts: [\"*\"]}\n",
            "  - {port: {number: 80, name: http, protocol: HTTP}, hosts: [\"*\"], tls: {mode: SIMPLE, credentialName: c}}\n",
            "  - {port: {number: 80, name: tcp, protocol: TCP}, hosts: [\"*\"], tls: {mode: PASSTHROUGH}}\n",
            "  - {port: {number: 443, name: https, protocol: HTTPS}, hosts: [\"*\"], tls: {httpsRedirect: true}}\n",
        ];
        for servers in bad {
            assert!(findings(&gateway(servers)).contains("IST0"), "{servers}");
        }
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
