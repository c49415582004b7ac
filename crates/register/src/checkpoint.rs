//! Checkpoints of the write-ahead log on a thread of their own, for long ingests.
//!
//! In WAL mode a commit only appends to the log; the checkpoint copies the log back into the store
//! file and is the one step that waits for the disk (it syncs the log, then the file). SQLite runs
//! it inside whichever commit pushes the log past its limit, so a long ingest stopped for every
//! sync; on this machine's disk that was about 40% of the ingest's wall time. Here a second
//! connection checkpoints while the writer goes on appending: durability is the same
//! (`synchronous=NORMAL` syncs at every checkpoint, as before), the writer just no longer waits.
//!
//! The writer keeps a far limit of its own (`BULK_SETUP` in [`crate::sqlite`]), so that the log
//! stops growing even if the disk cannot keep up: past it the writer checkpoints itself, as
//! SQLite does by default. (A log in constant use only restarts from its beginning once it has
//! been copied back entirely, which a writer that never pauses allows only about that limit: during
//! an ingest of 100,000 articles it took up to 1.8 GB of disk. Closing the store removes it.)

use crate::error::{RegisterError, Result};
use crate::sqlite::Ctx;
use rusqlite::Connection;
use std::path::Path;
use std::sync::mpsc::{self, RecvTimeoutError, SyncSender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long commits gather in the log before they are copied back: each checkpoint then carries
/// a second of ingest, and its syncs cost about the same whatever it carries.
const PERIOD: Duration = Duration::from_secs(1);

/// The running checkpointer. Dropping it stops the thread; the writer's connection, closed after
/// it, copies back what is left.
pub(crate) struct Checkpointer {
    commits: Option<SyncSender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts checkpointing the store at `path`; the writer calls [`Checkpointer::committed`]
    /// after each commit (and must have raised its own checkpoint limit).
    pub(crate) fn start(path: &Path) -> Result<Self> {
        let conn = Connection::open(path).ctx(path, || {
            format!("opening {} for checkpoints", path.display())
        })?;
        let (commits, committed) = mpsc::sync_channel::<()>(1);
        let thread = std::thread::Builder::new()
            .name("casebook-checkpoint".into())
            .spawn(move || {
                let mut last = Instant::now();
                // Sleeps until a commit; then lets commits gather for the rest of the period.
                while committed.recv().is_ok() {
                    loop {
                        let left = PERIOD.saturating_sub(last.elapsed());
                        match committed.recv_timeout(left) {
                            Ok(()) if !left.is_zero() => continue,
                            Ok(()) | Err(RecvTimeoutError::Timeout) => break,
                            Err(RecvTimeoutError::Disconnected) => return,
                        }
                    }
                    // A checkpoint that could not copy everything (a reader holds old pages) is
                    // simply run again after the next commits; nothing is lost by it, so there is
                    // nothing to report.
                    let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                    last = Instant::now();
                }
            })
            .map_err(|source| RegisterError::Io {
                context: "starting the checkpoint thread".into(),
                source,
            })?;
        Ok(Checkpointer {
            commits: Some(commits),
            thread: Some(thread),
        })
    }

    /// Tells the checkpointer that the log grew; never waits.
    pub(crate) fn committed(&self) {
        if let Some(commits) = &self.commits {
            // Full: a notice is already waiting; disconnected: the thread is gone. Either way
            // there is nothing more to tell it.
            let _ = commits.try_send(());
        }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        // Closing the channel ends the thread's loop.
        self.commits.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
