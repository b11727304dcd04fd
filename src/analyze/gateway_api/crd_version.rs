//! Gateway API CRDs older than the bundle version Istio needs (IST0176):
//! istiod does not watch them, so their resources are ignored.

use super::super::{Analyzer, Report};

use crate::report::{Example, Level, Rule};
use crate::snapshot::Snapshot;

pub static CRD_VERSION_BELOW_MINIMUM: Rule = Rule {
    code: "IST0176",
    name: "gateway-api-crd-version-below-minimum",
    level: Level::Warning,
    summary: "A Gateway API CRD installed at a bundle version older than Istio supports.",
    kinds: &["CustomResourceDefinition"],
    explanation: "istiod reads the `gateway.networking.k8s.io/bundle-version` annotation of the \
        Gateway API CRDs and does not watch a kind whose CRD is older than the version it \
        was built for (GRPCRoute 1.1, BackendTLSPolicy 1.4, TLSRoute 1.5, TCPRoute 1.6): \
        every resource of that kind is silently ignored. Upgrade the Gateway API CRDs.",
    example: Example {
        yaml: "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: tlsroutes.gateway.networking.k8s.io\n  annotations:\n    gateway.networking.k8s.io/bundle-version: v1.4.1\nspec:\n  group: gateway.networking.k8s.io\n  names: {kind: TLSRoute, plural: tlsroutes}\n  scope: Namespaced\n  versions:\n  - name: v1alpha2\n    served: true\n    storage: true\n",
        fires_at: &["metadata.annotations"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "k8sgateway.CRDVersionAnalyzer",
    rules: &[&CRD_VERSION_BELOW_MINIMUM],
    run,
};

const BUNDLE_VERSION: &str = "gateway.networking.k8s.io/bundle-version";

/// The oldest bundle version istiod watches, by CRD name (Istio's
/// `gatewayapi.MinimumCRDVersions`).
const MINIMUM_VERSIONS: &[(&str, Version)] = &[
    ("grpcroutes.gateway.networking.k8s.io", (1, 1, 0)),
    ("backendtlspolicies.gateway.networking.k8s.io", (1, 4, 0)),
    ("tlsroutes.gateway.networking.k8s.io", (1, 5, 0)),
    ("tcproutes.gateway.networking.k8s.io", (1, 6, 0)),
];

type Version = (u64, u64, u64);

fn run(snapshot: &Snapshot, report: &mut Report) {
    for crd in snapshot.of_kind("CustomResourceDefinition") {
        let Some(&(_, minimum)) = MINIMUM_VERSIONS.iter().find(|(n, _)| *n == crd.name) else {
            continue;
        };
        let annotations = crd.metadata().annotations.as_ref();
        let Some(installed) = annotations.and_then(|a| a.get(BUNDLE_VERSION)) else {
            continue;
        };
        // A pre-release of the minimum counts as the minimum, as istiod reads it.
        if parse_version(installed).is_some_and(|v| v < minimum) {
            let (major, minor, patch) = minimum;
            report.report_with_help(
                &CRD_VERSION_BELOW_MINIMUM,
                crd,
                "metadata.annotations",
                format!("CRD {} is at bundle version {installed} but Istio needs at least {major}.{minor}.{patch}: istiod ignores every resource of this kind", crd.name),
                "upgrade the Gateway API CRDs",
            );
        }
    }
}

/// A semantic version as istiod reads the annotation: an optional `v`,
/// one to three numbers (missing ones are 0), and a pre-release or build
/// suffix that does not count; `None` when it is not one.
fn parse_version(text: &str) -> Option<Version> {
    let text = text.strip_prefix('v').unwrap_or(text);
    let core = text.split(['-', '+']).next()?;
    let mut parts = core.split('.').map(|p| p.parse::<u64>().ok());
    let major = parts.next()??;
    let minor = parts.next().unwrap_or(Some(0))?;
    let patch = parts.next().unwrap_or(Some(0))?;
    parts.next().is_none().then_some((major, minor, patch))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::analyzer_tests;

    analyzer_tests!(
        CRD_VERSION_BELOW_MINIMUM,
        &format!(
            "{}---\n{}",
            CRD_VERSION_BELOW_MINIMUM
                .example
                .yaml
                .replace("v1.4.1", "v1.5.0-rc.1"),
            CRD_VERSION_BELOW_MINIMUM
                .example
                .yaml
                .replace("tlsroutes", "httproutes")
                .replace("TLSRoute", "HTTPRoute")
        )
    );

    #[test]
    fn versions_as_istiod_reads_them() {
        assert_eq!(parse_version("v1.4.1"), Some((1, 4, 1)));
        assert_eq!(parse_version("1.5"), Some((1, 5, 0)));
        assert_eq!(parse_version("v1.6.0-rc.2"), Some((1, 6, 0)));
        assert_eq!(parse_version("latest"), None);
        assert_eq!(parse_version("1.2.3.4"), None);
    }
}
