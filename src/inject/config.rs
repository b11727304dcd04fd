//! What injection is driven by: the injector's values (Istio's Helm values
//! under `global`, `pilot`, `sidecarInjectorWebhook`), the MeshConfig parts
//! it reads, the injector's policy, and the revision. `Default` is what
//! Istio's charts install; files given with `--valuesFile`,
//! `--meshConfigFile` and `--injectConfigFile` override the fields they set.

use serde_json::{Map, Value as Json};

use super::tree::{get, get_str};

/// The Istio release whose injection template meshctl models, and whose
/// proxy image it injects by default.
pub const ISTIO_VERSION: &str = "1.32.0";

/// Everything injection reads besides the workload itself.
#[derive(Debug, Clone)]
pub struct InjectConfig {
    pub values: Values,
    pub mesh: MeshSettings,
    pub policy: Policy,
    /// `--revision`: the `istio.io/rev` annotation and the status's revision.
    pub revision: String,
    /// Whether `istio-proxy` is a native sidecar (an init container with
    /// `restartPolicy: Always`) unless the pod's annotation says otherwise;
    /// Istio decides it from the nodes' kubelet version, current
    /// Kubernetes has it.
    pub native_sidecar: bool,
}

impl Default for InjectConfig {
    fn default() -> Self {
        InjectConfig {
            values: Values::default(),
            mesh: MeshSettings::default(),
            policy: Policy::default(),
            revision: String::new(),
            native_sidecar: true,
        }
    }
}

/// The injector's values (the `values` key of the `istio-sidecar-injector`
/// ConfigMap), the fields the sidecar and gateway templates read.
#[derive(Debug, Clone)]
pub struct Values {
    pub hub: String,
    pub tag: String,
    pub variant: String,
    pub proxy_image: String,
    pub proxy_init_image: String,
    pub image_pull_policy: String,
    pub image_pull_secrets: Vec<String>,
    pub cluster_domain: String,
    pub log_level: String,
    pub component_log_level: String,
    /// `global.logging.level`: the agent's and istio-iptables' log level.
    pub logging_level: String,
    pub log_as_json: bool,
    pub include_ip_ranges: String,
    pub exclude_ip_ranges: String,
    pub include_inbound_ports: String,
    pub exclude_inbound_ports: String,
    pub include_outbound_ports: String,
    pub exclude_outbound_ports: String,
    pub privileged: bool,
    pub cap_net_bind_service: bool,
    pub status_port: String,
    pub readiness_initial_delay_seconds: String,
    pub readiness_period_seconds: String,
    pub readiness_failure_threshold: String,
    pub startup_probe_enabled: bool,
    pub startup_failure_threshold: i64,
    /// `global.proxy.resources`, as given.
    pub resources: Json,
    pub lifecycle: Option<Json>,
    pub seccomp_profile: Option<Json>,
    pub hold_application_until_proxy_starts: bool,
    pub outlier_log_path: String,
    pub sts_port: i64,
    pub force_apply_iptables: bool,
    pub native_nftables: bool,
    pub pilot_cert_provider: String,
    pub ca_address: String,
    pub ca_name: String,
    pub istio_namespace: String,
    /// `revision` (top level): the istiod Service the proxy talks to.
    pub revision: String,
    pub cluster_name: String,
    pub network: String,
    pub mesh_id: String,
    pub trust_domain: String,
    pub sds_token_audience: String,
    pub trust_bundle_name: String,
    pub crl_config_map_name: String,
    pub mount_mtls_certs: bool,
    /// `pilot.env.ENABLE_CLUSTER_TRUST_BUNDLE_API`: istiod publishes its
    /// root certificate as a ClusterTrustBundle.
    pub cluster_trust_bundle: bool,
    pub rewrite_app_http_probe: bool,
    pub gateway_security_context: Option<Json>,
}

