//! The naming rules only simulate needs, beside the shared ones of
//! [`crate::mesh`]: how specifically Envoy matches a virtual host domain,
//! how a client's sidecar expands a request host, the `ns/name` keys of
//! objects and gateway references, and Istio's order among configurations.

use crate::mesh::gateway;
use crate::model::Object;

/// `namespace/name` of an object.
pub fn qualified(object: &Object) -> String {
    format!(
        "{}/{}",
        object.namespace.as_deref().unwrap_or_default(),
        object.name
    )
}

/// Istio's order among configurations: creation time, then name, then
/// namespace.
pub fn creation_order(object: &Object) -> impl Ord + '_ {
    (
        object.metadata().creation_timestamp.clone(),
        object.name.as_str(),
        object.namespace.as_deref().unwrap_or_default(),
    )
}

/// A gateway reference as a resource of `namespace` writes it, as the
/// `ns/name` key simulate indexes Gateways by (`mesh` stays).
pub fn gateway_name(reference: &str, namespace: &str) -> String {
    match gateway::resolve(reference, namespace).named() {
        Some((ns, name)) => format!("{ns}/{name}"),
        None => gateway::MESH.to_string(),
    }
}

/// How specifically `pattern` names `host` (which it must match): an exact
/// name beats any wildcard, and a longer wildcard beats a shorter one, as
/// Envoy picks virtual hosts.
pub fn specificity(pattern: &str) -> (u8, usize) {
    match pattern.strip_prefix('*') {
        Some(suffix) => (0, suffix.len()),
        None => (1, pattern.len()),
    }
}

/// The narrower of two overlapping hosts (the one the other covers).
pub fn narrower<'a>(a: &'a str, b: &'a str) -> &'a str {
    if specificity(a) >= specificity(b) {
        a
    } else {
        b
    }
}

/// A request host as the client's sidecar resolves it: the domains of a
/// Service include `name` (from its own namespace), `name.ns` and
/// `name.ns.svc`, so those forms reach `name.ns.svc.<domain>`. `known`
/// says whether a full name is a Service.
pub fn expand_request_host(
    host: &str,
    source_namespace: &str,
    domain: &str,
    known: impl Fn(&str) -> bool,
) -> String {
    // An address names no Service by its name: nothing to expand.
    if host.parse::<std::net::IpAddr>().is_ok() {
        return host.to_string();
    }
    let dots = host.matches('.').count();
    let candidate = if dots == 0 {
        Some(format!("{host}.{source_namespace}.svc.{domain}"))
    } else if host.ends_with(".svc") && dots == 2 {
        Some(format!("{host}.{domain}"))
    } else if dots == 1 {
        Some(format!("{host}.svc.{domain}"))
    } else {
        None
    };
    match candidate {
        Some(full) if dots == 0 || known(&full) => full,
        _ => host.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_specific_domain_wins() {
        assert!(specificity("a.example.com") > specificity("*.example.com"));
        assert!(specificity("*.example.com") > specificity("*.com"));
        assert!(specificity("*.com") > specificity("*"));
        assert_eq!(narrower("*.example.com", "a.example.com"), "a.example.com");
    }

    #[test]
    fn gateway_references_become_index_keys() {
        assert_eq!(gateway_name("gw", "shop"), "shop/gw");
        assert_eq!(
            gateway_name("gw.ingress.svc.cluster.local", "shop"),
            "ingress/gw"
        );
        assert_eq!(gateway_name("mesh", "shop"), "mesh");
    }

    #[test]
    fn request_hosts_expand_like_service_domains() {
        let known = |h: &str| h == "reviews.shop.svc.cluster.local";
        let expand = |h| expand_request_host(h, "default", "cluster.local", known);
        assert_eq!(expand("reviews"), "reviews.default.svc.cluster.local");
        assert_eq!(expand("reviews.shop"), "reviews.shop.svc.cluster.local");
        assert_eq!(expand("reviews.shop.svc"), "reviews.shop.svc.cluster.local");
        assert_eq!(expand("example.com"), "example.com");
        assert_eq!(expand("::1"), "::1");
        assert_eq!(expand("fd00::7"), "fd00::7");
    }
}
