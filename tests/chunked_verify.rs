//! Verifying aws-chunked uploads chunk by chunk (`verify_chunked` and its `ChunkedVerifier`):
//! the S3 vectors' bodies verify, every mode round-trips with the encoder in any split, and
//! every rule has a tampered body it refuses, at the first bad chunk.

mod common;

use common::time;
use proptest::prelude::*;
use serde::Deserialize;
use sigv4::{
    ChecksumAlgorithm, ChunkSigner, ChunkedDecoder, ChunkedEvent, ChunkedMode, ChunkedUpload, ChunkedVerifier,
    Credentials, ErrorCode, MAX_CHUNK_HEADER_LINE, Payload, Request, SignatureLocation, SigningParams, SigningSettings,
    VerifierKey, VerifySettings, canonical_trailer, chunk_header, sign, sign_chunked, signing_key, verify,
    verify_chunked,
};

const ACCESS_KEY: &str = "AKIAIOSFODNN7EXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const DATE: &str = "20130524T000000Z";
const SCOPE: &str = "20130524/us-east-1/s3/aws4_request";

fn lookup(_: &str) -> Option<VerifierKey> {
    Some(VerifierKey { secret_access_key: SECRET.into(), session_token: None })
}

fn settings() -> VerifySettings {
    VerifySettings::s3("us-east-1")
}

/// A signed seed request: its headers as sent, and the chain after its signature.
struct Seed {
    url: String,
    headers: Vec<(String, String)>,
    signer: Option<ChunkSigner>,
}

impl Seed {
    fn headers(&self) -> Vec<(&str, &str)> {
        self.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect()
    }

    fn verifier(&self) -> sigv4::Result<ChunkedVerifier> {
        let request =
            Request { method: "PUT", url: &self.url, headers: self.headers(), payload: Payload::Unsigned, query: None };
        verify_chunked(&request, time(DATE), &settings(), lookup).map(|(_, verifier)| verifier)
    }
}

