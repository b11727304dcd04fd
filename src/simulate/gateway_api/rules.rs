//! HTTPRoute and GRPCRoute rules as the VirtualService routes Istio
//! converts them to (`convertHTTPRoute`, `convertGRPCRoute` and their
//! `create*` helpers in `pilot/pkg/config/kube/gateway/conversion.go`):
//! one route per match, named by the rule or `ns.name.index`.

use crate::model::StringMap;

use super::RuleOrigin;
use super::backends::{self, BackendRef};
use crate::mesh;
use crate::mesh::reference_grant::ReferenceGrants;
use crate::model::Object;
use crate::model::gateway_api::BackendRef as CommonBackendRef;
use crate::model::gateway_api::RequestMirrorBackendRef;
use crate::model::gateway_api::{
    GrpcRouteSpec, Header, HeaderType, HttpRouteSpec, RequestMirror, grpc_route, http_route,
};
use crate::model::gateway_api::{TcpRouteSpec, TlsRouteSpec};
use crate::model::istio::{
    Destination, HeaderOperations, Headers, HttpDirectResponse, HttpMatchRequest, HttpMirrorPolicy,
    HttpRedirect, HttpRetry, HttpRewrite, HttpRoute, HttpRouteDestination, Percent, PortSelector,
    RedirectPortSelection, RegexRewrite, RouteDestination, StringMatch, TcpRoute,
    TlsMatchAttributes, TlsRoute,
};
use crate::simulate::DEFAULT_RETRY_ATTEMPTS;
use crate::simulate::names::qualified;
use crate::snapshot::Snapshot;

/// What Istio retries whenever an HTTPRoute rule has `retry` ("SHOULD
/// retry on connection errors"), before the rule's status codes.
const RETRY_ON_CONNECTION_ERRORS: &str = "connect-failure,refused-stream,unavailable,cancelled";

/// A converted route and its origin.
pub type Converted = (HttpRoute, RuleOrigin);

/// A route's rules as Istio converts them, by kind of route.
pub enum Rules {
    Http(Vec<Converted>),
    Tcp(Vec<(TcpRoute, RuleOrigin)>),
    Tls(Vec<(TlsRoute, RuleOrigin)>),
}

/// Every rule of an HTTPRoute, or the error Istio refuses the route for.
/// For a Gateway parent (`grants` given), cross-namespace backends need a
/// ReferenceGrant.
pub fn http_route(
    object: &Object,
    spec: &HttpRouteSpec,
    snapshot: &Snapshot,
    grants: Option<&ReferenceGrants>,
) -> Result<Rules, String> {
    let ctx = Ctx::new(object, "HTTPRoute", snapshot, grants);
    let mut out = Vec::new();
    for (i, rule) in spec.rules.iter().enumerate() {
        let (base, problems) = http_rule(rule, &ctx, i)?;
        let matches: Vec<_> = rule.matches.iter().map(http_match).collect();
        let origin = origin("HTTPRoute", object, i, rule.name.clone());
        split(&mut out, base, problems, origin, matches);
    }
    Ok(Rules::Http(out))
}

/// Every rule of a GRPCRoute, or the error Istio refuses the route for.
pub fn grpc_route(
    object: &Object,
    spec: &GrpcRouteSpec,
    snapshot: &Snapshot,
    grants: Option<&ReferenceGrants>,
) -> Result<Rules, String> {
    let ctx = Ctx::new(object, "GRPCRoute", snapshot, grants);
    let mut out = Vec::new();
    for (i, rule) in spec.rules.iter().enumerate() {
        let (base, problems) = grpc_rule(rule, &ctx, i)?;
        let matches = rule
            .matches
            .iter()
            .map(grpc_match)
            .collect::<Result<Vec<_>, _>>()?;
        let origin = origin("GRPCRoute", object, i, rule.name.clone());
        split(&mut out, base, problems, origin, matches);
    }
    Ok(Rules::Http(out))
}

/// What converting one route's rules reads.
struct Ctx<'r> {
    object: &'r Object,
    backends: backends::Resolver<'r>,
}

impl<'r> Ctx<'r> {
    fn new(
        object: &'r Object,
        kind: &'static str,
        snapshot: &'r Snapshot,
        grants: Option<&'r ReferenceGrants<'r>>,
    ) -> Self {
        let namespace = object.namespace.as_deref().unwrap_or_default();
        Ctx {
            object,
            backends: backends::Resolver {
                snapshot,
                namespace,
                route_kind: kind,
                grants,
            },
        }
    }
}

