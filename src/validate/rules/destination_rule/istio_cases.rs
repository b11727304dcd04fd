//! Istio's validation test table for DestinationRule (validation_test.go's
//! TestValidateDestinationRule, TestValidateTrafficPolicy,
//! TestValidateConnectionPool, TestValidateLoadBalancer,
//! TestValidateOutlierDetection, and the DestinationRule half of
//! Test_validateExportTo), replayed as YAML resources; sub-validator cases sit
//! in a minimal DestinationRule. `code_paths` adds cases read from
//! validation.go where meshctl once disagreed or the tests leave a branch out.

use super::super::support::istio_table::{Case, Verdict::*, assert_table};

/// Istio's TestValidateDestinationRule.
#[test]
fn destination_rule() {
    let cases: &[Case] = &[
        (
            "simple",
            "",
            "  host: reviews\n  subsets:\n  - {name: v1, labels: {version: v1}}\n  - {name: v2, labels: {version: v2}}\n",
            Clean,
        ),
        (
            "empty selector",
            "",
            "  host: reviews\n  subsets:\n  - {name: v1, labels: {version: v1}}\n  - {name: v2, labels: {version: v2}}\n  workloadSelector: {}\n",
            Warn,
        ),
        (
            "missing host",
            "",
            "  host: \"\"\n  subsets:\n  - {name: v1, labels: {version: v1}}\n  - {name: v2, labels: {version: v2}}\n",
            Invalid,
        ),
        (
            "missing subset name",
            "",
            "  host: reviews\n  subsets:\n  - {name: \"\", labels: {version: v1}}\n  - {name: v2, labels: {version: v2}}\n",
            Invalid,
        ),
        (
            "dup subset",
            "",
            "  host: reviews\n  subsets:\n  - {name: foo, labels: {version: v1}}\n  - {name: foo, labels: {version: v2}}\n",
            Invalid,
        ),
        (
            "tp top",
            "",
            "  host: reviews\n  trafficPolicy:\n    loadBalancer: {simple: ROUND_ROBIN}\n    connectionPool: {tcp: {maxConnections: 7}, http: {http2MaxRequests: 11}}\n    outlierDetection: {minHealthPercent: 20}\n  subsets:\n  - {name: v1, labels: {version: v1}}\n  - {name: v2, labels: {version: v2}}\n",
            Clean,
        ),
        (
            "tp top",
            "",
            "  host: reviews\n  trafficPolicy:\n    loadBalancer: {simple: ROUND_ROBIN}\n    connectionPool: {}\n    outlierDetection: {minHealthPercent: 20}\n  subsets:\n  - {name: v1, labels: {version: v1}}\n  - {name: v2, labels: {version: v2}}\n",
            Invalid,
        ),
        (
            "tp subset",
            "",
            "  host: reviews\n  subsets:\n  - name: v1\n    labels: {version: v1}\n    trafficPolicy:\n      loadBalancer: {simple: ROUND_ROBIN}\n      connectionPool: {tcp: {maxConnections: 7}, http: {http2MaxRequests: 11}}\n      outlierDetection: {minHealthPercent: 20}\n  - {name: v2, labels: {version: v2}}\n",
            Clean,
        ),
        (
            "tp subset",
            "",
            "  host: reviews\n  subsets:\n  - name: v1\n    labels: {version: v1}\n    trafficPolicy:\n      loadBalancer: {simple: ROUND_ROBIN}\n      connectionPool: {}\n      outlierDetection: {minHealthPercent: 20}\n  - {name: v2, labels: {version: v2}}\n",
            Invalid,
        ),
        (
            "tp both",
            "",
            "  host: reviews\n  trafficPolicy:\n    loadBalancer: {simple: ROUND_ROBIN}\n    connectionPool: {tcp: {maxConnections: 7}, http: {http2MaxRequests: 11}}\n    outlierDetection: {minHealthPercent: 20}\n  subsets:\n  - name: v1\n    labels: {version: v1}\n    trafficPolicy:\n      loadBalancer: {simple: ROUND_ROBIN}\n      connectionPool: {tcp: {maxConnections: 7}, http: {http2MaxRequests: 11}}\n      outlierDetection: {minHealthPercent: 30}\n  - {name: v2, labels: {version: v2}}\n",
            Clean,
        ),
        (
            "tls simple ca",
            "",
            "  host: reviews\n  trafficPolicy:\n    tls: {mode: SIMPLE, caCertificates: test, subjectAltNames: [reviews.default.svc]}\n",
            Clean,
        ),
        (
            "tls simple cred",
            "",
            "  host: reviews\n  trafficPolicy:\n    tls: {mode: SIMPLE, credentialName: test, subjectAltNames: [reviews.default.svc]}\n",
            Clean,
        ),
        (
            "tls simple ca false",
            "",
            "  host: reviews\n  trafficPolicy:\n    tls: {mode: SIMPLE, caCertificates: test, subjectAltNames: [reviews.default.svc], insecureSkipVerify: false}\n",
            Clean,
        ),
        (
            "tls simple cred false",
            "",
            "  host: reviews\n  trafficPolicy:\n    tls: {mode: SIMPLE, credentialName: test, subjectAltNames: [reviews.default.svc], insecureSkipVerify: false}\n",
            Clean,
        ),
        (
            "tls simple cred true",
            "",
            "  host: reviews\n  trafficPolicy:\n    tls: {mode: SIMPLE, credentialName: test, insecureSkipVerify: true}\n",
            Invalid,
        ),
        (
            "tls simple ca true",
            "",
            "  host: reviews\n  trafficPolicy:\n    tls: {mode: SIMPLE, caCertificates: test, insecureSkipVerify: true}\n",
            Invalid,
        ),
        (
            "tls simple san true",
            "",
            "  host: reviews\n  trafficPolicy:\n    tls: {mode: SIMPLE, subjectAltNames: [reviews.default.svc], insecureSkipVerify: true}\n",
            Invalid,
        ),
        (
            "tls mutual ca",
            "",
            "  host: reviews\n  trafficPolicy:\n    tls: {mode: MUTUAL, caCertificates: test, privateKey: key, clientCertificate: cert, subjectAltNames: [reviews.default.svc]}\n",
            Clean,
        ),
        (
            "tls mutual cred",
            "",
            "  host: reviews\n  trafficPolicy:\n    tls: {mode: MUTUAL, credentialName: test, subjectAltNames: [reviews.default.svc]}\n",
            Clean,
        ),
        (
            "tls mutual ca false",
            "",
            "  host: reviews\n  trafficPolicy:\n    tls: {mode: MUTUAL, caCertificates: test, privateKey: key, clientCertificate: cert, subjectAltNames: [reviews.default.svc], insecureSkipVerify: false}\n",
            Clean,
        ),
        (
            "tls mutual cred false",
            "",
            "  host: reviews\n  trafficPolicy:\n    tls: {mode: MUTUAL, credentialName: test, subjectAltNames: [reviews.default.svc], insecureSkipVerify: false}\n",
            Clean,
        ),
        (
            "tls mutual ca true",
            "",
            "  host: reviews\n  trafficPolicy:\n    tls: {mode: MUTUAL, caCertificates: test, privateKey: key, clientCertificate: cert, insecureSkipVerify: true}\n",
            Invalid,
        ),
        (
            "tls mutual cred true",
            "",
            "  host: reviews\n  trafficPolicy:\n    tls: {mode: MUTUAL, credentialName: test, insecureSkipVerify: true}\n",
            Clean,
        ),
        (
            "tls mutual noca true",
            "",
            "  host: reviews\n  trafficPolicy:\n    tls: {mode: MUTUAL, privateKey: key, clientCertificate: cert, insecureSkipVerify: true}\n",
            Clean,
        ),
        (
            "tls mutual san true",
            "",
            "  host: reviews\n  trafficPolicy:\n    tls: {mode: MUTUAL, privateKey: key, clientCertificate: cert, subjectAltNames: [reviews.default.svc], insecureSkipVerify: true}\n",
            Invalid,
        ),
    ];
    assert_table("DestinationRule", "bar", cases);
}

