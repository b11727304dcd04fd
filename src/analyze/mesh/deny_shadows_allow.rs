//! ALLOW rules that a DENY policy on the same (or a wider) set of workloads
//! always wins over: Istio evaluates DENY before ALLOW, so every request the
//! ALLOW rule was written for is denied.

use crate::model::StringMap;
use std::collections::HashMap;

use super::super::{Analyzer, Report};
use crate::mesh::selector::selects;
use crate::model::Object;
use crate::model::istio::{
    Action, AuthorizationPolicySpec, Condition, Operation, Rule as AuthzRule, Source,
};
use crate::report::{Example, Level, Rule};
use crate::snapshot::Snapshot;

pub static RULE: Rule = Rule {
    code: "MSH3004",
    name: "allow-shadowed-by-deny",
    level: Level::Warning,
    summary: "An ALLOW rule whose every request a DENY policy on the same workloads denies first.",
    kinds: &["AuthorizationPolicy"],
    explanation: "Istio evaluates CUSTOM, then DENY, then ALLOW policies. When a DENY rule matches \
        every request an ALLOW rule matches (its conditions are the same or looser: no `from`, a \
        wider path prefix, `*`, ...) and the DENY policy applies to at least the workloads of the \
        ALLOW policy (mesh-wide in the root namespace, namespace-wide, or a selector with fewer \
        labels), the ALLOW rule never lets anything through. Narrow the DENY rule (for example \
        with `notPrincipals` or `notPaths`) or remove the ALLOW rule.",
    example: Example {
        yaml: "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: deny-admin\nspec:\n  action: DENY\n  rules:\n  - to:\n    - operation:\n        paths: [\"/admin*\"]\n---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: ops-admin\nspec:\n  selector:\n    matchLabels:\n      app: console\n  action: ALLOW\n  rules:\n  - from:\n    - source:\n        principals: [\"cluster.local/ns/ops/sa/admin\"]\n    to:\n    - operation:\n        paths: [\"/admin/users\"]\n",
        fires_at: &["spec.rules[0]"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "meshctl.DenyShadowsAllowAnalyzer",
    rules: &[&RULE],
    run,
};

/// A DENY policy and the workloads it applies to.
struct Deny<'a> {
    /// Its place in input order: the first shadowing policy is reported.
    order: usize,
    object: &'a Object,
    spec: &'a AuthorizationPolicySpec,
    /// `None`: every workload of its scope.
    selector: Option<&'a StringMap>,
}

/// The DENY policies by namespace and selector, so that an ALLOW policy
/// looks up those that can apply to its workloads instead of scanning every
/// DENY policy of its namespace.
#[derive(Default)]
struct DenyIndex<'a> {
    /// Policies without a selector (or with an empty one), by namespace.
    unselective: HashMap<&'a str, Vec<Deny<'a>>>,
    /// Policies with a selector, by namespace and the selector's first
    /// label: a selector can only pick a superset of another's workloads
    /// when each of its labels, the first included, is in the other.
    by_label: HashMap<(&'a str, &'a str, &'a str), Vec<Deny<'a>>>,
}

impl<'a> DenyIndex<'a> {
    fn build(snapshot: &'a Snapshot) -> Self {
        let mut index = DenyIndex::default();
        let denies = snapshot
            .authorization_policies()
            .filter(|(_, spec)| spec.action == Some(Action::Deny) && !targets_refs(spec));
        for (order, (object, spec)) in denies.enumerate() {
            let namespace = object.namespace.as_deref().unwrap_or_default();
            let selector = spec.selector.as_ref().map(|s| &s.match_labels);
            let deny = Deny {
                order,
                object,
                spec,
                selector,
            };
            match selector.and_then(|s| s.iter().next()) {
                Some((key, value)) => index
                    .by_label
                    .entry((namespace, key, value))
                    .or_default()
                    .push(deny),
                None => index.unselective.entry(namespace).or_default().push(deny),
            }
        }
        index
    }

    /// The DENY policies of `namespace` that apply to at least the
    /// workloads `selector` picks, in input order.
    fn in_scope(&self, namespace: &'a str, selector: Option<&'a StringMap>) -> Vec<&Deny<'a>> {
        let labelled = selector.into_iter().flatten().flat_map(|(key, value)| {
            self.by_label
                .get(&(namespace, key.as_str(), value.as_str()))
                .into_iter()
                .flatten()
        });
        let mut found: Vec<&Deny> = self
            .unselective
            .get(namespace)
            .into_iter()
            .flatten()
            .chain(labelled)
            .filter(|deny| selects_superset(deny.selector, selector))
            .collect();
        found.sort_unstable_by_key(|deny| deny.order);
        found
    }
}

