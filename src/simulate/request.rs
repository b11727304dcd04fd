//! The request being simulated: what the caller sends and who the caller is.

use crate::model::StringMap;
use std::borrow::Cow;

use crate::snapshot::PathNormalizationMode;

/// One HTTP request, as the client's proxy (or the ingress gateway) sees it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Request {
    pub method: String,
    /// `http` or `https`.
    pub scheme: String,
    /// The Host header as sent: `host` or `host:port` (as written in the URL).
    pub authority: String,
    /// The host name, lower-cased, without port.
    pub host: String,
    /// The destination port (the URL's, else the scheme's default).
    pub port: u32,
    /// The path without the query string, as Istio's default path
    /// normalisation (`BASE`) leaves it.
    pub path: String,
    /// The path as written, for the MeshConfig's other normalisations;
    /// `None` when the request was not parsed from a URL.
    pub written_path: Option<String>,
    /// The raw query string (after `?`), empty when there is none.
    pub query: String,
    /// Request headers, names lower-cased, in the order given.
    pub headers: Vec<(String, String)>,
    pub source: Source,
    /// JWT claims of an authenticated request (`--jwt-claim k=v`), in order.
    pub jwt_claims: Vec<(String, String)>,
    /// Ingress through this Gateway, `ns/name`; `None` is the mesh (a sidecar).
    pub gateway: Option<String>,
    /// HTTP, or a plain TCP connection, or a TLS connection routed by SNI.
    pub protocol: Protocol,
    /// The SNI a TLS client sends (`--sni`); the host when not given.
    pub sni: Option<String>,
    /// The IP address the client connects to (`--destination-ip`), for
    /// `destinationSubnets` conditions.
    pub destination_ip: Option<std::net::IpAddr>,
}

/// What kind of traffic the request is, which decides the VirtualService
/// routes that apply (`http`, `tcp` or `tls`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Protocol {
    #[default]
    Http,
    Tcp,
    Tls,
}

impl Protocol {
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Http => "HTTP",
            Protocol::Tcp => "TCP",
            Protocol::Tls => "TLS",
        }
    }
}

/// The calling workload.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Source {
    pub labels: StringMap,
    /// Namespace of the caller; derived from the principal when not given.
    pub namespace: Option<String>,
    /// Peer identity (mTLS), `trust-domain/ns/NS/sa/SA`.
    pub principal: Option<String>,
    pub ip: Option<String>,
}

/// HTTP's methods (RFC 9110 and PATCH), which are never host names here.
const HTTP_METHODS: &[&str] = &[
    "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
];

