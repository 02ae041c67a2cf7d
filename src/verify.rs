//! Verifying a signed request, as an AWS service does: recompute the canonical request from
//! what arrived, and compare signatures in constant time.
//!
//! The failure messages follow the wording AWS services (API Gateway, IAM-authorized APIs)
//! use, so that a local server built on this answers the way AWS would. A signature mismatch
//! carries the canonical request and string to sign the verifier computed
//! ([`Error::server_computed`]), as AWS returns them, with session tokens redacted.

use crate::canonical::{CanonicalHeaders, QueryParam, canonical_query_params};
use crate::checks::{PRESIGN_QUERY_PARAMS, SIGNATURE_QUERY_PARAMS};
use crate::chunked::{ChecksumAlgorithm, ChunkSigner, ChunkedMode, STREAMING_PAYLOAD};
use crate::chunked_verify::{ChunkedVerifier, decoded_length_of};
use crate::datetime::AmzDateTime;
use crate::encode::percent_decode;
use crate::error::{Error, ErrorCode, Result, ServerComputed};
use crate::payload::is_sha256_hex;
use crate::redact::redact_session_token;
use crate::request::{ParsedUrl, Payload, Request, check_size, header_values, is_token, parse_url};
use crate::secret::{Credentials, Secret};
use crate::settings::{ContentSha256Header, PathInput, SigningSettings};
use crate::sign::{MAX_EXPIRES_IN, SignatureLocation, SigningParams, sign_received};
use crate::signature::{
    ALGORITHM, SCOPE_TERMINATOR, SigningKey, UNSIGNED_PAYLOAD, constant_time_eq, sha256_hex, signing_key,
};
use crate::text::{decimal, excerpt, parse_decimal, text};

/// What the verifier knows about one access key.
#[derive(Debug, Clone)]
pub struct VerifierKey {
    pub secret_access_key: Secret,
    /// The session token issued with temporary credentials. When set, a request must carry
    /// exactly this token; when not, it must carry none.
    pub session_token: Option<Secret>,
}

/// How the verifying service canonicalizes, and what it accepts.
#[derive(Debug, Clone)]
pub struct VerifySettings {
    /// The region and service a credential scope must name.
    pub region: String,
    pub service: String,
    /// Path and query rules of the service, and whether it expects a session token signed
    /// or appended after signing. The path is always read as it arrived
    /// ([`PathInput::Encoded`]); the header selection is the signer's and does not apply.
    pub canonicalization: SigningSettings,
    /// How far the signing time of a header-signed request may be from now: AWS allows 15
    /// minutes.
    pub max_clock_skew_seconds: i64,
    /// S3's payload rules. On: line 6 of the canonical request is what `x-amz-content-sha256`
    /// declares, `UNSIGNED-PAYLOAD` included (the body is then not covered by the signature),
    /// and a presigned URL signs `UNSIGNED-PAYLOAD`. Off (the default): it is the SHA-256 of
    /// the body received, as API Gateway, STS and most services compute it, so a request
    /// signed with `UNSIGNED-PAYLOAD` does not verify. Either way a hex
    /// `x-amz-content-sha256` must be the SHA-256 of the body received.
    pub allow_unsigned_payload: bool,
    /// Lowercase names of headers that must be signed whenever a request carries them, on
    /// top of `host` (which AWS always requires); a name ending in `*` is a prefix (S3 requires
    /// `x-amz-*`, in [`VerifySettings::s3`]). API Gateway requires nothing more; stricter
    /// S3-compatible servers (Ceph RGW) require `content-type`.
    pub required_signed_headers: Vec<String>,
}

impl VerifySettings {
    pub fn new(region: impl Into<String>, service: impl Into<String>) -> Self {
        Self {
            region: region.into(),
            service: service.into(),
            canonicalization: SigningSettings::default(),
            max_clock_skew_seconds: 15 * 60,
            allow_unsigned_payload: false,
            required_signed_headers: Vec::new(),
        }
    }
}

impl VerifySettings {
    /// S3's rules: its canonicalization ([`SigningSettings::s3`]), its payload rules
    /// ([`VerifySettings::allow_unsigned_payload`]), and every `x-amz-*` header signed.
    pub fn s3(region: impl Into<String>) -> Self {
        Self {
            canonicalization: SigningSettings::s3(),
            allow_unsigned_payload: true,
            required_signed_headers: vec!["x-amz-*".into()],
            ..Self::new(region, "s3")
        }
    }
}