/// `f` with the parameters every request here is signed with: AWS's example key, S3 in
/// us-east-1, at `DATE`.
fn with_s3_params<T>(f: impl FnOnce(&SigningParams<'_>) -> T) -> T {
    let credentials = Credentials::new(ACCESS_KEY, SECRET);
    let settings = SigningSettings::s3();
    f(&SigningParams {
        credentials: &credentials,
        region: "us-east-1",
        service: "s3",
        time: time(DATE),
        settings: &settings,
    })
}

/// Signs a seed request of `mode` that declares `decoded_length` (and `checksum`), with the
/// encoder's headers; the body is framed by hand (`frame`) so that it can break any rule.
fn seed(mode: ChunkedMode, decoded_length: u64, checksum: Option<ChecksumAlgorithm>) -> Seed {
    let request = Request::new("PUT", "https://examplebucket.s3.amazonaws.com/chunkObject.txt");
    let upload = ChunkedUpload { mode, decoded_length, chunk_size: 8192, checksum };
    let (signed, _) = with_s3_params(|params| sign_chunked(&request, params, upload)).expect("the seed signs");
    let signer = mode.signs_chunks().then(|| {
        ChunkSigner::new(signing_key(SECRET, "20130524", "us-east-1", "s3"), time(DATE), SCOPE, &signed.signature)
    });
    Seed { url: signed.url, headers: signed.headers, signer }
}

/// The bytes of a body: each chunk framed and signed in turn (the final empty chunk too, if
/// listed), then `trailer` lines (the checksum, signed when chunks are), then the empty line.
fn frame(signer: &mut Option<ChunkSigner>, chunks: &[&[u8]], trailer: Option<(&str, &str)>) -> Vec<u8> {
    let mut wire = Vec::new();
    for chunk in chunks {
        let signature = signer.as_mut().map(|s| s.sign_chunk(chunk).signature);
        wire.extend_from_slice(chunk_header(chunk.len(), signature.as_deref()).as_bytes());
        wire.extend_from_slice(b"\r\n");
        if !chunk.is_empty() {
            wire.extend_from_slice(chunk);
            wire.extend_from_slice(b"\r\n");
        }
    }
    if let Some((name, value)) = trailer {
        wire.extend_from_slice(format!("{name}:{value}\r\n").as_bytes());
        if let Some(signer) = signer {
            let signature = signer.sign_trailer(&canonical_trailer(&[(name, value)])).signature;
            wire.extend_from_slice(format!("x-amz-trailer-signature:{signature}\r\n").as_bytes());
        }
    }
    wire.extend_from_slice(b"\r\n");
    wire
}

/// What a body did through the decoder fed `piece` bytes at a time: the verified data, and the
/// error it was refused with (at a write, or at the finish).
fn run(verifier: ChunkedVerifier, wire: &[u8], piece: usize) -> (Vec<u8>, Result<(), (ErrorCode, String)>) {
    let mut decoder = ChunkedDecoder::new(verifier);
    let mut out = Vec::new();
    for part in wire.chunks(piece.max(1)) {
        if let Err(error) = decoder.write(part, &mut out) {
            return (out, Err((error.code(), error.message().to_owned())));
        }
    }
    let end = decoder.finish().map_err(|error| (error.code(), error.message().to_owned()));
    (out, end)
}

/// The code a body is refused with, whole or a byte at a time (the same either way), and the
/// verified data released before.
fn refused(seed: &Seed, wire: &[u8]) -> (ErrorCode, Vec<u8>) {
    let (whole_out, whole) = run(seed.verifier().expect("the seed verifies"), wire, wire.len());
    let (byte_out, by_byte) = run(seed.verifier().expect("the seed verifies"), wire, 1);
    let code = whole.expect_err("refused").0;
    assert_eq!(by_byte.expect_err("refused a byte at a time").0, code);
    assert!(whole_out == byte_out, "released {} bytes whole, {} a byte at a time", whole_out.len(), byte_out.len());
    (code, whole_out)
}

fn crc32(data: &[u8]) -> String {
    let mut checksum = sigv4::Checksum::new(ChecksumAlgorithm::Crc32);
    checksum.update(data);
    checksum.finish()
}

#[derive(Deserialize)]
struct Vector {
    request: VectorRequest,
    expected: VectorExpected,
    chunks: Vec<VectorChunk>,
    trailer: Option<VectorTrailer>,
}

#[derive(Deserialize)]
struct VectorRequest {
    method: String,
    host: String,
    path: String,
    headers: Vec<(String, String)>,
}

#[derive(Deserialize)]
struct VectorExpected {
    canonical_request: String,
    seed_signature: String,
}

#[derive(Deserialize)]
struct VectorChunk {
    data: Repeated,
    chunk_header: String,
}

#[derive(Deserialize)]
struct Repeated {
    repeat_byte: String,
    length: usize,
}

#[derive(Deserialize)]
struct VectorTrailer {
    wire_lines: Vec<String>,
}

/// An S3 vector's seed request (its Authorization built from its seed signature and signed
/// headers) and body verify, whole and a byte at a time, into the vector's data.
fn verify_vector(json: &str) {
    let vector: Vector = serde_json::from_str(json).expect("JSON");
    let signed_headers = vector.expected.canonical_request.lines().nth_back(1).expect("signed headers").to_owned();
    let authorization = format!(
        "AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/{SCOPE}, SignedHeaders={signed_headers}, Signature={}",
        vector.expected.seed_signature
    );
    let mut headers: Vec<(&str, &str)> = vector.request.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    headers.push(("Authorization", &authorization));
    let url = format!("https://{}{}", vector.request.host, vector.request.path);
    let request =
        Request { method: &vector.request.method, url: &url, headers, payload: Payload::Unsigned, query: None };
    let mut wire = Vec::new();
    let mut data = Vec::new();
    for chunk in &vector.chunks {
        let bytes = chunk.data.repeat_byte.as_bytes().repeat(chunk.data.length);
        wire.extend_from_slice(chunk.chunk_header.as_bytes());
        wire.extend_from_slice(b"\r\n");
        if !bytes.is_empty() {
            wire.extend_from_slice(&bytes);
            wire.extend_from_slice(b"\r\n");
        }
        data.extend_from_slice(&bytes);
    }
    for line in vector.trailer.iter().flat_map(|t| &t.wire_lines) {
        wire.extend_from_slice(line.as_bytes());
        wire.extend_from_slice(b"\r\n");
    }
    wire.extend_from_slice(b"\r\n");
    for piece in [wire.len(), 1000, 1] {
        let (verified, verifier) =
            verify_chunked(&request, time(DATE), &settings(), lookup).expect("the seed verifies");
        assert_eq!(verified.access_key_id, ACCESS_KEY);
        let (out, end) = run(verifier, &wire, piece);
        assert_eq!(end, Ok(()), "pieces of {piece}");
        assert!(out == data, "the decoded body in pieces of {piece}");
    }
    // The same body with one byte of the first chunk's data changed is refused at that chunk.
    let first_data = vector.chunks[0].chunk_header.len() + 2;
    wire[first_data + 10] ^= 1;
    let (verified, verifier) = verify_chunked(&request, time(DATE), &settings(), lookup).expect("the seed verifies");
    assert_eq!(verified.access_key_id, ACCESS_KEY);
    let (out, end) = run(verifier, &wire, 1000);
    assert_eq!(end.expect_err("refused").0, ErrorCode::ChunkSignatureMismatch);
    assert!(out.is_empty(), "nothing of the bad chunk is released");
}

#[test]
fn s3_vector_chunked_upload_put_object_verifies() {
    verify_vector(include_str!("vectors/s3/chunked-upload-put-object.json"));
}

#[test]
fn s3_vector_chunked_upload_with_trailer_verifies() {
    verify_vector(include_str!("vectors/s3/chunked-upload-with-trailer.json"));
}

const MODES: [(ChunkedMode, Option<ChecksumAlgorithm>); 7] = [
    (ChunkedMode::Signed, None),
    (ChunkedMode::SignedWithTrailer, Some(ChecksumAlgorithm::Crc32)),
    (ChunkedMode::SignedWithTrailer, Some(ChecksumAlgorithm::Crc32c)),
    (ChunkedMode::SignedWithTrailer, Some(ChecksumAlgorithm::Sha256)),
    (ChunkedMode::UnsignedWithTrailer, Some(ChecksumAlgorithm::Crc32)),
    (ChunkedMode::UnsignedWithTrailer, Some(ChecksumAlgorithm::Crc32c)),
    (ChunkedMode::UnsignedWithTrailer, Some(ChecksumAlgorithm::Sha256)),
];

/// The encoder's body for `mode`, and the seed request it signed, verified.
fn encoded(mode: ChunkedMode, checksum: Option<ChecksumAlgorithm>, body: &[u8], chunk_size: usize) -> (Seed, Vec<u8>) {
    let request = Request::new("PUT", "https://examplebucket.s3.amazonaws.com/chunkObject.txt");
    let upload = ChunkedUpload { mode, decoded_length: body.len() as u64, chunk_size, checksum };
    let (signed, mut encoder) = with_s3_params(|params| sign_chunked(&request, params, upload)).expect("signs");
    let mut wire = Vec::new();
    encoder.write(body, &mut wire).expect("write");
    encoder.finish(&mut wire).expect("finish");
    (Seed { url: signed.url, headers: signed.headers, signer: None }, wire)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Every mode and checksum, any chunk size, any body, split anywhere: what the encoder
    /// wrote verifies into the body, and the state kept outside (as JavaScript keeps it)
    /// between the pieces changes nothing.
    #[test]
    fn the_encoders_bodies_verify_in_any_split(
        mode in 0..MODES.len(),
        length in 0usize..40_000,
        chunk_size in 8192usize..20_000,
        seed_byte in any::<u8>(),
        cuts in proptest::collection::vec(0usize..45_000, 0..12),
    ) {
        let (mode, checksum) = MODES[mode];
        let body: Vec<u8> = (0..length).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed_byte)).collect();
        let (seed, wire) = encoded(mode, checksum, &body, chunk_size);
        let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c % (wire.len() + 1)).collect();
        cuts.push(wire.len());
        cuts.sort_unstable();
        let mut verifier = seed.verifier().expect("the seed verifies");
        let mut decoder = ChunkedDecoder::new(verifier.clone());
        let (mut out, mut held, mut released) = (Vec::new(), Vec::new(), Vec::new());
        let mut events = Vec::new();
        let mut from = 0;
        for cut in cuts {
            let piece = &wire[from..cut];
            decoder.write(piece, &mut out).expect("decoder write");
            // The same through state() and resume(), as the JavaScript binding keeps it.
            let key = mode.signs_chunks().then(|| signing_key(SECRET, "20130524", "us-east-1", "s3"));
            verifier = ChunkedVerifier::resume(&verifier.state(), key).expect("resume");
            events.clear();
            verifier.write(piece, &mut events).expect("verifier write");
            for event in &events {
                match event {
                    ChunkedEvent::Data(range) => held.extend_from_slice(&piece[range.clone()]),
                    ChunkedEvent::Verified => released.append(&mut held),
                    ChunkedEvent::End => {}
                }
            }
            from = cut;
        }
        decoder.finish().expect("finish");
        verifier.finish().expect("finish (resumed)");
        prop_assert!(out == body);
        prop_assert!(released == body);
        prop_assert!(held.is_empty());
    }
}

