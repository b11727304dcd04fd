//! Value checks many rule groups share, following Istio's validation
//! semantics: hostnames, durations, ports, regexes, exportTo lists,
//! selectors. What the values mean (host resolution and overlap,
//! visibility, CIDR blocks, duration parsing) lives in `crate::mesh`.

use std::time::Duration;

use crate::mesh::cidr::{is_ip_address, parse_ip_or_cidr};
use crate::mesh::{duration, visibility};

/// Why a hostname, duration or value is refused; the caller adds the field.
pub type Invalid = String;

const MAX_DOMAIN_LENGTH: usize = 255;

/// A DNS label as Istio checks it: 1-63 letters (either case), digits and
/// `-`, starting and ending with a letter or digit.
pub fn is_dns1123_label(label: &str) -> bool {
    let bytes = label.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 63
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
        && bytes[0] != b'-'
        && bytes[bytes.len() - 1] != b'-'
}

/// A first label that may carry Istio's wildcard: `*`, `*foo`, `*-foo`.
fn is_wildcard_dns1123_label(label: &str) -> bool {
    label == "*"
        || label.len() <= 63
            && (label
                .strip_prefix("*-")
                .or(label.strip_prefix('*'))
                .is_some_and(is_dns1123_label))
}

fn check_length(domain: &str) -> Result<(), Invalid> {
    if domain.is_empty() {
        return Err("empty domain name not allowed".into());
    }
    if domain.len() > MAX_DOMAIN_LENGTH {
        return Err(format!(
            "domain name {domain:?} too long (max {MAX_DOMAIN_LENGTH})"
        ));
    }
    Ok(())
}

/// Labels after the first: each a DNS label; the top-level one not all
/// digits; a trailing dot allowed.
fn check_labels(domain: &str, whole: &str) -> Result<(), Invalid> {
    let labels: Vec<&str> = domain.split('.').collect();
    let top = labels[labels.len() - 1];
    // Istio asks whether the label reads as a 64-bit integer: a sign counts,
    // and a string of digits too long for 64 bits does not.
    if top.parse::<i64>().is_ok() {
        return Err(format!(
            "domain name {whole:?} invalid (top level domain {top:?} cannot be all-numeric)"
        ));
    }
    for (i, label) in labels.iter().enumerate() {
        if i == labels.len() - 1 && label.is_empty() {
            break;
        }
        if !is_dns1123_label(label) {
            return Err(format!(
                "domain name {whole:?} invalid (label {label:?} invalid)"
            ));
        }
    }
    Ok(())
}

/// A fully qualified domain name (no wildcard).
pub fn validate_fqdn(domain: &str) -> Result<(), Invalid> {
    check_length(domain)?;
    check_labels(domain, domain)
}

/// A domain name whose first label may be `*` or `*suffix`.
pub fn validate_wildcard_domain(domain: &str) -> Result<(), Invalid> {
    check_length(domain)?;
    let (first, rest) = match domain.split_once('.') {
        Some((first, rest)) => (first, Some(rest)),
        None => (domain, None),
    };
    if !is_dns1123_label(first) && !is_wildcard_dns1123_label(first) {
        return Err(format!(
            "domain name {domain:?} invalid (label {first:?} invalid)"
        ));
    }
    match rest {
        Some(rest) => check_labels(rest, domain),
        None => Ok(()),
    }
}

/// `*` anywhere but as the whole host or a leading `*.` label.
pub fn validate_partial_wildcard(host: &str) -> Result<(), Invalid> {
    if host.contains('*') && host != "*" && !host.starts_with("*.") {
        return Err(format!("partial wildcard {host:?} not allowed"));
    }
    Ok(())
}

/// An IP address or a CIDR block (`10.0.0.0/8`, `2001:db8::/32`).
pub fn validate_ip_subnet(text: &str) -> Result<(), Invalid> {
    // Istio reads a value with exactly one `/` as a prefix (no zone) and
    // anything else as an address.
    if text.matches('/').count() == 1 {
        return parse_ip_or_cidr(text)
            .map(|_| ())
            .map_err(|_| format!("{text} is not a valid CIDR block"));
    }
    if is_ip_address(text) {
        Ok(())
    } else {
        Err(format!("{text} is not a valid IP"))
    }
}

/// A port number, 1..65535.
pub fn validate_port(port: u32) -> Result<(), Invalid> {
    if (1..=65535).contains(&port) {
        Ok(())
    } else {
        Err(format!("port number {port} must be in the range 1..65535"))
    }
}