/// Where the request carried its signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerifiedLocation {
    Headers,
    Query { expires_in: u64 },
}

/// A request whose signature checked out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub access_key_id: String,
    pub credential_scope: String,
    pub signed_headers: Vec<String>,
    pub signed_at: AmzDateTime,
    pub location: VerifiedLocation,
    pub canonical_request: String,
}

/// The parts of a SigV4 signature as a request carries them.
struct Presented {
    access_key_id: String,
    scope_date: String,
    scope_region: String,
    scope_service: String,
    scope_terminator: String,
    signed_headers: Vec<String>,
    signature: String,
    time: AmzDateTime,
    location: VerifiedLocation,
}

/// The message API Gateway gives for a bad access key or session token.
const INVALID_TOKEN_MESSAGE: &str = "The security token included in the request is invalid.";

/// Verifies `request` (as received: a path-only URL with its `host` header, or an absolute
/// URL) at time `now`. `lookup` returns what the verifier knows about an access key id, or
/// `None` for an unknown key.
/// `request.payload` is the body received ([`Payload::Bytes`]) or its SHA-256 computed by the
/// server as it streamed in ([`Payload::Precomputed`], 64 hex digits).
pub fn verify(
    request: &Request<'_>,
    now: AmzDateTime,
    settings: &VerifySettings,
    lookup: impl FnOnce(&str) -> Option<VerifierKey>,
) -> Result<Verified> {
    verify_seed(request, now, settings, lookup, None).map(|(verified, _)| verified)
}

/// Verifies the seed request of an aws-chunked upload (`x-amz-content-sha256` one of the
/// `STREAMING-*` payload hashes, `content-encoding: aws-chunked`, `x-amz-decoded-content-length`,
/// and with a trailer `x-amz-trailer`) as [`verify`] verifies a request, and returns the
/// [`ChunkedVerifier`] of its body: its chunk signatures chain from the seed's. The request's
/// payload is not read (the body goes through the verifier). A header-signed request only:
/// S3 takes no presigned chunked upload.
pub fn verify_chunked(
    request: &Request<'_>,
    now: AmzDateTime,
    settings: &VerifySettings,
    lookup: impl FnOnce(&str) -> Option<VerifierKey>,
) -> Result<(Verified, ChunkedVerifier)> {
    let seed = chunked_seed(&request.headers)?;
    // STREAMING-UNSIGNED-PAYLOAD-TRAILER signs neither the chunks nor the trailer: the body is
    // as unsigned as with UNSIGNED-PAYLOAD, and taken only where that is.
    if !seed.mode.signs_chunks() && !settings.allow_unsigned_payload {
        return Err(Error::new(
            ErrorCode::UnsupportedPayload,
            "STREAMING-UNSIGNED-PAYLOAD-TRAILER leaves the body unsigned; it is verified only where unsigned payloads are allowed (allowUnsignedPayload, on with the S3 settings)",
        ));
    }
    let (verified, key) = verify_seed(request, now, settings, lookup, Some(seed.mode))?;
    let (signature, key) = key.ok_or_else(|| {
        Error::new(
            ErrorCode::UnsupportedPayload,
            "a chunked upload is signed in the Authorization header, not presigned",
        )
    })?;
    let signer = seed.mode.signs_chunks().then(|| ChunkSigner {
        key,
        amz_date_time: verified.signed_at.amz_date_time(),
        credential_scope: verified.credential_scope.clone(),
        previous: signature,
    });
    let verifier = ChunkedVerifier::new(seed.mode, seed.decoded_length, seed.checksum, signer)?;
    Ok((verified, verifier))
}

/// What the seed request of a chunked upload declares.
struct ChunkedSeed {
    mode: ChunkedMode,
    decoded_length: u64,
    checksum: Option<ChecksumAlgorithm>,
}

/// One header the request carries exactly once, or `None` when it carries none.
fn single_header<'a>(headers: &[(&'a str, &'a str)], name: &str) -> Result<Option<&'a str>> {
    match header_values(headers, name).as_slice() {
        [] => Ok(None),
        [value] => Ok(Some(value.trim_ascii())),
        [_, _, ..] => Err(Error::new(
            ErrorCode::InvalidChunkedUpload,
            text!("The request carries more than one ", name, " header; send exactly one."),
        )),
    }
}

