//! A VirtualService's HTTP routes as the Envoy routes a proxy gets, and
//! the first one that takes the request.

use super::context::Context;
use super::delegates::expand_delegates;
use super::gateway_api::RuleOrigin;
use super::index::Index;
use super::matching::{self, PrefixKind};
use super::result::Verdict;
use super::routing::{Decision, no_route};
use crate::model::istio::{HttpMatchRequest, HttpRoute};

/// One HTTP route of a VirtualService after delegation, with destination
/// hosts resolved.
#[derive(Debug, Clone)]
pub struct RouteEntry {
    pub vs: usize,
    pub http_index: usize,
    pub delegate: Option<usize>,
    pub delegate_index: Option<usize>,
    pub route: HttpRoute,
}

impl RouteEntry {
    /// The Gateway API rule and match this route was built from, for one
    /// Istio built from Gateway API routes.
    pub fn gateway_api_origin<'i>(&self, index: &'i Index) -> Option<&'i RuleOrigin> {
        index
            .vs(self.vs)
            .gateway_api
            .as_ref()?
            .http
            .get(self.http_index)
    }

    pub fn label(&self, index: &Index) -> String {
        if let Some(origin) = self.gateway_api_origin(index) {
            return origin.label();
        }
        let mut label = format!(
            "VirtualService {} http[{}]",
            index.vs(self.vs).name(),
            self.http_index
        );
        if let (Some(d), Some(i)) = (self.delegate, self.delegate_index) {
            label.push_str(&format!(" -> delegate {} http[{i}]", index.vs(d).name()));
        }
        if let Some(name) = &self.route.name {
            label.push_str(&format!(" ({name})"));
        }
        label
    }
}

/// A VirtualService's HTTP routes, delegates merged in, as the Envoy
/// routes the proxy gets: one per match block (or one for a route without
/// match blocks), blocks the proxy does not get dropped, and nothing
/// after a catch-all.
pub fn flatten(ctx: &mut Context, vs_id: usize) -> Vec<(RouteEntry, Option<usize>)> {
    let mut out = Vec::new();
    for entry in expand_delegates(ctx, vs_id) {
        let label = entry.label(ctx.index);
        if entry.route.matches.is_empty() {
            out.push((entry, None));
            break;
        }
        let mut catch_all = false;
        for (k, m) in entry.route.matches.iter().enumerate() {
            if let Err(why) = matching::proxy_filter(m, &ctx.proxy) {
                ctx.step(
                    2,
                    format!("{label} match[{k}]"),
                    Verdict::Skipped,
                    format!("not given to this proxy: {why}"),
                );
                continue;
            }
            catch_all = matching::is_catch_all(Some(m));
            out.push((entry.clone(), Some(k)));
            if catch_all {
                break;
            }
        }
        if catch_all {
            break;
        }
    }
    out
}

pub fn first_match(
    ctx: &mut Context,
    entries: &[(RouteEntry, Option<usize>)],
    virtual_service: Option<String>,
) -> Decision {
    for (entry, k) in entries {
        let label = entry.label(ctx.index);
        let Some(k) = *k else {
            ctx.step(2, label, Verdict::Matched, "no match conditions");
            return Decision::Route {
                entry: Box::new(entry.clone()),
                match_index: None,
            };
        };
        let m = &entry.route.matches[k];
        let (subject, prefix_kind) = if entry.gateway_api_origin(ctx.index).is_some() {
            // Istio gives each Gateway API match its own route.
            (label, PrefixKind::Segments)
        } else {
            (format!("{label} match[{k}]"), PrefixKind::String)
        };
        match matching::request_match(m, ctx.request, &ctx.index.regexes, prefix_kind) {
            Ok(()) => {
                ctx.step(2, subject, Verdict::Matched, describe_match(m, prefix_kind));
                return Decision::Route {
                    entry: Box::new(entry.clone()),
                    match_index: Some(k),
                };
            }
            Err(why) => ctx.step(2, subject, Verdict::Failed, why),
        }
    }
    let reason = "no HTTP route matches the request (Envoy answers 404)".to_string();
    no_route(ctx, reason, virtual_service)
}

fn describe_match(m: &HttpMatchRequest, prefix_kind: PrefixKind) -> String {
    let mut parts = Vec::new();
    if let Some(uri) = &m.uri {
        parts.push(format!(
            "uri {}",
            matching::Pattern::of_uri(uri, prefix_kind)
        ));
    }
    for name in m.headers.keys() {
        parts.push(format!("header {}", name.to_ascii_lowercase()));
    }
    if m.method.is_some() {
        parts.push("method".into());
    }
    if parts.is_empty() {
        "all conditions hold".into()
    } else {
        format!("all conditions hold ({})", parts.join(", "))
    }
}
