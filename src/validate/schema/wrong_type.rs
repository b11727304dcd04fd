//! MSH1002 wrong-type: A field has a value of the wrong type.

use crate::report::{Example, Level, Rule};

pub static RULE: Rule = Rule {
    code: "MSH1002",
    name: "wrong-type",
    level: Level::Error,
    summary: "A field has a value of the wrong type.",
    kinds: &["*"],
    explanation: "Kubernetes reads YAML as JSON and refuses a value of the wrong type: a quoted number where an integer is expected, a list where a mapping is expected, or an unquoted `yes`/`on`/`1.0` where a string is expected (YAML reads those as a boolean or a number). Quote strings, unquote numbers.",
    example: Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination:\n        host: reviews\n      weight: \"ten\"\n",
        fires_at: &["spec.http[0].route[0].weight"],
    },
};

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);

#[cfg(test)]
mod integral_numbers {
    use crate::validate::test_support::findings;

    #[test]
    fn an_integral_number_is_an_integer_and_a_fraction_is_not() {
        let route = |weight: &str| {
            format!(
                "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {{name: r, namespace: default}}\nspec:\n  hosts: [r]\n  http:\n  - route:\n    - {{destination: {{host: r, subset: a}}, weight: {weight}}}\n    - {{destination: {{host: r, subset: b}}, weight: 50}}\n"
            )
        };
        assert_eq!(findings(&route("50.0")), "");
        assert_eq!(findings(&route("5e1")), "");
        assert!(
            findings(&route("50.5")).contains("MSH1002"),
            "{}",
            findings(&route("50.5"))
        );
    }
}
