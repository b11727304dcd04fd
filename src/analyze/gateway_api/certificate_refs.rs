//! Certificates of Gateway API listeners that Istio cannot resolve, as it
//! reports them in the listener's `ResolvedRefs` condition: a reference
//! that is not a Secret, or to a Secret that does not exist
//! (InvalidCertificateRef, MSH3012), and one to another namespace that no
//! ReferenceGrant opens to the Gateway or ListenerSet (RefNotPermitted,
//! MSH3013). A listener with no certificate left serves no TLS.
//!
//! Offline input often leaves Secrets out (they are created by hand, by
//! cert-manager, or synced from a vault), and istioctl has no analyzer
//! for these references to follow. So a Secret counts as missing only
//! when the input holds Secrets at all, and not when cert-manager is set
//! to issue it: a Certificate of that namespace writes it
//! (`spec.secretName`), or the Gateway carries cert-manager's
//! `cert-manager.io/issuer` or `cert-manager.io/cluster-issuer`
//! annotation. A missing grant needs no Secret in the input: Istio checks
//! it first.

use std::collections::HashSet;

use super::super::{Analyzer, Report};
use super::listeners::{Owned, listeners};

use crate::mesh::reference_grant::{CrossReference, ReferenceGrants};
use crate::model::gateway_api::{CertificateRef, TlsMode};
use crate::report::{Example, Level, Rule};
use crate::snapshot::Snapshot;

pub static CERTIFICATE_NOT_FOUND: Rule = Rule {
    code: "MSH3012",
    name: "gateway-api-certificate-ref-invalid",
    level: Level::Error,
    summary: "A Gateway API listener certificateRef that is not a Secret, or names a Secret the input does not have.",
    kinds: &["Gateway", "ListenerSet", "Secret", "Certificate"],
    explanation: "A listener that terminates TLS serves the certificate its `certificateRefs` \
        name: a Secret (the default kind, core group) in the Gateway's or ListenerSet's \
        namespace unless the reference names another. Istio takes no other kind, and when the \
        Secret does not exist it sets the listener's `ResolvedRefs` condition to False (reason \
        InvalidCertificateRef); with no certificate left, the listener serves no TLS. Since \
        offline input often leaves Secrets out, a missing one is reported only when the input \
        holds Secrets, and not when cert-manager issues it (a Certificate with that \
        `secretName` in the namespace, or the Gateway's `cert-manager.io/issuer` or \
        `cert-manager.io/cluster-issuer` annotation). Judged only for the listeners Istio \
        builds (Gateways of its classes; MSH3016 names the others).",
    example: Example {
        yaml: "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: ingress\nspec:\n  gatewayClassName: istio\n  listeners:\n  - name: https\n    port: 443\n    protocol: HTTPS\n    tls:\n      certificateRefs:\n      - {name: shop-certs}\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: shop-cert\ntype: kubernetes.io/tls\ndata: {tls.crt: \"\", tls.key: \"\"}\n",
        fires_at: &["spec.listeners[0].tls.certificateRefs[0]"],
    },
};

