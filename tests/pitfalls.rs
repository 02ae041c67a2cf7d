//! The real-world SigV4 pitfalls other signers (aws4, aws4fetch, @smithy/signature-v4,
//! Postman) or their users trip on, each pinned to the exact canonical fragment it must
//! produce. Numbered p01 to p16; p14, clock skew, is a verification outcome
//! (`tests/verification.rs`).

use sigv4::{
    AmzDateTime, Credentials, ErrorCode, PathInput, Payload, QueryPlus, Request, SignatureLocation, SignedRequest,
    SigningParams, SigningSettings, VerifierKey, VerifySettings, infer_scope, resolve_scope, sign, verify,
};

const ACCESS_KEY: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

fn time() -> AmzDateTime {
    AmzDateTime::parse("20150830T123600Z").unwrap()
}

fn try_sign(
    request: &Request<'_>,
    service: &str,
    settings: &SigningSettings,
    credentials: &Credentials,
    location: SignatureLocation,
) -> sigv4::Result<SignedRequest> {
    let params = SigningParams { credentials, region: "us-east-1", service, time: time(), settings };
    sign(request, &params, location)
}

fn signed(request: &Request<'_>, service: &str, settings: &SigningSettings) -> SignedRequest {
    try_sign(request, service, settings, &Credentials::new(ACCESS_KEY, SECRET), SignatureLocation::Headers).unwrap()
}

/// Line `n` (0-based) of the canonical request.
fn line(signed: &SignedRequest, n: usize) -> &str {
    signed.canonical_request.split('\n').nth(n).unwrap()
}

fn canonical_uri(url: &str, service: &str, settings: &SigningSettings) -> String {
    line(&signed(&Request::new("GET", url), service, settings), 1).to_owned()
}

fn canonical_query(url: &str, settings: &SigningSettings) -> String {
    line(&signed(&Request::new("GET", url), "service", settings), 2).to_owned()
}

#[test]
fn p01_s3_keys_with_reserved_characters_are_encoded_once() {
    let s3 = SigningSettings::s3();
    assert_eq!(canonical_uri("https://examplebucket.s3.amazonaws.com/test$file.text", "s3", &s3), "/test%24file.text");
    assert_eq!(
        canonical_uri("https://b.s3.amazonaws.com/data/dt=2024-05-22/mac@2x*.png", "s3", &s3),
        "/data/dt%3D2024-05-22/mac%402x%2A.png"
    );
    assert_eq!(canonical_uri("https://b.s3.amazonaws.com/a,b;c:d!e'f(g)", "s3", &s3), "/a%2Cb%3Bc%3Ad%21e%27f%28g%29");
}

#[test]
fn p02_a_raw_plus_in_an_s3_path_is_a_space() {
    let s3 = SigningSettings::s3();
    assert_eq!(
        canonical_uri("https://bucket.s3.amazonaws.com/libstdc++-docs.x86_64.rpm", "s3", &s3),
        "/libstdc%20%20-docs.x86_64.rpm"
    );
    assert_eq!(canonical_uri("https://bucket.s3.amazonaws.com/a%2Bb.txt", "s3", &s3), "/a%2Bb.txt");
    // A literal plus in an unencoded key is sent as %2B and signed as such.
    let unencoded = SigningSettings { path_input: PathInput::Unencoded, ..SigningSettings::s3() };
    let s = signed(&Request::new("GET", "https://bucket.s3.amazonaws.com/a+b.txt"), "s3", &unencoded);
    assert_eq!((line(&s, 1), s.url.as_str()), ("/a%2Bb.txt", "https://bucket.s3.amazonaws.com/a%2Bb.txt"));
}

#[test]
fn p03_the_path_input_contract_both_ways() {
    let default = SigningSettings::default();
    // The suites' request line, unescaped: encoded where it must be.
    let s =
        signed(&Request::new("GET", "/example space/").header("host", "example.amazonaws.com"), "service", &default);
    assert_eq!(line(&s, 1), "/example%20space/");
    // A wire path on a non-S3 service is encoded a second time.
    assert_eq!(
        canonical_uri("https://abc.execute-api.us-east-1.amazonaws.com/prod/a%20b", "execute-api", &default),
        "/prod/a%2520b"
    );
    // An unencoded path is first encoded for the wire, then signed like a wire path.
    let unencoded = SigningSettings { path_input: PathInput::Unencoded, ..SigningSettings::default() };
    let s = signed(
        &Request::new("GET", "https://abc.execute-api.us-east-1.amazonaws.com/prod/Citroën"),
        "execute-api",
        &unencoded,
    );
    assert_eq!(line(&s, 1), "/prod/Citro%25C3%25ABn");
    assert_eq!(s.url, "https://abc.execute-api.us-east-1.amazonaws.com/prod/Citro%C3%ABn");
}

