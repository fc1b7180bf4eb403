// One instantiation of the kernels (included by KernelVariant.h once per instruction set): `NAME(x)` suffixes every
// symbol, `TARGET` is the instruction-set attribute, `vf` / `vi` / `vu` / `vf_u` / `vu_u` vectors of `LANES` lanes.
// A private header without an include guard on purpose.

TARGET INLINE vf NAME(load)(const float *p) { return *(const vf_u *)p; }
TARGET INLINE void NAME(store)(float *p, vf v) { *(vf_u *)p = v; }
TARGET INLINE vf NAME(splat)(float x) { return x - (vf){0}; }  // x − (+0) is x for every x, −0 included
TARGET INLINE vf NAME(select_where)(vi mask, vf yes, vf no) { return (vf)(((vi)yes & mask) | ((vi)no & ~mask)); }

// MARK: GELU (the same operations as GELUKernels.exp / normal / gelu in Swift)
// On `WIDE` lanes (four vectors) at a time: each lane is one long chain of dependent operations, and four
// interleaved chains run about three times as fast as one (the scheduler no longer waits on a single chain).

TARGET INLINE wf NAME(wide_splat)(float x) { return x - (wf){0}; }
TARGET INLINE wf NAME(wide_select_where)(wi mask, wf yes, wf no) { return (wf)(((wi)yes & mask) | ((wi)no & ~mask)); }

TARGET INLINE wf NAME(gelu_exp)(wf value) {
    wf low = NAME(wide_splat)(-87.3f), high = NAME(wide_splat)(88.0f);
    wf x = NAME(wide_select_where)(value < low, low, value);
    x = NAME(wide_select_where)(x > high, high, x);
    wf magic = NAME(wide_splat)(12582912.0f);
    wf k = x * 1.44269504f + magic;
    wf n = k - magic;
    wf r = (x - n * 0.693359375f) - n * -2.1219444e-4f;
    wf p = NAME(wide_splat)(1.98756915e-4f);
    p = p * r + 1.39819995e-3f;
    p = p * r + 8.3334519e-3f;
    p = p * r + 4.16657959e-2f;
    p = p * r + 1.66666655e-1f;
    p = p * r + 5.00000012e-1f;
    wf mantissa = p * r * r + r + 1.0f;
    wi integer = (wi)k - (wi)magic;
    wi bits = (wi)((wu)(integer + 127) << 23);
    return mantissa * (wf)bits;
}

TARGET INLINE void NAME(gelu_lanes)(wf v, wf *y, wf *d) {
    wi negative = v < 0.0f;
    wf z = NAME(wide_select_where)(negative, -v, v) * 0.707106781f;
    wf t = 1.0f / (1.0f + 0.5f * z);
    wf p = NAME(wide_splat)(0.17087277f);
    p = p * t - 0.82215223f;
    p = p * t + 1.48851587f;
    p = p * t - 1.13520398f;
    p = p * t + 0.27886807f;
    p = p * t - 0.18628806f;
    p = p * t + 0.09678418f;
    p = p * t + 0.37409196f;
    p = p * t + 1.00002368f;
    wf square = v * v;
    wf split = 4097.0f * v, hi = split - (split - v), lo = v - hi;
    wf squareError = ((hi * hi - square) + 2.0f * hi * lo) + lo * lo;
    wf gaussian = NAME(gelu_exp)(-0.5f * square) * (1.0f - 0.5f * squareError);
    gaussian = NAME(wide_select_where)(square > 174.6f, NAME(wide_splat)(0.0f), gaussian);
    wf half = 0.5f * t * gaussian * NAME(gelu_exp)(p * t - 1.26551223f);
    wf cdf = NAME(wide_select_where)(negative, half, 1.0f - half);
    *y = v * cdf;
    *d = cdf + v * 0.398942280f * gaussian;
}

TARGET static void NAME(gelu)(const float *x, float *value, float *derivative, size_t count) {
    size_t i = 0;
    wf y, d;
    for (; i + WIDE <= count; i += WIDE) {
        NAME(gelu_lanes)(*(const wf_u *)(x + i), &y, &d);
        *(wf_u *)(value + i) = y;
        if (derivative) *(wf_u *)(derivative + i) = d;
    }
    if (i < count) {  // the last few elements, padded with zeros
        float buffer[WIDE] = {0}, ybuf[WIDE], dbuf[WIDE];
        size_t rest = count - i;
        memcpy(buffer, x + i, rest * sizeof(float));
        NAME(gelu_lanes)(*(const wf_u *)(buffer), &y, &d);
        *(wf_u *)ybuf = y;
        *(wf_u *)dbuf = d;
        memcpy(value + i, ybuf, rest * sizeof(float));
        if (derivative) memcpy(derivative + i, dbuf, rest * sizeof(float));
    }
}

