//! Measures the digests' raw speed on one in-memory buffer (no disk):
//! SHA-256, xxHash64 and MD5 as `mnepack` computes them, in GB/s.
//!
//! ```text
//! cargo run --release --example bench_hash -- [MIB=256]
//! ```

use std::time::Instant;

use md5::Md5;
use sha2::{Digest, Sha256};
use xxhash_rust::xxh64::Xxh64;

fn rate(name: &str, bytes: usize, f: impl FnOnce() -> String) {
    let t0 = Instant::now();
    let digest = f();
    let secs = t0.elapsed().as_secs_f64();
    println!(
        "{name:8} {:6.2} GB/s  ({digest})",
        bytes as f64 / secs / 1e9
    );
}

fn main() {
    let mib: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(256);
    let buf: Vec<u8> = (0..mib << 20).map(|i| (i * 31 % 251) as u8).collect();
    let n = buf.len();
    rate("sha256", n, || mnepack::hash::hex(&Sha256::digest(&buf)));
    rate("xxh64", n, || {
        let mut h = Xxh64::new(0);
        h.update(&buf);
        format!("{:016x}", h.digest())
    });
    rate("md5", n, || mnepack::hash::hex(&Md5::digest(&buf)));
}
