//! Presigned POST policies: a browser uploads to S3 with an HTML form, whose fields carry a
//! policy document (what the form may upload) and its signature.
//! <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html>
//! <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-post-example.html>
//!
//! Each step is a function that returns the exact text of its artefact:
//!
//! | step | function | returns |
//! | --- | --- | --- |
//! | the policy's expiration | [`policy_expiration`] | `2015-12-30T12:00:00.000Z` |
//! | a condition | [`PolicyCondition::json`] | `["starts-with","$key","user/user1/"]` |
//! | the policy document | [`post_policy_document`] | `{"expiration":…,"conditions":[…]}` |
//! | the string to sign | [`post_policy_string_to_sign`] | the document in base64 |
//! | the signature | [`signature`](crate::signature) of the string to sign | 64 hex digits |
//!
//! [`presign_post`] wires them together and returns the form's URL and fields.

use crate::base64::base64;
use crate::checks::check_scope;
use crate::datetime::AmzDateTime;
use crate::error::{Error, ErrorCode, Result};
use crate::sign::{MAX_EXPIRES_IN, SigningParams};
use crate::signature::{ALGORITHM, credential_scope_of, signature, signing_key};
use crate::text::{decimal, excerpt, hex_digits, text};

/// The end of an object key that S3 replaces with the name of the uploaded file.
pub const FILENAME_VARIABLE: &str = "${filename}";

/// One condition of a policy document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyCondition<'a> {
    /// `{"name":"value"}`: the form field `name` must be exactly `value`.
    Equals(&'a str, &'a str),
    /// `["starts-with","$name","prefix"]`: the field must start with `prefix` (any value when
    /// it is empty).
    StartsWith(&'a str, &'a str),
    /// `["content-length-range",min,max]`: the file's size in bytes.
    ContentLengthRange(u64, u64),
}

impl PolicyCondition<'_> {
    /// The condition as JSON, as it appears in the document.
    pub fn json(&self) -> String {
        match *self {
            Self::Equals(name, value) => text!("{", json_string(name), ":", json_string(value), "}"),
            Self::StartsWith(name, prefix) => {
                text!("[\"starts-with\",", json_string(&text!("$", name)), ",", json_string(prefix), "]")
            }
            Self::ContentLengthRange(min, max) => {
                text!("[\"content-length-range\",", decimal(min), ",", decimal(max), "]")
            }
        }
    }
}

/// What a POST form may upload.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PostPolicy<'a> {
    pub bucket: &'a str,
    /// The object key. Ending in `${filename}`, it allows any key that starts with what comes
    /// before (`["starts-with","$key","user/"]`), and S3 puts the file's name there.
    pub key: &'a str,
    /// How long the form can be used, from the signing time: 1 to 604800 seconds (7 days),
    /// the validity of a SigV4 signature.
    pub expires_in: u64,
    /// The smallest and largest file, in bytes.
    pub content_length_range: Option<(u64, u64)>,
    /// The file's `Content-Type`, exactly.
    pub content_type: Option<&'a str>,
    /// `200`, `201` or `204`: the status S3 answers with, instead of a redirect.
    pub success_action_status: Option<&'a str>,
    /// User metadata: each name without its `x-amz-meta-` prefix, and the value.
    pub metadata: Vec<(&'a str, &'a str)>,
    /// Other fields of the form, each also a condition of exactly its value: `acl`,
    /// `success_action_redirect`, `Cache-Control`, `x-amz-server-side-encryption`, ...
    pub fields: Vec<(&'a str, &'a str)>,
    /// More conditions, in the policy only: for example a `starts-with` on a field the page
    /// fills in.
    pub conditions: Vec<PolicyCondition<'a>>,
    /// The form's action URL; when not set, the bucket's virtual-hosted URL
    /// (`https://bucket.s3.region.amazonaws.com/`), or its path-style URL when the bucket name
    /// has a dot (`https://s3.region.amazonaws.com/bucket`).
    pub url: Option<&'a str>,
}

/// A signed POST policy: where the form goes and its fields, with every artefact. Its Debug
/// output leaves out the session token, which the fields and the policy carry.
#[derive(Clone, PartialEq, Eq)]
pub struct PresignedPost {
    pub url: String,
    /// The form's fields in order; the file goes after them, last.
    pub fields: Vec<(String, String)>,
    /// The policy document (JSON).
    pub policy: String,
    /// The document in base64: the `policy` field, and the string to sign.
    pub string_to_sign: String,
    pub credential_scope: String,
    pub signature: String,
    /// When the policy expires, as the document writes it.
    pub expiration: String,
}

