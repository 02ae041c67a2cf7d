//! `verify`: every outcome a service can answer, checked on requests signed by `sign`.

mod common;

use common::{KEY_ID, SECRET, TOKEN, params, request_of, signed, time};
use sigv4::{
    Credentials, ErrorCode, Payload, Request, SessionTokenMode, SignatureLocation, SignedRequest, SigningParams,
    SigningSettings, Verified, VerifiedLocation, VerifierKey, VerifySettings, sign, verify,
};

const URL: &str = "https://abc.execute-api.us-east-1.amazonaws.com/test/pets?type=dog&page=2";

fn s3_verifier() -> VerifySettings {
    let mut settings = VerifySettings::new("us-east-1", "s3");
    settings.canonicalization = SigningSettings::s3();
    settings
}

fn signed_get() -> SignedRequest {
    signed("execute-api", &Request::new("GET", URL), None, SignatureLocation::Headers)
}

/// The request as a server receives it: origin-form target plus the headers sent.
struct Received {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Received {
    fn from(signed: &SignedRequest, body: &[u8]) -> Self {
        let without_origin = signed.url.splitn(4, '/').nth(3).map(|rest| format!("/{rest}")).unwrap();
        let host = signed.url.split('/').nth(2).unwrap().to_owned();
        let mut headers = signed.headers.clone();
        if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("host")) {
            headers.push(("Host".into(), host));
        }
        Self { method: signed.method.clone(), target: without_origin, headers, body: body.to_vec() }
    }

    fn set(&mut self, name: &str, value: &str) -> &mut Self {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.into(), value.into()));
        self
    }

    fn remove(&mut self, name: &str) -> &mut Self {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self
    }

    fn verify_with(&self, now: &str, settings: &VerifySettings, key: Option<VerifierKey>) -> sigv4::Result<Verified> {
        let request = request_of(&self.method, &self.target, &self.headers, Payload::Bytes(&self.body));
        verify(&request, time(now), settings, |id| key.filter(|_| id == KEY_ID))
    }

    fn verify(&self, now: &str) -> sigv4::Result<Verified> {
        self.verify_with(now, &VerifySettings::new("us-east-1", "execute-api"), Some(long_term_key()))
    }
}

fn long_term_key() -> VerifierKey {
    VerifierKey { secret_access_key: SECRET.into(), session_token: None }
}

fn code(result: sigv4::Result<Verified>) -> ErrorCode {
    result.unwrap_err().code()
}

#[test]
fn a_signed_request_verifies_and_reports_what_was_signed() {
    let verified = Received::from(&signed_get(), b"").verify("20150830T123600Z").unwrap();
    assert_eq!(verified.access_key_id, KEY_ID);
    assert_eq!(verified.credential_scope, "20150830/us-east-1/execute-api/aws4_request");
    assert_eq!(verified.signed_headers, ["host", "x-amz-date"]);
    assert_eq!(verified.location, VerifiedLocation::Headers);
    assert_eq!(verified.canonical_request, signed_get().canonical_request);
}

#[test]
fn a_header_signature_covers_query_parameters_named_like_a_presigned_one() {
    // Found by the fuzzer: the verifier dropped X-Amz-* query parameters the client had signed.
    let url = "https://example.amazonaws.com/?X-Amz-Date&X-Amz-Expires=5&q=1";
    let signed = signed("execute-api", &Request::new("GET", url), None, SignatureLocation::Headers);
    assert!(signed.canonical_request.contains("\nX-Amz-Date=&X-Amz-Expires=5&q=1\n"));
    let received = Received::from(&signed, b"");
    assert_eq!(received.verify("20150830T123600Z").unwrap().location, VerifiedLocation::Headers);

    let mut dropped = received;
    dropped.target = "/?X-Amz-Expires=5&q=1".into();
    assert_eq!(code(dropped.verify("20150830T123600Z")), ErrorCode::SignatureMismatch);
}

#[test]
fn no_signature_is_a_missing_authentication_token() {
    let mut received = Received::from(&signed_get(), b"");
    received.remove("authorization");
    let err = received.verify("20150830T123600Z").unwrap_err();
    assert_eq!((err.code(), err.message()), (ErrorCode::MissingAuthentication, "Missing Authentication Token"));
}

