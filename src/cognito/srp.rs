//! USER_SRP_AUTH: the client side of Cognito's SRP-6a, as amazon-cognito-identity-js 6.3.21
//! computes it (its `AuthenticationHelper`; every step is described in the notes, §2.3).
//!
//! Sans-IO: the 128 random bytes of `a` and the timestamp are arguments. The 3072-bit group of
//! RFC 3526 with g = 2; values are hashed in Java's two's-complement byte form (`pad_hex`); the
//! key is RFC 5869 HKDF-SHA256 with the info "Caldera Derived Key" and 16 bytes of output.
//!
//! The three modular exponentiations of a sign-in (A = g^a, g^x, S) can also be the host's: the
//! `*_step` functions are a sans-IO state machine that returns the next [`ModPow`] to compute
//! and, given the answers so far (each checked to be in [1, N)), finishes. React Native uses it
//! for a BigInt or native exponentiation (its wasm2js translation of num-bigint takes seconds);
//! the wasm default keeps num-bigint here, so that no secret leaves the binary.
//!
//! The big-integer arithmetic is num-bigint's, which is not constant-time: the exponent `a` and
//! the password-derived `x` may leak through timing to someone who can measure this process's
//! exponentiations, as with every JavaScript implementation Cognito's SDKs ship (jsbn).

use hmac::{Hmac, KeyInit, Mac};
use num_bigint::BigUint;
use sha2::{Digest, Sha256};

use super::{pool_name, srp_error};
use crate::base64;
use crate::error::{Error, ErrorCode, Result};

/// The 3072-bit MODP prime of RFC 3526 §4, in hex.
pub const N_HEX: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD",
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F",
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B",
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510",
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7",
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C",
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);

/// The generator.
pub const G: u32 = 2;

/// The longest hex accepted for SRP_B and SALT: twice N's length, far more than Cognito sends.
const MAX_HEX_DIGITS: usize = 1536;

/// The info of Cognito's HKDF.
const HKDF_INFO: &[u8] = b"Caldera Derived Key";

fn n() -> BigUint {
    BigUint::parse_bytes(N_HEX.as_bytes(), 16).expect("N_HEX is hex") // infallible: a constant
}

fn sha256(parts: &[&[u8]]) -> [u8; 32] {
    let mut hash = Sha256::new();
    for part in parts {
        hash.update(part);
    }
    hash.finalize().into()
}

fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts keys of any length"); // infallible: HMAC takes keys of any length
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

/// `n` as Java's `BigInteger.toByteArray()` gives it (acij's `padHex`): the minimal big-endian
/// bytes, with a leading zero byte when the top bit is set.
pub fn pad(n: &BigUint) -> Vec<u8> {
    let mut bytes = n.to_bytes_be();
    if bytes[0] & 0x80 != 0 {
        bytes.insert(0, 0);
    }
    bytes
}

/// k = H(pad(N) ‖ pad(g)), Cognito's multiplier (not RFC 5054's, which pads g to N's length).
pub fn multiplier() -> BigUint {
    BigUint::from_bytes_be(&sha256(&[&pad(&n()), &pad(&BigUint::from(G))]))
}

/// A value of hex digits (odd length allowed, as Cognito may send it); anything else is an error.
fn parse_hex(text: &str, name: &str) -> Result<BigUint> {
    if text.is_empty() || text.len() > MAX_HEX_DIGITS || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(srp_error(format!(
            "{name} must be 1 to {MAX_HEX_DIGITS} hex digits, as Cognito's PASSWORD_VERIFIER challenge sends it"
        )));
    }
    Ok(BigUint::parse_bytes(text.as_bytes(), 16).expect("checked hex")) // infallible: checked above
}

