//! Where VirtualService routes lead: destination hosts that no Service or
//! ServiceEntry visible from the VirtualService defines, and ports those
//! do not serve (IST0101), destinations that must name a port (IST0112),
//! and gateway routes without a subset to hosts whose mesh routing relies
//! on subsets (IST0140).

use std::collections::HashMap;

use super::super::{Analyzer, Report};
use super::{
    Target, Via, full_name, http_route_targets, mirror_targets, namespace_of, route_targets,
    virtual_services,
};
use crate::model::Object;
use crate::model::istio::VirtualServiceSpec;
use crate::report::{Example, Level, Rule};
use crate::snapshot::{DeclaredBy, Snapshot};

pub static HOST_NOT_FOUND: Rule = Rule {
    code: "IST0101",
    name: "virtual-service-destination-host-not-found",
    level: Level::Error,
    summary: "A VirtualService route or mirror leads to a host no Service or ServiceEntry defines.",
    kinds: &["VirtualService", "Service", "ServiceEntry"],
    explanation: "Each `destination.host` of a VirtualService (in `http`, `tcp` and `tls` routes, \
        `mirror` and `mirrors`) must be a host the mesh knows: a Kubernetes Service \
        (`name.namespace.svc.cluster.local`; a short name such as `reviews` means a Service in \
        the VirtualService's own namespace) or a host of a ServiceEntry, wildcard ServiceEntry \
        hosts included. The Service or ServiceEntry must also be visible from the \
        VirtualService's namespace: a ServiceEntry's `exportTo` and a Service's \
        `networking.istio.io/exportTo` annotation limit where they can be seen. Traffic routed \
        to an unknown host fails. Fix the host name (a name with a dot is taken as written, so \
        write a Service's full name), or add the missing Service or ServiceEntry.",
    example: Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination:\n        host: reviews-v2\n",
        fires_at: &["spec.http[0].route[0].destination.host"],
    },
};

pub static PORT_NOT_FOUND: Rule = Rule {
    code: "IST0101",
    name: "virtual-service-destination-port-not-found",
    level: Level::Error,
    summary: "A VirtualService destination names a port its Service or ServiceEntry does not serve.",
    kinds: &["VirtualService", "Service", "ServiceEntry"],
    explanation: "`destination.port.number` must be one of the ports of the Service or \
        ServiceEntry the destination host resolves to (the Service's `port`, not its \
        `targetPort`). Traffic sent to another port has nowhere to go. Use one of the ports the \
        Service declares, or add the port to it.",
    example: Example {
        yaml: "apiVersion: v1\nkind: Service\nmetadata:\n  name: reviews\nspec:\n  selector:\n    app: reviews\n  ports:\n  - name: http\n    port: 9080\n---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination:\n        host: reviews\n        port:\n          number: 9090\n",
        fires_at: &["spec.http[0].route[0].destination.port.number"],
    },
};

pub static PORT_REQUIRED: Rule = Rule {
    code: "IST0112",
    name: "virtual-service-destination-port-selector-required",
    level: Level::Error,
    summary: "A VirtualService destination names no port, but its Service serves several.",
    kinds: &["VirtualService", "Service", "ServiceEntry"],
    explanation: "When the Service or ServiceEntry a destination resolves to serves more than \
        one port, the destination must say which one with `port.number`; Istio cannot choose. \
        Add the port to the destination.",
    example: Example {
        yaml: "apiVersion: v1\nkind: Service\nmetadata:\n  name: reviews\nspec:\n  selector:\n    app: reviews\n  ports:\n  - name: http\n    port: 9080\n  - name: grpc\n    port: 9090\n---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination:\n        host: reviews\n",
        fires_at: &["spec.http[0].route[0].destination"],
    },
};

