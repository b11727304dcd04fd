//! A small Kubernetes API server on loopback, for the cluster tests and the
//! cluster benchmark: TLS with a CA made at start (rcgen), bearer tokens or
//! client certificates, discovery (aggregated or plain), paginated lists
//! with `continue` tokens, gets, and 401/403/404/410 `Status` objects
//! worded as kube-apiserver words them. It serves what a [`Fixture`] holds,
//! read-only, and records every request. `kubectl` talks to it (a test
//! checks that), so it behaves as a real client expects.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, SanType};
use serde_json::{Value, json};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::server::WebPkiClientVerifier;
use tokio_rustls::rustls::{RootCertStore, ServerConfig, crypto::ring};

/// The bearer token the server accepts.
pub const TOKEN: &str = "meshctl-test-token";
/// The user the server says a token or client certificate stands for.
const USER: &str = "meshctl-test";

/// A resource the server serves: group, version, plural, kind, namespaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiResource {
    pub group: &'static str,
    pub versions: &'static [&'static str],
    pub plural: &'static str,
    pub kind: &'static str,
    pub namespaced: bool,
}

const fn core(plural: &'static str, kind: &'static str, namespaced: bool) -> ApiResource {
    ApiResource {
        group: "",
        versions: &["v1"],
        plural,
        kind,
        namespaced,
    }
}

const fn apps(plural: &'static str, kind: &'static str) -> ApiResource {
    ApiResource {
        group: "apps",
        versions: &["v1"],
        plural,
        kind,
        namespaced: true,
    }
}

const fn istio(
    group: &'static str,
    versions: &'static [&'static str],
    plural: &'static str,
    kind: &'static str,
) -> ApiResource {
    ApiResource {
        group,
        versions,
        plural,
        kind,
        namespaced: true,
    }
}

const NETWORKING: &[&str] = &["v1", "v1beta1", "v1alpha3"];
const SECURITY: &[&str] = &["v1", "v1beta1"];

/// What a cluster with Istio installed serves.
pub const RESOURCES: &[ApiResource] = &[
    core("namespaces", "Namespace", false),
    core("services", "Service", true),
    core("pods", "Pod", true),
    core("secrets", "Secret", true),
    core("configmaps", "ConfigMap", true),
    core("serviceaccounts", "ServiceAccount", true),
    apps("deployments", "Deployment"),
    apps("statefulsets", "StatefulSet"),
    apps("daemonsets", "DaemonSet"),
    ApiResource {
        group: "admissionregistration.k8s.io",
        versions: &["v1"],
        plural: "mutatingwebhookconfigurations",
        kind: "MutatingWebhookConfiguration",
        namespaced: false,
    },
    ApiResource {
        group: "apiextensions.k8s.io",
        versions: &["v1"],
        plural: "customresourcedefinitions",
        kind: "CustomResourceDefinition",
        namespaced: false,
    },
    istio(
        "networking.istio.io",
        NETWORKING,
        "virtualservices",
        "VirtualService",
    ),
    istio(
        "networking.istio.io",
        NETWORKING,
        "destinationrules",
        "DestinationRule",
    ),
    istio("networking.istio.io", NETWORKING, "gateways", "Gateway"),
    istio(
        "networking.istio.io",
        NETWORKING,
        "serviceentries",
        "ServiceEntry",
    ),
    istio("networking.istio.io", NETWORKING, "sidecars", "Sidecar"),
    istio(
        "networking.istio.io",
        NETWORKING,
        "workloadentries",
        "WorkloadEntry",
    ),
    istio(
        "networking.istio.io",
        NETWORKING,
        "workloadgroups",
        "WorkloadGroup",
    ),
    istio(
        "networking.istio.io",
        &["v1alpha3"],
        "envoyfilters",
        "EnvoyFilter",
    ),
    istio(
        "networking.istio.io",
        &["v1beta1"],
        "proxyconfigs",
        "ProxyConfig",
    ),
    istio(
        "security.istio.io",
        SECURITY,
        "authorizationpolicies",
        "AuthorizationPolicy",
    ),
    istio(
        "security.istio.io",
        SECURITY,
        "peerauthentications",
        "PeerAuthentication",
    ),
    istio(
        "security.istio.io",
        SECURITY,
        "requestauthentications",
        "RequestAuthentication",
    ),
    istio(
        "telemetry.istio.io",
        &["v1", "v1alpha1"],
        "telemetries",
        "Telemetry",
    ),
    istio(
        "extensions.istio.io",
        &["v1alpha1"],
        "wasmplugins",
        "WasmPlugin",
    ),
];

