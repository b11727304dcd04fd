//! Istio's own validation cases for VirtualServices, restated as whole
//! resources: each case of Istio's test tables (header names, CORS, HTTP
//! status, faults, retries, rewrites, redirects, direct responses,
//! destinations, HTTP routes, route destinations, VirtualServices, and the
//! root and delegate route tables) becomes a YAML VirtualService with the
//! outcome Istio's webhook gives it. Sub-validator cases are embedded in an
//! otherwise valid resource.
//!
//! Left out: cases Istio builds with nil structs that YAML cannot express,
//! and `ValidateStrictHTTPHeaderName`/`ValidatePortName`, which no
//! VirtualService field uses.

use crate::validate::test_support::{Verdict, assert_verdicts};

// Istio's verdicts, in this table's words: `Valid` means no error and no
// warning (infos such as IST0131 are fine).
use Verdict::{Clean as Valid, Invalid, Schema, Warn as Warns};

/// A VirtualService `r` in `default` with `body` as its spec.
fn vs(body: &str) -> String {
    let spec: String = body
        .trim_matches('\n')
        .lines()
        .map(|line| format!("  {line}\n"))
        .collect();
    format!(
        "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: r\n  namespace: default\nspec:\n{spec}"
    )
}

/// One HTTP route of a VirtualService for `foo.bar`; `fields` are the
/// route's fields, the first line without indentation.
fn http(fields: &str) -> String {
    vs(&format!("hosts: [foo.bar]\nhttp:\n- {fields}"))
}

/// A forwarding HTTP route with `extra` route fields (each line indented
/// as a route field).
fn forward(extra: &str) -> String {
    http(&format!("{DEST}\n{extra}"))
}

const DEST: &str = "route: [{destination: {host: foo.baz}}]";

fn check(cases: &[(&str, Verdict, String)]) {
    assert_verdicts(
        cases
            .iter()
            .map(|(name, want, yaml)| (*name, yaml.clone(), *want)),
    );
}

fn header_match(name: &str) -> String {
    forward(&format!(
        "  match:\n  - headers:\n      {name}: {{exact: v}}"
    ))
}

#[test]
fn header_names() {
    check(&[
        ("plain", Valid, header_match("header1")),
        ("mixed case", Valid, header_match("X-Requested-With")),
        ("pseudo header", Valid, header_match("\":authority\"")),
        ("token characters", Valid, header_match("\"funky!$#_\"")),
        ("underscore", Valid, header_match("foo_bar")),
        ("empty", Invalid, header_match("\"\"")),
        ("colons only", Invalid, header_match("\"::\"")),
        ("quote", Invalid, header_match("'bad\"char'")),
        ("jwt claim on gateway", Valid, {
            vs(&format!(
                "hosts: [foo.bar]\ngateways: [gw]\nhttp:\n- {DEST}\n  match:\n  - headers:\n      \"@request.auth.claims.sub\": {{exact: v}}"
            ))
        }),
    ]);
}

fn cors(fields: &str) -> String {
    forward(&format!("  corsPolicy: {fields}"))
}

#[test]
fn cors_policies() {
    check(&[
        (
            "full policy",
            Valid,
            cors(
                "{allowMethods: [GET, POST], allowHeaders: [header1, header2], exposeHeaders: [header3], maxAge: 2s}",
            ),
        ),
        (
            "unknown method",
            Invalid,
            cors("{allowMethods: [GET, PUTT]}"),
        ),
        ("lower-case method", Invalid, cors("{allowMethods: [get]}")),
        ("empty header", Invalid, cors("{exposeHeaders: [\"\"]}")),
        ("wildcard header", Valid, cors("{allowHeaders: [\"*\"]}")),
        (
            "max age with nanos",
            Invalid,
            cors("{maxAge: 2.000000042s}"),
        ),
        ("max age with millis", Invalid, cors("{maxAge: 1.5s}")),
        (
            "empty exact origin",
            Invalid,
            cors("{allowOrigins: [{exact: \"\"}]}"),
        ),
        (
            "empty prefix origin",
            Invalid,
            cors("{allowOrigins: [{prefix: \"\"}]}"),
        ),
        (
            "empty regex origin",
            Invalid,
            cors("{allowOrigins: [{regex: \"\"}]}"),
        ),
        ("origin without type", Invalid, cors("{allowOrigins: [{}]}")),
        (
            "origins of every type",
            Valid,
            cors("{allowOrigins: [{exact: exact}, {prefix: prefix}, {regex: regex}]}"),
        ),
    ]);
}

