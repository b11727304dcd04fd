//! Istio's own validation table for AuthorizationPolicy, replayed as YAML:
//! each case is a whole resource and the verdict Istio's webhook gives it.
//! Also holds the table runner the other security kinds share.

use crate::validate::test_support::assert_verdicts;

pub use crate::validate::test_support::Verdict;

/// A resource of `kind` named `name` in `namespace`, with optional
/// annotations (a flow mapping) and a spec (a flow mapping).
pub fn resource(kind: &str, annotations: &str, spec: &str) -> String {
    let annotations = if annotations.is_empty() {
        String::new()
    } else {
        format!("\n  annotations: {annotations}")
    };
    format!(
        "apiVersion: security.istio.io/v1\nkind: {kind}\nmetadata:\n  name: name\n  namespace: namespace{annotations}\nspec: {spec}\n"
    )
}

/// Runs a table of (case name, annotations, spec, verdict) for `kind` and
/// lists every disagreement at once.
pub fn assert_table(kind: &str, cases: &[(&str, &str, &str, Verdict)]) {
    assert_verdicts(
        cases.iter().map(|(name, annotations, spec, want)| {
            (*name, resource(kind, annotations, spec), *want)
        }),
    );
}

use Verdict::*;

const NO: &str = "";

/// A rule that carries a port, so DENY does not warn about TCP traffic.
const RULE_WITH_PORT: &str = "rules: [{from: [{source: {principals: [temp]}}], to: [{operation: {ports: [\"8080\"], methods: [GET, DELETE]}}]}]";