/// What the server holds and how it behaves.
#[derive(Debug, Clone, Default)]
pub struct Fixture {
    /// Whole objects (apiVersion, kind, metadata...), in any order.
    pub objects: Vec<Value>,
    /// Plurals whose CRD is not installed: not in discovery, 404 if listed.
    pub not_installed: Vec<&'static str>,
    /// `(plural, namespace)` the user may not list (403); a namespace
    /// refused also refuses the cluster-wide list, as RBAC does.
    pub forbidden: Vec<(&'static str, Option<&'static str>)>,
    /// Serve only the plain discovery documents (servers before 1.26).
    pub plain_discovery: bool,
    /// Answer the first continued request of this plural with 410 Expired.
    pub expire_continue_of: Option<&'static str>,
    /// Answer the first list of this plural with 500, then normally.
    pub fail_once: Option<&'static str>,
    /// Wait this long before answering lists of this plural.
    pub slow: Option<(&'static str, Duration)>,
}

/// One request as the server saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub query: String,
}

/// A running server; it stops when dropped.
pub struct ApiServer {
    pub url: String,
    /// PEM of the CA that signed the server's and the client's certificates.
    pub ca_pem: String,
    /// A client certificate and key the server accepts (PEM).
    pub client_cert_pem: String,
    pub client_key_pem: String,
    /// A CA that signed nothing here, for the bad-CA test.
    pub other_ca_pem: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for ApiServer {
    fn drop(&mut self) {
        if let Some(stop) = self.shutdown.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Authentication for a kubeconfig the server accepts (or not).
pub enum Auth<'a> {
    Token(&'a str),
    TokenFile(&'a str),
    ClientCertificate,
    /// An exec credential plugin: the command run.
    Exec(&'a str),
}

impl ApiServer {
    pub fn start(fixture: Fixture) -> ApiServer {
        let ca_key = KeyPair::generate().unwrap();
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "meshctl test CA");
        let ca = CertifiedIssuer::self_signed(ca_params, ca_key).unwrap();
        let mut server_params = CertificateParams::new(vec!["localhost".to_string()]).unwrap();
        server_params
            .subject_alt_names
            .push(SanType::IpAddress(Ipv4Addr::LOCALHOST.into()));
        let server_key = KeyPair::generate().unwrap();
        let server_cert = server_params.signed_by(&server_key, &ca).unwrap();
        let mut client_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        client_params
            .distinguished_name
            .push(DnType::CommonName, USER);
        let client_key = KeyPair::generate().unwrap();
        let client_cert = client_params.signed_by(&client_key, &ca).unwrap();
        let other_key = KeyPair::generate().unwrap();
        let mut other_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        other_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let other_ca = other_params.self_signed(&other_key).unwrap();

        let mut roots = RootCertStore::empty();
        roots.add(ca.der().clone()).unwrap();
        // ring, as meshctl's client uses it (no aws-lc, no cmake).
        #[allow(deprecated)]
        let provider = Arc::new(ring::default_provider());
        let verifier =
            WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                .allow_unauthenticated()
                .build()
                .unwrap();
        let tls = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_client_cert_verifier(verifier)
            .with_single_cert(
                vec![CertificateDer::from(server_cert.der().to_vec())],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der())),
            )
            .unwrap();

        let listener =
            std::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).unwrap();
        listener.set_nonblocking(true).unwrap();
        let url = format!("https://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let state = Arc::new(State::new(fixture, seen.clone()));
        let (stop, stopped) = tokio::sync::oneshot::channel();
        let thread = std::thread::spawn(move || {
            serve(listener, TlsAcceptor::from(Arc::new(tls)), state, stopped)
        });
        ApiServer {
            url,
            ca_pem: ca.pem(),
            client_cert_pem: client_cert.pem(),
            client_key_pem: client_key.serialize_pem(),
            other_ca_pem: other_ca.pem(),
            seen,
            shutdown: Some(stop),
            thread: Some(thread),
        }
    }

    /// Every request so far, in order.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// A kubeconfig for this server, with one context `test` (namespace
    /// `default`), verifying the server against `ca_pem`.
    pub fn kubeconfig(&self, auth: Auth, ca_pem: &str) -> String {
        let user = match auth {
            Auth::Token(token) => format!("    token: {token}\n"),
            Auth::TokenFile(path) => format!("    tokenFile: {path}\n"),
            Auth::ClientCertificate => format!(
                "    client-certificate-data: {}\n    client-key-data: {}\n",
                STANDARD.encode(&self.client_cert_pem),
                STANDARD.encode(&self.client_key_pem)
            ),
            Auth::Exec(command) => format!(
                "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: {command}\n      interactiveMode: Never\n"
            ),
        };
        format!(
            "apiVersion: v1\nkind: Config\ncurrent-context: test\nclusters:\n- name: test\n  cluster:\n    server: {url}\n    certificate-authority-data: {ca}\ncontexts:\n- name: test\n  context:\n    cluster: test\n    user: test\n    namespace: default\nusers:\n- name: test\n  user:\n{user}",
            url = self.url,
            ca = STANDARD.encode(ca_pem),
        )
    }
}

/// The served objects, by plural, sorted by namespace and name (etcd's
/// key order), plus what the fixture asks of the server.
struct State {
    fixture: Fixture,
    objects: BTreeMap<&'static str, Vec<Value>>,
    seen: Arc<Mutex<Vec<Seen>>>,
    /// One-shot behaviours already used.
    used: Mutex<Vec<&'static str>>,
}

impl State {
    fn new(fixture: Fixture, seen: Arc<Mutex<Vec<Seen>>>) -> Self {
        let mut objects: BTreeMap<&'static str, Vec<Value>> = BTreeMap::new();
        for object in &fixture.objects {
            let kind = object["kind"].as_str().unwrap_or_default();
            let group = object["apiVersion"]
                .as_str()
                .unwrap_or_default()
                .rsplit_once('/')
                .map_or("", |(g, _)| g);
            let resource = RESOURCES
                .iter()
                .find(|r| r.kind == kind && r.group == group)
                .unwrap_or_else(|| panic!("the test server does not serve {group}/{kind}"));
            objects
                .entry(resource.plural)
                .or_default()
                .push(object.clone());
        }
        for list in objects.values_mut() {
            list.sort_by_key(|o| {
                let meta = &o["metadata"];
                (
                    meta["namespace"].as_str().unwrap_or_default().to_string(),
                    meta["name"].as_str().unwrap_or_default().to_string(),
                )
            });
        }
        State {
            fixture,
            objects,
            seen,
            used: Mutex::new(Vec::new()),
        }
    }

    fn served(&self) -> impl Iterator<Item = &'static ApiResource> + '_ {
        RESOURCES
            .iter()
            .filter(|r| !self.fixture.not_installed.contains(&r.plural))
    }

    /// True the first time a one-shot behaviour is asked for.
    fn first_time(&self, what: &'static str) -> bool {
        let mut used = self.used.lock().unwrap();
        if used.contains(&what) {
            return false;
        }
        used.push(what);
        true
    }
}

fn serve(
    listener: std::net::TcpListener,
    acceptor: TlsAcceptor,
    state: Arc<State>,
    stopped: tokio::sync::oneshot::Receiver<()>,
) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener).unwrap();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let acceptor = acceptor.clone();
                let state = state.clone();
                tokio::spawn(async move {
                    let Ok(tls) = acceptor.accept(stream).await else {
                        return;
                    };
                    let client_certificate = tls
                        .get_ref()
                        .1
                        .peer_certificates()
                        .is_some_and(|c| !c.is_empty());
                    let service = service_fn(move |request| {
                        let state = state.clone();
                        async move {
                            Ok::<_, Infallible>(answer(&state, request, client_certificate).await)
                        }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(tls), service)
                        .await;
                });
            }
        });
        // Dropping the runtime afterwards stops every connection.
        let _ = stopped.await;
    });
}

