//! The manifest of a packed delivery, built from the plan and what the one
//! read measured: pure data in, a [`Manifest`] out.

use chrono::{DateTime, SecondsFormat, Utc};

use super::request::PackedFile;
use crate::job::Job;
use crate::manifest::{
    Delivery, FindingRecord, JobSummary, Manifest, ManifestFile, MediaSummary, SCHEMA, SourceRef,
    Tool,
};
use crate::plan::{Plan, PlanItem};
use crate::probe::{Media, Probed};
use crate::timecode::{FrameRate, Timecode, format_duration};

/// The header facts of a source as the manifest records them.
pub fn media_summary(p: &Probed, rate: FrameRate) -> MediaSummary {
    match &p.media {
        Media::Audio(a) => MediaSummary {
            container: a.container.name().to_string(),
            codec: Some(a.codec.clone()),
            sample_rate: Some(a.sample_rate),
            bits: Some(a.bits),
            channels: Some(a.channels),
            channel_mask: a.channel_mask.map(|m| format!("0x{m:X}")),
            frames: Some(a.frames),
            duration: Some(format_duration(a.frames, a.sample_rate)),
            start_timecode: a
                .bext
                .as_ref()
                .map(|b| Timecode::from_samples(b.time_reference, a.sample_rate, rate).to_string()),
            ..MediaSummary::default()
        },
        Media::Video(v) => MediaSummary {
            container: v.container.name().to_string(),
            codec: v.codec_name.clone(),
            frames: v.duration_frames,
            duration: v
                .duration_seconds
                .map(|s| format_duration((s * 1000.0).round() as u64, 1000)),
            start_timecode: v.start_timecode.clone(),
            codec_fourcc: v.codec_fourcc.clone(),
            width: v.width,
            height: v.height,
            frame_rate: match (v.frame_rate_num, v.frame_rate_den) {
                (Some(n), Some(d)) => Some(format!("{n}/{d}")),
                _ => None,
            },
            ..MediaSummary::default()
        },
    }
}

fn file_record(item: &PlanItem, packed: &PackedFile, rate: FrameRate) -> ManifestFile {
    ManifestFile {
        path: packed.rel_path.clone(),
        size: packed.size,
        sha256: packed.digests.sha256.clone(),
        xxh64: packed.digests.xxh64.clone(),
        md5: packed.digests.md5.clone(),
        analysis: packed.measurements.clone(),
        ..planned_record(item, rate)
    }
}

/// What the plan alone says of a file (no digests, no measurements).
fn planned_record(item: &PlanItem, rate: FrameRate) -> ManifestFile {
    ManifestFile {
        path: item.rel_path(),
        role: item.role.as_str().to_string(),
        letter: item.letter.map(|c| c.to_string()),
        channel: item.channel.clone(),
        desc: item.desc.clone(),
        version: item.version,
        date: item.date.format("%Y-%m-%d").to_string(),
        status: item.status.as_str().to_string(),
        previous_name: item.previous_name.clone(),
        source: SourceRef {
            path: item.source.display().to_string(),
            size: item.size,
            modified: item.probed.modified.clone(),
        },
        size: item.size,
        sha256: String::new(),
        xxh64: String::new(),
        md5: None,
        media: Some(media_summary(&item.probed, rate)),
        analysis: None,
    }
}

/// The record of a QC-only run (`check`): the plan's items with what the
/// read measured, no digests (nothing was copied), for the QC report.
pub fn check_record(
    job: &Job,
    profile_name: &str,
    plan: &Plan,
    measurements: &[Option<crate::analysis::Measurements>],
    findings: Vec<FindingRecord>,
    created: DateTime<Utc>,
) -> Manifest {
    let files = plan
        .items
        .iter()
        .enumerate()
        .map(|(n, item)| ManifestFile {
            analysis: measurements.get(n).cloned().flatten(),
            ..planned_record(item, job.frame_rate)
        })
        .collect();
    Manifest {
        files,
        ..build_manifest(job, profile_name, plan, &[], findings, false, created)
    }
}

/// The manifest of a delivery: the plan's items with what the read measured.
pub fn build_manifest(
    job: &Job,
    profile_name: &str,
    plan: &Plan,
    files: &[PackedFile],
    findings: Vec<FindingRecord>,
    forced: bool,
    created: DateTime<Utc>,
) -> Manifest {
    Manifest {
        schema: SCHEMA.to_string(),
        tool: Tool {
            name: env!("CARGO_PKG_NAME").to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
        },
        created: created.to_rfc3339_opts(SecondsFormat::Secs, true),
        delivery: Delivery {
            number: plan.delivery_number,
            root: plan.root_name.clone(),
            previous: plan
                .previous
                .as_ref()
                .map(crate::plan::PreviousDelivery::reference),
        },
        job: JobSummary {
            title: job.title_token(),
            unit: job.unit.as_str().to_string(),
            frame_rate: job.frame_rate.label(),
            language: job.language.clone(),
            profile: profile_name.to_string(),
        },
        files: plan
            .items
            .iter()
            .zip(files)
            .map(|(i, f)| file_record(i, f, job.frame_rate))
            .collect(),
        removed: plan
            .removed
            .iter()
            .map(crate::plan::Removed::record)
            .collect(),
        findings,
        conform: Vec::new(),
        forced,
    }
}
