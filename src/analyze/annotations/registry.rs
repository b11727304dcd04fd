//! The facts meshctl needs about Istio's resource annotations (the registry
//! istio/api publishes in `annotation/annotations.yaml`): each one's name,
//! the kinds of resource it belongs on, whether it is deprecated, and the
//! kind of value the sidecar injector accepts for it.

/// A kind of resource an annotation belongs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Any resource.
    Any,
    AuthorizationPolicy,
    Gateway,
    GatewayClass,
    Ingress,
    Namespace,
    Pod,
    Service,
    ServiceEntry,
    WorkloadEntry,
}

impl Target {
    pub fn kind(self) -> &'static str {
        match self {
            Target::Any => "Any",
            Target::AuthorizationPolicy => "AuthorizationPolicy",
            Target::Gateway => "Gateway",
            Target::GatewayClass => "GatewayClass",
            Target::Ingress => "Ingress",
            Target::Namespace => "Namespace",
            Target::Pod => "Pod",
            Target::Service => "Service",
            Target::ServiceEntry => "ServiceEntry",
            Target::WorkloadEntry => "WorkloadEntry",
        }
    }
}

/// What the injector accepts as an annotation's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// Not checked.
    Any,
    /// `REDIRECT`, `TPROXY` or `NONE`.
    InterceptionMode,
    /// One port number.
    Port,
    /// A non-negative 32-bit integer.
    UInt32,
    /// A comma-separated list of CIDR blocks (may be empty).
    Cidrs,
    /// `*` or a list of CIDR blocks.
    CidrsOrAll,
    /// A comma-separated list of ports (may be empty).
    Ports,
    /// `*` or a list of ports.
    PortsOrAll,
    /// A comma-separated list of network interface names.
    Interfaces,
    /// A boolean as Go parses it (`true`, `1`, `F`, ...).
    Bool,
    /// A ProxyConfig in YAML.
    ProxyConfig,
    /// A Kubernetes resource quantity (`100m`, `1Gi`).
    Quantity,
}

/// One annotation of the registry.
#[derive(Debug)]
pub struct Annotation {
    pub name: &'static str,
    pub targets: &'static [Target],
    pub deprecated: bool,
    pub value: ValueKind,
    /// Part of an alpha-phase feature (Istio's `featureStatus`, Alpha
    /// where the registry gives none).
    pub alpha: bool,
}

/// The annotation of this name, if Istio defines it.
pub fn lookup(name: &str) -> Option<&'static Annotation> {
    ANNOTATIONS
        .binary_search_by(|a| a.name.cmp(name))
        .ok()
        .map(|i| &ANNOTATIONS[i])
}

use Annotation as A;
use Target as T;
use ValueKind as V;

