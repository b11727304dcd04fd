//! A Gateway API Gateway's listeners as the Gateway API merges them and
//! Istio follows it (`gatewaycommon` in `pilot/pkg/config/kube/`):
//! the ListenerSets a Gateway's `allowedListeners` admits
//! (`NamespaceAcceptedByAllowListeners`), their order after the Gateway's
//! own listeners (older set first, then namespace and name), and the
//! listeners that lose to an earlier one on the same port
//! (`ComputeGatewayListenerConflicts`: the `Conflicted` condition).

use std::collections::HashMap;

use super::gateway_class::Role;
use super::selector::label_selector_matches;
use crate::model::gateway_api::gateway::NamespaceFrom;
use crate::model::gateway_api::{GatewaySpec, Listener, ListenerSetSpec, Selector};
use crate::model::meta::LabelSelectorRequirement;
use crate::model::{LabelSelector, Object, StringMap};

/// The Gateway API's group: a ListenerSet's parent must be its Gateway.
const GATEWAY_API: &str = "gateway.networking.k8s.io";

/// The label Kubernetes gives every Namespace: its own name.
const NAMESPACE_NAME_LABEL: &str = "kubernetes.io/metadata.name";

/// A ListenerSet of the input.
pub type ListenerSet<'a> = (&'a Object, &'a ListenerSetSpec);

/// The Gateway (`namespace/name`) a ListenerSet's `parentRef` names;
/// `None` when the parent is not a Gateway API Gateway.
pub fn parent_gateway(object: &Object, spec: &ListenerSetSpec) -> Option<String> {
    let parent = spec.parent_ref.as_ref()?;
    let group = parent.group.as_deref().unwrap_or(GATEWAY_API);
    let kind = parent.kind.as_deref().unwrap_or("Gateway");
    if (group, kind) != (GATEWAY_API, "Gateway") {
        return None;
    }
    let own = object.namespace.as_deref().unwrap_or_default();
    let namespace = parent.namespace.as_deref().unwrap_or(own);
    Some(format!(
        "{namespace}/{}",
        parent.name.as_deref().unwrap_or_default()
    ))
}

/// The ListenerSets by the Gateway (`namespace/name`) they name, each
/// list in merge order: the older set first, then by namespace and name.
pub fn by_parent<'a>(
    sets: impl Iterator<Item = ListenerSet<'a>>,
) -> HashMap<String, Vec<ListenerSet<'a>>> {
    let mut by_gateway: HashMap<String, Vec<ListenerSet>> = HashMap::new();
    for (object, spec) in sets {
        if let Some(gateway) = parent_gateway(object, spec) {
            by_gateway.entry(gateway).or_default().push((object, spec));
        }
    }
    for sets in by_gateway.values_mut() {
        sets.sort_by(|(a, _), (b, _)| {
            let key = |o: &Object| {
                (
                    o.metadata().creation_timestamp.clone(),
                    o.namespace.clone().unwrap_or_default(),
                    o.name.clone(),
                )
            };
            key(a).cmp(&key(b))
        });
    }
    by_gateway
}

/// The ListenerSets (in merge order) the Gateway admits, and those it
/// does not with the reason; `labels` gives a Namespace's labels when the
/// input has it. A Gateway whose class (`role`) takes no ListenerSets
/// refuses them all, as Istio does (`SupportsListenerSet`).
pub fn admitted<'a>(
    gateway_namespace: &str,
    gateway: &GatewaySpec,
    role: &Role,
    sets: &[ListenerSet<'a>],
    labels: impl Fn(&str) -> Option<StringMap>,
) -> (Vec<ListenerSet<'a>>, Vec<(ListenerSet<'a>, String)>) {
    let mut admitted = Vec::new();
    let mut refused = Vec::new();
    if !role.supports_listener_sets() {
        let class = gateway.gateway_class_name.as_deref().unwrap_or_default();
        let why = format!("its GatewayClass {class:?} does not support ListenerSets");
        refused.extend(sets.iter().map(|&set| (set, why.clone())));
        return (admitted, refused);
    }
    for &(object, spec) in sets {
        let namespace = object.namespace.as_deref().unwrap_or_default();
        match admits(
            gateway_namespace,
            gateway,
            namespace,
            labels(namespace).as_ref(),
        ) {
            Ok(()) => admitted.push((object, spec)),
            Err(why) => refused.push(((object, spec), why)),
        }
    }
    (admitted, refused)
}

