//! Listeners that lose to an earlier one on their port (MSH3011): Istio
//! reports them `Conflicted` (HostnameConflict or ProtocolConflict) and
//! programs no server for them. A Gateway's own listeners come first,
//! then those of the ListenerSets it admits, older sets first
//! (`mesh::listener_set`). Only for Gateways of Istio's own gateway class
//! (`istio.io/gateway-controller`): Istio computes no conflicts for the
//! others (`GatewayListenerConflictCollection`).

use super::super::{Analyzer, Report};
use super::listeners::{Extended, extended_gateways};

use crate::mesh::listener_set::{self, ListenerSet, Merged};
use crate::model::Object;
use crate::report::{Example, Level, Rule};
use crate::snapshot::Snapshot;

pub static LISTENER_CONFLICT: Rule = Rule {
    code: "MSH3011",
    name: "gateway-api-listener-conflict",
    level: Level::Error,
    summary: "A Gateway API listener that repeats an earlier listener's port and hostname, or takes its port with a protocol that cannot share it.",
    kinds: &["Gateway", "ListenerSet", "Namespace"],
    explanation: "Listeners of one Gateway (its own, then those of the ListenerSets its \
        `allowedListeners` admits, the older ListenerSet first) must be told apart by port, \
        protocol and hostname. HTTP, HTTPS and TLS listeners share a port when their hostnames \
        differ (an unset hostname is `*`); a TCP or UDP listener has its port to itself; two \
        listeners of another protocol cannot share one. A listener that breaks this against \
        an earlier one is `Conflicted` (reason HostnameConflict for the same protocol and \
        hostname, ProtocolConflict otherwise): Istio builds no server for it and routes \
        attached to it take no traffic. Give it another port or hostname, or remove it. \
        Istio judges this only for Gateways of its gateway class (`istio`, or a GatewayClass \
        whose controller is `istio.io/gateway-controller`); see MSH3016 for the others.",
    example: Example {
        yaml: "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: ingress\nspec:\n  gatewayClassName: istio\n  listeners:\n  - {name: http, port: 80, protocol: HTTP, hostname: shop.example.com}\n  - {name: shop, port: 80, protocol: HTTP, hostname: shop.example.com}\n",
        fires_at: &["spec.listeners[1]"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "meshctl.GatewayApiListenerConflictAnalyzer",
    rules: &[&LISTENER_CONFLICT],
    run,
};

fn run(snapshot: &Snapshot, report: &mut Report) {
    for Extended {
        gateway,
        spec,
        key,
        role,
        admitted,
        ..
    } in extended_gateways(snapshot)
    {
        // Istio computes conflicts only for classes that take ListenerSets.
        if !role.supports_listener_sets() {
            continue;
        }
        let merged = listener_set::merge(spec, &admitted);
        for m in &merged {
            let Some((prior, reason)) = m.conflict else {
                continue;
            };
            let prior = &merged[prior];
            let hostname = m
                .listener
                .hostname
                .as_deref()
                .map(|h| format!(", hostname {h:?}"))
                .unwrap_or_default();
            report.report_with_help(
                &LISTENER_CONFLICT,
                owner(m, gateway, &admitted),
                &format!("spec.listeners[{}]", m.index),
                format!(
                    "listener {:?} ({} port {}{hostname}) conflicts with listener {} on Gateway {key} (Istio: Conflicted, {}); Istio does not program it",
                    m.listener.name.as_deref().unwrap_or_default(),
                    m.listener.protocol.as_deref().unwrap_or_default(),
                    m.listener.port.unwrap_or_default(),
                    label(prior, &admitted),
                    reason.as_str()
                ),
                "give the listener another port or hostname, or remove it",
            );
        }
    }
}

fn owner<'a>(m: &Merged, gateway: &'a Object, sets: &[ListenerSet<'a>]) -> &'a Object {
    m.owner.map_or(gateway, |s| sets[s].0)
}

/// `"http"`, or `"http" of ListenerSet ns/name`.
fn label(m: &Merged, sets: &[ListenerSet]) -> String {
    let name = m.listener.name.as_deref().unwrap_or_default();
    match m.owner {
        None => format!("{name:?}"),
        Some(s) => {
            let set = sets[s].0;
            let namespace = set.namespace.as_deref().unwrap_or_default();
            format!("{name:?} of ListenerSet {namespace}/{}", set.name)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::{analyzer_tests, findings_of};

    analyzer_tests!(
        LISTENER_CONFLICT,
        &LISTENER_CONFLICT
            .example
            .yaml
            .replace("name: shop, port: 80", "name: shop, port: 8080")
    );

    const SETS: &str = "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {gateway-access: \"true\"}\n---\napiVersion: gateway.networking.k8s.io/v1\nkind: ListenerSet\nmetadata:\n  name: shop\n  namespace: shop\nspec:\n  parentRef: {name: ingress, namespace: default}\n  listeners:\n  - {name: again, port: 80, protocol: HTTP, hostname: shop.example.com}\n  - {name: raw, port: 8080, protocol: TCP}\n  - {name: web, port: 8080, protocol: HTTP}\n";

    #[test]
    fn listener_sets_the_gateway_admits_conflict_with_its_listeners() {
        let quiet = LISTENER_CONFLICT
            .example
            .yaml
            .replace("name: shop, port: 80", "name: shop, port: 8443");
        // Without allowedListeners the ListenerSet is not attached: no conflict.
        assert_eq!(
            findings_of(&LISTENER_CONFLICT, &format!("{quiet}{SETS}")),
            ""
        );
        let admitting = quiet.replace(
            "spec:\n  gatewayClassName: istio\n",
            "spec:\n  gatewayClassName: istio\n  allowedListeners:\n    namespaces:\n      from: Selector\n      selector: {matchLabels: {gateway-access: \"true\"}}\n",
        );
        assert_ne!(admitting, quiet);
        insta::assert_snapshot!(findings_of(
            &LISTENER_CONFLICT,
            &format!("{admitting}{SETS}")
        ));
    }
}
