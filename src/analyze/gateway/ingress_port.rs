//! Gateways whose selector picks no workload (IST0101), and Gateway server
//! ports that no Service in front of the gateway's pods forwards to
//! (IST0162).

use crate::model::StringMap;
use std::collections::{HashMap, HashSet};

use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::super::{Analyzer, Report};
use super::selector_text;
use crate::mesh::selector::selects;
use crate::model::Object;
use crate::model::kube::{PodSpec, ServiceSpec};
use crate::report::{Example, Level, Rule};
use crate::snapshot::Snapshot;

pub(super) static NO_WORKLOAD: Rule = Rule {
    code: "IST0101",
    name: "gateway-selector-matches-no-workload",
    level: Level::Error,
    summary: "A Gateway whose selector matches no gateway pod.",
    kinds: &["Gateway", "Pod", "Deployment"],
    explanation: "A Gateway configures the proxies of the pods its `selector` picks, in any \
        namespace. When no pod (or workload template) carries every label of the selector, the \
        Gateway configures nothing and its servers never listen. Fix the labels of the selector \
        (the default ingress gateway is `istio: ingressgateway`) or deploy the gateway workload.",
    example: Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: web\nspec:\n  selector:\n    istio: ingresgateway\n  servers:\n  - port:\n      number: 80\n      name: http\n      protocol: HTTP\n    hosts:\n    - \"*\"\n",
        fires_at: &["spec.selector"],
    },
};

