//! The regular expressions of the VirtualServices, compiled once per
//! configuration rather than at every request match: the index records each
//! pattern, and a pattern is compiled the first time a request meets it (a
//! large configuration has many regexes that one request never reaches).

use std::collections::HashMap;
use std::sync::OnceLock;

use regex::Regex;

use crate::mesh::re2;

use crate::model::istio::{HttpMatchRequest, HttpRoute, StringMatch};

/// Patterns as written, each read as RE2 reads it and compiled for a
/// whole-value match (Envoy's `safe_regex` matches the whole value) or, for
/// `uriRegexRewrite`, for search and replace. A pattern that does not compile is kept as `None`
/// and matches nothing (validate reports it).
#[derive(Default)]
pub struct Regexes {
    whole: HashMap<String, OnceLock<Option<Regex>>>,
    search: HashMap<String, OnceLock<Option<Regex>>>,
}

impl Regexes {
    /// Compiles every regex of these HTTP routes.
    pub fn add_routes(&mut self, routes: &[HttpRoute]) {
        for route in routes {
            route.matches.iter().for_each(|m| self.add_match(m));
            if let Some(pattern) = route
                .rewrite
                .as_ref()
                .and_then(|r| r.uri_regex_rewrite.as_ref())
                .and_then(|r| r.matches.as_deref())
            {
                self.search.entry(pattern.to_string()).or_default();
            }
        }
    }

    pub(super) fn add_match(&mut self, m: &HttpMatchRequest) {
        let singles = [&m.uri, &m.scheme, &m.method, &m.authority];
        let maps = [&m.headers, &m.without_headers, &m.query_params];
        let patterns = singles
            .into_iter()
            .flatten()
            .chain(maps.into_iter().flat_map(|map| map.values()))
            .filter_map(|sm: &StringMatch| sm.regex.as_deref());
        for pattern in patterns {
            self.whole.entry(pattern.to_string()).or_default();
        }
    }

    /// Whether `pattern` (a regex of the configuration) matches all of
    /// `value`.
    pub fn full_match(&self, pattern: &str, value: &str) -> bool {
        self.whole
            .get(pattern)
            .and_then(|cell| cell.get_or_init(|| re2::whole_match(pattern)).as_ref())
            .is_some_and(|re| re.is_match(value))
    }

    /// The compiled `uriRegexRewrite.match` pattern.
    pub fn rewrite(&self, pattern: &str) -> Option<&Regex> {
        self.search
            .get(pattern)
            .and_then(|cell| cell.get_or_init(|| re2::search(pattern)).as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regexes_match_whole_values_and_bad_ones_match_nothing() {
        let route = HttpRoute {
            matches: vec![HttpMatchRequest {
                uri: Some(StringMatch {
                    regex: Some("/v[0-9]+".into()),
                    ..Default::default()
                }),
                authority: Some(StringMatch {
                    regex: Some("(".into()),
                    ..Default::default()
                }),
                ..Default::default()
            }],
            ..Default::default()
        };
        let mut regexes = Regexes::default();
        regexes.add_routes(&[route]);
        assert!(
            regexes.whole.values().all(|cell| cell.get().is_none()),
            "nothing is compiled before a request meets it"
        );
        assert!(regexes.full_match("/v[0-9]+", "/v12"));
        assert!(
            regexes.whole["/v[0-9]+"].get().is_some(),
            "compiled once, kept"
        );
        assert!(!regexes.full_match("/v[0-9]+", "/v12/x"));
        assert!(!regexes.full_match("(", "("));
    }
}