TARGET static void NAME(add)(const float *a, const float *b, float *out, size_t count) {
    size_t i = 0;
    for (; i + LANES <= count; i += LANES) NAME(store)(out + i, NAME(load)(a + i) + NAME(load)(b + i));
    for (; i < count; i++) out[i] = a[i] + b[i];
}

TARGET static void NAME(multiply)(const float *a, const float *b, float *out, size_t count) {
    size_t i = 0;
    for (; i + LANES <= count; i += LANES) NAME(store)(out + i, NAME(load)(a + i) * NAME(load)(b + i));
    for (; i < count; i++) out[i] = a[i] * b[i];
}

// MARK: Layer normalization (the operations of Variable.layerNorm in Swift)


// Σ x[j] in four interleaved partial sums s_k (j ≡ k mod 4) — one 4-lane accumulator — the tail into s_0, then
// (s0 + s1) + (s2 + s3): Swift's `rowSum`.
TARGET INLINE float NAME(finish_sum)(v4 s) { return (s[0] + s[1]) + (s[2] + s[3]); }

TARGET INLINE float NAME(row_sum)(const float *x, size_t n) {
    v4 s = {0, 0, 0, 0};
    size_t j = 0;
    for (; j + 4 <= n; j += 4) s += *(const v4_u *)(x + j);
    for (; j < n; j++) s[0] += x[j];
    return NAME(finish_sum)(s);
}

TARGET INLINE float NAME(row_sum_centered_squares)(const float *x, float mean, size_t n) {
    v4 s = {0, 0, 0, 0};
    size_t j = 0;
    for (; j + 4 <= n; j += 4) {
        v4 d = *(const v4_u *)(x + j) - mean;
        s += d * d;
    }
    for (; j < n; j++) {
        float d = x[j] - mean;
        s[0] += d * d;
    }
    return NAME(finish_sum)(s);
}

TARGET INLINE float NAME(row_sum_products)(const float *a, const float *b, size_t n) {
    v4 s = {0, 0, 0, 0};
    size_t j = 0;
    for (; j + 4 <= n; j += 4) s += *(const v4_u *)(a + j) * *(const v4_u *)(b + j);
    for (; j < n; j++) s[0] += a[j] * b[j];
    return NAME(finish_sum)(s);
}

// The rows of a group of `LN_GROUP` (each from `x + q·n`): their sums run as independent chains — every row's in
// the order of `row_sum` — so that the additions of one row do not wait on each other's latency.
TARGET INLINE void NAME(group_sums)(const float *x, size_t n, float *sum) {
    v4 s[LN_GROUP];
    for (int q = 0; q < LN_GROUP; q++) s[q] = (v4){0, 0, 0, 0};
    size_t j = 0;
    for (; j + 4 <= n; j += 4)
        for (int q = 0; q < LN_GROUP; q++) s[q] += *(const v4_u *)(x + q * n + j);
    for (; j < n; j++)
        for (int q = 0; q < LN_GROUP; q++) s[q][0] += x[q * n + j];
    for (int q = 0; q < LN_GROUP; q++) sum[q] = NAME(finish_sum)(s[q]);
}

// `row_sum_centered_squares` of the rows of a group, as independent chains.
TARGET INLINE void NAME(group_centered_squares)(const float *x, const float *mean, size_t n, float *sum) {
    v4 s[LN_GROUP];
    for (int q = 0; q < LN_GROUP; q++) s[q] = (v4){0, 0, 0, 0};
    size_t j = 0;
    for (; j + 4 <= n; j += 4)
        for (int q = 0; q < LN_GROUP; q++) {
            v4 d = *(const v4_u *)(x + q * n + j) - mean[q];
            s[q] += d * d;
        }
    for (; j < n; j++)
        for (int q = 0; q < LN_GROUP; q++) {
            float d = x[q * n + j] - mean[q];
            s[q][0] += d * d;
        }
    for (int q = 0; q < LN_GROUP; q++) sum[q] = NAME(finish_sum)(s[q]);
}

