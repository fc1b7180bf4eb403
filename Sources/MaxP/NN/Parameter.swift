/// A trainable tensor with its accumulated gradient.
///
/// Parameters are reference types: a layer, the tape that differentiates through it and the optimizer that updates
/// it all see the same storage.
public final class Parameter<Scalar: TensorScalar> {
    /// The current value.
    public var value: Tensor<Scalar>
    /// The gradient accumulated by ``Tape/backward(from:seed:)`` since the last ``zeroGradient()``; `nil` if none.
    ///
    /// A weight gradient the tape handed over as its factors (``DeferredWeightGradient``) is computed on first
    /// read, so every reader sees the same tensor.
    public var gradient: Tensor<Scalar>? {
        get {
            materializeDeferredGradient()
            return storedGradient
        }
        set {
            storedGradient = newValue
            deferredGradient = nil
        }
        _modify {
            materializeDeferredGradient()
            yield &storedGradient
        }
    }

    /// Whether a gradient has been accumulated (without computing a deferred one).
    public var hasGradient: Bool { storedGradient != nil || deferredGradient != nil }

    private var storedGradient: Tensor<Scalar>?
    /// The gradient, when it is only one weight product's and nobody has read it yet: an optimizer may update the
    /// value block by block from it (``DeferredWeightGradient/forEachRowBlock(_:)``) instead of reading ``gradient``.
    private(set) var deferredGradient: DeferredWeightGradient<Scalar>?

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
        materializeDeferredGradient()
        if storedGradient == nil {
            storedGradient = delta
        } else {
            storedGradient!.add(delta)
        }
    }

    /// Adds a weight product's gradient: kept deferred when it is the whole gradient, computed and added otherwise
    /// (the same sum as accumulating its materialized value).
    public func accumulateGradient(_ delta: DeferredWeightGradient<Scalar>) {
        precondition(delta.shape == value.shape, "gradient of shape \(delta.shape) for parameter \(value.shape)")
        if hasGradient {
            accumulateGradient(delta.materialized())
        } else {
            deferredGradient = delta
        }
    }

    private func materializeDeferredGradient() {
        guard let deferred = deferredGradient else { return }
        storedGradient = deferred.materialized()
        deferredGradient = nil
    }
}
