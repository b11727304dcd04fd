//! Route destinations and their weights, for HTTP, TCP and TLS routes.

use super::super::{Findings, webhook_rule};
use super::KINDS;
use super::support::check_destination;
use crate::model::istio::{Destination, VirtualServiceSpec};
use crate::report::{Example, Rule};

pub static RULE: Rule = webhook_rule(
    "virtualservice-destinations",
    KINDS,
    "Route destinations or weights Istio refuses.",
    "Each destination of an `http`, `tcp` or `tls` route names a host (a DNS name, optionally with a \
     leading wildcard label, but not `*` alone), an optional subset whose name is a DNS label, and an \
     optional port from 1 to 65535. Weights may not be negative, and a route with several destinations \
     needs at least one non-zero weight (weights need not add up to 100: Istio normalizes them). \
     Istio's webhook refuses the resource otherwise.",
    Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination:\n        host: \"*\"\n        subset: V_1\n      weight: -10\n    - destination:\n        host: reviews\n        port:\n          number: 0\n      weight: 20\n  tcp:\n  - route:\n    - destination:\n        host: mongo\n    - destination:\n        host: mongo-backup\n",
        fires_at: &[
            "spec.http[0].route[0].destination.host",
            "spec.http[0].route[0].destination.subset",
            "spec.http[0].route[0].weight",
            "spec.http[0].route[1].destination.port",
            "spec.tcp[0].route",
        ],
    },
);

pub fn check(spec: &VirtualServiceSpec, found: &mut Findings) {
    for (i, route) in spec.http.iter().enumerate() {
        let destinations = route
            .route
            .iter()
            .map(|r| (r.destination.as_ref(), r.weight));
        check_destinations(destinations, &format!("spec.http[{i}].route"), found);
    }
    for (i, route) in spec.tcp.iter().enumerate() {
        let destinations = route
            .route
            .iter()
            .map(|r| (r.destination.as_ref(), r.weight));
        check_destinations(destinations, &format!("spec.tcp[{i}].route"), found);
    }
    for (i, route) in spec.tls.iter().enumerate() {
        let destinations = route
            .route
            .iter()
            .map(|r| (r.destination.as_ref(), r.weight));
        check_destinations(destinations, &format!("spec.tls[{i}].route"), found);
    }
}

fn check_destinations<'a>(
    destinations: impl ExactSizeIterator<Item = (Option<&'a Destination>, Option<i32>)>,
    path: &str,
    found: &mut Findings,
) {
    let count = destinations.len();
    // Istio sums in 32 bits, wrapping; so do we.
    let mut total: i32 = 0;
    for (j, (destination, weight)) in destinations.enumerate() {
        if let Some(destination) = destination {
            check_destination(destination, &format!("{path}[{j}].destination"), found);
        }
        let weight = weight.unwrap_or_default();
        if weight < 0 {
            found.report(
                format!("{path}[{j}].weight"),
                format!("weight {weight} < 0"),
            );
        }
        total = total.wrapping_add(weight);
    }
    if count > 1 && total == 0 {
        found.report(path, "total destination weight = 0");
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);

#[cfg(test)]
mod cases {
    use crate::validate::test_support::findings_of;

    fn run(routes: &str) -> String {
        let yaml = format!(
            "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: r\nspec:\n  hosts: [r.example.com]\n{routes}"
        );
        findings_of(&super::RULE, &yaml)
    }

    #[test]
    fn valid_destinations_pass() {
        assert_eq!(
            run(
                "  http:\n  - route:\n    - destination: {host: \"*.example.com\", subset: v1, port: {number: 80}}\n      weight: 30\n    - destination: {host: r}\n"
            ),
            ""
        );
        assert_eq!(
            run(
                "  tls:\n  - match: [{sniHosts: [r.example.com]}]\n    route:\n    - destination: {host: r}\n"
            ),
            ""
        );
    }

    #[test]
    fn invalid_destinations_fail() {
        insta::assert_snapshot!(run(
            "  http:\n  - route:\n    - destination: {host: \"bad..host\", subset: \"\"}\n  tls:\n  - match: [{sniHosts: [r.example.com]}]\n    route:\n    - destination: {host: a}\n      weight: 0\n    - destination: {host: b}\n      weight: 0\n"
        ));
    }
}
