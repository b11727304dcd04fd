//! Istio's validation test table for ServiceEntry (validation_test.go's
//! TestValidateServiceEntries and the ServiceEntry half of
//! Test_validateExportTo), replayed as YAML resources. `code_paths` adds cases
//! read from validation.go where meshctl once disagreed or the tests leave a
//! branch out.

use super::super::support::istio_table::{Case, Verdict::*, assert_table};

/// Istio's TestValidateServiceEntries.
#[test]
fn service_entries() {
    let cases: &[Case] = &[
        (
            "dns",
            "",
            "  hosts: [\"*.google.com\"]\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  - {number: 8080, protocol: http, name: http-valid2}\n  endpoints:\n  - {address: lon.google.com, ports: {http-valid1: 8080}}\n  - {address: in.google.com, ports: {http-valid2: 9080}}\n  resolution: DNS\n",
            Valid,
        ),
        (
            "dnsrr",
            "",
            "  hosts: [\"*.istio.io\"]\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  - {number: 8080, protocol: http, name: http-valid2}\n  endpoints:\n  - {address: api-v1.istio.io, ports: {http-valid1: 8080}}\n  resolution: DNS_ROUND_ROBIN\n",
            Valid,
        ),
        (
            "dns tlsmode",
            "",
            "  hosts: [\"*.google.com\"]\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  - {number: 8080, protocol: http, name: http-valid2}\n  endpoints:\n  - {address: lon.google.com, ports: {http-valid1: 8080}, labels: {security.istio.io/tlsMode: istio}}\n  - {address: in.google.com, ports: {http-valid2: 9080}, labels: {security.istio.io/tlsMode: istio}}\n  resolution: DNS\n",
            Valid,
        ),
        (
            "dns ip https",
            "",
            "  hosts: [httpbin.org]\n  addresses: [10.10.10.10]\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  - {number: 8080, protocol: http, name: http-valid2}\n  - {number: 443, protocol: https, name: https}\n  resolution: DNS\n",
            Clean,
        ),
        (
            "dns multi ip https",
            "",
            "  hosts: [httpbin.org, wikipedia.org]\n  addresses: [10.10.10.10]\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  - {number: 8080, protocol: http, name: http-valid2}\n  - {number: 443, protocol: https, name: https}\n  resolution: DNS\n",
            Warn,
        ),
        (
            "dns ipset",
            "",
            "  hosts: [\"*.google.com\"]\n  addresses: [10.10.10.10]\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  - {number: 8080, protocol: http, name: http-valid2}\n  endpoints:\n  - {address: lon.google.com, ports: {http-valid1: 8080}}\n  - {address: in.google.com, ports: {http-valid2: 9080}}\n  resolution: DNS\n",
            Clean,
        ),
        (
            "dns ip ep",
            "",
            "  hosts: [\"*.google.com\"]\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  - {number: 8080, protocol: http, name: http-valid2}\n  endpoints:\n  - {address: 1.1.1.1, ports: {http-valid1: 8080}}\n  - {address: in.google.com, ports: {http-valid2: 9080}}\n  resolution: DNS\n",
            Valid,
        ),
        (
            "dyndns",
            "",
            "  hosts: [\"*.google.com\"]\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  - {number: 8080, protocol: http, name: http-valid2}\n  resolution: DYNAMIC_DNS\n",
            Valid,
        ),
        (
            "empty hosts",
            "",
            "  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  endpoints:\n  - {address: in.google.com, ports: {http-valid2: 9080}}\n  resolution: DNS\n",
            Schema,
        ),
        (
            "bad hosts",
            "",
            "  hosts: [\"-\"]\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  endpoints:\n  - {address: in.google.com, ports: {http-valid2: 9080}}\n  resolution: DNS\n",
            Invalid,
        ),
        (
            "full wildcard",
            "",
            "  hosts: [foo.com, \"*\"]\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  endpoints:\n  - {address: in.google.com, ports: {http-valid2: 9080}}\n  resolution: DNS\n",
            Invalid,
        ),
        (
            "short name",
            "",
            "  hosts: [foo, bar.com]\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  endpoints:\n  - {address: in.google.com, ports: {http-valid1: 9080}}\n  resolution: DNS\n",
            Valid,
        ),
        (
            "undefined ep port",
            "",
            "  hosts: [google.com]\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  - {number: 80, protocol: http, name: http-valid2}\n  endpoints:\n  - {address: lon.google.com, ports: {http-valid1: 8080}}\n  - {address: in.google.com, ports: {http-dne: 9080}}\n  resolution: DNS\n",
            Invalid,
        ),
        (
            "dns nonfqdn ep",
            "",
            "  hosts: [\"*.google.com\"]\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  - {number: 8080, protocol: http, name: http-valid2}\n  endpoints:\n  - {address: \"*.lon.google.com\", ports: {http-valid1: 8080}}\n  - {address: in.google.com, ports: {http-dne: 9080}}\n  resolution: DNS\n",
            Invalid,
        ),
        (
            "dns nonfqdn host",
            "",
            "  hosts: [\"*.google.com\"]\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  - {number: 8080, protocol: http, name: http-valid2}\n  resolution: DNS\n",
            Invalid,
        ),
        (
            "dns noep",
            "",
            "  hosts: [google.com]\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  - {number: 8080, protocol: http, name: http-valid2}\n  resolution: DNS\n",
            Valid,
        ),
        (
            "dns unix",
            "",
            "  hosts: [\"*.google.com\"]\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  endpoints:\n  - {address: \"unix:///lon/google/com\"}\n  resolution: DNS\n",
            Invalid,
        ),
        (
            "none",
            "",
            "  hosts: [google.com]\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  - {number: 8080, protocol: http, name: http-valid2}\n  resolution: NONE\n",
            Valid,
        ),
        (
            "none ep",
            "",
            "  hosts: [google.com]\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  - {number: 8080, protocol: http, name: http-valid2}\n  endpoints:\n  - {address: lon.google.com, ports: {http-valid1: 8080}}\n  resolution: NONE\n",
            Invalid,
        ),
        (
            "none cidr",
            "",
            "  hosts: [google.com]\n  addresses: [172.1.2.16/16]\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  - {number: 8080, protocol: http, name: http-valid2}\n  resolution: NONE\n",
            Valid,
        ),
        (
            "static cidr ep",
            "",
            "  hosts: [google.com]\n  addresses: [172.1.2.16/16]\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  - {number: 8080, protocol: http, name: http-valid2}\n  endpoints:\n  - {address: 1.1.1.1, ports: {http-valid1: 8080}}\n  - {address: 2.2.2.2, ports: {http-valid2: 9080}}\n  resolution: STATIC\n",
            Valid,
        ),
        (
            "static",
            "",
            "  hosts: [google.com]\n  addresses: [172.1.2.16]\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  - {number: 8080, protocol: http, name: http-valid2}\n  endpoints:\n  - {address: 1.1.1.1, ports: {http-valid1: 8080}}\n  - {address: 2.2.2.2, ports: {http-valid2: 9080}}\n  resolution: STATIC\n",
            Valid,
        ),
        (
            "static fqdn ep",
            "",
            "  hosts: [google.com]\n  addresses: [172.1.2.16]\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  - {number: 8080, protocol: http, name: http-valid2}\n  endpoints:\n  - {address: google.com, ports: {http-valid1: 8080}}\n  - {address: 2.2.2.2, ports: {http-valid2: 9080}}\n  resolution: STATIC\n",
            Invalid,
        ),
        (
            "static noep",
            "",
            "  hosts: [google.com]\n  addresses: [172.1.2.16]\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  - {number: 8080, protocol: http, name: http-valid2}\n  resolution: STATIC\n",
            Valid,
        ),
        (
            "static bad ep port",
            "",
            "  hosts: [google.com]\n  addresses: [172.1.2.16]\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  - {number: 8080, protocol: http, name: http-valid2}\n  endpoints:\n  - {address: 1.1.1.1, ports: {http-valid1: 8080}}\n  - {address: 2.2.2.2, ports: {http-dne: 9080}}\n  resolution: STATIC\n",
            Invalid,
        ),
        (
            "none conflict names",
            "",
            "  hosts: [google.com]\n  ports:\n  - {number: 80, protocol: http, name: http-conflict}\n  - {number: 8080, protocol: http, name: http-conflict}\n  resolution: NONE\n",
            Invalid,
        ),
        (
            "none conflict numbers",
            "",
            "  hosts: [google.com]\n  ports:\n  - {number: 80, protocol: http, name: http-conflict1}\n  - {number: 80, protocol: http, name: http-conflict2}\n  resolution: NONE\n",
            Invalid,
        ),
        (
            "unix",
            "",
            "  hosts: [uds.cluster.local]\n  ports:\n  - {number: 6553, protocol: grpc, name: grpc-service1}\n  resolution: STATIC\n  endpoints:\n  - {address: \"unix:///path/to/socket\"}\n",
            Valid,
        ),
        (
            "unix relative",
            "",
            "  hosts: [uds.cluster.local]\n  ports:\n  - {number: 6553, protocol: grpc, name: grpc-service1}\n  resolution: STATIC\n  endpoints:\n  - {address: \"unix://./relative/path.sock\"}\n",
            Invalid,
        ),
        (
            "unix ports",
            "",
            "  hosts: [uds.cluster.local]\n  ports:\n  - {number: 6553, protocol: grpc, name: grpc-service1}\n  resolution: STATIC\n  endpoints:\n  - {address: \"unix:///path/to/socket\", ports: {grpc-service1: 6553}}\n",
            Invalid,
        ),
        (
            "unix multi ports",
            "",
            "  hosts: [uds.cluster.local]\n  ports:\n  - {number: 6553, protocol: grpc, name: grpc-service1}\n  - {number: 80, protocol: http, name: http-service2}\n  resolution: STATIC\n  endpoints:\n  - {address: \"unix:///path/to/socket\"}\n",
            Invalid,
        ),
        (
            "empty protocol",
            "",
            "  hosts: [google.com]\n  addresses: [172.1.2.16/16]\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  - {number: 8080, name: http-valid2}\n  resolution: NONE\n",
            Clean,
        ),
        (
            "selector",
            "",
            "  hosts: [google.com]\n  workloadSelector: {labels: {foo: bar}}\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n",
            Warn,
        ),
        (
            "selector nolabels",
            "",
            "  hosts: [google.com]\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  - {number: 8080, protocol: http, name: http-valid2}\n  workloadSelector: {}\n",
            Warn,
        ),
        (
            "selector ep",
            "",
            "  hosts: [google.com]\n  workloadSelector: {labels: {foo: bar}}\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  endpoints:\n  - {address: 1.1.1.1}\n",
            Invalid,
        ),
        (
            "selector none",
            "",
            "  hosts: [google.com]\n  workloadSelector: {labels: {foo: bar}}\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  resolution: NONE\n",
            Warn,
        ),
        (
            "selector dns",
            "",
            "  hosts: [google.com]\n  workloadSelector: {labels: {foo: bar}}\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  resolution: DNS\n",
            Clean,
        ),
        (
            "selector badkey",
            "",
            "  hosts: [google.com]\n  workloadSelector: {labels: {\"\": bar}}\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n",
            Invalid,
        ),
        (
            "repeat target",
            "",
            "  hosts: [google.com]\n  resolution: DNS\n  ports:\n  - {number: 80, protocol: http, name: http-valid1, targetPort: 80}\n  - {number: 81, protocol: http, name: http-valid2, targetPort: 80}\n",
            Valid,
        ),
        (
            "valid target",
            "",
            "  hosts: [google.com]\n  resolution: DNS\n  ports:\n  - {number: 80, protocol: http, name: http-valid1, targetPort: 81}\n",
            Valid,
        ),
        (
            "invalid target",
            "",
            "  hosts: [google.com]\n  resolution: DNS\n  ports:\n  - {number: 80, protocol: http, name: http-valid1, targetPort: 65536}\n",
            Invalid,
        ),
        (
            "warn target",
            "",
            "  hosts: [google.com]\n  workloadSelector: {labels: {key: bar}}\n  ports:\n  - {number: 80, protocol: http, name: http-valid1, targetPort: 1234}\n",
            Warn,
        ),
        (
            "valid ep port",
            "",
            "  hosts: [google.com]\n  ports:\n  - {number: 80, protocol: http, name: http-valid1, targetPort: 81}\n  resolution: STATIC\n  endpoints:\n  - {address: 1.1.1.1, ports: {http-valid1: 8081}}\n",
            Valid,
        ),
        (
            "invalid ep port",
            "",
            "  hosts: [google.com]\n  ports:\n  - {number: 80, protocol: http, name: http-valid1, targetPort: 81}\n  resolution: STATIC\n  endpoints:\n  - {address: 1.1.1.1, ports: {http-valid1: 65536}}\n",
            Invalid,
        ),
        (
            "proto unset noaddr",
            "",
            "  hosts: [google.com]\n  addresses: []\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  - {number: 8080, name: http-valid2}\n  resolution: NONE\n",
            Warn,
        ),
        (
            "proto tcp noaddr",
            "",
            "  hosts: [google.com]\n  addresses: []\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  - {number: 81, protocol: TCP, name: tcp-valid1}\n  resolution: NONE\n",
            Warn,
        ),
        (
            "dnsrr 2ep",
            "",
            "  hosts: [google.com]\n  addresses: []\n  ports:\n  - {number: 8081, protocol: http, name: http-valid1}\n  endpoints:\n  - {address: api-v1.istio.io, ports: {http-valid1: 8081}}\n  - {address: 1.1.1.2, ports: {http-valid1: 8081}}\n  resolution: DNS_ROUND_ROBIN\n",
            Invalid,
        ),
        (
            "dnsrr 0ep",
            "",
            "  hosts: [google.com]\n  addresses: []\n  ports:\n  - {number: 8081, protocol: http, name: http-valid1}\n  endpoints: []\n  resolution: DNS_ROUND_ROBIN\n",
            Clean,
        ),
        (
            "partial wildcard",
            "",
            "  hosts: [\"*.nytimes.com\", \"*washingtonpost.com\"]\n  addresses: []\n  ports:\n  - {number: 443, protocol: HTTPS, name: https-nytimes}\n  endpoints: []\n  resolution: NONE\n",
            Warn,
        ),
        (
            "network noaddr",
            "",
            "  hosts: [www.example.com]\n  addresses: []\n  ports:\n  - {number: 443, protocol: HTTPS, name: https-example}\n  endpoints:\n  - {network: cluster-1}\n  resolution: STATIC\n",
            Warn,
        ),
        (
            "dyndns tcp",
            "",
            "  hosts: [\"*.google.com\"]\n  addresses: []\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  - {number: 81, protocol: TCP, name: tcp-valid1}\n  resolution: DYNAMIC_DNS\n",
            Invalid,
        ),
        (
            "dyndns grpc",
            "",
            "  hosts: [\"*.svc.cluster.local\"]\n  addresses: []\n  ports:\n  - {number: 9090, protocol: GRPC, name: grpc}\n  resolution: DYNAMIC_DNS\n",
            Valid,
        ),
        (
            "dyndns fqdn",
            "",
            "  hosts: [google.com]\n  addresses: []\n  ports:\n  - {number: 80, protocol: http, name: http-valid}\n  resolution: DYNAMIC_DNS\n",
            Invalid,
        ),
        (
            "dyndns ep",
            "",
            "  hosts: [\"*.google.com\"]\n  addresses: []\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  endpoints:\n  - {address: in.google.com, ports: {http-valid1: 9080}}\n  resolution: DYNAMIC_DNS\n",
            Invalid,
        ),
        (
            "dyndns addr",
            "",
            "  hosts: [\"*.google.com\"]\n  addresses: [10.10.10.10]\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  - {number: 8080, protocol: http, name: http-valid2}\n  resolution: DYNAMIC_DNS\n",
            Invalid,
        ),
        (
            "dyndns nohosts",
            "",
            "  hosts: []\n  addresses: []\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  resolution: DYNAMIC_DNS\n",
            Schema,
        ),
        (
            "dyndns multi",
            "",
            "  hosts: [\"*.google.com\", \"*.amazon.com\"]\n  addresses: []\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  resolution: DYNAMIC_DNS\n",
            Valid,
        ),
        (
            "dyndns internal",
            "",
            "  hosts: [\"*.google.com\"]\n  addresses: []\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  resolution: DYNAMIC_DNS\n  location: MESH_INTERNAL\n",
            Valid,
        ),
        (
            "dyndns internal waypoint",
            "  labels: {istio.io/use-waypoint: \"my-waypoint\"}\n",
            "  hosts: [\"*.google.com\"]\n  addresses: []\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  resolution: DYNAMIC_DNS\n  location: MESH_INTERNAL\n",
            Invalid,
        ),
    ];
    assert_table("ServiceEntry", "bar", cases);
}

