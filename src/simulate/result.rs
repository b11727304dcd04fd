//! What a simulation produces: the outcome of one request, serialised as
//! `meshctl simulate -o json` prints it, and the trace of steps that led
//! there.

use crate::model::StringMap;
use serde::Serialize;
use serde_json::{Map, Value};

use super::gateway_api::RuleOrigin;
use super::request::{Protocol, Request};

/// The outcome of one simulated request.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Simulation {
    /// The request, normalised: `GET http://host:port/path`, `TCP host:port`
    /// or `TLS host:port`.
    pub request: String,
    /// `HTTP`, `TCP` or `TLS`: which routes of a VirtualService apply.
    pub protocol: Protocol,
    /// The SNI of a TLS connection.
    pub sni: Option<String>,
    /// `mesh` (a sidecar) or the Gateway, `ns/name`.
    pub through: String,
    pub source_namespace: String,
    /// The host the route was chosen for (short names expanded).
    pub host: String,
    /// Whether a VirtualService route matched.
    pub matched: bool,
    pub virtual_service: Option<String>,
    /// The delegate VirtualService whose route matched, if any.
    pub delegate: Option<String>,
    pub http_route_index: Option<usize>,
    pub http_route_name: Option<String>,
    /// The `tcp` route that took a TCP connection (or a TLS one a gateway
    /// terminates).
    pub tcp_route_index: Option<usize>,
    /// The `tls` route that took a TLS connection.
    pub tls_route_index: Option<usize>,
    pub match_index: Option<usize>,
    pub delegate_route_index: Option<usize>,
    /// The Gateway API route, rule and match that took the request, when
    /// the route came from an HTTPRoute or GRPCRoute (`virtualService`,
    /// `httpRouteIndex` and `matchIndex` are then `null`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gateway_api_route: Option<RuleOrigin>,
    /// Why there is no VirtualService route, or no destination.
    pub reason: Option<String>,
    pub destinations: Vec<Destination>,
    pub redirect: Option<Redirect>,
    pub direct_response: Option<DirectResponse>,
    pub rewrite: Option<Rewrite>,
    /// The route timeout; `null` when the route sets none (Envoy's route
    /// timeout is then disabled by Istio).
    pub timeout: Option<String>,
    pub retries: Option<Retries>,
    pub fault: Option<Fault>,
    pub mirrors: Vec<Mirror>,
    /// Header changes of the route (`request`/`response`: set, add, remove).
    pub headers: Option<Value>,
    /// Draws per destination (`host/subset`, or `host`), with `--count`.
    pub counts: Option<Map<String, Value>>,
    /// The exact expected number per destination for the same count.
    pub expected: Option<Map<String, Value>>,
    /// Draws the route's faults delayed or aborted (aborted requests reach
    /// no destination).
    pub fault_counts: Option<FaultCounts>,
    pub authorization: Option<Authorization>,
    pub trace: Vec<Step>,
}

impl Simulation {
    /// The outcome before the route's effects are filled in: nothing
    /// matched yet, no destination.
    pub fn new(request: &Request, through: &str, host: String) -> Self {
        Simulation {
            request: request.line(),
            protocol: request.protocol,
            sni: (request.protocol == Protocol::Tls).then(|| request.server_name()),
            through: through.to_string(),
            source_namespace: request.source.namespace(),
            host,
            matched: false,
            virtual_service: None,
            delegate: None,
            http_route_index: None,
            http_route_name: None,
            tcp_route_index: None,
            tls_route_index: None,
            match_index: None,
            delegate_route_index: None,
            gateway_api_route: None,
            reason: None,
            destinations: Vec::new(),
            redirect: None,
            direct_response: None,
            rewrite: None,
            timeout: None,
            retries: None,
            fault: None,
            mirrors: Vec::new(),
            headers: None,
            counts: None,
            expected: None,
            fault_counts: None,
            authorization: None,
            trace: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Destination {
    pub host: String,
    pub subset: Option<String>,
    pub port: Option<u32>,
    pub weight: u32,
    /// `weight / total weight`.
    pub share: f64,
    pub destination_rule: Option<String>,
    pub subset_labels: Option<StringMap>,
    /// The workloads the Service (and subset) select: `Kind ns/name`.
    pub workloads: Vec<String>,
    /// The DestinationRule's policy for this subset and port, merged.
    pub traffic_policy: Option<Value>,
    /// Header changes for this destination.
    pub headers: Option<Value>,
    /// What would go wrong on the way (an undefined subset, ...).
    pub problem: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Redirect {
    pub redirect_code: u32,
    pub location: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DirectResponse {
    pub status: u32,
    pub body: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rewrite {
    pub uri: Option<String>,
    pub uri_regex_rewrite: Option<Value>,
    pub authority: Option<String>,
    /// The path the destination receives.
    pub path: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Retries {
    /// 0 when the route turns retries off.
    pub attempts: i32,
    pub per_try_timeout: Option<String>,
    pub retry_on: Option<String>,
    /// The least wait between retries, when the route sets one (Envoy's
    /// default is 25ms).
    pub backoff: Option<String>,
    /// Istio's default policy (the route sets no `retries`).
    pub default: bool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Fault {
    pub delay: Option<FaultDelay>,
    pub abort: Option<FaultAbort>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FaultDelay {
    pub fixed_delay: Option<String>,
    /// 0..100; an unspecified percentage delays nothing.
    pub percentage: f64,
    pub problem: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FaultAbort {
    pub http_status: Option<i32>,
    pub grpc_status: Option<String>,
    /// 0..100; an unspecified percentage aborts nothing.
    pub percentage: f64,
    pub problem: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Mirror {
    pub host: String,
    pub subset: Option<String>,
    pub port: Option<u32>,
    pub percentage: f64,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FaultCounts {
    pub delayed: u64,
    pub aborted: u64,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Authorization {
    pub decision: AuthzDecision,
    /// The policy that decided, `ns/name`; `null` when none did.
    pub policy: Option<String>,
    pub rule_index: Option<usize>,
    /// The workload the policies were evaluated for.
    pub workload: String,
    /// A CUSTOM policy that matched (its provider decides; meshctl takes it
    /// as allowing).
    pub custom: Option<String>,
}

/// What the AuthorizationPolicies decide for the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum AuthzDecision {
    Allow,
    Deny,
}

impl AuthzDecision {
    pub fn as_str(self) -> &'static str {
        match self {
            AuthzDecision::Allow => "ALLOW",
            AuthzDecision::Deny => "DENY",
        }
    }
}

/// One line of the trace.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    /// Nesting, for display.
    pub depth: u8,
    /// What was considered: `VirtualService default/reviews http[0] match[0]`.
    pub subject: String,
    pub verdict: Verdict,
    /// Why, in words: `header end-user: expected exact "jason", got none`.
    pub detail: String,
}

impl Step {
    pub fn new(depth: u8, subject: String, verdict: Verdict, detail: String) -> Self {
        Step {
            depth,
            subject,
            verdict,
            detail,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Info,
    Selected,
    Skipped,
    Matched,
    Failed,
    Allow,
    Deny,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Info => "info",
            Verdict::Selected => "selected",
            Verdict::Skipped => "skipped",
            Verdict::Matched => "matched",
            Verdict::Failed => "failed",
            Verdict::Allow => "allow",
            Verdict::Deny => "deny",
        }
    }
}