#[test]
fn p04_a_raw_plus_in_the_query_has_one_documented_meaning() {
    let literal = SigningSettings::default();
    assert_eq!(canonical_query("https://h.amazonaws.com/?q=a+b", &literal), "q=a%2Bb");
    assert_eq!(canonical_query("https://h.amazonaws.com/?q=a%2Bb", &literal), "q=a%2Bb");
    assert_eq!(canonical_query("https://h.amazonaws.com/?q=a%20b", &literal), "q=a%20b");
    let form = SigningSettings { query_plus: QueryPlus::Space, ..SigningSettings::default() };
    assert_eq!(canonical_query("https://h.amazonaws.com/?q=a+b", &form), "q=a%20b");
    assert_eq!(canonical_query("https://h.amazonaws.com/?q=a%2Bb", &form), "q=a%2Bb");
    // A presigned URL with '+' in the query verifies under the same policy, and only that one.
    for settings in [literal, form] {
        let credentials = Credentials::new(ACCESS_KEY, SECRET);
        let request = Request::new("GET", "https://h.amazonaws.com/p?q=a+b");
        let s = try_sign(&request, "service", &settings, &credentials, SignatureLocation::Query { expires_in: 60 })
            .unwrap();
        let key = || Some(VerifierKey { secret_access_key: SECRET.into(), session_token: None });
        let mut verifier = VerifySettings::new("us-east-1", "service");
        verifier.canonicalization = settings.clone();
        assert!(verify(&Request::new("GET", &s.url), time(), &verifier, |_| key()).is_ok());
        let other = if settings.query_plus == QueryPlus::Literal { QueryPlus::Space } else { QueryPlus::Literal };
        verifier.canonicalization.query_plus = other;
        let err = verify(&Request::new("GET", &s.url), time(), &verifier, |_| key()).unwrap_err();
        assert_eq!(err.code(), ErrorCode::SignatureMismatch);
    }
}

#[test]
fn p05_reserved_characters_in_query_values() {
    assert_eq!(
        canonical_query("https://h.amazonaws.com/?path=%2Fa%2Fb%3Ac*(x)~", &SigningSettings::default()),
        "path=%2Fa%2Fb%3Ac%2A%28x%29~"
    );
    assert_eq!(canonical_query("https://h.amazonaws.com/?v=!'", &SigningSettings::default()), "v=%21%27");
}

#[test]
fn p06_parameters_without_values_and_equals_inside_values() {
    let default = SigningSettings::default();
    assert_eq!(canonical_query("https://h.amazonaws.com/?acl&b=", &default), "acl=&b=");
    assert_eq!(canonical_query("https://h.amazonaws.com/?a=b=c", &default), "a=b%3Dc");
    assert_eq!(canonical_query("https://b.s3.amazonaws.com/?acl", &SigningSettings::s3()), "acl=");
}

#[test]
fn p07_repeated_query_keys_keep_every_value_in_every_mode() {
    for settings in [SigningSettings::default(), SigningSettings::s3()] {
        assert_eq!(canonical_query("https://h.amazonaws.com/?k=2&k=1&k=10", &settings), "k=1&k=10&k=2");
        assert_eq!(canonical_query("https://b.s3.amazonaws.com/?tag=b&tag=a", &settings), "tag=a&tag=b");
    }
    // Presigning keeps them too.
    let credentials = Credentials::new(ACCESS_KEY, SECRET);
    let request = Request::new("GET", "https://b.s3.amazonaws.com/k?tag=b&tag=a");
    let s = try_sign(&request, "s3", &SigningSettings::s3(), &credentials, SignatureLocation::Query { expires_in: 60 })
        .unwrap();
    assert!(line(&s, 2).starts_with("X-Amz-Algorithm=AWS4-HMAC-SHA256&") && line(&s, 2).ends_with("&tag=a&tag=b"));
    assert!(s.url.starts_with("https://b.s3.amazonaws.com/k?tag=b&tag=a&X-Amz-Algorithm="));
}

