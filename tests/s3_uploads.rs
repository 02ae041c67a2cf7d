//! S3's upload forms beyond one signed body (`tests/vectors/s3`): signed chunked uploads
//! (aws-chunked, with and without a trailer) and presigned POST policies. Each vector is
//! checked step by step, then the encoder's bytes on the wire.

mod common;

use common::time;
use serde::Deserialize;
use serde_json::Value;
use sigv4::{
    Checksum, ChecksumAlgorithm, ChunkSigner, ChunkedEncoder, ChunkedMode, ChunkedUpload, Credentials, ErrorCode,
    MAX_DECODED_LENGTH, Payload, PolicyCondition, PostPolicy, Request, SigningParams, SigningSettings, VerifierKey,
    VerifySettings, canonical_trailer, chunk_header, chunk_string_to_sign, post_policy_string_to_sign, presign_post,
    sign_chunked, signature, signing_key, trailer_string_to_sign, verify,
};

#[derive(Deserialize)]
struct ChunkedExample {
    credentials: ExampleCredentials,
    region: String,
    service: String,
    timestamp: String,
    credential_scope: String,
    request: ChunkedRequest,
    expected: ChunkedExpected,
    chunks: Vec<ExampleChunk>,
    trailer: Option<ExampleTrailer>,
}

#[derive(Deserialize)]
struct ExampleCredentials {
    access_key_id: String,
    secret_access_key: String,
}

#[derive(Deserialize)]
struct ChunkedRequest {
    method: String,
    host: String,
    path: String,
    headers: Vec<(String, String)>,
    decoded_body: RepeatedByte,
    chunk_size: usize,
}

#[derive(Deserialize)]
struct RepeatedByte {
    repeat_byte: String,
    length: usize,
}

impl RepeatedByte {
    fn bytes(&self) -> Vec<u8> {
        self.repeat_byte.as_bytes().repeat(self.length)
    }
}

#[derive(Deserialize)]
struct ChunkedExpected {
    canonical_request: String,
    string_to_sign: String,
    seed_signature: String,
    authorization_as_documented: Option<String>,
    encoded_body_length: Option<u64>,
}

#[derive(Deserialize)]
struct ExampleChunk {
    data: RepeatedByte,
    string_to_sign: String,
    signature: String,
    chunk_header: String,
}

#[derive(Deserialize)]
struct ExampleTrailer {
    headers: Vec<(String, String)>,
    canonical_trailer_for_hashing: String,
    string_to_sign: String,
    signature: String,
    wire_lines: Vec<String>,
}

/// The headers a chunked upload adds, as the vectors write them.
const CHUNKED_HEADERS: &[&str] =
    &["content-encoding", "content-length", "x-amz-decoded-content-length", "x-amz-trailer"];

fn is_chunked_header(name: &str) -> bool {
    CHUNKED_HEADERS.iter().any(|h| h.eq_ignore_ascii_case(name))
}

/// The parts of an `Authorization` value: the S3 pages write no space after the commas.
fn authorization_parts(value: &str) -> Vec<String> {
    value.split([',', ' ']).filter(|p| !p.is_empty()).map(str::to_owned).collect()
}

