//! Signing a request: the four SigV4 tasks, for the `Authorization` header or for a presigned
//! URL. <https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html>
//!
//! [`sign`] checks its input (src/checks.rs) and decides what the signer adds to the request:
//! the host, the date, the session token and the payload hash (src/payload.rs). Then each task
//! is one step:
//!
//! 1. the canonical request (src/canonical.rs), with the query parameters of a presigned URL;
//! 2. the string to sign (src/signature.rs);
//! 3. the signature, from the signing key (derived, or taken from a [`SigningKeyCache`]);
//! 4. the signature added to the request: the `Authorization` header, or the query of the
//!    presigned URL.

use std::borrow::Cow;
use std::fmt;

use crate::cache::SigningKeyCache;
use crate::canonical::{
    CanonicalHeaders, QueryParam, canonical_query_params, canonical_query_string, canonical_request, canonical_uri,
    wire_path_from_unencoded,
};
use crate::checks::{
    Given, check_content_sha256_header, check_date_header, check_input, check_not_signed_yet,
    check_required_headers_signed, check_session_token_header, one_query, resolve_host,
};
use crate::datetime::AmzDateTime;
use crate::encode::uri_encoded;
use crate::error::Result;
use crate::payload::{payload_hash, sends_content_sha256};
use crate::redact::redact_session_token;
use crate::request::{ParsedUrl, Payload, Request, parse_url_as};
use crate::secret::Credentials;
use crate::settings::{PathInput, SessionTokenMode, SigningSettings};
use crate::signature::{
    ALGORITHM, SigningKey, authorization_header, credential_scope, signature, signing_key, string_to_sign,
};
use crate::text::{decimal, text};

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

