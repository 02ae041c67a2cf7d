//! The binding of S3's other upload forms: chunked uploads (src/chunked.rs) and POST policies
//! (src/post_policy.rs). Like the rest of the binding it reads and writes, and decides nothing.
//!
//! The instance keeps nothing between calls (js/src/api.js puts it back as new whenever a call
//! leaves anything allocated), so a chunked upload's state lives in JavaScript: the previous
//! signature and the checksum's state go into each `encodeChunk` call and come back out.

use wasm_bindgen::prelude::*;

use super::{Fields, KEY_CACHE, Thrown, to_js_error, unknown_word, write};
use crate::encode::lower_hex;
use crate::text::{decimal, parse_decimal, text};
use crate::{
    AmzDateTime, Checksum, ChecksumAlgorithm, ChunkSigner, ChunkedMode, ChunkedUpload, Credentials, Error, ErrorCode,
    PolicyCondition, PostPolicy, SigningParams, SigningSettings, credential_scope, encode_chunk, presign_post,
};

fields! {
    /// The fields of `chunkedUpload`, then the request's header names and values.
    ChunkedUploadFields {
        PayloadHash = "payloadHash",
        DecodedLength = "decodedLength",
        ChunkSize = "chunkSize",
        Checksum = "checksum",
    }
}

fields! {
    /// The fields `chunkedUpload` returns, then the headers the seed request adds.
    ChunkedUploadResult {
        PayloadHash = "payloadHash",
        EncodedLength = "encodedLength",
        ChunkSize = "chunkSize",
        Checksum = "checksum",
    }
}

fields! {
    /// The fields of `encodeChunk`; the chunk's bytes are its second argument.
    EncodeChunk {
        SecretAccessKey = "secretAccessKey",
        Datetime = "datetime",
        Region = "region",
        Service = "service",
        PayloadHash = "payloadHash",
        DecodedLength = "decodedLength",
        ChunkSize = "chunkSize",
        Checksum = "checksum",
        Written = "written",
        Last = "last",
        PreviousSignature = "previousSignature",
        ChecksumState = "checksumState",
    }
}

fields! {
    /// The fields `encodeChunk` returns: what goes before and after the chunk on the wire, and
    /// the state for the next call.
    EncodedChunk {
        Head = "head",
        Tail = "tail",
        Signature = "signature",
        ChecksumState = "checksumState",
    }
}

fields! {
    /// The fields of `presignPost`, then pairs: `meta:<name>`, `field:<name>`,
    /// `starts-with:<name>` or `equals:<name>`, and the value.
    PresignPost {
        AccessKeyId = "accessKeyId",
        SecretAccessKey = "secretAccessKey",
        SessionToken = "sessionToken",
        Region = "region",
        Service = "service",
        Datetime = "datetime",
        Bucket = "bucket",
        Key = "key",
        ExpiresIn = "expiresIn",
        ContentLengthMin = "contentLengthMin",
        ContentLengthMax = "contentLengthMax",
        ContentType = "contentType",
        SuccessActionStatus = "successActionStatus",
        Url = "url",
    }
}

fields! {
    /// The fields `presignPost` returns, then the form's field names and values.
    PresignedPostFields {
        Url = "url",
        Policy = "policy",
        StringToSign = "stringToSign",
        CredentialScope = "credentialScope",
        Signature = "signature",
        Expiration = "expiration",
    }
}

/// A decimal field.
fn number(text: &str, what: &str) -> Result<u64, Thrown> {
    parse_decimal(text).ok_or_else(|| unknown_word(&text!(what, " ", text)))
}

/// The upload a call describes; the mode resolved as the core does.
fn upload_of(
    payload_hash: Option<&str>,
    decoded: &str,
    chunk_size: Option<&str>,
    checksum: Option<&str>,
) -> Result<ChunkedUpload, JsValue> {
    let checksum = checksum.map(ChecksumAlgorithm::parse).transpose().map_err(to_js_error)?;
    let mode = ChunkedMode::resolve(payload_hash, checksum).map_err(to_js_error)?;
    let mut upload = ChunkedUpload::new(mode, number(decoded, "decodedLength")?);
    upload.checksum = checksum;
    if let Some(size) = chunk_size {
        upload.chunk_size = usize::try_from(number(size, "chunkSize")?).unwrap_or(usize::MAX);
    }
    upload.validate().map_err(to_js_error)?;
    Ok(upload)
}

/// A chunked upload's seed: its mode, lengths and the headers it adds to the request, after
/// checking the request's own. Returns [`ChunkedUploadResult`], then the headers.
#[wasm_bindgen(js_name = chunkedUpload)]
pub fn chunked_upload(fields: &str) -> Result<String, JsValue> {
    use ChunkedUploadFields as F;
    let f = Fields::<{ F::NAMES.len() }>::read(fields);
    let upload =
        upload_of(f.given(F::PayloadHash), f.text(F::DecodedLength), f.given(F::ChunkSize), f.given(F::Checksum))?;
    ChunkedUpload::check_request_headers(&f.headers).map_err(to_js_error)?;
    let (encoded, size) = (decimal(upload.encoded_length()), decimal(upload.chunk_size as u64));
    let mut out = [""; ChunkedUploadResult::NAMES.len()];
    out[ChunkedUploadResult::PayloadHash as usize] = upload.mode.payload_hash();
    out[ChunkedUploadResult::EncodedLength as usize] = &encoded;
    out[ChunkedUploadResult::ChunkSize as usize] = &size;
    out[ChunkedUploadResult::Checksum as usize] =
        upload.checksum.map(ChecksumAlgorithm::header_name).unwrap_or_default();
    Ok(write(&out, &upload.headers()))
}