/// Istio's Test_validateExportTo, for ServiceEntries (which may use `~`).
#[test]
fn export_to() {
    let cases: &[Case] = &[
        (
            "x none se",
            "",
            "  hosts: [a.example.com]\n  resolution: DNS\n  ports: [{number: 80, name: http, protocol: HTTP}]\n  exportTo: [\"~\"]\n",
            Clean,
        ),
        (
            "x dup none se",
            "",
            "  hosts: [a.example.com]\n  resolution: DNS\n  ports: [{number: 80, name: http, protocol: HTTP}]\n  exportTo: [\"~\", \"~\", \"ns1\"]\n",
            Invalid,
        ),
        (
            "x none ns1 se",
            "",
            "  hosts: [a.example.com]\n  resolution: DNS\n  ports: [{number: 80, name: http, protocol: HTTP}]\n  exportTo: [\"~\", \"ns1\"]\n",
            Invalid,
        ),
        (
            "x se star",
            "",
            "  hosts: [a.example.com]\n  resolution: DNS\n  ports: [{number: 80, name: http, protocol: HTTP}]\n  exportTo: [\"*\"]\n",
            Clean,
        ),
        (
            "x se invalid",
            "",
            "  hosts: [a.example.com]\n  resolution: DNS\n  ports: [{number: 80, name: http, protocol: HTTP}]\n  exportTo: [\"NS_1\"]\n",
            Invalid,
        ),
    ];
    assert_table("ServiceEntry", "ns5", cases);
}

