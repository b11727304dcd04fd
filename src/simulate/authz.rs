//! AuthorizationPolicies for the destination workload, evaluated in
//! Istio's order: CUSTOM, then DENY, then ALLOW.

use super::index::Index;
use super::names::qualified;
use super::request::{Protocol, Request};
use super::result::{Authorization, AuthzDecision, Step, Verdict};
use crate::mesh::cidr;
use crate::mesh::selector::selects;
use crate::model::Object;
use crate::model::StringMap;
use crate::model::istio::{Action, AuthorizationPolicySpec, Condition, Operation, Rule, Source};

/// The workload a request reaches.
pub struct Target {
    pub namespace: String,
    pub labels: StringMap,
    /// The Service the request was sent to (for `targetRef` kind Service).
    pub service: Option<String>,
    /// The port the workload receives on.
    pub port: u32,
    pub description: String,
}

pub fn authorize(
    index: &Index,
    request: &Request,
    target: &Target,
    trace: &mut Vec<Step>,
) -> Authorization {
    let root = index.snapshot.mesh.root_namespace.as_str();
    // Only the destination's namespace and the root namespace hold
    // policies that can apply (see `applies`).
    let mut namespaces = vec![target.namespace.as_str(), root];
    namespaces.dedup();
    let mut policies: Vec<(&Object, &AuthorizationPolicySpec, &'static str)> = namespaces
        .into_iter()
        .flat_map(|ns| index.authorization_policies_in(ns))
        .filter_map(|&(o, p)| applies(o, p, target, root).map(|why| (o, p, why)))
        .collect();
    policies.sort_by_key(|p| qualified(p.0));
    trace.push(Step::new(
        0,
        format!("authorization for {}", target.description),
        Verdict::Info,
        format!("{} AuthorizationPolicies apply", policies.len()),
    ));
    let mut result = Authorization {
        decision: AuthzDecision::Allow,
        policy: None,
        rule_index: None,
        workload: target.description.clone(),
        custom: None,
    };
    let of = |action: Action| {
        policies
            .iter()
            .filter(move |(_, p, _)| p.action.unwrap_or(Action::Allow) == action)
    };
    for (object, spec, why) in of(Action::Audit) {
        trace.push(Step::new(
            1,
            format!("AuthorizationPolicy {} (AUDIT)", qualified(object)),
            Verdict::Skipped,
            format!(
                "applies ({why}); AUDIT policies only log, they do not decide ({} rules)",
                spec.rules.len()
            ),
        ));
    }
    for (object, spec, why) in of(Action::Custom) {
        let name = qualified(object);
        if let Some(i) =
            first_matching_rule((object, spec, why), Action::Custom, request, target, trace)
        {
            let provider = spec
                .provider
                .as_ref()
                .and_then(|p| p.name.clone())
                .unwrap_or_default();
            trace.push(Step::new(
                1,
                format!("AuthorizationPolicy {name} (CUSTOM) rules[{i}]"),
                Verdict::Info,
                format!(
                    "the request goes to extension provider {provider:?} for a decision meshctl cannot make; taken as allowed"
                ),
            ));
            result.custom = Some(name);
            break;
        }
    }
    for (object, spec, why) in of(Action::Deny) {
        let name = qualified(object);
        if let Some(i) =
            first_matching_rule((object, spec, why), Action::Deny, request, target, trace)
        {
            result.decision = AuthzDecision::Deny;
            result.policy = Some(name);
            result.rule_index = Some(i);
            return result;
        }
    }
    let mut any_allow = false;
    for (object, spec, why) in of(Action::Allow) {
        any_allow = true;
        let name = qualified(object);
        if let Some(i) =
            first_matching_rule((object, spec, why), Action::Allow, request, target, trace)
        {
            result.policy = Some(name);
            result.rule_index = Some(i);
            return result;
        }
    }
    if any_allow {
        result.decision = AuthzDecision::Deny;
        trace.push(Step::new(
            1,
            "ALLOW policies".into(),
            Verdict::Deny,
            "ALLOW policies apply but none matches: denied".into(),
        ));
    } else {
        trace.push(Step::new(
            1,
            "ALLOW policies".into(),
            Verdict::Allow,
            "no ALLOW policy applies: allowed".into(),
        ));
    }
    result
}

/// Why a policy applies to the target, or `None`.
fn applies(
    object: &Object,
    spec: &AuthorizationPolicySpec,
    target: &Target,
    root: &str,
) -> Option<&'static str> {
    let ns = object.namespace.as_deref().unwrap_or_default();
    let refs: Vec<_> = spec.target_ref.iter().chain(&spec.target_refs).collect();
    if !refs.is_empty() {
        let hit = refs.iter().any(|r| {
            r.kind.as_deref() == Some("Service")
                && r.name.as_deref() == target.service.as_deref()
                && r.namespace.as_deref().unwrap_or(ns) == target.namespace
                && ns == target.namespace
        });
        return hit.then_some("targetRef names the destination Service");
    }
    if ns != root && ns != target.namespace {
        return None;
    }
    let scope = if ns == root {
        "root namespace"
    } else {
        "namespace"
    };
    match &spec.selector {
        Some(sel) if !sel.match_labels.is_empty() => selects(&sel.match_labels, &target.labels)
            .then_some(if ns == root {
                "root namespace, selector matches the workload"
            } else {
                "selector matches the workload"
            }),
        _ => Some(if scope == "root namespace" {
            "root namespace, mesh-wide"
        } else {
            "namespace-wide"
        }),
    }
}

