//! What a ServiceEntry's own labels change in Istio's checks: a waypoint
//! (`istio.io/use-waypoint`) rules out DYNAMIC_DNS inside the mesh, and
//! opting out of address allocation (`networking.istio.io/enable-autoallocate-ip`)
//! leaves plain TCP ports without addresses.

use super::super::{Findings, webhook_rule};
use super::KINDS;
use crate::model::istio::{Location, Resolution, ServiceEntrySpec};
use crate::report::{Example, Rule};

const USE_WAYPOINT: &str = "istio.io/use-waypoint";
const AUTOALLOCATE: &str = "networking.istio.io/enable-autoallocate-ip";

pub static RULE: Rule = webhook_rule(
    "serviceentry-metadata-labels",
    KINDS,
    "A ServiceEntry whose labels contradict its spec: a waypoint for DYNAMIC_DNS inside the mesh.",
    "A ServiceEntry with resolution DYNAMIC_DNS and location MESH_INTERNAL cannot be served \
     through a waypoint, so Istio refuses it when the `istio.io/use-waypoint` label names one \
     (any value but `none`). Istio normally allocates an address for a ServiceEntry without \
     `addresses`; with the label `networking.istio.io/enable-autoallocate-ip: \"false\"` it does \
     not, so ports serving TCP (or no protocol) have nothing to tell their traffic apart, which \
     draws a warning.",
    Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: partner-apis\n  labels:\n    istio.io/use-waypoint: egress-waypoint\nspec:\n  hosts: [\"*.partner.example.com\"]\n  location: MESH_INTERNAL\n  resolution: DYNAMIC_DNS\n  ports:\n  - {number: 443, name: tls, protocol: TLS}\n",
        fires_at: &["metadata.labels[\"istio.io/use-waypoint\"]"],
    },
);

pub fn check(spec: &ServiceEntrySpec, found: &mut Findings) {
    let labels = found.object().metadata().labels.as_ref();
    let label = |name: &str| labels.and_then(|l| l.get(name)).map(String::as_str);
    let resolution = spec.resolution.unwrap_or(Resolution::None);
    if let Some(waypoint) = label(USE_WAYPOINT)
        && !waypoint.is_empty()
        && !waypoint.eq_ignore_ascii_case("none")
        && resolution == Resolution::DynamicDns
        && spec.location == Some(Location::MeshInternal)
    {
        found.report(
            format!("metadata.labels[\"{USE_WAYPOINT}\"]"),
            format!(
                "location MESH_INTERNAL with resolution DYNAMIC_DNS is not supported when the service entry uses a waypoint ({waypoint:?})"
            ),
        );
    }
    // Resolution NONE turns allocation off too; the ports rule warns then.
    let opted_out = label(AUTOALLOCATE).is_some_and(|v| v.eq_ignore_ascii_case("false"));
    if opted_out && resolution != Resolution::None {
        warn_unaddressed_tcp(spec, found);
    }
}

fn warn_unaddressed_tcp(spec: &ServiceEntrySpec, found: &mut Findings) {
    if !spec.addresses.is_empty() {
        return;
    }
    for (i, port) in spec.ports.iter().enumerate() {
        let protocol = port.protocol.as_deref().unwrap_or_default();
        if protocol.is_empty() || protocol == "TCP" {
            found.warn(
                format!("spec.ports[{i}]"),
                format!("addresses are required for ports serving TCP (or unset) protocol, since the {AUTOALLOCATE} label turns IP autoallocation off"),
            );
        }
    }
}

#[cfg(test)]
mod cases {
    use crate::validate::test_support::findings;

    fn check(labels: &str, spec: &str) -> String {
        findings(&format!(
            "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: se\n  labels:\n{labels}spec:\n{spec}"
        ))
    }

    const DYNAMIC: &str = "  hosts: [\"*.example.com\"]\n  resolution: DYNAMIC_DNS\n  location: MESH_INTERNAL\n  ports: [{number: 80, name: http, protocol: HTTP}]\n";

    #[test]
    fn waypoints() {
        assert!(check("    istio.io/use-waypoint: wp\n", DYNAMIC).contains("waypoint"));
        assert_eq!(check("    istio.io/use-waypoint: None\n", DYNAMIC), "");
        assert_eq!(check("    istio.io/use-waypoint: \"\"\n", DYNAMIC), "");
        let external = DYNAMIC.replace("MESH_INTERNAL", "MESH_EXTERNAL");
        assert_eq!(check("    istio.io/use-waypoint: wp\n", &external), "");
        let dns = "  hosts: [a.example.com]\n  resolution: DNS\n  location: MESH_INTERNAL\n  ports: [{number: 80, name: http, protocol: HTTP}]\n";
        assert_eq!(check("    istio.io/use-waypoint: wp\n", dns), "");
    }

    #[test]
    fn autoallocation_opt_out() {
        let tcp = "  hosts: [db.example.com]\n  resolution: DNS\n  ports: [{number: 5432, name: pg, protocol: TCP}]\n";
        let label = "    networking.istio.io/enable-autoallocate-ip: \"False\"\n";
        let out = check(label, tcp);
        assert!(
            out.starts_with("IST0133") && out.contains("autoallocation off"),
            "{out}"
        );
        assert_eq!(
            check(
                "    networking.istio.io/enable-autoallocate-ip: \"true\"\n",
                tcp
            ),
            ""
        );
        let addressed = format!("{tcp}  addresses: [10.0.0.1]\n");
        assert_eq!(check(label, &addressed), "");
        let http = tcp.replace("TCP", "HTTP");
        assert_eq!(check(label, &http), "");
        // Lower-case `tcp` is not matched by Istio's check either.
        let lower = tcp.replace("TCP", "tcp");
        assert_eq!(check(label, &lower), "");
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
