//! Verifying an aws-chunked body as it streams in: the other side of [`ChunkedEncoder`].
//!
//! [`verify_chunked`](crate::verify_chunked) checks the seed request and returns a
//! [`ChunkedVerifier`]: a state machine without I/O fed the body in slices of any size (one byte
//! at a time included). It reads each chunk's header line strictly, hashes the chunk's data as
//! it passes, and checks the chunk's signature, chained from the seed's, once the chunk is
//! complete; it counts the decoded length against `x-amz-decoded-content-length`, and reads the
//! trailer: the checksum declared in `x-amz-trailer`, checked against the decoded body, and the
//! trailer's signature. It refuses at the first byte that makes the body wrong, and every
//! later call repeats the refusal.
//!
//! The verifier holds no body data: [`write`](ChunkedVerifier::write) reports which bytes of
//! the slice are chunk data ([`ChunkedEvent::Data`]), to be held by the caller until
//! [`ChunkedEvent::Verified`] says the chunk they belong to checked out. It holds one header
//! or trailer line at most (a few hundred bytes), so a caller that releases verified data holds
//! at most one chunk ([`MAX_CHUNK_SIZE`]). [`ChunkedDecoder`] is that caller, for Rust.
//!
//! Data released before the end is a verified chunk, but the body as a whole (its length, its
//! checksum, its trailer) is verified only at [`ChunkedEvent::End`]: a server stores what it
//! received only then.
//!
//! [`ChunkedEncoder`]: crate::ChunkedEncoder

use std::fmt;
use std::ops::Range;

use sha2::digest::common::hazmat::{SerializableState, SerializedState};
use sha2::{Digest, Sha256};

use crate::chunked::{
    CHUNK_SIGNATURE, Checksum, ChecksumAlgorithm, ChunkSigner, ChunkedMode, MAX_CHUNK_SIZE, MAX_DECODED_LENGTH,
    MIN_CHUNK_SIZE, TRAILER_SIGNATURE, canonical_trailer,
};
use crate::encode::lower_hex;
use crate::error::{Error, ErrorCode, Result};
use crate::signature::{SigningKey, constant_time_eq};
use crate::text::{decimal, excerpt, parse_decimal, text};

/// The longest chunk header line accepted, without its CRLF: 16 hex digits, `;chunk-signature=`
/// and 64 hex digits are 97 bytes.
pub const MAX_CHUNK_HEADER_LINE: usize = 128;
/// The longest trailer line accepted, without its CRLF (`x-amz-checksum-sha256:` and 44 base64
/// characters are 66 bytes).
pub const MAX_TRAILER_LINE: usize = 256;

/// What the bytes given to [`ChunkedVerifier::write`] were.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChunkedEvent {
    /// These bytes of the slice are data of the current chunk, not verified yet: hold them.
    Data(Range<usize>),
    /// The chunk whose data came since the last `Verified` checked out: release it.
    Verified,
    /// The body ended as it must: final chunk, decoded length, trailer checksum and signature.
    End,
}

/// Where the verifier is in the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Reading a chunk header line.
    Header,
    /// Read a chunk header line's CR.
    HeaderLf,
    /// Reading a chunk's data.
    Data,
    /// After a chunk's data: its CR.
    DataCr,
    /// After a chunk's data: its LF.
    DataLf,
    /// Reading a trailer line (or the empty line that ends the body).
    Trailer,
    /// Read a trailer line's CR.
    TrailerLf,
    /// The body ended well.
    Done,
    /// The body was refused.
    Failed,
}

impl Phase {
    const ALL: [Phase; 9] = [
        Self::Header,
        Self::HeaderLf,
        Self::Data,
        Self::DataCr,
        Self::DataLf,
        Self::Trailer,
        Self::TrailerLf,
        Self::Done,
        Self::Failed,
    ];
}

