//! What an HTTP route does with a request: forward it (`route`), redirect
//! it, answer it (`directResponse`) or hand it to a delegate; and the
//! rewrite, redirect and direct response settings themselves.

use super::super::support::validate_port;
use super::super::{Findings, webhook_rule};
use super::KINDS;
use super::support::{check_regex, is_set};
use crate::model::istio::{
    HttpDirectResponse, HttpMatchRequest, HttpRedirect, HttpRewrite, HttpRoute, VirtualServiceSpec,
};
use crate::report::{Example, Rule};

pub static RULE: Rule = webhook_rule(
    "virtualservice-http-route-actions",
    KINDS,
    "HTTP routes whose route, redirect, direct response, delegate or rewrite settings Istio refuses.",
    "Each HTTP route needs exactly one action: `route`, `redirect` or `directResponse` (a route that \
     only names a `delegate` may have neither `route` nor `redirect`). A redirect or direct response \
     cannot be combined with `fault` or `rewrite`. Routes of a delegate VirtualService (one without \
     hosts) may not delegate again. A redirect must change something (uri, authority, scheme or port), \
     use a 3xx code, scheme `http` or `https`, and may use `prefixRewrite` only when every URI match is a \
     prefix match. A direct response needs an HTTP status 200-599 and a body under 1MB. A rewrite must \
     set `uri`, `uriRegexRewrite` (with a valid RE2 `match` and a `rewrite`) or `authority`, not both \
     URI forms, and the authority may be rewritten in only one place. Istio's webhook refuses the \
     resource otherwise.",
    Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n  http:\n  - redirect:\n      uri: /v2\n      redirectCode: 200\n    route:\n    - destination:\n        host: reviews\n  - directResponse:\n      status: 700\n  - rewrite:\n      uriRegexRewrite:\n        match: \"(\"\n        rewrite: /\n    route:\n    - destination:\n        host: reviews\n",
        fires_at: &[
            "spec.http[0].route",
            "spec.http[0].redirect.redirectCode",
            "spec.http[1].directResponse.status",
            "spec.http[2].rewrite.uriRegexRewrite.match",
        ],
    },
);

/// Above this, a direct response body is refused; above a tenth of it, warned about.
const MAX_BODY_BYTES: usize = 1024 * 1024;
const LARGE_BODY_BYTES: usize = 100 * 1024;

pub fn check(spec: &VirtualServiceSpec, found: &mut Findings) {
    let in_delegate = spec.hosts.is_empty();
    for (i, route) in spec.http.iter().enumerate() {
        let path = format!("spec.http[{i}]");
        check_actions(route, in_delegate, &path, found);
        if let Some(redirect) = &route.redirect
            && let Err((field, reason)) = check_redirect(redirect, &route.matches)
        {
            found.report(format!("{path}.redirect{field}"), reason);
        }
        if let Some(response) = &route.direct_response {
            check_direct_response(response, &format!("{path}.directResponse"), found);
        }
        if let Some(rewrite) = &route.rewrite
            && let Err((field, reason)) = check_rewrite(rewrite)
        {
            found.report(format!("{path}.rewrite{field}"), reason);
        }
        check_authority_rewrite(route, &path, found);
    }
}

/// One action per route, and no fault or rewrite on a route that answers itself.
fn check_actions(route: &HttpRoute, in_delegate: bool, path: &str, found: &mut Findings) {
    let has_route = !route.route.is_empty();
    if route.delegate.is_some() && !in_delegate {
        // A root route only hands over to its delegate.
        if route.redirect.is_some() {
            found.report(
                format!("{path}.redirect"),
                format!(
                    "root HTTP route {} must not specify redirect",
                    route_name(route, path)
                ),
            );
        }
        if has_route {
            found.report(
                format!("{path}.route"),
                format!(
                    "root HTTP route {} must not specify route",
                    route_name(route, path)
                ),
            );
        }
        return;
    }
    if in_delegate && route.delegate.is_some() {
        found.report(
            format!("{path}.delegate"),
            "delegate HTTP route cannot contain delegate",
        );
    }
    let (action, name) = if route.redirect.is_some() {
        ("redirect", "redirect")
    } else if route.direct_response.is_some() {
        ("directResponse", "direct_response")
    } else {
        if !has_route {
            found.report(path, "HTTP route, redirect or direct_response is required");
        }
        return;
    };
    let conflicts = [
        (
            has_route,
            "route",
            "HTTP route cannot contain both route and",
        ),
        (
            route.fault.is_some(),
            "fault",
            "HTTP route cannot contain both fault and",
        ),
        (
            route.rewrite.is_some(),
            "rewrite",
            "HTTP route rule cannot contain both rewrite and",
        ),
        (
            action == "redirect" && route.direct_response.is_some(),
            "directResponse",
            "HTTP route rule cannot contain both direct_response and",
        ),
    ];
    for (present, field, message) in conflicts {
        if present {
            found.report(format!("{path}.{field}"), format!("{message} {name}"));
        }
    }
}

