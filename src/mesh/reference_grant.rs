//! ReferenceGrants: which Gateway API routes of another namespace may
//! refer to a namespace's objects (Istio's `BackendAllowed` in
//! `pilot/pkg/config/kube/gateway/`). A grant lives in the namespace of
//! the objects it opens; it names the routes `from` (group, kind and
//! namespace) and the objects `to` (group and kind, and a name or all).

use std::collections::HashMap;

use crate::model::gateway_api::ReferenceGrantSpec;

/// The group routes belong to, as a grant's `from` names them.
const GATEWAY_API: &str = "gateway.networking.k8s.io";

/// A reference from a route to an object of another namespace.
pub struct CrossReference<'r> {
    /// `HTTPRoute`, `GRPCRoute`, ...
    pub route_kind: &'r str,
    pub route_namespace: &'r str,
    /// The referred object: namespace, group (`""` for the core group),
    /// kind and name.
    pub namespace: &'r str,
    pub group: &'r str,
    pub kind: &'r str,
    pub name: &'r str,
}

/// The grants of a configuration, by the namespace they open, built once.
#[derive(Default)]
pub struct ReferenceGrants<'a> {
    by_namespace: HashMap<&'a str, Vec<&'a ReferenceGrantSpec>>,
}

impl<'a> ReferenceGrants<'a> {
    /// Indexes `(namespace, grant)` pairs.
    pub fn new(grants: impl IntoIterator<Item = (&'a str, &'a ReferenceGrantSpec)>) -> Self {
        let mut by_namespace: HashMap<&str, Vec<&ReferenceGrantSpec>> = HashMap::new();
        for (namespace, grant) in grants {
            by_namespace.entry(namespace).or_default().push(grant);
        }
        ReferenceGrants { by_namespace }
    }

    /// Whether a grant in the referred object's namespace allows the
    /// reference.
    pub fn allow(&self, reference: &CrossReference) -> bool {
        let grants = self.by_namespace.get(reference.namespace);
        grants.into_iter().flatten().any(|grant| {
            let from = grant.from.iter().any(|f| {
                f.group.as_deref() == Some(GATEWAY_API)
                    && f.kind.as_deref() == Some(reference.route_kind)
                    && f.namespace.as_deref() == Some(reference.route_namespace)
            });
            let to = grant.to.iter().any(|t| {
                t.group.as_deref().unwrap_or_default() == reference.group
                    && t.kind.as_deref() == Some(reference.kind)
                    && t.name
                        .as_deref()
                        .is_none_or(|n| n.is_empty() || n == reference.name)
            });
            from && to
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::gateway_api::reference_grant::{
        From as ReferenceGrantFrom, To as ReferenceGrantTo,
    };

    fn grant(kind: &str, to_name: Option<&str>) -> ReferenceGrantSpec {
        ReferenceGrantSpec {
            from: vec![ReferenceGrantFrom {
                group: Some(GATEWAY_API.into()),
                kind: Some(kind.into()),
                namespace: Some("shop".into()),
            }],
            to: vec![ReferenceGrantTo {
                group: Some(String::new()),
                kind: Some("Service".into()),
                name: to_name.map(Into::into),
            }],
        }
    }

    fn reference<'r>(route_kind: &'r str, namespace: &'r str, name: &'r str) -> CrossReference<'r> {
        CrossReference {
            route_kind,
            route_namespace: "shop",
            namespace,
            group: "",
            kind: "Service",
            name,
        }
    }

    #[test]
    fn a_grant_opens_its_own_namespace_to_the_routes_it_names() {
        let all = grant("HTTPRoute", None);
        let one = grant("GRPCRoute", Some("ratings"));
        let grants = ReferenceGrants::new([("backend", &all), ("backend", &one)]);
        assert!(grants.allow(&reference("HTTPRoute", "backend", "reviews")));
        assert!(grants.allow(&reference("GRPCRoute", "backend", "ratings")));
        assert!(!grants.allow(&reference("GRPCRoute", "backend", "reviews")));
        assert!(!grants.allow(&reference("TCPRoute", "backend", "reviews")));
        assert!(!grants.allow(&reference("HTTPRoute", "other", "reviews")));
    }
}
