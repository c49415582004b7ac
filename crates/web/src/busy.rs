//! Caps on the server's costly work, so a flood of requests waits or is turned away instead of
//! growing memory without bound: password checks (Argon2id needs some 19 MiB each) and background
//! jobs (uploads and fetches of watched sources). Every refusal says when to try again.

use crate::error::{WebError, WebResult};
use axum::http::StatusCode;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Password checks (and hashes) running at once, by default.
pub const PASSWORD_CHECKS: usize = 4;
/// How long a login waits for a free check before it is told to come back, by default.
pub const PASSWORD_WAIT: Duration = Duration::from_secs(2);
/// Jobs running at once, and waiting for a turn, by default.
pub const JOBS_RUNNING: usize = 2;
pub const JOBS_WAITING: usize = 8;
/// The `Retry-After` of a refused job, in seconds.
const JOB_RETRY_SECS: u64 = 30;

/// At most a few Argon2 computations at once; the rest wait briefly, then get 503.
pub struct PasswordChecks {
    permits: Arc<Semaphore>,
    wait: Duration,
}

impl PasswordChecks {
    pub fn new(at_once: usize, wait: Duration) -> Self {
        PasswordChecks {
            permits: Arc::new(Semaphore::new(at_once.max(1))),
            wait,
        }
    }

    /// A turn to check or hash a password; hold it while the work runs. 503 with `Retry-After`
    /// when every turn stays taken for the whole wait.
    pub async fn turn(&self) -> WebResult<OwnedSemaphorePermit> {
        let acquire = Arc::clone(&self.permits).acquire_owned();
        match tokio::time::timeout(self.wait, acquire).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(WebError::retry_later(
                StatusCode::SERVICE_UNAVAILABLE,
                "the server is busy checking other passwords: try again in a moment",
                self.wait.as_secs().max(1),
            )),
        }
    }
}

#[derive(Default)]
struct SlotCounts {
    running: usize,
    waiting: usize,
}

/// At most a few jobs running and a few more queued; beyond that a new job is refused with 429.
pub struct JobSlots {
    running_max: usize,
    waiting_max: usize,
    counts: Arc<(Mutex<SlotCounts>, Condvar)>,
}

/// A job's place in the queue: taken when the job is accepted, turned into a running slot by
/// [`JobTicket::wait_turn`] on the job's own thread.
pub struct JobTicket {
    counts: Arc<(Mutex<SlotCounts>, Condvar)>,
    running_max: usize,
    queued: bool,
}

/// A running job's slot; the next queued job starts when it is dropped.
pub struct RunningJob {
    counts: Arc<(Mutex<SlotCounts>, Condvar)>,
}

impl JobSlots {
    pub fn new(running: usize, waiting: usize) -> Self {
        JobSlots {
            running_max: running.max(1),
            waiting_max: waiting,
            counts: Arc::new((Mutex::new(SlotCounts::default()), Condvar::new())),
        }
    }

    /// Accepts a job into the queue, or refuses it (429 with `Retry-After`) when the queue is full.
    pub fn admit(&self) -> WebResult<JobTicket> {
        let mut counts = self.counts.0.lock().unwrap_or_else(|p| p.into_inner());
        if counts.running + counts.waiting >= self.running_max + self.waiting_max {
            return Err(WebError::retry_later(
                StatusCode::TOO_MANY_REQUESTS,
                format!(
                    "{} jobs are running and {} waiting, the most this server takes: try again later",
                    counts.running, counts.waiting
                ),
                JOB_RETRY_SECS,
            ));
        }
        counts.waiting += 1;
        Ok(JobTicket {
            counts: Arc::clone(&self.counts),
            running_max: self.running_max,
            queued: true,
        })
    }

    /// Jobs running and waiting now.
    pub fn load(&self) -> (usize, usize) {
        let counts = self.counts.0.lock().unwrap_or_else(|p| p.into_inner());
        (counts.running, counts.waiting)
    }
}

impl JobTicket {
    /// Blocks the job's thread until a running slot is free.
    pub fn wait_turn(mut self) -> RunningJob {
        let (lock, freed) = &*self.counts;
        let mut counts = lock.lock().unwrap_or_else(|p| p.into_inner());
        while counts.running >= self.running_max {
            counts = freed.wait(counts).unwrap_or_else(|p| p.into_inner());
        }
        counts.waiting -= 1;
        counts.running += 1;
        self.queued = false;
        RunningJob {
            counts: Arc::clone(&self.counts),
        }
    }
}

impl Drop for JobTicket {
    fn drop(&mut self) {
        // A job that never started (its thread could not be spawned) leaves the queue.
        if self.queued {
            let mut counts = self.counts.0.lock().unwrap_or_else(|p| p.into_inner());
            counts.waiting = counts.waiting.saturating_sub(1);
        }
    }
}

impl Drop for RunningJob {
    fn drop(&mut self) {
        let (lock, freed) = &*self.counts;
        let mut counts = lock.lock().unwrap_or_else(|p| p.into_inner());
        counts.running = counts.running.saturating_sub(1);
        freed.notify_all();
    }
}

/// Runs `work` on a thread of its own at a lower priority (nice 10 on Linux), so that counts and
/// checks the server makes in the background (persons by status, the index compared with the
/// register at start: seconds of work at 100,000 articles) give way to requests on a small
/// machine. Its own thread, not the blocking pool's: a pool thread would keep the priority.
#[allow(unsafe_code)] // one libc call, its safety argued where it stands
pub fn in_background(name: &str, work: impl FnOnce() + Send + 'static) {
    let spawned = std::thread::Builder::new()
        .name(name.to_string())
        .spawn(move || {
            #[cfg(target_os = "linux")]
            // SAFETY: a plain system call; on Linux a nice value belongs to the calling thread.
            unsafe {
                let _ = libc::nice(10);
            }
            work()
        });
    if let Err(e) = spawned {
        eprintln!("casebook-web: cannot start {name}: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_beyond_the_running_and_waiting_slots_are_refused_and_start_as_slots_free() {
        let slots = JobSlots::new(1, 1);
        let first = slots.admit().unwrap().wait_turn();
        let second = slots.admit().unwrap();
        let refused = slots.admit().err().unwrap();
        assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(refused.retry_after, Some(JOB_RETRY_SECS));
        assert_eq!(slots.load(), (1, 1));
        let waiting = std::thread::spawn(move || {
            let _running = second.wait_turn();
        });
        std::thread::sleep(Duration::from_millis(50));
        assert!(
            !waiting.is_finished(),
            "the second job started beside the first"
        );
        drop(first);
        waiting.join().unwrap();
        assert_eq!(slots.load(), (0, 0));
        assert!(slots.admit().is_ok());
    }

    #[tokio::test]
    async fn a_password_check_beyond_the_cap_waits_then_is_told_to_retry() {
        let checks = PasswordChecks::new(2, Duration::from_millis(100));
        let _a = checks.turn().await.unwrap();
        let _b = checks.turn().await.unwrap();
        let busy = checks.turn().await.err().unwrap();
        assert_eq!(busy.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(busy.retry_after, Some(1));
        drop(_a);
        assert!(checks.turn().await.is_ok());
    }
}
