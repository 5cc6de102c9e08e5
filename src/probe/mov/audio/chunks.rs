//! Where a PCM track's samples lie: the sample-to-chunk runs (`stsc`), the
//! chunk offsets (`stco`/`co64`) and the sample size (`stsz`) turned into
//! byte ranges in play order, adjacent chunks merged. Every range is
//! checked against the file's length, and the chunks must be in file order
//! without overlap. Pure: tables in, ranges or a reason out.

use super::{NoAudio, Range};

/// One `stsc` entry: from `first_chunk` (1-based) on, each chunk holds
/// `samples` samples described by sample description `description`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Run {
    /// The first chunk (1-based) of the run.
    pub first_chunk: u32,
    /// Samples in each chunk of the run.
    pub samples: u32,
    /// The sample description index (1-based).
    pub description: u32,
}

/// The sample tables of one track, as read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Tables {
    /// `stsc` entries.
    pub runs: Vec<Run>,
    /// `stco`/`co64` chunk offsets.
    pub offsets: Vec<u64>,
    /// `stsz` constant sample size in bytes (a uniform table counts too).
    pub sample_size: u32,
    /// `stsz` sample count.
    pub sample_count: u32,
}

/// The byte ranges of the samples and the number of frames they hold.
pub(crate) fn ranges(
    t: &Tables,
    frame_bytes: u64,
    file_len: u64,
) -> Result<(Vec<Range>, u64), NoAudio> {
    let per_sample = frames_per_sample(t.sample_size, frame_bytes)?;
    let sample_bytes = per_sample * frame_bytes;
    check_runs(&t.runs, t.offsets.len())?;
    let mut out: Vec<Range> = Vec::new();
    let mut samples: u64 = 0;
    let mut run = 0usize;
    for (i, &offset) in t.offsets.iter().enumerate() {
        let chunk = i as u64 + 1;
        while t
            .runs
            .get(run + 1)
            .is_some_and(|r| u64::from(r.first_chunk) <= chunk)
        {
            run += 1;
        }
        let n = t.runs.get(run).map_or(0, |r| u64::from(r.samples));
        samples += n;
        let len = n
            .checked_mul(sample_bytes)
            .ok_or_else(|| damaged(format!("chunk {chunk} claims {n} samples")))?;
        if len > 0 {
            push(&mut out, Range { offset, len }, chunk, file_len)?;
        }
    }
    if samples != u64::from(t.sample_count) {
        return Err(damaged(format!(
            "the chunks hold {samples} samples but `stsz` counts {}",
            t.sample_count
        )));
    }
    if out.is_empty() {
        return Err(NoAudio::Empty);
    }
    let frames = samples
        .checked_mul(per_sample)
        .ok_or_else(|| damaged(format!("{samples} samples of {per_sample} frames each")))?;
    Ok((out, frames))
}

/// Frames in one sample: `stsz` 1 is QuickTime's "one frame per sample"
/// for PCM; otherwise a sample is a whole number of frames.
fn frames_per_sample(size: u32, frame_bytes: u64) -> Result<u64, NoAudio> {
    let size = u64::from(size);
    if size == 1 || size == frame_bytes {
        return Ok(1);
    }
    if size == 0 || size % frame_bytes != 0 {
        return Err(damaged(format!(
            "each sample is {size} bytes, not a whole number of {frame_bytes}-byte frames"
        )));
    }
    Ok(size / frame_bytes)
}

/// `stsc` must start at chunk 1, rise strictly, and name only description 1.
fn check_runs(runs: &[Run], chunks: usize) -> Result<(), NoAudio> {
    let Some(first) = runs.first() else {
        return Err(damaged("`stsc` (samples per chunk) is empty".into()));
    };
    if first.first_chunk != 1 {
        return Err(damaged(format!(
            "`stsc` starts at chunk {} instead of 1",
            first.first_chunk
        )));
    }
    if let Some(w) = runs
        .windows(2)
        .find(|w| w[1].first_chunk <= w[0].first_chunk)
    {
        return Err(damaged(format!(
            "`stsc` goes back from chunk {} to chunk {}",
            w[0].first_chunk, w[1].first_chunk
        )));
    }
    let in_use = runs
        .iter()
        .filter(|r| (r.first_chunk as usize) <= chunks)
        .find(|r| r.description != 1);
    if let Some(r) = in_use {
        return Err(NoAudio::Unsupported(format!(
            "a track whose sample description changes (chunk {} uses description {})",
            r.first_chunk, r.description
        )));
    }
    Ok(())
}

/// Appends one chunk's range: inside the file, after the previous one,
/// merged with it when adjacent.
fn push(out: &mut Vec<Range>, r: Range, chunk: u64, file_len: u64) -> Result<(), NoAudio> {
    let end = r.offset.checked_add(r.len).filter(|&e| e <= file_len);
    if end.is_none() {
        return Err(damaged(format!(
            "chunk {chunk} at offset {} ({} bytes) runs past the end of the file ({file_len} bytes)",
            r.offset, r.len
        )));
    }
    let Some(last) = out.last_mut() else {
        out.push(r);
        return Ok(());
    };
    let last_end = last.offset + last.len;
    if r.offset < last.offset {
        return Err(NoAudio::OutOfOrder(format!(
            "chunk {chunk} at offset {} lies before the chunk played ahead of it, at offset {}",
            r.offset, last.offset
        )));
    }
    if r.offset < last_end {
        return Err(damaged(format!(
            "chunk {chunk} at offset {} overlaps the chunk before it, which ends at {last_end}",
            r.offset
        )));
    }
    if r.offset == last_end {
        last.len += r.len;
    } else {
        out.push(r);
    }
    Ok(())
}

fn damaged(what: String) -> NoAudio {
    NoAudio::Damaged(what)
}
