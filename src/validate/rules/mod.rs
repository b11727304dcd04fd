//! Istio's semantic rules: what its validating webhook and the CRDs' CEL
//! rules reject (IST0106) or warn about (IST0133), for each kind. One folder
//! per kind, one file per rule group; each group declares a [`Rule`] (its
//! name, documentation and example) and a check function.
//!
//! Checks only see objects that passed the schema stage, so every field has
//! its declared type. They never print; they push findings to [`Findings`].

mod authorization_policy;
mod destination_rule;
mod gateway;
mod metadata;
mod peer_authentication;
mod request_authentication;
mod service_entry;
mod sidecar;
pub mod support;
mod virtual_service;

use crate::model::istio::*;
use crate::model::{Body, MeshSpec, Object};
use crate::report::{Diagnostic, Example, Level, Rule};

use super::origin_of;

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
    kinds: super::schema::MESH_KINDS,
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

/// A rule group's check, typed by the kind it reads.
#[derive(Clone, Copy)]
pub enum CheckFn {
    VirtualService(fn(&VirtualServiceSpec, &mut Findings)),
    DestinationRule(fn(&DestinationRuleSpec, &mut Findings)),
    Gateway(fn(&GatewaySpec, &mut Findings)),
    ServiceEntry(fn(&ServiceEntrySpec, &mut Findings)),
    Sidecar(fn(&SidecarSpec, &mut Findings)),
    AuthorizationPolicy(fn(&AuthorizationPolicySpec, &mut Findings)),
    PeerAuthentication(fn(&PeerAuthenticationSpec, &mut Findings)),
    RequestAuthentication(fn(&RequestAuthenticationSpec, &mut Findings)),
    /// Any mesh kind, with its metadata.
    AnyKind(fn(&Object, &MeshSpec, &mut Findings)),
}

/// A registered rule group: its declaration and its check.
pub struct SemanticRule {
    pub rule: &'static Rule,
    pub check: CheckFn,
}

/// Rule groups that read every mesh kind.
static ANY_KIND: &[SemanticRule] = &[SemanticRule {
    rule: &metadata::RULE,
    check: CheckFn::AnyKind(metadata::check),
}];

/// Every semantic rule group, in one place.
pub fn all() -> Vec<&'static SemanticRule> {
    [
        ANY_KIND,
        virtual_service::RULES,
        destination_rule::RULES,
        gateway::RULES,
        service_entry::RULES,
        sidecar::RULES,
        authorization_policy::RULES,
        peer_authentication::RULES,
        request_authentication::RULES,
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Where a check reports. It knows the object, so a check names only the
/// field path, and the position comes from the tree.
pub struct Findings<'a> {
    object: &'a Object,
    rule: &'static Rule,
    found: Vec<Diagnostic>,
}

impl Findings<'_> {
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
        let pos = self.object.node.locate_value(&path);
        let diagnostic = Diagnostic::new(rule, message)
            .at(&self.object.source, pos, path)
            .origin(Some(origin_of(self.object)));
        self.found.push(diagnostic);
    }

    /// The namespace of the resource under check (after defaulting).
    pub fn namespace(&self) -> &str {
        self.object.namespace.as_deref().unwrap_or_default()
    }
}

/// Runs every rule group that reads this object's kind.
pub fn check_object(object: &Object, rules: &[&'static SemanticRule], out: &mut Vec<Diagnostic>) {
    let Body::Mesh(spec) = &object.body else {
        return;
    };
    for semantic in rules {
        let mut findings = Findings {
            object,
            rule: semantic.rule,
            found: Vec::new(),
        };
        match (spec, semantic.check) {
            (spec, CheckFn::AnyKind(f)) => f(object, spec, &mut findings),
            (MeshSpec::VirtualService(s), CheckFn::VirtualService(f)) => f(s, &mut findings),
            (MeshSpec::DestinationRule(s), CheckFn::DestinationRule(f)) => f(s, &mut findings),
            (MeshSpec::Gateway(s), CheckFn::Gateway(f)) => f(s, &mut findings),
            (MeshSpec::ServiceEntry(s), CheckFn::ServiceEntry(f)) => f(s, &mut findings),
            (MeshSpec::Sidecar(s), CheckFn::Sidecar(f)) => f(s, &mut findings),
            (MeshSpec::AuthorizationPolicy(s), CheckFn::AuthorizationPolicy(f)) => {
                f(s, &mut findings)
            }
            (MeshSpec::PeerAuthentication(s), CheckFn::PeerAuthentication(f)) => {
                f(s, &mut findings)
            }
            (MeshSpec::RequestAuthentication(s), CheckFn::RequestAuthentication(f)) => {
                f(s, &mut findings)
            }
            _ => {}
        }
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
