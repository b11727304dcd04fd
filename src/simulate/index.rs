//! The resources simulate reads, indexed once per configuration: Services
//! by host (ExternalName aliases resolved), VirtualServices by host and
//! as delegates (with those Istio builds from Gateway API routes), Gateways
//! by name, DestinationRules and AuthorizationPolicies by namespace, and
//! the compiled regexes.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use crate::model::kube::Service;

use super::gateway_api::listeners::{self, ListenerParent};
use super::gateway_api::{self, Origins, Refused, RuleOrigin};
use super::names::{gateway_name, qualified};
use super::regexes::Regexes;
use crate::mesh::visibility::ExportTo;
use crate::mesh::{self, gateway};
use crate::model::Object;
use crate::model::istio::{
    AuthorizationPolicySpec, DestinationRuleSpec, GatewaySpec, VirtualServiceSpec,
};
use crate::snapshot::Snapshot;

pub struct Index<'a> {
    pub snapshot: &'a Snapshot,
    pub domain: String,
    pub regexes: Regexes,
    /// ExternalName Service host -> the host it finally aliases.
    aliases: HashMap<String, String>,
    virtual_services: Vec<Vs<'a>>,
    vs_by_host: HashMap<String, Vec<usize>>,
    vs_wildcard: Vec<usize>,
    delegates: HashMap<(String, String), usize>,
    /// Gateway API routes Istio refuses to convert, by parent host.
    refused_routes: HashMap<String, Vec<Refused>>,
    /// Istio Gateways and Gateway API Gateways (as Istio builds them), by
    /// `ns/name`.
    gateways: HashMap<String, GatewayEntry<'a>>,
    gateway_api_gateways: HashMap<String, GatewayEntry<'a>>,
    /// By namespace, in input order: a request looks at a few namespaces'
    /// rules and policies, never at the whole mesh's.
    destination_rules: HashMap<&'a str, Vec<(&'a Object, &'a DestinationRuleSpec)>>,
    authorization_policies: HashMap<&'a str, Vec<(&'a Object, &'a AuthorizationPolicySpec)>>,
}

/// A gateway `--gateway` names: an Istio Gateway, or the servers Istio
/// builds for a Gateway API Gateway's listeners.
pub struct GatewayEntry<'a> {
    pub object: &'a Object,
    pub spec: Cow<'a, GatewaySpec>,
    /// For a Gateway API Gateway: the listener of each server (same order).
    pub listeners: Option<Vec<ListenerParent>>,
    /// Why Istio routes no traffic through it (a Gateway API Gateway of
    /// another controller's class, an unknown class, a waypoint, another
    /// network's gateway).
    pub not_istios: Option<String>,
    /// What Istio leaves out of a Gateway API Gateway, and why: a
    /// ListenerSet it does not admit, a conflicted listener.
    pub left_out: Vec<(String, String)>,
}

impl GatewayEntry<'_> {
    /// `Gateway ns/name`, with `(Gateway API)` for one of that API.
    pub fn label(&self) -> String {
        let api = if self.listeners.is_some() {
            " (Gateway API)"
        } else {
            ""
        };
        format!("Gateway{api} {}", qualified(self.object))
    }

    /// The gateway name VirtualServices bind to for the server at
    /// `server`: the Gateway's, or the listener's own Istio Gateway.
    pub fn binding(&self, server: usize) -> String {
        match &self.listeners {
            Some(listeners) => listeners[server].internal.clone(),
            None => qualified(self.object),
        }
    }

    /// `listener NAME`, for a Gateway API Gateway's server.
    pub fn listener_name(&self, server: usize) -> Option<String> {
        Some(self.listeners.as_ref()?[server].label())
    }
}

/// A VirtualService with its hosts and gateways resolved as Istio
/// resolves them: one of the input, or one Istio builds from Gateway API
/// routes (`object` is then the oldest of those routes).
pub struct Vs<'a> {
    pub object: &'a Object,
    pub spec: Cow<'a, VirtualServiceSpec>,
    pub hosts: Vec<String>,
    pub gateways: Vec<String>,
    /// For one built from Gateway API routes: the origin of each `http`
    /// route.
    pub gateway_api: Option<Origins>,
}

