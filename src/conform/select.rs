//! Which files of a plan the conform analysis compares, and its outcome
//! as `check` and `pack` carry it: the print master (the reference), the
//! M&E, the guide and each optional, interleaved and at the PM's rate,
//! and the reference movie's PCM sound; everything left out is named with
//! the reason, and a pass that cannot run says why.

use serde::Serialize;

use super::{Input, Judgement, Part, Report, judge};
use crate::analysis::AudioFormat;
use crate::analysis::decode::Decoder;
use crate::job::Role;
use crate::plan::{Plan, PlanItem};
use crate::probe::{AudioInfo, Media, MovieSound, VideoInfo};

/// The files a pass compares: plan item indexes, the print master first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// Plan item indexes of the files read side by side.
    pub items: Vec<usize>,
    /// Audio items left out, with the reason.
    pub left_out: Vec<(usize, String)>,
    /// The print master's sample rate.
    pub rate: u32,
}

/// A plan item left out of the comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeftOut {
    /// Plan item index.
    pub item: usize,
    /// Why.
    pub why: String,
}

/// The conform analysis of one delivery.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conform {
    /// Plan item index of each file compared (the judgement's `index`
    /// counts in this list).
    pub items: Vec<usize>,
    /// Files left out.
    pub left_out: Vec<LeftOut>,
    /// The print master's sample rate.
    pub rate: u32,
    /// Why the comparison could not run, when it could not.
    pub not_run: Option<String>,
    /// What it found.
    pub judgement: Option<Judgement>,
}

impl Conform {
    /// A comparison about to run over `s`.
    pub fn ran(s: Selection) -> Self {
        Conform {
            items: s.items,
            left_out: s
                .left_out
                .into_iter()
                .map(|(item, why)| LeftOut { item, why })
                .collect(),
            rate: s.rate,
            not_run: None,
            judgement: None,
        }
    }

    /// A comparison that cannot run, and why.
    pub fn not_run(why: String) -> Self {
        Conform {
            items: Vec::new(),
            left_out: Vec::new(),
            rate: 0,
            not_run: Some(why),
            judgement: None,
        }
    }

    /// True when there is something to compare.
    pub fn runs(&self) -> bool {
        self.not_run.is_none() && !self.items.is_empty()
    }

    /// The pass's inputs, in `items` order.
    pub fn inputs(&self, plan: &Plan) -> Vec<Input> {
        self.items
            .iter()
            .filter_map(|&i| {
                let item = &plan.items[i];
                match &item.probed.media {
                    Media::Audio(a) => Some(Input {
                        part: part(item.role)?,
                        channels: usize::from(a.channels).max(1),
                        labels: a.channel_labels.clone(),
                        frames: a.frames,
                    }),
                    Media::Video(v) => match &v.sound {
                        Some(MovieSound::Pcm {
                            channels, frames, ..
                        }) => Some(Input {
                            part: Part::Movie,
                            channels: usize::from(*channels).max(1),
                            labels: Vec::new(),
                            frames: *frames,
                        }),
                        _ => None,
                    },
                }
            })
            .collect()
    }

    /// Records the pass's findings.
    pub fn judge(&mut self, report: &Report) {
        self.judgement = Some(judge(report));
    }

    /// The plan item of a judged file.
    pub fn item_of(&self, index: usize) -> Option<usize> {
        self.items.get(index).copied()
    }
}

fn part(role: Role) -> Option<Part> {
    match role {
        Role::PrintMaster => Some(Part::PrintMaster),
        Role::Mne => Some(Part::Mne),
        Role::DialogueGuide => Some(Part::Guide),
        Role::Optional => Some(Part::Optional),
        Role::ReferenceVideo => None,
    }
}

fn decodable(a: &AudioInfo) -> bool {
    Decoder::for_format(&AudioFormat::from_info(a)).is_ok() && a.channels > 0
}

/// The files of `plan` to compare, or why there is nothing to compare.
pub fn select(plan: &Plan) -> Result<Selection, String> {
    let pm = plan.items.iter().position(|i| {
        i.role == Role::PrintMaster && i.channel.is_none() && audio(i).is_some_and(decodable)
    });
    let Some(pm) = pm else {
        let why = if plan.items.iter().any(|i| i.role == Role::PrintMaster) {
            "the print master is not one interleaved PCM file, so nothing was compared with it"
        } else {
            "there is no print master to compare with"
        };
        return Err(why.to_string());
    };
    let rate = audio(&plan.items[pm]).map_or(0, |a| a.sample_rate);
    let mut items = vec![pm];
    let mut left_out = Vec::new();
    let mut seen_me = false;
    let mut seen_guide = false;
    for (i, item) in plan.items.iter().enumerate() {
        if i == pm || !item.role.is_audio() {
            continue;
        }
        let Some(a) = audio(item) else { continue };
        let why = if item.role == Role::PrintMaster {
            Some("a second print master is not compared".to_string())
        } else if item.channel.is_some() {
            Some("files of a mono set are not compared yet".to_string())
        } else if !decodable(a) {
            Some("its sample format is not decoded".to_string())
        } else if a.sample_rate != rate {
            Some(format!(
                "its sample rate ({} Hz) differs from the print master's ({rate} Hz)",
                a.sample_rate
            ))
        } else if item.role == Role::Mne && seen_me {
            Some("only the first M&E is compared".to_string())
        } else if item.role == Role::DialogueGuide && seen_guide {
            Some("only the first guide is compared".to_string())
        } else {
            None
        };
        if let Some(w) = why {
            left_out.push((i, w));
        } else {
            seen_me |= item.role == Role::Mne;
            seen_guide |= item.role == Role::DialogueGuide;
            items.push(i);
        }
    }
    if let Some((i, v)) =
        plan.items
            .iter()
            .enumerate()
            .find_map(|(i, item)| match &item.probed.media {
                Media::Video(v) if item.role == Role::ReferenceVideo => Some((i, v)),
                _ => None,
            })
    {
        match movie_sound(v, rate) {
            Ok(()) => items.push(i),
            Err(why) => left_out.push((i, why)),
        }
    }
    if items.len() < 2 {
        return Err("nothing else to compare with the print master".to_string());
    }
    Ok(Selection {
        items,
        left_out,
        rate,
    })
}

/// Whether a movie's sound can be compared with a PM at `rate`, or why not.
fn movie_sound(v: &VideoInfo, rate: u32) -> Result<(), String> {
    match &v.sound {
        Some(MovieSound::Pcm { sample_rate, .. }) if *sample_rate == rate => Ok(()),
        Some(MovieSound::Pcm { sample_rate, .. }) => Err(format!(
            "its sound's sample rate ({sample_rate} Hz) differs from the print master's ({rate} Hz)"
        )),
        Some(MovieSound::NotRead { why }) => Err(why.clone()),
        None => Err("its sound was not read".to_string()),
    }
}

fn audio(i: &PlanItem) -> Option<&AudioInfo> {
    match &i.probed.media {
        Media::Audio(a) => Some(a),
        Media::Video(_) => None,
    }
}

/// What the progress line shows while files are read side by side.
pub fn side_by_side_label(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_string(),
        [first, rest @ ..] => format!("{first} and {} more, side by side", rest.len()),
    }
}
