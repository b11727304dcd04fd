//! Which listeners of a Gateway API Gateway a route attaches to, as
//! Istio decides it (`extractParentReferenceInfo`, `referenceAllowed` and
//! `hostnameAllowedByIsolation` in `conversion.go`): the parent (a
//! Gateway's own listeners, or a ListenerSet's), the parentRef's
//! `sectionName` and `port`, the listener's hostname against the route's
//! `hostnames`, the namespaces and kinds its `allowedRoutes` admit.

use std::collections::HashMap;

use super::Refused;
use super::listeners::{GROUP, IngressGateway, ListenerParent};
use crate::mesh::host::{intersection, is_subset_of, overlaps};
use crate::model::Object;
use crate::model::gateway_api::ParentRef;
use crate::simulate::names::qualified;

/// What attachment reads of a route.
pub struct Route<'a> {
    pub object: &'a Object,
    pub kind: &'static str,
    pub parent_refs: &'a [ParentRef],
    pub hostnames: &'a [String],
}

/// The listeners of Istio's Gateways by the parent routes name to reach
/// them (a Gateway for its own, a ListenerSet for its), indexed once.
pub struct Parents<'g> {
    by_owner: HashMap<Owner, Parent<'g>>,
}

/// A Gateway or ListenerSet as a route's parent: the Gateway that serves
/// it and its listeners, in order.
struct Parent<'g> {
    gateway: &'g IngressGateway<'g>,
    listeners: Vec<&'g ListenerParent>,
}

impl<'g> Parents<'g> {
    pub fn new(gateways: &'g [IngressGateway<'g>]) -> Self {
        let mut by_owner: HashMap<Owner, Parent> = HashMap::new();
        for gateway in gateways.iter().filter(|g| g.not_istios.is_none()) {
            for listener in &gateway.listeners {
                let owner = match &listener.listener_set {
                    None => Owner::Gateway(qualified(gateway.object)),
                    Some(set) => Owner::ListenerSet(set.clone()),
                };
                by_owner
                    .entry(owner)
                    .or_insert_with(|| Parent {
                        gateway,
                        listeners: Vec::new(),
                    })
                    .listeners
                    .push(listener);
            }
        }
        Parents { by_owner }
    }
}

/// The listeners the route attaches to, each with the hosts of the
/// VirtualServices Istio builds for it: the route's `hostnames` (`*`
/// without any), left to a more specific listener where isolation says
/// so, or for a TLSRoute narrowed to the listener's hostname. A listener
/// that refuses the route is recorded in `refused` with the reason.
pub fn attached_listeners<'g>(
    route: &Route,
    parents: &Parents<'g>,
    refused: &mut Vec<Refused>,
) -> Vec<(&'g ListenerParent, Vec<String>)> {
    let ns = route.object.namespace.as_deref().unwrap_or_default();
    let mut out = Vec::new();
    for parent in route.parent_refs {
        let Some(found) = owner(parent, ns).and_then(|o| parents.by_owner.get(&o)) else {
            continue;
        };
        let siblings = &found.listeners;
        for &listener in siblings {
            if !selected(parent, listener) {
                continue;
            }
            let refuse = |reason: String| Refused {
                parent: listener.internal.clone(),
                route: format!("{} {}", route.kind, qualified(route.object)),
                reason: format!(
                    "listener {} of Gateway {} does not admit it: {reason}",
                    listener.label(),
                    qualified(found.gateway.object)
                ),
            };
            match admits(listener, route, ns).and_then(|()| hosts(route, listener, siblings)) {
                Ok(hosts) => out.push((listener, hosts)),
                Err(reason) => refused.push(refuse(reason)),
            }
        }
    }
    out
}

/// The parent a parentRef names: a Gateway or a ListenerSet
/// (`namespace/name`); `None` for another kind.
#[derive(PartialEq, Eq, Hash)]
enum Owner {
    Gateway(String),
    ListenerSet(String),
}

