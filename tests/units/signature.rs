use sigv4::*;

/// The worked example of the AWS General Reference (`vectors/general/iam-listusers.json`).
#[test]
fn derives_the_documented_signing_key() {
    let d = signing_key_derivation("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830", "us-east-1", "iam");
    assert_eq!(d.k_signing.to_hex(), "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
    assert_eq!(format!("{d:?}").matches("redacted").count(), 4);
    assert!(!format!("{d:?}").contains("c4afb1cc"));
}

#[test]
fn hashes_and_compares() {
    assert_eq!(sha256_hex(b""), EMPTY_PAYLOAD_SHA256);
    assert_eq!(
        lower_hex(&hmac_sha256(b"key", b"The quick brown fox jumps over the lazy dog")),
        "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"
    );
}

#[test]
fn a_signing_keys_mac_is_hmac_sha256_at_every_length() {
    // Every length from empty to three blocks: the padding takes one block or two (at 56 bytes
    // of the last), whichever way the build computes the MAC (the feature `speed`: from the
    // key's two HMAC states, kept; otherwise `Hmac<Sha256>`), and a key taken from the cache
    // signs as one derived.
    let key = signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830", "us-east-1", "iam");
    let mut cache = SigningKeyCache::default();
    cache.signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830", "us-east-1", "iam");
    let cached = cache.signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830", "us-east-1", "iam");
    let data: Vec<u8> = (0..200u8).map(|i| i.wrapping_mul(37)).collect();
    for len in 0..=data.len() {
        let expected = hmac_sha256(key.as_bytes(), &data[..len]);
        assert_eq!(key.mac(&data[..len]), expected, "{len} bytes");
        assert_eq!(cached.mac(&data[..len]), expected, "{len} bytes, cached");
    }
}
