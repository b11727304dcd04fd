//! Application probes through the agent, as Istio rewrites them: with
//! mutual TLS the kubelet cannot reach the application directly, so each
//! HTTP, TCP and gRPC probe (and HTTP/TCP lifecycle hook) becomes an HTTP
//! GET on the agent's status port at `/app-health/<container>/<kind>`,
//! and the original probe goes to the proxy in `ISTIO_KUBE_APP_PROBERS`.

use serde_json::{Map, Value as Json, json};

use super::template::PROXY;
use super::tree::name_of;

pub const PROBERS_ENV: &str = "ISTIO_KUBE_APP_PROBERS";

/// A container's probe or hook field, and its path under the agent.
const PROBES: [(&str, &str); 3] = [
    ("readinessProbe", "app-health/{}/readyz"),
    ("livenessProbe", "app-health/{}/livez"),
    ("startupProbe", "app-health/{}/startupz"),
];
const HOOKS: [(&str, &str); 2] = [
    ("preStop", "app-lifecycle/{}/prestopz"),
    ("postStart", "app-lifecycle/{}/poststartz"),
];

fn url(pattern: &str, container: &str) -> String {
    format!("/{}", pattern.replace("{}", container))
}

/// `ISTIO_KUBE_APP_PROBERS`: every application probe the agent must run,
/// by URL (sorted, as Go writes a map), named ports resolved; `None` when
/// there is none. `status_port` is the mesh's: a probe already on it was
/// rewritten before.
pub fn app_probers(spec: &Json, status_port: i64) -> Option<String> {
    let mut out = Map::new();
    for container in all_containers(spec) {
        let Some(name) = name_of(container).filter(|n| *n != PROXY) else {
            continue;
        };
        let ports = named_ports(container);
        for (field, pattern) in PROBES {
            if let Some(prober) = container
                .get(field)
                .and_then(|p| prober(p, true, &ports, status_port))
            {
                out.insert(url(pattern, name), prober);
            }
        }
        for (field, pattern) in HOOKS {
            let hook = container.get("lifecycle").and_then(|l| l.get(field));
            if let Some(prober) = hook.and_then(|h| prober(h, false, &ports, status_port)) {
                out.insert(url(pattern, name), prober);
            }
        }
    }
    if out.is_empty() {
        return None;
    }
    let mut sorted: Vec<(String, Json)> = out.into_iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    Some(Json::Object(sorted.into_iter().collect()).to_string())
}

fn all_containers(spec: &Json) -> impl Iterator<Item = &Json> {
    ["initContainers", "containers"]
        .into_iter()
        .flat_map(|field| {
            spec.get(field)
                .and_then(Json::as_array)
                .into_iter()
                .flatten()
        })
}

fn named_ports(container: &Json) -> Vec<(String, Json)> {
    container
        .get("ports")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| {
            Some((
                p.get("name")?.as_str()?.to_string(),
                p.get("containerPort")?.clone(),
            ))
        })
        .filter(|(name, _)| !name.is_empty())
        .collect()
}

/// The prober entry of one probe (`with_timeout`) or hook: its action in
/// Go's field order, named port resolved; `None` when the agent has
/// nothing to run.
fn prober(
    probe: &Json,
    with_timeout: bool,
    ports: &[(String, Json)],
    status_port: i64,
) -> Option<Json> {
    let mut entry = Map::new();
    if let Some(grpc) = probe.get("grpc").filter(|_| with_timeout)
        && probe.get("httpGet").is_none()
        && probe.get("tcpSocket").is_none()
    {
        // gRPC ports are numbers only: nothing to resolve.
        entry.insert("grpc".into(), ordered(grpc, &["port", "service"]));
        add_timeout(&mut entry, probe, with_timeout);
        return Some(Json::Object(entry));
    }
    let (field, order): (&str, &[&str]) = if probe.get("httpGet").is_some() {
        (
            "httpGet",
            &["path", "port", "host", "scheme", "httpHeaders"],
        )
    } else if probe.get("tcpSocket").is_some() {
        ("tcpSocket", &["port", "host"])
    } else {
        return None;
    };
    let mut action = ordered(&probe[field], order);
    let port = action.get("port").cloned().unwrap_or(Json::Null);
    match &port {
        Json::String(name) => {
            let (_, number) = ports.iter().find(|(n, _)| n == name)?;
            action["port"] = number.clone();
        }
        Json::Number(n) if n.as_i64() == Some(status_port) => return None,
        _ => {}
    }
    entry.insert(field.into(), action);
    add_timeout(&mut entry, probe, with_timeout);
    Some(Json::Object(entry))
}

fn add_timeout(entry: &mut Map<String, Json>, probe: &Json, with_timeout: bool) {
    if let Some(timeout) = probe
        .get("timeoutSeconds")
        .filter(|t| with_timeout && t.as_i64() != Some(0))
    {
        entry.insert("timeoutSeconds".into(), timeout.clone());
    }
}

/// A mapping with `order`'s keys first, in that order, then the others.
fn ordered(value: &Json, order: &[&str]) -> Json {
    let Some(map) = value.as_object() else {
        return value.clone();
    };
    let mut out = Map::new();
    for key in order {
        if let Some(v) = map.get(*key) {
            out.insert((*key).into(), v.clone());
        }
    }
    for (k, v) in map {
        if !out.contains_key(k) {
            out.insert(k.clone(), v.clone());
        }
    }
    Json::Object(out)
}

