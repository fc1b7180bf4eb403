import MaxP

/// One network of a coordinate check, as your factory builds it at one width and seed: an **unparametrized** module
/// whose layers carry ``OpMarking``s (roles and widths), its forward pass on the fixed batch of that seed, and the
/// loss. The runner parametrizes it (multipliers, initialization, learning rates), traces it, trains it and records
/// every op call site; the declared exponents, kinds and op graph come from the markings and the traced tape.
///
/// ```swift
/// CoordCheckNetwork(model, inputs: batch.inputs, labels: batch.labels) { x in model(x) }   // cross-entropy
/// CoordCheckNetwork(model, inputs: x, targets: y) { x in model(x) }                        // mean squared error
/// ```
///
/// Not thread-safe: the runner calls the factory inside one job and uses the network there only.
public struct CoordCheckNetwork {
    /// The module (its marked layers are parametrized).
    public let module: any Module<Float>
    /// The network output on the fixed batch, recorded on the given tape (this is what the coord check measures).
    public let forward: (Tape<Float>) -> Variable<Float>
    /// The training loss of an output (not measured).
    public let loss: (Variable<Float>) -> Variable<Float>
    /// The forward pass the parametrization traces its exponent graph from (default: ``forward``).
    let trace: ((Tape<Float>) -> Void)?
    /// Parametrized ops whose width `n` does not grow with the swept width (the attention logits of a GPT with a fixed
    /// head size): theory expects no contraction over the width there.
    var fixedWidthOps: Set<String> = []
    /// Built-in models' hook after the parametrization is applied (SP's input layer re-draw).
    var afterParametrization: ((Parametrization<Float>) -> Void)?
    /// Built-in models' hook that swaps the batch ``forward`` and ``loss`` read (LR-transfer trains on a new batch
    /// every step).
    var feed: ((TaskBatch) -> Void)?

    /// A network with your own forward pass and loss.
    public init(_ module: any Module<Float>, forward: @escaping (Tape<Float>) -> Variable<Float>,
                loss: @escaping (Variable<Float>) -> Variable<Float>) {
        self.init(module, forward: forward, loss: loss, trace: nil)
    }

    init(_ module: any Module<Float>, forward: @escaping (Tape<Float>) -> Variable<Float>,
         loss: @escaping (Variable<Float>) -> Variable<Float>, trace: ((Tape<Float>) -> Void)?) {
        self.module = module
        self.forward = forward
        self.loss = loss
        self.trace = trace
    }

    /// A classifier on a fixed batch: `body` maps the input leaf (`inputs`, `[rows, features]`, no gradient) to the
    /// logits `[rows, classes]`; the loss is the mean cross-entropy against `labels`.
    public init(_ module: any Module<Float>, inputs: Tensor<Float>, labels: [Int],
                _ body: @escaping (Variable<Float>) -> Variable<Float>) {
        self.init(module, forward: { tape in body(tape.input(inputs, requiresGradient: false)) },
                  loss: { $0.crossEntropy(targets: labels) })
    }

    /// A classifier on a built-in task's feature batch (``TeacherStudentTask``, ``CSVDataset``): as
    /// ``init(_:inputs:labels:_:)`` with the batch's features and labels. A token batch is a programmer error.
    public init(_ module: any Module<Float>, classifying batch: TaskBatch,
                _ body: @escaping (Variable<Float>) -> Variable<Float>) {
        guard case let .features(inputs, labels) = batch else {
            preconditionFailure("CoordCheckNetwork(classifying:) needs a feature batch; give forward and loss for tokens")
        }
        self.init(module, inputs: inputs, labels: labels, body)
    }

    /// A regression network on a fixed batch: `body` maps the input leaf to the prediction; the loss is the mean
    /// squared error against `targets` (same shape as the prediction).
    public init(_ module: any Module<Float>, inputs: Tensor<Float>, targets: Tensor<Float>,
                _ body: @escaping (Variable<Float>) -> Variable<Float>) {
        self.init(module, forward: { tape in body(tape.input(inputs, requiresGradient: false)) },
                  loss: { $0.meanSquaredError(target: targets) })
    }
}