/// The decoder-verifier of an aws-chunked body. See the [module](self) documentation.
#[derive(Clone)]
pub struct ChunkedVerifier {
    mode: ChunkedMode,
    decoded_length: u64,
    checksum_algorithm: Option<ChecksumAlgorithm>,
    /// The signature chain, from the seed's; `None` when chunks are not signed.
    signer: Option<ChunkSigner>,
    phase: Phase,
    /// The header or trailer line being read (printable ASCII only).
    line: Vec<u8>,
    /// The current chunk: its size, what is left of it, its signature, its hash so far.
    chunk_size: u64,
    chunk_left: u64,
    chunk_signature: String,
    chunk_hash: Sha256,
    /// The checksum of the decoded body so far.
    checksum: Option<Checksum>,
    /// The decoded bytes so far.
    decoded: u64,
    /// The chunks read so far (the final empty one included), for messages.
    chunks: u64,
    /// The trailer's checksum line (`name:value`, canonical), once read.
    trailer: String,
    /// The error the body was refused with, repeated to every later call.
    failure: Option<Error>,
}

impl ChunkedVerifier {
    /// A verifier of the body after a seed request of `mode` that declared `decoded_length`
    /// and, with a trailer, the `checksum` it carries; `signer` is the chain after the seed's
    /// signature when the mode signs chunks.
    pub fn new(
        mode: ChunkedMode,
        decoded_length: u64,
        checksum: Option<ChecksumAlgorithm>,
        signer: Option<ChunkSigner>,
    ) -> Result<Self> {
        if mode.signs_chunks() != signer.is_some() || mode.has_trailer() != checksum.is_some() {
            return Err(Error::new(
                ErrorCode::InvalidChunkedUpload,
                text!("the signature chain or checksum given does not fit ", mode.payload_hash()),
            ));
        }
        if decoded_length > MAX_DECODED_LENGTH {
            return Err(decoded_too_long(decoded_length));
        }
        Ok(Self {
            mode,
            decoded_length,
            checksum_algorithm: checksum,
            signer,
            phase: Phase::Header,
            line: Vec::new(),
            chunk_size: 0,
            chunk_left: 0,
            chunk_signature: String::new(),
            chunk_hash: Sha256::new(),
            checksum: checksum.map(Checksum::new),
            decoded: 0,
            chunks: 0,
            trailer: String::new(),
            failure: None,
        })
    }

    pub fn mode(&self) -> ChunkedMode {
        self.mode
    }

    /// The decoded bytes read so far.
    pub fn decoded(&self) -> u64 {
        self.decoded
    }

    /// Whether the body ended as it must.
    pub fn is_done(&self) -> bool {
        self.phase == Phase::Done
    }

    /// Takes the next bytes of the body; appends to `events` what they were. Refuses at the
    /// first byte that makes the body wrong; after a refusal, every call returns it again.
    pub fn write(&mut self, input: &[u8], events: &mut Vec<ChunkedEvent>) -> Result<()> {
        if let Some(failure) = &self.failure {
            return Err(failure.clone());
        }
        let result = self.step(input, events);
        if let Err(error) = &result {
            self.phase = Phase::Failed;
            self.failure = Some(error.clone());
        }
        result
    }

    /// After the last byte: the body must have ended (final chunk, trailer, empty line).
    pub fn finish(&self) -> Result<()> {
        if let Some(failure) = &self.failure {
            return Err(failure.clone());
        }
        if self.phase == Phase::Done {
            return Ok(());
        }
        let place = match self.phase {
            Phase::Data | Phase::DataCr | Phase::DataLf => "inside a chunk's data",
            Phase::Trailer | Phase::TrailerLf => "after the final chunk, before the empty line that ends it",
            _ => "before the final (empty) chunk",
        };
        Err(Error::new(
            ErrorCode::MalformedChunk,
            text!(
                "the aws-chunked body ended ",
                place,
                " after ",
                decimal(self.decoded),
                " decoded bytes; send every chunk, the final 0-size chunk",
                if self.mode.has_trailer() { ", the trailer" } else { "" },
                " and the empty line that ends the body"
            ),
        ))
    }

