/// Differentiable softmax and log-softmax over the last axis (numerically stable: the row maximum is subtracted).
extension Variable {
    /// `softmax(x)_j = e^(x_j) / Σ_k e^(x_k)` over the last axis; every row sums to 1.
    ///
    /// Gradient: `dx = y ⊙ (g − Σ_j g_j y_j)` per row.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func softmax() -> Variable {
        let x = value
        precondition(x.rank >= 1, "softmax: needs rank ≥ 1, got shape \(x.shape)")
        let y = x.softmaxAlongLastAxis()
        let n = x.lastDimension, rows = x.rowCount
        return tape.record(.softmax, inputs: [self], value: y) { g in
            let dx = Tensor<Scalar>(shape: x.shape) { o in
                y.scalars.withUnsafeBufferPointer { yp in
                    g.scalars.withUnsafeBufferPointer { gp in
                        for r in 0..<rows {
                            let base = r * n
                            var dot: Scalar = 0
                            for j in 0..<n { dot += gp[base + j] * yp[base + j] }
                            for j in 0..<n { o[base + j] = yp[base + j] * (gp[base + j] - dot) }
                        }
                    }
                }
            }
            return [dx]
        }
    }

    /// `log softmax(x) = x − log Σ_k e^(x_k)` over the last axis, computed without underflow.
    ///
    /// Gradient: `dx = g − softmax(x) · Σ_j g_j` per row.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func logSoftmax() -> Variable {
        let x = value
        precondition(x.rank >= 1, "logSoftmax: needs rank ≥ 1, got shape \(x.shape)")
        let y = x.logSoftmaxAlongLastAxis()
        let n = x.lastDimension, rows = x.rowCount
        return tape.record(.logSoftmax, inputs: [self], value: y) { g in
            let dx = Tensor<Scalar>(shape: x.shape) { o in
                y.scalars.withUnsafeBufferPointer { yp in
                    g.scalars.withUnsafeBufferPointer { gp in
                        for r in 0..<rows {
                            let base = r * n
                            var total: Scalar = 0
                            for j in 0..<n { total += gp[base + j] }
                            for j in 0..<n { o[base + j] = gp[base + j] - Scalar.exp(yp[base + j]) * total }
                        }
                    }
                }
            }
            return [dx]
        }
    }
}