/// A duration Istio accepts for timeouts and intervals: at least 1ms, in
/// whole milliseconds.
pub fn validate_duration(text: &str) -> Result<Duration, Invalid> {
    let duration = duration::parse(text)?;
    if duration < Duration::from_millis(1) {
        return Err(format!("duration {text:?} must be at least 1ms"));
    }
    if duration.as_nanos() % 1_000_000 != 0 {
        return Err(format!(
            "duration {text:?}: only durations to ms precision are supported"
        ));
    }
    Ok(duration)
}

/// A regular expression Envoy's RE2 engine accepts: read with RE2's own
/// rules ([`crate::mesh::re2`]: no lookaround, no backreferences, none of
/// what RE2 refuses and the regex crate takes), then what both refuse
/// (unbalanced groups, ...) judged on the regex crate's reading of it.
pub fn validate_regex(pattern: &str) -> Result<(), Invalid> {
    let invalid = |reason: &str| {
        format!(
            "{} is not a valid RE2 regular expression: {reason}",
            crate::loader::quoted(pattern)
        )
    };
    let translated = crate::mesh::re2::translate(pattern).map_err(|reason| invalid(&reason))?;
    // Parsing is enough to judge syntax, and far cheaper than compiling.
    crate::mesh::re2::syntax_parser()
        .parse(&translated)
        .map(drop)
        .map_err(|error| {
            let detail = error.to_string();
            let reason = detail
                .lines()
                .last()
                .unwrap_or(&detail)
                .trim()
                .trim_start_matches("error: ");
            invalid(reason)
        })
}

/// How `exportTo` may be used by a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportToKind {
    /// VirtualService, Sidecar-visible kinds.
    Plain,
    /// ServiceEntry: `~` (visible to no one) is allowed.
    ServiceEntry,
    /// DestinationRule with a workload selector: only its own namespace.
    DestinationRuleWithSelector,
}

/// Istio's `exportTo` rules: entries are `.`, `*`, a namespace name (or
/// `~` for ServiceEntries), without repeats, and `*` or `~` stand alone.
/// Returns each problem with the index of the entry at fault, if one is.
pub fn validate_export_to(
    namespace: &str,
    export_to: &[String],
    kind: ExportToKind,
) -> Vec<(Option<usize>, Invalid)> {
    let mut problems = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for (i, entry) in export_to.iter().enumerate() {
        let key = if entry == visibility::PRIVATE {
            namespace
        } else {
            entry.as_str()
        };
        if seen.contains(&key) {
            let message = if key != entry {
                format!("duplicate entries in exportTo: . and current namespace {namespace}")
            } else {
                format!("duplicate entries in exportTo for entry {entry}")
            };
            problems.push((Some(i), message));
            continue;
        }
        let valid = key == visibility::PUBLIC
            || key == visibility::PRIVATE
            || is_dns1123_label(key)
            || (key == visibility::NONE && kind == ExportToKind::ServiceEntry);
        if valid {
            seen.push(key);
        } else {
            problems.push((Some(i), format!("only .,*, or a valid DNS 1123 label is allowed as exportTo entry, found {entry:?}")));
        }
    }
    if kind == ExportToKind::DestinationRuleWithSelector && !seen.is_empty() {
        if !seen.contains(&namespace) {
            problems.push((None, "destination rule with workload selector cannot have exportTo beyond current namespace".into()));
        } else if seen.len() > 1 {
            problems.push((
                None,
                "destination rule with workload selector cannot have multiple entries in exportTo"
                    .into(),
            ));
        }
    }
    if seen.contains(&visibility::PUBLIC) && export_to.len() > 1 {
        problems.push((
            None,
            "cannot have both public (*) and non-public exportTo values for a resource".into(),
        ));
    }
    if seen.contains(&visibility::NONE) && export_to.len() > 1 {
        problems.push((
            None,
            "cannot export service entry to no one (~) and someone".into(),
        ));
    }
    problems
}