#[test]
fn p08_header_value_canonicalization() {
    let default = SigningSettings::default();
    let canonical_header = |headers: &[(&str, &str)]| {
        let mut request = Request::new("GET", "https://h.amazonaws.com/");
        request.headers = headers.to_vec();
        let s = signed(&request, "service", &default);
        s.canonical_request.lines().find(|l| l.starts_with("my-header1:")).unwrap().to_owned()
    };
    assert_eq!(canonical_header(&[("My-Header1", "  a   b   c  ")]), "my-header1:a b c");
    assert_eq!(canonical_header(&[("My-Header1", "\"a   b   c\"")]), "my-header1:\"a b c\"");
    // Tabs collapse like spaces (what botocore, aws4, aws4fetch and smithy do).
    assert_eq!(canonical_header(&[("My-Header1", "a\t\tb")]), "my-header1:a b");
    assert_eq!(canonical_header(&[("My-Header1", "value2"), ("my-header1", "value1")]), "my-header1:value2,value1");
    assert_eq!(canonical_header(&[("My-Header1", "value1\n  value2\n     value3")]), "my-header1:value1 value2 value3");
}

#[test]
fn p09_content_type_is_signed_and_changing_it_is_detected() {
    let default = SigningSettings::default();
    let request =
        Request::new("POST", "https://h.amazonaws.com/").header("Content-Type", "application/json").body(b"{}");
    let s = signed(&request, "service", &default);
    assert_eq!(s.signed_headers, "content-type;host;x-amz-date");
    // Nothing is invented: no content-type or content-length appears on its own.
    let bare = signed(&Request::new("PUT", "https://h.amazonaws.com/k").body(b"hello"), "service", &default);
    assert_eq!(bare.signed_headers, "host;x-amz-date");

    let key = || Some(VerifierKey { secret_access_key: SECRET.into(), session_token: None });
    let received = |content_type: Option<&str>, headers: &[(String, String)]| {
        let mut pairs: Vec<(String, String)> =
            headers.iter().filter(|(n, _)| !n.eq_ignore_ascii_case("content-type")).cloned().collect();
        if let Some(value) = content_type {
            pairs.push(("Content-Type".into(), value.into()));
        }
        pairs
    };
    let verifier = VerifySettings::new("us-east-1", "service");
    // Changed after signing: the signature no longer matches.
    let changed = received(Some("text/plain"), &s.headers);
    let mut r = Request::new("POST", &s.url).body(b"{}");
    r.headers = changed.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    assert_eq!(verify(&r, time(), &verifier, |_| key()).unwrap_err().code(), ErrorCode::SignatureMismatch);
    // Added after signing: AWS ignores unsigned headers, a strict server does not.
    let added = received(Some("application/json"), &bare.headers);
    let mut r = Request::new("PUT", &bare.url).body(b"hello");
    r.headers = added.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    assert!(verify(&r, time(), &verifier, |_| key()).is_ok());
    let strict = VerifySettings { required_signed_headers: vec!["content-type".into()], ..verifier };
    assert_eq!(verify(&r, time(), &strict, |_| key()).unwrap_err().code(), ErrorCode::HeaderNotSigned);
}