impl Vs<'_> {
    pub fn name(&self) -> String {
        qualified(self.object)
    }

    /// The name of an input VirtualService; `None` for one Istio built
    /// from Gateway API routes.
    pub fn virtual_service(&self) -> Option<String> {
        self.gateway_api.is_none().then(|| self.name())
    }

    /// `VirtualService ns/name`, or the Gateway API routes it was built
    /// from (`HTTPRoute ns/name`), as the trace names it.
    pub fn label(&self) -> String {
        let Some(origins) = &self.gateway_api else {
            return format!("VirtualService {}", self.name());
        };
        let mut routes: Vec<String> = Vec::new();
        for o in origins.all() {
            let route = format!("{} {}", o.kind, o.name);
            if !routes.contains(&route) {
                routes.push(route);
            }
        }
        let routes = if routes.is_empty() {
            format!("{} {}", self.object.kind, self.name())
        } else {
            routes.join(" + ")
        };
        match origins.all().find_map(RuleOrigin::listener_label) {
            Some(listener) => format!("{routes} on listener {listener}"),
            None => routes,
        }
    }

    /// Whether Istio built it from Gateway API routes, whose semantics
    /// differ a little (path prefixes, rewrites, missing backends).
    pub fn is_gateway_api(&self) -> bool {
        self.gateway_api.is_some()
    }

    pub fn namespace(&self) -> &str {
        self.object.namespace.as_deref().unwrap_or_default()
    }

    /// Whether its `exportTo` lets proxies of `namespace` use it.
    pub fn is_visible_to(&self, namespace: &str) -> bool {
        ExportTo::from_entries(
            self.spec.export_to.iter().map(String::as_str),
            self.namespace(),
        )
        .is_visible_to(namespace)
    }

    pub fn bound_to(&self, name: &str) -> bool {
        gateway::bound_gateways(&self.gateways).any(|g| g == name)
    }
}

impl<'a> Index<'a> {
    /// Indexes the snapshot under its cluster domain.
    pub fn new(snapshot: &'a Snapshot) -> Self {
        let domain = snapshot.cluster_domain();
        let mut index = Index {
            snapshot,
            domain: domain.to_string(),
            regexes: Regexes::default(),
            aliases: resolve_aliases(snapshot),
            virtual_services: Vec::new(),
            vs_by_host: HashMap::new(),
            vs_wildcard: Vec::new(),
            delegates: HashMap::new(),
            refused_routes: HashMap::new(),
            gateways: HashMap::new(),
            gateway_api_gateways: HashMap::new(),
            destination_rules: HashMap::new(),
            authorization_policies: HashMap::new(),
        };
        for rule in snapshot.destination_rules() {
            let ns = rule.0.namespace.as_deref().unwrap_or_default();
            index.destination_rules.entry(ns).or_default().push(rule);
        }
        for policy in snapshot.authorization_policies() {
            let ns = policy.0.namespace.as_deref().unwrap_or_default();
            index
                .authorization_policies
                .entry(ns)
                .or_default()
                .push(policy);
        }
        for (object, spec) in snapshot.gateways() {
            index
                .gateways
                .entry(qualified(object))
                .or_insert(GatewayEntry {
                    object,
                    spec: Cow::Borrowed(spec),
                    listeners: None,
                    not_istios: None,
                    left_out: Vec::new(),
                });
        }
        for (object, spec) in snapshot.virtual_services() {
            index.add_virtual_service(object, Cow::Borrowed(spec), None);
        }
        let ingress = listeners::ingress_gateways(snapshot);
        let (converted, refused) = gateway_api::virtual_services(snapshot, &ingress);
        for c in converted {
            index.add_virtual_service(c.object, Cow::Owned(c.spec), Some(c.origins));
        }
        for r in refused {
            index
                .refused_routes
                .entry(r.parent.clone())
                .or_default()
                .push(r);
        }
        for g in ingress {
            index
                .gateway_api_gateways
                .entry(qualified(g.object))
                .or_insert(GatewayEntry {
                    object: g.object,
                    spec: Cow::Owned(g.spec),
                    listeners: Some(g.listeners),
                    not_istios: g.not_istios,
                    left_out: g.left_out,
                });
        }
        index.vs_wildcard.dedup();
        index
    }

    fn add_virtual_service(
        &mut self,
        object: &'a Object,
        spec: Cow<'a, VirtualServiceSpec>,
        gateway_api: Option<Origins>,
    ) {
        let ns = object.namespace.as_deref().unwrap_or_default();
        let id = self.virtual_services.len();
        self.regexes.add_routes(&spec.http);
        let vs = Vs {
            object,
            gateway_api,
            hosts: spec
                .hosts
                .iter()
                .map(|h| mesh::host::resolve(&h.to_ascii_lowercase(), ns, &self.domain))
                .collect(),
            gateways: spec.gateways.iter().map(|g| gateway_name(g, ns)).collect(),
            spec,
        };
        if vs.hosts.is_empty() {
            self.delegates
                .insert((ns.to_string(), object.name.clone()), id);
        }
        for host in &vs.hosts {
            if host.starts_with('*') {
                self.vs_wildcard.push(id);
            } else {
                self.vs_by_host.entry(host.clone()).or_default().push(id);
            }
        }
        self.virtual_services.push(vs);
    }

    /// The DestinationRules of a namespace, in input order.
    pub fn destination_rules_in(&self, ns: &str) -> &[(&'a Object, &'a DestinationRuleSpec)] {
        self.destination_rules.get(ns).map_or(&[], Vec::as_slice)
    }

