//! What a caller asked for, resolved into what the core signs and verifies with.
//!
//! A wrapper (the npm package, and through it the Postman script and the playground) hands
//! over the options its caller set, each `None` when not set, and nothing it decided itself.
//! Every decision about what was not set is made here, once:
//!
//! - the region and service: as given, else what the host names ([`resolve_scope`]), the host
//!   being the one the request is signed for (the override, a `host` header, or the URL's);
//!   a region given must be the one the host names, if it names one ([`check_region_of_host`]);
//! - the rules: S3's ([`SigningSettings::s3`], [`VerifySettings::s3`]) when the caller asks
//!   for them or the service is `s3`, else the default ones, then each rule the caller set;
//! - the payload: a presigned URL for S3 signs `UNSIGNED-PAYLOAD`, and its body is not read;
//! - the defaults: a presigned URL is valid for [`DEFAULT_EXPIRES_IN`] seconds, a header
//!   signature may be 15 minutes off (`VerifySettings::new`).
//!
//! This is the one place where a service name picks settings; the algorithm (src/sign.rs,
//! src/verify.rs) only sees the settings.

use crate::checks::{Given, ScopePart, check_scope_part, resolve_host};
use crate::datetime::AmzDateTime;
use crate::endpoint::{check_region_of_host, resolve_scope};
use crate::error::{Error, ErrorCode, Result};
use crate::payload::is_sha256_hex;
use crate::request::{ParsedUrl, parse_url_as};
use crate::settings::{
    ContentSha256Header, PathEncoding, PathInput, PathNormalization, QueryPlus, SessionTokenMode, SigningSettings,
};
use crate::sign::SignatureLocation;
use crate::text::decimal;
use crate::verify::VerifySettings;

/// How long a presigned URL is valid when the caller does not say: one hour, as the AWS SDKs
/// default to.
pub const DEFAULT_EXPIRES_IN: u64 = 3600;

/// The largest clock skew a verifier may allow: seven days, the longest a presigned URL lives.
pub const MAX_CLOCK_SKEW: u64 = 604_800;

/// The canonicalization rules a caller may set, each `None` when not set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RuleOptions {
    /// Whether S3's rules are the starting point; by default, for service `s3` only.
    pub s3: Option<bool>,
    pub path_encoding: Option<PathEncoding>,
    pub path_normalization: Option<PathNormalization>,
    pub path_input: Option<PathInput>,
    pub query_plus: Option<QueryPlus>,
    pub session_token: Option<SessionTokenMode>,
    pub content_sha256_header: Option<ContentSha256Header>,
}

impl RuleOptions {
    /// Whether S3's rules apply to `service`: as the caller said, else for `s3`.
    pub fn s3_for(&self, service: &str) -> bool {
        self.s3.unwrap_or(service == "s3")
    }

    /// S3's settings or the default ones, then each rule the caller set.
    fn settings(&self, s3: bool) -> SigningSettings {
        let preset = if s3 { SigningSettings::s3() } else { SigningSettings::default() };
        SigningSettings {
            path_encoding: self.path_encoding.unwrap_or(preset.path_encoding),
            path_normalization: self.path_normalization.unwrap_or(preset.path_normalization),
            path_input: self.path_input.unwrap_or(preset.path_input),
            query_plus: self.query_plus.unwrap_or(preset.query_plus),
            session_token: self.session_token.unwrap_or(preset.session_token),
            content_sha256_header: self.content_sha256_header.unwrap_or(preset.content_sha256_header),
            ..preset
        }
    }
}

/// What line 6 of the canonical request is to be computed from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PayloadSource<'a> {
    /// The request's body, hashed.
    #[default]
    Body,
    /// A payload hash the caller computed elsewhere, or an S3 literal.
    Hash(&'a str),
    /// `UNSIGNED-PAYLOAD`.
    Unsigned,
}

/// What a caller asked of `sign` or `presign`. The default asks for nothing: scope inferred
/// from the host, the default rules, the body hashed, header signing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignOptions<'a> {
    /// The credential scope; each inferred from the host when `None`.
    pub region: Option<&'a str>,
    pub service: Option<&'a str>,
    pub rules: RuleOptions,
    /// The host to sign instead of the URL's ([`SigningSettings::host_override`]).
    pub host_override: Option<&'a str>,
    /// Headers to sign although unsigned by default, and headers to leave unsigned.
    pub sign_headers: Vec<&'a str>,
    pub unsigned_headers: Vec<&'a str>,
    pub payload: PayloadSource<'a>,
    /// A presigned URL instead of the `Authorization` header, valid for `expires_in` seconds
    /// ([`DEFAULT_EXPIRES_IN`] when `None`).
    pub presign: bool,
    pub expires_in: Option<u64>,
}

