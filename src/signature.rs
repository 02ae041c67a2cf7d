//! Tasks 2 to 4 of SigV4: the string to sign, the signing key and the signature, and the
//! `Authorization` header that carries them.
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html>

use zeroize::Zeroizing;

use crate::datetime::AmzDateTime;
use crate::encode::lower_hex;
use crate::secret::SecretBytes;
use crate::sha256::{HmacSha256, sha256};
use crate::text::text;

/// The algorithm name, line 1 of the string to sign.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";
/// The last element of every credential scope.
pub const SCOPE_TERMINATOR: &str = "aws4_request";
/// The payload hash that marks a body outside the signature.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
/// SHA-256 of the empty string, the payload hash of a request without a body.
pub const EMPTY_PAYLOAD_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// A derived signing key (`kSigning`), with the HMAC state it keys prepared once: signing a
/// string then hashes the string only, not the key's two padding blocks again. The cache keeps
/// that state with the key ([`SigningKey::hmac_states`]), so a cached key hashes no block of
/// its own either. Both are zeroed on drop; `Debug` prints nothing of them.
#[derive(Clone)]
pub struct SigningKey {
    bytes: SecretBytes<32>,
    mac: HmacSha256,
}

impl SigningKey {
    pub(crate) fn new(bytes: [u8; 32]) -> Self {
        Self { mac: HmacSha256::new(&bytes), bytes: SecretBytes(bytes) }
    }

    /// A key and the HMAC states [`SigningKey::hmac_states`] gave for it, kept (src/cache.rs;
    /// not in the Postman binary, which caches no key).
    #[cfg(not(sigv4_postman))]
    pub(crate) fn with_hmac_states(bytes: [u8; 32], states: &[[u32; 8]; 2]) -> Self {
        Self { bytes: SecretBytes(bytes), mac: HmacSha256::from_states(states) }
    }

    /// The states of this key's HMAC after its padded blocks.
    #[cfg(not(sigv4_postman))]
    pub(crate) fn hmac_states(&self) -> [[u32; 8]; 2] {
        self.mac.states()
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        self.bytes.as_bytes()
    }

    /// Lowercase hex, for the places meant to show it (the playground). Never log it.
    pub fn to_hex(&self) -> String {
        self.bytes.to_hex()
    }

    /// HMAC-SHA256 keyed with this key: `H((K ^ opad) || H((K ^ ipad) || data))` (RFC 2104).
    pub fn mac(&self, data: &[u8]) -> [u8; 32] {
        self.mac.mac(data)
    }
}

impl PartialEq for SigningKey {
    fn eq(&self, other: &Self) -> bool {
        self.bytes == other.bytes
    }
}

impl Eq for SigningKey {}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("** redacted **")
    }
}

/// Lowercase hex SHA-256, the form SigV4 uses for hashes. The empty body's, the payload hash of
/// every request without one, is a constant.
pub fn sha256_hex(data: &[u8]) -> String {
    if data.is_empty() {
        return EMPTY_PAYLOAD_SHA256.to_owned();
    }
    lower_hex(&sha256(data))
}

/// HMAC-SHA256.
pub fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    HmacSha256::new(key).mac(data)
}

/// `CredentialScope = date/region/service/aws4_request`.
pub fn credential_scope(time: AmzDateTime, region: &str, service: &str) -> String {
    credential_scope_of(&time.amz_date(), region, service)
}

/// [`credential_scope`] from the date as `YYYYMMDD`.
pub(crate) fn credential_scope_of(date: &str, region: &str, service: &str) -> String {
    text!(date, "/", region, "/", service, "/", SCOPE_TERMINATOR)
}

/// Task 2, the string to sign:
///
/// ```text
/// AWS4-HMAC-SHA256 + '\n' + X-Amz-Date + '\n' + CredentialScope + '\n' + Hex(SHA256(CanonicalRequest))
/// ```
pub fn string_to_sign(time: AmzDateTime, credential_scope: &str, canonical_request: &str) -> String {
    string_to_sign_of_hash(&time.amz_date_time(), credential_scope, &sha256_hex(canonical_request.as_bytes()))
}

