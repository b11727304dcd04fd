//! Telemetry tracing through a Lightstep provider (IST0002): Istio
//! deprecated the provider in favour of OpenTelemetry.

use std::collections::HashSet;

use super::super::{Analyzer, Report};

use crate::report::{Example, Level, Rule};
use crate::snapshot::Snapshot;

pub static LIGHTSTEP: Rule = Rule {
    code: "IST0002",
    name: "deprecated-lightstep-provider",
    level: Level::Warning,
    summary: "Telemetry tracing through a MeshConfig extension provider of the deprecated Lightstep type.",
    kinds: &["Telemetry", "MeshConfig"],
    explanation: "Istio deprecated the `lightstep` extension provider: Lightstep (now \
        ServiceNow Cloud Observability) takes OpenTelemetry. Define an `opentelemetry` \
        extension provider in MeshConfig pointing at its collector and name it in the \
        Telemetry's tracing providers instead.",
    example: Example {
        yaml: "apiVersion: telemetry.istio.io/v1\nkind: Telemetry\nmetadata:\n  name: mesh-default\n  namespace: istio-system\nspec:\n  tracing:\n  - providers: [{name: lightstep}]\n",
        fires_at: &[],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "telemetry.LightstepAnalyzer",
    rules: &[&LIGHTSTEP],
    run,
};

fn run(snapshot: &Snapshot, report: &mut Report) {
    let lightstep: HashSet<&str> = snapshot
        .mesh
        .extension_providers
        .iter()
        .filter(|p| p.lightstep.is_some())
        .map(|p| p.name.as_str())
        .collect();
    if lightstep.is_empty() {
        return;
    }
    for (object, telemetry) in snapshot.telemetries() {
        for (i, tracing) in telemetry.tracing.iter().enumerate() {
            for (j, provider) in tracing.providers.iter().enumerate() {
                let Some(name) = provider.name.as_deref().filter(|n| lightstep.contains(n)) else {
                    continue;
                };
                report.report_with_help(
                    &LIGHTSTEP,
                    object,
                    &format!("spec.tracing[{i}].providers[{j}]"),
                    format!("the Lightstep provider {name:?} is deprecated"),
                    "define an opentelemetry extension provider in MeshConfig and use it instead",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::findings_with;
    use crate::loader::{Limits, SourceFile, parse_documents};
    use crate::snapshot::MeshConfig;

    fn mesh(yaml: &str) -> MeshConfig {
        let source = SourceFile::new("mesh.yaml", yaml.to_string());
        let docs = parse_documents(&source, &Limits::default());
        MeshConfig::from_node(docs[0].root.as_ref().unwrap()).unwrap()
    }

    #[test]
    fn only_providers_of_the_lightstep_type() {
        let mesh = mesh(
            "extensionProviders:\n- name: lightstep\n  lightstep: {address: ingest.lightstep.com:443, accessToken: x}\n- name: otel\n  opentelemetry: {service: otel.istio-system.svc.cluster.local, port: 4317}\n",
        );
        let yaml = format!(
            "{}---\napiVersion: telemetry.istio.io/v1\nkind: Telemetry\nmetadata:\n  name: shop\n  namespace: shop\nspec:\n  tracing:\n  - providers: [{{name: otel}}]\n",
            LIGHTSTEP.example.yaml
        );
        insta::assert_snapshot!(findings_with(&LIGHTSTEP, &yaml, mesh));
        // The default MeshConfig has no Lightstep provider.
        assert_eq!(findings_with(&LIGHTSTEP, &yaml, MeshConfig::default()), "");
    }
}
