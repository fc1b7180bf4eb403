/// Swapping two axes of a raw tensor (a copy into the new row-major order).
extension Tensor {
    /// The tensor with axes `axis0` and `axis1` swapped (negative axes count from the end), for any rank.
    ///
    /// The data is viewed as `[A, d0, B, d1, C]` around the two axes and copied block by block; the innermost copy
    /// runs over `C` contiguous elements. Used for attention heads (`[B, T, H, D] ↔ [B, H, T, D]`).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func transposed(_ axis0: Int, _ axis1: Int) -> Tensor {
        let first = normalizedAxis(axis0, op: "transposed"), second = normalizedAxis(axis1, op: "transposed")
        if first == second { return self }
        let lo = Swift.min(first, second), hi = Swift.max(first, second)
        let a = shape[..<lo].reduce(1, *)
        let d0 = shape[lo]
        let b = shape[(lo + 1)..<hi].reduce(1, *)
        let d1 = shape[hi]
        let c = shape[(hi + 1)...].reduce(1, *)
        var newShape = shape
        newShape.swapAt(lo, hi)
        return Tensor(shape: newShape) { out in
            scalars.withUnsafeBufferPointer { x in
                var dst = 0
                for ia in 0..<a {
                    for i1 in 0..<d1 {
                        for ib in 0..<b {
                            for i0 in 0..<d0 {
                                let src = (((ia * d0 + i0) * b + ib) * d1 + i1) * c
                                for ic in 0..<c { out[dst + ic] = x[src + ic] }
                                dst += c
                            }
                        }
                    }
                }
            }
        }
    }
}
