//! Shared by the tests: reading the suites' raw HTTP request files (the vector tests), and
//! the signing side of the verify tests (forgeries.rs, verification.rs).
#![allow(dead_code)]

use sigv4::{Credentials, Payload, Request, SignatureLocation, SignedRequest, SigningParams, SigningSettings, sign};

/// The example key of the AWS documentation, and a session token for it.
pub const KEY_ID: &str = "AKIDEXAMPLE";
pub const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
pub const TOKEN: &str = "IQoJb3JpZ2luX2VjEXAMPLETOKEN+/=";
/// When the verify tests sign.
pub const NOW: &str = "20150830T123600Z";

pub fn settings_for(service: &str) -> SigningSettings {
    if service == "s3" { SigningSettings::s3() } else { SigningSettings::default() }
}

/// The example key's parameters for `service` in us-east-1 under `settings`, at [`NOW`].
pub fn params<'a>(credentials: &'a Credentials, service: &'a str, settings: &'a SigningSettings) -> SigningParams<'a> {
    SigningParams { credentials, region: "us-east-1", service, time: time(NOW), settings }
}

/// A [`Request`] over owned parts: a method, a URL, headers (names and values as sent) and
/// a payload.
pub fn request_of<'a>(
    method: &'a str,
    url: &'a str,
    headers: &'a [(String, String)],
    payload: Payload<'a>,
) -> Request<'a> {
    Request {
        method,
        url,
        headers: headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect(),
        payload,
        query: None,
    }
}

/// `request` signed by the example key (with `token`, as temporary credentials) under the
/// rules of `service`, in us-east-1 at [`NOW`].
pub fn signed(service: &str, request: &Request<'_>, token: Option<&str>, location: SignatureLocation) -> SignedRequest {
    let mut credentials = Credentials::new(KEY_ID, SECRET);
    if let Some(token) = token {
        credentials = credentials.with_session_token(token);
    }
    let settings = settings_for(service);
    sign(request, &params(&credentials, service, &settings), location).unwrap()
}

/// A request as written in a `.req`, `request.txt` or `*-signed-request.txt` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRequest {
    pub method: String,
    /// Everything between the method and ` HTTP/1.1`: it may hold raw spaces and UTF-8.
    pub target: String,
    /// Names as written; values as written, a folded line appended with its newline.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// Parses a request file by the aws-c-auth convention (see `tests/vectors/README.md`):
/// split on `\n`, request line, `Name:value` headers split at the first colon, lines that
/// start with whitespace continue the previous header, an empty line, then the body.
pub fn parse_request(text: &str) -> RawRequest {
    let mut lines = text.split('\n');
    let request_line = lines.next().expect("a request line");
    let (method, rest) = request_line.split_once(' ').expect("a method");
    let target = rest.strip_suffix(" HTTP/1.1").expect("HTTP/1.1 at the end of the request line");
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut body_lines: Option<Vec<&str>> = None;
    for line in lines {
        if let Some(body) = body_lines.as_mut() {
            body.push(line);
            continue;
        }
        if line.is_empty() {
            body_lines = Some(Vec::new());
        } else if line.starts_with([' ', '\t']) {
            let (_, value) = headers.last_mut().expect("a folded line follows a header");
            value.push('\n');
            value.push_str(line);
        } else {
            let (name, value) = line.split_once(':').expect("Name:value");
            headers.push((name.to_owned(), value.to_owned()));
        }
    }
    RawRequest {
        method: method.to_owned(),
        target: target.to_owned(),
        headers,
        body: body_lines.map(|lines| lines.join("\n")).unwrap_or_default(),
    }
}

impl RawRequest {
    pub fn header_pairs(&self) -> Vec<(&str, &str)> {
        self.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect()
    }

    pub fn path(&self) -> &str {
        self.target.split_once('?').map_or(&self.target, |(p, _)| p)
    }

    pub fn query_params(&self) -> Vec<String> {
        let mut params: Vec<String> = match self.target.split_once('?') {
            Some((_, q)) => q.split('&').map(str::to_owned).collect(),
            None => Vec::new(),
        };
        params.sort();
        params
    }
}

/// Asserts that `actual` headers equal `expected` as the suites define it: the same count,
/// names compared case-insensitively, values exactly (after the separator's whitespace).
pub fn assert_same_headers(actual: &[(String, String)], expected: &[(String, String)], context: &str) {
    let normalize = |headers: &[(String, String)]| {
        let mut list: Vec<(String, String)> =
            headers.iter().map(|(n, v)| (n.to_ascii_lowercase(), v.trim_start().to_owned())).collect();
        list.sort();
        list
    };
    assert_eq!(normalize(actual), normalize(expected), "'signed request headers' didn't match ({context})");
}

/// `2015-08-30T12:36:00Z` of a `context.json`, or `20150830T123600Z` of the S3 files and the
/// verify tests.
pub fn time(text: &str) -> sigv4::AmzDateTime {
    sigv4::AmzDateTime::parse(text).expect("a valid timestamp in the vector")
}
