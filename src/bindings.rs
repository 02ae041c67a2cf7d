//! The JavaScript binding: the only Rust that names wasm-bindgen and js-sys types.
//!
//! Every export takes strings, bytes and `f64` (no `i64`, which wasm2js cannot pass) and
//! returns one string whose fields are separated by `\0`, a character none of them can
//! contain. One call in and one string out keeps the boundary cheap; `js/src/api.js` turns
//! JavaScript values into these arguments and the result back into objects, and documents
//! each field. Optional strings are empty when absent.

#[cfg(target_arch = "wasm32")]
mod alloc;

use std::cell::RefCell;

use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::*;

use crate::error::{decimal, text};
use crate::{
    AmzDateTime, ContentSha256Header, Credentials, Error, ErrorCode, PathEncoding, PathInput, PathNormalization,
    Payload, QueryPlus, Request, SessionTokenMode, SignatureLocation, SigningKeyCache, SigningParams, SigningSettings,
    VerifiedLocation, VerifierKey, VerifySettings, missing_host, parse_url, resolve_scope, sign_cached,
    signing_key_derivation,
};

const SEPARATOR: char = '\0';

thread_local! {
    static KEY_CACHE: RefCell<SigningKeyCache> = RefCell::new(SigningKeyCache::default());
}

/// A core error as a JavaScript `Error` named `SigV4Error` with a `code` (and, for a
/// signature mismatch, the verifier's `canonicalRequest` and `stringToSign`).
fn to_js_error(error: Error) -> JsValue {
    let js = js_sys::Error::new(error.message());
    js.set_name("SigV4Error");
    let set = |key: &str, value: &str| Reflect::set(&js, &JsValue::from_str(key), &JsValue::from_str(value)).is_ok();
    set("code", error.code().as_str());
    if let Some(computed) = error.server_computed() {
        set("canonicalRequest", &computed.canonical_request);
        set("stringToSign", &computed.string_to_sign);
    }
    js.into()
}

fn non_empty(value: &str) -> Option<&str> {
    (!value.is_empty()).then_some(value)
}

/// Header names and values, alternating.
fn pairs<'a>(mut fields: impl Iterator<Item = &'a str>) -> Vec<(&'a str, &'a str)> {
    let mut pairs = Vec::new();
    while let (Some(name), Some(value)) = (fields.next(), fields.next()) {
        pairs.push((name, value));
    }
    pairs
}

/// Settings from comma-separated flags, each turning one default into its alternative.
fn settings_from_flags(flags: &str) -> Result<SigningSettings, JsValue> {
    let mut settings = SigningSettings::default();
    for flag in flags.split(',').filter(|f| !f.is_empty()) {
        match flag {
            "single-encoding" => settings.path_encoding = PathEncoding::Single,
            "no-normalization" => settings.path_normalization = PathNormalization::Disabled,
            "unencoded-path" => settings.path_input = PathInput::Unencoded,
            "plus-is-space" => settings.query_plus = QueryPlus::Space,
            "token-appended" => settings.session_token = SessionTokenMode::AppendedAfterSigning,
            "content-sha256" => settings.content_sha256_header = ContentSha256Header::Include,
            other => return Err(js_sys::TypeError::new(&text!("unknown settings flag '", other, "'")).into()),
        }
    }
    Ok(settings)
}

/// Seconds from JavaScript, as a whole number, or the error the core gives for the range.
fn whole_seconds(value: f64, what: &str) -> Result<u64, JsValue> {
    if value.is_finite() && value.fract() == 0.0 && (0.0..=1e15).contains(&value) {
        Ok(value as u64)
    } else {
        // The value is not formatted: float formatting would double the size of the binary.
        Err(to_js_error(Error::new(
            ErrorCode::ExpiresOutOfRange,
            text!(what, " must be a whole number of seconds from 1 to 604800"),
        )))
    }
}

