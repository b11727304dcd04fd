//! WorkloadGroup: the labels it gives every WorkloadEntry of the group.

use super::super::destination_rule::labels::{key_path, validate_labels};
use super::super::{Findings, webhook_rule};
use super::KINDS;
use crate::model::istio::WorkloadGroupSpec;
use crate::report::{Example, Rule};

pub static RULE: Rule = webhook_rule(
    "workloadgroup-labels",
    KINDS,
    "WorkloadGroup metadata labels that are not valid Kubernetes labels.",
    "`metadata.labels` of a WorkloadGroup are copied onto every WorkloadEntry made from it, so \
     they must be valid Kubernetes labels. The template itself is not checked as a WorkloadEntry \
     is: its address is filled in when a workload joins.",
    Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: WorkloadGroup\nmetadata:\n  name: vms\nspec:\n  metadata:\n    labels:\n      \".\": ratings\n  template: {}\n",
        fires_at: &["spec.metadata.labels[\".\"]"],
    },
);

pub fn check(spec: &WorkloadGroupSpec, found: &mut Findings) {
    let Some(metadata) = &spec.metadata else {
        return;
    };
    for (key, problem) in validate_labels(&metadata.labels) {
        found.report(
            key_path("spec.metadata.labels", key),
            format!("invalid labels: {problem}"),
        );
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