/// The first rule of a policy (that applies, for the reason `why`) that
/// matches the request.
fn first_matching_rule(
    (object, spec, why): (&Object, &AuthorizationPolicySpec, &str),
    action: Action,
    request: &Request,
    target: &Target,
    trace: &mut Vec<Step>,
) -> Option<usize> {
    let action_name = match action {
        Action::Allow => "ALLOW",
        Action::Deny => "DENY",
        Action::Audit => "AUDIT",
        Action::Custom => "CUSTOM",
    };
    let subject = format!("AuthorizationPolicy {} ({action_name})", qualified(object));
    if spec.rules.is_empty() {
        trace.push(Step::new(
            1,
            subject,
            Verdict::Failed,
            format!("applies ({why}); it has no rules, so it matches no request"),
        ));
        return None;
    }
    let ns = object.namespace.as_deref().unwrap_or_default();
    for (i, rule) in spec.rules.iter().enumerate() {
        let tcp_rule;
        let rule = match http_only_fields(rule) {
            fields if fields.is_empty() || request.protocol == Protocol::Http => rule,
            fields if action == Action::Deny => {
                // Istio drops the HTTP-only conditions of a DENY rule for
                // TCP traffic, so the rule denies more, not less.
                tcp_rule = without_http_fields(rule);
                trace.push(Step::new(
                    1,
                    format!("{subject} rules[{i}]"),
                    Verdict::Info,
                    format!(
                        "{} traffic: the HTTP-only fields {} are dropped from this DENY rule",
                        request.protocol.as_str(),
                        fields.join(", ")
                    ),
                ));
                &tcp_rule
            }
            fields => {
                trace.push(Step::new(
                    1,
                    format!("{subject} rules[{i}]"),
                    Verdict::Failed,
                    format!(
                        "{} traffic: a rule with HTTP-only fields ({}) never matches it",
                        request.protocol.as_str(),
                        fields.join(", ")
                    ),
                ));
                continue;
            }
        };
        match rule_matches(rule, ns, request, target) {
            Ok(()) => {
                let verdict = if action == Action::Deny {
                    Verdict::Deny
                } else {
                    Verdict::Allow
                };
                trace.push(Step::new(
                    1,
                    format!("{subject} rules[{i}]"),
                    verdict,
                    format!("applies ({why}); rule matches"),
                ));
                return Some(i);
            }
            Err(why_not) => trace.push(Step::new(
                1,
                format!("{subject} rules[{i}]"),
                Verdict::Failed,
                why_not,
            )),
        }
    }
    None
}

/// The fields of a rule only HTTP requests have.
fn http_only_fields(rule: &Rule) -> Vec<&'static str> {
    let mut fields = Vec::new();
    let sources = || rule.from.iter().filter_map(|f| f.source.as_ref());
    let operations = || rule.to.iter().filter_map(|t| t.operation.as_ref());
    if sources().any(|s| !s.request_principals.is_empty() || !s.not_request_principals.is_empty()) {
        fields.push("requestPrincipals");
    }
    if operations().any(|o| !o.hosts.is_empty() || !o.not_hosts.is_empty()) {
        fields.push("hosts");
    }
    if operations().any(|o| !o.methods.is_empty() || !o.not_methods.is_empty()) {
        fields.push("methods");
    }
    if operations().any(|o| !o.paths.is_empty() || !o.not_paths.is_empty()) {
        fields.push("paths");
    }
    if rule.when.iter().any(is_http_condition) {
        fields.push("request.* conditions");
    }
    fields
}

