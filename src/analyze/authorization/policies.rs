//! AuthorizationPolicies that apply to no workload of the mesh (IST0127),
//! and source namespaces that match no namespace (IST0101).

use std::collections::HashSet;

use super::super::{Analyzer, Report};

use crate::model::Object;
use crate::model::istio::AuthorizationPolicySpec;
use crate::report::{Example, Level, Rule};
use crate::snapshot::{Snapshot, Workload};

pub static NO_MATCHING_WORKLOADS: Rule = Rule {
    code: "IST0127",
    name: "no-matching-workloads-found",
    level: Level::Warning,
    summary: "An AuthorizationPolicy that applies to no workload in the mesh.",
    kinds: &["AuthorizationPolicy", "Pod", "Deployment", "Namespace"],
    explanation: "An AuthorizationPolicy applies to the mesh workloads (pods with a sidecar, or \
        in ambient mode) of its namespace that its `selector` matches, or to all of them without \
        a selector; in the root namespace (`istio-system` unless MeshConfig `rootNamespace` says \
        otherwise) a policy with a selector applies to matching workloads of every namespace. \
        When no such workload exists, the policy enforces nothing: often a label typo or the \
        wrong namespace, which silently leaves the intended workload without the protection. \
        A workload counts as in the mesh when it has an `istio-proxy` container, is labelled or \
        annotated `sidecar.istio.io/inject: \"true\"`, lives in a namespace labelled \
        `istio-injection: enabled`, or is annotated `ambient.istio.io/redirection: enabled`.",
    example: Example {
        yaml: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: httpbin\n  labels:\n    app: httpbin\nspec:\n  containers:\n  - name: httpbin\n    image: httpbin\n  - name: istio-proxy\n    image: istio/proxyv2\n---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: httpbin-get\nspec:\n  selector:\n    matchLabels:\n      app: htpbin\n  rules:\n  - to:\n    - operation:\n        methods: [GET]\n",
        fires_at: &["spec.selector"],
    },
};

