//! Injected faults in the one-read engine (`stream::stream`) and in
//! `stage::stage_one`: a reader that fails with EIO, a source that ends
//! early, a writer that hits ENOSPC, a sink that panics. Each must give a
//! specific error (no panic, no hang), every sink thread must have exited
//! when `stream` returns, and the reader must stop soon after a sink fails.

use std::cell::RefCell;
use std::fs;
use std::io::{self, Read};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use mnepack::pack::stage::{LinkMode, StageError, StageRequest, stage_one};
use mnepack::progress::Cancel;
use mnepack::stream::{Sink, StreamError, stream_with_block};

const EIO: i32 = 5;
const ENOSPC: i32 = 28;
const BLOCK: usize = 4096;

/// Runs `f` on a thread and fails the test if it has not returned within a
/// minute (a hang), or if it panicked.
fn within_a_minute<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(Duration::from_secs(60)) {
        Ok(v) => v,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("the stream hung for a minute"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("the stream panicked"),
    }
}

fn data(n: usize) -> Vec<u8> {
    (0..n).map(|i| (i * 7 % 251) as u8).collect()
}

/// Serves `data`, then fails with `errno` once `fail_at` bytes were served.
/// `served` counts what the stream pulled, so a test sees when it stopped.
struct FailingReader {
    data: Vec<u8>,
    pos: usize,
    fail_at: usize,
    errno: Option<i32>,
    served: Arc<AtomicUsize>,
}

impl Read for FailingReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos >= self.fail_at {
            return match self.errno {
                Some(code) => Err(io::Error::from_raw_os_error(code)),
                None => Ok(0), // the source shrank: it just ends
            };
        }
        let end = self.fail_at.min(self.data.len()).min(self.pos + buf.len());
        let n = end - self.pos;
        buf[..n].copy_from_slice(&self.data[self.pos..end]);
        self.pos = end;
        self.served.fetch_add(n, Ordering::SeqCst);
        Ok(n)
    }
}

/// Decrements its counter when the thread that holds it exits.
struct ExitGuard(Arc<AtomicUsize>);

impl Drop for ExitGuard {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

thread_local! {
    static ON_EXIT: RefCell<Vec<ExitGuard>> = const { RefCell::new(Vec::new()) };
}

/// Which sink threads ran and how many of them are still alive.
#[derive(Default, Clone)]
struct Threads {
    started: Arc<AtomicUsize>,
    alive: Arc<AtomicUsize>,
}

impl Threads {
    fn assert_all_ended(&self, sinks: usize) {
        assert_eq!(
            self.started.load(Ordering::SeqCst),
            sinks,
            "every sink ran on its own thread"
        );
        assert_eq!(
            self.alive.load(Ordering::SeqCst),
            0,
            "a sink thread is still alive after stream returned"
        );
    }
}

/// Collects bytes; optionally fails with `errno` once `fail_after` bytes
/// arrived (writing what fits first, like a real short write), or panics.
struct TestSink {
    got: Vec<u8>,
    fail_after: Option<(usize, i32)>,
    panic_after: Option<usize>,
    threads: Threads,
    registered: bool,
}

impl TestSink {
    fn new(threads: &Threads) -> Self {
        Self {
            got: Vec::new(),
            fail_after: None,
            panic_after: None,
            threads: threads.clone(),
            registered: false,
        }
    }

