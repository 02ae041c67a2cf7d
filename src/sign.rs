//! Signing a request: the four SigV4 tasks wired together, for the `Authorization` header or
//! for a presigned URL.

use std::borrow::Cow;
use std::fmt;

use crate::cache::SigningKeyCache;
use crate::canonical::{
    CanonicalHeaders, QueryParam, canonical_query_params, canonical_query_string, canonical_request, canonical_uri,
    wire_path_from_unencoded,
};
use crate::datetime::AmzDateTime;
use crate::encode::uri_encoded;
use crate::error::{Error, ErrorCode, Result};
use crate::request::{Payload, Request, check_size, parse_url_as, validate_header, validate_method};
use crate::secret::Credentials;
use crate::settings::{ContentSha256Header, PathInput, SessionTokenMode, SigningSettings};
use crate::signature::{
    ALGORITHM, SigningKey, UNSIGNED_PAYLOAD, authorization_header, credential_scope, sha256_hex, signature,
    signing_key, string_to_sign,
};
use crate::text::{decimal, excerpt, text};

/// The longest validity of a presigned URL: seven days.
pub const MAX_EXPIRES_IN: u64 = 604_800;

/// Everything besides the request that a signature depends on.
#[derive(Debug, Clone, Copy)]
pub struct SigningParams<'a> {
    pub credentials: &'a Credentials,
    pub region: &'a str,
    pub service: &'a str,
    /// The signing time. Pass the current time; tests pin it.
    pub time: AmzDateTime,
    pub settings: &'a SigningSettings,
}

/// Where the signature goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureLocation {
    /// The `Authorization` header (with `X-Amz-Date` and friends as headers).
    Headers,
    /// The query string of a presigned URL, valid for `expires_in` seconds (1 to 604800).
    Query { expires_in: u64 },
}

/// A signed request and every intermediate artefact of the signature.
#[derive(Clone, PartialEq, Eq)]
pub struct SignedRequest {
    pub method: String,
    /// The URL to send: for a presigned request it carries the signature; with
    /// [`PathInput::Unencoded`] its path is the encoded wire path.
    pub url: String,
    /// Every header to send: the request's own, then those the signer added (`host` when
    /// the request had none, `x-amz-date`, `x-amz-security-token`, `x-amz-content-sha256`,
    /// `authorization`).
    pub headers: Vec<(String, String)>,
    pub canonical_request: String,
    pub string_to_sign: String,
    pub credential_scope: String,
    pub signed_headers: String,
    pub payload_hash: String,
    pub signature: String,
    /// The `Authorization` header value, for header signing.
    pub authorization: Option<String>,
    /// The validity of a presigned URL, in seconds.
    pub expires_in: Option<u64>,
}

impl fmt::Debug for SignedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, String)> =
            self.headers.iter().map(|(n, v)| (n.as_str(), redact_session_token(&format!("{n}:{v}")))).collect();
        f.debug_struct("SignedRequest")
            .field("method", &self.method)
            .field("url", &redact_session_token(&self.url))
            .field("headers", &headers)
            .field("canonical_request", &redact_session_token(&self.canonical_request))
            .field("string_to_sign", &self.string_to_sign)
            .field("signed_headers", &self.signed_headers)
            .field("payload_hash", &self.payload_hash)
            .field("signature", &self.signature)
            .field("expires_in", &self.expires_in)
            .finish()
    }
}

/// Signs `request`, deriving the signing key.
pub fn sign(request: &Request<'_>, params: &SigningParams<'_>, location: SignatureLocation) -> Result<SignedRequest> {
    sign_with(request, params, location, None, &mut |secret, date, region, service| {
        signing_key(secret, date, region, service)
    })
}

/// Signs a received request again as its client did, with line 6 of the canonical request as
/// the verifier determined it from what arrived (see `verify`), instead of the rules for a
/// caller's payload.
pub(crate) fn sign_received(
    request: &Request<'_>,
    params: &SigningParams<'_>,
    location: SignatureLocation,
    payload_hash: &str,
) -> Result<SignedRequest> {
    sign_with(request, params, location, Some(payload_hash), &mut |secret, date, region, service| {
        signing_key(secret, date, region, service)
    })
}

/// Signs `request`, taking the signing key from `cache` when it holds it.
pub fn sign_cached(
    request: &Request<'_>,
    params: &SigningParams<'_>,
    location: SignatureLocation,
    cache: &mut SigningKeyCache,
) -> Result<SignedRequest> {
    sign_with(request, params, location, None, &mut |secret, date, region, service| {
        cache.signing_key(secret, date, region, service)
    })
}

