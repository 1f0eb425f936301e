//! A connection whose writes give up when the client stops reading.
//!
//! hyper's header read timeout closes a connection that sends nothing, but
//! a client that asks for a large file (a photo, the search index) and
//! then never reads holds its connection open for good: the response waits
//! for room in the socket's buffer forever. [`StallLimit`] fails a write
//! (or flush) that has made no progress for its limit, which ends the
//! connection; a write that progresses, however slowly, starts the clock
//! again. Reads are not limited here: an idle HTTP connection is hyper's to
//! close, and an idle live-reload socket is meant to stay open.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::Sleep;

/// `io` with writes limited to `limit` without progress.
pub(super) struct StallLimit<T> {
    io: T,
    limit: Duration,
    /// Running while a write or flush is stalled.
    stalled: Option<Pin<Box<Sleep>>>,
}

impl<T> StallLimit<T> {
    /// Wraps `io`; a write that makes no progress for `limit` fails.
    pub(super) fn new(io: T, limit: Duration) -> StallLimit<T> {
        StallLimit {
            io,
            limit,
            stalled: None,
        }
    }

    /// Passes on a write's `poll`; a stall past the limit becomes an error.
    fn limit<R>(&mut self, cx: &mut Context<'_>, poll: Poll<io::Result<R>>) -> Poll<io::Result<R>> {
        if poll.is_ready() {
            self.stalled = None;
            return poll;
        }
        let limit = self.limit;
        let timer = self
            .stalled
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
        if timer.as_mut().poll(cx).is_ready() {
            self.stalled = None;
            return Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client has not read for too long",
            )));
        }
        Poll::Pending
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for StallLimit<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for StallLimit<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.io).poll_write(cx, buf);
        this.limit(cx, poll)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.io).poll_write_vectored(cx, bufs);
        this.limit(cx, poll)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.io).poll_flush(cx);
        this.limit(cx, poll)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.io).poll_shutdown(cx);
        this.limit(cx, poll)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[tokio::test]
    async fn a_write_nobody_reads_fails_after_the_limit() {
        let (near, mut far) = tokio::io::duplex(64);
        let mut limited = StallLimit::new(near, Duration::from_millis(100));
        let start = std::time::Instant::now();
        let err = limited
            .write_all(&[7; 1024])
            .await
            .expect_err("the write stalls");
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        assert!(start.elapsed() >= Duration::from_millis(100));

        // A reader that keeps up, however slowly, is never cut off.
        let mut limited = StallLimit::new(limited.io, Duration::from_millis(100));
        let mut drained = vec![0; 64];
        far.read_exact(&mut drained).await.expect("drain");
        let reader = tokio::spawn(async move {
            let mut got = Vec::new();
            let mut chunk = [0; 16];
            while got.len() < 512 {
                let n = far.read(&mut chunk).await.expect("read");
                got.extend_from_slice(&chunk[..n]);
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            got.len()
        });
        limited.write_all(&[1; 512]).await.expect("a slow reader");
        assert!(reader.await.expect("reader") >= 512);
    }
}
