//! The match blocks of HTTP routes: string matches, header names, ports,
//! source labels and namespaces, gateways, and JWT claim routing.

use super::super::support::{is_dns1123_label, validate_port};
use super::super::{Findings, webhook_rule};
use super::KINDS;
use super::hosts_and_gateways::check_gateway_names;
use super::support::{
    check_labels, check_regex_match, check_string_match, is_header_token, is_jwt_claim_route,
    key_path,
};
use crate::mesh::gateway::binds_mesh;
use crate::model::StringMap;
use crate::model::istio::{HttpMatchRequest, StringMatch, VirtualServiceSpec};
use crate::report::{Example, Rule};

pub static RULE: Rule = webhook_rule(
    "virtualservice-http-match",
    KINDS,
    "HTTP match conditions Istio refuses.",
    "In `http[].match[]`, a `prefix` string match may not be empty (except for `uri`, where an empty \
     prefix matches everything), a `regex` must be a non-empty RE2 expression of at most 1024 characters \
     (no lookaround or backreferences), header names in `headers` and `withoutHeaders` must be HTTP \
     token names, pseudo-headers such as `:authority`, or `@request.auth.claims.<claim>` keys, and \
     routing on JWT claims only works on a VirtualService bound to gateways (not `mesh`). `port` must be \
     1-65535, `sourceLabels` valid label keys and values, `sourceNamespace` a DNS label and `gateways` \
     gateway names. Istio's webhook refuses the resource otherwise; Envoy would reject the route.",
    Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n  http:\n  - match:\n    - uri:\n        regex: \"/api/(?=v1)\"\n      headers:\n        \"x user\":\n          exact: jason\n        \"@request.auth.claims.group\":\n          exact: admin\n      method:\n        prefix: \"\"\n      port: 70000\n    route:\n    - destination:\n        host: reviews\n",
        fires_at: &[
            "spec.http[0].match[0].uri.regex",
            "spec.http[0].match[0].headers.x user",
            "spec.http[0].match[0].headers[\"@request.auth.claims.group\"]",
            "spec.http[0].match[0].method.prefix",
            "spec.http[0].match[0].port",
        ],
    },
);

/// Pseudo-headers a match may name (RFC 7540, 8.1.2.3 and 8.1.2.4).
const PSEUDO_HEADERS: &[&str] = &[":method", ":scheme", ":authority", ":path", ":status"];

pub fn check(spec: &VirtualServiceSpec, found: &mut Findings) {
    // JWT claims are only known to gateways, which validate the token.
    let bound_to_gateway = !binds_mesh(&spec.gateways);
    for (i, route) in spec.http.iter().enumerate() {
        for (j, matcher) in route.matches.iter().enumerate() {
            let path = format!("spec.http[{i}].match[{j}]");
            check_match(matcher, &path, found);
            if !bound_to_gateway {
                check_no_jwt_claims(&matcher.headers, &format!("{path}.headers"), spec, found);
                check_no_jwt_claims(
                    &matcher.without_headers,
                    &format!("{path}.withoutHeaders"),
                    spec,
                    found,
                );
            }
        }
    }
}

fn check_match(matcher: &HttpMatchRequest, path: &str, found: &mut Findings) {
    for (name, header) in &matcher.headers {
        let at = key_path(&format!("{path}.headers"), name);
        check_header_name(name, &at, found);
        check_string_match(header, &at, "headers", found);
    }
    for (name, header) in &matcher.without_headers {
        let at = key_path(&format!("{path}.withoutHeaders"), name);
        check_header_name(name, &at, found);
        // `regex: "*"` is not RE2: Istio turns it into a presence match.
        if header.regex.as_deref() != Some("*") {
            check_string_match(header, &at, "withoutHeaders", found);
        }
    }
    if let Some(uri) = &matcher.uri {
        check_regex_match(uri, &format!("{path}.uri"), "uri", found);
    }
    let fields: [(&Option<StringMatch>, &str); 3] = [
        (&matcher.scheme, "scheme"),
        (&matcher.method, "method"),
        (&matcher.authority, "authority"),
    ];
    for (field, name) in fields {
        if let Some(field) = field {
            check_string_match(field, &format!("{path}.{name}"), name, found);
        }
    }
    for (name, param) in &matcher.query_params {
        let at = key_path(&format!("{path}.queryParams"), name);
        check_string_match(param, &at, "queryParams", found);
    }
    check_match_source(matcher, path, found);
}

