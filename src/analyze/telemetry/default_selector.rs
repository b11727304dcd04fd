//! Several Telemetries without a selector in one namespace (IST0160).

use std::collections::BTreeMap;

use super::super::{Analyzer, Report, object_names};

use crate::model::Object;
use crate::report::{Example, Level, Rule};
use crate::snapshot::Snapshot;

pub static MULTIPLE_DEFAULTS: Rule = Rule {
    code: "IST0160",
    name: "multiple-telemetries-without-workload-selectors",
    level: Level::Error,
    summary: "More than one Telemetry without a selector in one namespace.",
    kinds: &["Telemetry"],
    explanation: "A Telemetry without `selector` applies to every workload of its namespace (of \
        the whole mesh in the root namespace). With several in one namespace, which one a \
        workload takes is undefined. Merge them into one, or give all but one a selector.",
    example: Example {
        yaml: "apiVersion: telemetry.istio.io/v1\nkind: Telemetry\nmetadata:\n  name: logs\n  namespace: shop\nspec:\n  accessLogging:\n  - providers: [{name: envoy}]\n---\napiVersion: telemetry.istio.io/v1\nkind: Telemetry\nmetadata:\n  name: traces\n  namespace: shop\nspec:\n  tracing:\n  - randomSamplingPercentage: 10\n",
        fires_at: &["metadata.name", "metadata.name"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "telemetry.DefaultSelectorAnalyzer",
    rules: &[&MULTIPLE_DEFAULTS],
    run,
};

fn run(snapshot: &Snapshot, report: &mut Report) {
    let mut defaults: BTreeMap<&str, Vec<&Object>> = BTreeMap::new();
    for (object, telemetry) in snapshot.telemetries() {
        if telemetry.selector.is_none() {
            let namespace = object.namespace.as_deref().unwrap_or_default();
            defaults.entry(namespace).or_default().push(object);
        }
    }
    for (namespace, telemetries) in defaults.iter().filter(|(_, t)| t.len() > 1) {
        let names = object_names(telemetries);
        for telemetry in telemetries {
            report.report_with_help(
                &MULTIPLE_DEFAULTS,
                telemetry,
                "metadata.name",
                format!("the Telemetries {names} in namespace {namespace:?} have no selector; which one applies is undefined"),
                "merge them, or give all but one a selector",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::analyzer_tests;

    analyzer_tests!(
        MULTIPLE_DEFAULTS,
        "apiVersion: telemetry.istio.io/v1\nkind: Telemetry\nmetadata:\n  name: logs\n  namespace: shop\nspec:\n  accessLogging:\n  - providers: [{name: envoy}]\n---\napiVersion: telemetry.istio.io/v1\nkind: Telemetry\nmetadata:\n  name: logs\n  namespace: other\nspec:\n  accessLogging:\n  - providers: [{name: envoy}]\n---\napiVersion: telemetry.istio.io/v1\nkind: Telemetry\nmetadata:\n  name: reviews\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: reviews}\n"
    );
}
