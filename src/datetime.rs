//! The signing time. The core never reads a clock: the time is always an input.

use std::fmt;

use crate::error::{Error, ErrorCode, Result};
use crate::text::{all_digits, decimal, signed_decimal};

/// A UTC instant with one-second resolution, as SigV4 uses it.
///
/// It parses the forms callers have at hand: the SigV4 basic format `20150830T123600Z`,
/// ISO 8601 / RFC 3339 in UTC (`2015-08-30T12:36:00Z`, optionally with fractional seconds,
/// which are dropped) ([`parse`](Self::parse)), Unix seconds ([`from_unix_seconds`](Self::from_unix_seconds))
/// and Unix milliseconds, as JavaScript counts time ([`from_unix_millis`](Self::from_unix_millis)).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AmzDateTime {
    /// Seconds since 1970-01-01T00:00:00Z.
    unix_seconds: i64,
}

/// The years SigV4 can write in its 4-digit date.
const MIN_YEAR: i64 = 0;
const MAX_YEAR: i64 = 9999;

/// The smallest time [`AmzDateTime::from_unix_millis`] takes: 1e11 ms, 1973-03-03T09:46:40Z.
/// Unix seconds stay below it until the year 5138, so no time in seconds passes for one in
/// milliseconds.
pub const MIN_UNIX_MILLIS: i64 = 100_000_000_000;
/// The first and the last instant of those years, 0000-01-01T00:00:00Z and
/// 9999-12-31T23:59:59Z, in Unix seconds.
const MIN_SECONDS: i64 = -62_167_219_200;
const MAX_SECONDS: i64 = 253_402_300_799;

impl AmzDateTime {
    /// From Unix seconds. Errors outside years 0000..=9999, which `YYYYMMDD` cannot write.
    pub fn from_unix_seconds(seconds: i64) -> Result<Self> {
        if !(MIN_SECONDS..=MAX_SECONDS).contains(&seconds) {
            return Err(Error::fill(
                ErrorCode::InvalidDate,
                "{} Unix seconds is outside the years 0000-9999 that a SigV4 date can express",
                &[&signed_decimal(seconds)],
            ));
        }
        Ok(Self { unix_seconds: seconds })
    }

    /// From milliseconds since 1970, as JavaScript's `Date.now()` counts them; the milliseconds
    /// are dropped. A number below [`MIN_UNIX_MILLIS`] (a time before March 1973) is refused:
    /// it is almost surely Unix seconds, which read as milliseconds would sign for January 1970.
    pub fn from_unix_millis(millis: i64) -> Result<Self> {
        if millis < MIN_UNIX_MILLIS {
            return Err(Error::fill(
                ErrorCode::InvalidDate,
                "{} milliseconds since 1970 is before March 1973, so it is probably Unix seconds; pass milliseconds (Date.now(), or seconds * 1000) or a Date",
                &[&signed_decimal(millis)],
            ));
        }
        Self::from_unix_seconds(millis.div_euclid(1000))
    }