/// Parses an exponentiation's answer from the host: hex in [1, N), else an SRP error that says
/// which answer (never its value: a wrong answer may be a secret).
fn parse_result(text: &str, index: usize, n: &BigUint) -> Result<BigUint> {
    let ok = !text.is_empty() && text.len() <= MAX_HEX_DIGITS && text.bytes().all(|b| b.is_ascii_hexdigit());
    let value = if ok { BigUint::parse_bytes(text.as_bytes(), 16) } else { None };
    match value {
        Some(value) if value != BigUint::ZERO && &value < n => Ok(value),
        _ => Err(srp_error(format!(
            "modPow answer {} is not base^exponent mod N: it must be hex in [1, N) (the modPow function returns the result as a hex string)",
            index + 1
        ))),
    }
}

/// A modular exponentiation the core asks of the host: `base^exponent mod N` (modulus [`N_HEX`]).
/// The exponent is secret (a, x, a + u·x), and so is S's base (B − k·g^x gives away g^x, the
/// password verifier): its Debug output shows neither.
#[derive(Clone, PartialEq, Eq)]
pub struct ModPow {
    /// The base, in [1, N): g, or B − k·g^x.
    pub base: BigUint,
    /// The exponent: a, x or a + u·x.
    pub exponent: BigUint,
}

impl std::fmt::Debug for ModPow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ModPow").field("base", &"** redacted **").field("exponent", &"** redacted **").finish()
    }
}

/// The next step of SRP math whose exponentiations are the host's: an exponentiation to
/// compute (its answer is appended to `results` for the next call), or the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SrpStep<T> {
    /// Compute this, then call again with its answer appended.
    ModPow(ModPow),
    /// The result.
    Done(T),
}

/// Exponentiates mod N: num-bigint's, or the host's answers replayed in order.
enum Exponentiator<'r> {
    Here,
    Host { results: &'r [&'r str], used: usize, asked: Option<ModPow> },
}

impl Exponentiator<'_> {
    /// `base^exponent mod N`, or None when the host has not answered yet (the request is kept).
    fn pow(&mut self, base: &BigUint, exponent: &BigUint, n: &BigUint) -> Result<Option<BigUint>> {
        match self {
            Self::Here => Ok(Some(base.modpow(exponent, n))),
            Self::Host { results, used, asked } => match results.get(*used) {
                Some(text) => {
                    let value = parse_result(text, *used, n)?;
                    *used += 1;
                    Ok(Some(value))
                }
                None => {
                    *asked = Some(ModPow { base: base.clone(), exponent: exponent.clone() });
                    Ok(None)
                }
            },
        }
    }

    /// The step after a computation that needed `value` (None: it stopped for an answer).
    fn step<T>(self, value: Option<T>) -> Result<SrpStep<T>> {
        match (self, value) {
            (Self::Here, Some(value)) => Ok(SrpStep::Done(value)),
            (Self::Host { results, used, .. }, Some(value)) if used == results.len() => Ok(SrpStep::Done(value)),
            (Self::Host { .. }, Some(_)) => Err(srp_error(
                "more modPow answers than exponentiations asked: pass only the answers to the steps returned",
            )),
            (Self::Host { asked: Some(asked), .. }, None) => Ok(SrpStep::ModPow(asked)),
            _ => unreachable!("a computation stops only for an exponentiation it asked"), // infallible: pow returns None only after storing the request
        }
    }
}

/// The secret exponent from its bytes, checked as [`SrpClient::new`] says.
fn secret_exponent(random: &[u8]) -> Result<BigUint> {
    if random.is_empty() || random.len() > 1024 || random.iter().all(|&b| b == 0) {
        return Err(srp_error(
            "the secret SRP exponent must be 1 to 1024 random bytes, not all zero (128 from a CSPRNG, as Cognito's SDKs use)",
        ));
    }
    Ok(BigUint::from_bytes_be(random))
}

/// SRP_A given back (public, carried from the first step): hex in [1, N).
fn parse_srp_a(text: &str, n: &BigUint) -> Result<BigUint> {
    let a = parse_hex(text, "SRP_A")?;
    if a == BigUint::ZERO || &a >= n {
        return Err(srp_error("SRP_A must be in [1, N): pass the SRP_A that srpA returned for the same secret"));
    }
    Ok(a)
}

