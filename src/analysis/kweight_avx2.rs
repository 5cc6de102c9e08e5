//! The K-weighting filter of four channels at once in one AVX2 register,
//! each multiply-add fused, where the CPU has AVX2 and FMA (the build
//! targets baseline x86-64): `loudness::energies` hands its channels here
//! when it can. The same direct form I sums in the same order as the plain
//! filter, each rounded once instead of twice. With `wide.rs`, the only
//! `unsafe` of the crate.

/// The filter: shelf `b0 b1 b2`, shelf `a1 a2`, high-pass `a1 a2` (the
/// high-pass's `b` is `1 -2 1`).
pub(crate) type Coefficients = ([f64; 3], [f64; 2], [f64; 2]);

/// One channel's state: the last two inputs, shelf outputs and high-pass
/// outputs, `[x1, x2, y1, y2, z1, z2]`.
pub(crate) type LaneState = [f64; 6];

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

/// Each channel's sum of squared filter output over its input (all of
/// one length), the states carried on; None when the CPU lacks AVX2 or
/// FMA.
pub(crate) fn energies4(
    filter: &Coefficients,
    states: &mut [LaneState; 4],
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

    use super::{Coefficients, LaneState};

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

    /// [`super::energies4`], one channel a lane.
    ///
    /// # Safety
    /// Only on a CPU with AVX2 and FMA.
    #[target_feature(enable = "avx2,fma")]
    #[allow(unsafe_code)]
    pub(super) unsafe fn energies4_avx2(
        (shelf_b, shelf_a, high_a): &Coefficients,
        states: &mut [LaneState; 4],
        inputs: [&[f32]; 4],
    ) -> [f64; 4] {
        let [b0, b1, b2] = shelf_b.map(|c| _mm256_set1_pd(c));
        let [na1, na2] = shelf_a.map(|c| _mm256_set1_pd(-c));
        let [nr1, nr2] = high_a.map(|c| _mm256_set1_pd(-c));
        let two = _mm256_set1_pd(2.0);
        let lane = |k: usize| {
            let [s0, s1, s2, s3] = &*states;
            _mm256_setr_pd(s0[k], s1[k], s2[k], s3[k])
        };
        let (mut x1, mut x2) = (lane(0), lane(1));
        let (mut y1, mut y2) = (lane(2), lane(3));
        let (mut z1, mut z2) = (lane(4), lane(5));
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
        let end = [x1, x2, y1, y2, z1, z2].map(|v| lanes(v));
        for (c, state) in states.iter_mut().enumerate() {
            *state = end.map(|v| v[c]);
        }
        lanes(sum)
    }
}