impl Request {
    /// Reads `'METHOD URL'` (the method may be left out: GET). The URL is
    /// `scheme://host[:port][/path][?query]`; the scheme may be left out
    /// (http).
    ///
    /// `'TCP host:port'` is a TCP connection and `'TLS host[:port]'` a TLS
    /// connection (port 443 by default); both route on `tcp` or `tls`
    /// routes, not `http` ones.
    pub fn parse(line: &str) -> Result<Request, String> {
        let line = line.trim();
        let (method, url) = match line.split_once(char::is_whitespace) {
            Some((method, url)) => (method.to_string(), url.trim()),
            // A method alone is a request without its URL, not a host named `get`.
            None if HTTP_METHODS.contains(&line.to_ascii_uppercase().as_str()) => {
                return Err(format!(
                    "{line:?} names a method but no URL, e.g. '{line} http://reviews:9080/'"
                ));
            }
            None => ("GET".to_string(), line),
        };
        if method.eq_ignore_ascii_case("tcp") || method.eq_ignore_ascii_case("tls") {
            return Request::parse_connection(&method.to_ascii_uppercase(), url);
        }
        if method.is_empty() || !method.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(format!("{method:?} is not an HTTP method"));
        }
        let (scheme, rest) = match url.split_once("://") {
            Some((scheme, rest)) => (scheme.to_ascii_lowercase(), rest),
            None => ("http".to_string(), url),
        };
        let default_port = match scheme.as_str() {
            "http" => 80,
            "https" => 443,
            other => return Err(format!("scheme {other:?} is not http or https")),
        };
        if url.contains(char::is_whitespace) {
            return Err(format!("{url:?}: text after the URL"));
        }
        let split = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, target) = rest.split_at(split);
        // Credentials (`user:pass@`) are the client's, not part of the
        // authority Envoy routes on.
        let authority = authority
            .rsplit_once('@')
            .map_or(authority, |(_, host)| host);
        if authority.is_empty() {
            return Err(format!("{url:?} names no host"));
        }
        let (host, port) = split_host_port(authority, default_port)?;
        // The fragment never leaves the client.
        let target = target.split_once('#').map_or(target, |(before, _)| before);
        let (path, query) = match target.split_once('?') {
            Some((path, query)) => (path, query),
            None => (target, ""),
        };
        let written = if path.is_empty() { "/" } else { path };
        Ok(Request {
            method: method.to_ascii_uppercase(),
            scheme,
            authority: authority.to_string(),
            host,
            port,
            path: normalized_path(written),
            written_path: Some(written.to_string()),
            query: query.to_string(),
            ..Request::default()
        })
    }

    /// `host:port` of a TCP or TLS connection.
    fn parse_connection(kind: &str, target: &str) -> Result<Request, String> {
        let (protocol, default_port) = if kind == "TCP" {
            (Protocol::Tcp, 0)
        } else {
            (Protocol::Tls, 443)
        };
        if target.is_empty() || target.contains(['/', '?']) || target.contains("://") {
            return Err(format!("{kind} {target:?}: expected host:port"));
        }
        let (host, port) = split_host_port(target, default_port)?;
        if port == 0 {
            return Err(format!("{kind} {target:?}: a TCP connection needs a port"));
        }
        if host.is_empty() {
            return Err(format!("{kind} {target:?} names no host"));
        }
        Ok(Request {
            method: kind.to_string(),
            scheme: kind.to_ascii_lowercase(),
            authority: target.to_string(),
            host,
            port,
            path: "/".to_string(),
            protocol,
            ..Request::default()
        })
    }

    /// The SNI of a TLS connection: `--sni`, else the host as dialled.
    pub fn server_name(&self) -> String {
        self.sni
            .clone()
            .unwrap_or_else(|| self.host.clone())
            .to_ascii_lowercase()
    }

    /// Adds a header given as `name: value`.
    pub fn add_header(&mut self, header: &str) -> Result<(), String> {
        let (name, value) = header
            .split_once(':')
            .filter(|(name, _)| !name.trim().is_empty())
            .ok_or_else(|| format!("header {header:?} is not 'name: value'"))?;
        let (name, value) = (name.trim().to_ascii_lowercase(), value.trim());
        if matches!(name.as_str(), "host" | ":authority") {
            // The Host header is the authority Envoy routes on; the
            // connection still goes to the URL's port.
            self.host = split_host_port(value, self.port)?.0;
            self.authority = value.to_string();
            return Ok(());
        }
        self.headers.push((name, value.to_string()));
        Ok(())
    }

    /// A header's value as Envoy sees it: repeated headers joined with `,`.
    /// `host`/`:authority`, `:method`, `:path` and `:scheme` are the
    /// request's own.
    pub fn header(&self, name: &str) -> Option<String> {
        let name = name.to_ascii_lowercase();
        match name.as_str() {
            ":authority" | "host" => return Some(self.authority.clone()),
            ":method" => return Some(self.method.clone()),
            ":scheme" => return Some(self.scheme.clone()),
            ":path" => return Some(self.path_and_query()),
            _ => {}
        }
        let values: Vec<&str> = self
            .headers
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
            .collect();
        (!values.is_empty()).then(|| values.join(","))
    }

    pub fn path_and_query(&self) -> String {
        if self.query.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{}", self.path, self.query)
        }
    }

    /// A query parameter's first value, as Envoy reads it (not decoded);
    /// a parameter without `=` has the empty value.
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| p.split_once('=').unwrap_or((p, "")))
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
    }

    pub fn jwt_claim(&self, name: &str) -> Option<&str> {
        self.jwt_claims
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The JWT's request principal, `iss/sub`, when both claims are given.
    pub fn request_principal(&self) -> Option<String> {
        Some(format!(
            "{}/{}",
            self.jwt_claim("iss")?,
            self.jwt_claim("sub")?
        ))
    }

    /// The URL as given, normalised: `GET http://host:port/path?query`.
    pub fn line(&self) -> String {
        if self.protocol != Protocol::Http {
            return format!("{} {}", self.protocol.as_str(), self.authority);
        }
        format!(
            "{} {}://{}{}",
            self.method,
            self.scheme,
            self.authority,
            self.path_and_query()
        )
    }
}

