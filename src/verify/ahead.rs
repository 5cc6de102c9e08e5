//! Hashing ahead for verify: the files to hash are read by two workers at
//! once (each one a one-read stream with a thread per digest), so MD5, which
//! cannot be split within a file, runs on both cores across files. Progress
//! still follows the manifest order: the caller walks the files one by one
//! and [`Ahead::wait`] forwards the bytes of the file it waits for, holding
//! back those of files hashed ahead until their turn.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};

use crate::hash::{Digests, HashSelection};
use crate::progress::{Cancel, Event, Observer};
use crate::stream::StreamError;
use crate::stream::digest::hash_file;

/// One file to hash.
#[derive(Debug, Clone)]
pub(super) struct HashJob {
    /// Where it is.
    pub(super) path: PathBuf,
    /// Which digests.
    pub(super) sel: HashSelection,
}

/// What a worker tells the caller.
enum Msg {
    /// Bytes hashed in job `.0`.
    Advance(usize, u64),
    /// Job `.0` is done.
    Done(usize, Result<Digests, StreamError>),
}

/// Workers to run: two when the machine has two cores (and there are two
/// files), else one.
pub(super) fn workers(jobs: usize) -> usize {
    let cores = crate::threads::available();
    cores.clamp(1, 2).min(jobs.max(1))
}

/// Runs `workers` threads that hash `jobs` in order; call from inside
/// `scope`. The caller collects the results in order with [`Ahead::wait`].
pub(super) fn start<'scope, 'env: 'scope>(
    scope: &'scope std::thread::Scope<'scope, 'env>,
    jobs: &'env [HashJob],
    workers: usize,
    cancel: &'env Cancel,
    next: &'env AtomicUsize,
) -> Ahead {
    let (tx, rx) = channel();
    for _ in 0..workers {
        let tx: Sender<Msg> = tx.clone();
        scope.spawn(move || {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(job) = jobs.get(i) else { break };
                let mut progress = |e: Event| {
                    if let Event::Advance { bytes } = e {
                        // The receiver is gone only when the caller stopped early.
                        let _ = tx.send(Msg::Advance(i, bytes));
                    }
                };
                let result = hash_file(&job.path, job.sel, &mut progress, cancel);
                let stop = result.is_err() && cancel.is_cancelled();
                if tx.send(Msg::Done(i, result)).is_err() || stop {
                    break;
                }
            }
        });
    }
    Ahead {
        rx,
        held: vec![0; jobs.len()],
        results: (0..jobs.len()).map(|_| None).collect(),
    }
}

/// The caller's side of the workers.
pub(super) struct Ahead {
    rx: Receiver<Msg>,
    /// Bytes hashed per job and not yet reported.
    held: Vec<u64>,
    results: Vec<Option<Result<Digests, StreamError>>>,
}

impl Ahead {
    /// Waits for job `i`, reporting its bytes as [`Event::Advance`] as they
    /// are hashed (those hashed before the call at once).
    pub(super) fn wait(
        &mut self,
        i: usize,
        observer: &mut dyn Observer,
    ) -> Result<Digests, StreamError> {
        let report = |held: &mut u64, observer: &mut dyn Observer| {
            if *held > 0 {
                observer.event(Event::Advance { bytes: *held });
                *held = 0;
            }
        };
        report(&mut self.held[i], observer);
        loop {
            if let Some(result) = self.results.get_mut(i).and_then(Option::take) {
                report(&mut self.held[i], observer);
                return result;
            }
            match self.rx.recv() {
                Ok(Msg::Advance(j, n)) => {
                    self.held[j] += n;
                    if j == i {
                        report(&mut self.held[i], observer);
                    }
                }
                Ok(Msg::Done(j, result)) => self.results[j] = Some(result),
                Err(_) => {
                    return Err(StreamError::Read {
                        at: 0,
                        source: std::io::Error::other("the hashing workers stopped"),
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stream::digest::digests_of;

    #[test]
    fn results_and_progress_come_in_job_order() {
        let dir = tempfile::tempdir().unwrap();
        // Sizes around the block size, so files take several blocks.
        let sizes = [3 << 20, 10, 0, 5 << 20, 1 << 20];
        let jobs: Vec<HashJob> = sizes
            .iter()
            .enumerate()
            .map(|(i, &n)| {
                let path = dir.path().join(format!("f{i}"));
                let data: Vec<u8> = (0..n).map(|k| (k * 7 + i) as u8).collect();
                std::fs::write(&path, data).unwrap();
                HashJob {
                    path,
                    sel: HashSelection::WITH_MD5,
                }
            })
            .collect();
        let cancel = Cancel::new();
        let next = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            let mut ahead = start(scope, &jobs, 2, &cancel, &next);
            for (i, job) in jobs.iter().enumerate() {
                let mut seen = 0u64;
                let mut obs = |e: Event| {
                    if let Event::Advance { bytes } = e {
                        seen += bytes;
                    }
                };
                let got = ahead.wait(i, &mut obs).unwrap();
                let want = digests_of(&std::fs::read(&job.path).unwrap(), HashSelection::WITH_MD5);
                assert_eq!(got, want, "file {i}");
                assert_eq!(seen, sizes[i] as u64, "bytes reported for file {i}");
            }
        });
    }

    #[test]
    fn a_cancelled_run_reports_cancelled() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, vec![1u8; 1 << 20]).unwrap();
        let jobs = vec![
            HashJob {
                path,
                sel: HashSelection::BASE,
            };
            3
        ];
        let cancel = Cancel::new();
        cancel.cancel();
        let next = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            let mut ahead = start(scope, &jobs, 2, &cancel, &next);
            let err = ahead.wait(0, &mut crate::progress::Silent).unwrap_err();
            assert!(matches!(err, StreamError::Cancelled), "{err}");
        });
    }
}
