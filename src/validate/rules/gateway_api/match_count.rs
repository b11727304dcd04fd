//! Routes: at most 128 matches in all.

use super::super::Findings;
use super::api_server_rule;
use crate::model::gateway_api::{GrpcRouteSpec, HttpRouteSpec};
use crate::report::{Example, Rule};

/// The API server's bound on the matches of one route, over every rule.
const MAX_MATCHES: usize = 128;

pub static RULE: Rule = api_server_rule(
    "gateway-api-match-count",
    &["HTTPRoute", "GRPCRoute"],
    "A route with more than 128 matches across its rules.",
    "A route has at most 16 rules and each rule at most 64 matches, but the route as a whole at \
     most 128 matches, so that the API server's cost of checking it stays bounded.",
    Example {
        yaml: "apiVersion: gateway.networking.k8s.io/v1\nkind: GRPCRoute\nmetadata:\n  name: api\nspec:\n  rules:\n  - matches: [{method: {service: a.A}}, {method: {service: a.B}}, {method: {service: a.C}}, {method: {service: a.D}}, {method: {service: a.E}}, {method: {service: a.F}}, {method: {service: a.G}}, {method: {service: a.H}}, {method: {service: a.I}}, {method: {service: a.J}}, {method: {service: a.K}}, {method: {service: a.L}}, {method: {service: a.M}}, {method: {service: a.N}}, {method: {service: a.O}}, {method: {service: a.P}}, {method: {service: a.Q}}, {method: {service: a.R}}, {method: {service: a.S}}, {method: {service: a.T}}, {method: {service: a.U}}, {method: {service: a.V}}, {method: {service: a.W}}, {method: {service: a.X}}, {method: {service: a.Y}}, {method: {service: a.Z}}, {method: {service: b.A}}, {method: {service: b.B}}, {method: {service: b.C}}, {method: {service: b.D}}, {method: {service: b.E}}, {method: {service: b.F}}, {method: {service: b.G}}, {method: {service: b.H}}, {method: {service: b.I}}, {method: {service: b.J}}, {method: {service: b.K}}, {method: {service: b.L}}, {method: {service: b.M}}, {method: {service: b.N}}, {method: {service: b.O}}, {method: {service: b.P}}, {method: {service: b.Q}}, {method: {service: b.R}}, {method: {service: b.S}}, {method: {service: b.T}}, {method: {service: b.U}}, {method: {service: b.V}}, {method: {service: b.W}}, {method: {service: b.X}}, {method: {service: b.Y}}, {method: {service: b.Z}}, {method: {service: c.A}}, {method: {service: c.B}}, {method: {service: c.C}}, {method: {service: c.D}}, {method: {service: c.E}}, {method: {service: c.F}}, {method: {service: c.G}}, {method: {service: c.H}}, {method: {service: c.I}}, {method: {service: c.J}}, {method: {service: c.K}}, {method: {service: c.L}}]\n  - matches: [{method: {service: d.A}}, {method: {service: d.B}}, {method: {service: d.C}}, {method: {service: d.D}}, {method: {service: d.E}}, {method: {service: d.F}}, {method: {service: d.G}}, {method: {service: d.H}}, {method: {service: d.I}}, {method: {service: d.J}}, {method: {service: d.K}}, {method: {service: d.L}}, {method: {service: d.M}}, {method: {service: d.N}}, {method: {service: d.O}}, {method: {service: d.P}}, {method: {service: d.Q}}, {method: {service: d.R}}, {method: {service: d.S}}, {method: {service: d.T}}, {method: {service: d.U}}, {method: {service: d.V}}, {method: {service: d.W}}, {method: {service: d.X}}, {method: {service: d.Y}}, {method: {service: d.Z}}, {method: {service: e.A}}, {method: {service: e.B}}, {method: {service: e.C}}, {method: {service: e.D}}, {method: {service: e.E}}, {method: {service: e.F}}, {method: {service: e.G}}, {method: {service: e.H}}, {method: {service: e.I}}, {method: {service: e.J}}, {method: {service: e.K}}, {method: {service: e.L}}, {method: {service: e.M}}, {method: {service: e.N}}, {method: {service: e.O}}, {method: {service: e.P}}, {method: {service: e.Q}}, {method: {service: e.R}}, {method: {service: e.S}}, {method: {service: e.T}}, {method: {service: e.U}}, {method: {service: e.V}}, {method: {service: e.W}}, {method: {service: e.X}}, {method: {service: e.Y}}, {method: {service: e.Z}}, {method: {service: f.A}}, {method: {service: f.B}}, {method: {service: f.C}}, {method: {service: f.D}}, {method: {service: f.E}}, {method: {service: f.F}}, {method: {service: f.G}}, {method: {service: f.H}}, {method: {service: f.I}}, {method: {service: f.J}}, {method: {service: f.K}}, {method: {service: f.L}}]\n  - matches: [{method: {service: g.A}}]\n",
        fires_at: &["spec.rules"],
    },
);

pub fn http(spec: &HttpRouteSpec, found: &mut Findings) {
    // A rule without matches is given one by the API server's default.
    let total = spec.rules.iter().map(|r| r.matches.len().max(1)).sum();
    check_total(total, found);
}

pub fn grpc(spec: &GrpcRouteSpec, found: &mut Findings) {
    let total = spec.rules.iter().map(|r| r.matches.len()).sum();
    check_total(total, found);
}

fn check_total(total: usize, found: &mut Findings) {
    if total > MAX_MATCHES {
        found.report(
            "spec.rules",
            format!(
                "{total} matches across all rules, more than the {MAX_MATCHES} a route may have"
            ),
        );
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