#[test]
fn http_statuses() {
    let status = |n: i64| http(&format!("directResponse: {{status: {n}}}"));
    check(&[
        ("negative", Schema, status(-100)),
        ("zero", Invalid, status(0)),
        ("200", Valid, status(200)),
        ("600", Valid, status(600)),
        ("601", Invalid, status(601)),
    ]);
}

fn abort(fields: &str) -> String {
    forward(&format!("  fault: {{abort: {fields}}}"))
}

fn delay(fields: &str) -> String {
    forward(&format!("  fault: {{delay: {fields}}}"))
}

#[test]
fn fault_aborts() {
    check(&[
        (
            "http status",
            Valid,
            abort("{percentage: {value: 20}, httpStatus: 200}"),
        ),
        ("default percentage", Valid, abort("{httpStatus: 200}")),
        (
            "status too high",
            Invalid,
            abort("{percentage: {value: 20}, httpStatus: 9000}"),
        ),
        (
            "status too low",
            Invalid,
            abort("{percentage: {value: 20}, httpStatus: 100}"),
        ),
        (
            "small percentage",
            Valid,
            abort("{percentage: {value: 0.001}, httpStatus: 200}"),
        ),
        (
            "tiny percentage",
            Invalid,
            abort("{percentage: {value: 0.00001}, httpStatus: 200}"),
        ),
        (
            "negative percentage",
            Invalid,
            abort("{percentage: {value: -10}, httpStatus: 200}"),
        ),
        (
            "grpc status",
            Valid,
            abort("{percentage: {value: 20}, grpcStatus: DEADLINE_EXCEEDED}"),
        ),
        (
            "grpc default percentage",
            Valid,
            abort("{grpcStatus: DEADLINE_EXCEEDED}"),
        ),
        (
            "unknown grpc status",
            Invalid,
            abort("{grpcStatus: BAD_STATUS}"),
        ),
        (
            "grpc small percentage",
            Valid,
            abort("{percentage: {value: 0.001}, grpcStatus: INTERNAL}"),
        ),
        (
            "grpc negative percentage",
            Invalid,
            abort("{percentage: {value: -10}, grpcStatus: INTERNAL}"),
        ),
        ("http2 error", Invalid, abort("{http2Error: x}")),
        ("no error type", Warns, abort("{percentage: {value: 10}}")),
        ("neither abort nor delay", Invalid, forward("  fault: {}")),
    ]);
}

#[test]
fn fault_delays() {
    check(&[
        (
            "fixed",
            Valid,
            delay("{percentage: {value: 20}, fixedDelay: 3s}"),
        ),
        ("default percentage", Valid, delay("{fixedDelay: 3s}")),
        (
            "percentage over 100",
            Invalid,
            delay("{percentage: {value: 101}, fixedDelay: 3s}"),
        ),
        (
            "nanos",
            Invalid,
            delay("{percentage: {value: 20}, fixedDelay: 3.000000042s}"),
        ),
        (
            "small percentage",
            Valid,
            delay("{percentage: {value: 0.001}, fixedDelay: 3s}"),
        ),
        (
            "negative percentage",
            Invalid,
            delay("{percentage: {value: -10}, fixedDelay: 3s}"),
        ),
        ("exponential", Invalid, delay("{exponentialDelay: 3s}")),
    ]);
}

#[test]
fn retries() {
    let retry = |fields: &str| forward(&format!("  retries: {fields}"));
    check(&[
        (
            "valid",
            Valid,
            retry("{attempts: 10, perTryTimeout: 2s, retryOn: \"5xx,gateway-error\"}"),
        ),
        ("disabled", Valid, retry("{attempts: 0}")),
        ("empty", Valid, retry("{}")),
        (
            "policy while disabled",
            Invalid,
            retry("{attempts: 0, perTryTimeout: 2s, retryOn: 5xx}"),
        ),
        ("attempts only", Valid, retry("{attempts: 10}")),
        (
            "status code",
            Valid,
            retry("{attempts: 10, retryOn: \"503,connect-failure\"}"),
        ),
        (
            "negative attempts",
            Invalid,
            retry("{attempts: -1, perTryTimeout: 2s}"),
        ),
        (
            "timeout with nanos",
            Invalid,
            retry("{attempts: 10, perTryTimeout: 2.000000001s}"),
        ),
        (
            "timeout under 1ms",
            Invalid,
            retry("{attempts: 10, perTryTimeout: 0.000000999s}"),
        ),
        (
            "backoff under 1ms",
            Invalid,
            retry("{attempts: 10, backoff: 0.000000999s}"),
        ),
        (
            "unknown policy",
            Invalid,
            retry("{attempts: 10, retryOn: \"5xx,invalid policy\"}"),
        ),
        (
            "unknown status",
            Invalid,
            retry("{attempts: 10, retryOn: \"600,connect-failure\"}"),
        ),
        (
            "localities while disabled",
            Invalid,
            retry("{attempts: 0, retryRemoteLocalities: false}"),
        ),
    ]);
}

