//! One HTTP match block against one request, condition by condition, with
//! the first condition that fails put in words.

use super::context::Proxy;
use super::regexes::Regexes;
use super::request::Request;
use crate::model::istio::{HttpMatchRequest, StringMatch};

/// Istio's `sourceMatchHTTP` and port filter: whether the proxy gets this
/// match block at all. With match-level `gateways`, naming the proxy's
/// gateway is enough (source labels are then not looked at).
pub fn proxy_filter(m: &HttpMatchRequest, proxy: &Proxy) -> Result<(), String> {
    if let Some(port) = m.port
        && port != 0
        && port != proxy.port
    {
        return Err(format!("port: expected {port}, got {}", proxy.port));
    }
    if !m.gateways.is_empty() {
        return if m.gateways.contains(&proxy.gateway) {
            Ok(())
        } else {
            Err(format!(
                "gateways: expected one of [{}], got {}",
                m.gateways.join(", "),
                proxy.gateway
            ))
        };
    }
    for (key, value) in &m.source_labels {
        match proxy.labels.get(key) {
            Some(v) if v == value => {}
            Some(v) => {
                return Err(format!("sourceLabels {key}: expected {value:?}, got {v:?}"));
            }
            None => return Err(format!("sourceLabels {key}: expected {value:?}, got none")),
        }
    }
    match m.source_namespace.as_deref() {
        Some(ns) if !ns.is_empty() && ns != proxy.namespace => Err(format!(
            "sourceNamespace: expected {ns:?}, got {:?}",
            proxy.namespace
        )),
        _ => Ok(()),
    }
}

/// How a route's path prefix matches: as a string prefix
/// (VirtualServices), or segment by segment (routes Istio builds from
/// Gateway API routes, whose `PathPrefix` `/api` matches `/api` and
/// `/api/x` but not `/apix`: Envoy's `path_separated_prefix`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrefixKind {
    String,
    Segments,
}

/// The request-time conditions, in a fixed order: uri, scheme, method,
/// authority, headers, withoutHeaders, queryParams (maps by name).
pub fn request_match(
    m: &HttpMatchRequest,
    request: &Request,
    regexes: &Regexes,
    prefix_kind: PrefixKind,
) -> Result<(), String> {
    let check_sm = |what: &str, sm: &StringMatch, value: Option<&str>, ignore_case: bool| {
        check(what, Pattern::of(sm), value, ignore_case, regexes)
    };
    let ignore_case = m.ignore_uri_case.unwrap_or(false);
    if let Some(uri) = &m.uri {
        let pattern = Pattern::of_uri(uri, prefix_kind);
        check("uri", pattern, Some(&request.path), ignore_case, regexes)?;
    }
    if let Some(scheme) = &m.scheme {
        check_sm("scheme", scheme, Some(&request.scheme), false)?;
    }
    if let Some(method) = &m.method {
        check_sm("method", method, Some(&request.method), false)?;
    }
    if let Some(authority) = &m.authority {
        check_sm("authority", authority, Some(&request.authority), false)?;
    }
    for (name, sm) in &m.headers {
        let label = format!("header {}", name.to_ascii_lowercase());
        check_sm(&label, sm, header_or_claim(request, name).as_deref(), false)?;
    }
    for (name, sm) in &m.without_headers {
        let value = header_or_claim(request, name);
        let pattern = Pattern::of(sm);
        // Envoy treats a missing header as empty here, except for presence.
        let seen = match (&value, &pattern) {
            (None, Pattern::Present) => false,
            (None, _) => pattern.test("", false, regexes),
            (Some(v), _) => pattern.test(v, false, regexes),
        };
        if seen {
            return Err(format!(
                "withoutHeaders {}: must not match {}, got {}",
                name.to_ascii_lowercase(),
                pattern,
                shown(value.as_deref())
            ));
        }
    }
    for (name, sm) in &m.query_params {
        check_sm(
            &format!("queryParams {name}"),
            sm,
            request.query_param(name),
            false,
        )?;
    }
    Ok(())
}

/// Whether a request meets a match block's request-time conditions, with
/// the block's regexes compiled for this one call: for callers outside the
/// engine (diff's request classes, which avoid the blocks before theirs).
pub fn meets_match_block(m: &HttpMatchRequest, request: &Request) -> bool {
    let mut regexes = Regexes::default();
    regexes.add_match(m);
    request_match(m, request, &regexes, PrefixKind::String).is_ok()
}

/// Whether Envoy would see this match block as catching everything: no
/// path condition but `/` or `.*`, and no header or query conditions.
pub fn is_catch_all(m: Option<&HttpMatchRequest>) -> bool {
    let Some(m) = m else { return true };
    let path_all = match &m.uri {
        None => true,
        Some(uri) => matches!(
            Pattern::of(uri),
            Pattern::Prefix("/") | Pattern::Regex(".*")
        ),
    };
    path_all
        && m.headers.is_empty()
        && m.without_headers.is_empty()
        && m.query_params.is_empty()
        && m.method.is_none()
        && m.authority.is_none()
        && m.scheme.is_none()
}

