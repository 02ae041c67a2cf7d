use sigv4::*;

fn params(query: &str, plus: QueryPlus) -> String {
    canonical_query_string(canonical_query_params(query, plus).unwrap())
}

#[test]
fn query_encoding_rules() {
    // Alike on purpose, one case a line: each spells out its query and the canonical form.
    assert_eq!(params("acl", QueryPlus::Literal), "acl=");
    assert_eq!(params("acl&b=", QueryPlus::Literal), "acl=&b=");
    assert_eq!(params("a=b=c", QueryPlus::Literal), "a=b%3Dc");
    assert_eq!(params("path=%2Fa%2Fb%3Ac*(x)~!'", QueryPlus::Literal), "path=%2Fa%2Fb%3Ac%2A%28x%29~%21%27");
    assert_eq!(params("k=2&k=1&k=10", QueryPlus::Literal), "k=1&k=10&k=2");
    assert_eq!(params("q=a+b", QueryPlus::Literal), "q=a%2Bb");
    assert_eq!(params("q=a+b", QueryPlus::Space), "q=a%20b");
    assert_eq!(params("q=a%2Bb", QueryPlus::Space), "q=a%2Bb");
    assert_eq!(params("q=a%20b", QueryPlus::Literal), "q=a%20b");
    assert_eq!(params("Param1=value2&Param1=Value1", QueryPlus::Literal), "Param1=Value1&Param1=value2");
    assert_eq!(params("&&a=1&", QueryPlus::Literal), "a=1");
    assert_eq!(params("", QueryPlus::Literal), "");
    let err = canonical_query_params("a=100%", QueryPlus::Literal).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidUrl);
}

#[test]
fn header_values_are_trimmed_and_collapsed() {
    assert_eq!(canonical_header_value("  a   b   c  "), "a b c");
    assert_eq!(canonical_header_value("\"a   b   c\""), "\"a b c\"");
    assert_eq!(canonical_header_value("value1\n  value2\n     value3"), "value1 value2 value3");
    assert_eq!(canonical_header_value("a\t\tb"), "a b");
    assert_eq!(canonical_header_value(""), "");
    let headers = CanonicalHeaders::new([("My-Header1", "value4"), ("host", "h"), ("my-header1", " value1 ")]);
    assert_eq!(headers.text(), "host:h\nmy-header1:value4,value1\n");
    assert_eq!(headers.signed_headers(), "host;my-header1");
}

#[test]
fn paths_under_both_rule_sets() {
    let default = SigningSettings::default();
    let s3 = SigningSettings::s3();
    assert_eq!(canonical_uri("/prod/a%20b", &default).unwrap(), "/prod/a%2520b");
    assert_eq!(canonical_uri("/example space/", &default).unwrap(), "/example%20space/");
    assert_eq!(canonical_uri("/a/../b//c", &default).unwrap(), "/b/c");
    assert_eq!(canonical_uri("/a/../b//c", &s3).unwrap(), "/a/../b//c");
    assert_eq!(canonical_uri("/test$file.text", &s3).unwrap(), "/test%24file.text");
    assert_eq!(canonical_uri("/a+b.txt", &s3).unwrap(), "/a%20b.txt");
    assert_eq!(canonical_uri("/a%2Bb.txt", &s3).unwrap(), "/a%2Bb.txt");
    // S3 reads %2F as a slash of the key, as aws4, aws4fetch and the SDKs sign it.
    assert_eq!(canonical_uri("/a%2fb", &s3).unwrap(), "/a/b");
    assert_eq!(canonical_uri("", &s3).unwrap(), "/");
    assert_eq!(canonical_uri("/100%", &s3).unwrap_err().code(), ErrorCode::InvalidUrl);
    assert_eq!(wire_path_from_unencoded("/my folder/a+b%.txt"), "/my%20folder/a%2Bb%25.txt");
}
