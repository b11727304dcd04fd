//! DestinationRule client TLS settings (Istio's `ValidateTLS`): which
//! fields each mode requires or forbids.

use super::super::{Findings, webhook_rule};
use super::{KINDS, settings};
use crate::model::istio::{ClientTlsMode, ClientTlsSettings, DestinationRuleSpec};
use crate::report::{Example, Rule};

const CONFIGMAP_PREFIX: &str = "configmap://";

pub static RULE: Rule = webhook_rule(
    "destinationrule-tls",
    KINDS,
    "Client TLS settings whose fields contradict their mode.",
    "`MUTUAL` TLS needs `clientCertificate` and `privateKey` unless a `credentialName` supplies them; \
     with `credentialName` (SIMPLE or MUTUAL) the certificate, key, CA and CRL fields may not be set. \
     `insecureSkipVerify: true` turns verification off, so it may not be combined with `caCertificates` \
     or `subjectAltNames` (nor, in SIMPLE mode, `credentialName`). A `configmap://` credential must \
     name `namespace/name` in the rule's own namespace. Istio's webhook refuses these settings.",
    Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: payments\nspec:\n  host: payments.example.com\n  trafficPolicy:\n    tls: {mode: MUTUAL, caCertificates: /etc/certs/ca.pem}\n    portLevelSettings:\n    - port: {number: 443}\n      tls: {mode: SIMPLE, credentialName: payments-cert, caCertificates: /etc/certs/ca.pem}\n",
        fires_at: &[
            "spec.trafficPolicy.tls",
            "spec.trafficPolicy.tls",
            "spec.trafficPolicy.portLevelSettings[0].tls",
        ],
    },
);

pub fn check(spec: &DestinationRuleSpec, found: &mut Findings) {
    let namespace = found.namespace().to_string();
    for level in settings(spec) {
        if let Some(tls) = level.tls {
            check_tls(tls, &namespace, &format!("{}.tls", level.path), found);
        }
    }
}

fn set(value: &Option<String>) -> bool {
    value.as_deref().is_some_and(|v| !v.is_empty())
}

fn check_tls(tls: &ClientTlsSettings, namespace: &str, path: &str, found: &mut Findings) {
    let credential = tls.credential_name.as_deref().unwrap_or_default();
    if let Some(reference) = credential.strip_prefix(CONFIGMAP_PREFIX) {
        check_configmap(
            reference,
            credential,
            namespace,
            &format!("{path}.credentialName"),
            found,
        );
    }
    let mode = tls.mode.unwrap_or(ClientTlsMode::Disable);
    let ca = set(&tls.ca_certificates);
    let sans = !tls.subject_alt_names.is_empty();
    if tls.insecure_skip_verify == Some(true) {
        if mode == ClientTlsMode::Simple && (ca || !credential.is_empty() || sans) {
            found.report(path, "cannot specify caCertificates or credentialName or subjectAltNames when insecureSkipVerify is set true");
        }
        if mode == ClientTlsMode::Mutual && (ca || sans) {
            found.report(path, "cannot specify caCertificates or subjectAltNames when insecureSkipVerify is set true");
        }
    }
    let fetches_credential =
        matches!(mode, ClientTlsMode::Simple | ClientTlsMode::Mutual) && !credential.is_empty();
    if fetches_credential {
        if set(&tls.client_certificate) || ca || set(&tls.private_key) || set(&tls.ca_crl) {
            found.report(path, "cannot specify client certificates or CA certificate or CA CRL if credentialName is set");
        }
        return;
    }
    if mode == ClientTlsMode::Mutual {
        if !set(&tls.client_certificate) {
            found.report(path, "client certificate required for mutual tls");
        }
        if !set(&tls.private_key) {
            found.report(path, "private key required for mutual tls");
        }
    }
}

/// `configmap://namespace/name`, where the namespace must be the rule's own.
fn check_configmap(
    reference: &str,
    whole: &str,
    namespace: &str,
    path: &str,
    found: &mut Findings,
) {
    let mut parts = reference.split('/');
    let (ns, name) = (parts.next().unwrap_or_default(), parts.next());
    let problem = match name {
        None => format!(
            "invalid configmap:// credentialName: invalid resource name {whole:?}. Expected namespace and name"
        ),
        Some(_) if ns.is_empty() => format!(
            "invalid configmap:// credentialName: invalid resource name {whole:?}. Expected namespace"
        ),
        Some("") => format!(
            "invalid configmap:// credentialName: invalid resource name {whole:?}. Expected name"
        ),
        Some(_) if ns != namespace => format!(
            "invalid configmap:// credentialName: namespace must match the configuration namespace {namespace:?}"
        ),
        Some(_) => return,
    };
    found.report(path, problem);
}

#[cfg(test)]
mod cases {
    use crate::validate::test_support::findings;

    const HEAD: &str = "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: r\n  namespace: ns\nspec:\n  host: r\n  trafficPolicy:\n";

    fn check(body: &str) -> String {
        findings(&format!("{HEAD}{body}"))
    }

    #[test]
    fn modes() {
        assert_eq!(
            check(
                "    tls: {mode: MUTUAL, clientCertificate: /c.pem, privateKey: /k.pem, caCertificates: /ca.pem}\n"
            ),
            ""
        );
        assert_eq!(check("    tls: {mode: MUTUAL, credentialName: cert}\n"), "");
        assert_eq!(
            check("    tls: {mode: SIMPLE, insecureSkipVerify: true}\n"),
            ""
        );
        assert!(
            check("    tls: {mode: SIMPLE, insecureSkipVerify: true, subjectAltNames: [a]}\n")
                .contains("insecureSkipVerify")
        );
        assert!(
            check("    tls: {mode: MUTUAL, privateKey: /k.pem}\n")
                .contains("client certificate required")
        );
    }

    #[test]
    fn configmap_credentials() {
        assert_eq!(
            check("    tls: {mode: SIMPLE, credentialName: \"configmap://ns/ca\"}\n"),
            ""
        );
        assert!(
            check("    tls: {mode: SIMPLE, credentialName: \"configmap://other/ca\"}\n")
                .contains("must match")
        );
        assert!(
            check("    tls: {mode: SIMPLE, credentialName: \"configmap://ca\"}\n")
                .contains("Expected namespace and name")
        );
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