/// Points every application probe and HTTP/TCP hook at the agent's
/// `status_port`.
pub fn rewrite_probes(spec: &mut Json, status_port: i64) {
    for field in ["initContainers", "containers"] {
        let Some(containers) = spec.get_mut(field).and_then(Json::as_array_mut) else {
            continue;
        };
        for container in containers {
            let Some(name) = name_of(container)
                .filter(|n| *n != PROXY)
                .map(str::to_string)
            else {
                continue;
            };
            for (field, pattern) in PROBES {
                if let Some(probe) = container.get_mut(field) {
                    rewrite(probe, &url(pattern, &name), status_port, true);
                }
            }
            for (field, pattern) in HOOKS {
                if let Some(hook) = container
                    .get_mut("lifecycle")
                    .and_then(|l| l.get_mut(field))
                {
                    rewrite(hook, &url(pattern, &name), status_port, false);
                }
            }
        }
    }
}

fn rewrite(probe: &mut Json, url: &str, port: i64, grpc_too: bool) {
    let Some(map) = probe.as_object_mut() else {
        return;
    };
    if let Some(http) = map.get_mut("httpGet").and_then(Json::as_object_mut) {
        http.insert("port".into(), json!(port));
        http.insert("path".into(), json!(url));
        // Kubelet -> HTTP -> agent -> HTTPS -> application.
        if http.get("scheme").and_then(Json::as_str) == Some("HTTPS") {
            http.insert("scheme".into(), json!("HTTP"));
        }
        return;
    }
    let replaced = map.remove("tcpSocket").is_some() || (grpc_too && map.remove("grpc").is_some());
    if replaced {
        map.insert("httpGet".into(), json!({"path": url, "port": port}));
    }
}

/// Puts the original probes back from the proxy's
/// `ISTIO_KUBE_APP_PROBERS` (for `--remove`).
pub fn restore_probes(spec: &mut Json, probers: &Map<String, Json>) {
    for field in ["initContainers", "containers"] {
        let Some(containers) = spec.get_mut(field).and_then(Json::as_array_mut) else {
            continue;
        };
        for container in containers {
            let Some(name) = name_of(container).map(str::to_string) else {
                continue;
            };
            let ports = named_ports(container);
            for (field, pattern) in PROBES {
                if let (Some(probe), Some(original)) =
                    (container.get_mut(field), probers.get(&url(pattern, &name)))
                {
                    restore(probe, original, &ports);
                }
            }
            for (field, pattern) in HOOKS {
                let original = probers.get(&url(pattern, &name));
                let hook = container
                    .get_mut("lifecycle")
                    .and_then(|l| l.get_mut(field));
                if let (Some(hook), Some(original)) = (hook, original) {
                    restore(hook, original, &ports);
                }
            }
        }
    }
}

/// The original action back in place of the agent's. Injection wrote a
/// named port as its number; a number the container names is written
/// back as the name (the kubelet resolves both alike).
fn restore(probe: &mut Json, original: &Json, ports: &[(String, Json)]) {
    let Some(map) = probe.as_object_mut() else {
        return;
    };
    map.remove("httpGet");
    for action in ["httpGet", "tcpSocket", "grpc"] {
        let Some(value) = original.get(action) else {
            continue;
        };
        let mut value = value.clone();
        if action != "grpc"
            && let Some((name, _)) = ports
                .iter()
                .find(|(_, number)| value.get("port") == Some(number))
        {
            value["port"] = json!(name);
        }
        map.insert(action.into(), value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probes_go_through_the_agent_and_the_originals_to_the_proxy() {
        let mut spec = json!({"containers": [{
            "name": "web",
            "ports": [{"name": "http", "containerPort": 8080}],
            "readinessProbe": {"httpGet": {"port": "http", "path": "/ready", "scheme": "HTTPS"}, "timeoutSeconds": 2},
            "livenessProbe": {"tcpSocket": {"port": 8080}},
            "startupProbe": {"grpc": {"port": 9000}}
        }]});
        let probers = app_probers(&spec, 15020).unwrap();
        assert_eq!(
            probers,
            r#"{"/app-health/web/livez":{"tcpSocket":{"port":8080}},"/app-health/web/readyz":{"httpGet":{"path":"/ready","port":8080,"scheme":"HTTPS"},"timeoutSeconds":2},"/app-health/web/startupz":{"grpc":{"port":9000}}}"#
        );
        rewrite_probes(&mut spec, 15020);
        let c = &spec["containers"][0];
        assert_eq!(
            c["readinessProbe"]["httpGet"],
            json!({"port": 15020, "path": "/app-health/web/readyz", "scheme": "HTTP"})
        );
        assert_eq!(
            c["livenessProbe"],
            json!({"httpGet": {"path": "/app-health/web/livez", "port": 15020}})
        );
        assert_eq!(
            c["startupProbe"],
            json!({"httpGet": {"path": "/app-health/web/startupz", "port": 15020}})
        );
        assert_eq!(
            app_probers(&spec, 15020),
            None,
            "rewritten probes are not probed again"
        );
    }
}
