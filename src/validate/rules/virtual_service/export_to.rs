//! Where a VirtualService is visible: `exportTo`.

use super::super::support::{ExportToKind, validate_export_to};
use super::super::{Findings, webhook_rule};
use super::KINDS;
use crate::model::istio::VirtualServiceSpec;
use crate::report::{Example, Rule};

pub static RULE: Rule = webhook_rule(
    "virtualservice-export-to",
    KINDS,
    "A VirtualService `exportTo` list Istio refuses.",
    "`exportTo` entries are `.` (this namespace), `*` (every namespace) or namespace names, each at \
     most once (`.` and this namespace's own name count as the same entry), and `*` cannot be combined \
     with other entries. `~` (visible to no one) is only for ServiceEntries. Istio's webhook refuses \
     the resource otherwise.",
    Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\n  namespace: bookinfo\nspec:\n  hosts: [reviews]\n  exportTo: [\".\", bookinfo, \"~\"]\n  http:\n  - route:\n    - destination:\n        host: reviews\n",
        fires_at: &["spec.exportTo[1]", "spec.exportTo[2]"],
    },
);

pub fn check(spec: &VirtualServiceSpec, found: &mut Findings) {
    let namespace = found.namespace().to_string();
    for (index, reason) in validate_export_to(&namespace, &spec.export_to, ExportToKind::Plain) {
        let path = match index {
            Some(i) => format!("spec.exportTo[{i}]"),
            None => "spec.exportTo".to_string(),
        };
        found.report(path, reason);
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
