//! Generators of test and demo media: WAV/RF64/BW64 bytes with any header variant and signal.
