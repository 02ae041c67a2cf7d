//! A small cache of derived signing keys.
//!
//! A signing key is valid for one secret, date, region and service, so a client signing many
//! requests derives the same key again and again (four HMACs each time). The cache keeps the
//! most recently used keys. It never stores the secret access key: an entry is found by a
//! SHA-256 digest of the secret and the scope, and both the digest and the key are zeroed
//! when an entry is evicted or the cache is dropped. Its storage is a fixed array, so it
//! holds no heap memory between calls.

use sha2::{Digest, Sha256};

use crate::secret::SecretBytes;
use crate::signature::{SigningKey, signing_key};

/// How many keys a cache can hold: enough for a client that talks to a few services in a
/// few regions with a few keys.
pub const SIGNING_KEY_CACHE_CAPACITY: usize = 16;

#[derive(Debug)]
struct Entry {
    lookup: SecretBytes<32>,
    key: SigningKey,
    last_used: u64,
}

/// A bounded least-recently-used cache of signing keys.
#[derive(Debug)]
pub struct SigningKeyCache {
    entries: [Option<Entry>; SIGNING_KEY_CACHE_CAPACITY],
    capacity: usize,
    clock: u64,
}

impl Default for SigningKeyCache {
    fn default() -> Self {
        Self::new(SIGNING_KEY_CACHE_CAPACITY)
    }
}

impl SigningKeyCache {
    /// A cache holding at most `capacity` keys (at most [`SIGNING_KEY_CACHE_CAPACITY`]); `0`
    /// disables caching.
    pub fn new(capacity: usize) -> Self {
        Self { entries: Default::default(), capacity: capacity.min(SIGNING_KEY_CACHE_CAPACITY), clock: 0 }
    }

    pub fn len(&self) -> usize {
        self.entries.iter().flatten().count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Forgets every key.
    pub fn clear(&mut self) {
        self.entries = Default::default();
    }

    /// Whether the key for this secret and scope is cached.
    pub fn contains(&self, secret_access_key: &str, date: &str, region: &str, service: &str) -> bool {
        let lookup = Self::lookup_key(secret_access_key, date, region, service);
        self.entries.iter().flatten().any(|e| e.lookup == lookup)
    }

    /// The signing key for this secret and scope, derived at most once while it stays cached.
    pub fn signing_key(&mut self, secret_access_key: &str, date: &str, region: &str, service: &str) -> SigningKey {
        self.clock += 1;
        let lookup = Self::lookup_key(secret_access_key, date, region, service);
        if let Some(entry) = self.entries.iter_mut().flatten().find(|e| e.lookup == lookup) {
            entry.last_used = self.clock;
            return entry.key.clone();
        }
        let key = signing_key(secret_access_key, date, region, service);
        let slots = &mut self.entries[..self.capacity];
        // An empty slot, or else the least recently used one.
        let slot = slots
            .iter()
            .position(Option::is_none)
            .or_else(|| (0..slots.len()).min_by_key(|&i| slots[i].as_ref().map_or(0, |e| e.last_used)));
        if let Some(i) = slot {
            slots[i] = Some(Entry { lookup, key: key.clone(), last_used: self.clock });
        }
        key
    }

    /// A one-way digest of the secret and the scope. Lengths are written before each part so
    /// that no two different inputs share a digest input.
    fn lookup_key(secret_access_key: &str, date: &str, region: &str, service: &str) -> SecretBytes<32> {
        let mut hasher = Sha256::new();
        for part in [secret_access_key, date, region, service] {
            hasher.update((part.len() as u64).to_be_bytes());
            hasher.update(part.as_bytes());
        }
        SecretBytes(hasher.finalize().into())
    }
}
