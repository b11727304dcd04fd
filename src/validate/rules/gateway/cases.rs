//! Istio's own Gateway validation cases (its tests of the gateway, server,
//! server port and server TLS validators), each written as a whole Gateway
//! and run through `validate`. Cases on a single server or TLS block are
//! embedded in an otherwise valid Gateway.

use crate::validate::test_support::{Verdict, assert_verdicts, findings};

const VALID: Verdict = Verdict::Clean;
const ERROR: Verdict = Verdict::Invalid;
const WARNING: Verdict = Verdict::Warn;
const BOTH: Verdict = Verdict::InvalidWarn;

/// A Gateway named like Istio's test one, with the given `servers:` items.
fn gateway(servers: &str) -> String {
    format!(
        "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {{name: foo, namespace: bar}}\nspec:\n  servers:\n{servers}"
    )
}

/// A Gateway whose one HTTPS server has the given `tls` block.
fn with_tls(tls: &str) -> String {
    gateway(&format!(
        "  - port: {{number: 443, name: https, protocol: HTTPS}}\n    hosts: [foo.bar.com]\n    tls: {tls}\n"
    ))
}

fn check(cases: &[(&str, String, Verdict)]) {
    assert_verdicts(
        cases
            .iter()
            .map(|(name, yaml, want)| (*name, yaml.clone(), *want)),
    );
}

#[test]
fn gateways() {
    let server = |host: &str, port: &str, tls: &str| {
        format!("  - {{hosts: [\"{host}\"], port: {port}{tls}}}\n")
    };
    let http7 = "{name: name1, number: 7, protocol: http}";
    let cases = [
        (
            "no servers",
            "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: foo, namespace: bar}\nspec: {}\n".to_string(),
            ERROR,
        ),
        ("one server", gateway(&server("foo.bar.com", http7, "")), VALID),
        (
            "two servers",
            gateway(&format!(
                "{}{}",
                server("foo.bar.com", http7, ""),
                server("scooby.doo.com", "{name: name2, number: 8, protocol: http}", "")
            )),
            VALID,
        ),
        (
            "~ namespace outside Gateway API",
            gateway(&server("~/foo.bar.com", http7, "")),
            ERROR,
        ),
        (
            "port out of range",
            gateway(&server("foo.bar.com", "{name: name1, number: 66000, protocol: http}", "")),
            ERROR,
        ),
        (
            "duplicate port names",
            gateway(&format!(
                "{}{}",
                server("foo.bar.com", "{name: foo, number: 80, protocol: http}", ""),
                server("scooby.doo.com", "{name: foo, number: 8080, protocol: http}", "")
            )),
            ERROR,
        ),
        (
            "wildcard inside the name, port without a name",
            gateway(&server("foo.*.bar.com", "{name: \"\", number: 7, protocol: http}", "")),
            ERROR,
        ),
        (
            "httpsRedirect on HTTP",
            gateway(&server(
                "bar.com",
                "{name: http, number: 80, protocol: http}",
                ", tls: {httpsRedirect: true}",
            )),
            VALID,
        ),
        (
            "httpsRedirect on HTTPS",
            gateway(&server(
                "bar.com",
                "{name: https, number: 80, protocol: https}",
                ", tls: {httpsRedirect: true}",
            )),
            WARNING,
        ),
        (
            "partial wildcard",
            gateway(&server(
                "*bar.com",
                "{name: tls, number: 443, protocol: tls}",
                ", tls: {mode: ISTIO_MUTUAL}",
            )),
            ERROR,
        ),
        (
            "dotted gateway name",
            gateway(&server("foo.bar.com", http7, "")).replace("name: foo,", "name: foo.bar,"),
            ERROR,
        ),
        (
            "empty port names repeated",
            gateway(&format!(
                "{}{}",
                server("foo.bar.com", "{name: \"\", number: 80, protocol: http}", ""),
                server("scooby.doo.com", "{name: \"\", number: 81, protocol: http}", "")
            )),
            ERROR,
        ),
        (
            "httpsRedirect on TCP",
            gateway(&server(
                "bar.com",
                "{name: tcp, number: 80, protocol: TCP}",
                ", tls: {httpsRedirect: true}",
            )),
            BOTH,
        ),
    ];
    check(&cases);
}

