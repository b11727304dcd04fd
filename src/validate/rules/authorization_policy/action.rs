//! An AuthorizationPolicy's action: CUSTOM needs a provider and supports
//! fewer matches, DENY and CUSTOM need rules, and a DENY rule made only of
//! HTTP attributes also denies TCP traffic (a warning).

use super::super::{Findings, webhook_rule};
use super::KINDS;
use crate::model::istio::{Action, AuthorizationPolicySpec, Rule as PolicyRule, Source};
use crate::report::{Example, Rule};

pub static RULE: Rule = webhook_rule(
    "authorizationpolicy-action",
    KINDS,
    "AuthorizationPolicy action and provider combinations that Istio refuses.",
    "`provider` is only meaningful with `action: CUSTOM`, and a CUSTOM policy needs `provider.name`. \
     A DENY or CUSTOM policy without `rules` never matches anything, so Istio refuses it: add an empty \
     rule `{}` to match every request. CUSTOM rules cannot match on identities (namespaces, service \
     accounts, trust domains, principals, request principals, nor the matching `when` keys). A DENY \
     rule that uses only HTTP attributes (paths, methods, request principals...) and no port or \
     TCP-level source denies all traffic to TCP ports in its scope; Istio warns about it: add `ports`.",
    Example {
        yaml: "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: ext-authz\n  namespace: bookinfo\nspec:\n  action: CUSTOM\n  rules:\n  - from:\n    - source:\n        namespaces: [frontend]\n---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: deny-admin\n  namespace: bookinfo\nspec:\n  action: DENY\n  rules:\n  - to:\n    - operation:\n        paths: [/admin]\n",
        fires_at: &["spec", "spec.rules[0].from[0].source.namespaces"],
    },
);

pub fn check(spec: &AuthorizationPolicySpec, found: &mut Findings) {
    let action = spec.action.unwrap_or(Action::Allow);
    let provider = spec.provider.as_ref();
    match action {
        Action::Custom => check_custom(spec, found),
        _ if provider.is_some() => found.report(
            "spec.provider",
            format!(
                "`provider` must not be with non CUSTOM action, found {}",
                action_name(action)
            ),
        ),
        _ => {}
    }
    if action == Action::Deny {
        if spec.rules.is_empty() {
            found.report("spec.action", format!("DENY action {WITHOUT_RULES}"));
        }
        for (i, rule) in spec.rules.iter().enumerate() {
            if http_only(rule) {
                found.warn(
                    format!("spec.rules[{i}]"),
                    "configured AuthorizationPolicy will deny all traffic to TCP ports under its scope \
                     due to the use of only HTTP attributes in a DENY rule; it is recommended to \
                     explicitly specify the port",
                );
            }
        }
    }
}

const WITHOUT_RULES: &str = "without `rules` is meaningless as it will never be triggered, add an empty rule `{}` if you want it be triggered for every request";

fn action_name(action: Action) -> &'static str {
    match action {
        Action::Allow => "ALLOW",
        Action::Deny => "DENY",
        Action::Audit => "AUDIT",
        Action::Custom => "CUSTOM",
    }
}

fn check_custom(spec: &AuthorizationPolicySpec, found: &mut Findings) {
    if spec.rules.is_empty() {
        found.report("spec.action", format!("CUSTOM action {WITHOUT_RULES}"));
    } else {
        match &spec.provider {
            None => found.report("spec", "`provider.name` must not be empty"),
            Some(p) if p.name.as_deref().unwrap_or_default().is_empty() => {
                found.report("spec.provider", "`provider.name` must not be empty")
            }
            Some(_) => {}
        }
    }
    for (i, rule) in spec.rules.iter().enumerate() {
        for (j, from) in rule.from.iter().enumerate() {
            if let Some(source) = &from.source {
                for field in identity_fields(source) {
                    found.report(
                        format!("spec.rules[{i}].from[{j}].source.{field}"),
                        format!("from.{field} is currently not supported with CUSTOM action"),
                    );
                }
            }
        }
        for (k, condition) in rule.when.iter().enumerate() {
            let key = condition.key.as_deref().unwrap_or_default();
            let identity = matches!(
                key,
                "source.namespace"
                    | "source.serviceAccount"
                    | "source.trustDomain"
                    | "source.principal"
            ) || key.starts_with("request.auth.");
            if identity {
                found.report(
                    format!("spec.rules[{i}].when[{k}].key"),
                    format!("{key} is currently not supported with CUSTOM action"),
                );
            }
        }
    }
}

/// The identity fields of a source that are set (CUSTOM cannot use them).
fn identity_fields(source: &Source) -> Vec<&'static str> {
    [
        ("namespaces", &source.namespaces),
        ("notNamespaces", &source.not_namespaces),
        ("serviceAccounts", &source.service_accounts),
        ("notServiceAccounts", &source.not_service_accounts),
        ("trustDomains", &source.trust_domains),
        ("notTrustDomains", &source.not_trust_domains),
        ("principals", &source.principals),
        ("notPrincipals", &source.not_principals),
        ("requestPrincipals", &source.request_principals),
        ("notRequestPrincipals", &source.not_request_principals),
    ]
    .into_iter()
    .filter(|(_, values)| !values.is_empty())
    .map(|(name, _)| name)
    .collect()
}

/// Istio's test for a DENY rule that would also deny TCP traffic: it has a
/// source or operation, but none of the fields a TCP connection carries.
fn http_only(rule: &PolicyRule) -> bool {
    let sources: Vec<&Source> = rule.from.iter().filter_map(|f| f.source.as_ref()).collect();
    let operations: Vec<_> = rule
        .to
        .iter()
        .filter_map(|t| t.operation.as_ref())
        .collect();
    let tcp_in_from = sources.iter().any(|s| {
        [
            &s.principals,
            &s.not_principals,
            &s.ip_blocks,
            &s.not_ip_blocks,
            &s.namespaces,
            &s.not_namespaces,
            &s.remote_ip_blocks,
            &s.not_remote_ip_blocks,
            &s.service_accounts,
            &s.not_service_accounts,
        ]
        .iter()
        .any(|values| !values.is_empty())
    });
    let tcp_in_to = operations
        .iter()
        .any(|o| !o.ports.is_empty() || !o.not_ports.is_empty());
    let from_exists = !sources.is_empty();
    let to_exists = !operations.is_empty();
    (from_exists && !to_exists && !tcp_in_from) || (to_exists && !tcp_in_to)
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
