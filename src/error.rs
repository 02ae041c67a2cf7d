//! The one error type of the crate: a stable machine code plus a message that says what to fix.
//!
//! Codes are API and never change meaning; messages may be reworded. No message ever contains
//! a secret access key, a session token or a signing key: constructors only take the values
//! they name (header names, URLs, dates), and the canonical request attached to a verification
//! failure has its session token redacted.

use std::borrow::Cow;
use std::fmt;

// src/bindings.rs takes the text helpers from here, where they were until they moved to
// src/text.rs; it can import them from `crate::text` when it is next changed.
#[cfg(feature = "wasm")]
pub(crate) use crate::text::{decimal, text};

/// What went wrong, as a stable code. `as_str()` gives the `SCREAMING_SNAKE_CASE` string that
/// JavaScript sees as `error.code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    // Input to signing.
    InvalidUrl,
    InvalidMethod,
    InvalidHeaderName,
    InvalidHeaderValue,
    MissingHost,
    ConflictingHeader,
    ConflictingQueryParameter,
    AlreadySigned,
    RequiredHeaderExcluded,
    MissingAccessKeyId,
    InvalidAccessKeyId,
    MissingSecretAccessKey,
    InvalidSessionToken,
    MissingRegion,
    InvalidRegion,
    MissingService,
    InvalidService,
    InvalidDate,
    ExpiresOutOfRange,
    InvalidPayloadHash,
    PayloadHashMismatch,
    RequestTooLarge,
    // Outcomes of verification.
    MissingAuthentication,
    MalformedAuthorization,
    UnsupportedAlgorithm,
    UnsupportedPayload,
    MissingDate,
    UnknownAccessKey,
    InvalidSecurityToken,
    CredentialScopeMismatch,
    HostNotSigned,
    HeaderNotSigned,
    SignatureMismatch,
    SignatureExpired,
    SignatureNotYetCurrent,
    RequestExpired,
}

impl ErrorCode {
    /// The stable string form, e.g. `"INVALID_URL"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidUrl => "INVALID_URL",
            Self::InvalidMethod => "INVALID_METHOD",
            Self::InvalidHeaderName => "INVALID_HEADER_NAME",
            Self::InvalidHeaderValue => "INVALID_HEADER_VALUE",
            Self::MissingHost => "MISSING_HOST",
            Self::ConflictingHeader => "CONFLICTING_HEADER",
            Self::ConflictingQueryParameter => "CONFLICTING_QUERY_PARAMETER",
            Self::AlreadySigned => "ALREADY_SIGNED",
            Self::RequiredHeaderExcluded => "REQUIRED_HEADER_EXCLUDED",
            Self::MissingAccessKeyId => "MISSING_ACCESS_KEY_ID",
            Self::InvalidAccessKeyId => "INVALID_ACCESS_KEY_ID",
            Self::MissingSecretAccessKey => "MISSING_SECRET_ACCESS_KEY",
            Self::InvalidSessionToken => "INVALID_SESSION_TOKEN",
            Self::MissingRegion => "MISSING_REGION",
            Self::InvalidRegion => "INVALID_REGION",
            Self::MissingService => "MISSING_SERVICE",
            Self::InvalidService => "INVALID_SERVICE",
            Self::InvalidDate => "INVALID_DATE",
            Self::ExpiresOutOfRange => "EXPIRES_OUT_OF_RANGE",
            Self::InvalidPayloadHash => "INVALID_PAYLOAD_HASH",
            Self::PayloadHashMismatch => "PAYLOAD_HASH_MISMATCH",
            Self::RequestTooLarge => "REQUEST_TOO_LARGE",
            Self::MissingAuthentication => "MISSING_AUTHENTICATION",
            Self::MalformedAuthorization => "MALFORMED_AUTHORIZATION",
            Self::UnsupportedAlgorithm => "UNSUPPORTED_ALGORITHM",
            Self::UnsupportedPayload => "UNSUPPORTED_PAYLOAD",
            Self::MissingDate => "MISSING_DATE",
            Self::UnknownAccessKey => "UNKNOWN_ACCESS_KEY",
            Self::InvalidSecurityToken => "INVALID_SECURITY_TOKEN",
            Self::CredentialScopeMismatch => "CREDENTIAL_SCOPE_MISMATCH",
            Self::HostNotSigned => "HOST_NOT_SIGNED",
            Self::HeaderNotSigned => "HEADER_NOT_SIGNED",
            Self::SignatureMismatch => "SIGNATURE_MISMATCH",
            Self::SignatureExpired => "SIGNATURE_EXPIRED",
            Self::SignatureNotYetCurrent => "SIGNATURE_NOT_YET_CURRENT",
            Self::RequestExpired => "REQUEST_EXPIRED",
        }
    }

    /// Every code, for documentation and exhaustive tests.
    pub const ALL: &'static [ErrorCode] = &[
        Self::InvalidUrl,
        Self::InvalidMethod,
        Self::InvalidHeaderName,
        Self::InvalidHeaderValue,
        Self::MissingHost,
        Self::ConflictingHeader,
        Self::ConflictingQueryParameter,
        Self::AlreadySigned,
        Self::RequiredHeaderExcluded,
        Self::MissingAccessKeyId,
        Self::InvalidAccessKeyId,
        Self::MissingSecretAccessKey,
        Self::InvalidSessionToken,
        Self::MissingRegion,
        Self::InvalidRegion,
        Self::MissingService,
        Self::InvalidService,
        Self::InvalidDate,
        Self::ExpiresOutOfRange,
        Self::InvalidPayloadHash,
        Self::PayloadHashMismatch,
        Self::RequestTooLarge,
        Self::MissingAuthentication,
        Self::MalformedAuthorization,
        Self::UnsupportedAlgorithm,
        Self::UnsupportedPayload,
        Self::MissingDate,
        Self::UnknownAccessKey,
        Self::InvalidSecurityToken,
        Self::CredentialScopeMismatch,
        Self::HostNotSigned,
        Self::HeaderNotSigned,
        Self::SignatureMismatch,
        Self::SignatureExpired,
        Self::SignatureNotYetCurrent,
        Self::RequestExpired,
    ];
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a verifier computed for a request whose signature did not match, as AWS returns it in
/// its error: the canonical request and the string to sign. Session tokens are redacted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerComputed {
    pub canonical_request: String,
    pub string_to_sign: String,
}

/// A signing or verification error. One pointer wide, so that `Result`s stay small on the
/// paths that succeed.
#[derive(Clone, PartialEq, Eq)]
pub struct Error(Box<Inner>);

#[derive(Clone, PartialEq, Eq)]
struct Inner {
    code: ErrorCode,
    message: Cow<'static, str>,
    server_computed: Option<ServerComputed>,
}

impl Error {
    /// An error with this code and message. For wrappers that validate their own input; the
    /// message must not contain secrets.
    pub fn new(code: ErrorCode, message: impl Into<Cow<'static, str>>) -> Self {
        Self(Box::new(Inner { code, message: message.into(), server_computed: None }))
    }

    pub(crate) fn with_server_computed(mut self, computed: ServerComputed) -> Self {
        self.0.server_computed = Some(computed);
        self
    }

    /// The stable code.
    pub fn code(&self) -> ErrorCode {
        self.0.code
    }

    /// What happened and what to do about it.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// For a failed verification: the canonical request and string to sign the verifier
    /// computed, when it got far enough to compute them.
    pub fn server_computed(&self) -> Option<&ServerComputed> {
        self.0.server_computed.as_ref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code(), self.message())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("code", &self.code())
            .field("message", &self.message())
            .field("server_computed", &self.server_computed().is_some())
            .finish()
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;
