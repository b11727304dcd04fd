//! Generates a deterministic, realistic Istio mesh configuration corpus: the
//! input of meshctl's benchmarks and end-to-end tests.
//!
//! ```text
//! cargo run --release --example gen-corpus -- --services N --out DIR \
//!     [--seed S] [--files K] [--errors PCT] [--routes istio|gateway-api]
//! ```
//!
//! N services are spread over round(sqrt(N)) namespaces of uneven size. Each
//! service gets a Service, a Deployment per version, a DestinationRule, a
//! VirtualService and, for every third service, an AuthorizationPolicy. The
//! `istio-ingress` namespace holds the ingress Gateways and the gateway
//! workload. `shared/bench/README.md` describes the shape in detail.
//!
//! `--routes gateway-api` writes the same mesh with the Kubernetes Gateway
//! API in place of Istio's routing: Gateway API Gateways for ingress and, per
//! service, an HTTPRoute attached to its Service (and one more attached to
//! its ingress Gateway when it is exposed). The routes carry the same
//! matches, splits, redirects, rewrites, mirrors and timeouts as the
//! VirtualServices would; a subset becomes a per-version Service
//! (`reviews-v2`), as Gateway API users write canaries. Every random draw is
//! the same in both modes, so the two corpora describe one mesh.
//!
//! Each resource is first built as a small typed model, so that a mistake can
//! be injected into it, then written straight into a text buffer. The writer
//! counts lines as it goes, which is how `expected-errors.json` gets exact
//! line numbers. The output depends only on N, the seed, `--files` and
//! `--errors`; a clean corpus is valid against Istio's strict schemas.

use std::collections::{BTreeMap, HashSet};
use std::fmt::{Display, Write as _};
use std::fs::{self, File};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use serde::Serialize;

const USAGE: &str = "\
Generate a deterministic, realistic Istio mesh configuration corpus.

Usage: gen-corpus --services N --out DIR [--seed S] [--files K] [--errors PCT]
                  [--routes istio|gateway-api]

Options:
  --services N    number of services (at least 1)
  --out DIR       output folder, created if missing
  --seed S        random seed [default: 1]
  --files K       cut the documents into K files DIR/mesh-NNNN.yaml
                  [default: one file per namespace, DIR/<namespace>.yaml]
  --errors PCT    put one known mistake into PCT percent of the services
                  and list them in DIR/expected-errors.json
  --routes MODE   istio (VirtualServices, Istio Gateways) or gateway-api
                  (HTTPRoutes, Gateway API Gateways) [default: istio]
  -h, --help      print this help
";

/// First line of every generated file; also how stale files of an earlier
/// run are recognised before they are removed.
const HEADER_PREFIX: &str = "# meshctl benchmark corpus: gen-corpus.rs";
const GENERATOR_VERSION: u32 = 1;
const EXPECTED_ERRORS: &str = "expected-errors.json";
const INGRESS_NS: &str = "istio-ingress";
const INGRESS_PRINCIPAL: &str = "cluster.local/ns/istio-ingress/sa/istio-ingressgateway";
const SECURITY_V1: &str = "security.istio.io/v1";

fn main() -> ExitCode {
    let options = match Options::parse(std::env::args().skip(1)) {
        Ok(Some(options)) => options,
        Ok(None) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("gen-corpus: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&options) {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("gen-corpus: {}: {error}", options.out.display());
            ExitCode::FAILURE
        }
    }
}

// ---------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------

struct Options {
    services: usize,
    out: PathBuf,
    seed: u64,
    files: Option<usize>,
    errors_percent: Option<f64>,
    routes: Routes,
}

/// Which API the corpus routes with.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Routes {
    Istio,
    GatewayApi,
}

impl Options {
    /// Parses the arguments; `Ok(None)` means help was asked for.
    fn parse(args: impl IntoIterator<Item = String>) -> Result<Option<Self>, String> {
        let (mut services, mut out, mut seed, mut files, mut errors) = (None, None, 1, None, None);
        let mut routes = Routes::Istio;
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            // Accept both `--flag value` and `--flag=value`.
            let (flag, inline) = match arg.split_once('=') {
                Some((flag, value)) => (flag.to_owned(), Some(value.to_owned())),
                None => (arg, None),
            };
            if flag == "-h" || flag == "--help" {
                return Ok(None);
            }
            let value = inline
                .or_else(|| args.next())
                .ok_or_else(|| format!("{flag} needs a value"))?;
            match flag.as_str() {
                "--services" => services = Some(number(&flag, &value)?),
                "--out" => out = Some(PathBuf::from(value)),
                "--seed" => seed = number(&flag, &value)?,
                "--files" => files = Some(number(&flag, &value)?),
                "--errors" => errors = Some(number(&flag, &value)?),
                "--routes" => routes = routes_mode(&value)?,
                _ => return Err(format!("unknown option {flag}")),
            }
        }
        let services: usize = services.ok_or("--services is required")?;
        let out = out.ok_or("--out is required")?;
        if services == 0 {
            return Err("--services must be at least 1".into());
        }
        if files == Some(0) {
            return Err("--files must be at least 1".into());
        }
        if errors.is_some_and(|pct: f64| !(0.0..=100.0).contains(&pct)) {
            return Err("--errors must be between 0 and 100".into());
        }
        // Mistakes are placed in VirtualServices, which that mode has none of.
        if errors.is_some() && routes == Routes::GatewayApi {
            return Err("--errors is not supported with --routes gateway-api".into());
        }
        Ok(Some(Options {
            services,
            out,
            seed,
            // More files than services would leave some of them empty.
            files: files.map(|k| k.min(services)),
            errors_percent: errors,
            routes,
        }))
    }
}

fn routes_mode(value: &str) -> Result<Routes, String> {
    match value {
        "istio" => Ok(Routes::Istio),
        "gateway-api" => Ok(Routes::GatewayApi),
        _ => Err(format!(
            "--routes: expected istio or gateway-api, got {value:?}"
        )),
    }
}

fn number<T: std::str::FromStr>(flag: &str, value: &str) -> Result<T, String> {
    value
        .parse()
        .map_err(|_| format!("{flag}: not a valid number: {value:?}"))
}

// ---------------------------------------------------------------------------
// Randomness
// ---------------------------------------------------------------------------

/// SplitMix64: tiny, fast and plenty for test data. Keeping it in this file
/// (rather than a crate) guarantees the corpus never changes under us.
struct Rng(u64);