pub static CERTIFICATE_REF_NOT_PERMITTED: Rule = Rule {
    code: "MSH3013",
    name: "gateway-api-certificate-ref-not-permitted",
    level: Level::Error,
    summary: "A Gateway API listener certificateRef to a Secret of another namespace that no ReferenceGrant opens to the Gateway.",
    kinds: &["Gateway", "ListenerSet", "ReferenceGrant"],
    explanation: "A listener may serve a Secret of another namespace only when a \
        ReferenceGrant in that namespace allows it: `from` the Gateway (or the ListenerSet) \
        kind and namespace, `to` Secrets (all, or that name). Without one, Istio sets the \
        listener's `ResolvedRefs` condition to False (reason RefNotPermitted) and does not \
        serve the certificate. Add the ReferenceGrant in the Secret's namespace, or keep the \
        Secret next to the Gateway.",
    example: Example {
        yaml: "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: ingress\n  namespace: istio-ingress\nspec:\n  gatewayClassName: istio\n  listeners:\n  - name: https\n    port: 443\n    protocol: HTTPS\n    tls:\n      certificateRefs:\n      - {name: shop-cert, namespace: shop}\n",
        fires_at: &["spec.listeners[0].tls.certificateRefs[0]"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "meshctl.GatewayApiCertificateRefAnalyzer",
    rules: &[&CERTIFICATE_NOT_FOUND, &CERTIFICATE_REF_NOT_PERMITTED],
    run,
};

/// The option by which Istio serves its own workload certificate instead.
const TERMINATE_MODE_OPTION: &str = "gateway.istio.io/tls-terminate-mode";
const CERT_MANAGER: &str = "cert-manager.io";
const CERT_MANAGER_ISSUERS: [&str; 2] =
    ["cert-manager.io/issuer", "cert-manager.io/cluster-issuer"];

fn run(snapshot: &Snapshot, report: &mut Report) {
    let grants = snapshot.reference_grant_index();
    let secrets = Secrets::of(snapshot);
    for owned in listeners(snapshot) {
        let Some(tls) = &owned.listener.tls else {
            continue;
        };
        let istio_certificate = matches!(
            tls.options.get(TERMINATE_MODE_OPTION).map(String::as_str),
            Some("ISTIO_SIMPLE" | "ISTIO_MUTUAL")
        );
        // More than two is refused as a whole (InvalidTLS), not per reference.
        if tls.mode == Some(TlsMode::Passthrough)
            || istio_certificate
            || tls.certificate_refs.len() > 2
        {
            continue;
        }
        for (j, reference) in tls.certificate_refs.iter().enumerate() {
            let path = format!("{}.tls.certificateRefs[{j}]", owned.path());
            check(&owned, reference, &path, &grants, &secrets, report);
        }
    }
}

fn check(
    owned: &Owned,
    reference: &CertificateRef,
    path: &str,
    grants: &ReferenceGrants,
    secrets: &Secrets,
    report: &mut Report,
) {
    let own = owned.object.namespace.as_deref().unwrap_or_default();
    let namespace = reference.namespace.as_deref().unwrap_or(own);
    let name = reference.name.as_deref().unwrap_or_default();
    let kind = &owned.object.kind;
    let listener = owned.name();
    if namespace != own
        && !grants.allow(&CrossReference {
            route_kind: kind,
            route_namespace: own,
            namespace,
            group: "",
            kind: "Secret",
            name,
        })
    {
        report.report_with_help(
            &CERTIFICATE_REF_NOT_PERMITTED,
            owned.object,
            path,
            format!("listener {listener:?}: no ReferenceGrant in namespace {namespace:?} lets a {kind} of namespace {own:?} use Secret {name} (Istio: ResolvedRefs False, RefNotPermitted)"),
            format!("add a ReferenceGrant in {namespace:?} from {{group: gateway.networking.k8s.io, kind: {kind}, namespace: {own}}} to {{group: \"\", kind: Secret}}"),
        );
        return;
    }
    let group = reference.group.as_deref().unwrap_or_default();
    let ref_kind = reference.kind.as_deref().unwrap_or("Secret");
    if (group, ref_kind) != ("", "Secret") {
        report.report_with_help(
            &CERTIFICATE_NOT_FOUND,
            owned.object,
            path,
            format!("listener {listener:?}: certificateRef {group}/{ref_kind} {name} is not a Secret, the only kind Istio serves (Istio: ResolvedRefs False, InvalidCertificateRef)"),
            "refer to a Secret of type kubernetes.io/tls",
        );
    } else if secrets.missing(owned, namespace, name) {
        report.report_with_help(
            &CERTIFICATE_NOT_FOUND,
            owned.object,
            path,
            format!("listener {listener:?}: Secret {namespace}/{name} does not exist (Istio: ResolvedRefs False, InvalidCertificateRef); the listener has no certificate to serve"),
            format!("check the name, and that the Secret is in namespace {namespace:?}"),
        );
    }
}

/// The Secrets of the input, and those cert-manager Certificates will
/// write (`namespace/name`); `None` when the input holds no Secret, so
/// that none can be called missing.
struct Secrets<'a> {
    snapshot: &'a Snapshot,
    issued: Option<HashSet<String>>,
}

impl<'a> Secrets<'a> {
    fn of(snapshot: &'a Snapshot) -> Self {
        let any = snapshot.of_group_kind("", "Secret").next().is_some();
        let issued = any.then(|| {
            snapshot
                .of_group_kind(CERT_MANAGER, "Certificate")
                .filter_map(|c| {
                    let name = c.tree().get("spec")?.get_str("secretName")?;
                    let namespace = c.namespace.as_deref().unwrap_or_default();
                    Some(format!("{namespace}/{name}"))
                })
                .collect()
        });
        Secrets { snapshot, issued }
    }

    fn missing(&self, owned: &Owned, namespace: &str, name: &str) -> bool {
        let Some(issued) = &self.issued else {
            return false;
        };
        let annotations = &owned.object.metadata().annotations;
        let by_cert_manager = annotations
            .as_ref()
            .is_some_and(|a| CERT_MANAGER_ISSUERS.iter().any(|k| a.contains_key(k)));
        !by_cert_manager
            && self.snapshot.get("", "Secret", namespace, name).is_none()
            && !issued.contains(&format!("{namespace}/{name}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::{analyzer_tests, findings_of};

    analyzer_tests!(
        CERTIFICATE_NOT_FOUND,
        &CERTIFICATE_NOT_FOUND
            .example
            .yaml
            .replace("shop-certs", "shop-cert")
    );

    #[test]
    fn secrets_absent_from_the_input_or_issued_by_cert_manager_are_not_missing() {
        let example = CERTIFICATE_NOT_FOUND.example.yaml;
        let (gateway, _) = example.split_once("---\n").unwrap();
        assert_eq!(findings_of(&CERTIFICATE_NOT_FOUND, gateway), "");
        let certificate = "---\napiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: shop\nspec:\n  secretName: shop-certs\n  issuerRef: {name: letsencrypt}\n";
        assert_eq!(
            findings_of(&CERTIFICATE_NOT_FOUND, &format!("{example}{certificate}")),
            ""
        );
        let annotated = example.replace(
            "  name: ingress\n",
            "  name: ingress\n  annotations: {cert-manager.io/cluster-issuer: letsencrypt}\n",
        );
        assert_eq!(findings_of(&CERTIFICATE_NOT_FOUND, &annotated), "");
        let not_a_secret = gateway.replace(
            "{name: shop-certs}",
            "{group: example.com, kind: Vault, name: shop}",
        );
        insta::assert_snapshot!(findings_of(&CERTIFICATE_NOT_FOUND, &not_a_secret));
    }

    #[test]
    fn a_reference_grant_opens_another_namespace() {
        let example = CERTIFICATE_REF_NOT_PERMITTED.example.yaml;
        insta::assert_snapshot!(findings_of(&CERTIFICATE_REF_NOT_PERMITTED, example));
        let grant = "---\napiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\nmetadata:\n  name: ingress-certs\n  namespace: shop\nspec:\n  from:\n  - {group: gateway.networking.k8s.io, kind: Gateway, namespace: istio-ingress}\n  to:\n  - {group: \"\", kind: Secret}\n";
        let granted = format!("{example}{grant}");
        assert_eq!(findings_of(&CERTIFICATE_REF_NOT_PERMITTED, &granted), "");
        let for_routes = grant.replace("kind: Gateway,", "kind: HTTPRoute,");
        assert_ne!(
            findings_of(
                &CERTIFICATE_REF_NOT_PERMITTED,
                &format!("{example}{for_routes}")
            ),
            ""
        );
    }
}
