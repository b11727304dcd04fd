//! MSH0003 input-limit: A file or document is over a size, depth or alias bound.

use crate::report::{Example, Level, Rule};

pub static RULE: Rule = Rule {
    code: "MSH0003",
    name: "input-limit",
    level: Level::Error,
    summary: "A file or document is over a size, depth or alias bound.",
    kinds: &["*"],
    explanation: "meshctl bounds what one input may cost: file size (`--max-file-bytes`), document size (`--max-document-bytes`), nesting depth (`--max-depth`) and the nodes that YAML aliases may expand to (`--max-alias-nodes`, the defence against \"billion laughs\" documents). A document over a bound is skipped and reported; the rest of the input is still checked. Raise the bound with its flag if the input is trusted.",
    example: Example {
        yaml: "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n",
        fires_at: &[""],
    },
};

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::validate::test_support::{findings, findings_of};

    #[test]
    fn fires_on_the_example() {
        insta::assert_snapshot!(findings_of(&RULE, RULE.example.yaml));
    }

    #[test]
    fn quiet_on_valid_input() {
        let valid = "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination:\n        host: reviews\n        subset: v1\n      weight: 100\n";
        assert_eq!(findings(valid), "");
    }
}
