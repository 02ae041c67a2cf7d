//! The JavaScript binding: the only Rust that names wasm-bindgen and js-sys types.
//!
//! It reads and writes; it decides nothing. Each call takes one string of fields separated by
//! `\0` (a character no field can contain), named and ordered by the tables below, then the
//! request's header names and values; it returns one string of fields the same way. One
//! string each way keeps the boundary cheap. js/src/protocol.js has the same tables, and
//! tests/bindings.rs checks that the two agree. The core makes every decision the caller
//! left open (src/options.rs), and its errors reach JavaScript through [`to_js_error`].
//!
//! A field is text as given, or `''` for an option the caller did not set; a choice is the
//! option's word (`'single'`), a flag `'true'` or `'false'`, seconds decimal digits, and a
//! list of header names the names joined with `,` and closed by a `,` (so that `','` is a
//! list given empty, which differs from one not given).

#[cfg(target_arch = "wasm32")]
mod alloc;
#[cfg(feature = "cognito")]
mod cognito;

use std::cell::RefCell;

#[cfg(any(feature = "verify", feature = "speed"))]
use js_sys::Function;
#[cfg(feature = "verify")]
use js_sys::Reflect;
#[cfg(feature = "speed")]
use js_sys::Uint8Array;
#[cfg(feature = "speed")]
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

#[cfg(not(feature = "speed"))]
use crate::sign_cached;
#[cfg(feature = "speed")]
use crate::sign_resolved;
use crate::text::{decimal, split_on, text};
use crate::{
    AmzDateTime, ContentSha256Header, Credentials, Error, PathEncoding, PathInput, PathNormalization, Payload,
    PayloadSource, QueryPlus, Request, ResolvedSigning, RuleOptions, SIGNING_KEY_CACHE_CAPACITY, SessionTokenMode,
    SignOptions, SignedRequest, SigningKeyCache, SigningParams, datetime_from_text, expires_in_from_text,
};
#[cfg(feature = "verify")]
use crate::{VerifiedLocation, VerifierKey, VerifyOptions, check_body_sha256, max_clock_skew_from_text};

const SEPARATOR: char = '\0';

thread_local! {
    // A constant: the empty cache is static data, not built on the stack by the first call
    // (16 entries, 4.6 KB, which made the first sign twice as deep as any other call).
    static KEY_CACHE: RefCell<SigningKeyCache> = const { RefCell::new(SigningKeyCache::new(SIGNING_KEY_CACHE_CAPACITY)) };
}

/// Declares a table of fields: an enum whose variants are the fields in order, and `NAMES`,
/// their names as js/src/protocol.js writes them.
macro_rules! fields {
    ($(#[$doc:meta])* $table:ident { $($field:ident = $name:literal,)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy)]
        pub enum $table {
            $($field,)+
        }

        impl $table {
            /// The names of the fields, in their order.
            pub const NAMES: &'static [&'static str] = &[$($name,)+];
        }

        impl From<$table> for usize {
            fn from(field: $table) -> usize {
                field as usize
            }
        }
    };
}

fields! {
    /// The fields of `signRequest`, then the request's header names and values.
    SignRequest {
        Method = "method",
        Url = "url",
        Query = "query",
        AccessKeyId = "accessKeyId",
        SecretAccessKey = "secretAccessKey",
        SessionToken = "sessionToken",
        Region = "region",
        Service = "service",
        Datetime = "datetime",
        Presign = "presign",
        ExpiresIn = "expiresIn",
        Payload = "payload",
        PayloadHash = "payloadHash",
        S3 = "s3",
        PathEncoding = "pathEncoding",
        NormalizePath = "normalizePath",
        PathInput = "pathInput",
        QueryPlus = "queryPlus",
        AppendSessionToken = "appendSessionToken",
        ContentSha256 = "contentSha256",
        HostOverride = "hostOverride",
        SignHeaders = "signHeaders",
        UnsignedHeaders = "unsignedHeaders",
    }
}

fields! {
    /// The fields `signRequest` returns, then the header names and values to send.
    Signed {
        Method = "method",
        Url = "url",
        CanonicalRequest = "canonicalRequest",
        StringToSign = "stringToSign",
        CredentialScope = "credentialScope",
        SignedHeaders = "signedHeaders",
        PayloadHash = "payloadHash",
        Signature = "signature",
        Authorization = "authorization",
        ExpiresIn = "expiresIn",
        Region = "region",
        Service = "service",
        Datetime = "datetime",
        S3 = "s3",
    }
}

fields! {
    /// The fields of `verifyRequest`, then the request's header names and values.
    VerifyRequest {
        Method = "method",
        Url = "url",
        Now = "now",
        Region = "region",
        Service = "service",
        // The rule fields, named as in SignRequest on purpose: both calls take the same rules,
        // which `rule_fields!` reads by these names.
        S3 = "s3",
        PathEncoding = "pathEncoding",
        NormalizePath = "normalizePath",
        PathInput = "pathInput",
        QueryPlus = "queryPlus",
        AppendSessionToken = "appendSessionToken",
        ContentSha256 = "contentSha256",
        MaxClockSkew = "maxClockSkew",
        AllowUnsignedPayload = "allowUnsignedPayload",
        RequireSignedHeaders = "requireSignedHeaders",
        BodySha256 = "bodySha256",
    }
}

