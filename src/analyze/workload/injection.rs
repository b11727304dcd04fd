//! Sidecar injection of namespaces and pods: namespaces that are not
//! injected (IST0102) or injected only because the injector enables every
//! namespace (IST0148), namespaces with competing injection labels
//! (IST0123), and pods of injected namespaces without a proxy (IST0103).

use std::collections::{HashMap, HashSet};

use super::super::{Analyzer, Report};
use super::{
    INJECTION_LABEL, PROXY_CONTAINER, REVISION_LABEL, SIDECAR_INJECT, injector_config_map_name,
    injector_values,
};
use crate::report::{Example, Level, Rule};
use crate::snapshot::Snapshot;

pub static NAMESPACE_NOT_INJECTED: Rule = Rule {
    code: "IST0102",
    name: "namespace-not-injected",
    level: Level::Info,
    summary: "A namespace that is neither enabled nor disabled for sidecar injection.",
    kinds: &["Namespace"],
    explanation: "Pods of a namespace get a sidecar only when the namespace asks for one: the \
        `istio-injection=enabled` label, or `istio.io/rev=<revision>` for a revisioned control \
        plane. A namespace with neither gets no sidecars, which is usually an oversight. Label it \
        `istio-injection=enabled` to join the mesh, or `istio-injection=disabled` to say it stays \
        out on purpose. `istio-system` and ambient namespaces \
        (`istio.io/dataplane-mode=ambient`) are not checked.",
    example: Example {
        yaml: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n",
        fires_at: &["metadata.name"],
    },
};

pub static POD_MISSING_PROXY: Rule = Rule {
    code: "IST0103",
    name: "pod-missing-proxy",
    level: Level::Warning,
    summary: "A pod of an injected namespace that has no istio-proxy container.",
    kinds: &["Pod", "Namespace"],
    explanation: "The pod runs in a namespace labelled `istio-injection=enabled` but has no \
        `istio-proxy` container (nor init container), so its traffic bypasses the mesh. It was \
        probably created before the label was set, or while the injector was down: restart or \
        redeploy the workload. Pods that opt out (`sidecar.istio.io/inject: \"false\"` as label \
        or annotation) and pods on the host network are not checked.",
    example: Example {
        yaml: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    istio-injection: enabled\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  containers:\n  - name: web\n    image: nginx\n",
        fires_at: &["spec.containers"],
    },
};

pub static MULTIPLE_INJECTION_LABELS: Rule = Rule {
    code: "IST0123",
    name: "namespace-multiple-injection-labels",
    level: Level::Warning,
    summary: "A namespace with more than one kind of injection label.",
    kinds: &["Namespace"],
    explanation: "`istio-injection=enabled`, `istio.io/rev` and `istio.io/dataplane-mode` each \
        choose how the namespace's pods join the mesh. With several of them the outcome depends \
        on which one the webhooks and CNI look at first. Keep exactly one. (A namespace labelled \
        `istio-injection` with a value other than `enabled` has opted out, and its other labels \
        are not counted.)",
    example: Example {
        yaml: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    istio-injection: enabled\n    istio.io/rev: canary\n",
        fires_at: &["metadata.labels"],
    },
};

