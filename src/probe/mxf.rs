//! MXF recognition (placeholder until the KLV reader lands).

use std::io::{Read, Seek};

use super::{ProbeError, VideoInfo};

/// True when the first bytes are an MXF partition pack key.
pub fn looks_like_mxf(magic: &[u8]) -> bool {
    magic.len() >= 13
        && magic[..13]
            == [
                0x06, 0x0E, 0x2B, 0x34, 0x02, 0x05, 0x01, 0x01, 0x0D, 0x01, 0x02, 0x01, 0x01,
            ]
}

/// Reads the header facts of an MXF file of `len` bytes.
pub fn read<R: Read + Seek>(_r: &mut R, _len: u64) -> Result<VideoInfo, ProbeError> {
    Err(ProbeError::Unsupported("MXF reader not built yet".into()))
}