#[test]
fn selectors_actions_and_targets() {
    let deny_gateway = |target: &str| format!("{{action: DENY, {target}, {RULE_WITH_PORT}}}");
    let cases: Vec<(&str, &str, String, Verdict)> = vec![
        ("good", NO, "{selector: {matchLabels: {app: httpbin, version: v1}}, rules: [{from: [{source: {principals: [sa1]}}, {source: {principals: [sa2]}}], to: [{operation: {methods: [GET]}}, {operation: {methods: [POST]}}], when: [{key: source.ip, values: [1.2.3.4, 5.6.7.0/24]}, {key: \"request.headers[:authority]\", values: [v1, v2]}]}]}".into(), Clean),
        ("good serviceAccounts", NO, "{selector: {matchLabels: {app: httpbin, version: v1}}, rules: [{from: [{source: {serviceAccounts: [ns1/sa1, ns2/sa2]}}, {source: {principals: [sa2]}}]}]}".into(), Clean),
        ("serviceAccounts and namespaces", NO, "{selector: {matchLabels: {app: httpbin}}, rules: [{from: [{source: {serviceAccounts: [ns1/sa1, ns2/sa2], namespaces: [ns]}}]}]}".into(), Invalid),
        ("custom-good", NO, "{action: CUSTOM, provider: {name: my-custom-authz}, rules: [{}]}".into(), Clean),
        ("custom-empty-provider", NO, "{action: CUSTOM, provider: {name: \"\"}, rules: [{}]}".into(), Invalid),
        ("custom-nil-provider", NO, "{action: CUSTOM, rules: [{}]}".into(), Invalid),
        ("custom-invalid-rule", NO, "{action: CUSTOM, provider: {name: my-custom-authz}, rules: [{from: [{source: {namespaces: [ns], notNamespaces: [ns], principals: [id], notPrincipals: [id], requestPrincipals: [req], notRequestPrincipals: [req]}}], when: [{key: source.namespace, values: [a], notValues: [b]}, {key: source.principal, values: [a], notValues: [b]}, {key: \"request.auth.claims[a]\", values: [a], notValues: [b]}]}]}".into(), Invalid),
        ("provider-wrong-action", NO, "{action: ALLOW, provider: {name: \"\"}, rules: [{}]}".into(), Invalid),
        ("allow-rules-nil", NO, "{action: ALLOW}".into(), Clean),
        ("dry-run-valid-allow", "{istio.io/dry-run: \"true\"}", "{action: ALLOW}".into(), Clean),
        ("dry-run-valid-deny", "{istio.io/dry-run: \"false\"}", "{action: DENY, rules: [{}]}".into(), Clean),
        ("dry-run-invalid-value", "{istio.io/dry-run: foo}", "{action: ALLOW}".into(), Invalid),
        ("dry-run-invalid-action-custom", "{istio.io/dry-run: \"true\"}", "{action: CUSTOM}".into(), Invalid),
        ("dry-run-invalid-action-audit", "{istio.io/dry-run: \"true\"}", "{action: AUDIT}".into(), Invalid),
        ("deny-rules-nil", NO, "{action: DENY}".into(), Invalid),
        ("deny-rules-empty-list", NO, "{action: DENY, rules: []}".into(), Invalid),
        ("selector-empty-value", NO, "{selector: {matchLabels: {app: \"\", version: v1}}}".into(), Clean),
        // The CRD refuses an empty label key too.
        ("selector-empty-key", NO, "{selector: {matchLabels: {app: httpbin, \"\": v1}}}".into(), Invalid),
        ("selector-empty-labels", NO, "{selector: {}}".into(), Warn),
        ("selector-wildcard-value", NO, "{selector: {matchLabels: {app: httpbin-*}}}".into(), Invalid),
        ("selector-wildcard-key", NO, "{selector: {matchLabels: {app-*: httpbin}}}".into(), Invalid),
        ("target-ref-good", NO, deny_gateway("targetRef: {group: gateway.networking.k8s.io, kind: Gateway, name: foo}"), Clean),
        ("target-refs-good", NO, deny_gateway("targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: foo}]"), Clean),
        ("target-refs-good-service", NO, deny_gateway("targetRefs: [{group: \"\", kind: Service, name: foo}]"), Clean),
        ("target-ref-non-empty-namespace", NO, deny_gateway("targetRef: {group: gateway.networking.k8s.io, kind: Gateway, name: foo, namespace: bar}"), Invalid),
        // The CRD requires the name (at least one character).
        ("target-ref-empty-name", NO, deny_gateway("targetRef: {group: gateway.networking.k8s.io, kind: Gateway}"), Schema),
        ("target-ref-empty-name-string", NO, deny_gateway("targetRef: {group: gateway.networking.k8s.io, kind: Gateway, name: \"\"}"), Schema),
        ("target-ref-wrong-group", NO, deny_gateway("targetRef: {group: wrong-group, kind: Gateway, name: foo}"), Invalid),
        ("target-ref-wrong-kind", NO, deny_gateway("targetRef: {group: gateway.networking.k8s.io, kind: wrong-kind, name: foo}"), Invalid),
        ("target-ref-and-selector", NO, deny_gateway("targetRef: {group: gateway.networking.k8s.io, kind: Gateway, name: foo}, selector: {matchLabels: {app: httpbin}}"), Invalid),
        ("target-refs-and-selector", NO, deny_gateway("targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: foo}], selector: {matchLabels: {app: httpbin}}"), Invalid),
    ];
    let cases: Vec<_> = cases
        .iter()
        .map(|(n, a, s, v)| (*n, *a, s.as_str(), *v))
        .collect();
    assert_table("AuthorizationPolicy", &cases);
}

