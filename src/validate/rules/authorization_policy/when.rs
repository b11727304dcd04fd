//! The `when` conditions of AuthorizationPolicy rules: known keys and the
//! values each key takes.

use super::super::{Findings, webhook_rule};
use super::KINDS;
use super::values::{
    not_empty, validate_ip, validate_port_value, validate_service_account, validate_wildcard_value,
};
use crate::model::istio::{AuthorizationPolicySpec, Condition};
use crate::report::{Example, Rule};

pub static RULE: Rule = webhook_rule(
    "authorizationpolicy-when",
    KINDS,
    "AuthorizationPolicy conditions with unknown keys or values Istio refuses.",
    "A `when` condition needs a `key` that Istio knows (`source.ip`, `remote.ip`, `source.namespace`, \
     `source.principal`, `source.serviceAccount`, `source.trustDomain`, `request.auth.principal`, \
     `request.auth.audiences`, `request.auth.presenter`, `destination.ip`, `destination.port`, \
     `connection.sni`, or a map key such as `request.headers[x-user]`, `request.auth.claims[iss]`, \
     `experimental.envoy.filters.<filter>[<key>]`) and at least one of `values` or `notValues`, none \
     of them empty. IP keys take IP addresses or CIDR blocks, `destination.port` takes port numbers, \
     `source.serviceAccount` takes `name` or `namespace/name`. `destination.labels`, \
     `destination.namespace`, `destination.name` and `destination.user` are no longer supported: \
     use the policy's selector or namespace instead. Istio's webhook refuses the rest.",
    Example {
        yaml: "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: allow-office\n  namespace: bookinfo\nspec:\n  rules:\n  - when:\n    - key: source.ip\n      values: [10.0.0.0/33]\n    - key: request.headers\n      values: [admin]\n    - key: destination.labels[app]\n      values: [reviews]\n    - key: destination.port\n",
        fires_at: &[
            "spec.rules[0].when[0].values[0]",
            "spec.rules[0].when[1].key",
            "spec.rules[0].when[2].key",
            "spec.rules[0].when[3]",
        ],
    },
);

pub fn check(spec: &AuthorizationPolicySpec, found: &mut Findings) {
    for (i, rule) in spec.rules.iter().enumerate() {
        for (k, condition) in rule.when.iter().enumerate() {
            check_condition(condition, &format!("spec.rules[{i}].when[{k}]"), found);
        }
    }
}

/// Istio bounds a list of service accounts (the CRD does so for
/// `source.serviceAccounts`; the webhook also for the condition's values).
const MAX_SERVICE_ACCOUNTS: usize = 16;

/// How the values of a known key are checked.
enum Values {
    Any,
    Ips,
    Ports,
    ServiceAccounts,
    Wildcards,
}

fn check_condition(condition: &Condition, path: &str, found: &mut Findings) {
    let key = condition.key.as_deref().unwrap_or_default();
    if key.is_empty() {
        found.report(format!("{path}.key"), "`key` must not be empty");
        return;
    }
    if condition.values.is_empty() && condition.not_values.is_empty() {
        found.report(
            path,
            format!("at least one of `values` or `notValues` must be set for key {key}"),
        );
        return;
    }
    let kind = match classify(key) {
        Ok(kind) => kind,
        Err(reason) => {
            found.report(format!("{path}.key"), reason);
            return;
        }
    };
    for (name, values) in [
        ("values", &condition.values),
        ("notValues", &condition.not_values),
    ] {
        if matches!(kind, Values::ServiceAccounts) && values.len() > MAX_SERVICE_ACCOUNTS {
            found.report(
                format!("{path}.{name}"),
                format!(
                    "invalid `{name}` for `key` {key}: may not have more than {MAX_SERVICE_ACCOUNTS} values"
                ),
            );
        }
        for (j, value) in values.iter().enumerate() {
            if let Err(reason) = check_value(&kind, value) {
                found.report(
                    format!("{path}.{name}[{j}]"),
                    format!("invalid `{name}` for `key` {key}: {reason}"),
                );
            }
        }
    }
}