type DeriveKey<'c> = dyn FnMut(&str, &str, &str, &str) -> SigningKey + 'c;

fn sign_with(
    request: &Request<'_>,
    params: &SigningParams<'_>,
    location: SignatureLocation,
    received_payload_hash: Option<&str>,
    derive_key: &mut DeriveKey<'_>,
) -> Result<SignedRequest> {
    check_size(request.url, &request.headers)?;
    let settings = params.settings;
    let credentials = params.credentials;
    credentials.validate()?;
    validate_scope_part(params.region, ErrorCode::MissingRegion, ErrorCode::InvalidRegion, "region", "us-east-1")?;
    validate_scope_part(
        params.service,
        ErrorCode::MissingService,
        ErrorCode::InvalidService,
        "service",
        "execute-api",
    )?;
    validate_method(request.method)?;
    let expires_in = match location {
        SignatureLocation::Headers => None,
        SignatureLocation::Query { expires_in } => Some(validate_expires_in(expires_in)?),
    };
    let presigning = expires_in.is_some();
    for (name, value) in &request.headers {
        validate_header(name, value)?;
    }
    let given = |name: &str| Given::of(&request.headers, name);

    let url = parse_url_as(request.url, settings.path_input)?;
    let query = match (url.query, request.query) {
        (Some(_), Some(_)) => {
            return Err(Error::new(
                ErrorCode::ConflictingQueryParameter,
                "the URL has a query and a separate query was given too; give the query in one place",
            ));
        }
        (in_url, given) => in_url.or(given),
    };
    let wire_path: Cow<'_, str> = match settings.path_input {
        PathInput::Encoded => Cow::Borrowed(url.path),
        PathInput::Unencoded => Cow::Owned(wire_path_from_unencoded(url.path)),
    };
    let mut query_params = match query {
        Some(query) => canonical_query_params(query, settings.query_plus)?,
        None => Vec::new(),
    };
    // The checks of a caller's intent do not apply to a request signed again for verification:
    // what it carries is what arrived, and whatever differs shows in the signature.
    let received = received_payload_hash.is_some();
    if !received {
        check_query_not_signed(&query_params, presigning)?;
    }
    if !received && given("authorization").count > 0 {
        return Err(Error::new(
            ErrorCode::AlreadySigned,
            "the request already has an Authorization header; remove it before signing (a request is signed once, right before it is sent)",
        ));
    }
    for required in ["host", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token"] {
        if settings.is_unsigned(required) {
            return Err(Error::new(
                ErrorCode::RequiredHeaderExcluded,
                text!(
                    "'",
                    required,
                    "' is in the unsigned headers, but SigV4 requires it to be signed whenever it is sent; remove it from that list"
                ),
            ));
        }
    }
    let host_header = given("host");
    let host = match (received, host_header.count) {
        // The host headers that arrived are signed as they are, repeated or not.
        (true, 1..) => String::new(),
        _ => resolve_host(url.host.as_deref(), host_header, settings.host_override.as_deref())?,
    };

    let time = params.time;
    let amz_date = time.amz_date_time();
    let given_date = given("x-amz-date");
    if presigning && given_date.count > 0 {
        return Err(Error::new(
            ErrorCode::ConflictingHeader,
            "the request has an x-amz-date header, but a presigned URL carries its date in the query; remove the header",
        ));
    }
    if given_date.count > 1 || (given_date.count == 1 && given_date.first.trim_ascii() != amz_date) {
        return Err(Error::new(
            ErrorCode::ConflictingHeader,
            text!(
                "the request has an x-amz-date header (",
                excerpt(given_date.first),
                ") besides the signing time ",
                amz_date,
                "; remove the header and let the signer add it, or sign with that time"
            ),
        ));
    }

    let session_token = credentials.session_token.as_ref().map(|t| t.expose());
    let token_signed = session_token.filter(|_| settings.session_token == SessionTokenMode::Signed);
    let given_token = given("x-amz-security-token");
    if session_token.is_some() && given_token.count > 0 {
        let same = given_token.count == 1 && Some(given_token.first.trim_ascii()) == token_signed;
        if presigning || !same {
            return Err(Error::new(
                ErrorCode::ConflictingHeader,
                "the request has an x-amz-security-token header and the credentials carry a session token; remove the header and let the signer add the token",
            ));
        }
    }

    let given_content_sha256 = given("x-amz-content-sha256");
    let payload_hash = match received_payload_hash {
        Some(received) => received.to_owned(),
        None => payload_hash(request.payload, given_content_sha256, presigning)?,
    };

    // Task 1: the canonical request.
    let mut added_headers: Vec<(String, String)> = Vec::new();
    if host_header.count == 0 {
        added_headers.push(("host".into(), host));
    }
    if !presigning {
        if given_date.count == 0 {
            added_headers.push(("x-amz-date".into(), amz_date.clone()));
        }
        if let (Some(token), 0) = (token_signed, given_token.count) {
            added_headers.push(("x-amz-security-token".into(), token.to_owned()));
        }
        // A payload hash that is not a SHA-256 (UNSIGNED-PAYLOAD, STREAMING-...) reaches the
        // service only through this header, so it is always sent.
        let header_needed =
            settings.content_sha256_header == ContentSha256Header::Include || !is_sha256_hex(&payload_hash);
        if header_needed && given_content_sha256.count == 0 {
            added_headers.push(("x-amz-content-sha256".into(), payload_hash.clone()));
        }
    }
    let canonical_headers = CanonicalHeaders::new(
        request
            .headers
            .iter()
            .copied()
            .chain(added_headers.iter().map(|(n, v)| (n.as_str(), v.as_str())))
            .filter(|(name, _)| !settings.is_unsigned(name)),
    );
    let signed_headers = canonical_headers.signed_headers();
    let scope = credential_scope(time, params.region, params.service);

    let mut presign_params: Vec<QueryParam> = Vec::new();
    if let Some(expires_in) = expires_in {
        let credential = text!(credentials.access_key_id, "/", scope);
        let mut add = |name: &str, value: &str| {
            presign_params.push(QueryParam { name: name.into(), value: uri_encoded(value.as_bytes(), false) })
        };
        add("X-Amz-Algorithm", ALGORITHM);
        add("X-Amz-Credential", &credential);
        add("X-Amz-Date", &amz_date);
        add("X-Amz-Expires", &decimal(expires_in));
        if let Some(token) = token_signed {
            add("X-Amz-Security-Token", token);
        }
        add("X-Amz-SignedHeaders", &signed_headers);
        query_params.extend(presign_params.iter().cloned());
    }
    let canonical_uri = canonical_uri(&wire_path, settings)?;
    let canonical_query = canonical_query_string(query_params);
    let canonical_request =
        canonical_request(request.method, &canonical_uri, &canonical_query, &canonical_headers, &payload_hash);

    // Tasks 2 and 3: the string to sign and the signature.
    let string_to_sign = string_to_sign(time, &scope, &canonical_request);
    let key = derive_key(credentials.secret_access_key.expose(), &time.amz_date(), params.region, params.service);
    let signature = signature(&key, &string_to_sign);

    // Task 4: add the signature to the request.
    let mut headers: Vec<(String, String)> =
        request.headers.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect();
    let appended_token = session_token.filter(|_| settings.session_token == SessionTokenMode::AppendedAfterSigning);
    let mut url_text = text!(url.origin, wire_path);
    let authorization = if presigning {
        headers.extend(added_headers);
        let mut separator = match query {
            Some(query) => {
                url_text.push('?');
                url_text.push_str(query);
                if query.is_empty() || query.ends_with('&') { "" } else { "&" }
            }
            None => "?",
        };
        for param in &presign_params {
            url_text.push_str(separator);
            url_text.push_str(&param.name);
            url_text.push('=');
            url_text.push_str(&param.value);
            separator = "&";
        }
        url_text.push_str("&X-Amz-Signature=");
        url_text.push_str(&signature);
        if let Some(token) = appended_token {
            url_text.push_str("&X-Amz-Security-Token=");
            url_text.push_str(&uri_encoded(token.as_bytes(), false));
        }
        None
    } else {
        if let Some(query) = query {
            url_text.push('?');
            url_text.push_str(query);
        }
        let authorization = authorization_header(&credentials.access_key_id, &scope, &signed_headers, &signature);
        headers.extend(added_headers);
        headers.push(("authorization".into(), authorization.clone()));
        if let Some(token) = appended_token {
            headers.push(("x-amz-security-token".into(), token.to_owned()));
        }
        Some(authorization)
    };

    Ok(SignedRequest {
        method: request.method.to_owned(),
        url: url_text,
        headers,
        canonical_request,
        string_to_sign,
        credential_scope: scope,
        signed_headers,
        payload_hash,
        signature,
        authorization,
        expires_in,
    })
}

