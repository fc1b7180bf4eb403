/// Layer normalization over the last axis: `(x − mean) / √(variance + ε) · gain + bias`, with an optional learned
/// gain (ones at initialization) and bias (zeros).
public final class LayerNorm<Scalar: TensorScalar>: Module {
    /// The layer's dotted path in its model.
    public var path = ""
    /// The size of the normalized (last) axis.
    public let width: Int
    /// The learned gain, shape `[width]`, if any.
    public let gain: Parameter<Scalar>?
    /// The learned bias, shape `[width]`, if any.
    public let bias: Parameter<Scalar>?
    /// Added to the variance for numerical safety.
    public let epsilon: Scalar

    /// Creates a layer norm over `width` features.
    public init(width: Int, gain: Bool = true, bias: Bool = true, epsilon: Scalar = 1e-5) {
        precondition(width > 0, "LayerNorm: width must be positive, got \(width)")
        self.width = width
        self.gain = gain ? Parameter(Tensor(repeating: 1, shape: [width])) : nil
        self.bias = bias ? Parameter(Tensor(zeros: [width])) : nil
        self.epsilon = epsilon
    }

    public var localParameters: [(name: String, parameter: Parameter<Scalar>)] {
        var result: [(name: String, parameter: Parameter<Scalar>)] = []
        if let gain { result.append(("gain", gain)) }
        if let bias { result.append(("bias", bias)) }
        return result
    }

    /// Resets the gain to ones and the bias to zeros.
    public func resetParameters() {
        gain?.value = Tensor(repeating: 1, shape: [width])
        bias?.value = Tensor(zeros: [width])
    }

    /// Normalizes `x` of shape `[…, width]`.
    public func callAsFunction(_ x: Variable<Scalar>) -> Variable<Scalar> {
        precondition(x.shape.last == width, "LayerNorm '\(path)': input \(x.shape) does not end in width \(width)")
        let tape = x.tape
        return tape.withScope(path) {
            x.layerNorm(gain: gain.map(tape.parameter), bias: bias.map(tape.parameter), epsilon: epsilon)
        }
    }
}

/// RMS normalization over the last axis: `x / √(mean(x²) + ε) · gain`, with an optional learned gain (ones).
public final class RMSNorm<Scalar: TensorScalar>: Module {
    /// The layer's dotted path in its model.
    public var path = ""
    /// The size of the normalized (last) axis.
    public let width: Int
    /// The learned gain, shape `[width]`, if any.
    public let gain: Parameter<Scalar>?
    /// Added to the mean square for numerical safety.
    public let epsilon: Scalar

    /// Creates an RMS norm over `width` features.
    public init(width: Int, gain: Bool = true, epsilon: Scalar = 1e-6) {
        precondition(width > 0, "RMSNorm: width must be positive, got \(width)")
        self.width = width
        self.gain = gain ? Parameter(Tensor(repeating: 1, shape: [width])) : nil
        self.epsilon = epsilon
    }

    public var localParameters: [(name: String, parameter: Parameter<Scalar>)] {
        gain.map { [("gain", $0)] } ?? []
    }

    /// Resets the gain to ones.
    public func resetParameters() { gain?.value = Tensor(repeating: 1, shape: [width]) }

    /// Normalizes `x` of shape `[…, width]`.
    public func callAsFunction(_ x: Variable<Scalar>) -> Variable<Scalar> {
        precondition(x.shape.last == width, "RMSNorm '\(path)': input \(x.shape) does not end in width \(width)")
        let tape = x.tape
        return tape.withScope(path) { x.rmsNorm(gain: gain.map(tape.parameter), epsilon: epsilon) }
    }
}
