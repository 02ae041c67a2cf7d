//! Cognito user pools, the client's math (src/cognito/), against the vectors of the notes on
//! Cognito (tests/vectors/cognito/srp.json, copied from /work/shared/notes/cognito.md §4, each
//! re-computed there with amazon-cognito-identity-js 6.3.21 and an independent Python
//! implementation): USER_SRP_AUTH (SRP_A, the HKDF key and PASSWORD_CLAIM_SIGNATURE), SECRET_HASH,
//! TIMESTAMP, PKCE S256 (RFC 7636 Appendix B), and JWT decoding.

use num_bigint::BigUint;
use serde_json::Value;
use sha2::{Digest, Sha256};
use sigv4::ErrorCode;
use sigv4::cognito::{
    ModPow, N_HEX, PasswordClaim, PasswordVerifier, SrpClient, SrpStep, decode_jwt, multiplier, pad,
    password_claim_step, pkce_challenge, pkce_verifier, pool_name, secret_hash, srp_a_step, timestamp,
};

fn vectors() -> Value {
    serde_json::from_str(include_str!("vectors/cognito/srp.json")).expect("the vectors are JSON")
}

fn s<'a>(value: &'a Value, key: &str) -> &'a str {
    value[key].as_str().unwrap_or_else(|| panic!("{key} is a string"))
}

fn hex_bytes(hex: &str) -> Vec<u8> {
    let hex = if hex.len() % 2 == 1 { format!("0{hex}") } else { hex.to_owned() };
    (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The notes' `det(label, n)`: SHA256("label:0") ‖ SHA256("label:1") ‖ ..., truncated.
fn det(label: &str, n: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while out.len() < n {
        out.extend_from_slice(&Sha256::digest(format!("{label}:{i}").as_bytes()));
        i += 1;
    }
    out.truncate(n);
    out
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            out.push(if i <= chunk.len() { ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char } else { '=' });
        }
    }
    out
}

fn n() -> BigUint {
    BigUint::parse_bytes(N_HEX.as_bytes(), 16).unwrap()
}

#[allow(clippy::too_many_arguments)] // the challenge's fields, as the vectors list them
fn claim(
    client: &SrpClient,
    pool: &str,
    user: &str,
    password: &str,
    b: &str,
    salt: &str,
    block: &str,
    ts: &str,
) -> (String, String) {
    let challenge = PasswordVerifier { user_id_for_srp: user, srp_b: b, salt, secret_block: block };
    let claim = client.password_claim(pool, password, &challenge, ts).expect("the vector signs");
    (hex(&claim.hkdf_key), claim.signature)
}

/// [`claim`] on a vector's challenge.
fn vector_claim(client: &SrpClient, case: &Value) -> (String, String) {
    let claim = client
        .password_claim(s(case, "userPoolId"), s(case, "password"), &vector_challenge(case), s(case, "timestamp"))
        .expect("the vector signs");
    (hex(&claim.hkdf_key), claim.signature)
}

#[test]
fn multiplier_and_padding_are_cognitos() {
    assert_eq!(multiplier().to_str_radix(16), s(&vectors(), "k"));
    assert_eq!(pad(&BigUint::from(0u8)), [0]);
    assert_eq!(pad(&BigUint::from(0x7fu8)), [0x7f]);
    assert_eq!(pad(&BigUint::from(0x80u8)), [0, 0x80]);
    assert_eq!(pad(&BigUint::from(0x0100u16)), [1, 0]);
    assert_eq!(pad(&n()).len(), 385);
}

