use std::collections::BTreeSet;

use sigv4::ErrorCode;

/// Codes only the npm package throws, never the core: `INTERNAL_ERROR` is js/src/api.js's,
/// for a call that failed inside the binary; `WEBASSEMBLY_UNAVAILABLE` js/src/load.js's, for a
/// build without a fallback in a runtime that refuses WebAssembly; `CREDENTIALS_REFRESH_FAILED`
/// js/src/credentials.js's, for a credentials provider that failed; `COGNITO_ERROR`
/// js/src/cognito.js's, for a call Cognito refused; `S3_ERROR` js/src/post-form.js's, for a
/// POST upload S3 refused; `STS_ERROR` js/src/sts.js's, for a call STS refused or answered with
/// what is not its XML; `OAUTH_ERROR` js/src/oauth.js's, for a token endpoint's refusal.
const JS_ONLY_CODES: &[&str] = &[
    "INTERNAL_ERROR",
    "WEBASSEMBLY_UNAVAILABLE",
    "CREDENTIALS_REFRESH_FAILED",
    "COGNITO_ERROR",
    "S3_ERROR",
    "STS_ERROR",
    "OAUTH_ERROR",
];

const INDEX_D_TS: &str = include_str!("../../js/src/index.d.ts");
const README: &str = include_str!("../../README.md");

/// The codes a document lists, each once: a code listed twice fails here.
fn listed(codes: Vec<&str>, document: &str) -> BTreeSet<String> {
    let mut set = BTreeSet::new();
    for code in codes {
        assert!(set.insert(code.to_owned()), "{document} lists {code} twice");
    }
    set
}

/// The `SigV4ErrorCode` union of js/src/index.d.ts.
fn index_d_ts_codes() -> BTreeSet<String> {
    let (_, union) = INDEX_D_TS.split_once("export type SigV4ErrorCode =").expect("index.d.ts declares SigV4ErrorCode");
    let (union, _) = union.split_once(';').expect("the union ends with ';'");
    let codes = union.split('|').map(|member| member.trim().trim_matches('\'')).filter(|code| !code.is_empty());
    listed(codes.collect(), "index.d.ts")
}

/// The first column of the README's error table (under `### Errors`): every `CODE` in
/// backquotes.
fn readme_codes() -> BTreeSet<String> {
    let (_, section) = README.split_once("### Errors\n").expect("the README has an Errors section");
    let table = section.lines().skip_while(|line| !line.starts_with('|')).take_while(|line| line.starts_with('|'));
    let first_column = table.skip(2).map(|row| row.split('|').nth(1).expect("a table row"));
    let codes = first_column.flat_map(|cell| cell.split('`').skip(1).step_by(2));
    listed(codes.collect(), "the README's error table")
}

/// Fails with the codes `document` lacks and those it has besides `expected`.
fn assert_lists_exactly(listed: BTreeSet<String>, expected: &BTreeSet<String>, document: &str) {
    let missing: Vec<&String> = expected.difference(&listed).collect();
    let extra: Vec<&String> = listed.difference(expected).collect();
    assert!(missing.is_empty() && extra.is_empty(), "{document} lacks {missing:?} and has besides {extra:?}");
}

#[test]
fn every_error_code_is_declared_in_index_d_ts_and_the_readme_and_nothing_else_is() {
    let core: BTreeSet<String> = ErrorCode::ALL.iter().map(|code| code.as_str().to_owned()).collect();
    assert_eq!(core.len(), ErrorCode::ALL.len(), "ErrorCode::ALL lists a code twice");
    let expected = core.into_iter().chain(JS_ONLY_CODES.iter().map(|code| (*code).to_owned())).collect();
    assert_lists_exactly(index_d_ts_codes(), &expected, "js/src/index.d.ts (SigV4ErrorCode)");
    assert_lists_exactly(readme_codes(), &expected, "README.md (the error table)");
}

#[test]
fn codes_are_screaming_snake_case_and_display_as_such() {
    for code in ErrorCode::ALL {
        let text = code.as_str();
        assert!(text.bytes().all(|b| b.is_ascii_uppercase() || b == b'_'), "{text}");
        assert_eq!(code.to_string(), text);
    }
}