/// Sorted by name, for [`lookup`].
#[rustfmt::skip]
static ANNOTATIONS: &[Annotation] = &[
    A { name: "alpha.istio.io/canonical-serviceaccounts", targets: &[T::Service], deprecated: true, value: V::Any, alpha: true },
    A { name: "alpha.istio.io/kubernetes-serviceaccounts", targets: &[T::Service], deprecated: true, value: V::Any, alpha: true },
    A { name: "ambient.istio.io/bypass-inbound-capture", targets: &[T::Pod], deprecated: false, value: V::Any, alpha: true },
    A { name: "ambient.istio.io/dns-capture", targets: &[T::Pod], deprecated: false, value: V::Any, alpha: true },
    A { name: "ambient.istio.io/redirection", targets: &[T::Pod], deprecated: false, value: V::Any, alpha: false },
    A { name: "ambient.istio.io/waypoint-inbound-binding", targets: &[T::GatewayClass, T::Gateway], deprecated: false, value: V::Any, alpha: true },
    A { name: "galley.istio.io/analyze-suppress", targets: &[T::Any], deprecated: false, value: V::Any, alpha: true },
    A { name: "gateway.istio.io/controller-version", targets: &[T::Any], deprecated: false, value: V::Any, alpha: true },
    A { name: "gateway.istio.io/name-override", targets: &[T::Gateway], deprecated: false, value: V::Any, alpha: true },
    A { name: "gateway.istio.io/service-account", targets: &[T::Gateway], deprecated: false, value: V::Any, alpha: true },
    A { name: "inject.istio.io/templates", targets: &[T::Pod], deprecated: false, value: V::Any, alpha: true },
    A { name: "istio.io/autoRegistrationGroup", targets: &[T::WorkloadEntry], deprecated: false, value: V::Any, alpha: true },
    A { name: "istio.io/connectedAt", targets: &[T::WorkloadEntry], deprecated: false, value: V::Any, alpha: true },
    A { name: "istio.io/disconnectedAt", targets: &[T::WorkloadEntry], deprecated: false, value: V::Any, alpha: true },
    A { name: "istio.io/dry-run", targets: &[T::AuthorizationPolicy], deprecated: false, value: V::Any, alpha: true },
    A { name: "istio.io/reroute-virtual-interfaces", targets: &[T::Pod], deprecated: false, value: V::Interfaces, alpha: true },
    A { name: "istio.io/rev", targets: &[T::Pod], deprecated: false, value: V::Any, alpha: true },
    A { name: "istio.io/use-waypoint-canary-weight", targets: &[T::Service, T::ServiceEntry, T::Namespace], deprecated: false, value: V::Any, alpha: true },
    A { name: "istio.io/workloadController", targets: &[T::WorkloadEntry], deprecated: false, value: V::Any, alpha: true },
    A { name: "kubernetes.io/ingress.class", targets: &[T::Ingress], deprecated: false, value: V::Any, alpha: false },
    A { name: "networking.istio.io/exportTo", targets: &[T::Service], deprecated: false, value: V::Any, alpha: true },
    A { name: "networking.istio.io/service-type", targets: &[T::Gateway], deprecated: false, value: V::Any, alpha: true },
    A { name: "networking.istio.io/traffic-distribution", targets: &[T::Namespace, T::Service, T::ServiceEntry], deprecated: false, value: V::Any, alpha: true },
    A { name: "prometheus.istio.io/merge-metrics", targets: &[T::Pod], deprecated: false, value: V::Bool, alpha: true },
    A { name: "proxy.istio.io/config", targets: &[T::Pod], deprecated: false, value: V::ProxyConfig, alpha: false },
    A { name: "proxy.istio.io/overrides", targets: &[T::Pod], deprecated: false, value: V::Any, alpha: true },
    A { name: "readiness.status.sidecar.istio.io/applicationPorts", targets: &[T::Pod], deprecated: false, value: V::Any, alpha: true },
    A { name: "readiness.status.sidecar.istio.io/failureThreshold", targets: &[T::Pod], deprecated: false, value: V::UInt32, alpha: true },
    A { name: "readiness.status.sidecar.istio.io/initialDelaySeconds", targets: &[T::Pod], deprecated: false, value: V::UInt32, alpha: true },
    A { name: "readiness.status.sidecar.istio.io/periodSeconds", targets: &[T::Pod], deprecated: false, value: V::UInt32, alpha: true },
    A { name: "sidecar.istio.io/agentLogLevel", targets: &[T::Pod], deprecated: false, value: V::Any, alpha: true },
    A { name: "sidecar.istio.io/bootstrapOverride", targets: &[T::Pod], deprecated: false, value: V::Any, alpha: true },
    A { name: "sidecar.istio.io/componentLogLevel", targets: &[T::Pod], deprecated: false, value: V::Any, alpha: true },
    A { name: "sidecar.istio.io/discoveryAddress", targets: &[T::Pod], deprecated: true, value: V::Any, alpha: true },
    A { name: "sidecar.istio.io/extraStatTags", targets: &[T::Pod], deprecated: true, value: V::Any, alpha: true },
    A { name: "sidecar.istio.io/inject", targets: &[T::Pod], deprecated: true, value: V::Any, alpha: false },
    A { name: "sidecar.istio.io/interceptionMode", targets: &[T::Pod], deprecated: false, value: V::InterceptionMode, alpha: true },
    A { name: "sidecar.istio.io/logLevel", targets: &[T::Pod], deprecated: false, value: V::Any, alpha: true },
    A { name: "sidecar.istio.io/nativeSidecar", targets: &[T::Pod], deprecated: false, value: V::Any, alpha: true },
    A { name: "sidecar.istio.io/proxyCPU", targets: &[T::Pod], deprecated: false, value: V::Quantity, alpha: true },
    A { name: "sidecar.istio.io/proxyCPULimit", targets: &[T::Pod], deprecated: false, value: V::Quantity, alpha: true },
    A { name: "sidecar.istio.io/proxyImage", targets: &[T::Pod], deprecated: false, value: V::Any, alpha: true },
    A { name: "sidecar.istio.io/proxyImageType", targets: &[T::Pod], deprecated: false, value: V::Any, alpha: true },
    A { name: "sidecar.istio.io/proxyMemory", targets: &[T::Pod], deprecated: false, value: V::Quantity, alpha: true },
    A { name: "sidecar.istio.io/proxyMemoryLimit", targets: &[T::Pod], deprecated: false, value: V::Quantity, alpha: true },
    A { name: "sidecar.istio.io/rewriteAppHTTPProbers", targets: &[T::Pod], deprecated: false, value: V::Any, alpha: true },
    A { name: "sidecar.istio.io/statsCompression", targets: &[T::Pod], deprecated: true, value: V::Any, alpha: true },
    A { name: "sidecar.istio.io/statsEvictionInterval", targets: &[T::Pod], deprecated: false, value: V::Any, alpha: true },
    A { name: "sidecar.istio.io/statsFlushInterval", targets: &[T::Pod], deprecated: false, value: V::Any, alpha: true },
    A { name: "sidecar.istio.io/statsHistogramBins", targets: &[T::Pod], deprecated: false, value: V::Any, alpha: true },
    A { name: "sidecar.istio.io/statsHistogramBuckets", targets: &[T::Pod], deprecated: false, value: V::Any, alpha: true },
    A { name: "sidecar.istio.io/statsInclusionPrefixes", targets: &[T::Pod], deprecated: true, value: V::Any, alpha: true },
    A { name: "sidecar.istio.io/statsInclusionRegexps", targets: &[T::Pod], deprecated: true, value: V::Any, alpha: true },
    A { name: "sidecar.istio.io/statsInclusionSuffixes", targets: &[T::Pod], deprecated: true, value: V::Any, alpha: true },
    A { name: "sidecar.istio.io/status", targets: &[T::Pod], deprecated: false, value: V::Any, alpha: true },
    A { name: "sidecar.istio.io/userVolume", targets: &[T::Pod], deprecated: false, value: V::Any, alpha: true },
    A { name: "sidecar.istio.io/userVolumeMount", targets: &[T::Pod], deprecated: false, value: V::Any, alpha: true },
    A { name: "status.sidecar.istio.io/port", targets: &[T::Pod], deprecated: false, value: V::Port, alpha: true },
    A { name: "topology.istio.io/controlPlaneClusters", targets: &[T::Namespace], deprecated: false, value: V::Any, alpha: true },
    A { name: "traffic.istio.io/nodeSelector", targets: &[T::Service], deprecated: false, value: V::Any, alpha: false },
    A { name: "traffic.sidecar.istio.io/excludeInboundPorts", targets: &[T::Pod], deprecated: false, value: V::Ports, alpha: true },
    A { name: "traffic.sidecar.istio.io/excludeInterfaces", targets: &[T::Pod], deprecated: false, value: V::Interfaces, alpha: true },
    A { name: "traffic.sidecar.istio.io/excludeOutboundIPRanges", targets: &[T::Pod], deprecated: false, value: V::Cidrs, alpha: true },
    A { name: "traffic.sidecar.istio.io/excludeOutboundPorts", targets: &[T::Pod], deprecated: false, value: V::Ports, alpha: true },
    A { name: "traffic.sidecar.istio.io/includeInboundPorts", targets: &[T::Pod], deprecated: false, value: V::PortsOrAll, alpha: true },
    A { name: "traffic.sidecar.istio.io/includeOutboundIPRanges", targets: &[T::Pod], deprecated: false, value: V::CidrsOrAll, alpha: true },
    A { name: "traffic.sidecar.istio.io/includeOutboundPorts", targets: &[T::Pod], deprecated: false, value: V::Any, alpha: true },
    A { name: "traffic.sidecar.istio.io/kubevirtInterfaces", targets: &[T::Pod], deprecated: true, value: V::Interfaces, alpha: true },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_for_lookup() {
        assert!(ANNOTATIONS.windows(2).all(|w| w[0].name < w[1].name));
        let inject = lookup("sidecar.istio.io/inject").unwrap();
        assert!(inject.deprecated);
        assert_eq!(inject.targets, &[Target::Pod]);
        assert_eq!(
            lookup("kubernetes.io/ingress.class").unwrap().targets,
            &[Target::Ingress]
        );
        assert!(lookup("networking.istio.io/exportThree").is_none());
    }
}
