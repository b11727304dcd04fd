//! The CEL rules of a schema node (`x-kubernetes-validations`), compiled
//! once, evaluated with the `cel` crate and Kubernetes' CEL libraries
//! (`kube-cel`).

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

use kube_cel::KubeCelExt;
use kube_cel::cel::common::ast::{EntryExpr, Expr};
use kube_cel::cel::{Context, IdedExpr, Program, Value as Cel};
use serde_json::Value as Json;

use super::schema::{MAX_DEPTH, Walker};
use crate::loader::{push_key, quoted, shortened};

/// One `x-kubernetes-validations` entry.
#[derive(Debug)]
pub(super) struct CelRule {
    rule: String,
    program: Result<Program, String>,
    message: Option<String>,
    message_expression: Option<Result<Program, String>>,
    field_path: Option<String>,
    /// Reads `oldSelf`: needs the stored object, so it is skipped.
    transition: bool,
    /// How many loops (`all`, `exists`, `map`, `filter`...) nest in the rule
    /// over ranges that do not come from the loop around them: its cost grows
    /// as the size of the data to this power.
    nested_loops: u32,
}

fn compile(source: &str) -> Result<Program, String> {
    match catch_unwind(|| Program::compile(source)) {
        Ok(Ok(program)) => Ok(program),
        // The parser's report repeats the rule over several lines.
        Ok(Err(error)) => Err(error.to_string().lines().next().unwrap_or("").to_string()),
        Err(_) => Err("the CEL parser failed on this rule".into()),
    }
}

impl CelRule {
    pub(super) fn compile(entry: &Json) -> Option<CelRule> {
        let rule = entry.get("rule")?.as_str()?.to_string();
        let text = |key: &str| {
            entry
                .get(key)
                .and_then(Json::as_str)
                .filter(|s| !s.trim().is_empty())
                .map(str::to_string)
        };
        let program = compile(&rule);
        let transition = match &program {
            Ok(program) => program.references().has_variable("oldSelf"),
            Err(_) => rule.contains("oldSelf"),
        };
        let nested_loops = match &program {
            Ok(program) => independent_loop_depth(program.expression(), &mut Vec::new()),
            Err(_) => 0,
        };
        Some(CelRule {
            nested_loops,
            program,
            message: text("message"),
            message_expression: text("messageExpression").map(|m| compile(&m)),
            field_path: text("fieldPath"),
            transition,
            rule,
        })
    }
}

/// The context with Kubernetes' functions, built on first use, once per
/// object.
#[derive(Default)]
pub(super) struct Evaluator {
    context: Option<Context<'static>>,
}

fn run(program: &Program, scope: &Context) -> Result<Cel, String> {
    match catch_unwind(AssertUnwindSafe(|| program.execute(scope))) {
        Ok(Ok(result)) => Ok(result),
        Ok(Err(error)) => Err(error.to_string()),
        Err(_) => Err("the CEL evaluator failed on this rule".into()),
    }
}

/// A failed rule: where, what, and the rule itself as help.
type Failure = (String, String, Option<String>);

impl Walker<'_> {
    /// Evaluates the rules of one schema node with `self` bound to `value`,
    /// the value at `path` (bound once: the binding copies the value).
    pub(super) fn evaluate(&mut self, rules: &[CelRule], value: &Cel, path: &str) {
        if rules.iter().all(|r| r.transition) {
            return;
        }
        let context = self
            .evaluator
            .context
            .get_or_insert_with(|| Context::default().with_all());
        let mut scope = context.new_inner_scope();
        scope.add_variable_from_value("self", value.clone());
        let failures: Vec<Failure> = rules
            .iter()
            .filter(|r| !r.transition)
            .filter_map(|rule| outcome(rule, value, &scope, path))
            .collect();
        drop(scope);
        for (at, message, help) in failures {
            self.rule_error(&at, message, help);
        }
    }
}