fields! {
    /// The fields `verifyRequest` returns.
    Verified {
        AccessKeyId = "accessKeyId",
        CredentialScope = "credentialScope",
        SignedHeaders = "signedHeaders",
        SignedAt = "signedAt",
        ExpiresIn = "expiresIn",
        CanonicalRequest = "canonicalRequest",
    }
}

fields! {
    /// The fields `verifyChunkedRequest` returns: those of [`Verified`], then the state of the
    /// body's verifier, which the caller keeps and passes to `verifyChunks`.
    VerifiedChunked {
        AccessKeyId = "accessKeyId",
        CredentialScope = "credentialScope",
        SignedHeaders = "signedHeaders",
        SignedAt = "signedAt",
        ExpiresIn = "expiresIn",
        CanonicalRequest = "canonicalRequest",
        State = "state",
    }
}

fields! {
    /// The fields of `verifyChunks`; the body's next bytes are its second argument.
    VerifyChunks {
        SecretAccessKey = "secretAccessKey",
        State = "state",
        End = "end",
    }
}

fields! {
    /// The fields `verifyChunks` returns: the verifier's next state, and what the bytes were:
    /// `<start>-<end>` for chunk data not verified yet, `v` when the chunk it belongs to
    /// verified, `e` at the end of the body, separated by `,`.
    ChunksVerified {
        State = "state",
        Events = "events",
    }
}

fields! {
    /// The fields `signingKeyDerivation` returns: each key as hex.
    KeyDerivation {
        KDate = "kDate",
        KRegion = "kRegion",
        KService = "kService",
        KSigning = "kSigning",
    }
}

fields! {
    /// The fields `inferScope` returns, each empty when the host names none.
    Scope {
        Region = "region",
        Service = "service",
    }
}

fields! {
    /// The header names the servers' `signRequest` result names by a letter (with the feature
    /// `speed`: [`write_for_servers`]): the headers a signature adds, and the usual ones a
    /// request brings.
    HeaderName {
        Authorization = "authorization",
        Host = "host",
        XAmzDate = "x-amz-date",
        XAmzSecurityToken = "x-amz-security-token",
        XAmzContentSha256 = "x-amz-content-sha256",
        ContentType = "content-type",
        ContentLength = "content-length",
    }
}

// S3's chunked uploads and POST policies: their calls and tables (the feature `uploads`).
#[cfg(feature = "uploads")]
pub mod uploads;

/// A core error as the binding reports it: a string, `\0<code>\0<canonicalRequest>\0<stringToSign>\0<message>`
/// (the verifier's canonical request and string to sign for a signature mismatch, else
/// empty), which js/src/errors.js's `fromCoreError` makes a `SigV4Error`. A string, not an
/// `Error` built here: the glue then imports no constructor, name setter or `Reflect.set`.
/// The calls that return `Result<_, JsValue>` throw it (`?` makes it a JavaScript string);
/// the size-built `signRequest` returns it, so that no JavaScript value crosses (see there).
fn to_js_error(error: Error) -> Thrown {
    let computed = error.server_computed();
    let canonical_request = computed.map(|c| c.canonical_request.as_str()).unwrap_or_default();
    let string_to_sign = computed.map(|c| c.string_to_sign.as_str()).unwrap_or_default();
    thrown(error.code().as_str(), canonical_request, string_to_sign, error.message())
}

/// A call the binding cannot read (js/src/api.js and this file disagree, or a `lookup` returned
/// no key), thrown as [`to_js_error`] throws, with the code `TypeError`: `fromCoreError` makes
/// it a `TypeError`.
fn type_error(message: &str) -> Thrown {
    thrown("TypeError", "", "", message)
}

/// An error as [`to_js_error`] writes it. In the size-built binaries a Rust string until it is
/// thrown or returned (made a JavaScript string where the error is made, it would cost the
/// signer its only import); in the servers' (the feature `speed`) the JavaScript string to
/// throw, as it was made before: a Rust string carried through every `?` made their opt-level
/// 3 binary 8 KB larger.
#[cfg(not(feature = "speed"))]
struct Thrown(String);
#[cfg(feature = "speed")]
type Thrown = JsValue;

#[cfg(not(feature = "speed"))]
impl From<Thrown> for JsValue {
    /// The error to throw (verify's, the uploads' and Cognito's calls).
    #[inline(never)]
    fn from(thrown: Thrown) -> JsValue {
        JsValue::from_str(&thrown.0)
    }
}

fn thrown(code: &str, canonical_request: &str, string_to_sign: &str, message: &str) -> Thrown {
    let text = text!("\0", code, "\0", canonical_request, "\0", string_to_sign, "\0", message);
    #[cfg(feature = "speed")]
    return JsValue::from_str(&text);
    #[cfg(not(feature = "speed"))]
    Thrown(text)
}

/// The `N` fields of a call, and the header names and values after them.
struct Fields<'a, const N: usize> {
    values: [&'a str; N],
    headers: Vec<(&'a str, &'a str)>,
}

