//! WorkloadEntry: its address (IP, host name or unix socket, or none on a
//! network of its own), its ports and its labels.

use super::super::destination_rule::labels::{key_path, validate_labels};
use super::super::service_entry::protocol::{
    UNIX_PREFIX, validate_port_name, validate_unix_address,
};
use super::super::support::{validate_fqdn, validate_port};
use super::super::{Findings, webhook_rule};
use super::KINDS;
use crate::mesh::cidr::is_ip_address;
use crate::model::istio::WorkloadEntrySpec;
use crate::report::{Example, Rule};

pub static RULE: Rule = webhook_rule(
    "workloadentry-address",
    KINDS,
    "WorkloadEntry address, ports or labels that Istio refuses.",
    "A WorkloadEntry needs an address, unless it names a `network`: then the workload is reached \
     through that network's gateway and a missing address is only warned about. Without a \
     ServiceEntry to say how it is resolved, the address may be an IP address, a fully qualified \
     host name, or `unix://` and an absolute socket path (or `@abstract` name), which takes no \
     ports. Port names must be DNS labels and port numbers 1 to 65535; labels must be valid \
     Kubernetes labels.",
    Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: WorkloadEntry\nmetadata:\n  name: vm-1\nspec:\n  address: vm-1.example.com:9443\n  ports:\n    http: 0\n",
        fires_at: &["spec.address", "spec.ports.http"],
    },
);

pub fn check(spec: &WorkloadEntrySpec, found: &mut Findings) {
    let address = spec.address.as_deref().unwrap_or_default();
    if address.is_empty() {
        match spec.network.as_deref().filter(|n| !n.is_empty()) {
            Some(network) => {
                found.warn("spec", format!("address is unset with network {network:?}"))
            }
            None => return found.report("spec", "address is required"),
        }
    }
    if let Some(socket) = address.strip_prefix(UNIX_PREFIX) {
        if let Err(reason) = validate_unix_address(socket) {
            found.report("spec.address", reason);
        }
        if !spec.ports.is_empty() {
            found.report(
                "spec.ports",
                format!("unix endpoint {address} must not include ports"),
            );
        }
    } else if !address.is_empty() && !is_ip_address(address) && validate_fqdn(address).is_err() {
        found.report(
            "spec.address",
            format!("endpoint address {address:?} is not a valid FQDN or an IP address"),
        );
    }
    for (name, number) in &spec.ports {
        let at = key_path("spec.ports", name);
        if let Err(reason) = validate_port_name(name) {
            found.report(&at, reason);
        }
        if let Err(reason) = validate_port(*number) {
            found.report(&at, reason);
        }
    }
    for (key, problem) in validate_labels(&spec.labels) {
        found.report(key_path("spec.labels", key), problem);
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
