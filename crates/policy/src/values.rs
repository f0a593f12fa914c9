//! Typed values of condition operators: numbers, dates, booleans, base64
//! bytes and CIDR blocks. Every parser returns `None` on bad input.

use std::net::IpAddr;

/// A number as IAM's Numeric operators read it: an optional sign, digits and
/// an optional decimal part.
pub(crate) fn parse_number(text: &str) -> Option<f64> {
    let t = text.trim();
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let int_ok = int.bytes().all(|b| b.is_ascii_digit());
    let frac_ok = frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
    if int.is_empty() || !int_ok || !frac_ok {
        return None;
    }
    t.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// `"true"` / `"false"`, case-insensitively.
pub(crate) fn parse_bool(text: &str) -> Option<bool> {
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn fixed_digits(text: &str, n: usize) -> Option<i64> {
    if text.len() == n && text.bytes().all(|b| b.is_ascii_digit()) {
        text.parse().ok()
    } else {
        None
    }
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// A date as milliseconds since the Unix epoch, read as IAM reads date
/// condition values. Accepts epoch seconds (integer or decimal) and ISO 8601
/// with optional parts: `[-]Y[-MM[-DD]]` (a year of up to nine digits),
/// then optionally `T` (or a space) and `H[H][:MM[:SS[.f]]]` (up to nine
/// fraction digits, the time itself optional) with an optional `Z`, `±HH`,
/// `±HH:MM` or `±HHMM` offset (no offset means UTC).
pub(crate) fn parse_date(text: &str) -> Option<i64> {
    let t = text.trim();
    if let Some(secs) = parse_number(t) {
        let millis = secs * 1000.0;
        return (millis.abs() < 9.0e15).then_some(millis as i64);
    }
    let (date, time) = match t.split_once(['T', 't', ' ']) {
        Some((d, tm)) => (d, Some(tm)),
        None => (t, None),
    };
    let (negative, date) = match date.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, date),
    };
    let mut parts = date.split('-');
    let year_text = parts.next()?;
    if year_text.is_empty() || year_text.len() > 9 {
        return None;
    }
    let year = digits(year_text)?;
    let year = if negative { -year } else { year };
    let month = parts.next().map_or(Some(1), |m| fixed_digits(m, 2))?;
    let day = parts.next().map_or(Some(1), |d| fixed_digits(d, 2))?;
    if parts.next().is_some()
        || !(-292_275_054..=292_278_993).contains(&year)
        || !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
    {
        return None;
    }
    let millis = days_from_civil(year, month, day).checked_mul(86_400_000)?;
    match time {
        Some(time) => millis.checked_add(parse_time(time)?),
        None => Some(millis),
    }
}

fn digits(text: &str) -> Option<i64> {
    if text.bytes().all(|b| b.is_ascii_digit()) {
        text.parse().ok()
    } else {
        None
    }
}

/// `[H[H][:MM[:SS[.f]]]][Z|±HH|±HH:MM|±HHMM]` → milliseconds after midnight UTC.
fn parse_time(text: &str) -> Option<i64> {
    let (clock, offset_millis) = if let Some(c) = text.strip_suffix(['Z', 'z']) {
        (c, 0)
    } else if let Some(pos) = text.rfind(['+', '-']) {
        let (c, off) = text.split_at(pos);
        let sign = if off.starts_with('-') { -1 } else { 1 };
        let off = off.get(1..)?.replace(':', "");
        let hh = fixed_digits(off.get(..2)?, 2)?;
        let mm = match off.get(2..)? {
            "" => 0,
            mm => fixed_digits(mm, 2)?,
        };
        if hh > 23 || mm > 59 {
            return None;
        }
        (c, sign * (hh * 60 + mm) * 60_000)
    } else {
        (text, 0)
    };
    if clock.is_empty() {
        return Some(-offset_millis);
    }
    let mut parts = clock.split(':');
    let hour = parts.next()?;
    if hour.is_empty() || hour.len() > 2 {
        return None;
    }
    let hh = digits(hour)?;
    let mm = parts.next().map_or(Some(0), |m| fixed_digits(m, 2))?;
    let (ss, frac_ms) = match parts.next() {
        None => (0, 0),
        Some(sec) => {
            let (whole, frac) = match sec.split_once('.') {
                Some((w, f)) => (w, f),
                None => (sec, ""),
            };
            let ss = fixed_digits(whole, 2)?;
            if !frac.bytes().all(|b| b.is_ascii_digit())
                || frac.len() > 9
                || (sec.contains('.') && frac.is_empty())
            {
                return None;
            }
            let ms: String = frac.chars().chain("000".chars()).take(3).collect();
            (ss, ms.parse::<i64>().ok()?)
        }
    };
    if parts.next().is_some() || hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    Some(((hh * 60 + mm) * 60 + ss) * 1000 + frac_ms - offset_millis)
}

fn base64_value(b: u8) -> Option<u32> {
    match b {
        b'A'..=b'Z' => Some(u32::from(b - b'A')),
        b'a'..=b'z' => Some(u32::from(b - b'a') + 26),
        b'0'..=b'9' => Some(u32::from(b - b'0') + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// Standard base64 (padding optional).
pub(crate) fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let body = text.trim_end_matches('=');
    if text.len() - body.len() > 2 || body.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for b in body.bytes() {
        acc = (acc << 6) | base64_value(b)?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

/// An IPv4 or IPv6 CIDR block; a bare address is a single host. An IPv4-mapped IPv6 address
/// is matched as the IPv4 address it maps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

impl Cidr {
    pub fn parse(text: &str) -> Option<Cidr> {
        let t = text.trim();
        let (addr, prefix) = match t.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (t, None),
        };
        let network: IpAddr = addr.parse().ok()?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) if !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()) => {
                p.parse::<u8>().ok().filter(|p| *p <= max)?
            }
            Some(_) => return None,
        };
        Some(Cidr { network, prefix })
    }

    pub fn contains(&self, addr: IpAddr) -> bool {
        match (self.network, addr.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// A request value for an IP operator: an address (a CIDR is read as its address).
pub(crate) fn parse_ip(text: &str) -> Option<IpAddr> {
    let t = text.trim();
    let addr = t.split_once('/').map_or(t, |(a, _)| a);
    addr.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(parse_number("10"), Some(10.0));
        assert_eq!(parse_number("-1.5"), Some(-1.5));
        assert_eq!(parse_number("NaN"), None);
        assert_eq!(parse_number("1e3"), None);
        assert_eq!(parse_number("1."), None);
        assert_eq!(parse_number(""), None);
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(parse_date("1970-01-01T00:00:01Z"), Some(1000));
        assert_eq!(parse_date("2020-01-01T00:00:00Z"), Some(1_577_836_800_000));
        assert_eq!(parse_date("1577836800"), Some(1_577_836_800_000));
        assert_eq!(
            parse_date("2020-01-01T01:00:00+01:00"),
            Some(1_577_836_800_000)
        );
        assert_eq!(
            parse_date("2020-01-01T00:00:00.5Z"),
            Some(1_577_836_800_500)
        );
        assert_eq!(
            parse_date("2019-12-31T19:00:00-0500"),
            Some(1_577_836_800_000)
        );
        assert_eq!(parse_date("2020-02-30"), None);
        assert_eq!(parse_date("2020-13-01"), None);
        assert_eq!(parse_date("yesterday"), None);
        assert_eq!(parse_date("2024-02-29T12:00Z"), Some(1_709_208_000_000));
    }

    #[test]
    fn dates_with_optional_parts() {
        // Forms AWS accepts in date conditions (see tests/oracle).
        assert_eq!(parse_date("1970"), Some(1_970_000));
        assert_eq!(parse_date("2020-01"), parse_date("2020-01-01"));
        assert_eq!(parse_date("2020-01-01T"), parse_date("2020-01-01"));
        assert_eq!(parse_date("2020-01-01t1:00"), Some(1_577_840_400_000));
        assert_eq!(
            parse_date("2020-01-01T02:00:00+01"),
            Some(1_577_840_400_000)
        );
        assert!(parse_date("01T").is_some());
        assert!(parse_date("-2020-01-01").is_some());
        assert!(parse_date("2016-12-13t2:00:00.593194+23").is_some());
        assert!(parse_date("2016-12-13T21:20:37.123456789Z").is_some());
        assert_eq!(parse_date("2016-12-13t2:00:00.593194+1"), None);
        assert_eq!(parse_date("2016-12-13T2:00:00.1999999999Z"), None);
        assert_eq!(parse_date("234-13"), None);
        assert_eq!(parse_date("9223372036854775808"), None);
        assert_eq!(parse_date("1234567890-01-01"), None);
    }

    #[test]
    fn base64() {
        assert_eq!(decode_base64("QmluYXJ5VmFsdWU=").unwrap(), b"BinaryValue");
        assert_eq!(decode_base64("YQ").unwrap(), b"a");
        assert!(decode_base64("a").is_none());
        assert!(decode_base64("@@@@").is_none());
    }

    #[test]
    fn cidrs() {
        let c = Cidr::parse("203.0.113.0/24").unwrap();
        assert!(c.contains("203.0.113.7".parse().unwrap()));
        assert!(!c.contains("203.0.114.7".parse().unwrap()));
        assert!(c.contains("::ffff:203.0.113.9".parse().unwrap()));
        let all = Cidr::parse("0.0.0.0/0").unwrap();
        assert!(all.contains("8.8.8.8".parse().unwrap()));
        assert!(!all.contains("::1".parse().unwrap()));
        let v6 = Cidr::parse("2001:DB8:1234:5678::/64").unwrap();
        assert!(v6.contains("2001:db8:1234:5678::1".parse().unwrap()));
        assert!(!v6.contains("2001:db8:1234:5679::1".parse().unwrap()));
        assert_eq!(Cidr::parse("10.0.0.1").unwrap().prefix, 32);
        assert!(Cidr::parse("10.0.0.0/33").is_none());
        assert!(Cidr::parse("10.0.0/8").is_none());
    }
}