impl Source {
    /// The caller's namespace: as given, else the principal's, else `default`.
    pub fn namespace(&self) -> String {
        self.namespace
            .clone()
            .or_else(|| self.principal_part("ns"))
            .unwrap_or_else(|| "default".to_string())
    }

    /// A `/key/value` pair of the principal (`ns`, `sa`).
    pub fn principal_part(&self, key: &str) -> Option<String> {
        let principal = self.principal.as_deref()?;
        let parts: Vec<&str> = principal.split('/').collect();
        parts
            .windows(2)
            .skip(1)
            .find(|w| w[0] == key)
            .map(|w| w[1].to_string())
    }

    /// The principal's trust domain (its first segment).
    pub fn trust_domain(&self) -> Option<&str> {
        self.principal.as_deref()?.split('/').next()
    }
}

/// Reads `k=v,k=v` (labels).
pub fn parse_labels(text: &str) -> Result<StringMap, String> {
    text.split(',')
        .filter(|p| !p.trim().is_empty())
        .map(|pair| {
            pair.split_once('=')
                .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                .filter(|(k, _)| !k.is_empty())
                .ok_or_else(|| format!("label {pair:?} is not key=value"))
        })
        .collect()
}

/// Reads `k=v` (a JWT claim).
pub fn parse_claim(text: &str) -> Result<(String, String), String> {
    text.split_once('=')
        .filter(|(k, _)| !k.is_empty())
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .ok_or_else(|| format!("claim {text:?} is not key=value"))
}

impl Request {
    /// The request as the proxy routes it under the MeshConfig's
    /// `pathNormalization` (`mode`; unset and `DEFAULT` are `BASE`, which
    /// [`Request::parse`] already applied).
    pub fn with_path_normalization(&self, mode: Option<PathNormalizationMode>) -> Cow<'_, Request> {
        let Some(written) = &self.written_path else {
            return Cow::Borrowed(self);
        };
        let path = match mode {
            Some(PathNormalizationMode::None) => written.clone(),
            Some(PathNormalizationMode::MergeSlashes) => merged_slashes(&self.path),
            // Envoy's UNESCAPE_AND_FORWARD: `%2F` and `%5C` become a slash and
            // a backslash before the path is normalised and its slashes merged.
            Some(PathNormalizationMode::DecodeAndMergeSlashes) => {
                merged_slashes(&normalized_path(&unescaped_slashes(written)))
            }
            Some(PathNormalizationMode::Default | PathNormalizationMode::Base) | None => {
                return Cow::Borrowed(self);
            }
        };
        Cow::Owned(Request {
            path,
            ..self.clone()
        })
    }
}

/// `%2F`, `%2f`, `%5C` and `%5c` decoded, the rest as written.
fn unescaped_slashes(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(at) = rest.find('%') {
        out.push_str(&rest[..at]);
        let escape = rest.get(at + 1..at + 3).map(str::to_ascii_uppercase);
        match escape.as_deref() {
            Some("2F") => out.push('/'),
            Some("5C") => out.push('\\'),
            _ => {
                out.push('%');
                rest = &rest[at + 1..];
                continue;
            }
        }
        rest = &rest[at + 3..];
    }
    out.push_str(rest);
    out
}