    fn register(&mut self) {
        if !self.registered {
            self.registered = true;
            self.threads.started.fetch_add(1, Ordering::SeqCst);
            self.threads.alive.fetch_add(1, Ordering::SeqCst);
            let guard = ExitGuard(Arc::clone(&self.threads.alive));
            ON_EXIT.with(|g| g.borrow_mut().push(guard));
        }
    }
}

impl Sink for TestSink {
    fn consume(&mut self, block: &[u8]) -> io::Result<()> {
        self.register();
        if let Some(limit) = self.panic_after
            && self.got.len() + block.len() > limit
        {
            panic!("injected sink panic");
        }
        if let Some((limit, errno)) = self.fail_after
            && self.got.len() + block.len() > limit
        {
            let room = limit - self.got.len();
            self.got.extend_from_slice(&block[..room]);
            return Err(io::Error::from_raw_os_error(errno));
        }
        self.got.extend_from_slice(block);
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.register();
        Ok(())
    }
}

struct Outcome {
    result: Result<u64, StreamError>,
    sinks: Vec<TestSink>,
    served: usize,
    threads: Threads,
}

/// Streams `len` bytes of which the reader serves `fail_at` then fails with
/// `read_errno` (or ends), into three sinks shaped by `shape`.
fn run(
    len: usize,
    fail_at: usize,
    read_errno: Option<i32>,
    shape: impl Fn(usize, &mut TestSink) + Send + 'static,
) -> Outcome {
    within_a_minute(move || {
        let threads = Threads::default();
        let served = Arc::new(AtomicUsize::new(0));
        let mut reader = FailingReader {
            data: data(len),
            pos: 0,
            fail_at,
            errno: read_errno,
            served: Arc::clone(&served),
        };
        let mut sinks: Vec<TestSink> = (0..3).map(|_| TestSink::new(&threads)).collect();
        for (i, s) in sinks.iter_mut().enumerate() {
            shape(i, s);
        }
        let result = {
            let mut refs: Vec<&mut dyn Sink> =
                sinks.iter_mut().map(|s| s as &mut dyn Sink).collect();
            stream_with_block(
                &mut reader,
                len as u64,
                &mut refs,
                &Cancel::new(),
                &mut |_| {},
                BLOCK,
            )
        };
        let served = served.load(Ordering::SeqCst);
        Outcome {
            result,
            sinks,
            served,
            threads,
        }
    })
}

#[test]
fn a_read_error_stops_the_stream_with_the_os_error() {
    let fail_at = 10 * BLOCK + 100;
    let o = run(64 * BLOCK, fail_at, Some(EIO), |_, _| {});
    let err = o.result.unwrap_err();
    let text = err.to_string();
    match &err {
        StreamError::Read { at, source } => {
            assert_eq!(
                *at,
                (10 * BLOCK) as u64,
                "the last whole block before the failure"
            );
            assert_eq!(source.raw_os_error(), Some(EIO));
        }
        other => panic!("expected a read error, got {other:?}"),
    }
    assert!(text.contains("Input/output error"), "{text}");
    assert!(
        text.contains(&format!("after {} bytes", 10 * BLOCK)),
        "{text}"
    );
    o.threads.assert_all_ended(3);
    for s in &o.sinks {
        assert_eq!(
            s.got,
            data(10 * BLOCK),
            "each sink got every whole block, in order"
        );
    }
}

#[test]
fn a_source_that_shrinks_is_a_short_read_not_a_success() {
    let len = 64 * BLOCK;
    let fail_at = 20 * BLOCK + 7;
    let o = run(len, fail_at, None, |_, _| {});
    let err = o.result.unwrap_err();
    assert!(
        matches!(err, StreamError::Short { got, expected } if got == fail_at as u64 && expected == len as u64),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(
        text.contains(&format!("after {fail_at} of {len} bytes")),
        "{text}"
    );
    assert!(text.contains("changed while being read"), "{text}");
    o.threads.assert_all_ended(3);
}

#[test]
fn a_full_disk_in_the_writer_stops_the_reader_soon_with_enospc() {
    let len = 2048 * BLOCK; // 8 MiB the reader must not read to the end
    let limit = 16 * BLOCK + 300;
    let o = run(len, len, None, move |i, s| {
        if i == 1 {
            s.fail_after = Some((limit, ENOSPC));
        }
    });
    let err = o.result.unwrap_err();
    match &err {
        StreamError::Sink { source } => assert_eq!(source.raw_os_error(), Some(ENOSPC)),
        other => panic!("expected the sink's error, got {other:?}"),
    }
    assert!(err.to_string().contains("No space left on device"), "{err}");
    o.threads.assert_all_ended(3);
    assert_eq!(o.sinks[1].got.len(), limit, "the writer wrote what fitted");
    // Bounded channels: the reader can only be a few blocks ahead of the
    // failed sink before it notices.
    assert!(
        o.served <= limit + 16 * BLOCK,
        "the reader went on for {} bytes after the writer failed at {limit}",
        o.served - limit
    );
    // The healthy sinks saw a prefix of the stream, never garbage.
    for i in [0, 2] {
        let got = &o.sinks[i].got;
        assert_eq!(got[..], data(got.len())[..], "sink {i}");
    }
}

#[test]
fn a_panicking_sink_is_an_error_not_a_panic() {
    let o = run(64 * BLOCK, 64 * BLOCK, None, |i, s| {
        if i == 2 {
            s.panic_after = Some(5 * BLOCK);
        }
    });
    let err = o.result.unwrap_err();
    assert!(matches!(err, StreamError::Sink { .. }), "{err:?}");
    assert!(err.to_string().contains("panicked"), "{err}");
    // The panicking thread unwound (its guard dropped) and the others ended.
    o.threads.assert_all_ended(3);
}

/// A source file and a staging folder in a temp dir.
fn staged_setup(len: usize) -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("source.wav");
    fs::write(&src, data(len)).unwrap();
    let staging = tmp.path().join("staging");
    fs::create_dir(&staging).unwrap();
    (tmp, src, staging)
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn stage_one_reports_enospc_and_keeps_the_partial_file_in_staging_only() {
    let len = 3 * (4 << 20) + 12_345; // several real 4 MiB blocks
    let (tmp, src, staging) = staged_setup(len);
    let before = fs::read(&src).unwrap();
    let staged = staging.join("delivered.wav");
    let threads = Threads::default();
    let mut full = TestSink::new(&threads);
    full.fail_after = Some(((4 << 20) + 10, ENOSPC));
    let req = StageRequest {
        source: &src,
        size: len as u64,
        staged: &staged,
        mode: LinkMode::Copy,
        allow_hardlink: false,
        block: mnepack::stream::BLOCK,
    };
    let err = stage_one(&req, &mut [&mut full], &Cancel::new(), &mut |_| {}).unwrap_err();
    assert!(
        matches!(err, StageError::Stream(StreamError::Sink { .. })),
        "{err:?}"
    );
    assert!(err.to_string().contains("No space left on device"), "{err}");
    threads.assert_all_ended(1);
    assert_eq!(names(&staging), vec!["delivered.wav".to_string()]);
    assert_eq!(
        names(tmp.path()),
        vec!["source.wav".to_string(), "staging".to_string()],
        "nothing written outside the staging folder"
    );
    assert_eq!(fs::read(&src).unwrap(), before, "the source is untouched");
}

#[test]
fn stage_one_refuses_a_source_that_is_gone_or_shorter_than_planned() {
    let (_tmp, src, staging) = staged_setup(10_000);
    let staged = staging.join("x.wav");
    let mut req = StageRequest {
        source: &src,
        size: 20_000, // the plan saw a bigger file: it shrank since
        staged: &staged,
        mode: LinkMode::Copy,
        allow_hardlink: false,
        block: mnepack::stream::BLOCK,
    };
    let err = stage_one(&req, &mut [], &Cancel::new(), &mut |_| {}).unwrap_err();
    assert!(matches!(err, StageError::SourceChanged(_)), "{err:?}");
    assert!(
        err.to_string()
            .contains("20000 bytes when planned, 10000 now"),
        "{err}"
    );
    let gone = src.with_file_name("gone.wav");
    req.source = &gone;
    req.size = 10_000;
    let err = stage_one(&req, &mut [], &Cancel::new(), &mut |_| {}).unwrap_err();
    assert!(
        err.to_string().contains("No such file or directory"),
        "{err}"
    );
    assert!(
        names(&staging).is_empty(),
        "nothing staged: {:?}",
        names(&staging)
    );
}
