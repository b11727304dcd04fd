//! The request classes the routes and policies of two configurations
//! distinguish: per host and port, in the mesh and through each Gateway the
//! host is bound to, one class per match block of each route, one for the
//! requests that fall through, and one per source and operation an
//! AuthorizationPolicy rule names. Each class is a request `meshctl
//! simulate` can be given with flags ([`RequestClass::flags`]).

use crate::model::StringMap;
use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value as Json, json};

use super::sample::{KEPT, samples};
use super::scope::Scope;
use crate::mesh::gateway::{self, GatewayRef};
use crate::mesh::host::resolve;
use crate::model::istio::{
    AuthorizationPolicySpec, HttpMatchRequest, StringMatch, VirtualServiceSpec,
};
use crate::simulate::Request;
use crate::simulate::request::{parse_claim, parse_labels};
use crate::simulate::{claim_name, meets_match_block};
use crate::snapshot::Snapshot;

/// One class of requests, stated as simulate's flags state a request.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RequestClass {
    pub host: String,
    pub port: u32,
    /// `ns/name`; `None` is the mesh.
    pub gateway: Option<String>,
    /// `HTTP`, or a `TCP` or `TLS` connection (routed by `tcp`/`tls` routes).
    pub protocol: &'static str,
    /// The SNI of a TLS connection.
    pub sni: Option<String>,
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: Vec<(String, String)>,
    /// JWT claims, for matches on `@request.auth.claims` headers.
    pub jwt_claims: Vec<(String, String)>,
    pub source_labels: StringMap,
    pub source_namespace: Option<String>,
    pub source_principal: Option<String>,
}

impl RequestClass {
    fn new(host: &str, port: u32, gateway: Option<&str>, namespace: &str) -> Self {
        RequestClass {
            host: host.to_string(),
            port,
            gateway: gateway.map(str::to_string),
            protocol: "HTTP",
            sni: None,
            method: "GET".into(),
            path: "/".into(),
            query: String::new(),
            headers: Vec::new(),
            jwt_claims: Vec::new(),
            source_labels: StringMap::new(),
            source_namespace: Some(namespace.to_string()),
            source_principal: None,
        }
    }

    /// simulate's `--request` line.
    pub fn line(&self) -> String {
        if self.protocol != "HTTP" {
            return format!("{} {}:{}", self.protocol, self.host, self.port);
        }
        let query = if self.query.is_empty() {
            String::new()
        } else {
            format!("?{}", self.query)
        };
        format!(
            "{} http://{}:{}{}{query}",
            self.method, self.host, self.port, self.path
        )
    }

    /// The `meshctl simulate` flags that state this request.
    pub fn flags(&self) -> Vec<String> {
        let mut flags = vec!["--request".to_string(), self.line()];
        if let Some(sni) = &self.sni {
            flags.extend(["--sni".to_string(), sni.clone()]);
        }
        for (name, value) in &self.headers {
            flags.extend(["-H".to_string(), format!("{name}: {value}")]);
        }
        for (name, value) in &self.jwt_claims {
            flags.extend(["--jwt-claim".to_string(), format!("{name}={value}")]);
        }
        if !self.source_labels.is_empty() {
            flags.extend(["--source-labels".to_string(), self.labels_text()]);
        }
        if let Some(ns) = &self.source_namespace {
            flags.extend(["--source-namespace".to_string(), ns.clone()]);
        }
        if let Some(principal) = &self.source_principal {
            flags.extend(["--source-principal".to_string(), principal.clone()]);
        }
        if let Some(gateway) = &self.gateway {
            flags.extend(["--gateway".to_string(), gateway.clone()]);
        }
        flags
    }

    fn labels_text(&self) -> String {
        let pairs: Vec<String> = self
            .source_labels
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        pairs.join(",")
    }