pub static NAMESPACE_NOT_FOUND: Rule = Rule {
    code: "IST0101",
    name: "authorization-policy-namespace-not-found",
    level: Level::Error,
    summary: "An AuthorizationPolicy source namespace that matches no namespace.",
    kinds: &["AuthorizationPolicy", "Namespace"],
    explanation: "`source.namespaces` and `source.notNamespaces` name the namespaces requests \
        come from, exactly or with one `*` at the start or end (`prod-*`, `*-test`). An entry \
        that matches none of the namespaces known (the Namespace objects of the input, and the \
        namespaces its resources live in) is usually a typo: an ALLOW rule with it allows \
        nothing, and a DENY rule denies nothing.",
    example: Example {
        yaml: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: frontend\n---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: allow-frontend\nspec:\n  rules:\n  - from:\n    - source:\n        namespaces: [frontend, fronted]\n",
        fires_at: &["spec.rules[0].from[0].source.namespaces[1]"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "auth.AuthorizationPoliciesAnalyzer",
    rules: &[&NO_MATCHING_WORKLOADS, &NAMESPACE_NOT_FOUND],
    run,
};

fn run(snapshot: &Snapshot, report: &mut Report) {
    let mut namespaces: HashSet<&str> = snapshot
        .objects()
        .iter()
        .filter_map(|o| o.namespace.as_deref())
        .collect();
    namespaces.extend(snapshot.namespaces().map(|(o, _)| o.name.as_str()));
    for (object, policy) in snapshot.authorization_policies() {
        no_matching_workloads(snapshot, object, policy, report);
        namespaces_not_found(&namespaces, object, policy, report);
    }
}

fn no_matching_workloads(
    snapshot: &Snapshot,
    object: &Object,
    policy: &AuthorizationPolicySpec,
    report: &mut Report,
) {
    // Policies attached to a Gateway or Service through targetRef(s) apply
    // to that target, not to selected workloads.
    if policy.target_ref.is_some() || !policy.target_refs.is_empty() {
        return;
    }
    let namespace = object.namespace.as_deref().unwrap_or_default();
    let mesh_wide = namespace == snapshot.mesh.root_namespace;
    let Some(selector) = &policy.selector else {
        // Without selector: the whole namespace, or the whole mesh.
        let empty = Default::default();
        if !mesh_wide
            && !snapshot
                .workloads_selected(Some(namespace), &empty)
                .any(|w| in_mesh(snapshot, w))
        {
            report.report_with_help(
                &NO_MATCHING_WORKLOADS,
                object,
                "metadata.namespace",
                format!("the policy applies to every workload of namespace {namespace:?}, but it has no workload in the mesh"),
                "deploy the workloads, or move the policy to their namespace",
            );
        }
        return;
    };
    let labels = &selector.match_labels;
    let scope = (!mesh_wide).then_some(namespace);
    if snapshot
        .workloads_selected(scope, labels)
        .any(|w| in_mesh(snapshot, w))
    {
        return;
    }
    let text = labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",");
    let place = if mesh_wide {
        "in any namespace (the policy is in the root namespace)".to_string()
    } else {
        format!("in namespace {namespace:?}")
    };
    report.report_with_help(
        &NO_MATCHING_WORKLOADS,
        object,
        "spec.selector",
        format!("selector {text:?} matches no workload in the mesh {place}"),
        "check the labels against the workloads', and that the workloads have a sidecar or run in ambient mode",
    );
}

fn namespaces_not_found(
    namespaces: &HashSet<&str>,
    object: &Object,
    policy: &AuthorizationPolicySpec,
    report: &mut Report,
) {
    for (i, rule) in policy.rules.iter().enumerate() {
        for (j, from) in rule.from.iter().enumerate() {
            let Some(source) = &from.source else { continue };
            let lists = [
                ("namespaces", &source.namespaces),
                ("notNamespaces", &source.not_namespaces),
            ];
            for (field, list) in lists {
                for (k, pattern) in list.iter().enumerate() {
                    if namespaces.contains(pattern.as_str())
                        || namespaces.iter().any(|ns| namespace_matches(ns, pattern))
                    {
                        continue;
                    }
                    report.report_with_help(
                        &NAMESPACE_NOT_FOUND,
                        object,
                        &format!("spec.rules[{i}].from[{j}].source.{field}[{k}]"),
                        format!("source {field} entry {pattern:?} matches no known namespace"),
                        "check the namespace name; a pattern may have one * at its start or end",
                    );
                }
            }
        }
    }
}

/// Istio's namespace patterns: `*`, `*suffix`, `prefix*`, or a name
/// (compared case-insensitively).
fn namespace_matches(namespace: &str, pattern: &str) -> bool {
    if pattern == "*" {
        true
    } else if let Some(suffix) = pattern.strip_prefix('*') {
        namespace.ends_with(suffix)
    } else if let Some(prefix) = pattern.strip_suffix('*') {
        namespace.starts_with(prefix)
    } else {
        namespace.eq_ignore_ascii_case(pattern)
    }
}

/// Whether a workload takes part in the mesh: it has (or will be injected)
/// a sidecar, or ztunnel redirects its traffic (ambient mode).
fn in_mesh(snapshot: &Snapshot, workload: &Workload) -> bool {
    let Some((meta, pod)) = workload.pod(snapshot.workload_object(workload)) else {
        return false;
    };
    let is_true = |v: &String| v == "true";
    let annotations = meta.annotations.as_ref();
    if annotations
        .and_then(|a| a.get("ambient.istio.io/redirection"))
        .is_some_and(|v| v == "enabled")
    {
        return true;
    }
    let has_proxy = pod
        .containers
        .iter()
        .chain(pod.init_containers.iter().flatten())
        .any(|c| c.name == "istio-proxy" && c.image.as_deref().is_some_and(|i| !i.is_empty()));
    if has_proxy {
        return true;
    }
    const INJECT: &str = "sidecar.istio.io/inject";
    if let Some(value) = meta.labels.as_ref().and_then(|l| l.get(INJECT)) {
        return is_true(value);
    }
    if let Some(value) = annotations.and_then(|a| a.get(INJECT)) {
        return is_true(value);
    }
    snapshot
        .namespace(&workload.namespace)
        .and_then(|ns| ns.metadata().labels.as_ref())
        .and_then(|l| l.get("istio-injection"))
        .is_some_and(|v| v == "enabled")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::{analyzer_tests, findings_of, findings_with};
    use crate::snapshot::MeshConfig;

    const MESH: &str = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {istio-injection: enabled}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: cart\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: cart}\n  template:\n    metadata:\n      labels: {app: cart}\n    spec:\n      containers: [{name: cart, image: cart}]\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: legacy\n  namespace: plain\n  labels: {app: legacy}\nspec:\n  containers: [{name: legacy, image: legacy}]\n---\n";

    fn policy(name: &str, namespace: &str, body: &str) -> String {
        format!(
            "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: {name}\n  namespace: {namespace}\nspec:\n{body}---\n"
        )
    }

    analyzer_tests!(
        NO_MATCHING_WORKLOADS,
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: httpbin\n  labels:\n    app: httpbin\nspec:\n  containers:\n  - name: httpbin\n    image: httpbin\n  - name: istio-proxy\n    image: istio/proxyv2\n---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: httpbin\nspec:\n  selector:\n    matchLabels:\n      app: httpbin\n---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: everyone\nspec: {}\n"
    );

    #[test]
    fn selectors_match_mesh_workloads_of_the_namespace_or_the_whole_mesh() {
        let yaml = format!(
            "{MESH}{}{}{}{}{}{}",
            policy(
                "cart",
                "shop",
                "  selector:\n    matchLabels: {app: cart}\n"
            ),
            policy("wide", "shop", "  action: DENY\n"),
            policy(
                "not-in-mesh",
                "plain",
                "  selector:\n    matchLabels: {app: legacy}\n"
            ),
            policy("empty-ns", "nothing", "  action: DENY\n"),
            policy(
                "mesh-cart",
                "istio-system",
                "  selector:\n    matchLabels: {app: cart}\n"
            ),
            policy(
                "mesh-bogus",
                "istio-system",
                "  selector:\n    matchLabels: {app: bogus}\n"
            ),
        );
        insta::assert_snapshot!(findings_of(&NO_MATCHING_WORKLOADS, &yaml));
    }

    #[test]
    fn the_root_namespace_comes_from_mesh_config() {
        let yaml = format!(
            "{MESH}{}",
            policy(
                "mesh-cart",
                "mesh-root",
                "  selector:\n    matchLabels: {app: cart}\n"
            )
        );
        assert_ne!(findings_of(&NO_MATCHING_WORKLOADS, &yaml), "");
        let mesh = MeshConfig {
            root_namespace: "mesh-root".into(),
            ..MeshConfig::default()
        };
        assert_eq!(findings_with(&NO_MATCHING_WORKLOADS, &yaml, mesh), "");
    }

    #[test]
    fn ambient_pods_are_in_the_mesh() {
        let yaml = MESH.replace(
            "  labels: {app: legacy}\n",
            "  labels: {app: legacy}\n  annotations: {ambient.istio.io/redirection: enabled}\n",
        ) + &policy(
            "legacy",
            "plain",
            "  selector:\n    matchLabels: {app: legacy}\n",
        );
        assert_eq!(findings_of(&NO_MATCHING_WORKLOADS, &yaml), "");
    }

    #[test]
    fn source_namespaces_must_match_a_namespace() {
        let body = "  rules:\n  - from:\n    - source:\n        namespaces: [shop, \"sh*\", \"*op\", \"*\", bogus, \"bogus-*\"]\n    - source:\n        notNamespaces: [plain, \"*-bogus\"]\n";
        let yaml = format!("{MESH}{}", policy("sources", "shop", body));
        insta::assert_snapshot!(findings_of(&NAMESPACE_NOT_FOUND, &yaml));
    }

    #[test]
    fn namespace_patterns() {
        assert!(namespace_matches("prod-a", "prod-*"));
        assert!(namespace_matches("a-test", "*-test"));
        assert!(namespace_matches("Shop", "shop"));
        assert!(!namespace_matches("shop", "shop-*"));
    }
}