/// Signs a request: in the `Authorization` header, or with `presign` in the query string,
/// valid for `expires_in` seconds.
///
/// `fields` are, separated by `\0`: method, url, payload hash (a precomputed hash or
/// `UNSIGNED-PAYLOAD`, or empty to hash `body`), access key id, secret access key, session
/// token, region, service (both inferred from the host when empty), datetime, settings flags,
/// host override, headers to sign, headers to leave unsigned (comma-separated), the query
/// given apart from the URL, then the request's header names and values. One string costs one crossing of the boundary.
///
/// Returns `method, url, canonical request, string to sign, credential scope, signed
/// headers, payload hash, signature, authorization, expires in, region, service`, then the
/// header names and values to send.
#[wasm_bindgen(js_name = signRequest)]
pub fn sign_request(fields: &str, body: &[u8], presign: bool, expires_in: f64) -> Result<String, JsValue> {
    let mut f = fields.split(SEPARATOR);
    let mut next = || f.next().unwrap_or_default();
    let (method, url, payload_hash, access_key_id, secret_access_key, session_token) =
        (next(), next(), next(), next(), next(), next());
    let (region, service, datetime, flags, host_override, signed_headers, unsigned_headers, query) =
        (next(), next(), next(), next(), next(), next(), next(), next());
    let headers = pairs(f);
    let mut settings = settings_from_flags(flags)?;
    settings.host_override = non_empty(host_override).map(str::to_owned);
    for name in signed_headers.split(',').filter(|n| !n.is_empty()) {
        settings.sign_header(name);
    }
    for name in unsigned_headers.split(',').filter(|n| !n.is_empty()) {
        settings.unsign_header(name);
    }
    let location = if presign {
        SignatureLocation::Query { expires_in: whole_seconds(expires_in, "expiresIn")? }
    } else {
        SignatureLocation::Headers
    };
    let (region, service) = resolve_scope_for(url, &headers, host_override, region, service).map_err(to_js_error)?;
    let mut credentials = Credentials::new(access_key_id, secret_access_key);
    if let Some(token) = non_empty(session_token) {
        credentials = credentials.with_session_token(token);
    }
    let time = AmzDateTime::parse(datetime).map_err(to_js_error)?;
    let params =
        SigningParams { credentials: &credentials, region: &region, service: &service, time, settings: &settings };
    let payload = match non_empty(payload_hash) {
        Some("UNSIGNED-PAYLOAD") => Payload::Unsigned,
        Some(hash) => Payload::Precomputed(hash),
        None => Payload::Bytes(body),
    };
    let request = Request { method, url, headers, payload, query: non_empty(query) };
    let signed = KEY_CACHE
        .with(|cache| match cache.try_borrow_mut() {
            Ok(mut cache) => sign_cached(&request, &params, location, &mut cache),
            Err(_) => crate::sign(&request, &params, location),
        })
        .map_err(to_js_error)?;

    let expires = signed.expires_in.map(decimal).unwrap_or_default();
    let mut fields: Vec<&str> = vec![
        &signed.method,
        &signed.url,
        &signed.canonical_request,
        &signed.string_to_sign,
        &signed.credential_scope,
        &signed.signed_headers,
        &signed.payload_hash,
        &signed.signature,
        signed.authorization.as_deref().unwrap_or_default(),
        &expires,
        &region,
        &service,
    ];
    for (name, value) in &signed.headers {
        fields.push(name);
        fields.push(value);
    }
    Ok(joined(&fields))
}

/// The fields of a result, separated by `\0`.
fn joined(fields: &[&str]) -> String {
    let mut out = String::with_capacity(fields.iter().map(|f| f.len() + 1).sum());
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push(SEPARATOR);
        }
        out.push_str(field);
    }
    out
}

/// The region and service: given, or inferred from the host the request is signed for.
fn resolve_scope_for(
    url: &str,
    headers: &[(&str, &str)],
    host_override: &str,
    region: &str,
    service: &str,
) -> crate::Result<(String, String)> {
    if !region.is_empty() && !service.is_empty() {
        return Ok((region.to_owned(), service.to_owned()));
    }
    let header_host = headers.iter().find(|(n, _)| n.eq_ignore_ascii_case("host")).map(|(_, v)| *v);
    let url_host = parse_url(url)?.host;
    let host = non_empty(host_override).or(header_host).or(url_host.as_deref()).ok_or_else(missing_host)?;
    resolve_scope(host, non_empty(region), non_empty(service))
}