    /// The request as simulate reads those flags.
    pub fn request(&self) -> Result<Request, String> {
        let mut request = Request::parse(&self.line())?;
        request.sni = self.sni.clone();
        for (name, value) in &self.headers {
            request.add_header(&format!("{name}: {value}"))?;
        }
        for (name, value) in &self.jwt_claims {
            request
                .jwt_claims
                .push(parse_claim(&format!("{name}={value}"))?);
        }
        if !self.source_labels.is_empty() {
            request.source.labels = parse_labels(&self.labels_text())?;
        }
        request.source.namespace = self.source_namespace.clone();
        request.source.principal = self.source_principal.clone();
        request.gateway = self.gateway.clone();
        Ok(request)
    }

    /// The class in JSON: the request line and the other flags by name.
    pub fn to_json(&self) -> Json {
        let headers: Vec<String> = self
            .headers
            .iter()
            .map(|(n, v)| format!("{n}: {v}"))
            .collect();
        json!({
            "request": self.line(),
            "sni": self.sni,
            "headers": headers,
            "jwtClaims": self.jwt_claims.iter().map(|(n, v)| format!("{n}={v}")).collect::<Vec<_>>(),
            "sourceLabels": (!self.source_labels.is_empty()).then(|| self.labels_text()),
            "sourceNamespace": self.source_namespace,
            "sourcePrincipal": self.source_principal,
            "gateway": self.gateway,
            "flags": self.flags(),
        })
    }

    /// How many conditions narrow the class: the fall-through has none.
    pub fn conditions(&self) -> usize {
        usize::from(self.protocol != "HTTP")
            + usize::from(self.sni.is_some())
            + usize::from(self.method != "GET")
            + usize::from(self.path != "/")
            + usize::from(!self.query.is_empty())
            + self.headers.len()
            + self.jwt_claims.len()
            + self.source_labels.len()
            + usize::from(self.source_principal.is_some())
    }

    /// Host, port and gateway: where the class enters.
    pub fn target(&self) -> (&str, u32, Option<&str>) {
        (&self.host, self.port, self.gateway.as_deref())
    }

    /// What sets the class apart, in words: `header end-user=jason`,
    /// `POST /api from cluster.local/ns/shop/sa/checkout`, or
    /// `all other requests`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if self.protocol != "HTTP" {
            parts.push(self.protocol.to_string());
        }
        if let Some(sni) = &self.sni {
            parts.push(format!("sni {sni}"));
        }
        if self.protocol == "HTTP" && (self.method != "GET" || self.path != "/") {
            parts.push(format!("{} {}", self.method, self.path));
        }
        if !self.query.is_empty() {
            parts.push(format!("query {}", self.query));
        }
        for (name, value) in &self.headers {
            parts.push(format!("header {name}={value}"));
        }
        for (name, value) in &self.jwt_claims {
            parts.push(format!("claim {name}={value}"));
        }
        if let Some(principal) = &self.source_principal {
            parts.push(format!("from {principal}"));
        }
        if !self.source_labels.is_empty() {
            parts.push(format!("from workloads {}", self.labels_text()));
        }
        if self.protocol != "HTTP" && parts.len() == 1 {
            format!("all {} connections", self.protocol)
        } else if parts.is_empty() {
            "all other requests".into()
        } else {
            parts.join(" ")
        }
    }
}

/// Where requests for a host enter: the mesh, or a Gateway, and the
/// namespace the default caller sits in.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Target {
    host: String,
    gateway: Option<String>,
    namespace: String,
}

/// Gathers the classes of both configurations, for the hosts in scope.
#[derive(Default)]
pub struct Classes {
    /// Each target with the match blocks of the routes bound to it.
    targets: BTreeMap<Target, Vec<HttpMatchRequest>>,
    /// Each target's TCP and TLS connection classes.
    connections: BTreeMap<Target, BTreeSet<Connection>>,
    /// AuthorizationPolicy sources and operations, by namespace (the root
    /// namespace's under ""), with the policy's selector.
    policies: BTreeMap<String, Vec<(Labels, Vec<PolicyRequest>)>>,
    /// Ports requests enter at: HTTP ones, and TCP/TLS ones (a Service's
    /// serve both; a Gateway's by its servers' protocols).
    http_ports: BTreeMap<Target, BTreeSet<u32>>,
    connection_ports: BTreeMap<Target, BTreeSet<u32>>,
    /// The pod selectors of each Service host (one per side that has it).
    selectors: BTreeMap<String, Vec<Labels>>,
}

