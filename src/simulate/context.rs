//! What every step of a simulation shares: the index, the request, the
//! proxy that routes it, and the trace the steps write.

use super::index::{GatewayEntry, Index};
use super::names::qualified;
use super::request::Request;
use super::result::{Step, Verdict};
use crate::mesh::gateway::MESH;
use crate::model::StringMap;

pub struct Context<'i, 'a> {
    pub index: &'i Index<'a>,
    pub request: &'i Request,
    /// The `--gateway` the request enters through; `None` for a sidecar.
    pub gateway: Option<GatewayRef<'i, 'a>>,
    pub proxy: Proxy,
    pub trace: Vec<Step>,
}

/// A gateway of the input (Istio's or the Gateway API's).
pub type GatewayRef<'i, 'a> = &'i GatewayEntry<'a>;

impl<'i, 'a> Context<'i, 'a> {
    /// The context of a request: its proxy is the caller's sidecar, or the
    /// `--gateway`'s pods. Fails on a `--gateway` that is not in the input.
    pub fn new(index: &'i Index<'a>, request: &'i Request) -> Result<Self, String> {
        let gateway = match &request.gateway {
            None => None,
            Some(name) => Some(index.gateway(name)?),
        };
        Ok(Context {
            index,
            request,
            gateway,
            proxy: Proxy::of(index, request, gateway),
            trace: Vec::new(),
        })
    }

    /// Adds a line to the trace.
    pub fn step(
        &mut self,
        depth: u8,
        subject: impl Into<String>,
        verdict: Verdict,
        detail: impl Into<String>,
    ) {
        self.trace
            .push(Step::new(depth, subject.into(), verdict, detail.into()));
    }
}

/// What the proxy building the routes is: Istio drops routes whose
/// `port`, `gateways`, `sourceLabels` or `sourceNamespace` do not fit the
/// proxy before the request ever arrives.
#[derive(Debug, Clone)]
pub struct Proxy {
    /// `mesh` for a sidecar, `ns/name` for a Gateway.
    pub gateway: String,
    pub labels: StringMap,
    pub namespace: String,
    /// The listener port (the request's port).
    pub port: u32,
}

impl Proxy {
    fn of(index: &Index, request: &Request, gateway: Option<GatewayRef>) -> Self {
        let Some(GatewayEntry { object, spec, .. }) = gateway else {
            return Proxy {
                gateway: MESH.to_string(),
                labels: request.source.labels.clone(),
                namespace: request.source.namespace(),
                port: request.port,
            };
        };
        // The gateway's own pods are the proxy: their labels and namespace.
        let workload = index
            .snapshot
            .workloads_selected(None, &spec.selector)
            .next();
        let gw_ns = object.namespace.clone().unwrap_or_default();
        Proxy {
            gateway: qualified(object),
            labels: workload.map_or_else(|| spec.selector.clone(), |w| w.labels.clone()),
            namespace: workload.map_or_else(|| gw_ns, |w| w.namespace.clone()),
            port: request.port,
        }
    }

    pub fn is_sidecar(&self) -> bool {
        self.gateway == MESH
    }
}
