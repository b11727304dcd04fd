//! Value checks of Istio's security package that the `from` and `when`
//! groups share: IPs and CIDR blocks, ports, service accounts, trust
//! domains. Each returns why a single value is refused.

use super::super::Findings;
use super::super::support::Invalid;
use crate::mesh::cidr::{CidrProblem, is_ip_address, parse_ip_or_cidr};

/// An IP address, or a CIDR block when it has a `/`, in the words of
/// Istio's security package.
pub fn validate_ip(value: &str) -> Result<(), Invalid> {
    match (parse_ip_or_cidr(value), value.split_once('/')) {
        (Ok(_), _) => Ok(()),
        // Go's address parser also takes a zoned IPv6 address (`fe80::1%eth0`).
        (Err(_), None) if is_ip_address(value) => Ok(()),
        (Err(_), None) => Err(format!("bad IP address ({value})")),
        (Err(CidrProblem::Address), Some(_)) => {
            Err(format!("bad CIDR range ({value}): bad address"))
        }
        (Err(CidrProblem::PrefixLength), Some((_, bits))) => Err(format!(
            "bad CIDR range ({value}): bad prefix length {bits:?}"
        )),
    }
}

/// A port as a decimal number 0..65535 (`0` is accepted, as Istio does).
pub fn validate_port_value(value: &str) -> Result<(), Invalid> {
    match value.parse::<u32>() {
        Ok(port) if is_decimal(value) && port <= 65535 => Ok(()),
        _ => Err(format!("bad port ({value}): must be a number in 0..65535")),
    }
}

fn is_decimal(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// A check of one value of a list field.
pub type ValueCheck = fn(&str) -> Result<(), Invalid>;

/// Istio refuses an empty string in every value list of a rule.
pub fn not_empty(value: &str) -> Result<(), Invalid> {
    if value.is_empty() {
        Err("empty value not allowed".into())
    } else {
        Ok(())
    }
}

/// Checks every value of each `(field, values, check)` under `path`,
/// reporting at `path.field[k]`.
pub fn check_values(fields: &[(&str, &Vec<String>, ValueCheck)], path: &str, found: &mut Findings) {
    for (name, values, validate) in fields {
        for (k, value) in values.iter().enumerate() {
            if let Err(reason) = validate(value) {
                found.report(format!("{path}.{name}[{k}]"), format!("{name}: {reason}"));
            }
        }
    }
}

/// `serviceAccount` or `namespace/serviceAccount`, without wildcards, at
/// most 320 characters.
pub fn validate_service_account(value: &str) -> Result<(), Invalid> {
    const FORMAT: &str = "expected format 'serviceAccount' or 'namespace/serviceAccount'";
    not_empty(value)?;
    if value.contains('*') {
        return Err(format!("wildcard not allowed, found {value:?}"));
    }
    if value.matches('/').count() > 1 {
        return Err(format!("{FORMAT}, found {value:?}"));
    }
    if value.len() > 320 {
        return Err(format!(
            "value cannot exceed 320 characters, found {value:?}"
        ));
    }
    match value.split_once('/') {
        Some(("", _)) => Err(format!("{FORMAT}, found empty namespace {value:?}")),
        Some((_, "")) => Err(format!("{FORMAT}, found empty serviceAccount {value:?}")),
        _ => Ok(()),
    }
}

/// Exact, prefix (`foo*`), suffix (`*foo`) or presence (`*`) matches: at
/// most one `*`, at either end.
pub fn validate_wildcard_value(value: &str) -> Result<(), Invalid> {
    not_empty(value)?;
    match value.matches('*').count() {
        0 => Ok(()),
        1 if value.starts_with('*') || value.ends_with('*') => Ok(()),
        1 => Err(format!(
            "wildcard is only allowed at the start or end, found {value:?}"
        )),
        _ => Err(format!("at most one wildcard is allowed, found {value:?}")),
    }
}

/// A trust domain match: a wildcard value without `/`.
pub fn validate_trust_domain(value: &str) -> Result<(), Invalid> {
    validate_wildcard_value(value)?;
    if value.contains('/') {
        return Err(format!(
            "trust domain must not contain '/', found {value:?}"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ips_follow_go_netip() {
        assert!(validate_ip("10.0.0.1").is_ok());
        assert!(validate_ip("10.0.0.0/8").is_ok());
        assert!(validate_ip("2001:db8::/32").is_ok());
        assert!(validate_ip("fe80::1%eth0").is_ok());
        assert!(validate_ip("::ffff:10.0.0.1%1").is_ok());
        assert!(validate_ip("fe80::1%").is_err());
        assert!(validate_ip("10.0.0.1%eth0").is_err());
        assert!(validate_ip("fe80::%eth0/64").is_err());
        assert!(validate_ip("10.0.0.0/33").is_err());
        assert!(validate_ip("10.0.0.0/08").is_err());
        assert!(validate_ip("10.0.0.0/+8").is_err());
        assert!(validate_ip("10.0.0.0/").is_err());
        assert!(validate_ip("example.com").is_err());
        assert!(validate_ip("").is_err());
    }

    #[test]
    fn ports_are_decimal() {
        assert!(validate_port_value("0").is_ok());
        assert!(validate_port_value("65535").is_ok());
        assert!(validate_port_value("65536").is_err());
        assert!(validate_port_value("+80").is_err());
        assert!(validate_port_value("http").is_err());
    }

    #[test]
    fn service_accounts() {
        assert!(validate_service_account("default/sleep").is_ok());
        assert!(validate_service_account("sleep").is_ok());
        assert!(validate_service_account("a/b/c").is_err());
        assert!(validate_service_account("/sleep").is_err());
        assert!(validate_service_account("ns/").is_err());
        assert!(validate_service_account("ns/*").is_err());
        assert!(validate_service_account(&"a".repeat(321)).is_err());
    }

    #[test]
    fn wildcards_and_trust_domains() {
        assert!(validate_wildcard_value("*").is_ok());
        assert!(validate_wildcard_value("*.local").is_ok());
        assert!(validate_wildcard_value("cluster*").is_ok());
        assert!(validate_wildcard_value("a*b").is_err());
        assert!(validate_wildcard_value("*a*").is_err());
        assert!(validate_trust_domain("a/b").is_err());
    }
}
