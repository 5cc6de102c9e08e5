//! The CPU's wider vectors, chosen at run time (the build targets baseline
//! x86-64, SSE2 only): a group's span compiled for AVX2 (the same `f32`
//! operations in the same order, so the same values), and the K-weighting
//! filter of four channels in one AVX2 register with fused multiply-adds,
//! where the CPU has AVX2 and FMA. The only `unsafe` of the crate: calling
//! code compiled for features the build does not assume, once the CPU was
//! seen to have them.

use super::group::{Group, Shared};
use super::loudness::{Biquad, KState};

/// True when the CPU runs AVX2 instructions (checked once).
#[cfg(target_arch = "x86_64")]
fn has_avx2() -> bool {
    static HAS: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *HAS.get_or_init(|| std::arch::is_x86_feature_detected!("avx2"))
}

/// Runs [`Group::span`] compiled for AVX2 and says so, or says the CPU
/// lacks AVX2 (the caller runs it as built).
pub(crate) fn span_avx2(
    group: &mut Group,
    sh: &Shared,
    bytes: &[u8],
    sizes: &[usize],
    start: u64,
) -> bool {
    #[cfg(target_arch = "x86_64")]
    if has_avx2() {
        // SAFETY: the CPU runs AVX2 instructions (just checked), which is
        // all `span_avx2` requires.
        #[allow(unsafe_code)]
        unsafe {
            x86::span_avx2(group, sh, bytes, sizes, start);
        }
        return true;
    }
    let _ = (group, sh, bytes, sizes, start);
    false
}

/// True when the CPU runs AVX2 and FMA instructions (checked once).
#[cfg(target_arch = "x86_64")]
pub(crate) fn has_avx2_fma() -> bool {
    static HAS: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *HAS.get_or_init(|| {
        std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
    })
}

/// Never elsewhere.
#[cfg(not(target_arch = "x86_64"))]
pub(crate) fn has_avx2_fma() -> bool {
    false
}

