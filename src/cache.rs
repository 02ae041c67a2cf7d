//! A small cache of derived signing keys.
//!
//! A signing key is valid for one secret, date, region and service, so a client signing many
//! requests derives the same key again and again (four HMACs each time). The cache keeps the
//! most recently used keys. It never stores the secret access key: an entry is found by a
//! SHA-256 digest of the secret and the scope, and both the digest and the key are zeroed
//! when an entry is evicted or the cache is dropped.

use sha2::{Digest, Sha256};

use crate::secret::SecretBytes;
use crate::signature::{SigningKey, signing_key};

/// A bounded least-recently-used cache of signing keys.
#[derive(Debug)]
pub struct SigningKeyCache {
    /// Most recently used last.
    entries: Vec<(SecretBytes<32>, SigningKey)>,
    capacity: usize,
}

impl Default for SigningKeyCache {
    fn default() -> Self {
        Self::new(Self::DEFAULT_CAPACITY)
    }
}

impl SigningKeyCache {
    /// Enough for a client that talks to a few services in a few regions with a few keys.
    pub const DEFAULT_CAPACITY: usize = 16;

    /// A cache holding at most `capacity` keys; `0` disables caching.
    pub fn new(capacity: usize) -> Self {
        Self { entries: Vec::with_capacity(capacity.min(Self::DEFAULT_CAPACITY)), capacity }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Forgets every key.
    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// Whether the key for this secret and scope is cached.
    pub fn contains(&self, secret_access_key: &str, date: &str, region: &str, service: &str) -> bool {
        let lookup = Self::lookup_key(secret_access_key, date, region, service);
        self.entries.iter().any(|(k, _)| k == &lookup)
    }

    /// The signing key for this secret and scope, derived at most once while it stays cached.
    pub fn signing_key(&mut self, secret_access_key: &str, date: &str, region: &str, service: &str) -> SigningKey {
        let lookup = Self::lookup_key(secret_access_key, date, region, service);
        if let Some(index) = self.entries.iter().position(|(k, _)| k == &lookup) {
            let entry = self.entries.remove(index);
            let key = entry.1.clone();
            self.entries.push(entry);
            return key;
        }
        let key = signing_key(secret_access_key, date, region, service);
        if self.capacity > 0 {
            if self.entries.len() >= self.capacity {
                self.entries.remove(0);
            }
            self.entries.push((lookup, key.clone()));
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