/// One vector, from the seed request's headers to the last byte of the body.
fn run_chunked(json: &str, mode: ChunkedMode, checksum: Option<ChecksumAlgorithm>) {
    let example: ChunkedExample = serde_json::from_str(json).expect("example JSON");
    let body = example.request.decoded_body.bytes();
    let upload =
        ChunkedUpload { mode, decoded_length: body.len() as u64, chunk_size: example.request.chunk_size, checksum };

    // Step 1: the headers of the seed request, as the vector has them (the trailer example
    // signs no content-length: it leaves it out of the signature).
    let given: Vec<(String, String)> = example
        .request
        .headers
        .iter()
        .filter(|(name, _)| is_chunked_header(name))
        .map(|(name, value)| (name.to_ascii_lowercase(), value.clone()))
        .collect();
    let mut added = upload.headers();
    let signs_content_length = given.iter().any(|(name, _)| name == "content-length");
    let mut settings = SigningSettings::s3();
    if !signs_content_length {
        settings.unsign_header("content-length");
        added.retain(|(name, _)| name != "content-length");
    }
    let sorted = |mut headers: Vec<(String, String)>| {
        headers.sort();
        headers
    };
    assert_eq!(sorted(added), sorted(given), "'chunked upload headers' didn't match");
    if let Some(length) = example.expected.encoded_body_length {
        assert_eq!(upload.encoded_length(), length, "'encoded content length' didn't match");
    }

    // Step 2: the seed request, signed.
    let credentials =
        Credentials::new(&example.credentials.access_key_id, example.credentials.secret_access_key.as_str());
    let params = SigningParams {
        credentials: &credentials,
        region: &example.region,
        service: &example.service,
        time: time(&example.timestamp),
        settings: &settings,
    };
    let url = format!("https://{}{}", example.request.host, example.request.path);
    let own_headers: Vec<(&str, &str)> = example
        .request
        .headers
        .iter()
        .filter(|(name, _)| !is_chunked_header(name) && !name.eq_ignore_ascii_case("x-amz-content-sha256"))
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    let request = Request {
        method: &example.request.method,
        url: &url,
        headers: own_headers,
        payload: Payload::Unsigned,
        query: None,
    };
    let (signed, mut encoder) = sign_chunked(&request, &params, upload).expect("the seed request signs");
    assert_eq!(signed.canonical_request, example.expected.canonical_request, "'canonical request' didn't match");
    assert_eq!(signed.string_to_sign, example.expected.string_to_sign, "'string to sign' didn't match");
    assert_eq!(signed.signature, example.expected.seed_signature, "'seed signature' didn't match");
    assert_eq!(signed.credential_scope, example.credential_scope);
    if let Some(documented) = &example.expected.authorization_as_documented {
        let actual = signed.authorization.as_deref().expect("an Authorization header");
        assert_eq!(authorization_parts(actual), authorization_parts(documented), "'authorization' didn't match");
    }

    // Step 3: each chunk's string to sign and signature, chained from the seed's.
    let key =
        signing_key(&example.credentials.secret_access_key, &example.timestamp[..8], &example.region, &example.service);
    let mut chain =
        ChunkSigner::new(key.clone(), time(&example.timestamp), &example.credential_scope, &signed.signature);
    let mut previous = signed.signature.clone();
    for (i, chunk) in example.chunks.iter().enumerate() {
        let data = chunk.data.bytes();
        let string_to_sign =
            chunk_string_to_sign(time(&example.timestamp), &example.credential_scope, &previous, &data);
        assert_eq!(string_to_sign, chunk.string_to_sign, "'chunk {i} string to sign' didn't match");
        assert_eq!(signature(&key, &string_to_sign), chunk.signature, "'chunk {i} signature' didn't match");
        assert_eq!(
            chain.sign_chunk(&data).signature,
            chunk.signature,
            "'chunk {i} signature' (ChunkSigner) didn't match"
        );
        assert_eq!(
            chunk_header(data.len(), Some(&chunk.signature)),
            chunk.chunk_header,
            "'chunk {i} header' didn't match"
        );
        previous = chunk.signature.clone();
    }

    // Step 4: the trailer.
    if let Some(trailer) = &example.trailer {
        let headers: Vec<(&str, &str)> = trailer.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let canonical = canonical_trailer(&headers);
        assert_eq!(canonical, trailer.canonical_trailer_for_hashing, "'canonical trailer' didn't match");
        let string_to_sign =
            trailer_string_to_sign(time(&example.timestamp), &example.credential_scope, &previous, &canonical);
        assert_eq!(string_to_sign, trailer.string_to_sign, "'trailer string to sign' didn't match");
        assert_eq!(chain.sign_trailer(&canonical).signature, trailer.signature, "'trailer signature' didn't match");
    }

    // The encoder, fed in pieces that straddle the chunks: the bytes on the wire.
    let mut wire = Vec::new();
    for piece in body.chunks(1000) {
        encoder.write(piece, &mut wire).expect("write");
    }
    encoder.finish(&mut wire).expect("finish");
    let mut expected = Vec::new();
    for chunk in &example.chunks {
        expected.extend_from_slice(chunk.chunk_header.as_bytes());
        expected.extend_from_slice(b"\r\n");
        if chunk.data.length > 0 {
            expected.extend_from_slice(&chunk.data.bytes());
            expected.extend_from_slice(b"\r\n");
        }
    }
    if let Some(trailer) = &example.trailer {
        for line in &trailer.wire_lines {
            expected.extend_from_slice(line.as_bytes());
            expected.extend_from_slice(b"\r\n");
        }
    }
    expected.extend_from_slice(b"\r\n");
    assert!(wire == expected, "'encoded body' didn't match: {} bytes against {}", wire.len(), expected.len());
    assert_eq!(wire.len() as u64, upload.encoded_length(), "'encoded content length' is not the body's length");
}

