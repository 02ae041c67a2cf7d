//! The payload rules of a caller's request: line 6 of the canonical request (`HashedPayload`)
//! and the `x-amz-content-sha256` header that carries it.
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#create-canonical-request>
//!
//! A verifier determines line 6 from what arrived instead (`received_payload_hash` in
//! src/verify.rs).

use crate::error::{Error, ErrorCode, Result};
use crate::request::Payload;
use crate::settings::ContentSha256Header;
use crate::signature::{UNSIGNED_PAYLOAD, sha256_hex};
use crate::text::decimal;

/// The literal payload hashes S3 defines besides a hex SHA-256.
const PAYLOAD_HASH_LITERALS: &[&str] = &[
    UNSIGNED_PAYLOAD,
    "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
    "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD",
    "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER",
];

/// Whether `value` is a SHA-256 as SigV4 writes it: 64 lowercase hex digits.
pub(crate) fn is_sha256_hex(value: &str) -> bool {
    value.len() == 64 && value.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Checks a payload hash given by the caller. Hex is accepted in either case and returned
/// lowercase, unless `exact` (a header value that is sent as it is).
fn validate_payload_hash(value: &str, exact: bool) -> Result<String> {
    let lowered = if exact { value.to_owned() } else { value.to_ascii_lowercase() };
    if is_sha256_hex(&lowered) || PAYLOAD_HASH_LITERALS.contains(&value) {
        return Ok(if PAYLOAD_HASH_LITERALS.contains(&value) { value.to_owned() } else { lowered });
    }
    Err(Error::fill(
        ErrorCode::InvalidPayloadHash,
        "'{}' is not a payload hash; use 64 {}hex digits of SHA-256, or one of UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD(-TRAILER), STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD(-TRAILER)",
        &[value, if exact { "lowercase " } else { "" }],
    ))
}

/// Line 6 of the canonical request for a caller's `payload`. An `x-amz-content-sha256` header
/// the caller set (`given_header`, at most one: see `check_content_sha256_header`) is what
/// the service will compare with, so it wins, and must agree with the payload.
pub(crate) fn payload_hash(payload: Payload<'_>, given_header: Option<&str>) -> Result<String> {
    let declared = match payload {
        Payload::Bytes(_) | Payload::Hashed { .. } => None,
        Payload::Precomputed(hash) => Some(validate_payload_hash(hash.trim_ascii(), false)?),
        Payload::Unsigned => Some(UNSIGNED_PAYLOAD.to_owned()),
    };
    let Some(given) = given_header else {
        return declared.map_or_else(|| body_sha256(payload), Ok);
    };
    let given = validate_payload_hash(given.trim_ascii(), true)?;
    match declared {
        Some(hash) if hash != given => Err(Error::fill(
            ErrorCode::ConflictingHeader,
            "the x-amz-content-sha256 header ({}) differs from the payload hash option ({}); keep one of them",
            &[&given, &hash],
        )),
        // A body given along with its hash: the hash must be right, or the service answers
        // XAmzContentSHA256Mismatch. An empty body is a body too: a body sent some other way
        // is declared with the payload hash option instead.
        None if is_sha256_hex(&given) => {
            let actual = body_sha256(payload)?;
            if actual == given {
                return Ok(given);
            }
            Err(Error::fill(
                ErrorCode::PayloadHashMismatch,
                "the x-amz-content-sha256 header ({}) is not the SHA-256 of the {}-byte body ({}); remove the header and let the signer hash the body, or pass the hash as the payload hash option when the body is sent some other way",
                &[&given, &decimal(payload.body_length().unwrap_or_default() as u64), &actual],
            ))
        }
        _ => Ok(given),
    }
}

/// The SHA-256 of the body, as lowercase hex: of [`Payload::Bytes`], or as [`Payload::Hashed`]
/// gives it, checked as a payload hash option is (and then exactly, not lowercased).
fn body_sha256(payload: Payload<'_>) -> Result<String> {
    match payload {
        Payload::Hashed { sha256, .. } => validate_payload_hash(sha256, true),
        Payload::Bytes(body) => Ok(sha256_hex(body)),
        Payload::Precomputed(_) | Payload::Unsigned => Ok(sha256_hex(&[])),
    }
}

/// Whether header signing sends the payload hash in `x-amz-content-sha256`: when the settings
/// ask for it, and always for a payload hash that is not a SHA-256 (`UNSIGNED-PAYLOAD`,
/// `STREAMING-...`), which reaches the service only through this header.
pub(crate) fn sends_content_sha256(setting: ContentSha256Header, payload_hash: &str) -> bool {
    setting == ContentSha256Header::Include || !is_sha256_hex(payload_hash)
}
