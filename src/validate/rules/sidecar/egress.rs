//! Sidecar egress listeners: ports or unix sockets, and the `namespace/host`
//! entries that import services.

use std::collections::{BTreeMap, BTreeSet};

use super::super::support::{
    is_dns1123_label, validate_partial_wildcard, validate_port, validate_wildcard_domain,
};
use super::super::{Findings, webhook_rule};
use super::{KINDS, check_port, validate_unix_address};
use crate::model::istio::{CaptureMode, IstioEgressListener, SidecarSpec};
use crate::report::{Example, Rule};

pub static RULE: Rule = webhook_rule(
    "sidecar-egress",
    KINDS,
    "Sidecar egress listeners or hosts that Istio refuses.",
    "Hosts are `namespace/dnsName`: the namespace `*`, `.`, a namespace name or `~name`, the name `*`, \
     a DNS name with at least one dot, or one whose first label is `*` (`*.example.com`); short names \
     and partial wildcards are refused. Repeated hosts, and `*/*` next to other hosts, draw warnings. \
     Listener ports must be valid and unique, with known protocols and an IP `bind`; port 0 means a \
     unix domain socket, which needs a unique `unix://` bind and capture mode DEFAULT or NONE. Only one \
     listener may leave out its port (the catch-all), and it must be the last one.",
    Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n  name: default\n  namespace: prod\nspec:\n  egress:\n  - hosts: [\"./*\"]\n  - port: {number: 9080, protocol: HTTP, name: http}\n    hosts: [\"istio-system/*\", reviews, \"prod/*foo.example.com\"]\n",
        fires_at: &[
            "spec.egress[0]",
            "spec.egress[1].hosts[1]",
            "spec.egress[1].hosts[2]",
        ],
    },
);

pub fn check(spec: &SidecarSpec, found: &mut Findings) {
    let mut ports = BTreeSet::new();
    let mut sockets = BTreeSet::new();
    let last = spec.egress.len().saturating_sub(1);
    for (i, listener) in spec.egress.iter().enumerate() {
        let path = format!("spec.egress[{i}]");
        match &listener.port {
            // Only the last listener may catch all ports, so there is one.
            None if i == last => {}
            None => found.report(&path, "sidecar: the egress listener with empty port should be the last listener in the list"),
            Some(port) => {
                check_port(port, listener.bind.as_deref(), &path, found);
                let bind = listener.bind.as_deref().unwrap_or_default();
                let number = port.number.unwrap_or_default();
                if number == 0 {
                    check_socket(listener, &path, found);
                    if !sockets.insert(bind) {
                        found.report(format!("{path}.bind"), "sidecar: unix domain socket values for listeners must be unique");
                    }
                } else {
                    if let Err(reason) = validate_port(number) {
                        found.report(format!("{path}.port.number"), reason);
                    }
                    if !ports.insert(number) {
                        found.report(format!("{path}.port.number"), format!("sidecar: ports on IP bound listeners must be unique, {number} is repeated"));
                    }
                }
            }
        }
        check_hosts(listener, found.namespace().to_string(), &path, found);
    }
}

/// Port 0: the listener is a unix domain socket named by its bind.
fn check_socket(listener: &IstioEgressListener, path: &str, found: &mut Findings) {
    match listener
        .bind
        .as_deref()
        .and_then(|b| b.strip_prefix("unix://"))
    {
        None => found.report(
            format!("{path}.port.number"),
            "sidecar: ports with 0 value must have a unix domain socket bind address",
        ),
        Some(socket) => {
            if let Err(reason) = validate_unix_address(socket) {
                found.report(format!("{path}.bind"), reason);
            }
        }
    }
    if !matches!(
        listener.capture_mode,
        None | Some(CaptureMode::Default) | Some(CaptureMode::None)
    ) {
        found.report(
            format!("{path}.captureMode"),
            "sidecar: captureMode must be DEFAULT/NONE for unix domain socket listeners",
        );
    }
}