fn chunked_seed(headers: &[(&str, &str)]) -> Result<ChunkedSeed> {
    let declared = single_header(headers, "x-amz-content-sha256")?.unwrap_or_default();
    let Some(mode) = ChunkedMode::from_payload_hash(declared) else {
        return Err(Error::new(
            ErrorCode::UnsupportedPayload,
            text!(
                "x-amz-content-sha256 is '",
                excerpt(declared),
                "'; a chunked upload verified here declares STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or STREAMING-UNSIGNED-PAYLOAD-TRAILER"
            ),
        ));
    };
    let encodings = header_values(headers, "content-encoding");
    let chunked =
        encodings.iter().flat_map(|v| v.split(',')).any(|e| e.trim_ascii().eq_ignore_ascii_case("aws-chunked"));
    if !chunked {
        return Err(Error::new(
            ErrorCode::InvalidChunkedUpload,
            text!(mode.payload_hash(), " needs Content-Encoding: aws-chunked; the request does not carry it"),
        ));
    }
    let decoded_length = match single_header(headers, "x-amz-decoded-content-length")? {
        Some(value) => decoded_length_of(value)?,
        None => {
            return Err(Error::new(
                ErrorCode::InvalidChunkedUpload,
                "a chunked upload carries x-amz-decoded-content-length, the body's length before encoding; the request does not",
            ));
        }
    };
    let trailer = single_header(headers, "x-amz-trailer")?;
    let checksum = match (mode.has_trailer(), trailer) {
        (true, Some(name)) => Some(ChecksumAlgorithm::parse(name).map_err(|_| {
            Error::new(
                ErrorCode::UnsupportedPayload,
                text!(
                    "x-amz-trailer is '",
                    excerpt(name),
                    "'; this verifier checks a trailer of x-amz-checksum-crc32, -crc32c or -sha256"
                ),
            )
        })?),
        (true, None) => {
            return Err(Error::new(
                ErrorCode::InvalidChunkedUpload,
                text!(mode.payload_hash(), " sends a trailer: the request must declare it in x-amz-trailer"),
            ));
        }
        (false, Some(_)) => {
            return Err(Error::new(
                ErrorCode::InvalidChunkedUpload,
                text!(STREAMING_PAYLOAD, " has no trailer; the request declares one in x-amz-trailer"),
            ));
        }
        (false, None) => None,
    };
    Ok(ChunkedSeed { mode, decoded_length, checksum })
}