/// Whether the Gateway's `allowedListeners` admits the ListenerSets of
/// `namespace` (whose labels are given when the input has the Namespace),
/// or why not. None are admitted unless the Gateway says so.
pub fn admits(
    gateway_namespace: &str,
    gateway: &GatewaySpec,
    namespace: &str,
    labels: Option<&StringMap>,
) -> Result<(), String> {
    let allowed = gateway
        .allowed_listeners
        .as_ref()
        .and_then(|a| a.namespaces.as_ref());
    let Some(allowed) = allowed else {
        return Err("the Gateway sets no allowedListeners, so it admits no ListenerSet".into());
    };
    match allowed.from {
        Some(NamespaceFrom::All) => Ok(()),
        Some(NamespaceFrom::Same) if namespace == gateway_namespace => Ok(()),
        Some(NamespaceFrom::Same) => Err(format!(
            "its allowedListeners admit ListenerSets of the Gateway's namespace \
             {gateway_namespace:?} only"
        )),
        Some(NamespaceFrom::None) => Err("its allowedListeners admit none (from: None)".into()),
        Some(NamespaceFrom::Selector) | None => {
            let Some(selector) = &allowed.selector else {
                return Err("its allowedListeners select namespaces without a selector".into());
            };
            let Some(labels) = labels else {
                return Err(format!(
                    "its allowedListeners select namespaces by label, and the input has no \
                     Namespace {namespace:?} to read labels from"
                ));
            };
            if selects_namespace(selector, namespace, labels) {
                Ok(())
            } else {
                Err(format!(
                    "its allowedListeners selector does not select namespace {namespace:?}"
                ))
            }
        }
    }
}

/// Whether the Gateway admits ListenerSets by their Namespace's labels,
/// so that its answer needs the Namespace object.
pub fn admits_by_label(gateway: &GatewaySpec) -> bool {
    let allowed = gateway
        .allowed_listeners
        .as_ref()
        .and_then(|a| a.namespaces.as_ref());
    allowed.is_some_and(|n| {
        matches!(n.from, Some(NamespaceFrom::Selector) | None) && n.selector.is_some()
    })
}

/// Whether a Gateway API namespace selector selects the Namespace of this
/// name and labels (Kubernetes labels each with its name, and Istio adds
/// the label when an older cluster has not).
pub fn selects_namespace(selector: &Selector, namespace: &str, labels: &StringMap) -> bool {
    let selector = LabelSelector {
        match_labels: Some(selector.match_labels.clone()),
        match_expressions: Some(
            selector
                .match_expressions
                .iter()
                .map(|e| LabelSelectorRequirement {
                    key: e.key.clone().unwrap_or_default(),
                    operator: e.operator.clone().unwrap_or_default(),
                    values: Some(e.values.clone()),
                })
                .collect(),
        ),
    };
    let mut labels = labels.clone();
    labels.insert(NAMESPACE_NAME_LABEL.into(), namespace.into());
    label_selector_matches(&selector, &labels)
}

/// Istio's `GenerateGatewaySupportedKinds`: the route kinds of the
/// Gateway API group a listener of this protocol takes (a TLS listener
/// that terminates also takes TCPRoutes); none for a protocol Istio does
/// not serve.
pub fn supported_route_kinds(protocol: &str, terminates: bool) -> &'static [&'static str] {
    match protocol {
        "HTTP" | "HTTPS" => &["HTTPRoute", "GRPCRoute"],
        "TCP" => &["TCPRoute"],
        "TLS" if terminates => &["TLSRoute", "TCPRoute"],
        "TLS" => &["TLSRoute"],
        _ => &[],
    }
}

/// Why a listener is `Conflicted` with an earlier one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConflictReason {
    /// Same port and protocol family, same hostname.
    HostnameConflict,
    /// Same port, protocols that cannot share it.
    ProtocolConflict,
}

impl ConflictReason {
    pub fn as_str(self) -> &'static str {
        match self {
            ConflictReason::HostnameConflict => "HostnameConflict",
            ConflictReason::ProtocolConflict => "ProtocolConflict",
        }
    }
}

/// One listener of a Gateway's merged list: its owner (`None` for the
/// Gateway, else the place of its ListenerSet among those given), its
/// place in the owner's `listeners`, and the earlier listener (its place
/// in the merged list) it loses to.
pub struct Merged<'a> {
    pub owner: Option<usize>,
    pub index: usize,
    pub listener: &'a Listener,
    pub conflict: Option<(usize, ConflictReason)>,
}

/// The Gateway's listeners, then those of the admitted ListenerSets (in
/// merge order), each with the conflict that keeps it from being
/// programmed. A listener that loses does not block later ones.
pub fn merge<'a>(gateway: &'a GatewaySpec, sets: &[ListenerSet<'a>]) -> Vec<Merged<'a>> {
    let own = gateway
        .listeners
        .iter()
        .enumerate()
        .map(|(i, l)| (None, i, l));
    let added = sets.iter().enumerate().flat_map(|(s, (_, spec))| {
        spec.listeners
            .iter()
            .enumerate()
            .map(move |(i, l)| (Some(s), i, l))
    });
    let mut accepted = Accepted::default();
    own.chain(added)
        .enumerate()
        .map(|(at, (owner, index, listener))| Merged {
            owner,
            index,
            listener,
            conflict: accepted.admit(at, listener),
        })
        .collect()
}

/// How a protocol shares a port (`listenersDistinct`).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Family {
    /// TCP and UDP: alone on their port.
    L4,
    /// HTTP, HTTPS and TLS: together, one listener per hostname.
    HttpLike,
    /// Any other protocol: one listener of it per port.
    Other,
}