/// Every rule of a TCPRoute (Istio's `convertTCPRoute`).
pub fn tcp_route(
    object: &Object,
    spec: &TcpRouteSpec,
    snapshot: &Snapshot,
    grants: Option<&ReferenceGrants>,
) -> Result<Rules, String> {
    let ctx = Ctx::new(object, "TCPRoute", snapshot, grants);
    let mut out = Vec::new();
    for (i, rule) in spec.rules.iter().enumerate() {
        let (route, problems) = l4_destinations(&rule.backend_refs, &ctx)?;
        let origin = RuleOrigin {
            backend_problems: problems,
            ..origin("TCPRoute", object, i, rule.name.clone())
        };
        out.push((
            TcpRoute {
                route,
                ..Default::default()
            },
            origin,
        ));
    }
    Ok(Rules::Tcp(out))
}

/// Every rule of a TLSRoute (Istio's `convertTLSRoute`): matched by the
/// route's hostnames as SNI (`*` without any).
pub fn tls_route(
    object: &Object,
    spec: &TlsRouteSpec,
    snapshot: &Snapshot,
    grants: Option<&ReferenceGrants>,
) -> Result<Rules, String> {
    let ctx = Ctx::new(object, "TLSRoute", snapshot, grants);
    let sni_hosts = if spec.hostnames.is_empty() {
        vec!["*".to_string()]
    } else {
        spec.hostnames.clone()
    };
    let mut out = Vec::new();
    for (i, rule) in spec.rules.iter().enumerate() {
        let (route, problems) = l4_destinations(&rule.backend_refs, &ctx)?;
        let origin = RuleOrigin {
            backend_problems: problems,
            ..origin("TLSRoute", object, i, rule.name.clone())
        };
        let matches = vec![TlsMatchAttributes {
            sni_hosts: sni_hosts.clone(),
            ..Default::default()
        }];
        out.push((TlsRoute { matches, route }, origin));
    }
    Ok(Rules::Tls(out))
}

/// Istio's `buildTCPDestination`: backends of weight 0 dropped, a lone
/// one takes everything; with no weight at all, Istio's black hole.
fn l4_destinations(
    backends: &[CommonBackendRef],
    ctx: &Ctx,
) -> Result<(Vec<RouteDestination>, Vec<Option<String>>), String> {
    let weight = |b: &CommonBackendRef| b.weight.unwrap_or(1);
    if backends.iter().map(weight).sum::<i32>() == 0 {
        let black_hole = Destination {
            host: Some("internal.cluster.local".into()),
            subset: Some("zero-weight".into()),
            port: Some(PortSelector {
                number: Some(65535),
            }),
        };
        let problem = "no backend has a weight: Istio sends the connection nowhere".to_string();
        return Ok((
            vec![RouteDestination {
                destination: Some(black_hole),
                weight: None,
            }],
            vec![Some(problem)],
        ));
    }
    let kept: Vec<&CommonBackendRef> = backends.iter().filter(|b| weight(b) != 0).collect();
    let lone = kept.len() == 1;
    let mut route = Vec::new();
    let mut problems = Vec::new();
    for b in kept {
        let resolved = ctx.backends.destination(&b.backend_ref())?;
        route.push(RouteDestination {
            destination: Some(resolved.destination),
            weight: if lone { None } else { Some(weight(b)) },
        });
        problems.push(resolved.problem);
    }
    Ok((route, problems))
}

fn origin(kind: &'static str, object: &Object, rule: usize, name: Option<String>) -> RuleOrigin {
    RuleOrigin {
        kind,
        name: qualified(object),
        rule_index: rule,
        rule_name: name,
        match_index: None,
        listener: None,
        listener_set: None,
        backend_problems: Vec::new(),
    }
}

/// One route per match (one without match when the rule has none).
fn split(
    out: &mut Vec<Converted>,
    base: HttpRoute,
    problems: Vec<Option<String>>,
    origin: RuleOrigin,
    matches: Vec<HttpMatchRequest>,
) {
    let origin = RuleOrigin {
        backend_problems: problems,
        ..origin
    };
    if matches.is_empty() {
        out.push((base, origin));
        return;
    }
    for (k, m) in matches.into_iter().enumerate() {
        let mut route = base.clone();
        route.matches = vec![m];
        let origin = RuleOrigin {
            match_index: Some(k),
            ..origin.clone()
        };
        out.push((route, origin));
    }
}

