//! Sidecar rule groups.

mod config;
mod egress;
mod ingress;
#[cfg(test)]
mod istio_cases;

pub(super) use super::service_entry::protocol::validate_unix_address;
use super::service_entry::protocol::{validate_port_name, validate_protocol};
use super::{Findings, SemanticRule};
use crate::mesh::cidr::is_ip_address;
use crate::model::istio::{SidecarPort, SidecarSpec};

pub static RULES: &[SemanticRule<SidecarSpec>] = &[
    SemanticRule {
        rule: &config::RULE,
        check: config::check,
    },
    SemanticRule {
        rule: &ingress::RULE,
        check: ingress::check,
    },
    SemanticRule {
        rule: &egress::RULE,
        check: egress::check,
    },
];

/// What the rule groups of this kind read.
pub(super) const KINDS: &[&str] = &["Sidecar"];

/// What ingress and egress listener ports share: an optional DNS-label
/// name, a known protocol, no `targetPort`, an IP `bind` for numbered
/// ports. `path` is the listener's.
fn check_port(port: &SidecarPort, bind: Option<&str>, path: &str, found: &mut Findings) {
    if port.target_port.is_some_and(|p| p > 0) {
        found.report(
            format!("{path}.port.targetPort"),
            "targetPort has no impact on Sidecars",
        );
    }
    if let Some(name) = port.name.as_deref().filter(|n| !n.is_empty())
        && let Err(reason) = validate_port_name(name)
    {
        found.report(format!("{path}.port.name"), reason);
    }
    if let Err(reason) = validate_protocol(port.protocol.as_deref().unwrap_or_default()) {
        found.report(format!("{path}.port.protocol"), reason);
    }
    let numbered = port.number.is_some_and(|n| n != 0);
    if let Some(bind) = bind.filter(|b| !b.is_empty())
        && numbered
        && !is_ip_address(bind)
    {
        found.report(format!("{path}.bind"), format!("{bind} is not a valid IP"));
    }
}