impl Default for Values {
    fn default() -> Self {
        let s = str::to_string;
        Values {
            hub: s("docker.io/istio"),
            tag: s(ISTIO_VERSION),
            variant: String::new(),
            proxy_image: s("proxyv2"),
            proxy_init_image: s("proxyv2"),
            image_pull_policy: String::new(),
            image_pull_secrets: Vec::new(),
            cluster_domain: s("cluster.local"),
            log_level: s("warning"),
            component_log_level: s("misc:error"),
            logging_level: s("default:info"),
            log_as_json: false,
            include_ip_ranges: s("*"),
            exclude_ip_ranges: String::new(),
            include_inbound_ports: s("*"),
            exclude_inbound_ports: String::new(),
            include_outbound_ports: String::new(),
            exclude_outbound_ports: String::new(),
            privileged: false,
            cap_net_bind_service: false,
            status_port: s("15020"),
            readiness_initial_delay_seconds: s("0"),
            readiness_period_seconds: s("15"),
            readiness_failure_threshold: s("4"),
            startup_probe_enabled: true,
            startup_failure_threshold: 600,
            // The chart's 2000m and 1024Mi, in the canonical form Kubernetes prints.
            resources: serde_json::json!({
                "limits": {"cpu": "2", "memory": "1Gi"},
                "requests": {"cpu": "100m", "memory": "128Mi"}
            }),
            lifecycle: None,
            seccomp_profile: None,
            hold_application_until_proxy_starts: false,
            outlier_log_path: String::new(),
            sts_port: 0,
            force_apply_iptables: false,
            native_nftables: false,
            pilot_cert_provider: s("istiod"),
            ca_address: String::new(),
            ca_name: String::new(),
            istio_namespace: s("istio-system"),
            revision: String::new(),
            cluster_name: String::new(),
            network: String::new(),
            mesh_id: String::new(),
            trust_domain: String::new(),
            sds_token_audience: s("istio-ca"),
            trust_bundle_name: String::new(),
            crl_config_map_name: String::new(),
            mount_mtls_certs: false,
            cluster_trust_bundle: false,
            rewrite_app_http_probe: true,
            gateway_security_context: None,
        }
    }
}

/// The MeshConfig fields injection reads.
#[derive(Debug, Clone)]
pub struct MeshSettings {
    pub proxy_listen_port: String,
    pub proxy_inbound_listen_port: String,
    pub trust_domain: String,
    /// `enablePrometheusMerge`, when set.
    pub enable_prometheus_merge: Option<bool>,
    /// `inboundTrafficPolicy.mode: LOCALHOST`.
    pub inbound_localhost: bool,
    /// `defaultConfig`: the ProxyConfig fields set (Istio's defaults are
    /// not written out, as istiod leaves them out of `PROXY_CONFIG`).
    pub default_config: Map<String, Json>,
}

impl Default for MeshSettings {
    fn default() -> Self {
        MeshSettings {
            proxy_listen_port: "15001".into(),
            proxy_inbound_listen_port: "15006".into(),
            trust_domain: "cluster.local".into(),
            enable_prometheus_merge: None,
            inbound_localhost: false,
            default_config: Map::new(),
        }
    }
}

/// The injector's policy (`config` of the ConfigMap): whether pods without
/// an explicit choice are injected, and the label selectors that decide
/// for them.
#[derive(Debug, Clone)]
pub struct Policy {
    pub enabled: bool,
    pub never_inject: Vec<Json>,
    pub always_inject: Vec<Json>,
    pub injected_annotations: Vec<(String, String)>,
    /// The templates used when the pod names none.
    pub default_templates: Vec<String>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            enabled: true,
            never_inject: Vec::new(),
            always_inject: Vec::new(),
            injected_annotations: Vec::new(),
            default_templates: vec!["sidecar".into()],
        }
    }
}

