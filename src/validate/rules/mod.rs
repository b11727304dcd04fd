//! Istio's semantic rules: what its validating webhook and the CRDs' CEL
//! rules reject (IST0106) or warn about (IST0133), for each kind. One folder
//! per kind, one file per rule group; each group declares a [`Rule`] (its
//! name, documentation and example) and a check function.
//!
//! Checks only see objects that passed the schema stage, so every field has
//! its declared type. They never print; they push findings to [`Findings`].

mod authorization_policy;
mod destination_rule;
mod envoy_filter;
mod gateway;
mod gateway_api;
mod metadata;
mod peer_authentication;
mod proxy_config;
mod request_authentication;
mod service_entry;
mod sidecar;
pub mod support;
mod telemetry;
mod virtual_service;
mod wasm_plugin;
mod workload_entry;
mod workload_group;

use crate::model::{Body, KindSpec, Mesh, MeshKind, MeshSpec, Object};
use crate::report::{Diagnostic, Example, Level, Rule};

/// The code istioctl gives a resource its webhook would reject.
pub const SCHEMA_VALIDATION_ERROR: &str = "IST0106";
/// The code istioctl gives a validation warning.
pub const SCHEMA_WARNING: &str = "IST0133";

/// Istio's validation warnings, from every rule group (istioctl's
/// SchemaWarning).
pub static VALIDATION_WARNING: Rule = Rule {
    code: SCHEMA_WARNING,
    name: "istio-validation-warning",
    level: Level::Warning,
    summary: "Istio accepts the resource but warns that part of it is likely wrong.",
    kinds: MeshKind::NAMES,
    explanation: "Istio's validation returns warnings beside errors: the resource is applied, but \
        something in it is deprecated, ignored or probably not what was meant (a legacy \
        `name.namespace` gateway reference, a workload selector without labels, a DENY policy \
        whose HTTP-only conditions make it deny all TCP traffic, ...). The message says what \
        and why; the rule group that found it documents the case.",
    example: Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews.example.com]\n  gateways: [public-gateway.istio-ingress]\n  http:\n  - route:\n    - destination:\n        host: reviews\n",
        fires_at: &["spec.gateways[0]"],
    },
};

/// A rule group of one kind: its declaration and its check of the kind's
/// spec (`S`, which names the kind).
pub struct SemanticRule<S: 'static> {
    pub rule: &'static Rule,
    pub check: fn(&S, &mut Findings),
}

/// A rule group that reads every kind of one mesh, with its metadata.
pub struct MeshRule {
    pub rule: &'static Rule,
    pub mesh: Mesh,
    pub check: fn(&Object, &MeshSpec, &mut Findings),
}

/// A rule group as [`check_object`] runs it, whichever kinds it reads.
pub trait RuleGroup: Sync {
    fn rule(&self) -> &'static Rule;
    /// Checks `spec` if the group reads its kind.
    fn check(&self, object: &Object, spec: &MeshSpec, findings: &mut Findings);
}

impl<S: KindSpec> RuleGroup for SemanticRule<S> {
    fn rule(&self) -> &'static Rule {
        self.rule
    }

    fn check(&self, _: &Object, spec: &MeshSpec, findings: &mut Findings) {
        if let Some(spec) = S::of(spec) {
            (self.check)(spec, findings);
        }
    }
}

impl RuleGroup for MeshRule {
    fn rule(&self) -> &'static Rule {
        self.rule
    }

    fn check(&self, object: &Object, spec: &MeshSpec, findings: &mut Findings) {
        if spec.kind().mesh() == self.mesh {
            (self.check)(object, spec, findings);
        }
    }
}

/// Istio's webhook checks the metadata of every Istio resource.
static METADATA: MeshRule = MeshRule {
    rule: &metadata::RULE,
    mesh: Mesh::Istio,
    check: metadata::check,
};

/// Every semantic rule group, in one place.
pub fn all() -> Vec<&'static dyn RuleGroup> {
    fn of_kind<S: KindSpec>(
        rules: &'static [SemanticRule<S>],
    ) -> impl Iterator<Item = &'static dyn RuleGroup> {
        rules.iter().map(|rule| rule as &'static dyn RuleGroup)
    }
    std::iter::once(&METADATA as &'static dyn RuleGroup)
        .chain(of_kind(virtual_service::RULES))
        .chain(of_kind(destination_rule::RULES))
        .chain(of_kind(gateway::RULES))
        .chain(of_kind(service_entry::RULES))
        .chain(of_kind(sidecar::RULES))
        .chain(of_kind(authorization_policy::RULES))
        .chain(of_kind(peer_authentication::RULES))
        .chain(of_kind(request_authentication::RULES))
        .chain(of_kind(workload_entry::RULES))
        .chain(of_kind(workload_group::RULES))
        .chain(of_kind(proxy_config::RULES))
        .chain(of_kind(wasm_plugin::RULES))
        .chain(of_kind(telemetry::RULES))
        .chain(of_kind(envoy_filter::RULES))
        .chain(of_kind(gateway_api::HTTP_ROUTE))
        .chain(of_kind(gateway_api::GATEWAY))
        .chain(of_kind(gateway_api::GRPC_ROUTE))
        .chain(of_kind(gateway_api::BACKEND_TLS_POLICY))
        .chain(of_kind(gateway_api::TCP_ROUTE))
        .chain(of_kind(gateway_api::TLS_ROUTE))
        .chain(of_kind(gateway_api::UDP_ROUTE))
        .chain(of_kind(gateway_api::LISTENER_SET))
        .collect()
}

/// Where a check reports. It knows the object, so a check names only the
/// field path, and the position comes from the tree.
pub struct Findings<'a> {
    object: &'a Object,
    rule: &'static Rule,
    found: Vec<Diagnostic>,
}

impl<'a> Findings<'a> {
    /// A finding at the rule's own level (Error for IST0106 groups).
    pub fn report(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.push(self.rule, path.into(), message.into());
    }

    /// A warning: Istio accepts the resource but says something is likely
    /// wrong. istioctl reports every such warning as IST0133, so it goes
    /// under [`VALIDATION_WARNING`] whichever group finds it.
    pub fn warn(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.push(&VALIDATION_WARNING, path.into(), message.into());
    }

    fn push(&mut self, rule: &'static Rule, path: String, message: String) {
        let pos = self.object.locate_value(&path);
        let diagnostic = Diagnostic::new(rule, message).about(self.object, pos, path);
        self.found.push(diagnostic);
    }

    /// The resource under check, for the groups that read its metadata.
    pub fn object(&self) -> &'a Object {
        self.object
    }

    /// The namespace of the resource under check (after defaulting).
    pub fn namespace(&self) -> &str {
        self.object.namespace.as_deref().unwrap_or_default()
    }
}

/// Runs every rule group that reads this object's kind.
pub fn check_object(object: &Object, rules: &[&'static dyn RuleGroup], out: &mut Vec<Diagnostic>) {
    let Body::Mesh(spec) = &object.body else {
        return;
    };
    for group in rules {
        let mut findings = Findings {
            object,
            rule: group.rule(),
            found: Vec::new(),
        };
        group.check(object, spec, &mut findings);
        out.extend(findings.found);
    }
}

/// Builds the [`Rule`] of a rule group that reports IST0106.
pub const fn webhook_rule(
    name: &'static str,
    kind: &'static [&'static str],
    summary: &'static str,
    explanation: &'static str,
    example: Example,
) -> Rule {
    Rule {
        code: SCHEMA_VALIDATION_ERROR,
        name,
        level: Level::Error,
        summary,
        kinds: kind,
        explanation,
        example,
    }
}
