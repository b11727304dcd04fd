//! MSH0003 input-limit: A file or document is over a size, depth or alias bound.

use crate::report::{Example, Level, Rule};

pub static RULE: Rule = Rule {
    code: "MSH0003",
    name: "input-limit",
    level: Level::Error,
    summary: "A file or document is over a size, depth or alias bound.",
    kinds: &["*"],
    explanation: "meshctl bounds what one input may cost: file size (`--max-file-bytes`), document size (`--max-document-bytes`), nesting depth (`--max-depth`, at most 1000 whatever is asked: deeper trees would overflow the stack) and what YAML aliases may expand to (`--max-alias-nodes` nodes, the defence against \"billion laughs\" documents, and no more text than `--max-document-bytes`). A document over a bound is skipped and reported; the rest of the input is still checked. Raise the bound with its flag if the input is trusted.",
    example: Example {
        yaml: "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n",
        fires_at: &[""],
    },
};

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
