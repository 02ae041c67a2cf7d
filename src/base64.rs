//! Base64 (RFC 4648, standard alphabet, with padding): the form of the `x-amz-checksum-*`
//! values of a chunked upload's trailer and of a POST policy.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// The length of `n` bytes in base64.
pub(crate) const fn base64_len(n: usize) -> usize {
    n.div_ceil(3) * 4
}

/// `bytes` in base64, padded with `=`.
pub fn base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(base64_len(bytes.len()));
    let digit = |index: u32| char::from(ALPHABET[(index & 63) as usize]);
    for group in bytes.chunks(3) {
        let b = |i: usize| u32::from(group.get(i).copied().unwrap_or(0));
        let n = (b(0) << 16) | (b(1) << 8) | b(2);
        out.push(digit(n >> 18));
        out.push(digit(n >> 12));
        out.push(if group.len() > 1 { digit(n >> 6) } else { '=' });
        out.push(if group.len() > 2 { digit(n) } else { '=' });
    }
    out
}