impl std::fmt::Debug for PresignedPost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const REDACTED: &str = "** redacted **";
        let token = self.fields.iter().find(|(name, _)| name == "x-amz-security-token").map(|(_, token)| token);
        // The token is in the document as a JSON string, and in its base64 (the string to sign
        // and the `policy` field) in a form that cannot be cut out: those are left out whole.
        let hide = |text: &str| match token {
            Some(token) if !token.is_empty() => text.replace(&json_string(token), &json_string(REDACTED)),
            _ => text.to_owned(),
        };
        let encoded = |text: &str| if token.is_some() { REDACTED.to_owned() } else { text.to_owned() };
        let fields: Vec<(&str, String)> = self
            .fields
            .iter()
            .map(|(name, value)| match name.as_str() {
                "x-amz-security-token" => (name.as_str(), REDACTED.to_owned()),
                "policy" => (name.as_str(), encoded(value)),
                _ => (name.as_str(), value.clone()),
            })
            .collect();
        f.debug_struct("PresignedPost")
            .field("url", &self.url)
            .field("fields", &fields)
            .field("policy", &hide(&self.policy))
            .field("string_to_sign", &encoded(&self.string_to_sign))
            .field("credential_scope", &self.credential_scope)
            .field("signature", &self.signature)
            .field("expiration", &self.expiration)
            .finish()
    }
}

/// The fields the signer writes: the form cannot set them too.
const SIGNER_FIELDS: &[&str] = &[
    "bucket",
    "key",
    "file",
    "policy",
    "content-type",
    "success_action_status",
    "x-amz-algorithm",
    "x-amz-credential",
    "x-amz-date",
    "x-amz-security-token",
    "x-amz-signature",
];

/// The policy's expiration: ISO 8601 with milliseconds, `2015-12-30T12:00:00.000Z`.
pub fn policy_expiration(time: AmzDateTime) -> String {
    let t = time.amz_date_time();
    text!(&t[0..4], "-", &t[4..6], "-", &t[6..8], "T", &t[9..11], ":", &t[11..13], ":", &t[13..15], ".000Z")
}