/// Istio's TestValidateTrafficPolicy.
#[test]
fn traffic_policy() {
    let cases: &[Case] = &[
        (
            "tp valid",
            "",
            "  host: r\n  trafficPolicy:\n    loadBalancer: {simple: ROUND_ROBIN}\n    connectionPool: {tcp: {maxConnections: 7}, http: {http2MaxRequests: 11}}\n    outlierDetection: {minHealthPercent: 20}\n",
            Clean,
        ),
        ("tp empty", "", "  host: r\n  trafficPolicy: {}\n", Invalid),
        (
            "tp port missing",
            "",
            "  host: r\n  trafficPolicy:\n    portLevelSettings:\n    -\n      loadBalancer: {simple: ROUND_ROBIN}\n      connectionPool: {tcp: {maxConnections: 7}, http: {http2MaxRequests: 11}}\n      outlierDetection: {minHealthPercent: 20}\n",
            Invalid,
        ),
        (
            "tp bad pool",
            "",
            "  host: r\n  trafficPolicy:\n    loadBalancer: {simple: ROUND_ROBIN}\n    connectionPool: {}\n    outlierDetection: {minHealthPercent: 20}\n",
            Invalid,
        ),
        (
            "tp bad maxconndur",
            "",
            "  host: r\n  trafficPolicy:\n    loadBalancer: {simple: ROUND_ROBIN}\n    connectionPool: {tcp: {maxConnectionDuration: 0.0000005s}}\n",
            Invalid,
        ),
        (
            "tp minhealth neg",
            "",
            "  host: r\n  trafficPolicy:\n    loadBalancer: {simple: ROUND_ROBIN}\n    connectionPool: {tcp: {maxConnections: 7}, http: {http2MaxRequests: 11}}\n    outlierDetection: {minHealthPercent: -1}\n",
            Invalid,
        ),
        (
            "tp upgrade client",
            "",
            "  host: r\n  trafficPolicy:\n    connectionPool: {http: {h2UpgradePolicy: UPGRADE, useClientProtocol: true}}\n",
            Invalid,
        ),
    ];
    assert_table("DestinationRule", "bar", cases);
}

