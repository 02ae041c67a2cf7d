//! A small cache of derived signing keys.
//!
//! A signing key is valid for one secret, date, region and service, so a client signing many
//! requests derives the same key again and again (four HMACs each time). The cache keeps the
//! most recently used keys. It never stores the secret access key: an entry is found by a
//! SHA-256 digest of the secret (one hash block for any AWS secret) and by its scope, which is
//! not secret; the digest and the key are zeroed when an entry is evicted or the cache is
//! dropped. Its storage is a fixed array, so it holds no heap memory between calls.
//!
//! The binding keeps its cache in static memory, which outlives every call and which no wipe
//! reaches, so an entry holds exactly its fields' bytes: byte arrays and integers, no padding
//! (asserted below), no `Option`, and no hasher object. (A hasher's state can carry bytes that
//! are not its own: the block buffer of the `sha2` and `hmac` crates' states is `MaybeUninit`
//! until data is written to it (block-buffer 0.12), so a state built on the stack keeps
//! whatever an earlier hasher left in that slot. That is how a cached key's HMAC state once
//! carried the secret access key into static memory.) An entry keeps the key's HMAC as the two
//! SHA-256 states after the key's padded blocks, 16 words ([`SigningKey::hmac_states`]), so a
//! key taken from it hashes no block of its own.

use std::fmt;

use zeroize::Zeroize;

use crate::signature::{SigningKey, signing_key};

/// How many keys a cache can hold: enough for a client that talks to a few services in a
/// few regions with a few keys.
pub const SIGNING_KEY_CACHE_CAPACITY: usize = 16;

/// Room for `date/region/service`: longer scopes are not cached.
const SCOPE_CAPACITY: usize = 64;

/// A byte array aligned to 8 bytes, so that copying one is word copies (see
/// [`SecretBytes`](crate::secret::SecretBytes); wasm2js writes an unaligned 8-byte copy as 16
/// single-byte ones).
#[derive(Clone, Copy, PartialEq, Eq)]
#[repr(C, align(8))]
struct Bytes<const N: usize>([u8; N]);

/// One cached key: only bytes that are its fields' (see the module's documentation).
#[repr(C)]
struct Entry {
    secret_digest: Bytes<32>,
    key: Bytes<32>,
    /// The key's HMAC states ([`SigningKey::hmac_states`]): signing with a cached key hashes no
    /// block of the key's.
    hmac_states: [[u32; 8]; 2],
    scope: Bytes<SCOPE_CAPACITY>,
    /// When it was last used (the cache's clock, from 1).
    last_used: u64,
    scope_len: u32,
    /// 1 when the entry holds a key, 0 when it is empty.
    full: u32,
}

// No padding: every byte of an entry is one of its fields'.
const _: () = assert!(size_of::<Entry>() == 32 + 32 + 64 + SCOPE_CAPACITY + 8 + 4 + 4);

impl Entry {
    const EMPTY: Self = Self {
        secret_digest: Bytes([0; 32]),
        key: Bytes([0; 32]),
        hmac_states: [[0; 8]; 2],
        scope: Bytes([0; SCOPE_CAPACITY]),
        last_used: 0,
        scope_len: 0,
        full: 0,
    };

    fn matches(&self, secret_digest: &Bytes<32>, scope: &[u8]) -> bool {
        self.full != 0
            && self.scope.0.get(..self.scope_len as usize) == Some(scope)
            && &self.secret_digest == secret_digest
    }

    /// Zeroes every field in place (the entry is then empty).
    fn wipe(&mut self) {
        self.secret_digest.0.zeroize();
        self.key.0.zeroize();
        self.hmac_states.as_flattened_mut().zeroize();
        self.scope.0.zeroize();
        self.scope_len.zeroize();
        self.last_used.zeroize();
        self.full.zeroize();
    }
}

impl fmt::Debug for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Entry")
            .field("secret_digest", &format_args!("** redacted **"))
            .field("scope", &String::from_utf8_lossy(&self.scope.0[..self.scope_len as usize]))
            .field("key", &format_args!("** redacted **"))
            .field("last_used", &self.last_used)
            .finish()
    }
}

/// `date/region/service` as bytes, if it fits in an entry.
fn scope_of(date: &str, region: &str, service: &str) -> Option<(Bytes<SCOPE_CAPACITY>, usize)> {
    let mut scope = Bytes([0u8; SCOPE_CAPACITY]);
    let mut len = 0;
    for (i, part) in [date, region, service].into_iter().enumerate() {
        let end = len + part.len() + usize::from(i > 0);
        if end > SCOPE_CAPACITY {
            return None;
        }
        if i > 0 {
            scope.0[len] = b'/';
            len += 1;
        }
        scope.0[len..end].copy_from_slice(part.as_bytes());
        len = end;
    }
    Some((scope, len))
}

