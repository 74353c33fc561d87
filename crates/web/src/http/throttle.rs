//! Failed sign-ins are throttled per account and per address: after [`MAX_FAILURES`] for an
//! account, or [`MAX_ADDRESS_FAILURES`] for an address, within [`THROTTLE_WINDOW`], further
//! attempts are refused without checking the password. An address gets more: a library's
//! network or a training room signs in from one address, many people at the same moment.

use axum::extract::{ConnectInfo, FromRequestParts};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failed sign-ins allowed per account within [`THROTTLE_WINDOW`].
pub const MAX_FAILURES: u32 = 5;
/// Failed (or unfinished) sign-ins allowed per client address within [`THROTTLE_WINDOW`].
pub const MAX_ADDRESS_FAILURES: u32 = 30;

/// The attempts a key allows: an address's (`ip:…`) or an account's.
fn limit(key: &str) -> u32 {
    match key.starts_with("ip:") {
        true => MAX_ADDRESS_FAILURES,
        false => MAX_FAILURES,
    }
}
pub const THROTTLE_WINDOW: Duration = Duration::from_secs(15 * 60);

/// Failed sign-ins per key (`login:…`, `ip:…`).
#[derive(Default)]
pub struct Throttle {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl Throttle {
    /// Counts an attempt under every key before its password is checked, atomically: `false`
    /// (nothing counted) when a key has had its limit within [`THROTTLE_WINDOW`]. So many
    /// guesses sent at once are counted one by one, and only the first few reach a hash.
    pub fn begin(&self, keys: &[String]) -> bool {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > 100_000 {
            map.retain(|_, (_, since)| since.elapsed() < THROTTLE_WINDOW);
        }
        let live = |e: &(u32, Instant)| e.1.elapsed() < THROTTLE_WINDOW;
        if keys
            .iter()
            .any(|k| map.get(k).is_some_and(|e| live(e) && e.0 >= limit(k)))
        {
            return false;
        }
        for k in keys {
            let e = map.entry(k.clone()).or_insert((0, Instant::now()));
            if !live(e) {
                *e = (0, Instant::now());
            }
            e.0 += 1;
        }
        true
    }

    /// A sign-in that [`Throttle::begin`] counted went through: the account starts afresh and
    /// the attempt no longer counts against the other keys (the client's address).
    pub fn succeeded(&self, keys: &[String]) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((first, rest)) = keys.split_first() {
            map.remove(first);
            for k in rest {
                if let Some(e) = map.get_mut(k) {
                    e.0 = e.0.saturating_sub(1);
                }
            }
        }
    }
}

/// The client's address: the last address of the trusted proxy's header when the server is
/// told of one (`lipa serve --client-ip-header X-Forwarded-For`: the proxy appends the address
/// it saw), else the direct peer's (tests calling the router directly have neither).
pub struct PeerIp(pub Option<std::net::IpAddr>);

impl FromRequestParts<crate::AppState> for PeerIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &crate::AppState,
    ) -> Result<Self, Self::Rejection> {
        let forwarded = state.inner.client_ip_header.as_ref().and_then(|name| {
            parts
                .headers
                .get_all(name)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .filter_map(|a| a.trim().parse::<std::net::IpAddr>().ok())
                .next_back()
        });
        Ok(PeerIp(forwarded.or_else(|| {
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip())
        })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guesses_sent_at_once_are_counted_one_by_one() {
        let throttle = std::sync::Arc::new(Throttle::default());
        let keys = vec!["login:maria".to_owned(), "ip:10.0.0.1".to_owned()];
        let passed: u32 = std::thread::scope(|s| {
            let handles: Vec<_> = (0..50)
                .map(|_| {
                    let (t, k) = (throttle.clone(), keys.clone());
                    s.spawn(move || u32::from(t.begin(&k)))
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).sum()
        });
        assert_eq!(passed, MAX_FAILURES);
        // A success frees the account and gives its attempt back to the address.
        throttle.succeeded(&keys);
        assert!(throttle.begin(&["login:maria".to_owned()]));
        let address = ["ip:10.0.0.1".to_owned()];
        let more = (0..MAX_ADDRESS_FAILURES)
            .filter(|_| throttle.begin(&address))
            .count() as u32;
        assert_eq!(more, MAX_ADDRESS_FAILURES - MAX_FAILURES + 1);
        assert!(!throttle.begin(&address));
    }

    #[test]
    fn people_signing_in_at_once_from_one_address_are_not_refused() {
        let throttle = std::sync::Arc::new(Throttle::default());
        // A training room: twenty people, one address, all at the same moment.
        let passed: u32 = std::thread::scope(|s| {
            let handles: Vec<_> = (0..20)
                .map(|n| {
                    let t = throttle.clone();
                    let keys = vec![format!("login:user{n}"), "ip:10.0.0.1".to_owned()];
                    s.spawn(move || u32::from(t.begin(&keys)))
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).sum()
        });
        assert_eq!(passed, 20);
    }
}
