//! Conform rules of spec B5 in words: the facts of `conform::judge` (each
//! file's offset and drift against the print master, the M&E's channel
//! map and polarity, where each optional sits, the stretches of dialogue
//! left in, level changes and holes in the fill, the dialogue-gated
//! loudness) as findings, with their graded severity and, for stretches,
//! the timecodes of the file they are in.

use crate::conform::Conform;
use crate::conform::judge::{Drift, FileJudgement, GuideState, Judgement, Slip, Stretch};
use crate::job::Role;
use crate::manifest::{At, ConformRecord, StretchRecord};
use crate::plan::PlanItem;
use crate::probe::{AudioInfo, Media};
use crate::profile::Severity;

use super::context::{Ctx, db};
use super::finding::{Finding, Rule};

/// Every conform finding of `c`.
pub(crate) fn conform_rules(ctx: &Ctx<'_>, c: &Conform, out: &mut Vec<Finding>) {
    if let Some(why) = &c.not_run {
        if let Some(item) = first_of(ctx, &[Role::Mne, Role::PrintMaster]) {
            out.push(info(
                ctx,
                Rule::ConformSync,
                item,
                format!("not compared: {why}"),
            ));
        }
        return;
    }
    for l in &c.left_out {
        let item = &ctx.plan.items[l.item];
        let msg = format!(
            "{} not compared with the print master: {}",
            ctx.label(item),
            l.why
        );
        out.push(info(ctx, Rule::ConformSync, item, msg));
    }
    let Some(j) = &c.judgement else { return };
    let Some(pm) = c.item_of(j.pm_index).map(|i| &ctx.plan.items[i]) else {
        return;
    };
    for f in &j.files {
        if f.part == crate::conform::Part::Movie {
            movie_timing(ctx, c, pm, j, f, out);
            continue;
        }
        let Some(one) = One::of(ctx, c, pm, j.rate, f.index) else {
            continue;
        };
        let one = one.with_labels(f, j);
        one.timing(f, j.guide, out);
        if f.offset.is_none() {
            continue;
        }
        match f.part {
            crate::conform::Part::Mne => {
                one.channels(f, out);
                one.stretches(f, j, out);
            }
            crate::conform::Part::Optional => one.optional(f, out),
            _ => {}
        }
    }
    dialogue_loudness(ctx, pm, j, out);
}

/// The print master's timing against the movie's sound: the movie's
/// offsets (measured in its track's frames, the file being the movie)
/// turned round, so that a positive offset is a PM later than the picture,
/// after the first edit of the movie's sound track.
fn movie_timing(
    ctx: &Ctx<'_>,
    c: &Conform,
    pm: &PlanItem,
    j: &Judgement,
    f: &FileJudgement,
    out: &mut Vec<Finding>,
) {
    let Some(movie) = c.item_of(f.index).map(|i| &ctx.plan.items[i]) else {
        return;
    };
    let start = media_start(movie);
    let Some(one) = One::pm_against_movie(ctx, pm, j.rate, movie) else {
        return;
    };
    let turn = |o: i64| start.saturating_sub(o);
    let mut g = f.clone();
    g.offset = f.offset.map(turn);
    for s in &mut g.slips {
        s.offset = turn(s.offset);
    }
    if let Some(d) = g.drift.as_mut() {
        d.ppm = -d.ppm;
        d.head = start as f64 - d.head;
        d.tail = start as f64 - d.tail;
    }
    one.timing(&g, j.guide, out);
}

/// Frames the first edit of a movie's sound track skips.
fn media_start(movie: &PlanItem) -> i64 {
    match &movie.probed.media {
        Media::Video(v) => match &v.sound {
            Some(crate::probe::MovieSound::Pcm { media_start, .. }) => *media_start,
            _ => 0,
        },
        Media::Audio(_) => 0,
    }
}