/// A configuration file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl Values {
    /// Overrides the fields a values document sets (the injector ConfigMap's
    /// `values`, or an IstioOperator-style `values:` wrapper around them).
    pub fn apply(&mut self, doc: &Json) -> Result<(), ConfigError> {
        let doc = get(doc, &["spec", "values"])
            .or_else(|| get(doc, &["values"]))
            .unwrap_or(doc);
        if get(doc, &["pilot", "cni", "enabled"]).and_then(Json::as_bool) == Some(true)
            || get(doc, &["istio_cni", "enabled"]).and_then(Json::as_bool) == Some(true)
        {
            return Err(ConfigError(
                "values with the Istio CNI plugin enabled (pilot.cni.enabled) are not modelled by this build; inject without CNI or use istioctl".into(),
            ));
        }
        let text = |path: &[&str], field: &mut String| {
            if let Some(value) = get(doc, path).and_then(scalar_text) {
                *field = value;
            }
        };
        text(&["global", "hub"], &mut self.hub);
        text(&["global", "tag"], &mut self.tag);
        text(&["global", "variant"], &mut self.variant);
        text(&["global", "proxy", "image"], &mut self.proxy_image);
        text(
            &["global", "proxy_init", "image"],
            &mut self.proxy_init_image,
        );
        text(&["global", "imagePullPolicy"], &mut self.image_pull_policy);
        text(
            &["global", "proxy", "clusterDomain"],
            &mut self.cluster_domain,
        );
        text(&["global", "proxy", "logLevel"], &mut self.log_level);
        text(
            &["global", "proxy", "componentLogLevel"],
            &mut self.component_log_level,
        );
        text(&["global", "logging", "level"], &mut self.logging_level);
        text(
            &["global", "proxy", "includeIPRanges"],
            &mut self.include_ip_ranges,
        );
        text(
            &["global", "proxy", "excludeIPRanges"],
            &mut self.exclude_ip_ranges,
        );
        text(
            &["global", "proxy", "includeInboundPorts"],
            &mut self.include_inbound_ports,
        );
        text(
            &["global", "proxy", "excludeInboundPorts"],
            &mut self.exclude_inbound_ports,
        );
        text(
            &["global", "proxy", "includeOutboundPorts"],
            &mut self.include_outbound_ports,
        );
        text(
            &["global", "proxy", "excludeOutboundPorts"],
            &mut self.exclude_outbound_ports,
        );
        text(&["global", "proxy", "statusPort"], &mut self.status_port);
        text(
            &["global", "proxy", "readinessInitialDelaySeconds"],
            &mut self.readiness_initial_delay_seconds,
        );
        text(
            &["global", "proxy", "readinessPeriodSeconds"],
            &mut self.readiness_period_seconds,
        );
        text(
            &["global", "proxy", "readinessFailureThreshold"],
            &mut self.readiness_failure_threshold,
        );
        text(
            &["global", "proxy", "outlierLogPath"],
            &mut self.outlier_log_path,
        );
        text(
            &["global", "pilotCertProvider"],
            &mut self.pilot_cert_provider,
        );
        text(&["global", "caAddress"], &mut self.ca_address);
        text(&["global", "caName"], &mut self.ca_name);
        text(&["global", "istioNamespace"], &mut self.istio_namespace);
        text(&["revision"], &mut self.revision);
        text(
            &["global", "multiCluster", "clusterName"],
            &mut self.cluster_name,
        );
        text(&["global", "network"], &mut self.network);
        text(&["global", "meshID"], &mut self.mesh_id);
        text(&["global", "trustDomain"], &mut self.trust_domain);
        text(
            &["global", "sds", "token", "aud"],
            &mut self.sds_token_audience,
        );
        text(&["global", "trustBundleName"], &mut self.trust_bundle_name);
        text(
            &["pilot", "crlConfigMapName"],
            &mut self.crl_config_map_name,
        );
        let flag = |path: &[&str], field: &mut bool| {
            if let Some(value) = get(doc, path).and_then(bool_of) {
                *field = value;
            }
        };
        flag(&["global", "logAsJson"], &mut self.log_as_json);
        flag(&["global", "proxy", "privileged"], &mut self.privileged);
        flag(
            &["global", "proxy", "capNetBindService"],
            &mut self.cap_net_bind_service,
        );
        flag(
            &["global", "proxy", "startupProbe", "enabled"],
            &mut self.startup_probe_enabled,
        );
        flag(
            &["global", "proxy", "holdApplicationUntilProxyStarts"],
            &mut self.hold_application_until_proxy_starts,
        );
        flag(
            &["global", "proxy_init", "forceApplyIptables"],
            &mut self.force_apply_iptables,
        );
        flag(&["global", "nativeNftables"], &mut self.native_nftables);
        flag(&["global", "mountMtlsCerts"], &mut self.mount_mtls_certs);
        flag(
            &["pilot", "env", "ENABLE_CLUSTER_TRUST_BUNDLE_API"],
            &mut self.cluster_trust_bundle,
        );
        flag(
            &["sidecarInjectorWebhook", "rewriteAppHTTPProbe"],
            &mut self.rewrite_app_http_probe,
        );
        if let Some(n) = get(
            doc,
            &["global", "proxy", "startupProbe", "failureThreshold"],
        )
        .and_then(Json::as_i64)
        {
            self.startup_failure_threshold = n;
        }
        if let Some(n) = get(doc, &["global", "sts", "servicePort"]).and_then(Json::as_i64) {
            self.sts_port = n;
        }
        if let Some(resources) = get(doc, &["global", "proxy", "resources"]) {
            self.resources = resources.clone();
        }
        let object = |path: &[&str]| get(doc, path).filter(|v| is_non_empty_object(v)).cloned();
        self.lifecycle = object(&["global", "proxy", "lifecycle"]).or(self.lifecycle.take());
        self.seccomp_profile =
            object(&["global", "proxy", "seccompProfile"]).or(self.seccomp_profile.take());
        self.gateway_security_context =
            object(&["gateways", "securityContext"]).or(self.gateway_security_context.take());
        if let Some(secrets) = get(doc, &["global", "imagePullSecrets"]).and_then(Json::as_array) {
            self.image_pull_secrets = secrets.iter().filter_map(scalar_text).collect();
        }
        Ok(())
    }
}

