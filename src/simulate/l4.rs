//! The `tcp` and `tls` routes of VirtualServices against a TCP or TLS
//! connection, in order, first match wins, with the first condition that
//! fails put in words.
//!
//! Istio decides `port`, `sourceLabels`, `sourceNamespace` and `gateways`
//! when it builds the proxy's listeners; `sniHosts` and
//! `destinationSubnets` are left to Envoy's filter chain match. Both kinds
//! are checked here against the one connection.

use crate::model::StringMap;

use super::context::{Context, Proxy};
use super::gateway_api::RuleOrigin;
use super::index::Index;
use super::names::gateway_name;
use super::request::{Protocol, Request};
use super::result::Verdict;
use crate::mesh::{cidr, host};
use crate::model::istio::{Destination, RouteDestination};

/// The `tcp[i]` or `tls[i]` route that takes the connection, its
/// destinations' hosts resolved in the VirtualService's namespace.
#[derive(Debug, Clone)]
pub struct L4Route {
    pub vs: usize,
    pub protocol: Protocol,
    pub route_index: usize,
    /// `None` for a TCP route without match blocks.
    pub match_index: Option<usize>,
    pub route: Vec<RouteDestination>,
}

impl L4Route {
    /// The Gateway API rule this route was built from, for one Istio
    /// built from a TCPRoute or TLSRoute.
    pub fn gateway_api_origin<'i>(&self, index: &'i Index) -> Option<&'i RuleOrigin> {
        let origins = index.vs(self.vs).gateway_api.as_ref()?;
        let list = match self.protocol {
            Protocol::Tls => &origins.tls,
            _ => &origins.tcp,
        };
        list.get(self.route_index)
    }
}

/// Where the connection goes among the routes of some VirtualServices.
#[derive(Debug)]
pub enum L4Outcome {
    Matched(L4Route),
    /// No route matched; `listener_has_routes` says whether some match
    /// block survived the proxy-time conditions (Istio then builds no
    /// default filter chain for a TLS port).
    NoMatch {
        listener_has_routes: bool,
    },
}

/// One match block, normalised from `L4MatchAttributes` or
/// `TLSMatchAttributes`.
struct Conditions<'a> {
    sni_hosts: &'a [String],
    port: Option<u32>,
    destination_subnets: &'a [String],
    source_labels: &'a StringMap,
    source_namespace: Option<&'a str>,
    gateways: &'a [String],
}

