//! `image: auto` on a proxy container that no injection webhook will
//! replace: a Deployment no istio webhook selects (IST0146), and any Pod
//! (IST0147), since a Pod object is already past injection.

use crate::model::StringMap;

use crate::model::LabelSelector;

use super::super::{Analyzer, Report};
use super::{PROXY_CONTAINER, label_selector, namespace_labels, selector_matches};
use crate::loader::{Node, Value};
use crate::model::kube::{KubeObject, PodSpec};
use crate::report::{Example, Level, Rule};
use crate::snapshot::Snapshot;

pub static DEPLOYMENT_NOT_INJECTED: Rule = Rule {
    code: "IST0146",
    name: "image-auto-without-injection-warning",
    level: Level::Warning,
    summary: "A Deployment with `image: auto` that no istio injection webhook selects.",
    kinds: &["Deployment", "Namespace", "MutatingWebhookConfiguration"],
    explanation: "`image: auto` on the `istio-proxy` container (the usual way to deploy a \
        gateway) is a placeholder that the sidecar injector replaces with the real proxy image. \
        The injector only sees pods that one of its webhooks (those of the \
        MutatingWebhookConfigurations whose name ends in `istio.io`) selects through its \
        `namespaceSelector` and `objectSelector`. When none selects the Deployment's pods, they \
        fail to pull the image `auto`. Label the namespace (`istio-injection=enabled`) or the pod \
        template (`sidecar.istio.io/inject: \"true\"`) so that a webhook picks them up.",
    example: Example {
        yaml: "apiVersion: admissionregistration.k8s.io/v1\nkind: MutatingWebhookConfiguration\nmetadata:\n  name: istio-sidecar-injector\nwebhooks:\n- name: namespace.sidecar-injector.istio.io\n  admissionReviewVersions: [v1]\n  sideEffects: None\n  clientConfig:\n    service: {name: istiod, namespace: istio-system}\n  namespaceSelector:\n    matchLabels:\n      istio-injection: enabled\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ingress\nspec:\n  selector:\n    matchLabels:\n      istio: ingress\n  template:\n    metadata:\n      labels:\n        istio: ingress\n    spec:\n      containers:\n      - name: istio-proxy\n        image: auto\n",
        fires_at: &["spec.template.spec.containers[0].image"],
    },
};