    fn step(&mut self, input: &[u8], events: &mut Vec<ChunkedEvent>) -> Result<()> {
        let mut at = 0;
        while at < input.len() {
            match self.phase {
                Phase::Header | Phase::Trailer => {
                    let max = if self.phase == Phase::Header { MAX_CHUNK_HEADER_LINE } else { MAX_TRAILER_LINE };
                    let room = (max + 1).saturating_sub(self.line.len());
                    let rest = &input[at..input.len().min(at + room)];
                    match rest.iter().position(|&b| !(b' '..=b'~').contains(&b)) {
                        Some(end) => {
                            self.line.extend_from_slice(&rest[..end]);
                            at += end;
                            if self.line.len() > max {
                                return Err(self.line_too_long(max));
                            }
                            if input[at] != b'\r' {
                                return Err(self.malformed(text!(
                                    "byte 0x",
                                    lower_hex(&[input[at]]),
                                    " in a ",
                                    self.line_name(),
                                    " line; a line holds printable ASCII and ends with CRLF"
                                )));
                            }
                            at += 1;
                            self.phase = if self.phase == Phase::Header { Phase::HeaderLf } else { Phase::TrailerLf };
                        }
                        None => {
                            self.line.extend_from_slice(rest);
                            at += rest.len();
                            if self.line.len() > max {
                                return Err(self.line_too_long(max));
                            }
                        }
                    }
                }
                Phase::HeaderLf | Phase::TrailerLf | Phase::DataLf => {
                    if input[at] != b'\n' {
                        return Err(self.malformed(text!(
                            "a CR not followed by LF after a ",
                            if self.phase == Phase::DataLf { "chunk's data" } else { self.line_name() },
                            "; lines end with CRLF"
                        )));
                    }
                    at += 1;
                    match self.phase {
                        Phase::HeaderLf => self.end_header()?,
                        Phase::TrailerLf => self.end_trailer_line(events)?,
                        _ => self.end_chunk(events)?,
                    }
                }
                Phase::Data => {
                    let take = usize::try_from(self.chunk_left).unwrap_or(usize::MAX).min(input.len() - at);
                    let data = &input[at..at + take];
                    if self.signer.is_some() {
                        self.chunk_hash.update(data);
                    }
                    if let Some(checksum) = &mut self.checksum {
                        checksum.update(data);
                    }
                    events.push(ChunkedEvent::Data(at..at + take));
                    at += take;
                    self.chunk_left -= take as u64;
                    if self.chunk_left == 0 {
                        self.phase = Phase::DataCr;
                    }
                }
                Phase::DataCr => {
                    if input[at] != b'\r' {
                        return Err(self.malformed(text!(
                            "chunk ",
                            decimal(self.chunks),
                            " has more data than its header's size (",
                            decimal(self.chunk_size),
                            " bytes): its data must be followed by CRLF"
                        )));
                    }
                    at += 1;
                    self.phase = Phase::DataLf;
                }
                Phase::Done => {
                    return Err(self.malformed(text!(
                        "bytes after the end of the aws-chunked body (",
                        decimal((input.len() - at) as u64),
                        " more); the body ends with the empty line after the ",
                        if self.mode.has_trailer() { "trailer" } else { "final chunk" }
                    )));
                }
                Phase::Failed => return Err(self.malformed("the body was already refused".into())),
            }
        }
        Ok(())
    }