#[test]
fn s3_chunked_upload_put_object() {
    run_chunked(include_str!("vectors/s3/chunked-upload-put-object.json"), ChunkedMode::Signed, None);
}

#[test]
fn s3_chunked_upload_with_trailer() {
    run_chunked(
        include_str!("vectors/s3/chunked-upload-with-trailer.json"),
        ChunkedMode::SignedWithTrailer,
        Some(ChecksumAlgorithm::Crc32c),
    );
}

#[derive(Deserialize)]
struct Extras {
    sigv4_trailing_headers: ExtraTrailer,
}

#[derive(Deserialize)]
struct ExtraTrailer {
    previous_signature: String,
    trailing_headers: Vec<(String, String)>,
    canonical_trailer_for_hashing: String,
    string_to_sign: String,
    signature: String,
}

/// aws-c-auth's trailer of three headers, after the signed example's final chunk.
#[test]
fn aws_c_auth_sigv4_trailing_headers() {
    let extras: Extras = serde_json::from_str(include_str!("vectors/s3/aws-c-auth-chunked-extras.json")).expect("JSON");
    let trailer = extras.sigv4_trailing_headers;
    let headers: Vec<(&str, &str)> = trailer.trailing_headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let canonical = canonical_trailer(&headers);
    assert_eq!(canonical, trailer.canonical_trailer_for_hashing, "'canonical trailer' didn't match");
    let at = time("20130524T000000Z");
    let scope = "20130524/us-east-1/s3/aws4_request";
    let string_to_sign = trailer_string_to_sign(at, scope, &trailer.previous_signature, &canonical);
    assert_eq!(string_to_sign, trailer.string_to_sign, "'trailer string to sign' didn't match");
    let key = signing_key("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "20130524", "us-east-1", "s3");
    let mut chain = ChunkSigner::new(key, at, scope, &trailer.previous_signature);
    assert_eq!(chain.sign_trailer(&canonical).signature, trailer.signature, "'trailer signature' didn't match");
}

#[test]
#[ignore = "SigV4A (AWS4-ECDSA-P256-SHA256) is not implemented by this signer: its chunked canonical requests and templates in aws-c-auth-chunked-extras.json have nothing to test yet"]
fn aws_c_auth_sigv4a_chunked() {}

#[derive(Deserialize)]
struct PostExample {
    credentials: ExampleCredentials,
    region: String,
    service: String,
    date: String,
    timestamp: String,
    credential_scope: String,
    policy_document: String,
    expected: PostExpected,
    form_fields: Vec<(String, String)>,
}

#[derive(Deserialize)]
struct PostExpected {
    policy_base64: String,
    string_to_sign: String,
    signature: String,
}

/// The conditions of a policy document, sorted, for comparing documents that list the same
/// conditions in another order and spacing.
fn sorted_conditions(document: &str) -> (Value, Vec<String>) {
    let value: Value = serde_json::from_str(document).expect("a policy document is JSON");
    let mut conditions: Vec<String> =
        value["conditions"].as_array().expect("conditions").iter().map(Value::to_string).collect();
    conditions.sort();
    (value["expiration"].clone(), conditions)
}

#[test]
fn s3_post_policy() {
    let example: PostExample = serde_json::from_str(include_str!("vectors/s3/post-policy.json")).expect("JSON");
    // The documented document's bytes (CRLF, the page's spacing): its base64 and signature.
    let string_to_sign = post_policy_string_to_sign(&example.policy_document);
    assert_eq!(string_to_sign, example.expected.policy_base64, "'policy base64' didn't match");
    assert_eq!(string_to_sign, example.expected.string_to_sign, "'string to sign' didn't match");
    let key = signing_key(&example.credentials.secret_access_key, &example.date, &example.region, &example.service);
    assert_eq!(signature(&key, &string_to_sign), example.expected.signature, "'signature' didn't match");

    // The same policy built by presign_post: the same conditions and expiration (its own
    // compact spelling, so its own base64 and signature, checked against the key).
    let credentials =
        Credentials::new(&example.credentials.access_key_id, example.credentials.secret_access_key.as_str());
    let settings = SigningSettings::s3();
    let params = SigningParams {
        credentials: &credentials,
        region: &example.region,
        service: &example.service,
        time: time(&example.timestamp),
        settings: &settings,
    };
    let policy = PostPolicy {
        bucket: "sigv4examplebucket",
        key: "user/user1/${filename}",
        expires_in: 36 * 3600,
        metadata: vec![("uuid", "14365123651274")],
        fields: vec![
            ("acl", "public-read"),
            ("success_action_redirect", "http://sigv4examplebucket.s3.amazonaws.com/successful_upload.html"),
            ("x-amz-server-side-encryption", "AES256"),
        ],
        conditions: vec![
            PolicyCondition::StartsWith("Content-Type", "image/"),
            PolicyCondition::StartsWith("x-amz-meta-tag", ""),
        ],
        ..PostPolicy::default()
    };
    let post = presign_post(&policy, &params).expect("the policy signs");
    assert_eq!(
        sorted_conditions(&post.policy),
        sorted_conditions(&example.policy_document),
        "'policy document' didn't match"
    );
    assert_eq!(post.string_to_sign, post_policy_string_to_sign(&post.policy));
    assert_eq!(post.signature, signature(&key, &post.string_to_sign));
    assert_eq!(post.credential_scope, example.credential_scope);
    assert_eq!(post.url, "https://sigv4examplebucket.s3.us-east-1.amazonaws.com/");
    // Every field of the documented form that the policy sets, with its value (the page's
    // own Content-Type and x-amz-meta-tag are the browser's to fill in).
    for (name, value) in &example.form_fields {
        let ours = post.fields.iter().find(|(n, _)| n.eq_ignore_ascii_case(name));
        match name.to_ascii_lowercase().as_str() {
            "content-type" | "x-amz-meta-tag" => assert!(ours.is_none(), "{name}"),
            "policy" => assert_eq!(ours.map(|(_, v)| v), Some(&post.string_to_sign)),
            "x-amz-signature" => assert_eq!(ours.map(|(_, v)| v), Some(&post.signature)),
            _ => assert_eq!(ours.map(|(_, v)| v), Some(value), "'form field {name}' didn't match"),
        }
    }
    assert_eq!(post.fields.last().map(|(n, _)| n.as_str()), Some("x-amz-signature"));
}

fn s3_params<'a>(credentials: &'a Credentials, settings: &'a SigningSettings) -> SigningParams<'a> {
    SigningParams { credentials, region: "us-east-1", service: "s3", time: time("20130524T000000Z"), settings }
}

fn example_credentials() -> Credentials {
    Credentials::new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
}

fn encoder(mode: ChunkedMode, length: u64, chunk_size: usize, checksum: Option<ChecksumAlgorithm>) -> ChunkedEncoder {
    let credentials = example_credentials();
    let settings = SigningSettings::s3();
    let request = Request::new("PUT", "https://examplebucket.s3.amazonaws.com/chunkObject.txt");
    let upload = ChunkedUpload { mode, decoded_length: length, chunk_size, checksum };
    sign_chunked(&request, &s3_params(&credentials, &settings), upload).expect("signs").1
}

fn encode(mut encoder: ChunkedEncoder, body: &[u8], piece: usize) -> Vec<u8> {
    let mut wire = Vec::new();
    for part in body.chunks(piece.max(1)) {
        encoder.write(part, &mut wire).expect("write");
    }
    encoder.finish(&mut wire).expect("finish");
    wire
}

/// Reads an aws-chunked body back: the data, and the lines after the final chunk.
fn decode(wire: &[u8]) -> (Vec<u8>, Vec<String>, Vec<usize>) {
    let mut data = Vec::new();
    let mut sizes = Vec::new();
    let mut at = 0;
    let line = |at: &mut usize| {
        let end = wire[*at..].windows(2).position(|w| w == b"\r\n").expect("CRLF") + *at;
        let text = String::from_utf8(wire[*at..end].to_vec()).expect("ASCII");
        *at = end + 2;
        text
    };
    loop {
        let header = line(&mut at);
        let size = usize::from_str_radix(header.split(';').next().unwrap_or_default(), 16).expect("hex size");
        sizes.push(size);
        if size == 0 {
            break;
        }
        data.extend_from_slice(&wire[at..at + size]);
        at += size;
        assert_eq!(&wire[at..at + 2], b"\r\n", "data ends with CRLF");
        at += 2;
    }
    let mut trailer = Vec::new();
    loop {
        let text = line(&mut at);
        if text.is_empty() {
            break;
        }
        trailer.push(text);
    }
    assert_eq!(at, wire.len(), "nothing after the empty line");
    (data, trailer, sizes)
}

#[test]
fn every_mode_frames_any_length_in_any_pieces_as_its_encoded_length_says() {
    let modes = [
        (ChunkedMode::Signed, None),
        (ChunkedMode::SignedWithTrailer, Some(ChecksumAlgorithm::Crc32)),
        (ChunkedMode::SignedWithTrailer, Some(ChecksumAlgorithm::Sha256)),
        (ChunkedMode::UnsignedWithTrailer, Some(ChecksumAlgorithm::Crc32c)),
    ];
    for (mode, checksum) in modes {
        for length in [0usize, 1, 8191, 8192, 8193, 20_000, 65_536] {
            for piece in [1usize, 7, 8192, 100_000] {
                if piece == 1 && length > 8193 {
                    continue;
                }
                let body: Vec<u8> = (0..length).map(|i| (i * 31 % 251) as u8).collect();
                let encoder = encoder(mode, length as u64, 8192, checksum);
                let expected_length = encoder.upload().encoded_length();
                let wire = encode(encoder, &body, piece);
                let at = format!("{mode:?} {checksum:?} length {length} piece {piece}");
                assert_eq!(wire.len() as u64, expected_length, "{at}");
                let (data, trailer, sizes) = decode(&wire);
                assert!(data == body, "{at}: the data comes back");
                assert!(sizes[..sizes.len() - 1].iter().all(|&s| s == 8192 || s == length % 8192), "{at}: {sizes:?}");
                let names: Vec<&str> = trailer.iter().map(|l| l.split(':').next().unwrap_or_default()).collect();
                match (mode, checksum) {
                    (ChunkedMode::Signed, _) => assert!(names.is_empty(), "{at}"),
                    (ChunkedMode::SignedWithTrailer, Some(c)) => {
                        assert_eq!(names, [c.header_name(), "x-amz-trailer-signature"], "{at}")
                    }
                    (_, Some(c)) => assert_eq!(names, [c.header_name()], "{at}"),
                    _ => unreachable!(),
                }
            }
        }
    }
}

/// The trailing checksums of the documented 66,560 bytes of `a` (computed apart with Python's
/// zlib.crc32 and hashlib; CRC32C is the trailer example's).
#[test]
fn trailing_checksums_are_base64_of_the_big_endian_crc_or_the_sha256() {
    let body = vec![b'a'; 66_560];
    for (checksum, expected) in [
        (ChecksumAlgorithm::Crc32, "sK4Y7A=="),
        (ChecksumAlgorithm::Crc32c, "sOO8/Q=="),
        (ChecksumAlgorithm::Sha256, "zWnTiHxq+SZLEA17dgIzEzXZqn4718MM3G1vS/uzyIg="),
    ] {
        let wire =
            encode(encoder(ChunkedMode::UnsignedWithTrailer, body.len() as u64, 65_536, Some(checksum)), &body, 4096);
        let (_, trailer, _) = decode(&wire);
        assert_eq!(trailer, [format!("{}:{expected}", checksum.header_name())]);
        // Unsigned chunks carry no signature.
        assert!(wire.starts_with(b"10000\r\naaaa"), "{checksum:?}");
    }
    assert_eq!(ChecksumAlgorithm::parse("CRC32C"), Ok(ChecksumAlgorithm::Crc32c));
    assert_eq!(ChecksumAlgorithm::parse("x-amz-checksum-sha256"), Ok(ChecksumAlgorithm::Sha256));
    assert_eq!(ChecksumAlgorithm::parse("md5").map_err(|e| e.code()), Err(ErrorCode::InvalidChunkedUpload));
}

#[test]
fn a_sha256_state_with_an_impossible_length_is_refused() {
    // sha2 takes any block count in a serialized state and multiplies it by 512 bits when it
    // finalizes: a count near u64::MAX (a checksumState given to encodeChunk) overflowed there,
    // a panic with overflow checks (debug and fuzz builds) and a wrong checksum without.
    let mut checksum = Checksum::new(ChecksumAlgorithm::Sha256);
    checksum.update(&[b'a'; 100]);
    let mut state = checksum.state();
    assert_eq!(
        u64::from_le_bytes(state[32..40].try_into().unwrap()),
        1,
        "sha2 0.11's layout: the count after the words"
    );
    assert_eq!(Checksum::resume(ChecksumAlgorithm::Sha256, &state).unwrap().finish(), checksum.finish());
    for blocks in [u64::MAX, u64::MAX / 64 + 1, MAX_DECODED_LENGTH / 64 + 1] {
        state[32..40].copy_from_slice(&blocks.to_le_bytes());
        let resumed = Checksum::resume(ChecksumAlgorithm::Sha256, &state);
        assert_eq!(resumed.map(|_| ()).map_err(|e| e.code()), Err(ErrorCode::InvalidChunkedUpload), "{blocks}");
    }
    state[32..40].copy_from_slice(&(MAX_DECODED_LENGTH / 64).to_le_bytes());
    let mut largest = Checksum::resume(ChecksumAlgorithm::Sha256, &state).unwrap();
    largest.update(b"more");
    assert_eq!(largest.finish().len(), 44);
}

#[test]
fn the_chunk_size_is_at_least_8_kib() {
    let credentials = example_credentials();
    let settings = SigningSettings::s3();
    let request = Request::new("PUT", "https://examplebucket.s3.amazonaws.com/key");
    for (size, ok) in [(0, false), (8191, false), (8192, true), (16 << 20, true), ((16 << 20) + 1, false)] {
        let upload = ChunkedUpload { chunk_size: size, ..ChunkedUpload::new(ChunkedMode::Signed, 10) };
        let result = sign_chunked(&request, &s3_params(&credentials, &settings), upload);
        match ok {
            true => assert!(result.is_ok(), "{size}"),
            false => {
                let error = result.expect_err("refused");
                assert_eq!(error.code(), ErrorCode::InvalidChunkSize, "{size}");
                assert!(error.message().contains("8192"), "{}", error.message());
            }
        }
    }
}

#[test]
fn the_body_must_be_as_long_as_declared() {
    let mut too_long = encoder(ChunkedMode::Signed, 10, 8192, None);
    let mut wire = Vec::new();
    assert_eq!(too_long.write(&[0; 11], &mut wire).map_err(|e| e.code()), Err(ErrorCode::DecodedLengthMismatch));
    let mut too_short = encoder(ChunkedMode::Signed, 10, 8192, None);
    too_short.write(&[0; 9], &mut wire).expect("write");
    assert_eq!(too_short.finish(&mut wire).map_err(|e| e.code()), Err(ErrorCode::DecodedLengthMismatch));
    let mut done = encoder(ChunkedMode::Signed, 0, 8192, None);
    done.finish(&mut wire).expect("finish");
    assert_eq!(done.write(b"", &mut wire).map_err(|e| e.code()), Err(ErrorCode::InvalidChunkedUpload));
    assert_eq!(done.finish(&mut wire).map_err(|e| e.code()), Err(ErrorCode::InvalidChunkedUpload));
}

#[test]
fn modes_and_checksums_must_agree_and_the_request_carries_no_chunked_header() {
    let credentials = example_credentials();
    let settings = SigningSettings::s3();
    let params = s3_params(&credentials, &settings);
    let request = Request::new("PUT", "https://examplebucket.s3.amazonaws.com/key");
    let code = |upload: ChunkedUpload, request: &Request<'_>| {
        sign_chunked(request, &params, upload).map(|_| ()).map_err(|e| e.code())
    };
    let trailer = ChunkedUpload::new(ChunkedMode::SignedWithTrailer, 10);
    assert_eq!(code(trailer, &request), Err(ErrorCode::InvalidChunkedUpload), "a trailer needs a checksum");
    let signed =
        ChunkedUpload { checksum: Some(ChecksumAlgorithm::Crc32), ..ChunkedUpload::new(ChunkedMode::Signed, 10) };
    assert_eq!(code(signed, &request), Err(ErrorCode::InvalidChunkedUpload), "no trailer, no checksum");
    let plain = ChunkedUpload::new(ChunkedMode::Signed, 10);
    let with_length = request.clone().header("Content-Length", "10");
    assert_eq!(code(plain, &with_length), Err(ErrorCode::ConflictingHeader));
    let with_body = request.clone().body(b"0123456789");
    assert_eq!(code(plain, &with_body), Err(ErrorCode::InvalidChunkedUpload));
    let with_other_hash = request.clone().payload(Payload::Unsigned);
    assert_eq!(code(plain, &with_other_hash), Ok(()));
}

