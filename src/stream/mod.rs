//! The one-read engine: a reader fills large blocks from a source and hands
//! each block to every sink (hashers, analysis, the writer), each on its own
//! thread, through bounded channels. Memory stays flat: at most a few blocks
//! are alive at once whatever the file size, and blocks are reused.
//!
//! `pack` (stage and read-back), `check`'s measurements and `verify` all
//! read through it; the sinks live beside it: [`digest`] (SHA-256,
//! xxHash64, MD5: the one place digests are computed) and [`analysis`];
//! [`extract`] and [`range_reader`] pull a movie's sound out of its bytes.

use std::collections::VecDeque;
use std::io::{self, Read};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread;

use crate::progress::Cancel;

pub mod analysis;
pub mod digest;
pub mod extract;
pub mod range_reader;

/// Default block size: large enough for sequential throughput, small enough
/// for flat memory (see `DEPTH`).
pub const BLOCK: usize = 4 << 20;

/// Block size for files read side by side (the conform pass): they share
/// the memory, and each is paced by the others anyway.
pub const SIDE_BY_SIDE_BLOCK: usize = BLOCK / 8;

/// Blocks queued per sink before the reader waits.
const DEPTH: usize = 3;

/// Every block's bytes start at a multiple of this address, as do the
/// stream offsets of blocks of a multiple of this size: a sink may hand
/// them to the disk without the page cache (`O_DIRECT`).
pub const ALIGN: usize = 4096;

/// One read block: its bytes, `len` of them, start at `start` in `buf`,
/// an [`ALIGN`]ed address.
struct Block {
    buf: Vec<u8>,
    start: usize,
    len: usize,
}

impl Block {
    /// Room for `size` bytes from an aligned address (zeroed once, here:
    /// a reused block is read into as it is).
    fn new(size: usize) -> Self {
        let buf = vec![0u8; size + ALIGN];
        let start = (ALIGN - buf.as_ptr().addr() % ALIGN) % ALIGN;
        Block { buf, start, len: 0 }
    }

    /// Where the next `n` bytes are read (`n` at most the size).
    fn room(&mut self, n: usize) -> &mut [u8] {
        &mut self.buf[self.start..self.start + n]
    }

    /// The bytes read.
    fn bytes(&self) -> &[u8] {
        &self.buf[self.start..self.start + self.len]
    }
}

/// Something that consumes the bytes of a stream in order.
pub trait Sink: Send {
    /// Takes the next block of the stream.
    fn consume(&mut self, block: &[u8]) -> io::Result<()>;
    /// Called once after the last block (flush, fsync...).
    fn finish(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Why a stream stopped before its end.
#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    /// Reading the source failed.
    #[error("read failed after {at} bytes: {source}")]
    Read {
        /// Bytes read before the failure.
        at: u64,
        /// The OS error.
        source: io::Error,
    },
    /// The source ended early: it shrank or vanished while being read.
    #[error("the source ended after {got} of {expected} bytes (it changed while being read)")]
    Short {
        /// Bytes read.
        got: u64,
        /// Bytes expected.
        expected: u64,
    },
    /// The source holds more bytes than expected: it grew while being read.
    #[error(
        "the source holds more than the expected {expected} bytes (it changed while being read)"
    )]
    Long {
        /// Bytes expected.
        expected: u64,
    },
    /// A sink failed (a write error such as ENOSPC or EIO).
    #[error("{source}")]
    Sink {
        /// The OS error.
        source: io::Error,
    },
    /// The cancel token was set.
    #[error("interrupted")]
    Cancelled,
}

/// Streams exactly `expected` bytes from `reader` into every sink, in order,
/// calling `on_bytes` after each block. Returns the bytes streamed.
pub fn stream<R: Read>(
    reader: &mut R,
    expected: u64,
    sinks: &mut [&mut dyn Sink],
    cancel: &Cancel,
    on_bytes: &mut dyn FnMut(u64),
) -> Result<u64, StreamError> {
    stream_with_block(reader, expected, sinks, cancel, on_bytes, BLOCK)
}

