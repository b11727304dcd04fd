//! BackendTLSPolicy validation: the CA certificates come from one place,
//! and each subject alternative name sets the field of its type.

use super::super::Findings;
use super::api_server_rule;
use crate::model::gateway_api::BackendTlsPolicySpec;
use crate::model::gateway_api::backend_tls_policy::{SubjectAltName, SubjectAltNameType};
use crate::report::{Example, Rule};

pub static RULE: Rule = api_server_rule(
    "gateway-api-backend-tls-validation",
    &["BackendTLSPolicy"],
    "A BackendTLSPolicy whose CA source or subject alternative names the API server refuses.",
    "The CA certificates that verify the backend come from `caCertificateRefs` or from \
     `wellKnownCACertificates` (the system's), exactly one of them. A `subjectAltNames` entry of \
     type `Hostname` sets `hostname` and not `uri`; one of type `URI` sets `uri` and not `hostname`.",
    Example {
        yaml: "apiVersion: gateway.networking.k8s.io/v1\nkind: BackendTLSPolicy\nmetadata:\n  name: api\nspec:\n  targetRefs:\n  - {group: \"\", kind: Service, name: api}\n  validation:\n    hostname: api.example.com\n    subjectAltNames:\n    - {type: URI, hostname: api.example.com}\n",
        fires_at: &[
            "spec.validation",
            "spec.validation.subjectAltNames[0]",
            "spec.validation.subjectAltNames[0].hostname",
        ],
    },
);

pub fn check(spec: &BackendTlsPolicySpec, found: &mut Findings) {
    let Some(validation) = &spec.validation else {
        return;
    };
    let refs = !validation.ca_certificate_refs.is_empty();
    let well_known = validation
        .well_known_ca_certificates
        .as_deref()
        .is_some_and(|w| !w.is_empty());
    if refs && well_known {
        found.report(
            "spec.validation",
            "must not contain both caCertificateRefs and wellKnownCACertificates",
        );
    } else if !refs && !well_known {
        found.report(
            "spec.validation",
            "must specify either caCertificateRefs or wellKnownCACertificates",
        );
    }
    for (i, name) in validation.subject_alt_names.iter().enumerate() {
        check_name(
            name,
            &format!("spec.validation.subjectAltNames[{i}]"),
            found,
        );
    }
}

fn check_name(name: &SubjectAltName, path: &str, found: &mut Findings) {
    let hostname = name.hostname.as_deref().is_some_and(|h| !h.is_empty());
    let uri = name.uri.as_deref().is_some_and(|u| !u.is_empty());
    let (wants_hostname, wants_uri) = match name.r#type {
        Some(SubjectAltNameType::Hostname) => (true, false),
        Some(SubjectAltNameType::Uri) => (false, true),
        None => return,
    };
    if wants_hostname && !hostname {
        found.report(path, "a Hostname subjectAltName must contain hostname");
    }
    if wants_uri && !uri {
        found.report(path, "a URI subjectAltName must contain uri");
    }
    if !wants_hostname && hostname {
        found.report(
            format!("{path}.hostname"),
            "hostname is only for a subjectAltName of type Hostname",
        );
    }
    if !wants_uri && uri {
        found.report(
            format!("{path}.uri"),
            "uri is only for a subjectAltName of type URI",
        );
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
