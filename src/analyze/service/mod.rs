//! Analyzers of Kubernetes Services.

mod port_name;

use super::Analyzer;
use crate::model::StringMap;

pub const ANALYZERS: &[&Analyzer] = &[&port_name::ANALYZER];

/// Control-plane Services (labelled `istio`, or `release: istio`) are
/// Istio's own, and not the user's to fix.
fn is_istio_control_plane(labels: Option<&StringMap>) -> bool {
    labels
        .is_some_and(|l| l.contains_key("istio") || l.get("release").is_some_and(|v| v == "istio"))
}
