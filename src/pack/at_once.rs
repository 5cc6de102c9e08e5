//! Several reads at once on scoped threads, as `check`'s measuring and
//! `pack`'s stream stage need them: a group that must run side by side
//! (the files the conform analysis reads in lockstep), and a queue of
//! other reads taken by a fixed number of lanes alongside, so the machine's
//! cores stay busy without a thread per file. What happens (a read starts,
//! bytes read, a read done) reaches the calling thread as [`Happened`], in
//! the order it happened; only the calling thread touches the observer
//! and the journal. A read that panicked is an error, not a panic; once a
//! read failed, queued reads that have not started are left.

use std::collections::VecDeque;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;

use crate::error::{Refusal, Result};
use crate::progress::{Event, Observer};

/// One read: given where to report bytes, its result.
pub(super) type Job<'a, T> = Box<dyn FnOnce(&mut dyn FnMut(u64)) -> Result<T> + Send + 'a>;

/// What a read did, told to the calling thread.
pub(super) enum Happened<T> {
    /// The read with this key started.
    Started(usize),
    /// Bytes were read (by any read).
    Bytes(u64),
    /// The read with this key ended.
    Done(usize, Result<T>),
}

/// Runs every job of `group` at once, and the `queue` on `lanes` more
/// threads alongside (at least one when the group is empty); calls `on`
/// on this thread for each thing that happens. Jobs are keyed by the
/// number given with them.
pub(super) fn run_all<T: Send>(
    group: Vec<(usize, Job<'_, T>)>,
    queue: Vec<(usize, Job<'_, T>)>,
    lanes: usize,
    on: &mut dyn FnMut(Happened<T>),
) {
    let (tx, rx) = mpsc::channel::<Happened<T>>();
    let lanes = if group.is_empty() {
        lanes.max(1)
    } else {
        lanes
    }
    .min(queue.len());
    let queue = Mutex::new(VecDeque::from(queue));
    let failed = AtomicBool::new(false);
    std::thread::scope(|scope| {
        for (key, job) in group {
            let tx = tx.clone();
            scope.spawn(move || {
                let result = run_one(key, job, &tx);
                let _ = tx.send(Happened::Done(key, result));
            });
        }
        for _ in 0..lanes {
            let (tx, queue, failed) = (tx.clone(), &queue, &failed);
            scope.spawn(move || {
                while !failed.load(Ordering::SeqCst) {
                    let next = queue.lock().ok().and_then(|mut q| q.pop_front());
                    let Some((key, job)) = next else { break };
                    let result = run_one(key, job, &tx);
                    if result.is_err() {
                        failed.store(true, Ordering::SeqCst);
                    }
                    let _ = tx.send(Happened::Done(key, result));
                }
            });
        }
        drop(tx);
        for happened in rx {
            on(happened);
        }
    });
}

fn run_one<T>(key: usize, job: Job<'_, T>, tx: &mpsc::Sender<Happened<T>>) -> Result<T> {
    let _ = tx.send(Happened::Started(key));
    catch_unwind(AssertUnwindSafe(|| {
        job(&mut |n| {
            let _ = tx.send(Happened::Bytes(n));
        })
    }))
    .unwrap_or_else(|_| Err(Refusal::Other("a reader thread failed".into()).into()))
}

/// Runs `jobs` all at once; their results in order, each read's bytes
/// forwarded to `observer` as `Advance` events.
pub(super) fn run<T: Send>(jobs: Vec<Job<'_, T>>, observer: &mut dyn Observer) -> Vec<Result<T>> {
    let mut results: Vec<Option<Result<T>>> = jobs.iter().map(|_| None).collect();
    let group = jobs.into_iter().enumerate().collect();
    run_all(group, Vec::new(), 0, &mut |happened| match happened {
        Happened::Bytes(n) => observer.event(Event::Advance { bytes: n }),
        Happened::Done(key, result) => results[key] = Some(result),
        Happened::Started(_) => {}
    });
    results
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err(Refusal::Other("a reader thread failed".into()).into())))
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::error::Error;

    fn job<'a>(n: u64, fail: bool) -> Job<'a, u64> {
        Box::new(move |on| {
            on(n);
            if fail { Err(Error::Interrupted) } else { Ok(n) }
        })
    }

    #[test]
    fn every_job_of_the_group_and_the_queue_runs_once() {
        let group = vec![(0, job(1, false)), (1, job(2, false))];
        let queue = (2..7).map(|k| (k, job(10 * k as u64, false))).collect();
        let (mut bytes, mut done, mut started) = (0, Vec::new(), 0);
        run_all(group, queue, 1, &mut |h| match h {
            Happened::Started(_) => started += 1,
            Happened::Bytes(n) => bytes += n,
            Happened::Done(k, r) => done.push((k, r.unwrap())),
        });
        done.sort_unstable();
        assert_eq!(started, 7);
        assert_eq!(bytes, 1 + 2 + 20 + 30 + 40 + 50 + 60);
        assert_eq!(done.len(), 7);
        assert_eq!(done[4], (4, 40));
    }

    #[test]
    fn a_panicking_read_is_an_error_and_a_failure_leaves_the_queue() {
        let boom: Job<'_, u64> = Box::new(|_| panic!("boom"));
        let queue = vec![(0, job(1, true)), (1, job(2, false)), (2, job(3, false))];
        let mut done = Vec::new();
        run_all(vec![(9, boom)], queue, 1, &mut |h| {
            if let Happened::Done(k, r) = h {
                done.push((k, r.is_ok()));
            }
        });
        done.sort_unstable();
        assert_eq!(
            done,
            vec![(0, false), (9, false)],
            "nothing queued ran after the failure"
        );
    }
}