type Answer = Response<Full<Bytes>>;

async fn answer(state: &State, request: Request<Incoming>, client_certificate: bool) -> Answer {
    let path = request.uri().path().to_string();
    let query = request.uri().query().unwrap_or_default().to_string();
    state.seen.lock().unwrap().push(Seen {
        method: request.method().to_string(),
        path: path.clone(),
        query: query.clone(),
    });
    let bearer = request
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if bearer != Some(TOKEN) && !client_certificate {
        return status(401, "Unauthorized", "Unauthorized", None);
    }
    if request.method() != hyper::Method::GET {
        return status(
            405,
            "MethodNotAllowed",
            "the server does not allow this method on the requested resource",
            None,
        );
    }
    let accept = request
        .headers()
        .get("accept")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let aggregated = !state.fixture.plain_discovery && accept.contains("as=APIGroupDiscoveryList");
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match segments.as_slice() {
        ["version"] => ok(json!({"major": "1", "minor": "34", "gitVersion": "v1.34.0"})),
        ["api"] if aggregated => discovery(aggregated_discovery(state, true)),
        ["api"] => ok(
            json!({"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1:6443"}]}),
        ),
        ["apis"] if aggregated => discovery(aggregated_discovery(state, false)),
        ["apis"] => ok(group_list(state)),
        ["api", version] => resource_list(state, "", version),
        ["apis", group, version] => resource_list(state, group, version),
        ["api", version, rest @ ..] => collection(state, "", version, rest, &query).await,
        ["apis", group, version, rest @ ..] => {
            collection(state, group, version, rest, &query).await
        }
        _ => status(
            404,
            "NotFound",
            "the server could not find the requested resource",
            None,
        ),
    }
}

