//! Exports sent to the client as they are written, a chunk at a time, instead of built whole in
//! memory first: at 100,000 articles a JSON export is hundreds of megabytes, and a few of them at
//! once would exhaust the server. The export runs on a register handle in its turn, writes into a
//! small bounded channel the response body reads from, and stops at its next write when the
//! client goes away.

use crate::error::{WebError, WebResult};
use crate::state::AppState;
use axum::body::{Body, Bytes};
use axum::response::Response;
use casebook_register::SqliteStore;
use std::io::Write;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::sync::mpsc;

/// Bytes per chunk sent, and chunks waiting for the client at most: what one export holds. Small
/// chunks also bound the work wasted after a client hangs up (noticed at the next chunk or two),
/// so the first chunks are smaller still ([`FIRST_CHUNK_BYTES`], doubling up to [`CHUNK_BYTES`]):
/// an export started and abandoned costs a few kilobytes of work, not tens.
const CHUNK_BYTES: usize = 16 * 1024;
const FIRST_CHUNK_BYTES: usize = 2 * 1024;
const CHUNKS_QUEUED: usize = 1;

enum Message {
    Chunk(Bytes),
    /// The export failed; before any byte was sent, the answer is this error.
    Failed(WebError),
}

/// Hands what is written to the response body, a chunk at a time; blocks while the client is
/// behind, and fails (ending the export) once the client has gone away.
struct ChunkWriter {
    tx: mpsc::Sender<Message>,
    buf: Vec<u8>,
    /// True once a chunk went out: the first write is sent at once, so the answer starts as soon
    /// as the export has begun rather than after a whole chunk.
    started: bool,
    /// The size at which the current chunk is sent.
    chunk: usize,
}

impl ChunkWriter {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(
            &mut self.buf,
            Vec::with_capacity(CHUNK_BYTES),
        ));
        self.tx.blocking_send(Message::Chunk(chunk)).map_err(|_| {
            std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client went away")
        })
    }
}

impl Write for ChunkWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= self.chunk || !self.started {
            self.started = true;
            self.send()?;
            self.chunk = (self.chunk * 2).min(CHUNK_BYTES);
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}

/// The response body: the chunks as they come; a failure after the first byte cuts the body short
/// (the client sees an incomplete download, never a partial file taken for whole).
struct Chunks {
    first: Option<Bytes>,
    rx: mpsc::Receiver<Message>,
}

impl futures_core::Stream for Chunks {
    type Item = Result<Bytes, std::io::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if let Some(first) = self.first.take() {
            return Poll::Ready(Some(Ok(first)));
        }
        match self.rx.poll_recv(cx) {
            Poll::Ready(Some(Message::Chunk(bytes))) => Poll::Ready(Some(Ok(bytes))),
            Poll::Ready(Some(Message::Failed(e))) => Poll::Ready(Some(Err(std::io::Error::other(
                format!("the export failed: {e}"),
            )))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    }
}

/// Runs `write` on a register handle in an export's turn and answers with what it writes, streamed; an
/// error before the first byte is answered as that error.
pub async fn stream<F>(
    state: &AppState,
    headers: [(axum::http::HeaderName, String); 2],
    write: F,
) -> WebResult<Response>
where
    F: FnOnce(&mut SqliteStore, &mut dyn Write) -> WebResult<()> + Send + 'static,
{
    let (tx, mut rx) = mpsc::channel(CHUNKS_QUEUED);
    let failed = tx.clone();
    let state = state.clone();
    tokio::spawn(async move {
        let written = state
            .export(move |store| {
                let mut out = ChunkWriter {
                    tx,
                    buf: Vec::with_capacity(CHUNK_BYTES),
                    started: false,
                    chunk: FIRST_CHUNK_BYTES,
                };
                write(store, &mut out)?;
                out.send()
                    .map_err(|e| WebError::internal("sending an export", e))
            })
            .await;
        if let Err(e) = written {
            // Nobody listens any more when the client went away; nothing to tell then.
            let _ = failed.send(Message::Failed(e)).await;
        }
    });
    let first = match rx.recv().await {
        Some(Message::Failed(e)) => return Err(e),
        Some(Message::Chunk(bytes)) => Some(bytes),
        None => None,
    };
    let mut response = Response::new(Body::from_stream(Chunks { first, rx }));
    for (name, value) in headers {
        let value = axum::http::HeaderValue::from_str(&value)
            .map_err(|e| WebError::internal("an export's headers", e))?;
        response.headers_mut().insert(name, value);
    }
    Ok(response)
}
