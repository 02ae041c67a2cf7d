//! How a service wants its requests canonicalized, as explicit settings.
//!
//! Nothing in the algorithm branches on a service name. [`SigningSettings::default`] is what
//! SigV4 specifies for almost every service; [`SigningSettings::s3`] is what Amazon S3 computes.
//! src/options.rs picks one for callers that leave it open (S3's for service `s3`); the
//! algorithm only sees these settings.

/// How the canonical URI is derived from the path of the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PathEncoding {
    /// Every service but S3: the path as it goes on the wire is URI-encoded once more, so
    /// `/a%20b` signs as `/a%2520b` ("each path segment URI-encoded twice").
    #[default]
    Double,
    /// S3: the service percent-decodes the wire path (a raw `+` is a space) and re-encodes
    /// every byte but the unreserved ones and `/`, so `/test$file.text` signs as
    /// `/test%24file.text` and `/a+b` as `/a%20b`.
    Single,
}

/// Whether dot segments and empty segments are removed from the path before encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PathNormalization {
    /// Every service but S3: RFC 3986 dot-segment removal and `//` collapsed to `/`.
    #[default]
    Enabled,
    /// S3: an object key may contain `..` and `//`, and S3 signs them as they are.
    Disabled,
}

/// What the path in the request URL is.
///
/// The signer needs to know what goes on the wire, because that is what the service
/// canonicalizes. These are the two contracts it accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PathInput {
    /// The path exactly as it appears in the request line: already percent-encoded, as any
    /// URL library produces it (`/prod/a%20b`). This is also the form of the AWS test suites'
    /// request lines; characters a request line cannot carry raw (a space, non-ASCII) are
    /// percent-encoded where the rules above encode.
    #[default]
    Encoded,
    /// Each segment is literal text that is not encoded yet, such as an S3 object key
    /// (`/my folder/a+b%.txt`). The signer first encodes it the way a request line needs
    /// (every byte but the unreserved ones and `/`), returns that wire path in the signed
    /// URL, and signs it under the rules above.
    Unencoded,
}

/// What a raw `+` in the query string means.
///
/// RFC 3986 gives `+` no special meaning in a URL; `application/x-www-form-urlencoded`
/// (and hence `URLSearchParams`) writes a space as `+`. Signers disagree: aws4 and aws4fetch
/// sign a raw `+` as a space (`%20`). The default follows RFC 3986 and S3: a raw `+` is a
/// literal plus and signs as `%2B` (`tests/pitfalls.rs` p04). A space that must arrive as a
/// space should be sent as `%20`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QueryPlus {
    /// `?q=a+b` signs as `q=a%2Bb`.
    #[default]
    Literal,
    /// `?q=a+b` signs as `q=a%20b`, for servers that form-decode the query.
    Space,
}

/// Where a session token goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SessionTokenMode {
    /// Included in the canonical request (`X-Amz-Security-Token` header, or query parameter
    /// when presigning). What nearly every service requires.
    #[default]
    Signed,
    /// Added to the request after the signature is computed, outside the signed parts. What
    /// AWS IoT's WebSocket endpoint requires.
    AppendedAfterSigning,
}

/// Whether header signing adds the `x-amz-content-sha256` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ContentSha256Header {
    /// No header when the payload hash is the SHA-256 of the body: it only appears in the
    /// canonical request, and the service hashes the body it receives. A payload hash the
    /// service cannot compute (`UNSIGNED-PAYLOAD`, `STREAMING-...`) is still sent in the
    /// header, because that is the only way the service learns it.
    #[default]
    Omit,
    /// Send and sign `x-amz-content-sha256: <payload hash>`. S3 requires it; OpenSearch
    /// Serverless too. Presigned URLs never carry it.
    Include,
}