#[test]
fn rewrites() {
    let rewrite = |fields: &str| forward(&format!("  rewrite: {fields}"));
    let regex =
        "uriRegexRewrite: {match: \"^/service/([^/]+)(/.*)$\", rewrite: '\\2/instance/\\1'}";
    check(&[
        (
            "uri and authority",
            Valid,
            rewrite("{uri: /path, authority: foobar.org}"),
        ),
        ("uri", Valid, rewrite("{uri: /path}")),
        ("authority", Valid, rewrite("{authority: foobar.org}")),
        ("regex", Valid, rewrite(&format!("{{{regex}}}"))),
        (
            "regex and authority",
            Valid,
            rewrite(&format!("{{authority: foobar.org, {regex}}}")),
        ),
        (
            "regex and uri",
            Invalid,
            rewrite(&format!("{{uri: /path, {regex}}}")),
        ),
        ("nothing", Invalid, rewrite("{}")),
        (
            "only empty strings",
            Invalid,
            rewrite("{uri: \"\", authority: \"\"}"),
        ),
        // Istio's uriRegexRewrite table.
        (
            "regex without match",
            Invalid,
            rewrite("{uriRegexRewrite: {rewrite: '\\2'}}"),
        ),
        (
            "regex without rewrite",
            Invalid,
            rewrite("{uriRegexRewrite: {match: \"^/a\"}}"),
        ),
        (
            "regex that does not parse",
            Invalid,
            rewrite("{uriRegexRewrite: {match: \"[\", rewrite: \"[\"}}"),
        ),
    ]);
}

#[test]
fn redirects() {
    let redirect = |fields: &str| http(&format!("redirect: {fields}"));
    check(&[
        (
            "empty uri and authority",
            Invalid,
            redirect("{uri: \"\", authority: \"\"}"),
        ),
        ("code 299", Invalid, redirect("{uri: t, redirectCode: 299}")),
        ("code 400", Invalid, redirect("{uri: t, redirectCode: 400}")),
        ("uri only", Valid, redirect("{uri: t, authority: \"\"}")),
        (
            "authority only",
            Valid,
            redirect("{uri: \"\", authority: t}"),
        ),
        (
            "code 0",
            Valid,
            redirect("{uri: t, authority: t, redirectCode: 0}"),
        ),
        (
            "code 308",
            Valid,
            redirect("{uri: t, authority: t, redirectCode: 308}"),
        ),
        ("prefix rewrite", Valid, redirect("{prefixRewrite: /bar}")),
        (
            "prefix rewrite and authority",
            Valid,
            redirect("{authority: foo.example.com, prefixRewrite: /}"),
        ),
        (
            "uri and prefix rewrite",
            Invalid,
            redirect("{uri: /old, prefixRewrite: /new}"),
        ),
        ("port 0 counts as a port", Valid, redirect("{port: 0}")),
        (
            "derived port",
            Valid,
            redirect("{derivePort: FROM_REQUEST_PORT}"),
        ),
        ("port out of range", Invalid, redirect("{port: 70000}")),
        ("ftp scheme", Invalid, redirect("{scheme: ftp}")),
    ]);
}

