//! The way a file's samples reach the lockstep pass: a [`Feed`] sends them
//! over its file's [`Lane`] in chunks of a few blocks, through a bounded
//! channel (the pass's back-pressure keeps every reader within a few
//! chunks of the others), and takes back the chunks the pass is done with,
//! so chunks are rarely allocated once the pass runs. It takes either the
//! samples the analysis already decoded (a [`Tap`]) or, where nothing
//! else decodes them (a kept copy on resume, a movie's sound), the bytes
//! of the `data` it is fed (a [`Sink`]). When the pass has gone, the feed
//! falls silent: the copy and the hashes it rides with go on.

use std::io;
use std::sync::mpsc::{Receiver, SyncSender};

use super::{Chunk, Message};
use crate::analysis::AudioFormat;
use crate::analysis::Tap;
use crate::analysis::decode::Decoder;
use crate::stream::Sink;

/// One file's connection to the pass: where its chunks go, and where the
/// pass returns them for reuse.
pub struct Lane {
    pub(super) tx: SyncSender<Message>,
    pub(super) spare: Receiver<Chunk>,
    pub(super) chunk_frames: usize,
}

/// Sends one file's frames.
pub struct Feed {
    lane: Option<Lane>,
    decoder: Decoder,
    channels: usize,
    block_align: usize,
    /// Bytes of a frame split across two blocks.
    carry: Vec<u8>,
    /// Float samples: values that are not finite are sent as silence.
    float: bool,
}

impl Feed {
    /// A feed of `format`'s frames into `lane`; None for a format the
    /// analysis does not decode.
    pub fn new(format: &AudioFormat, lane: Lane) -> Option<Self> {
        let decoder = Decoder::for_format(format).ok()?;
        let channels = usize::from(format.channels).max(1);
        let block_align = usize::from(format.block_align);
        if block_align < channels * decoder.bytes() {
            return None;
        }
        Some(Feed {
            lane: Some(lane),
            decoder,
            channels,
            block_align,
            carry: Vec::new(),
            float: matches!(decoder, Decoder::F32 | Decoder::F64),
        })
    }

    /// A chunk of `frames` frames to fill: a returned one when there is.
    fn chunk(lane: &Lane, channels: usize, frames: usize) -> Chunk {
        let mut out = lane.spare.try_recv().unwrap_or_default();
        out.resize_with(channels, Vec::new);
        for column in &mut out {
            column.resize(frames, 0.0);
        }
        out
    }

    fn send(&mut self, mut out: Chunk, power: Vec<(u32, f64)>) {
        if self.float {
            for v in out.iter_mut().flatten() {
                if !v.is_finite() {
                    *v = 0.0;
                }
            }
        }
        let message = Message {
            samples: out,
            power,
        };
        let gone = self
            .lane
            .as_ref()
            .is_some_and(|l| l.tx.send(message).is_err());
        if gone {
            self.lane = None;
        }
    }

    fn send_frames(&mut self, bytes: &[u8]) {
        let Some(lane) = &self.lane else { return };
        let piece_bytes = lane.chunk_frames * self.block_align;
        for piece in bytes.chunks(piece_bytes) {
            let Some(lane) = &self.lane else { return };
            let mut out = Feed::chunk(lane, self.channels, piece.len() / self.block_align);
            for (ch, column) in out.iter_mut().enumerate() {
                self.decoder
                    .decode_channel(piece, self.block_align, ch, column);
            }
            self.send(out, Vec::new());
        }
    }
}

impl Tap for Feed {
    fn samples(&mut self, channels: &mut [&mut Vec<f32>], power: &[(usize, f64)]) {
        let Some(lane) = &self.lane else { return };
        let frames = channels.iter().map(|c| c.len()).min().unwrap_or(0);
        if frames == 0 {
            return;
        }
        // The analyzer's vectors go as they are, swapped for returned ones:
        // the samples are decoded once and never copied.
        let mut out = lane.spare.try_recv().unwrap_or_default();
        out.resize_with(self.channels, Vec::new);
        for (k, column) in out.iter_mut().enumerate() {
            column.clear();
            if let Some(src) = channels.get_mut(k) {
                std::mem::swap(column, *src);
                column.truncate(frames);
            } else {
                column.resize(frames, 0.0);
            }
        }
        let power = power
            .iter()
            .map(|&(n, e)| (u32::try_from(n).unwrap_or(u32::MAX), e))
            .collect();
        self.send(out, power);
    }
}

impl Sink for Feed {
    fn consume(&mut self, mut block: &[u8]) -> io::Result<()> {
        if self.lane.is_none() {
            return Ok(());
        }
        if !self.carry.is_empty() {
            let need = self.block_align - self.carry.len();
            let take = need.min(block.len());
            self.carry.extend_from_slice(&block[..take]);
            block = &block[take..];
            if self.carry.len() == self.block_align {
                let frame = std::mem::take(&mut self.carry);
                self.send_frames(&frame);
            }
        }
        let whole = block.len() / self.block_align * self.block_align;
        self.send_frames(&block[..whole]);
        self.carry.extend_from_slice(&block[whole..]);
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        // Dropping the lane tells the pass this file has ended.
        self.lane = None;
        Ok(())
    }
}
