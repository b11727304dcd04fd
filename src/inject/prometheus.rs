//! Prometheus metrics merging, as Istio applies it: the pod's
//! `prometheus.io/*` scrape annotations move into the proxy's
//! `ISTIO_PROMETHEUS_ANNOTATIONS`, and the annotations point Prometheus at
//! the agent, which serves the application's and Envoy's metrics together.

use serde_json::{Map, Value as Json};

pub const SCRAPE_ENV: &str = "ISTIO_PROMETHEUS_ANNOTATIONS";
pub const PATH: &str = "/stats/prometheus";

/// Ports the agent and Envoy own: an application cannot be scraped there.
const RESERVED_PORTS: [&str; 9] = [
    "15000", "15001", "15004", "15006", "15008", "15020", "15021", "15053", "15090",
];

/// Whether an annotation name is `which` once sanitized as Kubernetes
/// sanitizes label names, as Istio compares them: `prometheus.io/scrape`
/// and `prometheus_io_scrape` are the same.
pub fn is(name: &str, which: &str) -> bool {
    let mut wanted = which.chars();
    name.chars().all(|c| {
        let c = if c.is_ascii_alphanumeric() || c == '_' {
            c
        } else {
            '_'
        };
        wanted.next() == Some(c)
    }) && wanted.next().is_none()
}

const SCRAPE: &str = "prometheus_io_scrape";
const PORT: &str = "prometheus_io_port";
const PATH_KEY: &str = "prometheus_io_path";
const TARGETS: &str = "prometheus_istio_io_scrape_targets";

/// What merging does to a pod, decided from its annotations.
pub enum Merge {
    /// Nothing: scraping is off, merging is off, or already merged.
    Leave,
    /// Replace the scrape annotations; `env` is the proxy's
    /// `ISTIO_PROMETHEUS_ANNOTATIONS` when the pod had any.
    Apply { env: Option<String> },
}

/// Decides the merge. `enabled` is the mesh's `enablePrometheusMerge`;
/// `status_port` the mesh's agent port.
pub fn plan(
    annotations: &Map<String, Json>,
    enabled: Option<bool>,
    status_port: &str,
) -> Result<Merge, String> {
    let text = |which: &str| {
        annotations
            .iter()
            .filter(|(k, _)| is(k, which))
            .filter_map(|(_, v)| v.as_str())
            .next_back()
    };
    let scrape = text(SCRAPE).and_then(parse_go_bool).unwrap_or(true);
    let merge = annotations
        .get("prometheus.istio.io/merge-metrics")
        .and_then(Json::as_str)
        .and_then(parse_go_bool)
        .or(enabled)
        .unwrap_or(true);
    if !scrape || !merge || text(PORT) == Some(status_port) {
        return Ok(Merge::Leave);
    }
    let scrape_text = text(SCRAPE).unwrap_or("");
    let (mut path, mut port) = (text(PATH_KEY).unwrap_or(""), text(PORT).unwrap_or(""));
    // A target list that does not parse is ignored, as Istio only warns.
    let targets = text(TARGETS).and_then(parse_targets).unwrap_or_default();
    if let Some((first_port, first_path)) = targets.first() {
        // Agents that predate targets scrape the first one.
        (port, path) = (first_port, first_path);
        for (target_port, _) in &targets {
            check_port(target_port, status_port)
                .map_err(|e| e.replace("configuration", "targets"))?;
        }
    } else if !port.is_empty() {
        check_port(port, status_port)?;
    }
    if scrape_text.is_empty() && path.is_empty() && port.is_empty() && targets.is_empty() {
        return Ok(Merge::Apply { env: None });
    }
    let mut config = serde_json::json!({"scrape": scrape_text, "path": path, "port": port});
    if !targets.is_empty() {
        config["targets"] = targets
            .iter()
            .map(|(port, path)| serde_json::json!({"port": port, "path": path}))
            .collect();
    }
    Ok(Merge::Apply {
        env: Some(config.to_string()),
    })
}

/// `prometheus.istio.io/scrape-targets`: `port[:path],...`, the path
/// `/metrics` when left out.
fn parse_targets(text: &str) -> Option<Vec<(&str, &str)>> {
    let mut targets = Vec::new();
    for entry in text.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        let (port, path) = entry.split_once(':').unwrap_or((entry, ""));
        let (port, path) = (port.trim(), path.trim());
        if port.is_empty() {
            return None;
        }
        targets.push((port, if path.is_empty() { "/metrics" } else { path }));
    }
    Some(targets)
}

fn check_port(port: &str, status_port: &str) -> Result<(), String> {
    let number = port
        .parse::<u32>()
        .ok()
        .filter(|n| (1..=65535).contains(n))
        .ok_or_else(|| format!("invalid prometheus scrape configuration: invalid port {port:?}"))?;
    let canonical = number.to_string();
    if canonical == status_port {
        return Err(format!(
            "invalid prometheus scrape configuration: port {port} conflicts with agent port"
        ));
    }
    if RESERVED_PORTS.contains(&canonical.as_str()) {
        return Err(format!(
            "invalid prometheus scrape configuration: port {port} is reserved for Istio and cannot be scraped"
        ));
    }
    Ok(())
}

/// Go's `strconv.ParseBool`.
pub fn parse_go_bool(text: &str) -> Option<bool> {
    match text {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Some(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Some(false),
        _ => None,
    }
}

/// Removes every variant of the scrape annotations.
pub fn clear(annotations: &mut Map<String, Json>) {
    annotations.retain(|k, _| ![SCRAPE, PORT, PATH_KEY, TARGETS].iter().any(|w| is(k, w)));
}

/// Points the scrape annotations at the agent.
pub fn point_at_agent(annotations: &mut Map<String, Json>, status_port: &str) {
    clear(annotations);
    annotations.insert("prometheus.io/port".into(), Json::from(status_port));
    annotations.insert("prometheus.io/path".into(), Json::from(PATH));
    annotations.insert("prometheus.io/scrape".into(), Json::from("true"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scrape_annotations_move_to_the_proxy() {
        let annotations = json!({"prometheus.io/scrape": "true", "prometheus.io/port": "8080"});
        let Ok(Merge::Apply { env }) = plan(annotations.as_object().unwrap(), None, "15020") else {
            panic!("merge applies");
        };
        assert_eq!(
            env.as_deref(),
            Some(r#"{"scrape":"true","path":"","port":"8080"}"#)
        );
        let off = json!({"prometheus.io/scrape": "false"});
        assert!(matches!(
            plan(off.as_object().unwrap(), None, "15020"),
            Ok(Merge::Leave)
        ));
        let reserved = json!({"prometheus.io/port": "15090"});
        assert!(plan(reserved.as_object().unwrap(), None, "15020").is_err());
    }
}