impl Rng {
    /// Each namespace and each injected mistake draws from its own stream,
    /// so a mistake never shifts the random choices of anything else.
    fn new(seed: u64, stream: u64) -> Self {
        Rng(mix(seed ^ mix(stream)))
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// Uniform in `0..n` (multiply-shift; the bias is far below noticing).
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// True with probability `p`; exact arithmetic, so the same everywhere.
    fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Stream numbers: 0 plans, 1.. are namespaces, mistakes live far above.
const PLAN_STREAM: u64 = 0;
const MISTAKE_STREAM: u64 = 1 << 40;

// ---------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------

// Word lists are whitespace-separated strings: compact and easy to edit.

const NAMESPACE_WORDS: &str = "\
storefront checkout identity shipping platform analytics growth ads search catalog \
payments billing ledger risk support mobile web partners media social messaging maps \
dispatch accounts infra observability ml data warehouse loyalty pricing notifications";

const SERVICE_WORDS: &str = "\
reviews ratings details productpage cart basket checkout payment inventory catalog \
search recommender shipping orders users auth notifier mailer billing invoice ledger \
account profile session pricing promo coupon wishlist frontend media thumbnailer \
uploader analytics events audit config flags geo currency tax fraud risk kyc loyalty \
rewards quote returns refunds stock fulfillment tracking carrier label ads campaign \
segment experiment metrics report exporter importer scheduler cron webhook token \
keystore vault policy tenant usage subscription plan entitlement license helpdesk \
ticket chat feed timeline graph comment like follow inbox push sms voice map router \
eta driver rider dispatch surge menu restaurant store banner avatar captcha consent \
ranking shortlink translation locale calendar booking availability gallery \
review-summary";

/// Second words for names once a namespace has used every plain word.
const QUALIFIERS: &str = "\
api worker backend core edge internal sync cache reader writer \
indexer proxy adapter bridge engine consumer publisher batch admin stream";

struct Gateway {
    name: &'static str,
    domain: &'static str,
    credential: &'static str,
}

const GATEWAYS: [Gateway; 4] = [
    Gateway {
        name: "public-gateway",
        domain: "shop.example.com",
        credential: "shop-example-com-tls",
    },
    Gateway {
        name: "api-gateway",
        domain: "api.example.net",
        credential: "api-example-net-tls",
    },
    Gateway {
        name: "partner-gateway",
        domain: "partners.example.org",
        credential: "partners-example-org-tls",
    },
    Gateway {
        name: "internal-gateway",
        domain: "internal.example.io",
        credential: "internal-example-io-tls",
    },
];

/// Base64 of a PEM-shaped text that says it is a placeholder.
const PLACEHOLDER_CERT: &str = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCmJlbmNobWFyayBwbGFjZWhvbGRlciwgbm90IGEgY2VydGlmaWNhdGUKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=";
const PLACEHOLDER_KEY: &str = "LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCmJlbmNobWFyayBwbGFjZWhvbGRlciwgbm90IGEga2V5Ci0tLS0tRU5EIFBSSVZBVEUgS0VZLS0tLS0K";

#[derive(Clone, Copy)]
struct PortSpec {
    name: &'static str,
    port: u16,
    target: u16,
}

/// Port names carry the protocol, as Istio's protocol selection expects.
const MAIN_PORTS: [PortSpec; 6] = [
    port("http", 80, 8080),
    port("http-web", 9080, 9080),
    port("http-api", 8000, 8000),
    port("grpc", 9090, 9090),
    port("grpc-api", 50051, 50051),
    port("http2", 8082, 8082),
];
/// Extra ports: numbers distinct from every main port and from each other.
const SIDE_PORTS: [PortSpec; 3] = [
    port("http-admin", 8081, 8081),
    port("http-metrics", 9464, 9464),
    port("grpc-health", 9091, 9091),
];

const fn port(name: &'static str, port: u16, target: u16) -> PortSpec {
    PortSpec { name, port, target }
}

const VERSIONS: [&str; 3] = ["v1", "v2", "v3"];

#[derive(Clone, Copy, PartialEq, Eq)]
enum MatchOp {
    Exact,
    Prefix,
    Regex,
}

impl MatchOp {
    fn key(self) -> &'static str {
        match self {
            MatchOp::Exact => "exact",
            MatchOp::Prefix => "prefix",
            MatchOp::Regex => "regex",
        }
    }
}

/// An Istio StringMatch.
#[derive(Clone, Copy)]
struct StrMatch {
    op: MatchOp,
    value: &'static str,
}

const fn exact(value: &'static str) -> StrMatch {
    StrMatch {
        op: MatchOp::Exact,
        value,
    }
}
const fn prefix(value: &'static str) -> StrMatch {
    StrMatch {
        op: MatchOp::Prefix,
        value,
    }
}
const fn regex(value: &'static str) -> StrMatch {
    StrMatch {
        op: MatchOp::Regex,
        value,
    }
}

const HEADER_MATCHES: &[(&str, StrMatch)] = &[
    ("x-canary", exact("true")),
    ("end-user", exact("jason")),
    ("x-api-version", exact("2")),
    ("x-client", prefix("ios-")),
    ("user-agent", regex(".*(Android|iPhone).*")),
    ("x-tenant", exact("acme")),
    ("x-region", regex("^(eu|us)-[a-z]+-[0-9]$")),
    ("cookie", regex("^(.*?;)?(user=beta)(;.*)?$")),
    ("x-debug", exact("1")),
];

// No prefix below is a string prefix of another, of an exact path, or of
// everything a regex matches, so no route can make a later one unreachable.
const URI_PREFIXES: &[&str] = &[
    "/api/v1",
    "/api/v2",
    "/v1",
    "/v2",
    "/static",
    "/admin",
    "/graphql",
    "/internal",
    "/public",
    "/legacy",
    "/beta",
    "/mobile",
    "/assets",
    "/ws",
];
const URI_EXACTS: &[&str] = &[
    "/login",
    "/logout",
    "/healthz",
    "/readyz",
    "/metrics",
    "/search",
    "/checkout/confirm",
    "/account/settings",
    "/robots.txt",
    "/favicon.ico",
];
/// Valid RE2 (Istio's regex dialect).
const URI_REGEXES: &[&str] = &[
    "^/api/v[0-9]+/users/[^/]+$",
    "^/orders/[0-9]{4,12}(/items)?$",
    "^/[a-z-]+/.*\\.(css|js|svg|woff2)$",
    "^/(en|de|fr|ja)/products/.*$",
    "^/v[0-9]+/[a-z-]+/?$",
    "^/users/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$",
];
/// Patterns RE2 rejects; the last ones are fine in PCRE and ECMAScript, which
/// is exactly why people write them.
const BAD_REGEXES: &[(&str, &str)] = &[
    ("^/api/(v1|v2/.*", "missing closing parenthesis"),
    ("^/orders/[0-9+$", "missing closing bracket"),
    ("*/health", "missing argument to repetition operator"),
    ("^/items/[a-z]{5,2}$", "invalid repeat count"),
    (
        "^/api/(?=v[0-9])v.*",
        "lookahead is not supported by RE2 (PCRE and ECMAScript accept it)",
    ),
    (
        "^/(?!internal)[a-z]+$",
        "negative lookahead is not supported by RE2 (PCRE and ECMAScript accept it)",
    ),
    (
        "^/(\\w+)/\\1$",
        "backreference is not supported by RE2 (PCRE and ECMAScript accept it)",
    ),
];

const METHOD_MATCHES: &[StrMatch] = &[
    exact("GET"),
    exact("POST"),
    exact("PUT"),
    exact("DELETE"),
    regex("^(GET|HEAD)$"),
];
const QUERY_MATCHES: &[(&str, StrMatch)] = &[
    ("debug", exact("true")),
    ("version", regex("^v[0-9]+$")),
    ("preview", exact("1")),
];

/// Legal Envoy retry conditions (HTTP and gRPC), in combinations seen in
/// real configurations.
const RETRY_ON: &[&str] = &[
    "5xx,reset,connect-failure,retriable-4xx,gateway-error",
    "gateway-error,connect-failure,refused-stream",
    "connect-failure,refused-stream,unavailable,cancelled,resource-exhausted",
    "5xx,retriable-4xx",
    "reset,connect-failure,refused-stream",
    "unavailable,cancelled,deadline-exceeded",
];
const TIMEOUTS: &[&str] = &["2s", "3s", "5s", "10s", "15s", "30s", "60s"];
const PER_TRY_TIMEOUTS: &[&str] = &["250ms", "500ms", "1s", "2s"];
const TIMEOUT_NOTES: &[&str] = &[
    "matches the client deadline",
    "TODO: tighten after the next load test",
    "batch endpoints are slow",
];
const SPLITS2: &[&[u32]] = &[
    &[90, 10],
    &[80, 20],
    &[50, 50],
    &[95, 5],
    &[70, 30],
    &[60, 40],
    &[99, 1],
    &[85, 15],
];
const SPLITS3: &[&[u32]] = &[
    &[70, 20, 10],
    &[80, 10, 10],
    &[60, 30, 10],
    &[34, 33, 33],
    &[50, 25, 25],
    &[90, 5, 5],
];
/// Route counts per VirtualService, drawn uniformly: mostly 1-3, up to 6.
const ROUTE_COUNTS: &[usize] = &[1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 5, 5, 6];
const ROUTE_NAMES: [&str; 10] = [
    "canary", "api", "mobile", "beta", "legacy", "static", "debug", "tenant", "admin", "partner",
];
const REDIRECT_URIS: &[&str] = &["/v2/", "/api/v2/", "/home", "/", "/login"];
const UNDEFINED_SUBSETS: &[&str] = &[
    "v4",
    "canary",
    "v2-canary",
    "stable",
    "v0",
    "beta",
    "blue",
    "green",
];
const METHOD_SETS: &[&[&str]] = &[
    &["GET"],
    &["GET", "HEAD"],
    &["GET", "POST"],
    &["GET", "POST", "PUT", "DELETE"],
];
const PATH_SETS: &[&[&str]] = &[
    &["/api/*"],
    &["/api/v1/*", "/api/v2/*"],
    &["/healthz"],
    &["/public/*", "/static/*"],
];

// ---------------------------------------------------------------------------
// Plan: namespaces, their sizes, gateways and which services get a mistake
// ---------------------------------------------------------------------------

struct Plan {
    seed: u64,
    services: usize,
    namespaces: Vec<NamespacePlan>,
    gateways: &'static [Gateway],
    mistakes: Vec<Option<MistakeKind>>,
    layout: Layout,
    routes: Routes,
}

struct NamespacePlan {
    name: String,
    /// Global index of the namespace's first service.
    first: usize,
    count: usize,
}

impl Plan {
    fn new(options: &Options) -> Plan {
        let n = options.services;
        let mut rng = Rng::new(options.seed, PLAN_STREAM);
        let n_namespaces = ((n as f64).sqrt().round() as usize).max(1);
        let names = namespace_names(&mut rng, n_namespaces);
        let counts = uneven_split(&mut rng, n, n_namespaces);
        let mut first = 0;
        let namespaces = names
            .into_iter()
            .zip(counts)
            .map(|(name, count)| {
                first += count;
                NamespacePlan {
                    name,
                    first: first - count,
                    count,
                }
            })
            .collect();
        // Bigger meshes expose more entry points.
        let n_gateways = match n {
            ..50 => 1,
            50..2_000 => 2,
            2_000..20_000 => 3,
            _ => 4,
        };
        let mistakes = match options.errors_percent {
            Some(pct) => assign_mistakes(&mut rng, n, pct),
            None => vec![None; n],
        };
        Plan {
            seed: options.seed,
            services: n,
            namespaces,
            gateways: &GATEWAYS[..n_gateways],
            mistakes,
            layout: Layout::new(options),
            routes: options.routes,
        }
    }
}

/// Shuffled words; once they run out, `word-2`, `word-3`, ...
fn namespace_names(rng: &mut Rng, count: usize) -> Vec<String> {
    let mut words: Vec<&str> = NAMESPACE_WORDS.split_whitespace().collect();
    rng.shuffle(&mut words);
    (0..count)
        .map(|i| {
            let word = words[i % words.len()];
            match i / words.len() {
                0 => word.to_owned(),
                round => format!("{word}-{}", round + 1),
            }
        })
        .collect()
}

/// Splits `total` into `parts` uneven shares of at least one each. Weights
/// are products of two dice, which gives a long-ish tail (a few big teams,
/// many small ones) with integer arithmetic only.
fn uneven_split(rng: &mut Rng, total: usize, parts: usize) -> Vec<usize> {
    let weights: Vec<usize> = (0..parts)
        .map(|_| (1 + rng.below(6)) * (1 + rng.below(6)))
        .collect();
    let weight_sum: usize = weights.iter().sum();
    let rest = total - parts;
    let mut counts: Vec<usize> = weights.iter().map(|w| 1 + rest * w / weight_sum).collect();
    // Largest remainders get the services that flooring left over.
    let mut order: Vec<usize> = (0..parts).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(rest * weights[i] % weight_sum), i));
    let left = total - counts.iter().sum::<usize>();
    for &i in &order[..left] {
        counts[i] += 1;
    }
    counts
}

/// Picks round(N * pct / 100) services; the kinds take turns, in shuffled
/// order, so each kind gets its fair share.
fn assign_mistakes(rng: &mut Rng, n: usize, pct: f64) -> Vec<Option<MistakeKind>> {
    let count = ((n as f64 * pct / 100.0).round() as usize).min(n);
    let mut services: Vec<usize> = (0..n).collect();
    // Partial Fisher-Yates: the first `count` entries are a uniform sample.
    for i in 0..count {
        let j = i + rng.below(n - i);
        services.swap(i, j);
    }
    let mut kinds: Vec<MistakeKind> = (0..count)
        .map(|i| MistakeKind::ALL[i % MistakeKind::ALL.len()])
        .collect();
    rng.shuffle(&mut kinds);
    let mut mistakes = vec![None; n];
    for (&service, kind) in services[..count].iter().zip(kinds) {
        mistakes[service] = Some(kind);
    }
    mistakes
}

/// Which file each document goes to.
enum Layout {
    PerNamespace,
    /// K files of about equal size: service `g` goes to file `g * K / N`.
    Split {
        files: usize,
        width: usize,
    },
}

impl Layout {
    fn new(options: &Options) -> Layout {
        match options.files {
            None => Layout::PerNamespace,
            Some(files) => Layout::Split {
                files,
                // Zero-padded, so that sorted names are in corpus order.
                width: (files - 1).to_string().len().max(4),
            },
        }
    }

    fn file(&self, namespace: &str, service: usize, services: usize) -> String {
        match *self {
            Layout::PerNamespace => format!("{namespace}.yaml"),
            Layout::Split { files, width } => {
                format!("mesh-{:0width$}.yaml", service * files / services)
            }
        }
    }
}

// ---------------------------------------------------------------------------
// YAML writer
// ---------------------------------------------------------------------------

const SPACES: &str = "                                                ";

/// Block-style YAML with indented sequences, written straight into a buffer.
/// Levels are in steps of two spaces.
struct Yaml {
    buf: String,
    /// 1-based number, within the current file, of the next line written.
    line: usize,
    /// The next line opens a sequence item.
    dash: bool,
    /// A comment to put at the end of the next line.
    note: Option<&'static str>,
}

impl Yaml {
    /// Makes the next line the first of a sequence item: its last two
    /// indentation spaces become `- `.
    fn item(&mut self) -> &mut Self {
        self.dash = true;
        self
    }

    /// Adds `# text` at the end of the next line.
    fn note(&mut self, text: &'static str) -> &mut Self {
        self.note = Some(text);
        self
    }

    fn indent(&mut self, level: usize) {
        if std::mem::take(&mut self.dash) {
            self.buf.push_str(&SPACES[..2 * level - 2]);
            self.buf.push_str("- ");
        } else {
            self.buf.push_str(&SPACES[..2 * level]);
        }
    }

    fn end_line(&mut self) {
        if let Some(note) = self.note.take() {
            self.buf.push_str("  # ");
            self.buf.push_str(note);
        }
        self.buf.push('\n');
        self.line += 1;
    }

    fn raw_line(&mut self, text: &str) {
        self.buf.push_str(text);
        self.end_line();
    }

    fn comment(&mut self, level: usize, text: impl Display) {
        self.indent(level);
        // Writing into a String cannot fail.
        let _ = write!(self.buf, "# {text}");
        self.end_line();
    }

    /// `key:` opening a nested mapping or sequence.
    fn key(&mut self, level: usize, key: &str) {
        self.indent(level);
        self.buf.push_str(key);
        self.buf.push(':');
        self.end_line();
    }

    /// `key: value` with a string value, quoted when it has to be.
    fn str(&mut self, level: usize, key: &str, value: &str) {
        self.indent(level);
        self.buf.push_str(key);
        self.buf.push_str(": ");
        push_scalar(&mut self.buf, value, false);
        self.end_line();
    }

    /// `key: value` with a number or boolean, written as is.
    fn num(&mut self, level: usize, key: &str, value: impl Display) {
        self.indent(level);
        let _ = write!(self.buf, "{key}: {value}");
        self.end_line();
    }

    /// `- value` in a sequence of scalars.
    fn value(&mut self, level: usize, value: &str) {
        self.item().indent(level);
        push_scalar(&mut self.buf, value, false);
        self.end_line();
    }

    /// A list of strings: short ones in flow style (`[GET, POST]`), as people
    /// write them by hand, long ones as block sequences.
    fn list<S: AsRef<str>>(&mut self, level: usize, key: &str, items: &[S]) {
        let flow_len: usize = items.iter().map(|s| scalar_len(s.as_ref(), true) + 2).sum();
        if flow_len > 44 {
            self.key(level, key);
            for s in items {
                self.value(level + 2, s.as_ref());
            }
            return;
        }
        self.indent(level);
        self.buf.push_str(key);
        self.buf.push_str(": [");
        for (i, s) in items.iter().enumerate() {
            if i > 0 {
                self.buf.push_str(", ");
            }
            push_scalar(&mut self.buf, s.as_ref(), true);
        }
        self.buf.push(']');
        self.end_line();
    }
}

/// Strings that every YAML 1.1 and 1.2 loader reads back as the same string
/// when written plain: start with a letter or `/` (or are a number with a
/// unit, like `500ms` or `128Mi`), use only quiet characters, and are not a
/// boolean or null word. `:` and `,` are fine in block context
/// (`image: repo:tag`, `retryOn: reset,connect-failure`) but not inside `[...]`.
fn is_plain(s: &str, flow: bool) -> bool {
    const UNITS: &[&str] = &["ms", "s", "m", "h", "Mi", "Gi", "Ki"];
    const RESERVED: &[&str] = &["y", "n", "yes", "no", "on", "off", "true", "false", "null"];
    let Some(first) = s.bytes().next() else {
        return false;
    };
    let starts_well = if first.is_ascii_digit() {
        UNITS.contains(&s.trim_start_matches(|c: char| c.is_ascii_digit()))
    } else {
        first.is_ascii_alphabetic() || first == b'/'
    };
    starts_well
        && !s.ends_with(':')
        && s.bytes().all(|c| {
            c.is_ascii_alphanumeric() || b"-_./@+=".contains(&c) || (b":,".contains(&c) && !flow)
        })
        && !RESERVED.iter().any(|r| r.eq_ignore_ascii_case(s))
}