/// Istio's TestValidateConnectionPool.
#[test]
fn connection_pool() {
    let cases: &[Case] = &[
        (
            "cp both",
            "",
            "  host: r\n  trafficPolicy:\n    connectionPool:\n      tcp: {maxConnections: 7, connectTimeout: 2s}\n      http: {http1MaxPendingRequests: 2, http2MaxRequests: 11, maxRequestsPerConnection: 5, maxRetries: 4, idleTimeout: 30s, maxConcurrentStreams: 5}\n",
            Clean,
        ),
        (
            "cp tcp",
            "",
            "  host: r\n  trafficPolicy:\n    connectionPool:\n      tcp: {maxConnections: 7, connectTimeout: 2s}\n",
            Clean,
        ),
        (
            "cp http",
            "",
            "  host: r\n  trafficPolicy:\n    connectionPool:\n      http: {http1MaxPendingRequests: 2, http2MaxRequests: 11, maxRequestsPerConnection: 5, maxRetries: 4, idleTimeout: 30s, maxConcurrentStreams: 5}\n",
            Clean,
        ),
        (
            "cp http noidle",
            "",
            "  host: r\n  trafficPolicy:\n    connectionPool:\n      http: {http1MaxPendingRequests: 2, http2MaxRequests: 11, maxRequestsPerConnection: 5, maxRetries: 4, maxConcurrentStreams: 5}\n",
            Clean,
        ),
        (
            "cp h2ka",
            "",
            "  host: r\n  trafficPolicy:\n    connectionPool:\n      http: {http2KeepAlive: {interval: 15s, timeout: 5s}}\n",
            Clean,
        ),
        (
            "cp empty",
            "",
            "  host: r\n  trafficPolicy:\n    connectionPool: {}\n",
            Invalid,
        ),
        (
            "cp maxconn",
            "",
            "  host: r\n  trafficPolicy:\n    connectionPool: {tcp: {maxConnections: -1}}\n",
            Invalid,
        ),
        (
            "cp connto",
            "",
            "  host: r\n  trafficPolicy:\n    connectionPool: {tcp: {connectTimeout: 2.000000005s}}\n",
            Invalid,
        ),
        (
            "cp pending",
            "",
            "  host: r\n  trafficPolicy:\n    connectionPool: {http: {http1MaxPendingRequests: -1}}\n",
            Invalid,
        ),
        (
            "cp h2max",
            "",
            "  host: r\n  trafficPolicy:\n    connectionPool: {http: {http2MaxRequests: -1}}\n",
            Invalid,
        ),
        (
            "cp mrpc",
            "",
            "  host: r\n  trafficPolicy:\n    connectionPool: {http: {maxRequestsPerConnection: -1}}\n",
            Invalid,
        ),
        (
            "cp retries",
            "",
            "  host: r\n  trafficPolicy:\n    connectionPool: {http: {maxRetries: -1}}\n",
            Invalid,
        ),
        (
            "cp idle",
            "",
            "  host: r\n  trafficPolicy:\n    connectionPool: {http: {idleTimeout: 30.000000005s}}\n",
            Invalid,
        ),
        (
            "cp tcp idle0",
            "",
            "  host: r\n  trafficPolicy:\n    connectionPool: {tcp: {idleTimeout: 0s}}\n",
            Clean,
        ),
        (
            "cp streams",
            "",
            "  host: r\n  trafficPolicy:\n    connectionPool: {http: {maxConcurrentStreams: -1}}\n",
            Invalid,
        ),
        (
            "cp h2ka nointerval",
            "",
            "  host: r\n  trafficPolicy:\n    connectionPool: {http: {http2KeepAlive: {timeout: 5s}}}\n",
            Invalid,
        ),
        (
            "cp h2ka notimeout",
            "",
            "  host: r\n  trafficPolicy:\n    connectionPool: {http: {http2KeepAlive: {interval: 15s}}}\n",
            Invalid,
        ),
        (
            "cp h2ka badinterval",
            "",
            "  host: r\n  trafficPolicy:\n    connectionPool: {http: {http2KeepAlive: {interval: 15.000000005s, timeout: 5s}}}\n",
            Invalid,
        ),
    ];
    assert_table("DestinationRule", "bar", cases);
}

