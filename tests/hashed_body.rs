//! `Payload::Hashed`: a body hashed outside the core (node:crypto, through the npm package's
//! servers' build) is signed and checked exactly as its bytes would be: its length against a
//! `content-length` header, its hash against an `x-amz-content-sha256` header.

use sigv4::{
    AmzDateTime, Credentials, ErrorCode, Payload, Request, SignatureLocation, SignedRequest, SigningParams,
    SigningSettings, sha256_hex, sign,
};

const URL: &str = "https://example.amazonaws.com/";
const BODY: &[u8] = "{\"hello\":\"wörld\"}".as_bytes();

fn sign_with(payload: Payload<'_>, headers: &[(&str, &str)]) -> sigv4::Result<SignedRequest> {
    let mut request = Request::new("POST", URL).payload(payload);
    for (name, value) in headers {
        request = request.header(name, value);
    }
    let credentials = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    let settings = SigningSettings::default();
    let time = AmzDateTime::parse("20150830T123600Z").unwrap();
    let params =
        SigningParams { credentials: &credentials, region: "us-east-1", service: "service", time, settings: &settings };
    sign(&request, &params, SignatureLocation::Headers)
}

fn hashed(sha256: &str) -> Payload<'_> {
    Payload::Hashed { sha256, length: BODY.len() }
}

#[test]
fn a_hashed_body_signs_as_its_bytes() {
    let hash = sha256_hex(BODY);
    let length = BODY.len().to_string();
    for headers in [vec![], vec![("content-length", length.as_str())], vec![("x-amz-content-sha256", hash.as_str())]] {
        let bytes = sign_with(Payload::Bytes(BODY), &headers).unwrap();
        assert_eq!(sign_with(hashed(&hash), &headers).unwrap(), bytes, "{headers:?}");
        assert_eq!(bytes.payload_hash, hash);
    }
}

#[test]
fn a_hashed_body_is_checked_as_its_bytes() {
    let hash = sha256_hex(BODY);
    for (headers, code) in [
        (vec![("content-length", "16")], ErrorCode::ConflictingHeader),
        (vec![("content-length", "18"), ("content-length", "18")], ErrorCode::ConflictingHeader),
        (vec![("x-amz-content-sha256", sigv4::EMPTY_PAYLOAD_SHA256)], ErrorCode::PayloadHashMismatch),
    ] {
        let from_bytes = sign_with(Payload::Bytes(BODY), &headers).unwrap_err();
        let from_hash = sign_with(hashed(&hash), &headers).unwrap_err();
        assert_eq!((from_bytes.code(), from_hash.code()), (code, code), "{headers:?}");
        assert_eq!(from_hash.message(), from_bytes.message(), "{headers:?}");
    }
}

#[test]
fn a_hashed_body_must_be_a_sha256() {
    for wrong in ["", "abc", &sha256_hex(BODY).to_uppercase(), &format!("{}0", sha256_hex(BODY))] {
        assert_eq!(sign_with(hashed(wrong), &[]).unwrap_err().code(), ErrorCode::InvalidPayloadHash, "{wrong}");
    }
}