type Labels = StringMap;

/// A TCP or TLS connection a `tcp` or `tls` route's match block admits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Connection {
    protocol: &'static str,
    port: Option<u32>,
    sni: Option<String>,
    source_labels: Labels,
    source_namespace: Option<String>,
}

impl Connection {
    fn any(protocol: &'static str) -> Connection {
        Connection {
            protocol,
            port: None,
            sni: None,
            source_labels: Labels::new(),
            source_namespace: None,
        }
    }
}

/// The connections of a VirtualService's `tcp` and `tls` routes: one per
/// match block, one for a route without any.
fn connections(vs: &VirtualServiceSpec) -> Vec<Connection> {
    let mut out = Vec::new();
    for route in &vs.tcp {
        if route.matches.is_empty() {
            out.push(Connection::any("TCP"));
        }
        out.extend(route.matches.iter().map(|m| Connection {
            port: m.port,
            source_labels: m.source_labels.clone(),
            source_namespace: m.source_namespace.clone(),
            ..Connection::any("TCP")
        }));
    }
    for route in &vs.tls {
        out.extend(route.matches.iter().map(|m| Connection {
            port: m.port,
            sni: m.sni_hosts.first().map(|h| concrete_host(h)),
            source_labels: m.source_labels.clone(),
            source_namespace: m.source_namespace.clone(),
            ..Connection::any("TLS")
        }));
    }
    out
}

/// A source and operation an AuthorizationPolicy rule names.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct PolicyRequest {
    principal: Option<String>,
    namespace: Option<String>,
    method: Option<String>,
    path: Option<String>,
}

/// Match blocks of one host beyond which their pairs are not combined
/// (the pairs grow as the square of the blocks).
const MAX_PAIRED_BLOCKS: usize = 16;

/// Requests per AuthorizationPolicy rule, at most: a rule with long lists
/// still gives a bounded number of classes.
const MAX_PER_RULE: usize = 16;

impl Classes {
    /// Adds the targets and match blocks of one configuration.
    pub fn add(&mut self, snapshot: &Snapshot, scope: &Scope, root_namespace: &str) {
        let domain = snapshot.cluster_domain().to_string();
        for (object, vs) in snapshot.virtual_services() {
            let namespace = object.namespace.as_deref().unwrap_or_default();
            self.add_virtual_service(snapshot, scope, vs, namespace, &domain);
        }
        for (object, service) in snapshot.services() {
            let namespace = object.namespace.clone().unwrap_or_default();
            let host = crate::mesh::host::service_host(&object.name, &namespace, &domain);
            if !scope.covers(&host, &[&namespace]) {
                continue;
            }
            let target = Target {
                host,
                gateway: None,
                namespace,
            };
            let selector = service.spec.as_ref().and_then(|s| s.selector.clone());
            self.selectors
                .entry(target.host.clone())
                .or_default()
                .push(selector.unwrap_or_default());
            let ports: Vec<u32> = service
                .spec
                .iter()
                .flat_map(|s| s.ports.iter().flatten())
                .filter_map(|p| u32::try_from(p.port).ok())
                .collect();
            self.http_ports
                .entry(target.clone())
                .or_default()
                .extend(&ports);
            self.connection_ports
                .entry(target.clone())
                .or_default()
                .extend(&ports);
            self.targets.entry(target).or_default();
        }
        for (object, policy) in snapshot.authorization_policies() {
            let namespace = object.namespace.clone().unwrap_or_default();
            let key = if namespace == root_namespace {
                String::new()
            } else {
                namespace
            };
            let selector = policy
                .selector
                .as_ref()
                .map(|s| s.match_labels.clone())
                .unwrap_or_default();
            self.policies
                .entry(key)
                .or_default()
                .push((selector, policy_requests(policy)));
        }
    }