#[test]
fn a_wrong_signature_reports_what_the_server_computed() {
    let signed = signed_get();
    let mut received = Received::from(&signed, b"");
    let authorization = signed.authorization.unwrap();
    // One hex digit of the signature changed.
    let last = if authorization.ends_with('0') { '1' } else { '0' };
    let tampered = format!("{}{last}", &authorization[..authorization.len() - 1]);
    received.set("Authorization", &tampered);
    let err = received.verify("20150830T123600Z").unwrap_err();
    assert_eq!(err.code(), ErrorCode::SignatureMismatch);
    assert!(
        err.message().starts_with("The request signature we calculated does not match the signature you provided.")
    );
    let computed = err.server_computed().unwrap();
    assert_eq!(computed.canonical_request, signed.canonical_request);
    assert_eq!(computed.string_to_sign, signed.string_to_sign);
}

#[test]
fn tampering_with_any_signed_part_is_a_mismatch() {
    let signed = signed_get();
    let base = || Received::from(&signed, b"");
    let mut method = base();
    method.method = "DELETE".into();
    let mut path = base();
    path.target = path.target.replace("/pets", "/pots");
    let mut query = base();
    query.target = query.target.replace("dog", "cat");
    let mut extra_param = base();
    extra_param.target.push_str("&admin=true");
    let mut body = base();
    body.body = b"surprise".to_vec();
    for (what, received) in
        [("method", method), ("path", path), ("query", query), ("extra parameter", extra_param), ("body", body)]
    {
        assert_eq!(code(received.verify("20150830T123600Z")), ErrorCode::SignatureMismatch, "{what}");
    }
    // Changing the signed date moves it out of the credential scope's day or changes the hash.
    let mut date = base();
    date.set("X-Amz-Date", "20150830T123601Z");
    assert_eq!(code(date.verify("20150830T123600Z")), ErrorCode::SignatureMismatch);
    let mut host = base();
    host.set("Host", "evil.example.com");
    assert_eq!(code(host.verify("20150830T123600Z")), ErrorCode::SignatureMismatch);
}

#[test]
fn unknown_access_key_and_session_tokens() {
    let received = Received::from(&signed_get(), b"");
    let err =
        received.verify_with("20150830T123600Z", &VerifySettings::new("us-east-1", "execute-api"), None).unwrap_err();
    assert_eq!(
        (err.code(), err.message()),
        (ErrorCode::UnknownAccessKey, "The security token included in the request is invalid.")
    );

    // Temporary credentials: the key requires its token.
    let credentials = Credentials::new(KEY_ID, SECRET).with_session_token(TOKEN);
    let temporary = VerifierKey { secret_access_key: SECRET.into(), session_token: Some(TOKEN.into()) };
    let settings = VerifySettings::new("us-east-1", "execute-api");
    let with_token = signed("execute-api", &Request::new("GET", URL), Some(TOKEN), SignatureLocation::Headers);
    assert!(
        Received::from(&with_token, b"").verify_with("20150830T123600Z", &settings, Some(temporary.clone())).is_ok()
    );
    // Without a token, with another token, or a token for a long-term key.
    let without = Received::from(&signed_get(), b"");
    assert_eq!(
        code(without.verify_with("20150830T123600Z", &settings, Some(temporary.clone()))),
        ErrorCode::InvalidSecurityToken
    );
    let mut other = Received::from(&with_token, b"");
    other.set("X-Amz-Security-Token", "another");
    assert_eq!(
        code(other.verify_with("20150830T123600Z", &settings, Some(temporary.clone()))),
        ErrorCode::InvalidSecurityToken
    );
    assert_eq!(code(Received::from(&with_token, b"").verify("20150830T123600Z")), ErrorCode::InvalidSecurityToken);

    // Appended after signing (IoT): checked, but not part of the signature.
    let iot = SigningSettings { session_token: SessionTokenMode::AppendedAfterSigning, ..SigningSettings::default() };
    let appended = sign(
        &Request::new("GET", URL),
        &params(&credentials, "execute-api", &iot),
        SignatureLocation::Query { expires_in: 60 },
    )
    .unwrap();
    assert!(!appended.canonical_request.contains("X-Amz-Security-Token"));
    assert!(appended.url.ends_with("&X-Amz-Security-Token=IQoJb3JpZ2luX2VjEXAMPLETOKEN%2B%2F%3D"));
    let mut iot_verifier = VerifySettings::new("us-east-1", "execute-api");
    iot_verifier.canonicalization = iot;
    assert!(
        Received::from(&appended, b"").verify_with("20150830T123600Z", &iot_verifier, Some(temporary.clone())).is_ok()
    );
    // A service that expects the token signed rejects one appended after signing.
    assert_eq!(
        code(Received::from(&appended, b"").verify_with("20150830T123600Z", &settings, Some(temporary))),
        ErrorCode::SignatureMismatch
    );
}

