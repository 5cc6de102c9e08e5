//! Frame rates and SMPTE timecode: parsing the job's rate, the naming token
//! (`23976`), and turning a sample count (bext time reference) or a frame
//! count (QuickTime `tmcd`) into `HH:MM:SS:FF` (`;` before the frames when
//! drop-frame). Pure functions only.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A constant frame rate as an exact fraction, plus the drop-frame flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FrameRate {
    /// Numerator (24000 for 23.976).
    pub num: u32,
    /// Denominator (1001 for 23.976).
    pub den: u32,
    /// Drop-frame counting (only meaningful for 29.97 and 59.94).
    pub drop_frame: bool,
}

/// The rates a delivery may use (spec A3), with their job spelling.
pub const KNOWN_RATES: [(&str, FrameRate); 8] = [
    ("23.976", FrameRate::new(24000, 1001)),
    ("24", FrameRate::new(24, 1)),
    ("25", FrameRate::new(25, 1)),
    ("29.97", FrameRate::new(30000, 1001)),
    ("30", FrameRate::new(30, 1)),
    ("50", FrameRate::new(50, 1)),
    ("59.94", FrameRate::new(60000, 1001)),
    ("60", FrameRate::new(60, 1)),
];

impl FrameRate {
    /// A non-drop rate `num/den`.
    pub const fn new(num: u32, den: u32) -> Self {
        Self {
            num,
            den,
            drop_frame: false,
        }
    }

    /// Parses `23.976`, `24`, `29.97`, `29.97df`, `2997`, `24000/1001`...
    /// Returns `None` for anything that is not a known constant rate.
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim().to_ascii_lowercase();
        let (body, drop) = match t
            .strip_suffix("df")
            .or_else(|| t.strip_suffix("drop"))
            .map(str::trim_end)
        {
            Some(b) => (b.trim_end_matches([' ', '-', '_']).to_string(), true),
            None => (
                t.strip_suffix("ndf")
                    .map_or(t.clone(), |b| b.trim_end().to_string()),
                false,
            ),
        };
        let mut rate = if let Some((n, d)) = body.split_once('/') {
            let (n, d): (u32, u32) = (n.trim().parse().ok()?, d.trim().parse().ok()?);
            KNOWN_RATES
                .iter()
                .map(|(_, r)| *r)
                .find(|r| u64::from(r.num) * u64::from(d) == u64::from(n) * u64::from(r.den))?
        } else {
            KNOWN_RATES
                .iter()
                .find(|(name, r)| *name == body || r.token() == body)
                .map(|(_, r)| *r)?
        };
        if drop {
            if rate.den != 1001 || rate.num % 30000 != 0 {
                return None;
            }
            rate.drop_frame = true;
        }
        Some(rate)
    }

    /// The naming token of spec A2/B2: `23976`, `24`, `2997`...
    pub fn token(&self) -> String {
        if self.den == 1 {
            self.num.to_string()
        } else {
            // 24000/1001 -> 23976, 30000/1001 -> 2997, 60000/1001 -> 5994
            let milli = u64::from(self.num) * 1000 / u64::from(self.den);
            let s = milli.to_string();
            s.trim_end_matches('0').to_string()
        }
    }

    /// The rate as the job spells it: `23.976`, `24`, `29.97`...
    pub fn label(&self) -> String {
        let base = KNOWN_RATES
            .iter()
            .find(|(_, r)| r.num == self.num && r.den == self.den)
            .map_or_else(
                || format!("{}/{}", self.num, self.den),
                |(n, _)| (*n).to_string(),
            );
        if self.drop_frame {
            format!("{base}df")
        } else {
            base
        }
    }

    /// Frames per second as a float (for display only).
    pub fn fps(&self) -> f64 {
        f64::from(self.num) / f64::from(self.den)
    }

    /// Timecode frames per second: 24 for 23.976, 30 for 29.97.
    pub fn nominal(&self) -> u64 {
        u64::from(self.num.div_ceil(self.den))
    }

    /// Audio samples in one frame, as an exact fraction reduced to a float
    /// (2002 for 23.976 at 48 kHz, 1920 for 25).
    pub fn samples_per_frame(&self, sample_rate: u32) -> f64 {
        f64::from(sample_rate) * f64::from(self.den) / f64::from(self.num)
    }

    /// Whole frames in `samples` at `sample_rate` (floor).
    pub fn frames_from_samples(&self, samples: u64, sample_rate: u32) -> u64 {
        if sample_rate == 0 {
            return 0;
        }
        let n = u128::from(samples) * u128::from(self.num);
        let d = u128::from(sample_rate) * u128::from(self.den);
        u64::try_from(n / d).unwrap_or(u64::MAX)
    }
}

impl fmt::Display for FrameRate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

impl Serialize for FrameRate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.label())
    }
}

impl<'de> Deserialize<'de> for FrameRate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Num(f64),
            Text(String),
        }
        let text = match Raw::deserialize(d)? {
            Raw::Num(n) => format!("{n}"),
            Raw::Text(t) => t,
        };
        FrameRate::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown frame rate `{text}`; use one of 23.976, 24, 25, 29.97, 29.97df, 30, 50, 59.94, 59.94df, 60"
            ))
        })
    }
}

/// A position as a frame count since midnight at a given rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timecode {
    /// Frames since 00:00:00:00 (real frames; drop-frame labels skip numbers, not frames).
    pub frames: u64,
    /// The rate the count is in.
    pub rate: FrameRate,
}

