//! Rules and matches a VirtualService can never use: a rule after a
//! catch-all rule, a match an earlier rule already has, a prefix match
//! covered by an earlier, shorter prefix. Istio's webhook warns about these
//! (istioctl reports IST0130 and IST0131).

use std::collections::HashMap;

use serde::Serialize;

use super::super::Findings;
use super::KINDS;
use crate::model::istio::{
    HttpMatchRequest, HttpRoute, L4MatchAttributes, StringMatch, TlsMatchAttributes,
    VirtualServiceSpec,
};
use crate::report::{Example, Level, Rule};

pub static UNREACHABLE_RULE: Rule = Rule {
    code: "IST0130",
    name: "virtualservice-unreachable-rule",
    level: Level::Warning,
    summary: "A VirtualService rule that no request can reach.",
    kinds: KINDS,
    explanation: "Envoy tries `http`, `tcp` and `tls` rules in order and uses the first that matches. \
        A rule without `match` catches every request, so any rule after it is never used; a rule whose \
        every match is a copy of an earlier rule's match is never used either. Move the catch-all rule \
        to the end, or remove or change the shadowed rule.",
    example: Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination:\n        host: reviews\n        subset: v1\n  - match:\n    - uri:\n        prefix: /v2\n    route:\n    - destination:\n        host: reviews\n        subset: v2\n",
        fires_at: &["spec.http[1]"],
    },
};

pub static INEFFECTIVE_RULE: Rule = Rule {
    code: "IST0131",
    name: "virtualservice-ineffective-match",
    level: Level::Info,
    summary: "A VirtualService match that an earlier match always wins over.",
    kinds: KINDS,
    explanation: "A match condition equal to one of an earlier rule (names aside), or a URI prefix \
        match that an earlier, shorter prefix with the same other conditions already covers (`/api` \
        before `/api/v1`), never selects its rule: the earlier one wins. Remove the match, or order \
        the more specific match first.",
    example: Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n  http:\n  - match:\n    - uri:\n        prefix: /api\n    route:\n    - destination:\n        host: reviews\n        subset: v1\n  - match:\n    - uri:\n        prefix: /api/v2\n    - uri:\n        prefix: /api\n    - uri:\n        exact: /v2\n    route:\n    - destination:\n        host: reviews\n        subset: v2\n",
        fires_at: &["spec.http[1].match[0]", "spec.http[1].match[1]"],
    },
};

pub fn check_unreachable(spec: &VirtualServiceSpec, found: &mut Findings) {
    for finding in analyze(spec).into_iter().filter(|f| f.unreachable) {
        found.report(finding.path, finding.message);
    }
}

pub fn check_ineffective(spec: &VirtualServiceSpec, found: &mut Findings) {
    for finding in analyze(spec).into_iter().filter(|f| !f.unreachable) {
        found.report(finding.path, finding.message);
    }
}

/// One unused rule (`unreachable`) or unused match.
struct Unused {
    unreachable: bool,
    path: String,
    message: String,
}

/// A kind of route (`http`, `tcp`, `tls`) as the analysis sees it.
struct RouteView<'a, M> {
    field: &'a str,
    name: Option<&'a str>,
    matches: Vec<(Option<&'a str>, &'a M)>,
}

fn analyze(spec: &VirtualServiceSpec) -> Vec<Unused> {
    let mut out = Vec::new();
    let http: Vec<RouteView<HttpMatchRequest>> = spec.http.iter().map(http_view).collect();
    let prefix_matches = find_duplicates(&http, http_key, &mut out);
    find_covered_prefixes(&spec.http, &prefix_matches, &mut out);
    let tcp: Vec<RouteView<L4MatchAttributes>> = spec
        .tcp
        .iter()
        .map(|r| l4_view("tcp", &r.matches))
        .collect();
    find_duplicates(&tcp, tcp_key, &mut out);
    let tls: Vec<RouteView<TlsMatchAttributes>> = spec
        .tls
        .iter()
        .map(|r| l4_view("tls", &r.matches))
        .collect();
    find_duplicates(&tls, tls_key, &mut out);
    out
}

fn http_view(route: &HttpRoute) -> RouteView<'_, HttpMatchRequest> {
    RouteView {
        field: "http",
        name: route.name.as_deref().filter(|n| !n.is_empty()),
        matches: route
            .matches
            .iter()
            .map(|m| (m.name.as_deref().filter(|n| !n.is_empty()), m))
            .collect(),
    }
}