#[test]
fn p10_payload_hash_and_x_amz_content_sha256() {
    let s3 = SigningSettings::s3();
    let hello = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
    let s = signed(&Request::new("PUT", "https://b.s3.amazonaws.com/key.txt").body(b"hello"), "s3", &s3);
    assert_eq!(s.canonical_request.lines().last(), Some(hello));
    assert!(s.canonical_request.contains(&format!("\nx-amz-content-sha256:{hello}\n")));
    assert!(s.headers.contains(&("x-amz-content-sha256".into(), hello.into())));
    // Declared UNSIGNED-PAYLOAD: in the header and the canonical request.
    let request = Request::new("PUT", "https://b.s3.amazonaws.com/key.txt").body(b"hello").payload(Payload::Unsigned);
    let s = signed(&request, "s3", &s3);
    assert_eq!(s.canonical_request.lines().last(), Some("UNSIGNED-PAYLOAD"));
    assert!(s.headers.contains(&("x-amz-content-sha256".into(), "UNSIGNED-PAYLOAD".into())));
    // UNSIGNED-PAYLOAD without the S3 preset still sends the header: the service could not know it otherwise.
    let s = signed(&request, "service", &SigningSettings::default());
    assert!(s.signed_headers.contains("x-amz-content-sha256"));
    // A hash computed elsewhere (a streamed upload) is used as given.
    let streamed = Request::new("PUT", "https://b.s3.amazonaws.com/big").payload(Payload::Precomputed(hello));
    assert_eq!(signed(&streamed, "s3", &s3).payload_hash, hello);
    // A header that contradicts the body is refused instead of failing at the service.
    let wrong = Request::new("PUT", "https://b.s3.amazonaws.com/k").header("x-amz-content-sha256", hello).body(b"bye");
    let credentials = Credentials::new(ACCESS_KEY, SECRET);
    let err = try_sign(&wrong, "s3", &s3, &credentials, SignatureLocation::Headers).unwrap_err();
    assert_eq!(err.code(), ErrorCode::PayloadHashMismatch);
    let bad = Request::new("PUT", "https://b.s3.amazonaws.com/k").payload(Payload::Precomputed("nope"));
    let err = try_sign(&bad, "s3", &s3, &credentials, SignatureLocation::Headers).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidPayloadHash);
}

#[test]
fn p11_presigned_url_rules() {
    let credentials = Credentials::new(ACCESS_KEY, SECRET).with_session_token("TOKEN/+=");
    let request = Request::new("GET", "https://bucket.s3.amazonaws.com/key.txt").payload(Payload::Unsigned);
    let s3 = SigningSettings::s3();
    let s = try_sign(&request, "s3", &s3, &credentials, SignatureLocation::Query { expires_in: 3600 }).unwrap();
    assert!(line(&s, 2).ends_with("&X-Amz-Security-Token=TOKEN%2F%2B%3D&X-Amz-SignedHeaders=host"), "{}", line(&s, 2));
    assert_eq!(s.canonical_request.lines().last(), Some("UNSIGNED-PAYLOAD"));
    // The signature aws4, aws4fetch, botocore and aws-sigv4 agree on (peers harness case c25).
    assert!(s.signature.starts_with("626e31f5"), "{}", s.signature);
    assert!(!s.signed_headers.contains("x-amz-content-sha256"));
    assert!(s.url.ends_with(&format!("&X-Amz-Signature={}", s.signature)));
    for expires_in in [0, 604_801, u64::MAX] {
        let err = try_sign(&request, "s3", &s3, &credentials, SignatureLocation::Query { expires_in }).unwrap_err();
        assert_eq!(err.code(), ErrorCode::ExpiresOutOfRange, "{expires_in}");
    }
    assert!(try_sign(&request, "s3", &s3, &credentials, SignatureLocation::Query { expires_in: 604_800 }).is_ok());
    // x-amz-* parameters the caller already put in the URL are refused, not duplicated.
    let twice = Request::new("GET", "https://bucket.s3.amazonaws.com/key.txt?X-Amz-Expires=60");
    let err = try_sign(&twice, "s3", &s3, &credentials, SignatureLocation::Query { expires_in: 60 }).unwrap_err();
    assert_eq!(err.code(), ErrorCode::ConflictingQueryParameter);
}

