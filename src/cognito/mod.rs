//! Amazon Cognito user pools, the client's math: USER_SRP_AUTH ([`SrpClient`]), SECRET_HASH
//! ([`secret_hash`]), the TIMESTAMP of a PASSWORD_VERIFIER answer ([`timestamp`]), PKCE S256
//! ([`pkce_challenge`]) and JWT decoding without verification ([`decode_jwt`]).
//!
//! Sans-IO like the rest of the core: randomness and the time are arguments, nothing is sent.
//! The host builds the InitiateAuth / RespondToAuthChallenge calls (JSON 1.1, no SigV4).
//! Algorithms, wire formats and the vectors the tests use: the notes on Cognito (§2, §4, §6).

mod jwt;
mod srp;

pub use jwt::{Jwt, decode_jwt};
pub use srp::{
    G, ModPow, N_HEX, PasswordClaim, PasswordVerifier, SrpClient, SrpStep, multiplier, pad, password_claim_step,
    srp_a_step,
};

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

use crate::base64;
use crate::datetime::AmzDateTime;
use crate::error::{Error, ErrorCode, Result};

pub(crate) fn srp_error(message: impl Into<std::borrow::Cow<'static, str>>) -> Error {
    Error::new(ErrorCode::InvalidSrpParameter, message)
}

/// The pool's name in its id (`us-east-1_AbCdEf` → `AbCdEf`), which SRP hashes and signs.
pub fn pool_name(user_pool_id: &str) -> Result<&str> {
    match user_pool_id.split_once('_') {
        Some((region, name))
            if !region.is_empty()
                && !name.is_empty()
                && !name.contains('_')
                && user_pool_id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') =>
        {
            Ok(name)
        }
        _ => Err(Error::new(
            ErrorCode::InvalidUserPoolId,
            "the user pool id must be <region>_<name>, e.g. us-east-1_AbCdEfGhI (the Cognito console's 'User pool ID')",
        )),
    }
}

/// SECRET_HASH = Base64(HMAC-SHA256(key = client secret, message = username ‖ client id)), for
/// app clients with a secret. `username` is the one the call sends as USERNAME (in
/// RespondToAuthChallenge and REFRESH_TOKEN_AUTH, the internal username, not an alias).
pub fn secret_hash(client_secret: &str, username: &str, client_id: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(client_secret.as_bytes()).expect("HMAC accepts keys of any length"); // infallible: HMAC takes keys of any length
    mac.update(username.as_bytes());
    mac.update(client_id.as_bytes());
    base64::base64(&mac.finalize().into_bytes())
}

const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// TIMESTAMP for PASSWORD_VERIFIER: Java's `EEE MMM d HH:mm:ss z yyyy` in English, in UTC, the
/// day without a leading zero (`Tue Jan 1 06:06:09 UTC 2019`). Cognito refuses `Jan 01`, a
/// 12-hour clock or a wrong weekday. `unix_ms`: milliseconds since 1970 (from 1970 to 9999).
pub fn timestamp(unix_ms: i64) -> Result<String> {
    let seconds = unix_ms.div_euclid(1000);
    if seconds < 0 {
        return Err(Error::new(ErrorCode::InvalidDate, "the TIMESTAMP time must be after 1970"));
    }
    let time = AmzDateTime::from_unix_seconds(seconds)?;
    let digits = time.amz_date_time(); // YYYYMMDDTHHMMSSZ
    let month: usize = digits[4..6].parse().expect("two digits"); // infallible: amz_date_time's format
    let day: u32 = digits[6..8].parse().expect("two digits"); // infallible: amz_date_time's format
    let weekday = WEEKDAYS[(seconds / 86_400 % 7) as usize];
    Ok(format!(
        "{weekday} {} {day} {}:{}:{} UTC {}",
        MONTHS[month - 1],
        &digits[9..11],
        &digits[11..13],
        &digits[13..15],
        &digits[0..4]
    ))
}

/// PKCE S256 (RFC 7636 §4.2): BASE64URL(SHA256(verifier)), the only method Cognito accepts.
/// The verifier must be 43 to 128 characters of `A-Z a-z 0-9 - . _ ~` (§4.1).
pub fn pkce_challenge(code_verifier: &str) -> Result<String> {
    let valid = (43..=128).contains(&code_verifier.len())
        && code_verifier.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'));
    if !valid {
        return Err(Error::new(
            ErrorCode::InvalidCodeVerifier,
            "the PKCE code verifier must be 43 to 128 characters of A-Z, a-z, 0-9, '-', '.', '_', '~' (RFC 7636 §4.1); make one with pkce_verifier(32 random bytes)",
        ));
    }
    Ok(base64::encode_url(&Sha256::digest(code_verifier.as_bytes())))
}

/// A PKCE code verifier from random bytes: their URL-safe base64 (32 bytes give the 43
/// characters RFC 7636 recommends). 32 to 96 bytes.
pub fn pkce_verifier(random: &[u8]) -> Result<String> {
    if !(32..=96).contains(&random.len()) {
        return Err(Error::new(ErrorCode::InvalidCodeVerifier, "a PKCE code verifier needs 32 to 96 random bytes"));
    }
    Ok(base64::encode_url(random))
}
