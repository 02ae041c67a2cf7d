//! Unit tests of the core's building blocks, one module per source file, through the public
//! API.

mod cache;
mod canonical;
mod datetime;
mod encode;
mod endpoint;
mod error;
mod request;
mod sign;
mod signature;