// `row_sum` and `row_sum_products` of the rows of a group (`a`, `b` rows `q·n` apart), as independent chains.
TARGET INLINE void NAME(group_sums_and_products)(const float *a, const float *b, size_t n, float *sum, float *products) {
    v4 s[LN_GROUP], t[LN_GROUP];
    for (int q = 0; q < LN_GROUP; q++) s[q] = t[q] = (v4){0, 0, 0, 0};
    size_t j = 0;
    for (; j + 4 <= n; j += 4)
        for (int q = 0; q < LN_GROUP; q++) {
            v4 u = *(const v4_u *)(a + q * n + j);
            s[q] += u;
            t[q] += u * *(const v4_u *)(b + q * n + j);
        }
    for (; j < n; j++)
        for (int q = 0; q < LN_GROUP; q++) {
            s[q][0] += a[q * n + j];
            t[q][0] += a[q * n + j] * b[q * n + j];
        }
    for (int q = 0; q < LN_GROUP; q++) {
        sum[q] = NAME(finish_sum)(s[q]);
        products[q] = NAME(finish_sum)(t[q]);
    }
}

// One row's normalizing and affine passes: x̂ = (x − mean)·rstd into `o` unless NULL, y = x̂·gain + bias into `y`
// unless NULL (x̂ recomputed with the same operations when it is not kept).
TARGET INLINE void NAME(layer_norm_row)(const float *p, float *o, float *y, const float *gain, const float *bias,
                                        float mean, float rstd, size_t n) {
    size_t j = 0;
    if (o) {
        for (; j + LANES <= n; j += LANES) NAME(store)(o + j, (NAME(load)(p + j) - mean) * rstd);
        for (; j < n; j++) o[j] = (p[j] - mean) * rstd;
    }
    if (!y) return;
    j = 0;
    for (; j + LANES <= n; j += LANES) {
        vf gn = gain ? NAME(load)(gain + j) : NAME(splat)(1.0f), bs = bias ? NAME(load)(bias + j) : NAME(splat)(0.0f);
        vf xh = o ? NAME(load)(o + j) : (NAME(load)(p + j) - mean) * rstd;
        NAME(store)(y + j, xh * gn + bs);
    }
    for (; j < n; j++) {
        float xh = o ? o[j] : (p[j] - mean) * rstd;
        y[j] = xh * (gain ? gain[j] : 1.0f) + (bias ? bias[j] : 0.0f);
    }
}

TARGET static void NAME(layer_norm_forward)(const float *x, float *normalized, float *means, float *inverseStd,
                                        float *out, const float *gain, const float *bias, size_t rows, size_t n,
                                        float epsilon) {
    float inverseN = 1.0f / (float)n;
    size_t r = 0;
    for (; r + LN_GROUP <= rows; r += LN_GROUP) {  // whole groups: the statistics of LN_GROUP rows at once
        float mean[LN_GROUP], variance[LN_GROUP];
        NAME(group_sums)(x + r * n, n, mean);
        for (int q = 0; q < LN_GROUP; q++) mean[q] *= inverseN;
        NAME(group_centered_squares)(x + r * n, mean, n, variance);
        for (int q = 0; q < LN_GROUP; q++) {
            float rstd = 1.0f / sqrtf(variance[q] * inverseN + epsilon);
            inverseStd[r + q] = rstd;
            if (means) means[r + q] = mean[q];
            NAME(layer_norm_row)(x + (r + q) * n, normalized ? normalized + (r + q) * n : NULL,
                                 out ? out + (r + q) * n : NULL, gain, bias, mean[q], rstd, n);
        }
    }
    for (; r < rows; r++) {
        const float *p = x + r * n;
        float mean = NAME(row_sum)(p, n) * inverseN;
        float variance = NAME(row_sum_centered_squares)(p, mean, n) * inverseN;
        float rstd = 1.0f / sqrtf(variance + epsilon);
        inverseStd[r] = rstd;
        if (means) means[r] = mean;
        NAME(layer_norm_row)(p, normalized ? normalized + r * n : NULL, out ? out + r * n : NULL, gain, bias, mean,
                             rstd, n);
    }
}

// One row's input gradient from ĝ (already in `o`) and its two means, plus the row's terms of the gain and bias
// gradients (added in row order) and the earlier gradient of the input.
TARGET INLINE void NAME(layer_norm_backward_row)(const float *gp, const float *xh, float *o, const float *earlier,
                                                 float *dgain, float *dbias, float m1, float m2, float rstd,
                                                 size_t n) {
    size_t j = 0;
    for (; j + LANES <= n; j += LANES) {
        vf d = rstd * ((NAME(load)(o + j) - m1) - NAME(load)(xh + j) * m2);
        NAME(store)(o + j, earlier ? NAME(load)(earlier + j) + d : d);
    }
    for (; j < n; j++) {
        float d = rstd * ((o[j] - m1) - xh[j] * m2);
        o[j] = earlier ? earlier[j] + d : d;
    }
    if (dgain) {
        j = 0;
        for (; j + LANES <= n; j += LANES)
            NAME(store)(dgain + j, NAME(load)(dgain + j) + NAME(load)(gp + j) * NAME(load)(xh + j));
        for (; j < n; j++) dgain[j] += gp[j] * xh[j];
    }
    if (dbias) {
        j = 0;
        for (; j + LANES <= n; j += LANES) NAME(store)(dbias + j, NAME(load)(dbias + j) + NAME(load)(gp + j));
        for (; j < n; j++) dbias[j] += gp[j];
    }
}

