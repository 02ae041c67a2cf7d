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
        let result = verify(&received, time, &verifier, |_| Some(key.clone()));
        // A precomputed hash is not the body's hash, so only then may verification disagree.
        if !matches!(payload, Payload::Precomputed(_)) {
            assert!(result.is_ok(), "signed but not verified: {result:?}\n{signed:?}");
        }

        // Tampered as an attacker would, with the right key, so that re-signing is reached.
        if let (Ok(_), Some(tamper)) = (result, tampering(field(10).as_bytes())) {
            let mut url = signed.url.clone();
            let mut headers = signed.headers.clone();
            let mut body = body.to_vec();
            let mut method = signed.method.clone();
            match tamper.clone() {
                Tamper::UrlByte(at, byte) => replace_byte(&mut url, at, byte),
                Tamper::AppendToUrl(text) => url.push_str(&text),
                Tamper::HeaderByte(which, at, byte) => {
                    let count = headers.len().max(1);
                    if let Some((_, value)) = headers.get_mut(which % count) {
                        replace_byte(value, at, byte);
                    }
                }
                Tamper::DuplicateHeader(which) => {
                    if let Some(header) = headers.get(which % headers.len().max(1)).cloned() {
                        headers.push(header);
                    }
                }
                Tamper::RemoveHeader(which) => {
                    if !headers.is_empty() {
                        headers.remove(which % headers.len());
                    }
                }
                Tamper::Body(extra) => body.push(extra),
                Tamper::Method => method.push('X'),
            }
            let sent: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
            let tampered = Request { method: &method, url: &url, headers: sent, payload: Payload::Bytes(&body), query: None };
            let result = verify(&tampered, time, &verifier, |_| Some(key));
            // A changed body is covered unless the signature declared UNSIGNED-PAYLOAD.
            if matches!(tamper, Tamper::Body(_)) && matches!(payload, Payload::Bytes(_)) {
                assert!(result.is_err(), "a changed body verified: {signed:?}");
            }
            if matches!(tamper, Tamper::Method) {
                assert!(result.is_err(), "a changed method verified: {signed:?}");
            }
        }
    }

    // The verifier on the raw input as a received request.
    let received = Request { method: field(0), url: field(1), headers, payload: Payload::Bytes(field(5).as_bytes()), query: None };
    let verifier = VerifySettings::new("us-east-1", "service");
    let _ = verify(&received, time, &verifier, |_| None);
});

/// One change to a signed request.
#[derive(Debug, Clone)]
enum Tamper {
    UrlByte(usize, u8),
    AppendToUrl(String),
    HeaderByte(usize, usize, u8),
    DuplicateHeader(usize),
    RemoveHeader(usize),
    Body(u8),
    Method,
}

fn tampering(spec: &[u8]) -> Option<Tamper> {
    let (&kind, rest) = spec.split_first()?;
    let at = |i: usize| usize::from(rest.get(i).copied().unwrap_or(0));
    let byte = |i: usize| rest.get(i).copied().unwrap_or(b'x');
    Some(match kind % 7 {
        0 => Tamper::UrlByte(at(0), byte(1)),
        1 => Tamper::AppendToUrl(String::from_utf8_lossy(rest).into_owned()),
        2 => Tamper::HeaderByte(at(0), at(1), byte(2)),
        3 => Tamper::DuplicateHeader(at(0)),
        4 => Tamper::RemoveHeader(at(0)),
        5 => Tamper::Body(byte(0)),
        _ => Tamper::Method,
    })
}

/// Replaces the byte at `at` (modulo the length) when the result is still UTF-8.
fn replace_byte(text: &mut String, at: usize, byte: u8) {
    if text.is_empty() {
        return;
    }
    let mut bytes = text.clone().into_bytes();
    let at = at % bytes.len();
    bytes[at] = byte;
    if let Ok(changed) = String::from_utf8(bytes) {
        *text = changed;
    }
}