/// The manifest's record of the movie's sound: like every other file's,
/// its offset against the print master (positive: the movie's sound later).
fn movie_record(ctx: &Ctx<'_>, c: &Conform, f: &FileJudgement) -> Option<ConformRecord> {
    let movie = &ctx.plan.items[c.item_of(f.index)?];
    let start = media_start(movie);
    Some(ConformRecord {
        file: movie.rel_path(),
        status: if f.offset.is_some() {
            "compared".to_string()
        } else {
            "no match found".to_string()
        },
        offset_samples: f.offset.map(|o| o.saturating_sub(start)),
        drift_ppm: f.drift.map(|d| d.ppm.round()),
        tail_offset_samples: f.drift.map(|d| (d.tail - start as f64).round() as i64),
        channels: Vec::new(),
        stretches: Vec::new(),
        dialogue_loudness_lkfs: None,
    })
}

/// The manifest's record of one compared source (its first file's name).
fn file_record(one: &One<'_, '_>, f: &FileJudgement) -> ConformRecord {
    let offset = f.offset.unwrap_or(0);
    let mut stretches = Vec::new();
    let mut add = |rule: Rule, s: &Stretch| {
        let (start, end) = one.tc_range(s.start, s.end, offset);
        stretches.push(StretchRecord {
            rule: rule.id().to_string(),
            at: At { start, end },
            value: format!("{} dB", level(s.db)),
        });
    };
    for s in &f.dialogue {
        add(Rule::ConformDialogueInMe, s);
    }
    for s in &f.levels {
        add(Rule::ConformLevels, s);
    }
    for s in &f.fill {
        add(Rule::ConformFill, s);
    }
    for s in &f.slips {
        let (start, end) = one.tc_range(s.start, s.end, s.offset);
        stretches.push(StretchRecord {
            rule: Rule::ConformSync.id().to_string(),
            at: At { start, end },
            value: One::samples(s.offset),
        });
    }
    ConformRecord {
        file: one.item.rel_path(),
        status: if f.offset.is_some() {
            "compared".to_string()
        } else {
            "no match found".to_string()
        },
        offset_samples: f.offset,
        drift_ppm: f.drift.map(|d| d.ppm.round()),
        tail_offset_samples: f.drift.map(|d| d.tail.round() as i64),
        channels: f
            .placements
            .iter()
            .map(|p| {
                let sign = if p.inverted { "-" } else { "" };
                format!(
                    "{}={sign}{}",
                    one.own_label(p.channel),
                    one.pm_label(p.pm_channel)
                )
            })
            .collect(),
        stretches,
        dialogue_loudness_lkfs: None,
    }
}

/// Channel `ch` of `labels`: `M` for a mono source, the label, or its
/// number when it has none.
fn channel_label(labels: &[String], ch: usize) -> String {
    match labels.get(ch) {
        _ if labels.len() == 1 => "M".to_string(),
        Some(l) if !l.is_empty() => l.clone(),
        _ => format!("{}", ch + 1),
    }
}

fn first_of<'a>(ctx: &Ctx<'a>, roles: &[Role]) -> Option<&'a PlanItem> {
    roles
        .iter()
        .find_map(|r| ctx.plan.items.iter().find(|i| i.role == *r))
}

fn info(ctx: &Ctx<'_>, rule: Rule, item: &PlanItem, message: String) -> Finding {
    graded(ctx, rule, Severity::Info, item, message, None)
}

fn graded(
    ctx: &Ctx<'_>,
    rule: Rule,
    severity: Severity,
    item: &PlanItem,
    message: String,
    value: Option<String>,
) -> Finding {
    Finding::graded(
        &ctx.profile.qc.severity,
        rule,
        severity,
        item.rel_path(),
        message,
        value,
    )
}

/// One compared file and what its findings need.
struct One<'a, 'b> {
    ctx: &'b Ctx<'a>,
    item: &'a PlanItem,
    info: &'a AudioInfo,
    pm: &'a PlanItem,
    rate: u32,
    /// What the file's timing is told against: the print master, or for
    /// the print master itself the movie's sound.
    against: String,
    /// The source's channel labels and the PM's (a mono set's: each
    /// file's channel); empty: the files' own.
    labels: Vec<String>,
    pm_labels: Vec<String>,
    /// A mono set: its findings name the set, on its first file.
    set: bool,
}

