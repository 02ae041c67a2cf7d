//! The checks of a signing input, before Task 1: each refuses one kind of mistake, with a
//! message that says how to fix it, instead of signing something the service will reject or
//! that differs from what the caller meant.

use crate::canonical::QueryParam;
use crate::error::{Error, ErrorCode, Result};
use crate::request::{Request, check_size, validate_header, validate_method};
use crate::settings::SigningSettings;
use crate::sign::{MAX_EXPIRES_IN, SignatureLocation, SigningParams};
use crate::text::{decimal, excerpt, text};

/// The query parameters a signature writes. A request that carries them is signed already.
pub(crate) const SIGNATURE_QUERY_PARAMS: &[&str] =
    &["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders"];
/// The query parameters presigning writes besides those.
pub(crate) const PRESIGN_QUERY_PARAMS: &[&str] = &["X-Amz-Date", "X-Amz-Expires", "X-Amz-Security-Token"];

/// How often a request carries a header (any case), and its first value.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Given<'a> {
    pub(crate) count: usize,
    pub(crate) first: &'a str,
}

impl<'a> Given<'a> {
    pub(crate) fn of(headers: &[(&'a str, &'a str)], name: &str) -> Self {
        let mut given = Self::default();
        for (n, v) in headers {
            if n.eq_ignore_ascii_case(name) {
                if given.count == 0 {
                    given.first = v;
                }
                given.count += 1;
            }
        }
        given
    }

    /// The value, when the request carries the header exactly once.
    pub(crate) fn only(self) -> Option<&'a str> {
        (self.count == 1).then_some(self.first)
    }
}

/// The checks every signature starts with, in this order: the request's size, the
/// credentials, the region and the service, the method, the expiry of a presigned URL, and
/// each header's name and value.
pub(crate) fn check_input(
    request: &Request<'_>,
    params: &SigningParams<'_>,
    location: SignatureLocation,
) -> Result<()> {
    check_size(request.url, &request.headers)?;
    check_scope(params)?;
    validate_method(request.method)?;
    if let SignatureLocation::Query { expires_in } = location {
        check_expires_in(expires_in)?;
    }
    for (name, value) in &request.headers {
        validate_header(name, value)?;
    }
    Ok(())
}

/// The checks of what a signature's scope is made of: the credentials, the region and the
/// service (also for a POST policy, which signs no request).
pub(crate) fn check_scope(params: &SigningParams<'_>) -> Result<()> {
    params.credentials.validate()?;
    check_scope_part(params.region, ErrorCode::MissingRegion, ErrorCode::InvalidRegion, "region", "us-east-1")?;
    check_scope_part(params.service, ErrorCode::MissingService, ErrorCode::InvalidService, "service", "execute-api")
}

/// Checks a region or service name: it becomes a `/`-separated part of the credential scope.
fn check_scope_part(value: &str, missing: ErrorCode, invalid: ErrorCode, what: &str, example: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::new(
            missing,
            text!("the ", what, " is empty; pass the ", what, " of the endpoint, for example '", example, "'"),
        ));
    }
    if !value.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')) {
        return Err(Error::new(
            invalid,
            text!(
                "the ",
                what,
                " '",
                excerpt(value),
                "' may only contain letters, digits, '-', '_' and '.'; for example '",
                example,
                "'"
            ),
        ));
    }
    Ok(())
}

fn check_expires_in(expires_in: u64) -> Result<()> {
    if (1..=MAX_EXPIRES_IN).contains(&expires_in) {
        Ok(())
    } else {
        Err(Error::new(
            ErrorCode::ExpiresOutOfRange,
            text!(
                "a presigned URL can be valid for 1 to 604800 seconds (7 days), not ",
                decimal(expires_in),
                "; AWS rejects anything else"
            ),
        ))
    }
}

/// The query to sign: the URL's, or the one given apart from it, never both.
pub(crate) fn one_query<'q>(in_url: Option<&'q str>, given_apart: Option<&'q str>) -> Result<Option<&'q str>> {
    match (in_url, given_apart) {
        (Some(_), Some(_)) => Err(Error::new(
            ErrorCode::ConflictingQueryParameter,
            "the URL has a query and a separate query was given too; give the query in one place",
        )),
        (in_url, given_apart) => Ok(in_url.or(given_apart)),
    }
}

/// A caller's request is signed once, right before it is sent: it carries no signature yet,
/// neither in the query nor in an `Authorization` header, and a URL to presign carries none of
/// the parameters presigning writes.
pub(crate) fn check_not_signed_yet(
    query_params: &[QueryParam],
    headers: &[(&str, &str)],
    presigning: bool,
) -> Result<()> {
    for param in query_params {
        if SIGNATURE_QUERY_PARAMS.iter().any(|p| p.eq_ignore_ascii_case(&param.name)) {
            return Err(Error::new(
                ErrorCode::AlreadySigned,
                text!(
                    "the URL already has the query parameter ",
                    param.name,
                    "; it is a presigned URL already, so sign the URL without its X-Amz-* parameters"
                ),
            ));
        }
        if presigning && PRESIGN_QUERY_PARAMS.iter().any(|p| p.eq_ignore_ascii_case(&param.name)) {
            return Err(Error::new(
                ErrorCode::ConflictingQueryParameter,
                text!(
                    "the URL has the query parameter ",
                    param.name,
                    ", which presigning writes itself; remove it and pass the expiry and session token as signing options"
                ),
            ));
        }
    }
    if Given::of(headers, "authorization").count > 0 {
        return Err(Error::new(
            ErrorCode::AlreadySigned,
            "the request already has an Authorization header; remove it before signing (a request is signed once, right before it is sent)",
        ));
    }
    Ok(())
}