/// Checks a region or service name: it becomes a `/`-separated part of the credential scope.
pub(crate) fn validate_scope_part(
    value: &str,
    missing: ErrorCode,
    invalid: ErrorCode,
    what: &str,
    example: &str,
) -> Result<()> {
    if value.is_empty() {
        return Err(Error::new(
            missing,
            text!("the ", what, " is empty; pass the ", what, " of the endpoint, for example '", example, "'"),
        ));
    }
    if !value.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')) {
        return Err(Error::new(
            invalid,
            text!(
                "the ",
                what,
                " '",
                excerpt(value),
                "' may only contain letters, digits, '-', '_' and '.'; for example '",
                example,
                "'"
            ),
        ));
    }
    Ok(())
}

pub(crate) fn validate_expires_in(expires_in: u64) -> Result<u64> {
    if (1..=MAX_EXPIRES_IN).contains(&expires_in) {
        Ok(expires_in)
    } else {
        Err(Error::new(
            ErrorCode::ExpiresOutOfRange,
            text!(
                "a presigned URL can be valid for 1 to 604800 seconds (7 days), not ",
                decimal(expires_in),
                "; AWS rejects anything else"
            ),
        ))
    }
}

/// The query parameters a signature writes. A request that carries them is signed already.
pub(crate) const SIGNATURE_QUERY_PARAMS: &[&str] =
    &["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders"];
