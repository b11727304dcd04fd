//! Gateway server TLS settings: what each mode needs and refuses, where
//! certificates come from, cipher suites and protocol versions.

use super::super::{Findings, webhook_rule};
use super::KINDS;
use crate::model::istio::{GatewaySpec, ServerTlsMode, ServerTlsSettings, TlsProtocol};
use crate::report::{Example, Rule};

pub static RULE: Rule = webhook_rule(
    "gateway-tls",
    KINDS,
    "Gateway TLS settings that Istio refuses or warns about.",
    "Certificates come from one source only: `credentialName`, `credentialNames`, \
     `serverCertificate`/`privateKey` files, or `tlsCertificates`. SIMPLE, MUTUAL and OPTIONAL_MUTUAL \
     servers without a credential name need a server certificate and private key (in each \
     `tlsCertificates` entry if used), and the mutual modes a client CA bundle (`caCertificates`). \
     ISTIO_MUTUAL uses the mesh's certificates, so it refuses all of these fields. A CRL (`caCrl`) \
     cannot be used with SIMPLE or with `credentialName`. Istio warns when PASSTHROUGH or \
     AUTO_PASSTHROUGH (the default mode) is given certificates it ignores, about unknown or repeated \
     cipher suites, and when a minimum version below TLSV1_2 has no cipher suites to go with it. \
     meshctl also warns about unknown or repeated `ecdhCurves`: Istio hands them to Envoy unchecked \
     (its webhook checks curves only in the mesh config's TLS defaults), and Envoy refuses a \
     listener whose curve list it cannot read.",
    Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: public\n  namespace: istio-ingress\nspec:\n  servers:\n  - port: {number: 443, name: https, protocol: HTTPS}\n    hosts: [\"*.example.com\"]\n    tls:\n      mode: MUTUAL\n      serverCertificate: /etc/certs/server.pem\n      cipherSuites: [ECDHE-RSA-AES128-GCM-SHA256, RC4-MD5]\n  - port: {number: 8443, name: mesh, protocol: TLS}\n    hosts: [\"*.example.com\"]\n    tls: {mode: ISTIO_MUTUAL, credentialName: mesh-cert}\n",
        fires_at: &[
            "spec.servers[0].tls.caCertificates",
            "spec.servers[0].tls.privateKey",
            "spec.servers[1].tls.credentialName",
        ],
    },
);

pub fn check(spec: &GatewaySpec, found: &mut Findings) {
    for (i, server) in spec.servers.iter().enumerate() {
        if let Some(tls) = &server.tls {
            check_tls(tls, &format!("spec.servers[{i}].tls"), found);
        }
    }
}

fn set(value: &Option<String>) -> bool {
    value.as_deref().is_some_and(|v| !v.is_empty())
}

fn check_tls(tls: &ServerTlsSettings, path: &str, found: &mut Findings) {
    check_tls_options(tls, path, found);
    // The default mode is PASSTHROUGH.
    let mode = tls.mode.unwrap_or(ServerTlsMode::Passthrough);
    match mode {
        ServerTlsMode::IstioMutual => return check_istio_mutual(tls, path, found),
        ServerTlsMode::Passthrough | ServerTlsMode::AutoPassthrough => {
            let certificates = [
                &tls.ca_crl,
                &tls.server_certificate,
                &tls.private_key,
                &tls.ca_certificates,
                &tls.credential_name,
            ]
            .into_iter()
            .any(set)
                || !tls.tls_certificates.is_empty()
                || !tls.credential_names.is_empty();
            if certificates {
                found.warn(
                    path,
                    format!(
                        "{} mode does not use certificates, they will be ignored",
                        mode_name(mode)
                    ),
                );
            }
        }
        _ => {}
    }
    check_certificate_sources(tls, path, found);
    let terminating = matches!(
        mode,
        ServerTlsMode::Simple | ServerTlsMode::Mutual | ServerTlsMode::OptionalMutual
    );
    let credential = set(&tls.credential_name) || !tls.credential_names.is_empty();
    if terminating && credential {
        // Certificates are fetched from the credential; nothing else applies.
        return;
    }
    if terminating {
        check_certificates(tls, mode, path, found);
    }
    if set(&tls.ca_crl) {
        if set(&tls.credential_name) {
            found.report(
                format!("{path}.caCrl"),
                "CRL is not supported with credentialName. CRL has to be specified in the credential",
            );
        }
        if mode == ServerTlsMode::Simple {
            found.report(
                format!("{path}.caCrl"),
                "CRL is not supported with SIMPLE TLS",
            );
        }
    }
}