#[test]
fn direct_responses() {
    let response = |fields: &str| http(&format!("directResponse: {fields}"));
    let string_body = |size: usize| {
        response(&format!(
            "{{status: 200, body: {{string: {}}}}}",
            "a".repeat(size)
        ))
    };
    // Base64 of `size` bytes of `a`: "YWFh" per three bytes.
    let bytes_body = |size: usize| {
        let mut encoded = "YWFh".repeat(size / 3);
        encoded.push_str(match size % 3 {
            1 => "YQ==",
            2 => "YWE=",
            _ => "",
        });
        response(&format!("{{status: 200, body: {{bytes: {encoded}}}}}"))
    };
    check(&[
        ("200", Valid, response("{status: 200}")),
        ("199", Invalid, response("{status: 199}")),
        ("601", Invalid, response("{status: 601}")),
        ("missing status", Schema, response("{body: {string: x}}")),
        (
            "string body",
            Valid,
            response("{status: 200, body: {string: hello}}"),
        ),
        ("string body over 100KiB", Warns, string_body(101 * 1024)),
        (
            "string body over 1MiB",
            Invalid,
            string_body(2 * 1024 * 1024),
        ),
        (
            "bytes body",
            Valid,
            response("{status: 200, body: {bytes: aGVsbG8=}}"),
        ),
        ("bytes body of 100KiB", Valid, bytes_body(100 * 1024)),
        ("bytes body over 100KiB", Warns, bytes_body(100 * 1024 + 1)),
        ("bytes body over 1MiB", Invalid, bytes_body(1024 * 1024 + 1)),
    ]);
}

#[test]
fn destinations() {
    let destination = |fields: &str| http(&format!("route: [{{destination: {fields}}}]"));
    check(&[
        ("nothing", Schema, destination("{}")),
        ("empty host", Invalid, destination("{host: \"\"}")),
        ("host", Valid, destination("{host: foo.bar}")),
        (
            "host, subset and port",
            Valid,
            destination("{host: foo.bar, subset: shiny, port: {number: 5000}}"),
        ),
        (
            "port without number",
            Invalid,
            destination("{host: foo.bar, subset: shiny, port: {}}"),
        ),
        // Istio skips the subset check when the subset is empty.
        (
            "empty subset",
            Valid,
            destination("{host: foo.bar, subset: \"\"}"),
        ),
        (
            "subset not a label",
            Invalid,
            destination("{host: foo.bar, subset: v_1}"),
        ),
        (
            "empty mirror subset",
            Valid,
            forward("  mirror: {host: foo.bar, subset: \"\"}"),
        ),
    ]);
}

fn header_operation(side: &str, operation: &str, value: &str) -> String {
    http(&format!(
        "route: [{{destination: {{host: foo.baz}}, headers: {{{side}: {{{operation}: {value}}}}}}}]"
    ))
}

