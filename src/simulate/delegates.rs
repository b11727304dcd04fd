//! Delegate VirtualServices merged into their root's HTTP routes, as
//! Istio's `MergeHTTPRoutes` does.

use crate::model::StringMap;

use super::context::Context;
use super::http_routes::RouteEntry;
use super::names::gateway_name;
use super::result::Verdict;
use crate::mesh::host;
use crate::model::istio::{HttpMatchRequest, HttpRoute};

/// The HTTP routes of a VirtualService with delegates merged in (Istio's
/// `MergeHTTPRoutes`), hosts resolved in the namespace that wrote them.
pub fn expand_delegates(ctx: &mut Context, vs_id: usize) -> Vec<RouteEntry> {
    let index = ctx.index;
    let vs = index.vs(vs_id);
    let ns = vs.namespace();
    let mut out = Vec::new();
    for (i, http) in vs.spec.http.iter().enumerate() {
        let root = resolved_route(http, ns, &index.domain);
        let Some(delegate) = &http.delegate else {
            out.push(RouteEntry {
                vs: vs_id,
                http_index: i,
                delegate: None,
                delegate_index: None,
                route: root,
            });
            continue;
        };
        let name = delegate.name.clone().unwrap_or_default();
        let d_ns = delegate.namespace.clone().unwrap_or_else(|| ns.to_string());
        let subject = format!("VirtualService {} http[{i}]", vs.name());
        let Some(d_id) = index.delegate(&d_ns, &name) else {
            ctx.step(
                2,
                subject,
                Verdict::Skipped,
                format!(
                    "delegate {d_ns}/{name} is not in the input (a VirtualService without hosts)"
                ),
            );
            continue;
        };
        let d = index.vs(d_id);
        if !d.is_visible_to(ns) {
            ctx.step(
                2,
                subject,
                Verdict::Skipped,
                format!("delegate {d_ns}/{name} is not exported to namespace {ns:?}"),
            );
            continue;
        }
        for (j, leaf) in d.spec.http.iter().enumerate() {
            let leaf = resolved_route(leaf, &d_ns, &index.domain);
            match merge_route(&root, leaf) {
                Some(route) => out.push(RouteEntry {
                    vs: vs_id,
                    http_index: i,
                    delegate: Some(d_id),
                    delegate_index: Some(j),
                    route,
                }),
                None => ctx.step(
                    2,
                    format!("{subject} -> delegate {d_ns}/{name} http[{j}]"),
                    Verdict::Skipped,
                    "its match conflicts with the root route's match; Istio drops it",
                ),
            }
        }
    }
    out
}

/// Destination and mirror hosts and gateway names, resolved as Istio does
/// before merging.
fn resolved_route(route: &HttpRoute, ns: &str, domain: &str) -> HttpRoute {
    let mut route = route.clone();
    for m in &mut route.matches {
        for g in &mut m.gateways {
            *g = gateway_name(g, ns);
        }
    }
    let fix = |d: Option<&mut crate::model::istio::Destination>| {
        if let Some(d) = d
            && let Some(h) = &mut d.host
        {
            *h = host::resolve(&h.to_ascii_lowercase(), ns, domain);
        }
    };
    for r in &mut route.route {
        fix(r.destination.as_mut());
    }
    fix(route.mirror.as_deref_mut());
    for m in &mut route.mirrors {
        fix(m.destination.as_mut());
    }
    route
}

/// Istio's `mergeHTTPRoute`: the delegate's route under the root's; `None`
/// when their matches conflict.
fn merge_route(root: &HttpRoute, mut leaf: HttpRoute) -> Option<HttpRoute> {
    leaf.matches = merge_matches(&root.matches, &leaf.matches)?;
    leaf.name = match (&root.name, leaf.name.take()) {
        (Some(r), Some(l)) if !r.is_empty() && !l.is_empty() => Some(format!("{r}-{l}")),
        (r, Some(l)) if !l.is_empty() => Some(l).or(r.clone()),
        (r, _) => r.clone(),
    };
    macro_rules! inherit {
        ($($field:ident),*) => { $( if leaf.$field.is_none() { leaf.$field = root.$field.clone(); } )* };
    }
    inherit!(
        rewrite,
        direct_response,
        timeout,
        retries,
        fault,
        mirror,
        mirror_percent,
        mirror_percentage,
        cors_policy,
        headers
    );
    if leaf.mirrors.is_empty() {
        leaf.mirrors = root.mirrors.clone();
    }
    Some(leaf)
}

fn merge_matches(
    root: &[HttpMatchRequest],
    leaf: &[HttpMatchRequest],
) -> Option<Vec<HttpMatchRequest>> {
    if root.is_empty() {
        return Some(leaf.to_vec());
    }
    if leaf.is_empty() {
        return Some(root.to_vec());
    }
    let mut out = Vec::new();
    for sub in leaf {
        let mut found = false;
        for r in root {
            if has_conflict(r, sub) {
                continue;
            }
            out.push(merge_match(r, sub));
            found = true;
        }
        if !found {
            return None;
        }
    }
    (!out.is_empty()).then_some(out)
}