    fn line_name(&self) -> &'static str {
        if matches!(self.phase, Phase::Header | Phase::HeaderLf) { "chunk header" } else { "trailer" }
    }

    fn malformed(&self, what: String) -> Error {
        Error::new(ErrorCode::MalformedChunk, text!("malformed aws-chunked body: ", what))
    }

    fn line_too_long(&self, max: usize) -> Error {
        self.malformed(text!(
            "a ",
            self.line_name(),
            " line longer than ",
            decimal(max as u64),
            " bytes: ",
            excerpt(&String::from_utf8_lossy(&self.line))
        ))
    }

    /// A chunk header line was read: its size, its signature.
    fn end_header(&mut self) -> Result<()> {
        let line = std::mem::take(&mut self.line);
        let line = std::str::from_utf8(&line).unwrap_or_default();
        let chunk = self.chunks + 1;
        let signed = self.signer.is_some();
        let parts = if signed {
            line.split_once(';')
                .and_then(|(size, rest)| Some((size, rest.strip_prefix(&CHUNK_SIGNATURE[1..])?)))
                .filter(|(_, signature)| is_signature_hex(signature))
        } else {
            Some((line, "")).filter(|_| !line.contains(';'))
        };
        let Some((size_hex, signature)) = parts else {
            return Err(self.malformed(text!(
                "chunk ",
                decimal(chunk),
                "'s header is '",
                excerpt(line),
                "'; ",
                if signed {
                    "a signed chunk's header is its size in hex, ';chunk-signature=' and 64 lowercase hex digits"
                } else {
                    "an unsigned chunk's header is its size in hex alone"
                }
            )));
        };
        let size = parse_hex_size(size_hex).ok_or_else(|| {
            self.malformed(text!(
                "chunk ",
                decimal(chunk),
                "'s size is '",
                excerpt(size_hex),
                "'; it is 1 to 16 hex digits without leading zeros"
            ))
        })?;
        if size > MAX_CHUNK_SIZE as u64 {
            return Err(Error::new(
                ErrorCode::InvalidChunkSize,
                text!(
                    "chunk ",
                    decimal(chunk),
                    " is ",
                    decimal(size),
                    " bytes; this verifier takes chunks of at most 16777216 (16 MiB)"
                ),
            ));
        }
        // S3 needs every chunk but the last to be at least 8 KiB: the previous one was not the
        // last if this one has data.
        if size > 0 && self.chunks > 0 && self.chunk_size < MIN_CHUNK_SIZE as u64 {
            return Err(Error::new(
                ErrorCode::InvalidChunkSize,
                text!(
                    "chunk ",
                    decimal(self.chunks),
                    " is ",
                    decimal(self.chunk_size),
                    " bytes and another follows; every chunk but the last is at least 8192 bytes (8 KiB)"
                ),
            ));
        }
        let total = self.decoded.saturating_add(size);
        if total > self.decoded_length || (size == 0 && total != self.decoded_length) {
            return Err(Error::new(
                ErrorCode::DecodedLengthMismatch,
                text!(
                    "the body declared ",
                    decimal(self.decoded_length),
                    " decoded bytes (x-amz-decoded-content-length), and its chunks ",
                    if total > self.decoded_length { "carry more: " } else { "end after " },
                    decimal(total),
                    " at chunk ",
                    decimal(chunk)
                ),
            ));
        }
        self.chunks = chunk;
        self.chunk_size = size;
        self.chunk_left = size;
        self.chunk_signature.clear();
        self.chunk_signature.push_str(signature);
        if size > 0 {
            self.phase = Phase::Data;
            return Ok(());
        }
        // The final chunk: its signature signs no data; the trailer or the empty line follows.
        self.check_chunk_signature()?;
        self.phase = Phase::Trailer;
        Ok(())
    }

    /// A chunk's data and its CRLF were read: its signature.
    fn end_chunk(&mut self, events: &mut Vec<ChunkedEvent>) -> Result<()> {
        self.check_chunk_signature()?;
        self.decoded += self.chunk_size;
        events.push(ChunkedEvent::Verified);
        self.phase = Phase::Header;
        Ok(())
    }

    fn check_chunk_signature(&mut self) -> Result<()> {
        let Some(signer) = &mut self.signer else {
            return Ok(());
        };
        let hash = std::mem::replace(&mut self.chunk_hash, Sha256::new()).finalize();
        let computed = signer.sign_chunk_hash(&lower_hex(&hash));
        if !constant_time_eq(computed.signature.as_bytes(), self.chunk_signature.as_bytes()) {
            return Err(Error::new(
                ErrorCode::ChunkSignatureMismatch,
                text!(
                    "The chunk signature of chunk ",
                    decimal(self.chunks),
                    " (",
                    decimal(self.chunk_size),
                    " bytes, after ",
                    decimal(self.decoded),
                    ") does not match the signature we calculated: its data, its place in the body or the signature differ from what the client signed"
                ),
            ));
        }
        Ok(())
    }

    /// A line after the final chunk was read: the trailer's checksum, its signature, or the
    /// empty line that ends the body.
    fn end_trailer_line(&mut self, events: &mut Vec<ChunkedEvent>) -> Result<()> {
        let line = std::mem::take(&mut self.line);
        let line = std::str::from_utf8(&line).unwrap_or_default();
        let signed = self.signer.is_some();
        let Some(algorithm) = self.checksum_algorithm else {
            // No trailer: the empty line alone.
            if !line.is_empty() {
                return Err(self.malformed(text!(
                    "'",
                    excerpt(line),
                    "' after the final chunk; ",
                    self.mode.payload_hash(),
                    " has no trailer: the final chunk is followed by an empty line"
                )));
            }
            return self.done(events);
        };
        let expected_name = algorithm.header_name();
        if self.trailer.is_empty() {
            let (name, value) = line.split_once(':').unwrap_or((line, ""));
            if !name.eq_ignore_ascii_case(expected_name) {
                return Err(self.malformed(text!(
                    "the trailer's first line is '",
                    excerpt(line),
                    "'; x-amz-trailer declared ",
                    expected_name,
                    ", which must come first as 'name:value'"
                )));
            }
            self.trailer = canonical_trailer(&[(expected_name, value)]);
            if !signed {
                self.check_checksum()?;
            }
            self.phase = Phase::Trailer;
            return Ok(());
        }
        if signed && self.chunk_signature != TRAILER_SIGNATURE {
            let (name, value) = line.split_once(':').unwrap_or((line, ""));
            let value = value.trim_ascii();
            if !name.eq_ignore_ascii_case(TRAILER_SIGNATURE) || !is_signature_hex(value) {
                return Err(self.malformed(text!(
                    "after the trailer's checksum comes '",
                    excerpt(line),
                    "'; a signed trailer ends with x-amz-trailer-signature:<64 lowercase hex digits>"
                )));
            }
            // `signed` is `self.signer.is_some()`; were it not, nothing was computed and the
            // trailer is rejected as not matching.
            let computed = self.signer.as_mut().map(|signer| signer.sign_trailer(&self.trailer));
            if !computed.is_some_and(|c| constant_time_eq(c.signature.as_bytes(), value.as_bytes())) {
                return Err(Error::new(
                    ErrorCode::TrailerSignatureMismatch,
                    "The trailer signature does not match the signature we calculated: the trailer's checksum, or the chain of chunk signatures before it, differs from what the client signed",
                ));
            }
            self.check_checksum()?;
            // Marks the signature read (the chunk's own signature is not needed any more).
            self.chunk_signature.clear();
            self.chunk_signature.push_str(TRAILER_SIGNATURE);
            self.phase = Phase::Trailer;
            return Ok(());
        }
        if !line.is_empty() {
            return Err(self.malformed(text!(
                "'",
                excerpt(line),
                "' in the trailer; after ",
                expected_name,
                if signed { " and x-amz-trailer-signature" } else { "" },
                " comes the empty line that ends the body"
            )));
        }
        self.done(events)
    }

    fn check_checksum(&mut self) -> Result<()> {
        let Some(checksum) = self.checksum.take() else {
            return Ok(());
        };
        let name = checksum.algorithm().header_name();
        let computed = canonical_trailer(&[(name, &checksum.finish())]);
        if computed != self.trailer {
            return Err(Error::new(
                ErrorCode::TrailerChecksumMismatch,
                text!(
                    "The ",
                    name,
                    " in the trailer does not match the checksum of the ",
                    decimal(self.decoded),
                    " decoded bytes received"
                ),
            ));
        }
        Ok(())
    }

    fn done(&mut self, events: &mut Vec<ChunkedEvent>) -> Result<()> {
        self.phase = Phase::Done;
        events.push(ChunkedEvent::End);
        Ok(())
    }

    /// The verifier's state as text, for a caller that keeps it between calls (the
    /// JavaScript binding): everything but the signing key. [`resume`](Self::resume) reads it.
    pub fn state(&self) -> String {
        let (date, scope, previous) = match &self.signer {
            Some(signer) => (signer.amz_date_time.as_str(), signer.credential_scope.as_str(), signer.previous.as_str()),
            None => ("", "", ""),
        };
        let phase = Phase::ALL.iter().position(|p| *p == self.phase).unwrap_or_default();
        let line = String::from_utf8_lossy(&self.line);
        let checksum = self.checksum.as_ref().map(|c| lower_hex(&c.state())).unwrap_or_else(|| "-".into());
        let fields: [&str; 16] = [
            self.mode.payload_hash(),
            &decimal(self.decoded_length),
            self.checksum_algorithm.map(ChecksumAlgorithm::header_name).unwrap_or_default(),
            date,
            scope,
            previous,
            &decimal(phase as u64),
            &line,
            &decimal(self.chunk_size),
            &decimal(self.chunk_left),
            &self.chunk_signature,
            &lower_hex(&self.chunk_hash.serialize()),
            &checksum,
            &decimal(self.decoded),
            &decimal(self.chunks),
            &self.trailer.replace('\n', ""),
        ];
        fields.join("\n")
    }

    /// The date, region and service of the signing key a [`state`](Self::state) needs to
    /// [`resume`](Self::resume): `None` when its chunks are not signed (or it is no state).
    pub fn key_scope(state: &str) -> Option<(&str, &str, &str)> {
        let mut fields = state.split('\n');
        let mode = ChunkedMode::from_payload_hash(fields.next()?)?;
        let mut scope = fields.nth(3)?.split('/');
        let scope = (scope.next()?, scope.next()?, scope.next()?);
        mode.signs_chunks().then_some(scope)
    }

    /// The verifier [`state`](Self::state) wrote, with the signing key of the seed's scope
    /// when chunks are signed. A refused body's state is not one to resume.
    pub fn resume(state: &str, key: Option<SigningKey>) -> Result<Self> {
        let invalid =
            || Error::new(ErrorCode::InvalidChunkedUpload, "the chunked verifier's state is not one it wrote");
        let fields: Vec<&str> = state.split('\n').collect();
        let [
            mode,
            decoded_length,
            checksum,
            date,
            scope,
            previous,
            phase,
            line,
            size,
            left,
            signature,
            hash,
            sum,
            decoded,
            chunks,
            trailer,
        ] = fields.as_slice()
        else {
            return Err(invalid());
        };
        let number = |text: &str| parse_decimal(text).ok_or_else(invalid);
        let mode = ChunkedMode::from_payload_hash(mode).ok_or_else(invalid)?;
        let algorithm = match *checksum {
            "" => None,
            name => Some(ChecksumAlgorithm::parse(name).map_err(|_| invalid())?),
        };
        let signer = match key {
            Some(key) if mode.signs_chunks() => Some(ChunkSigner {
                key,
                amz_date_time: (*date).to_owned(),
                credential_scope: (*scope).to_owned(),
                previous: (*previous).to_owned(),
            }),
            None if !mode.signs_chunks() => None,
            _ => return Err(invalid()),
        };
        let mut verifier = Self::new(mode, number(decoded_length)?, algorithm, signer)?;
        let phase = *Phase::ALL.get(usize::try_from(number(phase)?).map_err(|_| invalid())?).ok_or_else(invalid)?;
        let max_line =
            if matches!(phase, Phase::Header | Phase::HeaderLf) { MAX_CHUNK_HEADER_LINE } else { MAX_TRAILER_LINE };
        if phase == Phase::Failed || line.len() > max_line || !line.bytes().all(|b| (b' '..=b'~').contains(&b)) {
            return Err(invalid());
        }
        verifier.phase = phase;
        verifier.line = line.as_bytes().to_vec();
        verifier.chunk_size = number(size)?;
        verifier.chunk_left = number(left)?;
        if verifier.chunk_size > MAX_CHUNK_SIZE as u64 || verifier.chunk_left > verifier.chunk_size {
            return Err(invalid());
        }
        verifier.chunk_signature = (*signature).to_owned();
        let hash = hex_bytes(hash).ok_or_else(invalid)?;
        // sha2 serializes the 8 state words, the count of 64-byte blocks (u64, little-endian)
        // and the partial block; a count beyond any chunk would overflow its finalization.
        let blocks = hash.get(32..40).and_then(|b| b.try_into().ok()).map(u64::from_le_bytes).ok_or_else(invalid)?;
        if blocks > MAX_CHUNK_SIZE as u64 / 64 {
            return Err(invalid());
        }
        let serialized = SerializedState::<Sha256>::try_from(hash.as_slice()).map_err(|_| invalid())?;
        verifier.chunk_hash = Sha256::deserialize(&serialized).map_err(|_| invalid())?;
        verifier.checksum = match (*sum, algorithm) {
            ("-", _) | (_, None) => None,
            (state, Some(algorithm)) => Some(Checksum::resume(algorithm, &hex_bytes(state).ok_or_else(invalid)?)?),
        };
        verifier.decoded = number(decoded)?;
        verifier.chunks = number(chunks)?;
        if verifier.decoded > verifier.decoded_length {
            return Err(invalid());
        }
        verifier.trailer = if trailer.is_empty() { String::new() } else { text!(trailer, "\n") };
        Ok(verifier)
    }
}

