//! Gateways on the same workloads that serve the same host on the same
//! port (IST0145).

use std::collections::HashMap;

use super::super::{Analyzer, Report};
use super::selector_text;
use crate::model::Object;
use crate::model::istio::GatewaySpec;
use crate::report::{Example, Level, Rule};
use crate::snapshot::Snapshot;

pub static CONFLICTING: Rule = Rule {
    code: "IST0145",
    name: "conflicting-gateways",
    level: Level::Error,
    summary: "Gateways on the same workloads serving the same host on the same port.",
    kinds: &["Gateway", "Pod", "Deployment"],
    explanation: "Every Gateway whose selector picks a gateway pod adds its servers to that \
        pod's proxy. When two Gateways with the same selector, or with selectors that pick a \
        common pod, both declare a server on the same port for the same host (and the same \
        `bind` address), the proxy gets two conflicting definitions and keeps only one: the \
        routes bound to the other Gateway silently stop working. Merge the servers into one \
        Gateway, or give them different hosts or ports.",
    example: Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: shop\nspec:\n  selector:\n    istio: ingressgateway\n  servers:\n  - port:\n      number: 80\n      name: http\n      protocol: HTTP\n    hosts:\n    - shop.example.com\n---\napiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: shop-legacy\nspec:\n  selector:\n    istio: ingressgateway\n  servers:\n  - port:\n      number: 80\n      name: http-legacy\n      protocol: HTTP\n    hosts:\n    - shop.example.com\n",
        fires_at: &["spec.servers[0].hosts[0]", "spec.servers[0].hosts[0]"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "gateway.ConflictingGatewayAnalyzer",
    rules: &[&CONFLICTING],
    run,
};

/// What two Gateways must share to be on the same proxies: the same
/// selector (even when it matches nothing), or a workload both select.
#[derive(Clone, PartialEq, Eq, Hash)]
enum Target {
    Selector(String),
    /// A workload, by its address in the snapshot.
    Workload(usize),
}

/// A server's listening identity: target, port, host and bind address.
type ServerKey<'a> = (Target, u32, &'a str, &'a str);

struct Entry<'a> {
    object: &'a Object,
    gateway: &'a GatewaySpec,
    selector: String,
    targets: Vec<Target>,
}

fn run(snapshot: &Snapshot, report: &mut Report) {
    let entries: Vec<Entry> = snapshot
        .gateways()
        .map(|(object, gateway)| {
            let selector = selector_text(&gateway.selector);
            let mut targets = vec![Target::Selector(selector.clone())];
            targets.extend(
                snapshot
                    .workloads_selected(None, &gateway.selector)
                    .map(|w| Target::Workload(std::ptr::from_ref(w) as usize)),
            );
            Entry {
                object,
                gateway,
                selector,
                targets,
            }
        })
        .collect();
    // One pass: every (target, port, host, bind) to the Gateways declaring it.
    let mut index: HashMap<ServerKey, Vec<usize>> = HashMap::new();
    for (g, entry) in entries.iter().enumerate() {
        for server in &entry.gateway.servers {
            let (port, bind) = port_and_bind(server);
            for host in &server.hosts {
                for target in &entry.targets {
                    let owners = index.entry((target.clone(), port, host, bind)).or_default();
                    if owners.last() != Some(&g) {
                        owners.push(g);
                    }
                }
            }
        }
    }
    // Owners in the order messages list them (by `namespace/name`), so that
    // a message needs only the head of each list.
    let names: Vec<String> = entries
        .iter()
        .map(|e| {
            let o = e.object;
            format!("{}/{}", o.namespace.as_deref().unwrap_or_default(), o.name)
        })
        .collect();
    let mut rank = vec![0; names.len()];
    let mut by_name: Vec<usize> = (0..names.len()).collect();
    by_name.sort_by(|&a, &b| names[a].cmp(&names[b]));
    for (position, &g) in by_name.iter().enumerate() {
        rank[g] = position;
    }
    for owners in index.values_mut() {
        owners.sort_by_key(|&o| rank[o]);
    }
    let mut unions = Unions::default();
    for (g, entry) in entries.iter().enumerate() {
        for (i, server) in entry.gateway.servers.iter().enumerate() {
            let (port, bind) = port_and_bind(server);
            let mut first_host = None;
            let mut lists: Vec<&[usize]> = Vec::new();
            for (j, host) in server.hosts.iter().enumerate() {
                for target in &entry.targets {
                    let owners = index.get(&(target.clone(), port, host.as_str(), bind));
                    if let Some(owners) = owners.filter(|o| o.iter().any(|&o| o != g)) {
                        first_host.get_or_insert(j);
                        lists.push(owners);
                    }
                }
            }
            let Some(j) = first_host else { continue };
            let (shown, total) = unions.others_of(&lists, g, &rank);
            let shown: Vec<&str> = shown.iter().map(|&o| names[o].as_str()).collect();
            report.report_with_help(
                &CONFLICTING,
                entry.object,
                &format!("spec.servers[{i}].hosts[{j}]"),
                format!(
                    "server on port {port} for hosts [{}] conflicts with Gateway {}, which declares the same host and port for the same workloads (selector {{{}}}): the proxy keeps only one of them",
                    capped_list(&server.hosts, server.hosts.len()),
                    capped_list(&shown, total),
                    entry.selector
                ),
                "merge the servers into one Gateway, or use different hosts or ports",
            );
        }
    }
}

/// The Gateways that share a server's keys: the union of the owner lists of
/// its hosts and targets. Gateways with the same lists share one union, so
/// 4,000 Gateways on one host compute it once, not 4,000 times.
#[derive(Default)]
struct Unions {
    /// By the addresses of the lists: the union's size and its first
    /// `LISTED + 1` members in rank order.
    known: HashMap<Vec<usize>, (usize, Vec<usize>)>,
}

