//! The traffic diff: the request classes both configurations distinguish
//! ([`classes`]), for the hosts the resource changes reach ([`scope`]),
//! each simulated on both sides with simulate's engine; a class whose
//! outcome changed (destinations and their weights, subsets and the pods
//! they select, timeout, retries, fault, redirect, rewrite, mirrors, direct
//! response, authorization decision) is reported with both outcomes, as
//! simulate's JSON fields.

mod classes;
mod sample;
mod scope;

use std::collections::HashSet;

use rayon::prelude::*;
use serde_json::{Map, Value as Json, json};

use classes::Classes;
pub use classes::RequestClass;
pub use scope::Scope;

use crate::simulate::{Index, Options, Simulation, simulate_indexed};
use crate::snapshot::Snapshot;

/// One request class whose outcome changed.
#[derive(Debug, Clone, PartialEq)]
pub struct TrafficChange {
    pub class: RequestClass,
    /// Outcome fields that differ (simulate's JSON names).
    pub changed: Vec<&'static str>,
    pub before: Json,
    pub after: Json,
}

/// The simulate fields that make an outcome: a change in any of them is a
/// traffic change.
const OUTCOME: &[&str] = &[
    "destinations",
    "redirect",
    "directResponse",
    "rewrite",
    "timeout",
    "retries",
    "fault",
    "mirrors",
    "authorization",
];

/// The fields of a destination that are outcome (not the trace-like
/// details such as the DestinationRule's whole policy).
const DESTINATION_FIELDS: &[&str] = &[
    "host",
    "subset",
    "port",
    "weight",
    "subsetLabels",
    "workloads",
];

/// The fields of an authorization that are shown; only the decision is
/// compared (another rule allowing is the same outcome).
const AUTHORIZATION_FIELDS: &[&str] = &["decision", "policy", "ruleIndex"];

/// The request classes of both sides, for the hosts in `scope`, whose
/// outcome differs between `old` and `new`, sorted by host, port, gateway
/// and request.
pub fn traffic_diff(
    old: &Snapshot,
    new: &Snapshot,
    scope: &Scope,
    root_namespace: &str,
) -> Vec<TrafficChange> {
    let mut classes = Classes::default();
    classes.add(old, scope, root_namespace);
    classes.add(new, scope, root_namespace);
    let classes: Vec<RequestClass> = classes.into_classes().into_iter().collect();
    let (old_index, new_index) = rayon::join(|| Index::new(old), || Index::new(new));
    let changed: Vec<TrafficChange> = classes
        .into_par_iter()
        .filter_map(|class| {
            let before = outcome(&old_index, &class);
            let after = outcome(&new_index, &class);
            let changed = changed_fields(&before, &after);
            (!changed.is_empty()).then_some(TrafficChange {
                class,
                changed,
                before,
                after,
            })
        })
        .collect();
    most_general(changed)
}

/// Classes of one host, port and gateway that meet the same change (the
/// same fields changed, from the same values to the same values) are
/// reported once, by the class with the fewest conditions: a weight shift
/// is one line for `all other requests`, not one more per caller that
/// falls through with them.
fn most_general(mut changes: Vec<TrafficChange>) -> Vec<TrafficChange> {
    changes.sort_by(|a, b| {
        (a.class.target(), a.class.conditions(), &a.class).cmp(&(
            b.class.target(),
            b.class.conditions(),
            &b.class,
        ))
    });
    let mut seen: HashSet<(String, u32, Option<String>, String)> = HashSet::new();
    changes.retain(|change| {
        let (host, port, gateway) = change.class.target();
        let what: Vec<(Option<&Json>, Option<&Json>)> = change
            .changed
            .iter()
            .map(|f| (change.before.get(*f), change.after.get(*f)))
            .collect();
        seen.insert((
            host.to_string(),
            port,
            gateway.map(str::to_string),
            format!("{what:?}"),
        ))
    });
    changes.sort_by(|a, b| a.class.cmp(&b.class));
    changes
}

/// The class simulated: simulate's JSON fields of the outcome (or
/// `{"error": ...}` when simulate refuses the request, e.g. through a
/// Gateway that side does not have).
fn outcome(index: &Index, class: &RequestClass) -> Json {
    let simulated = class
        .request()
        .and_then(|request| simulate_indexed(index, &request, &Options::default()));
    match simulated {
        Ok(simulation) => project(&simulation),
        Err(error) => json!({"error": error}),
    }
}

fn project(sim: &Simulation) -> Json {
    let mut out = Map::new();
    out.insert("matched".into(), json!(sim.matched));
    out.insert("virtualService".into(), json!(sim.virtual_service));
    out.insert("httpRouteIndex".into(), json!(sim.http_route_index));
    let destinations: Vec<Json> = sim
        .destinations
        .iter()
        .map(|d| pick(&json!(d), DESTINATION_FIELDS))
        .collect();
    out.insert("destinations".into(), Json::Array(destinations));
    out.insert("redirect".into(), json!(sim.redirect));
    out.insert("directResponse".into(), json!(sim.direct_response));
    out.insert("rewrite".into(), json!(sim.rewrite));
    out.insert("timeout".into(), json!(sim.timeout));
    out.insert("retries".into(), json!(sim.retries));
    out.insert("fault".into(), json!(sim.fault));
    out.insert("mirrors".into(), json!(sim.mirrors));
    let authorization = sim
        .authorization
        .as_ref()
        .map_or(Json::Null, |a| pick(&json!(a), AUTHORIZATION_FIELDS));
    out.insert("authorization".into(), authorization);
    Json::Object(out)
}

fn pick(value: &Json, fields: &[&str]) -> Json {
    let Json::Object(map) = value else {
        return value.clone();
    };
    Json::Object(
        fields
            .iter()
            .filter_map(|f| map.get(*f).map(|v| (f.to_string(), v.clone())))
            .collect(),
    )
}

/// The outcome fields that differ; an error on either side differs from
/// anything but the same error.
fn changed_fields(before: &Json, after: &Json) -> Vec<&'static str> {
    if before.get("error").is_some() || after.get("error").is_some() {
        return if before == after {
            Vec::new()
        } else {
            vec!["error"]
        };
    }
    OUTCOME
        .iter()
        .copied()
        .filter(|field| compared(before, field) != compared(after, field))
        .collect()
}

fn compared<'a>(outcome: &'a Json, field: &str) -> Option<&'a Json> {
    let value = outcome.get(field)?;
    match field {
        "authorization" => value.get("decision"),
        _ => Some(value),
    }
}
