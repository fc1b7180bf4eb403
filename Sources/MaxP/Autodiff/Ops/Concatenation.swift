/// Differentiable concatenation along an axis.
extension Variable {
    /// `self` and `other` joined along `axis` (negative counts from the end); all other dimensions must agree.
    ///
    /// Gradient: the output gradient split back into the two parts.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func concatenated(with other: Variable, alongAxis axis: Int) -> Variable {
        precondition(other.tape === tape, "concatenated: operands belong to different tapes")
        let a = value, b = other.value
        let resolved = a.normalizedAxis(axis, op: "concatenated")
        var aRest = a.shape, bRest = b.shape
        precondition(a.rank == b.rank, "concatenated: ranks of \(a.shape) and \(b.shape) differ")
        aRest.remove(at: resolved)
        bRest.remove(at: resolved)
        precondition(
            aRest == bRest,
            "concatenated: shapes \(a.shape) and \(b.shape) differ outside axis \(axis)")
        let outer = a.shape[..<resolved].reduce(1, *)
        let aBlock = a.shape[resolved...].reduce(1, *), bBlock = b.shape[resolved...].reduce(1, *)
        var outShape = a.shape
        outShape[resolved] += b.shape[resolved]
        let out = Tensor<Scalar>(shape: outShape) { o in
            a.scalars.withUnsafeBufferPointer { ap in
                b.scalars.withUnsafeBufferPointer { bp in
                    for r in 0..<outer {
                        let dst = r * (aBlock + bBlock)
                        for i in 0..<aBlock { o[dst + i] = ap[r * aBlock + i] }
                        for i in 0..<bBlock { o[dst + aBlock + i] = bp[r * bBlock + i] }
                    }
                }
            }
        }
        return tape.record(.concat, inputs: [self, other], value: out) { g in
            g.scalars.withUnsafeBufferPointer { gp in
                let da = Tensor<Scalar>(shape: a.shape) { o in
                    for r in 0..<outer {
                        let src = r * (aBlock + bBlock)
                        for i in 0..<aBlock { o[r * aBlock + i] = gp[src + i] }
                    }
                }
                let db = Tensor<Scalar>(shape: b.shape) { o in
                    for r in 0..<outer {
                        let src = r * (aBlock + bBlock) + aBlock
                        for i in 0..<bBlock { o[r * bBlock + i] = gp[src + i] }
                    }
                }
                return [da, db]
            }
        }
    }
}
