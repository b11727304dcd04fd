//! Gateway addresses: an IPAddress is an IPv4 or IPv6 address, a Hostname a
//! DNS name, and no value is given twice.

use std::collections::HashSet;
use std::net::IpAddr;
use std::sync::LazyLock;

use regex::Regex;

use super::super::Findings;
use super::api_server_rule;
use crate::model::gateway_api::GatewaySpec;
use crate::report::{Example, Rule};

pub static RULE: Rule = api_server_rule(
    "gateway-api-gateway-addresses",
    &["Gateway"],
    "A Gateway address that is not of its type, or given twice.",
    "An address of type `IPAddress` (the default) has an IPv4 or IPv6 address as its value, one \
     of type `Hostname` a DNS name (a leading `*.` allowed, no port). Other types (a domain-prefixed \
     name) are the implementation's. No IP address or hostname is listed twice.",
    Example {
        yaml: "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: edge\nspec:\n  gatewayClassName: example\n  addresses:\n  - value: 10.0.0.300\n  - {type: Hostname, value: \"edge.example.com:443\"}\n  listeners:\n  - {name: http, protocol: HTTP, port: 80}\n",
        fires_at: &["spec.addresses[0].value", "spec.addresses[1].value"],
    },
);

static HOSTNAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
        .expect("valid regex")
});

pub fn check(spec: &GatewaySpec, found: &mut Findings) {
    let mut seen = HashSet::new();
    for (i, address) in spec.addresses.iter().enumerate() {
        let Some(value) = address.value.as_deref() else {
            continue;
        };
        let kind = address.r#type.as_deref().unwrap_or("IPAddress");
        let path = format!("spec.addresses[{i}].value");
        match kind {
            "IPAddress" if value.parse::<IpAddr>().is_err() => {
                found.report(&path, format!("{value:?} is not an IPv4 or IPv6 address"));
            }
            "Hostname" if !HOSTNAME.is_match(value) => {
                found.report(&path, format!("{value:?} is not a valid hostname"));
            }
            "IPAddress" | "Hostname" if !seen.insert((kind, value)) => {
                found.report(
                    &path,
                    format!("{kind} values must be unique: {value:?} is listed twice"),
                );
            }
            _ => {}
        }
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
