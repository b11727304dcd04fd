//! HTTPRoute path rewrites and redirects: a path modifier's type names the
//! field it sets, and replacing a prefix needs exactly one PathPrefix match.

use super::super::Findings;
use super::api_server_rule;
use crate::model::gateway_api::HttpRouteSpec;
use crate::model::gateway_api::http_route::{
    Filter, MatchPathType, Path, PathType, Rule as RouteRule,
};
use crate::report::{Example, Rule};

pub static RULE: Rule = api_server_rule(
    "gateway-api-http-path-rewrite",
    &["HTTPRoute"],
    "A path modifier whose type and field disagree, or a prefix replacement without one PathPrefix match.",
    "A `path` of a `requestRedirect` or `urlRewrite` filter sets `replaceFullPath` exactly when its \
     type is `ReplaceFullPath`, and `replacePrefixMatch` exactly when it is `ReplacePrefixMatch`. \
     Replacing the matched prefix needs a prefix to replace: a rule with such a filter (in its own \
     filters or a backend's) has exactly one match, of type `PathPrefix` (a rule without matches \
     has one: `PathPrefix /`).",
    Example {
        yaml: "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: web\nspec:\n  rules:\n  - matches:\n    - path: {type: Exact, value: /old}\n    filters:\n    - type: URLRewrite\n      urlRewrite:\n        path: {type: ReplacePrefixMatch, replacePrefixMatch: /new}\n    backendRefs:\n    - {name: web, port: 80}\n",
        fires_at: &["spec.rules[0].matches"],
    },
);

pub fn check(spec: &HttpRouteSpec, found: &mut Findings) {
    for (i, rule) in spec.rules.iter().enumerate() {
        let path = format!("spec.rules[{i}]");
        check_modifiers(&rule.filters, &format!("{path}.filters"), found);
        for (j, backend) in rule.backend_refs.iter().enumerate() {
            check_modifiers(
                &backend.filters,
                &format!("{path}.backendRefs[{j}].filters"),
                found,
            );
        }
        check_prefix_replacement(rule, &path, found);
    }
}

/// The path modifiers of a filter: its redirect's and its rewrite's, with
/// their field paths.
fn modifiers(filter: &Filter) -> impl Iterator<Item = (&'static str, &Path)> {
    let redirect = filter
        .request_redirect
        .as_ref()
        .and_then(|r| r.path.as_ref());
    let rewrite = filter.url_rewrite.as_ref().and_then(|r| r.path.as_ref());
    [("requestRedirect", redirect), ("urlRewrite", rewrite)]
        .into_iter()
        .filter_map(|(field, path)| path.map(|p| (field, p)))
}

fn check_modifiers(filters: &[Filter], path: &str, found: &mut Findings) {
    for (i, filter) in filters.iter().enumerate() {
        for (field, modifier) in modifiers(filter) {
            let here = format!("{path}[{i}].{field}.path");
            let full = modifier.r#type == Some(PathType::ReplaceFullPath);
            let prefix = modifier.r#type == Some(PathType::ReplacePrefixMatch);
            if full != modifier.replace_full_path.is_some() {
                found.report(
                    &here,
                    "replaceFullPath is set exactly when type is 'ReplaceFullPath'",
                );
            }
            if prefix != modifier.replace_prefix_match.is_some() {
                found.report(
                    &here,
                    "replacePrefixMatch is set exactly when type is 'ReplacePrefixMatch'",
                );
            }
        }
    }
}

/// How many filters of the list replace a prefix, per kind of filter.
fn prefix_replacements(filters: &[Filter]) -> [usize; 2] {
    let count = |field: &str| {
        filters
            .iter()
            .filter(|f| {
                modifiers(f).any(|(name, p)| {
                    name == field
                        && p.r#type == Some(PathType::ReplacePrefixMatch)
                        && p.replace_prefix_match.is_some()
                })
            })
            .count()
    };
    [count("requestRedirect"), count("urlRewrite")]
}

fn check_prefix_replacement(rule: &RouteRule, path: &str, found: &mut Findings) {
    let own = prefix_replacements(&rule.filters);
    let backends: Vec<[usize; 2]> = rule
        .backend_refs
        .iter()
        .map(|b| prefix_replacements(&b.filters))
        .collect();
    // The API server asks for exactly one such filter (in the rule) or
    // exactly one backend with exactly one (for each kind of filter).
    let needs_prefix =
        (0..2).any(|k| own[k] == 1 || backends.iter().filter(|b| b[k] == 1).count() == 1);
    if needs_prefix && !one_prefix_match(rule) {
        found.report(
            format!("{path}.matches"),
            "replacing a path prefix needs exactly one match, of type PathPrefix",
        );
    }
}

fn one_prefix_match(rule: &RouteRule) -> bool {
    match rule.matches.as_slice() {
        // The API server's default: one `PathPrefix /` match.
        [] => true,
        // A match without a path, or a path without a type, is defaulted to
        // PathPrefix.
        [only] => only.path.as_ref().is_none_or(|p| {
            p.r#type.unwrap_or(MatchPathType::PathPrefix) == MatchPathType::PathPrefix
        }),
        _ => false,
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
