//! The Services that select a mesh Deployment's pods: one port number with
//! different protocols (IST0116), or one targetPort reached through
//! different ports (IST0137).

use crate::model::StringMap;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::super::{Analyzer, Report};
use super::{INJECTION_LABEL, PROXY_CONTAINER, SIDECAR_INJECT, namespace_labels};
use crate::mesh::selector::selects;
use crate::model::Object;
use crate::model::kube::{Controller, KubeObject, Service};
use crate::report::{Example, Level, Rule};
use crate::snapshot::Snapshot;

pub static MULTIPLE_PROTOCOLS: Rule = Rule {
    code: "IST0116",
    name: "deployment-associated-to-multiple-services",
    level: Level::Warning,
    summary: "Services selecting one mesh Deployment that use the same port with different protocols.",
    kinds: &["Deployment", "Service", "Namespace"],
    explanation: "The sidecar of a pod builds one inbound listener per port. When two Services \
        select the same pods and declare the same port number with different protocols \
        (`TCP` and `UDP`, ...), the proxy cannot serve both. Use one protocol per port across \
        the Services of a workload. Only Deployments in the mesh are checked (with an \
        `istio-proxy` container, or injected by label, annotation or namespace).",
    example: Example {
        yaml: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: dns\nspec:\n  selector:\n    matchLabels: {app: dns}\n  template:\n    metadata:\n      labels:\n        app: dns\n        sidecar.istio.io/inject: \"true\"\n    spec:\n      containers:\n      - name: dns\n        image: coredns\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: dns-tcp\nspec:\n  selector: {app: dns}\n  ports:\n  - {name: tcp-dns, port: 53}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: dns-udp\nspec:\n  selector: {app: dns}\n  ports:\n  - {name: udp-dns, port: 53, protocol: UDP}\n",
        fires_at: &["metadata.name"],
    },
};

