//! The registry of kinds: every kind meshctl models is one line of
//! [`mesh_kinds!`], keyed by (group, version, kind). Everything else about a
//! kind is generated from that line (its [`MeshKind`] and [`MeshSpec`]
//! variants, its [`KindSpec`] link from the spec type, its schema, its schema
//! rules, its snapshot iterator) or looked up through it (served versions,
//! API group, mesh). The meshes and the API groups they own are declared here
//! too, so a resource of a known group whose kind or version is not
//! registered can be told apart from a foreign one ([`lookup`]).

use std::fmt;

use crate::model::ObjectMeta;
use schemars::{JsonSchema, Schema};
use serde::de::DeserializeOwned;

use super::de::FieldProblem;
use crate::loader::Node;

/// The registry. One line per kind: its name, its typed spec (in the
/// model's module of its mesh), its API group, the versions it is served at
/// (newest first) and the name of its snapshot iterator. A kind whose name
/// is not a Rust identifier or is taken by another group's kind (the Gateway
/// API's `Gateway` beside Istio's) gives its name after `as`.
///
/// `mesh_kinds!(m)` hands the whole list to the macro `m`, so each layer
/// generates its own part from it: the model its enums and dispatch (below),
/// the snapshot its typed iterators.
macro_rules! mesh_kinds {
    ($then:ident) => {
        $then! {
            VirtualService        (istio::VirtualServiceSpec)        NETWORKING_ISTIO ["v1", "v1beta1", "v1alpha3"] virtual_services;
            DestinationRule       (istio::DestinationRuleSpec)       NETWORKING_ISTIO ["v1", "v1beta1", "v1alpha3"] destination_rules;
            Gateway               (istio::GatewaySpec)               NETWORKING_ISTIO ["v1", "v1beta1", "v1alpha3"] gateways;
            ServiceEntry          (istio::ServiceEntrySpec)          NETWORKING_ISTIO ["v1", "v1beta1", "v1alpha3"] service_entries;
            Sidecar               (istio::SidecarSpec)               NETWORKING_ISTIO ["v1", "v1beta1", "v1alpha3"] sidecars;
            WorkloadEntry         (istio::WorkloadEntrySpec)         NETWORKING_ISTIO ["v1", "v1beta1", "v1alpha3"] workload_entries;
            WorkloadGroup         (istio::WorkloadGroupSpec)         NETWORKING_ISTIO ["v1", "v1beta1", "v1alpha3"] workload_groups;
            ProxyConfig           (istio::ProxyConfigSpec)           NETWORKING_ISTIO ["v1beta1"]                  proxy_configs;
            EnvoyFilter           (istio::EnvoyFilterSpec)           NETWORKING_ISTIO ["v1alpha3"]                 envoy_filters;
            AuthorizationPolicy   (istio::AuthorizationPolicySpec)   SECURITY_ISTIO   ["v1", "v1beta1"]             authorization_policies;
            PeerAuthentication    (istio::PeerAuthenticationSpec)    SECURITY_ISTIO   ["v1", "v1beta1"]             peer_authentications;
            RequestAuthentication (istio::RequestAuthenticationSpec) SECURITY_ISTIO   ["v1", "v1beta1"]             request_authentications;
            Telemetry             (istio::TelemetrySpec)             TELEMETRY_ISTIO  ["v1", "v1alpha1"]            telemetries;
            WasmPlugin            (istio::WasmPluginSpec)            EXTENSIONS_ISTIO ["v1alpha1"]                 wasm_plugins;
            HttpRoute as "HTTPRoute"               (gateway_api::HttpRouteSpec)        GATEWAY_API ["v1", "v1beta1"] http_routes;
            GatewayApiGateway as "Gateway"         (gateway_api::GatewaySpec)          GATEWAY_API ["v1", "v1beta1"] gateway_api_gateways;
            GatewayClass                           (gateway_api::GatewayClassSpec)     GATEWAY_API ["v1", "v1beta1"] gateway_classes;
            ReferenceGrant                         (gateway_api::ReferenceGrantSpec)   GATEWAY_API ["v1", "v1beta1"] reference_grants;
            GrpcRoute as "GRPCRoute"               (gateway_api::GrpcRouteSpec)        GATEWAY_API ["v1"]            grpc_routes;
            BackendTlsPolicy as "BackendTLSPolicy" (gateway_api::BackendTlsPolicySpec) GATEWAY_API ["v1"]            backend_tls_policies;
            TcpRoute as "TCPRoute"                 (gateway_api::TcpRouteSpec)         GATEWAY_API ["v1"]            tcp_routes;
            TlsRoute as "TLSRoute"                 (gateway_api::TlsRouteSpec)         GATEWAY_API ["v1"]            tls_routes;
            UdpRoute as "UDPRoute"                 (gateway_api::UdpRouteSpec)         GATEWAY_API ["v1"]            udp_routes;
            ListenerSet                            (gateway_api::ListenerSetSpec)      GATEWAY_API ["v1"]            listener_sets;
        }
    };
}
pub(crate) use mesh_kinds;

