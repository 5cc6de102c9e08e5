//! Hashing: one update feeds SHA-256, xxHash64 and optionally MD5.