fn scalar_len(s: &str, flow: bool) -> usize {
    if is_plain(s, flow) {
        s.len()
    } else {
        s.len() + 2 + s.bytes().filter(|c| matches!(c, b'"' | b'\\')).count()
    }
}

fn push_scalar(buf: &mut String, s: &str, flow: bool) {
    if is_plain(s, flow) {
        buf.push_str(s);
        return;
    }
    buf.push('"');
    for c in s.chars() {
        if matches!(c, '"' | '\\') {
            buf.push('\\');
        }
        buf.push(c);
    }
    buf.push('"');
}

/// `apiVersion`, `kind` and the start of `metadata`; callers may add more
/// metadata fields (level 1) right after.
fn write_head(y: &mut Yaml, api: &str, kind: &str, name: &str, namespace: Option<&str>) {
    y.str(0, "apiVersion", api);
    y.str(0, "kind", kind);
    y.key(0, "metadata");
    y.str(1, "name", name);
    if let Some(ns) = namespace {
        y.str(1, "namespace", ns);
    }
}

// ---------------------------------------------------------------------------
// Output files
// ---------------------------------------------------------------------------

/// The files being written, with the counts the summary and
/// `expected-errors.json` need.
struct Corpus {
    dir: PathBuf,
    header: String,
    out: Yaml,
    file: Option<(String, File)>,
    /// Documents started in the current file.
    documents_in_file: usize,
    files: usize,
    bytes: u64,
    kinds: BTreeMap<&'static str, usize>,
    errors: Vec<ErrorRecord>,
}

impl Corpus {
    fn new(dir: &Path, plan: &Plan) -> Corpus {
        Corpus {
            dir: dir.to_owned(),
            header: format!(
                "{HEADER_PREFIX} v{GENERATOR_VERSION}, services={} seed={}{}",
                plan.services,
                plan.seed,
                match plan.routes {
                    Routes::Istio => "",
                    Routes::GatewayApi => " routes=gateway-api",
                }
            ),
            out: Yaml {
                buf: String::with_capacity(1 << 21),
                line: 1,
                dash: false,
                note: None,
            },
            file: None,
            documents_in_file: 0,
            files: 0,
            bytes: 0,
            kinds: BTreeMap::new(),
            errors: Vec::new(),
        }
    }

    /// Makes `name` the current file (a no-op when it already is).
    fn switch_to(&mut self, name: &str) -> io::Result<()> {
        if self
            .file
            .as_ref()
            .is_some_and(|(current, _)| current == name)
        {
            return Ok(());
        }
        self.close_file()?;
        let file = File::create(self.dir.join(name))?;
        self.file = Some((name.to_owned(), file));
        self.files += 1;
        self.documents_in_file = 0;
        self.out.line = 1;
        self.out.raw_line(&self.header);
        Ok(())
    }

    /// Starts a document (`---`) and returns its 0-based index in the file.
    fn begin(&mut self, kind: &'static str) -> usize {
        self.out.raw_line("---");
        *self.kinds.entry(kind).or_default() += 1;
        self.documents_in_file += 1;
        self.documents_in_file - 1
    }

    /// Hands the text to the file once there is a lot of it, so memory stays
    /// flat even when everything goes into one file.
    fn drain(&mut self, force: bool) -> io::Result<()> {
        if let Some((_, file)) = &mut self.file
            && (force || self.out.buf.len() >= 1 << 20)
        {
            file.write_all(self.out.buf.as_bytes())?;
            self.bytes += self.out.buf.len() as u64;
            self.out.buf.clear();
        }
        Ok(())
    }

    fn close_file(&mut self) -> io::Result<()> {
        self.drain(true)?;
        self.file = None;
        Ok(())
    }

    fn current_file(&self) -> &str {
        self.file.as_ref().map_or("", |(name, _)| name)
    }
}

/// Deletes what an earlier run left in `dir` (only files this generator
/// wrote), so that a smaller or differently cut corpus is not mixed with it.
fn remove_previous_output(dir: &Path) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let ours = if name == EXPECTED_ERRORS {
            true
        } else if name.ends_with(".yaml") {
            let mut head = vec![0; HEADER_PREFIX.len()];
            let mut file = File::open(&path)?;
            io::Read::read_exact(&mut file, &mut head).is_ok() && head == HEADER_PREFIX.as_bytes()
        } else {
            false
        };
        if ours {
            fs::remove_file(&path)?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Driver
// ---------------------------------------------------------------------------

fn run(options: &Options) -> io::Result<String> {
    let started = Instant::now();
    let plan = Plan::new(options);
    fs::create_dir_all(&options.out)?;
    remove_previous_output(&options.out)?;
    let mut corpus = Corpus::new(&options.out, &plan);

    corpus.switch_to(&plan.layout.file(INGRESS_NS, 0, plan.services))?;
    write_ingress(&mut corpus, plan.gateways, plan.routes);
    for (index, namespace) in plan.namespaces.iter().enumerate() {
        write_namespace(&mut corpus, &plan, index, namespace)?;
    }
    corpus.close_file()?;

    if let Some(pct) = options.errors_percent {
        write_expected_errors(&corpus, options, pct)?;
    }
    let documents: usize = corpus.kinds.values().sum();
    let kinds: Vec<String> = corpus
        .kinds
        .iter()
        .map(|(kind, count)| format!("{kind}={count}"))
        .collect();
    Ok(format!(
        "gen-corpus: services={} namespaces={} gateways={} resources={documents} \
         documents={documents} files={} bytes={} ({:.1} MB) errors={} seed={} time={:.2}s [{}]",
        plan.services,
        plan.namespaces.len() + 1,
        plan.gateways.len(),
        corpus.files,
        corpus.bytes,
        corpus.bytes as f64 / 1e6,
        corpus.errors.len(),
        plan.seed,
        started.elapsed().as_secs_f64(),
        kinds.join(" "),
    ))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ExpectedErrors<'a> {
    generator: &'static str,
    generator_version: u32,
    services: usize,
    seed: u64,
    files: Option<usize>,
    errors_percent: f64,
    count: usize,
    by_kind: BTreeMap<&'static str, usize>,
    errors: &'a [ErrorRecord],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ErrorRecord {
    /// Relative to the output folder.
    file: String,
    /// 1-based line of the key at fault.
    line: usize,
    /// 0-based index of the document in the file.
    document: usize,
    kind: &'static str,
    resource: String,
    resource_kind: &'static str,
    path: String,
    detail: String,
    /// Other findings a checker may legitimately report for the same key.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    may_also_report: Vec<&'static str>,
    istio: &'static str,
    service: String,
    global_service_index: usize,
}

fn write_expected_errors(corpus: &Corpus, options: &Options, pct: f64) -> io::Result<()> {
    let mut by_kind = BTreeMap::new();
    for error in &corpus.errors {
        *by_kind.entry(error.kind).or_default() += 1;
    }
    let report = ExpectedErrors {
        generator: "gen-corpus.rs",
        generator_version: GENERATOR_VERSION,
        services: options.services,
        seed: options.seed,
        files: options.files,
        errors_percent: pct,
        count: corpus.errors.len(),
        by_kind,
        errors: &corpus.errors,
    };
    let mut text = serde_json::to_string_pretty(&report).map_err(io::Error::other)?;
    text.push('\n');
    fs::write(corpus.dir.join(EXPECTED_ERRORS), text)
}

// ---------------------------------------------------------------------------
// The ingress namespace
// ---------------------------------------------------------------------------

fn write_ingress(corpus: &mut Corpus, gateways: &[Gateway], routes: Routes) {
    corpus.begin("Namespace");
    let y = &mut corpus.out;
    y.comment(0, "ingress gateways, shared by every team");
    write_head(y, "v1", "Namespace", INGRESS_NS, None);
    y.key(1, "labels");
    y.str(2, "istio-injection", "enabled");

    corpus.begin("Service");
    let y = &mut corpus.out;
    write_head(y, "v1", "Service", "istio-ingressgateway", Some(INGRESS_NS));
    write_gateway_labels(y, 1, "labels");
    y.key(0, "spec");
    y.str(1, "type", "LoadBalancer");
    write_gateway_labels(y, 1, "selector");
    y.key(1, "ports");
    for (name, port, target) in [
        ("status-port", 15021, 15021),
        ("http2", 80, 8080),
        ("https", 443, 8443),
    ] {
        y.item().str(3, "name", name);
        y.num(3, "port", port);
        y.num(3, "targetPort", target);
    }

    corpus.begin("Deployment");
    write_ingress_deployment(&mut corpus.out);

    for gateway in gateways {
        corpus.begin("Secret");
        write_placeholder_secret(&mut corpus.out, gateway);
        corpus.begin("Gateway");
        match routes {
            Routes::Istio => write_gateway(&mut corpus.out, gateway),
            Routes::GatewayApi => {
                write_api_gateway(&mut corpus.out, gateway);
                corpus.begin("HTTPRoute");
                write_https_redirect(&mut corpus.out, gateway);
            }
        }
    }
}

/// The labels that Gateway selectors (`istio: ingressgateway`) match.
fn write_gateway_labels(y: &mut Yaml, level: usize, key: &str) {
    y.key(level, key);
    y.str(level + 1, "app", "istio-ingressgateway");
    y.str(level + 1, "istio", "ingressgateway");
}

fn write_ingress_deployment(y: &mut Yaml) {
    write_head(
        y,
        "apps/v1",
        "Deployment",
        "istio-ingressgateway",
        Some(INGRESS_NS),
    );
    write_gateway_labels(y, 1, "labels");
    y.key(0, "spec");
    y.num(1, "replicas", 3);
    y.key(1, "selector");
    write_gateway_labels(y, 2, "matchLabels");
    y.key(1, "template");
    y.key(2, "metadata");
    write_gateway_labels(y, 3, "labels");
    y.str(4, "sidecar.istio.io/inject", "true");
    y.key(3, "annotations");
    // Gateway injection: the istio-proxy image is filled in by the injector.
    y.str(4, "inject.istio.io/templates", "gateway");
    y.key(2, "spec");
    y.str(3, "serviceAccountName", "istio-ingressgateway");
    y.key(3, "containers");
    y.item().str(5, "name", "istio-proxy");
    y.str(5, "image", "auto");
    y.key(5, "ports");
    for port in [8080, 8443, 15021] {
        y.item().num(7, "containerPort", port);
    }
}

fn write_placeholder_secret(y: &mut Yaml, gateway: &Gateway) {
    y.comment(
        0,
        format_args!("placeholder certificate for *.{}", gateway.domain),
    );
    write_head(y, "v1", "Secret", gateway.credential, Some(INGRESS_NS));
    y.str(0, "type", "kubernetes.io/tls");
    y.key(0, "data");
    y.str(1, "tls.crt", PLACEHOLDER_CERT);
    y.str(1, "tls.key", PLACEHOLDER_KEY);
}

/// Plain HTTP only redirects; HTTPS terminates TLS with the gateway's secret.
fn write_gateway(y: &mut Yaml, gateway: &Gateway) {
    write_head(
        y,
        "networking.istio.io/v1",
        "Gateway",
        gateway.name,
        Some(INGRESS_NS),
    );
    y.key(0, "spec");
    y.key(1, "selector");
    y.str(2, "istio", "ingressgateway");
    y.key(1, "servers");
    let hosts = [format!("*.{}", gateway.domain)];
    for (number, name, protocol) in [(80, "http", "HTTP"), (443, "https", "HTTPS")] {
        y.item().key(3, "port");
        y.num(4, "number", number);
        y.str(4, "name", name);
        y.str(4, "protocol", protocol);
        y.list(3, "hosts", &hosts);
        y.key(3, "tls");
        if number == 80 {
            y.num(4, "httpsRedirect", true);
        } else {
            y.str(4, "mode", "SIMPLE");
            y.str(4, "credentialName", gateway.credential);
            y.str(4, "minProtocolVersion", "TLSV1_2");
        }
    }
}

// ---------------------------------------------------------------------------
// Namespaces and services
// ---------------------------------------------------------------------------

struct Service<'a> {
    name: String,
    ns: &'a str,
    /// Global index, over the whole corpus.
    index: usize,
    /// Index within the namespace.
    local: usize,
    versions: &'static [&'static str],
    ports: Vec<PortSpec>,
    /// How this namespace's config refers to it: short name or FQDN.
    host: String,
    fqdn: String,
    gateway: Option<&'static Gateway>,
}

impl Service<'_> {
    /// Routes must name the port when the service has more than one.
    fn route_port(&self) -> Option<u16> {
        (self.ports.len() > 1).then(|| self.ports[0].port)
    }

    fn dest(&self, version: &'static str, weight: Option<u32>) -> Dest {
        Dest {
            host: self.host.clone(),
            subset: Some(version),
            port: self.route_port(),
            weight,
            backend_port: self.ports[0].port,
        }
    }
}

