//! Gateway TLS credentials: the Secret a server's `credentialName` names
//! must exist in the namespace of the gateway's pods (IST0101) and hold a
//! certificate the proxy can serve (IST0161).

use std::collections::{BTreeSet, HashMap};
use std::time::UNIX_EPOCH;

use base64::Engine;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

use x509_parser::parse_x509_certificate;
use x509_parser::pem::parse_x509_pem;

use super::super::{Analyzer, Report};
use super::ingress_port::{NO_WORKLOAD, report_no_workload};
use crate::loader::{Node, Value};
use crate::model::Object;
use crate::report::{Example, Level, Rule};
use crate::snapshot::Snapshot;

pub static CREDENTIAL_NOT_FOUND: Rule = Rule {
    code: "IST0101",
    name: "gateway-credential-not-found",
    level: Level::Error,
    summary: "A Gateway server's credentialName names no Secret in the gateway pods' namespace.",
    kinds: &["Gateway", "Secret", "Pod", "Deployment"],
    explanation: "A TLS server's `credentialName` is read by the gateway proxy from the \
        namespace the gateway's pods run in (not the Gateway's own namespace, unless it is \
        written `namespace/name`). When no Secret of that name is there, the server has no \
        certificate and the proxy refuses TLS connections on it. Create the Secret next to the \
        gateway pods (for the default ingress gateway: `istio-system`), or fix the name.",
    example: Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: shop\nspec:\n  selector:\n    istio: ingressgateway\n  servers:\n  - port:\n      number: 443\n      name: https\n      protocol: HTTPS\n    hosts:\n    - shop.example.com\n    tls:\n      mode: SIMPLE\n      credentialName: shop-cert\n",
        fires_at: &["spec.servers[0].tls.credentialName"],
    },
};

