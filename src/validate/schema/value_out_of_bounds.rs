//! MSH1006 value-out-of-bounds: A value is outside the bounds its schema sets.

use crate::report::{Example, Level, Rule};

pub static RULE: Rule = Rule {
    code: "MSH1006",
    name: "value-out-of-bounds",
    level: Level::Error,
    summary: "A value is outside the bounds its schema sets.",
    kinds: &["*"],
    explanation: "The schema bounds some values: integer ranges (a port is a 32-bit unsigned integer), string lengths (label values at most 63 characters), list lengths (at most 2 TLS certificates on a server), patterns (a policy `targetRef.kind`), and object names and namespaces (lower-case DNS names, as the API server requires of every custom resource). Values outside them are refused.",
    example: Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: reviews\nspec:\n  host: reviews\n  trafficPolicy:\n    outlierDetection:\n      consecutive5xxErrors: -1\n",
        fires_at: &["spec.trafficPolicy.outlierDetection.consecutive5xxErrors"],
    },
};

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