fn write_namespace(
    corpus: &mut Corpus,
    plan: &Plan,
    index: usize,
    namespace: &NamespacePlan,
) -> io::Result<()> {
    let mut rng = Rng::new(plan.seed, 1 + index as u64);
    let services = make_services(&mut rng, namespace, plan.gateways);
    let file_of = |service: usize| plan.layout.file(&namespace.name, service, plan.services);

    corpus.switch_to(&file_of(namespace.first))?;
    corpus.begin("Namespace");
    let y = &mut corpus.out;
    let team = namespace.name.split('-').next().unwrap_or(&namespace.name);
    y.comment(
        0,
        format_args!(
            "namespace {}: {} services, owned by team-{team}",
            namespace.name, namespace.count
        ),
    );
    write_head(y, "v1", "Namespace", &namespace.name, None);
    y.key(1, "labels");
    y.str(2, "istio-injection", "enabled");
    y.str(2, "team", team);

    for service in &services {
        corpus.switch_to(&file_of(service.index))?;
        let mistake = plan.mistakes[service.index];
        write_service(corpus, &mut rng, service, &services, mistake, plan);
        corpus.drain(false)?;
    }
    Ok(())
}

fn make_services<'a>(
    rng: &mut Rng,
    namespace: &'a NamespacePlan,
    gateways: &'static [Gateway],
) -> Vec<Service<'a>> {
    service_names(rng, namespace.count)
        .into_iter()
        .enumerate()
        .map(|(local, name)| {
            let versions = &VERSIONS[..if rng.chance(0.3) { 3 } else { 2 }];
            let mut ports = vec![rng.pick(&MAIN_PORTS)];
            if rng.chance(0.35) {
                let mut side = SIDE_PORTS;
                rng.shuffle(&mut side);
                let extra = if rng.chance(0.3) { 2 } else { 1 };
                ports.extend_from_slice(&side[..extra]);
            }
            let fqdn = format!("{name}.{}.svc.cluster.local", namespace.name);
            let host = if rng.chance(0.4) {
                fqdn.clone()
            } else {
                name.clone()
            };
            let gateway = rng
                .chance(0.1)
                .then(|| &gateways[rng.below(gateways.len())]);
            Service {
                name,
                ns: &namespace.name,
                index: namespace.first + local,
                local,
                versions,
                ports,
                host,
                fqdn,
                gateway,
            }
        })
        .collect()
}

/// Distinct DNS-label names: plain words first, then `word-qualifier`, then
/// numbered ones for very large namespaces.
fn service_names(rng: &mut Rng, count: usize) -> Vec<String> {
    let mut words: Vec<&str> = SERVICE_WORDS.split_whitespace().collect();
    rng.shuffle(&mut words);
    let mut qualifiers: Vec<&str> = QUALIFIERS.split_whitespace().collect();
    rng.shuffle(&mut qualifiers);
    let mut seen = HashSet::with_capacity(count);
    let mut names = Vec::with_capacity(count);
    let mut i = 0;
    while names.len() < count {
        let (word, round) = (words[i % words.len()], i / words.len());
        // Rotating the qualifier by word gives `cart-api`, `orders-cache`, ...
        let name = match round {
            0 => word.to_owned(),
            r if r <= qualifiers.len() => {
                let q = qualifiers[(r - 1 + i % words.len()) % qualifiers.len()];
                format!("{word}-{q}")
            }
            r => format!("{word}-{}", r - qualifiers.len() + 1),
        };
        i += 1;
        if seen.insert(name.clone()) {
            names.push(name);
        }
    }
    names
}

fn networking_api(rng: &mut Rng) -> &'static str {
    match rng.below(100) {
        0..90 => "networking.istio.io/v1",
        90..98 => "networking.istio.io/v1beta1",
        _ => "networking.istio.io/v1alpha3",
    }
}

fn write_service(
    corpus: &mut Corpus,
    rng: &mut Rng,
    svc: &Service,
    peers: &[Service],
    mistake: Option<MistakeKind>,
    plan: &Plan,
) {
    let dr = make_destination_rule(rng, svc);
    let mut vs = make_virtual_service(rng, svc, peers);
    // Every third service of the mesh has an AuthorizationPolicy.
    let ap = svc
        .index
        .is_multiple_of(3)
        .then(|| make_authorization_policy(rng, svc, peers));
    // The mistake draws from its own stream: an error corpus is the clean
    // corpus with only the faulty keys changed.
    let mistake = mistake.map(|kind| {
        let mut rng = Rng::new(plan.seed, MISTAKE_STREAM + svc.index as u64);
        inject(kind, &mut rng, svc, peers, &mut vs, &dr, ap.as_ref())
    });

    corpus.begin("Service");
    write_k8s_service(&mut corpus.out, rng, svc);
    for &version in svc.versions {
        corpus.begin("Deployment");
        write_deployment(&mut corpus.out, rng, svc, version);
    }
    write_istio(
        corpus,
        Target::DestinationRule,
        &svc.name,
        svc,
        mistake.as_ref(),
        |y, spot| write_destination_rule(y, &dr, svc, spot),
    );
    match plan.routes {
        Routes::Istio => write_istio(
            corpus,
            Target::VirtualService,
            &svc.name,
            svc,
            mistake.as_ref(),
            |y, spot| write_virtual_service(y, &vs, svc, spot),
        ),
        Routes::GatewayApi => write_http_routes(corpus, &vs, svc),
    }
    if let Some(ap) = &ap {
        write_istio(
            corpus,
            Target::AuthorizationPolicy,
            &ap.name,
            svc,
            mistake.as_ref(),
            |y, spot| write_authorization_policy(y, ap, svc, spot),
        );
    }
}

/// Writes one Istio document and, if the service's mistake is in it, records
/// where the renderer put the faulty key.
fn write_istio(
    corpus: &mut Corpus,
    target: Target,
    name: &str,
    svc: &Service,
    mistake: Option<&Mistake>,
    render: impl FnOnce(&mut Yaml, &mut Spot),
) {
    let document = corpus.begin(target.kind());
    let mistake = mistake.filter(|m| m.target == target);
    let mut spot = Spot {
        site: mistake.map(|m| m.site),
        typo: mistake.is_some_and(|m| m.typo),
        line: None,
    };
    render(&mut corpus.out, &mut spot);
    let Some(mistake) = mistake else { return };
    let line = spot.line.expect("the mistake's key was never written");
    let key = mistake.site.key_written(mistake.typo);
    corpus.errors.push(ErrorRecord {
        file: corpus.current_file().to_owned(),
        line,
        document,
        kind: mistake.kind.name(),
        resource: format!("{} {}/{name}", target.kind(), svc.ns),
        resource_kind: target.kind(),
        path: mistake.site.path(key),
        detail: mistake.detail.clone(),
        may_also_report: mistake.may_also_report.clone(),
        istio: mistake.kind.istio_view(),
        service: svc.name.clone(),
        global_service_index: svc.index,
    });
}

fn write_k8s_service(y: &mut Yaml, rng: &mut Rng, svc: &Service) {
    write_head(y, "v1", "Service", &svc.name, Some(svc.ns));
    y.key(1, "labels");
    y.str(2, "app", &svc.name);
    y.str(2, "service", &svc.name);
    y.key(0, "spec");
    if rng.chance(0.1) {
        y.str(1, "type", "ClusterIP");
    }
    y.key(1, "selector");
    y.str(2, "app", &svc.name);
    y.key(1, "ports");
    for port in &svc.ports {
        y.item().str(3, "name", port.name);
        y.num(3, "port", port.port);
        y.num(3, "targetPort", port.target);
        if rng.chance(0.5) {
            y.str(3, "protocol", "TCP");
        }
    }
}

fn write_deployment(y: &mut Yaml, rng: &mut Rng, svc: &Service, version: &str) {
    write_head(
        y,
        "apps/v1",
        "Deployment",
        &format!("{}-{version}", svc.name),
        Some(svc.ns),
    );
    let labels = |y: &mut Yaml, level: usize, key: &str| {
        y.key(level, key);
        y.str(level + 1, "app", &svc.name);
        y.str(level + 1, "version", version);
    };
    labels(y, 1, "labels");
    y.key(0, "spec");
    // The stable version carries the load; newer ones run a few pods.
    let replicas = if version == "v1" {
        rng.pick(&[1, 2, 2, 3, 3, 4, 6])
    } else {
        rng.pick(&[1, 1, 2])
    };
    y.num(1, "replicas", replicas);
    y.key(1, "selector");
    labels(y, 2, "matchLabels");
    y.key(1, "template");
    y.key(2, "metadata");
    labels(y, 3, "labels");
    if rng.chance(0.3) {
        y.key(3, "annotations");
        y.str(4, "prometheus.io/scrape", "true");
        y.str(4, "prometheus.io/port", "15020");
        y.str(4, "sidecar.istio.io/proxyCPU", "100m");
    }
    y.key(2, "spec");
    y.str(3, "serviceAccountName", &svc.name);
    y.key(3, "containers");
    y.item().str(5, "name", &svc.name);
    let image = format!(
        "registry.example.com/{}/{}:1.{}.{}",
        svc.ns,
        svc.name,
        &version[1..],
        rng.below(24)
    );
    y.str(5, "image", &image);
    y.str(5, "imagePullPolicy", "IfNotPresent");
    y.key(5, "ports");
    for port in &svc.ports {
        y.item().str(7, "name", port.name);
        y.num(7, "containerPort", port.target);
    }
    y.key(5, "env");
    y.item().str(7, "name", "SERVICE_VERSION");
    y.str(7, "value", version);
    y.item().str(7, "name", "LOG_LEVEL");
    y.str(7, "value", rng.pick(&["info", "info", "debug", "warn"]));
    y.key(5, "resources");
    y.key(6, "requests");
    y.str(7, "cpu", rng.pick(&["50m", "100m", "250m"]));
    y.str(7, "memory", rng.pick(&["64Mi", "128Mi", "256Mi"]));
    y.key(6, "limits");
    y.str(7, "cpu", rng.pick(&["500m", "1", "2"]));
    y.str(7, "memory", rng.pick(&["256Mi", "512Mi", "1Gi"]));
    y.key(5, "readinessProbe");
    let main = svc.ports[0];
    if main.name.starts_with("grpc") {
        y.key(6, "grpc");
    } else {
        y.key(6, "httpGet");
        y.str(7, "path", rng.pick(&["/healthz", "/ready"]));
    }
    y.num(7, "port", main.target);
    y.num(6, "initialDelaySeconds", 5);
    y.num(6, "periodSeconds", 10);
}

// ---------------------------------------------------------------------------
// DestinationRule
// ---------------------------------------------------------------------------

struct DestinationRule {
    api: &'static str,
    host: String,
    export_local: bool,
    policy: Option<TrafficPolicy>,
    subsets: Vec<Subset>,
}

struct Subset {
    version: &'static str,
    policy: Option<TrafficPolicy>,
}

