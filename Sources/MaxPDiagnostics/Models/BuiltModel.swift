import Foundation
import MaxP

/// A built-in model at one axis value and seed, parametrized and ready to train: the module, its
/// ``Parametrization``, an optimizer over its learning-rate groups, and what theory needs to know about each
/// parametrized op (its **declared** exponents — an injected fault does not change them).
///
/// Not thread-safe: one job owns one model.
public final class BuiltModel {
    /// The family.
    public let family: ModelFamily
    /// The swept value this model was built at.
    public let axisValue: Int
    /// The module (``MLP`` or ``GPTModel``).
    public let module: any Module<Float>
    /// The applied parametrization (declared exponents, LP solution, groups).
    public let parametrization: Parametrization<Float>
    /// The optimizer over the parametrization's groups (with any fault / correction applied to its rates).
    public let optimizer: any Optimizer<Float>
    /// The declared exponents per parametrized op name, as ``Theory`` should see them on the swept axis.
    public let declaredExponents: [String: ParametrizedExponents]
    /// The kind string per parametrized op name (`embedding`, `hidden`, `readout`, `attention_logits`).
    public let parametrizedKinds: [String: String]
    private let forwardBody: (Tape<Float>, TaskBatch) -> Variable<Float>

    init(family: ModelFamily, axisValue: Int, module: any Module<Float>, parametrization: Parametrization<Float>,
         optimizer: any Optimizer<Float>, declaredExponents: [String: ParametrizedExponents],
         parametrizedKinds: [String: String], forward: @escaping (Tape<Float>, TaskBatch) -> Variable<Float>) {
        self.family = family
        self.axisValue = axisValue
        self.module = module
        self.parametrization = parametrization
        self.optimizer = optimizer
        self.declaredExponents = declaredExponents
        self.parametrizedKinds = parametrizedKinds
        self.forwardBody = forward
    }

    /// The network output (MLP logits `[rows, classes]`, GPT logits `[batch, seqLen, vocab]`) recorded on `tape`.
    public func forward(_ batch: TaskBatch, on tape: Tape<Float>) -> Variable<Float> { forwardBody(tape, batch) }

    /// The mean cross-entropy of `output` against the batch's labels / next tokens.
    public func loss(of output: Variable<Float>, batch: TaskBatch) -> Variable<Float> {
        switch batch {
        case let .features(_, labels): output.crossEntropy(targets: labels)
        case let .tokens(_, targets, _, _): output.crossEntropy(targets: targets)
        }
    }

    /// One training step on `batch`: zero gradients, forward on a tape released before the update, backward,
    /// optimizer step. Returns the loss before the update; a non-finite loss skips backward and update.
    @discardableResult
    public func trainingStep(on batch: TaskBatch) -> Double {
        module.zeroGradients()
        let value = forwardBackward(batch)
        if value.isFinite { optimizer.step() }
        return value
    }

    private func forwardBackward(_ batch: TaskBatch) -> Double {
        let tape = Tape<Float>()
        let loss = loss(of: forward(batch, on: tape), batch: batch)
        let value = Double(loss.value.scalars[0])
        if value.isFinite { loss.backward() }
        return value
    }
}