/// The `kind` routes (`Tcp` or `Tls`) of `vs_ids`, in that order.
pub fn first_match(ctx: &mut Context, vs_ids: &[usize], kind: Protocol) -> L4Outcome {
    let (index, request) = (ctx.index, ctx.request);
    let mut listener_has_routes = false;
    let protocol = kind;
    let kind = if protocol == Protocol::Tls {
        "tls"
    } else {
        "tcp"
    };
    for &id in vs_ids {
        let vs = index.vs(id);
        let ns = vs.object.namespace.as_deref().unwrap_or_default();
        let routes: Vec<(Vec<Conditions>, &Vec<RouteDestination>)> = match protocol {
            Protocol::Tls => vs
                .spec
                .tls
                .iter()
                .map(|r| {
                    let blocks = r
                        .matches
                        .iter()
                        .map(|m| Conditions {
                            sni_hosts: &m.sni_hosts,
                            port: m.port,
                            destination_subnets: &m.destination_subnets,
                            source_labels: &m.source_labels,
                            source_namespace: m.source_namespace.as_deref(),
                            gateways: &m.gateways,
                        })
                        .collect();
                    (blocks, &r.route)
                })
                .collect(),
            _ => vs
                .spec
                .tcp
                .iter()
                .map(|r| {
                    let blocks = r
                        .matches
                        .iter()
                        .map(|m| Conditions {
                            sni_hosts: &[],
                            port: m.port,
                            destination_subnets: &m.destination_subnets,
                            source_labels: &m.source_labels,
                            source_namespace: m.source_namespace.as_deref(),
                            gateways: &m.gateways,
                        })
                        .collect();
                    (blocks, &r.route)
                })
                .collect(),
        };
        if routes.is_empty() {
            ctx.step(2, vs.label(), Verdict::Skipped, format!("no {kind} routes"));
        }
        for (i, (blocks, destinations)) in routes.iter().enumerate() {
            let origins = vs.gateway_api.as_ref().map(|o| match protocol {
                Protocol::Tls => &o.tls,
                _ => &o.tcp,
            });
            let label = match origins.and_then(|o| o.get(i)) {
                Some(origin) => origin.label(),
                None => format!("VirtualService {} {kind}[{i}]", vs.name()),
            };
            if destinations.is_empty() {
                ctx.step(
                    2,
                    label,
                    Verdict::Skipped,
                    "no destinations: Istio builds nothing for it",
                );
                continue;
            }
            let matched = |k: Option<usize>| {
                L4Outcome::Matched(L4Route {
                    vs: id,
                    protocol,
                    route_index: i,
                    match_index: k,
                    route: destinations
                        .iter()
                        .map(|d| resolved(d, ns, &index.domain))
                        .collect(),
                })
            };
            if blocks.is_empty() {
                if protocol == Protocol::Tls {
                    ctx.step(
                        2,
                        label,
                        Verdict::Skipped,
                        "no match blocks: a TLS route needs sniHosts",
                    );
                    continue;
                }
                ctx.step(2, label, Verdict::Matched, "no match conditions");
                return matched(None);
            }
            for (k, c) in blocks.iter().enumerate() {
                let subject = format!("{label} match[{k}]");
                let port = ctx.proxy.port;
                let fixed = proxy_conditions(c, ns, &ctx.proxy);
                // The port, too, is decided when the listener is built.
                let port_fits = c.port.is_none_or(|p| p == 0 || p == port);
                listener_has_routes |= port_fits && fixed.is_ok();
                match connection_conditions(c, request, port).and(fixed) {
                    Ok(()) => {
                        ctx.step(2, subject, Verdict::Matched, describe(c, request));
                        return matched(Some(k));
                    }
                    Err(why) => ctx.step(2, subject, Verdict::Failed, why),
                }
            }
        }
    }
    L4Outcome::NoMatch {
        listener_has_routes,
    }
}

/// `sniHosts`, `port` and `destinationSubnets`, in that order (the port
/// comes before the subnets in the trace, as the fields are listed).
fn connection_conditions(c: &Conditions, request: &Request, port: u32) -> Result<(), String> {
    if !c.sni_hosts.is_empty() {
        let sni = request.server_name();
        if !c.sni_hosts.iter().any(|h| sni_matches(h, &sni)) {
            return Err(format!(
                "sniHosts: expected one of [{}], got {sni:?}",
                c.sni_hosts.join(", ")
            ));
        }
    }
    if let Some(p) = c.port
        && p != 0
        && p != port
    {
        return Err(format!("port: expected {p}, got {port}"));
    }
    if !c.destination_subnets.is_empty() {
        let list = c.destination_subnets.join(", ");
        let Some(ip) = request.destination_ip else {
            return Err(format!(
                "destinationSubnets [{list}]: the destination IP is unknown (give --destination-ip)"
            ));
        };
        if !c
            .destination_subnets
            .iter()
            .any(|s| cidr::contains(s, ip) == Ok(true))
        {
            return Err(format!("destinationSubnets: {ip} is not in [{list}]"));
        }
    }
    Ok(())
}