#[derive(Default)]
struct TrafficPolicy {
    load_balancer: Option<LoadBalancer>,
    pool: Option<ConnectionPool>,
    outlier: Option<OutlierDetection>,
    mutual_tls: bool,
    /// A different balancing algorithm on one port.
    port_balancer: Option<(u16, &'static str)>,
}

enum LoadBalancer {
    Simple(&'static str),
    HashHeader(&'static str),
    HashCookie(&'static str),
    HashSourceIp,
    HashQuery(&'static str),
}

struct ConnectionPool {
    tcp: Option<(u32, Option<&'static str>)>,
    pending: u32,
    http2_max: Option<u32>,
    per_connection: Option<u32>,
    max_retries: Option<u32>,
    idle_timeout: Option<&'static str>,
}

struct OutlierDetection {
    errors: u32,
    interval: &'static str,
    ejection: &'static str,
    max_percent: Option<u32>,
    gateway_errors: Option<u32>,
    comment: Option<&'static str>,
}

const SIMPLE_BALANCERS: &[&str] = &["ROUND_ROBIN", "LEAST_REQUEST", "LEAST_REQUEST", "RANDOM"];

fn make_destination_rule(rng: &mut Rng, svc: &Service) -> DestinationRule {
    let mut policy = make_traffic_policy(rng, true);
    if svc.ports.len() > 1 && rng.chance(0.25) {
        policy.port_balancer = Some((svc.ports[1].port, rng.pick(SIMPLE_BALANCERS)));
    }
    let subsets = svc
        .versions
        .iter()
        .map(|&version| Subset {
            version,
            // Now and then a newer version is tuned on its own.
            policy: (version != "v1" && rng.chance(0.15))
                .then(|| make_traffic_policy(rng, false))
                .filter(|p| !p.is_empty()),
        })
        .collect();
    DestinationRule {
        api: networking_api(rng),
        host: svc.host.clone(),
        // Exposed services must stay visible to the ingress namespace.
        export_local: svc.gateway.is_none() && rng.chance(0.1),
        policy: Some(policy).filter(|p| !p.is_empty()),
        subsets,
    }
}

impl TrafficPolicy {
    fn is_empty(&self) -> bool {
        self.load_balancer.is_none()
            && self.pool.is_none()
            && self.outlier.is_none()
            && !self.mutual_tls
            && self.port_balancer.is_none()
    }
}

/// A service-wide policy (`top`) has everything; a subset's only overrides
/// balancing or pool sizes.
fn make_traffic_policy(rng: &mut Rng, top: bool) -> TrafficPolicy {
    TrafficPolicy {
        load_balancer: rng
            .chance(if top { 0.75 } else { 0.6 })
            .then(|| make_load_balancer(rng)),
        pool: rng
            .chance(if top { 0.6 } else { 0.3 })
            .then(|| make_connection_pool(rng)),
        outlier: (top && rng.chance(0.55)).then(|| make_outlier_detection(rng)),
        mutual_tls: top && rng.chance(0.7),
        port_balancer: None,
    }
}

fn make_load_balancer(rng: &mut Rng) -> LoadBalancer {
    match rng.below(100) {
        0..60 => LoadBalancer::Simple(rng.pick(SIMPLE_BALANCERS)),
        60..74 => LoadBalancer::HashHeader(rng.pick(&["x-user-id", "x-session-id"])),
        74..86 => LoadBalancer::HashCookie(rng.pick(&["0s", "3600s"])),
        86..94 => LoadBalancer::HashSourceIp,
        _ => LoadBalancer::HashQuery(rng.pick(&["tenant", "user"])),
    }
}

fn make_connection_pool(rng: &mut Rng) -> ConnectionPool {
    ConnectionPool {
        tcp: rng.chance(0.8).then(|| {
            let max = rng.pick(&[50, 100, 200, 1000]);
            (
                max,
                rng.chance(0.7)
                    .then(|| rng.pick(&["100ms", "250ms", "1s", "3s"])),
            )
        }),
        pending: rng.pick(&[32, 64, 128, 1024]),
        http2_max: rng.chance(0.7).then(|| rng.pick(&[100, 1000, 4096])),
        per_connection: rng.chance(0.5).then(|| rng.pick(&[1, 10, 100])),
        max_retries: rng.chance(0.5).then(|| rng.pick(&[2, 3, 5])),
        idle_timeout: rng.chance(0.3).then(|| rng.pick(&["30s", "60s", "300s"])),
    }
}

fn make_outlier_detection(rng: &mut Rng) -> OutlierDetection {
    OutlierDetection {
        errors: rng.pick(&[3, 5, 7, 10]),
        interval: rng.pick(&["5s", "10s", "30s"]),
        ejection: rng.pick(&["30s", "60s", "3m"]),
        max_percent: rng.chance(0.7).then(|| rng.pick(&[10, 25, 50, 100])),
        gateway_errors: rng.chance(0.2).then(|| rng.pick(&[3, 5])),
        comment: rng
            .chance(0.1)
            .then(|| rng.pick(&["tuned after the last incident", "keep in sync with the SLO"])),
    }
}

fn write_destination_rule(y: &mut Yaml, dr: &DestinationRule, svc: &Service, spot: &mut Spot) {
    write_head(y, dr.api, "DestinationRule", &svc.name, Some(svc.ns));
    y.key(0, "spec");
    y.str(1, "host", &dr.host);
    if dr.export_local {
        y.list(1, "exportTo", &["."]);
    }
    if let Some(policy) = &dr.policy {
        y.key(1, "trafficPolicy");
        write_traffic_policy(y, 2, policy, spot);
    }
    y.key(1, "subsets");
    for (k, subset) in dr.subsets.iter().enumerate() {
        y.item().str(3, "name", subset.version);
        y.key(3, spot.key(Site::SubsetLabels { subset: k }, y.line));
        y.str(4, "version", subset.version);
        if let Some(policy) = &subset.policy {
            y.key(3, "trafficPolicy");
            // Mistakes only go into the service-wide policy.
            write_traffic_policy(y, 4, policy, &mut Spot::default());
        }
    }
}

fn write_traffic_policy(y: &mut Yaml, level: usize, policy: &TrafficPolicy, spot: &mut Spot) {
    if let Some(lb) = &policy.load_balancer {
        y.key(level, spot.key(Site::LoadBalancer, y.line));
        write_load_balancer(y, level + 1, lb);
    }
    if let Some(pool) = &policy.pool {
        y.key(level, spot.key(Site::ConnectionPool, y.line));
        write_connection_pool(y, level + 1, pool);
    }
    if let Some(outlier) = &policy.outlier {
        if let Some(comment) = outlier.comment {
            y.comment(level, comment);
        }
        y.key(level, spot.key(Site::OutlierDetection, y.line));
        let l = level + 1;
        y.num(l, "consecutive5xxErrors", outlier.errors);
        if let Some(n) = outlier.gateway_errors {
            y.num(l, "consecutiveGatewayErrors", n);
        }
        y.str(l, "interval", outlier.interval);
        y.str(l, "baseEjectionTime", outlier.ejection);
        if let Some(pct) = outlier.max_percent {
            y.num(l, "maxEjectionPercent", pct);
        }
    }
    if policy.mutual_tls {
        y.key(level, "tls");
        y.str(level + 1, "mode", "ISTIO_MUTUAL");
    }
    if let Some((port, algorithm)) = policy.port_balancer {
        y.key(level, "portLevelSettings");
        y.item().key(level + 2, "port");
        y.num(level + 3, "number", port);
        y.key(level + 2, "loadBalancer");
        y.str(level + 3, "simple", algorithm);
    }
}

fn write_load_balancer(y: &mut Yaml, level: usize, lb: &LoadBalancer) {
    if let LoadBalancer::Simple(algorithm) = lb {
        y.str(level, "simple", algorithm);
        return;
    }
    y.key(level, "consistentHash");
    let l = level + 1;
    match lb {
        LoadBalancer::HashHeader(header) => y.str(l, "httpHeaderName", header),
        LoadBalancer::HashCookie(ttl) => {
            y.key(l, "httpCookie");
            y.str(l + 1, "name", "session");
            y.str(l + 1, "ttl", ttl);
        }
        LoadBalancer::HashSourceIp => y.num(l, "useSourceIp", true),
        LoadBalancer::HashQuery(param) => y.str(l, "httpQueryParameterName", param),
        LoadBalancer::Simple(_) => unreachable!("handled above"),
    }
}

fn write_connection_pool(y: &mut Yaml, level: usize, pool: &ConnectionPool) {
    let l = level + 1;
    if let Some((max, connect_timeout)) = pool.tcp {
        y.key(level, "tcp");
        y.num(l, "maxConnections", max);
        if let Some(timeout) = connect_timeout {
            y.str(l, "connectTimeout", timeout);
        }
    }
    y.key(level, "http");
    y.num(l, "http1MaxPendingRequests", pool.pending);
    let optional = [
        ("http2MaxRequests", pool.http2_max),
        ("maxRequestsPerConnection", pool.per_connection),
        ("maxRetries", pool.max_retries),
    ];
    for (key, value) in optional {
        if let Some(value) = value {
            y.num(l, key, value);
        }
    }
    if let Some(timeout) = pool.idle_timeout {
        y.str(l, "idleTimeout", timeout);
    }
}

// ---------------------------------------------------------------------------
// VirtualService
// ---------------------------------------------------------------------------

struct VirtualService {
    api: &'static str,
    comment: Option<String>,
    hosts: Vec<String>,
    gateways: Option<[String; 2]>,
    http: Vec<HttpRoute>,
}

struct HttpRoute {
    name: &'static str,
    /// Empty only for the last (default) route.
    matches: Vec<Match>,
    action: Action,
    rewrite_root: bool,
    tag_header: bool,
    mirror: Option<Mirror>,
    retries: Option<Retries>,
    timeout: Option<(&'static str, Option<&'static str>)>,
    fault: Option<Fault>,
    /// The allowed origin's domain.
    cors: Option<&'static str>,
}

#[derive(Default)]
struct Match {
    uri: Option<StrMatch>,
    header: Option<(&'static str, StrMatch)>,
    method: Option<StrMatch>,
    query: Option<(&'static str, StrMatch)>,
    ignore_uri_case: bool,
}

enum Action {
    Route(Vec<Dest>),
    Redirect {
        uri: &'static str,
        code: Option<u16>,
        authority: Option<String>,
    },
}

impl Action {
    fn destinations(&self) -> &[Dest] {
        match self {
            Action::Route(dests) => dests,
            Action::Redirect { .. } => &[],
        }
    }

    fn destinations_mut(&mut self) -> &mut [Dest] {
        match self {
            Action::Route(dests) => dests,
            Action::Redirect { .. } => &mut [],
        }
    }
}

struct Dest {
    host: String,
    subset: Option<&'static str>,
    port: Option<u16>,
    weight: Option<u32>,
    /// The port a Gateway API backendRef names (it always needs one).
    backend_port: u16,
}

struct Mirror {
    host: String,
    percentage: &'static str,
    /// The mirrored Service's port, for a Gateway API backendRef.
    port: u16,
}

struct Retries {
    attempts: u32,
    per_try_timeout: &'static str,
    retry_on: &'static str,
}

enum Fault {
    Delay {
        percentage: &'static str,
        fixed: &'static str,
    },
    Abort {
        percentage: &'static str,
        status: u16,
    },
}

impl HttpRoute {
    fn new(name: &'static str, matches: Vec<Match>, action: Action) -> HttpRoute {
        HttpRoute {
            name,
            matches,
            action,
            rewrite_root: false,
            tag_header: false,
            mirror: None,
            retries: None,
            timeout: None,
            fault: None,
            cors: None,
        }
    }
}

fn make_virtual_service(rng: &mut Rng, svc: &Service, peers: &[Service]) -> VirtualService {
    let n_routes = rng.pick(ROUTE_COUNTS);
    let mut names = ROUTE_NAMES;
    rng.shuffle(&mut names);
    let mut used = Vec::new();
    let mut http: Vec<HttpRoute> = names[..n_routes - 1]
        .iter()
        .map(|name| make_matched_route(rng, svc, peers, name, &mut used))
        .collect();
    http.push(make_default_route(rng, svc));

    let mut hosts = vec![svc.host.clone()];
    let gateways = svc.gateway.map(|gw| {
        hosts.push(format!("{}-{}.{}", svc.name, svc.ns, gw.domain));
        [format!("{INGRESS_NS}/{}", gw.name), "mesh".to_owned()]
    });
    VirtualService {
        api: networking_api(rng),
        comment: rng.chance(0.15).then(|| {
            format!(
                "traffic management for {} (owner: team-{})",
                svc.name, svc.ns
            )
        }),
        hosts,
        gateways,
        http,
    }
}

/// Redirect, route to a peer, pin to one version, or a weighted split.
fn make_matched_route(
    rng: &mut Rng,
    svc: &Service,
    peers: &[Service],
    name: &'static str,
    used: &mut Vec<&'static str>,
) -> HttpRoute {
    let mut matches = vec![make_match(rng, used)];
    if rng.chance(0.15) {
        matches.push(make_match(rng, used));
    }
    let kind = rng.below(100);
    if kind < 8 {
        // Istio rejects a redirect combined with route, rewrite or fault.
        let action = Action::Redirect {
            uri: rng.pick(REDIRECT_URIS),
            code: rng.chance(0.5).then(|| rng.pick(&[301, 302, 308])),
            authority: rng
                .chance(0.3)
                .then(|| format!("www.{}", svc.gateway.map_or("example.com", |g| g.domain))),
        };
        return HttpRoute::new(name, matches, action);
    }
    let dests = if kind < 18 && peers.len() > 1 {
        vec![peer_dest(rng, svc, peers)]
    } else if kind < 55 {
        let mut dest = svc.dest(rng.pick(&svc.versions[1..]), None);
        dest.weight = rng.chance(0.3).then_some(100);
        vec![dest]
    } else {
        split(rng, svc)
    };
    let prefixed = matches[0].uri.is_some_and(|u| u.op == MatchOp::Prefix);
    let mut route = HttpRoute::new(name, matches, Action::Route(dests));
    route.rewrite_root = rng.chance(0.12) && prefixed;
    route.tag_header = rng.chance(0.1);
    decorate(rng, &mut route, true);
    route
}

/// The catch-all last route: a split over versions, sometimes mirrored.
fn make_default_route(rng: &mut Rng, svc: &Service) -> HttpRoute {
    let mut route = HttpRoute::new("default", Vec::new(), Action::Route(split(rng, svc)));
    if svc.versions.len() == 3 && rng.chance(0.15) {
        route.mirror = Some(Mirror {
            host: svc.host.clone(),
            percentage: rng.pick(&["1.0", "5.0", "10.0", "50.0"]),
            port: svc.ports[0].port,
        });
    }
    decorate(rng, &mut route, false);
    if let Some(gateway) = svc.gateway
        && rng.chance(0.3)
    {
        route.cors = Some(gateway.domain);
    }
    route
}

fn peer_dest(rng: &mut Rng, svc: &Service, peers: &[Service]) -> Dest {
    let other = &peers[(svc.local + 1 + rng.below(peers.len() - 1)) % peers.len()];
    Dest {
        host: other.fqdn.clone(),
        subset: Some(rng.pick(other.versions)),
        port: other.route_port(),
        weight: None,
        backend_port: other.ports[0].port,
    }
}

/// One destination, or weights over the versions that add up to 100.
fn split(rng: &mut Rng, svc: &Service) -> Vec<Dest> {
    let r = rng.below(100);
    if r < 35 {
        return vec![svc.dest("v1", None)];
    }
    let weights: &[u32] = if svc.versions.len() == 3 && r < 60 {
        rng.pick(SPLITS3)
    } else {
        rng.pick(SPLITS2)
    };
    weights
        .iter()
        .zip(VERSIONS)
        .map(|(&w, version)| svc.dest(version, Some(w)))
        .collect()
}

/// A match whose header and URI conditions no earlier match of the same
/// VirtualService uses, so that no route shadows another. `used` holds the
/// header names and URI values taken so far.
fn make_match(rng: &mut Rng, used: &mut Vec<&'static str>) -> Match {
    let mut m = Match::default();
    let fresh = (0..20).find_map(|_| {
        let r = rng.below(100);
        let header = (r < 40).then(|| rng.pick(HEADER_MATCHES));
        let uri = (r >= 25 || header.is_none()).then(|| random_uri(rng));
        let taken = header.is_some_and(|(name, _)| used.contains(&name))
            || uri.is_some_and(|u| used.contains(&u.value));
        (!taken).then_some((header, uri))
    });
    // Twenty collisions in a row: take the first free exact path (there are
    // more paths than a VirtualService ever has matches).
    let (header, uri) = fresh.unwrap_or_else(|| {
        let free = URI_EXACTS.iter().find(|p| !used.contains(p));
        (None, Some(exact(free.expect("more paths than matches"))))
    });
    used.extend(header.map(|(name, _)| name));
    used.extend(uri.map(|u| u.value));
    m.header = header;
    m.uri = uri;
    m.ignore_uri_case = uri.is_some_and(|u| u.op == MatchOp::Prefix) && rng.chance(0.05);
    m.method = rng.chance(0.15).then(|| rng.pick(METHOD_MATCHES));
    m.query = rng.chance(0.05).then(|| rng.pick(QUERY_MATCHES));
    m
}

fn random_uri(rng: &mut Rng) -> StrMatch {
    match rng.below(100) {
        0..60 => prefix(rng.pick(URI_PREFIXES)),
        60..85 => exact(rng.pick(URI_EXACTS)),
        _ => regex(rng.pick(URI_REGEXES)),
    }
}

/// Retries, timeouts and (rarely, never on the default route) fault injection.
fn decorate(rng: &mut Rng, route: &mut HttpRoute, allow_fault: bool) {
    if rng.chance(0.55) {
        route.retries = Some(Retries {
            attempts: rng.pick(&[1, 2, 3, 5]),
            per_try_timeout: rng.pick(PER_TRY_TIMEOUTS),
            retry_on: rng.pick(RETRY_ON),
        });
    }
    if rng.chance(0.6) {
        let note = rng.chance(0.08).then(|| rng.pick(TIMEOUT_NOTES));
        route.timeout = Some((rng.pick(TIMEOUTS), note));
    }
    if allow_fault && rng.chance(0.06) {
        route.fault = Some(if rng.chance(0.5) {
            Fault::Delay {
                percentage: rng.pick(&["0.1", "1.0", "5.0"]),
                fixed: rng.pick(&["2s", "5s", "7s"]),
            }
        } else {
            Fault::Abort {
                percentage: rng.pick(&["0.5", "1.0", "10.0"]),
                status: rng.pick(&[500, 503, 429]),
            }
        });
    }
}

fn write_virtual_service(y: &mut Yaml, vs: &VirtualService, svc: &Service, spot: &mut Spot) {
    if let Some(comment) = &vs.comment {
        y.comment(0, comment);
    }
    write_head(y, vs.api, "VirtualService", &svc.name, Some(svc.ns));
    y.key(0, "spec");
    y.list(1, "hosts", &vs.hosts);
    if let Some(gateways) = &vs.gateways {
        y.list(1, "gateways", gateways);
    }
    y.key(1, "http");
    for (i, route) in vs.http.iter().enumerate() {
        write_http_route(y, i, route, spot);
    }
}

fn write_http_route(y: &mut Yaml, i: usize, route: &HttpRoute, spot: &mut Spot) {
    y.item().str(3, "name", route.name);
    if !route.matches.is_empty() {
        y.key(3, "match");
        for (cond, m) in route.matches.iter().enumerate() {
            write_match(y, Site::UriRegex { http: i, cond }, m, spot);
        }
    }
    match &route.action {
        Action::Route(dests) => {
            y.key(3, spot.key(Site::Route { http: i }, y.line));
            for (j, dest) in dests.iter().enumerate() {
                write_dest(y, i, j, dest, spot);
            }
        }
        Action::Redirect {
            uri,
            code,
            authority,
        } => {
            y.key(3, "redirect");
            y.str(4, "uri", uri);
            if let Some(code) = code {
                y.num(4, "redirectCode", code);
            }
            if let Some(authority) = authority {
                y.str(4, "authority", authority);
            }
        }
    }
    if route.rewrite_root {
        y.key(3, "rewrite");
        y.str(4, "uri", "/");
    }
    if route.tag_header {
        y.key(3, "headers");
        y.key(4, "request");
        y.key(5, "set");
        y.str(6, "x-mesh-route", route.name);
    }
    if let Some(mirror) = &route.mirror {
        y.key(3, "mirror");
        y.str(4, "host", &mirror.host);
        y.str(4, "subset", "v3");
        y.key(3, "mirrorPercentage");
        y.num(4, "value", mirror.percentage);
    }
    if let Some(retries) = &route.retries {
        y.key(3, spot.key(Site::Retries { http: i }, y.line));
        y.num(4, "attempts", retries.attempts);
        y.str(4, "perTryTimeout", retries.per_try_timeout);
        y.str(4, "retryOn", retries.retry_on);
    }
    if let Some((timeout, note)) = route.timeout {
        if let Some(note) = note {
            y.note(note);
        }
        y.str(3, spot.key(Site::Timeout { http: i }, y.line), timeout);
    }
    if let Some(fault) = &route.fault {
        write_fault(y, fault);
    }
    if let Some(domain) = route.cors {
        y.key(3, "corsPolicy");
        y.key(4, "allowOrigins");
        y.item().str(6, "exact", &format!("https://www.{domain}"));
        y.list(4, "allowMethods", &["GET", "POST", "PUT"]);
        y.list(4, "allowHeaders", &["authorization", "content-type"]);
        y.str(4, "maxAge", "24h");
    }
}

/// One HTTPMatchRequest; `site` names its URI regex for mistake injection.
fn write_match(y: &mut Yaml, site: Site, m: &Match, spot: &mut Spot) {
    y.item();
    if let Some(uri) = m.uri {
        y.key(5, "uri");
        let key = match uri.op {
            MatchOp::Regex => spot.key(site, y.line),
            op => op.key(),
        };
        y.str(6, key, uri.value);
    }
    if let Some((name, value)) = m.header {
        y.key(5, "headers");
        y.key(6, name);
        y.str(7, value.op.key(), value.value);
    }
    if let Some(method) = m.method {
        y.key(5, "method");
        y.str(6, method.op.key(), method.value);
    }
    if let Some((name, value)) = m.query {
        y.key(5, "queryParams");
        y.key(6, name);
        y.str(7, value.op.key(), value.value);
    }
    if m.ignore_uri_case {
        y.num(5, "ignoreUriCase", true);
    }
}

fn write_dest(y: &mut Yaml, http: usize, j: usize, dest: &Dest, spot: &mut Spot) {
    y.item().key(5, "destination");
    y.str(
        6,
        spot.key(Site::Host { http, dest: j }, y.line),
        &dest.host,
    );
    if let Some(subset) = dest.subset {
        y.str(6, spot.key(Site::Subset { http, dest: j }, y.line), subset);
    }
    if let Some(port) = dest.port {
        y.key(6, "port");
        y.num(7, "number", port);
    }
    if let Some(weight) = dest.weight {
        y.num(5, spot.key(Site::Weight { http, dest: j }, y.line), weight);
    }
}

fn write_fault(y: &mut Yaml, fault: &Fault) {
    y.key(3, "fault");
    let (kind, percentage) = match fault {
        Fault::Delay { percentage, .. } => ("delay", percentage),
        Fault::Abort { percentage, .. } => ("abort", percentage),
    };
    y.key(4, kind);
    y.key(5, "percentage");
    y.num(6, "value", percentage);
    match fault {
        Fault::Delay { fixed, .. } => y.str(5, "fixedDelay", fixed),
        Fault::Abort { status, .. } => y.num(5, "httpStatus", status),
    }
}

// ---------------------------------------------------------------------------
// Gateway API routes (--routes gateway-api)
// ---------------------------------------------------------------------------

const GATEWAY_API_V1: &str = "gateway.networking.k8s.io/v1";

/// The Istio Gateway's two servers as listeners of Istio's built-in class.
fn write_api_gateway(y: &mut Yaml, gateway: &Gateway) {
    write_head(y, GATEWAY_API_V1, "Gateway", gateway.name, Some(INGRESS_NS));
    y.key(0, "spec");
    y.str(1, "gatewayClassName", "istio");
    y.key(1, "listeners");
    let hostname = format!("*.{}", gateway.domain);
    for (port, name, protocol) in [(80, "http", "HTTP"), (443, "https", "HTTPS")] {
        y.item().str(3, "name", name);
        y.num(3, "port", port);
        y.str(3, "protocol", protocol);
        y.str(3, "hostname", &hostname);
        if port == 443 {
            y.key(3, "tls");
            y.str(4, "mode", "Terminate");
            y.key(4, "certificateRefs");
            y.item().str(6, "name", gateway.credential);
        }
        y.key(3, "allowedRoutes");
        y.key(4, "namespaces");
        y.str(5, "from", "All");
    }
}

/// What `httpsRedirect: true` does on an Istio Gateway server.
fn write_https_redirect(y: &mut Yaml, gateway: &Gateway) {
    let name = format!("{}-https-redirect", gateway.name);
    write_head(y, GATEWAY_API_V1, "HTTPRoute", &name, Some(INGRESS_NS));
    y.key(0, "spec");
    y.key(1, "parentRefs");
    y.item().str(3, "name", gateway.name);
    y.str(3, "sectionName", "http");
    y.key(1, "rules");
    y.item().key(3, "filters");
    y.item().str(5, "type", "RequestRedirect");
    y.key(5, "requestRedirect");
    y.str(6, "scheme", "https");
    y.num(6, "statusCode", 301);
}

/// The per-version Services that stand for subsets, then the mesh route and,
/// for an exposed service, its ingress route.
fn write_http_routes(corpus: &mut Corpus, vs: &VirtualService, svc: &Service) {
    for &version in svc.versions {
        corpus.begin("Service");
        write_version_service(&mut corpus.out, svc, version);
    }
    corpus.begin("HTTPRoute");
    write_http_route_doc(&mut corpus.out, vs, svc, &svc.name, None);
    if let (Some(gateway), Some(host)) = (svc.gateway, vs.hosts.get(1)) {
        corpus.begin("HTTPRoute");
        let name = format!("{}-ingress", svc.name);
        write_http_route_doc(&mut corpus.out, vs, svc, &name, Some((gateway, host)));
    }
}

fn write_version_service(y: &mut Yaml, svc: &Service, version: &str) {
    let name = format!("{}-{version}", svc.name);
    write_head(y, "v1", "Service", &name, Some(svc.ns));
    y.key(0, "spec");
    y.key(1, "selector");
    y.str(2, "app", &svc.name);
    y.str(2, "version", version);
    y.key(1, "ports");
    for port in &svc.ports {
        y.item().str(3, "name", port.name);
        y.num(3, "port", port.port);
        y.num(3, "targetPort", port.target);
    }
}

/// One HTTPRoute with the VirtualService's rules: attached to the Service
/// (GAMMA mesh routing) or to an ingress Gateway's HTTPS listener.
fn write_http_route_doc(
    y: &mut Yaml,
    vs: &VirtualService,
    svc: &Service,
    name: &str,
    ingress: Option<(&Gateway, &String)>,
) {
    write_head(y, GATEWAY_API_V1, "HTTPRoute", name, Some(svc.ns));
    y.key(0, "spec");
    y.key(1, "parentRefs");
    match ingress {
        None => {
            y.item().str(3, "group", "");
            y.str(3, "kind", "Service");
            y.str(3, "name", &svc.name);
        }
        Some((gateway, host)) => {
            y.item().str(3, "name", gateway.name);
            y.str(3, "namespace", INGRESS_NS);
            y.str(3, "sectionName", "https");
            y.list(1, "hostnames", std::slice::from_ref(host));
        }
    }
    y.key(1, "rules");
    for route in &vs.http {
        write_route_rule(y, route);
    }
}

fn write_route_rule(y: &mut Yaml, route: &HttpRoute) {
    y.item().str(3, "name", route.name);
    if !route.matches.is_empty() {
        y.key(3, "matches");
        for m in &route.matches {
            write_route_match(y, m);
        }
    }
    write_route_filters(y, route);
    if let Action::Route(dests) = &route.action {
        y.key(3, "backendRefs");
        for dest in dests {
            write_backend_ref(y, 4, dest.subset, &dest.host, dest.backend_port);
            if let Some(weight) = dest.weight {
                y.num(5, "weight", weight);
            }
        }
    }
    if let Some((timeout, _)) = route.timeout {
        y.key(3, "timeouts");
        y.str(4, "request", timeout);
    }
}

/// A backendRef to the Service behind `host` (its per-version Service for a
/// subset); `level` is the sequence's.
fn write_backend_ref(y: &mut Yaml, level: usize, subset: Option<&str>, host: &str, port: u16) {
    let service = host.split('.').next().unwrap_or(host);
    let name = match subset {
        Some(version) => format!("{service}-{version}"),
        None => service.to_owned(),
    };
    y.item().str(level + 1, "name", &name);
    y.num(level + 1, "port", port);
}

/// Istio's StringMatch as a Gateway API match type and value; a prefix
/// becomes an anchored regular expression where no prefix type exists.
fn api_match(m: StrMatch, prefix_type: Option<&'static str>) -> (&'static str, String) {
    match (m.op, prefix_type) {
        (MatchOp::Exact, _) => ("Exact", m.value.to_owned()),
        (MatchOp::Prefix, Some(prefix_type)) => (prefix_type, m.value.to_owned()),
        (MatchOp::Prefix, None) => ("RegularExpression", format!("^{}.*", m.value)),
        (MatchOp::Regex, _) => ("RegularExpression", m.value.to_owned()),
    }
}

/// One HTTPRouteMatch. Gateway API has no case-insensitive paths and only
/// exact methods: `ignoreUriCase` is dropped and a method regex becomes GET.
fn write_route_match(y: &mut Yaml, m: &Match) {
    y.item();
    if let Some(uri) = m.uri {
        let (kind, value) = api_match(uri, Some("PathPrefix"));
        y.key(5, "path");
        y.str(6, "type", kind);
        y.str(6, "value", &value);
    }
    for (key, pair) in [("headers", m.header), ("queryParams", m.query)] {
        if let Some((name, value)) = pair {
            let (kind, value) = api_match(value, None);
            y.key(5, key);
            y.item().str(7, "name", name);
            y.str(7, "type", kind);
            y.str(7, "value", &value);
        }
    }
    if let Some(method) = m.method {
        let exact = (method.op == MatchOp::Exact).then_some(method.value);
        y.str(5, "method", exact.unwrap_or("GET"));
    }
}

/// Redirect, prefix rewrite, header tag, mirror and CORS, as filters.
/// Retries and faults have no standard-channel equivalent and are left out.
fn write_route_filters(y: &mut Yaml, route: &HttpRoute) {
    // Replacing a prefix needs exactly one match, of type PathPrefix.
    let one_prefix =
        matches!(&route.matches[..], [m] if m.uri.is_some_and(|u| u.op == MatchOp::Prefix));
    let rewrite = route.rewrite_root && one_prefix;
    let redirect = matches!(route.action, Action::Redirect { .. });
    if !(redirect || rewrite || route.tag_header || route.mirror.is_some() || route.cors.is_some())
    {
        return;
    }
    y.key(3, "filters");
    if let Action::Redirect {
        uri,
        code,
        authority,
    } = &route.action
    {
        y.item().str(5, "type", "RequestRedirect");
        y.key(5, "requestRedirect");
        if let Some(authority) = authority {
            y.str(6, "hostname", authority);
        }
        y.key(6, "path");
        y.str(7, "type", "ReplaceFullPath");
        y.str(7, "replaceFullPath", uri);
        y.num(6, "statusCode", code.unwrap_or(301));
    }
    if rewrite {
        y.item().str(5, "type", "URLRewrite");
        y.key(5, "urlRewrite");
        y.key(6, "path");
        y.str(7, "type", "ReplacePrefixMatch");
        y.str(7, "replacePrefixMatch", "/");
    }
    if route.tag_header {
        y.item().str(5, "type", "RequestHeaderModifier");
        y.key(5, "requestHeaderModifier");
        y.key(6, "set");
        y.item().str(8, "name", "x-mesh-route");
        y.str(8, "value", route.name);
    }
    if let Some(mirror) = &route.mirror {
        y.item().str(5, "type", "RequestMirror");
        y.key(5, "requestMirror");
        y.key(6, "backendRef");
        let service = mirror.host.split('.').next().unwrap_or(&mirror.host);
        y.str(7, "name", &format!("{service}-v3"));
        y.num(7, "port", mirror.port);
        let percent: f64 = mirror.percentage.parse().unwrap_or(1.0);
        y.num(6, "percent", percent.round() as u32);
    }
    if let Some(domain) = route.cors {
        y.item().str(5, "type", "CORS");
        y.key(5, "cors");
        y.list(6, "allowOrigins", &[format!("https://www.{domain}")]);
        y.list(6, "allowMethods", &["GET", "POST", "PUT"]);
        y.list(6, "allowHeaders", &["authorization", "content-type"]);
        y.num(6, "maxAge", 86_400);
    }
}

// ---------------------------------------------------------------------------
// AuthorizationPolicy
// ---------------------------------------------------------------------------

struct AuthorizationPolicy {
    name: String,
    deny: bool,
    rules: Vec<Rule>,
}

struct Rule {
    from: Vec<Source>,
    to: Operation,
    when: Option<Condition>,
}

/// One `source` entry: a field (`principals`, `namespaces`, ...) and its values.
struct Source {
    field: &'static str,
    values: Vec<String>,
}

struct Operation {
    methods: Option<&'static [&'static str]>,
    paths: Option<&'static [&'static str]>,
    port: Option<u16>,
}

struct Condition {
    key: &'static str,
    values: Vec<String>,
}

/// Mostly ALLOW rules over the namespace's own service accounts; sometimes
/// a DENY that fences off admin paths from other namespaces.
fn make_authorization_policy(
    rng: &mut Rng,
    svc: &Service,
    peers: &[Service],
) -> AuthorizationPolicy {
    if rng.chance(0.15) {
        let rule = Rule {
            from: vec![Source {
                field: "notNamespaces",
                values: vec![svc.ns.to_owned(), INGRESS_NS.to_owned()],
            }],
            to: Operation {
                methods: None,
                paths: Some(&["/admin/*", "/internal/*"]),
                port: None,
            },
            when: None,
        };
        return AuthorizationPolicy {
            name: format!("{}-deny", svc.name),
            deny: true,
            rules: vec![rule],
        };
    }
    let n_rules = rng.pick(&[1, 1, 2, 3]);
    AuthorizationPolicy {
        name: format!("{}-allow", svc.name),
        deny: false,
        rules: (0..n_rules)
            .map(|_| make_allow_rule(rng, svc, peers))
            .collect(),
    }
}

fn make_allow_rule(rng: &mut Rng, svc: &Service, peers: &[Service]) -> Rule {
    let mut from = Vec::new();
    if svc.gateway.is_some() {
        from.push(Source {
            field: "principals",
            values: vec![INGRESS_PRINCIPAL.to_owned()],
        });
    }
    let picked = callers(rng, svc, peers);
    if !picked.is_empty() {
        let values = picked
            .iter()
            .map(|c| format!("cluster.local/ns/{}/sa/{}", c.ns, c.name))
            .collect();
        from.push(Source {
            field: "principals",
            values,
        });
    }
    if rng.chance(0.3) || from.is_empty() {
        from.push(Source {
            field: "namespaces",
            values: vec![svc.ns.to_owned(), "monitoring".to_owned()],
        });
    }
    let port = svc.ports[0].target;
    let to = Operation {
        methods: Some(rng.pick(METHOD_SETS)),
        paths: rng.chance(0.6).then(|| rng.pick(PATH_SETS)),
        port: rng.chance(0.4).then_some(port),
    };
    let when = rng.chance(0.35).then(|| {
        let (key, values): (&str, Vec<String>) = match rng.below(4) {
            0 => (
                "request.headers[x-tenant]",
                vec!["acme".into(), "globex".into(), "initech".into()],
            ),
            1 => (
                "request.auth.claims[iss]",
                vec!["https://accounts.example.com".into()],
            ),
            2 => ("source.namespace", vec![svc.ns.to_owned()]),
            _ => ("destination.port", vec![port.to_string()]),
        };
        Condition { key, values }
    });
    Rule { from, to, when }
}

/// One to three other services of the namespace, distinct.
fn callers<'p, 'a>(rng: &mut Rng, svc: &Service, peers: &'p [Service<'a>]) -> Vec<&'p Service<'a>> {
    let others = peers.len() - 1;
    let count = others.min(rng.pick(&[1, 2, 3]));
    let mut picked: Vec<usize> = Vec::with_capacity(count);
    while picked.len() < count {
        let candidate = (svc.local + 1 + rng.below(others)) % peers.len();
        if !picked.contains(&candidate) {
            picked.push(candidate);
        }
    }
    picked.into_iter().map(|i| &peers[i]).collect()
}

fn write_authorization_policy(
    y: &mut Yaml,
    ap: &AuthorizationPolicy,
    svc: &Service,
    spot: &mut Spot,
) {
    write_head(
        y,
        SECURITY_V1,
        "AuthorizationPolicy",
        &ap.name,
        Some(svc.ns),
    );
    y.key(0, "spec");
    y.key(1, "selector");
    y.key(2, "matchLabels");
    y.str(3, "app", &svc.name);
    y.str(1, "action", if ap.deny { "DENY" } else { "ALLOW" });
    y.key(1, "rules");
    for (r, rule) in ap.rules.iter().enumerate() {
        y.item().key(3, "from");
        for (f, source) in rule.from.iter().enumerate() {
            y.item().key(5, "source");
            let key = match source.field {
                "principals" => spot.key(Site::Principals { rule: r, from: f }, y.line),
                field => field,
            };
            y.list(6, key, &source.values);
        }
        y.key(3, "to");
        y.item().key(5, "operation");
        if let Some(methods) = rule.to.methods {
            y.list(6, spot.key(Site::Methods { rule: r }, y.line), methods);
        }
        if let Some(paths) = rule.to.paths {
            y.list(6, "paths", paths);
        }
        if let Some(port) = rule.to.port {
            y.list(6, "ports", &[port.to_string()]);
        }
        if let Some(when) = &rule.when {
            y.key(3, "when");
            y.item().str(5, "key", when.key);
            y.list(5, "values", &when.values);
        }
    }
}

// ---------------------------------------------------------------------------
// Mistakes
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum MistakeKind {
    WeightsNot100,
    UndefinedSubset,
    UnknownField,
    BadRegex,
    HostNotFound,
}

impl MistakeKind {
    const ALL: [MistakeKind; 5] = [
        MistakeKind::WeightsNot100,
        MistakeKind::UndefinedSubset,
        MistakeKind::UnknownField,
        MistakeKind::BadRegex,
        MistakeKind::HostNotFound,
    ];

    fn name(self) -> &'static str {
        match self {
            MistakeKind::WeightsNot100 => "weights-not-100",
            MistakeKind::UndefinedSubset => "undefined-subset",
            MistakeKind::UnknownField => "unknown-field",
            MistakeKind::BadRegex => "bad-regex",
            MistakeKind::HostNotFound => "host-not-found",
        }
    }

    /// What Istio itself does with the mistake.
    fn istio_view(self) -> &'static str {
        match self {
            MistakeKind::WeightsNot100 => {
                "accepted (weights are relative) but almost always a mistake: a lint finding"
            }
            MistakeKind::UndefinedSubset => {
                "istioctl analyze IST0101 ReferencedResourceNotFound (host+subset in destinationrule)"
            }
            MistakeKind::UnknownField => {
                "rejected by strict field validation (kubectl: unknown field); silently pruned without it"
            }
            MistakeKind::BadRegex => "rejected by Istio validation (RE2 syntax)",
            MistakeKind::HostNotFound => {
                "istioctl analyze IST0101 ReferencedResourceNotFound (host)"
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    VirtualService,
    DestinationRule,
    AuthorizationPolicy,
}

impl Target {
    fn kind(self) -> &'static str {
        match self {
            Target::VirtualService => "VirtualService",
            Target::DestinationRule => "DestinationRule",
            Target::AuthorizationPolicy => "AuthorizationPolicy",
        }
    }
}

/// A key in a resource where a mistake can sit.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Site {
    Route { http: usize },
    Weight { http: usize, dest: usize },
    Subset { http: usize, dest: usize },
    Host { http: usize, dest: usize },
    UriRegex { http: usize, cond: usize },
    Timeout { http: usize },
    Retries { http: usize },
    SubsetLabels { subset: usize },
    LoadBalancer,
    ConnectionPool,
    OutlierDetection,
    Principals { rule: usize, from: usize },
    Methods { rule: usize },
}

impl Site {
    fn key(self) -> &'static str {
        match self {
            Site::Route { .. } => "route",
            Site::Weight { .. } => "weight",
            Site::Subset { .. } => "subset",
            Site::Host { .. } => "host",
            Site::UriRegex { .. } => "regex",
            Site::Timeout { .. } => "timeout",
            Site::Retries { .. } => "retries",
            Site::SubsetLabels { .. } => "labels",
            Site::LoadBalancer => "loadBalancer",
            Site::ConnectionPool => "connectionPool",
            Site::OutlierDetection => "outlierDetection",
            Site::Principals { .. } => "principals",
            Site::Methods { .. } => "methods",
        }
    }

    /// The misspelling people actually make of this key, if it is one that
    /// gets misspelt.
    fn typo(self) -> Option<&'static str> {
        Some(match self {
            Site::Weight { .. } => "weigth",
            Site::Timeout { .. } => "timout",
            Site::Retries { .. } => "retires",
            Site::SubsetLabels { .. } => "lables",
            Site::LoadBalancer => "loadBalncer",
            Site::ConnectionPool => "conectionPool",
            Site::OutlierDetection => "outlierDetecton",
            Site::Principals { .. } => "principles",
            Site::Methods { .. } => "method",
            _ => return None,
        })
    }

    fn key_written(self, typo: bool) -> &'static str {
        if typo {
            self.typo().expect("only misspellable sites get a typo")
        } else {
            self.key()
        }
    }

