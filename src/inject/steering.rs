//! The pod's say in its injection: whether it is injected at all
//! (`sidecar.istio.io/inject`, host networking, the policy's selectors, an
//! earlier injection), the checks Istio applies to the injection
//! annotations' values, and the effective ProxyConfig (the mesh's
//! `defaultConfig` with the pod's `proxy.istio.io/config` over it).

use crate::model::StringMap;

use serde_json::{Map, Value as Json};

use super::config::{InjectConfig, merge_proxy_config};
use super::tree::get;
use crate::analyze::annotations::{ValueKind, check_value, is_deprecated, value_kind};
use crate::loader::{Limits, SourceFile, parse_documents};

/// The annotation injection leaves on every pod it injected.
pub const STATUS: &str = "sidecar.istio.io/status";
pub const INJECT: &str = "sidecar.istio.io/inject";
pub const PROXY_CONFIG: &str = "proxy.istio.io/config";

/// Namespaces the injector never touches (Istio's `IgnoredNamespaces`).
const IGNORED_NAMESPACES: [&str; 4] = [
    "kube-system",
    "kube-public",
    "kube-node-lease",
    "local-path-storage",
];

/// Why a pod is left as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skip {
    HostNetwork,
    Disabled,
    IgnoredNamespace,
    AlreadyInjected,
}

impl Skip {
    pub fn reason(&self) -> &'static str {
        match self {
            Skip::HostNetwork => "has host networking enabled",
            Skip::Disabled => "has sidecar injection disabled",
            Skip::IgnoredNamespace => "is in a namespace the injector ignores",
            Skip::AlreadyInjected => "is already injected (sidecar.istio.io/status is set)",
        }
    }
}

/// An annotation (or label) whose value injection cannot use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadAnnotation {
    pub name: String,
    pub value: String,
    pub reason: String,
}

/// Whether the pod is to be injected, as `istioctl kube-inject` decides:
/// host networking and an earlier injection first, then the label or
/// annotation, then the policy's selectors, then the policy.
pub fn decide(meta: &Json, spec: &Json, config: &InjectConfig) -> Result<(), Skip> {
    if spec.get("hostNetwork").and_then(Json::as_bool) == Some(true) {
        return Err(Skip::HostNetwork);
    }
    if annotation(meta, STATUS).is_some() {
        return Err(Skip::AlreadyInjected);
    }
    if let Some(ns) = meta.get("namespace").and_then(Json::as_str)
        && IGNORED_NAMESPACES.contains(&ns)
    {
        return Err(Skip::IgnoredNamespace);
    }
    let choice = label(meta, INJECT).or_else(|| annotation(meta, INJECT));
    let explicit = match choice {
        Some("true") => Some(true),
        Some("false") => Some(false),
        _ => None,
    };
    let labels = labels_of(meta);
    let decided = explicit
        .or_else(|| any_selects(&config.policy.never_inject, &labels).then_some(false))
        .or_else(|| any_selects(&config.policy.always_inject, &labels).then_some(true))
        .unwrap_or(config.policy.enabled);
    if decided { Ok(()) } else { Err(Skip::Disabled) }
}

/// What does not stop injection but deserves a word: deprecated
/// annotations, and an inject choice that is neither `true` nor `false`
/// (Istio then falls back to the policy).
pub fn warnings(meta: &Json) -> Vec<String> {
    let mut warnings = Vec::new();
    for name in meta
        .get("annotations")
        .and_then(Json::as_object)
        .into_iter()
        .flat_map(|a| a.keys())
    {
        if is_deprecated(name) {
            let hint = if name == INJECT {
                "; use the sidecar.istio.io/inject label"
            } else {
                ""
            };
            warnings.push(format!("annotation {name:?} is deprecated{hint}"));
        }
    }
    let choice = label(meta, INJECT).or_else(|| annotation(meta, INJECT));
    if let Some(value) = choice.filter(|v| !matches!(*v, "true" | "false" | "")) {
        warnings.push(format!(
            "{INJECT}: {value:?} is neither \"true\" nor \"false\"; the injection policy decides"
        ));
    }
    warnings
}

