//! WasmPlugin rule groups.

#[cfg(test)]
mod istio_cases;
mod module;
mod target;
mod vm_config;

use super::SemanticRule;
use crate::model::istio::WasmPluginSpec;

pub static RULES: &[SemanticRule<WasmPluginSpec>] = &[
    SemanticRule {
        rule: &target::RULE,
        check: target::check,
    },
    SemanticRule {
        rule: &module::RULE,
        check: module::check,
    },
    SemanticRule {
        rule: &vm_config::RULE,
        check: vm_config::check,
    },
];

/// What the rule groups of this kind read.
pub(super) const KINDS: &[&str] = &["WasmPlugin"];