    /// The key's path from the document root, as error messages print it.
    fn path(self, key: &str) -> String {
        match self {
            Site::Route { http } | Site::Timeout { http } | Site::Retries { http } => {
                format!("spec.http[{http}].{key}")
            }
            Site::Weight { http, dest } => format!("spec.http[{http}].route[{dest}].{key}"),
            Site::Subset { http, dest } | Site::Host { http, dest } => {
                format!("spec.http[{http}].route[{dest}].destination.{key}")
            }
            Site::UriRegex { http, cond } => format!("spec.http[{http}].match[{cond}].uri.{key}"),
            Site::SubsetLabels { subset } => format!("spec.subsets[{subset}].{key}"),
            Site::LoadBalancer | Site::ConnectionPool | Site::OutlierDetection => {
                format!("spec.trafficPolicy.{key}")
            }
            Site::Principals { rule, from } => {
                format!("spec.rules[{rule}].from[{from}].source.{key}")
            }
            Site::Methods { rule } => format!("spec.rules[{rule}].to[0].operation.{key}"),
        }
    }
}

/// Where the mistake of one document sits, asked by the renderer at every
/// key that could hold it. For the key at fault it records the line and
/// answers with the (possibly misspelt) name to write.
#[derive(Default)]
struct Spot {
    site: Option<Site>,
    typo: bool,
    line: Option<usize>,
}

impl Spot {
    fn key(&mut self, site: Site, line: usize) -> &'static str {
        if self.site != Some(site) {
            return site.key();
        }
        self.line = Some(line);
        site.key_written(self.typo)
    }
}

