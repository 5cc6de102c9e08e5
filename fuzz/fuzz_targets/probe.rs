//! Fuzz target `probe`: any bytes through the header reader (WAV/RF64/BW64,
//! QuickTime, MXF). It must return `Ok` or a `ProbeError`, never panic,
//! hang or allocate from a size field.

#![no_main]

use std::io::Cursor;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut cur = Cursor::new(data);
    let _ = mnepack::probe::probe_reader(&mut cur);
});