/// Branches of Istio's ServiceEntry validation beyond its test table.
#[test]
fn code_paths() {
    let cases: &[Case] = &[
        (
            "dyndns internal waypoint none",
            "  labels: {istio.io/use-waypoint: \"None\"}\n",
            "  hosts: [\"*.google.com\"]\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  resolution: DYNAMIC_DNS\n  location: MESH_INTERNAL\n",
            Valid,
        ),
        (
            "dyndns external waypoint",
            "  labels: {istio.io/use-waypoint: \"wp\"}\n",
            "  hosts: [\"*.google.com\"]\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  resolution: DYNAMIC_DNS\n",
            Valid,
        ),
        (
            "target zero",
            "",
            "  hosts: [google.com]\n  resolution: DNS\n  ports:\n  - {number: 80, protocol: http, name: http-valid1, targetPort: 0}\n",
            Clean,
        ),
        (
            "optout tcp",
            "  labels: {networking.istio.io/enable-autoallocate-ip: \"FALSE\"}\n",
            "  hosts: [google.com]\n  resolution: DNS\n  ports:\n  - {number: 5432, protocol: TCP, name: pg}\n",
            Warn,
        ),
        (
            "optin tcp",
            "  labels: {networking.istio.io/enable-autoallocate-ip: \"true\"}\n",
            "  hosts: [google.com]\n  resolution: DNS\n  ports:\n  - {number: 5432, protocol: TCP, name: pg}\n",
            Clean,
        ),
        (
            "static ep zone",
            "",
            "  hosts: [google.com]\n  addresses: [\"fe80::1%eth0\"]\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  resolution: STATIC\n  endpoints:\n  - {address: \"fe80::2%eth0\"}\n",
            Clean,
        ),
        (
            "cidr dns",
            "",
            "  hosts: [google.com]\n  addresses: [10.0.0.0/8]\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  resolution: DNS\n",
            Invalid,
        ),
        (
            "export mixed",
            "",
            "  hosts: [google.com]\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  exportTo: [\"~\", \"*\"]\n",
            Invalid,
        ),
        (
            "export bad",
            "",
            "  hosts: [google.com]\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  exportTo: [Bad_NS]\n",
            Invalid,
        ),
        (
            "export none",
            "",
            "  hosts: [google.com]\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  exportTo: [\"~\"]\n",
            Clean,
        ),
        (
            "port name empty",
            "",
            "  hosts: [google.com]\n  ports:\n  - {number: 80, protocol: http, name: \"\"}\n",
            Invalid,
        ),
        (
            "port proto bad",
            "",
            "  hosts: [google.com]\n  ports:\n  - {number: 80, protocol: QUIC, name: q}\n",
            Invalid,
        ),
        (
            "multi host tcp dns",
            "",
            "  hosts: [a.com, b.com]\n  resolution: DNS\n  ports:\n  - {number: 80, protocol: TCP, name: t}\n",
            Invalid,
        ),
        (
            "multi host tcp none",
            "",
            "  hosts: [a.com, b.com]\n  resolution: NONE\n  addresses: [1.1.1.1]\n  ports:\n  - {number: 80, protocol: TCP, name: t}\n",
            Valid,
        ),
        (
            "static ep noaddr",
            "",
            "  hosts: [a.com]\n  resolution: STATIC\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  endpoints:\n  - {labels: {a: b}}\n",
            Invalid,
        ),
        (
            "static ep badlabel",
            "",
            "  hosts: [a.com]\n  resolution: STATIC\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  endpoints:\n  - {address: 1.1.1.1, labels: {a: \"b c\"}}\n",
            Invalid,
        ),
        (
            "dns ep badlabel",
            "",
            "  hosts: [a.com]\n  resolution: DNS\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  endpoints:\n  - {address: a.com, labels: {a: \"b c\"}}\n",
            Invalid,
        ),
        (
            "dns ep empty",
            "",
            "  hosts: [a.com]\n  resolution: DNS\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  endpoints:\n  - {network: n1}\n",
            Invalid,
        ),
        (
            "static unix abstract",
            "",
            "  hosts: [a.com]\n  resolution: STATIC\n  ports:\n  - {number: 80, protocol: http, name: http-valid1}\n  endpoints:\n  - {address: \"unix://@abc\"}\n",
            Clean,
        ),
    ];
    assert_table("ServiceEntry", "bar", cases);
}
