import CMaxPKernels

/// Differentiable layer normalization and RMS normalization over the last axis, with optional gain and bias.
extension Variable {
    /// Layer normalization over the last axis: `y = (x − μ) · (σ² + ε)^-1/2 · gain + bias`, with the mean `μ` and
    /// the biased variance `σ²` of each row. `gain` and `bias` (shape `[n]`, `n` the last dimension) are optional.
    ///
    /// Gradient (exact): with `x̂` the normalized row, `r = (σ² + ε)^-1/2` and `ĝ = g · gain`,
    /// `dx = r · (ĝ − mean(ĝ) − x̂ · mean(ĝ · x̂))`, `dgain = Σ_rows g · x̂`, `dbias = Σ_rows g`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func layerNorm(gain: Variable? = nil, bias: Variable? = nil, epsilon: Scalar = 1e-5) -> Variable {
        let x = value
        precondition(x.rank >= 1, "layerNorm: needs rank ≥ 1, got shape \(x.shape)")
        let n = x.lastDimension, rows = x.rowCount
        precondition(n > 0, "layerNorm: last dimension of \(x.shape) is 0")
        let gainValue = gain.map { checkedAffine($0, width: n, op: "layerNorm", role: "gain") }
        let biasValue = bias.map { checkedAffine($0, width: n, op: "layerNorm", role: "bias") }
        if Scalar.self == Float.self && rows > 0 {
            return floatLayerNorm(gain: gain, bias: bias, gainValue: gainValue, biasValue: biasValue, epsilon: epsilon)
        }
        let inverseN = 1 / Scalar(n)
        var inverseStd = [Scalar](repeating: 0, count: rows)
        let normalized = Tensor<Scalar>(shape: x.shape) { o in
            x.scalars.withUnsafeBufferPointer { p in
                inverseStd.withUnsafeMutableBufferPointer { rs in
                    for r in 0..<rows {
                        let base = r * n
                        let mean = Self.rowSum(n) { p[base + $0] } * inverseN
                        let variance = Self.rowSum(n) { j in
                            let d = p[base + j] - mean
                            return d * d
                        } * inverseN
                        let rstd = 1 / (variance + epsilon).squareRoot()
                        rs[r] = rstd
                        for j in 0..<n { o[base + j] = (p[base + j] - mean) * rstd }
                    }
                }
            }
        }
        let out = Self.affine(normalized, gain: gainValue, bias: biasValue, rows: rows, width: n)
        let inputs = [self] + [gain, bias].compactMap { $0 }
        // The pullback must capture values, never a `Variable`: a variable holds its tape, and the tape holds the
        // pullback, so capturing `gain` or `bias` here kept every tape (and its whole graph) alive forever.
        let hasGain = gain != nil, hasBias = bias != nil
        let rstds = inverseStd
        return tape.record(.layerNorm, inputs: inputs, value: out) { g in
            let dx = Tensor<Scalar>(shape: x.shape) { o in
                normalized.scalars.withUnsafeBufferPointer { xh in
                    g.scalars.withUnsafeBufferPointer { gp in
                        rstds.withUnsafeBufferPointer { rs in
                            Self.scaledGradient(gp, gain: gainValue, into: o, rows: rows, width: n)
                            for r in 0..<rows {
                                let base = r * n
                                let m1 = Self.rowSum(n) { o[base + $0] } * inverseN
                                let m2 = Self.rowSum(n) { o[base + $0] * xh[base + $0] } * inverseN
                                let rstd = rs[r]
                                for j in 0..<n { o[base + j] = rstd * (o[base + j] - m1 - xh[base + j] * m2) }
                            }
                        }
                    }
                }
            }
            var grads: [Tensor<Scalar>?] = [dx]
            if hasGain { grads.append(Self.gainGradient(g, normalized: normalized, rows: rows, width: n)) }
            if hasBias { grads.append(Tensor(shape: [n], scalars: g.summedRows(width: n))) }
            return grads
        }
    }

    /// ``layerNorm(gain:bias:epsilon:)`` in `Float` through the C kernels `maxp_layer_norm_forward_f32` /
    /// `maxp_layer_norm_backward_f32`: the same operations in the same order (bit for bit the same values and
    /// gradients), vectorized, with the affine map fused into the normalizing pass and every gradient — the input's
    /// added onto its earlier one — in one backward pass.
    private func floatLayerNorm(
        gain: Variable?, bias: Variable?, gainValue: Tensor<Scalar>?, biasValue: Tensor<Scalar>?, epsilon: Scalar
    ) -> Variable {
        let x = value
        let n = x.lastDimension, rows = x.rowCount
        let affine = gainValue != nil || biasValue != nil
        var inverseStd = [Scalar](repeating: 0, count: rows), means = inverseStd
        // With a gain or bias only the output is stored: the backward pass recomputes x̂ from `x` and the row
        // statistics (the same operations), which saves writing and keeping a second tensor of the input's size.
        let run = { (normalized: UnsafeMutablePointer<Float>?, out: UnsafeMutablePointer<Float>?) in
            Self.withFloatPointer(x.scalars) { p in
                Self.withFloatPointer(gainValue?.scalars) { gn in
                    Self.withFloatPointer(biasValue?.scalars) { bs in
                        inverseStd.withUnsafeMutableBufferPointer { rs in
                            means.withUnsafeMutableBufferPointer { ms in
                                maxp_layer_norm_forward_f32(
                                    p, normalized, Self.floatPointer(ms.baseAddress!), Self.floatPointer(rs.baseAddress!),
                                    out, gn, bs, rows, n, Float(epsilon))
                            }
                        }
                    }
                }
            }
        }
        let out = Tensor<Scalar>(shape: x.shape) { y in
            affine ? run(nil, Self.floatPointer(y.baseAddress!)) : run(Self.floatPointer(y.baseAddress!), nil)
        }
        let normalized: Tensor<Scalar>? = affine ? nil : out
        let inputs = [self] + [gain, bias].compactMap { $0 }
        let hasGain = gain != nil, hasBias = bias != nil  // never capture a `Variable` (see `layerNorm`)
        let rstds = inverseStd, rowMeans = means
        return tape.record(.layerNorm, inputs: inputs, value: out, accumulatingPullback: { g, slots in
            // One pass over the rows: the input gradient added onto the input's earlier gradient (the residual
            // stream's), the gain and bias gradients summed in row order (as `gainGradient` and `summedRows`).
            let earlier = slots[0]
            var gainGradient: Tensor<Scalar>?, biasGradient: Tensor<Scalar>?
            let dx = Tensor<Scalar>(shape: x.shape) { o in
                var gainSums = [Scalar](repeating: 0, count: hasGain ? n : 0)
                var biasSums = [Scalar](repeating: 0, count: hasBias ? n : 0)
                Self.withFloatPointer(g.scalars) { gp in
                    Self.withFloatPointer(normalized?.scalars) { xh in
                        Self.withFloatPointer(x.scalars) { p in
                            Self.withFloatPointer(rowMeans) { ms in
                                Self.withFloatPointer(rstds) { rs in
                                    Self.withFloatPointer(gainValue?.scalars) { gn in
                                        Self.withFloatPointer(earlier?.scalars) { before in
                                            gainSums.withUnsafeMutableBufferPointer { dg in
                                                biasSums.withUnsafeMutableBufferPointer { db in
                                                    maxp_layer_norm_backward_f32(
                                                        gp, xh, p, ms, rs, gn, before, Self.floatPointer(o.baseAddress!),
                                                        hasGain ? Self.floatPointer(dg.baseAddress!) : nil,
                                                        hasBias ? Self.floatPointer(db.baseAddress!) : nil, rows, n)
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                if hasGain { gainGradient = Tensor(shape: [n], scalars: gainSums) }
                if hasBias { biasGradient = Tensor(shape: [n], scalars: biasSums) }
            }
            slots[0] = dx
            var next = 1
            if hasGain {
                slots[next] = Tape<Scalar>.accumulated(slots[next], gainGradient)
                next += 1
            }
            if hasBias { slots[next] = Tape<Scalar>.accumulated(slots[next], biasGradient) }
        })
    }

    /// Runs `body` with the storage of `scalars` (`Scalar == Float`) as a float pointer, `nil` for no array.
    private static func withFloatPointer<R>(_ scalars: [Scalar]?, _ body: (UnsafePointer<Float>?) -> R) -> R {
        guard let scalars else { return body(nil) }
        return scalars.withUnsafeBufferPointer { buffer in
            body(buffer.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: Float.self) })
        }
    }

    /// The same address as a float pointer (`Scalar == Float`).
    private static func floatPointer(_ pointer: UnsafeMutablePointer<Scalar>) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer(pointer).assumingMemoryBound(to: Float.self)
    }

    /// RMS normalization over the last axis: `y = x · (mean(x²) + ε)^-1/2 · gain`; `gain` (shape `[n]`) is optional.
    ///
    /// Gradient (exact): with `x̂ = x · r`, `r = (mean(x²) + ε)^-1/2` and `ĝ = g · gain`,
    /// `dx = r · (ĝ − x̂ · mean(ĝ · x̂))`, `dgain = Σ_rows g · x̂`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func rmsNorm(gain: Variable? = nil, epsilon: Scalar = 1e-6) -> Variable {
        let x = value
        precondition(x.rank >= 1, "rmsNorm: needs rank ≥ 1, got shape \(x.shape)")
        let n = x.lastDimension, rows = x.rowCount
        precondition(n > 0, "rmsNorm: last dimension of \(x.shape) is 0")
        let gainValue = gain.map { checkedAffine($0, width: n, op: "rmsNorm", role: "gain") }
        let inverseN = 1 / Scalar(n)
        var inverseRMS = [Scalar](repeating: 0, count: rows)
        let normalized = Tensor<Scalar>(shape: x.shape) { o in
            x.scalars.withUnsafeBufferPointer { p in
                inverseRMS.withUnsafeMutableBufferPointer { rs in
                    for r in 0..<rows {
                        let base = r * n
                        let meanSquare = Self.rowSum(n) { p[base + $0] * p[base + $0] } * inverseN
                        let rr = 1 / (meanSquare + epsilon).squareRoot()
                        rs[r] = rr
                        for j in 0..<n { o[base + j] = p[base + j] * rr }
                    }
                }
            }
        }
        let out = Self.affine(normalized, gain: gainValue, bias: nil, rows: rows, width: n)
        let inputs = [self] + [gain].compactMap { $0 }
        let hasGain = gain != nil  // a captured `Variable` would keep the tape alive (see `layerNorm`)
        let factors = inverseRMS
        return tape.record(.rmsNorm, inputs: inputs, value: out) { g in
            let dx = Tensor<Scalar>(shape: x.shape) { o in
                normalized.scalars.withUnsafeBufferPointer { xh in
                    g.scalars.withUnsafeBufferPointer { gp in
                        factors.withUnsafeBufferPointer { rs in
                            Self.scaledGradient(gp, gain: gainValue, into: o, rows: rows, width: n)
                            for r in 0..<rows {
                                let base = r * n
                                let m2 = Self.rowSum(n) { o[base + $0] * xh[base + $0] } * inverseN
                                let rr = rs[r]
                                for j in 0..<n { o[base + j] = rr * (o[base + j] - xh[base + j] * m2) }
                            }
                        }
                    }
                }
            }
            var grads: [Tensor<Scalar>?] = [dx]
            if hasGain { grads.append(Self.gainGradient(g, normalized: normalized, rows: rows, width: n)) }
            return grads
        }
    }

    // MARK: Shared kernels

    /// `Σ_{j<n} term(j)` in four interleaved partial sums, added in a fixed order (deterministic): a single running
    /// sum waits on every addition, which made the row statistics of a norm cost as much as its elementwise passes.
    @inline(__always)
    private static func rowSum(_ n: Int, _ term: (Int) -> Scalar) -> Scalar {
        var s0: Scalar = 0, s1: Scalar = 0, s2: Scalar = 0, s3: Scalar = 0
        var j = 0
        while j + 4 <= n {
            s0 += term(j)
            s1 += term(j + 1)
            s2 += term(j + 2)
            s3 += term(j + 3)
            j += 4
        }
        while j < n {
            s0 += term(j)
            j += 1
        }
        return (s0 + s1) + (s2 + s3)
    }

    private func checkedAffine(_ v: Variable, width: Int, op: String, role: String) -> Tensor<Scalar> {
        precondition(v.tape === tape, "\(op): \(role) belongs to another tape")
        precondition(
            v.shape == [width],
            "\(op): \(role) has shape \(v.shape) but the input \(shape) needs [\(width)] (its last dimension)")
        return v.value
    }

    /// `normalized · gain + bias`, row by row (either may be absent).
    private static func affine(
        _ normalized: Tensor<Scalar>, gain: Tensor<Scalar>?, bias: Tensor<Scalar>?, rows: Int, width n: Int
    ) -> Tensor<Scalar> {
        if gain == nil && bias == nil { return normalized }
        let gainScalars = gain?.scalars ?? [Scalar](repeating: 1, count: n)
        let biasScalars = bias?.scalars ?? [Scalar](repeating: 0, count: n)
        return Tensor(shape: normalized.shape) { o in
            normalized.scalars.withUnsafeBufferPointer { xh in
                gainScalars.withUnsafeBufferPointer { gn in
                    biasScalars.withUnsafeBufferPointer { bs in
                        for r in 0..<rows {
                            let base = r * n
                            for j in 0..<n { o[base + j] = xh[base + j] * gn[j] + bs[j] }
                        }
                    }
                }
            }
        }
    }

    /// Writes `g · gain` (or `g`) into `o`.
    private static func scaledGradient(
        _ g: UnsafeBufferPointer<Scalar>, gain: Tensor<Scalar>?, into o: UnsafeMutableBufferPointer<Scalar>,
        rows: Int, width n: Int
    ) {
        guard let gain else {
            for i in 0..<(rows * n) { o[i] = g[i] }
            return
        }
        gain.scalars.withUnsafeBufferPointer { gn in
            for r in 0..<rows {
                let base = r * n
                for j in 0..<n { o[base + j] = g[base + j] * gn[j] }
            }
        }
    }

    /// `Σ_rows g · x̂`, the gradient of the gain.
    private static func gainGradient(
        _ g: Tensor<Scalar>, normalized: Tensor<Scalar>, rows: Int, width n: Int
    ) -> Tensor<Scalar> {
        Tensor(shape: [n]) { o in
            o.initialize(repeating: 0)
            g.scalars.withUnsafeBufferPointer { gp in
                normalized.scalars.withUnsafeBufferPointer { xh in
                    for r in 0..<rows {
                        let base = r * n
                        for j in 0..<n { o[j] += gp[base + j] * xh[base + j] }
                    }
                }
            }
        }
    }
}
