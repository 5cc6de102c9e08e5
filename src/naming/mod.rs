//! Naming: the convention template (spec B2), parsed once and rendered per
//! file; the final check of every name (legal characters, no `..`, length);
//! case-insensitive uniqueness; and reading a delivered name's version back.
//! Free-text sanitising lives in [`text`]. Pure functions only.

mod template;
pub mod text;

pub use template::{FIELDS, Field, Fields, Template, TemplateError};
pub use text::{camel_case, sanitize_title};

use std::collections::BTreeMap;

/// The characters no profile may go beyond (spec A2): `A-Z a-z 0-9 . _ -`.
pub const SAFE_CHARS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-";

/// The default longest name in bytes (spec B4).
pub const DEFAULT_MAX_BYTES: usize = 255;

/// Why a name cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    /// A field outside an optional group had no value.
    #[error("field `{{{0}}}` is empty")]
    MissingField(&'static str),
    /// The name is empty.
    #[error("the name is empty")]
    Empty,
    /// The name holds a character the profile does not allow.
    #[error("`{name}` holds the illegal character {ch:?}")]
    IllegalChar {
        /// The offending name (illegal characters escaped).
        name: String,
        /// The first illegal character.
        ch: char,
    },
    /// The name holds `..` or starts with `.` or `-`.
    #[error("`{0}` holds `..` or starts with `.` or `-`")]
    Unsafe(String),
    /// The name is longer than the profile allows.
    #[error("`{name}` is {bytes} bytes long; the limit is {max}")]
    TooLong {
        /// The offending name.
        name: String,
        /// Its length in bytes.
        bytes: usize,
        /// The limit.
        max: usize,
    },
}

/// The final check of a name: legal characters and a length limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameRules {
    /// Every character a name may hold (a subset of [`SAFE_CHARS`]).
    pub legal_chars: String,
    /// Longest name in bytes.
    pub max_bytes: usize,
}

impl Default for NameRules {
    fn default() -> Self {
        Self {
            legal_chars: SAFE_CHARS.to_string(),
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }
}

impl NameRules {
    /// Checks a whole name: not empty, every character legal for the profile
    /// *and* in [`SAFE_CHARS`], no `..`, no leading `.` or `-`, at most
    /// `max_bytes` bytes.
    pub fn check(&self, name: &str) -> Result<(), NameError> {
        if name.is_empty() {
            return Err(NameError::Empty);
        }
        if let Some(ch) = name
            .chars()
            .find(|&c| !SAFE_CHARS.contains(c) || !self.legal_chars.contains(c))
        {
            return Err(NameError::IllegalChar {
                name: name.escape_debug().to_string(),
                ch,
            });
        }
        if name.contains("..") || name.starts_with('.') || name.starts_with('-') {
            return Err(NameError::Unsafe(name.to_string()));
        }
        if name.len() > self.max_bytes {
            return Err(NameError::TooLong {
                name: name.to_string(),
                bytes: name.len(),
                max: self.max_bytes,
            });
        }
        Ok(())
    }
}

/// The names that collide with another one when case is ignored (Content Hub
/// treats `A.wav` and `a.wav` as the same file), each listed once, in the
/// order they first appear. An empty result means every name is unique.
pub fn check_unique<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut seen: BTreeMap<String, Vec<&'a str>> = BTreeMap::new();
    let mut order = Vec::new();
    for n in names {
        let key = n.to_lowercase();
        let entry = seen.entry(key.clone()).or_default();
        if entry.is_empty() {
            order.push(key);
        }
        entry.push(n);
    }
    let mut out = Vec::new();
    for key in order {
        if let Some(group) = seen.get(&key).filter(|g| g.len() > 1) {
            for n in group {
                if !out.iter().any(|o: &String| o == n) {
                    out.push((*n).to_string());
                }
            }
        }
    }
    out
}

/// The version token of spec B2: `v01`..`v99`, then `v100` (grows, never wraps).
pub fn version_token(version: u32) -> String {
    format!("v{version:02}")
}

/// The delivery-number token of the root folder: `01`..`99`, then `100`.
pub fn delivery_token(number: u32) -> String {
    format!("{number:02}")
}

/// The date token of spec B2: `YYYYMMDD`.
pub fn date_token(date: chrono::NaiveDate) -> String {
    date.format("%Y%m%d").to_string()
}

/// The sample-rate token: `48k`, `96k`, `44k1`, `88k2`, `192k`; a rate
/// that is not a whole hundred of hertz is written in hertz (`22050hz`).
pub fn rate_token(sample_rate: u32) -> String {
    let (k, rem) = (sample_rate / 1000, sample_rate % 1000);
    if rem == 0 {
        format!("{k}k")
    } else if rem % 100 == 0 {
        format!("{k}k{}", rem / 100)
    } else {
        format!("{sample_rate}hz")
    }
}

