//! Verify: re-hash a delivery root against its manifest; missing, changed and unexpected files.
