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
}