/// [`verify`], and for a chunked upload's seed (`chunked`), the seed signature and the signing
/// key its chunks are signed with.
fn verify_seed(
    request: &Request<'_>,
    now: AmzDateTime,
    settings: &VerifySettings,
    lookup: impl FnOnce(&str) -> Option<VerifierKey>,
    chunked: Option<ChunkedMode>,
) -> Result<(Verified, Option<(String, SigningKey)>)> {
    check_size(request.url, &request.headers)?;
    if request.query.is_some() {
        return Err(Error::new(
            ErrorCode::InvalidUrl,
            "verify reads the query from the URL as it arrived; pass the request target whole",
        ));
    }
    let url = parse_url(request.url)?;
    let query_params = match url.query {
        Some(query) => canonical_query_params(query, settings.canonicalization.query_plus)?,
        None => Vec::new(),
    };
    let values_of = |name: &str| header_values(&request.headers, name);
    let presented = read_presented(&request.headers, &query_params, url.query)?;
    // A sorted set, for lookups in log time: a request may sign thousands of headers.
    let signed_set = CanonicalHeaders::new(presented.signed_headers.iter().map(|name| (name.as_str(), "")));
    let signed = |name: &str| signed_set.contains(name);

    if !signed("host") {
        return Err(Error::new(
            ErrorCode::HostNotSigned,
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
        ));
    }
    if presented.location == VerifiedLocation::Headers && !signed("x-amz-date") {
        return Err(Error::new(
            ErrorCode::MalformedAuthorization,
            "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.",
        ));
    }
    // A presigned URL carries its time and token in the query; the same in a header would be
    // a second value that one reader takes and another ignores.
    if presented.location != VerifiedLocation::Headers {
        if !values_of("x-amz-security-token").is_empty() {
            return Err(Error::new(
                ErrorCode::InvalidSecurityToken,
                "A presigned request carries its session token in X-Amz-Security-Token; an X-Amz-Security-Token header is refused.",
            ));
        }
        if !values_of("x-amz-date").is_empty() {
            return Err(Error::new(
                ErrorCode::MalformedAuthorization,
                "A presigned request carries its date in X-Amz-Date; an X-Amz-Date header is refused.",
            ));
        }
    }
    let required = |name: &str| {
        settings.required_signed_headers.iter().any(|pattern| match pattern.strip_suffix('*') {
            Some(prefix) => name.starts_with(prefix),
            None => name == pattern,
        })
    };
    let unsigned =
        request.headers.iter().map(|(name, _)| name.to_ascii_lowercase()).find(|n| required(n) && !signed(n));
    if let Some(unsigned) = unsigned {
        return Err(Error::new(
            ErrorCode::HeaderNotSigned,
            text!(
                "There were headers present in the request which were not signed: '",
                excerpt(&unsigned),
                "' must be a 'SignedHeader' when the request carries it; sign it, or do not send it"
            ),
        ));
    }
    check_scope(&presented, settings)?;
    check_time(&presented, now, settings.max_clock_skew_seconds)?;

    let Some(key) = lookup(&presented.access_key_id) else {
        return Err(Error::new(ErrorCode::UnknownAccessKey, INVALID_TOKEN_MESSAGE));
    };
    let presented_token = match presented.location {
        VerifiedLocation::Headers => match values_of("x-amz-security-token").as_slice() {
            [] => None,
            [token] => Some(token.trim_ascii().to_owned()),
            [_, _, ..] => {
                return Err(Error::new(
                    ErrorCode::InvalidSecurityToken,
                    "The request carries more than one X-Amz-Security-Token header; send exactly one.",
                ));
            }
        },
        VerifiedLocation::Query { .. } => query_value(url.query, "X-Amz-Security-Token"),
    };
    let token_ok = match (&key.session_token, &presented_token) {
        (None, None) => true,
        (Some(expected), Some(given)) => constant_time_eq(expected.expose().as_bytes(), given.as_bytes()),
        _ => false,
    };
    if !token_ok {
        return Err(Error::new(ErrorCode::InvalidSecurityToken, INVALID_TOKEN_MESSAGE));
    }

    // Verifying is signing again what the client signed: the signed headers as they arrived,
    // the URL without the signature's parameters, the time and scope it presented.
    let mut credentials = Credentials::new(presented.access_key_id.as_str(), key.secret_access_key);
    credentials.session_token = key.session_token;
    let rules = SigningSettings {
        path_input: PathInput::Encoded,
        content_sha256_header: ContentSha256Header::Omit,
        default_unsigned_headers: false,
        also_unsigned: Vec::new(),
        host_override: None,
        ..settings.canonicalization.clone()
    };
    let location = match presented.location {
        VerifiedLocation::Headers => SignatureLocation::Headers,
        VerifiedLocation::Query { expires_in } => SignatureLocation::Query { expires_in },
    };
    let mut payload_hash = match chunked {
        Some(mode) if presented.location == VerifiedLocation::Headers => mode.payload_hash().to_owned(),
        Some(_) => {
            return Err(Error::new(
                ErrorCode::UnsupportedPayload,
                "a chunked upload is signed in the Authorization header; a presigned one is refused",
            ));
        }
        None => received_payload_hash(request, settings.allow_unsigned_payload)?,
    };
    // Under S3's rules a presigned URL signs UNSIGNED-PAYLOAD unless it signed the header.
    let presigned = presented.location != VerifiedLocation::Headers;
    if presigned && settings.allow_unsigned_payload && !signed("x-amz-content-sha256") {
        payload_hash = UNSIGNED_PAYLOAD.to_owned();
    }
    // A header signature signed the whole query, even parameters named like a presigned one.
    let unsigned_url = match presented.location {
        VerifiedLocation::Headers => request.url.to_owned(),
        VerifiedLocation::Query { .. } => without_signature_params(&url),
    };
    let mut headers: Vec<(&str, &str)> =
        request.headers.iter().copied().filter(|(name, _)| signed(&name.to_ascii_lowercase())).collect();
    // A signed header the request does not carry is in AWS's canonical request with an empty
    // value (`content-type:`). Those the signer adds itself are left to it.
    let carried = CanonicalHeaders::new(headers.iter().copied());
    for name in &presented.signed_headers {
        let added_by_signer = matches!(name.as_str(), "host" | "x-amz-date" | "x-amz-security-token");
        if !added_by_signer && !carried.contains(name) {
            headers.push((name.as_str(), ""));
        }
    }
    let resigned =
        Request { method: request.method, url: &unsigned_url, headers, payload: request.payload, query: None };
    let params = SigningParams {
        credentials: &credentials,
        region: &presented.scope_region,
        service: &presented.scope_service,
        time: presented.time,
        settings: &rules,
    };
    let computed = sign_received(&resigned, &params, location, &payload_hash)?;
    let canonical_request = redact_session_token(&computed.canonical_request);
    // Signing may add headers the service requires (a session token, host); the client's
    // list must be exactly what was signed, as in the canonical request AWS computes.
    let same_headers = computed.signed_headers.split(';').eq(presented.signed_headers.iter().map(String::as_str));
    if !same_headers || !constant_time_eq(computed.signature.as_bytes(), presented.signature.as_bytes()) {
        return Err(Error::new(
            ErrorCode::SignatureMismatch,
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
        )
        .with_server_computed(ServerComputed { canonical_request, string_to_sign: computed.string_to_sign }));
    }
    let chunk_key = chunked.map(|_| {
        let key = signing_key(
            credentials.secret_access_key.expose(),
            &presented.scope_date,
            &presented.scope_region,
            &presented.scope_service,
        );
        (presented.signature.clone(), key)
    });
    let verified = Verified {
        access_key_id: presented.access_key_id,
        credential_scope: computed.credential_scope,
        signed_headers: presented.signed_headers,
        signed_at: presented.time,
        location: presented.location,
        canonical_request,
    };
    Ok((verified, chunk_key))
}