#[test]
fn servers() {
    let one = |host: &str, port: &str, rest: &str| {
        gateway(&format!(
            "  - {{hosts: [\"{host}\"], port: {port}{rest}}}\n"
        ))
    };
    let http = |number: u32| format!("{{number: {number}, name: http, protocol: http}}");
    let cases = [
        (
            "no hosts",
            gateway(&format!("  - {{hosts: [], port: {}}}\n", http(7))),
            ERROR,
        ),
        ("FQDN", one("foo.bar.com", &http(7), ""), VALID),
        ("IP address", one("1.1.1.1", &http(7), ""), VALID),
        (
            "namespace/name",
            one("ns1/foo.bar.com", &http(7), ""),
            VALID,
        ),
        ("*/name", one("*/foo.bar.com", &http(7), ""), VALID),
        ("./name", one("./foo.bar.com", &http(7), ""), VALID),
        ("~/name", one("~/foo.bar.com", &http(7), ""), ERROR),
        (
            "ns/wildcard inside",
            one("ns1/foo.*.bar.com", &http(7), ""),
            ERROR,
        ),
        ("wildcard inside", one("foo.*.bar.com", &http(7), ""), ERROR),
        ("short name", one("foo", &http(7), ""), ERROR),
        (
            "port out of range",
            one("foo.bar.com", &http(66000), ""),
            ERROR,
        ),
        (
            "SIMPLE without certificates on HTTP",
            one("foo.bar.com", &http(1), ", tls: {mode: SIMPLE}"),
            ERROR,
        ),
        (
            "HTTPS without TLS",
            one(
                "foo.bar.com",
                "{number: 10000, name: https, protocol: https}",
                "",
            ),
            ERROR,
        ),
        (
            "SIMPLE with a credential on HTTP",
            one(
                "foo.bar.com",
                &http(10000),
                ", tls: {mode: SIMPLE, credentialName: c}",
            ),
            ERROR,
        ),
        (
            "httpsRedirect on HTTP",
            one("foo.bar.com", &http(10000), ", tls: {httpsRedirect: true}"),
            VALID,
        ),
        (
            "bind to an IP",
            one("foo.bar.com", &http(7), ", bind: 127.0.0.1"),
            VALID,
        ),
        (
            "unix bind with a port number",
            one("foo.bar.com", &http(7), ", bind: \"unix://@foobar\""),
            ERROR,
        ),
        (
            "unix bind",
            one("foo.bar.com", &http(0), ", bind: \"unix://@foobar\""),
            VALID,
        ),
        (
            "bind to a name",
            one("foo.bar.com", &http(0), ", bind: foo.bar"),
            ERROR,
        ),
        (
            "bind to a zoned IPv6 address",
            one("foo.bar.com", &http(7), ", bind: \"fe80::1%eth0\""),
            VALID,
        ),
        (
            "bind to an IPv4 address with leading zeros",
            one("foo.bar.com", &http(7), ", bind: 010.0.0.1"),
            ERROR,
        ),
        (
            "IPv6 host (no dot: a short name)",
            one("::1", &http(7), ""),
            ERROR,
        ),
        (
            "IPv4-mapped IPv6 host",
            one("::ffff:1.2.3.4", &http(7), ""),
            VALID,
        ),
        (
            "zoned IPv4-mapped IPv6 host",
            one("::ffff:1.2.3.4%eth0", &http(7), ""),
            VALID,
        ),
        (
            "bind to an IPv6 address with an empty zone",
            one("foo.bar.com", &http(7), ", bind: \"fe80::1%\""),
            ERROR,
        ),
        (
            "bind to an IPv4 address with a zone",
            one("foo.bar.com", &http(7), ", bind: \"10.0.0.1%eth0\""),
            ERROR,
        ),
        (
            "unix bind to a directory",
            one("foo.bar.com", &http(0), ", bind: \"unix:///var/run/\""),
            ERROR,
        ),
        (
            "PASSTHROUGH on HTTP",
            one("foo.bar.com", &http(80), ", tls: {mode: PASSTHROUGH}"),
            VALID,
        ),
        (
            "PASSTHROUGH with a credential on HTTP (Istio only warns)",
            one(
                "foo.bar.com",
                &http(80),
                ", tls: {mode: PASSTHROUGH, credentialName: c}",
            ),
            WARNING,
        ),
        (
            "TLS on a port Istio refuses is not judged against the protocol",
            one(
                "foo.bar.com",
                "{number: 0, name: http, protocol: http}",
                ", tls: {mode: SIMPLE, credentialName: c}",
            ),
            ERROR,
        ),
    ];
    check(&cases);
}

