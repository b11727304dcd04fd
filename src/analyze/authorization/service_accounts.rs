//! AuthorizationPolicy sources naming a service account that does not exist
//! in a namespace whose service accounts the input shows.

use std::collections::{HashMap, HashSet};

use super::super::{Analyzer, Report};
use crate::model::istio::Source;
use crate::report::{Example, Level, Rule};
use crate::snapshot::Snapshot;

pub static RULE: Rule = Rule {
    code: "IST0101",
    name: "authorization-policy-service-account-not-found",
    level: Level::Error,
    summary: "An AuthorizationPolicy source names a service account its namespace does not have.",
    kinds: &["AuthorizationPolicy", "ServiceAccount", "Pod", "Deployment"],
    explanation: "`source.principals` (`cluster.local/ns/NS/sa/SA`) and `source.serviceAccounts` \
        (`NS/SA`, or `SA` in the policy's namespace) name the identities requests come from. When \
        the input has the ServiceAccounts of that namespace, a name that is none of them (nor \
        `default`, nor the `serviceAccountName` of a workload there) is usually a typo: an ALLOW \
        rule with it lets nothing through, a DENY rule blocks nothing. Namespaces whose \
        ServiceAccounts are not in the input are not checked.",
    example: Example {
        yaml: "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: checkout\n  namespace: shop\n---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: payments\n  namespace: payments\nspec:\n  rules:\n  - from:\n    - source:\n        principals: [\"cluster.local/ns/shop/sa/checkout\", \"cluster.local/ns/shop/sa/chekout\"]\n",
        fires_at: &["spec.rules[0].from[0].source.principals[1]"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "meshctl.AuthorizationServiceAccountAnalyzer",
    rules: &[&RULE],
    run,
};

fn run(snapshot: &Snapshot, report: &mut Report) {
    let known = known_service_accounts(snapshot);
    if known.is_empty() {
        return;
    }
    for (object, policy) in snapshot.authorization_policies() {
        let own_namespace = object.namespace.as_deref().unwrap_or_default();
        for (i, rule) in policy.rules.iter().enumerate() {
            for (j, from) in rule.from.iter().enumerate() {
                let Some(source) = &from.source else { continue };
                for (field, k, namespace, account) in named_accounts(source, own_namespace) {
                    let Some(accounts) = known.get(namespace) else {
                        continue;
                    };
                    if !accounts.contains(account) {
                        report.report_with_help(
                            &RULE,
                            object,
                            &format!("spec.rules[{i}].from[{j}].source.{field}[{k}]"),
                            format!("Referenced service account not found: {account:?} in namespace {namespace:?}, whose ServiceAccounts are in the input"),
                            "check the service account name, or add its ServiceAccount",
                        );
                    }
                }
            }
        }
    }
}

/// Service accounts by namespace, for the namespaces with ServiceAccount
/// objects in the input: those, `default`, and the ones workloads run as.
fn known_service_accounts(snapshot: &Snapshot) -> HashMap<&str, HashSet<&str>> {
    let mut known: HashMap<&str, HashSet<&str>> = HashMap::new();
    for object in snapshot.of_kind("ServiceAccount") {
        let namespace = object.namespace.as_deref().unwrap_or_default();
        known
            .entry(namespace)
            .or_insert_with(|| HashSet::from(["default"]))
            .insert(&object.name);
    }
    for workload in snapshot.workloads() {
        let Some(accounts) = known.get_mut(workload.namespace.as_str()) else {
            continue;
        };
        let object = snapshot.workload_object(workload);
        if let Some((_, pod)) = workload.pod(object) {
            accounts.extend(pod.service_account_name.as_deref());
        }
    }
    known
}

/// `(field, index, namespace, account)` for every exact service account a
/// source names (patterns with `*` are not names).
fn named_accounts<'a>(
    source: &'a Source,
    own_namespace: &'a str,
) -> impl Iterator<Item = (&'static str, usize, &'a str, &'a str)> {
    let principals = [
        ("principals", &source.principals),
        ("notPrincipals", &source.not_principals),
    ]
    .into_iter()
    .flat_map(|(field, list)| {
        list.iter().enumerate().filter_map(move |(k, principal)| {
            let (namespace, account) = parse_principal(principal)?;
            Some((field, k, namespace, account))
        })
    });
    let accounts = [
        ("serviceAccounts", &source.service_accounts),
        ("notServiceAccounts", &source.not_service_accounts),
    ]
    .into_iter()
    .flat_map(move |(field, list)| {
        list.iter()
            .enumerate()
            .map(move |(k, name)| match name.split_once('/') {
                Some((namespace, account)) => (field, k, namespace, account),
                None => (field, k, own_namespace, name.as_str()),
            })
    });
    principals.chain(accounts)
}

/// `TRUST_DOMAIN/ns/NS/sa/SA`, without wildcards.
fn parse_principal(principal: &str) -> Option<(&str, &str)> {
    if principal.contains('*') {
        return None;
    }
    let (_, rest) = principal.split_once("/ns/")?;
    let (namespace, account) = rest.split_once("/sa/")?;
    (!namespace.contains('/') && !account.contains('/')).then_some((namespace, account))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::analyzer_tests;

    analyzer_tests!(
        RULE,
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: checkout\n  namespace: shop\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: cart\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: cart}\n  template:\n    metadata:\n      labels: {app: cart}\n    spec:\n      serviceAccountName: cart\n      containers:\n      - name: cart\n        image: cart\n---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: payments\n  namespace: payments\nspec:\n  rules:\n  - from:\n    - source:\n        principals: [\"cluster.local/ns/shop/sa/checkout\", \"cluster.local/ns/shop/sa/default\", \"cluster.local/ns/shop/sa/cart\", \"cluster.local/ns/other/sa/anything\", \"cluster.local/ns/shop/sa/*\"]\n  - from:\n    - source:\n        serviceAccounts: [\"shop/checkout\", \"local\"]\n"
    );

    #[test]
    fn principals_parse_only_when_exact() {
        assert_eq!(
            parse_principal("cluster.local/ns/shop/sa/web"),
            Some(("shop", "web"))
        );
        assert_eq!(parse_principal("td/ns/shop/sa/*"), None);
        assert_eq!(parse_principal("spiffe-ish"), None);
    }
}
