//! DestinationRule host, subsets, exportTo and workload selector.

use std::collections::BTreeSet;

use super::super::support::{
    ExportToKind, is_dns1123_label, validate_export_to, validate_selector_labels,
    validate_wildcard_domain,
};
use super::super::{Findings, webhook_rule};
use super::KINDS;
use super::labels::{key_path, validate_labels};
use crate::model::istio::DestinationRuleSpec;
use crate::report::{Example, Rule};

pub static RULE: Rule = webhook_rule(
    "destinationrule-host-subsets",
    KINDS,
    "DestinationRule host, subsets, exportTo or workload selector that Istio refuses.",
    "The host must be a DNS name, optionally with a wildcard as its whole first label (`*.example.com`). \
     Each subset needs a unique name that is a DNS label (`v1`, not `v1.0`), and its labels must be valid \
     Kubernetes labels. `exportTo` entries are `.`, `*` or namespace names, without repeats; with a \
     `workloadSelector` the rule may only be exported to its own namespace. Selector labels may not be \
     empty or contain `*`, and a selector without labels (which selects every workload) draws a warning. \
     Istio's webhook refuses the rest; fix the names or split the rule.",
    Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: reviews\nspec:\n  host: reviews_v1\n  subsets:\n  - name: v1.0\n    labels: {version: v1}\n  - name: v2\n    labels: {version: \"v2!\"}\n  - name: v2\n  exportTo: [\".\", \".\"]\n",
        fires_at: &[
            "spec.host",
            "spec.subsets[0].name",
            "spec.subsets[1].labels.version",
            "spec.subsets[2].name",
            "spec.exportTo[1]",
        ],
    },
);

pub fn check(spec: &DestinationRuleSpec, found: &mut Findings) {
    if let Some(host) = &spec.host
        && let Err(reason) = validate_wildcard_domain(host)
    {
        found.report("spec.host", reason);
    }
    check_subsets(spec, found);
    let kind = if spec.workload_selector.is_some() {
        ExportToKind::DestinationRuleWithSelector
    } else {
        ExportToKind::Plain
    };
    let namespace = found.namespace().to_string();
    for (index, problem) in validate_export_to(&namespace, &spec.export_to, kind) {
        let path = match index {
            Some(i) => format!("spec.exportTo[{i}]"),
            None => "spec.exportTo".to_string(),
        };
        found.report(path, problem);
    }
    if let Some(selector) = &spec.workload_selector {
        let (errors, warning) = validate_selector_labels(&selector.match_labels);
        for (key, problem) in errors {
            found.report(key_path("spec.workloadSelector.matchLabels", &key), problem);
        }
        if let Some(warning) = warning {
            found.warn("spec.workloadSelector", warning);
        }
    }
}

fn check_subsets(spec: &DestinationRuleSpec, found: &mut Findings) {
    let mut names = BTreeSet::new();
    for (i, subset) in spec.subsets.iter().enumerate() {
        let name = subset.name.as_deref().unwrap_or_default();
        let path = format!("spec.subsets[{i}]");
        if !names.insert(name) {
            found.report(
                format!("{path}.name"),
                format!("duplicate subset names: {name}"),
            );
        } else if name.is_empty() {
            found.report(format!("{path}.name"), "subset name cannot be empty");
        } else if !is_dns1123_label(name) {
            found.report(
                format!("{path}.name"),
                format!("subset name is invalid: {name}"),
            );
        }
        for (key, problem) in validate_labels(&subset.labels) {
            found.report(key_path(&format!("{path}.labels"), key), problem);
        }
    }
}

#[cfg(test)]
mod cases {
    use crate::validate::test_support::findings;

    const HEAD: &str = "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: r\n  namespace: ns\nspec:\n";

    fn check(body: &str) -> String {
        findings(&format!("{HEAD}{body}"))
    }

    #[test]
    fn wildcard_hosts_are_accepted() {
        assert_eq!(check("  host: \"*.example.com\"\n"), "");
        assert_eq!(check("  host: \"*\"\n"), "");
        assert!(check("  host: foo.*.com\n").contains("spec.host"));
    }

    #[test]
    fn selector_limits_export_to() {
        let selector = "  host: r\n  workloadSelector:\n    matchLabels: {app: r}\n";
        assert_eq!(check(&format!("{selector}  exportTo: [.]\n")), "");
        assert!(
            check(&format!("{selector}  exportTo: [other]\n")).contains("beyond current namespace")
        );
        assert!(check(&format!("{selector}  exportTo: [., ns]\n")).contains("duplicate entries"));
        assert!(check("  host: r\n  exportTo: [\"*\", a]\n").contains("both public"));
    }

    #[test]
    fn selector_labels() {
        assert!(check("  host: r\n  workloadSelector: {}\n").contains("without labels"));
        assert!(
            check("  host: r\n  workloadSelector:\n    matchLabels: {app: \"*\"}\n")
                .contains("wildcard")
        );
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