/// The meshes meshctl knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mesh {
    Istio,
    GatewayApi,
    Linkerd,
    Consul,
}

/// The diagnostic codes of a mesh's own analyzer, which meshctl reuses where
/// it makes the same check, and where they are documented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiagnosticCodes {
    pub prefix: &'static str,
    /// The documentation of code `IST0101` is at this base, then `ist0101/`.
    pub docs_url_base: &'static str,
}

impl Mesh {
    pub const ALL: [Mesh; 4] = [Mesh::Istio, Mesh::GatewayApi, Mesh::Linkerd, Mesh::Consul];

    /// Only istioctl has codes; checks of the other meshes are meshctl's own
    /// (`MSH`, documented in docs/rules.md).
    pub fn diagnostic_codes(self) -> Option<DiagnosticCodes> {
        match self {
            Mesh::Istio => Some(DiagnosticCodes {
                prefix: "IST",
                docs_url_base: "https://istio.io/latest/docs/reference/config/analysis/",
            }),
            Mesh::GatewayApi | Mesh::Linkerd | Mesh::Consul => None,
        }
    }
}

/// An API group, the mesh whose resources it holds, and the kinds it serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiGroup {
    pub name: &'static str,
    pub mesh: Mesh,
    kinds: GroupKinds,
}

/// The kinds an API group serves, as its mesh's CRDs declare them, whether
/// meshctl checks them or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum GroupKinds {
    /// Every kind of the group: any other name is a mistake.
    Listed(&'static [&'static str]),
    /// Not listed yet: a kind the registry lacks is taken as not checked,
    /// never refused.
    Open,
}

impl ApiGroup {
    const fn listed(name: &'static str, mesh: Mesh, kinds: &'static [&'static str]) -> ApiGroup {
        ApiGroup {
            name,
            mesh,
            kinds: GroupKinds::Listed(kinds),
        }
    }

    const fn open(name: &'static str, mesh: Mesh) -> ApiGroup {
        ApiGroup {
            name,
            mesh,
            kinds: GroupKinds::Open,
        }
    }

    /// Every kind the group serves, when they are listed.
    pub fn kinds(self) -> Option<&'static [&'static str]> {
        match self.kinds {
            GroupKinds::Listed(kinds) => Some(kinds),
            GroupKinds::Open => None,
        }
    }
}

const NETWORKING_ISTIO: ApiGroup = ApiGroup::listed(
    "networking.istio.io",
    Mesh::Istio,
    &[
        "VirtualService",
        "DestinationRule",
        "Gateway",
        "ServiceEntry",
        "Sidecar",
        "EnvoyFilter",
        "WorkloadEntry",
        "WorkloadGroup",
        "ProxyConfig",
    ],
);
const SECURITY_ISTIO: ApiGroup = ApiGroup::listed(
    "security.istio.io",
    Mesh::Istio,
    &[
        "AuthorizationPolicy",
        "PeerAuthentication",
        "RequestAuthentication",
    ],
);
const TELEMETRY_ISTIO: ApiGroup =
    ApiGroup::listed("telemetry.istio.io", Mesh::Istio, &["Telemetry"]);
