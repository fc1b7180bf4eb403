/// Differentiable addition with broadcasting of a trailing row (bias) and scaling by a constant.
extension Variable {
    /// `self + other`, where `other` has the same shape or is a trailing row broadcast over the leading dimensions
    /// (`[…, n] + [n]`, as a bias).
    public static func + (lhs: Variable, rhs: Variable) -> Variable {
        let a = lhs.value, b = rhs.value
        if a.shape == b.shape {
            return lhs.tape.record(.add, inputs: [lhs, rhs], value: a.adding(b)) { g in [g, g] }
        }
        precondition(
            b.rank == 1 && b.count == a.lastDimension,
            "add: cannot broadcast \(b.shape) onto \(a.shape) (only equal shapes or a trailing row)")
        let n = b.count, rows = a.rowCount
        let out = Tensor<Scalar>(shape: a.shape) { o in
            a.scalars.withUnsafeBufferPointer { ap in
                b.scalars.withUnsafeBufferPointer { bp in
                    for r in 0..<rows {
                        for j in 0..<n { o[r * n + j] = ap[r * n + j] + bp[j] }
                    }
                }
            }
        }
        return lhs.tape.record(.add, inputs: [lhs, rhs], value: out) { g in
            let db = Tensor<Scalar>(shape: [n]) { o in
                o.initialize(repeating: 0)
                g.scalars.withUnsafeBufferPointer { gp in
                    for r in 0..<rows {
                        for j in 0..<n { o[j] += gp[r * n + j] }
                    }
                }
            }
            return [g, db]
        }
    }

    /// `factor · self` for a constant factor.
    public func scaled(by factor: Scalar) -> Variable {
        tape.record(.scale, inputs: [self], value: value.scaled(by: factor)) { g in [g.scaled(by: factor)] }
    }
}