impl<'a, const N: usize> Fields<'a, N> {
    fn read(text: &'a str) -> Self {
        if cfg!(feature = "speed") {
            Self::from_parts(Separated(Some(text)))
        } else {
            Self::from_parts(split_on(text, SEPARATOR as u8))
        }
    }

    fn from_parts(mut parts: impl Iterator<Item = &'a str>) -> Self {
        let mut values = [""; N];
        for value in &mut values {
            *value = parts.next().unwrap_or_default();
        }
        let mut headers = Vec::new();
        while let (Some(name), Some(value)) = (parts.next(), parts.next()) {
            headers.push((name, value));
        }
        Self { values, headers }
    }

    fn text(&self, field: impl Into<usize>) -> &'a str {
        self.values[field.into()]
    }

    /// The field, or `None` for an option not set.
    fn given(&self, field: impl Into<usize>) -> Option<&'a str> {
        Some(self.text(field)).filter(|value| !value.is_empty())
    }

    /// A header list: `None` when not given.
    fn list(&self, field: impl Into<usize>) -> Option<Vec<&'a str>> {
        let names = self.text(field).strip_suffix(",")?;
        let mut list = Vec::new();
        for name in split_on(names, b',').filter(|name| !name.is_empty()) {
            list.push(name);
        }
        Some(list)
    }

    /// Which of two words the field holds: `Some(false)` for the first, `Some(true)` for the
    /// second, `None` when not set.
    fn either(&self, field: impl Into<usize>, words: &[&str; 2]) -> Result<Option<bool>, Thrown> {
        self.either_at(field.into(), words)
    }

    /// [`Self::either`] by position. (One copy, not one per call site or table: it is called
    /// for every rule of both calls.)
    #[inline(never)]
    fn either_at(&self, field: usize, [first, second]: &[&str; 2]) -> Result<Option<bool>, Thrown> {
        match self.given(field) {
            None => Ok(None),
            Some(word) if word == *first => Ok(Some(false)),
            Some(word) if word == *second => Ok(Some(true)),
            Some(word) => Err(unknown_word(word)),
        }
    }
}

/// The fields of `text` separated by [`SEPARATOR`], as `str::split` gives them, found with a
/// plain loop over the bytes (the pattern searcher of `split` costs more than the search on
/// fields this short): with the feature `speed`.
struct Separated<'a>(Option<&'a str>);

impl<'a> Iterator for Separated<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.0?;
        let Some(end) = separator_at(rest.as_bytes()) else {
            self.0 = None;
            return Some(rest);
        };
        let (field, after) = rest.split_at(end);
        self.0 = Some(&after[1..]);
        Some(field)
    }
}

/// Where the first [`SEPARATOR`] (a NUL byte) is: byte by byte in the first 16 (most fields
/// are short or empty), then eight bytes at a time (a session token), then byte by byte in the
/// eight that hold it.
fn separator_at(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::MAX / 255;
    let head = bytes.len().min(16);
    if let Some(i) = bytes[..head].iter().position(|&b| b == SEPARATOR as u8) {
        return Some(i);
    }
    let mut at = head;
    for chunk in bytes[head..].chunks_exact(8) {
        let x = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        if x.wrapping_sub(ONES) & !x & (ONES * 0x80) != 0 {
            break;
        }
        at += 8;
    }
    bytes[at..].iter().position(|&b| b == SEPARATOR as u8).map(|i| at + i)
}

/// A word no field of the protocol has: js/src/api.js and this file disagree.
fn unknown_word(word: &str) -> Thrown {
    type_error(&text!("sigv4-wasm: the binding does not know the word '", word, "'"))
}

/// The words of a flag.
const FLAG: &[&str; 2] = &["false", "true"];

/// The rule fields of a call, which `signRequest` and `verifyRequest` share.
struct RuleFields {
    s3: usize,
    path_encoding: usize,
    normalize_path: usize,
    path_input: usize,
    query_plus: usize,
    append_session_token: usize,
    content_sha256: usize,
}

/// The positions of the rule fields in `$table` (`SignRequest` and `VerifyRequest` name them
/// alike).
macro_rules! rule_fields {
    ($table:ident) => {
        RuleFields {
            s3: $table::S3.into(),
            path_encoding: $table::PathEncoding.into(),
            normalize_path: $table::NormalizePath.into(),
            path_input: $table::PathInput.into(),
            query_plus: $table::QueryPlus.into(),
            append_session_token: $table::AppendSessionToken.into(),
            content_sha256: $table::ContentSha256.into(),
        }
    };
}

impl RuleFields {
    fn read<const N: usize>(&self, f: &Fields<'_, N>) -> Result<RuleOptions, Thrown> {
        use SessionTokenMode::{AppendedAfterSigning, Signed};
        use {ContentSha256Header::*, PathEncoding::*, PathInput::*, PathNormalization::*, QueryPlus::*};
        Ok(RuleOptions {
            s3: f.either(self.s3, FLAG)?,
            path_encoding: f
                .either(self.path_encoding, &["double", "single"])?
                .map(|single| if single { Single } else { Double }),
            path_normalization: f.either(self.normalize_path, FLAG)?.map(|on| if on { Enabled } else { Disabled }),
            path_input: f
                .either(self.path_input, &["encoded", "unencoded"])?
                .map(|raw| if raw { Unencoded } else { Encoded }),
            query_plus: f
                .either(self.query_plus, &["literal", "space"])?
                .map(|space| if space { Space } else { Literal }),
            session_token: f
                .either(self.append_session_token, FLAG)?
                .map(|appended| if appended { AppendedAfterSigning } else { Signed }),
            content_sha256_header: f.either(self.content_sha256, FLAG)?.map(|on| if on { Include } else { Omit }),
        })
    }
}

