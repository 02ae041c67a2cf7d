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