/// Line 6 of the canonical request as the service determines it from what arrived: the body
/// received and the `x-amz-content-sha256` header (see [`VerifySettings::allow_unsigned_payload`]).
fn received_payload_hash(request: &Request<'_>, allow_unsigned: bool) -> Result<String> {
    let body_hash = match request.payload {
        Payload::Bytes(body) => sha256_hex(body),
        Payload::Precomputed(hash) | Payload::Hashed { sha256: hash, .. } if is_sha256_hex(hash) => hash.to_owned(),
        Payload::Precomputed(_) | Payload::Hashed { .. } | Payload::Unsigned => {
            return Err(Error::new(
                ErrorCode::InvalidPayloadHash,
                "verify needs the body received, or its SHA-256 as 64 lowercase hex digits",
            ));
        }
    };
    let declared = match header_values(&request.headers, "x-amz-content-sha256").as_slice() {
        [] => None,
        [declared] => Some(declared.trim_ascii()),
        [_, _, ..] => {
            return Err(Error::new(
                ErrorCode::InvalidPayloadHash,
                "The request carries more than one x-amz-content-sha256 header; send exactly one.",
            ));
        }
    };
    match declared {
        // aws-chunked bodies carry a signature per chunk, which `verify` does not check: it
        // refuses them rather than accept a body it has not verified; verify_chunked checks
        // them as the body streams.
        Some(streaming) if streaming.starts_with("STREAMING-") => Err(Error::new(
            ErrorCode::UnsupportedPayload,
            text!(
                "x-amz-content-sha256 is '",
                excerpt(streaming),
                "': an aws-chunked body is verified chunk by chunk as it streams; use verify_chunked (verifyChunked in JavaScript)"
            ),
        )),
        Some(hash) if is_sha256_hex(hash) && hash != body_hash => Err(Error::new(
            ErrorCode::PayloadHashMismatch,
            "The provided 'x-amz-content-sha256' header does not match what was computed.",
        )),
        Some(hash) if is_sha256_hex(hash) => Ok(body_hash),
        Some(UNSIGNED_PAYLOAD) if allow_unsigned => Ok(UNSIGNED_PAYLOAD.to_owned()),
        // The service hashes the body it received, whatever the client declared.
        Some(UNSIGNED_PAYLOAD) => Ok(body_hash),
        Some(other) => Err(Error::new(
            ErrorCode::InvalidPayloadHash,
            text!(
                "x-amz-content-sha256 must be UNSIGNED-PAYLOAD or the SHA-256 of the body in lowercase hex, not '",
                excerpt(other),
                "'"
            ),
        )),
        None => Ok(body_hash),
    }
}

