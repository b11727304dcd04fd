//! VirtualService destinations whose subset no DestinationRule for their
//! host defines (IST0101).

use std::collections::HashSet;

use super::super::{Analyzer, Report};
use super::{Via, mirror_targets, namespace_of, route_targets, virtual_services};
use crate::mesh::host::DEFAULT_CLUSTER_DOMAIN;
use crate::report::{Example, Level, Rule};
use crate::snapshot::Snapshot;

pub static SUBSET_NOT_FOUND: Rule = Rule {
    code: "IST0101",
    name: "virtual-service-subset-not-found",
    level: Level::Error,
    summary: "A VirtualService routes or mirrors to a subset no DestinationRule for the host defines.",
    kinds: &["VirtualService", "DestinationRule"],
    explanation: "A `destination.subset` names one of the `subsets` of a DestinationRule whose \
        `host` is the destination's host. Hosts are compared as Service names: a short name means \
        a Service in the resource's own namespace, `name.namespace.svc.cluster.local` the Service \
        of that namespace, anything else is compared as written. When no DestinationRule \
        defines the subset, the proxy has no cluster for it and the requests fail (HTTP 503). \
        Add the subset to the host's DestinationRule, or fix its name.",
    example: Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination:\n        host: reviews\n        subset: v1\n      weight: 90\n    - destination:\n        host: reviews\n        subset: v2\n      weight: 10\n---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: reviews\nspec:\n  host: reviews\n  subsets:\n  - name: v1\n    labels:\n      version: v1\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: reviews\nspec:\n  selector:\n    app: reviews\n  ports:\n  - name: http\n    port: 9080\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: reviews-v1\n  labels:\n    app: reviews\n    version: v1\nspec:\n  containers:\n  - name: reviews\n    image: reviews:v1\n",
        fires_at: &["spec.http[0].route[1].destination.subset"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "virtualservice.DestinationRuleAnalyzer",
    rules: &[&SUBSET_NOT_FOUND],
    run,
};

/// A host as a Service `(namespace, name)`: `name.namespace.svc.cluster.local`
/// is that Service, anything else a name in `namespace` (so `reviews.other`
/// stays `reviews.other`, as Istio's analyzer compares it).
fn service_name<'a>(host: &'a str, namespace: &'a str) -> (&'a str, &'a str) {
    let suffix = format!(".svc.{DEFAULT_CLUSTER_DOMAIN}");
    host.strip_suffix(suffix.as_str())
        .and_then(|rest| rest.rsplit_once('.'))
        .filter(|(name, ns)| !name.is_empty() && !ns.is_empty())
        .map(|(name, ns)| (ns, name))
        .unwrap_or((namespace, host))
}

fn run(snapshot: &Snapshot, report: &mut Report) {
    let mut defined: HashSet<(&str, &str, &str)> = HashSet::new();
    for (object, rule) in snapshot.destination_rules() {
        let (ns, name) = service_name(
            rule.host.as_deref().unwrap_or_default(),
            namespace_of(object),
        );
        for subset in &rule.subsets {
            defined.insert((ns, name, subset.name.as_deref().unwrap_or_default()));
        }
    }
    for (object, spec) in virtual_services(snapshot) {
        let namespace = namespace_of(object);
        for target in route_targets(spec).iter().chain(&mirror_targets(spec)) {
            let Some(subset) = target.subset() else {
                continue;
            };
            let (ns, name) = service_name(target.host(), namespace);
            if defined.contains(&(ns, name, subset)) {
                continue;
            }
            // istioctl's "Referenced ... not found" lead-in, which tools parse.
            let what = match target.via {
                Via::Route => "host",
                Via::Mirror => "mirror",
            };
            report.report_with_help(
                &SUBSET_NOT_FOUND,
                object,
                &format!("{}.subset", target.path),
                format!(
                    "Referenced {what}+subset in destinationrule not found: \"{}+{subset}\" (no DestinationRule for host {:?} defines subset {subset:?})",
                    target.host(),
                    target.host()
                ),
                "add the subset to the host's DestinationRule, or fix its name",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::{analyzer_tests, findings_of};

    analyzer_tests!(
        SUBSET_NOT_FOUND,
        "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\n  namespace: shop\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination:\n        host: reviews.shop.svc.cluster.local\n        subset: v1\n    mirror:\n      host: reviews\n      subset: v1\n  - route:\n    - destination:\n        host: reviews\n---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: reviews\n  namespace: shop\nspec:\n  host: reviews\n  subsets:\n  - name: v1\n    labels:\n      version: v1\n"
    );

    #[test]
    fn short_hosts_resolve_in_their_own_namespace() {
        assert_eq!(
            service_name("reviews.shop.svc.cluster.local", "x"),
            ("shop", "reviews")
        );
        assert_eq!(service_name("reviews", "x"), ("x", "reviews"));
        assert_eq!(service_name("reviews.shop", "x"), ("x", "reviews.shop"));
        // A DestinationRule in another namespace, written with a short
        // name, is about another Service.
        let yaml = "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination:\n        host: reviews\n        subset: v1\n    mirrors:\n    - destination:\n        host: reviews\n        subset: v1\n---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: reviews\n  namespace: other\nspec:\n  host: reviews\n  subsets:\n  - name: v1\n";
        let found = findings_of(&SUBSET_NOT_FOUND, yaml);
        assert_eq!(found.lines().count(), 2, "{found}");
        assert!(
            found.contains("spec.http[0].mirrors[0].destination.subset: Referenced mirror+subset")
        );
    }
}