impl Unions {
    /// The first [`LISTED`] Gateways other than `g` in the union of `lists`
    /// (each sorted by `rank`, each holding `g`), and how many there are.
    fn others_of(&mut self, lists: &[&[usize]], g: usize, rank: &[usize]) -> (Vec<usize>, usize) {
        let mut key: Vec<usize> = lists.iter().map(|l| l.as_ptr() as usize).collect();
        key.sort_unstable();
        key.dedup();
        let (size, head) = self.known.entry(key).or_insert_with(|| union(lists, rank));
        let shown = head
            .iter()
            .copied()
            .filter(|&o| o != g)
            .take(LISTED)
            .collect();
        (shown, *size - 1)
    }
}

/// The size of the union of `lists` and its first `LISTED + 1` members by rank.
fn union(lists: &[&[usize]], rank: &[usize]) -> (usize, Vec<usize>) {
    let size = match lists {
        [only] => only.len(),
        _ => lists
            .iter()
            .flat_map(|l| l.iter().copied())
            .collect::<std::collections::HashSet<usize>>()
            .len(),
    };
    let mut head: Vec<usize> = lists
        .iter()
        .flat_map(|list| list.iter().take(LISTED + 1))
        .copied()
        .collect();
    head.sort_by_key(|&o| rank[o]);
    head.dedup();
    head.truncate(LISTED + 1);
    (size, head)
}

/// Names a message lists in full; 4,000 Gateways on one host must not
/// print each of them 4,000 times.
const LISTED: usize = 10;

/// `a, b, c`, or the first [`LISTED`] of `total` and `and 3,996 more`.
fn capped_list<S: AsRef<str>>(items: &[S], total: usize) -> String {
    let shown: Vec<&str> = items.iter().take(LISTED).map(AsRef::as_ref).collect();
    let shown = shown.join(", ");
    match total.saturating_sub(items.len().min(LISTED)) {
        0 => shown,
        more => format!("{shown} and {} more", grouped(more)),
    }
}

/// A count with thousands separators: 3,996.
fn grouped(count: usize) -> String {
    let digits = count.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// The port number (0 when missing, as Istio reads it) and bind address.
fn port_and_bind(server: &crate::model::istio::Server) -> (u32, &str) {
    (
        server.port.as_ref().and_then(|p| p.number).unwrap_or(0),
        server.bind.as_deref().unwrap_or_default(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::{analyzer_tests, findings_of};

    analyzer_tests!(
        CONFLICTING,
        "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: shop\nspec:\n  selector:\n    istio: ingressgateway\n  servers:\n  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: [shop.example.com]\n---\napiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: blog\nspec:\n  selector:\n    istio: ingressgateway\n  servers:\n  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: [blog.example.com]\n  - port: {number: 443, name: https, protocol: HTTPS}\n    hosts: [shop.example.com]\n    tls: {mode: PASSTHROUGH}\n"
    );

    fn gateway(name: &str, selector: &str, port: u32, host: &str, bind: &str) -> String {
        format!(
            "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: {name}\nspec:\n  selector: {selector}\n  servers:\n  - port: {{number: {port}, name: http, protocol: HTTP}}\n    hosts: [{host}]\n{bind}---\n"
        )
    }

    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: gw\n  labels: {app: gw, tier: edge, zone: a}\nspec:\n  containers: [{name: istio-proxy, image: proxyv2}]\n---\n";

    #[test]
    fn different_selectors_on_a_common_pod_conflict() {
        let yaml = format!(
            "{POD}{}{}",
            gateway("a", "{app: gw, tier: edge}", 80, "x.com", ""),
            gateway("b", "{zone: a}", 80, "x.com", "")
        );
        let found = findings_of(&CONFLICTING, &yaml);
        assert_eq!(found.lines().count(), 2, "{found}");
        assert!(found.contains("Gateway default/b"), "{found}");
    }

    #[test]
    fn long_lists_of_gateways_are_cut() {
        let yaml: String = (0..1_012)
            .map(|i| gateway(&format!("g{i:04}"), "{app: gw}", 80, "x.com", ""))
            .collect();
        let found = findings_of(&CONFLICTING, &yaml);
        assert_eq!(found.lines().count(), 1_012);
        let first = found.lines().next().unwrap();
        assert!(
            first.contains("default/g0001, default/g0002,")
                && first.contains("default/g0010 and 1,001 more,"),
            "{first}"
        );
        assert!(!first.contains("default/g0011"), "{first}");
    }

    #[test]
    fn selectors_without_a_common_pod_do_not_conflict() {
        let yaml = format!(
            "{POD}{}{}",
            gateway("a", "{app: gw}", 80, "x.com", ""),
            gateway("b", "{app: other}", 80, "x.com", "")
        );
        assert_eq!(findings_of(&CONFLICTING, &yaml), "");
    }

    #[test]
    fn other_bind_or_host_does_not_conflict() {
        let bind = "    bind: 10.0.0.1\n";
        let yaml = format!(
            "{}{}{}",
            gateway("a", "{istio: ingressgateway}", 80, "x.com", bind),
            gateway("b", "{istio: ingressgateway}", 80, "x.com", ""),
            gateway("c", "{istio: ingressgateway}", 80, "y.com", "")
        );
        assert_eq!(findings_of(&CONFLICTING, &yaml), "");
    }

    #[test]
    fn the_same_selector_conflicts_even_without_pods() {
        let yaml = format!(
            "{}{}",
            gateway("a", "{app: none}", 80, "x.com", ""),
            gateway("b", "{app: none}", 80, "x.com", "")
        );
        assert_eq!(findings_of(&CONFLICTING, &yaml).lines().count(), 2);
    }
}