pub static CONFLICTING_PORTS: Rule = Rule {
    code: "IST0137",
    name: "deployment-conflicting-ports",
    level: Level::Warning,
    summary: "Services selecting one mesh Deployment that send different ports to the same targetPort.",
    kinds: &["Deployment", "Service", "Namespace"],
    explanation: "Two Services that select the same workload and forward to the same \
        `targetPort` must do so from the same `port`: the sidecar keys its inbound \
        configuration by Service port, and different ports for one target make it pick one \
        Service's settings at random. Align the ports, or target different container ports. \
        Only Deployments in the mesh are checked.",
    example: Example {
        yaml: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels:\n        app: web\n        sidecar.istio.io/inject: \"true\"\n    spec:\n      containers:\n      - name: web\n        image: nginx\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports:\n  - {name: http, port: 80, targetPort: 8080}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web-alt\nspec:\n  selector: {app: web}\n  ports:\n  - {name: http, port: 8000, targetPort: 8080}\n",
        fires_at: &["metadata.name"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "deployment.MultiServiceAnalyzer",
    rules: &[&MULTIPLE_PROTOCOLS, &CONFLICTING_PORTS],
    run,
};

/// Label of the waypoint Deployments istio manages itself.
const GATEWAY_MANAGED: &str = "gateway.istio.io/managed";
const MESH_CONTROLLER: &str = "istio.io-mesh-controller";

/// Services with a selector, by namespace and by the first label of their
/// selector: a Deployment looks up each of its own labels, so each Service
/// is considered at most once per Deployment.
type ServiceIndex<'a> = HashMap<(&'a str, String), Vec<(&'a Object, &'a Service)>>;

fn run(snapshot: &Snapshot, report: &mut Report) {
    let mut services: ServiceIndex = HashMap::new();
    for (object, service) in snapshot.services() {
        let selector = service.spec.as_ref().and_then(|s| s.selector.as_ref());
        if let Some((key, value)) = selector.and_then(|s| s.iter().next()) {
            let namespace = object.namespace.as_deref().unwrap_or_default();
            services
                .entry((namespace, format!("{key}={value}")))
                .or_default()
                .push((object, service));
        }
    }

    for object in snapshot.of_kind("Deployment") {
        let Some(KubeObject::Deployment(deployment)) = object.kube() else {
            continue;
        };
        let waypoint = object
            .metadata()
            .labels
            .as_ref()
            .and_then(|l| l.get(GATEWAY_MANAGED))
            .is_some_and(|v| v == MESH_CONTROLLER);
        if waypoint || !in_mesh(snapshot, object, deployment) {
            continue;
        }
        let empty = StringMap::new();
        let labels = deployment
            .spec
            .as_ref()
            .and_then(|s| s.template.metadata.as_ref())
            .and_then(|m| m.labels.as_ref())
            .unwrap_or(&empty);
        let namespace = object.namespace.as_deref().unwrap_or_default();
        let selecting: Vec<(&Object, &Service)> = labels
            .iter()
            .filter_map(|(k, v)| services.get(&(namespace, format!("{k}={v}"))))
            .flatten()
            .filter(|(_, s)| {
                s.spec
                    .as_ref()
                    .and_then(|s| s.selector.as_ref())
                    .is_some_and(|selector| selects(selector, labels))
            })
            .copied()
            .collect();
        check(object, &selecting, report);
    }
}

fn check(deployment: &Object, services: &[(&Object, &Service)], report: &mut Report) {
    // port -> protocol -> Services; targetPort -> port -> Service.
    let mut protocols: BTreeMap<i32, BTreeMap<&str, Vec<String>>> = BTreeMap::new();
    let mut targets: BTreeMap<String, BTreeMap<i32, String>> = BTreeMap::new();
    for (object, service) in services {
        let name = format!(
            "{}/{}",
            object.namespace.as_deref().unwrap_or_default(),
            object.name
        );
        for port in service.spec.iter().flat_map(|s| s.ports.iter().flatten()) {
            let protocol = port.protocol.as_deref().unwrap_or("TCP");
            protocols
                .entry(port.port)
                .or_default()
                .entry(protocol)
                .or_default()
                .push(name.clone());
            let target = match &port.target_port {
                Some(IntOrString::Int(n)) if *n != 0 => n.to_string(),
                Some(IntOrString::String(s)) if !s.is_empty() => s.clone(),
                _ => port.port.to_string(),
            };
            targets
                .entry(target)
                .or_default()
                .insert(port.port, name.clone());
        }
    }

    for (port, by_protocol) in &protocols {
        if by_protocol.len() < 2 {
            continue;
        }
        let used: Vec<String> = by_protocol
            .iter()
            .map(|(protocol, names)| format!("{protocol} ({})", names.join(", ")))
            .collect();
        report.report_with_help(
            &MULTIPLE_PROTOCOLS,
            deployment,
            "metadata.name",
            format!(
                "Deployment {:?} is selected by Services that use port {port} with different protocols: {}",
                deployment.name,
                used.join(", ")
            ),
            "use one protocol per port across the Services that select the same pods",
        );
    }
    for (target, by_port) in &targets {
        if by_port.len() < 2 {
            continue;
        }
        let names: BTreeSet<&String> = by_port.values().collect();
        let ports: Vec<String> = by_port.keys().map(i32::to_string).collect();
        report.report_with_help(
            &CONFLICTING_PORTS,
            deployment,
            "metadata.name",
            format!(
                "Deployment {:?} is selected by Services {} that send ports {} to the same targetPort {target:?}",
                deployment.name,
                join(names),
                ports.join(", ")
            ),
            "Services that reach the same targetPort of a workload must use the same port",
        );
    }
}

fn join(names: BTreeSet<&String>) -> String {
    names
        .into_iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether the Deployment's pods get a proxy: an `istio-proxy` container,
/// else the pod template's `sidecar.istio.io/inject` label, else that
/// annotation, else the namespace's `istio-injection=enabled` label.
fn in_mesh(snapshot: &Snapshot, object: &Object, deployment: &Controller) -> bool {
    let Some(template) = deployment.spec.as_ref().map(|s| &s.template) else {
        return false;
    };
    let has_proxy = template.spec.iter().any(|s| {
        s.containers
            .iter()
            .find(|c| c.name == PROXY_CONTAINER)
            .is_some_and(|c| c.image.as_deref().is_some_and(|i| !i.is_empty()))
    });
    if has_proxy {
        return true;
    }
    let meta = template.metadata.as_ref();
    let inject = |map: Option<&StringMap>| map?.get(SIDECAR_INJECT).map(|v| v == "true");
    if let Some(v) = inject(meta.and_then(|m| m.labels.as_ref())) {
        return v;
    }
    if let Some(v) = inject(meta.and_then(|m| m.annotations.as_ref())) {
        return v;
    }
    namespace_labels(snapshot, object.namespace.as_deref().unwrap_or_default())
        .and_then(|l| l.get(INJECTION_LABEL))
        .is_some_and(|v| v == "enabled")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::{analyzer_tests, findings_of};

    analyzer_tests!(
        MULTIPLE_PROTOCOLS,
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: dns\nspec:\n  selector:\n    matchLabels: {app: dns}\n  template:\n    metadata:\n      labels:\n        app: dns\n        sidecar.istio.io/inject: \"true\"\n    spec:\n      containers:\n      - name: dns\n        image: coredns\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: dns-tcp\nspec:\n  selector: {app: dns}\n  ports:\n  - {name: tcp-dns, port: 53}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: dns-udp\n  namespace: other\nspec:\n  selector: {app: dns}\n  ports:\n  - {name: udp-dns, port: 53, protocol: UDP}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: dns-more\nspec:\n  selector: {app: dns, tier: x}\n  ports:\n  - {name: udp-dns, port: 53, protocol: UDP}\n"
    );

    #[test]
    fn same_target_port_from_different_ports() {
        insta::assert_snapshot!(findings_of(
            &CONFLICTING_PORTS,
            CONFLICTING_PORTS.example.yaml
        ));
    }

    #[test]
    fn deployments_outside_the_mesh_are_skipped() {
        let out = CONFLICTING_PORTS.example.yaml.replace(
            "sidecar.istio.io/inject: \"true\"",
            "sidecar.istio.io/inject: \"false\"",
        );
        assert_eq!(findings_of(&CONFLICTING_PORTS, &out), "");
        let namespaced = format!(
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: default\n  labels:\n    istio-injection: enabled\n---\n{}",
            CONFLICTING_PORTS
                .example
                .yaml
                .replace("        sidecar.istio.io/inject: \"true\"\n", "")
        );
        assert!(findings_of(&CONFLICTING_PORTS, &namespaced).contains("IST0137"));
    }
}