impl Timecode {
    /// The timecode at `samples` since midnight (a bext time reference).
    pub fn from_samples(samples: u64, sample_rate: u32, rate: FrameRate) -> Self {
        Self {
            frames: rate.frames_from_samples(samples, sample_rate),
            rate,
        }
    }

    /// Parses `HH:MM:SS:FF` (or `;`/`.` before the frames for drop-frame).
    pub fn parse(text: &str, rate: FrameRate) -> Option<Self> {
        let parts: Vec<&str> = text.trim().split([':', ';', '.']).collect();
        let [h, m, s, f] = parts.as_slice() else {
            return None;
        };
        let (h, m, s, f): (u64, u64, u64, u64) = (
            h.parse().ok()?,
            m.parse().ok()?,
            s.parse().ok()?,
            f.parse().ok()?,
        );
        let nom = rate.nominal();
        if m >= 60 || s >= 60 || f >= nom {
            return None;
        }
        let mut frames = ((h * 60 + m) * 60 + s) * nom + f;
        if rate.drop_frame {
            let drop = nom / 15; // 2 at 29.97, 4 at 59.94
            let minutes = h * 60 + m;
            frames -= drop * (minutes - minutes / 10);
        }
        Some(Self { frames, rate })
    }

    /// Samples since midnight at `sample_rate` (rounded to the nearest sample).
    pub fn to_samples(&self, sample_rate: u32) -> u64 {
        let n = u128::from(self.frames) * u128::from(sample_rate) * u128::from(self.rate.den);
        let d = u128::from(self.rate.num);
        u64::try_from((n + d / 2) / d).unwrap_or(u64::MAX)
    }
}

impl fmt::Display for Timecode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let nom = self.rate.nominal().max(1);
        let mut frames = self.frames;
        let sep = if self.rate.drop_frame {
            // Re-insert the skipped frame numbers (SMPTE 12M drop-frame).
            let drop = nom / 15;
            let per_10min = nom * 600 - drop * 9;
            let per_min = nom * 60 - drop;
            let tens = frames / per_10min;
            let rem = frames % per_10min;
            let extra = if rem > drop {
                drop * ((rem - drop) / per_min)
            } else {
                0
            };
            frames += drop * 9 * tens + extra;
            ';'
        } else {
            ':'
        };
        let ff = frames % nom;
        let total_s = frames / nom;
        let (h, m, s) = (total_s / 3600 % 24, total_s / 60 % 60, total_s % 60);
        write!(f, "{h:02}:{m:02}:{s:02}{sep}{ff:02}")
    }
}

/// A duration given as samples, printed `HH:MM:SS.mmm`.
pub fn format_duration(samples: u64, sample_rate: u32) -> String {
    if sample_rate == 0 {
        return "00:00:00.000".to_string();
    }
    let ms = u128::from(samples) * 1000 / u128::from(sample_rate);
    let (h, m, s, milli) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    format!("{h:02}:{m:02}:{s:02}.{milli:03}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_tokens() {
        let r = FrameRate::parse("23.976").unwrap();
        assert_eq!((r.num, r.den), (24000, 1001));
        assert_eq!(r.token(), "23976");
        assert_eq!(FrameRate::parse("29.97").unwrap().token(), "2997");
        assert_eq!(FrameRate::parse("59.94").unwrap().token(), "5994");
        assert_eq!(FrameRate::parse("25").unwrap().token(), "25");
        assert_eq!(FrameRate::parse("24000/1001").unwrap(), r);
        assert!(FrameRate::parse("29.97df").unwrap().drop_frame);
        assert!(FrameRate::parse("24df").is_none());
        assert!(FrameRate::parse("23").is_none());
        assert!(FrameRate::parse("").is_none());
    }

    #[test]
    fn bext_reference_to_timecode() {
        // The dependencies note: 00:59:56:00 at 23.976 = 86,304 frames x 2,002 samples.
        let r = FrameRate::parse("23.976").unwrap();
        let tc = Timecode::from_samples(172_780_608, 48_000, r);
        assert_eq!(tc.to_string(), "00:59:56:00");
        assert_eq!(tc.to_samples(48_000), 172_780_608);
        assert_eq!(Timecode::parse("00:59:56:00", r).unwrap(), tc);
    }

    #[test]
    fn drop_frame_round_trips() {
        let r = FrameRate::parse("29.97df").unwrap();
        for label in [
            "00:00:59;29",
            "00:01:00;02",
            "00:10:00;00",
            "01:00:00;00",
            "00:09:59;29",
        ] {
            let tc = Timecode::parse(label, r).unwrap();
            assert_eq!(tc.to_string(), label);
        }
        // One hour of 29.97 drop-frame is 107,892 frames.
        assert_eq!(Timecode::parse("01:00:00;00", r).unwrap().frames, 107_892);
        let next = Timecode {
            frames: Timecode::parse("00:00:59;29", r).unwrap().frames + 1,
            rate: r,
        };
        assert_eq!(next.to_string(), "00:01:00;02");
    }

    #[test]
    fn durations() {
        assert_eq!(
            format_duration(48_000 * 61 + 24_000, 48_000),
            "00:01:01.500"
        );
        assert_eq!(format_duration(5, 0), "00:00:00.000");
    }
}
