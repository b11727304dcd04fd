//! Findings of the schema stage: YAML that cannot be read, documents that are
//! not resources, and fields that break the schema. The checks themselves run
//! in the loader and the model (they must, to keep going past a bad field);
//! each rule here declares its code and documentation, one per file.

mod conflicting_fields;
mod duplicate_key;
pub mod duplicate_resource;
mod input_limit;
mod invalid_enum_value;
mod missing_required_field;
mod not_a_resource;
pub mod unchecked_kind;
mod unknown_field;
mod unknown_kind;
mod unsupported_api_version;
mod value_out_of_bounds;
mod wrong_type;
mod yaml_syntax;

use crate::loader::{ProblemKind, quoted};
use crate::model::{DocumentProblemKind, FieldProblemKind, FileModel, Object, names};
use crate::report::{Diagnostic, Origin, Rule};

/// Every rule of the schema stage, in code order.
pub const RULES: &[&Rule] = &[
    &yaml_syntax::RULE,
    &duplicate_key::RULE,
    &input_limit::RULE,
    &not_a_resource::RULE,
    &duplicate_resource::RULE,
    &unknown_field::RULE,
    &wrong_type::RULE,
    &invalid_enum_value::RULE,
    &missing_required_field::RULE,
    &conflicting_fields::RULE,
    &value_out_of_bounds::RULE,
    &unsupported_api_version::RULE,
    &unknown_kind::RULE,
    &unchecked_kind::RULE,
];

fn document_rule(kind: DocumentProblemKind) -> &'static Rule {
    match kind {
        DocumentProblemKind::Load(ProblemKind::Syntax) => &yaml_syntax::RULE,
        DocumentProblemKind::Load(ProblemKind::DuplicateKey) => &duplicate_key::RULE,
        DocumentProblemKind::Load(ProblemKind::LimitExceeded) => &input_limit::RULE,
        DocumentProblemKind::NotAResource => &not_a_resource::RULE,
    }
}

fn field_rule(kind: FieldProblemKind) -> &'static Rule {
    match kind {
        FieldProblemKind::UnknownField => &unknown_field::RULE,
        FieldProblemKind::WrongType => &wrong_type::RULE,
        FieldProblemKind::InvalidValue => &invalid_enum_value::RULE,
        FieldProblemKind::MissingRequired => &missing_required_field::RULE,
        FieldProblemKind::Conflict => &conflicting_fields::RULE,
        FieldProblemKind::OutOfBounds => &value_out_of_bounds::RULE,
        FieldProblemKind::UnsupportedVersion => &unsupported_api_version::RULE,
        FieldProblemKind::UnknownKind => &unknown_kind::RULE,
    }
}

/// The schema-stage findings about a file's documents (what kept them from
/// being read as objects, or spoiled part of them).
pub fn document_diagnostics(model: &FileModel) -> impl Iterator<Item = Diagnostic> + '_ {
    model.problems.iter().map(|p| {
        Diagnostic::new(document_rule(p.kind), p.message.clone())
            .at(&p.source, p.pos, p.path.clone())
            .origin(p.object.map(|i| Origin::of(&model.objects[i])))
            .help(p.help.clone())
    })
}

/// A name or namespace the API server refuses for a custom resource
/// (Kubernetes' DNS rules: lower case, no `_`, `/` or spaces), for the mesh
/// kinds meshctl types. Reported, but the object still reaches the other
/// checks: istioctl analyzes such objects too.
pub fn name_diagnostics(object: &Object) -> Vec<Diagnostic> {
    if object.mesh_kind().is_none() {
        return Vec::new();
    }
    // The object's name and namespace are the metadata's as written (the
    // namespace defaulted only when absent, from an `-n` already checked).
    let name = Some(&object.name).filter(|name| !name.is_empty());
    let mut found = Vec::new();
    let mut check = |field: &str, value: Option<&String>, valid: fn(&str) -> bool, what: &str| {
        if let Some(value) = value.filter(|v| !valid(v)) {
            let path = format!("metadata.{field}");
            found.push(
                Diagnostic::new(
                    &value_out_of_bounds::RULE,
                    format!("invalid {field} {}: not {what}", quoted(value)),
                )
                .about(object, object.locate_value(&path), path)
                .help(Some(
                    "lower-case letters, digits and '-' ('.' between parts of a name), starting and ending with a letter or digit".into(),
                )),
            );
        }
    };
    check(
        "name",
        name,
        names::is_object_name,
        "a DNS-1123 subdomain of at most 253 characters",
    );
    check(
        "namespace",
        object.namespace.as_ref(),
        names::is_namespace_name,
        "a DNS-1123 label of at most 63 characters",
    );
    found
}

/// The schema-stage findings about one object's fields.
pub fn object_diagnostics(object: &Object) -> impl Iterator<Item = Diagnostic> + '_ {
    object.problems.iter().map(move |p| {
        Diagnostic::new(field_rule(p.kind), p.message.clone())
            .about(object, p.pos, p.path.clone())
            .help(p.help.clone())
    })
}
