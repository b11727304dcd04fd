//! BackendTLSPolicy targetRefs: several references to one target each name
//! a different section.

use super::super::Findings;
use super::api_server_rule;
use super::support::check_sections;
use crate::model::gateway_api::BackendTlsPolicySpec;
use crate::report::{Example, Rule};

pub static RULE: Rule = api_server_rule(
    "gateway-api-backend-tls-targets",
    &["BackendTLSPolicy"],
    "A BackendTLSPolicy that targets one backend twice without telling the sections apart.",
    "A policy may list one target (the same group, kind and name) more than once only to apply \
     to several of its sections (a Service's ports, by name): then every such reference names a \
     `sectionName`, and no two name the same one.",
    Example {
        yaml: "apiVersion: gateway.networking.k8s.io/v1\nkind: BackendTLSPolicy\nmetadata:\n  name: api\nspec:\n  targetRefs:\n  - {group: \"\", kind: Service, name: api, sectionName: https}\n  - {group: \"\", kind: Service, name: api}\n  validation:\n    hostname: api.example.com\n    wellKnownCACertificates: System\n",
        fires_at: &["spec.targetRefs[1]"],
    },
);

pub fn check(spec: &BackendTlsPolicySpec, found: &mut Findings) {
    let targets = spec.target_refs.iter().map(|t| {
        (
            t.group.as_deref().unwrap_or_default(),
            t.kind.as_deref().unwrap_or_default(),
            t.name.as_deref().unwrap_or_default(),
            None,
            t.section_name.as_deref().filter(|s| !s.is_empty()),
        )
    });
    check_sections(targets, ("spec.targetRefs", "targetRefs", "target"), found);
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
