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
    CanonicalHeaders, push_canonical_query_string, push_canonical_request_end, push_canonical_uri, query_pairs,
    wire_path_from_unencoded,
};
use crate::checks::{
    Given, check_content_length, check_content_sha256_header, check_date_header, check_input, check_not_signed_yet,
    check_required_headers_signed, check_session_token_header, one_query, resolve_host,
};
use crate::datetime::AmzDateTime;
use crate::encode::{Pair, uri_encode, uri_encoded};
use crate::error::Result;
use crate::payload::{payload_hash, sends_content_sha256};
use crate::redact::redact_session_token;
use crate::request::{ParsedUrl, Request, parse_url_as};
use crate::secret::Credentials;
use crate::settings::{PathInput, QueryPlus, SessionTokenMode, SigningSettings};
use crate::signature::{
    ALGORITHM, SigningKey, authorization_header, credential_scope_of, sha256_hex, signature, signing_key,
    string_to_sign_of_hash,
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
    sign_with(request, UrlRead::default(), params, location, Purpose::Sending, &mut derive_signing_key, &mut sha256_hex)
}

fn derive_signing_key(secret: &str, date: &str, region: &str, service: &str) -> SigningKey {
    signing_key(secret, date, region, service)
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
    sign_with(
        request,
        UrlRead::default(),
        params,
        location,
        Purpose::Verifying { payload_hash },
        &mut derive_signing_key,
        &mut sha256_hex,
    )
}

/// Signs `request`, taking the signing key from `cache` when it holds it. (Its body repeats
/// [`sign_resolved`]'s on purpose: calling that with this crate's SHA-256 costs the size-built
/// binary a second copy of the signing path.)
pub fn sign_cached(
    request: &Request<'_>,
    params: &SigningParams<'_>,
    location: SignatureLocation,
    cache: &mut SigningKeyCache,
) -> Result<SignedRequest> {
    sign_with(
        request,
        UrlRead::default(),
        params,
        location,
        Purpose::Sending,
        &mut |secret, date, region, service| cache.signing_key(secret, date, region, service),
        &mut sha256_hex,
    )
}

/// Signs a request [`SignOptions::resolve_reading`](crate::SignOptions::resolve_reading) was
/// made for, with the region, service and settings it decided in `params`, and with the
/// feature `speed` the URL it read, which is then not read again (`None`: it is, and why it
/// cannot be is reported in signing's order, after the checks made first). `sha256_hex` hashes
/// the canonical request (Task 2): a runtime's own SHA-256 (the JavaScript binding's) is faster
/// than this crate's in WebAssembly from a few blocks on; it must return the SHA-256 of what it
/// is given, as lowercase hex ([`sha256_hex`]).
pub fn sign_resolved<'r>(
    request: &Request<'r>,
    url: Option<ParsedUrl<'r>>,
    params: &SigningParams<'_>,
    location: SignatureLocation,
    cache: &mut SigningKeyCache,
    sha256_hex: &mut impl FnMut(&[u8]) -> String,
) -> Result<SignedRequest> {
    #[cfg(not(feature = "speed"))]
    let url = {
        let _read_again = url;
        UrlRead::default()
    };
    sign_with(
        request,
        url,
        params,
        location,
        Purpose::Sending,
        &mut |secret, date, region, service| cache.signing_key(secret, date, region, service),
        sha256_hex,
    )
}

/// The request's URL as its caller read it already ([`sign_resolved`]), which signing then
/// does not read again: with the feature `speed`. Without it, signing reads the URL in every
/// case and this is nothing, which keeps the signer's binary as it was (passing the `None`
/// through cost it 60 B gzipped).
#[cfg(feature = "speed")]
type UrlRead<'r> = Option<ParsedUrl<'r>>;
#[cfg(not(feature = "speed"))]
type UrlRead<'r> = std::marker::PhantomData<ParsedUrl<'r>>;

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

