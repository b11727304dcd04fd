//! MSH1007 unsupported-api-version: A mesh kind is used at an apiVersion Istio does not serve.

use crate::model::MeshKind;
use crate::report::{Example, Level, Rule};

pub static RULE: Rule = Rule {
    code: "MSH1007",
    name: "unsupported-api-version",
    level: Level::Error,
    summary: "A mesh kind is used at an apiVersion Istio does not serve.",
    kinds: MeshKind::NAMES,
    explanation: "Each kind is served at the versions its CRD lists: most of networking.istio.io at v1, v1beta1 and v1alpha3 (ProxyConfig at v1beta1 only); security.istio.io at v1 and v1beta1; the Gateway API at its standard channel's versions. Any other version is refused by the API server. The older versions only the Gateway API's experimental channel serves (TCPRoute, TLSRoute and UDPRoute at v1alpha2, TLSRoute and BackendTLSPolicy at v1alpha3) are not refused: their schemas differ from the standard ones, so they are counted as not checked unless `--crd` gives their CRDs.",
    example: Example {
        yaml: "apiVersion: networking.istio.io/v2\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n",
        fires_at: &["apiVersion"],
    },
};

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