/// Headers named `@request.auth.claims[a][b]` (or `.a.b`) match JWT claims.
fn header_or_claim(request: &Request, name: &str) -> Option<String> {
    match claim_name(name) {
        Some(claim) => request.jwt_claim(&claim).map(str::to_string),
        None => request.header(name),
    }
}

/// `@request.auth.claims[group][id]` or `@request.auth.claims.group.id` to
/// `group.id`.
pub fn claim_name(name: &str) -> Option<String> {
    let rest = name.strip_prefix("@request.auth.claims")?;
    if let Some(rest) = rest.strip_prefix('.') {
        return (!rest.is_empty()).then(|| rest.to_string());
    }
    let parts: Vec<&str> = rest
        .strip_prefix('[')?
        .strip_suffix(']')?
        .split("][")
        .collect();
    (!parts.iter().any(|p| p.is_empty())).then(|| parts.join("."))
}

fn check(
    what: &str,
    pattern: Pattern,
    value: Option<&str>,
    ignore_case: bool,
    regexes: &Regexes,
) -> Result<(), String> {
    let ok = match value {
        Some(v) => pattern.test(v, ignore_case, regexes),
        None => false,
    };
    if ok {
        Ok(())
    } else {
        Err(format!("{what}: expected {pattern}, got {}", shown(value)))
    }
}

fn shown(value: Option<&str>) -> String {
    match value {
        Some(v) => format!("{v:?}"),
        None => "none".into(),
    }
}

