//! Istio annotations on Kubernetes resources (Namespaces, Services, Pods,
//! Deployments): unknown ones (IST0108), ones on the wrong kind of resource
//! (IST0107), values the injector refuses (IST0125) and deprecated ones
//! (IST0135).

use super::super::{Analyzer, Report};
use super::registry::{self, Target};
use super::values;
use crate::model::Object;
use crate::report::{Example, Level, Rule};
use crate::snapshot::Snapshot;

pub static MISPLACED: Rule = Rule {
    code: "IST0107",
    name: "misplaced-annotation",
    level: Level::Warning,
    summary: "An Istio annotation on a kind of resource it does not apply to.",
    kinds: &["Namespace", "Service", "Pod", "Deployment"],
    explanation: "Each Istio annotation is read from one kind of resource: the sidecar \
        settings (`sidecar.istio.io/...`, `proxy.istio.io/config`, ...) from Pods, \
        `networking.istio.io/exportTo` from Services, `kubernetes.io/ingress.class` from \
        Ingresses. Anywhere else it is silently ignored. A common slip is putting a pod \
        annotation on a Deployment's own metadata instead of its pod template \
        (`spec.template.metadata.annotations`).",
    example: Example {
        yaml: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations:\n    sidecar.istio.io/logLevel: debug\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx\n",
        fires_at: &["metadata.annotations[\"sidecar.istio.io/logLevel\"]"],
    },
};

pub static UNKNOWN: Rule = Rule {
    code: "IST0108",
    name: "unknown-annotation",
    level: Level::Warning,
    summary: "An annotation in an Istio domain that Istio does not define.",
    kinds: &["Namespace", "Service", "Pod", "Deployment"],
    explanation: "Annotations whose prefix ends in `istio.io` belong to Istio, and Istio \
        ignores the ones it does not know. The name is probably misspelt: check it against \
        Istio's annotation reference.",
    example: Example {
        yaml: "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  annotations:\n    networking.istio.io/exportTO: \".\"\nspec:\n  selector: {app: web}\n  ports:\n  - {name: http, port: 80}\n",
        fires_at: &["metadata.annotations[\"networking.istio.io/exportTO\"]"],
    },
};

pub static INVALID: Rule = Rule {
    code: "IST0125",
    name: "invalid-annotation",
    level: Level::Warning,
    summary: "An Istio annotation whose value the sidecar injector refuses.",
    kinds: &["Namespace", "Service", "Pod", "Deployment"],
    explanation: "The sidecar injector checks the values of the annotations it reads (ports, \
        port lists, CIDR lists, interface names, integers, booleans, resource quantities, the \
        interception mode, the ProxyConfig YAML) and refuses to inject a pod with a bad one. \
        Fix the value.",
    example: Example {
        yaml: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  annotations:\n    traffic.sidecar.istio.io/excludeOutboundPorts: \"3306,mysql\"\nspec:\n  containers:\n  - name: web\n    image: nginx\n",
        fires_at: &["metadata.annotations[\"traffic.sidecar.istio.io/excludeOutboundPorts\"]"],
    },
};