/// The URL without the query parameters a presigned signature consists of.
fn without_signature_params(url: &ParsedUrl<'_>) -> String {
    let mut out = text!(url.origin, url.path);
    let kept = url.query.into_iter().flat_map(|q| q.split('&')).filter(|pair| {
        let name = pair.split_once('=').map_or(*pair, |(name, _)| name);
        !pair.is_empty() && !SIGNATURE_QUERY_PARAMS.contains(&name) && !PRESIGN_QUERY_PARAMS.contains(&name)
    });
    for (i, pair) in kept.enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        out.push_str(pair);
    }
    out
}

/// The decoded value of a query parameter that must appear at most once.
fn query_value(query: Option<&str>, name: &str) -> Option<String> {
    query?
        .split('&')
        .filter_map(|pair| pair.split_once('=').or(Some((pair, ""))))
        .find(|(n, _)| *n == name)
        .and_then(|(_, v)| String::from_utf8(percent_decode(v, false).ok()?).ok())
}

fn read_presented(headers: &[(&str, &str)], query_params: &[QueryParam], query: Option<&str>) -> Result<Presented> {
    let authorizations = header_values(headers, "authorization");
    let presigned = query_params.iter().any(|p| p.name.eq_ignore_ascii_case("X-Amz-Algorithm"));
    match (authorizations.as_slice(), presigned) {
        ([], false) => Err(Error::new(ErrorCode::MissingAuthentication, "Missing Authentication Token")),
        ([_, ..], true) => Err(Error::new(
            ErrorCode::MalformedAuthorization,
            "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified",
        )),
        ([authorization], false) => read_authorization_header(authorization, &header_values(headers, "x-amz-date")),
        ([_, _, ..], false) => Err(Error::new(
            ErrorCode::MalformedAuthorization,
            "the request has more than one Authorization header; send exactly one",
        )),
        ([], true) => read_presigned_query(query_params, query),
    }
}

fn read_authorization_header(authorization: &str, dates: &[&str]) -> Result<Presented> {
    let authorization = authorization.trim_ascii();
    let (algorithm, rest) = authorization.split_once(' ').unwrap_or((authorization, ""));
    if algorithm != ALGORITHM {
        return Err(Error::new(
            ErrorCode::UnsupportedAlgorithm,
            text!("Unsupported Authorization Type: '", excerpt(algorithm), "'; only ", ALGORITHM, " is accepted"),
        ));
    }
    let (mut credential, mut signed_headers, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let part = part.trim_ascii();
        let (name, value) = part.split_once('=').unwrap_or((part, ""));
        let slot = match name {
            "Credential" => &mut credential,
            "SignedHeaders" => &mut signed_headers,
            "Signature" => &mut signature,
            _ => continue,
        };
        if slot.replace(value).is_some() {
            return Err(Error::new(
                ErrorCode::MalformedAuthorization,
                text!(
                    "Authorization header has the '",
                    name,
                    "' parameter more than once; each of Credential, SignedHeaders and Signature must appear exactly once. Authorization=",
                    excerpt(authorization)
                ),
            ));
        }
    }
    let mut missing = String::new();
    for (present, requirement) in [
        (credential.is_some(), "Authorization header requires 'Credential' parameter. "),
        (signature.is_some(), "Authorization header requires 'Signature' parameter. "),
        (signed_headers.is_some(), "Authorization header requires 'SignedHeaders' parameter. "),
        (!dates.is_empty(), "Authorization header requires existence of a 'X-Amz-Date' header. "),
    ] {
        if !present {
            missing.push_str(requirement);
        }
    }
    let (Some(credential), Some(signed_headers), Some(signature), [date]) =
        (credential, signed_headers, signature, dates)
    else {
        if missing.is_empty() {
            missing = "the request has more than one X-Amz-Date header; send exactly one. ".into();
        }
        return Err(Error::new(
            ErrorCode::MalformedAuthorization,
            text!(missing, "Authorization=", excerpt(authorization)),
        ));
    };
    let time =
        AmzDateTime::parse(date.trim_ascii()).ok().filter(|_| date.trim_ascii().len() == 16).ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidDate,
                text!("X-Amz-Date '", excerpt(date), "' is not a date in the form 20150830T123600Z"),
            )
        })?;
    presented(credential, signed_headers, signature, time, VerifiedLocation::Headers)
}

