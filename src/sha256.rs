//! SHA-256 and HMAC-SHA256 written over sha2's compression function alone: the Postman
//! binary's (`--cfg sigv4_postman`, js/build.mjs), which Postman runs as its wasm2js
//! translation. The same digests as the `sha2` and `hmac` crates, which every other binary
//! keeps: their generic buffering (block-buffer, hybrid-array, digest's core wrappers, one copy
//! per hasher type) was about a tenth of that translation, and this is a fraction of it.
//! Bytes go into the block one at a time: slower per byte, and Postman signs short canonical
//! requests and bodies a script could read. Compiled in every build, so that its tests (below)
//! compare it with the crates there; only the Postman binary calls it.
#![cfg_attr(not(sigv4_postman), allow(dead_code))]

use sha2::block_api::compress256;
use zeroize::{Zeroize, Zeroizing};

/// The initial hash value (FIPS 180-4, 5.3.3).
pub(crate) const INITIAL_STATE: [u32; 8] =
    [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

/// A SHA-256 in progress. Its state and block, which hold secret-derived bytes when it hashes
/// a key, are zeroed when it is dropped.
#[derive(Clone)]
pub(crate) struct Sha256 {
    state: [u32; 8],
    block: [u8; 64],
    filled: usize,
    /// Bytes hashed: a `usize`, so that the length in bits is two 32-bit words to write and no
    /// 64-bit arithmetic in the wasm32 binary (wasm2js writes each 64-bit operation as several).
    length: usize,
}

impl Sha256 {
    pub(crate) fn new() -> Self {
        Self { state: INITIAL_STATE, block: [0; 64], filled: 0, length: 0 }
    }

    /// (One copy: inlined, each call site carried the loop.)
    #[inline(never)]
    pub(crate) fn update(&mut self, data: &[u8]) {
        for &byte in data {
            if let Some(slot) = self.block.get_mut(self.filled) {
                *slot = byte;
            }
            self.filled += 1;
            if self.filled == self.block.len() {
                compress256(&mut self.state, std::slice::from_ref(&self.block));
                self.filled = 0;
            }
        }
        self.length = self.length.wrapping_add(data.len());
    }

    /// The digest: the data, a 1 bit, zeros up to 8 bytes short of a block's end, and the
    /// length in bits, big-endian (FIPS 180-4, 5.1.1).
    pub(crate) fn finalize(mut self) -> [u8; 32] {
        let (high, low) = ((self.length >> 29) as u32, (self.length as u32) << 3);
        self.update(&[0x80]);
        while self.filled != 56 {
            self.update(&[0]);
        }
        self.update(&high.to_be_bytes());
        self.update(&low.to_be_bytes());
        let mut digest = [0u8; 32];
        for (i, byte) in digest.iter_mut().enumerate() {
            *byte = (self.state[i / 4] >> (24 - 8 * (i % 4))) as u8;
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
        // The padded key stays in the blocks as the key does in a `SigningKey`: until the drop
        // zeroes them.
        let mut hmac = Self { inner: Sha256::new(), outer: Sha256::new() };
        for i in 0..64 {
            let byte = key.get(i).copied().unwrap_or(0);
            hmac.inner.update(&[byte ^ 0x36]);
            hmac.outer.update(&[byte ^ 0x5c]);
        }
        hmac
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
        for split in [0, 1, 55, 56, 63, 64, 65, 128, 999, 1000] {
            let mut hasher = Sha256::new();
            hasher.update(&data[..split]);
            hasher.update(&data[split..]);
            assert_eq!(hasher.finalize(), sha256(&data), "split at {split}");
        }
    }

    #[test]
    fn the_mac_is_hmacs_for_keys_and_data_of_every_length() {
        for key_length in [0, 1, 20, 32, 63, 64, 65, 100, 131] {
            let key = bytes(key_length, 11);
            let mac = HmacSha256::new(&key);
            for n in [0, 1, 12, 55, 56, 64, 119, 120, 200] {
                let data = bytes(n, 5);
                let mut expected = Hmac::<sha2::Sha256>::new_from_slice(&key).expect("any key length");
                expected.update(&data);
                let expected: [u8; 32] = expected.finalize().into_bytes().into();
                assert_eq!(mac.mac(&data), expected, "key {key_length} bytes, data {n} bytes");
                assert_eq!(mac.mac(&data), expected, "the keyed state is not used up");
            }
        }
        // RFC 4231, test case 2.
        let mac = HmacSha256::new(b"Jefe").mac(b"what do ya want for nothing?");
        assert_eq!(crate::lower_hex(&mac), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }
}
