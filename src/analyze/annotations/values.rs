//! The value checks the sidecar injector applies to its annotations.

use super::registry::ValueKind;
use crate::mesh::cidr::parse_ip_or_cidr;

/// Why `value` is not acceptable for an annotation of this kind.
pub fn check(kind: ValueKind, value: &str) -> Result<(), String> {
    match kind {
        ValueKind::Any => Ok(()),
        ValueKind::InterceptionMode => match value {
            "REDIRECT" | "TPROXY" | "NONE" => Ok(()),
            _ => Err(format!(
                "interception mode {value:?} is not REDIRECT, TPROXY or NONE"
            )),
        },
        ValueKind::Port => port(value).map(|_| ()),
        ValueKind::UInt32 => value
            .parse::<u32>()
            .ok()
            .filter(|_| value.bytes().all(|b| b.is_ascii_digit()))
            .map(|_| ())
            .ok_or_else(|| format!("{value:?} is not a non-negative 32-bit integer")),
        ValueKind::CidrsOrAll if value == "*" => Ok(()),
        ValueKind::Cidrs | ValueKind::CidrsOrAll => cidrs(value),
        ValueKind::PortsOrAll if value == "*" => Ok(()),
        ValueKind::Ports | ValueKind::PortsOrAll => ports(value),
        ValueKind::Interfaces => interfaces(value),
        ValueKind::Bool => match value {
            "1" | "t" | "T" | "true" | "TRUE" | "True" | "0" | "f" | "F" | "false" | "FALSE"
            | "False" => Ok(()),
            _ => Err(format!("{value:?} is not a boolean")),
        },
        ValueKind::ProxyConfig => proxy_config(value),
        ValueKind::Quantity => quantity(value),
    }
}

fn port(text: &str) -> Result<u16, String> {
    let trimmed = text.trim();
    trimmed
        .parse::<u16>()
        .ok()
        .filter(|_| trimmed.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| format!("{text:?} is not a port number"))
}

fn ports(text: &str) -> Result<(), String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(());
    }
    text.split(',').try_for_each(|p| port(p).map(|_| ()))
}

fn cidrs(text: &str) -> Result<(), String> {
    if text.is_empty() {
        return Ok(());
    }
    text.split(',').try_for_each(|cidr| {
        if cidr.contains('/') && parse_ip_or_cidr(cidr).is_ok() {
            Ok(())
        } else {
            Err(format!("{cidr:?} is not a CIDR block"))
        }
    })
}

fn interfaces(text: &str) -> Result<(), String> {
    if text.is_empty() {
        return Ok(());
    }
    text.split(',').try_for_each(|name| {
        let name = name.trim();
        let mut chars = name.chars();
        let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
        if name.is_empty() {
            Err("empty interface name".to_string())
        } else if name.len() > 15 {
            Err(format!("interface name {name:?} is longer than 15 characters"))
        } else if !valid {
            Err(format!("interface name {name:?} has characters other than letters, digits, '_', '.' and '-', or does not start with a letter"))
        } else {
            Ok(())
        }
    })
}

/// A ProxyConfig must at least be a YAML mapping.
fn proxy_config(text: &str) -> Result<(), String> {
    use crate::loader::{Limits, SourceFile, Value, parse_documents};
    let source = SourceFile::new("<annotation>", text.to_string());
    let documents = parse_documents(&source, &Limits::default());
    let mapping = match documents.as_slice() {
        [] => true,
        [document] => {
            document.problems.is_empty()
                && document
                    .root
                    .as_ref()
                    .is_none_or(|r| matches!(r.value, Value::Map(_) | Value::Null))
        }
        _ => false,
    };
    if mapping {
        Ok(())
    } else {
        Err("the value is not a ProxyConfig in YAML (a mapping of its fields)".to_string())
    }
}

/// A Kubernetes quantity: a decimal number, then an SI suffix (`m`, `k`,
/// `M`, ...), a binary one (`Ki`, `Mi`, ...) or a decimal exponent (`e3`).
fn quantity(text: &str) -> Result<(), String> {
    let invalid = || Err(format!("{text:?} is not a Kubernetes quantity"));
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let number_end = unsigned
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(unsigned.len());
    let (number, suffix) = unsigned.split_at(number_end);
    let digits = number.bytes().filter(u8::is_ascii_digit).count();
    if digits == 0 || number.matches('.').count() > 1 {
        return invalid();
    }
    let suffix_ok = match suffix {
        "" | "n" | "u" | "m" | "k" | "M" | "G" | "T" | "P" | "E" => true,
        "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei" => true,
        _ => suffix
            .strip_prefix(['e', 'E'])
            .map(|exp| exp.strip_prefix(['+', '-']).unwrap_or(exp))
            .is_some_and(|exp| !exp.is_empty() && exp.bytes().all(|b| b.is_ascii_digit())),
    };
    if suffix_ok { Ok(()) } else { invalid() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_as_the_injector_checks_them() {
        use ValueKind::*;
        let ok = [
            (InterceptionMode, "TPROXY"),
            (Port, "15020"),
            (UInt32, "10"),
            (CidrsOrAll, "*"),
            (Cidrs, "10.0.0.0/8,2001:db8::/32"),
            (Cidrs, ""),
            (PortsOrAll, "*"),
            (Ports, "80, 443"),
            (Interfaces, "eth0,veth-1.2"),
            (Bool, "True"),
            (ProxyConfig, "{}"),
            (ProxyConfig, "holdApplicationUntilProxyStarts: true\n"),
            (Quantity, "100m"),
            (Quantity, "1.5Gi"),
            (Quantity, "1e3"),
        ];
        for (kind, value) in ok {
            assert_eq!(check(kind, value), Ok(()), "{kind:?} {value:?}");
        }
        let bad = [
            (InterceptionMode, "redirect"),
            (Port, "70000"),
            (UInt32, "bar"),
            (UInt32, "-1"),
            (Cidrs, "10.0.0.1"),
            (CidrsOrAll, "10.0.0.0/33"),
            (Ports, "80,http"),
            (Interfaces, "0eth"),
            (Interfaces, "averyveryverylongname"),
            (Bool, "yes"),
            (ProxyConfig, "[1, 2]"),
            (Quantity, "lots"),
            (Quantity, "1Xi"),
            (Quantity, ""),
        ];
        for (kind, value) in bad {
            assert!(check(kind, value).is_err(), "{kind:?} {value:?}");
        }
    }
}