/// Runs of `/` as one (Envoy's `merge_slashes`).
fn merged_slashes(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if !(c == '/' && out.ends_with('/')) {
            out.push(c);
        }
    }
    out
}

/// The path as Envoy sees it under Istio's default path normalisation
/// (MeshConfig `pathNormalization: BASE`, Envoy's `normalize_path`): RFC
/// 3986 normalisation, percent-encoded unreserved characters decoded, the
/// other escapes in upper case, `.` and `..` segments removed. Slashes are
/// not merged (that takes `MERGE_SLASHES`).
fn normalized_path(path: &str) -> String {
    let mut decoded = String::with_capacity(path.len());
    let bytes = path.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let escape = (bytes[i] == b'%')
            .then(|| path.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escape {
            Some(byte) if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) => {
                decoded.push(byte as char);
                i += 3;
            }
            Some(byte) => {
                decoded.push_str(&format!("%{byte:02X}"));
                i += 3;
            }
            None => {
                let c = path[i..].chars().next().unwrap_or_default();
                decoded.push(c);
                i += c.len_utf8().max(1);
            }
        }
    }
    without_dot_segments(&decoded)
}

/// RFC 3986's remove_dot_segments (section 5.2.4) for an absolute path.
fn without_dot_segments(path: &str) -> String {
    let mut kept: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    for (i, segment) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match *segment {
            "." | ".." => {
                if *segment == ".." {
                    kept.pop();
                }
                if last {
                    // `/a/..` is `/`, the directory.
                    kept.push("");
                }
            }
            other => kept.push(other),
        }
    }
    format!("/{}", kept.join("/"))
}