/// A result: `values` in the order of their table, then header names and values.
fn write(values: &[&str], headers: &[(String, String)]) -> String {
    let length = values.iter().map(|v| v.len() + 1).sum::<usize>()
        + headers.iter().map(|(name, value)| name.len() + value.len() + 2).sum::<usize>();
    let mut out = String::with_capacity(length);
    for (i, value) in values.iter().enumerate() {
        if i > 0 {
            out.push(SEPARATOR);
        }
        out.push_str(value);
    }
    for (name, value) in headers {
        out.push(SEPARATOR);
        out.push_str(name);
        out.push(SEPARATOR);
        out.push_str(value);
    }
    out
}

/// Whether `a` and `b` are the same bytes, compared eight at a time: `==` calls the compiler's
/// `memcmp`, which in wasm compares a byte at a time (3 % of the STS POST of bench/, whose
/// session token is 600 bytes).
fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let (mut x, mut y) = (a.chunks_exact(8), b.chunks_exact(8));
    let word = |chunk: &[u8]| u64::from_le_bytes(chunk.try_into().unwrap_or_default());
    (&mut x).zip(&mut y).all(|(p, q)| word(p) == word(q)) && x.remainder().iter().eq(y.remainder())
}

fn flag(value: bool) -> &'static str {
    if value { "true" } else { "false" }
}

/// The body js/src/api.js hands over: its bytes (as given with the call, or as `body()`
/// returned them), or, with the feature `speed`, its SHA-256 where the runtime hashed it.
enum Body<'a> {
    Given(&'a [u8]),
    #[cfg(feature = "speed")]
    Read(Vec<u8>),
    #[cfg(feature = "speed")]
    Sha256(String),
}

impl Body<'_> {
    /// The payload to sign. `body()`'s string is the SHA-256 as 64 hex digits then the
    /// body's length in decimal digits: the core checks a content-length or
    /// x-amz-content-sha256 header against them as against the bytes ([`Payload::Hashed`]).
    /// (Without the feature `speed`, js/src/api.js passes a hash it took as the payload hash
    /// instead, only for a request whose headers pass those checks: its `lengthCheckPasses`.)
    fn payload(&self) -> Result<Payload<'_>, Thrown> {
        Ok(match self {
            Self::Given(bytes) => Payload::Bytes(bytes),
            #[cfg(feature = "speed")]
            Self::Read(bytes) => Payload::Bytes(bytes),
            #[cfg(feature = "speed")]
            Self::Sha256(text) => {
                let (sha256, length) = text.split_at_checked(64).unwrap_or_default();
                let length = crate::text::parse_decimal(length).and_then(|n| usize::try_from(n).ok());
                let Some(length) = length else { return Err(unknown_word(text)) };
                Payload::Hashed { sha256, length }
            }
        })
    }
}

/// Reads the body by calling `body()`, which the core does only when its rules hash the body,
/// so that a body that is not signed is neither converted nor copied into wasm memory. No
/// function: the body is the bytes given with the call (js/src/api.js passes small bodies
/// so, which saves the calls back into JavaScript). `body()` returns the bytes, or where the
/// runtime hashes faster than wasm, their SHA-256 ([`Body::payload`]). An exception `body()`
/// throws reaches the caller unchanged. (The servers' binding, with the feature `speed`.)
#[cfg(feature = "speed")]
fn read_body<'a>(given: &'a [u8], body: Option<&Function>) -> Result<Body<'a>, JsValue> {
    let Some(body) = body else { return Ok(Body::Given(given)) };
    let value = body.call0(&JsValue::NULL)?;
    Ok(match value.as_string() {
        Some(hash) => Body::Sha256(hash),
        None => Body::Read(value.unchecked_into::<Uint8Array>().to_vec()),
    })
}

/// The fields of a call: UTF-8, as js/src/api.js encodes them (TextEncoder never writes
/// anything else).
#[cfg(feature = "speed")]
fn utf8(fields: &[u8]) -> Result<&str, Thrown> {
    std::str::from_utf8(fields).map_err(|_| type_error("sigv4-wasm: the fields are not UTF-8"))
}

#[cfg(feature = "speed")]
#[wasm_bindgen]
extern "C" {
    /// The runtime's own SHA-256 (node:crypto), which js/src/api.js passes where there is one.
    pub type NativeSha256;

    /// Writes the SHA-256 of `data` into `hex` as 64 lowercase hex digits. (Both are views of
    /// wasm memory: nothing is copied but the digits.)
    #[wasm_bindgen(method, structural)]
    fn sha256(this: &NativeSha256, data: &[u8], hex: &mut [u8]);
}

