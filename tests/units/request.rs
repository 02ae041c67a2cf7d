use sigv4::*;

#[test]
fn reads_absolute_urls() {
    let u = parse_url("https://Example.Amazonaws.com/prod/a%20b?x=1&y#frag").unwrap();
    assert_eq!(u.origin, "https://example.amazonaws.com");
    assert_eq!(u.host.as_deref(), Some("example.amazonaws.com"));
    assert_eq!(u.path, "/prod/a%20b");
    assert_eq!(u.query, Some("x=1&y"));

    let u = parse_url("http://localhost:9000").unwrap();
    assert_eq!((u.host.as_deref(), u.path, u.query), (Some("localhost:9000"), "/", None));
    assert_eq!(parse_url("https://x:443/").unwrap().host.as_deref(), Some("x"));
    assert_eq!(parse_url("http://x:80?").unwrap().host.as_deref(), Some("x"));
    assert_eq!(parse_url("https://x:80/").unwrap().host.as_deref(), Some("x:80"));
    assert_eq!(parse_url("http://[::1]:3000/p").unwrap().host.as_deref(), Some("[::1]:3000"));
    assert_eq!(parse_url("wss://iot.example.com/mqtt").unwrap().origin, "wss://iot.example.com");
}

#[test]
fn reads_path_only_targets_like_the_suites() {
    let u = parse_url("/example space/?ሴ=bar").unwrap();
    assert_eq!((u.host, u.path, u.query), (None, "/example space/", Some("ሴ=bar")));
    let u = parse_url("//example//").unwrap();
    assert_eq!((u.host, u.path, u.query), (None, "//example//", None));
}

#[test]
fn rejects_what_cannot_be_sent() {
    for url in [
        "",
        "example.com/path",
        "https://",
        "https://user:pass@host/",
        "https://host:99999/",
        "https://host:0/",
        "https://ho st/",
        "https://host/\n",
        "https://[zz]/",
        "https://[::1]x/",
        "1https://host/",
    ] {
        assert_eq!(parse_url(url).unwrap_err().code(), ErrorCode::InvalidUrl, "{url:?}");
    }
}

/// The error code of signing a request with this one header, or `None` if it signs.
fn header_error(name: &str, value: &str) -> Option<ErrorCode> {
    let credentials = Credentials::new("AKIDEXAMPLE", "secret");
    let settings = SigningSettings::default();
    let time = AmzDateTime::parse("20150830T123600Z").ok()?;
    let params =
        SigningParams { credentials: &credentials, region: "us-east-1", service: "s", time, settings: &settings };
    let request = Request::new("GET", "https://h/").header(name, value);
    sign(&request, &params, SignatureLocation::Headers).err().map(|e| e.code())
}

#[test]
fn validates_header_names_and_values() {
    assert_eq!(header_error("My-Header1", "  a   b  "), None);
    assert_eq!(header_error("x", "value1\n  value2"), None);
    assert_eq!(header_error("bad name", "v"), Some(ErrorCode::InvalidHeaderName));
    assert_eq!(header_error("", "v"), Some(ErrorCode::InvalidHeaderName));
    assert_eq!(header_error("x:y", "v"), Some(ErrorCode::InvalidHeaderName));
    assert_eq!(header_error("x", "a\nb"), Some(ErrorCode::InvalidHeaderValue));
    assert_eq!(header_error("x", "a\r\n"), Some(ErrorCode::InvalidHeaderValue));
    assert_eq!(header_error("x", "a\0b"), Some(ErrorCode::InvalidHeaderValue));
    assert_eq!(header_error("x", "é"), Some(ErrorCode::InvalidHeaderValue));
}

/// The message of signing a request to `url` with this one header.
fn sign_message(url: &str, name: &str, value: &str) -> String {
    let credentials = Credentials::new("AKIDEXAMPLE", "secret");
    let settings = SigningSettings::default();
    let time = AmzDateTime::parse("20150830T123600Z").unwrap();
    let params =
        SigningParams { credentials: &credentials, region: "us-east-1", service: "s", time, settings: &settings };
    let request = Request::new("GET", url).header(name, value);
    sign(&request, &params, SignatureLocation::Headers).unwrap_err().message().to_owned()
}

#[test]
fn messages_name_the_offending_character_and_quote_values_escaped() {
    // The code point of the first character refused, whatever its UTF-8 length.
    for (value, code) in
        [("a\0b", "U+0000"), ("a\x7fb", "U+007F"), ("é", "U+00E9"), ("x€", "U+20AC"), ("😀", "U+1F600")]
    {
        let message = sign_message("https://h/", "x", value);
        assert!(message.contains(&format!("({code})")), "{value:?}: {message}");
    }
    assert!(sign_message("https://h/", "x", "\u{85}").contains("(U+0085)"));
    // A control character in the URL, C0 or C1, named and shown escaped in the quoted URL.
    let message = sign_message("https://h/a\u{1}b", "x", "v");
    assert!(message.starts_with("'https://h/a\\u{0001}b' contains the control character U+0001;"), "{message}");
    let message = sign_message("https://h/é\u{9f}ü", "x", "v");
    assert!(message.starts_with("'https://h/é\\u{009F}ü' contains the control character U+009F;"), "{message}");
    // Non-control characters beyond ASCII are quoted as they are; a value is cut after 80
    // characters (not bytes).
    let message = sign_message("https://h/", &format!("{}:", "ü".repeat(100)), "v");
    assert!(message.starts_with(&format!("'{}…' is not a valid header name", "ü".repeat(80))), "{message}");
    let message = sign_message(&format!("https://h/\u{7f}{}", "€".repeat(100)), "x", "v");
    assert!(message.starts_with(&format!("'https://h/\\u{{007F}}{}…' contains", "€".repeat(69))), "{message}");
}

#[test]
fn methods_are_tokens() {
    let credentials = Credentials::new("AKIDEXAMPLE", "secret");
    let settings = SigningSettings::default();
    let time = AmzDateTime::parse("20150830T123600Z").unwrap();
    let params =
        SigningParams { credentials: &credentials, region: "us-east-1", service: "s", time, settings: &settings };
    for method in ["", "GET ", "G\u{e9}T", "GE\nT"] {
        let err = sign(&Request::new(method, "https://h/"), &params, SignatureLocation::Headers).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidMethod, "{method:?}");
    }
}