const EXTENSIONS_ISTIO: ApiGroup = ApiGroup::listed(
    "extensions.istio.io",
    Mesh::Istio,
    &["WasmPlugin", "TrafficExtension"],
);
/// The standard channel's kinds, and BackendLBPolicy of the experimental
/// channel, which shares the group.
const GATEWAY_API: ApiGroup = ApiGroup::listed(
    "gateway.networking.k8s.io",
    Mesh::GatewayApi,
    &[
        "GatewayClass",
        "Gateway",
        "HTTPRoute",
        "GRPCRoute",
        "ReferenceGrant",
        "BackendTLSPolicy",
        "ListenerSet",
        "TCPRoute",
        "TLSRoute",
        "UDPRoute",
        "BackendLBPolicy",
    ],
);
const GATEWAY_API_EXPERIMENTAL: ApiGroup =
    ApiGroup::open("gateway.networking.x-k8s.io", Mesh::GatewayApi);
const LINKERD: ApiGroup = ApiGroup::open("linkerd.io", Mesh::Linkerd);
const POLICY_LINKERD: ApiGroup = ApiGroup::open("policy.linkerd.io", Mesh::Linkerd);
const WORKLOAD_LINKERD: ApiGroup = ApiGroup::open("workload.linkerd.io", Mesh::Linkerd);
const CONSUL: ApiGroup = ApiGroup::open("consul.hashicorp.com", Mesh::Consul);

/// Every API group of the known meshes, whether meshctl models its kinds
/// yet or not.
const API_GROUPS: &[ApiGroup] = &[
    NETWORKING_ISTIO,
    SECURITY_ISTIO,
    TELEMETRY_ISTIO,
    EXTENSIONS_ISTIO,
    GATEWAY_API,
    GATEWAY_API_EXPERIMENTAL,
    LINKERD,
    POLICY_LINKERD,
    WORKLOAD_LINKERD,
    CONSUL,
];

/// The typed spec of a registered kind (implemented by [`mesh_kinds!`]), so
/// a kind's group, versions and variant follow from its type.
pub trait KindSpec: JsonSchema + DeserializeOwned + Default + 'static {
    const KIND: MeshKind;
    /// The spec, when `spec` is of this kind.
    fn of(spec: &MeshSpec) -> Option<&Self>;
    fn wrap(spec: Box<Self>) -> MeshSpec;
}

/// A registry line's kind name: its own, or the one after `as`.
macro_rules! kind_name {
    ($kind:ident) => {
        stringify!($kind)
    };
    ($kind:ident, $name:literal) => {
        $name
    };
}

/// What [`mesh_kinds!`] generates in the model.
macro_rules! declare_kinds {
    ($($kind:ident $(as $name:literal)? ($module:ident::$spec:ident) $group:ident [$($version:literal),+] $iterator:ident;)+) => {
        /// A kind of the registry.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum MeshKind {
            $($kind,)+
        }

        /// The typed spec of a mesh object. Boxed: the specs differ a lot in size.
        #[derive(Debug, Clone, PartialEq)]
        pub enum MeshSpec {
            $($kind(Box<super::$module::$spec>),)+
        }

        impl MeshKind {
            /// Every kind's name, in registry order.
            pub const NAMES: &[&str] = &[$(kind_name!($kind $(, $name)?)),+];
            /// Every kind, in registry order.
            pub const ALL: [MeshKind; MeshKind::NAMES.len()] = [$(MeshKind::$kind),+];

            pub fn name(self) -> &'static str {
                match self {
                    $(MeshKind::$kind => kind_name!($kind $(, $name)?),)+
                }
            }

            pub fn api_group(self) -> ApiGroup {
                match self {
                    $(MeshKind::$kind => $group,)+
                }
            }

            /// Served versions, newest first.
            pub fn versions(self) -> &'static [&'static str] {
                match self {
                    $(MeshKind::$kind => &[$($version),+],)+
                }
            }

            /// The JSON Schema of the kind's resource (every served version alike).
            pub(super) fn schema(self) -> Schema {
                match self {
                    $(MeshKind::$kind => super::schema::generate::<super::$module::$spec>(),)+
                }
            }

            /// Reads a resource of this kind: its metadata, spec and problems.
            pub(super) fn read(self, node: &Node) -> (ObjectMeta, MeshSpec, Vec<FieldProblem>) {
                match self {
                    $(MeshKind::$kind => super::object::read_mesh::<super::$module::$spec>(node),)+
                }
            }
        }

        impl MeshSpec {
            pub fn kind(&self) -> MeshKind {
                match self {
                    $(MeshSpec::$kind(_) => MeshKind::$kind,)+
                }
            }
        }

        $(
            impl KindSpec for super::$module::$spec {
                const KIND: MeshKind = MeshKind::$kind;

                fn of(spec: &MeshSpec) -> Option<&Self> {
                    match spec {
                        MeshSpec::$kind(spec) => Some(spec),
                        _ => None,
                    }
                }

                fn wrap(spec: Box<Self>) -> MeshSpec {
                    MeshSpec::$kind(spec)
                }
            }
        )+
    };
}

