//! WasmPlugin: where the module comes from. (A missing URL and a checksum
//! that is not 64 lowercase hex digits break the CRD's schema already.)

use super::super::{Findings, webhook_rule};
use super::KINDS;
use crate::model::istio::WasmPluginSpec;
use crate::report::{Example, Rule};

pub static RULE: Rule = webhook_rule(
    "wasmplugin-module",
    KINDS,
    "WasmPlugin module URL that Istio refuses.",
    "The module is fetched from `url`: an `oci://` image (the default when the URL has no scheme), \
     an `http://` or `https://` download, or a `file://` path on the proxy; any other scheme is \
     refused.",
    Example {
        yaml: "apiVersion: extensions.istio.io/v1alpha1\nkind: WasmPlugin\nmetadata:\n  name: auth\nspec:\n  url: ftp://registry.example.com/auth.wasm\n",
        fires_at: &["spec.url"],
    },
);

const SCHEMES: &[&str] = &["file", "http", "https", "oci"];

pub fn check(spec: &WasmPluginSpec, found: &mut Findings) {
    let url = spec.url.as_deref().unwrap_or_default();
    if let Some(scheme) = scheme_of(url).filter(|s| !SCHEMES.contains(&s.as_str())) {
        found.report(
            "spec.url",
            format!("url contains unsupported scheme: {scheme}"),
        );
    }
}

/// The scheme of `scheme://...`, lowercased as Go's URL parser does; a URL
/// without one is read as an image reference.
fn scheme_of(url: &str) -> Option<String> {
    let (scheme, _) = url.split_once("://")?;
    let valid = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| scheme.to_ascii_lowercase())
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
