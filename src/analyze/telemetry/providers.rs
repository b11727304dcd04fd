//! Access logging without a provider when the mesh has no default one
//! (IST0157): Istio ignores it.

use super::super::{Analyzer, Report};

use crate::report::{Example, Level, Rule};
use crate::snapshot::Snapshot;

pub static INVALID_PROVIDER: Rule = Rule {
    code: "IST0157",
    name: "invalid-telemetry-provider",
    level: Level::Warning,
    summary: "Telemetry access logging that names no provider while MeshConfig sets no default one.",
    kinds: &["Telemetry", "MeshConfig"],
    explanation: "An `accessLogging` entry without `providers` uses MeshConfig's \
        `defaultProviders.accessLogging`. When MeshConfig names no default access log provider, \
        the entry configures nothing and Istio ignores it. Name a provider (`envoy`, or one of \
        MeshConfig's `extensionProviders`), or set a default in MeshConfig.",
    example: Example {
        yaml: "apiVersion: telemetry.istio.io/v1\nkind: Telemetry\nmetadata:\n  name: mesh-default\n  namespace: istio-system\nspec:\n  accessLogging:\n  - {}\n",
        fires_at: &["spec.accessLogging[0]"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "telemetry.ProviderAnalyzer",
    rules: &[&INVALID_PROVIDER],
    run,
};

fn run(snapshot: &Snapshot, report: &mut Report) {
    if !snapshot.mesh.default_providers.access_logging.is_empty() {
        return;
    }
    for (object, telemetry) in snapshot.telemetries() {
        for (i, logging) in telemetry.access_logging.iter().enumerate() {
            if logging.disabled == Some(true) || !logging.providers.is_empty() {
                continue;
            }
            report.report_with_help(
                &INVALID_PROVIDER,
                object,
                &format!("spec.accessLogging[{i}]"),
                "this access logging names no provider and MeshConfig has no default access log provider: Istio ignores it",
                "add providers: [{name: envoy}], or set defaultProviders.accessLogging in MeshConfig",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::{analyzer_tests, findings_with};
    use crate::snapshot::MeshConfig;

    analyzer_tests!(
        INVALID_PROVIDER,
        "apiVersion: telemetry.istio.io/v1\nkind: Telemetry\nmetadata:\n  name: mesh-default\n  namespace: istio-system\nspec:\n  accessLogging:\n  - providers: [{name: envoy}]\n  - disabled: true\n"
    );

    #[test]
    fn a_default_provider_in_mesh_config_is_used() {
        let mut mesh = MeshConfig::default();
        mesh.default_providers.access_logging = vec!["envoy".into()];
        assert_eq!(
            findings_with(&INVALID_PROVIDER, INVALID_PROVIDER.example.yaml, mesh),
            ""
        );
    }
}
