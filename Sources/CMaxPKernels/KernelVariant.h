// One instruction-set variant of the kernels: Kernels.c defines `SUFFIX` (symbol suffix), `TARGET` (the target
// attribute, empty for the baseline) and `LANES` (floats per vector), then includes this file, which declares the
// variant's vector types, compiles KernelBody.h with them and clears every name for the next variant.
// A private header without an include guard on purpose: Kernels.c includes it once per instruction set.

typedef float NAME(vf_type) __attribute__((vector_size(LANES * 4)));
typedef int NAME(vi_type) __attribute__((vector_size(LANES * 4)));
typedef unsigned NAME(vu_type) __attribute__((vector_size(LANES * 4)));
typedef float NAME(vf_unaligned_type) __attribute__((vector_size(LANES * 4), aligned(4)));
typedef unsigned NAME(vu_unaligned_type) __attribute__((vector_size(LANES * 4), aligned(4)));
// Four vectors as one (`WIDE` lanes): every operation on them is four independent instructions, which lets a kernel
// whose lanes run a long chain of dependent operations (GELU) keep four chains in flight.
#define WIDE (4 * LANES)
typedef float NAME(wf_type) __attribute__((vector_size(WIDE * 4)));
typedef int NAME(wi_type) __attribute__((vector_size(WIDE * 4)));
typedef unsigned NAME(wu_type) __attribute__((vector_size(WIDE * 4)));
typedef float NAME(wf_unaligned_type) __attribute__((vector_size(WIDE * 4), aligned(4)));
#define vf NAME(vf_type)
#define vi NAME(vi_type)
#define vu NAME(vu_type)
#define vf_u NAME(vf_unaligned_type)
#define vu_u NAME(vu_unaligned_type)
#define wf NAME(wf_type)
#define wi NAME(wi_type)
#define wu NAME(wu_type)
#define wf_u NAME(wf_unaligned_type)

#include "KernelBody.h"

#undef vf
#undef vi
#undef vu
#undef vf_u
#undef vu_u
#undef wf
#undef wi
#undef wu
#undef wf_u
#undef WIDE
#undef SUFFIX
#undef TARGET
#undef LANES