/// A route named by its rule, or as Istio names it:
/// `namespace.name.ruleIndex`.
fn named_route(rule_name: Option<&String>, object: &Object, index: usize) -> HttpRoute {
    let name = rule_name.cloned().unwrap_or_else(|| {
        let ns = object.namespace.as_deref().unwrap_or_default();
        format!("{ns}.{}.{index}", object.name)
    });
    HttpRoute {
        name: Some(name),
        ..Default::default()
    }
}

fn http_rule(
    rule: &http_route::Rule,
    ctx: &Ctx,
    index: usize,
) -> Result<(HttpRoute, Vec<Option<String>>), String> {
    let mut route = named_route(rule.name.as_ref(), ctx.object, index);
    for filter in &rule.filters {
        http_filter(&mut route, filter, &ctx.backends)?;
    }
    route.retries = rule.retry.as_ref().map(|r| Box::new(retries(r)));
    set_timeouts(&mut route, rule.timeouts.as_ref());
    with_backends(route, &rule.backend_refs, ctx)
}

fn grpc_rule(
    rule: &grpc_route::Rule,
    ctx: &Ctx,
    index: usize,
) -> Result<(HttpRoute, Vec<Option<String>>), String> {
    let mut route = named_route(rule.name.as_ref(), ctx.object, index);
    for filter in &rule.filters {
        use grpc_route::FilterType as F;
        match filter.r#type {
            Some(F::RequestHeaderModifier | F::ResponseHeaderModifier) => {
                set_headers(&mut route, filter);
            }
            Some(F::RequestMirror) => {
                if let Some(m) = &filter.request_mirror {
                    route.mirrors.push(mirror(m, &ctx.backends)?);
                }
            }
            other => return Err(unsupported_filter(other)),
        }
    }
    with_backends(route, &rule.backend_refs, ctx)
}

/// A rule's `backendRefs` as the route's destinations; the spec's 500
/// when none has a weight (and the rule does not redirect).
fn with_backends<B: RuleBackend>(
    mut route: HttpRoute,
    backends: &[B],
    ctx: &Ctx,
) -> Result<(HttpRoute, Vec<Option<String>>), String> {
    let total: i32 = backends.iter().map(|b| b.weight().unwrap_or(1)).sum();
    if total == 0 && route.redirect.is_none() {
        route.direct_response = Some(Box::new(no_backend()));
        return Ok((route, Vec::new()));
    }
    let refs = backends
        .iter()
        .map(|b| (b.backend_ref(), b.weight(), header_filters(b.filters())));
    let problems = destinations(&mut route, refs, &ctx.backends)?;
    Ok((route, problems))
}

/// A reference to a backend, of whichever route or filter.
trait AsBackendRef {
    fn backend_ref(&self) -> BackendRef<'_>;
}

macro_rules! as_backend_ref {
    ($($t:ty),+) => {$(
        impl AsBackendRef for $t {
            fn backend_ref(&self) -> BackendRef<'_> {
                BackendRef {
                    group: self.group.as_deref(),
                    kind: self.kind.as_deref(),
                    name: self.name.as_deref().unwrap_or_default(),
                    namespace: self.namespace.as_deref(),
                    port: self.port,
                }
            }
        }
    )+};
}

as_backend_ref!(
    http_route::BackendRef,
    grpc_route::BackendRef,
    CommonBackendRef,
    RequestMirrorBackendRef
);

/// A rule's backend, HTTPRoute's or GRPCRoute's (alike in every field).
trait RuleBackend: AsBackendRef {
    type Filter: HeaderFilter;
    fn weight(&self) -> Option<i32>;
    fn filters(&self) -> &[Self::Filter];
}

/// A filter that may change request or response headers.
trait HeaderFilter {
    fn request(&self) -> Option<HeaderOperations>;
    fn response(&self) -> Option<HeaderOperations>;
}

