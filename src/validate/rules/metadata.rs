//! What Istio's webhook checks in the metadata of every mesh resource,
//! before its spec: the `istio.io/dry-run` annotation (AuthorizationPolicy
//! only, a boolean, ALLOW or DENY), Istio's internal annotations (never
//! set by users), and the Gateway name (a DNS label: no dots).

use super::support::is_dns1123_label;
use super::{Findings, webhook_rule};
use crate::model::MeshKind;
use crate::model::istio::Action;
use crate::model::{MeshSpec, Object};
use crate::report::{Example, Rule};

pub static RULE: Rule = webhook_rule(
    "metadata",
    MeshKind::NAMES,
    "An annotation or name Istio's webhook refuses on any mesh resource.",
    "Istio validates metadata before the spec: `istio.io/dry-run` is accepted only on \
     AuthorizationPolicies with action ALLOW or DENY and only as a boolean (`true`, `false`, \
     `1`, `0`, `t`, `f`, ...); the `internal.istio.io/` annotations Istio sets on resources it \
     generates (`webhook-always-reject`, `parents`, `parent-namespace`) may not be set by users; \
     and a Gateway's name must be a DNS label (lower case, digits, `-`, no dots), since \
     VirtualServices refer to it as `namespace/name`.",
    Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: public.gateway\n  annotations:\n    istio.io/dry-run: \"true\"\nspec:\n  selector:\n    istio: ingressgateway\n  servers:\n  - port:\n      number: 80\n      name: http\n      protocol: HTTP\n    hosts: [\"*\"]\n",
        fires_at: &[
            "metadata.annotations[\"istio.io/dry-run\"]",
            "metadata.name",
        ],
    },
);

const DRY_RUN: &str = "istio.io/dry-run";
const INTERNAL: &[&str] = &[
    "internal.istio.io/webhook-always-reject",
    "internal.istio.io/parents",
    "internal.istio.io/parent-namespace",
];

pub fn check(object: &Object, spec: &MeshSpec, found: &mut Findings) {
    let annotations = object.metadata().annotations.as_ref();
    let annotation_path = |name: &str| format!("metadata.annotations[\"{name}\"]");
    if let Some(value) = annotations.and_then(|a| a.get(DRY_RUN)) {
        let path = annotation_path(DRY_RUN);
        match spec {
            MeshSpec::AuthorizationPolicy(policy) => match policy.action {
                None | Some(Action::Allow | Action::Deny) if !is_go_bool(value) => {
                    found.report(
                        path,
                        format!(
                            "annotation {DRY_RUN} has invalid value {value:?}: it must be a boolean"
                        ),
                    );
                }
                None | Some(Action::Allow | Action::Deny) => {}
                Some(action) => found.report(
                    path,
                    format!(
                        "annotation {DRY_RUN} works only with action ALLOW or DENY, not {action:?}"
                    ),
                ),
            },
            _ => found.report(
                path,
                format!("annotation {DRY_RUN} is supported only on AuthorizationPolicy; remove it"),
            ),
        }
    }
    for name in INTERNAL {
        if annotations.is_some_and(|a| a.contains_key(name)) {
            found.report(
                annotation_path(name),
                format!("annotation {name} is Istio's own and may not be set by users"),
            );
        }
    }
    if matches!(spec, MeshSpec::Gateway(_)) && !is_dns1123_label(&object.name) {
        found.report(
            "metadata.name",
            format!(
                "invalid gateway name {:?}: it must be a DNS label (no dots)",
                object.name
            ),
        );
    }
}

/// The values Go's `strconv.ParseBool` accepts.
fn is_go_bool(value: &str) -> bool {
    matches!(
        value,
        "1" | "t" | "T" | "TRUE" | "true" | "True" | "0" | "f" | "F" | "FALSE" | "false" | "False"
    )
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);

#[cfg(test)]
mod cases {
    use crate::validate::test_support::findings_of;

    #[test]
    fn dry_run_only_on_allow_or_deny_policies_with_a_boolean() {
        let policy = |action: &str, value: &str| {
            format!(
                "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: p\n  annotations:\n    istio.io/dry-run: \"{value}\"\nspec:\n  action: {action}\n  provider:\n    name: ext\n  rules:\n  - {{}}\n"
            )
        };
        assert_eq!(
            findings_of(
                &super::RULE,
                &policy("DENY", "T").replace("  provider:\n    name: ext\n", "")
            ),
            ""
        );
        insta::assert_snapshot!(
            [
                findings_of(
                    &super::RULE,
                    &policy("ALLOW", "yes").replace("  provider:\n    name: ext\n", "")
                ),
                findings_of(&super::RULE, &policy("CUSTOM", "true")),
            ]
            .join("\n")
        );
    }

    #[test]
    fn internal_annotations_are_refused() {
        let yaml = "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: d\n  annotations:\n    internal.istio.io/parents: x\nspec:\n  host: d\n";
        insta::assert_snapshot!(findings_of(&super::RULE, yaml));
    }
}
