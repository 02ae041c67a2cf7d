//! Redaction: session tokens taken out of text meant for logs and error details.

/// Where `needle` first occurs in `haystack`.
fn find_bytes(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

/// Replaces session token values in `text` with `** redacted **`, for logs and error details:
/// the whole rest of the line after `x-amz-security-token:` (a header line, whatever the token
/// contains), and the whole query value after `x-amz-security-token=` (up to `&`, `#`,
/// whitespace or the end).
pub fn redact_session_token(text: &str) -> String {
    const MARKER: &str = "x-amz-security-token";
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut search = 0;
    while let Some(found) = find_bytes(&lower.as_bytes()[search..], MARKER.as_bytes()) {
        let value_start = search + found + MARKER.len() + 1;
        // The ends are ASCII bytes, which never occur inside a multi-byte UTF-8 character.
        let value_end: fn(&u8) -> bool = match lower.as_bytes().get(value_start - 1) {
            Some(b':') => |b| matches!(b, b'\n' | b'\r'),
            Some(b'=') => |b| matches!(b, b'&' | b'#' | b'\n' | b'\r' | b' ' | b'\t'),
            _ => {
                search = value_start - 1;
                continue;
            }
        };
        let value_len = text.as_bytes()[value_start..].iter().position(value_end).unwrap_or(text.len() - value_start);
        out.push_str(&text[copied..value_start]);
        out.push_str("** redacted **");
        copied = value_start + value_len;
        search = copied;
    }
    out.push_str(&text[copied..]);
    out
}