fn run(snapshot: &Snapshot, report: &mut Report) {
    let root = snapshot.mesh.root_namespace.as_str();
    let denies = DenyIndex::build(snapshot);
    for (object, spec) in snapshot.authorization_policies() {
        if !matches!(spec.action, None | Some(Action::Allow)) || targets_refs(spec) {
            continue;
        }
        let namespace = object.namespace.as_deref().unwrap_or_default();
        let selector = spec.selector.as_ref().map(|s| &s.match_labels);
        // DENY policies of the same namespace, then the mesh-wide ones of
        // the root namespace, that apply to at least these workloads.
        let mut in_scope = denies.in_scope(namespace, selector);
        if namespace != root {
            in_scope.extend(denies.in_scope(root, selector));
        }
        for (i, allow_rule) in spec.rules.iter().enumerate() {
            let shadow = in_scope.iter().find_map(|deny| {
                deny.spec
                    .rules
                    .iter()
                    .position(|deny_rule| rule_covers(deny_rule, allow_rule))
                    .map(|j| (deny, j))
            });
            if let Some((deny, j)) = shadow {
                let name = format!(
                    "{}/{}",
                    deny.object.namespace.as_deref().unwrap_or_default(),
                    deny.object.name
                );
                report.report_with_help(
                    &RULE,
                    object,
                    &format!("spec.rules[{i}]"),
                    format!("every request this ALLOW rule matches is denied first by rule {j} of DENY policy {name}"),
                    "narrow the DENY rule (notPrincipals, notPaths, ...) or remove this rule",
                );
            }
        }
    }
}

fn targets_refs(spec: &AuthorizationPolicySpec) -> bool {
    spec.target_ref.is_some() || !spec.target_refs.is_empty()
}

/// Whether the DENY selector picks at least the workloads the ALLOW one
/// does: no selector, or a subset of the ALLOW selector's labels.
fn selects_superset(deny: Option<&StringMap>, allow: Option<&StringMap>) -> bool {
    match (deny, allow) {
        (None, _) => true,
        (Some(d), _) if d.is_empty() => true,
        (Some(_), None) => false,
        (Some(d), Some(a)) => selects(d, a),
    }
}

/// Whether every request `allow` matches, `deny` matches too.
fn rule_covers(deny: &AuthzRule, allow: &AuthzRule) -> bool {
    let from = deny.from.is_empty()
        || (!allow.from.is_empty()
            && allow.from.iter().all(|a| {
                deny.from.iter().any(|d| match (&d.source, &a.source) {
                    (None, _) => true,
                    (Some(d), Some(a)) => source_covers(d, a),
                    (Some(_), None) => false,
                })
            }));
    let to = deny.to.is_empty()
        || (!allow.to.is_empty()
            && allow.to.iter().all(|a| {
                deny.to.iter().any(|d| match (&d.operation, &a.operation) {
                    (None, _) => true,
                    (Some(d), Some(a)) => operation_covers(d, a),
                    (Some(_), None) => false,
                })
            }));
    from && to
        && deny
            .when
            .iter()
            .all(|c| allow.when.iter().any(|a| same_condition(c, a)))
}

fn same_condition(a: &Condition, b: &Condition) -> bool {
    a.key == b.key && a.values == b.values && a.not_values == b.not_values
}

/// A field the DENY side constrains must be constrained on the ALLOW side
/// to values it covers; `not*` fields on the DENY side are not reasoned
/// about (the rule then does not count as covering).
fn values_cover(deny: &[String], allow: &[String]) -> bool {
    deny.is_empty()
        || (!allow.is_empty()
            && allow
                .iter()
                .all(|a| deny.iter().any(|d| pattern_covers(d, a))))
}

/// Whether Istio's value pattern `deny` matches every string `allow` does.
fn pattern_covers(deny: &str, allow: &str) -> bool {
    if deny == "*" || deny == allow {
        return true;
    }
    if allow == "*" {
        return false;
    }
    if let Some(prefix) = deny.strip_suffix('*') {
        // `allow` is exact or a prefix pattern itself; either way every
        // string it matches starts with its own literal start.
        return allow.trim_end_matches('*').starts_with(prefix);
    }
    if let Some(suffix) = deny.strip_prefix('*') {
        return allow.trim_start_matches('*').ends_with(suffix) && !allow.ends_with('*');
    }
    false
}