/// Istio's TestValidateLoadBalancer.
#[test]
fn load_balancer() {
    let cases: &[Case] = &[
        (
            "lb simple",
            "",
            "  host: r\n  trafficPolicy:\n    loadBalancer: {simple: ROUND_ROBIN}\n",
            Clean,
        ),
        (
            "lb ch cookie",
            "",
            "  host: r\n  trafficPolicy:\n    loadBalancer: {consistentHash: {minimumRingSize: 1024, httpCookie: {name: test, ttl: 3600s}}}\n",
            Warn,
        ),
        (
            "lb ch noname",
            "",
            "  host: r\n  trafficPolicy:\n    loadBalancer: {consistentHash: {minimumRingSize: 1024, httpCookie: {ttl: 3600s}}}\n",
            Schema,
        ),
        (
            "lb maglev 1000",
            "",
            "  host: r\n  trafficPolicy:\n    loadBalancer: {consistentHash: {maglev: {tableSize: 1000}, useSourceIp: true}}\n",
            Invalid,
        ),
        (
            "lb cookie attrs",
            "",
            "  host: r\n  trafficPolicy:\n    loadBalancer: {consistentHash: {httpCookie: {name: test-cookie, ttl: 3600s, attributes: [{name: SameSite, value: Strict}, {name: Secure, value: \"true\"}, {name: HttpOnly, value: \"true\"}]}}}\n",
            Clean,
        ),
        (
            "lb cookie dup",
            "",
            "  host: r\n  trafficPolicy:\n    loadBalancer: {consistentHash: {httpCookie: {name: test-cookie, ttl: 3600s, attributes: [{name: SameSite, value: Strict}, {name: SameSite, value: Lax}, {name: Secure, value: \"true\"}]}}}\n",
            Invalid,
        ),
        (
            "lb cookie empty",
            "",
            "  host: r\n  trafficPolicy:\n    loadBalancer: {consistentHash: {httpCookie: {name: test-cookie, ttl: 3600s, attributes: [{name: SameSite, value: Strict}, {name: \"\", value: some-value}, {name: Secure, value: \"true\"}]}}}\n",
            Invalid,
        ),
        (
            "lb both locality",
            "",
            "  host: r\n  trafficPolicy:\n    loadBalancer: {localityLbSetting: {}, zoneAwareLbSetting: {}}\n",
            Invalid,
        ),
        (
            "lb zoneaware",
            "",
            "  host: r\n  trafficPolicy:\n    loadBalancer: {zoneAwareLbSetting: {failover: [{from: us-east, to: eu-west}]}}\n",
            Warn,
        ),
    ];
    assert_table("DestinationRule", "bar", cases);
}

