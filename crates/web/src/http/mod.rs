//! HTTP plumbing shared by the pages and the API: who is asking and in which language
//! ([`ctx`]), sessions ([`session`]), anti-forgery ([`csrf`]), sign-in throttling ([`throttle`]),
//! and errors rendered by a layer that knows the request ([`error`]).

pub mod csrf;
pub mod ctx;
pub mod error;
pub mod session;
pub mod throttle;