macro_rules! rule_backend {
    ($($module:ident),+) => {$(
        impl RuleBackend for $module::BackendRef {
            type Filter = $module::Filter;
            fn weight(&self) -> Option<i32> {
                self.weight
            }
            fn filters(&self) -> &[Self::Filter] {
                &self.filters
            }
        }

        impl HeaderFilter for $module::Filter {
            fn request(&self) -> Option<HeaderOperations> {
                let m = self.request_header_modifier.as_ref()?;
                Some(operations(&m.set, &m.add, &m.remove))
            }
            fn response(&self) -> Option<HeaderOperations> {
                let m = self.response_header_modifier.as_ref()?;
                Some(operations(&m.set, &m.add, &m.remove))
            }
        }
    )+};
}

rule_backend!(http_route, grpc_route);

fn unsupported_filter(kind: Option<impl std::fmt::Debug>) -> String {
    match kind {
        Some(kind) => format!("unsupported filter type {kind:?}"),
        None => "a filter without a type".into(),
    }
}

/// The spec's answer when no backend has a weight: 500.
fn no_backend() -> HttpDirectResponse {
    HttpDirectResponse {
        status: Some(500),
        body: None,
    }
}

/// Istio's `buildHTTPDestination`: backends of weight 0 are dropped; a
/// lone backend takes everything. Returns each destination's problem.
fn destinations<'r>(
    route: &mut HttpRoute,
    refs: impl Iterator<Item = (BackendRef<'r>, Option<i32>, Option<Headers>)>,
    resolver: &backends::Resolver,
) -> Result<Vec<Option<String>>, String> {
    let kept: Vec<_> = refs.filter(|(_, w, _)| w.unwrap_or(1) != 0).collect();
    let lone = kept.len() == 1;
    let mut problems = Vec::new();
    for (backend, weight, headers) in kept {
        let resolved = resolver.destination(&backend)?;
        route.route.push(HttpRouteDestination {
            destination: Some(resolved.destination),
            headers: headers.map(Box::new),
            weight: if lone {
                None
            } else {
                Some(weight.unwrap_or(1))
            },
        });
        problems.push(resolved.problem);
    }
    Ok(problems)
}

fn http_filter(
    route: &mut HttpRoute,
    filter: &http_route::Filter,
    resolver: &backends::Resolver,
) -> Result<(), String> {
    use http_route::FilterType as F;
    match filter.r#type {
        Some(F::RequestHeaderModifier | F::ResponseHeaderModifier) => set_headers(route, filter),
        Some(F::RequestRedirect) => {
            route.redirect = filter
                .request_redirect
                .as_ref()
                .map(|r| Box::new(redirect(r)))
        }
        // A mirror Istio cannot build is left out; the route stays.
        Some(F::RequestMirror) => {
            if let Some(m) = &filter.request_mirror
                && let Ok(mirror) = mirror(m, resolver)
            {
                route.mirrors.push(mirror);
            }
        }
        Some(F::UrlRewrite) => {
            route.rewrite = filter.url_rewrite.as_ref().and_then(rewrite).map(Box::new)
        }
        // CORS changes no routing decision.
        Some(F::Cors) => {}
        other => return Err(unsupported_filter(other)),
    }
    Ok(())
}

/// A header modifier filter's changes, on the route.
fn set_headers(route: &mut HttpRoute, filter: &impl HeaderFilter) {
    let (request, response) = (filter.request(), filter.response());
    if request.is_none() && response.is_none() {
        return;
    }
    let headers = route.headers.get_or_insert_default();
    if request.is_some() {
        headers.request = request;
    }
    if response.is_some() {
        headers.response = response;
    }
}

/// The header names and values of a modifier's `set` or `add` list.
trait NameValue {
    fn pair(&self) -> (&str, &str);
}

impl NameValue for crate::model::gateway_api::Set {
    fn pair(&self) -> (&str, &str) {
        (
            self.name.as_deref().unwrap_or_default(),
            self.value.as_deref().unwrap_or_default(),
        )
    }
}

impl NameValue for crate::model::gateway_api::Add {
    fn pair(&self) -> (&str, &str) {
        (
            self.name.as_deref().unwrap_or_default(),
            self.value.as_deref().unwrap_or_default(),
        )
    }
}

/// Istio's `createHeadersFilter`: names lower-cased; a later entry of the
/// same name is ignored, as the spec says.
fn operations<S: NameValue, A: NameValue>(
    set: &[S],
    add: &[A],
    remove: &[String],
) -> HeaderOperations {
    fn to_map<'e>(entries: impl Iterator<Item = (&'e str, &'e str)>) -> StringMap {
        // The first of a repeated header name counts.
        let mut map = StringMap::new();
        for (name, value) in entries {
            let name = name.to_ascii_lowercase();
            if !map.contains_key(&name) {
                map.insert(name, value.to_string());
            }
        }
        map
    }
    HeaderOperations {
        set: to_map(set.iter().map(NameValue::pair)),
        add: to_map(add.iter().map(NameValue::pair)),
        remove: remove.to_vec(),
    }
}

