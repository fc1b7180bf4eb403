/// The shape of an ``MLP``: `depth` hidden layers of size `width` between an input of size `inputDimension` and a
/// readout of size `outputDimension`.
public struct MLPConfiguration: Codable, Equatable, Sendable {
    /// Size of the input's last axis.
    public var inputDimension: Int
    /// Size of every hidden layer.
    public var width: Int
    /// Number of hidden layers (`fc_1 … fc_depth`); the readout comes on top.
    public var depth: Int
    /// Size of the output's last axis.
    public var outputDimension: Int
    /// The nonlinearity after every hidden layer.
    public var activation: Activation
    /// Whether the linear layers have biases.
    public var bias: Bool

    /// Creates a configuration.
    public init(
        inputDimension: Int, width: Int, depth: Int, outputDimension: Int, activation: Activation = .relu,
        bias: Bool = true
    ) {
        self.inputDimension = inputDimension
        self.width = width
        self.depth = depth
        self.outputDimension = outputDimension
        self.activation = activation
        self.bias = bias
    }
}

/// A multilayer perceptron: `fc_1` (input → width), `fc_2 … fc_depth` (width → width), each followed by the
/// activation, then `readout` (width → output) without activation.
public final class MLP<Scalar: TensorScalar>: Module {
    /// The model's dotted path (`""` when it is the root).
    public var path = ""
    /// The configuration it was built from.
    public let configuration: MLPConfiguration
    /// The hidden layers `fc_1 … fc_depth`.
    public let hiddenLayers: [Linear<Scalar>]
    /// The output layer.
    public let readout: Linear<Scalar>

    /// Creates the network with default ``Linear`` initialization (`N(0, 1/fan_in)`, zero biases) and assigns paths.
    ///
    /// With `initialization: .deferred` every weight is left at zero and nothing is drawn: use it when a
    /// ``Parametrization`` will re-initialize the model (after `markStandardRoles()` it re-draws every layer), which
    /// must happen before use.
    public init(_ configuration: MLPConfiguration, using generator: inout SeededGenerator,
                initialization: WeightInitialization = .drawn) {
        precondition(configuration.depth >= 1, "MLP: depth must be at least 1, got \(configuration.depth)")
        self.configuration = configuration
        var layers: [Linear<Scalar>] = []
        for i in 0..<configuration.depth {
            layers.append(
                Linear(
                    inputFeatures: i == 0 ? configuration.inputDimension : configuration.width,
                    outputFeatures: configuration.width, bias: configuration.bias, using: &generator,
                    initialization: initialization))
        }
        hiddenLayers = layers
        readout = Linear(
            inputFeatures: configuration.width, outputFeatures: configuration.outputDimension,
            bias: configuration.bias, using: &generator, initialization: initialization)
        assignPaths()
    }

    public var submodules: [(name: String, module: any Module<Scalar>)] {
        hiddenLayers.enumerated().map { (name: "fc_\($0.offset + 1)", module: $0.element) } + [("readout", readout)]
    }

    /// Maps `x` of shape `[…, inputDimension]` to `[…, outputDimension]`.
    public func callAsFunction(_ x: Variable<Scalar>) -> Variable<Scalar> {
        x.tape.withScope(path) {
            var h = x
            for layer in hiddenLayers { h = configuration.activation(layer(h)) }
            return readout(h)
        }
    }
}

/// The position-wise feed-forward part of a transformer block: `fc_out(activation(fc_in(x)))`, width →
/// `hiddenWidth` → width.
public final class FeedForward<Scalar: TensorScalar>: Module {
    /// The module's dotted path (e.g. `blocks.0.mlp`).
    public var path = ""
    /// The expanding layer (width → hidden width).
    public let fcIn: Linear<Scalar>
    /// The contracting layer (hidden width → width).
    public let fcOut: Linear<Scalar>
    /// The nonlinearity between them.
    public let activation: Activation

    /// Creates the two layers with default ``Linear`` initialization (`.deferred`: zero weights, nothing drawn).
    public init(
        width: Int, hiddenWidth: Int, activation: Activation = .gelu, bias: Bool = true,
        using generator: inout SeededGenerator, initialization: WeightInitialization = .drawn
    ) {
        fcIn = Linear(inputFeatures: width, outputFeatures: hiddenWidth, bias: bias, using: &generator,
                      initialization: initialization)
        fcOut = Linear(inputFeatures: hiddenWidth, outputFeatures: width, bias: bias, using: &generator,
                       initialization: initialization)
        self.activation = activation
    }

    public var submodules: [(name: String, module: any Module<Scalar>)] { [("fc_in", fcIn), ("fc_out", fcOut)] }

    /// Applies the block to `x` of shape `[…, width]`.
    public func callAsFunction(_ x: Variable<Scalar>) -> Variable<Scalar> {
        x.tape.withScope(path) { fcOut(activation(fcIn(x))) }
    }
}
