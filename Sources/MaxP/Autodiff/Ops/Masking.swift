/// Differentiable causal masking of attention scores.
extension Variable {
    /// Scores `[…, T, T]` with every entry above the diagonal (column > row: a query looking at a later key)
    /// replaced by `fill` (`-1e9` by default: large enough that softmax gives exactly 0 there, finite so no NaN
    /// appears). Masked entries receive zero gradient; the others pass it through.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func causalMasked(fill: Scalar = -1e9) -> Variable {
        let x = value
        precondition(
            x.rank >= 2 && x.shape[x.rank - 1] == x.shape[x.rank - 2],
            "causalMasked: scores must be […, T, T] (square in the last two dimensions), got \(x.shape)")
        let t = x.lastDimension
        let matrices = t == 0 ? 0 : x.count / (t * t)
        let out = Tensor<Scalar>(shape: x.shape) { o in
            x.scalars.withUnsafeBufferPointer { p in
                Self.applyCausalMask(source: p, into: o, matrices: matrices, size: t, fill: fill)
            }
        }
        return tape.record(.causalMask, inputs: [self], value: out) { g in
            let dx = Tensor<Scalar>(shape: x.shape) { o in
                g.scalars.withUnsafeBufferPointer { gp in
                    Self.applyCausalMask(source: gp, into: o, matrices: matrices, size: t, fill: 0)
                }
            }
            return [dx]
        }
    }

    /// Copies `source` into `o`, writing `fill` wherever column > row in each `size × size` matrix.
    private static func applyCausalMask(
        source p: UnsafeBufferPointer<Scalar>, into o: UnsafeMutableBufferPointer<Scalar>, matrices: Int, size t: Int,
        fill: Scalar
    ) {
        for m in 0..<matrices {
            for row in 0..<t {
                let base = (m * t + row) * t
                for col in 0...row { o[base + col] = p[base + col] }
                for col in (row + 1)..<t { o[base + col] = fill }
            }
        }
    }
}
