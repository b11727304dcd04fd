//! Property tests of the whole validate path: random resources of every mesh
//! kind, built from the real field names so that they reach deep into the
//! checks, never make validate panic, and every finding is located.

use meshctl::loader::{Limits, LoadedFile, SourceFile, parse_documents};
use meshctl::model::MeshKind;
use meshctl::report::to_yaml;
use meshctl::validate::{ValidateOptions, validate};
use proptest::prelude::*;
use serde_json::{Value as Json, json};

/// Field names that occur in Istio's specs, so random trees hit real fields.
const FIELDS: &[&str] = &[
    "hosts",
    "gateways",
    "http",
    "tcp",
    "tls",
    "match",
    "route",
    "destination",
    "host",
    "subset",
    "port",
    "number",
    "weight",
    "timeout",
    "retries",
    "attempts",
    "perTryTimeout",
    "retryOn",
    "fault",
    "delay",
    "abort",
    "fixedDelay",
    "percentage",
    "value",
    "httpStatus",
    "grpcStatus",
    "uri",
    "prefix",
    "exact",
    "regex",
    "headers",
    "queryParams",
    "withoutHeaders",
    "method",
    "authority",
    "redirect",
    "rewrite",
    "uriRegexRewrite",
    "directResponse",
    "status",
    "body",
    "mirror",
    "mirrors",
    "mirrorPercentage",
    "corsPolicy",
    "allowOrigins",
    "delegate",
    "name",
    "namespace",
    "sniHosts",
    "subsets",
    "labels",
    "trafficPolicy",
    "loadBalancer",
    "simple",
    "consistentHash",
    "connectionPool",
    "outlierDetection",
    "portLevelSettings",
    "tunnel",
    "exportTo",
    "workloadSelector",
    "selector",
    "servers",
    "credentialName",
    "mode",
    "endpoints",
    "address",
    "ports",
    "resolution",
    "location",
    "addresses",
    "egress",
    "ingress",
    "outboundTrafficPolicy",
    "action",
    "rules",
    "from",
    "to",
    "when",
    "source",
    "operation",
    "principals",
    "paths",
    "methods",
    "key",
    "values",
    "ipBlocks",
    "provider",
    "targetRef",
    "targetRefs",
    "mtls",
    "portLevelMtls",
    "jwtRules",
    "issuer",
    "jwksUri",
    "jwks",
    "fromHeaders",
    "outputClaimToHeaders",
    "matchLabels",
    "protocol",
    "bind",
    "defaultEndpoint",
    "captureMode",
];

fn scalar() -> impl Strategy<Value = Json> {
    prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        (-70_000i64..70_000).prop_map(Json::from),
        prop::sample::select(vec![
            "*",
            "*.example.com",
            "reviews",
            "ns/reviews",
            "10ms",
            "1.5s",
            "abc",
            "",
            "/api",
            "GET",
            "STRICT",
            "ISTIO_MUTUAL",
            "ROUND_ROBIN",
            "(?=x)",
            "^/v[0-9]+",
            "10.0.0.0/8",
            "5xx,gateway-error",
            "mesh",
            "cluster.local/ns/a/sa/b",
            "request.headers[x]",
            "https://x.example.com/jwks",
            "DNS",
            "ALLOW",
        ])
        .prop_map(Json::from),
    ]
}

fn tree() -> impl Strategy<Value = Json> {
    scalar().prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Json::Array),
            prop::collection::btree_map(prop::sample::select(FIELDS.to_vec()), inner, 0..5)
                .prop_map(|m| Json::Object(
                    m.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
                )),
        ]
    })
}

fn resource() -> impl Strategy<Value = Json> {
    let kinds: Vec<(String, String)> = MeshKind::ALL
        .into_iter()
        .flat_map(|k| k.api_versions().map(move |v| (v, k.name().to_string())))
        .collect();
    (prop::sample::select(kinds), tree()).prop_map(|((api_version, kind), spec)| {
        json!({"apiVersion": api_version, "kind": kind, "metadata": {"name": "x", "namespace": "ns"}, "spec": spec})
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn validate_never_panics_and_locates_every_finding(resources in prop::collection::vec(resource(), 1..4)) {
        let text: String = resources.iter().map(|r| format!("---\n{}", to_yaml(r))).collect();
        let source = SourceFile::new("random.yaml", text);
        let documents = parse_documents(&source, &Limits::default());
        let options = ValidateOptions { default_namespace: "default".into(), keep_models: false, let_go_texts: false, custom_kinds: Default::default() };
        let validated = validate(vec![LoadedFile { source, documents }], &options);
        for finding in &validated.diagnostics {
            let location = finding.location.as_ref().expect("every finding has a location");
            prop_assert!(location.pos.line >= 1 && location.pos.column >= 1, "{finding:?}");
        }
    }
}