impl<'a, 'b> One<'a, 'b> {
    /// The judged file `index` of `c`, when it is an audio item.
    fn of(
        ctx: &'b Ctx<'a>,
        c: &Conform,
        pm: &'a PlanItem,
        rate: u32,
        index: usize,
    ) -> Option<Self> {
        let item = &ctx.plan.items[c.item_of(index)?];
        let Media::Audio(info) = &item.probed.media else {
            return None;
        };
        Some(One {
            ctx,
            item,
            info,
            pm,
            rate,
            against: "the print master".to_string(),
            labels: Vec::new(),
            pm_labels: Vec::new(),
            set: c.sources().get(index).is_some_and(|m| m.len() > 1),
        })
    }

    /// With the channel labels the pass had for the source and the PM.
    fn with_labels(mut self, f: &FileJudgement, j: &Judgement) -> Self {
        self.labels.clone_from(&f.labels);
        self.pm_labels.clone_from(&j.pm_labels);
        self
    }

    /// The print master, told against the sound of `movie`.
    fn pm_against_movie(
        ctx: &'b Ctx<'a>,
        pm: &'a PlanItem,
        rate: u32,
        movie: &PlanItem,
    ) -> Option<Self> {
        let Media::Audio(info) = &pm.probed.media else {
            return None;
        };
        Some(One {
            ctx,
            item: pm,
            info,
            pm,
            rate,
            against: format!("the movie's sound ({})", ctx.label(movie)),
            labels: Vec::new(),
            pm_labels: Vec::new(),
            set: false,
        })
    }

    fn label(&self) -> String {
        if self.set {
            self.ctx.unit_label(self.item)
        } else {
            self.ctx.label(self.item)
        }
    }

    /// `+4004 samples`.
    fn samples(offset: i64) -> String {
        if offset == 0 {
            "0 samples".to_string()
        } else {
            format!("{offset:+} samples")
        }
    }

    /// `2 frames, 83.4 ms late`.
    fn how_far(&self, offset: i64) -> String {
        let ms = offset.unsigned_abs() as f64 * 1000.0 / f64::from(self.rate.max(1));
        let side = if offset > 0 { "late" } else { "early" };
        format!(
            "{}, {ms:.1} ms {side}",
            self.ctx.frames_text(offset.unsigned_abs(), self.rate)
        )
    }

    /// Error from half a frame, warning from one sample, info at 0.
    fn sync_severity(&self, offset: i64) -> Severity {
        let frame = self.ctx.job.frame_rate.samples_per_frame(self.rate);
        if offset == 0 {
            Severity::Info
        } else if offset.unsigned_abs() as f64 >= frame / 2.0 {
            Severity::Error
        } else {
            Severity::Warning
        }
    }

    /// Timecodes of PM frames `[start, end)` in this file's own timeline.
    fn tc_range(&self, start: u64, end: u64, offset: i64) -> (String, String) {
        let base = self.info.time_reference() as i64 + offset;
        let tc = |f: u64| {
            let at = (base + f as i64).max(0) as u64;
            self.ctx.tc(at, self.rate)
        };
        (tc(start), tc(end))
    }

    fn timing(&self, f: &FileJudgement, guide: GuideState, out: &mut Vec<Finding>) {
        let Some(offset) = f.offset else {
            out.push(self.no_match(guide));
            return;
        };
        self.sync(offset, &f.slips, out);
        if let Some(d) = &f.drift {
            out.push(self.drift(d));
        }
    }

    /// Why a file has no offset: no dialogue to compare, or no match.
    fn no_match(&self, guide: GuideState) -> Finding {
        let label = self.label();
        let message = if guide == GuideState::Silent && self.item.role == Role::DialogueGuide {
            format!("{label} holds no dialogue: not compared with the print master")
        } else {
            let (what, within) = if std::ptr::eq(self.item, self.pm) {
                (self.against.clone(), "the print master".to_string())
            } else {
                (format!("{label}'s content"), self.against.clone())
            };
            format!(
                "no match found: {what} was not found in {within} \
                 (searched within 1.5 s either way)"
            )
        };
        let severity = if message.starts_with("no match") {
            Severity::Warning
        } else {
            Severity::Info
        };
        graded(
            self.ctx,
            Rule::ConformSync,
            severity,
            self.item,
            message,
            None,
        )
    }