#[test]
fn every_mode_verifies_a_byte_at_a_time_and_empty_bodies_too() {
    for (mode, checksum) in MODES {
        for length in [0, 1, 8191, 8192, 8193, 20_000] {
            let body: Vec<u8> = (0..length).map(|i| (i % 251) as u8).collect();
            let (seed, wire) = encoded(mode, checksum, &body, 8192);
            let (out, end) = run(seed.verifier().expect("verifies"), &wire, 1);
            assert_eq!(end, Ok(()), "{mode:?} {checksum:?} {length}");
            assert!(out == body, "{mode:?} {checksum:?} {length}");
        }
    }
}

#[test]
fn a_flipped_byte_in_chunk_data_is_refused_at_that_chunk_and_nothing_of_it_released() {
    let body: Vec<u8> = (0..30_000).map(|i| i as u8).collect();
    for (mode, checksum) in MODES.into_iter().filter(|(mode, _)| mode.signs_chunks()) {
        let (seed, mut wire) = encoded(mode, checksum, &body, 8192);
        // Chunk 2's data starts after chunk 1 (header, 8192 bytes, CRLF) and its header.
        let header = wire.iter().position(|&b| b == b'\n').unwrap() + 1;
        let second = header + 8192 + 2 + header + 100;
        wire[second] ^= 0x20;
        let (code, released) = refused(&seed, &wire);
        assert_eq!(code, ErrorCode::ChunkSignatureMismatch, "{mode:?}");
        assert!(released == body[..8192], "chunk 1 was released, chunk 2 was not");
    }
    // Without chunk signatures, the trailer's checksum catches it.
    let (seed, mut wire) = encoded(ChunkedMode::UnsignedWithTrailer, Some(ChecksumAlgorithm::Crc32c), &body, 8192);
    wire[10_000] ^= 0x20;
    assert_eq!(refused(&seed, &wire).0, ErrorCode::TrailerChecksumMismatch);
}