/// Istio's attribute table: which keys exist and how their values are read.
fn classify(key: &str) -> Result<Values, String> {
    let map_key = |kind: Values| {
        if is_map_key(key) {
            Ok(kind)
        } else {
            Err(format!("bad key ({key}): should have format a[b]"))
        }
    };
    match key {
        "source.ip" | "remote.ip" | "destination.ip" => Ok(Values::Ips),
        "destination.port" => Ok(Values::Ports),
        "source.serviceAccount" => Ok(Values::ServiceAccounts),
        "source.trustDomain" => Ok(Values::Wildcards),
        "source.namespace"
        | "source.principal"
        | "request.auth.principal"
        | "request.auth.audiences"
        | "request.auth.presenter"
        | "connection.sni" => Ok(Values::Any),
        "destination.namespace" => Err(format!(
            "attribute {key} is replaced by the metadata.namespace"
        )),
        "destination.name" | "destination.user" => Err(format!(
            "deprecated attribute {key}: only supported in v1alpha1"
        )),
        _ if key.starts_with("request.headers")
            || key.starts_with("request.auth.claims")
            || key.starts_with("experimental.envoy.filters.") =>
        {
            map_key(Values::Any)
        }
        _ if key.starts_with("destination.labels") => Err(format!(
            "attribute {key} is replaced by the workload selector"
        )),
        _ => Err(format!("unknown attribute: {key}")),
    }
}

/// `name[entry]`: a name, then a non-empty bracketed entry ending the key.
fn is_map_key(key: &str) -> bool {
    match key.find('[') {
        Some(open) => key.ends_with(']') && open > 0 && open + 2 < key.len(),
        None => false,
    }
}

fn check_value(kind: &Values, value: &str) -> Result<(), String> {
    not_empty(value)?;
    match kind {
        Values::Any => Ok(()),
        Values::Ips => validate_ip(value),
        Values::Ports => validate_port_value(value),
        Values::ServiceAccounts => validate_service_account(value),
        Values::Wildcards => validate_wildcard_value(value),
    }
}

#[cfg(test)]
mod cases {
    use crate::validate::test_support::findings;

    fn policy(condition: &str) -> String {
        format!(
            "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {{name: p, namespace: ns}}\nspec:\n  rules:\n  - when:\n    - {condition}\n"
        )
    }

    #[test]
    fn accepts_known_keys() {
        for condition in [
            "{key: \"request.headers[User-Agent]\", values: [\"curl*\"]}",
            "{key: source.ip, values: [10.1.2.3, 10.1.0.0/16]}",
            "{key: remote.ip, notValues: [\"::1\"]}",
            "{key: destination.port, values: [\"0\", \"8080\"]}",
            "{key: source.serviceAccount, values: [default/sleep]}",
            "{key: source.serviceAccount, notValues: [sa1, sa2, sa3, sa4, sa5, sa6, sa7, sa8, sa9, sa10, sa11, sa12, sa13, sa14, sa15, sa16]}",
            "{key: source.trustDomain, values: [\"*.local\"]}",
            "{key: \"request.auth.claims[groups]\", values: [admin]}",
            "{key: \"experimental.envoy.filters.network.mysql_proxy[db.table]\", values: [\"[update]\"]}",
            "{key: connection.sni, values: [www.example.com]}",
            "{key: request.auth.audiences, values: [api]}",
        ] {
            assert_eq!(findings(&policy(condition)), "", "{condition}");
        }
    }

    #[test]
    fn refuses_bad_conditions() {
        for condition in [
            "{key: \"\", values: [a]}",
            "{key: source.ip}",
            "{key: source.ip, values: [\"\"]}",
            "{key: destination.port, notValues: [\"65536\"]}",
            "{key: \"request.headers[]\", values: [a]}",
            "{key: request.auth.claims, values: [a]}",
            "{key: destination.name, values: [a]}",
            "{key: destination.namespace, values: [a]}",
            "{key: source.serviceAccount, values: [\"a/b/c\"]}",
            "{key: source.trustDomain, values: [\"a*b\"]}",
            "{key: source.serviceAccount, values: [sa1, sa2, sa3, sa4, sa5, sa6, sa7, sa8, sa9, sa10, sa11, sa12, sa13, sa14, sa15, sa16, sa17]}",
            "{key: request.host, values: [a]}",
        ] {
            assert!(findings(&policy(condition)).contains("IST0"), "{condition}");
        }
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