struct Mistake {
    kind: MistakeKind,
    target: Target,
    site: Site,
    /// The key itself is misspelt (unknown-field).
    typo: bool,
    detail: String,
    may_also_report: Vec<&'static str>,
}

impl Mistake {
    fn in_virtual_service(kind: MistakeKind, site: Site, detail: String) -> Mistake {
        Mistake {
            kind,
            target: Target::VirtualService,
            site,
            typo: false,
            detail,
            may_also_report: Vec::new(),
        }
    }
}

/// Changes the models so that they carry one mistake of `kind`.
fn inject(
    kind: MistakeKind,
    rng: &mut Rng,
    svc: &Service,
    peers: &[Service],
    vs: &mut VirtualService,
    dr: &DestinationRule,
    ap: Option<&AuthorizationPolicy>,
) -> Mistake {
    match kind {
        MistakeKind::WeightsNot100 => unbalance_weights(rng, svc, vs),
        MistakeKind::UndefinedSubset => undefine_subset(rng, svc, vs),
        MistakeKind::UnknownField => misspell_field(rng, vs, dr, ap),
        MistakeKind::BadRegex => break_regex(rng, svc, vs),
        MistakeKind::HostNotFound => misspell_host(rng, peers, vs),
    }
}

/// Takes 10 from the heaviest destination of a split; a VirtualService
/// without one gets a 50/50 default route first.
fn unbalance_weights(rng: &mut Rng, svc: &Service, vs: &mut VirtualService) -> Mistake {
    let splits: Vec<usize> = (0..vs.http.len())
        .filter(|&i| vs.http[i].action.destinations().len() >= 2)
        .collect();
    let http = match splits.as_slice() {
        [] => {
            let last = vs.http.len() - 1;
            vs.http[last].action =
                Action::Route(vec![svc.dest("v1", Some(50)), svc.dest("v2", Some(50))]);
            last
        }
        _ => rng.pick(&splits),
    };
    let dests = vs.http[http].action.destinations_mut();
    let heaviest = dests
        .iter_mut()
        .max_by_key(|d| d.weight)
        .expect("a split has destinations");
    heaviest.weight = heaviest.weight.map(|w| w - 10);
    let total: u32 = dests.iter().filter_map(|d| d.weight).sum();
    Mistake::in_virtual_service(
        MistakeKind::WeightsNot100,
        Site::Route { http },
        format!("destination weights sum to {total}, not 100"),
    )
}

