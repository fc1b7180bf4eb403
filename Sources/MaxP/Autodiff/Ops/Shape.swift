/// Differentiable shape changes: reshaping (a view of the same row-major elements) and swapping two axes.
extension Variable {
    /// The same elements with another shape of equal element count; one dimension may be `-1` (inferred).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func reshaped(_ shape: [Int]) -> Variable {
        let x = value
        var target = shape
        let inferred = shape.indices.filter { shape[$0] == -1 }
        precondition(inferred.count <= 1, "reshape: at most one dimension may be -1, got \(shape)")
        if let index = inferred.first {
            let known = shape.enumerated().filter { $0.offset != index }.map(\.element).reduce(1, *)
            precondition(
                known > 0 && x.count % known == 0,
                "reshape: cannot view shape \(x.shape) (\(x.count) elements) as \(shape)")
            target[index] = x.count / known
        }
        precondition(
            target.allSatisfy { $0 >= 0 } && target.reduce(1, *) == x.count,
            "reshape: cannot view shape \(x.shape) (\(x.count) elements) as \(shape)")
        let original = x.shape
        return tape.record(.reshape, inputs: [self], value: x.reshaped(target)) { g in [g.reshaped(original)] }
    }

    /// The tensor with axes `axis0` and `axis1` swapped (any rank; negative axes count from the end), e.g.
    /// `[B, T, H, D].transposed(1, 2)` gives `[B, H, T, D]`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func transposed(_ axis0: Int, _ axis1: Int) -> Variable {
        let x = value
        let first = x.normalizedAxis(axis0, op: "transposed"), second = x.normalizedAxis(axis1, op: "transposed")
        return tape.record(.transpose, inputs: [self], value: x.transposed(first, second)) { g in
            [g.transposed(first, second)]
        }
    }
}
