import Foundation
import MaxP

/// The built-in families as ``CoordCheckNetwork``s — the same kind of network your own factory returns.
///
/// - `mlp`: ``MLP`` `inputDimension → width … → outputDimension`, ReLU, no bias, roles by `markStandardRoles()`
///   (`fc_1` embedding, `fc_2…` hidden, `readout` readout); under `sp` the input layer is re-drawn at
///   `1/√inputDimension` (torch's default) after the parametrization.
/// - `gpt`: ``GPTModel`` without biases, roles by `markStandardRoles(logitsA:)`; the head count is fixed, so
///   `d_head = width / heads` grows with width. Attention logits use `a = 1` (`1/d_head`) except under `sp`
///   (`a = ½`, the usual `1/√d_head`).
///
/// Weights are not drawn at construction (`initialization: .deferred`): every embedding and linear weight is a
/// parametrized op that the ``Parametrization`` re-draws from its own seed. The network reads its batch from a
/// slot (``BuiltModel/use(_:)`` swaps it); the parametrization traces a small sample (one row / four tokens).
enum BuiltInNetwork {
    /// The batch a built-in network currently reads.
    final class BatchSlot {
        var batch: TaskBatch
        init(_ batch: TaskBatch) { self.batch = batch }
    }

    /// The network of `options`' family at `width`, `depth`, `heads` on `batch`. With a fixed head size
    /// (``ModelOptions/headSize``) the attention logits' multiplier `1/d_head` (`1/√d_head` under `sp`) is a
    /// constant (`a = 0`: `d_head` does not grow). `fixedInitStd` (``TrainingOptions/initStd``) keeps SP's input layer
    /// at the run's fixed standard deviation instead of re-drawing it at torch's `1/√inputDimension`.
    static func make(_ options: ModelOptions, parametrization: NamedParametrization, width: Int, depth: Int, heads: Int,
                     batch: TaskBatch, initializationSeed: UInt64, fixedInitStd: Bool = false,
                     using generator: inout SeededGenerator) throws(ModelBuildError) -> CoordCheckNetwork {
        let slot = BatchSlot(batch)
        let loss: (Variable<Float>) -> Variable<Float> = { output in
            switch slot.batch {
            case let .features(_, labels): output.crossEntropy(targets: labels)
            case let .tokens(_, targets, _, _): output.crossEntropy(targets: targets)
            }
        }
        var network: CoordCheckNetwork
        var fixedWidthOps: Set<String> = []
        switch options.family {
        case .mlp:
            let mlp = MLP<Float>(MLPConfiguration(inputDimension: options.inputDimension, width: width, depth: depth,
                                                  outputDimension: options.outputDimension, activation: .relu,
                                                  bias: false), using: &generator, initialization: .deferred)
            mlp.markStandardRoles()
            let inputDimension = options.inputDimension
            network = CoordCheckNetwork(mlp, forward: { tape in
                guard case let .features(x, _) = slot.batch else { preconditionFailure("MLP needs a feature batch") }
                return mlp(tape.input(x, requiresGradient: false))
            }, loss: loss, trace: { tape in _ = mlp(tape.input(Tensor(zeros: [1, inputDimension]))) })
            if parametrization == .sp && !fixedInitStd {
                network.afterParametrization = { p in
                    guard let first = p.ops.first(where: { $0.opName == "fc_1" }), let weight = first.scaledWeight else { return }
                    var redraw = SeededGenerator.derived(from: initializationSeed, 0xF1)
                    weight.value = .randomNormal(shape: weight.shape,
                                                 standardDeviation: Float(1 / Double(inputDimension).squareRoot()),
                                                 using: &redraw)
                }
            }
        case .gpt:
            guard width % heads == 0 else {
                throw .invalid(setting: .values, reason: "width \(width) is not divisible by \(heads) heads")
            }
            let gpt = GPTModel<Float>(GPTConfiguration(vocabulary: options.vocabulary, width: width, depth: depth,
                                                       heads: heads, sequenceLength: options.sequenceLength,
                                                       mlpRatio: 4, bias: false, inverseHeadDimensionLogits: true),
                                      using: &generator, initialization: .deferred)
            let logitsA = parametrization == .sp ? 0.5 : 1
            gpt.markStandardRoles(logitsA: logitsA)
            if let headSize = options.headSize {
                for block in gpt.blocks {
                    block.attn.logits.marking?.a = 0
                    block.attn.logits.marking?.standard = ABExponents(a: 0, b: 0)
                    block.attn.logits.marking?.outputScale = Foundation.pow(Double(headSize), -logitsA)
                    fixedWidthOps.insert(block.attn.logits.opName)
                }
            }
            if options.tiesEmbeddings { gpt.tieEmbeddings() }
            let sampleLength = min(4, options.sequenceLength)
            network = CoordCheckNetwork(gpt, forward: { tape in
                guard case let .tokens(tokens, _, rows, length) = slot.batch else { preconditionFailure("GPT needs a token batch") }
                return gpt(tokens: tokens, batch: rows, seqLen: length, on: tape)
            }, loss: loss, trace: { tape in
                _ = gpt(tokens: Array(repeating: 0, count: sampleLength), batch: 1, seqLen: sampleLength, on: tape)
            })
        }
        network.fixedWidthOps = fixedWidthOps
        network.feed = { slot.batch = $0 }
        return network
    }
}
