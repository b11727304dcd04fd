//! HTTPRoute path matches: an `Exact` or `PathPrefix` value is an absolute,
//! normalized path of URL path characters.

use std::sync::LazyLock;

use regex::Regex;

use super::super::Findings;
use super::api_server_rule;
use crate::model::gateway_api::HttpRouteSpec;
use crate::model::gateway_api::http_route::MatchPathType;
use crate::report::{Example, Rule};

pub static RULE: Rule = api_server_rule(
    "gateway-api-http-path-match",
    &["HTTPRoute"],
    "An Exact or PathPrefix path match that is not an absolute, normalized URL path.",
    "For `Exact` and `PathPrefix` matches (the default type) the value starts with `/`, holds \
     only URL path characters (RFC 3986 unreserved and sub-delimiters, `:`, `@`, `/` and \
     `%XX` escapes), and is already normalized: no `//`, `/./` or `/../`, no trailing `/.` or \
     `/..`, no escaped slash (`%2f`, `%2F`) and no `#`. `RegularExpression` values are left to \
     the implementation.",
    Example {
        yaml: "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: web\nspec:\n  rules:\n  - matches:\n    - path: {type: PathPrefix, value: /static/../admin}\n",
        fires_at: &["spec.rules[0].matches[0].path.value"],
    },
);

static PATH_CHARACTERS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})+$").expect("valid regex")
});

pub fn check(spec: &HttpRouteSpec, found: &mut Findings) {
    for (i, rule) in spec.rules.iter().enumerate() {
        for (j, m) in rule.matches.iter().enumerate() {
            let Some(path) = &m.path else { continue };
            if path.r#type == Some(MatchPathType::RegularExpression) {
                continue;
            }
            let Some(value) = &path.value else { continue };
            if let Some(problem) = problem(value) {
                found.report(format!("spec.rules[{i}].matches[{j}].path.value"), problem);
            }
        }
    }
}

fn problem(value: &str) -> Option<String> {
    if !value.starts_with('/') {
        return Some("value must be an absolute path and start with '/'".into());
    }
    if !PATH_CHARACTERS.is_match(value) {
        return Some(format!("{value:?} holds characters a URL path cannot"));
    }
    let contained = ["//", "/./", "/../", "%2f", "%2F", "#"];
    if let Some(part) = contained.iter().find(|p| value.contains(**p)) {
        return Some(format!("must not contain {part:?}"));
    }
    let ending = ["/..", "/."];
    ending
        .iter()
        .find(|e| value.ends_with(**e))
        .map(|e| format!("must not end with {e:?}"))
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
