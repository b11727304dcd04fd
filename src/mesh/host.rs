//! Host names as Istio reads them (`pkg/config/host`,
//! `model.ResolveShortnameToFQDN`): short names resolved in a namespace
//! under the cluster's DNS domain, and wildcard hosts (`*.example.com`,
//! `*`) that cover other names.

use std::collections::HashMap;

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

/// Istio's `Names.Intersection`: the names both lists cover, each the
/// narrower of an overlapping pair (`*.com` and `*.example.com` give
/// `*.example.com`), in the order of `hosts`, each once.
pub fn intersection(hosts: &[String], other: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for host in hosts {
        for o in other {
            let narrower = if is_subset_of(host, o) {
                host
            } else if is_subset_of(o, host) {
                o
            } else {
                continue;
            };
            if !out.contains(narrower) {
                out.push(narrower.clone());
            }
        }
    }
    out
}

/// Which hosts of one list overlap each other ([`overlaps`]), found through
/// indexes on the hosts' dot-suffixes instead of by comparing every pair: a
/// VirtualService may list tens of thousands of hosts. Hosts must be valid
/// names (`*`, `*.rest`, or plain), as Istio checks overlap only then.
pub struct OverlapIndex<'a> {
    /// Plain hosts by name.
    plain: HashMap<&'a str, Vec<usize>>,
    /// Wildcards `*.rest` by `.rest`.
    wildcards: HashMap<&'a str, Vec<usize>>,
    /// Every host under each dot-suffix it ends with: `a.b.com` under `.b.com`
    /// and `.com`, `*.b.com` under `.b.com` and `.com`.
    under: HashMap<&'a str, Vec<usize>>,
    /// Hosts written `*`, which overlap everything.
    stars: Vec<usize>,
    len: usize,
}

impl<'a> OverlapIndex<'a> {
    pub fn new(hosts: &'a [String]) -> Self {
        let mut index = OverlapIndex {
            plain: HashMap::new(),
            wildcards: HashMap::new(),
            under: HashMap::new(),
            stars: Vec::new(),
            len: hosts.len(),
        };
        for (i, host) in hosts.iter().enumerate() {
            let name = match host.strip_prefix('*') {
                Some("") => {
                    index.stars.push(i);
                    continue;
                }
                Some(suffix) => {
                    index.wildcards.entry(suffix).or_default().push(i);
                    suffix
                }
                None => {
                    index.plain.entry(host).or_default().push(i);
                    host.as_str()
                }
            };
            for suffix in dot_suffixes(name) {
                index.under.entry(suffix).or_default().push(i);
            }
        }
        index
    }

    /// The hosts after host `i` of `hosts` that overlap it, in list order:
    /// the first `limit` of them, and how many there are in all.
    pub fn overlapping_after(
        &self,
        hosts: &[String],
        i: usize,
        limit: usize,
    ) -> (Vec<usize>, usize) {
        let host = hosts[i].as_str();
        if host == "*" {
            let after = i + 1..self.len;
            return (after.clone().take(limit).collect(), after.len());
        }
        // Each list holds a different class of partner, so no host is counted twice.
        let mut lists: Vec<&[usize]> = vec![&self.stars];
        match host.strip_prefix('*') {
            Some(suffix) => {
                // Narrower or equal wildcards and the plain names under it...
                lists.extend(self.under.get(suffix).map(Vec::as_slice));
                // ...and the broader wildcards it sits under.
                lists.extend(
                    dot_suffixes(suffix)
                        .skip(1)
                        .filter_map(|broader| self.wildcards.get(broader).map(Vec::as_slice)),
                );
            }
            None => {
                lists.extend(self.plain.get(host).map(Vec::as_slice));
                lists.extend(
                    dot_suffixes(host).filter_map(|s| self.wildcards.get(s).map(Vec::as_slice)),
                );
            }
        }
        let mut first = Vec::new();
        let mut total = 0;
        for list in lists {
            let after = &list[list.partition_point(|&j| j <= i)..];
            total += after.len();
            first.extend(after.iter().take(limit));
        }
        first.sort_unstable();
        first.truncate(limit);
        (first, total)
    }
}

/// The suffixes of `name` that start at one of its dots, longest first:
/// `.b.com` and `.com` for `a.b.com`; `.b.com` and `.com` for `.b.com`.
fn dot_suffixes(name: &str) -> impl Iterator<Item = &str> {
    name.match_indices('.').map(move |(at, _)| &name[at..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intersection_keeps_the_narrower_of_each_overlapping_pair() {
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let cases: [(&[&str], &[&str], &[&str]); 5] = [
            (&["foo.com", "bar.com"], &["*.com"], &["foo.com", "bar.com"]),
            (
                &["foo.com", "*.net"],
                &["*.com", "bar.net"],
                &["foo.com", "bar.net"],
            ),
            (&["foo.com", "*.net"], &["*.bar.net"], &["*.bar.net"]),
            (&["foo.com"], &["bar.com"], &[]),
            (&["*"], &["*.example.com"], &["*.example.com"]),
        ];
        for (a, b, want) in cases {
            assert_eq!(
                intersection(&names(a), &names(b)),
                names(want),
                "{a:?} {b:?}"
            );
        }
    }

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
    fn the_overlap_index_finds_the_pairs_that_comparing_every_pair_finds() {
        let hosts: Vec<String> = [
            "*",
            "a.b.com",
            "*.b.com",
            "b.com",
            "*.com",
            "a.b.com",
            "*.c.b.com",
            "x.c.b.com",
            "*.b.com",
            "ab.com",
            "10.0.0.1",
            "*.0.0.1",
            "*.org",
        ]
        .iter()
        .map(|h| h.to_string())
        .collect();
        let index = OverlapIndex::new(&hosts);
        for i in 0..hosts.len() {
            let expected: Vec<usize> = (i + 1..hosts.len())
                .filter(|&j| overlaps(&hosts[i], &hosts[j]))
                .collect();
            let (first, total) = index.overlapping_after(&hosts, i, usize::MAX);
            assert_eq!(first, expected, "partners of {}", hosts[i]);
            assert_eq!(total, expected.len());
            let (two, total) = index.overlapping_after(&hosts, i, 2);
            assert_eq!(two, expected.iter().copied().take(2).collect::<Vec<_>>());
            assert_eq!(total, expected.len());
        }
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
