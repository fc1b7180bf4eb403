/// Differentiable elementwise nonlinearities.
extension Variable {
    /// `max(x, 0)` elementwise.
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
                        for i in 0..<o.count { o[i] = p[i] > 0 ? gp[i] : 0 }
                    }
                }
            }
            return [dx]
        }
    }
}
