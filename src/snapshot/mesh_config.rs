//! MeshConfig: the mesh-wide settings the analyzers depend on, read as
//! `istioctl analyze --meshConfigFile` reads them. Unknown fields are
//! ignored (MeshConfig has hundreds; validating it is not lint's job).

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::loader::Node;
use crate::model::SchemaRules;
use crate::model::de::from_node;

/// The settings meshctl reads, with Istio's defaults.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MeshConfig {
    /// Where mesh-wide policies live.
    pub root_namespace: String,
    /// `OFF` disables the legacy ingress controller, and with it the
    /// default ingress gateway istioctl assumes.
    pub ingress_controller_mode: Option<ModeOrFlag>,
    /// The Service of the default ingress gateway.
    pub ingress_service: String,
    /// The `istio` label value of the default ingress gateway's pods.
    pub ingress_selector: String,
    pub trust_domain: String,
    pub default_config: ProxyConfig,
    pub extension_providers: Vec<ExtensionProvider>,
    pub default_providers: DefaultProviders,
    pub path_normalization: PathNormalization,
}

/// How sidecars and gateways normalise a request's path before routing
/// and authorization (`pathNormalization.normalization`: `NONE`, `BASE`,
/// `MERGE_SLASHES`, `DECODE_AND_MERGE_SLASHES`; unset is `BASE`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct PathNormalization {
    pub normalization: Option<PathNormalizationMode>,
}

/// Istio's `ProxyPathNormalization.NormalizationType`; a value outside it
/// is an error, not a silent `BASE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PathNormalizationMode {
    /// Istio's default, today `BASE`.
    Default,
    None,
    Base,
    MergeSlashes,
    DecodeAndMergeSlashes,
}

/// The providers Telemetry uses where a resource names none.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DefaultProviders {
    pub access_logging: Vec<String>,
}

/// The part of `defaultConfig` (ProxyConfig) the analyzers read.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ProxyConfig {
    pub proxy_metadata: BTreeMap<String, String>,
    pub image: Option<ProxyImage>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ProxyImage {
    pub image_type: String,
}

/// An enum value YAML 1.1 may have read as a boolean: unquoted `OFF` is
/// `false` to a YAML 1.1 reader, and users write it unquoted.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum ModeOrFlag {
    Mode(String),
    Flag(bool),
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ExtensionProvider {
    pub name: String,
    /// Set for a Lightstep tracing provider (deprecated by Istio).
    pub lightstep: Option<serde_json::Value>,
}

impl Default for MeshConfig {
    fn default() -> Self {
        MeshConfig {
            root_namespace: "istio-system".into(),
            ingress_controller_mode: None,
            ingress_service: "istio-ingressgateway".into(),
            ingress_selector: "ingressgateway".into(),
            trust_domain: "cluster.local".into(),
            default_config: ProxyConfig::default(),
            extension_providers: Vec::new(),
            default_providers: DefaultProviders::default(),
            path_normalization: PathNormalization::default(),
        }
    }
}

impl MeshConfig {
    /// Reads a MeshConfig document. Fields left out keep Istio's defaults;
    /// a field of the wrong type is an error naming it.
    pub fn from_node(node: &Node) -> Result<Self, String> {
        let (config, problems) = from_node::<MeshConfig>(node, SchemaRules::none(), false);
        match (config, problems.first()) {
            (Some(config), None) => Ok(config),
            (_, Some(problem)) => {
                // A problem with the document itself has no field to name.
                let field = problem.path.to_string();
                let field = if field.is_empty() {
                    field
                } else {
                    format!("{field}: ")
                };
                Err(format!(
                    "{}:{}: {field}{}",
                    problem.pos.line, problem.pos.column, problem.message
                ))
            }
            (None, None) => Err("not a MeshConfig mapping".into()),
        }
    }

    /// Whether istioctl would add its default ingress gateway (Service and
    /// Pod) to what it analyzes.
    pub fn has_default_ingress(&self) -> bool {
        match &self.ingress_controller_mode {
            Some(ModeOrFlag::Mode(mode)) => !mode.eq_ignore_ascii_case("OFF"),
            Some(ModeOrFlag::Flag(on)) => *on,
            None => true,
        }
    }

    /// A proxy metadata flag set to `true` in `defaultConfig`.
    pub fn proxy_flag(&self, name: &str) -> bool {
        self.default_config
            .proxy_metadata
            .get(name)
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loader::{Limits, SourceFile, parse_documents};

    fn read(yaml: &str) -> Result<MeshConfig, String> {
        let source = SourceFile::new("mesh.yaml", yaml.to_string());
        let docs = parse_documents(&source, &Limits::default());
        let root = docs[0].root.as_ref().expect("a document");
        MeshConfig::from_node(root)
    }

    #[test]
    fn defaults_are_istios() {
        let config = read("{}").unwrap();
        assert_eq!(config.root_namespace, "istio-system");
        assert!(config.has_default_ingress());
        assert!(!config.proxy_flag("ISTIO_META_DNS_AUTO_ALLOCATE"));
    }

    #[test]
    fn reads_the_fields_lint_uses_and_ignores_the_rest() {
        let config = read(
            "rootNamespace: mesh-root\ningressControllerMode: OFF\naccessLogFile: /dev/stdout\n\
             defaultConfig:\n  proxyMetadata:\n    ISTIO_META_DNS_AUTO_ALLOCATE: \"true\"\n",
        )
        .unwrap();
        assert_eq!(config.root_namespace, "mesh-root");
        assert!(!config.has_default_ingress());
        assert!(config.proxy_flag("ISTIO_META_DNS_AUTO_ALLOCATE"));
    }

    #[test]
    fn a_wrong_type_names_the_field() {
        let error = read("rootNamespace: [a]\n").unwrap_err();
        assert!(error.contains("rootNamespace"), "{error}");
    }

    #[test]
    fn a_document_that_is_not_a_mapping_is_named_without_a_field() {
        let error = read("just text\n").unwrap_err();
        assert!(
            error.starts_with("1:1: the document must be a mapping"),
            "{error}"
        );
    }
}