pub static DEPRECATED: Rule = Rule {
    code: "IST0135",
    name: "deprecated-annotation",
    level: Level::Info,
    summary: "A deprecated Istio annotation.",
    kinds: &["Namespace", "Service", "Pod", "Deployment"],
    explanation: "The annotation is deprecated and may stop working in a future Istio \
        release. The `sidecar.istio.io/inject` annotation is replaced by the label of the same \
        name (it is not reported when the label is set too).",
    example: Example {
        yaml: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  annotations:\n    sidecar.istio.io/inject: \"true\"\nspec:\n  containers:\n  - name: web\n    image: nginx\n",
        fires_at: &["metadata.annotations[\"sidecar.istio.io/inject\"]"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "annotations.K8sAnalyzer",
    rules: &[&MISPLACED, &UNKNOWN, &INVALID, &DEPRECATED],
    run,
};

/// Annotations Istio itself writes, never the user's to fix.
pub(super) const SET_BY_ISTIO: &[&str] = &[
    "sidecar.istio.io/status",
    "gateway.istio.io/controller-version",
    "istio.io/rev",
];
/// The one annotation outside Istio's domains that Istio documents.
const INGRESS_CLASS: &str = "kubernetes.io/ingress.class";
const SIDECAR_INJECT: &str = "sidecar.istio.io/inject";

fn run(snapshot: &Snapshot, report: &mut Report) {
    for object in annotated_kinds(snapshot) {
        check(object, report);
    }
}

/// The objects whose annotations istioctl checks: Namespaces, Services,
/// Pods and Deployments.
pub(super) fn annotated_kinds(snapshot: &Snapshot) -> impl Iterator<Item = &Object> {
    [
        ("Namespace", "v1"),
        ("Service", "v1"),
        ("Pod", "v1"),
        ("Deployment", "apps/v1"),
    ]
    .into_iter()
    .flat_map(|(kind, api_version)| {
        snapshot
            .of_kind(kind)
            .filter(move |o| o.api_version == api_version)
    })
}

/// Whether an annotation is in Istio's name space.
pub(super) fn is_istio(name: &str) -> bool {
    name == INGRESS_CLASS
        || name
            .split('/')
            .next()
            .is_some_and(|p| p.ends_with("istio.io"))
}

fn check(object: &Object, report: &mut Report) {
    let meta = object.metadata();
    let Some(annotations) = &meta.annotations else {
        return;
    };
    let has_inject_label = meta
        .labels
        .as_ref()
        .is_some_and(|l| l.contains_key(SIDECAR_INJECT));
    for (name, value) in annotations {
        if !is_istio(name) || SET_BY_ISTIO.contains(&name.as_str()) {
            continue;
        }
        let path = format!("metadata.annotations[{name:?}]");
        let Some(known) = registry::lookup(name) else {
            report.report(
                &UNKNOWN,
                object,
                &path,
                format!(
                    "annotation {name:?} is in an Istio domain, but Istio defines no such annotation, so it has no effect"
                ),
            );
            continue;
        };
        if known.deprecated && !(name == SIDECAR_INJECT && has_inject_label) {
            let instead = if name == SIDECAR_INJECT {
                "; set the sidecar.istio.io/inject label instead"
            } else {
                ""
            };
            report.report(
                &DEPRECATED,
                object,
                &path,
                format!(
                    "annotation {name:?} is deprecated and may stop working in a future Istio release{instead}"
                ),
            );
        }
        if known.targets.contains(&Target::Any) {
            continue;
        }
        if !known.targets.iter().any(|t| t.kind() == object.kind) {
            let kinds: Vec<&str> = known.targets.iter().map(|t| t.kind()).collect();
            report.report_with_help(
                &MISPLACED,
                object,
                &path,
                format!(
                    "annotation {name:?} is read only from {}, not from a {}, so it has no effect here",
                    kinds.join(", "),
                    object.kind
                ),
                if object.kind == "Deployment" && kinds.contains(&"Pod") {
                    "move it to the pod template: spec.template.metadata.annotations"
                } else {
                    "move it to a resource of the kind it applies to, or remove it"
                },
            );
            continue;
        }
        if let Err(problem) = values::check(known.value, value) {
            report.report(
                &INVALID,
                object,
                &path,
                format!("annotation {name:?} has an invalid value: {problem}"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::{analyzer_tests, findings_of};

    analyzer_tests!(
        MISPLACED,
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  annotations:\n    sidecar.istio.io/logLevel: debug\n    galley.istio.io/analyze-suppress: IST0103\n    sidecar.istio.io/status: '{}'\n    example.com/other: x\nspec:\n  containers:\n  - name: web\n    image: nginx\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  annotations:\n    networking.istio.io/exportTo: \".\"\nspec:\n  ports:\n  - {name: http, port: 80}\n"
    );

    #[test]
    fn unknown_invalid_and_deprecated() {
        insta::assert_snapshot!(
            [&UNKNOWN, &INVALID, &DEPRECATED]
                .map(|r| findings_of(r, r.example.yaml))
                .join("\n")
        );
    }

    #[test]
    fn kubernetes_ingress_class_is_checked() {
        let yaml = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n  annotations:\n    kubernetes.io/ingress.class: istio\n    kubernetes.io/other: x\n";
        let found = findings_of(&MISPLACED, yaml);
        assert!(
            found.contains("ingress.class") && !found.contains("other"),
            "{found}"
        );
    }

    #[test]
    fn the_inject_label_silences_the_deprecated_annotation() {
        let yaml = DEPRECATED.example.yaml.replace(
            "  annotations:",
            "  labels:\n    sidecar.istio.io/inject: \"true\"\n  annotations:",
        );
        assert_eq!(findings_of(&DEPRECATED, &yaml), "");
        let valid = INVALID.example.yaml.replace(",mysql", ",5432");
        assert_eq!(findings_of(&INVALID, &valid), "");
        let known = UNKNOWN.example.yaml.replace("exportTO", "exportTo");
        assert_eq!(findings_of(&UNKNOWN, &known), "");
    }
}