pub static POD_NOT_INJECTED: Rule = Rule {
    code: "IST0147",
    name: "image-auto-without-injection-error",
    level: Level::Error,
    summary: "A Pod whose istio-proxy container still has `image: auto`.",
    kinds: &["Pod"],
    explanation: "`image: auto` is a placeholder the sidecar injector replaces when it creates \
        the pod. A Pod object that still carries it was not injected, and its proxy container \
        cannot start: the image `auto` does not exist. Create the pod through a workload in a \
        namespace the injector selects, or give the container a real proxy image.",
    example: Example {
        yaml: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: gateway\nspec:\n  containers:\n  - name: istio-proxy\n    image: auto\n",
        fires_at: &["spec.containers[0].image"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "injection.ImageAutoAnalyzer",
    rules: &[&DEPLOYMENT_NOT_INJECTED, &POD_NOT_INJECTED],
    run,
};

/// The placeholder image the injector fills in.
const AUTO: &str = "auto";

/// Index of the first proxy container with `image: auto`.
fn auto_image(spec: &PodSpec) -> Option<usize> {
    spec.containers
        .iter()
        .position(|c| c.name == PROXY_CONTAINER && c.image.as_deref() == Some(AUTO))
}

/// The selectors of one injection webhook (absent means everything).
struct Webhook {
    namespaces: Option<LabelSelector>,
    objects: Option<LabelSelector>,
}

fn run(snapshot: &Snapshot, report: &mut Report) {
    for (object, pod) in snapshot.pods() {
        let Some(i) = pod.spec.as_ref().and_then(auto_image) else {
            continue;
        };
        report.report(
            &POD_NOT_INJECTED,
            object,
            &format!("spec.containers[{i}].image"),
            format!(
                "Pod {:?} has `image: auto` on its istio-proxy container, so it was not injected and the proxy cannot start",
                object.name
            ),
        );
    }

    let webhooks = istio_webhooks(snapshot);
    let empty = StringMap::new();
    for object in snapshot.of_kind("Deployment") {
        let Some(KubeObject::Deployment(deployment)) = object.kube() else {
            continue;
        };
        let Some(template) = deployment.spec.as_ref().map(|s| &s.template) else {
            continue;
        };
        let Some(i) = template.spec.as_ref().and_then(auto_image) else {
            continue;
        };
        let namespace = object.namespace.as_deref().unwrap_or("default");
        let namespace_labels = namespace_labels(snapshot, namespace).unwrap_or(&empty);
        let pod_labels = template
            .metadata
            .as_ref()
            .and_then(|m| m.labels.as_ref())
            .unwrap_or(&empty);
        let matches = |selector: &Option<LabelSelector>, labels| {
            selector
                .as_ref()
                .is_none_or(|s| selector_matches(s, labels))
        };
        let selected = webhooks
            .iter()
            .any(|w| matches(&w.namespaces, namespace_labels) && matches(&w.objects, pod_labels));
        if !selected {
            report.report_with_help(
                &DEPLOYMENT_NOT_INJECTED,
                object,
                &format!("spec.template.spec.containers[{i}].image"),
                format!(
                    "Deployment {:?} has `image: auto` on its istio-proxy container, but no istio injection webhook selects its pods in namespace {namespace:?}",
                    object.name
                ),
                "label the namespace istio-injection=enabled, or the pod template sidecar.istio.io/inject: \"true\"",
            );
        }
    }
}

/// The webhooks of every MutatingWebhookConfiguration whose name ends in
/// `istio.io`. A webhook with a selector that cannot be read matches
/// nothing (the API server would refuse it), so it is left out.
fn istio_webhooks(snapshot: &Snapshot) -> Vec<Webhook> {
    // `None`: absent (matches everything); `Some(None)`: unreadable.
    let selector = |webhook: &Node, key: &str| {
        webhook
            .get(key)
            .filter(|n| !matches!(n.value, Value::Null))
            .map(label_selector)
    };
    let mut webhooks = Vec::new();
    for config in snapshot.of_kind("MutatingWebhookConfiguration") {
        let Some(Value::Seq(items)) = config.tree().get("webhooks").map(|n| &n.value) else {
            continue;
        };
        for webhook in items {
            if !webhook
                .get_str("name")
                .is_some_and(|n| n.ends_with("istio.io"))
            {
                continue;
            }
            match (
                selector(webhook, "namespaceSelector"),
                selector(webhook, "objectSelector"),
            ) {
                (Some(None), _) | (_, Some(None)) => {}
                (namespaces, objects) => webhooks.push(Webhook {
                    namespaces: namespaces.flatten(),
                    objects: objects.flatten(),
                }),
            }
        }
    }
    webhooks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::{analyzer_tests, findings_of};

    analyzer_tests!(
        DEPLOYMENT_NOT_INJECTED,
        "apiVersion: admissionregistration.k8s.io/v1\nkind: MutatingWebhookConfiguration\nmetadata:\n  name: istio-sidecar-injector\nwebhooks:\n- name: namespace.sidecar-injector.istio.io\n  namespaceSelector:\n    matchLabels:\n      istio-injection: enabled\n- name: object.sidecar-injector.istio.io\n  objectSelector:\n    matchLabels:\n      sidecar.istio.io/inject: \"true\"\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: gw\n  labels:\n    istio-injection: enabled\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\n  namespace: gw\nspec:\n  selector:\n    matchLabels: {app: a}\n  template:\n    metadata:\n      labels: {app: a}\n    spec:\n      containers:\n      - {name: istio-proxy, image: auto}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: b\nspec:\n  selector:\n    matchLabels: {app: b}\n  template:\n    metadata:\n      labels: {app: b, sidecar.istio.io/inject: \"true\"}\n    spec:\n      containers:\n      - {name: istio-proxy, image: auto}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: c\nspec:\n  selector:\n    matchLabels: {app: c}\n  template:\n    metadata:\n      labels: {app: c}\n    spec:\n      containers:\n      - {name: istio-proxy, image: proxyv2}\n"
    );

    #[test]
    fn every_pod_with_image_auto() {
        insta::assert_snapshot!(findings_of(
            &POD_NOT_INJECTED,
            POD_NOT_INJECTED.example.yaml
        ));
        let real = POD_NOT_INJECTED.example.yaml.replace("auto", "proxyv2");
        assert_eq!(findings_of(&POD_NOT_INJECTED, &real), "");
    }

    #[test]
    fn without_webhooks_nothing_injects() {
        let yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: b\nspec:\n  selector:\n    matchLabels: {app: b}\n  template:\n    metadata:\n      labels: {app: b, sidecar.istio.io/inject: \"true\"}\n    spec:\n      containers:\n      - {name: istio-proxy, image: auto}\n";
        assert!(findings_of(&DEPLOYMENT_NOT_INJECTED, yaml).contains("IST0146"));
    }
}
