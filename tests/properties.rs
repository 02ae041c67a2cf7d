//! Properties over generated requests and settings:
//! * no input makes signing or verification panic (in wasm a panic kills the instance);
//! * whatever `sign` produces, `verify` accepts under the same settings;
//! * a change of one byte in any signed part of that request makes `verify` fail;
//! * the canonical sorting of query parameters and headers agrees with the standard library's sort.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::request_of;
use proptest::prelude::*;
use sigv4::{
    AmzDateTime, ContentSha256Header, Credentials, Payload, QueryPlus, SessionTokenMode, SignatureLocation,
    SignedRequest, SigningParams, SigningSettings, VerifierKey, VerifySettings, canonical_query_params, canonical_uri,
    parse_url, sign, verify,
};

// ---------------------------------------------------------------------------------------
// Generators of valid inputs.

/// One character of a wire path or query: unreserved, reserved, a space, non-ASCII, or a
/// valid percent-escape. `exclude` lists delimiters that must not appear.
fn url_token(exclude: &'static str) -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-zA-Z0-9]".prop_map(|s| s),
        2 => prop::sample::select(vec!['-', '.', '_', '~', '!', '$', '&', '\'', '(', ')', '*', '+', ',', ';', '=', ':', '@', ' ', '/', 'é', 'ሴ', '😀'])
            .prop_filter("delimiter", move |c| !exclude.contains(*c))
            .prop_map(|c| c.to_string()),
        1 => (0u8..=255).prop_map(|b| format!("%{b:02X}")),
    ]
}

fn wire_path() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            6 => prop::collection::vec(url_token("/"), 1..6).prop_map(|t| t.concat()),
            1 => Just(".".to_owned()),
            1 => Just("..".to_owned()),
            1 => Just(String::new()),
        ],
        0..5,
    )
    .prop_map(|segments| format!("/{}", segments.join("/")))
}

fn query() -> impl Strategy<Value = Option<String>> {
    let part = || prop::collection::vec(url_token("&=#"), 0..5).prop_map(|t| t.concat());
    prop::option::of(prop::collection::vec((part(), prop::option::of(part())), 0..4).prop_map(|pairs| {
        pairs
            .into_iter()
            // A leading `q` keeps generated names clear of the X-Amz-* parameters.
            .map(|(name, value)| match value {
                Some(value) => format!("q{name}={value}"),
                None => format!("q{name}"),
            })
            .collect::<Vec<_>>()
            .join("&")
    }))
}

fn header() -> impl Strategy<Value = (String, String)> {
    ("[A-Za-z][A-Za-z0-9-]{0,10}", "[ -~\t]{0,20}").prop_filter("reserved for the signer", |(name, _)| {
        let name = name.to_ascii_lowercase();
        !(name == "host" || name == "authorization" || name == "content-length" || name.starts_with("x-amz-"))
    })
}

fn settings() -> impl Strategy<Value = SigningSettings> {
    (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()).prop_map(
        |(s3, unencoded, plus_space, appended_token, content_header)| {
            let mut settings = if s3 { SigningSettings::s3() } else { SigningSettings::default() };
            if unencoded {
                settings.path_input = sigv4::PathInput::Unencoded;
            }
            if plus_space {
                settings.query_plus = QueryPlus::Space;
            }
            if appended_token {
                settings.session_token = SessionTokenMode::AppendedAfterSigning;
            }
            if content_header {
                settings.content_sha256_header = ContentSha256Header::Include;
            }
            settings
        },
    )
}

#[derive(Debug, Clone)]
struct Case {
    method: String,
    origin: String,
    path: String,
    query: Option<String>,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    unsigned_payload: bool,
    access_key_id: String,
    secret: String,
    token: Option<String>,
    region: String,
    service: String,
    unix_seconds: i64,
    settings: SigningSettings,
    location: SignatureLocation,
}

fn case() -> impl Strategy<Value = Case> {
    (
        (
            "[A-Z]{1,7}",
            prop::sample::select(vec!["https://example.amazonaws.com", "http://localhost:9000", "https://[::1]:8443"]),
            wire_path(),
            query(),
            prop::collection::vec(header(), 0..4),
            prop::collection::vec(any::<u8>(), 0..48),
            any::<bool>(),
        ),
        (
            "[A-Z0-9]{4,20}",
            // Any secret signing accepts: none with whitespace around it or a control character.
            ".{1,40}".prop_filter("a secret signing accepts", |s| {
                s.trim() == s && !s.starts_with('\u{feff}') && !s.chars().any(char::is_control)
            }),
            prop::option::of("[A-Za-z0-9+/=]{1,30}"),
            "[a-z]{2}-[a-z]{3,8}-[1-9]",
            "[a-z][a-z0-9-]{1,15}",
            0i64..4_000_000_000,
            settings(),
            prop_oneof![Just(None), (1u64..=604_800).prop_map(Some)],
        ),
    )
        .prop_map(
            |(
                (method, origin, path, query, headers, body, unsigned_payload),
                (access_key_id, secret, token, region, service, unix_seconds, settings, expires_in),
            )| Case {
                method,
                origin: origin.to_owned(),
                path,
                query,
                headers,
                body,
                unsigned_payload,
                access_key_id,
                secret,
                token,
                region,
                service,
                unix_seconds,
                settings,
                location: expires_in
                    .map_or(SignatureLocation::Headers, |expires_in| SignatureLocation::Query { expires_in }),
            },
        )
}

