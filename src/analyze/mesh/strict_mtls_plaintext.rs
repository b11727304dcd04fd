//! A DestinationRule that sends plaintext (`tls.mode: DISABLE`) to
//! workloads a STRICT PeerAuthentication makes accept only mutual TLS.

use crate::model::StringMap;
use std::collections::HashMap;

use super::super::{Analyzer, Report};
use crate::mesh::selector::selects;
use crate::model::istio::{ClientTlsMode, MtlsMode, PeerAuthenticationSpec, TrafficPolicy};
use crate::report::{Example, Level, Rule};
use crate::snapshot::Snapshot;

pub static RULE: Rule = Rule {
    code: "MSH3005",
    name: "plaintext-to-strict-mtls",
    level: Level::Error,
    summary: "A DestinationRule disables TLS towards workloads that a STRICT PeerAuthentication requires mTLS for.",
    kinds: &["DestinationRule", "PeerAuthentication", "Service"],
    explanation: "`tls.mode: DISABLE` in a DestinationRule makes clients send plaintext to the host. \
        When a PeerAuthentication with mode STRICT applies to the host's workloads (mesh-wide in the \
        root namespace, namespace-wide, or by selector), their sidecars accept only mutual TLS, so \
        every connection is reset (`upstream connect error ... connection termination`). Use \
        `ISTIO_MUTUAL` (or leave `tls` out: Istio then uses mTLS automatically), or make the \
        PeerAuthentication PERMISSIVE for those workloads.",
    example: Example {
        yaml: "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\n  namespace: istio-system\nspec:\n  mtls:\n    mode: STRICT\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: payments\nspec:\n  selector:\n    app: payments\n  ports:\n  - name: http\n    port: 8080\n---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: payments\nspec:\n  host: payments\n  trafficPolicy:\n    tls:\n      mode: DISABLE\n",
        fires_at: &["spec.trafficPolicy.tls.mode"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "meshctl.StrictMtlsPlaintextAnalyzer",
    rules: &[&RULE],
    run,
};

/// A PeerAuthentication with a selector: its name, labels and mode.
type Selected<'a> = (&'a str, &'a StringMap, MtlsMode);

/// PeerAuthentications by the scope they apply to.
#[derive(Default)]
struct Policies<'a> {
    mesh: Option<(&'a str, MtlsMode)>,
    namespace: HashMap<&'a str, (&'a str, MtlsMode)>,
    selected: HashMap<&'a str, Vec<Selected<'a>>>,
}

impl<'a> Policies<'a> {
    fn add(
        &mut self,
        root: &str,
        namespace: &'a str,
        name: &'a str,
        spec: &'a PeerAuthenticationSpec,
    ) {
        let mode = spec
            .mtls
            .as_ref()
            .and_then(|m| m.mode)
            .unwrap_or(MtlsMode::Unset);
        match spec
            .selector
            .as_ref()
            .map(|s| &s.match_labels)
            .filter(|l| !l.is_empty())
        {
            Some(labels) => self
                .selected
                .entry(namespace)
                .or_default()
                .push((name, labels, mode)),
            None if namespace == root => {
                self.mesh.get_or_insert((name, mode));
            }
            None => {
                self.namespace.entry(namespace).or_insert((name, mode));
            }
        }
    }

    /// The mode in force for pods with these labels, and the policy that
    /// sets it: the first policy selecting them, then the namespace's, then
    /// the mesh's; UNSET passes the decision on.
    fn mode(&self, namespace: &str, labels: &StringMap) -> Option<(&'a str, MtlsMode)> {
        let selected = self
            .selected
            .get(namespace)
            .into_iter()
            .flatten()
            .find(|(_, selector, _)| selects(selector, labels))
            .map(|&(name, _, mode)| (name, mode));
        [selected, self.namespace.get(namespace).copied(), self.mesh]
            .into_iter()
            .flatten()
            .find(|(_, mode)| *mode != MtlsMode::Unset)
    }
}

fn run(snapshot: &Snapshot, report: &mut Report) {
    let root = snapshot.mesh.root_namespace.as_str();
    let mut policies = Policies::default();
    for (object, spec) in snapshot.peer_authentications() {
        policies.add(
            root,
            object.namespace.as_deref().unwrap_or_default(),
            &object.name,
            spec,
        );
    }
    if policies.mesh.is_none() && policies.namespace.is_empty() && policies.selected.is_empty() {
        return;
    }
    for (object, spec) in snapshot.destination_rules() {
        let disabled = disabled_tls_paths(spec.traffic_policy.as_deref(), "spec.trafficPolicy")
            .chain(spec.subsets.iter().enumerate().flat_map(|(i, subset)| {
                disabled_tls_paths(
                    subset.traffic_policy.as_deref(),
                    &format!("spec.subsets[{i}].trafficPolicy"),
                )
                .collect::<Vec<_>>()
            }))
            .collect::<Vec<_>>();
        if disabled.is_empty() {
            continue;
        }
        let Some(host) = &spec.host else { continue };
        let namespace = object.namespace.as_deref().unwrap_or_default();
        let Some((service_object, service)) =
            snapshot.service_by_host(&snapshot.resolve_host(host, namespace))
        else {
            continue;
        };
        let Some(selector) = service
            .spec
            .as_ref()
            .and_then(|s| s.selector.as_ref())
            .filter(|s| !s.is_empty())
        else {
            continue;
        };
        let service_namespace = service_object.namespace.as_deref().unwrap_or_default();
        // The pods the Service selects; without any in the input, the
        // selector's labels stand for them.
        let mut strict = snapshot
            .workloads_selected(Some(service_namespace), selector)
            .map(|w| policies.mode(service_namespace, &w.labels))
            .collect::<Vec<_>>();
        if strict.is_empty() {
            strict.push(policies.mode(service_namespace, selector));
        }
        let Some((policy, _)) = strict
            .into_iter()
            .flatten()
            .find(|(_, mode)| *mode == MtlsMode::Strict)
        else {
            continue;
        };
        for path in disabled {
            report.report_with_help(
                &RULE,
                object,
                &path,
                format!("tls mode DISABLE sends plaintext to {host:?}, whose workloads accept only mTLS (PeerAuthentication {policy:?} is STRICT)"),
                "use ISTIO_MUTUAL or leave tls out, or make the PeerAuthentication PERMISSIVE for these workloads",
            );
        }
    }
}

/// The `tls.mode` paths set to DISABLE in a traffic policy and its port
/// settings.
fn disabled_tls_paths<'a>(
    policy: Option<&'a TrafficPolicy>,
    base: &str,
) -> impl Iterator<Item = String> + 'a {
    let base = base.to_string();
    policy.into_iter().flat_map(move |policy| {
        let top = policy
            .tls
            .as_ref()
            .filter(|t| t.mode == Some(ClientTlsMode::Disable))
            .map(|_| format!("{base}.tls.mode"));
        let ports = policy.port_level_settings.iter().enumerate().filter_map({
            let base = base.clone();
            move |(i, port)| {
                port.tls
                    .as_ref()
                    .filter(|t| t.mode == Some(ClientTlsMode::Disable))
                    .map(|_| format!("{base}.portLevelSettings[{i}].tls.mode"))
            }
        });
        top.into_iter().chain(ports)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::analyzer_tests;

    analyzer_tests!(
        RULE,
        "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\n  namespace: istio-system\nspec:\n  mtls:\n    mode: STRICT\n---\napiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: legacy\nspec:\n  selector:\n    matchLabels:\n      app: legacy\n  mtls:\n    mode: PERMISSIVE\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: legacy\nspec:\n  selector:\n    app: legacy\n  ports:\n  - name: http\n    port: 8080\n---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: legacy\nspec:\n  host: legacy\n  trafficPolicy:\n    tls:\n      mode: DISABLE\n---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: external\nspec:\n  host: api.example.com\n  trafficPolicy:\n    tls:\n      mode: DISABLE\n"
    );
}
