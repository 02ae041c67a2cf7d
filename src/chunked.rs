//! Signed chunked uploads to S3 (`Content-Encoding: aws-chunked`): the body goes in chunks, each
//! signed with a signature chained from the one before, starting at the request's own (the
//! seed), and optionally followed by trailing headers (a checksum of the whole body) that are
//! signed too.
//! <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html>
//! <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html>
//!
//! Each step is a function that returns the exact text of its artefact:
//!
//! | step | function | returns |
//! | --- | --- | --- |
//! | the seed request's headers | [`ChunkedUpload::headers`] | `content-encoding: aws-chunked`, `content-length`, `x-amz-decoded-content-length`, `x-amz-trailer` |
//! | the encoded length | [`ChunkedUpload::encoded_length`] | `66824` for 66560 bytes in 64 KiB chunks |
//! | a chunk's string to sign | [`chunk_string_to_sign`] | `AWS4-HMAC-SHA256-PAYLOAD` and five lines |
//! | a chunk's header line | [`chunk_header`] | `10000;chunk-signature=ad80c730…` |
//! | the canonical trailer | [`canonical_trailer`] | `x-amz-checksum-crc32c:sOO8/Q==\n` |
//! | the trailer's string to sign | [`trailer_string_to_sign`] | `AWS4-HMAC-SHA256-TRAILER` and four lines |
//! | a trailing checksum | [`Checksum`] | `sOO8/Q==` |
//!
//! [`sign_chunked`] signs the seed request and returns a [`ChunkedEncoder`]: a state machine
//! without I/O that takes the body in pieces of any size and gives back the framed chunks, in
//! memory bounded by the chunk size.

use std::fmt;

use crc::{CRC_32_ISCSI, CRC_32_ISO_HDLC, Crc, Table};
use sha2::digest::common::hazmat::{SerializableState, SerializedState};
use sha2::{Digest, Sha256};

use crate::base64::{base64, base64_len};
use crate::checks::Given;
use crate::datetime::AmzDateTime;
use crate::encode::lower_hex;
use crate::error::{Error, ErrorCode, Result};
use crate::request::{Payload, Request};
use crate::sign::{SignatureLocation, SignedRequest, SigningParams, sign};
use crate::signature::{EMPTY_PAYLOAD_SHA256, SigningKey, sha256_hex, signature, signing_key};
use crate::text::{decimal, excerpt, text};

/// The payload hash of a chunked upload whose chunks are signed, without a trailer.
pub const STREAMING_PAYLOAD: &str = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
/// The payload hash of a chunked upload whose chunks and trailer are signed.
pub const STREAMING_PAYLOAD_TRAILER: &str = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
/// The payload hash of a chunked upload whose chunks are not signed, with a trailer (whose
/// checksum S3 checks).
pub const STREAMING_UNSIGNED_PAYLOAD_TRAILER: &str = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
/// Line 1 of a chunk's string to sign.
pub const CHUNK_ALGORITHM: &str = "AWS4-HMAC-SHA256-PAYLOAD";
/// Line 1 of the trailer's string to sign.
pub const TRAILER_ALGORITHM: &str = "AWS4-HMAC-SHA256-TRAILER";
/// S3's smallest chunk, but for the last one: 8 KiB.
pub const MIN_CHUNK_SIZE: usize = 8 * 1024;
/// The chunk size the AWS SDKs use: 64 KiB.
pub const DEFAULT_CHUNK_SIZE: usize = 64 * 1024;
/// The largest chunk this encoder holds: 16 MiB. S3 sets no maximum; the encoder keeps one
/// chunk in memory, so this bounds what it holds.
pub const MAX_CHUNK_SIZE: usize = 16 * 1024 * 1024;
/// The largest object S3 stores: 5 TiB.
pub const MAX_DECODED_LENGTH: u64 = 5 * 1024 * 1024 * 1024 * 1024;

/// The name of the trailing header that carries the trailer's signature.
pub(crate) const TRAILER_SIGNATURE: &str = "x-amz-trailer-signature";
/// `;chunk-signature=`, between a signed chunk's size and its signature.
pub(crate) const CHUNK_SIGNATURE: &str = ";chunk-signature=";
/// The length of a signature in hex.
const SIGNATURE_LEN: u64 = 64;

