//! How many threads a run may keep busy: `MNEPACK_THREADS` when it is a
//! positive number (to leave cores to other work on a shared machine), else
//! the cores the machine makes available to this process. `pack` reads
//! that many files at once, `verify` hashes that many, and the analysis
//! splits a file's channels over two threads only when there are two.

/// The threads a run may keep busy (at least one).
pub fn available() -> usize {
    from_setting(std::env::var("MNEPACK_THREADS").ok().as_deref()).unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    })
}

/// The number `MNEPACK_THREADS` asks for, when it is a positive number.
fn from_setting(value: Option<&str>) -> Option<usize> {
    value
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_positive_number_caps_the_threads() {
        assert_eq!(from_setting(Some("3")), Some(3));
        assert_eq!(from_setting(Some(" 1 ")), Some(1));
        assert_eq!(from_setting(Some("0")), None);
        assert_eq!(from_setting(Some("many")), None);
        assert_eq!(from_setting(None), None);
        assert!(available() >= 1);
    }
}
