//! Hosts that several VirtualServices bound to the mesh gateway define for
//! the same namespaces (IST0109).

use std::collections::{HashMap, HashSet};

use super::super::{Analyzer, Report};
use super::{full_name, namespace_of, virtual_services};
use crate::mesh::gateway::binds_mesh;
use crate::mesh::visibility::{ExportTo, PUBLIC as ALL_NAMESPACES};
use crate::model::Object;
use crate::report::{Example, Level, Rule};
use crate::snapshot::Snapshot;

pub static CONFLICTING_HOSTS: Rule = Rule {
    code: "IST0109",
    name: "conflicting-mesh-gateway-virtual-service-hosts",
    level: Level::Error,
    summary: "Several VirtualServices bound to the mesh gateway define the same host.",
    kinds: &["VirtualService"],
    explanation: "Sidecars take the routes of one VirtualService per host. When several \
        VirtualServices bound to the `mesh` gateway (no `gateways`, or `mesh` among them) define \
        the same host (a short name means a Service of the VirtualService's namespace) for the \
        same namespaces, which one the sidecars use is undefined. Visibility comes from \
        `exportTo`: VirtualServices exported to every namespace conflict on equal hosts, and one \
        exported to some namespaces also conflicts with one exported everywhere whose host \
        matches (wildcards included). Merge the routes into one VirtualService, or limit them \
        with `exportTo` to different namespaces.",
    example: Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination:\n        host: reviews\n---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews-canary\nspec:\n  hosts: [reviews.default.svc.cluster.local]\n  http:\n  - route:\n    - destination:\n        host: reviews\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: reviews\nspec:\n  selector:\n    app: reviews\n  ports:\n  - name: http\n    port: 9080\n",
        fires_at: &["spec.hosts[0]", "spec.hosts[0]"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "virtualservice.ConflictingMeshGatewayHostsAnalyzer",
    rules: &[&CONFLICTING_HOSTS],
    run,
};

/// A host of a VirtualService: the object and the index in `spec.hosts`.
type Claim<'a> = (&'a Object, usize);

/// The hosts VirtualServices bound to the mesh gateway define, by scope
/// (`*`, or a namespace they are exported to) and fully qualified host, in
/// input order.
#[derive(Default)]
struct Claims<'a> {
    keys: Vec<(String, String, Vec<Claim<'a>>)>,
    index: HashMap<(String, String), usize>,
}

impl<'a> Claims<'a> {
    fn add(&mut self, scope: &str, host: String, claim: Claim<'a>) {
        let key = (scope.to_string(), host);
        let i = *self.index.entry(key.clone()).or_insert_with(|| {
            self.keys.push((key.0, key.1, Vec::new()));
            self.keys.len() - 1
        });
        self.keys[i].2.push(claim);
    }
}

/// The hosts exported to every namespace, indexed to find the ones that
/// match a host (equal, or wildcards covering one another).
#[derive(Default)]
struct Everywhere<'s> {
    /// Host as written (`*.example.com` included) to keys of [`Claims`].
    exact: HashMap<&'s str, Vec<usize>>,
    /// Wildcard hosts by their part after `*`.
    wildcards: HashMap<&'s str, Vec<usize>>,
    /// Every host (after a leading `*`) written backwards, sorted: the
    /// hosts ending in a given text are then one range. (Indexing every
    /// suffix of every host instead costs an entry per character.)
    backwards: Vec<(String, usize)>,
}

impl<'s> Everywhere<'s> {
    fn build(claims: &'s Claims) -> Self {
        let mut index = Everywhere::default();
        for (i, (scope, host, _)) in claims.keys.iter().enumerate() {
            if scope != ALL_NAMESPACES {
                continue;
            }
            index.exact.entry(host).or_default().push(i);
            let bare = host.strip_prefix('*');
            if let Some(bare) = bare {
                index.wildcards.entry(bare).or_default().push(i);
            }
            index.backwards.push((backwards(bare.unwrap_or(host)), i));
        }
        index.backwards.sort_unstable();
        index
    }

    /// Keys whose host (after a leading `*`) ends in `suffix`.
    fn ending_in(&self, suffix: &str) -> impl Iterator<Item = usize> + '_ {
        let key = backwards(suffix);
        let start = self.backwards.partition_point(|(h, _)| *h < key);
        self.backwards[start..]
            .iter()
            .take_while(move |(h, _)| h.starts_with(&key))
            .map(|&(_, i)| i)
    }

    /// Keys whose host matches `host`: equal, or a wildcard covering the
    /// other.
    fn matching(&self, host: &str) -> HashSet<usize> {
        let mut found = HashSet::new();
        let lists = |map: &'_ HashMap<&'s str, Vec<usize>>, key: &str| {
            map.get(key)
                .into_iter()
                .flatten()
                .copied()
                .collect::<Vec<_>>()
        };
        match host.strip_prefix('*') {
            None => {
                found.extend(lists(&self.exact, host));
                for suffix in suffixes(host) {
                    found.extend(lists(&self.wildcards, suffix));
                }
            }
            Some(bare) => {
                for suffix in suffixes(bare) {
                    found.extend(lists(&self.wildcards, suffix));
                }
                found.extend(self.ending_in(bare));
            }
        }
        found
    }
}

