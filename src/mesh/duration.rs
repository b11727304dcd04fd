//! Durations as Istio's resources write them and Kubernetes' CEL
//! `duration()` (Go's `time.ParseDuration`) reads them: `300ms`, `1.5s`,
//! `1h30m`.

use std::time::Duration;

/// Parses a duration: numbers (decimals allowed), each followed by a unit
/// (`ns`, `us`, `µs`, `ms`, `s`, `m`, `h`); a leading `+`; `0` alone. A
/// negative duration and a number without its unit are refused, with the
/// reason.
pub fn parse(text: &str) -> Result<Duration, String> {
    let invalid = || format!("invalid duration {text:?}");
    let rest = text.strip_prefix('+').unwrap_or(text);
    if rest.starts_with('-') {
        return Err(format!("duration {text:?} must not be negative"));
    }
    if rest == "0" {
        return Ok(Duration::ZERO);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let mut total = 0f64;
    let mut rest = rest;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(rest.len());
        let number: f64 = rest[..number_len].parse().map_err(|_| invalid())?;
        rest = &rest[number_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let Some(seconds_per_unit) = seconds_per_unit(&rest[..unit_len]) else {
            return Err(format!(
                "invalid duration {text:?}: a unit (ns, us, ms, s, m, h) must follow each number"
            ));
        };
        rest = &rest[unit_len..];
        total += number * seconds_per_unit;
    }
    if !total.is_finite() || total > 1e12 {
        return Err(invalid());
    }
    Ok(Duration::from_secs_f64(total))
}

/// Go's `time.ParseDuration` exactly, as protobuf's legacy JSON reader
/// (which istiod reads EnvoyFilter patches with) applies it to a
/// `google.protobuf.Duration`: signed, in nanoseconds, at most about 292
/// years either way, and refused with Go's own words.
pub fn parse_go(text: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {}", go_quote(text));
    let (negative, mut rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let limit = 1u128 << 63;
    let mut total: u128 = 0;
    while !rest.is_empty() {
        if !rest.starts_with(|c: char| c == '.' || c.is_ascii_digit()) {
            return Err(invalid());
        }
        let int_len = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let whole: u128 = match &rest[..int_len] {
            "" => 0,
            digits => digits
                .parse()
                .ok()
                .filter(|v| *v < limit)
                .ok_or_else(invalid)?,
        };
        rest = &rest[int_len..];
        let mut fraction = "";
        if let Some(after_dot) = rest.strip_prefix('.') {
            let len = after_dot
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(after_dot.len());
            fraction = &after_dot[..len];
            rest = &after_dot[len..];
            if int_len == 0 && len == 0 {
                return Err(invalid());
            }
        }
        let unit_len = rest
            .find(|c: char| c == '.' || c.is_ascii_digit())
            .unwrap_or(rest.len());
        if unit_len == 0 {
            return Err(format!("time: missing unit in duration {}", go_quote(text)));
        }
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        let Some(nanos_per_unit) = nanos_per_unit(unit) else {
            return Err(format!(
                "time: unknown unit {} in duration {}",
                go_quote(unit),
                go_quote(text)
            ));
        };
        if whole > limit / nanos_per_unit {
            return Err(invalid());
        }
        total += whole * nanos_per_unit + fraction_nanos(fraction, nanos_per_unit);
        if total > limit {
            return Err(invalid());
        }
    }
    let magnitude = i128::try_from(total).map_err(|_| invalid())?;
    let signed = if negative { -magnitude } else { magnitude };
    i64::try_from(signed).map_err(|_| invalid())
}

/// The nanoseconds a fraction of a unit adds, as Go computes it: the
/// digits that fit 63 bits, scaled in floating point and truncated.
fn fraction_nanos(digits: &str, nanos_per_unit: u128) -> u128 {
    let (mut value, mut scale) = (0u64, 1f64);
    for digit in digits.bytes() {
        match value
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(digit - b'0')))
        {
            Some(next) if next < 1 << 63 => {
                value = next;
                scale *= 10.0;
            }
            _ => break,
        }
    }
    if value == 0 {
        return 0;
    }
    (value as f64 * (nanos_per_unit as f64 / scale)) as u128
}

fn nanos_per_unit(unit: &str) -> Option<u128> {
    Some(match unit {
        "ns" => 1,
        "us" | "µs" | "μs" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "m" => 60_000_000_000,
        "h" => 3_600_000_000_000,
        _ => return None,
    })
}

/// Go's `time` package quotes a value in its errors with `"`, escaping
/// `"` and `\\`.
fn go_quote(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn seconds_per_unit(unit: &str) -> Option<f64> {
    Some(match unit {
        "ns" => 1e-9,
        "us" | "µs" | "μs" => 1e-6,
        "ms" => 1e-3,
        "s" => 1.0,
        "m" => 60.0,
        "h" => 3600.0,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_like_go() {
        assert_eq!(parse("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse("+1s"), Ok(Duration::from_secs(1)));
        assert_eq!(parse("0"), Ok(Duration::ZERO));
        assert!(parse("10").is_err());
        assert!(parse("ten seconds").is_err());
        assert!(parse("-1s").unwrap_err().contains("negative"));
        assert!(parse("").is_err());
    }

    #[test]
    fn go_durations_are_signed_and_exact() {
        assert_eq!(parse_go("1.5s"), Ok(1_500_000_000));
        assert_eq!(parse_go("-1m30s"), Ok(-90_000_000_000));
        assert_eq!(parse_go(".5us"), Ok(500));
        assert_eq!(parse_go("1.s"), Ok(1_000_000_000));
        assert_eq!(parse_go("0"), Ok(0));
        assert_eq!(parse_go("2562047h47m16.854775807s"), Ok(i64::MAX));
        assert_eq!(parse_go("-2562047h47m16.854775808s"), Ok(i64::MIN));
        assert_eq!(
            parse_go("2562047h47m16.854775808s"),
            Err(r#"time: invalid duration "2562047h47m16.854775808s""#.into())
        );
        assert_eq!(
            parse_go("5"),
            Err(r#"time: missing unit in duration "5""#.into())
        );
        assert_eq!(
            parse_go("5x"),
            Err(r#"time: unknown unit "x" in duration "5x""#.into())
        );
        assert_eq!(parse_go(""), Err(r#"time: invalid duration """#.into()));
        assert_eq!(parse_go("."), Err(r#"time: invalid duration ".""#.into()));
        assert_eq!(parse_go("s"), Err(r#"time: invalid duration "s""#.into()));
    }
}