/// `verify` refuses a chunked upload, however well signed: it cannot vouch for a body it has not
/// read chunk by chunk (`verify_chunked` does, tests/chunked_verify.rs).
#[test]
fn verify_refuses_a_signed_chunked_upload() {
    for (mode, checksum) in [
        (ChunkedMode::Signed, None),
        (ChunkedMode::SignedWithTrailer, Some(ChecksumAlgorithm::Crc32c)),
        (ChunkedMode::UnsignedWithTrailer, Some(ChecksumAlgorithm::Sha256)),
    ] {
        let credentials = example_credentials();
        let settings = SigningSettings::s3();
        let request = Request::new("PUT", "https://examplebucket.s3.amazonaws.com/chunkObject.txt");
        let upload = ChunkedUpload { checksum, ..ChunkedUpload::new(mode, 9000) };
        let (signed, mut encoder) = sign_chunked(&request, &s3_params(&credentials, &settings), upload).expect("signs");
        let mut wire = Vec::new();
        encoder.write(&[7; 9000], &mut wire).expect("write");
        encoder.finish(&mut wire).expect("finish");
        let headers: Vec<(&str, &str)> = signed.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let received =
            Request { method: "PUT", url: &signed.url, headers, payload: Payload::Bytes(&wire), query: None };
        let lookup = |_: &str| {
            Some(VerifierKey {
                secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into(),
                session_token: None,
            })
        };
        let error =
            verify(&received, time("20130524T000000Z"), &VerifySettings::s3("us-east-1"), lookup).expect_err("refused");
        assert_eq!(error.code(), ErrorCode::UnsupportedPayload, "{mode:?}");
    }
}

