//! Service ports whose protocol Istio cannot tell from the name or
//! `appProtocol` (IST0118), and ExternalName Services whose ports would not
//! forward TCP (IST0150).

use super::super::{Analyzer, Report};
use super::is_istio_control_plane;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::model::protocol::Protocol;
use crate::report::{Example, Level, Rule};
use crate::snapshot::Snapshot;

pub static PORT_NAME: Rule = Rule {
    code: "IST0118",
    name: "port-name-not-under-naming-convention",
    level: Level::Info,
    summary: "A Service port whose protocol Istio cannot tell from its name or appProtocol.",
    kinds: &["Service"],
    explanation: "Istio picks the protocol of a Service port from `appProtocol`, else from the \
        port name's prefix (`http`, `http2`, `https`, `grpc`, `grpc-web`, `tcp`, `tls`, `mongo`, \
        `mysql`, `redis`, `udp`, as `http-web` or `grpc`). Without either it sniffs the first bytes \
        of each connection, which costs latency and fails for server-first protocols. Name the \
        port `<protocol>[-suffix]` or set `appProtocol`.",
    example: Example {
        yaml: "apiVersion: v1\nkind: Service\nmetadata:\n  name: reviews\nspec:\n  selector:\n    app: reviews\n  ports:\n  - name: web\n    port: 9080\n",
        fires_at: &["spec.ports[0]"],
    },
};

pub static EXTERNAL_NAME_PORT: Rule = Rule {
    code: "IST0150",
    name: "external-name-service-invalid-port-name",
    level: Level::Warning,
    summary: "An ExternalName Service port the proxy may not forward TCP traffic for.",
    kinds: &["Service"],
    explanation: "For a Service of type ExternalName, a port named `tcp` (or one whose protocol \
        Istio cannot tell) may keep the proxy from forwarding its TCP traffic, and unmatched \
        traffic on it. Name the port after its actual protocol (`https`, `tls`, `mysql`, ...) or \
        set `appProtocol`.",
    example: Example {
        yaml: "apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  type: ExternalName\n  externalName: db.example.com\n  ports:\n  - name: tcp\n    port: 5432\n",
        fires_at: &["spec.ports[0]"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "service.PortNameAnalyzer",
    rules: &[&PORT_NAME, &EXTERNAL_NAME_PORT],
    run,
};

/// Label istio sets on the Services of the gateways it deploys itself.
const GATEWAY_MANAGED: &str = "gateway.istio.io/managed";

fn run(snapshot: &Snapshot, report: &mut Report) {
    for (object, service) in snapshot.services() {
        let labels = service.metadata.labels.as_ref();
        if is_istio_control_plane(labels) || labels.is_some_and(|l| l.contains_key(GATEWAY_MANAGED))
        {
            continue;
        }
        let Some(spec) = &service.spec else { continue };
        let external_name = spec.type_.as_deref() == Some("ExternalName");
        for (i, port) in spec.ports.iter().flatten().enumerate() {
            let name = port.name.as_deref().unwrap_or_default();
            let protocol = Protocol::of_service_port(
                port.port,
                name,
                port.protocol.as_deref(),
                port.app_protocol.as_deref(),
            );
            if protocol != Protocol::Unsupported && !(external_name && name == "tcp") {
                continue;
            }
            let path = format!("spec.ports[{i}]");
            if external_name {
                report.report(
                    &EXTERNAL_NAME_PORT,
                    object,
                    &path,
                    format!("port {:?} ({}) of an ExternalName Service: the proxy may not forward its TCP traffic; name it after its protocol", name, port.port),
                );
            } else {
                let target = port
                    .target_port
                    .as_ref()
                    .map(|t| match t {
                        IntOrString::Int(i) => i.to_string(),
                        IntOrString::String(s) => s.clone(),
                    })
                    .unwrap_or_else(|| port.port.to_string());
                report.report_with_help(
                    &PORT_NAME,
                    object,
                    &path,
                    format!(
                        "port name {name:?} (port {}, targetPort {target}) does not name a protocol Istio knows",
                        port.port
                    ),
                    "name the port <protocol>[-suffix] (http-web, grpc, tcp-db, ...) or set appProtocol",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::analyzer_tests;

    analyzer_tests!(
        PORT_NAME,
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: reviews\nspec:\n  ports:\n  - name: http-web\n    port: 9080\n  - name: web\n    port: 80\n    appProtocol: http\n  - port: 3306\n"
    );

    #[test]
    fn external_name_tcp_port() {
        insta::assert_snapshot!(crate::analyze::test_support::findings_of(
            &EXTERNAL_NAME_PORT,
            EXTERNAL_NAME_PORT.example.yaml
        ));
    }

    #[test]
    fn skips_the_control_plane() {
        let yaml = "apiVersion: v1\nkind: Service\nmetadata:\n  name: istiod\n  labels:\n    istio: pilot\nspec:\n  ports:\n  - name: web\n    port: 80\n";
        assert_eq!(
            crate::analyze::test_support::findings_of(&PORT_NAME, yaml),
            ""
        );
    }
}