#[test]
fn http_routes() {
    check(&[
        ("nothing", Invalid, http("{}")),
        ("one destination", Valid, http(DEST)),
        ("destination missing", Schema, http("route: [{}]")),
        (
            "destination null",
            Schema,
            http("route: [{destination: null}]"),
        ),
        (
            "weights over 100",
            Valid,
            http(
                "route: [{destination: {host: a.south}, weight: 550}, {destination: {host: a.east}, weight: 500}]",
            ),
        ),
        (
            "weights under 100",
            Valid,
            http(
                "route: [{destination: {host: a.south}, weight: 49}, {destination: {host: a.east}, weight: 50}]",
            ),
        ),
        (
            "redirect",
            Valid,
            http("redirect: {uri: /lerp, authority: foo.biz}"),
        ),
        (
            "prefix rewrite after a prefix match",
            Valid,
            http("match: [{uri: {prefix: /foo}}]\n  redirect: {prefixRewrite: /bar}"),
        ),
        (
            "prefix rewrite after an exact match",
            Invalid,
            http("match: [{uri: {exact: /foo}}]\n  redirect: {prefixRewrite: /bar}"),
        ),
        (
            "prefix rewrite after a regex match",
            Invalid,
            http("match: [{uri: {regex: /foo.*}}]\n  redirect: {prefixRewrite: /bar}"),
        ),
        (
            "prefix rewrite without a uri match",
            Valid,
            http("match: [{headers: {x-foo: {exact: bar}}}]\n  redirect: {prefixRewrite: /bar}"),
        ),
        (
            "route and redirect",
            Invalid,
            forward("  redirect: {uri: /lerp, authority: foo.biz}"),
        ),
        (
            "header operations",
            Valid,
            http(
                "route: [{destination: {host: foo.baz}, headers: {request: {add: {name: \"\"}, set: {name: \"\"}, remove: [name]}, response: {add: {name: \"\"}, set: {name: \"\"}, remove: [name]}}}]",
            ),
        ),
        (
            "empty name, request add",
            Invalid,
            header_operation("request", "add", "{\"\": value}"),
        ),
        (
            "empty name, request set",
            Invalid,
            header_operation("request", "set", "{\"\": value}"),
        ),
        (
            "empty name, request remove",
            Invalid,
            header_operation("request", "remove", "[\"\"]"),
        ),
        (
            "empty name, response add",
            Invalid,
            header_operation("response", "add", "{\"\": value}"),
        ),
        (
            "empty name, response set",
            Invalid,
            header_operation("response", "set", "{\"\": value}"),
        ),
        (
            "empty name, response remove",
            Invalid,
            header_operation("response", "remove", "[\"\"]"),
        ),
        (
            "escaped percent",
            Valid,
            header_operation("response", "set", "{x: \"100%%\"}"),
        ),
        (
            "variable",
            Valid,
            header_operation("response", "set", "{x: \"%HOSTNAME%\"}"),
        ),
        (
            "lone percent",
            Invalid,
            header_operation("response", "set", "{x: \"abcd%oijasodifj\"}"),
        ),
        (
            "escaped percent, add",
            Valid,
            header_operation("response", "add", "{x: \"100%% and more\"}"),
        ),
        (
            "variable, add",
            Valid,
            header_operation("response", "add", "{x: \"hello %HOSTNAME%\"}"),
        ),
        (
            "lone percent, add",
            Invalid,
            header_operation("response", "add", "{x: \"abcd%oijasodifj\"}"),
        ),
        (
            "empty header prefix",
            Invalid,
            forward("  match: [{headers: {h: {prefix: \"\"}}}]"),
        ),
        // Istio's webhook skips a nil match, but the CRD's schema (items
        // of type object) refuses the null item before it gets there.
        ("null match", Schema, forward("  match: [null]")),
        (
            "mirror percent over 100",
            Invalid,
            forward("  mirrorPercent: 101"),
        ),
        ("mirror percent", Warns, forward("  mirrorPercent: 5")),
        (
            "mirror percentage over 100",
            Invalid,
            forward("  mirrorPercentage: {value: 101}"),
        ),
        (
            "mirror percentage",
            Valid,
            forward("  mirrorPercentage: {value: 1}"),
        ),
        (
            "negative mirror percentage",
            Invalid,
            forward("  mirrorPercentage: {value: -1}"),
        ),
        (
            "mirror without destination",
            Schema,
            forward("  mirrors: [{}]"),
        ),
        (
            "mirrors percentage over 100",
            Invalid,
            forward(
                "  mirrors: [{destination: {host: a}}, {destination: {host: a}, percentage: {value: 101}}]",
            ),
        ),
        (
            "mirrors percentages",
            Valid,
            forward(
                "  mirrors: [{destination: {host: a}, percentage: {value: 1}}, {destination: {host: a}, percentage: {value: 50}}]",
            ),
        ),
        (
            "negative mirrors percentage",
            Invalid,
            forward("  mirrors: [{destination: {host: a}, percentage: {value: -1}}]"),
        ),
        (
            "mirror and mirrors",
            Invalid,
            forward("  mirror: {host: a}\n  mirrors: [{destination: {host: b}}]"),
        ),
    ]);
}

#[test]
fn route_destinations() {
    let tcp = |routes: &str| vs(&format!("hosts: [foo.bar]\ntcp:\n- route: {routes}"));
    check(&[
        ("host", Valid, tcp("[{destination: {host: foo.baz}}]")),
        (
            "wildcard and dash",
            Valid,
            tcp("[{destination: {host: \"*-foo.baz\"}}]"),
        ),
        (
            "wildcard prefix",
            Valid,
            tcp("[{destination: {host: \"*foo.baz\"}}]"),
        ),
        (
            "wildcard alone",
            Invalid,
            tcp("[{destination: {host: \"*\"}}]"),
        ),
        (
            "wildcard last",
            Invalid,
            tcp("[{destination: {host: \"foo.*\"}}]"),
        ),
        (
            "slash",
            Invalid,
            tcp("[{destination: {host: default/baz}}]"),
        ),
        ("destination missing", Schema, tcp("[{}]")),
        (
            "weights",
            Valid,
            tcp("[{destination: {host: a}, weight: 25}, {destination: {host: b}, weight: 75}]"),
        ),
        (
            "negative weight",
            Invalid,
            tcp("[{destination: {host: a}, weight: 5}, {destination: {host: b}, weight: -1}]"),
        ),
        (
            "weights over 100",
            Valid,
            tcp("[{destination: {host: a}, weight: 550}, {destination: {host: b}, weight: 500}]"),
        ),
        (
            "one zero weight",
            Valid,
            tcp("[{destination: {host: a}, weight: 100}, {destination: {host: b}, weight: 0}]"),
        ),
        (
            "single zero weight",
            Valid,
            tcp("[{destination: {host: a}, weight: 0}]"),
        ),
        (
            "all weights zero",
            Invalid,
            tcp("[{destination: {host: a}, weight: 0}, {destination: {host: b}, weight: 0}]"),
        ),
    ]);
}

