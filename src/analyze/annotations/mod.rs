//! Analyzers: Istio annotations on Kubernetes resources.

mod alpha;
mod k8s;
mod registry;
mod values;

use super::Analyzer;
pub(crate) use registry::ValueKind;
pub(crate) use values::check as check_value;

pub const ANALYZERS: &[&Analyzer] = &[&k8s::ANALYZER, &alpha::ANALYZER];

/// The kind of value Istio's injector checks an annotation's value against
/// (`kube-inject` refuses a pod whose value fails), or `None` when it does
/// not check it.
pub(crate) fn value_kind(name: &str) -> Option<ValueKind> {
    registry::lookup(name)
        .map(|a| a.value)
        .filter(|kind| *kind != ValueKind::Any)
}

/// Whether Istio marks the annotation deprecated (`kube-inject` warns).
pub(crate) fn is_deprecated(name: &str) -> bool {
    registry::lookup(name).is_some_and(|a| a.deprecated)
}