    fn add_virtual_service(
        &mut self,
        snapshot: &Snapshot,
        scope: &Scope,
        vs: &VirtualServiceSpec,
        namespace: &str,
        domain: &str,
    ) {
        let matches: Vec<HttpMatchRequest> = vs
            .http
            .iter()
            .flat_map(|route| route.matches.iter().cloned())
            .collect();
        for written in &vs.hosts {
            let host = resolve(written, namespace, domain);
            let host_namespace = service_namespace(&host, domain).unwrap_or(namespace);
            if !scope.covers(&host, &[namespace, host_namespace]) {
                continue;
            }
            for reference in gateway::bound_gateways(&vs.gateways) {
                let gateway = match gateway::resolve(reference, namespace) {
                    GatewayRef::Mesh => None,
                    GatewayRef::Named { namespace, name } => Some(format!("{namespace}/{name}")),
                };
                let target = Target {
                    host: concrete_host(&host),
                    gateway: gateway.clone(),
                    namespace: host_namespace.to_string(),
                };
                if let Some(name) = &gateway {
                    let (http, connections) = gateway_ports(snapshot, name);
                    self.http_ports
                        .entry(target.clone())
                        .or_default()
                        .extend(http);
                    self.connection_ports
                        .entry(target.clone())
                        .or_default()
                        .extend(connections);
                }
                self.connections
                    .entry(target.clone())
                    .or_default()
                    .extend(connections(vs));
                self.targets
                    .entry(target)
                    .or_default()
                    .extend(matches.iter().cloned());
            }
        }
    }

    /// Every class: per target and port, the fall-through, each match
    /// block, and each policy request of the host's namespace (and of the
    /// root namespace).
    pub fn into_classes(self) -> BTreeSet<RequestClass> {
        let mut classes = BTreeSet::new();
        let no_policies = Vec::new();
        let ports_of = |map: &BTreeMap<Target, BTreeSet<u32>>, target: &Target, default| {
            let ports: Vec<u32> = map.get(target).into_iter().flatten().copied().collect();
            // A host the mesh knows no port of is called at the default
            // one; a Gateway without such a server is not entered.
            match (ports.is_empty(), &target.gateway) {
                (true, None) => vec![default],
                _ => ports,
            }
        };
        for (target, matches) in &self.targets {
            let ports = ports_of(&self.http_ports, target, 80);
            let local = self.policies.get(&target.namespace).unwrap_or(&no_policies);
            let mesh_wide = self.policies.get("").unwrap_or(&no_policies);
            let selectors = self.selectors.get(&target.host);
            let requests: Vec<&PolicyRequest> = local
                .iter()
                .chain(mesh_wide)
                .filter(|(selector, _)| may_select(selector, selectors))
                .flat_map(|(_, requests)| requests)
                .collect();
            for &port in &ports {
                let base = RequestClass::new(
                    &target.host,
                    port,
                    target.gateway.as_deref(),
                    &target.namespace,
                );
                classes.insert(base.clone());
                let blocks: Vec<&HttpMatchRequest> = matches
                    .iter()
                    .filter(|m| m.port.is_none_or(|p| p == port))
                    .collect();
                // Past a bound, a block's class does not look at the blocks
                // before it (that would cost the square of the blocks).
                let few = blocks.len() <= MAX_PAIRED_BLOCKS;
                for (i, m) in blocks.iter().enumerate() {
                    let earlier = if few { &blocks[..i] } else { &[][..] };
                    classes.insert(class_of_match(&base, m, earlier));
                }
                // Requests two blocks both match: the route listed first
                // takes them, so a moved route changes where they go.
                if few {
                    for (i, first) in blocks.iter().enumerate() {
                        for second in &blocks[i + 1..] {
                            let both =
                                class_of_match(&class_of_match(&base, first, &[]), second, &[]);
                            classes.insert(both);
                        }
                    }
                }
                for policy in &requests {
                    classes.insert(class_of_policy(&base, policy));
                }
            }
            for connection in self.connections.get(target).into_iter().flatten() {
                let default = if connection.protocol == "TLS" {
                    443
                } else {
                    80
                };
                let ports = match connection.port {
                    Some(port) => vec![port],
                    None => ports_of(&self.connection_ports, target, default),
                };
                for port in ports {
                    classes.insert(class_of_connection(target, port, connection));
                }
            }
        }
        classes
    }
}

