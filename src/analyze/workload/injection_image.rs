//! Pods of injected namespaces whose proxy image is not the one the
//! injector of their revision would inject (IST0158).

use crate::model::StringMap;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::super::{Analyzer, Report};
use super::{
    INJECTION_LABEL, INJECTOR_CONFIG_MAP, PROXY_CONTAINER, REVISION_LABEL,
    injector_config_map_name, injector_values, label_selector, parse_yaml, selector_matches,
};
use crate::loader::Node;
use crate::model::Object;
use crate::report::{Example, Level, Rule};
use crate::snapshot::Snapshot;

pub static IMAGE_MISMATCH: Rule = Rule {
    code: "IST0158",
    name: "pods-istio-proxy-image-mismatch-in-namespace",
    level: Level::Warning,
    summary: "Pods of an injected namespace whose istio-proxy image differs from the injector's.",
    kinds: &["Namespace", "Pod", "ConfigMap", "ProxyConfig"],
    explanation: "The sidecar injector's ConfigMap (`istio-sidecar-injector`, or \
        `istio-sidecar-injector-<revision>` for the namespace's `istio.io/rev`) names the proxy \
        image it injects (`global.proxy.image`, prefixed with `global.hub` and suffixed with \
        `global.tag` unless it is a full reference). Pods whose `istio-proxy` container runs \
        another image were injected by an older control plane, typically before an upgrade: \
        redeploy them. The image may carry the image type suffix (`-distroless`) that MeshConfig \
        `defaultConfig.image.imageType`, a ProxyConfig or the pod's `proxy.istio.io/config` \
        annotation selects. Pods that set `sidecar.istio.io/proxyImage` are skipped. Reported on \
        the namespace, listing its pods.",
    example: Example {
        yaml: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: istio-sidecar-injector\n  namespace: istio-system\ndata:\n  values: '{\"global\": {\"hub\": \"docker.io/istio\", \"tag\": \"1.22.0\", \"proxy\": {\"image\": \"proxyv2\"}}}'\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    istio-injection: enabled\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  containers:\n  - name: web\n    image: nginx\n  - name: istio-proxy\n    image: docker.io/istio/proxyv2:1.21.0\n",
        fires_at: &["metadata.name"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "injection.ImageAnalyzer",
    rules: &[&IMAGE_MISMATCH],
    run,
};

/// Pod annotation that pins a proxy image, overriding the injector.
const PROXY_IMAGE_ANNOTATION: &str = "sidecar.istio.io/proxyImage";
/// Pod annotation holding a ProxyConfig in YAML.
const PROXY_CONFIG_ANNOTATION: &str = "proxy.istio.io/config";

fn run(snapshot: &Snapshot, report: &mut Report) {
    let images: HashMap<&str, String> = snapshot
        .of_kind("ConfigMap")
        .filter(|c| c.name.starts_with(INJECTOR_CONFIG_MAP))
        .map(|c| (c.name.as_str(), injected_image(c)))
        .collect();
    if images.is_empty() {
        return;
    }

    // Injected namespaces and the injector ConfigMap of their revision.
    let mut injected: HashMap<&str, (&Object, String)> = HashMap::new();
    for namespace in snapshot.of_kind("Namespace") {
        let labels = namespace.metadata().labels.as_ref();
        let label = |key: &str| labels.and_then(|l| l.get(key));
        let revision = match (label(REVISION_LABEL), label(INJECTION_LABEL)) {
            (Some(revision), _) => revision.as_str(),
            (None, Some(v)) if v == "enabled" => "default",
            _ => continue,
        };
        injected.insert(
            namespace.name.as_str(),
            (namespace, injector_config_map_name(revision)),
        );
    }

    let image_types = ImageTypes::new(snapshot);
    let mut mismatched: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (object, pod) in snapshot.pods() {
        let namespace = object.namespace.as_deref().unwrap_or_default();
        let Some((_, config_map)) = injected.get(namespace) else {
            continue;
        };
        let annotations = pod.metadata.annotations.as_ref();
        if annotations
            .and_then(|a| a.get(PROXY_IMAGE_ANNOTATION))
            .is_some_and(|v| !v.is_empty())
        {
            continue;
        }
        let Some(expected) = images.get(config_map.as_str()) else {
            continue;
        };
        let Some(spec) = &pod.spec else { continue };
        let image_type = image_types.of(object, namespace);
        let variant = format!("{expected}-{image_type}");
        let wrong = spec
            .containers
            .iter()
            .chain(spec.init_containers.iter().flatten())
            .filter(|c| c.name == PROXY_CONTAINER)
            .any(|c| {
                let image = c.image.as_deref().unwrap_or_default();
                image != expected && image != variant
            });
        if wrong {
            mismatched
                .entry(namespace)
                .or_default()
                .insert(object.name.as_str());
        }
    }

    for (namespace, pods) in mismatched {
        let (object, config_map) = &injected[namespace];
        let pods: Vec<&str> = pods.into_iter().collect();
        report.report_with_help(
            &IMAGE_MISMATCH,
            object,
            "metadata.name",
            format!(
                "pods of namespace {namespace:?} run an istio-proxy image other than {:?}, the one ConfigMap {config_map:?} injects: {}",
                images[config_map.as_str()],
                pods.join(", ")
            ),
            "redeploy the pods so that the current injector injects them",
        );
    }
}

/// The proxy image an injector ConfigMap injects: `global.proxy.image` when
/// it is a full reference (has a `/`), else `hub/image:tag`. Empty when the
/// values cannot be read.
fn injected_image(config_map: &Object) -> String {
    let Some(values) = injector_values(config_map) else {
        return String::new();
    };
    let global = &values["global"];
    let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
    let image = text(&global["proxy"]["image"]);
    if image.contains('/') {
        image
    } else {
        format!("{}/{image}:{}", text(&global["hub"]), text(&global["tag"]))
    }
}

/// The proxy image type (`distroless`, ...) in effect for a pod, from the
/// most specific setting: the pod's `proxy.istio.io/config` annotation, a
/// ProxyConfig selecting the pod, its namespace's ProxyConfig, the root
/// namespace's, then MeshConfig's `defaultConfig`. `default` means none.
struct ImageTypes<'a> {
    mesh: &'a str,
    root: Option<&'a str>,
    namespace: HashMap<&'a str, &'a str>,
    /// Per namespace: ProxyConfigs with a selector, and their image type.
    workload: HashMap<&'a str, Vec<(&'a Node, &'a str)>>,
}

impl<'a> ImageTypes<'a> {
    fn new(snapshot: &'a Snapshot) -> Self {
        let mut types = ImageTypes {
            mesh: snapshot
                .mesh
                .default_config
                .image
                .as_ref()
                .map_or("", |i| i.image_type.as_str()),
            root: None,
            namespace: HashMap::new(),
            workload: HashMap::new(),
        };
        for config in snapshot.of_kind("ProxyConfig") {
            let namespace = config.namespace.as_deref().unwrap_or_default();
            let spec = config.tree().get("spec");
            let image_type = spec.and_then(image_type_of).unwrap_or_default();
            if namespace == snapshot.mesh.root_namespace {
                types.root = Some(image_type);
            } else if let Some(selector) = spec.and_then(|s| s.get("selector")) {
                types
                    .workload
                    .entry(namespace)
                    .or_default()
                    .push((selector, image_type));
            } else {
                types.namespace.insert(namespace, image_type);
            }
        }
        types
    }

    fn of(&self, pod: &Object, namespace: &str) -> String {
        let mut image_type = self.mesh.to_string();
        let mut set = |t: &str| {
            if !t.is_empty() {
                image_type = t.to_string();
            }
        };
        set(self.root.unwrap_or_default());
        set(self.namespace.get(namespace).copied().unwrap_or_default());
        let meta = pod.metadata();
        let empty = StringMap::new();
        let labels = meta.labels.as_ref().unwrap_or(&empty);
        for (selector, t) in self.workload.get(namespace).into_iter().flatten() {
            if label_selector(selector).is_some_and(|s| selector_matches(&s, labels)) {
                set(t);
            }
        }
        if let Some(text) = meta
            .annotations
            .as_ref()
            .and_then(|a| a.get(PROXY_CONFIG_ANNOTATION))
        {
            let config = parse_yaml(text);
            set(config.as_ref().and_then(image_type_of).unwrap_or_default());
        }
        if image_type == "default" {
            image_type.clear();
        }
        image_type
    }
}

/// `image.imageType` of a ProxyConfig (resource spec or annotation).
fn image_type_of(config: &Node) -> Option<&str> {
    config.get("image")?.get_str("imageType")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::{analyzer_tests, findings_of, findings_with};
    use crate::snapshot::MeshConfig;

    analyzer_tests!(
        IMAGE_MISMATCH,
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: istio-sidecar-injector\ndata:\n  values: '{\"global\": {\"hub\": \"docker.io/istio\", \"tag\": \"1.22.0\", \"proxy\": {\"image\": \"proxyv2\"}}}'\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    istio-injection: enabled\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  containers:\n  - {name: istio-proxy, image: docker.io/istio/proxyv2:1.22.0}\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: pinned\n  namespace: shop\n  annotations:\n    sidecar.istio.io/proxyImage: my/proxy:1\nspec:\n  containers:\n  - {name: istio-proxy, image: my/proxy:1}\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: other\n  namespace: default\nspec:\n  containers:\n  - {name: istio-proxy, image: docker.io/istio/proxyv2:1.0.0}\n"
    );

    const INJECTOR: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: istio-sidecar-injector\ndata:\n  values: '{\"global\": {\"hub\": \"hub\", \"tag\": \"2\", \"proxy\": {\"image\": \"proxyv2\"}}}'\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: istio-sidecar-injector-canary\ndata:\n  values: '{\"global\": {\"hub\": \"hub\", \"tag\": \"3\", \"proxy\": {\"image\": \"other/proxyv2:3\"}}}'\n";

    fn pod(name: &str, namespace: &str, image: &str, extra: &str) -> String {
        format!(
            "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  namespace: {namespace}\n{extra}spec:\n  containers:\n  - {{name: istio-proxy, image: \"{image}\"}}\n"
        )
    }

    #[test]
    fn revisions_use_their_own_injector() {
        let yaml = format!(
            "{INJECTOR}---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: rev\n  labels:\n    istio.io/rev: canary\n{}{}",
            pod("ok", "rev", "other/proxyv2:3", ""),
            pod("old", "rev", "hub/proxyv2:2", ""),
        );
        insta::assert_snapshot!(findings_of(&IMAGE_MISMATCH, &yaml));
    }

    #[test]
    fn image_types_from_mesh_config_proxy_config_and_annotation() {
        let distroless = "hub/proxyv2:2-distroless";
        let yaml = format!(
            "{INJECTOR}---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  labels:\n    istio-injection: enabled\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n  labels:\n    istio-injection: enabled\n---\napiVersion: networking.istio.io/v1beta1\nkind: ProxyConfig\nmetadata:\n  name: pc\n  namespace: b\nspec:\n  selector:\n    matchLabels:\n      app: x\n  image:\n    imageType: distroless\n{}{}{}",
            pod(
                "annotated",
                "a",
                distroless,
                "  annotations:\n    proxy.istio.io/config: |\n      image:\n        imageType: distroless\n"
            ),
            pod("selected", "b", distroless, "  labels:\n    app: x\n"),
            pod("unselected", "b", distroless, ""),
        );
        let found = findings_of(&IMAGE_MISMATCH, &yaml);
        assert_eq!(found.lines().count(), 1, "{found}");
        assert!(found.ends_with("injects: unselected"), "{found}");

        let plain = format!(
            "{INJECTOR}---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  labels:\n    istio-injection: enabled\n{}",
            pod("p", "a", distroless, "")
        );
        assert!(findings_of(&IMAGE_MISMATCH, &plain).contains("IST0158"));
        let mesh: MeshConfig = {
            use crate::loader::{Limits, SourceFile, parse_documents};
            let source = SourceFile::new(
                "mesh.yaml",
                "defaultConfig:\n  image:\n    imageType: distroless\n".to_string(),
            );
            let docs = parse_documents(&source, &Limits::default());
            MeshConfig::from_node(docs[0].root.as_ref().unwrap()).unwrap()
        };
        assert_eq!(findings_with(&IMAGE_MISMATCH, &plain, mesh), "");
    }

    #[test]
    fn full_image_references_are_taken_as_written() {
        let yaml = format!(
            "{INJECTOR}---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: rev\n  labels:\n    istio.io/rev: canary\n{}",
            pod("p", "rev", "hub/other/proxyv2:3:3", ""),
        );
        assert!(findings_of(&IMAGE_MISMATCH, &yaml).contains("\"other/proxyv2:3\""));
    }
}