pub static ENABLED_BY_DEFAULT: Rule = Rule {
    code: "IST0148",
    name: "namespace-injection-enabled-by-default",
    level: Level::Info,
    summary: "A namespace without injection labels that the injector injects anyway.",
    kinds: &["Namespace", "ConfigMap"],
    explanation: "The sidecar injector's ConfigMap (`istio-sidecar-injector`, or \
        `istio-sidecar-injector-<revision>`) sets `sidecarInjectorWebhook.enableNamespacesByDefault` \
        in its values, so every namespace without an injection label gets sidecars. This is \
        informational: label the namespace `istio-injection=enabled` to make the intent visible, \
        or `istio-injection=disabled` to keep it out.",
    example: Example {
        yaml: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: istio-sidecar-injector\n  namespace: istio-system\ndata:\n  values: '{\"sidecarInjectorWebhook\": {\"enableNamespacesByDefault\": true}}'\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n",
        fires_at: &["metadata.name"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "injection.Analyzer",
    rules: &[
        &NAMESPACE_NOT_INJECTED,
        &POD_MISSING_PROXY,
        &MULTIPLE_INJECTION_LABELS,
        &ENABLED_BY_DEFAULT,
    ],
    run,
};

const DATAPLANE_MODE_LABEL: &str = "istio.io/dataplane-mode";
/// The namespace istio installs into, never checked.
const ISTIO_NAMESPACE: &str = "istio-system";

fn run(snapshot: &Snapshot, report: &mut Report) {
    // Injector ConfigMap name to its enableNamespacesByDefault flag (the
    // first ConfigMap of a name wins).
    let mut enabled_by_default: HashMap<&str, bool> = HashMap::new();
    for config_map in snapshot.of_kind("ConfigMap") {
        if !config_map.name.starts_with(super::INJECTOR_CONFIG_MAP) {
            continue;
        }
        let enabled = injector_values(config_map).is_some_and(|values| {
            values["sidecarInjectorWebhook"]["enableNamespacesByDefault"].as_bool() == Some(true)
        });
        enabled_by_default
            .entry(config_map.name.as_str())
            .or_insert(enabled);
    }

    let mut injected: HashSet<&str> = HashSet::new();
    for namespace in snapshot.of_kind("Namespace") {
        let name = namespace.name.as_str();
        if name == ISTIO_NAMESPACE {
            continue;
        }
        let empty = Default::default();
        let labels = namespace.metadata().labels.as_ref().unwrap_or(&empty);
        let injection = labels.get(INJECTION_LABEL);
        let revision = labels.get(REVISION_LABEL);

        let mut competing: Vec<String> = Vec::new();
        if let Some(value) = injection {
            competing.push(format!("{INJECTION_LABEL}={value}"));
        }
        if injection.is_none_or(|v| v == "enabled") {
            for key in [REVISION_LABEL, DATAPLANE_MODE_LABEL] {
                if let Some(value) = labels.get(key) {
                    competing.push(format!("{key}={value}"));
                }
            }
        }
        if competing.len() > 1 {
            report.report(
                &MULTIPLE_INJECTION_LABELS,
                namespace,
                "metadata.labels",
                format!(
                    "namespace {name:?} has several injection labels ({}); keep only one",
                    competing.join(", ")
                ),
            );
        }

        if labels
            .get(DATAPLANE_MODE_LABEL)
            .is_some_and(|m| m == "ambient")
        {
            continue;
        }
        if injection.is_none_or(|v| v.is_empty()) && revision.is_none() {
            let config_map = injector_config_map_name("");
            if enabled_by_default.get(config_map.as_str()) == Some(&true) {
                report.report(
                    &ENABLED_BY_DEFAULT,
                    namespace,
                    "metadata.name",
                    format!(
                        "namespace {name:?} has no injection label, but ConfigMap {config_map:?} sets enableNamespacesByDefault, so its pods are injected"
                    ),
                );
            } else {
                report.report_with_help(
                    &NAMESPACE_NOT_INJECTED,
                    namespace,
                    "metadata.name",
                    format!("namespace {name:?} is not enabled for sidecar injection"),
                    format!(
                        "label it istio-injection=enabled to inject its pods, or istio-injection=disabled to mark it as deliberately outside the mesh (kubectl label namespace {name} istio-injection=enabled)"
                    ),
                );
            }
            continue;
        }
        if injection.is_some_and(|v| v == "enabled") {
            injected.insert(name);
        }
    }

    for (object, pod) in snapshot.pods() {
        let namespace = object.namespace.as_deref().unwrap_or_default();
        if !injected.contains(namespace) {
            continue;
        }
        let meta = &pod.metadata;
        let opt_in = meta
            .labels
            .as_ref()
            .and_then(|l| l.get(SIDECAR_INJECT))
            .or_else(|| {
                meta.annotations
                    .as_ref()
                    .and_then(|a| a.get(SIDECAR_INJECT))
            });
        if opt_in.is_some_and(|v| v.eq_ignore_ascii_case("false")) {
            continue;
        }
        let Some(spec) = &pod.spec else { continue };
        if spec.host_network == Some(true) {
            continue;
        }
        let has_proxy = spec
            .containers
            .iter()
            .chain(spec.init_containers.iter().flatten())
            .find(|c| c.name == PROXY_CONTAINER)
            .is_some_and(|c| c.image.as_deref().is_some_and(|i| !i.is_empty()));
        if !has_proxy {
            report.report_with_help(
                &POD_MISSING_PROXY,
                object,
                "spec.containers",
                format!(
                    "pod {:?} runs in injected namespace {namespace:?} but has no istio-proxy container",
                    object.name
                ),
                "restart or redeploy the workload so that the injector adds the sidecar",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::{analyzer_tests, findings_of};

    analyzer_tests!(
        NAMESPACE_NOT_INJECTED,
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  labels:\n    istio-injection: disabled\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n  labels:\n    istio.io/rev: canary\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: c\n  labels:\n    istio.io/dataplane-mode: ambient\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: istio-system\n"
    );

    const INJECTED: &str = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    istio-injection: enabled\n";

    #[test]
    fn pods_of_injected_namespaces_need_a_proxy() {
        insta::assert_snapshot!(findings_of(
            &POD_MISSING_PROXY,
            POD_MISSING_PROXY.example.yaml
        ));
        let pods = [
            "metadata:\n  name: a\n  namespace: shop\nspec:\n  containers:\n  - {name: web, image: nginx}\n  - {name: istio-proxy, image: proxyv2}\n",
            "metadata:\n  name: b\n  namespace: shop\n  labels:\n    sidecar.istio.io/inject: \"false\"\nspec:\n  containers:\n  - {name: web, image: nginx}\n",
            "metadata:\n  name: c\n  namespace: shop\n  annotations:\n    sidecar.istio.io/inject: \"False\"\nspec:\n  containers:\n  - {name: web, image: nginx}\n",
            "metadata:\n  name: d\n  namespace: shop\nspec:\n  hostNetwork: true\n  containers:\n  - {name: web, image: nginx}\n",
            "metadata:\n  name: e\n  namespace: shop\nspec:\n  initContainers:\n  - {name: istio-proxy, image: proxyv2}\n  containers:\n  - {name: web, image: nginx}\n",
            "metadata:\n  name: f\n  namespace: other\nspec:\n  containers:\n  - {name: web, image: nginx}\n",
        ];
        let mut yaml = INJECTED.to_string();
        for pod in pods {
            yaml.push_str("---\napiVersion: v1\nkind: Pod\n");
            yaml.push_str(pod);
        }
        assert_eq!(findings_of(&POD_MISSING_PROXY, &yaml), "");
    }

    #[test]
    fn the_label_overrides_the_annotation() {
        let yaml = format!(
            "{INJECTED}---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  namespace: shop\n  labels:\n    sidecar.istio.io/inject: \"true\"\n  annotations:\n    sidecar.istio.io/inject: \"false\"\nspec:\n  containers:\n  - {{name: web, image: nginx}}\n"
        );
        assert!(findings_of(&POD_MISSING_PROXY, &yaml).contains("IST0103"));
    }

    #[test]
    fn several_injection_labels() {
        insta::assert_snapshot!(findings_of(
            &MULTIPLE_INJECTION_LABELS,
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  labels:\n    istio-injection: enabled\n    istio.io/dataplane-mode: ambient\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n  labels:\n    istio.io/rev: x\n    istio.io/dataplane-mode: ambient\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: c\n  labels:\n    istio-injection: disabled\n    istio.io/rev: x\n"
        ));
    }

    #[test]
    fn namespaces_enabled_by_the_injector() {
        insta::assert_snapshot!(findings_of(
            &ENABLED_BY_DEFAULT,
            ENABLED_BY_DEFAULT.example.yaml
        ));
        // Not reported as not injected, then.
        assert_eq!(
            findings_of(&NAMESPACE_NOT_INJECTED, ENABLED_BY_DEFAULT.example.yaml),
            ""
        );
        let off = ENABLED_BY_DEFAULT.example.yaml.replace("true", "false");
        assert_eq!(findings_of(&ENABLED_BY_DEFAULT, &off), "");
        assert!(findings_of(&NAMESPACE_NOT_INJECTED, &off).contains("IST0102"));
    }
}