fn is_http_condition(condition: &Condition) -> bool {
    condition
        .key
        .as_deref()
        .is_some_and(|k| k.starts_with("request."))
}

/// The rule without its HTTP-only conditions.
fn without_http_fields(rule: &Rule) -> Rule {
    let mut rule = rule.clone();
    for source in rule.from.iter_mut().filter_map(|f| f.source.as_mut()) {
        source.request_principals.clear();
        source.not_request_principals.clear();
    }
    for operation in rule.to.iter_mut().filter_map(|t| t.operation.as_mut()) {
        operation.hosts.clear();
        operation.not_hosts.clear();
        operation.methods.clear();
        operation.not_methods.clear();
        operation.paths.clear();
        operation.not_paths.clear();
    }
    rule.when.retain(|c| !is_http_condition(c));
    rule
}

fn rule_matches(
    rule: &Rule,
    policy_ns: &str,
    request: &Request,
    target: &Target,
) -> Result<(), String> {
    any_holds(&rule.from, |i, from| match &from.source {
        Some(source) => {
            source_matches(source, policy_ns, request).map_err(|e| format!("from[{i}].source.{e}"))
        }
        None => Ok(()),
    })?;
    any_holds(&rule.to, |i, to| match &to.operation {
        Some(op) => {
            operation_matches(op, request, target).map_err(|e| format!("to[{i}].operation.{e}"))
        }
        None => Ok(()),
    })?;
    for (i, condition) in rule.when.iter().enumerate() {
        condition_matches(condition, request, target).map_err(|e| format!("when[{i}] {e}"))?;
    }
    Ok(())
}

/// One field: the value must match one of `values` (when given) and none
/// of `not_values`.
fn field(
    name: &str,
    not_name: &str,
    values: &[String],
    not_values: &[String],
    actual: Option<&str>,
    test: impl Fn(&str, &str) -> bool,
) -> Result<(), String> {
    let hits = |list: &[String]| actual.is_some_and(|a| list.iter().any(|p| test(p, a)));
    let shown = actual.map_or("none".to_string(), |a| format!("{a:?}"));
    if !values.is_empty() && !hits(values) {
        return Err(format!("{name}: got {shown}, expected one of {values:?}"));
    }
    if !not_values.is_empty() && hits(not_values) {
        return Err(format!(
            "{not_name}: got {shown}, which is excluded by {not_values:?}"
        ));
    }
    Ok(())
}

fn source_matches(s: &Source, policy_ns: &str, request: &Request) -> Result<(), String> {
    let src = &request.source;
    let principal = src.principal.as_deref();
    field(
        "principals",
        "notPrincipals",
        &s.principals,
        &s.not_principals,
        principal,
        value_matches,
    )?;
    let request_principal = request.request_principal();
    field(
        "requestPrincipals",
        "notRequestPrincipals",
        &s.request_principals,
        &s.not_request_principals,
        request_principal.as_deref(),
        value_matches,
    )?;
    // Namespaces, service accounts and trust domains come from the peer
    // identity (mTLS), never from a claim of the caller.
    let ns = src.principal_part("ns");
    field(
        "namespaces",
        "notNamespaces",
        &s.namespaces,
        &s.not_namespaces,
        ns.as_deref(),
        glob,
    )?;
    let account = principal.and_then(|_| {
        Some(format!(
            "{}/{}",
            src.principal_part("ns")?,
            src.principal_part("sa")?
        ))
    });
    let sa = |pattern: &str, actual: &str| {
        let qualified = if pattern.contains('/') {
            pattern.to_string()
        } else {
            format!("{policy_ns}/{pattern}")
        };
        qualified == actual
    };
    field(
        "serviceAccounts",
        "notServiceAccounts",
        &s.service_accounts,
        &s.not_service_accounts,
        account.as_deref(),
        sa,
    )?;
    let trust_domain = principal.and(src.trust_domain());
    field(
        "trustDomains",
        "notTrustDomains",
        &s.trust_domains,
        &s.not_trust_domains,
        trust_domain,
        trust_domain_matches,
    )?;
    let ip = src.ip.as_deref();
    field(
        "ipBlocks",
        "notIpBlocks",
        &s.ip_blocks,
        &s.not_ip_blocks,
        ip,
        in_cidr,
    )?;
    field(
        "remoteIpBlocks",
        "notRemoteIpBlocks",
        &s.remote_ip_blocks,
        &s.not_remote_ip_blocks,
        ip,
        in_cidr,
    )
}