/// Istio's TestValidateOutlierDetection.
#[test]
fn outlier_detection() {
    let cases: &[Case] = &[
        (
            "od valid",
            "",
            "  host: r\n  trafficPolicy:\n    outlierDetection: {interval: 2s, baseEjectionTime: 2s, maxEjectionPercent: 50}\n",
            Clean,
        ),
        (
            "od interval",
            "",
            "  host: r\n  trafficPolicy:\n    outlierDetection: {interval: 2.000000005s}\n",
            Invalid,
        ),
        (
            "od bet",
            "",
            "  host: r\n  trafficPolicy:\n    outlierDetection: {baseEjectionTime: 2.000000005s}\n",
            Invalid,
        ),
        (
            "od maxej",
            "",
            "  host: r\n  trafficPolicy:\n    outlierDetection: {maxEjectionPercent: 105}\n",
            Invalid,
        ),
        (
            "od minh neg",
            "",
            "  host: r\n  trafficPolicy:\n    outlierDetection: {minHealthPercent: -1}\n",
            Invalid,
        ),
        (
            "od minh high",
            "",
            "  host: r\n  trafficPolicy:\n    outlierDetection: {minHealthPercent: 101}\n",
            Invalid,
        ),
        (
            "od consec",
            "",
            "  host: r\n  trafficPolicy:\n    outlierDetection: {consecutiveErrors: 101}\n",
            Warn,
        ),
        (
            "od local",
            "",
            "  host: r\n  trafficPolicy:\n    outlierDetection: {consecutiveLocalOriginFailures: 10}\n",
            Invalid,
        ),
    ];
    assert_table("DestinationRule", "bar", cases);
}

/// Istio's Test_validateExportTo, for DestinationRules (with and without a workload selector).
#[test]
fn export_to() {
    let cases: &[Case] = &[
        ("x empty", "", "  host: r\n  exportTo: []\n", Clean),
        ("x star", "", "  host: r\n  exportTo: [\"*\"]\n", Clean),
        (
            "x dot ns1",
            "",
            "  host: r\n  exportTo: [\".\", \"ns1\"]\n",
            Clean,
        ),
        (
            "x bunch",
            "",
            "  host: r\n  exportTo: [\"ns1\", \"ns2\", \"ns5\"]\n",
            Clean,
        ),
        (
            "x none dr",
            "",
            "  host: r\n  exportTo: [\"~\", \"ns1\"]\n",
            Invalid,
        ),
        (
            "x dot star",
            "",
            "  host: r\n  exportTo: [\".\", \"*\"]\n",
            Invalid,
        ),
        (
            "x star ns1",
            "",
            "  host: r\n  exportTo: [\"*\", \"ns1\"]\n",
            Invalid,
        ),
        (
            "x dot same",
            "",
            "  host: r\n  exportTo: [\".\", \"ns5\"]\n",
            Invalid,
        ),
        (
            "x dup",
            "",
            "  host: r\n  exportTo: [\"ns1\", \"ns2\", \"ns1\"]\n",
            Invalid,
        ),
        (
            "x invalid",
            "",
            "  host: r\n  exportTo: [\"ns1_\"]\n",
            Invalid,
        ),
        (
            "x sel star",
            "",
            "  host: r\n  workloadSelector: {matchLabels: {app: a}}\n  exportTo: [\"*\"]\n",
            Invalid,
        ),
        (
            "x sel dot",
            "",
            "  host: r\n  workloadSelector: {matchLabels: {app: a}}\n  exportTo: [\".\"]\n",
            Clean,
        ),
        (
            "x sel other",
            "",
            "  host: r\n  workloadSelector: {matchLabels: {app: a}}\n  exportTo: [\"somens\"]\n",
            Invalid,
        ),
        (
            "x sel dot other",
            "",
            "  host: r\n  workloadSelector: {matchLabels: {app: a}}\n  exportTo: [\".\", \"somens\"]\n",
            Invalid,
        ),
        ("x upper", "", "  host: r\n  exportTo: [\"NS1\"]\n", Clean),
    ];
    assert_table("DestinationRule", "ns5", cases);
}