/// [`string_to_sign`] from the signing time as `X-Amz-Date` and the hash of the canonical
/// request as lowercase hex.
pub(crate) fn string_to_sign_of_hash(
    amz_date_time: &str,
    credential_scope: &str,
    canonical_request_hash: &str,
) -> String {
    text!(ALGORITHM, "\n", amz_date_time, "\n", credential_scope, "\n", canonical_request_hash)
}

/// The four keys of task 3, each an HMAC keyed with the one before:
///
/// ```text
/// kDate    = HMAC("AWS4" + kSecret, Date)
/// kRegion  = HMAC(kDate, Region)
/// kService = HMAC(kRegion, Service)
/// kSigning = HMAC(kService, "aws4_request")
/// ```
///
/// The playground shows them; signing only needs [`signing_key`].
#[derive(Debug)]
pub struct SigningKeyDerivation {
    pub k_date: SecretBytes<32>,
    pub k_region: SecretBytes<32>,
    pub k_service: SecretBytes<32>,
    pub k_signing: SigningKey,
}

/// Task 3, every step of the signing-key derivation.
pub fn signing_key_derivation(
    secret_access_key: &str,
    date: &str,
    region: &str,
    service: &str,
) -> SigningKeyDerivation {
    let mut k_secret = Zeroizing::new(Vec::with_capacity(4 + secret_access_key.len()));
    k_secret.extend_from_slice(b"AWS4");
    k_secret.extend_from_slice(secret_access_key.as_bytes());
    let k_date = SecretBytes(hmac_sha256(&k_secret, date.as_bytes()));
    let k_region = SecretBytes(hmac_sha256(k_date.as_bytes(), region.as_bytes()));
    let k_service = SecretBytes(hmac_sha256(k_region.as_bytes(), service.as_bytes()));
    let k_signing = SigningKey::new(hmac_sha256(k_service.as_bytes(), SCOPE_TERMINATOR.as_bytes()));
    SigningKeyDerivation { k_date, k_region, k_service, k_signing }
}

/// Task 3, the signing key (`kSigning`). `date` is the `YYYYMMDD` of the credential scope.
#[cfg(not(sigv4_postman))]
pub fn signing_key(secret_access_key: &str, date: &str, region: &str, service: &str) -> SigningKey {
    signing_key_derivation(secret_access_key, date, region, service).k_signing
}

/// Task 3, the signing key (`kSigning`): the Postman binary's, the same keys as
/// [`signing_key_derivation`] in a loop, without keeping the three before it.
#[cfg(sigv4_postman)]
pub fn signing_key(secret_access_key: &str, date: &str, region: &str, service: &str) -> SigningKey {
    let mut k_secret = Zeroizing::new(Vec::with_capacity(4 + secret_access_key.len()));
    k_secret.extend_from_slice(b"AWS4");
    k_secret.extend_from_slice(secret_access_key.as_bytes());
    let mut key = Zeroizing::new(hmac_sha256(&k_secret, date.as_bytes()));
    for part in [region, service, SCOPE_TERMINATOR] {
        *key = hmac_sha256(&key[..], part.as_bytes());
    }
    SigningKey::new(*key)
}

/// Task 3, the signature: `Hex(HMAC(kSigning, StringToSign))`.
pub fn signature(signing_key: &SigningKey, string_to_sign: &str) -> String {
    lower_hex(&signing_key.mac(string_to_sign.as_bytes()))
}

/// Task 4, the `Authorization` header value:
/// `AWS4-HMAC-SHA256 Credential=AKID/scope, SignedHeaders=a;b, Signature=hex`.
pub fn authorization_header(
    access_key_id: &str,
    credential_scope: &str,
    signed_headers: &str,
    signature: &str,
) -> String {
    text!(
        ALGORITHM,
        " Credential=",
        access_key_id,
        "/",
        credential_scope,
        ", SignedHeaders=",
        signed_headers,
        ", Signature=",
        signature
    )
}

/// Compares two byte strings in time that depends only on their lengths.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
