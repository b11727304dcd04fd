//! MSH1003 invalid-enum-value: A field that takes one of a fixed set of values has another.

use crate::report::{Example, Level, Rule};

pub static RULE: Rule = Rule {
    code: "MSH1003",
    name: "invalid-enum-value",
    level: Level::Error,
    summary: "A field that takes one of a fixed set of values has another.",
    kinds: &[
        "VirtualService",
        "DestinationRule",
        "Gateway",
        "ServiceEntry",
        "Sidecar",
        "AuthorizationPolicy",
        "PeerAuthentication",
        "RequestAuthentication",
    ],
    explanation: "Fields such as `mtls.mode`, `tls.mode` and `loadBalancer.simple` accept only the names Istio defines, in upper case. Any other value is refused by the CRD schema.",
    example: Example {
        yaml: "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\n  namespace: istio-system\nspec:\n  mtls:\n    mode: STRICTT\n",
        fires_at: &["spec.mtls.mode"],
    },
};

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::validate::test_support::{findings, findings_of};

    #[test]
    fn fires_on_the_example() {
        insta::assert_snapshot!(findings_of(&RULE, RULE.example.yaml));
    }

    #[test]
    fn quiet_on_valid_input() {
        let valid = "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination:\n        host: reviews\n        subset: v1\n      weight: 100\n";
        assert_eq!(findings(valid), "");
    }
}