// ĝ = g·gain (or g) into `o`.
TARGET INLINE void NAME(layer_norm_scaled_gradient)(const float *gp, const float *gain, float *o, size_t n) {
    if (!gain) {
        memcpy(o, gp, n * sizeof(float));
        return;
    }
    size_t j = 0;
    for (; j + LANES <= n; j += LANES) NAME(store)(o + j, NAME(load)(gp + j) * NAME(load)(gain + j));
    for (; j < n; j++) o[j] = gp[j] * gain[j];
}

TARGET static void NAME(layer_norm_backward)(const float *g, const float *normalized, const float *x,
                                         const float *means, const float *inverseStd, const float *gain,
                                         const float *earlier, float *dx, float *dgain, float *dbias, size_t rows,
                                         size_t n, float *scratch) {
    float inverseN = 1.0f / (float)n;
    if (dgain) memset(dgain, 0, n * sizeof(float));
    if (dbias) memset(dbias, 0, n * sizeof(float));
    size_t r = 0;
    for (; r + LN_GROUP <= rows; r += LN_GROUP) {
        // x̂ of the group: kept by the forward pass, or recomputed into `scratch` with its operations.
        const float *xh = normalized ? normalized + r * n : scratch;
        if (!normalized)
            for (int q = 0; q < LN_GROUP; q++)
                NAME(layer_norm_row)(x + (r + q) * n, scratch + q * n, NULL, NULL, NULL, means[r + q],
                                     inverseStd[r + q], n);
        for (int q = 0; q < LN_GROUP; q++)
            NAME(layer_norm_scaled_gradient)(g + (r + q) * n, gain, dx + (r + q) * n, n);
        float m1[LN_GROUP], m2[LN_GROUP];
        NAME(group_sums_and_products)(dx + r * n, xh, n, m1, m2);
        for (int q = 0; q < LN_GROUP; q++) {
            size_t base = (r + q) * n;
            NAME(layer_norm_backward_row)(g + base, xh + q * n, dx + base, earlier ? earlier + base : NULL,
                                          dgain, dbias, m1[q] * inverseN, m2[q] * inverseN, inverseStd[r + q], n);
        }
    }
    for (; r < rows; r++) {
        size_t base = r * n;
        const float *xh = normalized ? normalized + base : scratch;
        if (!normalized) NAME(layer_norm_row)(x + base, scratch, NULL, NULL, NULL, means[r], inverseStd[r], n);
        NAME(layer_norm_scaled_gradient)(g + base, gain, dx + base, n);
        float m1 = NAME(row_sum)(dx + base, n) * inverseN;
        float m2 = NAME(row_sum_products)(dx + base, xh, n) * inverseN;
        NAME(layer_norm_backward_row)(g + base, xh, dx + base, earlier ? earlier + base : NULL, dgain, dbias, m1, m2,
                                      inverseStd[r], n);
    }
}

// MARK: Adam (the operations of OptimizerKernels.adamLoop in Swift)

