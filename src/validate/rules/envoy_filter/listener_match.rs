//! EnvoyFilter: the filter and sub-filter a listener-class patch matches.

use super::super::{Findings, webhook_rule};
use super::{KINDS, checked_patches};
use crate::model::istio::{ApplyTo, EnvoyFilterSpec, FilterMatch};
use crate::report::{Example, Rule};

pub static RULE: Rule = webhook_rule(
    "envoyfilter-listener-match",
    KINDS,
    "EnvoyFilter filter match that Istio refuses or that has no effect.",
    "A listener match's `filterChain.filter` must name the network filter it matches. A \
     `subFilter` (an HTTP filter) can only be matched by an HTTP_FILTER patch, inside \
     `envoy.filters.network.http_connection_manager`, and must have a name too. A filter match \
     on a LISTENER or FILTER_CHAIN patch has no effect and is warned about.",
    Example {
        yaml: "apiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\nmetadata:\n  name: lua\nspec:\n  configPatches:\n  - applyTo: NETWORK_FILTER\n    match:\n      listener:\n        filterChain:\n          filter:\n            name: envoy.filters.network.http_connection_manager\n            subFilter: {name: envoy.filters.http.router}\n    patch:\n      operation: REMOVE\n",
        fires_at: &["spec.configPatches[0].match.listener.filterChain.filter.subFilter"],
    },
);

const HTTP_CONNECTION_MANAGER: [&str; 2] = [
    "envoy.filters.network.http_connection_manager",
    "envoy.http_connection_manager",
];

pub fn check(spec: &EnvoyFilterSpec, found: &mut Findings) {
    for (i, patch) in checked_patches(spec) {
        let filter = patch
            .r#match
            .as_ref()
            .and_then(|m| m.listener.as_ref()?.filter_chain.as_ref()?.filter.as_ref());
        let (Some(apply_to), Some(filter)) = (patch.apply_to, filter) else {
            continue;
        };
        let path = format!("spec.configPatches[{i}].match.listener.filterChain.filter");
        if matches!(apply_to, ApplyTo::Listener | ApplyTo::FilterChain) {
            found.warn(
                &path,
                format!(
                    "Envoy filter: filter match has no effect when used with {}",
                    name_of(apply_to)
                ),
            );
        }
        check_filter(apply_to, filter, &path, found);
    }
}

fn check_filter(apply_to: ApplyTo, filter: &FilterMatch, path: &str, found: &mut Findings) {
    let name = filter.name.as_deref().unwrap_or_default();
    if name.is_empty() {
        return found.report(path, "Envoy filter: filter match has no name to match on");
    }
    let Some(sub_filter) = &filter.sub_filter else {
        return;
    };
    let at = format!("{path}.subFilter");
    let problem = if apply_to != ApplyTo::HttpFilter {
        "Envoy filter: subfilter match can be used with applyTo HTTP_FILTER only".to_string()
    } else if !HTTP_CONNECTION_MANAGER.contains(&name) {
        format!(
            "Envoy filter: subfilter match requires filter match with {}",
            HTTP_CONNECTION_MANAGER[0]
        )
    } else if sub_filter.name.as_deref().unwrap_or_default().is_empty() {
        "Envoy filter: subfilter match has no name to match on".to_string()
    } else {
        return;
    };
    found.report(at, problem);
}

fn name_of(apply_to: ApplyTo) -> &'static str {
    if apply_to == ApplyTo::Listener {
        "LISTENER"
    } else {
        "FILTER_CHAIN"
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