/// The K-weighted energies of four channels (see `loudness::energies`),
/// each multiply-add fused; None when the CPU lacks AVX2 or FMA.
pub(crate) fn energies4(
    filter: &(Biquad, Biquad),
    states: &mut [KState; 4],
    inputs: [&[f32]; 4],
) -> Option<[f64; 4]> {
    #[cfg(target_arch = "x86_64")]
    if has_avx2_fma() {
        // SAFETY: the CPU runs AVX2 and FMA instructions (just checked),
        // which is all `energies4_avx2` requires.
        #[allow(unsafe_code)]
        let sums = unsafe { x86::energies4_avx2(filter, states, inputs) };
        return Some(sums);
    }
    let _ = (filter, states, inputs);
    None
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::arch::x86_64::{
        __m256d, _mm_cvtsd_f64, _mm_movehl_ps, _mm_movelh_ps, _mm_setr_ps, _mm_unpackhi_pd,
        _mm_unpackhi_ps, _mm_unpacklo_ps, _mm256_add_pd, _mm256_castpd256_pd128, _mm256_cvtps_pd,
        _mm256_extractf128_pd, _mm256_fmadd_pd, _mm256_mul_pd, _mm256_set1_pd, _mm256_setr_pd,
        _mm256_setzero_pd, _mm256_sub_pd,
    };

    use super::{Biquad, Group, KState, Shared};

    /// [`Group::span_here`] compiled for AVX2 (no FMA: products and sums
    /// rounded as in the baseline build).
    ///
    /// # Safety
    /// Only on a CPU with AVX2.
    #[target_feature(enable = "avx2")]
    #[allow(unsafe_code)]
    pub(super) unsafe fn span_avx2(
        group: &mut Group,
        sh: &Shared,
        bytes: &[u8],
        sizes: &[usize],
        start: u64,
    ) {
        group.span_here(sh, bytes, sizes, start);
    }

    /// The four lanes of a vector.
    #[target_feature(enable = "avx2")]
    fn lanes(v: __m256d) -> [f64; 4] {
        let lo = _mm256_castpd256_pd128(v);
        let hi = _mm256_extractf128_pd::<1>(v);
        [
            _mm_cvtsd_f64(lo),
            _mm_cvtsd_f64(_mm_unpackhi_pd(lo, lo)),
            _mm_cvtsd_f64(hi),
            _mm_cvtsd_f64(_mm_unpackhi_pd(hi, hi)),
        ]
    }

    /// `loudness::energies` of four channels, one channel a lane: the
    /// same direct form I sums in the same order, each multiply-add fused.
    ///
    /// # Safety
    /// Only on a CPU with AVX2 and FMA.
    #[target_feature(enable = "avx2,fma")]
    #[allow(unsafe_code)]
    pub(super) unsafe fn energies4_avx2(
        filter: &(Biquad, Biquad),
        states: &mut [KState; 4],
        inputs: [&[f32]; 4],
    ) -> [f64; 4] {
        let (shelf, rlb) = filter;
        let [b0, b1, b2] = shelf.b.map(|c| _mm256_set1_pd(c));
        let [na1, na2] = shelf.a.map(|c| _mm256_set1_pd(-c));
        let [nr1, nr2] = rlb.a.map(|c| _mm256_set1_pd(-c));
        let two = _mm256_set1_pd(2.0);
        let lane = |f: fn(&KState) -> f64| {
            let [s0, s1, s2, s3] = &*states;
            _mm256_setr_pd(f(s0), f(s1), f(s2), f(s3))
        };
        let (mut x1, mut x2) = (lane(|s| s.x[0]), lane(|s| s.x[1]));
        let (mut y1, mut y2) = (lane(|s| s.y[0]), lane(|s| s.y[1]));
        let (mut z1, mut z2) = (lane(|s| s.z[0]), lane(|s| s.z[1]));
        let mut sum = _mm256_setzero_pd();
        // One frame: its four samples side by side.
        macro_rules! step {
            ($frame:expr) => {
                let x = _mm256_cvtps_pd($frame);
                let pre = _mm256_fmadd_pd(b2, x2, _mm256_fmadd_pd(b1, x1, _mm256_mul_pd(b0, x)));
                let y = _mm256_fmadd_pd(na1, y1, _mm256_fmadd_pd(na2, y2, pre));
                let d = _mm256_add_pd(_mm256_sub_pd(y, _mm256_mul_pd(two, y1)), y2);
                let z = _mm256_fmadd_pd(nr1, z1, _mm256_fmadd_pd(nr2, z2, d));
                sum = _mm256_fmadd_pd(z, z, sum);
                (x2, x1) = (x1, x);
                (y2, y1) = (y1, y);
                (z2, z1) = (z1, z);
            };
        }
        let len = inputs.iter().map(|x| x.len()).min().unwrap_or(0);
        let [i0, i1, i2, i3] = inputs.map(|x| x[..len].chunks_exact(4));
        let rest = [
            i0.remainder(),
            i1.remainder(),
            i2.remainder(),
            i3.remainder(),
        ];
        // Four frames at a time: four samples of each channel loaded at
        // once, then turned into four frames (a 4 x 4 transpose).
        for (((a, b), c), d) in i0.zip(i1).zip(i2).zip(i3) {
            let a = _mm_setr_ps(a[0], a[1], a[2], a[3]);
            let b = _mm_setr_ps(b[0], b[1], b[2], b[3]);
            let c = _mm_setr_ps(c[0], c[1], c[2], c[3]);
            let d = _mm_setr_ps(d[0], d[1], d[2], d[3]);
            let (ab01, cd01) = (_mm_unpacklo_ps(a, b), _mm_unpacklo_ps(c, d));
            let (ab23, cd23) = (_mm_unpackhi_ps(a, b), _mm_unpackhi_ps(c, d));
            step!(_mm_movelh_ps(ab01, cd01));
            step!(_mm_movehl_ps(cd01, ab01));
            step!(_mm_movelh_ps(ab23, cd23));
            step!(_mm_movehl_ps(cd23, ab23));
        }
        let [r0, r1, r2, r3] = rest;
        for (((&a, &b), &c), &d) in r0.iter().zip(r1).zip(r2).zip(r3) {
            step!(_mm_setr_ps(a, b, c, d));
        }
        let [x1, x2, y1, y2, z1, z2] = [x1, x2, y1, y2, z1, z2].map(|v| lanes(v));
        for (c, s) in states.iter_mut().enumerate() {
            *s = KState {
                x: [x1[c], x2[c]],
                y: [y1[c], y2[c]],
                z: [z1[c], z2[c]],
            };
            s.flush();
        }
        lanes(sum)
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp, clippy::many_single_char_names)]
mod tests {
    use super::*;
    use crate::analysis::loudness::k_weighting;

