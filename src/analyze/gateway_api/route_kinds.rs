//! Route kinds a listener's `allowedRoutes.kinds` lists that its protocol
//! cannot carry in Istio (MSH3014): Istio sets the listener's
//! `ResolvedRefs` condition to False (reason InvalidRouteKinds) and such
//! routes never attach. Only the listeners Istio builds: of Gateways of
//! its classes, and of ListenerSets those take (`listeners::listeners`).

use super::super::{Analyzer, Report};
use super::listeners::listeners;

use crate::mesh::listener_set::supported_route_kinds;
use crate::model::gateway_api::TlsMode;
use crate::report::{Example, Level, Rule};
use crate::snapshot::Snapshot;

pub static INVALID_ROUTE_KINDS: Rule = Rule {
    code: "MSH3014",
    name: "gateway-api-invalid-route-kinds",
    level: Level::Warning,
    summary: "A Gateway API listener whose allowedRoutes.kinds lists a route kind its protocol does not carry.",
    kinds: &["Gateway", "ListenerSet"],
    explanation: "A listener takes the route kinds of its protocol, as Istio serves them: \
        HTTPRoute and GRPCRoute on HTTP and HTTPS, TCPRoute on TCP, TLSRoute on TLS (and \
        TCPRoute too when the TLS listener terminates), none on UDP or another protocol. \
        `allowedRoutes.kinds` can only narrow that list: a kind outside it (or of another API \
        group) makes Istio set the listener's `ResolvedRefs` condition to False (reason \
        InvalidRouteKinds), and routes of that kind never attach to the listener. The \
        listener still serves the kinds that fit. Remove the kind, or move those routes to a \
        listener of the right protocol. Judged only for Gateways of Istio's classes (MSH3016 \
        names the others): another implementation may carry other kinds.",
    example: Example {
        yaml: "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: ingress\nspec:\n  gatewayClassName: istio\n  listeners:\n  - name: http\n    port: 80\n    protocol: HTTP\n    allowedRoutes:\n      kinds:\n      - {kind: HTTPRoute}\n      - {kind: TCPRoute}\n",
        fires_at: &["spec.listeners[0].allowedRoutes.kinds[1]"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "meshctl.GatewayApiRouteKindsAnalyzer",
    rules: &[&INVALID_ROUTE_KINDS],
    run,
};

const GATEWAY_API: &str = "gateway.networking.k8s.io";

fn run(snapshot: &Snapshot, report: &mut Report) {
    for owned in listeners(snapshot) {
        let l = owned.listener;
        let Some(allowed) = &l.allowed_routes else {
            continue;
        };
        let protocol = l.protocol.as_deref().unwrap_or_default();
        let terminates = l
            .tls
            .as_ref()
            .is_some_and(|t| t.mode != Some(TlsMode::Passthrough));
        let supported = supported_route_kinds(protocol, terminates);
        for (j, kind) in allowed.kinds.iter().enumerate() {
            let group = kind.group.as_deref().unwrap_or(GATEWAY_API);
            let name = kind.kind.as_deref().unwrap_or_default();
            if group == GATEWAY_API && supported.contains(&name) {
                continue;
            }
            let carries = if supported.is_empty() {
                "no route kind in Istio".to_string()
            } else {
                supported.join(", ")
            };
            report.report_with_help(
                &INVALID_ROUTE_KINDS,
                owned.object,
                &format!("{}.allowedRoutes.kinds[{j}]", owned.path()),
                format!(
                    "listener {:?} ({protocol}) allows {group}/{name}, which it cannot carry: it takes {carries} (Istio: ResolvedRefs False, InvalidRouteKinds)",
                    owned.name()
                ),
                "remove the kind, or attach those routes to a listener of the right protocol",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::{analyzer_tests, findings_of};

    analyzer_tests!(
        INVALID_ROUTE_KINDS,
        &INVALID_ROUTE_KINDS.example.yaml.replace(
            "{kind: TCPRoute}",
            "{group: gateway.networking.k8s.io, kind: GRPCRoute}"
        )
    );

    #[test]
    fn each_protocol_carries_its_kinds() {
        let yaml = "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: ingress\nspec:\n  gatewayClassName: istio\n  listeners:\n  - name: tls\n    port: 443\n    protocol: TLS\n    tls: {mode: Passthrough}\n    allowedRoutes: {kinds: [{kind: TLSRoute}, {kind: TCPRoute}]}\n  - name: terminated\n    port: 8443\n    protocol: TLS\n    tls: {certificateRefs: [{name: cert}]}\n    allowedRoutes: {kinds: [{kind: TLSRoute}, {kind: TCPRoute}]}\n  - name: udp\n    port: 53\n    protocol: UDP\n    allowedRoutes: {kinds: [{kind: UDPRoute}]}\n  - name: http\n    port: 80\n    protocol: HTTP\n    allowedRoutes: {kinds: [{group: example.com, kind: HTTPRoute}]}\n";
        insta::assert_snapshot!(findings_of(&INVALID_ROUTE_KINDS, yaml));
    }
}