    /// The offset, and each slip with its stretch.
    fn sync(&self, offset: i64, slips: &[Slip], out: &mut Vec<Finding>) {
        let label = self.label();
        let message = if offset == 0 {
            format!("{label} is in sync with {} (offset 0)", self.against)
        } else {
            format!(
                "{label} is {} samples ({}) against {}",
                offset.abs(),
                self.how_far(offset),
                self.against
            )
        };
        out.push(graded(
            self.ctx,
            Rule::ConformSync,
            self.sync_severity(offset),
            self.item,
            message,
            Some(Self::samples(offset)),
        ));
        for s in slips {
            let own = if std::ptr::eq(self.item, self.pm) {
                0
            } else {
                s.offset
            };
            let (start, end) = self.tc_range(s.start, s.end, own);
            let message = format!(
                "{label} slips to {} samples ({}) from {start} to {end}",
                s.offset.abs(),
                self.how_far(s.offset)
            );
            out.push(
                graded(
                    self.ctx,
                    Rule::ConformSync,
                    self.sync_severity(s.offset),
                    self.item,
                    message,
                    Some(Self::samples(s.offset)),
                )
                .at(start, end),
            );
        }
    }

    /// The drift, an error once it reaches half a frame at either end.
    fn drift(&self, d: &Drift) -> Finding {
        let label = self.label();
        let frame = self.ctx.job.frame_rate.samples_per_frame(self.rate);
        let worst = d.head.abs().max(d.tail.abs());
        let severity = if worst >= frame / 2.0 {
            Severity::Error
        } else {
            Severity::Warning
        };
        let message = format!(
            "{label} drifts {:+.0} ppm against {}: {:+.0} samples at the head, \
             {:+.0} at the tail (a pull-up or pull-down mistake?)",
            d.ppm, self.against, d.head, d.tail
        );
        graded(
            self.ctx,
            Rule::ConformDrift,
            severity,
            self.item,
            message,
            Some(format!("{:+.0} ppm", d.ppm)),
        )
    }

    fn own_label(&self, ch: usize) -> String {
        if !self.labels.is_empty() {
            return channel_label(&self.labels, ch);
        }
        match self.info.channel_labels.get(ch) {
            Some(l) if self.info.channels > 1 => l.clone(),
            _ if self.info.channels == 1 => "M".to_string(),
            _ => format!("{}", ch + 1),
        }
    }

    fn pm_label(&self, ch: usize) -> String {
        if !self.pm_labels.is_empty() {
            return channel_label(&self.pm_labels, ch);
        }
        match &self.pm.probed.media {
            Media::Audio(a) => a
                .channel_labels
                .get(ch)
                .cloned()
                .unwrap_or_else(|| format!("{}", ch + 1)),
            Media::Video(_) => format!("{}", ch + 1),
        }
    }

    /// The M&E's channel map and polarity against the PM.
    fn channels(&self, f: &FileJudgement, out: &mut Vec<Finding>) {
        let label = self.label();
        // By label, so a mono set listed in another order is not "moved".
        let moved: Vec<(String, String)> = f
            .placements
            .iter()
            .map(|p| (self.own_label(p.channel), self.pm_label(p.pm_channel)))
            .filter(|(own, pm)| own != pm)
            .collect();
        if !moved.is_empty() {
            let mut parts: Vec<String> = Vec::new();
            for (k, (a, b)) in moved.iter().enumerate() {
                let back = moved.iter().position(|(x, y)| x == b && y == a);
                match back {
                    Some(j) if j > k => parts.push(format!("{a}<->{b}")),
                    Some(_) => {}
                    None => parts.push(format!("{a}->{b}")),
                }
            }
            let value = parts.join(", ");
            let message = format!(
                "{label} channels do not match the print master's: {value} \
                 (X->Y: the M&E's X carries what the print master has in Y)"
            );
            out.push(graded(
                self.ctx,
                Rule::ConformChannels,
                Severity::Error,
                self.item,
                message,
                Some(value),
            ));
        }
        let inverted: Vec<String> = f
            .placements
            .iter()
            .filter(|p| p.inverted)
            .map(|p| self.own_label(p.channel))
            .collect();
        if !inverted.is_empty() {
            let value = inverted.join(", ");
            let message = format!("{label} {value} inverted against the print master (polarity)");
            out.push(graded(
                self.ctx,
                Rule::ConformPolarity,
                Severity::Error,
                self.item,
                message,
                Some(value),
            ));
        }
    }