/// The failure of one rule on `value` (bound as `self` in `scope`), if it fails.
fn outcome(rule: &CelRule, value: &Cel, scope: &Context, path: &str) -> Option<Failure> {
    let program = match &rule.program {
        Ok(program) => program,
        Err(error) => {
            let message = format!("rule {} cannot be compiled: {error}", quoted(&rule.rule));
            return Some((path.to_string(), message, None));
        }
    };
    let message = match too_expensive(rule, value) {
        Some(message) => message,
        None => match run(program, scope) {
            Ok(Cel::Bool(true)) => return None,
            Ok(Cel::Bool(false)) => failure_message(rule, scope),
            Ok(other) => format!(
                "rule {} returned {}, not a boolean",
                quoted(&rule.rule),
                other.type_of()
            ),
            Err(error) => format!(
                "rule {} cannot be evaluated: {}",
                quoted(&rule.rule),
                shortened(&error.to_string())
            ),
        },
    };
    let mut at = path.to_string();
    if let Some(field_path) = &rule.field_path {
        append_field_path(&mut at, field_path);
    }
    Some((
        at,
        message,
        Some(format!("rule: {}", shortened(&rule.rule))),
    ))
}

/// The API server's bound on the cost of one evaluation of a rule
/// (`PerCallLimit`): past it, the request is refused.
const PER_CALL_COST_LIMIT: f64 = 1_000_000.0;

/// Why a rule is not evaluated on `value`: its nested loops over the
/// largest list or map in the value would cost more than the API server
/// allows (and would keep meshctl busy for hours: the evaluator has no
/// budget of its own). An estimate from above, as the API server's.
fn too_expensive(rule: &CelRule, value: &Cel) -> Option<String> {
    if rule.nested_loops < 2 {
        return None;
    }
    let largest = largest_collection(value).max(1);
    let cost = (largest as f64).powi(rule.nested_loops.try_into().unwrap_or(i32::MAX));
    (cost > PER_CALL_COST_LIMIT).then(|| {
        format!(
            "rule {} is too expensive to evaluate here: {} nested loops over up to {largest} items cost about {cost:.0e} steps, over the API server's limit of {PER_CALL_COST_LIMIT:.0e} per evaluation",
            quoted(&rule.rule),
            rule.nested_loops
        )
    })
}

/// The length of the longest list or map in a value.
fn largest_collection(value: &Cel) -> usize {
    match value {
        Cel::List(items) => items
            .iter()
            .map(largest_collection)
            .fold(items.len(), usize::max),
        Cel::Map(map) => map
            .map
            .values()
            .map(largest_collection)
            .fold(map.map.len(), usize::max),
        _ => 0,
    }
}

/// The deepest nesting of loops in `expr` whose range does not depend on an
/// enclosing loop's variable (`self.all(a, self.all(b, ...))` is 2;
/// `self.all(a, a.items.all(b, ...))` is 1: its inner loops together visit
/// each item once).
fn independent_loop_depth(expr: &IdedExpr, enclosing: &mut Vec<String>) -> u32 {
    match &expr.expr {
        Expr::Comprehension(loop_) => {
            let range = independent_loop_depth(&loop_.iter_range, enclosing);
            let init = independent_loop_depth(&loop_.accu_init, enclosing);
            let multiplies = !mentions_any(&loop_.iter_range, enclosing);
            let scope = enclosing.len();
            enclosing.push(loop_.iter_var.clone());
            enclosing.extend(loop_.iter_var2.clone());
            let body = [&loop_.loop_cond, &loop_.loop_step, &loop_.result]
                .into_iter()
                .map(|e| independent_loop_depth(e, enclosing))
                .max()
                .unwrap_or(0);
            enclosing.truncate(scope);
            range.max(init).max(body + u32::from(multiplies))
        }
        _ => children(expr)
            .map(|child| independent_loop_depth(child, enclosing))
            .max()
            .unwrap_or(0),
    }
}