fn operation_matches(op: &Operation, request: &Request, target: &Target) -> Result<(), String> {
    field(
        "hosts",
        "notHosts",
        &op.hosts,
        &op.not_hosts,
        Some(&request.authority),
        host_matches,
    )?;
    let port = target.port.to_string();
    field(
        "ports",
        "notPorts",
        &op.ports,
        &op.not_ports,
        Some(&port),
        |p, a| p == a,
    )?;
    field(
        "methods",
        "notMethods",
        &op.methods,
        &op.not_methods,
        Some(&request.method),
        value_matches,
    )?;
    field(
        "paths",
        "notPaths",
        &op.paths,
        &op.not_paths,
        Some(&request.path),
        path_matches,
    )
}

fn condition_matches(c: &Condition, request: &Request, target: &Target) -> Result<(), String> {
    let key = c.key.as_deref().unwrap_or_default();
    let src = &request.source;
    type Test = fn(&str, &str) -> bool;
    let (actual, test): (Option<String>, Test) = if let Some(name) = key
        .strip_prefix("request.headers[")
        .and_then(|k| k.strip_suffix(']'))
    {
        (request.header(name), value_matches)
    } else if let Some(claim) = key
        .strip_prefix("request.auth.claims")
        .and_then(|rest| super::matching::claim_name(&format!("@request.auth.claims{rest}")))
    {
        (request.jwt_claim(&claim).map(str::to_string), value_matches)
    } else {
        match key {
            "source.ip" | "remote.ip" => (src.ip.clone(), in_cidr),
            "source.namespace" => (src.principal_part("ns"), glob),
            "source.principal" => (src.principal.clone(), value_matches),
            "request.auth.principal" => (request.request_principal(), value_matches),
            "request.auth.audiences" => {
                (request.jwt_claim("aud").map(str::to_string), value_matches)
            }
            "request.auth.presenter" => {
                (request.jwt_claim("azp").map(str::to_string), value_matches)
            }
            "destination.port" => (Some(target.port.to_string()), |p: &str, a: &str| p == a),
            _ => {
                return Err(format!(
                    "{key}: meshctl has no value for this attribute in a simulated request"
                ));
            }
        }
    };
    field(key, key, &c.values, &c.not_values, actual.as_deref(), test)
}

/// Istio's value match: `*` is presence, `*x` a suffix, `x*` a prefix,
/// anything else (a `*` elsewhere included) exact.
pub fn value_matches(pattern: &str, actual: &str) -> bool {
    if pattern == "*" {
        !actual.is_empty()
    } else if let Some(suffix) = pattern.strip_prefix('*') {
        actual.ends_with(suffix)
    } else if let Some(prefix) = pattern.strip_suffix('*') {
        actual.starts_with(prefix)
    } else {
        pattern == actual
    }
}

/// Hosts match the same way, ignoring case.
fn host_matches(pattern: &str, actual: &str) -> bool {
    value_matches(&pattern.to_ascii_lowercase(), &actual.to_ascii_lowercase())
}

/// Namespaces: each `*` stands for any text.
fn glob(pattern: &str, actual: &str) -> bool {
    wildcard_match(&pieces(pattern, "*", Piece::Any), actual)
}

/// Trust domains: the first `*` stands for any text without `/`.
fn trust_domain_matches(pattern: &str, actual: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == actual,
        Some(_) if pattern == "*" => true,
        Some((head, tail)) => wildcard_match(
            &[Piece::Text(head), Piece::Segment, Piece::Text(tail)],
            actual,
        ),
    }
}

/// Paths: templates (`{*}` one segment, `{**}` any number) or the value
/// match.
pub fn path_matches(pattern: &str, actual: &str) -> bool {
    if !pattern.contains("{*}") && !pattern.contains("{**}") {
        return value_matches(pattern, actual);
    }
    let mut template = Vec::new();
    for (i, part) in pattern.split("{**}").enumerate() {
        if i > 0 {
            template.push(Piece::Any);
        }
        template.extend(pieces(part, "{*}", Piece::OneSegment));
    }
    wildcard_match(&template, actual)
}