fn backwards(host: &str) -> String {
    host.chars().rev().collect()
}

/// Every suffix of a host, itself and `""` included.
fn suffixes(host: &str) -> impl Iterator<Item = &str> {
    host.char_indices()
        .map(move |(i, _)| &host[i..])
        .chain(std::iter::once(""))
}

fn run(snapshot: &Snapshot, report: &mut Report) {
    let mut claims = Claims::default();
    for (object, spec) in virtual_services(snapshot) {
        if !binds_mesh(&spec.gateways) {
            continue;
        }
        let namespace = namespace_of(object);
        let export_to =
            ExportTo::from_entries(spec.export_to.iter().map(String::as_str), namespace);
        for scope in export_to.scopes() {
            for (i, host) in spec.hosts.iter().enumerate() {
                claims.add(scope, snapshot.resolve_host(host, namespace), (object, i));
            }
        }
    }

    let everywhere = Everywhere::build(&claims);
    let mut reported: HashSet<String> = HashSet::new();
    for (scope, host, own) in &claims.keys {
        let mut all: Vec<Claim> = own.clone();
        if scope != ALL_NAMESPACES {
            let mut keys: Vec<usize> = everywhere.matching(host).into_iter().collect();
            keys.sort_unstable();
            for key in keys {
                all.extend(claims.keys[key].2.iter().copied());
            }
        }
        if all.len() < 2 {
            continue;
        }
        let mut names: Vec<String> = all.iter().map(|(o, _)| full_name(o)).collect();
        names.sort();
        names.dedup();
        let names = names.join(", ");
        let seen_by = if scope == ALL_NAMESPACES {
            "every namespace".to_string()
        } else {
            format!("namespace {scope:?}")
        };
        for (object, host_index) in all {
            if !reported.insert(full_name(object)) {
                continue;
            }
            report.report_with_help(
                &CONFLICTING_HOSTS,
                object,
                &format!("spec.hosts[{host_index}]"),
                format!(
                    "host {host:?} is defined for {seen_by} by several VirtualServices bound to the mesh gateway ({names}); which one sidecars use is undefined"
                ),
                "merge the routes into one VirtualService, or export the VirtualServices to different namespaces",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::{analyzer_tests, findings_of};

    fn vs(name: &str, namespace: &str, host: &str, extra: &str) -> String {
        format!(
            "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: {name}\n  namespace: {namespace}\nspec:\n  hosts: ['{host}']\n{extra}  http:\n  - directResponse:\n      status: 503\n---\n"
        )
    }

    analyzer_tests!(
        CONFLICTING_HOSTS,
        "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n  http:\n  - directResponse:\n      status: 503\n---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\n  namespace: other\nspec:\n  hosts: [reviews]\n  http:\n  - directResponse:\n      status: 503\n---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews-edge\nspec:\n  hosts: [reviews]\n  gateways: [istio-system/edge]\n  http:\n  - directResponse:\n      status: 503\n"
    );

    #[test]
    fn export_to_scopes_the_conflict() {
        // Both visible only in their own namespaces: no conflict.
        let apart = vs("a", "foo", "*.shop", "  exportTo: ['.']\n")
            + &vs("a", "bar", "*.shop", "  exportTo: ['.']\n");
        assert_eq!(findings_of(&CONFLICTING_HOSTS, &apart), "");
        // One exported to foo, the other everywhere with a wider wildcard.
        let wide = vs("a", "foo", "*.cart.shop", "  exportTo: [foo]\n")
            + &vs("b", "bar", "*.shop", "  exportTo: ['*']\n");
        let found = findings_of(&CONFLICTING_HOSTS, &wide);
        assert_eq!(found.lines().count(), 2, "{found}");
        assert!(found.contains("bar/b, foo/a"), "{found}");
        // Both everywhere: only equal hosts conflict.
        let both = vs("a", "foo", "*.cart.shop", "") + &vs("b", "bar", "*.shop", "");
        assert_eq!(findings_of(&CONFLICTING_HOSTS, &both), "");
        let mesh_and_edge =
            vs("a", "foo", "x.shop", "  gateways: [mesh, edge]\n") + &vs("b", "bar", "x.shop", "");
        assert_eq!(
            findings_of(&CONFLICTING_HOSTS, &mesh_and_edge)
                .lines()
                .count(),
            2
        );
    }

    /// `~` hides a VirtualService from every namespace, as Istio's push
    /// context does: hidden ones conflict with nothing (they used to
    /// conflict with each other in a namespace named `~`).
    #[test]
    fn hidden_virtual_services_do_not_conflict() {
        let hidden = vs("a", "foo", "x.shop", "  exportTo: ['~']\n")
            + &vs("b", "bar", "x.shop", "  exportTo: ['~']\n");
        assert_eq!(findings_of(&CONFLICTING_HOSTS, &hidden), "");
    }
}
