//! Unit tests of `--crd`: the structural checks and the CEL rules, against
//! testdata/crds/widget-crd.yaml and small CRDs written inline.

use super::load::add_crd;
use super::{CrdSet, load_crds};
use crate::loader::{Limits, LoadedFile, SourceFile, parse_documents};
use crate::model::{Object, read_file};

const WIDGET_CRD: &str = include_str!("../../../testdata/crds/widget-crd.yaml");

fn objects(yaml: &str) -> Vec<Object> {
    let source = SourceFile::new("t.yaml", yaml.to_string());
    let documents = parse_documents(&source, &Limits::default());
    read_file(LoadedFile { source, documents }, "default").objects
}

fn crds(yaml: &str) -> CrdSet {
    let mut set = CrdSet::default();
    for object in objects(yaml) {
        add_crd(&mut set, &object);
    }
    set
}

/// The findings, one per line: `CODE line:column path: message`.
fn check(crd: &str, yaml: &str) -> String {
    let set = crds(crd);
    let mut found: Vec<_> = objects(yaml).iter().flat_map(|o| set.check(o)).collect();
    found.sort_by_key(|d| d.sort_key());
    found
        .iter()
        .map(|d| {
            let l = d.location.as_ref().expect("located");
            format!(
                "{} {}:{} {}: {}",
                d.rule.code, l.pos.line, l.pos.column, l.path, d.message
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn widget(spec: &str) -> String {
    format!("apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n{spec}")
}

fn widget_findings(spec: &str) -> String {
    check(WIDGET_CRD, &widget(spec)).replace(" (CRD widgets.example.com)", "")
}

#[test]
fn loads_the_served_versions_and_ignores_other_documents() {
    let set = crds(&format!(
        "{WIDGET_CRD}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c}}\n"
    ));
    assert_eq!(set.len(), 1);
}

#[test]
fn an_unreadable_crd_file_is_an_input_error() {
    let error = load_crds(
        &["testdata/crds/no-such.yaml".into()],
        false,
        &Limits::default(),
    )
    .expect_err("missing file");
    assert!(error.path.contains("no-such.yaml"), "{error}");
}

#[test]
fn a_valid_widget_has_no_finding() {
    let good = include_str!("../../../testdata/crds/widgets-good.yaml");
    assert_eq!(check(WIDGET_CRD, good), "");
}

#[test]
fn kinds_without_a_crd_are_left_alone() {
    let yaml = "apiVersion: example.com/v2\nkind: Widget\nmetadata: {name: w}\nspec: {x: 1}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n";
    assert_eq!(check(WIDGET_CRD, yaml), "");
}

#[test]
fn wrong_types() {
    assert_eq!(
        widget_findings("  size: small\n  maxReplicas: \"3\"\n  port: 1.5\n  labels: [a]\n"),
        "MSH2001 7:16 spec.maxReplicas: expected an integer, found a string\n\
         MSH2001 8:9 spec.port: expected an integer or a string, found a number\n\
         MSH2001 9:3 spec.labels: expected an object, found a list"
    );
}

#[test]
fn unknown_fields_unless_preserved() {
    assert_eq!(
        widget_findings(
            "  size: small\n  colour: blue\n  parts:\n  - name: a\n    config: {free: form}\n    extra: 1\nstatus: {anything: goes}\n"
        ),
        "MSH2001 7:3 spec.colour: unknown field \"colour\"\n\
         MSH2001 11:5 spec.parts[0].extra: unknown field \"extra\""
    );
}

#[test]
fn missing_required_fields() {
    assert_eq!(
        widget_findings("  color: blue\n  parts:\n  - config: {}\n"),
        "MSH2001 5:1 spec.size: missing required field \"size\"\n\
         MSH2001 8:5 spec.parts[0].name: missing required field \"name\""
    );
}

#[test]
fn enums_and_bounds() {
    assert_eq!(
        widget_findings(
            "  size: huge\n  color: blue-and-green\n  minReplicas: -1\n  maxReplicas: 101\n  parts: [{name: a}, {name: b}, {name: c}, {name: D}]\n"
        ),
        "MSH2001 6:9 spec.size: invalid value \"huge\"\n\
         MSH2001 7:10 spec.color: \"blue-and-green\" is longer than 10 characters\n\
         MSH2001 8:16 spec.minReplicas: -1 must be >= 0\n\
         MSH2001 9:16 spec.maxReplicas: 101 must be <= 100\n\
         MSH2001 10:3 spec.parts: list has 4 items, more than 3\n\
         MSH2001 10:51 spec.parts[3].name: \"D\" does not match pattern \"^[a-z]+$\""
    );
}

#[test]
fn cel_rules_pass_and_fail_with_their_messages() {
    assert_eq!(
        widget_findings("  size: large\n  color: green\n  minReplicas: 1\n  maxReplicas: 2\n"),
        ""
    );
    assert_eq!(
        widget_findings("  size: large\n  color: red\n  minReplicas: 3\n  maxReplicas: 2\n"),
        "MSH2002 5:1 spec: minReplicas must not exceed maxReplicas\n\
         MSH2002 7:10 spec.color: a large widget cannot be red"
    );
    assert_eq!(
        widget_findings("  size: small\n  labels: {a-label-key-longer-than-16: x}\n"),
        "MSH2002 7:3 spec.labels: label keys are at most 16 characters"
    );
}

#[test]
fn rules_under_a_schema_error_are_not_evaluated() {
    assert_eq!(
        widget_findings("  size: small\n  minReplicas: 3\n  maxReplicas: \"2\"\n"),
        "MSH2001 8:16 spec.maxReplicas: expected an integer, found a string"
    );
}

const RULES_CRD: &str = "apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gadgets.example.com}
spec:
  group: example.com
  names: {kind: Gadget, plural: gadgets}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            x-kubernetes-validations:
            - rule: 'self.name.startsWith(\"g\")'
              message: name must start with g
            - rule: 'self.name +'
            - rule: 'self.name'
            - rule: 'self.missing == 1'
            - rule: 'self.name == oldSelf.name'
            - rule: 'self.name.size() < 4'
              messageExpression: \"'name ' + self.name + ' is too long'\"
            - rule: 'quantity(self.memory).isLessThan(quantity(\"1Gi\"))'
              message: memory must be below 1Gi
              fieldPath: .memory
            - rule: 'duration(self.timeout) >= duration(\"1ms\")'
              message: timeout too short
              fieldPath: .timeout
            properties:
              name: {type: string}
              memory: {type: string}
              timeout: {type: string}
          deep:
            type: object
            x-kubernetes-preserve-unknown-fields: true
";

fn gadget(spec: &str) -> String {
    check(
        RULES_CRD,
        &format!("apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: g\nspec:\n{spec}"),
    )
    .replace(" (CRD gadgets.example.com)", "")
}

#[test]
fn bad_rules_are_findings_and_transition_rules_are_skipped() {
    let found = gadget("  name: gizmo\n  memory: 2Gi\n  timeout: 500us\n");
    let lines: Vec<&str> = found.lines().collect();
    assert_eq!(lines.len(), 6, "{found}");
    assert!(lines[0].starts_with("MSH2002 5:1 spec: rule \"self.name +\" cannot be compiled"));
    assert_eq!(
        lines[1],
        "MSH2002 5:1 spec: rule \"self.name\" returned string, not a boolean"
    );
    assert!(
        lines[2].starts_with("MSH2002 5:1 spec: rule \"self.missing == 1\" cannot be evaluated"),
        "{}",
        lines[2]
    );
    assert_eq!(lines[3], "MSH2002 5:1 spec: name gizmo is too long");
    assert_eq!(
        lines[4],
        "MSH2002 7:11 spec.memory: memory must be below 1Gi"
    );
    assert_eq!(lines[5], "MSH2002 8:12 spec.timeout: timeout too short");
    assert!(!found.contains("oldSelf"));
}

#[test]
fn deep_values_do_not_panic() {
    let mut deep = String::from("x");
    for _ in 0..120 {
        deep = format!("{{a: {deep}}}");
    }
    let yaml = format!(
        "apiVersion: example.com/v1\nkind: Gadget\nmetadata: {{name: g}}\ndeep: {deep}\nspec: {{name: g}}\n"
    );
    let found = check(RULES_CRD, &yaml);
    assert_eq!(found.lines().count(), 5, "{found}");
    let nested = format!("  name: {deep}\n");
    assert!(gadget(&nested).contains("expected a string, found an object"));
}

const LOOPS_CRD: &str = "apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: loops.example.com}
spec:
  group: example.com
  names: {kind: Loop, plural: loops}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            x-kubernetes-validations:
            - rule: 'self.items.all(a, self.items.all(b, self.items.all(c, a + b + c >= 0)))'
              message: cubic
            - rule: 'self.items.all(a, self.items.exists(b, a == b))'
              message: quadratic
            - rule: 'self.groups.all(g, g.all(x, x >= 0))'
              message: linear over the nested lists
            properties:
              items: {type: array, items: {type: integer}}
              groups: {type: array, items: {type: array, items: {type: integer}}}
";

fn loops(items: usize) -> String {
    let list: Vec<String> = (0..items).map(|i| i.to_string()).collect();
    check(
        LOOPS_CRD,
        &format!(
            "apiVersion: example.com/v1\nkind: Loop\nmetadata:\n  name: l\nspec:\n  items: [{}]\n  groups: [[{}]]\n",
            list.join(", "),
            list.join(", ")
        ),
    )
    .replace(" (CRD loops.example.com)", "")
}

#[test]
fn rules_whose_nested_loops_would_exceed_the_api_servers_cost_limit_are_refused_not_run() {
    // 3,000 items: 2.7e10 steps for the cubic rule, 9e6 for the quadratic one.
    let found = loops(3_000);
    assert_eq!(found.lines().count(), 2, "{found}");
    assert!(
        found.contains("3 nested loops over up to 3000 items cost about 3e10 steps"),
        "{found}"
    );
    assert!(
        found.contains("2 nested loops over up to 3000 items cost about 9e6 steps"),
        "{found}"
    );
    // Small lists are evaluated, and these rules hold.
    assert_eq!(loops(50), "");
}

/// The API server applies defaults before it judges oneOf alternatives: an
/// address without `type` takes the default type, so only one alternative
/// ("is an IP address") holds, not also "is of another type".
#[test]
fn one_of_alternatives_are_judged_on_defaulted_values() {
    let crd = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: sockets.example.com}\nspec:\n  group: example.com\n  names: {kind: Socket, plural: sockets}\n  scope: Namespaced\n  versions:\n  - name: v1\n    served: true\n    storage: true\n    schema:\n      openAPIV3Schema:\n        type: object\n        properties:\n          spec:\n            type: object\n            properties:\n              address:\n                type: object\n                oneOf:\n                - properties:\n                    type: {enum: [IP]}\n                    value: {format: ipv4}\n                - properties:\n                    type: {not: {enum: [IP]}}\n                properties:\n                  type: {type: string, default: IP}\n                  value: {type: string}\n";
    let socket = |address: &str| {
        format!(
            "apiVersion: example.com/v1\nkind: Socket\nmetadata: {{name: s}}\nspec:\n  address: {address}\n"
        )
    };
    assert_eq!(check(crd, &socket("{value: 10.0.0.1}")), "");
    assert_eq!(check(crd, &socket("{type: Name, value: db}")), "");
    assert!(check(crd, &socket("{value: db}")).contains("satisfies 0 of the oneOf"));
}
