//! The job form of the first screen: six fields as text (frame rate as a
//! choice), filled from a job file or defaults, and turned back into a
//! validated [`Job`] by the job loader itself (so what the wizard accepts,
//! `pack` accepts).

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

use crate::job::{Job, Sources};
use crate::timecode::{FrameRate, KNOWN_RATES};

/// The form's fields, in screen order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Title.
    Title,
    /// Unit.
    Unit,
    /// Frame rate (a choice).
    Rate,
    /// Language.
    Language,
    /// Date.
    Date,
    /// Output folder.
    Output,
}

/// Every field, in order.
pub const FIELDS: [Field; 6] = [
    Field::Title,
    Field::Unit,
    Field::Rate,
    Field::Language,
    Field::Date,
    Field::Output,
];

/// The frame rates offered, as the job spells them.
pub fn rate_choices() -> Vec<String> {
    let mut v: Vec<String> = KNOWN_RATES.iter().map(|(n, _)| (*n).to_string()).collect();
    v.insert(4, "29.97df".to_string());
    v.push("59.94df".to_string());
    v
}

/// The form's values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobForm {
    /// Title as typed.
    pub title: String,
    /// Unit as typed.
    pub unit: String,
    /// Index into [`rate_choices`].
    pub rate: usize,
    /// Language as typed (empty: none).
    pub language: String,
    /// Date as typed (`YYYY-MM-DD`).
    pub date: String,
    /// Output folder as typed.
    pub output: String,
    /// The profile name or path (not edited here).
    pub profile: String,
    /// True when the date was given (by a job file or by editing it).
    pub date_given: bool,
}

fn rate_index(rate: FrameRate) -> usize {
    rate_choices()
        .iter()
        .position(|c| FrameRate::parse(c) == Some(rate))
        .unwrap_or(0)
}

impl JobForm {
    /// Defaults for a new job: long-play at 23.976, today, `DIR/deliveries`.
    pub fn new(dir: &Path, today: NaiveDate) -> Self {
        JobForm {
            title: String::new(),
            unit: "lp".to_string(),
            rate: 0,
            language: "en".to_string(),
            date: today.to_string(),
            output: dir.join("deliveries").display().to_string(),
            profile: "netflix".to_string(),
            date_given: false,
        }
    }

    /// The form of a loaded job.
    pub fn from_job(job: &Job) -> Self {
        JobForm {
            title: job.title.clone(),
            unit: job.unit.to_string(),
            rate: rate_index(job.frame_rate),
            language: job.language.clone().unwrap_or_default(),
            date: job.date.to_string(),
            output: job.output_dir().display().to_string(),
            profile: job.profile.clone(),
            date_given: job.date_given,
        }
    }

    /// A field's text.
    pub fn value(&self, f: Field) -> String {
        match f {
            Field::Title => self.title.clone(),
            Field::Unit => self.unit.clone(),
            Field::Rate => rate_choices().get(self.rate).cloned().unwrap_or_default(),
            Field::Language => self.language.clone(),
            Field::Date => self.date.clone(),
            Field::Output => self.output.clone(),
        }
    }

    /// Sets a text field (the rate is chosen with [`JobForm::cycle_rate`]).
    pub fn set(&mut self, f: Field, text: String) {
        match f {
            Field::Title => self.title = text,
            Field::Unit => self.unit = text,
            Field::Rate => {}
            Field::Language => self.language = text,
            Field::Date => {
                self.date = text;
                self.date_given = true;
            }
            Field::Output => self.output = text,
        }
    }

    /// Moves the rate choice by `step` (wrapping).
    pub fn cycle_rate(&mut self, step: isize) {
        let n = rate_choices().len() as isize;
        self.rate = (self.rate as isize + step).rem_euclid(n) as usize;
    }

    /// The validated job of this form with `sources` (absolute paths),
    /// relative paths resolving against `base`. Validation is the job
    /// loader's own, so the error names the key as a job file would.
    pub fn to_job(&self, sources: &Sources, base: &Path, today: NaiveDate) -> Result<Job, String> {
        let draft = Draft {
            profile: &self.profile,
            title: &self.title,
            unit: &self.unit,
            frame_rate: self.value(Field::Rate),
            language: Some(self.language.trim()).filter(|l| !l.is_empty()),
            date: self.date_given.then_some(self.date.trim()),
            output: self.output.trim(),
            sources: sources.clone(),
        };
        let text = serde_yaml::to_string(&draft).map_err(|e| e.to_string())?;
        Job::from_yaml(&text, base, today).map_err(|e| match e {
            crate::Error::Job { message, .. } => without_position(&message),
            other => without_position(&other.to_string()),
        })
    }

    /// Checks the form alone (with a placeholder source).
    pub fn validate(&self, base: &Path, today: NaiveDate) -> Result<(), String> {
        self.draft_job(base, today).map(|_| ())
    }

    /// The job of the form alone (with a placeholder source): its title,
    /// unit, profile and output, enough to name and find its deliveries.
    pub fn draft_job(&self, base: &Path, today: NaiveDate) -> Result<Job, String> {
        let placeholder = Sources {
            reference_video: Some(PathBuf::from("placeholder.mov")),
            ..Sources::default()
        };
        self.to_job(&placeholder, base, today)
    }
}

/// The job file as the form spells it, for the loader to validate.
#[derive(Serialize)]
struct Draft<'a> {
    profile: &'a str,
    title: &'a str,
    unit: &'a str,
    frame_rate: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<&'a str>,
    output: &'a str,
    sources: Sources,
}

/// A loader message without its YAML position (the form has no lines).
fn without_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}