/// A route's name, or its path when it has none.
fn route_name<'a>(route: &'a HttpRoute, path: &'a str) -> &'a str {
    route
        .name
        .as_deref()
        .filter(|n| !n.is_empty())
        .unwrap_or(path)
}

/// Istio stops at the first problem of a redirect; so do we. Returns the
/// field at fault (relative to `redirect`) and why.
fn check_redirect(
    redirect: &HttpRedirect,
    matches: &[HttpMatchRequest],
) -> Result<(), (String, String)> {
    let fail = |field: &str, reason: String| Err((field.to_string(), reason));
    if is_set(&redirect.uri) && is_set(&redirect.prefix_rewrite) {
        return fail(
            "",
            "redirect may only specify one of uri or prefix_rewrite".into(),
        );
    }
    if is_set(&redirect.prefix_rewrite)
        && matches
            .iter()
            .any(|m| m.uri.as_ref().is_some_and(|uri| uri.prefix.is_none()))
    {
        return fail(
            ".prefixRewrite",
            "redirect prefix_rewrite requires all URI matches to use prefix match type".into(),
        );
    }
    let has_port = redirect.port.is_some() || redirect.derive_port.is_some();
    if !(is_set(&redirect.uri)
        || is_set(&redirect.prefix_rewrite)
        || is_set(&redirect.authority)
        || is_set(&redirect.scheme)
        || has_port)
    {
        return fail(
            "",
            "redirect must specify URI, authority, scheme, or port".into(),
        );
    }
    if let Some(code) = redirect
        .redirect_code
        .filter(|c| *c != 0 && !(300..=399).contains(c))
    {
        return fail(
            ".redirectCode",
            format!("{code} is not a valid redirect code, must be 3xx"),
        );
    }
    if let Some(scheme) = redirect
        .scheme
        .as_deref()
        .filter(|s| !s.is_empty() && *s != "http" && *s != "https")
    {
        return fail(
            ".scheme",
            format!("invalid redirect scheme {scheme:?}, must be \"http\" or \"https\""),
        );
    }
    if let Some(port) = redirect.port.filter(|p| *p > 0) {
        validate_port(port).or_else(|reason| fail(".port", reason))?;
    }
    Ok(())
}

fn check_direct_response(response: &HttpDirectResponse, path: &str, found: &mut Findings) {
    if let Some(body) = &response.body {
        let size = match (&body.string, &body.bytes) {
            (Some(text), _) => text.len(),
            // `bytes` is base64: three bytes per four characters.
            (None, Some(encoded)) => encoded.trim_end_matches('=').len() * 3 / 4,
            (None, None) => 0,
        };
        if size > MAX_BODY_BYTES {
            found.report(format!("{path}.body"), "large direct_responses may impact control plane performance, must be less than 1MB");
        } else if size > LARGE_BODY_BYTES {
            found.warn(
                format!("{path}.body"),
                "large direct_responses may impact control plane performance",
            );
        }
    }
    let status = response.status.unwrap_or_default();
    if !(200..=600).contains(&status) {
        found.report(
            format!("{path}.status"),
            format!("HTTP status {status} is not in range 200-599"),
        );
    }
}

