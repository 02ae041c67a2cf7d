//! Credentials and the secret values inside them: wiped when dropped, never printed.

use std::fmt;

use zeroize::{Zeroize, Zeroizing};

use crate::error::{Error, ErrorCode, Result};
use crate::text::{alphanumeric_or, decimal};

/// A secret string (a secret access key or a session token). Its memory is zeroed when it is
/// dropped, and `Debug` prints `** redacted **`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(Zeroizing::new(value.into()))
    }

    /// The secret itself. Use it for signing, never for display.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("** redacted **")
    }
}

/// AWS credentials: an access key id (public), its secret access key, and for temporary
/// credentials a session token.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Credentials {
    pub access_key_id: String,
    pub secret_access_key: Secret,
    pub session_token: Option<Secret>,
}

impl Credentials {
    pub fn new(access_key_id: impl Into<String>, secret_access_key: impl Into<Secret>) -> Self {
        Self { access_key_id: access_key_id.into(), secret_access_key: secret_access_key.into(), session_token: None }
    }

    pub fn with_session_token(mut self, token: impl Into<Secret>) -> Self {
        self.session_token = Some(token.into());
        self
    }

    /// Checks the credentials can be put into a signature: the access key id goes into the
    /// `Credential=` part of the credential scope and the token into a header or URL.
    pub(crate) fn validate(&self) -> Result<()> {
        let id = self.access_key_id.as_str();
        if id.is_empty() {
            return Err(Error::fill(
                ErrorCode::MissingAccessKeyId,
                "the access key id is empty; pass the id of the access key (for example AKIA...) that belongs to the secret",
                &[],
            ));
        }
        if !alphanumeric_or(id, b"_-.") {
            return Err(Error::fill(
                ErrorCode::InvalidAccessKeyId,
                // An id with odd characters may be a pasted secret: the message shows its length only.
                "the access key id ({} bytes) has characters an access key id never has (only letters, digits, '_', '-' and '.' are allowed); check that the id and the secret were not swapped or pasted with spaces",
                &[&decimal(id.len() as u64)],
            ));
        }
        let secret = self.secret_access_key.expose();
        if secret.is_empty() {
            return Err(Error::fill(
                ErrorCode::MissingSecretAccessKey,
                "the secret access key is empty; pass the secret that was issued with the access key id",
                &[],
            ));
        }
        // Whitespace around a secret is a paste or an unstripped line of a file: signed as it
        // is, every request fails at AWS with SignatureDoesNotMatch. No secret has it.
        // (Line breaks and tabs are control characters; no-break spaces and a byte order mark
        // come with a paste from a page or a file.)
        let bytes = secret.as_bytes();
        let padded = bytes[0] == b' '
            || bytes[bytes.len() - 1] == b' '
            || secret.starts_with("\u{feff}")
            || secret.starts_with("\u{a0}")
            || secret.ends_with("\u{a0}");
        if padded || bytes.iter().any(|&b| b < b' ' || b == 0x7f) {
            return Err(Error::fill(
                ErrorCode::InvalidSecretAccessKey,
                // Never the secret itself: its length only.
                "the secret access key ({} bytes) has whitespace at its start or end, or a control character; remove it: AWS signs with the exact bytes, so this signature would not match",
                &[&decimal(secret.len() as u64)],
            ));
        }
        if let Some(token) = &self.session_token {
            let token = token.expose();
            if token.is_empty() || !crate::text::all_in(token.as_bytes(), 0x21, 0x7e) {
                return Err(Error::fill(
                    ErrorCode::InvalidSessionToken,
                    "the session token is empty or contains spaces, control or non-ASCII characters; pass the token exactly as STS returned it, or no token for long-term keys",
                    &[],
                ));
            }
        }
        Ok(())
    }
}

/// Bytes that must not outlive their use: zeroed on drop, redacted in `Debug`.
///
/// Aligned to 8 bytes, so that moving one is word copies: a byte array has no alignment of
/// its own, and wasm2js translates each unaligned 8-byte copy into 16 single-byte ones.
#[derive(Clone, PartialEq, Eq)]
#[repr(align(8))]
pub struct SecretBytes<const N: usize>(pub(crate) [u8; N]);

impl<const N: usize> SecretBytes<N> {
    pub fn as_bytes(&self) -> &[u8; N] {
        &self.0
    }

    /// Lowercase hex, for the places that are meant to show it (the playground's key
    /// derivation view). Never log it.
    pub fn to_hex(&self) -> String {
        crate::encode::lower_hex(&self.0)
    }
}

impl<const N: usize> Drop for SecretBytes<N> {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl<const N: usize> fmt::Debug for SecretBytes<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("** redacted **")
    }
}