/// Whether a policy's selector may select pods behind a Service with one
/// of these pod selectors: no label of the policy contradicts the
/// Service's. A host without a known Service may be served by anything.
fn may_select(policy: &Labels, services: Option<&Vec<Labels>>) -> bool {
    let Some(services) = services else {
        return true;
    };
    services.iter().any(|service| {
        policy
            .iter()
            .all(|(key, value)| service.get(key).is_none_or(|v| v == value))
    })
}

/// The namespace of a Service host (`name.ns.svc.<domain>`).
fn service_namespace<'a>(host: &'a str, domain: &str) -> Option<&'a str> {
    let rest = host.strip_suffix(domain)?.strip_suffix(".svc.")?;
    rest.split_once('.')
        .map(|(_, ns)| ns)
        .filter(|ns| !ns.contains('.'))
}

/// A name a wildcard host covers (`*.example.com` takes `any.example.com`).
fn concrete_host(host: &str) -> String {
    match host.strip_prefix('*') {
        Some("") => "any.example.com".into(),
        Some(rest) => format!("any{rest}"),
        None => host.to_string(),
    }
}

/// The ports of a Gateway's servers: the plain-HTTP ones, and the others
/// (TCP, TLS, HTTPS), which take connections.
fn gateway_ports(snapshot: &Snapshot, name: &str) -> (Vec<u32>, Vec<u32>) {
    let Some((namespace, name)) = name.split_once('/') else {
        return (Vec::new(), Vec::new());
    };
    let ports = snapshot
        .gateways()
        .filter(|(o, _)| o.name == name && o.namespace.as_deref() == Some(namespace))
        .flat_map(|(_, spec)| &spec.servers)
        .filter_map(|server| server.port.as_ref())
        .filter_map(|port| Some((port.protocol.as_deref()?.to_ascii_uppercase(), port.number?)));
    let (http, other): (Vec<_>, Vec<_>) =
        ports.partition(|(protocol, _)| matches!(protocol.as_str(), "HTTP" | "HTTP2" | "GRPC"));
    (
        http.into_iter().map(|(_, n)| n).collect(),
        other.into_iter().map(|(_, n)| n).collect(),
    )
}

/// The texts a string match accepts, as candidates for one field of a
/// request, the first one first: its exact value or prefix, or strings its
/// regex matches (see [`samples`]) made of characters that `fit`; each
/// kept only if `keep` takes it whole.
fn accepted(
    matcher: &StringMatch,
    fit: &dyn Fn(char) -> bool,
    keep: &dyn Fn(&str) -> bool,
) -> Vec<String> {
    let found = match (&matcher.exact, &matcher.prefix, &matcher.regex) {
        (Some(exact), ..) => vec![exact.clone()],
        (None, Some(prefix), _) => vec![prefix.clone()],
        (None, None, Some(regex)) => samples(regex, fit),
        (None, None, None) => Vec::new(),
    };
    found.into_iter().filter(|text| keep(text)).collect()
}

/// The `choice`-th candidate, or the last when there are fewer.
fn pick(candidates: Vec<String>, choice: usize) -> Option<String> {
    let last = candidates.len().checked_sub(1)?;
    candidates.into_iter().nth(choice.min(last))
}

/// What a header value or a query value may hold, beyond the characters a
/// regex's sample is made of (visible ASCII).
fn header_value(text: &str) -> bool {
    !text.contains(['\r', '\n'])
}