#[test]
fn published_vectors_a_to_d() {
    let vectors = vectors();
    let cases = vectors["srp"].as_array().unwrap();
    assert_eq!(cases.len(), 5);
    for case in cases {
        let name = s(case, "name");
        let client = SrpClient::new(&hex_bytes(s(case, "a"))).unwrap();
        let srp_a = client.srp_a();
        if let Some(a) = case["srpA"].as_str() {
            assert_eq!(srp_a, a, "{name}: SRP_A");
        }
        if let Some(prefix) = case["srpAPrefix"].as_str() {
            assert!(srp_a.starts_with(prefix), "{name}: SRP_A starts {prefix}");
        }
        if let Some(suffix) = case["srpASuffix"].as_str() {
            assert!(srp_a.ends_with(suffix), "{name}: SRP_A ends {suffix}");
        }
        let got = vector_claim(&client, case);
        assert_eq!(got, (s(case, "hkdfKey").to_owned(), s(case, "signature").to_owned()), "{name}");
    }
}

/// Drives a `*_step` state machine as a host would: each exponentiation asked is answered by
/// `answer` (hex), in order. Returns the value and the exponentiations asked.
fn drive<T>(
    mut step: impl FnMut(&[&str]) -> sigv4::Result<SrpStep<T>>,
    mut answer: impl FnMut(&ModPow) -> String,
) -> sigv4::Result<(T, Vec<ModPow>)> {
    let mut answers: Vec<String> = Vec::new();
    let mut asked = Vec::new();
    loop {
        let refs: Vec<&str> = answers.iter().map(String::as_str).collect();
        match step(&refs)? {
            SrpStep::Done(value) => return Ok((value, asked)),
            SrpStep::ModPow(pow) => {
                answers.push(answer(&pow));
                asked.push(pow);
                assert!(asked.len() <= 3, "a sign-in needs at most three exponentiations");
            }
        }
    }
}

fn host_pow(pow: &ModPow) -> String {
    pow.base.modpow(&pow.exponent, &n()).to_str_radix(16)
}

fn vector_challenge(case: &Value) -> PasswordVerifier<'_> {
    PasswordVerifier {
        user_id_for_srp: s(case, "userIdForSrp"),
        srp_b: s(case, "srpB"),
        salt: s(case, "salt"),
        secret_block: s(case, "secretBlock"),
    }
}

/// The claim of a vector with the host exponentiating, with SRP_A given (None: asked for).
fn step_claim(
    case: &Value,
    srp_a: Option<&str>,
    answer: impl FnMut(&ModPow) -> String,
) -> sigv4::Result<(PasswordClaim, Vec<ModPow>)> {
    let a = hex_bytes(s(case, "a"));
    let challenge = vector_challenge(case);
    drive(
        |answers| {
            password_claim_step(
                &a,
                srp_a,
                s(case, "userPoolId"),
                s(case, "password"),
                &challenge,
                s(case, "timestamp"),
                answers,
            )
        },
        answer,
    )
}

#[test]
fn vectors_with_the_host_exponentiating_and_g_a_once() {
    let vectors = vectors();
    for case in vectors["srp"].as_array().unwrap() {
        let name = s(case, "name");
        let a = hex_bytes(s(case, "a"));
        let (srp_a, asked) = drive(|answers| srp_a_step(&a, answers), host_pow).unwrap();
        assert_eq!(srp_a, SrpClient::new(&a).unwrap().srp_a(), "{name}: SRP_A");
        assert_eq!(asked.len(), 1, "{name}: g^a");
        assert_eq!(asked[0].base, BigUint::from(2u8), "{name}: g^a's base");
        let expected = (s(case, "hkdfKey").to_owned(), s(case, "signature").to_owned());
        // SRP_A carried from the first step: g^x and S only, g^a not again.
        let (got, asked) = step_claim(case, Some(&srp_a), host_pow).unwrap();
        assert_eq!((hex(&got.hkdf_key), got.signature), expected, "{name}");
        assert_eq!(asked.len(), 2, "{name}: g^x and S");
        assert_eq!(asked[0].base, BigUint::from(2u8), "{name}: g^x's base");
        assert!(asked[1].exponent.bits() > 300, "{name}: S's exponent a + u·x (u·x alone: about 512 bits)");
        // Without SRP_A: g^a first, then the same.
        let (got, asked) = step_claim(case, None, host_pow).unwrap();
        assert_eq!((hex(&got.hkdf_key), got.signature), expected, "{name}");
        assert_eq!(asked.len(), 3, "{name}: g^a, g^x and S");
        // SRP_A carried into the num-bigint path: the same claim, g^a not recomputed.
        let client = SrpClient::with_srp_a(&a, &srp_a).unwrap();
        let got = vector_claim(&client, case);
        assert_eq!(got, expected, "{name}: with_srp_a");
    }
}