fn check_rewrite(rewrite: &HttpRewrite) -> Result<(), (String, String)> {
    let fail = |field: &str, reason: &str| Err((field.to_string(), reason.to_string()));
    let regex_rewrite = rewrite.uri_regex_rewrite.as_ref();
    if is_set(&rewrite.uri) && regex_rewrite.is_some() {
        return fail("", "rewrite may only contain one of URI or UriRegexRewrite");
    }
    if !is_set(&rewrite.uri) && regex_rewrite.is_none() && !is_set(&rewrite.authority) {
        return fail(
            "",
            "rewrite must specify at least one of URI, UriRegexRewrite, or authority. Only one of URI or UriRegexRewrite may be specified",
        );
    }
    let Some(regex_rewrite) = regex_rewrite else {
        return Ok(());
    };
    if !is_set(&regex_rewrite.matches) || !is_set(&regex_rewrite.rewrite) {
        return fail(
            ".uriRegexRewrite",
            "UriRegexRewrite requires both Rewrite and Match fields to be specified",
        );
    }
    let pattern = regex_rewrite.matches.as_deref().unwrap_or_default();
    check_regex(pattern).or_else(|reason| {
        fail(
            ".uriRegexRewrite.match",
            &format!("UriRegexRewrite has errors: {reason}"),
        )
    })
}

/// The authority may be set by `rewrite.authority` or a request header
/// (`:authority` or `host`) in `set` or `add`, but only by one of them.
fn check_authority_rewrite(route: &HttpRoute, path: &str, found: &mut Findings) {
    let mut current = route
        .rewrite
        .as_ref()
        .and_then(|r| r.authority.clone())
        .unwrap_or_default();
    let Some(request) = route.headers.as_ref().and_then(|h| h.request.as_ref()) else {
        return;
    };
    let operations = [("set", &request.set), ("add", &request.add)];
    for (operation, headers) in operations {
        for (name, value) in headers {
            if !(name.eq_ignore_ascii_case(":authority") || name.eq_ignore_ascii_case("host")) {
                continue;
            }
            if !current.is_empty() {
                found.report(
                    super::support::key_path(&format!("{path}.headers.request.{operation}"), name),
                    format!("authority header cannot be set multiple times: have {current:?}, attempting to set {value:?}"),
                );
                return;
            }
            current = value.clone();
        }
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);

#[cfg(test)]
mod cases {
    use crate::validate::test_support::findings_of;

    fn run(hosts: &str, http: &str) -> String {
        let yaml = format!(
            "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: r\nspec:\n  hosts: {hosts}\n  http:\n{http}"
        );
        findings_of(&super::RULE, &yaml)
    }

    const DEST: &str = "    route:\n    - destination: {host: r}\n";

    #[test]
    fn valid_actions_pass() {
        let http = format!(
            "  - delegate: {{name: d, namespace: ns}}\n  - redirect: {{scheme: https, port: 443, redirectCode: 301}}\n  - match: [{{uri: {{prefix: /a}}}}]\n    redirect: {{prefixRewrite: /b}}\n  - directResponse: {{status: 503, body: {{string: down}}}}\n  - rewrite: {{uriRegexRewrite: {{match: \"^/a(.*)\", rewrite: \"/b\\\\1\"}}}}\n{DEST}  - rewrite: {{authority: a.example}}\n    headers: {{request: {{set: {{x-a: b}}}}}}\n{DEST}"
        );
        assert_eq!(run("[r]", &http), "");
    }

    #[test]
    fn invalid_actions_fail() {
        let http = format!(
            "  - delegate: {{name: d}}\n    redirect: {{uri: /x}}\n{DEST}  - name: empty\n  - match: [{{uri: {{exact: /a}}}}]\n    redirect: {{prefixRewrite: /b}}\n  - redirect: {{redirectCode: 301}}\n  - redirect: {{scheme: ftp}}\n  - directResponse: {{status: 200}}\n    fault: {{abort: {{httpStatus: 500}}}}\n    rewrite: {{uri: /x}}\n  - rewrite: {{uri: /x, uriRegexRewrite: {{match: a, rewrite: b}}}}\n{DEST}  - rewrite: {{}}\n{DEST}  - rewrite: {{uriRegexRewrite: {{match: a}}}}\n{DEST}  - rewrite: {{authority: a}}\n    headers: {{request: {{add: {{Host: b}}}}}}\n{DEST}"
        );
        insta::assert_snapshot!(run("[r]", &http));
    }

    #[test]
    fn delegates_may_not_delegate() {
        let http = format!("  - delegate: {{name: d}}\n{DEST}");
        assert!(run("[]", &http).contains("delegate HTTP route cannot contain delegate"));
    }
}
