//! MSH2001 crd-schema: A custom resource breaks the structural schema of its CRD.

use crate::report::{Example, Level, Rule};

pub static RULE: Rule = Rule {
    code: "MSH2001",
    name: "crd-schema",
    level: Level::Error,
    summary: "A custom resource breaks the openAPIV3Schema of a CRD given with --crd.",
    kinds: &["any kind whose CRD is given with --crd"],
    explanation: "With `meshctl validate --crd FILE` (a CRD file or a folder of them, repeatable), every resource whose apiVersion and kind a loaded CustomResourceDefinition serves is checked against that version's `openAPIV3Schema`, as the API server would: types (with `nullable` and `x-kubernetes-int-or-string`), `required`, `enum`, unknown fields (pruned by the API server, so refused here unless `x-kubernetes-preserve-unknown-fields: true`), `minimum`/`maximum`, `minLength`/`maxLength`, `minItems`/`maxItems`, `minProperties`/`maxProperties`, `pattern`, simple `format`s and the `allOf`/`anyOf`/`oneOf`/`not` value validations. Pass the CRDs of the Istio release you run to check Istio's kinds against exactly that release, in addition to meshctl's own checks. Without `--crd` (as in this example) nothing is checked.",
    example: Example {
        yaml: "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: large\n",
        fires_at: &[],
    },
};