#[test]
fn post_policies_check_their_input() {
    let credentials = example_credentials();
    let settings = SigningSettings::s3();
    let params = s3_params(&credentials, &settings);
    let base = PostPolicy { bucket: "b", key: "k", expires_in: 3600, ..PostPolicy::default() };
    let code = |policy: PostPolicy<'_>| presign_post(&policy, &params).map(|_| ()).map_err(|e| e.code());
    assert_eq!(code(base.clone()), Ok(()));
    assert_eq!(code(PostPolicy { bucket: "", ..base.clone() }), Err(ErrorCode::InvalidPostPolicy));
    assert_eq!(code(PostPolicy { key: "", ..base.clone() }), Err(ErrorCode::InvalidPostPolicy));
    assert_eq!(code(PostPolicy { expires_in: 0, ..base.clone() }), Err(ErrorCode::ExpiresOutOfRange));
    assert_eq!(code(PostPolicy { expires_in: 604_801, ..base.clone() }), Err(ErrorCode::ExpiresOutOfRange));
    assert_eq!(
        code(PostPolicy { content_length_range: Some((2, 1)), ..base.clone() }),
        Err(ErrorCode::InvalidPostPolicy)
    );
    assert_eq!(
        code(PostPolicy { success_action_status: Some("302"), ..base.clone() }),
        Err(ErrorCode::InvalidPostPolicy)
    );
    assert_eq!(code(PostPolicy { fields: vec![("Policy", "x")], ..base.clone() }), Err(ErrorCode::InvalidPostPolicy));
    let no_region = SigningParams { region: "", ..params };
    assert_eq!(presign_post(&base, &no_region).map(|_| ()).map_err(|e| e.code()), Err(ErrorCode::MissingRegion));
}

