//! Percent-encoding as SigV4 defines it, percent-decoding, and RFC 3986 path normalization.

use crate::text::split_on;

/// `UriEncode()` of the SigV4 spec: every byte except the unreserved characters
/// `A-Z a-z 0-9 - . _ ~` becomes `%XX` with uppercase hex. With `keep_slash`, `/` is kept
/// (the rule for the canonical URI); without it `/` becomes `%2F` (query names and values).
pub fn uri_encode(input: &[u8], keep_slash: bool, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let kept = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') || (keep_slash && b == b'/');
    for &byte in input {
        if kept(byte) {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
    }
}

/// [`uri_encode`] into a new string.
pub fn uri_encoded(input: &[u8], keep_slash: bool) -> String {
    let mut out = String::with_capacity(input.len());
    uri_encode(input, keep_slash, &mut out);
    out
}

/// Lowercase hex, the form SigV4 writes hashes and signatures in.
pub fn lower_hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    push_lower_hex(&mut out, bytes);
    out
}

/// Appends `bytes` as lowercase hex. With the feature `speed`, 32 bytes (a SHA-256) at a time
/// through a buffer on the stack: one copy instead of a capacity check per digit.
pub(crate) fn push_lower_hex(out: &mut String, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    if !cfg!(feature = "speed") {
        for &byte in bytes {
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
        return;
    }
    for chunk in bytes.chunks(32) {
        let mut digits = [0u8; 64];
        for (pair, &byte) in digits.chunks_exact_mut(2).zip(chunk) {
            pair[0] = HEX[usize::from(byte >> 4)];
            pair[1] = HEX[usize::from(byte & 0x0f)];
        }
        out.push_str(std::str::from_utf8(&digits[..2 * chunk.len()]).unwrap_or_default());
    }
}

/// A name and a value: a query parameter, a header.
pub(crate) type Pair = (String, String);

/// Sorts name/value pairs by name, then value, in byte order.
pub(crate) fn sort_pairs(pairs: &mut Vec<Pair>) {
    sort_pairs_by(pairs, false);
}

/// A plain merge sort of name/value pairs by name, and with `by_name_only` false by value
/// among equal names: stable (equal items keep their order), O(n log n) even for a hostile
/// request with thousands of parameters or headers, and a fraction of the size of the
/// standard library's sort in the WebAssembly build. It sorts pairs only: a generic sort is
/// one more copy of itself in the WebAssembly build for every element type (1.2 to 1.4 KB
/// each), so what else needs sorting is held as pairs ([`crate::CanonicalHeaders`] serves as
/// a sorted set of header names).
pub(crate) fn sort_pairs_by(pairs: &mut Vec<Pair>, by_name_only: bool) {
    if pairs.len() < 2 {
        return;
    }
    let less = |a: &Pair, b: &Pair| a.0 < b.0 || (!by_name_only && a.0 == b.0 && a.1 < b.1);
    // With the feature `speed`, a request's few parameters or headers: an insertion sort in
    // place, which allocates nothing (each item moves past the ones strictly greater only, so
    // it is stable too). The Postman binary (`--cfg sigv4_postman`) sorts so whatever the
    // length, without the merge below (0.7 KB of its translation): Postman signs the requests
    // its user writes, not an attacker's, and the worst a URL within MAX_URL_BYTES can hold,
    // 10,000 parameters in descending order, signs there in 1.3 s instead of 0.45.
    if (cfg!(feature = "speed") && pairs.len() <= 16) || cfg!(sigv4_postman) {
        for i in 1..pairs.len() {
            let mut j = i;
            while j > 0 && less(&pairs[j], &pairs[j - 1]) {
                pairs.swap(j, j - 1);
                j -= 1;
            }
        }
        return;
    }
    let mut right = pairs.split_off(pairs.len() / 2);
    let mut left = std::mem::take(pairs);
    sort_pairs_by(&mut left, by_name_only);
    sort_pairs_by(&mut right, by_name_only);
    // Merged from the back: the greater of the two last items goes last, the left one when
    // they are equal, so that equal items keep their order.
    pairs.resize_with(left.len() + right.len(), Pair::default);
    for slot in pairs.iter_mut().rev() {
        let take_left = match (left.last(), right.last()) {
            (Some(l), Some(r)) => less(r, l),
            (l, _) => l.is_some(),
        };
        let next = if take_left { left.pop() } else { right.pop() };
        *slot = next.unwrap_or_default();
    }
}

/// A `%` that is not followed by two hex digits, at this byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MalformedEscape(pub usize);

/// Percent-decodes `input`. With `plus_as_space`, `+` decodes to a space (the
/// `application/x-www-form-urlencoded` rule); otherwise it stays `+`.
pub fn percent_decode(input: &str, plus_as_space: bool) -> Result<Vec<u8>, MalformedEscape> {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hi = bytes.get(i + 1).and_then(|b| char::from(*b).to_digit(16));
                let lo = bytes.get(i + 2).and_then(|b| char::from(*b).to_digit(16));
                match (hi, lo) {
                    (Some(hi), Some(lo)) => out.push((hi * 16 + lo) as u8),
                    _ => return Err(MalformedEscape(i)),
                }
                i += 3;
            }
            b'+' if plus_as_space => {
                out.push(b' ');
                i += 1;
            }
            byte => {
                out.push(byte);
                i += 1;
            }
        }
    }
    Ok(out)
}

/// RFC 3986 section 5.2.4 "remove dot segments", plus collapsing empty segments (`//`), as
/// SigV4 specifies for every service but S3. The result starts with `/`; it ends with `/` only
/// when the input did, as botocore, aws-c-auth, aws-sigv4 and the JavaScript SDK compute it
/// (`/a/b/..` gives `/a`, `/a/b/` keeps its slash).
pub fn normalize_path(path: &str) -> String {
    let mut kept: Vec<&str> = Vec::new();
    for segment in split_on(path, b'/') {
        match segment {
            "" | "." => {}
            ".." => {
                kept.pop();
            }
            name => kept.push(name),
        }
    }
    let mut out = String::with_capacity(path.len() + 1);
    for segment in &kept {
        out.push('/');
        out.push_str(segment);
    }
    if out.is_empty() || path.ends_with("/") {
        out.push('/');
    }
    out
}