#[test]
fn a_wrong_chunk_signature_is_refused() {
    let body = [b'a'; 9000];
    let (seed, wire) = encoded(ChunkedMode::Signed, None, &body, 8192);
    let text = String::from_utf8_lossy(&wire[..120]).into_owned();
    let at = text.find("chunk-signature=").unwrap() + "chunk-signature=".len();
    let mut tampered = wire.clone();
    tampered[at] = if tampered[at] == b'0' { b'1' } else { b'0' };
    let (code, released) = refused(&seed, &tampered);
    assert_eq!(code, ErrorCode::ChunkSignatureMismatch);
    assert!(released.is_empty());
    // A signature of the wrong shape is a malformed chunk.
    let mut short = wire.clone();
    short.remove(at);
    assert_eq!(refused(&seed, &short).0, ErrorCode::MalformedChunk);
    // The final chunk's signature is checked too.
    let mut last = wire.clone();
    let final_at = wire.len() - 2 - 2 - 64;
    last[final_at] = if last[final_at] == b'0' { b'1' } else { b'0' };
    let (code, released) = refused(&seed, &last);
    assert_eq!(code, ErrorCode::ChunkSignatureMismatch);
    assert!(released == body, "the data chunks before were released");
}

#[test]
fn reordered_dropped_and_duplicated_chunks_are_refused() {
    let (a, b, c) = ([1u8; 8192], [2u8; 8192], [3u8; 100]);
    let length = (a.len() + b.len() + c.len()) as u64;
    // The chunks as signed in order, then put on the wire in another order.
    let framed = |chunks: &[&[u8]]| {
        let mut seed = seed(ChunkedMode::Signed, length, None);
        let mut signer = seed.signer.take();
        let whole = frame(&mut signer, &[&a, &b, &c, b""], None);
        (seed, whole, chunks.iter().map(|c| c.len()).collect::<Vec<_>>())
    };
    let (seed, whole, _) = framed(&[]);
    assert_eq!(run(seed.verifier().unwrap(), &whole, 777).1, Ok(()));
    let one = 4 + "2000;chunk-signature=".len() + 64 + 8192;
    let (first, second) = (&whole[..one], &whole[one..2 * one]);
    let rest = &whole[2 * one..];
    let swapped = [second, first, rest].concat();
    assert_eq!(refused(&seed, &swapped).0, ErrorCode::ChunkSignatureMismatch, "reordered");
    let dropped = [first, rest].concat();
    assert_eq!(refused(&seed, &dropped).0, ErrorCode::ChunkSignatureMismatch, "dropped");
    let duplicated = [first, first, second, rest].concat();
    assert_eq!(refused(&seed, &duplicated).0, ErrorCode::ChunkSignatureMismatch, "duplicated");
}