/// Which of S3's chunked uploads: what is signed, and whether a trailer follows the chunks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChunkedMode {
    /// [`STREAMING_PAYLOAD`]: every chunk signed, no trailer.
    Signed,
    /// [`STREAMING_PAYLOAD_TRAILER`]: every chunk signed, then a signed trailer.
    SignedWithTrailer,
    /// [`STREAMING_UNSIGNED_PAYLOAD_TRAILER`]: chunks not signed, then a trailer (not signed
    /// either: its checksum is what S3 checks).
    UnsignedWithTrailer,
}

impl ChunkedMode {
    /// Line 6 of the seed's canonical request, and its `x-amz-content-sha256`.
    pub fn payload_hash(self) -> &'static str {
        match self {
            Self::Signed => STREAMING_PAYLOAD,
            Self::SignedWithTrailer => STREAMING_PAYLOAD_TRAILER,
            Self::UnsignedWithTrailer => STREAMING_UNSIGNED_PAYLOAD_TRAILER,
        }
    }

    /// The mode a caller asks for: the payload hash given (`None`: signed chunks, with a
    /// trailer when there is a checksum to carry).
    pub fn resolve(payload_hash: Option<&str>, checksum: Option<ChecksumAlgorithm>) -> Result<Self> {
        match payload_hash {
            None if checksum.is_some() => Ok(Self::SignedWithTrailer),
            None => Ok(Self::Signed),
            Some(given) => Self::from_payload_hash(given).ok_or_else(|| {
                Error::new(
                    ErrorCode::InvalidChunkedUpload,
                    text!(
                        "'",
                        excerpt(given),
                        "' is not a chunked upload's payload hash; use STREAMING-AWS4-HMAC-SHA256-PAYLOAD(-TRAILER) or STREAMING-UNSIGNED-PAYLOAD-TRAILER"
                    ),
                )
            }),
        }
    }

    /// The mode whose payload hash is `value`, if any.
    pub fn from_payload_hash(value: &str) -> Option<Self> {
        [Self::Signed, Self::SignedWithTrailer, Self::UnsignedWithTrailer]
            .into_iter()
            .find(|mode| mode.payload_hash() == value)
    }

    /// Whether each chunk (and the trailer) carries a signature.
    pub fn signs_chunks(self) -> bool {
        self != Self::UnsignedWithTrailer
    }

    /// Whether a trailer follows the chunks.
    pub fn has_trailer(self) -> bool {
        self != Self::Signed
    }
}

/// A checksum S3 accepts in the trailer, as `x-amz-checksum-<name>`: the base64 of the
/// big-endian CRC, or of the SHA-256, of the whole (decoded) body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChecksumAlgorithm {
    Crc32,
    Crc32c,
    Sha256,
}

impl ChecksumAlgorithm {
    /// `crc32`, `crc32c` or `sha256` in any case, or the header name (`x-amz-checksum-crc32`).
    pub fn parse(name: &str) -> Result<Self> {
        let lower = name.trim_ascii().to_ascii_lowercase();
        let short = lower.strip_prefix("x-amz-checksum-").unwrap_or(&lower);
        match short {
            "crc32" => Ok(Self::Crc32),
            "crc32c" => Ok(Self::Crc32c),
            "sha256" => Ok(Self::Sha256),
            _ => Err(Error::new(
                ErrorCode::InvalidChunkedUpload,
                text!("'", excerpt(name), "' is not a checksum this signer computes; use crc32, crc32c or sha256"),
            )),
        }
    }

    /// The trailing header's name: `x-amz-checksum-crc32`, `-crc32c` or `-sha256`.
    pub fn header_name(self) -> &'static str {
        match self {
            Self::Crc32 => "x-amz-checksum-crc32",
            Self::Crc32c => "x-amz-checksum-crc32c",
            Self::Sha256 => "x-amz-checksum-sha256",
        }
    }

    /// The length of the header's value: base64 of 4 or 32 bytes.
    fn value_len(self) -> usize {
        base64_len(if self == Self::Sha256 { 32 } else { 4 })
    }
}

// The CRC tables: 1 KiB each, 16 KiB each with the feature `speed` (slicing by 16, several
// times faster), computed at compile time. The `crc` crate is portable Rust without SIMD or
// unsafe code, and builds for wasm32-unknown-unknown as it does natively.
#[cfg(feature = "speed")]
type CrcTable = Table<16>;
#[cfg(not(feature = "speed"))]
type CrcTable = Table<1>;
static CRC32: Crc<u32, CrcTable> = Crc::<u32, CrcTable>::new(&CRC_32_ISO_HDLC);
static CRC32C: Crc<u32, CrcTable> = Crc::<u32, CrcTable>::new(&CRC_32_ISCSI);

