//! One certificate served by several Gateways on the same workloads
//! (IST0138).

use std::collections::{BTreeSet, HashMap};

use super::super::{Analyzer, Report};
use crate::mesh::selector::selects;
use crate::model::istio::ServerTlsSettings;
use crate::report::{Example, Level, Rule};
use crate::snapshot::Snapshot;

pub static DUPLICATE_CERTIFICATE: Rule = Rule {
    code: "IST0138",
    name: "gateway-duplicate-certificate",
    level: Level::Warning,
    summary: "Several Gateways on the same workloads serving the same certificate.",
    kinds: &["Gateway"],
    explanation: "A client may reuse an HTTP/2 connection for every host a server certificate \
        covers. When two Gateways on the same gateway pods each serve that certificate (the \
        same `credentialName`, or the same `serverCertificate` and `privateKey` files), the \
        reused connection lands on the first Gateway's routes, and requests meant for the \
        other Gateway's hosts get 404 responses. Serve the hosts from one Gateway (one server \
        with all the hosts), or give each Gateway its own certificate.\n\nA Gateway is \
        reported when its selector's labels are all in the other Gateway's selector (an empty \
        selector: always), so that the pods it configures include the other's.",
    example: Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: shop\nspec:\n  selector:\n    istio: ingressgateway\n  servers:\n  - port:\n      number: 443\n      name: https\n      protocol: HTTPS\n    hosts:\n    - shop.example.com\n    tls:\n      mode: SIMPLE\n      serverCertificate: /etc/certs/wildcard.pem\n      privateKey: /etc/certs/wildcard-key.pem\n---\napiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: blog\nspec:\n  selector:\n    istio: ingressgateway\n  servers:\n  - port:\n      number: 443\n      name: https\n      protocol: HTTPS\n    hosts:\n    - blog.example.com\n    tls:\n      mode: SIMPLE\n      serverCertificate: /etc/certs/wildcard.pem\n      privateKey: /etc/certs/wildcard-key.pem\n",
        fires_at: &[
            "spec.servers[0].tls.serverCertificate",
            "spec.servers[0].tls.serverCertificate",
        ],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "gateway.CertificateAnalyzer",
    rules: &[&DUPLICATE_CERTIFICATE],
    run,
};

/// A server certificate: a Secret, or certificate and key files (Istio
/// counts files as the same only when both paths are given and equal).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Certificate<'a> {
    Credential(&'a str),
    Files(&'a str, &'a str),
}

/// A field's value, when set and not empty.
fn filled(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|s| !s.is_empty())
}

impl Certificate<'_> {
    fn of(tls: &ServerTlsSettings) -> Option<(Certificate<'_>, &'static str)> {
        if let Some(name) = filled(&tls.credential_name) {
            return Some((Certificate::Credential(name), "credentialName"));
        }
        let files = (filled(&tls.server_certificate)?, filled(&tls.private_key)?);
        Some((Certificate::Files(files.0, files.1), "serverCertificate"))
    }

    fn describe(&self) -> String {
        match self {
            Certificate::Credential(name) => format!("credentialName {name:?}"),
            Certificate::Files(cert, _) => format!("serverCertificate {cert:?}"),
        }
    }
}

fn run(snapshot: &Snapshot, report: &mut Report) {
    let gateways: Vec<_> = snapshot.gateways().collect();
    // One pass: each certificate to the Gateways (and servers) serving it.
    let mut serving: HashMap<Certificate, Vec<usize>> = HashMap::new();
    let mut servers = Vec::new();
    for (g, (_, gateway)) in gateways.iter().enumerate() {
        for (i, server) in gateway.servers.iter().enumerate() {
            let Some((certificate, field)) = server.tls.as_ref().and_then(Certificate::of) else {
                continue;
            };
            let users = serving.entry(certificate).or_default();
            if users.last() != Some(&g) {
                users.push(g);
            }
            servers.push((g, i, certificate, field));
        }
    }
    for (g, i, certificate, field) in servers {
        let (object, gateway) = gateways[g];
        let others: BTreeSet<String> = serving[&certificate]
            .iter()
            .filter(|&&h| h != g && selects(&gateway.selector, &gateways[h].1.selector))
            .map(|&h| {
                let other = gateways[h].0;
                let namespace = other.namespace.as_deref().unwrap_or_default();
                format!("{namespace}/{}", other.name)
            })
            .collect();
        if others.is_empty() {
            continue;
        }
        report.report_with_help(
            &DUPLICATE_CERTIFICATE,
            object,
            &format!("spec.servers[{i}].tls.{field}"),
            format!(
                "the certificate of this server ({}) is also served by Gateway {}, whose selector picks pods this Gateway also configures: clients reusing HTTP/2 connections may get 404s",
                certificate.describe(),
                others.into_iter().collect::<Vec<_>>().join(", ")
            ),
            "serve these hosts from one Gateway server, or use a certificate per Gateway",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::{analyzer_tests, findings_of};

    fn gateway(name: &str, namespace: &str, selector: &str, tls: &str) -> String {
        format!(
            "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: {name}\n  namespace: {namespace}\nspec:\n  selector: {selector}\n  servers:\n  - port: {{number: 443, name: https, protocol: HTTPS}}\n    hosts: [{name}.example.com]\n    tls: {{mode: SIMPLE, {tls}}}\n---\n"
        )
    }

    analyzer_tests!(
        DUPLICATE_CERTIFICATE,
        &[
            gateway(
                "a",
                "default",
                "{istio: ingressgateway}",
                "credentialName: a-cert"
            ),
            gateway(
                "b",
                "default",
                "{istio: ingressgateway}",
                "credentialName: b-cert"
            ),
            // Same certificate file, other key: not the same credential.
            gateway(
                "c",
                "default",
                "{istio: ingressgateway}",
                "serverCertificate: /c.pem, privateKey: /c.key"
            ),
            gateway(
                "d",
                "default",
                "{istio: ingressgateway}",
                "serverCertificate: /c.pem, privateKey: /d.key"
            ),
            // A credentialName and files never compare equal.
            gateway(
                "e",
                "default",
                "{istio: ingressgateway}",
                "credentialName: /c.pem"
            ),
        ]
        .concat()
    );

    #[test]
    fn reported_on_the_gateway_whose_selector_is_within_the_others() {
        let yaml = [
            gateway(
                "wide",
                "default",
                "{istio: ingressgateway}",
                "credentialName: cert",
            ),
            gateway(
                "narrow",
                "istio-system",
                "{istio: ingressgateway, type: internal}",
                "credentialName: cert",
            ),
        ]
        .concat();
        let found = findings_of(&DUPLICATE_CERTIFICATE, &yaml);
        assert_eq!(found.lines().count(), 1, "{found}");
        assert!(
            found.contains("Gateway default/wide") && found.contains("Gateway istio-system/narrow"),
            "{found}"
        );
    }
}
