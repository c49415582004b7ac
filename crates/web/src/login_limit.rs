//! Failed logins counted per client address and per address and user name, never per user name
//! alone: a stranger who types someone's name with wrong passwords locks out only their own
//! address, not the person, while one address guessing across many names is stopped too.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failed logins allowed per user name and client address in [`LOGIN_WINDOW`].
pub const LOGIN_ATTEMPTS: usize = 5;
/// Failed logins allowed per client address, whatever the names, in [`LOGIN_WINDOW`].
pub const ADDRESS_ATTEMPTS: usize = 20;
/// The window failed logins are counted in.
pub const LOGIN_WINDOW: Duration = Duration::from_secs(300);
/// Keys remembered at most before windows that have passed are forgotten (bounded memory under a
/// flood of distinct names or addresses).
const KEYS_KEPT: usize = 10_000;

/// The failed-login counters of this server process.
#[derive(Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

fn address_key(addr: &str) -> String {
    format!("addr|{addr}")
}

fn pair_key(addr: &str, name: &str) -> String {
    format!("user|{}|{addr}", name.to_lowercase())
}

impl LoginLimiter {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Vec<Instant>>> {
        // A poisoned lock only means a request panicked mid-update; the counters are still usable.
        self.failures.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// How long `addr` must wait before trying `name` again, when either limit is used up.
    pub fn blocked(&self, addr: &str, name: &str) -> Option<Duration> {
        let mut map = self.lock();
        let now = Instant::now();
        [
            (pair_key(addr, name), LOGIN_ATTEMPTS),
            (address_key(addr), ADDRESS_ATTEMPTS),
        ]
        .into_iter()
        .filter_map(|(key, limit)| {
            let list = map.get_mut(&key)?;
            list.retain(|t| now.duration_since(*t) < LOGIN_WINDOW);
            (list.len() >= limit).then(|| {
                let oldest = list.iter().min().copied().unwrap_or(now);
                LOGIN_WINDOW.saturating_sub(now.duration_since(oldest))
            })
        })
        .max()
    }

    /// Counts a failed login; true when this failure used up a limit (once per window and key,
    /// so the lock-out is recorded once).
    pub fn failed(&self, addr: &str, name: &str) -> bool {
        let mut map = self.lock();
        let now = Instant::now();
        if map.len() > KEYS_KEPT {
            map.retain(|_, v| v.iter().any(|t| now.duration_since(*t) < LOGIN_WINDOW));
        }
        let mut reached = false;
        for (key, limit) in [
            (pair_key(addr, name), LOGIN_ATTEMPTS),
            (address_key(addr), ADDRESS_ATTEMPTS),
        ] {
            let list = map.entry(key).or_default();
            list.retain(|t| now.duration_since(*t) < LOGIN_WINDOW);
            list.push(now);
            reached |= list.len() == limit;
        }
        reached
    }

    /// Clears the failures of this address with this name after a successful login. The address's
    /// own count stays: one valid account must not reset guessing at the others.
    pub fn succeeded(&self, addr: &str, name: &str) {
        self.lock().remove(&pair_key(addr, name));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_locked_from_one_address_stays_open_from_another() {
        let limits = LoginLimiter::default();
        for i in 0..LOGIN_ATTEMPTS {
            assert!(limits.blocked("192.0.2.7", "Amina").is_none());
            assert_eq!(limits.failed("192.0.2.7", "amina"), i + 1 == LOGIN_ATTEMPTS);
        }
        assert!(limits.blocked("192.0.2.7", "amina").is_some());
        assert!(limits.blocked("198.51.100.3", "amina").is_none());
        assert!(limits.blocked("192.0.2.7", "bekir").is_none());
    }

    #[test]
    fn one_address_guessing_across_names_is_stopped() {
        let limits = LoginLimiter::default();
        for i in 0..ADDRESS_ATTEMPTS {
            limits.failed("203.0.113.9", &format!("name{i}"));
        }
        assert!(limits.blocked("203.0.113.9", "someone-new").is_some());
        assert!(limits.blocked("198.51.100.3", "someone-new").is_none());
    }
}