    /// From calendar fields, validated.
    pub fn from_fields(year: i64, month: u32, day: u32, hour: u32, minute: u32, second: u32) -> Result<Self> {
        let valid = (MIN_YEAR..=MAX_YEAR).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year as i32, month)
            && hour < 24
            && minute < 60
            && second < 60;
        if !valid {
            let n = |v: u32| decimal(v.into());
            return Err(Error::fill(
                ErrorCode::InvalidDate,
                "year {}, month {}, day {}, {}:{}:{} is not a valid UTC date and time",
                &[&signed_decimal(year), &n(month), &n(day), &n(hour), &n(minute), &n(second)],
            ));
        }
        // A valid year has four digits.
        let days = i64::from(days_from_civil(year as i32, month, day));
        Ok(Self { unix_seconds: days * 86_400 + i64::from(hour * 3600 + minute * 60 + second) })
    }

    /// Parses `20150830T123600Z` or `2015-08-30T12:36:00Z` (also `.123Z` fractions and a
    /// `+00:00` offset). Any other offset is an error: convert to UTC first.
    pub fn parse(text: &str) -> Result<Self> {
        let bad = || {
            Error::fill(
                ErrorCode::InvalidDate,
                "'{}' is not a date this signer reads; use the SigV4 form 20150830T123600Z or ISO 8601 in UTC (2015-08-30T12:36:00Z)",
                &[text],
            )
        };
        let b = text.as_bytes();
        // Where the year, month, day, hour, minute and second start.
        let starts = if b.len() == 16 && b[8] == b'T' && b[15] == b'Z' {
            // SigV4 basic format: YYYYMMDD'T'HHMMSS'Z'.
            [0, 4, 6, 9, 11, 13]
        } else if b.len() >= 20
            && b[4] == b'-'
            && b[7] == b'-'
            && (b[10] == b'T' || b[10] == b't')
            && b[13] == b':'
            && b[16] == b':'
        {
            // ISO 8601 extended format: YYYY-MM-DDTHH:MM:SS[.fff](Z|+00:00).
            let mut rest = &b[19..];
            if rest.first() == Some(&b'.') {
                let fraction = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
                if fraction == 0 {
                    return Err(bad());
                }
                rest = &rest[1 + fraction..];
            }
            if !(rest == b"Z" || rest == b"z" || rest == b"+00:00") {
                return Err(bad());
            }
            [0, 5, 8, 11, 14, 17]
        } else {
            return Err(bad());
        };
        // Four digits of year, then two of each other field.
        let mut fields = [0u32; 6];
        for (i, (field, start)) in fields.iter_mut().zip(starts).enumerate() {
            let digits = &b[start..start + if i == 0 { 4 } else { 2 }];
            if !all_digits(digits) {
                return Err(bad());
            }
            *field = digits.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0'));
        }
        let [y, mo, d, h, mi, s] = fields;
        Self::from_fields(i64::from(y), mo, d, h, mi, s)
    }

    pub fn unix_seconds(self) -> i64 {
        self.unix_seconds
    }

    /// This instant moved by `seconds`, if the result is still a writable date.
    pub fn checked_add_seconds(self, seconds: i64) -> Option<Self> {
        Self::from_unix_seconds(self.unix_seconds.checked_add(seconds)?).ok()
    }

    fn fields(self) -> (u32, u32, u32, u32, u32, u32) {
        // Seconds since 0000-01-01, below 2^39: split at 128 so that dividing by 86,400 (128 ×
        // 675) takes 32-bit divisions only (wasm2js has none for 64 bits but a slow helper).
        let since = (self.unix_seconds - MIN_SECONDS) as u64;
        let (high, low) = ((since >> 7) as u32, since as u32 & 127);
        let secs = high % 675 * 128 + low;
        // Days since 0000-03-01: January and February of the leap year 0 are 60 days.
        let (y, m, d) = civil_from_days((high / 675) as i32 - 60);
        (y, m, d, secs / 3600, secs / 60 % 60, secs % 60)
    }

    /// `YYYYMMDD'T'HHMMSS'Z'`: the `X-Amz-Date` value and line 2 of the string to sign.
    pub fn amz_date_time(self) -> String {
        let (y, mo, d, h, mi, s) = self.fields();
        // `00000000T000000Z`, built rather than copied from a literal: a byte string is
        // unaligned, and wasm2js copies unaligned words byte by byte.
        let mut text = [b'0'; 16];
        (text[8], text[15]) = (b'T', b'Z');
        write_digits(&mut text[..4], y);
        write_digits(&mut text[4..6], mo);
        write_digits(&mut text[6..8], d);
        write_digits(&mut text[9..11], h);
        write_digits(&mut text[11..13], mi);
        write_digits(&mut text[13..15], s);
        ascii(&text)
    }

    /// `YYYYMMDD`: the first part of the credential scope.
    pub fn amz_date(self) -> String {
        let mut date = self.amz_date_time();
        date.truncate(8);
        date
    }
}

/// Writes `n` into `digits`, zero-padded (the years 0000..=9999 fit in four).
fn write_digits(digits: &mut [u8], mut n: u32) {
    for digit in digits.iter_mut().rev() {
        *digit = b'0' + (n % 10) as u8;
        n /= 10;
    }
}

/// ASCII digits and letters as a `String`.
fn ascii(text: &[u8]) -> String {
    let mut out = String::with_capacity(text.len());
    for &b in text {
        out.push(char::from(b));
    }
    out
}

impl fmt::Debug for AmzDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.amz_date_time())
    }
}

impl fmt::Display for AmzDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.amz_date_time())
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 for a proleptic Gregorian date of the years 0000..=9999 (Howard
/// Hinnant's `days_from_civil`; 32 bits are plenty for them).
fn days_from_civil(year: i32, month: u32, day: u32) -> i32 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = ((month + 9) % 12) as i32;
    let doy = (153 * mp + 2) / 5 + day as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`], from days since 0000-03-01 (the start of Hinnant's
/// computational year 0), for the years 0000..=9999.
fn civil_from_days(days: i32) -> (u32, u32, u32) {
    let era = days.div_euclid(146_097);
    let doe = days - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i32::from(month <= 2);
    (year as u32, month, day)
}
