//! Inputs that used to be signed as given, producing a signature other than the caller meant
//! (one AWS refuses, or one for another time): each is now refused with a code and a message
//! that says what to fix (issue 17, item 5). The same rules through the npm package, on every
//! build and runtime: the cases after "the signing time" in tests/js/suite.mjs.

use sigv4::{
    AmzDateTime, Credentials, ErrorCode, MIN_UNIX_MILLIS, Payload, Request, RuleOptions, SignatureLocation,
    SignedRequest, SigningParams, SigningSettings, VerifierKey, VerifyOptions, VerifySettings, check_region_of_host,
    datetime_from_text, named_region, sign, verify,
};

const ACCESS_KEY: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const URL: &str = "https://example.amazonaws.com/";

fn time() -> AmzDateTime {
    AmzDateTime::parse("20150830T123600Z").unwrap()
}

fn sign_as(
    request: &Request<'_>,
    credentials: &Credentials,
    region: &str,
    service: &str,
) -> sigv4::Result<SignedRequest> {
    let settings = SigningSettings::default();
    let params = SigningParams { credentials, region, service, time: time(), settings: &settings };
    sign(request, &params, SignatureLocation::Headers)
}

fn try_sign(request: &Request<'_>) -> sigv4::Result<SignedRequest> {
    sign_as(request, &Credentials::new(ACCESS_KEY, SECRET), "us-east-1", "service")
}

fn code(result: sigv4::Result<impl std::fmt::Debug>) -> ErrorCode {
    result.unwrap_err().code()
}

fn verify_with_secret(request: &Request<'_>, secret: &str) -> sigv4::Result<sigv4::Verified> {
    let settings = VerifySettings::new("us-east-1", "service");
    verify(request, time(), &settings, |_| Some(VerifierKey { secret_access_key: secret.into(), session_token: None }))
}

/// A request as a server receives it, from what `sign` returned.
fn received<'a>(signed: &'a SignedRequest, method: &'a str, body: &'a [u8]) -> Request<'a> {
    let mut request = Request::new(method, "/").body(body);
    for (name, value) in &signed.headers {
        request = request.header(name, value);
    }
    request
}

#[test]
fn a_time_in_seconds_is_not_taken_for_milliseconds() {
    let seconds = 1_440_938_160;
    let err = AmzDateTime::from_unix_millis(seconds).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidDate);
    assert!(err.message().contains("probably Unix seconds") && err.message().contains("pass milliseconds"), "{err}");
    assert_eq!(AmzDateTime::from_unix_millis(seconds * 1000 + 999).unwrap(), time());
    // The line: 1e11 ms, March 1973, is the first time taken.
    assert_eq!(AmzDateTime::from_unix_millis(MIN_UNIX_MILLIS).unwrap().amz_date_time(), "19730303T094640Z");
    assert_eq!(code(AmzDateTime::from_unix_millis(MIN_UNIX_MILLIS - 1)), ErrorCode::InvalidDate);
    assert_eq!(code(AmzDateTime::from_unix_millis(-1)), ErrorCode::InvalidDate);

    // What the binding reads: digits are milliseconds, anything else a date in text.
    assert_eq!(datetime_from_text("1440938160000").unwrap(), time());
    assert_eq!(datetime_from_text("20150830T123600Z").unwrap(), time());
    for refused in ["1440938160", "0", "-1440938160000", "99999999999999999999999", "1e+21"] {
        assert_eq!(code(datetime_from_text(refused)), ErrorCode::InvalidDate, "{refused}");
    }
    // The message of a date it cannot read advises only forms it reads.
    let err = AmzDateTime::parse("yesterday").unwrap_err();
    assert!(!err.message().contains("Unix seconds"), "{err}");
    assert!(err.message().contains("20150830T123600Z"), "{err}");
}

