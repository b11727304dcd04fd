//! What HTTPRoute and GRPCRoute filter lists share: a filter's type names
//! the one field it sets, and some types appear once per list. Each kind's
//! rule group describes its filters as [`FilterFields`] and calls
//! [`check_list`].

use super::super::Findings;

/// One filter as the shared checks see it: its declared type and, for each
/// type the kind knows, whether that type's field is set.
pub struct FilterFields {
    /// The filter's `type` as written (its serde name).
    pub declared: Option<String>,
    /// (type, field name, set) for every type of the kind.
    pub fields: Vec<(&'static str, &'static str, bool)>,
}

/// A filter type's name as the API writes it.
pub fn type_name<T: serde::Serialize>(kind: &T) -> Option<String> {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
}

/// Checks a list of filters at `path`; `once` names the types that may not
/// repeat.
pub fn check_list(filters: &[FilterFields], once: &[&str], path: &str, found: &mut Findings) {
    let mut seen: Vec<&str> = Vec::new();
    for (i, filter) in filters.iter().enumerate() {
        let here = format!("{path}[{i}]");
        let Some(declared) = filter.declared.as_deref() else {
            continue;
        };
        check_fields(filter, declared, &here, found);
        if once.contains(&declared) && seen.contains(&declared) {
            found.report(&here, format!("{declared} filter cannot be repeated"));
        }
        seen.push(declared);
    }
}

fn check_fields(filter: &FilterFields, declared: &str, path: &str, found: &mut Findings) {
    for &(kind, field, set) in &filter.fields {
        if kind == declared && !set {
            found.report(
                path,
                format!("filter.{field} must be specified for {kind} filter.type"),
            );
        } else if kind != declared && set {
            found.report(
                format!("{path}.{field}"),
                format!("filter.{field} must be nil if the filter.type is not {kind}"),
            );
        }
    }
}
