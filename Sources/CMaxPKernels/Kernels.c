// See include/MaxPKernels.h. KernelBody.h is compiled three times through KernelVariant.h — AVX-512 (16 lanes), AVX2
// (8 lanes) and the x86-64 baseline (4 lanes; the only one on other architectures) — and every entry point picks the
// widest the CPU runs (at most the cap tests set with `maxp_kernels_limit_instruction_set`). Contraction into fused multiply-adds is off for the whole file: each result must equal the portable Swift
// loop's, bit for bit, whichever instruction set computes it.
#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)
// The wide vectors of the GELU kernel (KernelVariant.h) pass between always-inline functions only: no call with them
// crosses an ABI boundary, so the warning that their calling convention depends on the instruction set does not apply.
#pragma clang diagnostic ignored "-Wpsabi"

#include "MaxPKernels.h"
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#define INLINE static inline __attribute__((always_inline))
#define CONCAT2(a, b) a##b
#define CONCAT(a, b) CONCAT2(a, b)
#define NAME(x) CONCAT(x, SUFFIX)

typedef float v4 __attribute__((vector_size(16)));
typedef float v4_u __attribute__((vector_size(16), aligned(4)));

/// Rows whose statistics a layer-norm kernel computes at once (independent addition chains).
#define LN_GROUP 8

// MARK: The generator and the ziggurat's rare path (scalar, shared by every variant)