fn check_hosts(
    listener: &IstioEgressListener,
    namespace: String,
    path: &str,
    found: &mut Findings,
) {
    if listener.hosts.is_empty() {
        found.report(
            format!("{path}.hosts"),
            "sidecar: egress listener must contain at least one host",
        );
        return;
    }
    // Per namespace, the names imported so far, to spot repeats.
    let mut imported: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (i, host) in listener.hosts.iter().enumerate() {
        let at = format!("{path}.hosts[{i}]");
        if let Some((ns, name)) = host.split_once('/')
            && !ns.starts_with('~')
        {
            let ns = if ns == "." { namespace.as_str() } else { ns };
            let names = imported.entry(ns).or_default();
            let repeated = if name == "*" {
                !names.is_empty()
            } else {
                names.contains(name) || names.contains("*")
            };
            if repeated {
                found.warn(&at, format!("duplicated egress host: {host}"));
            }
            names.insert(name);
        }
        for problem in namespace_slash_host(host) {
            found.report(&at, problem);
        }
    }
    if imported.get("*").is_some_and(|names| names.contains("*")) && imported.len() != 1 {
        found.warn(
            format!("{path}.hosts"),
            "`*/*` host select all resources, no other hosts can be added",
        );
    }
}

/// Istio's `ValidateNamespaceSlashWildcardHostname` for Sidecars.
fn namespace_slash_host(host: &str) -> Vec<String> {
    let Some((namespace, name)) = host.split_once('/') else {
        return vec![format!("host {host:?} must be of form namespace/dnsName")];
    };
    let mut problems = Vec::new();
    if namespace.is_empty() || name.is_empty() {
        problems.push("config namespace and dnsName in host entry cannot be empty".to_string());
    }
    let bare = namespace.strip_prefix('~').unwrap_or(namespace);
    if !(bare.is_empty() || bare == "*" || bare == "." || is_dns1123_label(bare)) {
        problems.push(format!("invalid namespace value {namespace:?} in sidecar"));
    }
    if name != "*" && !name.contains('.') {
        problems.push(format!("short names (non FQDN) are not allowed: {name:?}"));
    }
    problems.extend(validate_wildcard_domain(name).err());
    problems.extend(validate_partial_wildcard(name).err());
    problems
}

#[cfg(test)]
mod cases {
    use super::namespace_slash_host;
    use crate::validate::test_support::findings;

    const HEAD: &str = "apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n  name: s\n  namespace: prod\nspec:\n  egress:\n";

    fn check(body: &str) -> String {
        findings(&format!("{HEAD}{body}"))
    }

    #[test]
    fn hosts_follow_istio() {
        for ok in [
            "*/*",
            "./*",
            "./foo.com",
            "prod/reviews.prod.svc.cluster.local",
            "~/*",
            "~ns1/*",
            "~/foo.com",
            "*/*.example.com",
        ] {
            assert!(namespace_slash_host(ok).is_empty(), "{ok}");
        }
        for bad in [
            "reviews",
            "*",
            "/",
            "prod/reviews",
            "bad_ns/*",
            "~Invalid_NS/*",
            "/*",
            "prod/foo.*.com",
            "prod/*foo.com",
        ] {
            assert!(!namespace_slash_host(bad).is_empty(), "{bad}");
        }
    }

    #[test]
    fn listeners() {
        assert_eq!(
            check(
                "  - port: {number: 0, protocol: HTTP, name: uds}\n    bind: unix:///var/run/egress.sock\n    hosts: [\"*/*\"]\n  - hosts: [\"./*\"]\n"
            ),
            ""
        );
        assert!(
            check(
                "  - port: {number: 0, protocol: HTTP}\n    bind: 127.0.0.1\n    hosts: [\"*/*\"]\n"
            )
            .contains("unix domain socket bind")
        );
        assert!(
            check("  - hosts: [\"./*\"]\n  - hosts: [\"*/*\"]\n")
                .contains("should be the last listener")
        );
        assert!(check("  - hosts: [\"*/*\", \"prod/*\"]\n").contains("`*/*`"));
        assert!(check("  - hosts: [\"./*\", \"prod/a.com\"]\n").contains("duplicated egress host"));
        assert_eq!(
            check("  - hosts: [\"*/*\", \"~ns1/*\", \"~/foo.com\"]\n"),
            ""
        );
        assert_eq!(check("  - hosts: [\"*/b.com\", \"test/a.com\"]\n"), "");
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
