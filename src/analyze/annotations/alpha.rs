//! Istio annotations of alpha-phase features (IST0136): they may change or
//! go away between releases. Like istioctl, lint runs it only when
//! `--analyzer annotations.AlphaAnalyzer` asks for it.

use super::super::{Analyzer, Report};
use super::k8s::{SET_BY_ISTIO, annotated_kinds, is_istio};
use super::registry::lookup;

use crate::loader::Node;
use crate::model::Object;
use crate::report::{Example, Level, Rule};
use crate::snapshot::Snapshot;

pub static ALPHA_ANNOTATION: Rule = Rule {
    code: "IST0136",
    name: "alpha-annotation",
    level: Level::Info,
    summary: "An Istio annotation of an alpha-phase feature, which may not suit production.",
    kinds: &["Namespace", "Service", "Pod", "Deployment"],
    explanation: "Istio marks each of its annotations with the maturity of the feature behind \
        it. An alpha feature may be incomplete, change its behaviour or be removed in a later \
        release without the usual deprecation period. Prefer the stable API for the same \
        setting where there is one (a ProxyConfig or MeshConfig field, a Sidecar resource), \
        and review alpha annotations before each upgrade. As with istioctl, this check runs \
        only when asked for (`--analyzer annotations.AlphaAnalyzer`).",
    example: Example {
        yaml: "apiVersion: v1\nkind: Service\nmetadata:\n  name: httpbin\n  annotations:\n    networking.istio.io/exportTo: \".\"\nspec:\n  selector: {app: httpbin}\n  ports:\n  - {name: http, port: 8000}\n",
        fires_at: &["metadata.annotations[\"networking.istio.io/exportTo\"]"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "annotations.AlphaAnalyzer",
    rules: &[&ALPHA_ANNOTATION],
    run,
};

/// Annotations the Istio CNI plugin writes on the pods it sets up; only a
/// pod without CNI (with an `istio-init` container) has them from its user.
const SET_BY_CNI: &[&str] = &[
    "sidecar.istio.io/interceptionMode",
    "traffic.sidecar.istio.io/includeInboundPorts",
    "traffic.sidecar.istio.io/excludeInboundPorts",
    "traffic.sidecar.istio.io/includeOutboundIPRanges",
];

fn run(snapshot: &Snapshot, report: &mut Report) {
    for object in annotated_kinds(snapshot) {
        check(object, report);
    }
}

fn check(object: &Object, report: &mut Report) {
    let Some(annotations) = &object.metadata().annotations else {
        return;
    };
    let cni = object.kind == "Pod" && !has_istio_init(object);
    for name in annotations.keys() {
        if !is_istio(name)
            || SET_BY_ISTIO.contains(&name.as_str())
            || (cni && SET_BY_CNI.contains(&name.as_str()))
            || !lookup(name).is_some_and(|a| a.alpha)
        {
            continue;
        }
        report.report(
            &ALPHA_ANNOTATION,
            object,
            &format!("metadata.annotations[{name:?}]"),
            format!("annotation {name:?} belongs to an alpha-phase feature, which may be incompletely supported"),
        );
    }
}

/// Whether the pod has the init container that sets up traffic capture
/// without the CNI plugin.
fn has_istio_init(pod: &Object) -> bool {
    let init = pod.tree().get("spec").and_then(|s| s.get("initContainers"));
    init.and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .any(|c| c.get_str("name") == Some("istio-init"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::{analyzer_tests, findings_of};

    analyzer_tests!(
        ALPHA_ANNOTATION,
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  annotations:\n    proxy.istio.io/config: \"{}\"\n    sidecar.istio.io/status: \"{}\"\n    sidecar.istio.io/interceptionMode: REDIRECT\n    example.com/owner: team-a\nspec:\n  containers:\n  - {name: web, image: nginx}\n"
    );

    #[test]
    fn runs_only_when_asked_for_as_in_istioctl() {
        let defaults = crate::analyze::defaults();
        assert!(!defaults.iter().any(|a| a.name == ANALYZER.name));
        assert_eq!(defaults.len() + 1, crate::analyze::all().len());
    }

    #[test]
    fn cni_annotations_count_only_without_cni() {
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  annotations:\n    sidecar.istio.io/interceptionMode: REDIRECT\n    readiness.status.sidecar.istio.io/periodSeconds: \"10\"\nspec:\n  initContainers:\n  - {name: istio-init, image: istio/proxyv2}\n  containers:\n  - {name: web, image: nginx}\n";
        insta::assert_snapshot!(findings_of(&ALPHA_ANNOTATION, pod));
    }
}
