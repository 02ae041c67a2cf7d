//! The text helpers of the core: joining pieces, decimal numbers, excerpts of caller-supplied
//! values for error messages. The core builds its texts without `format!`: the formatting
//! machinery would be a third of the WebAssembly build.

/// Joins the pieces of a text: `text!("the ", what, " is empty")`.
macro_rules! text {
    ($($piece:expr),+ $(,)?) => {
        $crate::text::concat(&[$(::core::convert::AsRef::<str>::as_ref(&$piece)),+])
    };
}
pub(crate) use text;

/// Whether every byte of `bytes` is in `low..=high` (`0 < low <= high < 0x80`). With the
/// feature `speed`, eight bytes at a time: a session token or a long header value is checked
/// and copied several times per signature.
pub(crate) fn all_in(bytes: &[u8], low: u8, high: u8) -> bool {
    if !cfg!(feature = "speed") || bytes.len() < 64 {
        return bytes.iter().all(|b| (low..=high).contains(b));
    }
    all_in_by_eight(bytes, low, high)
}

#[inline(never)]
fn all_in_by_eight(bytes: &[u8], low: u8, high: u8) -> bool {
    const ONES: u64 = u64::MAX / 255;
    const HIGH_BITS: u64 = ONES * 0x80;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let x = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        // A byte below `low`, or above `high` (or not ASCII), sets its high bit in one of these.
        let below = x.wrapping_sub(ONES * u64::from(low)) & !x;
        let above = x.wrapping_add(ONES * u64::from(127 - high)) | x;
        if (below | above) & HIGH_BITS != 0 {
            return false;
        }
    }
    chunks.remainder().iter().all(|b| (low..=high).contains(b))
}

/// The pieces joined: what `text!` expands to. (The standard library's `concat` is generic
/// over separators and element types, and three times the size in the WebAssembly build.)
pub(crate) fn concat(pieces: &[&str]) -> String {
    let mut out = String::with_capacity(pieces.iter().map(|piece| piece.len()).sum());
    for piece in pieces {
        out.push_str(piece);
    }
    out
}

/// `n` in decimal.
pub(crate) fn decimal(n: u64) -> String {
    // `n` as four 16-bit limbs, divided by 10 in 32-bit arithmetic: the binary then has no
    // 64-bit division, which its wasm2js translation does with a slow and large helper.
    let mut limbs = [(n >> 48) as u32, (n >> 32) as u32 & 0xffff, (n >> 16) as u32 & 0xffff, n as u32 & 0xffff];
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        let mut rest = 0;
        for limb in &mut limbs {
            let current = rest << 16 | *limb;
            *limb = current / 10;
            rest = current % 10;
        }
        at -= 1;
        digits[at] = b'0' + rest as u8;
        if limbs == [0; 4] {
            break;
        }
    }
    digits[at..].iter().map(|&d| char::from(d)).collect()
}

/// `n` in decimal, with a sign when negative.
pub(crate) fn signed_decimal(n: i64) -> String {
    if n < 0 { text!("-", decimal(n.unsigned_abs())) } else { decimal(n.unsigned_abs()) }
}

/// Whether every byte of `text` is an ASCII letter or digit, or one of `others`. (One
/// function for every such check: each `bytes().all(closure)` is a function of its own in the
/// WebAssembly build.)
pub(crate) fn alphanumeric_or(text: &str, others: &[u8]) -> bool {
    text.bytes().all(|b| b.is_ascii_alphanumeric() || others.contains(&b))
}

/// Whether every byte is an ASCII digit.
pub(crate) fn all_digits(bytes: &[u8]) -> bool {
    bytes.iter().all(u8::is_ascii_digit)
}

/// Reads a decimal number of at most 19 digits; `None` for anything else (signs included).
pub(crate) fn parse_decimal(text: &str) -> Option<u64> {
    if text.is_empty() || text.len() > 19 || !all_digits(text.as_bytes()) {
        return None;
    }
    Some(text.bytes().fold(0u64, |n, d| n * 10 + u64::from(d - b'0')))
}

/// Shortens a caller-supplied value for an error message, so a 10 MB header does not become a
/// 10 MB message, and shows control characters as `\u{..}`. Callers never pass secrets here.
pub(crate) fn excerpt(value: &str) -> String {
    let mut out = String::new();
    push_excerpt(&mut out, value);
    out
}

/// [`excerpt`], appended to `out`.
pub(crate) fn push_excerpt(out: &mut String, value: &str) {
    const MAX: usize = 80;
    for (count, c) in value.chars().enumerate() {
        if count == MAX {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.push_str("\\u{");
            out.push_str(&hex_digits(u32::from(c)));
            out.push('}');
        } else {
            out.push(c);
        }
    }
}

/// A code point in uppercase hex, at least four digits: `U+000A` is written `000A`.
pub(crate) fn hex_digits(code: u32) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::new();
    let mut started = false;
    for shift in (0..6).rev() {
        let digit = (code >> (shift * 4)) & 15;
        started |= digit != 0 || shift < 4;
        if started {
            out.push(char::from(HEX[digit as usize]));
        }
    }
    out
}

/// Where the first `byte` (ASCII) of `text` is. `split_on`, `split_once_on` and this search
/// for a byte in a loop: `str::split`, `split_once` and `find` with a `char` bring the
/// standard library's pattern searcher and `memchr`, 1 KB of the WebAssembly build, for
/// texts (URLs, queries, header lists) short enough that a loop is as fast.
pub(crate) fn find_byte(text: &str, byte: u8) -> Option<usize> {
    text.bytes().position(|b| b == byte)
}

/// `text` before and after its first `separator` (ASCII), as `str::split_once` gives them.
pub(crate) fn split_once_on(text: &str, separator: u8) -> Option<(&str, &str)> {
    let at = find_byte(text, separator)?;
    Some((&text[..at], &text[at + 1..]))
}

/// The parts of `text` between its `separator`s (ASCII), as `str::split` gives them.
pub(crate) fn split_on(text: &str, separator: u8) -> SplitOn<'_> {
    SplitOn { rest: Some(text), separator }
}

/// The iterator of [`split_on`].
pub(crate) struct SplitOn<'a> {
    rest: Option<&'a str>,
    separator: u8,
}

impl<'a> Iterator for SplitOn<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        let (part, after) = split_once_on(rest, self.separator).unzip();
        self.rest = after;
        Some(part.unwrap_or(rest))
    }
}
