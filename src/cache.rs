//! A small cache of derived signing keys.
//!
//! A signing key is valid for one secret, date, region and service, so a client signing many
//! requests derives the same key again and again (four HMACs each time). The cache keeps the
//! most recently used keys. It never stores the secret access key: an entry is found by a
//! SHA-256 digest of the secret (one hash block for any AWS secret) and by its scope, which is
//! not secret; the digest and the key are zeroed when an entry is evicted or the cache is
//! dropped. Its storage is a fixed array, so it holds no heap memory between calls.

use sha2::{Digest, Sha256};

use crate::secret::SecretBytes;
use crate::signature::{SigningKey, signing_key};

/// How many keys a cache can hold: enough for a client that talks to a few services in a
/// few regions with a few keys.
pub const SIGNING_KEY_CACHE_CAPACITY: usize = 16;

/// Room for `date/region/service`: longer scopes are not cached.
const SCOPE_CAPACITY: usize = 64;

#[derive(Debug)]
struct Entry {
    secret_digest: SecretBytes<32>,
    scope: [u8; SCOPE_CAPACITY],
    scope_len: usize,
    key: SigningKey,
    last_used: u64,
}

impl Entry {
    fn matches(&self, secret_digest: &SecretBytes<32>, scope: &[u8]) -> bool {
        &self.scope[..self.scope_len] == scope && &self.secret_digest == secret_digest
    }
}

/// `date/region/service` as bytes, if it fits in an entry.
fn scope_of(date: &str, region: &str, service: &str) -> Option<([u8; SCOPE_CAPACITY], usize)> {
    let mut scope = [0u8; SCOPE_CAPACITY];
    let mut len = 0;
    for (i, part) in [date, region, service].into_iter().enumerate() {
        let end = len + part.len() + usize::from(i > 0);
        if end > SCOPE_CAPACITY {
            return None;
        }
        if i > 0 {
            scope[len] = b'/';
            len += 1;
        }
        scope[len..end].copy_from_slice(part.as_bytes());
        len = end;
    }
    Some((scope, len))
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
    pub const fn new(capacity: usize) -> Self {
        let capacity = if capacity < SIGNING_KEY_CACHE_CAPACITY { capacity } else { SIGNING_KEY_CACHE_CAPACITY };
        Self { entries: [const { None }; SIGNING_KEY_CACHE_CAPACITY], capacity, clock: 0 }
    }

    pub fn len(&self) -> usize {
        self.entries.iter().flatten().count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Forgets every key.
    pub fn clear(&mut self) {
        self.entries = [const { None }; SIGNING_KEY_CACHE_CAPACITY];
    }

    /// Whether the key for this secret and scope is cached.
    pub fn contains(&self, secret_access_key: &str, date: &str, region: &str, service: &str) -> bool {
        let digest = Self::secret_digest(secret_access_key);
        scope_of(date, region, service)
            .is_some_and(|(scope, len)| self.entries.iter().flatten().any(|e| e.matches(&digest, &scope[..len])))
    }

    /// The signing key for this secret and scope, derived at most once while it stays cached.
    pub fn signing_key(&mut self, secret_access_key: &str, date: &str, region: &str, service: &str) -> SigningKey {
        self.clock += 1;
        let Some((scope, scope_len)) = scope_of(date, region, service) else {
            return signing_key(secret_access_key, date, region, service);
        };
        let secret_digest = Self::secret_digest(secret_access_key);
        if let Some(entry) = self.entries.iter_mut().flatten().find(|e| e.matches(&secret_digest, &scope[..scope_len]))
        {
            entry.last_used = self.clock;
            return entry.key.clone();
        }
        let key = signing_key(secret_access_key, date, region, service);
        // The first empty slot, or else the least recently used one: an empty slot counts as
        // used at 0, before any entry (the clock starts at 1).
        let (mut slot, mut oldest) = (None, u64::MAX);
        for (i, entry) in self.entries[..self.capacity].iter().enumerate() {
            let used = entry.as_ref().map_or(0, |e| e.last_used);
            if used < oldest {
                (slot, oldest) = (Some(i), used);
            }
        }
        if let Some(i) = slot {
            self.entries[i] = Some(Entry { secret_digest, scope, scope_len, key: key.clone(), last_used: self.clock });
        }
        key
    }

    /// A one-way digest of the secret.
    fn secret_digest(secret_access_key: &str) -> SecretBytes<32> {
        SecretBytes(Sha256::digest(secret_access_key.as_bytes()).into())
    }
}
