/// Differentiable sums and means, over all elements or along one axis.
extension Variable {
    /// The sum of all elements, as a rank-0 tensor (shape `[]`).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func sum() -> Variable {
        let x = value
        let total = Scalar(x.sumOfElements())
        return tape.record(.sum, inputs: [self], value: Tensor(scalar: total)) { g in
            [Tensor(repeating: g.scalars[0], shape: x.shape)]
        }
    }

    /// The mean of all elements, as a rank-0 tensor (shape `[]`).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func mean() -> Variable {
        let x = value
        precondition(x.count > 0, "mean: tensor of shape \(x.shape) has no elements")
        let n = Scalar(x.count)
        let average = Scalar(x.sumOfElements() / Double(x.count))
        return tape.record(.mean, inputs: [self], value: Tensor(scalar: average)) { g in
            [Tensor(repeating: g.scalars[0] / n, shape: x.shape)]
        }
    }

    /// The sum along `axis` (negative counts from the end, `-1` is the last); that axis is dropped.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func sum(alongAxis axis: Int) -> Variable {
        let x = value
        let resolved = x.normalizedAxis(axis, op: "sum(alongAxis:)")
        let size = x.shape[resolved]
        return tape.record(.sum, inputs: [self], value: x.sum(alongAxis: resolved)) { g in
            [g.expanded(alongNewAxis: resolved, size: size)]
        }
    }

    /// The mean along `axis` (negative counts from the end, `-1` is the last); that axis is dropped.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func mean(alongAxis axis: Int) -> Variable {
        let x = value
        let resolved = x.normalizedAxis(axis, op: "mean(alongAxis:)")
        let size = x.shape[resolved]
        precondition(size > 0, "mean(alongAxis: \(axis)): axis has size 0 in shape \(x.shape)")
        let inverse = 1 / Scalar(size)
        let out = x.sum(alongAxis: resolved).scaled(by: inverse)
        return tape.record(.mean, inputs: [self], value: out) { g in
            [g.expanded(alongNewAxis: resolved, size: size, factor: inverse)]
        }
    }
}
