//! Analyzers of workloads: sidecar injection (namespaces, pods, the
//! injector's image), application security context, and the Services that
//! select a Deployment.

mod application_uid;
mod image_auto;
mod injection;
mod injection_image;
mod service_association;

use crate::model::StringMap;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as meta;

use crate::model::LabelSelector;

use super::Analyzer;
use crate::loader::{Limits, Node, SourceFile, parse_documents};
pub(super) use crate::mesh::selector::label_selector_matches as selector_matches;
use crate::model::de::from_node;
use crate::model::{Object, SchemaRules};
use crate::snapshot::Snapshot;

pub const ANALYZERS: &[&Analyzer] = &[
    &injection::ANALYZER,
    &injection_image::ANALYZER,
    &image_auto::ANALYZER,
    &application_uid::ANALYZER,
    &service_association::ANALYZER,
];

/// Namespace label that turns sidecar injection on (`enabled`) or off.
const INJECTION_LABEL: &str = "istio-injection";
/// Namespace label naming the control-plane revision that injects.
const REVISION_LABEL: &str = "istio.io/rev";
/// Pod label (or, deprecated, annotation) that opts a pod in or out.
const SIDECAR_INJECT: &str = "sidecar.istio.io/inject";
/// The name of the injected proxy container.
const PROXY_CONTAINER: &str = "istio-proxy";
/// The sidecar injector's ConfigMap (suffixed `-<revision>` for revisions).
const INJECTOR_CONFIG_MAP: &str = "istio-sidecar-injector";

/// The injector ConfigMap of a control-plane revision.
fn injector_config_map_name(revision: &str) -> String {
    if revision.is_empty() || revision == "default" {
        INJECTOR_CONFIG_MAP.to_string()
    } else {
        format!("{INJECTOR_CONFIG_MAP}-{revision}")
    }
}

/// The Helm values the injector ConfigMap carries as JSON under
/// `data.values`; `None` when absent or not JSON.
fn injector_values(config_map: &Object) -> Option<serde_json::Value> {
    let text = config_map.tree().get("data")?.get_str("values")?;
    serde_json::from_str(text).ok()
}

/// The labels of the Namespace object of this name, when the input has it.
fn namespace_labels<'a>(snapshot: &'a Snapshot, namespace: &str) -> Option<&'a StringMap> {
    let object = snapshot.namespace(namespace)?;
    Some(object.metadata().labels.as_ref().unwrap_or(&EMPTY))
}

static EMPTY: StringMap = StringMap::new();

/// Reads a Kubernetes label selector from a tree node.
pub(super) fn label_selector(node: &Node) -> Option<LabelSelector> {
    from_node::<meta::LabelSelector>(node, SchemaRules::none(), false)
        .0
        .map(LabelSelector::from)
}

/// Reads a YAML text (an annotation's value) into a tree; `None` when it
/// does not parse.
fn parse_yaml(text: &str) -> Option<Node> {
    let source = SourceFile::new("<annotation>", text.to_string());
    let mut documents = parse_documents(&source, &Limits::default());
    if documents.len() != 1 || !documents[0].problems.is_empty() {
        return None;
    }
    documents.pop()?.root
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> StringMap {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn selector(yaml: &str) -> LabelSelector {
        label_selector(&parse_yaml(yaml).unwrap()).unwrap()
    }

    #[test]
    fn selectors_match_labels_and_expressions() {
        let s = selector(
            "matchLabels: {app: web}\nmatchExpressions:\n- {key: tier, operator: In, values: [a, b]}\n- {key: skip, operator: DoesNotExist}\n",
        );
        assert!(selector_matches(
            &s,
            &labels(&[("app", "web"), ("tier", "a")])
        ));
        assert!(!selector_matches(
            &s,
            &labels(&[("app", "web"), ("tier", "c")])
        ));
        assert!(!selector_matches(
            &s,
            &labels(&[("app", "web"), ("tier", "a"), ("skip", "x")])
        ));
        let not_in = selector("matchExpressions:\n- {key: env, operator: NotIn, values: [prod]}\n");
        assert!(selector_matches(&not_in, &labels(&[])));
        assert!(!selector_matches(&not_in, &labels(&[("env", "prod")])));
        let exists = selector("matchExpressions:\n- {key: env, operator: Exists}\n");
        assert!(!selector_matches(&exists, &labels(&[])));
    }

    #[test]
    fn revisions_name_their_injector_config_map() {
        assert_eq!(injector_config_map_name(""), "istio-sidecar-injector");
        assert_eq!(
            injector_config_map_name("default"),
            "istio-sidecar-injector"
        );
        assert_eq!(
            injector_config_map_name("canary"),
            "istio-sidecar-injector-canary"
        );
    }
}