/// SRP_A when the host exponentiates: asks for g^a, then returns A (lowercase hex without
/// leading zeros, as [`SrpClient::srp_a`]). `results`: the answers so far, hex.
pub fn srp_a_step(random: &[u8], results: &[&str]) -> Result<SrpStep<String>> {
    let a = secret_exponent(random)?;
    let n = n();
    let mut pow = Exponentiator::Host { results, used: 0, asked: None };
    let large_a = pow.pow(&BigUint::from(G), &a, &n)?;
    pow.step(large_a.map(|large_a| large_a.to_str_radix(16)))
}

/// The answer to PASSWORD_VERIFIER when the host exponentiates: asks for g^a when `srp_a` is
/// None (else takes it as given: SRP_A is public), then g^x and S, then returns the claim.
/// `results`: the answers so far, hex, in the order asked.
pub fn password_claim_step(
    random: &[u8],
    srp_a: Option<&str>,
    user_pool_id: &str,
    password: &str,
    challenge: &PasswordVerifier<'_>,
    timestamp: &str,
    results: &[&str],
) -> Result<SrpStep<PasswordClaim>> {
    let a = secret_exponent(random)?;
    let n = n();
    let mut pow = Exponentiator::Host { results, used: 0, asked: None };
    let large_a = match srp_a {
        Some(text) => Some(parse_srp_a(text, &n)?),
        None => pow.pow(&BigUint::from(G), &a, &n)?,
    };
    let claim = match large_a {
        Some(large_a) => claim(&a, &large_a, user_pool_id, password, challenge, timestamp, &mut pow)?,
        None => None,
    };
    pow.step(claim)
}

/// PASSWORD_CLAIM_SIGNATURE and the HKDF key, exponentiating with `pow` (None: stopped for an
/// answer from the host).
fn claim(
    a: &BigUint,
    large_a: &BigUint,
    user_pool_id: &str,
    password: &str,
    challenge: &PasswordVerifier<'_>,
    timestamp: &str,
    pow: &mut Exponentiator<'_>,
) -> Result<Option<PasswordClaim>> {
    let PasswordVerifier { user_id_for_srp, srp_b, salt, secret_block } = *challenge;
    let pool = pool_name(user_pool_id)?;
    let n = n();
    let b = parse_hex(srp_b, "SRP_B")?;
    if (&b % &n) == BigUint::ZERO {
        return Err(srp_error("SRP_B is a multiple of N: the challenge is invalid (SRP-6a aborts here)"));
    }
    let salt = parse_hex(salt, "SALT")?;
    let secret = base64::decode(secret_block).ok_or_else(|| {
        Error::new(ErrorCode::InvalidSecretBlock, "SECRET_BLOCK must be base64, as the challenge sends it")
    })?;
    let u = BigUint::from_bytes_be(&sha256(&[&pad(large_a), &pad(&b)]));
    if u == BigUint::ZERO {
        return Err(srp_error("u = H(A, B) is zero: the challenge is invalid (SRP-6a aborts here)"));
    }
    let inner = sha256(&[pool.as_bytes(), user_id_for_srp.as_bytes(), b":", password.as_bytes()]);
    let x = BigUint::from_bytes_be(&sha256(&[&pad(&salt), &inner]));
    let Some(gx) = pow.pow(&BigUint::from(G), &x, &n)? else { return Ok(None) };
    // B - k·g^x is usually negative: reduce into [0, N) first.
    let kgx = (multiplier() * gx) % &n;
    let base = ((&b % &n) + &n - kgx) % &n;
    if base == BigUint::ZERO {
        return Err(srp_error("SRP_B equals k·g^x mod N: the challenge is invalid (S would be 0)"));
    }
    let Some(s) = pow.pow(&base, &(a + &u * &x), &n)? else { return Ok(None) };
    let prk = hmac_sha256(&pad(&u), &[&pad(&s)]);
    let okm = hmac_sha256(&prk, &[HKDF_INFO, &[1]]);
    let mut hkdf_key = [0u8; 16];
    hkdf_key.copy_from_slice(&okm[..16]);
    let mac = hmac_sha256(&hkdf_key, &[pool.as_bytes(), user_id_for_srp.as_bytes(), &secret, timestamp.as_bytes()]);
    Ok(Some(PasswordClaim { signature: base64::base64(&mac), hkdf_key }))
}