TARGET static void NAME(adam)(float *p, const float *g, float *m, float *v, size_t count, float decay, float coupled,
                          float b1, float oneMinusB1, float b2, float oneMinusB2, float stepSize,
                          float inverseRootCorrection2, float eps, int firstStep) {
    size_t i = 0;
    if (firstStep) {
        // m = v = 0 before this update: β·0 + x is x + 0 (which turns −0 into +0), as the Swift loop computes.
        // Nothing reads the fresh moments before the next step, long after they have left the caches: they are
        // written with non-temporal stores, which skip reading their lines first (with ordinary stores a first step
        // cost more than a later one, which reads those lines anyway; now it costs less). Those need 16-byte
        // alignment: the elements before it are written one by one, and moments whose addresses differ modulo 16 are
        // written as usual.
        for (; i < count && ((uintptr_t)(m + i) & 15) != 0; i++) {
            float pi = p[i] * decay, gi = g[i] + coupled * pi;
            float mi = oneMinusB1 * gi + 0.0f, vv = oneMinusB2 * gi * gi + 0.0f;
            m[i] = mi;
            v[i] = vv;
            p[i] = pi - stepSize * mi / (sqrtf(vv) * inverseRootCorrection2 + eps);
        }
        int streams = ((uintptr_t)(v + i) & 15) == 0;
        for (; i + LANES <= count; i += LANES) {
            vf pi = NAME(load)(p + i) * decay;
            vf gi = NAME(load)(g + i) + coupled * pi;
            vf mi = oneMinusB1 * gi + 0.0f;
            vf vv = oneMinusB2 * gi * gi + 0.0f;
            if (streams) {
                for (int part = 0; part < LANES / 4; part++) {
                    v4 mPart, vPart;
                    memcpy(&mPart, (const float *)&mi + 4 * part, sizeof mPart);
                    memcpy(&vPart, (const float *)&vv + 4 * part, sizeof vPart);
                    __builtin_nontemporal_store(mPart, (v4 *)(m + i) + part);
                    __builtin_nontemporal_store(vPart, (v4 *)(v + i) + part);
                }
            } else {
                NAME(store)(m + i, mi);
                NAME(store)(v + i, vv);
            }
            NAME(store)(p + i, pi - stepSize * mi / (__builtin_elementwise_sqrt(vv) * inverseRootCorrection2 + eps));
        }
        // Non-temporal stores are ordered only among themselves: make them visible before any later store (e.g. the
        // lock release that hands the moments to another thread).
#if defined(__x86_64__)
        _mm_sfence();
#else
        __atomic_thread_fence(__ATOMIC_RELEASE);
#endif
        for (; i < count; i++) {
            float pi = p[i] * decay, gi = g[i] + coupled * pi;
            float mi = oneMinusB1 * gi + 0.0f, vv = oneMinusB2 * gi * gi + 0.0f;
            m[i] = mi;
            v[i] = vv;
            p[i] = pi - stepSize * mi / (sqrtf(vv) * inverseRootCorrection2 + eps);
        }
        return;
    }
    for (; i + LANES <= count; i += LANES) {
        vf pi = NAME(load)(p + i) * decay;
        vf gi = NAME(load)(g + i) + coupled * pi;
        vf mi = b1 * NAME(load)(m + i) + oneMinusB1 * gi;
        vf vv = b2 * NAME(load)(v + i) + oneMinusB2 * gi * gi;
        NAME(store)(m + i, mi);
        NAME(store)(v + i, vv);
        NAME(store)(p + i, pi - stepSize * mi / (__builtin_elementwise_sqrt(vv) * inverseRootCorrection2 + eps));
    }
    for (; i < count; i++) {
        float pi = p[i] * decay, gi = g[i] + coupled * pi;
        float mi = b1 * m[i] + oneMinusB1 * gi, vv = b2 * v[i] + oneMinusB2 * gi * gi;
        m[i] = mi;
        v[i] = vv;
        p[i] = pi - stepSize * mi / (sqrtf(vv) * inverseRootCorrection2 + eps);
    }
}

// MARK: Normal draws (the 256-layer ziggurat of NormalZiggurat.swift, the same stream)

// The layer tables at every lane's layer: hardware gathers on AVX-512 and AVX2, lane by lane on the baseline.
TARGET INLINE void NAME(ziggurat_layers)(vu layer, const float *scale, const uint32_t *threshold, vf *layerScale,
                                         vu *layerThreshold) {
#if LANES == 16
    *layerScale = (vf)_mm512_i32gather_ps((__m512i)layer, scale, 4);
    *layerThreshold = (vu)_mm512_i32gather_epi32((__m512i)layer, (const int *)threshold, 4);
#elif LANES == 8
    *layerScale = (vf)_mm256_i32gather_ps(scale, (__m256i)layer, 4);
    *layerThreshold = (vu)_mm256_i32gather_epi32((const int *)threshold, (__m256i)layer, 4);
#else
    for (int l = 0; l < LANES; l++) {
        (*layerScale)[l] = scale[layer[l]];
        (*layerThreshold)[l] = threshold[layer[l]];
    }
#endif
}

// The lanes of `accepted` (all bits set or clear per lane) as a bit mask, lane 0 lowest.
TARGET INLINE unsigned NAME(lane_bits)(vi accepted) {
#if LANES == 16
    return (unsigned)_mm512_test_epi32_mask((__m512i)accepted, (__m512i)accepted);
#elif LANES == 8
    return (unsigned)_mm256_movemask_ps((__m256)accepted);
#else
    unsigned bits = 0;
    for (int l = 0; l < LANES; l++) bits |= (accepted[l] != 0 ? 1u : 0u) << l;
    return bits;
#endif
}

