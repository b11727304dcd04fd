//! Gateway infrastructure: the labels and annotations handed to the
//! resources an implementation creates have Kubernetes key syntax.

use crate::model::StringMap;
use std::sync::LazyLock;

use regex::Regex;

use super::super::Findings;
use super::api_server_rule;
use crate::model::gateway_api::GatewaySpec;
use crate::report::{Example, Rule};

pub static RULE: Rule = api_server_rule(
    "gateway-api-gateway-infrastructure",
    &["Gateway"],
    "A Gateway infrastructure label or annotation key Kubernetes cannot hold.",
    "`spec.infrastructure.labels` and `annotations` are copied onto the resources the \
     implementation creates, so their keys follow Kubernetes' key syntax: an optional DNS \
     subdomain prefix (under 253 characters) and `/`, then a name of up to 63 letters, digits, \
     `-`, `_` and `.`, starting and ending with a letter or digit.",
    Example {
        yaml: "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: edge\nspec:\n  gatewayClassName: example\n  infrastructure:\n    labels: {\"-team\": edge}\n  listeners:\n  - {name: http, protocol: HTTP, port: 80}\n",
        fires_at: &["spec.infrastructure.labels"],
    },
);

static KEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$",
    )
    .expect("valid regex")
});

/// The longest key prefix (a DNS subdomain), exclusive.
const MAX_PREFIX: usize = 253;

pub fn check(spec: &GatewaySpec, found: &mut Findings) {
    let Some(infrastructure) = &spec.infrastructure else {
        return;
    };
    check_keys(&infrastructure.labels, "labels", found);
    check_keys(&infrastructure.annotations, "annotations", found);
}

fn check_keys(map: &StringMap, field: &str, found: &mut Findings) {
    let path = format!("spec.infrastructure.{field}");
    for key in map.keys() {
        if !KEY.is_match(key) {
            found.report(&path, format!("{key:?} is not a valid key: an optional DNS subdomain prefix and a name of up to 63 characters"));
        } else if key.split('/').next().unwrap_or_default().len() >= MAX_PREFIX {
            found.report(
                &path,
                format!("the prefix of {key:?} is {MAX_PREFIX} characters or more"),
            );
        }
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
