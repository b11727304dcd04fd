//! MSH2002 crd-validation-rule: A CEL rule of a CRD fails on a custom resource.

use crate::report::{Example, Level, Rule};

pub static RULE: Rule = Rule {
    code: "MSH2002",
    name: "crd-validation-rule",
    level: Level::Error,
    summary: "A CEL rule (x-kubernetes-validations) of a CRD given with --crd fails or cannot be evaluated.",
    kinds: &["any kind whose CRD is given with --crd"],
    explanation: "Each `x-kubernetes-validations` rule of the CRD's schema is evaluated with `self` bound to the value at its schema node, with Kubernetes' CEL libraries (strings, lists, sets, regex, url, ip, quantity, semver, format). A rule that returns false is reported with its `message` (or the value of its `messageExpression`) at its node, or at its `fieldPath` when it names one; a rule that cannot be compiled or evaluated, or does not return a boolean, is reported too. Transition rules (those that read `oldSelf`) need the stored object and are skipped, as the API server skips them on create. Rules under a value that already breaks the schema (MSH2001) are not evaluated, to avoid follow-on findings. Schema defaults of absent fields are applied before evaluation, as the API server does.",
    example: Example {
        yaml: "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  replicas: -1\n",
        fires_at: &[],
    },
};
