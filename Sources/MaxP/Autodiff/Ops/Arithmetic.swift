/// Differentiable elementwise arithmetic (`+ − × ÷`) with broadcasting of a trailing block (a bias row), negation
/// and scaling by a constant.
///
/// Broadcasting rule: `rhs` may have the same shape as `lhs`, or a shape equal to a trailing part of `lhs`'s shape
/// (`[n]` onto `[…, n]` as a bias, `[T, d]` onto `[B, T, d]`, `[]` as a scalar). It is repeated over the leading
/// dimensions; its gradient is summed over them.
extension Variable {
    /// `self + other`, elementwise; `rhs` may be broadcast (see the type's broadcasting rule).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func + (lhs: Variable, rhs: Variable) -> Variable {
        let (a, b, width) = broadcastOperands(lhs, rhs, op: "add")
        if a.shape == b.shape {
            return lhs.tape.record(.add, inputs: [lhs, rhs], value: a.adding(b)) { g in [g, g] }
        }
        let out = Tensor<Scalar>(shape: a.shape) { o in
            a.scalars.withUnsafeBufferPointer { ap in
                b.scalars.withUnsafeBufferPointer { bp in
                    for r in 0..<(width == 0 ? 0 : o.count / width) {
                        let base = r * width
                        for j in 0..<width { o[base + j] = ap[base + j] + bp[j] }
                    }
                }
            }
        }
        return lhs.tape.record(.add, inputs: [lhs, rhs], value: out) { g in
            [g, Tensor(shape: b.shape, scalars: g.summedRows(width: width))]
        }
    }

    /// `self − other`, elementwise; `rhs` may be broadcast (see the type's broadcasting rule).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func - (lhs: Variable, rhs: Variable) -> Variable {
        let (a, b, width) = broadcastOperands(lhs, rhs, op: "sub")
        if a.shape == b.shape {
            return lhs.tape.record(.sub, inputs: [lhs, rhs], value: a.subtracting(b)) { g in [g, g.scaled(by: -1)] }
        }
        let out = Tensor<Scalar>(shape: a.shape) { o in
            a.scalars.withUnsafeBufferPointer { ap in
                b.scalars.withUnsafeBufferPointer { bp in
                    for r in 0..<(width == 0 ? 0 : o.count / width) {
                        let base = r * width
                        for j in 0..<width { o[base + j] = ap[base + j] - bp[j] }
                    }
                }
            }
        }
        return lhs.tape.record(.sub, inputs: [lhs, rhs], value: out) { g in
            [g, Tensor(shape: b.shape, scalars: g.summedRows(width: width)).scaled(by: -1)]
        }
    }

    /// `self ⊙ other`, elementwise; `rhs` may be broadcast (see the type's broadcasting rule).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func * (lhs: Variable, rhs: Variable) -> Variable {
        let (a, b, width) = broadcastOperands(lhs, rhs, op: "mul")
        let rows = width == 0 ? 0 : a.count / width
        let out = Tensor<Scalar>(shape: a.shape) { o in
            a.scalars.withUnsafeBufferPointer { ap in
                b.scalars.withUnsafeBufferPointer { bp in
                    for r in 0..<rows {
                        let base = r * width
                        for j in 0..<width { o[base + j] = ap[base + j] * bp[j] }
                    }
                }
            }
        }
        return lhs.tape.record(.mul, inputs: [lhs, rhs], value: out) { g in
            // d(a·b)/da = b (broadcast), d(a·b)/db = Σ_rows g·a
            let da = Tensor<Scalar>(shape: a.shape) { o in
                g.scalars.withUnsafeBufferPointer { gp in
                    b.scalars.withUnsafeBufferPointer { bp in
                        for r in 0..<rows {
                            let base = r * width
                            for j in 0..<width { o[base + j] = gp[base + j] * bp[j] }
                        }
                    }
                }
            }
            let db = Tensor<Scalar>(shape: b.shape) { o in
                o.initialize(repeating: 0)
                g.scalars.withUnsafeBufferPointer { gp in
                    a.scalars.withUnsafeBufferPointer { ap in
                        for r in 0..<rows {
                            let base = r * width
                            for j in 0..<width { o[j] += gp[base + j] * ap[base + j] }
                        }
                    }
                }
            }
            return [da, db]
        }
    }

    /// `self ÷ other`, elementwise; `rhs` may be broadcast (see the type's broadcasting rule).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func / (lhs: Variable, rhs: Variable) -> Variable {
        let (a, b, width) = broadcastOperands(lhs, rhs, op: "div")
        let rows = width == 0 ? 0 : a.count / width
        let out = Tensor<Scalar>(shape: a.shape) { o in
            a.scalars.withUnsafeBufferPointer { ap in
                b.scalars.withUnsafeBufferPointer { bp in
                    for r in 0..<rows {
                        let base = r * width
                        for j in 0..<width { o[base + j] = ap[base + j] / bp[j] }
                    }
                }
            }
        }
        return lhs.tape.record(.div, inputs: [lhs, rhs], value: out) { g in
            // d(a/b)/da = 1/b, d(a/b)/db = −a/b² = −out/b (summed over broadcast rows)
            let da = Tensor<Scalar>(shape: a.shape) { o in
                g.scalars.withUnsafeBufferPointer { gp in
                    b.scalars.withUnsafeBufferPointer { bp in
                        for r in 0..<rows {
                            let base = r * width
                            for j in 0..<width { o[base + j] = gp[base + j] / bp[j] }
                        }
                    }
                }
            }
            let db = Tensor<Scalar>(shape: b.shape) { o in
                o.initialize(repeating: 0)
                g.scalars.withUnsafeBufferPointer { gp in
                    out.scalars.withUnsafeBufferPointer { yp in
                        b.scalars.withUnsafeBufferPointer { bp in
                            for r in 0..<rows {
                                let base = r * width
                                for j in 0..<width { o[j] -= gp[base + j] * yp[base + j] / bp[j] }
                            }
                        }
                    }
                }
            }
            return [da, db]
        }
    }

    /// `−self`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func negated() -> Variable {
        tape.record(.neg, inputs: [self], value: value.scaled(by: -1)) { g in [g.scaled(by: -1)] }
    }

    /// `−x`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static prefix func - (operand: Variable) -> Variable { operand.negated() }

    /// `factor · self` for a constant factor.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func scaled(by factor: Scalar) -> Variable {
        let inPlace = !tape.retainsOpGradients  // in the output gradient's storage when the tape drops it (see `gelu`)
        return tape.record(.scale, inputs: [self], value: value.scaled(by: factor), accumulatingPullback: { g, slots in
            if inPlace {
                g.scale(by: factor)
                slots[0] = Tape<Scalar>.accumulated(slots[0], g)
            } else {
                slots[0] = Tape<Scalar>.accumulated(slots[0], g.scaled(by: factor))
            }
        })
    }

    /// `self ⊙ self`, elementwise.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func squared() -> Variable {
        let x = value
        return tape.record(.square, inputs: [self], value: x.multiplying(x)) { g in
            [g.multiplying(x).scaled(by: 2)]
        }
    }

    /// The two values and the width of the block of `rhs` that is repeated over `lhs` (its element count), after
    /// checking that the shapes are compatible.
    private static func broadcastOperands(
        _ lhs: Variable, _ rhs: Variable, op: String
    ) -> (Tensor<Scalar>, Tensor<Scalar>, Int) {
        precondition(lhs.tape === rhs.tape, "\(op): operands belong to different tapes")
        let a = lhs.value, b = rhs.value
        precondition(
            b.rank <= a.rank && Array(a.shape.suffix(b.rank)) == b.shape,
            "\(op): cannot broadcast \(b.shape) onto \(a.shape) (rhs must have the same shape or a trailing part of "
                + "it, e.g. a bias [\(a.lastDimension)])")
        return (a, b, b.count)
    }
}
