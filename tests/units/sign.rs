use sigv4::*;

#[test]
fn redacts_tokens_in_headers_queries_and_urls() {
    assert_eq!(
        redact_session_token("host:h\nx-amz-security-token:SECRET\n\nhost"),
        "host:h\nx-amz-security-token:** redacted **\n\nhost"
    );
    assert_eq!(
        redact_session_token("https://h/?X-Amz-Security-Token=SE%2FCRET&X-Amz-Signature=ab"),
        "https://h/?X-Amz-Security-Token=** redacted **&X-Amz-Signature=ab"
    );
    assert_eq!(redact_session_token("x-amz-security-token"), "x-amz-security-token");
    assert_eq!(redact_session_token("a;x-amz-security-token;b"), "a;x-amz-security-token;b");
    assert_eq!(redact_session_token("X-Amz-Security-Token=T"), "X-Amz-Security-Token=** redacted **");
}

/// The payload line of a canonical request signed with this payload and these headers.
fn payload_line(payload: Payload<'_>, headers: &[(&str, &str)]) -> Result<String> {
    let credentials = Credentials::new("AKIDEXAMPLE", "secret");
    let settings = SigningSettings::default();
    let time = AmzDateTime::parse("20150830T123600Z")?;
    let params =
        SigningParams { credentials: &credentials, region: "us-east-1", service: "s3", time, settings: &settings };
    let mut request = Request::new("PUT", "https://h/k").payload(payload);
    request.headers = headers.to_vec();
    let signed = sign(&request, &params, SignatureLocation::Headers)?;
    Ok(signed.canonical_request.lines().last().unwrap_or_default().to_owned())
}

#[test]
fn payload_hash_literals_and_hex() {
    let code = |result: Result<String>| result.unwrap_err().code();
    assert_eq!(code(payload_line(Payload::Precomputed("ABC"), &[])), ErrorCode::InvalidPayloadHash);
    let upper = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855";
    // An option is normalized; a header is sent as it is, so it must already be lowercase.
    assert_eq!(payload_line(Payload::Precomputed(upper), &[]).unwrap(), upper.to_ascii_lowercase());
    assert_eq!(
        code(payload_line(Payload::Bytes(b""), &[("x-amz-content-sha256", upper)])),
        ErrorCode::InvalidPayloadHash
    );
    assert_eq!(
        payload_line(Payload::Unsigned, &[("x-amz-content-sha256", "UNSIGNED-PAYLOAD")]).unwrap(),
        "UNSIGNED-PAYLOAD"
    );
    assert_eq!(
        code(payload_line(Payload::Bytes(b""), &[("x-amz-content-sha256", "unsigned-payload")])),
        ErrorCode::InvalidPayloadHash
    );
    let streaming = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
    assert_eq!(payload_line(Payload::Precomputed(streaming), &[]).unwrap(), streaming);
    // The header and the option must agree.
    assert_eq!(
        code(payload_line(Payload::Unsigned, &[("x-amz-content-sha256", EMPTY_PAYLOAD_SHA256)])),
        ErrorCode::ConflictingHeader
    );
}

/// `SignOptions` for `region` and `service` (each inferred when `None`), with `rules`.
fn sign_options<'a>(region: Option<&'a str>, service: Option<&'a str>, rules: RuleOptions) -> SignOptions<'a> {
    SignOptions { region, service, rules, ..Default::default() }
}

