//! Route parentRefs: several references to one parent each name a
//! different section.

use super::super::Findings;
use super::api_server_rule;
use super::support::check_parent_refs;
use crate::model::gateway_api::{
    GrpcRouteSpec, HttpRouteSpec, TcpRouteSpec, TlsRouteSpec, UdpRouteSpec,
};
use crate::report::{Example, Rule};

pub static RULE: Rule = api_server_rule(
    "gateway-api-parent-refs",
    super::ROUTE_KINDS,
    "A route that attaches to one parent twice without telling the sections apart.",
    "A route may list one parent (the same group, kind, name and namespace, after defaults: \
     group `gateway.networking.k8s.io`, kind `Gateway`, the route's namespace) more than once \
     only to attach to several of its sections: then every such reference names a `sectionName`, \
     and no two name the same one.",
    Example {
        yaml: "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: web\nspec:\n  parentRefs:\n  - {name: edge, sectionName: http}\n  - {name: edge}\n  - {name: edge, sectionName: http}\n",
        fires_at: &["spec.parentRefs[1]", "spec.parentRefs[2]"],
    },
);

pub fn http(spec: &HttpRouteSpec, found: &mut Findings) {
    check_parent_refs(&spec.parent_refs, found);
}

pub fn grpc(spec: &GrpcRouteSpec, found: &mut Findings) {
    check_parent_refs(&spec.parent_refs, found);
}

pub fn tcp(spec: &TcpRouteSpec, found: &mut Findings) {
    check_parent_refs(&spec.parent_refs, found);
}

pub fn tls(spec: &TlsRouteSpec, found: &mut Findings) {
    check_parent_refs(&spec.parent_refs, found);
}

pub fn udp(spec: &UdpRouteSpec, found: &mut Findings) {
    check_parent_refs(&spec.parent_refs, found);
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