fn query_value(text: &str) -> bool {
    !text.contains(['&', '#']) && !text.contains(char::is_whitespace)
}

/// A path the request line carries as written: it starts with `/` and
/// parsing leaves it as it is (no `.` segment, no escape to decode).
fn request_path(text: &str) -> bool {
    text.starts_with('/')
        && Request::parse(&format!("GET http://host{text}")).is_ok_and(|r| r.path == text)
}

/// The class of a match block's requests. A regex is met with one of the
/// strings it matches: the first with which the request is taken by none
/// of the blocks `earlier`, when there is one.
fn class_of_match(
    base: &RequestClass,
    m: &HttpMatchRequest,
    earlier: &[&HttpMatchRequest],
) -> RequestClass {
    let first = class_with(base, m, 0);
    let taken_before = |class: &RequestClass| {
        class
            .request()
            .is_ok_and(|request| earlier.iter().any(|e| meets_match_block(e, &request)))
    };
    let mut previous = first.clone();
    for choice in 0..KEPT {
        let class = if choice == 0 {
            first.clone()
        } else {
            class_with(base, m, choice)
        };
        if choice > 0 && class == previous {
            break; // every candidate tried
        }
        if !taken_before(&class) {
            return class;
        }
        previous = class;
    }
    first
}

/// The class of a match block's requests, with the `choice`-th candidate
/// of each field its conditions name.
fn class_with(base: &RequestClass, m: &HttpMatchRequest, choice: usize) -> RequestClass {
    let mut class = base.clone();
    let visible = |c: char| c.is_ascii_graphic();
    let any = |_: &str| true;
    if let Some(method) = m
        .method
        .as_ref()
        .and_then(|sm| pick(accepted(sm, &|c| c.is_ascii_uppercase(), &any), choice))
    {
        class.method = method.to_ascii_uppercase();
    }
    let path_char = |c: char| visible(c) && !matches!(c, '?' | '#' | '%');
    if let Some(path) = m
        .uri
        .as_ref()
        .and_then(|sm| pick(accepted(sm, &path_char, &request_path), choice))
    {
        class.path = path;
    }
    if let Some(authority) = &m.authority {
        set_authority(&mut class, authority);
    }
    for (name, matcher) in &m.headers {
        let Some(value) = pick(accepted(matcher, &visible, &header_value), choice) else {
            continue;
        };
        // `@request.auth.claims[...]` matches a JWT claim, not a header.
        let (list, name) = match claim_name(name) {
            Some(claim) => (&mut class.jwt_claims, claim),
            None => (&mut class.headers, name.to_ascii_lowercase()),
        };
        if !list.iter().any(|(n, _)| *n == name) {
            list.push((name, value));
        }
    }
    let query_char = |c: char| visible(c) && !matches!(c, '&' | '#' | '=' | '+' | '%');
    let query: Vec<String> = m
        .query_params
        .iter()
        .filter_map(|(name, matcher)| {
            pick(accepted(matcher, &query_char, &query_value), choice)
                .map(|v| format!("{name}={v}"))
        })
        .filter(|pair| !class.query.split('&').any(|q| q == pair))
        .collect();
    if !query.is_empty() {
        let joined = query.join("&");
        class.query = if class.query.is_empty() {
            joined
        } else {
            format!("{}&{joined}", class.query)
        };
    }
    class
        .source_labels
        .extend(m.source_labels.iter().map(|(k, v)| (k.clone(), v.clone())));
    if let Some(ns) = &m.source_namespace {
        class.source_namespace = Some(ns.clone());
    }
    class
}

/// Meets an `authority` condition while the request still goes to the
/// class's host: with the URL's `host:port`, or the host alone in a
/// `Host` header (another authority would be routed as another host).
fn set_authority(class: &mut RequestClass, authority: &StringMatch) {
    if class.headers.iter().any(|(name, _)| name == "host") {
        return;
    }
    let block = HttpMatchRequest {
        authority: Some(authority.clone()),
        ..HttpMatchRequest::default()
    };
    let meets = |class: &RequestClass| {
        class
            .request()
            .is_ok_and(|request| meets_match_block(&block, &request))
    };
    if meets(class) {
        return;
    }
    let mut with_host = class.clone();
    with_host.headers.push(("host".into(), class.host.clone()));
    if meets(&with_host) {
        *class = with_host;
    }
}

