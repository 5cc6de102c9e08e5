//! The [`Finding`] type (one QC result), the [`Rule`] ids of spec B4 with
//! their severity lookup in the profile, the manifest conversion, and the
//! helpers over lists of findings (errors present, sort order, counts).

use std::cmp::Reverse;

use serde::{Deserialize, Serialize};

use crate::manifest::{At, FindingRecord};
use crate::profile::{Severities, Severity};

/// One QC result about one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// How serious it is (from the profile's `qc.severity` table).
    pub severity: Severity,
    /// The rule (written as its id, as in the profile's severity table:
    /// `sample_rate`).
    pub rule: Rule,
    /// The delivered path relative to the root (`MnE/x.wav`).
    pub file: String,
    /// A sentence a sound editor understands.
    pub message: String,
    /// The measured value, as text (`-0.6 dBTP`).
    pub value: Option<String>,
    /// The stretch of the file it applies to, as timecodes of the file
    /// (conform rules).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<At>,
}

/// Every rule of spec B4 and B5, named as in the profile's severity table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // each variant is the rule of the same name in config/netflix.yaml
pub enum Rule {
    Container,
    SampleRate,
    BitDepth,
    Channels,
    OptionalLayout,
    OptionalLetter,
    ChannelMask,
    Length,
    LengthSmall,
    LengthVsPicture,
    Start,
    TruePeakWarn,
    TruePeakError,
    Loudness,
    PmLoudness,
    SilentChannel,
    SilentLfe,
    SilentFile,
    Clipping,
    Dropout,
    Pop,
    PopAlignment,
    ReferenceVideo,
    Names,
    ConformSync,
    ConformDrift,
    ConformChannels,
    ConformPolarity,
    ConformOptionalChannels,
    ConformDialogueInMe,
    ConformLevels,
    ConformFill,
    LoudnessDialogue,
}

impl Rule {
    /// Every rule, in the order of the severity table.
    pub const ALL: [Rule; 33] = [
        Rule::Container,
        Rule::SampleRate,
        Rule::BitDepth,
        Rule::Channels,
        Rule::OptionalLayout,
        Rule::OptionalLetter,
        Rule::ChannelMask,
        Rule::Length,
        Rule::LengthSmall,
        Rule::LengthVsPicture,
        Rule::Start,
        Rule::TruePeakWarn,
        Rule::TruePeakError,
        Rule::Loudness,
        Rule::PmLoudness,
        Rule::SilentChannel,
        Rule::SilentLfe,
        Rule::SilentFile,
        Rule::Clipping,
        Rule::Dropout,
        Rule::Pop,
        Rule::PopAlignment,
        Rule::ReferenceVideo,
        Rule::Names,
        Rule::ConformSync,
        Rule::ConformDrift,
        Rule::ConformChannels,
        Rule::ConformPolarity,
        Rule::ConformOptionalChannels,
        Rule::ConformDialogueInMe,
        Rule::ConformLevels,
        Rule::ConformFill,
        Rule::LoudnessDialogue,
    ];

    /// The id written in findings and the profile (`true_peak_error`).
    pub fn id(self) -> &'static str {
        match self {
            Rule::Container => "container",
            Rule::SampleRate => "sample_rate",
            Rule::BitDepth => "bit_depth",
            Rule::Channels => "channels",
            Rule::OptionalLayout => "optional_layout",
            Rule::OptionalLetter => "optional_letter",
            Rule::ChannelMask => "channel_mask",
            Rule::Length => "length",
            Rule::LengthSmall => "length_small",
            Rule::LengthVsPicture => "length_vs_picture",
            Rule::Start => "start",
            Rule::TruePeakWarn => "true_peak_warn",
            Rule::TruePeakError => "true_peak_error",
            Rule::Loudness => "loudness",
            Rule::PmLoudness => "pm_loudness",
            Rule::SilentChannel => "silent_channel",
            Rule::SilentLfe => "silent_lfe",
            Rule::SilentFile => "silent_file",
            Rule::Clipping => "clipping",
            Rule::Dropout => "dropout",
            Rule::Pop => "pop",
            Rule::PopAlignment => "pop_alignment",
            Rule::ReferenceVideo => "reference_video",
            Rule::Names => "names",
            Rule::ConformSync => "conform.sync",
            Rule::ConformDrift => "conform.drift",
            Rule::ConformChannels => "conform.channels",
            Rule::ConformPolarity => "conform.polarity",
            Rule::ConformOptionalChannels => "conform.optional_channels",
            Rule::ConformDialogueInMe => "conform.dialogue_in_me",
            Rule::ConformLevels => "conform.levels",
            Rule::ConformFill => "conform.fill",
            Rule::LoudnessDialogue => "loudness.dialogue",
        }
    }

    /// The rule whose id is `id`.
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.id() == id)
    }

    /// The rule's severity in a profile's table.
    pub fn severity(self, s: &Severities) -> Severity {
        match self {
            Rule::Container => s.container,
            Rule::SampleRate => s.sample_rate,
            Rule::BitDepth => s.bit_depth,
            Rule::Channels => s.channels,
            Rule::OptionalLayout => s.optional_layout,
            Rule::OptionalLetter => s.optional_letter,
            Rule::ChannelMask => s.channel_mask,
            Rule::Length => s.length,
            Rule::LengthSmall => s.length_small,
            Rule::LengthVsPicture => s.length_vs_picture,
            Rule::Start => s.start,
            Rule::TruePeakWarn => s.true_peak_warn,
            Rule::TruePeakError => s.true_peak_error,
            Rule::Loudness => s.loudness,
            Rule::PmLoudness => s.pm_loudness,
            Rule::SilentChannel => s.silent_channel,
            Rule::SilentLfe => s.silent_lfe,
            Rule::SilentFile => s.silent_file,
            Rule::Clipping => s.clipping,
            Rule::Dropout => s.dropout,
            Rule::Pop => s.pop,
            Rule::PopAlignment => s.pop_alignment,
            Rule::ReferenceVideo => s.reference_video,
            Rule::Names => s.names,
            Rule::ConformSync => s.conform_sync,
            Rule::ConformDrift => s.conform_drift,
            Rule::ConformChannels => s.conform_channels,
            Rule::ConformPolarity => s.conform_polarity,
            Rule::ConformOptionalChannels => s.conform_optional_channels,
            Rule::ConformDialogueInMe => s.conform_dialogue_in_me,
            Rule::ConformLevels => s.conform_levels,
            Rule::ConformFill => s.conform_fill,
            Rule::LoudnessDialogue => s.loudness_dialogue,
        }
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

impl<'de> Deserialize<'de> for Rule {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let id = String::deserialize(d)?;
        Rule::from_id(&id).ok_or_else(|| serde::de::Error::custom(format!("unknown rule `{id}`")))
    }
}