#[test]
fn host_answers_out_of_range_or_not_hex_are_srp_errors() {
    let vectors = vectors();
    let case = &vectors["srp"][1];
    let n_hex = N_HEX.to_ascii_lowercase();
    let n_plus_one = (n() + 1u8).to_str_radix(16);
    for (which, bad) in [
        (0, "0"),
        (0, "00"),
        (1, n_hex.as_str()),
        (2, n_plus_one.as_str()),
        (1, "zz"),
        (2, ""),
        (0, "0x2"),
        (1, "undefined"),
    ] {
        let mut count = 0;
        let error = step_claim(case, None, |pow| {
            count += 1;
            if count - 1 == which { bad.to_owned() } else { host_pow(pow) }
        })
        .unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidSrpParameter, "answer {which} = {bad:?}");
        assert!(error.message().contains(&format!("modPow answer {}", which + 1)), "{}", error.message());
        assert!(!error.message().contains(s(case, "password")));
    }
    // Leading zeros and upper case are hex like any other.
    let (claim, _) = step_claim(case, None, |pow| format!("000{}", host_pow(pow).to_ascii_uppercase())).unwrap();
    assert_eq!(claim.signature, s(case, "signature"));
    // An answer in range but wrong is not detectable here: a signature Cognito refuses.
    let (claim, _) =
        step_claim(case, None, |pow| (pow.base.modpow(&pow.exponent, &n()) + 1u8).to_str_radix(16)).unwrap();
    assert_ne!(claim.signature, s(case, "signature"));
    // More answers than asked.
    let a = hex_bytes(s(case, "a"));
    let extra = srp_a_step(&a, &["2", "4"]).unwrap_err();
    assert_eq!(extra.code(), ErrorCode::InvalidSrpParameter);
    // A bad SRP_A given back.
    for bad in ["0", n_hex.as_str(), "xyz"] {
        assert_eq!(step_claim(case, Some(bad), host_pow).unwrap_err().code(), ErrorCode::InvalidSrpParameter, "{bad}");
        assert_eq!(SrpClient::with_srp_a(&a, bad).unwrap_err().code(), ErrorCode::InvalidSrpParameter, "{bad}");
    }
    assert_eq!(srp_a_step(&[0; 128], &[]).unwrap_err().code(), ErrorCode::InvalidSrpParameter);
}

