//! Feeds arbitrary input to the Cognito client math: SRP exponents and PASSWORD_VERIFIER
//! challenges (SRP_B, SALT, SECRET_BLOCK), SECRET_HASH, TIMESTAMP, PKCE verifiers and JWTs.
//! Nothing may panic; what succeeds has the shape Cognito expects, and a JWT built from a
//! header and payload decodes back to them.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigv4::cognito::{
    PasswordVerifier, SrpClient, SrpStep, decode_jwt, password_claim_step, pkce_challenge, pkce_verifier, pool_name,
    secret_hash, timestamp,
};

/// Splits the input into text fields at 0xFF bytes (never valid UTF-8, so never inside one).
fn fields(data: &[u8]) -> Vec<String> {
    data.split(|b| *b == 0xff).map(|f| String::from_utf8_lossy(f).into_owned()).collect()
}

fn base64url(bytes: &[u8]) -> String {
    const URL_SAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(char::from(URL_SAFE[(n >> (18 - 6 * i) & 63) as usize]));
        }
    }
    out
}

/// N itself, in hex: SRP_B = x·16^k + N reaches B mod N.
fn super_n() -> &'static str {
    sigv4::cognito::N_HEX
}

fn number(bytes: &[u8]) -> i64 {
    let mut n = [0u8; 8];
    let len = bytes.len().min(8);
    n[..len].copy_from_slice(&bytes[..len]);
    i64::from_le_bytes(n)
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    match selector % 4 {
        0 => {
            // SRP: the exponent (short: every exponentiation is 3072-bit), then the challenge,
            // as it comes or (mostly) well formed from the bytes given, so that the claim is
            // reached.
            let Some((&shape, rest)) = rest.split_first() else { return };
            let (random, rest) = rest.split_at(rest.len().min(usize::from(selector >> 2)));
            let f = fields(rest);
            let field = |i: usize| f.get(i).map(String::as_str).unwrap_or("");
            let Ok(client) = SrpClient::new(random) else { return };
            let a = client.srp_a();
            assert!(!a.is_empty() && a.len() <= 768 && a.bytes().all(|b| b.is_ascii_hexdigit()), "{a}");
            let hex = |i: usize| field(i).bytes().map(|b| format!("{b:02x}")).collect::<String>();
            let (pool, srp_b, salt, block) = if shape & 1 != 0 {
                (field(0).to_owned(), field(3).to_owned(), field(4).to_owned(), field(5).to_owned())
            } else {
                let pool = format!("us-east-1_{}", field(0).replace(|c: char| !c.is_ascii_alphanumeric(), "x"));
                let srp_b = if shape & 2 != 0 { hex(3) } else { format!("{}{}", hex(3), super_n()) };
                let block: String =
                    field(5).chars().filter(|c| c.is_ascii_alphanumeric() || *c == '+' || *c == '/').collect();
                (pool, srp_b, hex(4), block)
            };
            let challenge =
                PasswordVerifier { user_id_for_srp: field(2), srp_b: &srp_b, salt: &salt, secret_block: &block };
            if let Ok(claim) = client.password_claim(&pool, field(1), &challenge, field(6)) {
                assert_eq!(claim.signature.len(), 44);
                assert!(pool_name(&pool).is_ok());
            }
            // The same claim with the host exponentiating, its answers from the input (as it
            // comes, or hex of it: mostly in [1, N)), SRP_A given or asked for: at most three
            // exponentiations, g^a first when asked, and a claim has the same shape.
            let answers: Vec<String> =
                (7..f.len().max(7)).map(|i| if shape & 4 != 0 { hex(i) } else { field(i).to_owned() }).collect();
            let srp_a = (shape & 8 != 0).then_some(a.as_str());
            for given in 0..=answers.len().min(4) {
                let refs: Vec<&str> = answers[..given].iter().map(String::as_str).collect();
                match password_claim_step(random, srp_a, &pool, field(1), &challenge, field(6), &refs) {
                    Ok(SrpStep::Done(claim)) => assert_eq!(claim.signature.len(), 44),
                    Ok(SrpStep::ModPow(pow)) => {
                        assert!(given < 3, "a fourth exponentiation asked");
                        if given == 0 && srp_a.is_none() {
                            assert_eq!(pow.base.to_str_radix(16), "2", "g^a first");
                        }
                    }
                    Err(_) => {}
                }
            }
        }
        1 => {
            // A JWT as it comes, and one built from a header and a payload.
            let f = fields(rest);
            let field = |i: usize| f.get(i).map(String::as_str).unwrap_or("");
            let now = number(field(3).as_bytes());
            let tolerance = number(field(4).as_bytes());
            if let Ok(jwt) = decode_jwt(field(0)) {
                let _ = (jwt.is_expired(now, tolerance), jwt.string_claim(field(1)));
            }
            let token = [base64url(field(1).as_bytes()), base64url(field(2).as_bytes()), base64url(b"sig")].join(".");
            if let Ok(jwt) = decode_jwt(&token) {
                assert_eq!((jwt.header.as_str(), jwt.payload.as_str()), (field(1), field(2)));
                let _ = (jwt.is_expired(now, tolerance), jwt.string_claim(field(0)));
            }
        }
        2 => {
            let f = fields(rest);
            let field = |i: usize| f.get(i).map(String::as_str).unwrap_or("");
            assert_eq!(secret_hash(field(0), field(1), field(2)).len(), 44);
            if let Ok(challenge) = pkce_challenge(field(3)) {
                assert_eq!(challenge.len(), 43);
            }
            if let Ok(verifier) = pkce_verifier(field(4).as_bytes()) {
                assert!(pkce_challenge(&verifier).is_ok(), "a verifier it made is refused: {verifier}");
            }
            if let Ok(name) = pool_name(field(5)) {
                assert!(!name.is_empty());
            }
        }
        _ => {
            let ms = number(rest);
            if let Ok(text) = timestamp(ms) {
                assert!(text.ends_with(&format!("UTC {}", &text[text.len() - 4..])), "{text}");
            }
        }
    }
});
