//! WasmPlugin: the environment given to the module's VM.

use std::collections::HashSet;

use super::super::{Findings, webhook_rule};
use super::KINDS;
use crate::model::istio::{EnvValueSource, WasmPluginSpec};
use crate::report::{Example, Rule};

pub static RULE: Rule = webhook_rule(
    "wasmplugin-vm-config",
    KINDS,
    "WasmPlugin VM environment that Istio refuses.",
    "Each `vmConfig.env` entry names a variable once. Its `value` is only read when `valueFrom` \
     is INLINE (the default); with HOST the variable comes from the proxy's own environment, so \
     a value beside it is refused.",
    Example {
        yaml: "apiVersion: extensions.istio.io/v1alpha1\nkind: WasmPlugin\nmetadata:\n  name: auth\nspec:\n  url: oci://registry.example.com/auth:1.0\n  vmConfig:\n    env:\n    - {name: REALM, value: ratings}\n    - {name: REALM, valueFrom: HOST, value: other}\n",
        fires_at: &["spec.vmConfig.env[1]", "spec.vmConfig.env[1].value"],
    },
);

pub fn check(spec: &WasmPluginSpec, found: &mut Findings) {
    let Some(vm) = &spec.vm_config else {
        return;
    };
    let mut names = HashSet::new();
    for (i, env) in vm.env.iter().enumerate() {
        let name = env.name.as_deref().unwrap_or_default();
        if !names.insert(name) {
            found.report(
                format!("spec.vmConfig.env[{i}]"),
                format!("duplicate env {name:?}"),
            );
        }
        let inline = matches!(env.value_from, None | Some(EnvValueSource::Inline));
        if !inline && env.value.as_deref().is_some_and(|v| !v.is_empty()) {
            found.report(
                format!("spec.vmConfig.env[{i}].value"),
                "value may only be set when valueFrom is INLINE",
            );
        }
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
