//! Task 1 of SigV4: the canonical request.
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#create-canonical-request>
//!
//! ```text
//! CanonicalRequest =
//!   HTTPMethod + '\n' + CanonicalURI + '\n' + CanonicalQueryString + '\n' +
//!   CanonicalHeaders + '\n' + SignedHeaders + '\n' + HashedPayload
//! ```

use crate::encode::{
    MalformedEscape, Pair, normalize_path, percent_decode, sort_pairs, sort_pairs_by, uri_encode, uri_encoded,
};
use crate::error::{Error, ErrorCode, Result};
use crate::settings::{PathEncoding, PathNormalization, QueryPlus, SigningSettings};
use crate::text::{all_in, decimal, split_on, split_once_on, text};

/// `CanonicalURI`: the path, normalized and URI-encoded under the service's rules.
///
/// `wire_path` is the path as it goes on the wire (see [`crate::PathInput`] for turning an
/// unencoded path into that form).
pub fn canonical_uri(wire_path: &str, settings: &SigningSettings) -> Result<String> {
    let mut out = String::with_capacity(wire_path.len() + 16);
    push_canonical_uri(&mut out, wire_path, settings)?;
    Ok(out)
}

/// [`canonical_uri`] written at the end of `out` (the canonical request, in src/sign.rs).
pub(crate) fn push_canonical_uri(out: &mut String, wire_path: &str, settings: &SigningSettings) -> Result<()> {
    let path = match settings.path_normalization {
        PathNormalization::Enabled => std::borrow::Cow::Owned(normalize_path(wire_path)),
        PathNormalization::Disabled if wire_path.is_empty() => std::borrow::Cow::Borrowed("/"),
        PathNormalization::Disabled => std::borrow::Cow::Borrowed(wire_path),
    };
    match settings.path_encoding {
        // The wire path is encoded once more: a `%` becomes `%25`.
        PathEncoding::Double => uri_encode(path.as_bytes(), true, out),
        // S3 decodes the path (a raw `+` meaning a space, `%2F` a slash of the key) and encodes
        // it again, keeping `/`.
        PathEncoding::Single => {
            let decoded = percent_decode(&path, true).map_err(|e| malformed_escape("path", wire_path, e))?;
            uri_encode(&decoded, true, out);
        }
    }
    Ok(())
}

/// The error for a `%` in `text` (the `what`) that starts no escape.
fn malformed_escape(what: &str, text: &str, escape: MalformedEscape) -> Error {
    Error::fill(
        ErrorCode::InvalidUrl,
        "the {} '{}' has a '%' at offset {} that is not followed by two hex digits; write a literal '%' as %25",
        &[what, text, &decimal(escape.0 as u64)],
    )
}

/// The path of an unencoded ([`crate::PathInput::Unencoded`]) request as it must go on the
/// wire: every byte but the unreserved ones and `/` percent-encoded.
pub fn wire_path_from_unencoded(path: &str) -> String {
    uri_encoded(path.as_bytes(), true)
}

/// One query parameter in canonical form: name and value each decoded from the URL and
/// encoded again with `UriEncode()`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct QueryParam {
    pub name: String,
    pub value: String,
}

/// Reads the query string of a URL into canonical parameters, keeping every value of a
/// repeated name. A parameter without `=` (`?acl`) has an empty value; `=` inside a value
/// belongs to the value.
pub fn canonical_query_params(query: &str, plus: QueryPlus) -> Result<Vec<QueryParam>> {
    let pairs = query_pairs(query, plus)?;
    Ok(pairs.into_iter().map(|(name, value)| QueryParam { name, value }).collect())
}

/// [`canonical_query_params`] as name/value pairs, which signing sorts as they are.
pub(crate) fn query_pairs(query: &str, plus: QueryPlus) -> Result<Vec<Pair>> {
    let plus_as_space = plus == QueryPlus::Space;
    let encode = |part: &str| -> Result<String> {
        // Unreserved characters only: decoding and encoding again gives the same text.
        if cfg!(feature = "speed")
            && part.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
        {
            return Ok(part.to_owned());
        }
        let decoded = percent_decode(part, plus_as_space).map_err(|e| malformed_escape("query parameter", part, e))?;
        Ok(uri_encoded(&decoded, false))
    };
    let mut pairs = Vec::new();
    for pair in split_on(query, b'&').filter(|pair| !pair.is_empty()) {
        let (name, value) = split_once_on(pair, b'=').unwrap_or((pair, ""));
        pairs.push((encode(name)?, encode(value)?));
    }
    Ok(pairs)
}

/// `CanonicalQueryString`: parameters sorted by encoded name, then encoded value (byte
/// order), joined as `name=value` with `&`.
pub fn canonical_query_string(params: Vec<QueryParam>) -> String {
    let mut out = String::new();
    push_canonical_query_string(&mut out, params.into_iter().map(|param| (param.name, param.value)).collect());
    out
}

/// [`canonical_query_string`] of name/value pairs, written at the end of `out` (the canonical
/// request, in src/sign.rs).
pub(crate) fn push_canonical_query_string(out: &mut String, mut pairs: Vec<Pair>) {
    sort_pairs(&mut pairs);
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(name);
        out.push('=');
        out.push_str(value);
    }
}