pub static INVALID_CREDENTIAL: Rule = Rule {
    code: "IST0161",
    name: "invalid-gateway-credential",
    level: Level::Error,
    summary: "A Gateway server's credentialName Secret holds no usable certificate.",
    kinds: &["Gateway", "Secret", "Pod", "Deployment"],
    explanation: "The Secret a TLS server's `credentialName` names must hold a certificate \
        chain and its key, under `tls.crt` and `tls.key` (a `kubernetes.io/tls` Secret) or under \
        `cert` and `key`. The first PEM block of the chain must be an X.509 certificate that is \
        valid now: neither expired nor valid only from a later date. Otherwise the proxy \
        rejects the credential and the server cannot complete TLS handshakes. Recreate the \
        Secret, e.g. with `kubectl create secret tls NAME --cert=... --key=...`.",
    example: Example {
        yaml: "apiVersion: v1\nkind: Secret\nmetadata:\n  name: shop-cert\n  namespace: istio-system\ntype: Opaque\ndata:\n  certificate: bm90IGEgY2VydGlmaWNhdGUK\n---\napiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: shop\nspec:\n  selector:\n    istio: ingressgateway\n  servers:\n  - port:\n      number: 443\n      name: https\n      protocol: HTTPS\n    hosts:\n    - shop.example.com\n    tls:\n      mode: SIMPLE\n      credentialName: shop-cert\n",
        fires_at: &["spec.servers[0].tls.credentialName"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "gateway.SecretAnalyzer",
    rules: &[&CREDENTIAL_NOT_FOUND, &INVALID_CREDENTIAL, &NO_WORKLOAD],
    run,
};

/// The check, at the snapshot's time.
fn run(snapshot: &Snapshot, report: &mut Report) {
    // Seconds since the Unix epoch, as certificates' validity is given.
    let now = snapshot
        .now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    // What is wrong with each Secret (None: nothing), worked out once.
    let mut problems: HashMap<(&str, &str), Option<String>> = HashMap::new();
    for (object, gateway) in snapshot.gateways() {
        // The gateway reads credentials where its pods run.
        let namespaces: BTreeSet<&str> = snapshot
            .workloads_selected(None, &gateway.selector)
            .map(|w| w.namespace.as_str())
            .collect();
        if namespaces.is_empty() {
            report_no_workload(report, object, &gateway.selector);
            continue;
        }
        for (i, server) in gateway.servers.iter().enumerate() {
            let Some(tls) = &server.tls else { continue };
            let names =
                tls.credential_name
                    .iter()
                    .map(|n| (n, format!("spec.servers[{i}].tls.credentialName")))
                    .chain(
                        tls.credential_names.iter().enumerate().map(|(k, n)| {
                            (n, format!("spec.servers[{i}].tls.credentialNames[{k}]"))
                        }),
                    );
            for (credential, path) in names {
                // `builtin://`, `kubernetes-gateway://`...: not a plain Secret name.
                if credential.is_empty() || credential.contains("://") {
                    continue;
                }
                let targets: Vec<(&str, &str)> = match credential.split_once('/') {
                    Some((namespace, name)) => vec![(namespace, name)],
                    None => namespaces
                        .iter()
                        .map(|ns| (*ns, credential.as_str()))
                        .collect(),
                };
                for (namespace, name) in targets {
                    let Some(secret) = snapshot.get("", "Secret", namespace, name) else {
                        report.report_with_help(
                            &CREDENTIAL_NOT_FOUND,
                            object,
                            &path,
                            format!(
                                "credentialName {credential:?}: no Secret {name:?} in namespace {namespace:?}, where the gateway's pods run"
                            ),
                            "create the Secret in the gateway pods' namespace, or fix the name",
                        );
                        continue;
                    };
                    let problem = problems
                        .entry((namespace, name))
                        .or_insert_with(|| credential_problem(secret, now));
                    if let Some(problem) = problem {
                        report.report_with_help(
                            &INVALID_CREDENTIAL,
                            object,
                            &path,
                            format!("credentialName {credential:?}: Secret {namespace}/{name} {problem}; the proxy cannot serve it"),
                            "store the certificate chain and key as tls.crt and tls.key (kubectl create secret tls)",
                        );
                    }
                }
            }
        }
    }
}

/// The key pairs a gateway credential may use, in the order Istio tries them.
const KEY_PAIRS: [(&str, &str); 2] = [("cert", "key"), ("tls.crt", "tls.key")];

/// What makes a Secret unusable as a gateway's server credential.
fn credential_problem(secret: &Object, now: i64) -> Option<String> {
    let values = secret_values(secret.tree());
    let value = |key: &str| values.iter().find(|(k, _)| *k == key).map(|(_, v)| v);
    for key in KEY_PAIRS.iter().flat_map(|(c, k)| [*c, *k]) {
        if let Some(Err(())) = value(key) {
            return Some(format!("has a {key:?} value that is not valid base64"));
        }
    }
    let filled = |key: &str| matches!(value(key), Some(Ok(v)) if !v.is_empty());
    if let Some((cert, _)) = KEY_PAIRS.iter().find(|(c, k)| filled(c) && filled(k)) {
        let Some(Ok(chain)) = value(cert) else {
            return None;
        };
        return certificate_problem(chain, now).map(|p| format!("has a {cert:?} that {p}"));
    }
    if let Some((cert, key)) = KEY_PAIRS
        .iter()
        .find(|(c, k)| value(c).is_some() && value(k).is_some())
    {
        return Some(format!("has an empty {cert:?} or {key:?}"));
    }
    let found: Vec<&str> = values.iter().map(|(k, _)| *k).collect();
    Some(format!(
        "has neither \"tls.crt\" and \"tls.key\" nor \"cert\" and \"key\" (it has: {})",
        if found.is_empty() {
            "no keys".to_string()
        } else {
            found.join(", ")
        }
    ))
}

/// What is wrong with the first PEM block of a certificate chain at `now`.
fn certificate_problem(chain: &[u8], now: i64) -> Option<String> {
    let pem = match parse_x509_pem(chain) {
        Ok((_, pem)) => pem,
        Err(_) => return Some("holds no PEM block".to_string()),
    };
    let mut der = pem.contents.as_slice();
    while !der.is_empty() {
        let certificate = match parse_x509_certificate(der) {
            Ok((rest, certificate)) => {
                der = rest;
                certificate
            }
            Err(e) => return Some(format!("is not an X.509 certificate ({e})")),
        };
        let validity = certificate.validity();
        if now > validity.not_after.timestamp() {
            return Some(format!(
                "holds a certificate that expired on {}",
                validity.not_after
            ));
        }
        if now < validity.not_before.timestamp() {
            return Some(format!(
                "holds a certificate that is not valid before {}",
                validity.not_before
            ));
        }
    }
    None
}

/// A Secret's values: `data` (base64-decoded; `Err` when it is not valid
/// base64) and `stringData` (taken as written), by key.
fn secret_values(node: &Node) -> Vec<(&str, Result<Vec<u8>, ()>)> {
    let entries = |field: &str| node.get(field).and_then(Node::as_map).unwrap_or_default();
    let data = entries("data").iter().map(|e| {
        let value = match &e.value.value {
            Value::Str(s) => decode_base64(s),
            Value::Null => Ok(Vec::new()),
            _ => Err(()),
        };
        (e.key.as_str(), value)
    });
    let string_data = entries("stringData").iter().map(|e| {
        let value = e.value.as_str().unwrap_or_default();
        (e.key.as_str(), Ok(value.as_bytes().to_vec()))
    });
    data.chain(string_data).collect()
}

/// Base64 as a Secret's `data` is read: the standard alphabet, padding
/// optional and leftover bits ignored (Go's non-strict decoder ignores them
/// too).
const SECRET_BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// A Secret value decoded; whitespace (YAML line folding) is skipped.
fn decode_base64(text: &str) -> Result<Vec<u8>, ()> {
    let compact: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    SECRET_BASE64.decode(compact).map_err(drop)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::analyze::test_support::{analyzer_tests, findings_of};
    use crate::analyze::{LintOptions, lint_loaded};
    use crate::loader::{Limits, LoadedFile, SourceFile, parse_documents};

    /// Self-signed, valid from 2026-11-21 until 2126-10-28.
    const FUTURE_CERT: &str = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJrakNDQVRlZ0F3SUJBZ0lVRUFpakFQMU1LZi9teUR4eXhrdHVSMWRtUUhvd0NnWUlLb1pJemowRUF3SXcKSFRFYk1Ca0dBMVVFQXd3U1puVjBkWEpsTG1WNFlXMXdiR1V1WTI5dE1DQVhEVEkyTVRFeU1UQTRNVFEwT0ZvWQpEekl4TWpZeE1ESTRNRGd4TkRRNFdqQWRNUnN3R1FZRFZRUUREQkptZFhSMWNtVXVaWGhoYlhCc1pTNWpiMjB3CldUQVRCZ2NxaGtqT1BRSUJCZ2dxaGtqT1BRTUJCd05DQUFTUU9VcEd5eXJnODlKSEdocTJYT2hVUnY1dnlVSXMKNnJzRDJqY0laemk1czRFYjZqWEg3VEplOU5pOXdQRlNtNkVueW1NU3BmZjdSajlwc3ArbVI4K0FvMU13VVRBZApCZ05WSFE0RUZnUVV1aXQ0YUV4NmloM2F6dnVOci9XTVQwWkRQNkF3SHdZRFZSMGpCQmd3Rm9BVXVpdDRhRXg2CmloM2F6dnVOci9XTVQwWkRQNkF3RHdZRFZSMFRBUUgvQkFVd0F3RUIvekFLQmdncWhrak9QUVFEQWdOSkFEQkcKQWlFQW5TUDRTVU5qSEhKZlU0ZjdPVGI4NVpPd2FvS2oyQlZNaE0vQnVlVEszejBDSVFDRG43cUplUm9JSC9FNApvb1FiWVlqaTVpSUJPZGNWakRUSm9qcjJCVm83Mmc9PQotLS0tLUVORCBDRVJUSUZJQ0FURS0tLS0tCg==";
    /// Self-signed, valid from 2000-01-01 until 2001-01-01.
    const EXPIRED_CERT: &str = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJJakNCeWdJQkFUQUtCZ2dxaGtqT1BRUURBakFlTVJ3d0dnWURWUVFEREJObGVIQnBjbVZrTG1WNFlXMXcKYkdVdVkyOXRNQjRYRFRBd01ERXdNVEF3TURBd01Gb1hEVEF4TURFd01UQXdNREF3TUZvd0hqRWNNQm9HQTFVRQpBd3dUWlhod2FYSmxaQzVsZUdGdGNHeGxMbU52YlRCWk1CTUdCeXFHU000OUFnRUdDQ3FHU000OUF3RUhBMElBCkJKQTVTa2JMS3VEejBrY2FHclpjNkZSRy9tL0pRaXpxdXdQYU53aG5PTG16Z1J2cU5jZnRNbDcwMkwzQThWS2IKb1NmS1l4S2w5L3RHUDJteW42Wkh6NEF3Q2dZSUtvWkl6ajBFQXdJRFJ3QXdSQUlnVjZoOEVQNjg0WDRWMGpuMApNbFNxYXlyTXJrRGFIdjlWYlZRdlUrdkpWZEFDSUhRa2xoRVZHalBsWW9sOGdMcCtZWkpvR2xnR3lTakpGYWp2CnZFZ01NWURMCi0tLS0tRU5EIENFUlRJRklDQVRFLS0tLS0K";
    /// "not checked" (the analyzer does not read the private key).
    const KEY: &str = "bm90IGNoZWNrZWQ=";

    fn with_secret(data: &str) -> String {
        format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: shop-cert\n  namespace: istio-system\ntype: kubernetes.io/tls\ndata:\n{data}---\n{}",
            CREDENTIAL_NOT_FOUND.example.yaml
        )
    }

    analyzer_tests!(
        INVALID_CREDENTIAL,
        &with_secret(&format!("  tls.crt: {FUTURE_CERT}\n  tls.key: {KEY}\n"))
    );

    #[test]
    fn missing_secret_on_the_example() {
        insta::assert_snapshot!(findings_of(
            &CREDENTIAL_NOT_FOUND,
            CREDENTIAL_NOT_FOUND.example.yaml
        ));
    }

    #[test]
    fn the_secret_must_be_where_the_gateway_pods_run() {
        // The Secret is in the Gateway's namespace, not in istio-system.
        let yaml = CREDENTIAL_NOT_FOUND.example.yaml.replace(
            "kind: Gateway\nmetadata:\n",
            "kind: Gateway\nmetadata:\n  namespace: shop\n",
        );
        let yaml = format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: shop-cert\n  namespace: shop\nstringData:\n  cert: x\n  key: y\n---\n{yaml}"
        );
        let found = findings_of(&CREDENTIAL_NOT_FOUND, &yaml);
        assert!(found.contains("namespace \"istio-system\""), "{found}");
        // Written namespace/name, it is looked up in that namespace.
        let qualified = yaml.replace(
            "credentialName: shop-cert",
            "credentialName: shop/shop-cert",
        );
        assert_eq!(findings_of(&CREDENTIAL_NOT_FOUND, &qualified), "");
    }

    #[test]
    fn expired_certificates_are_invalid() {
        let yaml = with_secret(&format!("  tls.crt: {EXPIRED_CERT}\n  tls.key: {KEY}\n"));
        let found = findings_of(&INVALID_CREDENTIAL, &yaml);
        assert!(found.contains("expired on Jan  1 00:00:00 2001"), "{found}");
    }

    #[test]
    fn generic_keys_work_and_empty_or_garbled_values_do_not() {
        let generic = with_secret(&format!("  cert: {FUTURE_CERT}\n  key: {KEY}\n"));
        assert_eq!(findings_of(&INVALID_CREDENTIAL, &generic), "");
        for (data, problem) in [
            (
                format!("  tls.crt: \"\"\n  tls.key: {KEY}\n"),
                "has an empty",
            ),
            (
                format!("  tls.crt: '%%%'\n  tls.key: {KEY}\n"),
                "not valid base64",
            ),
            (
                format!("  tls.crt: {KEY}\n  tls.key: {KEY}\n"),
                "holds no PEM block",
            ),
        ] {
            let found = findings_of(&INVALID_CREDENTIAL, &with_secret(&data));
            assert!(found.contains(problem), "{data}: {found}");
        }
    }

    #[test]
    fn validity_is_checked_at_the_given_time() {
        let pem = decode_base64(FUTURE_CERT).unwrap();
        // 2001-01-01: before the certificate's notBefore.
        let problem = certificate_problem(&pem, 978_307_200).unwrap();
        assert!(problem.contains("not valid before"), "{problem}");
        // 2050-01-01: within its validity.
        assert_eq!(certificate_problem(&pem, 2_524_608_000), None);
        let expired = decode_base64(EXPIRED_CERT).unwrap();
        assert_eq!(certificate_problem(&expired, 970_000_000), None);
    }

    #[test]
    fn lint_checks_at_the_time_it_is_given() {
        let yaml = with_secret(&format!("  tls.crt: {FUTURE_CERT}\n  tls.key: {KEY}\n"));
        let source = SourceFile::new("test.yaml", yaml);
        let documents = parse_documents(&source, &Limits::default());
        let options = LintOptions {
            // 2001-01-01: before the certificate's notBefore.
            now: UNIX_EPOCH + Duration::from_secs(978_307_200),
            ..LintOptions::default()
        };
        let found = lint_loaded(vec![LoadedFile { source, documents }], "default", options);
        assert!(
            found.iter().any(|d| d.message.contains("not valid before")),
            "{found:?}"
        );
    }

    #[test]
    fn decodes_base64() {
        assert_eq!(decode_base64("aGk=").unwrap(), b"hi");
        assert_eq!(decode_base64("aGk").unwrap(), b"hi");
        assert_eq!(decode_base64("aGVs\nbG8=").unwrap(), b"hello");
        assert!(decode_base64("a").is_err());
        assert!(decode_base64("aG=k").is_err());
    }
}
