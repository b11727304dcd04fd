//! DestinationRules that originate TLS without a CA to check the server's
//! certificate against, for the whole host (IST0128) or a port (IST0129).

use super::super::{Analyzer, Report};

use crate::model::Object;
use crate::model::istio::{ClientTlsMode, ClientTlsSettings, DestinationRuleSpec};
use crate::report::{Example, Level, Rule};
use crate::snapshot::Snapshot;

const EXPLANATION: &str = "With TLS mode `SIMPLE` or `MUTUAL` the client proxy opens a TLS \
    connection to the destination. Without `caCertificates` it has nothing to check the \
    server's certificate against and accepts any certificate, so a man in the middle goes \
    unnoticed. Set `caCertificates` to the CA bundle that signed the server's certificate (or \
    `credentialName` on a DestinationRule with a `workloadSelector`, such as one for a \
    gateway, where the CA can come from the secret).";

pub static NO_VERIFICATION_HOST: Rule = Rule {
    code: "IST0128",
    name: "no-server-certificate-verification-destination-level",
    level: Level::Warning,
    summary: "A DestinationRule with TLS SIMPLE or MUTUAL for its host, but no caCertificates.",
    kinds: &["DestinationRule"],
    explanation: EXPLANATION,
    example: Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: db\nspec:\n  hosts: [db.example.com]\n  resolution: DNS\n  ports:\n  - {name: tls, number: 5432, protocol: TLS}\n---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: db-tls\nspec:\n  host: db.example.com\n  trafficPolicy:\n    tls:\n      mode: SIMPLE\n",
        fires_at: &["spec.trafficPolicy.tls.mode"],
    },
};

pub static NO_VERIFICATION_PORT: Rule = Rule {
    code: "IST0129",
    name: "no-server-certificate-verification-port-level",
    level: Level::Warning,
    summary: "A DestinationRule with TLS SIMPLE or MUTUAL for a port, but no caCertificates.",
    kinds: &["DestinationRule"],
    explanation: EXPLANATION,
    example: Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: db\nspec:\n  hosts: [db.example.com]\n  resolution: DNS\n  ports:\n  - {name: tls, number: 5432, protocol: TLS}\n---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: db-tls\nspec:\n  host: db.example.com\n  trafficPolicy:\n    portLevelSettings:\n    - port:\n        number: 5432\n      tls:\n        mode: MUTUAL\n        clientCertificate: /etc/certs/client.pem\n        privateKey: /etc/certs/client-key.pem\n",
        fires_at: &["spec.trafficPolicy.portLevelSettings[0].tls"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "destinationrule.CaCertificateAnalyzer",
    rules: &[&NO_VERIFICATION_HOST, &NO_VERIFICATION_PORT],
    run,
};

fn run(snapshot: &Snapshot, report: &mut Report) {
    for (object, rule) in snapshot.destination_rules() {
        let Some(policy) = &rule.traffic_policy else {
            continue;
        };
        let host = rule.host.as_deref().unwrap_or_default();
        if let Some(mode) = unverified(rule, policy.tls.as_ref()) {
            report_unverified(
                report,
                &NO_VERIFICATION_HOST,
                object,
                "spec.trafficPolicy.tls.mode",
                format!("TLS mode {mode} to host {host:?} without caCertificates"),
            );
        }
        for (i, port) in policy.port_level_settings.iter().enumerate() {
            if let Some(mode) = unverified(rule, port.tls.as_ref()) {
                let number = port
                    .port
                    .as_ref()
                    .and_then(|p| p.number)
                    .map_or_else(|| "(unset)".to_string(), |n| n.to_string());
                report_unverified(
                    report,
                    &NO_VERIFICATION_PORT,
                    object,
                    &format!("spec.trafficPolicy.portLevelSettings[{i}].tls"),
                    format!(
                        "TLS mode {mode} to host {host:?} port {number} without caCertificates"
                    ),
                );
            }
        }
    }
}

/// The mode, when these settings originate TLS without a way to verify
/// the server.
fn unverified(rule: &DestinationRuleSpec, tls: Option<&ClientTlsSettings>) -> Option<&'static str> {
    let tls = tls?;
    let mode = match tls.mode? {
        ClientTlsMode::Simple => "SIMPLE",
        ClientTlsMode::Mutual => "MUTUAL",
        _ => return None,
    };
    let set = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.is_empty());
    let from_credential = set(&tls.credential_name) && rule.workload_selector.is_some();
    (!set(&tls.ca_certificates) && !from_credential).then_some(mode)
}

fn report_unverified(
    report: &mut Report,
    rule: &'static Rule,
    object: &Object,
    path: &str,
    what: String,
) {
    report.report_with_help(
        rule,
        object,
        path,
        format!("{what}: the server's certificate is not verified"),
        "set caCertificates to the CA bundle that signed the server's certificate",
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::{analyzer_tests, findings_of};

    analyzer_tests!(
        NO_VERIFICATION_HOST,
        "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: db\nspec:\n  host: db.example.com\n  trafficPolicy:\n    tls:\n      mode: SIMPLE\n      caCertificates: /etc/certs/ca.pem\n    portLevelSettings:\n    - port: {number: 443}\n      tls: {mode: ISTIO_MUTUAL}\n---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: gateway-db\nspec:\n  host: db.example.com\n  workloadSelector:\n    matchLabels: {app: gateway}\n  trafficPolicy:\n    tls: {mode: MUTUAL, credentialName: db-client}\n    portLevelSettings:\n    - port: {number: 443}\n      tls: {mode: SIMPLE, credentialName: db-client}\n"
    );

    #[test]
    fn port_level_settings() {
        insta::assert_snapshot!(findings_of(
            &NO_VERIFICATION_PORT,
            NO_VERIFICATION_PORT.example.yaml
        ));
    }

    #[test]
    fn a_credential_name_counts_only_with_a_workload_selector() {
        let yaml = "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: db\nspec:\n  host: db.example.com\n  trafficPolicy:\n    tls: {mode: SIMPLE, credentialName: db-ca}\n    portLevelSettings:\n    - port: {number: 443}\n      tls: {mode: MUTUAL, credentialName: db-client}\n";
        assert_ne!(findings_of(&NO_VERIFICATION_HOST, yaml), "");
        assert!(findings_of(&NO_VERIFICATION_PORT, yaml).contains("port 443"));
    }
}
