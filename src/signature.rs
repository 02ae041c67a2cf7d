//! Tasks 2 to 4 of SigV4: the string to sign, the signing key and the signature, and the
//! `Authorization` header that carries them.
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html>

#[cfg(not(sigv4_postman))]
use hmac::{Hmac, KeyInit, Mac};
#[cfg(feature = "speed")]
use sha2::block_api::compress256;
#[cfg(not(sigv4_postman))]
use sha2::{Digest, Sha256};
#[cfg(feature = "speed")]
use zeroize::Zeroize;
use zeroize::Zeroizing;

use crate::datetime::AmzDateTime;
use crate::encode::lower_hex;
use crate::secret::SecretBytes;
use crate::text::text;

/// The algorithm name, line 1 of the string to sign.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";
/// The last element of every credential scope.
pub const SCOPE_TERMINATOR: &str = "aws4_request";
/// The payload hash that marks a body outside the signature.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
/// SHA-256 of the empty string, the payload hash of a request without a body.
pub const EMPTY_PAYLOAD_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// The HMAC-SHA256 state a signing key prepares: the `hmac` crate's, or in the Postman binary
/// (`--cfg sigv4_postman`) src/sha256.rs's, which translates to far less JavaScript. The same
/// MACs; the rest of this file reads the same for both, with one function body for each where
/// they differ.
#[cfg(all(not(feature = "speed"), not(sigv4_postman)))]
type KeyedHmac = Hmac<Sha256>;
#[cfg(sigv4_postman)]
type KeyedHmac = crate::sha256::HmacSha256;

/// A derived signing key (`kSigning`), with the HMAC state it keys prepared once: signing a
/// string then hashes the string only, not the key's two padding blocks again. Both are
/// zeroed on drop; `Debug` prints nothing of them.
///
/// With the feature `speed`, that state is kept as bytes ([`Pads`]), which the cache keeps
/// with the key, so that a cached key hashes no block of its own (2 of the 7 blocks of a
/// signature with a cached key); without it, as `Hmac<Sha256>`, rebuilt for a cached key (the
/// signer's binary is 0.5 KB gzipped smaller so).
#[derive(Clone)]
pub struct SigningKey {
    bytes: SecretBytes<32>,
    #[cfg(feature = "speed")]
    pads: SecretBytes<64>,
    #[cfg(not(feature = "speed"))]
    mac: KeyedHmac,
}

impl SigningKey {
    #[cfg(feature = "speed")]
    pub(crate) fn new(bytes: [u8; 32]) -> Self {
        let pads = Pads::of(&bytes);
        Self { bytes: SecretBytes(bytes), pads }
    }

    #[cfg(all(not(feature = "speed"), not(sigv4_postman)))]
    pub(crate) fn new(bytes: [u8; 32]) -> Self {
        let mac = Hmac::<Sha256>::new_from_slice(&bytes).expect("HMAC accepts keys of any length"); // infallible: HMAC takes keys of any length
        Self { bytes: SecretBytes(bytes), mac }
    }

    /// A key and the HMAC states [`SigningKey::pads`] gave for it, kept (src/cache.rs).
    #[cfg(feature = "speed")]
    pub(crate) fn with_pads(bytes: [u8; 32], pads: [u8; 64]) -> Self {
        Self { bytes: SecretBytes(bytes), pads: SecretBytes(pads) }
    }

    /// The HMAC states of this key, as bytes ([`Pads`]).
    #[cfg(feature = "speed")]
    pub(crate) fn pads(&self) -> &[u8; 64] {
        self.pads.as_bytes()
    }

    #[cfg(sigv4_postman)]
    pub(crate) fn new(bytes: [u8; 32]) -> Self {
        let mac = KeyedHmac::new(&bytes);
        Self { bytes: SecretBytes(bytes), mac }
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        self.bytes.as_bytes()
    }

    /// Lowercase hex, for the places meant to show it (the playground). Never log it.
    pub fn to_hex(&self) -> String {
        self.bytes.to_hex()
    }

