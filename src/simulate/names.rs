//! Istio's naming rules as simulate uses them, in one place so that the
//! shared mesh layer can replace them: host names (short names, wildcards,
//! specificity), `exportTo` visibility, gateway references, and the order
//! among configurations.

use crate::model::Object;

/// The gateway name of sidecars.
pub const MESH: &str = "mesh";

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

/// Istio's `exportTo`: empty is public; `.` is the own namespace.
pub fn exported_to(export_to: &[String], own: &str, namespace: &str) -> bool {
    export_to.is_empty()
        || export_to
            .iter()
            .any(|e| e == "*" || e == namespace || (e == "." && own == namespace))
}

/// A gateway reference as a resource of `namespace` writes it, to
/// `ns/name` (`mesh` stays).
pub fn resolve_gateway(name: &str, namespace: &str) -> String {
    if name == MESH {
        return name.to_string();
    }
    match name.split_once('/') {
        Some((".", rest)) => format!("{namespace}/{rest}"),
        Some(_) => name.to_string(),
        None => match name.split_once('.') {
            // Legacy `name.ns[.svc.cluster.local]`.
            Some((short, rest)) => {
                let ns = rest.split('.').next().unwrap_or(rest);
                format!("{ns}/{short}")
            }
            None => format!("{namespace}/{name}"),
        },
    }
}

/// `(namespace, host)` of a Gateway server's host entry (`*` when no
/// namespace; `.` is the gateway's own).
pub fn split_server_host(entry: &str, gateway_namespace: &str) -> (String, String) {
    match entry.split_once('/') {
        Some((".", dns)) => (gateway_namespace.to_string(), dns.to_ascii_lowercase()),
        Some((ns, dns)) => (ns.to_string(), dns.to_ascii_lowercase()),
        None => ("*".to_string(), entry.to_ascii_lowercase()),
    }
}

/// A host written in a resource of `namespace`, as Istio resolves it: a
/// short name (no dot) is a Service of that namespace
/// (`name.ns.svc.<domain>`); `*`, IP addresses and dotted names are taken
/// as written.
pub fn resolve(host: &str, namespace: &str, domain: &str) -> String {
    let host = host.to_ascii_lowercase();
    if host == "*" || host.contains('.') || host.contains(':') || host.is_empty() {
        host
    } else {
        format!("{host}.{namespace}.svc.{domain}")
    }
}

/// Istio's `host.Name.Matches`: equal names, or a wildcard (`*.foo.com`,
/// `*`) covering the other name or wildcard.
pub fn matches(a: &str, b: &str) -> bool {
    match (a.strip_prefix('*'), b.strip_prefix('*')) {
        (Some(a), Some(b)) => a.ends_with(b) || b.ends_with(a),
        (Some(suffix), None) => b.ends_with(suffix),
        (None, Some(suffix)) => a.ends_with(suffix),
        (None, None) => a == b,
    }
}

/// Istio's `host.Name.SubsetOf`: every name `a` covers, `b` covers too.
pub fn subset_of(a: &str, b: &str) -> bool {
    match (a.strip_prefix('*'), b.strip_prefix('*')) {
        (Some(a), Some(b)) => a.ends_with(b),
        (Some(_), None) => false,
        (None, Some(suffix)) => a.ends_with(suffix),
        (None, None) => a == b,
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
    fn short_names_expand_in_their_namespace_with_the_cluster_domain() {
        assert_eq!(
            resolve("reviews", "shop", "cluster.local"),
            "reviews.shop.svc.cluster.local"
        );
        assert_eq!(
            resolve("reviews", "shop", "corp.internal"),
            "reviews.shop.svc.corp.internal"
        );
        assert_eq!(
            resolve("reviews.other", "shop", "cluster.local"),
            "reviews.other"
        );
        assert_eq!(resolve("*", "shop", "cluster.local"), "*");
    }

    #[test]
    fn wildcards_match_and_the_most_specific_wins() {
        assert!(matches("*.example.com", "a.example.com"));
        assert!(!matches("*.example.com", "example.com"));
        assert!(matches("*", "anything"));
        assert!(matches("*.b.com", "*.a.b.com"));
        assert!(specificity("a.example.com") > specificity("*.example.com"));
        assert!(specificity("*.example.com") > specificity("*.com"));
        assert!(specificity("*.com") > specificity("*"));
        assert_eq!(narrower("*.example.com", "a.example.com"), "a.example.com");
    }

    #[test]
    fn subset_is_one_directional() {
        assert!(subset_of("a.example.com", "*.example.com"));
        assert!(subset_of("*.a.example.com", "*.example.com"));
        assert!(!subset_of("*.example.com", "a.example.com"));
        assert!(subset_of("anything", "*"));
    }

    #[test]
    fn gateway_names_resolve_like_istio() {
        assert_eq!(resolve_gateway("gw", "shop"), "shop/gw");
        assert_eq!(resolve_gateway("./gw", "shop"), "shop/gw");
        assert_eq!(resolve_gateway("ingress/gw", "shop"), "ingress/gw");
        assert_eq!(
            resolve_gateway("gw.ingress.svc.cluster.local", "shop"),
            "ingress/gw"
        );
        assert_eq!(resolve_gateway("mesh", "shop"), "mesh");
    }

    #[test]
    fn export_to_is_public_by_default() {
        assert!(exported_to(&[], "a", "b"));
        assert!(exported_to(&[".".into()], "a", "a"));
        assert!(!exported_to(&[".".into()], "a", "b"));
        assert!(exported_to(&["b".into()], "a", "b"));
    }

    #[test]
    fn request_hosts_expand_like_service_domains() {
        let known = |h: &str| h == "reviews.shop.svc.cluster.local";
        let expand = |h| expand_request_host(h, "default", "cluster.local", known);
        assert_eq!(expand("reviews"), "reviews.default.svc.cluster.local");
        assert_eq!(expand("reviews.shop"), "reviews.shop.svc.cluster.local");
        assert_eq!(expand("reviews.shop.svc"), "reviews.shop.svc.cluster.local");
        assert_eq!(expand("example.com"), "example.com");
    }
}