/// Headers that are not signed unless asked for, each with the reason.
pub const DEFAULT_UNSIGNED_HEADERS: &[&str] = &[
    // Carries the signature itself.
    "authorization",
    // Hop-by-hop headers (RFC 9110 section 7.6.1): proxies remove or rewrite them.
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    // Sent by clients on their own and changed by proxies, browsers and SDK versions.
    "user-agent",
    // Added by load balancers and X-Ray after the client signs.
    "x-amzn-trace-id",
    // `100-continue` handling is negotiated per hop and some clients drop it.
    "expect",
];

/// The canonicalization rules for one service, and which headers are signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningSettings {
    // A field list, alike SignedRequest's (sign.rs) in shape only: not a copy.
    pub path_encoding: PathEncoding,
    pub path_normalization: PathNormalization,
    pub path_input: PathInput,
    pub query_plus: QueryPlus,
    pub session_token: SessionTokenMode,
    pub content_sha256_header: ContentSha256Header,
    /// Whether [`DEFAULT_UNSIGNED_HEADERS`] are left out of the signature (true, except for a
    /// verifier, which signs again whatever the client signed).
    pub default_unsigned_headers: bool,
    /// Lowercase names signed although [`DEFAULT_UNSIGNED_HEADERS`] lists them
    /// ([`Self::sign_header`]).
    pub signed_anyway: Vec<String>,
    /// Lowercase names left unsigned besides [`DEFAULT_UNSIGNED_HEADERS`]
    /// ([`Self::unsign_header`]). `host`, `x-amz-date`, `x-amz-content-sha256` and a signed
    /// session token can never be left out.
    pub also_unsigned: Vec<String>,
    /// The host to sign instead of the URL's host, for SSH tunnels, VPC endpoints and
    /// proxies that forward to the real service host. The signed request then carries a
    /// `host` header with this value.
    pub host_override: Option<String>,
}

impl Default for SigningSettings {
    fn default() -> Self {
        Self {
            path_encoding: PathEncoding::Double,
            path_normalization: PathNormalization::Enabled,
            path_input: PathInput::Encoded,
            query_plus: QueryPlus::Literal,
            session_token: SessionTokenMode::Signed,
            content_sha256_header: ContentSha256Header::Omit,
            default_unsigned_headers: true,
            signed_anyway: Vec::new(),
            also_unsigned: Vec::new(),
            host_override: None,
        }
    }
}

impl SigningSettings {
    /// The rules Amazon S3 applies: single encoding, no normalization, and the
    /// `x-amz-content-sha256` header.
    pub fn s3() -> Self {
        Self {
            path_encoding: PathEncoding::Single,
            path_normalization: PathNormalization::Disabled,
            content_sha256_header: ContentSha256Header::Include,
            ..Self::default()
        }
    }

    /// Signs `name` even if it is in the default unsigned list (for example `user-agent`).
    pub fn sign_header(&mut self, name: &str) -> &mut Self {
        move_name(name, &mut self.also_unsigned, &mut self.signed_anyway);
        self
    }

    /// Leaves `name` out of the signature when the request carries it.
    pub fn unsign_header(&mut self, name: &str) -> &mut Self {
        move_name(name, &mut self.signed_anyway, &mut self.also_unsigned);
        self
    }

    /// Whether a header (any case) is left out of the signature.
    pub fn is_unsigned(&self, name: &str) -> bool {
        let is = |h: &str| h.eq_ignore_ascii_case(name);
        self.also_unsigned.iter().any(|h| is(h))
            || (self.default_unsigned_headers
                && DEFAULT_UNSIGNED_HEADERS.iter().any(|h| is(h))
                && !self.signed_anyway.iter().any(|h| is(h)))
    }
}

/// Moves `name`, lowercase, out of `from` and into `to` (once).
fn move_name(name: &str, from: &mut Vec<String>, to: &mut Vec<String>) {
    let name = name.to_ascii_lowercase();
    from.retain(|h| *h != name);
    if !to.contains(&name) {
        to.push(name);
    }
}
