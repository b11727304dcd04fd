//! Sidecar ingress listeners: ports, binds, default endpoints, TLS and
//! connection pools.

use std::collections::BTreeSet;

use super::super::destination_rule::connection_pool::check_connection_pool;
use super::super::gateway::tls::check_tls_options;
use super::super::service_entry::protocol::Protocol;
use super::super::support::validate_port;
use super::super::{Findings, webhook_rule};
use super::{KINDS, check_port, validate_unix_address};
use crate::model::istio::{IstioIngressListener, ServerTlsMode, ServerTlsSettings, SidecarSpec};
use crate::report::{Example, Rule};

/// The hosts a default endpoint may forward to: the workload's loopback or
/// any address, IPv4 or IPv6.
const ENDPOINT_HOSTS: &[&str] = &["", "127.0.0.1", "0.0.0.0", "::1", "::"];

pub static RULE: Rule = webhook_rule(
    "sidecar-ingress",
    KINDS,
    "Sidecar ingress listeners or inbound connection pools that Istio refuses.",
    "Each ingress listener needs a unique, valid port number, a known protocol, a DNS-label port name \
     and, when set, an IP `bind`; `targetPort` has no effect on Sidecars and is refused. The \
     `defaultEndpoint` must be `127.0.0.1:<port>`, `0.0.0.0:<port>`, `[::1]:<port>`, `[::]:<port>` or \
     `unix://<absolute path>`. Ingress TLS needs an HTTPS or TLS port and file certificates \
     (`serverCertificate` and `privateKey`, plus `caCertificates` for MUTUAL): credential names, \
     `subjectAltNames`, `httpsRedirect` and the ISTIO_MUTUAL and AUTO_PASSTHROUGH modes are not \
     supported here; certificates in PASSTHROUGH mode (the default) and TLS below 1.2 without \
     `cipherSuites` draw warnings. Connection pools follow the DestinationRule rules, and HTTP pool settings on a \
     non-HTTP port only draw a warning since just the TCP ones apply.",
    Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n  name: ratings\nspec:\n  ingress:\n  - port: {number: 9080, protocol: HTTP, name: http}\n    defaultEndpoint: 10.0.0.5:8080\n  - port: {number: 9080, protocol: HTTP, name: http-alt}\n    defaultEndpoint: 127.0.0.1:8080\n    tls: {mode: SIMPLE, credentialName: ratings-cert}\n",
        fires_at: &[
            "spec.ingress[0].defaultEndpoint",
            "spec.ingress[1].port.number",
            "spec.ingress[1].tls",
            "spec.ingress[1].tls.credentialName",
        ],
    },
);

pub fn check(spec: &SidecarSpec, found: &mut Findings) {
    let mut ports = BTreeSet::new();
    for (i, listener) in spec.ingress.iter().enumerate() {
        let path = format!("spec.ingress[{i}]");
        let Some(port) = &listener.port else {
            found.report(&path, "sidecar: port is required for ingress listeners");
            continue;
        };
        check_port(port, listener.bind.as_deref(), &path, found);
        let number = port.number.unwrap_or_default();
        if let Err(reason) = validate_port(number) {
            found.report(format!("{path}.port.number"), reason);
        } else if !ports.insert(number) {
            found.report(
                format!("{path}.port.number"),
                format!(
                    "sidecar: ports on IP bound listeners must be unique, {number} is repeated"
                ),
            );
        }
        if let Some(endpoint) = &listener.default_endpoint
            && !endpoint.is_empty()
        {
            check_default_endpoint(endpoint, &format!("{path}.defaultEndpoint"), found);
        }
        let protocol = Protocol::parse(port.protocol.as_deref().unwrap_or_default());
        if let Some(tls) = &listener.tls {
            check_tls(tls, protocol, &format!("{path}.tls"), found);
        }
        check_pool(listener, protocol, &path, found);
    }
    if let Some(pool) = &spec.inbound_connection_pool {
        check_connection_pool(pool, "spec.inboundConnectionPool", found);
    }
}

