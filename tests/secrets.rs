//! No secret in the errors or the Debug output of the S3 uploads (src/chunked.rs,
//! src/post_policy.rs) and of Cognito (src/cognito/): the secret access key, the session token,
//! the signing key, the SRP exponent a, the password, the derived x, S and K (the HKDF key),
//! the client secret, and the tokens a JWT carries.

use sigv4::cognito::{PasswordVerifier, SrpClient, decode_jwt, pkce_challenge, timestamp};
use sigv4::{
    AmzDateTime, ChecksumAlgorithm, ChunkedMode, ChunkedUpload, Credentials, Payload, PostPolicy, Request,
    SigningParams, SigningSettings, presign_post, sign_chunked, signing_key,
};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "SessionTokenSecretAQoDYXdzEPT//////////wEXAMPLE";
const PASSWORD: &str = "Password-Hunter2-Secret";
const RANDOM: [u8; 16] = *b"SRPexponentBYTES";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Fails with the text when it shows one of the secrets, in any case.
fn assert_hides(text: &str, secrets: &[&str]) {
    let lower = text.to_ascii_lowercase();
    for secret in secrets {
        assert!(!lower.contains(&secret.to_ascii_lowercase()), "shows {secret:?}: {text}");
    }
}

fn params<'a>(credentials: &'a Credentials, settings: &'a SigningSettings, region: &'a str) -> SigningParams<'a> {
    let time = AmzDateTime::parse("20130524T000000Z").unwrap();
    SigningParams { credentials, region, service: "s3", time, settings }
}

#[test]
fn chunked_uploads_never_show_the_secret_the_token_or_the_signing_key() {
    let credentials = Credentials::new("AKIDEXAMPLE", SECRET).with_session_token(TOKEN);
    let settings = SigningSettings::s3();
    let key = signing_key(SECRET, "20130524", "us-east-1", "s3").to_hex();
    let request = Request::new("PUT", "https://examplebucket.s3.amazonaws.com/chunkObject.txt");
    let mut upload = ChunkedUpload::new(ChunkedMode::SignedWithTrailer, 66_560);
    upload.checksum = Some(ChecksumAlgorithm::Crc32c);
    let (signed, mut encoder) = sign_chunked(&request, &params(&credentials, &settings, "us-east-1"), upload).unwrap();
    let mut out = Vec::new();
    encoder.write(&[b'a'; 70_000], &mut out).unwrap_err();
    let errors = [
        encoder.write(&[b'a'; 70_000], &mut out).unwrap_err(),
        encoder.finish(&mut out).unwrap_err(),
        sign_chunked(&request, &params(&credentials, &settings, "us east 1"), upload).unwrap_err(),
        sign_chunked(
            &request.clone().payload(Payload::Bytes(b"body")),
            &params(&credentials, &settings, "us-east-1"),
            upload,
        )
        .unwrap_err(),
        sign_chunked(
            &request,
            &params(&credentials, &settings, "us-east-1"),
            ChunkedUpload { chunk_size: 1, ..upload },
        )
        .unwrap_err(),
    ];
    let printed = format!("{signed:?}\n{encoder:?}\n{errors:?}");
    assert!(printed.contains("ChunkedEncoder") && printed.contains("InvalidChunkSize"), "{printed}");
    assert_hides(&printed, &[SECRET, TOKEN, &key]);
    for error in errors {
        assert_hides(&error.to_string(), &[SECRET, TOKEN, &key]);
    }
}