fn l4_view<'a, M>(field: &'a str, matches: &'a [M]) -> RouteView<'a, M> {
    RouteView {
        field,
        name: None,
        matches: matches.iter().map(|m| (None, m)).collect(),
    }
}

/// Istio names a rule or match by its name, quoted, or `#index`.
fn label(name: Option<&str>, index: usize) -> String {
    name.map_or_else(|| format!("#{index}"), |n| format!("{n:?}"))
}

/// Rules after a catch-all and matches seen before. Returns the matches
/// still in play, as (rule, match) indexes, for the prefix analysis.
fn find_duplicates<M>(
    routes: &[RouteView<M>],
    key_of: impl Fn(&M) -> String,
    out: &mut Vec<Unused>,
) -> Vec<(usize, usize)> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut catch_all: Option<usize> = None;
    let mut in_play = Vec::new();
    for (i, route) in routes.iter().enumerate() {
        let path = format!("spec.{}[{i}]", route.field);
        let rule = label(route.name, i);
        let unused = |reason: &str| Unused {
            unreachable: true,
            path: path.clone(),
            message: format!("rule {rule} is never used ({reason})"),
        };
        if route.matches.is_empty() {
            if catch_all.is_some() {
                out.push(unused("only the last rule can have no matches"));
            }
            catch_all = Some(i);
            continue;
        }
        if catch_all.is_some() {
            out.push(unused("a rule without matches comes before it"));
            continue;
        }
        let mut duplicates = 0;
        for (j, (name, matcher)) in route.matches.iter().enumerate() {
            let key = key_of(matcher);
            if let Some(&earlier) = seen.get(&key) {
                out.push(Unused {
                    unreachable: false,
                    path: format!("{path}.match[{j}]"),
                    message: format!(
                        "rule {rule} match {} is never used: rule {} has the same match",
                        label(*name, j),
                        label(routes[earlier].name, earlier)
                    ),
                });
                duplicates += 1;
                continue;
            }
            seen.insert(key, i);
            in_play.push((i, j));
        }
        if duplicates == route.matches.len() {
            out.push(unused("all its matches are used by prior rules"));
        }
    }
    in_play
}

/// A match as JSON, with what does not affect routing (its name, unset
/// defaults) left out.
fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

fn http_key(matcher: &HttpMatchRequest) -> String {
    json(&HttpMatchRequest {
        name: None,
        port: matcher.port.filter(|p| *p != 0),
        ignore_uri_case: matcher.ignore_uri_case.filter(|b| *b),
        source_namespace: matcher.source_namespace.clone().filter(|s| !s.is_empty()),
        stat_prefix: matcher.stat_prefix.clone().filter(|s| !s.is_empty()),
        ..matcher.clone()
    })
}

fn tcp_key(matcher: &L4MatchAttributes) -> String {
    json(&L4MatchAttributes {
        port: matcher.port.filter(|p| *p != 0),
        source_namespace: matcher.source_namespace.clone().filter(|s| !s.is_empty()),
        source_subnet: matcher.source_subnet.clone().filter(|s| !s.is_empty()),
        ..matcher.clone()
    })
}

fn tls_key(matcher: &TlsMatchAttributes) -> String {
    json(&TlsMatchAttributes {
        port: matcher.port.filter(|p| *p != 0),
        source_namespace: matcher.source_namespace.clone().filter(|s| !s.is_empty()),
        ..matcher.clone()
    })
}

/// A URI prefix match reduced to what Istio compares for overlaps. Values
/// are `exact:<v>`, `prefix:<v>` or empty (for regexes and absent fields).
struct PrefixMatch {
    /// Position among the HTTP routes' matches, to list covers in order.
    order: (usize, usize),
    path: String,
    rule: String,
    name: String,
    prefix: String,
    port: u32,
    method: String,
    authority: String,
    headers: Vec<(String, String)>,
    query_params: Vec<(String, String)>,
    without_headers: Vec<(String, String)>,
}

fn exact_or_prefix(matcher: Option<&StringMatch>) -> String {
    let exact = matcher.and_then(|m| m.exact.as_deref()).unwrap_or_default();
    let prefix = matcher
        .and_then(|m| m.prefix.as_deref())
        .unwrap_or_default();
    if !exact.is_empty() {
        format!("exact:{exact}")
    } else if !prefix.is_empty() {
        format!("prefix:{prefix}")
    } else {
        String::new()
    }
}

