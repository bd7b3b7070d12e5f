//! Numbers and ages in words, shared by the screen, the app and the headless commands: thousands
//! separators, a precision that fits the value, signed percentages, coarse ages that change rarely
//! (so an idle screen redraws rarely).

use rust_decimal::Decimal;

use crate::model::Amount;

/// Groups the integer part in thousands: `1234567.5` -> `1,234,567.5`.
pub fn grouped(text: &str) -> String {
    let (sign, rest) = text.strip_prefix('-').map_or(("", text), |r| ("-", r));
    let (int, frac) = rest
        .split_once('.')
        .map_or((rest, None), |(i, f)| (i, Some(f)));
    let mut out = String::with_capacity(text.len() + int.len() / 3);
    out.push_str(sign);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// An amount with exactly `dp` decimals, grouped.
pub fn fixed(a: Amount, dp: u32) -> String {
    grouped(&a.to_fixed(dp))
}

/// An amount with every decimal it was stored with (a reserve, a price as the node wrote it),
/// grouped.
pub fn exact(a: Amount) -> String {
    grouped(&a.to_string())
}

/// A HIVE price or value with decimals that fit its size.
pub fn fit(a: Amount) -> String {
    let abs = a.0.abs();
    if abs.is_zero() {
        return "0".to_owned();
    }
    let dp = if abs >= Decimal::from(1_000_000) {
        0
    } else if abs >= Decimal::from(1_000) {
        2
    } else if abs >= Decimal::ONE {
        4
    } else {
        8
    };
    fixed(a, dp)
}

/// `+3.77%`, `-10.89%`, `0.00%`.
pub fn percent(p: Amount) -> String {
    let sign = if p.0.is_sign_positive() && !p.is_zero() {
        "+"
    } else {
        ""
    };
    format!("{sign}{}%", p.to_fixed(2))
}

/// A share in percent with two decimals, or a dash when the whole is zero.
pub fn share(p: Option<Decimal>) -> String {
    p.map_or_else(|| "–".to_owned(), |d| format!("{}%", Amount(d).to_fixed(2)))
}

/// How old something is, in the largest unit: `just now`, `2m`, `3h`, `4d`.
pub fn age(secs: i64) -> String {
    match secs.max(0) {
        s if s < 5 => "just now".to_owned(),
        s if s < 60 => format!("{s}s"),
        s if s < 3600 => format!("{}m", s / 60),
        s if s < 86_400 => format!("{}h", s / 3600),
        s => format!("{}d", s / 86_400),
    }
}

/// An age in words for a sentence: `12 seconds`, `1 minute`, `3 hours`, `2 days`.
pub fn age_in_words(secs: i64) -> String {
    let (n, unit) = match secs.max(0) {
        s if s < 60 => (s, "second"),
        s if s < 3600 => (s / 60, "minute"),
        s if s < 86_400 => (s / 3600, "hour"),
        s => (s / 86_400, "day"),
    };
    count(usize::try_from(n).unwrap_or(0), unit)
}

/// `n` and its noun, singular for one: `1 holder`, `2 holders`, `0 holders`.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{} {noun}s", grouped(&n.to_string()))
    }
}

/// A countdown to a retry: `retry in 12s`, `retry in 3m`.
pub fn countdown(secs: i64) -> String {
    match secs.max(0) {
        s if s < 90 => format!("retry in {s}s"),
        s => format!("retry in {}m", s / 60),
    }
}

pub fn utc_time(ts: i64) -> String {
    jiff::Timestamp::from_second(ts)
        .map_or_else(|_| "?".into(), |t| t.strftime("%H:%M:%S").to_string())
}

/// `2026-11-24 23:53`, UTC.
pub fn utc_minute(ts: i64) -> String {
    jiff::Timestamp::from_second(ts).map_or_else(
        |_| ts.to_string(),
        |t| t.strftime("%Y-%m-%d %H:%M").to_string(),
    )
}

pub fn utc_date(ts: i64) -> String {
    jiff::Timestamp::from_second(ts)
        .map_or_else(|_| "?".into(), |t| t.strftime("%Y-%m-%d").to_string())
}

/// A size on disk in words: bytes, KiB with one decimal or MiB with two.
pub fn bytes(n: u64) -> String {
    match n {
        0..1024 => format!("{n} B"),
        1024..1_048_576 => format!("{:.1} KiB", n as f64 / 1024.0),
        _ => format!("{:.2} MiB", n as f64 / 1_048_576.0),
    }
}

/// `text` in at most `max` characters: too long, its middle gives way to `…`, so that both the
/// start (what failed) and the end (the reason's last words) stay readable.
pub fn shorten_middle(text: &str, max: usize) -> String {
    let len = text.chars().count();
    if len <= max {
        return text.to_owned();
    }
    if max == 0 {
        return String::new();
    }
    let keep = max - 1;
    let head = keep.div_ceil(2);
    let tail = keep - head;
    let start: String = text.chars().take(head).collect();
    let end: String = text.chars().skip(len - tail).collect();
    format!("{start}…{end}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_words() {
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(bytes(4 * 1_048_576), "4.00 MiB");
        assert_eq!(bytes(2_085_000), "1.99 MiB");
    }

    #[test]
    fn long_text_gives_way_in_the_middle() {
        assert_eq!(shorten_middle("short", 10), "short");
        assert_eq!(
            shorten_middle("refresh failed: could not connect", 15),
            "refresh…connect"
        );
        assert_eq!(shorten_middle("abcdef", 1), "…");
        assert_eq!(shorten_middle("abcdef", 0), "");
    }

    #[test]
    fn groups_thousands() {
        assert_eq!(grouped("1234567.50"), "1,234,567.50");
        assert_eq!(grouped("-1000"), "-1,000");
        assert_eq!(grouped("999"), "999");
        assert_eq!(
            grouped("9007199254740991.00000000"),
            "9,007,199,254,740,991.00000000"
        );
    }

    #[test]
    fn precision_fits_the_value() {
        let a = |s| Amount::parse(s).unwrap();
        assert_eq!(fit(a("0.00397984")), "0.00397984");
        assert_eq!(fit(a("12.5")), "12.5000");
        assert_eq!(fit(a("12345.678")), "12,345.68");
        assert_eq!(fit(a("123456789.9")), "123,456,790");
        assert_eq!(percent(a("3.77")), "+3.77%");
        assert_eq!(percent(a("-10.89")), "-10.89%");
    }

    #[test]
    fn ages_are_coarse() {
        assert_eq!(age(3), "just now");
        assert_eq!(age(42), "42s", "the seconds count while data is young");
        assert_eq!(age(125), "2m");
        assert_eq!(age(7200), "2h");
        assert_eq!(countdown(12), "retry in 12s");
        assert_eq!(age_in_words(45), "45 seconds");
        assert_eq!(age_in_words(60), "1 minute");
        assert_eq!(age_in_words(12 * 60 + 5), "12 minutes");
        assert_eq!(count(1, "holder"), "1 holder");
        assert_eq!(count(0, "provider"), "0 providers");
        assert_eq!(count(12_000, "row"), "12,000 rows");
    }
}