impl SignatureLocation {
    /// The validity of a presigned URL; `None` for header signing.
    fn expires_in(self) -> Option<u64> {
        match self {
            Self::Headers => None,
            Self::Query { expires_in } => Some(expires_in),
        }
    }
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
    sign_with(request, params, location, Purpose::Sending, &mut |secret, date, region, service| {
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
    sign_with(request, params, location, Purpose::Verifying { payload_hash }, &mut |secret, date, region, service| {
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
    sign_with(request, params, location, Purpose::Sending, &mut |secret, date, region, service| {
        cache.signing_key(secret, date, region, service)
    })
}

type DeriveKey<'c> = dyn FnMut(&str, &str, &str, &str) -> SigningKey + 'c;

/// Whose request is signed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Purpose<'h> {
    /// A caller's, about to be sent: every check of the caller's intent applies, and line 6 of
    /// the canonical request follows the payload rules (src/payload.rs).
    Sending,
    /// A received request, signed again by the verifier: what it carries is what arrived, and
    /// whatever differs shows in the signature. Line 6 is what the verifier determined.
    Verifying { payload_hash: &'h str },
}

fn sign_with(
    request: &Request<'_>,
    params: &SigningParams<'_>,
    location: SignatureLocation,
    purpose: Purpose<'_>,
    derive_key: &mut DeriveKey<'_>,
) -> Result<SignedRequest> {
    // Before Task 1: check the input, read the request target, decide what the signer adds.
    check_input(request, params, location)?;
    let target = Target::read(request, params.settings)?;
    let expires_in = location.expires_in();
    let presigning = expires_in.is_some();
    if purpose == Purpose::Sending {
        check_not_signed_yet(&target.query_params, &request.headers, presigning)?;
    }
    check_required_headers_signed(params.settings)?;
    let Additions { headers: added_headers, payload_hash, signed_token, appended_token } =
        Additions::decide(request, params, target.url.host.as_deref(), presigning, purpose)?;

    // Task 1: the canonical request.
    let canonical_headers = canonical_headers(request, &added_headers, params.settings);
    let signed_headers = canonical_headers.signed_headers();
    let scope = credential_scope(params.time, params.region, params.service);
    let presign_params = match expires_in {
        Some(expires_in) => presign_query_params(params, &scope, expires_in, signed_token, &signed_headers),
        None => Vec::new(),
    };
    let canonical_uri = canonical_uri(&target.wire_path, params.settings)?;
    let canonical_query = canonical_query_string([target.query_params.as_slice(), &presign_params].concat());
    let canonical_request =
        canonical_request(request.method, &canonical_uri, &canonical_query, &canonical_headers, &payload_hash);

    // Task 2: the string to sign.
    let string_to_sign = string_to_sign(params.time, &scope, &canonical_request);

    // Task 3: the signature.
    let secret = params.credentials.secret_access_key.expose();
    let key = derive_key(secret, &params.time.amz_date(), params.region, params.service);
    let signature = signature(&key, &string_to_sign);

    // Task 4: add the signature to the request.
    let mut headers: Vec<(String, String)> =
        request.headers.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).chain(added_headers).collect();
    let (url, authorization) = match expires_in {
        None => {
            let access_key_id = &params.credentials.access_key_id;
            let authorization = authorization_header(access_key_id, &scope, &signed_headers, &signature);
            add_authorization(&mut headers, &authorization, appended_token);
            (target.url(), Some(authorization))
        }
        Some(_) => (presigned_url(&target, &presign_params, &signature, appended_token), None),
    };

    Ok(SignedRequest {
        method: request.method.to_owned(),
        url,
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

/// The request target as signing reads it under the path rules: the URL, its one query, the
/// path as it goes on the wire, and the query's parameters in canonical form.
struct Target<'r> {
    url: ParsedUrl<'r>,
    query: Option<&'r str>,
    wire_path: Cow<'r, str>,
    query_params: Vec<QueryParam>,
}

impl<'r> Target<'r> {
    fn read(request: &Request<'r>, settings: &SigningSettings) -> Result<Self> {
        let url = parse_url_as(request.url, settings.path_input)?;
        let query = one_query(url.query, request.query)?;
        let wire_path = match settings.path_input {
            PathInput::Encoded => Cow::Borrowed(url.path),
            PathInput::Unencoded => Cow::Owned(wire_path_from_unencoded(url.path)),
        };
        let query_params = match query {
            Some(query) => canonical_query_params(query, settings.query_plus)?,
            None => Vec::new(),
        };
        Ok(Self { url, query, wire_path, query_params })
    }

    /// The URL to send, without a presigned signature: origin, wire path and query.
    fn url(&self) -> String {
        let mut url = text!(self.url.origin, self.wire_path);
        if let Some(query) = self.query {
            url.push('?');
            url.push_str(query);
        }
        url
    }
}

/// What the signer adds to the request besides the signature, each decided after checking
/// the request's own header of that name.
struct Additions<'p> {
    /// In this order: `host` when the request has none; for header signing `x-amz-date`, a
    /// signed session token and `x-amz-content-sha256`, each when needed and not in the
    /// request.
    headers: Vec<(String, String)>,
    /// Line 6 of the canonical request.
    payload_hash: String,
    /// The session token in the canonical request ([`SessionTokenMode::Signed`]).
    signed_token: Option<&'p str>,
    /// The session token added after signing ([`SessionTokenMode::AppendedAfterSigning`]).
    appended_token: Option<&'p str>,
}

impl<'p> Additions<'p> {
    fn decide(
        request: &Request<'_>,
        params: &SigningParams<'p>,
        url_host: Option<&str>,
        presigning: bool,
        purpose: Purpose<'_>,
    ) -> Result<Self> {
        let settings = params.settings;
        let given = |name: &str| Given::of(&request.headers, name);
        let host = host_to_add(given("host"), url_host, settings, purpose)?;
        let date = date_to_add(given("x-amz-date"), &params.time.amz_date_time(), presigning)?;
        let session_token = params.credentials.session_token.as_ref().map(|t| t.expose());
        let signed_token = session_token.filter(|_| settings.session_token == SessionTokenMode::Signed);
        let appended_token = session_token.filter(|_| settings.session_token == SessionTokenMode::AppendedAfterSigning);
        let token = token_to_add(given("x-amz-security-token"), session_token, signed_token, presigning)?;
        let given_content_sha256 = given("x-amz-content-sha256");
        let payload_hash = payload_hash_to_sign(request.payload, given_content_sha256, presigning, purpose)?;
        let content_sha256 = content_sha256_to_add(given_content_sha256, &payload_hash, settings, presigning);
        let headers = [
            ("host", host),
            ("x-amz-date", date),
            ("x-amz-security-token", token),
            ("x-amz-content-sha256", content_sha256),
        ];
        let headers = headers.into_iter().filter_map(|(name, value)| Some((name.to_owned(), value?))).collect();
        Ok(Self { headers, payload_hash, signed_token, appended_token })
    }
}

/// The `host` header the signer adds when the request has none: the host override, else the
/// URL's host.
fn host_to_add(
    given: Given<'_>,
    url_host: Option<&str>,
    settings: &SigningSettings,
    purpose: Purpose<'_>,
) -> Result<Option<String>> {
    // The host headers that arrived are signed as they are, repeated or not.
    if matches!(purpose, Purpose::Verifying { .. }) && given.count > 0 {
        return Ok(None);
    }
    let host = resolve_host(url_host, given, settings.host_override.as_deref())?;
    Ok((given.count == 0).then_some(host))
}

/// The `x-amz-date` header that header signing adds when the request has none: the signing
/// time. A presigned URL carries it in the query.
fn date_to_add(given: Given<'_>, amz_date: &str, presigning: bool) -> Result<Option<String>> {
    check_date_header(given, amz_date, presigning)?;
    Ok((!presigning && given.count == 0).then(|| amz_date.to_owned()))
}

/// The `x-amz-security-token` header that header signing adds when the request has none: a
/// signed session token. A presigned URL carries it in the query.
fn token_to_add(
    given: Given<'_>,
    session_token: Option<&str>,
    signed_token: Option<&str>,
    presigning: bool,
) -> Result<Option<String>> {
    check_session_token_header(given, session_token, signed_token, presigning)?;
    Ok(signed_token.filter(|_| !presigning && given.count == 0).map(str::to_owned))
}

/// Line 6 of the canonical request: for a caller's request by the payload rules
/// (src/payload.rs), for a received one what the verifier determined.
fn payload_hash_to_sign(
    payload: Payload<'_>,
    given_header: Given<'_>,
    presigning: bool,
    purpose: Purpose<'_>,
) -> Result<String> {
    match purpose {
        Purpose::Sending => {
            check_content_sha256_header(given_header, presigning)?;
            payload_hash(payload, given_header.only())
        }
        Purpose::Verifying { payload_hash } => Ok(payload_hash.to_owned()),
    }
}

/// The `x-amz-content-sha256` header that header signing adds when the request has none and
/// the payload rules send it (src/payload.rs). A presigned URL never carries it.
fn content_sha256_to_add(
    given: Given<'_>,
    payload_hash: &str,
    settings: &SigningSettings,
    presigning: bool,
) -> Option<String> {
    let needed = sends_content_sha256(settings.content_sha256_header, payload_hash);
    (needed && !presigning && given.count == 0).then(|| payload_hash.to_owned())
}

/// The canonical headers: the request's and those the signer adds, but the unsigned ones.
fn canonical_headers(
    request: &Request<'_>,
    added: &[(String, String)],
    settings: &SigningSettings,
) -> CanonicalHeaders {
    let added = added.iter().map(|(name, value)| (name.as_str(), value.as_str()));
    CanonicalHeaders::new(request.headers.iter().copied().chain(added).filter(|(name, _)| !settings.is_unsigned(name)))
}

/// The query parameters presigning adds in Task 1, in canonical form, in the order they are
/// written into the URL.
/// <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html>
fn presign_query_params(
    params: &SigningParams<'_>,
    scope: &str,
    expires_in: u64,
    signed_token: Option<&str>,
    signed_headers: &str,
) -> Vec<QueryParam> {
    let credential = text!(params.credentials.access_key_id, "/", scope);
    let amz_date = params.time.amz_date_time();
    let expires = decimal(expires_in);
    let mut written = vec![
        ("X-Amz-Algorithm", ALGORITHM),
        ("X-Amz-Credential", credential.as_str()),
        ("X-Amz-Date", amz_date.as_str()),
        ("X-Amz-Expires", expires.as_str()),
    ];
    if let Some(token) = signed_token {
        written.push(("X-Amz-Security-Token", token));
    }
    written.push(("X-Amz-SignedHeaders", signed_headers));
    written
        .into_iter()
        .map(|(name, value)| QueryParam { name: name.into(), value: uri_encoded(value.as_bytes(), false) })
        .collect()
}

/// Task 4 for header signing: the `Authorization` header after the request's headers, then a
/// session token appended after signing.
fn add_authorization(headers: &mut Vec<(String, String)>, authorization: &str, appended_token: Option<&str>) {
    headers.push(("authorization".into(), authorization.to_owned()));
    if let Some(token) = appended_token {
        headers.push(("x-amz-security-token".into(), token.to_owned()));
    }
}

/// Task 4 for presigning: the URL with the query parameters of Task 1 and the signature after
/// its own query, then a session token appended after signing.
fn presigned_url(
    target: &Target<'_>,
    presign_params: &[QueryParam],
    signature: &str,
    appended_token: Option<&str>,
) -> String {
    let mut url = target.url();
    let mut separator = match target.query {
        Some(query) if query.is_empty() || query.ends_with('&') => "",
        Some(_) => "&",
        None => "?",
    };
    for param in presign_params {
        url.push_str(separator);
        url.push_str(&param.name);
        url.push('=');
        url.push_str(&param.value);
        separator = "&";
    }
    url.push_str("&X-Amz-Signature=");
    url.push_str(signature);
    if let Some(token) = appended_token {
        url.push_str("&X-Amz-Security-Token=");
        url.push_str(&uri_encoded(token.as_bytes(), false));
    }
    url
}