fn reduce<'a>(
    map: impl IntoIterator<Item = (&'a String, &'a StringMatch)>,
) -> Vec<(String, String)> {
    map.into_iter()
        .map(|(k, v)| (k.clone(), exact_or_prefix(Some(v))))
        .collect()
}

fn prefix_match(routes: &[HttpRoute], i: usize, j: usize) -> Option<PrefixMatch> {
    let route = routes.get(i)?;
    let matcher = route.matches.get(j)?;
    let prefix = matcher
        .uri
        .as_ref()?
        .prefix
        .as_deref()
        .filter(|p| !p.is_empty())?;
    let mut method = exact_or_prefix(matcher.method.as_ref());
    if method.is_empty() {
        // Istio compares a match without a method as if it matched GET.
        method = "exact:GET".into();
    }
    Some(PrefixMatch {
        order: (i, j),
        path: format!("spec.http[{i}].match[{j}]"),
        rule: label(route.name.as_deref().filter(|n| !n.is_empty()), i),
        name: label(matcher.name.as_deref().filter(|n| !n.is_empty()), j),
        prefix: prefix.to_string(),
        port: matcher.port.unwrap_or_default(),
        method,
        authority: exact_or_prefix(matcher.authority.as_ref()),
        headers: reduce(&matcher.headers),
        query_params: reduce(&matcher.query_params),
        without_headers: reduce(&matcher.without_headers),
    })
}

/// Whether `value` (of the earlier match) covers `other` as Istio decides
/// it: equal, or `value` starting with `other`.
fn covers(value: &str, other: &str) -> bool {
    value.starts_with(other)
}

fn maps_cover(earlier: &[(String, String)], later: &[(String, String)]) -> bool {
    earlier.len() == later.len()
        && earlier.iter().all(|(key, value)| {
            later
                .iter()
                .find(|(k, _)| k == key)
                .is_some_and(|(_, other)| covers(value, other))
        })
}

/// Istio's overlap test: the later prefix extends the earlier one, and the
/// other conditions agree.
fn covered(earlier: &PrefixMatch, later: &PrefixMatch) -> bool {
    later.prefix.starts_with(&earlier.prefix)
        && earlier.port == later.port
        && covers(&earlier.method, &later.method)
        && covers(&earlier.authority, &later.authority)
        && maps_cover(&earlier.headers, &later.headers)
        && maps_cover(&earlier.query_params, &later.query_params)
        && maps_cover(&earlier.without_headers, &later.without_headers)
}

/// How many earlier matches are named as covering one match; Istio names
/// every pair, which grows with the square of the routes.
const COVERING_LISTED: usize = 5;

/// How many earlier matches with a shorter prefix are compared with one
/// match at most, so that 100,000 routes stay linear; the nearest prefixes
/// (longest first) are compared first.
const CANDIDATES_COMPARED: usize = 1_000;

/// Matches whose URI prefix extends an earlier match's prefix under the same
/// conditions. Earlier prefixes are found by walking a trie of the prefixes
/// seen so far along the later one, not by comparing every pair.
fn find_covered_prefixes(routes: &[HttpRoute], in_play: &[(usize, usize)], out: &mut Vec<Unused>) {
    let prefixes: Vec<PrefixMatch> = in_play
        .iter()
        .filter_map(|&(i, j)| prefix_match(routes, i, j))
        .collect();
    let mut seen = PrefixTrie::default();
    for (index, later) in prefixes.iter().enumerate() {
        let covering = seen
            .shorter_prefixes_of(&later.prefix)
            .take(CANDIDATES_COMPARED)
            .map(|a| &prefixes[a])
            .filter(|earlier| covered(earlier, later));
        let mut covering: Vec<&PrefixMatch> = covering.take(COVERING_LISTED).collect();
        // Istio lists them in route order.
        covering.sort_by_key(|earlier| earlier.order);
        for earlier in covering {
            out.push(Unused {
                unreachable: false,
                path: later.path.clone(),
                message: format!(
                    "rule {} match {} (prefix {}) is never used: match {} (prefix {}) of rule {} covers it",
                    later.rule, later.name, later.prefix, earlier.name, earlier.prefix, earlier.rule
                ),
            });
        }
        seen.insert(&later.prefix, index);
    }
}

/// URI prefixes by their bytes, each node holding the matches whose prefix
/// ends there.
#[derive(Default)]
struct PrefixTrie {
    children: HashMap<(usize, u8), usize>,
    ends: HashMap<usize, Vec<usize>>,
    nodes: usize,
}

