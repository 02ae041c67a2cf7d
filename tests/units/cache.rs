use sigv4::*;

#[test]
fn returns_the_derived_key_and_stays_bounded() {
    let mut cache = SigningKeyCache::new(2);
    let direct = signing_key("secret", "20150830", "us-east-1", "iam");
    assert_eq!(cache.signing_key("secret", "20150830", "us-east-1", "iam"), direct);
    assert_eq!(cache.signing_key("secret", "20150830", "us-east-1", "iam"), direct);
    assert_eq!(cache.len(), 1);
    cache.signing_key("secret", "20150831", "us-east-1", "iam");
    cache.signing_key("secret", "20150830", "us-east-1", "iam");
    cache.signing_key("other", "20150830", "us-east-1", "iam");
    assert_eq!(cache.len(), 2);
    // The 20150831 key was least recently used and is gone; 20150830 stayed.
    assert!(cache.contains("secret", "20150830", "us-east-1", "iam"));
    assert!(cache.contains("other", "20150830", "us-east-1", "iam"));
    assert!(!cache.contains("secret", "20150831", "us-east-1", "iam"));
    assert_eq!(cache.signing_key("a", "b", "c", "d"), signing_key("a", "b", "c", "d"));
}

#[test]
fn never_holds_or_prints_the_secret() {
    let mut cache = SigningKeyCache::default();
    let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    cache.signing_key(secret, "20150830", "us-east-1", "iam");
    let printed = format!("{cache:?}");
    assert!(cache.contains(secret, "20150830", "us-east-1", "iam"));
    assert!(!printed.contains(secret) && !printed.contains("c4afb1cc"), "{printed}");
    assert_eq!(printed.matches("** redacted **").count(), 2, "{printed}");
}

#[test]
fn zero_capacity_disables_caching() {
    let mut cache = SigningKeyCache::new(0);
    assert_eq!(cache.signing_key("s", "d", "r", "v"), signing_key("s", "d", "r", "v"));
    assert!(cache.is_empty());
}

#[test]
fn a_key_from_the_cache_signs_as_the_derived_one() {
    // The cache keeps the key's bytes only; the HMAC state of a key it hands out is built anew.
    let mut cache = SigningKeyCache::default();
    let direct = signing_key("secret", "20150830", "us-east-1", "iam");
    let derived = cache.signing_key("secret", "20150830", "us-east-1", "iam");
    let cached = cache.signing_key("secret", "20150830", "us-east-1", "iam");
    assert!(cache.contains("secret", "20150830", "us-east-1", "iam"));
    for key in [&derived, &cached] {
        assert_eq!(signature(key, "AWS4-HMAC-SHA256\n..."), signature(&direct, "AWS4-HMAC-SHA256\n..."));
    }
    // Another scope of the same secret is another entry, and evicting and clearing forget keys.
    let other = cache.signing_key("secret", "20150830", "us-east-1", "s3");
    assert_ne!(other, direct);
    assert_eq!(cache.len(), 2);
    cache.clear();
    assert!(cache.is_empty() && !cache.contains("secret", "20150830", "us-east-1", "iam"));
}
