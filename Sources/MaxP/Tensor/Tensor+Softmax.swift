import CMaxPKernels

/// Numerically stable softmax kernels over the last axis of a raw tensor (the row maximum is subtracted before
/// exponentiating, so no input overflows).
extension Tensor {
    /// `exp(x − max) / Σ exp(x − max)` along the last axis; every row sums to 1.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func softmaxAlongLastAxis() -> Tensor {
        let n = lastDimension, rows = n == 0 ? 0 : count / n
        return Tensor(shape: shape) { out in
            scalars.withUnsafeBufferPointer { x in
                for r in 0..<rows {
                    let base = r * n
                    var m = -Scalar.infinity
                    for j in 0..<n where x[base + j] > m { m = x[base + j] }
                    var s: Scalar = 0
                    for j in 0..<n {
                        let e = Scalar.exp(x[base + j] - m)
                        out[base + j] = e
                        s += e
                    }
                    let inv = 1 / s
                    for j in 0..<n { out[base + j] *= inv }
                }
            }
        }
    }

    /// `x − max − log Σ exp(x − max)` along the last axis: the logarithm of the softmax, without underflow.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func logSoftmaxAlongLastAxis() -> Tensor {
        let n = lastDimension, rows = n == 0 ? 0 : count / n
        let isFloat = Scalar.self == Float.self
        return Tensor(shape: shape) { out in
            scalars.withUnsafeBufferPointer { x in
                for r in 0..<rows {
                    let base = r * n
                    var m = -Scalar.infinity
                    for j in 0..<n where x[base + j] > m { m = x[base + j] }
                    var s: Scalar = 0
                    if isFloat {  // e^(x − max) into the output row by the vector kernel (libm's bits), summed in order
                        for j in 0..<n { out[base + j] = x[base + j] - m }
                        maxp_exp_f32(UnsafeMutableRawPointer(out.baseAddress! + base).assumingMemoryBound(to: Float.self), n)
                        for j in 0..<n { s += out[base + j] }
                    } else {
                        for j in 0..<n { s += Scalar.exp(x[base + j] - m) }
                    }
                    let shift = m + Scalar.log(s)
                    for j in 0..<n { out[base + j] = x[base + j] - shift }
                }
            }
        }
    }
}

/// The causal softmax of attention weights, fused with its mask.
extension Tensor {
    /// For scores `[…, T, T]`: in each `T × T` block, row `i` is the softmax of its entries `0…i` (a query sees
    /// itself and earlier keys), and entries above the diagonal are exactly 0. Equal, bit for bit, to masking with a
    /// large negative fill and then ``softmaxAlongLastAxis()``, without writing or exponentiating the masked half.
    /// `Float` runs the C kernel `maxp_causal_softmax_f32` (vectorized, several rows' sums at once, the same bits).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func causalSoftmaxAlongLastAxis() -> Tensor {
        precondition(
            rank >= 2 && shape[rank - 1] == shape[rank - 2],
            "causalSoftmax: scores must be […, T, T] (square in the last two dimensions), got \(shape)")
        let t = lastDimension, rows = t == 0 ? 0 : count / t
        if Scalar.self == Float.self && count > 0 {  // the C kernel: the same operations, libm's `expf` bits
            return Tensor(shape: shape) { out in
                scalars.withUnsafeBytes { x in
                    maxp_causal_softmax_f32(
                        x.baseAddress!.assumingMemoryBound(to: Float.self),
                        UnsafeMutableRawPointer(out.baseAddress!).assumingMemoryBound(to: Float.self), rows / t, t)
                }
            }
        }
        return Tensor(shape: shape) { out in
            scalars.withUnsafeBufferPointer { x in
                for r in 0..<rows {
                    let base = r * t, seen = r % t + 1
                    var m = -Scalar.infinity
                    for j in 0..<seen where x[base + j] > m { m = x[base + j] }
                    var s: Scalar = 0
                    for j in 0..<seen {
                        let e = Scalar.exp(x[base + j] - m)
                        out[base + j] = e
                        s += e
                    }
                    let inv = 1 / s
                    for j in 0..<seen { out[base + j] *= inv }
                    for j in seen..<t { out[base + j] = 0 }
                }
            }
        }
    }
}
