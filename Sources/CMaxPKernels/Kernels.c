// See include/MaxPKernels.h. KernelBody.h is compiled three times — AVX-512 (16 lanes), AVX2 (8 lanes) and the
// x86-64 baseline (4 lanes; the only one on other architectures) — and every entry point picks the widest the CPU
// runs. Contraction into fused multiply-adds is off for the whole file: each result must equal the portable Swift
// loop's, bit for bit, whichever instruction set computes it.
#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)

#include "MaxPKernels.h"
#include <math.h>
#include <string.h>

#define INLINE static inline __attribute__((always_inline))
#define CONCAT2(a, b) a##b
#define CONCAT(a, b) CONCAT2(a, b)
#define NAME(x) CONCAT(x, SUFFIX)

typedef float v4 __attribute__((vector_size(16)));
typedef float v4_u __attribute__((vector_size(16), aligned(4)));

#if defined(__x86_64__)
#define HAS_WIDE_VARIANTS 1

#define SUFFIX _avx512
#define TARGET __attribute__((target("avx512f")))
#define LANES 16
typedef float vf_avx512 __attribute__((vector_size(64)));
typedef int vi_avx512 __attribute__((vector_size(64)));
typedef unsigned vu_avx512 __attribute__((vector_size(64)));
typedef float vfu_avx512 __attribute__((vector_size(64), aligned(4)));
#define vf vf_avx512
#define vi vi_avx512
#define vu vu_avx512
#define vf_u vfu_avx512
#include "KernelBody.h"
#undef SUFFIX
#undef TARGET
#undef LANES
#undef vf
#undef vi
#undef vu
#undef vf_u

#define SUFFIX _avx2
#define TARGET __attribute__((target("avx2")))
#define LANES 8
typedef float vf_avx2 __attribute__((vector_size(32)));
typedef int vi_avx2 __attribute__((vector_size(32)));
typedef unsigned vu_avx2 __attribute__((vector_size(32)));
typedef float vfu_avx2 __attribute__((vector_size(32), aligned(4)));
#define vf vf_avx2
#define vi vi_avx2
#define vu vu_avx2
#define vf_u vfu_avx2
#include "KernelBody.h"
#undef SUFFIX
#undef TARGET
#undef LANES
#undef vf
#undef vi
#undef vu
#undef vf_u
#endif

#define SUFFIX _base
#define TARGET
#define LANES 4
typedef float vf_base __attribute__((vector_size(16)));
typedef int vi_base __attribute__((vector_size(16)));
typedef unsigned vu_base __attribute__((vector_size(16)));
typedef float vfu_base __attribute__((vector_size(16), aligned(4)));
#define vf vf_base
#define vi vi_base
#define vu vu_base
#define vf_u vfu_base
#include "KernelBody.h"

/// 2: AVX-512, 1: AVX2, 0: baseline.
static int instruction_set(void) {
#if HAS_WIDE_VARIANTS
    if (__builtin_cpu_supports("avx512f")) return 2;
    if (__builtin_cpu_supports("avx2")) return 1;
#endif
    return 0;
}

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

void maxp_multiply_f32(const float *a, const float *b, float *out, size_t count) {
    DISPATCH(multiply, a, b, out, count)
}

void maxp_layer_norm_forward_f32(const float *x, float *normalized, float *inverseStd, float *out,
                                 const float *gain, const float *bias, size_t rows, size_t width, float epsilon) {
    DISPATCH(layer_norm_forward, x, normalized, inverseStd, out, gain, bias, rows, width, epsilon)
}

void maxp_layer_norm_backward_f32(const float *g, const float *normalized, const float *inverseStd, const float *gain,
                                  float *dx, size_t rows, size_t width) {
    DISPATCH(layer_norm_backward, g, normalized, inverseStd, gain, dx, rows, width)
}

void maxp_adam_f32(float *p, const float *g, float *m, float *v, size_t count, float decay, float coupled,
                   float b1, float oneMinusB1, float b2, float oneMinusB2, float stepSize,
                   float inverseRootCorrection2, float eps, int firstStep) {
    DISPATCH(adam, p, g, m, v, count, decay, coupled, b1, oneMinusB1, b2, oneMinusB2, stepSize,
             inverseRootCorrection2, eps, firstStep)
}