#[test]
fn virtual_services() {
    let with_route = |head: &str| vs(&format!("{head}\nhttp:\n- {DEST}"));
    check(&[
        ("simple", Valid, with_route("hosts: [foo.bar]")),
        (
            "generated SNI host on a gateway",
            Valid,
            vs(
                "hosts: [outbound_.15010_._.istiod.istio-system.svc.cluster.local]\ngateways: [ns1/gateway]\ntls:\n- match: [{sniHosts: [outbound_.15010_._.istiod.istio-system.svc.cluster.local]}]\n  route: [{destination: {host: istiod.istio-system.svc.cluster.local}}]",
            ),
        ),
        (
            "overlapping hosts",
            Invalid,
            with_route("hosts: [\"*.foo.bar\", \"*.bar\"]"),
        ),
        (
            "destination missing",
            Schema,
            vs("hosts: [foo.bar]\nhttp:\n- route: [{}]"),
        ),
        (
            "destination without host",
            Schema,
            vs("hosts: [foo.bar]\nhttp:\n- route: [{destination: {}}]"),
        ),
        (
            "delegate without hosts",
            Valid,
            vs(&format!("http:\n- {DEST}")),
        ),
        ("bad host", Invalid, with_route("hosts: [foo.ba!r]")),
        ("no routes", Invalid, vs("hosts: [foo.bar]")),
        (
            "bad gateway",
            Invalid,
            with_route("hosts: [foo.bar]\ngateways: [b@dgateway]"),
        ),
        (
            "legacy gateway name",
            Warns,
            with_route("hosts: [foo.bar]\ngateways: [gateway.example.com]"),
        ),
        (
            "namespace/name gateway",
            Valid,
            with_route("hosts: [foo.bar]\ngateways: [ns1/gateway]"),
        ),
        (
            "namespace/* gateway",
            Invalid,
            with_route("hosts: [foo.bar]\ngateways: [ns1/*]"),
        ),
        (
            "*/name gateway",
            Invalid,
            with_route("hosts: [foo.bar]\ngateways: [\"*/gateway\"]"),
        ),
        (
            "wildcard host on the mesh",
            Invalid,
            with_route("hosts: [\"*\"]"),
        ),
        (
            "wildcard host on a gateway",
            Valid,
            with_route("hosts: [\"*\"]\ngateways: [somegateway]"),
        ),
        (
            "tcp without route",
            Invalid,
            vs("hosts: [foo.bar]\ntcp:\n- match: [{port: 999}]"),
        ),
        (
            "tls without route",
            Invalid,
            vs("hosts: [foo.bar]\ntls:\n- match: [{port: 999, sniHosts: [foo.bar]}]"),
        ),
        (
            "deprecated mirror percent",
            Warns,
            vs(&format!(
                "hosts: [foo.bar]\ngateways: [ns1/gateway]\nhttp:\n- {DEST}\n  mirrorPercent: 5"
            )),
        ),
        (
            "authority header",
            Valid,
            forward("  headers: {request: {set: {\":authority\": foo}}}"),
        ),
        (
            "authority header on a destination",
            Valid,
            http(
                "route: [{destination: {host: foo.baz}, headers: {request: {set: {\":authority\": foo}}}}]",
            ),
        ),
        (
            "authority in rewrite and header",
            Invalid,
            forward(
                "  headers: {request: {set: {\":authority\": foo}}}\n  rewrite: {authority: bar}",
            ),
        ),
        (
            "prefix covered by an earlier prefix (IST0131 only)",
            Valid,
            forward(
                "  match:\n  - uri: {prefix: /api/v1/product}\n  - uri: {prefix: /api/v1/products}\n    method: {exact: GET}",
            ),
        ),
        (
            "exact after a prefix",
            Valid,
            forward(
                "  match:\n  - uri: {prefix: /}\n  - uri: {exact: /}\n    method: {exact: GET}",
            ),
        ),
        (
            "jwt claim on the mesh",
            Invalid,
            vs(&format!(
                "hosts: [foo.bar]\ngateways: [mesh]\nhttp:\n- {DEST}\n  match:\n  - uri: {{prefix: /}}\n    headers: {{\"@request.auth.claims.foo\": {{exact: bar}}}}"
            )),
        ),
        (
            "IP address as SNI host",
            Warns,
            vs(
                "hosts: [foo.bar]\ntls:\n- match: [{port: 999, sniHosts: [1.1.1.1]}]\n  route: [{destination: {host: foo.baz}}]",
            ),
        ),
        (
            "inner wildcard SNI host",
            Invalid,
            vs(
                "hosts: [foo.bar]\ntls:\n- match: [{port: 999, sniHosts: [\"foo.*.com\"]}]\n  route: [{destination: {host: foo.baz}}]",
            ),
        ),
        // Istio checks gateway names only up to the first one without a `/`.
        (
            "bad gateway after mesh",
            Valid,
            with_route("hosts: [foo.bar]\ngateways: [mesh, \"bad_ns/gateway\"]"),
        ),
        (
            "bad gateway before mesh",
            Invalid,
            with_route("hosts: [foo.bar]\ngateways: [\"bad_ns/gateway\", mesh]"),
        ),
        (
            "bad gateway after a legacy name",
            Warns,
            with_route("hosts: [foo.bar]\ngateways: [gw.ns, \"ns/Bad_Name\"]"),
        ),
        (
            "bad match gateway after mesh",
            Valid,
            forward("  match: [{gateways: [mesh, \"ns/Bad_Name\"]}]"),
        ),
        (
            "bad tcp match gateway after a name",
            Valid,
            vs(
                "hosts: [foo.bar]\ntcp:\n- match: [{gateways: [gw, \"ns/Bad_Name\"]}]\n  route: [{destination: {host: foo.baz}}]",
            ),
        ),
        (
            "empty gateway parts",
            Invalid,
            with_route("hosts: [foo.bar]\ngateways: [\"/\"]"),
        ),
        (
            "repeated IP host",
            Invalid,
            with_route("hosts: [10.0.0.1, 10.0.0.1]"),
        ),
    ]);
}

