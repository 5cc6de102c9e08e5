//! RIFF/WAVE, RF64 and BW64 chunk walker (placeholder until the reader lands).

use std::io::{Read, Seek};

use super::{AudioInfo, ProbeError};

/// Reads the header facts of a WAV-family file of `len` bytes.
pub fn read<R: Read + Seek>(_r: &mut R, _len: u64) -> Result<AudioInfo, ProbeError> {
    Err(ProbeError::Unsupported("WAV reader not built yet".into()))
}