/// [`stream`] with an explicit block size (tests use small ones).
pub fn stream_with_block<R: Read>(
    reader: &mut R,
    expected: u64,
    sinks: &mut [&mut dyn Sink],
    cancel: &Cancel,
    on_bytes: &mut dyn FnMut(u64),
    block: usize,
) -> Result<u64, StreamError> {
    // A file smaller than a block gets blocks of its size (and the one byte
    // that proves its end), not of the block size.
    let whole = usize::try_from(expected).map_or(usize::MAX, |e| e.saturating_add(1));
    let block = block.min(whole).max(1);
    thread::scope(|scope| {
        let mut senders: Vec<SyncSender<Arc<Block>>> = Vec::with_capacity(sinks.len());
        let mut workers = Vec::with_capacity(sinks.len());
        for sink in sinks.iter_mut() {
            let (tx, rx) = sync_channel::<Arc<Block>>(DEPTH);
            senders.push(tx);
            let sink: &mut dyn Sink = &mut **sink;
            workers.push(scope.spawn(move || drain(sink, &rx)));
        }
        let read = read_loop(reader, expected, &senders, cancel, on_bytes, block);
        drop(senders);
        let mut sink_error = None;
        for w in workers {
            let result = w
                .join()
                .unwrap_or_else(|_| Err(io::Error::other("a worker thread panicked")));
            if let Err(e) = result {
                sink_error.get_or_insert(e);
            }
        }
        match (read, sink_error) {
            // A sink error explains a stopped reader better than "send failed".
            (_, Some(source)) => Err(StreamError::Sink { source }),
            (r, None) => r,
        }
    })
}

fn drain(sink: &mut dyn Sink, rx: &Receiver<Arc<Block>>) -> io::Result<()> {
    while let Ok(block) = rx.recv() {
        sink.consume(block.bytes())?;
    }
    // The sender is gone: the stream ended, well or badly. Finish either way;
    // the caller decides from the reader's result whether the output counts.
    sink.finish()
}

fn read_loop<R: Read>(
    reader: &mut R,
    expected: u64,
    senders: &[SyncSender<Arc<Block>>],
    cancel: &Cancel,
    on_bytes: &mut dyn FnMut(u64),
    block: usize,
) -> Result<u64, StreamError> {
    let mut in_flight: VecDeque<Arc<Block>> = VecDeque::new();
    let mut total: u64 = 0;
    loop {
        if cancel.is_cancelled() {
            return Err(StreamError::Cancelled);
        }
        let mut buf = reuse_or_alloc(&mut in_flight, block);
        let want = usize::try_from((expected - total).min(block as u64)).unwrap_or(block);
        let n = if want == 0 {
            // At the expected end: one more read proves the source did not grow.
            match read_full(reader, buf.room(1)) {
                Ok(0) => return Ok(total),
                Ok(_) => return Err(StreamError::Long { expected }),
                Err(source) => return Err(StreamError::Read { at: total, source }),
            }
        } else {
            read_full(reader, buf.room(want))
                .map_err(|source| StreamError::Read { at: total, source })?
        };
        if n < want {
            return Err(StreamError::Short {
                got: total + n as u64,
                expected,
            });
        }
        buf.len = n;
        total += n as u64;
        let shared = Arc::new(buf);
        for tx in senders {
            if tx.send(Arc::clone(&shared)).is_err() {
                // A sink stopped early; its error is reported by the caller.
                return Err(StreamError::Sink {
                    source: io::Error::other("a sink stopped"),
                });
            }
        }
        in_flight.push_back(shared);
        on_bytes(n as u64);
    }
}

/// Takes back the oldest block once every sink is done with it, else allocates.
fn reuse_or_alloc(in_flight: &mut VecDeque<Arc<Block>>, block: usize) -> Block {
    if let Some(front) = in_flight.front()
        && Arc::strong_count(front) == 1
        && let Some(front) = in_flight.pop_front()
        && let Ok(b) = Arc::try_unwrap(front)
    {
        // Its bytes stay as they are: the next read overwrites them, and
        // zeroing a block first would cost a pass over every byte read.
        return b;
    }
    Block::new(block)
}

