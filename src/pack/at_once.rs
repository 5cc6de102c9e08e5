//! Several reads at once, one scoped thread each, as the conform analysis
//! needs its files read side by side (`check`'s measuring and `pack`'s
//! staging both): each job reports the bytes it reads, forwarded to the
//! observer as `Advance` events from the calling thread; a job whose thread
//! panicked is an error, not a panic.

use std::sync::mpsc;

use crate::error::{Refusal, Result};
use crate::progress::{Event, Observer};

/// One read: given where to report bytes, its result.
pub(super) type Job<'a, T> = Box<dyn FnOnce(&mut dyn FnMut(u64)) -> Result<T> + Send + 'a>;

/// Runs `jobs` at once; their results in order.
pub(super) fn run<T: Send>(jobs: Vec<Job<'_, T>>, observer: &mut dyn Observer) -> Vec<Result<T>> {
    let (progress, bytes) = mpsc::channel::<u64>();
    std::thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .into_iter()
            .map(|job| {
                let progress = progress.clone();
                scope.spawn(move || {
                    job(&mut |n| {
                        let _ = progress.send(n);
                    })
                })
            })
            .collect();
        drop(progress);
        for n in bytes {
            observer.event(Event::Advance { bytes: n });
        }
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(Refusal::Other("a reader thread failed".into()).into()))
            })
            .collect()
    })
}
