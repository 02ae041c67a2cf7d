//! The request to sign, and the strict reading of its URL and headers.

use crate::error::{Error, ErrorCode, Result};
use crate::settings::PathInput;
use crate::text::{
    all_digits, all_in, alphanumeric_or, decimal, find_byte, hex_digits, parse_decimal, split_once_on, text,
};

/// The body of a request, or what stands for it in the canonical request.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Payload<'a> {
    /// The body bytes; the payload hash is their SHA-256. An empty slice is an empty body.
    Bytes(&'a [u8]),
    /// A payload hash computed elsewhere (a streamed file, the runtime's native hasher): 64
    /// hex digits, or one of the literal values S3 defines, such as
    /// `STREAMING-AWS4-HMAC-SHA256-PAYLOAD`.
    Precomputed(&'a str),
    /// `UNSIGNED-PAYLOAD`: the body is not covered by the signature. S3 accepts it, and it is
    /// the usual payload of a presigned S3 URL.
    Unsigned,
    /// The body, hashed elsewhere (the runtime's native SHA-256): its SHA-256 as 64 lowercase
    /// hex digits (checked as [`Payload::Precomputed`] is, but not lowercased) and its length
    /// in bytes. Signed and checked exactly as [`Payload::Bytes`] with that body: a
    /// `content-length` header must be `length`, an `x-amz-content-sha256` header `sha256`.
    Hashed { sha256: &'a str, length: usize },
}

impl Payload<'_> {
    /// The length of the body, where the payload is one.
    pub(crate) fn body_length(self) -> Option<usize> {
        match self {
            Self::Bytes(body) => Some(body.len()),
            Self::Hashed { length, .. } => Some(length),
            Self::Precomputed(_) | Self::Unsigned => None,
        }
    }
}

impl std::fmt::Debug for Payload<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            // A body may hold anything: show its size only.
            Self::Bytes(bytes) => write!(f, "Bytes({} bytes)", bytes.len()),
            Self::Precomputed(hash) => write!(f, "Precomputed({hash:?})"),
            Self::Unsigned => f.write_str("Unsigned"),
            Self::Hashed { sha256, length } => write!(f, "Hashed({sha256:?}, {length} bytes)"),
        }
    }
}

/// An HTTP request as the caller will send it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request<'a> {
    /// The method, as sent (`GET`, `POST`, ...).
    pub method: &'a str,
    /// An absolute URL (`https://host[:port]/path?query`), or a path with query
    /// (`/path?query`) together with a `host` header.
    pub url: &'a str,
    /// Headers in the order they are sent; a name may repeat.
    pub headers: Vec<(&'a str, &'a str)>,
    pub payload: Payload<'a>,
    /// The query string as it goes on the wire (`versionId=3&x=y`), given apart from the URL.
    /// Needed with [`PathInput::Unencoded`], where every `?` and `#` after the host belongs to
    /// the key; a URL that has a query of its own takes none here.
    pub query: Option<&'a str>,
}

impl<'a> Request<'a> {
    pub fn new(method: &'a str, url: &'a str) -> Self {
        Self { method, url, headers: Vec::new(), payload: Payload::Bytes(&[]), query: None }
    }

    pub fn query(mut self, query: &'a str) -> Self {
        self.query = Some(query);
        self
    }

    pub fn header(mut self, name: &'a str, value: &'a str) -> Self {
        self.headers.push((name, value));
        self
    }

    pub fn body(mut self, body: &'a [u8]) -> Self {
        self.payload = Payload::Bytes(body);
        self
    }

    pub fn payload(mut self, payload: Payload<'a>) -> Self {
        self.payload = payload;
        self
    }
}

/// The parts of a request URL that signing uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedUrl<'a> {
    /// `https://host:8443` for an absolute URL; empty for a path-only request target.
    pub origin: String,
    /// The `host` header value the URL implies: the host, lowercased, and the port unless it
    /// is the scheme's default. `None` for a path-only request target.
    pub host: Option<String>,
    /// The path as written in the URL; `/` when the URL has none.
    pub path: &'a str,
    /// The query without the `?`, as written. `None` when there is no `?`.
    pub query: Option<&'a str>,
}

/// `template` says what is wrong with the URL, which is its `{}`.
fn invalid_url(url: &str, template: &'static str) -> Error {
    Error::fill(ErrorCode::InvalidUrl, template, &[url])
}

/// Reads an absolute URL or a path-only request target. Raw spaces and non-ASCII
/// characters are accepted (the AWS suites write them); control characters are not, and the
/// fragment is dropped because it is never sent.
pub fn parse_url(url: &str) -> Result<ParsedUrl<'_>> {
    parse_url_as(url, PathInput::Encoded)
}

