//! Which files of a plan the conform analysis compares, and its outcome
//! as `check` and `pack` carry it: the print master (the reference), the
//! M&E, the guide and each optional at the PM's rate, interleaved or as
//! a mono set (one source of several files, read together), and the
//! reference movie's PCM sound; everything left out is named with
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
    /// Plan item indexes of the files read side by side (the files of a
    /// mono set in a row).
    pub items: Vec<usize>,
    /// Files per compared source, in `items` order: 1, or a set's count.
    pub members: Vec<usize>,
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
    /// Plan item index of each file compared, the files of a mono set in
    /// a row.
    pub items: Vec<usize>,
    /// Files per compared source (the judgement's `index` counts sources).
    pub members: Vec<usize>,
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
            members: s.members,
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
            members: Vec::new(),
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

    /// The plan items of each compared source, in order.
    pub fn sources(&self) -> Vec<&[usize]> {
        let mut out = Vec::with_capacity(self.members.len());
        let mut rest = &self.items[..];
        for &n in &self.members {
            let (head, tail) = rest.split_at(n.min(rest.len()));
            out.push(head);
            rest = tail;
        }
        out
    }

    /// The pass's inputs, one per source, in order: exactly one each, so
    /// the lanes `start` makes line up with `items`.
    pub fn inputs(&self, plan: &Plan) -> Vec<Input> {
        self.sources()
            .into_iter()
            .map(|members| {
                input_of(plan, members).unwrap_or(Input {
                    // Never for a selection `select` made; a source it
                    // cannot describe is read and matches nothing.
                    part: Part::Optional,
                    channels: 1,
                    labels: Vec::new(),
                    frames: 0,
                    members: members.len(),
                })
            })
            .collect()
    }

    /// Records the pass's findings.
    pub fn judge(&mut self, report: &Report) {
        self.judgement = Some(judge(report));
    }

    /// A compared file whose samples could not be read after all (the
    /// movie's sound, cut short since it was probed): left out with `why`,
    /// and what the pass made of the part it was fed dropped. The other
    /// files' judgements stand: each is against the print master alone.
    pub fn unread(&mut self, item: usize, why: String) {
        let source = self.sources().iter().position(|m| m.contains(&item));
        if let (Some(j), Some(s)) = (self.judgement.as_mut(), source) {
            j.files.retain(|f| f.index != s);
        }
        self.left_out.push(LeftOut { item, why });
    }

    /// The plan item of a judged source (a mono set's first file).
    pub fn item_of(&self, index: usize) -> Option<usize> {
        self.sources().get(index).and_then(|m| m.first()).copied()
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

/// The input of one source: an interleaved file, a mono set or the movie.
fn input_of(plan: &Plan, members: &[usize]) -> Option<Input> {
    let item = &plan.items[*members.first()?];
    if members.len() > 1 {
        return set_input(plan, members);
    }
    match &item.probed.media {
        Media::Audio(a) => Some(Input {
            part: part(item.role)?,
            channels: usize::from(a.channels).max(1),
            labels: a.channel_labels.clone(),
            frames: a.frames,
            members: 1,
        }),
        Media::Video(v) => match &v.sound {
            Some(MovieSound::Pcm {
                channels, frames, ..
            }) => Some(Input {
                part: Part::Movie,
                channels: usize::from(*channels).max(1),
                labels: Vec::new(),
                frames: *frames,
                members: 1,
            }),
            _ => None,
        },
    }
}

/// The input of a mono set: a channel per file, labelled by the file's
/// channel, as long as the shortest file.
fn set_input(plan: &Plan, members: &[usize]) -> Option<Input> {
    let items: Vec<&PlanItem> = members.iter().map(|&i| &plan.items[i]).collect();
    let frames = items
        .iter()
        .filter_map(|i| audio(i))
        .map(|a| a.frames)
        .min()?;
    Some(Input {
        part: part(items[0].role)?,
        channels: items.len(),
        labels: items
            .iter()
            .map(|i| i.channel.clone().unwrap_or_default())
            .collect(),
        frames,
        members: items.len(),
    })
}

fn decodable(a: &AudioInfo) -> bool {
    Decoder::for_format(&AudioFormat::from_info(a)).is_ok() && a.channels > 0
}

/// The files of `plan` to compare, or why there is nothing to compare.
pub fn select(plan: &Plan) -> Result<Selection, String> {
    let sources = sources(plan);
    let pm = sources.iter().position(|m| {
        let item = &plan.items[m[0]];
        item.role == Role::PrintMaster && usable(plan, m).is_ok()
    });
    let Some(pm) = pm else {
        let why = if plan.items.iter().any(|i| i.role == Role::PrintMaster) {
            "the print master is not PCM the analysis decodes, so nothing was compared with it"
        } else {
            "there is no print master to compare with"
        };
        return Err(why.to_string());
    };
    let rate = audio(&plan.items[sources[pm][0]]).map_or(0, |a| a.sample_rate);
    let mut chosen = vec![sources[pm].clone()];
    let mut left_out = Vec::new();
    let mut seen_me = false;
    let mut seen_guide = false;
    for (k, members) in sources.iter().enumerate() {
        let item = &plan.items[members[0]];
        if k == pm || !item.role.is_audio() {
            continue;
        }
        let why = if item.role == Role::PrintMaster {
            Some("a second print master is not compared".to_string())
        } else if let Err(why) = usable(plan, members) {
            Some(why)
        } else if audio(item).is_some_and(|a| a.sample_rate != rate) {
            Some(format!(
                "its sample rate ({} Hz) differs from the print master's ({rate} Hz)",
                audio(item).map_or(0, |a| a.sample_rate)
            ))
        } else if item.role == Role::Mne && seen_me {
            Some("only the first M&E is compared".to_string())
        } else if item.role == Role::DialogueGuide && seen_guide {
            Some("only the first guide is compared".to_string())
        } else {
            None
        };
        if let Some(w) = why {
            left_out.extend(members.iter().map(|&i| (i, w.clone())));
        } else {
            seen_me |= item.role == Role::Mne;
            seen_guide |= item.role == Role::DialogueGuide;
            chosen.push(members.clone());
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
            Ok(()) => chosen.push(vec![i]),
            Err(why) => left_out.push((i, why)),
        }
    }
    if chosen.len() < 2 {
        return Err("nothing else to compare with the print master".to_string());
    }
    Ok(Selection {
        members: chosen.iter().map(Vec::len).collect(),
        items: chosen.into_iter().flatten().collect(),
        left_out,
        rate,
    })
}

/// The audio sources of `plan`: each interleaved file alone, the files of
/// a mono set together (in plan order, which is channel order).
fn sources(plan: &Plan) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    for (i, item) in plan.items.iter().enumerate() {
        if !item.role.is_audio() || audio(item).is_none() {
            continue;
        }
        let same_set = |m: &Vec<usize>| {
            let head = &plan.items[m[0]];
            item.channel.is_some() && head.channel.is_some() && head.track() == item.track()
        };
        match out.iter_mut().find(|m| same_set(m)) {
            Some(m) => m.push(i),
            None => out.push(vec![i]),
        }
    }
    out
}

/// Whether the files of one source can be compared, or why not: every
/// file decodable, a set's files mono and at one rate.
fn usable(plan: &Plan, members: &[usize]) -> Result<(), String> {
    let infos: Vec<&AudioInfo> = members
        .iter()
        .filter_map(|&i| audio(&plan.items[i]))
        .collect();
    if infos.len() != members.len() || !infos.iter().all(|a| decodable(a)) {
        return Err("its sample format is not decoded".to_string());
    }
    if members.len() > 1 {
        if infos.iter().any(|a| a.channels != 1) {
            return Err("a file of its mono set is not mono".to_string());
        }
        if infos.iter().any(|a| a.sample_rate != infos[0].sample_rate) {
            return Err("the files of its mono set differ in sample rate".to_string());
        }
    }
    Ok(())
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