impl PrefixTrie {
    fn insert(&mut self, prefix: &str, item: usize) {
        let mut node = 0;
        for byte in prefix.bytes() {
            node = match self.children.get(&(node, byte)) {
                Some(&child) => child,
                None => {
                    self.nodes += 1;
                    self.children.insert((node, byte), self.nodes);
                    self.nodes
                }
            };
        }
        self.ends.entry(node).or_default().push(item);
    }

    /// Items whose prefix is a proper prefix of `text`, longest prefix
    /// first, in insertion order within one prefix.
    fn shorter_prefixes_of(&self, text: &str) -> impl Iterator<Item = usize> + '_ {
        let mut path = Vec::new();
        let mut node = 0;
        // The node of `text` itself is left out: an equal prefix is a duplicate, not a cover.
        for byte in text.bytes().take(text.len().saturating_sub(1)) {
            match self.children.get(&(node, byte)) {
                Some(&child) => {
                    node = child;
                    path.push(node);
                }
                None => break,
            }
        }
        path.into_iter()
            .rev()
            .filter_map(|node| self.ends.get(&node))
            .flatten()
            .copied()
    }
}

#[cfg(test)]
mod unreachable_tests {
    crate::validate::test_support::rule_tests!(UNREACHABLE_RULE);
    use super::UNREACHABLE_RULE;
}

#[cfg(test)]
mod ineffective_tests {
    crate::validate::test_support::rule_tests!(INEFFECTIVE_RULE);
    use super::INEFFECTIVE_RULE;
}

#[cfg(test)]
mod cases {
    use super::{INEFFECTIVE_RULE, UNREACHABLE_RULE};
    use crate::validate::test_support::findings_of;

    fn run(http: &str) -> String {
        let yaml = format!(
            "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: r\nspec:\n  hosts: [r]\n  http:\n{http}"
        );
        [
            findings_of(&UNREACHABLE_RULE, &yaml),
            findings_of(&INEFFECTIVE_RULE, &yaml),
        ]
        .join("\n")
    }

    const DEST: &str = "    route:\n    - destination: {host: r}\n";

    #[test]
    fn distinct_matches_pass() {
        let http = format!(
            "  - match: [{{uri: {{prefix: /a}}, method: {{exact: POST}}}}]\n{DEST}  - match: [{{uri: {{prefix: /a/b}}}}]\n{DEST}  - match: [{{uri: {{prefix: /a}}, headers: {{x: {{exact: y}}}}}}]\n{DEST}  - match: [{{uri: {{prefix: /a}}, port: 0}}]\n    name: second\n{DEST}  - name: last\n{DEST}"
        );
        assert_eq!(run(&http).trim(), "");
    }

    #[test]
    fn shadowed_rules_fail() {
        let http = format!(
            "  - name: first\n    match: [{{name: m, uri: {{prefix: /a}}, ignoreUriCase: false}}]\n{DEST}  - match: [{{uri: {{prefix: /a}}}}]\n{DEST}  - match: [{{uri: {{prefix: /a/b}}, method: {{exact: GET}}}}]\n{DEST}  - name: catch-all\n{DEST}  - match: [{{uri: {{exact: /z}}}}, {{uri: {{exact: /y}}}}]\n{DEST}  - name: last\n{DEST}"
        );
        insta::assert_snapshot!(run(&http));
    }

    #[test]
    fn every_shorter_covering_prefix_is_named_in_route_order_up_to_five() {
        let routes: String = ["/", "/a", "/ab", "/b", "/abc", "/abcd", "/abcde", "/abcdef"]
            .iter()
            .map(|p| format!("  - match: [{{uri: {{prefix: {p}}}}}]\n{DEST}"))
            .collect();
        let found = run(&routes);
        let on = |rule: usize| {
            found
                .lines()
                .filter(|l| l.contains(&format!("spec.http[{rule}]")))
                .map(|l| {
                    l.split("covers it")
                        .next()
                        .unwrap_or_default()
                        .rsplit("match ")
                        .next()
                        .unwrap_or_default()
                        .to_string()
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(
            on(2),
            ["#0 (prefix /) of rule #0 ", "#0 (prefix /a) of rule #1 "],
            "{found}"
        );
        assert_eq!(on(3), ["#0 (prefix /) of rule #0 "], "{found}");
        // /abcdef has six shorter prefixes before it: the five nearest are named.
        assert_eq!(on(7).len(), 5, "{found}");
        assert!(!on(7)[0].contains("prefix /)"), "{found}");
    }
}
