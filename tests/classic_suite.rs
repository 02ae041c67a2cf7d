//! The classic AWS SigV4 test suite (`tests/vectors/aws-sig-v4-test-suite`, botocore's copy):
//! one test per case, comparing canonical request, string to sign, `Authorization` and the
//! signed request byte for byte.
//!
//! Parameters of every case: `AKIDEXAMPLE`, region `us-east-1`, service `service`, time
//! `20150830T123600Z`, the default (non-S3) settings, every header of the `.req` signed.

mod common;

use common::{assert_same_headers, parse_request, time};
use sigv4::{Credentials, Request, SessionTokenMode, SignatureLocation, SigningParams, SigningSettings, sign};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TOKEN_GET: &str = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267";
const TOKEN_STS: &str = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

struct Case {
    dir: &'static str,
    req: &'static str,
    creq: &'static str,
    sts: &'static str,
    authz: &'static str,
    sreq: &'static str,
}

fn run(case: Case) {
    let raw = parse_request(case.req);
    let mut credentials = Credentials::new("AKIDEXAMPLE", SECRET);
    let mut settings = SigningSettings::default();
    // The suite's session token cases (see `post-sts-token/readme.txt`).
    match case.dir {
        "get-vanilla-with-session-token" => credentials = credentials.with_session_token(TOKEN_GET),
        // The token is already a header of the `.req`: it is signed like any header.
        "post-sts-token/post-sts-header-before" => {}
        "post-sts-token/post-sts-header-after" => {
            credentials = credentials.with_session_token(TOKEN_STS);
            settings.session_token = SessionTokenMode::AppendedAfterSigning;
        }
        _ => {}
    }
    let params = SigningParams {
        credentials: &credentials,
        region: "us-east-1",
        service: "service",
        time: time("20150830T123600Z"),
        settings: &settings,
    };
    let request = Request {
        method: &raw.method,
        url: &raw.target,
        headers: raw.header_pairs(),
        payload: sigv4::Payload::Bytes(raw.body.as_bytes()),
        query: None,
    };
    let signed = sign(&request, &params, SignatureLocation::Headers).unwrap_or_else(|e| panic!("{}: {e}", case.dir));

    assert_eq!(signed.canonical_request, case.creq, "'canonical request' didn't match ({})", case.dir);
    assert_eq!(signed.string_to_sign, case.sts, "'string to sign' didn't match ({})", case.dir);
    assert_eq!(signed.authorization.as_deref(), Some(case.authz), "'authorization' didn't match ({})", case.dir);

    let expected = parse_request(case.sreq);
    assert_eq!((signed.method.as_str(), signed.url.as_str()), (expected.method.as_str(), expected.target.as_str()));
    assert_eq!(raw.body, expected.body);
    let mut expected_headers = expected.headers.clone();
    if case.dir == "get-vanilla-with-session-token" {
        // Quirk 6 of the vectors README: this `.sreq` carries a corrupted signature (a
        // rotation of the token); the `.authz` above is the right one and was checked.
        for (name, value) in &mut expected_headers {
            if name.eq_ignore_ascii_case("authorization") {
                *value = case.authz.to_owned();
            }
        }
    }
    assert_same_headers(&signed.headers, &expected_headers, case.dir);
}

macro_rules! suite {
    ($($test:ident: $dir:literal, $name:literal;)*) => {
        /// Every case folder this file runs, for the completeness check below.
        const CASES: &[&str] = &[$($dir),*];
        $(
            #[test]
            fn $test() {
                run(Case {
                    dir: $dir,
                    req: include_str!(concat!("vectors/aws-sig-v4-test-suite/", $dir, "/", $name, ".req")),
                    creq: include_str!(concat!("vectors/aws-sig-v4-test-suite/", $dir, "/", $name, ".creq")),
                    sts: include_str!(concat!("vectors/aws-sig-v4-test-suite/", $dir, "/", $name, ".sts")),
                    authz: include_str!(concat!("vectors/aws-sig-v4-test-suite/", $dir, "/", $name, ".authz")),
                    sreq: include_str!(concat!("vectors/aws-sig-v4-test-suite/", $dir, "/", $name, ".sreq")),
                });
            }
        )*
    };
}

