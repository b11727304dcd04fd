//! A `*` inside an AuthorizationPolicy path, host or principal. Istio
//! supports a `*` only as a whole value, a prefix or a suffix; anywhere else
//! it is an ordinary character, so `/api/*/admin` matches only that literal
//! path and the rule silently never applies to real requests.

use super::super::{Analyzer, Report};
use crate::model::istio::{AuthorizationPolicySpec, Operation, Source};
use crate::report::{Example, Level, Rule};
use crate::snapshot::Snapshot;

pub static RULE: Rule = Rule {
    code: "MSH3006",
    name: "authz-literal-wildcard",
    level: Level::Warning,
    summary: "A `*` inside an AuthorizationPolicy path, host or principal, which Istio matches literally.",
    kinds: &["AuthorizationPolicy"],
    explanation: "AuthorizationPolicy values support `*` alone (any value), as a prefix match \
        (`/api/*`) or as a suffix match (`*.example.com`). A `*` anywhere else is not a wildcard: \
        `/api/*/admin` matches only a path that really contains `*`, so an ALLOW rule lets nothing \
        through and a DENY rule blocks nothing. For paths, use Istio's path templates \
        (`/api/{*}/admin`, `/api/{**}`); for hosts and principals, split the value into several \
        prefix or suffix values.",
    example: Example {
        yaml: "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: admin\nspec:\n  action: DENY\n  rules:\n  - to:\n    - operation:\n        paths: [\"/api/*/admin\"]\n",
        fires_at: &["spec.rules[0].to[0].operation.paths[0]"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "meshctl.AuthorizationLiteralWildcardAnalyzer",
    rules: &[&RULE],
    run,
};

fn run(snapshot: &Snapshot, report: &mut Report) {
    for (object, spec) in snapshot.authorization_policies() {
        for (path, value) in checked_values(spec) {
            if has_inner_star(&value) {
                report.report_with_help(
                    &RULE,
                    object,
                    &path,
                    format!("{value:?}: this `*` is neither the whole value nor at an end, so Istio matches it literally"),
                    if path.contains("aths[") {
                        "use a path template ({*} for one segment, {**} for the rest) or a prefix/suffix value"
                    } else {
                        "use a prefix (`abc*`) or suffix (`*abc`) value, or several of them"
                    },
                );
            }
        }
    }
}

/// Whether a `*` is taken literally: Istio reads `*` alone as "any value",
/// a leading `*` as a suffix match and (only without one) a trailing `*` as
/// a prefix match; path templates `{*}` and `{**}` are not stars either.
fn has_inner_star(value: &str) -> bool {
    if value == "*" {
        return false;
    }
    let plain = value.replace("{**}", "").replace("{*}", "");
    let rest = match plain.strip_prefix('*') {
        Some(suffix) => suffix,
        None => plain.strip_suffix('*').unwrap_or(&plain),
    };
    rest.contains('*')
}

/// `(field path, value)` for every path, host and principal of the policy.
fn checked_values(spec: &AuthorizationPolicySpec) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut push = |base: &str, field: &str, values: &[String]| {
        for (i, value) in values.iter().enumerate() {
            out.push((format!("{base}.{field}[{i}]"), value.clone()));
        }
    };
    for (r, rule) in spec.rules.iter().enumerate() {
        for (f, from) in rule.from.iter().enumerate() {
            if let Some(source) = &from.source {
                let base = format!("spec.rules[{r}].from[{f}].source");
                source_values(source, |field, values| push(&base, field, values));
            }
        }
        for (t, to) in rule.to.iter().enumerate() {
            if let Some(operation) = &to.operation {
                let base = format!("spec.rules[{r}].to[{t}].operation");
                operation_values(operation, |field, values| push(&base, field, values));
            }
        }
    }
    out
}

fn source_values(source: &Source, mut visit: impl FnMut(&str, &[String])) {
    visit("principals", &source.principals);
    visit("notPrincipals", &source.not_principals);
    visit("requestPrincipals", &source.request_principals);
    visit("notRequestPrincipals", &source.not_request_principals);
}

fn operation_values(operation: &Operation, mut visit: impl FnMut(&str, &[String])) {
    visit("paths", &operation.paths);
    visit("notPaths", &operation.not_paths);
    visit("hosts", &operation.hosts);
    visit("notHosts", &operation.not_hosts);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::analyzer_tests;

    analyzer_tests!(
        RULE,
        "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: ok\nspec:\n  rules:\n  - from:\n    - source:\n        principals: [\"*\", \"cluster.local/ns/shop/*\", \"*/sa/web\"]\n    to:\n    - operation:\n        paths: [\"/api/{*}/admin\", \"/static/*\", \"*.png\"]\n        hosts: [\"*.example.com\"]\n"
    );

    #[test]
    fn only_inner_stars_count() {
        for value in ["*", "/a*", "*b", "/a/{*}/b/{**}"] {
            assert!(!has_inner_star(value), "{value}");
        }
        for value in ["/a/*/b", "a*b", "*a*b", "a**b", "*mid*", "**"] {
            assert!(has_inner_star(value), "{value}");
        }
    }
}