fn ok(body: Value) -> Answer {
    respond(StatusCode::OK, &body)
}

/// An aggregated discovery document: clients tell it from the plain one
/// by its content type.
fn discovery(body: Value) -> Answer {
    let mut answer = ok(body);
    answer.headers_mut().insert(
        "content-type",
        hyper::header::HeaderValue::from_static(
            "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
        ),
    );
    answer
}

fn respond(code: StatusCode, body: &Value) -> Answer {
    Response::builder()
        .status(code)
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(serde_json::to_vec(body).unwrap())))
        .unwrap()
}

/// A `Status` object as kube-apiserver sends it with an error.
fn status(code: u16, reason: &str, message: &str, details: Option<Value>) -> Answer {
    let mut body = json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": message, "reason": reason, "code": code});
    if let Some(details) = details {
        body["details"] = details;
    }
    respond(StatusCode::from_u16(code).unwrap(), &body)
}

fn group_version(group: &str, version: &str) -> String {
    if group.is_empty() {
        version.to_string()
    } else {
        format!("{group}/{version}")
    }
}

fn aggregated_discovery(state: &State, core_group: bool) -> Value {
    let mut groups: Vec<&str> = Vec::new();
    for r in state.served().filter(|r| r.group.is_empty() == core_group) {
        if !groups.contains(&r.group) {
            groups.push(r.group);
        }
    }
    let items: Vec<Value> = groups
        .iter()
        .map(|group| {
            let mut versions: Vec<&str> = Vec::new();
            for r in state.served().filter(|r| r.group == *group) {
                for v in r.versions {
                    if !versions.contains(v) {
                        versions.push(v);
                    }
                }
            }
            let versions: Vec<Value> = versions
                .iter()
                .map(|version| {
                    let resources: Vec<Value> = state
                        .served()
                        .filter(|r| r.group == *group && r.versions.contains(version))
                        .map(|r| json!({
                            "resource": r.plural,
                            "responseKind": {"group": r.group, "version": version, "kind": r.kind},
                            "scope": if r.namespaced { "Namespaced" } else { "Cluster" },
                            "singularResource": r.kind.to_lowercase(),
                            "verbs": ["get", "list", "watch"],
                        }))
                        .collect();
                    json!({"version": version, "resources": resources, "freshness": "Current"})
                })
                .collect();
            let mut item = json!({"metadata": {"creationTimestamp": null}, "versions": versions});
            if !group.is_empty() {
                item["metadata"]["name"] = json!(group);
            }
            item
        })
        .collect();
    json!({"kind": "APIGroupDiscoveryList", "apiVersion": "apidiscovery.k8s.io/v2", "metadata": {}, "items": items})
}