#[test]
fn a_body_longer_or_shorter_than_declared_is_refused() {
    let (a, b) = ([1u8; 8192], [2u8; 8192]);
    // Longer: the seed declares 10000 bytes, the chunks carry 16384, refused at chunk 2's header.
    let mut longer = seed(ChunkedMode::Signed, 10_000, None);
    let mut signer = longer.signer.take();
    let wire = frame(&mut signer, &[&a, &b, b""], None);
    let (code, released) = refused(&longer, &wire);
    assert_eq!(code, ErrorCode::DecodedLengthMismatch);
    assert!(released == a, "chunk 1 fits the length and was released");
    // Shorter: the seed declares 20000, the final chunk comes after 16384.
    let mut shorter = seed(ChunkedMode::Signed, 20_000, None);
    let mut signer = shorter.signer.take();
    let wire = frame(&mut signer, &[&a, &b, b""], None);
    assert_eq!(refused(&shorter, &wire).0, ErrorCode::DecodedLengthMismatch);
    // A first chunk already past the declared length.
    let mut tiny = seed(ChunkedMode::Signed, 10, None);
    let mut signer = tiny.signer.take();
    let wire = frame(&mut signer, &[&a, b""], None);
    let (code, released) = refused(&tiny, &wire);
    assert_eq!(code, ErrorCode::DecodedLengthMismatch);
    assert!(released.is_empty());
}

#[test]
fn a_wrong_trailer_checksum_is_refused_signed_or_not() {
    let body = [7u8; 9000];
    for mode in [ChunkedMode::SignedWithTrailer, ChunkedMode::UnsignedWithTrailer] {
        let mut seed = seed(mode, body.len() as u64, Some(ChecksumAlgorithm::Crc32));
        let mut signer = seed.signer.take();
        // The checksum of other bytes, signed as the client would sign it.
        let wrong = crc32(&[8u8; 9000]);
        let wire = frame(&mut signer, &[&body, b""], Some(("x-amz-checksum-crc32", &wrong)));
        let (code, released) = refused(&seed, &wire);
        assert_eq!(code, ErrorCode::TrailerChecksumMismatch, "{mode:?}");
        assert!(released == body, "the chunks were verified; the body as a whole is not");
        // The right one verifies.
        let mut signer = seed_signer(mode, &seed);
        let wire = frame(&mut signer, &[&body, b""], Some(("x-amz-checksum-crc32", &crc32(&body))));
        assert_eq!(run(seed.verifier().unwrap(), &wire, 5).1, Ok(()), "{mode:?}");
        // Another checksum than x-amz-trailer declared is malformed.
        let mut signer = seed_signer(mode, &seed);
        let wire = frame(&mut signer, &[&body, b""], Some(("x-amz-checksum-crc32c", &crc32(&body))));
        assert_eq!(refused(&seed, &wire).0, ErrorCode::MalformedChunk, "{mode:?}");
    }
}

/// The chain after `seed`'s signature again (a `Seed` gives its own away to `frame`).
fn seed_signer(mode: ChunkedMode, seed: &Seed) -> Option<ChunkSigner> {
    let authorization = &seed.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case("authorization"))?.1;
    let signature = authorization.rsplit("Signature=").next()?;
    mode.signs_chunks()
        .then(|| ChunkSigner::new(signing_key(SECRET, "20130524", "us-east-1", "s3"), time(DATE), SCOPE, signature))
}

#[test]
fn a_wrong_trailer_signature_is_refused() {
    let body = [7u8; 9000];
    let (seed, wire) = encoded(ChunkedMode::SignedWithTrailer, Some(ChecksumAlgorithm::Sha256), &body, 8192);
    let text = String::from_utf8_lossy(&wire[wire.len() - 200..]).into_owned();
    let at = wire.len() - 200 + text.find("x-amz-trailer-signature:").unwrap() + "x-amz-trailer-signature:".len();
    let mut tampered = wire.clone();
    tampered[at] = if tampered[at] == b'0' { b'1' } else { b'0' };
    assert_eq!(refused(&seed, &tampered).0, ErrorCode::TrailerSignatureMismatch);
    // A checksum changed after signing: its signature no longer matches.
    let value_at = wire.len() - 200 + text.find("x-amz-checksum-sha256:").unwrap() + "x-amz-checksum-sha256:".len();
    let mut changed = wire.clone();
    changed[value_at] = if changed[value_at] == b'A' { b'B' } else { b'A' };
    assert_eq!(refused(&seed, &changed).0, ErrorCode::TrailerSignatureMismatch);
    // No signature line at all.
    let cut = [&wire[..at - "x-amz-trailer-signature:".len()], b"\r\n"].concat();
    assert_eq!(refused(&seed, &cut).0, ErrorCode::MalformedChunk);
}