pub static PORT_NOT_ON_SERVICE: Rule = Rule {
    code: "IST0162",
    name: "gateway-port-not-exposed-by-service",
    level: Level::Warning,
    summary: "A Gateway server port that no Service of the gateway's pods exposes.",
    kinds: &["Gateway", "Service", "Pod", "Deployment"],
    explanation: "A Gateway server's `port.number` is the port the gateway proxy listens on \
        inside its pods. Traffic reaches it through a Service that selects those pods; when no \
        such Service (in the pods' namespace, protocol TCP) has that number as `port` or \
        `targetPort`, the listener exists but nothing outside the pod can reach it. Add the port \
        to the gateway's Service, or use a port the Service already exposes (for the default \
        ingress gateway: 80, 443, 31400 or 15443).",
    example: Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: web\nspec:\n  selector:\n    istio: ingressgateway\n  servers:\n  - port:\n      number: 80\n      name: http\n      protocol: HTTP\n    hosts:\n    - \"*\"\n  - port:\n      number: 8080\n      name: http-alt\n      protocol: HTTP\n    hosts:\n    - \"*\"\n",
        fires_at: &["spec.servers[1].port.number"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "gateway.IngressGatewayPortAnalyzer",
    rules: &[&NO_WORKLOAD, &PORT_NOT_ON_SERVICE],
    run,
};

/// The selector and ports of the Services of one namespace.
type ServicesByNamespace<'a> = HashMap<&'a str, Vec<&'a ServiceSpec>>;

fn run(snapshot: &Snapshot, report: &mut Report) {
    let mut services: ServicesByNamespace = HashMap::new();
    for (object, service) in snapshot.services() {
        if let Some(spec) = &service.spec {
            let namespace = object.namespace.as_deref().unwrap_or_default();
            services.entry(namespace).or_default().push(spec);
        }
    }
    // Gateways often share a selector: work out each selector's ports once.
    let mut exposed_by_selector: HashMap<&StringMap, Option<HashSet<i32>>> = HashMap::new();
    for (object, gateway) in snapshot.gateways() {
        let exposed = exposed_by_selector
            .entry(&gateway.selector)
            .or_insert_with(|| exposed_ports(snapshot, &services, &gateway.selector));
        let selector = selector_text(&gateway.selector);
        let Some(exposed) = exposed else {
            report_no_workload(report, object, &gateway.selector);
            continue;
        };
        for (i, server) in gateway.servers.iter().enumerate() {
            let Some(number) = server.port.as_ref().and_then(|p| p.number) else {
                continue;
            };
            if i32::try_from(number).is_ok_and(|n| exposed.contains(&n)) {
                continue;
            }
            report.report_with_help(
                &PORT_NOT_ON_SERVICE,
                object,
                &format!("spec.servers[{i}].port.number"),
                format!(
                    "port {number} is not the port or targetPort of any TCP Service port selecting the gateway's pods (selector {{{selector}}}): the listener cannot be reached through a Service"
                ),
                "add the port to the gateway's Service, or listen on a port it exposes",
            );
        }
    }
}

/// Reports a Gateway whose selector matches no workload. Several of
/// istioctl's gateway analyzers report it, and so do ours (so that
/// `--analyzer` with any of them still does); lint keeps one of the
/// identical findings.
pub(super) fn report_no_workload(report: &mut Report, object: &Object, selector: &StringMap) {
    report.report_with_help(
        &NO_WORKLOAD,
        object,
        "spec.selector",
        format!(
            "selector {{{}}} matches no pod or workload in any namespace",
            selector_text(selector)
        ),
        "set the selector to the labels of the gateway's pods (istio: ingressgateway for the default ingress gateway)",
    );
}

/// The ports reaching the pods `selector` picks: `port` and `targetPort`
/// of every TCP port of the Services in each pod's namespace that select
/// it. `None` when the selector matches no workload.
fn exposed_ports(
    snapshot: &Snapshot,
    services: &ServicesByNamespace,
    selector: &StringMap,
) -> Option<HashSet<i32>> {
    let mut matched = false;
    let mut ports = HashSet::new();
    for workload in snapshot.workloads_selected(None, selector) {
        matched = true;
        let pod = workload.pod(snapshot.workload_object(workload));
        let selecting = services
            .get(workload.namespace.as_str())
            .into_iter()
            .flatten()
            .filter(|spec| service_selects(spec, &workload.labels));
        for spec in selecting {
            for port in spec.ports.iter().flatten() {
                if port.protocol.as_deref().is_some_and(|p| p != "TCP") {
                    continue;
                }
                ports.insert(port.port);
                let target = match &port.target_port {
                    Some(IntOrString::Int(n)) if *n != 0 => *n,
                    Some(IntOrString::String(name)) => pod
                        .and_then(|(_, spec)| container_port(spec, name))
                        .unwrap_or(port.port),
                    _ => port.port,
                };
                ports.insert(target);
            }
        }
    }
    matched.then_some(ports)
}

/// Whether a Service selects pods with these labels. A Service without a
/// selector selects no pod (its endpoints are managed by hand).
fn service_selects(spec: &ServiceSpec, labels: &StringMap) -> bool {
    spec.selector
        .as_ref()
        .is_some_and(|selector| !selector.is_empty() && selects(selector, labels))
}

/// The number of a named target port: a container port of that name, or a
/// number written as a string.
fn container_port(spec: &PodSpec, name: &str) -> Option<i32> {
    spec.containers
        .iter()
        .flat_map(|c| c.ports.iter().flatten())
        .find(|p| p.name.as_deref() == Some(name))
        .map(|p| p.container_port)
        .or_else(|| name.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::{analyzer_tests, findings_of};

    analyzer_tests!(
        NO_WORKLOAD,
        "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: web\nspec:\n  selector:\n    istio: ingressgateway\n  servers:\n  - port: {number: 443, name: https, protocol: HTTPS}\n    hosts: [\"*\"]\n    tls: {mode: PASSTHROUGH}\n"
    );

    #[test]
    fn unreachable_port_on_the_example() {
        insta::assert_snapshot!(findings_of(
            &PORT_NOT_ON_SERVICE,
            PORT_NOT_ON_SERVICE.example.yaml
        ));
    }

    /// A custom gateway: a Deployment and a Service mapping port 80 to
    /// target port 8080 (by name or number).
    fn custom(target_port: &str, gateway_port: u32) -> String {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: gw\n  namespace: edge\nspec:\n  selector:\n    matchLabels: {{app: gw}}\n  template:\n    metadata:\n      labels: {{app: gw}}\n    spec:\n      containers:\n      - name: istio-proxy\n        image: proxyv2\n        ports:\n        - {{name: http-in, containerPort: 8080}}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: gw\n  namespace: edge\nspec:\n  selector: {{app: gw}}\n  ports:\n  - {{name: http, port: 80, targetPort: {target_port}}}\n---\napiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: web\nspec:\n  selector: {{app: gw}}\n  servers:\n  - port: {{number: {gateway_port}, name: http, protocol: HTTP}}\n    hosts: [\"*\"]\n"
        )
    }

    #[test]
    fn service_port_and_target_port_both_reach_the_gateway() {
        for target in ["8080", "http-in"] {
            assert_eq!(findings_of(&PORT_NOT_ON_SERVICE, &custom(target, 8080)), "");
            assert_eq!(findings_of(&PORT_NOT_ON_SERVICE, &custom(target, 80)), "");
        }
        let bad = findings_of(&PORT_NOT_ON_SERVICE, &custom("8080", 9090));
        assert!(bad.contains("port 9090 is not"), "{bad}");
    }

    #[test]
    fn services_of_other_namespaces_or_pods_do_not_count() {
        // The Service selecting the gateway pods is in another namespace,
        // and the one in its namespace selects other pods.
        let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: gw\n  namespace: edge\n  labels: {app: gw}\nspec:\n  containers: [{name: istio-proxy, image: proxyv2}]\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: gw\n  namespace: other\nspec:\n  selector: {app: gw}\n  ports: [{name: http, port: 8080}]\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: else\n  namespace: edge\nspec:\n  selector: {app: other}\n  ports: [{name: http, port: 8080}]\n---\napiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: web\nspec:\n  selector: {app: gw}\n  servers:\n  - port: {number: 8080, name: http, protocol: HTTP}\n    hosts: [\"*\"]\n";
        let found = findings_of(&PORT_NOT_ON_SERVICE, yaml);
        assert!(found.contains("spec.servers[0].port.number"), "{found}");
        assert_eq!(findings_of(&NO_WORKLOAD, yaml), "");
    }

    #[test]
    fn udp_service_ports_do_not_reach_the_gateway() {
        let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: gw\n  labels: {app: gw}\nspec:\n  containers: [{name: istio-proxy, image: proxyv2}]\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: gw\nspec:\n  selector: {app: gw}\n  ports: [{name: udp-dns, port: 53, protocol: UDP}]\n---\napiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: dns\nspec:\n  selector: {app: gw}\n  servers:\n  - port: {number: 53, name: tcp-dns, protocol: TCP}\n    hosts: [\"*\"]\n";
        assert_ne!(findings_of(&PORT_NOT_ON_SERVICE, yaml), "");
    }
}