/// Istio's workload selector rules: no empty keys, no wildcards. Returns
/// errors (by label key) and, separately, the warning for an empty selector.
pub fn validate_selector_labels<'a>(
    labels: impl IntoIterator<Item = (&'a String, &'a String)>,
) -> (Vec<(String, Invalid)>, Option<Invalid>) {
    let mut errors = Vec::new();
    let mut count = 0;
    for (key, value) in labels {
        count += 1;
        if key.is_empty() {
            errors.push((
                key.clone(),
                format!("empty key is not supported in selector: \"{key}={value}\""),
            ));
        }
        if key.contains('*') || value.contains('*') {
            errors.push((
                key.clone(),
                format!("wildcard is not supported in selector: \"{key}={value}\""),
            ));
        }
    }
    let warning = (count == 0).then(|| "workload selector specified without labels".to_string());
    (errors, warning)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_at_least_a_millisecond_in_whole_milliseconds() {
        assert!(validate_duration("0.5ms").is_err());
        assert!(validate_duration("1001us").is_err());
        assert!(validate_duration("1ms").is_ok());
        assert!(validate_duration("10").is_err());
    }

    #[test]
    fn hosts_follow_istio() {
        assert!(validate_wildcard_domain("*.example.com").is_ok());
        assert!(validate_wildcard_domain("*").is_ok());
        assert!(validate_wildcard_domain("*foo.example.com").is_ok());
        assert!(validate_wildcard_domain("foo.*.com").is_err());
        assert!(validate_wildcard_domain("reviews").is_ok());
        assert!(validate_wildcard_domain("Reviews").is_ok());
        assert!(validate_wildcard_domain("re_views").is_err());
        assert!(validate_fqdn("example.123").is_err());
        // Too long for a 64-bit integer, so Istio does not see a number.
        assert!(validate_fqdn("example.12345678901234567890").is_ok());
        assert!(validate_fqdn("istio.io.").is_ok());
        assert!(validate_partial_wildcard("*foo.com").is_err());
    }

    #[test]
    fn regexes_follow_re2() {
        assert!(validate_regex("^/api/v[0-9]+/.*").is_ok());
        assert!(validate_regex("(?=foo)bar").is_err());
        assert!(validate_regex("(a)\\1").is_err());
        assert!(validate_regex("x{3,1}").is_err());
    }

    #[test]
    fn export_to_follows_istio() {
        let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(
            validate_export_to("ns", &strings(&[".", "other"]), ExportToKind::Plain).is_empty()
        );
        assert_eq!(
            validate_export_to("ns", &strings(&[".", "ns"]), ExportToKind::Plain).len(),
            1
        );
        assert_eq!(
            validate_export_to("ns", &strings(&["~"]), ExportToKind::Plain).len(),
            1
        );
        assert!(validate_export_to("ns", &strings(&["~"]), ExportToKind::ServiceEntry).is_empty());
        assert_eq!(
            validate_export_to("ns", &strings(&["*", "a"]), ExportToKind::Plain).len(),
            1
        );
        assert_eq!(
            validate_export_to(
                "ns",
                &strings(&["a"]),
                ExportToKind::DestinationRuleWithSelector
            )
            .len(),
            1
        );
    }

    #[test]
    fn subnets() {
        assert!(validate_ip_subnet("10.0.0.0/8").is_ok());
        assert!(validate_ip_subnet("10.0.0.0/33").is_err());
        assert!(validate_ip_subnet("2001:db8::/32").is_ok());
        assert!(validate_ip_subnet("10.0.0.1").is_ok());
        assert!(validate_ip_subnet("example.com").is_err());
        assert!(validate_ip_subnet("fe80::1%eth0").is_ok());
        assert!(validate_ip_subnet("fe80::1%eth0/64").is_err());
        assert!(validate_ip_subnet("10.0.0.0/8/8").is_err());
    }
}

/// Replays tables of Istio's validation test cases as YAML resources, for
/// the kinds' `istio_cases` tests.
#[cfg(test)]
pub mod istio_table {
    pub use crate::validate::test_support::Verdict;
    use crate::validate::test_support::assert_verdicts;

    /// One case: its name, extra `metadata` lines (indented by two spaces,
    /// or empty), the `spec` body (indented by two spaces), the verdict.
    pub type Case<'a> = (&'a str, &'a str, &'a str, Verdict);

    /// Runs every case as a `kind` in `namespace` and lists the cases whose
    /// findings disagree with Istio's verdict.
    pub fn assert_table(kind: &str, namespace: &str, cases: &[Case]) {
        assert_verdicts(cases.iter().map(|(name, meta, spec, verdict)| {
            let yaml = format!(
                "apiVersion: networking.istio.io/v1\nkind: {kind}\nmetadata:\n  name: case\n  namespace: {namespace}\n{meta}spec:\n{spec}"
            );
            (*name, yaml, *verdict)
        }));
    }
}
