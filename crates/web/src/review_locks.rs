//! Soft locks on articles under review: who opened an article's review page last, for how long it
//! counts as theirs, so a second reviewer is told before they review the same article unknowingly.
//! Soft: nothing is refused (the second reviewer may go on, and then holds the lock); held in
//! memory, since a lock outliving the server would only mislead.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long an opened article counts as under review without another look at it.
pub const LOCK_TTL: Duration = Duration::from_secs(10 * 60);

/// Who reviews which article now.
#[derive(Debug, Default)]
pub struct ReviewLocks {
    held: Mutex<HashMap<String, (String, Instant)>>,
}

/// Another reviewer's lock on an article.
#[derive(Debug, Clone, PartialEq)]
pub struct Held {
    pub by: String,
    /// Seconds since they last opened or decided on it.
    pub seconds_ago: u64,
}

impl ReviewLocks {
    /// Takes the article for `user`, unless another reviewer holds it and `force` is false: then
    /// returns who holds it and leaves the lock with them.
    pub fn take(&self, article: &str, user: &str, force: bool) -> Option<Held> {
        let now = Instant::now();
        let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        // Expired locks go, so the map stays as small as the reviews under way.
        held.retain(|_, (_, at)| now.duration_since(*at) < LOCK_TTL);
        if let Some((by, at)) = held.get(article) {
            if by != user && !force {
                return Some(Held {
                    by: by.clone(),
                    seconds_ago: now.duration_since(*at).as_secs(),
                });
            }
        }
        held.insert(article.to_string(), (user.to_string(), now));
        None
    }

    /// Who else holds the article now, if anyone.
    pub fn holder(&self, article: &str, user: &str) -> Option<Held> {
        let now = Instant::now();
        let held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        held.get(article)
            .filter(|(by, at)| by != user && now.duration_since(*at) < LOCK_TTL)
            .map(|(by, at)| Held {
                by: by.clone(),
                seconds_ago: now.duration_since(*at).as_secs(),
            })
    }

    /// Lets the article go, if `user` holds it.
    pub fn release(&self, article: &str, user: &str) {
        let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        if held.get(article).is_some_and(|(by, _)| by == user) {
            held.remove(article);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_second_reviewer_is_told_and_may_go_on() {
        let locks = ReviewLocks::default();
        assert_eq!(locks.take("a1", "ana", false), None);
        assert_eq!(locks.take("a1", "ana", false), None, "the holder again");
        let held = locks.take("a1", "bob", false).unwrap();
        assert_eq!(held.by, "ana");
        assert_eq!(locks.holder("a1", "bob").unwrap().by, "ana");
        assert_eq!(locks.holder("a1", "ana"), None, "not another");
        assert_eq!(locks.take("a1", "bob", true), None, "going on takes it");
        assert_eq!(locks.holder("a1", "ana").unwrap().by, "bob");
        locks.release("a1", "ana");
        assert!(
            locks.holder("a1", "ana").is_some(),
            "only the holder lets go"
        );
        locks.release("a1", "bob");
        assert_eq!(locks.holder("a1", "ana"), None);
    }
}