#[test]
fn a_secret_with_whitespace_around_it_is_refused_without_showing_it() {
    for secret in [
        " wJalrXUtnFEMI",
        "wJalrXUtnFEMI\n",
        "wJalrXUtnFEMI\r\n",
        "\twJalrXUtnFEMI",
        "wJalr\u{0}XUtnFEMI",
        "wJalrXUtnFEMI\u{a0}",
        "\u{feff}wJalrXUtnFEMI",
    ] {
        let err = try_sign_with(Credentials::new(ACCESS_KEY, secret)).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidSecretAccessKey, "{secret:?}");
        assert!(err.message().contains("secret access key") && !err.message().contains("wJalr"), "{err}");
    }
    // Inner spaces are a secret's own business.
    assert!(try_sign_with(Credentials::new(ACCESS_KEY, "pass phrase")).is_ok());
    // The access key id and the session token were refused already: pinned.
    let err = try_sign_with(Credentials::new(" AKIDEXAMPLE", SECRET)).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidAccessKeyId);
    assert!(err.message().contains("spaces"), "{err}");
    let err = try_sign_with(Credentials::new(ACCESS_KEY, SECRET).with_session_token("token\n")).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidSessionToken);

    // A verifier whose lookup returns such a secret says so, rather than refusing every
    // signature as a mismatch.
    let signed = try_sign(&Request::new("GET", URL)).unwrap();
    let request = received(&signed, "GET", b"");
    assert!(verify_with_secret(&request, SECRET).is_ok());
    assert_eq!(code(verify_with_secret(&request, &format!("{SECRET}\n"))), ErrorCode::InvalidSecretAccessKey);
}

fn try_sign_with(credentials: Credentials) -> sigv4::Result<SignedRequest> {
    sign_as(&Request::new("GET", URL), &credentials, "us-east-1", "service")
}

#[test]
fn a_method_with_lowercase_letters_is_refused_when_signing_only() {
    for method in ["patch", "Patch", "get", "mkcol"] {
        let err = try_sign(&Request::new(method, URL)).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidMethod, "{method}");
        assert!(err.message().contains(&format!("use '{}'", method.to_ascii_uppercase())), "{err}");
    }
    assert_eq!(try_sign(&Request::new("PATCH", URL)).unwrap().method, "PATCH");
    // A verifier takes the method as it arrived: lowercased, it is another method, and the
    // signature does not match.
    let signed = try_sign(&Request::new("PATCH", URL)).unwrap();
    assert!(verify_with_secret(&received(&signed, "PATCH", b""), SECRET).is_ok());
    assert_eq!(code(verify_with_secret(&received(&signed, "patch", b""), SECRET)), ErrorCode::SignatureMismatch);
}

#[test]
fn a_region_or_service_in_uppercase_is_refused() {
    let credentials = Credentials::new(ACCESS_KEY, SECRET);
    let request = Request::new("GET", URL);
    let err = sign_as(&request, &credentials, "US-EAST-1", "service").unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidRegion);
    assert!(err.message().contains("use 'us-east-1'"), "{err}");
    assert_eq!(code(sign_as(&request, &credentials, "us-east-1", "S3")), ErrorCode::InvalidService);
    // A verifier configured so would refuse every request: its options are refused instead.
    let options = |region, service| VerifyOptions {
        region,
        service,
        rules: RuleOptions::default(),
        max_clock_skew: None,
        allow_unsigned_payload: None,
        required_signed_headers: None,
    };
    assert_eq!(code(options("US-EAST-1", "s3").resolve()), ErrorCode::InvalidRegion);
    assert_eq!(code(options("us-east-1", "Execute-Api").resolve()), ErrorCode::InvalidService);
    assert!(options("us-east-1", "execute-api").resolve().is_ok());
}

fn resolve(url: &str, headers: &[(&str, &str)], region: Option<&str>, service: Option<&str>) -> sigv4::Result<String> {
    let options = sigv4::SignOptions { region, service, ..Default::default() };
    options.resolve(url, headers).map(|resolved| resolved.region)
}

