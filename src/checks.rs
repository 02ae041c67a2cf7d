//! The checks of a signing input, before Task 1: each refuses one kind of mistake, with a
//! message that says how to fix it, instead of signing something the service will reject or
//! that differs from what the caller meant.

use crate::encode::Pair;
use crate::error::{Error, ErrorCode, Result};
use crate::request::{Request, check_size, validate_header, validate_method};
use crate::settings::SigningSettings;
use crate::sign::{MAX_EXPIRES_IN, SignatureLocation, SigningParams};
use crate::text::{alphanumeric_or, decimal};

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
/// each header's name and value. A request about to be `sent` (not one a verifier signs again
/// as it arrived) must also name its region, service and method in their only working case:
/// lowercase, lowercase and uppercase.
pub(crate) fn check_input(
    request: &Request<'_>,
    params: &SigningParams<'_>,
    location: SignatureLocation,
    sent: bool,
) -> Result<()> {
    check_size(request.url, &request.headers)?;
    check_scope(params, sent)?;
    validate_method(request.method)?;
    if sent && request.method.bytes().any(|b| b.is_ascii_lowercase()) {
        return Err(Error::fill(
            ErrorCode::InvalidMethod,
            "the method '{}' has lowercase letters; methods are case-sensitive and AWS knows them in uppercase: use '{}'",
            &[request.method, &request.method.to_ascii_uppercase()],
        ));
    }
    if let SignatureLocation::Query { expires_in } = location {
        check_expires_in(expires_in)?;
    }
    for (name, value) in &request.headers {
        validate_header(name, value)?;
    }
    Ok(())
}

/// The checks of what a signature's scope is made of: the credentials, the region and the
/// service (also for a POST policy, which signs no request). With `lowercase`, an uppercase
/// region or service is refused (see [`check_scope_part`]).
pub(crate) fn check_scope(params: &SigningParams<'_>, lowercase: bool) -> Result<()> {
    params.credentials.validate()?;
    check_scope_part(params.region, ScopePart::Region, lowercase)?;
    check_scope_part(params.service, ScopePart::Service, lowercase)
}

/// The two parts of the credential scope a caller names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ScopePart {
    Region,
    Service,
}

/// Checks a region or service name: it becomes a `/`-separated part of the credential scope,
/// which AWS compares exactly, and every region and service is named in lowercase; with
/// `lowercase`, an uppercase letter is refused.
pub(crate) fn check_scope_part(value: &str, part: ScopePart, lowercase: bool) -> Result<()> {
    let (what, example, missing, invalid) = match part {
        ScopePart::Region => ("region", "us-east-1", ErrorCode::MissingRegion, ErrorCode::InvalidRegion),
        ScopePart::Service => ("service", "execute-api", ErrorCode::MissingService, ErrorCode::InvalidService),
    };
    if value.is_empty() {
        return Err(Error::fill(
            missing,
            "the {} is empty; pass the {} of the endpoint, for example '{}'",
            &[what, what, example],
        ));
    }
    if !alphanumeric_or(value, b"-_.") {
        return Err(Error::fill(
            invalid,
            "the {} '{}' may only contain letters, digits, '-', '_' and '.'; for example '{}'",
            &[what, value, example],
        ));
    }
    if lowercase && value.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(Error::fill(
            invalid,
            "the {} '{}' has uppercase letters, but AWS names every {} in lowercase and compares the credential scope exactly: use '{}'",
            &[what, value, what, &value.to_ascii_lowercase()],
        ));
    }
    Ok(())
}

fn check_expires_in(expires_in: u64) -> Result<()> {
    if (1..=MAX_EXPIRES_IN).contains(&expires_in) {
        Ok(())
    } else {
        Err(Error::fill(
            ErrorCode::ExpiresOutOfRange,
            "a presigned URL can be valid for 1 to 604800 seconds (7 days), not {}; AWS rejects anything else",
            &[&decimal(expires_in)],
        ))
    }
}

/// The query to sign: the URL's, or the one given apart from it, never both.
pub(crate) fn one_query<'q>(in_url: Option<&'q str>, given_apart: Option<&'q str>) -> Result<Option<&'q str>> {
    match (in_url, given_apart) {
        (Some(_), Some(_)) => Err(Error::fill(
            ErrorCode::ConflictingQueryParameter,
            "the URL has a query and a separate query was given too; give the query in one place",
            &[],
        )),
        (in_url, given_apart) => Ok(in_url.or(given_apart)),
    }
}