#[test]
fn chained_virtual_services() {
    let delegate = "delegate: {name: test, namespace: test}";
    check(&[
        (
            "root on a gateway",
            Valid,
            vs(&format!(
                "hosts: [foo.bar]\ngateways: [test-gateway]\nhttp:\n- {delegate}"
            )),
        ),
        ("root on the mesh", Valid, http(delegate)),
        (
            "root with a route",
            Invalid,
            http(&format!("{delegate}\n  {DEST}")),
        ),
        (
            "delegate route without action",
            Invalid,
            vs("hosts: []\nhttp:\n- {}"),
        ),
        (
            "delegate that delegates",
            Invalid,
            vs(&format!("hosts: []\nhttp:\n- {delegate}")),
        ),
        (
            "delegate with tcp",
            Invalid,
            vs("hosts: []\ntcp:\n- route: [{destination: {host: foo.baz}}]"),
        ),
        (
            "delegate with gateways",
            Invalid,
            vs(&format!("hosts: []\ngateways: [test]\nhttp:\n- {DEST}")),
        ),
        (
            "delegate with source namespace",
            Valid,
            vs(&format!(
                "hosts: []\nhttp:\n- match: [{{sourceNamespace: test}}]\n  {DEST}"
            )),
        ),
    ]);
}

#[test]
fn root_http_routes() {
    let root = |extra: &str| {
        http(&format!(
            "delegate: {{name: test, namespace: test}}\n{extra}"
        ))
    };
    let redirect = |extra: &str| {
        http(&format!(
            "redirect: {{uri: /, authority: foo.biz}}\n{extra}"
        ))
    };
    check(&[
        ("delegate", Valid, root("")),
        ("delegate and route", Invalid, root(&format!("  {DEST}"))),
        (
            "delegate and redirect",
            Invalid,
            root("  redirect: {uri: /lerp, authority: foo.biz}"),
        ),
        (
            "prefix header",
            Valid,
            root("  match: [{headers: {h: {prefix: test}}}]"),
        ),
        (
            "empty prefix header",
            Invalid,
            root("  match: [{headers: {h: {prefix: \"\"}}}]"),
        ),
        (
            "exact header",
            Valid,
            root("  match: [{headers: {h: {exact: test}}}]"),
        ),
        (
            "regex header",
            Valid,
            root("  match: [{headers: {h: {regex: test}}}]"),
        ),
        (
            "exact without header",
            Valid,
            redirect("  match: [{withoutHeaders: {h: {exact: test}}}]"),
        ),
        (
            "regex without header",
            Valid,
            redirect("  match: [{withoutHeaders: {h: {regex: test}}}]"),
        ),
        (
            "bad regex without header",
            Invalid,
            redirect("  match: [{withoutHeaders: {h: {regex: \"?\"}}}]"),
        ),
        (
            "star without header",
            Valid,
            redirect("  match: [{withoutHeaders: {h: {regex: \"*\"}}}]"),
        ),
        ("regex uri", Valid, root("  match: [{uri: {regex: test}}]")),
        (
            "prefix uri",
            Valid,
            root("  match: [{uri: {prefix: test}}]"),
        ),
        ("exact uri", Valid, root("  match: [{uri: {exact: test}}]")),
        (
            "prefix query",
            Valid,
            root("  match: [{queryParams: {q: {prefix: test}}}]"),
        ),
        (
            "exact query",
            Valid,
            root("  match: [{queryParams: {q: {exact: test}}}]"),
        ),
        (
            "empty prefix method",
            Invalid,
            redirect("  match: [{method: {prefix: \"\"}}]"),
        ),
        (
            "empty regex method",
            Invalid,
            redirect("  match: [{method: {regex: \"\"}}]"),
        ),
        (
            "empty prefix uri",
            Valid,
            redirect("  match: [{uri: {prefix: \"\"}}]"),
        ),
        (
            "empty regex uri",
            Invalid,
            redirect("  match: [{uri: {regex: \"\"}}]"),
        ),
        (
            "empty regex query",
            Invalid,
            redirect("  match: [{queryParams: {q: {regex: \"\"}}}]"),
        ),
        (
            "empty regex scheme",
            Invalid,
            redirect("  match: [{scheme: {regex: \"\"}}]"),
        ),
        (
            "empty prefix scheme",
            Invalid,
            redirect("  match: [{scheme: {prefix: \"\"}}]"),
        ),
        (
            "empty prefix authority",
            Invalid,
            redirect("  match: [{authority: {prefix: \"\"}}]"),
        ),
        (
            "empty prefix header, no action",
            Invalid,
            http("match: [{headers: {h: {prefix: \"\"}}}]"),
        ),
        // A root route's conflicts are only route and redirect.
        (
            "delegate, mirror and mirrors",
            Valid,
            root("  mirror: {host: a}\n  mirrors: [{destination: {host: b}}]"),
        ),
        (
            "delegate and direct response",
            Valid,
            root("  directResponse: {status: 200}"),
        ),
    ]);
}

