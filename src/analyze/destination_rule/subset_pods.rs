//! DestinationRules for a host no Service or ServiceEntry declares
//! (IST0174), and subsets whose labels pick none of the host's endpoints
//! (IST0173).

use crate::model::StringMap;
use std::collections::{BTreeMap, HashMap};

use super::super::{Analyzer, Report};

use crate::mesh::selector::selects;
use crate::report::{Example, Level, Rule};
use crate::snapshot::{DeclaredBy, Snapshot};

pub static SUBSET_SELECTS_NO_PODS: Rule = Rule {
    code: "IST0173",
    name: "destination-rule-subset-not-select-pods",
    level: Level::Error,
    summary: "A DestinationRule subset whose labels select none of the host's pods.",
    kinds: &[
        "DestinationRule",
        "Service",
        "ServiceEntry",
        "Pod",
        "Deployment",
        "Node",
    ],
    explanation: "A subset is the part of a host's endpoints whose labels include the subset's \
        `labels`. Traffic routed to a subset that no endpoint belongs to fails with 503 \
        (`UH`, no healthy upstream). For a Kubernetes Service the endpoints are the pods (and \
        pod templates of Deployments, StatefulSets, ...) its selector picks in its namespace; \
        for a ServiceEntry, the workloads its `workloadSelector` picks or its `endpoints`. \
        Topology labels (`topology.kubernetes.io/region`, `topology.kubernetes.io/zone`, \
        `topology.istio.io/subzone`, `kubernetes.io/hostname`) are taken from the Node a pod \
        runs on, as Istio does. Fix the subset's labels, or deploy the version it names.",
    example: Example {
        yaml: "apiVersion: v1\nkind: Service\nmetadata:\n  name: reviews\nspec:\n  selector:\n    app: reviews\n  ports:\n  - name: http\n    port: 9080\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: reviews-v1\n  labels:\n    app: reviews\n    version: v1\nspec:\n  containers:\n  - name: reviews\n    image: reviews:v1\n---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: reviews\nspec:\n  host: reviews\n  subsets:\n  - name: v1\n    labels:\n      version: v1\n  - name: v2\n    labels:\n      version: v2\n",
        fires_at: &["spec.subsets[1].labels"],
    },
};

