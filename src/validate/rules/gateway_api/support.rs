//! Checks several Gateway API kinds share, over plain views of their fields
//! (each kind has its own generated types).

use std::collections::{HashMap, HashSet};

use super::super::Findings;
use crate::model::gateway_api::ParentRef;

/// The API group and kind a reference names once the API server's
/// defaults are applied.
fn or_default<'a>(value: &'a Option<String>, default: &'a str) -> &'a str {
    value.as_deref().unwrap_or(default)
}

fn set(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.is_empty())
}

/// Two references to one parent either both name a section or neither
/// does, and never name the same section (or none) twice.
pub fn check_parent_refs(refs: &[ParentRef], found: &mut Findings) {
    let targets = refs.iter().map(|r| {
        (
            or_default(&r.group, "gateway.networking.k8s.io"),
            or_default(&r.kind, "Gateway"),
            r.name.as_deref().unwrap_or_default(),
            set(&r.namespace),
            set(&r.section_name),
        )
    });
    check_sections(targets, ("spec.parentRefs", "parentRefs", "parent"), found);
}

/// What a reference points at: group, kind, name and namespace.
type Target<'a> = (&'a str, &'a str, &'a str, Option<&'a str>);

/// The references seen to one target: whether the first named a section,
/// and the sections named (`None` for none).
struct Sections<'a> {
    named: bool,
    seen: HashSet<Option<&'a str>>,
}

/// The shared form of the parentRefs and targetRefs section rules: items
/// are (group, kind, name, namespace, section); `at` is the list's path, its
/// field name and what its items point at.
pub fn check_sections<'a>(
    targets: impl Iterator<Item = (&'a str, &'a str, &'a str, Option<&'a str>, Option<&'a str>)>,
    at: (&str, &str, &str),
    found: &mut Findings,
) {
    let (path, field, noun) = at;
    let mut by_target: HashMap<Target, Sections> = HashMap::new();
    for (i, (group, kind, name, namespace, section)) in targets.enumerate() {
        let sections = by_target
            .entry((group, kind, name, namespace))
            .or_insert_with(|| Sections {
                named: section.is_some(),
                seen: HashSet::new(),
            });
        if sections.named != section.is_some() {
            found.report(
                format!("{path}[{i}]"),
                format!(
                    "sectionName must be specified when {field} includes 2 or more references to the same {noun}"
                ),
            );
        } else if !sections.seen.insert(section) {
            found.report(
                format!("{path}[{i}]"),
                format!(
                    "sectionName must be unique when {field} includes 2 or more references to the same {noun}"
                ),
            );
        }
    }
}

/// A backend of the core group and kind Service (the defaults) names its
/// port: items are (path, group, kind, port set).
pub fn check_service_ports<'a>(
    backends: impl Iterator<Item = (String, &'a Option<String>, &'a Option<String>, bool)>,
    found: &mut Findings,
) {
    for (path, group, kind, port) in backends {
        let service = or_default(group, "").is_empty() && or_default(kind, "Service") == "Service";
        if service && !port {
            found.report(path, "a Service backendRef must have a port");
        }
    }
}