#[test]
fn delegate_http_routes() {
    let route = |fields: &str| vs(&format!("http:\n- {fields}"));
    let with_dest = |extra: &str| route(&format!("{DEST}\n{extra}"));
    check(&[
        ("nothing", Invalid, route("{}")),
        ("destination", Valid, route(DEST)),
        ("destination missing", Schema, route("route: [{}]")),
        (
            "weights",
            Valid,
            route(
                "route: [{destination: {host: a}, weight: 55}, {destination: {host: b}, weight: 50}]",
            ),
        ),
        (
            "redirect",
            Valid,
            route("redirect: {uri: /lerp, authority: foo.biz}"),
        ),
        (
            "route and redirect",
            Invalid,
            with_dest("  redirect: {uri: /lerp, authority: foo.biz}"),
        ),
        (
            "empty header name",
            Invalid,
            vs(
                "http:\n- route: [{destination: {host: foo.baz}, headers: {request: {add: {\"\": v}}}}]",
            ),
        ),
        // Istio's webhook skips a nil match, but the CRD's schema (items
        // of type object) refuses the null item before it gets there.
        ("null match", Schema, with_dest("  match: [null]")),
        (
            "mirror percent over 100",
            Invalid,
            with_dest("  mirrorPercent: 101"),
        ),
        (
            "mirror percentage over 100",
            Invalid,
            with_dest("  mirrorPercentage: {value: 101}"),
        ),
        (
            "mirror percentage",
            Valid,
            with_dest("  mirrorPercentage: {value: 1}"),
        ),
        (
            "negative mirror percentage",
            Invalid,
            with_dest("  mirrorPercentage: {value: -1}"),
        ),
        (
            "delegates again",
            Invalid,
            route("delegate: {name: test, namespace: test}"),
        ),
        (
            "mirror and mirrors",
            Invalid,
            with_dest("  mirror: {host: a}\n  mirrors: [{destination: {host: b}}]"),
        ),
    ]);
}
