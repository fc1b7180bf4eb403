/// Axis reductions and their adjoint (broadcast back along an axis) on raw tensors. The tensor is viewed as
/// `[outer, n, inner]` around the axis, so every inner loop runs over contiguous memory.
extension Tensor {
    /// Resolves a possibly negative axis (`-1` is the last) against this tensor's rank.
    @inlinable
    public func normalizedAxis(_ axis: Int, op: String) -> Int {
        let resolved = axis < 0 ? axis + rank : axis
        precondition(
            resolved >= 0 && resolved < rank,
            "\(op): axis \(axis) is out of range for a tensor of shape \(shape) (rank \(rank))")
        return resolved
    }

    /// The sizes `(outer, n, inner)` of the view `[outer, n, inner]` around `axis`.
    @inlinable
    func splitAround(axis: Int) -> (outer: Int, n: Int, inner: Int) {
        (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
    }

    /// The sum along `axis` (negative counts from the end); that axis is dropped from the shape.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func sum(alongAxis axis: Int) -> Tensor {
        let axis = normalizedAxis(axis, op: "sum(alongAxis:)")
        let (outer, n, inner) = splitAround(axis: axis)
        var newShape = shape
        newShape.remove(at: axis)
        return Tensor(shape: newShape) { out in
            out.initialize(repeating: 0)
            scalars.withUnsafeBufferPointer { x in
                for o in 0..<outer {
                    let dst = o * inner
                    for k in 0..<n {
                        let src = (o * n + k) * inner
                        for i in 0..<inner { out[dst + i] += x[src + i] }
                    }
                }
            }
        }
    }

    /// Repeats this tensor `size` times along a new axis inserted at position `axis` (the adjoint of
    /// ``sum(alongAxis:)``), optionally multiplying every element by `factor`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func expanded(alongNewAxis axis: Int, size: Int, factor: Scalar = 1) -> Tensor {
        precondition(axis >= 0 && axis <= rank, "expanded(alongNewAxis:): axis \(axis) invalid for shape \(shape)")
        var newShape = shape
        newShape.insert(size, at: axis)
        let outer = shape[..<axis].reduce(1, *), inner = shape[axis...].reduce(1, *)
        return Tensor(shape: newShape) { out in
            scalars.withUnsafeBufferPointer { g in
                for o in 0..<outer {
                    let src = o * inner
                    for k in 0..<size {
                        let dst = (o * size + k) * inner
                        for i in 0..<inner { out[dst + i] = factor * g[src + i] }
                    }
                }
            }
        }
    }

    /// Views the elements as rows of `width` consecutive scalars and sums the rows: the adjoint of broadcasting a
    /// trailing block of `width` elements over the leading dimensions. Returns `width` scalars.
    @inlinable
    func summedRows(width: Int) -> [Scalar] {
        guard width > 0 else { return [] }
        let rows = count / width
        return [Scalar](unsafeUninitializedCapacity: width) { out, initialized in
            out.initialize(repeating: 0)
            scalars.withUnsafeBufferPointer { g in
                for r in 0..<rows {
                    let base = r * width
                    for j in 0..<width { out[j] += g[base + j] }
                }
            }
            initialized = width
        }
    }
}