impl Case {
    fn url(&self) -> String {
        match &self.query {
            Some(query) => format!("{}{}?{query}", self.origin, self.path),
            None => format!("{}{}", self.origin, self.path),
        }
    }

    fn credentials(&self) -> Credentials {
        let credentials = Credentials::new(&self.access_key_id, self.secret.as_str());
        match &self.token {
            Some(token) => credentials.with_session_token(token.as_str()),
            None => credentials,
        }
    }

    fn payload(&self) -> Payload<'_> {
        if self.unsigned_payload { Payload::Unsigned } else { Payload::Bytes(&self.body) }
    }

    fn sign(&self) -> sigv4::Result<SignedRequest> {
        let credentials = self.credentials();
        let params = SigningParams {
            credentials: &credentials,
            region: &self.region,
            service: &self.service,
            time: AmzDateTime::from_unix_seconds(self.unix_seconds).unwrap(),
            settings: &self.settings,
        };
        let url = self.url();
        let request = request_of(&self.method, &url, &self.headers, self.payload());
        sign(&request, &params, self.location)
    }

    fn verify_settings(&self) -> VerifySettings {
        let mut settings = VerifySettings::new(&self.region, &self.service);
        settings.canonicalization = self.settings.clone();
        if self.unsigned_payload {
            settings.allow_unsigned_payload = true;
        }
        settings
    }

    /// Verifies a received request (method, URL as sent, headers as sent, body) now.
    fn verify(&self, received: &Received) -> sigv4::Result<sigv4::Verified> {
        let request = request_of(&received.method, &received.url, &received.headers, Payload::Bytes(&received.body));
        let key = VerifierKey {
            secret_access_key: self.secret.as_str().into(),
            session_token: self.token.as_deref().map(Into::into),
        };
        let now = AmzDateTime::from_unix_seconds(self.unix_seconds).unwrap();
        verify(&request, now, &self.verify_settings(), |id| (id == self.access_key_id).then_some(key))
    }
}