pub static INGRESS_SUBSET: Rule = Rule {
    code: "IST0140",
    name: "ingress-route-rules-not-affected",
    level: Level::Warning,
    summary: "A gateway VirtualService routes without a subset to a host whose mesh VirtualService splits it by subset.",
    kinds: &["VirtualService"],
    explanation: "VirtualServices do not chain: requests that a gateway's VirtualService routes to \
        a host go straight to that host's endpoints, and the rules another VirtualService \
        declares for the host (here, routing to DestinationRule subsets) do not apply to them. A \
        gateway route without a subset therefore reaches every version of the service, whatever \
        the host's own VirtualService says. Route to the subsets in the gateway's VirtualService \
        as well, or bind the host's VirtualService to the gateway too.",
    example: Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: bookinfo\nspec:\n  selector:\n    istio: ingressgateway\n  servers:\n  - port:\n      number: 80\n      name: http\n      protocol: HTTP\n    hosts: [bookinfo.example.com]\n---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: bookinfo\nspec:\n  hosts: [bookinfo.example.com]\n  gateways: [bookinfo]\n  http:\n  - route:\n    - destination:\n        host: reviews\n---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination:\n        host: reviews\n        subset: v1\n---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: reviews\nspec:\n  host: reviews\n  subsets:\n  - name: v1\n    labels:\n      version: v1\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: reviews\nspec:\n  selector:\n    app: reviews\n  ports:\n  - name: http\n    port: 9080\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: reviews-v1\n  labels:\n    app: reviews\n    version: v1\nspec:\n  containers:\n  - name: reviews\n    image: reviews:v1\n",
        fires_at: &["spec.http[0].route[0].destination.host"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "virtualservice.DestinationHostAnalyzer",
    rules: &[
        &HOST_NOT_FOUND,
        &PORT_NOT_FOUND,
        &PORT_REQUIRED,
        &INGRESS_SUBSET,
    ],
    run,
};

/// A Service or ServiceEntry a host resolves to.
struct Known {
    /// `Service default/reviews`, for messages.
    what: String,
    ports: Vec<u32>,
}

/// The name and ports of a Service or ServiceEntry, for messages and port
/// checks.
fn known(declared_by: DeclaredBy) -> Known {
    match declared_by {
        DeclaredBy::Service(object, service) => Known {
            what: format!("Service {}", full_name(object)),
            ports: service
                .spec
                .iter()
                .flat_map(|s| s.ports.iter().flatten())
                .map(|p| u32::try_from(p.port).unwrap_or(0))
                .collect(),
        },
        DeclaredBy::ServiceEntry(object, entry) => Known {
            what: format!("ServiceEntry {}", full_name(object)),
            ports: entry.ports.iter().map(|p| p.number.unwrap_or(0)).collect(),
        },
    }
}

fn run(snapshot: &Snapshot, report: &mut Report) {
    let subset_routes = subset_routes(snapshot);
    for (object, spec) in virtual_services(snapshot) {
        let namespace = namespace_of(object);
        for target in route_targets(spec).iter().chain(&mirror_targets(spec)) {
            match snapshot.lookup_host(target.host(), namespace, &spec.export_to) {
                None => host_not_found(report, object, namespace, target),
                Some(found) => check_port(report, object, target, &known(found)),
            }
        }
        if !spec.gateways.is_empty() {
            ingress_subsets(report, object, spec, &subset_routes);
        }
    }
}

fn host_not_found(report: &mut Report, object: &Object, namespace: &str, target: &Target) {
    // istioctl's "Referenced ... not found" lead-in, which tools parse.
    let what = match target.via {
        Via::Route => "host",
        Via::Mirror => "mirror host",
    };
    let why = if target.host().is_empty() {
        "the destination names no host".to_string()
    } else {
        format!(
            "no Service or ServiceEntry host by that name is visible from namespace {namespace:?}"
        )
    };
    let message = format!("Referenced {what} not found: {:?} ({why})", target.host());
    report.report_with_help(
        &HOST_NOT_FOUND,
        object,
        &target.host_path(),
        message,
        "write a Service's full name (name.namespace.svc.cluster.local) or a ServiceEntry host exported to this namespace",
    );
}

fn check_port(report: &mut Report, object: &Object, target: &Target, known: &Known) {
    let ports = known
        .ports
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    match target.destination.and_then(|d| d.port.as_ref()) {
        None if known.ports.len() > 1 => report.report_with_help(
            &PORT_REQUIRED,
            object,
            &target.path,
            format!(
                "destination host {:?} ({}) serves ports {ports}, and the destination names none",
                target.host(),
                known.what
            ),
            "add port.number to the destination",
        ),
        None => {}
        Some(port) => {
            let number = port.number.unwrap_or(0);
            if !known.ports.contains(&number) {
                let serves = if ports.is_empty() {
                    "no ports".to_string()
                } else {
                    format!("ports {ports}")
                };
                report.report(
                    &PORT_NOT_FOUND,
                    object,
                    &format!("{}.port.number", target.path),
                    format!(
                        "Referenced host:port not found: \"{}:{number}\" ({} serves {serves})",
                        target.host(),
                        known.what
                    ),
                );
            }
        }
    }
}

/// Hosts that VirtualServices route, for one of their own hosts, to a
/// subset: the host as written, to the names of those VirtualServices.
fn subset_routes(snapshot: &Snapshot) -> HashMap<&str, Vec<String>> {
    let mut routes: HashMap<&str, Vec<String>> = HashMap::new();
    for (object, spec) in virtual_services(snapshot) {
        for target in http_route_targets(spec) {
            let host = target.host();
            if target.subset().is_none() || !spec.hosts.iter().any(|h| h == host) {
                continue;
            }
            let names = routes.entry(host).or_default();
            let name = full_name(object);
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    routes
}

/// A VirtualService bound to gateways that routes to a host without a
/// subset, where another VirtualService (or itself) routes that host to
/// subsets.
fn ingress_subsets(
    report: &mut Report,
    object: &Object,
    spec: &VirtualServiceSpec,
    subset_routes: &HashMap<&str, Vec<String>>,
) {
    for target in http_route_targets(spec) {
        if target.subset().is_some() {
            continue;
        }
        let Some(names) = subset_routes.get(target.host()) else {
            continue;
        };
        for name in names {
            report.report_with_help(
                &INGRESS_SUBSET,
                object,
                &target.host_path(),
                format!(
                    "route to {:?} names no subset: the subset routing VirtualService {name} declares for that host does not apply to requests {} sends from its gateways",
                    target.host(),
                    full_name(object)
                ),
                "route to the subsets here as well, or bind the host's VirtualService to the gateway",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::{analyzer_tests, findings_of};

    const ENTRIES: &str = "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: eu\n  namespace: other\nspec:\n  hosts: ['*.eu.example.com']\n  ports:\n  - {name: https, number: 443, protocol: HTTPS}\n  resolution: DNS\n---\napiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: private\n  namespace: other\nspec:\n  hosts: [private.example.com]\n  exportTo: ['.']\n  ports:\n  - {name: https, number: 443, protocol: HTTPS}\n  resolution: DNS\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: ratings\n  namespace: other\n  annotations:\n    networking.istio.io/exportTo: 'shop, .'\nspec:\n  ports:\n  - {name: http, port: 9080}\n---\n";

    fn routed(namespace: &str, destination: &str) -> String {
        format!(
            "{ENTRIES}apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: vs\n  namespace: {namespace}\nspec:\n  hosts: [vs.example.com]\n  http:\n  - route:\n    - destination: {destination}\n"
        )
    }

    analyzer_tests!(
        HOST_NOT_FOUND,
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: reviews\nspec:\n  ports:\n  - {name: http, port: 9080}\n---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination:\n        host: reviews\n    mirror:\n      host: reviews.default.svc.cluster.local\n  tcp:\n  - route:\n    - destination:\n        host: reviews\n"
    );

    #[test]
    fn visibility_follows_export_to() {
        let quiet = [
            ("shop", "{host: api.eu.example.com}"),
            ("shop", "{host: ratings.other.svc.cluster.local}"),
            ("other", "{host: private.example.com}"),
            ("other", "{host: ratings}"),
        ];
        for (ns, dest) in quiet {
            assert_eq!(
                findings_of(&HOST_NOT_FOUND, &routed(ns, dest)),
                "",
                "{ns} {dest}"
            );
        }
        let loud = [
            ("shop", "{host: private.example.com}"),
            ("default", "{host: ratings.other.svc.cluster.local}"),
            ("shop", "{host: ratings.other}"),
            ("shop", "{host: eu.example.com}"),
        ];
        for (ns, dest) in loud {
            assert_eq!(
                findings_of(&HOST_NOT_FOUND, &routed(ns, dest))
                    .lines()
                    .count(),
                1,
                "{ns} {dest}"
            );
        }
    }

    #[test]
    fn mirrors_and_missing_destinations() {
        let yaml = "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: vs\nspec:\n  hosts: [vs]\n  http:\n  - route:\n    - {}\n    mirrors:\n    - destination:\n        host: nowhere\n";
        insta::assert_snapshot!(findings_of(&HOST_NOT_FOUND, yaml));
    }

    #[test]
    fn ports_are_checked_against_the_resolved_host() {
        insta::assert_snapshot!(findings_of(&PORT_NOT_FOUND, PORT_NOT_FOUND.example.yaml));
        insta::assert_snapshot!(findings_of(&PORT_REQUIRED, PORT_REQUIRED.example.yaml));
        let wildcard = routed("shop", "{host: api.eu.example.com, port: {number: 80}}");
        assert!(
            findings_of(&PORT_NOT_FOUND, &wildcard)
                .contains("ServiceEntry other/eu serves ports 443")
        );
        let right = routed("shop", "{host: api.eu.example.com, port: {number: 443}}");
        assert_eq!(findings_of(&PORT_NOT_FOUND, &right), "");
    }

    #[test]
    fn gateway_routes_without_subset() {
        insta::assert_snapshot!(findings_of(&INGRESS_SUBSET, INGRESS_SUBSET.example.yaml));
        let with_subset = INGRESS_SUBSET.example.yaml.replacen(
            "        host: reviews\n---",
            "        host: reviews\n        subset: v1\n---",
            1,
        );
        assert_eq!(findings_of(&INGRESS_SUBSET, &with_subset), "");
    }

    /// The first (oldest) ServiceEntry keeps a host that another declares
    /// again, as Istio's push context keeps it (the last one used to win).
    #[test]
    fn the_first_service_entry_owns_a_host() {
        let entry = |name: &str, port: u32| {
            format!(
                "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: {name}\nspec:\n  hosts: [api.example.com]\n  resolution: DNS\n  ports: [{{name: https, number: {port}, protocol: HTTPS}}]\n---\n"
            )
        };
        let vs = "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: vs\nspec:\n  hosts: [api.example.com]\n  http:\n  - route:\n    - destination:\n        host: api.example.com\n        port: {number: 443}\n";
        let yaml = format!("{}{}{vs}", entry("first", 443), entry("second", 8443));
        assert_eq!(findings_of(&PORT_NOT_FOUND, &yaml), "");
    }
}