/// The shortest canonical request hashed by [`NativeSha256`], with the feature `speed` (the
/// server build; without it the core hashes every one): node:crypto's SHA-256 costs a call
/// (about 0.4 µs) and little per block, this crate's in wasm about 0.2 µs a block.
#[cfg(feature = "speed")]
const NATIVE_SHA256_MIN_BYTES: usize = 256;

/// Signs a request: in the `Authorization` header, or presigned in the query string.
/// `input` is the call, copied into wasm memory at once: its first `fields_length` bytes the
/// fields, [`SignRequest`] then the request's header names and values, as UTF-8; the bytes
/// after them the body, unless `body()` is given (see [`read_body`]). `native`, when given,
/// hashes a long canonical request. Returns [`Signed`], then the header names and values to
/// send. (The servers' binding, with the feature `speed`; the others' is below.)
#[cfg(feature = "speed")]
#[wasm_bindgen(js_name = signRequest)]
pub fn sign_request(
    input: &[u8],
    fields_length: usize,
    body: Option<Function>,
    native: Option<NativeSha256>,
) -> Result<String, JsValue> {
    let mut sha256_hex = |data: &[u8]| match &native {
        Some(native) if data.len() >= NATIVE_SHA256_MIN_BYTES => {
            let mut hex = [0u8; 64];
            native.sha256(data, &mut hex);
            std::str::from_utf8(&hex).unwrap_or_default().to_owned()
        }
        _ => crate::sha256_hex(data),
    };
    let (fields, given_body) = input.split_at_checked(fields_length).unwrap_or((input, &[]));
    sign_fields(utf8(fields)?, given_body, |given| read_body(given, body.as_ref()).map(Some), &mut sha256_hex)
}

/// Signs a request: in the `Authorization` header, or presigned in the query string.
/// `fields` are [`SignRequest`], then the request's header names and values; `body` is the
/// body's bytes, unless `body_given` is false. Returns [`Signed`], then the header names and
/// values to send; `""` when the signature needs the body and it was not given (js/src/api.js
/// then calls again with it, or with its SHA-256 as the payload hash); or an error, as
/// [`to_js_error`] writes it (it starts with `\0`, which no result does).
///
/// The size-built binaries' binding, through which no JavaScript value crosses: no callback,
/// no exception, no object, so that their glue keeps no table of JavaScript objects and the
/// binary imports nothing. The callback's laziness stays: the core decides whether the body is
/// signed (a presigned URL, an unsigned payload or a given payload hash never read it), in the
/// same place as before, and JavaScript reads a body (which may fail for a type it cannot hash
/// synchronously) only when asked. (The fields come as a string, which the glue encodes: the
/// binary then has no UTF-8 validation of its own, 0.3 KB gzipped.)
#[cfg(not(feature = "speed"))]
#[wasm_bindgen(js_name = signRequest)]
pub fn sign_request(fields: &str, body: &[u8], body_given: bool) -> String {
    let read_body = |body| Ok::<_, Thrown>(body_given.then_some(Body::Given(body)));
    sign_fields(fields, body, read_body, &mut crate::sha256_hex).unwrap_or_else(|error: Thrown| error.0)
}

/// `signRequest`'s work, whichever way the body comes: `read_body(given_body)` gives it,
/// called only when the signature hashes the body; `None` is a body to come later, and the
/// result is then `""`. `sha256_hex` hashes a canonical request (with the feature `speed`).
fn sign_fields<'a, E: From<Thrown>>(
    fields: &'a str,
    given_body: &'a [u8],
    read_body: impl FnOnce(&'a [u8]) -> Result<Option<Body<'a>>, E>,
    sha256_hex: &mut dyn FnMut(&[u8]) -> String,
) -> Result<String, E> {
    use SignRequest as F;
    let f = Fields::<{ F::NAMES.len() }>::read(fields);
    let (method, url, query) = (f.text(F::Method), f.text(F::Url), f.given(F::Query));
    // With the feature `speed`, the URL is read once, to resolve and to sign; the size-built
    // binaries read it in each, which keeps them smaller.
    #[cfg(feature = "speed")]
    let (resolved, url_read) = sign_options(&f)?.resolve_reading(url, &f.headers).map_err(to_js_error)?;
    #[cfg(not(feature = "speed"))]
    let resolved = sign_options(&f)?.resolve(url, &f.headers).map_err(to_js_error)?;
    let body = match resolved.payload {
        PayloadSource::Body => match read_body(given_body)? {
            Some(body) => body,
            None => return Ok(String::new()),
        },
        PayloadSource::Hash(_) | PayloadSource::Unsigned => Body::Given(&[]),
    };
    let payload = match resolved.payload {
        PayloadSource::Hash(hash) => Payload::Precomputed(hash),
        PayloadSource::Unsigned => Payload::Unsigned,
        PayloadSource::Body => body.payload()?,
    };
    let mut credentials = Credentials::new(f.text(F::AccessKeyId), f.text(F::SecretAccessKey));
    let session_token = f.given(F::SessionToken);
    if let Some(token) = session_token {
        credentials = credentials.with_session_token(token);
    }
    let params = SigningParams {
        credentials: &credentials,
        region: &resolved.region,
        service: &resolved.service,
        time: datetime_from_text(f.text(F::Datetime)).map_err(to_js_error)?,
        settings: &resolved.settings,
    };
    let request = Request { method, url, headers: f.headers, payload, query };
    #[cfg(not(feature = "speed"))]
    let _ = sha256_hex; // (without the feature the core hashes every canonical request)
    let signed = KEY_CACHE
        .with(|cache| match cache.try_borrow_mut() {
            #[cfg(feature = "speed")]
            Ok(mut cache) => {
                sign_resolved(&request, url_read, &params, resolved.location, &mut cache, &mut |data: &[u8]| {
                    sha256_hex(data)
                })
            }
            #[cfg(not(feature = "speed"))]
            Ok(mut cache) => sign_cached(&request, &params, resolved.location, &mut cache),
            Err(_) => crate::sign(&request, &params, resolved.location),
        })
        .map_err(to_js_error)?;
    Ok(signed_fields(&signed, &resolved, params.time, session_token))
}