/// A pattern cut into literal text and wildcards.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Piece<'a> {
    Text(&'a str),
    /// Any text.
    Any,
    /// Any text without `/`.
    Segment,
    /// One path segment: at least one character, no `/`.
    OneSegment,
}

/// `text` split at each `wildcard`, which becomes `piece`.
fn pieces<'a>(text: &'a str, wildcard: &str, piece: Piece<'a>) -> Vec<Piece<'a>> {
    let mut out = Vec::new();
    for (i, literal) in text.split(wildcard).enumerate() {
        if i > 0 {
            out.push(piece);
        }
        if !literal.is_empty() {
            out.push(Piece::Text(literal));
        }
    }
    out
}

/// Whether the pieces match all of `actual` (backtracking over the
/// wildcards; patterns are short).
fn wildcard_match(pieces: &[Piece], actual: &str) -> bool {
    let Some((first, rest)) = pieces.split_first() else {
        return actual.is_empty();
    };
    let (min, max) = match first {
        Piece::Text(text) => {
            return actual
                .strip_prefix(text)
                .is_some_and(|after| wildcard_match(rest, after));
        }
        Piece::Any => (0, actual.len()),
        Piece::Segment => (0, actual.find('/').unwrap_or(actual.len())),
        Piece::OneSegment => (1, actual.find('/').unwrap_or(actual.len())),
    };
    (min..=max)
        .filter(|&i| actual.is_char_boundary(i))
        .any(|i| wildcard_match(rest, &actual[i..]))
}

/// Whether an IP is in a CIDR block (or equals an address); a block or
/// an IP that does not parse matches nothing.
fn in_cidr(block: &str, ip: &str) -> bool {
    ip.parse()
        .ok()
        .and_then(|ip| cidr::contains(block, ip).ok())
        .unwrap_or(false)
}

/// OR'd clauses (`from`, `to`): none means no constraint; otherwise one
/// must hold, and when none does the first reason is the answer.
fn any_holds<T>(
    clauses: &[T],
    check: impl Fn(usize, &T) -> Result<(), String>,
) -> Result<(), String> {
    if clauses.is_empty() {
        return Ok(());
    }
    let mut first_error = None;
    for (i, clause) in clauses.iter().enumerate() {
        match check(i, clause) {
            Ok(()) => return Ok(()),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    Err(first_error.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_match_exact_prefix_suffix_presence_and_a_literal_star() {
        assert!(value_matches("/api*", "/api/v1"));
        assert!(value_matches("*/debug", "/x/debug"));
        assert!(value_matches("*", "x") && !value_matches("*", ""));
        assert!(value_matches("/a*b", "/a*b") && !value_matches("/a*b", "/axb"));
        assert!(value_matches("GET", "GET") && !value_matches("GET", "get"));
        assert!(host_matches("*.Example.com", "a.example.COM"));
    }

    #[test]
    fn path_templates() {
        assert!(path_matches("/api/{*}/info", "/api/v1/info"));
        assert!(!path_matches("/api/{*}/info", "/api/v1/x/info"));
        assert!(path_matches("/files/{**}", "/files/a/b/c.txt"));
        assert!(!path_matches("/files/{**}", "/other/a"));
    }

    #[test]
    fn namespaces_trust_domains_and_cidrs() {
        assert!(glob("prod-*", "prod-eu"));
        assert!(!glob("prod-*", "dev"));
        assert!(trust_domain_matches("*.local", "cluster.local"));
        assert!(in_cidr("10.0.0.0/8", "10.1.2.3"));
        assert!(!in_cidr("10.0.0.0/8", "11.1.2.3"));
        assert!(in_cidr("192.168.1.1", "192.168.1.1"));
        assert!(in_cidr("2001:db8::/32", "2001:db8::1"));
    }

    /// Blocks are read by the shared `mesh::cidr` (Go's `netip`): a bad
    /// prefix matches nothing, where simulate's own parser once read
    /// `/abc` as /32, clamped `/33` to /32 and took `/08` as /8.
    #[test]
    fn a_block_with_a_bad_prefix_matches_nothing() {
        assert!(!in_cidr("10.1.2.3/abc", "10.1.2.3"));
        assert!(!in_cidr("10.0.0.0/33", "10.0.0.0"));
        assert!(!in_cidr("10.0.0.0/08", "10.1.2.3"));
        assert!(!in_cidr("10.0.0.0/8", "not-an-ip"));
    }
}