/// `sourceLabels`, `sourceNamespace` and `gateways`: Istio's `matchTCP`
/// and `matchTLS` (all must hold; naming a gateway does not waive the
/// source labels, unlike HTTP).
fn proxy_conditions(c: &Conditions, vs_namespace: &str, proxy: &Proxy) -> Result<(), String> {
    for (key, value) in c.source_labels {
        match proxy.labels.get(key) {
            Some(v) if v == value => {}
            Some(v) => {
                return Err(format!("sourceLabels {key}: expected {value:?}, got {v:?}"));
            }
            None => return Err(format!("sourceLabels {key}: expected {value:?}, got none")),
        }
    }
    if let Some(ns) = c.source_namespace
        && !ns.is_empty()
        && ns != proxy.namespace
    {
        return Err(format!(
            "sourceNamespace: expected {ns:?}, got {:?}",
            proxy.namespace
        ));
    }
    if !c.gateways.is_empty() {
        let gateways: Vec<String> = c
            .gateways
            .iter()
            .map(|g| gateway_name(g, vs_namespace))
            .collect();
        if !gateways.contains(&proxy.gateway) {
            return Err(format!(
                "gateways: expected one of [{}], got {}",
                gateways.join(", "),
                proxy.gateway
            ));
        }
    }
    Ok(())
}

fn describe(c: &Conditions, request: &Request) -> String {
    let mut parts = Vec::new();
    if !c.sni_hosts.is_empty() {
        parts.push(format!("sni {:?}", request.server_name()));
    }
    if c.port.is_some_and(|p| p != 0) {
        parts.push("port".to_string());
    }
    if !c.destination_subnets.is_empty() {
        parts.push("destinationSubnets".to_string());
    }
    if !c.source_labels.is_empty() {
        parts.push("sourceLabels".to_string());
    }
    if c.source_namespace.is_some_and(|n| !n.is_empty()) {
        parts.push("sourceNamespace".to_string());
    }
    if !c.gateways.is_empty() {
        parts.push("gateways".to_string());
    }
    if parts.is_empty() {
        "all conditions hold".into()
    } else {
        format!("all conditions hold ({})", parts.join(", "))
    }
}

fn resolved(d: &RouteDestination, ns: &str, domain: &str) -> RouteDestination {
    let mut d = d.clone();
    if let Some(Destination { host: Some(h), .. }) = &mut d.destination {
        *h = host::resolve(&h.to_ascii_lowercase(), ns, domain);
    }
    d
}

/// Envoy's `server_names`: an exact name, or `*.suffix` covering any name
/// that ends in `.suffix`; `*` alone covers every name.
pub fn sni_matches(pattern: &str, sni: &str) -> bool {
    let pattern = pattern.to_ascii_lowercase();
    match pattern.strip_prefix('*') {
        Some("") => true,
        Some(suffix) => {
            suffix.starts_with('.') && sni.len() > suffix.len() && sni.ends_with(suffix)
        }
        None => pattern == sni,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sni_hosts_are_exact_or_leading_wildcards() {
        assert!(sni_matches("api.example.com", "api.example.com"));
        assert!(sni_matches("API.example.com", "api.example.com"));
        assert!(!sni_matches("api.example.com", "web.example.com"));
        assert!(sni_matches("*.example.com", "api.example.com"));
        assert!(sni_matches("*.example.com", "a.b.example.com"));
        assert!(!sni_matches("*.example.com", "example.com"));
        assert!(sni_matches("*", "anything.org"));
    }

    /// `destinationSubnets` are read by the shared `mesh::cidr`: a prefix
    /// Go refuses (`/08`, `/+8`) no longer reads as `/8`.
    #[test]
    fn destination_subnets_follow_go_prefix_rules() {
        let no_labels = StringMap::new();
        let check = |subnet: &str| {
            let subnets = [subnet.to_string()];
            let conditions = Conditions {
                sni_hosts: &[],
                port: None,
                destination_subnets: &subnets,
                source_labels: &no_labels,
                source_namespace: None,
                gateways: &[],
            };
            let request = Request {
                destination_ip: Some("10.1.2.3".parse().unwrap()),
                ..Request::default()
            };
            connection_conditions(&conditions, &request, 5432).is_ok()
        };
        assert!(check("10.0.0.0/8"));
        assert!(check("10.1.2.3"));
        assert!(!check("10.0.0.0/08"));
        assert!(!check("10.0.0.0/+8"));
        assert!(!check("fd00::/8"));
    }
}