#[test]
fn post_policy_documents_escape_their_strings_and_carry_the_session_token() {
    let credentials = example_credentials().with_session_token("token+/=");
    let settings = SigningSettings::s3();
    let params = s3_params(&credentials, &settings);
    let policy = PostPolicy {
        bucket: "my.bucket",
        key: "a \"quoted\"\\key\n",
        expires_in: 60,
        content_length_range: Some((1, 10_485_760)),
        content_type: Some("text/plain"),
        success_action_status: Some("201"),
        ..PostPolicy::default()
    };
    let post = presign_post(&policy, &params).expect("signs");
    let document: Value = serde_json::from_str(&post.policy).expect("valid JSON");
    assert_eq!(document["expiration"], "2013-05-24T00:01:00.000Z");
    let conditions = document["conditions"].as_array().expect("conditions");
    assert!(conditions.contains(&serde_json::json!({ "key": "a \"quoted\"\\key\n" })));
    assert!(conditions.contains(&serde_json::json!(["content-length-range", 1, 10_485_760])));
    assert!(conditions.contains(&serde_json::json!({ "x-amz-security-token": "token+/=" })));
    assert!(post.fields.contains(&("x-amz-security-token".into(), "token+/=".into())));
    assert!(post.fields.contains(&("success_action_status".into(), "201".into())));
    assert_eq!(post.url, "https://s3.us-east-1.amazonaws.com/my.bucket");
}