/// `request` signed by `sign_resolved` with the URL `resolve_reading` read (with the feature
/// `speed`; without it, read again), and by `sign_cached`, which reads it again: the same
/// result, or the same error.
fn signed_both_ways(request: &Request<'_>, options: &SignOptions<'_>) -> Result<SignedRequest> {
    let credentials = Credentials::new("AKIDEXAMPLE", "secret").with_session_token("token");
    let (resolved, url) = options.resolve_reading(request.url, &request.headers)?;
    assert_eq!(options.resolve(request.url, &request.headers), Ok(resolved.clone()));
    let params = SigningParams {
        credentials: &credentials,
        region: &resolved.region,
        service: &resolved.service,
        time: AmzDateTime::parse("20150830T123600Z")?,
        settings: &resolved.settings,
    };
    let mut cache = SigningKeyCache::default();
    let once = sign_resolved(request, url, &params, resolved.location, &mut cache, &mut sha256_hex);
    let twice = sign_cached(request, &params, resolved.location, &mut cache);
    assert_eq!(once, twice, "{request:?}");
    once
}

#[test]
fn a_url_read_once_signs_as_one_read_again() {
    let sts = "https://STS.us-east-1.amazonaws.com:443/?Action=GetCallerIdentity&Version=2011-06-15#f";
    let unencoded = RuleOptions { path_input: Some(PathInput::Unencoded), ..RuleOptions::default() };
    for (url, region, rules) in [
        (sts, None, RuleOptions::default()),
        ("https://bucket.s3.eu-west-1.amazonaws.com/my folder/a+b?.txt", None, unencoded),
        ("http://[::1]:8080/a/../b?x=1", Some("us-east-1"), RuleOptions::default()),
    ] {
        let signed = signed_both_ways(&Request::new("POST", url), &sign_options(region, Some("s3"), rules)).unwrap();
        assert!(signed.url.starts_with("http"), "{url}: {}", signed.url);
    }
    // resolve reads the URL by the caller's path rule, the one signing reads it by: every
    // preset keeps it.
    assert_eq!(SigningSettings::s3().path_input, PathInput::default());
    assert_eq!(SigningSettings::default().path_input, PathInput::default());
    let key = "https://b.s3.amazonaws.com/a?b#c";
    let (resolved, url) = sign_options(None, None, unencoded).resolve_reading(key, &[]).unwrap();
    assert_eq!((resolved.settings.path_input, url.map(|url| url.path)), (PathInput::Unencoded, Some("/a?b#c")));
    let signed = signed_both_ways(&Request::new("POST", sts), &sign_options(None, None, RuleOptions::default()));
    assert_eq!(signed.unwrap().url, "https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15");
    // A path-only target signs for its host header.
    let request = Request::new("GET", "/prod?a=1").header("host", "abc.execute-api.eu-west-1.amazonaws.com");
    assert_eq!(signed_both_ways(&request, &sign_options(None, None, RuleOptions::default())).unwrap().url, "/prod?a=1");
}

#[test]
fn a_url_that_cannot_be_read_is_reported_in_signings_order() {
    let code = |result: Result<SignedRequest>| result.unwrap_err().code();
    let given = || sign_options(Some("us-east-1"), Some("execute-api"), RuleOptions::default());
    // With the region and service given, resolving needs no host, and signing reports the URL
    // after the checks it makes first (here the method).
    assert!(given().resolve_reading("ftp://h/", &[]).is_ok_and(|(_, url)| url.is_none()));
    assert_eq!(code(signed_both_ways(&Request::new("GET", "ftp://h/"), &given())), ErrorCode::InvalidUrl);
    assert_eq!(code(signed_both_ways(&Request::new("G T", "ftp://h/"), &given())), ErrorCode::InvalidMethod);
    // A second query is signing's to refuse, with the URL read.
    let request = Request::new("GET", "https://h/?a=1").query("b=2");
    assert_eq!(code(signed_both_ways(&request, &given())), ErrorCode::ConflictingQueryParameter);
    // Without them, resolving needs the host and reports the URL itself.
    let inferred = sign_options(None, None, RuleOptions::default());
    assert_eq!(inferred.resolve("ftp://h/", &[]).unwrap_err().code(), ErrorCode::InvalidUrl);
    assert_eq!(inferred.resolve_reading("ftp://h/", &[]).unwrap_err().code(), ErrorCode::InvalidUrl);
}
