//! Named steps of a pack where the process can stop itself, for the tests
//! that SIGKILL a pack at an exact point and then resume it. Built only
//! with the `stop-points` feature; otherwise every call is an empty
//! function. With the feature, `MNEPACK_STOP_AT=<name>` makes the process
//! send itself SIGSTOP when it reaches that step, and the test kills it
//! (`<name>@<n>`: the n-th time it reaches it, as in the third episode of
//! a season);
//! `MNEPACK_HANG_AT=<name>` makes it block there for good, deaf to the
//! stop flag, as a read from a hung network share would.

/// Marks a step (`copy:0`, `staged:1`, `final`, `verify:0`, `renamed:0`,
/// `manifest-staged`, `manifest-placed`, `sealed`).
#[cfg(feature = "stop-points")]
pub fn reached(name: &str) {
    static SEEN: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    if let Ok(want) = std::env::var("MNEPACK_STOP_AT") {
        let (step, nth) = match want.split_once('@') {
            Some((s, n)) => (s.to_string(), n.parse().unwrap_or(1)),
            None => (want, 1),
        };
        if step == name && SEEN.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1 == nth {
            let _ = signal_hook::low_level::raise(signal_hook::consts::SIGSTOP);
        }
    }
    if std::env::var("MNEPACK_HANG_AT").is_ok_and(|want| want == name) {
        loop {
            std::thread::sleep(std::time::Duration::from_secs(3600));
        }
    }
}

/// Marks a step (no-op: built without the `stop-points` feature).
#[cfg(not(feature = "stop-points"))]
#[inline]
pub fn reached(_name: &str) {}
