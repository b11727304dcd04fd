//! ServiceEntry ports that need a virtual IP the entry does not give
//! (IST0134): TCP (or unset) protocols are matched by destination address,
//! so without `addresses` (or addresses allocated by Istio) their traffic
//! cannot be told apart.

use super::super::{Analyzer, Report};

use crate::model::Object;
use crate::report::{Example, Level, Rule};
use crate::snapshot::Snapshot;

pub static ADDRESSES_REQUIRED: Rule = Rule {
    code: "IST0134",
    name: "service-entry-addresses-required",
    level: Level::Warning,
    summary: "A ServiceEntry port with TCP (or no) protocol, but no addresses for it.",
    kinds: &["ServiceEntry", "MeshConfig"],
    explanation: "The sidecar routes TCP traffic (and traffic of a port with no `protocol`) by \
        destination IP and port alone; there is no Host header or SNI to go by. A ServiceEntry \
        without `addresses` gives such a port no IP to match, so its listener may catch traffic \
        meant for other services on the same port, or none at all. Set `addresses` (a virtual IP \
        or CIDR), give the port an application protocol (`HTTP`, `TLS`, ...), or let Istio \
        allocate addresses: DNS capture with auto-allocation in the proxies' metadata \
        (`ISTIO_META_DNS_CAPTURE` and `ISTIO_META_DNS_AUTO_ALLOCATE` set to `\"true\"` in \
        MeshConfig `defaultConfig.proxyMetadata`), which writes them to the entry's status.",
    example: Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: external-db\nspec:\n  hosts:\n  - db.example.com\n  location: MESH_EXTERNAL\n  resolution: DNS\n  ports:\n  - name: postgres\n    number: 5432\n    protocol: TCP\n",
        fires_at: &["spec.ports[0]"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "serviceentry.Analyzer",
    rules: &[&ADDRESSES_REQUIRED],
    run,
};

fn run(snapshot: &Snapshot, report: &mut Report) {
    // Istio only allocates addresses when the proxies capture DNS.
    let mesh = &snapshot.mesh;
    let auto_allocated = mesh.proxy_flag("ISTIO_META_DNS_CAPTURE")
        && (mesh.proxy_flag("ISTIO_META_DNS_AUTO_ALLOCATE")
            || mesh.proxy_flag("PILOT_ENABLE_IP_AUTOALLOCATE"));
    if auto_allocated {
        return;
    }
    for (object, entry) in snapshot.service_entries() {
        if !entry.addresses.is_empty() || has_allocated_addresses(object) {
            continue;
        }
        for (i, port) in entry.ports.iter().enumerate() {
            let protocol = port.protocol.as_deref().unwrap_or_default();
            if !(protocol.is_empty() || protocol.eq_ignore_ascii_case("TCP")) {
                continue;
            }
            let name = port.name.as_deref().unwrap_or_default();
            let number = port.number.unwrap_or_default();
            let what = if protocol.is_empty() {
                "has no protocol".to_string()
            } else {
                format!("has protocol {protocol:?}")
            };
            report.report_with_help(
                &ADDRESSES_REQUIRED,
                object,
                &format!("spec.ports[{i}]"),
                format!(
                    "port {number} ({name:?}) {what} but the ServiceEntry sets no addresses: its traffic is matched by IP and port only"
                ),
                "set spec.addresses, give the port an application protocol, or enable DNS capture with address auto-allocation",
            );
        }
    }
}

/// Whether Istio has written allocated addresses to the entry's status.
fn has_allocated_addresses(object: &Object) -> bool {
    object.has_status()
        && object
            .tree()
            .get("status")
        .and_then(|status| status.get("addresses"))
        .is_some_and(|addresses| {
            matches!(&addresses.value, crate::loader::Value::Seq(items) if !items.is_empty())
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::{analyzer_tests, findings_of, findings_with};
    use crate::snapshot::MeshConfig;

    analyzer_tests!(
        ADDRESSES_REQUIRED,
        "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: external\nspec:\n  hosts: [db.example.com, api.example.com]\n  addresses: [240.0.0.10]\n  resolution: DNS\n  ports:\n  - {name: tcp, number: 5432, protocol: TCP}\n---\napiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: web\nspec:\n  hosts: [api.example.com]\n  resolution: DNS\n  ports:\n  - {name: https, number: 443, protocol: HTTPS}\n"
    );

    const NO_PROTOCOL: &str = "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: ssh\nspec:\n  hosts: [git.example.com]\n  resolution: DNS\n  ports:\n  - {name: ssh, number: 22}\n  - {name: web, number: 80, protocol: HTTP}\n  - {name: raw, number: 9000, protocol: tcp}\n";

    #[test]
    fn fires_per_tcp_or_unset_port() {
        let found = findings_of(&ADDRESSES_REQUIRED, NO_PROTOCOL);
        assert!(found.contains("spec.ports[0]: port 22 (\"ssh\") has no protocol"));
        assert!(found.contains("spec.ports[2]: port 9000 (\"raw\") has protocol \"tcp\""));
        assert_eq!(found.lines().count(), 2, "{found}");
    }

    #[test]
    fn quiet_when_istio_allocates_addresses() {
        let mesh = |flags: &[&str]| {
            let mut config = MeshConfig::default();
            for flag in flags {
                config
                    .default_config
                    .proxy_metadata
                    .insert(flag.to_string(), "true".into());
            }
            config
        };
        let both = mesh(&["ISTIO_META_DNS_CAPTURE", "ISTIO_META_DNS_AUTO_ALLOCATE"]);
        assert_eq!(findings_with(&ADDRESSES_REQUIRED, NO_PROTOCOL, both), "");
        // Auto-allocation without DNS capture allocates nothing.
        let alone = mesh(&["ISTIO_META_DNS_AUTO_ALLOCATE"]);
        assert_ne!(findings_with(&ADDRESSES_REQUIRED, NO_PROTOCOL, alone), "");
    }

    #[test]
    fn quiet_when_the_status_has_allocated_addresses() {
        let yaml = format!(
            "{NO_PROTOCOL}status:\n  addresses:\n  - {{host: git.example.com, value: 240.240.0.1}}\n"
        );
        assert_eq!(findings_of(&ADDRESSES_REQUIRED, &yaml), "");
    }
}