/// Reads a URL whose path is `path_input`: with [`PathInput::Unencoded`] the path is a literal
/// key that runs to the end of the URL, `?` and `#` included.
pub(crate) fn parse_url_as(url: &str, path_input: PathInput) -> Result<ParsedUrl<'_>> {
    let split_path = |path_and_query| match path_input {
        PathInput::Encoded => split_query(path_and_query),
        PathInput::Unencoded => (path_and_query, None),
    };
    // Printable ASCII, the usual URL, has no control character: with the feature `speed`, no
    // need to decode it.
    let printable = cfg!(feature = "speed") && url.bytes().all(|b| (b' '..=b'~').contains(&b));
    let control = if printable { None } else { url.chars().find(|c| c.is_control()) };
    if let Some(c) = control {
        return Err(Error::fill(
            ErrorCode::InvalidUrl,
            "'{}' contains the control character U+{}; percent-encode it or remove it",
            &[url, &hex_digits(u32::from(c))],
        ));
    }
    let without_fragment = match path_input {
        PathInput::Encoded => split_once_on(url, b'#').map_or(url, |(before, _)| before),
        PathInput::Unencoded => url,
    };
    // A request target in origin form. `//a` is the path `//a` here (the suites have such
    // paths), not a scheme-relative URL.
    if without_fragment.starts_with("/") {
        let (path, query) = split_path(without_fragment);
        return Ok(ParsedUrl { origin: String::new(), host: None, path, query });
    }
    let Some((scheme, rest)) = split_scheme(without_fragment) else {
        return Err(invalid_url(url, "'{}' is not an absolute URL (https://host/path) or a path starting with '/'"));
    };
    let scheme_ok = scheme.bytes().next().is_some_and(|b| b.is_ascii_alphabetic()) && alphanumeric_or(scheme, b"+-.");
    if !scheme_ok {
        return Err(invalid_url(url, "'{}' has an invalid scheme; use https:// or http://"));
    }
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" | "ws" => 80,
        "https" | "wss" => 443,
        _ => {
            return Err(Error::fill(
                ErrorCode::InvalidUrl,
                "'{}' has the scheme '{}', which is not HTTP; SigV4 signs HTTP requests: use https:// (or http://, wss:// for WebSocket APIs)",
                &[url, &scheme],
            ));
        }
    };
    let authority_end = rest.bytes().position(|b| b == b'/' || b == b'?').unwrap_or(rest.len());
    let (authority, path_and_query) = rest.split_at(authority_end);
    if find_byte(authority, b'@').is_some() {
        return Err(invalid_url(
            url,
            "'{}' has user information before '@'; SigV4 does not use it and it must not be sent, so remove it",
        ));
    }
    let (host, port) = split_host_port(authority).ok_or_else(|| {
        invalid_url(
            url,
            "'{}' has no valid host (letters, digits, '-', '.', or an [IPv6] literal, then an optional :port)",
        )
    })?;
    let host = host.to_ascii_lowercase();
    let host_header = match port {
        Some(port) if port != default_port => text!(host, ":", decimal(port.into())),
        _ => host,
    };
    // Without a path, a `?` right after the host can only start a query, and a `#` a fragment.
    let (path, query) = if path_and_query.starts_with("?") {
        split_query(split_once_on(path_and_query, b'#').map_or(path_and_query, |(before, _)| before))
    } else {
        split_path(path_and_query)
    };
    let path = if path.is_empty() { "/" } else { path };
    Ok(ParsedUrl { origin: text!(scheme, "://", host_header), host: Some(host_header), path, query })
}

/// `scheme://rest` split at the first `://`.
fn split_scheme(url: &str) -> Option<(&str, &str)> {
    let colon = find_byte(url, b':')?;
    url[colon..].strip_prefix("://").map(|rest| (&url[..colon], rest))
}

fn split_query(path_and_query: &str) -> (&str, Option<&str>) {
    match split_once_on(path_and_query, b'?') {
        Some((path, query)) => (path, Some(query)),
        None => (path_and_query, None),
    }
}

