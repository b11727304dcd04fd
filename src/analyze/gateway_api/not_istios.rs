//! Gateway API Gateways that are not Istio's to program (MSH3016): their
//! class belongs to another controller, is unknown (no GatewayClass in the
//! input and not one of Istio's built-in names), or is one Istio does not
//! build listeners for (`istio-remote`, agentgateway). The listener
//! analyzers skip them, and this finding says so, so that a skipped
//! Gateway never looks checked.

use super::super::{Analyzer, Report};

use crate::report::{Example, Level, Rule};
use crate::snapshot::Snapshot;

pub static NOT_ISTIOS: Rule = Rule {
    code: "MSH3016",
    name: "gateway-api-gateway-not-istios",
    level: Level::Info,
    summary: "A Gateway API Gateway whose class Istio does not build listeners for, so meshctl judges only the Gateway API's own rules on it.",
    kinds: &["Gateway", "GatewayClass"],
    explanation: "Istio programs a Gateway API Gateway only when its class is Istio's: a \
        GatewayClass of the input whose `controllerName` is one of Istio's \
        (`istio.io/gateway-controller`, `istio.io/eastwest-controller`, \
        `istio.io/mesh-controller`), or, without such an object, one of Istio's built-in class \
        names (`istio`, `istio-east-west`, `istio-waypoint`). A Gateway of another \
        controller's class, or of a class that is neither in the input nor built in, is left \
        to that controller: Istio sets no condition on it, and meshctl neither applies the \
        listener rules that describe Istio's behaviour (MSH3011 to MSH3015) nor lets \
        `simulate` route through it. `istio-remote` Gateways (another network's) and the \
        agentgateway classes are not built here either. The Gateway API's own rules (schema \
        and CEL, parentRefs, backendRefs) still apply. Add the GatewayClass to the input when \
        its controller is Istio's under another name.",
    example: Example {
        yaml: "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata:\n  name: eg\nspec:\n  controllerName: gateway.envoyproxy.io/gatewayclass-controller\n---\napiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: ingress\nspec:\n  gatewayClassName: eg\n  listeners:\n  - {name: http, port: 80, protocol: HTTP}\n",
        fires_at: &["spec.gatewayClassName"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "meshctl.GatewayApiClassAnalyzer",
    rules: &[&NOT_ISTIOS],
    run,
};

fn run(snapshot: &Snapshot, report: &mut Report) {
    let classes = snapshot.gateway_class_index();
    for (gateway, spec) in snapshot.gateway_api_gateways() {
        let class = spec.gateway_class_name.as_deref().unwrap_or_default();
        if classes.role(class).builds_listeners() {
            continue;
        }
        let Some(why) = classes.not_istios(class) else {
            continue;
        };
        report.report_with_help(
            &NOT_ISTIOS,
            gateway,
            "spec.gatewayClassName",
            format!("Istio does not build this Gateway's listeners: {why}; meshctl skips Istio's listener checks on it (MSH3011 to MSH3015) and simulate does not route through it"),
            "nothing to do if another controller serves it; otherwise use an Istio GatewayClass",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::{analyzer_tests, findings_of};

    analyzer_tests!(
        NOT_ISTIOS,
        &NOT_ISTIOS.example.yaml.replace(
            "gateway.envoyproxy.io/gatewayclass-controller",
            "istio.io/gateway-controller"
        )
    );

    #[test]
    fn unknown_and_remote_classes_are_named_built_in_ones_are_not() {
        let gateway = |class: &str| {
            format!(
                "---\napiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: {class}\nspec:\n  gatewayClassName: {class}\n  listeners:\n  - {{name: http, port: 80, protocol: HTTP}}\n"
            )
        };
        let yaml: String = [
            "istio",
            "istio-waypoint",
            "istio-east-west",
            "istio-remote",
            "nginx",
        ]
        .map(gateway)
        .concat();
        insta::assert_snapshot!(findings_of(&NOT_ISTIOS, &yaml));
    }
}