suite! {
    get_header_key_duplicate: "get-header-key-duplicate", "get-header-key-duplicate";
    get_header_value_multiline: "get-header-value-multiline", "get-header-value-multiline";
    get_header_value_order: "get-header-value-order", "get-header-value-order";
    get_header_value_trim: "get-header-value-trim", "get-header-value-trim";
    get_unreserved: "get-unreserved", "get-unreserved";
    get_utf8: "get-utf8", "get-utf8";
    get_vanilla: "get-vanilla", "get-vanilla";
    get_vanilla_empty_query_key: "get-vanilla-empty-query-key", "get-vanilla-empty-query-key";
    get_vanilla_query: "get-vanilla-query", "get-vanilla-query";
    get_vanilla_query_order_encoded: "get-vanilla-query-order-encoded", "get-vanilla-query-order-encoded";
    get_vanilla_query_order_key: "get-vanilla-query-order-key", "get-vanilla-query-order-key";
    get_vanilla_query_order_key_case: "get-vanilla-query-order-key-case", "get-vanilla-query-order-key-case";
    get_vanilla_query_order_value: "get-vanilla-query-order-value", "get-vanilla-query-order-value";
    get_vanilla_query_unreserved: "get-vanilla-query-unreserved", "get-vanilla-query-unreserved";
    get_vanilla_utf8_query: "get-vanilla-utf8-query", "get-vanilla-utf8-query";
    get_vanilla_with_session_token: "get-vanilla-with-session-token", "get-vanilla-with-session-token";
    normalize_path_get_relative: "normalize-path/get-relative", "get-relative";
    normalize_path_get_relative_relative: "normalize-path/get-relative-relative", "get-relative-relative";
    normalize_path_get_slash: "normalize-path/get-slash", "get-slash";
    normalize_path_get_slash_dot_slash: "normalize-path/get-slash-dot-slash", "get-slash-dot-slash";
    normalize_path_get_slash_pointless_dot: "normalize-path/get-slash-pointless-dot", "get-slash-pointless-dot";
    normalize_path_get_slashes: "normalize-path/get-slashes", "get-slashes";
    normalize_path_get_space: "normalize-path/get-space", "get-space";
    normalize_path_get_special_character: "normalize-path/get-special-character", "get-special-character";
    post_header_key_case: "post-header-key-case", "post-header-key-case";
    post_header_key_sort: "post-header-key-sort", "post-header-key-sort";
    post_header_value_case: "post-header-value-case", "post-header-value-case";
    post_sts_header_after: "post-sts-token/post-sts-header-after", "post-sts-header-after";
    post_sts_header_before: "post-sts-token/post-sts-header-before", "post-sts-header-before";
    post_vanilla: "post-vanilla", "post-vanilla";
    post_vanilla_empty_query_value: "post-vanilla-empty-query-value", "post-vanilla-empty-query-value";
    post_vanilla_query: "post-vanilla-query", "post-vanilla-query";
    post_x_www_form_urlencoded: "post-x-www-form-urlencoded", "post-x-www-form-urlencoded";
    post_x_www_form_urlencoded_parameters: "post-x-www-form-urlencoded-parameters", "post-x-www-form-urlencoded-parameters";
}

/// Every folder of the suite that holds a `.req` is a case above: none is silently left out.
#[test]
fn every_case_of_the_suite_runs() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/aws-sig-v4-test-suite");
    let mut found = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "req") {
                let case = path.parent().unwrap().strip_prefix(&root).unwrap();
                found.push(case.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    found.sort();
    let mut listed: Vec<String> = CASES.iter().map(|c| (*c).to_owned()).collect();
    listed.sort();
    assert_eq!(found, listed);
    assert_eq!(found.len(), 34);
}
