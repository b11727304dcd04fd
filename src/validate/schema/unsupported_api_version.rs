//! MSH1007 unsupported-api-version: A mesh kind is used at an apiVersion Istio does not serve.

use crate::report::{Example, Level, Rule};

pub static RULE: Rule = Rule {
    code: "MSH1007",
    name: "unsupported-api-version",
    level: Level::Error,
    summary: "A mesh kind is used at an apiVersion Istio does not serve.",
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
    explanation: "networking.istio.io serves v1, v1beta1 and v1alpha3; security.istio.io serves v1 and v1beta1. Any other version is refused by the API server.",
    example: Example {
        yaml: "apiVersion: networking.istio.io/v2\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n",
        fires_at: &["apiVersion"],
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
