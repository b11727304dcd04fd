//! Kubernetes resource quantities (`500m`, `1Gi`, `1e3`) in the canonical
//! form the API server writes back: the largest suffix that keeps the
//! number whole (`1000m` is `1`, `1024Mi` is `1Gi`, `0.5` is `500m`).

/// Decimal suffixes and their powers of ten.
const DECIMAL: &[(&str, i32)] = &[
    ("n", -9),
    ("u", -6),
    ("m", -3),
    ("", 0),
    ("k", 3),
    ("M", 6),
    ("G", 9),
    ("T", 12),
    ("P", 15),
    ("E", 18),
];

/// Binary suffixes and their powers of 1024.
const BINARY: &[(&str, u32)] = &[
    ("Ki", 1),
    ("Mi", 2),
    ("Gi", 3),
    ("Ti", 4),
    ("Pi", 5),
    ("Ei", 6),
];

/// Amounts are held in billionths (the API's finest precision, `1n`).
const NANO: i128 = 1_000_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    DecimalSi,
    BinarySi,
    DecimalExponent,
}

/// The canonical spelling, or `None` when the text is not a quantity.
pub fn canonical(text: &str) -> Option<String> {
    let (nanos, format) = parse(text.trim())?;
    Some(format_quantity(nanos, format))
}

fn parse(text: &str) -> Option<(i128, Format)> {
    let number_end = text
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '+' | '-')))
        .unwrap_or(text.len());
    let (number, suffix) = text.split_at(number_end);
    let (negative, digits) = match number.as_bytes().first()? {
        b'-' => (true, &number[1..]),
        b'+' => (false, &number[1..]),
        _ => (false, number),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty() && fraction.is_empty()
        || !(whole.bytes().chain(fraction.bytes())).all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let (scale, format) = suffix_scale(suffix)?;
    // value = whole.fraction x scale, in nanos; finer than 1n rounds up.
    let mantissa: i128 = format!("{whole}{fraction}").parse().ok()?;
    let nanos = match scale {
        Scale::Decimal(exponent) => {
            let shift = exponent + 9 - i32::try_from(fraction.len()).ok()?;
            shift_decimal(mantissa, shift)?
        }
        Scale::Binary(power) => {
            let factor = 1024i128.checked_pow(power)?.checked_mul(NANO)?;
            let scaled = mantissa.checked_mul(factor)?;
            let divisor = 10i128.checked_pow(u32::try_from(fraction.len()).ok()?)?;
            ceil_div(scaled, divisor)
        }
    };
    Some((if negative { -nanos } else { nanos }, format))
}

enum Scale {
    Decimal(i32),
    Binary(u32),
}

fn suffix_scale(suffix: &str) -> Option<(Scale, Format)> {
    if let Some(&(_, power)) = BINARY.iter().find(|(s, _)| *s == suffix) {
        return Some((Scale::Binary(power), Format::BinarySi));
    }
    if let Some(&(_, exponent)) = DECIMAL.iter().find(|(s, _)| *s == suffix) {
        return Some((Scale::Decimal(exponent), Format::DecimalSi));
    }
    let exponent = suffix.strip_prefix(['e', 'E'])?.parse::<i32>().ok()?;
    (-30..=30)
        .contains(&exponent)
        .then_some((Scale::Decimal(exponent), Format::DecimalExponent))
}

fn shift_decimal(mantissa: i128, shift: i32) -> Option<i128> {
    if shift >= 0 {
        mantissa.checked_mul(10i128.checked_pow(shift.unsigned_abs())?)
    } else {
        Some(ceil_div(
            mantissa,
            10i128.checked_pow(shift.unsigned_abs())?,
        ))
    }
}

fn ceil_div(value: i128, divisor: i128) -> i128 {
    (value + divisor - 1) / divisor
}

fn format_quantity(nanos: i128, format: Format) -> String {
    if nanos == 0 {
        return "0".into();
    }
    if format == Format::BinarySi && nanos % NANO == 0 && nanos.abs() >= 1024 * NANO {
        let bytes = nanos / NANO;
        let (mut amount, mut power) = (bytes, 0);
        while power < 6 && amount % 1024 == 0 {
            amount /= 1024;
            power += 1;
        }
        let suffix = match power {
            0 => "",
            p => BINARY[p - 1].0,
        };
        return format!("{amount}{suffix}");
    }
    // The largest power of 1000 (from 1e-9 to 1e18) that keeps it whole.
    let (mut amount, mut exponent) = (nanos, -9);
    while exponent < 18 && amount % 1000 == 0 {
        amount /= 1000;
        exponent += 3;
    }
    match format {
        Format::DecimalExponent if exponent != 0 => format!("{amount}e{exponent}"),
        Format::DecimalExponent => amount.to_string(),
        Format::DecimalSi | Format::BinarySi => {
            let suffix = DECIMAL
                .iter()
                .find(|(_, e)| *e == exponent)
                .map_or("", |(s, _)| s);
            format!("{amount}{suffix}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_take_the_api_servers_spelling() {
        for (text, want) in [
            ("1000m", "1"),
            ("1500m", "1500m"),
            ("0.5", "500m"),
            ("1", "1"),
            ("1000", "1k"),
            ("1024Mi", "1Gi"),
            ("1536Mi", "1536Mi"),
            ("1.5Gi", "1536Mi"),
            ("512", "512"),
            ("1e3", "1e3"),
            ("0", "0"),
            ("0.1n", "1n"),
        ] {
            assert_eq!(canonical(text).as_deref(), Some(want), "{text}");
        }
        assert_eq!(canonical("lots"), None);
        assert_eq!(canonical("1X"), None);
    }
}