fn read_presigned_query(params: &[QueryParam], query: Option<&str>) -> Result<Presented> {
    const REQUIRED: [&str; 6] = [
        "X-Amz-Algorithm",
        "X-Amz-Credential",
        "X-Amz-Signature",
        "X-Amz-Date",
        "X-Amz-SignedHeaders",
        "X-Amz-Expires",
    ];
    let requirement = "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters, once each.";
    // Every parameter of the signature, X-Amz-Security-Token included, appears at most once and
    // spelled exactly so (not percent-encoded, not in another case): a second copy would be
    // read by one reader and ignored by another.
    for param in params {
        let spelled =
            SIGNATURE_QUERY_PARAMS.iter().chain(PRESIGN_QUERY_PARAMS).find(|p| p.eq_ignore_ascii_case(&param.name));
        if let Some(name) = spelled {
            let once = params.iter().filter(|p| p.name.eq_ignore_ascii_case(name)).count() == 1;
            if !once || raw_query_value(query, name).is_none() {
                return Err(Error::new(
                    ErrorCode::MalformedAuthorization,
                    text!(
                        "The query parameter ",
                        name,
                        " must appear exactly once, spelled exactly so and not percent-encoded. ",
                        requirement
                    ),
                ));
            }
        }
    }
    if REQUIRED.iter().any(|name| raw_query_value(query, name).is_none()) {
        return Err(Error::new(ErrorCode::MalformedAuthorization, requirement));
    }
    let value = |name: &str| query_value(query, name).unwrap_or_default();
    if value("X-Amz-Algorithm") != ALGORITHM {
        return Err(Error::new(
            ErrorCode::UnsupportedAlgorithm,
            text!("X-Amz-Algorithm only supports '", ALGORITHM, "', not '", excerpt(&value("X-Amz-Algorithm")), "'"),
        ));
    }
    let expires_text = raw_query_value(query, "X-Amz-Expires").unwrap_or_default();
    let expires_in = match parse_decimal(expires_text) {
        Some(seconds) if (1..=MAX_EXPIRES_IN).contains(&seconds) && !expires_text.starts_with('0') => seconds,
        _ => {
            return Err(Error::new(
                ErrorCode::MalformedAuthorization,
                text!(
                    "X-Amz-Expires must be a whole number of seconds from 1 to 604800 (one week) without leading zeros, not '",
                    excerpt(expires_text),
                    "'"
                ),
            ));
        }
    };
    let date = value("X-Amz-Date");
    let time = AmzDateTime::parse(&date).ok().filter(|_| date.len() == 16).ok_or_else(|| {
        Error::new(
            ErrorCode::InvalidDate,
            text!("X-Amz-Date '", excerpt(&date), "' is not a date in the form 20150830T123600Z"),
        )
    })?;
    presented(
        &value("X-Amz-Credential"),
        &value("X-Amz-SignedHeaders"),
        // As sent: a signature is 64 hex digits, never percent-encoded.
        raw_query_value(query, "X-Amz-Signature").unwrap_or_default(),
        time,
        VerifiedLocation::Query { expires_in },
    )
}

/// The value of a query parameter exactly as written (not decoded), if it appears exactly
/// once spelled so.
fn raw_query_value<'q>(query: Option<&'q str>, name: &str) -> Option<&'q str> {
    let mut found = None;
    for pair in query?.split('&') {
        let (n, value) = pair.split_once('=').unwrap_or((pair, ""));
        if n == name && found.replace(value).is_some() {
            return None;
        }
    }
    found
}

