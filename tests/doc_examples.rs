//! The worked examples of the AWS documentation (`tests/vectors/s3`, `tests/vectors/general`):
//! the S3 single-chunk examples, the presigned URL and IAM `ListUsers`.

mod common;

use common::time;
use serde::Deserialize;
use sigv4::{
    Credentials, PathInput, Payload, Request, SignatureLocation, SigningParams, SigningSettings, sign,
    signing_key_derivation,
};

#[derive(Deserialize)]
struct Example {
    id: String,
    credentials: ExampleCredentials,
    region: String,
    service: String,
    timestamp: String,
    credential_scope: String,
    request: ExampleRequest,
    signing: ExampleSigning,
    expected: ExampleExpected,
    computed_here: Option<ComputedHere>,
}

#[derive(Deserialize)]
struct ExampleCredentials {
    access_key_id: String,
    secret_access_key: String,
}

#[derive(Deserialize)]
struct ExampleRequest {
    method: String,
    host: String,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body_utf8: String,
}

#[derive(Deserialize)]
struct ExampleSigning {
    signature_location: String,
    payload_hash: String,
    uri_double_encode: bool,
    normalize_uri_path: bool,
    expires_in: Option<u64>,
}

#[derive(Deserialize)]
struct ExampleExpected {
    canonical_request: String,
    string_to_sign: String,
    signature: String,
    authorization_as_documented: Option<String>,
    authorization: Option<String>,
    presigned_url: Option<String>,
    signing_key_hex: Option<String>,
}

#[derive(Deserialize)]
struct ComputedHere {
    signing_key_hex: String,
}

/// The parts of an `Authorization` value: the S3 pages write no space after the commas.
fn authorization_parts(value: &str) -> Vec<String> {
    value.split([',', ' ']).filter(|p| !p.is_empty()).map(str::to_owned).collect()
}

fn run(json: &str, path_input: PathInput) {
    let example: Example = serde_json::from_str(json).expect("example JSON");
    let settings = SigningSettings {
        path_input,
        ..if example.signing.uri_double_encode { SigningSettings::default() } else { SigningSettings::s3() }
    };
    assert_eq!(example.signing.normalize_uri_path, example.signing.uri_double_encode, "the presets pair both settings");
    let credentials =
        Credentials::new(&example.credentials.access_key_id, example.credentials.secret_access_key.as_str());
    // Field by field, like crt_suite.rs's on purpose: each suite's own file format fills the same
    // five parameters, which a shared helper would only take as five arguments.
    let params = SigningParams {
        credentials: &credentials,
        region: &example.region,
        service: &example.service,
        time: time(&example.timestamp),
        settings: &settings,
    };
    // The JSON paths are unescaped. Sent raw, their only reserved character (`$`) reaches
    // S3 as it is, so the same text is also a valid wire path.
    // An unencoded path runs to the end of the URL, so its query is given apart.
    let path = &example.request.path;
    let query = (!example.request.query.is_empty()).then_some(example.request.query.as_str());
    let url = match (path_input, query) {
        (PathInput::Encoded, Some(query)) => format!("https://{}{path}?{query}", example.request.host),
        _ => format!("https://{}{path}", example.request.host),
    };
    let headers: Vec<(&str, &str)> = example.request.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let location = match example.signing.signature_location.as_str() {
        "query" => SignatureLocation::Query { expires_in: example.signing.expires_in.expect("expires_in") },
        _ => SignatureLocation::Headers,
    };
    let payload = match example.signing.payload_hash.as_str() {
        "UNSIGNED-PAYLOAD" => Payload::Unsigned,
        _ => Payload::Bytes(example.request.body_utf8.as_bytes()),
    };
    let query = if path_input == PathInput::Unencoded { query } else { None };
    let request = Request { method: &example.request.method, url: &url, headers, payload, query };
    let signed = sign(&request, &params, location).unwrap_or_else(|e| panic!("{}: {e}", example.id));
    let at = format!("{} ({path_input:?})", example.id);

    assert_eq!(signed.canonical_request, example.expected.canonical_request, "'canonical request' didn't match: {at}");
    assert_eq!(signed.string_to_sign, example.expected.string_to_sign, "'string to sign' didn't match: {at}");
    assert_eq!(signed.signature, example.expected.signature, "'signature' didn't match: {at}");
    assert_eq!(signed.credential_scope, example.credential_scope, "{at}");
    assert_eq!(signed.payload_hash, example.signing.payload_hash, "{at}");
    let key_hex = example.expected.signing_key_hex.or(example.computed_here.map(|c| c.signing_key_hex));
    if let Some(key_hex) = key_hex {
        let derivation = signing_key_derivation(
            &example.credentials.secret_access_key,
            &example.timestamp[..8],
            &example.region,
            &example.service,
        );
        assert_eq!(derivation.k_signing.to_hex(), key_hex, "'signing key' didn't match: {at}");
    }
    if let Some(documented) = example.expected.authorization_as_documented.or(example.expected.authorization) {
        let actual = signed.authorization.as_deref().expect("an Authorization header");
        assert_eq!(authorization_parts(actual), authorization_parts(&documented), "'authorization' didn't match: {at}");
    }
    let sent_path = match path_input {
        PathInput::Encoded => path.clone(),
        PathInput::Unencoded => sigv4::wire_path_from_unencoded(path),
    };
    assert!(signed.url.starts_with(&format!("https://{}{sent_path}", example.request.host)), "{at}: {}", signed.url);
    if let Some(url) = example.expected.presigned_url {
        assert_eq!(signed.url, url, "'presigned URL' didn't match: {at}");
    }
}

macro_rules! examples {
    ($($test:ident: $file:literal;)*) => {
        mod wire_path {
            $(
                #[test]
                fn $test() {
                    super::run(include_str!(concat!("vectors/", $file)), sigv4::PathInput::Encoded);
                }
            )*
        }
        /// The same examples with the path given as an unencoded key (`/test$file.text`).
        mod unencoded_path {
            $(
                #[test]
                fn $test() {
                    super::run(include_str!(concat!("vectors/", $file)), sigv4::PathInput::Unencoded);
                }
            )*
        }
    };
}

examples! {
    s3_get_object: "s3/get-object.json";
    s3_put_object: "s3/put-object.json";
    s3_get_bucket_lifecycle: "s3/get-bucket-lifecycle.json";
    s3_list_objects: "s3/list-objects.json";
    s3_presigned_url_get_object: "s3/presigned-url-get-object.json";
    iam_list_users: "general/iam-listusers.json";
}

// The chunked upload and POST policy examples are tests/s3_uploads.rs's.
