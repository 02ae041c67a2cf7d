//! SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104) over sha2's compression function: what
//! signing hashes with, in every binary. The same digests as the `sha2` and `hmac` crates
//! (the tests below compare them), without their generic buffering (block-buffer,
//! hybrid-array, digest's core wrappers, one copy per hasher type): 0.5 KB gzipped of the
//! browsers' signer, a tenth of the Postman translation. And an HMAC state is plain bytes that
//! are all its own, so that the signing-key cache can keep it (src/cache.rs).

use sha2::block_api::compress256;
use zeroize::{Zeroize, Zeroizing};

/// The initial hash value (FIPS 180-4, 5.3.3).
const INITIAL_STATE: [u32; 8] =
    [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

/// A SHA-256 in progress. Its state and block, which hold secret-derived bytes when it hashes
/// a key, are zeroed when it is dropped.
#[derive(Clone)]
pub(crate) struct Sha256 {
    state: [u32; 8],
    /// The bytes of the block not yet hashed, `filled` of them.
    block: [u8; 64],
    filled: usize,
    /// Bytes hashed: a `usize`, so that the length in bits is two 32-bit words to write and no
    /// 64-bit arithmetic in the wasm32 binary (wasm2js writes each 64-bit operation as several).
    length: usize,
}

impl Sha256 {
    pub(crate) fn new() -> Self {
        Self::resumed(INITIAL_STATE, 0)
    }

    /// A hash that has hashed `length` bytes, a whole number of blocks, and stands at `state`.
    fn resumed(state: [u32; 8], length: usize) -> Self {
        Self { state, block: [0; 64], filled: 0, length }
    }

    /// (One copy: inlined, each call site carried it.)
    #[inline(never)]
    pub(crate) fn update(&mut self, mut data: &[u8]) {
        self.length = self.length.wrapping_add(data.len());
        while !data.is_empty() {
            let (head, rest) = data.split_at(data.len().min(64 - self.filled));
            if let Some(slots) = self.block.get_mut(self.filled..self.filled + head.len()) {
                slots.copy_from_slice(head);
            }
            self.filled += head.len();
            if self.filled == 64 {
                compress256(&mut self.state, std::slice::from_ref(&self.block));
                self.filled = 0;
            }
            data = rest;
        }
    }

    /// The digest: the data, a 1 bit, zeros up to 8 bytes short of a block's end, and the
    /// length in bits, big-endian (FIPS 180-4, 5.1.1).
    pub(crate) fn finalize(mut self) -> [u8; 32] {
        let (high, low) = ((self.length >> 29) as u32, (self.length as u32) << 3);
        let mut padding = [0u8; 72];
        padding[0] = 0x80;
        // 1 to 64 bytes of 0x80 and zeros, so that 8 bytes are left in the block.
        let zeros = (55 + 64 - self.filled) % 64 + 1;
        padding[zeros..zeros + 4].copy_from_slice(&high.to_be_bytes());
        padding[zeros + 4..zeros + 8].copy_from_slice(&low.to_be_bytes());
        self.update(padding.get(..zeros + 8).unwrap_or_default());
        let mut digest = [0u8; 32];
        for (bytes, word) in digest.chunks_exact_mut(4).zip(self.state) {
            bytes.copy_from_slice(&word.to_be_bytes());
        }
        digest
    }
}

impl Drop for Sha256 {
    fn drop(&mut self) {
        self.state.zeroize();
        self.block.zeroize();
    }
}

/// The SHA-256 of `data`.
pub(crate) fn sha256(data: &[u8]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(data);
    hasher.finalize()
}

/// HMAC-SHA256 (RFC 2104) with its key's two padded blocks hashed once: the inner and outer
/// hashes as they stand after them.
#[derive(Clone)]
pub(crate) struct HmacSha256 {
    inner: Sha256,
    outer: Sha256,
}

impl HmacSha256 {
    pub(crate) fn new(key: &[u8]) -> Self {
        let hashed;
        let key = if key.len() > 64 {
            hashed = Zeroizing::new(sha256(key));
            &hashed[..]
        } else {
            key
        };
        let mut padded = Zeroizing::new([0x36u8; 64]);
        for (pad, byte) in padded.iter_mut().zip(key) {
            *pad ^= byte;
        }
        let mut inner = Sha256::new();
        inner.update(&padded[..]);
        for pad in padded.iter_mut() {
            *pad ^= 0x36 ^ 0x5c;
        }
        let mut outer = Sha256::new();
        outer.update(&padded[..]);
        Self { inner, outer }
    }

    /// The HMAC of `data`.
    pub(crate) fn mac(&self, data: &[u8]) -> [u8; 32] {
        let mut inner = self.inner.clone();
        inner.update(data);
        let inner = Zeroizing::new(inner.finalize());
        let mut outer = self.outer.clone();
        outer.update(&inner[..]);
        outer.finalize()
    }

    /// The two hashes' states after the padded key, inner then outer: all that
    /// [`HmacSha256::from_states`] needs to make this HMAC again. (Not in the Postman binary,
    /// which caches no key.)
    #[cfg_attr(sigv4_postman, allow(dead_code))]
    pub(crate) fn states(&self) -> [[u32; 8]; 2] {
        [self.inner.state, self.outer.state]
    }

    /// The HMAC whose [`HmacSha256::states`] are `states`.
    #[cfg_attr(sigv4_postman, allow(dead_code))]
    pub(crate) fn from_states(&[inner, outer]: &[[u32; 8]; 2]) -> Self {
        Self { inner: Sha256::resumed(inner, 64), outer: Sha256::resumed(outer, 64) }
    }
}

#[cfg(test)]
mod tests {
    use hmac::{Hmac, KeyInit, Mac};
    use sha2::Digest;

    use super::*;

    /// `n` bytes that differ from one position to the next.
    fn bytes(n: usize, seed: u8) -> Vec<u8> {
        (0..n).map(|i| (i as u8).wrapping_mul(151).wrapping_add(seed)).collect()
    }

    #[test]
    fn the_digest_is_sha2s_for_every_length_around_the_block_boundaries() {
        for n in 0..300 {
            let data = bytes(n, 7);
            assert_eq!(sha256(&data), <[u8; 32]>::from(sha2::Sha256::digest(&data)), "{n} bytes");
        }
        // Known answers (FIPS 180-2, appendix B), not only agreement with the crate.
        assert_eq!(
            crate::lower_hex(&sha256(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let two_blocks = b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        assert_eq!(
            crate::lower_hex(&sha256(two_blocks)),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
    }

    #[test]
    fn the_digest_is_the_same_whatever_the_pieces() {
        let data = bytes(1000, 3);
        for first in [0, 1, 55, 56, 63, 64, 65, 128, 999, 1000] {
            for second in [0, 1, 8, 63, 64, 65, 200] {
                let second = (first + second).min(data.len());
                let mut hasher = Sha256::new();
                hasher.update(&data[..first]);
                hasher.update(&data[first..second]);
                hasher.update(&data[second..]);
                assert_eq!(hasher.finalize(), sha256(&data), "pieces end at {first} and {second}");
            }
        }
        let mut hasher = Sha256::new();
        data.iter().for_each(|byte| hasher.update(std::slice::from_ref(byte)));
        assert_eq!(hasher.finalize(), sha256(&data), "a byte at a time");
    }

    #[test]
    fn the_mac_is_hmacs_for_keys_and_data_of_every_length() -> Result<(), hmac::digest::InvalidLength> {
        for key_length in [0, 1, 20, 32, 63, 64, 65, 100, 131] {
            let key = bytes(key_length, 11);
            let mac = HmacSha256::new(&key);
            let again = HmacSha256::from_states(&mac.states());
            for n in [0, 1, 12, 55, 56, 64, 119, 120, 200] {
                let data = bytes(n, 5);
                let mut expected = Hmac::<sha2::Sha256>::new_from_slice(&key)?;
                expected.update(&data);
                let expected: [u8; 32] = expected.finalize().into_bytes().into();
                assert_eq!(mac.mac(&data), expected, "key {key_length} bytes, data {n} bytes");
                assert_eq!(mac.mac(&data), expected, "the keyed state is not used up");
                assert_eq!(again.mac(&data), expected, "key {key_length} bytes, data {n} bytes, from its states");
            }
        }
        // RFC 4231, test case 2.
        let mac = HmacSha256::new(b"Jefe").mac(b"what do ya want for nothing?");
        assert_eq!(crate::lower_hex(&mac), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        Ok(())
    }
}
