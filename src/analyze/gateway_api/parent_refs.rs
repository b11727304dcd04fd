//! Route parents that do not exist (MSH3010): a Gateway or ListenerSet, a
//! listener of it (`sectionName`, `port`) or, for mesh routing, a Service. The
//! controller then reports the parent as not accepted (NoMatchingParent),
//! as the Gateway API specifies for any implementation, and the route
//! configures nothing there.

use super::super::{Analyzer, Report};
use super::routes::{GATEWAY_API, Route, routes};

use crate::model::gateway_api::{GatewaySpec, Listener, ListenerSetSpec, ParentRef};
use crate::model::{Body, KindSpec};
use crate::report::{Example, Level, Rule};
use crate::snapshot::{Snapshot, analyzable};

pub static PARENT_NOT_FOUND: Rule = Rule {
    code: "MSH3010",
    name: "gateway-api-parent-not-found",
    level: Level::Error,
    summary: "A Gateway API route whose parentRef names a Gateway, listener or Service that does not exist.",
    kinds: &[
        "HTTPRoute",
        "GRPCRoute",
        "TCPRoute",
        "TLSRoute",
        "UDPRoute",
        "Gateway",
        "ListenerSet",
        "Service",
    ],
    explanation: "A route attaches to the parents its `parentRefs` name: a Gateway (the default \
        kind) or a ListenerSet, optionally one of its listeners by `sectionName` or `port`, or \
        a Service for mesh (GAMMA) routing. When the Gateway, the ListenerSet, the listener or \
        the Service does not exist, \
        the Gateway's controller (Istio, or the one its class names) reports the parent as \
        not accepted (NoMatchingParent) and the route is not programmed there. Check the name, the namespace (the route's unless given) and the \
        listener's name and port.",
    example: Example {
        yaml: "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: ingress\nspec:\n  gatewayClassName: istio\n  listeners:\n  - {name: http, port: 80, protocol: HTTP}\n---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: reviews\nspec:\n  parentRefs:\n  - {name: ingress, sectionName: https}\n  rules:\n  - backendRefs:\n    - {name: reviews, port: 9080}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: reviews\nspec:\n  ports:\n  - {name: http, port: 9080}\n",
        fires_at: &["spec.parentRefs[0]"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "meshctl.GatewayApiParentRefAnalyzer",
    rules: &[&PARENT_NOT_FOUND],
    run,
};

fn run(snapshot: &Snapshot, report: &mut Report) {
    for route in routes(snapshot) {
        for (i, parent) in route.parents.iter().enumerate() {
            if let Some(problem) = missing(snapshot, &route, parent) {
                report.report_with_help(
                    &PARENT_NOT_FOUND,
                    route.object,
                    &format!("spec.parentRefs[{i}]"),
                    format!("{problem} (route status: NoMatchingParent); the route is not attached there"),
                    "check the parent's name and namespace, and the listener's sectionName and port",
                );
            }
        }
    }
}

/// What of the parent does not exist, for a parent of a kind Istio
/// attaches routes to.
fn missing(snapshot: &Snapshot, route: &Route, parent: &ParentRef) -> Option<String> {
    let group = parent.group.as_deref().unwrap_or(GATEWAY_API);
    let kind = parent.kind.as_deref().unwrap_or("Gateway");
    let own = route.object.namespace.as_deref().unwrap_or_default();
    let namespace = parent.namespace.as_deref().unwrap_or(own);
    let name = parent.name.as_deref().unwrap_or_default();
    match (group, kind) {
        ("", "Service") => snapshot
            .get("", "Service", namespace, name)
            .is_none()
            .then(|| format!("parent Service {namespace}/{name} does not exist")),
        (GATEWAY_API, "Gateway") => {
            let Some(gateway) = snapshot.get(GATEWAY_API, "Gateway", namespace, name) else {
                return Some(format!("parent Gateway {namespace}/{name} does not exist"));
            };
            // A Gateway whose schema check failed otherwise has no listeners to trust.
            let spec = match &gateway.body {
                Body::Mesh(spec) if analyzable(gateway) => GatewaySpec::of(spec)?,
                _ => return None,
            };
            missing_listener(&spec.listeners, parent)
                .map(|l| format!("Gateway {namespace}/{name} has no listener {l}"))
        }
        (GATEWAY_API, "ListenerSet") => {
            let Some(set) = snapshot.get(GATEWAY_API, "ListenerSet", namespace, name) else {
                return Some(format!(
                    "parent ListenerSet {namespace}/{name} does not exist"
                ));
            };
            let spec = match &set.body {
                Body::Mesh(spec) if analyzable(set) => ListenerSetSpec::of(spec)?,
                _ => return None,
            };
            missing_listener(&spec.listeners, parent)
                .map(|l| format!("ListenerSet {namespace}/{name} has no listener {l}"))
        }
        _ => None,
    }
}

/// The listener the parentRef names that the Gateway or ListenerSet
/// lacks.
fn missing_listener(listeners: &[Listener], parent: &ParentRef) -> Option<String> {
    if let Some(section) = parent.section_name.as_deref()
        && !listeners.iter().any(|l| l.name.as_deref() == Some(section))
    {
        return Some(format!("named {section:?}"));
    }
    let port = parent.port?;
    (!listeners.iter().any(|l| l.port == Some(port))).then(|| format!("on port {port}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::{analyzer_tests, findings_of};

    analyzer_tests!(
        PARENT_NOT_FOUND,
        &PARENT_NOT_FOUND
            .example
            .yaml
            .replace("sectionName: https", "sectionName: http, port: 80")
    );

    #[test]
    fn missing_gateways_ports_and_services() {
        let yaml = PARENT_NOT_FOUND.example.yaml.replace(
            "  - {name: ingress, sectionName: https}\n",
            "  - {name: egress}\n  - {name: ingress, port: 443}\n  - {kind: Service, group: \"\", name: reviews}\n  - {kind: Service, group: \"\", name: ratings}\n  - {kind: ListenerSet, name: extra}\n  - {kind: ListenerSet, name: shop, sectionName: https}\n  - {kind: ListenerSet, name: shop, sectionName: http}\n",
        ) + "---\napiVersion: gateway.networking.k8s.io/v1\nkind: ListenerSet\nmetadata:\n  name: shop\nspec:\n  parentRef: {name: ingress}\n  listeners:\n  - {name: http, port: 8080, protocol: HTTP}\n";
        insta::assert_snapshot!(findings_of(&PARENT_NOT_FOUND, &yaml));
    }
}
