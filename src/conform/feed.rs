//! The sink that feeds a file's samples to the lockstep pass: decodes the
//! bytes of the `data` chunk it is fed into `f32` samples, one vector per
//! channel, and sends them in chunks of at most one block through a bounded channel
//! (the pass's back-pressure keeps every reader within a few blocks of the
//! others). When the pass has gone, the feed falls silent: the copy and
//! the hashes it rides with go on.

use std::io;
use std::sync::mpsc::SyncSender;

use super::Chunk;
use crate::analysis::AudioFormat;
use crate::analysis::decode::Decoder;
use crate::stream::Sink;

/// Decodes and sends one file's frames.
pub struct Feed {
    tx: Option<SyncSender<Chunk>>,
    decoder: Decoder,
    channels: usize,
    block_align: usize,
    chunk_frames: usize,
    /// Bytes of a frame split across two blocks.
    carry: Vec<u8>,
}

impl Feed {
    /// A feed of `format`'s frames into `tx`, `chunk_frames` per message;
    /// None for a format the analysis does not decode.
    pub fn new(format: &AudioFormat, tx: SyncSender<Chunk>, chunk_frames: usize) -> Option<Self> {
        let decoder = Decoder::for_format(format).ok()?;
        let channels = usize::from(format.channels).max(1);
        let block_align = usize::from(format.block_align);
        if block_align < channels * decoder.bytes() {
            return None;
        }
        Some(Feed {
            tx: Some(tx),
            decoder,
            channels,
            block_align,
            chunk_frames: chunk_frames.max(1),
            carry: Vec::new(),
        })
    }

    fn send_frames(&mut self, bytes: &[u8]) {
        for piece in bytes.chunks(self.chunk_frames * self.block_align) {
            let frames = piece.len() / self.block_align;
            let out: Chunk = (0..self.channels)
                .map(|ch| {
                    let mut column = vec![0.0f32; frames];
                    self.decoder
                        .decode_channel(piece, self.block_align, ch, &mut column);
                    column
                })
                .collect();
            let Some(tx) = &self.tx else { return };
            if tx.send(out).is_err() {
                self.tx = None;
                return;
            }
        }
    }
}

impl Sink for Feed {
    fn consume(&mut self, mut block: &[u8]) -> io::Result<()> {
        if self.tx.is_none() {
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
        // Dropping the sender tells the pass this file has ended.
        self.tx = None;
        Ok(())
    }
}