/// A caller's request is signed once, right before it is sent: it carries no signature yet,
/// neither in the query nor in an `Authorization` header, and a URL to presign carries none of
/// the parameters presigning writes.
pub(crate) fn check_not_signed_yet(query_params: &[Pair], headers: &[(&str, &str)], presigning: bool) -> Result<()> {
    for (name, _) in query_params {
        if SIGNATURE_QUERY_PARAMS.iter().any(|p| p.eq_ignore_ascii_case(name)) {
            return Err(Error::fill(
                ErrorCode::AlreadySigned,
                "the URL already has the query parameter {}; it is a presigned URL already, so sign the URL without its X-Amz-* parameters",
                &[name],
            ));
        }
        if presigning && PRESIGN_QUERY_PARAMS.iter().any(|p| p.eq_ignore_ascii_case(name)) {
            return Err(Error::fill(
                ErrorCode::ConflictingQueryParameter,
                "the URL has the query parameter {}, which presigning writes itself; remove it and pass the expiry and session token as signing options",
                &[name],
            ));
        }
    }
    if Given::of(headers, "authorization").count > 0 {
        return Err(Error::fill(
            ErrorCode::AlreadySigned,
            "the request already has an Authorization header; remove it before signing (a request is signed once, right before it is sent)",
            &[],
        ));
    }
    Ok(())
}

/// The headers SigV4 requires signed whenever they are sent are not in the unsigned headers.
pub(crate) fn check_required_headers_signed(settings: &SigningSettings) -> Result<()> {
    for required in ["host", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token"] {
        if settings.is_unsigned(required) {
            return Err(Error::fill(
                ErrorCode::RequiredHeaderExcluded,
                "'{}' is in the unsigned headers, but SigV4 requires it to be signed whenever it is sent; remove it from that list",
                &[required],
            ));
        }
    }
    Ok(())
}

/// The error for a request that names no host.
pub fn missing_host() -> Error {
    Error::fill(
        ErrorCode::MissingHost,
        "the request target is a path without a host; use an absolute URL (https://host/path) or add a host header",
        &[],
    )
}

/// The host to sign: the host override, else the request's `host` header, else the URL's;
/// where two of them are given, they must agree.
pub(crate) fn resolve_host(url_host: Option<&str>, header: Given<'_>, host_override: Option<&str>) -> Result<String> {
    if header.count > 1 {
        return Err(Error::fill(
            ErrorCode::ConflictingHeader,
            "the request has more than one host header; send exactly one",
            &[],
        ));
    }
    let header_host = header.only().map(str::trim_ascii);
    if let Some(host) = host_override {
        if host.is_empty() || !alphanumeric_or(host, b"-._:[]") {
            return Err(Error::fill(
                ErrorCode::InvalidHeaderValue,
                "the host override '{}' is not a host name with an optional :port",
                &[host],
            ));
        }
        if let Some(header) = header_host.filter(|h| !h.eq_ignore_ascii_case(host)) {
            return Err(Error::fill(
                ErrorCode::ConflictingHeader,
                "the host header '{}' differs from the host override '{}'; keep one of them",
                &[header, host],
            ));
        }
        return Ok(host.to_owned());
    }
    match (header_host, url_host) {
        (Some(header), Some(url)) if !header.eq_ignore_ascii_case(url) => Err(Error::fill(
            ErrorCode::ConflictingHeader,
            "the host header '{}' differs from the URL's host '{}'; remove the header, or set the host override when the signed host must differ from the one connected to",
            &[header, url],
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
        return Err(Error::fill(
            ErrorCode::ConflictingHeader,
            "the request has an x-amz-date header, but a presigned URL carries its date in the query; remove the header",
            &[],
        ));
    }
    if given.count > 1 || (given.count == 1 && given.first.trim_ascii() != amz_date) {
        return Err(Error::fill(
            ErrorCode::ConflictingHeader,
            "the request has an x-amz-date header ({}) besides the signing time {}; remove the header and let the signer add it, or sign with that time",
            &[given.first, amz_date],
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
            return Err(Error::fill(
                ErrorCode::ConflictingHeader,
                "the request has an x-amz-security-token header and the credentials carry a session token; remove the header and let the signer add the token",
                &[],
            ));
        }
    }
    Ok(())
}

/// A caller's request carries at most one `x-amz-content-sha256` header, and a presigned URL
/// none.
pub(crate) fn check_content_sha256_header(given: Given<'_>, presigning: bool) -> Result<()> {
    if given.count > 1 || (presigning && given.count > 0) {
        return Err(Error::fill(
            ErrorCode::ConflictingHeader,
            if presigning {
                "the request has an x-amz-content-sha256 header, which a presigned URL must not sign; remove it and pass the payload hash as an option"
            } else {
                "the request has more than one x-amz-content-sha256 header; send exactly one"
            },
            &[],
        ));
    }
    Ok(())
}

/// A `content-length` header the request carries is the length of the body it signs: a
/// server reads that many bytes, so another length sends a body other than the one signed.
/// (Checked where the body is given; a payload hash says nothing of the length.)
pub(crate) fn check_content_length(given: Given<'_>, body_length: usize) -> Result<()> {
    if given.count == 0 {
        return Ok(());
    }
    let value = given.first.trim_ascii();
    let length = crate::text::parse_decimal(value);
    if given.count > 1 || length != Some(body_length as u64) {
        return Err(Error::fill(
            ErrorCode::ConflictingHeader,
            "the content-length header ('{}'{}) is not the length of the body, {} bytes; remove the header (fetch and HTTP clients set it) or give the body it describes",
            &[value, if given.count > 1 { ", sent more than once" } else { "" }, &decimal(body_length as u64)],
        ));
    }
    Ok(())
}
