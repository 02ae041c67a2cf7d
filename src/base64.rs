//! Base64 (RFC 4648): the standard alphabet with padding (the `x-amz-checksum-*` values of a
//! chunked upload's trailer, a POST policy; Cognito's SECRET_HASH, password claim signature and
//! SECRET_BLOCK) and the URL-safe one without padding (PKCE, JWT segments).
//!
//! Decoding is strict about the alphabet (a character outside it is an error, not skipped as
//! Node's `Buffer` skips it) and lenient where Node's decoder is and nothing is ambiguous:
//! missing `=` padding, non-zero bits after the last whole byte, and `-` `_` read as `+` `/`
//! in standard base64 (acij decodes SECRET_BLOCK with `Buffer`; moto sends a UUID there).

const STANDARD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL_SAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn encode_with(bytes: &[u8], alphabet: &[u8; 64], pad: bool) -> String {
    let mut out = String::with_capacity(base64_len(bytes.len()));
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        let chars = chunk.len() + 1;
        for i in 0..4 {
            if i < chars {
                out.push(char::from(alphabet[(n >> (18 - 6 * i) & 63) as usize]));
            } else if pad {
                out.push('=');
            }
        }
    }
    out
}

/// The length of `n` bytes in padded base64.
pub(crate) const fn base64_len(n: usize) -> usize {
    n.div_ceil(3) * 4
}

/// `bytes` in standard base64, padded with `=`.
pub fn base64(bytes: &[u8]) -> String {
    encode_with(bytes, STANDARD, true)
}

/// URL-safe base64 without padding (RFC 4648 §5, as PKCE and JWTs use it).
pub(crate) fn encode_url(bytes: &[u8]) -> String {
    encode_with(bytes, URL_SAFE, false)
}

fn decode_with(text: &str, alphabet: &[u8; 64], either: bool) -> Option<Vec<u8>> {
    let data = text.trim_end_matches('=');
    if text.len() - data.len() > 2 || data.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(data.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &c in data.as_bytes() {
        let value = match c {
            b'-' if either => 62,
            b'_' if either => 63,
            _ => alphabet.iter().position(|&a| a == c)? as u32,
        };
        acc = (acc << 6 | value) & 0xFFFF;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

/// Standard base64; `None` for a character outside the alphabet or an impossible length.
pub(crate) fn decode(text: &str) -> Option<Vec<u8>> {
    decode_with(text, STANDARD, true)
}

/// URL-safe base64, padded or not.
pub(crate) fn decode_url(text: &str) -> Option<Vec<u8>> {
    decode_with(text, URL_SAFE, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rfc4648_vectors() {
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), coded);
            assert_eq!(decode(coded).as_deref(), Some(plain.as_bytes()));
            assert_eq!(decode(coded.trim_end_matches('=')).as_deref(), Some(plain.as_bytes()));
        }
        assert_eq!(encode_url(&[0xfb, 0xff]), "-_8");
        assert_eq!(decode_url("-_8"), Some(vec![0xfb, 0xff]));
        assert_eq!(decode("-_8"), Some(vec![0xfb, 0xff]), "as Node's Buffer reads it");
        assert_eq!(decode_url("+/8"), None);
        assert_eq!(decode("secret"), Some(vec![0xb1, 0xe7, 0x2b, 0x7a])); // as Node's Buffer reads it
        for bad in ["a", "Zm9v!", "Zg===", "Zm 9v", "Zm9v.A"] {
            assert_eq!(decode(bad), None, "{bad}");
        }
    }
}
