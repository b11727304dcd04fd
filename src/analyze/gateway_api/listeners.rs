//! The listeners of Gateway API Gateways and ListenerSets, each with the
//! object it belongs to, and each Gateway with the ListenerSets it admits
//! and refuses: what the listener analyzers read. Only Istio's Gateways
//! count (`mesh::gateway_class`): Istio reports no listener condition for
//! a Gateway of another controller's class.

use std::collections::HashMap;

use crate::mesh::gateway_class::Role;
use crate::mesh::listener_set::{self, ListenerSet};
use crate::model::Object;
use crate::model::gateway_api::{GatewaySpec, Listener};
use crate::snapshot::Snapshot;

/// A listener, its owner (a Gateway or a ListenerSet) and its place in
/// the owner's `listeners`.
pub struct Owned<'a> {
    pub object: &'a Object,
    pub index: usize,
    pub listener: &'a Listener,
}

impl Owned<'_> {
    pub fn path(&self) -> String {
        format!("spec.listeners[{}]", self.index)
    }

    pub fn name(&self) -> &str {
        self.listener.name.as_deref().unwrap_or_default()
    }
}

/// Every listener Istio builds: of the snapshot's Gateways whose class
/// has Istio build them, then of the ListenerSets whose Gateway's class
/// takes ListenerSets.
pub fn listeners(snapshot: &Snapshot) -> Vec<Owned<'_>> {
    let classes = snapshot.gateway_class_index();
    let mut roles = HashMap::new();
    let gateways: Vec<_> = snapshot
        .gateway_api_gateways()
        .filter(|(object, spec)| {
            let role = classes.role(spec.gateway_class_name.as_deref().unwrap_or_default());
            let builds = role.builds_listeners();
            roles.insert(key(object), role);
            builds
        })
        .flat_map(|(object, spec)| owned(object, &spec.listeners))
        .collect();
    let sets = snapshot.listener_sets().filter(|(object, spec)| {
        listener_set::parent_gateway(object, spec)
            .and_then(|parent| roles.get(&parent))
            .is_some_and(Role::supports_listener_sets)
    });
    let sets = sets.flat_map(|(object, spec)| owned(object, &spec.listeners));
    gateways.into_iter().chain(sets).collect()
}

/// `namespace/name`.
fn key(object: &Object) -> String {
    let namespace = object.namespace.as_deref().unwrap_or_default();
    format!("{namespace}/{}", object.name)
}

fn owned<'a>(object: &'a Object, listeners: &'a [Listener]) -> impl Iterator<Item = Owned<'a>> {
    listeners
        .iter()
        .enumerate()
        .map(move |(index, listener)| Owned {
            object,
            index,
            listener,
        })
}

/// An Istio Gateway with the ListenerSets that name it: those it admits
/// (in merge order) and those it does not, with the reason.
pub struct Extended<'a> {
    pub gateway: &'a Object,
    pub spec: &'a GatewaySpec,
    /// `namespace/name`.
    pub key: String,
    pub role: Role,
    pub admitted: Vec<ListenerSet<'a>>,
    pub refused: Vec<(ListenerSet<'a>, String)>,
}

/// Every Gateway of the snapshot that is Istio's (whatever Istio does
/// with it), with its ListenerSets. A class that takes no ListenerSets
/// refuses them all.
pub fn extended_gateways(snapshot: &Snapshot) -> Vec<Extended<'_>> {
    let classes = snapshot.gateway_class_index();
    let mut sets = listener_set::by_parent(snapshot.listener_sets());
    let labels = |namespace: &str| {
        let object = snapshot.namespace(namespace)?;
        Some(object.metadata().labels.clone().unwrap_or_default())
    };
    snapshot
        .gateway_api_gateways()
        .filter_map(|(gateway, spec)| {
            let role = classes.role(spec.gateway_class_name.as_deref().unwrap_or_default());
            if !role.reports_listener_sets() {
                return None;
            }
            let namespace = gateway.namespace.as_deref().unwrap_or_default();
            let key = key(gateway);
            let named = sets.remove(&key).unwrap_or_default();
            let (admitted, refused) =
                listener_set::admitted(namespace, spec, &role, &named, labels);
            Some(Extended {
                gateway,
                spec,
                key,
                role,
                admitted,
                refused,
            })
        })
        .collect()
}
