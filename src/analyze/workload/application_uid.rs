//! Application pods and containers that run as UID 1337, the proxy's user
//! (IST0144).

use super::super::{Analyzer, Report};
use super::PROXY_CONTAINER;
use crate::model::Object;
use crate::model::kube::{KubeObject, PodSpec};
use crate::report::{Example, Level, Rule};
use crate::snapshot::Snapshot;

pub static APPLICATION_UID: Rule = Rule {
    code: "IST0144",
    name: "invalid-application-uid",
    level: Level::Warning,
    summary: "An application pod or container that runs as UID 1337, the sidecar proxy's user.",
    kinds: &["Pod", "Deployment"],
    explanation: "The iptables rules Istio installs let traffic of UID 1337 (the sidecar \
        proxy's user) leave the pod without passing through the proxy. An application running \
        as 1337 therefore bypasses the mesh, and may loop traffic through the proxy. Pick \
        another `runAsUser` in the pod's or the container's `securityContext`. The \
        `istio-proxy` and `istio-operator` containers, and control-plane resources (labelled \
        `istio` or `release: istio`), are not checked.",
    example: Example {
        yaml: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  securityContext:\n    runAsUser: 1337\n  containers:\n  - name: web\n    image: nginx\n",
        fires_at: &["spec.securityContext.runAsUser"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "applicationUID.Analyzer",
    rules: &[&APPLICATION_UID],
    run,
};

/// The proxy's user ID.
const PROXY_UID: i64 = 1337;
/// Containers allowed to run as the proxy's user.
const EXEMPT: &[&str] = &[PROXY_CONTAINER, "istio-operator"];

fn run(snapshot: &Snapshot, report: &mut Report) {
    for object in snapshot
        .of_kind("Pod")
        .chain(snapshot.of_kind("Deployment"))
    {
        let (spec, pod_path) = match object.kube() {
            Some(KubeObject::Pod(pod)) => (pod.spec.as_ref(), "spec"),
            Some(KubeObject::Deployment(d)) => (
                d.spec.as_ref().and_then(|s| s.template.spec.as_ref()),
                "spec.template.spec",
            ),
            _ => continue,
        };
        if let Some(spec) = spec
            && !is_control_plane(object)
        {
            check(spec, pod_path, object, report);
        }
    }
}

fn is_control_plane(object: &Object) -> bool {
    object
        .metadata()
        .labels
        .as_ref()
        .is_some_and(|l| l.contains_key("istio") || l.get("release").is_some_and(|v| v == "istio"))
}

/// One finding per resource (as istioctl reports it), at the first place
/// that sets the UID, naming every place.
fn check(spec: &PodSpec, pod_path: &str, object: &Object, report: &mut Report) {
    let mut places: Vec<(String, String)> = Vec::new();
    if spec.security_context.as_ref().and_then(|s| s.run_as_user) == Some(PROXY_UID) {
        places.push((
            format!("{pod_path}.securityContext.runAsUser"),
            "pod securityContext".to_string(),
        ));
    }
    for (i, container) in spec.containers.iter().enumerate() {
        let uid = container
            .security_context
            .as_ref()
            .and_then(|s| s.run_as_user);
        if uid == Some(PROXY_UID) && !EXEMPT.contains(&container.name.as_str()) {
            places.push((
                format!("{pod_path}.containers[{i}].securityContext.runAsUser"),
                format!("container {:?}", container.name),
            ));
        }
    }
    let Some((path, _)) = places.first() else {
        return;
    };
    let whom: Vec<&str> = places.iter().map(|(_, w)| w.as_str()).collect();
    report.report_with_help(
        &APPLICATION_UID,
        object,
        path,
        format!(
            "{} {:?} runs as UID 1337 ({}), the user reserved for the sidecar proxy, so its traffic bypasses the proxy",
            object.kind,
            object.name,
            whom.join(", ")
        ),
        "run the application as another user",
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::{analyzer_tests, findings_of};

    analyzer_tests!(
        APPLICATION_UID,
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  securityContext:\n    runAsUser: 1000\n  containers:\n  - name: web\n    image: nginx\n  - name: istio-proxy\n    image: proxyv2\n    securityContext:\n      runAsUser: 1337\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: istiod\n  labels:\n    istio: pilot\nspec:\n  securityContext:\n    runAsUser: 1337\n  containers:\n  - name: discovery\n    image: pilot\n"
    );

    #[test]
    fn containers_and_deployments() {
        insta::assert_snapshot!(findings_of(
            &APPLICATION_UID,
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      securityContext:\n        runAsUser: 1337\n      containers:\n      - name: web\n        image: nginx\n        securityContext:\n          runAsUser: 1337\n"
        ));
    }
}
