//! Route backends: a Service backend names its port.

use super::super::Findings;
use super::api_server_rule;
use super::support::check_service_ports;
use crate::model::gateway_api::{
    GrpcRouteSpec, HttpRouteSpec, TcpRouteSpec, TlsRouteSpec, UdpRouteSpec,
};
use crate::report::{Example, Rule};

pub static RULE: Rule = api_server_rule(
    "gateway-api-service-port",
    super::ROUTE_KINDS,
    "A backendRef to a Service without a port.",
    "A Service has several ports, so a `backendRefs` entry of the core group and kind `Service` \
     (the defaults) must say which with `port`. Other kinds may leave it to their own meaning.",
    Example {
        yaml: "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: web\nspec:\n  rules:\n  - backendRefs:\n    - name: web\n",
        fires_at: &["spec.rules[0].backendRefs[0]"],
    },
);

/// Spells out one kind's check: its rules' backendRefs, as views.
macro_rules! service_ports {
    ($name:ident, $spec:ty) => {
        pub fn $name(spec: &$spec, found: &mut Findings) {
            let backends = spec.rules.iter().enumerate().flat_map(|(i, rule)| {
                rule.backend_refs.iter().enumerate().map(move |(j, b)| {
                    let path = format!("spec.rules[{i}].backendRefs[{j}]");
                    (path, &b.group, &b.kind, b.port.is_some())
                })
            });
            check_service_ports(backends, found);
        }
    };
}

service_ports!(http, HttpRouteSpec);
service_ports!(grpc, GrpcRouteSpec);
service_ports!(tcp, TcpRouteSpec);
service_ports!(tls, TlsRouteSpec);
service_ports!(udp, UdpRouteSpec);

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