#[test]
fn a_missing_final_chunk_or_an_early_end_is_refused_at_the_finish() {
    let body = [7u8; 9000];
    for (mode, checksum) in MODES {
        let (seed, wire) = encoded(mode, checksum, &body, 8192);
        let text = String::from_utf8_lossy(&wire).into_owned();
        let final_chunk = text.rfind("\r\n0").expect("the final chunk") + 2;
        for end in [final_chunk, final_chunk - 2, trailer_start(&wire), 5000, wire.len() - 1, wire.len() - 2] {
            let (_, result) = run(seed.verifier().unwrap(), &wire[..end], 100);
            assert_eq!(result.expect_err("refused").0, ErrorCode::MalformedChunk, "{mode:?} ends at {end}");
        }
    }
}

/// Where the trailer lines start: after the final chunk's header line.
fn trailer_start(wire: &[u8]) -> usize {
    let text = String::from_utf8_lossy(wire);
    let final_chunk = text.rfind("\r\n0").map(|at| at + 2).expect("the final chunk");
    final_chunk + text[final_chunk..].find("\r\n").unwrap() + 2
}

#[test]
fn bytes_after_the_end_are_refused() {
    for (mode, checksum) in MODES {
        let (seed, wire) = encoded(mode, checksum, &[5u8; 100], 8192);
        for extra in [&b"x"[..], b"\r\n", b"0\r\n\r\n"] {
            let garbage = [&wire[..], extra].concat();
            assert_eq!(refused(&seed, &garbage).0, ErrorCode::MalformedChunk, "{mode:?}");
        }
    }
}

#[test]
fn chunk_headers_are_read_strictly() {
    let data = [9u8; 100];
    let signed = |header: &str| {
        let seed = seed(ChunkedMode::Signed, 100, None);
        let mut wire = header.as_bytes().to_vec();
        wire.extend_from_slice(b"\r\n");
        wire.extend_from_slice(&data);
        (seed, wire)
    };
    let signature = "a".repeat(64);
    let cases = [
        (format!("64;chunk-signature={signature}{}", "0".repeat(MAX_CHUNK_HEADER_LINE)), ErrorCode::MalformedChunk),
        (format!("{};chunk-signature={signature}", "f".repeat(17)), ErrorCode::MalformedChunk),
        (format!("1{};chunk-signature={signature}", "0".repeat(16)), ErrorCode::MalformedChunk),
        (format!("064;chunk-signature={signature}"), ErrorCode::MalformedChunk),
        (format!(";chunk-signature={signature}"), ErrorCode::MalformedChunk),
        (format!("6g;chunk-signature={signature}"), ErrorCode::MalformedChunk),
        (format!("64;chunk-signature={}", signature.to_uppercase()), ErrorCode::MalformedChunk),
        (format!("64;chunk-signatures={signature}"), ErrorCode::MalformedChunk),
        (format!("64 ;chunk-signature={signature}"), ErrorCode::MalformedChunk),
        ("64".to_owned(), ErrorCode::MalformedChunk),
        (format!("1000001;chunk-signature={signature}"), ErrorCode::InvalidChunkSize),
        (format!("ffffffffffffffff;chunk-signature={signature}"), ErrorCode::InvalidChunkSize),
    ];
    for (header, code) in cases {
        let (seed, wire) = signed(&header);
        assert_eq!(refused(&seed, &wire).0, code, "{header}");
    }
    // A bare LF, a CR without LF, a NUL in the line.
    for wire in [&b"64;chunk\n"[..], b"64\rx", b"6\x004"] {
        let seed = seed(ChunkedMode::Signed, 100, None);
        assert_eq!(refused(&seed, wire).0, ErrorCode::MalformedChunk, "{wire:?}");
    }
    // An unsigned chunk carries no signature.
    let seed_unsigned = seed(ChunkedMode::UnsignedWithTrailer, 100, Some(ChecksumAlgorithm::Crc32));
    let wire = format!("64;chunk-signature={signature}\r\n").into_bytes();
    assert_eq!(refused(&seed_unsigned, &wire).0, ErrorCode::MalformedChunk);
    // Data longer than the header's size.
    let mut seed_long = seed(ChunkedMode::Signed, 100, None);
    let mut signer = seed_long.signer.take();
    let mut wire = frame(&mut signer, &[&data, b""], None);
    let at = wire.iter().position(|&b| b == b'\n').unwrap() + 1 + 100;
    wire.insert(at, b'x');
    assert_eq!(refused(&seed_long, &wire).0, ErrorCode::MalformedChunk);
}