/// The options of a `signRequest` call, as given.
fn sign_options<'a>(f: &Fields<'a, { SignRequest::NAMES.len() }>) -> Result<SignOptions<'a>, Thrown> {
    use SignRequest as F;
    let payload = match f.text(F::Payload) {
        "body" => PayloadSource::Body,
        "hash" => PayloadSource::Hash(f.text(F::PayloadHash)),
        "unsigned" => PayloadSource::Unsigned,
        other => return Err(unknown_word(other)),
    };
    Ok(SignOptions {
        region: f.given(F::Region),
        service: f.given(F::Service),
        rules: rule_fields!(F).read(f)?,
        host_override: f.given(F::HostOverride),
        sign_headers: f.list(F::SignHeaders).unwrap_or_default(),
        unsigned_headers: f.list(F::UnsignedHeaders).unwrap_or_default(),
        payload,
        presign: f.either(F::Presign, FLAG)?.unwrap_or(false),
        expires_in: f.given(F::ExpiresIn).map(expires_in_from_text).transpose().map_err(to_js_error)?,
    })
}

/// The result of `signRequest`: [`Signed`], then the header names and values to send.
/// (`session_token`: the one given, if any.)
fn signed_fields(
    signed: &SignedRequest,
    resolved: &ResolvedSigning<'_>,
    time: AmzDateTime,
    session_token: Option<&str>,
) -> String {
    let expires_in = signed.expires_in.map(decimal).unwrap_or_default();
    let datetime = time.amz_date_time();
    let mut out = [""; Signed::NAMES.len()];
    out[Signed::Method as usize] = &signed.method;
    out[Signed::Url as usize] = &signed.url;
    out[Signed::CanonicalRequest as usize] = &signed.canonical_request;
    out[Signed::StringToSign as usize] = &signed.string_to_sign;
    out[Signed::CredentialScope as usize] = &signed.credential_scope;
    out[Signed::SignedHeaders as usize] = &signed.signed_headers;
    out[Signed::PayloadHash as usize] = &signed.payload_hash;
    out[Signed::Signature as usize] = &signed.signature;
    out[Signed::Authorization as usize] = signed.authorization.as_deref().unwrap_or_default();
    out[Signed::ExpiresIn as usize] = &expires_in;
    out[Signed::Region as usize] = &resolved.region;
    out[Signed::Service as usize] = &resolved.service;
    out[Signed::Datetime as usize] = &datetime;
    out[Signed::S3 as usize] = flag(resolved.s3);
    if cfg!(feature = "speed") {
        let authorization = (HeaderName::Authorization, out[Signed::Authorization as usize]);
        let date = (HeaderName::XAmzDate, out[Signed::Datetime as usize]);
        // Only an ASCII token: js/src/native-hash.js puts back the string it was given, whose
        // UTF-8 this is exactly (a lone surrogate in it would have been encoded as U+FFFD).
        let token = (HeaderName::XAmzSecurityToken, session_token.filter(|token| token.is_ascii()).unwrap_or_default());
        write_for_servers(&out, &signed.headers, &[authorization, date, token])
    } else {
        write(&out, &signed.headers)
    }
}

/// The servers' `signRequest` result (the feature `speed`), which js/src/native-hash.js reads:
/// `values` in the order of [`Signed`], then one letter per header, then what each letter
/// leaves to write, in order. A header named as in [`HeaderName`] is that name's letter, `a`
/// for the first, and its value; its capital letter instead when the value is that of
/// `tied` for that name (the `Authorization` header is the `authorization` field, `X-Amz-Date`
/// the `datetime` field, `X-Amz-Security-Token` the session token given), which is not
/// written again; any other header is `.`, its name and its value. Reading [`write`]'s result
/// in JavaScript (split, decode, header object) took a tenth of the STS POST, the header names
/// much of it (V8 looks a name up in its string table each time it names a property, unless
/// it is one of its constants), and the session token was decoded a second time.
fn write_for_servers(values: &[&str], headers: &[(String, String)], tied: &[(HeaderName, &str)]) -> String {
    let length = values.iter().map(|v| v.len() + 1).sum::<usize>()
        + headers.iter().map(|(name, value)| name.len() + value.len() + 3).sum::<usize>();
    let mut out = String::with_capacity(length);
    for value in values {
        out.push_str(value);
        out.push(SEPARATOR);
    }
    let letters = out.len();
    for (name, value) in headers {
        let letter = match HeaderName::NAMES.iter().position(|known| same(known, name)) {
            Some(k) if tied.iter().any(|&(tie, tied)| tie as usize == k && !tied.is_empty() && same(tied, value)) => {
                b'A' + k as u8
            }
            Some(k) => b'a' + k as u8,
            None => b'.',
        };
        out.push(char::from(letter));
    }
    for (i, (name, value)) in headers.iter().enumerate() {
        let letter = out.as_bytes()[letters + i];
        if letter.is_ascii_uppercase() {
            continue;
        }
        if letter == b'.' {
            out.push(SEPARATOR);
            out.push_str(name);
        }
        out.push(SEPARATOR);
        out.push_str(value);
    }
    out
}

