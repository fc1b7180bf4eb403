import CMaxPKernels

/// Elementwise kernels on raw tensors (no differentiation). Loops run over unsafe buffers so the optimizer can
/// vectorize them.
extension Tensor {
    /// Adds `other` (same shape) into `self`.
    @inlinable
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public mutating func add(_ other: Tensor) {
        precondition(shape == other.shape, "add: shapes \(shape) and \(other.shape) differ")
        scalars.withUnsafeMutableBufferPointer { dst in
            other.scalars.withUnsafeBufferPointer { src in
                for i in 0..<dst.count { dst[i] += src[i] }
            }
        }
    }

    /// Adds `factor · other` (same shape) into `self`.
    @inlinable
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public mutating func add(_ other: Tensor, scaledBy factor: Scalar) {
        precondition(shape == other.shape, "add(scaledBy:): shapes \(shape) and \(other.shape) differ")
        scalars.withUnsafeMutableBufferPointer { dst in
            other.scalars.withUnsafeBufferPointer { src in
                for i in 0..<dst.count { dst[i] += factor * src[i] }
            }
        }
    }

    /// Multiplies every element by `factor` in place.
    @inlinable
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public mutating func scale(by factor: Scalar) {
        scalars.withUnsafeMutableBufferPointer { dst in
            for i in 0..<dst.count { dst[i] *= factor }
        }
    }

    /// `self · factor`, in one pass into new storage (copying `self` and then scaling the copy took two).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func scaled(by factor: Scalar) -> Tensor {
        Tensor(shape: shape) { out in
            scalars.withUnsafeBufferPointer { source in
                guard let from = source.baseAddress, let to = out.baseAddress else { return }
                for i in 0..<out.count { to[i] = from[i] * factor }
            }
        }
    }

    /// `self + other` for equal shapes, in one pass into new storage (no copy of `self` first); `Float` through the
    /// C kernel `maxp_add_f32` on the widest vectors (the same sums).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func adding(_ other: Tensor) -> Tensor {
        precondition(shape == other.shape, "add: shapes \(shape) and \(other.shape) differ")
        return combined(with: other, floatKernel: maxp_add_f32) { $0 + $1 }
    }

    /// `self − other` for equal shapes.
    @inlinable
    public func subtracting(_ other: Tensor) -> Tensor {
        var copy = self
        copy.add(other, scaledBy: -1)
        return copy
    }

    /// Multiplies `self` by `other` (same shape) elementwise, in place: the products of ``multiplying(_:)``, in this
    /// storage (copied first only if shared); `Float` through the C kernel `maxp_multiply_f32`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public mutating func multiply(by other: Tensor) {
        precondition(shape == other.shape, "multiply: shapes \(shape) and \(other.shape) differ")
        guard count > 0 else { return }
        let isFloat = Scalar.self == Float.self
        scalars.withUnsafeMutableBufferPointer { dst in
            other.scalars.withUnsafeBufferPointer { src in
                if isFloat {
                    let to = UnsafeMutableRawPointer(dst.baseAddress!).assumingMemoryBound(to: Float.self)
                    maxp_multiply_f32(to, UnsafeRawPointer(src.baseAddress!).assumingMemoryBound(to: Float.self), to,
                                      dst.count)
                } else {
                    for i in 0..<dst.count { dst[i] = dst[i] * src[i] }
                }
            }
        }
    }

    /// Elementwise product of equal shapes.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func multiplying(_ other: Tensor) -> Tensor {
        precondition(shape == other.shape, "multiply: shapes \(shape) and \(other.shape) differ")
        return combined(with: other, floatKernel: maxp_multiply_f32) { $0 * $1 }  // the C kernel: the same products
    }

    /// `operation(self[i], other[i])` for equal shapes into new storage: `Float` through `floatKernel` (a C kernel
    /// `(a, b, out, count)` on the widest vectors that computes exactly `operation`), other scalars by the loop.
    @inline(__always)
    private func combined(with other: Tensor,
                          floatKernel: (UnsafePointer<Float>?, UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int) -> Void,
                          _ operation: (Scalar, Scalar) -> Scalar) -> Tensor {
        if Scalar.self == Float.self && count > 0 {
            return Tensor(shape: shape) { out in
                scalars.withUnsafeBytes { a in
                    other.scalars.withUnsafeBytes { b in
                        floatKernel(
                            a.baseAddress!.assumingMemoryBound(to: Float.self), b.baseAddress!.assumingMemoryBound(to: Float.self),
                            UnsafeMutableRawPointer(out.baseAddress!).assumingMemoryBound(to: Float.self), out.count)
                    }
                }
            }
        }
        return Tensor(shape: shape) { out in
            scalars.withUnsafeBufferPointer { a in
                other.scalars.withUnsafeBufferPointer { b in
                    for i in 0..<out.count { out[i] = operation(a[i], b[i]) }
                }
            }
        }
    }

    /// The sum of all elements, accumulated in `Double`.
    @inlinable
    public func sumOfElements() -> Double {
        scalars.withUnsafeBufferPointer { p in
            var s = 0.0
            for v in p { s += Double(v) }
            return s
        }
    }

    /// Mean absolute value (the `l1` coordinate size `mup` records), in `Double`.
    @inlinable
    public func meanAbsolute() -> Double {
        guard count > 0 else { return 0 }
        return scalars.withUnsafeBufferPointer { p in
            var s = 0.0
            for v in p { s += Swift.abs(Double(v)) }
            return s / Double(count)
        }
    }

    /// Root mean square of all elements, in `Double`.
    @inlinable
    public func rootMeanSquare() -> Double {
        guard count > 0 else { return 0 }
        return scalars.withUnsafeBufferPointer { p in
            var s = 0.0
            for v in p { s += Double(v) * Double(v) }
            return (s / Double(count)).squareRoot()
        }
    }

    /// The largest absolute value (0 for an empty tensor).
    @inlinable
    public func maxAbsolute() -> Scalar {
        scalars.withUnsafeBufferPointer { p in
            var m: Scalar = 0
            for v in p where Swift.abs(v) > m { m = Swift.abs(v) }
            return m
        }
    }
}
