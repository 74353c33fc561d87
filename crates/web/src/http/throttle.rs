//! Failed sign-ins are throttled per account and per address: after [`MAX_FAILURES`] within
//! [`THROTTLE_WINDOW`], further attempts are refused without checking the password.

use axum::extract::{ConnectInfo, FromRequestParts};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failed sign-ins allowed per account or address within [`THROTTLE_WINDOW`].
pub const MAX_FAILURES: u32 = 5;
pub const THROTTLE_WINDOW: Duration = Duration::from_secs(15 * 60);

/// Failed sign-ins per key (`login:…`, `ip:…`).
#[derive(Default)]
pub struct Throttle {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl Throttle {
    pub fn blocked(&self, keys: &[String]) -> bool {
        let map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        keys.iter().any(|k| {
            map.get(k)
                .is_some_and(|(n, since)| *n >= MAX_FAILURES && since.elapsed() < THROTTLE_WINDOW)
        })
    }

    pub fn fail(&self, keys: &[String]) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > 100_000 {
            map.retain(|_, (_, since)| since.elapsed() < THROTTLE_WINDOW);
        }
        for k in keys {
            let e = map.entry(k.clone()).or_insert((0, Instant::now()));
            if e.1.elapsed() >= THROTTLE_WINDOW {
                *e = (0, Instant::now());
            }
            e.0 += 1;
        }
    }

    pub fn clear(&self, key: &str) {
        self.failures
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(key);
    }
}

/// The client's address, when the server knows it (tests calling the router directly do not).
pub struct PeerIp(pub Option<std::net::IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for PeerIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(PeerIp(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip()),
        ))
    }
}