#[test]
fn rules_from_to_when() {
    let from = |source: &str| format!("{{rules: [{{from: [{{source: {source}}}]}}]}}");
    let to = |operation: &str| format!("{{rules: [{{to: [{{operation: {operation}}}]}}]}}");
    let when = |condition: &str| {
        format!("{{selector: {{matchLabels: {{app: httpbin}}}}, rules: [{{when: [{condition}]}}]}}")
    };
    let mut cases: Vec<(String, String, Verdict)> = vec![
        // `from: []` and `to: []` arrive as absent lists once Istio decodes
        // the JSON, so the webhook never sees Istio's "from-empty" and
        // "to-empty" cases: both are accepted in practice.
        ("from-empty-list".into(), "{rules: [{from: []}]}".into(), Clean),
        ("to-empty-list".into(), "{rules: [{to: []}]}".into(), Clean),
        ("source-nil".into(), "{rules: [{from: [{}]}]}".into(), Invalid),
        ("source-empty".into(), from("{}"), Invalid),
        ("operation-nil".into(), "{rules: [{to: [{}]}]}".into(), Invalid),
        ("operation-empty".into(), to("{}"), Invalid),
        ("value-empty".into(), when("{key: \"request.headers[:authority]\", values: [v1, \"\"]}"), Invalid),
        ("invalid ip and port in ipBlocks".into(), "{rules: [{from: [{source: {ipBlocks: [1.2.3.4, ip1], notIpBlocks: [5.6.7.8, ip2]}}], to: [{operation: {ports: [\"80\", port1], notPorts: [\"90\", port2]}}]}]}".into(), Invalid),
        ("invalid ip and port in remoteIpBlocks".into(), "{rules: [{from: [{source: {remoteIpBlocks: [1.2.3.4, ip1], notRemoteIpBlocks: [5.6.7.8, ip2]}}], to: [{operation: {ports: [\"80\", port1], notPorts: [\"90\", port2]}}]}]}".into(), Invalid),
        // The CRD requires `key`.
        ("condition-key-missing".into(), when("{values: [v1, v2]}"), Schema),
        ("condition-key-empty".into(), when("{key: \"\", values: [v1, v2]}"), Invalid),
        ("condition-value-missing".into(), when("{key: source.principal}"), Invalid),
        ("condition-value-invalid".into(), when("{key: source.ip, values: [a.b.c.d]}"), Invalid),
        ("condition-notValue-invalid".into(), when("{key: source.ip, notValues: [a.b.c.d]}"), Invalid),
        ("condition-unknown".into(), when("{key: key1, values: [v1]}"), Invalid),
        ("L7DenyWithFrom".into(), "{action: DENY, selector: {matchLabels: {app: httpbin}}, rules: [{from: [{source: {requestPrincipals: [example.com/sub-1]}}]}]}".into(), Warn),
        ("L7DenyWithTo".into(), "{action: DENY, selector: {matchLabels: {app: httpbin}}, rules: [{to: [{operation: {methods: [GET, DELETE]}}]}]}".into(), Warn),
        ("L7DenyWithFromAndTo".into(), "{action: DENY, selector: {matchLabels: {app: httpbin}}, rules: [{from: [{source: {principals: [temp]}}], to: [{operation: {methods: [GET, DELETE]}}]}]}".into(), Warn),
        ("L7DenyWithFromAndToWithPort".into(), format!("{{action: DENY, selector: {{matchLabels: {{app: httpbin}}}}, {RULE_WITH_PORT}}}"), Clean),
    ];
    for field in [
        "principals",
        "notPrincipals",
        "requestPrincipals",
        "notRequestPrincipals",
        "namespaces",
        "notNamespaces",
    ] {
        cases.push((
            format!("{field}-empty"),
            from(&format!("{{{field}: [p1, \"\"]}}")),
            Invalid,
        ));
    }
    cases.push((
        "serviceAccounts-empty".into(),
        from("{serviceAccounts: [ns/sa, \"\"]}"),
        Invalid,
    ));
    for field in [
        "ipBlocks",
        "notIpBlocks",
        "remoteIpBlocks",
        "notRemoteIpBlocks",
    ] {
        cases.push((
            format!("{field}-empty"),
            from(&format!("{{{field}: [1.2.3.4, \"\"]}}")),
            Invalid,
        ));
    }
    for (field, value) in [
        ("hosts", "host"),
        ("notHosts", "host"),
        ("ports", "\"80\""),
        ("notPorts", "\"80\""),
        ("methods", "GET"),
        ("notMethods", "GET"),
        ("paths", "/path"),
        ("notPaths", "/path"),
    ] {
        cases.push((
            format!("{field}-empty"),
            to(&format!("{{{field}: [{value}, \"\"]}}")),
            Invalid,
        ));
    }
    let cases: Vec<_> = cases
        .iter()
        .map(|(n, s, v)| (n.as_str(), NO, s.as_str(), *v))
        .collect();
    assert_table("AuthorizationPolicy", &cases);
}

