//! AWS Signature Version 4: signing and verification as pure functions.
//!
//! The core of `sigv4-wasm`. It reads no clock, does no I/O and knows nothing of JavaScript:
//! the signing time is an argument, and the only code that names wasm-bindgen types is
//! `src/bindings.rs`, built with the `wasm` feature.
//!
//! Each step of the specification is a function that returns the exact text of its artefact,
//! so tests and the playground can show every step:
//!
//! | step | function |
//! | --- | --- |
//! | canonical URI, query string, headers | [`canonical_uri`], [`canonical_query_string`], [`CanonicalHeaders`] |
//! | canonical request | [`canonical_request`] |
//! | credential scope | [`credential_scope`] |
//! | string to sign | [`string_to_sign`] |
//! | signing key (and each derivation step) | [`signing_key`], [`signing_key_derivation`] |
//! | signature | [`signature`] |
//! | `Authorization` header | [`authorization_header`] |
//!
//! [`sign`] wires them together for header signing or presigning, and [`verify`] checks a
//! signed request the way a service does ([`verify_chunked`] an aws-chunked upload, chunk by
//! chunk, with the [`ChunkedVerifier`] it returns). S3's two other upload forms have steps of their own:
//! signed chunked uploads ([`sign_chunked`] and the [`ChunkedEncoder`] it returns; the chunk
//! and trailer strings to sign) and presigned POST policies ([`presign_post`]).
//!
//! ```
//! use sigv4::{AmzDateTime, Credentials, Request, SignatureLocation, SigningParams, SigningSettings, sign};
//!
//! let credentials = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
//! let settings = SigningSettings::default();
//! let params = SigningParams {
//!     credentials: &credentials,
//!     region: "us-east-1",
//!     service: "iam",
//!     time: AmzDateTime::parse("20150830T123600Z")?,
//!     settings: &settings,
//! };
//! let request = Request::new("GET", "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08")
//!     .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
//! let signed = sign(&request, &params, SignatureLocation::Headers)?;
//! assert_eq!(signed.signature, "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
//! assert!(signed.canonical_request.starts_with("GET\n/\nAction=ListUsers&Version=2010-05-08\n"));
//! # Ok::<(), sigv4::Error>(())
//! ```
//!
//! Path rules are explicit settings ([`SigningSettings::default`] for most services,
//! [`SigningSettings::s3`] for S3); see [`PathInput`] for what the path in a URL is taken to be.

// Only the WebAssembly build's allocator (src/bindings/alloc.rs) uses unsafe code.
#![deny(unsafe_code)]
#![warn(missing_debug_implementations)]

mod base64;
mod cache;
mod canonical;
mod checks;
mod chunked;
mod chunked_verify;
pub mod cognito;
mod datetime;
mod encode;
mod endpoint;
mod error;
mod options;
mod payload;
mod post_policy;
mod redact;
mod request;
mod secret;
mod settings;
mod sha256;
mod sign;
mod signature;
mod text;
mod verify;

#[cfg(feature = "wasm")]
pub mod bindings;

pub use base64::base64;
pub use cache::{SIGNING_KEY_CACHE_CAPACITY, SigningKeyCache};
pub use canonical::{
    CanonicalHeaders, QueryParam, canonical_header_value, canonical_query_params, canonical_query_string,
    canonical_request, canonical_uri, wire_path_from_unencoded,
};
pub use chunked::{
    CHUNK_ALGORITHM, Checksum, ChecksumAlgorithm, ChunkFrame, ChunkSigner, ChunkedEncoder, ChunkedMode, ChunkedUpload,
    DEFAULT_CHUNK_SIZE, MAX_CHUNK_SIZE, MAX_DECODED_LENGTH, MIN_CHUNK_SIZE, STREAMING_PAYLOAD,
    STREAMING_PAYLOAD_TRAILER, STREAMING_UNSIGNED_PAYLOAD_TRAILER, SignedChunk, TRAILER_ALGORITHM, canonical_trailer,
    chunk_header, chunk_string_to_sign, encode_chunk, sign_chunked, trailer_string_to_sign,
};
pub use chunked_verify::{ChunkedDecoder, ChunkedEvent, ChunkedVerifier, MAX_CHUNK_HEADER_LINE, MAX_TRAILER_LINE};
pub use datetime::{AmzDateTime, MIN_UNIX_MILLIS};
pub use encode::{MalformedEscape, lower_hex, normalize_path, percent_decode, uri_encode, uri_encoded};
pub use endpoint::{InferredScope, check_region_of_host, infer_scope, named_region, resolve_scope};
pub use error::{Error, ErrorCode, Result, ServerComputed};
pub use options::{
    DEFAULT_EXPIRES_IN, MAX_CLOCK_SKEW, PayloadSource, ResolvedSigning, RuleOptions, SignOptions, VerifyOptions,
    check_body_sha256, datetime_from_text, expires_in_from_text, max_clock_skew_from_text,
};
pub use post_policy::{
    FILENAME_VARIABLE, PolicyCondition, PostPolicy, PresignedPost, policy_expiration, post_policy_document,
    post_policy_string_to_sign, post_url, presign_post,
};
pub use redact::redact_session_token;
pub use request::{MAX_HEADER_BYTES, MAX_URL_BYTES, ParsedUrl, Payload, Request, parse_url};
pub use secret::{Credentials, Secret, SecretBytes};
pub use settings::{
    ContentSha256Header, DEFAULT_UNSIGNED_HEADERS, PathEncoding, PathInput, PathNormalization, QueryPlus,
    SessionTokenMode, SigningSettings,
};
pub use sign::{MAX_EXPIRES_IN, SignatureLocation, SignedRequest, SigningParams, sign, sign_cached, sign_resolved};
pub use signature::{
    ALGORITHM, EMPTY_PAYLOAD_SHA256, SCOPE_TERMINATOR, SigningKey, SigningKeyDerivation, UNSIGNED_PAYLOAD,
    authorization_header, credential_scope, hmac_sha256, sha256_hex, signature, signing_key, signing_key_derivation,
    string_to_sign,
};
pub use verify::{Verified, VerifiedLocation, VerifierKey, VerifySettings, verify, verify_chunked};
