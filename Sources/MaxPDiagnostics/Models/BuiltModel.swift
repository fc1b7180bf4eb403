import Foundation
import MaxP

/// A network parametrized and ready to train — built-in or your own: the module, its ``Parametrization``, an
/// optimizer over its learning-rate groups, and what theory needs to know about each parametrized op (its
/// **declared** exponents — an injected fault does not change them — and its kind).
///
/// Built by ``ModelEngine/parametrize(_:training:axisValue:modelWidth:modelDepth:widthAxis:initializationSeed:trainable:)``, the one path every
/// command and the public ``CoordCheck`` runner take. Not thread-safe: one job owns one model.
public final class BuiltModel {
    /// The swept value this model was built at.
    public let axisValue: Int
    /// The module.
    public let module: any Module<Float>
    /// The applied parametrization (declared exponents, LP solution, groups).
    public let parametrization: Parametrization<Float>
    /// The optimizer over the parametrization's groups (with any fault / correction applied to its rates, wrapped
    /// in ``GradientNormClipping`` when the training options clip); `nil` only for a model built without one.
    public let optimizerIfTrainable: (any Optimizer<Float>)?
    /// The declared exponents per parametrized op name, as ``Theory`` should see them on the swept axis.
    public let declaredExponents: [String: ParametrizedExponents]
    /// The kind string per parametrized op name (its role, `attention_logits` for a parameter-free contraction).
    public let parametrizedKinds: [String: String]
    /// The network (forward, loss, batch).
    let network: CoordCheckNetwork

    init(axisValue: Int, network: CoordCheckNetwork, parametrization: Parametrization<Float>,
         optimizer: (any Optimizer<Float>)?, declaredExponents: [String: ParametrizedExponents],
         parametrizedKinds: [String: String]) {
        self.axisValue = axisValue
        self.module = network.module
        self.network = network
        self.parametrization = parametrization
        self.optimizerIfTrainable = optimizer
        self.declaredExponents = declaredExponents
        self.parametrizedKinds = parametrizedKinds
    }

    /// The optimizer; only models built with a trainable optimizer (``TrainingOptions/trainableOptimizers``) train.
    public var optimizer: any Optimizer<Float> {
        guard let optimizerIfTrainable else { preconditionFailure("the model was built without an optimizer") }
        return optimizerIfTrainable
    }

    /// The network output on the current batch, recorded on `tape`.
    public func forward(on tape: Tape<Float>) -> Variable<Float> { network.forward(tape) }

    /// The training loss of `output`.
    public func loss(of output: Variable<Float>) -> Variable<Float> { network.loss(output) }

    /// The forward pass and loss on the current batch (what dynamic alignment measures on).
    public var sampleForward: (Tape<Float>) -> Void { { [network] tape in _ = network.loss(network.forward(tape)) } }

    /// Makes a built-in model read `batch` from now on (LR-transfer and `train` use a fresh batch every step).
    public func use(_ batch: TaskBatch) {
        guard let feed = network.feed else { preconditionFailure("only built-in models take new batches") }
        feed(batch)
    }

    /// One training step on the current batch: zero gradients, forward on a tape released before the update,
    /// backward, optimizer step. Returns the loss before the update; a non-finite loss skips backward and update.
    @discardableResult
    public func trainingStep() -> Double {
        module.zeroGradients()
        let value: Double
        do {
            let tape = Tape<Float>(retainsOpGradients: false)  // only the parameters' gradients are read
            let loss = loss(of: forward(on: tape))
            value = Double(loss.value.scalars[0])
            if value.isFinite { loss.backward() }
        }
        if value.isFinite { optimizer.step() }
        return value
    }

    /// One training step on `batch` (built-in models).
    @discardableResult
    public func trainingStep(on batch: TaskBatch) -> Double {
        use(batch)
        return trainingStep()
    }
}
