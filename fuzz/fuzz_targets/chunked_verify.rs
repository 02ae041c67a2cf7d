//! Feeds aws-chunked bodies to the verifier: the encoder's bodies for any mode, checksum, chunk
//! size and length, then mutated (bytes flipped, inserted, removed, the body cut short or
//! extended), or the fuzzer's bytes as they are, in any pieces. Nothing may panic; an untouched
//! body verifies into the body encoded; a signed body that verifies decodes to what was signed;
//! the pieces, and the state kept outside between them (as the JavaScript binding keeps it),
//! change nothing in the outcome.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigv4::{
    AmzDateTime, ChecksumAlgorithm, ChunkSigner, ChunkedDecoder, ChunkedEvent, ChunkedMode, ChunkedUpload,
    ChunkedVerifier, Credentials, ErrorCode, MIN_CHUNK_SIZE, Request, SigningParams, SigningSettings, sign_chunked,
    signing_key,
};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

struct Input<'a>(&'a [u8]);

impl Input<'_> {
    fn u8(&mut self) -> u8 {
        let (first, rest) = self.0.split_first().map_or((0, &[][..]), |(f, r)| (*f, r));
        self.0 = rest;
        first
    }
    fn u16(&mut self) -> u16 {
        u16::from_le_bytes([self.u8(), self.u8()])
    }
}

/// The outcome of a body fed in `pieces`: the decoded bytes released and the error code.
fn decode(verifier: ChunkedVerifier, wire: &[u8], pieces: &[usize]) -> (Vec<u8>, Option<ErrorCode>) {
    let mut decoder = ChunkedDecoder::new(verifier);
    let mut out = Vec::new();
    let mut rest = wire;
    for piece in pieces.iter().copied().chain([usize::MAX]) {
        let (now, later) = rest.split_at(piece.min(rest.len()));
        if let Err(error) = decoder.write(now, &mut out) {
            return (out, Some(error.code()));
        }
        rest = later;
    }
    (out, decoder.finish().err().map(|e| e.code()))
}

/// The same through `state` and `resume` before every piece, holding the data until verified.
fn decode_resumed(verifier: ChunkedVerifier, wire: &[u8], pieces: &[usize]) -> (Vec<u8>, Option<ErrorCode>) {
    let signed = verifier.mode().signs_chunks();
    let mut state = verifier.state();
    let (mut out, mut held, mut events) = (Vec::new(), Vec::new(), Vec::new());
    let mut rest = wire;
    let mut last = None;
    for piece in pieces.iter().copied().chain([usize::MAX]) {
        let (now, later) = rest.split_at(piece.min(rest.len()));
        let key = signed.then(|| signing_key(SECRET, "20150830", "us-east-1", "s3"));
        let mut verifier = ChunkedVerifier::resume(&state, key).expect("resumes a state it wrote");
        events.clear();
        let result = verifier.write(now, &mut events);
        for event in &events {
            match event {
                ChunkedEvent::Data(range) => held.extend_from_slice(&now[range.clone()]),
                ChunkedEvent::Verified => out.append(&mut held),
                ChunkedEvent::End => {}
            }
        }
        if let Err(error) = result {
            return (out, Some(error.code()));
        }
        state = verifier.state();
        last = Some(verifier);
        rest = later;
    }
    (out, last.and_then(|v| v.finish().err()).map(|e| e.code()))
}

fuzz_target!(|data: &[u8]| {
    let mut input = Input(data);
    let flags = input.u8();
    let mode =
        [ChunkedMode::Signed, ChunkedMode::SignedWithTrailer, ChunkedMode::UnsignedWithTrailer][usize::from(flags % 3)];
    let checksum = match mode {
        ChunkedMode::Signed => None,
        _ => Some([ChecksumAlgorithm::Crc32, ChecksumAlgorithm::Crc32c, ChecksumAlgorithm::Sha256][usize::from(flags / 3 % 3)]),
    };
    let chunk_size = MIN_CHUNK_SIZE + usize::from(input.u16()) % MIN_CHUNK_SIZE;
    let length = usize::from(input.u16()) % (3 * MIN_CHUNK_SIZE);
    let upload = ChunkedUpload { mode, decoded_length: length as u64, chunk_size, checksum };
    let credentials = Credentials::new("AKIDEXAMPLE", SECRET);
    let settings = SigningSettings::s3();
    let time = AmzDateTime::from_unix_seconds(1_440_938_160).unwrap();
    let params =
        SigningParams { credentials: &credentials, region: "us-east-1", service: "s3", time, settings: &settings };
    let request = Request::new("PUT", "https://examplebucket.s3.amazonaws.com/chunkObject.txt");
    let (signed, mut encoder) = sign_chunked(&request, &params, upload).expect("a valid upload signs");
    let pieces: Vec<usize> = (0..input.u8() % 8).map(|_| usize::from(input.u16()) % 20_000).collect();
    let mutations: Vec<(u8, u16, u8)> = (0..input.u8() % 4).map(|_| (input.u8(), input.u16(), input.u8())).collect();
    let filler = if input.0.is_empty() { &b"x"[..] } else { input.0 };
    let body: Vec<u8> = filler.iter().copied().cycle().take(length).collect();
    let mut wire = Vec::new();
    encoder.write(&body, &mut wire).expect("write");
    encoder.finish(&mut wire).expect("finish");
    let raw = flags >= 0xf0;
    let mut tampered = if raw { filler.to_vec() } else { wire.clone() };
    for &(kind, at, byte) in &mutations {
        let at = usize::from(at) % (tampered.len() + 1);
        match kind % 5 {
            0 if at < tampered.len() => tampered[at] ^= byte.max(1),
            1 => tampered.insert(at, byte),
            2 if at < tampered.len() => {
                tampered.remove(at);
            }
            3 => tampered.truncate(at),
            _ => tampered.extend_from_slice(&[byte; 3]),
        }
    }
    let verifier = || {
        let signer = mode.signs_chunks().then(|| {
            let key = signing_key(SECRET, "20150830", "us-east-1", "s3");
            ChunkSigner::new(key, time, &signed.credential_scope, &signed.signature)
        });
        ChunkedVerifier::new(mode, length as u64, checksum, signer).expect("a verifier")
    };
    let (out, error) = decode(verifier(), &tampered, &pieces);
    let (whole_out, whole_error) = decode(verifier(), &tampered, &[]);
    assert_eq!(error, whole_error, "the pieces changed the outcome");
    assert!(out == whole_out, "the pieces changed what was released");
    let (resumed_out, resumed_error) = decode_resumed(verifier(), &tampered, &pieces);
    assert_eq!(error, resumed_error, "resuming changed the outcome");
    assert!(out == resumed_out, "resuming changed what was released");
    assert!(out.len() <= length, "released more than declared");
    if tampered == wire {
        assert_eq!(error, None, "the encoder's body was refused");
        assert!(out == body, "the encoder's body decoded to other bytes");
    } else if error.is_none() && mode.signs_chunks() {
        assert!(out == body, "a tampered signed body verified into other bytes");
    }
    if mode.signs_chunks() {
        assert!(body.starts_with(&out), "a signed body released bytes that were not signed");
    }
});