/// Checks every annotation Istio checks before injecting, all at once.
pub fn validate(meta: &Json) -> Result<(), Vec<BadAnnotation>> {
    let mut bad = Vec::new();
    let Some(annotations) = meta.get("annotations").and_then(Json::as_object) else {
        return Ok(());
    };
    for (name, value) in annotations {
        let Some(kind) = value_kind(name) else {
            continue;
        };
        let text = value
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| value.to_string());
        let result = if kind == ValueKind::ProxyConfig {
            parse_proxy_config(&text).map(|_| ())
        } else {
            check_value(kind, &text)
        };
        if let Err(reason) = result {
            bad.push(BadAnnotation {
                name: name.clone(),
                value: text,
                reason,
            });
        }
    }
    if bad.is_empty() { Ok(()) } else { Err(bad) }
}

/// The ProxyConfig the pod runs with: the mesh's `defaultConfig`, then
/// the pod's `proxy.istio.io/config`.
pub fn proxy_config(meta: &Json, config: &InjectConfig) -> Map<String, Json> {
    let mut merged = config.mesh.default_config.clone();
    if let Some(text) = annotation(meta, PROXY_CONFIG)
        && let Ok(pod) = parse_proxy_config(text)
    {
        merge_proxy_config(&mut merged, &pod);
    }
    merged
}

/// The agent's port in the ProxyConfig (`statusPort`, 15020 by default):
/// where Prometheus and rewritten probes are pointed.
pub fn agent_port(proxy_config: &Map<String, Json>) -> i64 {
    match proxy_config.get("statusPort") {
        Some(Json::Number(n)) => n.as_i64(),
        Some(Json::String(s)) => s.parse().ok(),
        _ => None,
    }
    .unwrap_or(15020)
}

/// A ProxyConfig written in YAML (or JSON): a mapping of its fields.
pub fn parse_proxy_config(text: &str) -> Result<Map<String, Json>, String> {
    let source = SourceFile::new("<proxy.istio.io/config>", text.to_string());
    let documents = parse_documents(&source, &Limits::default());
    let bad = || "the value is not a ProxyConfig in YAML (a mapping of its fields)".to_string();
    match documents.as_slice() {
        [] => Ok(Map::new()),
        [document] if document.problems.is_empty() => {
            match document.root.as_ref().map(crate::loader::Node::to_json) {
                None | Some(Json::Null) => Ok(Map::new()),
                Some(Json::Object(map)) => Ok(map),
                Some(_) => Err(bad()),
            }
        }
        _ => Err(bad()),
    }
}

pub fn annotation<'a>(meta: &'a Json, name: &str) -> Option<&'a str> {
    get(meta, &["annotations", name])?.as_str()
}

pub fn label<'a>(meta: &'a Json, name: &str) -> Option<&'a str> {
    get(meta, &["labels", name])?.as_str()
}

fn labels_of(meta: &Json) -> StringMap {
    super::tree::string_map(meta.get("labels"))
        .into_iter()
        .collect()
}

/// Whether one of the selectors (Kubernetes `LabelSelector`s) selects
/// these labels; an empty selector selects nothing here, as in Istio.
fn any_selects(selectors: &[Json], labels: &StringMap) -> bool {
    selectors.iter().any(|s| selects(s, labels))
}

fn selects(selector: &Json, labels: &StringMap) -> bool {
    let match_labels: StringMap = super::tree::string_map(selector.get("matchLabels"))
        .into_iter()
        .collect();
    let expressions = selector
        .get("matchExpressions")
        .and_then(Json::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    if match_labels.is_empty() && expressions.is_empty() {
        return false;
    }
    crate::mesh::selector::selects(&match_labels, labels)
        && expressions.iter().all(|e| expression_holds(e, labels))
}

fn expression_holds(expression: &Json, labels: &StringMap) -> bool {
    let key = expression
        .get("key")
        .and_then(Json::as_str)
        .unwrap_or_default();
    let values: Vec<&str> = expression
        .get("values")
        .and_then(Json::as_array)
        .map(|v| v.iter().filter_map(Json::as_str).collect())
        .unwrap_or_default();
    let value = labels.get(key).map(String::as_str);
    match expression.get("operator").and_then(Json::as_str) {
        Some("In") => value.is_some_and(|v| values.contains(&v)),
        Some("NotIn") => value.is_none_or(|v| !values.contains(&v)),
        Some("Exists") => value.is_some(),
        Some("DoesNotExist") => value.is_none(),
        _ => false,
    }
}