/// Splits `host[:port]`, validating both. The port is `None` when absent or empty.
fn split_host_port(authority: &str) -> Option<(&str, Option<u16>)> {
    let (host, port) = if let Some(rest) = authority.strip_prefix("[") {
        let close = find_byte(rest, b']')?;
        let literal = &rest[..close];
        if literal.is_empty() || !literal.bytes().all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.') {
            return None;
        }
        let after = &rest[close + 1..];
        let port = if after.is_empty() { "" } else { after.strip_prefix(":")? };
        (&authority[..close + 2], port)
    } else {
        let (host, port) = split_once_on(authority, b':').unwrap_or((authority, ""));
        let ok = !host.is_empty() && alphanumeric_or(host, b"-._");
        if !ok {
            return None;
        }
        (host, port)
    };
    if port.is_empty() {
        return Some((host, None));
    }
    if port.len() > 5 || !all_digits(port.as_bytes()) {
        return None;
    }
    let port = u16::try_from(parse_decimal(port)?).ok().filter(|p| *p != 0)?;
    Some((host, Some(port)))
}

/// The longest URL signing or verifying accepts. AWS's own limits are lower (API Gateway takes
/// URLs of up to 10,240 bytes), so this only stops input that can be nothing but a mistake or an
/// attack, and bounds the memory one call takes.
pub const MAX_URL_BYTES: usize = 64 * 1024;
/// The most header bytes (names and values together) signing or verifying accepts. API
/// Gateway takes 10,240 bytes of headers; S3 8 KiB of them.
pub const MAX_HEADER_BYTES: usize = 64 * 1024;

/// Refuses a request larger than [`MAX_URL_BYTES`] or [`MAX_HEADER_BYTES`] before any work.
pub(crate) fn check_size(url: &str, headers: &[(&str, &str)]) -> Result<()> {
    let header_bytes = headers.iter().fold(0usize, |sum, (n, v)| sum.saturating_add(n.len()).saturating_add(v.len()));
    let (what, size, limit) = if url.len() > MAX_URL_BYTES {
        ("URL", url.len(), MAX_URL_BYTES)
    } else if header_bytes > MAX_HEADER_BYTES {
        ("headers (names and values together)", header_bytes, MAX_HEADER_BYTES)
    } else {
        return Ok(());
    };
    Err(Error::fill(
        ErrorCode::RequestTooLarge,
        "the {} take {} bytes, more than the {} this signer accepts (AWS services accept far less); send less",
        &[what, &decimal(size as u64), &decimal(limit as u64)],
    ))
}

/// The values of every header named `name` (compared case-insensitively), in order.
pub(crate) fn header_values<'a>(headers: &[(&'a str, &'a str)], name: &str) -> Vec<&'a str> {
    headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| *v).collect()
}

/// RFC 9110 `token` characters: what an HTTP method or header name may contain.
pub(crate) fn is_token(text: &str) -> bool {
    !text.is_empty() && alphanumeric_or(text, b"!#$%&'*+-.^_`|~")
}

pub(crate) fn validate_method(method: &str) -> Result<()> {
    if is_token(method) {
        Ok(())
    } else {
        Err(Error::fill(
            ErrorCode::InvalidMethod,
            "'{}' is not an HTTP method; use a name such as GET, PUT or POST",
            &[method],
        ))
    }
}

pub(crate) fn validate_header(name: &str, value: &str) -> Result<()> {
    if !is_token(name) {
        return Err(Error::fill(
            ErrorCode::InvalidHeaderName,
            "'{}' is not a valid header name; header names are letters, digits and !#$%&'*+-.^_`|~, with no spaces or colons",
            &[name],
        ));
    }
    // Header values travel as bytes; JavaScript runtimes send each character as one Latin-1
    // byte, so anything beyond ASCII would be signed as UTF-8 but sent differently. Line
    // breaks are accepted only as folded continuation lines, which canonicalization collapses.
    let bytes = value.as_bytes();
    if bytes.len() >= 64 && all_in(bytes, b' ', b'~') {
        return Ok(()); // a long value (a session token), eight bytes at a time
    }
    let bad = bytes.iter().enumerate().position(|(i, &b)| match b {
        b'\t' | b' '..=b'~' => false,
        b'\r' | b'\n' => !matches!(bytes.get(i + 1), Some(b' ' | b'\t' | b'\n' | b'\r')),
        _ => true,
    });
    if let Some(c) = bad.and_then(|at| value.get(at..)).and_then(|rest| rest.chars().next()) {
        let what = if c.is_ascii() { "a control character or a line break" } else { "a non-ASCII character" };
        return Err(Error::fill(
            ErrorCode::InvalidHeaderValue,
            "the value of header '{}' contains {} (U+{}); HTTP sends header values as ASCII, so percent-encode or base64-encode it",
            &[name, what, &hex_digits(u32::from(c))],
        ));
    }
    Ok(())
}