/// The query parameters presigning writes besides those.
pub(crate) const PRESIGN_QUERY_PARAMS: &[&str] = &["X-Amz-Date", "X-Amz-Expires", "X-Amz-Security-Token"];

fn check_query_not_signed(params: &[QueryParam], presigning: bool) -> Result<()> {
    for param in params {
        if SIGNATURE_QUERY_PARAMS.iter().any(|p| p.eq_ignore_ascii_case(&param.name)) {
            return Err(Error::new(
                ErrorCode::AlreadySigned,
                text!(
                    "the URL already has the query parameter ",
                    param.name,
                    "; it is a presigned URL already, so sign the URL without its X-Amz-* parameters"
                ),
            ));
        }
        if presigning && PRESIGN_QUERY_PARAMS.iter().any(|p| p.eq_ignore_ascii_case(&param.name)) {
            return Err(Error::new(
                ErrorCode::ConflictingQueryParameter,
                text!(
                    "the URL has the query parameter ",
                    param.name,
                    ", which presigning writes itself; remove it and pass the expiry and session token as signing options"
                ),
            ));
        }
    }
    Ok(())
}

/// The error for a request that names no host.
pub fn missing_host() -> Error {
    Error::new(
        ErrorCode::MissingHost,
        "the request target is a path without a host; use an absolute URL (https://host/path) or add a host header",
    )
}

/// How often a request carries a header (any case), and its first value.
#[derive(Debug, Clone, Copy, Default)]
struct Given<'a> {
    count: usize,
    first: &'a str,
}

impl<'a> Given<'a> {
    fn of(headers: &[(&'a str, &'a str)], name: &str) -> Self {
        let mut given = Self::default();
        for (n, v) in headers {
            if n.eq_ignore_ascii_case(name) {
                if given.count == 0 {
                    given.first = v;
                }
                given.count += 1;
            }
        }
        given
    }
}

/// The host to sign: the host override, else the request's `host` header, else the URL's.
fn resolve_host(url_host: Option<&str>, header: Given<'_>, host_override: Option<&str>) -> Result<String> {
    if header.count > 1 {
        return Err(Error::new(
            ErrorCode::ConflictingHeader,
            "the request has more than one host header; send exactly one",
        ));
    }
    let header_host = (header.count == 1).then(|| header.first.trim_ascii());
    if let Some(host) = host_override {
        if host.is_empty() || !host.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._:[]".contains(&b)) {
            return Err(Error::new(
                ErrorCode::InvalidHeaderValue,
                text!("the host override '", excerpt(host), "' is not a host name with an optional :port"),
            ));
        }
        if let Some(header) = header_host.filter(|h| !h.eq_ignore_ascii_case(host)) {
            return Err(Error::new(
                ErrorCode::ConflictingHeader,
                text!(
                    "the host header '",
                    excerpt(header),
                    "' differs from the host override '",
                    excerpt(host),
                    "'; keep one of them"
                ),
            ));
        }
        return Ok(host.to_owned());
    }
    match (header_host, url_host) {
        (Some(header), Some(url)) if !header.eq_ignore_ascii_case(url) => Err(Error::new(
            ErrorCode::ConflictingHeader,
            text!(
                "the host header '",
                excerpt(header),
                "' differs from the URL's host '",
                excerpt(url),
                "'; remove the header, or set the host override when the signed host must differ from the one connected to"
            ),
        )),
        (Some(header), _) => Ok(header.to_owned()),
        (None, Some(url)) => Ok(url.to_owned()),
        (None, None) => Err(missing_host()),
    }
}

