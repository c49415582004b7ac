//! A public server's index follows the register. The public index holds the public view as it was
//! when it was built, redacted then; a person hidden afterwards, or an article stored since, must
//! reach it without a restart. The follower watches the register's head (the last audit sequence,
//! which every write moves) and asks for a rebuild from the public view when it has moved.

use crate::state::AppState;
use std::time::Duration;

/// How often a public server looks at the register's head.
pub const FOLLOW_EVERY: Duration = Duration::from_secs(5);

/// True when the register's head differs from `seen`, which is then set to it. The first look
/// only records the head: the index was built (or checked) at start.
pub fn head_moved(state: &AppState, seen: &mut Option<i64>) -> bool {
    let head = state.store_blocking(|store| Ok(store.register_head()?));
    match head {
        Ok(head) => {
            let moved = seen.is_some_and(|before| before != head);
            *seen = Some(head);
            moved
        }
        Err(e) => {
            eprintln!("casebook-web: could not read the register's head: {e}");
            false
        }
    }
}

/// Asks for a rebuild of the public index each time the register's head moves. Runs until the
/// process ends; the rebuilds themselves are the index refresher's, one at a time.
pub async fn follow_register(state: AppState, every: Duration) {
    let mut seen = None;
    loop {
        let look = state.clone();
        let moved = tokio::task::spawn_blocking(move || {
            let moved = head_moved(&look, &mut seen);
            (moved, seen)
        })
        .await;
        if let Ok((moved, now)) = moved {
            seen = now;
            if moved {
                state.request_reindex();
            }
        }
        tokio::time::sleep(every).await;
    }
}
