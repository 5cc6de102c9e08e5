//! Integration tests: probe_video.
