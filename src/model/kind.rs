//! The kinds meshctl models, and the apiVersions each is served at.

use std::fmt;

/// The Istio kinds meshctl reads field by field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MeshKind {
    VirtualService,
    DestinationRule,
    Gateway,
    ServiceEntry,
    Sidecar,
    AuthorizationPolicy,
    PeerAuthentication,
    RequestAuthentication,
}

const NETWORKING_VERSIONS: &[&str] = &["v1", "v1beta1", "v1alpha3"];
const SECURITY_VERSIONS: &[&str] = &["v1", "v1beta1"];

impl MeshKind {
    pub const ALL: [MeshKind; 8] = [
        MeshKind::VirtualService,
        MeshKind::DestinationRule,
        MeshKind::Gateway,
        MeshKind::ServiceEntry,
        MeshKind::Sidecar,
        MeshKind::AuthorizationPolicy,
        MeshKind::PeerAuthentication,
        MeshKind::RequestAuthentication,
    ];

    pub fn name(self) -> &'static str {
        match self {
            MeshKind::VirtualService => "VirtualService",
            MeshKind::DestinationRule => "DestinationRule",
            MeshKind::Gateway => "Gateway",
            MeshKind::ServiceEntry => "ServiceEntry",
            MeshKind::Sidecar => "Sidecar",
            MeshKind::AuthorizationPolicy => "AuthorizationPolicy",
            MeshKind::PeerAuthentication => "PeerAuthentication",
            MeshKind::RequestAuthentication => "RequestAuthentication",
        }
    }

    pub fn group(self) -> &'static str {
        match self {
            MeshKind::AuthorizationPolicy
            | MeshKind::PeerAuthentication
            | MeshKind::RequestAuthentication => "security.istio.io",
            _ => "networking.istio.io",
        }
    }

    /// Served versions, newest first.
    pub fn versions(self) -> &'static [&'static str] {
        match self.group() {
            "security.istio.io" => SECURITY_VERSIONS,
            _ => NETWORKING_VERSIONS,
        }
    }

    /// The `apiVersion` strings this kind is served at, newest first.
    pub fn api_versions(self) -> impl Iterator<Item = String> {
        self.versions()
            .iter()
            .map(move |v| format!("{}/{v}", self.group()))
    }

    /// The kind for a `kind` field, matched case-insensitively on the name
    /// (as `meshctl schema virtualservice` expects).
    pub fn from_name(name: &str) -> Option<MeshKind> {
        MeshKind::ALL
            .into_iter()
            .find(|k| k.name().eq_ignore_ascii_case(name))
    }

    /// The kind a `(group, kind)` pair names, if it is one of ours.
    pub fn from_group_kind(group: &str, kind: &str) -> Option<MeshKind> {
        MeshKind::ALL
            .into_iter()
            .find(|k| k.name() == kind && k.group() == group)
    }
}

impl fmt::Display for MeshKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
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
