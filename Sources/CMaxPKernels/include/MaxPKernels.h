// Single-precision elementwise and row kernels of the MaxP core, compiled for the widest vector unit the CPU has
// (AVX-512, AVX2 or the x86-64 baseline, chosen at run time). Every kernel performs
// exactly the IEEE-754 operations of the portable Swift loops it replaces, in the same order (no fused multiply-add,
// no reassociation), so results are bit for bit the same on every CPU.
#ifndef MAXP_KERNELS_H
#define MAXP_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/// GELU `x·Φ(x)` of `count` floats into `value`, and its derivative `Φ(x) + x·φ(x)` into `derivative` unless NULL
/// (the polynomial kernels documented in `GELUKernels.swift`).
void maxp_gelu_f32(const float *x, float *value, float *derivative, size_t count);

/// `out[i] = a[i] + b[i]`.
void maxp_add_f32(const float *a, const float *b, float *out, size_t count);

/// `out[i] = a[i] * b[i]` (`out` may be `a`: in place).
void maxp_multiply_f32(const float *a, const float *b, float *out, size_t count);

/// Layer normalization of `rows` rows of `width` floats: `x̂ = (x − mean)·rstd` with `rstd = (variance +
/// epsilon)^-1/2` per row (kept in `inverseStd`, and the mean in `means` unless NULL), x̂ into `normalized` unless NULL,
/// and `out = x̂·gain + bias` when `out` is not NULL (`gain` / `bias` may be NULL: 1 / 0). Row sums use four
/// interleaved partial sums added as `(s0+s1)+(s2+s3)`, for 8 rows at once (independent chains).
void maxp_layer_norm_forward_f32(const float *x, float *normalized, float *means, float *inverseStd, float *out,
                                 const float *gain, const float *bias, size_t rows, size_t width, float epsilon);

/// The gradients of layer normalization: with `ĝ = g·gain` (or `g`), the input gradient
/// `dx = rstd·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂))`, plus `earlier` (the gradient the input already received) when not NULL;
/// and unless NULL, the gain gradient `dgain = Σ_rows g·x̂` and the bias gradient `dbias = Σ_rows g` (`width` floats
/// each, summed from 0 in row order). x̂ is `normalized`, or when that is NULL recomputed from `x` and the forward
/// pass's `means` and `inverseStd` with the same operations. Row statistics as in the forward pass.
void maxp_layer_norm_backward_f32(const float *g, const float *normalized, const float *x, const float *means,
                                  const float *inverseStd, const float *gain, const float *earlier, float *dx,
                                  float *dgain, float *dbias, size_t rows, size_t width);

/// One Adam/AdamW update of `count` parameters (see `OptimizerKernels.swift`); `firstStep` writes the moments
/// without reading them (non-temporal stores: they bypass the caches).
void maxp_adam_f32(float *p, const float *g, float *m, float *v, size_t count, float decay, float coupled,
                   float b1, float oneMinusB1, float b2, float oneMinusB2, float stepSize,
                   float inverseRootCorrection2, float eps, int firstStep);

/// `count` normal draws `mean + standardDeviation·z` from the 256-layer ziggurat of `NormalZiggurat.swift`, reading
/// the xoshiro256** generator whose four state words are `state` (advanced in place): the same numbers and the same
/// final state as the Swift loop. `scale`, `threshold` (256 entries) and `density` (257) are its layer tables,
/// `squeeze` (4 per layer) the lines that decide most wedge tests without `exp` (`NormalZiggurat.Tables.squeeze`),
/// `tail` where layer 0's tail starts.
void maxp_normal_ziggurat_f32(uint64_t *state, float *out, size_t count, float mean, float standardDeviation,
                              const float *scale, const uint32_t *threshold, const double *density,
                              const double *squeeze, double tail);

/// The causal softmax of `blocks` blocks of `t × t` scores: row `i` of a block is the softmax of its entries `0…i`
/// (`e^(x − max) / Σ e^(x − max)`, the sum in order, `e` the C library's `expf`), entries above the diagonal 0.
void maxp_causal_softmax_f32(const float *x, float *out, size_t blocks, size_t t);

/// The gradient of ``maxp_causal_softmax_f32`` from its output `y` and the output gradient `g`:
/// `dx = y·(g − Σ_{j ≤ i} g_j·y_j)` (the sum in order) on and below the diagonal, 0 above it. `dx` may be `g` (each
/// row's sum is taken before the row is written).
void maxp_causal_softmax_backward_f32(const float *y, const float *g, float *dx, size_t blocks, size_t t);

/// `x[i] = expf(x[i])` in place, bit for bit the C library's `expf` (vectorized on AVX-512).
void maxp_exp_f32(float *x, size_t count);

/// The instruction set the kernels run: 2 AVX-512, 1 AVX2, 0 the baseline.
int maxp_kernels_instruction_set(void);

/// Caps the instruction set the kernels may use (2, 1 or 0; the default 2 means the widest the CPU has) — for tests
/// that compare the variants, which compute the same bits.
void maxp_kernels_limit_instruction_set(int limit);

#endif