    /// The AuthorizationPolicies of a namespace, in input order.
    pub fn authorization_policies_in(
        &self,
        ns: &str,
    ) -> &[(&'a Object, &'a AuthorizationPolicySpec)] {
        self.authorization_policies
            .get(ns)
            .map_or(&[], Vec::as_slice)
    }

    /// The Kubernetes Service of a full host name.
    pub fn service(&self, host: &str) -> Option<(&'a Object, &'a Service)> {
        self.snapshot.service_by_host(host)
    }

    /// Whether some Service or VirtualService names exactly this host.
    pub fn knows_host(&self, host: &str) -> bool {
        self.service(host).is_some() || self.vs_by_host.contains_key(host)
    }

    /// The host an ExternalName Service of this host aliases (through
    /// chains of aliases), as Istio routes it.
    pub fn alias_of(&self, host: &str) -> Option<&str> {
        self.aliases.get(host).map(String::as_str)
    }

    pub fn vs(&self, id: usize) -> &Vs<'a> {
        &self.virtual_services[id]
    }

    /// The delegate VirtualService `namespace/name` (one without hosts).
    pub fn delegate(&self, namespace: &str, name: &str) -> Option<usize> {
        self.delegates
            .get(&(namespace.to_string(), name.to_string()))
            .copied()
    }

    /// The Gateway API routes Istio does not use for a parent (a Service
    /// host, or a listener's gateway name), with the reason.
    pub fn refused_routes(&self, parent: &str) -> &[Refused] {
        self.refused_routes.get(parent).map_or(&[], Vec::as_slice)
    }

    /// The gateway `--gateway` names: `ns/name` of an Istio Gateway or of
    /// a Gateway API Gateway; when both kinds have that name, the group
    /// must come first (`networking.istio.io/ns/name`,
    /// `gateway.networking.k8s.io/ns/name`).
    pub fn gateway(&self, name: &str) -> Result<&GatewayEntry<'a>, String> {
        let parts: Vec<&str> = name.splitn(3, '/').collect();
        let found = match parts.as_slice() {
            ["networking.istio.io", ns, n] => self.gateways.get(&format!("{ns}/{n}")),
            [listeners::GROUP, ns, n] => self.gateway_api_gateways.get(&format!("{ns}/{n}")),
            _ => match (self.gateways.get(name), self.gateway_api_gateways.get(name)) {
                (Some(_), Some(_)) => {
                    return Err(format!(
                        "--gateway {name}: both an Istio Gateway and a Gateway API Gateway have \
                         that name; write --gateway networking.istio.io/{name} or --gateway \
                         {}/{name}",
                        listeners::GROUP
                    ));
                }
                (istio, api) => istio.or(api),
            },
        };
        let found = found.ok_or_else(|| {
            format!("--gateway {name}: no valid Gateway of that name in the input")
        })?;
        if let Some(why) = &found.not_istios {
            return Err(format!(
                "--gateway {name}: Istio routes no traffic through it as a gateway: {why}"
            ));
        }
        Ok(found)
    }

    /// VirtualServices with a host that may match `host`.
    pub fn vs_candidates(&self, host: &str) -> Vec<usize> {
        let mut ids: Vec<usize> = self.vs_by_host.get(host).cloned().unwrap_or_default();
        ids.extend(self.vs_wildcard.iter().copied().filter(|&id| {
            self.virtual_services[id]
                .hosts
                .iter()
                .any(|h| mesh::host::overlaps(h, host))
        }));
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

/// Istio's `resolveServiceAliases`: each ExternalName Service to the host
/// it finally names, following aliases of aliases; a loop resolves to
/// nothing (Kubernetes' DNS answers NXDOMAIN).
fn resolve_aliases(snapshot: &Snapshot) -> HashMap<String, String> {
    let raw: HashMap<String, String> = snapshot
        .services()
        .filter_map(|(object, service)| {
            let spec = service.spec.as_ref()?;
            let target = spec.external_name.as_deref()?;
            let ns = object.namespace.as_deref().unwrap_or_default();
            let host = mesh::host::service_host(&object.name, ns, snapshot.cluster_domain());
            // Only the Service that owns its host (the first) aliases it.
            let owns = snapshot
                .service_by_host(&host)
                .is_some_and(|(owner, _)| std::ptr::eq(owner, object));
            (owns && spec.type_.as_deref() == Some("ExternalName") && !target.is_empty())
                .then(|| (host, target.trim_end_matches('.').to_ascii_lowercase()))
        })
        .collect();
    let mut resolved = HashMap::new();
    for (alias, target) in &raw {
        let mut seen = HashSet::from([alias.as_str()]);
        let mut target = target.as_str();
        while let Some(next) = raw.get(target) {
            if !seen.insert(target) {
                break;
            }
            target = next;
        }
        if !raw.contains_key(target) {
            resolved.insert(alias.to_string(), target.to_string());
        }
    }
    resolved
}