#[derive(Debug, Clone)]
struct Received {
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// Replaces the byte at `index` of `text` (an ASCII letter or digit) with a different one.
fn change_byte(text: &str, index: usize) -> String {
    let mut bytes = text.as_bytes().to_vec();
    bytes[index] = match bytes[index] {
        b'z' => b'a',
        b'Z' => b'A',
        b'9' => b'0',
        other => other + 1,
    };
    String::from_utf8(bytes).unwrap()
}

fn alphanumeric_positions(text: &str) -> Vec<usize> {
    text.bytes().enumerate().filter(|(_, b)| b.is_ascii_alphanumeric()).map(|(i, _)| i).collect()
}

/// Every one-byte change to a signed part of `received` whose canonical form differs.
fn one_byte_changes(case: &Case, signed: &SignedRequest, received: &Received) -> Vec<(String, Received)> {
    let mut changes = Vec::new();
    let last = received.method.len() - 1;
    changes.push(("method".into(), Received { method: change_byte(&received.method, last), ..received.clone() }));

    let parsed = parse_url(&received.url).unwrap();
    let (origin, path, query) = (parsed.origin.clone(), parsed.path.to_owned(), parsed.query.map(str::to_owned));
    let rules = SigningSettings { path_input: sigv4::PathInput::Encoded, ..case.settings.clone() };
    let join = |path: &str, query: &Option<String>| match query {
        Some(q) => format!("{origin}{path}?{q}"),
        None => format!("{origin}{path}"),
    };
    for i in alphanumeric_positions(&path) {
        let changed = change_byte(&path, i);
        if canonical_uri(&changed, &rules).ok() != canonical_uri(&path, &rules).ok() {
            changes.push((format!("path byte {i}"), Received { url: join(&changed, &query), ..received.clone() }));
        }
    }
    if let Some(q) = &query {
        for i in alphanumeric_positions(q) {
            let changed = change_byte(q, i);
            let canonical = |q: &str| canonical_query_params(q, rules.query_plus).ok();
            if canonical(&changed) != canonical(q) {
                changes.push((
                    format!("query byte {i}"),
                    Received { url: join(&path, &Some(changed)), ..received.clone() },
                ));
            }
        }
    }
    let signed_names: Vec<&str> = signed.signed_headers.split(';').collect();
    for (h, (name, value)) in received.headers.iter().enumerate() {
        let is_signed = signed_names.contains(&name.to_ascii_lowercase().as_str());
        let is_authorization = name.eq_ignore_ascii_case("authorization");
        let is_token = name.eq_ignore_ascii_case("x-amz-security-token");
        if is_signed || is_authorization || is_token {
            for i in alphanumeric_positions(value) {
                let mut headers = received.headers.clone();
                headers[h].1 = change_byte(value, i);
                changes.push((format!("header {name} byte {i}"), Received { headers, ..received.clone() }));
            }
        }
    }
    let body_signed = !case.unsigned_payload;
    if body_signed && !received.body.is_empty() {
        let mut body = received.body.clone();
        body[0] ^= 1;
        changes.push(("body byte 0".into(), Received { body, ..received.clone() }));
    }
    changes
}

/// Changes an attacker makes to the structure of a signed request rather than to one byte:
/// a body removed or extended, a signed header removed or given a second value, a parameter of
/// the signature repeated with another value.
fn structural_changes(case: &Case, signed: &SignedRequest, received: &Received) -> Vec<(String, Received)> {
    let mut changes = Vec::new();
    if !case.unsigned_payload {
        let mut longer = received.body.clone();
        longer.push(b'!');
        changes.push(("body extended".into(), Received { body: longer, ..received.clone() }));
        if !received.body.is_empty() {
            changes.push(("body removed".into(), Received { body: Vec::new(), ..received.clone() }));
        }
    }
    let signed_names: Vec<&str> = signed.signed_headers.split(';').collect();
    for (h, (name, value)) in received.headers.iter().enumerate() {
        let lower = name.to_ascii_lowercase();
        if !signed_names.contains(&lower.as_str()) || lower == "host" {
            continue;
        }
        let mut removed = received.headers.clone();
        removed.remove(h);
        // An absent signed header is an empty one in AWS's canonical request.
        let was_empty = sigv4::canonical_header_value(value).is_empty();
        if !was_empty && !removed.iter().any(|(n, _)| n.eq_ignore_ascii_case(name)) {
            changes.push((format!("header {name} removed"), Received { headers: removed, ..received.clone() }));
        }
        let mut doubled = received.headers.clone();
        doubled.push((name.clone(), format!("{value}x")));
        changes.push((format!("header {name} doubled"), Received { headers: doubled, ..received.clone() }));
    }
    if matches!(case.location, SignatureLocation::Query { .. }) {
        for name in ["X-Amz-Date", "X-Amz-Expires", "X-Amz-Credential", "X-Amz-SignedHeaders", "X-Amz-Security-Token"] {
            let url = format!("{}&{name}=1", received.url);
            changes.push((format!("{name} repeated"), Received { url, ..received.clone() }));
        }
    }
    changes
}

fn received_from(case: &Case, signed: &SignedRequest) -> Received {
    Received {
        method: signed.method.clone(),
        url: signed.url.clone(),
        headers: signed.headers.clone(),
        body: case.body.clone(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn sign_then_verify_always_succeeds(case in case()) {
        let signed = case.sign().map_err(|e| TestCaseError::fail(format!("signing a valid request failed: {e}")))?;
        let received = received_from(&case, &signed);
        let verified = case.verify(&received);
        prop_assert!(verified.is_ok(), "{:?}\nsigned: {:?}", verified, signed);
    }

    #[test]
    fn any_one_byte_change_to_a_signed_part_fails_verification(case in case(), pick in any::<prop::sample::Index>()) {
        let signed = case.sign().map_err(|e| TestCaseError::fail(format!("signing a valid request failed: {e}")))?;
        let received = received_from(&case, &signed);
        let changes = one_byte_changes(&case, &signed, &received);
        let (what, changed) = pick.get(&changes);
        prop_assert!(case.verify(changed).is_err(), "verify accepted a change to the {what}: {changed:?}");
    }

    #[test]
    fn removing_adding_or_repeating_a_signed_part_fails_verification(case in case(), pick in any::<prop::sample::Index>()) {
        let signed = case.sign().map_err(|e| TestCaseError::fail(format!("signing a valid request failed: {e}")))?;
        let received = received_from(&case, &signed);
        let changes = structural_changes(&case, &signed, &received);
        if changes.is_empty() {
            return Ok(());
        }
        let (what, changed) = pick.get(&changes);
        prop_assert!(case.verify(changed).is_err(), "verify accepted: {what}: {changed:?}");
    }

    #[test]
    fn signing_never_panics(
        method in ".{0,8}",
        url in prop_oneof![".{0,40}", wire_path().prop_map(|p| format!("https://h{p}"))],
        headers in prop::collection::vec((".{0,12}", ".{0,20}"), 0..5),
        body in prop::collection::vec(any::<u8>(), 0..32),
        payload in prop_oneof![Just(0u8), Just(1), Just(2)],
        precomputed in ".{0,70}",
        access_key_id in ".{0,20}",
        secret in ".{0,20}",
        token in prop::option::of(".{0,20}"),
        region in ".{0,12}",
        service in ".{0,12}",
        unix_seconds in any::<i64>(),
        settings in settings(),
        host_override in prop::option::of(".{0,20}"),
        unsigned in prop::collection::vec(".{0,10}", 0..3),
        location in prop_oneof![Just(None), any::<u64>().prop_map(Some)],
    ) {
        let Ok(time) = AmzDateTime::from_unix_seconds(unix_seconds) else { return Ok(()) };
        let mut settings = settings;
        settings.host_override = host_override;
        for name in &unsigned {
            settings.unsign_header(name);
        }
        let mut credentials = Credentials::new(access_key_id, secret);
        if let Some(token) = token {
            credentials = credentials.with_session_token(token);
        }
        let params = SigningParams { credentials: &credentials, region: &region, service: &service, time, settings: &settings };
        let payload = match payload {
            0 => Payload::Bytes(&body),
            1 => Payload::Precomputed(&precomputed),
            _ => Payload::Unsigned,
        };
        let request = request_of(&method, &url, &headers, payload);
        let location = location.map_or(SignatureLocation::Headers, |expires_in| SignatureLocation::Query { expires_in });
        match sign(&request, &params, location) {
            Ok(signed) => prop_assert!(!signed.signature.is_empty()),
            Err(e) => prop_assert!(!e.message().is_empty() && !e.code().as_str().is_empty()),
        }
    }

    #[test]
    fn canonical_sorting_agrees_with_the_standard_library(
        params in prop::collection::vec(("[a-c]{0,2}", "[a-c]{0,2}"), 0..40),
    ) {
        // The query: by name, then value, in byte order.
        let query: Vec<sigv4::QueryParam> =
            params.iter().map(|(name, value)| sigv4::QueryParam { name: name.clone(), value: value.clone() }).collect();
        let mut expected = params.clone();
        expected.sort();
        let expected: Vec<String> = expected.iter().map(|(name, value)| format!("{name}={value}")).collect();
        prop_assert_eq!(sigv4::canonical_query_string(query), expected.join("&"));
        // The headers: by name only, the values of a repeated name joined in the order given.
        let mut names: Vec<&str> = params.iter().map(|(name, _)| name.as_str()).collect();
        names.sort();
        names.dedup();
        let expected: String = names
            .iter()
            .map(|name| {
                let values: Vec<&str> = params.iter().filter(|(n, _)| n == name).map(|(_, v)| v.as_str()).collect();
                format!("{name}:{}\n", values.join(","))
            })
            .collect();
        let headers = sigv4::CanonicalHeaders::new(params.iter().map(|(name, value)| (name.as_str(), value.as_str())));
        prop_assert_eq!(headers.text(), expected);
    }

    #[test]
    fn verifying_never_panics(
        method in ".{0,8}",
        target in prop_oneof![".{0,60}", "/[a-z]{0,5}\\?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-[A-Za-z]{1,12}=.{0,30}(&X-Amz-[A-Za-z]{1,12}=.{0,20}){0,6}"],
        authorization in prop_oneof![".{0,80}", "AWS4-HMAC-SHA256 Credential=.{0,40}, SignedHeaders=.{0,20}, Signature=.{0,70}"],
        date in prop_oneof![".{0,20}", "[0-9]{8}T[0-9]{6}Z"],
        headers in prop::collection::vec((".{0,12}", ".{0,20}"), 0..4),
        body in prop::collection::vec(any::<u8>(), 0..32),
        unix_seconds in -62_167_219_200i64..253_402_300_799,
        skew in any::<i64>(),
        settings in settings(),
    ) {
        let mut all = headers;
        all.push(("Authorization".into(), authorization));
        all.push(("X-Amz-Date".into(), date));
        all.push(("Host".into(), "h".into()));
        let request = request_of(&method, &target, &all, Payload::Bytes(&body));
        let mut verifier = VerifySettings::new("us-east-1", "service");
        verifier.canonicalization = settings;
        verifier.max_clock_skew_seconds = skew;
        let now = AmzDateTime::from_unix_seconds(unix_seconds).unwrap();
        let key = VerifierKey { secret_access_key: "secret".into(), session_token: None };
        let result = verify(&request, now, &verifier, |_| Some(key));
        prop_assert!(result.is_err());
    }
}
