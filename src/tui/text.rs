//! Small text helpers of the views: middle truncation (long names keep
//! both ends), sizes, rates, durations, and probed facts in a few columns.

use std::time::Duration;

use crate::probe::{Media, Probed};
use crate::timecode::{FrameRate, Timecode};

/// `text` cut to `width` characters by removing its middle (`ab…yz`).
pub fn truncate_middle(text: &str, width: usize) -> String {
    let n = text.chars().count();
    if n <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let keep = width - 1;
    let head = keep.div_ceil(2);
    let tail = keep - head;
    let start: String = text.chars().take(head).collect();
    let end: String = text.chars().skip(n - tail).collect();
    format!("{start}…{end}")
}

/// `text` padded or middle-truncated to exactly `width` characters.
pub fn fit(text: &str, width: usize) -> String {
    let t = truncate_middle(text, width);
    let pad = width.saturating_sub(t.chars().count());
    format!("{t}{}", " ".repeat(pad))
}

/// Bytes in binary units (`1.5 MiB`).
pub fn bytes(n: u64) -> String {
    crate::progress::human_bytes(n)
}

/// `mm:ss` or `h:mm:ss`.
pub fn clock(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{:02}:{:02}", s / 60, s % 60)
    }
}

/// Throughput and time left for `done` of `total` bytes after `elapsed`.
pub fn rate_and_eta(done: u64, total: u64, elapsed: Duration) -> (String, String) {
    let secs = elapsed.as_secs_f64();
    if secs < 0.05 || done == 0 {
        return ("-".to_string(), "-".to_string());
    }
    let per_sec = done as f64 / secs;
    let left = total.saturating_sub(done) as f64 / per_sec;
    (
        format!("{}/s", bytes(per_sec as u64)),
        clock(Duration::from_secs_f64(left.min(1e7))),
    )
}

/// A text bar of `width` cells for `done/total` (`[#####.....]`).
pub fn bar(done: u64, total: u64, width: usize) -> String {
    let inner = width.saturating_sub(2);
    let filled = if total == 0 {
        inner
    } else {
        ((done.min(total) as f64 / total as f64) * inner as f64).round() as usize
    };
    format!("[{}{}]", "#".repeat(filled), ".".repeat(inner - filled))
}

/// Percent of `done/total` (100 when there is nothing to do).
pub fn percent(done: u64, total: u64) -> u64 {
    (done.min(total) * 100).checked_div(total).unwrap_or(100)
}

/// Columns of probed facts: channels, rate, bits, duration, start TC.
pub fn facts(p: &Probed, rate: FrameRate) -> [String; 5] {
    match &p.media {
        Media::Audio(a) => [
            format!("{}ch", a.channels),
            format!("{}k", f64::from(a.sample_rate) / 1000.0),
            format!(
                "{}b",
                if a.valid_bits > 0 {
                    a.valid_bits
                } else {
                    a.bits
                }
            ),
            clock(Duration::from_secs_f64(a.duration_seconds())),
            Timecode::from_samples(a.time_reference(), a.sample_rate, rate).to_string(),
        ],
        Media::Video(v) => [
            "vid".to_string(),
            v.frame_rate_num.zip(v.frame_rate_den).map_or_else(
                || "-".to_string(),
                |(n, d)| {
                    format!("{:.3}", f64::from(n) / f64::from(d.max(1)))
                        .trim_end_matches('0')
                        .trim_end_matches('.')
                        .to_string()
                },
            ),
            String::new(),
            v.duration_seconds.map_or_else(
                || "-".to_string(),
                |s| clock(Duration::from_secs_f64(s.max(0.0))),
            ),
            v.start_timecode.clone().unwrap_or_else(|| "-".to_string()),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn middle_truncation_keeps_both_ends() {
        assert_eq!(truncate_middle("abcdefghij", 5), "ab…ij");
        assert_eq!(truncate_middle("abc", 5), "abc");
        assert_eq!(truncate_middle("abcdef", 1), "…");
        assert_eq!(fit("ab", 4), "ab  ");
        assert_eq!(fit("abcdefgh", 4).chars().count(), 4);
    }

    #[test]
    fn sizes_rates_and_bars() {
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(bar(5, 10, 12), "[#####.....]");
        assert_eq!(percent(1, 4), 25);
        assert_eq!(percent(0, 0), 100);
        let (r, eta) = rate_and_eta(1024 * 1024, 3 * 1024 * 1024, Duration::from_secs(1));
        assert_eq!(r, "1.0 MiB/s");
        assert_eq!(eta, "00:02");
        assert_eq!(clock(Duration::from_secs(3725)), "1:02:05");
    }
}
