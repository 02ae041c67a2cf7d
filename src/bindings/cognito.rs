//! Cognito user pools (src/cognito/) for JavaScript: the cognito binary (the feature
//! `cognito`), published as `sigv4-wasm/cognito` (js/src/cognito.js) in every runtime. Reads
//! and writes; the core decides. Several fields travel as one string separated by `\0`, as in
//! bindings.rs.

use wasm_bindgen::prelude::*;

use super::to_js_error;
use crate::cognito;

/// SRP_A for the secret exponent's bytes.
#[wasm_bindgen(js_name = cognitoSrpA)]
pub fn srp_a(secret: &[u8]) -> Result<String, JsValue> {
    Ok(cognito::SrpClient::new(secret).map_err(to_js_error)?.srp_a())
}

/// PASSWORD_CLAIM_SIGNATURE for the fields pool id, password, USER_ID_FOR_SRP, SRP_B, SALT,
/// SECRET_BLOCK, TIMESTAMP (`\0`-separated). The signature alone crosses into JavaScript: the
/// SRP session key K (the HKDF key) is the secret the proof is made with and stays here.
#[wasm_bindgen(js_name = cognitoPasswordClaim)]
pub fn password_claim(secret: &[u8], fields: &str) -> Result<String, JsValue> {
    let mut parts = fields.split('\0');
    let mut next = || parts.next().unwrap_or_default();
    let (pool, password) = (next(), next());
    let challenge =
        cognito::PasswordVerifier { user_id_for_srp: next(), srp_b: next(), salt: next(), secret_block: next() };
    let timestamp = next();
    let client = cognito::SrpClient::new(secret).map_err(to_js_error)?;
    let claim = client.password_claim(pool, password, &challenge, timestamp).map_err(to_js_error)?;
    Ok(claim.signature)
}

/// SECRET_HASH.
#[wasm_bindgen(js_name = cognitoSecretHash)]
pub fn secret_hash(client_secret: &str, username: &str, client_id: &str) -> String {
    cognito::secret_hash(client_secret, username, client_id)
}

/// TIMESTAMP for milliseconds since 1970 (whole, checked by the caller).
#[wasm_bindgen(js_name = cognitoTimestamp)]
pub fn timestamp(unix_ms: f64) -> Result<String, JsValue> {
    cognito::timestamp(unix_ms as i64).map_err(to_js_error)
}

/// The PKCE S256 challenge of a verifier.
#[wasm_bindgen(js_name = cognitoPkceChallenge)]
pub fn pkce_challenge(code_verifier: &str) -> Result<String, JsValue> {
    cognito::pkce_challenge(code_verifier).map_err(to_js_error)
}

/// A PKCE verifier from random bytes.
#[wasm_bindgen(js_name = cognitoPkceVerifier)]
pub fn pkce_verifier(random: &[u8]) -> Result<String, JsValue> {
    cognito::pkce_verifier(random).map_err(to_js_error)
}

/// A JWT's header and payload (JSON text), `exp` and `iat` (decimal seconds, or empty),
/// `\0`-separated.
#[wasm_bindgen(js_name = cognitoDecodeJwt)]
pub fn decode_jwt(token: &str) -> Result<String, JsValue> {
    let jwt = cognito::decode_jwt(token).map_err(to_js_error)?;
    let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    Ok(format!("{}\0{}\0{}\0{}", jwt.header, jwt.payload, number(jwt.exp), number(jwt.iat)))
}