impl fmt::Debug for ChunkedVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChunkedVerifier")
            .field("mode", &self.mode)
            .field("decoded_length", &self.decoded_length)
            .field("phase", &self.phase)
            .field("decoded", &self.decoded)
            .field("chunks", &self.chunks)
            .finish_non_exhaustive()
    }
}

/// 64 lowercase hex digits.
fn is_signature_hex(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A size in hex: 1 to 16 digits, no leading zero but in `0` itself.
fn parse_hex_size(text: &str) -> Option<u64> {
    if text.is_empty() || text.len() > 16 || (text.len() > 1 && text.starts_with('0')) {
        return None;
    }
    text.bytes().try_fold(0u64, |n, b| Some(n << 4 | u64::from((b as char).to_digit(16)?)))
}

fn hex_bytes(hex: &str) -> Option<Vec<u8>> {
    let digit = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    hex.as_bytes()
        .chunks(2)
        .map(|pair| match pair {
            [high, low] => Some(digit(*high)? << 4 | digit(*low)?),
            _ => None,
        })
        .collect()
}

fn decoded_too_long(length: u64) -> Error {
    Error::new(
        ErrorCode::InvalidChunkedUpload,
        text!(
            "x-amz-decoded-content-length is ",
            decimal(length),
            "; S3 stores objects of at most 5 TiB (5497558138880 bytes)"
        ),
    )
}

/// A [`ChunkedVerifier`] that holds each chunk's data until the chunk is verified, and gives
/// back only verified bytes: at most one chunk held.
#[derive(Debug, Clone)]
pub struct ChunkedDecoder {
    verifier: ChunkedVerifier,
    pending: Vec<u8>,
    events: Vec<ChunkedEvent>,
}

impl ChunkedDecoder {
    pub fn new(verifier: ChunkedVerifier) -> Self {
        Self { verifier, pending: Vec::new(), events: Vec::new() }
    }

    pub fn verifier(&self) -> &ChunkedVerifier {
        &self.verifier
    }

    /// Takes the next bytes of the body; appends the data of each chunk they complete, verified,
    /// to `out`.
    pub fn write(&mut self, input: &[u8], out: &mut Vec<u8>) -> Result<()> {
        self.events.clear();
        // The chunks verified before a bad one in the same slice are released; the bad one's
        // data is dropped.
        let result = self.verifier.write(input, &mut self.events);
        for event in self.events.drain(..) {
            match event {
                ChunkedEvent::Data(range) => self.pending.extend_from_slice(&input[range]),
                ChunkedEvent::Verified => {
                    out.append(&mut self.pending);
                }
                ChunkedEvent::End => {}
            }
        }
        if result.is_err() {
            self.pending = Vec::new();
        }
        result
    }

    /// After the last byte: the body must have ended well.
    pub fn finish(&self) -> Result<()> {
        self.verifier.finish()
    }
}

/// The reading of the seed headers a chunked upload carries.
pub(crate) fn decoded_length_of(value: &str) -> Result<u64> {
    let length = parse_decimal(value.trim_ascii()).ok_or_else(|| {
        Error::new(
            ErrorCode::InvalidChunkedUpload,
            text!("x-amz-decoded-content-length is '", excerpt(value), "'; it is the body's length in decimal"),
        )
    })?;
    if length > MAX_DECODED_LENGTH {
        return Err(decoded_too_long(length));
    }
    Ok(length)
}