// `LANES` draws — `LANES / 2` generator words, low half first — per block: layer, sign and magnitude of every lane
// at once, stored when every lane is under the curve (≈ 85 % of 16-lane blocks). The words come from a buffer that
// the generator fills ahead of the blocks: `LANES / 2` words in each block's iteration, from a state kept in
// registers, so that its serial recurrence runs beside the block's vector work instead of before it; never more
// words than the fill is sure to use (see `stream_draw_ahead`), so the generator ends where drawing word by word
// would leave it. A block with a rejected lane keeps the lanes before that lane's word; that one word then goes
// through the scalar path (its rare path reads the next words of the stream, exactly as in Swift) and the blocks go
// on from the word after it.
TARGET static void NAME(normal_ziggurat)(uint64_t *state, float *out, size_t count, float mean, float sd,
                                         const float *scale, const uint32_t *threshold, const double *density,
                                         const double *squeeze, double tail) {
    uint64_t s[4] = {state[0], state[1], state[2], state[3]};
    word_stream w = {.state = s, .head = 0, .count = 0};
    size_t i = 0;
    vf meanVector = NAME(splat)(mean), sdVector = NAME(splat)(sd);
    // The generator's state while the blocks run (written back to `s` around every call that draws from it).
    uint64_t s0 = s[0], s1 = s[1], s2 = s[2], s3 = s[3];
#define SYNC_OUT() (s[0] = s0, s[1] = s1, s[2] = s2, s[3] = s3)
#define SYNC_IN() (s0 = s[0], s1 = s[1], s2 = s[2], s3 = s[3])
    while (i < count) {
        // The last few draws, and all of them on the baseline, whose lane-by-lane table lookups cost more than the
        // scalar loop.
        if (count - i < LANES || LANES == 4) {
            SYNC_OUT();
            ziggurat_word(&w, stream_next(&w), out, &i, count, mean, sd, scale, threshold, density, squeeze, tail);
            SYNC_IN();
            continue;
        }
        if (w.count - w.head < LANES / 2) {  // ≥ LANES / 2 words: count − i ≥ LANES
            SYNC_OUT();
            stream_draw_ahead(&w, count - i, LANES);
            SYNC_IN();
        }
        vu bits = *(const vu_u *)(w.pending + w.head);
        vu magnitude = bits >> 9;
        vf layerScale;
        vu layerThreshold;
        NAME(ziggurat_layers)(bits & 0xFF, scale, threshold, &layerScale, &layerThreshold);
        vf unsignedValue = __builtin_convertvector((vi)magnitude, vf) * layerScale;  // magnitude < 2^23: exact
        vf x = (vf)((vu)unsignedValue ^ ((bits & 0x100) << 23));
        vi accepted = (vi)(magnitude < layerThreshold);
        *(vf_u *)(out + i) = meanVector + sdVector * x;
        // Words for the blocks ahead, while this one's vector work is in flight: when the fill surely uses them (the
        // draws left, this block's included, need every pending word and these) and at most
        // `ZIGGURAT_WORDS_AHEAD` are pending — far enough ahead that a block's load finds its words written.
        int pending = w.count - w.head;
        if (pending + LANES / 2 <= ZIGGURAT_WORDS_AHEAD && (size_t)(pending + LANES / 2) <= (count - i + 1) / 2) {
            if (w.count + LANES / 2 > STREAM_CAPACITY) {  // move the few pending words to the front
                for (int k = 0; k < pending; k++) w.pending[k] = w.pending[w.head + k];
                w.head = 0;
                w.count = pending;
            }
            uint64_t *fresh = w.pending + w.count;
            for (int k = 0; k < LANES / 2; k++) XOSHIRO_STEP(s0, s1, s2, s3, fresh[k]);
            w.count += LANES / 2;
        }
        unsigned acceptedBits = NAME(lane_bits)(accepted);
        if (acceptedBits == (1u << LANES) - 1) {
            w.head += LANES / 2;
            i += LANES;
            continue;
        }
        // Draws before the rejected lane's word are final; that word goes through the scalar path (`ziggurat_word`,
        // written out here so that the generator stays in registers: a wedge test reads one more word, from the
        // buffer or the generator; only the tail calls out).
        int first = __builtin_ctz(~acceptedBits);
        i += (size_t)(first & ~1);
        w.head += first / 2;
        uint64_t word = w.pending[w.head++];
        for (int half = 0; half < 2 && i < count; half++) {
            uint32_t laneBits = (uint32_t)(word >> (32 * half));
            int layer;
            uint32_t laneMagnitude;
            float lane = ziggurat_candidate(laneBits, scale, &layer, &laneMagnitude);
            if (laneMagnitude < threshold[layer]) {
                out[i++] = mean + sd * lane;
                continue;
            }
            if (layer == 0) {
                double z;
                SYNC_OUT();
                int kept = ziggurat_slow_path(&w, 0, (double)lane, (laneBits & 0x100) != 0, density, squeeze, tail, &z);
                SYNC_IN();
                if (kept) out[i++] = mean + sd * (float)z;
                continue;
            }
            uint64_t uniformWord;
            if (w.head < w.count) {
                uniformWord = w.pending[w.head++];
            } else {
                XOSHIRO_STEP(s0, s1, s2, s3, uniformWord);
            }
            if (wedge_accepts(layer, (double)lane, (double)(uniformWord >> 11) * 0x1.0p-53, density, squeeze)) {
                out[i++] = mean + sd * lane;
            }
        }
    }
#undef SYNC_OUT
#undef SYNC_IN
    state[0] = s0;
    state[1] = s1;
    state[2] = s2;
    state[3] = s3;
}