#[test]
fn an_exponentiation_request_does_not_print_its_exponent() {
    let a = [0xab; 128];
    let SrpStep::ModPow(pow) = srp_a_step(&a, &[]).unwrap() else { panic!("g^a is asked first") };
    assert_eq!(pow.exponent, BigUint::from_bytes_be(&a));
    let printed = format!("{pow:?}");
    assert_eq!(printed, r#"ModPow { base: "** redacted **", exponent: "** redacted **" }"#);
}

#[test]
fn generated_vectors_v1_to_v3() {
    let vectors = vectors();
    for case in vectors["generated"]["V"].as_array().unwrap() {
        let name = s(case, "name");
        let a = det(&format!("{name}/a"), 128);
        let mut salt = det(&format!("{name}/salt"), 16);
        if case["saltTopBit"].as_bool().unwrap() {
            salt[0] |= 0x80;
        } else {
            salt[0] &= 0x7f;
        }
        let b = BigUint::from_bytes_be(&det(&format!("{name}/B"), 384)) % n();
        let secret = base64(&det(&format!("{name}/secret"), 1000));
        let client = SrpClient::new(&a).unwrap();
        let got = claim(
            &client,
            s(case, "userPoolId"),
            s(case, "userIdForSrp"),
            s(case, "password"),
            &b.to_str_radix(16),
            &hex(&salt),
            &secret,
            s(case, "timestamp"),
        );
        assert_eq!(got, (s(case, "hkdfKey").to_owned(), s(case, "signature").to_owned()), "{name}");
    }
}

/// The E vectors: a server-consistent B = k·v + g^b, so the client's S equals the server's
/// (A·v^u)^b, and SRP_A of odd length, S of odd length, u shorter than 32 bytes.
#[test]
fn generated_vectors_e1_to_e3_with_a_server_consistent_b() {
    let vectors = vectors();
    let e = &vectors["generated"]["E"];
    let (pool, user, password) = (s(e, "userPoolId"), s(e, "userIdForSrp"), s(e, "password"));
    let secret = base64(&det("edge/secret", 512));
    let salt = det("edge/salt", 16);
    let small_b = BigUint::from_bytes_be(&det("edge/b", 32));
    let inner = Sha256::digest(format!("EdgeCase1{user}:{password}").as_bytes());
    let x = BigUint::from_bytes_be(
        &Sha256::new().chain_update(pad(&BigUint::from_bytes_be(&salt))).chain_update(inner).finalize(),
    );
    let g = BigUint::from(2u8);
    let v = g.modpow(&x, &n());
    let b = (multiplier() * &v + g.modpow(&small_b, &n())) % n();
    for case in e["cases"].as_array().unwrap() {
        let name = s(case, "name");
        let i = case["i"].as_u64().unwrap();
        let client = SrpClient::new(&det(&format!("edge/a/{i}"), 128)).unwrap();
        assert_eq!(client.srp_a().len() as u64, case["srpALength"].as_u64().unwrap(), "{name}: SRP_A as acij sends it");
        let got = claim(&client, pool, user, password, &b.to_str_radix(16), &hex(&salt), &secret, s(e, "timestamp"));
        assert_eq!(got, (s(case, "hkdfKey").to_owned(), s(case, "signature").to_owned()), "{name}");
    }
}

#[test]
fn the_signature_covers_every_input() {
    let vectors = vectors();
    let case = &vectors["srp"][4];
    let client = SrpClient::new(&hex_bytes(s(case, "a"))).unwrap();
    let base =
        [s(case, "userIdForSrp"), s(case, "srpB"), s(case, "salt"), s(case, "secretBlock"), s(case, "timestamp")];
    let sign = |values: [&str; 5], password: &str, pool: &str| {
        claim(&client, pool, values[0], password, values[1], values[2], values[3], values[4]).1
    };
    let expected = sign(base, s(case, "password"), s(case, "userPoolId"));
    assert_eq!(expected, s(case, "signature"));
    assert_ne!(sign(base, "Qwerty1?", s(case, "userPoolId")), expected);
    assert_ne!(sign(base, s(case, "password"), "eu-west-2_eYpv1mFHC"), expected);
    let other_b = format!("{}1", &base[1][..767]);
    for (i, changed) in [
        "a2c2e290-6d0f-4a08-a5ca-f0162935f3a7",
        &other_b,
        "baf4431cdaa37c04c0d655a99f5e9b9c",
        "AAAA",
        "Tue Feb 1 03:04:06 UTC 2000",
    ]
    .iter()
    .enumerate()
    {
        let mut values = base;
        values[i] = changed;
        assert_ne!(sign(values, s(case, "password"), s(case, "userPoolId")), expected, "input {i}");
    }
}

#[test]
fn bad_challenges_are_typed_errors() {
    let client = SrpClient::new(&[7; 128]).unwrap();
    let n_hex = N_HEX.to_ascii_lowercase();
    let two_n = (n() * 2u8).to_str_radix(16);
    let cases: [(&str, &str, &str, &str, ErrorCode); 8] = [
        ("us-east-1_Pool", "zz", "01", "AAAA", ErrorCode::InvalidSrpParameter),
        ("us-east-1_Pool", "", "01", "AAAA", ErrorCode::InvalidSrpParameter),
        ("us-east-1_Pool", "01", "0x1", "AAAA", ErrorCode::InvalidSrpParameter),
        ("us-east-1_Pool", &n_hex, "01", "AAAA", ErrorCode::InvalidSrpParameter),
        ("us-east-1_Pool", &two_n, "01", "AAAA", ErrorCode::InvalidSrpParameter),
        ("us-east-1_Pool", "01", "01", "AA!A", ErrorCode::InvalidSecretBlock),
        ("us-east-1Pool", "01", "01", "AAAA", ErrorCode::InvalidUserPoolId),
        ("us-east-1_", "01", "01", "AAAA", ErrorCode::InvalidUserPoolId),
    ];
    for (pool, b, salt, block, code) in cases {
        let challenge = PasswordVerifier { user_id_for_srp: "u", srp_b: b, salt, secret_block: block };
        let error = client.password_claim(pool, "secret-password", &challenge, "t").unwrap_err();
        assert_eq!(error.code(), code, "{pool} {b} {salt} {block}");
        assert!(!error.message().contains("secret-password"));
    }
    let long = "1".repeat(1537);
    let challenge = PasswordVerifier { user_id_for_srp: "u", srp_b: &long, salt: "01", secret_block: "" };
    assert_eq!(
        client.password_claim("us-east-1_Pool", "p", &challenge, "t").unwrap_err().code(),
        ErrorCode::InvalidSrpParameter
    );
    // B = k·g^x mod N makes the base of S zero (and S = 0): refused, not exponentiated.
    let inner = Sha256::digest(b"Poolu:p");
    let x = BigUint::from_bytes_be(&Sha256::new().chain_update([1u8]).chain_update(inner).finalize());
    let b = (multiplier() * BigUint::from(2u8).modpow(&x, &n())) % n();
    let challenge =
        PasswordVerifier { user_id_for_srp: "u", srp_b: &b.to_str_radix(16), salt: "01", secret_block: "AAAA" };
    let error = client.password_claim("us-east-1_Pool", "p", &challenge, "t").unwrap_err();
    assert_eq!(
        (error.code(), error.message()),
        (ErrorCode::InvalidSrpParameter, "SRP_B equals k·g^x mod N: the challenge is invalid (S would be 0)")
    );
    let other = PasswordVerifier { srp_b: "02", ..challenge };
    assert!(client.password_claim("us-east-1_Pool", "p", &other, "t").is_ok(), "the same inputs with another B sign");
    assert_eq!(SrpClient::new(&[]).unwrap_err().code(), ErrorCode::InvalidSrpParameter);
    assert_eq!(SrpClient::new(&[0; 128]).unwrap_err().code(), ErrorCode::InvalidSrpParameter);
    assert_eq!(pool_name("us-east-1_AbCdEfGhI").unwrap(), "AbCdEfGhI");
    assert_eq!(pool_name("a_b_c").unwrap_err().code(), ErrorCode::InvalidUserPoolId);
}

#[test]
fn secret_hash_vectors() {
    for case in vectors()["secretHash"].as_array().unwrap() {
        assert_eq!(
            secret_hash(s(case, "clientSecret"), s(case, "username"), s(case, "clientId")),
            s(case, "secretHash")
        );
    }
}

#[test]
fn timestamp_vectors_and_range() {
    for case in vectors()["timestamp"].as_array().unwrap() {
        assert_eq!(timestamp(case[0].as_i64().unwrap()).unwrap(), case[1].as_str().unwrap());
    }
    // Milliseconds are dropped, not rounded; the day has no leading zero; 24-hour clock.
    assert_eq!(timestamp(1_546_322_769_999).unwrap(), "Tue Jan 1 06:06:09 UTC 2019");
    assert_eq!(timestamp(1_741_504_089_000).unwrap(), "Sun Mar 9 07:08:09 UTC 2025");
    assert_eq!(timestamp(1_531_220_460_000 + 4 * 3600 * 1000).unwrap(), "Tue Jul 10 15:01:00 UTC 2018");
    assert_eq!(timestamp(-1).unwrap_err().code(), ErrorCode::InvalidDate);
    assert_eq!(timestamp(253_402_300_800_000).unwrap_err().code(), ErrorCode::InvalidDate);
}

#[test]
fn pkce_rfc7636_appendix_b() {
    let pkce = &vectors()["pkce"];
    let random: Vec<u8> = pkce["randomBytes"].as_array().unwrap().iter().map(|b| b.as_u64().unwrap() as u8).collect();
    assert_eq!(pkce_verifier(&random).unwrap(), s(pkce, "codeVerifier"));
    assert_eq!(pkce_challenge(s(pkce, "codeVerifier")).unwrap(), s(pkce, "codeChallenge"));
    for bad in ["short", &"a".repeat(129), &format!("{}+", "a".repeat(43))] {
        assert_eq!(pkce_challenge(bad).unwrap_err().code(), ErrorCode::InvalidCodeVerifier, "{bad}");
    }
    assert_eq!(pkce_verifier(&[1; 31]).unwrap_err().code(), ErrorCode::InvalidCodeVerifier);
}

fn b64url(text: &str) -> String {
    base64(text.as_bytes()).trim_end_matches('=').replace('+', "-").replace('/', "_")
}

#[test]
fn jwt_decoding_and_expiry() {
    let payload = r#"{"sub":"aaaa","iss":"https:\/\/cognito-idp.us-east-1.amazonaws.com\/us-east-1_AbCdEfGhI","token_use":"id","cognito:groups":["a",{"b":[1,2.5e3,null]}],"name":"bj\u00f6rn \ud83d\ude00","exp":1700003600,"iat":1700000000.5,"auth_time":1700000000}"#;
    let token = format!("{}.{}.c2ln", b64url(r#"{"kid":"k1","alg":"RS256"}"#), b64url(payload));
    let jwt = decode_jwt(&token).unwrap();
    assert_eq!(jwt.header, r#"{"kid":"k1","alg":"RS256"}"#);
    assert_eq!(jwt.payload, payload);
    assert_eq!((jwt.exp, jwt.iat), (Some(1_700_003_600), Some(1_700_000_000)));
    assert_eq!(jwt.string_claim("iss").unwrap(), "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEfGhI");
    assert_eq!(jwt.string_claim("token_use").unwrap(), "id");
    assert_eq!(jwt.string_claim("name").unwrap(), "björn 😀");
    assert_eq!(jwt.string_claim("exp"), None);
    assert_eq!(jwt.string_claim("missing"), None);
    assert!(!jwt.is_expired(1_700_003_594_999, 5000));
    assert!(jwt.is_expired(1_700_003_595_000, 5000));
    assert!(jwt.is_expired(1_700_003_600_000, 0));
    let no_exp = decode_jwt(&format!("{}.{}.", b64url("{}"), b64url(r#"{"sub":"x"}"#))).unwrap();
    assert!(!no_exp.is_expired(i64::MAX, 0));
    for bad in [
        "a.b".to_owned(),
        "a.b.c.d".to_owned(),
        format!("{}.{}.x", b64url("{}"), "!!"),
        format!("{}.{}.x", b64url("[]"), b64url("{}")),
        format!("{}.{}.x", b64url("{}"), b64url(r#"{"exp":"soon"}"#)),
        format!("{}.{}.x", b64url("{}"), b64url(r#"{"a":1,}"#)),
        format!("{}.{}.x", b64url("{}"), b64url(r#"{"a":"\x"}"#)),
        format!("{}.{}.x", b64url("{}"), b64url(r#"{"a":"\u+041"}"#)), // a sign is no hex digit
        format!("{}.{}.x", b64url("{}"), b64url(&format!("{}{}", "[".repeat(100), "]".repeat(100)))),
        format!("{}.{}.x", b64url("{}"), b64url(&format!("{{\"a\":{}1{}}}", "[".repeat(100), "]".repeat(100)))),
        "x".repeat(70_000),
    ] {
        assert_eq!(decode_jwt(&bad).unwrap_err().code(), ErrorCode::InvalidJwt, "{bad:.80}");
    }
}