fn mode_name(mode: ServerTlsMode) -> &'static str {
    match mode {
        ServerTlsMode::Passthrough => "PASSTHROUGH",
        ServerTlsMode::Simple => "SIMPLE",
        ServerTlsMode::Mutual => "MUTUAL",
        ServerTlsMode::AutoPassthrough => "AUTO_PASSTHROUGH",
        ServerTlsMode::IstioMutual => "ISTIO_MUTUAL",
        ServerTlsMode::OptionalMutual => "OPTIONAL_MUTUAL",
    }
}

/// Cipher suites Envoy's BoringSSL offers to Gateways.
const CIPHER_SUITES: &[&str] = &[
    "ECDHE-ECDSA-AES128-GCM-SHA256",
    "ECDHE-RSA-AES128-GCM-SHA256",
    "ECDHE-ECDSA-AES256-GCM-SHA384",
    "ECDHE-RSA-AES256-GCM-SHA384",
    "ECDHE-ECDSA-CHACHA20-POLY1305",
    "ECDHE-RSA-CHACHA20-POLY1305",
    "ECDHE-ECDSA-AES128-SHA",
    "ECDHE-RSA-AES128-SHA",
    "ECDHE-ECDSA-AES256-SHA",
    "ECDHE-RSA-AES256-SHA",
    "AES128-GCM-SHA256",
    "AES256-GCM-SHA384",
    "AES128-SHA",
    "AES256-SHA",
    "DES-CBC3-SHA",
];

/// Istio accepts `ALL`, and entries that start with an operator (`-`,
/// `+`, `!`, `[`) without parsing them. It reads the first byte as a
/// character of its own (Latin-1), so a multi-byte first character counts
/// as an operator when its lead byte is not a letter or digit there.
fn known_cipher(suite: &str) -> bool {
    let Some(&first) = suite.as_bytes().first() else {
        return true;
    };
    suite == "ALL" || !char::from(first).is_alphanumeric() || CIPHER_SUITES.contains(&suite)
}

/// The ECDH curves Envoy's TLS library (BoringSSL) knows by name; Istio's
/// `security.ValidECDHCurves` lists the same for the mesh's TLS defaults.
const ECDH_CURVES: &[&str] = &[
    "P-224",
    "P-256",
    "P-384",
    "P-521",
    "X25519",
    "X25519Kyber768Draft00",
    "X25519MLKEM768",
];

/// Istio's TLS options checks (cipher suites and the minimum version) and
/// the same checks for ECDH curves, shared by Gateway servers and Sidecar
/// ingress listeners.
pub(in crate::validate::rules) fn check_tls_options(
    tls: &ServerTlsSettings,
    path: &str,
    found: &mut Findings,
) {
    let old_minimum = matches!(
        tls.min_protocol_version,
        Some(TlsProtocol::Tlsv10 | TlsProtocol::Tlsv11)
    );
    if old_minimum && tls.cipher_suites.is_empty() {
        found.warn(
            format!("{path}.minProtocolVersion"),
            "TLS version below TLSV1_2 require setting compatible ciphers as by default they no longer include compatible ciphers",
        );
    }
    let mut seen: Vec<&str> = Vec::new();
    for (k, suite) in tls.cipher_suites.iter().enumerate() {
        let suite_path = format!("{path}.cipherSuites[{k}]");
        if !known_cipher(suite) {
            found.warn(
                suite_path,
                format!("ignoring invalid cipher suite {suite:?}"),
            );
        } else if seen.contains(&suite.as_str()) {
            found.warn(
                suite_path,
                format!("ignoring duplicate cipher suite {suite:?}"),
            );
        } else {
            seen.push(suite);
        }
    }
    check_ecdh_curves(tls, path, found);
}

