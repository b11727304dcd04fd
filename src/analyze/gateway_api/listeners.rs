//! The listeners of Gateway API Gateways and ListenerSets, each with the
//! object it belongs to, and each Gateway with the ListenerSets it admits
//! and refuses: what the listener analyzers read.

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

/// Every listener of the snapshot's Gateways, then of its ListenerSets.
pub fn listeners(snapshot: &Snapshot) -> Vec<Owned<'_>> {
    let gateways = snapshot
        .gateway_api_gateways()
        .flat_map(|(object, spec)| owned(object, &spec.listeners));
    let sets = snapshot
        .listener_sets()
        .flat_map(|(object, spec)| owned(object, &spec.listeners));
    gateways.chain(sets).collect()
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

/// A Gateway with the ListenerSets that name it: those it admits (in
/// merge order) and those it does not, with the reason.
pub struct Extended<'a> {
    pub gateway: &'a Object,
    pub spec: &'a GatewaySpec,
    /// `namespace/name`.
    pub key: String,
    pub admitted: Vec<ListenerSet<'a>>,
    pub refused: Vec<(ListenerSet<'a>, String)>,
}

/// Every Gateway of the snapshot with its ListenerSets.
pub fn extended_gateways(snapshot: &Snapshot) -> Vec<Extended<'_>> {
    let mut sets = listener_set::by_parent(snapshot.listener_sets());
    let labels = |namespace: &str| {
        let object = snapshot.namespace(namespace)?;
        Some(object.metadata().labels.clone().unwrap_or_default())
    };
    snapshot
        .gateway_api_gateways()
        .map(|(gateway, spec)| {
            let namespace = gateway.namespace.as_deref().unwrap_or_default();
            let key = format!("{namespace}/{}", gateway.name);
            let named = sets.remove(&key).unwrap_or_default();
            let (admitted, refused) = listener_set::admitted(namespace, spec, &named, labels);
            Extended {
                gateway,
                spec,
                key,
                admitted,
                refused,
            }
        })
        .collect()
}