/// What to sign with: [`SignOptions`] with every decision made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedSigning<'a> {
    pub region: String,
    pub service: String,
    /// Whether S3's rules were the starting point of `settings`.
    pub s3: bool,
    pub settings: SigningSettings,
    pub location: SignatureLocation,
    /// [`PayloadSource::Body`] only when the body is to be read and hashed.
    pub payload: PayloadSource<'a>,
}

impl<'a> SignOptions<'a> {
    /// Makes every decision the caller left open, for the request `url` with `headers`.
    pub fn resolve(&self, url: &str, headers: &[(&str, &str)]) -> Result<ResolvedSigning<'a>> {
        self.resolve_for(self.signed_host(url, headers))
    }

    /// [`resolve`](Self::resolve), and the URL as it read it, which is as signing reads it (under
    /// `settings.path_input`): for [`sign_resolved`](crate::sign_resolved), which then does not
    /// read it again. `None` if it cannot be read: signing reports why in its order, after the
    /// checks it makes first.
    pub fn resolve_reading<'u>(
        &self,
        url: &'u str,
        headers: &[(&str, &str)],
    ) -> Result<(ResolvedSigning<'a>, Option<ParsedUrl<'u>>)> {
        let (url, host) = match parse_url_as(url, self.path_input()) {
            Ok(url) => {
                let host = self.host_of(&url, headers);
                (Some(url), host)
            }
            Err(error) => (None, Err(error)),
        };
        Ok((self.resolve_for(host)?, url))
    }

    /// The path rule the URL is read by: the caller's, as in every preset's settings (both
    /// read the path as encoded; tests/units/sign.rs).
    fn path_input(&self) -> PathInput {
        self.rules.path_input.unwrap_or_default()
    }

    /// The host the request is signed for, by the rule signing applies (src/checks.rs).
    fn signed_host(&self, url: &str, headers: &[(&str, &str)]) -> Result<String> {
        let url = parse_url_as(url, self.path_input())?;
        self.host_of(&url, headers)
    }

    /// [`signed_host`](Self::signed_host), of the URL read.
    #[inline(always)]
    fn host_of(&self, url: &ParsedUrl<'_>, headers: &[(&str, &str)]) -> Result<String> {
        resolve_host(url.host.as_deref(), Given::of(headers, "host"), self.host_override)
    }

    /// Every decision, for the request to `host` (or a URL that cannot be read).
    #[inline(always)]
    fn resolve_for(&self, host: Result<String>) -> Result<ResolvedSigning<'a>> {
        if let (Some(region), Ok(host)) = (self.region, &host) {
            check_region_of_host(host, region)?;
        }
        let (region, service) = match (self.region, self.service) {
            // (A host that cannot be read is then signing's to report, in its order.)
            (Some(region), Some(service)) => (region.to_owned(), service.to_owned()),
            (region, service) => resolve_scope(&host?, region, service)?,
        };
        let s3 = self.rules.s3_for(&service);
        let mut settings = self.rules.settings(s3);
        settings.host_override = self.host_override.map(str::to_owned);
        for name in &self.sign_headers {
            settings.sign_header(name);
        }
        for name in &self.unsigned_headers {
            settings.unsign_header(name);
        }
        let location = match self.presign {
            true => SignatureLocation::Query { expires_in: self.expires_in.unwrap_or(DEFAULT_EXPIRES_IN) },
            false => SignatureLocation::Headers,
        };
        // S3 expects UNSIGNED-PAYLOAD in a presigned URL's canonical request: the body is sent
        // later, and S3 does not hash it for query authentication.
        let payload = match self.payload {
            PayloadSource::Body if self.presign && s3 => PayloadSource::Unsigned,
            payload => payload,
        };
        Ok(ResolvedSigning { region, service, s3, settings, location, payload })
    }
}