fn check_ecdh_curves(tls: &ServerTlsSettings, path: &str, found: &mut Findings) {
    let mut seen: Vec<&str> = Vec::new();
    for (k, curve) in tls.ecdh_curves.iter().enumerate() {
        let curve_path = format!("{path}.ecdhCurves[{k}]");
        if !curve.is_empty() && !ECDH_CURVES.contains(&curve.as_str()) {
            found.warn(
                curve_path,
                format!(
                    "unrecognized ECDH curve {curve:?}: Envoy refuses the listener (known: {})",
                    ECDH_CURVES.join(", ")
                ),
            );
        } else if seen.contains(&curve.as_str()) {
            found.warn(curve_path, format!("duplicate ECDH curve {curve:?}"));
        } else {
            seen.push(curve);
        }
    }
}

fn check_istio_mutual(tls: &ServerTlsSettings, path: &str, found: &mut Findings) {
    let fields = [
        (
            "serverCertificate",
            set(&tls.server_certificate),
            "server certificate",
        ),
        ("privateKey", set(&tls.private_key), "private key"),
        ("caCertificates", set(&tls.ca_certificates), "CA bundle"),
        (
            "tlsCertificates",
            !tls.tls_certificates.is_empty(),
            "tlsCertificates",
        ),
        (
            "credentialName",
            set(&tls.credential_name),
            "credentialName",
        ),
        (
            "credentialNames",
            !tls.credential_names.is_empty(),
            "credentialNames",
        ),
    ];
    for (field, present, what) in fields {
        if present {
            found.report(
                format!("{path}.{field}"),
                format!("ISTIO_MUTUAL TLS cannot have associated {what}"),
            );
        }
    }
}

/// One certificate source at most; the CRD's CEL rules name the pairs.
fn check_certificate_sources(tls: &ServerTlsSettings, path: &str, found: &mut Findings) {
    let names = !tls.credential_names.is_empty();
    if names && !tls.tls_certificates.is_empty() {
        found.report(
            path,
            "only one of credentialNames or tlsCertificates can be set",
        );
    } else if names && tls.credential_name.is_some() {
        found.report(
            path,
            "only one of credentialName or credentialNames can be set",
        );
    } else {
        let sources = [
            set(&tls.server_certificate) && set(&tls.private_key),
            set(&tls.credential_name),
            names,
            !tls.tls_certificates.is_empty(),
        ];
        if sources.iter().filter(|s| **s).count() > 1 {
            found.report(
                path,
                "only one of credentialName, credentialNames, serverCertificate/privateKey, tlsCertificates should be specified",
            );
        }
    }
}

/// Terminating modes without a credential read certificate files.
fn check_certificates(
    tls: &ServerTlsSettings,
    mode: ServerTlsMode,
    path: &str,
    found: &mut Findings,
) {
    let prefix = if mode == ServerTlsMode::Simple {
        "SIMPLE TLS"
    } else {
        if !set(&tls.ca_certificates) {
            found.report(
                format!("{path}.caCertificates"),
                "MUTUAL TLS requires a client CA bundle",
            );
        }
        "MUTUAL TLS"
    };
    let pairs: Vec<(String, bool, bool)> = if tls.tls_certificates.is_empty() {
        vec![(
            path.to_string(),
            set(&tls.server_certificate),
            set(&tls.private_key),
        )]
    } else {
        tls.tls_certificates
            .iter()
            .enumerate()
            .map(|(k, c)| {
                (
                    format!("{path}.tlsCertificates[{k}]"),
                    set(&c.server_certificate),
                    set(&c.private_key),
                )
            })
            .collect()
    };
    for (at, certificate, key) in pairs {
        if !certificate {
            found.report(
                format!("{at}.serverCertificate"),
                format!("{prefix} requires a server certificate"),
            );
        }
        if !key {
            found.report(
                format!("{at}.privateKey"),
                format!("{prefix} requires a private key"),
            );
        }
    }
}

