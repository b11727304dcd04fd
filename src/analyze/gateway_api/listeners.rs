//! The listeners of Gateway API Gateways and ListenerSets, each with the
//! object it belongs to: what the listener analyzers read.

use crate::model::Object;
use crate::model::gateway_api::Listener;
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