/// A backend's header modifier filters.
fn header_filters<F: HeaderFilter>(filters: &[F]) -> Option<Headers> {
    let mut headers = Headers::default();
    for f in filters {
        headers.request = f.request().or(headers.request);
        headers.response = f.response().or(headers.response);
    }
    (headers != Headers::default()).then_some(headers)
}

/// Istio's `createRedirectFilter`: without a port, the request's port,
/// or the scheme's default port when the scheme changes.
fn redirect(r: &http_route::RequestRedirect) -> HttpRedirect {
    let scheme = r.scheme.map(|s| match s {
        http_route::RequestRedirectScheme::Http => "http".to_string(),
        http_route::RequestRedirectScheme::Https => "https".to_string(),
    });
    let port = r.port.and_then(|p| u32::try_from(p).ok());
    let derive_port = match (port, &scheme) {
        (Some(_), _) => None,
        (None, Some(_)) => Some(RedirectPortSelection::FromProtocolDefault),
        (None, None) => Some(RedirectPortSelection::FromRequestPort),
    };
    let path = r.path.as_ref();
    HttpRedirect {
        authority: r.hostname.clone(),
        derive_port,
        port,
        redirect_code: r.status_code.and_then(|c| u32::try_from(c).ok()),
        scheme,
        uri: path.and_then(|p| p.replace_full_path.clone()),
        prefix_rewrite: path.and_then(|p| p.replace_prefix_match.clone()),
    }
}

/// Istio's `createRewriteFilter`: a prefix replacement loses its trailing
/// `/` (`/` alone removes the matched prefix); a full path replacement
/// rewrites the whole path.
fn rewrite(r: &http_route::UrlRewrite) -> Option<HttpRewrite> {
    let mut out = HttpRewrite {
        authority: r.hostname.clone(),
        ..Default::default()
    };
    if let Some(path) = &r.path {
        if let Some(prefix) = &path.replace_prefix_match {
            let trimmed = prefix.strip_suffix('/').unwrap_or(prefix);
            out.uri = Some(if trimmed.is_empty() { "/" } else { trimmed }.to_string());
        } else if let Some(full) = &path.replace_full_path {
            out.uri_regex_rewrite = Some(RegexRewrite {
                matches: Some("/.*".into()),
                rewrite: Some(full.clone()),
            });
        }
    }
    (out != HttpRewrite::default()).then_some(out)
}

/// Istio's `createMirrorFilter`: a `fraction`, else a `percent`, else all.
fn mirror(m: &RequestMirror, resolver: &backends::Resolver) -> Result<HttpMirrorPolicy, String> {
    let Some(b) = &m.backend_ref else {
        return Err("a mirror without a backendRef".into());
    };
    let resolved = resolver.destination(&b.backend_ref())?;
    let percentage = match (&m.fraction, m.percent) {
        (Some(f), _) => Some(
            100.0 * f64::from(f.numerator.unwrap_or(0)) / f64::from(f.denominator.unwrap_or(100)),
        ),
        (None, Some(p)) => Some(f64::from(p)),
        (None, None) => None,
    };
    Ok(HttpMirrorPolicy {
        destination: Some(resolved.destination).filter(|d| *d != Destination::default()),
        percentage: percentage.map(|value| Percent { value: Some(value) }),
    })
}

/// Istio's conversion of `retry` (GEP-1731): connection errors and the
/// listed status codes, 2 attempts when `attempts` is unset (Istio's
/// default, as the spec leaves it to the implementation), the backoff as
/// given. Without `retry`, the route keeps Istio's default policy.
fn retries(r: &http_route::Retry) -> HttpRetry {
    let codes = r.codes.iter().map(|c| format!(",{c}")).collect::<String>();
    let attempts = r.attempts.map_or(DEFAULT_RETRY_ATTEMPTS, |a| {
        i32::try_from(a).unwrap_or(i32::MAX)
    });
    HttpRetry {
        attempts: Some(attempts),
        backoff: r.backoff.clone(),
        retry_on: Some(format!("{RETRY_ON_CONNECTION_ERRORS}{codes}")),
        ..Default::default()
    }
}