#[test]
fn every_chunk_but_the_last_is_at_least_8_kib() {
    let mut seed = seed(ChunkedMode::Signed, 9000, None);
    let mut signer = seed.signer.take();
    let wire = frame(&mut signer, &[&[1u8; 100], &[2u8; 8900], b""], None);
    let (code, released) = refused(&seed, &wire);
    assert_eq!(code, ErrorCode::InvalidChunkSize);
    assert!(released == [1u8; 100], "the short chunk verified; the next one shows it was not the last");
}

#[test]
fn a_refused_body_stays_refused() {
    let (seed, mut wire) = encoded(ChunkedMode::Signed, None, &[1u8; 9000], 8192);
    wire[200] ^= 1;
    let mut verifier = seed.verifier().unwrap();
    let mut events = Vec::new();
    let first = verifier.write(&wire, &mut events).expect_err("refused");
    let again = verifier.write(b"", &mut events).expect_err("still refused");
    assert_eq!(first, again);
    assert_eq!(verifier.finish().expect_err("refused at the end"), first);
}

#[test]
fn the_seed_request_must_declare_a_chunked_upload_it_signed() {
    let good = seed(ChunkedMode::SignedWithTrailer, 100, Some(ChecksumAlgorithm::Crc32));
    assert!(good.verifier().is_ok());
    let without = |name: &str| Seed {
        url: good.url.clone(),
        headers: good.headers.iter().filter(|(n, _)| !n.eq_ignore_ascii_case(name)).cloned().collect(),
        signer: None,
    };
    let replaced = |name: &str, value: &str| Seed {
        url: good.url.clone(),
        headers: good
            .headers
            .iter()
            .map(|(n, v)| (n.clone(), if n.eq_ignore_ascii_case(name) { value.to_owned() } else { v.clone() }))
            .collect(),
        signer: None,
    };
    let code = |seed: Seed| seed.verifier().expect_err("refused").code();
    assert_eq!(code(without("content-encoding")), ErrorCode::InvalidChunkedUpload);
    assert_eq!(code(without("x-amz-decoded-content-length")), ErrorCode::InvalidChunkedUpload);
    assert_eq!(code(without("x-amz-trailer")), ErrorCode::InvalidChunkedUpload);
    assert_eq!(code(replaced("x-amz-decoded-content-length", "101")), ErrorCode::SignatureMismatch);
    assert_eq!(code(replaced("x-amz-decoded-content-length", "1e3")), ErrorCode::InvalidChunkedUpload);
    assert_eq!(code(replaced("x-amz-trailer", "x-amz-checksum-crc64nvme")), ErrorCode::UnsupportedPayload);
    assert_eq!(
        code(replaced("x-amz-content-sha256", "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD")),
        ErrorCode::UnsupportedPayload
    );
    assert_eq!(
        code(replaced("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD")),
        ErrorCode::InvalidChunkedUpload
    );
    // A request with a plain payload hash is not a chunked upload.
    assert_eq!(code(replaced("x-amz-content-sha256", "UNSIGNED-PAYLOAD")), ErrorCode::UnsupportedPayload);
    // verify itself still refuses a chunked upload: it cannot vouch for a body it has not read.
    let request =
        Request { method: "PUT", url: &good.url, headers: good.headers(), payload: Payload::Bytes(b""), query: None };
    let error = verify(&request, time(DATE), &settings(), lookup).expect_err("refused");
    assert_eq!(error.code(), ErrorCode::UnsupportedPayload);
    assert!(error.message().contains("verify_chunked"), "{}", error.message());
}

#[test]
fn a_presigned_chunked_upload_is_refused() {
    let request = Request::new("PUT", "https://examplebucket.s3.amazonaws.com/o")
        .header("content-encoding", "aws-chunked")
        .header("x-amz-decoded-content-length", "10")
        .payload(Payload::Precomputed("STREAMING-AWS4-HMAC-SHA256-PAYLOAD"));
    let signed = with_s3_params(|params| sign(&request, params, SignatureLocation::Query { expires_in: 600 }))
        .expect("presigns");
    let mut headers: Vec<(&str, &str)> = signed.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    headers.push(("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"));
    let received = Request { method: "PUT", url: &signed.url, headers, payload: Payload::Unsigned, query: None };
    // Under S3's rules the unsigned x-amz-content-sha256 header is refused first...
    let error = verify_chunked(&received, time(DATE), &settings(), lookup).expect_err("refused");
    assert_eq!(error.code(), ErrorCode::HeaderNotSigned, "{error:?}");
    // ...and where unsigned x-amz-* headers are allowed, the presigned seed itself.
    let lenient = VerifySettings { required_signed_headers: Vec::new(), ..settings() };
    let error = verify_chunked(&received, time(DATE), &lenient, lookup).expect_err("refused");
    assert_eq!(error.code(), ErrorCode::UnsupportedPayload, "{error:?}");
    assert!(error.message().contains("presigned"), "{}", error.message());
}