    /// Where an optional's material sits in the PM.
    fn optional(&self, f: &FileJudgement, out: &mut Vec<Finding>) {
        let label = self.label();
        // The pass's channel counts: a mono set's is its files' count.
        let same_layout = f.labels.len() == self.pm_labels.len();
        for p in &f.placements {
            let own = self.own_label(p.channel);
            let pm = self.pm_label(p.pm_channel);
            if same_layout && own != pm {
                let value = format!("{own} (PM: {pm})");
                let message =
                    format!("{label} puts its material in {own}; the print master has it in {pm}");
                out.push(graded(
                    self.ctx,
                    Rule::ConformOptionalChannels,
                    Severity::Warning,
                    self.item,
                    message,
                    Some(value),
                ));
            } else if !same_layout {
                let message = format!("{label} {own} sits in the print master's {pm}");
                out.push(info(
                    self.ctx,
                    Rule::ConformOptionalChannels,
                    self.item,
                    message,
                ));
            }
        }
    }

    /// Dialogue left in, level changes and holes in the fill of the M&E.
    fn stretches(&self, f: &FileJudgement, j: &Judgement, out: &mut Vec<Finding>) {
        let label = self.label();
        let offset = f.offset.unwrap_or(0);
        if let Some(why) = guide_missing(j.guide) {
            for rule in [Rule::ConformDialogueInMe, Rule::ConformFill] {
                out.push(info(
                    self.ctx,
                    rule,
                    self.item,
                    format!("not checked: {why}"),
                ));
            }
        }
        let mut stretch = |rule: Rule, s: &Stretch, severity: Severity, message: String| {
            let (start, end) = self.tc_range(s.start, s.end, offset);
            let message = message.replace("{start}", &start).replace("{end}", &end);
            out.push(
                graded(
                    self.ctx,
                    rule,
                    severity,
                    self.item,
                    message,
                    Some(format!("{} dB", level(s.db))),
                )
                .at(start, end),
            );
        };
        for s in &f.dialogue {
            let message = format!(
                "dialogue from the guide is audible in {label} from {{start}} to {{end}}, at {} dB against the guide",
                db(s.db)
            );
            stretch(Rule::ConformDialogueInMe, s, Severity::Warning, message);
        }
        for s in &f.levels {
            let severity = if s.db.abs() >= 1.0 {
                Severity::Warning
            } else {
                Severity::Info
            };
            let without = if j.levels_without_centre {
                " (centre channels left out: no usable guide)"
            } else {
                ""
            };
            let message = format!(
                "{label} is {} dB against the print master's music and effects from {{start}} to {{end}}{without}",
                db(s.db)
            );
            stretch(Rule::ConformLevels, s, severity, message);
        }
        for s in &f.fill {
            let message = format!(
                "hole in the fill: from {{start}} to {{end}} the print master holds content {label} lacks ({label} at {} dB against it)",
                level(s.db)
            );
            stretch(Rule::ConformFill, s, Severity::Warning, message);
        }
    }
}

/// A level in dB; `-inf` for digital silence.
fn level(v: f64) -> String {
    if v <= -119.0 {
        "-inf".to_string()
    } else {
        db(v)
    }
}

fn guide_missing(g: GuideState) -> Option<&'static str> {
    match g {
        GuideState::Absent => Some("there is no dialogue guide to tell where dialogue is"),
        GuideState::Silent => Some("the dialogue guide holds no dialogue"),
        GuideState::NoMatch => Some("the dialogue guide was not found in the print master"),
        GuideState::Present => None,
    }
}