/// What a caller asked of `verify`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyOptions<'a> {
    /// The region and service the credential scope must name.
    pub region: &'a str,
    pub service: &'a str,
    pub rules: RuleOptions,
    /// Seconds a header signature may be off (0 to [`MAX_CLOCK_SKEW`]).
    pub max_clock_skew: Option<u64>,
    /// S3's payload rules ([`VerifySettings::allow_unsigned_payload`]).
    pub allow_unsigned_payload: Option<bool>,
    /// Headers that must be signed when a request carries them ([`VerifySettings::required_signed_headers`]).
    pub required_signed_headers: Option<Vec<&'a str>>,
}

impl VerifyOptions<'_> {
    /// S3's verifier settings or the default ones, then each option the caller set.
    pub fn resolve(&self) -> Result<VerifySettings> {
        check_scope_part(self.region, ScopePart::Region, true)?;
        check_scope_part(self.service, ScopePart::Service, true)?;
        let s3 = self.rules.s3_for(self.service);
        let mut settings = match s3 {
            true => VerifySettings { service: self.service.to_owned(), ..VerifySettings::s3(self.region) },
            false => VerifySettings::new(self.region, self.service),
        };
        settings.canonicalization = self.rules.settings(s3);
        if let Some(skew) = self.max_clock_skew {
            settings.max_clock_skew_seconds = check_max_clock_skew(Some(skew))? as i64;
        }
        if let Some(allow) = self.allow_unsigned_payload {
            settings.allow_unsigned_payload = allow;
        }
        if let Some(names) = &self.required_signed_headers {
            settings.required_signed_headers = names.iter().map(|name| name.to_ascii_lowercase()).collect();
        }
        Ok(settings)
    }
}

/// A whole number of seconds from a caller, as decimal digits: `expiresIn`. Anything else is
/// out of range, with the code and range of the option.
pub fn expires_in_from_text(text: &str) -> Result<u64> {
    crate::text::parse_decimal(text).ok_or_else(|| {
        Error::fill(
            ErrorCode::ExpiresOutOfRange,
            "expiresIn must be a whole number of seconds from 1 to {}",
            &[&decimal(crate::sign::MAX_EXPIRES_IN)],
        )
    })
}

/// A time from a caller, as text: decimal digits (after an optional `-`) are milliseconds
/// since 1970, as JavaScript counts time ([`AmzDateTime::from_unix_millis`], which refuses a
/// number that can only be seconds); anything else is read by [`AmzDateTime::parse`].
pub fn datetime_from_text(text: &str) -> Result<AmzDateTime> {
    let (negative, digits) = match text.strip_prefix("-") {
        Some(digits) => (true, digits),
        None => (false, text),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return AmzDateTime::parse(text);
    }
    // More than 18 digits is beyond any date SigV4 can write, either way.
    let magnitude = crate::text::parse_decimal(digits).and_then(|n| i64::try_from(n).ok()).unwrap_or(i64::MAX);
    AmzDateTime::from_unix_millis(if negative { -magnitude } else { magnitude })
}

/// `maxClockSkew` from a caller, as decimal digits.
pub fn max_clock_skew_from_text(text: &str) -> Result<u64> {
    check_max_clock_skew(crate::text::parse_decimal(text))
}

/// The clock skew if it is a whole number of seconds from 0 to [`MAX_CLOCK_SKEW`].
fn check_max_clock_skew(seconds: Option<u64>) -> Result<u64> {
    seconds.filter(|s| *s <= MAX_CLOCK_SKEW).ok_or_else(|| {
        Error::fill(
            ErrorCode::ClockSkewOutOfRange,
            "maxClockSkew must be a whole number of seconds from 0 to {} (7 days)",
            &[&decimal(MAX_CLOCK_SKEW)],
        )
    })
}

/// The SHA-256 of a body a server hashed as it streamed in (`bodySha256`). The binding checks
/// it here, before anything else, so that the error names the field;
/// [`verify`](crate::verify()) checks a [`Payload::Precomputed`](crate::Payload::Precomputed)
/// again, later and in its own words, for Rust callers. Both test it with `is_sha256_hex`.
pub fn check_body_sha256(hash: &str) -> Result<&str> {
    if is_sha256_hex(hash) {
        Ok(hash)
    } else {
        Err(Error::fill(
            ErrorCode::InvalidPayloadHash,
            "bodySha256 must be the SHA-256 of the body received, as 64 lowercase hex digits",
            &[],
        ))
    }
}