// MARK: Causal softmax (the operations of Tensor.causalSoftmaxAlongLastAxis and Variable.causalSoftmax in Swift)

#if LANES == 16
// glibc's fast path of `expf` on 8 lanes, in double (see `expf_table` in Kernels.c).
TARGET INLINE __m256 NAME(expf8)(__m256 x) {
    __m512d inverse = _mm512_set1_pd(EXPF_INV_LN2_N), shift = _mm512_set1_pd(EXPF_SHIFT);
    __m512d xd = _mm512_cvtps_pd(x);
    __m512d kd = _mm512_fmadd_pd(inverse, xd, shift);
    __m512i ki = _mm512_castpd_si512(kd);
    kd = _mm512_sub_pd(kd, shift);
    __m512d r = _mm512_fmsub_pd(inverse, xd, kd);
    __m512d z = _mm512_fmadd_pd(r, _mm512_set1_pd(EXPF_C0), _mm512_set1_pd(EXPF_C1));
    __m512i index = _mm512_and_si512(ki, _mm512_set1_epi64(31));
    __m512i t = _mm512_add_epi64(_mm512_i64gather_epi64(index, (const void *)expf_table, 8), _mm512_slli_epi64(ki, 47));
    __m512d r2 = _mm512_mul_pd(r, r);
    __m512d y = _mm512_fmadd_pd(r, _mm512_set1_pd(EXPF_C2), _mm512_set1_pd(1.0));
    y = _mm512_fmadd_pd(z, r2, y);
    return _mm512_cvtpd_ps(_mm512_mul_pd(y, _mm512_castsi512_pd(t)));
}
#endif

// x[j] = expf(x[j]) for j < count, the C library's bits: on AVX-512 (whose CPUs all have FMA, so the library runs its
// FMA variant) its fast path on 16 lanes at a time, the library itself for other arguments and elsewhere.
TARGET static void NAME(exp_in_place)(float *x, size_t count) {
    size_t j = 0;
#if LANES == 16
    for (; j + 16 <= count; j += 16) {
        __m512 v = _mm512_loadu_ps(x + j);
        __m512i top = _mm512_and_si512(_mm512_srli_epi32(_mm512_castps_si512(v), 20), _mm512_set1_epi32(0x7ff));
        __mmask16 slow = _mm512_cmpgt_epu32_mask(top, _mm512_set1_epi32(EXPF_FAST_TOP));
        __m256 low = NAME(expf8)(_mm512_castps512_ps256(v));
        __m256 high = NAME(expf8)(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1)));
        float original[16];
        _mm512_storeu_ps(original, v);
        _mm256_storeu_ps(x + j, low);
        _mm256_storeu_ps(x + j + 8, high);
        for (int l = 0; slow && l < 16; l++)
            if (slow & (1u << l)) x[j + l] = expf(original[l]);
    }
#endif
    for (; j < count; j++) x[j] = expf(x[j]);
}

// Rows handled at once by the causal softmax's sums (independent chains).
#define SOFTMAX_GROUP 8