/// The stateless step (the JavaScript binding's): the state kept outside between chunks (the
/// previous signature, the checksum's state), and the same bytes as the encoder's.
#[test]
fn encode_chunk_with_the_state_kept_outside_writes_what_the_encoder_writes() {
    for (mode, checksum) in [
        (ChunkedMode::Signed, None),
        (ChunkedMode::SignedWithTrailer, Some(ChecksumAlgorithm::Crc32c)),
        (ChunkedMode::SignedWithTrailer, Some(ChecksumAlgorithm::Sha256)),
        (ChunkedMode::UnsignedWithTrailer, Some(ChecksumAlgorithm::Crc32)),
    ] {
        for length in [0usize, 8192, 20_000] {
            let body: Vec<u8> = (0..length).map(|i| (i * 7 % 253) as u8).collect();
            let credentials = example_credentials();
            let settings = SigningSettings::s3();
            let request = Request::new("PUT", "https://examplebucket.s3.amazonaws.com/chunkObject.txt");
            let upload = ChunkedUpload { mode, decoded_length: length as u64, chunk_size: 8192, checksum };
            let (signed, encoder) = sign_chunked(&request, &s3_params(&credentials, &settings), upload).expect("signs");
            let expected = encode(encoder, &body, 1000);
            let key = signing_key("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "20130524", "us-east-1", "s3");
            let mut previous = signed.signature.clone();
            let mut state = Vec::new();
            let mut wire = Vec::new();
            let pieces: Vec<&[u8]> = if body.is_empty() { vec![&[]] } else { body.chunks(8192).collect() };
            let mut written = 0;
            for (i, piece) in pieces.iter().enumerate() {
                let last = i + 1 == pieces.len() && piece.len() < 8192;
                let mut chain =
                    ChunkSigner::new(key.clone(), time("20130524T000000Z"), &signed.credential_scope, &previous);
                let mut sum = checksum.map(|c| sigv4::Checksum::resume(c, &state).expect("state"));
                let frame = sigv4::encode_chunk(
                    &upload,
                    written,
                    piece,
                    last,
                    mode.signs_chunks().then_some(&mut chain),
                    sum.as_mut(),
                )
                .expect("encodes");
                wire.extend_from_slice(&frame.head);
                wire.extend_from_slice(piece);
                wire.extend_from_slice(&frame.tail);
                written += piece.len() as u64;
                previous = chain.previous_signature().to_owned();
                state = sum.map(|s| s.state()).unwrap_or_default();
                if last {
                    break;
                }
                if i + 1 == pieces.len() {
                    // The body ends on a chunk boundary: the end comes with an empty last chunk.
                    let mut chain =
                        ChunkSigner::new(key.clone(), time("20130524T000000Z"), &signed.credential_scope, &previous);
                    let mut sum = checksum.map(|c| sigv4::Checksum::resume(c, &state).expect("state"));
                    let frame = sigv4::encode_chunk(
                        &upload,
                        written,
                        &[],
                        true,
                        mode.signs_chunks().then_some(&mut chain),
                        sum.as_mut(),
                    )
                    .expect("encodes");
                    wire.extend_from_slice(&frame.head);
                    wire.extend_from_slice(&frame.tail);
                }
            }
            assert!(wire == expected, "{mode:?} {checksum:?} {length}");
        }
    }
    let upload = ChunkedUpload::new(ChunkedMode::UnsignedWithTrailer, 100_000);
    let upload = ChunkedUpload { checksum: Some(ChecksumAlgorithm::Crc32), ..upload };
    let mut sum = sigv4::Checksum::new(ChecksumAlgorithm::Crc32);
    let short = sigv4::encode_chunk(&upload, 0, &[0; 100], false, None, Some(&mut sum));
    assert_eq!(
        short.map(|_| ()).map_err(|e| e.code()),
        Err(ErrorCode::InvalidChunkSize),
        "a short chunk before the last"
    );
    let over = sigv4::encode_chunk(&upload, 99_000, &[0; 8192], true, None, Some(&mut sum));
    assert_eq!(over.map(|_| ()).map_err(|e| e.code()), Err(ErrorCode::DecodedLengthMismatch));
}

/// The length of an upload that does not validate is not an overflow either (it saturates).
#[test]
fn encoded_length_never_overflows() {
    for mode in [ChunkedMode::Signed, ChunkedMode::SignedWithTrailer, ChunkedMode::UnsignedWithTrailer] {
        for (decoded_length, chunk_size) in [(u64::MAX, usize::MAX), (u64::MAX, 0), (u64::MAX, 1), (0, 0)] {
            let upload = ChunkedUpload { mode, decoded_length, chunk_size, checksum: Some(ChecksumAlgorithm::Sha256) };
            let length = upload.encoded_length();
            assert!(length >= decoded_length.min(u64::MAX - 200), "{mode:?} {decoded_length} {chunk_size}: {length}");
        }
    }
}
