//! Subsets that routes name only with weight 0: declared, routed to in
//! appearance, and never given a request.

use std::collections::HashSet;

use super::super::{Analyzer, Report};
use crate::model::Object;
use crate::model::istio::{Destination, VirtualServiceSpec};
use crate::report::{Example, Level, Rule};
use crate::snapshot::Snapshot;

pub static RULE: Rule = Rule {
    code: "MSH3003",
    name: "subset-unreachable",
    level: Level::Info,
    summary: "A declared subset that routes name only with weight 0, so it gets no traffic.",
    kinds: &["VirtualService", "DestinationRule"],
    explanation: "Subsets only receive traffic when a VirtualService route names them with a weight \
        above 0. A subset a DestinationRule declares that every route naming it gives `weight: 0` \
        gets no requests: a canary that never starts, or a rollback that leaves pods idle while \
        the configuration looks like a split. Give it a weight, or remove it from the routes when \
        it is no longer meant to serve. (A lone destination gets all traffic whatever its weight.)",
    example: Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination:\n        host: reviews\n        subset: v1\n      weight: 100\n    - destination:\n        host: reviews\n        subset: v2\n      weight: 0\n---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: reviews\nspec:\n  host: reviews\n  subsets:\n  - name: v1\n    labels:\n      version: v1\n  - name: v2\n    labels:\n      version: v2\n",
        fires_at: &["spec.http[0].route[1].weight"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "meshctl.UnreachableSubsetAnalyzer",
    rules: &[&RULE],
    run,
};

/// A route destination naming a subset with weight 0.
struct ZeroWeight<'a> {
    object: &'a Object,
    path: String,
    host: String,
    subset: &'a str,
}

/// Subsets given traffic, and the zero-weight mentions, by resolved host.
struct Routed<'a> {
    snapshot: &'a Snapshot,
    live: HashSet<(String, &'a str)>,
    zero: Vec<ZeroWeight<'a>>,
}

impl<'a> Routed<'a> {
    fn collect(&mut self, object: &'a Object, spec: &'a VirtualServiceSpec) {
        let namespace = object.namespace.as_deref().unwrap_or_default();
        let http = spec.http.iter().map(|r| {
            r.route
                .iter()
                .map(|d| (d.destination.as_ref(), d.weight))
                .collect()
        });
        let tcp = spec.tcp.iter().map(|r| {
            r.route
                .iter()
                .map(|d| (d.destination.as_ref(), d.weight))
                .collect()
        });
        let tls = spec.tls.iter().map(|r| {
            r.route
                .iter()
                .map(|d| (d.destination.as_ref(), d.weight))
                .collect()
        });
        for (field, routes) in [
            ("http", http.collect::<Vec<Vec<_>>>()),
            ("tcp", tcp.collect()),
            ("tls", tls.collect()),
        ] {
            for (i, route) in routes.iter().enumerate() {
                for (j, (destination, weight)) in route.iter().enumerate() {
                    self.add(
                        object,
                        namespace,
                        *destination,
                        *weight,
                        route.len() == 1,
                        format!("spec.{field}[{i}].route[{j}].weight"),
                    );
                }
            }
        }
    }

    fn add(
        &mut self,
        object: &'a Object,
        namespace: &str,
        destination: Option<&'a Destination>,
        weight: Option<i32>,
        alone: bool,
        path: String,
    ) {
        let Some(Destination {
            host: Some(host),
            subset: Some(subset),
            ..
        }) = destination
        else {
            return;
        };
        let host = self.snapshot.resolve_host(host, namespace);
        if alone || weight.unwrap_or(0) > 0 {
            self.live.insert((host, subset));
        } else if weight == Some(0) {
            self.zero.push(ZeroWeight {
                object,
                path,
                host,
                subset,
            });
        }
    }
}

fn run(snapshot: &Snapshot, report: &mut Report) {
    let mut routed = Routed {
        snapshot,
        live: HashSet::new(),
        zero: Vec::new(),
    };
    for (object, spec) in snapshot.virtual_services() {
        routed.collect(object, spec);
    }
    if routed.zero.is_empty() {
        return;
    }
    let mut declared: HashSet<(String, &str)> = HashSet::new();
    for (object, spec) in snapshot.destination_rules() {
        let Some(host) = &spec.host else { continue };
        let host = snapshot.resolve_host(host, object.namespace.as_deref().unwrap_or_default());
        for name in spec.subsets.iter().filter_map(|s| s.name.as_deref()) {
            declared.insert((host.clone(), name));
        }
    }
    for zero in &routed.zero {
        let key = (zero.host.clone(), zero.subset);
        if declared.contains(&key) && !routed.live.contains(&key) {
            report.report_with_help(
                &RULE,
                zero.object,
                &zero.path,
                format!(
                    "subset {:?} of {:?} gets weight 0 here and no route gives it any traffic",
                    zero.subset, zero.host
                ),
                "give the subset a weight above 0, or remove this destination",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::analyzer_tests;

    analyzer_tests!(
        RULE,
        "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n  http:\n  - match:\n    - headers:\n        end-user:\n          exact: jason\n    route:\n    - destination:\n        host: reviews\n        subset: v2\n      weight: 0\n  - route:\n    - destination:\n        host: reviews.default.svc.cluster.local\n        subset: v1\n      weight: 100\n    - destination:\n        host: reviews\n        subset: v2\n      weight: 0\n---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: reviews\nspec:\n  host: reviews\n  subsets:\n  - {name: v1, labels: {version: v1}}\n  - {name: v2, labels: {version: v2}}\n  - {name: v3, labels: {version: v3}}\n"
    );
}