    /// HMAC-SHA256 keyed with this key: `H((K ^ opad) || H((K ^ ipad) || data))`, each hash
    /// continued from the state after its first block, the padded key (RFC 2104).
    #[cfg(feature = "speed")]
    pub fn mac(&self, data: &[u8]) -> [u8; 32] {
        let pads = self.pads.as_bytes();
        let inner = Pads::finish(&pads[..32], data);
        Pads::finish(&pads[32..], &inner)
    }

    /// HMAC-SHA256 keyed with this key.
    #[cfg(all(not(feature = "speed"), not(sigv4_postman)))]
    pub fn mac(&self, data: &[u8]) -> [u8; 32] {
        let mut mac = self.mac.clone();
        mac.update(data);
        mac.finalize().into_bytes().into()
    }

    /// HMAC-SHA256 keyed with this key.
    #[cfg(sigv4_postman)]
    pub fn mac(&self, data: &[u8]) -> [u8; 32] {
        self.mac.mac(data)
    }
}

/// HMAC-SHA256's two hashes for one key, each started: the SHA-256 state after its first block,
/// the key padded with `ipad` (inner) or `opad` (outer), as eight big-endian words each. What
/// `Hmac<Sha256>` computes for a key each time it is made, kept as bytes.
#[cfg(feature = "speed")]
struct Pads;

#[cfg(feature = "speed")]
impl Pads {
    /// The inner then the outer state for `key`.
    fn of(key: &[u8; 32]) -> SecretBytes<64> {
        let mut pads = SecretBytes([0u8; 64]);
        for (half, pad) in pads.0.chunks_exact_mut(32).zip([0x36u8, 0x5c]) {
            let mut block = SecretBytes([pad; 64]);
            for (b, k) in block.0.iter_mut().zip(key) {
                *b ^= k;
            }
            let mut state = crate::sha256::INITIAL_STATE;
            compress256(&mut state, &[block.0]);
            for (bytes, word) in half.chunks_exact_mut(4).zip(state) {
                bytes.copy_from_slice(&word.to_be_bytes());
            }
            state.zeroize();
        }
        pads
    }

    /// SHA-256 from `started` (a state after one block), over `data`: the digest.
    fn finish(started: &[u8], data: &[u8]) -> [u8; 32] {
        let mut state = [0u32; 8];
        for (word, bytes) in state.iter_mut().zip(started.chunks_exact(4)) {
            *word = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        }
        let mut blocks = data.chunks_exact(64);
        for block in &mut blocks {
            let mut whole = [0u8; 64];
            whole.copy_from_slice(block);
            compress256(&mut state, &[whole]);
        }
        // The padding: 0x80, zeros, and the length in bits of everything hashed, the first
        // block included, in the last 8 bytes of one block or two.
        let rest = blocks.remainder();
        let mut last = [[0u8; 64]; 2];
        let tail = last.as_flattened_mut();
        tail[..rest.len()].copy_from_slice(rest);
        tail[rest.len()] = 0x80;
        let end = if rest.len() < 56 { 64 } else { 128 };
        let bits = (64 + data.len() as u64) * 8;
        tail[end - 8..end].copy_from_slice(&bits.to_be_bytes());
        compress256(&mut state, &last[..end / 64]);
        let mut digest = [0u8; 32];
        for (bytes, word) in digest.chunks_exact_mut(4).zip(state) {
            bytes.copy_from_slice(&word.to_be_bytes());
        }
        state.zeroize();
        digest
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
#[cfg(not(sigv4_postman))]
pub fn sha256_hex(data: &[u8]) -> String {
    if data.is_empty() {
        return EMPTY_PAYLOAD_SHA256.to_owned();
    }
    lower_hex(&Sha256::digest(data))
}

/// Lowercase hex SHA-256 (the Postman binary's).
#[cfg(sigv4_postman)]
pub fn sha256_hex(data: &[u8]) -> String {
    if data.is_empty() {
        return EMPTY_PAYLOAD_SHA256.to_owned();
    }
    lower_hex(&crate::sha256::sha256(data))
}

/// HMAC-SHA256.
#[cfg(not(sigv4_postman))]
pub fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts keys of any length"); // infallible: HMAC takes keys of any length
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// HMAC-SHA256.
#[cfg(sigv4_postman)]
pub fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    crate::sha256::HmacSha256::new(key).mac(data)
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