/// A trailing checksum being computed over the body, piece by piece.
#[derive(Clone)]
pub struct Checksum {
    algorithm: ChecksumAlgorithm,
    state: ChecksumState,
}

#[derive(Clone)]
enum ChecksumState {
    Crc32(crc::Digest<'static, u32, CrcTable>),
    Crc32c(crc::Digest<'static, u32, CrcTable>),
    Sha256(Sha256),
}

impl Checksum {
    pub fn new(algorithm: ChecksumAlgorithm) -> Self {
        let state = match algorithm {
            ChecksumAlgorithm::Crc32 => ChecksumState::Crc32(CRC32.digest()),
            ChecksumAlgorithm::Crc32c => ChecksumState::Crc32c(CRC32C.digest()),
            ChecksumAlgorithm::Sha256 => ChecksumState::Sha256(Sha256::new()),
        };
        Self { algorithm, state }
    }

    pub fn algorithm(&self) -> ChecksumAlgorithm {
        self.algorithm
    }

    pub fn update(&mut self, data: &[u8]) {
        match &mut self.state {
            ChecksumState::Crc32(digest) | ChecksumState::Crc32c(digest) => digest.update(data),
            ChecksumState::Sha256(digest) => digest.update(data),
        }
    }

    /// The state after the bytes so far, for a caller that keeps it between calls: the CRC of
    /// those bytes (4 bytes, big-endian), or the SHA-256's serialized state.
    pub fn state(&self) -> Vec<u8> {
        match &self.state {
            ChecksumState::Crc32(digest) | ChecksumState::Crc32c(digest) => {
                digest.clone().finalize().to_be_bytes().to_vec()
            }
            ChecksumState::Sha256(digest) => digest.serialize().to_vec(),
        }
    }

    /// A checksum that goes on from [`state`](Self::state); an empty state is the start.
    pub fn resume(algorithm: ChecksumAlgorithm, state: &[u8]) -> Result<Self> {
        if state.is_empty() {
            return Ok(Self::new(algorithm));
        }
        let invalid =
            || Error::new(ErrorCode::InvalidChunkedUpload, "the checksum state is not one this encoder wrote");
        let state = match algorithm {
            ChecksumAlgorithm::Crc32 | ChecksumAlgorithm::Crc32c => {
                let crc = u32::from_be_bytes(state.try_into().map_err(|_| invalid())?);
                // The CRC so far is the register after the final xor (both CRCs reflect in
                // and out, and xor with all ones); a digest starts from a register given
                // unreflected.
                let initial = (crc ^ u32::MAX).reverse_bits();
                match algorithm {
                    ChecksumAlgorithm::Crc32 => ChecksumState::Crc32(CRC32.digest_with_initial(initial)),
                    _ => ChecksumState::Crc32c(CRC32C.digest_with_initial(initial)),
                }
            }
            ChecksumAlgorithm::Sha256 => {
                let serialized = SerializedState::<Sha256>::try_from(state).map_err(|_| invalid())?;
                // sha2 0.11 serializes the 8 state words, then the count of 64-byte blocks (u64,
                // little-endian), then the partial block. It takes any count, and its
                // finalization multiplies the count by 512 bits: a count no body of at most 5
                // TiB reaches would overflow there (a panic with overflow checks, a wrong
                // checksum without). No state this encoder wrote has one.
                let blocks = u64::from_le_bytes(state[32..40].try_into().map_err(|_| invalid())?);
                if blocks > MAX_DECODED_LENGTH / 64 {
                    return Err(invalid());
                }
                ChecksumState::Sha256(Sha256::deserialize(&serialized).map_err(|_| invalid())?)
            }
        };
        Ok(Self { algorithm, state })
    }

    /// The header's value: base64 of the big-endian CRC, or of the SHA-256.
    pub fn finish(self) -> String {
        match self.state {
            ChecksumState::Crc32(digest) | ChecksumState::Crc32c(digest) => base64(&digest.finalize().to_be_bytes()),
            ChecksumState::Sha256(digest) => base64(&digest.finalize()),
        }
    }
}

impl fmt::Debug for Checksum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Checksum").field("algorithm", &self.algorithm).finish_non_exhaustive()
    }
}