/// `host:port` for a loopback or any-address host, or a unix socket.
fn check_default_endpoint(endpoint: &str, path: &str, found: &mut Findings) {
    if let Some(socket) = endpoint.strip_prefix("unix://") {
        if let Err(reason) = validate_unix_address(socket) {
            found.report(path, reason);
        }
        return;
    }
    let Some((host, port)) = split_host_port(endpoint) else {
        found.report(
            path,
            format!("sidecar: defaultEndpoint {endpoint:?} is not of the form host:port"),
        );
        return;
    };
    if !ENDPOINT_HOSTS.contains(&host) {
        found.report(path, "sidecar: defaultEndpoint must be of form 127.0.0.1:<port>,0.0.0.0:<port>,[::1]:port,[::]:port,unix://filepath or unset");
    }
    match port.parse::<u32>() {
        Ok(number) => {
            if let Err(reason) = validate_port(number) {
                found.report(path, reason);
            }
        }
        Err(_) => found.report(
            path,
            format!("sidecar: defaultEndpoint port ({port}) is not a number"),
        ),
    }
}

/// Go's `net.SplitHostPort`: `host:port` or `[ipv6]:port`; a bare IPv6
/// address (several colons, no brackets) is refused.
fn split_host_port(text: &str) -> Option<(&str, &str)> {
    if let Some(rest) = text.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        return Some((host, after.strip_prefix(':')?));
    }
    let (host, port) = text.rsplit_once(':')?;
    (!host.contains(':') && !host.contains(['[', ']'])).then_some((host, port))
}

fn check_tls(tls: &ServerTlsSettings, protocol: Protocol, path: &str, found: &mut Findings) {
    let unsupported = [
        (
            !tls.subject_alt_names.is_empty(),
            "subjectAltNames",
            "sidecar: subjectAltNames is not supported in ingress tls",
        ),
        (
            tls.https_redirect == Some(true),
            "httpsRedirect",
            "sidecar: httpsRedirect is not supported",
        ),
        (
            tls.credential_name
                .as_deref()
                .is_some_and(|c| !c.is_empty()),
            "credentialName",
            "sidecar: credentialName is not currently supported",
        ),
        (
            !tls.credential_names.is_empty(),
            "credentialNames",
            "sidecar: credentialNames is not currently supported",
        ),
        (
            !tls.tls_certificates.is_empty(),
            "tlsCertificates",
            "sidecar: tlsCertificates is not currently supported",
        ),
    ];
    for (present, field, message) in unsupported {
        if present {
            found.report(format!("{path}.{field}"), message);
        }
    }
    let mode = tls.mode.unwrap_or(ServerTlsMode::Passthrough);
    if matches!(
        mode,
        ServerTlsMode::IstioMutual | ServerTlsMode::AutoPassthrough
    ) {
        found.report(format!("{path}.mode"), "configuration is invalid: cannot set mode to ISTIO_MUTUAL or AUTO_PASSTHROUGH in sidecar ingress tls");
    }
    if !protocol.is_tls() {
        found.report(
            path,
            "server cannot have TLS settings for non HTTPS/TLS ports",
        );
    }
    check_certificates(tls, mode, path, found);
}

/// The part of Istio's server TLS checks that applies without credential
/// names: terminating modes need file certificates.
fn check_certificates(
    tls: &ServerTlsSettings,
    mode: ServerTlsMode,
    path: &str,
    found: &mut Findings,
) {
    let set = |value: &Option<String>| value.as_deref().is_some_and(|v| !v.is_empty());
    check_tls_options(tls, path, found);
    let files = [
        &tls.server_certificate,
        &tls.private_key,
        &tls.ca_certificates,
        &tls.ca_crl,
    ];
    let credentials = set(&tls.credential_name)
        || !tls.credential_names.is_empty()
        || !tls.tls_certificates.is_empty();
    if mode == ServerTlsMode::Passthrough && (credentials || files.into_iter().any(set)) {
        found.warn(
            path,
            "PASSTHROUGH mode does not use certificates, they will be ignored",
        );
    }
    if credentials {
        return;
    }
    let terminates = matches!(
        mode,
        ServerTlsMode::Simple | ServerTlsMode::Mutual | ServerTlsMode::OptionalMutual
    );
    if terminates {
        let what = if mode == ServerTlsMode::Simple {
            "SIMPLE TLS"
        } else {
            "MUTUAL TLS"
        };
        if mode != ServerTlsMode::Simple && !set(&tls.ca_certificates) {
            found.report(path, format!("{what} requires a client CA bundle"));
        }
        if !set(&tls.server_certificate) {
            found.report(path, format!("{what} requires a server certificate"));
        }
        if !set(&tls.private_key) {
            found.report(path, format!("{what} requires a private key"));
        }
    }
    if set(&tls.ca_crl) && mode == ServerTlsMode::Simple {
        found.report(
            format!("{path}.caCrl"),
            "CRL is not supported with SIMPLE TLS",
        );
    }
}

