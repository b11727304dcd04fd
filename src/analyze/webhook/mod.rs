//! Analyzers of Istio's admission webhooks (MutatingWebhookConfiguration,
//! ValidatingWebhookConfiguration), read from their trees.

mod external_control_plane;
mod injectors;

use super::Analyzer;
use crate::loader::Node;

pub const ANALYZERS: &[&Analyzer] = &[&injectors::ANALYZER, &external_control_plane::ANALYZER];

/// The `webhooks` items of a webhook configuration.
fn webhooks(config: &Node) -> &[Node] {
    config
        .get("webhooks")
        .and_then(Node::as_seq)
        .unwrap_or_default()
}
