//! Small text helpers of the views: middle truncation (long names keep
//! both ends), delivered names without the prefix they all share, sizes,
//! rates, durations, and probed facts in a few columns.

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

/// `text` cut to `width` characters at its end (`abcd…`).
pub fn truncate_end(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let head: String = text.chars().take(width - 1).collect();
    format!("{head}…")
}

/// The length of the `_`-ended prefix every name shares (title, unit,
/// version, date: the same in every delivered name); 0 for fewer than two
/// names, where nothing is shared.
pub fn shared_prefix<'a>(names: impl IntoIterator<Item = &'a str>) -> usize {
    let mut names = names.into_iter().peekable();
    let Some(first) = names.next() else { return 0 };
    if names.peek().is_none() {
        return 0;
    }
    let mut len = first.len();
    for n in names {
        len = first
            .bytes()
            .zip(n.bytes())
            .take(len)
            .take_while(|(a, b)| a == b)
            .count();
    }
    first[..len].rfind('_').map_or(0, |i| i + 1)
}

/// `name` without the first `common` bytes when they are a long shared
/// prefix (`…OPTA_Efforts_6ch_48k_24b_23976.wav`).
pub fn elide_prefix(name: &str, common: usize) -> String {
    if common > 8 && name.is_char_boundary(common) {
        format!("…{}", &name[common..])
    } else {
        name.to_string()
    }
}

/// A delivered name in at most `width` characters that still tells it
/// from the others: without the shared prefix, then cut at its end (after
/// a whole `_` token when that keeps at least half the room), so the asset
/// and description (`OPTA_Efforts`, `PM_Nearfield`) come first and stay
/// while they fit.
pub fn distinct_name(name: &str, common: usize, width: usize) -> String {
    let short = elide_prefix(name, common);
    if short.chars().count() <= width || width == 0 {
        return truncate_end(&short, width);
    }
    let head: String = short.chars().take(width - 1).collect();
    let head = match head.rfind('_') {
        Some(i) if head[..i].chars().count() >= (width - 1) / 2 => &head[..i],
        _ => head.as_str(),
    };
    format!("{head}…")
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

/// A text bar of `width` cells for `done/total` (`[#####.....]`); empty
/// when `total` is 0: nothing counted is nothing done (before a phase
/// starts, the totals are 0).
pub fn bar(done: u64, total: u64, width: usize) -> String {
    let inner = width.saturating_sub(2);
    let filled = if total == 0 {
        0
    } else {
        ((done.min(total) as f64 / total as f64) * inner as f64).round() as usize
    };
    format!("[{}{}]", "#".repeat(filled), ".".repeat(inner - filled))
}

/// Percent of `done/total`; 0 when `total` is 0 (as [`bar`]).
pub fn percent(done: u64, total: u64) -> u64 {
    (done.min(total) * 100).checked_div(total).unwrap_or(0)
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
    fn delivered_names_keep_what_tells_them_apart() {
        let names = [
            "night_train_lp_v01_20261125_REF_StageMix_23976.mov",
            "night_train_lp_v01_20261125_OPTA_Efforts_6ch_48k_24b_23976.wav",
            "night_train_lp_v01_20261125_PM_Nearfield_6ch_48k_24b_23976.wav",
        ];
        let common = shared_prefix(names);
        assert_eq!(&names[1][..common], "night_train_lp_v01_20261125_");
        assert_eq!(
            distinct_name(names[1], common, 80),
            "…OPTA_Efforts_6ch_48k_24b_23976.wav"
        );
        // Cut at the end, never in the asset and description.
        for w in [14, 20, 25, 30] {
            let a = distinct_name(names[1], common, w);
            let b = distinct_name(names[2], common, w);
            assert!(a.chars().count() <= w, "{a}");
            assert!(a.starts_with("…OPTA_Efforts") && a.ends_with('…'), "{a}");
            assert!(b.starts_with("…PM_Nearfield") && b.ends_with('…'), "{b}");
        }
        // After a whole token when that keeps half the room.
        assert_eq!(
            distinct_name(names[1], common, 25),
            "…OPTA_Efforts_6ch_48k…"
        );
        assert_eq!(distinct_name(names[1], common, 14), "…OPTA_Efforts…");
        assert_eq!(distinct_name(names[1], common, 0), "");
        // A prefix too short to be worth a mark is kept.
        assert_eq!(shared_prefix(["ab_c.wav", "ab_d.wav"]), 3);
        assert_eq!(distinct_name("ab_c.wav", 3, 20), "ab_c.wav");
        assert_eq!(shared_prefix(["night_train_lp_v01_20261125_PM.wav"]), 0);
        assert_eq!(shared_prefix(Vec::<&str>::new()), 0);
        assert_eq!(truncate_end("abcdef", 4), "abc…");
        assert_eq!(truncate_end("abc", 0), "");
    }

    #[test]
    fn sizes_rates_and_bars() {
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(bar(5, 10, 12), "[#####.....]");
        assert_eq!(percent(1, 4), 25);
        // Nothing counted yet (a pack not started) is not complete.
        assert_eq!(percent(0, 0), 0);
        assert_eq!(bar(0, 0, 12), "[..........]");
        assert_eq!(bar(10, 10, 12), "[##########]");
        let (r, eta) = rate_and_eta(1024 * 1024, 3 * 1024 * 1024, Duration::from_secs(1));
        assert_eq!(r, "1.0 MiB/s");
        assert_eq!(eta, "00:02");
        assert_eq!(clock(Duration::from_secs(3725)), "1:02:05");
    }
}