/// The client's ephemeral key pair: the secret `a` and `A = g^a mod N`.
pub struct SrpClient {
    a: BigUint,
    large_a: BigUint,
}

impl std::fmt::Debug for SrpClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SrpClient").field("srp_a", &self.srp_a()).finish_non_exhaustive()
    }
}

/// The ChallengeParameters of PASSWORD_VERIFIER, as InitiateAuth returns them.
#[derive(Debug, Clone, Copy)]
pub struct PasswordVerifier<'a> {
    /// USER_ID_FOR_SRP: the internal username, hashed and signed (not the alias typed).
    pub user_id_for_srp: &'a str,
    /// SRP_B: the server's public value, hex.
    pub srp_b: &'a str,
    /// SALT: hex.
    pub salt: &'a str,
    /// SECRET_BLOCK: base64, signed as its bytes and sent back as it is.
    pub secret_block: &'a str,
}

/// What the client answers to PASSWORD_VERIFIER. Its Debug output leaves out the HKDF key.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordClaim {
    /// PASSWORD_CLAIM_SIGNATURE: standard base64.
    pub signature: String,
    /// The 16-byte HKDF key the signature was made with (for tests and diagnostics).
    pub hkdf_key: [u8; 16],
}

impl std::fmt::Debug for PasswordClaim {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The HKDF key is the session key K: whoever has it can sign as this user.
        f.debug_struct("PasswordClaim")
            .field("signature", &self.signature)
            .field("hkdf_key", &"** redacted **")
            .finish()
    }
}

impl SrpClient {
    /// From the secret exponent's bytes, big-endian: 128 bytes from a CSPRNG, as acij draws
    /// them. Shorter values are for test vectors; all zero is refused.
    pub fn new(random: &[u8]) -> Result<Self> {
        let a = secret_exponent(random)?;
        let large_a = BigUint::from(G).modpow(&a, &n());
        Ok(Self { a, large_a })
    }

    /// With SRP_A as [`Self::srp_a`] returned it for the same secret, not recomputed (A is
    /// public; g^a is the most expensive step of a sign-in, done once). Hex in [1, N), else an
    /// SRP error; an SRP_A of another secret gives a signature Cognito refuses.
    pub fn with_srp_a(random: &[u8], srp_a: &str) -> Result<Self> {
        let a = secret_exponent(random)?;
        let large_a = parse_srp_a(srp_a, &n())?;
        Ok(Self { a, large_a })
    }

    /// SRP_A for InitiateAuth: A in lowercase hex without leading zeros (so odd-length 1 time
    /// in 16), as acij sends it.
    pub fn srp_a(&self) -> String {
        self.large_a.to_str_radix(16)
    }

    /// The answer to a PASSWORD_VERIFIER challenge, with `timestamp` what the response sends as
    /// TIMESTAMP ([`super::timestamp`]).
    pub fn password_claim(
        &self,
        user_pool_id: &str,
        password: &str,
        challenge: &PasswordVerifier<'_>,
        timestamp: &str,
    ) -> Result<PasswordClaim> {
        let claim =
            claim(&self.a, &self.large_a, user_pool_id, password, challenge, timestamp, &mut Exponentiator::Here)?;
        Ok(claim.expect("num-bigint exponentiates here")) // infallible: Exponentiator::Here always answers
    }
}