#[test]
fn a_region_other_than_the_one_the_host_names_is_refused() {
    let sts = "https://sts.us-east-1.amazonaws.com/";
    for service in [Some("sts"), None] {
        let err = resolve(sts, &[], Some("us-west-2"), service).unwrap_err();
        assert_eq!(err.code(), ErrorCode::ConflictingRegion, "{service:?}");
        assert!(err.message().contains("pass region 'us-east-1' or leave it out"), "{err}");
    }
    assert_eq!(resolve(sts, &[], Some("us-east-1"), Some("sts")).unwrap(), "us-east-1");
    // The host signed is the one compared: a host header's, or the override's.
    let host = [("host", "abc.execute-api.eu-west-1.amazonaws.com")];
    assert_eq!(
        code(resolve("/prod/pets", &host, Some("us-east-1"), Some("execute-api"))),
        ErrorCode::ConflictingRegion
    );
    assert_eq!(resolve("http://localhost:8080/", &[], Some("us-east-1"), Some("execute-api")).unwrap(), "us-east-1");
    // Hosts that name no region of their own take any: global endpoints (a bucket in any
    // region), R2, and a bucket whose name looks like a region.
    for (url, region) in [
        ("https://sts.amazonaws.com/", "us-west-2"),
        ("https://bucket.s3.amazonaws.com/key", "eu-west-1"),
        ("https://my-bucket-1.s3.amazonaws.com/key", "us-east-1"),
        ("https://eu-west-1.s3.amazonaws.com/key", "us-east-1"),
        ("https://account.r2.cloudflarestorage.com/b/k", "us-east-1"),
    ] {
        assert_eq!(resolve(url, &[], Some(region), Some("s3")).unwrap(), region, "{url}");
    }
    for (host, named) in [
        ("sts.us-east-1.amazonaws.com", Some("us-east-1")),
        ("bucket.s3.dualstack.ap-southeast-2.amazonaws.com", Some("ap-southeast-2")),
        ("s3-us-west-2.amazonaws.com", Some("us-west-2")),
        ("id.lambda-url.eu-central-1.on.aws", Some("eu-central-1")),
        ("search-d.us-gov-west-1.es.amazonaws.com", Some("us-gov-west-1")),
        ("iam.amazonaws.com", None),
        ("example.amazonaws.com", None),
        ("localhost", None),
    ] {
        assert_eq!(named_region(host).as_deref(), named, "{host}");
    }
    // Case is the uppercase rule's to report (INVALID_REGION), not a conflict.
    assert!(check_region_of_host("sts.us-east-1.amazonaws.com", "US-EAST-1").is_ok());
}

#[test]
fn a_url_that_is_not_http_is_refused() {
    for url in ["ftp://example.amazonaws.com/file", "file://example.amazonaws.com/etc", "s3://bucket/key"] {
        let err = try_sign(&Request::new("GET", url)).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidUrl, "{url}");
        assert!(err.message().contains("use https://"), "{err}");
    }
    for url in ["https://example.amazonaws.com/", "http://example.amazonaws.com/", "wss://example.amazonaws.com/mqtt"] {
        assert!(try_sign(&Request::new("GET", url)).is_ok(), "{url}");
    }
    assert_eq!(
        code(verify_with_secret(&Request::new("GET", "ftp://example.amazonaws.com/"), SECRET)),
        ErrorCode::InvalidUrl
    );
}

#[test]
fn a_content_length_that_is_not_the_body_length_is_refused() {
    let body = b"Param1=value1";
    let with = |value| try_sign(&Request::new("POST", URL).header("Content-Length", value).body(body));
    for value in ["13", " 13 "] {
        assert!(with(value).is_ok(), "{value}");
    }
    for value in ["12", "14", "", "thirteen", "+13", "13, 13"] {
        let err = with(value).unwrap_err();
        assert_eq!(err.code(), ErrorCode::ConflictingHeader, "{value}");
        assert!(err.message().contains("13 bytes"), "{err}");
    }
    let twice = Request::new("POST", URL).header("content-length", "13").header("Content-Length", "13").body(body);
    assert_eq!(code(try_sign(&twice)), ErrorCode::ConflictingHeader);
    // A body not given (a payload hash for a streamed body) has no length to compare.
    let streamed = Request::new("PUT", URL).header("content-length", "66824").payload(Payload::Unsigned);
    assert!(try_sign(&streamed).is_ok());
    // A verifier takes the request as it arrived: the payload hash decides.
    let signed = try_sign(&Request::new("POST", URL).header("content-length", "13").body(body)).unwrap();
    assert!(verify_with_secret(&received(&signed, "POST", body), SECRET).is_ok());
    assert_eq!(
        code(verify_with_secret(&received(&signed, "POST", b"Param1=value"), SECRET)),
        ErrorCode::SignatureMismatch
    );
}