pub static UNKNOWN_HOST: Rule = Rule {
    code: "IST0174",
    name: "unknown-destination-rule-host",
    level: Level::Warning,
    summary: "A DestinationRule for a host no Service or ServiceEntry visible to it declares.",
    kinds: &["DestinationRule", "Service", "ServiceEntry"],
    explanation: "A DestinationRule's `host` names a service of the registry: a Kubernetes \
        Service (`name`, resolved in the rule's namespace, or \
        `name.namespace.svc.cluster.local`) or a host of a ServiceEntry, exported (`exportTo`) \
        to the rule's namespace. A host that matches none of them is usually a typo or a \
        wrong namespace, and the rule's policies apply to nothing.",
    example: Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: ratings\nspec:\n  host: ratings.prod.svc.cluster.local\n  trafficPolicy:\n    loadBalancer:\n      simple: LEAST_REQUEST\n",
        fires_at: &["spec.host"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "destinationrule.SubsetSelectPodAnalyzer",
    rules: &[&SUBSET_SELECTS_NO_PODS, &UNKNOWN_HOST],
    run,
};

/// The labels a Node gives the pods it runs, as Istio adds them.
type NodeLabels = BTreeMap<&'static str, String>;

const REGION: &str = "topology.kubernetes.io/region";
const ZONE: &str = "topology.kubernetes.io/zone";
const SUBZONE: &str = "topology.istio.io/subzone";
const HOSTNAME: &str = "kubernetes.io/hostname";

fn node_labels(snapshot: &Snapshot) -> HashMap<&str, NodeLabels> {
    snapshot
        .of_kind("Node")
        .map(|node| {
            let get = |key: &str| {
                node.metadata()
                    .labels
                    .as_ref()
                    .and_then(|l| l.get(key))
                    .filter(|v| !v.is_empty())
                    .cloned()
            };
            let mut labels = NodeLabels::new();
            // Istio's locality is region/zone/subzone: a subzone without a
            // zone is dropped.
            let zone = get(ZONE);
            if let Some(region) = get(REGION) {
                labels.insert(REGION, region);
            }
            if let Some(subzone) = get(SUBZONE).filter(|_| zone.is_some()) {
                labels.insert(SUBZONE, subzone);
            }
            if let Some(zone) = zone {
                labels.insert(ZONE, zone);
            }
            (node.name.as_str(), labels)
        })
        .collect()
}

fn run(snapshot: &Snapshot, report: &mut Report) {
    let nodes = node_labels(snapshot);
    for (object, rule) in snapshot.destination_rules() {
        let namespace = object.namespace.as_deref().unwrap_or_default();
        let host = rule.host.as_deref().unwrap_or_default();
        let Some(target) = snapshot.lookup_host(host, namespace, &rule.export_to) else {
            report.report_with_help(
                &UNKNOWN_HOST,
                object,
                "spec.host",
                format!("host {host:?} is not a Service or ServiceEntry host visible from namespace {namespace:?}"),
                "check the host name and namespace, or declare the service with a ServiceEntry",
            );
            continue;
        };
        for (i, subset) in rule.subsets.iter().enumerate() {
            if target_has_endpoint(snapshot, &nodes, target, &subset.labels) == Some(false) {
                let name = subset.name.as_deref().unwrap_or_default();
                let path = if subset.labels.is_empty() {
                    format!("spec.subsets[{i}]")
                } else {
                    format!("spec.subsets[{i}].labels")
                };
                let labels = subset
                    .labels
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(",");
                report.report_with_help(
                    &SUBSET_SELECTS_NO_PODS,
                    object,
                    &path,
                    format!("subset {name:?} (labels {labels:?}) selects no pod of {}: traffic routed to it fails with 503 (no healthy upstream)", describe(target)),
                    "fix the subset's labels, or deploy the version it names",
                );
            }
        }
    }
}

fn describe(target: DeclaredBy) -> String {
    match target {
        DeclaredBy::Service(o, _) | DeclaredBy::ServiceEntry(o, _) => format!(
            "{} {}/{}",
            o.kind,
            o.namespace.as_deref().unwrap_or_default(),
            o.name
        ),
    }
}

/// Whether the target has an endpoint with the subset's labels; `None`
/// when its endpoints cannot be known (a Service without selector).
fn target_has_endpoint(
    snapshot: &Snapshot,
    nodes: &HashMap<&str, NodeLabels>,
    target: DeclaredBy,
    subset: &StringMap,
) -> Option<bool> {
    let (object, selector) = match target {
        DeclaredBy::Service(object, service) => {
            let selector = service.spec.as_ref().and_then(|s| s.selector.as_ref());
            (object, selector.filter(|s| !s.is_empty())?)
        }
        DeclaredBy::ServiceEntry(object, entry) => match &entry.workload_selector {
            Some(selector) if !selector.labels.is_empty() => (object, &selector.labels),
            _ => {
                // Static endpoints carry their own labels.
                return Some(entry.endpoints.iter().any(|e| selects(subset, &e.labels)));
            }
        },
    };
    let namespace = object.namespace.as_deref().unwrap_or_default();
    // The subset's labels narrow the service's selector (and win over it).
    let mut wanted = selector.clone();
    wanted.extend(subset.iter().map(|(k, v)| (k.clone(), v.clone())));
    let (topology, plain): (StringMap, StringMap) = wanted
        .into_iter()
        .partition(|(k, _)| matches!(k.as_str(), REGION | ZONE | SUBZONE | HOSTNAME));
    Some(
        snapshot
            .workloads_selected(Some(namespace), &plain)
            .any(|workload| {
                if topology.is_empty() {
                    return true;
                }
                let Some((meta, pod)) = workload.pod(snapshot.workload_object(workload)) else {
                    return false;
                };
                let node_name = pod.node_name.as_deref().unwrap_or_default();
                let from_node = nodes.get(node_name);
                topology.iter().all(|(key, value)| {
                    let actual = if key == HOSTNAME && !node_name.is_empty() {
                        Some(node_name)
                    } else {
                        from_node
                            .and_then(|n| n.get(key.as_str()))
                            .map(String::as_str)
                            .or_else(|| {
                                meta.labels
                                    .as_ref()
                                    .and_then(|l| l.get(key))
                                    .map(String::as_str)
                            })
                    };
                    actual == Some(value.as_str())
                })
            }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::{analyzer_tests, findings_of};

    const SERVICE: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: httpbin\nspec:\n  selector: {app: httpbin}\n  ports: [{name: http, port: 8000}]\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: httpbin\n  labels: {app: httpbin, version: v1}\nspec:\n  nodeName: node-a\n  containers: [{name: httpbin, image: httpbin}]\n---\napiVersion: v1\nkind: Node\nmetadata:\n  name: node-a\n  labels: {topology.kubernetes.io/region: us-west-1, topology.kubernetes.io/zone: us-west-1a}\n---\n";

    /// A DestinationRule for `host`, named after it: two of one name would
    /// be one resource, its last definition.
    fn rule(host: &str, extra: &str) -> String {
        let name: String = host.chars().filter(char::is_ascii_alphanumeric).collect();
        format!(
            "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: dr-{name}\nspec:\n  host: {host}\n{extra}---\n"
        )
    }

    analyzer_tests!(
        SUBSET_SELECTS_NO_PODS,
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: reviews\nspec:\n  selector: {app: reviews}\n  ports: [{name: http, port: 9080}]\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: reviews-v2\nspec:\n  selector:\n    matchLabels: {app: reviews, version: v2}\n  template:\n    metadata:\n      labels: {app: reviews, version: v2}\n    spec:\n      containers: [{name: reviews, image: reviews:v2}]\n---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: reviews\nspec:\n  host: reviews.default.svc.cluster.local\n  subsets:\n  - name: v2\n    labels: {version: v2}\n"
    );

    #[test]
    fn unknown_host() {
        insta::assert_snapshot!(findings_of(&UNKNOWN_HOST, UNKNOWN_HOST.example.yaml));
    }

    #[test]
    fn hosts_resolve_through_services_and_visible_service_entries() {
        let entry = "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: ext\n  namespace: other\nspec:\n  hosts: [api.example.com, \"*.wiki.org\"]\n  exportTo: [., default]\n  resolution: DNS\n  ports: [{name: https, number: 443, protocol: HTTPS}]\n---\n";
        let known = format!(
            "{SERVICE}{entry}{}{}{}{}{}",
            rule("httpbin", ""),
            rule("api.example.com", ""),
            rule("en.wiki.org", ""),
            rule("\"*.svc.cluster.local\"", ""),
            rule("httpbin.default.svc.cluster.local", "")
        );
        assert_eq!(findings_of(&UNKNOWN_HOST, &known), "");
        let hidden = entry.replace("[., default]", "[.]");
        let unknown = format!(
            "{SERVICE}{hidden}{}{}{}",
            rule("api.example.com", ""),
            rule("httpbin.other.svc.cluster.local", ""),
            rule("\"*.example.org\"", "")
        );
        assert_eq!(findings_of(&UNKNOWN_HOST, &unknown).lines().count(), 3);
    }

    #[test]
    fn topology_labels_come_from_the_node() {
        let subsets = "  subsets:\n  - name: west\n    labels: {topology.kubernetes.io/region: us-west-1}\n  - name: zone\n    labels: {version: v1, topology.kubernetes.io/zone: us-west-1a}\n  - name: host\n    labels: {kubernetes.io/hostname: node-a}\n  - name: east\n    labels: {topology.kubernetes.io/region: us-east-1}\n  - name: empty\n    labels: {topology.kubernetes.io/region: \"\"}\n";
        let yaml = format!("{SERVICE}{}", rule("httpbin", subsets));
        insta::assert_snapshot!(findings_of(&SUBSET_SELECTS_NO_PODS, &yaml));
    }

    #[test]
    fn service_entry_subsets_select_endpoints_or_selected_workloads() {
        let yaml = "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: db\nspec:\n  hosts: [db.example.com]\n  resolution: STATIC\n  ports: [{name: tcp, number: 5432, protocol: TCP}]\n  endpoints:\n  - {address: 10.0.0.1, labels: {role: primary}}\n---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: db\nspec:\n  host: db.example.com\n  subsets:\n  - {name: primary, labels: {role: primary}}\n  - {name: replica, labels: {role: replica}}\n";
        let found = findings_of(&SUBSET_SELECTS_NO_PODS, yaml);
        assert!(found.contains("subset \"replica\""), "{found}");
        assert_eq!(found.lines().count(), 1, "{found}");
    }

    /// Istio lets a Kubernetes Service own its host even when a
    /// ServiceEntry declares it first (the entry used to win here).
    #[test]
    fn a_service_wins_its_host_over_a_service_entry() {
        let entry = "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: squat\nspec:\n  hosts: [httpbin.default.svc.cluster.local]\n  resolution: STATIC\n  ports: [{name: http, number: 8000, protocol: HTTP}]\n  endpoints:\n  - {address: 10.0.0.1, labels: {version: v9}}\n---\n";
        let subsets = "  subsets:\n  - {name: v1, labels: {version: v1}}\n";
        let yaml = format!("{entry}{SERVICE}{}", rule("httpbin", subsets));
        assert_eq!(findings_of(&SUBSET_SELECTS_NO_PODS, &yaml), "");
    }

    /// `~` hides a ServiceEntry even beside namespace names, as Istio reads
    /// it (the names used to count).
    #[test]
    fn a_hidden_service_entry_is_unknown_everywhere() {
        let entry = "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: ext\n  namespace: other\nspec:\n  hosts: [api.example.com]\n  exportTo: [\"~\", default]\n  resolution: DNS\n  ports: [{name: https, number: 443, protocol: HTTPS}]\n---\n";
        let yaml = format!("{entry}{}", rule("api.example.com", ""));
        assert_eq!(findings_of(&UNKNOWN_HOST, &yaml).lines().count(), 1);
    }
}