#[test]
fn the_credential_scope_must_name_this_endpoint() {
    let credentials = Credentials::new(KEY_ID, SECRET);
    let request = Request::new("GET", URL);
    let default = SigningSettings::default();
    let params = |region, service| SigningParams {
        credentials: &credentials,
        region,
        service,
        time: time("20150830T123600Z"),
        settings: &default,
    };
    for (region, service, expected) in [
        ("us-west-2", "execute-api", "Credential should be scoped to a valid region, not 'us-west-2'."),
        ("us-east-1", "s3", "Credential should be scoped to correct service: 'execute-api'."),
    ] {
        let signed = sign(&request, &params(region, service), SignatureLocation::Headers).unwrap();
        let err = Received::from(&signed, b"").verify("20150830T123600Z").unwrap_err();
        assert_eq!(err.code(), ErrorCode::CredentialScopeMismatch);
        assert!(err.message().starts_with(expected), "{}", err.message());
    }
    let mut received = Received::from(&signed_get(), b"");
    let authorization = signed_get().authorization.unwrap().replace("/20150830/", "/20150831/");
    received.set("Authorization", &authorization);
    let err = received.verify("20150830T123600Z").unwrap_err();
    assert_eq!(err.code(), ErrorCode::CredentialScopeMismatch);
    assert!(err.message().contains("'20150831' != '20150830'"), "{}", err.message());
    received.set("Authorization", &signed_get().authorization.unwrap().replace("aws4_request", "aws5_request"));
    assert_eq!(code(received.verify("20150830T123600Z")), ErrorCode::CredentialScopeMismatch);
}

#[test]
fn header_signatures_allow_fifteen_minutes_of_clock_skew() {
    let received = Received::from(&signed_get(), b"");
    assert!(received.verify("20150830T125100Z").is_ok());
    assert!(received.verify("20150830T122100Z").is_ok());
    let err = received.verify("20150830T125101Z").unwrap_err();
    assert_eq!(err.code(), ErrorCode::SignatureExpired);
    assert_eq!(
        err.message(),
        "Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z (20150830T125101Z - 15 min.)"
    );
    let err = received.verify("20150830T122059Z").unwrap_err();
    assert_eq!(err.code(), ErrorCode::SignatureNotYetCurrent);
    assert_eq!(
        err.message(),
        "Signature not yet current: 20150830T123600Z is still later than 20150830T123559Z (20150830T122059Z + 15 min.)"
    );
}

#[test]
fn presigned_urls_verify_until_they_expire() {
    let signed = signed("execute-api", &Request::new("GET", URL), None, SignatureLocation::Query { expires_in: 60 });
    let received = Received::from(&signed, b"");
    let verified = received.verify("20150830T123700Z").unwrap();
    assert_eq!(verified.location, VerifiedLocation::Query { expires_in: 60 });
    let err = received.verify("20150830T123701Z").unwrap_err();
    assert_eq!(err.code(), ErrorCode::RequestExpired);
    assert!(err.message().contains("20150830T123700Z"), "{}", err.message());
    assert_eq!(code(received.verify("20150830T122000Z")), ErrorCode::SignatureNotYetCurrent);
    // Stretching the expiry breaks the signature.
    let mut stretched = Received::from(&signed, b"");
    stretched.target = stretched.target.replace("X-Amz-Expires=60", "X-Amz-Expires=3600");
    assert_eq!(code(stretched.verify("20150830T123800Z")), ErrorCode::SignatureMismatch);
    let mut too_long = Received::from(&signed, b"");
    too_long.target = too_long.target.replace("X-Amz-Expires=60", "X-Amz-Expires=604801");
    assert_eq!(code(too_long.verify("20150830T123600Z")), ErrorCode::MalformedAuthorization);
}

#[test]
fn s3_presigned_urls_carry_unsigned_payload() {
    let request = Request::new("GET", "https://bucket.s3.amazonaws.com/a b+c.txt").payload(Payload::Unsigned);
    let signed = signed("s3", &request, None, SignatureLocation::Query { expires_in: 900 });
    let mut settings = s3_verifier();
    settings.allow_unsigned_payload = true;
    assert!(Received::from(&signed, b"").verify_with("20150830T123600Z", &settings, Some(long_term_key())).is_ok());
    settings.allow_unsigned_payload = false;
    assert_eq!(
        code(Received::from(&signed, b"").verify_with("20150830T123600Z", &settings, Some(long_term_key()))),
        ErrorCode::SignatureMismatch
    );
}

