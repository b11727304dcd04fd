//! Gateway listeners: TLS and hostnames only where the protocol has them,
//! the TLS mode each protocol needs, and one listener per port, protocol
//! and hostname.

use std::collections::HashMap;

use super::super::Findings;
use super::api_server_rule;
use crate::model::gateway_api::{GatewaySpec, ListenerSetSpec, Tls, TlsMode};
use crate::report::{Example, Rule};

pub static RULE: Rule = api_server_rule(
    "gateway-api-listeners",
    &["Gateway", "ListenerSet"],
    "Gateway or ListenerSet listeners whose TLS, hostname or port the API server refuses.",
    "HTTP, TCP and UDP listeners take no `tls`; TCP and UDP ones no `hostname` either. An HTTPS \
     listener terminates TLS (mode `Terminate`, the default), a TLS listener has `tls`, and \
     a terminating listener names certificates (`certificateRefs`) or implementation `options`. \
     No two listeners share port, protocol and hostname. A ListenerSet's listeners follow the \
     same rules.",
    Example {
        yaml: "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: edge\nspec:\n  gatewayClassName: example\n  listeners:\n  - {name: tcp, protocol: TCP, port: 9000, hostname: db.example.com}\n  - {name: https, protocol: HTTPS, port: 443, tls: {mode: Passthrough}}\n",
        fires_at: &["spec.listeners[0].hostname", "spec.listeners[1].tls.mode"],
    },
);

/// A listener as the checks see it (Gateway and ListenerSet each have
/// their own listener type).
struct ListenerView<'a> {
    port: Option<i32>,
    protocol: &'a str,
    hostname: Option<&'a str>,
    tls: Option<&'a Tls>,
}

/// Spells out one kind's check: its listeners, as views.
macro_rules! listeners {
    ($name:ident, $spec:ty) => {
        pub fn $name(spec: &$spec, found: &mut Findings) {
            let views = spec.listeners.iter().map(|l| ListenerView {
                port: l.port,
                protocol: l.protocol.as_deref().unwrap_or_default(),
                hostname: l.hostname.as_deref().filter(|h| !h.is_empty()),
                tls: l.tls.as_ref(),
            });
            check_listeners(views, found);
        }
    };
}

listeners!(gateway, GatewaySpec);
listeners!(listener_set, ListenerSetSpec);

fn check_listeners<'a>(listeners: impl Iterator<Item = ListenerView<'a>>, found: &mut Findings) {
    let mut endpoints: HashMap<(i32, &str, Option<&str>), usize> = HashMap::new();
    for (i, listener) in listeners.enumerate() {
        let path = format!("spec.listeners[{i}]");
        check_protocol(&listener, &path, found);
        // A ListenerSet listener without a port takes its parent's.
        let Some(port) = listener.port else { continue };
        let first = *endpoints
            .entry((port, listener.protocol, listener.hostname))
            .or_insert(i);
        if first != i {
            found.report(
                &path,
                format!("listeners {first} and {i} share port, protocol and hostname"),
            );
        }
    }
}

fn check_protocol(listener: &ListenerView, path: &str, found: &mut Findings) {
    let protocol = listener.protocol;
    if matches!(protocol, "HTTP" | "TCP" | "UDP") && listener.tls.is_some() {
        found.report(
            format!("{path}.tls"),
            format!("tls must not be specified for protocol {protocol}"),
        );
    }
    if matches!(protocol, "TCP" | "UDP") && listener.hostname.is_some() {
        found.report(
            format!("{path}.hostname"),
            format!("hostname must not be specified for protocol {protocol}"),
        );
    }
    let mode = listener.tls.and_then(|t| t.mode);
    if protocol == "HTTPS" && mode == Some(TlsMode::Passthrough) {
        found.report(
            format!("{path}.tls.mode"),
            "tls mode must be Terminate for protocol HTTPS",
        );
    }
    // The mode defaults to Terminate once `tls` is there.
    if protocol == "TLS" && listener.tls.is_none() {
        found.report(path, "tls must be set for protocol TLS");
    }
    // The API server judges the mode after defaulting it to Terminate.
    if let Some(tls) = listener.tls
        && tls.mode.unwrap_or(TlsMode::Terminate) == TlsMode::Terminate
        && tls.certificate_refs.is_empty()
        && tls.options.is_empty()
    {
        found.report(
            format!("{path}.tls"),
            "certificateRefs or options must be specified when mode is Terminate",
        );
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