fn group_list(state: &State) -> Value {
    let mut groups: Vec<Value> = Vec::new();
    let mut names: Vec<&str> = Vec::new();
    for r in state.served().filter(|r| !r.group.is_empty()) {
        if names.contains(&r.group) {
            continue;
        }
        names.push(r.group);
        let mut versions: Vec<&str> = Vec::new();
        for other in state.served().filter(|o| o.group == r.group) {
            for v in other.versions {
                if !versions.contains(v) {
                    versions.push(v);
                }
            }
        }
        let versions: Vec<Value> = versions
            .iter()
            .map(|v| json!({"groupVersion": group_version(r.group, v), "version": v}))
            .collect();
        groups
            .push(json!({"name": r.group, "versions": versions, "preferredVersion": versions[0]}));
    }
    json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})
}

fn resource_list(state: &State, group: &str, version: &str) -> Answer {
    let resources: Vec<Value> = state
        .served()
        .filter(|r| r.group == group && r.versions.contains(&version))
        .map(|r| json!({"name": r.plural, "singularName": r.kind.to_lowercase(), "namespaced": r.namespaced, "kind": r.kind, "verbs": ["get", "list", "watch"]}))
        .collect();
    if resources.is_empty() {
        return status(
            404,
            "NotFound",
            "the server could not find the requested resource",
            None,
        );
    }
    ok(
        json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": group_version(group, version), "resources": resources}),
    )
}