fn class_of_connection(target: &Target, port: u32, connection: &Connection) -> RequestClass {
    let mut class = RequestClass::new(
        &target.host,
        port,
        target.gateway.as_deref(),
        &target.namespace,
    );
    class.protocol = connection.protocol;
    class.method = connection.protocol.to_string();
    class.sni = connection.sni.clone();
    class.source_labels = connection.source_labels.clone();
    if let Some(ns) = &connection.source_namespace {
        class.source_namespace = Some(ns.clone());
    }
    class
}

fn class_of_policy(base: &RequestClass, policy: &PolicyRequest) -> RequestClass {
    let mut class = base.clone();
    if let Some(method) = &policy.method {
        class.method = method.clone();
    }
    if let Some(path) = &policy.path {
        class.path = path.clone();
    }
    if let Some(principal) = &policy.principal {
        class.source_principal = Some(principal.clone());
        class.source_namespace = None; // simulate takes it from the principal
    }
    if let Some(ns) = &policy.namespace {
        class.source_namespace = Some(ns.clone());
    }
    class
}

/// The sources and operations each rule of a policy names, as concrete
/// requests: exact principals (`td/ns/NS/sa/SA`), namespaces, methods and
/// paths (a `*` in a path stands for `x`).
fn policy_requests(policy: &AuthorizationPolicySpec) -> Vec<PolicyRequest> {
    let mut out = Vec::new();
    for rule in &policy.rules {
        let mut sources: Vec<(Option<String>, Option<String>)> = Vec::new();
        for source in rule.from.iter().filter_map(|f| f.source.as_ref()) {
            sources.extend(
                source
                    .principals
                    .iter()
                    .filter(|p| is_exact_principal(p))
                    .map(|p| (Some(p.clone()), None)),
            );
            sources.extend(
                source
                    .namespaces
                    .iter()
                    .filter(|n| !n.contains('*'))
                    .map(|n| (None, Some(n.clone()))),
            );
        }
        if sources.is_empty() {
            sources.push((None, None));
        }
        let mut operations: Vec<(Option<String>, Option<String>)> = Vec::new();
        for operation in rule.to.iter().filter_map(|t| t.operation.as_ref()) {
            let methods: Vec<Option<String>> = if operation.methods.is_empty() {
                vec![None]
            } else {
                operation.methods.iter().map(|m| Some(m.clone())).collect()
            };
            let paths: Vec<Option<String>> = if operation.paths.is_empty() {
                vec![None]
            } else {
                operation
                    .paths
                    .iter()
                    .map(|p| Some(concrete_path(p)))
                    .collect()
            };
            for method in &methods {
                operations.extend(paths.iter().map(|p| (method.clone(), p.clone())));
            }
        }
        if operations.is_empty() {
            operations.push((None, None));
        }
        let requests = sources.iter().flat_map(|(principal, namespace)| {
            operations.iter().map(|(method, path)| PolicyRequest {
                principal: principal.clone(),
                namespace: namespace.clone(),
                method: method.clone(),
                path: path.clone(),
            })
        });
        out.extend(requests.take(MAX_PER_RULE));
    }
    out
}

/// `td/ns/NS/sa/SA` without wildcards: simulate's `--source-principal`.
fn is_exact_principal(principal: &str) -> bool {
    let parts: Vec<&str> = principal.split('/').collect();
    !principal.contains('*') && parts.len() == 5 && parts[1] == "ns" && parts[3] == "sa"
}

fn concrete_path(pattern: &str) -> String {
    let path = pattern.replace('*', "x");
    if path.starts_with('/') {
        path
    } else {
        format!("/{path}")
    }
}