// xoshiro256** — the same recurrence as `SeededGenerator.next()` in Swift.
static inline uint64_t rotate_left(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

/// A step of xoshiro256** on a state held in four variables (which the compiler keeps in registers): the recurrence
/// of `SeededGenerator.next()` in Swift, its word written to `out`.
#define XOSHIRO_STEP(s0, s1, s2, s3, out)                  \
    do {                                                   \
        uint64_t t_ = (s1) << 17;                          \
        (out) = rotate_left((s1) * 5, 7) * 9;              \
        (s2) ^= (s0);                                      \
        (s3) ^= (s1);                                      \
        (s1) ^= (s2);                                      \
        (s0) ^= (s3);                                      \
        (s2) ^= t_;                                        \
        (s3) = rotate_left((s3), 45);                      \
    } while (0)

static inline uint64_t xoshiro_next(uint64_t *s) {
    uint64_t result;
    XOSHIRO_STEP(s[0], s[1], s[2], s[3], result);
    return result;
}

/// Generator words drawn ahead into a buffer (at most this many at a time).
#define STREAM_CAPACITY 256
/// Words the vector ziggurat keeps drawn ahead of the block it works on (eight 16-lane blocks).
#define ZIGGURAT_WORDS_AHEAD 64

/// The words of one fill: first those drawn ahead into `pending` and not used yet, then the generator's.
typedef struct {
    uint64_t *state;
    uint64_t pending[STREAM_CAPACITY];
    int head, count;
} word_stream;

static inline uint64_t stream_next(word_stream *w) {
    return w->head < w->count ? w->pending[w->head++] : xoshiro_next(w->state);
}

/// Draws ahead, behind the words still pending, as many words as the fill is sure to use (`draws` more draws need at
/// least `⌈draws / 2⌉` more words: a word gives at most two), at most `limit` (≤ `STREAM_CAPACITY`) pending in all —
/// so the generator ends where drawing word by word would leave it. A tight loop with nothing else in flight.
static void stream_draw_ahead(word_stream *w, size_t draws, int limit) {
    int kept = w->count - w->head;
    for (int k = 0; k < kept; k++) w->pending[k] = w->pending[w->head + k];
    size_t needed = (draws + 1) / 2;
    int target = needed < (size_t)limit ? (int)needed : limit;
    uint64_t *s = w->state;
    for (int k = kept; k < target; k++) w->pending[k] = xoshiro_next(s);
    w->head = 0;
    w->count = target > kept ? target : kept;
}

static inline double stream_unit(word_stream *w) { return (double)(stream_next(w) >> 11) * 0x1.0p-53; }


/// The wedge test of layer `layer ≥ 1` for the draw `x` with the uniform `unit` (`NormalZiggurat.slowPath` in Swift):
/// `y = f(X_i) + unit·(f(X_{i+1}) − f(X_i))` is under the curve when `y < exp(−x²/2)`.
///
/// The test is first decided by two lines around the density on the layer's interval (`squeeze`: for layer `i`,
/// `lower(|x|) = q[0] + q[1]·|x|` ≤ f ≤ `upper(|x|) = q[2] + q[3]·|x|` — a chord and a tangent, whichever way the
/// curve bends there; the constants `f(X_i)` and `f(X_{i+1})` where it changes bending). Each line test keeps a
/// relative margin of 2⁻³⁰ — far beyond the ≈ 10⁻¹⁵ by which the computed `exp(−x²/2)` can differ from `f(|x|)` —
/// so whenever a line decides, `exp` would have decided the same: the outcome is bit for bit the one of the plain
/// test, which only the draws between the lines (≈ 1 % of the wedge draws) still compute.
static inline int wedge_accepts(int layer, double x, double unit, const double *density, const double *squeeze) {
    double lower = density[layer], upper = density[layer + 1];
    double y = lower + unit * (upper - lower);
    double magnitude = fabs(x);
    const double *q = squeeze + 4 * layer;
    if (y < (q[0] + q[1] * magnitude) * (1 - 0x1p-30)) return 1;
    if (y > (q[2] + q[3] * magnitude) * (1 + 0x1p-30)) return 0;
    return y < exp(-0.5 * x * x);
}

/// `NormalZiggurat.slowPath` in Swift: the tail (layer 0) or the wedge test. Returns 0 when the draw is rejected.
static int ziggurat_slow_path(word_stream *w, int layer, double x, int negative, const double *density,
                              const double *squeeze, double tail, double *z) {
    if (layer == 0) {
        for (;;) {
            double e1 = -log(1 - stream_unit(w)) / tail;
            double e2 = -log(1 - stream_unit(w));
            if (e2 + e2 > e1 * e1) {
                *z = negative ? -(tail + e1) : tail + e1;
                return 1;
            }
        }
    }
    if (wedge_accepts(layer, x, stream_unit(w), density, squeeze)) {
        *z = x;
        return 1;
    }
    return 0;
}

/// One 32-bit draw's candidate: its layer (8 bits), magnitude (23 bits) and the signed value `magnitude · scale[layer]`
/// with the sign bit applied.
static inline float ziggurat_candidate(uint32_t bits, const float *scale, int *layer, uint32_t *magnitude) {
    *layer = (int)(bits & 0xFF);
    *magnitude = bits >> 9;
    float unsigned_value = (float)*magnitude * scale[*layer];
    uint32_t pattern;
    memcpy(&pattern, &unsigned_value, 4);
    pattern ^= (bits & 0x100) << 23;
    float x;
    memcpy(&x, &pattern, 4);
    return x;
}

/// The two draws of one word (low half first), as the Swift loop: writes from `out[*i]` on, at most up to `count`.
__attribute__((noinline))
static void ziggurat_word(word_stream *w, uint64_t word, float *out, size_t *i, size_t count, float mean, float sd,
                          const float *scale, const uint32_t *threshold, const double *density,
                          const double *squeeze, double tail) {
    for (int half = 0; half < 2 && *i < count; half++) {
        uint32_t bits = (uint32_t)(word >> (32 * half));
        int layer;
        uint32_t magnitude;
        float x = ziggurat_candidate(bits, scale, &layer, &magnitude);
        double z;
        if (magnitude < threshold[layer]) {
            out[(*i)++] = mean + sd * x;
        } else if (ziggurat_slow_path(w, layer, (double)x, (bits & 0x100) != 0, density, squeeze, tail, &z)) {
            out[(*i)++] = mean + sd * (float)z;
        }
    }
}


// MARK: glibc's expf (the variant for CPUs with FMA), for the vector kernels

// `expf` of glibc ≥ 2.28 (sysdeps/ieee754/flt-32/e_expf.c, as its FMA build computes it): x·32/ln 2 = k + r,
// e^x = 2^(k/32)·2^(r/32) with 2^(i/32) from this table (bit patterns minus i·2^47) and a cubic in r, all in double.
// Its constants, as the library holds them (`__exp2f_data`).
static const uint64_t expf_table[32] = {
    0x3ff0000000000000, 0x3fefd9b0d3158574, 0x3fefb5586cf9890f, 0x3fef9301d0125b51, 0x3fef72b83c7d517b,
    0x3fef54873168b9aa, 0x3fef387a6e756238, 0x3fef1e9df51fdee1, 0x3fef06fe0a31b715, 0x3feef1a7373aa9cb,
    0x3feedea64c123422, 0x3feece086061892d, 0x3feebfdad5362a27, 0x3feeb42b569d4f82, 0x3feeab07dd485429,
    0x3feea47eb03a5585, 0x3feea09e667f3bcd, 0x3fee9f75e8ec5f74, 0x3feea11473eb0187, 0x3feea589994cce13,
    0x3feeace5422aa0db, 0x3feeb737b0cdc5e5, 0x3feec49182a3f090, 0x3feed503b23e255d, 0x3feee89f995ad3ad,
    0x3feeff76f2fb5e47, 0x3fef199bdd85529c, 0x3fef3720dcef9069, 0x3fef5818dcfba487, 0x3fef7c97337b9b5f,
    0x3fefa4afa2a490da, 0x3fefd0765b6e4540,
};
#define EXPF_INV_LN2_N 0x1.71547652b82fep+5  // 32 / ln 2
#define EXPF_SHIFT 0x1.8p+52
#define EXPF_C0 0x1.c6af84b912394p-20
#define EXPF_C1 0x1.ebfce50fac4f3p-13
#define EXPF_C2 0x1.62e42ff0c52d6p-6
// Arguments whose top bits (exponent and 3 mantissa bits, sign cleared) exceed this leave the fast path (|x| ≥ 88,
// infinities, NaN): the library's own `expf` handles them.
#define EXPF_FAST_TOP 0x42a

#if defined(__x86_64__)
#define HAS_WIDE_VARIANTS 1

#define SUFFIX _avx512
#define TARGET __attribute__((target("avx512f")))
#define LANES 16
#include "KernelVariant.h"

#define SUFFIX _avx2
#define TARGET __attribute__((target("avx2")))
#define LANES 8
#include "KernelVariant.h"
#endif

#define SUFFIX _base
#define TARGET
#define LANES 4
#include "KernelVariant.h"

static _Atomic int instruction_set_limit = 2;

/// 2: AVX-512, 1: AVX2, 0: baseline — the widest the CPU runs, at most `instruction_set_limit`.
static int instruction_set(void) {
    int limit = instruction_set_limit;
#if HAS_WIDE_VARIANTS
    if (limit >= 2 && __builtin_cpu_supports("avx512f")) return 2;
    if (limit >= 1 && __builtin_cpu_supports("avx2")) return 1;
#endif
    return 0;
}

int maxp_kernels_instruction_set(void) { return instruction_set(); }

void maxp_kernels_limit_instruction_set(int limit) { instruction_set_limit = limit < 0 ? 0 : limit > 2 ? 2 : limit; }

#if HAS_WIDE_VARIANTS
#define DISPATCH(name, ...)                                  \
    switch (instruction_set()) {                             \
    case 2: name##_avx512(__VA_ARGS__); return;              \
    case 1: name##_avx2(__VA_ARGS__); return;                \
    default: name##_base(__VA_ARGS__); return;               \
    }
#else
#define DISPATCH(name, ...) name##_base(__VA_ARGS__);
#endif

void maxp_gelu_f32(const float *x, float *value, float *derivative, size_t count) {
    DISPATCH(gelu, x, value, derivative, count)
}

void maxp_add_f32(const float *a, const float *b, float *out, size_t count) { DISPATCH(add, a, b, out, count) }

void maxp_multiply_f32(const float *a, const float *b, float *out, size_t count) {
    DISPATCH(multiply, a, b, out, count)
}

static void maxp_layer_norm_backward_dispatch(const float *g, const float *normalized, const float *x,
                                              const float *means, const float *inverseStd, const float *gain,
                                              const float *earlier, float *dx, float *dgain, float *dbias,
                                              size_t rows, size_t width, float *scratch) {
    DISPATCH(layer_norm_backward, g, normalized, x, means, inverseStd, gain, earlier, dx, dgain, dbias, rows, width,
             scratch)
}

void maxp_layer_norm_forward_f32(const float *x, float *normalized, float *means, float *inverseStd, float *out,
                                 const float *gain, const float *bias, size_t rows, size_t width, float epsilon) {
    DISPATCH(layer_norm_forward, x, normalized, means, inverseStd, out, gain, bias, rows, width, epsilon)
}

void maxp_layer_norm_backward_f32(const float *g, const float *normalized, const float *x, const float *means,
                                  const float *inverseStd, const float *gain, const float *earlier, float *dx,
                                  float *dgain, float *dbias, size_t rows, size_t width) {
    float *scratch = NULL;
    if (!normalized) {
        scratch = malloc(LN_GROUP * width * sizeof(float));
        if (!scratch) abort();
    }
    // DISPATCH returns from the function it is in: it runs in a helper of its own, so that the scratch is freed.
    maxp_layer_norm_backward_dispatch(g, normalized, x, means, inverseStd, gain, earlier, dx, dgain, dbias, rows,
                                      width, scratch);
    free(scratch);
}

void maxp_adam_f32(float *p, const float *g, float *m, float *v, size_t count, float decay, float coupled,
                   float b1, float oneMinusB1, float b2, float oneMinusB2, float stepSize,
                   float inverseRootCorrection2, float eps, int firstStep) {
    DISPATCH(adam, p, g, m, v, count, decay, coupled, b1, oneMinusB1, b2, oneMinusB2, stepSize,
             inverseRootCorrection2, eps, firstStep)
}

void maxp_normal_ziggurat_f32(uint64_t *state, float *out, size_t count, float mean, float standardDeviation,
                              const float *scale, const uint32_t *threshold, const double *density,
                              const double *squeeze, double tail) {
    DISPATCH(normal_ziggurat, state, out, count, mean, standardDeviation, scale, threshold, density, squeeze, tail)
}

void maxp_causal_softmax_f32(const float *x, float *out, size_t blocks, size_t t) {
    DISPATCH(causal_softmax, x, out, blocks, t)
}

void maxp_causal_softmax_backward_f32(const float *y, const float *g, float *dx, size_t blocks, size_t t) {
    DISPATCH(causal_softmax_backward, y, g, dx, blocks, t)
}

void maxp_exp_f32(float *x, size_t count) { DISPATCH(exp_in_place, x, count) }