/// Whether `expr` names one of `names`.
fn mentions_any(expr: &IdedExpr, names: &[String]) -> bool {
    match &expr.expr {
        Expr::Ident(name) => names.contains(name),
        Expr::Comprehension(loop_) => [
            &loop_.iter_range,
            &loop_.accu_init,
            &loop_.loop_cond,
            &loop_.loop_step,
            &loop_.result,
        ]
        .into_iter()
        .any(|e| mentions_any(e, names)),
        _ => children(expr).any(|child| mentions_any(child, names)),
    }
}

/// The direct subexpressions of a call, selection or literal.
fn children(expr: &IdedExpr) -> Box<dyn Iterator<Item = &IdedExpr> + '_> {
    match &expr.expr {
        Expr::Call(call) => Box::new(call.target.as_deref().into_iter().chain(&call.args)),
        Expr::Select(select) => Box::new(std::iter::once(select.operand.as_ref())),
        Expr::List(list) => Box::new(list.elements.iter()),
        Expr::Map(map) => Box::new(map.entries.iter().flat_map(|e| entry_parts(&e.expr))),
        Expr::Struct(object) => Box::new(object.entries.iter().flat_map(|e| entry_parts(&e.expr))),
        _ => Box::new(std::iter::empty()),
    }
}

fn entry_parts(entry: &EntryExpr) -> Vec<&IdedExpr> {
    match entry {
        EntryExpr::StructField(field) => vec![&field.value],
        EntryExpr::MapEntry(pair) => vec![&pair.key, &pair.value],
    }
}

/// The message of a failed rule: its messageExpression's value, else its
/// message, else Kubernetes' default.
fn failure_message(rule: &CelRule, scope: &Context) -> String {
    if let Some(Ok(program)) = &rule.message_expression
        && let Ok(Cel::String(message)) = run(program, scope)
        && !message.trim().is_empty()
    {
        return shortened(&message).into_owned();
    }
    match &rule.message {
        Some(message) => shortened(message).into_owned(),
        None => format!("failed rule: {}", shortened(&rule.rule)),
    }
}

/// Appends a rule's `fieldPath` (`.spec.replicas`, `.labels['a.b']`,
/// `.items[0]`) to a meshctl field path.
fn append_field_path(path: &mut String, field_path: &str) {
    let mut rest = field_path.trim();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            if end > 0 {
                push_key(path, &after[..end]);
            }
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix("['") {
            let Some(end) = after.find("']") else {
                return;
            };
            push_key(path, &after[..end]);
            rest = &after[end + 2..];
        } else if let Some(after) = rest.strip_prefix('[') {
            let Some(end) = after.find(']') else {
                return;
            };
            path.push_str(&rest[..end + 2]);
            rest = &after[end + 1..];
        } else {
            // A path without a leading dot.
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            push_key(path, &rest[..end]);
            rest = &rest[end..];
        }
    }
}

/// A JSON value as CEL sees it: integers are ints (doubles when they do not
/// fit), and null fields of objects are left out (the API server prunes them).
pub(super) fn json_to_cel(value: &Json, depth: usize) -> Cel {
    if depth > MAX_DEPTH {
        return Cel::Null;
    }
    match value {
        Json::Null => Cel::Null,
        Json::Bool(b) => Cel::Bool(*b),
        Json::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => Cel::Int(i),
            (None, Some(x)) => Cel::Float(x),
            (None, None) => Cel::Null,
        },
        Json::String(s) => Cel::from(s.as_str()),
        Json::Array(items) => Cel::from(
            items
                .iter()
                .map(|v| json_to_cel(v, depth + 1))
                .collect::<Vec<_>>(),
        ),
        Json::Object(map) => Cel::from(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), json_to_cel(v, depth + 1)))
                .collect::<HashMap<_, _>>(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_paths_append() {
        let cases = [
            (".replicas", "spec.replicas"),
            (".labels['a.b']", "spec.labels[\"a.b\"]"),
            (".items[0].name", "spec.items[0].name"),
            ("size", "spec.size"),
        ];
        for (field_path, expected) in cases {
            let mut path = "spec".to_string();
            append_field_path(&mut path, field_path);
            assert_eq!(path, expected, "{field_path}");
        }
    }
}
