//! Feeds arbitrary uploads to the aws-chunked encoder: modes, checksums, chunk sizes, declared
//! lengths, bodies and the pieces they are written in. Nothing may panic; the encoder accepts
//! a body exactly when its length is the declared one, and then writes as many bytes as the
//! announced `content-length`, the same bytes as `encode_chunk` with its state kept outside.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigv4::{
    AmzDateTime, Checksum, ChecksumAlgorithm, ChunkSigner, ChunkedMode, ChunkedUpload, Credentials, ErrorCode,
    MAX_CHUNK_SIZE, MIN_CHUNK_SIZE, Payload, Request, SigningParams, SigningSettings, encode_chunk, sign_chunked,
    signing_key,
};

/// The largest body built: a few chunks of the smallest size, so that runs stay fast.
const MAX_BODY: u64 = 5 * MIN_CHUNK_SIZE as u64 + 100;

struct Input<'a>(&'a [u8]);

impl Input<'_> {
    fn bytes<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0; N];
        let n = N.min(self.0.len());
        out[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        out
    }
    fn u8(&mut self) -> u8 {
        self.bytes::<1>()[0]
    }
    fn u16(&mut self) -> u16 {
        u16::from_le_bytes(self.bytes())
    }
    fn u32(&mut self) -> u32 {
        u32::from_le_bytes(self.bytes())
    }
    fn u64(&mut self) -> u64 {
        u64::from_le_bytes(self.bytes())
    }
}

fuzz_target!(|data: &[u8]| {
    let mut input = Input(data);
    let flags = input.u8();
    let shape = input.u8();
    let mode =
        [ChunkedMode::Signed, ChunkedMode::SignedWithTrailer, ChunkedMode::UnsignedWithTrailer][usize::from(flags % 3)];
    let checksum =
        [None, Some(ChecksumAlgorithm::Crc32), Some(ChecksumAlgorithm::Crc32c), Some(ChecksumAlgorithm::Sha256)]
            [usize::from(flags / 3 % 4)];
    let raw_size = input.u32();
    let chunk_size = match shape & 3 {
        0 => raw_size as usize, // anything
        1 => [0, 1, MIN_CHUNK_SIZE - 1, MAX_CHUNK_SIZE, MAX_CHUNK_SIZE + 1, usize::MAX][raw_size as usize % 6],
        _ => MIN_CHUNK_SIZE + raw_size as usize % (2 * MIN_CHUNK_SIZE), // small valid sizes
    };
    let raw_length = input.u64();
    let decoded_length = if shape & 4 != 0 { raw_length } else { raw_length % MAX_BODY };
    let upload = ChunkedUpload { mode, decoded_length, chunk_size, checksum };

    // Whatever the upload, its length and headers are computed without panicking.
    let encoded_length = upload.encoded_length();
    let headers = upload.headers();
    let valid = upload.validate();

    // The body: the declared length, or off by a little, filled from the rest of the input.
    let delta = i64::from(input.u8() as i8);
    let body_len = if shape & 8 != 0 { decoded_length.saturating_add_signed(delta) } else { decoded_length };
    let pieces: Vec<usize> = (0..input.u8() % 8).map(|_| usize::from(input.u16())).collect();
    let filler = if input.0.is_empty() { &b"x"[..] } else { input.0 };

    // Some checksum states to resume from, whatever they hold.
    if let Some(algorithm) = checksum {
        if let Ok(mut resumed) = Checksum::resume(algorithm, &filler[..filler.len().min(120)]) {
            resumed.update(filler);
            let _ = resumed.finish();
        }
    }

    let credentials = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    let settings = SigningSettings::s3();
    let time = AmzDateTime::from_unix_seconds(1_440_938_160).unwrap();
    let params =
        SigningParams { credentials: &credentials, region: "us-east-1", service: "s3", time, settings: &settings };
    let request =
        Request::new("PUT", "https://examplebucket.s3.amazonaws.com/chunkObject.txt").payload(Payload::Bytes(b""));
    let result = sign_chunked(&request, &params, upload);
    assert_eq!(result.is_ok(), valid.is_ok(), "sign_chunked and validate disagree: {result:?} {valid:?}");
    let Ok((signed, mut encoder)) = result else { return };
    let announced = headers.iter().find(|(name, _)| name == "content-length").map(|(_, value)| value.clone());
    assert_eq!(announced, Some(encoded_length.to_string()));
    if body_len > MAX_BODY {
        return;
    }
    let body: Vec<u8> = filler.iter().copied().cycle().take(body_len as usize).collect();

    // The encoder, in the pieces given (then the rest at once).
    let mut out = Vec::new();
    let mut rest = &body[..];
    let mut refused = false;
    for piece in pieces.iter().copied().chain([usize::MAX]) {
        let (now, later) = rest.split_at(piece.min(rest.len()));
        let before = (encoder.written(), out.len());
        match encoder.write(now, &mut out) {
            Ok(()) => assert!(encoder.written() <= decoded_length),
            Err(error) => {
                assert_eq!(error.code(), ErrorCode::DecodedLengthMismatch);
                assert!(before.0 + now.len() as u64 > decoded_length);
                assert_eq!((encoder.written(), out.len()), before, "a refused write changed the encoder");
                refused = true;
                break;
            }
        }
        rest = later;
    }
    // A refused write leaves the encoder as it was: what it took is the body.
    let taken = encoder.written();
    assert!(refused || taken == body_len);
    let finished = encoder.finish(&mut out);
    assert_eq!(
        finished.is_ok(),
        taken == decoded_length,
        "finish after {taken} of {decoded_length} bytes: {finished:?}"
    );
    if finished.is_err() {
        return;
    }
    assert_eq!(out.len() as u64, encoded_length, "the body is not as long as its content-length");
    assert!(encoder.write(b"", &mut out).is_err() && encoder.finish(&mut out).is_err(), "usable after finish");

    // The same body through encode_chunk, with the state kept outside as the binding keeps it.
    let mut signer = mode.signs_chunks().then(|| {
        let key = signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830", "us-east-1", "s3");
        ChunkSigner::new(key, time, &signed.credential_scope, &signed.signature)
    });
    let mut state = Vec::new();
    let mut wire = Vec::new();
    let mut written = 0u64;
    let mut iter: Vec<&[u8]> = body[..taken as usize].chunks(chunk_size).collect();
    if iter.last().is_none_or(|last| last.len() == chunk_size) {
        iter.push(&[]);
    }
    let count = iter.len();
    for (i, chunk) in iter.into_iter().enumerate() {
        let mut checksum = match checksum.filter(|_| mode.has_trailer()) {
            Some(algorithm) => Some(Checksum::resume(algorithm, &state).expect("a state it wrote")),
            None => None,
        };
        let frame = encode_chunk(&upload, written, chunk, i + 1 == count, signer.as_mut(), checksum.as_mut())
            .expect("encode_chunk refused what the encoder took");
        wire.extend_from_slice(&frame.head);
        wire.extend_from_slice(chunk);
        wire.extend_from_slice(&frame.tail);
        written += chunk.len() as u64;
        state = checksum.map(|c| c.state()).unwrap_or_default();
    }
    assert!(wire == out, "encode_chunk and the encoder disagree");
});