#[test]
fn the_host_must_be_signed() {
    let signed = signed_get();
    let mut received = Received::from(&signed, b"");
    let authorization =
        signed.authorization.unwrap().replace("SignedHeaders=host;x-amz-date", "SignedHeaders=x-amz-date");
    received.set("Authorization", &authorization);
    let err = received.verify("20150830T123600Z").unwrap_err();
    assert_eq!(
        (err.code(), err.message()),
        (ErrorCode::HostNotSigned, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
    );
}

#[test]
fn malformed_authorization_is_answered_not_crashed_on() {
    let base = || Received::from(&signed_get(), b"");
    for (value, expected) in [
        ("AWS4-HMAC-SHA256", ErrorCode::MalformedAuthorization),
        (
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/execute-api/aws4_request",
            ErrorCode::MalformedAuthorization,
        ),
        (
            "AWS4-HMAC-SHA256 Credential=AKID/x, SignedHeaders=host;x-amz-date, Signature=00",
            ErrorCode::MalformedAuthorization,
        ),
        (
            "AWS4-HMAC-SHA256 Credential=/20150830/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=00",
            ErrorCode::MalformedAuthorization,
        ),
        ("Basic dXNlcjpwYXNz", ErrorCode::UnsupportedAlgorithm),
        ("", ErrorCode::UnsupportedAlgorithm),
        (
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=00",
            ErrorCode::MalformedAuthorization,
        ),
    ] {
        let mut received = base();
        received.set("Authorization", value);
        let err = received.verify("20150830T123600Z").unwrap_err();
        assert_eq!(err.code(), expected, "{value}: {}", err.message());
    }
    let err = {
        let mut received = base();
        received.set("Authorization", "AWS4-HMAC-SHA256 Foo=bar");
        received.verify("20150830T123600Z").unwrap_err()
    };
    assert!(
        err.message().starts_with(
            "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter."
        ),
        "{}",
        err.message()
    );

    // Two X-Amz-Date headers, a missing one, or a bad one.
    let mut twice = base();
    twice.headers.push(("X-Amz-Date".into(), "20150830T123600Z".into()));
    assert_eq!(code(twice.verify("20150830T123600Z")), ErrorCode::MalformedAuthorization);
    let mut missing = base();
    missing.remove("x-amz-date");
    assert_eq!(code(missing.verify("20150830T123600Z")), ErrorCode::MalformedAuthorization);
    let mut bad = base();
    bad.set("X-Amz-Date", "yesterday");
    assert_eq!(code(bad.verify("20150830T123600Z")), ErrorCode::InvalidDate);
    // Two Authorization headers, or a header and a presigned query at once.
    let mut two = base();
    two.headers.push(("Authorization".into(), "AWS4-HMAC-SHA256 x".into()));
    assert_eq!(code(two.verify("20150830T123600Z")), ErrorCode::MalformedAuthorization);
    let mut both = base();
    both.target.push_str("&X-Amz-Algorithm=AWS4-HMAC-SHA256");
    assert_eq!(code(both.verify("20150830T123600Z")), ErrorCode::MalformedAuthorization);
    // A presigned query missing its parts.
    let mut partial = base();
    partial.remove("authorization");
    partial.target.push_str("&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20150830T123600Z");
    assert_eq!(code(partial.verify("20150830T123600Z")), ErrorCode::MalformedAuthorization);
}

#[test]
fn a_declared_body_hash_must_match_the_body() {
    let request = Request::new("PUT", "https://bucket.s3.amazonaws.com/key").body(b"hello");
    let signed = signed("s3", &request, None, SignatureLocation::Headers);
    let settings = s3_verifier();
    assert!(
        Received::from(&signed, b"hello").verify_with("20150830T123600Z", &settings, Some(long_term_key())).is_ok()
    );
    let err =
        Received::from(&signed, b"bye").verify_with("20150830T123600Z", &settings, Some(long_term_key())).unwrap_err();
    assert_eq!(err.code(), ErrorCode::PayloadHashMismatch);
}

#[test]
fn signature_mismatch_details_never_carry_the_session_token() {
    let signed = signed("execute-api", &Request::new("GET", URL), Some(TOKEN), SignatureLocation::Headers);
    let mut received = Received::from(&signed, b"");
    received.method = "POST".into();
    let key = VerifierKey { secret_access_key: SECRET.into(), session_token: Some(TOKEN.into()) };
    let err = received
        .verify_with("20150830T123600Z", &VerifySettings::new("us-east-1", "execute-api"), Some(key))
        .unwrap_err();
    let computed = err.server_computed().unwrap();
    assert!(computed.canonical_request.contains("x-amz-security-token:** redacted **"));
    for shown in
        [err.to_string(), format!("{err:?}"), computed.canonical_request.clone(), computed.string_to_sign.clone()]
    {
        assert!(!shown.contains(TOKEN) && !shown.contains(SECRET), "{shown}");
    }
}