fn split_host_port(authority: &str, default_port: u32) -> Result<(String, u32), String> {
    // [v6]:port, host:port, host
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let (host, after) = rest
            .split_once(']')
            .ok_or_else(|| format!("{authority:?}: unclosed ["))?;
        (host, after.strip_prefix(':'))
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    let port = match port {
        Some(port) => port
            .parse::<u32>()
            .ok()
            .filter(|p| (1..=65535).contains(p))
            .ok_or_else(|| format!("{authority:?}: port {port:?} is not a number in 1..65535"))?,
        None => default_port,
    };
    Ok((host.to_ascii_lowercase(), port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_method_url_port_path_and_query() {
        let r = Request::parse("post https://Reviews.default:9080/api/v1?x=1&y").unwrap();
        assert_eq!(r.method, "POST");
        assert_eq!(r.scheme, "https");
        assert_eq!(r.authority, "Reviews.default:9080");
        assert_eq!(r.host, "reviews.default");
        assert_eq!(r.port, 9080);
        assert_eq!(r.path, "/api/v1");
        assert_eq!(r.query_param("x"), Some("1"));
        assert_eq!(r.query_param("y"), Some(""));
        assert_eq!(r.query_param("z"), None);
        let plain = Request::parse("http://reviews").unwrap();
        assert_eq!(
            (plain.method.as_str(), plain.port, plain.path.as_str()),
            ("GET", 80, "/")
        );
        assert!(Request::parse("GET ftp://x/").is_err());
        // A method without its URL is not a host named "get".
        assert!(Request::parse("GET").unwrap_err().contains("no URL"));
        assert!(Request::parse("post").is_err());
        assert_eq!(Request::parse("reviews").unwrap().host, "reviews");
        assert!(Request::parse("GET http://x:0/").is_err());
        assert!(Request::parse("GET http:///a").is_err());
    }

    #[test]
    fn paths_are_normalised_as_envoy_does_by_default() {
        let path = |url: &str| Request::parse(&format!("GET http://h{url}")).unwrap().path;
        assert_eq!(path("/canary/../x"), "/x");
        assert_eq!(path("/%63anary/./a/"), "/canary/a/");
        assert_eq!(path("/a/b/.."), "/a/");
        assert_eq!(path("/../../x"), "/x");
        assert_eq!(path("/a%2fb%3f"), "/a%2Fb%3F");
        assert_eq!(path("//a//b"), "//a//b");
        assert_eq!(path("/canary#/../x"), "/canary");
        assert_eq!(path("?q=1"), "/");
    }

    #[test]
    fn userinfo_trailing_text_and_the_host_header() {
        let r = Request::parse("GET http://user:pass@reviews:9080/a").unwrap();
        assert_eq!(
            (r.host.as_str(), r.port, r.authority.as_str()),
            ("reviews", 9080, "reviews:9080")
        );
        assert!(Request::parse("GET http://reviews/a junk").is_err());
        let mut r = Request::parse("GET http://10.0.0.1:9080/").unwrap();
        r.add_header("Host: ratings.default").unwrap();
        assert_eq!((r.host.as_str(), r.port), ("ratings.default", 9080));
        assert_eq!(r.header(":authority").as_deref(), Some("ratings.default"));
    }

    #[test]
    fn reads_tcp_and_tls_connections() {
        let tcp = Request::parse("TCP db.shop:5432").unwrap();
        assert_eq!(
            (tcp.protocol, tcp.host.as_str(), tcp.port),
            (Protocol::Tcp, "db.shop", 5432)
        );
        assert_eq!(tcp.line(), "TCP db.shop:5432");
        assert!(Request::parse("TCP db.shop").is_err(), "TCP needs a port");
        assert!(Request::parse("TCP http://db:1/").is_err());
        let mut tls = Request::parse("tls Api.Example.com").unwrap();
        assert_eq!((tls.protocol, tls.port), (Protocol::Tls, 443));
        assert_eq!(tls.server_name(), "api.example.com");
        tls.sni = Some("other.example.com".into());
        assert_eq!(tls.server_name(), "other.example.com");
    }

    #[test]
    fn headers_are_case_insensitive_and_repeated_ones_join() {
        let mut r = Request::parse("GET http://a/").unwrap();
        r.add_header("End-User: jason").unwrap();
        r.add_header("x-a: 1").unwrap();
        r.add_header("X-A: 2").unwrap();
        assert_eq!(r.header("end-user").as_deref(), Some("jason"));
        assert_eq!(r.header("x-a").as_deref(), Some("1,2"));
        assert_eq!(r.header(":authority").as_deref(), Some("a"));
        assert!(r.add_header("nocolon").is_err());
    }

    #[test]
    fn the_source_namespace_comes_from_the_principal() {
        let source = Source {
            principal: Some("cluster.local/ns/shop/sa/cart".into()),
            ..Source::default()
        };
        assert_eq!(source.namespace(), "shop");
        assert_eq!(source.principal_part("sa").as_deref(), Some("cart"));
        assert_eq!(source.trust_domain(), Some("cluster.local"));
        assert_eq!(Source::default().namespace(), "default");
    }

    proptest::proptest! {
        /// Any `--request` text is read or refused with a reason, never a
        /// panic; a read path is absolute and normalising it again changes
        /// nothing, under every MeshConfig mode.
        #[test]
        fn any_request_line_is_read_or_refused(
            line in "(GET |post |TCP |TLS )?(https?://|tcp://)?[a-z0-9.:@\\[\\]%/?#&=. -]{0,40}"
        ) {
            if let Ok(request) = Request::parse(&line) {
                for mode in [
                    None,
                    Some(PathNormalizationMode::None),
                    Some(PathNormalizationMode::MergeSlashes),
                    Some(PathNormalizationMode::DecodeAndMergeSlashes),
                ] {
                    let routed = request.with_path_normalization(mode);
                    proptest::prop_assert!(
                        routed.path.starts_with('/') || routed.path.is_empty(),
                        "{:?}", routed.path
                    );
                }
                proptest::prop_assert_eq!(normalized_path(&request.path), request.path.clone());
            }
        }
    }
}