/// The headers SigV4 requires signed whenever they are sent are not in the unsigned headers.
pub(crate) fn check_required_headers_signed(settings: &SigningSettings) -> Result<()> {
    for required in ["host", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token"] {
        if settings.is_unsigned(required) {
            return Err(Error::new(
                ErrorCode::RequiredHeaderExcluded,
                text!(
                    "'",
                    required,
                    "' is in the unsigned headers, but SigV4 requires it to be signed whenever it is sent; remove it from that list"
                ),
            ));
        }
    }
    Ok(())
}

/// The error for a request that names no host.
pub fn missing_host() -> Error {
    Error::new(
        ErrorCode::MissingHost,
        "the request target is a path without a host; use an absolute URL (https://host/path) or add a host header",
    )
}

/// The host to sign: the host override, else the request's `host` header, else the URL's;
/// where two of them are given, they must agree.
pub(crate) fn resolve_host(url_host: Option<&str>, header: Given<'_>, host_override: Option<&str>) -> Result<String> {
    if header.count > 1 {
        return Err(Error::new(
            ErrorCode::ConflictingHeader,
            "the request has more than one host header; send exactly one",
        ));
    }
    let header_host = header.only().map(str::trim_ascii);
    if let Some(host) = host_override {
        if host.is_empty() || !host.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._:[]".contains(&b)) {
            return Err(Error::new(
                ErrorCode::InvalidHeaderValue,
                text!("the host override '", excerpt(host), "' is not a host name with an optional :port"),
            ));
        }
        if let Some(header) = header_host.filter(|h| !h.eq_ignore_ascii_case(host)) {
            return Err(Error::new(
                ErrorCode::ConflictingHeader,
                text!(
                    "the host header '",
                    excerpt(header),
                    "' differs from the host override '",
                    excerpt(host),
                    "'; keep one of them"
                ),
            ));
        }
        return Ok(host.to_owned());
    }
    match (header_host, url_host) {
        (Some(header), Some(url)) if !header.eq_ignore_ascii_case(url) => Err(Error::new(
            ErrorCode::ConflictingHeader,
            text!(
                "the host header '",
                excerpt(header),
                "' differs from the URL's host '",
                excerpt(url),
                "'; remove the header, or set the host override when the signed host must differ from the one connected to"
            ),
        )),
        (Some(header), _) => Ok(header.to_owned()),
        (None, Some(url)) => Ok(url.to_owned()),
        (None, None) => Err(missing_host()),
    }
}

/// An `x-amz-date` header the request carries is the signing time, once; a presigned URL
/// carries its date in the query instead.
pub(crate) fn check_date_header(given: Given<'_>, amz_date: &str, presigning: bool) -> Result<()> {
    if presigning && given.count > 0 {
        return Err(Error::new(
            ErrorCode::ConflictingHeader,
            "the request has an x-amz-date header, but a presigned URL carries its date in the query; remove the header",
        ));
    }
    if given.count > 1 || (given.count == 1 && given.first.trim_ascii() != amz_date) {
        return Err(Error::new(
            ErrorCode::ConflictingHeader,
            text!(
                "the request has an x-amz-date header (",
                excerpt(given.first),
                ") besides the signing time ",
                amz_date,
                "; remove the header and let the signer add it, or sign with that time"
            ),
        ));
    }
    Ok(())
}

/// With credentials that carry a session token, an `x-amz-security-token` header the request
/// carries is that token, once, signed in a header.
pub(crate) fn check_session_token_header(
    given: Given<'_>,
    session_token: Option<&str>,
    signed_token: Option<&str>,
    presigning: bool,
) -> Result<()> {
    if session_token.is_some() && given.count > 0 {
        let same = given.count == 1 && Some(given.first.trim_ascii()) == signed_token;
        if presigning || !same {
            return Err(Error::new(
                ErrorCode::ConflictingHeader,
                "the request has an x-amz-security-token header and the credentials carry a session token; remove the header and let the signer add the token",
            ));
        }
    }
    Ok(())
}

/// A caller's request carries at most one `x-amz-content-sha256` header, and a presigned URL
/// none.
pub(crate) fn check_content_sha256_header(given: Given<'_>, presigning: bool) -> Result<()> {
    if given.count > 1 || (presigning && given.count > 0) {
        return Err(Error::new(
            ErrorCode::ConflictingHeader,
            if presigning {
                "the request has an x-amz-content-sha256 header, which a presigned URL must not sign; remove it and pass the payload hash as an option"
            } else {
                "the request has more than one x-amz-content-sha256 header; send exactly one"
            },
        ));
    }
    Ok(())
}
