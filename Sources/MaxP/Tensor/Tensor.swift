/// A dense, row-major, n-dimensional array of scalars with value semantics.
///
/// `Tensor` holds data only; differentiation lives in ``Variable`` and ``Tape``. Storage is a Swift array, so
/// copies are cheap until one side is mutated (copy-on-write).
public struct Tensor<Scalar: TensorScalar>: Equatable, Sendable, Codable {
    /// The size of each dimension, outermost first.
    public private(set) var shape: [Int]
    /// The elements in row-major order; `scalars.count == shape.product`.
    public var scalars: [Scalar]

    /// Creates a tensor from a shape and its row-major elements.
    public init(shape: [Int], scalars: [Scalar]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative dimension in shape \(shape)")
        precondition(
            shape.reduce(1, *) == scalars.count,
            "Tensor: shape \(shape) needs \(shape.reduce(1, *)) scalars, got \(scalars.count)")
        self.shape = shape
        self.scalars = scalars
    }

    /// Creates a tensor of the given shape with every element equal to `value`.
    ///
    /// Fills the storage with `memset` for `+0` and with a loop specialized to `Float` / `Double` otherwise (the
    /// generic `Array(repeating:count:)` copies element by element through value witnesses when called unspecialized,
    /// which made zero-filling Adam's moments of a 3072 × 2048 weight cost more than the update itself).
    public init(repeating value: Scalar, shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative dimension in shape \(shape)")
        let count = shape.reduce(1, *)
        let scalars = [Scalar](unsafeUninitializedCapacity: count) { buffer, initialized in
            if count > 0 {
                if value == 0 && value.sign == .plus {
                    UnsafeMutableRawBufferPointer(buffer).initializeMemory(as: UInt8.self, repeating: 0)
                } else if let float = value as? Float {
                    UnsafeMutableRawBufferPointer(buffer).bindMemory(to: Float.self).initialize(repeating: float)
                } else if let double = value as? Double {
                    UnsafeMutableRawBufferPointer(buffer).bindMemory(to: Double.self).initialize(repeating: double)
                } else {
                    buffer.initialize(repeating: value)
                }
            }
            initialized = count
        }
        self.init(shape: shape, scalars: scalars)
    }

    /// Creates a tensor of zeros.
    public init(zeros shape: [Int]) { self.init(repeating: 0, shape: shape) }

    /// Creates a rank-0 tensor holding one scalar.
    public init(scalar: Scalar) { self.init(shape: [], scalars: [scalar]) }

    /// Creates a tensor of the given shape whose storage is filled by `body`, which receives an uninitialized
    /// buffer of `shape.product` elements and must initialize all of them.
    @inlinable
    public init(shape: [Int], unsafeUninitialized body: (UnsafeMutableBufferPointer<Scalar>) -> Void) {
        let count = shape.reduce(1, *)
        let scalars = [Scalar](unsafeUninitializedCapacity: count) { buffer, initialized in
            body(buffer)
            initialized = count
        }
        self.init(shape: shape, scalars: scalars)
    }

    /// Number of elements.
    @inlinable public var count: Int { scalars.count }
    /// Number of dimensions.
    @inlinable public var rank: Int { shape.count }
    /// The size of the last dimension (1 for a scalar).
    @inlinable public var lastDimension: Int { shape.last ?? 1 }
    /// The product of all dimensions but the last: the number of rows when viewed as a matrix.
    @inlinable public var rowCount: Int { shape.isEmpty ? 1 : shape.dropLast().reduce(1, *) }

    /// The only element of a one-element tensor.
    public var scalar: Scalar {
        precondition(count == 1, "Tensor.scalar: tensor of shape \(shape) has \(count) elements")
        return scalars[0]
    }

    /// The same elements viewed with another shape of equal element count.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        precondition(
            newShape.reduce(1, *) == count, "reshape: cannot view shape \(shape) as \(newShape)")
        return Tensor(shape: newShape, scalars: scalars)
    }

    /// The same elements converted to another scalar type.
    public func converted<Other: TensorScalar>(to _: Other.Type = Other.self) -> Tensor<Other> {
        Tensor<Other>(shape: shape, scalars: scalars.map { Other($0) })
    }

    /// Whether every element is finite (no NaN, no infinity).
    public var isFinite: Bool { scalars.allSatisfy { $0.isFinite } }

    /// The first `rows` rows (along dimension 0), or all of them if there are fewer.
    public func leadingRows(_ rows: Int) -> Tensor {
        guard rank >= 1, rows < shape[0] else { return self }
        let rowSize = shape.dropFirst().reduce(1, *)
        var newShape = shape
        newShape[0] = rows
        return Tensor(shape: newShape, scalars: Array(scalars[0..<(rows * rowSize)]))
    }
}

extension Tensor: CustomStringConvertible {
    /// A short summary: shape and the first few elements.
    public var description: String {
        let head = scalars.prefix(8).map { "\($0)" }.joined(separator: ", ")
        return "Tensor\(shape)[\(head)\(count > 8 ? ", …" : "")]"
    }
}