/// `[namespaces/NS/]PLURAL[/NAME]` under a group version.
async fn collection(
    state: &State,
    group: &str,
    version: &str,
    rest: &[&str],
    query: &str,
) -> Answer {
    let (namespace, rest) = match rest {
        ["namespaces", ns, rest @ ..] if !rest.is_empty() => (Some(*ns), rest),
        _ => (None, rest),
    };
    let (plural, name) = match rest {
        [plural] => (*plural, None),
        [plural, name] => (*plural, Some(*name)),
        _ => {
            return status(
                404,
                "NotFound",
                "the server could not find the requested resource",
                None,
            );
        }
    };
    let Some(resource) = state
        .served()
        .find(|r| r.group == group && r.plural == plural && r.versions.contains(&version))
    else {
        return status(
            404,
            "NotFound",
            "the server could not find the requested resource",
            None,
        );
    };
    let verb = if name.is_some() { "get" } else { "list" };
    if forbidden(state, plural, namespace) {
        let place = match namespace {
            Some(ns) => format!("in the namespace \"{ns}\""),
            None => "at the cluster scope".to_string(),
        };
        let named = if group.is_empty() {
            plural.to_string()
        } else {
            format!("{plural}.{group}")
        };
        let named = match name {
            Some(n) => format!("{named} \"{n}\""),
            None => named,
        };
        let message = format!(
            "{named} is forbidden: User \"{USER}\" cannot {verb} resource \"{plural}\" in API group \"{group}\" {place}"
        );
        return status(403, "Forbidden", &message, Some(json!({"kind": plural})));
    }
    let in_scope =
        |o: &&Value| namespace.is_none_or(|ns| o["metadata"]["namespace"].as_str() == Some(ns));
    let objects = state
        .objects
        .get(plural)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let api_version = group_version(group, version);
    if let Some(name) = name {
        return match objects
            .iter()
            .filter(in_scope)
            .find(|o| o["metadata"]["name"].as_str() == Some(name))
        {
            Some(object) => {
                let mut object = object.clone();
                object["apiVersion"] = json!(api_version);
                ok(object)
            }
            None => status(
                404,
                "NotFound",
                &format!("{plural} \"{name}\" not found"),
                Some(json!({"name": name, "kind": plural})),
            ),
        };
    }
    if state.fixture.fail_once == Some(plural) && state.first_time("fail_once") {
        return status(
            500,
            "InternalError",
            "Internal error occurred: etcdserver: request timed out",
            None,
        );
    }
    if let Some((slow, delay)) = state.fixture.slow
        && slow == plural
    {
        tokio::time::sleep(delay).await;
    }
    let params = parse_query(query);
    let limit: usize = params
        .get("limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(0);
    let offset = match params.get("continue") {
        None => 0,
        Some(token) => {
            if state.fixture.expire_continue_of == Some(plural) && state.first_time("expire") {
                return status(
                    410,
                    "Expired",
                    "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.",
                    None,
                );
            }
            match decode_continue(token) {
                Some(offset) => offset,
                None => {
                    return status(
                        400,
                        "BadRequest",
                        "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)",
                        None,
                    );
                }
            }
        }
    };
    let matching: Vec<&Value> = objects.iter().filter(in_scope).collect();
    let end = if limit == 0 {
        matching.len()
    } else {
        (offset + limit).min(matching.len())
    };
    let custom = !group.is_empty() && resource.group.contains("istio.io");
    let items: Vec<Value> = matching[offset.min(end)..end]
        .iter()
        .map(|o| {
            let mut item = (*o).clone();
            if custom {
                item["apiVersion"] = json!(api_version);
            } else if let Value::Object(map) = &mut item {
                // Built-in kinds' list items carry neither.
                map.remove("apiVersion");
                map.remove("kind");
            }
            item
        })
        .collect();
    let mut metadata = json!({"resourceVersion": "1"});
    if end < matching.len() {
        metadata["continue"] = json!(encode_continue(end));
        metadata["remainingItemCount"] = json!(matching.len() - end);
    }
    ok(
        json!({"kind": format!("{}List", resource.kind), "apiVersion": api_version, "metadata": metadata, "items": items}),
    )
}

fn forbidden(state: &State, plural: &str, namespace: Option<&str>) -> bool {
    state.fixture.forbidden.iter().any(|(p, ns)| {
        *p == plural
            && match (ns, namespace) {
                (None, _) | (Some(_), None) => true,
                (Some(refused), Some(asked)) => *refused == asked,
            }
    })
}

/// Continue tokens are opaque base64 of JSON, as kube-apiserver's are
/// (with `=` padding, which clients must escape).
fn encode_continue(offset: usize) -> String {
    STANDARD.encode(format!(
        "{{\"v\":\"meta.k8s.io/v1\",\"rv\":1,\"start\":\"{offset:08}?\"}}"
    ))
}

fn decode_continue(token: &str) -> Option<usize> {
    let text = String::from_utf8(STANDARD.decode(token).ok()?).ok()?;
    let start = text.split("\"start\":\"").nth(1)?;
    start.get(..8)?.parse().ok()
}

fn parse_query(query: &str) -> BTreeMap<String, String> {
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.to_string(), percent_decode(v)))
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(byte) = text
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
