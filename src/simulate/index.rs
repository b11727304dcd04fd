//! The resources simulate reads, indexed once per configuration: Services
//! by host (ExternalName aliases resolved), VirtualServices by host and
//! as delegates, Gateways by name, DestinationRules and
//! AuthorizationPolicies by namespace, and the compiled regexes.

use std::collections::{HashMap, HashSet};

use crate::model::kube::Service;

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
    gateways: HashMap<String, (&'a Object, &'a GatewaySpec)>,
    /// By namespace, in input order: a request looks at a few namespaces'
    /// rules and policies, never at the whole mesh's.
    destination_rules: HashMap<&'a str, Vec<(&'a Object, &'a DestinationRuleSpec)>>,
    authorization_policies: HashMap<&'a str, Vec<(&'a Object, &'a AuthorizationPolicySpec)>>,
}

/// A VirtualService with its hosts and gateways resolved as Istio
/// resolves them.
pub struct Vs<'a> {
    pub object: &'a Object,
    pub spec: &'a VirtualServiceSpec,
    pub hosts: Vec<String>,
    pub gateways: Vec<String>,
}

impl Vs<'_> {
    pub fn name(&self) -> String {
        qualified(self.object)
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
            gateways: HashMap::new(),
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
        for gateway in snapshot.gateways() {
            index
                .gateways
                .entry(qualified(gateway.0))
                .or_insert(gateway);
        }
        for (object, spec) in snapshot.virtual_services() {
            index.add_virtual_service(object, spec);
        }
        index.vs_wildcard.dedup();
        index
    }

    fn add_virtual_service(&mut self, object: &'a Object, spec: &'a VirtualServiceSpec) {
        let ns = object.namespace.as_deref().unwrap_or_default();
        let id = self.virtual_services.len();
        let vs = Vs {
            object,
            spec,
            hosts: spec
                .hosts
                .iter()
                .map(|h| mesh::host::resolve(&h.to_ascii_lowercase(), ns, &self.domain))
                .collect(),
            gateways: spec.gateways.iter().map(|g| gateway_name(g, ns)).collect(),
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
        self.regexes.add_routes(&spec.http);
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

    /// The Gateway `namespace/name`.
    pub fn gateway(&self, name: &str) -> Option<(&'a Object, &'a GatewaySpec)> {
        self.gateways.get(name).copied()
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