/// Frames one chunk: [`EncodedChunk`]. With `last`, the chunk is the rest of the body (maybe
/// none), and the end of the body follows it.
#[wasm_bindgen(js_name = encodeChunk)]
pub fn encode_chunk_js(fields: &str, chunk: &[u8]) -> Result<String, JsValue> {
    use EncodeChunk as F;
    let f = Fields::<{ F::NAMES.len() }>::read(fields);
    let upload =
        upload_of(f.given(F::PayloadHash), f.text(F::DecodedLength), f.given(F::ChunkSize), f.given(F::Checksum))?;
    let time = AmzDateTime::parse(f.text(F::Datetime)).map_err(to_js_error)?;
    let (region, service) = (f.text(F::Region), f.text(F::Service));
    let mut signer = upload.mode.signs_chunks().then(|| {
        let secret = f.text(F::SecretAccessKey);
        let date = time.amz_date();
        let key = KEY_CACHE.with(|cache| match cache.try_borrow_mut() {
            Ok(mut cache) => cache.signing_key(secret, &date, region, service),
            Err(_) => crate::signing_key(secret, &date, region, service),
        });
        ChunkSigner::new(key, time, &credential_scope(time, region, service), f.text(F::PreviousSignature))
    });
    let state = hex_bytes(f.text(F::ChecksumState))?;
    let mut checksum = match upload.checksum.filter(|_| upload.mode.has_trailer()) {
        Some(algorithm) => Some(Checksum::resume(algorithm, &state).map_err(to_js_error)?),
        None => None,
    };
    let written = number(f.text(F::Written), "written")?;
    let last = f.either(F::Last, super::FLAG)?.unwrap_or(false);
    let frame = encode_chunk(&upload, written, chunk, last, signer.as_mut(), checksum.as_mut()).map_err(to_js_error)?;
    let ascii = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    let (head, tail) = (ascii(&frame.head), ascii(&frame.tail));
    let signature = signer.as_ref().map(|s| s.previous_signature().to_owned()).unwrap_or_default();
    let state = checksum.map(|c| lower_hex(&c.state())).unwrap_or_default();
    let mut out = [""; EncodedChunk::NAMES.len()];
    out[EncodedChunk::Head as usize] = &head;
    out[EncodedChunk::Tail as usize] = &tail;
    out[EncodedChunk::Signature as usize] = &signature;
    out[EncodedChunk::ChecksumState as usize] = &state;
    Ok(write(&out, &[]))
}

/// Bytes from lowercase hex, as [`lower_hex`] wrote them.
fn hex_bytes(hex: &str) -> Result<Vec<u8>, Thrown> {
    let digit = |b: u8| match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        _ => None,
    };
    hex.as_bytes()
        .chunks(2)
        .map(|pair| match pair {
            [high, low] => Some(digit(*high)? << 4 | digit(*low)?),
            _ => None,
        })
        .collect::<Option<Vec<u8>>>()
        .ok_or_else(|| {
            to_js_error(Error::new(ErrorCode::InvalidChunkedUpload, "the checksum state is not one this encoder wrote"))
        })
}

/// Signs a POST policy: [`PresignedPostFields`], then the form's field names and values.
#[wasm_bindgen(js_name = presignPost)]
pub fn presign_post_js(fields: &str) -> Result<String, JsValue> {
    use PresignPost as F;
    let f = Fields::<{ F::NAMES.len() }>::read(fields);
    let mut credentials = Credentials::new(f.text(F::AccessKeyId), f.text(F::SecretAccessKey));
    if let Some(token) = f.given(F::SessionToken) {
        credentials = credentials.with_session_token(token);
    }
    let mut policy = PostPolicy {
        bucket: f.text(F::Bucket),
        key: f.text(F::Key),
        expires_in: number(f.text(F::ExpiresIn), "expiresIn")?,
        content_type: f.given(F::ContentType),
        success_action_status: f.given(F::SuccessActionStatus),
        url: f.given(F::Url),
        ..PostPolicy::default()
    };
    if let (Some(min), Some(max)) = (f.given(F::ContentLengthMin), f.given(F::ContentLengthMax)) {
        policy.content_length_range = Some((number(min, "contentLengthMin")?, number(max, "contentLengthMax")?));
    }
    for &(tagged, value) in &f.headers {
        match tagged.split_once(':') {
            Some(("meta", name)) => policy.metadata.push((name, value)),
            Some(("field", name)) => policy.fields.push((name, value)),
            Some(("starts-with", name)) => policy.conditions.push(PolicyCondition::StartsWith(name, value)),
            Some(("equals", name)) => policy.conditions.push(PolicyCondition::Equals(name, value)),
            _ => Err(unknown_word(tagged))?,
        }
    }
    let settings = SigningSettings::s3();
    let params = SigningParams {
        credentials: &credentials,
        region: f.text(F::Region),
        service: f.given(F::Service).unwrap_or("s3"),
        time: AmzDateTime::parse(f.text(F::Datetime)).map_err(to_js_error)?,
        settings: &settings,
    };
    let post = presign_post(&policy, &params).map_err(to_js_error)?;
    let mut out = [""; PresignedPostFields::NAMES.len()];
    out[PresignedPostFields::Url as usize] = &post.url;
    out[PresignedPostFields::Policy as usize] = &post.policy;
    out[PresignedPostFields::StringToSign as usize] = &post.string_to_sign;
    out[PresignedPostFields::CredentialScope as usize] = &post.credential_scope;
    out[PresignedPostFields::Signature as usize] = &post.signature;
    out[PresignedPostFields::Expiration as usize] = &post.expiration;
    Ok(write(&out, &post.fields))
}
