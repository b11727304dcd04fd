//! Analyzers of Istio's admission webhooks (MutatingWebhookConfiguration,
//! ValidatingWebhookConfiguration), read from their trees.

mod external_control_plane;
mod injectors;

use super::Analyzer;
use crate::loader::{Node, Value};

pub const ANALYZERS: &[&Analyzer] = &[&injectors::ANALYZER, &external_control_plane::ANALYZER];

/// The `webhooks` items of a webhook configuration.
fn webhooks(config: &Node) -> &[Node] {
    match config.get("webhooks").map(|n| &n.value) {
        Some(Value::Seq(items)) => items,
        _ => &[],
    }
}