/// The verify settings and the verifying time of a [`VerifyRequest`] call (verifyRequest and
/// verifyChunkedRequest read the same fields).
#[cfg(feature = "verify")]
fn verify_settings<const N: usize>(f: &Fields<'_, N>) -> Result<(crate::VerifySettings, AmzDateTime), Thrown> {
    use VerifyRequest as F;
    let options = VerifyOptions {
        region: f.text(F::Region),
        service: f.text(F::Service),
        rules: rule_fields!(F).read(f)?,
        max_clock_skew: f.given(F::MaxClockSkew).map(max_clock_skew_from_text).transpose().map_err(to_js_error)?,
        allow_unsigned_payload: f.either(F::AllowUnsignedPayload, FLAG)?,
        required_signed_headers: f.list(F::RequireSignedHeaders),
    };
    let settings = options.resolve().map_err(to_js_error)?;
    let now = datetime_from_text(f.text(F::Now)).map_err(to_js_error)?;
    Ok((settings, now))
}

/// The core's key lookup over JavaScript's `lookup(accessKeyId)`: an exception it throws, or a
/// value that is not a key, is kept in `thrown` (the call then rethrows it) and looks up nothing.
#[cfg(feature = "verify")]
fn js_lookup<'a>(
    lookup: &'a Function,
    thrown: &'a mut Option<JsValue>,
) -> impl FnOnce(&str) -> Option<VerifierKey> + 'a {
    move |access_key_id| match lookup
        .call1(&JsValue::NULL, &JsValue::from_str(access_key_id))
        .and_then(|found| key_from_js(&found))
    {
        Ok(key) => key,
        Err(error) => {
            *thrown = Some(error);
            None
        }
    }
}

/// Verifies a received request. `fields` are [`VerifyRequest`], then the request's header
/// names and values; the body received is `body`, unless the `bodySha256` field gives its
/// SHA-256. `lookup(accessKeyId)` returns `{ secretAccessKey, sessionToken? }`, or `null` for
/// an unknown key. Returns [`Verified`].
#[cfg(feature = "verify")]
#[wasm_bindgen(js_name = verifyRequest)]
pub fn verify_request(fields: &str, body: &[u8], lookup: &Function) -> Result<String, JsValue> {
    use VerifyRequest as F;
    let f = Fields::<{ F::NAMES.len() }>::read(fields);
    let payload = match f.given(F::BodySha256) {
        Some(hash) => Payload::Precomputed(check_body_sha256(hash).map_err(to_js_error)?),
        None => Payload::Bytes(body),
    };
    let (settings, now) = verify_settings(&f)?;
    let request = Request { method: f.text(F::Method), url: f.text(F::Url), headers: f.headers, payload, query: None };
    let mut lookup_error = None;
    let result = crate::verify(&request, now, &settings, js_lookup(lookup, &mut lookup_error));
    if let Some(thrown) = lookup_error {
        return Err(thrown);
    }
    let verified = result.map_err(to_js_error)?;
    let expires_in = match verified.location {
        VerifiedLocation::Headers => String::new(),
        VerifiedLocation::Query { expires_in } => decimal(expires_in),
    };
    let signed_headers = verified.signed_headers.join(";");
    let signed_at = verified.signed_at.amz_date_time();
    let mut out = [""; Verified::NAMES.len()];
    out[Verified::AccessKeyId as usize] = &verified.access_key_id;
    out[Verified::CredentialScope as usize] = &verified.credential_scope;
    out[Verified::SignedHeaders as usize] = &signed_headers;
    out[Verified::SignedAt as usize] = &signed_at;
    out[Verified::ExpiresIn as usize] = &expires_in;
    out[Verified::CanonicalRequest as usize] = &verified.canonical_request;
    Ok(write(&out, &[]))
}