/// The bit-depth token: `24b`.
pub fn depth_token(bits: u16) -> String {
    format!("{bits}b")
}

/// Reads the version back from a name made with the default template
/// (`..._s02e02_v03_...` -> 3): the last `v` + two or more digits token
/// that directly follows a unit token (`s##e##`, `r##`, `lp`). Titles may
/// hold such pairs too, which is why the last one wins: nothing after the
/// version in the default template can look like a unit.
pub fn parse_version(name: &str) -> Option<u32> {
    let tokens: Vec<&str> = name.split(['_', '.']).collect();
    tokens
        .windows(2)
        .filter(|w| is_unit_token(w[0]))
        .filter_map(|w| {
            let digits = w[1].strip_prefix('v')?;
            if digits.len() >= 2 && digits.bytes().all(|b| b.is_ascii_digit()) {
                digits.parse().ok()
            } else {
                None
            }
        })
        .next_back()
}

/// True for `s##e##` (episode of two or three digits), `r##` and `lp`.
pub fn is_unit_token(t: &str) -> bool {
    let digits = |s: &str, min: usize, max: usize| {
        (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if t == "lp" {
        return true;
    }
    if let Some(rest) = t.strip_prefix('r') {
        return digits(rest, 2, 2);
    }
    if let Some(rest) = t.strip_prefix('s')
        && let Some((s, e)) = rest.split_once('e')
    {
        return digits(s, 2, 2) && digits(e, 2, 3);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_reject_unsafe_names() {
        let r = NameRules::default();
        assert!(r.check("a_b-c.wav").is_ok());
        assert_eq!(r.check(""), Err(NameError::Empty));
        assert!(matches!(
            r.check("a b"),
            Err(NameError::IllegalChar { ch: ' ', .. })
        ));
        assert!(matches!(
            r.check("a/b"),
            Err(NameError::IllegalChar { ch: '/', .. })
        ));
        assert!(matches!(
            r.check("a\0b"),
            Err(NameError::IllegalChar { ch: '\0', .. })
        ));
        assert!(matches!(r.check("a..b"), Err(NameError::Unsafe(_))));
        assert!(matches!(r.check(".hidden"), Err(NameError::Unsafe(_))));
        assert!(matches!(r.check("-rf"), Err(NameError::Unsafe(_))));
        assert!(r.check(&"a".repeat(255)).is_ok());
        assert!(matches!(
            r.check(&"a".repeat(256)),
            Err(NameError::TooLong { bytes: 256, .. })
        ));
        let narrow = NameRules {
            legal_chars: "abc_.".into(),
            max_bytes: 10,
        };
        assert!(matches!(
            narrow.check("abd"),
            Err(NameError::IllegalChar { ch: 'd', .. })
        ));
        // A profile cannot widen the safe set.
        let wide = NameRules {
            legal_chars: "ab /".into(),
            max_bytes: 10,
        };
        assert!(wide.check("a b").is_err());
    }

    #[test]
    fn uniqueness_ignores_case() {
        assert!(check_unique(["a.wav", "b.wav"]).is_empty());
        assert_eq!(
            check_unique(["A.wav", "b.wav", "a.WAV", "b.wav", "c"]),
            vec!["A.wav", "a.WAV", "b.wav"]
        );
    }

    #[test]
    fn tokens() {
        assert_eq!(version_token(1), "v01");
        assert_eq!(version_token(99), "v99");
        assert_eq!(version_token(100), "v100");
        assert_eq!(delivery_token(7), "07");
        assert_eq!(delivery_token(123), "123");
        let d = chrono::NaiveDate::from_ymd_opt(2026, 11, 5).unwrap();
        assert_eq!(date_token(d), "20261105");
        assert_eq!(rate_token(48_000), "48k");
        assert_eq!(rate_token(96_000), "96k");
        assert_eq!(rate_token(44_100), "44k1");
        assert_eq!(rate_token(22_050), "22050hz");
        assert_eq!(depth_token(24), "24b");
    }

    #[test]
    fn versions_read_back() {
        assert_eq!(
            parse_version("chefs_table_s02e02_v04_20261125_ME_Nearfield_6ch_48k_24b_23976.wav"),
            Some(4)
        );
        assert_eq!(
            parse_version("night_train_lp_v123_20261125_REF_StageMix_24.mov"),
            Some(123)
        );
        assert_eq!(parse_version("lp_v07_lp_v02_20261125_PM_6ch.wav"), Some(2));
        assert_eq!(parse_version("x_r01_v1_y.wav"), None);
        assert_eq!(parse_version("x_s2e2_v03.wav"), None);
        assert_eq!(parse_version("nothing.wav"), None);
        assert!(is_unit_token("s02e100"));
        assert!(!is_unit_token("e01"));
    }
}
