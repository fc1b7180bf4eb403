import CMaxPKernels

/// Differentiable training losses, each returning the mean over examples as a rank-0 tensor (shape `[]`).
extension Variable {
    /// Mean cross-entropy of logits `[…, V]` (flattened to `[N, V]`) against integer class targets (`N` of them,
    /// each in `0..<V`): `mean_i (log Σ_k e^(x_ik) − x_i,t_i)`, computed through a stable log-softmax.
    ///
    /// Gradient: `(softmax(x_i) − onehot(t_i)) / N`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func crossEntropy(targets: [Int]) -> Variable {
        let logits = value
        precondition(logits.rank >= 1, "crossEntropy: logits must be […, V], got shape \(logits.shape)")
        let v = logits.lastDimension, rows = logits.rowCount
        precondition(
            targets.count == rows,
            "crossEntropy: logits \(logits.shape) hold \(rows) rows but \(targets.count) targets were given")
        precondition(rows > 0, "crossEntropy: logits \(logits.shape) hold no rows")
        for t in targets {
            precondition(t >= 0 && t < v, "crossEntropy: target \(t) is out of range for \(v) classes (logits \(logits.shape))")
        }
        let logProbabilities = logits.logSoftmaxAlongLastAxis()
        var total = 0.0
        logProbabilities.scalars.withUnsafeBufferPointer { lp in
            for r in 0..<rows { total -= Double(lp[r * v + targets[r]]) }
        }
        let loss = Tensor<Scalar>(scalar: Scalar(total / Double(rows)))
        return tape.record(.crossEntropy, inputs: [self], value: loss) { g in
            let factor = g.scalars[0] / Scalar(rows)
            let dx = Tensor<Scalar>(shape: logits.shape) { o in
                logProbabilities.scalars.withUnsafeBufferPointer { lp in
                    if Scalar.self == Float.self {  // e^lp by the vector kernel (libm's bits), then scaled
                        o.baseAddress!.initialize(from: lp.baseAddress!, count: o.count)
                        maxp_exp_f32(UnsafeMutableRawPointer(o.baseAddress!).assumingMemoryBound(to: Float.self), o.count)
                        for i in 0..<o.count { o[i] = factor * o[i] }
                    } else {
                        for i in 0..<o.count { o[i] = factor * Scalar.exp(lp[i]) }
                    }
                    for r in 0..<rows { o[r * v + targets[r]] -= factor }
                }
            }
            return [dx]
        }
    }

    /// Mean squared error against a constant target of the same shape: `mean((x − target)²)`.
    ///
    /// Gradient: `2 (x − target) / N`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func meanSquaredError(target: Tensor<Scalar>) -> Variable {
        let x = value
        precondition(
            x.shape == target.shape,
            "meanSquaredError: prediction \(x.shape) and target \(target.shape) differ in shape")
        precondition(x.count > 0, "meanSquaredError: prediction \(x.shape) has no elements")
        let difference = x.subtracting(target)
        var total = 0.0
        difference.scalars.withUnsafeBufferPointer { d in
            for v in d { total += Double(v) * Double(v) }
        }
        let loss = Tensor<Scalar>(scalar: Scalar(total / Double(x.count)))
        let n = Scalar(x.count)
        return tape.record(.meanSquaredError, inputs: [self], value: loss) { g in
            [difference.scaled(by: 2 * g.scalars[0] / n)]
        }
    }
}