impl MeshSettings {
    /// Overrides the fields a MeshConfig document sets.
    pub fn apply(&mut self, doc: &Json) -> Result<(), ConfigError> {
        if let Some(port) = doc.get("proxyListenPort").and_then(scalar_text) {
            self.proxy_listen_port = port;
        }
        if let Some(port) = doc.get("proxyInboundListenPort").and_then(scalar_text) {
            self.proxy_inbound_listen_port = port;
        }
        if let Some(domain) = doc.get("trustDomain").and_then(scalar_text) {
            self.trust_domain = domain;
        }
        if let Some(merge) = doc.get("enablePrometheusMerge").and_then(bool_of) {
            self.enable_prometheus_merge = Some(merge);
        }
        if let Some(mode) = get_str(doc, &["inboundTrafficPolicy", "mode"]) {
            self.inbound_localhost = mode == "LOCALHOST";
        }
        match doc.get("defaultConfig") {
            None | Some(Json::Null) => Ok(()),
            Some(Json::Object(config)) => {
                merge_proxy_config(&mut self.default_config, config);
                Ok(())
            }
            Some(_) => Err(ConfigError("defaultConfig is not a mapping".into())),
        }
    }
}

impl Policy {
    /// Overrides the fields an injector `config` document sets. Templates
    /// it carries are not evaluated (meshctl models Istio's own); the
    /// returned warnings say so.
    pub fn apply(&mut self, doc: &Json) -> Result<Vec<String>, ConfigError> {
        let mut warnings = Vec::new();
        match get_str(doc, &["policy"]) {
            None => {}
            Some("enabled") => self.enabled = true,
            Some("disabled") => self.enabled = false,
            Some(other) => {
                return Err(ConfigError(format!(
                    "policy {other:?} is neither enabled nor disabled"
                )));
            }
        }
        let selectors = |key: &str| {
            doc.get(key)
                .and_then(Json::as_array)
                .cloned()
                .unwrap_or_default()
        };
        self.never_inject = selectors("neverInjectSelector");
        self.always_inject = selectors("alwaysInjectSelector");
        self.injected_annotations = super::tree::string_map(doc.get("injectedAnnotations"));
        if let Some(names) = doc.get("defaultTemplates").and_then(Json::as_array) {
            self.default_templates = names.iter().filter_map(scalar_text).collect();
        }
        if doc.get("templates").is_some() || doc.get("template").is_some() {
            warnings.push(
                "the injection templates in --injectConfigFile are not evaluated: meshctl injects what Istio's own sidecar and gateway templates produce, with this file's policy and selectors".into(),
            );
        }
        Ok(warnings)
    }
}

/// Merges ProxyConfig fields: a later mapping's fields win, and
/// `proxyMetadata` is merged key by key (as Istio merges the annotation
/// over the mesh's `defaultConfig`).
pub fn merge_proxy_config(into: &mut Map<String, Json>, from: &Map<String, Json>) {
    for (key, value) in from {
        match (key.as_str(), into.get_mut(key), value) {
            ("proxyMetadata", Some(Json::Object(old)), Json::Object(new)) => {
                for (k, v) in new {
                    old.insert(k.clone(), v.clone());
                }
            }
            _ => {
                into.insert(key.clone(), value.clone());
            }
        }
    }
}

/// A scalar as the text a Go template prints for it.
pub fn scalar_text(value: &Json) -> Option<String> {
    match value {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        Json::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn bool_of(value: &Json) -> Option<bool> {
    match value {
        Json::Bool(b) => Some(*b),
        Json::String(s) => s.parse().ok(),
        _ => None,
    }
}

fn is_non_empty_object(value: &Json) -> bool {
    value.as_object().is_some_and(|m| !m.is_empty())
}
