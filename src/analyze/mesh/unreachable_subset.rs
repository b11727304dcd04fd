//! DestinationRule subsets no route sends traffic to, while routes do pick
//! other subsets of the same host.

use std::collections::{HashMap, HashSet};

use super::super::{Analyzer, Report};
use crate::model::istio::{Destination, VirtualServiceSpec};
use crate::report::{Example, Level, Rule};
use crate::snapshot::{Snapshot, resolve_host};

pub static RULE: Rule = Rule {
    code: "MSH3003",
    name: "subset-unreachable",
    level: Level::Info,
    summary: "A DestinationRule subset that no route gives any traffic, although routes pick subsets of its host.",
    kinds: &["VirtualService", "DestinationRule"],
    explanation: "Subsets only receive traffic when a VirtualService route names them with a weight \
        above 0. When the routes for a host pick some of its subsets, a declared subset that none of \
        them reaches (left out, or only with `weight: 0`) gets no requests: a canary that never \
        starts, or a rollback that leaves old pods idle. Route to the subset, or remove it when it \
        is no longer meant to serve.",
    example: Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination:\n        host: reviews\n        subset: v1\n      weight: 100\n    - destination:\n        host: reviews\n        subset: v2\n      weight: 0\n---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: reviews\nspec:\n  host: reviews\n  subsets:\n  - name: v1\n    labels:\n      version: v1\n  - name: v2\n    labels:\n      version: v2\n",
        fires_at: &["spec.subsets[1]"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "meshctl.UnreachableSubsetAnalyzer",
    rules: &[&RULE],
    run,
};

/// For each host that routes pick subsets of: the subsets given traffic.
#[derive(Default)]
struct Routed {
    live: HashMap<String, HashSet<String>>,
}

impl Routed {
    fn add(
        &mut self,
        namespace: &str,
        destination: Option<&Destination>,
        weight: Option<i32>,
        alone: bool,
    ) {
        let Some(destination) = destination else {
            return;
        };
        let (Some(host), Some(subset)) = (&destination.host, &destination.subset) else {
            return;
        };
        let subsets = self.live.entry(resolve_host(host, namespace)).or_default();
        // A lone destination gets all the traffic whatever its weight.
        if alone || weight.unwrap_or(0) > 0 {
            subsets.insert(subset.clone());
        }
    }

    fn collect(&mut self, namespace: &str, spec: &VirtualServiceSpec) {
        for route in &spec.http {
            let alone = route.route.len() == 1;
            for d in &route.route {
                self.add(namespace, d.destination.as_ref(), d.weight, alone);
            }
        }
        for route in &spec.tcp {
            let alone = route.route.len() == 1;
            for d in &route.route {
                self.add(namespace, d.destination.as_ref(), d.weight, alone);
            }
        }
        for route in &spec.tls {
            let alone = route.route.len() == 1;
            for d in &route.route {
                self.add(namespace, d.destination.as_ref(), d.weight, alone);
            }
        }
    }
}

fn run(snapshot: &Snapshot, report: &mut Report) {
    let mut routed = Routed::default();
    for (object, spec) in snapshot.virtual_services() {
        routed.collect(object.namespace.as_deref().unwrap_or_default(), spec);
    }
    for (object, spec) in snapshot.destination_rules() {
        let Some(host) = &spec.host else { continue };
        let namespace = object.namespace.as_deref().unwrap_or_default();
        let Some(live) = routed.live.get(&resolve_host(host, namespace)) else {
            continue;
        };
        for (i, subset) in spec.subsets.iter().enumerate() {
            let Some(name) = &subset.name else { continue };
            if !live.contains(name) {
                report.report_with_help(
                    &RULE,
                    object,
                    &format!("spec.subsets[{i}]"),
                    format!("subset {name:?} of {host:?} gets no traffic: the routes for this host pick other subsets, and this one only with weight 0 or not at all"),
                    "give the subset a weight above 0 in a route, or remove it",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::analyzer_tests;

    analyzer_tests!(
        RULE,
        "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n  http:\n  - match:\n    - headers:\n        end-user:\n          exact: jason\n    route:\n    - destination:\n        host: reviews\n        subset: v2\n      weight: 0\n  - route:\n    - destination:\n        host: reviews.default.svc.cluster.local\n        subset: v1\n      weight: 90\n    - destination:\n        host: reviews\n        subset: v3\n      weight: 10\n---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: reviews\nspec:\n  host: reviews\n  subsets:\n  - {name: v1, labels: {version: v1}}\n  - {name: v2, labels: {version: v2}}\n  - {name: v3, labels: {version: v3}}\n---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: ratings\nspec:\n  host: ratings\n  subsets:\n  - {name: v1, labels: {version: v1}}\n"
    );
}