fn family(protocol: &str) -> Family {
    match protocol {
        "TCP" | "UDP" => Family::L4,
        "HTTP" | "HTTPS" | "TLS" => Family::HttpLike,
        _ => Family::Other,
    }
}

/// The listeners accepted so far, indexed by what a later one can clash
/// with, so each listener is placed in constant time.
#[derive(Default)]
struct Accepted<'a> {
    /// Per port: the first accepted TCP, UDP, HTTP, HTTPS or TLS listener
    /// (a TCP or UDP one is then the only one of these).
    first_l4_or_http: HashMap<i32, (usize, &'a str, Family)>,
    /// Per port and hostname: the accepted HTTP-like listener.
    by_hostname: HashMap<(i32, &'a str), (usize, &'a str)>,
    /// Per port and protocol: the accepted listener of another protocol.
    other: HashMap<(i32, &'a str), usize>,
}

impl<'a> Accepted<'a> {
    /// The earlier listener this one loses to, or `None` (it is accepted).
    fn admit(&mut self, at: usize, l: &'a Listener) -> Option<(usize, ConflictReason)> {
        let port = l.port.unwrap_or_default();
        let protocol = l.protocol.as_deref().unwrap_or_default();
        let hostname = l
            .hostname
            .as_deref()
            .filter(|h| !h.is_empty())
            .unwrap_or("*");
        let reason = |prior: &str| {
            if prior == protocol && family(protocol) != Family::L4 {
                ConflictReason::HostnameConflict
            } else {
                ConflictReason::ProtocolConflict
            }
        };
        match family(protocol) {
            Family::Other => {
                if let Some(&prior) = self.other.get(&(port, protocol)) {
                    return Some((prior, ConflictReason::HostnameConflict));
                }
                self.other.insert((port, protocol), at);
            }
            Family::L4 => {
                if let Some(&(prior, p, _)) = self.first_l4_or_http.get(&port) {
                    return Some((prior, reason(p)));
                }
                self.first_l4_or_http
                    .insert(port, (at, protocol, Family::L4));
            }
            Family::HttpLike => {
                if let Some(&(prior, p, Family::L4)) = self.first_l4_or_http.get(&port) {
                    return Some((prior, reason(p)));
                }
                if let Some(&(prior, p)) = self.by_hostname.get(&(port, hostname)) {
                    return Some((prior, reason(p)));
                }
                self.by_hostname.insert((port, hostname), (at, protocol));
                self.first_l4_or_http
                    .entry(port)
                    .or_insert((at, protocol, Family::HttpLike));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listener(port: i32, protocol: &str, hostname: Option<&str>) -> Listener {
        Listener {
            name: Some(format!("{protocol}-{port}")),
            port: Some(port),
            protocol: Some(protocol.into()),
            hostname: hostname.map(str::to_string),
            ..Default::default()
        }
    }

    fn conflicts(listeners: Vec<Listener>) -> Vec<Option<(usize, &'static str)>> {
        let gateway = GatewaySpec {
            listeners,
            ..Default::default()
        };
        merge(&gateway, &[])
            .into_iter()
            .map(|m| m.conflict.map(|(i, r)| (i, r.as_str())))
            .collect()
    }

    #[test]
    fn listeners_conflict_as_the_gateway_api_says() {
        let hostname = Some("a.example.com");
        assert_eq!(
            conflicts(vec![
                listener(80, "HTTP", hostname),
                listener(80, "HTTP", Some("b.example.com")),
                listener(80, "HTTP", hostname),
                listener(80, "HTTPS", hostname),
                listener(80, "TCP", None),
                listener(443, "HTTPS", None),
                listener(443, "TLS", Some("c.example.com")),
                listener(443, "HTTPS", Some("")),
                listener(5432, "TCP", None),
                listener(5432, "UDP", None),
                listener(5432, "TCP", None),
                listener(9000, "example.com/custom", None),
                listener(9000, "example.com/custom", Some("x")),
                listener(9000, "example.com/other", None),
            ]),
            [
                None,
                None,
                Some((0, "HostnameConflict")),
                Some((0, "ProtocolConflict")),
                Some((0, "ProtocolConflict")),
                None,
                None,
                Some((5, "HostnameConflict")),
                None,
                Some((8, "ProtocolConflict")),
                Some((8, "ProtocolConflict")),
                None,
                Some((11, "HostnameConflict")),
                None,
            ]
        );
    }

    #[test]
    fn a_tcp_listener_after_an_http_one_loses_and_frees_nothing() {
        assert_eq!(
            conflicts(vec![
                listener(80, "TCP", None),
                listener(80, "HTTP", None),
                listener(80, "TCP", None),
            ]),
            [
                None,
                Some((0, "ProtocolConflict")),
                Some((0, "ProtocolConflict"))
            ]
        );
    }
}