mesh_kinds!(declare_kinds);

impl MeshKind {
    pub fn group(self) -> &'static str {
        self.api_group().name
    }

    pub fn mesh(self) -> Mesh {
        self.api_group().mesh
    }

    /// The `apiVersion` strings this kind is served at, newest first.
    pub fn api_versions(self) -> impl Iterator<Item = String> {
        self.versions()
            .iter()
            .map(move |v| format!("{}/{v}", self.group()))
    }

    /// The kind for a `kind` field, matched case-insensitively on the name
    /// (as `meshctl schema virtualservice` expects), in `group` when one is
    /// given. Two groups may serve one name (Istio's and the Gateway API's
    /// `Gateway`): without a group, the first in the registry (Istio's).
    pub fn from_name(name: &str, group: Option<&str>) -> Option<MeshKind> {
        MeshKind::ALL
            .into_iter()
            .find(|k| k.name().eq_ignore_ascii_case(name) && group.is_none_or(|g| k.group() == g))
    }
}

impl fmt::Display for MeshKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What the registry knows of a resource's `apiVersion` and `kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    /// A registered kind at a version it is served at.
    Served(MeshKind),
    /// A registered kind at a version it is not served at.
    UnservedVersion(MeshKind),
    /// A kind its mesh serves that meshctl does not check yet.
    Unchecked(Mesh),
    /// A group of a known mesh that serves no such kind: the API server
    /// would refuse it.
    UnknownKind(ApiGroup),
    /// A group of Kubernetes itself (`v1`, `apps`, `*.k8s.io`): the context
    /// the mesh rules read, not configuration meshctl checks.
    Kubernetes,
    /// Any other group: other custom resources.
    Foreign,
}

/// Older versions of Gateway API kinds that only the experimental channel's
/// CRDs still serve (deprecated there; Istio still reads TCPRoute and
/// TLSRoute at v1alpha2). Their schemas differ from the standard version's
/// (a v1alpha2 route takes up to 16 rules, v1 only one), so meshctl's model
/// cannot check them: they are counted as not checked (a `--crd` of the
/// experimental channel checks them), never refused as unserved.
const EXPERIMENTAL_ONLY_VERSIONS: &[(MeshKind, &[&str])] = &[
    (MeshKind::TcpRoute, &["v1alpha2"]),
    (MeshKind::TlsRoute, &["v1alpha2", "v1alpha3"]),
    (MeshKind::UdpRoute, &["v1alpha2"]),
    (MeshKind::BackendTlsPolicy, &["v1alpha3"]),
];

fn served_by_experimental_channel_only(kind: MeshKind, version: &str) -> bool {
    EXPERIMENTAL_ONLY_VERSIONS
        .iter()
        .any(|(k, versions)| *k == kind && versions.contains(&version))
}

/// Looks a resource up in the registry by (group, version, kind).
pub fn lookup(api_version: &str, kind: &str) -> Lookup {
    let (group, version) = split_api_version(api_version);
    let registered = MeshKind::ALL
        .into_iter()
        .find(|k| k.name() == kind && k.group() == group);
    match registered {
        Some(kind) if kind.versions().contains(&version) => Lookup::Served(kind),
        Some(kind) if served_by_experimental_channel_only(kind, version) => {
            Lookup::Unchecked(kind.mesh())
        }
        Some(kind) => Lookup::UnservedVersion(kind),
        None => match API_GROUPS.iter().find(|g| g.name == group) {
            Some(group) => match group.kinds() {
                Some(kinds) if !kinds.contains(&kind) => Lookup::UnknownKind(*group),
                _ => Lookup::Unchecked(group.mesh),
            },
            None if is_kubernetes_group(group) => Lookup::Kubernetes,
            None => Lookup::Foreign,
        },
    }
}