fn presented(
    credential: &str,
    signed_headers: &str,
    signature: &str,
    time: AmzDateTime,
    location: VerifiedLocation,
) -> Result<Presented> {
    let parts: Vec<&str> = credential.split('/').collect();
    let [access_key_id, date, region, service, terminator] = parts.as_slice() else {
        return Err(Error::new(
            ErrorCode::MalformedAuthorization,
            text!(
                "Credential '",
                excerpt(credential),
                "' is not of the form <access key id>/<YYYYMMDD>/<region>/<service>/aws4_request"
            ),
        ));
    };
    if access_key_id.is_empty() {
        return Err(Error::new(ErrorCode::MalformedAuthorization, "Credential has an empty access key id"));
    }
    // Inline, like every error of the crate: each has its own code and words, and shares only
    // this shape (a value quoted in the message) with others, such as validate_header's.
    if !is_sha256_hex(signature) {
        return Err(Error::new(
            ErrorCode::MalformedAuthorization,
            text!(
                "Signature '",
                excerpt(signature),
                "' is not 64 lowercase hexadecimal digits, as a SigV4 signature is"
            ),
        ));
    }
    let well_formed = |name: &str| is_token(name) && !name.bytes().any(|b| b.is_ascii_uppercase());
    if !signed_headers.split(';').all(well_formed) {
        return Err(Error::new(
            ErrorCode::MalformedAuthorization,
            text!(
                "SignedHeaders '",
                excerpt(signed_headers),
                "' must be lowercase header names separated by single ';'"
            ),
        ));
    }
    Ok(Presented {
        access_key_id: (*access_key_id).to_owned(),
        scope_date: (*date).to_owned(),
        scope_region: (*region).to_owned(),
        scope_service: (*service).to_owned(),
        scope_terminator: (*terminator).to_owned(),
        signed_headers: signed_headers.split(';').map(str::to_owned).collect(),
        signature: signature.to_owned(),
        time,
        location,
    })
}

fn check_scope(presented: &Presented, settings: &VerifySettings) -> Result<()> {
    let mismatch = |message: String| Err(Error::new(ErrorCode::CredentialScopeMismatch, message));
    if presented.scope_date != presented.time.amz_date() {
        return mismatch(text!(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '",
            excerpt(&presented.scope_date),
            "' != '",
            presented.time.amz_date(),
            "', from '",
            presented.time.amz_date_time(),
            "'."
        ));
    }
    if presented.scope_region != settings.region {
        return mismatch(text!(
            "Credential should be scoped to a valid region, not '",
            excerpt(&presented.scope_region),
            "'. (This endpoint is in '",
            settings.region,
            "'.)"
        ));
    }
    if presented.scope_service != settings.service {
        return mismatch(text!("Credential should be scoped to correct service: '", settings.service, "'."));
    }
    if presented.scope_terminator != SCOPE_TERMINATOR {
        return mismatch(text!(
            "Credential should be scoped with a valid terminator: '",
            SCOPE_TERMINATOR,
            "', not '",
            excerpt(&presented.scope_terminator),
            "'."
        ));
    }
    Ok(())
}

fn check_time(presented: &Presented, now: AmzDateTime, max_skew: i64) -> Result<()> {
    let signed = presented.time;
    let skew = max_skew.max(0);
    let minutes = decimal((skew / 60).unsigned_abs());
    let shifted = |seconds: i64| now.checked_add_seconds(seconds).map_or_else(|| "?".to_owned(), |t| t.amz_date_time());
    if signed.unix_seconds() > now.unix_seconds().saturating_add(skew) {
        return Err(Error::new(
            ErrorCode::SignatureNotYetCurrent,
            text!(
                "Signature not yet current: ",
                signed.amz_date_time(),
                " is still later than ",
                shifted(skew),
                " (",
                now.amz_date_time(),
                " + ",
                minutes,
                " min.)"
            ),
        ));
    }
    match presented.location {
        VerifiedLocation::Headers if signed.unix_seconds() < now.unix_seconds().saturating_sub(skew) => {
            Err(Error::new(
                ErrorCode::SignatureExpired,
                text!(
                    "Signature expired: ",
                    signed.amz_date_time(),
                    " is now earlier than ",
                    shifted(-skew),
                    " (",
                    now.amz_date_time(),
                    " - ",
                    minutes,
                    " min.)"
                ),
            ))
        }
        VerifiedLocation::Query { expires_in }
            if now.unix_seconds() > signed.unix_seconds().saturating_add(expires_in as i64) =>
        {
            let end =
                signed.checked_add_seconds(expires_in as i64).map_or_else(|| "?".to_owned(), |t| t.amz_date_time());
            Err(Error::new(
                ErrorCode::RequestExpired,
                text!(
                    "Request has expired: signed at ",
                    signed.amz_date_time(),
                    ", valid for ",
                    decimal(expires_in),
                    " seconds until ",
                    end,
                    ", and it is now ",
                    now.amz_date_time(),
                    "."
                ),
            ))
        }
        _ => Ok(()),
    }
}