fn read_full<R: Read>(r: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match r.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// A sink that collects everything (tests) or forwards a byte range of the
/// stream to an inner sink (the analysis sees only the `data` chunk).
pub struct RangeSink<S: Sink> {
    inner: S,
    start: u64,
    end: u64,
    pos: u64,
}

impl<S: Sink> RangeSink<S> {
    /// Forwards bytes `start..end` of the stream to `inner`.
    pub fn new(inner: S, start: u64, end: u64) -> Self {
        Self {
            inner,
            start,
            end,
            pos: 0,
        }
    }

    /// The inner sink.
    pub fn into_inner(self) -> S {
        self.inner
    }
}

impl<S: Sink> Sink for RangeSink<S> {
    fn consume(&mut self, block: &[u8]) -> io::Result<()> {
        let block_start = self.pos;
        let block_end = self.pos + block.len() as u64;
        self.pos = block_end;
        let lo = self.start.max(block_start);
        let hi = self.end.min(block_end);
        if lo < hi {
            let a = usize::try_from(lo - block_start).map_err(io::Error::other)?;
            let b = usize::try_from(hi - block_start).map_err(io::Error::other)?;
            self.inner.consume(&block[a..b])?;
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.inner.finish()
    }
}

/// A sink that keeps the bytes it is fed and whether it was finished
/// (the tests of this module and of the sinks beside it).
#[cfg(test)]
#[derive(Default)]
pub(crate) struct Collect(pub(crate) Vec<u8>, pub(crate) bool);

#[cfg(test)]
impl Sink for Collect {
    fn consume(&mut self, block: &[u8]) -> io::Result<()> {
        self.0.extend_from_slice(block);
        Ok(())
    }
    fn finish(&mut self) -> io::Result<()> {
        self.1 = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct FailAfter(usize);
    impl Sink for FailAfter {
        fn consume(&mut self, block: &[u8]) -> io::Result<()> {
            if block.len() > self.0 {
                return Err(io::Error::new(
                    io::ErrorKind::StorageFull,
                    "No space left on device",
                ));
            }
            self.0 -= block.len();
            Ok(())
        }
    }

    fn data(n: usize) -> Vec<u8> {
        (0..n).map(|i| (i * 31 % 251) as u8).collect()
    }

    #[test]
    fn every_sink_sees_every_byte_in_order() {
        let src = data(100_003);
        let (mut a, mut b) = (Collect::default(), Collect::default());
        let mut seen = 0;
        let n = stream_with_block(
            &mut src.as_slice(),
            src.len() as u64,
            &mut [&mut a, &mut b],
            &Cancel::new(),
            &mut |k| seen += k,
            4096,
        )
        .unwrap();
        assert_eq!(n, src.len() as u64);
        assert_eq!(seen, n);
        assert_eq!(a.0, src);
        assert_eq!(b.0, src);
        assert!(a.1 && b.1, "finish called");
    }

    /// Records whether every block it was handed started at an aligned address.
    struct Aligned(Vec<bool>);
    impl Sink for Aligned {
        fn consume(&mut self, block: &[u8]) -> io::Result<()> {
            self.0.push(block.as_ptr().addr() % ALIGN == 0);
            Ok(())
        }
    }

    #[test]
    fn every_block_starts_at_an_aligned_address() {
        let src = data(50 * 8192 + 123);
        let mut a = Aligned(Vec::new());
        stream_with_block(
            &mut src.as_slice(),
            src.len() as u64,
            &mut [&mut a],
            &Cancel::new(),
            &mut |_| {},
            8192,
        )
        .unwrap();
        assert_eq!(a.0.len(), 51);
        assert!(a.0.iter().all(|&x| x), "{:?}", a.0);
    }

    #[test]
    fn short_and_long_sources_are_errors() {
        let src = data(10_000);
        let mut a = Collect::default();
        let err = stream_with_block(
            &mut src.as_slice(),
            10_001,
            &mut [&mut a],
            &Cancel::new(),
            &mut |_| {},
            4096,
        );
        assert!(
            matches!(
                err,
                Err(StreamError::Short {
                    got: 10_000,
                    expected: 10_001
                })
            ),
            "{err:?}"
        );
        let mut a = Collect::default();
        let err = stream_with_block(
            &mut src.as_slice(),
            9_999,
            &mut [&mut a],
            &Cancel::new(),
            &mut |_| {},
            4096,
        );
        assert!(
            matches!(err, Err(StreamError::Long { expected: 9_999 })),
            "{err:?}"
        );
    }

    #[test]
    fn a_failing_sink_stops_the_stream_with_its_error() {
        let src = data(1 << 20);
        let mut a = Collect::default();
        let mut f = FailAfter(100_000);
        let err = stream_with_block(
            &mut src.as_slice(),
            src.len() as u64,
            &mut [&mut a, &mut f],
            &Cancel::new(),
            &mut |_| {},
            4096,
        )
        .unwrap_err();
        assert!(err.to_string().contains("No space left"), "{err}");
    }

    #[test]
    fn cancel_stops_before_reading() {
        let src = data(10_000);
        let cancel = Cancel::new();
        cancel.cancel();
        let mut a = Collect::default();
        let err = stream_with_block(
            &mut src.as_slice(),
            10_000,
            &mut [&mut a],
            &cancel,
            &mut |_| {},
            4096,
        );
        assert!(matches!(err, Err(StreamError::Cancelled)));
        assert!(a.0.is_empty());
    }

    #[test]
    fn range_sink_forwards_only_its_range() {
        let src = data(50_000);
        let mut r = RangeSink::new(Collect::default(), 1234, 40_001);
        stream_with_block(
            &mut src.as_slice(),
            50_000,
            &mut [&mut r],
            &Cancel::new(),
            &mut |_| {},
            1000,
        )
        .unwrap();
        assert_eq!(r.into_inner().0, src[1234..40_001].to_vec());
    }

    #[test]
    fn empty_source_streams_nothing() {
        let mut a = Collect::default();
        let n = stream_with_block(
            &mut io::empty(),
            0,
            &mut [&mut a],
            &Cancel::new(),
            &mut |_| {},
            4096,
        )
        .unwrap();
        assert_eq!(n, 0);
        assert!(a.0.is_empty() && a.1);
    }
}
