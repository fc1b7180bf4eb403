/// Differentiable elementwise nonlinearities.
extension Variable {
    /// `max(x, 0)` elementwise (the gradient at exactly 0 is taken as 0).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func relu() -> Variable {
        let x = value
        let out = Tensor<Scalar>(shape: x.shape) { o in
            x.scalars.withUnsafeBufferPointer { p in
                for i in 0..<o.count { o[i] = p[i] > 0 ? p[i] : 0 }
            }
        }
        return tape.record(.relu, inputs: [self], value: out) { g in
            let dx = Tensor<Scalar>(shape: x.shape) { o in
                x.scalars.withUnsafeBufferPointer { p in
                    g.scalars.withUnsafeBufferPointer { gp in
                        // Both loads first: a select, not a branch on the sign (half the branches mispredicted).
                        for i in 0..<o.count {
                            let gi = gp[i]
                            o[i] = p[i] > 0 ? gi : 0
                        }
                    }
                }
            }
            return [dx]
        }
    }

    /// The exact GELU, `x · Φ(x) = x/2 · (1 + erf(x / 2^(1/2)))` (not the tanh approximation).
    ///
    /// Gradient: `Φ(x) + x · φ(x)` with `φ(x) = (2π)^-1/2 · e^(−x²/2)`, computed with the value in one pass (see
    /// ``TensorScalar/gelu(_:value:derivative:)``: vectorized in `Float`, through `erf` in `Double`).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func gelu() -> Variable {
        let x = value
        let needsDerivative = tape.recordsGradients && tape.requiresGradient(self)
        var slope: Tensor<Scalar>?
        let out = Tensor<Scalar>(shape: x.shape) { o in
            x.scalars.withUnsafeBufferPointer { p in
                if needsDerivative {
                    slope = Tensor<Scalar>(shape: x.shape) { d in Scalar.gelu(p, value: o, derivative: d) }
                } else {
                    Scalar.gelu(p, value: o, derivative: nil)
                }
            }
        }
        let derivative = slope
        // In the output gradient's storage when the tape drops it after this pullback (see
        // `Tape.AccumulatingPullback`); a tape that keeps it would copy it first, so then into new storage.
        let inPlace = !tape.retainsOpGradients
        return tape.record(.gelu, inputs: [self], value: out, accumulatingPullback: { g, slots in
            guard let derivative else { return }
            if inPlace {
                g.multiply(by: derivative)
                slots[0] = Tape<Scalar>.accumulated(slots[0], g)
            } else {
                slots[0] = Tape<Scalar>.accumulated(slots[0], g.multiplying(derivative))
            }
        })
    }

    /// SiLU (swish), `x · σ(x)` with `σ(x) = 1 / (1 + e^−x)`.
    ///
    /// Gradient: `σ(x) · (1 + x · (1 − σ(x)))`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func silu() -> Variable {
        let x = value
        let sigma = Tensor<Scalar>(shape: x.shape) { o in
            x.scalars.withUnsafeBufferPointer { p in
                for i in 0..<o.count {
                    // Stable in both tails: never exponentiates a large positive number.
                    let v = p[i]
                    if v >= 0 {
                        o[i] = 1 / (1 + Scalar.exp(-v))
                    } else {
                        let e = Scalar.exp(v)
                        o[i] = e / (1 + e)
                    }
                }
            }
        }
        let out = x.multiplying(sigma)
        return tape.record(.silu, inputs: [self], value: out) { g in
            let dx = Tensor<Scalar>(shape: x.shape) { o in
                x.scalars.withUnsafeBufferPointer { p in
                    sigma.scalars.withUnsafeBufferPointer { s in
                        g.scalars.withUnsafeBufferPointer { gp in
                            for i in 0..<o.count { o[i] = gp[i] * s[i] * (1 + p[i] * (1 - s[i])) }
                        }
                    }
                }
            }
            return [dx]
        }
    }

    /// Hyperbolic tangent elementwise. Gradient: `1 − tanh(x)²`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func tanh() -> Variable {
        let x = value
        let out = Tensor<Scalar>(shape: x.shape) { o in
            x.scalars.withUnsafeBufferPointer { p in
                for i in 0..<o.count { o[i] = Scalar.tanh(p[i]) }
            }
        }
        return tape.record(.tanh, inputs: [self], value: out) { g in
            let dx = Tensor<Scalar>(shape: x.shape) { o in
                out.scalars.withUnsafeBufferPointer { y in
                    g.scalars.withUnsafeBufferPointer { gp in
                        for i in 0..<o.count { o[i] = gp[i] * (1 - y[i] * y[i]) }
                    }
                }
            }
            return [dx]
        }
    }
}
