//! HTTP routes for a Service whose ports all declare a TCP protocol: the
//! sidecar proxies those ports as opaque TCP, so the `http` rules never run.

use super::super::{Analyzer, Report};
use crate::mesh::gateway;
use crate::model::protocol::Protocol;
use crate::report::{Example, Level, Rule};
use crate::snapshot::Snapshot;

pub static RULE: Rule = Rule {
    code: "MSH3007",
    name: "http-routes-on-tcp-service",
    level: Level::Warning,
    summary: "A mesh VirtualService with `http` routes for a Service whose every port declares a TCP protocol.",
    kinds: &["VirtualService", "Service"],
    explanation: "Istio builds HTTP routes only for ports it treats as HTTP: a port named `http-*`, \
        `http2`, `grpc`, ... or with such an `appProtocol`, or an unnamed port it sniffs. When \
        every port of the destination Service says `tcp`, `tls`, `mongo`, `mysql` or `redis`, \
        the sidecar forwards the bytes as TCP and the VirtualService's `http` rules (matches, \
        retries, faults, header routing) silently never apply. Name the port after its real \
        protocol (`http-web`, or `appProtocol: http`), or route it with `tcp` rules.",
    example: Example {
        yaml: "apiVersion: v1\nkind: Service\nmetadata:\n  name: reviews\nspec:\n  selector:\n    app: reviews\n  ports:\n  - name: tcp-web\n    port: 9080\n---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n  http:\n  - match:\n    - headers:\n        end-user:\n          exact: jason\n    route:\n    - destination:\n        host: reviews\n",
        fires_at: &["spec.http"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "meshctl.HttpRoutesOnTcpServiceAnalyzer",
    rules: &[&RULE],
    run,
};

fn run(snapshot: &Snapshot, report: &mut Report) {
    for (object, spec) in snapshot.virtual_services() {
        let bound_to_mesh = gateway::binds_mesh(&spec.gateways);
        if spec.http.is_empty() || !bound_to_mesh {
            continue;
        }
        let namespace = object.namespace.as_deref().unwrap_or_default();
        for host in &spec.hosts {
            let Some((service_object, service)) =
                snapshot.service_by_host(&snapshot.resolve_host(host, namespace))
            else {
                continue;
            };
            let ports = service.spec.as_ref().and_then(|s| s.ports.as_ref());
            let protocols: Vec<Protocol> = ports
                .into_iter()
                .flatten()
                .map(|p| {
                    Protocol::of_service_port(
                        p.port,
                        p.name.as_deref().unwrap_or_default(),
                        p.protocol.as_deref(),
                        p.app_protocol.as_deref(),
                    )
                })
                .collect();
            if !protocols.is_empty() && protocols.iter().all(|p| p.is_tcp()) {
                report.report_with_help(
                    &RULE,
                    object,
                    "spec.http",
                    format!(
                        "host {host:?} is Service {}/{}, whose ports all declare TCP protocols ({}): the sidecar proxies them as TCP and these http routes never apply",
                        service_object.namespace.as_deref().unwrap_or_default(),
                        service_object.name,
                        protocols.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
                    ),
                    "name the Service port after its protocol (http-..., grpc, ...) or set appProtocol, or use tcp routes",
                );
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::analyzer_tests;

    analyzer_tests!(
        RULE,
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: reviews\nspec:\n  ports:\n  - name: tcp-admin\n    port: 9000\n  - name: web\n    port: 9080\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  ports:\n  - name: mysql\n    port: 3306\n---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination:\n        host: reviews\n---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: db-from-gateway\nspec:\n  hosts: [db]\n  gateways: [edge]\n  http:\n  - route:\n    - destination:\n        host: db\n"
    );
}
