//! Kubernetes resource quantities in their canonical form, as the API
//! prints them (`2000m` is `2`, `1024Mi` is `1Gi`): istioctl writes the
//! injected containers' resources that way.

/// The canonical form of a quantity, or `None` when it is not one.
pub fn canonical(text: &str) -> Option<String> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let split = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    let (number, suffix) = rest.split_at(split);
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() && fraction.is_empty() || number.matches('.').count() > 1 {
        return None;
    }
    let digits = format!("{whole}{fraction}");
    // Beyond 30 digits a quantity is not one Kubernetes keeps exactly.
    if digits.len() > 30 {
        return None;
    }
    let mantissa: i128 = digits.parse().ok()?;
    let scale = -i32::try_from(fraction.len()).ok()?;
    let sign = if negative { "-" } else { "" };
    if let Some(power) = binary_power(suffix) {
        return Some(format!("{sign}{}", binary(mantissa, scale, power)?));
    }
    let exponent = decimal_exponent(suffix)?;
    if mantissa == 0 {
        return Some("0".into());
    }
    Some(format!("{sign}{}", decimal(mantissa, scale + exponent)))
}

fn binary_power(suffix: &str) -> Option<u32> {
    ["Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]
        .iter()
        .position(|s| *s == suffix)
        .map(|p| p as u32 + 1)
}

fn decimal_exponent(suffix: &str) -> Option<i32> {
    Some(match suffix {
        "n" => -9,
        "u" => -6,
        "m" => -3,
        "" => 0,
        "k" => 3,
        "M" => 6,
        "G" => 9,
        "T" => 12,
        "P" => 15,
        "E" => 18,
        _ => return None,
    })
}

/// `mantissa * 10^exponent` with the largest SI suffix that keeps the
/// number whole; below a nano it rounds up, as Kubernetes does.
fn decimal(mut mantissa: i128, mut exponent: i32) -> String {
    while mantissa % 10 == 0 && mantissa != 0 {
        mantissa /= 10;
        exponent += 1;
    }
    if exponent < -9 {
        let divisor = 10i128.pow((-9 - exponent) as u32);
        mantissa = (mantissa + divisor - 1) / divisor;
        exponent = -9;
    }
    let base = exponent.div_euclid(3) * 3;
    let base = base.min(18);
    let whole = mantissa * 10i128.pow((exponent - base) as u32);
    let suffix = match base {
        -9 => "n",
        -6 => "u",
        -3 => "m",
        0 => "",
        3 => "k",
        6 => "M",
        9 => "G",
        12 => "T",
        15 => "P",
        _ => "E",
    };
    format!("{whole}{suffix}")
}

/// A binary quantity: whole bytes with the largest binary suffix that
/// keeps the number whole; not whole bytes, in decimal.
fn binary(mantissa: i128, scale: i32, power: u32) -> Option<String> {
    let total = mantissa.checked_mul(1024i128.checked_pow(power)?)?;
    let divisor = 10i128.pow((-scale) as u32);
    if total % divisor != 0 {
        return Some(decimal(total, scale));
    }
    let mut bytes = total / divisor;
    if bytes == 0 {
        return Some("0".into());
    }
    let mut index = 0;
    while index < 6 && bytes % 1024 == 0 {
        bytes /= 1024;
        index += 1;
    }
    let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][index];
    Some(format!("{bytes}{suffix}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_print_as_kubernetes_prints_them() {
        for (input, expected) in [
            ("2000m", "2"),
            ("1000m", "1"),
            ("100m", "100m"),
            ("1500m", "1500m"),
            ("0.5", "500m"),
            ("1024Mi", "1Gi"),
            ("128Mi", "128Mi"),
            ("1536Mi", "1536Mi"),
            ("1.5Gi", "1536Mi"),
            ("3", "3"),
            ("10k", "10k"),
            ("0", "0"),
        ] {
            assert_eq!(canonical(input).as_deref(), Some(expected), "{input}");
        }
        assert_eq!(canonical("lots"), None);
    }
}