#[test]
fn server_ports() {
    let port = |port: &str, bind: &str| {
        gateway(&format!(
            "  - {{hosts: [foo.bar.com], port: {port}{bind}}}\n"
        ))
    };
    let cases = [
        (
            "empty protocol and name",
            port("{number: 1, name: \"\", protocol: \"\"}", ""),
            ERROR,
        ),
        (
            "happy",
            port("{number: 1, name: Henry, protocol: http}", ""),
            VALID,
        ),
        (
            "unknown protocol",
            port("{number: 1, name: Henry, protocol: kafka}", ""),
            ERROR,
        ),
        (
            "number far out of range",
            port("{number: 1073741824, name: http, protocol: http}", ""),
            ERROR,
        ),
        (
            "number 0",
            port("{number: 0, name: Henry, protocol: http}", ""),
            ERROR,
        ),
        (
            "number 0 with a bind that is not unix://",
            port(
                "{number: 0, name: Henry, protocol: http}",
                ", bind: \"uds:///tmp\"",
            ),
            ERROR,
        ),
        (
            "targetPort",
            port(
                "{number: 80, name: http, protocol: http, targetPort: 8080}",
                "",
            ),
            ERROR,
        ),
        (
            "protocol in another case",
            port("{number: 80, name: http, protocol: gRPC-Web}", ""),
            VALID,
        ),
        (
            "UDP is known to Istio",
            port("{number: 53, name: dns, protocol: UDP}", ""),
            VALID,
        ),
    ];
    check(&cases);
}