#[cfg(test)]
mod cases {
    use crate::validate::test_support::findings;

    fn gateway(tls: &str) -> String {
        format!(
            "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {{name: g, namespace: ns}}\nspec:\n  servers:\n  - port: {{number: 443, name: https, protocol: HTTPS}}\n    hosts: [\"*.example.com\"]\n    tls: {tls}\n"
        )
    }

    #[test]
    fn accepts_good_tls() {
        for tls in [
            "{mode: SIMPLE, credentialName: cert}",
            "{mode: SIMPLE, credentialNames: [rsa, ecdsa]}",
            "{mode: MUTUAL, credentialName: cert, caCrl: /crl.pem}",
            "{mode: SIMPLE, serverCertificate: /c.pem, privateKey: /k.pem}",
            "{mode: MUTUAL, serverCertificate: /c.pem, privateKey: /k.pem, caCertificates: /ca.pem, caCrl: /crl.pem}",
            "{mode: SIMPLE, tlsCertificates: [{serverCertificate: /c.pem, privateKey: /k.pem}]}",
            "{mode: ISTIO_MUTUAL}",
            "{mode: PASSTHROUGH}",
            "{mode: SIMPLE, credentialName: c, minProtocolVersion: TLSV1_1, cipherSuites: [\"-AES128-SHA\", ALL]}",
            "{mode: SIMPLE, credentialName: c, cipherSuites: [\"\u{5d0}AES\", \"\"]}",
            "{mode: SIMPLE, credentialName: c, ecdhCurves: [X25519MLKEM768, X25519, P-256, \"\"]}",
        ] {
            assert_eq!(findings(&gateway(tls)), "", "{tls}");
        }
    }

    #[test]
    fn refuses_bad_tls() {
        for tls in [
            "{mode: SIMPLE}",
            "{mode: OPTIONAL_MUTUAL, serverCertificate: /c.pem, privateKey: /k.pem}",
            "{mode: SIMPLE, credentialName: a, credentialNames: [b]}",
            "{mode: SIMPLE, credentialNames: [b], tlsCertificates: [{serverCertificate: /c.pem, privateKey: /k.pem}]}",
            "{mode: SIMPLE, credentialName: a, serverCertificate: /c.pem, privateKey: /k.pem}",
            "{mode: SIMPLE, tlsCertificates: [{serverCertificate: /c.pem}]}",
            "{mode: SIMPLE, serverCertificate: /c.pem, privateKey: /k.pem, caCrl: /crl.pem}",
            "{mode: ISTIO_MUTUAL, caCertificates: /ca.pem}",
            "{mode: PASSTHROUGH, credentialName: c}",
            "{mode: SIMPLE, credentialName: c, minProtocolVersion: TLSV1_0}",
            "{mode: SIMPLE, credentialName: c, cipherSuites: [AES128-SHA, AES128-SHA]}",
            "{mode: SIMPLE, credentialName: c, cipherSuites: [\"\u{e9}AES\"]}",
            "{mode: SIMPLE, credentialName: c, ecdhCurves: [secp256r1]}",
            "{mode: SIMPLE, credentialName: c, ecdhCurves: [P-256, P-256]}",
        ] {
            assert!(findings(&gateway(tls)).contains("IST0"), "{tls}");
        }
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
