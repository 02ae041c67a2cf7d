//! The one error type of the crate: a stable machine code plus a message that says what to fix.
//!
//! Codes are API and never change meaning; messages may be reworded. No message ever contains
//! a secret access key, a session token or a signing key: constructors only take the values
//! they name (header names, URLs, dates), and the canonical request attached to a verification
//! failure has its session token redacted.

use std::borrow::Cow;
use std::fmt;

use crate::text::{push_excerpt, split_on};

/// Declares [`ErrorCode`], its strings and [`ErrorCode::ALL`] from one list, so that a code
/// cannot be added to one and missed in another.
macro_rules! error_codes {
    ($($variant:ident = $code:literal,)+ ; $($other:ident = $other_code:literal,)+) => {
        /// What went wrong, as a stable code. `as_str()` gives the `SCREAMING_SNAKE_CASE` string
        /// that JavaScript sees as `error.code`. The README's error table and `SigV4ErrorCode` in
        /// js/src/index.d.ts list the same codes (tests/units/error.rs checks both).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $($variant,)+
            $($other,)+
        }

        impl ErrorCode {
            /// Every code, in the order of the table, for documentation and exhaustive tests.
            pub const ALL: &'static [ErrorCode] = &[$(Self::$variant,)+ $(Self::$other,)+];

            /// Every code's string, in the order of the table, each followed by a space: one
            /// string instead of a table of pointers to 36 (0.3 KB in the WebAssembly build).
            const STRINGS: &'static str = concat!($($code, " ",)+ $($other_code, " ",)+);

            /// The strings of the codes signing makes, the first of the table: all that a
            /// binary whose binding only signs can make (the size-built signers: the binding
            /// without the features `verify`, `uploads` and `cognito`, which alone call the
            /// code that makes the others). 0.23 KB gzipped less in the browsers' binary.
            const SIGNING_STRINGS: &'static str = concat!($($code, " ",)+);

            /// The stable string form, e.g. `"INVALID_URL"`.
            pub fn as_str(self) -> &'static str {
                let strings = if cfg!(all(
                    target_arch = "wasm32",
                    feature = "wasm",
                    not(any(feature = "verify", feature = "uploads", feature = "cognito"))
                )) {
                    Self::SIGNING_STRINGS
                } else {
                    Self::STRINGS
                };
                split_on(strings, b' ').nth(self as usize).unwrap_or_default()
            }
        }
    };
}

error_codes! {
    // Input to signing.
    InvalidUrl = "INVALID_URL",
    InvalidMethod = "INVALID_METHOD",
    InvalidHeaderName = "INVALID_HEADER_NAME",
    InvalidHeaderValue = "INVALID_HEADER_VALUE",
    MissingHost = "MISSING_HOST",
    ConflictingHeader = "CONFLICTING_HEADER",
    ConflictingQueryParameter = "CONFLICTING_QUERY_PARAMETER",
    ConflictingRegion = "CONFLICTING_REGION",
    AlreadySigned = "ALREADY_SIGNED",
    RequiredHeaderExcluded = "REQUIRED_HEADER_EXCLUDED",
    MissingAccessKeyId = "MISSING_ACCESS_KEY_ID",
    InvalidAccessKeyId = "INVALID_ACCESS_KEY_ID",
    MissingSecretAccessKey = "MISSING_SECRET_ACCESS_KEY",
    InvalidSecretAccessKey = "INVALID_SECRET_ACCESS_KEY",
    InvalidSessionToken = "INVALID_SESSION_TOKEN",
    MissingRegion = "MISSING_REGION",
    InvalidRegion = "INVALID_REGION",
    MissingService = "MISSING_SERVICE",
    InvalidService = "INVALID_SERVICE",
    InvalidDate = "INVALID_DATE",
    ExpiresOutOfRange = "EXPIRES_OUT_OF_RANGE",
    ClockSkewOutOfRange = "CLOCK_SKEW_OUT_OF_RANGE",
    InvalidPayloadHash = "INVALID_PAYLOAD_HASH",
    PayloadHashMismatch = "PAYLOAD_HASH_MISMATCH",
    RequestTooLarge = "REQUEST_TOO_LARGE",
    // (The codes above are signing's, those below the verifier's and the other bindings': see
    // `SIGNING_STRINGS`.)
    ;
    // Outcomes of verification.
    MissingAuthentication = "MISSING_AUTHENTICATION",
    MalformedAuthorization = "MALFORMED_AUTHORIZATION",
    UnsupportedAlgorithm = "UNSUPPORTED_ALGORITHM",
    UnsupportedPayload = "UNSUPPORTED_PAYLOAD",
    UnknownAccessKey = "UNKNOWN_ACCESS_KEY",
    InvalidSecurityToken = "INVALID_SECURITY_TOKEN",
    CredentialScopeMismatch = "CREDENTIAL_SCOPE_MISMATCH",
    HostNotSigned = "HOST_NOT_SIGNED",
    HeaderNotSigned = "HEADER_NOT_SIGNED",
    SignatureMismatch = "SIGNATURE_MISMATCH",
    SignatureExpired = "SIGNATURE_EXPIRED",
    SignatureNotYetCurrent = "SIGNATURE_NOT_YET_CURRENT",
    RequestExpired = "REQUEST_EXPIRED",
    // Chunked uploads and POST policies.
    InvalidChunkSize = "INVALID_CHUNK_SIZE",
    InvalidChunkedUpload = "INVALID_CHUNKED_UPLOAD",
    DecodedLengthMismatch = "DECODED_LENGTH_MISMATCH",
    MalformedChunk = "MALFORMED_CHUNK",
    ChunkSignatureMismatch = "CHUNK_SIGNATURE_MISMATCH",
    TrailerChecksumMismatch = "TRAILER_CHECKSUM_MISMATCH",
    TrailerSignatureMismatch = "TRAILER_SIGNATURE_MISMATCH",
    InvalidPostPolicy = "INVALID_POST_POLICY",
    // Cognito user pools (src/cognito/).
    InvalidUserPoolId = "INVALID_USER_POOL_ID",
    InvalidSrpParameter = "INVALID_SRP_PARAMETER",
    InvalidSecretBlock = "INVALID_SECRET_BLOCK",
    InvalidCodeVerifier = "INVALID_CODE_VERIFIER",
    InvalidJwt = "INVALID_JWT",
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

    /// An error whose message is `template` with each `{}` replaced by the next of `values`,
    /// each shortened and with its control characters escaped (`text::excerpt`): values are what
    /// a caller passed. One function for every message, so that each place that fails passes
    /// its text once and its values, instead of building the message itself.
    #[inline(never)]
    pub(crate) fn fill(code: ErrorCode, template: &'static str, values: &[&str]) -> Self {
        let mut message = String::new();
        let mut values = values.iter();
        let (bytes, mut copied, mut at) = (template.as_bytes(), 0, 0);
        while at + 1 < bytes.len() {
            if bytes[at] == b'{' && bytes[at + 1] == b'}' {
                message.push_str(&template[copied..at]);
                push_excerpt(&mut message, values.next().copied().unwrap_or_default());
                copied = at + 2;
                at = copied;
            } else {
                at += 1;
            }
        }
        message.push_str(&template[copied..]);
        Self::new(code, message)
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