/// Verifies a received request. `fields` are, separated by `\0`: method, url, now, region,
/// service, settings flags, headers that must be signed (comma-separated), then the
/// request's header names and values. The body received is `body`, or, when `body_sha256` is
/// not empty, that hex SHA-256 of it. `allow_unsigned_payload` applies S3's payload rules.
/// `lookup(accessKeyId)` returns `{ secretAccessKey, sessionToken? }` or `null` for an
/// unknown key.
///
/// Returns `access key id, credential scope, signed headers, signed at, expires in (empty
/// for header signatures), canonical request`.
#[wasm_bindgen(js_name = verifyRequest)]
pub fn verify_request(
    fields: &str,
    body: &[u8],
    body_sha256: &str,
    max_clock_skew_seconds: f64,
    allow_unsigned_payload: bool,
    lookup: &Function,
) -> Result<String, JsValue> {
    let mut f = fields.split(SEPARATOR);
    let mut next = || f.next().unwrap_or_default();
    let (method, url, now, region, service, flags, required_signed_headers) =
        (next(), next(), next(), next(), next(), next(), next());
    let headers = pairs(f);
    let mut settings = VerifySettings::new(region, service);
    settings.canonicalization = settings_from_flags(flags)?;
    settings.max_clock_skew_seconds = whole_seconds(max_clock_skew_seconds, "maxClockSkew")? as i64;
    settings.allow_unsigned_payload = allow_unsigned_payload;
    settings.required_signed_headers =
        required_signed_headers.split(',').filter(|n| !n.is_empty()).map(str::to_ascii_lowercase).collect();
    let now = AmzDateTime::parse(now).map_err(to_js_error)?;
    let payload = match non_empty(body_sha256) {
        Some(hash) => Payload::Precomputed(hash),
        None => Payload::Bytes(body),
    };
    let request = Request { method, url, headers, payload, query: None };
    let mut lookup_error = None;
    let result = crate::verify(&request, now, &settings, |access_key_id| {
        match lookup.call1(&JsValue::NULL, &JsValue::from_str(access_key_id)).and_then(|found| key_from_js(&found)) {
            Ok(key) => key,
            Err(thrown) => {
                lookup_error = Some(thrown);
                None
            }
        }
    });
    if let Some(thrown) = lookup_error {
        return Err(thrown);
    }
    let verified = result.map_err(to_js_error)?;
    let expires = match verified.location {
        VerifiedLocation::Headers => String::new(),
        VerifiedLocation::Query { expires_in } => decimal(expires_in),
    };
    let signed_headers: String = verified.signed_headers.iter().map(|h| text!(h, ";")).collect();
    Ok(joined(&[
        &verified.access_key_id,
        &verified.credential_scope,
        signed_headers.strip_suffix(';').unwrap_or_default(),
        &verified.signed_at.amz_date_time(),
        &expires,
        &verified.canonical_request,
    ]))
}

/// The key `lookup` returned: `null`/`undefined` for an unknown key, else an object whose
/// `secretAccessKey` is a string and whose `sessionToken` is a string or absent. Anything else
/// is a TypeError: a malformed token must not read as "no token required".
fn key_from_js(found: &JsValue) -> Result<Option<VerifierKey>, JsValue> {
    if found.is_null() || found.is_undefined() {
        return Ok(None);
    }
    let shape = || -> JsValue {
        js_sys::TypeError::new("lookup must return { secretAccessKey: string, sessionToken?: string } or null").into()
    };
    let field = |name: &str| Reflect::get(found, &JsValue::from_str(name)).map_err(|_| shape());
    let secret = field("secretAccessKey")?.as_string().ok_or_else(shape)?;
    let token = field("sessionToken")?;
    let session_token =
        if token.is_null() || token.is_undefined() { None } else { Some(token.as_string().ok_or_else(shape)?) };
    Ok(Some(VerifierKey {
        secret_access_key: secret.into(),
        session_token: session_token.filter(|t| !t.is_empty()).map(Into::into),
    }))
}

/// Every step of the signing-key derivation as hex: `kDate, kRegion, kService, kSigning`.
#[wasm_bindgen(js_name = signingKeyDerivation)]
pub fn signing_key_derivation_hex(secret_access_key: &str, date: &str, region: &str, service: &str) -> String {
    let steps = signing_key_derivation(secret_access_key, date, region, service);
    joined(&[&steps.k_date.to_hex(), &steps.k_region.to_hex(), &steps.k_service.to_hex(), &steps.k_signing.to_hex()])
}

/// The region and service a host names: `region, service`, each empty when unknown.
#[wasm_bindgen(js_name = inferScope)]
pub fn infer_scope(host: &str) -> String {
    let scope = crate::infer_scope(host);
    joined(&[&scope.region.unwrap_or_default(), &scope.service.unwrap_or_default()])
}