#[test]
fn presigned_posts_never_show_the_secret_or_the_token() {
    let credentials = Credentials::new("AKIDEXAMPLE", SECRET).with_session_token(TOKEN);
    let settings = SigningSettings::s3();
    let policy = PostPolicy { bucket: "b", key: "user/${filename}", expires_in: 3600, ..PostPolicy::default() };
    let post = presign_post(&policy, &params(&credentials, &settings, "us-east-1")).unwrap();
    // The form carries the token, in a field and in the policy, as S3 needs it.
    assert!(post.fields.iter().any(|(name, value)| name == "x-amz-security-token" && value == TOKEN));
    assert!(post.policy.contains(TOKEN));
    let printed = format!("{post:?}");
    assert!(printed.contains("x-amz-security-token") && printed.contains(&post.signature), "{printed}");
    assert_hides(&printed, &[SECRET, TOKEN, &post.string_to_sign[..120]]);

    // Without a token, the whole form shows.
    let plain = Credentials::new("AKIDEXAMPLE", SECRET);
    let post = presign_post(&policy, &params(&plain, &settings, "us-east-1")).unwrap();
    let printed = format!("{post:?}");
    assert!(printed.contains(&post.string_to_sign) && printed.contains("user/"), "{printed}");
    assert_hides(&printed, &[SECRET]);

    for bad in [
        PostPolicy { expires_in: 0, ..policy.clone() },
        PostPolicy { bucket: "", ..policy.clone() },
        PostPolicy { fields: vec![("x-amz-security-token", TOKEN)], ..policy.clone() },
    ] {
        let error = presign_post(&bad, &params(&credentials, &settings, "us-east-1")).unwrap_err();
        assert_hides(&format!("{error} {error:?}"), &[SECRET, TOKEN]);
    }
}

#[test]
fn srp_never_shows_a_the_password_or_the_session_key() {
    let client = SrpClient::new(&RANDOM).unwrap();
    let a = hex(&RANDOM);
    let printed = format!("{client:?}");
    assert!(printed.contains(&client.srp_a()), "{printed}");
    assert_hides(&printed, &[&a, "SRPexponent"]);

    let good = PasswordVerifier {
        user_id_for_srp: "user",
        srp_b: "abcdef0123456789",
        salt: "0123",
        secret_block: "c2VjcmV0IGJsb2Nr",
    };
    let claim = client.password_claim("us-east-1_Pool", PASSWORD, &good, "Tue Jan 1 06:06:09 UTC 2019").unwrap();
    let key = hex(&claim.hkdf_key);
    let printed = format!("{claim:?}");
    assert!(printed.contains(&claim.signature), "{printed}");
    assert_hides(&printed, &[&key, &format!("{:?}", claim.hkdf_key)[1..20], PASSWORD]);

    for (pool, challenge) in [
        ("nopool", good),
        ("us-east-1_Pool", PasswordVerifier { srp_b: "", ..good }),
        ("us-east-1_Pool", PasswordVerifier { srp_b: "0", ..good }),
        ("us-east-1_Pool", PasswordVerifier { srp_b: PASSWORD, ..good }),
        ("us-east-1_Pool", PasswordVerifier { salt: "xyz", ..good }),
        ("us-east-1_Pool", PasswordVerifier { secret_block: "!!", ..good }),
    ] {
        let error = client.password_claim(pool, PASSWORD, &challenge, "t").unwrap_err();
        assert_hides(&format!("{error} {error:?}"), &[PASSWORD, &a, &key]);
    }
    let error = SrpClient::new(&[0; 8]).unwrap_err();
    assert_hides(&format!("{error} {error:?}"), &["0000000000000000"]);
}

#[test]
fn jwt_and_pkce_errors_never_show_the_token_or_the_verifier() {
    let b64 = |text: &str| {
        const URL_SAFE: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let mut out = String::new();
        for chunk in text.as_bytes().chunks(3) {
            let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
            (0..=chunk.len()).for_each(|i| out.push(char::from(URL_SAFE[(n >> (18 - 6 * i) & 63) as usize])));
        }
        out
    };
    let header = b64(r#"{"alg":"RS256"}"#);
    let signature = "SignatureOfTheRefreshTokenSecret";
    for token in [
        format!("{header}.{}.{signature}", b64(r#"{"exp":"SecretClaimValue"}"#)),
        format!("{header}.{}.{signature}", b64(r#"{"sub":"SecretClaimValue""#)),
        format!("{header}.SecretClaimValue!.{signature}"),
        format!("{header}.{}.{signature}.SecretClaimValue", b64("{}")),
        format!("SecretClaimValue.{signature}"),
    ] {
        let error = decode_jwt(&token).unwrap_err();
        assert_hides(&format!("{error} {error:?}"), &["SecretClaimValue", signature, &header]);
    }
    let verifier = "SecretVerifier!SecretVerifier!SecretVerifier!";
    let error = pkce_challenge(verifier).unwrap_err();
    assert_hides(&format!("{error} {error:?}"), &["SecretVerifier"]);
    assert!(timestamp(-1).is_err());
}