// One row's maximum of its first `seen` entries (strictly greater wins, NaN never does: Swift's loop; a maximum's
// zero sign cannot matter, x − (±0) being the same number for every x ≠ 0 and e^(±0) = 1), the differences x − max
// into `o` and their exponentials, zeros after them.
TARGET INLINE void NAME(softmax_exponentials)(const float *x, float *o, size_t seen, size_t t) {
    float m = -INFINITY;
    size_t j = 0;
    if (seen >= LANES) {
        vf mv = NAME(splat)(-INFINITY);
        for (; j + LANES <= seen; j += LANES) {
            vf v = NAME(load)(x + j);
            mv = NAME(select_where)(v > mv, v, mv);
        }
        for (int l = 0; l < LANES; l++)
            if (mv[l] > m) m = mv[l];
    }
    for (; j < seen; j++)
        if (x[j] > m) m = x[j];
    j = 0;
    for (; j + LANES <= seen; j += LANES) NAME(store)(o + j, NAME(load)(x + j) - m);
    for (; j < seen; j++) o[j] = x[j] - m;
    NAME(exp_in_place)(o, seen);
    memset(o + seen, 0, (t - seen) * sizeof(float));
}

// o[j] *= 1/s for j < seen.
TARGET INLINE void NAME(softmax_normalize)(float *o, float s, size_t seen) {
    float inverse = 1.0f / s;
    size_t j = 0;
    for (; j + LANES <= seen; j += LANES) NAME(store)(o + j, NAME(load)(o + j) * inverse);
    for (; j < seen; j++) o[j] *= inverse;
}

TARGET static void NAME(causal_softmax)(const float *x, float *out, size_t blocks, size_t t) {
    for (size_t b = 0; b < blocks; b++) {
        const float *xb = x + b * t * t;
        float *ob = out + b * t * t;
        size_t i = 0;
        for (; i + SOFTMAX_GROUP <= t; i += SOFTMAX_GROUP) {
            for (int q = 0; q < SOFTMAX_GROUP; q++)
                NAME(softmax_exponentials)(xb + (i + q) * t, ob + (i + q) * t, i + q + 1, t);
            // Σ e in order from +0, the rows' chains side by side: the zeros after a row's visible entries leave
            // its sum unchanged (e ≥ 0, so the sum is never −0).
            float s[SOFTMAX_GROUP] = {0};
            for (size_t j = 0; j < i + SOFTMAX_GROUP; j++)
                for (int q = 0; q < SOFTMAX_GROUP; q++) s[q] += ob[(i + q) * t + j];
            for (int q = 0; q < SOFTMAX_GROUP; q++) NAME(softmax_normalize)(ob + (i + q) * t, s[q], i + q + 1);
        }
        for (; i < t; i++) {
            float *o = ob + i * t;
            NAME(softmax_exponentials)(xb + i * t, o, i + 1, t);
            float s = 0;
            for (size_t j = 0; j <= i; j++) s += o[j];
            NAME(softmax_normalize)(o, s, i + 1);
        }
    }
}

// One row's gradient y·(g − dot) over its visible entries, zeros after them.
TARGET INLINE void NAME(softmax_gradient_row)(const float *y, const float *g, float *dx, float dot, size_t seen,
                                              size_t t) {
    size_t j = 0;
    for (; j + LANES <= seen; j += LANES) NAME(store)(dx + j, NAME(load)(y + j) * (NAME(load)(g + j) - dot));
    for (; j < seen; j++) dx[j] = y[j] * (g[j] - dot);
    memset(dx + seen, 0, (t - seen) * sizeof(float));
}

TARGET static void NAME(causal_softmax_backward)(const float *y, const float *g, float *dx, size_t blocks, size_t t) {
    for (size_t b = 0; b < blocks; b++) {
        const float *yb = y + b * t * t, *gb = g + b * t * t;
        float *db = dx + b * t * t;
        size_t i = 0;
        for (; i + SOFTMAX_GROUP <= t; i += SOFTMAX_GROUP) {
            // dot = Σ_{j ≤ row} g·y in order from +0: the rows' chains side by side over the entries all of them
            // see, then each row's last few on its own.
            float dot[SOFTMAX_GROUP] = {0};
            for (size_t j = 0; j <= i; j++)
                for (int q = 0; q < SOFTMAX_GROUP; q++) dot[q] += gb[(i + q) * t + j] * yb[(i + q) * t + j];
            for (int q = 1; q < SOFTMAX_GROUP; q++)
                for (size_t j = i + 1; j <= i + q; j++) dot[q] += gb[(i + q) * t + j] * yb[(i + q) * t + j];
            for (int q = 0; q < SOFTMAX_GROUP; q++)
                NAME(softmax_gradient_row)(yb + (i + q) * t, gb + (i + q) * t, db + (i + q) * t, dot[q], i + q + 1, t);
        }
        for (; i < t; i++) {
            float dot = 0;
            for (size_t j = 0; j <= i; j++) dot += gb[i * t + j] * yb[i * t + j];
            NAME(softmax_gradient_row)(yb + i * t, gb + i * t, db + i * t, dot, i + 1, t);
        }
    }
}
