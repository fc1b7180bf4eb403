/// A trainable tensor with its accumulated gradient.
///
/// Parameters are reference types: a layer, the tape that differentiates through it and the optimizer that updates
/// it all see the same storage.
public final class Parameter<Scalar: TensorScalar> {
    /// The current value.
    public var value: Tensor<Scalar>
    /// The gradient accumulated by ``Tape/backward(from:seed:)`` since the last ``zeroGradient()``; `nil` if none.
    public var gradient: Tensor<Scalar>?

    /// Creates a parameter holding `value`, with no gradient.
    public init(_ value: Tensor<Scalar>) {
        self.value = value
    }

    /// The shape of the value.
    public var shape: [Int] { value.shape }

    /// Forgets the accumulated gradient.
    public func zeroGradient() { gradient = nil }

    /// Adds `delta` to the accumulated gradient.
    public func accumulateGradient(_ delta: Tensor<Scalar>) {
        precondition(delta.shape == value.shape, "gradient of shape \(delta.shape) for parameter \(value.shape)")
        if gradient == nil {
            gradient = delta
        } else {
            gradient!.add(delta)
        }
    }
}