fn source_covers(deny: &Source, allow: &Source) -> bool {
    let no_negations = deny.not_principals.is_empty()
        && deny.not_request_principals.is_empty()
        && deny.not_namespaces.is_empty()
        && deny.not_ip_blocks.is_empty()
        && deny.not_remote_ip_blocks.is_empty()
        && deny.not_service_accounts.is_empty()
        && deny.not_trust_domains.is_empty();
    no_negations
        && values_cover(&deny.principals, &allow.principals)
        && values_cover(&deny.request_principals, &allow.request_principals)
        && values_cover(&deny.namespaces, &allow.namespaces)
        && values_cover(&deny.service_accounts, &allow.service_accounts)
        && values_cover(&deny.trust_domains, &allow.trust_domains)
        && exact_cover(&deny.ip_blocks, &allow.ip_blocks)
        && exact_cover(&deny.remote_ip_blocks, &allow.remote_ip_blocks)
}

fn operation_covers(deny: &Operation, allow: &Operation) -> bool {
    let no_negations = deny.not_hosts.is_empty()
        && deny.not_methods.is_empty()
        && deny.not_paths.is_empty()
        && deny.not_ports.is_empty();
    no_negations
        && values_cover(&deny.hosts, &allow.hosts)
        && values_cover(&deny.paths, &allow.paths)
        && exact_cover(&deny.methods, &allow.methods)
        && exact_cover(&deny.ports, &allow.ports)
}

/// For fields without patterns (methods, ports, CIDRs): the same values.
fn exact_cover(deny: &[String], allow: &[String]) -> bool {
    deny.is_empty() || (!allow.is_empty() && allow.iter().all(|a| deny.contains(a)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::analyzer_tests;

    analyzer_tests!(
        RULE,
        "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: deny-admin\nspec:\n  selector:\n    matchLabels:\n      app: console\n      tier: web\n  action: DENY\n  rules:\n  - from:\n    - source:\n        notNamespaces: [ops]\n    to:\n    - operation:\n        paths: [\"/admin*\"]\n---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: ops-admin\nspec:\n  selector:\n    matchLabels:\n      app: console\n  action: ALLOW\n  rules:\n  - to:\n    - operation:\n        paths: [\"/admin/users\"]\n  - to:\n    - operation:\n        paths: [\"/public*\"]\n"
    );

    #[test]
    fn patterns_cover_as_istio_matches() {
        assert!(pattern_covers("/admin*", "/admin/users"));
        assert!(pattern_covers("/admin*", "/admin/x*"));
        assert!(!pattern_covers("/admin/x*", "/admin*"));
        assert!(pattern_covers("*.example.com", "api.example.com"));
        assert!(!pattern_covers("*.example.com", "api.example.*"));
        assert!(pattern_covers("*", "anything"));
        assert!(!pattern_covers("/a", "*"));
    }

    /// DENY policies are looked up by selector label: only those whose
    /// every label the ALLOW selector has apply, the namespace's before the
    /// root namespace's.
    #[test]
    fn deny_policies_apply_by_selector_namespace_first() {
        let policy = |name: &str, namespace: &str, labels: &str, action: &str, paths: &str| {
            format!(
                "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {{name: {name}, namespace: {namespace}}}\nspec:\n  selector: {{matchLabels: {labels}}}\n  action: {action}\n  rules:\n{paths}"
            )
        };
        let to = |path: &str| format!("  - to: [{{operation: {{paths: [\"{path}\"]}}}}]\n");
        let yaml = [
            policy("mesh", "istio-system", "{app: console}", "DENY", &to("*")),
            policy("zone", "shop", "{zone: eu}", "DENY", &to("*")),
            policy("admin", "shop", "{tier: web}", "DENY", &to("/admin*")),
            policy(
                "console",
                "shop",
                "{app: console, tier: web}",
                "ALLOW",
                &(to("/admin/users") + &to("/public")),
            ),
            policy("console", "other", "{tier: web}", "ALLOW", &to("/x")),
        ]
        .join("---\n");
        let found = crate::analyze::test_support::findings_of(&RULE, &yaml);
        let lines: Vec<&str> = found.lines().collect();
        assert_eq!(lines.len(), 2, "{found}");
        assert!(lines[0].contains("rules[0]: every request this ALLOW rule matches is denied first by rule 0 of DENY policy shop/admin"), "{found}");
        assert!(lines[1].contains("rules[1]: every request this ALLOW rule matches is denied first by rule 0 of DENY policy istio-system/mesh"), "{found}");
    }

    #[test]
    fn an_empty_deny_rule_shadows_everything_in_its_namespace() {
        let yaml = "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: deny-all\n  namespace: shop\nspec:\n  action: DENY\n  rules:\n  - {}\n---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  rules:\n  - from:\n    - source:\n        namespaces: [front]\n---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: web\n  namespace: other\nspec:\n  rules:\n  - {}\n";
        insta::assert_snapshot!(crate::analyze::test_support::findings_of(&RULE, yaml));
    }
}
