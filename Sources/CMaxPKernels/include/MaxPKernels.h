// Single-precision elementwise and row kernels of the MaxP core, compiled for the widest vector unit the CPU has
// (AVX-512, AVX2 or the x86-64 baseline, chosen once at load time through `target_clones`). Every kernel performs
// exactly the IEEE-754 operations of the portable Swift loops it replaces, in the same order (no fused multiply-add,
// no reassociation), so results are bit for bit the same on every CPU.
#ifndef MAXP_KERNELS_H
#define MAXP_KERNELS_H

#include <stddef.h>

/// GELU `x·Φ(x)` of `count` floats into `value`, and its derivative `Φ(x) + x·φ(x)` into `derivative` unless NULL
/// (the polynomial kernels documented in `GELUKernels.swift`).
void maxp_gelu_f32(const float *x, float *value, float *derivative, size_t count);

/// `out[i] = a[i] * b[i]`.
void maxp_multiply_f32(const float *a, const float *b, float *out, size_t count);

/// Layer normalization of `rows` rows of `width` floats: `normalized = (x − mean)·rstd` with `rstd =
/// (variance + epsilon)^-1/2` per row (kept in `inverseStd`), and `out = normalized·gain + bias` when `out` is not
/// NULL (`gain` / `bias` may be NULL: 1 / 0). Row sums use four interleaved partial sums added as `(s0+s1)+(s2+s3)`.
void maxp_layer_norm_forward_f32(const float *x, float *normalized, float *inverseStd, float *out,
                                 const float *gain, const float *bias, size_t rows, size_t width, float epsilon);

/// The input gradient of layer normalization: with `ĝ = g·gain` (or `g`), `dx = rstd·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂))`.
void maxp_layer_norm_backward_f32(const float *g, const float *normalized, const float *inverseStd, const float *gain,
                                  float *dx, size_t rows, size_t width);

/// One Adam/AdamW update of `count` parameters (see `OptimizerKernels.swift`); `firstStep` writes the moments
/// without reading them.
void maxp_adam_f32(float *p, const float *g, float *m, float *v, size_t count, float decay, float coupled,
                   float b1, float oneMinusB1, float b2, float oneMinusB2, float stepSize,
                   float inverseRootCorrection2, float eps, int firstStep);

#endif