#[test]
fn tls_options() {
    let cases = [
        ("empty", with_tls("{}"), VALID),
        (
            "SIMPLE with files",
            with_tls("{mode: SIMPLE, serverCertificate: cert, privateKey: key}"),
            VALID,
        ),
        (
            "SIMPLE with files and a client bundle",
            with_tls(
                "{mode: SIMPLE, serverCertificate: cert, privateKey: key, caCertificates: ca}",
            ),
            VALID,
        ),
        (
            "SIMPLE with a credential",
            with_tls("{mode: SIMPLE, credentialName: sds-name}"),
            VALID,
        ),
        (
            "SIMPLE with a credential and files",
            with_tls(
                "{mode: SIMPLE, serverCertificate: cert, privateKey: key, credentialName: sds-name}",
            ),
            ERROR,
        ),
        (
            "SIMPLE without certificate",
            with_tls("{mode: SIMPLE, serverCertificate: \"\", privateKey: key}"),
            ERROR,
        ),
        (
            "SIMPLE without key",
            with_tls("{mode: SIMPLE, serverCertificate: cert, privateKey: \"\"}"),
            ERROR,
        ),
        (
            "SIMPLE with files and tlsCertificates",
            with_tls(
                "{mode: SIMPLE, serverCertificate: cert, privateKey: key, tlsCertificates: [{serverCertificate: cert, privateKey: key}, {serverCertificate: c2, privateKey: k2}]}",
            ),
            ERROR,
        ),
        (
            "SIMPLE, tlsCertificates entry without certificate",
            with_tls(
                "{mode: SIMPLE, tlsCertificates: [{privateKey: key}, {serverCertificate: c2, privateKey: k2}]}",
            ),
            ERROR,
        ),
        (
            "SIMPLE, tlsCertificates entry without key",
            with_tls(
                "{mode: SIMPLE, tlsCertificates: [{serverCertificate: cert}, {serverCertificate: c2, privateKey: k2}]}",
            ),
            ERROR,
        ),
        (
            "SIMPLE with a credential and only a key",
            with_tls(
                "{mode: SIMPLE, serverCertificate: \"\", privateKey: key, credentialName: sds-name}",
            ),
            VALID,
        ),
        (
            "SIMPLE with a credential and only a certificate",
            with_tls(
                "{mode: SIMPLE, serverCertificate: cert, privateKey: \"\", credentialName: sds-name}",
            ),
            VALID,
        ),
        (
            "MUTUAL with files",
            with_tls(
                "{mode: MUTUAL, serverCertificate: cert, privateKey: key, caCertificates: ca}",
            ),
            VALID,
        ),
        (
            "MUTUAL with a credential",
            with_tls("{mode: MUTUAL, caCertificates: ca, credentialName: sds-name}"),
            VALID,
        ),
        (
            "MUTUAL with a credential and files",
            with_tls(
                "{mode: MUTUAL, serverCertificate: cert, privateKey: key, caCertificates: ca, credentialName: sds-name}",
            ),
            ERROR,
        ),
        (
            "MUTUAL with a credential and tlsCertificates",
            with_tls(
                "{mode: MUTUAL, caCertificates: ca, credentialName: sds-name, tlsCertificates: [{serverCertificate: cert, privateKey: key}]}",
            ),
            ERROR,
        ),
        (
            "MUTUAL without certificate",
            with_tls(
                "{mode: MUTUAL, serverCertificate: \"\", privateKey: key, caCertificates: ca}",
            ),
            ERROR,
        ),
        (
            "credentialNames and files",
            with_tls(
                "{mode: MUTUAL, serverCertificate: /cert, privateKey: /key, credentialNames: [server-certs]}",
            ),
            ERROR,
        ),
        (
            "credentialNames and tlsCertificates",
            with_tls(
                "{mode: MUTUAL, credentialNames: [server-certs], tlsCertificates: [{serverCertificate: /cert, privateKey: /key, caCertificates: /ca}]}",
            ),
            ERROR,
        ),
        (
            "MUTUAL with tlsCertificates",
            with_tls(
                "{mode: MUTUAL, caCertificates: /ca, tlsCertificates: [{serverCertificate: /cert, privateKey: /key}]}",
            ),
            VALID,
        ),
        (
            "MUTUAL with a credential and only a key",
            with_tls(
                "{mode: MUTUAL, serverCertificate: \"\", privateKey: key, caCertificates: ca, credentialName: sds-name}",
            ),
            VALID,
        ),
        (
            "MUTUAL without client bundle",
            with_tls(
                "{mode: MUTUAL, serverCertificate: cert, privateKey: key, caCertificates: \"\"}",
            ),
            ERROR,
        ),
        (
            "MUTUAL without anything",
            with_tls(
                "{mode: MUTUAL, serverCertificate: \"\", privateKey: \"\", caCertificates: \"\"}",
            ),
            ERROR,
        ),
        (
            "MUTUAL with files and tlsCertificates",
            with_tls(
                "{mode: MUTUAL, serverCertificate: cert, privateKey: key, caCertificates: ca, tlsCertificates: [{serverCertificate: cert, privateKey: key}, {serverCertificate: c2, privateKey: k2}]}",
            ),
            ERROR,
        ),
        (
            "MUTUAL, tlsCertificates entry without certificate",
            with_tls(
                "{mode: MUTUAL, caCertificates: ca, tlsCertificates: [{privateKey: key}, {serverCertificate: c2, privateKey: k2}]}",
            ),
            ERROR,
        ),
        (
            "MUTUAL, tlsCertificates entry without key",
            with_tls(
                "{mode: MUTUAL, caCertificates: ca, tlsCertificates: [{serverCertificate: cert}, {serverCertificate: c2, privateKey: k2}]}",
            ),
            ERROR,
        ),
        (
            "MUTUAL, tlsCertificates without client bundle",
            with_tls(
                "{mode: MUTUAL, tlsCertificates: [{serverCertificate: cert, privateKey: key}, {serverCertificate: c2, privateKey: k2}]}",
            ),
            ERROR,
        ),
        (
            "OPTIONAL_MUTUAL without anything",
            with_tls(
                "{mode: OPTIONAL_MUTUAL, serverCertificate: \"\", privateKey: \"\", caCertificates: \"\"}",
            ),
            ERROR,
        ),
        (
            "PASSTHROUGH with a credential",
            with_tls(
                "{mode: PASSTHROUGH, serverCertificate: \"\", caCertificates: \"\", credentialName: sds-name}",
            ),
            WARNING,
        ),
        (
            "PASSTHROUGH with a CRL",
            with_tls(
                "{mode: PASSTHROUGH, serverCertificate: \"\", caCertificates: \"\", caCrl: scrl}",
            ),
            WARNING,
        ),
        (
            "ISTIO_MUTUAL with empty files",
            with_tls(
                "{mode: ISTIO_MUTUAL, serverCertificate: \"\", privateKey: \"\", caCertificates: \"\"}",
            ),
            VALID,
        ),
        (
            "ISTIO_MUTUAL with a certificate",
            with_tls("{mode: ISTIO_MUTUAL, serverCertificate: cert}"),
            ERROR,
        ),
        (
            "ISTIO_MUTUAL with files and a client bundle",
            with_tls(
                "{mode: ISTIO_MUTUAL, serverCertificate: cert, privateKey: key, caCertificates: ca}",
            ),
            ERROR,
        ),
        (
            "ISTIO_MUTUAL with a key",
            with_tls("{mode: ISTIO_MUTUAL, privateKey: key}"),
            ERROR,
        ),
        (
            "ISTIO_MUTUAL with a credential",
            with_tls("{mode: ISTIO_MUTUAL, credentialName: some-cred}"),
            ERROR,
        ),
        (
            "unknown cipher suite",
            with_tls(
                "{mode: SIMPLE, credentialName: sds-name, cipherSuites: [not-a-cipher-suite]}",
            ),
            WARNING,
        ),
        (
            "known cipher suite",
            with_tls(
                "{mode: SIMPLE, credentialName: sds-name, cipherSuites: [ECDHE-ECDSA-AES128-SHA]}",
            ),
            VALID,
        ),
        (
            "cipher suite operator",
            with_tls(
                "{mode: SIMPLE, credentialName: sds-name, cipherSuites: [\"-ECDHE-ECDSA-AES128-SHA\"]}",
            ),
            VALID,
        ),
        (
            "repeated cipher suite",
            with_tls(
                "{mode: SIMPLE, credentialName: sds-name, cipherSuites: [ECDHE-ECDSA-AES128-SHA, ECDHE-ECDSA-AES128-SHA]}",
            ),
            WARNING,
        ),
        (
            "unknown cipher suite, no certificates",
            with_tls("{mode: SIMPLE, cipherSuites: [not-a-cipher-suite]}"),
            BOTH,
        ),
        (
            "CRL with SIMPLE",
            with_tls("{mode: SIMPLE, caCrl: crl}"),
            ERROR,
        ),
        (
            "CRL with SIMPLE and a credential",
            with_tls("{mode: SIMPLE, caCrl: crl, credentialName: credential}"),
            VALID,
        ),
        (
            "MUTUAL without key",
            with_tls(
                "{mode: MUTUAL, serverCertificate: cert, privateKey: \"\", caCertificates: ca}",
            ),
            ERROR,
        ),
        (
            "MUTUAL with credentialNames",
            with_tls("{mode: MUTUAL, credentialNames: [credential1, credential2]}"),
            VALID,
        ),
        (
            "CRL with MUTUAL files",
            with_tls(
                "{mode: MUTUAL, serverCertificate: cert, privateKey: key, caCertificates: ca, caCrl: crl}",
            ),
            VALID,
        ),
        (
            "TLSV1_1 minimum without cipher suites",
            with_tls("{mode: SIMPLE, credentialName: c, minProtocolVersion: TLSV1_1}"),
            WARNING,
        ),
        (
            "TLSV1_0 minimum with cipher suites",
            with_tls(
                "{mode: SIMPLE, credentialName: c, minProtocolVersion: TLSV1_0, cipherSuites: [AES128-SHA]}",
            ),
            VALID,
        ),
        (
            "cipher suite starting with a non-letter byte",
            with_tls(
                "{mode: SIMPLE, credentialName: c, cipherSuites: [\"+AES128-SHA\", \"!RC4\", \"[AES128-SHA|AES256-SHA]\"]}",
            ),
            VALID,
        ),
        (
            "empty credentialName with credentialNames (the CRD's rule)",
            with_tls("{mode: SIMPLE, credentialName: \"\", credentialNames: [a]}"),
            ERROR,
        ),
        (
            "AUTO_PASSTHROUGH with files",
            with_tls("{mode: AUTO_PASSTHROUGH, serverCertificate: cert, privateKey: key}"),
            WARNING,
        ),
    ];
    check(&cases);
}

/// More than two `tlsCertificates` (Istio's webhook only warns) never reach
/// it: the CRD caps the list at two, as our schema stage does.
#[test]
fn three_certificates_stop_at_the_schema() {
    let three = "[{serverCertificate: a, privateKey: a}, {serverCertificate: b, privateKey: b}, {serverCertificate: c, privateKey: c}]";
    for mode in ["SIMPLE", "MUTUAL, caCertificates: ca"] {
        let found = findings(&with_tls(&format!(
            "{{mode: {mode}, tlsCertificates: {three}}}"
        )));
        assert!(found.contains("MSH"), "{found}");
    }
}
