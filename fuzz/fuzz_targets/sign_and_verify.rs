//! Feeds arbitrary bytes to the URL reader, the signer and the verifier. Nothing may panic,
//! and whatever the signer accepts, the verifier must accept under the same settings.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigv4::{
    AmzDateTime, ContentSha256Header, Credentials, PathInput, Payload, QueryPlus, Request, SessionTokenMode,
    SignatureLocation, SigningParams, SigningSettings, VerifierKey, VerifySettings, parse_url, sign, verify,
};

/// Splits the input into text fields at 0xFF bytes (never valid UTF-8, so never inside one).
fn fields(data: &[u8]) -> Vec<String> {
    data.split(|b| *b == 0xff).map(|f| String::from_utf8_lossy(f).into_owned()).collect()
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else { return };
    let f = fields(rest);
    let field = |i: usize| f.get(i).map(String::as_str).unwrap_or("");
    let _ = parse_url(field(1));

    let mut settings = if flags & 1 != 0 { SigningSettings::s3() } else { SigningSettings::default() };
    if flags & 2 != 0 {
        settings.path_input = PathInput::Unencoded;
    }
    if flags & 4 != 0 {
        settings.query_plus = QueryPlus::Space;
    }
    if flags & 8 != 0 {
        settings.session_token = SessionTokenMode::AppendedAfterSigning;
    }
    if flags & 16 != 0 {
        settings.content_sha256_header = ContentSha256Header::Include;
    }
    let location = if flags & 32 != 0 {
        SignatureLocation::Query { expires_in: field(9).len() as u64 * 1000 + 1 }
    } else {
        SignatureLocation::Headers
    };
    let payload = match flags >> 6 {
        0 => Payload::Bytes(field(5).as_bytes()),
        1 => Payload::Precomputed(field(5)),
        _ => Payload::Unsigned,
    };
    let headers: Vec<(&str, &str)> = field(4).split('\n').filter_map(|line| line.split_once(':')).collect();
    let mut credentials = Credentials::new(field(6), field(7));
    if !field(8).is_empty() {
        credentials = credentials.with_session_token(field(8));
    }
    let time = AmzDateTime::parse(field(3)).unwrap_or_else(|_| AmzDateTime::from_unix_seconds(1_440_938_160).unwrap());
    let params =
        SigningParams { credentials: &credentials, region: "us-east-1", service: field(2), time, settings: &settings };
    let request = Request { method: field(0), url: field(1), headers: headers.clone(), payload, query: None };

    if let Ok(signed) = sign(&request, &params, location) {
        let mut verifier = VerifySettings::new("us-east-1", field(2));
        verifier.canonicalization = settings.clone();
        if matches!(payload, Payload::Unsigned) {
            verifier.allow_unsigned_payload = true;
        }
        let body = match payload {
            Payload::Bytes(body) => body,
            _ => &[],
        };
        let sent: Vec<(&str, &str)> = signed.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let received = Request { method: &signed.method, url: &signed.url, headers: sent, payload: Payload::Bytes(body), query: None };
        let key = VerifierKey {
            secret_access_key: field(7).into(),
            session_token: (!field(8).is_empty()).then(|| field(8).into()),
        };
        let result = verify(&received, time, &verifier, |_| Some(key));
        // A precomputed hash is not the body's hash, so only then may verification disagree.
        if !matches!(payload, Payload::Precomputed(_)) {
            assert!(result.is_ok(), "signed but not verified: {result:?}\n{signed:?}");
        }
    }

    // The verifier on the raw input as a received request.
    let received = Request { method: field(0), url: field(1), headers, payload: Payload::Bytes(field(5).as_bytes()), query: None };
    let verifier = VerifySettings::new("us-east-1", "service");
    let _ = verify(&received, time, &verifier, |_| None);
});
