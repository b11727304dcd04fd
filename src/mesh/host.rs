//! Host names as Istio reads them (`pkg/config/host`,
//! `model.ResolveShortnameToFQDN`): short names resolved in a namespace
//! under the cluster's DNS domain, and wildcard hosts (`*.example.com`,
//! `*`) that cover other names.

use super::cidr::is_ip_address;

/// The DNS domain of a cluster's Services unless the run says otherwise
/// (Istio's `--domain`, Kubernetes' `--cluster-domain`).
pub const DEFAULT_CLUSTER_DOMAIN: &str = "cluster.local";

/// The DNS name of a Kubernetes Service: `name.namespace.svc.<domain>`.
pub fn service_host(name: &str, namespace: &str, domain: &str) -> String {
    format!("{name}.{namespace}.svc.{domain}")
}

/// A host written in a resource of `namespace`, as Istio resolves it: a
/// short name (no dot) is a Service of that namespace; `*`, IP addresses
/// and dotted names are taken as written (`reviews.other` is not expanded).
pub fn resolve(host: &str, namespace: &str, domain: &str) -> String {
    if host.is_empty() || host == "*" || host.contains('.') || is_ip_address(host) {
        host.to_string()
    } else {
        service_host(host, namespace, domain)
    }
}

/// Istio's `Name.Matches`: whether two hosts overlap. Plain names overlap
/// when equal; a wildcard covers every name (or narrower wildcard) that ends
/// with what follows its `*`, in either direction.
pub fn overlaps(a: &str, b: &str) -> bool {
    match (a.strip_prefix('*'), b.strip_prefix('*')) {
        (Some(a), Some(b)) => a.ends_with(b) || b.ends_with(a),
        (Some(suffix), None) => b.ends_with(suffix),
        (None, Some(suffix)) => a.ends_with(suffix),
        (None, None) => a == b,
    }
}

/// Istio's `Name.SubsetOf`: whether every name `host` covers is covered by
/// `pattern` (overlap in one direction: a wildcard is never a subset of a
/// plain name).
pub fn is_subset_of(host: &str, pattern: &str) -> bool {
    match (host.strip_prefix('*'), pattern.strip_prefix('*')) {
        (Some(host), Some(pattern)) => host.ends_with(pattern),
        (Some(_), None) => false,
        (None, Some(suffix)) => host.ends_with(suffix),
        (None, None) => host == pattern,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_resolve_in_their_namespace_under_the_given_domain() {
        assert_eq!(
            resolve("reviews", "shop", DEFAULT_CLUSTER_DOMAIN),
            "reviews.shop.svc.cluster.local"
        );
        assert_eq!(
            resolve("reviews", "shop", "corp.internal"),
            "reviews.shop.svc.corp.internal"
        );
        assert_eq!(resolve("reviews.other", "shop", "x"), "reviews.other");
        assert_eq!(resolve("*", "shop", "x"), "*");
        assert_eq!(resolve("", "shop", "x"), "");
    }

    #[test]
    fn ip_addresses_are_not_expanded() {
        assert_eq!(resolve("::1", "shop", "x"), "::1");
        assert_eq!(resolve("fe80::1%eth0", "shop", "x"), "fe80::1%eth0");
    }

    #[test]
    fn overlap_follows_istio_matches() {
        assert!(overlaps("foo.com", "foo.com"));
        assert!(!overlaps("foo.com", "bar.com"));
        assert!(overlaps("*.com", "foo.com"));
        assert!(overlaps("bar.com", "*.com"));
        assert!(!overlaps("*.foo.com", "foo.com"));
        assert!(overlaps("*", "foo.com"));
        assert!(overlaps("*", "*.com"));
        assert!(overlaps("*.foo.com", "*.com"));
        assert!(!overlaps("*.foo.com", "*.bar.com"));
    }

    #[test]
    fn subset_is_overlap_in_one_direction() {
        assert!(is_subset_of("foo.com", "*.com"));
        assert!(!is_subset_of("*.com", "foo.com"));
        assert!(is_subset_of("*.foo.com", "*.com"));
        assert!(!is_subset_of("*.com", "*.foo.com"));
        assert!(is_subset_of("*.com", "*"));
        assert!(is_subset_of("a.com", "a.com"));
        assert!(!is_subset_of("a.com", "b.com"));
    }
}