/// What a chunked upload is: its mode, the length of the body before encoding, the chunk size,
/// and the trailing checksum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkedUpload {
    pub mode: ChunkedMode,
    /// The body's length, `x-amz-decoded-content-length`: S3 needs it before the first chunk.
    pub decoded_length: u64,
    /// The size of every chunk but the last, [`MIN_CHUNK_SIZE`] to [`MAX_CHUNK_SIZE`].
    pub chunk_size: usize,
    /// The checksum in the trailer: required with a trailer, refused without one.
    pub checksum: Option<ChecksumAlgorithm>,
}

impl ChunkedUpload {
    /// An upload of `decoded_length` bytes in [`DEFAULT_CHUNK_SIZE`] chunks, without a checksum.
    pub fn new(mode: ChunkedMode, decoded_length: u64) -> Self {
        Self { mode, decoded_length, chunk_size: DEFAULT_CHUNK_SIZE, checksum: None }
    }

    /// Checks the chunk size, the length and the checksum against the mode.
    pub fn validate(&self) -> Result<()> {
        if !(MIN_CHUNK_SIZE..=MAX_CHUNK_SIZE).contains(&self.chunk_size) {
            return Err(Error::new(
                ErrorCode::InvalidChunkSize,
                text!(
                    "the chunk size is ",
                    decimal(self.chunk_size as u64),
                    " bytes; S3 needs at least 8192 (8 KiB) in every chunk but the last, and this signer holds at most 16777216 (16 MiB): pass a chunk size in between, such as 65536"
                ),
            ));
        }
        if self.decoded_length > MAX_DECODED_LENGTH {
            return Err(Error::new(
                ErrorCode::InvalidChunkedUpload,
                text!(
                    "the body is ",
                    decimal(self.decoded_length),
                    " bytes; S3 stores objects of at most 5 TiB (5497558138880 bytes)"
                ),
            ));
        }
        match (self.mode.has_trailer(), self.checksum) {
            (true, None) => Err(Error::new(
                ErrorCode::InvalidChunkedUpload,
                text!(
                    self.mode.payload_hash(),
                    " sends a trailer: pass the checksum it carries (crc32, crc32c or sha256)"
                ),
            )),
            (false, Some(checksum)) => Err(Error::new(
                ErrorCode::InvalidChunkedUpload,
                text!(
                    STREAMING_PAYLOAD,
                    " has no trailer to carry ",
                    checksum.header_name(),
                    "; use ",
                    STREAMING_PAYLOAD_TRAILER,
                    " (signed chunks) or ",
                    STREAMING_UNSIGNED_PAYLOAD_TRAILER
                ),
            )),
            _ => Ok(()),
        }
    }