fn undefine_subset(rng: &mut Rng, svc: &Service, vs: &mut VirtualService) -> Mistake {
    // The default route always routes to the service itself with a subset.
    let sites: Vec<(usize, usize)> = dest_sites(vs)
        .filter(|&(i, j)| {
            let d = &vs.http[i].action.destinations()[j];
            d.host == svc.host && d.subset.is_some()
        })
        .collect();
    let (http, dest) = rng.pick(&sites);
    let bad = rng.pick(UNDEFINED_SUBSETS);
    vs.http[http].action.destinations_mut()[dest].subset = Some(bad);
    Mistake::in_virtual_service(
        MistakeKind::UndefinedSubset,
        Site::Subset { http, dest },
        format!(
            "subset '{bad}' is not defined in DestinationRule {}/{} (subsets: {})",
            svc.ns,
            svc.name,
            svc.versions.join(", ")
        ),
    )
}

/// Every (route, destination) index pair of a VirtualService.
fn dest_sites(vs: &VirtualService) -> impl Iterator<Item = (usize, usize)> + '_ {
    vs.http
        .iter()
        .enumerate()
        .flat_map(|(i, r)| (0..r.action.destinations().len()).map(move |j| (i, j)))
}

/// Misspells one key of the VirtualService, DestinationRule or
/// AuthorizationPolicy; the models stay as they are, the renderer writes the
/// typo.
fn misspell_field(
    rng: &mut Rng,
    vs: &VirtualService,
    dr: &DestinationRule,
    ap: Option<&AuthorizationPolicy>,
) -> Mistake {
    let mut sites: Vec<(Target, Site)> = Vec::new();
    for (http, route) in vs.http.iter().enumerate() {
        for (dest, d) in route.action.destinations().iter().enumerate() {
            if d.weight.is_some() {
                sites.push((Target::VirtualService, Site::Weight { http, dest }));
            }
        }
        if route.timeout.is_some() {
            sites.push((Target::VirtualService, Site::Timeout { http }));
        }
        if route.retries.is_some() {
            sites.push((Target::VirtualService, Site::Retries { http }));
        }
    }
    // One subset only: every DestinationRule has several, and they would
    // crowd out the other typos.
    let subset = rng.below(dr.subsets.len());
    sites.push((Target::DestinationRule, Site::SubsetLabels { subset }));
    if let Some(policy) = &dr.policy {
        let blocks = [
            (policy.load_balancer.is_some(), Site::LoadBalancer),
            (policy.pool.is_some(), Site::ConnectionPool),
            (policy.outlier.is_some(), Site::OutlierDetection),
        ];
        for (present, site) in blocks {
            if present {
                sites.push((Target::DestinationRule, site));
            }
        }
    }
    for (rule, r) in ap.iter().flat_map(|ap| ap.rules.iter().enumerate()) {
        for (from, source) in r.from.iter().enumerate() {
            if source.field == "principals" {
                sites.push((Target::AuthorizationPolicy, Site::Principals { rule, from }));
            }
        }
        if r.to.methods.is_some() {
            sites.push((Target::AuthorizationPolicy, Site::Methods { rule }));
        }
    }
    let (target, site) = rng.pick(&sites);
    // A weight that is not read leaves the rest of the split short of 100.
    let may_also_report = match site {
        Site::Weight { http, .. } if vs.http[http].action.destinations().len() > 1 => {
            vec![MistakeKind::WeightsNot100.name()]
        }
        _ => Vec::new(),
    };
    Mistake {
        kind: MistakeKind::UnknownField,
        target,
        site,
        typo: true,
        detail: format!(
            "unknown field '{}' (did you mean '{}'?)",
            site.key_written(true),
            site.key()
        ),
        may_also_report,
    }
}

/// Puts an RE2-invalid regex into the URI of a route's first match; a
/// VirtualService with no matches gets a new first route.
fn break_regex(rng: &mut Rng, svc: &Service, vs: &mut VirtualService) -> Mistake {
    let matched: Vec<usize> = (0..vs.http.len())
        .filter(|&i| !vs.http[i].matches.is_empty())
        .collect();
    let http = match matched.as_slice() {
        [] => {
            let route = HttpRoute::new(
                "api",
                vec![Match::default()],
                Action::Route(vec![svc.dest("v1", None)]),
            );
            vs.http.insert(0, route);
            0
        }
        _ => rng.pick(&matched),
    };
    let (bad, why) = rng.pick(BAD_REGEXES);
    vs.http[http].matches[0].uri = Some(regex(bad));
    Mistake::in_virtual_service(
        MistakeKind::BadRegex,
        Site::UriRegex { http, cond: 0 },
        format!("invalid RE2 regex '{bad}': {why}"),
    )
}

/// Replaces a destination host by a near miss that no Service defines. The
/// subset goes too: it would point into a DestinationRule that is not there.
fn misspell_host(rng: &mut Rng, peers: &[Service], vs: &mut VirtualService) -> Mistake {
    let sites: Vec<(usize, usize)> = dest_sites(vs).collect();
    let (http, dest) = rng.pick(&sites);
    let d = &mut vs.http[http].action.destinations_mut()[dest];
    let (name, domain) = match d.host.split_once('.') {
        Some((name, domain)) => (name.to_owned(), Some(domain.to_owned())),
        None => (d.host.clone(), None),
    };
    let typo = near_miss(rng, &name, peers);
    d.host = match domain {
        Some(domain) => format!("{typo}.{domain}"),
        None => typo,
    };
    d.subset = None;
    Mistake::in_virtual_service(
        MistakeKind::HostNotFound,
        Site::Host { http, dest },
        format!("host '{}' matches no Service or ServiceEntry", d.host),
    )
}

/// A plausible typo of `name` (swapped letters, plural, suffix, ...) that is
/// still a DNS label and is not the name of any service in the namespace.
fn near_miss(rng: &mut Rng, name: &str, peers: &[Service]) -> String {
    let mut swapped = name.as_bytes().to_vec();
    if swapped.len() >= 3 {
        let at = 1 + rng.below(swapped.len() - 2);
        swapped.swap(at, at + 1);
    }
    let candidates = [
        String::from_utf8(swapped).expect("names are ASCII"),
        format!("{name}s"),
        name[..name.len() - 1].to_owned(),
        format!("{name}-svc"),
        format!("legacy-{name}"),
        format!("{name}-v2"),
    ];
    let usable = |c: &str| {
        c != name
            && c.starts_with(|ch: char| ch.is_ascii_lowercase())
            && !c.ends_with('-')
            && !peers.iter().any(|p| p.name == c)
    };
    let start = rng.below(candidates.len());
    (0..candidates.len())
        .map(|k| &candidates[(start + k) % candidates.len()])
        .find(|c| usable(c))
        .cloned()
        .unwrap_or_else(|| {
            (2..)
                .map(|n| format!("{name}-{n}"))
                .find(|c| usable(c))
                .expect("some numbered name is free")
        })
}