fn owner(parent: &ParentRef, namespace: &str) -> Option<Owner> {
    let key = format!(
        "{}/{}",
        parent.namespace.as_deref().unwrap_or(namespace),
        parent.name.as_deref().unwrap_or_default()
    );
    if parent.group.as_deref().unwrap_or(GROUP) != GROUP {
        return None;
    }
    match parent.kind.as_deref().unwrap_or("Gateway") {
        "Gateway" => Some(Owner::Gateway(key)),
        "ListenerSet" => Some(Owner::ListenerSet(key)),
        _ => None,
    }
}

/// The hosts of the VirtualServices for the route on this listener:
/// Istio narrows a TLSRoute's hostnames to the listener's
/// (`Names.Intersection`), and leaves another route's to a more specific
/// listener of the same parent ([`isolated`]).
fn hosts(
    route: &Route,
    listener: &ListenerParent,
    siblings: &[&ListenerParent],
) -> Result<Vec<String>, String> {
    let hosts = route_hosts(route);
    if route.kind != "TLSRoute" {
        return Ok(hosts
            .into_iter()
            .filter(|h| isolated(h, listener, siblings))
            .collect());
    }
    if listener.hostname.is_empty() {
        return Ok(hosts);
    }
    let narrowed = intersection(&hosts, std::slice::from_ref(&listener.hostname));
    if narrowed.is_empty() {
        return Err(format!(
            "no hostname of the route lies within {:?}",
            listener.hostname
        ));
    }
    Ok(narrowed)
}

/// Whether the parentRef's `sectionName` and `port` name this listener.
fn selected(parent: &ParentRef, listener: &ListenerParent) -> bool {
    let section = parent
        .section_name
        .as_deref()
        .is_none_or(|s| s == listener.name);
    let port = parent
        .port
        .is_none_or(|p| u32::try_from(p).ok() == Some(listener.port));
    section && port
}

/// Istio's `referenceAllowed` for a listener: one of the route's hostnames
/// meets one of the listener's hosts in a namespace it admits, and the
/// listener takes the route's kind.
fn admits(listener: &ListenerParent, route: &Route, namespace: &str) -> Result<(), String> {
    let hostnames = route_hosts(route);
    let mut host_matched = false;
    let mut matched = false;
    for entry in &listener.hosts {
        let (entry_ns, host) = entry.split_once('/').unwrap_or(("*", entry));
        for h in &hostnames {
            if overlaps(host, h) {
                host_matched = true;
                matched |= entry_ns == "*" || entry_ns == namespace;
            }
        }
    }
    if !matched {
        return Err(if host_matched {
            format!("namespace {namespace:?} is not allowed by its allowedRoutes")
        } else {
            format!("no hostname of the route matches {:?}", listener.hostname)
        });
    }
    if !listener
        .kinds
        .iter()
        .any(|(g, k)| g == GROUP && k == route.kind)
    {
        return Err(format!("kind {} is not allowed", route.kind));
    }
    Ok(())
}

fn route_hosts(route: &Route) -> Vec<String> {
    if route.hostnames.is_empty() {
        vec!["*".to_string()]
    } else {
        route
            .hostnames
            .iter()
            .map(|h| h.to_ascii_lowercase())
            .collect()
    }
}

/// Istio's `hostnameAllowedByIsolation`: a route host under a wildcard
/// listener is left to a more specific listener of the same port and
/// protocol that covers it.
fn isolated(route_host: &str, ours: &ListenerParent, all: &[&ListenerParent]) -> bool {
    let mine = ours.hostname.as_str();
    if !mine.is_empty() && !mine.starts_with('*') {
        return true;
    }
    if !mine.is_empty() && !overlaps(route_host, mine) {
        return false;
    }
    !all.iter()
        .filter(|l| {
            l.internal != ours.internal && l.port == ours.port && l.protocol == ours.protocol
        })
        .map(|l| l.hostname.as_str())
        .filter(|other| !other.is_empty() && *other != mine && mine.len() <= other.len())
        .any(|other| is_subset_of(route_host, other))
}