#[test]
fn a_state_not_written_by_the_verifier_is_refused() {
    let (seed, _) = encoded(ChunkedMode::SignedWithTrailer, Some(ChecksumAlgorithm::Crc32), &[1; 10], 8192);
    let state = seed.verifier().unwrap().state();
    let key = || Some(signing_key(SECRET, "20130524", "us-east-1", "s3"));
    assert!(ChunkedVerifier::resume(&state, key()).is_ok());
    assert_eq!(ChunkedVerifier::resume(&state, None).unwrap_err().code(), ErrorCode::InvalidChunkedUpload);
    for bad in ["", "x", &state.replace("\n0\n", "\n99\n"), &format!("{state}\nmore")] {
        assert_eq!(ChunkedVerifier::resume(bad, key()).unwrap_err().code(), ErrorCode::InvalidChunkedUpload, "{bad:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// A state changed anywhere (a field replaced, as a caller keeping it could garble it) is
    /// refused or resumes into a verifier that takes any bytes without panicking.
    #[test]
    fn a_garbled_state_never_panics(
        mode in 0..MODES.len(),
        field in 0usize..16,
        value in "[ -~]{0,300}|[0-9]{1,20}",
        input in proptest::collection::vec(any::<u8>(), 0..400),
    ) {
        let (mode, checksum) = MODES[mode];
        let (seed, wire) = encoded(mode, checksum, &[3u8; 9000], 8192);
        let mut verifier = seed.verifier().expect("verifies");
        let mut events = Vec::new();
        verifier.write(&wire[..wire.len() / 2], &mut events).expect("the first half");
        let mut fields: Vec<String> = verifier.state().split('\n').map(str::to_owned).collect();
        fields[field] = value;
        let state = fields.join("\n");
        let key = ChunkedVerifier::key_scope(&state).map(|(date, region, service)| signing_key(SECRET, date, region, service));
        if let Ok(mut resumed) = ChunkedVerifier::resume(&state, key) {
            let mut decoder = ChunkedDecoder::new(resumed.clone());
            let mut out = Vec::new();
            let _ = decoder.write(&input, &mut out);
            let _ = decoder.finish();
            let _ = resumed.write(&wire[wire.len() / 2..], &mut events);
            let _ = resumed.finish();
        }
    }
}

#[test]
fn key_scope_reads_the_scope_of_a_signed_state_only() {
    let (seed, _) = encoded(ChunkedMode::Signed, None, &[1; 10], 8192);
    let state = seed.verifier().unwrap().state();
    assert_eq!(ChunkedVerifier::key_scope(&state), Some(("20130524", "us-east-1", "s3")));
    let (unsigned, _) = encoded(ChunkedMode::UnsignedWithTrailer, Some(ChecksumAlgorithm::Crc32), &[1; 10], 8192);
    assert_eq!(ChunkedVerifier::key_scope(&unsigned.verifier().unwrap().state()), None);
    assert_eq!(ChunkedVerifier::key_scope("garbage"), None);
}

/// STREAMING-UNSIGNED-PAYLOAD-TRAILER signs neither chunks nor trailer: without
/// allow_unsigned_payload (API Gateway's rules) its seed is refused, whatever the body.
#[test]
fn unsigned_chunks_only_where_unsigned_payloads_are_allowed() {
    let unsigned = seed(ChunkedMode::UnsignedWithTrailer, 100, Some(ChecksumAlgorithm::Crc32));
    let request = Request {
        method: "PUT",
        url: &unsigned.url,
        headers: unsigned.headers(),
        payload: Payload::Unsigned,
        query: None,
    };
    let strict = VerifySettings { allow_unsigned_payload: false, ..settings() };
    let error = verify_chunked(&request, time(DATE), &strict, lookup).map(|_| ()).expect_err("refused");
    assert_eq!(error.code(), ErrorCode::UnsupportedPayload);
    assert!(error.message().contains("allowUnsignedPayload"), "{}", error.message());
    // Signed chunks are verified under the same settings.
    let signed = seed(ChunkedMode::SignedWithTrailer, 100, Some(ChecksumAlgorithm::Crc32));
    let request =
        Request { method: "PUT", url: &signed.url, headers: signed.headers(), payload: Payload::Unsigned, query: None };
    assert!(verify_chunked(&request, time(DATE), &strict, lookup).is_ok());
    // And the unsigned seed where they are allowed.
    assert!(unsigned.verifier().is_ok());
}