#[test]
fn p12_host_header_and_ports() {
    let default = SigningSettings::default();
    let host_line =
        |s: &SignedRequest| s.canonical_request.lines().find(|l| l.starts_with("host:")).unwrap().to_owned();
    assert_eq!(
        host_line(&signed(&Request::new("GET", "http://localhost:9000/bucket/key"), "s3", &default)),
        "host:localhost:9000"
    );
    assert_eq!(host_line(&signed(&Request::new("GET", "https://x:443/"), "s3", &default)), "host:x");
    assert_eq!(host_line(&signed(&Request::new("GET", "http://x:80/"), "s3", &default)), "host:x");
    assert_eq!(host_line(&signed(&Request::new("GET", "https://x:8443/"), "s3", &default)), "host:x:8443");
    // Through a tunnel: connect to localhost, sign the service host.
    let tunnel =
        SigningSettings { host_override: Some("search-x.us-east-1.es.amazonaws.com".into()), ..default.clone() };
    let s = signed(&Request::new("GET", "https://localhost:9200/_search"), "es", &tunnel);
    assert_eq!(host_line(&s), "host:search-x.us-east-1.es.amazonaws.com");
    assert!(s.headers.contains(&("host".into(), "search-x.us-east-1.es.amazonaws.com".into())));
    // A host header that disagrees with the URL is refused rather than signed silently.
    let credentials = Credentials::new(ACCESS_KEY, SECRET);
    let conflicting = Request::new("GET", "https://a.example.com/").header("Host", "b.example.com");
    let err = try_sign(&conflicting, "s3", &default, &credentials, SignatureLocation::Headers).unwrap_err();
    assert_eq!(err.code(), ErrorCode::ConflictingHeader);
    let hostless = Request::new("GET", "/path");
    let err = try_sign(&hostless, "s3", &default, &credentials, SignatureLocation::Headers).unwrap_err();
    assert_eq!(err.code(), ErrorCode::MissingHost);
}

#[test]
fn p13_host_is_signed_without_the_caller_sending_it() {
    let s = signed(
        &Request::new("GET", "https://abc.execute-api.us-east-1.amazonaws.com/prod/pets"),
        "execute-api",
        &SigningSettings::default(),
    );
    assert_eq!(s.signed_headers, "host;x-amz-date");
    assert!(s.canonical_request.contains("\nhost:abc.execute-api.us-east-1.amazonaws.com\n"));
    // `host` can never be left out of the signature.
    let mut settings = SigningSettings::default();
    settings.unsign_header("Host");
    let credentials = Credentials::new(ACCESS_KEY, SECRET);
    let err = try_sign(&Request::new("GET", "https://h/"), "s", &settings, &credentials, SignatureLocation::Headers);
    assert_eq!(err.unwrap_err().code(), ErrorCode::RequiredHeaderExcluded);
}

#[test]
fn p15_service_and_region_are_never_silently_defaulted() {
    let scope = |host: &str| {
        let s = infer_scope(host);
        (s.region, s.service)
    };
    assert_eq!(scope("bucket.s3-accelerate.amazonaws.com"), (None, Some("s3".into())));
    assert_eq!(scope("s3.dualstack.us-west-2.amazonaws.com"), (Some("us-west-2".into()), Some("s3".into())));
    assert_eq!(scope("abc.lambda-url.us-east-1.on.aws"), (Some("us-east-1".into()), Some("lambda".into())));
    assert_eq!(scope("api.example.com"), (None, None));
    assert_eq!(
        resolve_scope("api.example.com", Some("us-east-1"), None).unwrap_err().code(),
        ErrorCode::MissingService
    );
    // The signer itself refuses an empty service or region instead of signing with ''.
    let credentials = Credentials::new(ACCESS_KEY, SECRET);
    let settings = SigningSettings::default();
    let request = Request::new("GET", "https://api.example.com/");
    let err = try_sign(&request, "", &settings, &credentials, SignatureLocation::Headers).unwrap_err();
    assert_eq!(err.code(), ErrorCode::MissingService);
    let params =
        SigningParams { credentials: &credentials, region: "", service: "s3", time: time(), settings: &settings };
    assert_eq!(sign(&request, &params, SignatureLocation::Headers).unwrap_err().code(), ErrorCode::MissingRegion);
    let s = signed(&request, "execute-api", &settings);
    assert_eq!(s.credential_scope, "20150830/us-east-1/execute-api/aws4_request");
}

#[test]
fn p16_s3_keys_with_dot_segments_and_double_slashes_stay_as_they_are() {
    assert_eq!(canonical_uri("https://b.s3.amazonaws.com/a/../b//c", "s3", &SigningSettings::s3()), "/a/../b//c");
    assert_eq!(canonical_uri("https://h.amazonaws.com/a/../b//c", "service", &SigningSettings::default()), "/b/c");
    let s = signed(&Request::new("GET", "https://b.s3.amazonaws.com/a/../b//c"), "s3", &SigningSettings::s3());
    assert_eq!(s.url, "https://b.s3.amazonaws.com/a/../b//c");
}