/// The PM's dialogue-gated loudness (`loudness.dialogue`).
fn dialogue_loudness(ctx: &Ctx<'_>, pm: &PlanItem, j: &Judgement, out: &mut Vec<Finding>) {
    let label = ctx.label(pm);
    if let Some(why) = guide_missing(j.guide) {
        out.push(info(
            ctx,
            Rule::LoudnessDialogue,
            pm,
            format!("{label} dialogue-gated loudness not measured: {why}"),
        ));
        return;
    }
    let qc = &ctx.profile.qc;
    let (target, tolerance) = (
        qc.dialogue_loudness_target_lkfs,
        qc.dialogue_loudness_tolerance_lu,
    );
    let Some(l) = j.dialogue_loudness else {
        out.push(info(
            ctx,
            Rule::LoudnessDialogue,
            pm,
            format!("{label} dialogue-gated loudness not measured: no dialogue loud enough"),
        ));
        return;
    };
    let outside = (l - target).abs() > tolerance;
    let message = format!(
        "{label} dialogue-gated loudness {} LKFS (gated by the guide's speech){}",
        db(l),
        if outside {
            format!(", outside {} +/- {} LKFS", db(target), db(tolerance))
        } else {
            String::new()
        }
    );
    let severity = if outside {
        Severity::Warning
    } else {
        Severity::Info
    };
    out.push(graded(
        ctx,
        Rule::LoudnessDialogue,
        severity,
        pm,
        message,
        Some(format!("{} LKFS", db(l))),
    ));
}

/// The Netflix order of loudness tests: when the dialogue-gated loudness
/// passes, the full-programme loudness is not a warning.
pub(crate) fn quiet_full_programme_loudness(findings: &mut [Finding]) {
    let passes = findings.iter().any(|f| {
        f.rule == Rule::LoudnessDialogue && f.value.is_some() && f.severity == Severity::Info
    });
    if !passes {
        return;
    }
    for f in findings.iter_mut().filter(|f| f.rule == Rule::PmLoudness) {
        f.severity = Severity::Info;
        f.message
            .push_str("; the dialogue-gated loudness passes, which the studio tests first");
    }
}

/// The manifest's record of what the conform analysis found for each file
/// it compared (the print master first).
pub(crate) fn records(ctx: &Ctx<'_>, c: &Conform) -> Vec<ConformRecord> {
    let Some(j) = &c.judgement else {
        return Vec::new();
    };
    let Some(pm) = c.item_of(j.pm_index).map(|i| &ctx.plan.items[i]) else {
        return Vec::new();
    };
    let mut out = vec![ConformRecord {
        file: pm.rel_path(),
        status: "reference".to_string(),
        offset_samples: None,
        drift_ppm: None,
        tail_offset_samples: None,
        channels: Vec::new(),
        stretches: Vec::new(),
        dialogue_loudness_lkfs: j.dialogue_loudness.map(|l| (l * 10.0).round() / 10.0),
    }];
    for f in &j.files {
        if f.part == crate::conform::Part::Movie {
            out.extend(movie_record(ctx, c, f));
            continue;
        }
        let Some(one) = One::of(ctx, c, pm, j.rate, f.index) else {
            continue;
        };
        let one = one.with_labels(f, j);
        let record = file_record(&one, f);
        // Every file of a mono set carries its set's record.
        let members = c
            .sources()
            .get(f.index)
            .map(|m| m.to_vec())
            .unwrap_or_default();
        let others: Vec<ConformRecord> = members
            .iter()
            .skip(1)
            .map(|&m| ConformRecord {
                file: ctx.plan.items[m].rel_path(),
                ..record.clone()
            })
            .collect();
        out.push(record);
        out.extend(others);
    }
    for l in &c.left_out {
        out.push(ConformRecord {
            file: ctx.plan.items[l.item].rel_path(),
            status: format!("not compared: {}", l.why),
            offset_samples: None,
            drift_ppm: None,
            tail_offset_samples: None,
            channels: Vec::new(),
            stretches: Vec::new(),
            dialogue_loudness_lkfs: None,
        });
    }
    out
}
