//! Integration tests: probe_wav.
