//! Unit tests of the core's building blocks, one module per source file, through the public
//! API.

// What the cache keeps (the Postman binary, `--cfg sigv4_postman`, keeps nothing: src/cache.rs).
#[cfg(not(sigv4_postman))]
mod cache;
mod canonical;
mod datetime;
mod encode;
mod endpoint;
mod error;
mod request;
mod sign;
mod signature;
