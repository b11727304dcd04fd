//! Traffic mirroring: `mirror`, `mirrors` and the mirrored percentage.

use super::super::{Findings, webhook_rule};
use super::KINDS;
use super::support::check_destination;
use crate::model::istio::{HttpRoute, Percent, VirtualServiceSpec};
use crate::report::{Example, Rule};

pub static RULE: Rule = webhook_rule(
    "virtualservice-mirror",
    KINDS,
    "Traffic mirroring settings Istio refuses.",
    "A route mirrors with either `mirror` (one destination) or `mirrors` (a list), not both (Istio does \
     not check this on a route that delegates). Mirror \
     destinations follow the rules of route destinations (a host that is not `*`, a DNS-label subset, \
     a port from 1 to 65535). `mirrorPercentage.value` and each `mirrors[].percentage.value` lie between \
     0 and 100. The deprecated `mirrorPercent` may not exceed 100 and draws a warning: use \
     `mirrorPercentage`. Istio's webhook refuses the resource otherwise.",
    Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination:\n        host: reviews\n    mirror:\n      host: reviews-shadow\n    mirrors:\n    - destination:\n        host: \"*\"\n      percentage:\n        value: 120\n    mirrorPercentage:\n      value: -1\n",
        fires_at: &[
            "spec.http[0].mirrors",
            "spec.http[0].mirrors[0].destination.host",
            "spec.http[0].mirrors[0].percentage.value",
            "spec.http[0].mirrorPercentage.value",
        ],
    },
);

pub fn check(spec: &VirtualServiceSpec, found: &mut Findings) {
    let in_delegate = spec.hosts.is_empty();
    for (i, route) in spec.http.iter().enumerate() {
        let path = format!("spec.http[{i}]");
        // Istio checks the conflicts of a root route (one that delegates)
        // only against `route` and `redirect`.
        let root_route = route.delegate.is_some() && !in_delegate;
        if !root_route && route.mirror.is_some() && !route.mirrors.is_empty() {
            found.report(
                format!("{path}.mirrors"),
                "HTTP route cannot contain both mirror and mirrors",
            );
        }
        check_mirror_percent(route, &path, found);
        if let Some(percentage) = &route.mirror_percentage {
            check_percentage(
                percentage,
                &format!("{path}.mirrorPercentage"),
                "mirror_percentage",
                found,
            );
        }
        if let Some(mirror) = &route.mirror {
            check_destination(mirror, &format!("{path}.mirror"), found);
        }
        for (j, policy) in route.mirrors.iter().enumerate() {
            let at = format!("{path}.mirrors[{j}]");
            if let Some(destination) = &policy.destination {
                check_destination(destination, &format!("{at}.destination"), found);
            }
            if let Some(percentage) = &policy.percentage {
                check_percentage(
                    percentage,
                    &format!("{at}.percentage"),
                    "mirror percentage",
                    found,
                );
            }
        }
    }
}

/// The deprecated integer percentage, spelt `mirrorPercent` or `mirror_percent`.
fn check_mirror_percent(route: &HttpRoute, path: &str, found: &mut Findings) {
    let spellings = [
        (route.mirror_percent, "mirrorPercent"),
        (route.mirror_percent_legacy, "mirror_percent"),
    ];
    for (value, field) in spellings {
        let Some(value) = value else {
            continue;
        };
        let at = format!("{path}.{field}");
        if value > 100 {
            found.report(
                &at,
                format!("mirror_percent must have a max value of 100 (it has {value})"),
            );
        }
        found.warn(
            at,
            "using deprecated setting \"mirrorPercent\", use \"mirrorPercentage\" instead",
        );
    }
}

fn check_percentage(percentage: &Percent, path: &str, what: &str, found: &mut Findings) {
    let value = percentage.value.unwrap_or_default();
    let at = format!("{path}.value");
    if value > 100.0 {
        found.report(
            at,
            format!("{what} must have a max value of 100 (it has {value})"),
        );
    } else if value < 0.0 {
        found.report(
            at,
            format!("{what} must have a min value of 0 (it has {value})"),
        );
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);

#[cfg(test)]
mod cases {
    fn run(extra: &str) -> String {
        super::super::route_findings(&super::RULE, extra)
    }

    #[test]
    fn valid_mirrors_pass() {
        assert_eq!(
            run(
                "    mirrors:\n    - destination: {host: a, subset: v1}\n      percentage: {value: 100}\n    - destination: {host: b, port: {number: 8080}}\n"
            ),
            ""
        );
        assert_eq!(
            run("    mirror: {host: a}\n    mirrorPercentage: {value: 0}\n"),
            ""
        );
    }

    #[test]
    fn invalid_mirrors_fail() {
        insta::assert_snapshot!(run(
            "    mirror: {host: \"a b\", subset: x_y}\n    mirrorPercent: 150\n    mirror_percent: 50\n"
        ));
    }
}
