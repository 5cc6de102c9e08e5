//! A group's span compiled for AVX2 as well as for baseline x86-64 (the
//! build's SSE2), the copy run chosen at run time by what the CPU has:
//! plain `f32` operations in a fixed order, so the same values at either
//! vector width. With `kweight_avx2.rs`, the only `unsafe` of the crate:
//! calling code compiled for features the build does not assume, once
//! the CPU was seen to have them.

use super::group::{Group, Shared};

/// True when the CPU runs AVX2 instructions (checked once).
#[cfg(target_arch = "x86_64")]
fn has_avx2() -> bool {
    static HAS: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *HAS.get_or_init(|| std::arch::is_x86_feature_detected!("avx2"))
}

/// [`Group::span`], compiled for AVX2 where the CPU has it.
pub(crate) fn span(group: &mut Group, sh: &Shared, bytes: &[u8], sizes: &[usize], start: u64) {
    #[cfg(target_arch = "x86_64")]
    if has_avx2() {
        // SAFETY: the CPU runs AVX2 instructions (just checked), which is
        // all `span_avx2` requires.
        #[allow(unsafe_code)]
        unsafe {
            span_avx2(group, sh, bytes, sizes, start);
        }
        return;
    }
    group.span(sh, bytes, sizes, start);
}

/// [`Group::span`] (inlined, with all it calls) compiled for AVX2; no FMA,
/// so products and sums are rounded as in the baseline build.
///
/// # Safety
/// Only on a CPU with AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
#[allow(unsafe_code)]
unsafe fn span_avx2(group: &mut Group, sh: &Shared, bytes: &[u8], sizes: &[usize], start: u64) {
    group.span(sh, bytes, sizes, start);
}