/// The literal payload hashes S3 defines besides a hex SHA-256.
const PAYLOAD_HASH_LITERALS: &[&str] = &[
    UNSIGNED_PAYLOAD,
    "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
    "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD",
    "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER",
];

pub(crate) fn is_sha256_hex(value: &str) -> bool {
    value.len() == 64 && value.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Checks a payload hash given by the caller. Hex is accepted in either case and returned
/// lowercase, unless `exact` (a header value that is sent as it is).
pub(crate) fn validate_payload_hash(value: &str, exact: bool) -> Result<String> {
    let lowered = if exact { value.to_owned() } else { value.to_ascii_lowercase() };
    if is_sha256_hex(&lowered) || PAYLOAD_HASH_LITERALS.contains(&value) {
        return Ok(if PAYLOAD_HASH_LITERALS.contains(&value) { value.to_owned() } else { lowered });
    }
    Err(Error::new(
        ErrorCode::InvalidPayloadHash,
        text!(
            "'",
            excerpt(value),
            "' is not a payload hash; use 64 ",
            if exact { "lowercase " } else { "" },
            "hex digits of SHA-256, or one of UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD(-TRAILER), STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD(-TRAILER)"
        ),
    ))
}

/// Line 6 of the canonical request. An `x-amz-content-sha256` header the caller set is what
/// the service will compare with, so it wins, and must agree with the payload.
fn payload_hash(payload: Payload<'_>, given_header: Given<'_>, presigning: bool) -> Result<String> {
    if given_header.count > 1 || (presigning && given_header.count > 0) {
        return Err(Error::new(
            ErrorCode::ConflictingHeader,
            if presigning {
                "the request has an x-amz-content-sha256 header, which a presigned URL must not sign; remove it and pass the payload hash as an option"
            } else {
                "the request has more than one x-amz-content-sha256 header; send exactly one"
            },
        ));
    }
    let body = match payload {
        Payload::Bytes(body) => Some(body),
        Payload::Precomputed(_) | Payload::Unsigned => None,
    };
    let declared = match payload {
        Payload::Bytes(_) => None,
        Payload::Precomputed(hash) => Some(validate_payload_hash(hash.trim_ascii(), false)?),
        Payload::Unsigned => Some(UNSIGNED_PAYLOAD.to_owned()),
    };
    let Some(given) = (given_header.count == 1).then_some(given_header.first) else {
        return Ok(declared.unwrap_or_else(|| sha256_hex(body.unwrap_or_default())));
    };
    let given = validate_payload_hash(given.trim_ascii(), true)?;
    match (declared, body) {
        (Some(hash), _) if hash != given => Err(Error::new(
            ErrorCode::ConflictingHeader,
            text!(
                "the x-amz-content-sha256 header (",
                given,
                ") differs from the payload hash option (",
                hash,
                "); keep one of them"
            ),
        )),
        // A body given along with its hash: the hash must be right, or the service answers
        // XAmzContentSHA256Mismatch. An empty body is a body too: a body sent some other way
        // is declared with the payload hash option instead.
        (None, Some(body)) if is_sha256_hex(&given) && sha256_hex(body) != given => Err(Error::new(
            ErrorCode::PayloadHashMismatch,
            text!(
                "the x-amz-content-sha256 header (",
                given,
                ") is not the SHA-256 of the ",
                decimal(body.len() as u64),
                "-byte body (",
                sha256_hex(body),
                "); remove the header and let the signer hash the body, or pass the hash as the payload hash option when the body is sent some other way"
            ),
        )),
        _ => Ok(given),
    }
}

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
