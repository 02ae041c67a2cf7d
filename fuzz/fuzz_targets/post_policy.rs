//! Feeds arbitrary POST policies to `presign_post`: buckets, keys, metadata, fields, conditions,
//! lengths and validities. Nothing may panic; a signed policy's document is JSON whose
//! conditions hold every field of the form exactly, and its `policy` field is the document in
//! base64.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use sigv4::{
    AmzDateTime, Credentials, PolicyCondition, PostPolicy, SigningParams, SigningSettings, base64,
    post_policy_document, presign_post,
};

/// Splits the input into text fields at 0xFF bytes (never valid UTF-8, so never inside one).
fn fields(data: &[u8]) -> Vec<String> {
    data.split(|b| *b == 0xff).map(|f| String::from_utf8_lossy(f).into_owned()).collect()
}

fn number(bytes: &[u8]) -> u64 {
    let mut n = [0u8; 8];
    let len = bytes.len().min(8);
    n[..len].copy_from_slice(&bytes[..len]);
    u64::from_le_bytes(n)
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else { return };
    let f = fields(rest);
    let field = |i: usize| f.get(i).map(String::as_str).unwrap_or("");
    let option = |i: usize| f.get(i).map(String::as_str);
    let expires_in = match flags & 3 {
        0 => number(field(2).as_bytes()),
        1 => number(field(2).as_bytes()) % 700_000,
        _ => 3600,
    };
    let range = (flags & 4 != 0).then(|| (number(field(3).as_bytes()), number(field(4).as_bytes())));
    let pairs =
        |i: usize| -> Vec<(&str, &str)> { field(i).split('\n').filter_map(|line| line.split_once('=')).collect() };
    let mut conditions = Vec::new();
    for (name, value) in pairs(10) {
        conditions.push(PolicyCondition::StartsWith(name, value));
        conditions.push(PolicyCondition::Equals(value, name));
    }
    if let Some((min, max)) = range {
        conditions.push(PolicyCondition::ContentLengthRange(max, min));
    }
    let policy = PostPolicy {
        bucket: field(0),
        key: field(1),
        expires_in,
        content_length_range: range,
        content_type: option(5).filter(|_| flags & 8 != 0),
        success_action_status: option(6).filter(|_| flags & 16 != 0),
        metadata: pairs(7),
        fields: pairs(8),
        conditions,
        url: option(9).filter(|_| flags & 32 != 0),
    };
    let mut credentials = Credentials::new(field(11), "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    if flags & 64 != 0 {
        credentials = credentials.with_session_token(field(12));
    }
    let settings = SigningSettings::s3();
    let time = AmzDateTime::parse(field(13)).unwrap_or_else(|_| {
        AmzDateTime::from_unix_seconds(number(field(13).as_bytes()) as i64 % 300_000_000_000)
            .unwrap_or_else(|_| AmzDateTime::from_unix_seconds(0).unwrap())
    });
    let region = if flags & 128 != 0 { field(14) } else { "us-east-1" };
    let params = SigningParams { credentials: &credentials, region, service: "s3", time, settings: &settings };
    let _ = post_policy_document(field(15), &policy.conditions);
    let Ok(post) = presign_post(&policy, &params) else { return };

    let document: Value = serde_json::from_str(&post.policy).expect("the policy document is JSON");
    assert_eq!(document["expiration"].as_str(), Some(post.expiration.as_str()));
    let conditions = document["conditions"].as_array().expect("conditions is an array");
    assert_eq!(post.string_to_sign, base64(post.policy.as_bytes()));
    assert_eq!(post.signature.len(), 64);
    for (name, value) in &post.fields {
        if name == "policy" || name == "x-amz-signature" || name == "key" {
            continue;
        }
        let held = conditions
            .iter()
            .any(|c| c.as_object().is_some_and(|o| o.len() == 1 && o.get(name).and_then(Value::as_str) == Some(value)));
        assert!(held, "the field {name:?} = {value:?} has no condition of exactly its value in {}", post.policy);
    }
    let value = |name: &str| post.fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
    assert_eq!(value("policy"), Some(post.string_to_sign.as_str()));
    assert_eq!(value("x-amz-signature"), Some(post.signature.as_str()));
    assert_eq!(value("key"), Some(policy.key));
});