    /// One channel through the filter, each multiply-add fused, in plain
    /// scalar code: what each lane of [`energies4`] must give, bit for bit.
    fn fused_reference(filter: &(Biquad, Biquad), s: &mut KState, x: &[f32]) -> f64 {
        let (shelf, rlb) = filter;
        let [b0, b1, b2] = shelf.b;
        let [a1, a2] = shelf.a;
        let [r1, r2] = rlb.a;
        let mut sum = 0.0f64;
        for &v in x {
            let v = f64::from(v);
            let pre = b2.mul_add(s.x[1], b1.mul_add(s.x[0], b0 * v));
            let y = (-a1).mul_add(s.y[0], (-a2).mul_add(s.y[1], pre));
            let d = y - 2.0 * s.y[0] + s.y[1];
            let z = (-r1).mul_add(s.z[0], (-r2).mul_add(s.z[1], d));
            sum = z.mul_add(z, sum);
            *s = KState {
                x: [v, s.x[0]],
                y: [y, s.y[0]],
                z: [z, s.z[0]],
            };
        }
        s.flush();
        sum
    }

    fn noise(seed: u32, n: usize) -> Vec<f32> {
        let mut state = seed;
        (0..n)
            .map(|i| {
                state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                let r = (state >> 8) as f32 / (1u32 << 24) as f32 - 0.5;
                r * 0.5 + 0.3 * (i as f32 * 0.01).sin()
            })
            .collect()
    }

    #[test]
    fn each_lane_is_the_fused_formula_and_close_to_the_plain_one() {
        if !has_avx2_fma() {
            return;
        }
        let f = k_weighting(48_000.0);
        let xs: Vec<Vec<f32>> = (0..4).map(|c| noise(7 + c, 9_000)).collect();
        let mut states = [KState::default(); 4];
        let mut reference = [KState::default(); 4];
        for (from, to) in [(0, 4096), (4096, 8192), (8192, 9000)] {
            let inputs = std::array::from_fn(|c| &xs[c][from..to]);
            let sums = energies4(&f, &mut states, inputs).unwrap_or_default();
            for c in 0..4 {
                let want = fused_reference(&f, &mut reference[c], &xs[c][from..to]);
                assert_eq!(sums[c], want, "lane {c}, frames {from}..{to}");
                assert_eq!(states[c].z, reference[c].z);
            }
        }
        // The plain (unfused) filter lands within rounding of it.
        let mut plain = KState::default();
        let mut fused = KState::default();
        let mut one = KState::default();
        let x = &xs[0][..];
        let p: f64 = (0..3)
            .map(|k| {
                crate::analysis::loudness::energies_plain(
                    &f,
                    [&mut plain],
                    [&x[k * 3000..(k + 1) * 3000]],
                )[0]
            })
            .sum();
        let q = fused_reference(&f, &mut fused, x);
        let r = crate::analysis::loudness::energies(&f, [&mut one], [x])[0];
        assert!((p - q).abs() < q * 1e-12, "{p} vs {q}");
        assert_eq!(r, q, "energies takes this path here");
    }
}
