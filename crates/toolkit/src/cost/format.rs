//! Numbers as people read them: `1,000,000`, `$2.38`, `$0.0125`.

/// Thousands separators; at most two decimals, trailing zeros dropped (`0.5`, `12,345.67`);
/// below 1, two significant digits (`0.0009`, `0.033`) so a small rate is not shown as 0.
pub fn count(value: f64) -> String {
    if value != 0.0 && value.abs() < 1.0 {
        let digits = (-value.abs().log10()).floor() as usize + 2;
        let text = format!("{value:.digits$}");
        return text.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    let rounded = (value * 100.0).round() / 100.0;
    let whole = rounded.trunc() as i64;
    let fraction = ((rounded.abs() - rounded.abs().trunc()) * 100.0).round() as i64;
    let mut digits = whole.abs().to_string();
    let mut grouped = String::new();
    while digits.len() > 3 {
        let tail = digits.split_off(digits.len() - 3);
        grouped = format!(",{tail}{grouped}");
    }
    let sign = if rounded < 0.0 { "-" } else { "" };
    let mut out = format!("{sign}{digits}{grouped}");
    if fraction != 0 {
        let f = format!("{fraction:02}");
        out.push('.');
        out.push_str(f.trim_end_matches('0'));
    }
    out
}

/// Dollars with cents; amounts under a cent keep two significant digits so a small
/// line is not shown as zero (`$0.0013`).
pub fn usd(value: f64) -> String {
    let sign = if value < 0.0 { "-" } else { "" };
    let v = value.abs();
    if v == 0.0 {
        return "$0.00".into();
    }
    if v < 0.01 {
        let digits = (-v.log10()).ceil() as usize + 1;
        return format!("{sign}${v:.digits$}");
    }
    let cents = (v * 100.0).round() / 100.0;
    let whole = count(cents.trunc());
    format!(
        "{sign}${whole}.{:02}",
        ((cents - cents.trunc()) * 100.0).round() as i64
    )
}

/// A signed change: `+$1.20`, `-$0.10`, `$0.00`.
pub fn delta(value: f64) -> String {
    if value > 0.0 {
        format!("+{}", usd(value))
    } else {
        usd(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_dollars() {
        assert_eq!(count(1_000_000.0), "1,000,000");
        assert_eq!(count(8_760.0), "8,760");
        assert_eq!(count(0.5), "0.5");
        assert_eq!(count(0.0009), "0.0009");
        assert_eq!(count(0.0333), "0.033");
        assert_eq!(count(0.17), "0.17");
        assert_eq!(count(12_345.678), "12,345.68");
        assert_eq!(count(-1234.0), "-1,234");
        assert_eq!(usd(2.3808), "$2.38");
        assert_eq!(usd(1234.5), "$1,234.50");
        assert_eq!(usd(0.0125), "$0.01");
        assert_eq!(usd(0.00134), "$0.0013");
        assert_eq!(usd(0.0), "$0.00");
        assert_eq!(delta(32.85), "+$32.85");
        assert_eq!(delta(-0.1), "-$0.10");
    }
}
