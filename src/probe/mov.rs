//! QuickTime atom walker (placeholder until the reader lands).

use std::io::{Read, Seek};

use super::{ProbeError, VideoInfo};

/// True when the first bytes look like a QuickTime/ISO-BMFF atom.
pub fn looks_like_quicktime(magic: &[u8]) -> bool {
    magic.len() >= 8
        && matches!(
            &magic[4..8],
            b"ftyp" | b"moov" | b"mdat" | b"wide" | b"free" | b"skip"
        )
}

/// Reads the header facts of a QuickTime file of `len` bytes.
pub fn read<R: Read + Seek>(_r: &mut R, _len: u64) -> Result<VideoInfo, ProbeError> {
    Err(ProbeError::Unsupported(
        "QuickTime reader not built yet".into(),
    ))
}