/// Verifies the seed request of an aws-chunked upload: `fields` and `lookup` as for
/// [`verify_request`] (the body is not read). Returns [`VerifiedChunked`].
#[cfg(feature = "verify")]
#[wasm_bindgen(js_name = verifyChunkedRequest)]
pub fn verify_chunked_request(fields: &str, lookup: &Function) -> Result<String, JsValue> {
    use VerifyRequest as F;
    let f = Fields::<{ F::NAMES.len() }>::read(fields);
    let (settings, now) = verify_settings(&f)?;
    let request = Request {
        method: f.text(F::Method),
        url: f.text(F::Url),
        headers: f.headers,
        payload: Payload::Unsigned,
        query: None,
    };
    let mut lookup_error = None;
    let result = crate::verify_chunked(&request, now, &settings, js_lookup(lookup, &mut lookup_error));
    if let Some(thrown) = lookup_error {
        return Err(thrown);
    }
    let (verified, verifier) = result.map_err(to_js_error)?;
    let signed_headers = verified.signed_headers.join(";");
    let signed_at = verified.signed_at.amz_date_time();
    let state = verifier.state();
    let mut out = [""; VerifiedChunked::NAMES.len()];
    out[VerifiedChunked::AccessKeyId as usize] = &verified.access_key_id;
    out[VerifiedChunked::CredentialScope as usize] = &verified.credential_scope;
    out[VerifiedChunked::SignedHeaders as usize] = &signed_headers;
    out[VerifiedChunked::SignedAt as usize] = &signed_at;
    out[VerifiedChunked::CanonicalRequest as usize] = &verified.canonical_request;
    out[VerifiedChunked::State as usize] = &state;
    Ok(write(&out, &[]))
}

/// Takes the next bytes of an aws-chunked body: `fields` are [`VerifyChunks`] (the secret
/// access key the seed verified with, the state the last call returned, and with `end` the
/// body's end). Returns [`ChunksVerified`].
#[cfg(feature = "verify")]
#[wasm_bindgen(js_name = verifyChunks)]
pub fn verify_chunks(fields: &str, bytes: &[u8]) -> Result<String, JsValue> {
    use VerifyChunks as F;
    let f = Fields::<{ F::NAMES.len() }>::read(fields);
    let state = f.text(F::State);
    let key = crate::ChunkedVerifier::key_scope(state).map(|(date, region, service)| {
        let secret = f.text(F::SecretAccessKey);
        KEY_CACHE.with(|cache| match cache.try_borrow_mut() {
            Ok(mut cache) => cache.signing_key(secret, date, region, service),
            Err(_) => crate::signing_key(secret, date, region, service),
        })
    });
    let mut verifier = crate::ChunkedVerifier::resume(state, key).map_err(to_js_error)?;
    let mut events = Vec::new();
    verifier.write(bytes, &mut events).map_err(to_js_error)?;
    if f.either(F::End, FLAG)?.unwrap_or(false) {
        verifier.finish().map_err(to_js_error)?;
    }
    let mut listed = String::new();
    for event in events {
        if !listed.is_empty() {
            listed.push(',');
        }
        match event {
            crate::ChunkedEvent::Data(range) => {
                listed.push_str(&decimal(range.start as u64));
                listed.push('-');
                listed.push_str(&decimal(range.end as u64));
            }
            crate::ChunkedEvent::Verified => listed.push('v'),
            crate::ChunkedEvent::End => listed.push('e'),
        }
    }
    let state = verifier.state();
    let mut out = [""; ChunksVerified::NAMES.len()];
    out[ChunksVerified::State as usize] = &state;
    out[ChunksVerified::Events as usize] = &listed;
    Ok(write(&out, &[]))
}

/// The key `lookup` returned: `null`/`undefined` for an unknown key, else an object whose
/// `secretAccessKey` is a string and whose `sessionToken` is a string or absent. Anything else
/// is a TypeError: a malformed token must not read as "no token required".
#[cfg(feature = "verify")]
fn key_from_js(found: &JsValue) -> Result<Option<VerifierKey>, JsValue> {
    if found.is_null() || found.is_undefined() {
        return Ok(None);
    }
    let shape = || type_error("lookup must return { secretAccessKey: string, sessionToken?: string } or null");
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

/// Every step of the signing-key derivation: [`KeyDerivation`]. Not in the Postman binary
/// (`--cfg sigv4_postman`, js/build.mjs), whose script never calls it.
#[cfg(not(sigv4_postman))]
#[wasm_bindgen(js_name = signingKeyDerivation)]
pub fn signing_key_derivation_hex(secret_access_key: &str, date: &str, region: &str, service: &str) -> String {
    let steps = crate::signing_key_derivation(secret_access_key, date, region, service);
    let (k_date, k_region) = (steps.k_date.to_hex(), steps.k_region.to_hex());
    let (k_service, k_signing) = (steps.k_service.to_hex(), steps.k_signing.to_hex());
    let mut out = [""; KeyDerivation::NAMES.len()];
    out[KeyDerivation::KDate as usize] = &k_date;
    out[KeyDerivation::KRegion as usize] = &k_region;
    out[KeyDerivation::KService as usize] = &k_service;
    out[KeyDerivation::KSigning as usize] = &k_signing;
    write(&out, &[])
}

/// The region and service a host names: [`Scope`].
#[wasm_bindgen(js_name = inferScope)]
pub fn infer_scope(host: &str) -> String {
    let scope = crate::infer_scope(host);
    let (region, service) = (scope.region.unwrap_or_default(), scope.service.unwrap_or_default());
    let mut out = [""; Scope::NAMES.len()];
    out[Scope::Region as usize] = &region;
    out[Scope::Service as usize] = &service;
    write(&out, &[])
}
