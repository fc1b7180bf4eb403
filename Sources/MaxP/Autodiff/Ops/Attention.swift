import CMaxPKernels

/// Differentiable multi-head attention products and the causal softmax, on sequences whose last axis holds the
/// heads side by side (`[B, T, H·d]`): no reshape or transpose of heads is recorded or copied (see
/// ``Tensor/headScores(keys:heads:)`` and ``Tensor/headMixture(_:heads:transposeBlocks:)``).
extension Variable {
    /// Per-head scores `S[b, h] = Q_bh · K_bhᵀ` for queries `self` `[B, Tq, H·d]` and `keys` `[B, Tk, H·d]`:
    /// `[B, H, Tq, Tk]`, recorded as a ``OpKind/matmul``.
    ///
    /// Gradients: `dQ_bh = dS_bh · K_bh`, `dK_bh = dS_bhᵀ · Q_bh` (skipped for inputs that need none). With `causal`
    /// only the scores at or below each block's diagonal may reach the output (a ``causalSoftmax()`` follows): the
    /// gradient above it is then zero, and the products skip that half (the same bits).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func headScores(keys: Variable, heads: Int, causal: Bool = false) -> Variable {
        precondition(keys.tape === tape, "headScores: queries and keys belong to different tapes")
        let q = value, k = keys.value
        let out = q.headScores(keys: k, heads: heads)
        let needsQueries = tape.requiresGradient(self), needsKeys = tape.requiresGradient(keys)
        return tape.record(.matmul, inputs: [self, keys], value: out) { g in
            [needsQueries ? g.headMixture(k, heads: heads, causal: causal) : nil,
             needsKeys ? g.headMixture(q, heads: heads, transposeBlocks: true, causal: causal) : nil]
        }
    }

    /// Values mixed by per-head attention weights: `O_bh = W_bh · V_bh` for weights `self` `[B, H, Tq, Tk]` and
    /// `values` `[B, Tk, H·d]`, giving `[B, Tq, H·d]` (heads side by side), recorded as a ``OpKind/matmul``.
    ///
    /// Gradients: `dW_bh = dO_bh · V_bhᵀ`, `dV_bh = W_bhᵀ · dO_bh`. With `causal` the weights must be zero above each
    /// block's diagonal (a ``causalSoftmax()``'s output): the products with them skip that half (the same bits).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func mixingHeads(of values: Variable, heads: Int, causal: Bool = false) -> Variable {
        precondition(values.tape === tape, "mixingHeads: weights and values belong to different tapes")
        let w = value, v = values.value
        let out = w.headMixture(v, heads: heads, causal: causal)
        let needsWeights = tape.requiresGradient(self), needsValues = tape.requiresGradient(values)
        return tape.record(.matmul, inputs: [self, values], value: out) { g in
            [needsWeights ? g.headScores(keys: v, heads: heads) : nil,
             needsValues ? w.headMixture(g, heads: heads, transposeBlocks: true, causal: causal) : nil]
        }
    }

    /// The causal softmax of scores `[…, T, T]`: row `i` of each block is the softmax of its entries `0…i`, entries
    /// above the diagonal are exactly 0 (``causalMasked(fill:)`` followed by ``softmax()`` in one op of kind
    /// ``OpKind/softmax``, bit for bit the same values and gradients).
    ///
    /// Gradient: `dx = y ⊙ (g − Σ_j g_j y_j)` over the visible entries of each row, 0 above the diagonal.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func causalSoftmax() -> Variable {
        let y = value.causalSoftmaxAlongLastAxis()
        let t = y.lastDimension, rows = t == 0 ? 0 : y.count / t
        let inPlace = !tape.retainsOpGradients  // in the output gradient's storage when the tape drops it (see `gelu`)
        return tape.record(.softmax, inputs: [self], value: y, accumulatingPullback: { g, slots in
            if Scalar.self == Float.self && y.count > 0 {
                // The C kernel (the same operations, in the same order); in place each row's sum is taken before the
                // row is written (see `Tape.AccumulatingPullback`).
                let run = { (gp: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>) in
                    y.scalars.withUnsafeBytes { yp in
                        maxp_causal_softmax_backward_f32(yp.baseAddress!.assumingMemoryBound(to: Float.self), gp, dx,
                                                         rows / t, t)
                    }
                }
                if inPlace {
                    g.scalars.withUnsafeMutableBytes { gp in
                        let gradient = gp.baseAddress!.assumingMemoryBound(to: Float.self)
                        run(gradient, gradient)
                    }
                    slots[0] = Tape<Scalar>.accumulated(slots[0], g)
                } else {
                    let dx = Tensor<Scalar>(shape: y.shape) { o in
                        g.scalars.withUnsafeBytes { gp in
                            run(gp.baseAddress!.assumingMemoryBound(to: Float.self),
                                UnsafeMutableRawPointer(o.baseAddress!).assumingMemoryBound(to: Float.self))
                        }
                    }
                    slots[0] = Tape<Scalar>.accumulated(slots[0], dx)
                }
                return
            }
            let dx = Tensor<Scalar>(shape: y.shape) { o in
                y.scalars.withUnsafeBufferPointer { yp in
                    g.scalars.withUnsafeBufferPointer { gp in
                        for r in 0..<rows {
                            let base = r * t, seen = r % t + 1
                            var dot: Scalar = 0
                            for j in 0..<seen { dot += gp[base + j] * yp[base + j] }
                            for j in 0..<seen { o[base + j] = yp[base + j] * (gp[base + j] - dot) }
                            for j in seen..<t { o[base + j] = 0 }
                        }
                    }
                }
            }
            slots[0] = Tape<Scalar>.accumulated(slots[0], dx)
        })
    }
}