/// A bounded least-recently-used cache of signing keys.
pub struct SigningKeyCache {
    entries: [Entry; SIGNING_KEY_CACHE_CAPACITY],
    capacity: usize,
    #[cfg_attr(sigv4_postman, allow(dead_code))] // the Postman binary caches nothing
    clock: u64,
}

impl fmt::Debug for SigningKeyCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKeyCache")
            .field("entries", &self.entries.iter().filter(|e| e.full != 0).collect::<Vec<_>>())
            .field("capacity", &self.capacity)
            .finish()
    }
}

impl Default for SigningKeyCache {
    fn default() -> Self {
        Self::new(SIGNING_KEY_CACHE_CAPACITY)
    }
}

impl Drop for SigningKeyCache {
    fn drop(&mut self) {
        self.clear();
    }
}

impl SigningKeyCache {
    /// A cache holding at most `capacity` keys (at most [`SIGNING_KEY_CACHE_CAPACITY`]); `0`
    /// disables caching.
    pub const fn new(capacity: usize) -> Self {
        let capacity = if capacity < SIGNING_KEY_CACHE_CAPACITY { capacity } else { SIGNING_KEY_CACHE_CAPACITY };
        Self { entries: [Entry::EMPTY; SIGNING_KEY_CACHE_CAPACITY], capacity, clock: 0 }
    }

    pub fn len(&self) -> usize {
        self.entries.iter().filter(|e| e.full != 0).count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Forgets every key, zeroing its entry.
    pub fn clear(&mut self) {
        self.entries.iter_mut().for_each(Entry::wipe);
    }

    /// Whether the key for this secret and scope is cached.
    pub fn contains(&self, secret_access_key: &str, date: &str, region: &str, service: &str) -> bool {
        let digest = Self::secret_digest(secret_access_key);
        scope_of(date, region, service)
            .is_some_and(|(scope, len)| self.entries.iter().any(|e| e.matches(&digest, &scope.0[..len])))
    }

    /// The signing key for this secret and scope, derived at most once while it stays cached.
    #[cfg(not(sigv4_postman))]
    pub fn signing_key(&mut self, secret_access_key: &str, date: &str, region: &str, service: &str) -> SigningKey {
        self.clock += 1;
        let Some((scope, scope_len)) = scope_of(date, region, service) else {
            return signing_key(secret_access_key, date, region, service);
        };
        let secret_digest = Self::secret_digest(secret_access_key);
        if let Some(entry) = self.entries.iter_mut().find(|e| e.matches(&secret_digest, &scope.0[..scope_len])) {
            entry.last_used = self.clock;
            return SigningKey::with_hmac_states(entry.key.0, &entry.hmac_states);
        }
        let key = signing_key(secret_access_key, date, region, service);
        // The first empty slot, or else the least recently used one: an empty slot counts as
        // used at 0, before any entry (the clock starts at 1).
        let (mut slot, mut oldest) = (None, u64::MAX);
        for (i, entry) in self.entries[..self.capacity].iter().enumerate() {
            if entry.last_used < oldest {
                (slot, oldest) = (Some(i), entry.last_used);
            }
        }
        if let Some(i) = slot {
            // Field by field, each a plain copy of initialized bytes.
            let entry = &mut self.entries[i];
            entry.secret_digest = secret_digest;
            entry.key = Bytes(*key.as_bytes());
            entry.hmac_states = key.hmac_states();
            entry.scope = scope;
            entry.scope_len = scope_len as u32;
            entry.last_used = self.clock;
            entry.full = 1;
        }
        key
    }

    /// The Postman binary's (`--cfg sigv4_postman`): the signing key derived each time, never
    /// cached. Postman runs the library anew for each request's script, so a key cached by one
    /// request is gone before the next, and the lookup and eviction were 2.3 KB of the library.
    #[cfg(sigv4_postman)]
    pub fn signing_key(&mut self, secret_access_key: &str, date: &str, region: &str, service: &str) -> SigningKey {
        signing_key(secret_access_key, date, region, service)
    }

    /// A one-way digest of the secret.
    fn secret_digest(secret_access_key: &str) -> Bytes<32> {
        Bytes(crate::sha256::sha256(secret_access_key.as_bytes()))
    }
}