/// The headers that are signed: lowercase names in sorted order, each with its canonical
/// value (the values of a repeated header trimmed and joined with `,` in the order sent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanonicalHeaders {
    entries: Vec<(String, String)>,
}

impl CanonicalHeaders {
    /// Canonicalizes the given headers. Names are compared case-insensitively.
    pub fn new<'h>(headers: impl IntoIterator<Item = (&'h str, &'h str)>) -> Self {
        let mut pairs = Vec::new();
        for (name, value) in headers {
            pairs.push(Self::entry(name, value));
        }
        Self::joined(pairs)
    }

    /// A header as [`Self::joined`] takes it: the name lowercased, the value canonical.
    pub(crate) fn entry(name: &str, value: &str) -> Pair {
        (name.to_ascii_lowercase(), canonical_header_value(value))
    }

    /// Sorting first (stably, so a repeated header's values keep the order they are sent in)
    /// makes joining repeated names linear: thousands of headers cost n log n, not n². Apart
    /// from [`Self::new`], which is generic, so that each caller's copy of it stays small.
    pub(crate) fn joined(mut pairs: Vec<Pair>) -> Self {
        sort_pairs_by(&mut pairs, true);
        // Each value of a repeated name joins the first one's, in the same vector.
        pairs.dedup_by(|next, first| {
            let same = next.0 == first.0;
            if same {
                first.1.push(',');
                first.1.push_str(&next.1);
            }
            same
        });
        Self { entries: pairs }
    }

    /// `CanonicalHeaders`: each `name:value` followed by `\n`.
    pub fn text(&self) -> String {
        let mut out = String::with_capacity(self.text_len());
        self.push_text(&mut out);
        out
    }

    pub(crate) fn text_len(&self) -> usize {
        self.entries.iter().map(|(n, v)| n.len() + v.len() + 2).sum()
    }

    fn push_text(&self, out: &mut String) {
        for (name, value) in &self.entries {
            out.push_str(name);
            out.push(':');
            out.push_str(value);
            out.push('\n');
        }
    }

    /// `SignedHeaders`: the names joined with `;`.
    pub fn signed_headers(&self) -> String {
        // With the feature `speed`, room for all of it at once.
        let length = match cfg!(feature = "speed") {
            true => self.entries.iter().map(|(n, _)| n.len() + 1).sum(),
            false => 0,
        };
        let mut out = String::with_capacity(length);
        for (i, (name, _)) in self.entries.iter().enumerate() {
            if i > 0 {
                out.push(';');
            }
            out.push_str(name);
        }
        out
    }

    pub fn contains(&self, lowercase_name: &str) -> bool {
        self.entries.binary_search_by(|(n, _)| n.as_str().cmp(lowercase_name)).is_ok()
    }

    pub fn entries(&self) -> &[(String, String)] {
        &self.entries
    }
}

/// A header value with leading and trailing whitespace removed and every inner run of
/// whitespace (spaces, tabs, folded line breaks) collapsed to one space, even inside quotes.
pub fn canonical_header_value(value: &str) -> String {
    // Most values are canonical already: no leading, trailing or repeated space, no other
    // whitespace. With the feature `speed` they are copied as they are.
    // (Printable ASCII without a space, such as a date or a session token, at once.)
    if cfg!(feature = "speed") && value.len() >= 64 && all_in(value.as_bytes(), b'!', b'~') {
        return value.to_owned();
    }
    let mut after_space = true;
    let canonical = cfg!(feature = "speed")
        && value.bytes().all(|b| match b {
            b' ' => !std::mem::replace(&mut after_space, true),
            b'\t' | b'\r' | b'\n' => false,
            _ => {
                after_space = false;
                true
            }
        });
    if canonical && !after_space {
        return value.to_owned();
    }
    let space = |b: u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    let bytes = value.as_bytes();
    let mut out = String::with_capacity(value.len());
    let mut at = 0;
    while at < bytes.len() {
        let start = at;
        while at < bytes.len() && !space(bytes[at]) {
            at += 1;
        }
        if start < at {
            if !out.is_empty() {
                out.push(' ');
            }
            // A word ends at ASCII whitespace or the end: whole characters, so the slice exists.
            out.push_str(value.get(start..at).unwrap_or_default());
        }
        at += 1;
    }
    out
}

/// The canonical request: the six lines of task 1 joined with `\n`.
pub fn canonical_request(
    method: &str,
    canonical_uri: &str,
    canonical_query_string: &str,
    canonical_headers: &CanonicalHeaders,
    payload_hash: &str,
) -> String {
    let mut out = text!(method, "\n", canonical_uri, "\n", canonical_query_string, "\n");
    push_canonical_request_end(&mut out, canonical_headers, &canonical_headers.signed_headers(), payload_hash);
    out
}

/// The last three lines of a canonical request, written after its query line: the canonical
/// headers, the `SignedHeaders` line the caller has already, and the payload hash.
pub(crate) fn push_canonical_request_end(
    out: &mut String,
    canonical_headers: &CanonicalHeaders,
    signed_headers: &str,
    payload_hash: &str,
) {
    canonical_headers.push_text(out);
    for line in ["\n", signed_headers, "\n", payload_hash] {
        out.push_str(line);
    }
}