/// Where the request comes from: port, source labels and namespace, gateways.
fn check_match_source(matcher: &HttpMatchRequest, path: &str, found: &mut Findings) {
    // Port 0 is the protobuf default: no port match.
    if let Some(port) = matcher.port.filter(|p| *p != 0)
        && let Err(reason) = validate_port(port)
    {
        found.report(format!("{path}.port"), reason);
    }
    check_labels(
        &matcher.source_labels,
        &format!("{path}.sourceLabels"),
        found,
    );
    check_gateway_names(&matcher.gateways, &format!("{path}.gateways"), found);
    if let Some(namespace) = &matcher.source_namespace
        && !namespace.is_empty()
        && !is_dns1123_label(namespace)
    {
        found.report(
            format!("{path}.sourceNamespace"),
            format!("sourceNamespace match {namespace} is invalid"),
        );
    }
}

fn check_header_name(name: &str, path: &str, found: &mut Findings) {
    if name.is_empty() {
        found.report(path, "header name cannot be empty");
    } else if !(is_jwt_claim_route(name) || PSEUDO_HEADERS.contains(&name) || is_header_token(name))
    {
        found.report(
            path,
            format!("header name {name} is not a valid header name"),
        );
    }
}

fn check_no_jwt_claims(
    headers: &StringMap<StringMatch>,
    path: &str,
    spec: &VirtualServiceSpec,
    found: &mut Findings,
) {
    for name in headers.keys().filter(|name| is_jwt_claim_route(name)) {
        found.report(
            key_path(path, name),
            format!(
                "JWT claim based routing (key: {name}) is only supported for gateway, found no gateways: {:?}",
                spec.gateways
            ),
        );
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);

#[cfg(test)]
mod cases {
    use crate::validate::test_support::findings_of;

    fn run(matches: &str, gateways: &str) -> String {
        let yaml = format!(
            "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: r\nspec:\n  hosts: [r.example.com]\n  gateways: {gateways}\n  http:\n  - match:\n{matches}    route:\n    - destination:\n        host: r\n"
        );
        findings_of(&super::RULE, &yaml)
    }

    #[test]
    fn valid_matches_pass() {
        let matches = "    - uri: {prefix: \"\"}\n      headers:\n        \":authority\": {exact: a}\n        \"@request.auth.claims[groups]\": {exact: admin}\n      withoutHeaders:\n        x-debug: {regex: \"*\"}\n      queryParams:\n        q: {regex: \"^a+$\"}\n      sourceLabels: {app: web, example.com/tier: \"\"}\n      sourceNamespace: default\n      port: 0\n      gateways: [istio-system/gw]\n";
        assert_eq!(run(matches, "[istio-system/gw]"), "");
    }

    #[test]
    fn invalid_matches_fail() {
        let matches = "    - uri: {regex: \"\"}\n      scheme: {regex: \"(\"}\n      withoutHeaders:\n        x-debug: {prefix: \"\"}\n      queryParams:\n        q: {prefix: \"\"}\n      sourceLabels: {\"bad key\": \"-v\"}\n      sourceNamespace: Not_A_Label\n      gateways: [\"ns/\"]\n";
        insta::assert_snapshot!(run(matches, "[mesh]"));
    }

    #[test]
    fn jwt_claims_need_a_gateway() {
        let matches = "    - withoutHeaders:\n        \"@request.auth.claims.sub\": {exact: a}\n";
        assert_eq!(run(matches, "[gw]"), "");
        assert!(run(matches, "[gw, mesh]").contains("JWT claim based routing"));
    }
}