/// Branches of Istio's DestinationRule validation beyond its test table.
#[test]
fn code_paths() {
    let cases: &[Case] = &[
        (
            "host bignum tld",
            "",
            "  host: reviews.12345678901234567890\n",
            Clean,
        ),
        ("host num tld", "", "  host: reviews.123\n", Invalid),
        (
            "dur 1001ms",
            "",
            "  host: r\n  trafficPolicy:\n    outlierDetection: {interval: 1.001s, baseEjectionTime: 0.3s}\n",
            Clean,
        ),
        (
            "dur mixed",
            "",
            "  host: r\n  trafficPolicy:\n    outlierDetection: {interval: 1h0m0.001s, baseEjectionTime: 4.097s}\n",
            Clean,
        ),
        (
            "dur many",
            "",
            "  host: r\n  trafficPolicy:\n    connectionPool: {tcp: {connectTimeout: 0.007s, maxConnectionDuration: 2.3s, idleTimeout: 0.11s}, http: {idleTimeout: 33.333s}}\n",
            Clean,
        ),
        (
            "tunnel zone",
            "",
            "  host: r\n  trafficPolicy:\n    tunnel: {targetHost: \"fe80::1%eth0\", targetPort: 443}\n",
            Clean,
        ),
        (
            "tunnel zone empty",
            "",
            "  host: r\n  trafficPolicy:\n    tunnel: {targetHost: \"fe80::1%\", targetPort: 443}\n",
            Invalid,
        ),
        (
            "retrybudget only",
            "",
            "  host: r\n  trafficPolicy:\n    retryBudget: {percent: 20}\n",
            Clean,
        ),
        (
            "proxyprotocol only",
            "",
            "  host: r\n  trafficPolicy:\n    proxyProtocol: {}\n",
            Clean,
        ),
        (
            "export none",
            "",
            "  host: r\n  exportTo: [\"~\"]\n",
            Invalid,
        ),
        (
            "export ns",
            "",
            "  host: r\n  exportTo: [\".\", other]\n",
            Clean,
        ),
        (
            "export dup ns",
            "",
            "  host: r\n  exportTo: [\".\", bar]\n",
            Invalid,
        ),
        (
            "selector export dot",
            "",
            "  host: r\n  workloadSelector: {matchLabels: {app: a}}\n  exportTo: [\".\"]\n",
            Clean,
        ),
        (
            "selector export ns",
            "",
            "  host: r\n  workloadSelector: {matchLabels: {app: a}}\n  exportTo: [bar]\n",
            Clean,
        ),
        (
            "selector export star",
            "",
            "  host: r\n  workloadSelector: {matchLabels: {app: a}}\n  exportTo: [\"*\"]\n",
            Invalid,
        ),
        (
            "selector key empty",
            "",
            "  host: r\n  workloadSelector: {matchLabels: {\"\": a}}\n",
            Invalid,
        ),
        (
            "subset label empty value",
            "",
            "  host: r\n  subsets:\n  - {name: v1, labels: {version: \"\"}}\n",
            Clean,
        ),
        (
            "subset label bad",
            "",
            "  host: r\n  subsets:\n  - {name: v1, labels: {\"a/b/c\": x}}\n",
            Invalid,
        ),
        (
            "subset uppercase",
            "",
            "  host: r\n  subsets:\n  - {name: V1}\n",
            Clean,
        ),
        (
            "subset dot",
            "",
            "  host: r\n  subsets:\n  - {name: v1.0}\n",
            Invalid,
        ),
        ("host upper", "", "  host: Reviews.Default.svc\n", Clean),
        (
            "host star prefix",
            "",
            "  host: \"*-foo.example.com\"\n",
            Clean,
        ),
        (
            "host mid star",
            "",
            "  host: \"foo*.example.com\"\n",
            Invalid,
        ),
        (
            "host trailing dot",
            "",
            "  host: \"reviews.default.\"\n",
            Clean,
        ),
        (
            "tls configmap",
            "",
            "  host: r\n  trafficPolicy:\n    tls: {mode: SIMPLE, credentialName: \"configmap://bar/ca\"}\n",
            Clean,
        ),
        (
            "tls configmap other",
            "",
            "  host: r\n  trafficPolicy:\n    tls: {mode: SIMPLE, credentialName: \"configmap://baz/ca\"}\n",
            Invalid,
        ),
        (
            "tls configmap extra",
            "",
            "  host: r\n  trafficPolicy:\n    tls: {mode: SIMPLE, credentialName: \"configmap://bar/ca/extra\"}\n",
            Clean,
        ),
        (
            "tls mutual empty",
            "",
            "  host: r\n  trafficPolicy:\n    tls: {mode: MUTUAL}\n",
            Invalid,
        ),
        (
            "tls istio mutual",
            "",
            "  host: r\n  trafficPolicy:\n    tls: {mode: ISTIO_MUTUAL, insecureSkipVerify: true, caCertificates: x}\n",
            Clean,
        ),
        (
            "tls cred crl",
            "",
            "  host: r\n  trafficPolicy:\n    tls: {mode: SIMPLE, credentialName: c, caCrl: x}\n",
            Invalid,
        ),
        (
            "tls disable cred crl",
            "",
            "  host: r\n  trafficPolicy:\n    tls: {mode: DISABLE, credentialName: c, caCrl: x}\n",
            Clean,
        ),
        (
            "maglev big",
            "",
            "  host: r\n  trafficPolicy:\n    loadBalancer: {consistentHash: {useSourceIp: true, maglev: {tableSize: 5000011}}}\n",
            Invalid,
        ),
        (
            "maglev prime",
            "",
            "  host: r\n  trafficPolicy:\n    loadBalancer: {consistentHash: {useSourceIp: true, maglev: {tableSize: 65537}}}\n",
            Clean,
        ),
        (
            "maglev zero",
            "",
            "  host: r\n  trafficPolicy:\n    loadBalancer: {consistentHash: {useSourceIp: true, maglev: {}}}\n",
            Invalid,
        ),
        (
            "ringhash",
            "",
            "  host: r\n  trafficPolicy:\n    loadBalancer: {consistentHash: {useSourceIp: true, ringHash: {minimumRingSize: 1024}}}\n",
            Clean,
        ),
        (
            "ring both",
            "",
            "  host: r\n  trafficPolicy:\n    loadBalancer: {consistentHash: {useSourceIp: true, minimumRingSize: 5, ringHash: {minimumRingSize: 1024}}}\n",
            Invalid,
        ),
        (
            "warmup noduration",
            "",
            "  host: r\n  trafficPolicy:\n    loadBalancer: {simple: ROUND_ROBIN, warmup: {aggression: 1}}\n",
            Schema,
        ),
        (
            "warmup minpct",
            "",
            "  host: r\n  trafficPolicy:\n    loadBalancer: {simple: ROUND_ROBIN, warmup: {duration: 10s, minimumPercent: 101}}\n",
            Schema,
        ),
        (
            "warmup aggr0",
            "",
            "  host: r\n  trafficPolicy:\n    loadBalancer: {simple: ROUND_ROBIN, warmup: {duration: 10s, aggression: 0}}\n",
            Invalid,
        ),
        (
            "warmup ok",
            "",
            "  host: r\n  trafficPolicy:\n    loadBalancer: {simple: ROUND_ROBIN, warmup: {duration: 10s, aggression: 2, minimumPercent: 10}}\n",
            Clean,
        ),
        (
            "locality dist fail",
            "",
            "  host: r\n  trafficPolicy:\n    outlierDetection: {interval: 1s}\n    loadBalancer: {localityLbSetting: {distribute: [{from: a/b/*, to: {\"a/b/*\": 100}}], failover: [{from: a, to: b}]}}\n",
            Invalid,
        ),
        (
            "locality weight0",
            "",
            "  host: r\n  trafficPolicy:\n    loadBalancer: {localityLbSetting: {distribute: [{from: a/b/*, to: {\"a/b/*\": 0, \"a/c/*\": 100}}]}}\n",
            Invalid,
        ),
        (
            "locality sum",
            "",
            "  host: r\n  trafficPolicy:\n    loadBalancer: {localityLbSetting: {distribute: [{from: a/b/*, to: {\"a/b/*\": 50}}]}}\n",
            Invalid,
        ),
        (
            "locality failprio topo",
            "",
            "  host: r\n  trafficPolicy:\n    outlierDetection: {interval: 1s}\n    loadBalancer: {localityLbSetting: {failover: [{from: a, to: b}], failoverPriority: [topology.kubernetes.io/zone]}}\n",
            Invalid,
        ),
        (
            "locality failprio only",
            "",
            "  host: r\n  trafficPolicy:\n    loadBalancer: {localityLbSetting: {failoverPriority: [topology.kubernetes.io/zone]}}\n",
            Warn,
        ),
        (
            "zoneaware topo",
            "",
            "  host: r\n  trafficPolicy:\n    outlierDetection: {interval: 1s}\n    loadBalancer: {zoneAwareLbSetting: {failoverPriority: [topology.kubernetes.io/region]}}\n",
            Invalid,
        ),
        (
            "locality from empty",
            "",
            "  host: r\n  trafficPolicy:\n    loadBalancer: {localityLbSetting: {distribute: [{to: {\"a/b/*\": 100}}]}}\n",
            Invalid,
        ),
        (
            "pls empty",
            "",
            "  host: r\n  trafficPolicy:\n    portLevelSettings:\n    - port: {number: 80}\n",
            Invalid,
        ),
        (
            "pls bad od",
            "",
            "  host: r\n  trafficPolicy:\n    portLevelSettings:\n    - port: {number: 80}\n      outlierDetection: {maxEjectionPercent: 200}\n",
            Invalid,
        ),
        (
            "tunnel proto",
            "",
            "  host: r\n  trafficPolicy:\n    tunnel: {protocol: GET, targetHost: a.com, targetPort: 80}\n",
            Invalid,
        ),
        (
            "tunnel nohost",
            "",
            "  host: r\n  trafficPolicy:\n    tunnel: {targetPort: 80}\n",
            Schema,
        ),
        (
            "tunnel http2",
            "",
            "  host: r\n  trafficPolicy:\n    tunnel: {protocol: CONNECT, targetHost: a.com, targetPort: 80}\n",
            Clean,
        ),
        (
            "tp tls only pls",
            "",
            "  host: r\n  trafficPolicy:\n    portLevelSettings:\n    - port: {number: 80}\n      tls: {mode: DISABLE}\n",
            Clean,
        ),
        (
            "tp tunnel pp",
            "",
            "  host: r\n  trafficPolicy:\n    tunnel: {targetHost: a.com, targetPort: 80}\n    proxyProtocol: {version: V2}\n",
            Invalid,
        ),
        (
            "od consec pls",
            "",
            "  host: r\n  trafficPolicy:\n    portLevelSettings:\n    - port: {number: 80}\n      outlierDetection: {consecutiveErrors: 3}\n",
            Warn,
        ),
        (
            "od local split",
            "",
            "  host: r\n  trafficPolicy:\n    outlierDetection: {consecutiveLocalOriginFailures: 10, splitExternalLocalOriginErrors: true}\n",
            Clean,
        ),
        (
            "od local 0",
            "",
            "  host: r\n  trafficPolicy:\n    outlierDetection: {consecutiveLocalOriginFailures: 0}\n",
            Clean,
        ),
        (
            "od interval 0",
            "",
            "  host: r\n  trafficPolicy:\n    outlierDetection: {interval: 0s}\n",
            Invalid,
        ),
        (
            "cp connto 0",
            "",
            "  host: r\n  trafficPolicy:\n    connectionPool: {tcp: {connectTimeout: 0s}}\n",
            Invalid,
        ),
        (
            "cp ka time0",
            "",
            "  host: r\n  trafficPolicy:\n    connectionPool: {tcp: {tcpKeepalive: {time: 0s}}}\n",
            Invalid,
        ),
        (
            "cp tcp idle sub",
            "",
            "  host: r\n  trafficPolicy:\n    connectionPool: {tcp: {idleTimeout: 0.0005s}}\n",
            Clean,
        ),
        (
            "cp tcp idle 1ms",
            "",
            "  host: r\n  trafficPolicy:\n    connectionPool: {tcp: {idleTimeout: 0.001s}}\n",
            Clean,
        ),
        (
            "cp h2 upgrade noclient",
            "",
            "  host: r\n  trafficPolicy:\n    connectionPool: {http: {h2UpgradePolicy: UPGRADE, useClientProtocol: false}}\n",
            Clean,
        ),
    ];
    assert_table("DestinationRule", "bar", cases);
}