/// Cases read off Istio's validation code rather than its table.
#[test]
fn beyond_the_table() {
    let when = |condition: &str| format!("{{rules: [{{when: [{condition}]}}]}}");
    let accounts = |n: usize| {
        let names: Vec<String> = (1..=n).map(|i| format!("sa{i}")).collect();
        names.join(", ")
    };
    let cases: Vec<(&str, String, Verdict)> = vec![
        // Go's address parser takes an IPv6 zone, but not in a CIDR block.
        ("zoned IPv6 address", when("{key: source.ip, values: [\"fe80::1%eth0\"]}"), Clean),
        ("zoned IPv6 block", "{rules: [{from: [{source: {ipBlocks: [\"fe80::%eth0/64\"]}}]}]}".into(), Invalid),
        ("zoned IPv4 address", when("{key: destination.ip, values: [\"10.0.0.1%eth0\"]}"), Invalid),
        // At most 16 service accounts, in `from` (the CRD) and in `when`.
        ("16 service accounts in when", when(&format!("{{key: source.serviceAccount, values: [{}]}}", accounts(16))), Clean),
        ("17 service accounts in when", when(&format!("{{key: source.serviceAccount, notValues: [{}]}}", accounts(17))), Invalid),
        ("17 service accounts in from", format!("{{rules: [{{from: [{{source: {{serviceAccounts: [{}]}}}}]}}]}}", accounts(17)), Schema),
        // Ports are read as unsigned decimal numbers.
        ("port with a leading zero", "{rules: [{to: [{operation: {ports: [\"080\"]}}]}]}".into(), Clean),
        ("signed port", "{rules: [{to: [{operation: {notPorts: [\"+80\"]}}]}]}".into(), Invalid),
        ("destination port 0", when("{key: destination.port, values: [\"0\"]}"), Clean),
        // A DENY rule with only a `when` has no HTTP-only source or operation.
        ("deny with only when", "{action: DENY, rules: [{when: [{key: source.ip, values: [10.0.0.1]}]}]}".into(), Clean),
        // Trust domains and request principals do not reach TCP.
        ("deny on trust domains", "{action: DENY, rules: [{from: [{source: {trustDomains: [td]}}]}]}".into(), Warn),
        ("custom with provider but no rules", "{action: CUSTOM, provider: {name: ext}}".into(), Invalid),
        ("custom with an empty provider", "{action: CUSTOM, provider: {}, rules: [{}]}".into(), Invalid),
        ("audit with a provider", "{action: AUDIT, provider: {name: ext}, rules: [{}]}".into(), Invalid),
        ("custom on service accounts in when", "{action: CUSTOM, provider: {name: ext}, rules: [{when: [{key: source.serviceAccount, values: [sa]}]}]}".into(), Invalid),
        ("custom on ipBlocks", "{action: CUSTOM, provider: {name: ext}, rules: [{from: [{source: {ipBlocks: [10.0.0.0/8]}}]}]}".into(), Clean),
        ("target core Service", "{targetRef: {group: core, kind: Service, name: foo}}".into(), Clean),
        ("target GatewayClass", "{targetRefs: [{group: gateway.networking.k8s.io, kind: GatewayClass, name: istio}]}".into(), Clean),
        ("target ServiceEntry", "{targetRefs: [{group: networking.istio.io, kind: ServiceEntry, name: foo}]}".into(), Clean),
    ];
    let cases: Vec<_> = cases
        .iter()
        .map(|(n, s, v)| (*n, NO, s.as_str(), *v))
        .collect();
    assert_table("AuthorizationPolicy", &cases);
}