/// The core group, the unqualified ones (`apps`, `batch`, `policy`) and
/// Kubernetes' own `*.k8s.io` groups.
fn is_kubernetes_group(group: &str) -> bool {
    !group.contains('.') || group.ends_with(".k8s.io")
}

/// Kinds that live outside namespaces: their origin has no namespace.
pub fn is_cluster_scoped(kind: &str) -> bool {
    matches!(
        kind,
        "Namespace"
            | "Node"
            | "ClusterRole"
            | "ClusterRoleBinding"
            | "CustomResourceDefinition"
            | "MutatingWebhookConfiguration"
            | "ValidatingWebhookConfiguration"
            | "PersistentVolume"
            | "StorageClass"
            | "PriorityClass"
            | "GatewayClass"
    )
}

/// Splits `group/version` (or a core `v1`) into its parts.
pub fn split_api_version(api_version: &str) -> (&str, &str) {
    api_version.rsplit_once('/').unwrap_or(("", api_version))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn looks_resources_up_by_group_version_and_kind() {
        use MeshKind::*;
        assert_eq!(
            lookup("networking.istio.io/v1beta1", "VirtualService"),
            Lookup::Served(VirtualService)
        );
        assert_eq!(
            lookup("security.istio.io/v1alpha3", "PeerAuthentication"),
            Lookup::UnservedVersion(PeerAuthentication)
        );
        // A kind no group of Istio serves.
        assert_eq!(
            lookup("telemetry.istio.io/v1", "NoSuchKind"),
            Lookup::UnknownKind(TELEMETRY_ISTIO)
        );
        // The same name in another group is another kind.
        assert_eq!(
            lookup("gateway.networking.k8s.io/v1", "VirtualService"),
            Lookup::UnknownKind(GATEWAY_API)
        );
        // Served by its mesh, not checked by meshctl.
        assert_eq!(
            lookup("extensions.istio.io/v1alpha1", "TrafficExtension"),
            Lookup::Unchecked(Mesh::Istio)
        );
        // A version only the Gateway API's experimental channel serves, with
        // another schema: read, not checked, not refused.
        assert_eq!(
            lookup("gateway.networking.k8s.io/v1alpha2", "TLSRoute"),
            Lookup::Unchecked(Mesh::GatewayApi)
        );
        assert_eq!(
            lookup("gateway.networking.k8s.io/v1alpha2", "HTTPRoute"),
            Lookup::UnservedVersion(HttpRoute)
        );
        assert_eq!(
            lookup("gateway.networking.k8s.io/v1alpha1", "TLSRoute"),
            Lookup::UnservedVersion(TlsRoute)
        );
        // A group whose kinds are not listed refuses none.
        assert_eq!(
            lookup("policy.linkerd.io/v1beta3", "Server"),
            Lookup::Unchecked(Mesh::Linkerd)
        );
        assert_eq!(lookup("apps/v1", "Deployment"), Lookup::Kubernetes);
        assert_eq!(lookup("v1", "Service"), Lookup::Kubernetes);
        assert_eq!(
            lookup("networking.k8s.io/v1", "Ingress"),
            Lookup::Kubernetes
        );
        assert_eq!(lookup("cert-manager.io/v1", "Certificate"), Lookup::Foreign);
    }

    #[test]
    fn every_kind_is_registered_once_in_a_group_of_its_mesh() {
        let mut seen = std::collections::HashSet::new();
        for kind in MeshKind::ALL {
            assert!(seen.insert((kind.group(), kind.name())), "{kind} twice");
            assert!(API_GROUPS.contains(&kind.api_group()), "{kind}");
            if let Some(listed) = kind.api_group().kinds() {
                assert!(
                    listed.contains(&kind.name()),
                    "{kind} not in its group's kinds"
                );
            }
            assert!(!kind.versions().is_empty(), "{kind}");
        }
    }
}