/// The policy document: `{"expiration":"…","conditions":[…]}`, without spaces.
pub fn post_policy_document(expiration: &str, conditions: &[PolicyCondition<'_>]) -> String {
    let mut document = text!("{\"expiration\":", json_string(expiration), ",\"conditions\":[");
    for (i, condition) in conditions.iter().enumerate() {
        if i > 0 {
            document.push(',');
        }
        document.push_str(&condition.json());
    }
    document.push_str("]}");
    document
}

/// The string to sign of a POST policy: the document's bytes in base64, which is also the
/// form's `policy` field.
pub fn post_policy_string_to_sign(document: &str) -> String {
    base64(document.as_bytes())
}

/// The form's URL when the caller gives none: virtual-hosted, or path-style for a bucket name
/// with a dot (which a wildcard certificate does not cover).
pub fn post_url(bucket: &str, region: &str) -> String {
    if bucket.contains('.') {
        text!("https://s3.", region, ".amazonaws.com/", bucket)
    } else {
        text!("https://", bucket, ".s3.", region, ".amazonaws.com/")
    }
}

/// Builds the policy document of `policy`, signs it, and returns the form.
pub fn presign_post(policy: &PostPolicy<'_>, params: &SigningParams<'_>) -> Result<PresignedPost> {
    check_scope(params, true)?;
    check_policy(policy)?;
    let amz_date_time = params.time.amz_date_time();
    let scope = credential_scope_of(&amz_date_time[..8], params.region, params.service);
    let credential = text!(params.credentials.access_key_id, "/", scope);
    let expiration = params
        .time
        .checked_add_seconds(policy.expires_in as i64)
        .map(policy_expiration)
        .ok_or_else(|| Error::new(ErrorCode::InvalidDate, "the policy would expire after the year 9999"))?;
    let token = params.credentials.session_token.as_ref().map(|t| t.expose());

    // The fields of the form in order, each with its condition.
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut conditions = vec![PolicyCondition::Equals("bucket", policy.bucket)];
    fields.push(("key".into(), policy.key.into()));
    conditions.push(match policy.key.strip_suffix(FILENAME_VARIABLE) {
        Some(prefix) => PolicyCondition::StartsWith("key", prefix),
        None => PolicyCondition::Equals("key", policy.key),
    });
    if let Some((min, max)) = policy.content_length_range {
        conditions.push(PolicyCondition::ContentLengthRange(min, max));
    }
    if let Some(content_type) = policy.content_type {
        fields.push(("Content-Type".into(), content_type.into()));
        conditions.push(PolicyCondition::Equals("Content-Type", content_type));
    }
    if let Some(status) = policy.success_action_status {
        fields.push(("success_action_status".into(), status.into()));
        conditions.push(PolicyCondition::Equals("success_action_status", status));
    }
    let metadata_names: Vec<String> = policy.metadata.iter().map(|(name, _)| text!("x-amz-meta-", name)).collect();
    for (name, (_, value)) in metadata_names.iter().zip(&policy.metadata) {
        fields.push((name.clone(), (*value).into()));
        conditions.push(PolicyCondition::Equals(name, value));
    }
    for &(name, value) in &policy.fields {
        fields.push((name.into(), value.into()));
        conditions.push(PolicyCondition::Equals(name, value));
    }
    conditions.extend(policy.conditions.iter().copied());
    let signer_fields = [
        ("x-amz-algorithm", Some(ALGORITHM)),
        ("x-amz-credential", Some(credential.as_str())),
        ("x-amz-date", Some(amz_date_time.as_str())),
        ("x-amz-security-token", token),
    ];
    for (name, value) in signer_fields {
        if let Some(value) = value {
            fields.push((name.into(), value.into()));
            conditions.push(PolicyCondition::Equals(name, value));
        }
    }

    let document = post_policy_document(&expiration, &conditions);
    let string_to_sign = post_policy_string_to_sign(&document);
    let key =
        signing_key(params.credentials.secret_access_key.expose(), &amz_date_time[..8], params.region, params.service);
    let signature = signature(&key, &string_to_sign);
    fields.push(("policy".into(), string_to_sign.clone()));
    fields.push(("x-amz-signature".into(), signature.clone()));
    let url = match policy.url {
        Some(url) => url.to_owned(),
        None => post_url(policy.bucket, params.region),
    };
    Ok(PresignedPost { url, fields, policy: document, string_to_sign, credential_scope: scope, signature, expiration })
}

fn invalid(message: String) -> Error {
    Error::new(ErrorCode::InvalidPostPolicy, message)
}

/// The checks of a policy: a bucket and a key, a validity S3 accepts, a range whose ends are
/// in order, and no field the signer writes.
fn check_policy(policy: &PostPolicy<'_>) -> Result<()> {
    if policy.bucket.is_empty() {
        return Err(invalid("the bucket is empty; pass the bucket the form uploads to".into()));
    }
    if policy.key.is_empty() {
        return Err(invalid(
            "the key is empty; pass the object key, or a prefix followed by ${filename} to let the file's name complete it"
                .into(),
        ));
    }
    if !(1..=MAX_EXPIRES_IN).contains(&policy.expires_in) {
        return Err(Error::new(
            ErrorCode::ExpiresOutOfRange,
            text!(
                "a POST policy can be valid for 1 to 604800 seconds (7 days), as long as its signature, not ",
                decimal(policy.expires_in)
            ),
        ));
    }
    if let Some((min, max)) = policy.content_length_range.filter(|(min, max)| min > max) {
        return Err(invalid(text!(
            "the content length range runs from ",
            decimal(min),
            " to ",
            decimal(max),
            " bytes; give the smaller end first"
        )));
    }
    if let Some(status) = policy.success_action_status.filter(|s| !matches!(*s, "200" | "201" | "204")) {
        return Err(invalid(text!("success_action_status is '", excerpt(status), "'; S3 takes 200, 201 or 204")));
    }
    let names = policy.fields.iter().map(|(name, _)| *name).chain(policy.metadata.iter().map(|(name, _)| *name));
    for name in names {
        if name.is_empty() {
            return Err(invalid("a field has an empty name; name every field of the form".into()));
        }
    }
    for (name, _) in &policy.fields {
        if SIGNER_FIELDS.iter().any(|signer| signer.eq_ignore_ascii_case(name)) {
            return Err(invalid(text!(
                "the field '",
                excerpt(name),
                "' is written by the signer (or, for the file, by the upload); set it through its own option, or remove it"
            )));
        }
    }
    Ok(())
}

/// `value` as a JSON string: quoted, with `"`, `\` and control characters escaped.
fn json_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                out.push_str("\\u");
                out.push_str(&hex_digits(u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