fn check_pool(
    listener: &IstioIngressListener,
    protocol: Protocol,
    path: &str,
    found: &mut Findings,
) {
    let Some(pool) = &listener.connection_pool else {
        return;
    };
    let at = format!("{path}.connectionPool");
    check_connection_pool(pool, &at, found);
    if pool.http.is_some() && !protocol.is_http() {
        let port = listener.port.as_ref();
        found.warn(
            format!("{at}.http"),
            format!(
                "sidecar: HTTP connection pool settings are configured for port {} ({:?}) but its protocol is not HTTP ({}); only TCP settings will apply",
                port.and_then(|p| p.number).unwrap_or_default(),
                port.and_then(|p| p.name.as_deref()).unwrap_or_default(),
                port.and_then(|p| p.protocol.as_deref()).unwrap_or_default(),
            ),
        );
    }
}

#[cfg(test)]
mod cases {
    use super::split_host_port;
    use crate::validate::test_support::findings;

    const HEAD: &str = "apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n  name: s\nspec:\n  ingress:\n";

    fn check(body: &str) -> String {
        findings(&format!("{HEAD}{body}"))
    }

    #[test]
    fn host_port_like_go() {
        assert_eq!(split_host_port("127.0.0.1:80"), Some(("127.0.0.1", "80")));
        assert_eq!(split_host_port("[::1]:80"), Some(("::1", "80")));
        assert_eq!(split_host_port(":80"), Some(("", "80")));
        assert_eq!(split_host_port("::1:80"), None);
        assert_eq!(split_host_port("localhost"), None);
    }

    #[test]
    fn listeners() {
        assert_eq!(
            check(
                "  - port: {number: 9080, protocol: HTTP, name: http}\n    defaultEndpoint: \"[::1]:8080\"\n    bind: 0.0.0.0\n"
            ),
            ""
        );
        assert_eq!(
            check(
                "  - port: {number: 9080, protocol: HTTP, name: http}\n    defaultEndpoint: unix:///var/run/app.sock\n"
            ),
            ""
        );
        assert!(check("  - port: {number: 9080, protocol: HTTP, name: http}\n    defaultEndpoint: 127.0.0.1:http\n").contains("not a number"));
        assert!(
            check("  - port: {number: 9080, protocol: HTTP, targetPort: 80}\n")
                .contains("targetPort")
        );
        assert!(
            check("  - port: {number: 9080, protocol: HTTP}\n    bind: localhost\n")
                .contains("not a valid IP")
        );
    }

    #[test]
    fn tls_and_pools() {
        assert_eq!(
            check(
                "  - port: {number: 8443, protocol: HTTPS, name: https}\n    tls: {mode: SIMPLE, serverCertificate: /c.pem, privateKey: /k.pem}\n"
            ),
            ""
        );
        assert!(check("  - port: {number: 8443, protocol: HTTPS, name: https}\n    tls: {mode: MUTUAL, serverCertificate: /c.pem, privateKey: /k.pem}\n").contains("client CA bundle"));
        assert!(check("  - port: {number: 9080, protocol: TCP, name: tcp}\n    connectionPool: {http: {maxRetries: 3}}\n").contains("only TCP settings will apply"));
        assert!(check("  - port: {number: 8443, protocol: TLS, name: tls}\n    tls: {serverCertificate: /c.pem}\n").contains("will be ignored"));
        assert!(check("  - port: {number: 8443, protocol: HTTPS, name: https}\n    tls: {mode: SIMPLE, serverCertificate: /c.pem, privateKey: /k.pem, minProtocolVersion: TLSV1_1}\n").contains("below TLSV1_2"));
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);

#[cfg(test)]
mod cipher_cases {
    use crate::validate::test_support::findings;

    /// Sidecar ingress TLS gets Istio's cipher-suite warnings, as Gateway
    /// servers do.
    #[test]
    fn invalid_and_repeated_cipher_suites_warn() {
        let yaml = "apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n  name: s\nspec:\n  workloadSelector:\n    labels: {app: a}\n  ingress:\n  - port: {number: 8443, protocol: HTTPS, name: https}\n    defaultEndpoint: 127.0.0.1:8080\n    tls:\n      mode: SIMPLE\n      serverCertificate: /c.pem\n      privateKey: /k.pem\n      cipherSuites: [ECDHE-RSA-AES128-GCM-SHA256, RC4-MD5, ECDHE-RSA-AES128-GCM-SHA256]\n";
        insta::assert_snapshot!(findings(yaml));
    }
}
