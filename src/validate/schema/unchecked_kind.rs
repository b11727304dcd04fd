//! MSH1009 unchecked-kind: with `--strict-kinds`, a resource nothing checks.

use crate::model::Object;
use crate::report::{Diagnostic, Example, Level, Origin, Rule};

pub static RULE: Rule = Rule {
    code: "MSH1009",
    name: "unchecked-kind",
    level: Level::Error,
    summary: "With --strict-kinds: a resource of a kind nothing checks.",
    kinds: &["*"],
    explanation: "meshctl checks the kinds of the meshes it models and Kubernetes' own; a custom resource of another group (cert-manager's Certificate, Argo's Rollout, your own CRDs), or a kind a mesh serves that meshctl does not check yet, is only parsed. By default such resources pass and the summary counts them (`3 resources not checked: Certificate (cert-manager.io/v1) x3`). With `--strict-kinds` each is an error at its `kind`, as kubeconform's default is, for teams that want every resource checked: give its CRD with `--crd` (its schema and CEL rules are then checked) or leave the file out. The example fires only with the flag.",
    example: Example {
        yaml: "apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: edge\nspec:\n  secretName: edge-tls\n",
        fires_at: &[],
    },
};

/// The finding about one object nothing checks.
pub fn finding(object: &Object) -> Diagnostic {
    let message = format!(
        "{} ({}) is not checked: meshctl has no schema for this kind",
        object.kind, object.api_version
    );
    let diagnostic = Diagnostic::new(&RULE, message).help(Some(
        "give its CRD with --crd, or leave --strict-kinds off".into(),
    ));
    match object.file() {
        Some(_) => diagnostic.about(object, object.locate_value("kind"), "kind"),
        None => diagnostic.origin(Some(Origin::of(object))),
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);

#[cfg(test)]
mod cases {
    use crate::validate::CustomKinds;
    use crate::validate::test_support::run_files_with;

    fn strict(yaml: &str) -> Vec<String> {
        let strict = CustomKinds {
            crds: None,
            strict: true,
        };
        run_files_with(&[("test.yaml", yaml)], strict)
            .iter()
            .filter(|d| d.code() == "MSH1009")
            .map(|d| {
                let at = d.location.as_ref().unwrap();
                format!(
                    "{}:{} {}: {}",
                    at.pos.line, at.pos.column, at.path, d.message
                )
            })
            .collect()
    }

    #[test]
    fn the_example_fires_at_its_kind_with_the_flag() {
        assert_eq!(
            strict(super::RULE.example.yaml),
            [
                "2:7 kind: Certificate (cert-manager.io/v1) is not checked: meshctl has no schema for this kind"
            ]
        );
    }

    #[test]
    fn checked_kinds_never_fire() {
        let checked = "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec:\n  ports: [{port: 80}]\n---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: a}\nspec: {host: a}\n";
        assert!(strict(checked).is_empty());
    }
}