impl Finding {
    /// A finding of `rule`, its severity looked up in `severities`.
    pub fn new(
        severities: &Severities,
        rule: Rule,
        file: impl Into<String>,
        message: impl Into<String>,
        value: Option<String>,
    ) -> Self {
        Finding {
            severity: rule.severity(severities),
            rule,
            file: file.into(),
            message: message.into(),
            value,
            at: None,
        }
    }

    /// A finding whose rule grades its own severity (spec B5): `graded`,
    /// but never worse than the profile's table allows for `rule`.
    pub fn graded(
        severities: &Severities,
        rule: Rule,
        graded: Severity,
        file: impl Into<String>,
        message: impl Into<String>,
        value: Option<String>,
    ) -> Self {
        let mut f = Finding::new(severities, rule, file, message, value);
        f.severity = f.severity.min(graded);
        f
    }

    /// The same finding over a stretch of the file.
    #[must_use]
    pub fn at(mut self, start: String, end: String) -> Self {
        self.at = Some(At { start, end });
        self
    }
}

/// The word a severity is written as (`error`, `warning`, `info`).
pub fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

impl From<&Finding> for FindingRecord {
    fn from(f: &Finding) -> Self {
        FindingRecord {
            severity: severity_word(f.severity).to_string(),
            rule: f.rule.id().to_string(),
            file: f.file.clone(),
            message: f.message.clone(),
            value: f.value.clone(),
            at: f.at.clone(),
        }
    }
}

/// True when any finding is an error (packing refuses unless forced).
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

/// Sorts errors first, then warnings, then information; within a
/// severity by file; otherwise the rules' order is kept (stable sort).
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| (Reverse(a.severity), &a.file).cmp(&(Reverse(b.severity), &b.file)));
}

/// How many findings of each severity: (errors, warnings, infos).
pub fn counts(findings: &[Finding]) -> (usize, usize, usize) {
    let n = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    (n(Severity::Error), n(Severity::Warning), n(Severity::Info))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Profile;

    fn sev() -> Severities {
        Profile::builtin("netflix").unwrap().qc.severity
    }

    #[test]
    fn rule_ids_round_trip_through_the_profile_table() {
        // Every id is a key of the YAML severity table, and the lookup
        // returns the value stored under that key.
        let table = serde_yaml::to_value(sev()).unwrap();
        for rule in Rule::ALL {
            let stored: Severity =
                serde_yaml::from_value(table.get(rule.id()).unwrap().clone()).unwrap();
            assert_eq!(rule.severity(&sev()), stored, "{}", rule.id());
        }
        let keys = table.as_mapping().unwrap().len();
        assert_eq!(keys, Rule::ALL.len());
    }

    #[test]
    fn errors_sort_first_then_by_file() {
        let s = sev();
        let mut list = vec![
            Finding::new(&s, Rule::Pop, "b", "pop", None),
            Finding::new(&s, Rule::Clipping, "a", "clip", None),
            Finding::new(&s, Rule::Length, "c", "len", None),
            Finding::new(&s, Rule::Loudness, "a", "loud", None),
        ];
        assert!(has_errors(&list));
        sort_findings(&mut list);
        let order: Vec<&str> = list.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(order, ["len", "clip", "loud", "pop"]);
        assert_eq!(counts(&list), (1, 1, 2));
        assert!(!has_errors(&list[1..]));
    }

    #[test]
    fn converts_to_the_manifest_record() {
        let f = Finding::new(
            &sev(),
            Rule::TruePeakWarn,
            "MnE/x.wav",
            "m",
            Some("v".into()),
        );
        let r = FindingRecord::from(&f);
        assert_eq!(r.severity, "warning");
        assert_eq!(r.rule, "true_peak_warn");
        assert_eq!((r.file.as_str(), r.message.as_str()), ("MnE/x.wav", "m"));
        assert_eq!(r.value.as_deref(), Some("v"));
        let json = serde_json::to_string(&f).unwrap();
        assert!(json.contains("\"severity\":\"warning\""));
        assert_eq!(serde_json::from_str::<Finding>(&json).unwrap(), f);
    }
}