fn sign_with<'r>(
    request: &Request<'r>,
    url: UrlRead<'r>,
    params: &SigningParams<'_>,
    location: SignatureLocation,
    purpose: Purpose<'_>,
    derive_key: &mut DeriveKey<'_>,
    // Generic: every caller but sign_resolved passes this crate's sha256_hex, which is then
    // called directly, in one copy of this function (two with the feature `speed`, whose
    // binding passes its own to sign_resolved).
    sha256_hex: &mut (impl FnMut(&[u8]) -> String + ?Sized),
) -> Result<SignedRequest> {
    // Before Task 1: check the input, read the request target, decide what the signer adds.
    check_input(request, params, location, purpose == Purpose::Sending)?;
    let target = Target::read(request, url, params.settings)?;
    let mut query_params = target.query_params(params.settings.query_plus)?;
    let expires_in = location.expires_in();
    let presigning = expires_in.is_some();
    if purpose == Purpose::Sending {
        check_not_signed_yet(&query_params, &request.headers, presigning)?;
    }
    check_required_headers_signed(params.settings)?;
    // The signing time as X-Amz-Date, and its first 8 characters, the date of the scope: made
    // once for the five places that need it.
    let amz_date_time = params.time.amz_date_time();
    let amz_date = &amz_date_time[..8];
    // The headers to send: the request's, then those the signer adds, and in Task 4 the
    // signature's.
    let mut headers = Vec::with_capacity(request.headers.len() + 6);
    for &(name, value) in &request.headers {
        headers.push((name.to_owned(), value.to_owned()));
    }
    let Additions { payload_hash, signed_token, appended_token } = Additions::decide(
        request,
        params,
        &amz_date_time,
        target.url.host.as_deref(),
        presigning,
        purpose,
        &mut headers,
    )?;

    // Task 1: the canonical request, each line written in turn into one string.
    let canonical_headers = canonical_headers(&headers, params.settings);
    let signed_headers = canonical_headers.signed_headers();
    let scope = credential_scope_of(amz_date, params.region, params.service);
    // A presigned URL's parameters, as Task 4 writes them into its query, signed with the
    // request's own.
    let presign_query = match expires_in {
        Some(expires_in) => {
            presign_query(params, &amz_date_time, &scope, expires_in, signed_token, &signed_headers, &mut query_params)
        }
        None => String::new(),
    };
    // With the feature `speed`, room for the whole text at once (the path and query may grow
    // by their encoding; 64 for the hash, 16 for the method and the newlines).
    let mut canonical_request = String::with_capacity(match cfg!(feature = "speed") {
        true => request.url.len() + presign_query.len() + canonical_headers.text_len() + signed_headers.len() + 96,
        false => 0,
    });
    canonical_request.push_str(request.method);
    canonical_request.push('\n');
    push_canonical_uri(&mut canonical_request, &target.wire_path, params.settings)?;
    canonical_request.push('\n');
    push_canonical_query_string(&mut canonical_request, query_params);
    canonical_request.push('\n');
    push_canonical_request_end(&mut canonical_request, &canonical_headers, &signed_headers, &payload_hash);

    // Task 2: the string to sign.
    let string_to_sign = string_to_sign_of_hash(&amz_date_time, &scope, &sha256_hex(canonical_request.as_bytes()));

    // Task 3: the signature.
    let secret = params.credentials.secret_access_key.expose();
    let key = derive_key(secret, amz_date, params.region, params.service);
    let signature = signature(&key, &string_to_sign);

    // Task 4: add the signature to the request.
    let url = target.url();
    let (url, authorization) = match expires_in {
        None => {
            let access_key_id = &params.credentials.access_key_id;
            let authorization = authorization_header(access_key_id, &scope, &signed_headers, &signature);
            add_authorization(&mut headers, &authorization, appended_token);
            (url, Some(authorization))
        }
        Some(_) => (presigned_url(url, target.query, &presign_query, &signature, appended_token), None),
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

/// The request target as signing reads it under the path rules: the URL, its one query, and
/// the path as it goes on the wire.
struct Target<'r> {
    url: ParsedUrl<'r>,
    query: Option<&'r str>,
    wire_path: Cow<'r, str>,
}

impl<'r> Target<'r> {
    /// `read`: the request's URL as its caller read it, if it did (under `settings.path_input`).
    fn read(request: &Request<'r>, read: UrlRead<'r>, settings: &SigningSettings) -> Result<Self> {
        #[cfg(feature = "speed")]
        let url = match read {
            Some(url) => url,
            None => parse_url_as(request.url, settings.path_input)?,
        };
        #[cfg(not(feature = "speed"))]
        let url = {
            let _ = read;
            parse_url_as(request.url, settings.path_input)?
        };
        let query = one_query(url.query, request.query)?;
        let wire_path = match settings.path_input {
            PathInput::Encoded => Cow::Borrowed(url.path),
            PathInput::Unencoded => Cow::Owned(wire_path_from_unencoded(url.path)),
        };
        Ok(Self { url, query, wire_path })
    }

    /// The query's parameters in canonical form.
    fn query_params(&self, plus: QueryPlus) -> Result<Vec<Pair>> {
        match self.query {
            Some(query) => query_pairs(query, plus),
            None => Ok(Vec::new()),
        }
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
    /// Line 6 of the canonical request.
    payload_hash: String,
    /// The session token in the canonical request ([`SessionTokenMode::Signed`]).
    signed_token: Option<&'p str>,
    /// The session token added after signing ([`SessionTokenMode::AppendedAfterSigning`]).
    appended_token: Option<&'p str>,
}

impl<'p> Additions<'p> {
    /// Decides, and adds to `headers` the headers the signer adds, in this order: `host` when
    /// the request has none; for header signing `x-amz-date`, a signed session token and
    /// `x-amz-content-sha256`, each when needed and not in the request.
    fn decide(
        request: &Request<'_>,
        params: &SigningParams<'p>,
        amz_date: &str,
        url_host: Option<&str>,
        presigning: bool,
        purpose: Purpose<'_>,
        headers: &mut Vec<Pair>,
    ) -> Result<Self> {
        let settings = params.settings;
        let given = |name: &str| Given::of(&request.headers, name);
        let given_host = given("host");
        let host = match (purpose, given_host.count) {
            // The host headers that arrived are signed as they are, repeated or not.
            (Purpose::Verifying { .. }, 1..) => None,
            _ => Some(resolve_host(url_host, given_host, settings.host_override.as_deref())?),
        };
        let given_date = given("x-amz-date");
        check_date_header(given_date, amz_date, presigning)?;
        let session_token = params.credentials.session_token.as_ref().map(|t| t.expose());
        let signed_token = session_token.filter(|_| settings.session_token == SessionTokenMode::Signed);
        let given_token = given("x-amz-security-token");
        check_session_token_header(given_token, session_token, signed_token, presigning)?;
        let given_content_sha256 = given("x-amz-content-sha256");
        let payload_hash = match purpose {
            Purpose::Verifying { payload_hash } => payload_hash.to_owned(),
            Purpose::Sending => {
                check_content_sha256_header(given_content_sha256, presigning)?;
                if let Some(length) = request.payload.body_length() {
                    check_content_length(given("content-length"), length)?;
                }
                payload_hash(request.payload, given_content_sha256.only())?
            }
        };

        // Each header the signer adds when the request does not carry it. A presigned URL
        // carries the date and the session token in its query instead, and never the payload
        // hash.
        if let (Some(host), 0) = (host, given_host.count) {
            headers.push(("host".into(), host));
        }
        if !presigning {
            if given_date.count == 0 {
                headers.push(("x-amz-date".into(), amz_date.to_owned()));
            }
            if let (Some(token), 0) = (signed_token, given_token.count) {
                headers.push(("x-amz-security-token".into(), token.to_owned()));
            }
            let content_sha256_sent = sends_content_sha256(settings.content_sha256_header, &payload_hash);
            if content_sha256_sent && given_content_sha256.count == 0 {
                headers.push(("x-amz-content-sha256".into(), payload_hash.clone()));
            }
        }
        let appended_token = session_token.filter(|_| settings.session_token == SessionTokenMode::AppendedAfterSigning);
        Ok(Self { payload_hash, signed_token, appended_token })
    }
}

/// The canonical headers: those of the request to send (its own and those the signer adds),
/// but the unsigned ones.
fn canonical_headers(headers: &[Pair], settings: &SigningSettings) -> CanonicalHeaders {
    let mut signed = Vec::new();
    for (name, value) in headers {
        if !settings.is_unsigned(name) {
            signed.push(CanonicalHeaders::entry(name, value));
        }
    }
    CanonicalHeaders::joined(signed)
}

/// The query parameters presigning adds in Task 1, in canonical form, added to `signed` and
/// returned as they are written into the URL: `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=...`.
/// <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html>
fn presign_query(
    params: &SigningParams<'_>,
    amz_date_time: &str,
    scope: &str,
    expires_in: u64,
    signed_token: Option<&str>,
    signed_headers: &str,
    signed: &mut Vec<Pair>,
) -> String {
    let mut written = String::new();
    let mut add = |name: &str, value: &str| {
        let value = uri_encoded(value.as_bytes(), false);
        if !written.is_empty() {
            written.push('&');
        }
        written.push_str(name);
        written.push('=');
        written.push_str(&value);
        signed.push((name.to_owned(), value));
    };
    add("X-Amz-Algorithm", ALGORITHM);
    add("X-Amz-Credential", &text!(params.credentials.access_key_id, "/", scope));
    add("X-Amz-Date", amz_date_time);
    add("X-Amz-Expires", &decimal(expires_in));
    if let Some(token) = signed_token {
        add("X-Amz-Security-Token", token);
    }
    add("X-Amz-SignedHeaders", signed_headers);
    written
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
    mut url: String,
    query: Option<&str>,
    presign_query: &str,
    signature: &str,
    appended_token: Option<&str>,
) -> String {
    let separator = match query {
        Some(query) if query.is_empty() || query.ends_with("&") => "",
        Some(_) => "&",
        None => "?",
    };
    for part in [separator, presign_query, "&X-Amz-Signature=", signature] {
        url.push_str(part);
    }
    if let Some(token) = appended_token {
        url.push_str("&X-Amz-Security-Token=");
        uri_encode(token.as_bytes(), false, &mut url);
    }
    url
}
