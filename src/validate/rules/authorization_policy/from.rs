//! The `from` sources of AuthorizationPolicy rules.

use super::super::{Findings, webhook_rule};
use super::KINDS;
use super::values::{
    ValueCheck, check_values, not_empty, validate_ip, validate_service_account,
    validate_trust_domain,
};
use crate::model::istio::{AuthorizationPolicySpec, Source};
use crate::report::{Example, Rule};

pub static RULE: Rule = webhook_rule(
    "authorizationpolicy-from",
    KINDS,
    "AuthorizationPolicy rule sources that Istio refuses.",
    "Each `from` entry needs a non-empty `source`. Values may not be empty strings. `ipBlocks` and \
     `remoteIpBlocks` (and their `not` forms) take IP addresses or CIDR blocks. `serviceAccounts` \
     take `name` or `namespace/name` without wildcards, and cannot be combined with `namespaces` or \
     `principals` in the same source. `trustDomains` allow one `*` at the start or end and no `/`. \
     Istio's webhook and the CRD's CEL rules refuse the rest.",
    Example {
        yaml: "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: allow-frontend\n  namespace: bookinfo\nspec:\n  rules:\n  - from:\n    - source:\n        ipBlocks: [10.0.0.0/33]\n        namespaces: [frontend]\n        serviceAccounts: [frontend/*]\n    - {}\n",
        fires_at: &[
            "spec.rules[0].from[0].source",
            "spec.rules[0].from[0].source.ipBlocks[0]",
            "spec.rules[0].from[0].source.serviceAccounts[0]",
            "spec.rules[0].from[1]",
        ],
    },
);

pub fn check(spec: &AuthorizationPolicySpec, found: &mut Findings) {
    for (i, rule) in spec.rules.iter().enumerate() {
        for (j, from) in rule.from.iter().enumerate() {
            let path = format!("spec.rules[{i}].from[{j}]");
            match &from.source {
                Some(source) => check_source(source, &format!("{path}.source"), found),
                None => found.report(
                    path,
                    format!("`from.source` must not be nil, found at rule {i}"),
                ),
            }
        }
    }
}

fn check_source(source: &Source, path: &str, found: &mut Findings) {
    let fields: [(&str, &Vec<String>, ValueCheck); 14] = [
        ("principals", &source.principals, not_empty),
        ("notPrincipals", &source.not_principals, not_empty),
        ("requestPrincipals", &source.request_principals, not_empty),
        (
            "notRequestPrincipals",
            &source.not_request_principals,
            not_empty,
        ),
        ("namespaces", &source.namespaces, not_empty),
        ("notNamespaces", &source.not_namespaces, not_empty),
        ("ipBlocks", &source.ip_blocks, ip),
        ("notIpBlocks", &source.not_ip_blocks, ip),
        ("remoteIpBlocks", &source.remote_ip_blocks, ip),
        ("notRemoteIpBlocks", &source.not_remote_ip_blocks, ip),
        (
            "serviceAccounts",
            &source.service_accounts,
            validate_service_account,
        ),
        (
            "notServiceAccounts",
            &source.not_service_accounts,
            validate_service_account,
        ),
        ("trustDomains", &source.trust_domains, validate_trust_domain),
        (
            "notTrustDomains",
            &source.not_trust_domains,
            validate_trust_domain,
        ),
    ];
    if fields.iter().all(|(_, values, _)| values.is_empty()) {
        found.report(path, "`from.source` must not be empty");
        return;
    }
    let identities = [
        &source.principals,
        &source.not_principals,
        &source.namespaces,
        &source.not_namespaces,
    ];
    let accounts = [&source.service_accounts, &source.not_service_accounts];
    if identities.iter().any(|v| !v.is_empty()) && accounts.iter().any(|v| !v.is_empty()) {
        found.report(
            path,
            "cannot set serviceAccounts with namespaces or principals",
        );
    }
    check_values(&fields, path, found);
}

fn ip(value: &str) -> Result<(), String> {
    not_empty(value)?;
    validate_ip(value)
}

#[cfg(test)]
mod cases {
    use crate::validate::test_support::findings;

    fn policy(source: &str) -> String {
        format!(
            "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {{name: p, namespace: ns}}\nspec:\n  rules:\n  - from:\n    - source: {source}\n"
        )
    }

    #[test]
    fn accepts_good_sources() {
        for source in [
            "{ipBlocks: [10.0.0.1, 10.0.0.0/16, \"2001:db8::/32\"]}",
            "{notRemoteIpBlocks: [192.168.0.0/24]}",
            "{serviceAccounts: [sleep, other/sleep]}",
            "{trustDomains: [\"*.local\", cluster.local], notTrustDomains: [\"*\"]}",
            "{requestPrincipals: [\"*\"], notNamespaces: [kube-system]}",
        ] {
            assert_eq!(findings(&policy(source)), "", "{source}");
        }
    }

    #[test]
    fn refuses_bad_sources() {
        for source in [
            "{ipBlocks: [\"\"]}",
            "{remoteIpBlocks: [1.2.3]}",
            "{notIpBlocks: [10.0.0.0/08]}",
            "{serviceAccounts: [a/b/c]}",
            "{notServiceAccounts: [/sa]}",
            "{trustDomains: [a*b]}",
            "{principals: [\"\"]}",
            "{notServiceAccounts: [sa], principals: [p]}",
            "{}",
        ] {
            assert!(findings(&policy(source)).contains("IST0"), "{source}");
        }
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
