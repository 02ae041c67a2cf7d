//! Cognito user pools (src/cognito/) for JavaScript: the cognito binary (the feature
//! `cognito`), published as `sigv4-wasm/cognito` (js/src/cognito.js) in every runtime. Reads
//! and writes; the core decides. Several fields travel as one string separated by `\0`, as in
//! bindings.rs.

// `Ok(…?)` converts the size builds' `Thrown` into the `JsValue` thrown; with the feature
// `speed` (which no binary combines with `cognito`; `--all-features` does) it is one already.
#![cfg_attr(feature = "speed", allow(clippy::needless_question_mark))]

use wasm_bindgen::prelude::*;

use super::to_js_error;
use crate::cognito;

/// SRP_A for the secret exponent's bytes.
#[wasm_bindgen(js_name = cognitoSrpA)]
pub fn srp_a(secret: &[u8]) -> Result<String, JsValue> {
    Ok(cognito::SrpClient::new(secret).map_err(to_js_error)?.srp_a())
}

/// The PASSWORD_VERIFIER challenge and the other inputs of a claim, from the fields pool id,
/// password, USER_ID_FOR_SRP, SRP_B, SALT, SECRET_BLOCK, TIMESTAMP, SRP_A (empty: recomputed).
struct ClaimFields<'f> {
    pool: &'f str,
    password: &'f str,
    challenge: cognito::PasswordVerifier<'f>,
    timestamp: &'f str,
    srp_a: Option<&'f str>,
}

fn claim_fields(fields: &str) -> ClaimFields<'_> {
    let mut parts = fields.split('\0');
    let mut next = || parts.next().unwrap_or_default();
    let (pool, password) = (next(), next());
    let challenge =
        cognito::PasswordVerifier { user_id_for_srp: next(), srp_b: next(), salt: next(), secret_block: next() };
    let timestamp = next();
    let srp_a = Some(next()).filter(|a| !a.is_empty());
    ClaimFields { pool, password, challenge, timestamp, srp_a }
}

/// PASSWORD_CLAIM_SIGNATURE for the fields of [`claim_fields`] (`\0`-separated), num-bigint
/// exponentiating here. The signature alone crosses into JavaScript: the SRP session key K (the
/// HKDF key) is the secret the proof is made with and stays here.
#[wasm_bindgen(js_name = cognitoPasswordClaim)]
pub fn password_claim(secret: &[u8], fields: &str) -> Result<String, JsValue> {
    let f = claim_fields(fields);
    let client = match f.srp_a {
        Some(srp_a) => cognito::SrpClient::with_srp_a(secret, srp_a),
        None => cognito::SrpClient::new(secret),
    }
    .map_err(to_js_error)?;
    let claim = client.password_claim(f.pool, f.password, &f.challenge, f.timestamp).map_err(to_js_error)?;
    Ok(claim.signature)
}

/// The answers of the host's exponentiations so far: each hex string followed by `\0`.
fn results(text: &str) -> Vec<&str> {
    let mut results: Vec<&str> = text.split('\0').collect();
    results.pop(); // what follows the last terminator: empty when well formed
    results
}

/// `done\0<value>`, or `pow\0<base>\0<exponent>\0<N>` in lowercase hex: what the host computes next.
fn step(step: cognito::SrpStep<String>) -> String {
    match step {
        cognito::SrpStep::Done(value) => format!("done\0{value}"),
        cognito::SrpStep::ModPow(pow) => format!(
            "pow\0{}\0{}\0{}",
            pow.base.to_str_radix(16),
            pow.exponent.to_str_radix(16),
            cognito::N_HEX.to_ascii_lowercase()
        ),
    }
}

/// SRP_A when JavaScript exponentiates (a `modPow` option): the next step after the answers
/// so far. The exponent it asks for is the secret a: only for a caller that chose that.
#[wasm_bindgen(js_name = cognitoSrpAStep)]
pub fn srp_a_step(secret: &[u8], answers: &str) -> Result<String, JsValue> {
    Ok(cognito::srp_a_step(secret, &results(answers)).map(step).map_err(to_js_error)?)
}

/// PASSWORD_CLAIM_SIGNATURE when JavaScript exponentiates: the next step after the answers so
/// far (g^a unless SRP_A is given, g^x, then S). The exponents (a, x, a + u·x) cross into
/// JavaScript; the session key K stays here.
#[wasm_bindgen(js_name = cognitoPasswordClaimStep)]
pub fn password_claim_step(secret: &[u8], fields: &str, answers: &str) -> Result<String, JsValue> {
    let f = claim_fields(fields);
    let answers = results(answers);
    let claim = cognito::password_claim_step(secret, f.srp_a, f.pool, f.password, &f.challenge, f.timestamp, &answers)
        .map_err(to_js_error)?;
    Ok(step(match claim {
        cognito::SrpStep::Done(claim) => cognito::SrpStep::Done(claim.signature),
        cognito::SrpStep::ModPow(pow) => cognito::SrpStep::ModPow(pow),
    }))
}

/// SECRET_HASH.
#[wasm_bindgen(js_name = cognitoSecretHash)]
pub fn secret_hash(client_secret: &str, username: &str, client_id: &str) -> String {
    cognito::secret_hash(client_secret, username, client_id)
}

/// TIMESTAMP for milliseconds since 1970 (whole, checked by the caller).
#[wasm_bindgen(js_name = cognitoTimestamp)]
pub fn timestamp(unix_ms: f64) -> Result<String, JsValue> {
    Ok(cognito::timestamp(unix_ms as i64).map_err(to_js_error)?)
}

/// The PKCE S256 challenge of a verifier.
#[wasm_bindgen(js_name = cognitoPkceChallenge)]
pub fn pkce_challenge(code_verifier: &str) -> Result<String, JsValue> {
    Ok(cognito::pkce_challenge(code_verifier).map_err(to_js_error)?)
}

/// A PKCE verifier from random bytes.
#[wasm_bindgen(js_name = cognitoPkceVerifier)]
pub fn pkce_verifier(random: &[u8]) -> Result<String, JsValue> {
    Ok(cognito::pkce_verifier(random).map_err(to_js_error)?)
}

/// A JWT's header and payload (JSON text), `exp` and `iat` (decimal seconds, or empty),
/// `\0`-separated.
#[wasm_bindgen(js_name = cognitoDecodeJwt)]
pub fn decode_jwt(token: &str) -> Result<String, JsValue> {
    let jwt = cognito::decode_jwt(token).map_err(to_js_error)?;
    let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    Ok(format!("{}\0{}\0{}\0{}", jwt.header, jwt.payload, number(jwt.exp), number(jwt.iat)))
}