    /// Checks that a request carries none of the headers a chunked upload sets.
    pub fn check_request_headers(headers: &[(&str, &str)]) -> Result<()> {
        for name in CHUNKED_HEADERS {
            if Given::of(headers, name).count > 0 {
                return Err(Error::new(
                    ErrorCode::ConflictingHeader,
                    text!(
                        "the request carries ",
                        name,
                        "; remove it: a chunked upload sets it from its length and mode"
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The `Content-Length` of the encoded body: the data, plus each chunk's header line and
    /// line ends, the final empty chunk, and the trailer. (A [`validate`](Self::validate)d
    /// upload; the sum saturates otherwise.)
    pub fn encoded_length(&self) -> u64 {
        let signed = self.mode.signs_chunks();
        let chunk_size = self.chunk_size.max(1) as u64;
        let full = self.decoded_length / chunk_size;
        let last = self.decoded_length % chunk_size;
        let mut length = full.saturating_mul(chunk_frame_len(chunk_size, signed));
        if last > 0 {
            length = length.saturating_add(chunk_frame_len(last, signed));
        }
        // The final chunk's line: `0`, its signature, CRLF.
        let signature_len = if signed { CHUNK_SIGNATURE.len() as u64 + SIGNATURE_LEN } else { 0 };
        length = length.saturating_add(1 + signature_len + 2);
        if let (true, Some(checksum)) = (self.mode.has_trailer(), self.checksum) {
            length = length.saturating_add((checksum.header_name().len() + 1 + checksum.value_len() + 2) as u64);
            if signed {
                length = length.saturating_add(TRAILER_SIGNATURE.len() as u64 + 1 + SIGNATURE_LEN + 2);
            }
        }
        // The empty line that ends the body.
        length.saturating_add(2)
    }

    /// The headers a chunked upload's request carries besides those of any signed request, in
    /// this order: `content-encoding: aws-chunked`, `content-length` (the encoded length),
    /// `x-amz-decoded-content-length`, and with a trailer `x-amz-trailer` (the checksum's
    /// name). The signer adds `x-amz-content-sha256` ([`ChunkedMode::payload_hash`]).
    pub fn headers(&self) -> Vec<(String, String)> {
        let mut headers = vec![
            ("content-encoding".to_owned(), "aws-chunked".to_owned()),
            ("content-length".to_owned(), decimal(self.encoded_length())),
            ("x-amz-decoded-content-length".to_owned(), decimal(self.decoded_length)),
        ];
        if let (true, Some(checksum)) = (self.mode.has_trailer(), self.checksum) {
            headers.push(("x-amz-trailer".to_owned(), checksum.header_name().to_owned()));
        }
        headers
    }
}

/// The length of one framed chunk of `size > 0` bytes: its size in hex, the signature, CRLF,
/// the data, CRLF.
fn chunk_frame_len(size: u64, signed: bool) -> u64 {
    let hex_digits = u64::from((64 - size.leading_zeros()).div_ceil(4).max(1));
    let signature_len = if signed { CHUNK_SIGNATURE.len() as u64 + SIGNATURE_LEN } else { 0 };
    (hex_digits + signature_len + 4).saturating_add(size)
}

/// A chunk's string to sign, chained from the signature before it (the seed's for the first
/// chunk):
///
/// ```text
/// AWS4-HMAC-SHA256-PAYLOAD + '\n' + X-Amz-Date + '\n' + CredentialScope + '\n' +
/// previous-signature + '\n' + Hex(SHA256("")) + '\n' + Hex(SHA256(chunk-data))
/// ```
pub fn chunk_string_to_sign(
    time: AmzDateTime,
    credential_scope: &str,
    previous_signature: &str,
    chunk: &[u8],
) -> String {
    chunk_string_to_sign_of_hash(&time.amz_date_time(), credential_scope, previous_signature, &sha256_hex(chunk))
}

fn chunk_string_to_sign_of_hash(
    amz_date_time: &str,
    credential_scope: &str,
    previous_signature: &str,
    chunk_hash: &str,
) -> String {
    text!(
        CHUNK_ALGORITHM,
        "\n",
        amz_date_time,
        "\n",
        credential_scope,
        "\n",
        previous_signature,
        "\n",
        EMPTY_PAYLOAD_SHA256,
        "\n",
        chunk_hash
    )
}

/// The trailing headers in the form that is hashed: each `name:value` and a `\n` (not CRLF),
/// the name lowercased and the value trimmed, in the order given.
pub fn canonical_trailer(headers: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (name, value) in headers {
        out.push_str(&name.to_ascii_lowercase());
        out.push(':');
        out.push_str(value.trim_ascii());
        out.push('\n');
    }
    out
}

/// The trailer's string to sign, chained from the final (empty) chunk's signature:
///
/// ```text
/// AWS4-HMAC-SHA256-TRAILER + '\n' + X-Amz-Date + '\n' + CredentialScope + '\n' +
/// previous-signature + '\n' + Hex(SHA256(canonical-trailer))
/// ```
pub fn trailer_string_to_sign(
    time: AmzDateTime,
    credential_scope: &str,
    previous_signature: &str,
    canonical_trailer: &str,
) -> String {
    trailer_string_to_sign_of(&time.amz_date_time(), credential_scope, previous_signature, canonical_trailer)
}

fn trailer_string_to_sign_of(
    amz_date_time: &str,
    credential_scope: &str,
    previous_signature: &str,
    canonical_trailer: &str,
) -> String {
    text!(
        TRAILER_ALGORITHM,
        "\n",
        amz_date_time,
        "\n",
        credential_scope,
        "\n",
        previous_signature,
        "\n",
        sha256_hex(canonical_trailer.as_bytes())
    )
}

/// A chunk's header line, without its CRLF: the size in lowercase hex, then for a signed chunk
/// `;chunk-signature=` and the signature (`10000;chunk-signature=ad80…`).
pub fn chunk_header(size: usize, signature: Option<&str>) -> String {
    let mut line = lower_hex_number(size as u64);
    if let Some(signature) = signature {
        line.push_str(CHUNK_SIGNATURE);
        line.push_str(signature);
    }
    line
}

/// `n` in lowercase hex without leading zeros.
fn lower_hex_number(n: u64) -> String {
    let bytes = n.to_be_bytes();
    let hex = lower_hex(&bytes);
    let digits = hex.trim_start_matches('0');
    if digits.is_empty() { "0".to_owned() } else { digits.to_owned() }
}

/// A chunk's (or the trailer's) string to sign and signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedChunk {
    pub string_to_sign: String,
    pub signature: String,
}

/// The chain of signatures of a chunked upload: each chunk's signature is the previous one's
/// successor, starting from the seed's.
#[derive(Clone)]
pub struct ChunkSigner {
    pub(crate) key: SigningKey,
    pub(crate) amz_date_time: String,
    pub(crate) credential_scope: String,
    pub(crate) previous: String,
}

impl ChunkSigner {
    /// The chain after the seed request's signature.
    pub fn new(key: SigningKey, time: AmzDateTime, credential_scope: &str, seed_signature: &str) -> Self {
        Self {
            key,
            amz_date_time: time.amz_date_time(),
            credential_scope: credential_scope.to_owned(),
            previous: seed_signature.to_owned(),
        }
    }

    /// The last signature of the chain: the seed's, then each chunk's.
    pub fn previous_signature(&self) -> &str {
        &self.previous
    }

    /// Signs the next chunk (the empty final chunk too).
    pub fn sign_chunk(&mut self, chunk: &[u8]) -> SignedChunk {
        let string_to_sign = chunk_string_to_sign_of_hash(
            &self.amz_date_time,
            &self.credential_scope,
            &self.previous,
            &sha256_hex(chunk),
        );
        self.advance(string_to_sign)
    }

    /// Signs the next chunk from the SHA-256 of its data in hex, for a caller that hashed it
    /// as it streamed in (the verifier).
    pub(crate) fn sign_chunk_hash(&mut self, chunk_sha256_hex: &str) -> SignedChunk {
        let string_to_sign =
            chunk_string_to_sign_of_hash(&self.amz_date_time, &self.credential_scope, &self.previous, chunk_sha256_hex);
        self.advance(string_to_sign)
    }

    /// Signs the trailer, after the final chunk.
    pub fn sign_trailer(&mut self, canonical_trailer: &str) -> SignedChunk {
        let string_to_sign =
            trailer_string_to_sign_of(&self.amz_date_time, &self.credential_scope, &self.previous, canonical_trailer);
        self.advance(string_to_sign)
    }

    fn advance(&mut self, string_to_sign: String) -> SignedChunk {
        let signature = signature(&self.key, &string_to_sign);
        self.previous.clone_from(&signature);
        SignedChunk { string_to_sign, signature }
    }
}

impl fmt::Debug for ChunkSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChunkSigner")
            .field("amz_date_time", &self.amz_date_time)
            .field("credential_scope", &self.credential_scope)
            .field("previous", &self.previous)
            .finish_non_exhaustive()
    }
}

/// The aws-chunked encoder: a state machine without I/O. [`write`](Self::write) takes the body
/// in pieces of any size and appends each chunk that is complete, framed, to `out`;
/// [`finish`](Self::finish) appends the last chunk, the final empty one and the trailer. It
/// holds at most one chunk of the body.
#[derive(Debug, Clone)]
pub struct ChunkedEncoder {
    upload: ChunkedUpload,
    signer: Option<ChunkSigner>,
    checksum: Option<Checksum>,
    buffer: Vec<u8>,
    written: u64,
    finished: bool,
}

impl ChunkedEncoder {
    /// An encoder for `upload`, with the chain after the seed signature when the mode signs
    /// chunks (and none when it does not).
    pub fn new(upload: ChunkedUpload, signer: Option<ChunkSigner>) -> Result<Self> {
        upload.validate()?;
        if upload.mode.signs_chunks() != signer.is_some() {
            return Err(Error::new(
                ErrorCode::InvalidChunkedUpload,
                text!(
                    upload.mode.payload_hash(),
                    if upload.mode.signs_chunks() {
                        " signs every chunk: the encoder needs the seed signature's chain"
                    } else {
                        " does not sign chunks: the encoder takes no signature chain"
                    }
                ),
            ));
        }
        let checksum = upload.checksum.filter(|_| upload.mode.has_trailer()).map(Checksum::new);
        Ok(Self { upload, signer, checksum, buffer: Vec::new(), written: 0, finished: false })
    }

    pub fn upload(&self) -> &ChunkedUpload {
        &self.upload
    }

    /// The body bytes written so far.
    pub fn written(&self) -> u64 {
        self.written
    }

    /// The last signature of the chain: after [`finish`](Self::finish), the trailer's (or
    /// the final chunk's).
    pub fn previous_signature(&self) -> Option<&str> {
        self.signer.as_ref().map(ChunkSigner::previous_signature)
    }

    /// Takes the next bytes of the body; appends each chunk they complete to `out`.
    pub fn write(&mut self, mut data: &[u8], out: &mut Vec<u8>) -> Result<()> {
        self.check_open()?;
        self.written = check_written(&self.upload, self.written, data.len(), false)?;
        if let Some(checksum) = &mut self.checksum {
            checksum.update(data);
        }
        let size = self.upload.chunk_size;
        if !self.buffer.is_empty() {
            let take = (size - self.buffer.len()).min(data.len());
            self.buffer.extend_from_slice(&data[..take]);
            data = &data[take..];
            if self.buffer.len() == size {
                frame_chunk(self.signer.as_mut(), &self.buffer, out);
                self.buffer.clear();
            }
        }
        // Whole chunks straight from the input, without copying them into the buffer.
        while data.len() >= size {
            frame_chunk(self.signer.as_mut(), &data[..size], out);
            data = &data[size..];
        }
        if !data.is_empty() {
            self.buffer.reserve_exact(size);
            self.buffer.extend_from_slice(data);
        }
        Ok(())
    }

    /// After the last byte: appends the last chunk, the final empty chunk and the trailer
    /// (with its signature when chunks are signed), then the empty line that ends the body.
    pub fn finish(&mut self, out: &mut Vec<u8>) -> Result<()> {
        self.check_open()?;
        check_written(&self.upload, self.written, 0, true)?;
        self.finished = true;
        if !self.buffer.is_empty() {
            frame_chunk(self.signer.as_mut(), &self.buffer, out);
            self.buffer = Vec::new();
        }
        push_end(out, self.signer.as_mut(), self.checksum.take());
        Ok(())
    }

    fn check_open(&self) -> Result<()> {
        if self.finished {
            return Err(Error::new(
                ErrorCode::InvalidChunkedUpload,
                "the chunked upload is finished: nothing can be written after finish",
            ));
        }
        Ok(())
    }
}

/// The body's length after `adding` more bytes to the `written` so far: no more than declared,
/// and, at the `end`, all of it.
fn check_written(upload: &ChunkedUpload, written: u64, adding: usize, end: bool) -> Result<u64> {
    let total = written.saturating_add(adding as u64);
    if total > upload.decoded_length || (end && total != upload.decoded_length) {
        return Err(Error::new(
            ErrorCode::DecodedLengthMismatch,
            text!(
                "the upload declared ",
                decimal(upload.decoded_length),
                " bytes (x-amz-decoded-content-length), and the body ",
                if total > upload.decoded_length { "has more: " } else { "ended after " },
                decimal(total),
                "; sign the upload with the body's real length"
            ),
        ));
    }
    Ok(total)
}

/// The end of the body: the final chunk (size 0, its header line only), the trailer (with
/// its signature when chunks are signed) and the empty line.
fn push_end(out: &mut Vec<u8>, mut signer: Option<&mut ChunkSigner>, checksum: Option<Checksum>) {
    let signed = signer.as_mut().map(|signer| signer.sign_chunk(b"").signature);
    out.extend_from_slice(chunk_header(0, signed.as_deref()).as_bytes());
    out.extend_from_slice(b"\r\n");
    if let Some(checksum) = checksum {
        let name = checksum.algorithm().header_name();
        let value = checksum.finish();
        push_trailer_line(out, name, &value);
        if let Some(signer) = signer {
            let signed = signer.sign_trailer(&canonical_trailer(&[(name, &value)]));
            push_trailer_line(out, TRAILER_SIGNATURE, &signed.signature);
        }
    }
    out.extend_from_slice(b"\r\n");
}

/// The bytes on the wire before and after one chunk's data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChunkFrame {
    /// The chunk's header line and CRLF (nothing for an empty last chunk).
    pub head: Vec<u8>,
    /// CRLF after the data; after the last chunk, the end of the body too.
    pub tail: Vec<u8>,
}

/// One step of the encoder for a caller that keeps its state between chunks (the JavaScript
/// binding, whose instance holds nothing from one call to the next): `chunk` is the next
/// `chunk_size` bytes, or with `last` the rest (possibly none), after `written` bytes. Checks
/// the sizes, signs the chunk (advancing `signer`), updates `checksum`, and returns what goes
/// around the chunk on the wire; after the last, the final chunk and the trailer.
pub fn encode_chunk(
    upload: &ChunkedUpload,
    written: u64,
    chunk: &[u8],
    last: bool,
    mut signer: Option<&mut ChunkSigner>,
    checksum: Option<&mut Checksum>,
) -> Result<ChunkFrame> {
    upload.validate()?;
    if upload.mode.signs_chunks() != signer.is_some() || upload.mode.has_trailer() != checksum.is_some() {
        return Err(Error::new(
            ErrorCode::InvalidChunkedUpload,
            text!("the signature chain or checksum given does not fit ", upload.mode.payload_hash()),
        ));
    }
    if chunk.len() > upload.chunk_size || (!last && chunk.len() != upload.chunk_size) {
        return Err(Error::new(
            ErrorCode::InvalidChunkSize,
            text!(
                "a chunk of ",
                decimal(chunk.len() as u64),
                " bytes; every chunk but the last is ",
                decimal(upload.chunk_size as u64),
                " bytes, and the last no more"
            ),
        ));
    }
    check_written(upload, written, chunk.len(), last)?;
    let mut frame = ChunkFrame { head: Vec::new(), tail: Vec::new() };
    let mut checksum = checksum;
    if let Some(checksum) = checksum.as_deref_mut() {
        checksum.update(chunk);
    }
    if !chunk.is_empty() {
        let signature = signer.as_deref_mut().map(|signer| signer.sign_chunk(chunk).signature);
        frame.head.extend_from_slice(chunk_header(chunk.len(), signature.as_deref()).as_bytes());
        frame.head.extend_from_slice(b"\r\n");
        frame.tail.extend_from_slice(b"\r\n");
    }
    if last {
        push_end(&mut frame.tail, signer, checksum.map(|checksum| checksum.clone()));
    }
    Ok(frame)
}

/// Appends one chunk of `data` (not empty), framed: header line, CRLF, data, CRLF.
fn frame_chunk(signer: Option<&mut ChunkSigner>, data: &[u8], out: &mut Vec<u8>) {
    let signature = signer.map(|signer| signer.sign_chunk(data).signature);
    out.reserve(data.len() + 100);
    out.extend_from_slice(chunk_header(data.len(), signature.as_deref()).as_bytes());
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(data);
    out.extend_from_slice(b"\r\n");
}

fn push_trailer_line(out: &mut Vec<u8>, name: &str, value: &str) {
    out.extend_from_slice(name.as_bytes());
    out.push(b':');
    out.extend_from_slice(value.as_bytes());
    out.extend_from_slice(b"\r\n");
}

/// The headers a chunked upload sets, which the caller's request must not carry.
const CHUNKED_HEADERS: &[&str] =
    &["content-encoding", "content-length", "x-amz-decoded-content-length", "x-amz-trailer", "transfer-encoding"];

/// Signs the seed request of a chunked upload (header signing) and returns it with the encoder
/// for its body. The request carries no body (the encoder takes it) and none of the headers
/// the upload sets ([`ChunkedUpload::headers`]); the signed request carries them, signed
/// unless the settings leave one out.
pub fn sign_chunked(
    request: &Request<'_>,
    params: &SigningParams<'_>,
    upload: ChunkedUpload,
) -> Result<(SignedRequest, ChunkedEncoder)> {
    upload.validate()?;
    ChunkedUpload::check_request_headers(&request.headers)?;
    let payload_hash = upload.mode.payload_hash();
    match request.payload {
        Payload::Bytes([]) | Payload::Unsigned => {}
        Payload::Precomputed(hash) if hash == payload_hash => {}
        _ => {
            return Err(Error::new(
                ErrorCode::InvalidChunkedUpload,
                text!(
                    "a chunked upload's body goes through its encoder, and its payload hash is ",
                    payload_hash,
                    "; pass the request without a body or payload hash"
                ),
            ));
        }
    }
    let added = upload.headers();
    let mut seed = request.clone();
    seed.headers.extend(added.iter().map(|(name, value)| (name.as_str(), value.as_str())));
    seed.payload = Payload::Precomputed(payload_hash);
    let signed = sign(&seed, params, SignatureLocation::Headers)?;
    let signer = upload.mode.signs_chunks().then(|| {
        let key = signing_key(
            params.credentials.secret_access_key.expose(),
            &signed.credential_scope[..8],
            params.region,
            params.service,
        );
        ChunkSigner::new(key, params.time, &signed.credential_scope, &signed.signature)
    });
    let encoder = ChunkedEncoder::new(upload, signer)?;
    Ok((signed, encoder))
}