/// A `StringMatch` as Envoy gets it. An empty match, and the regex `*`,
/// become presence checks (as Istio translates them).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Pattern<'a> {
    Present,
    Exact(&'a str),
    Prefix(&'a str),
    /// A prefix of whole path segments (see [`PrefixKind::Segments`]).
    PathPrefix(&'a str),
    Regex(&'a str),
}

impl<'a> Pattern<'a> {
    pub fn of(sm: &'a StringMatch) -> Self {
        if let Some(exact) = &sm.exact {
            Pattern::Exact(exact)
        } else if let Some(prefix) = &sm.prefix {
            Pattern::Prefix(prefix)
        } else if let Some(regex) = sm.regex.as_deref().filter(|r| *r != "*") {
            Pattern::Regex(regex)
        } else {
            Pattern::Present
        }
    }

    /// A uri match, its prefix as `prefix_kind` says (`/` is every path
    /// either way).
    pub fn of_uri(sm: &'a StringMatch, prefix_kind: PrefixKind) -> Self {
        match (Pattern::of(sm), prefix_kind) {
            (Pattern::Prefix(p), PrefixKind::Segments) if p != "/" => Pattern::PathPrefix(p),
            (pattern, _) => pattern,
        }
    }

    /// Envoy's semantics: regexes (RE2) match the whole value, and
    /// `ignore_case` does not apply to them.
    pub fn test(self, value: &str, ignore_case: bool, regexes: &Regexes) -> bool {
        match self {
            Pattern::Present => true,
            Pattern::Exact(e) if ignore_case => e.eq_ignore_ascii_case(value),
            Pattern::Exact(e) => e == value,
            Pattern::Prefix(p) if ignore_case => value
                .get(..p.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(p)),
            Pattern::Prefix(p) => value.starts_with(p),
            Pattern::PathPrefix(p) => value
                .strip_prefix(p)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/')),
            Pattern::Regex(r) => regexes.full_match(r, value),
        }
    }
}

impl std::fmt::Display for Pattern<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Pattern::Present => write!(f, "presence"),
            Pattern::Exact(v) => write!(f, "exact {v:?}"),
            Pattern::Prefix(v) => write!(f, "prefix {v:?}"),
            Pattern::PathPrefix(v) => write!(f, "path prefix {v:?}"),
            Pattern::Regex(v) => write!(f, "regex {v:?}"),
        }
    }
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::model::StringMap;
    use crate::model::istio::HttpRoute;

    /// `request_match` with the block's regexes compiled.
    fn request_match(m: &HttpMatchRequest, request: &Request) -> Result<(), String> {
        let mut regexes = Regexes::default();
        regexes.add_routes(&[HttpRoute {
            matches: vec![m.clone()],
            ..Default::default()
        }]);
        super::request_match(m, request, &regexes, PrefixKind::String)
    }

    fn sm(kind: &str, v: &str) -> StringMatch {
        let v = Some(v.to_string());
        match kind {
            "exact" => StringMatch {
                exact: v,
                ..Default::default()
            },
            "prefix" => StringMatch {
                prefix: v,
                ..Default::default()
            },
            _ => StringMatch {
                regex: v,
                ..Default::default()
            },
        }
    }

    fn request(line: &str, headers: &[&str]) -> Request {
        let mut r = Request::parse(line).unwrap();
        for h in headers {
            r.add_header(h).unwrap();
        }
        r
    }

    #[test]
    fn the_first_failed_condition_is_named() {
        let m = HttpMatchRequest {
            uri: Some(sm("prefix", "/api")),
            headers: StringMap::from([("End-User".to_string(), sm("exact", "jason"))]),
            ..Default::default()
        };
        let r = request("GET http://a/api/x", &[]);
        assert_eq!(
            request_match(&m, &r).unwrap_err(),
            "header end-user: expected exact \"jason\", got none"
        );
        let r = request("GET http://a/web", &["end-user: jason"]);
        assert_eq!(
            request_match(&m, &r).unwrap_err(),
            "uri: expected prefix \"/api\", got \"/web\""
        );
        assert!(request_match(&m, &request("GET http://a/api", &["END-USER: jason"])).is_ok());
    }

    #[test]
    fn regexes_match_the_whole_path_without_the_query() {
        let m = HttpMatchRequest {
            uri: Some(sm("regex", "/v[0-9]+")),
            ..Default::default()
        };
        assert!(request_match(&m, &request("GET http://a/v12?x=1", &[])).is_ok());
        assert!(request_match(&m, &request("GET http://a/v12/x", &[])).is_err());
    }

    #[test]
    fn ignore_uri_case_and_query_params() {
        let m = HttpMatchRequest {
            uri: Some(sm("exact", "/Login")),
            ignore_uri_case: Some(true),
            query_params: StringMap::from([("v".to_string(), sm("exact", "2"))]),
            ..Default::default()
        };
        assert!(request_match(&m, &request("GET http://a/LOGIN?v=2", &[])).is_ok());
        assert_eq!(
            request_match(&m, &request("GET http://a/login?v=3", &[])).unwrap_err(),
            "queryParams v: expected exact \"2\", got \"3\""
        );
    }

    #[test]
    fn without_headers_treats_a_missing_header_as_empty() {
        let m = HttpMatchRequest {
            without_headers: StringMap::from([
                ("x-debug".to_string(), sm("exact", "1")),
                ("x-canary".to_string(), StringMatch::default()),
            ]),
            ..Default::default()
        };
        assert!(request_match(&m, &request("GET http://a/", &[])).is_ok());
        assert_eq!(
            request_match(&m, &request("GET http://a/", &["x-canary: no"])).unwrap_err(),
            "withoutHeaders x-canary: must not match presence, got \"no\""
        );
        assert!(request_match(&m, &request("GET http://a/", &["x-debug: 1"])).is_err());
    }

    #[test]
    fn proxy_filters_port_gateways_and_source() {
        let proxy = Proxy {
            gateway: "mesh".into(),
            labels: StringMap::from([("app".to_string(), "web".to_string())]),
            namespace: "default".into(),
            port: 80,
        };
        let m = HttpMatchRequest {
            source_labels: StringMap::from([("app".to_string(), "api".to_string())]),
            ..Default::default()
        };
        assert_eq!(
            proxy_filter(&m, &proxy).unwrap_err(),
            "sourceLabels app: expected \"api\", got \"web\""
        );
        let m = HttpMatchRequest {
            gateways: vec!["mesh".into()],
            source_labels: StringMap::from([("app".to_string(), "api".to_string())]),
            ..Default::default()
        };
        assert!(
            proxy_filter(&m, &proxy).is_ok(),
            "a named gateway skips sourceLabels"
        );
        let m = HttpMatchRequest {
            port: Some(8080),
            ..Default::default()
        };
        assert!(proxy_filter(&m, &proxy).is_err());
    }

    #[test]
    fn claims_and_catch_alls() {
        assert_eq!(
            claim_name("@request.auth.claims[group][id]").as_deref(),
            Some("group.id")
        );
        assert_eq!(
            claim_name("@request.auth.claims.admin").as_deref(),
            Some("admin")
        );
        assert_eq!(claim_name("x-user"), None);
        assert!(is_catch_all(None));
        let root = HttpMatchRequest {
            uri: Some(sm("prefix", "/")),
            ..Default::default()
        };
        assert!(is_catch_all(Some(&root)));
        let api = HttpMatchRequest {
            uri: Some(sm("prefix", "/api")),
            ..Default::default()
        };
        assert!(!is_catch_all(Some(&api)));
    }

    #[test]
    fn a_gateway_api_path_prefix_matches_whole_segments() {
        let m = HttpMatchRequest {
            uri: Some(sm("prefix", "/api")),
            ..Default::default()
        };
        let matches = |path: &str, kind| {
            let regexes = Regexes::default();
            super::request_match(
                &m,
                &request(&format!("GET http://a{path}"), &[]),
                &regexes,
                kind,
            )
            .is_ok()
        };
        for path in ["/api", "/api/", "/api/x"] {
            assert!(matches(path, PrefixKind::Segments), "{path}");
        }
        assert!(!matches("/apix", PrefixKind::Segments));
        assert!(
            matches("/apix", PrefixKind::String),
            "a VirtualService prefix is a string prefix"
        );
    }
}
