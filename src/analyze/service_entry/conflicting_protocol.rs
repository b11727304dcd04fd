//! ServiceEntries that give the same host and port different protocols
//! where both are visible (IST0177).

use std::collections::{BTreeMap, BTreeSet, HashSet};

use super::super::{Analyzer, Report};

use crate::mesh::visibility::ExportTo;
use crate::model::Object;
use crate::report::{Example, Level, Rule};
use crate::snapshot::Snapshot;

pub static CONFLICTING_PROTOCOL: Rule = Rule {
    code: "IST0177",
    name: "conflicting-service-entry-protocol",
    level: Level::Warning,
    summary: "ServiceEntries that declare the same host and port with different protocols.",
    kinds: &["ServiceEntry"],
    explanation: "The proxy builds one listener and one cluster per host and port. When two \
        ServiceEntries visible in the same namespace declare the same host and port number \
        with different protocols (`HTTP` in one, `HTTPS` in the other), only one of them wins, \
        and which one depends on their age: the other's traffic is handled as the wrong \
        protocol. Give the port one protocol in every entry, or keep the entries apart with \
        `exportTo`.",
    example: Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: api-http\nspec:\n  hosts: [api.example.com]\n  resolution: DNS\n  ports:\n  - {name: http, number: 8443, protocol: HTTP}\n---\napiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: api-tls\nspec:\n  hosts: [api.example.com]\n  resolution: DNS\n  ports:\n  - {name: tls, number: 8443, protocol: TLS}\n",
        fires_at: &["spec.ports[0]", "spec.ports[0]"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "serviceentry.ConflictingServiceEntryProtocolAnalyzer",
    rules: &[&CONFLICTING_PROTOCOL],
    run,
};

/// Where an entry is visible: every namespace, or one.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Scope {
    All,
    Namespace(String),
}

/// One port of one ServiceEntry.
struct Declared<'a> {
    object: &'a Object,
    port_index: usize,
    /// Upper-cased, as Istio compares them (`""` when unset).
    protocol: String,
}

fn scopes(export_to: &[String], namespace: &str) -> BTreeSet<Scope> {
    match ExportTo::from_entries(export_to.iter().map(String::as_str), namespace) {
        ExportTo::Everyone => BTreeSet::from([Scope::All]),
        ExportTo::Namespaces(namespaces) => namespaces.into_iter().map(Scope::Namespace).collect(),
    }
}

fn run(snapshot: &Snapshot, report: &mut Report) {
    // (host, port) -> scope -> the ports declaring it there.
    type Index<'a> = BTreeMap<(&'a str, u32), BTreeMap<Scope, Vec<Declared<'a>>>>;
    let mut index: Index = BTreeMap::new();
    for (object, entry) in snapshot.service_entries() {
        let namespace = object.namespace.as_deref().unwrap_or_default();
        let scopes = scopes(&entry.export_to, namespace);
        for host in &entry.hosts {
            for (port_index, port) in entry.ports.iter().enumerate() {
                let Some(number) = port.number else { continue };
                let by_scope = index.entry((host.as_str(), number)).or_default();
                for scope in &scopes {
                    by_scope.entry(scope.clone()).or_default().push(Declared {
                        object,
                        port_index,
                        protocol: port
                            .protocol
                            .as_deref()
                            .unwrap_or_default()
                            .to_ascii_uppercase(),
                    });
                }
            }
        }
    }

    // Each entry is reported once, for the first conflict it is part of.
    let mut reported: HashSet<(&str, &str)> = HashSet::new();
    for ((host, port), by_scope) in &index {
        let everywhere = by_scope.get(&Scope::All).map_or(&[][..], Vec::as_slice);
        for (scope, declared) in by_scope {
            let visible: Vec<&Declared> = match scope {
                Scope::All => declared.iter().collect(),
                Scope::Namespace(_) => declared.iter().chain(everywhere).collect(),
            };
            let protocols: BTreeSet<&str> = visible.iter().map(|d| d.protocol.as_str()).collect();
            if protocols.len() < 2 {
                continue;
            }
            let names: BTreeSet<String> = visible
                .iter()
                .map(|d| {
                    let ns = d.object.namespace.as_deref().unwrap_or_default();
                    format!("{ns}/{}", d.object.name)
                })
                .collect();
            let names = names.into_iter().collect::<Vec<_>>().join(", ");
            let protocols = protocols
                .iter()
                .map(|p| if p.is_empty() { "(unset)" } else { p })
                .collect::<Vec<_>>()
                .join(", ");
            let place = match scope {
                Scope::All => "every namespace".to_string(),
                Scope::Namespace(ns) => format!("namespace {ns:?}"),
            };
            for d in visible {
                let ns = d.object.namespace.as_deref().unwrap_or_default();
                if !reported.insert((ns, &d.object.name)) {
                    continue;
                }
                report.report_with_help(
                    &CONFLICTING_PROTOCOL,
                    d.object,
                    &format!("spec.ports[{}]", d.port_index),
                    format!(
                        "host {host:?} port {port} has conflicting protocols ({protocols}) in the ServiceEntries {names}, visible together in {place}"
                    ),
                    "declare the port with one protocol everywhere, or separate the entries with exportTo",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::{analyzer_tests, findings_of};

    analyzer_tests!(
        CONFLICTING_PROTOCOL,
        "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: a\nspec:\n  hosts: [api.example.com]\n  resolution: DNS\n  ports:\n  - {name: https, number: 443, protocol: HTTPS}\n---\napiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: b\nspec:\n  hosts: [api.example.com]\n  resolution: DNS\n  ports:\n  - {name: https, number: 443, protocol: https}\n  - {name: http, number: 80, protocol: HTTP}\n"
    );

    const APART: &str = "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: a\n  namespace: ns1\nspec:\n  hosts: [api.example.com]\n  exportTo: [.]\n  resolution: DNS\n  ports:\n  - {name: http, number: 8080, protocol: HTTP}\n---\napiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: b\n  namespace: ns2\nspec:\n  hosts: [api.example.com]\n  exportTo: [.]\n  resolution: DNS\n  ports:\n  - {name: https, number: 8080, protocol: HTTPS}\n";

    #[test]
    fn entries_exported_to_different_namespaces_do_not_conflict() {
        assert_eq!(findings_of(&CONFLICTING_PROTOCOL, APART), "");
    }

    #[test]
    fn an_entry_exported_everywhere_conflicts_with_a_local_one() {
        let yaml = APART.replacen("exportTo: [.]", "exportTo: ['*']", 1);
        let found = findings_of(&CONFLICTING_PROTOCOL, &yaml);
        assert_eq!(found.lines().count(), 2, "{found}");
        assert!(found.contains("ns1/a, ns2/b, visible together in namespace \"ns2\""));
    }

    #[test]
    fn entries_exported_to_a_shared_namespace_conflict() {
        let yaml = APART.replace("exportTo: [.]", "exportTo: [., shared]");
        let found = findings_of(&CONFLICTING_PROTOCOL, &yaml);
        assert!(found.contains("(HTTP, HTTPS)"), "{found}");
        assert!(found.contains("namespace \"shared\""), "{found}");
        assert_eq!(found.lines().count(), 2, "{found}");
    }

    /// `~` hides an entry from everyone, even beside namespace names, as
    /// Istio's push context reads it (the names used to count).
    #[test]
    fn hidden_entries_do_not_conflict() {
        let yaml = APART.replace("exportTo: [.]", "exportTo: ['~', shared]");
        assert_eq!(findings_of(&CONFLICTING_PROTOCOL, &yaml), "");
    }
}
