//! TLSRoute hostnames: SNI names, never IP addresses.

use std::net::IpAddr;

use super::super::Findings;
use super::api_server_rule;
use crate::model::gateway_api::TlsRouteSpec;
use crate::report::{Example, Rule};

pub static RULE: Rule = api_server_rule(
    "gateway-api-tls-route-hostnames",
    &["TLSRoute"],
    "A TLSRoute hostname that is an IP address.",
    "A TLSRoute matches the server name (SNI) a client sends, which is a DNS name: an IP address \
     is refused. (The schema checks the name's syntax: lowercase RFC 1123 labels, a wildcard only \
     as the whole first label.)",
    Example {
        yaml: "apiVersion: gateway.networking.k8s.io/v1\nkind: TLSRoute\nmetadata:\n  name: db\nspec:\n  hostnames: [10.0.0.1]\n  rules:\n  - backendRefs:\n    - {name: db, port: 5432}\n",
        fires_at: &["spec.hostnames[0]"],
    },
);

pub fn check(spec: &TlsRouteSpec, found: &mut Findings) {
    for (i, hostname) in spec.hostnames.iter().enumerate() {
        if hostname.parse::<IpAddr>().is_ok() {
            found.report(
                format!("spec.hostnames[{i}]"),
                format!("{hostname:?} is an IP address, not a hostname"),
            );
        }
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