/// `timeouts`: `request` is the route's timeout; `backendRequest` is each
/// try's when the rule retries, and otherwise replaces the route's (as
/// Istio converts it); zero is no timeout.
fn set_timeouts(route: &mut HttpRoute, t: Option<&http_route::Timeout>) {
    let Some(t) = t else {
        return;
    };
    let nonzero = |d: &Option<String>| {
        d.as_ref()
            .filter(|d| mesh::duration::parse(d).is_ok_and(|v| !v.is_zero()))
            .cloned()
    };
    route.timeout = nonzero(&t.request);
    let Some(backend) = nonzero(&t.backend_request) else {
        return;
    };
    match &mut route.retries {
        Some(retries) => retries.per_try_timeout = Some(backend),
        None => route.timeout = Some(backend),
    }
}

/// Istio's `createURIMatch` and friends: a path prefix loses its trailing
/// `/`; headers and query parameters match exactly or by regex.
fn http_match(m: &http_route::Match) -> HttpMatchRequest {
    use http_route::MatchPathType;
    let path = m.path.as_ref();
    let value = path
        .and_then(|p| p.value.clone())
        .unwrap_or_else(|| "/".into());
    let uri = match path
        .and_then(|p| p.r#type)
        .unwrap_or(MatchPathType::PathPrefix)
    {
        MatchPathType::PathPrefix => prefix(
            value
                .strip_suffix('/')
                .filter(|v| !v.is_empty())
                .unwrap_or(&value),
        ),
        MatchPathType::Exact => exact(&value),
        MatchPathType::RegularExpression => regex(&value),
    };
    // The method as the API spells it (`GET`), which is its serde name.
    let method = m.method.and_then(|method| {
        let name = serde_json::to_value(method).ok()?;
        Some(exact(name.as_str()?))
    });
    HttpMatchRequest {
        uri: Some(uri),
        headers: header_matches(&m.headers),
        query_params: m
            .query_params
            .iter()
            .map(|q| {
                let value = q.value.as_deref().unwrap_or_default();
                let sm = match q.r#type {
                    Some(http_route::QueryParamType::RegularExpression) => regex(value),
                    _ => exact(value),
                };
                (q.name.clone().unwrap_or_default(), sm)
            })
            .collect(),
        method,
        ..Default::default()
    }
}

fn header_matches(headers: &[Header]) -> StringMap<StringMatch> {
    headers
        .iter()
        .map(|h| {
            let value = h.value.as_deref().unwrap_or_default();
            let sm = match h.r#type {
                Some(HeaderType::RegularExpression) => regex(value),
                _ => exact(value),
            };
            (h.name.clone().unwrap_or_default(), sm)
        })
        .collect()
}

/// Istio's `createGRPCURIMatch`: gRPC's `/Service/Method` path as an
/// exact, prefix or regex match.
fn grpc_match(m: &grpc_route::Match) -> Result<HttpMatchRequest, String> {
    let uri = match &m.method {
        None => None,
        Some(method) => {
            let regex_type = method.r#type == Some(grpc_route::MethodType::RegularExpression);
            Some(
                match (
                    method.service.as_deref(),
                    method.method.as_deref(),
                    regex_type,
                ) {
                    (None, None, _) => {
                        return Err("gRPC match must have method or service defined".into());
                    }
                    (Some(s), None, false) => prefix(&format!("/{s}/")),
                    (Some(s), None, true) => regex(&format!("/{s}/.+")),
                    (None, Some(m), _) => regex(&format!("/[^/]+/{m}")),
                    (Some(s), Some(m), false) => exact(&format!("/{s}/{m}")),
                    (Some(s), Some(m), true) => regex(&format!("/{s}/{m}")),
                },
            )
        }
    };
    Ok(HttpMatchRequest {
        uri,
        headers: header_matches(&m.headers),
        ..Default::default()
    })
}

pub(super) fn exact(v: &str) -> StringMatch {
    StringMatch {
        exact: Some(v.to_string()),
        ..Default::default()
    }
}

pub(super) fn prefix(v: &str) -> StringMatch {
    StringMatch {
        prefix: Some(v.to_string()),
        ..Default::default()
    }
}

pub(super) fn regex(v: &str) -> StringMatch {
    StringMatch {
        regex: Some(v.to_string()),
        ..Default::default()
    }
}