fn merge_match(root: &HttpMatchRequest, leaf: &HttpMatchRequest) -> HttpMatchRequest {
    let mut out = leaf.clone();
    out.name = match (&root.name, &leaf.name) {
        (Some(r), Some(l)) if !r.is_empty() && !l.is_empty() => Some(format!("{r}-{l}")),
        (r, None) => r.clone(),
        (_, l) => l.clone(),
    };
    macro_rules! inherit {
        ($($field:ident),*) => { $( if out.$field.is_none() { out.$field = root.$field.clone(); } )* };
    }
    inherit!(
        uri,
        scheme,
        method,
        authority,
        source_namespace,
        stat_prefix
    );
    if out.port.unwrap_or(0) == 0 {
        out.port = root.port;
    }
    fn merged<V: Clone>(root: &StringMap<V>, leaf: &StringMap<V>) -> StringMap<V> {
        let mut m = root.clone();
        m.extend(leaf.iter().map(|(k, v)| (k.clone(), v.clone())));
        m
    }
    out.headers = merged(&root.headers, &leaf.headers);
    out.without_headers = merged(&root.without_headers, &leaf.without_headers);
    out.query_params = merged(&root.query_params, &leaf.query_params);
    out.source_labels = merged(&root.source_labels, &leaf.source_labels);
    if out.gateways.is_empty() {
        out.gateways = root.gateways.clone();
    }
    out
}

fn has_conflict(root: &HttpMatchRequest, leaf: &HttpMatchRequest) -> bool {
    use crate::model::istio::StringMatch;
    fn conflict(root: Option<&StringMatch>, leaf: Option<&StringMatch>) -> bool {
        let (Some(root), Some(leaf)) = (root, leaf) else {
            return false;
        };
        fn set(v: &Option<String>) -> Option<&str> {
            v.as_deref().filter(|s| !s.is_empty())
        }
        let (r_re, r_ex, r_pre) = (set(&root.regex), set(&root.exact), set(&root.prefix));
        let (l_re, l_ex, l_pre) = (set(&leaf.regex), set(&leaf.exact), set(&leaf.prefix));
        if r_re.is_some() && (l_re.is_some() || l_pre.is_some() || l_ex.is_some()) {
            return true;
        }
        if l_re.is_some() && (r_re.is_some() || r_pre.is_some() || r_ex.is_some()) {
            return true;
        }
        if let Some(exact) = r_ex {
            return l_pre.is_some() || l_ex != Some(exact);
        }
        if let Some(prefix) = r_pre {
            if let Some(l) = l_pre {
                return !l.starts_with(prefix);
            }
            if let Some(l) = l_ex {
                return !l.starts_with(prefix);
            }
        }
        true
    }
    let pairs = [
        (&root.uri, &leaf.uri),
        (&root.scheme, &leaf.scheme),
        (&root.method, &leaf.method),
        (&root.authority, &leaf.authority),
    ];
    if pairs.iter().any(|(r, l)| conflict(r.as_ref(), l.as_ref())) {
        return true;
    }
    let maps = [
        (&root.headers, &leaf.headers),
        (&root.without_headers, &leaf.without_headers),
        (&root.query_params, &leaf.query_params),
    ];
    if maps
        .iter()
        .any(|(r, l)| l.iter().any(|(k, v)| conflict(r.get(k), Some(v))))
    {
        return true;
    }
    if root.ignore_uri_case.unwrap_or(false) != leaf.ignore_uri_case.unwrap_or(false) {
        return true;
    }
    let (rp, lp) = (root.port.unwrap_or(0), leaf.port.unwrap_or(0));
    if rp > 0 && lp > 0 && rp != lp {
        return true;
    }
    if let Some(ns) = root.source_namespace.as_deref().filter(|s| !s.is_empty())
        && leaf.source_namespace.as_deref() != Some(ns)
    {
        return true;
    }
    if leaf
        .source_labels
        .iter()
        .any(|(k, v)| root.source_labels.get(k).is_some_and(|r| r != v))
    {
        return true;
    }
    if !root.gateways.is_empty() && !leaf.gateways.is_empty() {
        return root.gateways.len() < leaf.gateways.len()
            || leaf.gateways.iter().any(|g| !root.gateways.contains(g));
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::istio::StringMatch;

    fn prefix(p: &str) -> Option<StringMatch> {
        Some(StringMatch {
            prefix: Some(p.into()),
            ..Default::default()
        })
    }

    #[test]
    fn delegate_matches_narrow_the_roots_and_conflicts_drop_the_route() {
        let root = HttpRoute {
            name: Some("root".into()),
            matches: vec![HttpMatchRequest {
                uri: prefix("/api"),
                ..Default::default()
            }],
            timeout: Some("5s".into()),
            ..Default::default()
        };
        let leaf = HttpRoute {
            name: Some("v1".into()),
            matches: vec![HttpMatchRequest {
                uri: prefix("/api/v1"),
                ..Default::default()
            }],
            ..Default::default()
        };
        let merged = merge_route(&root, leaf).unwrap();
        assert_eq!(merged.name.as_deref(), Some("root-v1"));
        assert_eq!(merged.timeout.as_deref(), Some("5s"));
        assert_eq!(merged.matches[0].uri, prefix("/api/v1"));
        let outside = HttpRoute {
            matches: vec![HttpMatchRequest {
                uri: prefix("/web"),
                ..Default::default()
            }],
            ..Default::default()
        };
        assert!(merge_route(&root, outside).is_none());
    }
}
